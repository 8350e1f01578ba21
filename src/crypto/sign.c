/* Signatures for IKEv2 AUTH: method 1 (RSA, PKCS#1 v1.5 with SHA-1,
 * RFC 7296 §3.8) and method 14 (RFC 7427 Digital Signature) with
 * PKCS#1 v1.5 SHA-2, RSASSA-PSS SHA-256 (MGF1-SHA-256, 32-byte salt) and
 * ECDSA.  ECDSA signatures are the DER Ecdsa-Sig-Value of RFC 7427 §3, not
 * the raw r || s of RFC 4754 methods 9-11.  Hashing is part of the scheme:
 * callers pass the octets to be signed. */
#include "crypto/crypto_int.h"

#include <openssl/err.h>
#include <openssl/rsa.h>

struct sig_scheme {
	enum crypto_sig s;
	const char *md;        /* OpenSSL digest name */
	bool rsa;              /* needs an RSA key, else EC */
	bool pss;
	uint16_t hash_alg;     /* RFC 7427 §4 SIGNATURE_HASH_ALGORITHMS value */
};

static const struct sig_scheme schemes[] = {
	{ SIG_RSA_PKCS1_SHA1, "SHA1", true, false, 1 },
	{ SIG_RSA_PKCS1_SHA256, "SHA2-256", true, false, 2 },
	{ SIG_RSA_PKCS1_SHA384, "SHA2-384", true, false, 3 },
	{ SIG_RSA_PKCS1_SHA512, "SHA2-512", true, false, 4 },
	{ SIG_RSA_PSS_SHA256, "SHA2-256", true, true, 2 },
	{ SIG_ECDSA_SHA256, "SHA2-256", false, false, 2 },
	{ SIG_ECDSA_SHA384, "SHA2-384", false, false, 3 },
	{ SIG_ECDSA_SHA512, "SHA2-512", false, false, 4 },
};

#define PSS_SALT_LEN 32

static const struct sig_scheme *scheme_of(enum crypto_sig s)
{
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (schemes[i].s == s)
			return &schemes[i];
	return NULL;
}

uint16_t crypto_sig_hash_alg(enum crypto_sig s)
{
	const struct sig_scheme *sc = scheme_of(s);
	return sc ? sc->hash_alg : 0;
}

static bool scheme_fits_key(const struct sig_scheme *sc, EVP_PKEY *pk)
{
	return pk && EVP_PKEY_is_a(pk, sc->rsa ? "RSA" : "EC");
}

/* PKCS#1 v1.5 is OpenSSL's default for RSA; PSS needs its parameters. */
static int scheme_set_padding(const struct sig_scheme *sc, EVP_PKEY_CTX *pc)
{
	if (!sc->pss)
		return 0;
	if (EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, PSS_SALT_LEN) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md_name(pc, sc->md, NULL) <= 0)
		return -1;
	return 0;
}

int crypto_sign(const struct crypto_key *k, enum crypto_sig s, const uint8_t *data, size_t len,
		uint8_t *sig, size_t *sig_len)
{
	const struct sig_scheme *sc = scheme_of(s);
	EVP_PKEY *pk = crypto_key_pkey(k);
	EVP_PKEY_CTX *pc = NULL;
	int rc = -1;
	if (!sc || !scheme_fits_key(sc, pk) || !sig || !sig_len || (len && !data) ||
	    *sig_len < crypto_key_sig_len(k))
		return -1;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	size_t n = *sig_len;
	if (!m || EVP_DigestSignInit_ex(m, &pc, sc->md, NULL, NULL, pk, NULL) <= 0 ||
	    scheme_set_padding(sc, pc) < 0 || EVP_DigestSign(m, sig, &n, data, len) <= 0)
		goto out;
	*sig_len = n;
	rc = 0;
out:
	if (rc < 0)
		crypto_ossl_fail("signing");
	EVP_MD_CTX_free(m);
	return rc;
}

int crypto_verify(const struct crypto_cert *c, enum crypto_sig s, const uint8_t *data, size_t len,
		  const uint8_t *sig, size_t sig_len)
{
	const struct sig_scheme *sc = scheme_of(s);
	EVP_PKEY *pk = crypto_cert_pubkey(c);
	EVP_PKEY_CTX *pc = NULL;
	int rc = -1;
	if (!sc || !scheme_fits_key(sc, pk) || !sig || !sig_len || (len && !data))
		return -1;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	if (m && EVP_DigestVerifyInit_ex(m, &pc, sc->md, NULL, NULL, pk, NULL) > 0 &&
	    scheme_set_padding(sc, pc) == 0 && EVP_DigestVerify(m, sig, sig_len, data, len) == 1)
		rc = 0;
	ERR_clear_error();    /* a bad signature from a peer is not an engine error */
	EVP_MD_CTX_free(m);
	return rc;
}
