#include "ike/core/cookie.h"

#include <string.h>

#include "base/mem.h"
#include "crypto/crypto.h"

int ike_cookie_init(struct ike_cookie_gen *g, uint64_t now_ms)
{
	memset(g, 0, sizeof(*g));
	if (crypto_random(&g->version, sizeof(g->version)) < 0 ||
	    crypto_random(g->secret, sizeof(g->secret)) < 0)
		return -1;
	g->rotated_ms = now_ms;
	return 0;
}

int ike_cookie_rotate(struct ike_cookie_gen *g, uint64_t now_ms, bool force)
{
	if (!force && now_ms - g->rotated_ms < IKE_COOKIE_ROTATE_MS)
		return 0;
	memcpy(g->prev, g->secret, sizeof(g->prev));
	g->have_prev = true;
	g->version++;
	g->rotated_ms = now_ms;
	return crypto_random(g->secret, sizeof(g->secret));
}

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static int digest(const uint8_t secret[32], uint32_t version, const uint8_t *ni, size_t ni_len,
		  const struct sockaddr_in *peer, uint64_t spi_i, uint8_t out[IKE_COOKIE_LEN])
{
	uint8_t tail[4 + 8 + 32];
	memcpy(tail, &peer->sin_addr.s_addr, 4);    /* network order */
	put_be64(tail + 4, spi_i);
	memcpy(tail + 12, secret, 32);
	out[0] = (uint8_t)(version >> 24);
	out[1] = (uint8_t)(version >> 16);
	out[2] = (uint8_t)(version >> 8);
	out[3] = (uint8_t)version;
	int rc = crypto_hash(HASH_SHA256, ni, ni_len, tail, sizeof(tail), NULL, 0, out + 4);
	mem_wipe(tail, sizeof(tail));
	return rc;
}

int ike_cookie_make(const struct ike_cookie_gen *g, const uint8_t *ni, size_t ni_len,
		    const struct sockaddr_in *peer, uint64_t spi_i, uint8_t out[IKE_COOKIE_LEN])
{
	return digest(g->secret, g->version, ni, ni_len, peer, spi_i, out);
}

bool ike_cookie_check(const struct ike_cookie_gen *g, const uint8_t *cookie, size_t len,
		      const uint8_t *ni, size_t ni_len, const struct sockaddr_in *peer,
		      uint64_t spi_i)
{
	uint8_t want[IKE_COOKIE_LEN];
	if (len != IKE_COOKIE_LEN)
		return false;
	uint32_t v = (uint32_t)cookie[0] << 24 | (uint32_t)cookie[1] << 16 |
		     (uint32_t)cookie[2] << 8 | cookie[3];
	const uint8_t *secret;
	if (v == g->version)
		secret = g->secret;
	else if (g->have_prev && v == g->version - 1)
		secret = g->prev;
	else
		return false;
	if (digest(secret, v, ni, ni_len, peer, spi_i, want) < 0)
		return false;
	return mem_cmp_ct(want, cookie, IKE_COOKIE_LEN) == 0;
}

void ike_cookie_wipe(struct ike_cookie_gen *g)
{
	mem_wipe(g, sizeof(*g));
}

int ike_natd_hash(uint64_t spi_i, uint64_t spi_r, const struct sockaddr_in *a,
		  uint8_t out[IKE_NATD_LEN])
{
	uint8_t d[8 + 8 + 4 + 2];
	put_be64(d, spi_i);
	put_be64(d + 8, spi_r);
	memcpy(d + 16, &a->sin_addr.s_addr, 4);
	memcpy(d + 20, &a->sin_port, 2);
	return crypto_hash(HASH_SHA1, d, sizeof(d), NULL, 0, NULL, 0, out);
}
