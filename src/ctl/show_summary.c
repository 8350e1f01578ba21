/* show vpn-sessiondb [summary]: the ASA's "VPN Session Summary" and
 * "Tunnels Summary" tables.  Active numbers are counted from the SA table;
 * Cumulative and Peak come from the IKE layer (ctl_env.session_totals) and
 * print "-" when it does not keep them.  ravpn keeps no inactive sessions
 * and has no licence limit, so there is no capacity or load line. */
#include <inttypes.h>
#include <stdio.h>

#include "ctl/ctl.h"
#include "ctl/show.h"

#define RULE "---------------------------------------------------------------------------\n"

struct summary {
	size_t v2, v1;                   /* established sessions */
	size_t ipsec, ipsec_natt;        /* CHILD SAs */
};

static struct summary summary_count(const struct ctl_sa_list *l)
{
	struct summary s = { 0 };
	for (size_t i = 0; i < l->n; i++) {
		const struct ike_sa *sa = l->sa[i];
		bool v2 = show_session_listed(sa, IKE_V2), v1 = show_session_listed(sa, IKE_V1);
		if (!v2 && !v1)
			continue;
		if (v2)
			s.v2++;
		else
			s.v1++;
		size_t c = show_child_count(sa);
		if (sa->nat_remote || sa->nat_local)
			s.ipsec_natt += c;
		else
			s.ipsec += c;
	}
	return s;
}

static void num_or_dash(char *out, size_t len, const struct ctl_session_totals *t, uint64_t v)
{
	if (t)
		snprintf(out, len, "%" PRIu64, v);
	else
		snprintf(out, len, "-");
}

static void text_session_row(struct buf *b, const char *label, size_t active,
			     const struct ctl_session_totals *t, uint64_t cum, uint64_t peak)
{
	char c[24], p[24];
	num_or_dash(c, sizeof(c), t, cum);
	num_or_dash(p, sizeof(p), t, peak);
	buf_printf(b, "%-29s: %6zu : %10s : %11s : %8u\n", label, active, c, p, 0u);
}

static void text_tunnel_row(struct buf *b, const char *label, size_t active)
{
	if (active)
		buf_printf(b, "%-29s: %6zu\n", label, active);
}

void show_session_summary_text(struct buf *b, const struct ctl_sa_list *l,
			       const struct ctl_session_totals *t)
{
	struct summary s = summary_count(l);
	uint64_t c2 = t ? t->ikev2_cumulative : 0, c1 = t ? t->ikev1_cumulative : 0;
	char cum[24];
	buf_printf(b, RULE "VPN Session Summary\n" RULE);
	buf_printf(b, "%31sActive : Cumulative : Peak Concur : Inactive\n", "");
	buf_printf(b, "%29s----------------------------------------------\n", "");
	if (s.v2 || c2) {
		text_session_row(b, "AnyConnect Client", s.v2, t, c2, t ? t->ikev2_peak : 0);
		text_session_row(b, "  IKEv2 IPsec", s.v2, t, c2, t ? t->ikev2_peak : 0);
	}
	if (s.v1 || c1) {
		text_session_row(b, "Remote Access VPN", s.v1, t, c1, t ? t->ikev1_peak : 0);
		text_session_row(b, "  IKEv1 IPsec", s.v1, t, c1, t ? t->ikev1_peak : 0);
	}
	num_or_dash(cum, sizeof(cum), t, c1 + c2);
	buf_printf(b, RULE "%-29s: %6zu             Total Cumulative : %6s\n" RULE,
		   "Total Active and Inactive", s.v1 + s.v2, cum);
	buf_printf(b, "\n" RULE "Tunnels Summary\n" RULE);
	buf_printf(b, "%31sActive\n%29s----------\n", "", "");
	text_tunnel_row(b, "IKEv2", s.v2);
	text_tunnel_row(b, "IKEv1", s.v1);
	text_tunnel_row(b, "IPsec", s.ipsec);
	text_tunnel_row(b, "IPsecOverNatT", s.ipsec_natt);
	text_tunnel_row(b, "AnyConnect-Parent", s.v2);
	buf_printf(b, RULE "%-29s: %6zu\n" RULE, "Totals",
		   s.v2 + s.v1 + s.ipsec + s.ipsec_natt + s.v2);
}

static void json_session_row(struct json *j, const char *key, size_t active,
			     const struct ctl_session_totals *t, uint64_t cum, uint64_t peak)
{
	json_obj_open(j, key);
	json_u64(j, "active", active);
	if (t) {
		json_u64(j, "cumulative", cum);
		json_u64(j, "peak_concur", peak);
	} else {
		json_null(j, "cumulative");
		json_null(j, "peak_concur");
	}
	json_u64(j, "inactive", 0);
	json_obj_close(j);
}

void show_session_summary_json(struct json *j, const struct ctl_sa_list *l,
			       const struct ctl_session_totals *t)
{
	struct summary s = summary_count(l);
	json_obj_open(j, NULL);
	json_obj_open(j, "sessions");
	json_session_row(j, "ikev2_ipsec", s.v2, t, t ? t->ikev2_cumulative : 0,
			 t ? t->ikev2_peak : 0);
	json_session_row(j, "ikev1_ipsec", s.v1, t, t ? t->ikev1_cumulative : 0,
			 t ? t->ikev1_peak : 0);
	json_obj_close(j);
	json_u64(j, "total_active", s.v1 + s.v2);
	if (t)
		json_u64(j, "total_cumulative", t->ikev1_cumulative + t->ikev2_cumulative);
	else
		json_null(j, "total_cumulative");
	json_obj_open(j, "tunnels");
	json_u64(j, "ikev2", s.v2);
	json_u64(j, "ikev1", s.v1);
	json_u64(j, "ipsec", s.ipsec);
	json_u64(j, "ipsec_over_natt", s.ipsec_natt);
	json_u64(j, "anyconnect_parent", s.v2);
	json_obj_close(j);
	json_u64(j, "tunnels_total", s.v2 + s.v1 + s.ipsec + s.ipsec_natt + s.v2);
	json_obj_close(j);
}
