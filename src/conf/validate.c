/* Cross-reference checks, run once the whole file is read (objects may be
 * referenced before they are defined, as in the ASA's own show-run order).
 * Every error names the line that holds the reference. */
#include <string.h>

#include "conf/conf_int.h"

static int ln(int specific, int object)
{
	return specific ? specific : object;
}

static bool has_pool(const struct conf *c, const char *n)
{
	return conf_pool(c, n) != NULL;
}

static bool has_dynmap(const struct conf *c, const char *n)
{
	for (size_t i = 0; i < c->n_dynmaps; i++)
		if (strcmp(c->dynmaps[i].name, n) == 0)
			return true;
	return false;
}

static bool has_cmap(const struct conf *c, const char *n)
{
	for (size_t i = 0; i < c->n_cmaps; i++)
		if (strcmp(c->cmaps[i].name, n) == 0)
			return true;
	return false;
}

static bool has_transform_set(const struct conf *c, const char *n)
{
	for (size_t i = 0; i < c->n_transform_sets; i++)
		if (strcmp(c->transform_sets[i].name, n) == 0)
			return true;
	return false;
}

/* LOCAL is the built-in local user database */
static bool has_aaa(const struct conf *c, const char *n)
{
	return strcmp(n, "LOCAL") == 0 || conf_aaa_group(c, n) != NULL;
}

/* Was an access-list of this name given only in forms ravpn does not use? */
static bool acl_only_unused(const struct conf *c, const char *n)
{
	size_t nl = strlen(n);
	for (size_t i = 0; i < c->n_unused; i++) {
		const char *t = c->unused[i].text;
		if (strncmp(t, "access-list ", 12) == 0 && strncmp(t + 12, n, nl) == 0 &&
		    (t[12 + nl] == ' ' || t[12 + nl] == '\t'))
			return true;
	}
	return false;
}

static void check_pools(const struct conf *c, struct conf_diags *d, char *const *v, size_t n,
			int line)
{
	for (size_t i = 0; i < n; i++)
		if (!has_pool(c, v[i]))
			diag_add(d, DIAG_ERROR, line, "unknown address pool '%s' (no 'ip local pool "
				 "%s ...')", v[i], v[i]);
}

static void check_group_policies(const struct conf *c, struct conf_diags *d)
{
	for (size_t i = 0; i < c->n_group_policies; i++) {
		const struct conf_group_policy *g = &c->group_policies[i];
		check_pools(c, d, g->address_pools, g->n_address_pools, ln(g->line_pools, g->line));
		if (g->split_acl && conf_acl_entries(c, g->split_acl, NULL, 0) == 0) {
			if (acl_only_unused(c, g->split_acl))
				diag_add(d, DIAG_ERROR, ln(g->line_split_acl, g->line),
					 "access-list '%s' has no entry ravpn can use for split "
					 "tunnelling (standard or 'extended permit ip' with "
					 "addresses)", g->split_acl);
			else
				diag_add(d, DIAG_ERROR, ln(g->line_split_acl, g->line),
					 "unknown access-list '%s'", g->split_acl);
		}
	}
	/* split tunnelling needs a list once inheritance is applied */
	for (size_t i = 0; i < c->n_group_policies; i++) {
		struct conf_group_policy e;
		const struct conf_group_policy *g = &c->group_policies[i];
		if (!conf_gp_effective(c, g->name, &e))
			continue;
		if (e.split_policy != SPLIT_TUNNELALL && !e.split_acl)
			diag_add(d, DIAG_WARNING, ln(e.line_split, g->line),
				 "group-policy %s: split-tunnel-policy %s without a "
				 "split-tunnel-network-list: all traffic is tunnelled", g->name,
				 e.split_policy == SPLIT_TUNNELSPECIFIED ? "tunnelspecified"
									: "excludespecified");
	}
}

static void check_tunnel_groups(const struct conf *c, struct conf_diags *d)
{
	for (size_t i = 0; i < c->n_tunnel_groups; i++) {
		const struct conf_tunnel_group *t = &c->tunnel_groups[i];
		check_pools(c, d, t->address_pools, t->n_address_pools, ln(t->line_pool, t->line));
		if (t->default_group_policy && !conf_group_policy(c, t->default_group_policy))
			diag_add(d, DIAG_ERROR, ln(t->line_gp, t->line),
				 "unknown group-policy '%s'", t->default_group_policy);
		if (t->authn_server_group && !has_aaa(c, t->authn_server_group))
			diag_add(d, DIAG_ERROR, ln(t->line_authn, t->line),
				 "unknown aaa-server group '%s'", t->authn_server_group);
		if (t->authz_server_group && !has_aaa(c, t->authz_server_group))
			diag_add(d, DIAG_ERROR, ln(t->line_authz, t->line),
				 "unknown aaa-server group '%s'", t->authz_server_group);
		if (t->acct_server_group && !conf_aaa_group(c, t->acct_server_group))
			diag_add(d, DIAG_ERROR, ln(t->line_acct, t->line),
				 "unknown aaa-server group '%s'", t->acct_server_group);
		if (t->authn_server_ifname && !conf_iface_by_nameif(c, t->authn_server_ifname))
			diag_add(d, DIAG_ERROR, ln(t->line_authn, t->line),
				 "unknown interface '%s' (no interface has this nameif)",
				 t->authn_server_ifname);
		if (t->ikev2_local_auth == AUTH_CERT && t->ikev2_local_trustpoint &&
		    !conf_trustpoint(c, t->ikev2_local_trustpoint))
			diag_add(d, DIAG_ERROR, ln(t->line_local_auth, t->line),
				 "unknown trustpoint '%s'", t->ikev2_local_trustpoint);
	}
}

static void check_crypto(const struct conf *c, struct conf_diags *d)
{
	for (size_t i = 0; i < c->n_ikev2_policies; i++) {
		const struct conf_ikev2_policy *p = &c->ikev2_policies[i];
		bool aead = false, plain = false;
		for (size_t j = 0; j < p->n_encr; j++) {
			if (p->encr[j].id == 20)
				aead = true;
			else
				plain = true;
		}
		if (p->n_integ == 0 && plain)
			diag_add(d, DIAG_ERROR, ln(p->line_integ, p->line),
				 "crypto ikev2 policy %u: integrity null needs aes-gcm encryption "
				 "only", p->priority);
		if (p->n_integ > 0 && aead && !plain)
			diag_add(d, DIAG_WARNING, ln(p->line_integ, p->line),
				 "crypto ikev2 policy %u: aes-gcm carries its own integrity; the "
				 "integrity list is not used", p->priority);
	}
	for (size_t i = 0; i < c->n_proposals; i++) {
		const struct conf_ipsec_proposal *p = &c->proposals[i];
		bool plain = false, null_integ = false;
		for (size_t j = 0; j < p->n_encr; j++)
			if (p->encr[j].id != 20 && p->encr[j].id != 21)
				plain = true;
		for (size_t j = 0; j < p->n_integ; j++)
			if (p->integ[j] == 0)
				null_integ = true;
		if (p->n_encr == 0)
			diag_add(d, DIAG_ERROR, p->line,
				 "ipsec-proposal %s has no 'protocol esp encryption'", p->name);
		else if (plain && (p->n_integ == 0 || (null_integ && p->n_integ == 1)))
			diag_add(d, DIAG_ERROR, ln(p->line_integ, p->line),
				 "ipsec-proposal %s: encryption without an AEAD cipher needs "
				 "'protocol esp integrity' other than null", p->name);
	}
	for (size_t i = 0; i < c->n_dynmaps; i++) {
		const struct conf_dynmap_entry *e = &c->dynmaps[i];
		for (size_t j = 0; j < e->n_ikev2_proposals; j++)
			if (!conf_proposal(c, e->ikev2_proposals[j]))
				diag_add(d, DIAG_ERROR, ln(e->line_proposal, e->line),
					 "unknown ipsec-proposal '%s'", e->ikev2_proposals[j]);
		for (size_t j = 0; j < e->n_transform_sets; j++)
			if (!has_transform_set(c, e->transform_sets[j]))
				diag_add(d, DIAG_ERROR, e->line, "unknown transform-set '%s'",
					 e->transform_sets[j]);
	}
	for (size_t i = 0; i < c->n_cmaps; i++)
		if (c->cmaps[i].dynmap && !has_dynmap(c, c->cmaps[i].dynmap))
			diag_add(d, DIAG_ERROR, c->cmaps[i].line, "unknown dynamic-map '%s'",
				 c->cmaps[i].dynmap);
	for (size_t i = 0; i < c->n_cmap_bindings; i++) {
		const struct conf_crypto_map_binding *b = &c->cmap_bindings[i];
		if (!conf_iface_by_nameif(c, b->ifname))
			diag_add(d, DIAG_ERROR, b->line,
				 "unknown interface '%s' (no interface has this nameif)", b->ifname);
		if (!has_cmap(c, b->name))
			diag_add(d, DIAG_ERROR, b->line,
				 "crypto map %s has no 'ipsec-isakmp dynamic' entry", b->name);
	}
	for (size_t i = 0; i < c->n_cmap_clients; i++) {
		const struct conf_crypto_map_client *m = &c->cmap_clients[i];
		if (m->authn_server_group && !has_aaa(c, m->authn_server_group))
			diag_add(d, DIAG_ERROR, m->line_authn, "unknown aaa-server group '%s'",
				 m->authn_server_group);
	}
	for (size_t i = 0; i < c->n_ikev2_enabled; i++)
		if (!conf_iface_by_nameif(c, c->ikev2_enabled_ifaces[i]))
			diag_add(d, DIAG_ERROR, c->line_ikev2_enable,
				 "crypto ikev2 enable: unknown interface '%s' (no interface has "
				 "this nameif)", c->ikev2_enabled_ifaces[i]);
	for (size_t i = 0; i < c->n_ikev1_enabled; i++)
		if (!conf_iface_by_nameif(c, c->ikev1_enabled_ifaces[i]))
			diag_add(d, DIAG_ERROR, c->line_ikev1_enable,
				 "IKEv1 enable: unknown interface '%s' (no interface has this "
				 "nameif)", c->ikev1_enabled_ifaces[i]);
	if (c->n_ikev2_enabled && c->n_ikev2_policies == 0)
		diag_add(d, DIAG_WARNING, c->line_ikev2_enable,
			 "IKEv2 is enabled but there is no crypto ikev2 policy: no client can "
			 "connect with IKEv2");
	if (c->ikev2_ra_trustpoint && !conf_trustpoint(c, c->ikev2_ra_trustpoint))
		diag_add(d, DIAG_ERROR, c->line_ikev2_ra_trustpoint, "unknown trustpoint '%s'",
			 c->ikev2_ra_trustpoint);
	if (c->isakmp_client_pool && !has_pool(c, c->isakmp_client_pool))
		diag_add(d, DIAG_ERROR, c->line_isakmp_client_pool, "unknown address pool '%s'",
			 c->isakmp_client_pool);
}

void conf_validate(struct conf *c, struct conf_diags *d)
{
	check_group_policies(c, d);
	check_tunnel_groups(c, d);
	for (size_t i = 0; i < c->n_users; i++)
		if (c->users[i].group_policy && !conf_group_policy(c, c->users[i].group_policy))
			diag_add(d, DIAG_ERROR, ln(c->users[i].line_group_policy, c->users[i].line),
				 "unknown group-policy '%s'",
				 c->users[i].group_policy);
	check_crypto(c, d);
}
