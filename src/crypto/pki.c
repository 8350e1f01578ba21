/* Private keys and X.509 certificates (trustpoints, IKE CERT payloads).
 *
 * Private keys are written as unencrypted PKCS#8 PEM with mode 0600, via a
 * temporary file renamed into place so a crash never leaves half a key.
 * Certificates made here are X.509 v3, signed with SHA-256.  Control plane
 * only. */
#include "crypto/crypto_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct crypto_key {
	EVP_PKEY *pkey;
};

struct crypto_cert {
	X509 *x;
};

EVP_PKEY *crypto_key_pkey(const struct crypto_key *k)
{
	return k ? k->pkey : NULL;
}

EVP_PKEY *crypto_cert_pubkey(const struct crypto_cert *c)
{
	return c ? X509_get0_pubkey(c->x) : NULL;
}

/* ---- keys --------------------------------------------------------------- */
static struct crypto_key *key_wrap(EVP_PKEY *pkey)
{
	if (!pkey) {
		crypto_ossl_fail("key");
		return NULL;
	}
	struct crypto_key *k = calloc(1, sizeof(*k));
	if (!k) {
		EVP_PKEY_free(pkey);
		return NULL;
	}
	k->pkey = pkey;
	return k;
}

struct crypto_key *crypto_key_generate_rsa(unsigned bits)
{
	if (bits < 1024 || bits > 16384)
		return NULL;
	return key_wrap(EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits));
}

struct crypto_key *crypto_key_generate_ec(unsigned bits)
{
	const char *curve = bits == 256 ? "P-256" : bits == 384 ? "P-384"
			  : bits == 521 ? "P-521" : NULL;
	if (!curve)
		return NULL;
	return key_wrap(EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve));
}

void crypto_key_free(struct crypto_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

bool crypto_key_is_rsa(const struct crypto_key *k)
{
	return k && EVP_PKEY_is_a(k->pkey, "RSA");
}

bool crypto_key_is_ec(const struct crypto_key *k)
{
	return k && EVP_PKEY_is_a(k->pkey, "EC");
}

/* Never prompt on a terminal for a pass phrase: encrypted keys fail. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf, (void)size, (void)rwflag, (void)u;
	return -1;
}

struct crypto_key *crypto_key_load_pem(const char *path)
{
	FILE *f = path ? fopen(path, "re") : NULL;
	if (!f)
		return NULL;
	EVP_PKEY *pkey = PEM_read_PrivateKey(f, NULL, no_passphrase, NULL);
	fclose(f);
	return key_wrap(pkey);
}

/* Write with fn into path via "<path>.tmp" created with the given mode. */
static int pem_write_file(const char *path, mode_t mode,
			  int (*fn)(FILE *f, const void *obj), const void *obj)
{
	char tmp[4096];
	if (!path || snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -1;
	FILE *f = fchmod(fd, mode) == 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	int ok = fn(f, obj);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		ok = 0;
	if (fclose(f) != 0)
		ok = 0;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		ERR_clear_error();
		return -1;
	}
	return 0;
}

static int write_key(FILE *f, const void *obj)
{
	return PEM_write_PrivateKey(f, (EVP_PKEY *)obj, NULL, NULL, 0, NULL, NULL);
}

int crypto_key_save_pem(const struct crypto_key *k, const char *path)
{
	if (!k)
		return -1;
	return pem_write_file(path, 0600, write_key, k->pkey);
}

size_t crypto_key_sig_len(const struct crypto_key *k)
{
	int n = k ? EVP_PKEY_get_size(k->pkey) : 0;
	return n > 0 ? (size_t)n : 0;
}

/* ---- certificates: loading and export ----------------------------------- */
static struct crypto_cert *cert_wrap(X509 *x)
{
	if (!x) {
		ERR_clear_error();
		return NULL;
	}
	struct crypto_cert *c = calloc(1, sizeof(*c));
	if (!c) {
		X509_free(x);
		return NULL;
	}
	c->x = x;
	return c;
}

struct crypto_cert *crypto_cert_load_pem(const char *path)
{
	FILE *f = path ? fopen(path, "re") : NULL;
	if (!f)
		return NULL;
	X509 *x = PEM_read_X509(f, NULL, no_passphrase, NULL);
	fclose(f);
	return cert_wrap(x);
}

struct crypto_cert *crypto_cert_from_der(const uint8_t *der, size_t len)
{
	const unsigned char *p = der;
	if (!der || !len || len > LONG_MAX)
		return NULL;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	if (x && p != der + len) {     /* trailing bytes: not one certificate */
		X509_free(x);
		x = NULL;
	}
	return cert_wrap(x);
}

static int write_cert(FILE *f, const void *obj)
{
	return PEM_write_X509(f, (X509 *)obj);
}

int crypto_cert_save_pem(const struct crypto_cert *c, const char *path)
{
	if (!c)
		return -1;
	return pem_write_file(path, 0644, write_cert, c->x);
}

void crypto_cert_free(struct crypto_cert *c)
{
	if (!c)
		return;
	X509_free(c->x);
	free(c);
}

/* DER made by an i2d_* function, moved into malloc() storage (callers
 * free() it). */
static uint8_t *der_to_malloc(int n, unsigned char *ossl, size_t *len)
{
	uint8_t *out = NULL;
	if (n > 0 && ossl && (out = malloc((size_t)n))) {
		memcpy(out, ossl, (size_t)n);
		*len = (size_t)n;
	}
	OPENSSL_free(ossl);
	return out;
}

uint8_t *crypto_cert_der(const struct crypto_cert *c, size_t *len)
{
	unsigned char *p = NULL;
	if (!c || !len)
		return NULL;
	int n = i2d_X509(c->x, &p);
	return der_to_malloc(n, p, len);
}

uint8_t *crypto_cert_subject_der(const struct crypto_cert *c, size_t *len)
{
	unsigned char *p = NULL;
	if (!c || !len)
		return NULL;
	int n = i2d_X509_NAME(X509_get_subject_name(c->x), &p);
	return der_to_malloc(n, p, len);
}

/* Everything written to a memory BIO, as a NUL-terminated malloc() string. */
static char *bio_to_string(BIO *b)
{
	char *data = NULL, *out = NULL;
	long n = b ? BIO_get_mem_data(b, &data) : 0;
	if (n >= 0 && (out = malloc((size_t)n + 1))) {
		if (n)
			memcpy(out, data, (size_t)n);
		out[n] = '\0';
	}
	return out;
}

char *crypto_cert_pem(const struct crypto_cert *c)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *out = NULL;
	if (c && b && PEM_write_bio_X509(b, c->x))
		out = bio_to_string(b);
	BIO_free(b);
	ERR_clear_error();
	return out;
}

void crypto_cert_subject_str(const struct crypto_cert *c, char *out, size_t out_len)
{
	const unsigned long flags = (ASN1_STRFLGS_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) |
				    XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_FN_SN;
	if (!out || !out_len)
		return;
	out[0] = '\0';
	BIO *b = BIO_new(BIO_s_mem());
	if (c && b && X509_NAME_print_ex(b, X509_get_subject_name(c->x), 0, flags) >= 0) {
		char *s = bio_to_string(b);
		if (s)
			snprintf(out, out_len, "%s", s);
		free(s);
	}
	BIO_free(b);
	ERR_clear_error();
}

int crypto_cert_spki_sha1(const struct crypto_cert *c, uint8_t out[20])
{
	unsigned char *der = NULL;
	if (!c || !out)
		return -1;
	int n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(c->x), &der);
	int rc = n > 0 ? crypto_hash(HASH_SHA1, der, (size_t)n, NULL, 0, NULL, 0, out) : -1;
	OPENSSL_free(der);
	return rc;
}

bool crypto_cert_matches_key(const struct crypto_cert *c, const struct crypto_key *k)
{
	if (!c || !k)
		return false;
	bool eq = EVP_PKEY_eq(X509_get0_pubkey(c->x), k->pkey) == 1;
	ERR_clear_error();
	return eq;
}

/* Chain check against one trusted certificate: signature, validity period,
 * CA basic constraints.  The anchor may be an intermediate (partial chain),
 * as an ASA trustpoint can hold a subordinate CA.  A certificate checked
 * against itself passes only if it is self-signed (OpenSSL would accept any
 * certificate that is itself in the store). */
int crypto_cert_verify(const struct crypto_cert *c, const struct crypto_cert *ca)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int rc = -1;
	if (!c || !ca || !store || !ctx || !X509_STORE_add_cert(store, ca->x) ||
	    !X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN) ||
	    !X509_STORE_CTX_init(ctx, store, c->x, NULL))
		goto out;
	if (X509_verify_cert(ctx) != 1)
		goto out;
	if (X509_cmp(c->x, ca->x) == 0 && X509_verify(c->x, X509_get0_pubkey(c->x)) != 1)
		goto out;
	rc = 0;
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	ERR_clear_error();
	return rc;
}

/* ---- certificates: making them ------------------------------------------ */
/* Random positive 64-bit serial. */
static int cert_set_serial(X509 *x)
{
	uint8_t r[8];
	BIGNUM *bn = NULL;
	int ok = crypto_random(r, sizeof(r)) == 0;
	r[0] = (uint8_t)((r[0] & 0x7f) | 0x01);
	ok = ok && (bn = BN_bin2bn(r, sizeof(r), NULL)) &&
	     BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
	BN_free(bn);
	return ok ? 0 : -1;
}

/* CN=cn, unstructuredName=cn: what the ASA puts in an `enrollment self`
 * certificate (shown as "hostname=" by the ASA). */
static X509_NAME *cert_name(const char *cn)
{
	X509_NAME *n = X509_NAME_new();
	if (!n || !X509_NAME_add_entry_by_NID(n, NID_commonName, MBSTRING_UTF8,
					      (const unsigned char *)cn, -1, -1, 0) ||
	    !X509_NAME_add_entry_by_NID(n, NID_pkcs9_unstructuredName, MBSTRING_ASC,
					(const unsigned char *)cn, -1, -1, 0)) {
		X509_NAME_free(n);
		return NULL;
	}
	return n;
}

/* subjectAltName dNSName:cn, built directly so that no character of cn is
 * read as configuration syntax. */
static int cert_add_san_dns(X509 *x, const char *cn)
{
	GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
	GENERAL_NAME *gn = GENERAL_NAME_new();
	ASN1_IA5STRING *ia5 = ASN1_IA5STRING_new();
	int ok = gens && gn && ia5 && ASN1_STRING_set(ia5, cn, -1);
	if (ok) {
		GENERAL_NAME_set0_value(gn, GEN_DNS, ia5);
		ia5 = NULL;
		ok = sk_GENERAL_NAME_push(gens, gn) > 0;
		if (ok)
			gn = NULL;
	}
	ok = ok && X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, X509V3_ADD_DEFAULT) == 1;
	ASN1_IA5STRING_free(ia5);
	GENERAL_NAME_free(gn);
	GENERAL_NAMES_free(gens);
	return ok ? 0 : -1;
}

/* Fixed extension strings (no user text in them). */
static int cert_add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX v3;
	X509V3_set_ctx(&v3, issuer, x, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	int ok = ext && X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -1;
}

/* EKU: serverAuth, clientAuth, id-kp-ipsecIKE (RFC 4945 §5.1.3.12) and
 * Microsoft's "IP security IKE intermediate", which Windows and macOS
 * IKEv2 clients look for on gateway certificates. */
#define EKU_IKE "serverAuth,clientAuth,1.3.6.1.5.5.7.3.17,1.3.6.1.5.5.8.2.2"

static X509 *cert_build(const struct crypto_key *k, X509 *issuer, const X509_NAME *issuer_name,
			const char *cn, unsigned days, bool ca)
{
	X509 *x = X509_new();
	X509_NAME *subj = cert_name(cn);
	int ok = x && subj && X509_set_version(x, X509_VERSION_3) && cert_set_serial(x) == 0 &&
		 X509_gmtime_adj(X509_getm_notBefore(x), 0) &&
		 X509_time_adj_ex(X509_getm_notAfter(x), (int)days, 0, NULL) &&
		 X509_set_subject_name(x, subj) &&
		 X509_set_issuer_name(x, issuer_name ? issuer_name : subj) &&
		 X509_set_pubkey(x, k->pkey);
	X509_NAME_free(subj);
	if (!ok)
		goto fail;
	X509 *iss = issuer ? issuer : x;
	/* keyEncipherment means something for RSA keys only */
	bool rsa = crypto_key_is_rsa(k);
	const char *ku = ca ? (rsa ? "critical,digitalSignature,keyEncipherment,keyCertSign,cRLSign"
				   : "critical,digitalSignature,keyCertSign,cRLSign")
			    : (rsa ? "critical,digitalSignature,keyEncipherment"
				   : "critical,digitalSignature");
	ok = cert_add_ext(x, iss, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE") == 0 &&
	     cert_add_ext(x, iss, NID_key_usage, ku) == 0 &&
	     cert_add_ext(x, iss, NID_ext_key_usage, EKU_IKE) == 0 &&
	     cert_add_ext(x, iss, NID_subject_key_identifier, "hash") == 0 &&
	     cert_add_ext(x, iss, NID_authority_key_identifier, "keyid:always") == 0 &&
	     cert_add_san_dns(x, cn) == 0;
	if (ok)
		return x;
fail:
	X509_free(x);
	return NULL;
}

struct crypto_cert *crypto_cert_self_signed(const struct crypto_key *k, const char *cn, unsigned days)
{
	if (!k || !cn || !*cn || !days || days > 36500)
		return NULL;
	X509 *x = cert_build(k, NULL, NULL, cn, days, true);
	if (x && !X509_sign(x, k->pkey, EVP_sha256())) {
		X509_free(x);
		x = NULL;
	}
	if (!x)
		crypto_ossl_fail("self-signed certificate");
	return cert_wrap(x);
}

struct crypto_cert *crypto_cert_issue(const struct crypto_key *ca_key, const struct crypto_cert *ca,
				      const struct crypto_key *k, const char *cn, unsigned days)
{
	if (!ca_key || !ca || !k || !cn || !*cn || !days || days > 36500 ||
	    !crypto_cert_matches_key(ca, ca_key))
		return NULL;
	X509 *x = cert_build(k, ca->x, X509_get_subject_name(ca->x), cn, days, false);
	if (x && !X509_sign(x, ca_key->pkey, EVP_sha256())) {
		X509_free(x);
		x = NULL;
	}
	if (!x)
		crypto_ossl_fail("issuing a certificate");
	return cert_wrap(x);
}
