/* conf/: the IKEv1 remote-access dialects read into the model: ASA 8.4+
 * (crypto ikev1 ...), ASA 7.x-8.3 (crypto isakmp ..., ipsec keywords) and
 * the PIX 6 vpngroup attributes the Cisco VPN Client gets; the writer gives
 * every one of them back (round trip) with the secrets masked. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../t.h"
#include "conf/conf.h"

static struct conf_diags D;

static struct conf *parse(const char *text)
{
	conf_diags_free(&D);
	struct conf *c = conf_parse(text, strlen(text), "t.conf", &D);
	if (!c)
		conf_diags_print(&D, "t.conf", stderr);
	return c;
}

static bool has_diag(enum conf_diag_kind kind, int line, const char *sub)
{
	for (size_t i = 0; i < D.n; i++)
		if (D.d[i].kind == kind && D.d[i].line == line && D.d[i].msg &&
		    (!sub || strstr(D.d[i].msg, sub)))
			return true;
	return false;
}

/* A realistic ASA 8.4 configuration for Cisco VPN Clients (vpnc): group
 * PSK in Aggressive Mode, XAUTH against the local users, Mode Config from
 * a pool, split tunnel. */
static const char asa84[] =
	"hostname vpngw\n"                                                   /* 1 */
	"interface GigabitEthernet0/0\n"
	" nameif outside\n"
	" security-level 0\n"
	" ip address 198.51.100.1 255.255.255.0\n"                          /* 5 */
	"access-list SPLIT standard permit 10.10.0.0 255.255.0.0\n"
	"ip local pool VPNPOOL 192.168.100.1-192.168.100.50 mask 255.255.255.0\n"
	"timeout uauth 0:10:00 inactivity\n"
	"crypto ipsec ikev1 transform-set ESP-AES256-SHA esp-aes-256 esp-sha-hmac\n"
	"crypto ipsec ikev1 transform-set ESP-3DES-MD5 esp-3des esp-md5-hmac\n"     /* 10 */
	"crypto ipsec ikev1 transform-set ESP-AES-SHA256 esp-aes esp-sha256-hmac\n"
	"crypto ipsec ikev1 transform-set ESP-DES-SHA esp-des esp-sha-hmac\n"
	"crypto ipsec ikev1 transform-set ESP-NULL-SHA esp-null esp-sha-hmac\n"
	"crypto dynamic-map DYN 10 set ikev1 transform-set ESP-AES256-SHA ESP-3DES-MD5 ESP-DES-SHA\n"
	"crypto dynamic-map DYN 10 set pfs group2\n"                         /* 15 */
	"crypto dynamic-map DYN 10 set security-association lifetime seconds 3600 kilobytes 250000\n"
	"crypto dynamic-map DYN 10 set reverse-route\n"
	"crypto map OUTSIDE_MAP 65535 ipsec-isakmp dynamic DYN\n"
	"crypto map OUTSIDE_MAP interface outside\n"
	"crypto ikev1 enable outside\n"                                      /* 20 */
	"crypto ikev1 policy 10\n"
	" authentication pre-share\n"
	" encryption aes-256\n"
	" hash sha\n"
	" group 2\n"                                                         /* 25 */
	" lifetime 86400\n"
	"crypto ikev1 policy 20\n"
	" authentication pre-share\n"
	" encryption 3des\n"
	" hash md5\n"                                                        /* 30 */
	" group 2\n"
	" lifetime 28800\n"
	"crypto isakmp nat-traversal 20\n"
	"group-policy VPNGP internal\n"
	"group-policy VPNGP attributes\n"                                    /* 35 */
	" banner value Authorized users only\n"
	" wins-server value 10.10.0.3\n"
	" dns-server value 10.10.0.53 10.10.0.54\n"
	" vpn-idle-timeout 30\n"
	" vpn-session-timeout 720\n"                                         /* 40 */
	" vpn-tunnel-protocol ikev1\n"
	" password-storage enable\n"
	" pfs enable\n"
	" split-tunnel-policy tunnelspecified\n"
	" split-tunnel-network-list value SPLIT\n"                           /* 45 */
	" default-domain value corp.example\n"
	" split-dns value corp.example lab.example\n"
	" address-pools value VPNPOOL\n"
	"username alice password Alice-pass1 privilege 0\n"
	"username alice attributes\n"                                        /* 50 */
	" vpn-group-policy VPNGP\n"
	"username bob password Bob-pass1 privilege 0\n"
	"tunnel-group VPNGROUP type remote-access\n"
	"tunnel-group VPNGROUP general-attributes\n"
	" address-pool VPNPOOL\n"                                            /* 55 */
	" authentication-server-group LOCAL\n"
	" default-group-policy VPNGP\n"
	"tunnel-group VPNGROUP ipsec-attributes\n"
	" ikev1 pre-shared-key GroupSecret1\n"
	" ikev1 user-authentication (outside) xauth\n"                       /* 60 */
	" isakmp keepalive threshold 20 retry 5\n"
	"tunnel-group NOXAUTH type remote-access\n"
	"tunnel-group NOXAUTH ipsec-attributes\n"
	" ikev1 pre-shared-key OtherSecret2\n"
	" ikev1 user-authentication none\n"                                  /* 65 */
	"crypto ikev1 am-disable\n";

static void asa84_ikev1_policies_are_read_with_their_lines(void)
{
	struct conf *c = parse(asa84);
	T_CHECK(c != NULL);
	if (!c)
		return;
	T_EQ_INT(D.n_errors, 0);
	T_EQ_INT(c->n_ikev1_policies, 2);
	const struct conf_ikev1_policy *p = &c->ikev1_policies[0];
	T_EQ_INT(p->priority, 10);
	T_EQ_INT(p->auth, 1);
	T_EQ_INT(p->encr, 7);
	T_EQ_INT(p->key_bits, 256);
	T_EQ_INT(p->hash, 2);
	T_EQ_INT(p->group, 2);
	T_EQ_INT(p->lifetime_sec, 86400);
	T_EQ_INT(p->line_encr, 23);
	T_EQ_INT(p->line_group, 25);
	p = &c->ikev1_policies[1];
	T_CHECK(p->priority == 20 && p->encr == 5 && p->key_bits == 0 && p->hash == 1 &&
		p->lifetime_sec == 28800);
	T_EQ_INT(p->line_hash, 30);
	T_EQ_INT(c->n_ikev1_enabled, 1);
	T_EQ_STR(c->ikev1_enabled_ifaces[0], "outside");
	T_CHECK(c->isakmp_nat_traversal && c->isakmp_nat_keepalive == 20);
	T_CHECK(c->ikev1_am_disabled);
	T_EQ_INT(c->line_ikev1_am_disable, 66);
	T_EQ_INT(c->uauth_timeout_sec, 600);
	T_CHECK(c->uauth_inactivity);
	conf_unref(c);
}

static void asa84_transform_sets_and_dynamic_map_are_read(void)
{
	struct conf *c = parse(asa84);
	T_CHECK(c != NULL);
	if (!c)
		return;
	T_EQ_INT(c->n_transform_sets, 5);
	const struct conf_transform_set *t = c->transform_sets;
	T_CHECK(t[0].esp_id == 12 && t[0].key_bits == 256 && t[0].auth_alg == 2);
	T_CHECK(t[1].esp_id == 3 && t[1].auth_alg == 1);
	T_CHECK(t[2].esp_id == 12 && t[2].key_bits == 128 && t[2].auth_alg == 5);
	T_CHECK(t[3].esp_id == 2 && t[3].auth_alg == 2);
	T_CHECK(t[4].esp_id == 11 && t[4].auth_alg == 2);
	T_EQ_INT(c->n_dynmaps, 1);
	const struct conf_dynmap_entry *e = &c->dynmaps[0];
	T_EQ_INT(e->n_transform_sets, 3);
	T_EQ_STR(e->transform_sets[2], "ESP-DES-SHA");
	T_EQ_INT(e->pfs_group, 2);
	T_EQ_INT(e->lifetime_sec, 3600);
	T_EQ_INT(e->lifetime_kb, 250000);
	T_CHECK(e->reverse_route);
	T_EQ_INT(c->n_cmaps, 1);
	T_EQ_STR(c->cmaps[0].dynmap, "DYN");
	T_EQ_INT(c->cmaps[0].seq, 65535);
	conf_unref(c);
}

static void asa84_group_policy_has_the_unity_attributes(void)
{
	struct conf *c = parse(asa84);
	T_CHECK(c != NULL);
	if (!c)
		return;
	struct conf_group_policy e;
	T_CHECK(conf_gp_effective(c, "VPNGP", &e) != NULL);
	T_CHECK(e.tunnel_protocols == TUNPROTO_IKEV1);
	T_CHECK(e.pfs && e.pfs_set);
	T_EQ_INT(e.line_pfs, 43);
	T_CHECK(e.password_storage);
	T_EQ_INT(e.line_password_storage, 42);
	T_EQ_INT(e.idle_timeout_min, 30);
	T_EQ_INT(e.session_timeout_min, 720);
	T_EQ_INT(e.line_session_timeout, 40);
	T_EQ_INT(e.n_split_dns, 2);
	T_EQ_STR(e.split_dns[1], "lab.example");
	T_EQ_INT(e.split_policy, SPLIT_TUNNELSPECIFIED);
	T_EQ_STR(e.split_acl, "SPLIT");
	T_EQ_STR(e.default_domain, "corp.example");
	T_EQ_STR(e.banner, "Authorized users only");
	T_EQ_INT(e.n_dns, 2);
	T_EQ_INT(e.n_wins, 1);
	T_EQ_STR(e.address_pools[0], "VPNPOOL");
	/* DfltGrpPolicy: no PFS, no password storage, no session timeout */
	T_CHECK(conf_gp_effective(c, NULL, &e) != NULL);
	T_CHECK(!e.pfs && !e.password_storage && e.session_timeout_min == 0 &&
		e.n_split_dns == 0 && e.line_pfs == 0);
	conf_unref(c);
}

static void asa84_tunnel_groups_carry_psk_and_user_authentication(void)
{
	struct conf *c = parse(asa84);
	T_CHECK(c != NULL);
	if (!c)
		return;
	const struct conf_tunnel_group *t = conf_tunnel_group(c, "VPNGROUP");
	T_CHECK(t != NULL);
	if (t) {
		T_CHECK(t->remote_access);
		T_EQ_STR(t->ikev1_psk, "GroupSecret1");
		T_EQ_INT(t->line_ikev1_psk, 59);
		T_EQ_INT(t->ikev1_user_auth, V1UAUTH_XAUTH);
		T_EQ_STR(t->ikev1_user_auth_ifname, "outside");
		T_EQ_INT(t->line_ikev1_user_auth, 60);
		T_CHECK(t->keepalive_threshold == 20 && t->keepalive_retry == 5);
		T_EQ_STR(t->default_group_policy, "VPNGP");
		T_EQ_STR(t->authn_server_group, "LOCAL");
		T_EQ_STR(t->address_pools[0], "VPNPOOL");
	}
	t = conf_tunnel_group(c, "NOXAUTH");
	T_CHECK(t && t->ikev1_user_auth == V1UAUTH_NONE && !t->ikev1_user_auth_ifname);
	const struct conf_user *u = conf_user(c, "alice");
	T_CHECK(u && u->group_policy && strcmp(u->group_policy, "VPNGP") == 0);
	conf_unref(c);
}

/* write, parse, compare; and the masked form hides every IKEv1 secret */
static void round_trip(const char *what, const char *text)
{
	struct conf *c = parse(text);
	T_CHECK(c != NULL);
	if (!c)
		return;
	char *s = conf_write(c, true);
	struct conf *r = s ? parse(s) : NULL;
	T_CHECK(r != NULL);
	bool eq = conf_equal(c, r);
	T_CHECK(eq);
	if (!eq || !r)
		fprintf(stderr, "  %s: model changed through the writer:\n%s\n", what, s ? s : "");
	char *s2 = r ? conf_write(r, true) : NULL;
	T_CHECK(s && s2 && strcmp(s, s2) == 0);
	free(s);
	free(s2);
	conf_unref(r);
	conf_unref(c);
}

static void asa84_round_trips_through_the_writer(void)
{
	round_trip("asa84", asa84);
}

static void asa84_running_config_shows_ikev1_lines_with_secrets_masked(void)
{
	struct conf *c = parse(asa84);
	T_CHECK(c != NULL);
	if (!c)
		return;
	char *s = conf_write(c, false);
	T_CHECK(s != NULL);
	if (s) {
		static const char *const want[] = {
			"timeout uauth 0:10:00 inactivity\n",
			"crypto ipsec ikev1 transform-set ESP-AES-SHA256 esp-aes esp-sha256-hmac\n",
			"crypto ipsec ikev1 transform-set ESP-NULL-SHA esp-null esp-sha-hmac\n",
			"crypto dynamic-map DYN 10 set ikev1 transform-set ESP-AES256-SHA "
			"ESP-3DES-MD5 ESP-DES-SHA\n",
			"crypto dynamic-map DYN 10 set pfs group2\n",
			"crypto dynamic-map DYN 10 set security-association lifetime seconds 3600 "
			"kilobytes 250000\n",
			"crypto ikev1 enable outside\n",
			"crypto ikev1 am-disable\n",
			"crypto ikev1 policy 20\n authentication pre-share\n encryption 3des\n"
			" hash md5\n group 2\n lifetime 28800\n",
			" vpn-session-timeout 720\n",
			" password-storage enable\n",
			" pfs enable\n",
			" split-dns value corp.example lab.example\n",
			"tunnel-group VPNGROUP ipsec-attributes\n ikev1 pre-shared-key *****\n"
			" ikev1 user-authentication (outside) xauth\n"
			" isakmp keepalive threshold 20 retry 5\n",
			" ikev1 user-authentication none\n",
			"username alice password ***** privilege 0\n",
		};
		for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
			if (!strstr(s, want[i])) {
				fprintf(stderr, "  missing from show run: %s", want[i]);
				T_CHECK(!"line in show running-config");
			}
		T_CHECK(!strstr(s, "GroupSecret1") && !strstr(s, "OtherSecret2") &&
			!strstr(s, "Alice-pass1"));
		/* xauth on every interface is the default and not written */
		T_CHECK(!strstr(s, "user-authentication xauth"));
	}
	free(s);
	conf_unref(c);
}

/* ASA 7.x-8.3 spellings of the same things */
static const char asa82[] =
	"crypto ipsec transform-set TS esp-3des esp-sha-hmac\n"
	"crypto dynamic-map DYN 10 set transform-set TS\n"
	"crypto dynamic-map DYN 10 set pfs\n"
	"crypto map CM 65535 ipsec-isakmp dynamic DYN\n"
	"crypto isakmp enable outside\n"                                     /* 5 */
	"crypto isakmp policy 10\n"
	" authentication crack\n"
	" encryption des\n"
	" hash sha\n"
	" group 1\n"                                                         /* 10 */
	"crypto isakmp policy 30\n"
	" authentication rsa-sig\n"
	" encryption aes-192\n"
	" group 14\n"
	"crypto isakmp am-disable\n"                                         /* 15 */
	"no crypto isakmp nat-traversal\n"
	"group-policy GP internal\n"
	"group-policy GP attributes\n"
	" vpn-tunnel-protocol IPSec webvpn\n"
	" pfs disable\n"                                                     /* 20 */
	" password-storage disable\n"
	" split-dns none\n"
	" vpn-session-timeout none\n"
	"tunnel-group TG type ipsec-ra\n"
	"tunnel-group TG ipsec-attributes\n"                                 /* 25 */
	" pre-shared-key Secret82\n"
	" isakmp ikev1-user-authentication hybrid\n"
	"interface Ethernet0/0\n"
	" nameif outside\n";

static void asa82_spellings_map_onto_the_same_model(void)
{
	struct conf *c = parse(asa82);
	T_CHECK(c != NULL);
	if (!c)
		return;
	T_EQ_INT(D.n_errors, 0);
	T_CHECK(has_diag(DIAG_WARNING, 7, "CRACK"));
	T_EQ_INT(c->n_ikev1_policies, 2);
	T_EQ_INT(c->ikev1_policies[0].auth, CONF_IKEV1_AUTH_CRACK);
	T_CHECK(c->ikev1_policies[0].encr == 1 && c->ikev1_policies[0].group == 1);
	/* attributes not given keep the defaults, with no line */
	const struct conf_ikev1_policy *p = &c->ikev1_policies[1];
	T_CHECK(p->auth == 3 && p->encr == 7 && p->key_bits == 192 && p->hash == 2 &&
		p->group == 14 && p->lifetime_sec == 86400);
	T_EQ_INT(p->line_hash, 0);
	T_EQ_INT(p->line_lifetime, 0);
	T_CHECK(c->ikev1_am_disabled && !c->isakmp_nat_traversal);
	T_EQ_INT(c->dynmaps[0].pfs_group, 2);
	T_EQ_STR(c->dynmaps[0].transform_sets[0], "TS");
	const struct conf_group_policy *g = conf_group_policy(c, "GP");
	T_CHECK(g && g->tunnel_protocols == (TUNPROTO_IKEV1 | TUNPROTO_SSL_CLIENTLESS));
	T_CHECK(g && g->pfs_set && !g->pfs && g->password_storage_set && !g->password_storage);
	T_CHECK(g && g->split_dns_set && g->n_split_dns == 0);
	T_CHECK(g && g->session_timeout_set && g->session_timeout_min == 0);
	const struct conf_tunnel_group *t = conf_tunnel_group(c, "TG");
	T_CHECK(t && t->ikev1_psk && strcmp(t->ikev1_psk, "Secret82") == 0);
	T_CHECK(t && t->ikev1_user_auth == V1UAUTH_HYBRID);
	T_EQ_INT(t ? t->line_ikev1_user_auth : 0, 27);
	conf_unref(c);
	round_trip("asa82", asa82);
}

static void pix_vpngroup_pfs_max_time_and_split_dns_fill_the_group_policy(void)
{
	struct conf *c = parse("vpngroup RA address-pool POOL\n"
			       "vpngroup RA pfs\n"
			       "vpngroup RA max-time 3601\n"
			       "vpngroup RA split-dns corp.example lab.example\n"
			       "vpngroup RA backup-server 192.0.2.9\n"
			       "ip local pool POOL 10.0.0.1-10.0.0.9\n");
	T_CHECK(c != NULL);
	if (!c)
		return;
	struct conf_group_policy e;
	T_CHECK(conf_gp_effective(c, "RA", &e) != NULL);
	T_CHECK(e.pfs);
	T_EQ_INT(e.line_pfs, 2);
	T_EQ_INT(e.session_timeout_min, 61);
	T_CHECK(has_diag(DIAG_WARNING, 3, "rounded up"));
	T_EQ_INT(e.n_split_dns, 2);
	T_EQ_STR(e.split_dns[0], "corp.example");
	T_CHECK(has_diag(DIAG_UNUSED, 5, "backup-server"));
	conf_unref(c);
}

static void bad_ikev1_values_are_errors_on_their_line(void)
{
	struct conf *c = parse("group-policy GP internal\n"
			       "group-policy GP attributes\n"
			       " pfs maybe\n");
	T_CHECK(c == NULL && has_diag(DIAG_ERROR, 3, "enable"));
	conf_unref(c);
	c = parse("tunnel-group TG type remote-access\n"
		  "tunnel-group TG ipsec-attributes\n"
		  " ikev1 user-authentication sometimes\n");
	T_CHECK(c == NULL && has_diag(DIAG_ERROR, 3, "xauth"));
	conf_unref(c);
	c = parse("timeout uauth 5 minutes\n");
	T_CHECK(c == NULL && has_diag(DIAG_ERROR, 1, "H:MM:SS"));
	conf_unref(c);
	c = parse("timeout uauth 0:61:00\n");
	T_CHECK(c == NULL && has_diag(DIAG_ERROR, 1, "H:MM:SS"));
	conf_unref(c);
	c = parse("crypto ipsec ikev1 transform-set T esp-aes esp-sha999-hmac\n");
	T_CHECK(c == NULL && has_diag(DIAG_ERROR, 1, "esp-sha999-hmac"));
	conf_unref(c);
	/* an unknown attribute stays a diagnostic with its line number */
	c = parse("crypto ikev1 policy 5\n encryption aes\n prf sha\n");
	T_CHECK(c == NULL && has_diag(DIAG_ERROR, 3, "prf"));
	conf_unref(c);
}

int main(void)
{
	T_RUN(asa84_ikev1_policies_are_read_with_their_lines);
	T_RUN(asa84_transform_sets_and_dynamic_map_are_read);
	T_RUN(asa84_group_policy_has_the_unity_attributes);
	T_RUN(asa84_tunnel_groups_carry_psk_and_user_authentication);
	T_RUN(asa84_round_trips_through_the_writer);
	T_RUN(asa84_running_config_shows_ikev1_lines_with_secrets_masked);
	T_RUN(asa82_spellings_map_onto_the_same_model);
	T_RUN(pix_vpngroup_pfs_max_time_and_split_dns_fill_the_group_policy);
	T_RUN(bad_ikev1_values_are_errors_on_their_line);
	conf_diags_free(&D);
	T_DONE();
}
