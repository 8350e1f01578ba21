/* Writes the seed corpus of fuzz_ikev2 with the codec's own writer:
 *   gen_ikev2_corpus tests/fuzz/corpus/ikev2
 * SK/SKF bodies hold plaintext inner chains (no IV), so that the fuzzer's
 * "parse the SK body as if decrypted" step starts from valid payloads. */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "wire/ikev2.h"

static const uint8_t filler[256] = {
	0x5e, 0xed, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
	0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a,
};

static struct ikev2_hdr hdr(uint8_t exchange, uint8_t flags, uint32_t msg_id, uint64_t spi_r)
{
	struct ikev2_hdr h = { .spi_i = 0x1122334455667788ULL, .spi_r = spi_r,
			       .version = IKEV2_VERSION, .exchange = exchange, .flags = flags,
			       .msg_id = msg_id };
	return h;
}

static struct ikev2_transform tr(uint8_t type, uint16_t id, uint16_t key_bits)
{
	struct ikev2_transform t = { .type = type, .id = id, .key_bits = key_bits };
	return t;
}

static void ike_proposals(struct ikev2_proposal p[2])
{
	memset(p, 0, 2 * sizeof(p[0]));
	p[0].num = 1;
	p[0].protocol = IKEV2_PROTO_IKE;
	p[0].n_transforms = 5;
	p[0].t[0] = tr(IKEV2_TRANS_ENCR, 12, 256);
	p[0].t[1] = tr(IKEV2_TRANS_ENCR, 12, 128);
	p[0].t[2] = tr(IKEV2_TRANS_PRF, 5, 0);
	p[0].t[3] = tr(IKEV2_TRANS_INTEG, 12, 0);
	p[0].t[4] = tr(IKEV2_TRANS_DH, 14, 0);
	p[1].num = 2;
	p[1].protocol = IKEV2_PROTO_IKE;
	p[1].n_transforms = 4;
	p[1].t[0] = tr(IKEV2_TRANS_ENCR, 20, 256);
	p[1].t[1] = tr(IKEV2_TRANS_PRF, 7, 0);
	p[1].t[2] = tr(IKEV2_TRANS_DH, 19, 0);
	p[1].t[3] = tr(IKEV2_TRANS_DH, 2, 0);
}

static void esp_proposal(struct ikev2_proposal *p)
{
	memset(p, 0, sizeof(*p));
	p->num = 1;
	p->protocol = IKEV2_PROTO_ESP;
	p->spi_size = 4;
	memcpy(p->spi, "\xca\xfe\x00\x01", 4);
	p->n_transforms = 4;
	p->t[0] = tr(IKEV2_TRANS_ENCR, 12, 256);
	p->t[1] = tr(IKEV2_TRANS_INTEG, 2, 0);
	p->t[2] = tr(IKEV2_TRANS_INTEG, 12, 0);
	p->t[3] = tr(IKEV2_TRANS_ESN, 0, 0);
}

static void any_ts(struct ikev2_ts_list *l, bool v6)
{
	memset(l, 0, sizeof(*l));
	l->n = 1;
	l->ts[0].type = v6 ? IKEV2_TS_IPV6_ADDR_RANGE : IKEV2_TS_IPV4_ADDR_RANGE;
	l->ts[0].end_port = 65535;
	memset(l->ts[0].end, 0xff, v6 ? 16 : 4);
}

static void sa_init_request(struct ikev2_wr *w)
{
	struct ikev2_proposal p[2];
	ike_proposals(p);
	ikev2_w_sa(w, p, 2);
	ikev2_w_ke(w, 14, filler, 256);
	ikev2_w_nonce(w, filler, 32);
	ikev2_w_notify(w, 0, NULL, 0, IKEV2_N_NAT_DETECTION_SOURCE_IP, filler, 20);
	ikev2_w_notify(w, 0, NULL, 0, IKEV2_N_NAT_DETECTION_DESTINATION_IP, filler + 20, 20);
	ikev2_w_notify(w, 0, NULL, 0, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	ikev2_w_vendor(w, (const uint8_t *)"CISCO-DELETE-REASON", 19);
	ikev2_w_vendor(w, (const uint8_t *)"FLEXVPN-SUPPORTED", 17);
}

static void sa_init_response(struct ikev2_wr *w)
{
	struct ikev2_proposal p[2];
	ike_proposals(p);
	p[0].n_transforms = 4;
	p[0].t[1] = p[0].t[4];
	ikev2_w_sa(w, p, 1);
	ikev2_w_ke(w, 14, filler, 256);
	ikev2_w_nonce(w, filler, 32);
	ikev2_w_cert(w, IKEV2_PL_CERTREQ, IKEV2_CERT_X509_SIG, filler, 40);
	ikev2_w_notify(w, 0, NULL, 0, IKEV2_N_MULTIPLE_AUTH_SUPPORTED, NULL, 0);
}

static void cookie_response(struct ikev2_wr *w)
{
	ikev2_w_notify(w, 0, NULL, 0, IKEV2_N_COOKIE, filler, 32);
}

static void auth_inner(struct ikev2_wr *w)
{
	static struct ikev2_cp cp;
	struct ikev2_proposal p;
	static struct ikev2_ts_list ts;
	memset(&cp, 0, sizeof(cp));
	cp.type = IKEV2_CFG_REQUEST;
	cp.n = 4;
	cp.a[0].type = IKEV2_CA_INTERNAL_IP4_ADDRESS;
	cp.a[1].type = IKEV2_CA_INTERNAL_IP4_DNS;
	cp.a[2].type = IKEV2_CA_INTERNAL_IP6_ADDRESS;
	cp.a[3].type = IKEV2_CA_APPLICATION_VERSION;
	cp.a[3].value = (struct ikev2_blob){ (const uint8_t *)"Cisco AnyConnect VPN Agent", 26 };
	esp_proposal(&p);
	any_ts(&ts, false);
	ikev2_w_id(w, IKEV2_PL_IDI, IKEV2_ID_CISCO_GROUP, (const uint8_t *)"*$AnyConnectClient$*", 20);
	ikev2_w_cert(w, IKEV2_PL_CERT, IKEV2_CERT_X509_SIG, filler, 64);
	ikev2_w_cert(w, IKEV2_PL_CERTREQ, IKEV2_CERT_X509_SIG, filler, 20);
	ikev2_w_id(w, IKEV2_PL_IDR, IKEV2_ID_FQDN, (const uint8_t *)"asa.example.net", 15);
	ikev2_w_auth(w, IKEV2_AUTH_RSA, filler, 128);
	ikev2_w_cp(w, &cp);
	ikev2_w_notify(w, 0, NULL, 0, IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED, NULL, 0);
	ikev2_w_sa(w, &p, 1);
	ikev2_w_ts(w, IKEV2_PL_TSI, &ts);
	ikev2_w_ts(w, IKEV2_PL_TSR, &ts);
}

static void eap_inner(struct ikev2_wr *w)
{
	/* EAP Response, Expanded type, Cisco vendor 9, type "DBRP", one TLV */
	static const uint8_t eap[] = {
		2, 3, 0, 20, 254, 0, 0, 9, 0x44, 0x42, 0x52, 0x50, 0, 0, 0, 4, '<', 'x', '/', '>',
	};
	ikev2_w_eap(w, eap, sizeof(eap));
}

static void delete_inner(struct ikev2_wr *w)
{
	ikev2_w_delete(w, IKEV2_PROTO_ESP, 4, filler, 3);
	ikev2_w_delete(w, IKEV2_PROTO_IKE, 0, NULL, 0);
	ikev2_w_vendor(w, (const uint8_t *)"CISCO-DELETE-REASON", 19);
}

static void rekey_inner(struct ikev2_wr *w)
{
	struct ikev2_proposal p;
	static struct ikev2_ts_list ts;
	esp_proposal(&p);
	any_ts(&ts, true);
	ikev2_w_notify(w, IKEV2_PROTO_ESP, filler, 4, IKEV2_N_REKEY_SA, NULL, 0);
	ikev2_w_sa(w, &p, 1);
	ikev2_w_nonce(w, filler, 16);
	ikev2_w_ke(w, 19, filler, 64);
	ikev2_w_ts(w, IKEV2_PL_TSI, &ts);
	ikev2_w_ts(w, IKEV2_PL_TSR, &ts);
}

static bool write_file(const char *dir, const char *name, struct buf *b)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f)
		return false;
	bool ok = fwrite(b->data, 1, b->len, f) == b->len;
	return fclose(f) == 0 && ok;
}

/* A plain message: header + payloads from fn. */
static bool seed(const char *dir, const char *name, struct ikev2_hdr h,
		 void (*fn)(struct ikev2_wr *w))
{
	struct buf b;
	struct ikev2_wr w;
	buf_init(&b);
	ikev2_w_begin(&w, &b, &h);
	fn(&w);
	bool ok = ikev2_w_finish(&w) && write_file(dir, name, &b);
	buf_free(&b);
	return ok;
}

/* Header + SK{payloads from fn}, plaintext, no IV or ICV. */
static bool seed_sk(const char *dir, const char *name, struct ikev2_hdr h,
		    void (*fn)(struct ikev2_wr *w))
{
	struct buf b;
	struct ikev2_wr w;
	buf_init(&b);
	ikev2_w_begin(&w, &b, &h);
	size_t sk = ikev2_w_sk_begin(&w, 0);
	fn(&w);
	ikev2_w_end(&w, sk);
	bool ok = ikev2_w_finish(&w) && write_file(dir, name, &b);
	buf_free(&b);
	return ok;
}

/* Header + SKF(1/2){the start of the IKE_AUTH inner chain}. */
static bool seed_skf(const char *dir, const char *name, struct ikev2_hdr h)
{
	struct buf inner, b;
	struct ikev2_wr w;
	struct ikev2_hdr ih = h;
	buf_init(&inner);
	ikev2_w_begin(&w, &inner, &ih);
	auth_inner(&w);
	bool ok = ikev2_w_finish(&w);
	buf_init(&b);
	ikev2_w_begin(&w, &b, &h);
	size_t off = ikev2_w_skf_begin(&w, inner.data[16], 1, 2, 0);
	buf_put(&b, inner.data + IKEV2_HDR_LEN, inner.len - IKEV2_HDR_LEN);
	ikev2_w_end(&w, off);
	ok = ok && ikev2_w_finish(&w) && write_file(dir, name, &b);
	buf_free(&inner);
	buf_free(&b);
	return ok;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	const char *d = argv[1];
	const uint64_t r = 0x99aabbccddeeff00ULL;
	const uint8_t I = IKEV2_FLAG_INITIATOR, R = IKEV2_FLAG_RESPONSE;
	bool ok = true;
	ok &= seed(d, "ike_sa_init_request", hdr(IKEV2_IKE_SA_INIT, I, 0, 0), sa_init_request);
	ok &= seed(d, "ike_sa_init_response", hdr(IKEV2_IKE_SA_INIT, R, 0, r), sa_init_response);
	ok &= seed(d, "cookie_response", hdr(IKEV2_IKE_SA_INIT, R, 0, 0), cookie_response);
	ok &= seed_sk(d, "ike_auth_request_sk", hdr(IKEV2_IKE_AUTH, I, 1, r), auth_inner);
	ok &= seed_sk(d, "ike_auth_eap_sk", hdr(IKEV2_IKE_AUTH, I, 2, r), eap_inner);
	ok &= seed_sk(d, "informational_delete_sk", hdr(IKEV2_INFORMATIONAL, I, 3, r),
		      delete_inner);
	ok &= seed_sk(d, "create_child_sa_rekey_sk", hdr(IKEV2_CREATE_CHILD_SA, I, 4, r),
		      rekey_inner);
	ok &= seed_skf(d, "ike_auth_request_skf1", hdr(IKEV2_IKE_AUTH, I, 1, r));
	if (!ok) {
		fprintf(stderr, "could not write the corpus into %s\n", d);
		return 1;
	}
	return 0;
}
