/* Prepared HMAC contexts for ESP and the IKE SK payload (RFC 2104, RFC 2404,
 * RFC 2403, RFC 4868).
 *
 *     HMAC(K, m) = H((K0 ^ opad) || H((K0 ^ ipad) || m))
 *
 * crypto_mac_new() absorbs K0 ^ ipad and K0 ^ opad once and keeps the two
 * hash states; per packet they are copied by value, so a packet costs no
 * allocation and no extra compression-function call.
 *
 * Why the low-level digest API here (the one place in ravpn that uses it):
 * with OpenSSL 3.0 every EVP digest (re)initialisation and every
 * EVP_MD_CTX_copy_ex() allocates a new provider context, and EVP_MAC's HMAC
 * does two such copies per message, i.e. allocations on every ESP packet
 * (measured by test_crypto_noalloc).  The SHA and MD5 structs can be
 * copied instead.  They are deprecated in 3.0 but present in all 3.x
 * releases.  One-shot HMAC for the control plane (crypto_hmac,
 * crypto_prf) stays on EVP_MAC, so the two implementations check each other
 * in the known-answer tests. */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "crypto/crypto_int.h"

#include <openssl/crypto.h>
#include <openssl/md5.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

#define MAC_MAX_BLOCK 128     /* SHA-384/512 block */

union hash_state {
	MD5_CTX md5;
	SHA_CTX sha1;
	SHA256_CTX sha256;
	SHA512_CTX sha512;    /* also SHA-384 */
};

struct crypto_mac {
	const struct integ_impl *x;
	union hash_state inner;   /* after absorbing K0 ^ ipad */
	union hash_state outer;   /* after absorbing K0 ^ opad */
};

/* ---- the hash functions behind the integrity algorithms ----------------- */
static size_t hs_block(enum crypto_hash h)
{
	return h == HASH_SHA384 || h == HASH_SHA512 ? 128 : 64;
}

static int hs_init(enum crypto_hash h, union hash_state *s)
{
	switch (h) {
	case HASH_MD5:
		return MD5_Init(&s->md5);
	case HASH_SHA1:
		return SHA1_Init(&s->sha1);
	case HASH_SHA256:
		return SHA256_Init(&s->sha256);
	case HASH_SHA384:
		return SHA384_Init(&s->sha512);
	case HASH_SHA512:
		return SHA512_Init(&s->sha512);
	case HASH_MD4:
		break;
	}
	return 0;
}

static int hs_update(enum crypto_hash h, union hash_state *s, const void *p, size_t n)
{
	if (!n)
		return 1;
	switch (h) {
	case HASH_MD5:
		return MD5_Update(&s->md5, p, n);
	case HASH_SHA1:
		return SHA1_Update(&s->sha1, p, n);
	case HASH_SHA256:
		return SHA256_Update(&s->sha256, p, n);
	case HASH_SHA384:
		return SHA384_Update(&s->sha512, p, n);
	case HASH_SHA512:
		return SHA512_Update(&s->sha512, p, n);
	case HASH_MD4:
		break;
	}
	return 0;
}

static int hs_final(enum crypto_hash h, union hash_state *s, uint8_t *out)
{
	switch (h) {
	case HASH_MD5:
		return MD5_Final(out, &s->md5);
	case HASH_SHA1:
		return SHA1_Final(out, &s->sha1);
	case HASH_SHA256:
		return SHA256_Final(out, &s->sha256);
	case HASH_SHA384:
		return SHA384_Final(out, &s->sha512);
	case HASH_SHA512:
		return SHA512_Final(out, &s->sha512);
	case HASH_MD4:
		break;
	}
	return 0;
}

/* ---- HMAC --------------------------------------------------------------- */
/* K0 (the key zero-padded to a block: integrity keys are never longer
 * than the block, RFC 4868 §2.1.1), then the two padded blocks absorbed
 * into the stored states. */
static int mac_set_key(struct crypto_mac *m, const uint8_t *key, size_t key_len)
{
	enum crypto_hash h = m->x->hash;
	size_t block = hs_block(h);
	uint8_t k0[MAC_MAX_BLOCK] = { 0 }, ipad[MAC_MAX_BLOCK], opad[MAC_MAX_BLOCK];
	int rc = -1;
	if (key_len > block)
		return -1;
	memcpy(k0, key, key_len);
	for (size_t i = 0; i < block; i++) {
		ipad[i] = k0[i] ^ 0x36;
		opad[i] = k0[i] ^ 0x5c;
	}
	if (hs_init(h, &m->inner) && hs_update(h, &m->inner, ipad, block) &&
	    hs_init(h, &m->outer) && hs_update(h, &m->outer, opad, block))
		rc = 0;
	OPENSSL_cleanse(k0, sizeof(k0));
	OPENSSL_cleanse(ipad, sizeof(ipad));
	OPENSSL_cleanse(opad, sizeof(opad));
	return rc;
}

struct crypto_mac *crypto_mac_new(const struct crypto_integ *i, const uint8_t *key, size_t key_len)
{
	const struct integ_impl *x = integ_impl_of(i);
	if (!x || !key || key_len != i->key_len || crypto_hash_len(x->hash) < i->icv_len)
		return NULL;
	struct crypto_mac *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->x = x;
	if (mac_set_key(m, key, key_len) < 0) {
		crypto_mac_free(m);
		return NULL;
	}
	return m;
}

void crypto_mac_free(struct crypto_mac *m)
{
	if (!m)
		return;
	OPENSSL_cleanse(m, sizeof(*m));
	free(m);
}

/* Full-length HMAC over a || b into full[CRYPTO_MAX_HASH]. */
static int mac_full(struct crypto_mac *m, const uint8_t *a, size_t alen,
		    const uint8_t *b, size_t blen, uint8_t *full)
{
	union hash_state s;
	uint8_t ih[CRYPTO_MAX_HASH];
	if (!m || (alen && !a) || (blen && !b))
		return -1;
	enum crypto_hash h = m->x->hash;
	s = m->inner;
	int ok = hs_update(h, &s, a, alen) && hs_update(h, &s, b, blen) && hs_final(h, &s, ih);
	s = m->outer;
	ok = ok && hs_update(h, &s, ih, crypto_hash_len(h)) && hs_final(h, &s, full);
	OPENSSL_cleanse(&s, sizeof(s));
	OPENSSL_cleanse(ih, sizeof(ih));
	return ok ? 0 : -1;
}

int crypto_mac_compute(struct crypto_mac *m, const uint8_t *a, size_t alen,
		       const uint8_t *b, size_t blen, uint8_t *icv)
{
	uint8_t full[CRYPTO_MAX_HASH];
	if (!icv || mac_full(m, a, alen, b, blen, full) < 0)
		return -1;
	memcpy(icv, full, m->x->pub.icv_len);
	OPENSSL_cleanse(full, sizeof(full));
	return 0;
}

int crypto_mac_verify(struct crypto_mac *m, const uint8_t *a, size_t alen,
		      const uint8_t *b, size_t blen, const uint8_t *icv)
{
	uint8_t full[CRYPTO_MAX_HASH];
	if (!icv || mac_full(m, a, alen, b, blen, full) < 0)
		return -1;
	int diff = CRYPTO_memcmp(full, icv, m->x->pub.icv_len);
	OPENSSL_cleanse(full, sizeof(full));
	return diff ? -1 : 0;
}
