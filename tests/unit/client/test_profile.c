/* Profile parsers of ravpn-connect: Cisco .pcf files, the enc_GroupPwd
 * obfuscation, AnyConnect XML profiles.
 *
 * The enc_GroupPwd vectors were checked against an independent
 * implementation, cisco-decrypt from Debian's vpnc package: it decrypts
 * every string below to the plaintext given here.  The first one is a
 * real profile value published on the web (a university's group
 * password, which is the group name, as the profile itself says). */
#include "client/profile.h"

#include "crypto/crypto.h"
#include "t.h"

#include <stdbool.h>
#include <unistd.h>

static char err[512];

/* ---- fixtures ------------------------------------------------------------ */

/* The fixtures folder, found from the directory the test runs in (the
 * repository top for `make check`, the build folder for `meson test`) or
 * from this file's path. */
static const char *fixture(const char *name)
{
	static char path[1024];
	static const char *const dirs[] = {
		"tests/unit/client/fixtures", "../tests/unit/client/fixtures",
		"../../tests/unit/client/fixtures", "../../../tests/unit/client/fixtures",
	};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		if (access(path, R_OK) == 0)
			return path;
	}
	const char *slash = strrchr(__FILE__, '/');
	snprintf(path, sizeof(path), "%.*s/fixtures/%s", slash ? (int)(slash - __FILE__) : 1,
		 slash ? __FILE__ : ".", name);
	return path;
}

static int pcf(const char *text, struct client_profile *p)
{
	return profile_parse_pcf(text, strlen(text), p, err, sizeof(err));
}

static int xml(const char *text, const char *host, struct client_profile *p)
{
	return profile_parse_xml(text, strlen(text), host, p, err, sizeof(err));
}

static bool has(const char *hay, const char *needle)
{
	if (!strstr(hay, needle)) {
		fprintf(stderr, "    \"%s\" lacks \"%s\"\n", hay, needle);
		return false;
	}
	return true;
}

/* ---- enc_GroupPwd -------------------------------------------------------- */

#define PUBLIC_ENC "F992230153F51928672DF6C7B9C61EF8437252CFBE28C1101EF1A119D077E93C" \
		   "CCEEE4FE72E8A2DF5EC384E005F77577CCA7CCCA231FE9D8"

static const struct {
	const char *plain;
	const char *hex;        /* salt 00 01 .. 13 */
} cpwd_vectors[] = {
	{ "a", "000102030405060708090A0B0C0D0E0F10111213563003E13B784B728F87B20B672BAFBF"
	       "AF68C5AC94EA7B118EBC4BAD" },
	{ "1234567", "000102030405060708090A0B0C0D0E0F1011121383BCD27AF52B30B5495B7E16EF84C0AA"
		     "4D69B465060F5DA0CED9F6B0" },
	/* A multiple of 8: a whole block of padding follows. */
	{ "12345678", "000102030405060708090A0B0C0D0E0F10111213CB0A2194FD71FA1227E0ECCAB321912F"
		      "C30646D258BA0545A2859EFBACE5183453604587" },
	{ "0123456789abcdef", "000102030405060708090A0B0C0D0E0F101112132AF827485D97C2CEA730D0E4F33A2A25"
			      "986859A2216897095DABD087884299F873F43D65963A1913B1E48373" },
};

static void cisco_decrypt_reads_a_published_enc_group_pwd(void)
{
	char out[64];
	T_EQ_INT(cisco_pwd_decrypt(PUBLIC_ENC, out, sizeof(out)), 0);
	T_EQ_STR(out, "student.uit.no");
}

static void cisco_encrypt_with_fixed_salt_matches_cisco_decrypt_vectors(void)
{
	unsigned char salt[20];
	char hex[600], back[300];
	for (int i = 0; i < 20; i++)
		salt[i] = (unsigned char)i;
	for (size_t i = 0; i < sizeof(cpwd_vectors) / sizeof(cpwd_vectors[0]); i++) {
		T_EQ_INT(cisco_pwd_encrypt_salt(cpwd_vectors[i].plain, salt, hex, sizeof(hex)), 0);
		T_EQ_STR(hex, cpwd_vectors[i].hex);
		T_EQ_INT(cisco_pwd_decrypt(cpwd_vectors[i].hex, back, sizeof(back)), 0);
		T_EQ_STR(back, cpwd_vectors[i].plain);
	}
}

/* salt[19] = 0xff: the key derivation's +1 and +3 wrap around to 0 and 2. */
static void cisco_key_derivation_wraps_the_last_salt_byte(void)
{
	char out[64];
	T_EQ_INT(cisco_pwd_decrypt("ECEDEEEFF0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF7E5C82686A08518E07998D07"
				   "D58CA1EB4A346313A2824FB8AD9FD5D15BC8791A637B968D", out, sizeof(out)), 0);
	T_EQ_STR(out, "wrap-around");
}

static void cisco_encrypt_uses_a_fresh_salt_and_round_trips(void)
{
	char a[600], b[600], back[300];
	const char *pw = "Gr0up \xe9 secret with 8-bit bytes";
	T_EQ_INT(cisco_pwd_encrypt(pw, a, sizeof(a)), 0);
	T_EQ_INT(cisco_pwd_encrypt(pw, b, sizeof(b)), 0);
	T_CHECK(strcmp(a, b) != 0);
	T_EQ_INT(cisco_pwd_decrypt(a, back, sizeof(back)), 0);
	T_EQ_STR(back, pw);
	T_EQ_INT(cisco_pwd_decrypt(b, back, sizeof(back)), 0);
	T_EQ_STR(back, pw);
}

static void cisco_encrypt_rejects_what_does_not_fit(void)
{
	char big[257], hex[1024];
	memset(big, 'x', 256);
	big[256] = '\0';
	T_EQ_INT(cisco_pwd_encrypt(big, hex, sizeof(hex)), -1);   /* 256 > 255 */
	big[255] = '\0';
	T_EQ_INT(cisco_pwd_encrypt(big, hex, sizeof(hex)), 0);
	/* 5 bytes pad to 8: 40 + 8 bytes of blob = 96 hex digits + NUL */
	T_EQ_INT(cisco_pwd_encrypt("short", hex, 96), -1);
	T_EQ_INT(cisco_pwd_encrypt("short", hex, 97), 0);
	T_EQ_INT(strlen(hex), 96);
	/* 8 bytes pad to 16: 112 hex digits + NUL */
	T_EQ_INT(cisco_pwd_encrypt("12345678", hex, 112), -1);
	T_EQ_INT(cisco_pwd_encrypt("12345678", hex, 113), 0);
}

/* Re-checksum a modified blob so the test reaches the padding check. */
static void resum(char *hex)
{
	uint8_t blob[300], sum[20];
	size_t n = t_unhex(hex, blob, sizeof(blob));
	char after = hex[80];
	T_EQ_INT(crypto_hash(HASH_SHA1, blob + 40, n - 40, NULL, 0, NULL, 0, sum), 0);
	for (int i = 0; i < 20; i++)
		snprintf(hex + 40 + 2 * i, 3, "%02X", sum[i]);
	hex[80] = after;          /* snprintf's last NUL landed on the ciphertext */
}

static void cisco_decrypt_rejects_garbage(void)
{
	char out[64] = "untouched", hex[300];
	T_EQ_INT(cisco_pwd_decrypt("", out, sizeof(out)), -1);
	T_EQ_STR(out, "");
	T_EQ_INT(cisco_pwd_decrypt("not hex at all", out, sizeof(out)), -1);
	T_EQ_INT(cisco_pwd_decrypt(PUBLIC_ENC "0", out, sizeof(out)), -1);       /* odd */
	T_EQ_INT(cisco_pwd_decrypt(PUBLIC_ENC "00", out, sizeof(out)), -1);      /* not 8k */
	T_EQ_INT(cisco_pwd_decrypt("F992230153F51928672DF6C7B9C61EF8437252CFBE28C1101EF1A119D077E93C",
				   out, sizeof(out)), -1);                          /* no data */
	/* checksum mismatch: one ciphertext bit flipped */
	snprintf(hex, sizeof(hex), "%s", PUBLIC_ENC);
	hex[100] = hex[100] == '0' ? '1' : '0';
	T_EQ_INT(cisco_pwd_decrypt(hex, out, sizeof(out)), -1);
	/* a valid checksum over a damaged last block: the padding is wrong */
	snprintf(hex, sizeof(hex), "%s", PUBLIC_ENC);
	hex[100] = hex[100] == '0' ? '1' : '0';
	resum(hex);
	T_EQ_INT(cisco_pwd_decrypt(hex, out, sizeof(out)), -1);
	/* the password does not fit: 14 bytes need 15 */
	T_EQ_INT(cisco_pwd_decrypt(PUBLIC_ENC, out, 14), -1);
	T_EQ_INT(cisco_pwd_decrypt(PUBLIC_ENC, out, 15), 0);
}

/* ---- .pcf ---------------------------------------------------------------- */

static void pcf_clear_group_pwd_is_the_group_secret(void)
{
	struct client_profile p;
	T_EQ_INT(pcf("[main]\nHost=vpn.example.com\nGroupName=staff\nGroupPwd=s3cret\n", &p), 0);
	T_EQ_INT(p.protocol, PROTO_IKEV1);
	T_EQ_STR(p.host, "vpn.example.com");
	T_EQ_STR(p.address, "vpn.example.com");
	T_EQ_STR(p.group, "staff");
	T_CHECK(p.group_secret_set);
	T_EQ_STR(p.group_secret, "s3cret");
	/* the Cisco client's defaults */
	T_EQ_INT(p.auth_type, PCF_AUTH_GROUP);
	T_CHECK(p.nat_t);
	T_CHECK(!p.tcp_tunnel);
	T_EQ_INT(p.tcp_port, 10000);
	T_EQ_INT(p.dh_group, 2);
	T_CHECK(!p.local_lan);
	T_CHECK(!p.user_secret_set);
	profile_wipe(&p);
}

/* A profile as the Cisco client saves it: CRLF, locked '!' keys,
 * Windows-1252 Description, enc_GroupPwd with an empty GroupPwd. */
static void pcf_cisco_saved_profile_decrypts_enc_group_pwd(void)
{
	struct client_profile p;
	T_EQ_INT(profile_load_pcf(fixture("cisco_enc.pcf"), &p, err, sizeof(err)), 0);
	T_EQ_STR(err, "");
	T_EQ_STR(p.host, "vpn.example.com");
	T_EQ_STR(p.group, "staff");
	T_CHECK(p.group_secret_set);
	T_EQ_STR(p.group_secret, "student.uit.no");
	T_EQ_STR(p.user, "alice");
	T_EQ_STR(p.description, "Bureau de Montr\xc3\xa9" "al \xe2\x80\x93 acc\xc3\xa8s");
	T_CHECK(p.local_lan);
	T_CHECK(p.nat_t);
	T_CHECK(!p.user_secret_set);
	profile_wipe(&p);
}

static void pcf_non_empty_group_pwd_wins_over_enc_group_pwd(void)
{
	struct client_profile p;
	T_EQ_INT(pcf("[main]\r\nHost=h\r\nGroupName=g\r\nenc_GroupPwd=" PUBLIC_ENC
		     "\r\nGroupPwd=clear\r\n", &p), 0);
	T_EQ_STR(p.group_secret, "clear");
	/* with GroupPwd empty, enc_GroupPwd is used */
	T_EQ_INT(pcf("[main]\r\nHost=h\r\nGroupName=g\r\nGroupPwd=\r\nenc_GroupPwd=" PUBLIC_ENC
		     "\r\n", &p), 0);
	T_EQ_STR(p.group_secret, "student.uit.no");
	/* neither: no secret (the client will ask) */
	T_EQ_INT(pcf("[main]\nHost=h\nGroupName=g\nGroupPwd=\nenc_GroupPwd=\n", &p), 0);
	T_CHECK(!p.group_secret_set);
	T_EQ_STR(p.group_secret, "");
	profile_wipe(&p);
}

static void pcf_keys_are_case_insensitive_and_may_be_locked(void)
{
	struct client_profile p;
	T_EQ_INT(pcf("[MAIN]\n  !HOST = gw.example.net  \n!groupname=Eng\n! GROUPPWD =pw\n"
		     "dhgroup=5\n!EnableLocalLan=1\n", &p), 0);
	T_EQ_STR(p.host, "gw.example.net");
	T_EQ_STR(p.group, "Eng");
	T_EQ_STR(p.group_secret, "pw");
	T_EQ_INT(p.dh_group, 5);
	T_CHECK(p.local_lan);
	profile_wipe(&p);
}

static void pcf_first_key_wins_and_other_sections_are_ignored(void)
{
	struct client_profile p;
	T_EQ_INT(pcf("; comment\n[other]\nHost=wrong\n[main]\nHost=first\nHost=second\n"
		     "GroupName=\"quoted group\"\n[more]\nGroupPwd=wrong\n", &p), 0);
	T_EQ_STR(p.host, "first");
	T_EQ_STR(p.group, "quoted group");
	T_CHECK(!p.group_secret_set);
	profile_wipe(&p);
}

static void pcf_missing_host_names_the_main_line(void)
{
	struct client_profile p;
	T_EQ_INT(pcf("\r\n[main]\r\nGroupName=g\r\n", &p), -1);
	T_EQ_STR(err, "line 2: [main] has no Host");
	T_EQ_INT(pcf("[main]\nGroupName=g\nHost=\n", &p), -1);
	T_EQ_STR(err, "line 3: Host is empty");
	T_EQ_INT(pcf("Host=x\n", &p), -1);
	T_CHECK(has(err, "no [main] section"));
}

static void pcf_garbage_enc_group_pwd_is_an_error_on_its_line(void)
{
	struct client_profile p;
	T_EQ_INT(pcf("[main]\nHost=h\nGroupName=g\nenc_GroupPwd=ZZ" PUBLIC_ENC "\n", &p), -1);
	T_CHECK(has(err, "line 4: enc_GroupPwd is not a Cisco-obfuscated password"));
	char text[400];
	snprintf(text, sizeof(text), "[main]\nHost=h\nGroupName=g\nenc_GroupPwd=%s\n", PUBLIC_ENC);
	text[39 + 100] = text[39 + 100] == '0' ? '1' : '0';   /* ciphertext */
	T_EQ_INT(pcf(text, &p), -1);
	T_CHECK(has(err, "line 4: enc_GroupPwd is not a Cisco-obfuscated password (checksum"));
	/* a failed parse leaves nothing behind */
	T_EQ_STR(p.host, "");
	T_CHECK(!p.group_secret_set);
}

static void pcf_saved_user_password_needs_save_user_password(void)
{
	struct client_profile p;
	T_EQ_INT(pcf("[main]\nHost=h\nGroupName=g\nUsername=bob\nUserPassword=pw\n", &p), 0);
	T_CHECK(!p.user_secret_set);
	T_EQ_INT(pcf("[main]\nHost=h\nGroupName=g\nUsername=bob\nSaveUserPassword=1\n"
		     "enc_UserPassword=" PUBLIC_ENC "\n", &p), 0);
	T_CHECK(p.user_secret_set);
	T_EQ_STR(p.user_secret, "student.uit.no");
	profile_wipe(&p);
}

static void pcf_tunneling_mode_1_is_ipsec_over_tcp(void)
{
	struct client_profile p;
	T_EQ_INT(pcf("[main]\nHost=h\nGroupName=g\nTunnelingMode=1\nTcpTunnelingPort=443\n", &p), 0);
	T_CHECK(p.tcp_tunnel);
	T_CHECK(!p.nat_t);
	T_EQ_INT(p.tcp_port, 443);
	T_EQ_INT(pcf("[main]\nHost=h\nGroupName=g\nEnableNat=0\n", &p), 0);
	T_CHECK(!p.tcp_tunnel);
	T_CHECK(!p.nat_t);
}

static void pcf_bad_values_are_errors_on_their_line(void)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ "[main]\nHost=h\nGroupName=g\nDHGroup=14\n", "line 4: DHGroup must be 1, 2 or 5" },
		{ "[main]\nHost=h\nGroupName=g\nDHGroup=two\n", "line 4: DHGroup must be a number" },
		{ "[main]\nHost=h\nTunnelingMode=2\nGroupName=g\n", "line 3: TunnelingMode must be" },
		{ "[main]\nEnableNat=yes\nHost=h\nGroupName=g\n", "line 2: EnableNat must be" },
		{ "[main]\nHost=h\nGroupName=g\nTcpTunnelingPort=70000\n", "line 4: TcpTunnelingPort" },
		{ "[main]\nHost=h\nAuthType=2\n", "line 3: AuthType must be 1" },
		{ "[main]\nHost=h\nGroupPwd=x\n", "line 1: group authentication needs a GroupName" },
		{ "[main]\nHost=h\njunk\n", "line 3: expected key=value" },
		{ "[main\nHost=h\n", "line 1: section header" },
		{ "[main]\nHost=h\x01\n", "line 2: control character" },
		{ "[main]\nHost=h\n[main]\n", "line 3: second [main]" },
	};
	struct client_profile p;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		T_EQ_INT(pcf(cases[i].text, &p), -1);
		T_CHECK(has(err, cases[i].msg));
	}
	/* NUL inside the file */
	T_EQ_INT(profile_parse_pcf("[main]\nHost=h\0x\n", 15, &p, err, sizeof(err)), -1);
	T_CHECK(has(err, "line 2: control character"));
}

static void pcf_certificate_auth_needs_no_group(void)
{
	struct client_profile p;
	T_EQ_INT(pcf("[main]\nHost=h\nAuthType=3\n", &p), 0);
	T_EQ_INT(p.auth_type, PCF_AUTH_CERT);
	T_EQ_STR(p.group, "");
}

static void pcf_too_long_values_are_errors_not_truncated(void)
{
	char text[600];
	struct client_profile p;
	int n = snprintf(text, sizeof(text), "[main]\nGroupName=g\nHost=");
	memset(text + n, 'h', 256);
	snprintf(text + n + 256, sizeof(text) - (size_t)n - 256, "\n");
	T_EQ_INT(pcf(text, &p), -1);
	T_CHECK(has(err, "line 3: Host is too long (at most 255 bytes)"));
	text[n + 255] = '\n';
	text[n + 256] = '\0';
	T_EQ_INT(pcf(text, &p), 0);
	T_EQ_INT(strlen(p.host), 255);
}

/* Errors name the key, never the secret value. */
static void pcf_errors_do_not_show_passwords(void)
{
	struct client_profile p;
	char text[1200];
	snprintf(text, sizeof(text), "[main]\nHost=h\nGroupName=g\nGroupPwd=%0300d\n", 7);
	T_EQ_INT(pcf(text, &p), -1);
	T_CHECK(has(err, "line 4: GroupPwd is too long"));
	T_CHECK(!strstr(err, "0000"));
	T_EQ_INT(pcf("[main]\nHost=h\nGroupName=g\nenc_GroupPwd=TopSecretPass\n", &p), -1);
	T_CHECK(!strstr(err, "TopSecret"));
}

static void pcf_utf8_description_is_kept(void)
{
	struct client_profile p;
	T_EQ_INT(pcf("\xef\xbb\xbf[main]\nHost=h\nGroupName=g\nDescription=Z\xc3\xbcrich\n", &p), 0);
	T_EQ_STR(p.description, "Z\xc3\xbcrich");
}

static void utf16_files_are_refused_with_a_hint(void)
{
	struct client_profile p;
	static const char u16[] = "\xff\xfe[\0m\0a\0i\0n\0]\0";
	T_EQ_INT(profile_parse_pcf(u16, sizeof(u16) - 1, &p, err, sizeof(err)), -1);
	T_CHECK(has(err, "UTF-16"));
	T_EQ_INT(profile_parse_xml(u16, sizeof(u16) - 1, NULL, &p, err, sizeof(err)), -1);
	T_CHECK(has(err, "UTF-16"));
}

static void profile_wipe_clears_the_secrets(void)
{
	struct client_profile p;
	T_EQ_INT(pcf("[main]\nHost=h\nGroupName=g\nGroupPwd=pw\n", &p), 0);
	profile_wipe(&p);
	static const struct client_profile zero;
	T_CHECK(memcmp(&p, &zero, sizeof(p)) == 0);
}

/* ---- AnyConnect XML ------------------------------------------------------ */

static void xml_seed_server_list_gives_the_ikev2_host(void)
{
	struct client_profile p;
	T_EQ_INT(profile_load_xml(fixture("seed_serverlist.xml"), NULL, &p, err, sizeof(err)), 0);
	T_EQ_STR(err, "");
	T_EQ_INT(p.protocol, PROTO_IKEV2);
	T_EQ_STR(p.host, "Anu-IKEV2");
	T_EQ_STR(p.address, "10.0.0.1");
	T_EQ_STR(p.group, "ASA-IKEV2");
	T_CHECK(!p.standard_auth_only);
	T_EQ_STR(p.eap_method, "EAP-AnyConnect");
	T_EQ_STR(p.ike_identity, "");
	T_CHECK(!p.group_secret_set);
	/* the same by name, and by address */
	T_EQ_INT(profile_load_xml(fixture("seed_serverlist.xml"), "anu-ikev2", &p, err, sizeof(err)), 0);
	T_EQ_STR(p.address, "10.0.0.1");
	T_EQ_INT(profile_load_xml(fixture("seed_serverlist.xml"), "10.0.0.1", &p, err, sizeof(err)), 0);
	T_EQ_STR(p.host, "Anu-IKEV2");
}

static void xml_host_is_selected_by_host_name(void)
{
	struct client_profile p;
	T_EQ_INT(profile_load_xml(fixture("anyconnect_full.xml"), "R&D \xe2\x80\x93 IKEv2", &p, err,
				  sizeof(err)), 0);
	T_EQ_STR(p.address, "vpn.example.com");
	T_EQ_STR(p.group, "RD-IKEV2");                  /* from CDATA */
	T_CHECK(p.standard_auth_only);
	T_EQ_STR(p.eap_method, "EAP-MD5");
	T_EQ_STR(p.ike_identity, "alice@example.com");
	/* without HostAddress the HostName is the address */
	T_EQ_INT(profile_load_xml(fixture("anyconnect_full.xml"), "GW2.example.com", &p, err,
				  sizeof(err)), 0);
	T_EQ_STR(p.host, "gw2.example.com");
	T_EQ_STR(p.address, "gw2.example.com");
	T_EQ_STR(p.group, "ASA-IKEV2");
}

static void xml_ssl_host_is_refused_clearly(void)
{
	struct client_profile p;
	/* the first host has no PrimaryProtocol: AnyConnect would use SSL */
	T_EQ_INT(profile_load_xml(fixture("anyconnect_full.xml"), NULL, &p, err, sizeof(err)), -1);
	T_CHECK(has(err, "line 19: host Office SSL: no PrimaryProtocol, so AnyConnect would use SSL"));
	T_CHECK(has(err, "IPsec (IKEv2) only"));
	T_EQ_INT(xml("<ServerList><HostEntry><HostName>a</HostName>\n"
		     "<PrimaryProtocol>SSL</PrimaryProtocol></HostEntry></ServerList>", "a", &p), -1);
	T_CHECK(has(err, "host a: PrimaryProtocol is SSL; ravpn-connect speaks IPsec (IKEv2) only"));
	T_EQ_INT(xml("<ServerList><HostEntry><HostName>a</HostName>"
		     "<PrimaryProtocol>L2TP</PrimaryProtocol></HostEntry></ServerList>", "a", &p), -1);
	T_CHECK(has(err, "unknown PrimaryProtocol L2TP"));
}

static void xml_missing_host_is_an_error(void)
{
	struct client_profile p;
	T_EQ_INT(profile_load_xml(fixture("seed_serverlist.xml"), "nope", &p, err, sizeof(err)), -1);
	T_CHECK(has(err, "seed_serverlist.xml: no HostEntry named nope"));
	T_EQ_INT(xml("<AnyConnectProfile><ServerList/></AnyConnectProfile>", NULL, &p), -1);
	T_EQ_STR(err, "no HostEntry in <ServerList>");
	/* HostEntry outside a ServerList is not a server */
	T_EQ_INT(xml("<a><HostEntry><HostName>x</HostName></HostEntry></a>", NULL, &p), -1);
	T_EQ_STR(err, "no HostEntry in <ServerList>");
}

struct host_list {
	int n;
	char names[8][64];
};

static void collect(void *arg, const char *name, const char *address)
{
	struct host_list *l = arg;
	if (l->n < 8)
		snprintf(l->names[l->n++], sizeof(l->names[0]), "%s=%s", name, address);
}

static void xml_list_hosts_gives_every_host_in_order(void)
{
	static const char doc[] =
		"<ServerList>\n<HostEntry><HostName>one</HostName><HostAddress>1.1.1.1</HostAddress>"
		"</HostEntry>\n<HostEntry><HostName>two</HostName></HostEntry>\n"
		"<HostEntry><HostName>three</HostName><PrimaryProtocol>SSL</PrimaryProtocol>"
		"</HostEntry>\n</ServerList>\n";
	struct host_list l = { 0 };
	T_EQ_INT(profile_xml_hosts(doc, strlen(doc), collect, &l, err, sizeof(err)), 0);
	T_EQ_INT(l.n, 3);
	T_EQ_STR(l.names[0], "one=1.1.1.1");
	T_EQ_STR(l.names[1], "two=two");
	T_EQ_STR(l.names[2], "three=three");
	/* a truncated file lists nothing */
	l.n = 0;
	T_EQ_INT(profile_xml_hosts(doc, strlen(doc) - 14, collect, &l, err, sizeof(err)), -1);
	T_EQ_INT(l.n, 0);
	T_CHECK(has(err, "line 5: end of file inside <ServerList> (line 1)"));
}

static void xml_entities_and_namespaces_are_decoded(void)
{
	struct client_profile p;
	T_EQ_INT(xml("<?xml version='1.0'?>\n<ac:AnyConnectProfile xmlns:ac='urn:x' a=\"&quot;\">"
		     "<ac:ServerList><ac:HostEntry><ac:HostName>a&amp;b&lt;c&gt;d&quot;e&apos;f"
		     "&#65;&#x42;&#xe9;&#x20AC;&#x1F600;</ac:HostName>"
		     "<ac:PrimaryProtocol><!-- c -->IPsec</ac:PrimaryProtocol>"
		     "</ac:HostEntry></ac:ServerList></ac:AnyConnectProfile>", NULL, &p), 0);
	T_EQ_STR(p.host, "a&b<c>d\"e'fAB\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	T_EQ_INT(p.protocol, PROTO_IKEV2);
}

static void xml_malformed_documents_fail_with_their_line(void)
{
	static const struct { const char *doc, *msg; } cases[] = {
		{ "<ServerList>\n<HostEntry>\n</HostName>\n</ServerList>",
		  "line 3: </HostName> does not close <HostEntry> (line 2)" },
		{ "<a>\n<!-- open\n\n", "line 2: unterminated comment" },
		{ "<a>\n\n\n<b>&nbsp;</b></a>", "line 4: unknown entity &nbsp;" },
		{ "<a>\n<b>\n", "line 3: end of file inside <b> (line 2)" },
		{ "<a>\n<b x=1/></a>", "line 2: attribute x: value not quoted" },
		{ "<a>\n<b x='1'y='2'/></a>", "line 2: expected whitespace" },
		{ "<a/>\n<b/>", "line 2: second root element" },
		{ "<a/>\ntext", "line 2: text after the root element" },
		{ "hello <a/>", "line 1: text before the root element" },
		{ "<!DOCTYPE a [<!ENTITY x 'y'>]>\n<a/>", "line 1: <!DOCTYPE>" },
		{ "<a>\n\x01</a>", "line 2: control character 0x01" },
		{ "<a>&#0;</a>", "line 1: character reference to an invalid character" },
		{ "<a>&#xD800;</a>", "line 1: character reference to an invalid character" },
		{ "<a>&#12x;</a>", "line 1: bad character reference" },
		{ "<a>& b</a>", "line 1: '&' that starts no entity" },
		{ "<a>\n</a>\n</a>", "line 3: </a> without a start tag" },
		{ "<a><![CDATA[x</a>", "line 1: unterminated CDATA section" },
		{ "<a\n", "line 2: unterminated tag <a>" },
		{ "<1a/>", "line 1: expected a name" },
		{ "", "no root element" },
		{ "<?xml version='1.0'?>\n<!-- c -->\n", "line 3: no root element" },
		{ "<ServerList>\n<HostEntry>\n<UserGroup>g</UserGroup></HostEntry></ServerList>",
		  "line 2: HostEntry without HostName" },
		{ "<ServerList><HostEntry><HostName>a</HostName><PrimaryProtocol>IPsec"
		  "<StandardAuthenticationOnly>maybe</StandardAuthenticationOnly></PrimaryProtocol>"
		  "</HostEntry></ServerList>", "StandardAuthenticationOnly must be true or false" },
		{ "<ServerList><HostEntry><HostName>a</HostName><PrimaryProtocol>IPsec"
		  "<StandardAuthenticationOnly>true<AuthMethodDuringIKENegotiation>EAP-TLS"
		  "</AuthMethodDuringIKENegotiation></StandardAuthenticationOnly></PrimaryProtocol>"
		  "</HostEntry></ServerList>", "unknown AuthMethodDuringIKENegotiation EAP-TLS" },
	};
	struct client_profile p;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		T_EQ_INT(xml(cases[i].doc, NULL, &p), -1);
		T_CHECK(has(err, cases[i].msg));
	}
}

static void xml_nesting_deeper_than_the_limit_is_refused(void)
{
	char doc[1024];
	struct client_profile p;
	size_t n = 0;
	/* ServerList > HostEntry at the bottom of `depth` elements */
	for (int depth = PROFILE_XML_MAX_DEPTH; depth <= PROFILE_XML_MAX_DEPTH + 1; depth++) {
		n = 0;
		for (int i = 0; i < depth - 3; i++)
			n += (size_t)snprintf(doc + n, sizeof(doc) - n, "<d>");
		n += (size_t)snprintf(doc + n, sizeof(doc) - n,
				      "<ServerList><HostEntry><HostName>deep</HostName>"
				      "<PrimaryProtocol>IPsec</PrimaryProtocol></HostEntry></ServerList>");
		for (int i = 0; i < depth - 3; i++)
			n += (size_t)snprintf(doc + n, sizeof(doc) - n, "</d>");
		int rc = xml(doc, NULL, &p);
		if (depth == PROFILE_XML_MAX_DEPTH) {
			T_EQ_INT(rc, 0);
			T_EQ_STR(p.host, "deep");
		} else {
			T_EQ_INT(rc, -1);
			T_CHECK(has(err, "elements nested deeper than 32"));
		}
	}
}

/* Only the fields we use must fit; long text elsewhere is fine. */
static void xml_long_text_fails_only_in_fields_we_use(void)
{
	static char doc[4096], name[600];
	struct client_profile p;
	memset(name, 'n', 300);
	name[300] = '\0';
	snprintf(doc, sizeof(doc), "<p><Banner>%s%s</Banner><ServerList><HostEntry><HostName>h"
		 "</HostName><PrimaryProtocol>IPsec</PrimaryProtocol></HostEntry></ServerList></p>",
		 name, name);
	T_EQ_INT(xml(doc, NULL, &p), 0);
	snprintf(doc, sizeof(doc), "<ServerList><HostEntry>\n<HostName>%s</HostName>"
		 "</HostEntry></ServerList>", name);
	T_EQ_INT(xml(doc, NULL, &p), -1);
	T_CHECK(has(err, "line 2: <HostName> is longer than 255 bytes"));
}

static void profile_load_tells_the_formats_apart(void)
{
	struct client_profile p;
	T_EQ_INT(profile_load(fixture("cisco_enc.pcf"), NULL, &p, err, sizeof(err)), 0);
	T_EQ_INT(p.protocol, PROTO_IKEV1);
	T_EQ_INT(profile_load(fixture("seed_serverlist.xml"), NULL, &p, err, sizeof(err)), 0);
	T_EQ_INT(p.protocol, PROTO_IKEV2);
	T_EQ_INT(profile_load(fixture("no-such-file.pcf"), NULL, &p, err, sizeof(err)), -1);
	T_CHECK(has(err, "no-such-file.pcf: No such file"));
	profile_wipe(&p);
}

int main(void)
{
	if (crypto_init() != 0) {
		printf("FAIL crypto_init\n");
		return 1;
	}
	T_RUN(cisco_decrypt_reads_a_published_enc_group_pwd);
	T_RUN(cisco_encrypt_with_fixed_salt_matches_cisco_decrypt_vectors);
	T_RUN(cisco_key_derivation_wraps_the_last_salt_byte);
	T_RUN(cisco_encrypt_uses_a_fresh_salt_and_round_trips);
	T_RUN(cisco_encrypt_rejects_what_does_not_fit);
	T_RUN(cisco_decrypt_rejects_garbage);
	T_RUN(pcf_clear_group_pwd_is_the_group_secret);
	T_RUN(pcf_cisco_saved_profile_decrypts_enc_group_pwd);
	T_RUN(pcf_non_empty_group_pwd_wins_over_enc_group_pwd);
	T_RUN(pcf_keys_are_case_insensitive_and_may_be_locked);
	T_RUN(pcf_first_key_wins_and_other_sections_are_ignored);
	T_RUN(pcf_missing_host_names_the_main_line);
	T_RUN(pcf_garbage_enc_group_pwd_is_an_error_on_its_line);
	T_RUN(pcf_saved_user_password_needs_save_user_password);
	T_RUN(pcf_tunneling_mode_1_is_ipsec_over_tcp);
	T_RUN(pcf_bad_values_are_errors_on_their_line);
	T_RUN(pcf_certificate_auth_needs_no_group);
	T_RUN(pcf_too_long_values_are_errors_not_truncated);
	T_RUN(pcf_errors_do_not_show_passwords);
	T_RUN(pcf_utf8_description_is_kept);
	T_RUN(utf16_files_are_refused_with_a_hint);
	T_RUN(profile_wipe_clears_the_secrets);
	T_RUN(xml_seed_server_list_gives_the_ikev2_host);
	T_RUN(xml_host_is_selected_by_host_name);
	T_RUN(xml_ssl_host_is_refused_clearly);
	T_RUN(xml_missing_host_is_an_error);
	T_RUN(xml_list_hosts_gives_every_host_in_order);
	T_RUN(xml_entities_and_namespaces_are_decoded);
	T_RUN(xml_malformed_documents_fail_with_their_line);
	T_RUN(xml_nesting_deeper_than_the_limit_is_refused);
	T_RUN(xml_long_text_fails_only_in_fields_we_use);
	T_RUN(profile_load_tells_the_formats_apart);
	T_DONE();
}
