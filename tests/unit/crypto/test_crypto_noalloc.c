/* The per-packet calls of the data plane (crypto_aead_seal/open,
 * crypto_cipher_cbc, crypto_mac_compute/verify) must not allocate: OpenSSL's
 * allocator is replaced by a counting one before anything else runs, and
 * the count must not move across a thousand packets.  (Our own code in
 * those paths has no malloc at all; this catches OpenSSL doing it for us.) */
#include "../t.h"

#include "crypto/crypto.h"

#include <openssl/crypto.h>

static unsigned long n_alloc;

static void *count_malloc(size_t n, const char *file, int line)
{
	(void)file, (void)line;
	n_alloc++;
	return malloc(n);
}

static void *count_realloc(void *p, size_t n, const char *file, int line)
{
	(void)file, (void)line;
	n_alloc++;
	return realloc(p, n);
}

static void count_free(void *p, const char *file, int line)
{
	(void)file, (void)line;
	free(p);
}

static uint8_t pkt[1400], out[1400], tag[16];

static void aead_per_packet_calls_do_not_allocate(void)
{
	uint8_t key[36] = { 1, 2, 3 }, iv[8] = { 0 }, aad[8] = { 9 };
	const struct crypto_encr *e = crypto_encr_ikev2(20, 256);
	struct crypto_cipher *enc = crypto_cipher_new(e, key, e->key_len, true);
	struct crypto_cipher *dec = crypto_cipher_new(e, key, e->key_len, false);
	T_CHECK(enc && dec);
	if (!enc || !dec)
		goto out;
	unsigned long before = n_alloc;
	for (int i = 0; i < 1000; i++) {
		iv[7] = (uint8_t)i;
		T_EQ_INT(crypto_aead_seal(enc, iv, aad, 8, pkt, out, sizeof(pkt), tag), 0);
		T_EQ_INT(crypto_aead_open(dec, iv, aad, 8, out, out, sizeof(pkt), tag), 0);
	}
	tag[0] ^= 1;
	T_EQ_INT(crypto_aead_open(dec, iv, aad, 8, out, out, sizeof(pkt), tag), -1);
	T_EQ_INT(n_alloc - before, 0);
out:
	crypto_cipher_free(enc);
	crypto_cipher_free(dec);
}

static void cbc_and_hmac_per_packet_calls_do_not_allocate(void)
{
	uint8_t key[32] = { 7 }, mkey[20] = { 5 }, iv[16] = { 0 }, icv[12];
	const struct crypto_encr *e = crypto_encr_ikev2(12, 256);
	const struct crypto_integ *g = crypto_integ_ikev2(2);
	struct crypto_cipher *enc = crypto_cipher_new(e, key, 32, true);
	struct crypto_cipher *dec = crypto_cipher_new(e, key, 32, false);
	struct crypto_mac *m = crypto_mac_new(g, mkey, 20);
	T_CHECK(enc && dec && m);
	if (!enc || !dec || !m)
		goto out;
	unsigned long before = n_alloc;
	for (int i = 0; i < 1000; i++) {
		iv[0] = (uint8_t)i;
		T_EQ_INT(crypto_cipher_cbc(enc, iv, pkt, out, 1392), 0);
		T_EQ_INT(crypto_mac_compute(m, iv, 16, out, 1392, icv), 0);
		T_EQ_INT(crypto_mac_verify(m, iv, 16, out, 1392, icv), 0);
		T_EQ_INT(crypto_cipher_cbc(dec, iv, out, out, 1392), 0);
	}
	T_EQ_INT(n_alloc - before, 0);
	T_EQ_MEM(out, pkt, 1392);
out:
	crypto_cipher_free(enc);
	crypto_cipher_free(dec);
	crypto_mac_free(m);
}

int main(void)
{
	if (!CRYPTO_set_mem_functions(count_malloc, count_realloc, count_free)) {
		printf("FAIL could not install the counting allocator\n");
		return 1;
	}
	if (crypto_init() != 0) {
		printf("FAIL crypto_init\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)i;
	T_RUN(aead_per_packet_calls_do_not_allocate);
	T_RUN(cbc_and_hmac_per_packet_calls_do_not_allocate);
	T_DONE();
}
