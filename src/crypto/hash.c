/* Plain digests, one-shot HMAC and the single-block DES of MSCHAPv2.
 * Control plane (EAP, IKEv1 vendor IDs, NAT-D, certificate hashes). */
#include "crypto/crypto_int.h"

#include <openssl/crypto.h>
#include <openssl/err.h>

size_t crypto_hash_len(enum crypto_hash h)
{
	switch (h) {
	case HASH_MD4:
	case HASH_MD5:
		return 16;
	case HASH_SHA1:
		return 20;
	case HASH_SHA256:
		return 32;
	case HASH_SHA384:
		return 48;
	case HASH_SHA512:
		return 64;
	}
	return 0;
}

int crypto_hash(enum crypto_hash h, const uint8_t *d1, size_t l1, const uint8_t *d2, size_t l2,
		const uint8_t *d3, size_t l3, uint8_t *out)
{
	const uint8_t *d[3] = { d1, d2, d3 };
	const size_t l[3] = { l1, l2, l3 };
	EVP_MD *md = crypto_fetched_md(h);
	unsigned int n = 0;
	int rc = -1;
	if (!md || !out)
		return -1;    /* MD4 without the legacy provider */
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex2(ctx, md, NULL))
		goto out;
	for (int i = 0; i < 3; i++)
		if (l[i] && (!d[i] || !EVP_DigestUpdate(ctx, d[i], l[i])))
			goto out;
	if (!EVP_DigestFinal_ex(ctx, out, &n) || n != crypto_hash_len(h))
		goto out;
	rc = 0;
out:
	if (rc < 0)
		ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	return rc;
}

int crypto_mac_feed(EVP_MAC_CTX *ctx, const struct crypto_part *parts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!parts[i].len)
			continue;
		if (!parts[i].p || !EVP_MAC_update(ctx, parts[i].p, parts[i].len))
			return -1;
	}
	return 0;
}

int crypto_hmac_parts(enum crypto_hash h, const uint8_t *key, size_t key_len,
		      const struct crypto_part *parts, size_t n, uint8_t *out)
{
	size_t got = 0;
	int rc = -1;
	if (!out || (key_len && !key))
		return -1;
	EVP_MAC_CTX *ctx = crypto_hmac_ctx_new(h, key, key_len);
	if (!ctx)
		return -1;
	if (crypto_mac_feed(ctx, parts, n) < 0 ||
	    !EVP_MAC_final(ctx, out, &got, crypto_hash_len(h)) || got != crypto_hash_len(h))
		goto out;
	rc = 0;
out:
	if (rc < 0)
		ERR_clear_error();
	EVP_MAC_CTX_free(ctx);
	return rc;
}

int crypto_hmac(enum crypto_hash h, const uint8_t *key, size_t key_len,
		const uint8_t *data, size_t len, uint8_t *out)
{
	const struct crypto_part part = { data, len };
	return crypto_hmac_parts(h, key, key_len, &part, 1, out);
}

/* Odd parity in the low bit of every key byte (FIPS 46-3 §3). */
static uint8_t des_odd_parity(uint8_t b)
{
	uint8_t v = b & 0xfe;
	unsigned ones = 0;
	for (uint8_t t = v; t; t &= (uint8_t)(t - 1))
		ones++;
	return (uint8_t)(v | (ones % 2 == 0));
}

/* RFC 2759 §8.6: spread 56 key bits over 8 bytes, 7 bits each, high bits
 * first, with a parity bit appended to every byte. */
static void des_expand_key(const uint8_t in[7], uint8_t out[8])
{
	out[0] = in[0];
	for (int i = 1; i < 7; i++)
		out[i] = (uint8_t)(in[i - 1] << (8 - i) | in[i] >> i);
	out[7] = (uint8_t)(in[6] << 1);
	for (int i = 0; i < 8; i++)
		out[i] = des_odd_parity(out[i]);
}

int crypto_des_7(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8])
{
	EVP_CIPHER *des = crypto_fetched_cipher(CIPH_DES_ECB);
	uint8_t key[8];
	int outl = 0, rc = -1;
	if (!des || !key7 || !in || !out)
		return -1;    /* needs crypto_enable_legacy() */
	des_expand_key(key7, key);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	if (!ctx || !EVP_EncryptInit_ex2(ctx, des, key, NULL, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0) ||
	    !EVP_EncryptUpdate(ctx, out, &outl, in, 8) || outl != 8)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		ERR_clear_error();
	EVP_CIPHER_CTX_free(ctx);
	OPENSSL_cleanse(key, sizeof(key));
	return rc;
}
