/* The show formatters against golden texts: the seed document's own
 * output where it has one, ASA habits (protocol.md §3) elsewhere. */
#include <stdlib.h>
#include <time.h>

#include "fixture.h"
#include "jcheck.h"

#include "ctl/ctl.h"
#include "ctl/json.h"
#include "ctl/show.h"

static const struct ctl_clock at_112 = { SEED_LOGIN + 112, 0 };

static struct ctl_sa_list list_of(const struct ike_sa **a, size_t n)
{
	return (struct ctl_sa_list){ a, n };
}

/* ---- show crypto ikev2 sa ----------------------------------------------- */

static void ikev2_sa_matches_seed_layout(void)
{
	struct ike_sa sa;
	struct child_sa c;
	struct buf b;
	fx_seed_sa(&sa, &c);
	const struct ike_sa *a[] = { &sa };
	struct ctl_sa_list l = list_of(a, 1);
	buf_init(&b);
	show_ikev2_sa_text(&b, &l, false, &at_112);
	/* Byte for byte the seed's "show crypto ikev2 sa". */
	T_EQ_TEXT(fx_str(&b),
		  "IKEv2 SAs:\n"
		  "\n"
		  "Session-id:2, Status:UP-ACTIVE, IKE count:1, CHILD count:1\n"
		  "\n"
		  "Tunnel-id           Local                Remote              Status              Role\n"
		  "55182129            10.0.0.1/4500        192.168.1.1/25171  READY              RESPONDER\n"
		  "    Encr: AES-CBC, keysize: 192, Hash: SHA96, DH Grp:1, Auth sign: RSA, Auth verify: EAP\n"
		  "    Life/Active Time: 86400/112 sec\n"
		  "Child sa: local selector 0.0.0.0/0 - 255.255.255.255/65535\n"
		  "          remote selector 10.2.2.1/0 - 10.2.2.1/65535\n"
		  "          ESP spi in/out: 0x30b848a4/0x77ee5348\n");
	buf_free(&b);
}

static void ikev2_sa_detail_matches_seed_layout(void)
{
	struct ike_sa sa;
	struct child_sa c;
	struct buf b;
	struct ctl_clock at_98 = { SEED_LOGIN + 98, 0 };
	fx_seed_sa(&sa, &c);
	const struct ike_sa *a[] = { &sa };
	struct ctl_sa_list l = list_of(a, 1);
	buf_init(&b);
	show_ikev2_sa_text(&b, &l, true, &at_98);
	/* The seed's detail output, with its wrapped "Local window" line
	 * unwrapped into the pair it is. */
	T_EQ_TEXT(fx_str(&b),
		  "IKEv2 SAs:\n"
		  "\n"
		  "Session-id:2, Status:UP-ACTIVE, IKE count:1, CHILD count:1\n"
		  "\n"
		  "Tunnel-id           Local                Remote              Status              Role\n"
		  "55182129            10.0.0.1/4500        192.168.1.1/25171  READY              RESPONDER\n"
		  "    Encr: AES-CBC, keysize: 192, Hash: SHA96, DH Grp:1, Auth sign: RSA, Auth verify: EAP\n"
		  "    Life/Active Time: 86400/98 sec\n"
		  "    Session-id: 2\n"
		  "    Status Description: Negotiation done\n"
		  "    Local spi: FC696330E6B94D7F          Remote spi: 58AFF71141BA436B\n"
		  "    Local id: hostname=ASA-IKEV2\n"
		  "    Remote id: *$AnyConnectClient$*\n"
		  "    Local req mess id: 0                  Remote req mess id: 9\n"
		  "    Local next mess id: 0                 Remote next mess id: 9\n"
		  "    Local req queued: 0                   Remote req queued: 9\n"
		  "    Local window: 1                       Remote window: 1\n"
		  "    DPD configured for 10 seconds, retry 2\n"
		  "    NAT-T is detected outside\n"
		  "    Assigned host addr: 10.2.2.1\n"
		  "Child sa: local selector 0.0.0.0/0 - 255.255.255.255/65535\n"
		  "          remote selector 10.2.2.1/0 - 10.2.2.1/65535\n"
		  "          ESP spi in/out: 0x30b848a4/0x77ee5348\n"
		  "          AH spi in/out: 0x0/0x0\n"
		  "          CPI in/out: 0x0/0x0\n"
		  "          Encr: AES-CBC, keysize: 256, esp_hmac: SHA96\n"
		  "          ah_hmac: None, comp: IPCOMP_NONE, mode tunnel\n");
	buf_free(&b);
}

static void ikev2_sa_empty_says_no_sas(void)
{
	struct buf b;
	struct ctl_sa_list l = { NULL, 0 };
	buf_init(&b);
	show_ikev2_sa_text(&b, &l, false, &at_112);
	T_EQ_TEXT(fx_str(&b), "There are no IKEv2 SAs\n");
	buf_free(&b);
	/* IKEv1 and dead SAs are not IKEv2 SAs either. */
	struct ike_sa v1, dead;
	struct child_sa c1, c2;
	fx_seed_sa(&v1, &c1);
	fx_seed_sa(&dead, &c2);
	v1.version = IKE_V1;
	dead.state = IKE_STATE_DEAD;
	const struct ike_sa *a[] = { &v1, &dead };
	l = list_of(a, 2);
	buf_init(&b);
	show_ikev2_sa_text(&b, &l, true, &at_112);
	T_EQ_TEXT(fx_str(&b), "There are no IKEv2 SAs\n");
	buf_free(&b);
}

/* A rekeyed IKE SA shares the session of its successor: one session block
 * with IKE count 2, listed before a later session. */
static void ikev2_sa_groups_rekeyed_sas_by_session(void)
{
	struct ike_sa s1, s2, s1b;
	struct child_sa c1, c2, c3;
	struct buf b;
	fx_seed_sa(&s1, &c1);
	fx_seed_sa(&s2, &c2);
	fx_seed_sa(&s1b, &c3);
	s1.state = IKE_STATE_REKEYED;
	s1.children = NULL;
	s2.session_id = 7;
	s2.tunnel_id = 700;
	s2.nat_remote = false;
	s2.encr_id = 20;
	s2.encr_bits = 256;
	s2.integ_id = 0;
	s2.auth_sign = IKE_AUTHK_PSK;
	s2.auth_verify = IKE_AUTHK_PSK;
	s2.children = NULL;
	s2.state = IKE_STATE_AUTH_EAP;
	s1b.tunnel_id = 55182130;
	const struct ike_sa *a[] = { &s1, &s2, &s1b };
	struct ctl_sa_list l = list_of(a, 3);
	buf_init(&b);
	show_ikev2_sa_text(&b, &l, false, &at_112);
	T_EQ_TEXT(fx_str(&b),
		  "IKEv2 SAs:\n"
		  "\n"
		  "Session-id:2, Status:UP-ACTIVE, IKE count:2, CHILD count:1\n"
		  "\n"
		  "Tunnel-id           Local                Remote              Status              Role\n"
		  "55182129            10.0.0.1/4500        192.168.1.1/25171  DELETE             RESPONDER\n"
		  "    Encr: AES-CBC, keysize: 192, Hash: SHA96, DH Grp:1, Auth sign: RSA, Auth verify: EAP\n"
		  "    Life/Active Time: 86400/112 sec\n"
		  "55182130            10.0.0.1/4500        192.168.1.1/25171  READY              RESPONDER\n"
		  "    Encr: AES-CBC, keysize: 192, Hash: SHA96, DH Grp:1, Auth sign: RSA, Auth verify: EAP\n"
		  "    Life/Active Time: 86400/112 sec\n"
		  "Child sa: local selector 0.0.0.0/0 - 255.255.255.255/65535\n"
		  "          remote selector 10.2.2.1/0 - 10.2.2.1/65535\n"
		  "          ESP spi in/out: 0x30b848a4/0x77ee5348\n"
		  "\n"
		  "Session-id:7, Status:UP-IN-NEG, IKE count:1, CHILD count:0\n"
		  "\n"
		  "Tunnel-id           Local                Remote              Status              Role\n"
		  "700                 10.0.0.1/4500        192.168.1.1/25171  IN-NEG             RESPONDER\n"
		  "    Encr: AES-GCM, keysize: 256, Hash: N/A, DH Grp:1, Auth sign: PSK, Auth verify: PSK\n"
		  "    Life/Active Time: 86400/112 sec\n");
	buf_free(&b);
}

/* A peer-chosen identity must not write control characters to the
 * operator's terminal; JSON keeps it exact but escaped. */
static void ikev2_sa_detail_cleans_peer_identity(void)
{
	struct ike_sa sa;
	struct child_sa c;
	struct buf b;
	struct json j;
	fx_seed_sa(&sa, &c);
	sa.remote_id = "evil\x1b[2J\nid\"\\\xff";
	const struct ike_sa *a[] = { &sa };
	struct ctl_sa_list l = list_of(a, 1);
	buf_init(&b);
	show_ikev2_sa_text(&b, &l, true, &at_112);
	T_CHECK(strstr(fx_str(&b), "    Remote id: evil?[2J?id\"\\?\n") != NULL);
	T_CHECK(strchr(fx_str(&b), '\x1b') == NULL);
	buf_free(&b);
	buf_init(&b);
	json_init(&j, &b);
	show_ikev2_sa_json(&j, &l, true, &at_112);
	T_CHECK(json_valid(fx_str(&b)));
	T_CHECK(strstr(fx_str(&b), "\"remote_id\":\"evil\\u001b[2J\\nid\\\"\\\\\\ufffd\"") != NULL);
	buf_free(&b);
}

static void ikev2_sa_json_has_the_text_fields(void)
{
	struct ike_sa sa;
	struct child_sa c;
	struct buf b;
	struct json j;
	fx_seed_sa(&sa, &c);
	const struct ike_sa *a[] = { &sa };
	struct ctl_sa_list l = list_of(a, 1);
	buf_init(&b);
	json_init(&j, &b);
	show_ikev2_sa_json(&j, &l, false, &at_112);
	T_EQ_TEXT(fx_str(&b),
		  "{\"sessions\":[{\"session_id\":2,\"status\":\"UP-ACTIVE\",\"ike_count\":1,"
		  "\"child_count\":1,\"tunnels\":[{\"tunnel_id\":55182129,\"local_addr\":\"10.0.0.1\","
		  "\"local_port\":4500,\"remote_addr\":\"192.168.1.1\",\"remote_port\":25171,"
		  "\"status\":\"READY\",\"role\":\"RESPONDER\",\"encr\":\"AES-CBC\",\"keysize\":192,"
		  "\"hash\":\"SHA96\",\"dh_group\":1,\"auth_sign\":\"RSA\",\"auth_verify\":\"EAP\","
		  "\"lifetime\":86400,\"active_time\":112,\"children\":[{\"local_selector\":"
		  "{\"start\":\"0.0.0.0\",\"start_port\":0,\"end\":\"255.255.255.255\",\"end_port\":65535},"
		  "\"remote_selector\":{\"start\":\"10.2.2.1\",\"start_port\":0,\"end\":\"10.2.2.1\","
		  "\"end_port\":65535},\"esp_spi_in\":\"0x30b848a4\",\"esp_spi_out\":\"0x77ee5348\"}]}]}]}");
	T_CHECK(json_valid(fx_str(&b)));
	buf_reset(&b);
	json_init(&j, &b);
	show_ikev2_sa_json(&j, &l, true, &at_112);
	T_CHECK(json_valid(fx_str(&b)));
	T_CHECK(strstr(fx_str(&b), "\"local_spi\":\"FC696330E6B94D7F\",\"remote_spi\":\"58AFF71141BA436B\""));
	T_CHECK(strstr(fx_str(&b), "\"nat_t\":\"outside\",\"assigned_host_addr\":\"10.2.2.1\""));
	T_CHECK(strstr(fx_str(&b), "\"esp_hmac\":\"SHA96\""));
	buf_reset(&b);
	struct ctl_sa_list none = { NULL, 0 };
	json_init(&j, &b);
	show_ikev2_sa_json(&j, &none, false, &at_112);
	T_EQ_TEXT(fx_str(&b), "{\"sessions\":[]}");
	buf_free(&b);
}

/* ---- show vpn-sessiondb ------------------------------------------------ */

static unsigned idle_30(const struct ike_sa *sa, void *arg)
{
	return 30;
}

/* Seed values: logged in 146 s ago, last heard from 3 minutes ago. */
static void seed_session(struct ike_sa *sa, struct child_sa *c, struct ctl_clock *now)
{
	fx_seed_sa(sa, c);
	c->pkts_in = 171;
	c->bytes_in = 11192;
	now->wall = SEED_LOGIN + 146;
	now->mono_ms = sa->last_rx_ms + 150000;
}

static void sessiondb_detail_matches_seed_layout(void)
{
	struct ike_sa sa;
	struct child_sa c;
	struct ctl_clock now;
	struct buf b;
	seed_session(&sa, &c, &now);
	const struct ike_sa *a[] = { &sa };
	struct ctl_sa_list l = list_of(a, 1);
	struct ctl_session_opts o = { true, idle_30, NULL };
	buf_init(&b);
	show_sessions_text(&b, &l, &o, &now);
	T_EQ_TEXT(fx_str(&b),
		  "Session Type: AnyConnect Detailed\n"
		  "\n"
		  "Username     : Anu                    Index        : 2\n"
		  "Assigned IP  : 10.2.2.1               Public IP    : 192.168.1.1\n"
		  "Protocol     : IKEv2 IPsecOverNatT AnyConnect-Parent\n"
		  "License      : AnyConnect Premium\n"
		  "Encryption   : AES192 AES256          Hashing      : none SHA1 SHA1\n"
		  "Bytes Tx     : 0                      Bytes Rx     : 11192\n"
		  "Pkts Tx      : 0                      Pkts Rx      : 171\n"
		  "Pkts Tx Drop : 0                      Pkts Rx Drop : 0\n"
		  "Group Policy : ASA-IKEV2              Tunnel Group : ASA-IKEV2\n"
		  "Login Time   : 22:06:24 UTC Mon Apr 22 2013\n"
		  "Duration     : 0h:02m:26s\n"
		  "Inactivity   : 0h:00m:00s\n"
		  "NAC Result   : Unknown\n"
		  "VLAN Mapping : N/A                    VLAN         : none\n"
		  "\n"
		  "IKEv2 Tunnels: 1\n"
		  "IPsecOverNatT Tunnels: 1\n"
		  "AnyConnect-Parent Tunnels: 1\n"
		  "\n"
		  "AnyConnect-Parent:\n"
		  "  Tunnel ID    : 2.1\n"
		  "  Public IP    : 192.168.1.1\n"
		  "  Encryption   : none                   Auth Mode    : userPassword\n"
		  "  Idle Time Out: 30 Minutes             Idle TO Left : 27 Minutes\n"
		  "  Client Type  : AnyConnect\n"
		  "  Client Ver   : 3.0.1047\n"
		  "\n"
		  "IKEv2:\n"
		  "  Tunnel ID    : 2.2\n"
		  "  UDP Src Port : 25171                  UDP Dst Port : 4500\n"
		  "  Rem Auth Mode: userPassword\n"
		  "  Loc Auth Mode: rsaCertificate\n"
		  "  Encryption   : AES192                 Hashing      : SHA1\n"
		  "  Rekey Int (T): 86400 Seconds          Rekey Left(T): 86254 Seconds\n"
		  "  PRF          : SHA1                   D/H Group    : 1\n"
		  "  Filter Name  :\n"
		  "\n"
		  "IPsecOverNatT:\n"
		  "  Tunnel ID    : 2.3\n"
		  "  Local Addr   : 0.0.0.0/0.0.0.0/0/0\n"
		  "  Remote Addr  : 10.2.2.1/255.255.255.255/0/0\n"
		  "  Encryption   : AES256                 Hashing      : SHA1\n"
		  "  Encapsulation: Tunnel\n"
		  "  Rekey Int (T): 28800 Seconds          Rekey Left(T): 28654 Seconds\n"
		  "  Rekey Int (D): 4608000 K-Bytes        Rekey Left(D): 4607990 K-Bytes\n"
		  "  Idle Time Out: 30 Minutes             Idle TO Left : 27 Minutes\n"
		  "  Bytes Tx     : 0                      Bytes Rx     : 11192\n"
		  "  Pkts Tx      : 0                      Pkts Rx      : 171\n");
	buf_free(&b);
}

static void sessiondb_short_form_and_no_nat(void)
{
	struct ike_sa sa;
	struct child_sa c;
	struct ctl_clock now;
	struct buf b;
	seed_session(&sa, &c, &now);
	sa.nat_remote = false;
	sa.local.sin_port = htons(500);
	const struct ike_sa *a[] = { &sa };
	struct ctl_sa_list l = list_of(a, 1);
	struct ctl_session_opts o = { false, idle_30, NULL };
	buf_init(&b);
	show_sessions_text(&b, &l, &o, &now);
	T_EQ_TEXT(fx_str(&b),
		  "Session Type: AnyConnect\n"
		  "\n"
		  "Username     : Anu                    Index        : 2\n"
		  "Assigned IP  : 10.2.2.1               Public IP    : 192.168.1.1\n"
		  "Protocol     : IKEv2 IPsec AnyConnect-Parent\n"
		  "License      : AnyConnect Premium\n"
		  "Encryption   : AES192 AES256          Hashing      : none SHA1 SHA1\n"
		  "Bytes Tx     : 0                      Bytes Rx     : 11192\n"
		  "Group Policy : ASA-IKEV2              Tunnel Group : ASA-IKEV2\n"
		  "Login Time   : 22:06:24 UTC Mon Apr 22 2013\n"
		  "Duration     : 0h:02m:26s\n"
		  "Inactivity   : 0h:00m:00s\n"
		  "VLAN Mapping : N/A                    VLAN         : none\n"
		  "Audt Sess ID : 0a000001000000025175b460\n"
		  "Security Grp : none\n");
	buf_free(&b);
}

static void sessiondb_empty_and_negotiating_sessions(void)
{
	struct ike_sa sa;
	struct child_sa c;
	struct ctl_clock now;
	struct buf b;
	seed_session(&sa, &c, &now);
	sa.state = IKE_STATE_AUTH_EAP;   /* not a session yet */
	const struct ike_sa *a[] = { &sa };
	struct ctl_sa_list l = list_of(a, 1);
	struct ctl_session_opts o = { true, idle_30, NULL };
	buf_init(&b);
	show_sessions_text(&b, &l, &o, &now);
	T_EQ_TEXT(fx_str(&b), "INFO: There are presently no active sessions\n");
	buf_reset(&b);
	struct json j;
	json_init(&j, &b);
	show_sessions_json(&j, &l, &o, &now);
	T_EQ_TEXT(fx_str(&b), "{\"session_type\":\"AnyConnect Detailed\",\"sessions\":[]}");
	buf_free(&b);
}

static void sessiondb_json_is_valid_with_same_fields(void)
{
	struct ike_sa sa;
	struct child_sa c;
	struct ctl_clock now;
	struct buf b;
	struct json j;
	seed_session(&sa, &c, &now);
	const struct ike_sa *a[] = { &sa };
	struct ctl_sa_list l = list_of(a, 1);
	struct ctl_session_opts o = { true, idle_30, NULL };
	buf_init(&b);
	json_init(&j, &b);
	show_sessions_json(&j, &l, &o, &now);
	const char *s = fx_str(&b);
	T_CHECK(json_valid(s));
	T_CHECK(strstr(s, "\"username\":\"Anu\",\"index\":2,\"assigned_ip\":\"10.2.2.1\","
			  "\"public_ip\":\"192.168.1.1\",\"protocol\":[\"IKEv2\",\"IPsecOverNatT\","
			  "\"AnyConnect-Parent\"]"));
	T_CHECK(strstr(s, "\"encryption\":[\"AES192\",\"AES256\"],\"hashing\":[\"none\",\"SHA1\",\"SHA1\"]"));
	T_CHECK(strstr(s, "\"bytes_rx\":11192,\"pkts_tx\":0,\"pkts_rx\":171"));
	T_CHECK(strstr(s, "\"login_time_text\":\"22:06:24 UTC Mon Apr 22 2013\",\"duration\":146"));
	T_CHECK(strstr(s, "\"rekey_left_t\":86254"));
	T_CHECK(strstr(s, "\"rekey_left_d\":4607990"));
	T_CHECK(strstr(s, "\"client_ver\":\"3.0.1047\""));
	buf_free(&b);
}

static void sessiondb_summary_counts_sessions_and_tunnels(void)
{
	struct ike_sa s1, s2, neg;
	struct child_sa c1, c2, c3;
	struct buf b;
	fx_seed_sa(&s1, &c1);
	fx_seed_sa(&s2, &c2);
	fx_seed_sa(&neg, &c3);
	s2.nat_remote = false;
	neg.state = IKE_STATE_INIT_DONE;
	const struct ike_sa *a[] = { &s1, &s2, &neg };
	struct ctl_sa_list l = list_of(a, 3);
	struct ctl_session_totals t = { .ikev2_cumulative = 12, .ikev2_peak = 5 };
	buf_init(&b);
	show_session_summary_text(&b, &l, &t);
	T_EQ_TEXT(fx_str(&b),
		  "---------------------------------------------------------------------------\n"
		  "VPN Session Summary\n"
		  "---------------------------------------------------------------------------\n"
		  "                               Active : Cumulative : Peak Concur : Inactive\n"
		  "                             ----------------------------------------------\n"
		  "AnyConnect Client            :      2 :         12 :           5 :        0\n"
		  "  IKEv2 IPsec                :      2 :         12 :           5 :        0\n"
		  "---------------------------------------------------------------------------\n"
		  "Total Active and Inactive    :      2             Total Cumulative :     12\n"
		  "---------------------------------------------------------------------------\n"
		  "\n"
		  "---------------------------------------------------------------------------\n"
		  "Tunnels Summary\n"
		  "---------------------------------------------------------------------------\n"
		  "                               Active\n"
		  "                             ----------\n"
		  "IKEv2                        :      2\n"
		  "IPsec                        :      1\n"
		  "IPsecOverNatT                :      1\n"
		  "AnyConnect-Parent            :      2\n"
		  "---------------------------------------------------------------------------\n"
		  "Totals                       :      6\n"
		  "---------------------------------------------------------------------------\n");
	buf_reset(&b);
	show_session_summary_text(&b, &l, NULL);
	T_CHECK(strstr(fx_str(&b), "AnyConnect Client            :      2 :          - :           - :        0\n"));
	buf_reset(&b);
	struct json j;
	json_init(&j, &b);
	show_session_summary_json(&j, &l, NULL);
	T_CHECK(json_valid(fx_str(&b)));
	T_CHECK(strstr(fx_str(&b), "\"ikev2_ipsec\":{\"active\":2,\"cumulative\":null"));
	buf_free(&b);
}

/* ---- show crypto ipsec sa ---------------------------------------------- */

static void ipsec_sa_matches_seed_layout(void)
{
	struct ike_sa sa;
	struct child_sa c;
	struct buf b;
	struct ctl_clock now = { SEED_LOGIN + 115, 0 };
	fx_seed_sa(&sa, &c);
	c.pkts_in = 108;
	c.pkts_decrypt_fail = 55;
	const struct ike_sa *a[] = { &sa };
	struct ctl_sa_list l = list_of(a, 1);
	buf_init(&b);
	show_ipsec_sa_text(&b, &l, &now);
	T_EQ_TEXT(fx_str(&b),
		  "interface: outside\n"
		  "    Crypto map tag: dynmap, seq num: 1000, local addr: 10.0.0.1\n"
		  "\n"
		  "      local ident (addr/mask/prot/port): (0.0.0.0/0.0.0.0/0/0)\n"
		  "      remote ident (addr/mask/prot/port): (10.2.2.1/255.255.255.255/0/0)\n"
		  "      current_peer: 192.168.1.1, username: Anu\n"
		  "      dynamic allocated peer ip: 10.2.2.1\n"
		  "\n"
		  "      #pkts encaps: 0, #pkts encrypt: 0, #pkts digest: 0\n"
		  "      #pkts decaps: 163, #pkts decrypt: 108, #pkts verify: 108\n"
		  "      #pkts compressed: 0, #pkts decompressed: 0\n"
		  "      #pkts not compressed: 0, #pkts comp failed: 0, #pkts decomp failed: 0\n"
		  "      #pre-frag successes: 0, #pre-frag failures: 0, #fragments created: 0\n"
		  "      #PMTUs sent: 0, #PMTUs rcvd: 0, #decapsulated frgs needing reassembly: 0\n"
		  "      #send errors: 0, #recv errors: 55\n"
		  "\n"
		  "      local crypto endpt.: 10.0.0.1/4500, remote crypto endpt.: 192.168.1.1/25171\n"
		  "      path mtu 1500, ipsec overhead 82, media mtu 1500\n"
		  "      current outbound spi: 77EE5348\n"
		  "      current inbound spi : 30B848A4\n"
		  "\n"
		  "    inbound esp sas:\n"
		  "      spi: 0x30B848A4 (817383588)\n"
		  "         transform: esp-aes-256 esp-sha-hmac no compression\n"
		  "         in use settings ={RA, Tunnel, NAT-T-Encaps, }\n"
		  "         slot: 0, conn_id: 8192, crypto-map: dynmap\n"
		  "         sa timing: remaining key lifetime (sec): 28685\n"
		  "         IV size: 16 bytes\n"
		  "         replay detection support: Y\n"
		  "    outbound esp sas:\n"
		  "      spi: 0x77EE5348 (2012107592)\n"
		  "         transform: esp-aes-256 esp-sha-hmac no compression\n"
		  "         in use settings ={RA, Tunnel, NAT-T-Encaps, }\n"
		  "         slot: 0, conn_id: 8192, crypto-map: dynmap\n"
		  "         sa timing: remaining key lifetime (sec): 28685\n"
		  "         IV size: 16 bytes\n"
		  "         replay detection support: Y\n");
	buf_free(&b);
}

static void ipsec_sa_gcm_without_nat_and_empty(void)
{
	struct ike_sa sa;
	struct child_sa c;
	struct buf b;
	struct ctl_clock now = { SEED_LOGIN + 115, 0 };
	fx_seed_sa(&sa, &c);
	sa.nat_remote = false;
	c.encr_id = 20;
	c.integ_id = 0;
	const struct ike_sa *a[] = { &sa };
	struct ctl_sa_list l = list_of(a, 1);
	buf_init(&b);
	show_ipsec_sa_text(&b, &l, &now);
	const char *s = fx_str(&b);
	/* 20 IP + 8 ESP + 8 IV + 4 padding + 2 trailer + 16 ICV */
	T_CHECK(strstr(s, "      path mtu 1500, ipsec overhead 58, media mtu 1500\n"));
	T_CHECK(strstr(s, "         transform: esp-aes-gcm-256 esp-null-hmac no compression\n"));
	T_CHECK(strstr(s, "         in use settings ={RA, Tunnel, }\n"));
	T_CHECK(strstr(s, "         IV size: 8 bytes\n"));
	buf_reset(&b);
	struct json j;
	json_init(&j, &b);
	show_ipsec_sa_json(&j, &l, &now);
	T_CHECK(json_valid(fx_str(&b)));
	T_CHECK(strstr(fx_str(&b), "\"in_use_settings\":[\"RA\",\"Tunnel\"]"));
	buf_reset(&b);
	sa.children = NULL;   /* an IKE SA without CHILD SAs has no ipsec sa */
	show_ipsec_sa_text(&b, &l, &now);
	T_EQ_TEXT(fx_str(&b), "There are no ipsec sas\n");
	buf_free(&b);
}

/* ---- show ip local pool / show crypto ca certificates -------------------- */

static void pool_table_all_and_one(void)
{
	struct pool_stats s[] = {
		{ "ANYCONNECT", 0x0a020201, 0x0a02020a, 0xffffff00, 10, 1, 3 },
		{ "VPNCLIENT-POOL-LONGNAME", 0xc0a80a01, 0xc0a80a64, 0, 100, 0, 0 },
	};
	struct buf b;
	buf_init(&b);
	show_pool_text(&b, s, 2, NULL);
	T_EQ_TEXT(fx_str(&b),
		  "Pool            Begin           End             Mask            Free     Held     In use\n"
		  "ANYCONNECT      10.2.2.1        10.2.2.10       255.255.255.0   9        0        1\n"
		  "VPNCLIENT-POOL-LONGNAME 192.168.10.1    192.168.10.100  255.255.255.255 100      0        0\n");
	buf_reset(&b);
	show_pool_text(&b, s, 2, "ANYCONNECT");
	T_EQ_TEXT(fx_str(&b),
		  "Begin           End             Mask            Free     Held     In use\n"
		  "10.2.2.1        10.2.2.10       255.255.255.0   9        0        1\n");
	buf_reset(&b);
	struct json j;
	json_init(&j, &b);
	show_pool_json(&j, s, 2, "ANYCONNECT");
	T_EQ_TEXT(fx_str(&b),
		  "{\"pools\":[{\"name\":\"ANYCONNECT\",\"begin\":\"10.2.2.1\",\"end\":\"10.2.2.10\","
		  "\"mask\":\"255.255.255.0\",\"size\":10,\"free\":9,\"held\":0,\"in_use\":1,\"peak\":3}]}");
	buf_free(&b);
}

static void certs_print_subject_lines_and_pem(void)
{
	const char *pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
	struct show_cert c[] = {
		{ false, "CN=ASA-IKEV2, O=Example\\, Inc", pem, "ASA-IKEV2-TP" },
		{ true, "CN=Lab CA", pem, "ASA-IKEV2-TP" },
	};
	struct buf b;
	buf_init(&b);
	show_certs_text(&b, c, 2);
	T_EQ_TEXT(fx_str(&b),
		  "Certificate\n"
		  "  Status: Available\n"
		  "  Subject Name:\n"
		  "    CN=ASA-IKEV2\n"
		  "    O=Example\\, Inc\n"
		  "  Associated Trustpoints: ASA-IKEV2-TP\n"
		  "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
		  "\n"
		  "CA Certificate\n"
		  "  Status: Available\n"
		  "  Subject Name:\n"
		  "    CN=Lab CA\n"
		  "  Associated Trustpoints: ASA-IKEV2-TP\n"
		  "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
	buf_reset(&b);
	struct json j;
	json_init(&j, &b);
	show_certs_json(&j, c, 1);
	T_EQ_TEXT(fx_str(&b),
		  "{\"certificates\":[{\"type\":\"Certificate\",\"status\":\"Available\","
		  "\"subject\":\"CN=ASA-IKEV2, O=Example\\\\, Inc\",\"trustpoint\":\"ASA-IKEV2-TP\","
		  "\"pem\":\"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n\"}]}");
	buf_free(&b);
}

/* ---- helpers ------------------------------------------------------------- */

static void durations_and_login_times_as_the_asa(void)
{
	char s[64];
	fmt_duration(s, sizeof(s), 146);
	T_EQ_STR(s, "0h:02m:26s");
	fmt_duration(s, sizeof(s), 52 * 86400 + 6 * 3600 + 35 * 60 + 23);
	T_EQ_STR(s, "52d 6h:35m:23s");
	fmt_login_time(s, sizeof(s), 1667806258);   /* 07:30:58 Mon Nov 7 2022 UTC */
	T_EQ_STR(s, "07:30:58 UTC Mon Nov 7 2022");
}

static void idents_as_addr_mask_proto_port(void)
{
	char s[64];
	struct ike_ts all = { 0, 0xffffffffu, 0, 65535, 0 };
	struct ike_ts net = { 0x0a000000, 0x0a0000ff, 0, 65535, 0 };
	struct ike_ts odd = { 0x0a000001, 0x0a000005, 443, 443, 6 };
	show_ident(s, sizeof(s), &all);
	T_EQ_STR(s, "0.0.0.0/0.0.0.0/0/0");
	show_ident(s, sizeof(s), &net);
	T_EQ_STR(s, "10.0.0.0/255.255.255.0/0/0");
	show_ident(s, sizeof(s), &odd);
	T_EQ_STR(s, "10.0.0.1/255.255.255.255/6/443");
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	T_RUN(ikev2_sa_matches_seed_layout);
	T_RUN(ikev2_sa_detail_matches_seed_layout);
	T_RUN(ikev2_sa_empty_says_no_sas);
	T_RUN(ikev2_sa_groups_rekeyed_sas_by_session);
	T_RUN(ikev2_sa_detail_cleans_peer_identity);
	T_RUN(ikev2_sa_json_has_the_text_fields);
	T_RUN(sessiondb_detail_matches_seed_layout);
	T_RUN(sessiondb_short_form_and_no_nat);
	T_RUN(sessiondb_empty_and_negotiating_sessions);
	T_RUN(sessiondb_json_is_valid_with_same_fields);
	T_RUN(sessiondb_summary_counts_sessions_and_tunnels);
	T_RUN(ipsec_sa_matches_seed_layout);
	T_RUN(ipsec_sa_gcm_without_nat_and_empty);
	T_RUN(pool_table_all_and_one);
	T_RUN(certs_print_subject_lines_and_pem);
	T_RUN(durations_and_login_times_as_the_asa);
	T_RUN(idents_as_addr_mask_proto_port);
	T_DONE();
}
