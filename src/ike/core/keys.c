#include "ike/core/keys.h"

#include <string.h>

#include "base/mem.h"

/* Lay out the prf+ output into the seven keys in RFC order. */
static void split_keys(struct ike_keymat *k, const uint8_t *out)
{
	size_t o = 0;
	memcpy(k->sk_d, out + o, k->prf_len), o += k->prf_len;
	memcpy(k->sk_ai, out + o, k->integ_len), o += k->integ_len;
	memcpy(k->sk_ar, out + o, k->integ_len), o += k->integ_len;
	memcpy(k->sk_ei, out + o, k->encr_len), o += k->encr_len;
	memcpy(k->sk_er, out + o, k->encr_len), o += k->encr_len;
	memcpy(k->sk_pi, out + o, k->prf_len), o += k->prf_len;
	memcpy(k->sk_pr, out + o, k->prf_len);
}

static int set_lengths(struct ike_keymat *k)
{
	if (!k->prf || !k->encr)
		return -1;
	k->prf_len = k->prf->out_len;
	k->integ_len = k->integ ? k->integ->key_len : 0;
	k->encr_len = k->encr->key_len;
	if (k->prf_len > CRYPTO_MAX_HASH || k->integ_len > CRYPTO_MAX_KEY ||
	    k->encr_len > CRYPTO_MAX_KEY)
		return -1;
	if (!k->encr->aead && !k->integ)
		return -1;
	return 0;
}

/* prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) into the keymat. */
static int expand(struct ike_keymat *k, const uint8_t *skeyseed, size_t skeyseed_len,
		  const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
		  uint64_t spi_i, uint64_t spi_r)
{
	uint8_t seed[2 * IKE_NONCE_MAX + 16];
	uint8_t out[3 * CRYPTO_MAX_HASH + 4 * CRYPTO_MAX_KEY];
	int rc = -1;
	size_t total = 3 * k->prf_len + 2 * k->integ_len + 2 * k->encr_len;
	if (ni_len > IKE_NONCE_MAX || nr_len > IKE_NONCE_MAX)
		goto out;
	size_t n = 0;
	memcpy(seed + n, ni, ni_len), n += ni_len;
	memcpy(seed + n, nr, nr_len), n += nr_len;
	for (int i = 7; i >= 0; i--)
		seed[n++] = (uint8_t)(spi_i >> (8 * i));
	for (int i = 7; i >= 0; i--)
		seed[n++] = (uint8_t)(spi_r >> (8 * i));
	if (crypto_prf_plus(k->prf, skeyseed, skeyseed_len, seed, n, out, total) < 0)
		goto out;
	split_keys(k, out);
	rc = 0;
out:
	mem_wipe(out, sizeof(out));
	return rc;
}

int ike_keys_derive(struct ike_keymat *k, const uint8_t *ni, size_t ni_len,
		    const uint8_t *nr, size_t nr_len, const uint8_t *gir, size_t gir_len,
		    uint64_t spi_i, uint64_t spi_r)
{
	uint8_t nonces[2 * IKE_NONCE_MAX];
	uint8_t skeyseed[CRYPTO_MAX_HASH];
	int rc = -1;
	if (set_lengths(k) < 0 || ni_len > IKE_NONCE_MAX || nr_len > IKE_NONCE_MAX)
		goto out;
	memcpy(nonces, ni, ni_len);
	memcpy(nonces + ni_len, nr, nr_len);
	/* SKEYSEED = prf(Ni | Nr, g^ir) */
	if (crypto_prf(k->prf, nonces, ni_len + nr_len, gir, gir_len, NULL, 0, NULL, 0, NULL, 0,
		       skeyseed) < 0)
		goto out;
	rc = expand(k, skeyseed, k->prf_len, ni, ni_len, nr, nr_len, spi_i, spi_r);
out:
	mem_wipe(skeyseed, sizeof(skeyseed));
	return rc;
}

int ike_keys_derive_rekey(struct ike_keymat *k, const struct crypto_prf *old_prf,
			  const uint8_t *old_sk_d, size_t old_sk_d_len,
			  const uint8_t *gir, size_t gir_len,
			  const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
			  uint64_t spi_i, uint64_t spi_r)
{
	uint8_t skeyseed[CRYPTO_MAX_HASH];
	int rc = -1;
	if (set_lengths(k) < 0 || !old_prf)
		goto out;
	/* SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr), old SA's PRF */
	if (crypto_prf(old_prf, old_sk_d, old_sk_d_len, gir, gir_len, ni, ni_len, nr, nr_len,
		       NULL, 0, skeyseed) < 0)
		goto out;
	rc = expand(k, skeyseed, old_prf->out_len, ni, ni_len, nr, nr_len, spi_i, spi_r);
out:
	mem_wipe(skeyseed, sizeof(skeyseed));
	return rc;
}

void ike_keys_wipe(struct ike_keymat *k)
{
	mem_wipe(k->sk_d, sizeof(k->sk_d));
	mem_wipe(k->sk_ai, sizeof(k->sk_ai));
	mem_wipe(k->sk_ar, sizeof(k->sk_ar));
	mem_wipe(k->sk_ei, sizeof(k->sk_ei));
	mem_wipe(k->sk_er, sizeof(k->sk_er));
	mem_wipe(k->sk_pi, sizeof(k->sk_pi));
	mem_wipe(k->sk_pr, sizeof(k->sk_pr));
}

int ike_child_keymat(const struct crypto_prf *prf, const uint8_t *sk_d, size_t sk_d_len,
		     const uint8_t *gir, size_t gir_len,
		     const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
		     size_t encr_len, size_t integ_len, struct ike_child_keys *out)
{
	uint8_t seed[CRYPTO_MAX_DH_PUB + 2 * IKE_NONCE_MAX];
	uint8_t km[4 * CRYPTO_MAX_KEY];
	int rc = -1;
	if (!prf || encr_len > CRYPTO_MAX_KEY || integ_len > CRYPTO_MAX_KEY ||
	    ni_len > IKE_NONCE_MAX || nr_len > IKE_NONCE_MAX || gir_len > CRYPTO_MAX_DH_PUB)
		goto out;
	size_t n = 0;
	if (gir) {
		memcpy(seed, gir, gir_len);
		n = gir_len;
	}
	memcpy(seed + n, ni, ni_len), n += ni_len;
	memcpy(seed + n, nr, nr_len), n += nr_len;
	size_t total = 2 * (encr_len + integ_len);
	if (crypto_prf_plus(prf, sk_d, sk_d_len, seed, n, km, total) < 0)
		goto out;
	out->encr_len = encr_len;
	out->integ_len = integ_len;
	size_t o = 0;
	memcpy(out->encr_i, km + o, encr_len), o += encr_len;
	memcpy(out->integ_i, km + o, integ_len), o += integ_len;
	memcpy(out->encr_r, km + o, encr_len), o += encr_len;
	memcpy(out->integ_r, km + o, integ_len);
	rc = 0;
out:
	mem_wipe(seed, sizeof(seed));
	mem_wipe(km, sizeof(km));
	return rc;
}
