/* Connection profiles that users already have, read by ravpn-connect.
 *
 *  - Cisco VPN Client `.pcf` files (IKEv1): an INI file with a [main]
 *    section; keys are case-insensitive, a leading '!' marks a value the
 *    user may not change in the Cisco GUI (we read it like any other),
 *    lines end in CRLF and bytes are Windows-1252.  The group password is
 *    either clear (GroupPwd) or obfuscated (enc_GroupPwd, see
 *    cisco_pwd_decrypt()).
 *  - AnyConnect XML profiles (IKEv2): the HostEntry elements of
 *    <ServerList>, e.g.
 *
 *      <ServerList><HostEntry>
 *        <HostName>Anu-IKEV2</HostName> <HostAddress>10.0.0.1</HostAddress>
 *        <UserGroup>ASA-IKEV2</UserGroup>
 *        <PrimaryProtocol>IPsec
 *          <StandardAuthenticationOnly>true
 *            <AuthMethodDuringIKENegotiation>EAP-MD5</AuthMethodDuringIKENegotiation>
 *            <IKEIdentity>user@example</IKEIdentity>
 *          </StandardAuthenticationOnly>
 *        </PrimaryProtocol>
 *      </HostEntry></ServerList>
 *
 * Every parser takes untrusted bytes (the file may come from anyone), is
 * bounded, never aborts, and reports errors as "line N: what" in err.
 * All int functions return 0 on success and -1 on error. */
#ifndef RAVPN_CLIENT_PROFILE_H
#define RAVPN_CLIENT_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#define WUR __attribute__((warn_unused_result))

/* Largest profile file accepted: real ones are a few KiB. */
#define PROFILE_MAX_BYTES (1024 * 1024)
/* Deepest XML element nesting accepted (AnyConnect profiles use 5). */
#define PROFILE_XML_MAX_DEPTH 32

enum client_proto {
	PROTO_NONE = 0,
	PROTO_IKEV1,             /* .pcf: Cisco VPN Client, IKEv1 aggressive/XAUTH */
	PROTO_IKEV2,             /* XML HostEntry with PrimaryProtocol IPsec */
};

/* .pcf AuthType values. */
enum pcf_auth {
	PCF_AUTH_GROUP = 1,      /* group name + pre-shared group password */
	PCF_AUTH_CERT = 3,       /* RSA certificate */
	PCF_AUTH_HYBRID = 5,     /* mutual group authentication (hybrid) */
};

struct client_profile {
	enum client_proto protocol;
	char description[256];   /* pcf Description (as UTF-8) */
	char host[256];          /* pcf Host / XML HostName: what the user picks */
	char address[256];       /* where to connect: pcf Host, XML HostAddress
				  * (HostName when there is no HostAddress) */
	char group[128];         /* pcf GroupName / XML UserGroup */
	char group_secret[256];  /* pcf group password: a non-empty GroupPwd, else
				  * enc_GroupPwd decrypted (as the Cisco client) */
	bool group_secret_set;
	char user[128];          /* pcf Username */
	char user_secret[256];   /* pcf saved user password (SaveUserPassword=1) */
	bool user_secret_set;

	/* .pcf only */
	unsigned auth_type;      /* enum pcf_auth; 1 when absent */
	bool nat_t;              /* EnableNat=1 and TunnelingMode=0: NAT-T over UDP */
	bool tcp_tunnel;         /* TunnelingMode=1: IPsec over TCP (Cisco proprietary) */
	unsigned tcp_port;       /* TcpTunnelingPort (10000 when absent) */
	unsigned dh_group;       /* DHGroup (2 when absent) */
	bool local_lan;          /* EnableLocalLAN=1 */

	/* XML only */
	bool standard_auth_only; /* StandardAuthenticationOnly true: standard EAP or certificates */
	char eap_method[32];     /* AuthMethodDuringIKENegotiation, "EAP-AnyConnect" by default */
	char ike_identity[128];  /* IKEIdentity (IDi for standard EAP) */
};

/* ---- Cisco VPN Client .pcf ---------------------------------------------- */
int profile_parse_pcf(const char *text, size_t len, struct client_profile *out,
		      char *err, size_t errlen) WUR;
/* Read and parse a file; the file buffer is wiped after parsing. */
int profile_load_pcf(const char *path, struct client_profile *out, char *err, size_t errlen) WUR;

/* ---- AnyConnect XML profile -------------------------------------------- */
/* Fill out from the HostEntry whose HostName (or else HostAddress) equals
 * host, case-insensitively; host NULL takes the first HostEntry. */
int profile_parse_xml(const char *text, size_t len, const char *host, struct client_profile *out,
		      char *err, size_t errlen) WUR;
int profile_load_xml(const char *path, const char *host, struct client_profile *out,
		     char *err, size_t errlen) WUR;
/* Call fn for every HostEntry in document order (for --list-hosts); address
 * is HostAddress, or HostName when absent.  The whole document is checked
 * first: fn is not called for a malformed file. */
int profile_xml_hosts(const char *text, size_t len,
		      void (*fn)(void *arg, const char *host_name, const char *address), void *arg,
		      char *err, size_t errlen) WUR;

/* Either format, told apart by its first non-blank byte ('<' is XML). */
int profile_load(const char *path, const char *host, struct client_profile *out,
		 char *err, size_t errlen) WUR;

/* ---- Cisco VPN Client password obfuscation (enc_GroupPwd) -------------- */
/* hex is the enc_GroupPwd value; out receives the NUL-terminated password.
 * Fails (and leaves out empty) on bad hex, a wrong checksum, bad padding,
 * a NUL inside the password, or a result that does not fit. */
int cisco_pwd_decrypt(const char *hex, char *out, size_t outlen) WUR;
/* The inverse, with 20 random salt bytes; hexout gets upper-case hex as the
 * Cisco client writes it (80 + 16 * (strlen(plain) / 8 + 1) chars + NUL). */
int cisco_pwd_encrypt(const char *plain, char *hexout, size_t outlen) WUR;
/* Same with a given salt: reproducible output for tests. */
int cisco_pwd_encrypt_salt(const char *plain, const unsigned char salt[20], char *hexout,
			   size_t outlen) WUR;

/* Wipe everything, secrets included (use before the profile goes away). */
void profile_wipe(struct client_profile *p);

#undef WUR
#endif
