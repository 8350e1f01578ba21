/* Cisco/Microsoft IKEv1 fragmentation (payload 132, announced by the
 * FRAGMENTATION vendor ID): a message too big for the path (Main Mode with
 * certificates, Aggressive Mode with long IDs) arrives as pieces, each
 * behind a copy of the ISAKMP header with next payload = FRAGMENT:
 *
 *   HDR(next 132), FRAG(id, number 1..n, flags LAST on n, data)
 *
 * The data of fragments 1..n, in number order, is the whole original
 * message (header included).  Reassembly is keyed by the initiator cookie,
 * the peer address and the fragment ID; memory is bounded (V1_FRAG_SLOTS
 * messages of at most V1_FRAG_MAX pieces and V1_FRAG_BYTES each) and a
 * message whose pieces do not all arrive within V1_FRAG_TIMEOUT_MS is
 * dropped.  We never need to fragment our own messages: with pre-shared
 * keys they are a few hundred bytes. */
#include <stdlib.h>
#include <string.h>

#include "base/loop.h"
#include "ike/v1/v1.h"

#define V1_FRAG_BYTES 65536u
#define V1_FRAG_TIMEOUT_MS 10000u

static void slot_clear(struct v1_frag_slot *s)
{
	for (size_t i = 0; i <= V1_FRAG_MAX; i++)
		free(s->piece[i]);
	memset(s, 0, sizeof(*s));
}

/* The slot of this message: found, or a free or expired one (the oldest
 * when all are busy: a flood of half messages cannot pin memory). */
static struct v1_frag_slot *slot_for(struct ikev1 *e, const struct ikev1_hdr *h,
				     const struct ike_pkt *p, uint16_t id, uint64_t now)
{
	struct v1_frag_slot *free_s = NULL, *oldest = &e->frag[0];
	for (size_t i = 0; i < V1_FRAG_SLOTS; i++) {
		struct v1_frag_slot *s = &e->frag[i];
		if (s->used && now - s->started_ms > V1_FRAG_TIMEOUT_MS)
			slot_clear(s);
		if (s->used && s->spi_i == h->spi_i && s->peer == p->from.sin_addr.s_addr &&
		    s->port == p->from.sin_port && s->id == id)
			return s;
		if (!s->used && !free_s)
			free_s = s;
		if (s->used && s->started_ms < oldest->started_ms)
			oldest = s;
	}
	struct v1_frag_slot *s = free_s ? free_s : oldest;
	slot_clear(s);
	*s = (struct v1_frag_slot){ .used = true, .spi_i = h->spi_i, .peer = p->from.sin_addr.s_addr,
				 .port = p->from.sin_port, .id = id, .started_ms = now };
	return s;
}

static bool complete(const struct v1_frag_slot *s)
{
	if (!s->total)
		return false;
	for (uint8_t i = 1; i <= s->total; i++)
		if (!s->piece[i])
			return false;
	return true;
}

/* One fragment; returns 1 with the whole message in *out (caller frees),
 * 0 while pieces are missing, -1 to drop (logged by the caller). */
int v1_frag_add(struct ikev1 *e, const struct ike_pkt *p, const struct ikev1_hdr *h,
		uint8_t **out, size_t *out_len, const char **why)
{
	struct ikev1_msg *m = calloc(1, sizeof(*m));
	struct ikev1_parse_err err;
	int rc = -1;
	*why = "malformed fragment";
	if (!m)
		return -1;
	/* The outer header may carry the E flag of the message it cuts up; the
	 * fragment payload itself is never encrypted. */
	m->hdr = *h;
	if (ikev1_parse_chain(IKEV1_PL_FRAG, p->data + IKEV1_HDR_LEN, h->length - IKEV1_HDR_LEN, m,
			      &err) < 0 || !IKEV1_PRESENT(m, IKEV1_PL_FRAG))
		goto out;
	const struct ikev1_frag *f = &m->frag;
	if (f->num == 0 || f->num > V1_FRAG_MAX || f->data.len == 0) {
		*why = "fragment number out of range";
		goto out;
	}
	struct v1_frag_slot *s = slot_for(e, h, p, f->id, loop_now_ms());
	if (s->piece[f->num]) {
		rc = 0;                  /* a repeated piece */
		goto out;
	}
	if (s->bytes + f->data.len > V1_FRAG_BYTES || (f->last && s->total) ||
	    (s->total && f->num > s->total)) {
		*why = "fragments exceed the reassembly limits";
		slot_clear(s);
		goto out;
	}
	s->piece[f->num] = malloc(f->data.len);
	if (!s->piece[f->num])
		goto out;
	memcpy(s->piece[f->num], f->data.data, f->data.len);
	s->len[f->num] = (uint16_t)f->data.len;
	s->bytes += f->data.len;
	if (f->last)
		s->total = f->num;
	rc = 0;
	if (!complete(s))
		goto out;
	uint8_t *whole = malloc(s->bytes);
	if (!whole) {
		rc = -1;
		goto out;
	}
	size_t off = 0;
	for (uint8_t i = 1; i <= s->total; i++) {
		memcpy(whole + off, s->piece[i], s->len[i]);
		off += s->len[i];
	}
	*out = whole;
	*out_len = off;
	slot_clear(s);
	rc = 1;
out:
	free(m);
	return rc;
}

void v1_frag_clear_all(struct ikev1 *e)
{
	for (size_t i = 0; i < V1_FRAG_SLOTS; i++)
		slot_clear(&e->frag[i]);
}
