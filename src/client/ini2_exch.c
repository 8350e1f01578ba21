/* The exchanges of the IKEv2 initiator (diagrams in ini2.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/loop.h"
#include "base/mem.h"
#include "client/ini2_int.h"
#include "ike/core/cookie.h"
#include "ike/v2/v2.h"

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void fail(struct ini2 *s, enum ini2_result r, const char *why)
{
	log_msg(SEV_ERR, "client: %s", why);
	ini2_down(s, r, why);
}

/* ---- IKE_SA_INIT ------------------------------------------------------------
 * HDR, [N(COOKIE),] SAi1, KEi, Ni, N(NAT_DETECTION_SOURCE_IP),
 *      N(NAT_DETECTION_DESTINATION_IP), N(FRAGMENTATION_SUPPORTED),
 *      N(SIGNATURE_HASH_ALGORITHMS) --> */
static int send_init(struct ini2 *s)
{
	struct ikev2_wr w;
	struct ikev2_hdr h = { .spi_i = s->spi_i, .exchange = IKEV2_IKE_SA_INIT,
			       .flags = IKEV2_FLAG_INITIATOR };
	struct ikev2_sa offer;
	uint8_t pub[CRYPTO_MAX_DH_PUB], natd[IKE_NATD_LEN];
	buf_reset(&s->req);
	ikev2_w_begin(&w, &s->req, &h);
	if (s->cookie.len)
		ikev2_w_notify(&w, 0, NULL, 0, IKEV2_N_COOKIE, s->cookie.data, s->cookie.len);
	ini2_ike_offer(&offer);
	ikev2_w_sa(&w, offer.p, offer.n);
	if (crypto_dh_public(s->dh, pub) < 0)
		return -1;
	ikev2_w_ke(&w, s->g->id, pub, s->g->pub_len);
	ikev2_w_nonce(&w, s->ni, sizeof(s->ni));
	/* a random source hash: the gateway sees us behind NAT and uses UDP
	 * encapsulation (ini2.h) */
	if (crypto_random(natd, sizeof(natd)) < 0)
		return -1;
	ikev2_w_notify(&w, 0, NULL, 0, IKEV2_N_NAT_DETECTION_SOURCE_IP, natd, sizeof(natd));
	if (ike_natd_hash(s->spi_i, 0, &s->cfg.gw, natd) < 0)
		return -1;
	ikev2_w_notify(&w, 0, NULL, 0, IKEV2_N_NAT_DETECTION_DESTINATION_IP, natd, sizeof(natd));
	ikev2_w_notify(&w, 0, NULL, 0, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	static const uint8_t hashes[] = { 0, 2, 0, 3, 0, 4 };   /* SHA-256, -384, -512 */
	ikev2_w_notify(&w, 0, NULL, 0, IKEV2_N_SIGNATURE_HASH_ALGORITHMS, hashes, sizeof(hashes));
	if (!ikev2_w_finish(&w))
		return -1;
	buf_reset(&s->req1);
	buf_put(&s->req1, s->req.data, s->req.len);
	s->req_id = 0;
	s->next_id = 1;
	return ini2_send_req(s);
}

static int new_dh(struct ini2 *s, uint16_t group)
{
	crypto_dh_free(s->dh);
	s->g = crypto_dh_group(group);
	s->dh = s->g ? crypto_dh_new(s->g) : NULL;
	return s->dh ? 0 : -1;
}

int ini2_start(struct ini2 *s)
{
	if (crypto_random(&s->spi_i, sizeof(s->spi_i)) < 0 ||
	    crypto_random(s->ni, sizeof(s->ni)) < 0 || new_dh(s, s->cfg.dh_group) < 0)
		return -1;
	s->st = INI2_ST_INIT;
	s->last_rx_ms = loop_now_ms();
	return send_init(s);
}

/* Was this transform one we offered? */
static bool offered(const struct ikev2_sa *o, const struct ikev2_transform *t)
{
	for (unsigned i = 0; i < o->n; i++)
		for (unsigned j = 0; j < o->p[i].n_transforms; j++)
			if (o->p[i].t[j].type == t->type && o->p[i].t[j].id == t->id &&
			    o->p[i].t[j].key_bits == t->key_bits)
				return true;
	return false;
}

/* The gateway's single proposal -> our algorithms (RFC 7296 §2.7: it must
 * be one of ours, one transform per type, with the group of our KEi). */
int ini2_ike_choice(const struct ikev2_sa *sa, const struct crypto_dh_group *g,
		    struct ike_keymat *km)
{
	struct ikev2_sa offer;
	ini2_ike_offer(&offer);
	if (sa->n != 1 || sa->p[0].protocol != IKEV2_PROTO_IKE)
		return -1;
	const struct ikev2_proposal *p = &sa->p[0];
	uint16_t dh = 0;
	*km = (struct ike_keymat){ 0 };
	for (unsigned i = 0; i < p->n_transforms; i++) {
		const struct ikev2_transform *t = &p->t[i];
		if (!offered(&offer, t))
			return -1;
		switch (t->type) {
		case IKEV2_TRANS_ENCR: km->encr = crypto_encr_ikev2(t->id, t->key_bits); break;
		case IKEV2_TRANS_PRF: km->prf = crypto_prf_ikev2(t->id); break;
		case IKEV2_TRANS_INTEG: km->integ = crypto_integ_ikev2(t->id); break;
		case IKEV2_TRANS_DH: dh = t->id; break;
		default: return -1;
		}
	}
	if (!km->encr || !km->prf || dh != g->id || (!km->encr->aead && !km->integ))
		return -1;
	return 0;
}

static int init_keys(struct ini2 *s, const struct ikev2_msg *m)
{
	uint8_t gir[CRYPTO_MAX_DH_PUB];
	size_t gir_len = sizeof(gir);
	int rc = -1;
	if (m->nonce.len < IKE_NONCE_MIN || m->nonce.len > IKE_NONCE_MAX ||
	    m->ke.group != s->g->id ||
	    crypto_dh_shared(s->dh, m->ke.data.data, m->ke.data.len, gir, &gir_len) < 0)
		goto out;
	memcpy(s->nr, m->nonce.data, m->nonce.len);
	s->nr_len = m->nonce.len;
	if (ike_keys_derive(&s->km, s->ni, sizeof(s->ni), s->nr, s->nr_len, gir, gir_len, s->spi_i,
			    s->spi_r) < 0)
		goto out;
	/* we open what the gateway protects with SK_er/SK_ar */
	rc = ike_sk_init(&s->sk, s->km.encr, s->km.integ, s->km.sk_er, s->km.sk_ar, s->km.sk_ei,
			 s->km.sk_ai);
out:
	mem_wipe(gir, sizeof(gir));
	return rc;
}

static int send_auth(struct ini2 *s);

/* <-- HDR, SAr1, KEr, Nr, N(NAT-D)..., or N(COOKIE), N(INVALID_KE_PAYLOAD),
 *     N(NO_PROPOSAL_CHOSEN) */
void ini2_on_init_reply(struct ini2 *s, const uint8_t *data, size_t len)
{
	const struct ikev2_msg *m = s->outer;
	const struct ikev2_notify *n;
	if ((n = ikev2_msg_notify(m, IKEV2_N_COOKIE)) && n->data.len && n->data.len <= 64) {
		ini2_req_done(s);
		buf_reset(&s->cookie);
		buf_put(&s->cookie, n->data.data, n->data.len);
		if (send_init(s) < 0)
			fail(s, INI2_ERR_PROTOCOL, "cannot build IKE_SA_INIT");
		return;
	}
	if ((n = ikev2_msg_notify(m, IKEV2_N_INVALID_KE_PAYLOAD)) && n->data.len == 2) {
		uint16_t want = (uint16_t)(n->data.data[0] << 8 | n->data.data[1]);
		ini2_req_done(s);
		log_debug(LOG_IKEV2, 2, "client: gateway wants DH group %u", want);
		if (want == s->g->id || new_dh(s, want) < 0 || send_init(s) < 0)
			fail(s, INI2_ERR_PROPOSAL, "gateway asks for a DH group we cannot use");
		return;
	}
	if (ikev2_msg_notify(m, IKEV2_N_NO_PROPOSAL_CHOSEN)) {
		fail(s, INI2_ERR_PROPOSAL, "IKE_SA_INIT: NO_PROPOSAL_CHOSEN");
		return;
	}
	uint32_t need = IKEV2_BIT(IKEV2_PL_SA) | IKEV2_BIT(IKEV2_PL_KE) | IKEV2_BIT(IKEV2_PL_NONCE);
	if ((m->present & need) != need || m->hdr.spi_r == 0)
		return;                         /* not an answer we can use: keep waiting */
	ini2_req_done(s);
	s->spi_r = m->hdr.spi_r;
	if (ini2_ike_choice(&m->sa, s->g, &s->km) < 0) {
		fail(s, INI2_ERR_PROPOSAL, "IKE_SA_INIT: the gateway chose what we did not offer");
		return;
	}
	if (init_keys(s, m) < 0) {
		fail(s, INI2_ERR_PROTOCOL, "IKE_SA_INIT: key exchange failed");
		return;
	}
	buf_reset(&s->resp1);
	buf_put(&s->resp1, data, len);
	crypto_dh_free(s->dh);
	s->dh = NULL;
	s->keys_ready = true;
	s->natt = true;                         /* RFC 7296 §2.23: on to port 4500 */
	char suite[128];
	ini2_suite(s, suite, sizeof(suite));
	log_debug(LOG_IKEV2, 1, "client: IKE_SA_INIT done, %s", suite);
	if (send_auth(s) < 0)
		fail(s, INI2_ERR_PROTOCOL, "cannot build IKE_AUTH");
}

/* ---- IKE_AUTH ----------------------------------------------------------------
 * HDR, SK {IDi, [CERTREQ,] [AUTH,] CP(CFG_REQUEST), SAi2, TSi, TSr} --> */
static void psk_auth_value(struct ini2 *s, bool responder, const uint8_t *secret, size_t slen,
			   const uint8_t *id_body, size_t id_len, uint8_t *out, size_t *out_len)
{
	struct buf oct;
	buf_init(&oct);
	*out_len = 0;
	if (v2_auth_octets_raw(s->km.prf, responder ? s->km.sk_pr : s->km.sk_pi,
			       responder ? s->resp1.data : s->req1.data,
			       responder ? s->resp1.len : s->req1.len, responder ? s->ni : s->nr,
			       responder ? sizeof(s->ni) : s->nr_len, id_body, id_len, &oct) < 0 ||
	    v2_auth_psk(s->km.prf, secret, slen, &oct, out, out_len) < 0)
		*out_len = 0;
	buf_free(&oct);
}

static void write_cp_request(struct ikev2_wr *w)
{
	static const char version[] = "ravpn-connect";
	struct ikev2_cp cp = { .type = IKEV2_CFG_REQUEST };
	static const uint16_t want[] = { IKEV2_CA_INTERNAL_IP4_ADDRESS, IKEV2_CA_INTERNAL_IP4_NETMASK,
					 IKEV2_CA_INTERNAL_IP4_DNS, IKEV2_CA_INTERNAL_IP4_NBNS,
					 IKEV2_CA_INTERNAL_DNS_DOMAIN, IKEV2_CA_INTERNAL_IP4_SUBNET };
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cp.a[cp.n++].type = want[i];
	cp.a[cp.n].type = IKEV2_CA_APPLICATION_VERSION;
	cp.a[cp.n].value = (struct ikev2_blob){ (const uint8_t *)version, sizeof(version) - 1 };
	cp.n++;
	ikev2_w_cp(w, &cp);
}

/* TSi = TSr = everything: the gateway narrows them (TSi to our address). */
void ini2_write_ts_all(struct ikev2_wr *w)
{
	struct ikev2_ts_list all = { .n = 1 };
	all.ts[0].type = IKEV2_TS_IPV4_ADDR_RANGE;
	all.ts[0].end_port = 65535;
	memset(all.ts[0].end, 0xff, 4);
	ikev2_w_ts(w, IKEV2_PL_TSI, &all);
	ikev2_w_ts(w, IKEV2_PL_TSR, &all);
}

static void write_child_request(struct ini2 *s, struct ikev2_wr *w)
{
	struct ikev2_sa offer;
	ini2_esp_offer(&offer, s->child_spi_in);
	ikev2_w_sa(w, offer.p, offer.n);
	ini2_write_ts_all(w);
}

static void fill_auth(struct ini2 *s, struct ikev2_wr *w, const void *arg)
{
	(void)arg;
	ikev2_w_id(w, IKEV2_PL_IDI, s->idi_body[0], s->idi_body + 4, s->idi_len - 4);
	const struct crypto_cert *anchor = s->cfg.pin ? s->cfg.pin : s->cfg.ca;
	uint8_t hash[20];
	if (s->cfg.auth != INI2_PSK) {
		/* CERTREQ with the SPKI hash of our anchor: strongSwan sends its
		 * certificate only when asked */
		if (anchor && crypto_cert_spki_sha1(anchor, hash) == 0)
			ikev2_w_cert(w, IKEV2_PL_CERTREQ, IKEV2_CERT_X509_SIG, hash, sizeof(hash));
		else
			ikev2_w_cert(w, IKEV2_PL_CERTREQ, IKEV2_CERT_X509_SIG, NULL, 0);
	} else {
		uint8_t auth[CRYPTO_MAX_HASH];
		size_t n;
		const char *k = s->cfg.secret ? s->cfg.secret : "";
		psk_auth_value(s, false, (const uint8_t *)k, strlen(k), s->idi_body, s->idi_len, auth,
			       &n);
		ikev2_w_auth(w, IKEV2_AUTH_PSK, auth, n);
		mem_wipe(auth, sizeof(auth));
	}
	write_cp_request(w);
	write_child_request(s, w);
}

/* Our inbound SPI for a new CHILD SA: from the data plane (unused there),
 * never below 256 (RFC 4303 reserves those), never the current one. */
int ini2_alloc_child_spi(struct ini2 *s, uint32_t *spi)
{
	*spi = 0;
	while (*spi < 256 || (s->child_installed && *spi == s->child_spi_in)) {
		if (s->h.spi_alloc)
			*spi = s->h.spi_alloc(s->h.arg);
		else if (crypto_random(spi, 4) < 0)
			return -1;
	}
	return 0;
}

static int send_auth(struct ini2 *s)
{
	const char *g = s->cfg.group ? s->cfg.group : "";
	size_t gl = strlen(g) > 256 ? 256 : strlen(g);
	memset(s->idi_body, 0, 4);
	s->idi_body[0] = IKEV2_ID_KEY_ID;     /* the AnyConnect way to name the group */
	memcpy(s->idi_body + 4, g, gl);
	s->idi_len = 4 + gl;
	if (ini2_alloc_child_spi(s, &s->child_spi_in) < 0)
		return -1;
	static const enum eap_type types[] = { 0, EAP_TYPE_MSCHAPV2, EAP_TYPE_MD5, EAP_TYPE_GTC };
	if (s->cfg.auth != INI2_PSK)
		eap_peer_init(&s->eap, types[s->cfg.auth], s->cfg.user, s->cfg.secret);
	s->st = INI2_ST_AUTH;
	return ini2_request(s, IKEV2_IKE_AUTH, fill_auth, NULL);
}

/* The gateway's certificate: pinned, issued by our CA, or --insecure. */
static int check_cert(struct ini2 *s, const struct ikev2_msg *m, struct crypto_cert **out)
{
	*out = NULL;
	if (m->n_cert == 0 || m->cert[0].encoding != IKEV2_CERT_X509_SIG)
		return -1;
	struct crypto_cert *c = crypto_cert_from_der(m->cert[0].data.data, m->cert[0].data.len);
	if (!c)
		return -1;
	int ok = s->cfg.insecure;
	if (s->cfg.pin) {
		size_t n;
		uint8_t *der = crypto_cert_der(s->cfg.pin, &n);
		ok = der && n == m->cert[0].data.len && memcmp(der, m->cert[0].data.data, n) == 0;
		free(der);
	} else if (s->cfg.ca) {
		ok = crypto_cert_verify(c, s->cfg.ca) == 0;
	}
	if (!ok) {
		crypto_cert_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

/* AUTH of the gateway: a signature (EAP case) or the PSK. */
static enum ini2_result verify_gw_auth(struct ini2 *s, const struct ikev2_msg *m,
				       const uint8_t *key, size_t key_len)
{
	if (!(m->present & IKEV2_BIT(IKEV2_PL_AUTH)))    /* IDr came in the first reply */
		return INI2_ERR_AUTH;
	if (key) {
		uint8_t want[CRYPTO_MAX_HASH];
		size_t n;
		psk_auth_value(s, true, key, key_len, s->idr_body.data, s->idr_body.len, want, &n);
		bool ok = n && m->auth.method == IKEV2_AUTH_PSK && m->auth.data.len == n &&
			  mem_cmp_ct(want, m->auth.data.data, n) == 0;
		mem_wipe(want, sizeof(want));
		return ok ? INI2_OK : INI2_ERR_AUTH;
	}
	struct crypto_cert *c;
	if (check_cert(s, m, &c) < 0)
		return INI2_ERR_CERT;
	enum crypto_sig scheme;
	const uint8_t *sig;
	size_t sig_len;
	struct buf oct;
	buf_init(&oct);
	enum ini2_result r = INI2_ERR_AUTH;
	if (v2_auth_parse_sig(&m->auth, &scheme, &sig, &sig_len) == 0 &&
	    v2_auth_octets_raw(s->km.prf, s->km.sk_pr, s->resp1.data, s->resp1.len, s->ni,
			       sizeof(s->ni), s->idr_body.data, s->idr_body.len, &oct) == 0 &&
	    crypto_verify(c, scheme, oct.data, oct.len, sig, sig_len) == 0)
		r = INI2_OK;
	buf_free(&oct);
	crypto_cert_free(c);
	return r;
}

/* ---- the CHILD SA and the lease ------------------------------------------- */

static void take_cp(struct ini2 *s, const struct ikev2_cp *cp)
{
	struct ini2_lease *l = &s->lease;
	for (unsigned i = 0; i < cp->n; i++) {
		const struct ikev2_cp_attr *a = &cp->a[i];
		const uint8_t *v = a->value.data;
		size_t n = a->value.len;
		if (a->type == IKEV2_CA_INTERNAL_IP4_ADDRESS && n >= 4 && !l->addr)
			l->addr = be32(v);
		else if (a->type == IKEV2_CA_INTERNAL_IP4_NETMASK && n == 4)
			l->netmask = be32(v);
		else if (a->type == IKEV2_CA_INTERNAL_IP4_DNS && n == 4 && l->n_dns < INI2_MAX_DNS)
			l->dns[l->n_dns++] = be32(v);
		else if (a->type == IKEV2_CA_INTERNAL_IP4_NBNS && n == 4 && l->n_nbns < 2)
			l->nbns[l->n_nbns++] = be32(v);
		else if (a->type == IKEV2_CA_INTERNAL_DNS_DOMAIN && n && n < sizeof(l->domain) &&
			 !l->domain[0]) {
			for (size_t j = 0; j < n; j++)   /* printable only: it reaches a script */
				l->domain[j] = v[j] > 32 && v[j] < 127 ? (char)v[j] : '_';
			l->domain[n] = 0;
		}
	}
}

static void take_tsr(struct ini2 *s, const struct ikev2_ts_list *tsr)
{
	struct ini2_lease *l = &s->lease;
	for (unsigned i = 0; i < tsr->n; i++) {
		const struct ikev2_ts *t = &tsr->ts[i];
		uint32_t a, m;
		if (t->type != IKEV2_TS_IPV4_ADDR_RANGE ||
		    !ini2_range_to_net(be32(t->start), be32(t->end), &a, &m))
			continue;
		if (m == 0 && t->ip_proto == 0) {
			l->full_tunnel = true;
			continue;
		}
		if (l->n_split < INI2_MAX_NETS)
			l->split[l->n_split++] = (struct ini2_net){
				a, m, t->ip_proto, t->start_port == t->end_port ? t->start_port : 0, 0 };
	}
	if (l->full_tunnel)
		l->n_split = 0;
}

/* The gateway's single ESP proposal, checked against `offer`; *dh: its DH
 * transform (0 = none; only a CREATE_CHILD_SA with PFS has one). */
int ini2_esp_choice(const struct ikev2_sa *offer, const struct ikev2_sa *sa, uint32_t spi_in,
		    struct ini2_child *c, uint16_t *dh)
{
	*dh = 0;
	if (sa->n != 1 || sa->p[0].protocol != IKEV2_PROTO_ESP || sa->p[0].spi_size != 4)
		return -1;
	const struct ikev2_proposal *p = &sa->p[0];
	for (unsigned i = 0; i < p->n_transforms; i++) {
		const struct ikev2_transform *t = &p->t[i];
		if (!offered(offer, t))
			return -1;
		if (t->type == IKEV2_TRANS_ENCR)
			c->encr = crypto_encr_ikev2(t->id, t->key_bits);
		else if (t->type == IKEV2_TRANS_INTEG)
			c->integ = crypto_integ_ikev2(t->id);
		else if (t->type == IKEV2_TRANS_ESN)
			c->esn = t->id == 1;
		else if (t->type == IKEV2_TRANS_DH)
			*dh = t->id;
	}
	if (!c->encr || (!c->encr->aead && !c->integ))
		return -1;
	c->spi_in = spi_in;
	c->spi_out = be32(p->spi);
	return 0;
}

/* KEYMAT = prf+(SK_d, [g^ir |] Ni | Nr) (§2.17) to the data plane. */
int ini2_child_keys_up(struct ini2 *s, struct ini2_child *c, bool we_init, const uint8_t *gir,
		       size_t gir_len, const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		       size_t nr_len)
{
	struct ike_child_keys k;
	if (ike_child_keymat(s->km.prf, s->km.sk_d, s->km.prf_len, gir, gir_len, ni, ni_len, nr,
			     nr_len, c->encr->key_len, c->integ ? c->integ->key_len : 0, &k) < 0)
		return -1;
	/* "i" keys: the initiator of this exchange to its responder (§2.17),
	 * whichever side started the IKE SA */
	c->encr_out = we_init ? k.encr_i : k.encr_r;
	c->integ_out = c->integ ? (we_init ? k.integ_i : k.integ_r) : NULL;
	c->encr_in = we_init ? k.encr_r : k.encr_i;
	c->integ_in = c->integ ? (we_init ? k.integ_r : k.integ_i) : NULL;
	int rc = s->h.child_up ? s->h.child_up(s->h.arg, c) : 0;
	mem_wipe(&k, sizeof(k));
	c->encr_out = c->encr_in = c->integ_out = c->integ_in = NULL;
	return rc;
}

/* <-- ... CP(CFG_REPLY), SAr2, TSi, TSr: keys to the data plane, lease up. */
static void finish_child(struct ini2 *s, const struct ikev2_msg *m)
{
	struct ini2_child c = { 0 };
	if (ikev2_msg_notify(m, IKEV2_N_INTERNAL_ADDRESS_FAILURE) ||
	    ikev2_msg_notify(m, IKEV2_N_FAILED_CP_REQUIRED)) {
		fail(s, INI2_ERR_ADDRESS, "the gateway assigned no address");
		return;
	}
	if (ikev2_msg_notify(m, IKEV2_N_NO_PROPOSAL_CHOSEN)) {
		fail(s, INI2_ERR_PROPOSAL, "IKE_AUTH: NO_PROPOSAL_CHOSEN for ESP");
		return;
	}
	memset(&s->lease, 0, sizeof(s->lease));
	if (m->present & IKEV2_BIT(IKEV2_PL_CP))
		take_cp(s, &m->cp);
	if (!s->lease.addr) {
		fail(s, INI2_ERR_ADDRESS, "no INTERNAL_IP4_ADDRESS in the CP reply");
		return;
	}
	struct ikev2_sa offer;
	uint16_t dh;
	ini2_esp_offer(&offer, s->child_spi_in);
	if (!(m->present & IKEV2_BIT(IKEV2_PL_SA)) ||
	    ini2_esp_choice(&offer, &m->sa, s->child_spi_in, &c, &dh) < 0) {
		fail(s, INI2_ERR_PROPOSAL, "IKE_AUTH: no usable ESP proposal in the reply");
		return;
	}
	take_tsr(s, &m->tsr);
	if (ini2_child_keys_up(s, &c, true, NULL, 0, s->ni, sizeof(s->ni), s->nr, s->nr_len) < 0) {
		fail(s, INI2_ERR_PROTOCOL, "the data plane refused the CHILD SA");
		return;
	}
	s->child_spi_out = c.spi_out;
	s->child_installed = true;
	s->st = INI2_ST_UP;
	ini2_arm_dpd(s);
	ini2_rekey_start_timers(s, true, true);
	if (s->h.up)
		s->h.up(s->h.arg, &s->lease);
}

/* ---- EAP ----------------------------------------------------------------------- */

static void fill_eap(struct ini2 *s, struct ikev2_wr *w, const void *arg)
{
	(void)s;
	const struct buf *b = arg;
	ikev2_w_eap(w, b->data, b->len);
}

/* HDR, SK {AUTH} --> after EAP-Success: keyed with the MSK, or SK_pi when
 * the method has none (RFC 7296 §2.16) */
static void fill_final_auth(struct ini2 *s, struct ikev2_wr *w, const void *arg)
{
	(void)arg;
	uint8_t auth[CRYPTO_MAX_HASH];
	size_t n;
	const uint8_t *key = s->eap.have_msk ? s->eap.msk : s->km.sk_pi;
	size_t key_len = s->eap.have_msk ? sizeof(s->eap.msk) : s->km.prf_len;
	psk_auth_value(s, false, key, key_len, s->idi_body, s->idi_len, auth, &n);
	ikev2_w_auth(w, IKEV2_AUTH_PSK, auth, n);
	mem_wipe(auth, sizeof(auth));
}

static void eap_round(struct ini2 *s, const struct ikev2_msg *m)
{
	struct buf out;
	buf_init(&out);
	enum eap_peer_step st = eap_peer_process(&s->eap, m->eap.data, m->eap.len, &out);
	int rc = 0;
	if (st == EAP_PEER_SEND) {
		s->st = INI2_ST_EAP;
		rc = ini2_request(s, IKEV2_IKE_AUTH, fill_eap, &out);
	} else if (st == EAP_PEER_SUCCESS) {
		s->st = INI2_ST_EAP_AUTH;
		rc = ini2_request(s, IKEV2_IKE_AUTH, fill_final_auth, NULL);
	} else {
		buf_free(&out);
		fail(s, INI2_ERR_AUTH, s->eap.why ? s->eap.why : "EAP failed");
		return;
	}
	buf_free(&out);
	if (rc < 0)
		fail(s, INI2_ERR_PROTOCOL, "cannot build the EAP message");
}

/* ---- responses ---------------------------------------------------------------- */

static void on_auth_reply(struct ini2 *s)
{
	const struct ikev2_msg *m = s->in;
	if (ikev2_msg_notify(m, IKEV2_N_AUTHENTICATION_FAILED)) {
		fail(s, INI2_ERR_AUTH, "the gateway answered AUTHENTICATION_FAILED");
		return;
	}
	if (s->st == INI2_ST_AUTH) {
		if (!(m->present & IKEV2_BIT(IKEV2_PL_IDR))) {
			fail(s, INI2_ERR_PROTOCOL, "IKE_AUTH reply without IDr");
			return;
		}
		buf_reset(&s->idr_body);
		buf_put(&s->idr_body, m->idr.body.data, m->idr.body.len);
		const char *k = s->cfg.secret ? s->cfg.secret : "";
		enum ini2_result r = s->cfg.auth == INI2_PSK
					     ? verify_gw_auth(s, m, (const uint8_t *)k, strlen(k))
					     : verify_gw_auth(s, m, NULL, 0);
		if (r != INI2_OK) {
			fail(s, r, r == INI2_ERR_CERT ? "the gateway certificate is not trusted"
						      : "the gateway's AUTH does not verify");
			return;
		}
	}
	if (s->st == INI2_ST_EAP_AUTH) {
		const uint8_t *key = s->eap.have_msk ? s->eap.msk : s->km.sk_pr;
		size_t key_len = s->eap.have_msk ? sizeof(s->eap.msk) : s->km.prf_len;
		if (verify_gw_auth(s, m, key, key_len) != INI2_OK) {
			fail(s, INI2_ERR_AUTH, "the gateway's AUTH after EAP does not verify");
			return;
		}
		finish_child(s, m);
		return;
	}
	if (s->cfg.auth != INI2_PSK) {
		if (!(m->present & IKEV2_BIT(IKEV2_PL_EAP))) {
			fail(s, INI2_ERR_PROTOCOL, "the gateway did not start EAP");
			return;
		}
		eap_round(s, m);
		return;
	}
	finish_child(s, m);
}

void ini2_on_response(struct ini2 *s)
{
	switch (s->st) {
	case INI2_ST_AUTH:
	case INI2_ST_EAP:
	case INI2_ST_EAP_AUTH:
		if (s->in->hdr.exchange == IKEV2_IKE_AUTH)
			on_auth_reply(s);
		return;
	case INI2_ST_DELETING:
		ini2_down(s, INI2_OK, "DELETE answered");
		return;
	case INI2_ST_UP:
		ini2_rekey_on_response(s);      /* DPD answered: liveness noted in input */
		return;
	default:
		return;
	}
}

/* ---- the gateway's requests --------------------------------------------------------
 * INFORMATIONAL {}          <-- liveness: empty answer
 * INFORMATIONAL {D(IKE)}    <-- answer, then down
 * INFORMATIONAL {D(ESP)}    <-- answer with our SPI, data plane SA removed
 *                               (the current CHILD SA, or the one a rekey replaced)
 * CREATE_CHILD_SA           <-- a rekey of the CHILD SA or of the IKE SA
 *                               (ini2_rekey.c), else N(NO_ADDITIONAL_SAS)
 * after the gateway rekeyed the IKE SA, its D(IKE) on the old SA is answered
 * and the new SA takes over (§2.18) instead of going down. */
struct peer_answer {
	unsigned n;
	uint32_t spi_in[2];                 /* ours, of the CHILD SAs deleted */
	uint16_t notify;
};

static void fill_peer_answer(struct ini2 *s, struct ikev2_wr *w, const void *arg)
{
	(void)s;
	const struct peer_answer *a = arg;
	uint8_t spi[8];
	if (a->notify)
		ikev2_w_notify(w, 0, NULL, 0, a->notify, NULL, 0);
	for (unsigned i = 0; i < a->n; i++) {
		uint32_t v = a->spi_in[i];
		spi[4 * i] = (uint8_t)(v >> 24);
		spi[4 * i + 1] = (uint8_t)(v >> 16);
		spi[4 * i + 2] = (uint8_t)(v >> 8);
		spi[4 * i + 3] = (uint8_t)v;
	}
	if (a->n)
		ikev2_w_delete(w, IKEV2_PROTO_ESP, 4, spi, (uint16_t)a->n);
}

/* Which of our CHILD SAs the gateway's D(ESP, its SPIs = our spi_out) names. */
static void match_deletes(struct ini2 *s, const struct ikev2_msg *m, struct peer_answer *a,
			  bool *cur, bool *old)
{
	for (unsigned i = 0; i < m->n_delete; i++) {
		if (m->del[i].protocol != IKEV2_PROTO_ESP)
			continue;
		for (unsigned j = 0; j + 4 <= m->del[i].spis.len; j += 4) {
			uint32_t spi = be32(m->del[i].spis.data + j);
			if (s->child_installed && spi == s->child_spi_out && !*cur) {
				*cur = true;
				a->spi_in[a->n++] = s->child_spi_in;
			} else if (s->old_installed && spi == s->old_spi_out && !*old) {
				*old = true;
				a->spi_in[a->n++] = s->old_spi_in;
			}
		}
	}
}

void ini2_on_peer_request(struct ini2 *s, const uint8_t *data, size_t len)
{
	(void)data;
	(void)len;
	const struct ikev2_msg *m = s->in;
	uint32_t id = m->hdr.msg_id;
	if (s->have_peer_reply && id + 1 == s->peer_next_id) {
		(void)s->h.send(s->h.arg, s->natt, s->peer_reply.data, s->peer_reply.len);
		return;                           /* a retransmission: the same answer */
	}
	if (id != s->peer_next_id)
		return;
	if (m->hdr.exchange == IKEV2_CREATE_CHILD_SA) {
		ini2_rekey_on_peer_request(s);
		return;
	}
	struct peer_answer a = { 0 };
	bool delete_ike = false, cur = false, old = false;
	for (unsigned i = 0; i < m->n_delete; i++)
		if (m->del[i].protocol == IKEV2_PROTO_IKE)
			delete_ike = true;
	match_deletes(s, m, &a, &cur, &old);
	if (ini2_answer(s, m->hdr.exchange, id, fill_peer_answer, &a) < 0)
		return;
	if (old) {
		if (s->h.child_down)
			s->h.child_down(s->h.arg, s->old_spi_in);
		s->old_installed = false;
	}
	if (cur) {
		if (s->h.child_down)
			s->h.child_down(s->h.arg, s->child_spi_in);
		s->child_installed = false;
		log_msg(SEV_WARNING, "client: the gateway deleted the CHILD SA");
	}
	if (delete_ike && s->rk.ike_ready && s->rk.peer)
		ini2_rekey_finish_ike(s);        /* the old SA of its rekey: the new one lives */
	else if (delete_ike)
		ini2_down(s, INI2_ERR_PEER_DELETE, "the gateway deleted the IKE SA");
}
