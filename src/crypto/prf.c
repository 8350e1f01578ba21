/* IKE pseudo-random functions: prf (HMAC, RFC 2104 / RFC 4868 §2.1.2)
 * and prf+ (RFC 7296 §2.13).
 *
 *     prf+ (K,S) = T1 | T2 | T3 | T4 | ...
 *     T1 = prf (K, S | 0x01)
 *     T2 = prf (K, T1 | S | 0x02)
 *     Tn = prf (K, Tn-1 | S | n)          n <= 255
 *
 * Control plane only; one HMAC context is made per call (from a keyed
 * prototype, without an algorithm fetch). */
#include "crypto/crypto_int.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <string.h>

int crypto_prf(const struct crypto_prf *p, const uint8_t *key, size_t key_len,
	       const uint8_t *d1, size_t l1, const uint8_t *d2, size_t l2,
	       const uint8_t *d3, size_t l3, const uint8_t *d4, size_t l4,
	       uint8_t *out)
{
	const struct prf_impl *x = prf_impl_of(p);
	const struct crypto_part parts[] = { { d1, l1 }, { d2, l2 }, { d3, l3 }, { d4, l4 } };
	if (!x || crypto_hash_len(x->hash) != p->out_len)
		return -1;
	return crypto_hmac_parts(x->hash, key, key_len, parts, 4, out);
}

int crypto_prf_plus(const struct crypto_prf *p, const uint8_t *key, size_t key_len,
		    const uint8_t *seed, size_t seed_len, uint8_t *out, size_t out_len)
{
	const struct prf_impl *x = prf_impl_of(p);
	uint8_t t[CRYPTO_MAX_HASH];
	size_t tlen = 0, done = 0;
	int rc = -1;
	if (!x || (!out && out_len) || (key_len && !key) || (seed_len && !seed) ||
	    out_len > 255u * p->out_len)
		return -1;
	EVP_MAC_CTX *ctx = crypto_hmac_ctx_new(x->hash, key, key_len);
	if (!ctx)
		return -1;
	for (unsigned n = 1; done < out_len; n++) {
		uint8_t counter = (uint8_t)n;
		const struct crypto_part parts[] = { { t, tlen }, { seed, seed_len }, { &counter, 1 } };
		size_t got = 0;
		if (!EVP_MAC_init(ctx, NULL, 0, NULL) || crypto_mac_feed(ctx, parts, 3) < 0 ||
		    !EVP_MAC_final(ctx, t, &got, sizeof(t)) || got != p->out_len)
			goto out;
		tlen = got;
		size_t take = out_len - done < tlen ? out_len - done : tlen;
		memcpy(out + done, t, take);
		done += take;
	}
	rc = 0;
out:
	if (rc < 0)
		ERR_clear_error();
	OPENSSL_cleanse(t, sizeof(t));
	EVP_MAC_CTX_free(ctx);
	return rc;
}
