/* show vpn-sessiondb [detail] anyconnect and the summary.
 *
 * A session is an established IKEv2 SA with its CHILD SAs.  Like the ASA,
 * a session has numbered tunnels: <Index>.1 the AnyConnect-Parent (the
 * session itself), <Index>.2 the IKEv2 SA, <Index>.3... each IPsec SA.
 * Rows are "Label        : value" pairs, the second pair at column 38
 * (40 inside a tunnel block), as in the seed and protocol.md §3.4.
 * Byte and packet numbers come from the CHILD SA counters that esp/ fills;
 * they read 0 until the data plane reports. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"
#include "ctl/names.h"
#include "ctl/show.h"

#define ANYCONNECT_ID "*$AnyConnectClient$*"

static bool sess_natt(const struct ike_sa *sa)
{
	return sa->nat_remote || sa->nat_local;
}

static const char *ipsec_name(const struct ike_sa *sa)
{
	return sess_natt(sa) ? "IPsecOverNatT" : "IPsec";
}

static bool sess_is_anyconnect(const struct ike_sa *sa)
{
	return sa->client_version || (sa->remote_id && strcmp(sa->remote_id, ANYCONNECT_ID) == 0);
}

static unsigned sess_idle_min(const struct ctl_session_opts *o, const struct ike_sa *sa)
{
	return o->idle_min ? o->idle_min(sa, o->arg) : 30;
}

/* Encryption lists every encrypted tunnel (the parent has none); Hashing
 * lists every tunnel in order, parent first: "AES192 AES256" and
 * "none SHA1 SHA1" in the seed. */
static void alg_lists(char *enc, size_t enc_len, char *hash, size_t hash_len,
		      const struct ike_sa *sa)
{
	size_t e = 0, h = 0;
	e += (size_t)snprintf(enc, enc_len, "%s", ctl_name_encr(sa->encr_id, sa->encr_bits)->session);
	h += (size_t)snprintf(hash, hash_len, "none %s", ctl_name_integ(sa->integ_id)->session);
	for (const struct child_sa *c = sa->children; c; c = c->next) {
		if (e < enc_len)
			e += (size_t)snprintf(enc + e, enc_len - e, " %s",
					      ctl_name_encr(c->encr_id, c->encr_bits)->session);
		if (h < hash_len)
			h += (size_t)snprintf(hash + h, hash_len - h, " %s",
					      ctl_name_integ(c->integ_id)->session);
	}
}

/* ---- text -------------------------------------------------------------- */

static void text_head(struct buf *b, const struct ike_sa *sa, bool detail,
		      const struct ctl_clock *now)
{
	char user[128], gp[128], tg[128], ip1[FMT_IP_LEN], ip2[FMT_IP_LEN], idx[16], s[256], h[256];
	fmt_clean(user, sizeof(user), show_sess_user(sa));
	fmt_clean(gp, sizeof(gp), sa->group_policy);
	fmt_clean(tg, sizeof(tg), sa->tunnel_group);
	snprintf(idx, sizeof(idx), "%" PRIu32, sa->session_id);
	fmt_pair(b, "", "Username", user, "Index", idx);
	fmt_pair(b, "", "Assigned IP", sa->assigned_addr ? fmt_ip(sa->assigned_addr, ip1) : "0.0.0.0",
		 "Public IP", fmt_ip(ntohl(sa->remote.sin_addr.s_addr), ip2));
	snprintf(s, sizeof(s), "IKEv2 %s AnyConnect-Parent", ipsec_name(sa));
	fmt_pair(b, "", "Protocol", s, NULL, NULL);
	fmt_pair(b, "", "License", "AnyConnect Premium", NULL, NULL);
	alg_lists(s, sizeof(s), h, sizeof(h), sa);
	fmt_pair(b, "", "Encryption", s, "Hashing", h);
	show_session_tail_text(b, sa, gp, tg, detail, now);
}

static void text_parent(struct buf *b, const struct ike_sa *sa, unsigned idle_min,
			const struct ctl_clock *now)
{
	char s[64], z[64], ver[128];
	buf_printf(b, "\nAnyConnect-Parent:\n");
	snprintf(s, sizeof(s), "%" PRIu32 ".1", sa->session_id);
	fmt_pair(b, "  ", "Tunnel ID", s, NULL, NULL);
	fmt_pair(b, "  ", "Public IP", fmt_ip(ntohl(sa->remote.sin_addr.s_addr), s), NULL, NULL);
	fmt_pair(b, "  ", "Encryption", "none", "Auth Mode", ctl_name_auth_mode(sa->auth_verify));
	snprintf(s, sizeof(s), "%u Minutes", idle_min);
	snprintf(z, sizeof(z), "%u Minutes", show_idle_left(sa, idle_min, now));
	fmt_pair(b, "  ", "Idle Time Out", s, "Idle TO Left", z);
	if (sess_is_anyconnect(sa))
		fmt_pair(b, "  ", "Client Type", "AnyConnect", NULL, NULL);
	if (sa->client_version) {
		fmt_clean(ver, sizeof(ver), sa->client_version);
		fmt_pair(b, "  ", "Client Ver", ver, NULL, NULL);
	}
}

static void text_ikev2(struct buf *b, const struct ike_sa *sa, const struct ctl_clock *now)
{
	char s[64], z[64];
	buf_printf(b, "\nIKEv2:\n");
	snprintf(s, sizeof(s), "%" PRIu32 ".2", sa->session_id);
	fmt_pair(b, "  ", "Tunnel ID", s, NULL, NULL);
	show_pair_u64(b, "  ", "UDP Src Port", ntohs(sa->remote.sin_port), "UDP Dst Port",
		      ntohs(sa->local.sin_port));
	fmt_pair(b, "  ", "Rem Auth Mode", ctl_name_auth_mode(sa->auth_verify), NULL, NULL);
	fmt_pair(b, "  ", "Loc Auth Mode", ctl_name_auth_mode(sa->auth_sign), NULL, NULL);
	fmt_pair(b, "  ", "Encryption", ctl_name_encr(sa->encr_id, sa->encr_bits)->session,
		 "Hashing", ctl_name_integ(sa->integ_id)->session);
	snprintf(s, sizeof(s), "%" PRIu32 " Seconds", sa->lifetime_sec);
	snprintf(z, sizeof(z), "%" PRIu64 " Seconds",
		 show_lifetime_left(sa->lifetime_sec, sa->created, now));
	fmt_pair(b, "  ", "Rekey Int (T)", s, "Rekey Left(T)", z);
	snprintf(s, sizeof(s), "%u", sa->dh_group);
	fmt_pair(b, "  ", "PRF", ctl_name_prf(sa->prf_id), "D/H Group", s);
	fmt_pair(b, "  ", "Filter Name", "", NULL, NULL);
}

static void text_tunnels(struct buf *b, const struct ike_sa *sa, unsigned idle_min,
			 const struct ctl_clock *now)
{
	buf_printf(b, "\nIKEv2 Tunnels: 1\n%s Tunnels: %zu\nAnyConnect-Parent Tunnels: 1\n",
		   ipsec_name(sa), show_child_count(sa));
	text_parent(b, sa, idle_min, now);
	text_ikev2(b, sa, now);
	unsigned n = 3;
	for (const struct child_sa *c = sa->children; c; c = c->next)
		show_ipsec_text(b, sa, c, n++, idle_min, now);
}

void show_sessions_text(struct buf *b, const struct ctl_sa_list *l,
			const struct ctl_session_opts *o, const struct ctl_clock *now)
{
	bool any = false;
	for (size_t i = 0; i < l->n; i++) {
		const struct ike_sa *sa = l->sa[i];
		if (!show_session_listed(sa, IKE_V2))
			continue;
		if (!any)
			buf_printf(b, "Session Type: AnyConnect%s\n", o->detail ? " Detailed" : "");
		any = true;
		buf_put_u8(b, '\n');
		text_head(b, sa, o->detail, now);
		if (o->detail)
			text_tunnels(b, sa, sess_idle_min(o, sa), now);
	}
	if (!any)
		buf_printf(b, "INFO: There are presently no active sessions\n");
}

/* ---- JSON -------------------------------------------------------------- */

static void json_algs(struct json *j, const struct ike_sa *sa)
{
	json_arr_open(j, "encryption");
	json_str(j, NULL, ctl_name_encr(sa->encr_id, sa->encr_bits)->session);
	for (const struct child_sa *c = sa->children; c; c = c->next)
		json_str(j, NULL, ctl_name_encr(c->encr_id, c->encr_bits)->session);
	json_arr_close(j);
	json_arr_open(j, "hashing");
	json_str(j, NULL, "none");
	json_str(j, NULL, ctl_name_integ(sa->integ_id)->session);
	for (const struct child_sa *c = sa->children; c; c = c->next)
		json_str(j, NULL, ctl_name_integ(c->integ_id)->session);
	json_arr_close(j);
}

static void json_head(struct json *j, const struct ike_sa *sa, bool detail,
		      const struct ctl_clock *now)
{
	char ip[FMT_IP_LEN], s[64];
	struct show_counts t = show_sa_counts(sa);
	json_str(j, "username", show_sess_user(sa));
	json_u64(j, "index", sa->session_id);
	json_str(j, "assigned_ip", fmt_ip(sa->assigned_addr, ip));
	json_str(j, "public_ip", fmt_ip(ntohl(sa->remote.sin_addr.s_addr), ip));
	json_arr_open(j, "protocol");
	json_str(j, NULL, "IKEv2");
	json_str(j, NULL, ipsec_name(sa));
	json_str(j, NULL, "AnyConnect-Parent");
	json_arr_close(j);
	json_str(j, "license", "AnyConnect Premium");
	json_algs(j, sa);
	show_counts_json(j, &t, detail);
	json_str(j, "group_policy", sa->group_policy ? sa->group_policy : "");
	json_str(j, "tunnel_group", sa->tunnel_group ? sa->tunnel_group : "");
	json_i64(j, "login_time", (int64_t)sa->created);
	fmt_login_time(s, sizeof(s), sa->created);
	json_str(j, "login_time_text", s);
	json_u64(j, "duration", fmt_elapsed(sa->created, now->wall));
	json_u64(j, "inactivity", 0);
	if (detail)
		json_str(j, "nac_result", "Unknown");
	json_str(j, "vlan_mapping", "N/A");
	json_str(j, "vlan", "none");
	if (!detail) {
		show_audit_id(s, sizeof(s), sa);
		json_str(j, "audt_sess_id", s);
		json_str(j, "security_grp", "none");
	}
}

static void json_parent(struct json *j, const struct ike_sa *sa, unsigned idle_min,
			const struct ctl_clock *now)
{
	char s[32];
	json_obj_open(j, "anyconnect_parent");
	snprintf(s, sizeof(s), "%" PRIu32 ".1", sa->session_id);
	json_str(j, "tunnel_id", s);
	json_str(j, "public_ip", fmt_ip(ntohl(sa->remote.sin_addr.s_addr), s));
	json_str(j, "encryption", "none");
	json_str(j, "auth_mode", ctl_name_auth_mode(sa->auth_verify));
	json_u64(j, "idle_time_out", idle_min);
	json_u64(j, "idle_to_left", show_idle_left(sa, idle_min, now));
	json_str(j, "client_type", sess_is_anyconnect(sa) ? "AnyConnect" : NULL);
	json_str(j, "client_ver", sa->client_version);
	json_obj_close(j);
}

static void json_ikev2(struct json *j, const struct ike_sa *sa, const struct ctl_clock *now)
{
	char s[32];
	json_obj_open(j, "ikev2");
	snprintf(s, sizeof(s), "%" PRIu32 ".2", sa->session_id);
	json_str(j, "tunnel_id", s);
	json_u64(j, "udp_src_port", ntohs(sa->remote.sin_port));
	json_u64(j, "udp_dst_port", ntohs(sa->local.sin_port));
	json_str(j, "rem_auth_mode", ctl_name_auth_mode(sa->auth_verify));
	json_str(j, "loc_auth_mode", ctl_name_auth_mode(sa->auth_sign));
	json_str(j, "encryption", ctl_name_encr(sa->encr_id, sa->encr_bits)->session);
	json_str(j, "hashing", ctl_name_integ(sa->integ_id)->session);
	json_u64(j, "rekey_int_t", sa->lifetime_sec);
	json_u64(j, "rekey_left_t", show_lifetime_left(sa->lifetime_sec, sa->created, now));
	json_str(j, "prf", ctl_name_prf(sa->prf_id));
	json_u64(j, "dh_group", sa->dh_group);
	json_str(j, "filter_name", "");
	json_obj_close(j);
}

static void json_tunnels(struct json *j, const struct ike_sa *sa, unsigned idle_min,
			 const struct ctl_clock *now)
{
	json_parent(j, sa, idle_min, now);
	json_ikev2(j, sa, now);
	json_arr_open(j, "ipsec");
	unsigned n = 3;
	for (const struct child_sa *c = sa->children; c; c = c->next)
		show_ipsec_json(j, sa, c, n++, idle_min, now);
	json_arr_close(j);
}

void show_sessions_json(struct json *j, const struct ctl_sa_list *l,
			const struct ctl_session_opts *o, const struct ctl_clock *now)
{
	json_obj_open(j, NULL);
	json_str(j, "session_type", o->detail ? "AnyConnect Detailed" : "AnyConnect");
	json_arr_open(j, "sessions");
	for (size_t i = 0; i < l->n; i++) {
		const struct ike_sa *sa = l->sa[i];
		if (!show_session_listed(sa, IKE_V2))
			continue;
		json_obj_open(j, NULL);
		json_head(j, sa, o->detail, now);
		if (o->detail)
			json_tunnels(j, sa, sess_idle_min(o, sa), now);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}
