/* IKEv1 key derivation and message protection (RFC 2409 §5, §5.5, App. B).
 * The formulas are listed in keys1.h; every function here is pure over
 * bytes and wipes its secret temporaries on its single exit path. */
#include "ike/v1/keys1.h"

#include <string.h>

#include "base/mem.h"

/* RFC 2409 §5 / RFC 2408 §3.13: the Nonce payload carries 8..256 bytes. */
#define V1_NONCE_MAX 256

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--)
		*p++ = (uint8_t)(v >> (8 * i));
}

static void put_be32(uint8_t *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--)
		*p++ = (uint8_t)(v >> (8 * i));
}

/* CKY-A | CKY-B as they appear on the wire (16 bytes). */
static void put_cookies(uint8_t out[16], uint64_t a, uint64_t b)
{
	put_be64(out, a);
	put_be64(out + 8, b);
}

int v1_skeyid_psk(const struct crypto_prf *prf, const uint8_t *psk, size_t psk_len,
		  const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
		  uint8_t *skeyid)
{
	if (!prf || !skeyid || (psk_len && !psk))
		return -1;
	return crypto_prf(prf, psk, psk_len, ni, ni_len, nr, nr_len, NULL, 0, NULL, 0, skeyid);
}

int v1_skeyid_sig(const struct crypto_prf *prf, const uint8_t *ni, size_t ni_len,
		  const uint8_t *nr, size_t nr_len, const uint8_t *gxy, size_t gxy_len,
		  uint8_t *skeyid)
{
	/* The nonces are the HMAC key here, so they must be one buffer. */
	uint8_t nonces[2 * V1_NONCE_MAX];
	int rc = -1;
	if (!prf || !skeyid || !ni || !nr || ni_len > V1_NONCE_MAX || nr_len > V1_NONCE_MAX)
		goto out;
	memcpy(nonces, ni, ni_len);
	memcpy(nonces + ni_len, nr, nr_len);
	rc = crypto_prf(prf, nonces, ni_len + nr_len, gxy, gxy_len, NULL, 0, NULL, 0, NULL, 0,
			skeyid);
out:
	mem_wipe(nonces, sizeof(nonces));
	return rc;
}

/* App. B: SKEYID_e itself when it is long enough, else K1 | K2 | ...
 * with K1 = prf(SKEYID_e, 0x00) and Kn = prf(SKEYID_e, Kn-1), truncated
 * to the key length (3DES with MD5/SHA-1, AES-256 with SHA-1). */
int v1_enc_key(const struct crypto_prf *prf, const uint8_t *skeyid_e, uint8_t *key,
	       size_t key_len)
{
	uint8_t kn[CRYPTO_MAX_HASH], prev[CRYPTO_MAX_HASH];
	int rc = -1;
	if (!prf || !skeyid_e || !key || !key_len || key_len > CRYPTO_MAX_KEY ||
	    prf->out_len > CRYPTO_MAX_HASH)
		return -1;
	size_t plen = prf->out_len;
	if (key_len <= plen) {
		memcpy(key, skeyid_e, key_len);
		return 0;
	}
	const uint8_t zero = 0;
	if (crypto_prf(prf, skeyid_e, plen, &zero, 1, NULL, 0, NULL, 0, NULL, 0, kn) < 0)
		goto out;
	for (size_t done = 0;;) {
		size_t take = key_len - done < plen ? key_len - done : plen;
		memcpy(key + done, kn, take);
		done += take;
		if (done == key_len)
			break;
		memcpy(prev, kn, plen);
		if (crypto_prf(prf, skeyid_e, plen, prev, plen, NULL, 0, NULL, 0, NULL, 0, kn) < 0)
			goto out;
	}
	rc = 0;
out:
	mem_wipe(kn, sizeof(kn));
	mem_wipe(prev, sizeof(prev));
	return rc;
}

/* IKE messages are protected by a CBC cipher only (no AEAD in IKEv1). */
static int check_suite(struct v1_keys *k)
{
	if (!k->prf || !k->encr || k->encr->aead || !k->encr->key_len)
		return -1;
	if (k->prf->out_len > CRYPTO_MAX_HASH || k->encr->key_len > CRYPTO_MAX_KEY ||
	    k->encr->block_len > V1_MAX_BLOCK || !k->encr->block_len)
		return -1;
	if (crypto_hash_len(k->hash) != k->prf->out_len)
		return -1;
	return 0;
}

int v1_keys_derive(struct v1_keys *k, const uint8_t *gxy, size_t gxy_len,
		   uint64_t cky_i, uint64_t cky_r)
{
	uint8_t cky[16];
	uint8_t n;
	if (!k || check_suite(k) < 0 || !gxy || !gxy_len)
		return -1;
	k->prf_len = k->prf->out_len;
	k->block = k->encr->block_len;
	put_cookies(cky, cky_i, cky_r);
	/* SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0) */
	n = 0;
	if (crypto_prf(k->prf, k->skeyid, k->prf_len, gxy, gxy_len, cky, 16, &n, 1, NULL, 0,
		       k->skeyid_d) < 0)
		return -1;
	/* SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1) */
	n = 1;
	if (crypto_prf(k->prf, k->skeyid, k->prf_len, k->skeyid_d, k->prf_len, gxy, gxy_len,
		       cky, 16, &n, 1, k->skeyid_a) < 0)
		return -1;
	/* SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2) */
	n = 2;
	if (crypto_prf(k->prf, k->skeyid, k->prf_len, k->skeyid_a, k->prf_len, gxy, gxy_len,
		       cky, 16, &n, 1, k->skeyid_e) < 0)
		return -1;
	return v1_enc_key(k->prf, k->skeyid_e, k->enc_key, k->encr->key_len);
}

/* The first k->block bytes of hash(a | b) into out. */
static int iv_from_hash(const struct v1_keys *k, const uint8_t *a, size_t a_len,
			const uint8_t *b, size_t b_len, uint8_t *out)
{
	uint8_t h[CRYPTO_MAX_HASH];
	size_t hlen = crypto_hash_len(k->hash);
	if (!k->block || k->block > V1_MAX_BLOCK || hlen < k->block || hlen > sizeof(h))
		return -1;
	if (crypto_hash(k->hash, a, a_len, b, b_len, NULL, 0, h) < 0)
		return -1;
	memcpy(out, h, k->block);
	return 0;
}

int v1_iv_phase1(struct v1_keys *k, const uint8_t *gxi, size_t gxi_len,
		 const uint8_t *gxr, size_t gxr_len)
{
	if (!k || !gxi || !gxr)
		return -1;
	return iv_from_hash(k, gxi, gxi_len, gxr, gxr_len, k->iv);
}

int v1_iv_msgid(const struct v1_keys *k, uint32_t msg_id, uint8_t *out)
{
	uint8_t mid[4];
	if (!k || !out)
		return -1;
	put_be32(mid, msg_id);
	return iv_from_hash(k, k->iv, k->block, mid, 4, out);
}

int v1_hash_phase1(const struct v1_keys *k, bool initiator,
		   const uint8_t *gx_i, size_t gx_i_len, const uint8_t *gx_r, size_t gx_r_len,
		   uint64_t cky_i, uint64_t cky_r, const uint8_t *sai_b, size_t sai_len,
		   const uint8_t *id_b, size_t id_len, uint8_t *out)
{
	/* g^x of both sides as one part, so the six fields fit crypto_prf's four. */
	uint8_t gx[2 * CRYPTO_MAX_DH_PUB];
	uint8_t cky[16];
	if (!k || !k->prf || !out || !gx_i || !gx_r || gx_i_len > CRYPTO_MAX_DH_PUB ||
	    gx_r_len > CRYPTO_MAX_DH_PUB || (sai_len && !sai_b) || (id_len && !id_b))
		return -1;
	if (initiator) {
		/* HASH_I: g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b */
		memcpy(gx, gx_i, gx_i_len);
		memcpy(gx + gx_i_len, gx_r, gx_r_len);
		put_cookies(cky, cky_i, cky_r);
	} else {
		/* HASH_R: g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b */
		memcpy(gx, gx_r, gx_r_len);
		memcpy(gx + gx_r_len, gx_i, gx_i_len);
		put_cookies(cky, cky_r, cky_i);
	}
	return crypto_prf(k->prf, k->skeyid, k->prf->out_len, gx, gx_i_len + gx_r_len, cky, 16,
			  sai_b, sai_len, id_b, id_len, out);
}

int v1_hash_msg(const struct v1_keys *k, bool zero_prefix, uint32_t msg_id,
		const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
		const uint8_t *c, size_t c_len, uint8_t *out)
{
	/* HASH(3) puts a single 0x00 before the message ID (RFC 2409 §5.5). */
	uint8_t head[5];
	size_t head_len = 0;
	if (!k || !k->prf || !out || (a_len && !a) || (b_len && !b) || (c_len && !c))
		return -1;
	if (zero_prefix)
		head[head_len++] = 0;
	put_be32(head + head_len, msg_id);
	head_len += 4;
	return crypto_prf(k->prf, k->skeyid_a, k->prf->out_len, head, head_len, a, a_len, b, b_len,
			  c, c_len, out);
}

int v1_keymat(const struct v1_keys *k, const uint8_t *gqm, size_t gqm_len, uint8_t protocol,
	      uint32_t spi, const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
	      uint8_t *out, size_t out_len)
{
	/* seed = [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b, the same in every Kn. */
	uint8_t seed[CRYPTO_MAX_DH_PUB + 5 + 2 * V1_NONCE_MAX];
	uint8_t kn[CRYPTO_MAX_HASH], prev[CRYPTO_MAX_HASH];
	size_t n = 0, kn_len = 0, done = 0;
	int rc = -1;
	if (!k || !k->prf || !out || !ni || !nr || ni_len > V1_NONCE_MAX ||
	    nr_len > V1_NONCE_MAX || gqm_len > CRYPTO_MAX_DH_PUB || (gqm_len && !gqm))
		goto out;
	if (gqm)
		memcpy(seed, gqm, gqm_len), n = gqm_len;
	seed[n++] = protocol;
	put_be32(seed + n, spi), n += 4;
	memcpy(seed + n, ni, ni_len), n += ni_len;
	memcpy(seed + n, nr, nr_len), n += nr_len;
	while (done < out_len) {
		/* K1 = prf(SKEYID_d, seed), Kn = prf(SKEYID_d, Kn-1 | seed) */
		memcpy(prev, kn, kn_len);
		if (crypto_prf(k->prf, k->skeyid_d, k->prf->out_len, prev, kn_len, seed, n, NULL, 0,
			       NULL, 0, kn) < 0)
			goto out;
		kn_len = k->prf->out_len;
		size_t take = out_len - done < kn_len ? out_len - done : kn_len;
		memcpy(out + done, kn, take);
		done += take;
	}
	rc = 0;
out:
	mem_wipe(seed, sizeof(seed));
	mem_wipe(kn, sizeof(kn));
	mem_wipe(prev, sizeof(prev));
	return rc;
}

int v1_natd(enum crypto_hash h, uint64_t cky_i, uint64_t cky_r, uint32_t addr_be,
	    uint16_t port_be, uint8_t *out)
{
	uint8_t cky[16];
	uint8_t addr[4], port[2];
	if (!out)
		return -1;
	put_cookies(cky, cky_i, cky_r);
	/* Already in network order: the bytes as they sit in memory. */
	memcpy(addr, &addr_be, 4);
	memcpy(port, &port_be, 2);
	return crypto_hash(h, cky, 16, addr, 4, port, 2, out);
}

/* One CBC pass with a fresh context (IKE traffic is rare; no state kept). */
static int cbc(const struct v1_keys *k, bool encrypt, const uint8_t *iv, uint8_t *data,
	       size_t len)
{
	if (!k || !k->encr || !k->block || k->block != k->encr->block_len || !data || !iv ||
	    !len || len % k->block)
		return -1;
	struct crypto_cipher *c = crypto_cipher_new(k->encr, k->enc_key, k->encr->key_len, encrypt);
	if (!c)
		return -1;
	int rc = crypto_cipher_cbc(c, iv, data, data, len);
	crypto_cipher_free(c);
	return rc;
}

int v1_encrypt(const struct v1_keys *k, uint8_t *iv, uint8_t *data, size_t len)
{
	if (cbc(k, true, iv, data, len) < 0)
		return -1;
	/* The next IV of the chain is the last cipher block just produced. */
	memcpy(iv, data + len - k->block, k->block);
	return 0;
}

int v1_decrypt(const struct v1_keys *k, uint8_t *iv, uint8_t *data, size_t len)
{
	uint8_t last[V1_MAX_BLOCK];
	/* Decryption is in place: keep the last cipher block for the chain. */
	if (!k || !data || !k->block || k->block > V1_MAX_BLOCK || len < k->block)
		return -1;
	memcpy(last, data + len - k->block, k->block);
	if (cbc(k, false, iv, data, len) < 0)
		return -1;
	memcpy(iv, last, k->block);
	return 0;
}

int v1_hash_from_attr(uint16_t hash_attr, enum crypto_hash *out)
{
	/* Oakley hash attribute values, RFC 2409 App. A and IANA. */
	static const struct { uint16_t attr; enum crypto_hash h; } map[] = {
		{ 1, HASH_MD5 }, { 2, HASH_SHA1 }, { 4, HASH_SHA256 },
		{ 5, HASH_SHA384 }, { 6, HASH_SHA512 },
	};
	if (!out)
		return -1;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].attr == hash_attr) {
			*out = map[i].h;
			return 0;
		}
	}
	return -1;
}

void v1_keys_wipe(struct v1_keys *k)
{
	if (!k)
		return;
	mem_wipe(k->skeyid, sizeof(k->skeyid));
	mem_wipe(k->skeyid_d, sizeof(k->skeyid_d));
	mem_wipe(k->skeyid_a, sizeof(k->skeyid_a));
	mem_wipe(k->skeyid_e, sizeof(k->skeyid_e));
	mem_wipe(k->enc_key, sizeof(k->enc_key));
	mem_wipe(k->iv, sizeof(k->iv));
}
