/* Sending: protect (SK) or fragment (SKF, RFC 7383), send, and keep the
 * datagrams for retransmission (our replies are re-sent when the request
 * is repeated; our requests when no answer comes). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "base/loop.h"
#include "ike/v2/v2.h"

static int dgrams_alloc(struct v2_dgrams *d, size_t n)
{
	d->d = calloc(n, sizeof(*d->d));
	if (!d->d)
		return -1;
	d->n = n;
	for (size_t i = 0; i < n; i++)
		buf_init(&d->d[i]);
	return 0;
}

int v2_send_dgrams(struct ikev2 *e, const struct v2_dgrams *d, const struct sockaddr_in *from,
		   const struct sockaddr_in *to)
{
	int rc = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (ike_io_send(e->io, from, to, d->d[i].data, d->d[i].len) < 0)
			rc = -1;
		e->st.tx_messages++;
	}
	return rc;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Debug view of what we are about to protect: parsed before sealing,
 * printed once the length is known. */
static struct ikev2_msg *parse_plain(struct ike_sa *sa, const struct buf *b, size_t sk_off,
				     size_t plain_off)
{
	if (!log_debug_on(LOG_IKEV2, 4))
		return NULL;
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct ikev2_parse_err err;
	if (!m)
		return NULL;
	if (ikev2_parse_chain(b->data[sk_off], b->data + plain_off, b->len - plain_off, m,
			      &err) < 0) {
		free(m);
		return NULL;
	}
	m->hdr.spi_i = sa->spi_i;
	m->hdr.spi_r = sa->spi_r;
	m->hdr.next_payload = IKEV2_PL_SK;
	m->hdr.version = b->data[17];
	m->hdr.exchange = b->data[18];
	m->hdr.flags = b->data[19];
	m->hdr.msg_id = be32(b->data + 20);
	return m;
}

static void dump_sent(struct ike_sa *sa, struct ikev2_msg *m, size_t len)
{
	if (!m)
		return;
	m->hdr.length = (uint32_t)len;
	v2_dump(sa, m, true);
	free(m);
}

int v2_send_protected(struct ike_sa *sa, struct buf *b, size_t sk_off,
		      const struct sockaddr_in *from, const struct sockaddr_in *to,
		      struct v2_dgrams *keep)
{
	struct v2_sa *v = v2_of(sa);
	struct ikev2 *e = v->eng;
	struct v2_dgrams d = { NULL, 0 };
	if (b->oom || !v->keys_ready)
		return -1;
	size_t iv = v->sk.encr->iv_len;
	size_t plain_off = sk_off + IKE_SK_HDR + iv;
	size_t n = b->len - plain_off;
	struct ikev2_msg *dm = parse_plain(sa, b, sk_off, plain_off);
	size_t marker = ntohs(from->sin_port) == ike_io_port(e->io, true) ? 4 : 0;
	size_t wire = sk_off + ike_sk_overhead(&v->sk, IKE_SK_HDR, n) + n;
	if (v->peer_frag && wire + 28 + marker > IKE_FRAG_DATAGRAM) {
		if (dgrams_alloc(&d, IKE_FRAG_MAX) < 0) {
			free(dm);
			return -1;
		}
		int nf = ike_frag_build(&v->sk, b->data, b->data[sk_off], b->data + plain_off, n,
					IKE_FRAG_DATAGRAM, marker, d.d, d.n);
		if (nf < 0) {
			free(dm);
			v2_dgrams_free(&d);
			v2_log(sa, 1, "cannot fragment a %zu-byte message", wire);
			return -1;
		}
		for (size_t i = (size_t)nf; i < d.n; i++)
			buf_free(&d.d[i]);
		d.n = (size_t)nf;
		e->st.tx_fragments += (uint64_t)nf;
		v2_log(sa, 3, "message of %zu bytes sent as %d fragments", wire, nf);
	} else {
		if (ike_sk_seal(&v->sk, b, 0, sk_off, IKE_SK_HDR) < 0 || dgrams_alloc(&d, 1) < 0) {
			free(dm);
			return -1;
		}
		buf_put(&d.d[0], b->data, b->len);
		wire = b->len;
	}
	dump_sent(sa, dm, wire);
	int rc = v2_send_dgrams(e, &d, from, to);
	if (keep) {
		v2_dgrams_free(keep);
		*keep = d;
	} else {
		v2_dgrams_free(&d);
	}
	return rc;
}

int v2_send_request(struct ike_sa *sa, enum v2_req_kind kind,
		    void (*fill)(struct ikev2_wr *w, void *arg), void *arg)
{
	struct v2_sa *v = v2_of(sa);
	if (v->req_pending || !v->keys_ready)
		return -1;
	struct buf b;
	struct ikev2_wr w;
	buf_init(&b);
	struct ikev2_hdr h = { .spi_i = sa->spi_i, .spi_r = sa->spi_r, .version = IKEV2_VERSION,
			       .exchange = IKEV2_INFORMATIONAL, .flags = 0,
			       .msg_id = sa->our_next_id };
	ikev2_w_begin(&w, &b, &h);
	size_t sk_off = ikev2_w_sk_begin(&w, v->sk.encr->iv_len);
	fill(&w, arg);
	int rc = -1;
	if (ikev2_w_finish(&w) &&
	    v2_send_protected(sa, &b, sk_off, &sa->local, &sa->remote, &v->req) == 0) {
		v->req_pending = true;
		v->req_kind = kind;
		v->req_id = sa->our_next_id;
		v->req_tries = 1;
		unsigned retry = sa->dpd_retry ? sa->dpd_retry : 2;
		v->req_next_ms = loop_now_ms() +
				 (kind == V2_REQ_DPD ? retry * 1000u : V2_DELETE_RETRY_MS);
		sa->our_pending_id = sa->our_next_id;
		sa->our_request_pending = true;
		sa->our_next_id++;
		rc = 0;
	}
	buf_free(&b);
	return rc;
}
