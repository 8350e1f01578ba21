/* Writes the seed corpus of fuzz_ikev1 with the codec's own writer:
 *   gen_ikev1_corpus tests/fuzz/corpus/ikev1
 * The shapes follow vpnc's messages (protocol.md §1.3-1.8).  Messages with
 * the ENC flag hold a clear chain plus padding, so that the fuzzer's "parse
 * the body as if decrypted" step starts from valid payloads. */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "wire/ikev1.h"

static const uint8_t filler[256] = {
	0x5e, 0xed, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
	0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a,
};
static const uint8_t cookies[16] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
				     0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00 };
static const uint8_t ip4[8] = { 10, 1, 0, 100, 255, 255, 255, 0 };

static struct ikev1_sa sa;

static void begin(struct ikev1_wr *w, struct buf *b, uint8_t exchange, uint8_t flags,
		  uint32_t msg_id)
{
	struct ikev1_hdr h = { .spi_i = 0x1122334455667788ULL,
			       .spi_r = exchange == IKEV1_X_AGGRESSIVE && !flags ? 0 : 0x99aabbccddeeff00ULL,
			       .version = IKEV1_VERSION, .exchange = exchange, .flags = flags,
			       .msg_id = msg_id };
	buf_reset(b);
	ikev1_w_begin(w, b, &h);
}

static int save(const char *dir, const char *name, struct ikev1_wr *w, size_t pad)
{
	buf_skip(w->b, pad);   /* CBC padding / datagram tail, after Length */
	if (!ikev1_w_finish(w))
		return -1;
	/* Length covers the padding too, as in a real encrypted message */
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(w->b->data, 1, w->b->len, f) != w->b->len) {
		perror(path);
		return -1;
	}
	return fclose(f);
}

static void vids(struct ikev1_wr *w, const enum ikev1_vid *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const uint8_t *p = ikev1_vid_bytes(v[i], &len);
		ikev1_w_vendor(w, p, len);
	}
}

/* vpnc's 24 phase-1 transforms (protocol.md §1.3). */
static void vpnc_p1_sa(void)
{
	static const uint16_t encr[12] = { 7, 7, 7, 7, 7, 7, 5, 5, 1, 1, 0, 0 };
	static const uint16_t keyl[12] = { 256, 256, 192, 192, 128, 128, 0, 0, 0, 0, 0, 0 };
	memset(&sa, 0, sizeof(sa));
	sa.doi = 1;
	sa.situation = 1;
	sa.n = 1;
	sa.p[0].protocol = IKEV1_PROTO_ISAKMP;
	sa.p[0].n_transforms = 24;
	sa.n_t = 24;
	for (unsigned i = 0; i < 24; i++)
		sa.t[i] = (struct ikev1_transform){ .num = (uint8_t)i, .id = 1,
			.key_bits = keyl[i % 12], .encr = encr[i % 12], .hash = i % 2 ? 1 : 2,
			.group = 2, .auth = i < 12 ? 65001 : 1, .life_sec = 2147483 };
}

static void one_p1_transform(void)
{
	memset(&sa, 0, sizeof(sa));
	sa.doi = 1;
	sa.situation = 1;
	sa.n = 1;
	sa.p[0].protocol = IKEV1_PROTO_ISAKMP;
	sa.p[0].n_transforms = 1;
	sa.n_t = 1;
	sa.t[0] = (struct ikev1_transform){ .id = 1, .key_bits = 256, .encr = 7, .hash = 2,
					    .group = 2, .auth = 65001, .life_sec = 86400,
					    .life_kb = 4608000 };
}

static void vpnc_p2_sa(void)
{
	static const uint8_t esp[12] = { 12, 12, 12, 12, 12, 12, 3, 3, 2, 2, 11, 11 };
	static const uint16_t keyl[12] = { 256, 256, 192, 192, 128, 128, 0, 0, 0, 0, 0, 0 };
	memset(&sa, 0, sizeof(sa));
	sa.doi = 1;
	sa.situation = 1;
	sa.n = 12;
	sa.n_t = 12;
	for (unsigned i = 0; i < 12; i++) {
		sa.p[i] = (struct ikev1_proposal){ .num = (uint8_t)i, .protocol = IKEV1_PROTO_ESP,
						   .spi_size = 4, .spi = { 0xc0, 0xde, 0, (uint8_t)i },
						   .n_transforms = 1, .first = (uint8_t)i };
		sa.t[i] = (struct ikev1_transform){ .num = 1, .id = esp[i], .key_bits = keyl[i],
						    .encap = i < 6 ? 1 : 61443, .auth_alg = i % 2 ? 1 : 2,
						    .pfs_group = i == 0 ? 2 : 0, .life_sec = 2147483 };
	}
}

static void cfg_attr(struct ikev1_cfg *c, uint16_t type, bool tv, uint16_t v, const void *p,
		     size_t len)
{
	struct ikev1_attr *a = &c->a[c->n++];
	a->type = type;
	a->tv = tv;
	a->tv_value = v;
	a->value.data = p;
	a->value.len = len;
}

int main(int argc, char **argv)
{
	static const enum ikev1_vid am1_vids[] = {
		IKEV1_VID_XAUTH, IKEV1_VID_UNITY, IKEV1_VID_NATT_RFC, IKEV1_VID_NATT_03,
		IKEV1_VID_NATT_02N, IKEV1_VID_NATT_02, IKEV1_VID_NATT_01, IKEV1_VID_NATT_00,
		IKEV1_VID_DPD,
	};
	static const enum ikev1_vid am2_vids[] = {
		IKEV1_VID_CISCO_CONCENTRATOR, IKEV1_VID_UNITY, IKEV1_VID_XAUTH, IKEV1_VID_DPD,
		IKEV1_VID_NATT_RFC, IKEV1_VID_FRAG,
	};
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	const char *dir = argv[1];
	struct buf b;
	struct ikev1_wr w;
	struct ikev1_cfg c;
	int rc = 0;
	buf_init(&b);

	begin(&w, &b, IKEV1_X_AGGRESSIVE, 0, 0);
	vpnc_p1_sa();
	ikev1_w_sa(&w, &sa);
	ikev1_w_ke(&w, filler, 128);
	ikev1_w_nonce(&w, filler, 20);
	ikev1_w_id(&w, IKEV1_ID_KEY_ID, 17, 500, (const uint8_t *)"vpngroup", 8);
	vids(&w, am1_vids, sizeof(am1_vids) / sizeof(am1_vids[0]));
	rc |= save(dir, "am1-vpnc", &w, 0);

	begin(&w, &b, IKEV1_X_AGGRESSIVE, 0, 0);
	one_p1_transform();
	ikev1_w_sa(&w, &sa);
	ikev1_w_ke(&w, filler, 128);
	ikev1_w_nonce(&w, filler, 20);
	ikev1_w_id(&w, IKEV1_ID_IPV4_ADDR, 17, 500, ip4, 4);
	ikev1_w_hash(&w, IKEV1_PL_HASH, 20);
	vids(&w, am2_vids, sizeof(am2_vids) / sizeof(am2_vids[0]));
	ikev1_w_natd(&w, false, filler, 20);
	ikev1_w_natd(&w, false, filler + 20, 20);
	ikev1_w_notify(&w, 1, IKEV1_PROTO_ISAKMP, cookies, 16, IKEV1_N_RESPONDER_LIFETIME,
		       (const uint8_t *)"\x80\x0b\x00\x01\x00\x0c\x00\x04\x00\x01\x51\x80", 12);
	rc |= save(dir, "am2-asa", &w, 0);

	begin(&w, &b, IKEV1_X_AGGRESSIVE, IKEV1_FLAG_ENC, 0);
	ikev1_w_hash(&w, IKEV1_PL_HASH, 20);
	ikev1_w_notify(&w, 1, IKEV1_PROTO_ISAKMP, cookies, 16, IKEV1_N_INITIAL_CONTACT, NULL, 0);
	ikev1_w_vendor(&w, filler, 16);
	ikev1_w_natd(&w, true, filler, 20);
	ikev1_w_natd(&w, true, filler, 20);
	rc |= save(dir, "am3-enc", &w, 4);

	memset(&c, 0, sizeof(c));
	c.type = IKEV1_CFG_REQUEST;
	c.identifier = 0x1234;
	cfg_attr(&c, IKEV1_CA_XAUTH_TYPE, true, 0, NULL, 0);
	cfg_attr(&c, IKEV1_CA_XAUTH_USER_NAME, false, 0, NULL, 0);
	cfg_attr(&c, IKEV1_CA_XAUTH_USER_PASSWORD, false, 0, NULL, 0);
	cfg_attr(&c, IKEV1_CA_XAUTH_MESSAGE, false, 0, "Enter password", 14);
	begin(&w, &b, IKEV1_X_TRANSACTION, IKEV1_FLAG_ENC, 0x60c25136);
	ikev1_w_hash(&w, IKEV1_PL_HASH, 20);
	ikev1_w_cfg(&w, &c);
	rc |= save(dir, "xauth-request", &w, 7);

	memset(&c, 0, sizeof(c));
	c.type = IKEV1_CFG_REPLY;
	c.identifier = 0x1234;
	cfg_attr(&c, IKEV1_CA_XAUTH_TYPE, true, 0, NULL, 0);
	cfg_attr(&c, IKEV1_CA_XAUTH_USER_NAME, false, 0, "alice", 5);
	cfg_attr(&c, IKEV1_CA_XAUTH_USER_PASSWORD, false, 0, "secret", 6);
	begin(&w, &b, IKEV1_X_TRANSACTION, 0, 0x60c25136);
	ikev1_w_hash(&w, IKEV1_PL_HASH, 20);
	ikev1_w_cfg(&w, &c);
	rc |= save(dir, "xauth-reply", &w, 0);

	memset(&c, 0, sizeof(c));
	c.type = IKEV1_CFG_REQUEST;
	c.identifier = 20;
	static const uint16_t req[] = { 1, 2, 3, 4, 28674, 28677 };
	for (size_t i = 0; i < sizeof(req) / sizeof(req[0]); i++)
		cfg_attr(&c, req[i], false, 0, NULL, 0);
	cfg_attr(&c, 28680, false, 0, "\x80\x01\x00\x01\x80\x02\x00\x01\x80\x03\x00\x02", 12);
	static const uint16_t req2[] = { 28679, 28672, 28673, 28676, 28675 };
	for (size_t i = 0; i < sizeof(req2) / sizeof(req2[0]); i++)
		cfg_attr(&c, req2[i], false, 0, NULL, 0);
	cfg_attr(&c, 28682, false, 0, "host", 4);
	cfg_attr(&c, 7, false, 0, "Cisco Systems VPN Client 0.5.3:Linux", 36);
	begin(&w, &b, IKEV1_X_TRANSACTION, 0, 0x0badcafe);
	ikev1_w_hash(&w, IKEV1_PL_HASH, 20);
	ikev1_w_cfg(&w, &c);
	rc |= save(dir, "cfg-request-vpnc", &w, 0);

	memset(&c, 0, sizeof(c));
	c.type = IKEV1_CFG_REPLY;
	c.identifier = 20;
	cfg_attr(&c, 1, false, 0, ip4, 4);
	cfg_attr(&c, 2, false, 0, ip4 + 4, 4);
	cfg_attr(&c, 3, false, 0, ip4, 4);
	cfg_attr(&c, 28672, false, 0, "Welcome", 7);
	cfg_attr(&c, 28673, true, 0, NULL, 0);
	cfg_attr(&c, 28679, true, 1, NULL, 0);
	cfg_attr(&c, 28676, false, 0, "\x0a\x01\x00\x00\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00", 14);
	begin(&w, &b, IKEV1_X_TRANSACTION, IKEV1_FLAG_ENC, 0x0badcafe);
	ikev1_w_hash(&w, IKEV1_PL_HASH, 20);
	ikev1_w_cfg(&w, &c);
	rc |= save(dir, "cfg-reply", &w, 3);

	begin(&w, &b, IKEV1_X_QUICK, 0, 0x38331948);
	ikev1_w_hash(&w, IKEV1_PL_HASH, 20);
	vpnc_p2_sa();
	ikev1_w_sa(&w, &sa);
	ikev1_w_nonce(&w, filler, 20);
	ikev1_w_ke(&w, filler, 128);
	ikev1_w_id(&w, IKEV1_ID_IPV4_ADDR, 0, 0, ip4, 4);
	ikev1_w_id(&w, IKEV1_ID_IPV4_ADDR_SUBNET, 0, 0, filler + 100, 8);
	ikev1_w_natoa(&w, false, ip4, 4);
	ikev1_w_natoa(&w, true, filler, 16);
	rc |= save(dir, "qm1-vpnc", &w, 0);

	begin(&w, &b, IKEV1_X_INFO, IKEV1_FLAG_ENC, 0x01020304);
	ikev1_w_hash(&w, IKEV1_PL_HASH, 20);
	ikev1_w_delete(&w, 1, IKEV1_PROTO_ESP, 4, filler, 3);
	ikev1_w_notify(&w, 1, IKEV1_PROTO_ISAKMP, cookies, 16, IKEV1_N_R_U_THERE,
		       (const uint8_t *)"\x00\x00\x12\x34", 4);
	rc |= save(dir, "info-delete-dpd", &w, 8);

	begin(&w, &b, IKEV1_X_INFO, 0, 0);
	ikev1_w_delete(&w, 1, IKEV1_PROTO_ISAKMP, 16, cookies, 1);
	ikev1_w_notify(&w, 1, IKEV1_PROTO_ISAKMP, NULL, 0, IKEV1_N_NO_PROPOSAL_CHOSEN, NULL, 0);
	rc |= save(dir, "info-clear", &w, 0);

	begin(&w, &b, IKEV1_X_AGGRESSIVE, 0, 0);
	ikev1_w_frag(&w, 7, 1, false, filler, 200);
	rc |= save(dir, "frag-1", &w, 0);
	begin(&w, &b, IKEV1_X_AGGRESSIVE, 0, 0);
	ikev1_w_frag(&w, 7, 2, true, filler, 60);
	rc |= save(dir, "frag-2-last", &w, 0);

	begin(&w, &b, IKEV1_X_MAIN, IKEV1_FLAG_ENC, 0);
	ikev1_w_id(&w, IKEV1_ID_DER_ASN1_DN, 17, 500, filler, 40);
	ikev1_w_cert(&w, IKEV1_PL_CERT, 4, filler, 200);
	ikev1_w_cert(&w, IKEV1_PL_CR, 4, NULL, 0);
	ikev1_w_hash(&w, IKEV1_PL_SIG, 128);
	rc |= save(dir, "mm5-cert", &w, 5);

	buf_free(&b);
	return rc ? 1 : 0;
}
