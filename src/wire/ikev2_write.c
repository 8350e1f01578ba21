/* IKEv2 message writer.
 *
 * Payloads are appended to a struct buf; each new payload patches its type
 * into the "next payload" byte of the one before (header, previous payload,
 * or the SK payload whose chain it starts), found by offset in w->next_off.
 * Lengths are patched by offset when a payload is closed (STYLE.md rule 2).
 * Layouts: see the diagrams in ikev2_desc.c. */
#include <string.h>

#include "wire/ikev2_pl.h"

#define GENERIC_HDR_LEN 4
#define HDR_NEXT_OFF 16
#define HDR_LENGTH_OFF 24
#define CRITICAL_BIT 0x80
#define LAST_PROPOSAL 0
#define MORE_PROPOSALS 2
#define LAST_TRANSFORM 0
#define MORE_TRANSFORMS 3
#define ATTR_KEY_LENGTH_TV 0x800e
#define CP_ATTR_TYPE_MASK 0x7fff

/* A value that does not fit its field fails the whole message. */
static void w_fail(struct ikev2_wr *w)
{
	w->b->oom = true;
}

static void w_patch_len16(struct ikev2_wr *w, size_t off, size_t start)
{
	size_t len = w->b->len - start;
	if (len > UINT16_MAX)
		w_fail(w);
	else
		buf_patch_u16(w->b, off, (uint16_t)len);
}

void ikev2_w_begin(struct ikev2_wr *w, struct buf *b, const struct ikev2_hdr *h)
{
	w->b = b;
	w->start = b->len;
	w->next_off = w->start + HDR_NEXT_OFF;
	buf_put_u64(b, h->spi_i);
	buf_put_u64(b, h->spi_r);
	buf_put_u8(b, IKEV2_PL_NONE);   /* patched by the first payload */
	buf_put_u8(b, h->version ? h->version : IKEV2_VERSION);
	buf_put_u8(b, h->exchange);
	buf_put_u8(b, h->flags);
	buf_put_u32(b, h->msg_id);
	buf_put_u32(b, 0);              /* patched by ikev2_w_finish */
}

bool ikev2_w_finish(struct ikev2_wr *w)
{
	size_t len = w->b->len - w->start;
	if (len > UINT32_MAX)
		w_fail(w);
	else
		buf_patch_u32(w->b, w->start + HDR_LENGTH_OFF, (uint32_t)len);
	return !w->b->oom;
}

size_t ikev2_w_start(struct ikev2_wr *w, uint8_t type, bool critical)
{
	buf_patch_u8(w->b, w->next_off, type);
	size_t off = w->b->len;
	buf_put_u8(w->b, IKEV2_PL_NONE);
	buf_put_u8(w->b, critical ? CRITICAL_BIT : 0);
	buf_put_u16(w->b, 0);
	w->next_off = off;
	return off;
}

void ikev2_w_end(struct ikev2_wr *w, size_t off)
{
	w_patch_len16(w, off + 2, off);
}

/* ---- SA --------------------------------------------------------------- */

static void w_transform(struct ikev2_wr *w, const struct ikev2_transform *t, bool last)
{
	struct buf *b = w->b;
	size_t off = b->len;
	buf_put_u8(b, last ? LAST_TRANSFORM : MORE_TRANSFORMS);
	buf_put_u8(b, 0);
	buf_put_u16(b, 0);
	buf_put_u8(b, t->type);
	buf_put_u8(b, 0);
	buf_put_u16(b, t->id);
	if (t->key_bits) {
		buf_put_u16(b, ATTR_KEY_LENGTH_TV);
		buf_put_u16(b, t->key_bits);
	}
	w_patch_len16(w, off + 2, off);
}

static void w_proposal(struct ikev2_wr *w, const struct ikev2_proposal *p, bool last)
{
	struct buf *b = w->b;
	if (p->spi_size > sizeof(p->spi) || p->n_transforms > IKEV2_MAX_TRANSFORMS) {
		w_fail(w);
		return;
	}
	size_t off = b->len;
	buf_put_u8(b, last ? LAST_PROPOSAL : MORE_PROPOSALS);
	buf_put_u8(b, 0);
	buf_put_u16(b, 0);
	buf_put_u8(b, p->num);
	buf_put_u8(b, p->protocol);
	buf_put_u8(b, p->spi_size);
	buf_put_u8(b, p->n_transforms);
	buf_put(b, p->spi, p->spi_size);
	for (unsigned i = 0; i < p->n_transforms; i++)
		w_transform(w, &p->t[i], i + 1 == p->n_transforms);
	w_patch_len16(w, off + 2, off);
}

void ikev2_w_sa(struct ikev2_wr *w, const struct ikev2_proposal *p, size_t n)
{
	size_t off = ikev2_w_start(w, IKEV2_PL_SA, false);
	for (size_t i = 0; i < n; i++)
		w_proposal(w, &p[i], i + 1 == n);
	ikev2_w_end(w, off);
}

/* ---- simple payloads ---------------------------------------------------- */

void ikev2_w_ke(struct ikev2_wr *w, uint16_t group, const uint8_t *data, size_t len)
{
	size_t off = ikev2_w_start(w, IKEV2_PL_KE, false);
	buf_put_u16(w->b, group);
	buf_put_u16(w->b, 0);
	buf_put(w->b, data, len);
	ikev2_w_end(w, off);
}

void ikev2_w_nonce(struct ikev2_wr *w, const uint8_t *data, size_t len)
{
	size_t off = ikev2_w_start(w, IKEV2_PL_NONCE, false);
	buf_put(w->b, data, len);
	ikev2_w_end(w, off);
}

/* ID, AUTH: one type octet, three reserved, data. */
static void w_type_data(struct ikev2_wr *w, uint8_t payload, uint8_t type, const uint8_t *data,
			size_t len)
{
	size_t off = ikev2_w_start(w, payload, false);
	buf_put_u8(w->b, type);
	buf_put_u8(w->b, 0);
	buf_put_u16(w->b, 0);
	buf_put(w->b, data, len);
	ikev2_w_end(w, off);
}

void ikev2_w_id(struct ikev2_wr *w, uint8_t payload, uint8_t id_type, const uint8_t *data,
		size_t len)
{
	w_type_data(w, payload, id_type, data, len);
}

void ikev2_w_auth(struct ikev2_wr *w, uint8_t method, const uint8_t *data, size_t len)
{
	w_type_data(w, IKEV2_PL_AUTH, method, data, len);
}

void ikev2_w_cert(struct ikev2_wr *w, uint8_t payload, uint8_t encoding, const uint8_t *data,
		  size_t len)
{
	size_t off = ikev2_w_start(w, payload, false);
	buf_put_u8(w->b, encoding);
	buf_put(w->b, data, len);
	ikev2_w_end(w, off);
}

void ikev2_w_notify(struct ikev2_wr *w, uint8_t protocol, const uint8_t *spi, size_t spi_len,
		    uint16_t type, const uint8_t *data, size_t len)
{
	if (spi_len > UINT8_MAX) {
		w_fail(w);
		return;
	}
	size_t off = ikev2_w_start(w, IKEV2_PL_NOTIFY, false);
	buf_put_u8(w->b, protocol);
	buf_put_u8(w->b, (uint8_t)spi_len);
	buf_put_u16(w->b, type);
	buf_put(w->b, spi, spi_len);
	buf_put(w->b, data, len);
	ikev2_w_end(w, off);
}

void ikev2_w_delete(struct ikev2_wr *w, uint8_t protocol, uint8_t spi_size, const uint8_t *spis,
		    uint16_t n_spi)
{
	size_t off = ikev2_w_start(w, IKEV2_PL_DELETE, false);
	buf_put_u8(w->b, protocol);
	buf_put_u8(w->b, spi_size);
	buf_put_u16(w->b, n_spi);
	buf_put(w->b, spis, (size_t)spi_size * n_spi);
	ikev2_w_end(w, off);
}

void ikev2_w_vendor(struct ikev2_wr *w, const uint8_t *data, size_t len)
{
	size_t off = ikev2_w_start(w, IKEV2_PL_VENDOR, false);
	buf_put(w->b, data, len);
	ikev2_w_end(w, off);
}

/* ---- TS, CP, EAP ---------------------------------------------------------- */

static void w_selector(struct ikev2_wr *w, const struct ikev2_ts *ts)
{
	size_t alen = ts->type == IKEV2_TS_IPV6_ADDR_RANGE ? 16 : 4;
	buf_put_u8(w->b, ts->type);
	buf_put_u8(w->b, ts->ip_proto);
	buf_put_u16(w->b, (uint16_t)(8 + 2 * alen));
	buf_put_u16(w->b, ts->start_port);
	buf_put_u16(w->b, ts->end_port);
	buf_put(w->b, ts->start, alen);
	buf_put(w->b, ts->end, alen);
}

void ikev2_w_ts(struct ikev2_wr *w, uint8_t payload, const struct ikev2_ts_list *l)
{
	if (l->n > IKEV2_MAX_TS) {
		w_fail(w);
		return;
	}
	size_t off = ikev2_w_start(w, payload, false);
	buf_put_u8(w->b, l->n);
	buf_put_u8(w->b, 0);
	buf_put_u16(w->b, 0);
	for (unsigned i = 0; i < l->n; i++)
		w_selector(w, &l->ts[i]);
	ikev2_w_end(w, off);
}

void ikev2_w_cp(struct ikev2_wr *w, const struct ikev2_cp *cp)
{
	if (cp->n > IKEV2_MAX_CP_ATTRS) {
		w_fail(w);
		return;
	}
	size_t off = ikev2_w_start(w, IKEV2_PL_CP, false);
	buf_put_u8(w->b, cp->type);
	buf_put_u8(w->b, 0);
	buf_put_u16(w->b, 0);
	for (unsigned i = 0; i < cp->n; i++) {
		const struct ikev2_cp_attr *a = &cp->a[i];
		if (a->value.len > UINT16_MAX) {
			w_fail(w);
			return;
		}
		buf_put_u16(w->b, a->type & CP_ATTR_TYPE_MASK);
		buf_put_u16(w->b, (uint16_t)a->value.len);
		buf_put(w->b, a->value.data, a->value.len);
	}
	ikev2_w_end(w, off);
}

void ikev2_w_eap(struct ikev2_wr *w, const uint8_t *data, size_t len)
{
	size_t off = ikev2_w_start(w, IKEV2_PL_EAP, false);
	buf_put(w->b, data, len);
	ikev2_w_end(w, off);
}

/* ---- SK, SKF ---------------------------------------------------------------- */

size_t ikev2_w_sk_begin(struct ikev2_wr *w, size_t iv_len)
{
	size_t off = ikev2_w_start(w, IKEV2_PL_SK, false);
	buf_skip(w->b, iv_len);
	/* the next ikev2_w_start() patches the SK next payload: the inner chain */
	return off;
}

size_t ikev2_w_skf_begin(struct ikev2_wr *w, uint8_t inner_first, uint16_t frag_num,
			 uint16_t total, size_t iv_len)
{
	size_t off = ikev2_w_start(w, IKEV2_PL_SKF, false);
	buf_patch_u8(w->b, off, inner_first);
	buf_put_u16(w->b, frag_num);
	buf_put_u16(w->b, total);
	buf_skip(w->b, iv_len);
	return off;
}

/* ---- re-emitting a parsed chain ------------------------------------------- */

void ikev2_emit_sa(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx)
{
	ikev2_w_sa(w, m->sa.p, m->sa.n);
}

void ikev2_emit_ke(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx)
{
	ikev2_w_ke(w, m->ke.group, m->ke.data.data, m->ke.data.len);
}

void ikev2_emit_idi(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx)
{
	ikev2_w_id(w, IKEV2_PL_IDI, m->idi.type, m->idi.data.data, m->idi.data.len);
}

void ikev2_emit_idr(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx)
{
	ikev2_w_id(w, IKEV2_PL_IDR, m->idr.type, m->idr.data.data, m->idr.data.len);
}

void ikev2_emit_cert(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx)
{
	const struct ikev2_cert *c = &m->cert[idx];
	ikev2_w_cert(w, IKEV2_PL_CERT, c->encoding, c->data.data, c->data.len);
}

void ikev2_emit_certreq(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx)
{
	const struct ikev2_cert *c = &m->certreq[idx];
	ikev2_w_cert(w, IKEV2_PL_CERTREQ, c->encoding, c->data.data, c->data.len);
}

void ikev2_emit_auth(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx)
{
	ikev2_w_auth(w, m->auth.method, m->auth.data.data, m->auth.data.len);
}

void ikev2_emit_nonce(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx)
{
	ikev2_w_nonce(w, m->nonce.data, m->nonce.len);
}

void ikev2_emit_notify(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx)
{
	const struct ikev2_notify *n = &m->notify[idx];
	ikev2_w_notify(w, n->protocol, n->spi.data, n->spi.len, n->type, n->data.data, n->data.len);
}

void ikev2_emit_delete(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx)
{
	const struct ikev2_delete *d = &m->del[idx];
	ikev2_w_delete(w, d->protocol, d->spi_size, d->spis.data, d->n_spi);
}

void ikev2_emit_vendor(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx)
{
	ikev2_w_vendor(w, m->vendor[idx].data, m->vendor[idx].len);
}

void ikev2_emit_tsi(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx)
{
	ikev2_w_ts(w, IKEV2_PL_TSI, &m->tsi);
}

void ikev2_emit_tsr(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx)
{
	ikev2_w_ts(w, IKEV2_PL_TSR, &m->tsr);
}

void ikev2_emit_cp(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx)
{
	ikev2_w_cp(w, &m->cp);
}

void ikev2_emit_eap(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx)
{
	ikev2_w_eap(w, m->eap.data, m->eap.len);
}

/* SK as received: the still-encrypted body is copied unchanged. */
void ikev2_emit_sk(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx)
{
	size_t off = ikev2_w_start(w, IKEV2_PL_SK, false);
	buf_patch_u8(w->b, off, m->sk.inner_first);
	buf_put(w->b, m->sk.body.data, m->sk.body.len);
	ikev2_w_end(w, off);
}

void ikev2_emit_skf(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx)
{
	size_t off = ikev2_w_skf_begin(w, m->skf.inner_first, m->skf.frag_num, m->skf.total, 0);
	buf_put(w->b, m->skf.body.data, m->skf.body.len);
	ikev2_w_end(w, off);
}

void ikev2_w_chain(struct ikev2_wr *w, const struct ikev2_msg *m)
{
	unsigned seen[256] = { 0 };
	for (unsigned i = 0; i < m->n_order && i < IKEV2_MAX_PAYLOADS; i++) {
		uint8_t type = m->order[i];
		const struct ikev2_pl_desc *d = ikev2_pl_find(type);
		unsigned idx = seen[type]++;
		if (d && idx < d->max)
			d->emit(w, m, idx);
	}
}
