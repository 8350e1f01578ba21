/* IKEv1 initiator after phase 1: XAUTH answers, Mode Config (pull, or a
 * pushed SET acknowledged), Quick Mode (and its rekey), Informational
 * (DPD both ways, DELETE). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "base/loop.h"
#include "base/mem.h"
#include "client/ini1_int.h"

#define INI1_NO_XAUTH_WAIT_MS 2000u   /* no XAUTH request by then: pull Mode Config */
#define INI1_DPD_RETRY_MS 5000u
#define INI1_DPD_MISSES 5u
#define INI1_OLD_CHILD_MS 2000u       /* keep the replaced IPsec SA this long after a rekey */
#define APP_VERSION "ravpn-connect (Cisco Systems VPN Client compatible)"

static void cookies(const struct ini1 *s, uint8_t out[16])
{
	for (int i = 0; i < 8; i++) {
		out[i] = (uint8_t)(s->cky_i >> (56 - 8 * i));
		out[8 + i] = (uint8_t)(s->cky_r >> (56 - 8 * i));
	}
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- Transaction ------------------------------------------------------------ */

static void fill_cfg(struct ini1 *s, struct ikev1_wr *w, const void *arg)
{
	(void)s;
	ikev1_w_cfg(w, arg);
}

/* Answer within the gateway's exchange (IV chained from its message). */
static void answer(struct ini1 *s, uint32_t msg_id, const uint8_t *iv_next,
		   const struct ikev1_cfg *cfg)
{
	uint8_t iv[V1_MAX_BLOCK];
	memcpy(iv, iv_next, sizeof(iv));
	if (ini1_build(s, &s->last_reply, IKEV1_X_TRANSACTION, msg_id, iv, NULL, 0, fill_cfg,
		       cfg) == 0)
		(void)ini1_send(s, &s->last_reply);
}

static void send_cfg_request(struct ini1 *s)
{
	static const uint16_t want[] = {
		IKEV1_CA_INTERNAL_IP4_ADDRESS, IKEV1_CA_INTERNAL_IP4_NETMASK,
		IKEV1_CA_INTERNAL_IP4_DNS, IKEV1_CA_INTERNAL_IP4_NBNS, IKEV1_CA_UNITY_DEF_DOMAIN,
		IKEV1_CA_UNITY_PFS, IKEV1_CA_UNITY_BANNER, IKEV1_CA_UNITY_SAVE_PASSWD,
		IKEV1_CA_UNITY_SPLIT_INCLUDE,
	};
	struct ikev1_cfg cfg = { .type = IKEV1_CFG_REQUEST, .identifier = 20 };
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cfg.a[cfg.n++] = (struct ikev1_attr){ .type = want[i] };
	cfg.a[cfg.n++] = (struct ikev1_attr){ .type = IKEV1_CA_APPLICATION_VERSION,
		.value = { (const uint8_t *)APP_VERSION, sizeof(APP_VERSION) - 1 } };
	s->cfg_msg_id = ini1_msg_id();
	struct buf b;
	buf_init(&b);
	if (v1_iv_msgid(&s->k, s->cfg_msg_id, s->cfg_iv) < 0 ||
	    ini1_build(s, &b, IKEV1_X_TRANSACTION, s->cfg_msg_id, s->cfg_iv, NULL, 0, fill_cfg,
		       &cfg) < 0 || ini1_request(s, &b) < 0) {
		buf_free(&b);
		ini1_down(s, INI2_ERR_PROTOCOL, "cannot send the Mode Config request");
		return;
	}
	buf_free(&b);
	s->st = INI1_ST_CFG;
}

static void copy_text(const struct ikev1_attr *a, char *out, size_t cap)
{
	size_t n = a->tv ? 0 : a->value.len < cap - 1 ? a->value.len : cap - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = a->value.data[i] == 0 ? ' ' : (char)a->value.data[i];
	out[n] = 0;
}

/* Mode Config attributes into the lease; -1 without a 4-byte address. */
static int read_lease(struct ini1 *s, const struct ikev1_cfg *cfg)
{
	struct ini2_lease *l = &s->lease;
	memset(l, 0, sizeof(*l));
	for (size_t i = 0; i < cfg->n; i++) {
		const struct ikev1_attr *a = &cfg->a[i];
		const uint8_t *v = a->value.data;
		size_t len = a->tv ? 0 : a->value.len;
		switch (a->type) {
		case IKEV1_CA_INTERNAL_IP4_ADDRESS:
			if (len == 4)
				l->addr = be32(v);
			break;
		case IKEV1_CA_INTERNAL_IP4_NETMASK:
			if (len == 4)
				l->netmask = be32(v);
			break;
		case IKEV1_CA_INTERNAL_IP4_DNS:
			if (len == 4 && l->n_dns < INI2_MAX_DNS)
				l->dns[l->n_dns++] = be32(v);
			break;
		case IKEV1_CA_INTERNAL_IP4_NBNS:
			if (len == 4 && l->n_nbns < 2)
				l->nbns[l->n_nbns++] = be32(v);
			break;
		case IKEV1_CA_UNITY_DEF_DOMAIN:
			copy_text(a, l->domain, sizeof(l->domain));
			break;
		case IKEV1_CA_UNITY_BANNER:
			copy_text(a, s->extra.banner, sizeof(s->extra.banner));
			break;
		case IKEV1_CA_UNITY_SAVE_PASSWD:
			s->extra.save_password = a->tv && a->tv_value;
			break;
		case IKEV1_CA_UNITY_PFS:
			s->extra.pfs = a->tv && a->tv_value;
			break;
		case IKEV1_CA_UNITY_NATT_PORT:
			s->extra.natt_port = a->tv ? a->tv_value : 0;
			break;
		case IKEV1_CA_UNITY_SPLIT_INCLUDE:
			for (size_t o = 0; o + 14 <= len && l->n_split < INI2_MAX_NETS; o += 14) {
				struct ini2_net *n = &l->split[l->n_split++];
				n->addr = be32(v + o);
				n->mask = be32(v + o + 4);
				n->proto = v[o + 9];
				n->sport = (uint16_t)(v[o + 10] << 8 | v[o + 11]);
				n->dport = (uint16_t)(v[o + 12] << 8 | v[o + 13]);
			}
			break;
		default:
			break;
		}
	}
	l->full_tunnel = l->n_split == 0;
	return l->addr ? 0 : -1;
}

static void xauth_request(struct ini1 *s, const struct ikev1_msg *m, const uint8_t *iv_next)
{
	const struct ikev1_cfg *rq = &m->cfg;
	if (s->st != INI1_ST_P1_DONE)
		return;
	if (s->xauth_seen && ikev1_cfg_attr(rq, IKEV1_CA_XAUTH_MESSAGE)) {
		/* A second request after our answer: the gateway refused it.  We
		 * have nothing else to offer: tell it to drop the ISAKMP SA now
		 * rather than hold it until its XAUTH timer runs out. */
		ini1_send_deletes(s);
		ini1_down(s, INI2_ERR_AUTH, "XAUTH: the gateway asks again (wrong user name or "
			  "password)");
		return;
	}
	s->xauth_seen = true;
	ini1_req_done(s);
	const char *user = s->cfg.user ? s->cfg.user : "";
	const char *pw = s->cfg.password ? s->cfg.password : "";
	struct ikev1_cfg re = { .type = IKEV1_CFG_REPLY, .identifier = rq->identifier };
	if (ikev1_cfg_attr(rq, IKEV1_CA_XAUTH_TYPE))
		re.a[re.n++] = (struct ikev1_attr){ .type = IKEV1_CA_XAUTH_TYPE, .tv = true };
	re.a[re.n++] = (struct ikev1_attr){ .type = IKEV1_CA_XAUTH_USER_NAME,
		.value = { (const uint8_t *)user, strlen(user) } };
	re.a[re.n++] = (struct ikev1_attr){ .type = IKEV1_CA_XAUTH_USER_PASSWORD,
		.value = { (const uint8_t *)pw, strlen(pw) } };
	answer(s, m->hdr.msg_id, iv_next, &re);
}

static void xauth_status(struct ini1 *s, const struct ikev1_msg *m, const uint8_t *iv_next)
{
	const struct ikev1_attr *st = ikev1_cfg_attr(&m->cfg, IKEV1_CA_XAUTH_STATUS);
	struct ikev1_cfg ack = { .type = IKEV1_CFG_ACK, .identifier = m->cfg.identifier };
	ack.a[ack.n++] = (struct ikev1_attr){ .type = IKEV1_CA_XAUTH_STATUS, .tv = true,
					      .tv_value = st->tv_value };
	answer(s, m->hdr.msg_id, iv_next, &ack);
	if (!st->tv || st->tv_value != 1) {
		ini1_send_deletes(s);
		ini1_down(s, INI2_ERR_AUTH, "XAUTH failed: wrong user name or password");
		return;
	}
	send_cfg_request(s);
}

static void got_lease(struct ini1 *s, const struct ikev1_cfg *cfg)
{
	if (s->st != INI1_ST_P1_DONE && s->st != INI1_ST_CFG)
		return;                  /* a repeated answer: we are past it */
	if (read_lease(s, cfg) < 0) {
		ini1_down(s, INI2_ERR_ADDRESS, "Mode Config gave no IPv4 address");
		return;
	}
	if (ini1_start_qm(s) < 0)
		ini1_down(s, INI2_ERR_PROTOCOL, "cannot start Quick Mode");
}

void ini1_transaction(struct ini1 *s, const struct ikev1_msg *m, const uint8_t *iv_next)
{
	if (!IKEV1_PRESENT(m, IKEV1_PL_ATTR))
		return;
	const struct ikev1_cfg *cfg = &m->cfg;
	bool xauth = ikev1_cfg_attr(cfg, IKEV1_CA_XAUTH_USER_NAME) ||
		     ikev1_cfg_attr(cfg, IKEV1_CA_XAUTH_USER_PASSWORD) ||
		     ikev1_cfg_attr(cfg, IKEV1_CA_XAUTH_TYPE);
	if (cfg->type == IKEV1_CFG_REQUEST && xauth) {
		xauth_request(s, m, iv_next);
	} else if (cfg->type == IKEV1_CFG_SET && ikev1_cfg_attr(cfg, IKEV1_CA_XAUTH_STATUS)) {
		if (s->st == INI1_ST_P1_DONE)
			xauth_status(s, m, iv_next);
	} else if (cfg->type == IKEV1_CFG_SET) {
		/* Mode Config push: acknowledge every attribute, empty. */
		struct ikev1_cfg ack = { .type = IKEV1_CFG_ACK, .identifier = cfg->identifier };
		for (size_t i = 0; i < cfg->n && ack.n < IKEV1_MAX_CFG_ATTRS; i++)
			ack.a[ack.n++] = (struct ikev1_attr){ .type = cfg->a[i].type };
		answer(s, m->hdr.msg_id, iv_next, &ack);
		ini1_req_done(s);
		s->cfg_msg_id = 0;
		got_lease(s, cfg);
	} else if (cfg->type == IKEV1_CFG_REPLY && m->hdr.msg_id == s->cfg_msg_id) {
		ini1_req_done(s);
		s->cfg_msg_id = 0;
		buf_reset(&s->last_reply);
		got_lease(s, cfg);
	}
}

/* ---- Quick Mode --------------------------------------------------------------- */

struct qm1_arg {
	const struct ikev1_sa *offer;
	const uint8_t *ke;
	size_t ke_len;
};

static void fill_qm1(struct ini1 *s, struct ikev1_wr *w, const void *arg)
{
	const struct qm1_arg *a = arg;
	ikev1_w_sa(w, a->offer);
	ikev1_w_nonce(w, s->qm.ni, sizeof(s->qm.ni));
	if (a->ke_len)
		ikev1_w_ke(w, a->ke, a->ke_len);
	uint8_t ci[4] = { (uint8_t)(s->lease.addr >> 24), (uint8_t)(s->lease.addr >> 16),
			  (uint8_t)(s->lease.addr >> 8), (uint8_t)s->lease.addr };
	uint8_t cr[8] = { 0 };
	ikev1_w_id(w, IKEV1_ID_IPV4_ADDR, 0, 0, ci, 4);
	ikev1_w_id(w, IKEV1_ID_IPV4_ADDR_SUBNET, 0, 0, cr, 8);
}

int ini1_start_qm(struct ini1 *s)
{
	struct ini1_qm *q = &s->qm;
	crypto_dh_free(q->dh);
	memset(q, 0, sizeof(*q));
	q->spi_in = s->h.spi_alloc ? s->h.spi_alloc(s->h.arg) : 0;
	while (q->spi_in < 256)
		if (crypto_random(&q->spi_in, sizeof(q->spi_in)) < 0)
			return -1;
	q->pfs_group = s->cfg.pfs_group ? s->cfg.pfs_group : s->extra.pfs ? s->g->id : 0;
	uint8_t pub[CRYPTO_MAX_DH_PUB];
	size_t pub_len = 0;
	if (q->pfs_group) {
		const struct crypto_dh_group *g = crypto_dh_group(q->pfs_group);
		q->dh = g ? crypto_dh_new(g) : NULL;
		if (!q->dh || crypto_dh_public(q->dh, pub) < 0)
			return -1;
		pub_len = g->pub_len;
	}
	struct ikev1_sa *offer = calloc(1, sizeof(*offer));
	if (!offer || crypto_random(q->ni, sizeof(q->ni)) < 0) {
		free(offer);
		return -1;
	}
	uint16_t encap = !s->natt ? IKEV1_ENCAP_TUNNEL : s->natd_type == IKEV1_PL_NATD
			 ? IKEV1_ENCAP_UDP_TUNNEL : IKEV1_ENCAP_UDP_TUNNEL_DRAFT;
	ini1_p2_offer(offer, q->spi_in, encap, q->pfs_group,
		      s->cfg.child_lifetime ? s->cfg.child_lifetime : 28800);
	q->msg_id = ini1_msg_id();
	struct qm1_arg a = { offer, pub, pub_len };
	struct buf b;
	buf_init(&b);
	int rc = -1;
	if (v1_iv_msgid(&s->k, q->msg_id, q->iv) == 0 &&
	    ini1_build(s, &b, IKEV1_X_QUICK, q->msg_id, q->iv, NULL, 0, fill_qm1, &a) == 0 &&
	    ini1_request(s, &b) == 0)
		rc = 0;
	buf_free(&b);
	free(offer);
	q->active = rc == 0;
	if (s->st != INI1_ST_UP)
		s->st = INI1_ST_QM;
	return rc;
}

/* RESPONDER-LIFETIME (IPsec attributes): the seconds the gateway wants. */
static uint32_t responder_life(const struct ikev1_msg *m, uint32_t dflt)
{
	const struct ikev1_notify *n = ikev1_msg_notify(m, IKEV1_N_RESPONDER_LIFETIME);
	if (!n)
		return dflt;
	const uint8_t *p = n->data.data;
	size_t len = n->data.len;
	uint16_t type = 0;
	for (size_t o = 0; o + 4 <= len;) {
		uint16_t at = (uint16_t)(p[o] << 8 | p[o + 1]);
		bool tv = at & 0x8000;
		at &= 0x7fff;
		uint16_t vl = (uint16_t)(p[o + 2] << 8 | p[o + 3]);
		uint32_t val = tv ? vl : 0;
		size_t adv = tv ? 4 : 4 + (size_t)vl;
		if (!tv && o + adv <= len && vl <= 4)
			for (size_t i = 0; i < vl; i++)
				val = val << 8 | p[o + 4 + i];
		if (o + adv > len)
			break;
		if (at == IKEV1_A2_LIFE_TYPE)
			type = (uint16_t)val;
		else if (at == IKEV1_A2_LIFE_DURATION && type == IKEV1_LIFE_SECONDS && val)
			dflt = val < dflt ? val : dflt;
		o += adv;
	}
	return dflt;
}

/* KEYMAT per direction from the SPI of the receiving side; Ni is the
 * nonce of whoever started the Quick Mode. */
static int install(struct ini1 *s, const struct ikev1_transform *t, uint32_t spi_in,
		   uint32_t spi_out, const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		   size_t nr_len, const uint8_t *gqm, size_t gqm_len)
{
	const struct crypto_encr *e = crypto_encr_ikev1_esp(t->id, t->key_bits);
	const struct crypto_integ *ig = t->auth_alg ? crypto_integ_ikev1_esp(t->auth_alg) : NULL;
	if (!e || (!ig && !e->aead))
		return -1;
	size_t need = e->key_len + (ig ? ig->key_len : 0);
	uint8_t kin[2 * CRYPTO_MAX_KEY], kout[2 * CRYPTO_MAX_KEY];
	int rc = -1;
	if (v1_keymat(&s->k, gqm, gqm_len, IKEV1_PROTO_ESP, spi_in, ni, ni_len, nr, nr_len, kin,
		      need) == 0 &&
	    v1_keymat(&s->k, gqm, gqm_len, IKEV1_PROTO_ESP, spi_out, ni, ni_len, nr, nr_len, kout,
		      need) == 0) {
		struct ini2_child c = { .spi_in = spi_in, .spi_out = spi_out, .encr = e,
					.integ = ig, .encr_in = kin,
					.integ_in = ig ? kin + e->key_len : NULL, .encr_out = kout,
					.integ_out = ig ? kout + e->key_len : NULL };
		rc = s->h.child_up ? s->h.child_up(s->h.arg, &c) : 0;
	}
	mem_wipe(kin, sizeof(kin));
	mem_wipe(kout, sizeof(kout));
	return rc;
}

static void rotate_child(struct ini1 *s, uint32_t spi_in, uint32_t spi_out, uint32_t life)
{
	if (s->child.installed)
		s->old_child = s->child;
	s->child = (struct ini1_child){ spi_in, spi_out, life, loop_now_ms(), true };
}

struct qm2_arg {
	const struct ikev1_msg *m;
	const struct ini1_gw_qm *g;
	const uint8_t *ke;
	size_t ke_len;
};

static void fill_qm2(struct ini1 *s, struct ikev1_wr *w, const void *arg)
{
	(void)s;
	const struct qm2_arg *a = arg;
	struct ikev1_sa *sa = calloc(1, sizeof(*sa));
	if (!sa) {
		w->b->oom = true;
		return;
	}
	sa->doi = IKEV1_DOI_IPSEC;
	sa->situation = IKEV1_SIT_IDENTITY_ONLY;
	sa->n = 1;
	sa->p[0] = a->m->sa.p[0];
	sa->p[0].first = 0;
	sa->p[0].n_transforms = 1;
	for (int i = 0; i < 4; i++)
		sa->p[0].spi[i] = (uint8_t)(a->g->spi_in >> (24 - 8 * i));
	sa->n_t = 1;
	sa->t[0] = a->g->t;
	ikev1_w_sa(w, sa);
	free(sa);
	ikev1_w_nonce(w, a->g->nr, sizeof(a->g->nr));
	if (a->ke_len)
		ikev1_w_ke(w, a->ke, a->ke_len);
	for (size_t i = 0; i < a->m->n_id; i++) {
		const struct ikev1_id *id = &a->m->id[i];
		ikev1_w_id(w, id->type, id->proto, id->port, id->data.data, id->data.len);
	}
}

/* QM1 from the gateway (its rekey): answer QM2 with the proposal it made. */
static void gw_qm1(struct ini1 *s, const struct ikev1_msg *m, const uint8_t *iv_next)
{
	struct ini1_gw_qm *g = &s->gw_qm;
	uint8_t h[CRYPTO_MAX_HASH];
	if (s->st != INI1_ST_UP || !IKEV1_PRESENT(m, IKEV1_PL_HASH) ||
	    m->hash.len != s->k.prf_len ||
	    v1_hash_msg(&s->k, false, m->hdr.msg_id, m->after_hash.data, m->after_hash.len, NULL,
			0, NULL, 0, h) < 0 || CRYPTO_memcmp(h, m->hash.data, s->k.prf_len) != 0)
		return;
	if (!IKEV1_PRESENT(m, IKEV1_PL_SA) || m->sa.n < 1 || m->sa.p[0].spi_size != 4 ||
	    m->sa.p[0].protocol != IKEV1_PROTO_ESP || !IKEV1_PRESENT(m, IKEV1_PL_NONCE) ||
	    m->nonce.len < 8 || m->nonce.len > sizeof(g->ni))
		return;
	memset(g, 0, sizeof(*g));
	g->t = m->sa.t[m->sa.p[0].first];
	g->msg_id = m->hdr.msg_id;
	g->spi_out = be32(m->sa.p[0].spi);
	memcpy(g->ni, m->nonce.data, m->nonce.len);
	g->ni_len = m->nonce.len;
	g->spi_in = s->h.spi_alloc ? s->h.spi_alloc(s->h.arg) : 0;
	while (g->spi_in < 256)
		if (crypto_random(&g->spi_in, sizeof(g->spi_in)) < 0)
			return;
	if (crypto_random(g->nr, sizeof(g->nr)) < 0)
		return;
	uint8_t pub[CRYPTO_MAX_DH_PUB];
	size_t pub_len = 0;
	if (g->t.pfs_group) {
		const struct crypto_dh_group *grp = crypto_dh_group(g->t.pfs_group);
		struct crypto_dh *dh = grp ? crypto_dh_new(grp) : NULL;
		g->gqm_len = sizeof(g->gqm);
		if (!dh || !IKEV1_PRESENT(m, IKEV1_PL_KE) || crypto_dh_public(dh, pub) < 0 ||
		    crypto_dh_shared(dh, m->ke.data, m->ke.len, g->gqm, &g->gqm_len) < 0) {
			crypto_dh_free(dh);
			return;
		}
		pub_len = grp->pub_len;
		crypto_dh_free(dh);
	}
	memcpy(g->iv, iv_next, sizeof(g->iv));
	struct qm2_arg a = { m, g, pub, pub_len };
	if (ini1_build(s, &s->last_reply, IKEV1_X_QUICK, g->msg_id, g->iv, g->ni, g->ni_len,
		       fill_qm2, &a) == 0 && ini1_send(s, &s->last_reply) == 0)
		g->active = true;
}

/* QM3 from the gateway: verify and install the new SA. */
static void gw_qm3(struct ini1 *s, const struct ikev1_msg *m)
{
	struct ini1_gw_qm *g = &s->gw_qm;
	uint8_t h[CRYPTO_MAX_HASH];
	if (!IKEV1_PRESENT(m, IKEV1_PL_HASH) || m->hash.len != s->k.prf_len ||
	    v1_hash_msg(&s->k, true, g->msg_id, g->ni, g->ni_len, g->nr, sizeof(g->nr), NULL, 0,
			h) < 0 || CRYPTO_memcmp(h, m->hash.data, s->k.prf_len) != 0)
		return;
	g->active = false;
	int rc = install(s, &g->t, g->spi_in, g->spi_out, g->ni, g->ni_len, g->nr, sizeof(g->nr),
			 g->gqm_len ? g->gqm : NULL, g->gqm_len);
	mem_wipe(g->gqm, sizeof(g->gqm));
	if (rc < 0) {
		ini1_down(s, INI2_ERR_PROTOCOL, "the gateway's rekey could not be installed");
		return;
	}
	rotate_child(s, g->spi_in, g->spi_out, g->t.life_sec ? g->t.life_sec : s->child.life_sec);
}

void ini1_quick(struct ini1 *s, const struct ikev1_msg *m, const uint8_t *iv_next)
{
	struct ini1_qm *q = &s->qm;
	if (s->gw_qm.active && m->hdr.msg_id == s->gw_qm.msg_id) {
		gw_qm3(s, m);
		return;
	}
	if (!q->active || m->hdr.msg_id != q->msg_id) {
		gw_qm1(s, m, iv_next);
		return;
	}
	uint8_t h[CRYPTO_MAX_HASH];
	if (!IKEV1_PRESENT(m, IKEV1_PL_HASH) || m->hash.len != s->k.prf_len ||
	    v1_hash_msg(&s->k, false, q->msg_id, q->ni, sizeof(q->ni), m->after_hash.data,
			m->after_hash.len, NULL, 0, h) < 0 ||
	    CRYPTO_memcmp(h, m->hash.data, s->k.prf_len) != 0)
		return;
	if (!IKEV1_PRESENT(m, IKEV1_PL_SA) || m->sa.n != 1 || m->sa.p[0].spi_size != 4 ||
	    m->sa.p[0].n_transforms != 1 || !IKEV1_PRESENT(m, IKEV1_PL_NONCE) ||
	    m->nonce.len > 256) {
		ini1_down(s, INI2_ERR_PROPOSAL, "unacceptable Quick Mode answer");
		return;
	}
	const struct ikev1_transform *t = &m->sa.t[0];
	uint32_t spi_out = be32(m->sa.p[0].spi);
	uint8_t gqm[CRYPTO_MAX_DH_PUB];
	size_t gqm_len = 0;
	if (q->dh) {
		gqm_len = sizeof(gqm);
		if (!IKEV1_PRESENT(m, IKEV1_PL_KE) ||
		    crypto_dh_shared(q->dh, m->ke.data, m->ke.len, gqm, &gqm_len) < 0) {
			ini1_down(s, INI2_ERR_PROPOSAL, "Quick Mode PFS: no usable KE");
			return;
		}
	}
	/* HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b) */
	uint8_t nonces[INI1_NONCE_LEN + 256], iv[V1_MAX_BLOCK];
	memcpy(nonces, q->ni, sizeof(q->ni));
	memcpy(nonces + sizeof(q->ni), m->nonce.data, m->nonce.len);
	memcpy(iv, iv_next, sizeof(iv));
	struct buf b;
	buf_init(&b);
	int rc = ini1_build(s, &b, IKEV1_X_QUICK, q->msg_id, iv, nonces,
			    sizeof(q->ni) + m->nonce.len, NULL, NULL);
	ini1_req_done(s);
	if (rc == 0) {
		(void)ini1_send(s, &b);
		/* a repeated QM2 gets this QM3 again */
		buf_reset(&s->last_reply);
		buf_put(&s->last_reply, b.data, b.len);
	}
	buf_free(&b);
	int irc = rc < 0 ? -1 : install(s, t, q->spi_in, spi_out, q->ni, sizeof(q->ni),
					  m->nonce.data, m->nonce.len, gqm_len ? gqm : NULL, gqm_len);
	mem_wipe(gqm, sizeof(gqm));
	crypto_dh_free(q->dh);
	q->dh = NULL;
	q->active = false;
	if (irc < 0) {
		ini1_down(s, INI2_ERR_PROTOCOL, "the IPsec SA could not be installed");
		return;
	}
	rotate_child(s, q->spi_in, spi_out,
		     responder_life(m, s->cfg.child_lifetime ? s->cfg.child_lifetime : 28800));
	if (s->st != INI1_ST_UP) {
		s->st = INI1_ST_UP;
		if (s->h.up)
			s->h.up(s->h.arg, &s->lease);
	}
}

/* ---- Informational -------------------------------------------------------------- */

struct notify_arg {
	uint16_t type;
	uint8_t seq[4];
};

static void fill_notify(struct ini1 *s, struct ikev1_wr *w, const void *arg)
{
	const struct notify_arg *n = arg;
	uint8_t spi[16];
	cookies(s, spi);
	ikev1_w_notify(w, IKEV1_DOI_IPSEC, IKEV1_PROTO_ISAKMP, spi, 16, n->type, n->seq, 4);
}

static void send_info(struct ini1 *s, ini1_fill_fn fill, const void *arg)
{
	uint32_t id = ini1_msg_id();
	uint8_t iv[V1_MAX_BLOCK];
	struct buf b;
	buf_init(&b);
	if (v1_iv_msgid(&s->k, id, iv) == 0 &&
	    ini1_build(s, &b, IKEV1_X_INFO, id, iv, NULL, 0, fill, arg) == 0)
		(void)ini1_send(s, &b);
	buf_free(&b);
}

void ini1_send_dpd(struct ini1 *s)
{
	if (!s->dpd_seq && crypto_random(&s->dpd_seq, sizeof(s->dpd_seq)) < 0)
		return;
	s->dpd_seq = ((s->dpd_seq + 1) & 0x7fffffffu) | 1;
	struct notify_arg n = { IKEV1_N_R_U_THERE, { (uint8_t)(s->dpd_seq >> 24),
		(uint8_t)(s->dpd_seq >> 16), (uint8_t)(s->dpd_seq >> 8), (uint8_t)s->dpd_seq } };
	send_info(s, fill_notify, &n);
}

struct delete_arg {
	uint8_t protocol, spi_size;
	uint8_t spi[16];
};

static void fill_delete(struct ini1 *s, struct ikev1_wr *w, const void *arg)
{
	(void)s;
	const struct delete_arg *d = arg;
	ikev1_w_delete(w, IKEV1_DOI_IPSEC, d->protocol, d->spi_size, d->spi, 1);
}

static void send_delete_esp(struct ini1 *s, uint32_t spi_in)
{
	struct delete_arg d = { IKEV1_PROTO_ESP, 4, { (uint8_t)(spi_in >> 24),
		(uint8_t)(spi_in >> 16), (uint8_t)(spi_in >> 8), (uint8_t)spi_in } };
	send_info(s, fill_delete, &d);
}

void ini1_send_deletes(struct ini1 *s)
{
	if (s->child.installed)
		send_delete_esp(s, s->child.spi_in);
	if (s->old_child.installed)
		send_delete_esp(s, s->old_child.spi_in);
	struct delete_arg d = { IKEV1_PROTO_ISAKMP, 16, { 0 } };
	cookies(s, d.spi);
	send_info(s, fill_delete, &d);
}

static void child_gone(struct ini1 *s, struct ini1_child *c)
{
	if (c->installed && s->h.child_down)
		s->h.child_down(s->h.arg, c->spi_in);
	c->installed = false;
}

void ini1_info(struct ini1 *s, const struct ikev1_msg *m)
{
	for (size_t i = 0; i < m->n_notify; i++) {
		const struct ikev1_notify *n = &m->notify[i];
		if (n->type == IKEV1_N_R_U_THERE && n->data.len == 4) {
			struct notify_arg a = { IKEV1_N_R_U_THERE_ACK, { n->data.data[0],
				n->data.data[1], n->data.data[2], n->data.data[3] } };
			send_info(s, fill_notify, &a);
		} else if (n->type == IKEV1_N_R_U_THERE_ACK) {
			s->dpd_out = false;
			s->dpd_misses = 0;
		} else if (n->type == IKEV1_N_CONNECTED) {
			s->connected_seen = true;
		}
	}
	for (size_t i = 0; i < m->n_delete; i++) {
		const struct ikev1_delete *d = &m->del[i];
		if (d->protocol == IKEV1_PROTO_ISAKMP) {
			ini1_down(s, INI2_ERR_PEER_DELETE, "the gateway deleted the session");
			return;
		}
		for (uint16_t j = 0; d->spi_size == 4 && j < d->n_spi; j++) {
			uint32_t spi = be32(d->spis.data + 4u * j);
			if (s->old_child.installed && spi == s->old_child.spi_out)
				child_gone(s, &s->old_child);
			if (s->child.installed && spi == s->child.spi_out) {
				child_gone(s, &s->child);
				if (s->st == INI1_ST_UP && !s->qm.active && ini1_start_qm(s) < 0)
					ini1_down(s, INI2_ERR_PROTOCOL, "cannot renew the IPsec SA");
			}
		}
	}
}

/* ---- once a second ------------------------------------------------------------------- */

void ini1_tick(struct ini1 *s)
{
	uint64_t now = loop_now_ms();
	if (s->st == INI1_ST_P1_DONE && !s->xauth_seen && !s->cfg_msg_id &&
	    now - s->last_rx_ms > INI1_NO_XAUTH_WAIT_MS) {
		send_cfg_request(s);
		return;
	}
	if (s->st != INI1_ST_UP)
		return;
	if (s->old_child.installed && now - s->child.up_ms > INI1_OLD_CHILD_MS) {
		send_delete_esp(s, s->old_child.spi_in);
		child_gone(s, &s->old_child);
	}
	if (s->child.installed && !s->qm.active && s->child.life_sec &&
	    now - s->child.up_ms > (uint64_t)s->child.life_sec * 900u) {
		if (ini1_start_qm(s) < 0)
			ini1_down(s, INI2_ERR_PROTOCOL, "cannot rekey the IPsec SA");
		return;
	}
	unsigned dpd = s->cfg.dpd_sec ? s->cfg.dpd_sec : 30;
	if (now - s->last_rx_ms < (uint64_t)dpd * 1000u)
		return;
	if (s->dpd_out && now - s->last_rx_ms < (uint64_t)dpd * 1000u +
	    (uint64_t)(s->dpd_misses + 1) * INI1_DPD_RETRY_MS)
		return;
	if (s->dpd_out && ++s->dpd_misses >= INI1_DPD_MISSES) {
		ini1_down(s, INI2_ERR_TIMEOUT, "the gateway stopped answering DPD");
		return;
	}
	s->dpd_out = true;
	ini1_send_dpd(s);
}
