/* show vpn-sessiondb [detail] remote: IKEv1 remote-access sessions (Cisco
 * VPN Client, vpnc), in the ASA 8.4+ record layout:
 *
 *   Session Type: IPsec
 *
 *   Username     : alice                  Index        : 7
 *   Assigned IP  : 192.168.100.1          Public IP    : 10.0.0.2
 *   Protocol     : IKEv1 IPsec
 *   License      : Other VPN
 *   Encryption   : IKEv1: (1)AES256  IPsec: (1)AES256
 *   Hashing      : IKEv1: (1)SHA1  IPsec: (1)SHA1
 *   ...
 *
 * "IKEv1: (1)AES256  IPsec: (2)3DES" is how the ASA prints the algorithms
 * of a multi-tunnel IKEv1 session (real 8.x l2l samples); the number in
 * parentheses counts the tunnels of that kind using the algorithm.  The
 * detail form has the "IKEv1 Tunnels: 1 / IPsec Tunnels: N" lines and the
 * IKEv1: (IKE Neg Mode, Auth Mode, D/H Group, Filter Name) and IPsec:
 * blocks of those samples; tunnel <Index>.1 is the IKEv1 SA and
 * <Index>.2... its IPsec SAs. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"
#include "ctl/names.h"
#include "ctl/show.h"

static const char *ipsec_kind(const struct ike_sa *sa)
{
	return sa->nat_remote || sa->nat_local ? "IPsecOverNatT" : "IPsec";
}

static unsigned idle_min(const struct ctl_session_opts *o, const struct ike_sa *sa)
{
	return o->idle_min ? o->idle_min(sa, o->arg) : 30;
}

static const char *child_alg(const struct child_sa *c, bool enc)
{
	return enc ? ctl_name_encr(c->encr_id, c->encr_bits)->session
		   : ctl_name_integ(c->integ_id)->session;
}

/* "IKEv1: (1)AES256  IPsec: (1)AES256": each distinct algorithm of the
 * IPsec tunnels once, at its first tunnel, with the number of tunnels
 * using it.  enc selects Encryption or Hashing. */
static void alg_line(char *out, size_t len, const struct ike_sa *sa, bool enc)
{
	size_t k = (size_t)snprintf(out, len, "IKEv1: (1)%s",
				    enc ? ctl_name_encr(sa->encr_id, sa->encr_bits)->session
					: ctl_name_prf(sa->prf_id));
	for (const struct child_sa *c = sa->children; c && k < len; c = c->next) {
		const char *name = child_alg(c, enc);
		bool first = true;
		unsigned n = 0;
		for (const struct child_sa *d = sa->children; d != c; d = d->next)
			first &= strcmp(child_alg(d, enc), name) != 0;
		if (!first)
			continue;
		for (const struct child_sa *d = c; d; d = d->next)
			n += strcmp(child_alg(d, enc), name) == 0;
		k += (size_t)snprintf(out + k, len - k, "  %s: (%u)%s", ipsec_kind(sa), n, name);
	}
}

/* ---- text -------------------------------------------------------------- */

static void text_head(struct buf *b, const struct ike_sa *sa, bool detail,
		      const struct ctl_clock *now)
{
	char user[128], gp[128], tg[128], ip1[FMT_IP_LEN], ip2[FMT_IP_LEN], idx[16], s[256];
	fmt_clean(user, sizeof(user), show_sess_user(sa));
	fmt_clean(gp, sizeof(gp), sa->group_policy);
	fmt_clean(tg, sizeof(tg), sa->tunnel_group);
	snprintf(idx, sizeof(idx), "%" PRIu32, sa->session_id);
	fmt_pair(b, "", "Username", user, "Index", idx);
	fmt_pair(b, "", "Assigned IP", fmt_ip(sa->assigned_addr, ip1), "Public IP",
		 fmt_ip(ntohl(sa->remote.sin_addr.s_addr), ip2));
	snprintf(s, sizeof(s), "IKEv1 %s", ipsec_kind(sa));
	fmt_pair(b, "", "Protocol", s, NULL, NULL);
	fmt_pair(b, "", "License", "Other VPN", NULL, NULL);
	alg_line(s, sizeof(s), sa, true);
	fmt_pair(b, "", "Encryption", s, NULL, NULL);
	alg_line(s, sizeof(s), sa, false);
	fmt_pair(b, "", "Hashing", s, NULL, NULL);
	show_session_tail_text(b, sa, gp, tg, detail, now);
}

static void text_ikev1(struct buf *b, const struct ike_sa *sa, const struct ctl_clock *now)
{
	char s[64], z[64];
	buf_printf(b, "\nIKEv1:\n");
	snprintf(s, sizeof(s), "%" PRIu32 ".1", sa->session_id);
	fmt_pair(b, "  ", "Tunnel ID", s, NULL, NULL);
	show_pair_u64(b, "  ", "UDP Src Port", ntohs(sa->remote.sin_port), "UDP Dst Port",
		 ntohs(sa->local.sin_port));
	fmt_pair(b, "  ", "IKE Neg Mode", ctl_name_v1_mode(sa->v1_mode), "Auth Mode",
		 ctl_name_v1_auth_mode(sa->v1_auth));
	fmt_pair(b, "  ", "Encryption", ctl_name_encr(sa->encr_id, sa->encr_bits)->session,
		 "Hashing", ctl_name_prf(sa->prf_id));
	snprintf(s, sizeof(s), "%" PRIu32 " Seconds", sa->lifetime_sec);
	snprintf(z, sizeof(z), "%" PRIu64 " Seconds",
		 show_lifetime_left(sa->lifetime_sec, sa->created, now));
	fmt_pair(b, "  ", "Rekey Int (T)", s, "Rekey Left(T)", z);
	snprintf(s, sizeof(s), "%u", sa->dh_group);
	fmt_pair(b, "  ", "D/H Group", s, NULL, NULL);
	fmt_pair(b, "  ", "Filter Name", "", NULL, NULL);
}

void show_remote_text(struct buf *b, const struct ctl_sa_list *l,
		      const struct ctl_session_opts *o, const struct ctl_clock *now)
{
	bool any = false;
	for (size_t i = 0; i < l->n; i++) {
		const struct ike_sa *sa = l->sa[i];
		if (!show_session_listed(sa, IKE_V1))
			continue;
		if (!any)
			buf_printf(b, "Session Type: IPsec%s\n", o->detail ? " Detailed" : "");
		any = true;
		buf_put_u8(b, '\n');
		text_head(b, sa, o->detail, now);
		if (!o->detail)
			continue;
		buf_printf(b, "\nIKEv1 Tunnels: 1\n%s Tunnels: %zu\n", ipsec_kind(sa),
			   show_child_count(sa));
		text_ikev1(b, sa, now);
		unsigned n = 2;
		for (const struct child_sa *c = sa->children; c; c = c->next)
			show_ipsec_text(b, sa, c, n++, idle_min(o, sa), now);
	}
	if (!any)
		buf_printf(b, "INFO: There are presently no active sessions\n");
}

/* ---- JSON -------------------------------------------------------------- */

static void json_head(struct json *j, const struct ike_sa *sa, bool detail,
		      const struct ctl_clock *now)
{
	char ip[FMT_IP_LEN], s[256];
	struct show_counts t = show_sa_counts(sa);
	json_str(j, "username", show_sess_user(sa));
	json_u64(j, "index", sa->session_id);
	json_str(j, "assigned_ip", fmt_ip(sa->assigned_addr, ip));
	json_str(j, "public_ip", fmt_ip(ntohl(sa->remote.sin_addr.s_addr), ip));
	json_arr_open(j, "protocol");
	json_str(j, NULL, "IKEv1");
	json_str(j, NULL, ipsec_kind(sa));
	json_arr_close(j);
	json_str(j, "license", "Other VPN");
	alg_line(s, sizeof(s), sa, true);
	json_str(j, "encryption", s);
	alg_line(s, sizeof(s), sa, false);
	json_str(j, "hashing", s);
	json_u64(j, "bytes_tx", t.bytes_tx);
	json_u64(j, "bytes_rx", t.bytes_rx);
	if (detail) {
		json_u64(j, "pkts_tx", t.pkts_tx);
		json_u64(j, "pkts_rx", t.pkts_rx);
		json_u64(j, "pkts_tx_drop", t.drop_tx);
		json_u64(j, "pkts_rx_drop", t.drop_rx);
	}
	json_str(j, "group_policy", sa->group_policy ? sa->group_policy : "");
	json_str(j, "tunnel_group", sa->tunnel_group ? sa->tunnel_group : "");
	json_i64(j, "login_time", (int64_t)sa->created);
	fmt_login_time(s, sizeof(s), sa->created);
	json_str(j, "login_time_text", s);
	json_u64(j, "duration", fmt_elapsed(sa->created, now->wall));
	json_u64(j, "inactivity", 0);
	json_str(j, "vlan_mapping", "N/A");
	json_str(j, "vlan", "none");
	show_audit_id(s, sizeof(s), sa);
	json_str(j, "audt_sess_id", s);
}

static void json_ikev1(struct json *j, const struct ike_sa *sa, const struct ctl_clock *now)
{
	char s[32];
	json_obj_open(j, "ikev1");
	snprintf(s, sizeof(s), "%" PRIu32 ".1", sa->session_id);
	json_str(j, "tunnel_id", s);
	json_u64(j, "udp_src_port", ntohs(sa->remote.sin_port));
	json_u64(j, "udp_dst_port", ntohs(sa->local.sin_port));
	json_str(j, "ike_neg_mode", ctl_name_v1_mode(sa->v1_mode));
	json_str(j, "auth_mode", ctl_name_v1_auth_mode(sa->v1_auth));
	json_str(j, "encryption", ctl_name_encr(sa->encr_id, sa->encr_bits)->session);
	json_str(j, "hashing", ctl_name_prf(sa->prf_id));
	json_u64(j, "rekey_int_t", sa->lifetime_sec);
	json_u64(j, "rekey_left_t", show_lifetime_left(sa->lifetime_sec, sa->created, now));
	json_u64(j, "dh_group", sa->dh_group);
	json_str(j, "filter_name", "");
	json_obj_close(j);
}

void show_remote_json(struct json *j, const struct ctl_sa_list *l,
		      const struct ctl_session_opts *o, const struct ctl_clock *now)
{
	json_obj_open(j, NULL);
	json_str(j, "session_type", o->detail ? "IPsec Detailed" : "IPsec");
	json_arr_open(j, "sessions");
	for (size_t i = 0; i < l->n; i++) {
		const struct ike_sa *sa = l->sa[i];
		if (!show_session_listed(sa, IKE_V1))
			continue;
		json_obj_open(j, NULL);
		json_head(j, sa, o->detail, now);
		if (o->detail) {
			json_ikev1(j, sa, now);
			json_arr_open(j, "ipsec");
			unsigned n = 2;
			for (const struct child_sa *c = sa->children; c; c = c->next)
				show_ipsec_json(j, sa, c, n++, idle_min(o, sa), now);
			json_arr_close(j);
		}
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}
