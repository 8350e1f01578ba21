/* Known-answer tests of the symmetric half of the crypto layer: registry,
 * HMAC, integrity, prf/prf+, hashes, CBC and AEAD ciphers, DES-7. */
#include "../t.h"

#include "crypto/crypto.h"

#include <stdbool.h>

static uint8_t buf_a[512], buf_b[512], buf_c[512], buf_d[512];

#define HEX(s, b) t_unhex((s), (b), sizeof(b))

static void init_is_idempotent(void)
{
	T_EQ_INT(crypto_init(), 0);
	T_EQ_INT(crypto_init(), 0);
}

/* ---- registry ----------------------------------------------------------- */
static void registry_maps_ikev2_transform_ids(void)
{
	const struct crypto_encr *e = crypto_encr_ikev2(12, 256);
	T_CHECK(e != NULL);
	if (e) {
		T_EQ_STR(e->name, "AES-CBC");
		T_EQ_INT(e->key_len, 32);
		T_EQ_INT(e->block_len, 16);
		T_EQ_INT(e->iv_len, 16);
		T_EQ_INT(e->ikev1_id, 7);
		T_CHECK(!e->aead && e->keylen_attr);
	}
	T_CHECK(crypto_encr_ikev2(12, 0) == NULL);     /* AES needs a key length */
	T_CHECK(crypto_encr_ikev2(12, 100) == NULL);
	const struct crypto_encr *g = crypto_encr_ikev2(20, 128);
	T_CHECK(g != NULL);
	if (g) {
		T_EQ_STR(g->name, "AES-GCM-16");
		T_EQ_INT(g->key_len, 20);
		T_EQ_INT(g->salt_len, 4);
		T_EQ_INT(g->iv_len, 8);
		T_EQ_INT(g->icv_len, 16);
		T_EQ_INT(g->block_len, 4);
		T_CHECK(g->aead);
	}
	const struct crypto_encr *g8 = crypto_encr_ikev2(18, 256);
	T_CHECK(g8 && g8->icv_len == 8 && g8->key_len == 36);
	const struct crypto_encr *d3 = crypto_encr_ikev2(3, 0);
	T_CHECK(d3 && d3->key_len == 24 && d3->block_len == 8 && !d3->legacy);
	const struct crypto_encr *des = crypto_encr_ikev2(2, 0);
	T_CHECK(des && des->legacy);
	const struct crypto_encr *nul = crypto_encr_ikev2(11, 0);
	T_CHECK(nul && nul->key_len == 0 && nul->iv_len == 0 && nul->block_len == 4);
	T_CHECK(crypto_encr_ikev2(0, 0) == NULL);
	T_CHECK(crypto_encr_ikev2(13, 128) == NULL);    /* AES-CTR: not offered */
}

static void registry_maps_ikev1_and_names(void)
{
	const struct crypto_encr *a = crypto_encr_ikev1(7, 128);
	T_CHECK(a && a->ikev2_id == 12 && a->key_len == 16);
	T_CHECK(crypto_encr_ikev1(5, 0) == crypto_encr_ikev2(3, 0));
	T_CHECK(crypto_encr_ikev1(1, 0) == crypto_encr_ikev2(2, 0));
	T_CHECK(crypto_encr_ikev1(0, 0) == NULL);   /* vpnc's "null" phase-1 cipher */
	T_CHECK(crypto_encr_ikev1_esp(12, 192) == crypto_encr_ikev2(12, 192));
	T_CHECK(crypto_encr_ikev1_esp(11, 0) == crypto_encr_ikev2(11, 0));
	T_CHECK(crypto_encr_ikev1_esp(3, 0) == crypto_encr_ikev2(3, 0));
	T_CHECK(crypto_encr_by_name("aes-gcm-16", 256) == crypto_encr_ikev2(20, 256));
	T_CHECK(crypto_encr_by_name("3DES", 0) == crypto_encr_ikev2(3, 0));
	T_CHECK(crypto_encr_by_name("bogus", 0) == NULL);

	const struct crypto_integ *i = crypto_integ_ikev2(2);
	T_CHECK(i && i->icv_len == 12 && i->key_len == 20);
	if (i)
		T_EQ_STR(i->cisco_name, "SHA96");
	T_CHECK(crypto_integ_ikev1_esp(5) == crypto_integ_ikev2(12));
	T_CHECK(crypto_integ_ikev1_esp(1) == crypto_integ_ikev2(1));
	const struct crypto_integ *s5 = crypto_integ_ikev2(14);
	T_CHECK(s5 && s5->icv_len == 32 && s5->key_len == 64);

	T_CHECK(crypto_prf_ikev1(4) == crypto_prf_ikev2(5));
	T_CHECK(crypto_prf_ikev1(2) == crypto_prf_ikev2(2));
	const struct crypto_prf *p = crypto_prf_ikev2(7);
	T_CHECK(p && p->out_len == 64);
	T_CHECK(crypto_prf_ikev2(4) == NULL);    /* AES128-XCBC: not offered */

	size_t n = 0;
	while (crypto_encr_at(n))
		n++;
	T_EQ_INT(n, 16);
	n = 0;
	while (crypto_integ_at(n))
		n++;
	T_EQ_INT(n, 5);
	n = 0;
	while (crypto_prf_at(n))
		n++;
	T_EQ_INT(n, 5);
}

/* ---- HMAC --------------------------------------------------------------- */
struct hmac_case {
	int key_byte;         /* -1: key given in hex */
	size_t key_n;
	const char *key_hex;
	const char *data;     /* text, or NULL for data_byte * data_n */
	int data_byte;
	size_t data_n;
	enum crypto_hash h;
	const char *mac;
};

static const struct hmac_case hmac_cases[] = {
	/* RFC 4231 §4.2 test case 1 */
	{ 0x0b, 20, NULL, "Hi There", 0, 0, HASH_SHA256,
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ 0x0b, 20, NULL, "Hi There", 0, 0, HASH_SHA384,
	  "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
	  "faea9ea9076ede7f4af152e8b2fa9cb6" },
	{ 0x0b, 20, NULL, "Hi There", 0, 0, HASH_SHA512,
	  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
	/* test case 2 */
	{ -1, 0, "4a656665", "what do ya want for nothing?", 0, 0, HASH_SHA256,
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ -1, 0, "4a656665", "what do ya want for nothing?", 0, 0, HASH_SHA384,
	  "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
	  "8e2240ca5e69e2c78b3239ecfab21649" },
	{ -1, 0, "4a656665", "what do ya want for nothing?", 0, 0, HASH_SHA512,
	  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
	/* test case 3 */
	{ 0xaa, 20, NULL, NULL, 0xdd, 50, HASH_SHA256,
	  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
	{ 0xaa, 20, NULL, NULL, 0xdd, 50, HASH_SHA384,
	  "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
	  "2a5ab39dc13814b94e3ab6e101a34f27" },
	{ 0xaa, 20, NULL, NULL, 0xdd, 50, HASH_SHA512,
	  "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
	  "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb" },
	/* test case 4 */
	{ -1, 0, "0102030405060708090a0b0c0d0e0f10111213141516171819", NULL, 0xcd, 50,
	  HASH_SHA256, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
	{ -1, 0, "0102030405060708090a0b0c0d0e0f10111213141516171819", NULL, 0xcd, 50,
	  HASH_SHA384, "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
		       "6801dd23c4a7d679ccf8a386c674cffb" },
	{ -1, 0, "0102030405060708090a0b0c0d0e0f10111213141516171819", NULL, 0xcd, 50,
	  HASH_SHA512, "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
		       "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd" },
	/* test case 6: key longer than the block */
	{ 0xaa, 131, NULL, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
	  HASH_SHA256, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
	{ 0xaa, 131, NULL, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
	  HASH_SHA384, "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
		       "0c2ef6ab4030fe8296248df163f44952" },
	{ 0xaa, 131, NULL, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
	  HASH_SHA512, "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
		       "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
	/* test case 7: key and data longer than the block */
	{ 0xaa, 131, NULL,
	  "This is a test using a larger than block-size key and a larger than block-size "
	  "data. The key needs to be hashed before being used by the HMAC algorithm.", 0, 0,
	  HASH_SHA256, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
	{ 0xaa, 131, NULL,
	  "This is a test using a larger than block-size key and a larger than block-size "
	  "data. The key needs to be hashed before being used by the HMAC algorithm.", 0, 0,
	  HASH_SHA384, "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
		       "a678cc31e799176d3860e6110c46523e" },
	{ 0xaa, 131, NULL,
	  "This is a test using a larger than block-size key and a larger than block-size "
	  "data. The key needs to be hashed before being used by the HMAC algorithm.", 0, 0,
	  HASH_SHA512, "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
		       "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58" },
	/* RFC 2202 §3 HMAC-SHA-1, test cases 1, 2, 3, 6, 7 */
	{ 0x0b, 20, NULL, "Hi There", 0, 0, HASH_SHA1, "b617318655057264e28bc0b6fb378c8ef146be00" },
	{ -1, 0, "4a656665", "what do ya want for nothing?", 0, 0, HASH_SHA1,
	  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
	{ 0xaa, 20, NULL, NULL, 0xdd, 50, HASH_SHA1, "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
	{ 0xaa, 80, NULL, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0, HASH_SHA1,
	  "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
	{ 0xaa, 80, NULL, "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
	  0, 0, HASH_SHA1, "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },
	/* RFC 2202 §2 HMAC-MD5, test cases 1, 2, 3, 6 */
	{ 0x0b, 16, NULL, "Hi There", 0, 0, HASH_MD5, "9294727a3638bb1c13f48ef8158bfc9d" },
	{ -1, 0, "4a656665", "what do ya want for nothing?", 0, 0, HASH_MD5,
	  "750c783e6ab0b503eaa86e310a5db738" },
	{ 0xaa, 16, NULL, NULL, 0xdd, 50, HASH_MD5, "56be34521d144c88dbb8c733f0e8b3f6" },
	{ 0xaa, 80, NULL, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0, HASH_MD5,
	  "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd" },
};

static size_t hmac_case_key(const struct hmac_case *c, uint8_t *key)
{
	if (c->key_byte < 0)
		return t_unhex(c->key_hex, key, 200);
	memset(key, c->key_byte, c->key_n);
	return c->key_n;
}

static size_t hmac_case_data(const struct hmac_case *c, uint8_t *data)
{
	if (c->data) {
		memcpy(data, c->data, strlen(c->data));
		return strlen(c->data);
	}
	memset(data, c->data_byte, c->data_n);
	return c->data_n;
}

static void hmac_matches_rfc4231_and_rfc2202(void)
{
	for (size_t i = 0; i < sizeof(hmac_cases) / sizeof(hmac_cases[0]); i++) {
		const struct hmac_case *c = &hmac_cases[i];
		size_t kl = hmac_case_key(c, buf_a), dl = hmac_case_data(c, buf_b);
		size_t ml = HEX(c->mac, buf_c);
		memset(buf_d, 0, sizeof(buf_d));
		T_EQ_INT(crypto_hmac(c->h, buf_a, kl, buf_b, dl, buf_d), 0);
		T_EQ_INT(crypto_hash_len(c->h), ml);
		T_EQ_MEM(buf_d, buf_c, ml);
	}
}

/* The same vectors through the PRF interface, with the data split into
 * parts (crypto_prf concatenates them). */
static void prf_matches_rfc4231_with_split_data(void)
{
	static const struct { uint16_t id; enum crypto_hash h; } map[] = {
		{ 5, HASH_SHA256 }, { 6, HASH_SHA384 }, { 7, HASH_SHA512 }, { 2, HASH_SHA1 },
		{ 1, HASH_MD5 },
	};
	for (size_t i = 0; i < sizeof(hmac_cases) / sizeof(hmac_cases[0]); i++) {
		const struct hmac_case *c = &hmac_cases[i];
		const struct crypto_prf *p = NULL;
		for (size_t j = 0; j < sizeof(map) / sizeof(map[0]); j++)
			if (map[j].h == c->h)
				p = crypto_prf_ikev2(map[j].id);
		T_CHECK(p != NULL);
		if (!p)
			continue;
		size_t kl = hmac_case_key(c, buf_a), dl = hmac_case_data(c, buf_b);
		size_t ml = HEX(c->mac, buf_c);
		size_t q = dl / 4;
		T_EQ_INT(p->out_len, ml);
		T_EQ_INT(crypto_prf(p, buf_a, kl, buf_b, q, buf_b + q, q, NULL, 0, buf_b + 2 * q,
				    dl - 2 * q, buf_d), 0);
		T_EQ_MEM(buf_d, buf_c, ml);
	}
}

/* prf+ (RFC 7296 §2.13) against its definition written out with prf. */
static void prf_plus_equals_chained_prf(void)
{
	const struct crypto_prf *p = crypto_prf_ikev2(2);    /* HMAC-SHA1, 20 bytes */
	uint8_t key[20], seed[37], t[20], expect[130];
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0x40 + i);
	for (size_t i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(i * 7);
	T_CHECK(p != NULL);
	if (!p)
		return;
	size_t done = 0;
	for (uint8_t n = 1; done < sizeof(expect); n++) {
		if (n == 1)
			T_EQ_INT(crypto_prf(p, key, sizeof(key), seed, sizeof(seed), &n, 1,
					    NULL, 0, NULL, 0, t), 0);
		else
			T_EQ_INT(crypto_prf(p, key, sizeof(key), t, sizeof(t), seed, sizeof(seed),
					    &n, 1, NULL, 0, t), 0);
		size_t take = sizeof(expect) - done < 20 ? sizeof(expect) - done : 20;
		memcpy(expect + done, t, take);
		done += take;
	}
	uint8_t got[130];
	T_EQ_INT(crypto_prf_plus(p, key, sizeof(key), seed, sizeof(seed), got, sizeof(got)), 0);
	T_EQ_MEM(got, expect, sizeof(expect));
	/* A shorter request is a prefix of the longer stream. */
	uint8_t shorter[33];
	T_EQ_INT(crypto_prf_plus(p, key, sizeof(key), seed, sizeof(seed), shorter, sizeof(shorter)), 0);
	T_EQ_MEM(shorter, expect, sizeof(shorter));
}

static void prf_plus_refuses_more_than_255_blocks(void)
{
	const struct crypto_prf *p = crypto_prf_ikev2(5);
	static uint8_t out[255 * 32 + 1];
	uint8_t key[32] = { 1 };
	T_EQ_INT(crypto_prf_plus(p, key, sizeof(key), key, 4, out, 255 * 32), 0);
	T_EQ_INT(crypto_prf_plus(p, key, sizeof(key), key, 4, out, 255 * 32 + 1), -1);
}

/* ---- integrity ---------------------------------------------------------- */
struct integ_case {
	uint16_t id;
	int key_byte;
	const char *icv;
};

/* RFC 4868 §2.7.2.1 test case 1 (key 0x0b repeated to the key length,
 * "Hi There"), truncated; RFC 2202 test case 1 for SHA1-96 and MD5-96. */
static const struct integ_case integ_cases[] = {
	{ 12, 0x0b, "198a607eb44bfbc69903a0f1cf2bbdc5" },
	{ 13, 0x0b, "b6a8d5636f5c6a7224f9977dcf7ee6c7fb6d0c48cbdee973" },
	{ 14, 0x0b, "637edc6e01dce7e6742a99451aae82df23da3e92439e590e43e761b33e910fb8" },
	{ 2, 0x0b, "b617318655057264e28bc0b6" },
	{ 1, 0x0b, "9294727a3638bb1c13f48ef8" },
};

static void integ_truncates_hmac_and_reuses_key(void)
{
	for (size_t i = 0; i < sizeof(integ_cases) / sizeof(integ_cases[0]); i++) {
		const struct crypto_integ *g = crypto_integ_ikev2(integ_cases[i].id);
		T_CHECK(g != NULL);
		if (!g)
			continue;
		uint8_t key[64], icv[32], want[32];
		memset(key, integ_cases[i].key_byte, g->key_len);
		size_t wl = HEX(integ_cases[i].icv, want);
		T_EQ_INT(wl, g->icv_len);
		struct crypto_mac *m = crypto_mac_new(g, key, g->key_len);
		T_CHECK(m != NULL);
		if (!m)
			continue;
		/* Three times with the same context, the data split differently. */
		T_EQ_INT(crypto_mac_compute(m, (const uint8_t *)"Hi There", 8, NULL, 0, icv), 0);
		T_EQ_MEM(icv, want, wl);
		memset(icv, 0, sizeof(icv));
		T_EQ_INT(crypto_mac_compute(m, (const uint8_t *)"Hi ", 3,
					    (const uint8_t *)"There", 5, icv), 0);
		T_EQ_MEM(icv, want, wl);
		T_EQ_INT(crypto_mac_verify(m, NULL, 0, (const uint8_t *)"Hi There", 8, want), 0);
		want[wl - 1] ^= 1;
		T_EQ_INT(crypto_mac_verify(m, (const uint8_t *)"Hi There", 8, NULL, 0, want), -1);
		want[wl - 1] ^= 1;
		T_EQ_INT(crypto_mac_verify(m, (const uint8_t *)"Hi there", 8, NULL, 0, want), -1);
		crypto_mac_free(m);
	}
}

static void integ_refuses_wrong_key_length(void)
{
	uint8_t key[64] = { 0 };
	T_CHECK(crypto_mac_new(crypto_integ_ikev2(12), key, 20) == NULL);
	T_CHECK(crypto_mac_new(NULL, key, 20) == NULL);
	crypto_mac_free(NULL);
}

/* ---- hashes ------------------------------------------------------------- */
static void hash_matches_fips180_and_rfc1321(void)
{
	static const struct { enum crypto_hash h; const char *d; } v[] = {
		{ HASH_MD5, "900150983cd24fb0d6963f7d28e17f72" },
		{ HASH_SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ HASH_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ HASH_SHA384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
			       "8086072ba1e7cc2358baeca134c825a7" },
		{ HASH_SHA512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
			       "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t n = HEX(v[i].d, buf_a);
		T_EQ_INT(crypto_hash_len(v[i].h), n);
		/* "abc" in three parts */
		T_EQ_INT(crypto_hash(v[i].h, (const uint8_t *)"a", 1, (const uint8_t *)"b", 1,
				     (const uint8_t *)"c", 1, buf_b), 0);
		T_EQ_MEM(buf_b, buf_a, n);
	}
}

/* Run before crypto_enable_legacy(): DES and MD4 must not be there yet. */
static void legacy_algorithms_need_the_legacy_provider(void)
{
	uint8_t key[8] = { 0 }, out[16];
	T_CHECK(!crypto_legacy_available());
	T_CHECK(crypto_cipher_new(crypto_encr_ikev2(2, 0), key, 8, true) == NULL);
	T_EQ_INT(crypto_des_7(key, key, out), -1);
	T_EQ_INT(crypto_hash(HASH_MD4, key, 1, NULL, 0, NULL, 0, out), -1);
	T_EQ_INT(crypto_enable_legacy(), 0);
	T_CHECK(crypto_legacy_available());
	T_EQ_INT(crypto_enable_legacy(), 0);    /* idempotent */
	struct crypto_cipher *c = crypto_cipher_new(crypto_encr_ikev2(2, 0), key, 8, true);
	T_CHECK(c != NULL);
	crypto_cipher_free(c);
}

static void md4_matches_rfc1320(void)
{
	static const struct { const char *m, *d; } v[] = {
		{ "", "31d6cfe0d16ae931b73c59d7e0c089c0" },
		{ "a", "bde52cb31de33e46245e05fbdbd6fb24" },
		{ "abc", "a448017aaf21d8525fc10ae87aa6729d" },
		{ "message digest", "d9130a8164549fe818874806e1c7014b" },
		{ "abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9" },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		HEX(v[i].d, buf_a);
		T_EQ_INT(crypto_hash(HASH_MD4, (const uint8_t *)v[i].m, strlen(v[i].m), NULL, 0,
				     NULL, 0, buf_b), 0);
		T_EQ_MEM(buf_b, buf_a, 16);
	}
}

/* RFC 2759 §9.2: NtPasswordHash (MD4 of the UTF-16LE password),
 * ChallengeHash (SHA-1) and ChallengeResponse (three DES-7 blocks). */
static void des7_gives_rfc2759_nt_response(void)
{
	const char *pw = "clientPass";
	uint8_t upw[20], pwhash[21] = { 0 }, want[24], got[24], ch[20], want_ch[8];
	uint8_t auth_ch[16], peer_ch[16];
	for (size_t i = 0; i < 10; i++) {
		upw[2 * i] = (uint8_t)pw[i];
		upw[2 * i + 1] = 0;
	}
	T_EQ_INT(crypto_hash(HASH_MD4, upw, sizeof(upw), NULL, 0, NULL, 0, pwhash), 0);
	HEX("44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE", buf_a);
	T_EQ_MEM(pwhash, buf_a, 16);

	HEX("5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28", auth_ch);
	HEX("21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E", peer_ch);
	HEX("D0 2E 43 86 BC E9 12 26", want_ch);
	T_EQ_INT(crypto_hash(HASH_SHA1, peer_ch, 16, auth_ch, 16, (const uint8_t *)"User", 4, ch), 0);
	T_EQ_MEM(ch, want_ch, 8);

	for (int i = 0; i < 3; i++)
		T_EQ_INT(crypto_des_7(pwhash + 7 * i, want_ch, got + 8 * i), 0);
	HEX("82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF", want);
	T_EQ_MEM(got, want, 24);
}

/* ---- CBC ---------------------------------------------------------------- */
static struct crypto_cipher *cipher_from_hex(uint16_t id, uint16_t bits, const char *key_hex,
					     bool encrypt)
{
	uint8_t key[64];
	size_t kl = HEX(key_hex, key);
	return crypto_cipher_new(crypto_encr_ikev2(id, bits), key, kl, encrypt);
}

static void aes_cbc_matches_rfc3602(void)
{
	static const struct { const char *key, *iv, *pt, *ct; } v[] = {
		{ "06a9214036b8a15b512e03d534120006", "3dafba429d9eb430b422da802c9fac41",
		  "53696e676c6520626c6f636b206d7367", "e353779c1079aeb82708942dbe77181a" },
		{ "c286696d887c9aa0611bbb3e2025a45a", "562e17996d093d28ddb3ba695a2e6f58",
		  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		  "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1" },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t iv[16];
		HEX(v[i].iv, iv);
		size_t n = HEX(v[i].pt, buf_a);
		HEX(v[i].ct, buf_b);
		struct crypto_cipher *e = cipher_from_hex(12, 128, v[i].key, true);
		struct crypto_cipher *d = cipher_from_hex(12, 128, v[i].key, false);
		T_CHECK(e && d);
		T_EQ_INT(crypto_cipher_cbc(e, iv, buf_a, buf_c, n), 0);
		T_EQ_MEM(buf_c, buf_b, n);
		T_EQ_INT(crypto_cipher_cbc(d, iv, buf_c, buf_c, n), 0);   /* in place */
		T_EQ_MEM(buf_c, buf_a, n);
		crypto_cipher_free(e);
		crypto_cipher_free(d);
	}
}

/* NIST SP 800-38A F.2.3/F.2.5: four blocks at once, then block by block
 * with only the IV changed (the previous ciphertext block) on the same
 * context, as ESP does per packet. */
static void aes_cbc_matches_sp800_38a_with_iv_per_call(void)
{
	static const struct { uint16_t bits; const char *key, *ct; } v[] = {
		{ 192, "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
		  "4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a"
		  "571b242012fb7ae07fa9baac3df102e008b0e27988598881d920a9e64f5615cd" },
		{ 256, "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
		  "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
		  "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b" },
	};
	const char *pt = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
			 "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t iv[16];
		for (int j = 0; j < 16; j++)
			iv[j] = (uint8_t)j;
		size_t n = HEX(pt, buf_a);
		HEX(v[i].ct, buf_b);
		struct crypto_cipher *e = cipher_from_hex(12, v[i].bits, v[i].key, true);
		struct crypto_cipher *d = cipher_from_hex(12, v[i].bits, v[i].key, false);
		T_CHECK(e && d);
		if (!e || !d)
			continue;
		T_EQ_INT(crypto_cipher_cbc(e, iv, buf_a, buf_c, n), 0);
		T_EQ_MEM(buf_c, buf_b, n);
		for (int blk = 0; blk < 4; blk++) {
			const uint8_t *bi = blk ? buf_b + 16 * (blk - 1) : iv;
			T_EQ_INT(crypto_cipher_cbc(e, bi, buf_a + 16 * blk, buf_d, 16), 0);
			T_EQ_MEM(buf_d, buf_b + 16 * blk, 16);
			T_EQ_INT(crypto_cipher_cbc(d, bi, buf_b + 16 * blk, buf_d, 16), 0);
			T_EQ_MEM(buf_d, buf_a + 16 * blk, 16);
		}
		T_EQ_INT(crypto_cipher_cbc(e, iv, buf_a, buf_c, 15), -1);    /* not a block multiple */
		crypto_cipher_free(e);
		crypto_cipher_free(d);
	}
}

/* NIST SP 800-67 Rev. 1 TDEA example (ECB): each block as a single-block
 * CBC with an all-zero IV. */
static void tdes_matches_sp800_67_example(void)
{
	const char *key = "0123456789ABCDEF 23456789ABCDEF01 456789ABCDEF0123";
	const char *pt = "The qufck brown fox jump";
	uint8_t iv[8] = { 0 }, want[24], got[24];
	HEX("A826FD8CE53B855F CCE21C8112256FE6 68D5C05DD9B6B900", want);
	struct crypto_cipher *e = cipher_from_hex(3, 0, key, true);
	T_CHECK(e != NULL);
	if (!e)
		return;
	for (int b = 0; b < 3; b++)
		T_EQ_INT(crypto_cipher_cbc(e, iv, (const uint8_t *)pt + 8 * b, got + 8 * b, 8), 0);
	T_EQ_MEM(got, want, 24);
	crypto_cipher_free(e);
}

static void des_cbc_round_trips_after_legacy_enabled(void)
{
	uint8_t iv[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, ct[32], back[32];
	const uint8_t *pt = (const uint8_t *)"thirty-two bytes of plain text!!";
	struct crypto_cipher *e = cipher_from_hex(2, 0, "0123456789abcdef", true);
	struct crypto_cipher *d = cipher_from_hex(2, 0, "0123456789abcdef", false);
	T_CHECK(e && d);
	T_EQ_INT(crypto_cipher_cbc(e, iv, pt, ct, 32), 0);
	T_CHECK(memcmp(ct, pt, 32) != 0);
	T_EQ_INT(crypto_cipher_cbc(d, iv, ct, back, 32), 0);
	T_EQ_MEM(back, pt, 32);
	crypto_cipher_free(e);
	crypto_cipher_free(d);
}

static void esp_null_copies_and_refuses_aead_calls(void)
{
	uint8_t out[5], tag[16];
	struct crypto_cipher *c = crypto_cipher_new(crypto_encr_ikev2(11, 0), NULL, 0, true);
	T_CHECK(c != NULL);
	T_EQ_INT(crypto_cipher_cbc(c, NULL, (const uint8_t *)"hello", out, 5), 0);
	T_EQ_MEM(out, "hello", 5);
	T_EQ_INT(crypto_aead_seal(c, out, NULL, 0, out, out, 5, tag), -1);
	crypto_cipher_free(c);
	crypto_cipher_free(NULL);
}

static void cipher_refuses_wrong_key_length(void)
{
	uint8_t key[36] = { 0 };
	T_CHECK(crypto_cipher_new(crypto_encr_ikev2(12, 128), key, 32, true) == NULL);
	T_CHECK(crypto_cipher_new(crypto_encr_ikev2(20, 128), key, 16, true) == NULL);
	T_CHECK(crypto_cipher_new(NULL, key, 16, true) == NULL);
}

/* ---- AEAD --------------------------------------------------------------- */
/* McGrew & Viega GCM spec test cases 3, 4 (AES-128) and 16 (AES-256), in
 * RFC 4106 framing: keying material = K || salt, salt = the first 4 bytes
 * of the 96-bit IV, the explicit IV the other 8. */
static const char gcm_k128[] = "feffe9928665731c6d6a8f9467308308";
static const char gcm_k256[] = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
static const char gcm_pt[] =
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
static const char gcm_aad[] = "feedfacedeadbeeffeedfacedeadbeefabaddad2";

struct gcm_case {
	uint16_t bits;
	const char *key;
	size_t pt_len;
	bool aad;
	const char *ct, *tag;
};

static const struct gcm_case gcm_cases[] = {
	{ 128, gcm_k128, 64, false,
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
	  "4d5c2af327cd64a62cf35abd2ba6fab4" },
	{ 128, gcm_k128, 60, true,
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	  "5bc94fbc3221a5db94fae95ae7121a47" },
	{ 256, gcm_k256, 60, true,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
};

static struct crypto_cipher *gcm_new(uint16_t id, uint16_t bits, const char *key, bool enc)
{
	uint8_t km[36];
	size_t n = HEX(key, km);
	HEX("cafebabe", km + n);                    /* salt */
	return crypto_cipher_new(crypto_encr_ikev2(id, bits), km, n + 4, enc);
}

static void aes_gcm_matches_mcgrew_viega_cases(void)
{
	uint8_t iv[8], aad[20], tag[16], want_tag[16];
	HEX("facedbaddecaf888", iv);
	HEX(gcm_aad, aad);
	HEX(gcm_pt, buf_a);
	for (size_t i = 0; i < sizeof(gcm_cases) / sizeof(gcm_cases[0]); i++) {
		const struct gcm_case *c = &gcm_cases[i];
		size_t al = c->aad ? sizeof(aad) : 0;
		HEX(c->ct, buf_b);
		HEX(c->tag, want_tag);
		struct crypto_cipher *e = gcm_new(20, c->bits, c->key, true);
		struct crypto_cipher *d = gcm_new(20, c->bits, c->key, false);
		T_CHECK(e && d);
		if (!e || !d)
			continue;
		T_EQ_INT(crypto_aead_seal(e, iv, aad, al, buf_a, buf_c, c->pt_len, tag), 0);
		T_EQ_MEM(buf_c, buf_b, c->pt_len);
		T_EQ_MEM(tag, want_tag, 16);
		T_EQ_INT(crypto_aead_open(d, iv, aad, al, buf_c, buf_d, c->pt_len, tag), 0);
		T_EQ_MEM(buf_d, buf_a, c->pt_len);
		/* again on the same contexts: only the nonce is reloaded */
		T_EQ_INT(crypto_aead_seal(e, iv, aad, al, buf_a, buf_c, c->pt_len, tag), 0);
		T_EQ_MEM(tag, want_tag, 16);
		T_EQ_INT(crypto_aead_open(d, iv, aad, al, buf_c, buf_c, c->pt_len, tag), 0);
		T_EQ_MEM(buf_c, buf_a, c->pt_len);
		crypto_cipher_free(e);
		crypto_cipher_free(d);
	}
}

static void aes_gcm_open_fails_on_tag_ciphertext_or_aad_change(void)
{
	uint8_t iv[8], aad[20], tag[16];
	HEX("facedbaddecaf888", iv);
	HEX(gcm_aad, aad);
	HEX(gcm_pt, buf_a);
	struct crypto_cipher *e = gcm_new(20, 128, gcm_k128, true);
	struct crypto_cipher *d = gcm_new(20, 128, gcm_k128, false);
	T_CHECK(e && d);
	if (!e || !d)
		return;
	T_EQ_INT(crypto_aead_seal(e, iv, aad, 20, buf_a, buf_b, 60, tag), 0);
	tag[15] ^= 0x80;
	T_EQ_INT(crypto_aead_open(d, iv, aad, 20, buf_b, buf_c, 60, tag), -1);
	tag[15] ^= 0x80;
	buf_b[3] ^= 1;
	T_EQ_INT(crypto_aead_open(d, iv, aad, 20, buf_b, buf_c, 60, tag), -1);
	buf_b[3] ^= 1;
	aad[0] ^= 1;
	T_EQ_INT(crypto_aead_open(d, iv, aad, 20, buf_b, buf_c, 60, tag), -1);
	aad[0] ^= 1;
	iv[7] ^= 1;
	T_EQ_INT(crypto_aead_open(d, iv, aad, 20, buf_b, buf_c, 60, tag), -1);
	iv[7] ^= 1;
	/* and the context still works after the failures */
	T_EQ_INT(crypto_aead_open(d, iv, aad, 20, buf_b, buf_c, 60, tag), 0);
	T_EQ_MEM(buf_c, buf_a, 60);
	/* wrong direction */
	T_EQ_INT(crypto_aead_open(e, iv, aad, 20, buf_b, buf_c, 60, tag), -1);
	T_EQ_INT(crypto_cipher_cbc(e, iv, buf_a, buf_c, 16), -1);
	crypto_cipher_free(e);
	crypto_cipher_free(d);
}

/* ICV8 and ICV12 are truncations of the same GHASH tag (RFC 4106 §6). */
static void aes_gcm_short_icv_is_truncated_tag(void)
{
	uint8_t iv[8], aad[20], tag[16], want[16];
	HEX("facedbaddecaf888", iv);
	HEX(gcm_aad, aad);
	HEX(gcm_pt, buf_a);
	HEX("5bc94fbc3221a5db94fae95ae7121a47", want);
	static const uint16_t ids[] = { 18, 19 };
	static const size_t lens[] = { 8, 12 };
	for (int i = 0; i < 2; i++) {
		struct crypto_cipher *e = gcm_new(ids[i], 128, gcm_k128, true);
		struct crypto_cipher *d = gcm_new(ids[i], 128, gcm_k128, false);
		T_CHECK(e && d);
		if (!e || !d)
			continue;
		memset(tag, 0xee, sizeof(tag));
		T_EQ_INT(crypto_aead_seal(e, iv, aad, 20, buf_a, buf_b, 60, tag), 0);
		T_EQ_MEM(tag, want, lens[i]);
		T_EQ_INT(tag[lens[i]], 0xee);            /* nothing past the ICV */
		T_EQ_INT(crypto_aead_open(d, iv, aad, 20, buf_b, buf_c, 60, want), 0);
		want[lens[i] - 1] ^= 1;
		T_EQ_INT(crypto_aead_open(d, iv, aad, 20, buf_b, buf_c, 60, want), -1);
		want[lens[i] - 1] ^= 1;
		crypto_cipher_free(e);
		crypto_cipher_free(d);
	}
}

/* RFC 8439 §2.8.2 AEAD vector, framed as RFC 7634 ESP: the 32-bit
 * "constant" 07000000 is the salt, 4041424344454647 the IV. */
static void chacha20_poly1305_matches_rfc8439(void)
{
	const struct crypto_encr *c20 = crypto_encr_ikev2(28, 0);
	if (!c20) {
		printf("# ChaCha20-Poly1305 not provided by this OpenSSL\n");
		return;
	}
	uint8_t km[36], iv[8], aad[12], tag[16], want_tag[16];
	for (int i = 0; i < 32; i++)
		km[i] = (uint8_t)(0x80 + i);
	HEX("07000000", km + 32);
	HEX("4041424344454647", iv);
	HEX("50515253c0c1c2c3c4c5c6c7", aad);
	const char *pt = "Ladies and Gentlemen of the class of '99: If I could offer you only "
			 "one tip for the future, sunscreen would be it.";
	size_t n = strlen(pt);
	HEX("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
	    "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
	    "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
	    "3ff4def08e4b7a9de576d26586cec64b6116", buf_b);
	HEX("1ae10b594f09e26a7e902ecbd0600691", want_tag);
	struct crypto_cipher *e = crypto_cipher_new(c20, km, 36, true);
	struct crypto_cipher *d = crypto_cipher_new(c20, km, 36, false);
	T_CHECK(e && d);
	if (!e || !d)
		return;
	T_EQ_INT(crypto_aead_seal(e, iv, aad, 12, (const uint8_t *)pt, buf_c, n, tag), 0);
	T_EQ_MEM(buf_c, buf_b, n);
	T_EQ_MEM(tag, want_tag, 16);
	T_EQ_INT(crypto_aead_open(d, iv, aad, 12, buf_c, buf_d, n, tag), 0);
	T_EQ_MEM(buf_d, pt, n);
	tag[0] ^= 1;
	T_EQ_INT(crypto_aead_open(d, iv, aad, 12, buf_c, buf_d, n, tag), -1);
	crypto_cipher_free(e);
	crypto_cipher_free(d);
}

static void random_fills_and_differs(void)
{
	uint8_t a[32] = { 0 }, b[32] = { 0 }, zero[32] = { 0 };
	T_EQ_INT(crypto_random(a, sizeof(a)), 0);
	T_EQ_INT(crypto_random(b, sizeof(b)), 0);
	T_CHECK(memcmp(a, zero, 32) != 0);
	T_CHECK(memcmp(a, b, 32) != 0);
	T_EQ_INT(crypto_random(NULL, 0), 0);
}

int main(void)
{
	if (crypto_init() != 0) {
		printf("FAIL crypto_init\n");
		return 1;
	}
	T_RUN(init_is_idempotent);
	T_RUN(registry_maps_ikev2_transform_ids);
	T_RUN(registry_maps_ikev1_and_names);
	T_RUN(hmac_matches_rfc4231_and_rfc2202);
	T_RUN(prf_matches_rfc4231_with_split_data);
	T_RUN(prf_plus_equals_chained_prf);
	T_RUN(prf_plus_refuses_more_than_255_blocks);
	T_RUN(integ_truncates_hmac_and_reuses_key);
	T_RUN(integ_refuses_wrong_key_length);
	T_RUN(hash_matches_fips180_and_rfc1321);
	T_RUN(aes_cbc_matches_rfc3602);
	T_RUN(aes_cbc_matches_sp800_38a_with_iv_per_call);
	T_RUN(tdes_matches_sp800_67_example);
	T_RUN(esp_null_copies_and_refuses_aead_calls);
	T_RUN(cipher_refuses_wrong_key_length);
	T_RUN(aes_gcm_matches_mcgrew_viega_cases);
	T_RUN(aes_gcm_open_fails_on_tag_ciphertext_or_aad_change);
	T_RUN(aes_gcm_short_icv_is_truncated_tag);
	T_RUN(chacha20_poly1305_matches_rfc8439);
	T_RUN(random_fills_and_differs);
	/* legacy provider from here on */
	T_RUN(legacy_algorithms_need_the_legacy_provider);
	T_RUN(md4_matches_rfc1320);
	T_RUN(des7_gives_rfc2759_nt_response);
	T_RUN(des_cbc_round_trips_after_legacy_enabled);
	T_DONE();
}
