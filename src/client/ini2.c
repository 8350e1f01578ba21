/* IKEv2 initiator engine: state, transport, timers (see ini2.h for the
 * exchanges).  Messages are built with wire/ikev2.h, protected with
 * ike/core/sk.h, keyed with ike/core/keys.h; AUTH octets and signature
 * parsing are the responder's own functions (ike/v2/v2.h), so both ends
 * compute the same bytes with the same code. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/loop.h"
#include "base/mem.h"
#include "client/ini2_int.h"

const char *ini2_result_name(enum ini2_result r)
{
	static const char *const n[] = { "closed", "authentication failed", "no proposal chosen",
					 "timeout", "gateway certificate not trusted",
					 "no address assigned", "deleted by the gateway",
					 "protocol error" };
	return (unsigned)r < sizeof(n) / sizeof(n[0]) ? n[r] : "?";
}

struct ini2 *ini2_new(struct loop *l, const struct ini2_config *c, const struct ini2_hooks *h)
{
	struct ini2 *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->loop = l;
	s->cfg = *c;
	s->h = *h;
	if (!s->cfg.dh_group)
		s->cfg.dh_group = 14;
	if (!s->cfg.dpd_sec)
		s->cfg.dpd_sec = 30;
	if (!s->cfg.retrans_ms)
		s->cfg.retrans_ms = 500;
	if (!s->cfg.retrans_tries)
		s->cfg.retrans_tries = 6;
	buf_init(&s->req);
	buf_init(&s->req1);
	buf_init(&s->resp1);
	buf_init(&s->cookie);
	buf_init(&s->idr_body);
	buf_init(&s->peer_reply);
	buf_init(&s->plain);
	s->outer = calloc(1, sizeof(*s->outer));
	s->in = calloc(1, sizeof(*s->in));
	if (!s->outer || !s->in) {
		ini2_free(s);
		return NULL;
	}
	return s;
}

void ini2_free(struct ini2 *s)
{
	if (!s)
		return;
	loop_timer_cancel(s->loop, s->rtx);
	loop_timer_cancel(s->loop, s->dpd);
	ini2_rekey_stop(s);
	crypto_dh_free(s->dh);
	ike_sk_free(&s->sk);
	ike_keys_wipe(&s->km);
	ike_frag_rx_clear(&s->frag);
	eap_peer_wipe(&s->eap);
	buf_free(&s->req);
	buf_free(&s->req1);
	buf_free(&s->resp1);
	buf_free(&s->cookie);
	buf_free(&s->idr_body);
	buf_free(&s->peer_reply);
	buf_free(&s->plain);
	free(s->outer);
	free(s->in);
	mem_wipe(s, sizeof(*s));
	free(s);
}

bool ini2_is_up(const struct ini2 *s) { return s->st == INI2_ST_UP; }
uint64_t ini2_spi_i(const struct ini2 *s) { return s->spi_i; }
uint64_t ini2_spi_r(const struct ini2 *s) { return s->spi_r; }

void ini2_suite(const struct ini2 *s, char *out, size_t len)
{
	snprintf(out, len, "%s-%u/%s/%s/%s", s->km.encr ? s->km.encr->name : "?",
		 s->km.encr ? s->km.encr->key_bits : 0, s->km.prf ? s->km.prf->name : "?",
		 s->km.integ ? s->km.integ->name : "AEAD", s->g ? s->g->name : "?");
}

/* ---- going down ----------------------------------------------------------- */

void ini2_down(struct ini2 *s, enum ini2_result r, const char *why)
{
	if (s->st == INI2_ST_DOWN)
		return;
	s->st = INI2_ST_DOWN;
	loop_timer_cancel(s->loop, s->rtx);
	loop_timer_cancel(s->loop, s->dpd);
	s->rtx = s->dpd = NULL;
	s->req_out = false;
	ini2_rekey_stop(s);
	if (s->old_installed && s->h.child_down)
		s->h.child_down(s->h.arg, s->old_spi_in);
	s->old_installed = false;
	if (s->child_installed && s->h.child_down)
		s->h.child_down(s->h.arg, s->child_spi_in);
	s->child_installed = false;
	if (s->h.down)
		s->h.down(s->h.arg, r, why);   /* may free s: nothing after this */
}

/* ---- our requests: send, retransmit, give up ------------------------------ */

static void rtx_fire(void *arg);

static void arm_rtx(struct ini2 *s)
{
	unsigned shift = s->tries > 5 ? 5 : s->tries - 1;
	loop_timer_cancel(s->loop, s->rtx);
	s->rtx = loop_timer_add(s->loop, (uint64_t)s->cfg.retrans_ms << shift, rtx_fire, s);
}

static void rtx_fire(void *arg)
{
	struct ini2 *s = arg;
	s->rtx = NULL;
	if (!s->req_out)
		return;
	unsigned limit = s->st == INI2_ST_DELETING ? 3 : s->cfg.retrans_tries;
	if (s->tries >= limit) {
		s->req_out = false;
		if (s->st == INI2_ST_DELETING)
			ini2_down(s, INI2_OK, "DELETE not answered");
		else
			ini2_down(s, INI2_ERR_TIMEOUT, "no answer from the gateway");
		return;
	}
	s->tries++;
	log_debug(LOG_IKEV2, 3, "client: retransmitting request %u (try %u)", s->req_id, s->tries);
	(void)s->h.send(s->h.arg, s->natt, s->req.data, s->req.len);
	arm_rtx(s);
}

/* Send the request in s->req (ID s->req_id) and keep it for retransmission. */
int ini2_send_req(struct ini2 *s)
{
	if (s->req.oom)
		return -1;
	s->req_out = true;
	s->tries = 1;
	(void)s->h.send(s->h.arg, s->natt, s->req.data, s->req.len);
	arm_rtx(s);
	return 0;
}

void ini2_req_done(struct ini2 *s)
{
	s->req_out = false;
	loop_timer_cancel(s->loop, s->rtx);
	s->rtx = NULL;
}

/* A protected message: fill() writes the inner payloads. */
int ini2_build(struct ini2 *s, struct buf *b, uint8_t exchange, bool response, uint32_t msg_id,
	       ini2_fill_fn fill, const void *arg)
{
	struct ikev2_wr w;
	struct ikev2_hdr h = { .spi_i = s->spi_i, .spi_r = s->spi_r, .exchange = exchange,
			       .flags = (uint8_t)((s->orig_resp ? 0 : IKEV2_FLAG_INITIATOR) |
						  (response ? IKEV2_FLAG_RESPONSE : 0)),
			       .msg_id = msg_id };
	buf_reset(b);
	ikev2_w_begin(&w, b, &h);
	size_t sk_off = ikev2_w_sk_begin(&w, s->km.encr->iv_len);
	if (fill)
		fill(s, &w, arg);
	if (!ikev2_w_finish(&w))
		return -1;
	return ike_sk_seal(&s->sk, b, 0, sk_off, IKE_SK_HDR);
}

int ini2_request(struct ini2 *s, uint8_t exchange, ini2_fill_fn fill, const void *arg)
{
	s->req_id = s->next_id++;
	if (ini2_build(s, &s->req, exchange, false, s->req_id, fill, arg) < 0)
		return -1;
	return ini2_send_req(s);
}

int ini2_answer(struct ini2 *s, uint8_t exchange, uint32_t id, ini2_fill_fn fill, const void *arg)
{
	if (ini2_build(s, &s->peer_reply, exchange, true, id, fill, arg) < 0)
		return -1;
	s->peer_next_id = id + 1;
	s->have_peer_reply = true;
	(void)s->h.send(s->h.arg, s->natt, s->peer_reply.data, s->peer_reply.len);
	return 0;
}

/* ---- liveness (DPD, RFC 7296 §2.4) ---------------------------------------- */

static void dpd_fire(void *arg);

void ini2_arm_dpd(struct ini2 *s)
{
	loop_timer_cancel(s->loop, s->dpd);
	s->dpd = loop_timer_add(s->loop, (uint64_t)s->cfg.dpd_sec * 1000, dpd_fire, s);
}

static void dpd_fire(void *arg)
{
	struct ini2 *s = arg;
	s->dpd = NULL;
	if (s->st != INI2_ST_UP)
		return;
	uint64_t idle = loop_now_ms() - s->last_rx_ms;
	if (!s->req_out && !ini2_rekey_busy(s) && idle >= (uint64_t)s->cfg.dpd_sec * 1000) {
		s->req_kind = INI2_REQ_DPD;
		log_debug(LOG_IKEV2, 2, "client: liveness check after %llu ms idle",
			  (unsigned long long)idle);
		if (ini2_request(s, IKEV2_INFORMATIONAL, NULL, NULL) < 0) {
			ini2_down(s, INI2_ERR_PROTOCOL, "cannot build the liveness check");
			return;
		}
	}
	ini2_arm_dpd(s);
}

/* ---- close ---------------------------------------------------------------- */

static void fill_delete_ike(struct ini2 *s, struct ikev2_wr *w, const void *arg)
{
	(void)s;
	(void)arg;
	ikev2_w_delete(w, IKEV2_PROTO_IKE, 0, NULL, 0);
}

void ini2_close(struct ini2 *s)
{
	if (s->st == INI2_ST_DOWN || s->st == INI2_ST_DELETING)
		return;
	if (!s->keys_ready) {
		ini2_down(s, INI2_OK, "closed before the IKE SA existed");
		return;
	}
	/* HDR, SK {D(IKE)} --> ; <-- HDR, SK {} (RFC 7296 §1.4.1) */
	ini2_req_done(s);
	if (s->rk.ike_ready)
		/* an IKE rekey done but its old SA's DELETE unanswered: delete
		 * the new SA (which has the CHILD SAs); the gateway drops the
		 * old one after its grace period */
		ini2_rekey_finish_ike(s);
	s->st = INI2_ST_DELETING;
	s->req_kind = INI2_REQ_DELETE;
	if (ini2_request(s, IKEV2_INFORMATIONAL, fill_delete_ike, NULL) < 0)
		ini2_down(s, INI2_OK, "cannot build DELETE");
}

/* ---- input ------------------------------------------------------------------ */

/* Decrypt an SK message, or collect an SKF fragment; 1 when s->in holds
 * the whole inner chain, 0 when more fragments are due, -1 to drop. */
static int open_protected(struct ini2 *s, const uint8_t *data, size_t len)
{
	struct ikev2_parse_err err;
	uint8_t first = 0;
	buf_reset(&s->plain);
	if (s->outer->present & IKEV2_BIT(IKEV2_PL_SK)) {
		if (ike_sk_open(&s->sk, data, len, s->outer->sk.hdr_off, IKE_SK_HDR, &s->plain) < 0)
			return -1;
		first = s->outer->sk.inner_first;
	} else if (s->outer->present & IKEV2_BIT(IKEV2_PL_SKF)) {
		struct buf piece;
		buf_init(&piece);
		int rc = ike_sk_open(&s->sk, data, len, s->outer->skf.hdr_off, IKE_SKF_HDR, &piece);
		enum ike_frag_result r = IKE_FRAG_DROP;
		if (rc == 0)
			r = ike_frag_add(&s->frag, s->outer->hdr.msg_id, s->outer->skf.frag_num,
					 s->outer->skf.total, s->outer->skf.inner_first, piece.data,
					 piece.len, loop_now_ms(), &s->plain, &first);
		buf_free(&piece);
		if (r != IKE_FRAG_COMPLETE)
			return r == IKE_FRAG_INCOMPLETE ? 0 : -1;
	} else {
		return -1;
	}
	if (ikev2_parse_chain(first, s->plain.data, s->plain.len, s->in, &err) < 0)
		return -1;
	s->in->hdr = s->outer->hdr;
	return 1;
}

void ini2_input(struct ini2 *s, const uint8_t *data, size_t len)
{
	struct ikev2_parse_err err;
	if (s->st == INI2_ST_DOWN || s->st == INI2_ST_IDLE)
		return;
	if (ikev2_parse_message(data, len, s->outer, &err) < 0) {
		log_debug(LOG_IKEV2, 2, "client: dropping unparsable message (%s)",
			  err.why ? err.why : "?");
		return;
	}
	const struct ikev2_hdr *h = &s->outer->hdr;
	/* the gateway used the IKE SA it rekeyed: its DELETE of the old one
	 * was lost or is late, the new SA is ours from now on */
	if (s->rk.ike_ready && s->rk.peer && h->spi_i == s->rk.spi_i && h->spi_r == s->rk.spi_r)
		ini2_rekey_finish_ike(s);
	/* the I flag is the IKE SA initiator's: ours unless the gateway rekeyed it */
	if (h->spi_i != s->spi_i || !(h->flags & IKEV2_FLAG_INITIATOR) != !s->orig_resp)
		return;
	bool response = h->flags & IKEV2_FLAG_RESPONSE;
	if (response && (!s->req_out || h->msg_id != s->req_id))
		return;                               /* late or duplicate answer */
	if (h->exchange == IKEV2_IKE_SA_INIT) {
		if (response && s->st == INI2_ST_INIT)
			ini2_on_init_reply(s, data, len);
		return;
	}
	if (!s->keys_ready || h->spi_r != s->spi_r)
		return;
	int rc = open_protected(s, data, len);
	if (rc <= 0) {
		if (rc < 0)
			log_debug(LOG_IKEV2, 2, "client: dropping message %u that does not verify",
				  h->msg_id);
		return;
	}
	s->last_rx_ms = loop_now_ms();
	if (response) {
		ini2_req_done(s);
		ini2_on_response(s);
	} else {
		ini2_on_peer_request(s, data, len);
	}
}
