/* Rekeying started by the client (RFC 7296 §1.3, §2.8, §2.17, §2.18), and
 * the answers to the gateway's rekeys (at the end of this file).
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
	loop_timer_cancel(s->loop, s->old_t);
	loop_timer_cancel(s->loop, s->peer_ike_t);
	s->child_rk_t = s->ike_rk_t = s->old_t = s->peer_ike_t = NULL;
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
	if (s->req_out || ini2_rekey_busy(s)) {   /* window 1: after what is in flight */
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
	if (s->st != INI2_ST_UP || s->req_out || ini2_rekey_busy(s) || !s->child_installed)
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
	if (!why && ini2_child_keys_up(s, c, true, gir_len ? gir : NULL, gir_len, s->rk.ni,
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
	if (s->st != INI2_ST_UP || s->req_out || ini2_rekey_busy(s))
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
	log_msg(SEV_NOTICE, "client: IKE SA rekeyed%s: %016llx/%016llx replaces %016llx/%016llx",
		s->rk.peer ? " by the gateway" : "", (unsigned long long)s->rk.spi_i, (unsigned long long)s->rk.spi_r,
		(unsigned long long)s->spi_i, (unsigned long long)s->spi_r);
	ike_sk_free(&s->sk);
	ike_keys_wipe(&s->km);
	s->sk = s->rk.sk;
	s->km = s->rk.km;
	mem_wipe(&s->rk.sk, sizeof(s->rk.sk));     /* moved, not to be freed twice */
	s->spi_i = s->rk.spi_i;
	s->spi_r = s->rk.spi_r;
	s->orig_resp = s->rk.peer;
	s->g = s->rk.g;
	loop_timer_cancel(s->loop, s->peer_ike_t);
	s->peer_ike_t = NULL;
	s->next_id = 0;
	s->peer_next_id = 0;
	s->have_peer_reply = false;
	ike_frag_rx_clear(&s->frag);
	s->rekeys_ike++;
	rk_clear(s);
	s->req_kind = INI2_REQ_NONE;
	ini2_rekey_start_timers(s, false, true);
}

/* ---- rekeys started by the gateway: we answer -------------------------------------
 * CHILD SA:
 *   <-- HDR, SK {N(REKEY_SA, its inbound SPI = our spi_out), SA(its new SPI), Ni,
 *                [KEi], TSi, TSr}
 *   HDR, SK {SA(our new SPI), Nr, [KEr], TSi, TSr} -->
 *   We are the responder of this exchange though we started the IKE SA: the
 *   gateway's nonce is Ni and the "initiator -> responder" KEYMAT is what we
 *   receive (§2.17).  The new SA goes to the data plane before the answer
 *   leaves; the ESP layer keeps sending on the old one until a packet
 *   arrives on the new (the gateway may not have our answer yet).  The
 *   gateway then deletes the old SA (ini2_exch.c answers that DELETE); if it
 *   has not after OLD_CHILD_GRACE units we delete it ourselves.
 * IKE SA:
 *   <-- HDR, SK {SA(IKE, its new SPI), Ni, KEi}
 *   HDR, SK {SA(our new SPI), Nr, KEr} -->
 *   The gateway is the initiator of the new SA (§2.18): its SPI is SPIi, its
 *   nonce Ni, and after the switch it sets the I flag, not we.  The old SA
 *   stays until the gateway's D(IKE) on it (or a message on the new SA, or
 *   PEER_IKE_GRACE units: it forgot); the CHILD SAs carry on untouched.
 * Collisions (§2.25): while a rekey or a DELETE of ours is in flight, or a
 * replaced SA is not yet deleted, we answer TEMPORARY_FAILURE and the
 * gateway tries again a little later.  Simpler than §2.8.1 (finish both,
 * the lower nonce's SA deleted) and enough: strongSwan and the ASA retry. */

#define OLD_CHILD_GRACE 10u         /* lifetime units (seconds) */
#define PEER_IKE_GRACE 10u

struct peer_rekey {
	const struct ikev2_msg *m;
	uint16_t notify;                    /* an error: the whole answer */
	uint8_t notify_data[2];
	size_t notify_len;
	struct ikev2_proposal prop;         /* chosen, with our new SPI */
	uint8_t nr[INI2_NONCE_LEN];
	const struct crypto_dh_group *g;    /* KEr; NULL: none */
	uint8_t pub[CRYPTO_MAX_DH_PUB];
	bool ts;                            /* CHILD: TSi, TSr back as they came */
};

static void fill_peer_rekey(struct ini2 *s, struct ikev2_wr *w, const void *arg)
{
	(void)s;
	const struct peer_rekey *a = arg;
	if (a->notify) {
		ikev2_w_notify(w, 0, NULL, 0, a->notify, a->notify_data, a->notify_len);
		return;
	}
	ikev2_w_sa(w, &a->prop, 1);
	ikev2_w_nonce(w, a->nr, sizeof(a->nr));
	if (a->g)
		ikev2_w_ke(w, a->g->id, a->pub, a->g->pub_len);
	if (a->ts) {
		ikev2_w_ts(w, IKEV2_PL_TSI, &a->m->tsi);
		ikev2_w_ts(w, IKEV2_PL_TSR, &a->m->tsr);
	}
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool nonce_ok(const struct ikev2_msg *m)
{
	return (m->present & IKEV2_BIT(IKEV2_PL_NONCE)) && m->nonce.len >= IKE_NONCE_MIN &&
	       m->nonce.len <= IKE_NONCE_MAX;
}

/* Something of ours that a rekey of the gateway would collide with. */
static bool ours_in_flight(const struct ini2 *s)
{
	return ini2_rekey_busy(s) ||
	       (s->req_out && s->req_kind >= INI2_REQ_REKEY_CHILD);
}

/* Our KEr for the gateway's KEi, and g^ir; -1 if the group or KEi is bad. */
static int peer_dh(const struct ikev2_msg *m, struct peer_rekey *a, uint8_t *gir, size_t *gir_len)
{
	struct crypto_dh *dh = NULL;
	int rc = -1;
	a->g = crypto_dh_group(m->ke.group);
	if (a->g && (dh = crypto_dh_new(a->g)) && crypto_dh_public(dh, a->pub) == 0 &&
	    crypto_dh_shared(dh, m->ke.data.data, m->ke.data.len, gir, gir_len) == 0)
		rc = 0;
	crypto_dh_free(dh);
	return rc;
}

/* ini2_pick() said "another group": INVALID_KE_PAYLOAD naming it (§1.3). */
static uint16_t invalid_ke(struct peer_rekey *a, int group)
{
	a->notify_data[0] = (uint8_t)(group >> 8);
	a->notify_data[1] = (uint8_t)group;
	a->notify_len = 2;
	return IKEV2_N_INVALID_KE_PAYLOAD;
}

static void old_child_due(void *arg);

static void arm_old_child(struct ini2 *s, uint64_t ms)
{
	loop_timer_cancel(s->loop, s->old_t);
	s->old_t = loop_timer_add(s->loop, ms, old_child_due, s);
}

/* The gateway rekeyed but kept the old SA: D(ESP, old) ourselves. */
static void old_child_due(void *arg)
{
	struct ini2 *s = arg;
	s->old_t = NULL;
	if (s->st != INI2_ST_UP || !s->old_installed || s->old_spi_in != s->old_t_spi)
		return;
	if (s->req_out || ini2_rekey_busy(s)) {
		arm_old_child(s, unit_ms(s));
		return;
	}
	log_msg(SEV_NOTICE, "client: the gateway kept the replaced CHILD SA 0x%08x, deleting it",
		s->old_spi_in);
	s->req_kind = INI2_REQ_DELETE_CHILD;
	if (ini2_request(s, IKEV2_INFORMATIONAL, fill_delete_child, NULL) < 0)
		ini2_down(s, INI2_ERR_PROTOCOL, "cannot build the DELETE of the old CHILD SA");
}

/* DH NONE is a transform we accept without offering it: not for the check. */
static void without_dh_none(struct ikev2_proposal *p)
{
	unsigned n = 0;
	for (unsigned i = 0; i < p->n_transforms; i++)
		if (p->t[i].type != IKEV2_TRANS_DH || p->t[i].id)
			p->t[n++] = p->t[i];
	p->n_transforms = (uint8_t)n;
}

/* The new CHILD SA's keys to the data plane (we are the exchange's responder). */
static uint16_t peer_child_keys(struct ini2 *s, struct peer_rekey *a, struct ini2_child *c)
{
	const struct ikev2_msg *m = s->in;
	uint8_t gir[CRYPTO_MAX_DH_PUB];
	size_t gir_len = 0;
	uint16_t r = 0;
	if (m->present & IKEV2_BIT(IKEV2_PL_KE)) {
		gir_len = sizeof(gir);
		if (peer_dh(m, a, gir, &gir_len) < 0)
			r = IKEV2_N_INVALID_SYNTAX;
	}
	if (!r && ini2_child_keys_up(s, c, false, gir_len ? gir : NULL, gir_len, m->nonce.data,
				     m->nonce.len, a->nr, sizeof(a->nr)) < 0)
		r = IKEV2_N_TEMPORARY_FAILURE;    /* the data plane refused: maybe later */
	mem_wipe(gir, sizeof(gir));
	return r;
}

/* The new SA is current; the old one waits for the gateway's DELETE. */
static void peer_child_done(struct ini2 *s, const struct ini2_child *c)
{
	log_msg(SEV_NOTICE,
		"client: CHILD SA rekeyed by the gateway: 0x%08x/0x%08x replaces 0x%08x/0x%08x",
		c->spi_in, c->spi_out, s->child_spi_in, s->child_spi_out);
	s->old_spi_in = s->child_spi_in;
	s->old_spi_out = s->child_spi_out;
	s->old_installed = true;
	s->child_spi_in = c->spi_in;
	s->child_spi_out = c->spi_out;
	s->rekeys_child++;
	ini2_rekey_start_timers(s, true, false);
	s->old_t_spi = s->old_spi_in;
	arm_old_child(s, OLD_CHILD_GRACE * unit_ms(s));
}

static uint16_t peer_child(struct ini2 *s, struct peer_rekey *a, const struct ikev2_notify *rk)
{
	const struct ikev2_msg *m = s->in;
	/* §3.10.1: the SPI of the SA being rekeyed as its sender knows it,
	 * its inbound SPI, which is our outbound one */
	if (rk->spi.len != 4 || !s->child_installed || be32(rk->spi.data) != s->child_spi_out)
		return IKEV2_N_CHILD_SA_NOT_FOUND;
	if (s->old_installed || ours_in_flight(s))
		return IKEV2_N_TEMPORARY_FAILURE;
	uint32_t need = IKEV2_BIT(IKEV2_PL_SA) | IKEV2_BIT(IKEV2_PL_TSI) | IKEV2_BIT(IKEV2_PL_TSR);
	if ((m->present & need) != need || !nonce_ok(m))
		return IKEV2_N_INVALID_SYNTAX;
	uint16_t ke = m->present & IKEV2_BIT(IKEV2_PL_KE) ? m->ke.group : 0;
	uint32_t spi_in;
	struct ikev2_sa offer, one = { .n = 1 };
	if (ini2_alloc_child_spi(s, &spi_in) < 0 || crypto_random(a->nr, sizeof(a->nr)) < 0)
		return IKEV2_N_TEMPORARY_FAILURE;
	if (ke)
		ini2_esp_offer_pfs(&offer, spi_in, ke, true);
	else
		ini2_esp_offer(&offer, spi_in);
	int rc = ini2_pick(&offer, &m->sa, ke, &one.p[0]);
	if (rc > 0)
		return invalid_ke(a, rc);
	struct ikev2_sa chk = one;
	struct ini2_child c = { 0 };
	uint16_t dh;
	without_dh_none(&chk.p[0]);
	if (rc < 0 || ini2_esp_choice(&offer, &chk, spi_in, &c, &dh) < 0)
		return IKEV2_N_NO_PROPOSAL_CHOSEN;
	uint16_t r = peer_child_keys(s, a, &c);
	if (r)
		return r;
	a->prop = one.p[0];
	put_be32(a->prop.spi, spi_in);
	a->ts = true;
	peer_child_done(s, &c);
	return 0;
}

static void peer_ike_due(void *arg)
{
	struct ini2 *s = arg;
	s->peer_ike_t = NULL;
	if (!s->rk.ike_ready || !s->rk.peer)
		return;
	log_msg(SEV_WARNING, "client: no DELETE of the IKE SA the gateway rekeyed, switching");
	ini2_rekey_finish_ike(s);
}

/* Keys of the new IKE SA, the gateway its initiator (§2.18). */
static uint16_t peer_ike_keys(struct ini2 *s, struct peer_rekey *a)
{
	const struct ikev2_msg *m = s->in;
	uint8_t gir[CRYPTO_MAX_DH_PUB];
	size_t gir_len = sizeof(gir);
	uint16_t r = 0;
	if (peer_dh(m, a, gir, &gir_len) < 0)
		r = IKEV2_N_INVALID_SYNTAX;
	else if (ike_keys_derive_rekey(&s->rk.km, s->km.prf, s->km.sk_d, s->km.prf_len, gir,
				       gir_len, m->nonce.data, m->nonce.len, a->nr, sizeof(a->nr),
				       s->rk.spi_i, s->rk.spi_r) < 0 ||
		 /* we open what the initiator, the gateway, protects */
		 ike_sk_init(&s->rk.sk, s->rk.km.encr, s->rk.km.integ, s->rk.km.sk_ei,
			     s->rk.km.sk_ai, s->rk.km.sk_er, s->rk.km.sk_ar) < 0)
		r = IKEV2_N_NO_PROPOSAL_CHOSEN;
	mem_wipe(gir, sizeof(gir));
	return r;
}

static uint16_t peer_ike(struct ini2 *s, struct peer_rekey *a)
{
	const struct ikev2_msg *m = s->in;
	/* any request of ours would be lost in the switch (sent on the old SA) */
	if (s->req_out || ours_in_flight(s))
		return IKEV2_N_TEMPORARY_FAILURE;
	if (!(m->present & IKEV2_BIT(IKEV2_PL_KE)) || !nonce_ok(m))
		return IKEV2_N_INVALID_SYNTAX;           /* §2.18: a new DH is mandatory */
	struct ikev2_sa offer, one = { .n = 1 };
	ini2_ike_offer(&offer);
	int rc = ini2_pick(&offer, &m->sa, m->ke.group, &one.p[0]);
	if (rc > 0)
		return invalid_ke(a, rc);
	const struct crypto_dh_group *g = crypto_dh_group(m->ke.group);
	rk_clear(s);
	if (rc < 0 || !g || one.p[0].spi_size != 8 || ini2_ike_choice(&one, g, &s->rk.km) < 0 ||
	    !(s->rk.spi_i = be64(one.p[0].spi)) || crypto_random(a->nr, sizeof(a->nr)) < 0)
		return IKEV2_N_NO_PROPOSAL_CHOSEN;
	while (!s->rk.spi_r || s->rk.spi_r == s->spi_r || s->rk.spi_r == s->spi_i)
		if (crypto_random(&s->rk.spi_r, sizeof(s->rk.spi_r)) < 0)
			return IKEV2_N_TEMPORARY_FAILURE;
	uint16_t r = peer_ike_keys(s, a);
	if (r) {
		rk_clear(s);
		return r;
	}
	s->rk.g = g;
	s->rk.peer = true;
	s->rk.ike_ready = true;
	a->prop = one.p[0];
	for (int b = 0; b < 8; b++)
		a->prop.spi[b] = (uint8_t)(s->rk.spi_r >> (56 - 8 * b));
	loop_timer_cancel(s->loop, s->peer_ike_t);
	s->peer_ike_t = loop_timer_add(s->loop, PEER_IKE_GRACE * unit_ms(s), peer_ike_due, s);
	log_debug(LOG_IKEV2, 1, "client: the gateway rekeys the IKE SA: %016llx/%016llx",
		  (unsigned long long)s->rk.spi_i, (unsigned long long)s->rk.spi_r);
	return 0;
}

void ini2_rekey_on_peer_request(struct ini2 *s)
{
	const struct ikev2_msg *m = s->in;
	struct peer_rekey a = { .m = m };
	const struct ikev2_notify *rk = ikev2_msg_notify(m, IKEV2_N_REKEY_SA);
	bool ike = (m->present & IKEV2_BIT(IKEV2_PL_SA)) && m->sa.n &&
		   m->sa.p[0].protocol == IKEV2_PROTO_IKE;
	if (s->st != INI2_ST_UP)
		a.notify = IKEV2_N_TEMPORARY_FAILURE;    /* closing */
	else if (ike)
		a.notify = peer_ike(s, &a);
	else if (rk)
		a.notify = peer_child(s, &a, rk);
	else
		a.notify = IKEV2_N_NO_ADDITIONAL_SAS;    /* one CHILD SA is all we use */
	if (a.notify) {
		const char *name = ikev2_notify_name(a.notify);
		log_debug(LOG_IKEV2, 1, "client: the gateway's CREATE_CHILD_SA answered %s",
			  name ? name : "with an error");
	}
	if (ini2_answer(s, IKEV2_CREATE_CHILD_SA, m->hdr.msg_id, fill_peer_rekey, &a) < 0)
		log_msg(SEV_WARNING, "client: cannot build the answer to the gateway's rekey");
	mem_wipe(&a, sizeof(a));
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

bool ini2_rekey_busy(const struct ini2 *s)
{
	return s->rk.ike_ready;       /* a new IKE SA waits for the old one's DELETE */
}

unsigned ini2_rekeys(const struct ini2 *s, bool ike)
{
	return ike ? s->rekeys_ike : s->rekeys_child;
}
