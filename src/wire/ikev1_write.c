/* IKEv1 message writer (the SA payload is written in ikev1_sa.c).
 *
 * Payloads are appended to a struct buf; each new payload patches its type
 * into the "next payload" byte of the one before (the header, or the
 * previous payload), found by offset in w->next_off.  Lengths are patched by
 * offset when a payload is closed; a length that does not fit its field
 * marks the buffer failed (b->oom), so ikev1_w_finish() returns false.
 * Encryption of everything after the header is the IKE layer's business.
 * Layouts: see the diagrams in ikev1_desc.c. */
#include <string.h>

#include "wire/ikev1_pl.h"

#define HDR_NEXT_OFF 16
#define HDR_LENGTH_OFF 24
#define FRAG_FLAG_LAST 0x01

static void w_fail(struct ikev1_wr *w)
{
	w->b->oom = true;
}

void ikev1_w_begin(struct ikev1_wr *w, struct buf *b, const struct ikev1_hdr *h)
{
	w->b = b;
	w->start = b->len;
	w->next_off = w->start + HDR_NEXT_OFF;
	buf_put_u64(b, h->spi_i);
	buf_put_u64(b, h->spi_r);
	buf_put_u8(b, IKEV1_PL_NONE);   /* patched by the first payload */
	buf_put_u8(b, h->version ? h->version : IKEV1_VERSION);
	buf_put_u8(b, h->exchange);
	buf_put_u8(b, h->flags);
	buf_put_u32(b, h->msg_id);
	buf_put_u32(b, 0);              /* patched by ikev1_w_finish */
}

bool ikev1_w_finish(struct ikev1_wr *w)
{
	size_t len = w->b->len - w->start;
	if (len > UINT32_MAX)
		w_fail(w);
	else
		buf_patch_u32(w->b, w->start + HDR_LENGTH_OFF, (uint32_t)len);
	return !w->b->oom;
}

size_t ikev1_w_start(struct ikev1_wr *w, uint8_t type)
{
	buf_patch_u8(w->b, w->next_off, type);
	size_t off = w->b->len;
	buf_put_u8(w->b, IKEV1_PL_NONE);
	buf_put_u8(w->b, 0);
	buf_put_u16(w->b, 0);
	w->next_off = off;
	return off;
}

void ikev1_w_end(struct ikev1_wr *w, size_t off)
{
	size_t len = w->b->len - off;
	if (len > UINT16_MAX)
		w_fail(w);
	else
		buf_patch_u16(w->b, off + 2, (uint16_t)len);
}

/* ---- payloads -------------------------------------------------------------- */

/* A payload whose body is just data (KE, NONCE, VID, NAT-D, ...). */
static void w_data(struct ikev1_wr *w, uint8_t type, const uint8_t *data, size_t len)
{
	size_t off = ikev1_w_start(w, type);
	buf_put(w->b, data, len);
	ikev1_w_end(w, off);
}

void ikev1_w_ke(struct ikev1_wr *w, const uint8_t *data, size_t len)
{
	w_data(w, IKEV1_PL_KE, data, len);
}

void ikev1_w_nonce(struct ikev1_wr *w, const uint8_t *data, size_t len)
{
	w_data(w, IKEV1_PL_NONCE, data, len);
}

void ikev1_w_id(struct ikev1_wr *w, uint8_t id_type, uint8_t proto, uint16_t port,
		const uint8_t *data, size_t len)
{
	size_t off = ikev1_w_start(w, IKEV1_PL_ID);
	buf_put_u8(w->b, id_type);
	buf_put_u8(w->b, proto);
	buf_put_u16(w->b, port);
	buf_put(w->b, data, len);
	ikev1_w_end(w, off);
}

void ikev1_w_cert(struct ikev1_wr *w, uint8_t payload, uint8_t encoding, const uint8_t *data,
		  size_t len)
{
	size_t off = ikev1_w_start(w, payload);
	buf_put_u8(w->b, encoding);
	buf_put(w->b, data, len);
	ikev1_w_end(w, off);
}

size_t ikev1_w_hash(struct ikev1_wr *w, uint8_t payload, size_t len)
{
	size_t off = ikev1_w_start(w, payload);
	size_t data_off = buf_skip(w->b, len);
	ikev1_w_end(w, off);
	return data_off;
}

void ikev1_w_notify(struct ikev1_wr *w, uint32_t doi, uint8_t protocol, const uint8_t *spi,
		    size_t spi_len, uint16_t type, const uint8_t *data, size_t len)
{
	if (spi_len > UINT8_MAX) {
		w_fail(w);
		return;
	}
	size_t off = ikev1_w_start(w, IKEV1_PL_N);
	buf_put_u32(w->b, doi);
	buf_put_u8(w->b, protocol);
	buf_put_u8(w->b, (uint8_t)spi_len);
	buf_put_u16(w->b, type);
	buf_put(w->b, spi, spi_len);
	buf_put(w->b, data, len);
	ikev1_w_end(w, off);
}

void ikev1_w_delete(struct ikev1_wr *w, uint32_t doi, uint8_t protocol, uint8_t spi_size,
		    const uint8_t *spis, uint16_t n_spi)
{
	size_t off = ikev1_w_start(w, IKEV1_PL_D);
	buf_put_u32(w->b, doi);
	buf_put_u8(w->b, protocol);
	buf_put_u8(w->b, spi_size);
	buf_put_u16(w->b, n_spi);
	buf_put(w->b, spis, (size_t)spi_size * n_spi);
	ikev1_w_end(w, off);
}

void ikev1_w_vendor(struct ikev1_wr *w, const uint8_t *data, size_t len)
{
	w_data(w, IKEV1_PL_VID, data, len);
}

static void w_cfg_attr(struct ikev1_wr *w, const struct ikev1_attr *a)
{
	uint16_t type = a->type & IKEV1_ATTR_TYPE_MASK;
	if (a->tv) {
		buf_put_u16(w->b, IKEV1_ATTR_TV_BIT | type);
		buf_put_u16(w->b, a->tv_value);
		return;
	}
	if (a->value.len > UINT16_MAX) {
		w_fail(w);
		return;
	}
	buf_put_u16(w->b, type);
	buf_put_u16(w->b, (uint16_t)a->value.len);
	buf_put(w->b, a->value.data, a->value.len);
}

void ikev1_w_cfg(struct ikev1_wr *w, const struct ikev1_cfg *c)
{
	if (c->n > IKEV1_MAX_CFG_ATTRS) {
		w_fail(w);
		return;
	}
	size_t off = ikev1_w_start(w, IKEV1_PL_ATTR);
	buf_put_u8(w->b, c->type);
	buf_put_u8(w->b, 0);
	buf_put_u16(w->b, c->identifier);
	for (unsigned i = 0; i < c->n; i++)
		w_cfg_attr(w, &c->a[i]);
	ikev1_w_end(w, off);
}

void ikev1_w_natd(struct ikev1_wr *w, bool draft, const uint8_t *hash, size_t len)
{
	w_data(w, draft ? IKEV1_PL_NATD_DRAFT : IKEV1_PL_NATD, hash, len);
}

/* NAT-OA (RFC 3947 §5.2) for a 4-byte IPv4 or 16-byte IPv6 address. */
void ikev1_w_natoa(struct ikev1_wr *w, bool draft, const uint8_t *addr, size_t len)
{
	if (len != 4 && len != 16) {
		w_fail(w);
		return;
	}
	size_t off = ikev1_w_start(w, draft ? IKEV1_PL_NATOA_DRAFT : IKEV1_PL_NATOA);
	buf_put_u8(w->b, len == 4 ? IKEV1_ID_IPV4_ADDR : IKEV1_ID_IPV6_ADDR);
	buf_put_u8(w->b, 0);
	buf_put_u16(w->b, 0);
	buf_put(w->b, addr, len);
	ikev1_w_end(w, off);
}

void ikev1_w_frag(struct ikev1_wr *w, uint16_t id, uint8_t num, bool last, const uint8_t *data,
		  size_t len)
{
	size_t off = ikev1_w_start(w, IKEV1_PL_FRAG);
	buf_put_u16(w->b, id);
	buf_put_u8(w->b, num);
	buf_put_u8(w->b, last ? FRAG_FLAG_LAST : 0);
	buf_put(w->b, data, len);
	ikev1_w_end(w, off);
}

/* ---- re-emitting a parsed chain --------------------------------------------- */

void ikev1_emit_ke(struct ikev1_wr *w, const struct ikev1_msg *m, uint8_t type, unsigned idx)
{
	ikev1_w_ke(w, m->ke.data, m->ke.len);
}

void ikev1_emit_id(struct ikev1_wr *w, const struct ikev1_msg *m, uint8_t type, unsigned idx)
{
	const struct ikev1_id *id = &m->id[idx];
	ikev1_w_id(w, id->type, id->proto, id->port, id->data.data, id->data.len);
}

void ikev1_emit_cert(struct ikev1_wr *w, const struct ikev1_msg *m, uint8_t type, unsigned idx)
{
	const struct ikev1_cert *c = &m->cert[idx];
	ikev1_w_cert(w, IKEV1_PL_CERT, c->encoding, c->data.data, c->data.len);
}

void ikev1_emit_cr(struct ikev1_wr *w, const struct ikev1_msg *m, uint8_t type, unsigned idx)
{
	const struct ikev1_cert *c = &m->cr[idx];
	ikev1_w_cert(w, IKEV1_PL_CR, c->encoding, c->data.data, c->data.len);
}

void ikev1_emit_hash(struct ikev1_wr *w, const struct ikev1_msg *m, uint8_t type, unsigned idx)
{
	w_data(w, IKEV1_PL_HASH, m->hash.data, m->hash.len);
}

void ikev1_emit_sig(struct ikev1_wr *w, const struct ikev1_msg *m, uint8_t type, unsigned idx)
{
	w_data(w, IKEV1_PL_SIG, m->sig.data, m->sig.len);
}

void ikev1_emit_nonce(struct ikev1_wr *w, const struct ikev1_msg *m, uint8_t type, unsigned idx)
{
	ikev1_w_nonce(w, m->nonce.data, m->nonce.len);
}

void ikev1_emit_n(struct ikev1_wr *w, const struct ikev1_msg *m, uint8_t type, unsigned idx)
{
	const struct ikev1_notify *n = &m->notify[idx];
	ikev1_w_notify(w, n->doi, n->protocol, n->spi.data, n->spi.len, n->type, n->data.data,
		       n->data.len);
}

void ikev1_emit_d(struct ikev1_wr *w, const struct ikev1_msg *m, uint8_t type, unsigned idx)
{
	const struct ikev1_delete *d = &m->del[idx];
	ikev1_w_delete(w, d->doi, d->protocol, d->spi_size, d->spis.data, d->n_spi);
}

void ikev1_emit_vid(struct ikev1_wr *w, const struct ikev1_msg *m, uint8_t type, unsigned idx)
{
	ikev1_w_vendor(w, m->vendor[idx].data, m->vendor[idx].len);
}

void ikev1_emit_attr(struct ikev1_wr *w, const struct ikev1_msg *m, uint8_t type, unsigned idx)
{
	ikev1_w_cfg(w, &m->cfg);
}

void ikev1_emit_natd(struct ikev1_wr *w, const struct ikev1_msg *m, uint8_t type, unsigned idx)
{
	ikev1_w_natd(w, type == IKEV1_PL_NATD_DRAFT, m->natd[idx].data, m->natd[idx].len);
}

void ikev1_emit_natoa(struct ikev1_wr *w, const struct ikev1_msg *m, uint8_t type, unsigned idx)
{
	ikev1_w_natoa(w, type == IKEV1_PL_NATOA_DRAFT, m->natoa[idx].data, m->natoa[idx].len);
}

void ikev1_emit_frag(struct ikev1_wr *w, const struct ikev1_msg *m, uint8_t type, unsigned idx)
{
	const struct ikev1_frag *f = &m->frag;
	ikev1_w_frag(w, f->id, f->num, f->last, f->data.data, f->data.len);
}

/* Payloads in their order; instances are numbered per slot (NAT-D 20 and
 * 130 share one array).  Skipped private-use payloads are not kept, so
 * they are left out. */
void ikev1_w_chain(struct ikev1_wr *w, const struct ikev1_msg *m)
{
	unsigned seen[IKEV1_SLOT_COUNT] = { 0 };
	for (unsigned i = 0; i < m->n_order && i < IKEV1_MAX_PAYLOADS; i++) {
		uint8_t type = m->order[i];
		const struct ikev1_pl_desc *d = ikev1_pl_find(type);
		if (!d)
			continue;
		unsigned idx = seen[d->slot]++;
		if (idx < d->max)
			d->emit(w, m, type, idx);
	}
}
