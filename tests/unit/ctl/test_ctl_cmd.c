/* The real command tree through ctl_exec() (show, debug, clear with a
 * configuration, pools, trustpoints and the SA table) and the control
 * socket end to end: a server on an event loop, a client in a thread. */
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include "jcheck.h"

#include "aaa/pool.h"
#include "auth/trustpoint.h"
#include "base/log.h"
#include "base/loop.h"
#include "conf/conf.h"
#include "crypto/crypto.h"
#include "ctl/ctl.h"
#include "ctl/version.h"

static const char config_text[] =
	"hostname ravpn-gw\n"
	"interface Ethernet0/1\n"
	" nameif outside\n"
	" security-level 0\n"
	" ip address 10.0.0.1 255.255.255.0\n"
	"ip local pool webvpn1 10.2.2.1-10.2.2.10 mask 255.255.255.0\n"
	"crypto ca trustpoint GW-TP\n"
	" enrollment self\n"
	"group-policy ASA-IKEV2 internal\n"
	"group-policy ASA-IKEV2 attributes\n"
	" vpn-idle-timeout 20\n"
	"username Anu password TopSecret123 privilege 15\n"
	"tunnel-group ASA-IKEV2 type remote-access\n"
	"tunnel-group ASA-IKEV2 general-attributes\n"
	" address-pool webvpn1\n"
	" default-group-policy ASA-IKEV2\n"
	"tunnel-group ASA-IKEV2 ipsec-attributes\n"
	" ikev2 remote-authentication pre-shared-key GroupKey42\n"
	" ikev2 local-authentication pre-shared-key GroupKey42\n";

static struct conf *conf;
static struct pool_set *pools;
static struct trustpoint_store tps;
static unsigned cleared[16];
static size_t n_cleared;
static int clear_result = 1;

static struct conf *env_conf(void *arg)
{
	return conf;
}

static struct pool_set *env_pools(void *arg)
{
	return pools;
}

static const struct trustpoint_store *env_tps(void *arg)
{
	return &tps;
}

static int env_clear(void *arg, unsigned tunnel_id)
{
	if (n_cleared < 16)
		cleared[n_cleared++] = tunnel_id;
	return clear_result;
}

static void env_totals(void *arg, struct ctl_session_totals *t)
{
	t->ikev2_cumulative = 4;
	t->ikev2_peak = 2;
}

static const struct ctl_env env = {
	.conf = env_conf,
	.pools = env_pools,
	.trustpoints = env_tps,
	.clear_ike_sa = env_clear,
	.session_totals = env_totals,
};

static char *answer;

static const char *exec(const char *line, bool json)
{
	free(answer);
	answer = ctl_exec(&env, line, json);
	return answer ? answer : "(null)";
}

static void show_version_prints_the_version(void)
{
	T_EQ_STR(exec("show version", false), "0\nravpn Version " RAVPN_VERSION "\n");
	T_EQ_STR(exec("sh ver", true),
		 "0\n{\"software\":\"ravpn\",\"version\":\"" RAVPN_VERSION "\",\"hostname\":"
		 "\"ravpn-gw\",\"uptime\":null}\n");
	struct ctl_env e = env;
	e.started = time(NULL) - 3 * 3600 - 120;
	char *a = ctl_exec(&e, "show version", false);
	T_EQ_STR(a, "0\nravpn Version " RAVPN_VERSION "\n\nravpn-gw up 3 hours 2 mins\n");
	free(a);
}

static void asa_abbreviations_reach_the_shows(void)
{
	T_EQ_STR(exec("sh cry ikev2 sa", false), "0\nThere are no IKEv2 SAs\n");
	T_EQ_STR(exec("sh cry ikev2 sa det", false), "0\nThere are no IKEv2 SAs\n");
	T_EQ_STR(exec("sh cry ips sa", false), "0\nThere are no ipsec sas\n");
	T_EQ_STR(exec("sh vpn-sessiondb detail anyconnect", false),
		 "0\nINFO: There are presently no active sessions\n");
	T_EQ_STR(exec("sh vpn any", false), "0\nINFO: There are presently no active sessions\n");
	T_EQ_STR(exec("sh cry i sa", false), "1\n% Ambiguous command: \"sh cry i\"\n");
	T_EQ_STR(exec("show crypto ikev3 sa", false),
		 "1\nshow crypto ikev3 sa\n            ^\n% Invalid input detected at '^' marker.\n");
	T_EQ_STR(exec("show", false), "1\n% Incomplete command.\n");
	T_CHECK(json_valid(exec("sh cry ikev2 sa", true) + 2));
	T_CHECK(json_valid(exec("sh cry ipsec sa", true) + 2));
	T_CHECK(json_valid(exec("sh vpn-sessiondb detail anyconnect", true) + 2));
	T_CHECK(json_valid(exec("sh vpn-sessiondb", true) + 2));
	T_CHECK(json_valid(exec("show ip local pool", true) + 2));
	T_CHECK(json_valid(exec("show crypto ca certificates", true) + 2));
	T_CHECK(json_valid(exec("show running-config", true) + 2));
	T_CHECK(json_valid(exec("show debug", true) + 2));
}

/* SAs in the process-wide table are what the shows print. */
static void shows_read_the_sa_table(void)
{
	struct ike_sa sa;
	struct child_sa c;
	fx_seed_sa(&sa, &c);
	sa.created = time(NULL);
	sa.conf = conf;
	ike_sa_table_add(&sa);
	const char *s = exec("show crypto ikev2 sa", false);
	T_CHECK(strstr(s, "0\nIKEv2 SAs:\n\nSession-id:2, Status:UP-ACTIVE, IKE count:1, CHILD count:1\n"));
	s = exec("show vpn-sessiondb detail anyconnect", false);
	/* vpn-idle-timeout 20 of group-policy ASA-IKEV2 */
	T_CHECK(strstr(s, "  Idle Time Out: 20 Minutes"));
	s = exec("show vpn-sessiondb", false);
	T_CHECK(strstr(s, "AnyConnect Client            :      1 :          4 :           2 :        0\n"));
	s = exec("show crypto ipsec sa", true);
	T_CHECK(json_valid(s + 2));
	T_CHECK(strstr(s, "\"current_peer\":\"192.168.1.1\""));
	ike_sa_table_remove(&sa);
}

static void running_config_masks_secrets(void)
{
	const char *s = exec("show running-config", false);
	T_CHECK(strncmp(s, "0\n", 2) == 0);
	T_CHECK(strstr(s, "hostname ravpn-gw"));
	T_CHECK(strstr(s, "*****"));
	T_CHECK(!strstr(s, "GroupKey42"));
	T_CHECK(!strstr(s, "TopSecret123"));
	s = exec("show running-config", true);
	T_CHECK(!strstr(s, "GroupKey42"));
}

static void pools_show_leases(void)
{
	const char *names[] = { "webvpn1" };
	uint32_t addr;
	const char *pool;
	T_EQ_INT(pool_lease(pools, names, 1, "ASA-IKEV2/Anu", &addr, &pool), 0);
	T_EQ_STR(exec("show ip local pool webvpn1", false),
		 "0\nBegin           End             Mask            Free     Held     In use\n"
		 "10.2.2.1        10.2.2.10       255.255.255.0   9        0        1\n");
	T_EQ_STR(exec("show ip local pool", false),
		 "0\nPool            Begin           End             Mask            Free     Held     In use\n"
		 "webvpn1         10.2.2.1        10.2.2.10       255.255.255.0   9        0        1\n");
	T_EQ_STR(exec("show ip local pool nosuch", false), "1\nERROR: Pool nosuch not found\n");
	T_EQ_INT(pool_release(pools, addr), 0);
}

/* A client pins the gateway certificate from this output: the PEM printed
 * must be the trustpoint's own. */
static void ca_certificates_print_the_pem(void)
{
	T_CHECK(tps.n == 1 && tps.tp[0].pem);
	const char *s = exec("show crypto ca certificates", false);
	T_CHECK(strncmp(s, "0\nCertificate\n  Status: Available\n  Subject Name:\n", 50) == 0);
	T_CHECK(strstr(s, "  Associated Trustpoints: GW-TP\n"));
	T_CHECK(tps.n == 1 && tps.tp[0].pem && strstr(s, tps.tp[0].pem));
	char *all = strdup(s);
	T_EQ_STR(exec("show crypto ca certificates GW-TP", false), all);
	free(all);
	T_EQ_STR(exec("show crypto ca certificates OTHER", false),
		 "1\nERROR: Trustpoint OTHER not found\n");
}

static void debug_switches_levels_and_show_debug_lists_them(void)
{
	T_EQ_STR(exec("debug crypto ikev2 protocol 127", false), "0\n");
	T_EQ_INT(log_get_debug(LOG_IKEV2), 127);
	T_EQ_STR(exec("deb cry ikev2 plat", false), "0\n");
	T_EQ_INT(log_get_debug(LOG_IKEV2_PLATFORM), 1);
	T_EQ_STR(exec("debug crypto isakmp 5", false), "0\n");
	T_EQ_INT(log_get_debug(LOG_IKEV1), 5);
	T_EQ_STR(exec("debug crypto ipsec 3", false), "0\n");
	T_EQ_STR(exec("debug aaa 9", false), "0\n");
	T_EQ_STR(exec("debug radius", false), "0\n");
	T_EQ_INT(log_get_debug(LOG_RADIUS), 255);
	T_EQ_STR(exec("debug aggregate-auth xml 5", false), "0\n");
	T_EQ_INT(log_get_debug(LOG_XML), 5);
	T_EQ_STR(exec("debug crypto ikev2 protocol 256", false),
		 "1\ndebug crypto ikev2 protocol 256\n                            ^\n"
		 "% Invalid input detected at '^' marker.\n");
	T_EQ_STR(exec("show debug", false),
		 "0\ndebug crypto ikev2 protocol 127\n"
		 "debug crypto ikev2 platform 1\n"
		 "debug crypto ikev1 5\n"
		 "debug crypto ipsec 3\n"
		 "debug aaa 9\n"
		 "debug radius\n"
		 "debug aggregate-auth xml 5\n");
	T_EQ_STR(exec("no debug crypto ikev2 protocol", false), "0\n");
	T_EQ_INT(log_get_debug(LOG_IKEV2), 0);
	T_EQ_STR(exec("debug crypto ikev1 7", true), "0\n{\"debug\":\"crypto ikev1\",\"level\":7}\n");
	T_EQ_STR(exec("undebug all", false), "0\n");
	T_EQ_STR(exec("show debug", false), "0\n");
	T_EQ_INT(log_get_debug(LOG_IKEV1), 0);
	T_EQ_INT(log_get_debug(LOG_RADIUS), 0);
}

static void secrets_switch_is_explicit_and_undebug_clears_it(void)
{
	T_CHECK(!log_secrets());
	T_EQ_STR(exec("debug crypto secrets", false), "1\n% Incomplete command.\n");
	T_CHECK(!log_secrets());
	T_EQ_STR(exec("debug crypto secrets on", false),
		 "0\nWARNING: keys, pre-shared keys and passwords are now printed in debug output\n");
	T_CHECK(log_secrets());
	T_EQ_STR(exec("show debug", false), "0\ndebug crypto secrets on\n");
	T_EQ_STR(exec("debug crypto secrets off", false), "0\n");
	T_CHECK(!log_secrets());
	exec("debug crypto secrets on", false);
	T_EQ_STR(exec("no debug crypto secrets", false), "0\n");
	T_CHECK(!log_secrets());
	exec("debug crypto secrets on", false);
	exec("no debug all", false);
	T_CHECK(!log_secrets());
}

static void clear_asks_the_ike_layer(void)
{
	struct ike_sa a, b, v1;
	struct child_sa ca, cb, c1;
	fx_seed_sa(&a, &ca);
	fx_seed_sa(&b, &cb);
	fx_seed_sa(&v1, &c1);
	b.tunnel_id = 77;
	b.spi_r ^= 1;
	b.session_id = 3;
	v1.version = IKE_V1;
	v1.tunnel_id = 99;
	v1.spi_r ^= 2;
	ike_sa_table_add(&a);
	ike_sa_table_add(&b);
	ike_sa_table_add(&v1);
	n_cleared = 0;
	T_EQ_STR(exec("clear crypto ikev2 sa 5", false), "0\n");
	T_EQ_INT(n_cleared, 1);
	T_EQ_INT(cleared[0], 5);
	clear_result = 0;
	T_EQ_STR(exec("clear crypto ikev2 sa 6", false), "1\nERROR: No IKEv2 SA with Tunnel-id 6\n");
	clear_result = 1;
	n_cleared = 0;
	T_EQ_STR(exec("clear crypto ikev2 sa", false), "0\n");   /* every IKEv2 SA, not IKEv1 */
	T_EQ_INT(n_cleared, 2);
	T_EQ_INT(cleared[0], 55182129);
	T_EQ_INT(cleared[1], 77);
	n_cleared = 0;
	clear_result = 3;
	T_EQ_STR(exec("clear vpn-sessiondb all", false),
		 "0\nINFO: Number of sessions logged off: 3\n");
	T_EQ_INT(n_cleared, 1);
	T_EQ_INT(cleared[0], 0);
	clear_result = 1;
	n_cleared = 0;
	T_EQ_STR(exec("vpn-sessiondb logoff index 3", true),
		 "0\n{\"sessions_logged_off\":1,\"ike_sas_deleted\":1}\n");
	T_EQ_INT(n_cleared, 1);
	T_EQ_INT(cleared[0], 77);
	T_EQ_STR(exec("vpn-sessiondb logoff index 42", false), "1\nERROR: No session with index 42\n");
	ike_sa_table_remove(&a);
	ike_sa_table_remove(&b);
	ike_sa_table_remove(&v1);
}

/* ---- the socket ------------------------------------------------------------ */

struct client {
	const char *path;
	const char *request;
	char *response;
	size_t len;
	int err;
	atomic_bool done;
};

static void *client_main(void *arg)
{
	struct client *k = arg;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", k->path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		k->err = errno;
		goto out;
	}
	if (write(fd, k->request, strlen(k->request)) != (ssize_t)strlen(k->request))
		k->err = EIO;
	shutdown(fd, SHUT_WR);
	size_t cap = 4096;
	k->response = malloc(cap);
	for (;;) {
		if (k->len + 1 == cap)
			k->response = realloc(k->response, cap *= 2);
		ssize_t r = read(fd, k->response + k->len, cap - 1 - k->len);
		if (r <= 0)
			break;
		k->len += (size_t)r;
	}
	k->response[k->len] = '\0';
out:
	if (fd >= 0)
		close(fd);
	atomic_store(&k->done, true);
	return NULL;
}

struct poll {
	struct loop *loop;
	struct client *k;
	int ticks;
};

static void poll_done(void *arg)
{
	struct poll *p = arg;
	if (atomic_load(&p->k->done) || ++p->ticks > 2000) {
		loop_stop(p->loop);
		return;
	}
	loop_timer_add(p->loop, 5, poll_done, p);
}

/* Serve one client request on the loop until the client is done. */
static char *round_trip(struct loop *l, const char *path, const char *request)
{
	struct client k = { .path = path, .request = request };
	struct poll p = { l, &k, 0 };
	pthread_t th;
	atomic_init(&k.done, false);
	pthread_create(&th, NULL, client_main, &k);
	loop_timer_add(l, 5, poll_done, &p);
	loop_run(l);
	pthread_join(th, NULL);
	if (k.err)
		fprintf(stderr, "  client: %s\n", strerror(k.err));
	return k.response;
}

static void socket_answers_one_command_per_connection(void)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/tmp/ravpn-ctl-test-%d.sock", (int)getpid());
	struct loop *l = loop_new();
	struct ctl *c = ctl_new(l, path, &env);
	T_CHECK(c != NULL);
	if (!c) {
		loop_free(l);
		return;
	}
	T_CHECK(stat(path, &st) == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & 0777) == 0600);
	/* A second daemon on the same socket is refused. */
	T_CHECK(ctl_new(l, path, &env) == NULL);
	char *r = round_trip(l, path, "show version\n");
	T_EQ_STR(r, "0\nravpn Version " RAVPN_VERSION "\n");
	free(r);
	r = round_trip(l, path, "json sh cry ikev2 sa\n");
	T_EQ_STR(r, "0\n{\"sessions\":[]}\n");
	free(r);
	r = round_trip(l, path, "sh cryptx");   /* no newline: runs at EOF */
	T_EQ_STR(r, "1\nsh cryptx\n   ^\n% Invalid input detected at '^' marker.\n");
	free(r);
	ctl_free(c);
	T_CHECK(stat(path, &st) < 0);
	loop_free(l);
}

/* An answer far larger than the socket buffer is written as the client
 * reads it, without blocking the loop. */
static void socket_streams_large_answers(void)
{
	enum { N = 3000 };
	char path[64];
	struct ike_sa *sas = calloc(N, sizeof(*sas));
	struct child_sa *cs = calloc(N, sizeof(*cs));
	snprintf(path, sizeof(path), "/tmp/ravpn-ctl-test2-%d.sock", (int)getpid());
	for (int i = 0; i < N; i++) {
		fx_seed_sa(&sas[i], &cs[i]);
		sas[i].session_id = (uint32_t)i + 1;
		sas[i].tunnel_id = (uint32_t)i + 1;
		sas[i].spi_r = (uint64_t)i + 1;
		ike_sa_table_add(&sas[i]);
	}
	struct loop *l = loop_new();
	struct ctl *c = ctl_new(l, path, &env);
	T_CHECK(c != NULL);
	char *r = c ? round_trip(l, path, "show crypto ikev2 sa detail\n") : NULL;
	char *direct = ctl_exec(&env, "show crypto ikev2 sa detail", false);
	T_CHECK(r && strlen(r) > 1000000);
	/* Same text, except the Active Time may have ticked over a second. */
	T_CHECK(r && direct && strlen(r) == strlen(direct));
	free(direct);
	free(r);
	ctl_free(c);
	loop_free(l);
	for (int i = 0; i < N; i++)
		ike_sa_table_remove(&sas[i]);
	free(sas);
	free(cs);
}

static char state_dir[] = "/tmp/ravpn-ctl-test-XXXXXX";

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	return remove(path);
}

static int setup(void)
{
	struct conf_diags d = { 0 };
	char *dir = state_dir;
	if (crypto_init() < 0)
		return -1;
	conf = conf_parse(config_text, sizeof(config_text) - 1, "test.conf", &d);
	if (!conf) {
		conf_diags_print(&d, "test.conf", stderr);
		conf_diags_free(&d);
		return -1;
	}
	conf_diags_free(&d);
	pools = pool_set_new(conf);
	if (!pools || !mkdtemp(dir) || trustpoints_load(&tps, conf, dir) < 0)
		return -1;
	return 0;
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	log_set_stderr(false);
	if (setup() < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	T_RUN(show_version_prints_the_version);
	T_RUN(asa_abbreviations_reach_the_shows);
	T_RUN(shows_read_the_sa_table);
	T_RUN(running_config_masks_secrets);
	T_RUN(pools_show_leases);
	T_RUN(ca_certificates_print_the_pem);
	T_RUN(debug_switches_levels_and_show_debug_lists_them);
	T_RUN(secrets_switch_is_explicit_and_undebug_clears_it);
	T_RUN(clear_asks_the_ike_layer);
	T_RUN(socket_answers_one_command_per_connection);
	T_RUN(socket_streams_large_answers);
	free(answer);
	trustpoints_free(&tps);
	pool_set_free(pools);
	conf_unref(conf);
	nftw(state_dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	T_DONE();
}
