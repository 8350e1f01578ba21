/* IKEv1 codec: round trips of every payload, vpnc's Aggressive Mode and
 * Quick Mode SAs and Mode Config request built byte by byte from their
 * documented layout (protocol.md §1.3, §1.7, §1.8), attribute decoding
 * rules, malformed and truncated inputs, after_hash, padding, vendor IDs
 * and the debug dump. */
#include "../t.h"

#include "base/buf.h"
#include "wire/ikev1.h"
#include "wire/ikev1_pl.h"

/* ---- raw byte builder (independent of the codec's writer) -------------------- */

struct raw {
	uint8_t d[8192];
	size_t n;
};

static void r8(struct raw *r, unsigned v) { r->d[r->n++] = (uint8_t)v; }
static void r16(struct raw *r, unsigned v) { r8(r, v >> 8); r8(r, v & 0xff); }
static void r32(struct raw *r, uint32_t v) { r16(r, v >> 16); r16(r, v & 0xffff); }
static void rbytes(struct raw *r, const void *p, size_t n)
{
	memcpy(r->d + r->n, p, n);
	r->n += n;
}
static void rpatch16(struct raw *r, size_t off, size_t v)
{
	r->d[off] = (uint8_t)(v >> 8);
	r->d[off + 1] = (uint8_t)v;
}
/* A generic payload header; returns its offset for rend(). */
static size_t rstart(struct raw *r, unsigned next)
{
	size_t off = r->n;
	r8(r, next);
	r8(r, 0);
	r16(r, 0);
	return off;
}
static void rend(struct raw *r, size_t off)
{
	rpatch16(r, off + 2, r->n - off);
}
static void rhdr(struct raw *r, unsigned first, unsigned exchange, unsigned flags, uint32_t msg_id)
{
	r32(r, 0x11223344); r32(r, 0x55667788);   /* CKY-I */
	r32(r, 0); r32(r, 0);                     /* CKY-R */
	r8(r, first);
	r8(r, IKEV1_VERSION);
	r8(r, exchange);
	r8(r, flags);
	r32(r, msg_id);
	r32(r, 0);                                /* patched by rfinish */
}
static void rfinish(struct raw *r)
{
	r->d[24] = (uint8_t)(r->n >> 24);
	r->d[25] = (uint8_t)(r->n >> 16);
	r->d[26] = (uint8_t)(r->n >> 8);
	r->d[27] = (uint8_t)r->n;
}

/* ---- helpers ------------------------------------------------------------- */

static struct ikev1_hdr test_hdr(uint8_t exchange, uint32_t msg_id)
{
	struct ikev1_hdr h = {
		.spi_i = 0x1122334455667788ULL,
		.spi_r = 0x99aabbccddeeff00ULL,
		.version = IKEV1_VERSION,
		.exchange = exchange,
		.msg_id = msg_id,
	};
	return h;
}

static void begin(struct ikev1_wr *w, struct buf *b, uint8_t exchange)
{
	struct ikev1_hdr h = test_hdr(exchange, 0);
	buf_init(b);
	ikev1_w_begin(w, b, &h);
}

static int parse_checked(const uint8_t *p, size_t n, struct ikev1_msg *m)
{
	struct ikev1_parse_err err;
	int rc = ikev1_parse_message(p, n, m, &err);
	if (rc != 0)
		fprintf(stderr, "  parse failed: status %d payload %u: %s\n", err.status, err.payload,
			err.why ? err.why : "");
	return rc;
}

static int finish_parse(struct ikev1_wr *w, struct ikev1_msg *m)
{
	T_CHECK(ikev1_w_finish(w));
	return parse_checked(w->b->data, w->b->len, m);
}

/* parse -> ikev1_w_chain -> the same bytes. */
static void check_re_emits_identically(const uint8_t *p, size_t n)
{
	static struct ikev1_msg m;
	struct buf b;
	struct ikev1_wr w;
	T_EQ_INT(parse_checked(p, n, &m), 0);
	buf_init(&b);
	ikev1_w_begin(&w, &b, &m.hdr);
	ikev1_w_chain(&w, &m);
	T_CHECK(ikev1_w_finish(&w));
	T_EQ_INT(b.len, n);
	if (b.len == n)
		T_EQ_MEM(b.data, p, n);
	buf_free(&b);
}

static enum ikev1_parse_status status_of(const uint8_t *p, size_t n, struct ikev1_parse_err *err)
{
	static struct ikev1_msg m;
	memset(err, 0, sizeof(*err));
	if (ikev1_parse_message(p, n, &m, err) == 0)
		return IKEV1_PARSE_OK;
	T_CHECK(err->status != IKEV1_PARSE_OK);
	T_CHECK(err->why != NULL);
	return err->status;
}

static const uint8_t nonce20[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				     17, 18, 19, 20 };

/* ---- vpnc's messages, byte by byte ---------------------------------------------- */

/* One Oakley transform in vpnc's attribute order (protocol.md §1.3):
 * [14 key length] 1 enc, 2 hash, 4 group, 3 auth, 11 life type, 12 life
 * duration 2147483 as a 4-byte TLV. */
static void raw_p1_transform(struct raw *r, bool last, unsigned num, unsigned auth,
			     unsigned encr, unsigned keylen, unsigned hash)
{
	size_t off = rstart(r, last ? 0 : 3);
	r8(r, num);
	r8(r, IKEV1_KEY_IKE);
	r16(r, 0);
	if (keylen) {
		r16(r, 0x8000 | 14);
		r16(r, keylen);
	}
	r16(r, 0x8000 | 1); r16(r, encr);
	r16(r, 0x8000 | 2); r16(r, hash);
	r16(r, 0x8000 | 4); r16(r, 2);
	r16(r, 0x8000 | 3); r16(r, auth);
	r16(r, 0x8000 | 11); r16(r, 1);
	r16(r, 12); r16(r, 4); r32(r, 2147483);
	rend(r, off);
}

struct p1_row {
	unsigned encr, keylen, hash;
};
static const struct p1_row vpnc_p1_rows[12] = {
	{ 7, 256, 2 }, { 7, 256, 1 }, { 7, 192, 2 }, { 7, 192, 1 }, { 7, 128, 2 }, { 7, 128, 1 },
	{ 5, 0, 2 }, { 5, 0, 1 }, { 1, 0, 2 }, { 1, 0, 1 }, { 0, 0, 2 }, { 0, 0, 1 },
};

static unsigned vpnc_p1_auth(unsigned i)
{
	return i < 12 ? IKEV1_AUTH_XAUTH_INIT_PSK : IKEV1_AUTH_PSK;
}

/* AM1 (protocol.md §1.4): SA, KE, NONCE, ID(KEY_ID "vpngroup", UDP 500),
 * VID XAUTH, VID Unity, NAT-T VIDs, VID DPD. */
static void build_vpnc_am1(struct raw *r)
{
	static const enum ikev1_vid vids[] = {
		IKEV1_VID_XAUTH, IKEV1_VID_UNITY, IKEV1_VID_NATT_RFC, IKEV1_VID_NATT_03,
		IKEV1_VID_NATT_02N, IKEV1_VID_NATT_02, IKEV1_VID_NATT_01, IKEV1_VID_NATT_00,
		IKEV1_VID_DPD,
	};
	uint8_t ke[128];
	memset(ke, 0x5a, sizeof(ke));
	r->n = 0;
	rhdr(r, IKEV1_PL_SA, IKEV1_X_AGGRESSIVE, 0, 0);
	size_t sa = rstart(r, IKEV1_PL_KE);
	r32(r, IKEV1_DOI_IPSEC);
	r32(r, IKEV1_SIT_IDENTITY_ONLY);
	size_t prop = rstart(r, 0);
	r8(r, 0);            /* proposal number left 0 */
	r8(r, IKEV1_PROTO_ISAKMP);
	r8(r, 0);            /* no SPI */
	r8(r, 24);
	for (unsigned i = 0; i < 24; i++) {
		const struct p1_row *row = &vpnc_p1_rows[i % 12];
		raw_p1_transform(r, i == 23, i, vpnc_p1_auth(i), row->encr, row->keylen, row->hash);
	}
	rend(r, prop);
	rend(r, sa);
	size_t off = rstart(r, IKEV1_PL_NONCE);
	rbytes(r, ke, sizeof(ke));
	rend(r, off);
	off = rstart(r, IKEV1_PL_ID);
	rbytes(r, nonce20, sizeof(nonce20));
	rend(r, off);
	off = rstart(r, IKEV1_PL_VID);
	r8(r, IKEV1_ID_KEY_ID);
	r8(r, 17);
	r16(r, 500);
	rbytes(r, "vpngroup", 8);
	rend(r, off);
	for (unsigned i = 0; i < sizeof(vids) / sizeof(vids[0]); i++) {
		size_t len;
		const uint8_t *v = ikev1_vid_bytes(vids[i], &len);
		off = rstart(r, i + 1 < sizeof(vids) / sizeof(vids[0]) ? IKEV1_PL_VID : 0);
		rbytes(r, v, len);
		rend(r, off);
	}
	rfinish(r);
}

static void vpnc_aggressive_mode_sa_decodes_24_transforms(void)
{
	static struct raw r;
	static struct ikev1_msg m;
	build_vpnc_am1(&r);
	T_EQ_INT(parse_checked(r.d, r.n, &m), 0);
	T_EQ_INT(m.hdr.exchange, IKEV1_X_AGGRESSIVE);
	T_EQ_INT(m.sa.doi, 1);
	T_EQ_INT(m.sa.situation, 1);
	T_EQ_INT(m.sa.n, 1);
	T_EQ_INT(m.sa.p[0].num, 0);
	T_EQ_INT(m.sa.p[0].protocol, IKEV1_PROTO_ISAKMP);
	T_EQ_INT(m.sa.p[0].n_transforms, 24);
	T_EQ_INT(m.sa.n_t, 24);
	const struct ikev1_transform *t = ikev1_proposal_transforms(&m.sa, 0);
	for (unsigned i = 0; i < 24; i++) {
		const struct p1_row *row = &vpnc_p1_rows[i % 12];
		T_EQ_INT(t[i].num, i);
		T_EQ_INT(t[i].id, IKEV1_KEY_IKE);
		T_EQ_INT(t[i].encr, row->encr);
		T_EQ_INT(t[i].key_bits, row->keylen);
		T_EQ_INT(t[i].hash, row->hash);
		T_EQ_INT(t[i].group, 2);
		T_EQ_INT(t[i].auth, vpnc_p1_auth(i));
		T_EQ_INT(t[i].life_sec, 2147483);
		T_EQ_INT(t[i].life_kb, 0);
		T_CHECK(!t[i].unknown_attr);
	}
	/* the null transforms still decode the rest of their attributes */
	T_EQ_INT(t[10].encr, 0);
	T_EQ_INT(t[10].hash, IKEV1_HASH_SHA1);
	/* SAi_b: the SA body from the DOI on */
	T_CHECK(m.sa.body.data == r.d + 28 + 4);
	T_EQ_INT(m.sa.body.len, (size_t)((r.d[28 + 2] << 8 | r.d[28 + 3]) - 4));
	T_EQ_INT(m.ke.len, 128);
	T_EQ_INT(m.nonce.len, 20);
	T_EQ_INT(m.n_id, 1);
	T_EQ_INT(m.id[0].type, IKEV1_ID_KEY_ID);
	T_EQ_INT(m.id[0].proto, 17);
	T_EQ_INT(m.id[0].port, 500);
	T_EQ_INT(m.id[0].data.len, 8);
	T_EQ_MEM(m.id[0].data.data, "vpngroup", 8);
	T_EQ_INT(m.id[0].body.len, 12);
	T_CHECK(m.id[0].body.data + 4 == m.id[0].data.data);
	T_EQ_INT(m.n_vendor, 9);
	size_t len;
	const uint8_t *u = ikev1_vid_bytes(IKEV1_VID_UNITY, &len);
	T_CHECK(ikev1_msg_has_vendor(&m, u, len, false));
	T_CHECK(ikev1_msg_has_vendor(&m, u, 14, true));
	T_CHECK(!ikev1_msg_has_vendor(&m, u, 14, false));
	T_EQ_INT(m.n_order, 13);
	T_EQ_INT(m.chain_len, r.n - 28);
	T_CHECK(IKEV1_PRESENT(&m, IKEV1_PL_SA) && IKEV1_PRESENT(&m, IKEV1_PL_VID));
	T_CHECK(!IKEV1_PRESENT(&m, IKEV1_PL_HASH));
	T_CHECK(m.after_hash.data == NULL && m.after_hash.len == 0);
	char s[512];
	ikev1_msg_summary(&m, s, sizeof(s));
	T_EQ_STR(s, "SA KE NONCE ID VID(XAUTH) VID(Unity) VID(NAT-T RFC 3947) VID(NAT-T draft-03) "
		    "VID(NAT-T draft-02n) VID(NAT-T draft-02) VID(NAT-T draft-01) "
		    "VID(NAT-T draft-00) VID(DPD)");
}

static void vpnc_aggressive_mode_re_emits_byte_for_byte(void)
{
	static struct raw r;
	build_vpnc_am1(&r);
	check_re_emits_identically(r.d, r.n);
}

/* ikev1_w_sa writes vpnc's own attribute order, so the AES-256/SHA1
 * transform written from decoded fields equals vpnc's bytes. */
static void sa_writer_uses_vpnc_attribute_order_and_4_byte_tlv_duration(void)
{
	static struct raw r;
	static struct ikev1_sa sa;
	memset(&sa, 0, sizeof(sa));
	sa.doi = IKEV1_DOI_IPSEC;
	sa.situation = IKEV1_SIT_IDENTITY_ONLY;
	sa.n = 1;
	sa.p[0].protocol = IKEV1_PROTO_ISAKMP;
	sa.p[0].n_transforms = 1;
	sa.n_t = 1;
	sa.t[0] = (struct ikev1_transform){ .num = 0, .id = 1, .key_bits = 256, .encr = 7,
					    .hash = 2, .group = 2, .auth = 65001,
					    .life_sec = 2147483 };
	r.n = 0;
	rhdr(&r, IKEV1_PL_SA, IKEV1_X_AGGRESSIVE, 0, 0);
	size_t off = rstart(&r, 0);
	r32(&r, 1);
	r32(&r, 1);
	size_t prop = rstart(&r, 0);
	r8(&r, 0); r8(&r, 1); r8(&r, 0); r8(&r, 1);
	raw_p1_transform(&r, true, 0, 65001, 7, 256, 2);
	rend(&r, prop);
	rend(&r, off);
	rfinish(&r);

	struct buf b;
	struct ikev1_wr w;
	struct ikev1_hdr h = test_hdr(IKEV1_X_AGGRESSIVE, 0);
	h.spi_r = 0;
	buf_init(&b);
	ikev1_w_begin(&w, &b, &h);
	ikev1_w_sa(&w, &sa);
	T_CHECK(ikev1_w_finish(&w));
	T_EQ_INT(b.len, r.n);
	if (b.len == r.n)
		T_EQ_MEM(b.data, r.d, r.n);
	buf_free(&b);
}

/* QM1 (protocol.md §1.8): HASH(1), SA with 12 one-transform ESP proposals
 * with a 4-byte SPI, NONCE, ID_ci, ID_cr. */
static void build_vpnc_qm1(struct raw *r)
{
	static const unsigned esp[12] = { 12, 12, 12, 12, 12, 12, 3, 3, 2, 2, 11, 11 };
	static const unsigned keylen[12] = { 256, 256, 192, 192, 128, 128, 0, 0, 0, 0, 0, 0 };
	r->n = 0;
	rhdr(r, IKEV1_PL_HASH, IKEV1_X_QUICK, 0, 0x12345678);
	size_t off = rstart(r, IKEV1_PL_SA);
	for (unsigned i = 0; i < 20; i++)
		r8(r, 0xa0 + i);
	rend(r, off);
	size_t sa = rstart(r, IKEV1_PL_NONCE);
	r32(r, 1);
	r32(r, 1);
	for (unsigned i = 0; i < 12; i++) {
		size_t prop = rstart(r, i == 11 ? 0 : 2);
		r8(r, i);
		r8(r, IKEV1_PROTO_ESP);
		r8(r, 4);
		r8(r, 1);
		r32(r, 0xc0de0000u + i);
		size_t t = rstart(r, 0);
		r8(r, 1);
		r8(r, esp[i]);
		r16(r, 0);
		if (keylen[i]) {
			r16(r, 0x8000 | 6);
			r16(r, keylen[i]);
		}
		r16(r, 0x8000 | 4); r16(r, 1);
		r16(r, 0x8000 | 5); r16(r, i % 2 ? 1 : 2);
		r16(r, 0x8000 | 1); r16(r, 1);
		r16(r, 2); r16(r, 4); r32(r, 2147483);
		rend(r, t);
		rend(r, prop);
	}
	rend(r, sa);
	off = rstart(r, IKEV1_PL_ID);
	rbytes(r, nonce20, sizeof(nonce20));
	rend(r, off);
	off = rstart(r, IKEV1_PL_ID);
	r8(r, IKEV1_ID_IPV4_ADDR); r8(r, 0); r16(r, 0);
	r32(r, 0x0a010064);     /* 10.1.0.100 */
	rend(r, off);
	off = rstart(r, 0);
	r8(r, IKEV1_ID_IPV4_ADDR_SUBNET); r8(r, 0); r16(r, 0);
	r32(r, 0);
	r32(r, 0);
	rend(r, off);
	rfinish(r);
}

static void vpnc_quick_mode_sa_keeps_12_proposals_with_spis(void)
{
	static struct raw r;
	static struct ikev1_msg m;
	build_vpnc_qm1(&r);
	T_EQ_INT(parse_checked(r.d, r.n, &m), 0);
	T_EQ_INT(m.hdr.msg_id, 0x12345678);
	T_EQ_INT(m.sa.n, 12);
	T_EQ_INT(m.sa.n_t, 12);
	for (unsigned i = 0; i < 12; i++) {
		const struct ikev1_proposal *p = &m.sa.p[i];
		const struct ikev1_transform *t = ikev1_proposal_transforms(&m.sa, i);
		T_EQ_INT(p->num, i);
		T_EQ_INT(p->protocol, IKEV1_PROTO_ESP);
		T_EQ_INT(p->spi_size, 4);
		T_EQ_INT(p->spi[3], i);
		T_EQ_INT(p->spi[0], 0xc0);
		T_EQ_INT(p->n_transforms, 1);
		T_EQ_INT(p->first, i);
		T_EQ_INT(t->encap, IKEV1_ENCAP_TUNNEL);
		T_EQ_INT(t->auth_alg, i % 2 ? IKEV1_AUTH_HMAC_MD5 : IKEV1_AUTH_HMAC_SHA1);
		T_EQ_INT(t->life_sec, 2147483);
		T_CHECK(!t->unknown_attr);
	}
	T_EQ_INT(m.sa.t[0].id, IKEV1_ESP_AES);
	T_EQ_INT(m.sa.t[0].key_bits, 256);
	T_EQ_INT(m.sa.t[10].id, IKEV1_ESP_NULL);
	T_EQ_INT(m.n_id, 2);
	T_EQ_INT(m.id[0].type, IKEV1_ID_IPV4_ADDR);
	T_EQ_INT(m.id[1].type, IKEV1_ID_IPV4_ADDR_SUBNET);
	T_EQ_INT(m.id[1].data.len, 8);
	/* HASH(1) covers everything after the HASH payload */
	T_EQ_INT(m.hash.len, 20);
	T_CHECK(m.after_hash.data == r.d + 28 + 24);
	T_EQ_INT(m.after_hash.len, r.n - 28 - 24);
	check_re_emits_identically(r.d, r.n);
}

/* Mode Config CFG_REQUEST as vpnc sends it (protocol.md §1.7). */
static void build_vpnc_cfg_request(struct raw *r, size_t *attr_off)
{
	static const unsigned empty1[] = { 1, 2, 3, 4, 28674 };
	static const unsigned empty2[] = { 28679, 28672, 28673, 28676, 28675 };
	static const uint8_t fw[12] = { 0x80, 0x01, 0x00, 0x01, 0x80, 0x02, 0x00, 0x01,
					0x80, 0x03, 0x00, 0x02 };
	const char *appver = "Cisco Systems VPN Client 0.5.3:Linux";
	r->n = 0;
	rhdr(r, IKEV1_PL_HASH, IKEV1_X_TRANSACTION, 0, 0x0badcafe);
	size_t off = rstart(r, IKEV1_PL_ATTR);
	for (unsigned i = 0; i < 20; i++)
		r8(r, i);
	rend(r, off);
	off = rstart(r, 0);
	*attr_off = off;
	r8(r, IKEV1_CFG_REQUEST);
	r8(r, 0);
	r16(r, 20);
	for (unsigned i = 0; i < 5; i++) {
		r16(r, empty1[i]);
		r16(r, 0);
	}
	r16(r, 28680); r16(r, sizeof(fw)); rbytes(r, fw, sizeof(fw));
	for (unsigned i = 0; i < 5; i++) {
		r16(r, empty2[i]);
		r16(r, 0);
	}
	r16(r, 28682); r16(r, 4); rbytes(r, "host", 4);
	r16(r, 7); r16(r, (unsigned)strlen(appver)); rbytes(r, appver, strlen(appver));
	rend(r, off);
	rfinish(r);
}

static void vpnc_mode_config_request_lists_attributes_in_order(void)
{
	static struct raw r;
	static struct ikev1_msg m;
	size_t attr_off;
	build_vpnc_cfg_request(&r, &attr_off);
	T_EQ_INT(parse_checked(r.d, r.n, &m), 0);
	T_EQ_INT(m.cfg.type, IKEV1_CFG_REQUEST);
	T_EQ_INT(m.cfg.identifier, 20);
	T_EQ_INT(m.cfg.n, 13);
	static const unsigned order[] = { 1, 2, 3, 4, 28674, 28680, 28679, 28672, 28673, 28676,
					  28675, 28682, 7 };
	for (unsigned i = 0; i < 13; i++) {
		T_EQ_INT(m.cfg.a[i].type, order[i]);
		T_CHECK(!m.cfg.a[i].tv);
	}
	T_EQ_INT(m.cfg.a[0].value.len, 0);
	const struct ikev1_attr *fw = ikev1_cfg_attr(&m.cfg, IKEV1_CA_UNITY_FW_TYPE);
	T_CHECK(fw && fw->value.len == 12);
	const struct ikev1_attr *av = ikev1_cfg_attr(&m.cfg, IKEV1_CA_APPLICATION_VERSION);
	T_CHECK(av && av->value.len == 36 && memcmp(av->value.data, "Cisco Systems", 13) == 0);
	T_CHECK(ikev1_cfg_attr(&m.cfg, IKEV1_CA_UNITY_NATT_PORT) == NULL);
	T_CHECK(m.after_hash.data == r.d + attr_off);
	T_EQ_INT(m.after_hash.len, r.n - attr_off);
	check_re_emits_identically(r.d, r.n);
}

/* ---- round trips of every payload ---------------------------------------------- */

static void phase2_sa_round_trip_keeps_fields_spi_and_life_pairs(void)
{
	static struct ikev1_sa sa;
	static struct ikev1_msg m;
	memset(&sa, 0, sizeof(sa));
	sa.doi = 1;
	sa.situation = 1;
	sa.n = 2;
	sa.p[0] = (struct ikev1_proposal){ .num = 1, .protocol = IKEV1_PROTO_ESP, .spi_size = 4,
					   .spi = { 0xde, 0xad, 0xbe, 0xef }, .n_transforms = 2,
					   .first = 0 };
	sa.p[1] = (struct ikev1_proposal){ .num = 1, .protocol = IKEV1_PROTO_AH, .spi_size = 4,
					   .spi = { 1, 2, 3, 4 }, .n_transforms = 1, .first = 2 };
	sa.n_t = 3;
	sa.t[0] = (struct ikev1_transform){ .num = 1, .id = IKEV1_ESP_AES, .key_bits = 128,
					    .encap = IKEV1_ENCAP_UDP_TUNNEL, .auth_alg = 2,
					    .pfs_group = 14, .life_sec = 28800, .life_kb = 4608000 };
	sa.t[1] = (struct ikev1_transform){ .num = 2, .id = IKEV1_ESP_3DES, .encap = 1,
					    .auth_alg = 1, .life_sec = 100000 };
	sa.t[2] = (struct ikev1_transform){ .num = 1, .id = 3, .encap = 1, .auth_alg = 2 };
	struct buf b;
	struct ikev1_wr w;
	begin(&w, &b, IKEV1_X_QUICK);
	ikev1_w_sa(&w, &sa);
	T_EQ_INT(finish_parse(&w, &m), 0);
	T_EQ_INT(m.sa.n, 2);
	T_EQ_INT(m.sa.n_t, 3);
	T_EQ_INT(m.sa.p[1].num, 1);     /* repeated proposal number kept (AND) */
	T_EQ_INT(m.sa.p[1].first, 2);
	T_EQ_MEM(m.sa.p[0].spi, sa.p[0].spi, 4);
	for (unsigned i = 0; i < 3; i++) {
		const struct ikev1_transform *a = &sa.t[i], *g = &m.sa.t[i];
		T_EQ_INT(g->num, a->num);
		T_EQ_INT(g->id, a->id);
		T_EQ_INT(g->key_bits, a->key_bits);
		T_EQ_INT(g->encap, a->encap);
		T_EQ_INT(g->auth_alg, a->auth_alg);
		T_EQ_INT(g->pfs_group, a->pfs_group);
		T_EQ_INT(g->life_sec, a->life_sec);
		T_EQ_INT(g->life_kb, a->life_kb);
		T_CHECK(!g->unknown_attr);
	}
	check_re_emits_identically(b.data, b.len);
	buf_free(&b);
}

static void every_other_payload_round_trips(void)
{
	static struct ikev1_msg m;
	static const uint8_t cert[] = { 0x30, 0x82, 0x01, 0x00, 0xaa };
	static const uint8_t spi16[16] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
					   0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00 };
	static const uint8_t seq[4] = { 0, 0, 0x12, 0x34 };
	static const uint8_t spis[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t ip4[4] = { 192, 0, 2, 1 };
	struct buf b;
	struct ikev1_wr w;
	begin(&w, &b, IKEV1_X_MAIN);
	size_t hash_off = ikev1_w_hash(&w, IKEV1_PL_HASH, 20);
	memset(b.data + hash_off, 0xab, 20);
	ikev1_w_ke(&w, nonce20, 20);
	ikev1_w_nonce(&w, nonce20, 16);
	ikev1_w_id(&w, IKEV1_ID_IPV4_ADDR, 17, 500, ip4, 4);
	ikev1_w_cert(&w, IKEV1_PL_CERT, 4, cert, sizeof(cert));
	ikev1_w_cert(&w, IKEV1_PL_CR, 4, NULL, 0);
	size_t sig_off = ikev1_w_hash(&w, IKEV1_PL_SIG, 8);
	ikev1_w_notify(&w, 1, IKEV1_PROTO_ISAKMP, spi16, 16, IKEV1_N_R_U_THERE, seq, 4);
	ikev1_w_delete(&w, 1, IKEV1_PROTO_ESP, 4, spis, 2);
	ikev1_w_vendor(&w, (const uint8_t *)"CISCOVPN-REV-02", 15);
	struct ikev1_cfg c = { .type = IKEV1_CFG_SET, .identifier = 7, .n = 2 };
	c.a[0] = (struct ikev1_attr){ .type = IKEV1_CA_XAUTH_STATUS, .tv = true, .tv_value = 1 };
	c.a[1] = (struct ikev1_attr){ .type = IKEV1_CA_XAUTH_MESSAGE,
				      .value = { (const uint8_t *)"ok", 2 } };
	ikev1_w_cfg(&w, &c);
	ikev1_w_natd(&w, false, nonce20, 20);
	ikev1_w_natd(&w, true, nonce20, 16);
	ikev1_w_natoa(&w, false, ip4, 4);
	ikev1_w_frag(&w, 0x0102, 3, true, cert, sizeof(cert));
	T_EQ_INT(finish_parse(&w, &m), 0);
	T_EQ_INT(m.n_order, 15);
	T_EQ_INT(m.hash.len, 20);
	T_EQ_INT(m.hash.data[0], 0xab);
	T_CHECK(m.hash.data == b.data + hash_off);
	T_EQ_INT(sig_off, (size_t)(m.sig.data - b.data));
	T_EQ_INT(m.sig.len, 8);
	T_EQ_INT(m.ke.len, 20);
	T_EQ_INT(m.nonce.len, 16);
	T_EQ_INT(m.id[0].port, 500);
	T_EQ_MEM(m.id[0].data.data, ip4, 4);
	T_EQ_INT(m.n_cert, 1);
	T_EQ_INT(m.cert[0].encoding, 4);
	T_EQ_INT(m.cert[0].data.len, sizeof(cert));
	T_EQ_INT(m.n_cr, 1);
	T_EQ_INT(m.cr[0].data.len, 0);
	const struct ikev1_notify *n = ikev1_msg_notify(&m, IKEV1_N_R_U_THERE);
	T_CHECK(n != NULL);
	if (n) {
		T_EQ_INT(n->doi, 1);
		T_EQ_INT(n->protocol, IKEV1_PROTO_ISAKMP);
		T_EQ_INT(n->spi.len, 16);
		T_EQ_MEM(n->spi.data, spi16, 16);
		T_EQ_INT(n->data.len, 4);
		T_EQ_MEM(n->data.data, seq, 4);
	}
	T_CHECK(ikev1_msg_notify(&m, IKEV1_N_INITIAL_CONTACT) == NULL);
	T_EQ_INT(m.n_delete, 1);
	T_EQ_INT(m.del[0].n_spi, 2);
	T_EQ_INT(m.del[0].spi_size, 4);
	T_EQ_MEM(m.del[0].spis.data, spis, 8);
	T_EQ_INT(m.n_vendor, 1);
	T_EQ_INT(m.cfg.type, IKEV1_CFG_SET);
	T_EQ_INT(m.cfg.identifier, 7);
	T_EQ_INT(m.cfg.n, 2);
	T_CHECK(m.cfg.a[0].tv && m.cfg.a[0].tv_value == 1);
	T_EQ_INT(m.cfg.a[1].value.len, 2);
	T_EQ_INT(m.n_natd, 2);
	T_CHECK(m.have_natd_draft);
	T_CHECK(IKEV1_PRESENT(&m, IKEV1_PL_NATD) && IKEV1_PRESENT(&m, IKEV1_PL_NATD_DRAFT));
	T_EQ_INT(m.natd[1].len, 16);
	T_EQ_INT(m.n_natoa, 1);
	T_EQ_MEM(m.natoa[0].data, ip4, 4);
	T_EQ_INT(m.frag.id, 0x0102);
	T_EQ_INT(m.frag.num, 3);
	T_CHECK(m.frag.last);
	T_CHECK(IKEV1_PRESENT(&m, IKEV1_PL_FRAG));
	/* after HASH: from the KE generic header to the end of the chain */
	T_CHECK(m.after_hash.data == b.data + 28 + 24);
	T_EQ_INT(m.after_hash.len, b.len - 28 - 24);
	check_re_emits_identically(b.data, b.len);
	buf_free(&b);
}

/* ---- attribute decoding rules ------------------------------------------------ */

/* One ISAKMP proposal, one transform with the given raw attributes. */
static void build_p1_with_attrs(struct raw *r, const uint8_t *attrs, size_t n)
{
	r->n = 0;
	rhdr(r, IKEV1_PL_SA, IKEV1_X_MAIN, 0, 0);
	size_t sa = rstart(r, 0);
	r32(r, 1);
	r32(r, 1);
	size_t prop = rstart(r, 0);
	r8(r, 1); r8(r, IKEV1_PROTO_ISAKMP); r8(r, 0); r8(r, 1);
	size_t t = rstart(r, 0);
	r8(r, 1); r8(r, 1); r16(r, 0);
	rbytes(r, attrs, n);
	rend(r, t);
	rend(r, prop);
	rend(r, sa);
	rfinish(r);
}

static const struct ikev1_transform *p1_decode(const char *hex)
{
	static struct raw r;
	static struct ikev1_msg m;
	uint8_t a[256];
	size_t n = t_unhex(hex, a, sizeof(a));
	build_p1_with_attrs(&r, a, n);
	memset(&m, 0, sizeof(m));
	T_EQ_INT(parse_checked(r.d, r.n, &m), 0);
	return &m.sa.t[0];
}

static void life_duration_tv_tlv_and_saturation(void)
{
	/* seconds as TV, kilobytes as a 3-byte TLV */
	const struct ikev1_transform *t = p1_decode("800b0001 800c7080 800b0002 000c0003 010000");
	T_EQ_INT(t->life_sec, 28800);
	T_EQ_INT(t->life_kb, 65536);
	T_CHECK(!t->unknown_attr);
	/* 8-byte TLV beyond 32 bits saturates */
	t = p1_decode("800b0001 000c0008 0000000100000000");
	T_EQ_INT(t->life_sec, UINT32_MAX);
	T_CHECK(!t->unknown_attr);
	/* 8-byte TLV that fits */
	t = p1_decode("800b0001 000c0008 00000000ffffffff");
	T_EQ_INT(t->life_sec, UINT32_MAX);
	t = p1_decode("800b0001 000c0008 0000000000000e10");
	T_EQ_INT(t->life_sec, 3600);
	/* a 9-byte duration is not understood */
	t = p1_decode("800b0001 000c0009 000000000000000e10");
	T_CHECK(t->unknown_attr);
	T_EQ_INT(t->unknown_type, 12);
	T_EQ_INT(t->life_sec, 0);
	/* a duration without a life type before it */
	t = p1_decode("800c0e10");
	T_CHECK(t->unknown_attr);
	T_EQ_INT(t->unknown_type, 12);
	/* the last pair of a type wins */
	t = p1_decode("800b0001 800c0e10 800b0001 800c0708");
	T_EQ_INT(t->life_sec, 1800);
}

static void tlv_where_tv_required_and_unknown_attributes_mark_the_transform(void)
{
	/* encryption as TLV: unknown, but the hash still decodes */
	const struct ikev1_transform *t = p1_decode("00010002 0005 80020001");
	T_CHECK(t->unknown_attr);
	T_EQ_INT(t->unknown_type, IKEV1_A_ENCR);
	T_EQ_INT(t->encr, 0);
	T_EQ_INT(t->hash, 1);
	/* PRF (13) is not something we know: the first unknown is kept */
	t = p1_decode("800d0001 80050001 80010007");
	T_CHECK(t->unknown_attr);
	T_EQ_INT(t->unknown_type, IKEV1_A_PRF);
	T_EQ_INT(t->encr, 7);
	/* a life type that is neither seconds nor kilobytes */
	t = p1_decode("800b0003");
	T_CHECK(t->unknown_attr);
	/* encryption value 0 (vpnc "null") decodes like any other */
	t = p1_decode("80010000 80020002");
	T_CHECK(!t->unknown_attr);
	T_EQ_INT(t->encr, 0);
	T_EQ_INT(t->hash, 2);
}

static void transform_attribute_overrun_is_malformed(void)
{
	static struct raw r;
	struct ikev1_parse_err err;
	uint8_t a[8];
	size_t n = t_unhex("000c0008 00000e10", a, sizeof(a));   /* 8 announced, 4 present */
	build_p1_with_attrs(&r, a, n);
	T_EQ_INT(status_of(r.d, r.n, &err), IKEV1_PARSE_MALFORMED);
	T_EQ_INT(err.payload, IKEV1_PL_SA);
}

/* ---- structure errors ----------------------------------------------------------- */

static void unknown_payload_is_bad_payload_and_private_use_is_skipped(void)
{
	static struct raw r;
	static struct ikev1_msg m;
	struct ikev1_parse_err err;
	r.n = 0;
	rhdr(&r, IKEV1_PL_VID, IKEV1_X_MAIN, 0, 0);
	size_t off = rstart(&r, 17);
	r32(&r, 1);
	rend(&r, off);
	off = rstart(&r, 0);
	rend(&r, off);
	rfinish(&r);
	T_EQ_INT(status_of(r.d, r.n, &err), IKEV1_PARSE_BAD_PAYLOAD);
	T_EQ_INT(err.payload, 17);
	/* a Proposal payload at top level is unknown too */
	r.d[28] = IKEV1_PL_P;
	T_EQ_INT(status_of(r.d, r.n, &err), IKEV1_PARSE_BAD_PAYLOAD);
	T_EQ_INT(err.payload, IKEV1_PL_P);
	/* private use: skipped, recorded, not re-emitted */
	r.d[28] = 200;
	T_EQ_INT(parse_checked(r.d, r.n, &m), 0);
	T_EQ_INT(m.n_order, 2);
	T_EQ_INT(m.order[1], 200);
	T_EQ_INT(m.order_len[1], 4);
	T_EQ_INT(m.n_vendor, 1);
	char s[64];
	ikev1_msg_summary(&m, s, sizeof(s));
	T_EQ_STR(s, "VID UNKNOWN(200)");
}

static void repeated_single_payload_is_duplicate_and_too_many_ids_fail(void)
{
	struct ikev1_parse_err err;
	struct buf b;
	struct ikev1_wr w;
	begin(&w, &b, IKEV1_X_MAIN);
	ikev1_w_ke(&w, nonce20, 20);
	ikev1_w_ke(&w, nonce20, 20);
	T_CHECK(ikev1_w_finish(&w));
	T_EQ_INT(status_of(b.data, b.len, &err), IKEV1_PARSE_DUPLICATE);
	T_EQ_INT(err.payload, IKEV1_PL_KE);
	buf_free(&b);

	begin(&w, &b, IKEV1_X_QUICK);
	for (int i = 0; i < 3; i++)
		ikev1_w_id(&w, IKEV1_ID_IPV4_ADDR, 0, 0, nonce20, 4);
	T_CHECK(ikev1_w_finish(&w));
	T_EQ_INT(status_of(b.data, b.len, &err), IKEV1_PARSE_TOO_MANY);
	T_EQ_INT(err.payload, IKEV1_PL_ID);
	buf_free(&b);
}

static void body_rules_reject_bad_nonce_delete_natoa_and_fragment(void)
{
	struct ikev1_parse_err err;
	struct buf b;
	struct ikev1_wr w;
	static const uint8_t spis[8] = { 0 };

	begin(&w, &b, IKEV1_X_MAIN);
	ikev1_w_nonce(&w, nonce20, 7);
	T_CHECK(ikev1_w_finish(&w));
	T_EQ_INT(status_of(b.data, b.len, &err), IKEV1_PARSE_MALFORMED);
	buf_free(&b);

	/* delete announcing 3 SPIs of 4 bytes with 8 bytes */
	begin(&w, &b, IKEV1_X_INFO);
	ikev1_w_delete(&w, 1, IKEV1_PROTO_ESP, 4, spis, 2);
	b.data[28 + 4 + 6 + 1] = 3;
	T_CHECK(ikev1_w_finish(&w));
	T_EQ_INT(status_of(b.data, b.len, &err), IKEV1_PARSE_MALFORMED);
	T_EQ_INT(err.payload, IKEV1_PL_D);
	buf_free(&b);

	/* NAT-OA claiming IPv6 with 4 bytes */
	begin(&w, &b, IKEV1_X_QUICK);
	ikev1_w_natoa(&w, false, spis, 4);
	b.data[28 + 4] = IKEV1_ID_IPV6_ADDR;
	T_CHECK(ikev1_w_finish(&w));
	T_EQ_INT(status_of(b.data, b.len, &err), IKEV1_PARSE_MALFORMED);
	buf_free(&b);

	begin(&w, &b, IKEV1_X_AGGRESSIVE);
	ikev1_w_frag(&w, 1, 0, false, spis, 8);
	T_CHECK(ikev1_w_finish(&w));
	T_EQ_INT(status_of(b.data, b.len, &err), IKEV1_PARSE_MALFORMED);
	T_EQ_INT(err.payload, IKEV1_PL_FRAG);
	buf_free(&b);
}

static void other_doi_or_situation_leaves_proposals_unparsed(void)
{
	static struct raw r;
	static struct ikev1_msg m;
	build_vpnc_am1(&r);
	r.d[28 + 4 + 3] = 2;        /* DOI 2 */
	T_EQ_INT(parse_checked(r.d, r.n, &m), 0);
	T_EQ_INT(m.sa.doi, 2);
	T_EQ_INT(m.sa.n, 0);
	T_CHECK(m.sa.body.len > 8);
	check_re_emits_identically(r.d, r.n);
	build_vpnc_am1(&r);
	r.d[28 + 8 + 3] = 3;        /* SIT_SECRECY added */
	T_EQ_INT(parse_checked(r.d, r.n, &m), 0);
	T_EQ_INT(m.sa.situation, 3);
	T_EQ_INT(m.sa.n, 0);
}

static void header_errors_and_encrypted_messages(void)
{
	static struct raw r;
	static struct ikev1_msg m;
	struct ikev1_parse_err err;
	struct ikev1_hdr h;
	build_vpnc_am1(&r);
	T_EQ_INT(ikev1_parse_header(r.d, 27, &h, &err), -1);
	T_EQ_INT(err.status, IKEV1_PARSE_TRUNCATED);
	r.d[17] = 0x20;
	T_EQ_INT(ikev1_parse_header(r.d, r.n, &h, &err), -1);
	T_EQ_INT(err.status, IKEV1_PARSE_BAD_VERSION);
	T_EQ_INT(h.exchange, IKEV1_X_AGGRESSIVE);   /* still filled */
	T_EQ_INT(status_of(r.d, r.n, &err), IKEV1_PARSE_BAD_VERSION);
	r.d[17] = 0x10;
	/* minor version is not checked */
	r.d[17] = 0x11;
	T_EQ_INT(ikev1_parse_header(r.d, r.n, &h, &err), 0);
	r.d[17] = 0x10;
	/* Length above the datagram */
	T_EQ_INT(status_of(r.d, r.n - 1, &err), IKEV1_PARSE_TRUNCATED);
	/* Length below 28 */
	uint8_t save = r.d[26];
	r.d[26] = 0;
	r.d[27] = 27;
	T_EQ_INT(status_of(r.d, r.n, &err), IKEV1_PARSE_TRUNCATED);
	r.d[26] = save;
	rfinish(&r);
	/* ENC: only the header */
	r.d[19] = IKEV1_FLAG_ENC;
	T_EQ_INT(parse_checked(r.d, r.n, &m), 0);
	T_EQ_INT(m.n_order, 0);
	T_EQ_INT(m.hdr.flags, IKEV1_FLAG_ENC);
	/* then the chain, as if decrypted */
	T_EQ_INT(ikev1_parse_chain(m.hdr.next_payload, r.d + 28, r.n - 28, &m, &err), 0);
	T_EQ_INT(m.n_order, 13);
	T_EQ_INT(m.hdr.exchange, IKEV1_X_AGGRESSIVE);
	T_EQ_INT(m.hdr.flags, IKEV1_FLAG_ENC);
}

/* ---- truncation, padding, after_hash --------------------------------------------- */

static void every_truncation_fails_cleanly(void)
{
	static struct raw r;
	static struct ikev1_msg m;
	struct ikev1_parse_err err;
	build_vpnc_qm1(&r);
	/* cut anywhere, with the header's Length still the full size */
	for (size_t len = 0; len < r.n; len++) {
		/* a heap copy of exactly len bytes, so ASan catches any overread */
		uint8_t *p = malloc(len ? len : 1);
		memcpy(p, r.d, len);
		T_EQ_INT(ikev1_parse_message(p, len, &m, &err), -1);
		T_EQ_INT(err.status, IKEV1_PARSE_TRUNCATED);
		free(p);
	}
	/* cut anywhere with Length rewritten to agree: the chain walker must
	 * find the missing bytes itself */
	for (size_t len = IKEV1_HDR_LEN; len < r.n; len++) {
		uint8_t *p = malloc(len);
		memcpy(p, r.d, len);
		p[24] = 0;
		p[25] = 0;
		p[26] = (uint8_t)(len >> 8);
		p[27] = (uint8_t)len;
		T_EQ_INT(ikev1_parse_message(p, len, &m, &err), -1);
		T_CHECK(err.status == IKEV1_PARSE_TRUNCATED || err.status == IKEV1_PARSE_MALFORMED);
		T_CHECK(err.why != NULL);
		free(p);
	}
	/* the decrypted chain cut anywhere */
	for (size_t len = 0; len < r.n - IKEV1_HDR_LEN; len++) {
		uint8_t *p = malloc(len ? len : 1);
		memcpy(p, r.d + IKEV1_HDR_LEN, len);
		T_EQ_INT(ikev1_parse_chain(IKEV1_PL_HASH, p, len, &m, &err), -1);
		free(p);
	}
	T_EQ_INT(parse_checked(r.d, r.n, &m), 0);
}

static void padding_after_the_last_payload_is_ignored(void)
{
	static struct raw r;
	static struct ikev1_msg m;
	static uint8_t padded[8192];
	struct ikev1_parse_err err;
	size_t attr_off;
	build_vpnc_cfg_request(&r, &attr_off);
	size_t chain = r.n - 28;
	memcpy(padded, r.d + 28, chain);
	memset(padded + chain, 0, 7);   /* CBC padding */
	T_EQ_INT(ikev1_parse_chain(IKEV1_PL_HASH, padded, chain + 7, &m, &err), 0);
	T_EQ_INT(m.chain_len, chain);
	T_CHECK(m.after_hash.data == padded + 24);
	T_EQ_INT(m.after_hash.len, chain - 24);
	T_EQ_INT(m.cfg.n, 13);
	/* the datagram may also be longer than the header's Length */
	memcpy(padded, r.d, r.n);
	memset(padded + r.n, 0xee, 5);
	T_EQ_INT(parse_checked(padded, r.n + 5, &m), 0);
	T_EQ_INT(m.chain_len, chain);
}

static void hash_as_last_payload_gives_empty_after_hash(void)
{
	static struct ikev1_msg m;
	struct buf b;
	struct ikev1_wr w;
	begin(&w, &b, IKEV1_X_INFO);
	ikev1_w_vendor(&w, nonce20, 4);
	ikev1_w_hash(&w, IKEV1_PL_HASH, 20);
	T_EQ_INT(finish_parse(&w, &m), 0);
	T_EQ_INT(m.after_hash.len, 0);
	T_CHECK(m.after_hash.data == b.data + b.len);
	buf_free(&b);
}

/* ---- writer limits ------------------------------------------------------------- */

static void payload_longer_than_its_length_field_fails_the_message(void)
{
	static uint8_t big[70000];
	struct buf b;
	struct ikev1_wr w;
	begin(&w, &b, IKEV1_X_MAIN);
	ikev1_w_vendor(&w, big, sizeof(big));
	T_CHECK(!ikev1_w_finish(&w));
	buf_free(&b);

	begin(&w, &b, IKEV1_X_MAIN);
	ikev1_w_notify(&w, 1, 1, big, 256, 1, NULL, 0);
	T_CHECK(!ikev1_w_finish(&w));
	buf_free(&b);

	static struct ikev1_cfg c;
	memset(&c, 0, sizeof(c));
	c.n = 1;
	c.a[0].value.data = big;
	c.a[0].value.len = 65536;
	begin(&w, &b, IKEV1_X_TRANSACTION);
	ikev1_w_cfg(&w, &c);
	T_CHECK(!ikev1_w_finish(&w));
	buf_free(&b);

	static struct ikev1_sa sa;
	memset(&sa, 0, sizeof(sa));
	sa.n = 1;
	sa.p[0].first = 60;
	sa.p[0].n_transforms = 5;
	begin(&w, &b, IKEV1_X_MAIN);
	ikev1_w_sa(&w, &sa);
	T_CHECK(!ikev1_w_finish(&w));
	buf_free(&b);
}

/* ---- vendor IDs, names, dump -------------------------------------------------- */

static void vendor_ids_match_with_versions_and_capabilities(void)
{
	uint8_t v[20];
	size_t len;
	const uint8_t *u = ikev1_vid_bytes(IKEV1_VID_UNITY, &len);
	T_EQ_INT(len, 16);
	memcpy(v, u, 16);
	v[14] = 2;   /* another Unity version */
	T_EQ_INT(ikev1_vid_match(v, 16), IKEV1_VID_UNITY);
	const uint8_t *f = ikev1_vid_bytes(IKEV1_VID_FRAG, &len);
	T_EQ_INT(len, 16);
	memcpy(v, f, 16);
	memcpy(v + 16, "\x80\x00\x00\x00", 4);
	T_EQ_INT(ikev1_vid_match(v, 20), IKEV1_VID_FRAG);
	const uint8_t *x = ikev1_vid_bytes(IKEV1_VID_XAUTH, &len);
	T_EQ_INT(len, 8);
	T_EQ_INT(ikev1_vid_match(x, 8), IKEV1_VID_XAUTH);
	T_EQ_INT(ikev1_vid_match(x, 7), IKEV1_VID_COUNT);
	const uint8_t *c = ikev1_vid_bytes(IKEV1_VID_CISCO_CONCENTRATOR, &len);
	T_EQ_INT(len, 14);
	memcpy(v, c, 14);
	v[14] = 8;
	v[15] = 1;
	T_EQ_INT(ikev1_vid_match(v, 16), IKEV1_VID_CISCO_CONCENTRATOR);
	T_EQ_INT(ikev1_vid_match((const uint8_t *)"CISCOVPN-REV-02", 15), IKEV1_VID_COUNT);
	const uint8_t *d = ikev1_vid_bytes(IKEV1_VID_DPD, &len);
	T_EQ_INT(d[0], 0xaf);
	T_EQ_INT(d[15], 0x00);
	T_EQ_STR(ikev1_vid_name(IKEV1_VID_DPD), "DPD");
	T_CHECK(ikev1_vid_bytes(IKEV1_VID_COUNT, &len) == NULL && len == 0);
}

static void names_cover_the_code_points(void)
{
	T_EQ_STR(ikev1_exchange_name(IKEV1_X_AGGRESSIVE), "Aggressive");
	T_EQ_STR(ikev1_exchange_name(IKEV1_X_QUICK), "Quick Mode");
	T_EQ_STR(ikev1_exchange_name(99), "UNKNOWN");
	T_EQ_STR(ikev1_payload_name(IKEV1_PL_VID), "VENDOR");
	T_EQ_STR(ikev1_payload_name(IKEV1_PL_ATTR), "ATTR");
	T_EQ_STR(ikev1_notify_name(IKEV1_N_INITIAL_CONTACT), "INITIAL-CONTACT");
	T_CHECK(ikev1_notify_name(12345) == NULL);
	T_EQ_STR(ikev1_encr_name(IKEV1_ENCR_3DES), "3DES");
	T_EQ_STR(ikev1_hash_name(IKEV1_HASH_SHA256), "SHA2-256");
	T_EQ_STR(ikev1_auth_name(IKEV1_AUTH_XAUTH_INIT_PSK), "XAUTHInitPreShared");
	T_EQ_STR(ikev1_auth_name(IKEV1_AUTH_PSK), "Preshared key");
	T_EQ_STR(ikev1_esp_name(IKEV1_ESP_AES), "ESP_AES");
	T_EQ_STR(ikev1_esp_auth_name(IKEV1_AUTH_HMAC_SHA1), "SHA");
	T_EQ_STR(ikev1_encap_name(IKEV1_ENCAP_UDP_TUNNEL), "UDP-Encapsulated-Tunnel");
	T_EQ_STR(ikev1_id_type_name(IKEV1_ID_KEY_ID), "ID_KEY_ID");
	T_EQ_STR(ikev1_cfg_attr_name(IKEV1_CA_XAUTH_USER_NAME), "XAUTH_USER_NAME");
	T_EQ_STR(ikev1_cfg_attr_name(40000), "UNKNOWN");
	/* every descriptor has a name */
	size_t n;
	const struct ikev1_pl_desc *d = ikev1_pl_table(&n);
	for (size_t i = 0; i < n; i++)
		T_CHECK(strcmp(ikev1_payload_name(d[i].type), "UNKNOWN") != 0);
}

struct dump_text {
	char text[16384];
	size_t len;
	int lines;
};

static void collect(void *arg, const char *line)
{
	struct dump_text *d = arg;
	int n = snprintf(d->text + d->len, sizeof(d->text) - d->len, "%s\n", line);
	if (n > 0 && (size_t)n < sizeof(d->text) - d->len)
		d->len += (size_t)n;
	d->lines++;
}

static void dump_hides_xauth_password_and_passcode(void)
{
	static struct ikev1_msg m;
	static struct dump_text d;
	struct buf b;
	struct ikev1_wr w;
	struct ikev1_cfg c = { .type = IKEV1_CFG_REPLY, .identifier = 9, .n = 4 };
	c.a[0] = (struct ikev1_attr){ .type = IKEV1_CA_XAUTH_TYPE, .tv = true, .tv_value = 0 };
	c.a[1] = (struct ikev1_attr){ .type = IKEV1_CA_XAUTH_USER_NAME,
				      .value = { (const uint8_t *)"alice", 5 } };
	c.a[2] = (struct ikev1_attr){ .type = IKEV1_CA_XAUTH_USER_PASSWORD,
				      .value = { (const uint8_t *)"S3cretPw", 8 } };
	c.a[3] = (struct ikev1_attr){ .type = IKEV1_CA_XAUTH_PASSCODE,
				      .value = { (const uint8_t *)"778899", 6 } };
	begin(&w, &b, IKEV1_X_TRANSACTION);
	ikev1_w_hash(&w, IKEV1_PL_HASH, 20);
	ikev1_w_cfg(&w, &c);
	T_EQ_INT(finish_parse(&w, &m), 0);
	memset(&d, 0, sizeof(d));
	ikev1_msg_dump(&m, collect, &d);
	T_CHECK(strstr(d.text, "S3cretPw") == NULL);
	T_CHECK(strstr(d.text, "778899") == NULL);
	T_CHECK(strstr(d.text, "XAUTH_USER_PASSWORD (16522): <hidden>") != NULL);
	T_CHECK(strstr(d.text, "XAUTH_PASSCODE (16523): <hidden>") != NULL);
	T_CHECK(strstr(d.text, "XAUTH_USER_NAME (16521): alice") != NULL);
	T_CHECK(strstr(d.text, "ISAKMP: Config payload CFG_REPLY, identifier 9") != NULL);
	buf_free(&b);
}

static void dump_reads_like_the_pix_trace(void)
{
	static struct raw r;
	static struct ikev1_msg m;
	static struct dump_text d;
	build_vpnc_am1(&r);
	T_EQ_INT(parse_checked(r.d, r.n, &m), 0);
	memset(&d, 0, sizeof(d));
	ikev1_msg_dump(&m, collect, &d);
	static const char *const expect[] = {
		"ISAKMP: header: exchange Aggressive (4), flags 0x00, message ID = 0",
		"ISAKMP:   payload SA (1), next KE",
		"ISAKMP:    proposal 0, protocol ISAKMP, SPI size 0, 24 transforms",
		"ISAKMP:    transform 0, KEY_IKE\n"
		"ISAKMP:      keylength of 256\n"
		"ISAKMP:      encryption AES-CBC\n"
		"ISAKMP:      hash SHA\n"
		"ISAKMP:      default group 2\n"
		"ISAKMP:      extended auth pre-share\n"
		"ISAKMP:      life type in seconds\n"
		"ISAKMP:      life duration (VPI) of  0x0 0x20 0xc4 0x9b\n",
		"ISAKMP:      encryption 3DES-CBC\nISAKMP:      hash MD5\n",
		"ISAKMP:      encryption null (0)",
		"ISAKMP:      auth pre-share",
		"ISAKMP:      ID_KEY_ID (11) prot 17 port 500, data length 8",
		"ISAKMP:      ID data: vpngroup",
		"ISAKMP:      vendor id Unity (12f5f28c457168a9702d9fe274cc0100)",
		"ISAKMP:      vendor id DPD",
	};
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		if (!strstr(d.text, expect[i])) {
			fprintf(stderr, "  missing: %s\n", expect[i]);
			T_CHECK(0);
		}
	/* phase 2 in the PIX words */
	build_vpnc_qm1(&r);
	T_EQ_INT(parse_checked(r.d, r.n, &m), 0);
	memset(&d, 0, sizeof(d));
	ikev1_msg_dump(&m, collect, &d);
	static const char *const expect2[] = {
		"ISAKMP:    transform 1, ESP_3DES (3)\n"
		"ISAKMP:      attributes in transform:\n"
		"ISAKMP:      encaps is 1\n"
		"ISAKMP:      authenticator is HMAC-SHA\n"
		"ISAKMP:      SA life type in seconds\n"
		"ISAKMP:      SA life duration (VPI) of  0x0 0x20 0xc4 0x9b\n",
		"ISAKMP:      key length is 256",
		"ISAKMP:      ID_IPV4_ADDR 10.1.0.100 prot 0 port 0",
		"ISAKMP:      ID_IPV4_ADDR_SUBNET 0.0.0.0/0.0.0.0 prot 0 port 0",
		"ISAKMP:    SPI c0de0000",
	};
	for (size_t i = 0; i < sizeof(expect2) / sizeof(expect2[0]); i++)
		if (!strstr(d.text, expect2[i])) {
			fprintf(stderr, "  missing: %s\n", expect2[i]);
			T_CHECK(0);
		}
}

int main(void)
{
	T_RUN(vpnc_aggressive_mode_sa_decodes_24_transforms);
	T_RUN(vpnc_aggressive_mode_re_emits_byte_for_byte);
	T_RUN(sa_writer_uses_vpnc_attribute_order_and_4_byte_tlv_duration);
	T_RUN(vpnc_quick_mode_sa_keeps_12_proposals_with_spis);
	T_RUN(vpnc_mode_config_request_lists_attributes_in_order);
	T_RUN(phase2_sa_round_trip_keeps_fields_spi_and_life_pairs);
	T_RUN(every_other_payload_round_trips);
	T_RUN(life_duration_tv_tlv_and_saturation);
	T_RUN(tlv_where_tv_required_and_unknown_attributes_mark_the_transform);
	T_RUN(transform_attribute_overrun_is_malformed);
	T_RUN(unknown_payload_is_bad_payload_and_private_use_is_skipped);
	T_RUN(repeated_single_payload_is_duplicate_and_too_many_ids_fail);
	T_RUN(body_rules_reject_bad_nonce_delete_natoa_and_fragment);
	T_RUN(other_doi_or_situation_leaves_proposals_unparsed);
	T_RUN(header_errors_and_encrypted_messages);
	T_RUN(every_truncation_fails_cleanly);
	T_RUN(padding_after_the_last_payload_is_ignored);
	T_RUN(hash_as_last_payload_gives_empty_after_hash);
	T_RUN(payload_longer_than_its_length_field_fails_the_message);
	T_RUN(vendor_ids_match_with_versions_and_capabilities);
	T_RUN(names_cover_the_code_points);
	T_RUN(dump_hides_xauth_password_and_passcode);
	T_RUN(dump_reads_like_the_pix_trace);
	T_DONE();
}
