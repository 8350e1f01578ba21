/* ravpn-connect command line (see cli.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/cli.h"

enum cli_exit cli_exit_for(enum ini2_result r)
{
	switch (r) {
	case INI2_OK: return EXIT_OK;
	case INI2_ERR_AUTH: return EXIT_AUTH;
	case INI2_ERR_PROPOSAL: return EXIT_PROPOSAL;
	case INI2_ERR_TIMEOUT: return EXIT_TIMEOUT;
	case INI2_ERR_CERT: return EXIT_CERT;
	case INI2_ERR_ADDRESS: return EXIT_ADDRESS;
	case INI2_ERR_PEER_DELETE: return EXIT_PEER;
	default: return EXIT_FAIL;
	}
}

void cli_usage(FILE *f)
{
	fputs("usage: ravpn-connect [--ikev2|--ikev1] --gateway HOST[:PORT] --group NAME\n"
	      "         [--user USER] [--auth psk|eap-mschapv2|eap-md5|eap-gtc]\n"
	      "         IKEv1 (Cisco VPN Client): --ikev1 --group NAME --user USER\n"
	      "         [--group-password-fd N] [--pfs GROUP]\n"
	      "         [--ca FILE | --pin-cert FILE | --insecure] [--script PATH]\n"
	      "         [--tun NAME | --no-tun] [--local-port N] [--password-fd N]\n"
	      "         [--dpd SECONDS] [--dh GROUP] [--debug N]\n"
	      "         [--profile FILE.pcf|FILE.xml [--host NAME]] [--once] [--ping HOST]\n"
	      "Passwords: --password-fd N, RAVPN_PASSWORD (user) / RAVPN_GROUP_PASSWORD (PSK),\n"
	      "or a prompt on the terminal; never on the command line.  IKEv1 needs both:\n"
	      "the group password (--group-password-fd N, RAVPN_GROUP_PASSWORD, the .pcf,\n"
	      "a prompt) and the XAUTH password (--password-fd N, RAVPN_PASSWORD, a prompt);\n"
	      "one descriptor for both: the group password is its first line.\n"
	      "A .pcf profile selects IKEv1 unless --ikev2 is given.\n"
	      "Exit: 0 ok, 1 failure, 2 usage, 3 authentication, 4 no proposal, 5 timeout,\n"
	      "      6 certificate, 7 no address, 8 closed by the gateway\n",
	      f);
}

int cli_parse_auth(const char *s, enum ini2_auth *out)
{
	static const struct { const char *name; enum ini2_auth a; } t[] = {
		{ "psk", INI2_PSK }, { "eap-mschapv2", INI2_EAP_MSCHAPV2 },
		{ "eap-md5", INI2_EAP_MD5 }, { "eap-gtc", INI2_EAP_GTC },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcasecmp(s, t[i].name) == 0) {
			*out = t[i].a;
			return 0;
		}
	return -1;
}

static int num(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	if (!s || !*s || *s == '-')
		return -1;
	unsigned long v = strtoul(s, &end, 10);
	if (*end || v > max)
		return -1;
	*out = v;
	return 0;
}

/* HOST[:PORT] */
static int gateway(struct cli_opts *o, char *arg)
{
	char *colon = strrchr(arg, ':');
	unsigned long p;
	if (colon) {
		if (num(colon + 1, 65535, &p) < 0 || p == 0)
			return -1;
		*colon = 0;
		o->port = (uint16_t)p;
	}
	o->gateway = arg;
	return *arg ? 0 : -1;
}

enum { O_IKEV1 = 256, O_IKEV2, O_CA, O_PIN, O_INSECURE, O_NO_TUN, O_PWFD, O_ONCE, O_PING,
       O_LPORT, O_DPD, O_DH, O_HOST, O_SCRIPT, O_TUN, O_PROFILE, O_GPWFD, O_PFS };

static const struct option longopts[] = {
	{ "ikev1", no_argument, NULL, O_IKEV1 },       { "ikev2", no_argument, NULL, O_IKEV2 },
	{ "gateway", required_argument, NULL, 'g' },   { "group", required_argument, NULL, 'G' },
	{ "user", required_argument, NULL, 'u' },      { "auth", required_argument, NULL, 'a' },
	{ "ca", required_argument, NULL, O_CA },       { "pin-cert", required_argument, NULL, O_PIN },
	{ "insecure", no_argument, NULL, O_INSECURE }, { "script", required_argument, NULL, O_SCRIPT },
	{ "tun", required_argument, NULL, O_TUN },     { "no-tun", no_argument, NULL, O_NO_TUN },
	{ "password-fd", required_argument, NULL, O_PWFD },
	{ "debug", required_argument, NULL, 'd' },     { "profile", required_argument, NULL, O_PROFILE },
	{ "host", required_argument, NULL, O_HOST },   { "once", no_argument, NULL, O_ONCE },
	{ "ping", required_argument, NULL, O_PING },   { "local-port", required_argument, NULL, O_LPORT },
	{ "dpd", required_argument, NULL, O_DPD },     { "dh", required_argument, NULL, O_DH },
	{ "group-password-fd", required_argument, NULL, O_GPWFD },
	{ "pfs", required_argument, NULL, O_PFS },
	{ "help", no_argument, NULL, 'h' },            { NULL, 0, NULL, 0 },
};

static int one(struct cli_opts *o, int c, char *arg, char *err, size_t err_len)
{
	unsigned long v;
	switch (c) {
	case O_IKEV1: o->version = 1; o->version_set = true; break;
	case O_IKEV2: o->version = 2; o->version_set = true; break;
	case 'g': if (gateway(o, arg) < 0) goto bad; break;
	case 'G': o->group = arg; break;
	case 'u': o->user = arg; break;
	case 'a': if (cli_parse_auth(arg, &o->auth) < 0) goto bad; o->auth_set = true; break;
	case O_CA: o->ca = arg; break;
	case O_PIN: o->pin_cert = arg; break;
	case O_INSECURE: o->insecure = true; break;
	case O_SCRIPT: o->script = arg; break;
	case O_TUN: o->tun = arg; break;
	case O_NO_TUN: o->no_tun = true; break;
	case O_PWFD: if (num(arg, 1 << 20, &v) < 0) goto bad; o->password_fd = (int)v; break;
	case 'd': if (num(arg, 255, &v) < 0) goto bad; o->debug = (unsigned)v; break;
	case O_PROFILE: o->profile = arg; break;
	case O_HOST: o->host = arg; break;
	case O_ONCE: o->once = true; break;
	case O_PING: o->ping = arg; break;
	case O_LPORT: if (num(arg, 65535, &v) < 0 || !v) goto bad; o->local_port = (uint16_t)v; break;
	case O_DPD: if (num(arg, 86400, &v) < 0 || !v) goto bad; o->dpd = (unsigned)v; break;
	case O_DH: if (num(arg, 65535, &v) < 0) goto bad; o->dh = (uint16_t)v; break;
	case O_GPWFD: if (num(arg, 1 << 20, &v) < 0) goto bad; o->group_password_fd = (int)v; break;
	case O_PFS: if (num(arg, 65535, &v) < 0 || !v) goto bad; o->pfs = (uint16_t)v; break;
	case 'h': o->help = true; break;
	default: snprintf(err, err_len, "unknown option"); return -1;
	}
	return 0;
bad:
	snprintf(err, err_len, "bad value '%s'", arg ? arg : "");
	return -1;
}

/* IKEv1 is the Cisco VPN Client's way: group key, then XAUTH; no EAP
 * methods to choose.  With a profile (which may be a .pcf naming the group
 * and user, or an XML profile for IKEv2) main() checks again once it is read. */
static int check_ikev1(struct cli_opts *o, char *err, size_t err_len)
{
	if (o->auth_set && o->version == 1) {
		snprintf(err, err_len, "--auth is an IKEv2 option (IKEv1 uses the group key and XAUTH)");
		return -1;
	}
	if (o->version == 1 && !o->profile && (!o->group || !o->user)) {
		snprintf(err, err_len, "IKEv1 needs --group and --user (XAUTH)");
		return -1;
	}
	if (!o->auth_set)
		o->auth = o->user ? INI2_EAP_MSCHAPV2 : INI2_PSK;
	return 0;
}

int cli_parse(int argc, char **argv, struct cli_opts *o, char *err, size_t err_len)
{
	memset(o, 0, sizeof(*o));
	o->version = 2;
	o->port = 500;
	o->tun = "rvc0";
	o->password_fd = -1;
	o->group_password_fd = -1;
	o->local_port = 4500;
	err[0] = 0;
	optind = 0;                         /* reset: callable more than once (tests) */
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "g:G:u:a:d:h", longopts, NULL)) != -1)
		if (one(o, c, optarg, err, err_len) < 0)
			return -1;
	if (optind < argc) {
		snprintf(err, err_len, "unexpected argument '%s' (passwords never go on the command line)",
			 argv[optind]);
		return -1;
	}
	if (o->help)
		return 0;
	if (!o->gateway && !o->profile) {
		snprintf(err, err_len, "--gateway or --profile is required");
		return -1;
	}
	if ((o->ca != NULL) + (o->pin_cert != NULL) + o->insecure > 1) {
		snprintf(err, err_len, "--ca, --pin-cert and --insecure exclude each other");
		return -1;
	}
	if (o->version == 1 || (o->profile && !o->version_set))
		return check_ikev1(o, err, err_len);
	if (o->pfs || o->group_password_fd >= 0) {
		snprintf(err, err_len, "--pfs and --group-password-fd are IKEv1 options (--ikev1)");
		return -1;
	}
	if (!o->auth_set)
		o->auth = o->user ? INI2_EAP_MSCHAPV2 : INI2_PSK;
	if (o->auth != INI2_PSK && !o->user && !o->profile) {
		snprintf(err, err_len, "EAP needs --user");
		return -1;
	}
	return 0;
}
