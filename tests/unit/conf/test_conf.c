/* conf/: the seed configurations, broken variants (each error on its line),
 * sub-modes with and without indentation, inheritance, lookups, the writer
 * and its round trip, and secrets kept out of diagnostics. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../t.h"
#include "conf/conf.h"

#ifndef SRCDIR
#error "SRCDIR must point at the source tree"
#endif

static struct conf_diags D;

static struct conf *parse(const char *text)
{
	conf_diags_free(&D);
	return conf_parse(text, strlen(text), "t.conf", &D);
}

static struct conf *load(const char *rel)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", SRCDIR, rel);
	conf_diags_free(&D);
	return conf_load(path, &D);
}

/* Is there a diagnostic of this kind on this line whose text contains sub? */
static bool has_diag(enum conf_diag_kind kind, int line, const char *sub)
{
	for (size_t i = 0; i < D.n; i++)
		if (D.d[i].kind == kind && D.d[i].line == line && D.d[i].msg &&
		    (!sub || strstr(D.d[i].msg, sub)))
			return true;
	return false;
}

static size_t count_kind(enum conf_diag_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < D.n; i++)
		n += D.d[i].kind == kind;
	return n;
}

static void dump_diags(void)
{
	conf_diags_print(&D, "t.conf", stderr);
}

/* Parse text that must fail with an error on `line` mentioning `sub`. */
static void expect_error(const char *text, int line, const char *sub)
{
	struct conf *c = parse(text);
	T_CHECK(c == NULL);
	T_CHECK(D.n_errors >= 1);
	if (!has_diag(DIAG_ERROR, line, sub)) {
		fprintf(stderr, "  expected an error on line %d containing \"%s\"; got:\n", line,
			sub ? sub : "");
		dump_diags();
		T_CHECK(!"error on the expected line");
	}
	conf_unref(c);
}

static char *ipstr(uint32_t a, char *b)
{
	sprintf(b, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
	return b;
}

#define T_EQ_IP(a, s)                                  \
	do {                                           \
		char b_[16];                           \
		T_EQ_STR(ipstr((a), b_), (s));         \
	} while (0)

/* ---- the seed ASA configuration ------------------------------------------------ */

static struct conf *seed(void)
{
	struct conf *c = load("examples/seed-asa.conf");
	if (!c)
		dump_diags();
	return c;
}

static void seed_config_parses_without_errors(void)
{
	struct conf *c = seed();
	T_CHECK(c != NULL);
	T_EQ_INT(D.n_errors, 0);
	T_EQ_INT(count_kind(DIAG_WARNING), 0);
	conf_unref(c);
}

static void seed_interface_and_pool(void)
{
	struct conf *c = seed();
	if (!c)
		return;
	T_EQ_INT(c->n_ifaces, 1);
	const struct conf_interface *f = conf_iface_by_nameif(c, "outside");
	T_CHECK(f != NULL);
	if (f) {
		T_EQ_STR(f->hwname, "Ethernet0/1");
		T_EQ_INT(f->security_level, 0);
		T_EQ_IP(f->addr, "10.0.0.1");
		T_EQ_IP(f->mask, "255.255.255.0");
		T_EQ_INT(f->line, 1);
	}
	const struct conf_pool *p = conf_pool(c, "webvpn1");
	T_CHECK(p != NULL);
	if (p) {
		T_EQ_IP(p->first, "10.2.2.1");
		T_EQ_IP(p->last, "10.2.2.10");
		T_EQ_INT(p->mask, 0);
		T_EQ_INT(p->line, 6);
	}
	conf_unref(c);
}

static void seed_ikev2_policy_10_is_aes192_sha_group2_prf_sha_86400(void)
{
	struct conf *c = seed();
	if (!c)
		return;
	T_EQ_INT(c->n_ikev2_policies, 1);
	const struct conf_ikev2_policy *p = &c->ikev2_policies[0];
	T_EQ_INT(p->priority, 10);
	T_EQ_INT(p->n_encr, 1);
	T_EQ_INT(p->encr[0].id, 12);
	T_EQ_INT(p->encr[0].key_bits, 192);
	T_EQ_INT(p->n_integ, 1);
	T_EQ_INT(p->integ[0], 2);
	T_EQ_INT(p->n_group, 1);
	T_EQ_INT(p->group[0], 2);
	T_EQ_INT(p->n_prf, 1);
	T_EQ_INT(p->prf[0], 2);
	T_EQ_INT(p->lifetime_sec, 86400);
	T_EQ_INT(p->line, 19);
	T_EQ_INT(p->line_encr, 20);
	T_EQ_INT(p->line_integ, 21);
	T_EQ_INT(p->line_group, 22);
	T_EQ_INT(p->line_prf, 23);
	T_EQ_INT(p->line_lifetime, 24);
	T_EQ_INT(c->n_ikev2_enabled, 1);
	T_EQ_STR(c->ikev2_enabled_ifaces[0], "outside");
	T_CHECK(c->ikev2_client_services);
	T_EQ_INT(c->ikev2_client_services_port, 443);
	T_EQ_INT(c->line_ikev2_enable, 26);
	T_EQ_STR(c->ikev2_ra_trustpoint, "Anu-ikev2");
	T_EQ_INT(c->line_ikev2_ra_trustpoint, 27);
	conf_unref(c);
}

static void seed_proposal_3des_is_aes256_aes_3des_des_with_sha1(void)
{
	struct conf *c = seed();
	if (!c)
		return;
	const struct conf_ipsec_proposal *p = conf_proposal(c, "3des");
	T_CHECK(p != NULL);
	if (!p) {
		conf_unref(c);
		return;
	}
	T_EQ_INT(p->n_encr, 4);
	T_EQ_INT(p->encr[0].id, 12);
	T_EQ_INT(p->encr[0].key_bits, 256);
	T_EQ_INT(p->encr[1].id, 12);
	T_EQ_INT(p->encr[1].key_bits, 128);
	T_EQ_INT(p->encr[2].id, 3);
	T_EQ_INT(p->encr[3].id, 2);
	T_EQ_INT(p->n_integ, 1);
	T_EQ_INT(p->integ[0], 2);
	T_EQ_INT(p->line, 8);
	T_EQ_INT(p->line_encr, 9);
	T_EQ_INT(p->line_integ, 10);
	conf_unref(c);
}

static void seed_dynamic_map_and_crypto_map(void)
{
	struct conf *c = seed();
	if (!c)
		return;
	T_EQ_INT(c->n_dynmaps, 1);
	T_EQ_STR(c->dynmaps[0].name, "dynmap");
	T_EQ_INT(c->dynmaps[0].seq, 1000);
	T_EQ_INT(c->dynmaps[0].n_ikev2_proposals, 1);
	T_EQ_STR(c->dynmaps[0].ikev2_proposals[0], "3des");
	T_EQ_INT(c->dynmaps[0].pfs_group, 0);
	T_EQ_INT(c->dynmaps[0].line_proposal, 11);
	T_EQ_INT(c->n_cmaps, 1);
	T_EQ_STR(c->cmaps[0].name, "crymap");
	T_EQ_INT(c->cmaps[0].seq, 10000);
	T_EQ_STR(c->cmaps[0].dynmap, "dynmap");
	T_EQ_INT(c->cmaps[0].line, 12);
	T_EQ_INT(c->n_cmap_bindings, 1);
	T_EQ_STR(c->cmap_bindings[0].name, "crymap");
	T_EQ_STR(c->cmap_bindings[0].ifname, "outside");
	T_EQ_INT(c->cmap_bindings[0].line, 13);
	T_EQ_INT(c->ipsec_lifetime_sec, 28800);
	T_EQ_INT(c->ipsec_lifetime_kb, 4608000);
	T_EQ_INT(c->replay_window, 64);
	conf_unref(c);
}

static void seed_trustpoint_enrolls_self(void)
{
	struct conf *c = seed();
	if (!c)
		return;
	const struct conf_trustpoint *t = conf_trustpoint(c, "Anu-ikev2");
	T_CHECK(t != NULL);
	if (t) {
		T_CHECK(t->enroll_self);
		T_CHECK(t->subject == NULL);
		T_CHECK(t->cert_file == NULL && t->key_file == NULL && t->ca_file == NULL);
		T_EQ_INT(t->line, 15);
	}
	conf_unref(c);
}

static void seed_group_policy_attributes_without_indentation(void)
{
	struct conf *c = seed();
	if (!c)
		return;
	const struct conf_group_policy *g = conf_group_policy(c, "ASA-IKEV2");
	T_CHECK(g != NULL);
	if (g) {
		T_CHECK(g->internal);
		T_EQ_INT(g->line, 38);
		T_CHECK(g->wins_set && g->n_wins == 0);
		T_EQ_INT(g->line_wins, 40);
		T_CHECK(g->dns_set && g->n_dns == 0);
		T_EQ_INT(g->line_dns, 41);
		T_CHECK(g->tunnel_protocols_set);
		T_EQ_INT(g->tunnel_protocols, TUNPROTO_IKEV2);
		T_EQ_INT(g->line_protocols, 42);
		T_CHECK(g->default_domain_set && g->default_domain == NULL);
		T_EQ_INT(g->line_domain, 43);
		T_CHECK(!g->idle_timeout_set);
	}
	/* DfltGrpPolicy plus the seed's own */
	T_EQ_INT(c->n_group_policies, 2);
	conf_unref(c);
}

static void seed_tunnel_group_general_and_alias(void)
{
	struct conf *c = seed();
	if (!c)
		return;
	T_EQ_INT(c->n_tunnel_groups, 1);
	const struct conf_tunnel_group *t = conf_tunnel_group(c, "ASA-IKEV2");
	T_CHECK(t != NULL);
	if (t) {
		T_CHECK(t->remote_access);
		T_EQ_INT(t->line, 50);
		T_EQ_INT(t->n_address_pools, 1);
		T_EQ_STR(t->address_pools[0], "webvpn1");
		T_EQ_INT(t->line_pool, 52);
		T_EQ_STR(t->default_group_policy, "ASA-IKEV2");
		T_EQ_INT(t->line_gp, 53);
		T_EQ_INT(t->n_group_aliases, 1);
		T_EQ_STR(t->group_aliases[0], "ASA-IKEV2");
		T_EQ_INT(t->line_alias, 55);
		T_EQ_INT(t->ikev2_remote_auth, AUTH_UNSET);
		T_EQ_INT(t->keepalive_threshold, 10);
		T_EQ_INT(t->keepalive_retry, 2);
	}
	T_CHECK(conf_tunnel_group(c, "DefaultRAGroup") == NULL);
	conf_unref(c);
}

static void seed_user_has_cisco_md5_password_privilege_15(void)
{
	struct conf *c = seed();
	if (!c)
		return;
	const struct conf_user *u = conf_user(c, "Anu");
	T_CHECK(u != NULL);
	if (u) {
		T_EQ_INT(u->kind, PW_CISCO_MD5);
		T_EQ_STR(u->password, "lAuoFgF7KmB3D0WI");
		T_EQ_INT(u->privilege, 15);
		T_EQ_INT(u->line, 48);
	}
	conf_unref(c);
}

static void seed_not_used_lines_are_kept_with_their_line_numbers(void)
{
	static const struct { int line; const char *text; } want[] = {
		{ 3, "security-level 0" },
		{ 17, "crl configure" },
		{ 28, "ssl encryption 3des-sha1 aes128-sha1 aes256-sha1 des-sha1" },
		{ 29, "ssl trust-point Anu-ikev2 outside" },
		{ 31, "webvpn" },
		{ 32, "enable outside" },
		{ 33, "anyconnect image disk0:/anyconnect-win-3.0.1047-k9.pkg 1" },
		{ 34, "anyconnect profiles Anyconnect-ikev2 disk0:/anyconnect-ikev2.xml" },
		{ 35, "anyconnect enable" },
		{ 36, "tunnel-group-list enable" },
		{ 44, "webvpn" },
		{ 45, "anyconnect modules value dart" },
		{ 46, "anyconnect profiles value Anyconnect-ikev2 type user" },
	};
	size_t nw = sizeof(want) / sizeof(want[0]);
	struct conf *c = seed();
	if (!c)
		return;
	T_EQ_INT(c->n_unused, nw);
	T_EQ_INT(count_kind(DIAG_UNUSED), nw);
	for (size_t i = 0; i < nw && i < c->n_unused; i++) {
		T_EQ_INT(c->unused[i].line, want[i].line);
		T_EQ_STR(c->unused[i].text, want[i].text);
		T_CHECK(has_diag(DIAG_UNUSED, want[i].line, want[i].text));
	}
	conf_unref(c);
}

/* ---- built-ins and inheritance ------------------------------------------------- */

static void dfltgrppolicy_always_exists_with_asa_defaults(void)
{
	struct conf *c = parse("hostname gw\n");
	T_CHECK(c != NULL);
	if (!c)
		return;
	const struct conf_group_policy *d = conf_group_policy(c, "DfltGrpPolicy");
	T_CHECK(d != NULL);
	if (d) {
		T_EQ_INT(d->idle_timeout_min, 30);
		T_EQ_INT(d->tunnel_protocols, TUNPROTO_IKEV1 | TUNPROTO_IKEV2 |
						      TUNPROTO_L2TP_IPSEC | TUNPROTO_SSL_CLIENT);
		T_EQ_INT(d->split_policy, SPLIT_TUNNELALL);
		T_EQ_INT(d->n_dns, 0);
	}
	T_EQ_INT(c->n_tunnel_groups, 0);
	conf_unref(c);
}

static void dfltgrppolicy_can_be_configured_and_is_inherited(void)
{
	struct conf *c = parse("group-policy DfltGrpPolicy attributes\n"
			       " dns-server value 10.1.0.53 10.1.0.54\n"
			       " vpn-idle-timeout 45\n"
			       "group-policy GP internal\n"
			       "group-policy GP attributes\n"
			       " vpn-idle-timeout none\n"
			       " banner value Welcome\n"
			       " banner value to the lab\n");
	T_CHECK(c != NULL);
	if (!c) {
		dump_diags();
		return;
	}
	struct conf_group_policy e;
	T_CHECK(conf_gp_effective(c, "GP", &e) == &e);
	T_EQ_INT(e.n_dns, 2);
	T_EQ_INT(e.dns[1], 0x0a010036);
	T_EQ_INT(e.line_dns, 2);          /* decided by DfltGrpPolicy */
	T_EQ_INT(e.idle_timeout_min, 0);  /* GP's "none" */
	T_EQ_INT(e.line_idle, 6);
	T_EQ_INT(e.tunnel_protocols, TUNPROTO_IKEV1 | TUNPROTO_IKEV2 | TUNPROTO_L2TP_IPSEC |
					     TUNPROTO_SSL_CLIENT);
	T_EQ_INT(e.line_protocols, 0);    /* built-in default */
	T_EQ_STR(e.banner, "Welcome\nto the lab");
	T_EQ_STR(e.name, "GP");
	T_CHECK(conf_gp_effective(c, NULL, &e) != NULL);
	T_EQ_INT(e.idle_timeout_min, 45);
	T_CHECK(conf_gp_effective(c, "nope", &e) == NULL);
	conf_unref(c);
}

static void default_ra_group_exists_only_when_configured(void)
{
	struct conf *c = parse("ip local pool P 10.2.0.1-10.2.0.9\n"
			       "tunnel-group DefaultRAGroup general-attributes\n"
			       " address-pool P\n");
	T_CHECK(c != NULL);
	if (!c) {
		dump_diags();
		return;
	}
	const struct conf_tunnel_group *t = conf_tunnel_group(c, "DefaultRAGroup");
	T_CHECK(t && t->remote_access && t->n_address_pools == 1);
	conf_unref(c);
}

static void lookups_by_alias_and_acl_entries(void)
{
	struct conf *c = parse("access-list SPLIT standard permit 10.1.0.0 255.255.0.0\n"
			       "access-list OTHER standard deny host 10.9.9.9\n"
			       "access-list SPLIT extended permit ip 172.16.0.0 255.240.0.0 any\n"
			       "access-list SPLIT extended permit tcp any any eq 80\n"
			       "tunnel-group TG type remote-access\n"
			       "tunnel-group TG webvpn-attributes\n"
			       " group-alias Staff enable\n");
	T_CHECK(c != NULL);
	if (!c) {
		dump_diags();
		return;
	}
	T_CHECK(conf_tunnel_group_by_alias(c, "Staff") == conf_tunnel_group(c, "TG"));
	T_CHECK(conf_tunnel_group_by_alias(c, "TG") == conf_tunnel_group(c, "TG"));
	T_CHECK(conf_tunnel_group_by_alias(c, "staff") == NULL);
	const struct conf_acl_entry *e[4];
	T_EQ_INT(conf_acl_entries(c, "SPLIT", e, 4), 2);
	T_EQ_INT(e[0]->addr, 0x0a010000);
	T_EQ_INT(e[0]->mask, 0xffff0000);
	T_EQ_INT(e[1]->addr, 0xac100000);
	T_EQ_INT(e[1]->mask, 0xfff00000);
	T_EQ_INT(conf_acl_entries(c, "OTHER", e, 4), 1);
	T_CHECK(!e[0]->permit && e[0]->mask == 0xffffffff);
	T_CHECK(has_diag(DIAG_UNUSED, 4, "eq 80"));
	conf_unref(c);
}

static void ikev2_policies_are_sorted_by_priority_with_asa_defaults(void)
{
	struct conf *c = parse("crypto ikev2 policy 30\n"
			       " encryption aes-gcm-256\n"
			       " integrity null\n"
			       " prf sha384\n"
			       " group 20 19\n"
			       "crypto ikev2 policy 5\n"
			       "crypto ikev2 policy 20\n"
			       " encryption aes-256 aes\n");
	T_CHECK(c != NULL);
	if (!c) {
		dump_diags();
		return;
	}
	T_EQ_INT(c->n_ikev2_policies, 3);
	T_EQ_INT(c->ikev2_policies[0].priority, 5);
	T_EQ_INT(c->ikev2_policies[1].priority, 20);
	T_EQ_INT(c->ikev2_policies[2].priority, 30);
	const struct conf_ikev2_policy *d = &c->ikev2_policies[0];
	T_EQ_INT(d->n_encr, 1);
	T_EQ_INT(d->encr[0].id, 3);
	T_EQ_INT(d->n_integ, 1);
	T_EQ_INT(d->integ[0], 2);
	T_EQ_INT(d->n_prf, 1);
	T_EQ_INT(d->prf[0], 2);
	T_EQ_INT(d->n_group, 2);
	T_EQ_INT(d->lifetime_sec, 86400);
	const struct conf_ikev2_policy *g = &c->ikev2_policies[2];
	T_EQ_INT(g->encr[0].id, 20);
	T_EQ_INT(g->encr[0].key_bits, 256);
	T_EQ_INT(g->n_integ, 0);
	T_EQ_INT(g->prf[0], 6);
	T_EQ_INT(g->group[0], 20);
	T_EQ_INT(g->group[1], 19);
	conf_unref(c);
}

/* ---- broken variants: each error names its line ---------------------------------- */

static void bad_ip_address_is_an_error_on_its_line(void)
{
	expect_error("interface Ethernet0/1\n"
		     " nameif outside\n"
		     " ip address 10.0.0.300 255.255.255.0\n", 3, "10.0.0.300");
	expect_error("ip local pool P 10.2.2.1-10.2.2\n", 1, "10.2.2.1-10.2.2");
	expect_error("interface E0\n ip address 10.0.0.1 255.0.255.0\n", 2, "netmask");
}

static void unknown_keyword_in_a_known_mode_is_an_error_on_its_line(void)
{
	expect_error("crypto ikev2 policy 10\n"
		     " encryption aes\n"
		     " integrty sha\n", 3, "integrty");
	expect_error("crypto ikev2 policy 10\n"
		     " encryption aes-512\n", 2, "aes-512");
	expect_error("group-policy G internal\n"
		     "group-policy G attributes\n"
		     " dns-servers value 1.1.1.1\n", 3, "group-policy attributes");
	/* an indented line belongs to the current mode, even a global command */
	expect_error("crypto ipsec ikev2 ipsec-proposal P\n"
		     " protocol esp encryption aes\n"
		     " ip local pool X 10.0.0.1-10.0.0.2\n", 3, "unknown command");
}

static void pool_referencing_unknown_is_an_error_on_the_referencing_line(void)
{
	expect_error("ip local pool webvpn1 10.2.2.1-10.2.2.10\n"
		     "tunnel-group T type remote-access\n"
		     "tunnel-group T general-attributes\n"
		     " address-pool webvpn2\n", 4, "webvpn2");
	expect_error("group-policy G internal\n"
		     "group-policy G attributes\n"
		     " address-pools value nopool\n", 3, "nopool");
}

static void reversed_and_overlapping_pools_are_errors(void)
{
	expect_error("ip local pool P 10.2.2.10-10.2.2.1\n", 1, "reversed");
	expect_error("ip local pool A 10.2.2.1-10.2.2.10\n"
		     "!\n"
		     "ip local pool B 10.2.2.10-10.2.2.20\n", 3, "overlaps");
	expect_error("ip local pool A 10.2.2.1-10.2.2.10\n"
		     "ip local pool A 10.3.2.1-10.3.2.10\n", 2, "already defined");
}

static void missing_argument_is_an_error_on_its_line(void)
{
	expect_error("hostname gw\ncrypto ikev2 policy\n", 2, "missing priority");
	expect_error("ip local pool P\n", 1, "missing");
	expect_error("crypto map cm 10 ipsec-isakmp dynamic\n", 1, "missing");
	expect_error("tunnel-group T type remote-access\n"
		     "tunnel-group T general-attributes\n"
		     " default-group-policy\n", 3, "missing");
}

static void unknown_references_are_errors_on_the_referencing_line(void)
{
	/* group-policy */
	expect_error("tunnel-group T type remote-access\n"
		     "tunnel-group T general-attributes\n"
		     " default-group-policy NOPE\n", 3, "NOPE");
	/* trustpoint */
	expect_error("crypto ikev2 remote-access trustpoint TP\n", 1, "TP");
	expect_error("tunnel-group T type remote-access\n"
		     "tunnel-group T ipsec-attributes\n"
		     " ikev2 local-authentication certificate TP\n", 3, "TP");
	/* proposal */
	expect_error("crypto dynamic-map D 1 set ikev2 ipsec-proposal NOPROP\n", 1, "NOPROP");
	/* dynamic-map */
	expect_error("crypto map CM 10 ipsec-isakmp dynamic NODYN\n", 1, "NODYN");
	/* interface */
	expect_error("interface E0\n nameif outside\n"
		     "crypto ikev2 enable inside\n", 3, "inside");
	expect_error("interface E0\n nameif outside\n"
		     "crypto ipsec ikev2 ipsec-proposal P\n protocol esp encryption aes\n"
		     " protocol esp integrity sha-1\n"
		     "crypto dynamic-map D 1 set ikev2 ipsec-proposal P\n"
		     "crypto map CM 10 ipsec-isakmp dynamic D\n"
		     "crypto map CM interface dmz\n", 8, "dmz");
	/* user -> group-policy, split-tunnel ACL */
	expect_error("username u nopassword\nusername u attributes\n vpn-group-policy X\n", 3, "X");
	expect_error("group-policy G internal\ngroup-policy G attributes\n"
		     " split-tunnel-network-list value NOACL\n", 3, "NOACL");
	/* objects that must exist before their attributes */
	expect_error("group-policy G attributes\n", 1, "does not exist");
	expect_error("tunnel-group T general-attributes\n", 1, "does not exist");
	expect_error("aaa-server R (inside) host 10.1.0.5\n", 1, "does not exist");
}

static void errors_do_not_cascade_into_the_lines_below(void)
{
	struct conf *c = parse("crypto ikev2 policy x\n"
			       " encryption aes\n"
			       " integrity sha\n"
			       "hostname gw\n");
	T_CHECK(c == NULL);
	T_EQ_INT(D.n_errors, 1);
	T_CHECK(has_diag(DIAG_ERROR, 1, "priority"));
	T_EQ_INT(count_kind(DIAG_UNUSED), 0);
	conf_unref(c);
}

static void crypto_algorithm_combinations_are_checked(void)
{
	expect_error("crypto ikev2 policy 1\n encryption aes\n integrity null\n", 3, "null");
	expect_error("crypto ipsec ikev2 ipsec-proposal P\n protocol esp encryption aes\n", 1,
		     "integrity");
	expect_error("crypto ipsec ikev2 ipsec-proposal P\n protocol esp integrity sha-1\n", 1,
		     "encryption");
	struct conf *c = parse("crypto ipsec ikev2 ipsec-proposal G\n"
			       " protocol esp encryption aes-gcm-256 aes-gmac\n"
			       " protocol esp integrity null\n");
	T_CHECK(c != NULL);
	if (c)
		T_EQ_INT(c->proposals[0].integ[0], 0);
	conf_unref(c);
}

/* ---- lexer and mode placement ------------------------------------------------- */

static void crlf_comments_and_show_run_header_are_skipped(void)
{
	struct conf *c = parse(": Saved\r\n"
			       ":\r\n"
			       "! a comment\r\n"
			       "!--- an annotation\r\n"
			       "\r\n"
			       "hostname gw \r\n"
			       "   \t \r\n"
			       "domain-name lab.example\r\n"
			       ": end");
	T_CHECK(c != NULL);
	if (!c) {
		dump_diags();
		return;
	}
	T_EQ_STR(c->hostname, "gw");
	T_EQ_STR(c->domain_name, "lab.example");
	T_EQ_INT(D.n, 0);
	conf_unref(c);
}

static void quoted_strings_keep_their_blanks(void)
{
	struct conf *c = parse("group-policy \"Sales Team\" internal\n"
			       "group-policy \"Sales Team\" attributes\n"
			       " default-domain value \"corp example\"\n"
			       "username \"j doe\" password \"pass word\" privilege 3\n");
	T_CHECK(c != NULL);
	if (!c) {
		dump_diags();
		return;
	}
	const struct conf_group_policy *g = conf_group_policy(c, "Sales Team");
	T_CHECK(g && g->default_domain && strcmp(g->default_domain, "corp example") == 0);
	const struct conf_user *u = conf_user(c, "j doe");
	T_CHECK(u && u->kind == PW_PLAIN && strcmp(u->password, "pass word") == 0);
	T_CHECK(u && u->privilege == 3);
	conf_unref(c);
	expect_error("username u password \"abc privilege 3\n", 1, "unbalanced");
}

static void control_characters_are_refused(void)
{
	static const char t[] = "hostname gw\nhostname a\x01" "b\n";
	conf_diags_free(&D);
	struct conf *c = conf_parse(t, sizeof(t) - 1, "t.conf", &D);
	T_CHECK(c == NULL);
	T_CHECK(has_diag(DIAG_ERROR, 2, "control"));
	static const char z[] = "hostname gw\nhost\0name x\n";
	conf_diags_free(&D);
	c = conf_parse(z, sizeof(z) - 1, "t.conf", &D);
	T_CHECK(c == NULL);
	T_CHECK(has_diag(DIAG_ERROR, 2, "NUL"));
}

static const char indented[] =
	"crypto ikev2 policy 10\n"
	" encryption aes-256\n"
	" integrity sha256\n"
	"crypto ca trustpoint TP\n"
	" enrollment terminal\n"
	" ravpn certificate-file /etc/ravpn/gw.pem\n"
	" ravpn key-file /etc/ravpn/gw.key\n"
	" ravpn ca-file /etc/ravpn/ca.pem\n"
	"group-policy G internal\n"
	"group-policy G attributes\n"
	" dns-server value 10.1.0.53\n"
	" webvpn\n"
	"  anyconnect keep-installer installed\n"
	" vpn-idle-timeout 10\n"
	"ip local pool P 10.2.0.1-10.2.0.50 mask 255.255.255.0\n"
	"tunnel-group T type remote-access\n"
	"tunnel-group T general-attributes\n"
	" address-pool P\n"
	" default-group-policy G\n"
	"tunnel-group T ipsec-attributes\n"
	" ikev2 remote-authentication eap query-identity\n"
	" ikev2 local-authentication certificate TP\n"
	" isakmp keepalive threshold 30 retry 5\n";

static void submodes_work_without_indentation(void)
{
	/* the same configuration with every indentation removed */
	char flat[sizeof(indented)];
	size_t o = 0;
	bool bol = true;
	for (size_t i = 0; indented[i]; i++) {
		if (bol && indented[i] == ' ')
			continue;
		bol = indented[i] == '\n';
		flat[o++] = indented[i];
	}
	flat[o] = '\0';
	struct conf *a = parse(indented);
	T_CHECK(a != NULL);
	if (!a)
		dump_diags();
	size_t unused_a = count_kind(DIAG_UNUSED);
	struct conf *b = parse(flat);
	T_CHECK(b != NULL);
	if (!b)
		dump_diags();
	T_EQ_INT(count_kind(DIAG_UNUSED), unused_a);
	T_CHECK(conf_equal(a, b));
	if (b) {
		const struct conf_group_policy *g = conf_group_policy(b, "G");
		/* after the webvpn sub-mode, vpn-idle-timeout is again group-policy's */
		T_CHECK(g && g->idle_timeout_set && g->idle_timeout_min == 10);
		const struct conf_tunnel_group *t = conf_tunnel_group(b, "T");
		T_CHECK(t && t->ikev2_remote_auth == AUTH_EAP && t->eap_query_identity);
		T_CHECK(t && t->keepalive_threshold == 30 && t->keepalive_retry == 5);
		const struct conf_trustpoint *tp = conf_trustpoint(b, "TP");
		T_CHECK(tp && !tp->enroll_self && tp->ca_file &&
			strcmp(tp->ca_file, "/etc/ravpn/ca.pem") == 0);
	}
	conf_unref(a);
	conf_unref(b);
}

static void unknown_global_blocks_are_kept_as_not_used(void)
{
	struct conf *c = parse("object network inside-net\n"
			       " subnet 10.1.0.0 255.255.0.0\n"
			       "crypto ca certificate chain TP\n"
			       " certificate 01\n"
			       "    308201e5 3082014e\n"
			       "  quit\n"
			       "hostname gw\n"
			       "no failover\n");
	T_CHECK(c != NULL);
	if (!c) {
		dump_diags();
		return;
	}
	for (int l = 1; l <= 6; l++)
		T_CHECK(has_diag(DIAG_UNUSED, l, NULL));
	T_CHECK(has_diag(DIAG_UNUSED, 8, "no failover"));
	T_EQ_STR(c->hostname, "gw");
	conf_unref(c);
}

/* ---- secrets -------------------------------------------------------------------- */

static bool diags_contain(const char *s)
{
	for (size_t i = 0; i < D.n; i++)
		if (D.d[i].msg && strstr(D.d[i].msg, s))
			return true;
	return false;
}

static void secrets_never_appear_in_diagnostics(void)
{
	struct conf *c = parse("enable password Sup3rSecret encrypted\n"
			       "snmp-server community Comm1Secret\n"
			       "ntp authentication-key 1 md5 NtpSecret\n"
			       "tunnel-group T type remote-access\n"
			       "tunnel-group T ipsec-attributes\n"
			       " ikev1 pre-shared-key Psk5ecret\n");
	T_CHECK(c != NULL);
	T_CHECK(!diags_contain("Sup3rSecret"));
	T_CHECK(!diags_contain("Comm1Secret"));
	T_CHECK(!diags_contain("NtpSecret"));
	T_CHECK(!diags_contain("Psk5ecret"));
	T_CHECK(has_diag(DIAG_UNUSED, 1, "enable password *****"));
	for (size_t i = 0; c && i < c->n_unused; i++)
		T_CHECK(strstr(c->unused[i].text, "Secret") == NULL);
	conf_unref(c);
	/* a key with a blank (not quoted) is an error that does not echo it */
	c = parse("tunnel-group T type remote-access\n"
		  "tunnel-group T ipsec-attributes\n"
		  " ikev2 remote-authentication pre-shared-key my Hidden key\n"
		  "username bob password pass Hidden2 privilege 3\n");
	T_CHECK(c == NULL);
	T_CHECK(has_diag(DIAG_ERROR, 3, NULL));
	T_CHECK(has_diag(DIAG_ERROR, 4, NULL));
	T_CHECK(!diags_contain("Hidden"));
	T_CHECK(!diags_contain("my"));
	conf_unref(c);
}

static void writer_masks_secrets_and_masked_output_is_refused(void)
{
	struct conf *c = parse("username bob password Bob-pass1 privilege 3\n"
			       "tunnel-group T type remote-access\n"
			       "tunnel-group T ipsec-attributes\n"
			       " ikev2 remote-authentication pre-shared-key RemoteKey1\n"
			       " ikev2 local-authentication pre-shared-key LocalKey1\n"
			       " ikev1 pre-shared-key GroupKey1\n"
			       "aaa-server R protocol radius\n"
			       "aaa-server R host 10.1.0.5\n"
			       " key RadKey1\n");
	T_CHECK(c != NULL);
	if (!c) {
		dump_diags();
		return;
	}
	char *s = conf_write(c, false);
	T_CHECK(s != NULL);
	if (s) {
		T_CHECK(!strstr(s, "Bob-pass1") && !strstr(s, "RemoteKey1") &&
			!strstr(s, "LocalKey1") && !strstr(s, "GroupKey1") && !strstr(s, "RadKey1"));
		T_CHECK(strstr(s, "username bob password ***** privilege 3") != NULL);
		T_CHECK(strstr(s, " key *****\n") != NULL);
		struct conf *m = parse(s);
		T_CHECK(m == NULL);   /* "*****" is never taken as a secret */
		T_CHECK(diags_contain("masked"));
		conf_unref(m);
	}
	free(s);
	s = conf_write(c, true);
	T_CHECK(s && strstr(s, "RemoteKey1") && strstr(s, "RadKey1") && strstr(s, "Bob-pass1"));
	free(s);
	conf_unref(c);
}

/* ---- writer round trip ------------------------------------------------------------ */

static void round_trip(const char *what, struct conf *c)
{
	T_CHECK(c != NULL);
	if (!c) {
		fprintf(stderr, "  %s did not parse:\n", what);
		dump_diags();
		return;
	}
	char *s = conf_write(c, true);
	T_CHECK(s != NULL);
	struct conf *r = s ? parse(s) : NULL;
	T_CHECK(r != NULL);
	if (!r) {
		fprintf(stderr, "  %s: writer output did not parse:\n%s\n", what, s ? s : "");
		dump_diags();
	}
	bool eq = conf_equal(c, r);
	T_CHECK(eq);
	if (!eq)
		fprintf(stderr, "  %s: model changed through the writer:\n%s\n", what, s);
	/* and the writer is stable: writing the re-parsed model gives the same text */
	char *s2 = r ? conf_write(r, true) : NULL;
	T_CHECK(s && s2 && strcmp(s, s2) == 0);
	free(s);
	free(s2);
	conf_unref(r);
	conf_unref(c);
}

static void write_then_parse_gives_an_equal_model_for_the_seed(void)
{
	round_trip("seed", seed());
}

static void write_then_parse_gives_an_equal_model_for_the_demo(void)
{
	round_trip("demo", load("examples/ravpn-demo.conf"));
}

static void write_then_parse_gives_an_equal_model_for_the_pix_config(void)
{
	round_trip("pix", load("tests/unit/conf/pix-6.3.conf"));
}

static const char rich[] =
	"hostname \"gw one\"\n"
	"domain-name lab.example\n"
	"interface GigabitEthernet0/0\n"
	" nameif outside\n"
	" security-level 0\n"
	" ip address 192.0.2.1 255.255.255.0 standby 192.0.2.2\n"
	"interface GigabitEthernet0/1\n"
	" shutdown\n"
	"access-list SPLIT standard permit 10.1.0.0 255.255.0.0\n"
	"access-list SPLIT standard deny any4\n"
	"ip local pool P1 10.2.0.1-10.2.0.100 mask 255.255.255.0\n"
	"ip local pool P2 10.3.0.1\n"
	"crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac\n"
	"crypto ipsec transform-set TS2 esp-3des\n"
	"crypto ipsec ikev2 ipsec-proposal AES\n"
	" protocol esp encryption aes-gcm-256 aes-256\n"
	" protocol esp integrity sha-256 null\n"
	"crypto ipsec security-association lifetime seconds 3600\n"
	"crypto ipsec security-association lifetime kilobytes 100000\n"
	"crypto ipsec security-association replay window-size 1024\n"
	"crypto dynamic-map DYN 20 set ikev2 ipsec-proposal AES\n"
	"crypto dynamic-map DYN 20 set ikev1 transform-set TS TS2\n"
	"crypto dynamic-map DYN 20 set pfs group14\n"
	"crypto dynamic-map DYN 20 set security-association lifetime seconds 7200 kilobytes 50000\n"
	"crypto dynamic-map DYN 20 set reverse-route\n"
	"crypto dynamic-map DYN 10 set pfs\n"
	"crypto map CM 65535 ipsec-isakmp dynamic DYN\n"
	"crypto map CM interface outside\n"
	"crypto ca trustpoint TP\n"
	" enrollment self\n"
	" subject-name CN=gw.lab.example, O=Lab \"quoted\n"
	" fqdn gw.lab.example\n"
	"crypto ikev2 policy 1\n"
	" encryption aes-gcm-256 aes-gcm\n"
	" integrity null\n"
	" group 21 20 19\n"
	" prf sha512 sha256\n"
	" lifetime seconds 43200\n"
	"crypto ikev2 enable outside\n"
	"crypto ikev2 remote-access trustpoint TP\n"
	"crypto ikev2 cookie-challenge 500\n"
	"no crypto ikev2 fragmentation\n"
	"crypto ikev1 enable outside\n"
	"crypto ikev1 policy 10\n"
	" authentication pre-share\n"
	" encryption aes-256\n"
	" hash sha\n"
	" group 5\n"
	" lifetime 3600\n"
	"crypto isakmp identity hostname\n"
	"crypto isakmp nat-traversal 30\n"
	"group-policy DfltGrpPolicy attributes\n"
	" vpn-tunnel-protocol ikev1 ikev2\n"
	"group-policy GP internal\n"
	"group-policy GP attributes\n"
	" banner value Line one\n"
	" banner value Line \"two\n"
	" wins-server value 10.1.0.2\n"
	" dns-server value 10.1.0.53 10.1.0.54\n"
	" vpn-idle-timeout none\n"
	" vpn-tunnel-protocol ikev2 ssl-client\n"
	" split-tunnel-policy tunnelspecified\n"
	" split-tunnel-network-list value SPLIT\n"
	" default-domain value lab.example\n"
	" address-pools value P1 P2\n"
	"group-policy GP2 internal\n"
	"group-policy GP2 attributes\n"
	" banner none\n"
	" address-pools none\n"
	" split-tunnel-network-list none\n"
	" vpn-tunnel-protocol none\n"
	"username alice password 0123456789abcdef0123456789ABCDEF nt-encrypted privilege 2\n"
	"username bob password \"two words\" privilege 7\n"
	"username carol nopassword\n"
	"username bob attributes\n"
	" vpn-group-policy GP\n"
	" service-type remote-access\n"
	"aaa-server RAD protocol RADIUS\n"
	"aaa-server RAD (outside) host 192.0.2.10\n"
	" key \"radius key\"\n"
	" authentication-port 1812\n"
	" accounting-port 1813\n"
	" timeout 5\n"
	" retry-interval 3\n"
	"aaa-server TAC protocol tacacs+\n"
	"aaa-server TAC host 192.0.2.11 tackey timeout 20\n"
	"tunnel-group TG type remote-access\n"
	"tunnel-group TG general-attributes\n"
	" address-pool (outside) P1 P2\n"
	" authentication-server-group (outside) RAD LOCAL\n"
	" authorization-server-group LOCAL\n"
	" accounting-server-group RAD\n"
	" default-group-policy GP\n"
	"tunnel-group TG webvpn-attributes\n"
	" group-alias Alias1 enable\n"
	" group-alias Alias2 enable\n"
	"tunnel-group TG ipsec-attributes\n"
	" ikev1 pre-shared-key \"group key\"\n"
	" isakmp keepalive disable\n"
	" ikev2 remote-authentication pre-shared-key 0 remotekey\n"
	" ikev2 local-authentication pre-shared-key localkey\n"
	"tunnel-group DefaultRAGroup type remote-access\n"
	"tunnel-group L2L type ipsec-l2l\n"
	"tunnel-group TG2 type ipsec-ra\n"
	"tunnel-group TG2 ipsec-attributes\n"
	" ikev2 remote-authentication certificate\n"
	" ikev2 local-authentication certificate TP\n"
	" isakmp keepalive threshold 60 retry 10\n"
	"ravpn tun-name ravpn0\n"
	"ravpn tun-mtu 1400\n";

static void write_then_parse_gives_an_equal_model_for_every_feature(void)
{
	struct conf *c = parse(rich);
	if (c) {
		/* spot checks that the features really were read */
		T_EQ_STR(c->hostname, "gw one");
		T_EQ_INT(c->n_ifaces, 2);
		T_CHECK(c->ifaces[1].shutdown);
		T_CHECK(has_diag(DIAG_WARNING, 6, "standby"));
		T_EQ_INT(c->pools[1].first, c->pools[1].last);
		T_EQ_INT(c->transform_sets[1].auth_alg, 0);
		T_EQ_INT(c->n_dynmaps, 2);
		T_EQ_INT(c->dynmaps[0].seq, 10);   /* sorted by (name, seq) */
		T_EQ_INT(c->dynmaps[0].pfs_group, 2);
		T_EQ_INT(c->dynmaps[1].pfs_group, 14);
		T_EQ_INT(c->dynmaps[1].lifetime_kb, 50000);
		T_EQ_STR(c->trustpoints[0].subject, "CN=gw.lab.example, O=Lab \"quoted");
		T_CHECK(!c->ikev2_fragmentation);
		T_EQ_INT(c->ikev2_cookie_threshold, 500);
		T_EQ_INT(c->ikev1_policies[0].encr, 7);
		T_EQ_INT(c->ikev1_policies[0].key_bits, 256);
		T_EQ_INT(c->isakmp_identity, 2);
		const struct conf_group_policy *g = conf_group_policy(c, "GP");
		T_CHECK(g && g->banner && strcmp(g->banner, "Line one\nLine \"two") == 0);
		T_CHECK(g && g->tunnel_protocols == (TUNPROTO_IKEV2 | TUNPROTO_SSL_CLIENT));
		const struct conf_user *u = conf_user(c, "alice");
		T_CHECK(u && u->kind == PW_NT_HASH);
		u = conf_user(c, "carol");
		T_CHECK(u && u->kind == PW_NONE && u->password == NULL && u->privilege == 2);
		T_EQ_STR(c->aaa_groups[0].protocol, "radius");
		T_EQ_INT(c->n_aaa_servers, 2);
		T_EQ_STR(c->aaa_servers[0].key, "radius key");
		T_EQ_INT(c->aaa_servers[0].auth_port, 1812);
		T_EQ_STR(c->aaa_servers[1].key, "tackey");
		T_EQ_INT(c->aaa_servers[1].timeout_sec, 20);
		const struct conf_tunnel_group *t = conf_tunnel_group(c, "TG");
		T_CHECK(t && t->authn_fallback_local && t->authn_server_ifname &&
			strcmp(t->authn_server_group, "RAD") == 0);
		T_CHECK(t && t->keepalive_disabled && t->ikev2_remote_auth == AUTH_PSK &&
			strcmp(t->ikev2_remote_psk, "remotekey") == 0);
		T_CHECK(conf_tunnel_group(c, "TG2") && conf_tunnel_group(c, "TG2")->remote_access);
		T_CHECK(conf_tunnel_group(c, "L2L") && !conf_tunnel_group(c, "L2L")->remote_access);
		T_EQ_STR(c->tun_name, "ravpn0");
		T_EQ_INT(c->tun_mtu, 1400);
	}
	round_trip("every feature", c);
}

static void conf_equal_sees_a_changed_value(void)
{
	struct conf *a = seed(), *b = seed();
	if (!a || !b) {
		conf_unref(a);
		conf_unref(b);
		T_CHECK(!"seed parses");
		return;
	}
	T_CHECK(conf_equal(a, b));
	b->pools[0].last--;
	T_CHECK(!conf_equal(a, b));
	b->pools[0].last++;
	b->tunnel_groups[0].keepalive_retry = 3;
	T_CHECK(!conf_equal(a, b));
	conf_unref(a);
	conf_unref(b);
}

/* ---- PIX 6 ------------------------------------------------------------------------ */

static void pix_config_maps_onto_the_ikev1_model(void)
{
	struct conf *c = load("tests/unit/conf/pix-6.3.conf");
	T_CHECK(c != NULL);
	if (!c) {
		dump_diags();
		return;
	}
	T_EQ_INT(D.n_errors, 0);
	const struct conf_interface *f = conf_iface_by_nameif(c, "outside");
	T_CHECK(f && strcmp(f->hwname, "ethernet0") == 0 && f->addr == 0xc0a80101);
	f = conf_iface_by_nameif(c, "inside");
	T_CHECK(f && f->security_level == 100);
	T_EQ_INT(c->n_ikev1_policies, 2);
	const struct conf_ikev1_policy *p = &c->ikev1_policies[0];
	T_CHECK(p->priority == 10 && p->auth == 1 && p->encr == 1 && p->hash == 1 &&
		p->group == 2 && p->lifetime_sec == 86400);
	T_EQ_INT(c->ikev1_policies[1].group, 1);
	T_EQ_INT(c->n_ikev1_enabled, 1);
	T_EQ_INT(c->n_isakmp_keys, 1);
	T_EQ_STR(c->isakmp_keys[0].key, "cisco1234");
	T_EQ_INT(c->isakmp_keys[0].mask, 0);
	T_EQ_INT(c->isakmp_identity, 1);
	T_EQ_STR(c->isakmp_client_pool, "VPNpool");
	T_EQ_INT(c->n_transform_sets, 1);
	T_EQ_INT(c->transform_sets[0].esp_id, 2);
	T_EQ_INT(c->transform_sets[0].auth_alg, 1);
	T_EQ_STR(c->dynmaps[0].transform_sets[0], "myset");
	T_EQ_INT(c->n_cmap_clients, 1);
	T_CHECK(c->cmap_clients[0].config_initiate && c->cmap_clients[0].config_respond);
	T_EQ_STR(c->cmap_clients[0].authn_server_group, "AuthInbound");
	const struct conf_tunnel_group *t = conf_tunnel_group(c, "vpn3000");
	T_CHECK(t && t->remote_access && t->ikev1_psk && strcmp(t->ikev1_psk, "grouppass123") == 0);
	T_CHECK(t && t->n_address_pools == 1 && strcmp(t->address_pools[0], "VPNpool") == 0);
	T_EQ_INT(t ? t->line_ikev1_psk : 0, 117);
	struct conf_group_policy e;
	T_CHECK(conf_gp_effective(c, "vpn3000", &e) && e.idle_timeout_min == 30 &&
		e.line_idle == 115);
	T_EQ_INT(c->n_aaa_servers, 1);
	T_EQ_STR(c->aaa_servers[0].key, "secretkey");
	T_EQ_STR(c->aaa_servers[0].ifname, "inside");
	T_EQ_INT(c->aaa_servers[0].timeout_sec, 10);
	/* lines outside the model, with their numbers; secrets masked */
	T_CHECK(has_diag(DIAG_UNUSED, 5, "PIX Version 6.3(3)"));
	T_CHECK(has_diag(DIAG_UNUSED, 10, "enable password ***** encrypted"));
	T_CHECK(has_diag(DIAG_UNUSED, 30, "access-list 120 permit icmp"));
	T_CHECK(has_diag(DIAG_UNUSED, 83, "sysopt connection permit-ipsec"));
	T_CHECK(has_diag(DIAG_UNUSED, 122, "Cryptochecksum"));
	T_CHECK(!diags_contain("secretkey") && !diags_contain("cisco1234") &&
		!diags_contain("grouppass123"));
	conf_unref(c);
}

/* ---- output formats and files ---------------------------------------------------------- */

static void diags_print_as_file_line_kind_message(void)
{
	struct conf *c = parse("ssl encryption aes256-sha1\n"
			       "interface E0\n ip address 10.0.0.1 255.255.255.0 standby 10.0.0.2\n"
			       "crypto ikev2 policy 0\n");
	T_CHECK(c == NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	conf_diags_print(&D, "gw.conf", f);
	fclose(f);
	T_CHECK(buf && strstr(buf, "gw.conf:1: not used by ravpn: ssl encryption aes256-sha1\n"));
	T_CHECK(buf && strstr(buf, "gw.conf:3: warning: "));
	T_CHECK(buf && strstr(buf, "gw.conf:4: error: "));
	free(buf);
}

static void load_reports_a_missing_file(void)
{
	conf_diags_free(&D);
	struct conf *c = conf_load("/nonexistent/ravpn.conf", &D);
	T_CHECK(c == NULL);
	T_EQ_INT(D.n_errors, 1);
	T_CHECK(D.n == 1 && D.d[0].line == 0 && strstr(D.d[0].msg, "cannot open"));
}

static void demo_config_uses_eap_and_a_plain_password(void)
{
	struct conf *c = load("examples/ravpn-demo.conf");
	T_CHECK(c != NULL);
	if (!c) {
		dump_diags();
		return;
	}
	T_EQ_INT(D.n_errors, 0);
	const struct conf_tunnel_group *t = conf_tunnel_group(c, "ASA-IKEV2");
	T_CHECK(t && t->ikev2_remote_auth == AUTH_EAP);
	T_CHECK(t && t->ikev2_local_auth == AUTH_CERT);
	const struct conf_user *u = conf_user(c, "Anu");
	T_CHECK(u && u->kind == PW_PLAIN);
	const struct conf_interface *f = conf_iface_by_nameif(c, "outside");
	T_CHECK(f && f->addr == 0x0a000001);
	conf_unref(c);
}

static void refcount_keeps_the_model_until_the_last_unref(void)
{
	struct conf *c = parse("hostname gw\n");
	T_CHECK(c && c->refs == 1);
	if (!c)
		return;
	T_CHECK(conf_ref(c) == c);
	T_EQ_INT(c->refs, 2);
	conf_unref(c);
	T_EQ_INT(c->refs, 1);
	T_EQ_STR(c->hostname, "gw");
	conf_unref(c);
	conf_unref(NULL);
}

static void alg_keywords_are_the_asa_spellings(void)
{
	T_EQ_STR(conf_alg_keyword(1, 12, 192, false), "aes-192");
	T_EQ_STR(conf_alg_keyword(1, 20, 256, true), "aes-gcm-256");
	T_EQ_STR(conf_alg_keyword(3, 2, 0, false), "sha");
	T_EQ_STR(conf_alg_keyword(3, 2, 0, true), "sha-1");
	T_EQ_STR(conf_alg_keyword(2, 5, 0, false), "sha256");
	T_CHECK(conf_alg_keyword(1, 99, 0, false) == NULL);
}

int main(void)
{
	T_RUN(seed_config_parses_without_errors);
	T_RUN(seed_interface_and_pool);
	T_RUN(seed_ikev2_policy_10_is_aes192_sha_group2_prf_sha_86400);
	T_RUN(seed_proposal_3des_is_aes256_aes_3des_des_with_sha1);
	T_RUN(seed_dynamic_map_and_crypto_map);
	T_RUN(seed_trustpoint_enrolls_self);
	T_RUN(seed_group_policy_attributes_without_indentation);
	T_RUN(seed_tunnel_group_general_and_alias);
	T_RUN(seed_user_has_cisco_md5_password_privilege_15);
	T_RUN(seed_not_used_lines_are_kept_with_their_line_numbers);
	T_RUN(dfltgrppolicy_always_exists_with_asa_defaults);
	T_RUN(dfltgrppolicy_can_be_configured_and_is_inherited);
	T_RUN(default_ra_group_exists_only_when_configured);
	T_RUN(lookups_by_alias_and_acl_entries);
	T_RUN(ikev2_policies_are_sorted_by_priority_with_asa_defaults);
	T_RUN(bad_ip_address_is_an_error_on_its_line);
	T_RUN(unknown_keyword_in_a_known_mode_is_an_error_on_its_line);
	T_RUN(pool_referencing_unknown_is_an_error_on_the_referencing_line);
	T_RUN(reversed_and_overlapping_pools_are_errors);
	T_RUN(missing_argument_is_an_error_on_its_line);
	T_RUN(unknown_references_are_errors_on_the_referencing_line);
	T_RUN(errors_do_not_cascade_into_the_lines_below);
	T_RUN(crypto_algorithm_combinations_are_checked);
	T_RUN(crlf_comments_and_show_run_header_are_skipped);
	T_RUN(quoted_strings_keep_their_blanks);
	T_RUN(control_characters_are_refused);
	T_RUN(submodes_work_without_indentation);
	T_RUN(unknown_global_blocks_are_kept_as_not_used);
	T_RUN(secrets_never_appear_in_diagnostics);
	T_RUN(writer_masks_secrets_and_masked_output_is_refused);
	T_RUN(write_then_parse_gives_an_equal_model_for_the_seed);
	T_RUN(write_then_parse_gives_an_equal_model_for_the_demo);
	T_RUN(write_then_parse_gives_an_equal_model_for_the_pix_config);
	T_RUN(write_then_parse_gives_an_equal_model_for_every_feature);
	T_RUN(conf_equal_sees_a_changed_value);
	T_RUN(pix_config_maps_onto_the_ikev1_model);
	T_RUN(diags_print_as_file_line_kind_message);
	T_RUN(load_reports_a_missing_file);
	T_RUN(demo_config_uses_eap_and_a_plain_password);
	T_RUN(refcount_keeps_the_model_until_the_last_unref);
	T_RUN(alg_keywords_are_the_asa_spellings);
	conf_diags_free(&D);
	T_DONE();
}
