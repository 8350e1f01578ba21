/* Pieces of an IKE session that both engines (ike/v1, ike/v2) share:
 * printable addresses, the CHILD SA list of an IKE SA, the address lease
 * and the "session disconnected" event. */
#ifndef RAVPN_IKE_CORE_SESSION_H
#define RAVPN_IKE_CORE_SESSION_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/core/sa.h"

struct pool_set;
struct ike_pkt;
struct conf;

/* A responder SA for a first message from p: a fresh local SPI (unused in
 * the table), a random tunnel id, addresses, the configuration referenced,
 * the nameif it runs on (the arrival interface, else the first `crypto
 * ikev1|ikev2 enable` interface of its own version, else the other's),
 * times; it is added to the table.  priv is the version's part.  NULL when
 * memory or randomness runs out (nothing is kept then). */
struct ike_sa *ike_sa_start(enum ike_version v, const struct ike_pkt *p, uint64_t spi_i,
			    uint32_t session_id, struct conf *conf, void *priv);

/* "10.0.0.2" from a host-order address; "10.0.0.2:500" from a sockaddr. */
const char *ike_ip_str(uint32_t host_addr, char *buf, size_t len);
const char *ike_addr_str(const struct sockaddr_in *a, char *buf, size_t len);

/* Take a CHILD SA off its IKE SA (its byte counts stay in the session's
 * totals); the caller frees it. */
void ike_child_unlink(struct ike_sa *sa, struct child_sa *ch);
struct child_sa *ike_child_by_spi_in(struct ike_sa *sa, uint32_t spi_in);
struct child_sa *ike_child_by_spi_out(struct ike_sa *sa, uint32_t spi_out);

/* The configured pool's own name string (stable for the SA's lifetime) and
 * mask (0 when the pool has none). */
const char *ike_pool_name(const struct conf *c, const char *name);
uint32_t ike_pool_mask(const struct conf *c, const char *name);
/* Give the session's address back to its pool.  Returns true when an
 * address was held and released; logs a warning when the pool did not
 * know it. */
bool ike_release_lease(struct ike_sa *sa, struct pool_set *pools);

/* When an idle session's liveness check is due: the keepalive threshold plus
 * up to 10 % more, fixed per session, so sessions that came up together do
 * not all probe in the same second (100k tunnels with a 10 s threshold
 * would otherwise send 100k checks in one burst). */
uint64_t ike_dpd_due(const struct ike_sa *sa, unsigned interval_sec);

/* Keep one loop timer per SA armed for `due` (UINT64_MAX: none); fn gets
 * the SA's serial (timers find their SA by serial, never by pointer). */
struct loop;
struct loop_timer;
void ike_sa_rearm(struct loop *l, struct loop_timer **timer, uint64_t *timer_due, uint64_t due,
		  void (*fn)(void *arg), const struct ike_sa *sa);

/* %RAVPN-4-113019 "Session disconnected" with duration and byte counts. */
void ike_log_session_down(const struct ike_sa *sa, const char *reason);

#endif
