/* IKEv2 responder engine (RFC 7296) for remote-access clients.
 *
 * Wiring (daemon): create the transport (ike/core/ike.h), then
 *   struct ikev2 *e = ikev2_new(loop, io, &env);
 * The engine registers itself as the IKEv2 handler of the transport and
 * reads the configuration, pools and trustpoints through `env` each time
 * it needs them (so a reload is picked up by new SAs; running SAs keep the
 * configuration they were built with). */
#ifndef RAVPN_IKE_V2_IKEV2_H
#define RAVPN_IKE_V2_IKEV2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;
struct ike_io;
struct conf;
struct pool_set;
struct trustpoint_store;

struct ikev2_env {
	struct conf *(*conf)(void *arg);
	struct pool_set *(*pools)(void *arg);
	const struct trustpoint_store *(*trustpoints)(void *arg);
	void *arg;
};

struct ikev2_stats {
	uint64_t rx_requests, rx_responses, rx_dropped, rx_bad_icv, rx_retransmits;
	uint64_t tx_messages, tx_fragments;
	uint64_t sa_init, sa_established, sa_failed, cookies_sent, invalid_ke_sent;
	uint64_t no_proposal, auth_failed;
	uint64_t sessions_up, sessions_peak;      /* established sessions now / at most */
};

struct ikev2;
struct ikev2 *ikev2_new(struct loop *l, struct ike_io *io, const struct ikev2_env *env);
/* Run DH and RSA signatures on `workers` threads (0: on the loop, the
 * default).  Call once, right after ikev2_new(). */
int ikev2_set_workers(struct ikev2 *e, unsigned workers);
/* Wait until no job reads shared state (trustpoint keys): call before
 * freeing trustpoints on a reload. */
void ikev2_drain(struct ikev2 *e);
/* Frees every SA (without sending anything) and the engine. */
void ikev2_free(struct ikev2 *e);
/* Delete SAs politely (INFORMATIONAL DELETE to the peer, lease released,
 * 113019 logged).  tunnel_id 0 = all.  Returns the number deleted. */
int ikev2_clear(struct ikev2 *e, unsigned tunnel_id, const char *reason);
/* Shutdown: DELETE every SA now (best effort, no waiting for replies). */
void ikev2_shutdown(struct ikev2 *e);
void ikev2_get_stats(const struct ikev2 *e, struct ikev2_stats *out);
/* Half-open (not yet established) SAs. */
size_t ikev2_half_open(const struct ikev2 *e);

#endif
