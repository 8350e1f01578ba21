/* Building and sending IKEv1 messages: header, HASH, padding, CBC
 * encryption with the exchange's IV chain, retransmission copies.
 *
 * An encrypted message is the 28-byte header followed by the payload chain
 * padded with zero bytes to the cipher block and encrypted as one CBC run
 * (RFC 2408 §3.1, RFC 2409 App. B).  The header's length covers the
 * padding. */
#include <stdlib.h>
#include <string.h>

#include "base/loop.h"
#include "base/mem.h"
#include "ike/v1/v1.h"

void v1_out_begin(struct v1_out *o, const struct ike_sa *sa, uint8_t exchange, uint32_t msg_id,
		  uint8_t flags, bool with_hash)
{
	memset(o, 0, sizeof(*o));
	buf_init(&o->b);
	struct ikev1_hdr h = { .spi_i = sa->spi_i, .spi_r = sa->spi_r, .version = IKEV1_VERSION,
			       .exchange = exchange, .flags = flags, .msg_id = msg_id };
	ikev1_w_begin(&o->w, &o->b, &h);
	if (with_hash) {
		o->hash_len = v1_of(sa)->k.prf_len;
		o->hash_off = ikev1_w_hash(&o->w, IKEV1_PL_HASH, o->hash_len);
	}
}

int v1_out_hash(struct v1_out *o, const struct ike_sa *sa, uint32_t msg_id,
		const uint8_t *pre, size_t pre_len)
{
	if (!o->hash_off || o->b.oom)
		return -1;
	size_t rest = o->hash_off + o->hash_len;
	uint8_t h[CRYPTO_MAX_HASH];
	if (v1_hash_msg(&v1_of(sa)->k, false, msg_id, pre, pre_len, o->b.data + rest,
			o->b.len - rest, NULL, 0, h) < 0)
		return -1;
	memcpy(o->b.data + o->hash_off, h, o->hash_len);
	return 0;
}

int v1_out_seal(struct v1_out *o, const struct ike_sa *sa, uint8_t *iv)
{
	const struct v1_sa *v = v1_of(sa);
	bool enc = o->b.len > o->w.start + 19 && (o->b.data[o->w.start + 19] & IKEV1_FLAG_ENC);
	if (enc) {
		size_t body = o->b.len - o->w.start - IKEV1_HDR_LEN;
		size_t pad = v->k.block - body % v->k.block;
		if (pad == v->k.block)
			pad = 0;
		buf_skip(&o->b, pad);
	}
	if (!ikev1_w_finish(&o->w))
		return -1;
	if (!enc)
		return 0;
	uint8_t *p = o->b.data + o->w.start + IKEV1_HDR_LEN;
	return v1_encrypt(&v->k, iv, p, o->b.len - o->w.start - IKEV1_HDR_LEN);
}

void v1_out_free(struct v1_out *o)
{
	buf_free(&o->b);
}

int v1_send_raw(struct ike_sa *sa, const uint8_t *data, size_t len)
{
	struct v1_sa *v = v1_of(sa);
	v->eng->st.tx++;
	return ike_io_send(v->eng->io, &sa->local, &sa->remote, data, len);
}

/* Debug view of a message we send (parsed back before encryption). */
static void dump_out(const struct ike_sa *sa, const struct v1_out *o)
{
	if (!log_debug_on(LOG_IKEV1, 4))
		return;
	struct ikev1_msg *m = calloc(1, sizeof(*m));
	struct ikev1_parse_err err;
	if (!m)
		return;
	const uint8_t *p = o->b.data + o->w.start;
	size_t len = o->b.len - o->w.start;
	if (ikev1_parse_header(p, len, &m->hdr, &err) == 0 &&
	    ikev1_parse_chain(m->hdr.next_payload, p + IKEV1_HDR_LEN, len - IKEV1_HDR_LEN, m,
			      &err) == 0)
		v1_dump(sa, m, true);
	free(m);
}

/* Finish o (hash with `pre`, seal with iv), send, keep a copy in keep. */
static int finish_send(struct ike_sa *sa, struct v1_out *o, uint32_t msg_id, const uint8_t *pre,
		       size_t pre_len, uint8_t *iv, struct buf *keep)
{
	if (v1_out_hash(o, sa, msg_id, pre, pre_len) < 0)
		return -1;
	dump_out(sa, o);
	if (v1_out_seal(o, sa, iv) < 0)
		return -1;
	int rc = v1_send_raw(sa, o->b.data, o->b.len);
	if (keep) {
		buf_reset(keep);
		buf_put(keep, o->b.data, o->b.len);
		if (keep->oom)
			return -1;
	}
	return rc;
}

int v1_send_new(struct ike_sa *sa, uint8_t exchange, struct v1_exch *ex,
		void (*fill)(struct ikev1_wr *w, void *arg), void *arg)
{
	struct v1_sa *v = v1_of(sa);
	uint32_t msg_id = ex ? ex->msg_id : v1_new_msg_id(sa);
	uint8_t iv_local[V1_MAX_BLOCK];
	uint8_t *iv = ex ? ex->iv : iv_local;
	if (!msg_id || (!ex && v1_iv_msgid(&v->k, msg_id, iv_local) < 0))
		return -1;
	struct v1_out o;
	v1_out_begin(&o, sa, exchange, msg_id, IKEV1_FLAG_ENC, true);
	fill(&o.w, arg);
	int rc = finish_send(sa, &o, msg_id, NULL, 0, iv, ex ? &ex->last_tx : NULL);
	v1_out_free(&o);
	if (rc == 0 && ex) {
		ex->awaiting = true;
		ex->tries = 0;
		ex->next_ms = loop_now_ms() + V1_RETRANSMIT_MS;
		v1_sa_schedule(sa);
	}
	return rc;
}

int v1_send_in(struct ike_sa *sa, uint8_t exchange, struct v1_exch *ex,
	       const uint8_t *pre, size_t pre_len,
	       void (*fill)(struct ikev1_wr *w, void *arg), void *arg)
{
	struct v1_out o;
	v1_out_begin(&o, sa, exchange, ex->msg_id, IKEV1_FLAG_ENC | ex->flags, true);
	fill(&o.w, arg);
	int rc = finish_send(sa, &o, ex->msg_id, pre, pre_len, ex->iv, &ex->last_tx);
	v1_out_free(&o);
	return rc;
}

struct dump_arg {
	const struct ike_sa *sa;
};

static void dump_line(void *arg, const char *text)
{
	struct dump_arg *d = arg;
	if (d->sa)
		log_debug(LOG_IKEV1, 64, "(%u): %s", d->sa->session_id, text);
	else
		log_debug(LOG_IKEV1, 64, "%s", text);
}

void v1_dump(const struct ike_sa *sa, const struct ikev1_msg *m, bool sent)
{
	if (log_debug_on(LOG_IKEV1, 4) && sa) {
		char sum[512];
		ikev1_msg_summary(m, sum, sizeof(sum));
		v1_log(sa, 4, "IKE %s %s (msgid=%08x): %s", sent ? "SENDING" : "RECEIVED",
		       ikev1_exchange_name(m->hdr.exchange), m->hdr.msg_id, sum);
	}
	if (log_debug_on(LOG_IKEV1, 64)) {
		struct dump_arg d = { sa };
		ikev1_msg_dump(m, dump_line, &d);
	}
}
