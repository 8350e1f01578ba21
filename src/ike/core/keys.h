/* IKEv2 key derivation (RFC 7296 §2.13, §2.14, §2.17, §2.18).
 *
 *   SKEYSEED = prf(Ni | Nr, g^ir)                                  §2.14
 *   {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *            = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)
 *   rekey:   SKEYSEED = prf_old(SK_d (old), g^ir (new) | Ni | Nr)  §2.18
 *   CHILD:   KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr)           §2.17
 *            taken in the order: initiator->responder encryption key,
 *            integrity key, then responder->initiator encryption key,
 *            integrity key.
 *
 * Only HMAC-based PRFs are configured on the ASA (prf md5|sha|sha256|
 * sha384|sha512), so the full nonces key SKEYSEED (no fixed-key PRF
 * truncation).  Everything here is a pure function over bytes, so the unit
 * tests recompute it independently with crypto_prf/crypto_prf_plus. */
#ifndef RAVPN_IKE_CORE_KEYS_H
#define RAVPN_IKE_CORE_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"

#define IKE_NONCE_MAX 256
#define IKE_NONCE_MIN 16

struct ike_keymat {
	const struct crypto_prf *prf;
	const struct crypto_encr *encr;
	const struct crypto_integ *integ;     /* NULL for AEAD */
	size_t prf_len, integ_len, encr_len;  /* key lengths in bytes */
	uint8_t sk_d[CRYPTO_MAX_HASH];
	uint8_t sk_ai[CRYPTO_MAX_KEY], sk_ar[CRYPTO_MAX_KEY];
	uint8_t sk_ei[CRYPTO_MAX_KEY], sk_er[CRYPTO_MAX_KEY];
	uint8_t sk_pi[CRYPTO_MAX_HASH], sk_pr[CRYPTO_MAX_HASH];
};

/* Keys of one CHILD SA in both directions ("i" = initiator to responder). */
struct ike_child_keys {
	size_t encr_len, integ_len;
	uint8_t encr_i[CRYPTO_MAX_KEY], integ_i[CRYPTO_MAX_KEY];
	uint8_t encr_r[CRYPTO_MAX_KEY], integ_r[CRYPTO_MAX_KEY];
};

/* Initial IKE SA keys.  k->prf, k->encr, k->integ must be set. */
int ike_keys_derive(struct ike_keymat *k, const uint8_t *ni, size_t ni_len,
		    const uint8_t *nr, size_t nr_len, const uint8_t *gir, size_t gir_len,
		    uint64_t spi_i, uint64_t spi_r) __attribute__((warn_unused_result));
/* Keys of a new IKE SA created by a CREATE_CHILD_SA rekey: SKEYSEED uses the
 * old SA's PRF and SK_d; prf+ uses the new PRF (k->prf) and the new SPIs. */
int ike_keys_derive_rekey(struct ike_keymat *k, const struct crypto_prf *old_prf,
			  const uint8_t *old_sk_d, size_t old_sk_d_len,
			  const uint8_t *gir, size_t gir_len,
			  const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
			  uint64_t spi_i, uint64_t spi_r) __attribute__((warn_unused_result));
void ike_keys_wipe(struct ike_keymat *k);

/* CHILD SA KEYMAT; gir may be NULL (no PFS). */
int ike_child_keymat(const struct crypto_prf *prf, const uint8_t *sk_d, size_t sk_d_len,
		     const uint8_t *gir, size_t gir_len,
		     const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
		     size_t encr_len, size_t integ_len, struct ike_child_keys *out)
	__attribute__((warn_unused_result));

#endif
