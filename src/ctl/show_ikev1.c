/* show crypto isakmp sa [detail] / show crypto ikev1 sa [detail]: the ASA
 * 8.4+ IKEv1 block
 *
 *   IKEv1 SAs:
 *
 *      Active SA: 1
 *       Rekey SA: 0 (A tunnel will report 1 Active and 1 Rekey SA during rekey)
 *   Total IKE SA: 1
 *
 *   1   IKE Peer: 10.0.0.2
 *       Type    : user            Role    : responder
 *       Rekey   : no              State   : AM_ACTIVE
 *       Encrypt : aes-256         Hash    : SHA          (detail)
 *       Auth    : preshared       Lifetime: 86400        (detail)
 *       Lifetime Remaining: 86110                        (detail)
 *
 * (values padded to 16 columns; the ASA leaves a trailing blank after the
 * second value, ravpn trims it like every other show).  On an ASA with
 * both versions `show crypto isakmp sa` prints this block, a blank line,
 * then the IKEv2 one; "There are no IKEv1 SAs" when there is none. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>

#include "conf/conf.h"
#include "ctl/names.h"
#include "ctl/show.h"

/* A remote-access gateway has only user tunnels; a rekeyed SA waiting for
 * its DELETE is the "Rekey SA" of the summary. */
static bool v1_rekey(const struct ike_sa *sa)
{
	return sa->state == IKE_STATE_REKEYED;
}

struct v1_count {
	size_t active, rekey;
};

static struct v1_count v1_count(const struct ctl_sa_list *l)
{
	struct v1_count n = { 0, 0 };
	for (size_t i = 0; i < l->n; i++) {
		if (!show_sa_listed(l->sa[i], IKE_V1))
			continue;
		if (v1_rekey(l->sa[i]))
			n.rekey++;
		else
			n.active++;
	}
	return n;
}

/* The policy keyword of the cipher ("aes-256", "3des"), as the ASA prints it. */
static const char *v1_encr(const struct ike_sa *sa)
{
	const char *k = conf_alg_keyword(1, sa->encr_id, sa->encr_bits, false);
	return k ? k : "unknown";
}

static const char *v1_state(const struct ike_sa *sa)
{
	return sa->v1_state ? sa->v1_state : "-";
}

/* Row "    Label   : value           Label2  : value2" */
static void row(struct buf *b, const char *l1, const char *v1, const char *l2, const char *v2)
{
	size_t start = b->len;
	buf_printf(b, "    %-8s: %-16s%-8s: %s\n", l1, v1, l2, v2);
	fmt_trim_lines(b, start);
}

static void text_sa(struct buf *b, size_t n, const struct ike_sa *sa, bool detail,
		    const struct ctl_clock *now)
{
	char ip[FMT_IP_LEN], life[16], state[64];
	fmt_clean(state, sizeof(state), v1_state(sa));
	buf_printf(b, "\n%-4zuIKE Peer: %s\n", n, fmt_ip(ntohl(sa->remote.sin_addr.s_addr), ip));
	row(b, "Type", "user", "Role", sa->initiator ? "initiator" : "responder");
	row(b, "Rekey", v1_rekey(sa) ? "yes" : "no", "State", state);
	if (!detail)
		return;
	snprintf(life, sizeof(life), "%" PRIu32, sa->lifetime_sec);
	row(b, "Encrypt", v1_encr(sa), "Hash", ctl_name_v1_hash(sa->prf_id));
	row(b, "Auth", ctl_name_v1_auth(sa->v1_auth), "Lifetime", life);
	buf_printf(b, "    Lifetime Remaining: %" PRIu64 "\n",
		   show_lifetime_left(sa->lifetime_sec, sa->created, now));
}

void show_ikev1_sa_text(struct buf *b, const struct ctl_sa_list *l, bool detail,
			const struct ctl_clock *now)
{
	struct v1_count c = v1_count(l);
	if (c.active + c.rekey == 0) {
		buf_printf(b, "There are no IKEv1 SAs\n");
		return;
	}
	buf_printf(b, "IKEv1 SAs:\n\n   Active SA: %zu\n    Rekey SA: %zu (A tunnel will report "
		   "1 Active and 1 Rekey SA during rekey)\nTotal IKE SA: %zu\n",
		   c.active, c.rekey, c.active + c.rekey);
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		if (show_sa_listed(l->sa[i], IKE_V1))
			text_sa(b, ++n, l->sa[i], detail, now);
}

static void json_sa(struct json *j, size_t n, const struct ike_sa *sa, bool detail,
		    const struct ctl_clock *now)
{
	char ip[FMT_IP_LEN];
	json_obj_open(j, NULL);
	json_u64(j, "index", n);
	json_str(j, "ike_peer", fmt_ip(ntohl(sa->remote.sin_addr.s_addr), ip));
	json_str(j, "type", "user");
	json_str(j, "role", sa->initiator ? "initiator" : "responder");
	json_bool(j, "rekey", v1_rekey(sa));
	json_str(j, "state", v1_state(sa));
	json_str(j, "mode", sa->v1_mode == 4 ? "aggressive" : sa->v1_mode == 2 ? "main" : NULL);
	if (detail) {
		json_str(j, "encrypt", v1_encr(sa));
		json_str(j, "hash", ctl_name_v1_hash(sa->prf_id));
		json_str(j, "auth", ctl_name_v1_auth(sa->v1_auth));
		json_u64(j, "dh_group", sa->dh_group);
		json_u64(j, "lifetime", sa->lifetime_sec);
		json_u64(j, "lifetime_remaining",
			 show_lifetime_left(sa->lifetime_sec, sa->created, now));
	}
	json_obj_close(j);
}

void show_ikev1_sa_json(struct json *j, const struct ctl_sa_list *l, bool detail,
			const struct ctl_clock *now)
{
	show_ikev1_sa_json_key(j, NULL, l, detail, now);
}

void show_ikev1_sa_json_key(struct json *j, const char *key, const struct ctl_sa_list *l,
			    bool detail, const struct ctl_clock *now)
{
	struct v1_count c = v1_count(l);
	json_obj_open(j, key);
	json_u64(j, "active_sa", c.active);
	json_u64(j, "rekey_sa", c.rekey);
	json_u64(j, "total_ike_sa", c.active + c.rekey);
	json_arr_open(j, "ikev1_sas");
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		if (show_sa_listed(l->sa[i], IKE_V1))
			json_sa(j, ++n, l->sa[i], detail, now);
	json_arr_close(j);
	json_obj_close(j);
}
