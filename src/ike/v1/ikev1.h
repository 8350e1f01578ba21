/* IKEv1 responder engine (RFC 2409 with the remote-access extensions the
 * Cisco VPN Client generation uses: XAUTH, Mode Config, Unity, DPD (RFC
 * 3706), NAT-T (RFC 3947 and its drafts)).
 *
 * Wiring (daemon), beside the IKEv2 engine on the same transport:
 *   struct ikev1 *e = ikev1_new(loop, io, &env);
 * The engine registers as the handler of major version 1 and reads the
 * configuration and pools through `env` each time a new SA needs them. */
#ifndef RAVPN_IKE_V1_IKEV1_H
#define RAVPN_IKE_V1_IKEV1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;
struct ike_io;
struct conf;
struct pool_set;

struct ikev1_env {
	struct conf *(*conf)(void *arg);
	struct pool_set *(*pools)(void *arg);
	void *arg;
};

struct ikev1_stats {
	uint64_t rx, rx_dropped, rx_bad_hash, rx_retransmits, tx;
	uint64_t p1_started, p1_done, p1_failed, no_proposal, auth_failed;
	uint64_t xauth_ok, xauth_failed, qm_done, qm_failed;
	uint64_t sessions_up, sessions_peak, sessions_total;
	uint64_t xauth_in_progress, xauth_in_progress_peak;   /* show uauth */
};

struct ikev1;
struct ikev1 *ikev1_new(struct loop *l, struct ike_io *io, const struct ikev1_env *env);
void ikev1_free(struct ikev1 *e);
/* Delete SAs politely (ISAKMP DELETE to the peer, lease released, 113019
 * logged).  tunnel_id 0 = all.  Returns the number deleted. */
int ikev1_clear(struct ikev1 *e, unsigned tunnel_id, const char *reason);
void ikev1_shutdown(struct ikev1 *e);
void ikev1_get_stats(const struct ikev1 *e, struct ikev1_stats *out);

#endif
