/* IKEv1 message parser: header, payload chain walker, simple payload bodies
 * (the SA payload is in ikev1_sa.c).
 *
 * All bytes go through the rd reader; parsed fields borrow from the input.
 * The chain walker enforces the generic rules of RFC 2408 §3.2 and §5.1:
 * every payload length fits what is left, unknown payload types are
 * INVALID-PAYLOAD-TYPE (private-use types 128..255 we do not know are
 * skipped), single-instance payloads appear once.  Bytes after the last
 * payload are allowed: CBC padding of a decrypted body, or datagram bytes
 * beyond the header's Length.  The body parsers named in the descriptor
 * table (ikev1_desc.c) check the rest. */
#include <string.h>

#include "wire/ikev1_pl.h"

#define MAJOR_VERSION(v) ((v) >> 4)
#define IKEV1_MAJOR 1
#define PRIVATE_USE_FIRST 128
#define NONCE_MIN 8
#define NONCE_MAX 256
#define NATOA_IPV4_LEN 4
#define NATOA_IPV6_LEN 16
#define FRAG_FLAG_LAST 0x01

/* ---- header ------------------------------------------------------------ */

int ikev1_parse_header(const uint8_t *p, size_t len, struct ikev1_hdr *h,
		       struct ikev1_parse_err *err)
{
	struct ikev1_parse_err dummy;
	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	memset(h, 0, sizeof(*h));
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
		return ikev1_fail(err, IKEV1_PARSE_TRUNCATED, "message shorter than the ISAKMP header");
	if (h->length < IKEV1_HDR_LEN)
		return ikev1_fail(err, IKEV1_PARSE_TRUNCATED, "header length below 28");
	/* RFC 2408 §5.1: a major version we do not speak is INVALID-MAJOR-VERSION */
	if (MAJOR_VERSION(h->version) != IKEV1_MAJOR)
		return ikev1_fail(err, IKEV1_PARSE_BAD_VERSION, "ISAKMP major version is not 1");
	return 0;
}

/* ---- chain walker -------------------------------------------------------- */

/* State of one walk: instances seen per slot and where the first HASH ended. */
struct walk {
	unsigned count[IKEV1_SLOT_COUNT];
	bool have_hash;
	size_t hash_end;           /* offset in the chain just after the first HASH */
};

static void pl_record(struct ikev1_msg *m, uint8_t type, uint16_t plen)
{
	m->order[m->n_order] = type;
	m->order_len[m->n_order] = plen;
	m->n_order++;
}

static int pl_admit(const struct ikev1_pl_desc *d, uint16_t plen, const struct walk *wk,
		    struct ikev1_parse_err *err)
{
	if (wk->count[d->slot] >= d->max)
		return d->max == 1
			? ikev1_fail(err, IKEV1_PARSE_DUPLICATE, "single-instance payload repeated")
			: ikev1_fail(err, IKEV1_PARSE_TOO_MANY, "more payloads of one type than kept");
	if (plen < d->min_len)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "payload shorter than its fixed part");
	return 0;
}

/* A payload type we have no descriptor for: RFC 2408 §5.1 answers
 * INVALID-PAYLOAD-TYPE, except that private-use types (128..255, e.g.
 * vendor extensions) are skipped and only recorded in order[]. */
static int pl_unknown(struct ikev1_msg *m, uint8_t type, uint16_t plen,
		      struct ikev1_parse_err *err)
{
	if (type < PRIVATE_USE_FIRST)
		return ikev1_fail(err, IKEV1_PARSE_BAD_PAYLOAD, "unknown payload type");
	pl_record(m, type, plen);
	return 0;
}

/* One payload: generic header, then the descriptor's body parser.
 * *next receives the following payload type. */
static int walk_one(struct rd *r, uint8_t type, struct walk *wk, struct ikev1_msg *m,
		    uint8_t *next, struct ikev1_parse_err *err)
{
	*next = rd_u8(r);
	rd_skip(r, 1);   /* RESERVED */
	uint16_t plen = rd_u16(r);
	if (r->bad)
		return ikev1_fail(err, IKEV1_PARSE_TRUNCATED, "truncated generic payload header");
	if (plen < IKEV1_GENERIC_HDR_LEN)
		return ikev1_fail(err, IKEV1_PARSE_TRUNCATED, "payload length below 4");
	struct rd body = rd_sub(r, plen - IKEV1_GENERIC_HDR_LEN);
	if (body.bad)
		return ikev1_fail(err, IKEV1_PARSE_TRUNCATED, "payload length overruns the message");
	const struct ikev1_pl_desc *d = ikev1_pl_find(type);
	if (!d)
		return pl_unknown(m, type, plen, err);
	if (pl_admit(d, plen, wk, err) < 0)
		return -1;
	if (d->parse(&body, type, wk->count[d->slot], m, err) < 0)
		return -1;
	wk->count[d->slot]++;
	pl_record(m, type, plen);
	m->present |= UINT64_C(1) << IKEV1_BIT(type);
	return 0;
}

/* Walk a chain of payloads starting with `first`, then note where it ends
 * and which bytes follow the first HASH (see ikev1.h). */
static int walk_chain(uint8_t first, const uint8_t *p, size_t len, struct ikev1_msg *m,
		      struct ikev1_parse_err *err)
{
	struct walk wk;
	memset(&wk, 0, sizeof(wk));
	struct rd r = rd_init(p, len);
	uint8_t type = first;
	while (type != IKEV1_PL_NONE) {
		err->payload = type;
		if (m->n_order >= IKEV1_MAX_PAYLOADS)
			return ikev1_fail(err, IKEV1_PARSE_TOO_MANY, "too many payloads");
		uint8_t next;
		if (walk_one(&r, type, &wk, m, &next, err) < 0)
			return -1;
		if (type == IKEV1_PL_HASH && !wk.have_hash) {
			wk.have_hash = true;
			wk.hash_end = len - r.left;
		}
		type = next;
	}
	err->payload = IKEV1_PL_NONE;
	m->chain_len = len - r.left;
	if (wk.have_hash) {
		m->after_hash.data = p + wk.hash_end;
		m->after_hash.len = m->chain_len - wk.hash_end;
	}
	return 0;
}

int ikev1_parse_message(const uint8_t *p, size_t len, struct ikev1_msg *m,
			struct ikev1_parse_err *err)
{
	struct ikev1_parse_err dummy;
	if (!err)
		err = &dummy;
	memset(m, 0, sizeof(*m));
	if (ikev1_parse_header(p, len, &m->hdr, err) < 0)
		return -1;
	if (m->hdr.length > len)
		return ikev1_fail(err, IKEV1_PARSE_TRUNCATED, "header length exceeds the datagram");
	if (m->hdr.flags & IKEV1_FLAG_ENC)
		return 0;   /* the caller decrypts and calls ikev1_parse_chain() */
	return walk_chain(m->hdr.next_payload, p + IKEV1_HDR_LEN, m->hdr.length - IKEV1_HDR_LEN,
			  m, err);
}

int ikev1_parse_chain(uint8_t first, const uint8_t *p, size_t len, struct ikev1_msg *m,
		      struct ikev1_parse_err *err)
{
	struct ikev1_parse_err dummy;
	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	struct ikev1_hdr h = m->hdr;
	memset(m, 0, sizeof(*m));
	m->hdr = h;
	return walk_chain(first, p, len, m, err);
}

/* ---- lookups ------------------------------------------------------------- */

const struct ikev1_notify *ikev1_msg_notify(const struct ikev1_msg *m, uint16_t type)
{
	for (unsigned i = 0; i < m->n_notify; i++)
		if (m->notify[i].type == type)
			return &m->notify[i];
	return NULL;
}

bool ikev1_msg_has_vendor(const struct ikev1_msg *m, const uint8_t *v, size_t len, bool prefix)
{
	for (unsigned i = 0; i < m->n_vendor; i++) {
		const struct ikev1_blob *b = &m->vendor[i];
		bool fits = prefix ? b->len >= len : b->len == len;
		if (fits && (len == 0 || memcmp(b->data, v, len) == 0))
			return true;
	}
	return false;
}

const struct ikev1_attr *ikev1_cfg_attr(const struct ikev1_cfg *c, uint16_t type)
{
	for (unsigned i = 0; i < c->n; i++)
		if (c->a[i].type == type)
			return &c->a[i];
	return NULL;
}

/* ---- simple payloads ------------------------------------------------------ */

int ikev1_parse_ke_body(struct rd *r, uint8_t type, unsigned idx, struct ikev1_msg *m,
			struct ikev1_parse_err *err)
{
	m->ke = ikev1_rd_rest(r);
	return 0;
}

int ikev1_parse_id_body(struct rd *r, uint8_t type, unsigned idx, struct ikev1_msg *m,
			struct ikev1_parse_err *err)
{
	struct ikev1_id *id = &m->id[idx];
	struct rd whole = *r;
	id->body = ikev1_rd_rest(&whole);
	id->type = rd_u8(r);
	id->proto = rd_u8(r);
	id->port = rd_u16(r);
	id->data = ikev1_rd_rest(r);
	if (r->bad)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "ID shorter than 4 bytes");
	m->n_id++;
	return 0;
}

static int parse_cert(struct rd *r, struct ikev1_cert *c, struct ikev1_parse_err *err)
{
	c->encoding = rd_u8(r);
	c->data = ikev1_rd_rest(r);
	return r->bad ? ikev1_fail(err, IKEV1_PARSE_MALFORMED, "CERT/CR without encoding") : 0;
}

int ikev1_parse_cert_body(struct rd *r, uint8_t type, unsigned idx, struct ikev1_msg *m,
			  struct ikev1_parse_err *err)
{
	if (parse_cert(r, &m->cert[idx], err) < 0)
		return -1;
	m->n_cert++;
	return 0;
}

int ikev1_parse_cr_body(struct rd *r, uint8_t type, unsigned idx, struct ikev1_msg *m,
			struct ikev1_parse_err *err)
{
	if (parse_cert(r, &m->cr[idx], err) < 0)
		return -1;
	m->n_cr++;
	return 0;
}

int ikev1_parse_hash_body(struct rd *r, uint8_t type, unsigned idx, struct ikev1_msg *m,
			  struct ikev1_parse_err *err)
{
	m->hash = ikev1_rd_rest(r);
	return 0;
}

int ikev1_parse_sig_body(struct rd *r, uint8_t type, unsigned idx, struct ikev1_msg *m,
			 struct ikev1_parse_err *err)
{
	m->sig = ikev1_rd_rest(r);
	return 0;
}

int ikev1_parse_nonce_body(struct rd *r, uint8_t type, unsigned idx, struct ikev1_msg *m,
			   struct ikev1_parse_err *err)
{
	/* RFC 2409 §5: the nonce MUST be 8 to 256 bytes */
	if (r->left < NONCE_MIN || r->left > NONCE_MAX)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "nonce not 8..256 bytes");
	m->nonce = ikev1_rd_rest(r);
	return 0;
}

int ikev1_parse_n_body(struct rd *r, uint8_t type, unsigned idx, struct ikev1_msg *m,
		       struct ikev1_parse_err *err)
{
	struct ikev1_notify *n = &m->notify[idx];
	n->doi = rd_u32(r);
	n->protocol = rd_u8(r);
	n->spi_size = rd_u8(r);
	n->type = rd_u16(r);
	n->spi.len = n->spi_size;
	n->spi.data = rd_ptr(r, n->spi_size);
	n->data = ikev1_rd_rest(r);
	if (r->bad)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "notify SPI overruns the payload");
	m->n_notify++;
	return 0;
}

int ikev1_parse_d_body(struct rd *r, uint8_t type, unsigned idx, struct ikev1_msg *m,
		       struct ikev1_parse_err *err)
{
	struct ikev1_delete *d = &m->del[idx];
	d->doi = rd_u32(r);
	d->protocol = rd_u8(r);
	d->spi_size = rd_u8(r);
	d->n_spi = rd_u16(r);
	d->spis = ikev1_rd_rest(r);
	if (r->bad || d->spis.len != (size_t)d->n_spi * d->spi_size)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "delete SPI count disagrees with length");
	m->n_delete++;
	return 0;
}

int ikev1_parse_vid_body(struct rd *r, uint8_t type, unsigned idx, struct ikev1_msg *m,
			 struct ikev1_parse_err *err)
{
	m->vendor[idx] = ikev1_rd_rest(r);
	m->n_vendor++;
	return 0;
}

/* One Mode Config data attribute (AF bit = basic TV form). */
static int parse_cfg_attr(struct rd *r, struct ikev1_attr *a, struct ikev1_parse_err *err)
{
	uint16_t at = rd_u16(r);
	uint16_t v = rd_u16(r);
	memset(a, 0, sizeof(*a));
	a->type = at & IKEV1_ATTR_TYPE_MASK;
	a->tv = (at & IKEV1_ATTR_TV_BIT) != 0;
	if (a->tv) {
		a->tv_value = v;
	} else {
		a->value.len = v;
		a->value.data = rd_ptr(r, v);
	}
	return r->bad ? ikev1_fail(err, IKEV1_PARSE_MALFORMED, "ATTR attribute overruns the payload")
		      : 0;
}

int ikev1_parse_attr_body(struct rd *r, uint8_t type, unsigned idx, struct ikev1_msg *m,
			  struct ikev1_parse_err *err)
{
	struct ikev1_cfg *c = &m->cfg;
	c->type = rd_u8(r);
	rd_skip(r, 1);
	c->identifier = rd_u16(r);
	if (r->bad)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "ATTR shorter than 4 bytes");
	while (r->left > 0) {
		if (c->n >= IKEV1_MAX_CFG_ATTRS)
			return ikev1_fail(err, IKEV1_PARSE_TOO_MANY, "too many ATTR attributes");
		if (parse_cfg_attr(r, &c->a[c->n], err) < 0)
			return -1;
		c->n++;
	}
	return 0;
}

int ikev1_parse_natd_body(struct rd *r, uint8_t type, unsigned idx, struct ikev1_msg *m,
			  struct ikev1_parse_err *err)
{
	m->natd[idx] = ikev1_rd_rest(r);
	m->n_natd++;
	if (type == IKEV1_PL_NATD_DRAFT)
		m->have_natd_draft = true;
	return 0;
}

/* RFC 3947 §5.2: ID type IPv4 (1) with 4 bytes, or IPv6 (5) with 16. */
int ikev1_parse_natoa_body(struct rd *r, uint8_t type, unsigned idx, struct ikev1_msg *m,
			   struct ikev1_parse_err *err)
{
	uint8_t id_type = rd_u8(r);
	rd_skip(r, 3);
	struct ikev1_blob a = ikev1_rd_rest(r);
	bool ok = (id_type == IKEV1_ID_IPV4_ADDR && a.len == NATOA_IPV4_LEN) ||
		  (id_type == IKEV1_ID_IPV6_ADDR && a.len == NATOA_IPV6_LEN);
	if (r->bad || !ok)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "NAT-OA is not an IPv4 or IPv6 address");
	m->natoa[idx] = a;
	m->n_natoa++;
	return 0;
}

int ikev1_parse_frag_body(struct rd *r, uint8_t type, unsigned idx, struct ikev1_msg *m,
			  struct ikev1_parse_err *err)
{
	struct ikev1_frag *f = &m->frag;
	f->id = rd_u16(r);
	f->num = rd_u8(r);
	uint8_t flags = rd_u8(r);
	f->data = ikev1_rd_rest(r);
	if (r->bad)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "fragment shorter than 4 bytes");
	if (f->num == 0)
		return ikev1_fail(err, IKEV1_PARSE_MALFORMED, "fragment number 0 (they start at 1)");
	f->last = (flags & FRAG_FLAG_LAST) != 0;
	return 0;
}
