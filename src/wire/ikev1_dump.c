/* IKEv1 debug dump and payload summary, in the wording of the PIX/IOS
 * `debug crypto isakmp` output (seed 004, protocol.md §3.6):
 *
 *   ISAKMP: header: exchange Aggressive (4), flags 0x00, message ID = 0, length 1180
 *   ISAKMP:   payload SA (1), next KE, length 892
 *   ISAKMP:    proposal 0, protocol ISAKMP, SPI size 0, 24 transforms
 *   ISAKMP:    transform 0, KEY_IKE
 *   ISAKMP:      keylength of 256
 *   ISAKMP:      encryption AES-CBC
 *   ISAKMP:      hash SHA
 *   ISAKMP:      default group 2
 *   ISAKMP:      extended auth pre-share
 *   ISAKMP:      life type in seconds
 *   ISAKMP:      life duration (VPI) of  0x0 0x20 0xc4 0x9b
 *
 * Transform attributes are printed as received (wire order).  Key
 * exchange values, nonces, hashes and signatures are shown by length only;
 * XAUTH passwords, passcodes, next PINs and answers are "<hidden>" (never
 * the secret, whatever the debug level). */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "wire/ikev1_pl.h"

#define LINE_MAX_LEN 256
#define HEX_SHOWN 32          /* bytes of a vendor ID or SPI shown in hex */
#define SPIS_SHOWN 8          /* SPIs of a Delete payload listed */
#define PRINTABLE_SHOWN 128   /* longest ID / attribute string shown as text */
#define VPI_SHOWN 8           /* bytes of a variable life duration shown */
#define IND "ISAKMP:      "    /* attribute lines, as the PIX indents them */

static void out(const struct ikev1_dump_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void out(const struct ikev1_dump_out *o, const char *fmt, ...)
{
	char line[LINE_MAX_LEN];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	o->line(o->arg, line);
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

/* PIX names, or NULL. */
struct word {
	unsigned v;
	const char *text;
};

static const char *word(const struct word *w, size_t n, unsigned v)
{
	for (size_t i = 0; i < n; i++)
		if (w[i].v == v)
			return w[i].text;
	return NULL;
}

#define WORD(table, v) word(table, sizeof(table) / sizeof(table[0]), v)

static const struct word p1_encr[] = {
	{ IKEV1_ENCR_DES, "DES-CBC" }, { IKEV1_ENCR_3DES, "3DES-CBC" },
	{ IKEV1_ENCR_AES, "AES-CBC" }, { 0, "null (0)" },
};
static const struct word p1_hash[] = {
	{ IKEV1_HASH_MD5, "MD5" }, { IKEV1_HASH_SHA1, "SHA" }, { IKEV1_HASH_SHA256, "SHA256" },
	{ IKEV1_HASH_SHA384, "SHA384" }, { IKEV1_HASH_SHA512, "SHA512" },
};
static const struct word p1_auth[] = {
	{ IKEV1_AUTH_PSK, "auth pre-share" }, { IKEV1_AUTH_DSS, "auth DSS sig" },
	{ IKEV1_AUTH_RSA_SIG, "auth RSA sig" },
	{ IKEV1_AUTH_HYBRID_INIT_RSA, "hybrid auth RSA sig" },
	{ IKEV1_AUTH_XAUTH_INIT_PSK, "extended auth pre-share" },
	{ IKEV1_AUTH_XAUTH_RESP_PSK, "extended auth pre-share (responder)" },
	{ IKEV1_AUTH_XAUTH_INIT_RSA, "extended auth RSA sig" },
};
static const struct word p2_auth[] = {
	{ IKEV1_AUTH_HMAC_MD5, "HMAC-MD5" }, { IKEV1_AUTH_HMAC_SHA1, "HMAC-SHA" },
	{ IKEV1_AUTH_HMAC_SHA256, "HMAC-SHA256" }, { IKEV1_AUTH_HMAC_SHA384, "HMAC-SHA384" },
	{ IKEV1_AUTH_HMAC_SHA512, "HMAC-SHA512" },
};
static const struct word life_unit[] = {
	{ IKEV1_LIFE_SECONDS, "seconds" }, { IKEV1_LIFE_KILOBYTES, "kilobytes" },
};

/* ---- transform attributes ------------------------------------------------------ */

struct attr_view {
	uint16_t type;
	bool tv;
	uint16_t v;                /* TV value, or the TLV length */
	const uint8_t *value;      /* TLV value */
};

/* "life duration (VPI) of  0x0 0x20 0xc4 0x9b" or "(basic) of 28800". */
static void dump_duration(const char *prefix, const struct attr_view *a,
			  const struct ikev1_dump_out *o)
{
	if (a->tv) {
		out(o, IND "%slife duration (basic) of %u", prefix, a->v);
		return;
	}
	char bytes[VPI_SHOWN * 5 + 8] = "";
	size_t used = 0;
	for (unsigned i = 0; i < a->v && i < VPI_SHOWN; i++)
		used += (size_t)snprintf(bytes + used, sizeof(bytes) - used, " 0x%x", a->value[i]);
	out(o, IND "%slife duration (VPI) of %s%s", prefix, bytes, a->v > VPI_SHOWN ? " ..." : "");
}

static void dump_value(const char *what, const struct word *names, size_t n,
		       const struct attr_view *a, const struct ikev1_dump_out *o)
{
	const char *s = a->tv ? word(names, n, a->v) : NULL;
	if (s)
		out(o, IND "%s %s", what, s);
	else if (a->tv)
		out(o, IND "%s %u", what, a->v);
	else
		out(o, IND "%s (variable form, length %u: not understood)", what, a->v);
}

static void dump_other(const struct attr_view *a, const struct ikev1_dump_out *o)
{
	if (a->tv)
		out(o, IND "attribute %u (unknown), value %u", a->type, a->v);
	else
		out(o, IND "attribute %u (unknown), length %u", a->type, a->v);
}

static void dump_tv_number(const char *fmt, const struct attr_view *a,
			   const struct ikev1_dump_out *o)
{
	if (a->tv)
		out(o, fmt, a->v);
	else
		dump_other(a, o);
}

static void dump_p1_attr(const struct attr_view *a, const struct ikev1_dump_out *o)
{
#define NAMES(t) t, sizeof(t) / sizeof(t[0])
	switch (a->type) {
	case IKEV1_A_ENCR: dump_value("encryption", NAMES(p1_encr), a, o); break;
	case IKEV1_A_HASH: dump_value("hash", NAMES(p1_hash), a, o); break;
	case IKEV1_A_GROUP: dump_tv_number(IND "default group %u", a, o); break;
	case IKEV1_A_KEY_LENGTH: dump_tv_number(IND "keylength of %u", a, o); break;
	case IKEV1_A_LIFE_TYPE: dump_value("life type in", NAMES(life_unit), a, o); break;
	case IKEV1_A_LIFE_DURATION: dump_duration("", a, o); break;
	case IKEV1_A_AUTH: {
		const char *s = a->tv ? WORD(p1_auth, a->v) : NULL;
		if (s)
			out(o, IND "%s", s);
		else
			dump_value("auth", NULL, 0, a, o);
		break;
	}
	default: dump_other(a, o); break;
	}
}

static void dump_p2_attr(const struct attr_view *a, const struct ikev1_dump_out *o)
{
	switch (a->type) {
	case IKEV1_A2_ENCAP: dump_tv_number(IND "encaps is %u", a, o); break;
	case IKEV1_A2_AUTH: dump_value("authenticator is", NAMES(p2_auth), a, o); break;
	case IKEV1_A2_GROUP: dump_tv_number(IND "group is %u", a, o); break;
	case IKEV1_A2_KEY_LENGTH: dump_tv_number(IND "key length is %u", a, o); break;
	case IKEV1_A2_LIFE_TYPE: dump_value("SA life type in", NAMES(life_unit), a, o); break;
	case IKEV1_A2_LIFE_DURATION: dump_duration("SA ", a, o); break;
	default: dump_other(a, o); break;
	}
#undef NAMES
}

static void dump_attrs(uint8_t protocol, const struct ikev1_blob *attrs,
		       const struct ikev1_dump_out *o)
{
	struct rd r = rd_init(attrs->data, attrs->len);
	while (r.left > 0) {
		struct attr_view a;
		uint16_t at = rd_u16(&r);
		a.v = rd_u16(&r);
		a.type = at & IKEV1_ATTR_TYPE_MASK;
		a.tv = (at & IKEV1_ATTR_TV_BIT) != 0;
		a.value = a.tv ? NULL : rd_ptr(&r, a.v);
		if (r.bad)
			return;   /* cannot happen for a parsed transform */
		if (protocol == IKEV1_PROTO_ISAKMP)
			dump_p1_attr(&a, o);
		else
			dump_p2_attr(&a, o);
	}
}

/* ---- per-payload printers ------------------------------------------------------ */

static const char *protocol_name(uint8_t p, char buf[8])
{
	static const char *const names[] = { "0", "ISAKMP", "AH", "ESP", "IPCOMP" };
	if (p < sizeof(names) / sizeof(names[0]))
		return names[p];
	snprintf(buf, 8, "%u", p);
	return buf;
}

static void dump_transform(uint8_t protocol, const struct ikev1_transform *t,
			   const struct ikev1_dump_out *o)
{
	if (protocol == IKEV1_PROTO_ISAKMP) {
		out(o, "ISAKMP:    transform %u, %s", t->num,
		    t->id == IKEV1_KEY_IKE ? "KEY_IKE" : "unknown transform id");
	} else {
		const char *s = protocol == IKEV1_PROTO_ESP ? ikev1_esp_name(t->id) : "UNKNOWN";
		out(o, "ISAKMP:    transform %u, %s (%u)", t->num, s, t->id);
		out(o, "ISAKMP:      attributes in transform:");
	}
	dump_attrs(protocol, &t->attrs, o);
}

IKEV1_DUMP_FN(sa)
{
	const struct ikev1_sa *sa = &m->sa;
	out(o, "ISAKMP:    DOI %u, situation %u, %u proposals", sa->doi, sa->situation, sa->n);
	for (unsigned i = 0; i < sa->n; i++) {
		const struct ikev1_proposal *p = &sa->p[i];
		char pb[8];
		out(o, "ISAKMP:    proposal %u, protocol %s, SPI size %u, %u transforms", p->num,
		    protocol_name(p->protocol, pb), p->spi_size, p->n_transforms);
		if (p->spi_size) {
			char hex[2 * HEX_SHOWN + 4];
			hex_shown(p->spi, p->spi_size, hex);
			out(o, "ISAKMP:    SPI %s", hex);
		}
		for (unsigned j = 0; j < p->n_transforms && p->first + j < IKEV1_MAX_TRANSFORMS; j++)
			dump_transform(p->protocol, &sa->t[p->first + j], o);
	}
}

IKEV1_DUMP_FN(ke)
{
	out(o, IND "KE data length %zu", m->ke.len);
}

/* Address-typed IDs as the PIX prints them ("ID_IPV4_ADDR 10.89.129.200"). */
static bool id_address(const struct ikev1_id *id, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	const uint8_t *d = id->data.data;
	switch (id->type) {
	case IKEV1_ID_IPV4_ADDR:
		if (id->data.len != 4)
			return false;
		snprintf(buf, len, "%s", inet_ntop(AF_INET, d, a, sizeof(a)));
		return true;
	case IKEV1_ID_IPV4_ADDR_SUBNET:
	case IKEV1_ID_IPV4_ADDR_RANGE:
		if (id->data.len != 8)
			return false;
		snprintf(buf, len, "%s%s%s", inet_ntop(AF_INET, d, a, sizeof(a)),
			 id->type == IKEV1_ID_IPV4_ADDR_SUBNET ? "/" : "-",
			 inet_ntop(AF_INET, d + 4, b, sizeof(b)));
		return true;
	case IKEV1_ID_IPV6_ADDR:
		if (id->data.len != 16)
			return false;
		snprintf(buf, len, "%s", inet_ntop(AF_INET6, d, a, sizeof(a)));
		return true;
	default:
		return false;
	}
}

IKEV1_DUMP_FN(id)
{
	const struct ikev1_id *id = &m->id[idx];
	char addr[2 * INET6_ADDRSTRLEN + 2];
	const char *tn = ikev1_id_type_name(id->type);
	if (id_address(id, addr, sizeof(addr))) {
		out(o, IND "%s %s prot %u port %u", tn, addr, id->proto, id->port);
		return;
	}
	out(o, IND "%s (%u) prot %u port %u, data length %zu", tn, id->type, id->proto, id->port,
	    id->data.len);
	bool text = id->type == IKEV1_ID_FQDN || id->type == IKEV1_ID_USER_FQDN ||
		    id->type == IKEV1_ID_KEY_ID;
	if (text && is_printable(id->data.data, id->data.len))
		out(o, IND "ID data: %.*s", (int)id->data.len, (const char *)id->data.data);
}

IKEV1_DUMP_FN(cert)
{
	out(o, IND "cert encoding %u, length %zu", m->cert[idx].encoding, m->cert[idx].data.len);
}

IKEV1_DUMP_FN(cr)
{
	out(o, IND "cert request encoding %u, authority length %zu", m->cr[idx].encoding,
	    m->cr[idx].data.len);
}

IKEV1_DUMP_FN(hash)
{
	out(o, IND "hash length %zu", m->hash.len);
}

IKEV1_DUMP_FN(sig)
{
	out(o, IND "signature length %zu", m->sig.len);
}

IKEV1_DUMP_FN(nonce)
{
	out(o, IND "nonce length %zu", m->nonce.len);
}

IKEV1_DUMP_FN(n)
{
	const struct ikev1_notify *n = &m->notify[idx];
	const char *name = ikev1_notify_name(n->type);
	out(o, IND "notify %s (%u) protocol %u spi size %u, data length %zu",
	    name ? name : "UNKNOWN", n->type, n->protocol, n->spi_size, n->data.len);
	if (n->spi.len) {
		char hex[2 * HEX_SHOWN + 4];
		hex_shown(n->spi.data, n->spi.len, hex);
		out(o, IND "spi %s", hex);
	}
}

IKEV1_DUMP_FN(d)
{
	const struct ikev1_delete *d = &m->del[idx];
	out(o, IND "delete protocol %u spi size %u, %u SPIs", d->protocol, d->spi_size, d->n_spi);
	unsigned shown = d->n_spi < SPIS_SHOWN ? d->n_spi : SPIS_SHOWN;
	for (unsigned i = 0; i < shown && d->spi_size; i++) {
		char hex[2 * HEX_SHOWN + 4];
		hex_shown(d->spis.data + (size_t)i * d->spi_size, d->spi_size, hex);
		out(o, IND "spi %s", hex);
	}
	if (shown < d->n_spi && d->spi_size)
		out(o, IND "... %u more SPIs", d->n_spi - shown);
}

IKEV1_DUMP_FN(vid)
{
	const struct ikev1_blob *v = &m->vendor[idx];
	enum ikev1_vid k = ikev1_vid_match(v->data, v->len);
	char hex[2 * HEX_SHOWN + 4];
	hex_shown(v->data, v->len, hex);
	if (k != IKEV1_VID_COUNT)
		out(o, IND "vendor id %s (%s)", ikev1_vid_name(k), hex);
	else if (is_printable(v->data, v->len))
		out(o, IND "vendor id \"%.*s\"", (int)v->len, (const char *)v->data);
	else
		out(o, IND "vendor id %s", hex);
}

/* ---- Mode Config / XAUTH ----------------------------------------------------------- */

/* Attributes whose value is a secret: printed as "<hidden>", always. */
static bool cfg_secret(uint16_t type)
{
	return type == IKEV1_CA_XAUTH_USER_PASSWORD || type == IKEV1_CA_XAUTH_PASSCODE ||
	       type == IKEV1_CA_XAUTH_NEXT_PIN || type == IKEV1_CA_XAUTH_ANSWER;
}

static bool cfg_text(uint16_t type)
{
	switch (type) {
	case IKEV1_CA_APPLICATION_VERSION: case IKEV1_CA_XAUTH_USER_NAME:
	case IKEV1_CA_XAUTH_MESSAGE: case IKEV1_CA_XAUTH_DOMAIN:
	case IKEV1_CA_UNITY_BANNER: case IKEV1_CA_UNITY_DEF_DOMAIN:
	case IKEV1_CA_UNITY_SPLITDNS_NAME: case IKEV1_CA_UNITY_BACKUP_SERVERS:
	case IKEV1_CA_UNITY_DDNS_HOSTNAME:
		return true;
	default:
		return false;
	}
}

static bool cfg_ip4(uint16_t type)
{
	return type == IKEV1_CA_INTERNAL_IP4_ADDRESS || type == IKEV1_CA_INTERNAL_IP4_NETMASK ||
	       type == IKEV1_CA_INTERNAL_IP4_DNS || type == IKEV1_CA_INTERNAL_IP4_NBNS ||
	       type == IKEV1_CA_INTERNAL_IP4_DHCP;
}

static void dump_cfg_attr(const struct ikev1_attr *a, const struct ikev1_dump_out *o)
{
	const char *name = ikev1_cfg_attr_name(a->type);
	const uint8_t *v = a->value.data;
	size_t len = a->value.len;
	char addr[INET_ADDRSTRLEN];
	if (cfg_secret(a->type) && (a->tv || len))
		out(o, IND "attribute %s (%u): <hidden>", name, a->type);
	else if (a->tv)
		out(o, IND "attribute %s (%u) value %u", name, a->type, a->tv_value);
	else if (len == 0)
		out(o, IND "attribute %s (%u)", name, a->type);
	else if (cfg_ip4(a->type) && len == 4)
		out(o, IND "attribute %s (%u): %s", name, a->type,
		    inet_ntop(AF_INET, v, addr, sizeof(addr)));
	else if (cfg_text(a->type) && is_printable(v, len))
		out(o, IND "attribute %s (%u): %.*s", name, a->type, (int)len, (const char *)v);
	else
		out(o, IND "attribute %s (%u) length %zu", name, a->type, len);
}

IKEV1_DUMP_FN(attr)
{
	static const char *const types[] = { "0", "CFG_REQUEST", "CFG_REPLY", "CFG_SET", "CFG_ACK" };
	const struct ikev1_cfg *c = &m->cfg;
	if (c->type < sizeof(types) / sizeof(types[0]))
		out(o, "ISAKMP: Config payload %s, identifier %u", types[c->type], c->identifier);
	else
		out(o, "ISAKMP: Config payload type %u, identifier %u", c->type, c->identifier);
	for (unsigned i = 0; i < c->n && i < IKEV1_MAX_CFG_ATTRS; i++)
		dump_cfg_attr(&c->a[i], o);
}

IKEV1_DUMP_FN(natd)
{
	out(o, IND "NAT-D hash length %zu", m->natd[idx].len);
}

IKEV1_DUMP_FN(natoa)
{
	const struct ikev1_blob *a = &m->natoa[idx];
	char addr[INET6_ADDRSTRLEN];
	if (a->len == 4 || a->len == 16)
		out(o, IND "NAT-OA %s",
		    inet_ntop(a->len == 4 ? AF_INET : AF_INET6, a->data, addr, sizeof(addr)));
	else
		out(o, IND "NAT-OA length %zu", a->len);
}

IKEV1_DUMP_FN(frag)
{
	const struct ikev1_frag *f = &m->frag;
	out(o, IND "fragment id %u, number %u%s, data length %zu", f->id, f->num,
	    f->last ? ", last" : "", f->data.len);
}

/* ---- message ------------------------------------------------------------------- */

/* Summary label of one payload: "SA", "VID(Unity)", "N(INITIAL-CONTACT)",
 * "UNKNOWN(200)". */
static void payload_label(const struct ikev1_msg *m, uint8_t type, unsigned idx, char *buf,
			  size_t len)
{
	const struct ikev1_pl_desc *d = ikev1_pl_find(type);
	if (!d) {
		snprintf(buf, len, "UNKNOWN(%u)", type);
	} else if (type == IKEV1_PL_N && idx < m->n_notify) {
		const char *s = ikev1_notify_name(m->notify[idx].type);
		if (s)
			snprintf(buf, len, "N(%s)", s);
		else
			snprintf(buf, len, "N(%u)", m->notify[idx].type);
	} else if (type == IKEV1_PL_VID && idx < m->n_vendor &&
		   ikev1_vid_match(m->vendor[idx].data, m->vendor[idx].len) != IKEV1_VID_COUNT) {
		snprintf(buf, len, "VID(%s)",
			 ikev1_vid_name(ikev1_vid_match(m->vendor[idx].data, m->vendor[idx].len)));
	} else {
		snprintf(buf, len, "%s", d->name);
	}
}

static void dump_header(const struct ikev1_hdr *h, const struct ikev1_dump_out *o)
{
	out(o, "ISAKMP: header: exchange %s (%u), flags 0x%02x, message ID = %u, length %u",
	    ikev1_exchange_name(h->exchange), h->exchange, h->flags, h->msg_id, h->length);
	out(o, "ISAKMP:   cookies %016llx %016llx, version %u.%u, next payload %s (%u)",
	    (unsigned long long)h->spi_i, (unsigned long long)h->spi_r, h->version >> 4,
	    h->version & 0x0f, ikev1_payload_name(h->next_payload), h->next_payload);
}

void ikev1_msg_dump(const struct ikev1_msg *m, void (*line)(void *arg, const char *text),
		    void *arg)
{
	const struct ikev1_dump_out o = { line, arg };
	unsigned seen[IKEV1_SLOT_COUNT] = { 0 };
	dump_header(&m->hdr, &o);
	for (unsigned i = 0; i < m->n_order && i < IKEV1_MAX_PAYLOADS; i++) {
		uint8_t type = m->order[i];
		uint8_t next = i + 1 < m->n_order ? m->order[i + 1] : IKEV1_PL_NONE;
		out(&o, "ISAKMP:   payload %s (%u), next %s, length %u", ikev1_payload_name(type), type,
		    ikev1_payload_name(next), m->order_len[i]);
		const struct ikev1_pl_desc *d = ikev1_pl_find(type);
		if (!d)
			continue;
		unsigned idx = seen[d->slot]++;
		if (idx < d->max)
			d->dump(m, idx, &o);
	}
}

void ikev1_msg_summary(const struct ikev1_msg *m, char *out_buf, size_t out_len)
{
	unsigned seen[IKEV1_SLOT_COUNT] = { 0 };
	size_t used = 0;
	if (out_len == 0)
		return;
	out_buf[0] = '\0';
	for (unsigned i = 0; i < m->n_order && i < IKEV1_MAX_PAYLOADS; i++) {
		uint8_t type = m->order[i];
		const struct ikev1_pl_desc *d = ikev1_pl_find(type);
		unsigned idx = d ? seen[d->slot]++ : 0;
		char label[64];
		payload_label(m, type, idx, label, sizeof(label));
		int n = snprintf(out_buf + used, out_len - used, "%s%s", i ? " " : "", label);
		if (n < 0 || (size_t)n >= out_len - used)
			return;   /* truncated, still NUL-terminated */
		used += (size_t)n;
	}
}
