/* ike/v2 proposal selection (IKE policies, ESP proposals) and traffic
 * selector narrowing, against parsed ASA configurations. */
#include "../t.h"

#include "conf/conf.h"
#include "crypto/crypto.h"
#include "ike/v2/v2.h"

static struct conf *parse(const char *text)
{
	struct conf_diags d = { 0 };
	struct conf *c = conf_parse(text, strlen(text), "test.conf", &d);
	if (!c)
		conf_diags_print(&d, "test.conf", stderr);
	conf_diags_free(&d);
	return c;
}

/* Build an offered proposal: triples of (type, id, key_bits), ended by 0. */
static void prop(struct ikev2_sa *sa, uint8_t num, uint8_t proto, const uint16_t *t)
{
	struct ikev2_proposal *p = &sa->p[sa->n++];
	memset(p, 0, sizeof(*p));
	p->num = num;
	p->protocol = proto;
	if (proto == IKEV2_PROTO_ESP) {
		p->spi_size = 4;
		p->spi[0] = 0xc0;
		p->spi[1] = 0xff;
		p->spi[2] = 0xee;
		p->spi[3] = num;
	}
	for (; t[0]; t += 3)
		p->t[p->n_transforms++] = (struct ikev2_transform){ (uint8_t)t[0], t[1], t[2], false };
}

#define ENCR(id, bits) IKEV2_TRANS_ENCR, id, bits
#define PRF(id) IKEV2_TRANS_PRF, id, 0
#define INTEG(id) IKEV2_TRANS_INTEG, id, 0
#define DH(id) IKEV2_TRANS_DH, id, 0
#define ESN(id) IKEV2_TRANS_ESN, id, 0

static const char two_policies[] =
	"crypto ikev2 policy 20\n"
	" encryption aes-192\n integrity sha\n group 2\n prf sha\n"
	"crypto ikev2 policy 10\n"
	" encryption aes-256\n integrity sha256\n group 14\n prf sha256\n"
	"crypto ikev2 policy 30\n"
	" encryption aes-gcm-256\n integrity null\n group 19\n prf sha256\n";

struct lines {
	char text[4096];
};

static void collect(void *arg, const char *line)
{
	struct lines *l = arg;
	size_t n = strlen(l->text);
	snprintf(l->text + n, sizeof(l->text) - n, "%s\n", line);
}

static void ike_policy_priority_decides_between_matching_proposals(void)
{
	struct conf *c = parse(two_policies);
	T_CHECK(c != NULL);
	if (!c)
		return;
	struct ikev2_sa offer = { 0 };
	prop(&offer, 1, IKEV2_PROTO_IKE, (const uint16_t[]){ ENCR(12, 192), PRF(2), INTEG(2), DH(2), DH(14), 0 });
	prop(&offer, 2, IKEV2_PROTO_IKE, (const uint16_t[]){ ENCR(12, 256), PRF(5), INTEG(12), DH(14), DH(2), 0 });
	struct v2_ike_choice ch;
	/* KE group 14: policy 10 (priority first) with proposal 2 */
	T_EQ_INT(v2_select_ike(c, &offer, 14, &ch, NULL, NULL), V2_SEL_OK);
	T_EQ_INT(ch.policy->priority, 10);
	T_EQ_INT(ch.proposal_num, 2);
	T_EQ_INT(ch.encr->ikev2_id, 12);
	T_EQ_INT(ch.encr->key_bits, 256);
	T_EQ_INT(ch.prf->ikev2_id, 5);
	T_EQ_INT(ch.integ->ikev2_id, 12);
	T_EQ_INT(ch.dh->id, 14);
	/* KE group 2: policy 20 matches without a round trip */
	T_EQ_INT(v2_select_ike(c, &offer, 2, &ch, NULL, NULL), V2_SEL_OK);
	T_EQ_INT(ch.policy->priority, 20);
	T_EQ_INT(ch.proposal_num, 1);
	T_EQ_INT(ch.dh->id, 2);
	conf_unref(c);
}

static void ike_ke_group_mismatch_asks_for_our_group(void)
{
	struct conf *c = parse(two_policies);
	T_CHECK(c != NULL);
	if (!c)
		return;
	struct ikev2_sa offer = { 0 };
	/* only policy 10 fits (AES-256/SHA-256/group 14), KE carries group 2 */
	prop(&offer, 1, IKEV2_PROTO_IKE, (const uint16_t[]){ ENCR(12, 256), PRF(5), INTEG(12), DH(2), DH(14), 0 });
	struct v2_ike_choice ch;
	T_EQ_INT(v2_select_ike(c, &offer, 2, &ch, NULL, NULL), V2_SEL_INVALID_KE);
	T_EQ_INT(ch.dh->id, 14);
	T_EQ_INT(ch.policy->priority, 10);
	conf_unref(c);
}

static void ike_no_match_logs_received_and_expected_policies(void)
{
	struct conf *c = parse(two_policies);
	T_CHECK(c != NULL);
	if (!c)
		return;
	struct ikev2_sa offer = { 0 };
	/* AES-128 is in no policy; AES-192 with SHA-256 integrity neither */
	prop(&offer, 1, IKEV2_PROTO_IKE, (const uint16_t[]){ ENCR(12, 128), PRF(2), INTEG(2), DH(2), 0 });
	prop(&offer, 2, IKEV2_PROTO_IKE, (const uint16_t[]){ ENCR(12, 192), PRF(2), INTEG(12), DH(2), 0 });
	struct v2_ike_choice ch;
	struct lines l = { "" };
	T_EQ_INT(v2_select_ike(c, &offer, 2, &ch, collect, &l), V2_SEL_NONE);
	T_CHECK(strstr(l.text, "Received Policies:\n") != NULL);
	T_CHECK(strstr(l.text, "Proposal 1: AES-CBC-128") != NULL);
	T_CHECK(strstr(l.text, "Failed to find a matching policy\n") != NULL);
	T_CHECK(strstr(l.text, "Expected Policies:\n") != NULL);
	T_CHECK(strstr(l.text, "Policy 10:") != NULL);
	/* expected policies are listed in priority order */
	const char *p10 = strstr(l.text, "Policy 10:"), *p20 = strstr(l.text, "Policy 20:");
	T_CHECK(p10 && p20 && p10 < p20);
	conf_unref(c);
}

static void ike_key_length_and_unknown_attributes_must_match(void)
{
	struct conf *c = parse(two_policies);
	T_CHECK(c != NULL);
	if (!c)
		return;
	struct ikev2_sa offer = { 0 };
	prop(&offer, 1, IKEV2_PROTO_IKE, (const uint16_t[]){ ENCR(12, 256), PRF(2), INTEG(2), DH(2), 0 });
	struct v2_ike_choice ch;
	T_EQ_INT(v2_select_ike(c, &offer, 2, &ch, NULL, NULL), V2_SEL_NONE);   /* policy 20 is aes-192 */
	offer.n = 0;
	prop(&offer, 1, IKEV2_PROTO_IKE, (const uint16_t[]){ ENCR(12, 192), PRF(2), INTEG(2), DH(2), 0 });
	offer.p[0].t[0].unknown_attr = true;     /* RFC 7296 §3.3.6 */
	T_EQ_INT(v2_select_ike(c, &offer, 2, &ch, NULL, NULL), V2_SEL_NONE);
	offer.p[0].t[0].unknown_attr = false;
	T_EQ_INT(v2_select_ike(c, &offer, 2, &ch, NULL, NULL), V2_SEL_OK);
	conf_unref(c);
}

static void ike_aead_policy_needs_no_integrity_transform(void)
{
	struct conf *c = parse(two_policies);
	T_CHECK(c != NULL);
	if (!c)
		return;
	struct ikev2_sa offer = { 0 };
	prop(&offer, 1, IKEV2_PROTO_IKE, (const uint16_t[]){ ENCR(20, 256), PRF(5), DH(19), 0 });
	struct v2_ike_choice ch;
	T_EQ_INT(v2_select_ike(c, &offer, 19, &ch, NULL, NULL), V2_SEL_OK);
	T_EQ_INT(ch.policy->priority, 30);
	T_CHECK(ch.integ == NULL);
	T_CHECK(ch.encr->aead);
	/* an AEAD proposal that also carries an integrity algorithm is refused */
	offer.n = 0;
	prop(&offer, 1, IKEV2_PROTO_IKE, (const uint16_t[]){ ENCR(20, 256), PRF(5), INTEG(12), DH(19), 0 });
	T_EQ_INT(v2_select_ike(c, &offer, 19, &ch, NULL, NULL), V2_SEL_NONE);
	conf_unref(c);
}

/* ---- ESP ------------------------------------------------------------------------ */

static const char seed_esp[] =
	"interface Ethernet0/1\n nameif outside\n ip address 10.0.0.1 255.255.255.0\n"
	"interface Ethernet0/2\n nameif inside\n ip address 10.1.0.1 255.255.255.0\n"
	"crypto ipsec ikev2 ipsec-proposal 3des\n"
	" protocol esp encryption aes-256 aes 3des des\n"
	" protocol esp integrity sha-1\n"
	"crypto ipsec ikev2 ipsec-proposal gcm\n"
	" protocol esp encryption aes-gcm-256\n"
	" protocol esp integrity null\n"
	"crypto dynamic-map dynmap 1000 set ikev2 ipsec-proposal 3des gcm\n"
	"crypto dynamic-map pfsmap 10 set ikev2 ipsec-proposal 3des\n"
	"crypto dynamic-map pfsmap 10 set pfs group14\n"
	"crypto map crymap 10000 ipsec-isakmp dynamic dynmap\n"
	"crypto map crymap interface outside\n"
	"crypto map pfsmap 10 ipsec-isakmp dynamic pfsmap\n"
	"crypto map pfsmap interface inside\n";

static void esp_follows_configured_order_and_reports_peer_spi(void)
{
	struct conf *c = parse(seed_esp);
	T_CHECK(c != NULL);
	if (!c)
		return;
	struct ikev2_sa offer = { 0 };
	prop(&offer, 1, IKEV2_PROTO_ESP, (const uint16_t[]){ ENCR(12, 128), INTEG(2), ESN(0), 0 });
	prop(&offer, 2, IKEV2_PROTO_ESP, (const uint16_t[]){ ENCR(12, 256), INTEG(2), ESN(0), ESN(1), 0 });
	struct v2_esp_choice ch;
	T_EQ_INT(v2_select_esp(c, "outside", &offer, false, 0, &ch), V2_SEL_OK);
	T_EQ_INT(ch.proposal_num, 2);             /* aes-256 is listed before aes */
	T_EQ_INT(ch.encr->key_bits, 256);
	T_EQ_INT(ch.integ->ikev2_id, 2);
	T_EQ_INT(ch.peer_spi, 0xc0ffee02u);
	T_CHECK(ch.esn_offered && !ch.esn);
	T_EQ_STR(ch.dynmap->name, "dynmap");
	T_EQ_INT(ch.dynmap->seq, 1000);
	T_CHECK(ch.dh == NULL);
	/* the second proposal of the list: AES-GCM-256 without integrity */
	offer.n = 0;
	prop(&offer, 1, IKEV2_PROTO_ESP, (const uint16_t[]){ ENCR(20, 256), 0 });
	T_EQ_INT(v2_select_esp(c, "outside", &offer, false, 0, &ch), V2_SEL_OK);
	T_CHECK(ch.integ == NULL && !ch.esn_offered);
	/* nothing in common */
	offer.n = 0;
	prop(&offer, 1, IKEV2_PROTO_ESP, (const uint16_t[]){ ENCR(12, 128), INTEG(12), 0 });
	T_EQ_INT(v2_select_esp(c, "outside", &offer, false, 0, &ch), V2_SEL_NONE);
	conf_unref(c);
}

static void esp_in_ike_auth_ignores_dh_and_create_child_applies_pfs(void)
{
	struct conf *c = parse(seed_esp);
	T_CHECK(c != NULL);
	if (!c)
		return;
	struct ikev2_sa offer = { 0 };
	prop(&offer, 1, IKEV2_PROTO_ESP, (const uint16_t[]){ ENCR(12, 256), INTEG(2), DH(2), DH(14), 0 });
	struct v2_esp_choice ch;
	T_EQ_INT(v2_select_esp(c, "outside", &offer, false, 0, &ch), V2_SEL_OK);
	T_CHECK(ch.dh == NULL);
	/* CREATE_CHILD_SA, no `set pfs`: the initiator's KE group is used */
	T_EQ_INT(v2_select_esp(c, "outside", &offer, true, 2, &ch), V2_SEL_OK);
	T_EQ_INT(ch.dh ? ch.dh->id : 0, 2);
	/* `set pfs group14` on the map bound to inside: KE group 2 -> INVALID_KE(14) */
	T_EQ_INT(v2_select_esp(c, "inside", &offer, true, 2, &ch), V2_SEL_INVALID_KE);
	T_EQ_INT(ch.dh ? ch.dh->id : 0, 14);
	T_EQ_INT(v2_select_esp(c, "inside", &offer, true, 14, &ch), V2_SEL_OK);
	/* PFS required but the proposal has no DH: refused */
	offer.n = 0;
	prop(&offer, 1, IKEV2_PROTO_ESP, (const uint16_t[]){ ENCR(12, 256), INTEG(2), 0 });
	T_EQ_INT(v2_select_esp(c, "inside", &offer, true, 0, &ch), V2_SEL_NONE);
	/* no PFS and no KE: a proposal insisting on DH is refused, one without is fine */
	T_EQ_INT(v2_select_esp(c, "outside", &offer, true, 0, &ch), V2_SEL_OK);
	offer.n = 0;
	prop(&offer, 1, IKEV2_PROTO_ESP, (const uint16_t[]){ ENCR(12, 256), INTEG(2), DH(14), 0 });
	T_EQ_INT(v2_select_esp(c, "outside", &offer, true, 0, &ch), V2_SEL_NONE);
	conf_unref(c);
}

/* ---- traffic selectors ----------------------------------------------------------- */

static struct ikev2_ts ts4(uint32_t a, uint32_t b, uint8_t proto, uint16_t p1, uint16_t p2)
{
	struct ike_ts t = { a, b, p1, p2, proto };
	struct ikev2_ts w;
	v2_ts_to_wire(&t, &w);
	return w;
}

static void ts_narrow_to_assigned_host_and_all_networks(void)
{
	struct ikev2_ts_list tsi = { 1, { ts4(0, 0xffffffff, 0, 0, 65535) } };
	struct ikev2_ts_list tsr = { 1, { ts4(0, 0xffffffff, 0, 0, 65535) } };
	struct ike_ts all = { 0, 0xffffffff, 0, 65535, 0 };
	struct ikev2_ts_list oi, orr;
	T_EQ_INT(v2_ts_narrow(&tsi, &tsr, 0x0a020201, &all, 1, &oi, &orr), 0);
	struct ike_ts x;
	T_EQ_INT(oi.n, 1);
	v2_ts_from_wire(&oi.ts[0], &x);
	T_EQ_INT(x.start, 0x0a020201);
	T_EQ_INT(x.end, 0x0a020201);
	T_EQ_INT(x.port_end, 65535);
	T_EQ_INT(orr.n, 1);
	v2_ts_from_wire(&orr.ts[0], &x);
	T_EQ_INT(x.start, 0);
	T_EQ_INT(x.end, 0xffffffffu);
}

static void ts_narrow_to_split_tunnel_networks_and_ports(void)
{
	struct ikev2_ts_list tsi = { 1, { ts4(0x0a020201, 0x0a020201, 0, 0, 65535) } };
	struct ikev2_ts_list tsr = { 2, { ts4(0, 0xffffffff, 0, 0, 65535),
					  ts4(0x0a010005, 0x0a010005, 6, 80, 80) } };
	struct ike_ts nets[2] = { { 0x0a010000, 0x0a0100ff, 0, 65535, 0 },
				  { 0xc0a80500, 0xc0a805ff, 0, 65535, 0 } };
	struct ikev2_ts_list oi, orr;
	T_EQ_INT(v2_ts_narrow(&tsi, &tsr, 0x0a020201, nets, 2, &oi, &orr), 0);
	T_EQ_INT(orr.n, 3);
	struct ike_ts x;
	v2_ts_from_wire(&orr.ts[0], &x);
	T_EQ_INT(x.start, 0x0a010000);
	T_EQ_INT(x.end, 0x0a0100ff);
	v2_ts_from_wire(&orr.ts[1], &x);
	T_EQ_INT(x.start, 0xc0a80500);
	v2_ts_from_wire(&orr.ts[2], &x);      /* the narrow one keeps protocol and port */
	T_EQ_INT(x.start, 0x0a010005);
	T_EQ_INT(x.proto, 6);
	T_EQ_INT(x.port_start, 80);
	T_EQ_INT(x.port_end, 80);
}

static void ts_unacceptable_when_host_or_networks_do_not_fit(void)
{
	struct ikev2_ts_list tsi = { 1, { ts4(0x0a000002, 0x0a000002, 0, 0, 65535) } };
	struct ikev2_ts_list tsr = { 1, { ts4(0, 0xffffffff, 0, 0, 65535) } };
	struct ike_ts net = { 0x0a010000, 0x0a0100ff, 0, 65535, 0 };
	struct ikev2_ts_list oi, orr;
	/* the initiator insists on its own address, not the assigned one */
	T_EQ_INT(v2_ts_narrow(&tsi, &tsr, 0x0a020201, &net, 1, &oi, &orr), -1);
	/* the initiator wants only a network we do not protect */
	struct ikev2_ts_list tsi2 = { 1, { ts4(0, 0xffffffff, 0, 0, 65535) } };
	struct ikev2_ts_list tsr2 = { 1, { ts4(0xc0a80000, 0xc0a8ffff, 0, 0, 65535) } };
	T_EQ_INT(v2_ts_narrow(&tsi2, &tsr2, 0x0a020201, &net, 1, &oi, &orr), -1);
	/* IPv6 selectors are skipped, not narrowed */
	struct ikev2_ts_list tsi3 = { 2, { ts4(0, 0xffffffff, 0, 0, 65535),
					   ts4(0, 0xffffffff, 0, 0, 65535) } };
	tsi3.ts[0].type = IKEV2_TS_IPV6_ADDR_RANGE;
	T_EQ_INT(v2_ts_narrow(&tsi3, &tsr, 0x0a020201, &net, 1, &oi, &orr), 0);
	T_EQ_INT(oi.n, 1);
	T_EQ_INT(oi.ts[0].type, IKEV2_TS_IPV4_ADDR_RANGE);
}

int main(void)
{
	if (crypto_init() < 0 || crypto_enable_legacy() < 0)
		fprintf(stderr, "note: crypto init incomplete\n");
	T_RUN(ike_policy_priority_decides_between_matching_proposals);
	T_RUN(ike_ke_group_mismatch_asks_for_our_group);
	T_RUN(ike_no_match_logs_received_and_expected_policies);
	T_RUN(ike_key_length_and_unknown_attributes_must_match);
	T_RUN(ike_aead_policy_needs_no_integrity_transform);
	T_RUN(esp_follows_configured_order_and_reports_peer_spi);
	T_RUN(esp_in_ike_auth_ignores_dh_and_create_child_applies_pfs);
	T_RUN(ts_narrow_to_assigned_host_and_all_networks);
	T_RUN(ts_narrow_to_split_tunnel_networks_and_ports);
	T_RUN(ts_unacceptable_when_host_or_networks_do_not_fit);
	T_DONE();
}
