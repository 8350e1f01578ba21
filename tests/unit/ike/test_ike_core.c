/* ike/core: key derivation, SK protect/unprotect, RFC 7383 reassembly and
 * fragmentation, cookies, NAT-D. */
#include "../t.h"

#include <arpa/inet.h>

#include "base/buf.h"
#include "crypto/crypto.h"
#include "ike/core/cookie.h"
#include "ike/core/frag.h"
#include "ike/core/keys.h"
#include "ike/core/sk.h"

/* ---- key derivation -------------------------------------------------------- */

/* prf+ written out from crypto_prf alone (RFC 7296 §2.13), so the check
 * does not depend on crypto_prf_plus. */
static void manual_prf_plus(const struct crypto_prf *p, const uint8_t *key, size_t klen,
			    const uint8_t *seed, size_t slen, uint8_t *out, size_t olen)
{
	uint8_t t[CRYPTO_MAX_HASH];
	size_t tlen = 0, done = 0;
	for (uint8_t n = 1; done < olen; n++) {
		uint8_t buf[CRYPTO_MAX_HASH + 600];
		memcpy(buf, t, tlen);
		memcpy(buf + tlen, seed, slen);
		buf[tlen + slen] = n;
		T_CHECK(crypto_prf(p, key, klen, buf, tlen + slen + 1, NULL, 0, NULL, 0, NULL, 0, t) == 0);
		tlen = p->out_len;
		size_t take = olen - done < tlen ? olen - done : tlen;
		memcpy(out + done, t, take);
		done += take;
	}
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

static void ike_keys_match_rfc7296_2_14_computed_independently(void)
{
	const struct crypto_prf *prf = crypto_prf_ikev2(2);             /* HMAC-SHA1 */
	const struct crypto_encr *encr = crypto_encr_ikev2(12, 192);    /* AES-CBC-192 */
	const struct crypto_integ *integ = crypto_integ_ikev2(2);       /* HMAC-SHA1-96 */
	T_CHECK(prf && encr && integ);
	if (!prf || !encr || !integ)
		return;
	uint8_t ni[32], nr[32], gir[128];
	fill(ni, sizeof(ni), 1);
	fill(nr, sizeof(nr), 50);
	fill(gir, sizeof(gir), 99);
	uint64_t spi_i = 0x0102030405060708ull, spi_r = 0x1112131415161718ull;
	struct ike_keymat k = { .prf = prf, .encr = encr, .integ = integ };
	T_EQ_INT(ike_keys_derive(&k, ni, 32, nr, 32, gir, sizeof(gir), spi_i, spi_r), 0);

	uint8_t nonces[64], skeyseed[CRYPTO_MAX_HASH], seed[80], km[512];
	memcpy(nonces, ni, 32);
	memcpy(nonces + 32, nr, 32);
	T_CHECK(crypto_prf(prf, nonces, 64, gir, sizeof(gir), NULL, 0, NULL, 0, NULL, 0, skeyseed) == 0);
	memcpy(seed, nonces, 64);
	for (int i = 0; i < 8; i++) {
		seed[64 + i] = (uint8_t)(spi_i >> (56 - 8 * i));
		seed[72 + i] = (uint8_t)(spi_r >> (56 - 8 * i));
	}
	size_t total = 3 * 20 + 2 * 20 + 2 * 24;
	manual_prf_plus(prf, skeyseed, 20, seed, 80, km, total);
	T_EQ_INT(k.prf_len, 20);
	T_EQ_INT(k.integ_len, 20);
	T_EQ_INT(k.encr_len, 24);
	T_EQ_MEM(k.sk_d, km, 20);
	T_EQ_MEM(k.sk_ai, km + 20, 20);
	T_EQ_MEM(k.sk_ar, km + 40, 20);
	T_EQ_MEM(k.sk_ei, km + 60, 24);
	T_EQ_MEM(k.sk_er, km + 84, 24);
	T_EQ_MEM(k.sk_pi, km + 108, 20);
	T_EQ_MEM(k.sk_pr, km + 128, 20);
}

static void ike_keys_for_aead_have_no_integrity_keys_and_take_the_salt(void)
{
	const struct crypto_prf *prf = crypto_prf_ikev2(5);             /* HMAC-SHA2-256 */
	const struct crypto_encr *encr = crypto_encr_ikev2(20, 256);    /* AES-GCM-16-256 */
	T_CHECK(prf && encr);
	if (!prf || !encr)
		return;
	uint8_t ni[16], nr[16], gir[32];
	fill(ni, 16, 3);
	fill(nr, 16, 4);
	fill(gir, 32, 5);
	struct ike_keymat k = { .prf = prf, .encr = encr };
	T_EQ_INT(ike_keys_derive(&k, ni, 16, nr, 16, gir, 32, 1, 2), 0);
	T_EQ_INT(k.integ_len, 0);
	T_EQ_INT(k.encr_len, 36);                 /* 32-byte key + 4-byte salt */
	uint8_t nonces[32], skeyseed[32], seed[48], km[3 * 32 + 2 * 36];
	memcpy(nonces, ni, 16);
	memcpy(nonces + 16, nr, 16);
	T_CHECK(crypto_prf(prf, nonces, 32, gir, 32, NULL, 0, NULL, 0, NULL, 0, skeyseed) == 0);
	memcpy(seed, nonces, 32);
	memset(seed + 32, 0, 16);
	seed[39] = 1;
	seed[47] = 2;
	manual_prf_plus(prf, skeyseed, 32, seed, 48, km, sizeof(km));
	T_EQ_MEM(k.sk_d, km, 32);
	T_EQ_MEM(k.sk_ei, km + 32, 36);
	T_EQ_MEM(k.sk_er, km + 68, 36);
	T_EQ_MEM(k.sk_pr, km + 136, 32);
}

static void ike_rekey_skeyseed_uses_old_sk_d_and_new_dh(void)
{
	const struct crypto_prf *prf = crypto_prf_ikev2(2);
	const struct crypto_encr *encr = crypto_encr_ikev2(12, 128);
	const struct crypto_integ *integ = crypto_integ_ikev2(12);
	T_CHECK(prf && encr && integ);
	if (!prf || !encr || !integ)
		return;
	uint8_t skd[20], ni[20], nr[20], gir[64];
	fill(skd, 20, 7);
	fill(ni, 20, 8);
	fill(nr, 20, 9);
	fill(gir, 64, 10);
	struct ike_keymat k = { .prf = prf, .encr = encr, .integ = integ };
	T_EQ_INT(ike_keys_derive_rekey(&k, prf, skd, 20, gir, 64, ni, 20, nr, 20, 5, 6), 0);
	/* SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) */
	uint8_t data[104], skeyseed[20], seed[56], km[3 * 20 + 2 * 32 + 2 * 16];
	memcpy(data, gir, 64);
	memcpy(data + 64, ni, 20);
	memcpy(data + 84, nr, 20);
	T_CHECK(crypto_prf(prf, skd, 20, data, 104, NULL, 0, NULL, 0, NULL, 0, skeyseed) == 0);
	memcpy(seed, ni, 20);
	memcpy(seed + 20, nr, 20);
	memset(seed + 40, 0, 16);
	seed[47] = 5;
	seed[55] = 6;
	manual_prf_plus(prf, skeyseed, 20, seed, 56, km, sizeof(km));
	T_EQ_MEM(k.sk_d, km, 20);
	T_EQ_MEM(k.sk_ai, km + 20, 32);
	T_EQ_MEM(k.sk_er, km + 84 + 16, 16);
}

static void child_keymat_orders_initiator_keys_first_with_and_without_pfs(void)
{
	const struct crypto_prf *prf = crypto_prf_ikev2(2);
	T_CHECK(prf != NULL);
	if (!prf)
		return;
	uint8_t skd[20], ni[32], nr[32], gir[48];
	fill(skd, 20, 11);
	fill(ni, 32, 12);
	fill(nr, 32, 13);
	fill(gir, 48, 14);
	struct ike_child_keys ck;
	uint8_t seed[112], km[2 * (32 + 20)];
	/* no PFS: prf+(SK_d, Ni | Nr) */
	T_EQ_INT(ike_child_keymat(prf, skd, 20, NULL, 0, ni, 32, nr, 32, 32, 20, &ck), 0);
	memcpy(seed, ni, 32);
	memcpy(seed + 32, nr, 32);
	manual_prf_plus(prf, skd, 20, seed, 64, km, sizeof(km));
	T_EQ_MEM(ck.encr_i, km, 32);
	T_EQ_MEM(ck.integ_i, km + 32, 20);
	T_EQ_MEM(ck.encr_r, km + 52, 32);
	T_EQ_MEM(ck.integ_r, km + 84, 20);
	/* PFS: prf+(SK_d, g^ir (new) | Ni | Nr) */
	T_EQ_INT(ike_child_keymat(prf, skd, 20, gir, 48, ni, 32, nr, 32, 32, 20, &ck), 0);
	memcpy(seed, gir, 48);
	memcpy(seed + 48, ni, 32);
	memcpy(seed + 80, nr, 32);
	manual_prf_plus(prf, skd, 20, seed, 112, km, sizeof(km));
	T_EQ_MEM(ck.encr_i, km, 32);
	T_EQ_MEM(ck.integ_r, km + 84, 20);
}

/* ---- SK payload ---------------------------------------------------------------- */

/* A message: 28-byte header, SK header, IV space, plaintext. */
static size_t build_sk_message(struct buf *b, const struct ike_sk *s, const uint8_t *pt, size_t n)
{
	buf_reset(b);
	uint8_t hdr[28] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
			    46, 0x20, 37, 0x08, 0, 0, 0, 1, 0, 0, 0, 0 };
	buf_put(b, hdr, 28);
	buf_put_u8(b, 41);     /* first inner payload */
	buf_put_u8(b, 0);
	buf_put_u16(b, 0);
	buf_skip(b, s->encr->iv_len);
	buf_put(b, pt, n);
	return 28;
}

static void sk_round_trip_and_tamper(uint16_t encr_id, uint16_t bits, uint16_t integ_id)
{
	const struct crypto_encr *e = crypto_encr_ikev2(encr_id, bits);
	const struct crypto_integ *i = integ_id ? crypto_integ_ikev2(integ_id) : NULL;
	T_CHECK(e != NULL);
	if (!e)
		return;
	uint8_t ke1[CRYPTO_MAX_KEY], ke2[CRYPTO_MAX_KEY], ka1[CRYPTO_MAX_KEY], ka2[CRYPTO_MAX_KEY];
	fill(ke1, sizeof(ke1), 21);
	fill(ke2, sizeof(ke2), 22);
	fill(ka1, sizeof(ka1), 23);
	fill(ka2, sizeof(ka2), 24);
	/* sender's out keys = receiver's in keys */
	struct ike_sk snd, rcv;
	T_EQ_INT(ike_sk_init(&snd, e, i, ke2, ka2, ke1, ka1), 0);
	T_EQ_INT(ike_sk_init(&rcv, e, i, ke1, ka1, ke2, ka2), 0);
	uint8_t pt[100];
	fill(pt, sizeof(pt), 77);
	for (size_t n = 0; n <= sizeof(pt); n += 33) {
		struct buf b, out;
		buf_init(&b);
		buf_init(&out);
		size_t sk_off = build_sk_message(&b, &snd, pt, n);
		T_EQ_INT(ike_sk_seal(&snd, &b, 0, sk_off, IKE_SK_HDR), 0);
		T_EQ_INT((b.data[24] << 24 | b.data[25] << 16 | b.data[26] << 8 | b.data[27]), b.len);
		T_EQ_INT((b.data[sk_off + 2] << 8 | b.data[sk_off + 3]), b.len - sk_off);
		T_EQ_INT(ike_sk_open(&rcv, b.data, b.len, sk_off, IKE_SK_HDR, &out), 0);
		T_EQ_INT(out.len, n);
		T_EQ_MEM(out.data, pt, n);
		/* flipping any one byte (header, SK header, IV, ciphertext, ICV) fails */
		size_t positions[] = { 3, 20, sk_off + 1, sk_off + 5, b.len / 2 + 10, b.len - 1 };
		for (size_t k = 0; k < sizeof(positions) / sizeof(positions[0]); k++) {
			if (positions[k] >= b.len)
				continue;
			b.data[positions[k]] ^= 0x01;
			buf_reset(&out);
			T_EQ_INT(ike_sk_open(&rcv, b.data, b.len, sk_off, IKE_SK_HDR, &out), -1);
			b.data[positions[k]] ^= 0x01;
		}
		/* our own outbound keys do not open it */
		buf_reset(&out);
		T_EQ_INT(ike_sk_open(&snd, b.data, b.len, sk_off, IKE_SK_HDR, &out), -1);
		/* truncated */
		buf_reset(&out);
		T_EQ_INT(ike_sk_open(&rcv, b.data, b.len - 1, sk_off, IKE_SK_HDR, &out), -1);
		T_EQ_INT(ike_sk_open(&rcv, b.data, sk_off + 4, sk_off, IKE_SK_HDR, &out), -1);
		buf_free(&b);
		buf_free(&out);
	}
	ike_sk_free(&snd);
	ike_sk_free(&rcv);
}

static void sk_cbc_hmac_round_trip_and_rejects_tampering(void)
{
	sk_round_trip_and_tamper(12, 256, 2);     /* AES-CBC-256 + HMAC-SHA1-96 */
	sk_round_trip_and_tamper(12, 128, 12);    /* AES-CBC-128 + HMAC-SHA2-256-128 */
	sk_round_trip_and_tamper(3, 0, 2);        /* 3DES + HMAC-SHA1-96 */
}

static void sk_gcm_round_trip_and_rejects_tampering(void)
{
	sk_round_trip_and_tamper(20, 256, 0);     /* AES-GCM-16-256 */
	sk_round_trip_and_tamper(20, 128, 0);
}

/* One AES-CBC block whose Pad Length byte is `pad`, MACed correctly. */
static int open_crafted(uint8_t pad, size_t *out_len)
{
	const struct crypto_encr *e = crypto_encr_ikev2(12, 128);
	const struct crypto_integ *i = crypto_integ_ikev2(2);
	uint8_t k[CRYPTO_MAX_KEY], msg[28 + 4 + 16 + 16 + 12], pt[16];
	fill(k, sizeof(k), 1);
	memset(msg, 0, sizeof(msg));
	msg[16] = 46;
	msg[17] = 0x20;
	msg[27] = sizeof(msg);
	msg[28] = 41;
	msg[31] = 4 + 16 + 16 + 12;
	fill(msg + 32, 16, 9);                 /* IV */
	memset(pt, 0, sizeof(pt));
	pt[15] = pad;
	struct crypto_cipher *c = crypto_cipher_new(e, k, e->key_len, true);
	struct crypto_mac *m = crypto_mac_new(i, k, i->key_len);
	T_CHECK(c && m);
	T_CHECK(crypto_cipher_cbc(c, msg + 32, pt, msg + 48, 16) == 0);
	T_CHECK(crypto_mac_compute(m, msg, 64, NULL, 0, msg + 64) == 0);
	crypto_cipher_free(c);
	crypto_mac_free(m);
	struct ike_sk s;
	T_EQ_INT(ike_sk_init(&s, e, i, k, k, k, k), 0);
	struct buf out;
	buf_init(&out);
	int rc = ike_sk_open(&s, msg, sizeof(msg), 28, IKE_SK_HDR, &out);
	*out_len = out.len;
	buf_free(&out);
	ike_sk_free(&s);
	return rc;
}

static void sk_cbc_rejects_pad_length_beyond_the_ciphertext(void)
{
	size_t n = 99;
	T_EQ_INT(open_crafted(15, &n), 0);     /* all padding: empty inner chain */
	T_EQ_INT(n, 0);
	T_EQ_INT(open_crafted(3, &n), 0);
	T_EQ_INT(n, 12);
	T_EQ_INT(open_crafted(16, &n), -1);    /* 16 + 1 > 16 */
	T_EQ_INT(open_crafted(200, &n), -1);
}

/* ---- fragments --------------------------------------------------------------- */

static void frag_reassembles_in_order_and_out_of_order(void)
{
	struct ike_frag_rx r = { 0 };
	struct buf out;
	uint8_t first = 0;
	buf_init(&out);
	T_EQ_INT(ike_frag_add(&r, 1, 1, 3, 35, (const uint8_t *)"abc", 3, 0, &out, &first),
		 IKE_FRAG_INCOMPLETE);
	T_EQ_INT(ike_frag_add(&r, 1, 2, 3, 0, (const uint8_t *)"def", 3, 0, &out, &first),
		 IKE_FRAG_INCOMPLETE);
	T_EQ_INT(ike_frag_add(&r, 1, 3, 3, 0, (const uint8_t *)"gh", 2, 0, &out, &first),
		 IKE_FRAG_COMPLETE);
	T_EQ_INT(out.len, 8);
	T_EQ_MEM(out.data, "abcdefgh", 8);
	T_EQ_INT(first, 35);
	T_CHECK(!r.active);
	buf_reset(&out);
	/* out of order: 3, 1, 2 */
	T_EQ_INT(ike_frag_add(&r, 2, 3, 3, 0, (const uint8_t *)"3", 1, 0, &out, &first), IKE_FRAG_INCOMPLETE);
	T_EQ_INT(ike_frag_add(&r, 2, 1, 3, 46, (const uint8_t *)"1", 1, 0, &out, &first), IKE_FRAG_INCOMPLETE);
	T_EQ_INT(ike_frag_add(&r, 2, 2, 3, 0, (const uint8_t *)"2", 1, 0, &out, &first), IKE_FRAG_COMPLETE);
	T_EQ_MEM(out.data, "123", 3);
	T_EQ_INT(first, 46);
	buf_free(&out);
	ike_frag_rx_clear(&r);
}

static void frag_ignores_duplicates_and_waits_for_missing(void)
{
	struct ike_frag_rx r = { 0 };
	struct buf out;
	uint8_t first = 0;
	buf_init(&out);
	T_EQ_INT(ike_frag_add(&r, 5, 1, 2, 35, (const uint8_t *)"x", 1, 0, &out, &first), IKE_FRAG_INCOMPLETE);
	T_EQ_INT(ike_frag_add(&r, 5, 1, 2, 35, (const uint8_t *)"y", 1, 0, &out, &first), IKE_FRAG_INCOMPLETE);
	T_EQ_INT(r.have, 1);
	T_EQ_INT(out.len, 0);       /* fragment 2 missing: nothing yet */
	/* missing for longer than the timeout: the set is dropped */
	T_CHECK(ike_frag_rx_expired(&r, IKE_FRAG_TIMEOUT_MS + 1));
	T_EQ_INT(ike_frag_add(&r, 5, 2, 2, 0, (const uint8_t *)"z", 1, IKE_FRAG_TIMEOUT_MS + 1, &out,
			      &first), IKE_FRAG_INCOMPLETE);
	T_EQ_INT(r.have, 1);
	T_EQ_INT(ike_frag_add(&r, 5, 1, 2, 35, (const uint8_t *)"x", 1, IKE_FRAG_TIMEOUT_MS + 2,
			      &out, &first), IKE_FRAG_COMPLETE);
	T_EQ_MEM(out.data, "xz", 2);
	buf_free(&out);
	ike_frag_rx_clear(&r);
}

static void frag_rejects_bad_numbers_oversize_and_smaller_totals(void)
{
	struct ike_frag_rx r = { 0 };
	struct buf out;
	uint8_t first = 0;
	static uint8_t big[IKE_FRAG_MAX_BYTES / 2 + 1];
	buf_init(&out);
	T_EQ_INT(ike_frag_add(&r, 1, 0, 2, 0, big, 1, 0, &out, &first), IKE_FRAG_DROP);
	T_EQ_INT(ike_frag_add(&r, 1, 3, 2, 0, big, 1, 0, &out, &first), IKE_FRAG_DROP);
	T_EQ_INT(ike_frag_add(&r, 1, 1, IKE_FRAG_MAX + 1, 0, big, 1, 0, &out, &first), IKE_FRAG_DROP);
	/* a set larger than IKE_FRAG_MAX_BYTES is thrown away */
	T_EQ_INT(ike_frag_add(&r, 1, 1, 3, 0, big, sizeof(big), 0, &out, &first), IKE_FRAG_INCOMPLETE);
	T_EQ_INT(ike_frag_add(&r, 1, 2, 3, 0, big, sizeof(big), 0, &out, &first), IKE_FRAG_DROP);
	T_CHECK(!r.active && r.bytes == 0);
	/* RFC 7383 §2.6.2: larger total restarts, smaller is dropped */
	T_EQ_INT(ike_frag_add(&r, 1, 1, 3, 0, big, 1, 0, &out, &first), IKE_FRAG_INCOMPLETE);
	T_EQ_INT(ike_frag_add(&r, 1, 1, 2, 0, big, 1, 0, &out, &first), IKE_FRAG_DROP);
	T_EQ_INT(ike_frag_add(&r, 1, 2, 4, 0, big, 1, 0, &out, &first), IKE_FRAG_INCOMPLETE);
	T_EQ_INT(r.total, 4);
	T_EQ_INT(r.have, 1);
	/* a new message ID starts over */
	T_EQ_INT(ike_frag_add(&r, 2, 1, 2, 0, big, 1, 0, &out, &first), IKE_FRAG_INCOMPLETE);
	T_EQ_INT(r.msg_id, 2);
	T_EQ_INT(r.have, 1);
	buf_free(&out);
	ike_frag_rx_clear(&r);
}

static void frag_build_splits_to_datagram_size_and_each_fragment_opens(void)
{
	const struct crypto_encr *e = crypto_encr_ikev2(12, 256);
	const struct crypto_integ *i = crypto_integ_ikev2(2);
	uint8_t k1[CRYPTO_MAX_KEY], k2[CRYPTO_MAX_KEY];
	fill(k1, sizeof(k1), 31);
	fill(k2, sizeof(k2), 32);
	struct ike_sk snd, rcv;
	T_EQ_INT(ike_sk_init(&snd, e, i, k2, k2, k1, k1), 0);
	T_EQ_INT(ike_sk_init(&rcv, e, i, k1, k1, k2, k2), 0);
	uint8_t hdr[28] = { 0 };
	hdr[17] = 0x20;
	hdr[18] = 35;
	hdr[19] = 0x20;
	hdr[23] = 1;
	static uint8_t plain[3000];
	fill(plain, sizeof(plain), 5);
	struct buf frags[8];
	for (int n = 0; n < 8; n++)
		buf_init(&frags[n]);
	int n = ike_frag_build(&snd, hdr, 36, plain, sizeof(plain), 1280, 4, frags, 8);
	T_EQ_INT(n, 3);
	struct ike_frag_rx r = { 0 };
	struct buf out;
	uint8_t first = 0;
	buf_init(&out);
	for (int k = 0; k < n && k < 8; k++) {
		T_CHECK(frags[k].len + 28 + 4 <= 1280);
		T_EQ_INT(frags[k].data[16], 53);                     /* SKF */
		T_EQ_INT(frags[k].data[28], k == 0 ? 36 : 0);        /* next payload */
		T_EQ_INT(frags[k].data[32] << 8 | frags[k].data[33], k + 1);
		T_EQ_INT(frags[k].data[34] << 8 | frags[k].data[35], 3);
		struct buf piece;
		buf_init(&piece);
		T_EQ_INT(ike_sk_open(&rcv, frags[k].data, frags[k].len, 28, IKE_SKF_HDR, &piece), 0);
		enum ike_frag_result res = ike_frag_add(&r, 1, (uint16_t)(k + 1), 3,
							frags[k].data[28], piece.data, piece.len, 0,
							&out, &first);
		T_EQ_INT(res, k == 2 ? IKE_FRAG_COMPLETE : IKE_FRAG_INCOMPLETE);
		buf_free(&piece);
	}
	T_EQ_INT(out.len, sizeof(plain));
	T_EQ_MEM(out.data, plain, sizeof(plain));
	T_EQ_INT(first, 36);
	buf_free(&out);
	for (int k = 0; k < 8; k++)
		buf_free(&frags[k]);
	ike_frag_rx_clear(&r);
	ike_sk_free(&snd);
	ike_sk_free(&rcv);
}

/* ---- cookies, NAT-D ------------------------------------------------------------- */

static void cookie_verifies_for_same_request_only_and_survives_one_rotation(void)
{
	struct ike_cookie_gen g;
	T_EQ_INT(ike_cookie_init(&g, 0), 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(500) };
	a.sin_addr.s_addr = htonl(0x0a000002);
	uint8_t ni[32], c[IKE_COOKIE_LEN], c2[IKE_COOKIE_LEN];
	fill(ni, 32, 9);
	T_EQ_INT(ike_cookie_make(&g, ni, 32, &a, 0x1122334455667788ull, c), 0);
	T_CHECK(ike_cookie_check(&g, c, sizeof(c), ni, 32, &a, 0x1122334455667788ull));
	/* another SPI, nonce, address or length: refused */
	T_CHECK(!ike_cookie_check(&g, c, sizeof(c), ni, 32, &a, 0x1122334455667789ull));
	ni[0] ^= 1;
	T_CHECK(!ike_cookie_check(&g, c, sizeof(c), ni, 32, &a, 0x1122334455667788ull));
	ni[0] ^= 1;
	struct sockaddr_in b = a;
	b.sin_addr.s_addr = htonl(0x0a000003);
	T_CHECK(!ike_cookie_check(&g, c, sizeof(c), ni, 32, &b, 0x1122334455667788ull));
	T_CHECK(!ike_cookie_check(&g, c, sizeof(c) - 1, ni, 32, &a, 0x1122334455667788ull));
	c[10] ^= 0x80;
	T_CHECK(!ike_cookie_check(&g, c, sizeof(c), ni, 32, &a, 0x1122334455667788ull));
	c[10] ^= 0x80;
	/* not due yet: no rotation */
	T_EQ_INT(ike_cookie_rotate(&g, 1000, false), 0);
	T_CHECK(ike_cookie_check(&g, c, sizeof(c), ni, 32, &a, 0x1122334455667788ull));
	/* one rotation: the old cookie is still good, a new one differs */
	T_EQ_INT(ike_cookie_rotate(&g, IKE_COOKIE_ROTATE_MS, false), 0);
	T_CHECK(ike_cookie_check(&g, c, sizeof(c), ni, 32, &a, 0x1122334455667788ull));
	T_EQ_INT(ike_cookie_make(&g, ni, 32, &a, 0x1122334455667788ull, c2), 0);
	T_CHECK(memcmp(c, c2, sizeof(c)) != 0);
	/* two rotations: gone */
	T_EQ_INT(ike_cookie_rotate(&g, 0, true), 0);
	T_CHECK(!ike_cookie_check(&g, c, sizeof(c), ni, 32, &a, 0x1122334455667788ull));
	T_CHECK(ike_cookie_check(&g, c2, sizeof(c2), ni, 32, &a, 0x1122334455667788ull));
	ike_cookie_wipe(&g);
}

static void natd_hash_is_sha1_of_spis_address_and_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(4500) };
	a.sin_addr.s_addr = htonl(0xc0a80101);
	uint8_t h[IKE_NATD_LEN], want[20];
	T_EQ_INT(ike_natd_hash(0x0102030405060708ull, 0, &a, h), 0);
	const uint8_t in[] = { 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0,
			       192, 168, 1, 1, 0x11, 0x94 };
	T_CHECK(crypto_hash(HASH_SHA1, in, sizeof(in), NULL, 0, NULL, 0, want) == 0);
	T_EQ_MEM(h, want, 20);
	a.sin_port = htons(4501);
	T_EQ_INT(ike_natd_hash(0x0102030405060708ull, 0, &a, h), 0);
	T_CHECK(memcmp(h, want, 20) != 0);
}

int main(void)
{
	if (crypto_init() < 0) {
		fprintf(stderr, "crypto_init failed\n");
		return 1;
	}
	T_RUN(ike_keys_match_rfc7296_2_14_computed_independently);
	T_RUN(ike_keys_for_aead_have_no_integrity_keys_and_take_the_salt);
	T_RUN(ike_rekey_skeyseed_uses_old_sk_d_and_new_dh);
	T_RUN(child_keymat_orders_initiator_keys_first_with_and_without_pfs);
	T_RUN(sk_cbc_hmac_round_trip_and_rejects_tampering);
	T_RUN(sk_gcm_round_trip_and_rejects_tampering);
	T_RUN(sk_cbc_rejects_pad_length_beyond_the_ciphertext);
	T_RUN(frag_reassembles_in_order_and_out_of_order);
	T_RUN(frag_ignores_duplicates_and_waits_for_missing);
	T_RUN(frag_rejects_bad_numbers_oversize_and_smaller_totals);
	T_RUN(frag_build_splits_to_datagram_size_and_each_fragment_opens);
	T_RUN(cookie_verifies_for_same_request_only_and_survives_one_rotation);
	T_RUN(natd_hash_is_sha1_of_spis_address_and_port);
	T_DONE();
}
