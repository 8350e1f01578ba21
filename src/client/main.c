/* ravpn-connect: the ravpn client, IKEv2 (AnyConnect dialect) or IKEv1
 * (Cisco VPN Client dialect: group key, XAUTH, Mode Config).
 *
 *   ravpn-connect --gateway 10.0.0.1 --group ASA-IKEV2 --user Anu \
 *                 --auth eap-mschapv2 --pin-cert gw.pem
 *   ravpn-connect --ikev1 --gateway 10.0.0.1 --group RA-IKEV1 --user vpnuser1
 *   ravpn-connect --profile site.pcf           (a .pcf means IKEv1)
 *
 * Wiring only: the command line and passwords (cli.c, secret.c), the IKE
 * socket towards port 500 for IKE_SA_INIT and the data plane's NAT-T socket
 * for the rest (tunnel.c), the engine (ini2.c or ini1.c: both take the same
 * hooks), the hook (hook.c), signals.
 * Up until SIGINT/SIGTERM; then DELETE, the disconnect hook, exit 0. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/log.h"
#include "base/loop.h"
#include "base/mem.h"
#include "client/cli.h"
#include "client/hook.h"
#include "client/ini1.h"
#include "client/load.h"
#include "client/ini2.h"
#include "client/profile.h"
#include "client/secret.h"
#include "client/tunnel.h"
#include "crypto/crypto.h"

struct client {
	struct cli_opts o;
	struct loop *loop;
	struct tunnel *tun;
	struct ini2 *ike;
	struct ini1 *ike1;                 /* --ikev1 (or a .pcf): instead of ike */
	int fd500, fd_natt, sfd;
	struct sockaddr_in gw, gw_natt;
	char gw_str[INET_ADDRSTRLEN];
	char secret[256];                  /* IKEv1: the XAUTH password */
	char group_secret[256];            /* IKEv1: the group password */
	struct crypto_cert *ca, *pin;
	struct client_profile prof;
	bool connected, down;
	enum ini2_result result;
	uint64_t t_start;
	uint32_t spi_in;
};

/* ---- the engine: IKEv2 or IKEv1 ---------------------------------------------------- */

static void engine_input(struct client *c, const uint8_t *data, size_t len)
{
	if (c->ike1)
		ini1_input(c->ike1, data, len);
	else
		ini2_input(c->ike, data, len);
}

/* DELETE and go down (on_down runs). */
static void engine_close(struct client *c)
{
	if (c->ike1)
		ini1_close(c->ike1);
	else
		ini2_close(c->ike);
}

/* ---- transport ---------------------------------------------------------------- */

static int on_send(void *arg, bool natt, const uint8_t *data, size_t len)
{
	struct client *c = arg;
	if (!natt)
		return send(c->fd500, data, len, 0) < 0 ? -1 : 0;
	/* RFC 3948 §2.2: IKE on the NAT-T port carries the non-ESP marker */
	uint8_t pkt[65536];
	if (len + 4 > sizeof(pkt))
		return -1;
	memset(pkt, 0, 4);
	memcpy(pkt + 4, data, len);
	return sendto(c->fd_natt, pkt, len + 4, 0, (struct sockaddr *)&c->gw_natt,
		      sizeof(c->gw_natt)) < 0 ? -1 : 0;
}

static void on_readable(int fd, uint32_t events, void *arg)
{
	struct client *c = arg;
	uint8_t pkt[65536];
	struct sockaddr_in from;
	(void)events;
	for (;;) {
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, pkt, sizeof(pkt), MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		if (n < 0)
			return;
		if (from.sin_addr.s_addr != c->gw.sin_addr.s_addr)
			continue;
		if (fd == c->fd500) {
			engine_input(c, pkt, (size_t)n);
		} else if (n > 4 && memcmp(pkt, "\0\0\0\0", 4) == 0) {
			engine_input(c, pkt + 4, (size_t)n - 4);
		}
		if (c->down)
			return;
	}
}

static int open_ike_socket(struct client *c)
{
	c->fd500 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (c->fd500 < 0 || connect(c->fd500, (struct sockaddr *)&c->gw, sizeof(c->gw)) < 0)
		return -1;
	if (loop_add_fd(c->loop, c->fd500, EPOLLIN, on_readable, c) < 0)
		return -1;
	if (c->fd_natt >= 0 && loop_add_fd(c->loop, c->fd_natt, EPOLLIN, on_readable, c) < 0)
		return -1;
	return 0;
}

/* ---- engine hooks ------------------------------------------------------------------ */

static uint32_t on_spi(void *arg)
{
	struct client *c = arg;
	uint32_t spi = 0;
	if (c->tun)
		return tunnel_spi(c->tun);
	if (crypto_random(&spi, 4) < 0)
		return 0;
	return spi;
}

static int on_child_up(void *arg, const struct ini2_child *ch)
{
	struct client *c = arg;
	c->spi_in = ch->spi_in;
	if (!c->tun)
		return 0;
	if (c->ike1 && !ini1_natt(c->ike1)) {
		/* Without NAT-T the gateway would send raw ESP (protocol 50),
		 * which a user-space data plane cannot receive without a raw
		 * socket. */
		log_msg(SEV_ERR, "client: the gateway does not speak NAT-T; only ESP in UDP "
			"is supported");
		return -1;
	}
	int rc = tunnel_child_up(c->tun, ch, &c->gw_natt);
	if (rc < 0)
		log_msg(SEV_ERR, "client: cannot install the CHILD SA: %s", strerror(-rc));
	return rc;
}

static void on_child_down(void *arg, uint32_t spi_in)
{
	struct client *c = arg;
	if (c->tun)
		tunnel_child_down(c->tun, spi_in);
}

static int run_hook(struct client *c, const char *reason, const struct ini2_lease *l)
{
	struct hook_env e;
	const char *banner = c->ike1 && l ? ini1_extra(c->ike1)->banner : NULL;
	if (!c->o.script)
		return 0;
	if (hook_env_build(&e, reason, c->gw_str, c->tun ? tunnel_name(c->tun) : "", l, banner) < 0)
		return -1;
	int rc = hook_run(c->o.script, &e);
	hook_env_free(&e);
	if (rc != 0)
		log_msg(SEV_WARNING, "client: %s %s exited with %d", c->o.script, reason, rc);
	return rc;
}

static int run_ping(const char *host)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execlp("ping", "ping", "-c", "3", "-i", "0.2", "-W", "2", host, (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void print_connected(struct client *c, const struct ini2_lease *l)
{
	char a[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN], suite[128];
	struct in_addr x = { htonl(l->addr) };
	int len = 32;
	if (l->netmask) {
		len = 0;
		while (len < 32 && (l->netmask & (0x80000000u >> len)))
			len++;
	}
	inet_ntop(AF_INET, &x, a, sizeof(a));
	printf("connected: address %s/%d, DNS", a, len);
	if (!l->n_dns)
		printf(" none");
	for (unsigned i = 0; i < l->n_dns; i++) {
		struct in_addr y = { htonl(l->dns[i]) };
		printf("%s%s", i ? " " : " ", inet_ntop(AF_INET, &y, d, sizeof(d)));
	}
	if (c->ike1)
		ini1_suite(c->ike1, suite, sizeof(suite));
	else
		ini2_suite(c->ike, suite, sizeof(suite));
	printf(", gateway %s, %s tunnel, %s, in %llu ms\n", c->gw_str,
	       l->full_tunnel || !l->n_split ? "full" : "split", suite,
	       (unsigned long long)(loop_now_ms() - c->t_start));
	fflush(stdout);
}

/* The login banner (IKEv1 Mode Config) as the Cisco client shows it before
 * anything else.  It comes from the gateway: control characters (a
 * terminal's escape sequences) are shown as '?'. */
static void print_banner(const char *b)
{
	if (!b || !b[0])
		return;
	fputs("banner: ", stdout);
	for (const char *p = b; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '\n' && p[1])
			fputs("\nbanner: ", stdout);
		else if (ch != '\n' && ch != '\r')
			putchar(ch < 0x20 || ch == 0x7f ? '?' : ch);
	}
	putchar('\n');
}

static void on_up(void *arg, const struct ini2_lease *l)
{
	struct client *c = arg;
	c->connected = true;
	if (c->tun && tunnel_configure(c->tun, l, c->o.script == NULL) < 0)
		log_msg(SEV_WARNING, "client: cannot set the address/routes on %s", tunnel_name(c->tun));
	run_hook(c, "connect", l);
	if (c->ike1)
		print_banner(ini1_extra(c->ike1)->banner);
	print_connected(c, l);
	if (c->o.ping) {
		int rc = run_ping(c->o.ping);
		printf("ping %s: %s\n", c->o.ping, rc == 0 ? "answered" : "no answer");
		fflush(stdout);
		if (rc != 0)
			c->result = INI2_ERR_PROTOCOL;
	}
	if (c->o.once)
		engine_close(c);
}

static void on_down(void *arg, enum ini2_result r, const char *why)
{
	struct client *c = arg;
	c->down = true;
	if (c->result == INI2_OK)
		c->result = r;
	if (r != INI2_OK)
		fprintf(stderr, "ravpn-connect: %s (%s)\n", ini2_result_name(r), why);
	loop_stop(c->loop);
}

static void on_signal(int fd, uint32_t events, void *arg)
{
	struct client *c = arg;
	struct signalfd_siginfo si;
	(void)events;
	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return;
	log_msg(SEV_NOTICE, "client: signal %u, disconnecting", si.ssi_signo);
	if (c->down || (!c->ike && !c->ike1))
		loop_stop(c->loop);
	else
		engine_close(c);
}

/* ---- set-up ----------------------------------------------------------------------- */

static int resolve(struct client *c)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_DGRAM }, *res;
	if (getaddrinfo(c->o.gateway, NULL, &hints, &res) != 0 || !res)
		return -1;
	c->gw = *(struct sockaddr_in *)res->ai_addr;
	freeaddrinfo(res);
	c->gw.sin_port = htons(c->o.port);
	c->gw_natt = c->gw;
	c->gw_natt.sin_port = htons(4500);
	inet_ntop(AF_INET, &c->gw.sin_addr, c->gw_str, sizeof(c->gw_str));
	return 0;
}

/* IKEv1 (a .pcf, or --ikev1 with any profile): the group password and a
 * saved XAUTH password of the profile's own user. */
static int apply_profile_v1(struct client *c)
{
	if (c->prof.protocol == PROTO_IKEV1 && c->prof.auth_type != PCF_AUTH_GROUP) {
		fprintf(stderr, "ravpn-connect: %s: AuthType %u (certificate or hybrid) is not "
			"supported, only group authentication (1)\n", c->o.profile, c->prof.auth_type);
		return -1;
	}
	if (c->prof.tcp_tunnel)
		fprintf(stderr, "ravpn-connect: %s: IPsec over TCP is not supported, using NAT-T "
			"(UDP 4500)\n", c->o.profile);
	if (c->prof.group_secret_set)
		snprintf(c->group_secret, sizeof(c->group_secret), "%s", c->prof.group_secret);
	if (c->prof.user_secret_set && c->o.user == c->prof.user)
		snprintf(c->secret, sizeof(c->secret), "%s", c->prof.user_secret);
	if (!c->o.dh && c->prof.dh_group <= 65535)
		c->o.dh = (uint16_t)c->prof.dh_group;
	if (!c->o.group || !c->o.user) {
		fprintf(stderr, "ravpn-connect: %s names no group or user: --group, --user\n",
			c->o.profile);
		return -1;
	}
	return c->o.gateway ? 0 : -1;
}

/* A profile fills what the command line left open. */
static int apply_profile(struct client *c)
{
	char err[256];
	if (!c->o.profile)
		return 0;
	if (profile_load(c->o.profile, c->o.host, &c->prof, err, sizeof(err)) < 0) {
		fprintf(stderr, "ravpn-connect: %s: %s\n", c->o.profile, err);
		return -1;
	}
	if (!c->o.gateway && c->prof.address[0])
		c->o.gateway = c->prof.address;
	if (!c->o.group && c->prof.group[0])
		c->o.group = c->prof.group;
	if (!c->o.user && c->prof.user[0])
		c->o.user = c->prof.user;
	if (!c->o.user && c->prof.ike_identity[0])
		c->o.user = c->prof.ike_identity;
	if (c->prof.protocol == PROTO_IKEV1 && !c->o.version_set)
		c->o.version = 1;                   /* a .pcf is a Cisco VPN Client profile */
	if (c->o.version == 1)
		return apply_profile_v1(c);
	if (c->o.pfs || c->o.group_password_fd >= 0) {
		fprintf(stderr, "ravpn-connect: --pfs and --group-password-fd are IKEv1 options\n");
		return -1;
	}
	if (!c->o.auth_set && c->prof.eap_method[0] &&
	    cli_parse_auth(c->prof.eap_method, &c->o.auth) == 0)
		c->o.auth_set = true;
	if (c->o.auth == INI2_PSK && c->prof.group_secret_set)
		snprintf(c->secret, sizeof(c->secret), "%s", c->prof.group_secret);
	return c->o.gateway ? 0 : -1;
}

static int load_trust(struct client *c)
{
	if (c->o.version == 1)
		return 0;                           /* IKEv1 group key: no certificates */
	if (c->o.ca && !(c->ca = crypto_cert_load_pem(c->o.ca))) {
		fprintf(stderr, "ravpn-connect: cannot read the CA certificate %s\n", c->o.ca);
		return -1;
	}
	if (c->o.pin_cert && !(c->pin = crypto_cert_load_pem(c->o.pin_cert))) {
		fprintf(stderr, "ravpn-connect: cannot read the certificate %s\n", c->o.pin_cert);
		return -1;
	}
	if (c->o.auth != INI2_PSK && !c->ca && !c->pin && !c->o.insecure) {
		fprintf(stderr, "ravpn-connect: EAP needs --ca, --pin-cert or --insecure\n");
		return -1;
	}
	return 0;
}

/* IKEv1 needs two: the group password and the XAUTH password; a descriptor
 * beats the profile, the profile beats the environment and the prompt.  The
 * group password first, so one descriptor can carry both lines. */
static int get_secrets_v1(struct client *c)
{
	if ((!c->group_secret[0] || c->o.group_password_fd >= 0) &&
	    secret_get(c->o.group_password_fd, "RAVPN_GROUP_PASSWORD", "Group password: ",
		       c->group_secret, sizeof(c->group_secret)) < 0)
		return -1;
	if (c->secret[0] && c->o.password_fd < 0)
		return 0;
	return secret_get(c->o.password_fd, "RAVPN_PASSWORD", "Password: ", c->secret,
			  sizeof(c->secret));
}

static int read_secrets(struct client *c)
{
	if (c->o.version == 1)
		return get_secrets_v1(c);
	bool psk = c->o.auth == INI2_PSK;
	if (psk && c->secret[0] && c->o.password_fd < 0)
		return 0;                           /* from the profile */
	return secret_get(c->o.password_fd, psk ? "RAVPN_GROUP_PASSWORD" : "RAVPN_PASSWORD",
			  psk ? "Group password: " : "Password: ", c->secret, sizeof(c->secret));
}

static int get_secret(struct client *c)
{
	int rc = read_secrets(c);
	/* The hook script and ping inherit our environment: passwords read
	 * from it must not travel on (a vpnc-script may log its environment). */
	unsetenv("RAVPN_PASSWORD");
	unsetenv("RAVPN_GROUP_PASSWORD");
	return rc;
}

static int setup_signals(struct client *c)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	c->sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return c->sfd < 0 ? -1 : loop_add_fd(c->loop, c->sfd, EPOLLIN, on_signal, c);
}

static int start_ikev1(struct client *c, const struct ini2_hooks *h)
{
	struct ini1_config cfg = {
		.gw = c->gw, .group = c->o.group, .group_secret = c->group_secret,
		.user = c->o.user, .password = c->secret, .dh_group = c->o.dh,
		.pfs_group = c->o.pfs, .dpd_sec = c->o.dpd,
	};
	if ((c->o.dh && !crypto_dh_group(c->o.dh)) || (c->o.pfs && !crypto_dh_group(c->o.pfs))) {
		fprintf(stderr, "ravpn-connect: unknown DH group %u\n",
			c->o.dh && !crypto_dh_group(c->o.dh) ? c->o.dh : c->o.pfs);
		return -1;
	}
	c->ike1 = ini1_new(c->loop, &cfg, h);
	c->t_start = loop_now_ms();
	if (c->o.script && run_hook(c, "pre-init", NULL) != 0)
		return -1;
	return c->ike1 && ini1_start(c->ike1) == 0 ? 0 : -1;
}

static int start(struct client *c)
{
	if (!c->o.no_tun) {
		c->tun = tunnel_new(c->loop, c->o.tun, c->o.local_port);
		if (!c->tun) {
			fprintf(stderr, "ravpn-connect: cannot open TUN %s / UDP port %u\n", c->o.tun,
				c->o.local_port);
			return -1;
		}
		c->fd_natt = tunnel_ike_fd(c->tun);
	} else {
		struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = htons(c->o.local_port) };
		c->fd_natt = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (c->fd_natt < 0 || bind(c->fd_natt, (struct sockaddr *)&any, sizeof(any)) < 0)
			return -1;
	}
	if (open_ike_socket(c) < 0)
		return -1;
	struct ini2_hooks h = { on_send, on_spi, on_child_up, on_child_down, on_up, on_down, c };
	if (c->o.version == 1)
		return start_ikev1(c, &h);
	struct ini2_config cfg = {
		.gw = c->gw, .group = c->o.group, .user = c->o.user, .auth = c->o.auth,
		.secret = c->secret, .ca = c->ca, .pin = c->pin, .insecure = c->o.insecure,
		.dh_group = c->o.dh, .dpd_sec = c->o.dpd,
	};
	c->ike = ini2_new(c->loop, &cfg, &h);
	c->t_start = loop_now_ms();
	if (c->o.script && run_hook(c, "pre-init", NULL) != 0)
		return -1;
	return c->ike && ini2_start(c->ike) == 0 ? 0 : -1;
}

static int run_load(struct client *c, const struct load_opts *lo)
{
	if (c->o.version == 1) {
		struct ini1_config v1 = {
			.gw = c->gw, .group = c->o.group, .group_secret = c->group_secret,
			.user = c->o.user, .password = c->secret, .dh_group = c->o.dh,
			.pfs_group = c->o.pfs, .dpd_sec = c->o.dpd,
		};
		return load_run(lo, NULL, &v1, c->o.user);
	}
	struct ini2_config cfg = {
		.gw = c->gw, .group = c->o.group, .auth = c->o.auth, .secret = c->secret,
		.ca = c->ca, .pin = c->pin, .insecure = c->o.insecure, .dh_group = c->o.dh,
		.dpd_sec = c->o.dpd,
	};
	return load_run(lo, &cfg, NULL, c->o.user);
}

static void cleanup(struct client *c)
{
	if (c->connected && c->o.script)
		run_hook(c, "disconnect", NULL);
	ini2_free(c->ike);
	ini1_free(c->ike1);
	if (c->fd500 >= 0)
		close(c->fd500);
	if (!c->tun && c->fd_natt >= 0)
		close(c->fd_natt);
	tunnel_free(c->tun);
	if (c->sfd >= 0)
		close(c->sfd);
	loop_free(c->loop);
	crypto_cert_free(c->ca);
	crypto_cert_free(c->pin);
	profile_wipe(&c->prof);
	mem_wipe(c->secret, sizeof(c->secret));
	mem_wipe(c->group_secret, sizeof(c->group_secret));
}

int main(int argc, char **argv)
{
	static struct client cl;
	struct client *c = &cl;
	char err[256];
	c->fd500 = c->fd_natt = c->sfd = -1;
	struct load_opts lo;
	if (load_opts_parse(&argc, argv, &lo, err, sizeof(err)) < 0 ||
	    cli_parse(argc, argv, &c->o, err, sizeof(err)) < 0) {
		fprintf(stderr, "ravpn-connect: %s\n", err);
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	if (c->o.help) {
		cli_usage(stdout);
		load_usage(stdout);
		return EXIT_OK;
	}
	if (c->o.debug) {
		log_set_debug(LOG_IKEV2, c->o.debug);
		log_set_debug(LOG_IKEV1, c->o.debug);
	}
	if (crypto_init() < 0 || apply_profile(c) < 0 || resolve(c) < 0) {
		fprintf(stderr, "ravpn-connect: cannot start (crypto, profile or gateway address)\n");
		cleanup(c);
		return EXIT_USAGE;
	}
	if (load_trust(c) < 0 || get_secret(c) < 0) {
		if (!c->secret[0] || (c->o.version == 1 && !c->group_secret[0]))
			fprintf(stderr, "ravpn-connect: no password (--password-fd, RAVPN_PASSWORD / "
					"RAVPN_GROUP_PASSWORD, or a terminal)\n");
		cleanup(c);
		return EXIT_USAGE;
	}
	if (lo.n) {                                 /* --load: many clients, see load.c */
		int rc = run_load(c, &lo);
		cleanup(c);
		return rc;
	}
	c->loop = loop_new();
	int code = EXIT_FAIL;
	if (c->loop && setup_signals(c) == 0 && start(c) == 0 && loop_run(c->loop) == 0)
		code = c->down ? (int)cli_exit_for(c->result) : EXIT_OK;
	else if (c->down)
		code = (int)cli_exit_for(c->result);
	if (c->connected && c->result == INI2_OK)
		printf("disconnected\n");
	cleanup(c);
	return code;
}
