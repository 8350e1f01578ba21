/* Handlers of the show commands: collect the inputs (SA table, model,
 * pools, trustpoints) and hand them to the formatters of show.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/pool.h"
#include "auth/trustpoint.h"
#include "conf/conf.h"
#include "crypto/crypto.h"
#include "ctl/cmd.h"
#include "ctl/show.h"
#include "ctl/version.h"

#define MAX_POOLS 1024

/* All SAs of the table in creation order (the table may hold 100k), and
 * room in the output for about bytes_per_sa each: growing a buffer of
 * 100 MB by doubling costs more than formatting it. */
static int collect_sas(struct ctl_cmd *c, struct ctl_sa_list *l, const struct ike_sa ***own,
		       size_t bytes_per_sa)
{
	size_t n = 0, i = 0;
	for (const struct ike_sa *sa = ike_sa_first(); sa; sa = ike_sa_next(sa))
		n++;
	const struct ike_sa **a = calloc(n ? n : 1, sizeof(*a));
	if (!a)
		return ctl_fail(c, "%% Out of memory");
	for (const struct ike_sa *sa = ike_sa_first(); sa && i < n; sa = ike_sa_next(sa))
		a[i++] = sa;
	*own = a;
	l->sa = a;
	l->n = i;
	if (i > 64 && i <= SIZE_MAX / 4096)
		buf_reserve(c->out, i * bytes_per_sa);
	return 0;
}

static struct conf *env_conf(const struct ctl_cmd *c)
{
	return c->env && c->env->conf ? c->env->conf(c->env->arg) : NULL;
}

int cmd_show_ikev2_sa(struct ctl_cmd *c)
{
	struct ctl_sa_list l;
	const struct ike_sa **a;
	bool detail = c->tag == CTL_TAG_DETAIL;
	if (collect_sas(c, &l, &a, detail ? 1400 : 700) < 0)
		return -1;
	if (c->json)
		show_ikev2_sa_json(&c->j, &l, detail, &c->now);
	else
		show_ikev2_sa_text(c->out, &l, detail, &c->now);
	free(a);
	return 0;
}

int cmd_show_ikev1_sa(struct ctl_cmd *c)
{
	struct ctl_sa_list l;
	const struct ike_sa **a;
	bool detail = c->tag == CTL_TAG_DETAIL;
	if (collect_sas(c, &l, &a, detail ? 400 : 250) < 0)
		return -1;
	if (c->json)
		show_ikev1_sa_json(&c->j, &l, detail, &c->now);
	else
		show_ikev1_sa_text(c->out, &l, detail, &c->now);
	free(a);
	return 0;
}

/* The ASA's show crypto isakmp sa lists both versions: IKEv1, then IKEv2. */
int cmd_show_isakmp_sa(struct ctl_cmd *c)
{
	struct ctl_sa_list l;
	const struct ike_sa **a;
	bool detail = c->tag == CTL_TAG_DETAIL;
	if (collect_sas(c, &l, &a, detail ? 1400 : 700) < 0)
		return -1;
	if (c->json) {
		json_obj_open(&c->j, NULL);
		show_ikev1_sa_json_key(&c->j, "ikev1", &l, detail, &c->now);
		show_ikev2_sa_json_key(&c->j, "ikev2", &l, detail, &c->now);
		json_obj_close(&c->j);
	} else {
		show_ikev1_sa_text(c->out, &l, detail, &c->now);
		buf_put_u8(c->out, '\n');
		show_ikev2_sa_text(c->out, &l, detail, &c->now);
	}
	free(a);
	return 0;
}

int cmd_show_ipsec_sa(struct ctl_cmd *c)
{
	struct ctl_sa_list l;
	const struct ike_sa **a;
	if (collect_sas(c, &l, &a, 1700) < 0)
		return -1;
	if (c->json)
		show_ipsec_sa_json(&c->j, &l, &c->now);
	else
		show_ipsec_sa_text(c->out, &l, &c->now);
	free(a);
	return 0;
}

/* The group-policy idle timeout: the policy's own value, else
 * DfltGrpPolicy's, else the ASA default of 30 minutes. */
static unsigned gp_idle(const struct conf *conf, const char *name)
{
	const char *names[2] = { name, "DfltGrpPolicy" };
	for (size_t k = 0; conf && k < 2; k++) {
		for (size_t i = 0; names[k] && i < conf->n_group_policies; i++) {
			const struct conf_group_policy *gp = &conf->group_policies[i];
			if (strcmp(gp->name, names[k]) == 0 && gp->idle_timeout_set)
				return gp->idle_timeout_min;
		}
	}
	return 30;
}

static unsigned sa_idle_min(const struct ike_sa *sa, void *arg)
{
	const struct conf *conf = sa->conf ? sa->conf : arg;
	return gp_idle(conf, sa->group_policy);
}

int cmd_show_sessions(struct ctl_cmd *c)
{
	struct ctl_sa_list l;
	const struct ike_sa **a;
	if (collect_sas(c, &l, &a, c->tag == CTL_TAG_DETAIL ? 2000 : 900) < 0)
		return -1;
	struct ctl_session_opts o = { c->tag == CTL_TAG_DETAIL, sa_idle_min, env_conf(c) };
	if (c->json)
		show_sessions_json(&c->j, &l, &o, &c->now);
	else
		show_sessions_text(c->out, &l, &o, &c->now);
	free(a);
	return 0;
}

int cmd_show_remote(struct ctl_cmd *c)
{
	struct ctl_sa_list l;
	const struct ike_sa **a;
	if (collect_sas(c, &l, &a, c->tag == CTL_TAG_DETAIL ? 1600 : 900) < 0)
		return -1;
	struct ctl_session_opts o = { c->tag == CTL_TAG_DETAIL, sa_idle_min, env_conf(c) };
	if (c->json)
		show_remote_json(&c->j, &l, &o, &c->now);
	else
		show_remote_text(c->out, &l, &o, &c->now);
	free(a);
	return 0;
}

int cmd_show_uauth(struct ctl_cmd *c)
{
	struct ctl_sa_list l;
	const struct ike_sa **a;
	/* "Most Seen" comes from the daemon's IKEv1 counters ("-" without them). */
	struct show_uauth_opts o = { NULL, 0, false };
	struct ctl_session_totals st = { 0 };
	struct ctl_uauth_totals ut = { 0 };
	if (c->env->session_totals) {
		c->env->session_totals(c->env->arg, &st);
		ut.users_most_seen = st.uauth_users_peak;
		ut.in_progress_most_seen = st.uauth_in_progress_peak;
		if (st.have_uauth)
			o.t = &ut;
	}
	const struct conf *conf = env_conf(c);
	if (collect_sas(c, &l, &a, 150) < 0)
		return -1;
	if (conf) {
		o.timeout_sec = conf->uauth_timeout_sec;
		o.inactivity = conf->uauth_inactivity;
	}
	if (c->json)
		show_uauth_json(&c->j, &l, &o);
	else
		show_uauth_text(c->out, &l, &o);
	free(a);
	return 0;
}

int cmd_show_summary(struct ctl_cmd *c)
{
	struct ctl_sa_list l;
	const struct ike_sa **a;
	struct ctl_session_totals t, *tp = NULL;
	if (collect_sas(c, &l, &a, 0) < 0)
		return -1;
	if (c->env && c->env->session_totals) {
		memset(&t, 0, sizeof(t));
		c->env->session_totals(c->env->arg, &t);
		tp = &t;
	}
	if (c->json)
		show_session_summary_json(&c->j, &l, tp);
	else
		show_session_summary_text(c->out, &l, tp);
	free(a);
	return 0;
}

int cmd_show_running(struct ctl_cmd *c)
{
	struct conf *conf = env_conf(c);
	if (!conf)
		return ctl_fail(c, "%% No configuration loaded");
	char *text = conf_write(conf, false);
	if (!text)
		return ctl_fail(c, "%% Out of memory");
	if (c->json) {
		json_obj_open(&c->j, NULL);
		json_str(&c->j, "running_config", text);
		json_obj_close(&c->j);
	} else {
		buf_printf(c->out, "%s", text);
	}
	free(text);
	return 0;
}

int cmd_show_pool(struct ctl_cmd *c)
{
	struct pool_set *ps = c->env && c->env->pools ? c->env->pools(c->env->arg) : NULL;
	const char *name = c->n_args ? c->arg[0] : NULL;
	if (!ps)
		return ctl_fail(c, "%% No address pools");
	struct pool_stats *s = calloc(MAX_POOLS, sizeof(*s));
	if (!s)
		return ctl_fail(c, "%% Out of memory");
	size_t n = pool_set_stats(ps, s, MAX_POOLS);
	bool found = !name;
	for (size_t i = 0; i < n && !found; i++)
		found = strcmp(s[i].name, name) == 0;
	if (!found) {
		free(s);
		return ctl_fail(c, "ERROR: Pool %s not found", name);
	}
	if (c->json)
		show_pool_json(&c->j, s, n, name);
	else
		show_pool_text(c->out, s, n, name);
	free(s);
	return 0;
}

/* Our certificate of each trustpoint, then the CA it verifies peers with. */
static size_t cert_entries(const struct trustpoint_store *st, const char *name,
			   struct show_cert *out, char **owned, char (*subj)[512])
{
	size_t n = 0;
	for (size_t i = 0; i < st->n; i++) {
		const struct trustpoint *tp = &st->tp[i];
		if (name && strcmp(tp->name, name) != 0)
			continue;
		if (tp->pem)
			out[n++] = (struct show_cert){ false, tp->subject, tp->pem, tp->name };
		if (tp->ca) {
			owned[i] = crypto_cert_pem(tp->ca);
			crypto_cert_subject_str(tp->ca, subj[i], sizeof(subj[i]));
			if (owned[i])
				out[n++] = (struct show_cert){ true, subj[i], owned[i], tp->name };
		}
	}
	return n;
}

static bool tp_exists(const struct trustpoint_store *st, const char *name)
{
	for (size_t i = 0; i < st->n; i++)
		if (strcmp(st->tp[i].name, name) == 0)
			return true;
	return false;
}

int cmd_show_certs(struct ctl_cmd *c)
{
	const struct trustpoint_store *st =
		c->env && c->env->trustpoints ? c->env->trustpoints(c->env->arg) : NULL;
	const char *name = c->n_args ? c->arg[0] : NULL;
	static const struct trustpoint_store none = { NULL, 0 };
	if (!st)
		st = &none;
	if (name && !tp_exists(st, name))
		return ctl_fail(c, "ERROR: Trustpoint %s not found", name);
	struct show_cert *e = calloc(2 * st->n + 1, sizeof(*e));
	char **owned = calloc(st->n + 1, sizeof(*owned));
	char (*subj)[512] = calloc(st->n + 1, sizeof(*subj));
	int rc = 0;
	if (!e || !owned || !subj) {
		rc = ctl_fail(c, "%% Out of memory");
	} else {
		size_t n = cert_entries(st, name, e, owned, subj);
		if (c->json)
			show_certs_json(&c->j, e, n);
		else
			show_certs_text(c->out, e, n);
	}
	for (size_t i = 0; owned && i < st->n; i++)
		free(owned[i]);
	free(owned);
	free(subj);
	free(e);
	return rc;
}

static void text_uptime(struct buf *b, uint64_t s)
{
	uint64_t d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60;
	if (d)
		buf_printf(b, "%llu day%s %llu hour%s", (unsigned long long)d, d == 1 ? "" : "s",
			   (unsigned long long)h, h == 1 ? "" : "s");
	else if (h)
		buf_printf(b, "%llu hour%s %llu min%s", (unsigned long long)h, h == 1 ? "" : "s",
			   (unsigned long long)m, m == 1 ? "" : "s");
	else
		buf_printf(b, "%llu min%s %llu sec%s", (unsigned long long)m, m == 1 ? "" : "s",
			   (unsigned long long)(s % 60), s % 60 == 1 ? "" : "s");
}

int cmd_show_version(struct ctl_cmd *c)
{
	struct conf *conf = env_conf(c);
	const char *host = conf && conf->hostname ? conf->hostname : "ravpn";
	time_t started = c->env ? c->env->started : 0;
	if (c->json) {
		json_obj_open(&c->j, NULL);
		json_str(&c->j, "software", "ravpn");
		json_str(&c->j, "version", RAVPN_VERSION);
		json_str(&c->j, "hostname", host);
		if (started)
			json_u64(&c->j, "uptime", fmt_elapsed(started, c->now.wall));
		else
			json_null(&c->j, "uptime");
		json_obj_close(&c->j);
		return 0;
	}
	buf_printf(c->out, "ravpn Version %s\n", RAVPN_VERSION);
	if (started) {
		buf_printf(c->out, "\n%s up ", host);
		text_uptime(c->out, fmt_elapsed(started, c->now.wall));
		buf_put_u8(c->out, '\n');
	}
	return 0;
}
