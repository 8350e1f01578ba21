/* Rekeying started by the client (RFC 7296 §1.3, §2.8, §2.17, §2.18).
 *
 * ravpnd never starts a rekey and sends no lifetime in IKEv2, so the
 * client does it at about 90 % of a configured lifetime (its defaults are
 * ravpnd's: 28800 s CHILD, 86400 s IKE), minus up to 3 % jitter so that
 * clients that connected together do not all rekey in the same second.
 *
 * CHILD SA, make-before-break:
 *   HDR, SK {N(REKEY_SA, our old SPI), SA(new SPI), Ni, [KEi], TSi, TSr} -->
 *                                      <-- HDR, SK {SA, Nr, [KEr], TSi, TSr}
 *   KEYMAT = prf+(SK_d, [g^ir |] Ni | Nr) with the new nonces (§2.17); the
 *   new SA goes to the data plane next to the old one (ours sends on the
 *   newest at once, the gateway's switches when it sees the new SA used or
 *   the old one deleted), then
 *   HDR, SK {D(ESP, old SPI)} -->        <-- HDR, SK {D(ESP, its old SPI)}
 *   and only then the old SA leaves our data plane.
 *   PFS: none unless child_pfs is set.  NO_PROPOSAL_CHOSEN without PFS (the
 *   gateway's `set pfs`) retries with every group offered and KEi of the
 *   IKE SA's group; INVALID_KE_PAYLOAD retries with the group it names.
 *
 * IKE SA:
 *   HDR, SK {SA(IKE, new SPIi), Ni, KEi} -->   <-- HDR, SK {SA(new SPIr), Nr, KEr}
 *   SKEYSEED = prf_old(SK_d old, g^ir | Ni | Nr), prf+ with the new SPIs
 *   (§2.18); the CHILD SAs now belong to the new SA (the gateway moved them
 *   when it answered), then on the old SA:
 *   HDR(old SPIs), SK {D(IKE)} -->             <-- HDR, SK {}
 *   and we switch to the new SA, message IDs from 0.
 *
 * A failed rekey is logged and tried again at half the time that is left:
 * the session lives on until the lifetime really ends. */
#include <string.h>

#include "base/log.h"
#include "base/loop.h"
#include "base/mem.h"
#include "client/ini2_int.h"

#define CHILD_LIFETIME_DEFAULT 28800u
#define IKE_LIFETIME_DEFAULT 86400u

static uint64_t unit_ms(const struct ini2 *s)
{
	return s->cfg.lifetime_unit_ms ? s->cfg.lifetime_unit_ms : 1000;
}

static uint64_t life_ms(const struct ini2 *s, bool ike)
{
	unsigned l = ike ? s->cfg.ike_lifetime : s->cfg.child_lifetime;
	if (!l)
		l = ike ? IKE_LIFETIME_DEFAULT : CHILD_LIFETIME_DEFAULT;
	return (uint64_t)l * unit_ms(s);
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ---- timers ----------------------------------------------------------------- */

static void child_due(void *arg);
static void ike_due(void *arg);

static void arm(struct ini2 *s, bool ike, uint64_t ms)
{
	struct loop_timer **t = ike ? &s->ike_rk_t : &s->child_rk_t;
	loop_timer_cancel(s->loop, *t);
	*t = loop_timer_add(s->loop, ms, ike ? ike_due : child_due, s);
}

/* 90 % of the lifetime minus up to 3 % jitter. */
static uint64_t rekey_after_ms(const struct ini2 *s, bool ike)
{
	uint64_t l = life_ms(s, ike);
	uint32_t r;
	if (crypto_random(&r, sizeof(r)) < 0)
		r = 0;
	return l * 9 / 10 - (l / 33 ? r % (l / 33) : 0);
}

void ini2_rekey_start_timers(struct ini2 *s, bool child, bool ike)
{
	uint64_t now = loop_now_ms();
	if (child) {
		s->child_born_ms = now;
		arm(s, false, rekey_after_ms(s, false));
	}
	if (ike) {
		s->ike_born_ms = now;
		arm(s, true, rekey_after_ms(s, true));
	}
}

static void rk_clear(struct ini2 *s)
{
	crypto_dh_free(s->rk.dh);
	ike_sk_free(&s->rk.sk);
	ike_keys_wipe(&s->rk.km);
	mem_wipe(&s->rk, sizeof(s->rk));
}

void ini2_rekey_stop(struct ini2 *s)
{
	loop_timer_cancel(s->loop, s->child_rk_t);
	loop_timer_cancel(s->loop, s->ike_rk_t);
	s->child_rk_t = s->ike_rk_t = NULL;
	rk_clear(s);
}

/* Try again at half the time that is left (at least one lifetime unit). */
static void rekey_failed(struct ini2 *s, bool ike, const char *why)
{
	log_msg(SEV_WARNING, "client: %s rekey failed: %s", ike ? "IKE SA" : "CHILD SA", why);
	rk_clear(s);
	s->req_kind = INI2_REQ_NONE;
	uint64_t end = (ike ? s->ike_born_ms : s->child_born_ms) + life_ms(s, ike);
	uint64_t now = loop_now_ms();
	uint64_t left = end > now ? end - now : 0;
	arm(s, ike, left / 2 > unit_ms(s) ? left / 2 : unit_ms(s));
}

static void due(struct ini2 *s, bool ike)
{
	if (s->st != INI2_ST_UP)
		return;
	if (s->req_out) {                 /* window 1: after the request in flight */
		arm(s, ike, unit_ms(s));
		return;
	}
	if ((ike ? ini2_rekey_ike(s) : ini2_rekey_child(s)) < 0)
		rekey_failed(s, ike, "cannot build the request");
}

static void child_due(void *arg)
{
	struct ini2 *s = arg;
	s->child_rk_t = NULL;
	due(s, false);
}

static void ike_due(void *arg)
{
	struct ini2 *s = arg;
	s->ike_rk_t = NULL;
	due(s, true);
}

static int rk_dh(struct ini2 *s, uint16_t group)
{
	crypto_dh_free(s->rk.dh);
	s->rk.dh = NULL;
	s->rk.g = group ? crypto_dh_group(group) : NULL;
	if (!group)
		return 0;
	if (!s->rk.g || !(s->rk.dh = crypto_dh_new(s->rk.g)))
		return -1;
	return crypto_dh_public(s->rk.dh, s->rk.pub);
}

/* g^ir of the rekey; -1 when the gateway's KE is missing or bad. */
static int rk_shared(struct ini2 *s, const struct ikev2_msg *m, uint8_t *gir, size_t *gir_len)
{
	if (!(m->present & IKEV2_BIT(IKEV2_PL_KE)) || m->ke.group != s->rk.g->id)
		return -1;
	return crypto_dh_shared(s->rk.dh, m->ke.data.data, m->ke.data.len, gir, gir_len);
}

/* ---- CHILD SA ---------------------------------------------------------------- */

static void child_offer(const struct ini2 *s, struct ikev2_sa *o)
{
	if (s->rk.g)
		ini2_esp_offer_pfs(o, s->rk.spi_in, s->rk.g->id, s->rk.pfs_all);
	else
		ini2_esp_offer(o, s->rk.spi_in);
}

/* HDR, SK {N(REKEY_SA), SA, Ni, [KEi], TSi, TSr} --> */
static void fill_child_rekey(struct ini2 *s, struct ikev2_wr *w, const void *arg)
{
	(void)arg;
	uint8_t spi[4];
	struct ikev2_sa offer;
	put_be32(spi, s->child_spi_in);     /* the SPI the gateway sends to */
	ikev2_w_notify(w, IKEV2_PROTO_ESP, spi, 4, IKEV2_N_REKEY_SA, NULL, 0);
	child_offer(s, &offer);
	ikev2_w_sa(w, offer.p, offer.n);
	ikev2_w_nonce(w, s->rk.ni, sizeof(s->rk.ni));
	if (s->rk.g)
		ikev2_w_ke(w, s->rk.g->id, s->rk.pub, s->rk.g->pub_len);
	ini2_write_ts_all(w);
}

static int send_child_rekey(struct ini2 *s, uint16_t pfs)
{
	if (crypto_random(s->rk.ni, sizeof(s->rk.ni)) < 0 || rk_dh(s, pfs) < 0)
		return -1;
	s->req_kind = INI2_REQ_REKEY_CHILD;
	return ini2_request(s, IKEV2_CREATE_CHILD_SA, fill_child_rekey, NULL);
}

int ini2_rekey_child(struct ini2 *s)
{
	if (s->st != INI2_ST_UP || s->req_out || !s->child_installed)
		return -1;
	rk_clear(s);
	if (ini2_alloc_child_spi(s, &s->rk.spi_in) < 0)
		return -1;
	log_debug(LOG_IKEV2, 1, "client: rekeying CHILD SA 0x%08x/0x%08x", s->child_spi_in,
		  s->child_spi_out);
	return send_child_rekey(s, s->cfg.child_pfs);
}

static void fill_delete_child(struct ini2 *s, struct ikev2_wr *w, const void *arg)
{
	(void)arg;
	uint8_t spi[4];
	put_be32(spi, s->old_spi_in);
	ikev2_w_delete(w, IKEV2_PROTO_ESP, 4, spi, 1);
}

/* The answer is a refusal we can adjust to: send again.  true if sent. */
static bool child_retry(struct ini2 *s, const struct ikev2_msg *m)
{
	const struct ikev2_notify *n = ikev2_msg_notify(m, IKEV2_N_INVALID_KE_PAYLOAD);
	uint16_t want = 0;
	if (n && n->data.len == 2)
		want = (uint16_t)(n->data.data[0] << 8 | n->data.data[1]);
	if (want && (!s->rk.g || want != s->rk.g->id) && crypto_dh_group(want)) {
		s->rk.pfs_all = false;
		return send_child_rekey(s, want) == 0;
	}
	if (!n && !s->rk.g && ikev2_msg_notify(m, IKEV2_N_NO_PROPOSAL_CHOSEN)) {
		log_debug(LOG_IKEV2, 2, "client: CHILD rekey refused without PFS, offering PFS");
		s->rk.pfs_all = true;
		return send_child_rekey(s, s->g->id) == 0;
	}
	return false;
}

/* The new SA's keys to the data plane; 0, or the reason it failed. */
static const char *child_install(struct ini2 *s, const struct ikev2_msg *m, struct ini2_child *c)
{
	struct ikev2_sa offer;
	uint16_t dh;
	uint8_t gir[CRYPTO_MAX_DH_PUB];
	size_t gir_len = 0;
	const char *why = NULL;
	child_offer(s, &offer);
	if (!(m->present & IKEV2_BIT(IKEV2_PL_SA)) || m->nonce.len < IKE_NONCE_MIN ||
	    m->nonce.len > IKE_NONCE_MAX || ini2_esp_choice(&offer, &m->sa, s->rk.spi_in, c, &dh) < 0)
		return "no usable SA or nonce in the answer";
	if (dh != (s->rk.g ? s->rk.g->id : 0))
		return "the gateway chose another DH group than our KEi";
	if (s->rk.g) {
		gir_len = sizeof(gir);
		if (rk_shared(s, m, gir, &gir_len) < 0)
			why = "bad KEr";
	}
	if (!why && ini2_child_keys_up(s, c, gir_len ? gir : NULL, gir_len, s->rk.ni,
				       sizeof(s->rk.ni), m->nonce.data, m->nonce.len) < 0)
		why = "the data plane refused the new CHILD SA";
	mem_wipe(gir, sizeof(gir));
	return why;
}

/* <-- HDR, SK {SA, Nr, [KEr], TSi, TSr}: new SA up, then DELETE the old. */
static void on_child_rekeyed(struct ini2 *s)
{
	const struct ikev2_msg *m = s->in;
	struct ini2_child c = { 0 };
	if (child_retry(s, m))
		return;
	for (unsigned i = 0; i < m->n_notify; i++)
		if (m->notify[i].type < 16384) {
			const char *name = ikev2_notify_name(m->notify[i].type);
			rekey_failed(s, false, name ? name : "error notify");
			return;
		}
	const char *why = child_install(s, m, &c);
	if (why) {
		rekey_failed(s, false, why);
		return;
	}
	log_msg(SEV_NOTICE, "client: CHILD SA rekeyed: 0x%08x/0x%08x replaces 0x%08x/0x%08x",
		c.spi_in, c.spi_out, s->child_spi_in, s->child_spi_out);
	s->old_spi_in = s->child_spi_in;
	s->old_spi_out = s->child_spi_out;
	s->old_installed = true;
	s->child_spi_in = c.spi_in;
	s->child_spi_out = c.spi_out;
	s->rekeys_child++;
	rk_clear(s);
	ini2_rekey_start_timers(s, true, false);
	s->req_kind = INI2_REQ_DELETE_CHILD;
	if (ini2_request(s, IKEV2_INFORMATIONAL, fill_delete_child, NULL) < 0)
		ini2_down(s, INI2_ERR_PROTOCOL, "cannot build the DELETE of the old CHILD SA");
}

/* <-- HDR, SK {D(ESP, its old SPI)}: the old SA leaves our data plane. */
static void on_old_child_deleted(struct ini2 *s)
{
	if (s->old_installed && s->h.child_down)
		s->h.child_down(s->h.arg, s->old_spi_in);
	s->old_installed = false;
}

/* ---- IKE SA ---------------------------------------------------------------------- */

/* HDR, SK {SA(IKE, new SPIi), Ni, KEi} --> */
static void fill_ike_rekey(struct ini2 *s, struct ikev2_wr *w, const void *arg)
{
	(void)arg;
	struct ikev2_sa offer;
	ini2_ike_offer(&offer);
	for (unsigned i = 0; i < offer.n; i++) {
		offer.p[i].spi_size = 8;
		for (int b = 0; b < 8; b++)
			offer.p[i].spi[b] = (uint8_t)(s->rk.spi_i >> (56 - 8 * b));
	}
	ikev2_w_sa(w, offer.p, offer.n);
	ikev2_w_nonce(w, s->rk.ni, sizeof(s->rk.ni));
	ikev2_w_ke(w, s->rk.g->id, s->rk.pub, s->rk.g->pub_len);
}

static int send_ike_rekey(struct ini2 *s, uint16_t group)
{
	if (crypto_random(s->rk.ni, sizeof(s->rk.ni)) < 0 || rk_dh(s, group) < 0)
		return -1;
	s->req_kind = INI2_REQ_REKEY_IKE;
	return ini2_request(s, IKEV2_CREATE_CHILD_SA, fill_ike_rekey, NULL);
}

int ini2_rekey_ike(struct ini2 *s)
{
	if (s->st != INI2_ST_UP || s->req_out)
		return -1;
	rk_clear(s);
	while (!s->rk.spi_i || s->rk.spi_i == s->spi_i)
		if (crypto_random(&s->rk.spi_i, sizeof(s->rk.spi_i)) < 0)
			return -1;
	log_debug(LOG_IKEV2, 1, "client: rekeying IKE SA %016llx/%016llx",
		  (unsigned long long)s->spi_i, (unsigned long long)s->spi_r);
	return send_ike_rekey(s, s->g->id);
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* The new IKE SA's keys (§2.18) and SK contexts; 0, or why not. */
static const char *ike_keys(struct ini2 *s, const struct ikev2_msg *m)
{
	uint8_t gir[CRYPTO_MAX_DH_PUB];
	size_t gir_len = sizeof(gir);
	const char *why = NULL;
	uint32_t need = IKEV2_BIT(IKEV2_PL_SA) | IKEV2_BIT(IKEV2_PL_KE) | IKEV2_BIT(IKEV2_PL_NONCE);
	if ((m->present & need) != need || m->sa.n != 1 || m->sa.p[0].spi_size != 8 ||
	    m->nonce.len < IKE_NONCE_MIN || m->nonce.len > IKE_NONCE_MAX)
		return "no SA(SPI), KEr or Nr in the answer";
	if (ini2_ike_choice(&m->sa, s->rk.g, &s->rk.km) < 0)
		return "the gateway chose what we did not offer";
	s->rk.spi_r = be64(m->sa.p[0].spi);
	if (!s->rk.spi_r || rk_shared(s, m, gir, &gir_len) < 0)
		why = "bad SPI or KEr";
	else if (ike_keys_derive_rekey(&s->rk.km, s->km.prf, s->km.sk_d, s->km.prf_len, gir,
				       gir_len, s->rk.ni, sizeof(s->rk.ni), m->nonce.data,
				       m->nonce.len, s->rk.spi_i, s->rk.spi_r) < 0 ||
		 ike_sk_init(&s->rk.sk, s->rk.km.encr, s->rk.km.integ, s->rk.km.sk_er,
			     s->rk.km.sk_ar, s->rk.km.sk_ei, s->rk.km.sk_ai) < 0)
		why = "key derivation failed";
	mem_wipe(gir, sizeof(gir));
	return why;
}

static void fill_delete_ike(struct ini2 *s, struct ikev2_wr *w, const void *arg)
{
	(void)s;
	(void)arg;
	ikev2_w_delete(w, IKEV2_PROTO_IKE, 0, NULL, 0);
}

/* <-- HDR, SK {SA, Nr, KEr}: new keys ready, DELETE the old SA on it. */
static void on_ike_rekeyed(struct ini2 *s)
{
	const struct ikev2_msg *m = s->in;
	const struct ikev2_notify *n = ikev2_msg_notify(m, IKEV2_N_INVALID_KE_PAYLOAD);
	if (n && n->data.len == 2) {
		uint16_t want = (uint16_t)(n->data.data[0] << 8 | n->data.data[1]);
		if (want != s->rk.g->id && crypto_dh_group(want) && send_ike_rekey(s, want) == 0)
			return;
	}
	for (unsigned i = 0; i < m->n_notify; i++)
		if (m->notify[i].type < 16384) {
			const char *name = ikev2_notify_name(m->notify[i].type);
			rekey_failed(s, true, name ? name : "error notify");
			return;
		}
	const char *why = ike_keys(s, m);
	if (why) {
		rekey_failed(s, true, why);
		return;
	}
	crypto_dh_free(s->rk.dh);
	s->rk.dh = NULL;
	s->rk.ike_ready = true;
	s->req_kind = INI2_REQ_DELETE_OLD_IKE;
	if (ini2_request(s, IKEV2_INFORMATIONAL, fill_delete_ike, NULL) < 0)
		ini2_down(s, INI2_ERR_PROTOCOL, "cannot build the DELETE of the old IKE SA");
}

/* From now on the new IKE SA: its SPIs, keys, message IDs from 0. */
void ini2_rekey_finish_ike(struct ini2 *s)
{
	if (!s->rk.ike_ready)
		return;
	log_msg(SEV_NOTICE, "client: IKE SA rekeyed: %016llx/%016llx replaces %016llx/%016llx",
		(unsigned long long)s->rk.spi_i, (unsigned long long)s->rk.spi_r,
		(unsigned long long)s->spi_i, (unsigned long long)s->spi_r);
	ike_sk_free(&s->sk);
	ike_keys_wipe(&s->km);
	s->sk = s->rk.sk;
	s->km = s->rk.km;
	mem_wipe(&s->rk.sk, sizeof(s->rk.sk));     /* moved, not to be freed twice */
	s->spi_i = s->rk.spi_i;
	s->spi_r = s->rk.spi_r;
	s->g = s->rk.g;
	s->next_id = 0;
	s->peer_next_id = 0;
	s->have_peer_reply = false;
	ike_frag_rx_clear(&s->frag);
	s->rekeys_ike++;
	rk_clear(s);
	s->req_kind = INI2_REQ_NONE;
	ini2_rekey_start_timers(s, false, true);
}

/* ---- dispatch ---------------------------------------------------------------------- */

void ini2_rekey_on_response(struct ini2 *s)
{
	bool create = s->in->hdr.exchange == IKEV2_CREATE_CHILD_SA;
	switch (s->req_kind) {
	case INI2_REQ_REKEY_CHILD:
		if (create)
			on_child_rekeyed(s);
		else
			rekey_failed(s, false, "answered with another exchange");
		return;
	case INI2_REQ_REKEY_IKE:
		if (create)
			on_ike_rekeyed(s);
		else
			rekey_failed(s, true, "answered with another exchange");
		return;
	case INI2_REQ_DELETE_CHILD:
		s->req_kind = INI2_REQ_NONE;
		on_old_child_deleted(s);
		return;
	case INI2_REQ_DELETE_OLD_IKE:
		ini2_rekey_finish_ike(s);
		return;
	default:
		s->req_kind = INI2_REQ_NONE;
		return;
	}
}

unsigned ini2_rekeys(const struct ini2 *s, bool ike)
{
	return ike ? s->rekeys_ike : s->rekeys_child;
}
