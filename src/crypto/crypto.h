/* ravpn crypto registry over OpenSSL 3 libcrypto.
 *
 * One descriptor per algorithm carries its IKEv1, IKEv2 and ESP numbers and
 * sizes (STYLE.md rule 8).  EVP objects are fetched once at crypto_init().
 * No protocol file includes <openssl/...>: everything goes through here.
 * All functions return 0 on success and -1 on failure unless noted. */
#ifndef RAVPN_CRYPTO_CRYPTO_H
#define RAVPN_CRYPTO_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WUR __attribute__((warn_unused_result))

#define CRYPTO_MAX_KEY 64      /* longest cipher/integ/prf key, bytes */
#define CRYPTO_MAX_HASH 64     /* SHA-512 */
#define CRYPTO_MAX_DH_PUB 1024 /* MODP-8192 public value */

/* Load providers and fetch every algorithm; idempotent.  The legacy
 * provider (DES, MD4) is loaded only by crypto_enable_legacy(), which is
 * called when the configuration or an EAP method asks for it. */
int crypto_init(void) WUR;
int crypto_enable_legacy(void) WUR;
bool crypto_legacy_available(void);

/* ---- encryption (IKE SK payload and ESP) --------------------------- */
struct crypto_encr {
	const char *name;        /* "AES-CBC", "AES-GCM-16", "3DES", ... */
	uint16_t ikev2_id;       /* IKEv2/ESP transform ID (12, 20, 3, ...) */
	uint16_t ikev1_id;       /* IKEv1 Oakley encryption attr (7, 5, 1), 0 = none */
	uint16_t ikev1_esp_id;   /* IKEv1 IPsec DOI ESP transform ID, 0 = none */
	uint16_t key_bits;       /* cipher key (without GCM salt) */
	uint8_t key_len;         /* keying material taken: key + salt, bytes */
	uint8_t salt_len;        /* GCM: 4 */
	uint8_t block_len;       /* padding alignment: the CBC block size (AES 16,
				  * 3DES/DES 8); 4 for AEAD and NULL, the ESP
				  * alignment of RFC 4303 §2.4 (also fine for the
				  * IKE SK payload) */
	uint8_t iv_len;          /* explicit IV on the wire */
	uint8_t icv_len;         /* AEAD tag, 0 for non-AEAD */
	bool aead;
	bool legacy;             /* needs the legacy provider (DES) */
	bool keylen_attr;        /* IKEv2 proposal carries a key length attribute */
};

/* Look up by IKEv2 transform ID and key length in bits (0 = the default
 * for ciphers with a fixed key).  NULL if unsupported. */
const struct crypto_encr *crypto_encr_ikev2(uint16_t id, uint16_t key_bits);
const struct crypto_encr *crypto_encr_ikev1(uint16_t oakley_id, uint16_t key_bits);
const struct crypto_encr *crypto_encr_ikev1_esp(uint16_t esp_id, uint16_t key_bits);
const struct crypto_encr *crypto_encr_by_name(const char *name, uint16_t key_bits);
/* Iterate the registry: i = 0.. until NULL (preference order, strongest
 * first; the integ, prf and DH tables below are ordered the same way). */
const struct crypto_encr *crypto_encr_at(size_t i);

/* A prepared cipher context: created once per SA direction, reused for
 * every packet (key schedule made once; per call only the IV changes, no
 * allocation, no algorithm fetch).  Not thread-safe: one per thread or per
 * direction.  key_len must be e->key_len (for AEAD: key || 4-byte salt).
 * NULL if the cipher is unavailable (DES before crypto_enable_legacy()).
 * For ESP NULL, crypto_cipher_cbc() copies in to out. */
struct crypto_cipher;
struct crypto_cipher *crypto_cipher_new(const struct crypto_encr *e,
					const uint8_t *key, size_t key_len, bool encrypt);
void crypto_cipher_free(struct crypto_cipher *c);
/* CBC (no padding done here; len multiple of block_len).  in == out allowed. */
int crypto_cipher_cbc(struct crypto_cipher *c, const uint8_t *iv,
		      const uint8_t *in, uint8_t *out, size_t len) WUR;
/* AEAD (GCM, ChaCha20-Poly1305): nonce = salt (from the key) || iv (iv_len
 * bytes).  seal (encrypt context): writes len bytes to out and icv_len bytes
 * to tag.  open (decrypt context): returns -1 if the tag does not verify
 * (out then undefined).  in == out allowed. */
int crypto_aead_seal(struct crypto_cipher *c, const uint8_t *iv,
		     const uint8_t *aad, size_t aad_len,
		     const uint8_t *in, uint8_t *out, size_t len, uint8_t *tag) WUR;
int crypto_aead_open(struct crypto_cipher *c, const uint8_t *iv,
		     const uint8_t *aad, size_t aad_len,
		     const uint8_t *in, uint8_t *out, size_t len, const uint8_t *tag) WUR;

/* ---- integrity --------------------------------------------------------- */
struct crypto_integ {
	const char *name;        /* "HMAC-SHA1-96", ... */
	const char *cisco_name;  /* "SHA96", "SHA256", ... as `show` prints */
	uint16_t ikev2_id;       /* 2, 12, 13, 14, 1 */
	uint16_t ikev1_esp_auth; /* IPsec DOI auth alg attr: 1 MD5, 2 SHA1, 5 SHA2-256, 6, 7 */
	uint8_t key_len;
	uint8_t icv_len;         /* truncated output */
	bool legacy;
};
const struct crypto_integ *crypto_integ_ikev2(uint16_t id);
const struct crypto_integ *crypto_integ_ikev1_esp(uint16_t auth_alg);
const struct crypto_integ *crypto_integ_at(size_t i);

/* Prepared HMAC context, keyed once (key_len must be i->key_len); per call
 * no allocation.  Not thread-safe: one per direction. */
struct crypto_mac;
struct crypto_mac *crypto_mac_new(const struct crypto_integ *i, const uint8_t *key, size_t key_len);
void crypto_mac_free(struct crypto_mac *m);
/* Truncated ICV (icv_len bytes) over the concatenation of up to two parts. */
int crypto_mac_compute(struct crypto_mac *m, const uint8_t *a, size_t alen,
		       const uint8_t *b, size_t blen, uint8_t *icv) WUR;
/* Constant-time verification: 0 if equal. */
int crypto_mac_verify(struct crypto_mac *m, const uint8_t *a, size_t alen,
		      const uint8_t *b, size_t blen, const uint8_t *icv) WUR;

/* ---- PRF / hashes ------------------------------------------------------ */
struct crypto_prf {
	const char *name;        /* "HMAC-SHA1" */
	const char *cisco_name;  /* "SHA1", "SHA256", ... */
	uint16_t ikev2_id;       /* 2, 5, 6, 7, 1 */
	uint16_t ikev1_hash;     /* Oakley hash attr: 1 MD5, 2 SHA1, 4 SHA2-256, 5, 6 */
	uint8_t out_len;         /* also the preferred key length */
	bool legacy;
};
const struct crypto_prf *crypto_prf_ikev2(uint16_t id);
const struct crypto_prf *crypto_prf_ikev1(uint16_t hash_attr);
const struct crypto_prf *crypto_prf_at(size_t i);
/* prf(key, data) with data given as up to 4 parts (NULL/0 to skip); out
 * receives p->out_len bytes.  Control plane: allocates per call. */
int crypto_prf(const struct crypto_prf *p, const uint8_t *key, size_t key_len,
	       const uint8_t *d1, size_t l1, const uint8_t *d2, size_t l2,
	       const uint8_t *d3, size_t l3, const uint8_t *d4, size_t l4,
	       uint8_t *out) WUR;
/* RFC 7296 §2.13 prf+ : T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n);
 * at most 255 * p->out_len bytes. */
int crypto_prf_plus(const struct crypto_prf *p, const uint8_t *key, size_t key_len,
		    const uint8_t *seed, size_t seed_len, uint8_t *out, size_t out_len) WUR;

enum crypto_hash { HASH_MD4, HASH_MD5, HASH_SHA1, HASH_SHA256, HASH_SHA384, HASH_SHA512 };
size_t crypto_hash_len(enum crypto_hash h);
/* Plain digest over up to 3 parts.  MD4 needs the legacy provider. */
int crypto_hash(enum crypto_hash h, const uint8_t *d1, size_t l1, const uint8_t *d2, size_t l2,
		const uint8_t *d3, size_t l3, uint8_t *out) WUR;
int crypto_hmac(enum crypto_hash h, const uint8_t *key, size_t key_len,
		const uint8_t *data, size_t len, uint8_t *out) WUR;
/* Single-block DES-ECB encryption with a 7-byte key expanded to 8 with
 * parity (MSCHAPv2 ChallengeResponse, RFC 2759 §8.6).  Legacy provider. */
int crypto_des_7(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8]) WUR;

/* ---- Diffie-Hellman / ECDH --------------------------------------------- */
struct crypto_dh_group {
	uint16_t id;             /* IANA group: 1 2 5 14 15 16 19 20 21 31 */
	const char *name;        /* "MODP-1024", "ECP-256", "Curve25519" */
	const char *cisco_name;  /* "DH_GROUP_1024_MODP/Group 2" */
	uint16_t pub_len;        /* KE payload data length */
	uint16_t shared_len;
	bool legacy_weak;        /* group 1/2/5: allowed only when configured */
};
const struct crypto_dh_group *crypto_dh_group(uint16_t id);
const struct crypto_dh_group *crypto_dh_group_at(size_t i);
struct crypto_dh;            /* an ephemeral private key */
struct crypto_dh *crypto_dh_new(const struct crypto_dh_group *g);   /* generates the key pair */
void crypto_dh_free(struct crypto_dh *dh);
/* Public value in IKE KE encoding (MODP: zero-padded big-endian; ECP: x||y;
 * Curve25519: 32 bytes).  out must hold g->pub_len bytes. */
int crypto_dh_public(struct crypto_dh *dh, uint8_t *out) WUR;
/* Shared secret in IKE encoding (MODP: padded to prime length; ECP: x only).
 * Rejects peer values of the wrong length or invalid points, MODP values
 * outside 2..p-2, and an all-zero Curve25519 result.  out must hold
 * g->shared_len bytes; *out_len receives the length. */
int crypto_dh_shared(struct crypto_dh *dh, const uint8_t *peer, size_t peer_len,
		     uint8_t *out, size_t *out_len) WUR;
/* A key pair from a given private value (big-endian exponent for MODP and
 * ECP, 32-byte scalar for Curve25519): known-answer tests, reproducible
 * load generation.  NULL if the value is out of range. */
struct crypto_dh *crypto_dh_new_from_private(const struct crypto_dh_group *g,
					     const uint8_t *priv, size_t priv_len);

/* ---- random ------------------------------------------------------------ */
int crypto_random(void *out, size_t n) WUR;

/* ---- keys, certificates, signatures ------------------------------------ */
struct crypto_key;           /* private key (EVP_PKEY) */
struct crypto_cert;          /* X.509 certificate with its public key */
struct crypto_key *crypto_key_generate_rsa(unsigned bits);
/* ECDSA key on P-256, P-384 or P-521 (bits 256, 384, 521). */
struct crypto_key *crypto_key_generate_ec(unsigned bits);
struct crypto_key *crypto_key_load_pem(const char *path);
int crypto_key_save_pem(const struct crypto_key *k, const char *path) WUR;  /* mode 0600 */
void crypto_key_free(struct crypto_key *k);
bool crypto_key_is_rsa(const struct crypto_key *k);
bool crypto_key_is_ec(const struct crypto_key *k);

/* Self-signed certificate: subject/issuer CN=cn (and hostname=cn as the
 * ASA does for `enrollment self`), SAN DNS cn, valid `days` days. */
struct crypto_cert *crypto_cert_self_signed(const struct crypto_key *k, const char *cn, unsigned days);
/* A certificate for k signed by the CA (ca_key must match ca): CA:FALSE,
 * CN=cn and SAN DNS cn, EKU serverAuth/clientAuth/ipsecIKE.  For test labs
 * and the client tool; the gateway itself only uses `enrollment self`. */
struct crypto_cert *crypto_cert_issue(const struct crypto_key *ca_key, const struct crypto_cert *ca,
				      const struct crypto_key *k, const char *cn, unsigned days);
struct crypto_cert *crypto_cert_load_pem(const char *path);
struct crypto_cert *crypto_cert_from_der(const uint8_t *der, size_t len);
int crypto_cert_save_pem(const struct crypto_cert *c, const char *path) WUR;
void crypto_cert_free(struct crypto_cert *c);
/* DER encoding (caller frees with free()). */
uint8_t *crypto_cert_der(const struct crypto_cert *c, size_t *len);
/* PEM text (caller frees). */
char *crypto_cert_pem(const struct crypto_cert *c);
/* DER of the subject DN (IKEv2 ID_DER_ASN1_DN) (caller frees). */
uint8_t *crypto_cert_subject_der(const struct crypto_cert *c, size_t *len);
/* One-line subject ("CN=..., O=...") into out. */
void crypto_cert_subject_str(const struct crypto_cert *c, char *out, size_t out_len);
/* SHA-1 of the DER SubjectPublicKeyInfo (IKEv2 CERTREQ CA hash). */
int crypto_cert_spki_sha1(const struct crypto_cert *c, uint8_t out[20]) WUR;
bool crypto_cert_matches_key(const struct crypto_cert *c, const struct crypto_key *k);
/* Verify c was signed by ca (and is in its validity period). */
int crypto_cert_verify(const struct crypto_cert *c, const struct crypto_cert *ca) WUR;

/* Signature schemes for IKEv2 AUTH.  ECDSA signatures are DER
 * (Ecdsa-Sig-Value) as RFC 7427 wants, not RFC 4754's raw r || s. */
enum crypto_sig {
	SIG_RSA_PKCS1_SHA1,      /* AUTH method 1 (RFC 7296): PKCS#1 v1.5 with SHA-1 */
	SIG_RSA_PKCS1_SHA256,    /* RFC 7427 method 14 with sha256WithRSAEncryption */
	SIG_RSA_PKCS1_SHA384,
	SIG_RSA_PKCS1_SHA512,
	SIG_RSA_PSS_SHA256,      /* RFC 7427 with RSASSA-PSS (RFC 8247 recommends it) */
	SIG_ECDSA_SHA256,
	SIG_ECDSA_SHA384,
	SIG_ECDSA_SHA512,
};
/* Sign data (hashing is part of the scheme).  *sig_len in: capacity. */
int crypto_sign(const struct crypto_key *k, enum crypto_sig s, const uint8_t *data, size_t len,
		uint8_t *sig, size_t *sig_len) WUR;
int crypto_verify(const struct crypto_cert *c, enum crypto_sig s, const uint8_t *data, size_t len,
		  const uint8_t *sig, size_t sig_len) WUR;
size_t crypto_key_sig_len(const struct crypto_key *k);
/* RFC 7427 AlgorithmIdentifier DER for a scheme (static storage); NULL if none. */
const uint8_t *crypto_sig_algid(enum crypto_sig s, size_t *len);
/* Parse an AlgorithmIdentifier from an RFC 7427 AUTH payload (the DER
 * after the 1-octet length).  Accepts equivalent encodings (NULL parameters
 * absent, PSS trailer field explicit); -1 for anything else, including PSS
 * parameters other than SHA-256 / MGF1-SHA-256 / salt 32. */
int crypto_sig_from_algid(const uint8_t *der, size_t len, enum crypto_sig *s) WUR;
/* RFC 7427 §4 SIGNATURE_HASH_ALGORITHMS values: 1 SHA1, 2 SHA256, 3 SHA384, 4 SHA512.
 * The value for a scheme's hash (0 if unknown). */
uint16_t crypto_sig_hash_alg(enum crypto_sig s);

#undef WUR
#endif
