/* AUTH payload inputs (RFC 7296 §2.15, §2.16).
 *
 *   InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI
 *   ResponderSignedOctets = RealMessage2 | NonceIData | MACedIDForR
 *   MACedIDForI = prf(SK_pi, RestOfInitIDPayload)
 *   MACedIDForR = prf(SK_pr, RestOfRespIDPayload)
 *   shared key: AUTH = prf( prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>)
 * After EAP the shared secret is the MSK, or SK_pi / SK_pr when the method
 * produced none (§2.16). */
#include "base/mem.h"
#include "ike/v2/v2.h"

static const char key_pad[] = "Key Pad for IKEv2";   /* 17 octets, no NUL */

int v2_auth_octets_raw(const struct crypto_prf *prf, const uint8_t *sk_p, const uint8_t *real,
		       size_t real_len, const uint8_t *nonce, size_t nonce_len,
		       const uint8_t *id_body, size_t id_len, struct buf *out)
{
	uint8_t mac[CRYPTO_MAX_HASH];
	if (!real_len || !prf)
		return -1;
	if (crypto_prf(prf, sk_p, prf->out_len, id_body, id_len, NULL, 0, NULL, 0, NULL, 0, mac) < 0)
		return -1;
	buf_reset(out);
	buf_put(out, real, real_len);
	buf_put(out, nonce, nonce_len);
	buf_put(out, mac, prf->out_len);
	mem_wipe(mac, sizeof(mac));
	return out->oom ? -1 : 0;
}

int v2_auth_octets(const struct v2_sa *v, bool responder, const uint8_t *id_body, size_t id_len,
		   struct buf *out)
{
	const struct buf *real = responder ? &v->init_resp : &v->init_req;
	if (!v->km.prf)
		return -1;
	return v2_auth_octets_raw(v->km.prf, responder ? v->km.sk_pr : v->km.sk_pi, real->data,
				  real->len, responder ? v->ni : v->nr,
				  responder ? v->ni_len : v->nr_len, id_body, id_len, out);
}

int v2_auth_psk(const struct crypto_prf *prf, const uint8_t *secret, size_t secret_len,
		const struct buf *octets, uint8_t *out, size_t *out_len)
{
	uint8_t padkey[CRYPTO_MAX_HASH];
	int rc = -1;
	if (crypto_prf(prf, secret, secret_len, (const uint8_t *)key_pad, sizeof(key_pad) - 1,
		       NULL, 0, NULL, 0, NULL, 0, padkey) < 0)
		goto out;
	if (crypto_prf(prf, padkey, prf->out_len, octets->data, octets->len, NULL, 0, NULL, 0,
		       NULL, 0, out) < 0)
		goto out;
	*out_len = prf->out_len;
	rc = 0;
out:
	mem_wipe(padkey, sizeof(padkey));
	return rc;
}
