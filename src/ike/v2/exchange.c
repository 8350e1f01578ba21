/* Receiving an IKEv2 message (RFC 7296 §2.1-§2.3, RFC 7383 §2.6).
 *
 *   datagram -> parse header and outer chain
 *     response         -> v2_response (answers to our DPD / DELETE)
 *     IKE_SA_INIT      -> retransmission of a known SA's request: stored reply
 *                         else the transition table's IKE_SA_INIT row
 *     other requests   -> SA by our SPI; message ID window of 1:
 *                           previous ID  -> stored reply again (all fragments;
 *                                           for SKF only on fragment 1)
 *                           expected ID  -> SK verified+decrypted (or SKF
 *                                           fragments collected), inner chain
 *                                           parsed, table row checked, handler
 *                           anything else -> dropped
 *
 * Nothing a packet can contain aborts: every failure is a rate-limited log
 * line and a drop, or the notify the RFC asks for. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "base/loop.h"
#include "ike/core/child.h"
#include "ike/v2/v2.h"

static void drop(struct ikev2 *e, const struct ike_pkt *p, const char *why)
{
	unsigned sup = 0;
	e->st.rx_dropped++;
	if (log_limit_pass(&e->lim_drop, 10, &sup))
		v2_log_peer(&p->from, 2, "dropped: %s%s", why, sup ? " (more suppressed)" : "");
}

/* Answer a request with a single protected notify (no handler ran). */
static void reply_notify(struct ike_sa *sa, const struct ike_pkt *p, const struct ikev2_hdr *mh,
			 uint16_t type, const uint8_t *data, size_t len)
{
	struct v2_sa *v = v2_of(sa);
	struct buf b;
	struct ikev2_wr w;
	buf_init(&b);
	struct ikev2_hdr h = { .spi_i = sa->spi_i, .spi_r = sa->spi_r, .version = IKEV2_VERSION,
			       .exchange = mh->exchange, .flags = IKEV2_FLAG_RESPONSE,
			       .msg_id = mh->msg_id };
	ikev2_w_begin(&w, &b, &h);
	size_t sk_off = ikev2_w_sk_begin(&w, v->sk.encr->iv_len);
	ikev2_w_notify(&w, 0, NULL, 0, type, data, len);
	if (ikev2_w_finish(&w) &&
	    v2_send_protected(sa, &b, sk_off, &p->to, &p->from, &v->reply) == 0) {
		v->have_reply = true;
		v->reply_id = mh->msg_id;
	}
	sa->peer_next_id = mh->msg_id + 1;
	buf_free(&b);
}

/* Decrypt the SK payload, or collect one SKF fragment.  Returns 1 with the
 * inner chain in *plain / *first, 0 when more fragments are needed, -1 to
 * drop. */
static int unprotect(struct ike_sa *sa, const struct ike_pkt *p, const struct ikev2_msg *m,
		     struct buf *plain, uint8_t *first)
{
	struct v2_sa *v = v2_of(sa);
	if (m->present & IKEV2_BIT(IKEV2_PL_SK)) {
		if (ike_sk_open(&v->sk, p->data, p->len, m->sk.hdr_off, IKE_SK_HDR, plain) < 0)
			return -1;
		*first = m->sk.inner_first;
		return 1;
	}
	if (!(m->present & IKEV2_BIT(IKEV2_PL_SKF)))
		return -1;
	struct buf piece;
	buf_init(&piece);
	if (ike_sk_open(&v->sk, p->data, p->len, m->skf.hdr_off, IKE_SKF_HDR, &piece) < 0) {
		buf_free(&piece);
		return -1;
	}
	if (!v->frag && !(v->frag = calloc(1, sizeof(*v->frag)))) {
		buf_free(&piece);
		return -1;
	}
	enum ike_frag_result r = ike_frag_add(v->frag, m->hdr.msg_id, m->skf.frag_num,
					      m->skf.total, m->skf.inner_first, piece.data,
					      piece.len, loop_now_ms(), plain, first);
	buf_free(&piece);
	sa->last_rx_ms = loop_now_ms();
	if (r == IKE_FRAG_INCOMPLETE) {
		v2_log(sa, 4, "fragment %u/%u of message %u kept", m->skf.frag_num, m->skf.total,
		       m->hdr.msg_id);
		v2_sa_schedule(sa);
	}
	return r == IKE_FRAG_COMPLETE ? 1 : r == IKE_FRAG_INCOMPLETE ? 0 : -1;
}

static void finish(struct ike_sa *sa, struct v2_ctx *c, enum v2_verdict vd, struct buf *b,
		   size_t sk_off, const struct ikev2_hdr *mh)
{
	struct v2_sa *v = v2_of(sa);
	struct ikev2_wr w;
	if (vd == V2_NOTIFY || vd == V2_NOTIFY_CLOSE) {
		buf_reset(b);
		struct ikev2_hdr h = { .spi_i = sa->spi_i, .spi_r = sa->spi_r,
				       .version = IKEV2_VERSION, .exchange = mh->exchange,
				       .flags = IKEV2_FLAG_RESPONSE, .msg_id = mh->msg_id };
		ikev2_w_begin(&w, b, &h);
		sk_off = ikev2_w_sk_begin(&w, v->sk.encr->iv_len);
		ikev2_w_notify(&w, 0, NULL, 0, c->notify, c->notify_data, c->notify_len);
		v2_log(sa, 1, "sending N(%s)", ikev2_notify_name(c->notify) ? ikev2_notify_name(c->notify) : "?");
	} else {
		w = *c->w;
	}
	if (!ikev2_w_finish(&w) ||
	    v2_send_protected(sa, b, sk_off, &c->pkt->to, &c->pkt->from, &v->reply) < 0)
		v2_log(sa, 1, "could not send the reply to message %u", mh->msg_id);
	v->have_reply = true;
	v->reply_id = mh->msg_id;
	sa->peer_next_id = mh->msg_id + 1;
	if (vd == V2_REPLY_CLOSE || vd == V2_NOTIFY_CLOSE) {
		v2_sa_destroy(sa, c->close_reason, true);
		return;
	}
	if (vd == V2_REPLY && sa->state != (enum ike_state)c->next && sa->state != IKE_STATE_DEAD)
		v2_sa_set_state(sa, (enum ike_state)c->next);
	v2_sa_schedule(sa);
}

/* Keep a request whose handler waits for a job (V2_WAIT). */
static void park(struct ike_sa *sa, const struct ike_pkt *p, const struct ikev2_hdr *mh,
		 uint8_t first, const struct buf *plain)
{
	struct v2_sa *v = v2_of(sa);
	if (!v->pending && !(v->pending = calloc(1, sizeof(*v->pending))))
		return;
	if (v->pending->plain.data != plain->data) {
		buf_reset(&v->pending->plain);
		buf_put(&v->pending->plain, plain->data, plain->len);
	}
	v->pending->first = first;
	v->pending->hdr = *mh;
	v->pending->pkt = *p;
	v->pending->pkt.data = NULL;
	v->pending->pkt.len = 0;
	v->busy = true;
}

/* The authenticated inner chain of a request: table row, handler, reply. */
static void process_inner(struct ikev2 *e, struct ike_sa *sa, const struct ike_pkt *p,
			  const struct ikev2_hdr *mh, uint8_t first, const struct buf *plain)
{
	struct v2_sa *v = v2_of(sa);
	struct ikev2_msg *in = &e->inner;
	struct ikev2_parse_err err;
	struct buf b;
	buf_init(&b);
	if (ikev2_parse_chain(first, plain->data, plain->len, in, &err) < 0) {
		v2_log(sa, 1, "malformed inner payloads (%s): answering INVALID_SYNTAX",
		       err.why ? err.why : "?");
		if (err.status == IKEV2_PARSE_UNSUPPORTED_CRITICAL)
			reply_notify(sa, p, mh, IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD, &err.payload, 1);
		else
			reply_notify(sa, p, mh, IKEV2_N_INVALID_SYNTAX, NULL, 0);
		if (sa->state != IKE_STATE_ESTABLISHED && sa->state != IKE_STATE_REKEYED)
			v2_sa_destroy(sa, "Invalid syntax", true);
		return;
	}
	in->hdr = *mh;
	if (!v->busy)
		v2_dump(sa, in, false);
	bool known;
	const struct v2_transition *t = v2_transition_find(sa->state, mh->exchange, in->present,
							   &known);
	if (!t) {
		v2_log(sa, 1, "%s request not expected in this state (%d)%s",
		       ikev2_exchange_name(mh->exchange), sa->state,
		       known ? ": required payloads missing" : "");
		if (known) {
			reply_notify(sa, p, mh, IKEV2_N_INVALID_SYNTAX, NULL, 0);
			if (mh->exchange == IKEV2_IKE_AUTH)
				v2_sa_destroy(sa, "Invalid syntax", true);
		} else {
			e->st.rx_dropped++;
		}
		return;
	}
	v2_log(sa, 5, "%s: %s", ikev2_exchange_name(mh->exchange), t->story);
	struct ikev2_wr w;
	struct ikev2_hdr h = { .spi_i = sa->spi_i, .spi_r = sa->spi_r, .version = IKEV2_VERSION,
			       .exchange = mh->exchange, .flags = IKEV2_FLAG_RESPONSE,
			       .msg_id = mh->msg_id };
	ikev2_w_begin(&w, &b, &h);
	size_t sk_off = ikev2_w_sk_begin(&w, v->sk.encr->iv_len);
	struct v2_ctx c = { .eng = e, .sa = sa, .v = v, .pkt = p, .in = in, .w = &w,
			    .next = t->next };
	enum v2_verdict vd = t->fn(&c);
	v->busy = false;
	if (vd == V2_WAIT) {
		park(sa, p, mh, first, plain);
		v2_log(sa, 4, "message %u waits for a job", mh->msg_id);
	} else if (vd == V2_DROP) {
		e->st.rx_dropped++;
	} else {
		finish(sa, &c, vd, &b, sk_off, mh);
	}
	buf_free(&b);
}

void v2_resume(struct ike_sa *sa)
{
	struct v2_sa *v = v2_of(sa);
	struct v2_pending *pd = v->pending;
	if (!pd || !v->busy)
		return;
	v->pending = NULL;
	struct ike_pkt p = pd->pkt;
	process_inner(v->eng, sa, &p, &pd->hdr, pd->first, &pd->plain);
	/* process_inner may have parked it again (a second job) or freed the SA */
	buf_free(&pd->plain);
	free(pd);
}

static void handle_protected(struct ikev2 *e, struct ike_sa *sa, const struct ike_pkt *p,
			     const struct ikev2_msg *m)
{
	struct buf plain;
	uint8_t first = 0;
	buf_init(&plain);
	int r = unprotect(sa, p, m, &plain, &first);
	if (r < 0) {
		e->st.rx_bad_icv++;
		drop(e, p, "integrity check failed or bad SK payload");
	} else if (r > 0) {
		/* Authentic: the peer's current address (NAT mapping, float to 4500). */
		bool moved = sa->remote.sin_addr.s_addr != p->from.sin_addr.s_addr ||
			     sa->remote.sin_port != p->from.sin_port;
		sa->remote = p->from;
		sa->local = p->to;
		sa->last_rx_ms = loop_now_ms();
		v2_of(sa)->dpd_misses = 0;
		if (moved && sa->children) {
			char a[32];
			v2_log(sa, 1, "peer moved to %s: updating its CHILD SAs",
			       ike_addr_str(&p->from, a, sizeof(a)));
			ike_child_peer_moved(sa);
		}
		process_inner(e, sa, p, &m->hdr, first, &plain);
	}
	buf_free(&plain);
}

static void handle_init(struct ikev2 *e, const struct ike_pkt *p, const struct ikev2_msg *m)
{
	if (m->hdr.spi_r != 0 || m->hdr.msg_id != 0) {
		drop(e, p, "IKE_SA_INIT with a responder SPI or message ID");
		return;
	}
	struct ike_sa *sa = ike_sa_find_init(m->hdr.spi_i, &p->from);
	if (sa) {
		struct v2_sa *v = v2_of(sa);
		/* §2.1: a retransmitted request gets the same reply. */
		if (!v->have_reply) {
			v2_log(sa, 3, "IKE_SA_INIT retransmitted while its keys are computed");
		} else if (v->reply_id == 0 && v->init_req.len == p->len &&
			   memcmp(v->init_req.data, p->data, p->len) == 0) {
			e->st.rx_retransmits++;
			v2_log(sa, 2, "retransmitted IKE_SA_INIT: sending the stored reply");
			v2_send_dgrams(e, &v->reply, &p->to, &p->from);
		} else {
			drop(e, p, "IKE_SA_INIT for an existing SA that differs from the first");
		}
		return;
	}
	bool known;
	const struct v2_transition *t = v2_transition_find(V2_STATE_NONE, IKEV2_IKE_SA_INIT,
							   m->present, &known);
	if (!t) {
		drop(e, p, "IKE_SA_INIT without SA, KE and Nonce");
		return;
	}
	struct v2_ctx c = { .eng = e, .pkt = p, .outer = m, .in = m, .next = t->next };
	if (t->fn(&c) == V2_DROP)
		e->st.rx_dropped++;
}

void v2_input(void *arg, const struct ike_pkt *p)
{
	struct ikev2 *e = arg;
	struct ikev2_msg *m = &e->outer;
	struct ikev2_parse_err err;
	if (ikev2_parse_message(p->data, p->len, m, &err) < 0) {
		drop(e, p, err.why ? err.why : "malformed message");
		return;
	}
	if (m->hdr.flags & IKEV2_FLAG_RESPONSE) {
		e->st.rx_responses++;
		v2_response(e, p, m);
		return;
	}
	e->st.rx_requests++;
	if (!(m->hdr.flags & IKEV2_FLAG_INITIATOR)) {
		drop(e, p, "request from a peer that is not the original initiator");
		return;
	}
	if (m->hdr.exchange == IKEV2_IKE_SA_INIT) {
		if (e->shutting_down)
			return;
		handle_init(e, p, m);
		return;
	}
	struct ike_sa *sa = ike_sa_find_local(m->hdr.spi_r);
	if (!sa || sa->version != IKE_V2 || sa->spi_i != m->hdr.spi_i || !v2_of(sa)->keys_ready) {
		drop(e, p, "unknown IKE SA");
		return;
	}
	struct v2_sa *v = v2_of(sa);
	if (v->have_reply && m->hdr.msg_id == v->reply_id) {
		bool skf = m->present & IKEV2_BIT(IKEV2_PL_SKF);
		if (!skf || m->skf.frag_num == 1) {
			e->st.rx_retransmits++;
			v2_log(sa, 2, "retransmitted request %u: sending the stored reply",
			       m->hdr.msg_id);
			v2_send_dgrams(e, &v->reply, &p->to, &p->from);
		}
		return;
	}
	if (m->hdr.msg_id != sa->peer_next_id) {
		drop(e, p, "message ID outside the window");
		return;
	}
	if (v->busy) {
		v2_log(sa, 3, "request %u retransmitted while a job runs for it", m->hdr.msg_id);
		return;
	}
	handle_protected(e, sa, p, m);
}

/* An answer to one of our requests (liveness check, DELETE). */
void v2_response(struct ikev2 *e, const struct ike_pkt *p, const struct ikev2_msg *m)
{
	struct ike_sa *sa = ike_sa_find_local(m->hdr.spi_r);
	if (!sa || sa->version != IKE_V2 || sa->spi_i != m->hdr.spi_i) {
		drop(e, p, "response for an unknown IKE SA");
		return;
	}
	struct v2_sa *v = v2_of(sa);
	if (!v->req_pending || m->hdr.msg_id != v->req_id || !v->keys_ready) {
		drop(e, p, "response to no pending request");
		return;
	}
	struct buf plain;
	uint8_t first;
	buf_init(&plain);
	int r = unprotect(sa, p, m, &plain, &first);
	if (r <= 0) {
		if (r < 0)
			drop(e, p, "response failed the integrity check");
		buf_free(&plain);
		return;
	}
	struct ikev2_parse_err err;
	if (ikev2_parse_chain(first, plain.data, plain.len, &e->inner, &err) == 0) {
		e->inner.hdr = m->hdr;
		v2_dump(sa, &e->inner, false);
	}
	buf_free(&plain);
	sa->last_rx_ms = loop_now_ms();
	sa->remote = p->from;
	v->req_pending = false;
	sa->our_request_pending = false;
	v->dpd_misses = 0;
	v2_dgrams_free(&v->req);
	if (v->req_kind == V2_REQ_DELETE_IKE) {
		v2_log(sa, 2, "peer acknowledged our DELETE");
		v2_sa_destroy(sa, sa->disconnect_reason, true);
		return;
	}
	v2_log(sa, 4, "peer answered our %s", v->req_kind == V2_REQ_DPD ? "liveness check"
								      : "DELETE");
	v->req_kind = V2_REQ_NONE;
	v2_sa_schedule(sa);
}
