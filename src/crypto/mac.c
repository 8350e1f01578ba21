/* Prepared HMAC contexts for ESP and the IKE SK payload (RFC 2104, RFC 2404,
 * RFC 2403, RFC 4868).
 *
 * The key is set once in crypto_mac_new(); per packet EVP_MAC_init() with a
 * NULL key restarts HMAC from the stored inner/outer states, so neither an
 * allocation nor an algorithm fetch happens per packet. */
#include "crypto/crypto_int.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>

struct crypto_mac {
	const struct integ_impl *x;
	EVP_MAC_CTX *ctx;
};

struct crypto_mac *crypto_mac_new(const struct crypto_integ *i, const uint8_t *key, size_t key_len)
{
	const struct integ_impl *x = integ_impl_of(i);
	if (!x || !key || key_len != i->key_len)
		return NULL;
	struct crypto_mac *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->x = x;
	m->ctx = crypto_hmac_ctx_new(x->hash, key, key_len);
	if (!m->ctx) {
		free(m);
		return NULL;
	}
	return m;
}

void crypto_mac_free(struct crypto_mac *m)
{
	if (!m)
		return;
	EVP_MAC_CTX_free(m->ctx);   /* cleanses the keyed states */
	free(m);
}

/* Full-length HMAC over a || b into full[CRYPTO_MAX_HASH]. */
static int mac_full(struct crypto_mac *m, const uint8_t *a, size_t alen,
		    const uint8_t *b, size_t blen, uint8_t *full)
{
	size_t n = 0;
	if (!m || (alen && !a) || (blen && !b))
		return -1;
	if (!EVP_MAC_init(m->ctx, NULL, 0, NULL) ||
	    (alen && !EVP_MAC_update(m->ctx, a, alen)) ||
	    (blen && !EVP_MAC_update(m->ctx, b, blen)) ||
	    !EVP_MAC_final(m->ctx, full, &n, CRYPTO_MAX_HASH) || n < m->x->pub.icv_len) {
		ERR_clear_error();
		return -1;
	}
	return 0;
}

int crypto_mac_compute(struct crypto_mac *m, const uint8_t *a, size_t alen,
		       const uint8_t *b, size_t blen, uint8_t *icv)
{
	uint8_t full[CRYPTO_MAX_HASH];
	if (!icv || mac_full(m, a, alen, b, blen, full) < 0)
		return -1;
	memcpy(icv, full, m->x->pub.icv_len);
	OPENSSL_cleanse(full, sizeof(full));
	return 0;
}

int crypto_mac_verify(struct crypto_mac *m, const uint8_t *a, size_t alen,
		      const uint8_t *b, size_t blen, const uint8_t *icv)
{
	uint8_t full[CRYPTO_MAX_HASH];
	if (!icv || mac_full(m, a, alen, b, blen, full) < 0)
		return -1;
	int diff = CRYPTO_memcmp(full, icv, m->x->pub.icv_len);
	OPENSSL_cleanse(full, sizeof(full));
	return diff ? -1 : 0;
}
