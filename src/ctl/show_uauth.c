/* show uauth: the users that IKEv1 XAUTH authenticated, as the ASA lists
 * them in its uauth table (an XAUTH login adds an entry there):
 *
 *                           Current    Most Seen
 *   Authenticated Users       1          1
 *   Authen In Progress        0          1
 *
 *   remote access VPN user 'alice' at 192.168.100.1, authenticated
 *      absolute   timeout: 0:05:00
 *      inactivity timeout: 0:00:00
 *
 * The user is bound to the assigned address (the address its traffic
 * comes from inside the tunnel), else the public one.  "timeout uauth"
 * sets one of the two timeouts; the other reads 0:00:00.  "Most Seen" comes
 * from the daemon when it keeps it, else it prints "-". */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>

#include "ctl/show.h"

#define XAUTH_INIT_PSK 65001   /* Oakley XAUTHInitPreShared */
#define XAUTH_INIT_RSA 65005   /* Oakley XAUTHInitRSA */
#define UAUTH_DEFAULT_SEC 300  /* ASA default: timeout uauth 0:05:00 absolute */

static bool uauth_user(const struct ike_sa *sa)
{
	return show_sa_listed(sa, IKE_V1) && sa->xauth_done && sa->state != IKE_STATE_REKEYED;
}

/* XAUTH still to be answered: an XAUTH phase 1 that has not logged in. */
static bool uauth_pending(const struct ike_sa *sa)
{
	return show_sa_listed(sa, IKE_V1) && !sa->xauth_done &&
	       (sa->v1_auth == XAUTH_INIT_PSK || sa->v1_auth == XAUTH_INIT_RSA) &&
	       sa->state != IKE_STATE_REKEYED && sa->state != IKE_STATE_DELETING;
}

struct uauth_count {
	size_t users, pending;
};

static struct uauth_count uauth_count(const struct ctl_sa_list *l)
{
	struct uauth_count n = { 0, 0 };
	for (size_t i = 0; i < l->n; i++) {
		n.users += uauth_user(l->sa[i]);
		n.pending += uauth_pending(l->sa[i]);
	}
	return n;
}

static uint32_t bound_addr(const struct ike_sa *sa)
{
	return sa->assigned_addr ? sa->assigned_addr : ntohl(sa->remote.sin_addr.s_addr);
}

static void hms(char *out, size_t len, unsigned sec)
{
	snprintf(out, len, "%u:%02u:%02u", sec / 3600, sec / 60 % 60, sec % 60);
}

static void timeouts(const struct show_uauth_opts *o, unsigned *abs, unsigned *inact)
{
	unsigned t = o->timeout_sec ? o->timeout_sec : UAUTH_DEFAULT_SEC;
	*abs = o->inactivity ? 0 : t;
	*inact = o->inactivity ? t : 0;
}

static void most_seen(char *out, size_t len, const struct ctl_uauth_totals *t, uint64_t v)
{
	if (t)
		snprintf(out, len, "%" PRIu64, v);
	else
		snprintf(out, len, "-");
}

void show_uauth_text(struct buf *b, const struct ctl_sa_list *l, const struct show_uauth_opts *o)
{
	struct uauth_count n = uauth_count(l);
	char m1[24], m2[24], a[24], z[24], ip[FMT_IP_LEN], user[128];
	unsigned abs, inact;
	most_seen(m1, sizeof(m1), o->t, o->t ? o->t->users_most_seen : 0);
	most_seen(m2, sizeof(m2), o->t, o->t ? o->t->in_progress_most_seen : 0);
	buf_printf(b, "%24sCurrent    Most Seen\n", "");
	buf_printf(b, "Authenticated Users     %3zu        %3s\n", n.users, m1);
	buf_printf(b, "Authen In Progress      %3zu        %3s\n", n.pending, m2);
	timeouts(o, &abs, &inact);
	hms(a, sizeof(a), abs);
	hms(z, sizeof(z), inact);
	for (size_t i = 0; i < l->n; i++) {
		const struct ike_sa *sa = l->sa[i];
		if (!uauth_user(sa))
			continue;
		fmt_clean(user, sizeof(user), sa->username);
		buf_printf(b, "\nremote access VPN user '%s' at %s, authenticated\n", user,
			   fmt_ip(bound_addr(sa), ip));
		buf_printf(b, "   absolute   timeout: %s\n   inactivity timeout: %s\n", a, z);
	}
}

void show_uauth_json(struct json *j, const struct ctl_sa_list *l, const struct show_uauth_opts *o)
{
	struct uauth_count n = uauth_count(l);
	char ip[FMT_IP_LEN];
	unsigned abs, inact;
	timeouts(o, &abs, &inact);
	json_obj_open(j, NULL);
	json_u64(j, "authenticated_users", n.users);
	json_u64(j, "authen_in_progress", n.pending);
	if (o->t) {
		json_u64(j, "authenticated_users_most_seen", o->t->users_most_seen);
		json_u64(j, "authen_in_progress_most_seen", o->t->in_progress_most_seen);
	} else {
		json_null(j, "authenticated_users_most_seen");
		json_null(j, "authen_in_progress_most_seen");
	}
	json_arr_open(j, "users");
	for (size_t i = 0; i < l->n; i++) {
		const struct ike_sa *sa = l->sa[i];
		if (!uauth_user(sa))
			continue;
		json_obj_open(j, NULL);
		json_str(j, "username", sa->username ? sa->username : "");
		json_str(j, "address", fmt_ip(bound_addr(sa), ip));
		json_str(j, "tunnel_group", sa->tunnel_group);
		json_i64(j, "authenticated_at", (int64_t)sa->xauth_time);
		json_u64(j, "absolute_timeout", abs);
		json_u64(j, "inactivity_timeout", inact);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}
