/* clear crypto ikev2 sa [TUNNEL-ID], clear vpn-sessiondb all and
 * vpn-sessiondb logoff all|index N: the IKE layer deletes the SAs
 * (ctl_env.clear_ike_sa sends the DELETE and frees them).  Tunnel IDs are
 * collected before the first delete, since deleting changes the table. */
#include <stdlib.h>

#include "ctl/cmd.h"
#include "ike/core/sa.h"

enum pick { PICK_IKEV2, PICK_SESSION };

/* Tunnel IDs of the SAs to delete; *n set, caller frees. */
static unsigned *pick_tunnels(enum pick what, uint32_t session, size_t *n)
{
	size_t cap = 0, k = 0;
	for (const struct ike_sa *sa = ike_sa_first(); sa; sa = ike_sa_next(sa))
		cap++;
	unsigned *ids = calloc(cap ? cap : 1, sizeof(*ids));
	if (!ids)
		return NULL;
	for (const struct ike_sa *sa = ike_sa_first(); sa && k < cap; sa = ike_sa_next(sa)) {
		if (sa->state == IKE_STATE_DEAD)
			continue;
		if (what == PICK_IKEV2 && sa->version != IKE_V2)
			continue;
		if (what == PICK_SESSION && sa->session_id != session)
			continue;
		ids[k++] = sa->tunnel_id;
	}
	*n = k;
	return ids;
}

static int clear_picked(struct ctl_cmd *c, enum pick what, uint32_t session, int *deleted)
{
	size_t n = 0;
	unsigned *ids = pick_tunnels(what, session, &n);
	if (!ids)
		return ctl_fail(c, "%% Out of memory");
	*deleted = 0;
	for (size_t i = 0; i < n; i++)
		if (ids[i])
			*deleted += c->env->clear_ike_sa(c->env->arg, ids[i]);
	free(ids);
	return 0;
}

static bool can_clear(const struct ctl_cmd *c)
{
	return c->env && c->env->clear_ike_sa;
}

/* sessions < 0: not a session command (clear crypto ikev2 sa prints
 * nothing, like the ASA). */
static void report(struct ctl_cmd *c, int sessions, int deleted)
{
	if (c->json) {
		json_obj_open(&c->j, NULL);
		if (sessions >= 0)
			json_i64(&c->j, "sessions_logged_off", sessions);
		json_i64(&c->j, "ike_sas_deleted", deleted);
		json_obj_close(&c->j);
	} else if (sessions >= 0) {
		buf_printf(c->out, "INFO: Number of sessions logged off: %d\n", sessions);
	}
}

static int established_sessions(void)
{
	int n = 0;
	for (const struct ike_sa *sa = ike_sa_first(); sa; sa = ike_sa_next(sa))
		if (sa->state == IKE_STATE_ESTABLISHED)
			n++;
	return n;
}

int cmd_clear_ikev2_sa(struct ctl_cmd *c)
{
	int n = 0;
	if (!can_clear(c))
		return ctl_fail(c, "%% Not available");
	if (c->n_args) {
		n = c->env->clear_ike_sa(c->env->arg, (unsigned)c->num[0]);
		if (n <= 0)
			return ctl_fail(c, "ERROR: No IKEv2 SA with Tunnel-id %lu", c->num[0]);
	} else if (clear_picked(c, PICK_IKEV2, 0, &n) < 0) {
		return -1;
	}
	report(c, -1, n);
	return 0;
}

int cmd_clear_sessions(struct ctl_cmd *c)
{
	if (!can_clear(c))
		return ctl_fail(c, "%% Not available");
	int sessions = established_sessions();
	int n = c->env->clear_ike_sa(c->env->arg, 0);
	report(c, n > 0 ? sessions : 0, n);
	return 0;
}

int cmd_logoff(struct ctl_cmd *c)
{
	int n = 0;
	if (!can_clear(c))
		return ctl_fail(c, "%% Not available");
	if (c->tag == CTL_TAG_ALL)
		return cmd_clear_sessions(c);
	if (clear_picked(c, PICK_SESSION, (uint32_t)c->num[0], &n) < 0)
		return -1;
	if (n == 0)
		return ctl_fail(c, "ERROR: No session with index %lu", c->num[0]);
	report(c, 1, n);
	return 0;
}
