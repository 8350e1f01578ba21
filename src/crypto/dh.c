/* Diffie-Hellman for the IKE KE payload.
 *
 *   MODP (RFC 2409 §6, RFC 3526): g = 2; public value and shared secret
 *        are big-endian, zero-padded to the length of the prime
 *        (RFC 7296 §3.4).  Peer values outside 2 .. p-2 are refused: 0, 1
 *        and p-1 would force the secret into a subgroup of order <= 2.
 *   ECP  (RFC 5903 §7): public value x || y, each the field length; the
 *        shared secret is the x coordinate alone.  Points off the curve
 *        are refused.
 *   Curve25519 (RFC 8031 §2): 32-byte u coordinate both ways; an all-zero
 *        shared secret (low-order peer point) is refused.
 *
 * The MODP primes come from OpenSSL's RFC 2409/3526 tables and their
 * Montgomery contexts are prepared once at crypto_init(); they are only
 * read afterwards, so worker threads may share them.  DH runs as a job off
 * the event loop, so per-call allocation is acceptable here. */
#include "crypto/crypto_int.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <stdlib.h>
#include <string.h>

enum dh_kind { DH_MODP, DH_ECP, DH_X25519 };

struct dh_impl {
	struct crypto_dh_group pub;
	enum dh_kind kind;
	BIGNUM *(*prime)(BIGNUM *);   /* MODP */
	uint16_t priv_bits;           /* MODP exponent length, RFC 3526 §8 */
	const char *curve;            /* ECP: OpenSSL group name */
	int nid;                      /* ECP */
};

#define MODP(id_, bits, fn, xbits, weak, cisco)                                  \
	{ { .id = id_, .name = "MODP-" #bits, .cisco_name = cisco,               \
	    .pub_len = (bits) / 8, .shared_len = (bits) / 8, .legacy_weak = weak }, \
	  DH_MODP, fn, xbits, NULL, 0 }
#define ECP(id_, bits, flen, crv, nid_, cisco)                                    \
	{ { .id = id_, .name = "ECP-" #bits, .cisco_name = cisco,                \
	    .pub_len = 2 * (flen), .shared_len = flen },                          \
	  DH_ECP, NULL, 0, crv, nid_ }

static const struct dh_impl dh_table[] = {
	ECP(19, 256, 32, "P-256", NID_X9_62_prime256v1, "DH_GROUP_256_ECP/Group 19"),
	ECP(20, 384, 48, "P-384", NID_secp384r1, "DH_GROUP_384_ECP/Group 20"),
	ECP(21, 521, 66, "P-521", NID_secp521r1, "DH_GROUP_521_ECP/Group 21"),
	{ { .id = 31, .name = "Curve25519", .cisco_name = "DH_GROUP_CURVE25519/Group 31",
	    .pub_len = 32, .shared_len = 32 }, DH_X25519, NULL, 0, "X25519", 0 },
	MODP(14, 2048, BN_get_rfc3526_prime_2048, 320, false, "DH_GROUP_2048_MODP/Group 14"),
	MODP(15, 3072, BN_get_rfc3526_prime_3072, 420, false, "DH_GROUP_3072_MODP/Group 15"),
	MODP(16, 4096, BN_get_rfc3526_prime_4096, 480, false, "DH_GROUP_4096_MODP/Group 16"),
	MODP(17, 6144, BN_get_rfc3526_prime_6144, 540, false, "DH_GROUP_6144_MODP/Group 17"),
	MODP(18, 8192, BN_get_rfc3526_prime_8192, 620, false, "DH_GROUP_8192_MODP/Group 18"),
	MODP(5, 1536, BN_get_rfc3526_prime_1536, 256, true, "DH_GROUP_1536_MODP/Group 5"),
	MODP(2, 1024, BN_get_rfc2409_prime_1024, 256, true, "DH_GROUP_1024_MODP/Group 2"),
	MODP(1, 768, BN_get_rfc2409_prime_768, 256, true, "DH_GROUP_768_MODP/Group 1"),
};

#define NGROUPS (sizeof(dh_table) / sizeof(dh_table[0]))

/* Prepared MODP parameters, indexed like dh_table. */
static struct modp_params {
	BIGNUM *p;
	BIGNUM *p_minus_1;
	BN_MONT_CTX *mont;
} modp[NGROUPS];

static BIGNUM *modp_g;   /* 2 */

struct crypto_dh {
	const struct dh_impl *x;
	const struct modp_params *mp;  /* MODP */
	BIGNUM *priv;                  /* MODP, secure heap */
	BIGNUM *pub;                   /* MODP */
	EVP_PKEY *pkey;                /* ECP, X25519 */
};

/* ---- registry ---------------------------------------------------------- */
const struct crypto_dh_group *crypto_dh_group(uint16_t id)
{
	for (size_t i = 0; i < NGROUPS; i++)
		if (dh_table[i].pub.id == id)
			return &dh_table[i].pub;
	return NULL;
}

const struct crypto_dh_group *crypto_dh_group_at(size_t i)
{
	return i < NGROUPS ? &dh_table[i].pub : NULL;
}

static size_t dh_index_of(const struct crypto_dh_group *g)
{
	for (size_t i = 0; i < NGROUPS; i++)
		if (g == &dh_table[i].pub)
			return i;
	return NGROUPS;
}

int crypto_dh_init_groups(void)
{
	BN_CTX *bnctx = BN_CTX_new();
	int rc = -1;
	if (!bnctx)
		return -1;
	if (!modp_g && (!(modp_g = BN_new()) || !BN_set_word(modp_g, 2)))
		goto out;
	for (size_t i = 0; i < NGROUPS; i++) {
		const struct dh_impl *x = &dh_table[i];
		struct modp_params *mp = &modp[i];
		if (x->kind != DH_MODP || mp->mont)
			continue;
		mp->p = x->prime(NULL);
		mp->p_minus_1 = mp->p ? BN_dup(mp->p) : NULL;
		mp->mont = BN_MONT_CTX_new();
		if (!mp->p_minus_1 || !mp->mont || !BN_sub_word(mp->p_minus_1, 1) ||
		    !BN_MONT_CTX_set(mp->mont, mp->p, bnctx) ||
		    (size_t)BN_num_bytes(mp->p) != x->pub.pub_len)
			goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		crypto_ossl_fail("preparing MODP groups");
	BN_CTX_free(bnctx);
	return rc;
}

/* ---- MODP -------------------------------------------------------------- */
/* pub = g^priv mod p; priv must already be set. */
static int modp_make_public(struct crypto_dh *dh, BN_CTX *bnctx)
{
	BN_set_flags(dh->priv, BN_FLG_CONSTTIME);
	dh->pub = BN_new();
	if (!dh->pub ||
	    !BN_mod_exp_mont_consttime(dh->pub, modp_g, dh->priv, dh->mp->p, bnctx, dh->mp->mont))
		return -1;
	return 0;
}

static int modp_generate(struct crypto_dh *dh, const uint8_t *priv, size_t priv_len)
{
	BN_CTX *bnctx = BN_CTX_secure_new();
	int rc = -1;
	dh->priv = BN_secure_new();
	if (!bnctx || !dh->priv)
		goto out;
	if (priv) {
		if (!BN_bin2bn(priv, (int)priv_len, dh->priv) || BN_is_zero(dh->priv) ||
		    BN_is_one(dh->priv) || BN_cmp(dh->priv, dh->mp->p_minus_1) >= 0)
			goto out;
	} else if (!BN_priv_rand_ex(dh->priv, dh->x->priv_bits, BN_RAND_TOP_ONE,
				    BN_RAND_BOTTOM_ANY, 0, bnctx)) {
		goto out;
	}
	rc = modp_make_public(dh, bnctx);
out:
	BN_CTX_free(bnctx);
	return rc;
}

static int modp_shared(struct crypto_dh *dh, const uint8_t *peer, size_t peer_len,
		       uint8_t *out)
{
	size_t plen = dh->x->pub.pub_len;
	BN_CTX *bnctx = BN_CTX_secure_new();
	BIGNUM *y = BN_bin2bn(peer, (int)peer_len, NULL);
	BIGNUM *z = BN_secure_new();
	int rc = -1;
	if (!bnctx || !y || !z)
		goto out;
	/* 1 < y < p-1 */
	if (BN_cmp(y, BN_value_one()) <= 0 || BN_cmp(y, dh->mp->p_minus_1) >= 0)
		goto out;
	if (!BN_mod_exp_mont_consttime(z, y, dh->priv, dh->mp->p, bnctx, dh->mp->mont) ||
	    BN_is_one(z) || BN_bn2binpad(z, out, (int)plen) != (int)plen)
		goto out;
	rc = 0;
out:
	BN_CTX_free(bnctx);
	BN_free(y);
	BN_clear_free(z);
	return rc;
}

/* ---- ECP --------------------------------------------------------------- */
/* Uncompressed SEC1 encoding of priv * G: 0x04 || x || y. */
static int ecp_public_from_private(const struct dh_impl *x, const BIGNUM *d,
				   uint8_t *enc, size_t enc_len)
{
	EC_GROUP *grp = EC_GROUP_new_by_curve_name(x->nid);
	EC_POINT *pt = grp ? EC_POINT_new(grp) : NULL;
	int rc = -1;
	if (pt && EC_POINT_mul(grp, pt, d, NULL, NULL, NULL) &&
	    EC_POINT_point2oct(grp, pt, POINT_CONVERSION_UNCOMPRESSED, enc, enc_len, NULL) ==
		    enc_len)
		rc = 0;
	EC_POINT_free(pt);
	EC_GROUP_free(grp);
	return rc;
}

/* An EVP_PKEY from a group name, an encoded point and optionally d. */
static EVP_PKEY *ecp_pkey_from(const struct dh_impl *x, const uint8_t *enc, size_t enc_len,
			       const BIGNUM *d)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *pkey = NULL;
	if (!bld || !pc ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, x->curve, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, enc, enc_len) ||
	    (d && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d)) ||
	    !(params = OSSL_PARAM_BLD_to_param(bld)) || EVP_PKEY_fromdata_init(pc) <= 0 ||
	    EVP_PKEY_fromdata(pc, &pkey, d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pkey = NULL;
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(pc);
	return pkey;
}

static int ecp_generate(struct crypto_dh *dh, const uint8_t *priv, size_t priv_len)
{
	uint8_t enc[1 + 2 * 66];
	size_t enc_len = 1 + dh->x->pub.pub_len;
	if (!priv) {
		dh->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", dh->x->curve);
		return dh->pkey ? 0 : -1;
	}
	BIGNUM *d = BN_secure_new();
	int rc = -1;
	if (d && priv_len == dh->x->pub.shared_len && BN_bin2bn(priv, (int)priv_len, d) &&
	    !BN_is_zero(d) && ecp_public_from_private(dh->x, d, enc, enc_len) == 0) {
		dh->pkey = ecp_pkey_from(dh->x, enc, enc_len, d);
		rc = dh->pkey ? 0 : -1;
	}
	BN_clear_free(d);
	return rc;
}

static int ecp_public(struct crypto_dh *dh, uint8_t *out)
{
	uint8_t enc[1 + 2 * 66];
	size_t n = 0, plen = dh->x->pub.pub_len;
	if (!EVP_PKEY_get_octet_string_param(dh->pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
					     enc, sizeof(enc), &n) ||
	    n != 1 + plen || enc[0] != POINT_CONVERSION_UNCOMPRESSED)
		return -1;
	memcpy(out, enc + 1, plen);
	return 0;
}

static EVP_PKEY *ecp_peer(const struct crypto_dh *dh, const uint8_t *peer, size_t peer_len)
{
	uint8_t enc[1 + 2 * 66];
	enc[0] = POINT_CONVERSION_UNCOMPRESSED;
	memcpy(enc + 1, peer, peer_len);
	return ecp_pkey_from(dh->x, enc, 1 + peer_len, NULL);   /* checks the curve */
}

/* ---- ECP and Curve25519: derive with EVP ------------------------------- */
static int evp_shared(struct crypto_dh *dh, EVP_PKEY *peer, uint8_t *out)
{
	EVP_PKEY_CTX *dc = EVP_PKEY_CTX_new_from_pkey(NULL, dh->pkey, NULL);
	size_t n = dh->x->pub.shared_len;
	int rc = -1;
	/* validate_peer = 1: public-key check (on curve, not infinity). */
	if (peer && dc && EVP_PKEY_derive_init(dc) > 0 &&
	    EVP_PKEY_derive_set_peer_ex(dc, peer, 1) > 0 && EVP_PKEY_derive(dc, out, &n) > 0 &&
	    n == dh->x->pub.shared_len)
		rc = 0;
	EVP_PKEY_CTX_free(dc);
	return rc;
}

static int x25519_generate(struct crypto_dh *dh, const uint8_t *priv, size_t priv_len)
{
	if (priv)
		dh->pkey = priv_len == 32
			? EVP_PKEY_new_raw_private_key_ex(NULL, "X25519", NULL, priv, priv_len)
			: NULL;
	else
		dh->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
	return dh->pkey ? 0 : -1;
}

static int x25519_public(struct crypto_dh *dh, uint8_t *out)
{
	size_t n = 32;
	return EVP_PKEY_get_raw_public_key(dh->pkey, out, &n) && n == 32 ? 0 : -1;
}

/* ---- public interface -------------------------------------------------- */
static struct crypto_dh *dh_make(const struct crypto_dh_group *g, const uint8_t *priv,
				 size_t priv_len)
{
	size_t i = dh_index_of(g);
	if (i == NGROUPS || !crypto_is_initialised())
		return NULL;
	struct crypto_dh *dh = calloc(1, sizeof(*dh));
	if (!dh)
		return NULL;
	dh->x = &dh_table[i];
	dh->mp = &modp[i];
	int rc = -1;
	switch (dh->x->kind) {
	case DH_MODP:
		rc = modp_generate(dh, priv, priv_len);
		break;
	case DH_ECP:
		rc = ecp_generate(dh, priv, priv_len);
		break;
	case DH_X25519:
		rc = x25519_generate(dh, priv, priv_len);
		break;
	}
	if (rc < 0) {
		crypto_ossl_fail(g->name);
		crypto_dh_free(dh);
		return NULL;
	}
	return dh;
}

struct crypto_dh *crypto_dh_new(const struct crypto_dh_group *g)
{
	return dh_make(g, NULL, 0);
}

struct crypto_dh *crypto_dh_new_from_private(const struct crypto_dh_group *g,
					     const uint8_t *priv, size_t priv_len)
{
	if (!priv || !priv_len)
		return NULL;
	return dh_make(g, priv, priv_len);
}

void crypto_dh_free(struct crypto_dh *dh)
{
	if (!dh)
		return;
	BN_clear_free(dh->priv);
	BN_free(dh->pub);
	EVP_PKEY_free(dh->pkey);
	free(dh);
}

int crypto_dh_public(struct crypto_dh *dh, uint8_t *out)
{
	if (!dh || !out)
		return -1;
	switch (dh->x->kind) {
	case DH_MODP:
		return BN_bn2binpad(dh->pub, out, dh->x->pub.pub_len) == dh->x->pub.pub_len ? 0 : -1;
	case DH_ECP:
		return ecp_public(dh, out);
	case DH_X25519:
		return x25519_public(dh, out);
	}
	return -1;
}

int crypto_dh_shared(struct crypto_dh *dh, const uint8_t *peer, size_t peer_len,
		     uint8_t *out, size_t *out_len)
{
	EVP_PKEY *pp = NULL;
	int rc = -1;
	if (!dh || !peer || !out || !out_len || peer_len != dh->x->pub.pub_len)
		return -1;
	switch (dh->x->kind) {
	case DH_MODP:
		rc = modp_shared(dh, peer, peer_len, out);
		break;
	case DH_ECP:
		pp = ecp_peer(dh, peer, peer_len);
		rc = evp_shared(dh, pp, out);
		break;
	case DH_X25519:
		pp = EVP_PKEY_new_raw_public_key_ex(NULL, "X25519", NULL, peer, peer_len);
		rc = evp_shared(dh, pp, out);
		break;
	}
	EVP_PKEY_free(pp);
	if (rc < 0) {
		ERR_clear_error();    /* a bad peer value: the caller answers */
		OPENSSL_cleanse(out, dh->x->pub.shared_len);
		return -1;
	}
	*out_len = dh->x->pub.shared_len;
	return 0;
}
