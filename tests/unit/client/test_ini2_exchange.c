/* The client's IKEv2 initiator (src/client/ini2) against the real responder
 * (ike/v2) in one process: both send hooks queue datagrams and the test
 * pumps them across, so neither side runs inside the other's handler.
 * PSK and EAP-MSCHAPv2 (gateway certificate pinned): connected with an
 * address and a CHILD SA on both sides; our DELETE frees the responder's SA
 * and lease.  A wrong password ends with INI2_ERR_AUTH. */
#include "../t.h"

#include <arpa/inet.h>

#include "aaa/pool.h"
#include "auth/trustpoint.h"
#include "base/buf.h"
#include "base/loop.h"
#include "client/ini2.h"
#include "conf/conf.h"
#include "crypto/crypto.h"
#include "ike/core/ike.h"
#include "ike/core/sa.h"
#include "ike/v2/ikev2.h"

static const char config[] =
	"hostname gw\n"
	"interface Ethernet0/1\n nameif outside\n ip address 10.0.0.1 255.255.255.0\n"
	"ip local pool webvpn1 10.2.2.1-10.2.2.2 mask 255.255.255.0\n"
	"crypto ipsec ikev2 ipsec-proposal p1\n"
	" protocol esp encryption aes-256 aes\n"
	" protocol esp integrity sha-1\n"
	"crypto dynamic-map dynmap 1000 set ikev2 ipsec-proposal p1\n"
	"crypto map crymap 10000 ipsec-isakmp dynamic dynmap\n"
	"crypto map crymap interface outside\n"
	"crypto ca trustpoint TP\n enrollment self\n subject-name CN=gw.test\n"
	"crypto ikev2 policy 10\n encryption aes-192\n integrity sha\n group 2\n prf sha\n"
	"crypto ikev2 enable outside\n"
	"crypto ikev2 remote-access trustpoint TP\n"
	"group-policy GP internal\n"
	"group-policy GP attributes\n"
	" dns-server value 10.1.0.53\n vpn-tunnel-protocol ikev2\n"
	" default-domain value example.test\n"
	"username Anu password Anu-pass privilege 15\n"
	"tunnel-group PSKG type remote-access\n"
	"tunnel-group PSKG general-attributes\n address-pool webvpn1\n default-group-policy GP\n"
	"tunnel-group PSKG ipsec-attributes\n"
	" ikev2 remote-authentication pre-shared-key group-key\n"
	" ikev2 local-authentication pre-shared-key group-key\n"
	"tunnel-group EAPG type remote-access\n"
	"tunnel-group EAPG general-attributes\n address-pool webvpn1\n default-group-policy GP\n"
	"tunnel-group EAPG ipsec-attributes\n"
	" ikev2 remote-authentication eap query-identity\n"
	" ikev2 local-authentication certificate TP\n";

#define QMAX 128
struct queue {
	struct buf d[QMAX];
	bool natt[QMAX];
	size_t n;
};

static struct {
	struct loop *loop;
	struct conf *conf;
	struct pool_set *pools;
	struct trustpoint_store tps;
	struct ike_io *io;
	struct ikev2 *v2;
	char state_dir[64];
	struct queue to_client, to_gw;
} R;

/* what the client side saw */
static struct {
	bool up, down, child;
	enum ini2_result result;
	struct ini2_lease lease;
	uint32_t spi_in, spi_out;
	unsigned child_downs;
} C;

static void push(struct queue *q, bool natt, const uint8_t *d, size_t n)
{
	if (q->n >= QMAX)
		return;
	buf_init(&q->d[q->n]);
	buf_put(&q->d[q->n], d, n);
	q->natt[q->n++] = natt;
}

static int gw_send(void *arg, const struct sockaddr_in *from, const struct sockaddr_in *to,
		   const uint8_t *data, size_t len)
{
	(void)arg;
	(void)to;
	push(&R.to_client, ntohs(from->sin_port) == 4500, data, len);
	return 0;
}

static int cl_send(void *arg, bool natt, const uint8_t *data, size_t len)
{
	(void)arg;
	push(&R.to_gw, natt, data, len);
	return 0;
}

static uint32_t cl_spi(void *arg) { (void)arg; return 0xc1c1c1c1; }

static int cl_child_up(void *arg, const struct ini2_child *c)
{
	(void)arg;
	C.child = c->encr && c->encr_in && c->encr_out;
	C.spi_in = c->spi_in;
	C.spi_out = c->spi_out;
	return 0;
}

static void cl_child_down(void *arg, uint32_t spi)
{
	(void)arg;
	(void)spi;
	C.child_downs++;
}

static void cl_up(void *arg, const struct ini2_lease *l)
{
	(void)arg;
	C.up = true;
	C.lease = *l;
}

static void cl_down(void *arg, enum ini2_result r, const char *why)
{
	(void)arg;
	(void)why;
	C.down = true;
	C.result = r;
}

static struct conf *env_conf(void *a) { (void)a; return R.conf; }
static struct pool_set *env_pools(void *a) { (void)a; return R.pools; }
static const struct trustpoint_store *env_tps(void *a) { (void)a; return &R.tps; }

static int responder_start(void)
{
	struct conf_diags d = { 0 };
	R.conf = conf_parse(config, strlen(config), "test.conf", &d);
	conf_diags_free(&d);
	if (!R.conf)
		return -1;
	snprintf(R.state_dir, sizeof(R.state_dir), "/tmp/ravpn-cli-test.XXXXXX");
	if (!mkdtemp(R.state_dir) || trustpoints_load(&R.tps, R.conf, R.state_dir) < 0)
		return -1;
	R.loop = loop_new();
	R.pools = pool_set_new(R.conf);
	struct ike_io_opts o = { .no_sockets = true };
	R.io = ike_io_new(R.loop, R.conf, &o);
	if (!R.loop || !R.pools || !R.io)
		return -1;
	ike_io_set_send_hook(R.io, gw_send, NULL);
	struct ikev2_env env = { env_conf, env_pools, env_tps, NULL };
	R.v2 = ikev2_new(R.loop, R.io, &env);
	return R.v2 ? 0 : -1;
}

static void responder_stop(void)
{
	ikev2_free(R.v2);
	ike_io_free(R.io);
	pool_set_free(R.pools);
	trustpoints_free(&R.tps);
	loop_free(R.loop);
	conf_unref(R.conf);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", R.state_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", R.state_dir);
}

static struct sockaddr_in client_addr(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	a.sin_addr.s_addr = htonl(0x0a000002);
	return a;
}

/* Move queued datagrams across until both queues are empty. */
static void pump(struct ini2 *s)
{
	for (int rounds = 0; rounds < 64 && (R.to_gw.n || R.to_client.n); rounds++) {
		struct queue q = R.to_gw;
		R.to_gw.n = 0;
		for (size_t i = 0; i < q.n; i++) {
			struct sockaddr_in from = client_addr(q.natt[i] ? 4500 : 40000);
			struct sockaddr_in to = { .sin_family = AF_INET,
						  .sin_port = htons(q.natt[i] ? 4500 : 500) };
			to.sin_addr.s_addr = htonl(0x0a000001);
			if (q.natt[i]) {
				/* the transport adds the non-ESP marker on 4500 */
				struct buf m;
				buf_init(&m);
				buf_put_u32(&m, 0);
				buf_put(&m, q.d[i].data, q.d[i].len);
				ike_io_input(R.io, m.data, m.len, &from, &to);
				buf_free(&m);
			} else {
				ike_io_input(R.io, q.d[i].data, q.d[i].len, &from, &to);
			}
			buf_free(&q.d[i]);
		}
		q = R.to_client;
		R.to_client.n = 0;
		for (size_t i = 0; i < q.n; i++) {
			if (s && !C.down)
				ini2_input(s, q.d[i].data, q.d[i].len);
			buf_free(&q.d[i]);
		}
	}
}

static struct ini2 *client(enum ini2_auth auth, const char *group, const char *secret,
			   const struct crypto_cert *pin)
{
	memset(&C, 0, sizeof(C));
	struct ini2_config cfg = { .group = group, .user = "Anu", .auth = auth, .secret = secret,
				   .pin = pin };
	cfg.gw = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(500) };
	cfg.gw.sin_addr.s_addr = htonl(0x0a000001);
	struct ini2_hooks h = { cl_send, cl_spi, cl_child_up, cl_child_down, cl_up, cl_down, NULL };
	return ini2_new(R.loop, &cfg, &h);
}

static void connected_then_delete(struct ini2 *s, const char *group)
{
	T_CHECK(C.up && !C.down);
	T_CHECK(ini2_is_up(s));
	T_CHECK(C.lease.addr == 0x0a020201 || C.lease.addr == 0x0a020202);   /* webvpn1 */
	T_EQ_INT(C.lease.netmask, 0xffffff00);
	T_EQ_INT(C.lease.n_dns, 1);
	T_EQ_INT(C.lease.dns[0], 0x0a010035);
	T_EQ_STR(C.lease.domain, "example.test");
	T_CHECK(C.child);
	T_EQ_INT(C.spi_in, 0xc1c1c1c1);
	struct ike_sa *sa = ike_sa_find_local(ini2_spi_r(s));
	T_CHECK(sa && sa->state == IKE_STATE_ESTABLISHED);
	if (sa) {
		T_EQ_STR(sa->tunnel_group, group);
		T_EQ_INT(sa->assigned_addr, C.lease.addr);
		T_CHECK(sa->children && sa->children->spi_out == 0xc1c1c1c1);
		T_CHECK(sa->children && sa->children->spi_in == C.spi_out);
	}
	T_CHECK(pool_is_leased(R.pools, C.lease.addr));
	ini2_close(s);
	pump(s);
	T_CHECK(C.down);
	T_EQ_INT(C.result, INI2_OK);
	T_EQ_INT(C.child_downs, 1);
	T_CHECK(ike_sa_find_local(ini2_spi_r(s)) == NULL);
	T_EQ_INT(pool_set_total_leased(R.pools), 0);
}

static void psk_client_connects_gets_address_and_child_and_delete_frees_the_gateway_sa(void)
{
	struct ini2 *s = client(INI2_PSK, "PSKG", "group-key", NULL);
	T_CHECK(s && ini2_start(s) == 0);
	pump(s);
	connected_then_delete(s, "PSKG");
	ini2_free(s);
}

static struct crypto_cert *gateway_cert(void)
{
	for (size_t i = 0; i < R.tps.n; i++)
		if (R.tps.tp[i].cert)
			return R.tps.tp[i].cert;
	return NULL;
}

static void eap_mschapv2_client_with_pinned_cert_connects_and_delete_frees_the_gateway_sa(void)
{
	struct ini2 *s = client(INI2_EAP_MSCHAPV2, "EAPG", "Anu-pass", gateway_cert());
	T_CHECK(gateway_cert() != NULL);
	T_CHECK(s && ini2_start(s) == 0);
	pump(s);
	connected_then_delete(s, "EAPG");
	struct ike_sa *sa = ike_sa_find_local(ini2_spi_r(s));
	T_CHECK(sa == NULL);
	ini2_free(s);
}

static void wrong_password_and_unpinned_cert_fail_with_their_own_results(void)
{
	struct ini2 *s = client(INI2_EAP_MSCHAPV2, "EAPG", "not-the-pass", gateway_cert());
	T_CHECK(s && ini2_start(s) == 0);
	pump(s);
	T_CHECK(C.down && !C.up);
	T_EQ_INT(C.result, INI2_ERR_AUTH);
	ini2_free(s);
	/* no trust anchor and not --insecure: the certificate is refused */
	s = client(INI2_EAP_MSCHAPV2, "EAPG", "Anu-pass", NULL);
	T_CHECK(s && ini2_start(s) == 0);
	pump(s);
	T_CHECK(C.down && !C.up);
	T_EQ_INT(C.result, INI2_ERR_CERT);
	ini2_free(s);
	/* a wrong group key: the gateway refuses */
	s = client(INI2_PSK, "PSKG", "wrong-key", NULL);
	T_CHECK(s && ini2_start(s) == 0);
	pump(s);
	T_EQ_INT(C.result, INI2_ERR_AUTH);
	ini2_free(s);
	ikev2_clear(R.v2, 0, "test");
	pump(NULL);
	T_EQ_INT(pool_set_total_leased(R.pools), 0);
}

int main(void)
{
	if (crypto_init() < 0 || crypto_enable_legacy() < 0 || responder_start() < 0) {
		fprintf(stderr, "cannot start the responder\n");
		return 1;
	}
	T_RUN(psk_client_connects_gets_address_and_child_and_delete_frees_the_gateway_sa);
	T_RUN(eap_mschapv2_client_with_pinned_cert_connects_and_delete_frees_the_gateway_sa);
	T_RUN(wrong_password_and_unpinned_cert_fail_with_their_own_results);
	responder_stop();
	T_DONE();
}
