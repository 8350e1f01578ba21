#include "ike/core/sk.h"

#include <string.h>

#include "base/mem.h"

#define IKE_HDR_LEN 28

static size_t icv_len(const struct ike_sk *s)
{
	return s->encr->aead ? s->encr->icv_len : s->integ->icv_len;
}

static size_t block_len(const struct ike_sk *s)
{
	return s->encr->block_len ? s->encr->block_len : 1;
}

/* The contexts of one direction, made from the kept keys if missing. */
static int sk_ready(struct ike_sk *s, bool in)
{
	struct crypto_cipher **c = in ? &s->c_in : &s->c_out;
	struct crypto_mac **m = in ? &s->m_in : &s->m_out;
	if (!s->encr)
		return -1;
	if (!*c && !(*c = crypto_cipher_new(s->encr, in ? s->ke_in : s->ke_out, s->encr->key_len,
					     !in)))
		return -1;
	if (s->integ && !*m &&
	    !(*m = crypto_mac_new(s->integ, in ? s->ka_in : s->ka_out, s->integ->key_len)))
		return -1;
	return 0;
}

static void sk_drop(struct ike_sk *s)
{
	crypto_cipher_free(s->c_in);
	crypto_cipher_free(s->c_out);
	crypto_mac_free(s->m_in);
	crypto_mac_free(s->m_out);
	s->c_in = s->c_out = NULL;
	s->m_in = s->m_out = NULL;
}

int ike_sk_init(struct ike_sk *s, const struct crypto_encr *e, const struct crypto_integ *i,
		const uint8_t *ke_in, const uint8_t *ka_in,
		const uint8_t *ke_out, const uint8_t *ka_out)
{
	memset(s, 0, sizeof(*s));
	if (!e || (!e->aead && !i))
		return -1;
	s->encr = e;
	s->integ = e->aead ? NULL : i;
	if (e->key_len > CRYPTO_MAX_KEY || (s->integ && i->key_len > CRYPTO_MAX_KEY))
		return -1;
	if (e->key_len) {
		memcpy(s->ke_in, ke_in, e->key_len);
		memcpy(s->ke_out, ke_out, e->key_len);
	}
	if (s->integ) {
		memcpy(s->ka_in, ka_in, i->key_len);
		memcpy(s->ka_out, ka_out, i->key_len);
	}
	/* made now: proves the keys and the algorithms before any use */
	if (sk_ready(s, true) < 0 || sk_ready(s, false) < 0) {
		ike_sk_free(s);
		return -1;
	}
	return 0;
}

void ike_sk_free(struct ike_sk *s)
{
	sk_drop(s);
	mem_wipe(s, sizeof(*s));
}

void ike_sk_idle(struct ike_sk *s)
{
	s->idle = true;
	sk_drop(s);
}

size_t ike_sk_overhead(const struct ike_sk *s, size_t sp_hdr_len, size_t n)
{
	size_t bl = block_len(s);
	size_t padded = (n + 1 + bl - 1) / bl * bl;
	return sp_hdr_len + s->encr->iv_len + (padded - n) + icv_len(s);
}

int ike_sk_open(struct ike_sk *s, const uint8_t *msg, size_t msg_len, size_t sp_off,
		size_t sp_hdr_len, struct buf *out)
{
	const struct crypto_encr *e = s->encr;
	size_t iv = e->iv_len, icv = icv_len(s), bl = block_len(s);
	uint8_t *pt = NULL;
	int rc = -1;
	if (sp_off < IKE_HDR_LEN || sp_off > msg_len ||
	    msg_len - sp_off < sp_hdr_len + iv + icv + 1 || sk_ready(s, true) < 0)
		return -1;
	size_t body_off = sp_off + sp_hdr_len;
	const uint8_t *ivp = msg + body_off;
	const uint8_t *ct = ivp + iv;
	size_t ct_len = msg_len - body_off - iv - icv;
	const uint8_t *tag = ct + ct_len;
	/* CBC needs whole blocks; AEAD senders may pad to any alignment. */
	if (ct_len == 0 || (!e->aead && ct_len % bl != 0))
		return -1;
	if (!buf_reserve(out, ct_len))
		return -1;
	pt = out->data + out->len;
	if (e->aead) {
		if (crypto_aead_open(s->c_in, ivp, msg, body_off, ct, pt, ct_len, tag) < 0)
			goto out;
	} else {
		/* Verify before decrypting: ICV over header .. end of ciphertext. */
		if (crypto_mac_verify(s->m_in, msg, (size_t)(tag - msg), NULL, 0, tag) != 0)
			goto out;
		if (crypto_cipher_cbc(s->c_in, ivp, ct, pt, ct_len) < 0)
			goto out;
	}
	size_t pad = pt[ct_len - 1];
	if (pad + 1 > ct_len)
		goto out;
	out->len += ct_len - pad - 1;
	rc = 0;
out:
	if (rc < 0)
		mem_wipe(pt, ct_len);
	if (s->idle)
		sk_drop(s);
	return rc;
}

static int sk_seal(struct ike_sk *s, struct buf *b, size_t msg_start, size_t sp_off,
		   size_t sp_hdr_len)
{
	const struct crypto_encr *e = s->encr;
	size_t iv = e->iv_len, icv = icv_len(s), bl = block_len(s);
	if (b->oom || sp_off + sp_hdr_len + iv > b->len || sk_ready(s, false) < 0)
		return -1;
	size_t pt_off = sp_off + sp_hdr_len + iv;
	size_t n = b->len - pt_off;
	size_t padded = (n + 1 + bl - 1) / bl * bl;
	uint8_t pad = (uint8_t)(padded - n - 1);
	/* RFC 7296 §3.14: padding content is arbitrary; zeros here. */
	buf_skip(b, pad);
	buf_put_u8(b, pad);
	size_t tag_off = buf_skip(b, icv);
	if (b->oom)
		return -1;
	size_t sp_len = b->len - sp_off;
	size_t msg_len = b->len - msg_start;
	if (sp_len > 0xffff)
		return -1;
	buf_patch_u16(b, sp_off + 2, (uint16_t)sp_len);
	buf_patch_u32(b, msg_start + 24, (uint32_t)msg_len);
	uint8_t *ivp = b->data + sp_off + sp_hdr_len;
	if (crypto_random(ivp, iv) < 0)
		return -1;
	uint8_t *pt = b->data + pt_off;
	if (e->aead)
		return crypto_aead_seal(s->c_out, ivp, b->data + msg_start,
					sp_off + sp_hdr_len - msg_start, pt, pt, padded,
					b->data + tag_off);
	if (crypto_cipher_cbc(s->c_out, ivp, pt, pt, padded) < 0)
		return -1;
	return crypto_mac_compute(s->m_out, b->data + msg_start, tag_off - msg_start, NULL, 0,
				  b->data + tag_off);
}

int ike_sk_seal(struct ike_sk *s, struct buf *b, size_t msg_start, size_t sp_off,
		size_t sp_hdr_len)
{
	int rc = sk_seal(s, b, msg_start, sp_off, sp_hdr_len);
	if (s->idle)
		sk_drop(s);
	return rc;
}
