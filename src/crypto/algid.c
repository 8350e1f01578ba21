/* RFC 7427 §3 AlgorithmIdentifier blobs of the Digital Signature AUTH
 * payload:
 *
 *   1 octet ASN.1 length | AlgorithmIdentifier (DER) | Signature Value
 *
 *   AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }
 *   RSASSA-PSS-params ::= SEQUENCE {                       (RFC 4055 §3.1)
 *       hashAlgorithm      [0] HashAlgorithm    DEFAULT sha1,
 *       maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1,
 *       saltLength         [2] INTEGER          DEFAULT 20,
 *       trailerField       [3] TrailerField     DEFAULT trailerFieldBC }
 *
 * We send DER (RFC 7427 App. A.1/A.3; for PSS the DER encoding of
 * SHA-256 / MGF1-SHA-256 / salt 32, default trailer omitted).  Parsing is
 * structural through the bounds-checked reader, so a peer's equivalent
 * encodings are accepted too: NULL parameters present or absent for the
 * PKCS#1 and ECDSA OIDs, the trailer field written out explicitly. */
#include "crypto/crypto_int.h"

#include "base/rd.h"

#include <string.h>

/* ---- what we send ------------------------------------------------------- */
#define OID_PKCS1(last) 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, last
#define OID_ECDSA(last) 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, last
#define OID_SHA256 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01

static const uint8_t algid_rsa_sha1[] = { 0x30, 0x0d, OID_PKCS1(0x05), 0x05, 0x00 };
static const uint8_t algid_rsa_sha256[] = { 0x30, 0x0d, OID_PKCS1(0x0b), 0x05, 0x00 };
static const uint8_t algid_rsa_sha384[] = { 0x30, 0x0d, OID_PKCS1(0x0c), 0x05, 0x00 };
static const uint8_t algid_rsa_sha512[] = { 0x30, 0x0d, OID_PKCS1(0x0d), 0x05, 0x00 };
static const uint8_t algid_rsa_pss_sha256[] = {
	0x30, 0x41, OID_PKCS1(0x0a),
	0x30, 0x34,
	0xa0, 0x0f, 0x30, 0x0d, OID_SHA256, 0x05, 0x00,                   /* hash */
	0xa1, 0x1c, 0x30, 0x1a, OID_PKCS1(0x08),                          /* mgf1 */
	0x30, 0x0d, OID_SHA256, 0x05, 0x00,
	0xa2, 0x03, 0x02, 0x01, 0x20,                                     /* salt 32 */
};
static const uint8_t algid_ecdsa_sha256[] = { 0x30, 0x0a, OID_ECDSA(0x02) };
static const uint8_t algid_ecdsa_sha384[] = { 0x30, 0x0a, OID_ECDSA(0x03) };
static const uint8_t algid_ecdsa_sha512[] = { 0x30, 0x0a, OID_ECDSA(0x04) };

enum algid_params { PARAMS_NULL_OR_ABSENT, PARAMS_PSS_SHA256 };

#define PSS_SALT_LEN_DER 32    /* RFC 7427 App. A: salt as long as SHA-256 */

struct algid_entry {
	enum crypto_sig s;
	const uint8_t *der;
	size_t der_len;
	enum algid_params params;
};

#define ENTRY(s, a, p) { s, a, sizeof(a), p }
static const struct algid_entry algids[] = {
	ENTRY(SIG_RSA_PKCS1_SHA1, algid_rsa_sha1, PARAMS_NULL_OR_ABSENT),
	ENTRY(SIG_RSA_PKCS1_SHA256, algid_rsa_sha256, PARAMS_NULL_OR_ABSENT),
	ENTRY(SIG_RSA_PKCS1_SHA384, algid_rsa_sha384, PARAMS_NULL_OR_ABSENT),
	ENTRY(SIG_RSA_PKCS1_SHA512, algid_rsa_sha512, PARAMS_NULL_OR_ABSENT),
	ENTRY(SIG_RSA_PSS_SHA256, algid_rsa_pss_sha256, PARAMS_PSS_SHA256),
	ENTRY(SIG_ECDSA_SHA256, algid_ecdsa_sha256, PARAMS_NULL_OR_ABSENT),
	ENTRY(SIG_ECDSA_SHA384, algid_ecdsa_sha384, PARAMS_NULL_OR_ABSENT),
	ENTRY(SIG_ECDSA_SHA512, algid_ecdsa_sha512, PARAMS_NULL_OR_ABSENT),
};
#define NALGIDS (sizeof(algids) / sizeof(algids[0]))

const uint8_t *crypto_sig_algid(enum crypto_sig s, size_t *len)
{
	for (size_t i = 0; i < NALGIDS; i++) {
		if (algids[i].s == s) {
			if (len)
				*len = algids[i].der_len;
			return algids[i].der;
		}
	}
	return NULL;
}

/* ---- DER reading -------------------------------------------------------- */
/* One TLV with a single-octet tag; definite lengths up to 65535.  The
 * content becomes a sub-reader; false if anything is off. */
static bool der_tlv(struct rd *r, uint8_t want_tag, struct rd *content)
{
	uint8_t tag = rd_u8(r);
	size_t len = rd_u8(r);
	if (len == 0x81)
		len = rd_u8(r);
	else if (len == 0x82)
		len = rd_u16(r);
	else if (len >= 0x80)
		r->bad = true;                  /* indefinite or too long */
	*content = rd_sub(r, len);
	return !r->bad && tag == want_tag;
}

static bool rd_equals(struct rd *r, const uint8_t *want, size_t n)
{
	const uint8_t *p = rd_ptr(r, n);
	return p && memcmp(p, want, n) == 0;
}

/* The content of an OID TLV equals the content of want (a full OID TLV). */
static bool der_oid_is(struct rd *r, const uint8_t *want_tlv)
{
	struct rd oid;
	size_t n = want_tlv[1];
	return der_tlv(r, 0x06, &oid) && oid.left == n && rd_equals(&oid, want_tlv + 2, n);
}

/* Nothing left, or exactly one NULL. */
static bool der_null_or_end(struct rd *r)
{
	struct rd null;
	if (r->left == 0)
		return !r->bad;
	return der_tlv(r, 0x05, &null) && null.left == 0 && r->left == 0;
}

static const uint8_t oid_sha256[] = { OID_SHA256 };
static const uint8_t oid_mgf1[] = { OID_PKCS1(0x08) };

/* AlgorithmIdentifier { sha256, NULL or absent } filling r exactly. */
static bool der_algid_is_sha256(struct rd *r)
{
	struct rd seq;
	return der_tlv(r, 0x30, &seq) && r->left == 0 && der_oid_is(&seq, oid_sha256) &&
	       der_null_or_end(&seq);
}

static bool der_small_int_is(struct rd *r, uint8_t want)
{
	struct rd i;
	return der_tlv(r, 0x02, &i) && i.left == 1 && rd_u8(&i) == want && r->left == 0;
}

/* RSASSA-PSS-params with SHA-256, MGF1-SHA-256, salt 32 (trailer 1 or absent). */
static bool der_pss_params_sha256(struct rd *r)
{
	struct rd params, hash, mgf, mgf_seq, salt, trailer;
	if (!der_tlv(r, 0x30, &params) || r->left != 0)
		return false;
	if (!der_tlv(&params, 0xa0, &hash) || !der_algid_is_sha256(&hash))
		return false;
	if (!der_tlv(&params, 0xa1, &mgf) || !der_tlv(&mgf, 0x30, &mgf_seq) || mgf.left != 0 ||
	    !der_oid_is(&mgf_seq, oid_mgf1) || !der_algid_is_sha256(&mgf_seq))
		return false;
	if (!der_tlv(&params, 0xa2, &salt) || !der_small_int_is(&salt, PSS_SALT_LEN_DER))
		return false;
	if (params.left && (!der_tlv(&params, 0xa3, &trailer) || !der_small_int_is(&trailer, 1)))
		return false;
	return params.left == 0 && !params.bad;
}

int crypto_sig_from_algid(const uint8_t *der, size_t len, enum crypto_sig *s)
{
	struct rd r = rd_init(der, der ? len : 0), seq;
	if (!der || !s || !der_tlv(&r, 0x30, &seq) || r.left != 0)
		return -1;
	for (size_t i = 0; i < NALGIDS; i++) {
		struct rd body = seq;
		const uint8_t *oid = algids[i].der + 2;    /* past the SEQUENCE header */
		if (!der_oid_is(&body, oid))
			continue;
		bool ok = algids[i].params == PARAMS_PSS_SHA256 ? der_pss_params_sha256(&body)
								: der_null_or_end(&body);
		if (!ok)
			return -1;
		*s = algids[i].s;
		return 0;
	}
	return -1;
}
