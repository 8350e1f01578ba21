/* The algorithm registry: one descriptor per algorithm with its IKEv1,
 * IKEv2 and ESP numbers and sizes (STYLE.md rule 8).  Every table is in
 * preference order, strongest first, so iterating with *_at() gives a
 * sensible default proposal.
 *
 * Numbers: IKEv2 transform IDs (RFC 7296 §3.3.2, IANA "IKEv2 Parameters");
 * IKEv1 Oakley attributes (RFC 2409 App. A); IPsec DOI ESP transform IDs and
 * authentication algorithm attribute values (RFC 2407 §4.4.4, §4.5). */
#include "crypto/crypto_int.h"

#include <stdint.h>
#include <strings.h>

/* ---- encryption --------------------------------------------------------
 * block_len is the alignment the ESP/SK padding must reach: the CBC block
 * size, or 4 for AEAD and NULL (RFC 4303 §2.4, RFC 4106 §3). */
#define AES_CBC(bits, a)                                                          \
	{ .pub = { .name = "AES-CBC", .ikev2_id = 12, .ikev1_id = 7,              \
		   .ikev1_esp_id = 12, .key_bits = bits, .key_len = (bits) / 8,   \
		   .block_len = 16, .iv_len = 16, .keylen_attr = true },          \
	  .mode = ENCR_MODE_CBC, .alg = a }

/* RFC 4106: key = cipher key || 4-byte salt, 8-byte explicit IV. */
#define AES_GCM(icv, id, bits, a)                                                 \
	{ .pub = { .name = "AES-GCM-" #icv, .ikev2_id = id, .ikev1_esp_id = id,   \
		   .key_bits = bits, .key_len = (bits) / 8 + 4, .salt_len = 4,     \
		   .block_len = 4, .iv_len = 8, .icv_len = icv, .aead = true,      \
		   .keylen_attr = true },                                          \
	  .mode = ENCR_MODE_AEAD, .alg = a }

static const struct encr_impl encr_table[] = {
	AES_GCM(16, 20, 256, CIPH_AES_256_GCM),
	AES_GCM(16, 20, 192, CIPH_AES_192_GCM),
	AES_GCM(16, 20, 128, CIPH_AES_128_GCM),
	AES_CBC(256, CIPH_AES_256_CBC),
	AES_CBC(192, CIPH_AES_192_CBC),
	AES_CBC(128, CIPH_AES_128_CBC),
	AES_GCM(12, 19, 256, CIPH_AES_256_GCM),
	AES_GCM(12, 19, 192, CIPH_AES_192_GCM),
	AES_GCM(12, 19, 128, CIPH_AES_128_GCM),
	AES_GCM(8, 18, 256, CIPH_AES_256_GCM),
	AES_GCM(8, 18, 192, CIPH_AES_192_GCM),
	AES_GCM(8, 18, 128, CIPH_AES_128_GCM),
	/* RFC 7634: 256-bit key || 4-byte salt, 8-byte IV, 16-byte tag. */
	{ .pub = { .name = "CHACHA20-POLY1305", .ikev2_id = 28, .key_bits = 256,
		   .key_len = 36, .salt_len = 4, .block_len = 4, .iv_len = 8,
		   .icv_len = 16, .aead = true },
	  .mode = ENCR_MODE_AEAD, .alg = CIPH_CHACHA20_POLY1305 },
	{ .pub = { .name = "3DES", .ikev2_id = 3, .ikev1_id = 5, .ikev1_esp_id = 3,
		   .key_bits = 192, .key_len = 24, .block_len = 8, .iv_len = 8 },
	  .mode = ENCR_MODE_CBC, .alg = CIPH_3DES_CBC },
	{ .pub = { .name = "DES", .ikev2_id = 2, .ikev1_id = 1, .ikev1_esp_id = 2,
		   .key_bits = 64, .key_len = 8, .block_len = 8, .iv_len = 8,
		   .legacy = true },
	  .mode = ENCR_MODE_CBC, .alg = CIPH_DES_CBC },
	/* ESP NULL (RFC 2410): no key, no IV; only for ESP, never for IKE. */
	{ .pub = { .name = "NULL", .ikev2_id = 11, .ikev1_esp_id = 11, .block_len = 4 },
	  .mode = ENCR_MODE_NULL, .alg = CIPH_NONE },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Is p the address of an element of the table [base, base + n * size)?
 * Compared as integers: relational operators on pointers into different
 * objects are undefined. */
static bool in_table(const void *p, const void *base, size_t n, size_t size)
{
	uintptr_t u = (uintptr_t)p, b = (uintptr_t)base;
	return p && u >= b && u < b + n * size && (u - b) % size == 0;
}

/* Ciphers that need a key length attribute match only their exact size;
 * fixed-key ciphers also match key_bits 0. */
static bool encr_key_matches(const struct crypto_encr *e, uint16_t key_bits)
{
	if (key_bits == e->key_bits)
		return true;
	return key_bits == 0 && !e->keylen_attr;
}

/* Not usable: a non-legacy cipher this OpenSSL build does not provide
 * (ChaCha20-Poly1305 in some builds).  Legacy ciphers are listed anyway:
 * their `legacy` flag tells the caller to enable the legacy provider. */
static bool encr_usable(const struct encr_impl *x)
{
	if (x->mode == ENCR_MODE_NULL || x->pub.legacy || !crypto_is_initialised())
		return true;
	return crypto_fetched_cipher(x->alg) != NULL;
}

enum encr_key { BY_IKEV2, BY_IKEV1, BY_IKEV1_ESP };

static const struct crypto_encr *encr_find(enum encr_key k, uint16_t id, uint16_t key_bits)
{
	if (id == 0)
		return NULL;
	for (size_t i = 0; i < NELEM(encr_table); i++) {
		const struct crypto_encr *e = &encr_table[i].pub;
		uint16_t eid = k == BY_IKEV2 ? e->ikev2_id
			     : k == BY_IKEV1 ? e->ikev1_id : e->ikev1_esp_id;
		if (eid == id && encr_key_matches(e, key_bits) && encr_usable(&encr_table[i]))
			return e;
	}
	return NULL;
}

const struct crypto_encr *crypto_encr_ikev2(uint16_t id, uint16_t key_bits)
{
	return encr_find(BY_IKEV2, id, key_bits);
}

const struct crypto_encr *crypto_encr_ikev1(uint16_t oakley_id, uint16_t key_bits)
{
	return encr_find(BY_IKEV1, oakley_id, key_bits);
}

const struct crypto_encr *crypto_encr_ikev1_esp(uint16_t esp_id, uint16_t key_bits)
{
	return encr_find(BY_IKEV1_ESP, esp_id, key_bits);
}

const struct crypto_encr *crypto_encr_by_name(const char *name, uint16_t key_bits)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < NELEM(encr_table); i++) {
		const struct crypto_encr *e = &encr_table[i].pub;
		if (strcasecmp(e->name, name) == 0 && encr_key_matches(e, key_bits) &&
		    encr_usable(&encr_table[i]))
			return e;
	}
	return NULL;
}

const struct crypto_encr *crypto_encr_at(size_t i)
{
	return i < NELEM(encr_table) ? &encr_table[i].pub : NULL;
}

const struct encr_impl *encr_impl_of(const struct crypto_encr *e)
{
	if (!in_table(e, encr_table, NELEM(encr_table), sizeof(encr_table[0])))
		return NULL;
	return (const struct encr_impl *)e;
}

/* ---- integrity (RFC 2404, RFC 2403, RFC 4868) ------------------------ */
static const struct integ_impl integ_table[] = {
	{ { .name = "HMAC-SHA2-512-256", .cisco_name = "SHA512", .ikev2_id = 14,
	    .ikev1_esp_auth = 7, .key_len = 64, .icv_len = 32 }, HASH_SHA512 },
	{ { .name = "HMAC-SHA2-384-192", .cisco_name = "SHA384", .ikev2_id = 13,
	    .ikev1_esp_auth = 6, .key_len = 48, .icv_len = 24 }, HASH_SHA384 },
	{ { .name = "HMAC-SHA2-256-128", .cisco_name = "SHA256", .ikev2_id = 12,
	    .ikev1_esp_auth = 5, .key_len = 32, .icv_len = 16 }, HASH_SHA256 },
	{ { .name = "HMAC-SHA1-96", .cisco_name = "SHA96", .ikev2_id = 2,
	    .ikev1_esp_auth = 2, .key_len = 20, .icv_len = 12 }, HASH_SHA1 },
	{ { .name = "HMAC-MD5-96", .cisco_name = "MD596", .ikev2_id = 1,
	    .ikev1_esp_auth = 1, .key_len = 16, .icv_len = 12 }, HASH_MD5 },
};

const struct crypto_integ *crypto_integ_ikev2(uint16_t id)
{
	for (size_t i = 0; i < NELEM(integ_table); i++)
		if (id && integ_table[i].pub.ikev2_id == id)
			return &integ_table[i].pub;
	return NULL;
}

const struct crypto_integ *crypto_integ_ikev1_esp(uint16_t auth_alg)
{
	for (size_t i = 0; i < NELEM(integ_table); i++)
		if (auth_alg && integ_table[i].pub.ikev1_esp_auth == auth_alg)
			return &integ_table[i].pub;
	return NULL;
}

const struct crypto_integ *crypto_integ_at(size_t i)
{
	return i < NELEM(integ_table) ? &integ_table[i].pub : NULL;
}

const struct integ_impl *integ_impl_of(const struct crypto_integ *i)
{
	if (!in_table(i, integ_table, NELEM(integ_table), sizeof(integ_table[0])))
		return NULL;
	return (const struct integ_impl *)i;
}

/* ---- PRF (RFC 2104 HMAC; RFC 4868 for SHA-2) -------------------------- */
static const struct prf_impl prf_table[] = {
	{ { .name = "HMAC-SHA2-512", .cisco_name = "SHA512", .ikev2_id = 7,
	    .ikev1_hash = 6, .out_len = 64 }, HASH_SHA512 },
	{ { .name = "HMAC-SHA2-384", .cisco_name = "SHA384", .ikev2_id = 6,
	    .ikev1_hash = 5, .out_len = 48 }, HASH_SHA384 },
	{ { .name = "HMAC-SHA2-256", .cisco_name = "SHA256", .ikev2_id = 5,
	    .ikev1_hash = 4, .out_len = 32 }, HASH_SHA256 },
	{ { .name = "HMAC-SHA1", .cisco_name = "SHA1", .ikev2_id = 2,
	    .ikev1_hash = 2, .out_len = 20 }, HASH_SHA1 },
	{ { .name = "HMAC-MD5", .cisco_name = "MD5", .ikev2_id = 1,
	    .ikev1_hash = 1, .out_len = 16 }, HASH_MD5 },
};

const struct crypto_prf *crypto_prf_ikev2(uint16_t id)
{
	for (size_t i = 0; i < NELEM(prf_table); i++)
		if (id && prf_table[i].pub.ikev2_id == id)
			return &prf_table[i].pub;
	return NULL;
}

const struct crypto_prf *crypto_prf_ikev1(uint16_t hash_attr)
{
	for (size_t i = 0; i < NELEM(prf_table); i++)
		if (hash_attr && prf_table[i].pub.ikev1_hash == hash_attr)
			return &prf_table[i].pub;
	return NULL;
}

const struct crypto_prf *crypto_prf_at(size_t i)
{
	return i < NELEM(prf_table) ? &prf_table[i].pub : NULL;
}

const struct prf_impl *prf_impl_of(const struct crypto_prf *p)
{
	if (!in_table(p, prf_table, NELEM(prf_table), sizeof(prf_table[0])))
		return NULL;
	return (const struct prf_impl *)p;
}
