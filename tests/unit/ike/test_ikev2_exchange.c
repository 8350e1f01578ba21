/* In-process exchanges: a small IKEv2 initiator written here drives the real
 * responder engine (ike/v2) through ike_io_input(); what the engine sends is
 * captured by the transport's send hook.  The initiator computes its keys
 * and AUTH payloads itself, so every exchange also checks the responder's
 * keys and AUTH from the other side.
 *
 *   initiator (this file)                       responder (ike/v2)
 *   HDR, SAi1, KEi, Ni, N(NAT-D), N(FRAG) -->
 *                                       <--  HDR, SAr1, KEr, Nr, N(NAT-D), N(FRAG)
 *   HDR, SK {IDi, AUTH, CP, SAi2, TSi, TSr} -->
 *                                       <--  HDR, SK {IDr, AUTH, CP, SAr2, TSi, TSr}
 *   ... EAP, INFORMATIONAL, CREATE_CHILD_SA, DELETE */
#include "../t.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <unistd.h>

#include "aaa/pool.h"
#include "auth/trustpoint.h"
#include "base/log.h"
#include "base/loop.h"
#include "base/mem.h"
#include "conf/conf.h"
#include "crypto/crypto.h"
#include "ike/core/child.h"
#include "ike/core/frag.h"
#include "ike/core/ike.h"
#include "ike/core/keys.h"
#include "ike/core/sa.h"
#include "ike/core/sk.h"
#include "ike/v2/ikev2.h"
#include "wire/ikev2.h"

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
	"crypto ikev2 cookie-challenge 3\n"
	"group-policy GP internal\n"
	"group-policy GP attributes\n"
	" dns-server value 10.1.0.53\n vpn-tunnel-protocol ikev2\n"
	" default-domain value example.test\n"
	"username Anu password Anu-pass privilege 15\n"
	"tunnel-group PSKG type remote-access\n"
	"tunnel-group PSKG general-attributes\n address-pool webvpn1\n default-group-policy GP\n"
	"tunnel-group PSKG ipsec-attributes\n"
	" ikev2 remote-authentication pre-shared-key client-secret\n"
	" ikev2 local-authentication pre-shared-key gw-secret\n"
	"tunnel-group EAPG type remote-access\n"
	"tunnel-group EAPG general-attributes\n address-pool webvpn1\n default-group-policy GP\n"
	"tunnel-group EAPG ipsec-attributes\n"
	" ikev2 remote-authentication eap query-identity\n"
	" ikev2 local-authentication certificate TP\n";

/* ---- the responder under test -------------------------------------------------- */

static struct {
	struct loop *loop;
	struct conf *conf;
	struct pool_set *pools;
	struct trustpoint_store tps;
	struct ike_io *io;
	struct ikev2 *v2;
	char state_dir[64];
	struct buf sent[IKE_FRAG_MAX];
	size_t n_sent;
	bool stop_on_send;
} R;

static int capture(void *arg, const struct sockaddr_in *from, const struct sockaddr_in *to,
		   const uint8_t *data, size_t len)
{
	(void)arg;
	(void)from;
	(void)to;
	if (R.n_sent >= IKE_FRAG_MAX)
		return -1;
	buf_reset(&R.sent[R.n_sent]);
	buf_put(&R.sent[R.n_sent++], data, len);
	if (R.stop_on_send)
		loop_stop(R.loop);
	return 0;
}

static struct conf *env_conf(void *a) { (void)a; return R.conf; }
static struct pool_set *env_pools(void *a) { (void)a; return R.pools; }
static const struct trustpoint_store *env_tps(void *a) { (void)a; return &R.tps; }

static int responder_start(void)
{
	struct conf_diags d = { 0 };
	R.conf = conf_parse(config, strlen(config), "test.conf", &d);
	if (!R.conf)
		conf_diags_print(&d, "test.conf", stderr);
	conf_diags_free(&d);
	if (!R.conf)
		return -1;
	snprintf(R.state_dir, sizeof(R.state_dir), "/tmp/ravpn-ike-test.XXXXXX");
	if (!mkdtemp(R.state_dir) || trustpoints_load(&R.tps, R.conf, R.state_dir) < 0)
		return -1;
	R.loop = loop_new();
	R.pools = pool_set_new(R.conf);
	struct ike_io_opts o = { .no_sockets = true };
	R.io = ike_io_new(R.loop, R.conf, &o);
	if (!R.loop || !R.pools || !R.io)
		return -1;
	ike_io_set_send_hook(R.io, capture, NULL);
	struct ikev2_env env = { env_conf, env_pools, env_tps, NULL };
	R.v2 = ikev2_new(R.loop, R.io, &env);
	for (size_t i = 0; i < IKE_FRAG_MAX; i++)
		buf_init(&R.sent[i]);
	return R.v2 ? 0 : -1;
}

/* Between tests: drop every SA without a word (leases go back). */
static void reset(void)
{
	ikev2_free(R.v2);
	struct ikev2_env env = { env_conf, env_pools, env_tps, NULL };
	R.v2 = ikev2_new(R.loop, R.io, &env);
	R.n_sent = 0;
}

static void responder_stop(void)
{
	ikev2_free(R.v2);
	ike_io_free(R.io);
	pool_set_free(R.pools);
	trustpoints_free(&R.tps);
	loop_free(R.loop);
	conf_unref(R.conf);
	for (size_t i = 0; i < IKE_FRAG_MAX; i++)
		buf_free(&R.sent[i]);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", R.state_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", R.state_dir);
}

/* ---- the test initiator ------------------------------------------------------------ */

struct ini {
	struct sockaddr_in me, gw;
	uint64_t spi_i, spi_r;
	const struct crypto_dh_group *g;
	struct crypto_dh *dh;
	uint8_t ni[32], nr[IKE_NONCE_MAX];
	size_t nr_len;
	struct buf req1, resp1;
	struct ike_keymat km;
	struct ike_sk sk;
	uint32_t next_id;
	uint8_t idi_body[64];
	size_t idi_len;
	bool frag;
};

static void ini_init(struct ini *I, uint8_t host, uint16_t port)
{
	memset(I, 0, sizeof(*I));
	I->me = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(port) };
	I->me.sin_addr.s_addr = htonl(0x0a000000u | host);
	I->gw = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(500) };
	I->gw.sin_addr.s_addr = htonl(0x0a000001u);
	T_CHECK(crypto_random(&I->spi_i, 8) == 0);
	T_CHECK(crypto_random(I->ni, sizeof(I->ni)) == 0);
	I->g = crypto_dh_group(2);
	I->dh = crypto_dh_new(I->g);
	buf_init(&I->req1);
	buf_init(&I->resp1);
}

static void ini_free(struct ini *I)
{
	crypto_dh_free(I->dh);
	ike_sk_free(&I->sk);
	buf_free(&I->req1);
	buf_free(&I->resp1);
}

static void deliver(struct ini *I, const uint8_t *p, size_t n)
{
	R.n_sent = 0;
	ike_io_input(R.io, p, n, &I->me, &I->gw);
}

/* IKE_SA_INIT: AES-192/SHA-1/MODP-1024 (the seed's policy), or `encr_bits`. */
static void send_init(struct ini *I, uint16_t encr_bits, uint16_t ke_group, const uint8_t *cookie,
		      size_t cookie_len)
{
	struct buf b;
	struct ikev2_wr w;
	buf_init(&b);
	struct ikev2_hdr h = { .spi_i = I->spi_i, .exchange = IKEV2_IKE_SA_INIT,
			       .flags = IKEV2_FLAG_INITIATOR };
	ikev2_w_begin(&w, &b, &h);
	if (cookie)
		ikev2_w_notify(&w, 0, NULL, 0, IKEV2_N_COOKIE, cookie, cookie_len);
	struct ikev2_proposal p = { .num = 1, .protocol = IKEV2_PROTO_IKE, .n_transforms = 5 };
	p.t[0] = (struct ikev2_transform){ IKEV2_TRANS_ENCR, 12, encr_bits, false };
	p.t[1] = (struct ikev2_transform){ IKEV2_TRANS_PRF, 2, 0, false };
	p.t[2] = (struct ikev2_transform){ IKEV2_TRANS_INTEG, 2, 0, false };
	p.t[3] = (struct ikev2_transform){ IKEV2_TRANS_DH, 2, 0, false };
	p.t[4] = (struct ikev2_transform){ IKEV2_TRANS_DH, 14, 0, false };
	ikev2_w_sa(&w, &p, 1);
	const struct crypto_dh_group *g = crypto_dh_group(ke_group);
	uint8_t pub[CRYPTO_MAX_DH_PUB];
	struct crypto_dh *dh = ke_group == I->g->id ? I->dh : crypto_dh_new(g);
	T_CHECK(dh && crypto_dh_public(dh, pub) == 0);
	ikev2_w_ke(&w, ke_group, pub, g->pub_len);
	if (dh != I->dh)
		crypto_dh_free(dh);
	ikev2_w_nonce(&w, I->ni, sizeof(I->ni));
	ikev2_w_notify(&w, 0, NULL, 0, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	static const uint8_t hashes[] = { 0, 2 };
	ikev2_w_notify(&w, 0, NULL, 0, IKEV2_N_SIGNATURE_HASH_ALGORITHMS, hashes, 2);
	T_CHECK(ikev2_w_finish(&w));
	buf_reset(&I->req1);
	buf_put(&I->req1, b.data, b.len);
	deliver(I, b.data, b.len);
	buf_free(&b);
}

/* Parse the IKE_SA_INIT reply and derive the keys from the initiator's side. */
static int finish_init(struct ini *I, struct ikev2_msg *m)
{
	struct ikev2_parse_err err;
	if (R.n_sent != 1 || ikev2_parse_message(R.sent[0].data, R.sent[0].len, m, &err) < 0)
		return -1;
	if (!(m->present & IKEV2_BIT(IKEV2_PL_KE)))
		return -1;
	I->spi_r = m->hdr.spi_r;
	memcpy(I->nr, m->nonce.data, m->nonce.len);
	I->nr_len = m->nonce.len;
	buf_reset(&I->resp1);
	buf_put(&I->resp1, R.sent[0].data, R.sent[0].len);
	I->frag = ikev2_msg_notify(m, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED) != NULL;
	uint8_t gir[CRYPTO_MAX_DH_PUB];
	size_t gir_len = sizeof(gir);
	if (crypto_dh_shared(I->dh, m->ke.data.data, m->ke.data.len, gir, &gir_len) < 0)
		return -1;
	I->km = (struct ike_keymat){ .prf = crypto_prf_ikev2(2), .encr = crypto_encr_ikev2(12, 192),
				     .integ = crypto_integ_ikev2(2) };
	if (ike_keys_derive(&I->km, I->ni, sizeof(I->ni), I->nr, I->nr_len, gir, gir_len, I->spi_i,
			    I->spi_r) < 0)
		return -1;
	I->next_id = 1;
	/* we receive what the responder protects with SK_er/SK_ar */
	return ike_sk_init(&I->sk, I->km.encr, I->km.integ, I->km.sk_er, I->km.sk_ar, I->km.sk_ei,
			   I->km.sk_ai);
}

static int connect_init(struct ini *I)
{
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	send_init(I, 192, 2, NULL, 0);
	int rc = m ? finish_init(I, m) : -1;
	free(m);
	return rc;
}

/* A protected request; fill() writes the inner payloads. */
typedef void (*fill_fn)(struct ini *I, struct ikev2_wr *w, void *arg);

static void build_request(struct ini *I, uint8_t exchange, uint32_t msg_id, fill_fn fill,
			  void *arg, struct buf *b)
{
	struct ikev2_wr w;
	struct ikev2_hdr h = { .spi_i = I->spi_i, .spi_r = I->spi_r, .exchange = exchange,
			       .flags = IKEV2_FLAG_INITIATOR, .msg_id = msg_id };
	buf_reset(b);
	ikev2_w_begin(&w, b, &h);
	size_t sk_off = ikev2_w_sk_begin(&w, I->km.encr->iv_len);
	if (fill)
		fill(I, &w, arg);
	T_CHECK(ikev2_w_finish(&w));
	T_EQ_INT(ike_sk_seal(&I->sk, b, 0, sk_off, IKE_SK_HDR), 0);
}

static void send_request(struct ini *I, uint8_t exchange, fill_fn fill, void *arg)
{
	struct buf b;
	buf_init(&b);
	build_request(I, exchange, I->next_id++, fill, arg, &b);
	deliver(I, b.data, b.len);
	buf_free(&b);
}

/* Decrypt the captured reply (one SK datagram or SKF fragments) into m. */
static int open_reply(struct ini *I, struct ikev2_msg *m, struct buf *plain)
{
	struct ikev2_msg *outer = calloc(1, sizeof(*outer));
	struct ike_frag_rx fr = { 0 };
	struct ikev2_parse_err err;
	uint8_t first = 0;
	int rc = -1;
	buf_reset(plain);
	for (size_t i = 0; outer && i < R.n_sent; i++) {
		if (ikev2_parse_message(R.sent[i].data, R.sent[i].len, outer, &err) < 0)
			break;
		if (!(outer->hdr.flags & IKEV2_FLAG_RESPONSE) || outer->hdr.spi_i != I->spi_i)
			break;
		if (outer->present & IKEV2_BIT(IKEV2_PL_SK)) {
			if (ike_sk_open(&I->sk, R.sent[i].data, R.sent[i].len, outer->sk.hdr_off,
					IKE_SK_HDR, plain) < 0)
				break;
			first = outer->sk.inner_first;
			rc = 0;
			break;
		}
		struct buf piece;
		buf_init(&piece);
		if (!(outer->present & IKEV2_BIT(IKEV2_PL_SKF)) ||
		    ike_sk_open(&I->sk, R.sent[i].data, R.sent[i].len, outer->skf.hdr_off,
				IKE_SKF_HDR, &piece) < 0) {
			buf_free(&piece);
			break;
		}
		enum ike_frag_result r = ike_frag_add(&fr, outer->hdr.msg_id, outer->skf.frag_num,
						      outer->skf.total, outer->skf.inner_first,
						      piece.data, piece.len, 0, plain, &first);
		buf_free(&piece);
		if (r == IKE_FRAG_COMPLETE) {
			rc = 0;
			break;
		}
	}
	if (rc == 0) {
		struct ikev2_hdr h = outer->hdr;
		rc = ikev2_parse_chain(first, plain->data, plain->len, m, &err);
		m->hdr = h;
	}
	ike_frag_rx_clear(&fr);
	free(outer);
	return rc;
}

/* AUTH of the initiator with a shared secret (RFC 7296 §2.15). */
static void psk_auth(struct ini *I, const uint8_t *secret, size_t len, uint8_t *out)
{
	static const char pad[] = "Key Pad for IKEv2";
	uint8_t mac[20], k[20];
	struct buf oct;
	buf_init(&oct);
	T_CHECK(crypto_prf(I->km.prf, I->km.sk_pi, 20, I->idi_body, I->idi_len, NULL, 0, NULL, 0,
			   NULL, 0, mac) == 0);
	buf_put(&oct, I->req1.data, I->req1.len);
	buf_put(&oct, I->nr, I->nr_len);
	buf_put(&oct, mac, 20);
	T_CHECK(crypto_prf(I->km.prf, secret, len, (const uint8_t *)pad, 17, NULL, 0, NULL, 0, NULL,
			   0, k) == 0);
	T_CHECK(crypto_prf(I->km.prf, k, 20, oct.data, oct.len, NULL, 0, NULL, 0, NULL, 0, out) == 0);
	buf_free(&oct);
}

/* The responder's AUTH with a shared secret, recomputed here. */
static bool responder_auth_ok(struct ini *I, const struct ikev2_msg *m, const uint8_t *secret,
			      size_t len, const struct ikev2_blob *idr_body)
{
	static const char pad[] = "Key Pad for IKEv2";
	uint8_t mac[20], k[20], want[20];
	struct buf oct;
	buf_init(&oct);
	T_CHECK(crypto_prf(I->km.prf, I->km.sk_pr, 20, idr_body->data, idr_body->len, NULL, 0,
			   NULL, 0, NULL, 0, mac) == 0);
	buf_put(&oct, I->resp1.data, I->resp1.len);
	buf_put(&oct, I->ni, sizeof(I->ni));
	buf_put(&oct, mac, 20);
	T_CHECK(crypto_prf(I->km.prf, secret, len, (const uint8_t *)pad, 17, NULL, 0, NULL, 0, NULL,
			   0, k) == 0);
	T_CHECK(crypto_prf(I->km.prf, k, 20, oct.data, oct.len, NULL, 0, NULL, 0, NULL, 0, want) == 0);
	buf_free(&oct);
	return m->auth.method == IKEV2_AUTH_PSK && m->auth.data.len == 20 &&
	       memcmp(m->auth.data.data, want, 20) == 0;
}

static void set_idi(struct ini *I, uint8_t type, const char *id)
{
	memset(I->idi_body, 0, 4);
	I->idi_body[0] = type;
	memcpy(I->idi_body + 4, id, strlen(id));
	I->idi_len = 4 + strlen(id);
}

static void child_payloads(struct ikev2_wr *w, uint32_t spi)
{
	struct ikev2_cp cp = { .type = IKEV2_CFG_REQUEST, .n = 2 };
	cp.a[0].type = IKEV2_CA_INTERNAL_IP4_ADDRESS;
	cp.a[1].type = IKEV2_CA_INTERNAL_IP4_DNS;
	ikev2_w_cp(w, &cp);
	struct ikev2_proposal p = { .num = 1, .protocol = IKEV2_PROTO_ESP, .spi_size = 4,
				    .n_transforms = 3 };
	p.spi[0] = (uint8_t)(spi >> 24);
	p.spi[1] = (uint8_t)(spi >> 16);
	p.spi[2] = (uint8_t)(spi >> 8);
	p.spi[3] = (uint8_t)spi;
	p.t[0] = (struct ikev2_transform){ IKEV2_TRANS_ENCR, 12, 256, false };
	p.t[1] = (struct ikev2_transform){ IKEV2_TRANS_INTEG, 2, 0, false };
	p.t[2] = (struct ikev2_transform){ IKEV2_TRANS_ESN, 0, 0, false };
	ikev2_w_sa(w, &p, 1);
	struct ikev2_ts_list all = { .n = 1 };
	all.ts[0].type = IKEV2_TS_IPV4_ADDR_RANGE;
	all.ts[0].end_port = 65535;
	memset(all.ts[0].end, 0xff, 4);
	ikev2_w_ts(w, IKEV2_PL_TSI, &all);
	ikev2_w_ts(w, IKEV2_PL_TSR, &all);
}

struct psk_arg {
	const char *secret;
	uint32_t spi;
	bool initial_contact;
};

static void fill_psk_auth(struct ini *I, struct ikev2_wr *w, void *arg)
{
	struct psk_arg *a = arg;
	uint8_t auth[20];
	ikev2_w_id(w, IKEV2_PL_IDI, I->idi_body[0], I->idi_body + 4, I->idi_len - 4);
	if (a->initial_contact)
		ikev2_w_notify(w, 0, NULL, 0, IKEV2_N_INITIAL_CONTACT, NULL, 0);
	psk_auth(I, (const uint8_t *)a->secret, strlen(a->secret), auth);
	ikev2_w_auth(w, IKEV2_AUTH_PSK, auth, sizeof(auth));
	child_payloads(w, a->spi);
}

static struct ike_sa *sa_of(const struct ini *I)
{
	return ike_sa_find_local(I->spi_r);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Full PSK connection; returns the parsed IKE_AUTH reply in *m. */
static int connect_psk(struct ini *I, struct ikev2_msg *m, struct buf *plain)
{
	if (connect_init(I) < 0)
		return -1;
	set_idi(I, IKEV2_ID_KEY_ID, "PSKG");
	struct psk_arg a = { "client-secret", 0xc1c1c1c1, false };
	send_request(I, IKEV2_IKE_AUTH, fill_psk_auth, &a);
	return open_reply(I, m, plain);
}

/* ---- tests ------------------------------------------------------------------------------ */

static void sa_init_answers_and_repeats_the_same_reply_for_a_retransmission(void)
{
	struct ini I;
	ini_init(&I, 2, 500);
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	send_init(&I, 192, 2, NULL, 0);
	T_EQ_INT(R.n_sent, 1);
	T_EQ_INT(finish_init(&I, m), 0);
	T_CHECK(I.spi_r != 0);
	T_CHECK(m->present & IKEV2_BIT(IKEV2_PL_SA));
	T_EQ_INT(m->sa.n, 1);
	T_EQ_INT(m->sa.p[0].t[0].key_bits, 192);
	T_CHECK(ikev2_msg_notify(m, IKEV2_N_NAT_DETECTION_SOURCE_IP) != NULL);
	T_CHECK(ikev2_msg_notify(m, IKEV2_N_NAT_DETECTION_DESTINATION_IP) != NULL);
	T_CHECK(I.frag);
	T_CHECK(ikev2_msg_notify(m, IKEV2_N_SIGNATURE_HASH_ALGORITHMS) != NULL);
	struct ike_sa *sa = sa_of(&I);
	T_CHECK(sa && sa->state == IKE_STATE_INIT_DONE);
	T_CHECK(sa && !sa->nat_remote && !sa->nat_local);
	/* the same request again: byte-identical reply, no second SA */
	deliver(&I, I.req1.data, I.req1.len);
	T_EQ_INT(R.n_sent, 1);
	T_CHECK(R.sent[0].len == I.resp1.len && memcmp(R.sent[0].data, I.resp1.data, I.resp1.len) == 0);
	T_EQ_INT(ike_sa_count(IKE_V2), 1);
	ikev2_clear(R.v2, 0, "test");
	T_EQ_INT(ike_sa_count(IKE_V2), 0);
	free(m);
	ini_free(&I);
}

static void sa_init_refusals_carry_no_proposal_and_our_ke_group(void)
{
	struct ini I;
	ini_init(&I, 3, 500);
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct ikev2_parse_err err;
	/* AES-128 is not in policy 10 */
	send_init(&I, 128, 2, NULL, 0);
	T_EQ_INT(R.n_sent, 1);
	T_EQ_INT(ikev2_parse_message(R.sent[0].data, R.sent[0].len, m, &err), 0);
	T_CHECK(ikev2_msg_notify(m, IKEV2_N_NO_PROPOSAL_CHOSEN) != NULL);
	T_EQ_INT(m->hdr.spi_r, 0);
	/* KE for group 14 while policy 10 only has group 2 */
	send_init(&I, 192, 14, NULL, 0);
	T_EQ_INT(R.n_sent, 1);
	T_EQ_INT(ikev2_parse_message(R.sent[0].data, R.sent[0].len, m, &err), 0);
	const struct ikev2_notify *n = ikev2_msg_notify(m, IKEV2_N_INVALID_KE_PAYLOAD);
	T_CHECK(n && n->data.len == 2 && n->data.data[0] == 0 && n->data.data[1] == 2);
	T_EQ_INT(ike_sa_count(IKE_V2), 0);        /* no state for refusals */
	free(m);
	ini_free(&I);
}

static void psk_connection_gets_address_child_and_verifiable_auth(void)
{
	struct ini I;
	ini_init(&I, 4, 500);
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct buf plain;
	buf_init(&plain);
	T_EQ_INT(connect_psk(&I, m, &plain), 0);
	T_CHECK(m->present & IKEV2_BIT(IKEV2_PL_AUTH));
	T_CHECK(responder_auth_ok(&I, m, (const uint8_t *)"gw-secret", 9, &m->idr.body));
	T_EQ_INT(m->cp.type, IKEV2_CFG_REPLY);
	uint32_t addr = 0, dns = 0;
	for (unsigned i = 0; i < m->cp.n; i++) {
		if (m->cp.a[i].type == IKEV2_CA_INTERNAL_IP4_ADDRESS && m->cp.a[i].value.len == 4)
			addr = be32(m->cp.a[i].value.data);
		if (m->cp.a[i].type == IKEV2_CA_INTERNAL_IP4_DNS && m->cp.a[i].value.len == 4)
			dns = be32(m->cp.a[i].value.data);
	}
	T_EQ_INT(addr, 0x0a020201);
	T_EQ_INT(dns, 0x0a010035);
	T_EQ_INT(m->sa.n, 1);
	T_EQ_INT(m->sa.p[0].protocol, IKEV2_PROTO_ESP);
	T_EQ_INT(m->tsi.n, 1);
	T_EQ_INT(be32(m->tsi.ts[0].start), 0x0a020201);
	T_EQ_INT(be32(m->tsi.ts[0].end), 0x0a020201);
	struct ike_sa *sa = sa_of(&I);
	T_CHECK(sa && sa->state == IKE_STATE_ESTABLISHED);
	if (sa) {
		T_EQ_STR(sa->tunnel_group, "PSKG");
		T_EQ_STR(sa->group_policy, "GP");
		T_EQ_INT(sa->assigned_addr, 0x0a020201);
		T_CHECK(sa->children && sa->children->spi_out == 0xc1c1c1c1);
		T_CHECK(sa->children && sa->children->installed && sa->children->priv);
		T_EQ_INT(sa->children ? sa->children->lifetime_sec : 0, 28800);
		T_EQ_INT(sa->children ? sa->children->spi_in : 0, be32(m->sa.p[0].spi));
		T_EQ_INT(sa->dpd_interval, 10);
	}
	T_CHECK(pool_is_leased(R.pools, 0x0a020201));
	/* the IKE_AUTH request again: the stored reply, nothing renegotiated */
	struct buf b;
	buf_init(&b);
	struct psk_arg a = { "client-secret", 0xc1c1c1c1, false };
	build_request(&I, IKEV2_IKE_AUTH, 1, fill_psk_auth, &a, &b);
	size_t first_len = R.sent[0].len;
	deliver(&I, b.data, b.len);
	T_EQ_INT(R.n_sent, 1);
	T_EQ_INT(R.sent[0].len, first_len);
	T_EQ_INT(ike_sa_count(IKE_V2), 1);
	buf_free(&b);
	/* an administrative clear sends our DELETE and waits for the answer */
	R.n_sent = 0;
	T_EQ_INT(ikev2_clear(R.v2, 0, "test"), 1);
	T_EQ_INT(R.n_sent, 1);
	T_CHECK(sa_of(&I) && sa_of(&I)->state == IKE_STATE_DELETING);
	reset();
	T_EQ_INT(pool_set_total_leased(R.pools), 0);
	free(m);
	buf_free(&plain);
	ini_free(&I);
}

static void fill_delete_ike(struct ini *I, struct ikev2_wr *w, void *arg)
{
	(void)I;
	(void)arg;
	ikev2_w_delete(w, IKEV2_PROTO_IKE, 0, NULL, 0);
}

static void fill_nothing(struct ini *I, struct ikev2_wr *w, void *arg)
{
	(void)I;
	(void)w;
	(void)arg;
}

static void fill_delete_child(struct ini *I, struct ikev2_wr *w, void *arg)
{
	(void)I;
	uint8_t spi[4] = { 0xc1, 0xc1, 0xc1, 0xc1 };
	(void)arg;
	ikev2_w_delete(w, IKEV2_PROTO_ESP, 4, spi, 1);
}

static void informational_liveness_child_delete_and_ike_delete_free_everything(void)
{
	struct ini I;
	ini_init(&I, 5, 500);
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct buf plain;
	buf_init(&plain);
	T_EQ_INT(connect_psk(&I, m, &plain), 0);
	struct ike_sa *sa = sa_of(&I);
	uint32_t our_spi = sa && sa->children ? sa->children->spi_in : 0;
	/* liveness: empty request, empty answer */
	send_request(&I, IKEV2_INFORMATIONAL, fill_nothing, NULL);
	T_EQ_INT(open_reply(&I, m, &plain), 0);
	T_EQ_INT(m->n_order, 0);
	/* DELETE of the CHILD SA: answered with our SPI */
	send_request(&I, IKEV2_INFORMATIONAL, fill_delete_child, NULL);
	T_EQ_INT(open_reply(&I, m, &plain), 0);
	T_EQ_INT(m->n_delete, 1);
	T_EQ_INT(m->del[0].protocol, IKEV2_PROTO_ESP);
	T_EQ_INT(m->del[0].spis.len == 4 ? be32(m->del[0].spis.data) : 0, our_spi);
	T_CHECK(sa_of(&I) && sa_of(&I)->children == NULL);
	T_EQ_INT(ike_child_spi_owner(our_spi), 0);
	/* DELETE of the IKE SA: empty answer, SA and lease gone */
	send_request(&I, IKEV2_INFORMATIONAL, fill_delete_ike, NULL);
	T_EQ_INT(open_reply(&I, m, &plain), 0);
	T_CHECK(sa_of(&I) == NULL);
	T_CHECK(!pool_is_leased(R.pools, 0x0a020201));
	free(m);
	buf_free(&plain);
	ini_free(&I);
}

static void wrong_psk_fails_with_authentication_failed_and_leaves_nothing(void)
{
	struct ini I;
	ini_init(&I, 6, 500);
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct buf plain;
	buf_init(&plain);
	T_EQ_INT(connect_init(&I), 0);
	set_idi(&I, IKEV2_ID_KEY_ID, "PSKG");
	struct psk_arg a = { "not-the-secret", 1, false };
	send_request(&I, IKEV2_IKE_AUTH, fill_psk_auth, &a);
	T_EQ_INT(open_reply(&I, m, &plain), 0);
	T_CHECK(ikev2_msg_notify(m, IKEV2_N_AUTHENTICATION_FAILED) != NULL);
	T_CHECK(!(m->present & IKEV2_BIT(IKEV2_PL_AUTH)));
	T_CHECK(sa_of(&I) == NULL);
	T_EQ_INT(pool_set_total_leased(R.pools), 0);
	/* an unknown group (no DefaultRAGroup configured) fails the same way */
	ini_free(&I);
	ini_init(&I, 6, 501);
	T_EQ_INT(connect_init(&I), 0);
	set_idi(&I, IKEV2_ID_KEY_ID, "NOSUCHGROUP");
	struct psk_arg b = { "client-secret", 1, false };
	send_request(&I, IKEV2_IKE_AUTH, fill_psk_auth, &b);
	T_EQ_INT(open_reply(&I, m, &plain), 0);
	T_CHECK(ikev2_msg_notify(m, IKEV2_N_AUTHENTICATION_FAILED) != NULL);
	T_CHECK(sa_of(&I) == NULL);
	free(m);
	buf_free(&plain);
	ini_free(&I);
}

static void pool_exhaustion_answers_internal_address_failure_without_child(void)
{
	struct ini I[3];
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct buf plain;
	buf_init(&plain);
	for (int i = 0; i < 3; i++) {
		ini_init(&I[i], (uint8_t)(10 + i), 500);
		T_EQ_INT(connect_psk(&I[i], m, &plain), 0);
	}
	/* the pool has two addresses: the third connection gets none */
	T_CHECK(ikev2_msg_notify(m, IKEV2_N_INTERNAL_ADDRESS_FAILURE) != NULL);
	T_CHECK(!(m->present & IKEV2_BIT(IKEV2_PL_SA)));
	T_CHECK(m->present & IKEV2_BIT(IKEV2_PL_AUTH));
	struct ike_sa *sa = sa_of(&I[2]);
	T_CHECK(sa && sa->children == NULL && sa->assigned_addr == 0);
	T_EQ_INT(pool_set_total_leased(R.pools), 2);
	for (int i = 0; i < 3; i++) {
		send_request(&I[i], IKEV2_INFORMATIONAL, fill_delete_ike, NULL);
		ini_free(&I[i]);
	}
	T_EQ_INT(pool_set_total_leased(R.pools), 0);
	T_EQ_INT(ike_sa_count(IKE_V2), 0);
	free(m);
	buf_free(&plain);
}

static void initial_contact_with_group_psk_only_replaces_the_same_peer(void)
{
	struct ini A, B, C;
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct buf plain;
	buf_init(&plain);
	struct psk_arg a = { "client-secret", 0xc1c1c1c1, true };
	ini_init(&A, 90, 500);
	ini_init(&B, 91, 500);
	ini_init(&C, 90, 4600);            /* A again (same address), after a restart */
	T_EQ_INT(connect_init(&A), 0);
	set_idi(&A, IKEV2_ID_KEY_ID, "PSKG");
	send_request(&A, IKEV2_IKE_AUTH, fill_psk_auth, &a);
	T_EQ_INT(connect_init(&B), 0);
	set_idi(&B, IKEV2_ID_KEY_ID, "PSKG");
	send_request(&B, IKEV2_IKE_AUTH, fill_psk_auth, &a);
	/* same identity keyid:PSKG, other address: both stay */
	T_CHECK(sa_of(&A) && sa_of(&A)->state == IKE_STATE_ESTABLISHED);
	T_CHECK(sa_of(&B) && sa_of(&B)->state == IKE_STATE_ESTABLISHED);
	T_EQ_INT(connect_init(&C), 0);
	set_idi(&C, IKEV2_ID_KEY_ID, "PSKG");
	send_request(&C, IKEV2_IKE_AUTH, fill_psk_auth, &a);
	T_EQ_INT(open_reply(&C, m, &plain), 0);
	T_CHECK(m->present & IKEV2_BIT(IKEV2_PL_CP));    /* A's address was freed for C */
	T_CHECK(sa_of(&A) == NULL);
	T_CHECK(sa_of(&B) != NULL && sa_of(&C) != NULL);
	reset();
	free(m);
	buf_free(&plain);
	ini_free(&A);
	ini_free(&B);
	ini_free(&C);
}

/* ---- EAP-MD5 through MSCHAPv2's NAK, with our certificate and fragments -------------- */

struct eap_arg {
	uint8_t pkt[64];
	size_t len;
};

static void fill_eap(struct ini *I, struct ikev2_wr *w, void *arg)
{
	(void)I;
	struct eap_arg *a = arg;
	ikev2_w_eap(w, a->pkt, a->len);
}

static void fill_eap_start(struct ini *I, struct ikev2_wr *w, void *arg)
{
	(void)arg;
	ikev2_w_id(w, IKEV2_PL_IDI, I->idi_body[0], I->idi_body + 4, I->idi_len - 4);
	child_payloads(w, 0xc2c2c2c2);
}

static void fill_final_auth(struct ini *I, struct ikev2_wr *w, void *arg)
{
	(void)arg;
	uint8_t auth[20];
	psk_auth(I, I->km.sk_pi, 20, auth);     /* EAP-MD5 has no MSK: SK_pi (§2.16) */
	ikev2_w_auth(w, IKEV2_AUTH_PSK, auth, sizeof(auth));
}

static void eap_md5_via_nak_with_certificate_reply_in_fragments(void)
{
	struct ini I;
	ini_init(&I, 20, 500);
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct buf plain;
	buf_init(&plain);
	T_EQ_INT(connect_init(&I), 0);
	set_idi(&I, IKEV2_ID_KEY_ID, "EAPG");
	send_request(&I, IKEV2_IKE_AUTH, fill_eap_start, NULL);
	/* IDr, CERT, AUTH (RFC 7427, SHA-256 announced), EAP: over 1280 bytes, so SKF */
	T_CHECK(R.n_sent >= 2);
	for (size_t i = 0; i < R.n_sent; i++)
		T_CHECK(R.sent[i].len + 28 <= IKE_FRAG_DATAGRAM);
	T_EQ_INT(open_reply(&I, m, &plain), 0);
	T_CHECK(m->present & IKEV2_BIT(IKEV2_PL_CERT));
	T_EQ_INT(m->auth.method, IKEV2_AUTH_DIGITAL_SIGNATURE);
	T_EQ_INT(m->idr.type, IKEV2_ID_DER_ASN1_DN);
	/* verify the responder's signature with the certificate it sent */
	struct crypto_cert *cert = crypto_cert_from_der(m->cert[0].data.data, m->cert[0].data.len);
	uint8_t mac[20];
	struct buf oct;
	buf_init(&oct);
	T_CHECK(crypto_prf(I.km.prf, I.km.sk_pr, 20, m->idr.body.data, m->idr.body.len, NULL, 0,
			   NULL, 0, NULL, 0, mac) == 0);
	buf_put(&oct, I.resp1.data, I.resp1.len);
	buf_put(&oct, I.ni, sizeof(I.ni));
	buf_put(&oct, mac, 20);
	const uint8_t *ad = m->auth.data.data;
	enum crypto_sig s;
	T_CHECK(cert && m->auth.data.len > 1u + ad[0]);
	T_CHECK(crypto_sig_from_algid(ad + 1, ad[0], &s) == 0 && s == SIG_RSA_PKCS1_SHA256);
	T_CHECK(crypto_verify(cert, s, oct.data, oct.len, ad + 1 + ad[0],
			      m->auth.data.len - 1 - ad[0]) == 0);
	crypto_cert_free(cert);
	buf_free(&oct);
	/* EAP: Identity request -> "Anu" */
	T_CHECK(m->eap.len >= 5 && m->eap.data[0] == 1 && m->eap.data[4] == 1);
	struct eap_arg e = { { 2, m->eap.data[1], 0, 8, 1, 'A', 'n', 'u' }, 8 };
	send_request(&I, IKEV2_IKE_AUTH, fill_eap, &e);
	T_EQ_INT(open_reply(&I, m, &plain), 0);
	/* MSCHAPv2 (or MD5 without the legacy provider) offered first: NAK to MD5 */
	T_CHECK(m->eap.len >= 5 && m->eap.data[0] == 1);
	if (m->eap.len >= 5 && m->eap.data[4] != 4) {
		struct eap_arg nak = { { 2, m->eap.data[1], 0, 6, 3, 4 }, 6 };
		send_request(&I, IKEV2_IKE_AUTH, fill_eap, &nak);
		T_EQ_INT(open_reply(&I, m, &plain), 0);
	}
	T_CHECK(m->eap.len >= 22 && m->eap.data[4] == 4 && m->eap.data[5] == 16);
	if (m->eap.len < 22)
		goto out;
	struct eap_arg md5 = { { 2, m->eap.data[1], 0, 22, 4, 16 }, 22 };
	T_CHECK(crypto_hash(HASH_MD5, &m->eap.data[1], 1, (const uint8_t *)"Anu-pass", 8,
			    m->eap.data + 6, 16, md5.pkt + 6) == 0);
	send_request(&I, IKEV2_IKE_AUTH, fill_eap, &md5);
	T_EQ_INT(open_reply(&I, m, &plain), 0);
	T_CHECK(m->eap.len == 4 && m->eap.data[0] == 3);        /* EAP-Success */
	T_CHECK(sa_of(&I) && sa_of(&I)->state == IKE_STATE_AUTH_FINAL);
	/* final AUTH with SK_pi; the answer's AUTH is made with SK_pr */
	send_request(&I, IKEV2_IKE_AUTH, fill_final_auth, NULL);
	T_EQ_INT(open_reply(&I, m, &plain), 0);
	T_CHECK(m->present & IKEV2_BIT(IKEV2_PL_SA));
	struct ike_sa *sa = sa_of(&I);
	T_CHECK(sa && sa->state == IKE_STATE_ESTABLISHED);
	if (sa) {
		T_EQ_STR(sa->username, "Anu");
		T_EQ_STR(sa->tunnel_group, "EAPG");
		T_EQ_INT(sa->auth_verify, IKE_AUTHK_EAP);
		T_EQ_INT(sa->auth_sign, IKE_AUTHK_RSA);
	}
	send_request(&I, IKEV2_INFORMATIONAL, fill_delete_ike, NULL);
out:
	T_CHECK(sa_of(&I) == NULL);
	free(m);
	buf_free(&plain);
	ini_free(&I);
}

/* ---- CREATE_CHILD_SA ------------------------------------------------------------------------ */

struct rekey_arg {
	bool ike;
	uint64_t new_spi_i;
	uint8_t ni[32];
	struct crypto_dh *dh;
};

static void fill_rekey(struct ini *I, struct ikev2_wr *w, void *arg)
{
	struct rekey_arg *a = arg;
	uint8_t pub[CRYPTO_MAX_DH_PUB];
	if (a->ike) {
		struct ikev2_proposal p = { .num = 1, .protocol = IKEV2_PROTO_IKE, .spi_size = 8,
					    .n_transforms = 4 };
		for (int i = 0; i < 8; i++)
			p.spi[i] = (uint8_t)(a->new_spi_i >> (56 - 8 * i));
		p.t[0] = (struct ikev2_transform){ IKEV2_TRANS_ENCR, 12, 192, false };
		p.t[1] = (struct ikev2_transform){ IKEV2_TRANS_PRF, 2, 0, false };
		p.t[2] = (struct ikev2_transform){ IKEV2_TRANS_INTEG, 2, 0, false };
		p.t[3] = (struct ikev2_transform){ IKEV2_TRANS_DH, 2, 0, false };
		ikev2_w_sa(w, &p, 1);
		ikev2_w_nonce(w, a->ni, sizeof(a->ni));
		T_CHECK(crypto_dh_public(a->dh, pub) == 0);
		ikev2_w_ke(w, 2, pub, I->g->pub_len);
		return;
	}
	uint8_t spi[4] = { 0xc1, 0xc1, 0xc1, 0xc1 };
	ikev2_w_notify(w, IKEV2_PROTO_ESP, spi, 4, IKEV2_N_REKEY_SA, NULL, 0);
	struct ikev2_proposal p = { .num = 1, .protocol = IKEV2_PROTO_ESP, .spi_size = 4,
				    .n_transforms = 2 };
	memset(p.spi, 0xc3, 4);
	p.t[0] = (struct ikev2_transform){ IKEV2_TRANS_ENCR, 12, 128, false };
	p.t[1] = (struct ikev2_transform){ IKEV2_TRANS_INTEG, 2, 0, false };
	ikev2_w_sa(w, &p, 1);
	ikev2_w_nonce(w, a->ni, sizeof(a->ni));
	struct ikev2_ts_list all = { .n = 1 };
	all.ts[0].type = IKEV2_TS_IPV4_ADDR_RANGE;
	all.ts[0].end_port = 65535;
	memset(all.ts[0].end, 0xff, 4);
	ikev2_w_ts(w, IKEV2_PL_TSI, &all);
	ikev2_w_ts(w, IKEV2_PL_TSR, &all);
}

static void rekeys_of_child_and_ike_sa_move_state_to_the_new_sa(void)
{
	struct ini I;
	ini_init(&I, 30, 500);
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct buf plain;
	buf_init(&plain);
	T_EQ_INT(connect_psk(&I, m, &plain), 0);
	/* CHILD SA rekey (REKEY_SA, AES-128 this time) */
	struct rekey_arg a = { .ike = false };
	T_CHECK(crypto_random(a.ni, sizeof(a.ni)) == 0);
	send_request(&I, IKEV2_CREATE_CHILD_SA, fill_rekey, &a);
	T_EQ_INT(open_reply(&I, m, &plain), 0);
	T_CHECK((m->present & IKEV2_BIT(IKEV2_PL_SA)) && (m->present & IKEV2_BIT(IKEV2_PL_NONCE)));
	T_EQ_INT(m->sa.p[0].t[0].key_bits, 128);
	struct ike_sa *sa = sa_of(&I);
	T_CHECK(sa && sa->children && sa->children->rekeyed && sa->children->next &&
		sa->children->next->spi_out == 0xc3c3c3c3);
	/* IKE SA rekey: new SPIs, children and lease move */
	struct rekey_arg b = { .ike = true, .dh = crypto_dh_new(I.g) };
	T_CHECK(crypto_random(&b.new_spi_i, 8) == 0 && crypto_random(b.ni, sizeof(b.ni)) == 0);
	send_request(&I, IKEV2_CREATE_CHILD_SA, fill_rekey, &b);
	T_EQ_INT(open_reply(&I, m, &plain), 0);
	T_EQ_INT(m->sa.n, 1);
	T_EQ_INT(m->sa.p[0].spi_size, 8);
	uint64_t new_spi_r = (uint64_t)be32(m->sa.p[0].spi) << 32 | be32(m->sa.p[0].spi + 4);
	struct ike_sa *ns = ike_sa_find_local(new_spi_r);
	T_CHECK(sa_of(&I) && sa_of(&I)->state == IKE_STATE_REKEYED);
	T_CHECK(ns && ns->state == IKE_STATE_ESTABLISHED && ns->spi_i == b.new_spi_i);
	T_CHECK(ns && ns->children && ns->children->next && !sa_of(&I)->children);
	T_CHECK(ns && ns->lease_held && !sa_of(&I)->lease_held);
	T_EQ_INT(ns ? ike_child_spi_owner(ns->children->spi_in) : 0, ns ? ns->serial : 1);
	/* the new keys, computed here, open what the new SA sends */
	uint8_t gir[CRYPTO_MAX_DH_PUB];
	size_t gir_len = sizeof(gir);
	T_CHECK(crypto_dh_shared(b.dh, m->ke.data.data, m->ke.data.len, gir, &gir_len) == 0);
	struct ini J = I;
	J.km = (struct ike_keymat){ .prf = I.km.prf, .encr = I.km.encr, .integ = I.km.integ };
	T_EQ_INT(ike_keys_derive_rekey(&J.km, I.km.prf, I.km.sk_d, 20, gir, gir_len, b.ni, 32,
				       m->nonce.data, m->nonce.len, b.new_spi_i, new_spi_r), 0);
	T_EQ_INT(ike_sk_init(&J.sk, J.km.encr, J.km.integ, J.km.sk_er, J.km.sk_ar, J.km.sk_ei,
			     J.km.sk_ai), 0);
	J.spi_i = b.new_spi_i;
	J.spi_r = new_spi_r;
	J.next_id = 0;
	/* the old SA is deleted by the initiator: nothing of the session goes */
	send_request(&I, IKEV2_INFORMATIONAL, fill_delete_ike, NULL);
	T_EQ_INT(open_reply(&I, m, &plain), 0);
	T_CHECK(sa_of(&I) == NULL);
	T_CHECK(pool_is_leased(R.pools, ns ? ns->assigned_addr : 0));
	send_request(&J, IKEV2_INFORMATIONAL, fill_nothing, NULL);
	T_EQ_INT(open_reply(&J, m, &plain), 0);
	send_request(&J, IKEV2_INFORMATIONAL, fill_delete_ike, NULL);
	T_EQ_INT(open_reply(&J, m, &plain), 0);
	T_EQ_INT(ike_sa_count(IKE_V2), 0);
	T_EQ_INT(pool_set_total_leased(R.pools), 0);
	ike_sk_free(&J.sk);
	crypto_dh_free(b.dh);
	free(m);
	buf_free(&plain);
	ini_free(&I);
}

/* ---- cookies and hostile input ---------------------------------------------------------------- */

static void cookie_challenge_above_half_open_threshold(void)
{
	struct ini I[4];
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct ikev2_parse_err err;
	for (int i = 0; i < 3; i++) {          /* cookie-challenge 3: three half-open SAs */
		ini_init(&I[i], (uint8_t)(40 + i), 500);
		send_init(&I[i], 192, 2, NULL, 0);
		T_CHECK(R.n_sent == 1 && finish_init(&I[i], m) == 0);
	}
	T_EQ_INT(ikev2_half_open(R.v2), 3);
	ini_init(&I[3], 43, 500);
	send_init(&I[3], 192, 2, NULL, 0);
	T_EQ_INT(R.n_sent, 1);
	T_EQ_INT(ikev2_parse_message(R.sent[0].data, R.sent[0].len, m, &err), 0);
	const struct ikev2_notify *n = ikev2_msg_notify(m, IKEV2_N_COOKIE);
	T_CHECK(n != NULL && m->hdr.spi_r == 0);
	T_EQ_INT(ikev2_half_open(R.v2), 3);
	uint8_t cookie[64];
	size_t clen = n ? n->data.len : 0;
	if (n)
		memcpy(cookie, n->data.data, clen);
	/* a wrong cookie gets a fresh challenge, the right one an SA */
	cookie[5] ^= 1;
	send_init(&I[3], 192, 2, cookie, clen);
	T_EQ_INT(ikev2_parse_message(R.sent[0].data, R.sent[0].len, m, &err), 0);
	T_CHECK(ikev2_msg_notify(m, IKEV2_N_COOKIE) != NULL);
	cookie[5] ^= 1;
	send_init(&I[3], 192, 2, cookie, clen);
	T_CHECK(R.n_sent == 1 && finish_init(&I[3], m) == 0);
	T_EQ_INT(ikev2_half_open(R.v2), 4);
	ikev2_clear(R.v2, 0, "test");
	T_EQ_INT(ike_sa_count(IKE_V2), 0);
	T_EQ_INT(ikev2_half_open(R.v2), 0);
	for (int i = 0; i < 4; i++)
		ini_free(&I[i]);
	free(m);
}

static void hostile_bytes_are_dropped_without_a_reply(void)
{
	struct ini I;
	ini_init(&I, 50, 500);
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct buf plain, b;
	buf_init(&plain);
	buf_init(&b);
	T_EQ_INT(connect_psk(&I, m, &plain), 0);
	build_request(&I, IKEV2_INFORMATIONAL, I.next_id, fill_nothing, NULL, &b);
	/* every single-bit flip and every truncation is refused silently */
	for (size_t i = 0; i < b.len; i++) {
		b.data[i] ^= 0x10;
		deliver(&I, b.data, b.len);
		T_EQ_INT(R.n_sent, 0);
		b.data[i] ^= 0x10;
	}
	for (size_t n = 0; n < b.len; n++) {
		deliver(&I, b.data, n);
		T_EQ_INT(R.n_sent, 0);
	}
	/* random datagrams */
	uint8_t junk[600];
	for (int k = 0; k < 200; k++) {
		T_CHECK(crypto_random(junk, sizeof(junk)) == 0);
		size_t n = 28 + junk[0] * 2u;
		if (k % 2) {
			memcpy(junk, &b.data[0], 16);       /* right SPIs, garbage after */
			junk[17] = 0x20;
		}
		deliver(&I, junk, n);
		T_EQ_INT(R.n_sent, 0);
	}
	/* the SA is unharmed: the untouched request is answered */
	deliver(&I, b.data, b.len);
	T_EQ_INT(R.n_sent, 1);
	T_CHECK(sa_of(&I) && sa_of(&I)->state == IKE_STATE_ESTABLISHED);
	reset();
	buf_free(&b);
	buf_free(&plain);
	free(m);
	ini_free(&I);
}

/* ---- timers ---------------------------------------------------------------------------------- */

static void stop_loop(void *arg)
{
	loop_stop(arg);
}

static void dpd_sends_liveness_check_after_silence_and_answer_clears_it(void)
{
	struct ini I;
	ini_init(&I, 60, 500);
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct buf plain;
	buf_init(&plain);
	T_EQ_INT(connect_psk(&I, m, &plain), 0);
	struct ike_sa *sa = sa_of(&I);
	T_CHECK(sa != NULL);
	if (!sa)
		goto out;
	sa->dpd_interval = 1;        /* the SA's copy of `isakmp keepalive threshold` */
	sa->dpd_retry = 1;
	sa->last_rx_ms = loop_now_ms();
	R.n_sent = 0;
	/* nudge the timer to the new interval with a liveness request of the peer */
	send_request(&I, IKEV2_INFORMATIONAL, fill_nothing, NULL);
	R.n_sent = 0;
	loop_timer_add(R.loop, 1300, stop_loop, R.loop);
	loop_run(R.loop);
	T_EQ_INT(R.n_sent, 1);
	struct ikev2_msg *o = calloc(1, sizeof(*o));
	struct ikev2_parse_err err;
	T_EQ_INT(ikev2_parse_message(R.sent[0].data, R.sent[0].len, o, &err), 0);
	T_CHECK(!(o->hdr.flags & IKEV2_FLAG_RESPONSE) && o->hdr.exchange == IKEV2_INFORMATIONAL);
	T_EQ_INT(o->hdr.msg_id, 0);
	T_CHECK(sa->our_request_pending);
	/* answer it: a response with the same message ID, empty */
	struct ikev2_wr w;
	struct buf b;
	buf_init(&b);
	struct ikev2_hdr h = { .spi_i = I.spi_i, .spi_r = I.spi_r, .exchange = IKEV2_INFORMATIONAL,
			       .flags = IKEV2_FLAG_INITIATOR | IKEV2_FLAG_RESPONSE, .msg_id = 0 };
	ikev2_w_begin(&w, &b, &h);
	size_t sk_off = ikev2_w_sk_begin(&w, I.km.encr->iv_len);
	T_CHECK(ikev2_w_finish(&w));
	T_EQ_INT(ike_sk_seal(&I.sk, &b, 0, sk_off, IKE_SK_HDR), 0);
	deliver(&I, b.data, b.len);
	T_CHECK(!sa->our_request_pending);
	T_EQ_INT(sa->our_next_id, 1);
	buf_free(&b);
	free(o);
out:
	reset();
	free(m);
	buf_free(&plain);
	ini_free(&I);
}

/* ---- the data-plane hooks ------------------------------------------------------------------ */

static struct {
	int installs, uninstalls, moves;
	struct ike_child_params p;
	uint8_t ek_in[CRYPTO_MAX_KEY], ek_out[CRYPTO_MAX_KEY], ik_in[CRYPTO_MAX_KEY],
		ik_out[CRYPTO_MAX_KEY];
	uint32_t removed_in;
	uint64_t moved_owner;
	struct sockaddr_in moved_to;
} H;

static int hook_install(void *arg, const struct ike_child_params *p)
{
	(void)arg;
	H.installs++;
	H.p = *p;
	memcpy(H.ek_in, p->in.encr_key, p->encr->key_len);
	memcpy(H.ek_out, p->out.encr_key, p->encr->key_len);
	if (p->integ) {
		memcpy(H.ik_in, p->in.integ_key, p->integ->key_len);
		memcpy(H.ik_out, p->out.integ_key, p->integ->key_len);
	}
	return 0;
}

static void hook_uninstall(void *arg, uint32_t spi_in, uint32_t spi_out)
{
	(void)arg;
	(void)spi_out;
	H.uninstalls++;
	H.removed_in = spi_in;
}

static void hook_peer(void *arg, uint64_t owner, const struct sockaddr_in *peer, bool encap)
{
	(void)arg;
	(void)encap;
	H.moves++;
	H.moved_owner = owner;
	H.moved_to = *peer;
}

static void data_plane_hooks_get_directional_keymat_moves_and_expiry(void)
{
	memset(&H, 0, sizeof(H));
	ike_set_child_hooks(hook_install, hook_uninstall, NULL);
	ike_set_child_peer_hook(hook_peer);
	struct ini I;
	ini_init(&I, 70, 500);
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct buf plain;
	buf_init(&plain);
	T_EQ_INT(connect_psk(&I, m, &plain), 0);
	struct ike_sa *sa = sa_of(&I);
	T_EQ_INT(H.installs, 1);
	T_CHECK(sa != NULL);
	if (!sa)
		goto out;
	T_EQ_INT(H.p.in.spi, sa->children->spi_in);
	T_EQ_INT(H.p.out.spi, 0xc1c1c1c1);
	T_EQ_INT(H.p.owner, ike_session_owner(sa));
	T_EQ_INT(H.p.assigned_addr, sa->assigned_addr);
	T_CHECK(sa->assigned_addr == 0x0a020201 || sa->assigned_addr == 0x0a020202);
	T_EQ_INT(H.p.encr->key_bits, 256);
	T_EQ_INT(H.p.lifetime_sec, 28800);
	T_CHECK(!H.p.udp_encap);
	/* KEYMAT = prf+(SK_d, Ni | Nr): initiator->responder keys are what we decrypt */
	struct ike_child_keys want;
	T_EQ_INT(ike_child_keymat(I.km.prf, I.km.sk_d, 20, NULL, 0, I.ni, sizeof(I.ni), I.nr,
				  I.nr_len, 32, 20, &want), 0);
	T_EQ_MEM(H.ek_in, want.encr_i, 32);
	T_EQ_MEM(H.ik_in, want.integ_i, 20);
	T_EQ_MEM(H.ek_out, want.encr_r, 32);
	T_EQ_MEM(H.ik_out, want.integ_r, 20);
	/* the peer shows up from another port (NAT rebinding) */
	I.me.sin_port = htons(4501);
	send_request(&I, IKEV2_INFORMATIONAL, fill_nothing, NULL);
	T_EQ_INT(H.moves, 1);
	T_EQ_INT(ntohs(H.moved_to.sin_port), 4501);
	T_EQ_INT(H.moved_owner, ike_session_owner(sa));
	/* the data plane reports the hard lifetime: the CHILD SA goes, the peer is told */
	uint32_t spi_in = sa->children->spi_in;
	R.n_sent = 0;
	ike_child_expired(spi_in, false);          /* soft: nothing happens */
	T_EQ_INT(R.n_sent, 0);
	ike_child_expired(spi_in, true);
	T_EQ_INT(R.n_sent, 1);
	T_CHECK(sa->children == NULL);
	T_EQ_INT(H.uninstalls, 1);
	T_EQ_INT(H.removed_in, spi_in);
	struct ikev2_msg *o = calloc(1, sizeof(*o));
	struct ikev2_parse_err err;
	struct buf pl;
	buf_init(&pl);
	T_EQ_INT(ikev2_parse_message(R.sent[0].data, R.sent[0].len, o, &err), 0);
	T_CHECK(!(o->hdr.flags & IKEV2_FLAG_RESPONSE));
	T_EQ_INT(ike_sk_open(&I.sk, R.sent[0].data, R.sent[0].len, o->sk.hdr_off, IKE_SK_HDR, &pl), 0);
	T_EQ_INT(ikev2_parse_chain(o->sk.inner_first, pl.data, pl.len, o, &err), 0);
	T_EQ_INT(o->n_delete, 1);
	T_EQ_INT(o->del[0].spis.len == 4 ? be32(o->del[0].spis.data) : 0, spi_in);
	buf_free(&pl);
	free(o);
out:
	reset();
	ike_set_child_hooks(NULL, NULL, NULL);
	ike_set_child_peer_hook(NULL);
	free(m);
	buf_free(&plain);
	ini_free(&I);
}

/* ---- jobs on worker threads -------------------------------------------------------------- */

static void stop_cb(void *arg)
{
	loop_stop(arg);
}

/* Run the loop until the engine sends something (or ms pass). */
static void wait_for_reply(unsigned ms)
{
	R.stop_on_send = true;
	struct loop_timer *t = loop_timer_add(R.loop, ms, stop_cb, R.loop);
	loop_run(R.loop);
	R.stop_on_send = false;
	if (R.n_sent)
		loop_timer_cancel(R.loop, t);
	/* fragments of one reply leave together: they are all captured by now */
}

static void worker_threads_compute_dh_and_signature_off_the_loop(void)
{
	T_EQ_INT(ikev2_set_workers(R.v2, 2), 0);
	struct ini I;
	ini_init(&I, 80, 500);
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct buf plain, b;
	buf_init(&plain);
	buf_init(&b);
	send_init(&I, 192, 2, NULL, 0);
	T_EQ_INT(R.n_sent, 0);                  /* DH runs on a worker */
	deliver(&I, I.req1.data, I.req1.len);   /* a retransmission meanwhile: ignored */
	T_EQ_INT(R.n_sent, 0);
	T_EQ_INT(ike_sa_count(IKE_V2), 1);
	wait_for_reply(5000);
	T_EQ_INT(finish_init(&I, m), 0);
	set_idi(&I, IKEV2_ID_KEY_ID, "EAPG");
	send_request(&I, IKEV2_IKE_AUTH, fill_eap_start, NULL);
	T_EQ_INT(R.n_sent, 0);                  /* the RSA signature runs on a worker */
	build_request(&I, IKEV2_IKE_AUTH, 1, fill_eap_start, NULL, &b);
	deliver(&I, b.data, b.len);             /* retransmitted while the job runs */
	T_EQ_INT(R.n_sent, 0);
	wait_for_reply(5000);
	T_CHECK(R.n_sent >= 2);
	T_EQ_INT(open_reply(&I, m, &plain), 0);
	T_CHECK((m->present & IKEV2_BIT(IKEV2_PL_CERT)) && (m->present & IKEV2_BIT(IKEV2_PL_EAP)));
	T_EQ_INT(m->auth.method, IKEV2_AUTH_DIGITAL_SIGNATURE);
	T_CHECK(sa_of(&I) && sa_of(&I)->state == IKE_STATE_AUTH_EAP);
	/* an SA deleted while its job runs: the result finds nobody, nothing leaks */
	struct ini J;
	ini_init(&J, 81, 500);
	send_init(&J, 192, 2, NULL, 0);
	T_EQ_INT(ikev2_clear(R.v2, 0, "test"), 2);
	wait_for_reply(300);                    /* J's job ends; nothing is sent */
	T_EQ_INT(R.n_sent, 0);
	T_EQ_INT(ike_sa_count(IKE_V2), 0);
	T_EQ_INT(ikev2_set_workers(R.v2, 0), 0);
	reset();
	buf_free(&b);
	buf_free(&plain);
	free(m);
	ini_free(&I);
	ini_free(&J);
}

int main(void)
{
	if (crypto_init() < 0 || crypto_enable_legacy() < 0)
		fprintf(stderr, "note: crypto init incomplete\n");
	log_set_stderr(getenv("IKE_TEST_VERBOSE") != NULL);
	if (getenv("IKE_TEST_VERBOSE"))
		log_set_debug(LOG_IKEV2, 255);
	if (responder_start() < 0) {
		fprintf(stderr, "cannot start the responder\n");
		return 1;
	}
	T_RUN(sa_init_answers_and_repeats_the_same_reply_for_a_retransmission);
	T_RUN(sa_init_refusals_carry_no_proposal_and_our_ke_group);
	T_RUN(psk_connection_gets_address_child_and_verifiable_auth);
	T_RUN(informational_liveness_child_delete_and_ike_delete_free_everything);
	T_RUN(wrong_psk_fails_with_authentication_failed_and_leaves_nothing);
	T_RUN(pool_exhaustion_answers_internal_address_failure_without_child);
	T_RUN(initial_contact_with_group_psk_only_replaces_the_same_peer);
	T_RUN(eap_md5_via_nak_with_certificate_reply_in_fragments);
	T_RUN(rekeys_of_child_and_ike_sa_move_state_to_the_new_sa);
	T_RUN(cookie_challenge_above_half_open_threshold);
	T_RUN(hostile_bytes_are_dropped_without_a_reply);
	T_RUN(dpd_sends_liveness_check_after_silence_and_answer_clears_it);
	T_RUN(data_plane_hooks_get_directional_keymat_moves_and_expiry);
	T_RUN(worker_threads_compute_dh_and_signature_off_the_loop);
	responder_stop();
	T_DONE();
}
