/* `show running-config`: the model written back in ASA syntax, in the
 * order the ASA writes it.  Parsing the output gives an equal model
 * (conf_equal); secrets are written as "*****" unless asked for, and the
 * parser refuses "*****" as a secret, so masked output can never be loaded
 * by mistake.  Lines kept as "not used" are not written: this is the
 * configuration ravpn runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "conf/conf_int.h"

#define MASK "*****"

bool word_needs_quotes(const char *s)
{
	return !s[0] || s[0] == '"' || strpbrk(s, " \t") != NULL;
}

/* " word" (quoted when it needs it) */
static void w(struct buf *b, const char *s)
{
	if (word_needs_quotes(s))
		buf_printf(b, " \"%s\"", s);
	else
		buf_printf(b, " %s", s);
}

static void secret(struct buf *b, const char *s, bool show)
{
	if (show)
		w(b, s);
	else
		buf_printf(b, " %s", MASK);
}

static const char *ipstr(uint32_t a, char out[16])
{
	snprintf(out, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
	return out;
}

static void ip(struct buf *b, uint32_t a)
{
	char s[16];
	buf_printf(b, " %s", ipstr(a, s));
}

static void names(struct buf *b, char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		w(b, v[i]);
}

static void kw(struct buf *b, const struct kw_table *t, uint16_t id, uint16_t bits)
{
	const char *k = kw_name(t, id, bits);
	buf_printf(b, " %s", k ? k : "?");
}

static void write_ifaces(struct buf *b, const struct conf *c)
{
	for (size_t i = 0; i < c->n_ifaces; i++) {
		const struct conf_interface *f = &c->ifaces[i];
		buf_printf(b, "interface");
		w(b, f->hwname);
		buf_printf(b, "\n");
		if (f->nameif) {
			buf_printf(b, " nameif");
			w(b, f->nameif);
			buf_printf(b, "\n security-level %d\n", f->security_level);
		} else {
			buf_printf(b, " no nameif\n");
			if (f->security_level)
				buf_printf(b, " security-level %d\n", f->security_level);
		}
		if (f->addr) {
			buf_printf(b, " ip address");
			ip(b, f->addr);
			ip(b, f->mask);
			buf_printf(b, "\n");
		}
		if (f->shutdown)
			buf_printf(b, " shutdown\n");
		buf_printf(b, "!\n");
	}
}

static void write_acl_pools(struct buf *b, const struct conf *c)
{
	for (size_t i = 0; i < c->n_acl; i++) {
		const struct conf_acl_entry *e = &c->acl[i];
		buf_printf(b, "access-list");
		w(b, e->name);
		buf_printf(b, " standard %s", e->permit ? "permit" : "deny");
		if (e->mask == 0 && e->addr == 0) {
			buf_printf(b, " any4");
		} else if (e->mask == 0xffffffff) {
			buf_printf(b, " host");
			ip(b, e->addr);
		} else {
			ip(b, e->addr);
			ip(b, e->mask);
		}
		buf_printf(b, "\n");
	}
	for (size_t i = 0; i < c->n_pools; i++) {
		const struct conf_pool *p = &c->pools[i];
		char f[16], l[16];
		buf_printf(b, "ip local pool");
		w(b, p->name);
		buf_printf(b, " %s-%s", ipstr(p->first, f), ipstr(p->last, l));
		if (p->mask) {
			buf_printf(b, " mask");
			ip(b, p->mask);
		}
		buf_printf(b, "\n");
	}
}

static void lifetime(struct buf *b, uint32_t sec, uint32_t kb)
{
	if (sec)
		buf_printf(b, " seconds %u", sec);
	if (kb)
		buf_printf(b, " kilobytes %u", kb);
}

static void write_ipsec(struct buf *b, const struct conf *c)
{
	for (size_t i = 0; i < c->n_transform_sets; i++) {
		const struct conf_transform_set *t = &c->transform_sets[i];
		buf_printf(b, "crypto ipsec ikev1 transform-set");
		w(b, t->name);
		kw(b, &kw_ts_encr, t->esp_id, t->key_bits);
		kw(b, &kw_ts_auth, t->auth_alg, 0);
		buf_printf(b, "\n");
	}
	for (size_t i = 0; i < c->n_proposals; i++) {
		const struct conf_ipsec_proposal *p = &c->proposals[i];
		buf_printf(b, "crypto ipsec ikev2 ipsec-proposal");
		w(b, p->name);
		buf_printf(b, "\n");
		if (p->n_encr) {
			buf_printf(b, " protocol esp encryption");
			for (size_t j = 0; j < p->n_encr; j++)
				kw(b, &kw_esp_encr, p->encr[j].id, p->encr[j].key_bits);
			buf_printf(b, "\n");
		}
		if (p->n_integ) {
			buf_printf(b, " protocol esp integrity");
			for (size_t j = 0; j < p->n_integ; j++)
				kw(b, &kw_esp_integ, p->integ[j], 0);
			buf_printf(b, "\n");
		}
	}
	if (c->ipsec_lifetime_sec != 28800)
		buf_printf(b, "crypto ipsec security-association lifetime seconds %u\n",
			   c->ipsec_lifetime_sec);
	if (c->ipsec_lifetime_kb != 4608000)
		buf_printf(b, "crypto ipsec security-association lifetime kilobytes %u\n",
			   c->ipsec_lifetime_kb);
	if (c->replay_window == 0)
		buf_printf(b, "crypto ipsec security-association replay disable\n");
	else if (c->replay_window != 64)
		buf_printf(b, "crypto ipsec security-association replay window-size %u\n",
			   c->replay_window);
}

static void dyn_prefix(struct buf *b, const struct conf_dynmap_entry *e)
{
	buf_printf(b, "crypto dynamic-map");
	w(b, e->name);
	buf_printf(b, " %u set", e->seq);
}

static void write_maps(struct buf *b, const struct conf *c)
{
	for (size_t i = 0; i < c->n_dynmaps; i++) {
		const struct conf_dynmap_entry *e = &c->dynmaps[i];
		if (e->n_transform_sets) {
			dyn_prefix(b, e);
			buf_printf(b, " ikev1 transform-set");
			names(b, e->transform_sets, e->n_transform_sets);
			buf_printf(b, "\n");
		}
		if (e->n_ikev2_proposals) {
			dyn_prefix(b, e);
			buf_printf(b, " ikev2 ipsec-proposal");
			names(b, e->ikev2_proposals, e->n_ikev2_proposals);
			buf_printf(b, "\n");
		}
		if (e->pfs_group) {
			dyn_prefix(b, e);
			buf_printf(b, " pfs");
			kw(b, &kw_pfs_group, e->pfs_group, 0);
			buf_printf(b, "\n");
		}
		if (e->lifetime_sec || e->lifetime_kb) {
			dyn_prefix(b, e);
			buf_printf(b, " security-association lifetime");
			lifetime(b, e->lifetime_sec, e->lifetime_kb);
			buf_printf(b, "\n");
		}
		if (e->reverse_route) {
			dyn_prefix(b, e);
			buf_printf(b, " reverse-route\n");
		}
	}
	for (size_t i = 0; i < c->n_cmaps; i++) {
		const struct conf_crypto_map_entry *e = &c->cmaps[i];
		buf_printf(b, "crypto map");
		w(b, e->name);
		buf_printf(b, " %u ipsec-isakmp dynamic", e->seq);
		w(b, e->dynmap);
		buf_printf(b, "\n");
	}
	for (size_t i = 0; i < c->n_cmap_clients; i++) {
		const struct conf_crypto_map_client *m = &c->cmap_clients[i];
		static const char *const how[] = { "initiate", "respond" };
		bool on[] = { m->config_initiate, m->config_respond };
		for (int k = 0; k < 2; k++)
			if (on[k]) {
				buf_printf(b, "crypto map");
				w(b, m->name);
				buf_printf(b, " client configuration address %s\n", how[k]);
			}
		if (m->authn_server_group) {
			buf_printf(b, "crypto map");
			w(b, m->name);
			buf_printf(b, " client authentication");
			w(b, m->authn_server_group);
			buf_printf(b, "\n");
		}
	}
	for (size_t i = 0; i < c->n_cmap_bindings; i++) {
		buf_printf(b, "crypto map");
		w(b, c->cmap_bindings[i].name);
		buf_printf(b, " interface");
		w(b, c->cmap_bindings[i].ifname);
		buf_printf(b, "\n");
	}
}

static void write_trustpoints(struct buf *b, const struct conf *c)
{
	for (size_t i = 0; i < c->n_trustpoints; i++) {
		const struct conf_trustpoint *t = &c->trustpoints[i];
		buf_printf(b, "crypto ca trustpoint");
		w(b, t->name);
		buf_printf(b, "\n enrollment %s\n", t->enroll_self ? "self" : "terminal");
		if (t->subject)
			buf_printf(b, " subject-name %s\n", t->subject);
		if (t->fqdn) {
			buf_printf(b, " fqdn");
			w(b, t->fqdn);
			buf_printf(b, "\n");
		}
		const char *f[] = { t->cert_file, t->key_file, t->ca_file };
		static const char *const fk[] = { "certificate-file", "key-file", "ca-file" };
		for (int k = 0; k < 3; k++)
			if (f[k]) {
				buf_printf(b, " ravpn %s", fk[k]);
				w(b, f[k]);
				buf_printf(b, "\n");
			}
	}
}

static void write_ike(struct buf *b, const struct conf *c, bool show)
{
	for (size_t i = 0; i < c->n_ikev2_policies; i++) {
		const struct conf_ikev2_policy *p = &c->ikev2_policies[i];
		buf_printf(b, "crypto ikev2 policy %u\n encryption", p->priority);
		for (size_t j = 0; j < p->n_encr; j++)
			kw(b, &kw_ikev2_encr, p->encr[j].id, p->encr[j].key_bits);
		buf_printf(b, "\n integrity");
		if (!p->n_integ)
			buf_printf(b, " null");
		for (size_t j = 0; j < p->n_integ; j++)
			kw(b, &kw_ikev2_integ, p->integ[j], 0);
		buf_printf(b, "\n group");
		for (size_t j = 0; j < p->n_group; j++)
			buf_printf(b, " %u", p->group[j]);
		buf_printf(b, "\n prf");
		for (size_t j = 0; j < p->n_prf; j++)
			kw(b, &kw_ikev2_prf, p->prf[j], 0);
		buf_printf(b, "\n lifetime seconds %u\n", p->lifetime_sec);
	}
	for (size_t i = 0; i < c->n_ikev2_enabled; i++) {
		buf_printf(b, "crypto ikev2 enable");
		w(b, c->ikev2_enabled_ifaces[i]);
		if (c->ikev2_client_services)
			buf_printf(b, " client-services port %u", c->ikev2_client_services_port);
		buf_printf(b, "\n");
	}
	if (c->ikev2_ra_trustpoint) {
		buf_printf(b, "crypto ikev2 remote-access trustpoint");
		w(b, c->ikev2_ra_trustpoint);
		buf_printf(b, "\n");
	}
	if (c->ikev2_cookie_threshold != 64)
		buf_printf(b, "crypto ikev2 cookie-challenge %u\n", c->ikev2_cookie_threshold);
	if (!c->ikev2_fragmentation)
		buf_printf(b, "no crypto ikev2 fragmentation\n");

	for (size_t i = 0; i < c->n_ikev1_enabled; i++) {
		buf_printf(b, "crypto ikev1 enable");
		w(b, c->ikev1_enabled_ifaces[i]);
		buf_printf(b, "\n");
	}
	for (size_t i = 0; i < c->n_ikev1_policies; i++) {
		const struct conf_ikev1_policy *p = &c->ikev1_policies[i];
		buf_printf(b, "crypto ikev1 policy %u\n authentication", p->priority);
		kw(b, &kw_ikev1_auth, p->auth, 0);
		buf_printf(b, "\n encryption");
		kw(b, &kw_ikev1_encr, p->encr, p->key_bits);
		buf_printf(b, "\n hash");
		kw(b, &kw_ikev1_hash, p->hash, 0);
		buf_printf(b, "\n group %u\n lifetime %u\n", p->group, p->lifetime_sec);
	}
	if (c->ikev1_am_disabled)
		buf_printf(b, "crypto ikev1 am-disable\n");
	static const char *const ident[] = { "auto", "address", "hostname" };
	if (c->isakmp_identity > 0 && c->isakmp_identity < 3)
		buf_printf(b, "crypto isakmp identity %s\n", ident[c->isakmp_identity]);
	if (c->isakmp_nat_keepalive != 20)
		buf_printf(b, "crypto isakmp nat-traversal %u\n", c->isakmp_nat_keepalive);
	if (!c->isakmp_nat_traversal)
		buf_printf(b, "no crypto isakmp nat-traversal\n");
	/* PIX forms: the ASA has no global equivalent of these */
	for (size_t i = 0; i < c->n_isakmp_keys; i++) {
		const struct conf_isakmp_key *k = &c->isakmp_keys[i];
		buf_printf(b, "isakmp key");
		secret(b, k->key, show);
		buf_printf(b, " address");
		ip(b, k->addr);
		buf_printf(b, " netmask");
		ip(b, k->mask);
		buf_printf(b, "%s%s\n", k->no_xauth ? " no-xauth" : "",
			   k->no_config_mode ? " no-config-mode" : "");
	}
	if (c->isakmp_keepalive_threshold)
		buf_printf(b, "isakmp keepalive %u %u\n", c->isakmp_keepalive_threshold,
			   c->isakmp_keepalive_retry);
	if (c->isakmp_client_pool) {
		buf_printf(b, "isakmp client configuration address-pool local");
		w(b, c->isakmp_client_pool);
		if (c->isakmp_client_pool_ifname)
			w(b, c->isakmp_client_pool_ifname);
		buf_printf(b, "\n");
	}
}

static void ip_list_or_none(struct buf *b, const char *kwd, const uint32_t *v, size_t n)
{
	buf_printf(b, " %s", kwd);
	if (!n) {
		buf_printf(b, " none\n");
		return;
	}
	buf_printf(b, " value");
	for (size_t i = 0; i < n; i++)
		ip(b, v[i]);
	buf_printf(b, "\n");
}

static bool gp_has_attrs(const struct conf_group_policy *g)
{
	return g->dns_set || g->wins_set || g->default_domain_set || g->tunnel_protocols_set ||
	       g->split_policy_set || g->split_acl_set || g->address_pools_set ||
	       g->idle_timeout_set || g->banner_set || g->pfs_set || g->password_storage_set ||
	       g->session_timeout_set || g->split_dns_set;
}

static void minutes_or_none(struct buf *b, const char *kwd, unsigned min)
{
	if (min)
		buf_printf(b, " %s %u\n", kwd, min);
	else
		buf_printf(b, " %s none\n", kwd);
}

static void write_gp(struct buf *b, const struct conf_group_policy *g)
{
	bool dflt = strcmp(g->name, CONF_DFLTGRPPOLICY) == 0;
	if (!dflt) {
		buf_printf(b, "group-policy");
		w(b, g->name);
		buf_printf(b, " internal\n");
	}
	if (!gp_has_attrs(g))
		return;
	buf_printf(b, "group-policy");
	w(b, g->name);
	buf_printf(b, " attributes\n");
	if (g->banner_set) {
		if (!g->banner) {
			buf_printf(b, " banner none\n");
		} else {
			const char *s = g->banner;
			for (;;) {
				const char *nl = strchr(s, '\n');
				int n = nl ? (int)(nl - s) : (int)strlen(s);
				buf_printf(b, " banner value %.*s\n", n, s);
				if (!nl)
					break;
				s = nl + 1;
			}
		}
	}
	if (g->wins_set)
		ip_list_or_none(b, "wins-server", g->wins, g->n_wins);
	if (g->dns_set)
		ip_list_or_none(b, "dns-server", g->dns, g->n_dns);
	if (g->idle_timeout_set)
		minutes_or_none(b, "vpn-idle-timeout", g->idle_timeout_min);
	if (g->session_timeout_set)
		minutes_or_none(b, "vpn-session-timeout", g->session_timeout_min);
	if (g->tunnel_protocols_set) {
		static const uint32_t order[] = { TUNPROTO_IKEV1, TUNPROTO_IKEV2,
						  TUNPROTO_L2TP_IPSEC, TUNPROTO_SSL_CLIENT,
						  TUNPROTO_SSL_CLIENTLESS };
		buf_printf(b, " vpn-tunnel-protocol");
		if (!g->tunnel_protocols)
			buf_printf(b, " none");
		for (size_t i = 0; i < 5; i++)
			if (g->tunnel_protocols & order[i])
				kw(b, &kw_tunnel_proto, (uint16_t)order[i], 0);
		buf_printf(b, "\n");
	}
	if (g->password_storage_set)
		buf_printf(b, " password-storage %s\n", g->password_storage ? "enable" : "disable");
	if (g->pfs_set)
		buf_printf(b, " pfs %s\n", g->pfs ? "enable" : "disable");
	if (g->split_policy_set) {
		static const char *const sp[] = { "tunnelall", "tunnelspecified",
						  "excludespecified" };
		buf_printf(b, " split-tunnel-policy %s\n", sp[g->split_policy]);
	}
	if (g->split_acl_set) {
		buf_printf(b, " split-tunnel-network-list");
		if (g->split_acl) {
			buf_printf(b, " value");
			w(b, g->split_acl);
		} else {
			buf_printf(b, " none");
		}
		buf_printf(b, "\n");
	}
	if (g->default_domain_set) {
		buf_printf(b, " default-domain");
		if (g->default_domain) {
			buf_printf(b, " value");
			w(b, g->default_domain);
		} else {
			buf_printf(b, " none");
		}
		buf_printf(b, "\n");
	}
	if (g->split_dns_set) {
		buf_printf(b, " split-dns");
		if (g->n_split_dns) {
			buf_printf(b, " value");
			names(b, g->split_dns, g->n_split_dns);
		} else {
			buf_printf(b, " none");
		}
		buf_printf(b, "\n");
	}
	if (g->address_pools_set) {
		buf_printf(b, " address-pools");
		if (g->n_address_pools) {
			buf_printf(b, " value");
			names(b, g->address_pools, g->n_address_pools);
		} else {
			buf_printf(b, " none");
		}
		buf_printf(b, "\n");
	}
}

static void write_users(struct buf *b, const struct conf *c, bool show)
{
	for (size_t i = 0; i < c->n_users; i++) {
		const struct conf_user *u = &c->users[i];
		buf_printf(b, "username");
		w(b, u->name);
		if (u->kind == PW_NONE || !u->password) {
			buf_printf(b, " nopassword");
		} else {
			buf_printf(b, " password");
			secret(b, u->password, show);
			if (u->kind == PW_CISCO_MD5)
				buf_printf(b, " encrypted");
			else if (u->kind == PW_NT_HASH)
				buf_printf(b, " nt-encrypted");
		}
		buf_printf(b, " privilege %u\n", u->privilege);
		if (u->group_policy) {
			buf_printf(b, "username");
			w(b, u->name);
			buf_printf(b, " attributes\n vpn-group-policy");
			w(b, u->group_policy);
			buf_printf(b, "\n");
		}
	}
}

static void write_aaa(struct buf *b, const struct conf *c, bool show)
{
	for (size_t i = 0; i < c->n_aaa_groups; i++) {
		buf_printf(b, "aaa-server");
		w(b, c->aaa_groups[i].name);
		buf_printf(b, " protocol");
		w(b, c->aaa_groups[i].protocol);
		buf_printf(b, "\n");
	}
	for (size_t i = 0; i < c->n_aaa_servers; i++) {
		const struct conf_aaa_server *s = &c->aaa_servers[i];
		buf_printf(b, "aaa-server");
		w(b, s->group);
		if (s->ifname)
			buf_printf(b, " (%s)", s->ifname);
		buf_printf(b, " host");
		ip(b, s->addr);
		buf_printf(b, "\n");
		if (s->key) {
			buf_printf(b, " key");
			secret(b, s->key, show);
			buf_printf(b, "\n");
		}
		if (s->auth_port)
			buf_printf(b, " authentication-port %u\n", s->auth_port);
		if (s->acct_port)
			buf_printf(b, " accounting-port %u\n", s->acct_port);
		if (s->timeout_sec != 10)
			buf_printf(b, " timeout %u\n", s->timeout_sec);
		if (s->retry_interval_sec != 10)
			buf_printf(b, " retry-interval %u\n", s->retry_interval_sec);
	}
}

static void tg_head(struct buf *b, const struct conf_tunnel_group *t, const char *what)
{
	buf_printf(b, "tunnel-group");
	w(b, t->name);
	buf_printf(b, " %s\n", what);
}

static void write_tg(struct buf *b, const struct conf_tunnel_group *t, bool show)
{
	bool ra;
	buf_printf(b, "tunnel-group");
	w(b, t->name);
	if (t->type_name)
		buf_printf(b, " type %s\n", t->type_name);
	else if (model_builtin_tunnel_group(t->name, &ra))
		buf_printf(b, " type %s\n", ra ? "remote-access"
					     : strcmp(t->name, "DefaultWEBVPNGroup") == 0
						     ? "webvpn"
						     : "ipsec-l2l");
	else
		buf_printf(b, " type %s\n", t->remote_access ? "remote-access" : "ipsec-l2l");

	if (t->n_address_pools || t->default_group_policy || t->authn_server_group ||
	    t->authn_server_ifname || t->authn_fallback_local || t->authz_server_group ||
	    t->acct_server_group) {
		tg_head(b, t, "general-attributes");
		if (t->n_address_pools) {
			buf_printf(b, " address-pool");
			names(b, t->address_pools, t->n_address_pools);
			buf_printf(b, "\n");
		}
		if (t->authn_server_group || t->authn_server_ifname || t->authn_fallback_local) {
			buf_printf(b, " authentication-server-group");
			if (t->authn_server_ifname)
				buf_printf(b, " (%s)", t->authn_server_ifname);
			if (t->authn_server_group)
				w(b, t->authn_server_group);
			else
				buf_printf(b, " none");
			buf_printf(b, "%s\n", t->authn_fallback_local ? " LOCAL" : "");
		}
		if (t->authz_server_group) {
			buf_printf(b, " authorization-server-group");
			w(b, t->authz_server_group);
			buf_printf(b, "\n");
		}
		if (t->acct_server_group) {
			buf_printf(b, " accounting-server-group");
			w(b, t->acct_server_group);
			buf_printf(b, "\n");
		}
		if (t->default_group_policy) {
			buf_printf(b, " default-group-policy");
			w(b, t->default_group_policy);
			buf_printf(b, "\n");
		}
	}
	if (t->n_group_aliases) {
		tg_head(b, t, "webvpn-attributes");
		for (size_t i = 0; i < t->n_group_aliases; i++) {
			buf_printf(b, " group-alias");
			w(b, t->group_aliases[i]);
			buf_printf(b, " enable\n");
		}
	}
	bool ka = t->keepalive_disabled || t->keepalive_threshold != 10 || t->keepalive_retry != 2;
	bool uauth = t->ikev1_user_auth != V1UAUTH_XAUTH || t->ikev1_user_auth_ifname;
	if (t->ikev1_psk || ka || uauth || t->ikev2_remote_auth != AUTH_UNSET ||
	    t->ikev2_local_auth != AUTH_UNSET) {
		tg_head(b, t, "ipsec-attributes");
		if (t->ikev1_psk) {
			buf_printf(b, " ikev1 pre-shared-key");
			secret(b, t->ikev1_psk, show);
			buf_printf(b, "\n");
		}
		if (uauth) {
			static const char *const ua[] = { "xauth", "none", "hybrid" };
			buf_printf(b, " ikev1 user-authentication");
			if (t->ikev1_user_auth_ifname)
				buf_printf(b, " (%s)", t->ikev1_user_auth_ifname);
			buf_printf(b, " %s\n", ua[t->ikev1_user_auth]);
		}
		if (t->keepalive_disabled)
			buf_printf(b, " isakmp keepalive disable\n");
		else if (ka)
			buf_printf(b, " isakmp keepalive threshold %u retry %u\n",
				   t->keepalive_threshold, t->keepalive_retry);
		switch (t->ikev2_remote_auth) {
		case AUTH_EAP:
			buf_printf(b, " ikev2 remote-authentication eap%s\n",
				   t->eap_query_identity ? " query-identity" : "");
			break;
		case AUTH_PSK:
			buf_printf(b, " ikev2 remote-authentication pre-shared-key");
			secret(b, t->ikev2_remote_psk ? t->ikev2_remote_psk : "", show);
			buf_printf(b, "\n");
			break;
		case AUTH_CERT:
			buf_printf(b, " ikev2 remote-authentication certificate\n");
			break;
		case AUTH_UNSET:
			break;
		}
		if (t->ikev2_local_auth == AUTH_CERT && t->ikev2_local_trustpoint) {
			buf_printf(b, " ikev2 local-authentication certificate");
			w(b, t->ikev2_local_trustpoint);
			buf_printf(b, "\n");
		} else if (t->ikev2_local_auth == AUTH_PSK) {
			buf_printf(b, " ikev2 local-authentication pre-shared-key");
			secret(b, t->ikev2_local_psk ? t->ikev2_local_psk : "", show);
			buf_printf(b, "\n");
		}
	}
}

char *conf_write(const struct conf *c, bool show_secrets)
{
	struct buf b;
	if (!c)
		return NULL;
	buf_init(&b);
	buf_printf(&b, ": ravpn running configuration\n");
	if (c->hostname) {
		buf_printf(&b, "hostname");
		w(&b, c->hostname);
		buf_printf(&b, "\n");
	}
	if (c->domain_name) {
		buf_printf(&b, "domain-name");
		w(&b, c->domain_name);
		buf_printf(&b, "\n");
	}
	write_ifaces(&b, c);
	if (c->uauth_timeout_sec)
		buf_printf(&b, "timeout uauth %u:%02u:%02u %s\n", c->uauth_timeout_sec / 3600,
			   c->uauth_timeout_sec / 60 % 60, c->uauth_timeout_sec % 60,
			   c->uauth_inactivity ? "inactivity" : "absolute");
	write_acl_pools(&b, c);
	write_ipsec(&b, c);
	write_maps(&b, c);
	write_trustpoints(&b, c);
	write_ike(&b, c, show_secrets);
	for (size_t i = 0; i < c->n_group_policies; i++)
		write_gp(&b, &c->group_policies[i]);
	write_users(&b, c, show_secrets);
	write_aaa(&b, c, show_secrets);
	for (size_t i = 0; i < c->n_tunnel_groups; i++)
		write_tg(&b, &c->tunnel_groups[i], show_secrets);
	if (c->tun_name) {
		buf_printf(&b, "ravpn tun-name");
		w(&b, c->tun_name);
		buf_printf(&b, "\n");
	}
	if (c->tun_mtu)
		buf_printf(&b, "ravpn tun-mtu %u\n", c->tun_mtu);
	buf_printf(&b, ": end\n");
	buf_put_u8(&b, 0);
	if (b.oom) {
		buf_free(&b);
		return NULL;
	}
	size_t len;
	return (char *)buf_take(&b, &len);
}
