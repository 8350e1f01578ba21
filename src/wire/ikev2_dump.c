/* IKEv2 debug dump and payload summary, in the spirit of the ASA's
 * `debug crypto ikev2 packet/protocol` output (protocol.md §3.6):
 *
 *   Next payload: SA, version: 2.0 Exchange type: IKE_SA_INIT, flags: INITIATOR Message id: 0, length: 574
 *   Payload contents:
 *    SA  Next payload: KE, reserved: 0x0, length: 48
 *     Proposal: 1, Protocol id: IKE, SPI size: 0, #trans: 4
 *       type: 1, reserved: 0x0, id: AES-CBC
 *    NOTIFY(NAT_DETECTION_SOURCE_IP)  Next payload: NOTIFY, reserved: 0x0, length: 28
 *
 * Key exchange values, nonces, AUTH data and encrypted bodies are shown by
 * length only. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "wire/ikev2_pl.h"

#define LINE_MAX_LEN 256
#define HEX_SHOWN 32          /* bytes of a vendor ID or SPI shown in hex */
#define SPIS_SHOWN 8          /* SPIs of a Delete payload listed */
#define PRINTABLE_SHOWN 128   /* longest ID / VID string shown as text */

static void out(const struct ikev2_dump_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void out(const struct ikev2_dump_out *o, const char *fmt, ...)
{
	char line[LINE_MAX_LEN];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	o->line(o->arg, line);
}

/* Name, or the number in a per-call buffer. */
struct num_name {
	char text[48];
};

static const char *name_or_num(struct num_name *nn, enum ikev2_names_kind kind, unsigned v)
{
	const char *s = ikev2_name_find(kind, v);
	if (s)
		return s;
	snprintf(nn->text, sizeof(nn->text), "%u", v);
	return nn->text;
}

static bool is_printable(const uint8_t *p, size_t n)
{
	if (n == 0 || n > PRINTABLE_SHOWN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return true;
}

/* Lower-case hex of at most HEX_SHOWN bytes, "..." when cut. */
static void hex_shown(const uint8_t *p, size_t n, char out_hex[2 * HEX_SHOWN + 4])
{
	size_t k = n > HEX_SHOWN ? HEX_SHOWN : n;
	mem_hex(p, k, out_hex);
	if (k < n)
		strcat(out_hex, "...");
}

/* ---- per-payload printers -------------------------------------------------- */

static void dump_transform(const struct ikev2_transform *t, const struct ikev2_dump_out *o)
{
	const char *id = ikev2_name_find(ikev2_transform_names_kind(t->type), t->id);
	if (id)
		out(o, "    type: %u, reserved: 0x0, id: %s", t->type, id);
	else
		out(o, "    type: %u, reserved: 0x0, id: %u", t->type, t->id);
	if (t->key_bits)
		out(o, "      key length: %u", t->key_bits);
	if (t->unknown_attr)
		out(o, "      unknown transform attribute");
}

void ikev2_dump_sa(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o)
{
	for (unsigned i = 0; i < m->sa.n; i++) {
		const struct ikev2_proposal *p = &m->sa.p[i];
		struct num_name nn;
		out(o, "  Proposal: %u, Protocol id: %s, SPI size: %u, #trans: %u", p->num,
		    name_or_num(&nn, IKEV2_NAMES_PROTOCOL, p->protocol), p->spi_size,
		    p->n_transforms);
		if (p->spi_size) {
			char hex[2 * HEX_SHOWN + 4];
			hex_shown(p->spi, p->spi_size, hex);
			out(o, "    SPI: %s", hex);
		}
		for (unsigned j = 0; j < p->n_transforms; j++)
			dump_transform(&p->t[j], o);
	}
}

void ikev2_dump_ke(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o)
{
	out(o, "    DH group: %u, KE data length: %zu", m->ke.group, m->ke.data.len);
}

static void dump_id(const struct ikev2_id *id, const struct ikev2_dump_out *o)
{
	struct num_name nn;
	out(o, "    Id type: %s, data length: %zu", name_or_num(&nn, IKEV2_NAMES_ID, id->type),
	    id->data.len);
	char addr[INET6_ADDRSTRLEN];
	if (id->type == IKEV2_ID_IPV4_ADDR && id->data.len == 4)
		out(o, "    Id: %s", inet_ntop(AF_INET, id->data.data, addr, sizeof(addr)));
	else if (id->type == IKEV2_ID_IPV6_ADDR && id->data.len == 16)
		out(o, "    Id: %s", inet_ntop(AF_INET6, id->data.data, addr, sizeof(addr)));
	else if (id->type != IKEV2_ID_DER_ASN1_DN && id->type != IKEV2_ID_DER_ASN1_GN &&
		 is_printable(id->data.data, id->data.len))
		out(o, "    Id: %.*s", (int)id->data.len, (const char *)id->data.data);
}

void ikev2_dump_idi(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o)
{
	dump_id(&m->idi, o);
}

void ikev2_dump_idr(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o)
{
	dump_id(&m->idr, o);
}

void ikev2_dump_cert(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o)
{
	const struct ikev2_cert *c = &m->cert[idx];
	struct num_name nn;
	out(o, "    Cert encoding: %s, data length: %zu",
	    name_or_num(&nn, IKEV2_NAMES_CERT, c->encoding), c->data.len);
}

void ikev2_dump_certreq(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o)
{
	const struct ikev2_cert *c = &m->certreq[idx];
	struct num_name nn;
	out(o, "    Cert encoding: %s, CA hashes length: %zu",
	    name_or_num(&nn, IKEV2_NAMES_CERT, c->encoding), c->data.len);
}

void ikev2_dump_auth(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o)
{
	struct num_name nn;
	out(o, "    Auth method: %s, data length: %zu",
	    name_or_num(&nn, IKEV2_NAMES_AUTH, m->auth.method), m->auth.data.len);
}

void ikev2_dump_nonce(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o)
{
	out(o, "    Nonce length: %zu", m->nonce.len);
}

void ikev2_dump_notify(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o)
{
	const struct ikev2_notify *n = &m->notify[idx];
	struct num_name np, nt;
	/* §3.10: protocol 0 (no SPI) means the notify concerns this IKE SA */
	out(o, "    Security protocol id: %s, spi size: %u, type: %s",
	    n->protocol == 0 ? "IKE" : name_or_num(&np, IKEV2_NAMES_PROTOCOL, n->protocol),
	    n->spi_size,
	    name_or_num(&nt, IKEV2_NAMES_NOTIFY, n->type));
	if (n->spi.len) {
		char hex[2 * HEX_SHOWN + 4];
		hex_shown(n->spi.data, n->spi.len, hex);
		out(o, "    SPI: %s", hex);
	}
	if (n->data.len)
		out(o, "    Notify data length: %zu", n->data.len);
}

void ikev2_dump_delete(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o)
{
	const struct ikev2_delete *d = &m->del[idx];
	struct num_name nn;
	out(o, "    Protocol id: %s, SPI size: %u, # of SPIs: %u",
	    name_or_num(&nn, IKEV2_NAMES_PROTOCOL, d->protocol), d->spi_size, d->n_spi);
	unsigned shown = d->n_spi < SPIS_SHOWN ? d->n_spi : SPIS_SHOWN;
	for (unsigned i = 0; i < shown && d->spi_size; i++) {
		char hex[2 * HEX_SHOWN + 4];
		hex_shown(d->spis.data + (size_t)i * d->spi_size, d->spi_size, hex);
		out(o, "    SPI: %s", hex);
	}
	if (shown < d->n_spi && d->spi_size)
		out(o, "    ... %u more SPIs", d->n_spi - shown);
}

void ikev2_dump_vendor(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o)
{
	const struct ikev2_blob *v = &m->vendor[idx];
	if (is_printable(v->data, v->len)) {
		out(o, "    Vendor ID: \"%.*s\"", (int)v->len, (const char *)v->data);
		return;
	}
	char hex[2 * HEX_SHOWN + 4];
	hex_shown(v->data, v->len, hex);
	out(o, "    Vendor ID: %s", hex);
}

static void dump_ts(const struct ikev2_ts_list *l, const struct ikev2_dump_out *o)
{
	out(o, "    Num of TSs: %u", l->n);
	for (unsigned i = 0; i < l->n; i++) {
		const struct ikev2_ts *ts = &l->ts[i];
		bool v6 = ts->type == IKEV2_TS_IPV6_ADDR_RANGE;
		struct num_name nn;
		out(o, "    TS type: %s, proto id: %u, length: %u",
		    name_or_num(&nn, IKEV2_NAMES_TS, ts->type), ts->ip_proto, v6 ? 40u : 16u);
		out(o, "    start port: %u, end port: %u", ts->start_port, ts->end_port);
		char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
		out(o, "    start addr: %s, end addr: %s",
		    inet_ntop(v6 ? AF_INET6 : AF_INET, ts->start, a, sizeof(a)),
		    inet_ntop(v6 ? AF_INET6 : AF_INET, ts->end, b, sizeof(b)));
	}
}

void ikev2_dump_tsi(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o)
{
	dump_ts(&m->tsi, o);
}

void ikev2_dump_tsr(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o)
{
	dump_ts(&m->tsr, o);
}

void ikev2_dump_sk(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o)
{
	out(o, "    Encrypted data: %zu bytes", m->sk.body.len);
}

static void dump_cp_attr(const struct ikev2_cp_attr *a, const struct ikev2_dump_out *o)
{
	struct num_name nn;
	const char *name = name_or_num(&nn, IKEV2_NAMES_CFG_ATTR, a->type);
	char addr[INET6_ADDRSTRLEN];
	bool ip4 = a->type == IKEV2_CA_INTERNAL_IP4_ADDRESS ||
		   a->type == IKEV2_CA_INTERNAL_IP4_NETMASK || a->type == IKEV2_CA_INTERNAL_IP4_DNS ||
		   a->type == IKEV2_CA_INTERNAL_IP4_NBNS || a->type == IKEV2_CA_INTERNAL_IP4_DHCP;
	if (ip4 && a->value.len == 4)
		out(o, "    attrib type: %s, length: 4, value: %s", name,
		    inet_ntop(AF_INET, a->value.data, addr, sizeof(addr)));
	else if ((a->type == IKEV2_CA_APPLICATION_VERSION ||
		  a->type == IKEV2_CA_INTERNAL_DNS_DOMAIN) &&
		 is_printable(a->value.data, a->value.len))
		out(o, "    attrib type: %s, length: %zu, value: %.*s", name, a->value.len,
		    (int)a->value.len, (const char *)a->value.data);
	else
		out(o, "    attrib type: %s, length: %zu", name, a->value.len);
}

void ikev2_dump_cp(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o)
{
	struct num_name nn;
	out(o, "    cfg type: %s", name_or_num(&nn, IKEV2_NAMES_CFG_TYPE, m->cp.type));
	for (unsigned i = 0; i < m->cp.n; i++)
		dump_cp_attr(&m->cp.a[i], o);
}

void ikev2_dump_eap(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o)
{
	static const char *const codes[] = { "0", "Request", "Response", "Success", "Failure" };
	const uint8_t *e = m->eap.data;
	if (m->eap.len < 4) {
		out(o, "    EAP length: %zu", m->eap.len);
		return;
	}
	uint8_t code = e[0];
	char cbuf[8];
	const char *cname = codes[0];
	if (code < sizeof(codes) / sizeof(codes[0])) {
		cname = codes[code];
	} else {
		snprintf(cbuf, sizeof(cbuf), "%u", code);
		cname = cbuf;
	}
	if (m->eap.len > 4)
		out(o, "    EAP code: %s, id: %u, length: %zu, type: %u", cname, e[1], m->eap.len,
		    e[4]);
	else
		out(o, "    EAP code: %s, id: %u, length: %zu", cname, e[1], m->eap.len);
}

void ikev2_dump_skf(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o)
{
	out(o, "    Fragment number: %u, total fragments: %u, encrypted data: %zu bytes",
	    m->skf.frag_num, m->skf.total, m->skf.body.len);
}

/* ---- message ------------------------------------------------------------- */

/* Display name of one payload: "NOTIFY(NAT_DETECTION_SOURCE_IP)", "SA",
 * "UNKNOWN(49)". */
static void payload_label(const struct ikev2_msg *m, uint8_t type, unsigned idx, char *buf,
			  size_t len)
{
	const struct ikev2_pl_desc *d = ikev2_pl_find(type);
	if (!d) {
		snprintf(buf, len, "UNKNOWN(%u)", type);
	} else if (type == IKEV2_PL_NOTIFY && idx < m->n_notify) {
		struct num_name nn;
		snprintf(buf, len, "NOTIFY(%s)",
			 name_or_num(&nn, IKEV2_NAMES_NOTIFY, m->notify[idx].type));
	} else {
		snprintf(buf, len, "%s", d->name);
	}
}

static const char *next_name(uint8_t t, struct num_name *nn)
{
	if (t == IKEV2_PL_NONE || ikev2_pl_find(t))
		return ikev2_payload_name(t);
	snprintf(nn->text, sizeof(nn->text), "%u", t);
	return nn->text;
}

/* The Next Payload field of payload i: the following one, or for SK/SKF
 * the first inner payload. */
static uint8_t next_of(const struct ikev2_msg *m, unsigned i)
{
	if (m->order[i] == IKEV2_PL_SK)
		return m->sk.inner_first;
	if (m->order[i] == IKEV2_PL_SKF)
		return m->skf.inner_first;
	return i + 1 < m->n_order ? m->order[i + 1] : IKEV2_PL_NONE;
}

static void dump_header(const struct ikev2_hdr *h, const struct ikev2_dump_out *o)
{
	struct num_name nn, nx;
	out(o, "Next payload: %s, version: %u.%u Exchange type: %s, flags: %s%s Message id: %u, length: %u",
	    next_name(h->next_payload, &nn), h->version >> 4, h->version & 0x0f,
	    name_or_num(&nx, IKEV2_NAMES_EXCHANGE, h->exchange),
	    (h->flags & IKEV2_FLAG_INITIATOR) ? "INITIATOR" : "RESPONDER",
	    (h->flags & IKEV2_FLAG_RESPONSE) ? " MSG-RESPONSE" : "", h->msg_id, h->length);
}

void ikev2_msg_dump(const struct ikev2_msg *m, void (*line)(void *arg, const char *text), void *arg)
{
	const struct ikev2_dump_out o = { line, arg };
	unsigned seen[256] = { 0 };
	dump_header(&m->hdr, &o);
	out(&o, "Payload contents:");
	for (unsigned i = 0; i < m->n_order && i < IKEV2_MAX_PAYLOADS; i++) {
		uint8_t type = m->order[i];
		unsigned idx = seen[type]++;
		char label[64];
		struct num_name nn;
		payload_label(m, type, idx, label, sizeof(label));
		out(&o, " %s  Next payload: %s, reserved: 0x%x, length: %u", label,
		    next_name(next_of(m, i), &nn), m->order_flags[i], m->order_len[i]);
		const struct ikev2_pl_desc *d = ikev2_pl_find(type);
		if (d && idx < d->max)
			d->dump(m, idx, &o);
	}
}

void ikev2_msg_summary(const struct ikev2_msg *m, char *out_buf, size_t out_len)
{
	unsigned seen[256] = { 0 };
	size_t used = 0;
	if (out_len == 0)
		return;
	out_buf[0] = '\0';
	for (unsigned i = 0; i < m->n_order && i < IKEV2_MAX_PAYLOADS; i++) {
		uint8_t type = m->order[i];
		char label[64];
		payload_label(m, type, seen[type]++, label, sizeof(label));
		int n = snprintf(out_buf + used, out_len - used, "%s%s", i ? " " : "", label);
		if (n < 0 || (size_t)n >= out_len - used)
			return;   /* truncated, still NUL-terminated */
		used += (size_t)n;
	}
}
