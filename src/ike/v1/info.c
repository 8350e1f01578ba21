/* Informational exchanges: DPD (RFC 3706), DELETE, error notifies.
 *
 *   HDR*, HASH(1), N(R-U-THERE, seq)     <-->  HDR*, HASH(1), N(R-U-THERE-ACK, seq)
 *   HDR*, HASH(1), D(ISAKMP, CKY-I|CKY-R)      the session ends
 *   HDR*, HASH(1), D(ESP, SPI...)              those IPsec SAs end
 *
 * Every Informational message is its own exchange with a fresh message ID
 * and the IV hash(last phase-1 block | M-ID).  Before phase 1 is keyed, an
 * error can only be said in the clear (v1_notify_plain). */
#include <arpa/inet.h>
#include <string.h>

#include "base/loop.h"
#include "ike/core/child.h"
#include "ike/v1/v1.h"

static void cookies(const struct ike_sa *sa, uint8_t out[16])
{
	for (int i = 0; i < 8; i++) {
		out[i] = (uint8_t)(sa->spi_i >> (56 - 8 * i));
		out[8 + i] = (uint8_t)(sa->spi_r >> (56 - 8 * i));
	}
}

struct notify_arg {
	uint8_t protocol;
	const uint8_t *spi;
	size_t spi_len;
	uint16_t type;
	const uint8_t *data;
	size_t len;
};

static void fill_notify(struct ikev1_wr *w, void *arg)
{
	const struct notify_arg *n = arg;
	ikev1_w_notify(w, IKEV1_DOI_IPSEC, n->protocol, n->spi, n->spi_len, n->type, n->data,
		       n->len);
}

int v1_send_dpd(struct ike_sa *sa)
{
	struct v1_sa *v = v1_of(sa);
	uint8_t spi[16], seq[4];
	if (!v->dpd_seq && crypto_random(&v->dpd_seq, sizeof(v->dpd_seq)) < 0)
		return -1;
	v->dpd_seq = (v->dpd_seq + 1) & 0x7fffffffu;
	if (!v->dpd_seq)
		v->dpd_seq = 1;
	cookies(sa, spi);
	seq[0] = (uint8_t)(v->dpd_seq >> 24);
	seq[1] = (uint8_t)(v->dpd_seq >> 16);
	seq[2] = (uint8_t)(v->dpd_seq >> 8);
	seq[3] = (uint8_t)v->dpd_seq;
	struct notify_arg n = { IKEV1_PROTO_ISAKMP, spi, 16, IKEV1_N_R_U_THERE, seq, 4 };
	v1_log(sa, 3, "DPD: no traffic for %u s, sending R-U-THERE (seq %u)", sa->dpd_interval,
	       v->dpd_seq);
	return v1_send_new(sa, IKEV1_X_INFO, NULL, fill_notify, &n);
}

static void send_dpd_ack(struct ike_sa *sa, const struct ikev1_notify *rq)
{
	uint8_t spi[16];
	cookies(sa, spi);
	struct notify_arg n = { IKEV1_PROTO_ISAKMP, spi, 16, IKEV1_N_R_U_THERE_ACK,
				rq->data.data, rq->data.len };
	if (v1_send_new(sa, IKEV1_X_INFO, NULL, fill_notify, &n) < 0)
		v1_log(sa, 1, "DPD: could not answer R-U-THERE");
}

struct delete_arg {
	uint8_t protocol;
	uint8_t spi_size;
	uint8_t spi[16];
};

static void fill_delete(struct ikev1_wr *w, void *arg)
{
	const struct delete_arg *d = arg;
	ikev1_w_delete(w, IKEV1_DOI_IPSEC, d->protocol, d->spi_size, d->spi, 1);
}

void v1_send_delete_isakmp(struct ike_sa *sa)
{
	struct delete_arg d = { IKEV1_PROTO_ISAKMP, 16, { 0 } };
	cookies(sa, d.spi);
	if (v1_send_new(sa, IKEV1_X_INFO, NULL, fill_delete, &d) < 0)
		v1_log(sa, 1, "could not send the ISAKMP DELETE");
}

void v1_send_delete_esp(struct ike_sa *sa, uint32_t spi_in)
{
	struct delete_arg d = { IKEV1_PROTO_ESP, 4, { (uint8_t)(spi_in >> 24),
		(uint8_t)(spi_in >> 16), (uint8_t)(spi_in >> 8), (uint8_t)spi_in } };
	if (v1_send_new(sa, IKEV1_X_INFO, NULL, fill_delete, &d) < 0)
		v1_log(sa, 1, "could not send the IPsec DELETE");
}

void v1_send_error(struct ike_sa *sa, uint16_t type)
{
	uint8_t spi[16];
	cookies(sa, spi);
	struct notify_arg n = { IKEV1_PROTO_ISAKMP, spi, 16, type, NULL, 0 };
	if (v1_send_new(sa, IKEV1_X_INFO, NULL, fill_notify, &n) < 0)
		v1_log(sa, 1, "could not send notify %u", type);
}

void v1_send_connected(struct ike_sa *sa, uint32_t spi_in)
{
	uint8_t spi[4] = { (uint8_t)(spi_in >> 24), (uint8_t)(spi_in >> 16), (uint8_t)(spi_in >> 8),
			   (uint8_t)spi_in };
	struct notify_arg n = { IKEV1_PROTO_ESP, spi, 4, IKEV1_N_CONNECTED, NULL, 0 };
	if (v1_send_new(sa, IKEV1_X_INFO, NULL, fill_notify, &n) < 0)
		v1_log(sa, 1, "could not send CONNECTED");
}

void v1_notify_plain(struct ikev1 *e, const struct ike_pkt *p, uint64_t spi_i, uint64_t spi_r,
		     uint16_t type)
{
	struct buf b;
	struct ikev1_wr w;
	buf_init(&b);
	struct ikev1_hdr h = { .spi_i = spi_i, .spi_r = spi_r, .version = IKEV1_VERSION,
			       .exchange = IKEV1_X_INFO };
	uint8_t spi[16];
	for (int i = 0; i < 8; i++) {
		spi[i] = (uint8_t)(spi_i >> (56 - 8 * i));
		spi[8 + i] = (uint8_t)(spi_r >> (56 - 8 * i));
	}
	ikev1_w_begin(&w, &b, &h);
	ikev1_w_notify(&w, IKEV1_DOI_IPSEC, IKEV1_PROTO_ISAKMP, spi, 16, type, NULL, 0);
	if (ikev1_w_finish(&w)) {
		e->st.tx++;
		(void)ike_io_send(e->io, &p->to, &p->from, b.data, b.len);
	}
	buf_free(&b);
	v1_log_peer(&p->from, 2, "sent notify %s", ikev1_notify_name(type) ? ikev1_notify_name(type)
									    : "?");
}

static void on_notify(struct ike_sa *sa, const struct ikev1_notify *n)
{
	struct v1_sa *v = v1_of(sa);
	switch (n->type) {
	case IKEV1_N_R_U_THERE:
		v1_log(sa, 3, "DPD: R-U-THERE from the peer, answering");
		send_dpd_ack(sa, n);
		return;
	case IKEV1_N_R_U_THERE_ACK:
		v->dpd_pending = false;
		v->dpd_misses = 0;
		v1_log(sa, 3, "DPD: R-U-THERE-ACK received");
		return;
	case IKEV1_N_INITIAL_CONTACT:
		return;
	default: {
		const char *name = ikev1_notify_name(n->type);
		v1_log(sa, 1, "notify %s (%u) from the peer", name ? name : "UNKNOWN", n->type);
		return;
	}
	}
}

/* Returns true when the ISAKMP SA is gone. */
static bool on_delete(struct ike_sa *sa, const struct ikev1_delete *d)
{
	if (d->protocol == IKEV1_PROTO_ISAKMP) {
		v1_log(sa, 1, "peer deleted the ISAKMP SA");
		v1_sa_destroy(sa, "User Requested", true);
		return true;
	}
	if (d->protocol != IKEV1_PROTO_ESP || d->spi_size != 4)
		return false;
	for (uint16_t i = 0; i < d->n_spi; i++) {
		const uint8_t *p = d->spis.data + 4u * i;
		uint32_t spi = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
		struct child_sa *k = ike_child_by_spi_out(sa, spi);
		if (!k)
			k = ike_child_by_spi_in(sa, spi);
		if (!k) {
			v1_log(sa, 2, "DELETE for an unknown IPsec SA 0x%08x", spi);
			continue;
		}
		v1_log(sa, 1, "peer deleted IPsec SA 0x%08x/0x%08x", k->spi_in, k->spi_out);
		ike_child_unlink(sa, k);
		ike_child_free(k);
	}
	return false;
}

void v1_informational(struct v1_ctx *c)
{
	struct ike_sa *sa = c->sa;
	const struct ikev1_msg *m = c->m;
	for (size_t i = 0; i < m->n_notify; i++)
		on_notify(sa, &m->notify[i]);
	for (size_t i = 0; i < m->n_delete; i++)
		if (on_delete(sa, &m->del[i]))
			return;
	v1_sa_schedule(sa);
}
