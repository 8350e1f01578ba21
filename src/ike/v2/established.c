/* The end of IKE_AUTH: the initiator is authenticated and our AUTH is in
 * the reply.  Group-policy checks, CP (address lease), the first CHILD SA,
 * INITIAL_CONTACT and the ASA events:
 *   %ASA-6-737026 IPAA: ... Client assigned <ip> from local pool <pool>
 *   %ASA-5-751025 Local:... Remote:... Username:<u> IKEv2 Group:<gp> IPv4 Address=<ip> ...
 *   %ASA-5-750006 Local:... Remote:... Username:<u> IKEv2 SA UP. Reason: New Connection Established
 * Errors after authentication do not fail the IKE SA (RFC 7296 §1.2,
 * §3.10.1): the reply carries the notify instead of CP / SA / TS. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "base/loop.h"
#include "base/mem.h"
#include "conf/conf.h"
#include "ike/v2/v2.h"

static const char *group_policy_name(const struct ike_sa *sa, const struct conf_tunnel_group *tg)
{
	const struct conf_user *u = sa->username ? conf_user(sa->conf, sa->username) : NULL;
	if (u && u->group_policy)
		return u->group_policy;
	return tg->default_group_policy ? tg->default_group_policy : "DfltGrpPolicy";
}

/* §2.4 INITIAL_CONTACT: the peer restarted; older SAs of the same
 * authenticated identity are stale.  A group pre-shared key gives every
 * client of the group the same identity (keyid:GROUP), so there the peer's
 * address must match too, or one client would close the others. */
static bool same_peer(const struct ike_sa *a, const struct ike_sa *b)
{
	if (!a->username || !b->username || strcmp(a->username, b->username) != 0 ||
	    !a->tunnel_group || !b->tunnel_group || strcmp(a->tunnel_group, b->tunnel_group) != 0)
		return false;
	if (b->auth_verify == IKE_AUTHK_EAP || b->auth_verify == IKE_AUTHK_CERT)
		return true;
	return a->remote.sin_addr.s_addr == b->remote.sin_addr.s_addr;
}

static void initial_contact(struct ike_sa *sa)
{
	/* Only this user's sessions can match: the by-user index, not the table. */
	struct ike_sa *cand[64];
	size_t n = ike_sa_by_user(sa->username, cand, 64);
	for (size_t i = 0; i < n; i++) {
		struct ike_sa *x = cand[i];
		if (x != sa && x->version == IKE_V2 && x->state == IKE_STATE_ESTABLISHED &&
		    same_peer(x, sa)) {
			v2_log(x, 1, "INITIAL_CONTACT from the same user: removing this SA");
			v2_sa_destroy(x, "Peer Reconnected", true);
		}
	}
}

static void log_up(struct ike_sa *sa)
{
	char l[32], r[32], ip[INET_ADDRSTRLEN];
	ike_addr_str(&sa->local, l, sizeof(l));
	ike_addr_str(&sa->remote, r, sizeof(r));
	const char *user = sa->username ? sa->username : "Unknown";
	if (sa->assigned_addr)
		log_event(SEV_NOTICE, 751025, "Local:%s Remote:%s Username:%s IKEv2 Group:%s IPv4 "
			  "Address=%s IPv6 address=invalid-addr-2-0.0.0.0 assigned to session", l, r,
			  user, sa->group_policy ? sa->group_policy : "?",
			  ike_ip_str(sa->assigned_addr, ip, sizeof(ip)));
	log_event(SEV_NOTICE, 750006, "Local:%s Remote:%s Username:%s IKEv2 SA UP. Reason: New "
		  "Connection Established", l, r, user);
}

static void write_notify(struct v2_ctx *c, uint16_t type)
{
	const uint8_t *data = type == IKEV2_N_INVALID_KE_PAYLOAD ? c->notify_data : NULL;
	size_t len = type == IKEV2_N_INVALID_KE_PAYLOAD ? c->notify_len : 0;
	ikev2_w_notify(c->w, 0, NULL, 0, type, data, len);
	v2_log(c->sa, 1, "no CHILD SA: N(%s)", ikev2_notify_name(type));
}

enum v2_verdict v2_auth_complete(struct v2_ctx *c)
{
	struct ike_sa *sa = c->sa;
	struct v2_sa *v = c->v;
	struct v2_auth *a = v->auth;
	struct conf_group_policy gpbuf;
	const char *gpname = group_policy_name(sa, a->tg);
	const struct conf_group_policy *gp = conf_gp_effective(sa->conf, gpname, &gpbuf);
	if (!gp)
		gp = &gpbuf;
	if (gp->tunnel_protocols_set && !(gp->tunnel_protocols & TUNPROTO_IKEV2)) {
		v2_log(sa, 1, "group-policy %s: vpn-tunnel-protocol does not include ikev2 (line %d)",
		       gpname, gp->line_protocols);
		c->eng->st.auth_failed++;
		c->notify = IKEV2_N_AUTHENTICATION_FAILED;
		c->close_reason = "vpn-tunnel-protocol";
		return V2_NOTIFY_CLOSE;
	}
	free(sa->group_policy);
	sa->group_policy = mem_strdup(gpname);
	sa->dpd_interval = a->tg->keepalive_disabled ? 0
			   : a->tg->keepalive_threshold ? a->tg->keepalive_threshold : 10;
	sa->dpd_retry = a->tg->keepalive_retry ? a->tg->keepalive_retry : 2;
	ike_sa_index_user(sa);
	if (a->initial_contact)
		initial_contact(sa);
	uint16_t n = a->cp_request ? v2_cp_reply(c, gp) : IKEV2_N_FAILED_CP_REQUIRED;
	if (n) {
		write_notify(c, n);
	} else if (a->have_child) {
		struct child_sa *k;
		n = v2_child_create(c, &a->sai2, &a->tsi, &a->tsr, NULL, false, v->ni, v->ni_len,
				    v->nr, v->nr_len, false, &k);
		if (n)
			write_notify(c, n);
	}
	v2_sa_set_state(sa, IKE_STATE_ESTABLISHED);
	c->next = IKE_STATE_ESTABLISHED;
	sa->last_rx_ms = loop_now_ms();
	c->eng->st.sa_established++;
	v->up = true;
	if (++c->eng->st.sessions_up > c->eng->st.sessions_peak)
		c->eng->st.sessions_peak = c->eng->st.sessions_up;
	log_up(sa);
	v2_log(sa, 1, "IKE SA established (%u ms since IKE_SA_INIT)",
	       (unsigned)(loop_now_ms() - sa->created_ms));
	v2_auth_free(v->auth);
	v->auth = NULL;
	buf_free(&v->init_req);
	buf_free(&v->init_resp);
	/* idle from here on: no crypto contexts kept between messages */
	ike_sk_idle(&v->sk);
	return V2_REPLY;
}
