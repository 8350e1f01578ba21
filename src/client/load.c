/* ravpn-connect --load: N emulated clients on one event loop (see load.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/loop.h"
#include "client/cli.h"
#include "client/ini1.h"
#include "client/load.h"

enum lstate { L_IDLE, L_INIT, L_UP, L_CLOSING, L_DONE };

struct lclient {
	struct load *ld;
	struct ini2 *ike;            /* IKEv2, or ... */
	struct ini1 *ike1;           /* ... IKEv1 (--ikev1) */
	int fd;
	unsigned idx;                /* from 1 */
	uint16_t port;               /* our UDP port (host order) */
	uint32_t local;              /* our address if bound to one (host order) */
	enum lstate st;
	bool was_up, local_err;
	enum ini2_result result;
	uint64_t t0_us, t_up_us;
	uint32_t addr;               /* leased address, host order */
	char user[128];
};

/* Failures that are not the engine's: our socket could not be made. */
#define LOAD_LOCAL_FAIL 8
#define LOAD_N_REASONS 9

struct load {
	const struct load_opts *o;
	struct ini2_config base;
	struct ini1_config base1;
	bool v1;
	const char *user_fmt;
	struct loop *loop;
	struct lclient *c;
	unsigned n, started, pending, up_now, ever_up, failed, closed, dropped, done;
	unsigned fails[LOAD_N_REASONS];
	uint64_t t_start_us, t_last_up_us, t_close_us, t_end_us;
	bool closing, stopping, tty, dumped, held;
	struct loop_timer *pump_t, *progress_t, *duration_t;
	int sfd;
	char suite[128];
	struct sockaddr_in gw500, gw4500;
};

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---- the two engines: same hooks, same life cycle ---------------------------- */

static void eng_input(struct lclient *c, const uint8_t *data, size_t len)
{
	if (c->ike1)
		ini1_input(c->ike1, data, len);
	else if (c->ike)
		ini2_input(c->ike, data, len);
}

static void eng_close(struct lclient *c)
{
	if (c->ike1)
		ini1_close(c->ike1);
	else if (c->ike)
		ini2_close(c->ike);
}

static void eng_suite(const struct lclient *c, char *out, size_t len)
{
	if (c->ike1)
		ini1_suite(c->ike1, out, len);
	else if (c->ike)
		ini2_suite(c->ike, out, len);
}

/* Create and start the engine of c; -1 when it could not start. */
static int eng_start(struct load *ld, struct lclient *c, const struct ini2_hooks *h)
{
	if (ld->v1) {
		struct ini1_config cfg = ld->base1;
		cfg.user = ld->user_fmt ? c->user : NULL;
		c->ike1 = ini1_new(ld->loop, &cfg, h);
		return c->ike1 && ini1_start(c->ike1) == 0 ? 0 : -1;
	}
	struct ini2_config cfg = ld->base;
	cfg.user = ld->user_fmt ? c->user : NULL;
	c->ike = ini2_new(ld->loop, &cfg, h);
	return c->ike && ini2_start(c->ike) == 0 ? 0 : -1;
}

/* ---- pure pieces ------------------------------------------------------------ */

int load_user_name(const char *fmt, unsigned i, char *out, size_t len)
{
	const char *p = strchr(fmt, '%');
	int n;
	if (!p) {
		n = snprintf(out, len, "%s", fmt);
	} else {
		if (p[1] != 'd' || strchr(p + 2, '%'))
			return -1;
		n = snprintf(out, len, "%.*s%u%s", (int)(p - fmt), fmt, i, p + 2);
	}
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

double load_percentile(const double *sorted, size_t n, double p)
{
	if (n == 0)
		return 0;
	double x = p / 100.0 * (double)n;
	size_t rank = (size_t)x;
	if ((double)rank < x)                /* nearest rank: round up */
		rank++;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

static const char *result_key(unsigned r)
{
	static const char *const k[LOAD_N_REASONS] = {
		"INI2_OK", "INI2_ERR_AUTH", "INI2_ERR_PROPOSAL", "INI2_ERR_TIMEOUT",
		"INI2_ERR_CERT", "INI2_ERR_ADDRESS", "INI2_ERR_PEER_DELETE", "INI2_ERR_PROTOCOL",
		"LOCAL_SOCKET",
	};
	return r < LOAD_N_REASONS ? k[r] : "?";
}

/* ---- options --------------------------------------------------------------- */

void load_usage(FILE *f)
{
	fputs("Load mode: ravpn-connect [--ikev1] --gateway HOST --group NAME [--user U%d] [--auth ...]\n"
	      "         --load N [--rate R|0] [--inflight K] [--duration S] [--hold]\n"
	      "         [--json FILE] [--dump FILE] [--retrans-ms MS] [--source A[-B]]\n"
	      "(IKEv1: --ikev1 --group G --user U, group key and XAUTH password as usual.)\n"
	      "N clients, one UDP socket each, started at R/s (default 50, 0 = unlimited),\n"
	      "closed with DELETE once all are up (or after S s) unless --hold; JSON summary\n"
	      "on stdout or FILE; --dump lists every client and its address.\n",
	      f);
}

static const struct { const char *name; bool arg; } load_flags[] = {
	{ "load", true }, { "rate", true }, { "inflight", true }, { "duration", true },
	{ "retrans-ms", true }, { "hold", false }, { "json", true }, { "dump", true },
	{ "source", true },
};

/* A or A-B (IPv4, A <= B) -> host order. */
static int load_range(const char *v, uint32_t *first, uint32_t *last)
{
	char a[2 * INET_ADDRSTRLEN], *dash;
	struct in_addr x, y;
	if (snprintf(a, sizeof(a), "%s", v) >= (int)sizeof(a))
		return -1;
	dash = strchr(a, '-');
	if (dash)
		*dash++ = 0;
	if (inet_pton(AF_INET, a, &x) != 1 || inet_pton(AF_INET, dash ? dash : a, &y) != 1)
		return -1;
	*first = ntohl(x.s_addr);
	*last = ntohl(y.s_addr);
	return *first && *first <= *last ? 0 : -1;
}

static int load_num(const char *s, unsigned max, unsigned *out)
{
	char *end;
	if (!s || !*s || *s == '-')
		return -1;
	unsigned long v = strtoul(s, &end, 10);
	if (*end || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int load_set(struct load_opts *lo, const char *name, const char *v)
{
	if (!strcmp(name, "load"))
		return load_num(v, 1000000, &lo->n) < 0 || !lo->n ? -1 : 0;
	if (!strcmp(name, "rate"))
		return load_num(v, 1000000, &lo->rate);
	if (!strcmp(name, "inflight"))
		return load_num(v, 1000000, &lo->inflight);
	if (!strcmp(name, "duration"))
		return load_num(v, 86400 * 365, &lo->duration);
	if (!strcmp(name, "retrans-ms"))
		return load_num(v, 60000, &lo->retrans_ms);
	if (!strcmp(name, "source"))
		return load_range(v, &lo->src_first, &lo->src_last);
	if (!strcmp(name, "json"))
		lo->json = v;
	else if (!strcmp(name, "dump"))
		lo->dump = v;
	else
		lo->hold = true;
	return 0;
}

/* Which load flag is a (with or without "=value"); -1 if none. */
static int load_flag(const char *a, const char **eq)
{
	if (strncmp(a, "--", 2) != 0)
		return -1;
	a += 2;
	for (size_t i = 0; i < sizeof(load_flags) / sizeof(load_flags[0]); i++) {
		size_t l = strlen(load_flags[i].name);
		if (strncmp(a, load_flags[i].name, l) == 0 && (a[l] == 0 || a[l] == '=')) {
			*eq = a[l] == '=' ? a + l + 1 : NULL;
			return (int)i;
		}
	}
	return -1;
}

int load_opts_parse(int *argc, char **argv, struct load_opts *lo, char *err, size_t err_len)
{
	int out = 1;
	memset(lo, 0, sizeof(*lo));
	lo->rate = 50;
	for (int i = 1; i < *argc; i++) {
		const char *eq, *v = NULL;
		int k = strcmp(argv[i], "--") == 0 ? -1 : load_flag(argv[i], &eq);
		if (k < 0) {
			argv[out++] = argv[i];
			continue;
		}
		if (load_flags[k].arg)
			v = eq ? eq : (i + 1 < *argc ? argv[++i] : NULL);
		if ((load_flags[k].arg && !v) || (!load_flags[k].arg && eq) ||
		    load_set(lo, load_flags[k].name, v) < 0) {
			snprintf(err, err_len, "bad value for --%s", load_flags[k].name);
			return -1;
		}
	}
	argv[out] = NULL;
	*argc = out;
	if (!lo->n && (lo->hold || lo->json || lo->dump || lo->duration || lo->inflight)) {
		snprintf(err, err_len, "--hold, --json, --dump, --duration and --inflight need --load N");
		return -1;
	}
	return 0;
}

/* ---- transport: one socket per client ---------------------------------------- */

static int on_send(void *arg, bool natt, const uint8_t *data, size_t len)
{
	struct lclient *c = arg;
	const struct sockaddr_in *to = natt ? &c->ld->gw4500 : &c->ld->gw500;
	uint8_t pkt[65536];
	if (!natt)
		return sendto(c->fd, data, len, 0, (const struct sockaddr *)to, sizeof(*to)) < 0 ? -1 : 0;
	if (len + 4 > sizeof(pkt))
		return -1;
	memset(pkt, 0, 4);                   /* RFC 3948 non-ESP marker */
	memcpy(pkt + 4, data, len);
	return sendto(c->fd, pkt, len + 4, 0, (const struct sockaddr *)to, sizeof(*to)) < 0 ? -1 : 0;
}

static void on_readable(int fd, uint32_t events, void *arg)
{
	struct lclient *c = arg;
	uint8_t pkt[65536];
	struct sockaddr_in from;
	(void)events;
	while (c->st != L_DONE) {
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, pkt, sizeof(pkt), MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		if (n < 0)
			return;
		if (from.sin_addr.s_addr != c->ld->gw500.sin_addr.s_addr)
			continue;
		if (from.sin_port == c->ld->gw500.sin_port)
			eng_input(c, pkt, (size_t)n);
		else if (n > 4 && memcmp(pkt, "\0\0\0\0", 4) == 0)
			eng_input(c, pkt + 4, (size_t)n - 4);
		/* anything else on 4500 would be ESP: no data path here */
	}
}

static int open_socket(struct lclient *c)
{
	struct sockaddr_in me = { .sin_family = AF_INET };
	socklen_t ml = sizeof(me);
	const struct load_opts *o = c->ld->o;
	if (o->src_first)                    /* spread over the --source addresses */
		me.sin_addr.s_addr = htonl(o->src_first + (c->idx - 1) % (o->src_last - o->src_first + 1));
	c->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->fd < 0)
		return -1;
	/* port 0: the kernel picks a distinct free port for every client */
	if (bind(c->fd, (struct sockaddr *)&me, sizeof(me)) < 0 ||
	    getsockname(c->fd, (struct sockaddr *)&me, &ml) < 0 ||
	    loop_add_fd(c->ld->loop, c->fd, EPOLLIN, on_readable, c) < 0) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	c->port = ntohs(me.sin_port);
	c->local = ntohl(me.sin_addr.s_addr);
	return 0;
}

/* ---- engine hooks ------------------------------------------------------------ */

static void pump(struct load *ld);
static void check_settled(struct load *ld);

static void on_up(void *arg, const struct ini2_lease *l)
{
	struct lclient *c = arg;
	struct load *ld = c->ld;
	c->t_up_us = now_us();
	c->addr = l->addr;
	c->st = L_UP;
	c->was_up = true;
	ld->pending--;
	ld->up_now++;
	ld->ever_up++;
	ld->t_last_up_us = c->t_up_us;
	if (!ld->suite[0])
		eng_suite(c, ld->suite, sizeof(ld->suite));
	if (ld->closing) {                   /* up after the close began: close it too */
		c->st = L_CLOSING;
		eng_close(c);
	}
	pump(ld);
	check_settled(ld);
}

/* The engine is down: record why.  The engine and its socket stay until
 * the end (the socket may still get late retransmissions; the engine
 * ignores input once down). */
static void on_down(void *arg, enum ini2_result r, const char *why)
{
	struct lclient *c = arg;
	struct load *ld = c->ld;
	(void)why;
	enum lstate was = c->st;
	c->st = L_DONE;
	c->result = r;
	ld->done++;
	if (was == L_INIT) {
		ld->pending--;
		if (r == INI2_OK) {
			ld->closed++;            /* aborted by our close before it was up */
		} else {
			ld->failed++;
			ld->fails[r < LOAD_N_REASONS ? r : INI2_ERR_PROTOCOL]++;
		}
	} else {
		ld->up_now--;
		if (r == INI2_OK && was == L_CLOSING)
			ld->closed++;
		else
			ld->dropped++;           /* went down while up: gateway DELETE, DPD ... */
	}
	pump(ld);
	check_settled(ld);
}

/* ---- starting clients ----------------------------------------------------------- */

static void start_one(struct load *ld)
{
	struct lclient *c = &ld->c[ld->started++];
	c->st = L_INIT;
	ld->pending++;
	c->t0_us = now_us();
	if (load_user_name(ld->user_fmt ? ld->user_fmt : "", c->idx, c->user, sizeof(c->user)) < 0)
		c->user[0] = 0;
	struct ini2_hooks h = { on_send, NULL, NULL, NULL, on_up, on_down, c };
	if (open_socket(c) == 0 && eng_start(ld, c, &h) == 0)
		return;
	if (c->st != L_INIT)                 /* ini2_start went down already */
		return;
	c->st = L_DONE;
	c->local_err = true;
	ld->pending--;
	ld->done++;
	ld->failed++;
	ld->fails[LOAD_LOCAL_FAIL]++;
}

/* How many clients the rate allows by now. */
static unsigned due(const struct load *ld)
{
	if (!ld->o->rate)
		return ld->n;
	double s = (double)(now_us() - ld->t_start_us) / 1e6;
	double d = s * ld->o->rate + 1;     /* one at once, then R per second */
	return d >= ld->n ? ld->n : (unsigned)d;
}

static void pump(struct load *ld)
{
	if (ld->closing)
		return;
	unsigned want = due(ld), k = ld->o->inflight;
	while (ld->started < want && (!k || ld->pending < k))
		start_one(ld);
}

static void pump_fire(void *arg)
{
	struct load *ld = arg;
	ld->pump_t = NULL;
	pump(ld);
	if (ld->started < ld->n && !ld->closing)
		ld->pump_t = loop_timer_add(ld->loop, 2, pump_fire, ld);
	check_settled(ld);
}

/* ---- closing ------------------------------------------------------------------- */

static void dump(struct load *ld)
{
	FILE *f;
	if (ld->dumped || !ld->o->dump)
		return;
	ld->dumped = true;
	if (!(f = fopen(ld->o->dump, "w"))) {
		fprintf(stderr, "ravpn-connect: cannot write %s: %s\n", ld->o->dump, strerror(errno));
		return;
	}
	fprintf(f, "# index local_port user address latency_ms state local_address\n");
	for (unsigned i = 0; i < ld->started; i++) {
		struct lclient *c = &ld->c[i];
		char a[INET_ADDRSTRLEN] = "-";
		struct in_addr x = { htonl(c->addr) };
		if (c->addr)
			inet_ntop(AF_INET, &x, a, sizeof(a));
		char la[INET_ADDRSTRLEN] = "-";
		struct in_addr y = { htonl(c->local) };
		if (c->local)
			inet_ntop(AF_INET, &y, la, sizeof(la));
		fprintf(f, "%u %u %s %s %.1f %s %s\n", c->idx, c->port, c->user[0] ? c->user : "-", a,
			c->was_up ? (double)(c->t_up_us - c->t0_us) / 1000.0 : -1.0,
			c->was_up && c->st != L_DONE ? "up" : result_key(c->local_err ? LOAD_LOCAL_FAIL
										   : c->result),
			la);
	}
	fclose(f);
}

static void close_all(struct load *ld)
{
	if (ld->closing)
		return;
	ld->closing = true;
	ld->t_close_us = now_us();
	loop_timer_cancel(ld->loop, ld->pump_t);
	ld->pump_t = NULL;
	for (unsigned i = 0; i < ld->started; i++) {
		struct lclient *c = &ld->c[i];
		if (c->st == L_UP || c->st == L_INIT) {
			if (c->st == L_UP)
				c->st = L_CLOSING;
			eng_close(c);            /* may call on_down right here */
		}
	}
	check_settled(ld);
}

/* All started and none pending: dump, then close (or hold); all done: stop. */
static void check_settled(struct load *ld)
{
	if (ld->stopping)
		return;
	if (ld->closing && ld->done == ld->started) {
		ld->stopping = true;
		ld->t_end_us = now_us();
		loop_stop(ld->loop);
		return;
	}
	if (ld->closing || ld->started < ld->n || ld->pending)
		return;
	dump(ld);
	if (ld->o->hold) {
		if (!ld->held) {
			ld->held = true;         /* say it once */
			fprintf(stderr, "\nload: %u up, %u failed; holding until SIGINT/SIGTERM\n",
				ld->up_now, ld->failed);
		}
		return;
	}
	close_all(ld);
}

static void duration_fire(void *arg)
{
	struct load *ld = arg;
	ld->duration_t = NULL;
	dump(ld);
	close_all(ld);
}

static void on_signal(int fd, uint32_t events, void *arg)
{
	struct load *ld = arg;
	struct signalfd_siginfo si;
	(void)events;
	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return;
	if (ld->closing) {                   /* second signal: do not wait for DELETEs */
		ld->stopping = true;
		ld->t_end_us = now_us();
		loop_stop(ld->loop);
		return;
	}
	dump(ld);
	close_all(ld);
}

static void progress_print(struct load *ld)
{
	double s = (double)(now_us() - ld->t_start_us) / 1e6;
	fprintf(stderr, "\rload: %6.1f s  started %u  up %u  failed %u  closed %u  %.1f up/s   ", s,
		ld->started, ld->up_now, ld->failed, ld->closed, s > 0 ? ld->ever_up / s : 0.0);
}

static void progress_fire(void *arg)
{
	struct load *ld = arg;
	progress_print(ld);
	ld->progress_t = loop_timer_add(ld->loop, 250, progress_fire, ld);
}

/* ---- summary ---------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static unsigned distinct_addresses(const struct load *ld)
{
	uint32_t *a = calloc(ld->n ? ld->n : 1, sizeof(*a));
	unsigned k = 0, d = 0;
	if (!a)
		return 0;
	for (unsigned i = 0; i < ld->started; i++)
		if (ld->c[i].was_up && ld->c[i].addr)
			a[k++] = ld->c[i].addr;
	qsort(a, k, sizeof(*a), cmp_u32);
	for (unsigned i = 0; i < k; i++)
		if (i == 0 || a[i] != a[i - 1])
			d++;
	free(a);
	return d;
}

static void summary(struct load *ld, FILE *f)
{
	double *lat = calloc(ld->n ? ld->n : 1, sizeof(*lat));
	size_t k = 0;
	for (unsigned i = 0; lat && i < ld->started; i++)
		if (ld->c[i].was_up)
			lat[k++] = (double)(ld->c[i].t_up_us - ld->c[i].t0_us) / 1000.0;
	if (lat)
		qsort(lat, k, sizeof(*lat), cmp_double);
	double span = ld->ever_up ? (double)(ld->t_last_up_us - ld->t_start_us) / 1e6 : 0;
	double close_s = ld->t_close_us && ld->t_end_us > ld->t_close_us
				 ? (double)(ld->t_end_us - ld->t_close_us) / 1e6 : 0;
	const char *auth[] = { "psk", "eap-mschapv2", "eap-md5", "eap-gtc" };
	const char *group = ld->v1 ? ld->base1.group : ld->base.group;
	fprintf(f, "{\n  \"ike\": \"%s\", \"auth\": \"%s\", \"group\": \"%s\",\n",
		ld->v1 ? "v1" : "v2", ld->v1 ? "psk-xauth" : auth[ld->base.auth], group ? group : "");
	fprintf(f, "  \"clients\": %u, \"rate\": %u, \"inflight\": %u,\n", ld->n, ld->o->rate,
		ld->o->inflight);
	fprintf(f, "  \"started\": %u, \"up\": %u, \"failed\": %u, \"closed\": %u, \"dropped\": %u,\n",
		ld->started, ld->ever_up, ld->failed, ld->closed, ld->dropped);
	fprintf(f, "  \"distinct_addresses\": %u, \"suite\": \"%s\",\n", distinct_addresses(ld),
		ld->suite);
	fprintf(f, "  \"connect_seconds\": %.3f, \"connects_per_second\": %.1f,\n", span,
		span > 0 ? ld->ever_up / span : 0.0);
	fprintf(f, "  \"latency_ms\": { \"min\": %.1f, \"p50\": %.1f, \"p90\": %.1f, \"p99\": %.1f, "
		   "\"max\": %.1f },\n",
		k ? lat[0] : 0.0, load_percentile(lat, k, 50), load_percentile(lat, k, 90),
		load_percentile(lat, k, 99), k ? lat[k - 1] : 0.0);
	struct rusage ru;
	double cpu = 0;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
		      (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	/* the generator's own CPU: it shares the cores with the gateway in the lab */
	fprintf(f, "  \"close_seconds\": %.3f, \"generator_cpu_seconds\": %.3f,\n", close_s, cpu);
	fprintf(f, "  \"failures\": {");
	for (unsigned r = 1; r < LOAD_N_REASONS; r++)
		fprintf(f, "%s \"%s\": %u", r > 1 ? "," : "", result_key(r), ld->fails[r]);
	fprintf(f, " }\n}\n");
	free(lat);
}

/* ---- set-up ----------------------------------------------------------------------- */

/* One descriptor per client: raise the soft limit to what is needed. */
static int raise_nofile(unsigned n)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)n + 64;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	if (rl.rlim_cur >= want)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want) {
		rl.rlim_max = want;          /* works as root */
	}
	rl.rlim_cur = want;
	return setrlimit(RLIMIT_NOFILE, &rl);
}

static int setup_signals(struct load *ld)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	ld->sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return ld->sfd < 0 ? -1 : loop_add_fd(ld->loop, ld->sfd, EPOLLIN, on_signal, ld);
}

static void teardown(struct load *ld)
{
	for (unsigned i = 0; ld->c && i < ld->started; i++) {
		ini2_free(ld->c[i].ike);
		ini1_free(ld->c[i].ike1);
		if (ld->c[i].fd >= 0) {
			loop_del_fd(ld->loop, ld->c[i].fd);
			close(ld->c[i].fd);
		}
	}
	loop_timer_cancel(ld->loop, ld->pump_t);
	loop_timer_cancel(ld->loop, ld->progress_t);
	loop_timer_cancel(ld->loop, ld->duration_t);
	if (ld->sfd >= 0)
		close(ld->sfd);
	free(ld->c);
	loop_free(ld->loop);
}

static int write_summary(struct load *ld)
{
	if (!ld->o->json) {
		summary(ld, stdout);
		fflush(stdout);
		return 0;
	}
	FILE *f = fopen(ld->o->json, "w");
	if (!f) {
		fprintf(stderr, "ravpn-connect: cannot write %s: %s\n", ld->o->json, strerror(errno));
		return -1;
	}
	summary(ld, f);
	return fclose(f);
}

int load_run(const struct load_opts *o, const struct ini2_config *base,
	     const struct ini1_config *base1, const char *user_fmt)
{
	struct load ld = { .o = o, .user_fmt = user_fmt, .n = o->n, .sfd = -1 };
	if (base1) {
		ld.v1 = true;
		ld.base1 = *base1;
		ld.base.gw = base1->gw;
	} else {
		ld.base = *base;
	}
	char probe[128];
	if (user_fmt && load_user_name(user_fmt, 1, probe, sizeof(probe)) < 0) {
		fprintf(stderr, "ravpn-connect: --user for --load may hold one %%d and no other %%\n");
		return EXIT_USAGE;
	}
	if (raise_nofile(ld.n) < 0) {
		fprintf(stderr, "ravpn-connect: cannot raise the descriptor limit to %u\n", ld.n + 64);
		return EXIT_FAIL;
	}
	if (o->retrans_ms)
		ld.base.retrans_ms = ld.base1.retrans_ms = o->retrans_ms;
	ld.gw500 = ld.gw4500 = ld.base.gw;
	ld.gw4500.sin_port = htons(4500);
	ld.c = calloc(ld.n, sizeof(*ld.c));
	ld.loop = loop_new();
	if (!ld.c || !ld.loop || setup_signals(&ld) < 0) {
		teardown(&ld);
		return EXIT_FAIL;
	}
	for (unsigned i = 0; i < ld.n; i++)
		ld.c[i] = (struct lclient){ .ld = &ld, .fd = -1, .idx = i + 1 };
	ld.tty = isatty(STDERR_FILENO);
	ld.t_start_us = now_us();
	pump_fire(&ld);
	if (o->duration)
		ld.duration_t = loop_timer_add(ld.loop, (uint64_t)o->duration * 1000, duration_fire, &ld);
	if (ld.tty)
		progress_fire(&ld);
	int rc = ld.stopping ? 0 : loop_run(ld.loop);
	if (ld.tty) {
		progress_print(&ld);
		fputc('\n', stderr);
	}
	if (!ld.t_end_us)
		ld.t_end_us = now_us();
	int wr = write_summary(&ld);
	bool all_up = ld.ever_up == ld.n;
	teardown(&ld);
	return rc < 0 || wr < 0 ? EXIT_FAIL : all_up ? EXIT_OK : EXIT_FAIL;
}
