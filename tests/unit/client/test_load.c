/* Pure parts of ravpn-connect --load (src/client/load.c): its options taken
 * out of argv, the per-client user names, the latency percentiles; and the
 * EAP-MSCHAPv2 peer with an MS-CHAPv2-ID of 0, which the load test found
 * (the gateway picks the ID at random: 1 client in 256 was refused). */
#include "../t.h"

#include "aaa/aaa.h"
#include "auth/eap.h"
#include "client/eap_peer.h"
#include "client/load.h"
#include "crypto/crypto.h"

static void load_options_leave_the_other_arguments_in_order(void)
{
	char *argv[] = { "ravpn-connect", "--gateway", "10.0.0.1", "--load", "200", "--rate=100",
			 "--group", "G", "--hold", "--json", "out.json", "--inflight", "8", NULL };
	int argc = 13;
	struct load_opts lo;
	char err[256];
	T_EQ_INT(load_opts_parse(&argc, argv, &lo, err, sizeof(err)), 0);
	T_EQ_INT(argc, 5);
	T_EQ_STR(argv[1], "--gateway");
	T_EQ_STR(argv[2], "10.0.0.1");
	T_EQ_STR(argv[3], "--group");
	T_EQ_STR(argv[4], "G");
	T_CHECK(argv[5] == NULL);
	T_EQ_INT(lo.n, 200);
	T_EQ_INT(lo.rate, 100);
	T_EQ_INT(lo.inflight, 8);
	T_CHECK(lo.hold);
	T_EQ_STR(lo.json, "out.json");
	T_CHECK(lo.dump == NULL);
}

static void load_options_refuse_bad_values_and_need_load(void)
{
	struct load_opts lo;
	char err[256];
	char *a1[] = { "x", "--load", "0", NULL };
	int n1 = 3;
	T_EQ_INT(load_opts_parse(&n1, a1, &lo, err, sizeof(err)), -1);
	char *a2[] = { "x", "--load", NULL };
	int n2 = 2;
	T_EQ_INT(load_opts_parse(&n2, a2, &lo, err, sizeof(err)), -1);
	char *a3[] = { "x", "--hold", NULL };
	int n3 = 2;
	T_EQ_INT(load_opts_parse(&n3, a3, &lo, err, sizeof(err)), -1);
	char *a4[] = { "x", "--rate", "-5", "--load", "3", NULL };
	int n4 = 5;
	T_EQ_INT(load_opts_parse(&n4, a4, &lo, err, sizeof(err)), -1);
	char *a6[] = { "x", "--load", "3", "--source", "10.0.0.100-10.0.0.149", NULL };
	int n6 = 5;
	T_EQ_INT(load_opts_parse(&n6, a6, &lo, err, sizeof(err)), 0);
	T_EQ_INT(lo.src_first, 0x0a000064);
	T_EQ_INT(lo.src_last, 0x0a000095);
	char *a7[] = { "x", "--load", "3", "--source", "10.0.0.9-10.0.0.1", NULL };
	int n7 = 5;
	T_EQ_INT(load_opts_parse(&n7, a7, &lo, err, sizeof(err)), -1);
	char *a8[] = { "x", "--load", "3", "--source=10.0.0.7", NULL };
	int n8 = 4;
	T_EQ_INT(load_opts_parse(&n8, a8, &lo, err, sizeof(err)), 0);
	T_EQ_INT(lo.src_first, lo.src_last);
	char *a5[] = { "x", "--loader", "3", NULL };       /* not ours: left for cli_parse */
	int n5 = 3;
	T_EQ_INT(load_opts_parse(&n5, a5, &lo, err, sizeof(err)), 0);
	T_EQ_INT(n5, 3);
	T_EQ_INT(lo.n, 0);
	T_EQ_INT(lo.rate, 50);
}

static void user_names_take_the_index_and_nothing_else(void)
{
	char u[16];
	T_EQ_INT(load_user_name("user%d@lab", 17, u, sizeof(u)), 0);
	T_EQ_STR(u, "user17@lab");
	T_EQ_INT(load_user_name("Anu", 5, u, sizeof(u)), 0);
	T_EQ_STR(u, "Anu");
	T_EQ_INT(load_user_name("u%s", 1, u, sizeof(u)), -1);
	T_EQ_INT(load_user_name("u%d%d", 1, u, sizeof(u)), -1);
	T_EQ_INT(load_user_name("u%", 1, u, sizeof(u)), -1);
	T_EQ_INT(load_user_name("a-long-user-%d", 123456, u, sizeof(u)), -1);
}

static void percentiles_use_the_nearest_rank(void)
{
	double v[100];
	for (int i = 0; i < 100; i++)
		v[i] = i + 1;
	T_EQ_INT((int)load_percentile(v, 100, 50), 50);
	T_EQ_INT((int)load_percentile(v, 100, 90), 90);
	T_EQ_INT((int)load_percentile(v, 100, 99), 99);
	T_EQ_INT((int)load_percentile(v, 100, 100), 100);
	T_EQ_INT((int)load_percentile(v, 1, 99), 1);
	T_EQ_INT((int)load_percentile(v, 3, 50), 2);
	T_EQ_INT((int)load_percentile(v, 0, 50), 0);
}

static void mschapv2_success_with_ms_chapv2_id_zero_is_accepted(void)
{
	struct eap_peer p;
	struct buf out;
	buf_init(&out);
	eap_peer_init(&p, EAP_TYPE_MSCHAPV2, "Anu", "Anu-pass");
	/* Challenge: code 1, id 2, type 26, op 1, MS-CHAPv2-ID 0, value 16 bytes, name "gw" */
	uint8_t chal[28] = { 1, 2, 0, 28, 26, 1, 0, 0, 23, 16 };
	for (int i = 0; i < 16; i++)
		chal[10 + i] = (uint8_t)(0xa0 + i);
	memcpy(chal + 26, "gw", 2);
	T_EQ_INT(eap_peer_process(&p, chal, 28, &out), EAP_PEER_SEND);
	T_CHECK(out.len >= 34 + 24);
	if (out.len < 34 + 24)
		goto done;
	uint8_t nt_hash[16], peer_ch[16], nt_resp[24];
	char s[43];
	memcpy(peer_ch, out.data + 10, 16);
	memcpy(nt_resp, out.data + 34, 24);
	T_EQ_INT(aaa_nt_hash("Anu-pass", 8, nt_hash), 0);
	T_EQ_INT(mschapv2_authenticator_response(nt_hash, nt_resp, peer_ch, chal + 10, "Anu", s), 0);
	/* Success request: op 3, MS-CHAPv2-ID 0, "S=<40 hex> M=ok" */
	uint8_t succ[5 + 4 + 42 + 5] = { 1, 3, 0, sizeof(succ), 26, 3, 0, 0, 4 + 42 + 5 };
	memcpy(succ + 9, s, 42);
	memcpy(succ + 9 + 42, " M=ok", 5);
	T_EQ_INT(eap_peer_process(&p, succ, sizeof(succ), &out), EAP_PEER_SEND);
	T_CHECK(out.len == 6 && out.data[4] == 26 && out.data[5] == 3);
	T_CHECK(p.have_msk);
done:
	eap_peer_wipe(&p);
	buf_free(&out);
}

int main(void)
{
	if (crypto_init() < 0)
		return 1;
	T_RUN(load_options_leave_the_other_arguments_in_order);
	T_RUN(load_options_refuse_bad_values_and_need_load);
	T_RUN(user_names_take_the_index_and_nothing_else);
	T_RUN(percentiles_use_the_nearest_rank);
	T_RUN(mschapv2_success_with_ms_chapv2_id_zero_is_accepted);
	T_DONE();
}
