/* Prepared cipher contexts for the IKE SK payload and ESP.
 *
 * The key schedule is computed once in crypto_cipher_new(); per packet only
 * the IV (CBC) or nonce (AEAD) is loaded, with EVP_CipherInit_ex2(ctx, NULL,
 * NULL, iv, -1, NULL), which keeps the key and the direction.  No
 * allocation and no algorithm fetch happens per packet.
 *
 * AEAD nonce (RFC 4106 §4, RFC 7634 §2):
 *
 *     keying material = key || salt(4)        nonce = salt(4) || IV(8)
 */
#include "crypto/crypto_int.h"

#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>

#define AEAD_SALT_LEN 4
#define AEAD_NONCE_LEN 12

struct crypto_cipher {
	const struct encr_impl *x;
	EVP_CIPHER_CTX *ctx;          /* NULL for ESP NULL */
	uint8_t salt[AEAD_SALT_LEN];  /* AEAD only */
	bool encrypt;
};

static int cipher_prepare(struct crypto_cipher *c, const uint8_t *key, size_t key_len)
{
	const struct crypto_encr *e = &c->x->pub;
	size_t cipher_key_len = key_len - e->salt_len;
	EVP_CIPHER *ciph = crypto_fetched_cipher(c->x->alg);
	if (!ciph)
		return -1;    /* not fetched: legacy provider not enabled, or absent */
	if ((size_t)EVP_CIPHER_get_key_length(ciph) != cipher_key_len)
		return -1;
	c->ctx = EVP_CIPHER_CTX_new();
	if (!c->ctx || !EVP_CipherInit_ex2(c->ctx, ciph, key, NULL, c->encrypt, NULL))
		return crypto_ossl_fail(e->name);
	if (c->x->mode == ENCR_MODE_CBC) {
		if (!EVP_CIPHER_CTX_set_padding(c->ctx, 0) ||
		    EVP_CIPHER_CTX_get_iv_length(c->ctx) != e->iv_len)
			return crypto_ossl_fail(e->name);
		return 0;
	}
	if (e->salt_len != AEAD_SALT_LEN || e->iv_len + AEAD_SALT_LEN != AEAD_NONCE_LEN ||
	    EVP_CIPHER_CTX_get_iv_length(c->ctx) != AEAD_NONCE_LEN)
		return -1;
	memcpy(c->salt, key + cipher_key_len, AEAD_SALT_LEN);
	return 0;
}

struct crypto_cipher *crypto_cipher_new(const struct crypto_encr *e,
					const uint8_t *key, size_t key_len, bool encrypt)
{
	const struct encr_impl *x = encr_impl_of(e);
	if (!x || key_len != e->key_len || (key_len && !key))
		return NULL;
	struct crypto_cipher *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->x = x;
	c->encrypt = encrypt;
	if (x->mode != ENCR_MODE_NULL && cipher_prepare(c, key, key_len) < 0) {
		crypto_cipher_free(c);
		return NULL;
	}
	return c;
}

void crypto_cipher_free(struct crypto_cipher *c)
{
	if (!c)
		return;
	EVP_CIPHER_CTX_free(c->ctx);   /* cleanses the key schedule */
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
}

/* CBC with a fresh IV; for ESP NULL a copy. */
int crypto_cipher_cbc(struct crypto_cipher *c, const uint8_t *iv,
		      const uint8_t *in, uint8_t *out, size_t len)
{
	if (!c || c->x->mode == ENCR_MODE_AEAD || len > INT_MAX || (len && (!in || !out)))
		return -1;
	if (c->x->mode == ENCR_MODE_NULL) {
		if (len && in != out)
			memmove(out, in, len);
		return 0;
	}
	int outl = 0;
	if (!iv || len % c->x->pub.block_len)
		return -1;
	if (!EVP_CipherInit_ex2(c->ctx, NULL, NULL, iv, -1, NULL) ||
	    !EVP_CipherUpdate(c->ctx, out, &outl, in, (int)len) || outl != (int)len) {
		ERR_clear_error();
		return -1;
	}
	return 0;
}

/* Load the nonce and feed AAD and data; shared by seal and open. */
static int aead_run(struct crypto_cipher *c, const uint8_t *iv,
		    const uint8_t *aad, size_t aad_len,
		    const uint8_t *in, uint8_t *out, size_t len)
{
	uint8_t nonce[AEAD_NONCE_LEN];
	int outl = 0;
	if (!iv || len > INT_MAX || aad_len > INT_MAX || (aad_len && !aad) ||
	    (len && (!in || !out)))
		return -1;
	memcpy(nonce, c->salt, AEAD_SALT_LEN);
	memcpy(nonce + AEAD_SALT_LEN, iv, AEAD_NONCE_LEN - AEAD_SALT_LEN);
	if (!EVP_CipherInit_ex2(c->ctx, NULL, NULL, nonce, -1, NULL))
		return -1;
	if (aad_len && !EVP_CipherUpdate(c->ctx, NULL, &outl, aad, (int)aad_len))
		return -1;
	if (len && (!EVP_CipherUpdate(c->ctx, out, &outl, in, (int)len) || outl != (int)len))
		return -1;
	return 0;
}

int crypto_aead_seal(struct crypto_cipher *c, const uint8_t *iv,
		     const uint8_t *aad, size_t aad_len,
		     const uint8_t *in, uint8_t *out, size_t len, uint8_t *tag)
{
	uint8_t last[16];
	int outl = 0;
	if (!c || c->x->mode != ENCR_MODE_AEAD || !c->encrypt || !tag)
		return -1;
	if (aead_run(c, iv, aad, aad_len, in, out, len) < 0 ||
	    !EVP_CipherFinal_ex(c->ctx, last, &outl) || outl != 0 ||
	    !EVP_CIPHER_CTX_ctrl(c->ctx, EVP_CTRL_AEAD_GET_TAG, c->x->pub.icv_len, tag)) {
		ERR_clear_error();
		return -1;
	}
	return 0;
}

int crypto_aead_open(struct crypto_cipher *c, const uint8_t *iv,
		     const uint8_t *aad, size_t aad_len,
		     const uint8_t *in, uint8_t *out, size_t len, const uint8_t *tag)
{
	uint8_t last[16];
	int outl = 0;
	if (!c || c->x->mode != ENCR_MODE_AEAD || c->encrypt || !tag)
		return -1;
	if (aead_run(c, iv, aad, aad_len, in, out, len) < 0 ||
	    !EVP_CIPHER_CTX_ctrl(c->ctx, EVP_CTRL_AEAD_SET_TAG, c->x->pub.icv_len, (void *)tag) ||
	    EVP_CipherFinal_ex(c->ctx, last, &outl) <= 0 || outl != 0) {
		ERR_clear_error();   /* a forged or damaged packet: the caller counts it */
		return -1;
	}
	return 0;
}
