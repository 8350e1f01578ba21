/* ike/v1 keys1: IKEv1 key derivation (RFC 2409 §5, App. B), phase-1 and
 * Quick Mode hashes, KEYMAT, IVs, CBC protection and NAT-D (RFC 3947).
 *
 * Known answers: SKEYID/SKEYID_d/a/e from the NIST CAVS SP 800-135 IKEv1
 * samples (as carried in NSS gtests/common/testvectors/ike-sha{1,256}-vectors.h,
 * vectors 1-5) and the App. B expansion from the same files (vectors 11/12,
 * generated there by NSS's independent implementation).  Everything else is
 * checked against the formula written out byte by byte with OpenSSL's
 * one-shot HMAC()/EVP_Digest()/EVP cipher calls, not with ravpn code. */
#include "../t.h"

#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto/crypto.h"
#include "ike/v1/keys1.h"

#define OAKLEY_DES 1
#define OAKLEY_3DES 5
#define OAKLEY_AES 7
#define OAKLEY_SHA1 2
#define OAKLEY_SHA256 4
#define PROTO_ESP 3

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 13);
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* ---- independent reference computations (OpenSSL one-shot) -------------- */

/* HMAC over the concatenation cat[0..n) (the formula written out). */
static void ref_hmac(const EVP_MD *md, const uint8_t *key, size_t key_len, const uint8_t *cat,
		     size_t n, uint8_t *out)
{
	unsigned len = 0;
	T_CHECK(HMAC(md, key, (int)key_len, cat, n, out, &len) != NULL);
}

static void ref_digest(const EVP_MD *md, const uint8_t *cat, size_t n, uint8_t *out)
{
	T_CHECK(EVP_Digest(cat, n, out, NULL, md, NULL) == 1);
}

/* Append helper for writing a concatenation out explicitly. */
struct cat { uint8_t b[4096]; size_t n; };
static void cat_put(struct cat *c, const void *p, size_t n)
{
	memcpy(c->b + c->n, p, n);
	c->n += n;
}
static void cat_be64(struct cat *c, uint64_t v)
{
	for (int i = 7; i >= 0; i--)
		c->b[c->n++] = (uint8_t)(v >> (8 * i));
}
static void cat_be32(struct cat *c, uint32_t v)
{
	for (int i = 3; i >= 0; i--)
		c->b[c->n++] = (uint8_t)(v >> (8 * i));
}

/* ---- fixtures -------------------------------------------------------------- */

#define CKY_I 0x0102030405060708ull
#define CKY_R 0x1112131415161718ull

/* Set the suite of k (prf, hash, encr); 0 on success. */
static int set_suite(struct v1_keys *k, uint16_t hash_attr, uint16_t encr, uint16_t bits)
{
	memset(k, 0, sizeof(*k));
	k->prf = crypto_prf_ikev1(hash_attr);
	k->encr = crypto_encr_ikev1(encr, bits);
	if (!k->prf || !k->encr || v1_hash_from_attr(hash_attr, &k->hash) < 0)
		return -1;
	return 0;
}

/* A phase-1 SA keyed from fixed PSK, nonces, g^xy and cookies. */
static int setup_keys(struct v1_keys *k, uint16_t hash_attr, uint16_t encr, uint16_t bits)
{
	uint8_t ni[20], nr[24], gxy[128];
	static const uint8_t psk[] = "cisco123";
	fill(ni, sizeof(ni), 1);
	fill(nr, sizeof(nr), 2);
	fill(gxy, sizeof(gxy), 3);
	if (set_suite(k, hash_attr, encr, bits) < 0)
		return -1;
	if (v1_skeyid_psk(k->prf, psk, sizeof(psk) - 1, ni, sizeof(ni), nr, sizeof(nr), k->skeyid) < 0)
		return -1;
	return v1_keys_derive(k, gxy, sizeof(gxy), CKY_I, CKY_R);
}

/* ---- known answers: NIST CAVS IKEv1 KDF --------------------------------- */

static void test_skeyid_psk_matches_nist_cavs_sha1_and_sha256(void)
{
	uint8_t psk[1], ni[8], nr[8], want[32], got[32];
	/* SHA-1 */
	t_unhex("c0", psk, sizeof(psk));
	t_unhex("03a6f25a83c8c2a3", ni, 8);
	t_unhex("9d958a6618f77e7f", nr, 8);
	t_unhex("ab3be41bc62f2ef0c41a3076d58768be77fadd2e", want, 20);
	T_CHECK(v1_skeyid_psk(crypto_prf_ikev1(OAKLEY_SHA1), psk, 1, ni, 8, nr, 8, got) == 0);
	T_EQ_MEM(got, want, 20);
	/* SHA-256 */
	t_unhex("a0", psk, sizeof(psk));
	t_unhex("ead9ced494868f41", ni, 8);
	t_unhex("f1aff4f425a94f18", nr, 8);
	t_unhex("558a99b299773d267cf7c8ef073bf3b7af362c206c75a538403c5ef884d4cace", want, 32);
	T_CHECK(v1_skeyid_psk(crypto_prf_ikev1(OAKLEY_SHA256), psk, 1, ni, 8, nr, 8, got) == 0);
	T_EQ_MEM(got, want, 32);
}

struct cavs_sig {
	uint16_t hash_attr;
	const char *ni, *nr, *gxy, *cky_i, *cky_r, *skeyid, *d, *a, *e;
};

/* SKEYID = prf(Ni | Nr, g^xy), then SKEYID_d/a/e from it and the cookies. */
static void check_cavs_sig(const struct cavs_sig *v)
{
	static uint8_t ni[256], nr[256], gxy[64], cky[8];
	uint8_t want[CRYPTO_MAX_HASH];
	struct v1_keys k;
	T_CHECK(set_suite(&k, v->hash_attr, OAKLEY_AES, 256) == 0);
	size_t ni_len = t_unhex(v->ni, ni, sizeof(ni));
	size_t nr_len = t_unhex(v->nr, nr, sizeof(nr));
	size_t gxy_len = t_unhex(v->gxy, gxy, sizeof(gxy));
	size_t hl = k.prf->out_len;
	T_CHECK(v1_skeyid_sig(k.prf, ni, ni_len, nr, nr_len, gxy, gxy_len, k.skeyid) == 0);
	T_EQ_INT(t_unhex(v->skeyid, want, sizeof(want)), hl);
	T_EQ_MEM(k.skeyid, want, hl);
	t_unhex(v->cky_i, cky, 8);
	uint64_t ci = be64(cky);
	t_unhex(v->cky_r, cky, 8);
	uint64_t cr = be64(cky);
	T_CHECK(v1_keys_derive(&k, gxy, gxy_len, ci, cr) == 0);
	t_unhex(v->d, want, sizeof(want));
	T_EQ_MEM(k.skeyid_d, want, hl);
	t_unhex(v->a, want, sizeof(want));
	T_EQ_MEM(k.skeyid_a, want, hl);
	t_unhex(v->e, want, sizeof(want));
	T_EQ_MEM(k.skeyid_e, want, hl);
	v1_keys_wipe(&k);
}

static void test_skeyid_sig_and_skeyid_dae_match_nist_cavs_sha1(void)
{
	static const struct cavs_sig v = {
		OAKLEY_SHA1, "69a62284195f1680", "80c94ba25c8abda5",
		"8ba4cbc73c0187301dc19a975823854dbd641c597f637f8d053a83b9514673eb",
		"8c3bcd3a69831d7f", "d2d9a7ff4fbe95a7",
		"707197817fb2d90cf54d1842606bdea59b9f4823",
		"384be709a8a5e63c3ed160cfe3921c4b37d5b32d",
		"48b327575abe3adba0f279849e289022a13e2b47",
		"a4a415c8e0c38c0da847c356cc61c24df8025560",
	};
	check_cavs_sig(&v);
}

static void test_skeyid_sig_and_skeyid_dae_match_nist_cavs_sha256_with_256_byte_nonces(void)
{
	static const struct cavs_sig v = {
		OAKLEY_SHA256,
		"b1dee62505b47b223bae14ce7a5b757402ad1587511618d09f94950d47f1d8d4ce86aca12"
		"d78db9854d86019ad735757ae79d8932ac0c7db842c85060150ca875ea5d47e3cfcb2a059"
		"22ebb7959d49b9797a2289676ee79a1d9a18b790f87e4771ddaf4be3376057a553162f68f"
		"e429aca73b07234543801ba2122b1bde82251770d05df813cf556a11ca4dc43ffcb85a97d"
		"bed16e2fda6985e07e31be6364899e63c507c7c616e5eb7765a53560f76772de43918ba07"
		"badfe85244dcdcd917cb065afb60e3b7e68b54dd94bfc7c31c8b752892781ed3cc4b7f28f"
		"bc0ab9af908f5ae1f09f893f80100a7b3135993161b51fbba3bbb24b9f88c6147de82cd6f"
		"0",
		"f0acfef2ad1f7add0eaafda78c1cf1097d9fc91cb04a7c145069ac426fd164cbe661b1dd2"
		"df0fb84e19512181f0d8ea50b7860845f332757a8e56d2a3b7be436b5718a2d49baa996a4"
		"616684a208c2d611cd65e605dca6e3d3f116859b4410fe13679696bb2e23c08a40c7e1316"
		"d54b4c9c0286701c221151b3642cb4112ca1a53e0e597a7e29c634caed86ca3c31973d37b"
		"4c346134fd6784cd99913feedf3d29d89a0a02a5a750f02f5738109dcc670bb27701fb59f"
		"78e83b76860c3fec079a1fc8c937ddb58ae7500422b7e49ce63759c65b6bc439381d56bcc"
		"159edede894b073841036ebfa050a5b3e7c876a3f18def26b1768a263ac66c9d83b680eb5"
		"e",
		"a1ff3dc6cf9b4c04709943cb4ca1f1789bcf360b03f1d027de3ae8ee039e9155",
		"6c6beb72631ddc3d", "b84e24b22cffbd14",
		"750c5c94b9c2ec20b68033e024dadf0fa87e8b48c6561b21c72478451a06583d",
		"a4f7ca7de913814813e3312099e7c943bd293483f387532330237f1b20957310",
		"1d4b705746c43b0a6fcbb8db33983c0f24ff6f8b6543e3779fed227c6067f004",
		"03e6f16cd9ce9f64b5cdc5b34cca7163483ba5389a30afebef3d14640b0a815e",
	};
	check_cavs_sig(&v);
}

/* ---- App. B cipher key ------------------------------------------------------ */

/* SHA-1 SKEYID_e and the first 40 bytes of K1 | K2 (NSS ike-sha1 vector 11). */
#define APPB_SHA1_SKEYID_E "63e81194946ebd05df7df5ebf5d8750056bf1f1d"
#define APPB_SHA1_K1K2 "933347a07de5782247dd36d1562ffe0eecade1eb4134165257e3af1000af8ae3f165063828cbb60d"

static void test_enc_key_3des_with_sha1_expands_per_app_b(void)
{
	uint8_t e[20], want[40], got[24];
	t_unhex(APPB_SHA1_SKEYID_E, e, sizeof(e));
	t_unhex(APPB_SHA1_K1K2, want, sizeof(want));
	T_CHECK(v1_enc_key(crypto_prf_ikev1(OAKLEY_SHA1), e, got, 24) == 0);
	T_EQ_MEM(got, want, 24);
}

static void test_enc_key_aes256_with_sha1_expands_per_app_b(void)
{
	uint8_t e[20], want[40], got[32];
	t_unhex(APPB_SHA1_SKEYID_E, e, sizeof(e));
	t_unhex(APPB_SHA1_K1K2, want, sizeof(want));
	T_CHECK(v1_enc_key(crypto_prf_ikev1(OAKLEY_SHA1), e, got, 32) == 0);
	T_EQ_MEM(got, want, 32);
}

static void test_enc_key_is_skeyid_e_prefix_when_prf_is_long_enough(void)
{
	uint8_t e[32], got[32];
	t_unhex("5f00d1bd2c58ec224b1e6b71fa0f19a1faa7a193952c444411b47c1a9d8ba6fe", e, 32);
	T_CHECK(v1_enc_key(crypto_prf_ikev1(OAKLEY_SHA256), e, got, 32) == 0);
	T_EQ_MEM(got, e, 32);
	T_CHECK(v1_enc_key(crypto_prf_ikev1(OAKLEY_SHA1), e, got, 16) == 0);
	T_EQ_MEM(got, e, 16);
	T_CHECK(v1_enc_key(crypto_prf_ikev1(OAKLEY_SHA1), e, got, 8) == 0); /* DES */
	T_EQ_MEM(got, e, 8);
}

/* v1_keys_derive picks the key length from the negotiated cipher. */
static void test_keys_derive_sizes_the_cipher_key_from_the_negotiated_encr(void)
{
	static const struct { uint16_t hash, encr, bits; size_t key, block; } cases[] = {
		{ OAKLEY_SHA1, OAKLEY_3DES, 0, 24, 8 },
		{ OAKLEY_SHA1, OAKLEY_AES, 128, 16, 16 },
		{ OAKLEY_SHA1, OAKLEY_AES, 192, 24, 16 },
		{ OAKLEY_SHA1, OAKLEY_AES, 256, 32, 16 },
		{ OAKLEY_SHA256, OAKLEY_AES, 256, 32, 16 },
		{ OAKLEY_SHA1, OAKLEY_DES, 0, 8, 8 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct v1_keys k;
		uint8_t want[64], k1[64];
		T_CHECK(setup_keys(&k, cases[i].hash, cases[i].encr, cases[i].bits) == 0);
		T_EQ_INT(k.encr->key_len, cases[i].key);
		T_EQ_INT(k.block, cases[i].block);
		const EVP_MD *md = cases[i].hash == OAKLEY_SHA1 ? EVP_sha1() : EVP_sha256();
		size_t hl = k.prf_len;
		if (cases[i].key <= hl) {
			memcpy(want, k.skeyid_e, cases[i].key);
		} else {
			/* K1 = prf(SKEYID_e, 0x00), K2 = prf(SKEYID_e, K1) */
			uint8_t zero = 0;
			ref_hmac(md, k.skeyid_e, hl, &zero, 1, k1);
			ref_hmac(md, k.skeyid_e, hl, k1, hl, k1 + hl);
			memcpy(want, k1, cases[i].key);
		}
		T_EQ_MEM(k.enc_key, want, cases[i].key);
		v1_keys_wipe(&k);
	}
}

/* ---- KEYMAT ----------------------------------------------------------------- */

/* KEYMAT for AES-256 + HMAC-SHA1 (32 + 20 bytes) needs K1 | K2 | K3. */
static void check_keymat(const uint8_t *gqm, size_t gqm_len)
{
	struct v1_keys k;
	uint8_t ni[16], nr[32], got[52], want[60];
	T_CHECK(setup_keys(&k, OAKLEY_SHA1, OAKLEY_AES, 256) == 0);
	fill(ni, sizeof(ni), 40);
	fill(nr, sizeof(nr), 41);
	uint32_t spi = 0xc0ffee01;
	T_CHECK(v1_keymat(&k, gqm, gqm_len, PROTO_ESP, spi, ni, sizeof(ni), nr, sizeof(nr), got,
			  sizeof(got)) == 0);
	struct cat c;
	for (int n = 0; n < 3; n++) {
		c.n = 0;
		if (n > 0)
			cat_put(&c, want + 20 * (n - 1), 20);   /* Kn-1 */
		if (gqm)
			cat_put(&c, gqm, gqm_len);
		uint8_t proto = PROTO_ESP;
		cat_put(&c, &proto, 1);
		cat_be32(&c, spi);
		cat_put(&c, ni, sizeof(ni));
		cat_put(&c, nr, sizeof(nr));
		ref_hmac(EVP_sha1(), k.skeyid_d, 20, c.b, c.n, want + 20 * n);
	}
	T_EQ_MEM(got, want, sizeof(got));
	v1_keys_wipe(&k);
}

static void test_keymat_aes256_sha1_chains_three_prf_blocks(void)
{
	check_keymat(NULL, 0);
}

static void test_keymat_with_pfs_puts_gqm_before_protocol(void)
{
	uint8_t gqm[256];
	fill(gqm, sizeof(gqm), 77);
	check_keymat(gqm, sizeof(gqm));
}

static void test_keymat_differs_per_spi(void)
{
	struct v1_keys k;
	uint8_t ni[16], nr[16], a[20], b[20];
	T_CHECK(setup_keys(&k, OAKLEY_SHA1, OAKLEY_3DES, 0) == 0);
	fill(ni, 16, 1);
	fill(nr, 16, 2);
	T_CHECK(v1_keymat(&k, NULL, 0, PROTO_ESP, 1, ni, 16, nr, 16, a, 20) == 0);
	T_CHECK(v1_keymat(&k, NULL, 0, PROTO_ESP, 2, ni, 16, nr, 16, b, 20) == 0);
	T_CHECK(memcmp(a, b, 20) != 0);
	v1_keys_wipe(&k);
}

/* ---- phase-1 and message hashes --------------------------------------------- */

static void test_hash_i_and_hash_r_follow_their_argument_order(void)
{
	struct v1_keys k;
	uint8_t gxi[128], gxr[128], sai[60], idii[12], idir[12];
	uint8_t hi[20], hr[20], want[20], swapped[20];
	T_CHECK(setup_keys(&k, OAKLEY_SHA1, OAKLEY_AES, 128) == 0);
	fill(gxi, sizeof(gxi), 5);
	fill(gxr, sizeof(gxr), 6);
	fill(sai, sizeof(sai), 7);
	fill(idii, sizeof(idii), 8);
	fill(idir, sizeof(idir), 9);
	T_CHECK(v1_hash_phase1(&k, true, gxi, 128, gxr, 128, CKY_I, CKY_R, sai, sizeof(sai), idii,
			       sizeof(idii), hi) == 0);
	T_CHECK(v1_hash_phase1(&k, false, gxi, 128, gxr, 128, CKY_I, CKY_R, sai, sizeof(sai), idir,
			       sizeof(idir), hr) == 0);
	/* HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b) */
	struct cat c = { .n = 0 };
	cat_put(&c, gxi, 128), cat_put(&c, gxr, 128), cat_be64(&c, CKY_I), cat_be64(&c, CKY_R);
	cat_put(&c, sai, sizeof(sai)), cat_put(&c, idii, sizeof(idii));
	ref_hmac(EVP_sha1(), k.skeyid, 20, c.b, c.n, want);
	T_EQ_MEM(hi, want, 20);
	/* HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b) */
	c.n = 0;
	cat_put(&c, gxr, 128), cat_put(&c, gxi, 128), cat_be64(&c, CKY_R), cat_be64(&c, CKY_I);
	cat_put(&c, sai, sizeof(sai)), cat_put(&c, idir, sizeof(idir));
	ref_hmac(EVP_sha1(), k.skeyid, 20, c.b, c.n, want);
	T_EQ_MEM(hr, want, 20);
	/* The role flag matters even with identical ID payloads. */
	T_CHECK(v1_hash_phase1(&k, false, gxi, 128, gxr, 128, CKY_I, CKY_R, sai, sizeof(sai), idii,
			       sizeof(idii), swapped) == 0);
	T_CHECK(memcmp(swapped, hi, 20) != 0);
	/* Swapping the g^x arguments changes HASH_I. */
	T_CHECK(v1_hash_phase1(&k, true, gxr, 128, gxi, 128, CKY_I, CKY_R, sai, sizeof(sai), idii,
			       sizeof(idii), swapped) == 0);
	T_CHECK(memcmp(swapped, hi, 20) != 0);
	v1_keys_wipe(&k);
}

static void test_hash_msg_quick_mode_hashes_match_rfc_2409_5_5(void)
{
	struct v1_keys k;
	uint8_t ni[16], nr[16], rest[40], got[32], want[32];
	T_CHECK(setup_keys(&k, OAKLEY_SHA256, OAKLEY_AES, 256) == 0);
	fill(ni, 16, 1), fill(nr, 16, 2), fill(rest, 40, 3);
	uint32_t mid = 0x9a0b1c2d;
	/* HASH(1) = prf(SKEYID_a, M-ID | rest) */
	struct cat c = { .n = 0 };
	cat_be32(&c, mid), cat_put(&c, rest, 40);
	ref_hmac(EVP_sha256(), k.skeyid_a, 32, c.b, c.n, want);
	T_CHECK(v1_hash_msg(&k, false, mid, rest, 40, NULL, 0, NULL, 0, got) == 0);
	T_EQ_MEM(got, want, 32);
	/* HASH(2) = prf(SKEYID_a, M-ID | Ni_b | rest) */
	c.n = 0;
	cat_be32(&c, mid), cat_put(&c, ni, 16), cat_put(&c, rest, 40);
	ref_hmac(EVP_sha256(), k.skeyid_a, 32, c.b, c.n, want);
	T_CHECK(v1_hash_msg(&k, false, mid, ni, 16, rest, 40, NULL, 0, got) == 0);
	T_EQ_MEM(got, want, 32);
	/* HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b) */
	c.n = 0;
	uint8_t zero = 0;
	cat_put(&c, &zero, 1), cat_be32(&c, mid), cat_put(&c, ni, 16), cat_put(&c, nr, 16);
	ref_hmac(EVP_sha256(), k.skeyid_a, 32, c.b, c.n, want);
	T_CHECK(v1_hash_msg(&k, true, mid, ni, 16, nr, 16, NULL, 0, got) == 0);
	T_EQ_MEM(got, want, 32);
	v1_keys_wipe(&k);
}

/* ---- IVs -------------------------------------------------------------------- */

static void test_iv_phase1_is_hash_of_gxi_gxr_truncated_to_the_block(void)
{
	struct v1_keys k;
	uint8_t gxi[128], gxr[128], h[20];
	fill(gxi, 128, 11), fill(gxr, 128, 12);
	struct cat c = { .n = 0 };
	cat_put(&c, gxi, 128), cat_put(&c, gxr, 128);
	ref_digest(EVP_sha1(), c.b, c.n, h);
	T_CHECK(setup_keys(&k, OAKLEY_SHA1, OAKLEY_3DES, 0) == 0);
	T_CHECK(v1_iv_phase1(&k, gxi, 128, gxr, 128) == 0);
	T_EQ_MEM(k.iv, h, 8);
	T_CHECK(setup_keys(&k, OAKLEY_SHA1, OAKLEY_AES, 128) == 0);
	T_CHECK(v1_iv_phase1(&k, gxi, 128, gxr, 128) == 0);
	T_EQ_MEM(k.iv, h, 16);
	v1_keys_wipe(&k);
}

static void test_iv_msgid_hashes_last_phase1_block_and_message_id(void)
{
	struct v1_keys k;
	uint8_t gxi[128], gxr[128], h[32], iv[16], iv2[16], before[16];
	fill(gxi, 128, 11), fill(gxr, 128, 12);
	T_CHECK(setup_keys(&k, OAKLEY_SHA256, OAKLEY_AES, 256) == 0);
	T_CHECK(v1_iv_phase1(&k, gxi, 128, gxr, 128) == 0);
	memcpy(before, k.iv, 16);
	uint32_t mid = 0xdeadbeef;
	T_CHECK(v1_iv_msgid(&k, mid, iv) == 0);
	struct cat c = { .n = 0 };
	cat_put(&c, k.iv, 16), cat_be32(&c, mid);
	ref_digest(EVP_sha256(), c.b, c.n, h);
	T_EQ_MEM(iv, h, 16);
	T_EQ_MEM(k.iv, before, 16);            /* the phase-1 chain is untouched */
	T_CHECK(v1_iv_msgid(&k, mid + 1, iv2) == 0);
	T_CHECK(memcmp(iv, iv2, 16) != 0);
	v1_keys_wipe(&k);
}

/* ---- CBC ------------------------------------------------------------------- */

/* Independent AES-256-CBC without padding. */
static void ref_aes256_cbc(const uint8_t *key, const uint8_t *iv, const uint8_t *in,
			   uint8_t *out, size_t len)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0, f = 0;
	T_CHECK(ctx && EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, iv) == 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	T_CHECK(EVP_EncryptUpdate(ctx, out, &n, in, (int)len) == 1);
	T_CHECK(EVP_EncryptFinal_ex(ctx, out + n, &f) == 1);
	T_EQ_INT(n + f, len);
	EVP_CIPHER_CTX_free(ctx);
}

static void test_encrypt_decrypt_round_trip_restores_the_message(void)
{
	struct v1_keys k;
	T_CHECK(setup_keys(&k, OAKLEY_SHA1, OAKLEY_AES, 256) == 0);
	uint8_t gxi[128], gxr[128];
	fill(gxi, sizeof(gxi), 9);
	fill(gxr, sizeof(gxr), 10);
	T_CHECK(v1_iv_phase1(&k, gxi, sizeof(gxi), gxr, sizeof(gxr)) == 0);
	uint8_t msg[64], plain[64], iv_e[16], iv_d[16];
	fill(plain, sizeof(plain), 42);
	memcpy(msg, plain, sizeof(msg));
	memcpy(iv_e, k.iv, 16);
	memcpy(iv_d, k.iv, 16);
	T_CHECK(v1_encrypt(&k, iv_e, msg, sizeof(msg)) == 0);
	T_CHECK(memcmp(msg, plain, sizeof(msg)) != 0);
	T_CHECK(v1_decrypt(&k, iv_d, msg, sizeof(msg)) == 0);
	T_EQ_MEM(msg, plain, sizeof(msg));
	T_EQ_MEM(iv_e, iv_d, 16);
	v1_keys_wipe(&k);
}

static void test_cbc_chains_the_iv_across_two_messages(void)
{
	struct v1_keys k;
	uint8_t iv0[16], iv[16], div[16], m1[48], m2[32], p1[48], p2[32], want[48];
	T_CHECK(setup_keys(&k, OAKLEY_SHA1, OAKLEY_AES, 256) == 0);
	fill(iv0, 16, 99);
	fill(p1, 48, 1), fill(p2, 32, 2);
	memcpy(m1, p1, 48), memcpy(m2, p2, 32);
	memcpy(iv, iv0, 16);
	T_CHECK(v1_encrypt(&k, iv, m1, 48) == 0);
	ref_aes256_cbc(k.enc_key, iv0, p1, want, 48);
	T_EQ_MEM(m1, want, 48);
	T_EQ_MEM(iv, m1 + 32, 16);              /* next IV = last cipher block */
	T_CHECK(v1_encrypt(&k, iv, m2, 32) == 0);
	ref_aes256_cbc(k.enc_key, m1 + 32, p2, want, 32);
	T_EQ_MEM(m2, want, 32);
	T_EQ_MEM(iv, m2 + 16, 16);
	/* The receiver follows the same chain. */
	memcpy(div, iv0, 16);
	T_CHECK(v1_decrypt(&k, div, m1, 48) == 0);
	T_EQ_MEM(m1, p1, 48);
	T_CHECK(v1_decrypt(&k, div, m2, 32) == 0);
	T_EQ_MEM(m2, p2, 32);
	T_EQ_MEM(div, iv, 16);
	v1_keys_wipe(&k);
}

static void test_cbc_3des_and_des_round_trip(void)
{
	struct v1_keys k;
	uint8_t iv[8], div[8], m[24], p[24];
	T_CHECK(setup_keys(&k, OAKLEY_SHA1, OAKLEY_3DES, 0) == 0);
	fill(iv, 8, 3), memcpy(div, iv, 8), fill(p, 24, 4), memcpy(m, p, 24);
	T_CHECK(v1_encrypt(&k, iv, m, 24) == 0);
	T_CHECK(memcmp(m, p, 24) != 0);
	T_CHECK(v1_decrypt(&k, div, m, 24) == 0);
	T_EQ_MEM(m, p, 24);
	/* DES needs the legacy provider, which ravpn loads when configured. */
	T_CHECK(crypto_enable_legacy() == 0);
	T_CHECK(setup_keys(&k, OAKLEY_SHA1, OAKLEY_DES, 0) == 0);
	fill(iv, 8, 3), memcpy(div, iv, 8), memcpy(m, p, 24);
	T_CHECK(v1_encrypt(&k, iv, m, 24) == 0);
	T_CHECK(memcmp(m, p, 24) != 0);
	T_CHECK(v1_decrypt(&k, div, m, 24) == 0);
	T_EQ_MEM(m, p, 24);
	v1_keys_wipe(&k);
}

static void test_cbc_rejects_lengths_that_are_not_a_block_multiple(void)
{
	struct v1_keys k;
	uint8_t iv[16] = { 0 }, ivc[16], m[40] = { 0 };
	T_CHECK(setup_keys(&k, OAKLEY_SHA1, OAKLEY_AES, 128) == 0);
	memcpy(ivc, iv, 16);
	T_EQ_INT(v1_encrypt(&k, iv, m, 40), -1);
	T_EQ_INT(v1_decrypt(&k, iv, m, 40), -1);
	T_EQ_INT(v1_encrypt(&k, iv, m, 8), -1);
	T_EQ_INT(v1_decrypt(&k, iv, m, 8), -1);
	T_EQ_INT(v1_encrypt(&k, iv, m, 0), -1);
	T_EQ_INT(v1_decrypt(&k, iv, m, 0), -1);
	T_EQ_MEM(iv, ivc, 16);                  /* a failure leaves the chain alone */
	T_CHECK(setup_keys(&k, OAKLEY_SHA1, OAKLEY_3DES, 0) == 0);
	T_EQ_INT(v1_decrypt(&k, iv, m, 12), -1);
	T_EQ_INT(v1_encrypt(&k, iv, m, 8), 0);  /* one 3DES block is fine */
	v1_keys_wipe(&k);
}

/* ---- bad suites and inputs --------------------------------------------------- */

static void test_derive_rejects_aead_missing_suite_and_hash_mismatch(void)
{
	struct v1_keys k;
	uint8_t gxy[32] = { 1 };
	memset(&k, 0, sizeof(k));
	T_EQ_INT(v1_keys_derive(&k, gxy, 32, 1, 2), -1);               /* nothing set */
	T_CHECK(set_suite(&k, OAKLEY_SHA1, OAKLEY_AES, 128) == 0);
	k.encr = crypto_encr_ikev2(20, 256);                           /* AES-GCM: not IKEv1 */
	T_CHECK(k.encr != NULL);
	T_EQ_INT(v1_keys_derive(&k, gxy, 32, 1, 2), -1);
	T_CHECK(set_suite(&k, OAKLEY_SHA1, OAKLEY_AES, 128) == 0);
	k.hash = HASH_SHA256;                                          /* prf is SHA-1 */
	T_EQ_INT(v1_keys_derive(&k, gxy, 32, 1, 2), -1);
	T_CHECK(set_suite(&k, OAKLEY_SHA1, OAKLEY_AES, 128) == 0);
	T_EQ_INT(v1_keys_derive(&k, NULL, 0, 1, 2), -1);               /* no g^xy */
	enum crypto_hash h;
	T_EQ_INT(v1_hash_from_attr(3, &h), -1);                        /* Tiger */
	T_EQ_INT(v1_hash_from_attr(0, &h), -1);
	T_EQ_INT(v1_hash_from_attr(1, &h), 0);
	T_EQ_INT(h, HASH_MD5);
	T_EQ_INT(v1_hash_from_attr(6, &h), 0);
	T_EQ_INT(h, HASH_SHA512);
}

static void test_oversized_nonces_and_key_lengths_are_rejected(void)
{
	struct v1_keys k;
	static uint8_t big[300], out[64];
	T_CHECK(setup_keys(&k, OAKLEY_SHA1, OAKLEY_AES, 128) == 0);
	T_EQ_INT(v1_skeyid_sig(k.prf, big, 257, big, 16, big, 32, out), -1);
	T_EQ_INT(v1_keymat(&k, NULL, 0, PROTO_ESP, 1, big, 257, big, 16, out, 20), -1);
	T_EQ_INT(v1_enc_key(k.prf, k.skeyid_e, out, CRYPTO_MAX_KEY + 1), -1);
	T_EQ_INT(v1_enc_key(k.prf, k.skeyid_e, out, 0), -1);
	v1_keys_wipe(&k);
}

/* ---- NAT-D ----------------------------------------------------------------- */

static void test_natd_hashes_cookies_address_and_port(void)
{
	uint8_t got[32], want[32];
	uint32_t addr = htonl(0xc0a80a01);     /* 192.168.10.1 */
	uint16_t port = htons(4500);
	static const uint8_t cat[] = {
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,   /* CKY-I */
		0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,   /* CKY-R */
		0xc0, 0xa8, 0x0a, 0x01,                           /* IPv4 */
		0x11, 0x94,                                       /* 4500 */
	};
	T_CHECK(v1_natd(HASH_SHA1, CKY_I, CKY_R, addr, port, got) == 0);
	ref_digest(EVP_sha1(), cat, sizeof(cat), want);
	T_EQ_MEM(got, want, 20);
	T_CHECK(v1_natd(HASH_SHA256, CKY_I, CKY_R, addr, port, got) == 0);
	ref_digest(EVP_sha256(), cat, sizeof(cat), want);
	T_EQ_MEM(got, want, 32);
	/* A different port gives a different hash (NAT detection works on it). */
	T_CHECK(v1_natd(HASH_SHA1, CKY_I, CKY_R, addr, htons(500), got) == 0);
	T_CHECK(memcmp(got, want, 20) != 0);
}

/* ---- both ends of a Main Mode exchange ------------------------------------- */

/* Initiator and responder, each with its own DH key, derive the same keys;
 * HASH_I computed by one verifies at the other, and a message encrypted by
 * one decrypts at the other. */
static void test_initiator_and_responder_derive_equal_keys_and_verify_hashes(void)
{
	const struct crypto_dh_group *g = crypto_dh_group(14);
	struct crypto_dh *dhi = crypto_dh_new(g), *dhr = crypto_dh_new(g);
	static uint8_t gxi[512], gxr[512], sxi[512], sxr[512];
	size_t li = 0, lr = 0;
	uint8_t ni[20], nr[20], sai[52], idii[12], idir[12];
	static const uint8_t psk[] = "s3cr3t-group-key";
	struct v1_keys ki, kr;
	T_CHECK(g && dhi && dhr);
	if (!g || !dhi || !dhr)
		goto out;
	T_CHECK(crypto_dh_public(dhi, gxi) == 0 && crypto_dh_public(dhr, gxr) == 0);
	T_CHECK(crypto_dh_shared(dhi, gxr, g->pub_len, sxi, &li) == 0);
	T_CHECK(crypto_dh_shared(dhr, gxi, g->pub_len, sxr, &lr) == 0);
	T_CHECK(crypto_random(ni, 20) == 0 && crypto_random(nr, 20) == 0);
	fill(sai, sizeof(sai), 1), fill(idii, 12, 2), fill(idir, 12, 3);
	uint64_t ci = 0xa1a2a3a4a5a6a7a8ull, cr = 0xb1b2b3b4b5b6b7b8ull;
	struct v1_keys *ks[2] = { &ki, &kr };
	const uint8_t *shared[2] = { sxi, sxr };
	size_t slen[2] = { li, lr };
	for (int s = 0; s < 2; s++) {
		T_CHECK(set_suite(ks[s], OAKLEY_SHA1, OAKLEY_3DES, 0) == 0);
		T_CHECK(v1_skeyid_psk(ks[s]->prf, psk, sizeof(psk) - 1, ni, 20, nr, 20,
				      ks[s]->skeyid) == 0);
		T_CHECK(v1_keys_derive(ks[s], shared[s], slen[s], ci, cr) == 0);
		T_CHECK(v1_iv_phase1(ks[s], gxi, g->pub_len, gxr, g->pub_len) == 0);
	}
	T_EQ_MEM(ki.skeyid_d, kr.skeyid_d, 20);
	T_EQ_MEM(ki.skeyid_a, kr.skeyid_a, 20);
	T_EQ_MEM(ki.enc_key, kr.enc_key, 24);
	T_EQ_MEM(ki.iv, kr.iv, 8);
	uint8_t hi_sent[20], hi_expect[20], hr_sent[20], hr_expect[20];
	T_CHECK(v1_hash_phase1(&ki, true, gxi, g->pub_len, gxr, g->pub_len, ci, cr, sai,
			       sizeof(sai), idii, 12, hi_sent) == 0);
	T_CHECK(v1_hash_phase1(&kr, true, gxi, g->pub_len, gxr, g->pub_len, ci, cr, sai,
			       sizeof(sai), idii, 12, hi_expect) == 0);
	T_EQ_MEM(hi_sent, hi_expect, 20);
	T_CHECK(v1_hash_phase1(&kr, false, gxi, g->pub_len, gxr, g->pub_len, ci, cr, sai,
			       sizeof(sai), idir, 12, hr_sent) == 0);
	T_CHECK(v1_hash_phase1(&ki, false, gxi, g->pub_len, gxr, g->pub_len, ci, cr, sai,
			       sizeof(sai), idir, 12, hr_expect) == 0);
	T_EQ_MEM(hr_sent, hr_expect, 20);
	/* MM5 from the initiator decrypts at the responder; both chains advance
	 * to the same block. */
	uint8_t mm5[32], plain[32];
	fill(plain, 32, 50);
	memcpy(mm5, plain, 32);
	T_CHECK(v1_encrypt(&ki, ki.iv, mm5, 32) == 0);
	T_CHECK(v1_decrypt(&kr, kr.iv, mm5, 32) == 0);
	T_EQ_MEM(mm5, plain, 32);
	T_EQ_MEM(ki.iv, kr.iv, 8);
	/* A different PSK at the responder yields a HASH_I that does not verify. */
	struct v1_keys kx;
	T_CHECK(set_suite(&kx, OAKLEY_SHA1, OAKLEY_3DES, 0) == 0);
	T_CHECK(v1_skeyid_psk(kx.prf, (const uint8_t *)"wrong", 5, ni, 20, nr, 20, kx.skeyid) == 0);
	T_CHECK(v1_keys_derive(&kx, sxr, lr, ci, cr) == 0);
	T_CHECK(v1_hash_phase1(&kx, true, gxi, g->pub_len, gxr, g->pub_len, ci, cr, sai,
			       sizeof(sai), idii, 12, hi_expect) == 0);
	T_CHECK(memcmp(hi_sent, hi_expect, 20) != 0);
	v1_keys_wipe(&ki), v1_keys_wipe(&kr), v1_keys_wipe(&kx);
out:
	crypto_dh_free(dhi);
	crypto_dh_free(dhr);
}

int main(void)
{
	if (crypto_init() < 0)
		return 1;
	T_RUN(test_skeyid_psk_matches_nist_cavs_sha1_and_sha256);
	T_RUN(test_skeyid_sig_and_skeyid_dae_match_nist_cavs_sha1);
	T_RUN(test_skeyid_sig_and_skeyid_dae_match_nist_cavs_sha256_with_256_byte_nonces);
	T_RUN(test_enc_key_3des_with_sha1_expands_per_app_b);
	T_RUN(test_enc_key_aes256_with_sha1_expands_per_app_b);
	T_RUN(test_enc_key_is_skeyid_e_prefix_when_prf_is_long_enough);
	T_RUN(test_keys_derive_sizes_the_cipher_key_from_the_negotiated_encr);
	T_RUN(test_keymat_aes256_sha1_chains_three_prf_blocks);
	T_RUN(test_keymat_with_pfs_puts_gqm_before_protocol);
	T_RUN(test_keymat_differs_per_spi);
	T_RUN(test_hash_i_and_hash_r_follow_their_argument_order);
	T_RUN(test_hash_msg_quick_mode_hashes_match_rfc_2409_5_5);
	T_RUN(test_iv_phase1_is_hash_of_gxi_gxr_truncated_to_the_block);
	T_RUN(test_iv_msgid_hashes_last_phase1_block_and_message_id);
	T_RUN(test_encrypt_decrypt_round_trip_restores_the_message);
	T_RUN(test_cbc_chains_the_iv_across_two_messages);
	T_RUN(test_cbc_3des_and_des_round_trip);
	T_RUN(test_cbc_rejects_lengths_that_are_not_a_block_multiple);
	T_RUN(test_derive_rejects_aead_missing_suite_and_hash_mismatch);
	T_RUN(test_oversized_nonces_and_key_lengths_are_rejected);
	T_RUN(test_natd_hashes_cookies_address_and_port);
	T_RUN(test_initiator_and_responder_derive_equal_keys_and_verify_hashes);
	T_DONE();
}
