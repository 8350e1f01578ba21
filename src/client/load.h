/* ravpn-connect --load N: many emulated IKEv2 (or IKEv1) clients from one process, for
 * load tests and the handshake benchmark (bench/handshake).
 *
 * Each client is one ini2 engine, or ini1 with --ikev1 (the same protocol
 * code as the normal client) with its own UDP socket on an ephemeral port, so the gateway sees
 * N distinct (address, port) peers.  IKE_SA_INIT goes to the gateway's 500,
 * the rest to its 4500 from the same socket (the engine fakes NAT-D, so the
 * gateway expects the switch).  The CHILD SAs are negotiated for real, but
 * without a TUN no ESP is sent: the data path is not exercised here.
 *
 * Clients start at --rate R per second (0: as fast as --inflight allows),
 * with at most --inflight K handshakes outstanding (0: no limit).  When all
 * are up or failed (or after --duration S), the ones up are closed with
 * DELETE, unless --hold: then they stay until SIGINT/SIGTERM.  The result
 * is a JSON summary (stdout or --json FILE) with connects per second,
 * latency percentiles (IKE_SA_INIT sent -> CHILD SA up), failures by
 * enum ini2_result name, and the number of distinct addresses leased;
 * --dump FILE lists every client (written when all are settled, before
 * the close, so a test can look at the gateway while they are up). */
#ifndef RAVPN_CLIENT_LOAD_H
#define RAVPN_CLIENT_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "client/ini2.h"

struct load_opts {
	unsigned n;                  /* --load N: 0 = not in load mode */
	unsigned rate;               /* --rate R starts per second, 0 = unlimited (default 50) */
	unsigned inflight;           /* --inflight K outstanding handshakes, 0 = no limit */
	unsigned duration;           /* --duration S: close after S seconds, 0 = when settled */
	unsigned retrans_ms;         /* --retrans-ms MS: first retransmission, 0 = engine's */
	bool hold;                   /* --hold: stay up until SIGINT/SIGTERM */
	uint32_t src_first, src_last; /* --source A[-B]: local addresses, round robin
				       * (host order; 0 = the kernel's choice) */
	const char *json, *dump;     /* --json FILE (else stdout), --dump FILE */
};

/* Take the load options out of argv (before cli_parse sees it): argc is
 * updated, the other arguments keep their order.  -1 with a message in err. */
int load_opts_parse(int *argc, char **argv, struct load_opts *lo, char *err, size_t err_len);
void load_usage(FILE *f);

struct ini1_config;
/* base: the IKEv2 engine configuration every client shares (gw, group,
 * auth, secret, trust, DH group), or base1 (not NULL: IKEv1, group key and
 * XAUTH password); user_fmt may hold one %d (the client index, from 1).
 * Returns an exit code (enum cli_exit). */
int load_run(const struct load_opts *o, const struct ini2_config *base,
	     const struct ini1_config *base1, const char *user_fmt);

/* Pure pieces, tested on their own. */
/* "user%d" with i -> "user7"; 0, or -1 if fmt has any other % or does not fit. */
int load_user_name(const char *fmt, unsigned i, char *out, size_t len);
/* The p-th percentile (0..100, nearest rank) of n sorted values; 0 if n == 0. */
double load_percentile(const double *sorted, size_t n, double p);

#endif
