/* IKEv1 end to end in one process: ravpn-connect's IKEv1 initiator (client/
 * ini1) against the IKEv1 responder (ike/v1) over an in-memory network: the
 * Cisco VPN Client flow (Aggressive Mode, XAUTH, Mode Config pull, Quick
 * Mode) with the keys of both ends compared, and the ways it must fail. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"

#include "aaa/pool.h"
#include "base/buf.h"
#include "base/loop.h"
#include "client/ini1.h"
#include "client/ini1_int.h"
#include "conf/conf.h"
#include "crypto/crypto.h"
#include "ike/core/child.h"
#include "ike/core/ike.h"
#include "ike/core/keys.h"
#include "ike/core/sa.h"
#include "ike/v1/ikev1.h"
#include "ike/v1/v1.h"
#include "wire/ikev1.h"

static const char config[] =
	"hostname gw\n"
	"interface Ethernet0/1\n nameif outside\n ip address 10.0.0.1 255.255.255.0\n"
	"ip local pool v1pool 10.3.3.1-10.3.3.2 mask 255.255.255.0\n"
	"access-list SPLIT standard permit 10.1.0.0 255.255.255.0\n"
	"crypto ipsec ikev1 transform-set AES256SHA esp-aes-256 esp-sha-hmac\n"
	"crypto dynamic-map dynmap 10 set ikev1 transform-set AES256SHA\n"
	"crypto map crymap 10000 ipsec-isakmp dynamic dynmap\n"
	"crypto map crymap interface outside\n"
	"crypto ikev1 policy 10\n authentication pre-share\n encryption aes-256\n hash sha\n"
	" group 2\n lifetime 86400\n"
	"crypto ikev1 enable outside\n"
	"group-policy GP internal\n"
	"group-policy GP attributes\n"
	" dns-server value 10.1.0.53\n vpn-tunnel-protocol ikev1\n"
	" default-domain value example.test\n"
	" split-tunnel-policy tunnelspecified\n split-tunnel-network-list value SPLIT\n"
	" banner value Hello IKEv1\n"
	"username alice password alice-pass privilege 0\n"
	"username bob password bob-pass privilege 0\n"
	"tunnel-group VPNC type remote-access\n"
	"tunnel-group VPNC general-attributes\n address-pool v1pool\n default-group-policy GP\n"
	"tunnel-group VPNC ipsec-attributes\n ikev1 pre-shared-key group-secret\n";

/* ---- the network and the responder ------------------------------------------- */

#define MAXQ 64
struct pkt {
	struct buf b;
	bool to_gw;
	bool natt;
	uint16_t sport;                  /* the client's port (source, or destination from the gw) */
	uint32_t addr;                   /* the client's address (network order) */
};

static struct {
	struct loop *loop;
	struct conf *conf;
	struct pool_set *pools;
	struct ike_io *io;
	struct ikev1 *v1;
	struct pkt q[MAXQ];
	size_t head, tail;
	struct sockaddr_in cl, gw;
	unsigned gw_sent;
} R;

static uint16_t q_sport;            /* the client's port and address of what is */
static uint32_t q_addr;             /* enqueued now */

static void enqueue(bool to_gw, bool natt, const uint8_t *data, size_t len)
{
	if (R.tail - R.head >= MAXQ)
		return;
	struct pkt *p = &R.q[R.tail++ % MAXQ];
	buf_reset(&p->b);
	buf_put(&p->b, data, len);
	p->to_gw = to_gw;
	p->natt = natt;
	p->sport = q_sport;
	p->addr = q_addr;
}

static int gw_send(void *arg, const struct sockaddr_in *from, const struct sockaddr_in *to,
		   const uint8_t *data, size_t len)
{
	(void)arg;
	R.gw_sent++;
	q_sport = ntohs(to->sin_port);
	q_addr = to->sin_addr.s_addr;
	enqueue(false, ntohs(from->sin_port) == 4500, data, len);
	return 0;
}

static struct conf *env_conf(void *a) { (void)a; return R.conf; }
static struct pool_set *env_pools(void *a) { (void)a; return R.pools; }

static int responder_start(void)
{
	struct conf_diags d = { 0 };
	R.conf = conf_parse(config, strlen(config), "test.conf", &d);
	if (!R.conf)
		conf_diags_print(&d, "test.conf", stderr);
	conf_diags_free(&d);
	R.loop = loop_new();
	R.pools = R.conf ? pool_set_new(R.conf) : NULL;
	struct ike_io_opts o = { .no_sockets = true };
	R.io = R.conf ? ike_io_new(R.loop, R.conf, &o) : NULL;
	if (!R.loop || !R.pools || !R.io)
		return -1;
	ike_io_set_send_hook(R.io, gw_send, NULL);
	struct ikev1_env env = { env_conf, env_pools, NULL };
	R.v1 = ikev1_new(R.loop, R.io, &env);
	for (size_t i = 0; i < MAXQ; i++)
		buf_init(&R.q[i].b);
	R.cl = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(500) };
	R.cl.sin_addr.s_addr = htonl(0x0a000002u);
	R.gw = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(500) };
	R.gw.sin_addr.s_addr = htonl(0x0a000001u);
	return R.v1 ? 0 : -1;
}

static void responder_stop(void)
{
	ikev1_free(R.v1);
	ike_io_free(R.io);
	pool_set_free(R.pools);
	loop_free(R.loop);
	conf_unref(R.conf);
	for (size_t i = 0; i < MAXQ; i++)
		buf_free(&R.q[i].b);
}

/* ---- the client --------------------------------------------------------------------- */

struct client {
	struct ini1 *s;
	bool up, down;
	enum ini2_result result;
	struct ini2_lease lease;
	unsigned children;
	uint32_t spi_in, spi_out;
	uint8_t encr_out[64], encr_in[64], integ_out[64];
	size_t encr_len, integ_len;
	uint16_t port, natt_port;        /* its source ports (0: 500 and 4500) */
	uint32_t addr;                   /* its address (network order) */
	bool drop_to_gw;                 /* lose everything the client sends */
	unsigned dup_to_gw;              /* send the next N messages twice */
	unsigned frag_to_gw;             /* send the next N messages in 3 fragments, last first */
};

/* Cisco fragmentation (payload 132): the whole message cut in three, each
 * piece behind a copy of its header, queued in the order 3, 1, 2. */
static void enqueue_fragments(bool natt, const uint8_t *data, size_t len)
{
	struct ikev1_hdr h;
	struct ikev1_parse_err err;
	if (ikev1_parse_header(data, len, &h, &err) < 0)
		return;
	h.next_payload = IKEV1_PL_FRAG;
	size_t third = len / 3 + 1;
	static const uint8_t order[3] = { 3, 1, 2 };
	for (size_t k = 0; k < 3; k++) {
		uint8_t num = order[k];
		size_t off = (size_t)(num - 1) * third;
		size_t n = num == 3 ? len - off : third;
		struct buf b;
		struct ikev1_wr w;
		buf_init(&b);
		ikev1_w_begin(&w, &b, &h);
		ikev1_w_frag(&w, 7, num, num == 3, data + off, n);
		if (ikev1_w_finish(&w))
			enqueue(true, natt, b.data, b.len);
		buf_free(&b);
	}
}

static int cl_send(void *arg, bool natt, const uint8_t *data, size_t len)
{
	struct client *c = arg;
	if (c->drop_to_gw)
		return 0;
	q_sport = natt ? (c->natt_port ? c->natt_port : 4500) : (c->port ? c->port : 500);
	q_addr = c->addr;
	if (c->frag_to_gw) {
		c->frag_to_gw--;
		enqueue_fragments(natt, data, len);
		return 0;
	}
	enqueue(true, natt, data, len);
	if (c->dup_to_gw) {
		c->dup_to_gw--;
		enqueue(true, natt, data, len);
	}
	return 0;
}

static int cl_child_up(void *arg, const struct ini2_child *k)
{
	struct client *c = arg;
	c->children++;
	c->spi_in = k->spi_in;
	c->spi_out = k->spi_out;
	c->encr_len = k->encr->key_len;
	c->integ_len = k->integ ? k->integ->key_len : 0;
	memcpy(c->encr_out, k->encr_out, c->encr_len);
	memcpy(c->encr_in, k->encr_in, c->encr_len);
	if (k->integ_out)
		memcpy(c->integ_out, k->integ_out, c->integ_len);
	return 0;
}

static void cl_child_down(void *arg, uint32_t spi)
{
	struct client *c = arg;
	(void)spi;
	if (c->children)
		c->children--;
}

static void cl_up(void *arg, const struct ini2_lease *l)
{
	struct client *c = arg;
	c->up = true;
	c->lease = *l;
}

static void cl_down(void *arg, enum ini2_result r, const char *why)
{
	struct client *c = arg;
	(void)why;
	c->down = true;
	c->result = r;
}

/* Clients by port, to deliver what the gateway sends to the right one. */
#define MAXCL 8
static struct client *clients[MAXCL];

static void client_register(struct client *c)
{
	c->addr = R.cl.sin_addr.s_addr;
	for (size_t i = 0; i < MAXCL; i++)
		if (!clients[i] || clients[i] == c) {
			clients[i] = c;
			return;
		}
}

static struct client *client_at(uint32_t addr, uint16_t port, struct client *dflt)
{
	for (size_t i = 0; i < MAXCL; i++) {
		struct client *c = clients[i];
		if (c && c->s && c->addr == addr && ((c->port ? c->port : 500) == port ||
				  (c->natt_port ? c->natt_port : 4500) == port))
			return c;
	}
	return dflt;
}

/* Deliver queued datagrams until the network is quiet. */
static void pump(struct client *c)
{
	for (unsigned n = 0; R.head != R.tail && n < 500; n++) {
		struct pkt *p = &R.q[R.head++ % MAXQ];
		if (p->to_gw) {
			struct sockaddr_in from = R.cl, to = R.gw;
			struct buf m;
			buf_init(&m);
			from.sin_port = htons(p->sport);
			from.sin_addr.s_addr = p->addr;
			if (p->natt) {
				to.sin_port = htons(4500);
				buf_put(&m, "\0\0\0\0", 4);
			}
			buf_put(&m, p->b.data, p->b.len);
			ike_io_input(R.io, m.data, m.len, &from, &to);
			buf_free(&m);
		} else {
			struct client *to = client_at(p->addr, p->sport, c);
			if (to->s)
				ini1_input(to->s, p->b.data, p->b.len);
		}
	}
}

static void client_start(struct client *c, const char *group, const char *gsecret,
			 const char *user, const char *pw, uint16_t pfs)
{
	memset(c, 0, sizeof(*c));
	struct ini1_config cfg = { .local = R.cl, .gw = R.gw, .group = group,
				   .group_secret = gsecret, .user = user, .password = pw,
				   .pfs_group = pfs };
	struct ini2_hooks h = { cl_send, NULL, cl_child_up, cl_child_down, cl_up, cl_down, c };
	c->s = ini1_new(R.loop, &cfg, &h);
	client_register(c);
	T_CHECK(c->s != NULL);
	T_CHECK(ini1_start(c->s) == 0);
	pump(c);
}

static void client_free(struct client *c)
{
	ini1_free(c->s);
	c->s = NULL;
	for (size_t i = 0; i < MAXCL; i++)
		if (clients[i] == c)
			clients[i] = NULL;
}

static void client_start_from(struct client *c, const char *user, const char *pw, uint16_t port)
{
	memset(c, 0, sizeof(*c));
	c->port = port;
	c->natt_port = (uint16_t)(port + 1);
	struct ini1_config cfg = { .local = R.cl, .gw = R.gw, .group = "VPNC",
				   .group_secret = "group-secret", .user = user, .password = pw };
	struct ini2_hooks h = { cl_send, NULL, cl_child_up, cl_child_down, cl_up, cl_down, c };
	c->s = ini1_new(R.loop, &cfg, &h);
	client_register(c);
	T_CHECK(c->s && ini1_start(c->s) == 0);
	pump(c);
}

static struct ike_sa *gw_sa(void)
{
	for (struct ike_sa *sa = ike_sa_first(); sa; sa = ike_sa_next(sa))
		if (sa->version == IKE_V1)
			return sa;
	return NULL;
}

static size_t gw_sa_count(void)
{
	return ike_sa_count(IKE_V1);
}

/* ---- tests ----------------------------------------------------------------------------- */

static void vpnc_flow_connects_with_address_split_and_matching_keys(void)
{
	struct client c;
	client_start(&c, "VPNC", "group-secret", "alice", "alice-pass", 0);
	T_CHECK(c.up);
	T_CHECK(!c.down);
	T_EQ_INT(c.lease.addr, 0x0a030301u);
	T_EQ_INT(c.lease.netmask, 0xffffff00u);
	T_EQ_INT(c.lease.n_dns, 1);
	T_EQ_INT(c.lease.dns[0], 0x0a010035u);
	T_EQ_STR(c.lease.domain, "example.test");
	T_EQ_INT(c.lease.n_split, 1);
	T_EQ_INT(c.lease.split[0].addr, 0x0a010000u);
	T_EQ_INT(c.lease.split[0].mask, 0xffffff00u);
	T_EQ_STR(ini1_extra(c.s)->banner, "Hello IKEv1");
	T_EQ_INT(c.children, 1);
	struct ike_sa *sa = gw_sa();
	T_CHECK(sa != NULL);
	if (sa) {
		T_EQ_INT(sa->state, IKE_STATE_ESTABLISHED);
		T_EQ_STR(sa->v1_state, "AM_ACTIVE");
		T_EQ_STR(sa->tunnel_group, "VPNC");
		T_EQ_STR(sa->username, "alice");
		T_CHECK(sa->xauth_done);
		T_EQ_INT(sa->v1_auth, 65001);
		T_EQ_INT(sa->assigned_addr, 0x0a030301u);
		T_CHECK(sa->children != NULL);
		if (sa->children) {
			const struct child_sa *k = sa->children;
			const struct ike_child_keys *keys = k->priv;
			T_EQ_INT(k->spi_in, c.spi_out);
			T_EQ_INT(k->spi_out, c.spi_in);
			/* what the client encrypts, the gateway decrypts */
			T_CHECK(keys && memcmp(keys->encr_i, c.encr_out, c.encr_len) == 0);
			T_CHECK(keys && memcmp(keys->integ_i, c.integ_out, c.integ_len) == 0);
			T_CHECK(keys && memcmp(keys->encr_r, c.encr_in, c.encr_len) == 0);
		}
	}
	/* closing: DELETE reaches the gateway, which frees SA and lease */
	ini1_close(c.s);
	pump(&c);
	T_EQ_INT(gw_sa_count(), 0);
	T_CHECK(!pool_is_leased(R.pools, 0x0a030301u));
	client_free(&c);
}

static void pfs_group_2_quick_mode_connects(void)
{
	struct client c;
	client_start(&c, "VPNC", "group-secret", "alice", "alice-pass", 2);
	T_CHECK(c.up);
	struct ike_sa *sa = gw_sa();
	T_CHECK(sa && sa->children && sa->children->pfs_group == 2);
	ini1_close(c.s);
	pump(&c);
	T_EQ_INT(gw_sa_count(), 0);
	client_free(&c);
}

static void wrong_group_secret_fails_on_the_gateway_hash(void)
{
	struct client c;
	client_start(&c, "VPNC", "not-the-secret", "alice", "alice-pass", 0);
	T_CHECK(!c.up);
	T_CHECK(c.down);
	T_EQ_INT(c.result, INI2_ERR_AUTH);
	/* the client said so in the clear: the gateway ended its half-open SA */
	T_EQ_INT(gw_sa_count(), 0);
	T_CHECK(!pool_is_leased(R.pools, 0x0a030301u));
	client_free(&c);
}

static void unknown_group_is_refused_with_a_notify(void)
{
	struct client c;
	client_start(&c, "NOSUCH", "group-secret", "alice", "alice-pass", 0);
	T_CHECK(c.down);
	T_CHECK(!c.up);
	T_EQ_INT(gw_sa_count(), 0);
	client_free(&c);
}

static void wrong_password_is_asked_again_then_refused_and_the_sa_deleted(void)
{
	struct client c;
	client_start(&c, "VPNC", "group-secret", "alice", "wrong", 0);
	T_CHECK(c.down);
	T_EQ_INT(c.result, INI2_ERR_AUTH);
	/* the client's DELETE after the refusal freed the gateway's SA at once */
	T_EQ_INT(gw_sa_count(), 0);
	T_CHECK(!pool_is_leased(R.pools, 0x0a030301u));
	client_free(&c);
	ikev1_clear(R.v1, 0, "test");
}

static void retransmitted_requests_get_the_same_answers(void)
{
	struct client c;
	memset(&c, 0, sizeof(c));
	struct ini1_config cfg = { .local = R.cl, .gw = R.gw, .group = "VPNC",
				   .group_secret = "group-secret", .user = "alice",
				   .password = "alice-pass" };
	struct ini2_hooks h = { cl_send, NULL, cl_child_up, cl_child_down, cl_up, cl_down, &c };
	c.dup_to_gw = 10;                /* every message of the client arrives twice */
	c.s = ini1_new(R.loop, &cfg, &h);
	T_CHECK(c.s && ini1_start(c.s) == 0);
	pump(&c);
	T_CHECK(c.up);
	T_EQ_INT(gw_sa_count(), 1);
	struct ike_sa *sa = gw_sa();
	T_CHECK(sa && sa->children && !sa->children->next);   /* one IPsec SA, not two */
	ini1_close(c.s);
	pump(&c);
	T_EQ_INT(gw_sa_count(), 0);
	client_free(&c);
}

static void fragmented_messages_are_reassembled_in_any_order(void)
{
	struct client c;
	memset(&c, 0, sizeof(c));
	struct ini1_config cfg = { .local = R.cl, .gw = R.gw, .group = "VPNC",
				   .group_secret = "group-secret", .user = "alice",
				   .password = "alice-pass" };
	struct ini2_hooks h = { cl_send, NULL, cl_child_up, cl_child_down, cl_up, cl_down, &c };
	c.frag_to_gw = 3;                /* AM1, AM3 and the XAUTH reply in pieces */
	c.s = ini1_new(R.loop, &cfg, &h);
	client_register(&c);
	T_CHECK(c.s && ini1_start(c.s) == 0);
	pump(&c);
	T_CHECK(c.up);
	T_EQ_INT(gw_sa_count(), 1);
	ini1_close(c.s);
	pump(&c);
	T_EQ_INT(gw_sa_count(), 0);
	client_free(&c);
}

static void commit_bit_gets_connected_after_the_sa_is_keyed(void)
{
	struct client c;
	memset(&c, 0, sizeof(c));
	struct ini1_config cfg = { .local = R.cl, .gw = R.gw, .group = "VPNC",
				   .group_secret = "group-secret", .user = "alice",
				   .password = "alice-pass", .commit = true };
	struct ini2_hooks h = { cl_send, NULL, cl_child_up, cl_child_down, cl_up, cl_down, &c };
	c.s = ini1_new(R.loop, &cfg, &h);
	client_register(&c);
	T_CHECK(c.s && ini1_start(c.s) == 0);
	pump(&c);
	T_CHECK(c.up);
	T_CHECK(c.s->connected_seen);
	ini1_close(c.s);
	pump(&c);
	T_EQ_INT(gw_sa_count(), 0);
	client_free(&c);
}

static void dpd_is_answered_both_ways(void)
{
	struct client c;
	client_start(&c, "VPNC", "group-secret", "alice", "alice-pass", 0);
	T_CHECK(c.up);
	unsigned before = R.gw_sent;
	ini1_send_dpd(c.s);
	pump(&c);
	T_CHECK(R.gw_sent == before + 1);      /* R-U-THERE-ACK */
	T_CHECK(c.up && !c.down);
	ini1_close(c.s);
	pump(&c);
	client_free(&c);
}

static void gateway_rekey_is_answered_and_keyed_alike_on_both_ends(void)
{
	struct client c;
	client_start(&c, "VPNC", "group-secret", "alice", "alice-pass", 2);
	T_CHECK(c.up);
	struct ike_sa *sa = gw_sa();
	T_CHECK(sa && sa->children);
	if (!sa || !sa->children)
		return;
	uint32_t old_in = sa->children->spi_in;
	T_CHECK(v1_quick_rekey(sa, sa->children) == 0);
	pump(&c);
	T_EQ_INT(c.children, 2);                 /* the client installed the new SA too */
	const struct child_sa *n = sa->children->next;
	T_CHECK(n != NULL);
	if (n) {
		const struct ike_child_keys *keys = n->priv;
		T_CHECK(n->spi_in != old_in);
		T_EQ_INT(n->spi_in, c.spi_out);
		T_EQ_INT(n->spi_out, c.spi_in);
		T_EQ_INT(n->pfs_group, 2);               /* PFS kept on the rekey */
		T_CHECK(keys && memcmp(keys->encr_i, c.encr_out, c.encr_len) == 0);
		T_CHECK(keys && memcmp(keys->encr_r, c.encr_in, c.encr_len) == 0);
	}
	ini1_close(c.s);
	pump(&c);
	T_EQ_INT(gw_sa_count(), 0);
	client_free(&c);
}

/* Swap the gateway's configuration for `config` plus extra lines. */
static struct conf *conf_with(const char *extra)
{
	size_t n = strlen(config) + strlen(extra) + 1;
	char *text = malloc(n);
	struct conf_diags d = { 0 };
	snprintf(text, n, "%s%s", config, extra);
	struct conf *c = conf_parse(text, strlen(text), "test2.conf", &d);
	conf_diags_free(&d);
	free(text);
	return c;
}

static void aggressive_mode_is_refused_when_disabled(void)
{
	struct conf *saved = R.conf, *c = conf_with("crypto ikev1 am-disable\n");
	T_CHECK(c != NULL);
	if (!c)
		return;
	R.conf = c;
	struct client cl;
	client_start(&cl, "VPNC", "group-secret", "alice", "alice-pass", 0);
	T_CHECK(cl.down && !cl.up);
	T_EQ_INT(cl.result, INI2_ERR_PROPOSAL);
	T_EQ_INT(gw_sa_count(), 0);
	client_free(&cl);
	R.conf = saved;
	conf_unref(c);
}

static void initial_contact_replaces_only_the_same_users_session_behind_one_nat(void)
{
	struct client a, b, a2;
	client_start_from(&a, "alice", "alice-pass", 1500);
	client_start_from(&b, "bob", "bob-pass", 2500);
	T_CHECK(a.up && b.up);
	T_EQ_INT(gw_sa_count(), 2);              /* two users behind one address */
	client_start_from(&a2, "alice", "alice-pass", 3500);
	T_CHECK(a2.up);
	T_EQ_INT(gw_sa_count(), 2);              /* alice's older session went */
	T_CHECK(a.down);                         /* ... with a DELETE she saw */
	T_CHECK(!b.down);
	ikev1_clear(R.v1, 0, "test");
	pump(&b);
	T_EQ_INT(gw_sa_count(), 0);
	client_free(&a);
	client_free(&b);
	client_free(&a2);
}

static void two_clients_get_distinct_addresses_and_the_pool_runs_out(void)
{
	struct client a, b, x;
	client_start(&a, "VPNC", "group-secret", "alice", "alice-pass", 0);
	R.cl.sin_addr.s_addr = htonl(0x0a000003u);
	client_start(&b, "VPNC", "group-secret", "alice", "alice-pass", 0);
	T_CHECK(a.up && b.up);
	T_CHECK(a.lease.addr != b.lease.addr);
	R.cl.sin_addr.s_addr = htonl(0x0a000004u);
	client_start(&x, "VPNC", "group-secret", "alice", "alice-pass", 0);
	T_CHECK(!x.up);                        /* two addresses in the pool */
	ikev1_clear(R.v1, 0, "test");
	pump(&a);
	T_EQ_INT(gw_sa_count(), 0);
	T_CHECK(!pool_is_leased(R.pools, a.lease.addr) && !pool_is_leased(R.pools, b.lease.addr));
	R.cl.sin_addr.s_addr = htonl(0x0a000002u);
	client_free(&a);
	client_free(&b);
	client_free(&x);
}

int main(void)
{
	T_CHECK(crypto_init() == 0);
	if (responder_start() < 0) {
		fprintf(stderr, "responder did not start\n");
		return 1;
	}
	T_RUN(vpnc_flow_connects_with_address_split_and_matching_keys);
	T_RUN(pfs_group_2_quick_mode_connects);
	T_RUN(wrong_group_secret_fails_on_the_gateway_hash);
	T_RUN(unknown_group_is_refused_with_a_notify);
	T_RUN(wrong_password_is_asked_again_then_refused_and_the_sa_deleted);
	T_RUN(retransmitted_requests_get_the_same_answers);
	T_RUN(fragmented_messages_are_reassembled_in_any_order);
	T_RUN(commit_bit_gets_connected_after_the_sa_is_keyed);
	T_RUN(dpd_is_answered_both_ways);
	T_RUN(gateway_rekey_is_answered_and_keyed_alike_on_both_ends);
	T_RUN(aggressive_mode_is_refused_when_disabled);
	T_RUN(initial_contact_replaces_only_the_same_users_session_behind_one_nat);
	T_RUN(two_clients_get_distinct_addresses_and_the_pool_runs_out);
	responder_stop();
	T_DONE();
}
