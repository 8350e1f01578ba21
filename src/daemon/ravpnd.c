/* ravpnd: the remote-access VPN headend.
 *
 *   ravpnd -c CONFIG -s CTL_SOCKET [--state-dir DIR] [-d LEVEL]
 *   ravpnd --check -c CONFIG
 *
 * Runs in the foreground and logs to stderr.  Wiring: event loop,
 * configuration (conf/), address pools (aaa/), trustpoints (auth/), the
 * ESP data plane (esp/, via daemon/dataplane.c), the IKE transport
 * (ike/core) with the IKEv2 engine (ike/v2), and the control socket (ctl/).  Signals arrive through a signalfd on the loop:
 *   SIGINT, SIGTERM  DELETE every IKE SA (the peers learn at once), exit 0
 *   SIGHUP           reload the configuration; on any error keep the old one
 * Running SAs keep the configuration they were built with. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "aaa/pool.h"
#include "auth/trustpoint.h"
#include "base/log.h"
#include "base/loop.h"
#include "conf/conf.h"
#include "crypto/crypto.h"
#include "ctl/ctl.h"
#include "daemon/daemon.h"
#include "daemon/dataplane.h"
#include "ike/core/ike.h"
#include "ike/v1/ikev1.h"
#include "ike/v2/ikev2.h"

#define DEFAULT_STATE_DIR "/var/lib/ravpn"

struct daemon {
	struct loop *loop;
	struct conf *conf;
	struct pool_set *pools;
	struct trustpoint_store tps;
	struct dataplane *dp;
	struct ike_io *io;
	struct ikev2 *v2;
	struct ikev1 *v1;
	struct ctl *ctl;
	const char *conf_path, *ctl_path, *state_dir;
	int sigfd;
};

static struct conf *env_conf(void *arg)
{
	return ((struct daemon *)arg)->conf;
}

static struct pool_set *env_pools(void *arg)
{
	return ((struct daemon *)arg)->pools;
}

static const struct trustpoint_store *env_tps(void *arg)
{
	return &((struct daemon *)arg)->tps;
}

static void env_totals(void *arg, struct ctl_session_totals *out)
{
	struct daemon *d = arg;
	struct ikev2_stats st = { 0 };
	if (d->v2)
		ikev2_get_stats(d->v2, &st);
	memset(out, 0, sizeof(*out));
	out->ikev2_cumulative = st.sa_established;
	out->ikev2_peak = st.sessions_peak;
	if (d->v1) {
		struct ikev1_stats s1;
		ikev1_get_stats(d->v1, &s1);
		out->ikev1_cumulative = s1.sessions_total;
		out->ikev1_peak = s1.sessions_peak;
		out->uauth_users_peak = s1.sessions_peak;
		out->uauth_in_progress_peak = s1.xauth_in_progress_peak;
		out->have_uauth = true;
	}
}

static void env_refresh(void *arg)
{
	dataplane_sync(((struct daemon *)arg)->dp);
}

static int env_clear(void *arg, unsigned tunnel_id)
{
	struct daemon *d = arg;
	int n = d->v2 ? ikev2_clear(d->v2, tunnel_id, "Administrator Reset") : 0;
	return n + (d->v1 ? ikev1_clear(d->v1, tunnel_id, "Administrator Reset") : 0);
}

static void usage(FILE *out)
{
	fprintf(out, "usage: ravpnd -c CONFIG -s CTL_SOCKET [--state-dir DIR] [-d LEVEL]\n"
		     "       ravpnd --check -c CONFIG\n"
		     "  -c, --config FILE     ASA/PIX configuration\n"
		     "  -s, --socket PATH     control socket (for ravpnctl)\n"
		     "      --state-dir DIR   enrolled trustpoints etc. (default %s)\n"
		     "  -d, --debug LEVEL     debug crypto ikev2 protocol and isakmp LEVEL (1..255)\n"
		     "      --check           validate the configuration and exit\n",
		DEFAULT_STATE_DIR);
}

/* ---- configuration -------------------------------------------------------- */

static struct conf *load_conf(const char *path, bool print_all)
{
	struct conf_diags diags = { 0 };
	struct conf *c = conf_load(path, &diags);
	if (print_all || !c) {
		conf_diags_print(&diags, path, stderr);
	} else {
		/* At start-up and reload only what needs attention. */
		for (size_t i = 0; i < diags.n; i++) {
			if (diags.d[i].kind == DIAG_UNUSED)
				continue;
			struct conf_diags one = { .d = &diags.d[i], .n = 1 };
			conf_diags_print(&one, path, stderr);
		}
	}
	conf_diags_free(&diags);
	return c;
}

/* MSCHAPv2 (MD4, DES) and DES need OpenSSL's legacy provider. */
static void enable_legacy(void)
{
	if (crypto_enable_legacy() < 0)
		log_msg(SEV_WARNING, "OpenSSL legacy provider unavailable: EAP-MSCHAPv2 and DES "
			"are disabled");
}

static int reload(struct daemon *d)
{
	log_msg(SEV_NOTICE, "SIGHUP: reloading %s", d->conf_path);
	struct conf *nc = load_conf(d->conf_path, false);
	if (!nc) {
		log_msg(SEV_ERR, "reload: %s has errors; keeping the running configuration",
			d->conf_path);
		return -1;
	}
	struct trustpoint_store ntps = { 0 };
	if (d->v2)
		ikev2_drain(d->v2);          /* no signing job may hold an old key */
	if (trustpoints_load(&ntps, nc, d->state_dir) < 0) {
		log_msg(SEV_ERR, "reload: trustpoints failed; keeping the running configuration");
		trustpoints_free(&ntps);
		conf_unref(nc);
		return -1;
	}
	struct pool_set *np = pool_set_reload(d->pools, nc);
	if (!np) {
		log_msg(SEV_ERR, "reload: out of memory building pools; keeping the running "
			"configuration");
		trustpoints_free(&ntps);
		conf_unref(nc);
		return -1;
	}
	pool_set_free(d->pools);
	d->pools = np;
	trustpoints_free(&d->tps);
	d->tps = ntps;
	struct conf *old = d->conf;
	d->conf = nc;
	conf_unref(old);
	dataplane_reconf(d->dp, nc);
	if (ike_io_reconf(d->io, nc) < 0)
		log_msg(SEV_ERR, "reload: cannot rebind the IKE sockets");
	log_msg(SEV_NOTICE, "configuration reloaded");
	return 0;
}

/* ---- signals ------------------------------------------------------------- */

static void on_signal(int fd, uint32_t events, void *arg)
{
	struct daemon *d = arg;
	struct signalfd_siginfo si;
	(void)events;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGINT:
		case SIGTERM:
			log_msg(SEV_NOTICE, "%s: deleting all SAs and exiting",
				si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
			if (d->v2)
				ikev2_shutdown(d->v2);
			if (d->v1)
				ikev1_shutdown(d->v1);
			loop_stop(d->loop);
			break;
		case SIGHUP:
			(void)reload(d);
			break;
		default:
			break;
		}
	}
}

static int setup_signals(struct daemon *d)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sigfd < 0)
		return -1;
	return loop_add_fd(d->loop, d->sigfd, EPOLLIN, on_signal, d);
}

/* ---- main ------------------------------------------------------------------- */

static int run(struct daemon *d)
{
	int rc = 1;
	d->conf = load_conf(d->conf_path, false);
	if (!d->conf)
		return 1;
	enable_legacy();
	d->loop = loop_new();
	d->pools = pool_set_new(d->conf);
	if (!d->loop || !d->pools || setup_signals(d) < 0) {
		log_msg(SEV_ERR, "start-up failed: %s", strerror(errno));
		goto out;
	}
	if (trustpoints_load(&d->tps, d->conf, d->state_dir) < 0)
		goto out;
	/* The data plane first: it owns the UDP 4500 socket group and lends
	 * IKE the socket that receives non-ESP-marker traffic. */
	d->dp = dataplane_new(d->loop, d->conf);
	if (!d->dp)
		goto out;
	struct ike_io_opts iopts = { .borrow_natt_fd = true, .natt_fd = dataplane_ike_fd(d->dp) };
	d->io = ike_io_new(d->loop, d->conf, &iopts);
	if (!d->io)
		goto out;
	struct ikev2_env ienv = { env_conf, env_pools, env_tps, d };
	d->v2 = ikev2_new(d->loop, d->io, &ienv);
	struct ikev1_env ienv1 = { env_conf, env_pools, d };
	d->v1 = ikev1_new(d->loop, d->io, &ienv1);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned workers = cpus < 1 ? 1 : cpus > 4 ? 4 : (unsigned)cpus;
	if (d->v2 && ikev2_set_workers(d->v2, workers) < 0)
		log_msg(SEV_WARNING, "IKEv2: no worker threads; DH and signatures run on the loop");
	struct ctl_env cenv = { env_conf, env_pools, env_tps, env_clear, d, env_totals,
				time(NULL), env_refresh };
	d->ctl = ctl_new(d->loop, d->ctl_path, &cenv);
	if (!d->v2 || !d->v1 || !d->ctl) {
		log_msg(SEV_ERR, "cannot start the %s", !d->v2 ? "IKEv2 engine" : !d->v1 ?
			"IKEv1 engine" : "control socket");
		goto out;
	}
	log_msg(SEV_NOTICE, "ravpnd running: config %s, control socket %s", d->conf_path,
		d->ctl_path);
	rc = loop_run(d->loop) < 0 ? 1 : 0;
out:
	ctl_free(d->ctl);
	ikev2_free(d->v2);
	ikev1_free(d->v1);
	ike_io_free(d->io);
	dataplane_free(d->dp);
	trustpoints_free(&d->tps);
	pool_set_free(d->pools);
	if (d->sigfd > 0)
		close(d->sigfd);
	loop_free(d->loop);
	if (d->conf)
		conf_unref(d->conf);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "debug", required_argument, NULL, 'd' },
		{ "check", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct daemon d = { .state_dir = DEFAULT_STATE_DIR, .sigfd = -1 };
	bool check = false;
	int o;
	while ((o = getopt_long(argc, argv, "c:s:d:h", opts, NULL)) != -1) {
		switch (o) {
		case 'c': d.conf_path = optarg; break;
		case 's': d.ctl_path = optarg; break;
		case 'S': d.state_dir = optarg; break;
		case 'd':
			log_set_debug(LOG_IKEV2, (unsigned)strtoul(optarg, NULL, 10));
			log_set_debug(LOG_IKEV1, (unsigned)strtoul(optarg, NULL, 10));
			break;
		case 'C': check = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!d.conf_path || optind != argc || (!check && !d.ctl_path)) {
		usage(stderr);
		return 2;
	}
	if (crypto_init() < 0) {
		fprintf(stderr, "ravpnd: cannot initialise OpenSSL\n");
		return 1;
	}
	if (check)
		return daemon_check(d.conf_path);
	return run(&d);
}
