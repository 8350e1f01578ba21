/* Remote-access commands: address pools, split-tunnel ACLs, group-policies,
 * tunnel-groups, local users, AAA servers, the webvpn blocks (kept as "not
 * used"), and the PIX 6 vpngroup, which ravpn maps onto a tunnel-group plus
 * a group-policy of the same name (protocol.md 4.3). */
#include <stdlib.h>
#include <string.h>

#include "conf/conf_int.h"

/* ---- ip local pool NAME FIRST[-LAST] [mask M] --------------------------------- */

static int h_pool(struct pctx *p)
{
	struct conf *c = p->c;
	uint32_t first, last, mask = 0;
	if (p_need(p, 3, "pool name") || p_need(p, 4, "address range"))
		return -1;
	if (p_w(p, 3)[0] == '(')   /* "(if)" marks an interface where pools are named */
		return p_err(p, "pool name '%s' cannot start with '('", p_w(p, 3));
	const char *r = p_w(p, 4);
	const char *dash = strchr(r, '-');
	char a[32];
	size_t al = dash ? (size_t)(dash - r) : strlen(r);
	if (al >= sizeof(a))
		return p_err(p, "bad address range '%s'", r);
	memcpy(a, r, al);
	a[al] = '\0';
	if (!parse_ip(a, &first) || (dash && !parse_ip(dash + 1, &last)))
		return p_err(p, "bad address range '%s' (expected A.B.C.D-E.F.G.H)", r);
	if (!dash)
		last = first;
	if (p_is(p, 5, "mask")) {
		if (p_mask(p, 6, &mask) || p_end(p, 7))
			return -1;
	} else if (p_end(p, 5)) {
		return -1;
	}
	if (first > last)
		return p_err(p, "pool %s: range reversed (first address above the last)", p_w(p, 3));
	if (first == 0 || last == 0xffffffff)
		return p_err(p, "pool %s: range includes 0.0.0.0 or 255.255.255.255", p_w(p, 3));
	for (size_t i = 0; i < c->n_pools; i++) {
		const struct conf_pool *o = &c->pools[i];
		if (strcmp(o->name, p_w(p, 3)) == 0)
			return p_err(p, "pool %s already defined at line %d", o->name, o->line);
		if (first <= o->last && o->first <= last)
			return p_err(p, "pool %s overlaps pool %s (line %d)", p_w(p, 3), o->name,
				     o->line);
	}
	struct conf_pool *pl = model_grow(&c->pools, &c->n_pools, sizeof(*pl));
	if (!pl)
		return p_oom(p);
	pl->first = first;
	pl->last = last;
	pl->mask = mask;
	pl->line = p->line;
	if (p_str(p, 3, &pl->name)) {
		c->n_pools--;
		return -1;
	}
	return 0;
}

/* ---- access-list NAME standard|extended ... ----------------------------------- */

enum { ADDR_OK, ADDR_UNSUPPORTED, ADDR_BAD };

/* any | any4 | host A | A M; advances *i.  Objects and IPv6 are not used. */
static int acl_addr(struct pctx *p, size_t *i, uint32_t *a, uint32_t *m)
{
	if (p_is(p, *i, "any") || p_is(p, *i, "any4")) {
		*a = *m = 0;
		(*i)++;
		return ADDR_OK;
	}
	if (p_is(p, *i, "host")) {
		if (p_ip(p, *i + 1, a))
			return ADDR_BAD;
		*m = 0xffffffff;
		*i += 2;
		return ADDR_OK;
	}
	if (!p_w(p, *i)) {
		p_need(p, *i, "address");
		return ADDR_BAD;
	}
	if (!parse_ip(p_w(p, *i), a))
		return ADDR_UNSUPPORTED;   /* object, object-group, interface, any6, IPv6 */
	if (p_mask(p, *i + 1, m))
		return ADDR_BAD;
	if (*a & ~*m) {
		p_err(p, "address %s does not match netmask %s", p_w(p, *i), p_w(p, *i + 1));
		return ADDR_BAD;
	}
	*i += 2;
	return ADDR_OK;
}

static int acl_add(struct pctx *p, bool permit, uint32_t a, uint32_t m)
{
	struct conf_acl_entry *e = model_grow(&p->c->acl, &p->c->n_acl, sizeof(*e));
	if (!e)
		return p_oom(p);
	e->permit = permit;
	e->addr = a;
	e->mask = m;
	e->line = p->line;
	if (p_str(p, 1, &e->name)) {
		p->c->n_acl--;
		return -1;
	}
	return 0;
}

static int acl_action(struct pctx *p, size_t i, bool *permit)
{
	if (p_need(p, i, "'permit' or 'deny'"))
		return -1;
	if (p_is(p, i, "permit"))
		*permit = true;
	else if (p_is(p, i, "deny"))
		*permit = false;
	else
		return p_err(p, "expected 'permit' or 'deny', not '%s'", p_w(p, i));
	return 0;
}

/* access-list NAME standard permit|deny ADDR */
static int h_acl_standard(struct pctx *p)
{
	bool permit = false;
	uint32_t a, m;
	size_t i = 4;
	if (acl_action(p, 3, &permit))
		return -1;
	switch (acl_addr(p, &i, &a, &m)) {
	case ADDR_BAD:
		return -1;
	case ADDR_UNSUPPORTED:
		p_unused(p);
		return 0;
	}
	if (p_end(p, i))
		return -1;
	return acl_add(p, permit, a, m);
}

/* access-list NAME extended permit|deny ip SRC DST (and PIX: without
 * "extended").  Split tunnelling uses the source network of each entry, as
 * the ASA does; entries for other protocols, with objects, or with options
 * (log, inactive, time-range) are kept as "not used". */
static int h_acl_extended(struct pctx *p)
{
	bool permit = false;
	uint32_t a, m, da, dm;
	size_t i = p->k;   /* "access-list * extended" = 3; PIX "access-list * permit" = 3 too */
	if (p_is(p, 2, "permit") || p_is(p, 2, "deny"))
		i = 2;
	if (acl_action(p, i, &permit))
		return -1;
	if (!p_is(p, i + 1, "ip")) {
		if (p_need(p, i + 1, "protocol"))
			return -1;
		p_unused(p);
		return 0;
	}
	i += 2;
	int r1 = acl_addr(p, &i, &a, &m);
	if (r1 == ADDR_BAD)
		return -1;
	int r2 = r1 == ADDR_OK ? acl_addr(p, &i, &da, &dm) : ADDR_UNSUPPORTED;
	if (r2 == ADDR_BAD)
		return -1;
	if (r1 != ADDR_OK || r2 != ADDR_OK || i < p_n(p)) {
		p_unused(p);
		return 0;
	}
	return acl_add(p, permit, a, m);
}

/* ---- group-policy ---------------------------------------------------------- */

static struct conf_group_policy *cur_gp(struct pctx *p)
{
	return &p->c->group_policies[p_obj(p)];
}

static int h_gp_internal(struct pctx *p)
{
	struct conf *c = p->c;
	if (p_end(p, 3))
		return -1;
	if (model_find_gp(c, p_w(p, 1)) != SIZE_MAX)
		return 0;
	struct conf_group_policy *gp =
		model_grow(&c->group_policies, &c->n_group_policies, sizeof(*gp));
	if (!gp)
		return p_oom(p);
	gp->internal = true;
	gp->line = p->line;
	if (p_str(p, 1, &gp->name)) {
		c->n_group_policies--;
		return -1;
	}
	return 0;
}

static int h_gp_attributes(struct pctx *p)
{
	if (p_end(p, 3))
		return -1;
	size_t i = model_find_gp(p->c, p_w(p, 1));
	if (i == SIZE_MAX)
		return p_err(p, "group-policy %s does not exist (it needs 'group-policy %s internal' "
			     "first)", p_w(p, 1), p_w(p, 1));
	p_enter(p, &mode_gp_attr, i);
	return 0;
}

static int h_gp_other(struct pctx *p)
{
	if (p_is(p, 2, "external")) {
		p_unused(p);
		return 0;
	}
	if (p_need(p, 2, "'internal' or 'attributes'"))
		return -1;
	return p_err(p, "group-policy: expected 'internal' or 'attributes', not '%s'", p_w(p, 2));
}

static int ip_list(struct pctx *p, size_t from, uint32_t *out, size_t *n, size_t max)
{
	uint32_t v[4];
	size_t k = 0;
	if (p_need(p, from, "IP address"))
		return -1;
	for (size_t i = from; i < p_n(p); i++) {
		if (k == max || k == 4)
			return p_err(p, "too many addresses (at most %zu)", max);
		if (p_ip(p, i, &v[k++]))
			return -1;
	}
	memcpy(out, v, k * sizeof(v[0]));
	*n = k;
	return 0;
}

static int h_gp_dns(struct pctx *p)
{
	struct conf_group_policy *gp = cur_gp(p);
	if (p_is(p, 1, "none")) {
		if (p_end(p, 2))
			return -1;
		gp->n_dns = 0;
	} else if (ip_list(p, 2, gp->dns, &gp->n_dns, 4)) {
		return -1;
	}
	gp->dns_set = true;
	gp->line_dns = p->line;
	return 0;
}

static int h_gp_wins(struct pctx *p)
{
	struct conf_group_policy *gp = cur_gp(p);
	if (p_is(p, 1, "none")) {
		if (p_end(p, 2))
			return -1;
		gp->n_wins = 0;
	} else if (ip_list(p, 2, gp->wins, &gp->n_wins, 4)) {
		return -1;
	}
	gp->wins_set = true;
	gp->line_wins = p->line;
	return 0;
}

static int h_gp_domain(struct pctx *p)
{
	struct conf_group_policy *gp = cur_gp(p);
	if (p_is(p, 1, "none")) {
		if (p_end(p, 2))
			return -1;
		model_free_str(&gp->default_domain);
	} else if (p_need(p, 2, "domain name") || p_end(p, 3) || p_str(p, 2, &gp->default_domain)) {
		return -1;
	}
	gp->default_domain_set = true;
	gp->line_domain = p->line;
	return 0;
}

static int h_gp_protocols(struct pctx *p)
{
	struct conf_group_policy *gp = cur_gp(p);
	uint32_t bits = 0;
	if (p_is(p, 1, "none")) {
		if (p_end(p, 2))
			return -1;
	} else {
		if (p_need(p, 1, "tunnel protocol"))
			return -1;
		for (size_t i = 1; i < p_n(p); i++) {
			const struct kw_alg *a = kw_find(&kw_tunnel_proto, p_w(p, i));
			if (!a)
				return p_err(p, "unknown tunnel protocol '%s'", p_w(p, i));
			bits |= a->id;
		}
	}
	gp->tunnel_protocols = bits;
	gp->tunnel_protocols_set = true;
	gp->line_protocols = p->line;
	return 0;
}

static int h_gp_split_policy(struct pctx *p)
{
	static const char *const kw[] = { "tunnelall", "tunnelspecified", "excludespecified" };
	struct conf_group_policy *gp = cur_gp(p);
	if (p_need(p, 1, "split-tunnel policy") || p_end(p, 2))
		return -1;
	for (int i = 0; i < 3; i++)
		if (p_is(p, 1, kw[i])) {
			gp->split_policy = (enum conf_split_policy)i;
			gp->split_policy_set = true;
			gp->line_split = p->line;
			return 0;
		}
	return p_err(p, "unknown split-tunnel policy '%s'", p_w(p, 1));
}

static int h_gp_split_acl(struct pctx *p)
{
	struct conf_group_policy *gp = cur_gp(p);
	if (p_is(p, 1, "none")) {
		if (p_end(p, 2))
			return -1;
		model_free_str(&gp->split_acl);
	} else if (p_need(p, 2, "access-list name") || p_end(p, 3) || p_str(p, 2, &gp->split_acl)) {
		return -1;
	}
	gp->split_acl_set = true;
	gp->line_split_acl = p->line;
	return 0;
}

/* The ASA takes at most six pools per group-policy or tunnel-group. */
static int pool_names(struct pctx *p, size_t from, char **list, size_t *n)
{
	return p_name_list(p, from, "pool", 6, list, n);
}

static int h_gp_pools(struct pctx *p)
{
	struct conf_group_policy *gp = cur_gp(p);
	if (p_is(p, 1, "none")) {
		if (p_end(p, 2))
			return -1;
		for (size_t i = 0; i < gp->n_address_pools; i++)
			model_free_str(&gp->address_pools[i]);
		gp->n_address_pools = 0;
	} else if (pool_names(p, 2, gp->address_pools, &gp->n_address_pools)) {
		return -1;
	}
	gp->address_pools_set = true;
	gp->line_pools = p->line;
	return 0;
}

static int h_gp_idle(struct pctx *p)
{
	struct conf_group_policy *gp = cur_gp(p);
	unsigned long v = 0;
	if (p_is(p, 1, "none")) {
		if (p_end(p, 2))
			return -1;
	} else if (p_uint(p, 1, 1, 35791394, "idle timeout (minutes)", &v) || p_end(p, 2)) {
		return -1;
	}
	gp->idle_timeout_min = (unsigned)v;
	gp->idle_timeout_set = true;
	gp->line_idle = p->line;
	return 0;
}

/* enable|disable at word 1 into *v */
static int enable_disable(struct pctx *p, bool *v)
{
	if (p_need(p, 1, "'enable' or 'disable'") || p_end(p, 2))
		return -1;
	if (p_is(p, 1, "enable"))
		*v = true;
	else if (p_is(p, 1, "disable"))
		*v = false;
	else
		return p_err(p, "expected 'enable' or 'disable', not '%s'", p_w(p, 1));
	return 0;
}

/* pfs enable|disable: tells a Cisco VPN Client (Unity PFS) to use PFS */
static int h_gp_pfs(struct pctx *p)
{
	struct conf_group_policy *gp = cur_gp(p);
	if (enable_disable(p, &gp->pfs))
		return -1;
	gp->pfs_set = true;
	gp->line_pfs = p->line;
	return 0;
}

/* password-storage enable|disable (Unity SAVE_PASSWD) */
static int h_gp_password_storage(struct pctx *p)
{
	struct conf_group_policy *gp = cur_gp(p);
	if (enable_disable(p, &gp->password_storage))
		return -1;
	gp->password_storage_set = true;
	gp->line_password_storage = p->line;
	return 0;
}

/* vpn-session-timeout MINUTES | none */
static int h_gp_session_timeout(struct pctx *p)
{
	struct conf_group_policy *gp = cur_gp(p);
	unsigned long v = 0;
	if (p_is(p, 1, "none")) {
		if (p_end(p, 2))
			return -1;
	} else if (p_uint(p, 1, 1, 35791394, "session timeout (minutes)", &v) || p_end(p, 2)) {
		return -1;
	}
	gp->session_timeout_min = (unsigned)v;
	gp->session_timeout_set = true;
	gp->line_session_timeout = p->line;
	return 0;
}

/* split-dns value D1 [D2 ...] | none */
static int h_gp_split_dns(struct pctx *p)
{
	struct conf_group_policy *gp = cur_gp(p);
	if (p_is(p, 1, "none")) {
		if (p_end(p, 2))
			return -1;
		for (size_t i = 0; i < gp->n_split_dns; i++)
			model_free_str(&gp->split_dns[i]);
		gp->n_split_dns = 0;
	} else if (p_name_list(p, 2, "split-dns domain", CONF_MAX_LIST, gp->split_dns,
			       &gp->n_split_dns)) {
		return -1;
	}
	gp->split_dns_set = true;
	gp->line_split_dns = p->line;
	return 0;
}

/* banner value TEXT (each line one banner line) | banner none */
static int h_gp_banner(struct pctx *p)
{
	struct conf_group_policy *gp = cur_gp(p);
	/* the line that starts the current banner text */
	bool starts = !gp->banner_set || !gp->banner || p_is(p, 1, "none");
	if (p_is(p, 1, "none")) {
		if (p_end(p, 2))
			return -1;
		model_free_str(&gp->banner);
	} else {
		char *t = NULL;
		if (p_rest(p, 2, &t))
			return -1;
		if (gp->banner && gp->banner_set) {
			char *j = NULL;
			if (asprintf(&j, "%s\n%s", gp->banner, t) < 0) {
				free(t);
				return p_oom(p);
			}
			free(t);
			t = j;
		}
		free(gp->banner);
		gp->banner = t;
	}
	gp->banner_set = true;
	if (starts)
		gp->line_banner = p->line;
	return 0;
}

static const struct conf_cmd gp_attr_cmds[] = {
	{ "dns-server value", h_gp_dns, NULL },
	{ "dns-server none", h_gp_dns, NULL },
	{ "wins-server value", h_gp_wins, NULL },
	{ "wins-server none", h_gp_wins, NULL },
	{ "default-domain value", h_gp_domain, NULL },
	{ "default-domain none", h_gp_domain, NULL },
	{ "vpn-tunnel-protocol", h_gp_protocols, NULL },
	{ "split-tunnel-policy", h_gp_split_policy, NULL },
	{ "split-tunnel-network-list value", h_gp_split_acl, NULL },
	{ "split-tunnel-network-list none", h_gp_split_acl, NULL },
	{ "address-pools value", h_gp_pools, NULL },
	{ "address-pools none", h_gp_pools, NULL },
	{ "vpn-idle-timeout", h_gp_idle, NULL },
	{ "vpn-idle-timeout alert-interval", NULL, NULL },
	{ "banner value", h_gp_banner, NULL },
	{ "banner none", h_gp_banner, NULL },
	{ "pfs", h_gp_pfs, NULL },
	{ "password-storage", h_gp_password_storage, NULL },
	{ "vpn-session-timeout alert-interval", NULL, NULL },
	{ "vpn-session-timeout", h_gp_session_timeout, NULL },
	{ "split-dns value", h_gp_split_dns, NULL },
	{ "split-dns none", h_gp_split_dns, NULL },
	{ "webvpn", NULL, &mode_gp_webvpn },
	/* ASA group-policy attributes ravpn keeps but does not act on */
	{ "vpn-simultaneous-logins", NULL, NULL },
	{ "vpn-access-hours", NULL, NULL },
	{ "vpn-filter", NULL, NULL },
	{ "ipv6-vpn-filter", NULL, NULL },
	{ "ip-comp", NULL, NULL },
	{ "re-xauth", NULL, NULL },
	{ "group-lock", NULL, NULL },
	{ "ipsec-udp", NULL, NULL },
	{ "ipsec-udp-port", NULL, NULL },
	{ "split-tunnel-all-dns", NULL, NULL },
	{ "ipv6-split-tunnel-policy", NULL, NULL },
	{ "intercept-dhcp", NULL, NULL },
	{ "secure-unit-authentication", NULL, NULL },
	{ "user-authentication", NULL, NULL },
	{ "user-authentication-idle-timeout", NULL, NULL },
	{ "ip-phone-bypass", NULL, NULL },
	{ "leap-bypass", NULL, NULL },
	{ "nem", NULL, NULL },
	{ "backup-servers", NULL, NULL },
	{ "msie-proxy", NULL, NULL },
	{ "vlan", NULL, NULL },
	{ "nac-settings", NULL, NULL },
	{ "ipv6-address-pools", NULL, NULL },
	{ "client-access-rule", NULL, NULL },
	{ "client-firewall", NULL, NULL },
	{ "client-bypass-protocol", NULL, NULL },
	{ "gateway-fqdn", NULL, NULL },
	{ "description", NULL, NULL },
	{ "dhcp-network-scope", NULL, NULL },
	{ "smartcard-removal-disconnect", NULL, NULL },
	{ "security-group-tag", NULL, NULL },
	{ "scep-forwarding-url", NULL, NULL },
	{ NULL, NULL, NULL },
};
const struct conf_mode mode_gp_attr = { "group-policy attributes", { gp_attr_cmds }, false };

/* group-policy NAME attributes / webvpn: AnyConnect SSL and clientless
 * settings, none of which ravpn uses. */
static const struct conf_cmd gp_webvpn_cmds[] = {
	{ "anyconnect", NULL, NULL },
	{ "svc", NULL, NULL },
	{ "url-list", NULL, NULL },
	{ "homepage", NULL, NULL },
	{ "filter", NULL, NULL },
	{ "file-browsing", NULL, NULL },
	{ "file-entry", NULL, NULL },
	{ "file-server-entry", NULL, NULL },
	{ "http-proxy", NULL, NULL },
	{ "port-forward", NULL, NULL },
	{ "smart-tunnel", NULL, NULL },
	{ "html-content-filter", NULL, NULL },
	{ "customization", NULL, NULL },
	{ "keep-alive-ignore", NULL, NULL },
	{ "hidden-shares", NULL, NULL },
	{ "always-on-vpn", NULL, NULL },
	{ "deny-message", NULL, NULL },
	{ "activex-relay", NULL, NULL },
	{ "auto-signon", NULL, NULL },
	{ "sso-server", NULL, NULL },
	{ "storage-objects", NULL, NULL },
	{ "unix-auth-uid", NULL, NULL },
	{ "unix-auth-gid", NULL, NULL },
	{ NULL, NULL, NULL },
};
const struct conf_mode mode_gp_webvpn = { "group-policy webvpn", { gp_webvpn_cmds }, true };

/* global webvpn */
static const struct conf_cmd webvpn_cmds[] = {
	{ "enable", NULL, NULL },
	{ "anyconnect", NULL, NULL },
	{ "anyconnect-essentials", NULL, NULL },
	{ "tunnel-group-list", NULL, NULL },
	{ "tunnel-group-preference", NULL, NULL },
	{ "csd", NULL, NULL },
	{ "cache", NULL, &mode_opaque },
	{ "port", NULL, NULL },
	{ "dtls", NULL, NULL },
	{ "error-recovery", NULL, NULL },
	{ "keepalive", NULL, NULL },
	{ "svc", NULL, NULL },
	{ "http-headers", NULL, &mode_opaque },
	{ "character-encoding", NULL, NULL },
	{ "portal-access-rule", NULL, NULL },
	{ "auto-signon", NULL, NULL },
	{ "onscreen-keyboard", NULL, NULL },
	{ "certificate-group-map", NULL, NULL },
	{ "apcf", NULL, NULL },
	{ "file-encoding", NULL, NULL },
	{ "default-idle-timeout", NULL, NULL },
	{ "login-message", NULL, NULL },
	{ "logout-message", NULL, NULL },
	{ "rewrite", NULL, NULL },
	{ "kcd-server", NULL, NULL },
	{ "hostscan", NULL, NULL },
	{ "cors", NULL, NULL },
	{ "saml", NULL, NULL },
	{ NULL, NULL, NULL },
};
const struct conf_mode mode_webvpn = { "webvpn", { webvpn_cmds }, true };

/* ---- tunnel-group --------------------------------------------------------- */

static struct conf_tunnel_group *tg_new(struct pctx *p, const char *name)
{
	struct conf *c = p->c;
	struct conf_tunnel_group *tg =
		model_grow(&c->tunnel_groups, &c->n_tunnel_groups, sizeof(*tg));
	if (!tg || !(tg->name = strdup(name))) {
		if (tg)
			c->n_tunnel_groups--;
		p_oom(p);
		return NULL;
	}
	tg->keepalive_threshold = 10;
	tg->keepalive_retry = 2;
	tg->line = p->line;
	return tg;
}

static int h_tg_type(struct pctx *p)
{
	static const struct { const char *kw; bool ra; } types[] = {
		{ "remote-access", true }, { "ipsec-ra", true },
		{ "ipsec-l2l", false }, { "webvpn", false },
	};
	if (p_need(p, 3, "tunnel-group type") || p_end(p, 4))
		return -1;
	int t = -1;
	for (int i = 0; i < 4; i++)
		if (p_is(p, 3, types[i].kw))
			t = i;
	if (t < 0)
		return p_err(p, "unknown tunnel-group type '%s'", p_w(p, 3));
	bool ra;
	if (model_builtin_tunnel_group(p_w(p, 1), &ra)) {
		if (ra != types[t].ra)
			return p_err(p, "the type of built-in tunnel-group %s cannot be changed",
				     p_w(p, 1));
		if (model_find_tg(p->c, p_w(p, 1)) == SIZE_MAX && !tg_new(p, p_w(p, 1)))
			return -1;
		p->c->tunnel_groups[model_find_tg(p->c, p_w(p, 1))].remote_access = ra;
		return 0;
	}
	size_t i = model_find_tg(p->c, p_w(p, 1));
	struct conf_tunnel_group *tg = i == SIZE_MAX ? tg_new(p, p_w(p, 1))
						     : &p->c->tunnel_groups[i];
	if (!tg)
		return -1;
	tg->remote_access = types[t].ra;
	/* ipsec-ra is the pre-7.2 spelling of remote-access */
	char *n = strdup(t == 1 ? "remote-access" : types[t].kw);
	if (!n)
		return p_oom(p);
	free(tg->type_name);
	tg->type_name = n;
	return 0;
}

/* tunnel-group NAME general-|ipsec-|webvpn-attributes: the group exists
 * once it has a type; the built-in groups exist once configured. */
static int tg_attr_mode(struct pctx *p, const struct conf_mode *m)
{
	if (p_end(p, 3))
		return -1;
	size_t i = model_find_tg(p->c, p_w(p, 1));
	bool ra;
	if (i == SIZE_MAX && model_builtin_tunnel_group(p_w(p, 1), &ra)) {
		struct conf_tunnel_group *tg = tg_new(p, p_w(p, 1));
		if (!tg)
			return -1;
		tg->remote_access = ra;
		i = p->c->n_tunnel_groups - 1;
	}
	if (i == SIZE_MAX)
		return p_err(p, "tunnel-group %s does not exist (it needs 'tunnel-group %s type "
			     "remote-access' first)", p_w(p, 1), p_w(p, 1));
	p_enter(p, m, i);
	return 0;
}

static int h_tg_general(struct pctx *p)
{
	return tg_attr_mode(p, &mode_tg_general);
}

static int h_tg_ipsec(struct pctx *p)
{
	return tg_attr_mode(p, &mode_tg_ipsec);
}

static int h_tg_webvpn(struct pctx *p)
{
	return tg_attr_mode(p, &mode_tg_webvpn);
}

static int h_tg_ppp(struct pctx *p)
{
	if (tg_attr_mode(p, &mode_opaque))
		return -1;
	p_unused(p);
	return 0;
}

static int h_tg_other(struct pctx *p)
{
	if (p_need(p, 2, "'type' or an attributes keyword"))
		return -1;
	return p_err(p, "tunnel-group: unknown keyword '%s'", p_w(p, 2));
}

static struct conf_tunnel_group *cur_tg(struct pctx *p)
{
	return &p->c->tunnel_groups[p_obj(p)];
}

/* address-pool [(IF)] POOL... */
static int h_tg_pool(struct pctx *p)
{
	struct conf_tunnel_group *tg = cur_tg(p);
	char *ifn = NULL;
	int r = p_ifparen(p, 1, &ifn);
	free(ifn);   /* per-interface pools are not modelled: the pools apply everywhere */
	if (r < 0 || pool_names(p, r ? 2 : 1, tg->address_pools, &tg->n_address_pools))
		return -1;
	tg->line_pool = p->line;
	return 0;
}

static int h_tg_gp(struct pctx *p)
{
	struct conf_tunnel_group *tg = cur_tg(p);
	if (p_need(p, 1, "group-policy name") || p_end(p, 2) ||
	    p_str(p, 1, &tg->default_group_policy))
		return -1;
	tg->line_gp = p->line;
	return 0;
}

/* authentication-server-group [(IF)] TAG [LOCAL] | none */
static int h_tg_authn(struct pctx *p)
{
	struct conf_tunnel_group *tg = cur_tg(p);
	char *ifn = NULL;
	int r = p_ifparen(p, 1, &ifn);
	if (r < 0)
		return -1;
	size_t i = r ? 2 : 1;
	bool fallback = false;
	if (p_need(p, i, "aaa-server group")) {
		free(ifn);
		return -1;
	}
	if (p_is(p, i + 1, "LOCAL")) {
		fallback = true;
		if (p_end(p, i + 2)) {
			free(ifn);
			return -1;
		}
	} else if (p_end(p, i + 1)) {
		free(ifn);
		return -1;
	}
	if (p_is(p, i, "none")) {
		model_free_str(&tg->authn_server_group);
	} else if (p_str(p, i, &tg->authn_server_group)) {
		free(ifn);
		return -1;
	}
	free(tg->authn_server_ifname);
	tg->authn_server_ifname = ifn;
	tg->authn_fallback_local = fallback;
	tg->line_authn = p->line;
	return 0;
}

static int h_tg_authz(struct pctx *p)
{
	struct conf_tunnel_group *tg = cur_tg(p);
	if (p_need(p, 1, "aaa-server group") || p_end(p, 2))
		return -1;
	if (p_is(p, 1, "none"))
		model_free_str(&tg->authz_server_group);
	else if (p_str(p, 1, &tg->authz_server_group))
		return -1;
	tg->line_authz = p->line;
	return 0;
}

static int h_tg_acct(struct pctx *p)
{
	struct conf_tunnel_group *tg = cur_tg(p);
	char *ifn = NULL;
	int r = p_ifparen(p, 1, &ifn);
	free(ifn);
	if (r < 0)
		return -1;
	size_t i = r ? 2 : 1;
	if (p_need(p, i, "aaa-server group") || p_end(p, i + 1))
		return -1;
	if (p_is(p, i, "none"))
		model_free_str(&tg->acct_server_group);
	else if (p_str(p, i, &tg->acct_server_group))
		return -1;
	tg->line_acct = p->line;
	return 0;
}

static const struct conf_cmd tg_general_cmds[] = {
	{ "address-pool", h_tg_pool, NULL },
	{ "default-group-policy", h_tg_gp, NULL },
	{ "authentication-server-group", h_tg_authn, NULL },
	{ "authorization-server-group", h_tg_authz, NULL },
	{ "accounting-server-group", h_tg_acct, NULL },
	{ "password-management", NULL, NULL },
	{ "strip-realm", NULL, NULL },
	{ "strip-group", NULL, NULL },
	{ "override-account-disable", NULL, NULL },
	{ "secondary-authentication-server-group", NULL, NULL },
	{ "authorization-required", NULL, NULL },
	{ "authorization-dn-attributes", NULL, NULL },
	{ "username-from-certificate", NULL, NULL },
	{ "secondary-username-from-certificate", NULL, NULL },
	{ "authenticated-session-username", NULL, NULL },
	{ "dhcp-server", NULL, NULL },
	{ "ipv6-address-pool", NULL, NULL },
	{ "scep-enrollment", NULL, NULL },
	{ "nat-assigned-to-public-ip", NULL, NULL },
	{ "annotation", NULL, NULL },
	{ NULL, NULL, NULL },
};
const struct conf_mode mode_tg_general = { "tunnel-group general-attributes",
					   { tg_general_cmds }, false };

/* A pre-shared key at word i, or "0 KEY" (type 0 = clear text). */
static int psk_arg(struct pctx *p, size_t i, char **dst)
{
	if (p_is(p, i, "0") && p_w(p, i + 1))
		i++;
	else if (p_is(p, i, "8") && p_w(p, i + 1))
		return p_err(p, "keys encrypted with the master passphrase (type 8) cannot be "
			     "read; give the key in clear text");
	return p_secret(p, i, "pre-shared key", dst);
}

static int h_tg_remote_eap(struct pctx *p)
{
	struct conf_tunnel_group *tg = cur_tg(p);
	bool qi = false;
	if (p_is(p, 3, "query-identity")) {
		qi = true;
		if (p_end(p, 4))
			return -1;
	} else if (p_end(p, 3)) {
		return -1;
	}
	tg->ikev2_remote_auth = AUTH_EAP;
	tg->eap_query_identity = qi;
	model_free_secret(&tg->ikev2_remote_psk);
	tg->line_remote_auth = p->line;
	return 0;
}

static int h_tg_remote_psk(struct pctx *p)
{
	struct conf_tunnel_group *tg = cur_tg(p);
	if (psk_arg(p, 3, &tg->ikev2_remote_psk))
		return -1;
	tg->ikev2_remote_auth = AUTH_PSK;
	tg->eap_query_identity = false;
	tg->line_remote_auth = p->line;
	return 0;
}

static int h_tg_remote_cert(struct pctx *p)
{
	struct conf_tunnel_group *tg = cur_tg(p);
	if (p_end(p, 3))
		return -1;
	tg->ikev2_remote_auth = AUTH_CERT;
	tg->eap_query_identity = false;
	model_free_secret(&tg->ikev2_remote_psk);
	tg->line_remote_auth = p->line;
	return 0;
}

static int h_tg_local_cert(struct pctx *p)
{
	struct conf_tunnel_group *tg = cur_tg(p);
	if (p_need(p, 3, "trustpoint name") || p_end(p, 4) ||
	    p_str(p, 3, &tg->ikev2_local_trustpoint))
		return -1;
	tg->ikev2_local_auth = AUTH_CERT;
	model_free_secret(&tg->ikev2_local_psk);
	tg->line_local_auth = p->line;
	return 0;
}

static int h_tg_local_psk(struct pctx *p)
{
	struct conf_tunnel_group *tg = cur_tg(p);
	if (psk_arg(p, 3, &tg->ikev2_local_psk))
		return -1;
	tg->ikev2_local_auth = AUTH_PSK;
	model_free_str(&tg->ikev2_local_trustpoint);
	tg->line_local_auth = p->line;
	return 0;
}

/* ikev1 pre-shared-key K (8.4+), pre-shared-key K (7.x-8.3) */
static int h_tg_ikev1_psk(struct pctx *p)
{
	struct conf_tunnel_group *tg = cur_tg(p);
	if (psk_arg(p, p->k, &tg->ikev1_psk))
		return -1;
	tg->line_ikev1_psk = p->line;
	return 0;
}

/* isakmp keepalive [threshold N retry M] | disable */
static int h_tg_keepalive(struct pctx *p)
{
	struct conf_tunnel_group *tg = cur_tg(p);
	unsigned long t = 10, r = 2;
	if (p_is(p, 2, "disable")) {
		if (p_end(p, 3))
			return -1;
		tg->keepalive_disabled = true;
		tg->keepalive_threshold = 10;   /* no meaning while disabled */
		tg->keepalive_retry = 2;
		tg->line_keepalive = p->line;
		return 0;
	}
	if (p_w(p, 2)) {
		if (!p_is(p, 2, "threshold"))
			return p_err(p, "isakmp keepalive: expected 'threshold N retry M' or "
				     "'disable', not '%s'", p_w(p, 2));
		if (p_uint(p, 3, 10, 3600, "keepalive threshold", &t))
			return -1;
		if (p_w(p, 4)) {
			if (!p_is(p, 4, "retry"))
				return p_err(p, "isakmp keepalive: expected 'retry', not '%s'",
					     p_w(p, 4));
			if (p_uint(p, 5, 2, 10, "keepalive retry", &r) || p_end(p, 6))
				return -1;
		}
	}
	tg->keepalive_threshold = (unsigned)t;
	tg->keepalive_retry = (unsigned)r;
	tg->keepalive_disabled = false;
	tg->line_keepalive = p->line;
	return 0;
}

/* ikev1 user-authentication [(IF)] xauth|none|hybrid (8.4+) and
 * isakmp ikev1-user-authentication [(IF)] ... (7.x-8.3) */
static int h_tg_v1_uauth(struct pctx *p)
{
	static const char *const kw[] = { "xauth", "none", "hybrid" };
	struct conf_tunnel_group *tg = cur_tg(p);
	char *ifname = NULL;
	size_t i = p->k;
	int r = p_ifparen(p, i, &ifname);
	if (r < 0)
		return -1;
	i += (size_t)r;
	if (p_need(p, i, "'xauth', 'none' or 'hybrid'") || p_end(p, i + 1)) {
		free(ifname);
		return -1;
	}
	for (int k = 0; k < 3; k++)
		if (p_is(p, i, kw[k])) {
			free(tg->ikev1_user_auth_ifname);
			tg->ikev1_user_auth_ifname = ifname;
			tg->ikev1_user_auth = (enum conf_v1_uauth)k;
			tg->line_ikev1_user_auth = p->line;
			return 0;
		}
	free(ifname);
	return p_err(p, "expected 'xauth', 'none' or 'hybrid', not '%s'", p_w(p, i));
}

static const struct conf_cmd tg_ipsec_cmds[] = {
	{ "ikev2 remote-authentication eap", h_tg_remote_eap, NULL },
	{ "ikev2 remote-authentication pre-shared-key", h_tg_remote_psk, NULL },
	{ "ikev2 remote-authentication certificate", h_tg_remote_cert, NULL },
	{ "ikev2 local-authentication certificate", h_tg_local_cert, NULL },
	{ "ikev2 local-authentication pre-shared-key", h_tg_local_psk, NULL },
	{ "ikev1 pre-shared-key", h_tg_ikev1_psk, NULL },
	{ "pre-shared-key", h_tg_ikev1_psk, NULL },
	{ "isakmp keepalive", h_tg_keepalive, NULL },
	{ "ikev2 rsa-sig-hash", NULL, NULL },
	{ "ikev1 user-authentication", h_tg_v1_uauth, NULL },
	{ "ikev1 trust-point", NULL, NULL },
	{ "isakmp ikev1-user-authentication", h_tg_v1_uauth, NULL },
	{ "peer-id-validate", NULL, NULL },
	{ "chain", NULL, NULL },
	{ "trust-point", NULL, NULL },
	{ "radius-sdi-xauth", NULL, NULL },
	{ "client-update", NULL, NULL },
	{ NULL, NULL, NULL },
};
const struct conf_mode mode_tg_ipsec = { "tunnel-group ipsec-attributes", { tg_ipsec_cmds },
					 false };

/* group-alias NAME enable | disable */
static int h_tg_alias(struct pctx *p)
{
	struct conf_tunnel_group *tg = cur_tg(p);
	if (p_need(p, 1, "alias") || p_need(p, 2, "'enable' or 'disable'") || p_end(p, 3))
		return -1;
	if (p_is(p, 2, "disable")) {
		p_unused(p);   /* a disabled alias selects nothing */
		return 0;
	}
	if (!p_is(p, 2, "enable"))
		return p_err(p, "group-alias: expected 'enable' or 'disable', not '%s'", p_w(p, 2));
	for (size_t i = 0; i < tg->n_group_aliases; i++)
		if (strcmp(tg->group_aliases[i], p_w(p, 1)) == 0)
			return 0;
	if (tg->n_group_aliases == CONF_MAX_LIST)
		return p_err(p, "too many group aliases (at most %d)", CONF_MAX_LIST);
	if (!(tg->group_aliases[tg->n_group_aliases] = strdup(p_w(p, 1))))
		return p_oom(p);
	tg->n_group_aliases++;
	tg->line_alias = p->line;
	return 0;
}

static const struct conf_cmd tg_webvpn_cmds[] = {
	{ "group-alias", h_tg_alias, NULL },
	{ "group-url", NULL, NULL },
	{ "authentication", NULL, NULL },
	{ "customization", NULL, NULL },
	{ "dns-group", NULL, NULL },
	{ "without-csd", NULL, NULL },
	{ "nbns-server", NULL, NULL },
	{ "pre-fill-username", NULL, NULL },
	{ "secondary-pre-fill-username", NULL, NULL },
	{ "saml", NULL, NULL },
	{ "radius-reject-message", NULL, NULL },
	{ "proxy-auth", NULL, NULL },
	{ NULL, NULL, NULL },
};
const struct conf_mode mode_tg_webvpn = { "tunnel-group webvpn-attributes", { tg_webvpn_cmds },
					  true };

/* ---- username --------------------------------------------------------------- */

static bool all_in(const char *s, const char *set)
{
	return strspn(s, set) == strlen(s);
}

/* username U password P [encrypted|nt-encrypted|mschap] [privilege N]
 * username U nopassword [privilege N] */
static int h_user_pw(struct pctx *p)
{
	struct conf *c = p->c;
	enum conf_pw_kind kind = PW_NONE;
	unsigned long priv = 2;   /* the ASA's default privilege for a user */
	size_t i = 3;
	if (p_is(p, 2, "password")) {
		if (p_need(p, 3, "password"))
			return -1;
		if (strcmp(p_w(p, 3), "*****") == 0)
			return p_err(p, "username %s: the password is masked as '*****'; give the "
				     "real password", p_w(p, 1));
		kind = PW_PLAIN;
		i = 4;
		if (p_is(p, i, "encrypted")) {
			kind = PW_CISCO_MD5;
			i++;
			if (strlen(p_w(p, 3)) != 16 ||
			    !all_in(p_w(p, 3), "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					       "abcdefghijklmnopqrstuvwxyz"))
				return p_err(p, "username %s: an 'encrypted' password is the "
					     "16-character Cisco MD5 form", p_w(p, 1));
		} else if (p_is(p, i, "nt-encrypted")) {
			kind = PW_NT_HASH;
			i++;
			if (strlen(p_w(p, 3)) != 32 || !all_in(p_w(p, 3), "0123456789abcdefABCDEF"))
				return p_err(p, "username %s: an 'nt-encrypted' password is 32 hex "
					     "digits", p_w(p, 1));
		} else if (p_is(p, i, "pbkdf2")) {
			return p_err(p, "username %s: pbkdf2 password hashes are not supported; "
				     "give the password in clear text", p_w(p, 1));
		} else if (p_is(p, i, "mschap")) {
			i++;
		}
	}
	if (p_is(p, i, "privilege")) {
		if (p_uint(p, i + 1, 0, 15, "privilege", &priv))
			return -1;
		i += 2;
	}
	if (i < p_n(p)) {
		/* no echo: with a password that has blanks, the word may be part of it */
		return p_err(p, "username %s: unexpected word after the %s", p_w(p, 1),
			     kind == PW_NONE ? "'nopassword'" : "password");
	}
	size_t u = model_find_user(c, p_w(p, 1));
	struct conf_user *us;
	if (u == SIZE_MAX) {
		us = model_grow(&c->users, &c->n_users, sizeof(*us));
		if (!us || !(us->name = strdup(p_w(p, 1)))) {
			if (us)
				c->n_users--;
			return p_oom(p);
		}
	} else {
		us = &c->users[u];
	}
	model_free_secret(&us->password);
	if (kind != PW_NONE && !(us->password = strdup(p_w(p, 3))))
		return p_oom(p);
	us->kind = kind;
	us->privilege = (unsigned)priv;
	us->line = p->line;
	return 0;
}

static int h_user_attributes(struct pctx *p)
{
	if (p_end(p, 3))
		return -1;
	size_t u = model_find_user(p->c, p_w(p, 1));
	if (u == SIZE_MAX)
		return p_err(p, "username %s does not exist (it needs a 'username %s password ...' "
			     "line first)", p_w(p, 1), p_w(p, 1));
	p_enter(p, &mode_user_attr, u);
	return 0;
}

static int h_user_other(struct pctx *p)
{
	if (p_need(p, 2, "'password', 'nopassword' or 'attributes'"))
		return -1;
	return p_err(p, "username: expected 'password', 'nopassword' or 'attributes', not '%s'",
		     p_w(p, 2));
}

static int h_user_gp(struct pctx *p)
{
	struct conf_user *us = &p->c->users[p_obj(p)];
	if (p_need(p, 1, "group-policy name") || p_end(p, 2) || p_str(p, 1, &us->group_policy))
		return -1;
	us->line_group_policy = p->line;
	return 0;
}

/* username attributes also take most group-policy attributes; ravpn uses
 * only the group-policy and keeps the rest as "not used". */
static const struct conf_cmd user_attr_cmds[] = {
	{ "vpn-group-policy", h_user_gp, NULL },
	{ "service-type", NULL, NULL },
	{ "vpn-tunnel-protocol", NULL, NULL },
	{ "group-lock", NULL, NULL },
	{ "vpn-simultaneous-logins", NULL, NULL },
	{ "password-storage", NULL, NULL },
	{ "vpn-framed-ip-address", NULL, NULL },
	{ "vpn-filter", NULL, NULL },
	{ "vpn-idle-timeout", NULL, NULL },
	{ "vpn-session-timeout", NULL, NULL },
	{ "vpn-access-hours", NULL, NULL },
	{ "memberof", NULL, NULL },
	{ "email", NULL, NULL },
	{ "ssh", NULL, NULL },
	{ "webvpn", NULL, &mode_opaque },
	{ NULL, NULL, NULL },
};
const struct conf_mode mode_user_attr = { "username attributes", { user_attr_cmds }, true };

/* ---- aaa-server ------------------------------------------------------------- */

static int h_aaa_protocol(struct pctx *p)
{
	struct conf *c = p->c;
	if (p_need(p, 3, "protocol") || p_end(p, 4))
		return -1;
	for (size_t i = 0; i < c->n_aaa_groups; i++)
		if (strcmp(c->aaa_groups[i].name, p_w(p, 1)) == 0) {
			if (!str_ieq(c->aaa_groups[i].protocol, p_w(p, 3)))
				return p_err(p, "aaa-server %s is already a %s group (line %d)",
					     p_w(p, 1), c->aaa_groups[i].protocol,
					     c->aaa_groups[i].line);
			p_enter(p, &mode_aaa_group, i);
			return 0;
		}
	static const char *const protos[] = { "radius", "tacacs+", "ldap", "kerberos", "nt",
					      "sdi", "local", "http-form" };
	bool known = false;
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		known |= str_ieq(p_w(p, 3), protos[i]);
	if (!known)
		return p_err(p, "unknown aaa-server protocol '%s'", p_w(p, 3));
	struct conf_aaa_server_group *g = model_grow(&c->aaa_groups, &c->n_aaa_groups, sizeof(*g));
	if (!g)
		return p_oom(p);
	g->line = p->line;
	if (p_str(p, 1, &g->name) || p_str(p, 3, &g->protocol)) {
		free(g->name);
		c->n_aaa_groups--;
		return -1;
	}
	for (char *s = g->protocol; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	p_enter(p, &mode_aaa_group, c->n_aaa_groups - 1);
	return 0;
}

/* aaa-server TAG [(IF)] host ADDR [KEY] [timeout N] */
static int h_aaa_host(struct pctx *p)
{
	struct conf *c = p->c;
	char *ifn = NULL;
	int r = p_ifparen(p, 2, &ifn);
	if (r < 0)
		return -1;
	size_t i = r ? 4 : 3;
	uint32_t addr;
	unsigned long timeout = 10;
	const char *key = NULL;
	if (!conf_aaa_group(c, p_w(p, 1))) {
		free(ifn);
		return p_err(p, "aaa-server group %s does not exist (it needs 'aaa-server %s "
			     "protocol ...' first)", p_w(p, 1), p_w(p, 1));
	}
	if (p_ip(p, i, &addr)) {
		free(ifn);
		return -1;
	}
	i++;
	if (p_w(p, i) && !p_is(p, i, "timeout")) {
		key = p_w(p, i++);
		if (strcmp(key, "*****") == 0) {
			free(ifn);
			return p_err(p, "aaa-server %s: the key is masked as '*****'; give the real "
				     "key", p_w(p, 1));
		}
	}
	if (p_is(p, i, "timeout")) {
		if (p_uint(p, i + 1, 1, 300, "timeout", &timeout)) {
			free(ifn);
			return -1;
		}
		i += 2;
	}
	if (i < p_n(p)) {
		free(ifn);
		return p_err(p, "aaa-server %s host: unexpected word after the address", p_w(p, 1));
	}
	size_t idx = SIZE_MAX;
	for (size_t j = 0; j < c->n_aaa_servers; j++)
		if (c->aaa_servers[j].addr == addr && strcmp(c->aaa_servers[j].group, p_w(p, 1)) == 0)
			idx = j;
	struct conf_aaa_server *s;
	if (idx == SIZE_MAX) {
		s = model_grow(&c->aaa_servers, &c->n_aaa_servers, sizeof(*s));
		if (!s || !(s->group = strdup(p_w(p, 1)))) {
			if (s)
				c->n_aaa_servers--;
			free(ifn);
			return p_oom(p);
		}
		s->retry_interval_sec = 10;
		idx = c->n_aaa_servers - 1;
	} else {
		s = &c->aaa_servers[idx];
	}
	free(s->ifname);
	s->ifname = ifn;
	s->addr = addr;
	s->timeout_sec = (unsigned)timeout;
	s->line = p->line;
	if (key) {
		model_free_secret(&s->key);
		if (!(s->key = strdup(key)))
			return p_oom(p);
		s->line_key = p->line;
	}
	p_enter(p, &mode_aaa_host, idx);
	return 0;
}

static int h_aaa_key(struct pctx *p)
{
	struct conf_aaa_server *s = &p->c->aaa_servers[p_obj(p)];
	if (p_secret(p, 1, "key", &s->key))
		return -1;
	s->line_key = p->line;
	return 0;
}

static int h_aaa_port(struct pctx *p)
{
	struct conf_aaa_server *s = &p->c->aaa_servers[p_obj(p)];
	unsigned long v;
	if (p_uint(p, 1, 1, 65535, "port", &v) || p_end(p, 2))
		return -1;
	if (p_is(p, 0, "accounting-port"))
		s->acct_port = (unsigned)v;
	else
		s->auth_port = (unsigned)v;
	return 0;
}

static int h_aaa_timeout(struct pctx *p)
{
	struct conf_aaa_server *s = &p->c->aaa_servers[p_obj(p)];
	unsigned long v;
	if (p_uint(p, 1, 1, 300, "seconds", &v) || p_end(p, 2))
		return -1;
	if (p_is(p, 0, "timeout"))
		s->timeout_sec = (unsigned)v;
	else
		s->retry_interval_sec = (unsigned)v;
	return 0;
}

static const struct conf_cmd aaa_host_cmds[] = {
	{ "key", h_aaa_key, NULL },
	{ "authentication-port", h_aaa_port, NULL },
	{ "accounting-port", h_aaa_port, NULL },
	{ "server-port", h_aaa_port, NULL },
	{ "timeout", h_aaa_timeout, NULL },
	{ "retry-interval", h_aaa_timeout, NULL },
	{ "radius-common-pw", NULL, NULL },
	{ "ldap-base-dn", NULL, NULL },
	{ "ldap-scope", NULL, NULL },
	{ "ldap-naming-attribute", NULL, NULL },
	{ "ldap-login-password", NULL, NULL },
	{ "ldap-login-dn", NULL, NULL },
	{ "ldap-over-ssl", NULL, NULL },
	{ "ldap-attribute-map", NULL, NULL },
	{ "ldap-group-base-dn", NULL, NULL },
	{ "group-search-timeout", NULL, NULL },
	{ "sasl-mechanism", NULL, NULL },
	{ "server-type", NULL, NULL },
	{ "acl-netmask-convert", NULL, NULL },
	{ "kerberos-realm", NULL, NULL },
	{ "nt-auth-domain-controller", NULL, NULL },
	{ "sdi-version", NULL, NULL },
	{ "use-rfc2865", NULL, NULL },
	{ NULL, NULL, NULL },
};
const struct conf_mode mode_aaa_host = { "aaa-server host", { aaa_host_cmds }, false };

static const struct conf_cmd aaa_group_cmds[] = {
	{ "max-failed-attempts", NULL, NULL },
	{ "reactivation-mode", NULL, NULL },
	{ "accounting-mode", NULL, NULL },
	{ "merge-dacl", NULL, NULL },
	{ "interim-accounting-update", NULL, NULL },
	{ "dynamic-authorization", NULL, NULL },
	{ "authorize-only", NULL, NULL },
	{ "ad-agent-mode", NULL, NULL },
	{ "user-identity", NULL, NULL },
	{ NULL, NULL, NULL },
};
const struct conf_mode mode_aaa_group = { "aaa-server", { aaa_group_cmds }, true };

/* ---- PIX 6: vpngroup NAME ... --------------------------------------------------- */

/* The tunnel-group and group-policy a vpngroup stands for (created on its
 * first line). */
static int vpngroup_get(struct pctx *p, struct conf_tunnel_group **tg,
			struct conf_group_policy **gp)
{
	struct conf *c = p->c;
	const char *name = p_w(p, 1);
	size_t g = model_find_gp(c, name);
	if (g == SIZE_MAX) {
		struct conf_group_policy *n =
			model_grow(&c->group_policies, &c->n_group_policies, sizeof(*n));
		if (!n || !(n->name = strdup(name))) {
			if (n)
				c->n_group_policies--;
			return p_oom(p);
		}
		n->internal = true;
		n->line = p->line;
		g = c->n_group_policies - 1;
	}
	size_t t = model_find_tg(c, name);
	if (t == SIZE_MAX) {
		struct conf_tunnel_group *n = tg_new(p, name);
		if (!n)
			return -1;
		n->remote_access = true;
		if (!(n->type_name = strdup("remote-access")) ||
		    !(n->default_group_policy = strdup(name)))
			return p_oom(p);
		n->line_gp = p->line;
		t = c->n_tunnel_groups - 1;
	}
	*tg = &c->tunnel_groups[t];
	*gp = &c->group_policies[g];
	return 0;
}

static int h_vpngroup(struct pctx *p)
{
	struct conf_tunnel_group *tg;
	struct conf_group_policy *gp;
	const char *attr = p_w(p, 2);
	unsigned long v;
	if (p_need(p, 2, "vpngroup attribute"))
		return -1;
	if (str_ieq(attr, "password")) {
		if (p_need(p, 3, "group password"))
			return -1;
		if (vpngroup_get(p, &tg, &gp) || psk_arg(p, 3, &tg->ikev1_psk))
			return -1;
		tg->line_ikev1_psk = p->line;
	} else if (str_ieq(attr, "address-pool")) {
		if (p_need(p, 3, "pool name") || p_end(p, 4) || vpngroup_get(p, &tg, &gp) ||
		    pool_names(p, 3, tg->address_pools, &tg->n_address_pools))
			return -1;
		tg->line_pool = p->line;
	} else if (str_ieq(attr, "dns-server") || str_ieq(attr, "wins-server")) {
		bool dns = str_ieq(attr, "dns-server");
		uint32_t a[4];
		size_t n;
		if (ip_list(p, 3, a, &n, 2) || vpngroup_get(p, &tg, &gp))
			return -1;
		memcpy(dns ? gp->dns : gp->wins, a, n * sizeof(a[0]));
		*(dns ? &gp->n_dns : &gp->n_wins) = n;
		*(dns ? &gp->dns_set : &gp->wins_set) = true;
		*(dns ? &gp->line_dns : &gp->line_wins) = p->line;
	} else if (str_ieq(attr, "default-domain")) {
		if (p_need(p, 3, "domain name") || p_end(p, 4) || vpngroup_get(p, &tg, &gp) ||
		    p_str(p, 3, &gp->default_domain))
			return -1;
		gp->default_domain_set = true;
		gp->line_domain = p->line;
	} else if (str_ieq(attr, "split-tunnel")) {
		if (p_need(p, 3, "access-list name") || p_end(p, 4) || vpngroup_get(p, &tg, &gp) ||
		    p_str(p, 3, &gp->split_acl))
			return -1;
		gp->split_acl_set = gp->split_policy_set = true;
		gp->split_policy = SPLIT_TUNNELSPECIFIED;
		gp->line_split_acl = gp->line_split = p->line;
	} else if (str_ieq(attr, "idle-time")) {
		if (p_uint(p, 3, 60, 2147483647, "idle time (seconds)", &v) || p_end(p, 4) ||
		    vpngroup_get(p, &tg, &gp))
			return -1;
		if (v % 60)
			p_warn(p, "idle-time %lu s rounded up to %lu minutes", v, (v + 59) / 60);
		gp->idle_timeout_min = (unsigned)((v + 59) / 60);
		gp->idle_timeout_set = true;
		gp->line_idle = p->line;
	} else if (str_ieq(attr, "max-time")) {
		if (p_uint(p, 3, 60, 2147483647, "max time (seconds)", &v) || p_end(p, 4) ||
		    vpngroup_get(p, &tg, &gp))
			return -1;
		if (v % 60)
			p_warn(p, "max-time %lu s rounded up to %lu minutes", v, (v + 59) / 60);
		gp->session_timeout_min = (unsigned)((v + 59) / 60);
		gp->session_timeout_set = true;
		gp->line_session_timeout = p->line;
	} else if (str_ieq(attr, "pfs")) {
		if (p_end(p, 3) || vpngroup_get(p, &tg, &gp))
			return -1;
		gp->pfs = gp->pfs_set = true;
		gp->line_pfs = p->line;
	} else if (str_ieq(attr, "split-dns")) {
		if (vpngroup_get(p, &tg, &gp) ||
		    p_name_list(p, 3, "split-dns domain", CONF_MAX_LIST, gp->split_dns,
				&gp->n_split_dns))
			return -1;
		gp->split_dns_set = true;
		gp->line_split_dns = p->line;
	} else {
		p_unused(p);   /* backup-server, authentication-server, device-pass-through, ... */
	}
	return 0;
}

/* ---- the global table --------------------------------------------------------- */

const struct conf_cmd cmds_global_vpn[] = {
	{ "ip local pool", h_pool, NULL },
	{ "access-list * standard", h_acl_standard, NULL },
	{ "access-list * extended", h_acl_extended, NULL },
	{ "access-list * permit", h_acl_extended, NULL },
	{ "access-list * deny", h_acl_extended, NULL },
	{ "access-list", NULL, NULL },   /* remark, webtype, ethertype, line N, ... */
	{ "group-policy * internal", h_gp_internal, NULL },
	{ "group-policy * attributes", h_gp_attributes, NULL },
	{ "group-policy", h_gp_other, NULL },
	{ "tunnel-group * type", h_tg_type, NULL },
	{ "tunnel-group * general-attributes", h_tg_general, NULL },
	{ "tunnel-group * ipsec-attributes", h_tg_ipsec, NULL },
	{ "tunnel-group * webvpn-attributes", h_tg_webvpn, NULL },
	{ "tunnel-group * ppp-attributes", h_tg_ppp, NULL },
	{ "tunnel-group", h_tg_other, NULL },
	{ "username * password", h_user_pw, NULL },
	{ "username * nopassword", h_user_pw, NULL },
	{ "username * attributes", h_user_attributes, NULL },
	{ "username", h_user_other, NULL },
	{ "aaa-server * protocol", h_aaa_protocol, NULL },
	{ "aaa-server * host", h_aaa_host, NULL },
	{ "aaa-server * * host", h_aaa_host, NULL },
	{ "aaa-server", NULL, NULL },
	{ "webvpn", NULL, &mode_webvpn },
	{ "vpngroup", h_vpngroup, NULL },
	{ NULL, NULL, NULL },
};
