/* Internals of the crypto layer: shared between the files of src/crypto
 * only.  This is the one place besides the .c files of src/crypto that names OpenSSL
 * types; nothing outside src/crypto includes it. */
#ifndef RAVPN_CRYPTO_CRYPTO_INT_H
#define RAVPN_CRYPTO_CRYPTO_INT_H

#include "crypto/crypto.h"

#include <openssl/evp.h>

#define WUR __attribute__((warn_unused_result))

/* Every EVP_CIPHER the registry uses, fetched once (provider.c). */
enum cipher_alg {
	CIPH_AES_128_CBC,
	CIPH_AES_192_CBC,
	CIPH_AES_256_CBC,
	CIPH_AES_128_GCM,
	CIPH_AES_192_GCM,
	CIPH_AES_256_GCM,
	CIPH_3DES_CBC,
	CIPH_CHACHA20_POLY1305,
	CIPH_DES_CBC,            /* legacy provider */
	CIPH_DES_ECB,            /* legacy provider (MSCHAPv2 DES-7) */
	CIPH_NONE,               /* ESP NULL: nothing to fetch */
	CIPH_COUNT = CIPH_NONE
};

/* How a cipher context is driven per packet (cipher.c). */
enum encr_mode { ENCR_MODE_CBC, ENCR_MODE_AEAD, ENCR_MODE_NULL };

/* Registry entries: the public descriptor first, so that a pointer handed
 * out as `const struct crypto_encr *` converts back (C11 6.7.2.1p15). */
struct encr_impl {
	struct crypto_encr pub;
	enum encr_mode mode;
	enum cipher_alg alg;
};

struct integ_impl {
	struct crypto_integ pub;
	enum crypto_hash hash;
};

struct prf_impl {
	struct crypto_prf pub;
	enum crypto_hash hash;
};

#define HASH_COUNT (HASH_SHA512 + 1)

/* registry.c: back from a public descriptor (must come from the tables). */
const struct encr_impl *encr_impl_of(const struct crypto_encr *e);
const struct integ_impl *integ_impl_of(const struct crypto_integ *i);
const struct prf_impl *prf_impl_of(const struct crypto_prf *p);

/* provider.c: objects fetched at crypto_init()/crypto_enable_legacy().
 * NULL when not (yet) available, e.g. DES before the legacy provider. */
EVP_CIPHER *crypto_fetched_cipher(enum cipher_alg a);
EVP_MD *crypto_fetched_md(enum crypto_hash h);
const char *crypto_hash_ossl_name(enum crypto_hash h);
/* A new HMAC context keyed with key (copied from a prototype made at
 * start-up, so no algorithm fetch happens here).  NULL on failure. */
EVP_MAC_CTX *crypto_hmac_ctx_new(enum crypto_hash h, const uint8_t *key, size_t key_len);
/* One-shot HMAC over a list of parts (empty parts skipped): the one body
 * behind crypto_hmac() and crypto_prf(); prf+ feeds its own context. */
struct crypto_part {
	const uint8_t *p;
	size_t len;
};
int crypto_mac_feed(EVP_MAC_CTX *ctx, const struct crypto_part *parts, size_t n);
int crypto_hmac_parts(enum crypto_hash h, const uint8_t *key, size_t key_len,
		      const struct crypto_part *parts, size_t n, uint8_t *out);
bool crypto_is_initialised(void);

/* pki.c: the OpenSSL objects behind keys and certificates (for sign.c). */
EVP_PKEY *crypto_key_pkey(const struct crypto_key *k);
EVP_PKEY *crypto_cert_pubkey(const struct crypto_cert *c);

/* dh.c: prepared MODP parameters, built by crypto_init(). */
int crypto_dh_init_groups(void) WUR;

/* Drop whatever OpenSSL left on this thread's error queue after a failed
 * call, logging the first entry as a debug line of `debug crypto ikev2
 * platform` (the ASA's crypto-engine category).  Returns -1. */
int crypto_ossl_fail(const char *what);

#undef WUR
#endif
