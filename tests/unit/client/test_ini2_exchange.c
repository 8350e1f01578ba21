/* The client's IKEv2 initiator (src/client/ini2) against the real responder
 * (ike/v2) in one process: both send hooks queue datagrams and the test
 * pumps them across, so neither side runs inside the other's handler.
 * PSK and EAP-MSCHAPv2 (gateway certificate pinned): connected with an
 * address and a CHILD SA on both sides; our DELETE frees the responder's SA
 * and lease.  A wrong password ends with INI2_ERR_AUTH.  Rekeys started by
 * the client (CHILD SA with and without PFS, IKE SA, and by the lifetime
 * timers): the responder ends with the new SAs, the same keys, the old SAs
 * gone, the session up.  Rekeys started by the gateway (ravpnd never starts
 * one, so the test plays the gateway with the responder's IKE SA keys and
 * hand-built requests): CHILD SA with and without PFS (KEYMAT checked
 * against an independent derivation, the gateway's DELETE of the old SA),
 * refusals (unknown SPI, a collision, an additional SA), and an IKE SA rekey
 * after which the gateway is the initiator and both directions use the new
 * keys. */
#include "../t.h"

#include <arpa/inet.h>

#include "aaa/pool.h"
#include "auth/trustpoint.h"
#include "base/buf.h"
#include "base/loop.h"
#include "client/ini2.h"
#include "conf/conf.h"
#include "crypto/crypto.h"
#include "ike/core/child.h"
#include "ike/core/ike.h"
#include "ike/core/sa.h"
#include "ike/v2/ikev2.h"
#include "ike/v2/v2.h"

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
	unsigned child_downs, child_ups;
	uint32_t last_down;
	uint8_t key_in[64], key_out[64];   /* encryption keys of the newest CHILD SA */
	size_t key_len;
	uint32_t next_spi;
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

/* 0xc1c1c1c1 first, then one more for each rekey */
static uint32_t cl_spi(void *arg) { (void)arg; return 0xc1c1c1c1 + C.next_spi++; }

static int cl_child_up(void *arg, const struct ini2_child *c)
{
	(void)arg;
	C.child = c->encr && c->encr_in && c->encr_out;
	C.spi_in = c->spi_in;
	C.spi_out = c->spi_out;
	C.child_ups++;
	C.key_len = c->encr ? c->encr->key_len : 0;
	if (C.child && C.key_len <= sizeof(C.key_in)) {
		memcpy(C.key_in, c->encr_in, C.key_len);
		memcpy(C.key_out, c->encr_out, C.key_len);
	}
	return 0;
}

static void cl_child_down(void *arg, uint32_t spi)
{
	(void)arg;
	C.child_downs++;
	C.last_down = spi;
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

/* The responder's IKE SA of the client has exactly one CHILD SA, the one
 * the client reported last, with the same keys (its KEYMAT is kept in
 * child->priv without a data plane). */
static void gateway_has_only_the_clients_child(struct ini2 *s)
{
	struct ike_sa *sa = ike_sa_find_local(ini2_spi_r(s));
	T_CHECK(sa && sa->state == IKE_STATE_ESTABLISHED);
	if (!sa)
		return;
	struct child_sa *k = sa->children;
	T_CHECK(k && !k->next);
	if (!k || !k->priv)
		return;
	T_EQ_INT(k->spi_out, C.spi_in);
	T_EQ_INT(k->spi_in, C.spi_out);
	const struct ike_child_keys *keys = k->priv;
	T_EQ_INT(keys->encr_len, C.key_len);
	T_EQ_MEM(keys->encr_i, C.key_out, C.key_len);   /* client -> gateway */
	T_EQ_MEM(keys->encr_r, C.key_in, C.key_len);
}

static struct ini2 *psk_connected(void)
{
	struct ini2 *s = client(INI2_PSK, "PSKG", "group-key", NULL);
	T_CHECK(s && ini2_start(s) == 0);
	pump(s);
	T_CHECK(C.up && ini2_is_up(s));
	return s;
}

static void child_rekey_moves_traffic_to_the_new_sa_and_deletes_the_old(void)
{
	struct ini2 *s = psk_connected();
	uint32_t old_in = C.spi_in, old_out = C.spi_out;
	T_CHECK(ini2_rekey_child(s) == 0);
	T_CHECK(ini2_rekey_child(s) < 0);              /* window 1: one at a time */
	pump(s);
	T_EQ_INT(ini2_rekeys(s, false), 1);
	T_EQ_INT(C.child_ups, 2);
	T_EQ_INT(C.spi_in, 0xc1c1c1c2);
	T_CHECK(C.spi_out != old_out);
	T_EQ_INT(C.child_downs, 1);                      /* the old one, after its DELETE */
	T_EQ_INT(C.last_down, old_in);
	gateway_has_only_the_clients_child(s);
	/* and once more: the rekeyed SA rekeys again */
	T_CHECK(ini2_rekey_child(s) == 0);
	pump(s);
	T_EQ_INT(ini2_rekeys(s, false), 2);
	T_EQ_INT(C.spi_in, 0xc1c1c1c3);
	T_EQ_INT(C.last_down, 0xc1c1c1c2);
	gateway_has_only_the_clients_child(s);
	T_CHECK(ini2_is_up(s) && !C.down);
	ini2_close(s);
	pump(s);
	T_EQ_INT(C.result, INI2_OK);
	T_EQ_INT(C.child_downs, 3);
	T_EQ_INT(pool_set_total_leased(R.pools), 0);
	ini2_free(s);
}

static void ike_rekey_gives_new_spis_keeps_the_child_and_deletes_the_old_sa(void)
{
	struct ini2 *s = psk_connected();
	uint64_t old_i = ini2_spi_i(s), old_r = ini2_spi_r(s);
	struct ike_sa *old = ike_sa_find_local(old_r);
	uint32_t addr = old ? old->assigned_addr : 0;
	T_CHECK(ini2_rekey_ike(s) == 0);
	pump(s);
	T_EQ_INT(ini2_rekeys(s, true), 1);
	T_CHECK(ini2_spi_i(s) != old_i && ini2_spi_r(s) != old_r);
	T_CHECK(ike_sa_find_local(old_r) == NULL);       /* the old SA is gone */
	struct ike_sa *sa = ike_sa_find_local(ini2_spi_r(s));
	T_CHECK(sa && sa->spi_i == ini2_spi_i(s));
	T_CHECK(sa && sa->assigned_addr == addr && addr);
	T_EQ_INT(C.child_ups, 1);                        /* the CHILD SA did not change */
	T_EQ_INT(C.child_downs, 0);
	gateway_has_only_the_clients_child(s);
	T_CHECK(pool_is_leased(R.pools, addr));
	/* the new IKE SA carries requests both ways: a CHILD rekey on it */
	T_CHECK(ini2_rekey_child(s) == 0);
	pump(s);
	T_EQ_INT(ini2_rekeys(s, false), 1);
	gateway_has_only_the_clients_child(s);
	T_CHECK(ini2_is_up(s) && !C.down);
	ini2_close(s);
	pump(s);
	T_EQ_INT(C.result, INI2_OK);
	T_CHECK(ike_sa_find_local(ini2_spi_r(s)) == NULL);
	T_EQ_INT(pool_set_total_leased(R.pools), 0);
	ini2_free(s);
}

/* `set pfs group14`: a rekey without PFS is refused (NO_PROPOSAL_CHOSEN),
 * the client offers PFS with the IKE SA's group 2, the gateway names 14
 * (INVALID_KE_PAYLOAD), the third request gets the SA; the keys with
 * g^ir still match. */
static void child_rekey_falls_back_to_the_pfs_group_the_gateway_wants(void)
{
	struct conf *plain = R.conf;
	struct conf_diags d = { 0 };
	char *text = malloc(sizeof(config) + 64);
	T_CHECK(text != NULL);
	if (!text)
		return;
	snprintf(text, sizeof(config) + 64, "%scrypto dynamic-map dynmap 1000 set pfs group14\n",
		 config);
	R.conf = conf_parse(text, strlen(text), "pfs.conf", &d);
	conf_diags_free(&d);
	free(text);
	T_CHECK(R.conf != NULL);
	if (!R.conf) {
		R.conf = plain;
		return;
	}
	struct ini2 *s = psk_connected();
	T_CHECK(ini2_rekey_child(s) == 0);
	pump(s);
	T_EQ_INT(ini2_rekeys(s, false), 1);
	gateway_has_only_the_clients_child(s);
	struct ike_sa *sa = ike_sa_find_local(ini2_spi_r(s));
	T_CHECK(sa && sa->children && sa->children->pfs_group == 14);
	ini2_close(s);
	pump(s);
	T_EQ_INT(C.result, INI2_OK);
	ini2_free(s);
	conf_unref(R.conf);
	R.conf = plain;
}

/* The lifetime timers, in lifetime units of 10 ms: CHILD 20 units (rekey
 * at 17.4..18), IKE 40 (34.8..36); the loop runs 0.5 s with the test
 * pumping every 2 ms. */
static void pump_tick(void *arg);
static struct loop_timer *pump_t;
static void pump_tick(void *arg)
{
	pump(arg);
	pump_t = loop_timer_add(R.loop, 2, pump_tick, arg);
}

static void stop_loop(void *arg) { (void)arg; loop_stop(R.loop); }

static void lifetime_timers_rekey_both_and_the_session_stays_up(void)
{
	memset(&C, 0, sizeof(C));
	struct ini2_config cfg = { .group = "PSKG", .auth = INI2_PSK, .secret = "group-key",
				   .child_lifetime = 20, .ike_lifetime = 40,
				   .lifetime_unit_ms = 10 };
	cfg.gw = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(500) };
	cfg.gw.sin_addr.s_addr = htonl(0x0a000001);
	struct ini2_hooks h = { cl_send, cl_spi, cl_child_up, cl_child_down, cl_up, cl_down, NULL };
	struct ini2 *s = ini2_new(R.loop, &cfg, &h);
	T_CHECK(s && ini2_start(s) == 0);
	pump(s);
	T_CHECK(C.up);
	uint64_t first_r = ini2_spi_r(s);
	pump_t = loop_timer_add(R.loop, 2, pump_tick, s);
	struct loop_timer *stop = loop_timer_add(R.loop, 500, stop_loop, NULL);
	T_CHECK(stop && loop_run(R.loop) == 0);
	loop_timer_cancel(R.loop, pump_t);
	pump(s);
	T_CHECK(ini2_rekeys(s, false) >= 2);             /* at ~0.18 s and ~0.36 s */
	T_CHECK(ini2_rekeys(s, true) >= 1);              /* at ~0.36 s */
	T_CHECK(ini2_spi_r(s) != first_r && ike_sa_find_local(first_r) == NULL);
	T_EQ_INT(C.child_downs, C.child_ups - 1);        /* every replaced SA removed */
	gateway_has_only_the_clients_child(s);
	T_CHECK(ini2_is_up(s) && !C.down);
	ini2_close(s);
	pump(s);
	T_EQ_INT(C.result, INI2_OK);
	T_EQ_INT(pool_set_total_leased(R.pools), 0);
	ini2_free(s);
}

/* The responder drops its SAs.  The test played the gateway with message
 * IDs ravpnd does not know, so its DELETE goes unanswered and the lease
 * comes back only after its retransmissions: not checked here. */
static void gw_clear(void)
{
	ikev2_clear(R.v2, 0, "test");
	pump(NULL);
}

/* ---- the gateway starts the rekeys ------------------------------------------------
 * The test is the gateway: it seals requests with the responder's IKE SA
 * keys and opens the client's answers, without ravpnd seeing either. */
struct gwk {
	struct ike_keymat km;
	struct ike_sk sk;
	uint64_t spi_i, spi_r;
	bool initiator;                    /* of the IKE SA: after its IKE rekey */
	uint32_t next_id;
};

static void gw_keys_from_responder(struct ini2 *s, struct gwk *g)
{
	memset(g, 0, sizeof(*g));
	struct ike_sa *sa = ike_sa_find_local(ini2_spi_r(s));
	T_CHECK(sa != NULL);
	if (!sa)
		return;
	g->km = v2_of(sa)->km;
	T_CHECK(ike_sk_init(&g->sk, g->km.encr, g->km.integ, g->km.sk_ei, g->km.sk_ai,
			    g->km.sk_er, g->km.sk_ar) == 0);
	g->spi_i = ini2_spi_i(s);
	g->spi_r = ini2_spi_r(s);
}

typedef void (*gw_fill_fn)(struct ikev2_wr *w, const void *arg);

static void gw_request(struct ini2 *s, struct gwk *g, uint8_t exchange, gw_fill_fn fill,
		       const void *arg)
{
	struct buf b;
	struct ikev2_wr w;
	struct ikev2_hdr h = { .spi_i = g->spi_i, .spi_r = g->spi_r, .exchange = exchange,
			       .flags = g->initiator ? IKEV2_FLAG_INITIATOR : 0,
			       .msg_id = g->next_id++ };
	buf_init(&b);
	ikev2_w_begin(&w, &b, &h);
	size_t off = ikev2_w_sk_begin(&w, g->km.encr->iv_len);
	fill(&w, arg);
	T_CHECK(ikev2_w_finish(&w));
	T_CHECK(ike_sk_seal(&g->sk, &b, 0, off, IKE_SK_HDR) == 0);
	ini2_input(s, b.data, b.len);
	buf_free(&b);
}

/* The client's one message to the gateway, opened (m points into raw and plain). */
static bool gw_take(struct gwk *g, struct ikev2_msg *m, struct buf *raw, struct buf *plain)
{
	struct ikev2_msg *outer = calloc(1, sizeof(*outer));
	struct ikev2_parse_err err;
	bool ok = false;
	T_EQ_INT(R.to_gw.n, 1);
	if (outer && R.to_gw.n == 1) {
		buf_put(raw, R.to_gw.d[0].data, R.to_gw.d[0].len);
		ok = ikev2_parse_message(raw->data, raw->len, outer, &err) == 0 &&
		     (outer->present & IKEV2_BIT(IKEV2_PL_SK)) &&
		     ike_sk_open(&g->sk, raw->data, raw->len, outer->sk.hdr_off, IKE_SK_HDR,
				 plain) == 0 &&
		     ikev2_parse_chain(outer->sk.inner_first, plain->data, plain->len, m, &err) == 0;
		if (ok)
			m->hdr = outer->hdr;
	}
	for (size_t i = 0; i < R.to_gw.n; i++)
		buf_free(&R.to_gw.d[i]);
	R.to_gw.n = 0;
	free(outer);
	T_CHECK(ok);
	return ok;
}

struct gw_child_req {
	uint32_t rekey_spi, new_spi;
	uint8_t ni[32];
	const struct crypto_dh_group *g;   /* PFS */
	uint8_t pub[CRYPTO_MAX_DH_PUB];
	bool no_rekey_sa;
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void add_t(struct ikev2_proposal *p, uint8_t type, uint16_t id, uint16_t bits)
{
	p->t[p->n_transforms++] = (struct ikev2_transform){ type, id, bits, false };
}

/* N(REKEY_SA), SA {3DES only: not ours; AES-CBC-256/SHA1-96 [DH]}, Ni, [KEi], TSi, TSr */
static void fill_gw_child(struct ikev2_wr *w, const void *arg)
{
	const struct gw_child_req *r = arg;
	uint8_t spi[4];
	struct ikev2_proposal p[2] = { { .num = 1, .protocol = IKEV2_PROTO_ESP, .spi_size = 4 },
				       { .num = 2, .protocol = IKEV2_PROTO_ESP, .spi_size = 4 } };
	put32(spi, r->rekey_spi);
	if (!r->no_rekey_sa)
		ikev2_w_notify(w, IKEV2_PROTO_ESP, spi, 4, IKEV2_N_REKEY_SA, NULL, 0);
	for (int i = 0; i < 2; i++)
		put32(p[i].spi, r->new_spi);
	add_t(&p[0], IKEV2_TRANS_ENCR, 3, 0);
	add_t(&p[0], IKEV2_TRANS_INTEG, 2, 0);
	add_t(&p[1], IKEV2_TRANS_ENCR, 12, 256);
	add_t(&p[1], IKEV2_TRANS_INTEG, 2, 0);
	for (int i = 0; i < 2; i++) {
		if (r->g)
			add_t(&p[i], IKEV2_TRANS_DH, r->g->id, 0);
		add_t(&p[i], IKEV2_TRANS_ESN, 0, 0);
	}
	ikev2_w_sa(w, p, 2);
	ikev2_w_nonce(w, r->ni, sizeof(r->ni));
	if (r->g)
		ikev2_w_ke(w, r->g->id, r->pub, r->g->pub_len);
	struct ikev2_ts_list all = { .n = 1 };
	all.ts[0].type = IKEV2_TS_IPV4_ADDR_RANGE;
	all.ts[0].end_port = 65535;
	memset(all.ts[0].end, 0xff, 4);
	ikev2_w_ts(w, IKEV2_PL_TSI, &all);
	ikev2_w_ts(w, IKEV2_PL_TSR, &all);
}

static uint16_t first_error(const struct ikev2_msg *m)
{
	for (unsigned i = 0; i < m->n_notify; i++)
		if (m->notify[i].type < 16384)
			return m->notify[i].type;
	return 0;
}

/* The gateway rekeys the client's CHILD SA; its keys checked; 0 or the error notify. */
static uint16_t gw_rekeys_child(struct ini2 *s, struct gwk *g, struct gw_child_req *r)
{
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct buf raw, plain;
	struct crypto_dh *dh = r->g ? crypto_dh_new(r->g) : NULL;
	uint16_t err = 0xffff;
	buf_init(&raw);
	buf_init(&plain);
	T_CHECK(m && crypto_random(r->ni, sizeof(r->ni)) == 0);
	if (r->g)
		T_CHECK(dh && crypto_dh_public(dh, r->pub) == 0);
	gw_request(s, g, IKEV2_CREATE_CHILD_SA, fill_gw_child, r);
	if (m && gw_take(g, m, &raw, &plain) && !(err = first_error(m))) {
		T_CHECK(m->hdr.flags & IKEV2_FLAG_RESPONSE);
		T_CHECK(!(m->hdr.flags & IKEV2_FLAG_INITIATOR) == g->initiator);
		T_CHECK(m->sa.n == 1 && m->sa.p[0].num == 2 && m->sa.p[0].spi_size == 4);
		T_CHECK((m->present & IKEV2_BIT(IKEV2_PL_TSI)) && (m->present & IKEV2_BIT(IKEV2_PL_TSR)));
		T_EQ_INT(C.spi_out, r->new_spi);
		T_EQ_INT((uint32_t)m->sa.p[0].spi[0] << 24 | (uint32_t)m->sa.p[0].spi[1] << 16 |
				 (uint32_t)m->sa.p[0].spi[2] << 8 | m->sa.p[0].spi[3],
			 C.spi_in);
		uint8_t gir[CRYPTO_MAX_DH_PUB];
		size_t gir_len = 0;
		if (r->g) {
			gir_len = sizeof(gir);
			T_CHECK(m->ke.group == r->g->id &&
				crypto_dh_shared(dh, m->ke.data.data, m->ke.data.len, gir, &gir_len) == 0);
		}
		struct ike_child_keys k;
		/* the gateway started the exchange: Ni is its nonce, "i" keys gateway -> client */
		T_CHECK(ike_child_keymat(g->km.prf, g->km.sk_d, g->km.prf_len, gir_len ? gir : NULL,
					 gir_len, r->ni, sizeof(r->ni), m->nonce.data, m->nonce.len,
					 32, 20, &k) == 0);
		T_EQ_INT(C.key_len, 32);
		T_EQ_MEM(k.encr_i, C.key_in, 32);
		T_EQ_MEM(k.encr_r, C.key_out, 32);
	}
	crypto_dh_free(dh);
	buf_free(&raw);
	buf_free(&plain);
	free(m);
	return err;
}

static void fill_gw_delete_esp(struct ikev2_wr *w, const void *arg)
{
	uint8_t spi[4];
	put32(spi, *(const uint32_t *)arg);
	ikev2_w_delete(w, IKEV2_PROTO_ESP, 4, spi, 1);
}

/* The gateway deletes its old SA `spi`; the client answers with its own old SPI. */
static void gw_deletes_old_child(struct ini2 *s, struct gwk *g, uint32_t spi, uint32_t ours)
{
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct buf raw, plain;
	buf_init(&raw);
	buf_init(&plain);
	unsigned downs = C.child_downs;
	gw_request(s, g, IKEV2_INFORMATIONAL, fill_gw_delete_esp, &spi);
	if (m && gw_take(g, m, &raw, &plain)) {
		T_CHECK(m->n_delete == 1 && m->del[0].spis.len == 4);
		if (m->n_delete == 1 && m->del[0].spis.len == 4)
			T_EQ_INT((uint32_t)m->del[0].spis.data[0] << 24 |
					 (uint32_t)m->del[0].spis.data[1] << 16 |
					 (uint32_t)m->del[0].spis.data[2] << 8 | m->del[0].spis.data[3],
				 ours);
	}
	T_EQ_INT(C.child_downs, downs + 1);
	T_EQ_INT(C.last_down, ours);
	buf_free(&raw);
	buf_free(&plain);
	free(m);
}

static void gateway_rekeys_the_child_sa_with_and_without_pfs_and_deletes_the_old(void)
{
	struct ini2 *s = psk_connected();
	struct gwk g;
	gw_keys_from_responder(s, &g);
	R.to_gw.n = 0;
	uint32_t old_out = C.spi_out;
	struct gw_child_req r = { .rekey_spi = old_out, .new_spi = 0x9a9a0001 };
	T_EQ_INT(gw_rekeys_child(s, &g, &r), 0);
	T_EQ_INT(C.spi_in, 0xc1c1c1c2);
	T_EQ_INT(C.child_ups, 2);
	T_EQ_INT(C.child_downs, 0);                      /* make before break */
	T_EQ_INT(ini2_rekeys(s, false), 1);
	/* a second rekey before the old SA is gone: later, please */
	struct gw_child_req r2 = { .rekey_spi = 0x9a9a0001, .new_spi = 0x9a9a0002 };
	T_EQ_INT(gw_rekeys_child(s, &g, &r2), IKEV2_N_TEMPORARY_FAILURE);
	gw_deletes_old_child(s, &g, old_out, 0xc1c1c1c1);
	/* with PFS (MODP-2048): g^ir in the KEYMAT */
	r2.g = crypto_dh_group(14);
	T_EQ_INT(gw_rekeys_child(s, &g, &r2), 0);
	T_EQ_INT(C.spi_out, 0x9a9a0002);
	gw_deletes_old_child(s, &g, 0x9a9a0001, C.spi_in - 1);
	T_EQ_INT(ini2_rekeys(s, false), 2);
	/* an SA we do not have; a new SA next to ours */
	struct gw_child_req r3 = { .rekey_spi = 0x12345678, .new_spi = 0x9a9a0003 };
	T_EQ_INT(gw_rekeys_child(s, &g, &r3), IKEV2_N_CHILD_SA_NOT_FOUND);
	r3.no_rekey_sa = true;
	T_EQ_INT(gw_rekeys_child(s, &g, &r3), IKEV2_N_NO_ADDITIONAL_SAS);
	/* our own rekey in flight: the gateway's collides and is refused */
	T_CHECK(ini2_rekey_child(s) == 0);
	for (size_t i = 0; i < R.to_gw.n; i++)
		buf_free(&R.to_gw.d[i]);
	R.to_gw.n = 0;
	struct gw_child_req r4 = { .rekey_spi = 0x9a9a0002, .new_spi = 0x9a9a0004 };
	T_EQ_INT(gw_rekeys_child(s, &g, &r4), IKEV2_N_TEMPORARY_FAILURE);
	T_CHECK(ini2_is_up(s) && !C.down);
	ike_sk_free(&g.sk);
	ini2_free(s);
	gw_clear();
}

struct gw_ike_req {
	uint64_t spi;
	uint8_t ni[32];
	const struct crypto_dh_group *g;
	uint8_t pub[CRYPTO_MAX_DH_PUB];
};

/* SA(IKE {AES-CBC-256, HMAC-SHA1, HMAC-SHA1-96, ECP-256}, new SPI), Ni, KEi */
static void fill_gw_ike(struct ikev2_wr *w, const void *arg)
{
	const struct gw_ike_req *r = arg;
	struct ikev2_proposal p = { .num = 1, .protocol = IKEV2_PROTO_IKE, .spi_size = 8 };
	for (int b = 0; b < 8; b++)
		p.spi[b] = (uint8_t)(r->spi >> (56 - 8 * b));
	add_t(&p, IKEV2_TRANS_ENCR, 12, 256);
	add_t(&p, IKEV2_TRANS_PRF, 2, 0);
	add_t(&p, IKEV2_TRANS_INTEG, 2, 0);
	add_t(&p, IKEV2_TRANS_DH, r->g->id, 0);
	ikev2_w_sa(w, &p, 1);
	ikev2_w_nonce(w, r->ni, sizeof(r->ni));
	ikev2_w_ke(w, r->g->id, r->pub, r->g->pub_len);
}

static void fill_gw_delete_ike(struct ikev2_wr *w, const void *arg)
{
	(void)arg;
	ikev2_w_delete(w, IKEV2_PROTO_IKE, 0, NULL, 0);
}

static uint64_t spi64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* The gateway's IKE rekey: the client's answer gives the new SA's keys (*ng). */
static bool gw_rekeys_ike(struct ini2 *s, struct gwk *g, struct gwk *ng)
{
	struct gw_ike_req r = { .spi = 0x1122334455667788ull, .g = crypto_dh_group(19) };
	struct crypto_dh *dh = crypto_dh_new(r.g);
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct buf raw, plain;
	bool ok = false;
	buf_init(&raw);
	buf_init(&plain);
	T_CHECK(dh && m && crypto_dh_public(dh, r.pub) == 0 && crypto_random(r.ni, 32) == 0);
	gw_request(s, g, IKEV2_CREATE_CHILD_SA, fill_gw_ike, &r);
	if (m && gw_take(g, m, &raw, &plain)) {
		uint8_t gir[CRYPTO_MAX_DH_PUB];
		size_t gir_len = sizeof(gir);
		T_EQ_INT(first_error(m), 0);
		ok = m->sa.n == 1 && m->sa.p[0].spi_size == 8 && m->ke.group == 19 &&
		     crypto_dh_shared(dh, m->ke.data.data, m->ke.data.len, gir, &gir_len) == 0;
		T_CHECK(ok);
		memset(ng, 0, sizeof(*ng));
		ng->km.prf = crypto_prf_ikev2(2);
		ng->km.encr = crypto_encr_ikev2(12, 256);
		ng->km.integ = crypto_integ_ikev2(2);
		ng->spi_i = r.spi;                       /* the gateway initiates the new SA */
		ng->spi_r = ok ? spi64(m->sa.p[0].spi) : 0;
		ng->initiator = true;
		ok = ok && ike_keys_derive_rekey(&ng->km, g->km.prf, g->km.sk_d, g->km.prf_len, gir,
						 gir_len, r.ni, 32, m->nonce.data, m->nonce.len,
						 ng->spi_i, ng->spi_r) == 0 &&
		     ike_sk_init(&ng->sk, ng->km.encr, ng->km.integ, ng->km.sk_er, ng->km.sk_ar,
				 ng->km.sk_ei, ng->km.sk_ai) == 0;
		T_CHECK(ok);
	}
	crypto_dh_free(dh);
	buf_free(&raw);
	buf_free(&plain);
	free(m);
	return ok;
}

static void gateway_rekeys_the_ike_sa_and_becomes_its_initiator(void)
{
	struct ini2 *s = psk_connected();
	struct gwk g, ng;
	gw_keys_from_responder(s, &g);
	R.to_gw.n = 0;
	uint64_t old_i = ini2_spi_i(s);
	T_CHECK(gw_rekeys_ike(s, &g, &ng));
	T_EQ_INT(ini2_spi_i(s), old_i);                  /* until the old SA is deleted */
	T_CHECK(ini2_rekey_child(s) < 0);                /* nothing of ours meanwhile */
	/* D(IKE) on the old SA: answered there, then the new SA is the one */
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct buf raw, plain;
	buf_init(&raw);
	buf_init(&plain);
	gw_request(s, &g, IKEV2_INFORMATIONAL, fill_gw_delete_ike, NULL);
	T_CHECK(m && gw_take(&g, m, &raw, &plain) && m->n_delete == 0);
	T_CHECK(ini2_is_up(s) && !C.down);
	T_EQ_INT(ini2_rekeys(s, true), 1);
	T_CHECK(ini2_spi_i(s) == 0x1122334455667788ull && ini2_spi_r(s) == ng.spi_r);
	/* a CHILD rekey on the new SA: the gateway now sets the I flag, the
	 * client answers with the new keys and message IDs from 0 */
	uint32_t old_in = C.spi_in, old_out = C.spi_out;
	struct gw_child_req r = { .rekey_spi = old_out, .new_spi = 0x9b9b0001 };
	T_EQ_INT(gw_rekeys_child(s, &ng, &r), 0);
	gw_deletes_old_child(s, &ng, old_out, old_in);
	/* closing: D(IKE) on the new SA, without the I flag */
	buf_reset(&raw);
	buf_reset(&plain);
	ini2_close(s);
	if (m && gw_take(&ng, m, &raw, &plain)) {
		T_CHECK(!(m->hdr.flags & IKEV2_FLAG_INITIATOR) && !(m->hdr.flags & IKEV2_FLAG_RESPONSE));
		T_CHECK(m->n_delete == 1 && m->del[0].protocol == IKEV2_PROTO_IKE);
		T_EQ_INT(m->hdr.msg_id, 0);
	}
	buf_free(&raw);
	buf_free(&plain);
	free(m);
	ike_sk_free(&g.sk);
	ike_sk_free(&ng.sk);
	ini2_free(s);
	gw_clear();
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
	T_RUN(child_rekey_moves_traffic_to_the_new_sa_and_deletes_the_old);
	T_RUN(ike_rekey_gives_new_spis_keeps_the_child_and_deletes_the_old_sa);
	T_RUN(child_rekey_falls_back_to_the_pfs_group_the_gateway_wants);
	T_RUN(lifetime_timers_rekey_both_and_the_session_stays_up);
	T_RUN(gateway_rekeys_the_child_sa_with_and_without_pfs_and_deletes_the_old);
	T_RUN(gateway_rekeys_the_ike_sa_and_becomes_its_initiator);
	responder_stop();
	T_DONE();
}
