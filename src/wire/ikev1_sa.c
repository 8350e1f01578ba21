/* IKEv1 SA payload: proposals, transforms and their attributes, parsed and
 * written (layout in ikev1_desc.c).
 *
 * Attributes are decoded by the protocol of their proposal: ISAKMP carries
 * Oakley attributes (RFC 2409 App. A), ESP/AH/IPCOMP the IPsec DOI ones
 * (RFC 2407 §4.5).  A transform carrying an attribute we do not know, or a
 * variable (TLV) attribute where the RFC requires the basic (TV) form, is
 * marked unknown_attr: it must not be chosen, but the rest of the SA still
 * parses, since clients offer many transforms and we only need one.
 *
 * Life duration follows its life type (RFC 2409 App. A, RFC 2407 §4.5);
 * it may be TV or a TLV of 1..8 bytes (vpnc sends a 4-byte TLV, 2147483),
 * and saturates to UINT32_MAX when it does not fit 32 bits. */
#include <string.h>

#include "wire/ikev1_pl.h"

#define LAST_PROPOSAL 0
#define MORE_PROPOSALS IKEV1_PL_P
#define LAST_TRANSFORM 0
#define MORE_TRANSFORMS IKEV1_PL_T
#define SUBSTRUCT_HDR_LEN 4
#define PROPOSAL_FIXED 4           /* #, protocol, SPI size, # transforms */
#define TRANSFORM_FIXED 4          /* #, id, RESERVED2 */
#define MAX_SPI 16
#define LIFE_TLV_MAX 8
#define LIFE_TLV_WRITTEN 4

/* ---- attribute decoding ---------------------------------------------------- */

/* One attribute as read: basic form carries `tv`, variable form `value`. */
struct raw_attr {
	uint16_t type;
	bool tv;
	uint16_t tv_value;
	const uint8_t *value;
	uint16_t len;
};

/* Which life type the next duration belongs to (0 = none pending). */
struct life_state {
	uint16_t pending;
};

static void mark_unknown(struct ikev1_transform *t, uint16_t type)
{
	if (!t->unknown_attr)
		t->unknown_type = type;
	t->unknown_attr = true;
}

/* A TV-only attribute: its value, or unknown when sent as TLV. */
static bool want_tv(struct ikev1_transform *t, const struct raw_attr *a, uint16_t *field)
{
	if (!a->tv) {
		mark_unknown(t, a->type);
		return false;
	}
	*field = a->tv_value;
	return true;
}

/* Duration as TV, or TLV of 1..8 bytes, saturated to 32 bits. */
static bool duration_value(const struct raw_attr *a, uint32_t *out)
{
	if (a->tv) {
		*out = a->tv_value;
		return true;
	}
	if (a->len == 0 || a->len > LIFE_TLV_MAX)
		return false;
	uint64_t v = 0;
	for (unsigned i = 0; i < a->len; i++)
		v = v << 8 | a->value[i];
	*out = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
	return true;
}

static void life_type(struct ikev1_transform *t, const struct raw_attr *a, struct life_state *ls)
{
	uint16_t v = 0;
	if (!want_tv(t, a, &v))
		return;
	if (v != IKEV1_LIFE_SECONDS && v != IKEV1_LIFE_KILOBYTES) {
		mark_unknown(t, a->type);
		return;
	}
	ls->pending = v;
}

/* A duration must follow its type; one without is not understood. */
static void life_duration(struct ikev1_transform *t, const struct raw_attr *a,
			  struct life_state *ls)
{
	uint32_t v;
	if (ls->pending == 0 || !duration_value(a, &v)) {
		mark_unknown(t, a->type);
		return;
	}
	if (ls->pending == IKEV1_LIFE_SECONDS)
		t->life_sec = v;
	else
		t->life_kb = v;
	ls->pending = 0;
}

static void decode_p1_attr(struct ikev1_transform *t, const struct raw_attr *a,
			   struct life_state *ls)
{
	switch (a->type) {
	case IKEV1_A_ENCR: want_tv(t, a, &t->encr); break;
	case IKEV1_A_HASH: want_tv(t, a, &t->hash); break;
	case IKEV1_A_AUTH: want_tv(t, a, &t->auth); break;
	case IKEV1_A_GROUP: want_tv(t, a, &t->group); break;
	case IKEV1_A_KEY_LENGTH: want_tv(t, a, &t->key_bits); break;
	case IKEV1_A_LIFE_TYPE: life_type(t, a, ls); break;
	case IKEV1_A_LIFE_DURATION: life_duration(t, a, ls); break;
	default: mark_unknown(t, a->type); break;
	}
}

static void decode_p2_attr(struct ikev1_transform *t, const struct raw_attr *a,
			   struct life_state *ls)
{
	switch (a->type) {
	case IKEV1_A2_LIFE_TYPE: life_type(t, a, ls); break;
	case IKEV1_A2_LIFE_DURATION: life_duration(t, a, ls); break;
	case IKEV1_A2_GROUP: want_tv(t, a, &t->pfs_group); break;
	case IKEV1_A2_ENCAP: want_tv(t, a, &t->encap); break;
	case IKEV1_A2_AUTH: want_tv(t, a, &t->auth_alg); break;
	case IKEV1_A2_KEY_LENGTH: want_tv(t, a, &t->key_bits); break;
	default: mark_unknown(t, a->type); break;
	}
}

static int parse_attributes(struct rd *r, uint8_t protocol, struct ikev1_transform *t,
			    struct ikev1_parse_err *err)
{
	struct life_state ls = { 0 };
	t->attrs.data = r->p;
	t->attrs.len = r->left;
	while (r->left > 0) {
		struct raw_attr a = { 0 };
		uint16_t at = rd_u16(r);
		uint16_t v = rd_u16(r);
		a.type = at & IKEV1_ATTR_TYPE_MASK;
		a.tv = (at & IKEV1_ATTR_TV_BIT) != 0;
		if (a.tv) {
			a.tv_value = v;
		} else {
			a.len = v;
			a.value = rd_ptr(r, v);
		}
		if (r->bad)
			return ikev1_fail(err, IKEV1_PARSE_MALFORMED,
					  "transform attribute overruns the transform");
		if (protocol == IKEV1_PROTO_ISAKMP)
			decode_p1_attr(t, &a, &ls);
		else
			decode_p2_attr(t, &a, &ls);
	}
	return 0;
}

/* ---- proposals and transforms ---------------------------------------------- */

/* One Transform substructure; *next receives its Next Payload field. */
static int parse_transform(struct rd *r, uint8_t protocol, struct ikev1_transform *t,
			   uint8_t *next, struct ikev1_parse_err *err)
{
	*next = rd_u8(r);
	rd_skip(r, 1);
	uint16_t tlen = rd_u16(r);
	if (r->bad || tlen < SUBSTRUCT_HDR_LEN + TRANSFORM_FIXED)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "bad transform length");
	struct rd tr = rd_sub(r, tlen - SUBSTRUCT_HDR_LEN);
	if (tr.bad)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "transform overruns the proposal");
	memset(t, 0, sizeof(*t));
	t->num = rd_u8(&tr);
	t->id = rd_u8(&tr);
	rd_skip(&tr, 2);
	return parse_attributes(&tr, protocol, t, err);
}

static int parse_transforms(struct rd *r, struct ikev1_sa *sa, struct ikev1_proposal *p,
			    uint8_t n, struct ikev1_parse_err *err)
{
	if (n == 0)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "proposal without transforms");
	if ((unsigned)sa->n_t + n > IKEV1_MAX_TRANSFORMS)
		return ikev1_fail(err, IKEV1_PARSE_TOO_MANY, "too many transforms in the SA");
	p->first = sa->n_t;
	for (unsigned i = 0; i < n; i++) {
		uint8_t next;
		if (r->left == 0)
			return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "fewer transforms than announced");
		if (parse_transform(r, p->protocol, &sa->t[sa->n_t], &next, err) < 0)
			return -1;
		sa->n_t++;
		if (next != (i + 1 == n ? LAST_TRANSFORM : MORE_TRANSFORMS))
			return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "bad last-transform marker");
	}
	if (r->left != 0)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "more transforms than announced");
	p->n_transforms = n;
	return 0;
}

/* Proposal body after its Next/Reserved/Length fields. */
static int parse_proposal(struct rd *r, struct ikev1_sa *sa, struct ikev1_proposal *p,
			  struct ikev1_parse_err *err)
{
	memset(p, 0, sizeof(*p));
	p->num = rd_u8(r);
	p->protocol = rd_u8(r);
	p->spi_size = rd_u8(r);
	uint8_t n = rd_u8(r);
	if (r->bad)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "proposal shorter than 8 bytes");
	if (p->spi_size > MAX_SPI)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "proposal SPI longer than 16 bytes");
	rd_copy(r, p->spi, p->spi_size);
	if (r->bad)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "proposal SPI overruns the proposal");
	return parse_transforms(r, sa, p, n, err);
}

/* The proposal list.  Equal proposal numbers are kept as they come: RFC
 * 2408 §4.2 makes them one AND-ed offer, which is the engine's business. */
static int parse_proposals(struct rd *r, struct ikev1_sa *sa, struct ikev1_parse_err *err)
{
	uint8_t next = MORE_PROPOSALS;
	while (next == MORE_PROPOSALS) {
		if (r->left == 0)
			return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "proposal announced but missing");
		if (sa->n >= IKEV1_MAX_PROPOSALS)
			return ikev1_fail(err, IKEV1_PARSE_TOO_MANY, "too many proposals");
		next = rd_u8(r);
		rd_skip(r, 1);
		uint16_t plen = rd_u16(r);
		if (r->bad || plen < SUBSTRUCT_HDR_LEN + PROPOSAL_FIXED)
			return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "bad proposal length");
		if (next != LAST_PROPOSAL && next != MORE_PROPOSALS)
			return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "bad last-proposal marker");
		struct rd pr = rd_sub(r, plen - SUBSTRUCT_HDR_LEN);
		if (pr.bad)
			return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "proposal overruns the SA payload");
		if (parse_proposal(&pr, sa, &sa->p[sa->n], err) < 0)
			return -1;
		sa->n++;
	}
	if (r->left != 0)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "bytes after the last proposal");
	return 0;
}

/* Proposals are only laid out as above for the IPsec DOI with situation
 * SIT_IDENTITY_ONLY (RFC 2407 §4.6.1: secrecy/integrity situations add
 * labelled-domain fields).  Any other DOI or situation keeps n = 0 so the
 * engine can answer DOI-NOT-SUPPORTED / SITUATION-NOT-SUPPORTED. */
static bool sa_layout_known(const struct ikev1_sa *sa)
{
	return sa->doi == IKEV1_DOI_IPSEC && sa->situation == IKEV1_SIT_IDENTITY_ONLY;
}

int ikev1_parse_sa_body(struct rd *r, uint8_t type, unsigned idx, struct ikev1_msg *m,
			struct ikev1_parse_err *err)
{
	struct ikev1_sa *sa = &m->sa;
	struct rd whole = *r;
	sa->body = ikev1_rd_rest(&whole);
	sa->doi = rd_u32(r);
	sa->situation = rd_u32(r);
	if (r->bad)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "SA shorter than 8 bytes");
	if (!sa_layout_known(sa)) {
		rd_skip(r, r->left);
		return 0;
	}
	return parse_proposals(r, sa, err);
}

/* ---- writing ----------------------------------------------------------------- */

static void w_fail(struct ikev1_wr *w)
{
	w->b->oom = true;
}

static void w_patch_len16(struct ikev1_wr *w, size_t off, size_t start)
{
	size_t len = w->b->len - start;
	if (len > UINT16_MAX)
		w_fail(w);
	else
		buf_patch_u16(w->b, off, (uint16_t)len);
}

static void put_tv(struct buf *b, uint16_t type, uint16_t v)
{
	buf_put_u16(b, IKEV1_ATTR_TV_BIT | type);
	buf_put_u16(b, v);
}

static void put_tv_if(struct buf *b, uint16_t type, uint16_t v)
{
	if (v)
		put_tv(b, type, v);
}

/* Life type then duration: TV when the duration fits 16 bits, else a
 * 4-byte TLV (what vpnc and the ASA send). */
static void put_life(struct buf *b, uint16_t type_attr, uint16_t dur_attr, uint16_t life_type,
		     uint32_t v)
{
	if (v == 0)
		return;
	put_tv(b, type_attr, life_type);
	if (v <= UINT16_MAX) {
		put_tv(b, dur_attr, (uint16_t)v);
		return;
	}
	buf_put_u16(b, dur_attr);
	buf_put_u16(b, LIFE_TLV_WRITTEN);
	buf_put_u32(b, v);
}

/* Phase 1 order (vpnc, ASA): key length, encr, hash, group, auth, life. */
static void w_p1_attrs(struct buf *b, const struct ikev1_transform *t)
{
	put_tv_if(b, IKEV1_A_KEY_LENGTH, t->key_bits);
	put_tv_if(b, IKEV1_A_ENCR, t->encr);
	put_tv_if(b, IKEV1_A_HASH, t->hash);
	put_tv_if(b, IKEV1_A_GROUP, t->group);
	put_tv_if(b, IKEV1_A_AUTH, t->auth);
	put_life(b, IKEV1_A_LIFE_TYPE, IKEV1_A_LIFE_DURATION, IKEV1_LIFE_SECONDS, t->life_sec);
	put_life(b, IKEV1_A_LIFE_TYPE, IKEV1_A_LIFE_DURATION, IKEV1_LIFE_KILOBYTES, t->life_kb);
}

/* Phase 2 order (vpnc): key length, encap, auth, group, life. */
static void w_p2_attrs(struct buf *b, const struct ikev1_transform *t)
{
	put_tv_if(b, IKEV1_A2_KEY_LENGTH, t->key_bits);
	put_tv_if(b, IKEV1_A2_ENCAP, t->encap);
	put_tv_if(b, IKEV1_A2_AUTH, t->auth_alg);
	put_tv_if(b, IKEV1_A2_GROUP, t->pfs_group);
	put_life(b, IKEV1_A2_LIFE_TYPE, IKEV1_A2_LIFE_DURATION, IKEV1_LIFE_SECONDS, t->life_sec);
	put_life(b, IKEV1_A2_LIFE_TYPE, IKEV1_A2_LIFE_DURATION, IKEV1_LIFE_KILOBYTES, t->life_kb);
}

/* raw: copy the attribute bytes as received (re-emitting a parsed chain
 * byte for byte); otherwise write them from the decoded fields. */
static void w_transform(struct ikev1_wr *w, uint8_t protocol, const struct ikev1_transform *t,
			bool last, bool raw)
{
	struct buf *b = w->b;
	size_t off = b->len;
	buf_put_u8(b, last ? LAST_TRANSFORM : MORE_TRANSFORMS);
	buf_put_u8(b, 0);
	buf_put_u16(b, 0);
	buf_put_u8(b, t->num);
	buf_put_u8(b, t->id);
	buf_put_u16(b, 0);
	if (raw)
		buf_put(b, t->attrs.data, t->attrs.len);
	else if (protocol == IKEV1_PROTO_ISAKMP)
		w_p1_attrs(b, t);
	else
		w_p2_attrs(b, t);
	w_patch_len16(w, off + 2, off);
}

static void w_proposal(struct ikev1_wr *w, const struct ikev1_sa *sa, size_t i, bool raw)
{
	const struct ikev1_proposal *p = &sa->p[i];
	if (p->spi_size > MAX_SPI || (size_t)p->first + p->n_transforms > IKEV1_MAX_TRANSFORMS) {
		w_fail(w);
		return;
	}
	struct buf *b = w->b;
	size_t off = b->len;
	buf_put_u8(b, i + 1 == sa->n ? LAST_PROPOSAL : MORE_PROPOSALS);
	buf_put_u8(b, 0);
	buf_put_u16(b, 0);
	buf_put_u8(b, p->num);
	buf_put_u8(b, p->protocol);
	buf_put_u8(b, p->spi_size);
	buf_put_u8(b, p->n_transforms);
	buf_put(b, p->spi, p->spi_size);
	const struct ikev1_transform *t = &sa->t[p->first];
	for (unsigned j = 0; j < p->n_transforms; j++)
		w_transform(w, p->protocol, &t[j], j + 1 == p->n_transforms, raw);
	w_patch_len16(w, off + 2, off);
}

static void w_sa(struct ikev1_wr *w, const struct ikev1_sa *sa, bool raw)
{
	if (sa->n > IKEV1_MAX_PROPOSALS) {
		w_fail(w);
		return;
	}
	size_t off = ikev1_w_start(w, IKEV1_PL_SA);
	buf_put_u32(w->b, sa->doi);
	buf_put_u32(w->b, sa->situation);
	for (size_t i = 0; i < sa->n; i++)
		w_proposal(w, sa, i, raw);
	ikev1_w_end(w, off);
}

void ikev1_w_sa(struct ikev1_wr *w, const struct ikev1_sa *sa)
{
	w_sa(w, sa, false);
}

/* A parsed SA re-emitted: attributes as received; an SA whose proposals
 * were not parsed (other DOI/situation) is copied whole. */
void ikev1_emit_sa(struct ikev1_wr *w, const struct ikev1_msg *m, uint8_t type, unsigned idx)
{
	if (sa_layout_known(&m->sa)) {
		w_sa(w, &m->sa, true);
		return;
	}
	size_t off = ikev1_w_start(w, IKEV1_PL_SA);
	buf_put(w->b, m->sa.body.data, m->sa.body.len);
	ikev1_w_end(w, off);
}
