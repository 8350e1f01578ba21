/* ravpn-connect command line (pure: parsed into struct cli_opts, tested). */
#ifndef RAVPN_CLIENT_CLI_H
#define RAVPN_CLIENT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "client/ini2.h"

/* Exit codes: each failure class its own, for scripts and tests. */
enum cli_exit {
	EXIT_OK = 0,
	EXIT_FAIL = 1,           /* anything else (socket, TUN, hook) */
	EXIT_USAGE = 2,
	EXIT_AUTH = 3,           /* authentication failed */
	EXIT_PROPOSAL = 4,       /* no proposal chosen */
	EXIT_TIMEOUT = 5,        /* the gateway does not answer */
	EXIT_CERT = 6,           /* gateway certificate not trusted */
	EXIT_ADDRESS = 7,        /* no address assigned */
	EXIT_PEER = 8,           /* the gateway closed the session */
};
enum cli_exit cli_exit_for(enum ini2_result r);

struct cli_opts {
	int version;             /* 1 or 2 */
	bool version_set;        /* --ikev1/--ikev2 given: a profile does not change it */
	const char *gateway;     /* host name or address */
	uint16_t port;           /* 500 */
	const char *group, *user;
	enum ini2_auth auth;
	bool auth_set;
	const char *ca, *pin_cert;
	bool insecure;
	const char *script;
	const char *tun;         /* "rvc0" */
	bool no_tun;
	int password_fd;         /* -1 = none */
	unsigned debug;
	const char *profile, *host;
	bool once;
	const char *ping;
	uint16_t local_port;     /* UDP port for IKE on 4500 and ESP (4500) */
	unsigned dpd;            /* seconds, 0 = default */
	uint16_t dh;             /* first KE group, 0 = default */
	/* IKEv1 only */
	int group_password_fd;   /* -1 = none; may equal password_fd (group line first) */
	uint16_t pfs;            /* Quick Mode PFS group, 0 = as the gateway says */
	bool help;
};

/* Parse argv; on error returns -1 with a message in err. */
int cli_parse(int argc, char **argv, struct cli_opts *o, char *err, size_t err_len);
int cli_parse_auth(const char *s, enum ini2_auth *out);
void cli_usage(FILE *f);

#endif
