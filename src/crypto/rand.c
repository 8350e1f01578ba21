/* Random bytes from OpenSSL's DRBG (seeded from the OS). */
#include "crypto/crypto_int.h"

#include <limits.h>
#include <openssl/rand.h>

int crypto_random(void *out, size_t n)
{
	uint8_t *p = out;
	if (n && !out)
		return -1;
	while (n) {
		int chunk = n > INT_MAX ? INT_MAX : (int)n;
		if (RAND_bytes(p, chunk) != 1)
			return crypto_ossl_fail("RAND_bytes");
		p += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}
