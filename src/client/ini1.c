/* IKEv1 initiator: state, transport, timers and phase 1 (Aggressive Mode
 * with a pre-shared group key).  See ini1.h for the exchange. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "base/loop.h"
#include "base/mem.h"
#include "client/ini1_int.h"

#define INI1_TICK_MS 1000u

/* ---- offers (pure) --------------------------------------------------------- */

void ini1_p1_offer(struct ikev1_sa *out, uint16_t group, uint32_t life)
{
	/* Strongest first; each cipher/hash pair first with XAUTH, then plain
	 * pre-shared key, as the Cisco client orders them. */
	static const struct { uint16_t encr, bits, hash; } suites[] = {
		{ IKEV1_ENCR_AES, 256, IKEV1_HASH_SHA1 }, { IKEV1_ENCR_AES, 256, IKEV1_HASH_SHA256 },
		{ IKEV1_ENCR_AES, 128, IKEV1_HASH_SHA1 }, { IKEV1_ENCR_3DES, 0, IKEV1_HASH_SHA1 },
		{ IKEV1_ENCR_3DES, 0, IKEV1_HASH_MD5 }, { IKEV1_ENCR_DES, 0, IKEV1_HASH_MD5 },
	};
	static const uint16_t auths[] = { IKEV1_AUTH_XAUTH_INIT_PSK, IKEV1_AUTH_PSK };
	memset(out, 0, sizeof(*out));
	out->doi = IKEV1_DOI_IPSEC;
	out->situation = IKEV1_SIT_IDENTITY_ONLY;
	out->n = 1;
	out->p[0].num = 1;
	out->p[0].protocol = IKEV1_PROTO_ISAKMP;
	for (size_t a = 0; a < 2; a++) {
		for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
			struct ikev1_transform *t = &out->t[out->n_t];
			t->num = (uint8_t)(out->n_t + 1);
			t->id = IKEV1_KEY_IKE;
			t->encr = suites[i].encr;
			t->key_bits = suites[i].bits;
			t->hash = suites[i].hash;
			t->group = group;
			t->auth = auths[a];
			t->life_sec = life;
			out->n_t++;
		}
	}
	out->p[0].n_transforms = out->n_t;
}

void ini1_p2_offer(struct ikev1_sa *out, uint32_t spi, uint16_t encap, uint16_t pfs_group,
		   uint32_t life)
{
	static const struct { uint16_t id, bits, auth; } suites[] = {
		{ IKEV1_ESP_AES, 256, IKEV1_AUTH_HMAC_SHA1 }, { IKEV1_ESP_AES, 256, IKEV1_AUTH_HMAC_SHA256 },
		{ IKEV1_ESP_AES, 128, IKEV1_AUTH_HMAC_SHA1 }, { IKEV1_ESP_3DES, 0, IKEV1_AUTH_HMAC_SHA1 },
		{ IKEV1_ESP_3DES, 0, IKEV1_AUTH_HMAC_MD5 }, { IKEV1_ESP_DES, 0, IKEV1_AUTH_HMAC_MD5 },
	};
	memset(out, 0, sizeof(*out));
	out->doi = IKEV1_DOI_IPSEC;
	out->situation = IKEV1_SIT_IDENTITY_ONLY;
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		struct ikev1_proposal *p = &out->p[out->n];
		p->num = (uint8_t)(out->n + 1);
		p->protocol = IKEV1_PROTO_ESP;
		p->spi_size = 4;
		p->spi[0] = (uint8_t)(spi >> 24);
		p->spi[1] = (uint8_t)(spi >> 16);
		p->spi[2] = (uint8_t)(spi >> 8);
		p->spi[3] = (uint8_t)spi;
		p->n_transforms = 1;
		p->first = out->n_t;
		struct ikev1_transform *t = &out->t[out->n_t++];
		t->num = 1;
		t->id = (uint8_t)suites[i].id;
		t->key_bits = suites[i].bits;
		t->auth_alg = suites[i].auth;
		t->encap = encap;
		t->pfs_group = pfs_group;
		t->life_sec = life;
		out->n++;
	}
}

/* ---- transport --------------------------------------------------------------- */

uint32_t ini1_msg_id(void)
{
	uint32_t id = 0;
	while (!id)
		if (crypto_random(&id, sizeof(id)) < 0)
			return 1;
	return id;
}

int ini1_send(struct ini1 *s, const struct buf *b)
{
	return s->h.send(s->h.arg, s->natt, b->data, b->len);
}

static void rtx_fire(void *arg);

static void arm_rtx(struct ini1 *s)
{
	unsigned base = s->cfg.retrans_ms ? s->cfg.retrans_ms : 1000;
	if (s->rtx)
		loop_timer_cancel(s->loop, s->rtx);
	s->rtx = loop_timer_add(s->loop, (uint64_t)base << (s->tries > 5 ? 5 : s->tries), rtx_fire,
				s);
}

int ini1_request(struct ini1 *s, const struct buf *b)
{
	buf_reset(&s->req);
	buf_put(&s->req, b->data, b->len);
	if (s->req.oom)
		return -1;
	s->req_out = true;
	s->tries = 0;
	arm_rtx(s);
	return ini1_send(s, b);
}

void ini1_req_done(struct ini1 *s)
{
	s->req_out = false;
	if (s->rtx)
		loop_timer_cancel(s->loop, s->rtx);
	s->rtx = NULL;
}

static void rtx_fire(void *arg)
{
	struct ini1 *s = arg;
	s->rtx = NULL;
	if (!s->req_out)
		return;
	unsigned max = s->cfg.retrans_tries ? s->cfg.retrans_tries : 5;
	if (++s->tries >= max) {
		ini1_down(s, INI2_ERR_TIMEOUT, "the gateway does not answer");
		return;
	}
	arm_rtx(s);
	(void)ini1_send(s, &s->req);
}

int ini1_build(struct ini1 *s, struct buf *b, uint8_t exchange, uint32_t msg_id, uint8_t *iv,
	       const uint8_t *pre, size_t pre_len, ini1_fill_fn fill, const void *arg)
{
	struct ikev1_wr w;
	uint8_t flags = IKEV1_FLAG_ENC;
	if (exchange == IKEV1_X_QUICK && s->cfg.commit && msg_id == s->qm.msg_id)
		flags |= IKEV1_FLAG_COMMIT;
	struct ikev1_hdr h = { .spi_i = s->cky_i, .spi_r = s->cky_r, .version = IKEV1_VERSION,
			       .exchange = exchange, .flags = flags, .msg_id = msg_id };
	buf_reset(b);
	ikev1_w_begin(&w, b, &h);
	size_t hoff = ikev1_w_hash(&w, IKEV1_PL_HASH, s->k.prf_len);
	if (fill)
		fill(s, &w, arg);
	if (b->oom)
		return -1;
	uint8_t hash[CRYPTO_MAX_HASH];
	size_t rest = hoff + s->k.prf_len;
	/* HASH(3) (fill == NULL with pre): prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b) */
	if (v1_hash_msg(&s->k, !fill && pre, msg_id, pre, pre_len, b->data + rest, b->len - rest,
			NULL, 0, hash) < 0)
		return -1;
	memcpy(b->data + hoff, hash, s->k.prf_len);
	size_t body = b->len - IKEV1_HDR_LEN;
	size_t pad = (s->k.block - body % s->k.block) % s->k.block;
	buf_skip(b, pad);
	if (!ikev1_w_finish(&w))
		return -1;
	return v1_encrypt(&s->k, iv, b->data + IKEV1_HDR_LEN, b->len - IKEV1_HDR_LEN);
}

/* ---- life cycle ------------------------------------------------------------------ */

static void tick_fire(void *arg)
{
	struct ini1 *s = arg;
	s->tick = loop_timer_add(s->loop, INI1_TICK_MS, tick_fire, s);
	ini1_tick(s);
}

struct ini1 *ini1_new(struct loop *l, const struct ini1_config *c, const struct ini2_hooks *h)
{
	struct ini1 *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->loop = l;
	s->cfg = *c;
	s->h = *h;
	buf_init(&s->req);
	buf_init(&s->last_reply);
	buf_init(&s->plain);
	s->m = calloc(1, sizeof(*s->m));
	if (!s->m) {
		free(s);
		return NULL;
	}
	return s;
}

void ini1_down(struct ini1 *s, enum ini2_result r, const char *why)
{
	if (s->st == INI1_ST_DOWN)
		return;
	s->st = INI1_ST_DOWN;
	ini1_req_done(s);
	if (s->tick)
		loop_timer_cancel(s->loop, s->tick);
	s->tick = NULL;
	if (s->child.installed && s->h.child_down)
		s->h.child_down(s->h.arg, s->child.spi_in);
	if (s->old_child.installed && s->h.child_down)
		s->h.child_down(s->h.arg, s->old_child.spi_in);
	s->child.installed = s->old_child.installed = false;
	if (s->h.down)
		s->h.down(s->h.arg, r, why);      /* may free s */
}

void ini1_free(struct ini1 *s)
{
	if (!s)
		return;
	if (s->rtx)
		loop_timer_cancel(s->loop, s->rtx);
	if (s->tick)
		loop_timer_cancel(s->loop, s->tick);
	crypto_dh_free(s->dh);
	crypto_dh_free(s->qm.dh);
	v1_keys_wipe(&s->k);
	free(s->sai_b);
	buf_free(&s->req);
	buf_free(&s->last_reply);
	buf_free(&s->plain);
	free(s->m);
	mem_wipe(s, sizeof(*s));
	free(s);
}

bool ini1_is_up(const struct ini1 *s) { return s->st == INI1_ST_UP; }
bool ini1_natt(const struct ini1 *s) { return s->natt; }
uint64_t ini1_cky_i(const struct ini1 *s) { return s->cky_i; }
uint64_t ini1_cky_r(const struct ini1 *s) { return s->cky_r; }
const struct ini1_extra *ini1_extra(const struct ini1 *s) { return &s->extra; }

void ini1_suite(const struct ini1 *s, char *out, size_t len)
{
	const struct crypto_encr *e = s->k.encr;
	snprintf(out, len, "%s-%u/%s/%s", e ? e->name : "?", e ? e->key_bits : 0,
		 s->k.prf ? s->k.prf->name : "?", s->g ? s->g->name : "?");
}

/* ---- phase 1 ------------------------------------------------------------------------ */

static void fill_vids(struct ikev1_wr *w)
{
	static const enum ikev1_vid ids[] = { IKEV1_VID_XAUTH, IKEV1_VID_UNITY, IKEV1_VID_NATT_RFC,
					      IKEV1_VID_NATT_03, IKEV1_VID_NATT_02N, IKEV1_VID_DPD };
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		size_t len;
		const uint8_t *b = ikev1_vid_bytes(ids[i], &len);
		if (b)
			ikev1_w_vendor(w, b, len);
	}
}

int ini1_start(struct ini1 *s)
{
	uint16_t group = s->cfg.dh_group ? s->cfg.dh_group : 2;
	s->g = crypto_dh_group(group);
	s->dh = s->g ? crypto_dh_new(s->g) : NULL;
	if (!s->dh || crypto_random(&s->cky_i, sizeof(s->cky_i)) < 0 ||
	    crypto_random(s->ni, sizeof(s->ni)) < 0 || crypto_dh_public(s->dh, s->gxi) < 0)
		return -1;
	s->gx_len = s->g->pub_len;
	struct ikev1_sa *offer = calloc(1, sizeof(*offer));
	struct ikev1_msg *mine = calloc(1, sizeof(*mine));
	struct buf b;
	struct ikev1_wr w;
	struct ikev1_parse_err err;
	int rc = -1;
	buf_init(&b);
	if (!offer || !mine)
		goto out;
	ini1_p1_offer(offer, group, 86400);
	struct ikev1_hdr h = { .spi_i = s->cky_i, .version = IKEV1_VERSION,
			       .exchange = IKEV1_X_AGGRESSIVE };
	ikev1_w_begin(&w, &b, &h);
	ikev1_w_sa(&w, offer);
	ikev1_w_ke(&w, s->gxi, s->gx_len);
	ikev1_w_nonce(&w, s->ni, sizeof(s->ni));
	const char *grp = s->cfg.group ? s->cfg.group : "";
	size_t gl = strlen(grp) < 256 ? strlen(grp) : 256;
	ikev1_w_id(&w, IKEV1_ID_KEY_ID, 17, 500, (const uint8_t *)grp, gl);
	fill_vids(&w);
	if (!ikev1_w_finish(&w))
		goto out;
	/* HASH_I covers the bodies of our SA and ID payloads as sent. */
	if (ikev1_parse_message(b.data, b.len, mine, &err) < 0 || mine->n_id < 1)
		goto out;
	s->sai_b = malloc(mine->sa.body.len);
	if (!s->sai_b)
		goto out;
	memcpy(s->sai_b, mine->sa.body.data, mine->sa.body.len);
	s->sai_len = mine->sa.body.len;
	memcpy(s->idii_b, mine->id[0].body.data, mine->id[0].body.len);
	s->idii_len = mine->id[0].body.len;
	s->st = INI1_ST_AM;
	s->tick = loop_timer_add(s->loop, INI1_TICK_MS, tick_fire, s);
	rc = ini1_request(s, &b) < 0 ? -1 : 0;
out:
	buf_free(&b);
	free(offer);
	free(mine);
	return rc;
}

static void read_gw_vids(struct ini1 *s, const struct ikev1_msg *m)
{
	for (size_t i = 0; i < m->n_vendor; i++) {
		switch (ikev1_vid_match(m->vendor[i].data, m->vendor[i].len)) {
		case IKEV1_VID_NATT_RFC: s->natt = true; s->natd_type = IKEV1_PL_NATD; break;
		case IKEV1_VID_NATT_03:
		case IKEV1_VID_NATT_02N:
		case IKEV1_VID_NATT_02:
			if (!s->natd_type) {
				s->natt = true;
				s->natd_type = IKEV1_PL_NATD_DRAFT;
			}
			break;
		case IKEV1_VID_DPD: s->gw_dpd = true; break;
		case IKEV1_VID_UNITY: s->gw_unity = true; break;
		default: break;
		}
	}
}

/* AM2: check the choice, key, verify HASH_R. */
static int am2_keys(struct ini1 *s, const struct ikev1_msg *m)
{
	if (!IKEV1_PRESENT(m, IKEV1_PL_SA) || m->sa.n != 1 || m->sa.p[0].n_transforms != 1 ||
	    !IKEV1_PRESENT(m, IKEV1_PL_KE) || !IKEV1_PRESENT(m, IKEV1_PL_NONCE) || m->n_id < 1 ||
	    !IKEV1_PRESENT(m, IKEV1_PL_HASH))
		return -1;
	const struct ikev1_transform *t = &m->sa.t[0];
	if (t->group != s->g->id || m->ke.len != s->g->pub_len)
		return -1;
	s->k.encr = crypto_encr_ikev1(t->encr, t->key_bits);
	s->k.prf = crypto_prf_ikev1(t->hash);
	if (!s->k.encr || !s->k.prf || v1_hash_from_attr(t->hash, &s->k.hash) < 0)
		return -1;
	s->k.prf_len = s->k.prf->out_len;
	s->p1_encr = t->encr;
	s->p1_hash = t->hash;
	s->p1_bits = t->key_bits;
	uint8_t gxy[CRYPTO_MAX_DH_PUB];
	size_t gxy_len = sizeof(gxy);
	const char *psk = s->cfg.group_secret ? s->cfg.group_secret : "";
	int rc = -1;
	if (crypto_dh_shared(s->dh, m->ke.data, m->ke.len, gxy, &gxy_len) == 0 &&
	    v1_skeyid_psk(s->k.prf, (const uint8_t *)psk, strlen(psk), s->ni, sizeof(s->ni),
			  m->nonce.data, m->nonce.len, s->k.skeyid) == 0 &&
	    v1_keys_derive(&s->k, gxy, gxy_len, s->cky_i, s->cky_r) == 0 &&
	    v1_iv_phase1(&s->k, s->gxi, s->gx_len, m->ke.data, m->ke.len) == 0)
		rc = 0;
	mem_wipe(gxy, sizeof(gxy));
	if (rc < 0)
		return -1;
	uint8_t h[CRYPTO_MAX_HASH];
	if (m->hash.len != s->k.prf_len ||
	    v1_hash_phase1(&s->k, false, s->gxi, s->gx_len, m->ke.data, m->ke.len, s->cky_i,
			   s->cky_r, s->sai_b, s->sai_len, m->id[0].body.data, m->id[0].body.len,
			   h) < 0 ||
	    CRYPTO_memcmp(h, m->hash.data, s->k.prf_len) != 0)
		return -2;
	s->keys_ready = true;
	return 0;
}

static void fill_am3_tail(struct ini1 *s, struct ikev1_wr *w)
{
	uint8_t spi[16];
	for (int i = 0; i < 8; i++) {
		spi[i] = (uint8_t)(s->cky_i >> (56 - 8 * i));
		spi[8 + i] = (uint8_t)(s->cky_r >> (56 - 8 * i));
	}
	ikev1_w_notify(w, IKEV1_DOI_IPSEC, IKEV1_PROTO_ISAKMP, spi, 16, IKEV1_N_INITIAL_CONTACT,
		       NULL, 0);
	if (!s->natd_type)
		return;
	uint8_t h[CRYPTO_MAX_HASH];
	size_t hl = crypto_hash_len(s->k.hash);
	bool draft = s->natd_type == IKEV1_PL_NATD_DRAFT;
	/* the gateway's address as we send to it (port 500), then ours */
	if (v1_natd(s->k.hash, s->cky_i, s->cky_r, s->cfg.gw.sin_addr.s_addr, s->cfg.gw.sin_port,
		    h) == 0)
		ikev1_w_natd(w, draft, h, hl);
	if (s->cfg.real_natd) {
		if (v1_natd(s->k.hash, s->cky_i, s->cky_r, s->cfg.local.sin_addr.s_addr,
			    s->cfg.local.sin_port, h) < 0)
			return;
	} else if (crypto_random(h, hl) < 0) {
		return;
	}
	ikev1_w_natd(w, draft, h, hl);
}

/* An Informational notify in the clear (no keys both sides trust yet). */
static void notify_clear(struct ini1 *s, uint16_t type)
{
	struct buf b;
	struct ikev1_wr w;
	uint8_t spi[16];
	for (int i = 0; i < 8; i++) {
		spi[i] = (uint8_t)(s->cky_i >> (56 - 8 * i));
		spi[8 + i] = (uint8_t)(s->cky_r >> (56 - 8 * i));
	}
	struct ikev1_hdr h = { .spi_i = s->cky_i, .spi_r = s->cky_r, .version = IKEV1_VERSION,
			       .exchange = IKEV1_X_INFO };
	buf_init(&b);
	ikev1_w_begin(&w, &b, &h);
	ikev1_w_notify(&w, IKEV1_DOI_IPSEC, IKEV1_PROTO_ISAKMP, spi, 16, type, NULL, 0);
	if (ikev1_w_finish(&w))
		(void)ini1_send(s, &b);
	buf_free(&b);
}

static void am2(struct ini1 *s, const struct ikev1_msg *m)
{
	s->cky_r = m->hdr.spi_r;
	read_gw_vids(s, m);
	int rc = am2_keys(s, m);
	if (rc == -2) {
		/* Unauthenticated, but it saves the gateway its half-open timeout
		 * and gives its operator the reason at once. */
		notify_clear(s, IKEV1_N_INVALID_HASH_INFORMATION);
		ini1_down(s, INI2_ERR_AUTH, "the gateway's HASH_R does not verify: wrong group "
			  "password?");
		return;
	}
	if (rc < 0) {
		ini1_down(s, INI2_ERR_PROPOSAL, "unacceptable Aggressive Mode answer");
		return;
	}
	ini1_req_done(s);
	uint8_t hash_i[CRYPTO_MAX_HASH];
	if (v1_hash_phase1(&s->k, true, s->gxi, s->gx_len, m->ke.data, m->ke.len, s->cky_i,
			   s->cky_r, s->sai_b, s->sai_len, s->idii_b, s->idii_len, hash_i) < 0) {
		ini1_down(s, INI2_ERR_PROTOCOL, "HASH_I");
		return;
	}
	struct buf b;
	struct ikev1_wr w;
	buf_init(&b);
	struct ikev1_hdr h = { .spi_i = s->cky_i, .spi_r = s->cky_r, .version = IKEV1_VERSION,
			       .exchange = IKEV1_X_AGGRESSIVE, .flags = IKEV1_FLAG_ENC };
	ikev1_w_begin(&w, &b, &h);
	size_t hoff = ikev1_w_hash(&w, IKEV1_PL_HASH, s->k.prf_len);
	fill_am3_tail(s, &w);
	if (!b.oom)
		memcpy(b.data + hoff, hash_i, s->k.prf_len);
	size_t pad = (s->k.block - (b.len - IKEV1_HDR_LEN) % s->k.block) % s->k.block;
	buf_skip(&b, pad);
	if (!ikev1_w_finish(&w) ||
	    v1_encrypt(&s->k, s->k.iv, b.data + IKEV1_HDR_LEN, b.len - IKEV1_HDR_LEN) < 0) {
		buf_free(&b);
		ini1_down(s, INI2_ERR_PROTOCOL, "cannot build Aggressive Mode message 3");
		return;
	}
	/* NAT-T: from message 3 on, the gateway's port 4500 (RFC 3947 §4). */
	(void)ini1_send(s, &b);
	buf_reset(&s->last_reply);
	buf_put(&s->last_reply, b.data, b.len);
	buf_free(&b);
	free(s->sai_b);
	s->sai_b = NULL;
	crypto_dh_free(s->dh);
	s->dh = NULL;
	s->st = INI1_ST_P1_DONE;
	/* The gateway speaks next (XAUTH or a pushed Mode Config); ini1_tick
	 * pulls Mode Config if it stays silent. */
	s->last_rx_ms = loop_now_ms();
}

/* ---- input ------------------------------------------------------------------------------ */

static int decrypt(struct ini1 *s, const uint8_t *data, size_t len, uint8_t *iv)
{
	size_t body = len - IKEV1_HDR_LEN;
	if (!s->keys_ready || body == 0 || body % s->k.block)
		return -1;
	buf_reset(&s->plain);
	buf_put(&s->plain, data + IKEV1_HDR_LEN, body);
	if (s->plain.oom || v1_decrypt(&s->k, iv, s->plain.data, s->plain.len) < 0)
		return -1;
	struct ikev1_parse_err err;
	uint8_t first = data[16];
	memset(s->m, 0, sizeof(*s->m));
	if (ikev1_parse_header(data, len, &s->m->hdr, &err) < 0)
		return -1;
	return ikev1_parse_chain(first, s->plain.data, s->plain.len, s->m, &err);
}

void ini1_input(struct ini1 *s, const uint8_t *data, size_t len)
{
	struct ikev1_hdr h;
	struct ikev1_parse_err err;
	if (s->st == INI1_ST_DOWN || ikev1_parse_header(data, len, &h, &err) < 0 ||
	    h.spi_i != s->cky_i || h.length > len)
		return;
	len = h.length;
	uint8_t d[20];
	if (crypto_hash(HASH_SHA1, data, len, NULL, 0, NULL, 0, d) == 0 &&
	    memcmp(d, s->rx_digest, 20) == 0) {
		if (s->last_reply.len)        /* the gateway repeats: so do we */
			(void)s->h.send(s->h.arg, s->natt, s->last_reply.data, s->last_reply.len);
		return;
	}
	if (!(h.flags & IKEV1_FLAG_ENC)) {
		if (s->st != INI1_ST_AM || h.exchange != IKEV1_X_AGGRESSIVE) {
			if (h.exchange == IKEV1_X_INFO &&
			    ikev1_parse_message(data, len, s->m, &err) == 0 && s->m->n_notify &&
			    s->st == INI1_ST_AM) {
				char why[96];
				const char *n = ikev1_notify_name(s->m->notify[0].type);
				snprintf(why, sizeof(why), "the gateway refused: %s",
					 n ? n : "notify");
				ini1_down(s, s->m->notify[0].type == IKEV1_N_NO_PROPOSAL_CHOSEN ?
					  INI2_ERR_PROPOSAL : INI2_ERR_AUTH, why);
			}
			return;
		}
		if (ikev1_parse_message(data, len, s->m, &err) < 0)
			return;
		memcpy(s->rx_digest, d, 20);
		am2(s, s->m);
		return;
	}
	uint8_t iv[V1_MAX_BLOCK];
	if (h.exchange == IKEV1_X_TRANSACTION && h.msg_id == s->cfg_msg_id && s->cfg_msg_id)
		memcpy(iv, s->cfg_iv, sizeof(iv));
	else if (h.exchange == IKEV1_X_QUICK && s->qm.active && h.msg_id == s->qm.msg_id)
		memcpy(iv, s->qm.iv, sizeof(iv));
	else if (h.exchange == IKEV1_X_QUICK && s->gw_qm.active && h.msg_id == s->gw_qm.msg_id)
		memcpy(iv, s->gw_qm.iv, sizeof(iv));
	else if (v1_iv_msgid(&s->k, h.msg_id, iv) < 0)
		return;
	if (decrypt(s, data, len, iv) < 0)
		return;
	const struct ikev1_msg *m = s->m;
	if (h.exchange != IKEV1_X_QUICK) {
		uint8_t hash[CRYPTO_MAX_HASH];
		if (!IKEV1_PRESENT(m, IKEV1_PL_HASH) || m->hash.len != s->k.prf_len ||
		    v1_hash_msg(&s->k, false, h.msg_id, m->after_hash.data, m->after_hash.len, NULL,
				0, NULL, 0, hash) < 0 ||
		    CRYPTO_memcmp(hash, m->hash.data, s->k.prf_len) != 0)
			return;
	}
	memcpy(s->rx_digest, d, 20);
	s->last_rx_ms = loop_now_ms();
	switch (h.exchange) {
	case IKEV1_X_TRANSACTION: ini1_transaction(s, m, iv); break;
	case IKEV1_X_QUICK: ini1_quick(s, m, iv); break;
	case IKEV1_X_INFO: ini1_info(s, m); break;
	default: break;
	}
}

void ini1_close(struct ini1 *s)
{
	if (s->st == INI1_ST_DOWN)
		return;
	if (s->keys_ready)
		ini1_send_deletes(s);
	ini1_down(s, INI2_OK, "closed");
}
