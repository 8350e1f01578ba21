/* Provider loading and the algorithm objects fetched once at start-up.
 *
 * crypto_init() loads the default provider explicitly and fetches every
 * cipher, digest and the HMAC MAC the registry names; the data plane then
 * only ever uses prepared contexts.  The legacy provider (DES, MD4) is
 * loaded only on demand by crypto_enable_legacy(): loading it explicitly
 * disables OpenSSL's implicit default provider, which is why the default
 * one is always loaded by name first.
 *
 * The slots are written under a mutex and read with acquire loads, so a
 * late crypto_enable_legacy() (configuration reload) is safe while worker
 * threads use the objects fetched earlier. */
#include "crypto/crypto_int.h"

#include "base/log.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/provider.h>
#include <pthread.h>

struct fetch_name {
	const char *name;
	bool legacy;       /* lives in the legacy provider */
	bool optional;     /* crypto_init() succeeds without it */
};

static const struct fetch_name cipher_names[CIPH_COUNT] = {
	[CIPH_AES_128_CBC] = { "AES-128-CBC", false, false },
	[CIPH_AES_192_CBC] = { "AES-192-CBC", false, false },
	[CIPH_AES_256_CBC] = { "AES-256-CBC", false, false },
	[CIPH_AES_128_GCM] = { "AES-128-GCM", false, false },
	[CIPH_AES_192_GCM] = { "AES-192-GCM", false, false },
	[CIPH_AES_256_GCM] = { "AES-256-GCM", false, false },
	[CIPH_3DES_CBC] = { "DES-EDE3-CBC", false, false },
	[CIPH_CHACHA20_POLY1305] = { "ChaCha20-Poly1305", false, true },
	[CIPH_DES_CBC] = { "DES-CBC", true, false },
	[CIPH_DES_ECB] = { "DES-ECB", true, false },
};

static const struct fetch_name md_names[HASH_COUNT] = {
	[HASH_MD4] = { "MD4", true, false },
	[HASH_MD5] = { "MD5", false, false },
	[HASH_SHA1] = { "SHA1", false, false },
	[HASH_SHA256] = { "SHA2-256", false, false },
	[HASH_SHA384] = { "SHA2-384", false, false },
	[HASH_SHA512] = { "SHA2-512", false, false },
};

static struct {
	bool init;
	bool legacy;
	OSSL_PROVIDER *default_prov;
	OSSL_PROVIDER *legacy_prov;
	EVP_CIPHER *cipher[CIPH_COUNT];
	EVP_MD *md[HASH_COUNT];
	EVP_MAC *hmac;
	EVP_MAC_CTX *hmac_proto[HASH_COUNT];   /* keyed with "", for dup */
} st;

static pthread_mutex_t st_lock = PTHREAD_MUTEX_INITIALIZER;

int crypto_ossl_fail(const char *what)
{
	unsigned long e = ERR_peek_error();
	char detail[256] = "no detail";
	if (e)
		ERR_error_string_n(e, detail, sizeof(detail));
	log_debug(LOG_IKEV2_PLATFORM, 100, "crypto: %s failed: %s", what, detail);
	ERR_clear_error();
	return -1;
}

/* An HMAC context with the digest set and an empty key: the prototype that
 * crypto_hmac_ctx_new() duplicates (an unkeyed HMAC context cannot be
 * duplicated in OpenSSL 3.0). */
static EVP_MAC_CTX *hmac_proto_new(enum crypto_hash h)
{
	OSSL_PARAM params[2];
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)md_names[h].name, 0);
	params[1] = OSSL_PARAM_construct_end();
	EVP_MAC_CTX *c = EVP_MAC_CTX_new(st.hmac);
	if (!c || !EVP_MAC_init(c, (const unsigned char *)"", 0, params)) {
		EVP_MAC_CTX_free(c);
		return NULL;
	}
	return c;
}

static int fetch_cipher(enum cipher_alg a)
{
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, cipher_names[a].name, NULL);
	if (!c) {
		crypto_ossl_fail(cipher_names[a].name);
		return cipher_names[a].optional ? 0 : -1;
	}
	__atomic_store_n(&st.cipher[a], c, __ATOMIC_RELEASE);
	return 0;
}

static int fetch_md(enum crypto_hash h)
{
	EVP_MD *md = EVP_MD_fetch(NULL, md_names[h].name, NULL);
	if (!md)
		return crypto_ossl_fail(md_names[h].name);
	EVP_MAC_CTX *proto = hmac_proto_new(h);
	if (!proto) {
		EVP_MD_free(md);
		return crypto_ossl_fail("HMAC prototype");
	}
	__atomic_store_n(&st.hmac_proto[h], proto, __ATOMIC_RELEASE);
	__atomic_store_n(&st.md[h], md, __ATOMIC_RELEASE);
	return 0;
}

/* Fetch everything that lives in the default (legacy = false) or in the
 * legacy provider and is not fetched yet. */
static int fetch_all(bool legacy)
{
	for (int a = 0; a < CIPH_COUNT; a++)
		if (cipher_names[a].legacy == legacy && !st.cipher[a] && fetch_cipher(a) < 0)
			return -1;
	for (int h = 0; h < HASH_COUNT; h++)
		if (md_names[h].legacy == legacy && !st.md[h] && fetch_md(h) < 0)
			return -1;
	return 0;
}

static int init_locked(void)
{
	if (st.init)
		return 0;
	if (!st.default_prov) {
		st.default_prov = OSSL_PROVIDER_load(NULL, "default");
		if (!st.default_prov)
			return crypto_ossl_fail("loading the default provider");
	}
	if (!st.hmac) {
		st.hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
		if (!st.hmac)
			return crypto_ossl_fail("HMAC");
	}
	if (fetch_all(false) < 0 || crypto_dh_init_groups() < 0)
		return -1;
	__atomic_store_n(&st.init, true, __ATOMIC_RELEASE);
	return 0;
}

int crypto_init(void)
{
	pthread_mutex_lock(&st_lock);
	int rc = init_locked();
	pthread_mutex_unlock(&st_lock);
	return rc;
}

int crypto_enable_legacy(void)
{
	int rc = -1;
	pthread_mutex_lock(&st_lock);
	if (init_locked() < 0)
		goto out;
	if (st.legacy) {
		rc = 0;
		goto out;
	}
	if (!st.legacy_prov) {
		st.legacy_prov = OSSL_PROVIDER_load(NULL, "legacy");
		if (!st.legacy_prov) {
			crypto_ossl_fail("loading the legacy provider");
			goto out;
		}
	}
	if (fetch_all(true) < 0)
		goto out;
	__atomic_store_n(&st.legacy, true, __ATOMIC_RELEASE);
	log_msg(SEV_INFO, "crypto: legacy provider loaded (DES, MD4)");
	rc = 0;
out:
	pthread_mutex_unlock(&st_lock);
	return rc;
}

bool crypto_legacy_available(void)
{
	return __atomic_load_n(&st.legacy, __ATOMIC_ACQUIRE);
}

bool crypto_is_initialised(void)
{
	return __atomic_load_n(&st.init, __ATOMIC_ACQUIRE);
}

EVP_CIPHER *crypto_fetched_cipher(enum cipher_alg a)
{
	if ((int)a < 0 || a >= CIPH_COUNT)
		return NULL;
	return __atomic_load_n(&st.cipher[a], __ATOMIC_ACQUIRE);
}

EVP_MD *crypto_fetched_md(enum crypto_hash h)
{
	if ((int)h < 0 || h >= HASH_COUNT)
		return NULL;
	return __atomic_load_n(&st.md[h], __ATOMIC_ACQUIRE);
}

const char *crypto_hash_ossl_name(enum crypto_hash h)
{
	if ((int)h < 0 || h >= HASH_COUNT)
		return NULL;
	return md_names[h].name;
}

EVP_MAC_CTX *crypto_hmac_ctx_new(enum crypto_hash h, const uint8_t *key, size_t key_len)
{
	if ((int)h < 0 || h >= HASH_COUNT)
		return NULL;
	EVP_MAC_CTX *proto = __atomic_load_n(&st.hmac_proto[h], __ATOMIC_ACQUIRE);
	if (!proto)
		return NULL;
	EVP_MAC_CTX *c = EVP_MAC_CTX_dup(proto);
	if (!c) {
		crypto_ossl_fail("HMAC context");
		return NULL;
	}
	if (!EVP_MAC_init(c, key ? key : (const uint8_t *)"", key ? key_len : 0, NULL)) {
		EVP_MAC_CTX_free(c);
		crypto_ossl_fail("HMAC key");
		return NULL;
	}
	return c;
}
