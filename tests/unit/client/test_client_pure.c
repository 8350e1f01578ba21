/* Pure parts of ravpn-connect: the command line, the vpnc-script
 * environment, what we offer, traffic selector ranges, the EAP peer against
 * hand-built gateway packets, password sources. */
#include "../t.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/cli.h"
#include "client/eap_peer.h"
#include "client/hook.h"
#include "client/ini2.h"
#include "client/secret.h"
#include "crypto/crypto.h"
#include "wire/ikev2.h"

static int parse(struct cli_opts *o, char *err, const char *a0, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;
	argv[argc++] = (char *)"ravpn-connect";
	va_start(ap, a0);
	for (const char *a = a0; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	return cli_parse(argc, argv, o, err, 256);
}

static void cli_reads_gateway_port_group_user_and_defaults_to_mschapv2(void)
{
	struct cli_opts o;
	char err[256];
	char gw[] = "vpn.example:4501";
	T_EQ_INT(parse(&o, err, "--gateway", gw, "--group", "ASA-IKEV2", "--user", "Anu",
		       "--pin-cert", "gw.pem", "--password-fd", "3", NULL), 0);
	T_EQ_STR(o.gateway, "vpn.example");
	T_EQ_INT(o.port, 4501);
	T_EQ_STR(o.group, "ASA-IKEV2");
	T_EQ_INT(o.auth, INI2_EAP_MSCHAPV2);
	T_EQ_INT(o.password_fd, 3);
	T_EQ_STR(o.tun, "rvc0");
	T_EQ_INT(o.version, 2);
	char gw2[] = "10.0.0.1";
	T_EQ_INT(parse(&o, err, "-g", gw2, "--group", "ASA-PSK", "--no-tun", "--once", NULL), 0);
	T_EQ_INT(o.auth, INI2_PSK);                 /* no user: the group key */
	T_EQ_INT(o.port, 500);
	T_CHECK(o.no_tun && o.once);
}

static void cli_refuses_passwords_on_the_command_line_and_bad_combinations(void)
{
	struct cli_opts o;
	char err[256];
	char gw[] = "10.0.0.1";
	T_EQ_INT(parse(&o, err, "--gateway", gw, "--group", "G", "secret", NULL), -1);
	T_CHECK(strstr(err, "command line") != NULL);
	T_EQ_INT(parse(&o, err, "--group", "G", NULL), -1);                /* no gateway */
	char gw2[] = "10.0.0.1";
	T_EQ_INT(parse(&o, err, "--gateway", gw2, "--ca", "a", "--insecure", NULL), -1);
	char gw3[] = "10.0.0.1";
	T_EQ_INT(parse(&o, err, "--gateway", gw3, "--auth", "eap-gtc", NULL), -1);  /* no user */
	char gw4[] = "10.0.0.1";
	T_EQ_INT(parse(&o, err, "--gateway", gw4, "--auth", "eap-sim", NULL), -1);
	char gw5[] = "10.0.0.1:0";
	T_EQ_INT(parse(&o, err, "--gateway", gw5, NULL), -1);
	char gw6[] = "10.0.0.1";
	T_EQ_INT(parse(&o, err, "--gateway", gw6, "--password", "x", NULL), -1);
}

static void cli_ikev1_reads_group_user_pfs_and_the_group_password_descriptor(void)
{
	struct cli_opts o;
	char err[256];
	char gw[] = "10.0.0.1";
	T_EQ_INT(parse(&o, err, "--ikev1", "--gateway", gw, "--group", "RA-IKEV1", "--user",
		       "vpnuser1", "--group-password-fd", "4", "--password-fd", "5", "--pfs", "5",
		       "--dh", "2", NULL), 0);
	T_EQ_INT(o.version, 1);
	T_CHECK(o.version_set);
	T_EQ_STR(o.group, "RA-IKEV1");
	T_EQ_STR(o.user, "vpnuser1");
	T_EQ_INT(o.group_password_fd, 4);
	T_EQ_INT(o.password_fd, 5);
	T_EQ_INT(o.pfs, 5);
	T_EQ_INT(o.dh, 2);
	/* defaults: no group password descriptor, PFS as the gateway says */
	char gw2[] = "10.0.0.1";
	T_EQ_INT(parse(&o, err, "--ikev1", "-g", gw2, "-G", "G", "-u", "U", NULL), 0);
	T_EQ_INT(o.group_password_fd, -1);
	T_EQ_INT(o.pfs, 0);
	/* a profile alone leaves the version to the profile (a .pcf means IKEv1) */
	T_EQ_INT(parse(&o, err, "--profile", "x.pcf", NULL), 0);
	T_CHECK(!o.version_set);
	T_EQ_INT(parse(&o, err, "--profile", "x.pcf", "--ikev2", NULL), 0);
	T_CHECK(o.version_set && o.version == 2);
}

static void cli_ikev1_refuses_missing_xauth_user_eap_and_ikev1_options_under_ikev2(void)
{
	struct cli_opts o;
	char err[256];
	char gw[] = "10.0.0.1";
	T_EQ_INT(parse(&o, err, "--ikev1", "--gateway", gw, "--group", "G", NULL), -1);
	T_CHECK(strstr(err, "--user") != NULL);
	char gw2[] = "10.0.0.1";
	T_EQ_INT(parse(&o, err, "--ikev1", "--gateway", gw2, "--user", "U", NULL), -1);
	char gw3[] = "10.0.0.1";
	T_EQ_INT(parse(&o, err, "--ikev1", "--gateway", gw3, "-G", "G", "-u", "U", "--auth",
		       "eap-md5", NULL), -1);
	char gw4[] = "10.0.0.1";
	T_EQ_INT(parse(&o, err, "--gateway", gw4, "--pfs", "2", NULL), -1);      /* IKEv2 */
	char gw5[] = "10.0.0.1";
	T_EQ_INT(parse(&o, err, "--gateway", gw5, "--group-password-fd", "3", NULL), -1);
	char gw6[] = "10.0.0.1";
	T_EQ_INT(parse(&o, err, "--ikev1", "--gateway", gw6, "-G", "G", "-u", "U", "--pfs", "0",
		       NULL), -1);
	char gw7[] = "10.0.0.1";
	T_EQ_INT(parse(&o, err, "--ikev1", "--gateway", gw7, "-G", "G", "-u", "U",
		       "--group-password-fd", "x", NULL), -1);
	/* the group password is never an argument */
	char gw8[] = "10.0.0.1";
	T_EQ_INT(parse(&o, err, "--ikev1", "--gateway", gw8, "-G", "G", "-u", "U", "grouppass123",
		       NULL), -1);
	T_CHECK(strstr(err, "command line") != NULL);
}

static void exit_codes_tell_failure_classes_apart(void)
{
	T_EQ_INT(cli_exit_for(INI2_OK), 0);
	T_EQ_INT(cli_exit_for(INI2_ERR_AUTH), EXIT_AUTH);
	T_EQ_INT(cli_exit_for(INI2_ERR_PROPOSAL), EXIT_PROPOSAL);
	T_EQ_INT(cli_exit_for(INI2_ERR_TIMEOUT), EXIT_TIMEOUT);
	T_EQ_INT(cli_exit_for(INI2_ERR_CERT), EXIT_CERT);
	T_CHECK(EXIT_AUTH != EXIT_PROPOSAL && EXIT_PROPOSAL != EXIT_TIMEOUT);
}

static void hook_environment_has_vpnc_script_names_for_a_split_tunnel(void)
{
	struct ini2_lease l = { .addr = 0x0a02020a, .netmask = 0xffffff00, .n_dns = 2,
				.dns = { 0x0a010035, 0x0a010036 }, .n_split = 2 };
	strcpy(l.domain, "example.test");
	l.split[0] = (struct ini2_net){ 0x0a010000, 0xffffff00, 0, 0, 0 };
	l.split[1] = (struct ini2_net){ 0xc0a80000, 0xffff0000, 6, 443, 0 };
	struct hook_env e;
	T_EQ_INT(hook_env_build(&e, "connect", "10.0.0.1", "rvc0", &l, "Welcome"), 0);
	T_EQ_STR(hook_env_get(&e, "reason"), "connect");
	T_EQ_STR(hook_env_get(&e, "VPNGATEWAY"), "10.0.0.1");
	T_EQ_STR(hook_env_get(&e, "TUNDEV"), "rvc0");
	T_EQ_STR(hook_env_get(&e, "INTERNAL_IP4_ADDRESS"), "10.2.2.10");
	T_EQ_STR(hook_env_get(&e, "INTERNAL_IP4_NETMASK"), "255.255.255.0");
	T_EQ_STR(hook_env_get(&e, "INTERNAL_IP4_NETMASKLEN"), "24");
	T_EQ_STR(hook_env_get(&e, "INTERNAL_IP4_DNS"), "10.1.0.53 10.1.0.54");
	T_EQ_STR(hook_env_get(&e, "CISCO_DEF_DOMAIN"), "example.test");
	T_EQ_STR(hook_env_get(&e, "CISCO_BANNER"), "Welcome");
	T_EQ_STR(hook_env_get(&e, "CISCO_SPLIT_INC"), "2");
	T_EQ_STR(hook_env_get(&e, "CISCO_SPLIT_INC_0_ADDR"), "10.1.0.0");
	T_EQ_STR(hook_env_get(&e, "CISCO_SPLIT_INC_0_MASK"), "255.255.255.0");
	T_EQ_STR(hook_env_get(&e, "CISCO_SPLIT_INC_0_MASKLEN"), "24");
	T_EQ_STR(hook_env_get(&e, "CISCO_SPLIT_INC_1_MASKLEN"), "16");
	T_EQ_STR(hook_env_get(&e, "CISCO_SPLIT_INC_1_PROTOCOL"), "6");
	T_EQ_STR(hook_env_get(&e, "CISCO_SPLIT_INC_1_SPORT"), "443");
	T_EQ_STR(hook_env_get(&e, "CISCO_SPLIT_INC_1_DPORT"), "0");
	T_CHECK(hook_env_get(&e, "INTERNAL_IP4_NBNS") == NULL);
	hook_env_free(&e);
}

static void hook_environment_of_a_full_tunnel_has_no_split_and_pre_init_no_address(void)
{
	struct ini2_lease l = { .addr = 0x0a020201, .full_tunnel = true };
	struct hook_env e;
	T_EQ_INT(hook_env_build(&e, "connect", "10.0.0.1", "rvc0", &l, NULL), 0);
	T_CHECK(hook_env_get(&e, "CISCO_SPLIT_INC") == NULL);
	T_EQ_STR(hook_env_get(&e, "INTERNAL_IP4_NETMASK"), "255.255.255.255");
	T_CHECK(hook_env_get(&e, "INTERNAL_IP4_DNS") == NULL);
	hook_env_free(&e);
	T_EQ_INT(hook_env_build(&e, "pre-init", "10.0.0.1", "rvc0", NULL, NULL), 0);
	T_CHECK(hook_env_get(&e, "INTERNAL_IP4_ADDRESS") == NULL);
	T_EQ_STR(hook_env_get(&e, "reason"), "pre-init");
	hook_env_free(&e);
}

static void hook_script_sees_the_environment(void)
{
	char dir[] = "/tmp/ravpn-hook.XXXXXX", script[96], out[96], cmd[256];
	T_CHECK(mkdtemp(dir) != NULL);
	snprintf(script, sizeof(script), "%s/s.sh", dir);
	snprintf(out, sizeof(out), "%s/env", dir);
	FILE *f = fopen(script, "w");
	T_CHECK(f != NULL);
	if (!f)
		return;
	fprintf(f, "#!/bin/sh\necho \"$reason $TUNDEV $INTERNAL_IP4_ADDRESS\" > %s\nexit 3\n", out);
	fclose(f);
	T_EQ_INT(chmod(script, 0700), 0);
	struct ini2_lease l = { .addr = 0x0a020203 };
	struct hook_env e;
	T_EQ_INT(hook_env_build(&e, "connect", "10.0.0.1", "rvc7", &l, NULL), 0);
	T_EQ_INT(hook_run(script, &e), 3);
	hook_env_free(&e);
	char line[128] = "";
	f = fopen(out, "r");
	T_CHECK(f && fgets(line, sizeof(line), f));
	if (f)
		fclose(f);
	T_EQ_STR(line, "connect rvc7 10.2.2.3\n");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	T_EQ_INT(system(cmd), 0);
}

static bool has(const struct ikev2_proposal *p, uint8_t type, uint16_t id, uint16_t bits)
{
	for (unsigned i = 0; i < p->n_transforms; i++)
		if (p->t[i].type == type && p->t[i].id == id && p->t[i].key_bits == bits)
			return true;
	return false;
}

static void ike_offer_covers_the_asa_seed_suite_and_modern_ones(void)
{
	struct ikev2_sa o;
	ini2_ike_offer(&o);
	T_EQ_INT(o.n, 2);
	/* seed: AES-192, SHA-1, PRF SHA-1, group 2 */
	T_CHECK(has(&o.p[0], IKEV2_TRANS_ENCR, 12, 192));
	T_CHECK(has(&o.p[0], IKEV2_TRANS_INTEG, 2, 0));
	T_CHECK(has(&o.p[0], IKEV2_TRANS_PRF, 2, 0));
	T_CHECK(has(&o.p[0], IKEV2_TRANS_DH, 2, 0));
	/* modern: AES-GCM-256, PRF SHA-256, X25519, no integrity */
	T_CHECK(has(&o.p[1], IKEV2_TRANS_ENCR, 20, 256));
	T_CHECK(has(&o.p[1], IKEV2_TRANS_DH, 31, 0));
	T_CHECK(!has(&o.p[1], IKEV2_TRANS_INTEG, 2, 0));
	/* it encodes and parses back */
	struct buf b;
	struct ikev2_wr w;
	struct ikev2_hdr h = { .spi_i = 1, .exchange = IKEV2_IKE_SA_INIT, .flags = IKEV2_FLAG_INITIATOR };
	buf_init(&b);
	ikev2_w_begin(&w, &b, &h);
	ikev2_w_sa(&w, o.p, o.n);
	T_CHECK(ikev2_w_finish(&w));
	struct ikev2_msg *m = calloc(1, sizeof(*m));
	struct ikev2_parse_err err;
	T_EQ_INT(ikev2_parse_message(b.data, b.len, m, &err), 0);
	T_EQ_INT(m->sa.n, 2);
	T_EQ_INT(m->sa.p[0].n_transforms, o.p[0].n_transforms);
	free(m);
	buf_free(&b);
}

static void esp_offer_carries_our_spi_in_every_proposal(void)
{
	struct ikev2_sa o;
	ini2_esp_offer(&o, 0xc0ffee01);
	T_EQ_INT(o.n, 2);
	for (int i = 0; i < 2; i++) {
		T_EQ_INT(o.p[i].protocol, IKEV2_PROTO_ESP);
		T_EQ_INT(o.p[i].spi_size, 4);
		T_CHECK(memcmp(o.p[i].spi, "\xc0\xff\xee\x01", 4) == 0);
		T_CHECK(has(&o.p[i], IKEV2_TRANS_ESN, 0, 0));
	}
	T_CHECK(has(&o.p[1], IKEV2_TRANS_ENCR, 12, 256));
	T_CHECK(has(&o.p[1], IKEV2_TRANS_INTEG, 2, 0));
}

/* The gateway's rekey proposals: its first one we cover, one transform of
 * each type, the KE group; another group we have is named for
 * INVALID_KE_PAYLOAD; nothing of ours is NO_PROPOSAL_CHOSEN. */
static void pick_narrows_the_gateways_proposal_to_ours_and_the_ke_group(void)
{
	struct ikev2_sa ours, theirs = { .n = 2 };
	struct ikev2_proposal out;
	ini2_ike_offer(&ours);
	struct ikev2_proposal *a = &theirs.p[0], *b = &theirs.p[1];
	*a = (struct ikev2_proposal){ .num = 1, .protocol = IKEV2_PROTO_IKE, .spi_size = 8 };
	a->t[a->n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_ENCR, 3, 0, false };  /* 3DES */
	a->t[a->n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_PRF, 2, 0, false };
	a->t[a->n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_INTEG, 2, 0, false };
	a->t[a->n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_DH, 2, 0, false };
	*b = *a;
	b->num = 2;
	b->t[0] = (struct ikev2_transform){ IKEV2_TRANS_ENCR, 12, 192, false };
	b->t[b->n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_ENCR, 12, 128, false };
	b->t[b->n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_DH, 14, 0, false };
	T_EQ_INT(ini2_pick(&ours, &theirs, 14, &out), 0);
	T_EQ_INT(out.num, 2);
	T_EQ_INT(out.n_transforms, 4);                 /* ENCR, PRF, INTEG, DH */
	T_CHECK(out.t[0].id == 12 && out.t[0].key_bits == 192);
	T_CHECK(out.t[3].type == IKEV2_TRANS_DH && out.t[3].id == 14);
	T_EQ_INT(ini2_pick(&ours, &theirs, 21, &out), 2);     /* KE of a group it lacks */
	b->t[0].id = 3;
	b->t[b->n_transforms - 2].id = 3;
	T_EQ_INT(ini2_pick(&ours, &theirs, 14, &out), -1);
}

static void ts_ranges_become_networks_only_when_they_are_prefixes(void)
{
	static const struct { uint32_t s, e; bool ok; uint32_t a, m; } t[] = {
		{ 0, 0xffffffff, true, 0, 0 },
		{ 0x0a010000, 0x0a0100ff, true, 0x0a010000, 0xffffff00 },
		{ 0x0a020201, 0x0a020201, true, 0x0a020201, 0xffffffff },
		{ 0x0a010001, 0x0a0100ff, false, 0, 0 },        /* not aligned */
		{ 0x0a010000, 0x0a010002, false, 0, 0 },        /* not a power of two */
		{ 0x0a0100ff, 0x0a010000, false, 0, 0 },        /* reversed */
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint32_t a = 1, m = 1;
		bool ok = ini2_range_to_net(t[i].s, t[i].e, &a, &m);
		T_EQ_INT(ok, t[i].ok);
		if (ok && t[i].ok) {
			T_EQ_INT(a, t[i].a);
			T_EQ_INT(m, t[i].m);
		}
	}
}

static void eap_peer_answers_identity_naks_to_its_method_and_md5(void)
{
	struct eap_peer p;
	struct buf out;
	buf_init(&out);
	eap_peer_init(&p, EAP_TYPE_MD5, "Anu", "Anu-pass");
	static const uint8_t ident[] = { 1, 7, 0, 5, 1 };
	T_EQ_INT(eap_peer_process(&p, ident, sizeof(ident), &out), EAP_PEER_SEND);
	T_EQ_INT(out.len, 8);
	T_CHECK(out.len == 8 && memcmp(out.data, "\x02\x07\x00\x08\x01" "Anu", 8) == 0);
	static const uint8_t gtc[] = { 1, 8, 0, 14, 6, 'P', 'a', 's', 's', 'w', 'o', 'r', 'd', ':' };
	T_EQ_INT(eap_peer_process(&p, gtc, sizeof(gtc), &out), EAP_PEER_SEND);
	T_CHECK(out.len == 6 && memcmp(out.data, "\x02\x08\x00\x06\x03\x04", 6) == 0);
	uint8_t md5[] = { 1, 9, 0, 22, 4, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	T_EQ_INT(eap_peer_process(&p, md5, sizeof(md5), &out), EAP_PEER_SEND);
	uint8_t want[16], id = 9;
	T_EQ_INT(crypto_hash(HASH_MD5, &id, 1, (const uint8_t *)"Anu-pass", 8, md5 + 6, 16, want), 0);
	T_CHECK(out.len == 22 + 3 && out.data[4] == 4 && out.data[5] == 16);
	T_CHECK(out.len >= 22 && memcmp(out.data + 6, want, 16) == 0);
	static const uint8_t success[] = { 3, 9, 0, 4 };
	T_EQ_INT(eap_peer_process(&p, success, sizeof(success), &out), EAP_PEER_SUCCESS);
	T_CHECK(!p.have_msk);
	eap_peer_wipe(&p);
	buf_free(&out);
}

static void eap_peer_refuses_early_success_failure_and_malformed_packets(void)
{
	struct eap_peer p;
	struct buf out;
	buf_init(&out);
	eap_peer_init(&p, EAP_TYPE_MSCHAPV2, "Anu", "pw");
	static const uint8_t success[] = { 3, 1, 0, 4 };
	T_EQ_INT(eap_peer_process(&p, success, sizeof(success), &out), EAP_PEER_FAILURE);
	static const uint8_t failure[] = { 4, 1, 0, 4 };
	T_EQ_INT(eap_peer_process(&p, failure, sizeof(failure), &out), EAP_PEER_FAILURE);
	static const uint8_t lying_len[] = { 1, 1, 0, 200, 26, 1 };
	T_EQ_INT(eap_peer_process(&p, lying_len, sizeof(lying_len), &out), EAP_PEER_FAILURE);
	static const uint8_t short_chal[] = { 1, 1, 0, 10, 26, 1, 5, 0, 5, 16 };
	T_EQ_INT(eap_peer_process(&p, short_chal, sizeof(short_chal), &out), EAP_PEER_FAILURE);
	/* every truncation of a valid challenge fails cleanly */
	uint8_t chal[26 + 3] = { 1, 2, 0, 29, 26, 1, 2, 0, 24, 16 };
	memcpy(chal + 26, "gw", 2);
	for (size_t n = 0; n < sizeof(chal); n++)
		T_EQ_INT(eap_peer_process(&p, chal, n, &out), EAP_PEER_FAILURE);
	eap_peer_wipe(&p);
	buf_free(&out);
}

static void passwords_come_from_a_descriptor_or_the_environment(void)
{
	int fds[2];
	char pw[64];
	T_EQ_INT(pipe(fds), 0);
	T_EQ_INT(write(fds[1], "s3cret\r\nrest", 12), 12);
	close(fds[1]);
	T_EQ_INT(secret_get(fds[0], "RAVPN_TEST_PW", "x", pw, sizeof(pw)), 0);
	T_EQ_STR(pw, "s3cret");
	close(fds[0]);
	setenv("RAVPN_TEST_PW", "from-env", 1);
	T_EQ_INT(secret_get(-1, "RAVPN_TEST_PW", "x", pw, sizeof(pw)), 0);
	T_EQ_STR(pw, "from-env");
	unsetenv("RAVPN_TEST_PW");
	/* nothing: stdin of the test is not a terminal (or is, under a human) */
	if (!isatty(0))
		T_EQ_INT(secret_get(-1, "RAVPN_TEST_PW", "x", pw, sizeof(pw)), -1);
	/* too long for the buffer: refused, not truncated */
	T_EQ_INT(pipe(fds), 0);
	T_EQ_INT(write(fds[1], "0123456789", 10), 10);
	close(fds[1]);
	T_EQ_INT(secret_read_fd(fds[0], pw, 5), -1);
	close(fds[0]);
}

/* --group-password-fd N --password-fd N: IKEv1 reads the group password
 * first, then the XAUTH password, from the same descriptor. */
static void one_descriptor_carries_the_group_password_then_the_user_password(void)
{
	int fds[2];
	char grp[64], pw[64];
	T_EQ_INT(pipe(fds), 0);
	T_EQ_INT(write(fds[1], "grouppass123\nLab-v1-pass1\n", 26), 26);
	close(fds[1]);
	T_EQ_INT(secret_get(fds[0], "RAVPN_GROUP_PASSWORD", "x", grp, sizeof(grp)), 0);
	T_EQ_INT(secret_get(fds[0], "RAVPN_PASSWORD", "x", pw, sizeof(pw)), 0);
	T_EQ_STR(grp, "grouppass123");
	T_EQ_STR(pw, "Lab-v1-pass1");
	T_EQ_INT(secret_get(fds[0], NULL, "x", pw, sizeof(pw)), -1);     /* no third line */
	close(fds[0]);
}

int main(void)
{
	if (crypto_init() < 0)
		return 1;
	T_RUN(cli_reads_gateway_port_group_user_and_defaults_to_mschapv2);
	T_RUN(cli_refuses_passwords_on_the_command_line_and_bad_combinations);
	T_RUN(cli_ikev1_reads_group_user_pfs_and_the_group_password_descriptor);
	T_RUN(cli_ikev1_refuses_missing_xauth_user_eap_and_ikev1_options_under_ikev2);
	T_RUN(exit_codes_tell_failure_classes_apart);
	T_RUN(hook_environment_has_vpnc_script_names_for_a_split_tunnel);
	T_RUN(hook_environment_of_a_full_tunnel_has_no_split_and_pre_init_no_address);
	T_RUN(hook_script_sees_the_environment);
	T_RUN(ike_offer_covers_the_asa_seed_suite_and_modern_ones);
	T_RUN(esp_offer_carries_our_spi_in_every_proposal);
	T_RUN(pick_narrows_the_gateways_proposal_to_ours_and_the_ke_group);
	T_RUN(ts_ranges_become_networks_only_when_they_are_prefixes);
	T_RUN(eap_peer_answers_identity_naks_to_its_method_and_md5);
	T_RUN(eap_peer_refuses_early_success_failure_and_malformed_packets);
	T_RUN(passwords_come_from_a_descriptor_or_the_environment);
	T_RUN(one_descriptor_carries_the_group_password_then_the_user_password);
	T_DONE();
}
