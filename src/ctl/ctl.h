/* Control socket: a UNIX stream socket that takes one command per
 * connection (a line of words, plus a "json" flag) and answers with the
 * output text, the way the ASA CLI would print it.  Commands are matched by
 * unique prefix on each word (`sh cry ikev2 sa` = `show crypto ikev2 sa`).
 *
 * Wire protocol (ravpnctl <-> ravpnd): the client sends one line
 *   "[json ]WORD WORD ...\n"
 * and reads until EOF.  The first line of the answer is "0" (ok) or "1"
 * (error), then the output. */
#ifndef RAVPN_CTL_CTL_H
#define RAVPN_CTL_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct loop;
struct conf;
struct pool_set;
struct trustpoint_store;

/* Session counters since start, kept by the IKE layer, for the Cumulative
 * and Peak Concur columns of `show vpn-sessiondb`. */
struct ctl_session_totals {
	uint64_t ikev2_cumulative, ikev2_peak;
	uint64_t ikev1_cumulative, ikev1_peak;
	uint64_t uauth_users_peak, uauth_in_progress_peak;   /* show uauth "Most Seen" */
	bool have_uauth;
};

/* What the daemon lends the command handlers (read-only views). */
struct ctl_env {
	struct conf *(*conf)(void *arg);
	struct pool_set *(*pools)(void *arg);
	const struct trustpoint_store *(*trustpoints)(void *arg);
	/* clear crypto ikev2 sa [ID] / clear vpn-sessiondb: ask the IKE layer
	 * to delete; returns the number of SAs deleted. */
	int (*clear_ike_sa)(void *arg, unsigned tunnel_id /* 0 = all */);
	void *arg;
	/* Added by ctl/; optional (NULL / 0 when the daemon does not provide
	 * them; the show then prints "-" resp. leaves the line out). */
	void (*session_totals)(void *arg, struct ctl_session_totals *out);
	time_t started;          /* daemon start time: show version uptime */
	/* Optional: bring the counters the shows print up to date (the data
	 * plane keeps them per worker) before a command runs. */
	void (*refresh)(void *arg);
};

struct ctl;
struct ctl *ctl_new(struct loop *l, const char *socket_path, const struct ctl_env *env);
void ctl_free(struct ctl *c);

/* Run one command without a socket (used by tests): returns a malloc'd
 * answer in the socket format ("0\n..." / "1\n..."). */
char *ctl_exec(const struct ctl_env *env, const char *line, bool json);

#endif
