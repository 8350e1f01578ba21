/* IKEv2 message parser: header, payload chain walker, payload bodies.
 *
 * All bytes go through the rd reader; parsed fields borrow from the input.
 * The chain walker enforces the generic rules (RFC 7296 §3.2, §2.5):
 * lengths add up exactly, unknown payloads are skipped unless critical,
 * single-instance payloads appear once, SK/SKF end the chain; the body
 * parsers named in the descriptor table (ikev2_desc.c) check the rest. */
#include <string.h>

#include "wire/ikev2_pl.h"

#define GENERIC_HDR_LEN 4
#define CRITICAL_BIT 0x80
#define LAST_PROPOSAL 0
#define MORE_PROPOSALS 2
#define LAST_TRANSFORM 0
#define MORE_TRANSFORMS 3
#define ATTR_TV_BIT 0x8000
#define ATTR_TYPE_MASK 0x7fff
#define ATTR_KEY_LENGTH 14
#define CP_ATTR_TYPE_MASK 0x7fff
#define NONCE_MIN 16
#define NONCE_MAX 256
#define EAP_HDR_LEN 4
#define EAP_CODE_REQUEST 1
#define EAP_CODE_RESPONSE 2
#define TS_IPV4_LEN 16
#define TS_IPV6_LEN 40
#define TS_HDR_LEN 8

static int fail(struct ikev2_parse_err *err, enum ikev2_parse_status st, const char *why)
{
	err->status = st;
	err->why = why;
	return -1;
}

/* ---- header ------------------------------------------------------------- */

int ikev2_parse_header(const uint8_t *p, size_t len, struct ikev2_hdr *h,
		       struct ikev2_parse_err *err)
{
	struct ikev2_parse_err dummy;
	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	struct rd r = rd_init(p, len);
	h->spi_i = rd_u64(&r);
	h->spi_r = rd_u64(&r);
	h->next_payload = rd_u8(&r);
	h->version = rd_u8(&r);
	h->exchange = rd_u8(&r);
	h->flags = rd_u8(&r);
	h->msg_id = rd_u32(&r);
	h->length = rd_u32(&r);
	if (r.bad)
		return fail(err, IKEV2_PARSE_TRUNCATED, "shorter than the IKE header");
	/* §2.5: a major version other than 2 gets INVALID_MAJOR_VERSION;
	 * the minor version is ignored. */
	if ((h->version >> 4) != (IKEV2_VERSION >> 4))
		return fail(err, IKEV2_PARSE_BAD_VERSION, "major version is not 2");
	if (h->length < IKEV2_HDR_LEN)
		return fail(err, IKEV2_PARSE_TRUNCATED, "header length below 28");
	return 0;
}

/* ---- chain walker --------------------------------------------------------- */

static bool pl_is_encrypted(uint8_t type)
{
	return type == IKEV2_PL_SK || type == IKEV2_PL_SKF;
}

/* How many instances of a multi-instance payload m already holds. */
static unsigned pl_count(const struct ikev2_msg *m, uint8_t type)
{
	switch (type) {
	case IKEV2_PL_CERT: return m->n_cert;
	case IKEV2_PL_CERTREQ: return m->n_certreq;
	case IKEV2_PL_NOTIFY: return m->n_notify;
	case IKEV2_PL_DELETE: return m->n_delete;
	case IKEV2_PL_VENDOR: return m->n_vendor;
	default: return (m->present & IKEV2_BIT(type)) ? 1 : 0;
	}
}

/* Checks of a known payload before its body is parsed. */
static int pl_admit(const struct ikev2_pl_desc *d, uint16_t plen, size_t rest, bool inner,
		    const struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	if (!d->multi && (m->present & IKEV2_BIT(d->type)))
		return fail(err, IKEV2_PARSE_DUPLICATE, "single-instance payload repeated");
	if (d->multi && pl_count(m, d->type) >= d->max)
		return fail(err, IKEV2_PARSE_TOO_MANY, "more payloads of this type than kept");
	if (plen < d->min_len)
		return fail(err, IKEV2_PARSE_MALFORMED, "payload shorter than its fixed part");
	if (pl_is_encrypted(d->type) && inner)
		return fail(err, IKEV2_PARSE_MALFORMED, "encrypted payload inside SK");
	if (pl_is_encrypted(d->type) && rest != 0)
		return fail(err, IKEV2_PARSE_MALFORMED, "SK/SKF payload is not the last one");
	return 0;
}

static void pl_record(struct ikev2_msg *m, uint8_t type, uint8_t flags, uint16_t plen)
{
	m->order[m->n_order] = type;
	m->order_len[m->n_order] = plen;
	m->order_flags[m->n_order] = flags;
	m->n_order++;
}

/* SK and SKF carry the first inner payload type in their Next Payload
 * field and need their offset (the AAD ends with their generic header). */
static void pl_note_encrypted(struct ikev2_msg *m, uint8_t type, uint8_t next, size_t off)
{
	if (type == IKEV2_PL_SK) {
		m->sk.inner_first = next;
		m->sk.hdr_off = off;
	} else if (type == IKEV2_PL_SKF) {
		m->skf.inner_first = next;
		m->skf.hdr_off = off;
	}
}

/* One payload: generic header, then the descriptor's body parser.
 * *next receives the following payload type (NONE after SK/SKF). */
static int walk_one(struct rd *r, uint8_t type, size_t off, bool inner, struct ikev2_msg *m,
		    uint8_t *next, struct ikev2_parse_err *err)
{
	*next = rd_u8(r);
	uint8_t flags = rd_u8(r);
	uint16_t plen = rd_u16(r);
	if (r->bad)
		return fail(err, IKEV2_PARSE_TRUNCATED, "truncated generic payload header");
	if (plen < GENERIC_HDR_LEN)
		return fail(err, IKEV2_PARSE_TRUNCATED, "payload length below 4");
	struct rd body = rd_sub(r, plen - GENERIC_HDR_LEN);
	if (body.bad)
		return fail(err, IKEV2_PARSE_TRUNCATED, "payload length overruns the message");
	const struct ikev2_pl_desc *d = ikev2_pl_find(type);
	if (!d) {
		/* §3.2: skip unknown payloads unless the critical bit is set */
		if (flags & CRITICAL_BIT)
			return fail(err, IKEV2_PARSE_UNSUPPORTED_CRITICAL,
				    "unknown payload with critical bit");
		pl_record(m, type, flags, plen);
		return 0;
	}
	if (pl_admit(d, plen, r->left, inner, m, err) < 0)
		return -1;
	if (d->parse(&body, m, err) < 0)
		return -1;
	pl_record(m, type, flags, plen);
	m->present |= IKEV2_BIT(type);
	if (pl_is_encrypted(type)) {
		pl_note_encrypted(m, type, *next, off);
		*next = IKEV2_PL_NONE;
	}
	return 0;
}

/* Walk a chain of payloads starting with `first`; base_off is the offset
 * of p in the message (for SK's hdr_off). */
static int walk_chain(uint8_t first, const uint8_t *p, size_t len, size_t base_off, bool inner,
		      struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	struct rd r = rd_init(p, len);
	uint8_t type = first;
	while (type != IKEV2_PL_NONE) {
		err->payload = type;
		if (m->n_order >= IKEV2_MAX_PAYLOADS)
			return fail(err, IKEV2_PARSE_TOO_MANY, "too many payloads");
		uint8_t next;
		if (walk_one(&r, type, base_off + (len - r.left), inner, m, &next, err) < 0)
			return -1;
		type = next;
	}
	err->payload = IKEV2_PL_NONE;
	if (r.left != 0)
		return fail(err, IKEV2_PARSE_TRUNCATED, "bytes after the last payload");
	return 0;
}

int ikev2_parse_message(const uint8_t *p, size_t len, struct ikev2_msg *m,
			struct ikev2_parse_err *err)
{
	struct ikev2_parse_err dummy;
	if (!err)
		err = &dummy;
	memset(m, 0, sizeof(*m));
	if (ikev2_parse_header(p, len, &m->hdr, err) < 0)
		return -1;
	/* §3.1: Length is the total message; a datagram that disagrees
	 * (short, or with trailing bytes) is dropped. */
	if (m->hdr.length != len)
		return fail(err, IKEV2_PARSE_TRUNCATED, "header length does not match the datagram");
	return walk_chain(m->hdr.next_payload, p + IKEV2_HDR_LEN, len - IKEV2_HDR_LEN,
			  IKEV2_HDR_LEN, false, m, err);
}

int ikev2_parse_chain(uint8_t first, const uint8_t *p, size_t len, struct ikev2_msg *m,
		      struct ikev2_parse_err *err)
{
	struct ikev2_parse_err dummy;
	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	struct ikev2_hdr h = m->hdr;
	memset(m, 0, sizeof(*m));
	m->hdr = h;
	return walk_chain(first, p, len, 0, true, m, err);
}

const struct ikev2_notify *ikev2_msg_notify(const struct ikev2_msg *m, uint16_t type)
{
	for (unsigned i = 0; i < m->n_notify; i++)
		if (m->notify[i].type == type)
			return &m->notify[i];
	return NULL;
}

/* ---- SA ------------------------------------------------------------------ */

static int parse_attributes(struct rd *r, struct ikev2_transform *t, struct ikev2_parse_err *err)
{
	while (r->left > 0) {
		uint16_t at = rd_u16(r);
		uint16_t v = rd_u16(r);
		bool tv = at & ATTR_TV_BIT;
		uint16_t type = at & ATTR_TYPE_MASK;
		if (!tv)
			rd_skip(r, v);
		if (r->bad)
			return fail(err, IKEV2_PARSE_MALFORMED, "transform attribute overruns the transform");
		if (type == ATTR_KEY_LENGTH && !tv)
			return fail(err, IKEV2_PARSE_MALFORMED, "Key Length attribute not in TV form");
		if (type == ATTR_KEY_LENGTH)
			t->key_bits = v;
		else
			t->unknown_attr = true;
	}
	return 0;
}

/* One Transform substructure; *last receives its Last Substruc field. */
static int parse_transform(struct rd *r, struct ikev2_transform *t, uint8_t *last,
			   struct ikev2_parse_err *err)
{
	*last = rd_u8(r);
	rd_skip(r, 1);
	uint16_t tlen = rd_u16(r);
	if (r->bad || tlen < 8)
		return fail(err, IKEV2_PARSE_MALFORMED, "bad transform length");
	struct rd tr = rd_sub(r, tlen - 4);
	if (tr.bad)
		return fail(err, IKEV2_PARSE_MALFORMED, "transform overruns the proposal");
	memset(t, 0, sizeof(*t));
	t->type = rd_u8(&tr);
	rd_skip(&tr, 1);
	t->id = rd_u16(&tr);
	return parse_attributes(&tr, t, err);
}

static int parse_transforms(struct rd *r, struct ikev2_proposal *p, uint8_t n,
			    struct ikev2_parse_err *err)
{
	if (n > IKEV2_MAX_TRANSFORMS)
		return fail(err, IKEV2_PARSE_TOO_MANY, "too many transforms in a proposal");
	for (unsigned i = 0; i < n; i++) {
		uint8_t last;
		if (r->left == 0)
			return fail(err, IKEV2_PARSE_MALFORMED, "fewer transforms than announced");
		if (parse_transform(r, &p->t[i], &last, err) < 0)
			return -1;
		if (last != (i + 1 == n ? LAST_TRANSFORM : MORE_TRANSFORMS))
			return fail(err, IKEV2_PARSE_MALFORMED, "bad last-transform marker");
	}
	if (r->left != 0)
		return fail(err, IKEV2_PARSE_MALFORMED, "more transforms than announced");
	p->n_transforms = n;
	return 0;
}

/* Proposal body after its Last/Reserved/Length fields. */
static int parse_proposal(struct rd *r, struct ikev2_proposal *p, struct ikev2_parse_err *err)
{
	memset(p, 0, sizeof(*p));
	p->num = rd_u8(r);
	p->protocol = rd_u8(r);
	p->spi_size = rd_u8(r);
	uint8_t n = rd_u8(r);
	if (r->bad)
		return fail(err, IKEV2_PARSE_MALFORMED, "proposal shorter than 8 bytes");
	if (p->spi_size != 0 && p->spi_size != 4 && p->spi_size != 8)
		return fail(err, IKEV2_PARSE_MALFORMED, "proposal SPI size not 0, 4 or 8");
	rd_copy(r, p->spi, p->spi_size);
	if (r->bad)
		return fail(err, IKEV2_PARSE_MALFORMED, "proposal SPI overruns the proposal");
	return parse_transforms(r, p, n, err);
}

int ikev2_parse_sa_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	struct ikev2_sa *sa = &m->sa;
	uint8_t last = MORE_PROPOSALS;
	while (last == MORE_PROPOSALS) {
		if (r->left == 0)
			return fail(err, IKEV2_PARSE_MALFORMED, "proposal announced but missing");
		if (sa->n >= IKEV2_MAX_PROPOSALS)
			return fail(err, IKEV2_PARSE_TOO_MANY, "too many proposals");
		last = rd_u8(r);
		rd_skip(r, 1);
		uint16_t plen = rd_u16(r);
		if (r->bad || plen < 8)
			return fail(err, IKEV2_PARSE_MALFORMED, "bad proposal length");
		if (last != LAST_PROPOSAL && last != MORE_PROPOSALS)
			return fail(err, IKEV2_PARSE_MALFORMED, "bad last-proposal marker");
		struct rd pr = rd_sub(r, plen - 4);
		if (pr.bad)
			return fail(err, IKEV2_PARSE_MALFORMED, "proposal overruns the SA payload");
		if (parse_proposal(&pr, &sa->p[sa->n], err) < 0)
			return -1;
		sa->n++;
	}
	if (r->left != 0)
		return fail(err, IKEV2_PARSE_MALFORMED, "bytes after the last proposal");
	return 0;
}

/* ---- simple payloads ------------------------------------------------------ */

static struct ikev2_blob rd_rest(struct rd *r)
{
	struct ikev2_blob b = { .len = r->left };
	b.data = rd_ptr(r, r->left);
	return b;
}

int ikev2_parse_ke_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	m->ke.group = rd_u16(r);
	rd_skip(r, 2);
	m->ke.data = rd_rest(r);
	return r->bad ? fail(err, IKEV2_PARSE_MALFORMED, "KE shorter than 4 bytes") : 0;
}

static int parse_id(struct rd *r, struct ikev2_id *id, struct ikev2_parse_err *err)
{
	struct rd whole = *r;
	id->body = rd_rest(&whole);
	id->type = rd_u8(r);
	rd_skip(r, 3);
	id->data = rd_rest(r);
	return r->bad ? fail(err, IKEV2_PARSE_MALFORMED, "ID shorter than 4 bytes") : 0;
}

int ikev2_parse_idi_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	return parse_id(r, &m->idi, err);
}

int ikev2_parse_idr_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	return parse_id(r, &m->idr, err);
}

static int parse_cert(struct rd *r, struct ikev2_cert *c, struct ikev2_parse_err *err)
{
	c->encoding = rd_u8(r);
	c->data = rd_rest(r);
	return r->bad ? fail(err, IKEV2_PARSE_MALFORMED, "CERT without encoding") : 0;
}

int ikev2_parse_cert_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	if (parse_cert(r, &m->cert[m->n_cert], err) < 0)
		return -1;
	m->n_cert++;
	return 0;
}

int ikev2_parse_certreq_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	if (parse_cert(r, &m->certreq[m->n_certreq], err) < 0)
		return -1;
	m->n_certreq++;
	return 0;
}

int ikev2_parse_auth_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	m->auth.method = rd_u8(r);
	rd_skip(r, 3);
	m->auth.data = rd_rest(r);
	return r->bad ? fail(err, IKEV2_PARSE_MALFORMED, "AUTH shorter than 4 bytes") : 0;
}

int ikev2_parse_nonce_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	/* §3.9: at least 16 and at most 256 octets */
	if (r->left < NONCE_MIN || r->left > NONCE_MAX)
		return fail(err, IKEV2_PARSE_MALFORMED, "nonce not 16..256 bytes");
	m->nonce = rd_rest(r);
	return 0;
}

int ikev2_parse_notify_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	struct ikev2_notify *n = &m->notify[m->n_notify];
	n->protocol = rd_u8(r);
	n->spi_size = rd_u8(r);
	n->type = rd_u16(r);
	n->spi.len = n->spi_size;
	n->spi.data = rd_ptr(r, n->spi_size);
	n->data = rd_rest(r);
	if (r->bad)
		return fail(err, IKEV2_PARSE_MALFORMED, "notify SPI overruns the payload");
	m->n_notify++;
	return 0;
}

int ikev2_parse_delete_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	struct ikev2_delete *d = &m->del[m->n_delete];
	d->protocol = rd_u8(r);
	d->spi_size = rd_u8(r);
	d->n_spi = rd_u16(r);
	d->spis = rd_rest(r);
	if (r->bad || d->spis.len != (size_t)d->n_spi * d->spi_size)
		return fail(err, IKEV2_PARSE_MALFORMED, "delete SPI count disagrees with length");
	m->n_delete++;
	return 0;
}

int ikev2_parse_vendor_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	m->vendor[m->n_vendor++] = rd_rest(r);
	return 0;
}

/* ---- traffic selectors -------------------------------------------------- */

static size_t ts_len_for(uint8_t type)
{
	switch (type) {
	case IKEV2_TS_IPV4_ADDR_RANGE: return TS_IPV4_LEN;
	case IKEV2_TS_IPV6_ADDR_RANGE: return TS_IPV6_LEN;
	default: return 0;
	}
}

/* One selector; types other than IPv4/IPv6 ranges are skipped by their
 * length (they cannot be narrowed to, so they are simply not offered). */
static int parse_selector(struct rd *r, struct ikev2_ts_list *l, struct ikev2_parse_err *err)
{
	uint8_t type = rd_u8(r);
	uint8_t proto = rd_u8(r);
	uint16_t slen = rd_u16(r);
	if (r->bad || slen < TS_HDR_LEN)
		return fail(err, IKEV2_PARSE_MALFORMED, "bad traffic selector length");
	size_t want = ts_len_for(type);
	if (want && slen != want)
		return fail(err, IKEV2_PARSE_MALFORMED, "bad traffic selector length");
	struct rd s = rd_sub(r, slen - 4u);
	if (s.bad)
		return fail(err, IKEV2_PARSE_MALFORMED, "traffic selector overruns the payload");
	if (!want)
		return 0;
	if (l->n >= IKEV2_MAX_TS)
		return fail(err, IKEV2_PARSE_TOO_MANY, "too many traffic selectors");
	struct ikev2_ts *ts = &l->ts[l->n++];
	memset(ts, 0, sizeof(*ts));
	ts->type = type;
	ts->ip_proto = proto;
	ts->start_port = rd_u16(&s);
	ts->end_port = rd_u16(&s);
	size_t alen = (want - TS_HDR_LEN) / 2;
	rd_copy(&s, ts->start, alen);
	rd_copy(&s, ts->end, alen);
	return 0;
}

static int parse_ts(struct rd *r, struct ikev2_ts_list *l, struct ikev2_parse_err *err)
{
	uint8_t n = rd_u8(r);
	rd_skip(r, 3);
	if (r->bad)
		return fail(err, IKEV2_PARSE_MALFORMED, "TS shorter than 4 bytes");
	for (unsigned i = 0; i < n; i++)
		if (parse_selector(r, l, err) < 0)
			return -1;
	if (r->left != 0)
		return fail(err, IKEV2_PARSE_MALFORMED, "bytes after the last traffic selector");
	return 0;
}

int ikev2_parse_tsi_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	return parse_ts(r, &m->tsi, err);
}

int ikev2_parse_tsr_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	return parse_ts(r, &m->tsr, err);
}

/* ---- SK, CP, EAP, SKF ----------------------------------------------------- */

int ikev2_parse_sk_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	m->sk.body = rd_rest(r);
	return 0;
}

int ikev2_parse_cp_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	struct ikev2_cp *cp = &m->cp;
	cp->type = rd_u8(r);
	rd_skip(r, 3);
	while (r->left > 0) {
		uint16_t type = rd_u16(r) & CP_ATTR_TYPE_MASK;
		uint16_t len = rd_u16(r);
		const uint8_t *v = rd_ptr(r, len);
		if (r->bad)
			return fail(err, IKEV2_PARSE_MALFORMED, "CP attribute overruns the payload");
		if (cp->n >= IKEV2_MAX_CP_ATTRS)
			return fail(err, IKEV2_PARSE_TOO_MANY, "too many CP attributes");
		cp->a[cp->n].type = type;
		cp->a[cp->n].value.data = v;
		cp->a[cp->n].value.len = len;
		cp->n++;
	}
	return r->bad ? fail(err, IKEV2_PARSE_MALFORMED, "CP shorter than 4 bytes") : 0;
}

int ikev2_parse_eap_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	struct rd h = *r;
	uint8_t code = rd_u8(&h);
	rd_skip(&h, 1);
	uint16_t elen = rd_u16(&h);
	if (h.bad || elen != r->left)
		return fail(err, IKEV2_PARSE_MALFORMED, "EAP length disagrees with the payload");
	/* RFC 3748 §4.1: Request and Response carry a Type octet */
	if ((code == EAP_CODE_REQUEST || code == EAP_CODE_RESPONSE) && elen <= EAP_HDR_LEN)
		return fail(err, IKEV2_PARSE_MALFORMED, "EAP Request/Response without a type");
	m->eap = rd_rest(r);
	return 0;
}

int ikev2_parse_skf_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err)
{
	m->skf.frag_num = rd_u16(r);
	m->skf.total = rd_u16(r);
	m->skf.body = rd_rest(r);
	if (r->bad)
		return fail(err, IKEV2_PARSE_MALFORMED, "SKF shorter than 4 bytes");
	/* RFC 7383 §2.5: numbers start at 1 and never exceed the total */
	if (m->skf.frag_num == 0 || m->skf.total == 0 || m->skf.frag_num > m->skf.total)
		return fail(err, IKEV2_PARSE_MALFORMED, "bad fragment number");
	return 0;
}
