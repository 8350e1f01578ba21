/* ctl/: the IKEv1 shows against golden texts in the ASA 8.4+ layouts
 * (show crypto isakmp|ikev1 sa [detail], show vpn-sessiondb [detail]
 * remote, show uauth), their JSON, and that the IKEv2-era shows keep
 * working with IKEv1 SAs in the table (fixtures in fixture.h). */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "jcheck.h"
#include "ctl/ctl.h"
#include "ctl/show.h"

static struct ike_sa am, mm, v2;
static struct child_sa am_child, v2_child;
static const struct ike_sa *all[3];
static struct ctl_sa_list list;
static const struct ctl_clock now = { FX_V1_NOW, 1000000 + 290000 };

static void setup(void)
{
	fx_v1_am_sa(&am, &am_child);
	fx_v1_mm_sa(&mm);
	fx_seed_sa(&v2, &v2_child);
	all[0] = &am;
	all[1] = &mm;
	all[2] = &v2;
	list = (struct ctl_sa_list){ all, 3 };
}

static const char golden_v1_sa[] =
	"IKEv1 SAs:\n"
	"\n"
	"   Active SA: 2\n"
	"    Rekey SA: 0 (A tunnel will report 1 Active and 1 Rekey SA during rekey)\n"
	"Total IKE SA: 2\n"
	"\n"
	"1   IKE Peer: 10.0.0.2\n"
	"    Type    : user            Role    : responder\n"
	"    Rekey   : no              State   : AM_ACTIVE\n"
	"\n"
	"2   IKE Peer: 203.0.113.9\n"
	"    Type    : user            Role    : responder\n"
	"    Rekey   : no              State   : MM_WAIT_MSG3\n";

static const char golden_v1_sa_detail[] =
	"IKEv1 SAs:\n"
	"\n"
	"   Active SA: 2\n"
	"    Rekey SA: 0 (A tunnel will report 1 Active and 1 Rekey SA during rekey)\n"
	"Total IKE SA: 2\n"
	"\n"
	"1   IKE Peer: 10.0.0.2\n"
	"    Type    : user            Role    : responder\n"
	"    Rekey   : no              State   : AM_ACTIVE\n"
	"    Encrypt : aes-256         Hash    : SHA\n"
	"    Auth    : preshared       Lifetime: 86400\n"
	"    Lifetime Remaining: 86110\n"
	"\n"
	"2   IKE Peer: 203.0.113.9\n"
	"    Type    : user            Role    : responder\n"
	"    Rekey   : no              State   : MM_WAIT_MSG3\n"
	"    Encrypt : 3des            Hash    : MD5\n"
	"    Auth    : preshared       Lifetime: 28800\n"
	"    Lifetime Remaining: 28510\n";

static const char golden_remote[] =
	"Session Type: IPsec\n"
	"\n"
	"Username     : alice                  Index        : 7\n"
	"Assigned IP  : 192.168.100.1          Public IP    : 10.0.0.2\n"
	"Protocol     : IKEv1 IPsec\n"
	"License      : Other VPN\n"
	"Encryption   : IKEv1: (1)AES256  IPsec: (1)AES256\n"
	"Hashing      : IKEv1: (1)SHA1  IPsec: (1)SHA1\n"
	"Bytes Tx     : 2048                   Bytes Rx     : 4096\n"
	"Group Policy : VPNGP                  Tunnel Group : VPNGROUP\n"
	"Login Time   : 22:06:24 UTC Mon Apr 22 2013\n"
	"Duration     : 0h:04m:50s\n"
	"Inactivity   : 0h:00m:00s\n"
	"VLAN Mapping : N/A                    VLAN         : none\n"
	"Audt Sess ID : c6336401000000075175b460\n"
	"Security Grp : none\n";

static const char golden_remote_detail[] =
	"Session Type: IPsec Detailed\n"
	"\n"
	"Username     : alice                  Index        : 7\n"
	"Assigned IP  : 192.168.100.1          Public IP    : 10.0.0.2\n"
	"Protocol     : IKEv1 IPsec\n"
	"License      : Other VPN\n"
	"Encryption   : IKEv1: (1)AES256  IPsec: (1)AES256\n"
	"Hashing      : IKEv1: (1)SHA1  IPsec: (1)SHA1\n"
	"Bytes Tx     : 2048                   Bytes Rx     : 4096\n"
	"Pkts Tx      : 20                     Pkts Rx      : 40\n"
	"Pkts Tx Drop : 0                      Pkts Rx Drop : 0\n"
	"Group Policy : VPNGP                  Tunnel Group : VPNGROUP\n"
	"Login Time   : 22:06:24 UTC Mon Apr 22 2013\n"
	"Duration     : 0h:04m:50s\n"
	"Inactivity   : 0h:00m:00s\n"
	"NAC Result   : Unknown\n"
	"VLAN Mapping : N/A                    VLAN         : none\n"
	"\n"
	"IKEv1 Tunnels: 1\n"
	"IPsec Tunnels: 1\n"
	"\n"
	"IKEv1:\n"
	"  Tunnel ID    : 7.1\n"
	"  UDP Src Port : 500                    UDP Dst Port : 500\n"
	"  IKE Neg Mode : Aggressive             Auth Mode    : preSharedKeysXauth\n"
	"  Encryption   : AES256                 Hashing      : SHA1\n"
	"  Rekey Int (T): 86400 Seconds          Rekey Left(T): 86110 Seconds\n"
	"  D/H Group    : 2\n"
	"  Filter Name  :\n"
	"\n"
	"IPsec:\n"
	"  Tunnel ID    : 7.2\n"
	"  Local Addr   : 0.0.0.0/0.0.0.0/0/0\n"
	"  Remote Addr  : 192.168.100.1/255.255.255.255/0/0\n"
	"  Encryption   : AES256                 Hashing      : SHA1\n"
	"  Encapsulation: Tunnel                 PFS Group    : 2\n"
	"  Rekey Int (T): 28800 Seconds          Rekey Left(T): 28510 Seconds\n"
	"  Rekey Int (D): 4608000 K-Bytes        Rekey Left(D): 4607994 K-Bytes\n"
	"  Idle Time Out: 30 Minutes             Idle TO Left : 25 Minutes\n"
	"  Bytes Tx     : 2048                   Bytes Rx     : 4096\n"
	"  Pkts Tx      : 20                     Pkts Rx      : 40\n";

static const char golden_uauth[] =
	"                        Current    Most Seen\n"
	"Authenticated Users       1          -\n"
	"Authen In Progress        0          -\n"
	"\n"
	"remote access VPN user 'alice' at 192.168.100.1, authenticated\n"
	"   absolute   timeout: 0:05:00\n"
	"   inactivity timeout: 0:00:00\n";

static void ikev1_sa_lists_user_tunnels_with_their_state(void)
{
	struct buf b;
	setup();
	buf_init(&b);
	show_ikev1_sa_text(&b, &list, false, &now);
	T_EQ_TEXT(fx_str(&b), golden_v1_sa);
	b.len = 0;
	show_ikev1_sa_text(&b, &list, true, &now);
	T_EQ_TEXT(fx_str(&b), golden_v1_sa_detail);
	buf_free(&b);
}

static void ikev1_sa_counts_a_rekeyed_sa_and_prints_dash_without_state(void)
{
	struct buf b;
	setup();
	mm.state = IKE_STATE_REKEYED;
	mm.v1_state = NULL;
	buf_init(&b);
	show_ikev1_sa_text(&b, &list, false, &now);
	const char *s = fx_str(&b);
	T_CHECK(strstr(s, "   Active SA: 1\n    Rekey SA: 1 (") != NULL);
	T_CHECK(strstr(s, "Total IKE SA: 2\n") != NULL);
	T_CHECK(strstr(s, "    Rekey   : yes             State   : -\n") != NULL);
	buf_free(&b);
}

static void isakmp_sa_empty_says_there_are_no_sas(void)
{
	struct ctl_sa_list none = { all, 0 };
	struct buf b;
	buf_init(&b);
	show_ikev1_sa_text(&b, &none, false, &now);
	T_EQ_TEXT(fx_str(&b), "There are no IKEv1 SAs\n");
	buf_free(&b);
}

static void remote_sessions_match_the_asa_record(void)
{
	struct buf b;
	struct ctl_session_opts o = { false, NULL, NULL };
	setup();
	buf_init(&b);
	show_remote_text(&b, &list, &o, &now);
	T_EQ_TEXT(fx_str(&b), golden_remote);
	b.len = 0;
	o.detail = true;
	show_remote_text(&b, &list, &o, &now);
	T_EQ_TEXT(fx_str(&b), golden_remote_detail);
	buf_free(&b);
}

static void remote_lists_distinct_child_algorithms_with_their_count(void)
{
	struct buf b;
	struct child_sa c2, c3;
	struct ctl_session_opts o = { false, NULL, NULL };
	setup();
	c2 = am_child;
	c3 = am_child;
	c2.encr_id = 3;
	c2.encr_bits = 0;
	c2.integ_id = 1;
	am_child.next = &c2;
	c2.next = &c3;
	am.nat_remote = true;
	buf_init(&b);
	show_remote_text(&b, &list, &o, &now);
	const char *s = fx_str(&b);
	T_CHECK(strstr(s, "Protocol     : IKEv1 IPsecOverNatT\n") != NULL);
	T_CHECK(strstr(s, "Encryption   : IKEv1: (1)AES256  IPsecOverNatT: (2)AES256  "
			  "IPsecOverNatT: (1)3DES\n") != NULL);
	T_CHECK(strstr(s, "Hashing      : IKEv1: (1)SHA1  IPsecOverNatT: (2)SHA1  "
			  "IPsecOverNatT: (1)MD5\n") != NULL);
	buf_free(&b);
}

static void remote_without_ikev1_sessions_says_none(void)
{
	struct buf b;
	struct ctl_session_opts o = { true, NULL, NULL };
	setup();
	const struct ike_sa *only_v2[] = { &v2, &mm };
	struct ctl_sa_list l = { only_v2, 2 };
	buf_init(&b);
	show_remote_text(&b, &l, &o, &now);
	T_EQ_TEXT(fx_str(&b), "INFO: There are presently no active sessions\n");
	buf_free(&b);
}

static void uauth_lists_xauth_users_and_counts_logins_in_progress(void)
{
	struct buf b;
	struct show_uauth_opts o = { NULL, 0, false };
	setup();
	buf_init(&b);
	show_uauth_text(&b, &list, &o);
	T_EQ_TEXT(fx_str(&b), golden_uauth);
	/* an XAUTH phase 1 still waiting for the password is "in progress";
	 * the configured inactivity timeout replaces the absolute one */
	mm.v1_auth = 65001;
	struct ctl_uauth_totals t = { 3, 2 };
	o.t = &t;
	o.timeout_sec = 3600;
	o.inactivity = true;
	b.len = 0;
	show_uauth_text(&b, &list, &o);
	const char *s = fx_str(&b);
	T_CHECK(strstr(s, "Authenticated Users       1          3\n") != NULL);
	T_CHECK(strstr(s, "Authen In Progress        1          2\n") != NULL);
	T_CHECK(strstr(s, "   absolute   timeout: 0:00:00\n   inactivity timeout: 1:00:00\n") !=
		NULL);
	T_CHECK(strstr(s, "203.0.113.9") == NULL);
	buf_free(&b);
}

static void ipsec_sa_shows_ikev1_children_as_the_asa_does(void)
{
	struct buf b;
	setup();
	buf_init(&b);
	show_ipsec_sa_text(&b, &list, &now);
	const char *s = fx_str(&b);
	T_CHECK(strstr(s, "in use settings ={RA, Tunnel, IKEv1, }\n") != NULL);
	T_CHECK(strstr(s, "remaining key lifetime (kB/sec): (4607994/28510)\n") != NULL);
	T_CHECK(strstr(s, "current_peer: 10.0.0.2, username: alice\n") != NULL);
	T_CHECK(strstr(s, "IKEv2") == NULL);
	buf_free(&b);
}

static void summary_counts_ikev1_sessions(void)
{
	struct buf b;
	setup();
	buf_init(&b);
	show_session_summary_text(&b, &list, NULL);
	const char *s = fx_str(&b);
	T_CHECK(strstr(s, "  IKEv1 IPsec                :      1 :") != NULL);
	T_CHECK(strstr(s, "IKEv1                        :      1\n") != NULL);
	T_CHECK(strstr(s, "Total Active and Inactive    :      2") != NULL);
	buf_free(&b);
}

/* Every IKEv1 show has a valid JSON form with the text's fields. */
static void json_forms_are_valid_and_carry_the_fields(void)
{
	struct buf b;
	struct json j;
	struct ctl_session_opts o = { true, NULL, NULL };
	struct show_uauth_opts u = { NULL, 0, false };
	setup();
	buf_init(&b);
	json_init(&j, &b);
	show_ikev1_sa_json(&j, &list, true, &now);
	const char *s = fx_str(&b);
	T_CHECK(json_valid(s));
	T_CHECK(strstr(s, "\"state\":\"AM_ACTIVE\"") && strstr(s, "\"mode\":\"aggressive\"") &&
		strstr(s, "\"encrypt\":\"aes-256\"") && strstr(s, "\"lifetime_remaining\":86110") &&
		strstr(s, "\"total_ike_sa\":2"));
	b.len = 0;
	json_init(&j, &b);
	json_obj_open(&j, NULL);
	show_ikev1_sa_json_key(&j, "ikev1", &list, false, &now);
	show_ikev2_sa_json_key(&j, "ikev2", &list, false, &now);
	json_obj_close(&j);
	s = fx_str(&b);
	T_CHECK(json_valid(s));
	T_CHECK(strstr(s, "{\"ikev1\":{") == s && strstr(s, "\"ikev2\":{") != NULL);
	b.len = 0;
	json_init(&j, &b);
	show_remote_json(&j, &list, &o, &now);
	s = fx_str(&b);
	T_CHECK(json_valid(s));
	T_CHECK(strstr(s, "\"auth_mode\":\"preSharedKeysXauth\"") &&
		strstr(s, "\"ike_neg_mode\":\"Aggressive\"") && strstr(s, "\"tunnel_id\":\"7.2\"") &&
		strstr(s, "\"license\":\"Other VPN\""));
	b.len = 0;
	json_init(&j, &b);
	show_uauth_json(&j, &list, &u);
	s = fx_str(&b);
	T_CHECK(json_valid(s));
	T_CHECK(strstr(s, "\"authenticated_users\":1") && strstr(s, "\"username\":\"alice\"") &&
		strstr(s, "\"authenticated_users_most_seen\":null") &&
		strstr(s, "\"absolute_timeout\":300"));
	buf_free(&b);
}

/* The commands reach the formatters through the real tree, with the ASA
 * abbreviations (the SA table is empty here). */
static void commands_reach_the_ikev1_shows(void)
{
	static const struct ctl_env env = { 0 };
	static const struct { const char *line, *want; } t[] = {
		{ "sh cry isa sa", "0\nThere are no IKEv1 SAs\n\nThere are no IKEv2 SAs\n" },
		{ "show crypto isakmp sa detail",
		  "0\nThere are no IKEv1 SAs\n\nThere are no IKEv2 SAs\n" },
		{ "sh cry ikev1 sa det", "0\nThere are no IKEv1 SAs\n" },
		{ "sh vpn-sessiondb remote", "0\nINFO: There are presently no active sessions\n" },
		{ "sh vpn det rem", "0\nINFO: There are presently no active sessions\n" },
		{ "sh uauth", "0\n                        Current    Most Seen\n"
			      "Authenticated Users       0          -\n"
			      "Authen In Progress        0          -\n" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *a = ctl_exec(&env, t[i].line, false);
		T_EQ_STR(a ? a : "(null)", t[i].want);
		free(a);
		a = ctl_exec(&env, t[i].line, true);
		T_CHECK(a && a[0] == '0' && json_valid(a + 2));
		free(a);
	}
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	T_RUN(ikev1_sa_lists_user_tunnels_with_their_state);
	T_RUN(ikev1_sa_counts_a_rekeyed_sa_and_prints_dash_without_state);
	T_RUN(isakmp_sa_empty_says_there_are_no_sas);
	T_RUN(remote_sessions_match_the_asa_record);
	T_RUN(remote_lists_distinct_child_algorithms_with_their_count);
	T_RUN(remote_without_ikev1_sessions_says_none);
	T_RUN(uauth_lists_xauth_users_and_counts_logins_in_progress);
	T_RUN(ipsec_sa_shows_ikev1_children_as_the_asa_does);
	T_RUN(summary_counts_ikev1_sessions);
	T_RUN(json_forms_are_valid_and_carry_the_fields);
	T_RUN(commands_reach_the_ikev1_shows);
	T_DONE();
}
