/* ESP encapsulation and decapsulation of one packet (RFC 4303 tunnel mode),
 * in place, without I/O.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ ----
 *  |               Security Parameters Index (SPI)                 | ^Int.
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |Cov-
 *  |                      Sequence Number                          | |ered
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ | ----
 *  |                    IV (CBC: random, GCM: 8 bytes)             | |   ^
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |   |
 *  |           Payload Data (inner IPv4 packet, variable)          | |Conf.
 *  +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |Cov-
 *  |               |     Padding (0-255 bytes: 1, 2, 3, ...)       | |ered
 *  +-+-+-+-+-+-+-+-+               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |   |
 *  |                               |  Pad Length   | Next Header   | v   v
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ ------
 *  |         Integrity Check Value-ICV   (variable)                |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *                                         (RFC 4303 §2, figure 2)
 *
 * CBC + HMAC (RFC 3602, 2404, 4868): ICV = HMAC over SPI .. Next Header,
 * followed by the high 32 bits of the sequence number when ESN is on
 * (RFC 4303 §2.2.1, not transmitted).
 * AES-GCM (RFC 4106): nonce = salt || IV; AAD = SPI || Seq (8 bytes), or
 * SPI || Seq high || Seq low (12 bytes) with ESN (RFC 4106 §5); the ICV is
 * the 16-byte tag.  The IV is the 64-bit sequence number, unique per key
 * (RFC 4106 §3.1 allows a counter).
 *
 * Decapsulation follows the strongSwan esp_packet.c lesson: bounds-checked
 * reader, replay check before any cryptography, ICV verified before the
 * plaintext is used, replay window committed only after the ICV verified
 * (re-checked under the SA lock, as another worker may have taken the same
 * number meanwhile). */
#include "esp/esp_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/rd.h"

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

const char *esp_verdict_name(enum esp_verdict v)
{
	switch (v) {
	case ESP_V_OK: return "ok";
	case ESP_V_SHORT: return "truncated";
	case ESP_V_REPLAY: return "replay";
	case ESP_V_VERIFY: return "ICV check failed";
	case ESP_V_PAD: return "bad padding";
	case ESP_V_INNER: return "malformed inner packet";
	case ESP_V_IPV6: return "inner IPv6 not supported";
	case ESP_V_SPOOF: return "inner source not assigned to the SA";
	case ESP_V_TFC: return "dummy packet";
	case ESP_V_NOCTX: return "no crypto context";
	case ESP_V_SEQ: return "sequence numbers exhausted";
	case ESP_V_DEAD: return "SA removed";
	}
	return "?";
}

struct esp_slot *esp_slot_get(struct esp_sa *sa, unsigned i)
{
	if (i >= sa->nslots)
		return NULL;
	struct esp_slot *s = atomic_load_explicit(&sa->slot[i], memory_order_acquire);
	if (s)
		return s;
	s = aligned_alloc(64, sizeof(*s));
	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	atomic_store_explicit(&sa->slot[i], s, memory_order_release);
	return s;
}

bool esp_slot_out_ready(struct esp_sa *sa, struct esp_slot *s)
{
	if (s->enc)
		return true;
	if (s->enc_bad)
		return false;
	s->enc = crypto_cipher_new(sa->encr, sa->ekey_out, sa->encr->key_len, true);
	if (s->enc && !sa->aead) {
		s->mac_out = crypto_mac_new(sa->integ, sa->ikey_out, sa->integ->key_len);
		if (!s->mac_out) {
			crypto_cipher_free(s->enc);
			s->enc = NULL;
		}
	}
	s->enc_bad = s->enc == NULL;
	return s->enc != NULL;
}

bool esp_slot_in_ready(struct esp_sa *sa, struct esp_slot *s)
{
	if (s->dec)
		return true;
	if (s->dec_bad)
		return false;
	s->dec = crypto_cipher_new(sa->encr, sa->ekey_in, sa->encr->key_len, false);
	if (s->dec && !sa->aead) {
		s->mac_in = crypto_mac_new(sa->integ, sa->ikey_in, sa->integ->key_len);
		if (!s->mac_in) {
			crypto_cipher_free(s->dec);
			s->dec = NULL;
		}
	}
	s->dec_bad = s->dec == NULL;
	return s->dec != NULL;
}

enum esp_verdict esp_seq_next(struct esp_sa *sa, uint64_t *seq)
{
	uint64_t s = atomic_fetch_add_explicit(&sa->seq_out, 1, memory_order_relaxed) + 1;
	/* RFC 4303 §3.3.3: the counter must not cycle; a new SA is needed. */
	if (s == 0 || (!sa->esn && s > UINT32_MAX))
		return ESP_V_SEQ;
	*seq = s;
	return ESP_V_OK;
}

enum esp_verdict esp_encap(struct esp_sa *sa, struct esp_slot *s, uint64_t seq,
			   const uint8_t *iv, uint8_t next_header, uint8_t *inner,
			   size_t inner_len, uint8_t **esp, size_t *esp_len)
{
	if (!esp_slot_out_ready(sa, s))
		return ESP_V_NOCTX;
	size_t hdr = ESP_HDR_LEN + sa->iv_len;
	uint8_t *p = inner - hdr;
	size_t pad = (sa->align - (inner_len + 2) % sa->align) % sa->align;
	uint8_t *t = inner + inner_len;
	for (size_t i = 0; i < pad; i++)
		t[i] = (uint8_t)(i + 1);          /* RFC 4303 §2.4: 1, 2, 3, ... */
	t[pad] = (uint8_t)pad;
	t[pad + 1] = next_header;
	size_t plen = inner_len + pad + 2;
	uint8_t *icv = inner + plen;
	uint8_t seqhi[4];
	put32(seqhi, (uint32_t)(seq >> 32));
	put32(p, sa->spi_out);
	put32(p + 4, (uint32_t)seq);
	if (sa->aead) {
		uint8_t aad[12];
		size_t aad_len = 8;
		if (iv) {
			memcpy(p + 8, iv, 8);            /* known-answer tests only */
		} else {
			put32(p + 8, (uint32_t)(seq >> 32));   /* IV = 64-bit sequence number */
			put32(p + 12, (uint32_t)seq);
		}
		memcpy(aad, p, 4);
		if (sa->esn) {
			memcpy(aad + 4, seqhi, 4);
			memcpy(aad + 8, p + 4, 4);
			aad_len = 12;
		} else {
			memcpy(aad + 4, p + 4, 4);
		}
		if (crypto_aead_seal(s->enc, p + ESP_HDR_LEN, aad, aad_len, inner, inner, plen, icv) < 0)
			return ESP_V_NOCTX;
	} else {
		if (sa->iv_len)
			memcpy(p + ESP_HDR_LEN, iv, sa->iv_len);
		if (crypto_cipher_cbc(s->enc, p + ESP_HDR_LEN, inner, inner, plen) < 0 ||
		    crypto_mac_compute(s->mac_out, p, hdr + plen, seqhi, sa->esn ? 4 : 0, icv) < 0)
			return ESP_V_NOCTX;
	}
	*esp = p;
	*esp_len = hdr + plen + sa->icv_len;
	return ESP_V_OK;
}

enum esp_verdict esp_decap(struct esp_sa *sa, struct esp_slot *s, uint8_t *pkt, size_t len,
			   uint8_t **inner, size_t *inner_len, uint8_t *nh, uint64_t *seq_out)
{
	struct rd r = rd_init(pkt, len);
	rd_skip(&r, 4);                           /* SPI: the caller found the SA by it */
	uint32_t seql = rd_u32(&r);
	const uint8_t *iv = rd_ptr(&r, sa->iv_len);
	if (r.bad || r.left < (size_t)sa->icv_len + 2)
		return ESP_V_SHORT;
	size_t hdr = ESP_HDR_LEN + sa->iv_len;
	size_t clen = r.left - sa->icv_len;
	if (!sa->aead && !sa->null_encr && clen % sa->align)
		return ESP_V_SHORT;
	uint8_t *ct = pkt + hdr;
	const uint8_t *icv = ct + clen;

	/* 1. replay check, before any cryptography */
	uint64_t seq;
	sa_lock(sa);
	seq = sa->esn ? replay_esn_infer(&sa->rp, seql) : seql;
	enum replay_result rr = replay_check(&sa->rp, seq);
	sa_unlock(sa);
	if (rr != REPLAY_OK)
		return ESP_V_REPLAY;
	if (!esp_slot_in_ready(sa, s))
		return ESP_V_NOCTX;

	/* 2. integrity, then decryption */
	uint8_t seqhi[4];
	put32(seqhi, (uint32_t)(seq >> 32));
	if (sa->aead) {
		uint8_t aad[12];
		size_t aad_len = 8;
		memcpy(aad, pkt, 4);
		if (sa->esn) {
			memcpy(aad + 4, seqhi, 4);
			memcpy(aad + 8, pkt + 4, 4);
			aad_len = 12;
		} else {
			memcpy(aad + 4, pkt + 4, 4);
		}
		if (crypto_aead_open(s->dec, iv, aad, aad_len, ct, ct, clen, icv) < 0)
			return ESP_V_VERIFY;
	} else {
		if (crypto_mac_verify(s->mac_in, pkt, hdr + clen, seqhi, sa->esn ? 4 : 0, icv) < 0)
			return ESP_V_VERIFY;
		if (crypto_cipher_cbc(s->dec, iv, ct, ct, clen) < 0)
			return ESP_V_NOCTX;
	}

	/* 3. the packet is authentic: commit its number */
	sa_lock(sa);
	rr = replay_commit(&sa->rp, seq);
	sa_unlock(sa);
	if (rr != REPLAY_OK)
		return ESP_V_REPLAY;
	*seq_out = seq;

	/* 4. trailer: Pad Length, Next Header, padding 1, 2, 3, ... */
	size_t padlen = ct[clen - 2];
	*nh = ct[clen - 1];
	if (padlen + 2 > clen)
		return ESP_V_PAD;
	const uint8_t *padp = ct + clen - 2 - padlen;
	for (size_t i = 0; i < padlen; i++)
		if (padp[i] != (uint8_t)(i + 1))
			return ESP_V_PAD;
	*inner = ct;
	*inner_len = clen - 2 - padlen;
	return ESP_V_OK;
}

enum esp_verdict esp_inner_check(const struct esp_sa *sa, uint8_t nh, const uint8_t *inner,
				 size_t *len)
{
	switch (nh) {
	case ESP_NH_NONE:
		return ESP_V_TFC;
	case ESP_NH_IPV6:
		return ESP_V_IPV6;
	case ESP_NH_IPV4:
		break;
	default:
		return ESP_V_INNER;
	}
	struct rd r = rd_init(inner, *len);
	uint8_t vihl = rd_u8(&r);
	rd_skip(&r, 1);
	uint16_t tot = rd_u16(&r);
	rd_skip(&r, 8);
	uint32_t src = rd_u32(&r);
	if (r.bad)
		return ESP_V_INNER;
	if (vihl >> 4 == 6)
		return ESP_V_IPV6;
	size_t ihl = (size_t)(vihl & 15) * 4;
	if (vihl >> 4 != 4 || ihl < 20 || tot < ihl || tot > *len)
		return ESP_V_INNER;
	if ((src & sa->inner_mask) != (sa->inner_addr & sa->inner_mask))
		return ESP_V_SPOOF;
	*len = tot;                               /* drop TFC padding (RFC 4303 §2.7) */
	return ESP_V_OK;
}

void esp_slot_count_in(struct esp_slot *s, enum esp_verdict v, size_t inner_len, uint64_t now_ms)
{
	switch (v) {
	case ESP_V_OK:
		ctr_add(&s->pkts_in, 1);
		ctr_add(&s->bytes_in, inner_len);
		atomic_store_explicit(&s->last_in_ms, now_ms, memory_order_relaxed);
		break;
	case ESP_V_TFC:
		ctr_add(&s->tfc_rcvd, 1);
		atomic_store_explicit(&s->last_in_ms, now_ms, memory_order_relaxed);
		break;
	case ESP_V_REPLAY: ctr_add(&s->replay, 1); break;
	case ESP_V_VERIFY: ctr_add(&s->verify_fail, 1); break;
	case ESP_V_SHORT:
	case ESP_V_PAD: ctr_add(&s->bad_pad, 1); break;
	case ESP_V_INNER:
	case ESP_V_IPV6: ctr_add(&s->bad_inner, 1); break;
	case ESP_V_SPOOF: ctr_add(&s->spoofed, 1); break;
	case ESP_V_NOCTX:
	case ESP_V_SEQ:
	case ESP_V_DEAD: ctr_add(&s->recv_errors, 1); break;
	}
}
