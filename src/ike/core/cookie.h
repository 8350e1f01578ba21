/* Stateless cookies (RFC 7296 §2.6) and NAT detection hashes (§2.23).
 *
 * Cookie = <VersionIDofSecret> | SHA-256(Ni | IPi | SPIi | <secret>)
 * The secret rotates (IKE_COOKIE_ROTATE_MS); a cookie made with the
 * previous secret is still accepted, so a client that got one just before
 * a rotation gets in.  36 bytes (the RFC allows 1..64).
 *
 * NAT-D = SHA-1(SPIi | SPIr | IP address | Port), SPIr = 0 in the
 * IKE_SA_INIT request. */
#ifndef RAVPN_IKE_CORE_COOKIE_H
#define RAVPN_IKE_CORE_COOKIE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IKE_COOKIE_LEN 36
#define IKE_COOKIE_ROTATE_MS (5 * 60 * 1000)
#define IKE_NATD_LEN 20

struct ike_cookie_gen {
	uint32_t version;
	uint8_t secret[32], prev[32];
	bool have_prev;
	uint64_t rotated_ms;
};

int ike_cookie_init(struct ike_cookie_gen *g, uint64_t now_ms) __attribute__((warn_unused_result));
/* Rotate when due (or when force). */
int ike_cookie_rotate(struct ike_cookie_gen *g, uint64_t now_ms, bool force)
	__attribute__((warn_unused_result));
int ike_cookie_make(const struct ike_cookie_gen *g, const uint8_t *ni, size_t ni_len,
		    const struct sockaddr_in *peer, uint64_t spi_i, uint8_t out[IKE_COOKIE_LEN])
	__attribute__((warn_unused_result));
bool ike_cookie_check(const struct ike_cookie_gen *g, const uint8_t *cookie, size_t len,
		      const uint8_t *ni, size_t ni_len, const struct sockaddr_in *peer,
		      uint64_t spi_i);
void ike_cookie_wipe(struct ike_cookie_gen *g);

int ike_natd_hash(uint64_t spi_i, uint64_t spi_r, const struct sockaddr_in *a,
		  uint8_t out[IKE_NATD_LEN]) __attribute__((warn_unused_result));

#endif
