/* Keys, certificates, signatures and RFC 7427 AlgorithmIdentifiers. */
#include "../t.h"

#include "crypto/crypto.h"
#include "base/rd.h"

#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEX(s, b) t_unhex((s), (b), sizeof(b))

static struct crypto_key *rsa_key, *ec_key, *other_key;
static struct crypto_cert *rsa_cert, *ec_cert, *other_cert;
static char tmpdir[] = "/tmp/ravpn-crypto-test-XXXXXX";

static const uint8_t msg[] = "IKE_SA_INIT octets | Nr | prf(SK_pi, IDi')";

enum crypto_sig all_rsa[] = { SIG_RSA_PKCS1_SHA1, SIG_RSA_PKCS1_SHA256, SIG_RSA_PKCS1_SHA384,
			      SIG_RSA_PKCS1_SHA512, SIG_RSA_PSS_SHA256 };
enum crypto_sig all_ec[] = { SIG_ECDSA_SHA256, SIG_ECDSA_SHA384, SIG_ECDSA_SHA512 };

/* ---- a small DER walk, independent of the code under test ------------- */
/* Reads one TLV; returns its full encoding (header included) in *tlv. */
static bool walk_tlv(struct rd *r, uint8_t *tag, struct rd *content, const uint8_t **tlv,
		     size_t *tlv_len)
{
	const uint8_t *start = r->p;
	*tag = rd_u8(r);
	size_t len = rd_u8(r);
	if (len & 0x80) {
		size_t nb = len & 0x7f;
		len = 0;
		while (nb--)
			len = len << 8 | rd_u8(r);
	}
	*content = rd_sub(r, len);
	if (tlv) {
		*tlv = start;
		*tlv_len = (size_t)(r->p - start);
	}
	return !r->bad;
}

/* Subject and SubjectPublicKeyInfo TLVs of a DER certificate (RFC 5280
 * §4.1: tbsCertificate = [0] version, serial, signature, issuer, validity,
 * subject, subjectPublicKeyInfo, ...). */
static bool cert_der_fields(const uint8_t *der, size_t len, const uint8_t **subj, size_t *subj_len,
			    const uint8_t **spki, size_t *spki_len)
{
	struct rd r = rd_init(der, len), cert, tbs, x;
	uint8_t tag;
	if (!walk_tlv(&r, &tag, &cert, NULL, NULL) || !walk_tlv(&cert, &tag, &tbs, NULL, NULL))
		return false;
	for (int field = 0; field < 7; field++) {
		const uint8_t *t;
		size_t tl;
		if (!walk_tlv(&tbs, &tag, &x, &t, &tl))
			return false;
		if (field == 5) {
			*subj = t;
			*subj_len = tl;
		} else if (field == 6) {
			*spki = t;
			*spki_len = tl;
		}
	}
	return true;
}

/* ---- signatures --------------------------------------------------------- */
static void rsa_signatures_round_trip_for_every_scheme(void)
{
	uint8_t sig[512], sig2[512];
	for (size_t i = 0; i < sizeof(all_rsa) / sizeof(all_rsa[0]); i++) {
		size_t n = sizeof(sig), n2 = sizeof(sig2);
		T_EQ_INT(crypto_sign(rsa_key, all_rsa[i], msg, sizeof(msg), sig, &n), 0);
		T_EQ_INT(n, 256);
		T_EQ_INT(crypto_verify(rsa_cert, all_rsa[i], msg, sizeof(msg), sig, n), 0);
		/* a modified message, a modified signature, a short signature */
		T_EQ_INT(crypto_verify(rsa_cert, all_rsa[i], msg, sizeof(msg) - 1, sig, n), -1);
		sig[n / 2] ^= 4;
		T_EQ_INT(crypto_verify(rsa_cert, all_rsa[i], msg, sizeof(msg), sig, n), -1);
		sig[n / 2] ^= 4;
		T_EQ_INT(crypto_verify(rsa_cert, all_rsa[i], msg, sizeof(msg), sig, n - 1), -1);
		/* someone else's certificate */
		T_EQ_INT(crypto_verify(other_cert, all_rsa[i], msg, sizeof(msg), sig, n), -1);
		/* PKCS#1 v1.5 is deterministic, PSS is salted */
		T_EQ_INT(crypto_sign(rsa_key, all_rsa[i], msg, sizeof(msg), sig2, &n2), 0);
		if (all_rsa[i] == SIG_RSA_PSS_SHA256)
			T_CHECK(memcmp(sig, sig2, n) != 0);
		else
			T_EQ_MEM(sig, sig2, n);
	}
}

static void signature_schemes_are_not_interchangeable(void)
{
	uint8_t sig[512];
	size_t n = sizeof(sig);
	T_EQ_INT(crypto_sign(rsa_key, SIG_RSA_PSS_SHA256, msg, sizeof(msg), sig, &n), 0);
	T_EQ_INT(crypto_verify(rsa_cert, SIG_RSA_PKCS1_SHA256, msg, sizeof(msg), sig, n), -1);
	n = sizeof(sig);
	T_EQ_INT(crypto_sign(rsa_key, SIG_RSA_PKCS1_SHA256, msg, sizeof(msg), sig, &n), 0);
	T_EQ_INT(crypto_verify(rsa_cert, SIG_RSA_PSS_SHA256, msg, sizeof(msg), sig, n), -1);
	T_EQ_INT(crypto_verify(rsa_cert, SIG_RSA_PKCS1_SHA384, msg, sizeof(msg), sig, n), -1);
	/* key type and scheme must agree */
	n = sizeof(sig);
	T_EQ_INT(crypto_sign(rsa_key, SIG_ECDSA_SHA256, msg, sizeof(msg), sig, &n), -1);
	n = sizeof(sig);
	T_EQ_INT(crypto_sign(ec_key, SIG_RSA_PKCS1_SHA256, msg, sizeof(msg), sig, &n), -1);
	T_EQ_INT(crypto_verify(ec_cert, SIG_RSA_PKCS1_SHA256, msg, sizeof(msg), sig, n), -1);
}

static void sign_refuses_a_short_buffer(void)
{
	uint8_t sig[512];
	size_t n = 255;
	T_EQ_INT(crypto_key_sig_len(rsa_key), 256);
	T_EQ_INT(crypto_sign(rsa_key, SIG_RSA_PKCS1_SHA256, msg, sizeof(msg), sig, &n), -1);
}

static void ecdsa_signatures_round_trip(void)
{
	uint8_t sig[200];
	for (size_t i = 0; i < sizeof(all_ec) / sizeof(all_ec[0]); i++) {
		size_t n = sizeof(sig);
		T_EQ_INT(crypto_sign(ec_key, all_ec[i], msg, sizeof(msg), sig, &n), 0);
		T_CHECK(n >= 8 && n <= crypto_key_sig_len(ec_key));
		T_EQ_INT(sig[0], 0x30);     /* DER Ecdsa-Sig-Value */
		T_EQ_INT(crypto_verify(ec_cert, all_ec[i], msg, sizeof(msg), sig, n), 0);
		T_EQ_INT(crypto_verify(ec_cert, all_ec[i], msg + 1, sizeof(msg) - 1, sig, n), -1);
		sig[n - 1] ^= 1;
		T_EQ_INT(crypto_verify(ec_cert, all_ec[i], msg, sizeof(msg), sig, n), -1);
	}
	struct crypto_key *k384 = crypto_key_generate_ec(384);
	T_CHECK(k384 && crypto_key_is_ec(k384) && !crypto_key_is_rsa(k384));
	struct crypto_cert *c384 = crypto_cert_self_signed(k384, "p384.example", 30);
	size_t n = sizeof(sig);
	T_EQ_INT(crypto_sign(k384, SIG_ECDSA_SHA384, msg, sizeof(msg), sig, &n), 0);
	T_EQ_INT(crypto_verify(c384, SIG_ECDSA_SHA384, msg, sizeof(msg), sig, n), 0);
	T_EQ_INT(crypto_verify(ec_cert, SIG_ECDSA_SHA384, msg, sizeof(msg), sig, n), -1);
	crypto_cert_free(c384);
	crypto_key_free(k384);
	T_CHECK(crypto_key_generate_ec(255) == NULL);
}

static void sig_hash_alg_follows_rfc7427(void)
{
	T_EQ_INT(crypto_sig_hash_alg(SIG_RSA_PKCS1_SHA1), 1);
	T_EQ_INT(crypto_sig_hash_alg(SIG_RSA_PKCS1_SHA256), 2);
	T_EQ_INT(crypto_sig_hash_alg(SIG_RSA_PSS_SHA256), 2);
	T_EQ_INT(crypto_sig_hash_alg(SIG_ECDSA_SHA384), 3);
	T_EQ_INT(crypto_sig_hash_alg(SIG_RSA_PKCS1_SHA512), 4);
}

/* ---- keys and certificates ---------------------------------------------- */
static void self_signed_cert_has_cn_san_and_verifies_itself(void)
{
	char subj[256];
	crypto_cert_subject_str(rsa_cert, subj, sizeof(subj));
	T_CHECK(strstr(subj, "CN=asa.example.com") != NULL);
	T_CHECK(strstr(subj, "unstructuredName=asa.example.com") != NULL);
	T_CHECK(crypto_key_is_rsa(rsa_key) && !crypto_key_is_ec(rsa_key));
	T_CHECK(crypto_cert_matches_key(rsa_cert, rsa_key));
	T_CHECK(!crypto_cert_matches_key(rsa_cert, other_key));
	T_CHECK(!crypto_cert_matches_key(rsa_cert, ec_key));
	T_EQ_INT(crypto_cert_verify(rsa_cert, rsa_cert), 0);
	T_EQ_INT(crypto_cert_verify(rsa_cert, other_cert), -1);

	char *pem = crypto_cert_pem(rsa_cert);
	T_CHECK(pem && strncmp(pem, "-----BEGIN CERTIFICATE-----\n", 28) == 0);
	T_CHECK(pem && strstr(pem, "-----END CERTIFICATE-----\n") != NULL);
	free(pem);

	/* SAN dNSName "asa.example.com": context tag [2], length 15 */
	size_t dl = 0;
	uint8_t *der = crypto_cert_der(rsa_cert, &dl);
	T_CHECK(der && dl > 300);
	const uint8_t san[] = "\x82\x0f" "asa.example.com";
	bool found = false;
	for (size_t i = 0; der && i + sizeof(san) - 1 <= dl; i++)
		if (memcmp(der + i, san, sizeof(san) - 1) == 0)
			found = true;
	T_CHECK(found);
	free(der);
	T_CHECK(crypto_cert_self_signed(rsa_key, "", 30) == NULL);
}

/* Subject DER and the SPKI hash against fields cut out of the certificate
 * DER by an independent walk. */
static void subject_der_and_spki_hash_match_the_certificate(void)
{
	size_t dl = 0, sl = 0, subj_len = 0, spki_len = 0;
	const uint8_t *subj = NULL, *spki = NULL;
	uint8_t *der = crypto_cert_der(rsa_cert, &dl);
	uint8_t *s = crypto_cert_subject_der(rsa_cert, &sl);
	uint8_t want[20], got[20];
	T_CHECK(der && s);
	if (!der || !s)
		goto out;
	T_CHECK(cert_der_fields(der, dl, &subj, &subj_len, &spki, &spki_len));
	T_EQ_INT(sl, subj_len);
	if (subj && sl == subj_len)
		T_EQ_MEM(s, subj, sl);
	T_EQ_INT(crypto_hash(HASH_SHA1, spki, spki_len, NULL, 0, NULL, 0, want), 0);
	T_EQ_INT(crypto_cert_spki_sha1(rsa_cert, got), 0);
	T_EQ_MEM(got, want, 20);
	T_EQ_INT(crypto_cert_spki_sha1(other_cert, got), 0);
	T_CHECK(memcmp(got, want, 20) != 0);
out:
	free(der);
	free(s);
}

static void key_and_cert_survive_pem_round_trip(void)
{
	char kp[128], cp[128];
	struct stat st;
	snprintf(kp, sizeof(kp), "%s/asa.key", tmpdir);
	snprintf(cp, sizeof(cp), "%s/asa.crt", tmpdir);
	T_EQ_INT(crypto_key_save_pem(rsa_key, kp), 0);
	T_EQ_INT(crypto_cert_save_pem(rsa_cert, cp), 0);
	T_EQ_INT(stat(kp, &st), 0);
	T_EQ_INT(st.st_mode & 0777, 0600);
	struct crypto_key *k = crypto_key_load_pem(kp);
	struct crypto_cert *c = crypto_cert_load_pem(cp);
	T_CHECK(k && c);
	T_CHECK(crypto_cert_matches_key(c, k));
	T_CHECK(crypto_cert_matches_key(rsa_cert, k));
	size_t l1 = 0, l2 = 0;
	uint8_t *d1 = crypto_cert_der(rsa_cert, &l1), *d2 = crypto_cert_der(c, &l2);
	T_EQ_INT(l1, l2);
	T_CHECK(d1 && d2 && l1 == l2 && memcmp(d1, d2, l1) == 0);
	/* the reloaded key signs what the original certificate verifies */
	uint8_t sig[512];
	size_t n = sizeof(sig);
	T_EQ_INT(crypto_sign(k, SIG_RSA_PSS_SHA256, msg, sizeof(msg), sig, &n), 0);
	T_EQ_INT(crypto_verify(rsa_cert, SIG_RSA_PSS_SHA256, msg, sizeof(msg), sig, n), 0);
	/* DER in, same DER out */
	struct crypto_cert *c2 = crypto_cert_from_der(d1, l1);
	size_t l3 = 0;
	uint8_t *d3 = crypto_cert_der(c2, &l3);
	T_CHECK(c2 && d3 && l3 == l1 && memcmp(d3, d1, l1) == 0);
	char s1[256], s2[256];
	crypto_cert_subject_str(rsa_cert, s1, sizeof(s1));
	crypto_cert_subject_str(c2, s2, sizeof(s2));
	T_EQ_STR(s1, s2);
	/* an EC key too */
	T_EQ_INT(crypto_key_save_pem(ec_key, kp), 0);
	struct crypto_key *k2 = crypto_key_load_pem(kp);
	T_CHECK(k2 && crypto_key_is_ec(k2) && crypto_cert_matches_key(ec_cert, k2));
	free(d1);
	free(d2);
	free(d3);
	crypto_cert_free(c2);
	crypto_key_free(k);
	crypto_key_free(k2);
	crypto_cert_free(c);
	unlink(kp);
	unlink(cp);
}

static void loading_refuses_missing_garbage_and_trailing_bytes(void)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/garbage.pem", tmpdir);
	FILE *f = fopen(p, "w");
	T_CHECK(f != NULL);
	if (f) {
		fputs("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n", f);
		fclose(f);
	}
	T_CHECK(crypto_key_load_pem(p) == NULL);
	T_CHECK(crypto_cert_load_pem(p) == NULL);
	unlink(p);
	T_CHECK(crypto_key_load_pem("/nonexistent/ravpn.key") == NULL);
	T_CHECK(crypto_cert_load_pem("/nonexistent/ravpn.crt") == NULL);
	T_EQ_INT(crypto_key_save_pem(rsa_key, "/nonexistent/dir/ravpn.key"), -1);
	size_t dl = 0;
	uint8_t *der = crypto_cert_der(rsa_cert, &dl);
	T_CHECK(der != NULL);
	if (!der)
		return;
	T_CHECK(crypto_cert_from_der(der, dl - 1) == NULL);
	uint8_t *longer = malloc(dl + 1);
	memcpy(longer, der, dl);
	longer[dl] = 0;
	T_CHECK(crypto_cert_from_der(longer, dl + 1) == NULL);
	free(longer);
	free(der);
	T_CHECK(crypto_cert_from_der((const uint8_t *)"\x30\x03\x02\x01\x01", 5) == NULL);
}

static void issued_cert_verifies_only_against_its_ca(void)
{
	struct crypto_key *leaf_key = crypto_key_generate_ec(256);
	struct crypto_cert *leaf = crypto_cert_issue(rsa_key, rsa_cert, leaf_key, "client1", 30);
	T_CHECK(leaf != NULL);
	if (!leaf)
		goto out;
	char subj[128];
	crypto_cert_subject_str(leaf, subj, sizeof(subj));
	T_CHECK(strstr(subj, "CN=client1") != NULL);
	T_CHECK(crypto_cert_matches_key(leaf, leaf_key));
	T_EQ_INT(crypto_cert_verify(leaf, rsa_cert), 0);
	T_EQ_INT(crypto_cert_verify(leaf, other_cert), -1);
	T_EQ_INT(crypto_cert_verify(leaf, leaf), -1);     /* not self-signed */
	T_EQ_INT(crypto_cert_verify(rsa_cert, leaf), -1);
	/* a CA key that does not belong to the CA certificate is refused */
	T_CHECK(crypto_cert_issue(other_key, rsa_cert, leaf_key, "x", 30) == NULL);
	/* the leaf (CA:FALSE) cannot act as a CA */
	struct crypto_cert *sub = crypto_cert_issue(leaf_key, leaf, other_key, "sub", 30);
	T_CHECK(sub == NULL || crypto_cert_verify(sub, leaf) == -1);
	crypto_cert_free(sub);
	/* signatures by the leaf key verify with the issued certificate */
	uint8_t sig[200];
	size_t n = sizeof(sig);
	T_EQ_INT(crypto_sign(leaf_key, SIG_ECDSA_SHA256, msg, sizeof(msg), sig, &n), 0);
	T_EQ_INT(crypto_verify(leaf, SIG_ECDSA_SHA256, msg, sizeof(msg), sig, n), 0);
out:
	crypto_cert_free(leaf);
	crypto_key_free(leaf_key);
}

/* ---- RFC 7427 AlgorithmIdentifier --------------------------------------- */
static void algid_round_trips_for_every_scheme(void)
{
	enum crypto_sig all[] = { SIG_RSA_PKCS1_SHA1, SIG_RSA_PKCS1_SHA256, SIG_RSA_PKCS1_SHA384,
				  SIG_RSA_PKCS1_SHA512, SIG_RSA_PSS_SHA256, SIG_ECDSA_SHA256,
				  SIG_ECDSA_SHA384, SIG_ECDSA_SHA512 };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		size_t n = 0;
		const uint8_t *der = crypto_sig_algid(all[i], &n);
		enum crypto_sig s = SIG_ECDSA_SHA512 + 1;
		T_CHECK(der != NULL && n > 0 && n < 128);
		T_EQ_INT(crypto_sig_from_algid(der, n, &s), 0);
		T_EQ_INT(s, all[i]);
		/* every truncation, and a trailing byte, is refused */
		for (size_t cut = 0; der && cut < n; cut++)
			T_EQ_INT(crypto_sig_from_algid(der, cut, &s), -1);
		uint8_t longer[128];
		memcpy(longer, der, n);
		longer[n] = 0;
		T_EQ_INT(crypto_sig_from_algid(longer, n + 1, &s), -1);
	}
}

/* The exact DER we send (RFC 7427 App. A.1; RFC 4055 §3.1 for PSS). */
static void algid_encodings_are_the_published_der(void)
{
	uint8_t want[80];
	size_t n = 0, wl;
	const uint8_t *der = crypto_sig_algid(SIG_RSA_PKCS1_SHA256, &n);
	wl = HEX("30 0d 06 09 2a 86 48 86 f7 0d 01 01 0b 05 00", want);
	T_EQ_INT(n, wl);
	T_CHECK(der && n == wl && memcmp(der, want, wl) == 0);
	der = crypto_sig_algid(SIG_RSA_PSS_SHA256, &n);
	wl = HEX("30 41 06 09 2A 86 48 86 F7 0D 01 01 0A 30 34 A0 0F 30 0D 06 09 60 86 48 01 65"
		 "03 04 02 01 05 00 A1 1C 30 1A 06 09 2A 86 48 86 F7 0D 01 01 08 30 0D 06 09 60"
		 "86 48 01 65 03 04 02 01 05 00 A2 03 02 01 20", want);
	T_EQ_INT(n, wl);
	T_CHECK(der && n == wl && memcmp(der, want, wl) == 0);
	der = crypto_sig_algid(SIG_ECDSA_SHA256, &n);
	wl = HEX("30 0a 06 08 2a 86 48 ce 3d 04 03 02", want);
	T_CHECK(der && n == wl && memcmp(der, want, wl) == 0);
}

static void algid_parser_accepts_equivalents_and_refuses_others(void)
{
	static const struct { const char *hex; int rc; enum crypto_sig s; } v[] = {
		/* sha256WithRSAEncryption without the NULL parameters */
		{ "30 0b 06 09 2a 86 48 86 f7 0d 01 01 0b", 0, SIG_RSA_PKCS1_SHA256 },
		/* ecdsa-with-SHA384 with a NULL */
		{ "30 0c 06 08 2a 86 48 ce 3d 04 03 03 05 00", 0, SIG_ECDSA_SHA384 },
		/* PSS with trailerField 1 written out */
		{ "30 46 06 09 2A 86 48 86 F7 0D 01 01 0A 30 39 A0 0F 30 0D 06 09 60 86 48 01 65"
		  "03 04 02 01 05 00 A1 1C 30 1A 06 09 2A 86 48 86 F7 0D 01 01 08 30 0D 06 09 60"
		  "86 48 01 65 03 04 02 01 05 00 A2 03 02 01 20 A3 03 02 01 01", 0, SIG_RSA_PSS_SHA256 },
		/* PSS with hash parameters absent (no NULL) */
		{ "30 3d 06 09 2A 86 48 86 F7 0D 01 01 0A 30 30 A0 0D 30 0B 06 09 60 86 48 01 65"
		  "03 04 02 01 A1 1A 30 18 06 09 2A 86 48 86 F7 0D 01 01 08 30 0B 06 09 60"
		  "86 48 01 65 03 04 02 01 A2 03 02 01 20", 0, SIG_RSA_PSS_SHA256 },
		/* PSS with salt 20 */
		{ "30 41 06 09 2A 86 48 86 F7 0D 01 01 0A 30 34 A0 0F 30 0D 06 09 60 86 48 01 65"
		  "03 04 02 01 05 00 A1 1C 30 1A 06 09 2A 86 48 86 F7 0D 01 01 08 30 0D 06 09 60"
		  "86 48 01 65 03 04 02 01 05 00 A2 03 02 01 14", -1, 0 },
		/* PSS with trailerField 2 */
		{ "30 46 06 09 2A 86 48 86 F7 0D 01 01 0A 30 39 A0 0F 30 0D 06 09 60 86 48 01 65"
		  "03 04 02 01 05 00 A1 1C 30 1A 06 09 2A 86 48 86 F7 0D 01 01 08 30 0D 06 09 60"
		  "86 48 01 65 03 04 02 01 05 00 A2 03 02 01 20 A3 03 02 01 02", -1, 0 },
		/* PSS with MGF1-SHA-1 */
		{ "30 3d 06 09 2A 86 48 86 F7 0D 01 01 0A 30 30 A0 0F 30 0D 06 09 60 86 48 01 65"
		  "03 04 02 01 05 00 A1 18 30 16 06 09 2A 86 48 86 F7 0D 01 01 08 30 09 06 05 2B"
		  "0E 03 02 1A 05 00 A2 03 02 01 20", -1, 0 },
		/* RSASSA-PSS with empty (default, SHA-1) parameters */
		{ "30 0d 06 09 2A 86 48 86 F7 0D 01 01 0A 30 00", -1, 0 },
		/* rsaEncryption is a key type, not a signature algorithm */
		{ "30 0d 06 09 2a 86 48 86 f7 0d 01 01 01 05 00", -1, 0 },
		/* sha256WithRSAEncryption with INTEGER parameters */
		{ "30 0e 06 09 2a 86 48 86 f7 0d 01 01 0b 02 01 00", -1, 0 },
		/* OID one byte longer */
		{ "30 0e 06 0a 2a 86 48 86 f7 0d 01 01 0b 01 05 00", -1, 0 },
		/* not a SEQUENCE */
		{ "31 0d 06 09 2a 86 48 86 f7 0d 01 01 0b 05 00", -1, 0 },
		/* outer length beyond the data */
		{ "30 0e 06 09 2a 86 48 86 f7 0d 01 01 0b 05 00", -1, 0 },
		/* indefinite length */
		{ "30 80 06 09 2a 86 48 86 f7 0d 01 01 0b 05 00 00 00", -1, 0 },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t der[128];
		size_t n = HEX(v[i].hex, der);
		enum crypto_sig s = SIG_ECDSA_SHA512 + 1;
		int rc = crypto_sig_from_algid(der, n, &s);
		if (rc != v[i].rc)
			fprintf(stderr, "  algid case %zu\n", i);
		T_EQ_INT(rc, v[i].rc);
		if (v[i].rc == 0)
			T_EQ_INT(s, v[i].s);
	}
	enum crypto_sig s;
	T_EQ_INT(crypto_sig_from_algid(NULL, 0, &s), -1);
}

/* Network input: every single-byte change and every length of every blob
 * we know must parse without reading outside the buffer (ASan watches) and
 * give either -1 or a valid scheme. */
static void algid_parser_survives_mutated_input(void)
{
	unsigned bad = 0, ok = 0;
	for (enum crypto_sig s0 = SIG_RSA_PKCS1_SHA1; s0 <= SIG_ECDSA_SHA512; s0++) {
		size_t n = 0;
		const uint8_t *der = crypto_sig_algid(s0, &n);
		if (!der)
			continue;
		for (size_t pos = 0; pos < n; pos++) {
			for (unsigned v = 0; v < 256; v++) {
				uint8_t *m = malloc(n);    /* exact size, so ASan sees overreads */
				memcpy(m, der, n);
				m[pos] = (uint8_t)v;
				enum crypto_sig s = SIG_ECDSA_SHA512 + 1;
				int rc = crypto_sig_from_algid(m, n, &s);
				if (rc == 0) {
					ok++;
					T_CHECK(s <= SIG_ECDSA_SHA512);
				} else {
					bad++;
					T_EQ_INT(rc, -1);
				}
				free(m);
			}
		}
	}
	T_CHECK(ok >= 8 && bad > ok);
}

int main(void)
{
	if (crypto_init() != 0 || !mkdtemp(tmpdir)) {
		printf("FAIL setup\n");
		return 1;
	}
	rsa_key = crypto_key_generate_rsa(2048);
	ec_key = crypto_key_generate_ec(256);
	other_key = crypto_key_generate_rsa(1024);
	rsa_cert = crypto_cert_self_signed(rsa_key, "asa.example.com", 365);
	ec_cert = crypto_cert_self_signed(ec_key, "ec.example.com", 365);
	other_cert = crypto_cert_self_signed(other_key, "other.example.com", 365);
	if (!rsa_key || !ec_key || !other_key || !rsa_cert || !ec_cert || !other_cert) {
		printf("FAIL key/certificate generation\n");
		return 1;
	}
	T_RUN(rsa_signatures_round_trip_for_every_scheme);
	T_RUN(signature_schemes_are_not_interchangeable);
	T_RUN(sign_refuses_a_short_buffer);
	T_RUN(ecdsa_signatures_round_trip);
	T_RUN(sig_hash_alg_follows_rfc7427);
	T_RUN(self_signed_cert_has_cn_san_and_verifies_itself);
	T_RUN(subject_der_and_spki_hash_match_the_certificate);
	T_RUN(key_and_cert_survive_pem_round_trip);
	T_RUN(loading_refuses_missing_garbage_and_trailing_bytes);
	T_RUN(issued_cert_verifies_only_against_its_ca);
	T_RUN(algid_round_trips_for_every_scheme);
	T_RUN(algid_encodings_are_the_published_der);
	T_RUN(algid_parser_accepts_equivalents_and_refuses_others);
	T_RUN(algid_parser_survives_mutated_input);
	crypto_cert_free(rsa_cert);
	crypto_cert_free(ec_cert);
	crypto_cert_free(other_cert);
	crypto_key_free(rsa_key);
	crypto_key_free(ec_key);
	crypto_key_free(other_key);
	rmdir(tmpdir);
	T_DONE();
}
