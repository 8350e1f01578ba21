/* IKEv2 codec: round trips of every payload, a byte-exact IKE_SA_INIT,
 * malformed inputs with their status, names and the debug dump. */
#include "../t.h"

#include "base/buf.h"
#include "wire/ikev2.h"
#include "wire/ikev2_pl.h"

/* ---- helpers ----------------------------------------------------------- */

static struct ikev2_hdr test_hdr(uint8_t exchange, uint8_t flags, uint32_t msg_id)
{
	struct ikev2_hdr h = {
		.spi_i = 0x0102030405060708ULL,
		.spi_r = 0,
		.version = IKEV2_VERSION,
		.exchange = exchange,
		.flags = flags,
		.msg_id = msg_id,
	};
	return h;
}

static void begin(struct ikev2_wr *w, struct buf *b, uint8_t exchange)
{
	struct ikev2_hdr h = test_hdr(exchange, IKEV2_FLAG_INITIATOR, 0);
	buf_init(b);
	ikev2_w_begin(w, b, &h);
}

/* Finish, parse, and check it parsed. */
static int finish_parse(struct ikev2_wr *w, struct ikev2_msg *m)
{
	struct ikev2_parse_err err;
	T_CHECK(ikev2_w_finish(w));
	int rc = ikev2_parse_message(w->b->data, w->b->len, m, &err);
	if (rc != 0)
		fprintf(stderr, "  parse failed: status %d payload %u: %s\n", err.status, err.payload,
			err.why ? err.why : "");
	return rc;
}

static const uint8_t nonce32[32] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};

/* Parse hex into a buffer and return the status of ikev2_parse_message. */
static enum ikev2_parse_status parse_hex(const char *hex, struct ikev2_parse_err *err)
{
	static uint8_t d[4096];
	static struct ikev2_msg m;
	size_t n = t_unhex(hex, d, sizeof(d));
	memset(err, 0, sizeof(*err));
	if (ikev2_parse_message(d, n, &m, err) == 0)
		return IKEV2_PARSE_OK;
	T_CHECK(err->status != IKEV2_PARSE_OK);
	T_CHECK(err->why != NULL);
	return err->status;
}

static enum ikev2_parse_status parse_buf_status(struct buf *b, struct ikev2_parse_err *err)
{
	static struct ikev2_msg m;
	memset(err, 0, sizeof(*err));
	if (ikev2_parse_message(b->data, b->len, &m, err) == 0)
		return IKEV2_PARSE_OK;
	return err->status;
}

/* IKE header hex for a message of total length `len` whose first payload
 * is `next` (both as hex strings). */
#define HDR(next, len) "0102030405060708 0000000000000000 " next " 20 22 08 00000000 " len

/* ---- round trips -------------------------------------------------------------- */

static void sa_round_trip_keeps_proposals_transforms_and_key_length(void)
{
	struct ikev2_proposal p[2];
	memset(p, 0, sizeof(p));
	p[0].num = 1;
	p[0].protocol = IKEV2_PROTO_IKE;
	p[0].n_transforms = 4;
	p[0].t[0] = (struct ikev2_transform){ IKEV2_TRANS_ENCR, 12, 256, false };
	p[0].t[1] = (struct ikev2_transform){ IKEV2_TRANS_PRF, 5, 0, false };
	p[0].t[2] = (struct ikev2_transform){ IKEV2_TRANS_INTEG, 12, 0, false };
	p[0].t[3] = (struct ikev2_transform){ IKEV2_TRANS_DH, 14, 0, false };
	p[1].num = 2;
	p[1].protocol = IKEV2_PROTO_ESP;
	p[1].spi_size = 4;
	memcpy(p[1].spi, "\xc0\xff\xee\x01", 4);
	p[1].n_transforms = 2;
	p[1].t[0] = (struct ikev2_transform){ IKEV2_TRANS_ENCR, 20, 128, false };
	p[1].t[1] = (struct ikev2_transform){ IKEV2_TRANS_ESN, 0, 0, false };

	struct buf b;
	struct ikev2_wr w;
	static struct ikev2_msg m;
	begin(&w, &b, IKEV2_IKE_SA_INIT);
	ikev2_w_sa(&w, p, 2);
	T_EQ_INT(finish_parse(&w, &m), 0);
	T_CHECK(m.present & IKEV2_BIT(IKEV2_PL_SA));
	T_EQ_INT(m.sa.n, 2);
	T_EQ_INT(m.sa.p[0].num, 1);
	T_EQ_INT(m.sa.p[0].protocol, IKEV2_PROTO_IKE);
	T_EQ_INT(m.sa.p[0].spi_size, 0);
	T_EQ_INT(m.sa.p[0].n_transforms, 4);
	for (int i = 0; i < 4; i++) {
		T_EQ_INT(m.sa.p[0].t[i].type, p[0].t[i].type);
		T_EQ_INT(m.sa.p[0].t[i].id, p[0].t[i].id);
		T_EQ_INT(m.sa.p[0].t[i].key_bits, p[0].t[i].key_bits);
		T_CHECK(!m.sa.p[0].t[i].unknown_attr);
	}
	T_EQ_INT(m.sa.p[1].num, 2);
	T_EQ_INT(m.sa.p[1].protocol, IKEV2_PROTO_ESP);
	T_EQ_INT(m.sa.p[1].spi_size, 4);
	T_EQ_MEM(m.sa.p[1].spi, "\xc0\xff\xee\x01", 4);
	T_EQ_INT(m.sa.p[1].n_transforms, 2);
	T_EQ_INT(m.sa.p[1].t[0].id, 20);
	T_EQ_INT(m.sa.p[1].t[0].key_bits, 128);
	T_EQ_INT(m.sa.p[1].t[1].type, IKEV2_TRANS_ESN);
	buf_free(&b);
}

static void ke_and_nonce_round_trip(void)
{
	uint8_t ke[64];
	memset(ke, 0xab, sizeof(ke));
	struct buf b;
	struct ikev2_wr w;
	static struct ikev2_msg m;
	begin(&w, &b, IKEV2_IKE_SA_INIT);
	ikev2_w_ke(&w, 19, ke, sizeof(ke));
	ikev2_w_nonce(&w, nonce32, sizeof(nonce32));
	T_EQ_INT(finish_parse(&w, &m), 0);
	T_EQ_INT(m.ke.group, 19);
	T_EQ_INT(m.ke.data.len, 64);
	T_EQ_MEM(m.ke.data.data, ke, 64);
	T_EQ_INT(m.nonce.len, 32);
	T_EQ_MEM(m.nonce.data, nonce32, 32);
	T_EQ_INT(m.n_order, 2);
	T_EQ_INT(m.order[0], IKEV2_PL_KE);
	T_EQ_INT(m.order[1], IKEV2_PL_NONCE);
	buf_free(&b);
}

static void id_round_trip_keeps_body_for_auth(void)
{
	struct buf b;
	struct ikev2_wr w;
	static struct ikev2_msg m;
	begin(&w, &b, IKEV2_IKE_AUTH);
	ikev2_w_id(&w, IKEV2_PL_IDI, IKEV2_ID_CISCO_GROUP, (const uint8_t *)"*$AnyConnectClient$*", 20);
	ikev2_w_id(&w, IKEV2_PL_IDR, IKEV2_ID_IPV4_ADDR, (const uint8_t *)"\xc0\x00\x02\x01", 4);
	T_EQ_INT(finish_parse(&w, &m), 0);
	T_EQ_INT(m.idi.type, IKEV2_ID_CISCO_GROUP);
	T_EQ_INT(m.idi.data.len, 20);
	T_EQ_MEM(m.idi.data.data, "*$AnyConnectClient$*", 20);
	/* body = type, 3 reserved bytes, data: what prf(SK_pi, IDi') covers */
	T_EQ_INT(m.idi.body.len, 24);
	T_EQ_MEM(m.idi.body.data, "\xc9\x00\x00\x00*$AnyConnectClient$*", 24);
	T_EQ_INT(m.idr.type, IKEV2_ID_IPV4_ADDR);
	T_EQ_MEM(m.idr.body.data, "\x01\x00\x00\x00\xc0\x00\x02\x01", 8);
	buf_free(&b);
}

static void cert_certreq_and_auth_round_trip(void)
{
	const uint8_t cert1[] = { 0x30, 0x82, 0x01, 0x00, 0xaa };
	const uint8_t cert2[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
	uint8_t hashes[40];
	memset(hashes, 0x5a, sizeof(hashes));
	uint8_t sig[256];
	memset(sig, 0x77, sizeof(sig));
	struct buf b;
	struct ikev2_wr w;
	static struct ikev2_msg m;
	begin(&w, &b, IKEV2_IKE_AUTH);
	ikev2_w_cert(&w, IKEV2_PL_CERT, IKEV2_CERT_X509_SIG, cert1, sizeof(cert1));
	ikev2_w_cert(&w, IKEV2_PL_CERT, IKEV2_CERT_X509_SIG, cert2, sizeof(cert2));
	ikev2_w_cert(&w, IKEV2_PL_CERTREQ, IKEV2_CERT_X509_SIG, hashes, sizeof(hashes));
	ikev2_w_auth(&w, IKEV2_AUTH_RSA, sig, sizeof(sig));
	T_EQ_INT(finish_parse(&w, &m), 0);
	T_EQ_INT(m.n_cert, 2);
	T_EQ_INT(m.cert[0].encoding, IKEV2_CERT_X509_SIG);
	T_EQ_INT(m.cert[0].data.len, sizeof(cert1));
	T_EQ_MEM(m.cert[0].data.data, cert1, sizeof(cert1));
	T_EQ_MEM(m.cert[1].data.data, cert2, sizeof(cert2));
	T_EQ_INT(m.n_certreq, 1);
	T_EQ_INT(m.certreq[0].data.len, 40);
	T_EQ_INT(m.auth.method, IKEV2_AUTH_RSA);
	T_EQ_INT(m.auth.data.len, 256);
	T_EQ_MEM(m.auth.data.data, sig, 256);
	buf_free(&b);
}

static void notify_round_trip_with_and_without_spi(void)
{
	const uint8_t spi[4] = { 0xde, 0xad, 0xbe, 0xef };
	uint8_t natd[20];
	memset(natd, 0x42, sizeof(natd));
	struct buf b;
	struct ikev2_wr w;
	static struct ikev2_msg m;
	begin(&w, &b, IKEV2_INFORMATIONAL);
	ikev2_w_notify(&w, IKEV2_PROTO_ESP, spi, 4, IKEV2_N_REKEY_SA, NULL, 0);
	ikev2_w_notify(&w, 0, NULL, 0, IKEV2_N_NAT_DETECTION_SOURCE_IP, natd, sizeof(natd));
	T_EQ_INT(finish_parse(&w, &m), 0);
	T_EQ_INT(m.n_notify, 2);
	T_EQ_INT(m.notify[0].protocol, IKEV2_PROTO_ESP);
	T_EQ_INT(m.notify[0].spi_size, 4);
	T_EQ_INT(m.notify[0].type, IKEV2_N_REKEY_SA);
	T_EQ_INT(m.notify[0].spi.len, 4);
	T_EQ_MEM(m.notify[0].spi.data, spi, 4);
	T_EQ_INT(m.notify[0].data.len, 0);
	T_EQ_INT(m.notify[1].spi.len, 0);
	T_EQ_INT(m.notify[1].data.len, 20);
	T_EQ_MEM(m.notify[1].data.data, natd, 20);
	const struct ikev2_notify *n = ikev2_msg_notify(&m, IKEV2_N_NAT_DETECTION_SOURCE_IP);
	T_CHECK(n == &m.notify[1]);
	T_CHECK(ikev2_msg_notify(&m, IKEV2_N_COOKIE) == NULL);
	buf_free(&b);
}

static void delete_round_trip_lists_spis(void)
{
	const uint8_t spis[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct buf b;
	struct ikev2_wr w;
	static struct ikev2_msg m;
	begin(&w, &b, IKEV2_INFORMATIONAL);
	ikev2_w_delete(&w, IKEV2_PROTO_ESP, 4, spis, 2);
	ikev2_w_delete(&w, IKEV2_PROTO_IKE, 0, NULL, 0);
	T_EQ_INT(finish_parse(&w, &m), 0);
	T_EQ_INT(m.n_delete, 2);
	T_EQ_INT(m.del[0].protocol, IKEV2_PROTO_ESP);
	T_EQ_INT(m.del[0].spi_size, 4);
	T_EQ_INT(m.del[0].n_spi, 2);
	T_EQ_INT(m.del[0].spis.len, 8);
	T_EQ_MEM(m.del[0].spis.data, spis, 8);
	T_EQ_INT(m.del[1].protocol, IKEV2_PROTO_IKE);
	T_EQ_INT(m.del[1].n_spi, 0);
	buf_free(&b);
}

static void vendor_round_trip_keeps_each_id(void)
{
	const uint8_t frag[16] = { 0x40, 0x48, 0xb7, 0xd5, 0x6e, 0xbc, 0xe8, 0x85,
				   0x25, 0xe7, 0xde, 0x7f, 0x00, 0xd6, 0xc2, 0xd3 };
	struct buf b;
	struct ikev2_wr w;
	static struct ikev2_msg m;
	begin(&w, &b, IKEV2_IKE_SA_INIT);
	ikev2_w_vendor(&w, (const uint8_t *)"CISCO-DELETE-REASON", 19);
	ikev2_w_vendor(&w, frag, sizeof(frag));
	T_EQ_INT(finish_parse(&w, &m), 0);
	T_EQ_INT(m.n_vendor, 2);
	T_EQ_INT(m.vendor[0].len, 19);
	T_EQ_MEM(m.vendor[0].data, "CISCO-DELETE-REASON", 19);
	T_EQ_INT(m.vendor[1].len, 16);
	T_EQ_MEM(m.vendor[1].data, frag, 16);
	buf_free(&b);
}

static void ts_round_trip_ipv4_and_ipv6_ranges(void)
{
	static struct ikev2_ts_list tsi, tsr;
	memset(&tsi, 0, sizeof(tsi));
	memset(&tsr, 0, sizeof(tsr));
	tsi.n = 1;
	tsi.ts[0] = (struct ikev2_ts){ .type = IKEV2_TS_IPV4_ADDR_RANGE, .ip_proto = 0,
				       .start_port = 0, .end_port = 65535,
				       .start = { 0, 0, 0, 0 }, .end = { 255, 255, 255, 255 } };
	tsr.n = 2;
	tsr.ts[0] = (struct ikev2_ts){ .type = IKEV2_TS_IPV4_ADDR_RANGE, .ip_proto = 17,
				       .start_port = 53, .end_port = 53,
				       .start = { 10, 1, 0, 0 }, .end = { 10, 1, 255, 255 } };
	tsr.ts[1].type = IKEV2_TS_IPV6_ADDR_RANGE;
	tsr.ts[1].ip_proto = 6;
	tsr.ts[1].start_port = 1;
	tsr.ts[1].end_port = 1024;
	memcpy(tsr.ts[1].start, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	memcpy(tsr.ts[1].end, "\x20\x01\x0d\xb8\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 16);
	struct buf b;
	struct ikev2_wr w;
	static struct ikev2_msg m;
	begin(&w, &b, IKEV2_IKE_AUTH);
	ikev2_w_ts(&w, IKEV2_PL_TSI, &tsi);
	ikev2_w_ts(&w, IKEV2_PL_TSR, &tsr);
	T_EQ_INT(finish_parse(&w, &m), 0);
	T_EQ_INT(m.tsi.n, 1);
	T_EQ_INT(m.tsi.ts[0].type, IKEV2_TS_IPV4_ADDR_RANGE);
	T_EQ_INT(m.tsi.ts[0].end_port, 65535);
	T_EQ_MEM(m.tsi.ts[0].end, "\xff\xff\xff\xff", 4);
	T_EQ_INT(m.tsr.n, 2);
	T_EQ_INT(m.tsr.ts[0].ip_proto, 17);
	T_EQ_INT(m.tsr.ts[0].start_port, 53);
	T_EQ_MEM(m.tsr.ts[0].start, "\x0a\x01\x00\x00", 4);
	T_EQ_INT(m.tsr.ts[1].type, IKEV2_TS_IPV6_ADDR_RANGE);
	T_EQ_INT(m.tsr.ts[1].ip_proto, 6);
	T_EQ_INT(m.tsr.ts[1].end_port, 1024);
	T_EQ_MEM(m.tsr.ts[1].start, tsr.ts[1].start, 16);
	T_EQ_MEM(m.tsr.ts[1].end, tsr.ts[1].end, 16);
	/* payload sizes: 8 + 16, 8 + 16 + 40 */
	T_EQ_INT(m.order_len[0], 24);
	T_EQ_INT(m.order_len[1], 64);
	buf_free(&b);
}

static void cp_round_trip_masks_reserved_bit(void)
{
	static struct ikev2_cp cp;
	memset(&cp, 0, sizeof(cp));
	cp.type = IKEV2_CFG_REPLY;
	cp.n = 3;
	cp.a[0].type = IKEV2_CA_INTERNAL_IP4_ADDRESS;
	cp.a[0].value = (struct ikev2_blob){ (const uint8_t *)"\x0a\x0a\x0a\x05", 4 };
	cp.a[1].type = IKEV2_CA_INTERNAL_IP4_DNS;
	cp.a[1].value = (struct ikev2_blob){ (const uint8_t *)"\x0a\x00\x00\x35", 4 };
	cp.a[2].type = IKEV2_CA_APPLICATION_VERSION;
	cp.a[2].value = (struct ikev2_blob){ NULL, 0 };
	struct buf b;
	struct ikev2_wr w;
	static struct ikev2_msg m;
	begin(&w, &b, IKEV2_IKE_AUTH);
	ikev2_w_cp(&w, &cp);
	T_CHECK(ikev2_w_finish(&w));
	/* set the reserved bit of the first attribute type by hand: CP body
	 * starts at 28 + 4 (generic) + 4 (cfg type, reserved) = 36 */
	b.data[36] |= 0x80;
	struct ikev2_parse_err err;
	T_EQ_INT(ikev2_parse_message(b.data, b.len, &m, &err), 0);
	T_EQ_INT(m.cp.type, IKEV2_CFG_REPLY);
	T_EQ_INT(m.cp.n, 3);
	T_EQ_INT(m.cp.a[0].type, IKEV2_CA_INTERNAL_IP4_ADDRESS);
	T_EQ_INT(m.cp.a[0].value.len, 4);
	T_EQ_MEM(m.cp.a[0].value.data, "\x0a\x0a\x0a\x05", 4);
	T_EQ_INT(m.cp.a[1].type, IKEV2_CA_INTERNAL_IP4_DNS);
	T_EQ_INT(m.cp.a[2].type, IKEV2_CA_APPLICATION_VERSION);
	T_EQ_INT(m.cp.a[2].value.len, 0);
	buf_free(&b);
}

static void eap_round_trip_keeps_whole_packet(void)
{
	/* EAP Request/Identity, id 7, length 5 */
	const uint8_t eap[] = { 1, 7, 0, 5, 1 };
	struct buf b;
	struct ikev2_wr w;
	static struct ikev2_msg m;
	begin(&w, &b, IKEV2_IKE_AUTH);
	ikev2_w_eap(&w, eap, sizeof(eap));
	T_EQ_INT(finish_parse(&w, &m), 0);
	T_EQ_INT(m.eap.len, 5);
	T_EQ_MEM(m.eap.data, eap, 5);
	buf_free(&b);
}

static void sk_round_trip_records_offset_and_inner_chain(void)
{
	uint8_t icv[12];
	memset(icv, 0xcc, sizeof(icv));
	struct buf b;
	struct ikev2_wr w;
	static struct ikev2_msg m, inner;
	begin(&w, &b, IKEV2_IKE_AUTH);
	size_t sk = ikev2_w_sk_begin(&w, 16);
	T_EQ_INT(sk, IKEV2_HDR_LEN);
	size_t inner_start = b.len;
	ikev2_w_id(&w, IKEV2_PL_IDI, IKEV2_ID_FQDN, (const uint8_t *)"client.example", 14);
	ikev2_w_auth(&w, IKEV2_AUTH_PSK, nonce32, 32);
	size_t inner_len = b.len - inner_start;
	/* (ike/core would pad and encrypt here) */
	buf_put(&b, icv, sizeof(icv));
	ikev2_w_end(&w, sk);
	T_EQ_INT(finish_parse(&w, &m), 0);
	T_EQ_INT(b.data[16], IKEV2_PL_SK);          /* header next payload */
	T_CHECK(m.present == IKEV2_BIT(IKEV2_PL_SK));
	T_EQ_INT(m.sk.inner_first, IKEV2_PL_IDI);
	T_EQ_INT(m.sk.hdr_off, 28);
	T_EQ_INT(m.sk.body.len, 16 + inner_len + 12);
	T_CHECK(m.sk.body.data == b.data + 32);
	/* decrypted chain: after the IV, before the ICV */
	inner.hdr = m.hdr;
	struct ikev2_parse_err err;
	T_EQ_INT(ikev2_parse_chain(m.sk.inner_first, m.sk.body.data + 16, inner_len, &inner, &err), 0);
	T_EQ_INT(inner.hdr.exchange, IKEV2_IKE_AUTH);
	T_EQ_INT(inner.n_order, 2);
	T_EQ_INT(inner.idi.type, IKEV2_ID_FQDN);
	T_EQ_MEM(inner.idi.data.data, "client.example", 14);
	T_EQ_INT(inner.auth.method, IKEV2_AUTH_PSK);
	T_EQ_INT(inner.auth.data.len, 32);
	buf_free(&b);
}

static void skf_round_trip_keeps_fragment_numbers(void)
{
	uint8_t ct[40];
	memset(ct, 0x99, sizeof(ct));
	struct buf b;
	struct ikev2_wr w;
	static struct ikev2_msg m;
	begin(&w, &b, IKEV2_IKE_AUTH);
	size_t off = ikev2_w_skf_begin(&w, IKEV2_PL_IDI, 1, 3, 16);
	buf_put(&b, ct, sizeof(ct));
	ikev2_w_end(&w, off);
	T_EQ_INT(finish_parse(&w, &m), 0);
	T_CHECK(m.present & IKEV2_BIT(IKEV2_PL_SKF));
	T_EQ_INT(m.skf.inner_first, IKEV2_PL_IDI);
	T_EQ_INT(m.skf.frag_num, 1);
	T_EQ_INT(m.skf.total, 3);
	T_EQ_INT(m.skf.hdr_off, 28);
	T_EQ_INT(m.skf.body.len, 16 + 40);
	buf_free(&b);
}

/* Every payload type in one message: parse, re-emit with ikev2_w_chain,
 * and get the same bytes back. */
static void chain_re_emit_reproduces_every_payload(void)
{
	static struct ikev2_proposal p;
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.protocol = IKEV2_PROTO_ESP;
	p.spi_size = 4;
	memcpy(p.spi, "\x11\x22\x33\x44", 4);
	p.n_transforms = 3;
	p.t[0] = (struct ikev2_transform){ IKEV2_TRANS_ENCR, 12, 256, false };
	p.t[1] = (struct ikev2_transform){ IKEV2_TRANS_INTEG, 2, 0, false };
	p.t[2] = (struct ikev2_transform){ IKEV2_TRANS_ESN, 0, 0, false };
	static struct ikev2_ts_list ts;
	memset(&ts, 0, sizeof(ts));
	ts.n = 1;
	ts.ts[0].type = IKEV2_TS_IPV4_ADDR_RANGE;
	ts.ts[0].end_port = 65535;
	memset(ts.ts[0].end, 0xff, 4);
	static struct ikev2_cp cp;
	memset(&cp, 0, sizeof(cp));
	cp.type = IKEV2_CFG_REQUEST;
	cp.n = 2;
	cp.a[0].type = IKEV2_CA_INTERNAL_IP4_ADDRESS;
	cp.a[1].type = IKEV2_CA_INTERNAL_IP4_DNS;
	const uint8_t eap[] = { 2, 1, 0, 9, 1, 'u', 's', 'e', 'r' };

	struct buf b;
	struct ikev2_wr w;
	begin(&w, &b, IKEV2_IKE_AUTH);
	ikev2_w_id(&w, IKEV2_PL_IDI, IKEV2_ID_KEY_ID, (const uint8_t *)"group", 5);
	ikev2_w_id(&w, IKEV2_PL_IDR, IKEV2_ID_FQDN, (const uint8_t *)"asa", 3);
	ikev2_w_cert(&w, IKEV2_PL_CERT, IKEV2_CERT_X509_SIG, (const uint8_t *)"\x30\x00", 2);
	ikev2_w_cert(&w, IKEV2_PL_CERTREQ, IKEV2_CERT_X509_SIG, nonce32, 20);
	ikev2_w_auth(&w, IKEV2_AUTH_PSK, nonce32, 20);
	ikev2_w_notify(&w, 0, NULL, 0, IKEV2_N_INITIAL_CONTACT, NULL, 0);
	ikev2_w_cp(&w, &cp);
	ikev2_w_sa(&w, &p, 1);
	ikev2_w_ts(&w, IKEV2_PL_TSI, &ts);
	ikev2_w_ts(&w, IKEV2_PL_TSR, &ts);
	ikev2_w_eap(&w, eap, sizeof(eap));
	ikev2_w_ke(&w, 14, nonce32, 32);
	ikev2_w_nonce(&w, nonce32, 32);
	ikev2_w_delete(&w, IKEV2_PROTO_ESP, 4, (const uint8_t *)"\x01\x02\x03\x04", 1);
	ikev2_w_vendor(&w, (const uint8_t *)"FLEXVPN-SUPPORTED", 17);
	size_t sk = ikev2_w_sk_begin(&w, 8);
	buf_put(&b, "\x00\x00\x00\x00\x00\x00\x00\x00", 8);
	ikev2_w_end(&w, sk);
	static struct ikev2_msg m;
	T_EQ_INT(finish_parse(&w, &m), 0);
	T_EQ_INT(m.n_order, 16);

	struct buf b2;
	struct ikev2_wr w2;
	buf_init(&b2);
	ikev2_w_begin(&w2, &b2, &m.hdr);
	ikev2_w_chain(&w2, &m);
	T_CHECK(ikev2_w_finish(&w2));
	T_EQ_INT(b2.len, b.len);
	if (b2.len == b.len)
		T_EQ_MEM(b2.data, b.data, b.len);
	buf_free(&b);
	buf_free(&b2);
}

/* ---- byte-exact IKE_SA_INIT ----------------------------------------------------- */

/* HDR, SA{IKE: AES-CBC-256, PRF SHA256, SHA256-128, group 14}, KE(14, 8 bytes),
 * Ni(16), N(NAT_DETECTION_SOURCE_IP, 20 bytes), N(IKEV2_FRAGMENTATION_SUPPORTED) */
static const char ike_sa_init_hex[] =
	"0102030405060708 0000000000000000 21 20 22 08 00000000 00000094"
	/* SA: next KE, length 48; proposal: last, length 44, #1 IKE, spi 0, 4 transforms */
	"22 00 0030" "00 00 002c 01 01 00 04"
	"03 00 000c 01 00 000c 800e 0100"      /* ENCR AES-CBC, key length 256 */
	"03 00 0008 02 00 0005"                /* PRF HMAC-SHA2-256 */
	"03 00 0008 03 00 000c"                /* INTEG HMAC-SHA2-256-128 */
	"00 00 0008 04 00 000e"                /* DH group 14 */
	/* KE: next Nonce, length 16, group 14 */
	"28 00 0010 000e 0000 1111111111111111"
	/* Nonce: next Notify, length 20 */
	"29 00 0014 22222222222222222222222222222222"
	/* Notify: next Notify, length 28, protocol 0, spi size 0, 16388 */
	"29 00 001c 00 00 4004 3333333333333333333333333333333333333333"
	/* Notify: last, length 8, 16430 */
	"00 00 0008 00 00 402e";

static void write_ike_sa_init(struct buf *b)
{
	struct ikev2_proposal p;
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.protocol = IKEV2_PROTO_IKE;
	p.n_transforms = 4;
	p.t[0] = (struct ikev2_transform){ IKEV2_TRANS_ENCR, 12, 256, false };
	p.t[1] = (struct ikev2_transform){ IKEV2_TRANS_PRF, 5, 0, false };
	p.t[2] = (struct ikev2_transform){ IKEV2_TRANS_INTEG, 12, 0, false };
	p.t[3] = (struct ikev2_transform){ IKEV2_TRANS_DH, 14, 0, false };
	uint8_t ke[8], ni[16], natd[20];
	memset(ke, 0x11, sizeof(ke));
	memset(ni, 0x22, sizeof(ni));
	memset(natd, 0x33, sizeof(natd));
	struct ikev2_wr w;
	begin(&w, b, IKEV2_IKE_SA_INIT);
	ikev2_w_sa(&w, &p, 1);
	ikev2_w_ke(&w, 14, ke, sizeof(ke));
	ikev2_w_nonce(&w, ni, sizeof(ni));
	ikev2_w_notify(&w, 0, NULL, 0, IKEV2_N_NAT_DETECTION_SOURCE_IP, natd, sizeof(natd));
	ikev2_w_notify(&w, 0, NULL, 0, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	T_CHECK(ikev2_w_finish(&w));
}

static void writer_matches_hand_assembled_ike_sa_init(void)
{
	uint8_t want[512];
	size_t n = t_unhex(ike_sa_init_hex, want, sizeof(want));
	T_EQ_INT(n, 148);
	struct buf b;
	write_ike_sa_init(&b);
	T_EQ_INT(b.len, n);
	if (b.len == n)
		T_EQ_MEM(b.data, want, n);
	buf_free(&b);
}

static void hand_assembled_ike_sa_init_parses(void)
{
	uint8_t d[512];
	size_t n = t_unhex(ike_sa_init_hex, d, sizeof(d));
	static struct ikev2_msg m;
	struct ikev2_parse_err err;
	T_EQ_INT(ikev2_parse_message(d, n, &m, &err), 0);
	T_EQ_INT(m.hdr.spi_i, 0x0102030405060708ULL);
	T_EQ_INT(m.hdr.exchange, IKEV2_IKE_SA_INIT);
	T_EQ_INT(m.hdr.flags, IKEV2_FLAG_INITIATOR);
	T_EQ_INT(m.hdr.length, 148);
	T_EQ_INT(m.n_order, 5);
	T_CHECK(m.present == (IKEV2_BIT(IKEV2_PL_SA) | IKEV2_BIT(IKEV2_PL_KE) |
			      IKEV2_BIT(IKEV2_PL_NONCE) | IKEV2_BIT(IKEV2_PL_NOTIFY)));
	T_EQ_INT(m.sa.p[0].t[0].key_bits, 256);
	T_EQ_INT(m.ke.group, 14);
	T_EQ_INT(m.nonce.len, 16);
	T_EQ_INT(m.n_notify, 2);
	T_EQ_INT(m.notify[1].type, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED);
}

/* ---- malformed input -------------------------------------------------------------- */

static void short_datagram_is_truncated(void)
{
	struct ikev2_parse_err err;
	T_EQ_INT(parse_hex("0102030405060708 0000000000000000 00 20 22 08 000000", &err),
		 IKEV2_PARSE_TRUNCATED);
}

static void major_version_other_than_2_is_bad_version(void)
{
	struct ikev2_parse_err err;
	T_EQ_INT(parse_hex("0102030405060708 0000000000000000 00 10 22 08 00000000 0000001c", &err),
		 IKEV2_PARSE_BAD_VERSION);
	/* the minor version is ignored (RFC 7296 §2.5) */
	T_EQ_INT(parse_hex("0102030405060708 0000000000000000 00 21 22 08 00000000 0000001c", &err),
		 IKEV2_PARSE_OK);
}

static void truncated_generic_header_is_truncated(void)
{
	struct ikev2_parse_err err;
	T_EQ_INT(parse_hex(HDR("2b", "0000001e") "00 00", &err), IKEV2_PARSE_TRUNCATED);
	T_EQ_INT(err.payload, IKEV2_PL_VENDOR);
}

static void payload_length_below_4_is_truncated(void)
{
	struct ikev2_parse_err err;
	T_EQ_INT(parse_hex(HDR("2b", "00000020") "00 00 0003", &err), IKEV2_PARSE_TRUNCATED);
	T_EQ_INT(err.payload, IKEV2_PL_VENDOR);
}

static void payload_length_overrunning_message_is_truncated(void)
{
	struct ikev2_parse_err err;
	T_EQ_INT(parse_hex(HDR("2b", "00000024") "00 00 0020 41424344", &err),
		 IKEV2_PARSE_TRUNCATED);
	/* next payload announced but no bytes left */
	T_EQ_INT(parse_hex(HDR("2b", "00000024") "2b 00 0008 41424344", &err),
		 IKEV2_PARSE_TRUNCATED);
}

static void bytes_after_last_payload_are_truncated(void)
{
	struct ikev2_parse_err err;
	T_EQ_INT(parse_hex(HDR("2b", "00000026") "00 00 0008 41424344 0000", &err),
		 IKEV2_PARSE_TRUNCATED);
}

static void header_length_disagreeing_with_datagram_is_dropped(void)
{
	uint8_t d[512];
	size_t n = t_unhex(ike_sa_init_hex, d, sizeof(d));
	static struct ikev2_msg m;
	struct ikev2_parse_err err;
	/* datagram one byte longer than the header says */
	d[n] = 0;
	T_EQ_INT(ikev2_parse_message(d, n + 1, &m, &err), -1);
	T_EQ_INT(err.status, IKEV2_PARSE_TRUNCATED);
	/* header claims more than the datagram holds */
	d[27] = 0x95;
	T_EQ_INT(ikev2_parse_message(d, n, &m, &err), -1);
	T_EQ_INT(err.status, IKEV2_PARSE_TRUNCATED);
	d[27] = 0x94;
	T_EQ_INT(ikev2_parse_message(d, n, &m, &err), 0);
}

static void too_many_proposals_is_too_many(void)
{
	static struct ikev2_proposal p[IKEV2_MAX_PROPOSALS + 1];
	memset(p, 0, sizeof(p));
	for (unsigned i = 0; i <= IKEV2_MAX_PROPOSALS; i++) {
		p[i].num = (uint8_t)(i + 1);
		p[i].protocol = IKEV2_PROTO_IKE;
	}
	struct buf b;
	struct ikev2_wr w;
	begin(&w, &b, IKEV2_IKE_SA_INIT);
	ikev2_w_sa(&w, p, IKEV2_MAX_PROPOSALS + 1);
	T_CHECK(ikev2_w_finish(&w));
	struct ikev2_parse_err err;
	T_EQ_INT(parse_buf_status(&b, &err), IKEV2_PARSE_TOO_MANY);
	T_EQ_INT(err.payload, IKEV2_PL_SA);
	buf_free(&b);
	/* exactly the maximum is fine */
	begin(&w, &b, IKEV2_IKE_SA_INIT);
	ikev2_w_sa(&w, p, IKEV2_MAX_PROPOSALS);
	T_CHECK(ikev2_w_finish(&w));
	T_EQ_INT(parse_buf_status(&b, &err), IKEV2_PARSE_OK);
	buf_free(&b);
}

/* SA with one proposal announcing and carrying n transforms, by hand. */
static void build_sa_with_transforms(struct buf *b, unsigned n)
{
	struct ikev2_hdr h = test_hdr(IKEV2_IKE_SA_INIT, IKEV2_FLAG_INITIATOR, 0);
	struct ikev2_wr w;
	buf_init(b);
	ikev2_w_begin(&w, b, &h);
	size_t off = ikev2_w_start(&w, IKEV2_PL_SA, false);
	size_t plen = 8 + 8 * (size_t)n;
	buf_put_u8(b, 0);
	buf_put_u8(b, 0);
	buf_put_u16(b, (uint16_t)plen);
	buf_put_u8(b, 1);
	buf_put_u8(b, IKEV2_PROTO_IKE);
	buf_put_u8(b, 0);
	buf_put_u8(b, (uint8_t)n);
	for (unsigned i = 0; i < n; i++) {
		buf_put_u8(b, i + 1 == n ? 0 : 3);
		buf_put_u8(b, 0);
		buf_put_u16(b, 8);
		buf_put_u8(b, IKEV2_TRANS_DH);
		buf_put_u8(b, 0);
		buf_put_u16(b, (uint16_t)i);
	}
	ikev2_w_end(&w, off);
	T_CHECK(ikev2_w_finish(&w));
}

static void too_many_transforms_is_too_many(void)
{
	struct buf b;
	struct ikev2_parse_err err;
	build_sa_with_transforms(&b, IKEV2_MAX_TRANSFORMS + 1);
	T_EQ_INT(parse_buf_status(&b, &err), IKEV2_PARSE_TOO_MANY);
	T_EQ_INT(err.payload, IKEV2_PL_SA);
	buf_free(&b);
	build_sa_with_transforms(&b, IKEV2_MAX_TRANSFORMS);
	T_EQ_INT(parse_buf_status(&b, &err), IKEV2_PARSE_OK);
	buf_free(&b);
}

static void transform_count_disagreeing_with_body_is_malformed(void)
{
	struct ikev2_parse_err err;
	/* proposal announces 2 transforms, carries 1 */
	T_EQ_INT(parse_hex(HDR("21", "00000034") "00 00 0018" "00 00 0014 01 01 00 02"
			   "00 00 000c 01 00 000c 800e 0080", &err),
		 IKEV2_PARSE_MALFORMED);
	/* announces 1, the marker says more follow */
	T_EQ_INT(parse_hex(HDR("21", "00000034") "00 00 0018" "00 00 0014 01 01 00 01"
			   "03 00 000c 01 00 000c 800e 0080", &err),
		 IKEV2_PARSE_MALFORMED);
	/* the same, well formed */
	T_EQ_INT(parse_hex(HDR("21", "00000034") "00 00 0018" "00 00 0014 01 01 00 01"
			   "00 00 000c 01 00 000c 800e 0080", &err),
		 IKEV2_PARSE_OK);
}

static void key_length_in_tlv_form_is_malformed(void)
{
	struct ikev2_parse_err err;
	T_EQ_INT(parse_hex(HDR("21", "00000036") "00 00 001a" "00 00 0016 01 01 00 01"
			   "00 00 000e 01 00 000c 000e 0002 0080", &err),
		 IKEV2_PARSE_MALFORMED);
}

static void unknown_transform_attribute_is_flagged(void)
{
	uint8_t d[256];
	size_t n = t_unhex(HDR("21", "00000034") "00 00 0018" "00 00 0014 01 01 00 01"
			   "00 00 000c 01 00 000c 8011 0001", d, sizeof(d));
	static struct ikev2_msg m;
	struct ikev2_parse_err err;
	T_EQ_INT(ikev2_parse_message(d, n, &m, &err), 0);
	T_CHECK(m.sa.p[0].t[0].unknown_attr);
	T_EQ_INT(m.sa.p[0].t[0].key_bits, 0);
}

static void critical_unknown_payload_is_unsupported_critical(void)
{
	struct ikev2_parse_err err;
	T_EQ_INT(parse_hex(HDR("c8", "00000024") "00 80 0008 41424344", &err),
		 IKEV2_PARSE_UNSUPPORTED_CRITICAL);
	T_EQ_INT(err.payload, 200);
}

static void non_critical_unknown_payload_is_skipped(void)
{
	uint8_t d[256];
	size_t n = t_unhex(HDR("c8", "0000002c") "2b 00 0008 41424344" "00 00 0008 45464748", d,
			   sizeof(d));
	static struct ikev2_msg m;
	struct ikev2_parse_err err;
	T_EQ_INT(ikev2_parse_message(d, n, &m, &err), 0);
	T_EQ_INT(m.n_order, 2);
	T_EQ_INT(m.order[0], 200);
	T_EQ_INT(m.order[1], IKEV2_PL_VENDOR);
	T_CHECK(m.present == IKEV2_BIT(IKEV2_PL_VENDOR));
	T_EQ_INT(m.n_vendor, 1);
}

static void duplicate_sa_is_duplicate(void)
{
	struct ikev2_proposal p;
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.protocol = IKEV2_PROTO_IKE;
	struct buf b;
	struct ikev2_wr w;
	begin(&w, &b, IKEV2_IKE_SA_INIT);
	ikev2_w_sa(&w, &p, 1);
	ikev2_w_nonce(&w, nonce32, 32);
	ikev2_w_sa(&w, &p, 1);
	T_CHECK(ikev2_w_finish(&w));
	struct ikev2_parse_err err;
	T_EQ_INT(parse_buf_status(&b, &err), IKEV2_PARSE_DUPLICATE);
	T_EQ_INT(err.payload, IKEV2_PL_SA);
	buf_free(&b);
}

static void sk_not_last_is_malformed(void)
{
	struct buf b;
	struct ikev2_wr w;
	begin(&w, &b, IKEV2_IKE_AUTH);
	size_t sk = ikev2_w_sk_begin(&w, 8);
	ikev2_w_end(&w, sk);
	ikev2_w_vendor(&w, (const uint8_t *)"x", 1);
	T_CHECK(ikev2_w_finish(&w));
	struct ikev2_parse_err err;
	T_EQ_INT(parse_buf_status(&b, &err), IKEV2_PARSE_MALFORMED);
	T_EQ_INT(err.payload, IKEV2_PL_SK);
	buf_free(&b);
}

static void sk_inside_decrypted_chain_is_malformed(void)
{
	uint8_t d[64];
	size_t n = t_unhex("00 00 0008 00000000", d, sizeof(d));
	static struct ikev2_msg m;
	struct ikev2_parse_err err;
	memset(&m, 0, sizeof(m));
	T_EQ_INT(ikev2_parse_chain(IKEV2_PL_SK, d, n, &m, &err), -1);
	T_EQ_INT(err.status, IKEV2_PARSE_MALFORMED);
	/* an empty chain (e.g. a DPD INFORMATIONAL) is fine */
	T_EQ_INT(ikev2_parse_chain(IKEV2_PL_NONE, d, 0, &m, &err), 0);
	T_EQ_INT(m.n_order, 0);
}

static void cp_attribute_overrunning_is_malformed(void)
{
	struct ikev2_parse_err err;
	/* CP reply, attribute 1 claims 10 bytes, 4 present */
	T_EQ_INT(parse_hex(HDR("2f", "0000002c") "00 00 0010 02 000000 0001 000a 0a000001", &err),
		 IKEV2_PARSE_MALFORMED);
	T_EQ_INT(err.payload, IKEV2_PL_CP);
	/* half an attribute header */
	T_EQ_INT(parse_hex(HDR("2f", "00000026") "00 00 000a 02 000000 0001", &err),
		 IKEV2_PARSE_MALFORMED);
}

static void too_many_cp_attributes_is_too_many(void)
{
	static struct ikev2_cp cp;
	memset(&cp, 0, sizeof(cp));
	cp.type = IKEV2_CFG_REQUEST;
	cp.n = IKEV2_MAX_CP_ATTRS;
	for (unsigned i = 0; i < cp.n; i++)
		cp.a[i].type = IKEV2_CA_INTERNAL_IP4_DNS;
	struct buf b;
	struct ikev2_wr w;
	begin(&w, &b, IKEV2_IKE_AUTH);
	ikev2_w_cp(&w, &cp);
	T_CHECK(ikev2_w_finish(&w));
	struct ikev2_parse_err err;
	T_EQ_INT(parse_buf_status(&b, &err), IKEV2_PARSE_OK);
	/* one more empty attribute appended to the payload */
	buf_put_u32(&b, (uint32_t)IKEV2_CA_INTERNAL_IP4_DNS << 16);
	buf_patch_u16(&b, 30, (uint16_t)(b.len - 28));
	buf_patch_u32(&b, 24, (uint32_t)b.len);
	T_EQ_INT(parse_buf_status(&b, &err), IKEV2_PARSE_TOO_MANY);
	buf_free(&b);
}

static void ts_with_bad_selector_length_is_malformed(void)
{
	struct ikev2_parse_err err;
	/* IPv4 range claiming 20 bytes */
	T_EQ_INT(parse_hex(HDR("2c", "00000034") "00 00 0018 01 000000"
			   "07 00 0014 0000 ffff 00000000 ffffffff", &err),
		 IKEV2_PARSE_MALFORMED);
	T_EQ_INT(err.payload, IKEV2_PL_TSI);
	/* IPv6 range claiming the IPv4 size */
	T_EQ_INT(parse_hex(HDR("2c", "00000034") "00 00 0018 01 000000"
			   "08 00 0010 0000 ffff 00000000 ffffffff", &err),
		 IKEV2_PARSE_MALFORMED);
	/* the well-formed IPv4 range */
	T_EQ_INT(parse_hex(HDR("2c", "00000034") "00 00 0018 01 000000"
			   "07 00 0010 0000 ffff 00000000 ffffffff", &err),
		 IKEV2_PARSE_OK);
	/* two announced, one present */
	T_EQ_INT(parse_hex(HDR("2c", "00000034") "00 00 0018 02 000000"
			   "07 00 0010 0000 ffff 00000000 ffffffff", &err),
		 IKEV2_PARSE_MALFORMED);
}

static void ts_of_unknown_type_is_skipped(void)
{
	uint8_t d[256];
	size_t n = t_unhex(HDR("2c", "00000040") "00 00 0024 02 000000"
			   "09 00 000c 0000 ffff 12345678"
			   "07 00 0010 0000 ffff 00000000 ffffffff", d, sizeof(d));
	static struct ikev2_msg m;
	struct ikev2_parse_err err;
	T_EQ_INT(ikev2_parse_message(d, n, &m, &err), 0);
	T_EQ_INT(m.tsi.n, 1);
	T_EQ_INT(m.tsi.ts[0].type, IKEV2_TS_IPV4_ADDR_RANGE);
}

static void eap_length_mismatch_is_malformed(void)
{
	struct ikev2_parse_err err;
	/* EAP says 6, payload body has 5 */
	T_EQ_INT(parse_hex(HDR("30", "00000025") "00 00 0009 01 07 0006 01", &err),
		 IKEV2_PARSE_MALFORMED);
	T_EQ_INT(err.payload, IKEV2_PL_EAP);
	/* EAP says 4, payload body has 5 */
	T_EQ_INT(parse_hex(HDR("30", "00000025") "00 00 0009 03 07 0004 00", &err),
		 IKEV2_PARSE_MALFORMED);
	/* a 4-byte EAP Success is fine, a 4-byte Request is not */
	T_EQ_INT(parse_hex(HDR("30", "00000024") "00 00 0008 03 07 0004", &err), IKEV2_PARSE_OK);
	T_EQ_INT(parse_hex(HDR("30", "00000024") "00 00 0008 01 07 0004", &err),
		 IKEV2_PARSE_MALFORMED);
}

static void nonce_outside_16_to_256_is_malformed(void)
{
	struct ikev2_parse_err err;
	T_EQ_INT(parse_hex(HDR("28", "0000002f") "00 00 0013 000102030405060708090a0b0c0d0e", &err),
		 IKEV2_PARSE_MALFORMED);
	struct buf b;
	struct ikev2_wr w;
	uint8_t big[257] = { 0 };
	begin(&w, &b, IKEV2_IKE_SA_INIT);
	ikev2_w_nonce(&w, big, sizeof(big));
	T_CHECK(ikev2_w_finish(&w));
	T_EQ_INT(parse_buf_status(&b, &err), IKEV2_PARSE_MALFORMED);
	buf_free(&b);
}

static void delete_spi_count_mismatch_is_malformed(void)
{
	struct ikev2_parse_err err;
	T_EQ_INT(parse_hex(HDR("2a", "00000028") "00 00 000c 03 04 0002 01020304", &err),
		 IKEV2_PARSE_MALFORMED);
}

static void notify_spi_overrunning_is_malformed(void)
{
	struct ikev2_parse_err err;
	T_EQ_INT(parse_hex(HDR("29", "00000026") "00 00 000a 03 04 4009 0102", &err),
		 IKEV2_PARSE_MALFORMED);
}

static void payload_shorter_than_fixed_part_is_malformed(void)
{
	struct ikev2_parse_err err;
	/* KE with a 2-byte body */
	T_EQ_INT(parse_hex(HDR("22", "00000022") "00 00 0006 000e", &err), IKEV2_PARSE_MALFORMED);
	T_EQ_INT(err.payload, IKEV2_PL_KE);
}

static void skf_with_bad_fragment_number_is_malformed(void)
{
	struct ikev2_parse_err err;
	T_EQ_INT(parse_hex(HDR("35", "00000028") "23 00 000c 0000 0002 aabbccdd", &err),
		 IKEV2_PARSE_MALFORMED);
	T_EQ_INT(parse_hex(HDR("35", "00000028") "23 00 000c 0003 0002 aabbccdd", &err),
		 IKEV2_PARSE_MALFORMED);
	T_EQ_INT(parse_hex(HDR("35", "00000028") "23 00 000c 0002 0002 aabbccdd", &err),
		 IKEV2_PARSE_OK);
}

static void too_many_notifies_is_too_many(void)
{
	struct buf b;
	struct ikev2_wr w;
	begin(&w, &b, IKEV2_IKE_SA_INIT);
	for (unsigned i = 0; i <= IKEV2_MAX_NOTIFY; i++)
		ikev2_w_notify(&w, 0, NULL, 0, IKEV2_N_INITIAL_CONTACT, NULL, 0);
	T_CHECK(ikev2_w_finish(&w));
	struct ikev2_parse_err err;
	T_EQ_INT(parse_buf_status(&b, &err), IKEV2_PARSE_TOO_MANY);
	T_EQ_INT(err.payload, IKEV2_PL_NOTIFY);
	buf_free(&b);
}

static void too_many_payloads_is_too_many(void)
{
	struct buf b;
	struct ikev2_wr w;
	begin(&w, &b, IKEV2_IKE_SA_INIT);
	for (unsigned i = 0; i <= IKEV2_MAX_PAYLOADS; i++) {
		size_t off = ikev2_w_start(&w, 200, false);   /* unknown, skipped */
		ikev2_w_end(&w, off);
	}
	T_CHECK(ikev2_w_finish(&w));
	struct ikev2_parse_err err;
	T_EQ_INT(parse_buf_status(&b, &err), IKEV2_PARSE_TOO_MANY);
	buf_free(&b);
}

static void writer_fails_on_oversized_payload(void)
{
	static uint8_t big[70000];
	struct buf b;
	struct ikev2_wr w;
	begin(&w, &b, IKEV2_IKE_AUTH);
	ikev2_w_vendor(&w, big, sizeof(big));
	T_CHECK(!ikev2_w_finish(&w));
	buf_free(&b);
}

/* ---- names ------------------------------------------------------------------ */

static void transform_names_are_cisco_display_names(void)
{
	T_EQ_STR(ikev2_transform_name(IKEV2_TRANS_ENCR, 12), "AES-CBC");
	T_EQ_STR(ikev2_transform_name(IKEV2_TRANS_ENCR, 3), "3DES");
	T_EQ_STR(ikev2_transform_name(IKEV2_TRANS_PRF, 2), "SHA1");
	T_EQ_STR(ikev2_transform_name(IKEV2_TRANS_PRF, 5), "SHA256");
	T_EQ_STR(ikev2_transform_name(IKEV2_TRANS_INTEG, 2), "SHA96");
	T_EQ_STR(ikev2_transform_name(IKEV2_TRANS_INTEG, 1), "MD596");
	T_EQ_STR(ikev2_transform_name(IKEV2_TRANS_INTEG, 12), "SHA256");
	T_EQ_STR(ikev2_transform_name(IKEV2_TRANS_DH, 2), "DH_GROUP_1024_MODP/Group 2");
	T_EQ_STR(ikev2_transform_name(IKEV2_TRANS_DH, 14), "DH_GROUP_2048_MODP/Group 14");
	T_EQ_STR(ikev2_transform_name(IKEV2_TRANS_DH, 5), "DH_GROUP_1536_MODP/Group 5");
	T_EQ_STR(ikev2_transform_name(IKEV2_TRANS_DH, 999), "UNKNOWN");
	T_EQ_STR(ikev2_transform_name(9, 1), "UNKNOWN");
	T_EQ_STR(ikev2_transform_type_name(IKEV2_TRANS_INTEG), "INTEG");
}

static void every_declared_notify_type_has_a_name(void)
{
	static const uint16_t types[] = {
		IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD, IKEV2_N_INVALID_IKE_SPI,
		IKEV2_N_INVALID_MAJOR_VERSION, IKEV2_N_INVALID_SYNTAX, IKEV2_N_INVALID_MESSAGE_ID,
		IKEV2_N_INVALID_SPI, IKEV2_N_NO_PROPOSAL_CHOSEN, IKEV2_N_INVALID_KE_PAYLOAD,
		IKEV2_N_AUTHENTICATION_FAILED, IKEV2_N_SINGLE_PAIR_REQUIRED,
		IKEV2_N_NO_ADDITIONAL_SAS, IKEV2_N_INTERNAL_ADDRESS_FAILURE,
		IKEV2_N_FAILED_CP_REQUIRED, IKEV2_N_TS_UNACCEPTABLE, IKEV2_N_INVALID_SELECTORS,
		IKEV2_N_UNACCEPTABLE_ADDRESSES, IKEV2_N_UNEXPECTED_NAT_DETECTED,
		IKEV2_N_TEMPORARY_FAILURE, IKEV2_N_CHILD_SA_NOT_FOUND, IKEV2_N_INITIAL_CONTACT,
		IKEV2_N_SET_WINDOW_SIZE, IKEV2_N_ADDITIONAL_TS_POSSIBLE, IKEV2_N_IPCOMP_SUPPORTED,
		IKEV2_N_NAT_DETECTION_SOURCE_IP, IKEV2_N_NAT_DETECTION_DESTINATION_IP,
		IKEV2_N_COOKIE, IKEV2_N_USE_TRANSPORT_MODE, IKEV2_N_HTTP_CERT_LOOKUP_SUPPORTED,
		IKEV2_N_REKEY_SA, IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED,
		IKEV2_N_NON_FIRST_FRAGMENTS_ALSO, IKEV2_N_MOBIKE_SUPPORTED,
		IKEV2_N_ADDITIONAL_IP4_ADDRESS, IKEV2_N_ADDITIONAL_IP6_ADDRESS,
		IKEV2_N_NO_ADDITIONAL_ADDRESSES, IKEV2_N_UPDATE_SA_ADDRESSES, IKEV2_N_COOKIE2,
		IKEV2_N_NO_NATS_ALLOWED, IKEV2_N_AUTH_LIFETIME, IKEV2_N_MULTIPLE_AUTH_SUPPORTED,
		IKEV2_N_ANOTHER_AUTH_FOLLOWS, IKEV2_N_REDIRECT_SUPPORTED, IKEV2_N_REDIRECT,
		IKEV2_N_REDIRECTED_FROM, IKEV2_N_EAP_ONLY_AUTHENTICATION,
		IKEV2_N_CHILDLESS_IKEV2_SUPPORTED, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED,
		IKEV2_N_SIGNATURE_HASH_ALGORITHMS,
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const char *n = ikev2_notify_name(types[i]);
		if (!n)
			fprintf(stderr, "  notify %u has no name\n", types[i]);
		T_CHECK(n != NULL);
	}
	T_EQ_STR(ikev2_notify_name(IKEV2_N_NAT_DETECTION_SOURCE_IP), "NAT_DETECTION_SOURCE_IP");
	T_EQ_STR(ikev2_notify_name(IKEV2_N_NO_PROPOSAL_CHOSEN), "NO_PROPOSAL_CHOSEN");
	T_CHECK(ikev2_notify_name(40963) == NULL);
}

static void payload_exchange_id_and_auth_names(void)
{
	T_EQ_STR(ikev2_payload_name(IKEV2_PL_SA), "SA");
	T_EQ_STR(ikev2_payload_name(IKEV2_PL_NONCE), "N");
	T_EQ_STR(ikev2_payload_name(IKEV2_PL_NOTIFY), "NOTIFY");
	T_EQ_STR(ikev2_payload_name(IKEV2_PL_VENDOR), "VID");
	T_EQ_STR(ikev2_payload_name(IKEV2_PL_SK), "SK");
	T_EQ_STR(ikev2_payload_name(IKEV2_PL_NONE), "NONE");
	T_EQ_STR(ikev2_payload_name(99), "UNKNOWN");
	T_EQ_STR(ikev2_exchange_name(IKEV2_IKE_SA_INIT), "IKE_SA_INIT");
	T_EQ_STR(ikev2_exchange_name(IKEV2_INFORMATIONAL), "INFORMATIONAL");
	T_EQ_STR(ikev2_exchange_name(1), "UNKNOWN");
	T_EQ_STR(ikev2_id_type_name(IKEV2_ID_FQDN), "FQDN");
	T_EQ_STR(ikev2_auth_method_name(IKEV2_AUTH_PSK), "PSK");
}

/* ---- dump and summary -------------------------------------------------------------- */

struct lines {
	char text[64][160];
	unsigned n;
};

static void collect_line(void *arg, const char *text)
{
	struct lines *l = arg;
	if (l->n < 64)
		snprintf(l->text[l->n++], sizeof(l->text[0]), "%s", text);
}

static void dump_prints_asa_style_lines(void)
{
	uint8_t d[512];
	size_t n = t_unhex(ike_sa_init_hex, d, sizeof(d));
	static struct ikev2_msg m;
	struct ikev2_parse_err err;
	T_EQ_INT(ikev2_parse_message(d, n, &m, &err), 0);
	static struct lines l;
	memset(&l, 0, sizeof(l));
	ikev2_msg_dump(&m, collect_line, &l);
	static const char *const want[] = {
		"Next payload: SA, version: 2.0 Exchange type: IKE_SA_INIT, flags: INITIATOR Message id: 0, length: 148",
		"Payload contents:",
		" SA  Next payload: KE, reserved: 0x0, length: 48",
		"  Proposal: 1, Protocol id: IKE, SPI size: 0, #trans: 4",
		"    type: 1, reserved: 0x0, id: AES-CBC",
		"      key length: 256",
		"    type: 2, reserved: 0x0, id: SHA256",
		"    type: 3, reserved: 0x0, id: SHA256",
		"    type: 4, reserved: 0x0, id: DH_GROUP_2048_MODP/Group 14",
		" KE  Next payload: N, reserved: 0x0, length: 16",
		"    DH group: 14, KE data length: 8",
		" N  Next payload: NOTIFY, reserved: 0x0, length: 20",
		"    Nonce length: 16",
		" NOTIFY(NAT_DETECTION_SOURCE_IP)  Next payload: NOTIFY, reserved: 0x0, length: 28",
		"    Security protocol id: IKE, spi size: 0, type: NAT_DETECTION_SOURCE_IP",
		"    Notify data length: 20",
		" NOTIFY(IKEV2_FRAGMENTATION_SUPPORTED)  Next payload: NONE, reserved: 0x0, length: 8",
		"    Security protocol id: IKE, spi size: 0, type: IKEV2_FRAGMENTATION_SUPPORTED",
	};
	size_t nw = sizeof(want) / sizeof(want[0]);
	T_EQ_INT(l.n, nw);
	for (size_t i = 0; i < nw && i < l.n; i++)
		T_EQ_STR(l.text[i], want[i]);
}

static void dump_shows_response_flag_ids_and_selectors(void)
{
	static struct ikev2_ts_list ts;
	memset(&ts, 0, sizeof(ts));
	ts.n = 1;
	ts.ts[0].type = IKEV2_TS_IPV4_ADDR_RANGE;
	ts.ts[0].end_port = 65535;
	memcpy(ts.ts[0].start, "\x0a\x0a\x0a\x05", 4);
	memcpy(ts.ts[0].end, "\x0a\x0a\x0a\x05", 4);
	struct ikev2_hdr h = test_hdr(IKEV2_IKE_AUTH, IKEV2_FLAG_RESPONSE, 1);
	struct buf b;
	struct ikev2_wr w;
	buf_init(&b);
	ikev2_w_begin(&w, &b, &h);
	ikev2_w_id(&w, IKEV2_PL_IDR, IKEV2_ID_FQDN, (const uint8_t *)"asa.example", 11);
	ikev2_w_ts(&w, IKEV2_PL_TSI, &ts);
	static struct ikev2_msg m;
	T_EQ_INT(finish_parse(&w, &m), 0);
	static struct lines l;
	memset(&l, 0, sizeof(l));
	ikev2_msg_dump(&m, collect_line, &l);
	T_CHECK(l.n >= 9);
	T_EQ_STR(l.text[0], "Next payload: IDr, version: 2.0 Exchange type: IKE_AUTH, flags: RESPONDER MSG-RESPONSE Message id: 1, length: 71");
	T_EQ_STR(l.text[2], " IDr  Next payload: TSi, reserved: 0x0, length: 19");
	T_EQ_STR(l.text[3], "    Id type: FQDN, data length: 11");
	T_EQ_STR(l.text[4], "    Id: asa.example");
	T_EQ_STR(l.text[5], " TSi  Next payload: NONE, reserved: 0x0, length: 24");
	T_EQ_STR(l.text[6], "    Num of TSs: 1");
	T_EQ_STR(l.text[7], "    TS type: TS_IPV4_ADDR_RANGE, proto id: 0, length: 16");
	T_EQ_STR(l.text[8], "    start port: 0, end port: 65535");
	T_EQ_STR(l.text[9], "    start addr: 10.10.10.5, end addr: 10.10.10.5");
	buf_free(&b);
}

static void summary_lists_payloads_with_notify_names(void)
{
	uint8_t d[512];
	size_t n = t_unhex(ike_sa_init_hex, d, sizeof(d));
	static struct ikev2_msg m;
	struct ikev2_parse_err err;
	T_EQ_INT(ikev2_parse_message(d, n, &m, &err), 0);
	char s[256];
	ikev2_msg_summary(&m, s, sizeof(s));
	T_EQ_STR(s, "SA KE N NOTIFY(NAT_DETECTION_SOURCE_IP) NOTIFY(IKEV2_FRAGMENTATION_SUPPORTED)");
	/* a short buffer is cut, never overrun */
	char small[10];
	memset(small, 'x', sizeof(small));
	ikev2_msg_summary(&m, small, 8);
	T_EQ_STR(small, "SA KE N");
	T_EQ_INT(small[9], 'x');
}

static bool has_line(const struct lines *l, const char *want)
{
	for (unsigned i = 0; i < l->n; i++)
		if (strcmp(l->text[i], want) == 0)
			return true;
	fprintf(stderr, "  missing dump line: \"%s\"\n", want);
	return false;
}

static void dump_shows_cp_vendor_delete_eap_and_sk(void)
{
	static struct ikev2_cp cp;
	memset(&cp, 0, sizeof(cp));
	cp.type = IKEV2_CFG_REPLY;
	cp.n = 2;
	cp.a[0].type = IKEV2_CA_INTERNAL_IP4_ADDRESS;
	cp.a[0].value = (struct ikev2_blob){ (const uint8_t *)"\x0a\x0a\x0a\x05", 4 };
	cp.a[1].type = IKEV2_CA_INTERNAL_IP6_ADDRESS;
	cp.a[1].value = (struct ikev2_blob){ nonce32, 17 };
	const uint8_t eap[] = { 1, 9, 0, 5, 1 };
	struct buf b;
	struct ikev2_wr w;
	begin(&w, &b, IKEV2_INFORMATIONAL);
	ikev2_w_cp(&w, &cp);
	ikev2_w_vendor(&w, (const uint8_t *)"CISCO-DELETE-REASON", 19);
	ikev2_w_vendor(&w, nonce32, 4);
	ikev2_w_delete(&w, IKEV2_PROTO_ESP, 4, (const uint8_t *)"\xca\xfe\x00\x01", 1);
	ikev2_w_eap(&w, eap, sizeof(eap));
	ikev2_w_notify(&w, 0, NULL, 0, 40963, NULL, 0);
	size_t sk = ikev2_w_sk_begin(&w, 16);
	ikev2_w_end(&w, sk);
	static struct ikev2_msg m;
	T_EQ_INT(finish_parse(&w, &m), 0);
	static struct lines l;
	memset(&l, 0, sizeof(l));
	ikev2_msg_dump(&m, collect_line, &l);
	T_CHECK(has_line(&l, " CFG  Next payload: VID, reserved: 0x0, length: 37"));
	T_CHECK(has_line(&l, "    cfg type: CFG_REPLY"));
	T_CHECK(has_line(&l, "    attrib type: INTERNAL_IP4_ADDRESS, length: 4, value: 10.10.10.5"));
	T_CHECK(has_line(&l, "    attrib type: INTERNAL_IP6_ADDRESS, length: 17"));
	T_CHECK(has_line(&l, "    Vendor ID: \"CISCO-DELETE-REASON\""));
	T_CHECK(has_line(&l, "    Vendor ID: 01020304"));
	T_CHECK(has_line(&l, "    Protocol id: ESP, SPI size: 4, # of SPIs: 1"));
	T_CHECK(has_line(&l, "    SPI: cafe0001"));
	T_CHECK(has_line(&l, "    EAP code: Request, id: 9, length: 5, type: 1"));
	T_CHECK(has_line(&l, " NOTIFY(40963)  Next payload: SK, reserved: 0x0, length: 8"));
	T_CHECK(has_line(&l, " SK  Next payload: NONE, reserved: 0x0, length: 20"));
	T_CHECK(has_line(&l, "    Encrypted data: 16 bytes"));
	char s[256];
	ikev2_msg_summary(&m, s, sizeof(s));
	T_EQ_STR(s, "CFG VID VID DELETE EAP NOTIFY(40963) SK");
	buf_free(&b);
}

static void descriptor_table_covers_every_payload_type(void)
{
	static const uint8_t types[] = {
		IKEV2_PL_SA, IKEV2_PL_KE, IKEV2_PL_IDI, IKEV2_PL_IDR, IKEV2_PL_CERT,
		IKEV2_PL_CERTREQ, IKEV2_PL_AUTH, IKEV2_PL_NONCE, IKEV2_PL_NOTIFY,
		IKEV2_PL_DELETE, IKEV2_PL_VENDOR, IKEV2_PL_TSI, IKEV2_PL_TSR, IKEV2_PL_SK,
		IKEV2_PL_CP, IKEV2_PL_EAP, IKEV2_PL_SKF,
	};
	size_t n;
	const struct ikev2_pl_desc *t = ikev2_pl_table(&n);
	T_EQ_INT(n, sizeof(types));
	for (size_t i = 0; i < sizeof(types); i++) {
		const struct ikev2_pl_desc *d = ikev2_pl_find(types[i]);
		T_CHECK(d != NULL);
		if (!d)
			continue;
		T_EQ_INT(d->type, types[i]);
		T_CHECK(d->min_len >= 4);
		T_CHECK(d->max >= 1);
		T_CHECK(d->parse && d->emit && d->dump && d->name);
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			T_CHECK(t[i].type != t[j].type);
	T_CHECK(ikev2_pl_find(IKEV2_PL_NONE) == NULL);
	T_CHECK(ikev2_pl_find(49) == NULL);
}

int main(void)
{
	T_RUN(sa_round_trip_keeps_proposals_transforms_and_key_length);
	T_RUN(ke_and_nonce_round_trip);
	T_RUN(id_round_trip_keeps_body_for_auth);
	T_RUN(cert_certreq_and_auth_round_trip);
	T_RUN(notify_round_trip_with_and_without_spi);
	T_RUN(delete_round_trip_lists_spis);
	T_RUN(vendor_round_trip_keeps_each_id);
	T_RUN(ts_round_trip_ipv4_and_ipv6_ranges);
	T_RUN(cp_round_trip_masks_reserved_bit);
	T_RUN(eap_round_trip_keeps_whole_packet);
	T_RUN(sk_round_trip_records_offset_and_inner_chain);
	T_RUN(skf_round_trip_keeps_fragment_numbers);
	T_RUN(chain_re_emit_reproduces_every_payload);
	T_RUN(writer_matches_hand_assembled_ike_sa_init);
	T_RUN(hand_assembled_ike_sa_init_parses);
	T_RUN(short_datagram_is_truncated);
	T_RUN(major_version_other_than_2_is_bad_version);
	T_RUN(truncated_generic_header_is_truncated);
	T_RUN(payload_length_below_4_is_truncated);
	T_RUN(payload_length_overrunning_message_is_truncated);
	T_RUN(bytes_after_last_payload_are_truncated);
	T_RUN(header_length_disagreeing_with_datagram_is_dropped);
	T_RUN(too_many_proposals_is_too_many);
	T_RUN(too_many_transforms_is_too_many);
	T_RUN(transform_count_disagreeing_with_body_is_malformed);
	T_RUN(key_length_in_tlv_form_is_malformed);
	T_RUN(unknown_transform_attribute_is_flagged);
	T_RUN(critical_unknown_payload_is_unsupported_critical);
	T_RUN(non_critical_unknown_payload_is_skipped);
	T_RUN(duplicate_sa_is_duplicate);
	T_RUN(sk_not_last_is_malformed);
	T_RUN(sk_inside_decrypted_chain_is_malformed);
	T_RUN(cp_attribute_overrunning_is_malformed);
	T_RUN(too_many_cp_attributes_is_too_many);
	T_RUN(ts_with_bad_selector_length_is_malformed);
	T_RUN(ts_of_unknown_type_is_skipped);
	T_RUN(eap_length_mismatch_is_malformed);
	T_RUN(nonce_outside_16_to_256_is_malformed);
	T_RUN(delete_spi_count_mismatch_is_malformed);
	T_RUN(notify_spi_overrunning_is_malformed);
	T_RUN(payload_shorter_than_fixed_part_is_malformed);
	T_RUN(skf_with_bad_fragment_number_is_malformed);
	T_RUN(too_many_notifies_is_too_many);
	T_RUN(too_many_payloads_is_too_many);
	T_RUN(writer_fails_on_oversized_payload);
	T_RUN(transform_names_are_cisco_display_names);
	T_RUN(every_declared_notify_type_has_a_name);
	T_RUN(payload_exchange_id_and_auth_names);
	T_RUN(dump_prints_asa_style_lines);
	T_RUN(dump_shows_response_flag_ids_and_selectors);
	T_RUN(summary_lists_payloads_with_notify_names);
	T_RUN(dump_shows_cp_vendor_delete_eap_and_sk);
	T_RUN(descriptor_table_covers_every_payload_type);
	T_DONE();
}
