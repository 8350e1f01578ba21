/* The configuration model: what conf/ produces from ASA/PIX text and every
 * other layer reads.  Pure data, no behaviour, so every layer may include it
 * (conf/ itself sits above ike/ in DESIGN.md; the model does not).
 *
 * A model is immutable once conf_load() returns it; a reload builds a new
 * one and swaps it in; running SAs keep a reference to the one they were
 * built with (refcount).  Every object records the line it came from, and
 * attributes that decide a negotiation record their own line, for
 * `show ... explain` and for log lines that name the configuration.
 *
 * Addresses are IPv4 in host byte order (uint32_t).  Algorithms are kept as
 * IANA numbers (IKEv2 transform IDs; IKEv1 numbers where noted) so that
 * conf/ needs no crypto code. */
#ifndef RAVPN_CONF_MODEL_H
#define RAVPN_CONF_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONF_MAX_ALGS 16
#define CONF_MAX_LIST 8

struct conf_alg {
	uint16_t id;             /* IKEv2 transform ID */
	uint16_t key_bits;       /* 0 when the cipher has a fixed key */
};

struct conf_interface {
	char *hwname;            /* "Ethernet0/1" */
	char *nameif;            /* "outside"; NULL if none */
	int security_level;      /* kept for show output; ravpn filters nothing by it, so
	                          * conf/ also reports the line as "not used" */
	uint32_t addr, mask;     /* 0 if none */
	bool shutdown;
	int line;
};

/* crypto ikev2 policy N */
struct conf_ikev2_policy {
	unsigned priority;
	struct conf_alg encr[CONF_MAX_ALGS];
	size_t n_encr;
	uint16_t integ[CONF_MAX_ALGS];   /* IKEv2 INTEG IDs; "null" => n_integ == 0 */
	size_t n_integ;
	uint16_t prf[CONF_MAX_ALGS];     /* default: sha (2) */
	size_t n_prf;
	uint16_t group[CONF_MAX_ALGS];   /* default: 2 and 5 as the ASA */
	size_t n_group;
	uint32_t lifetime_sec;           /* default 86400 */
	int line;
	int line_encr, line_integ, line_prf, line_group, line_lifetime;
};

/* crypto ipsec ikev2 ipsec-proposal NAME */
struct conf_ipsec_proposal {
	char *name;
	struct conf_alg encr[CONF_MAX_ALGS];   /* ESP transform IDs */
	size_t n_encr;
	uint16_t integ[CONF_MAX_ALGS];   /* ESP INTEG IDs; 0 entry = "null" allowed */
	size_t n_integ;
	int line, line_encr, line_integ;
};

/* crypto ipsec [ikev1] transform-set NAME enc auth (IKEv1; parsed for the
 * later IKEv1 work, kept in the model) */
struct conf_transform_set {
	char *name;
	uint16_t esp_id;         /* IPsec DOI ESP transform ID */
	uint16_t key_bits;
	uint16_t auth_alg;       /* IPsec DOI auth attr; 0 = esp-none */
	int line;
};

/* crypto dynamic-map NAME SEQ set ... */
struct conf_dynmap_entry {
	char *name;
	unsigned seq;
	char *ikev2_proposals[CONF_MAX_LIST];
	size_t n_ikev2_proposals;
	char *transform_sets[CONF_MAX_LIST];   /* IKEv1 */
	size_t n_transform_sets;
	uint16_t pfs_group;              /* 0 = no PFS */
	uint32_t lifetime_sec;           /* 0 = global default */
	uint32_t lifetime_kb;
	bool reverse_route;
	int line, line_proposal, line_pfs, line_lifetime;
};

/* crypto map NAME SEQ ipsec-isakmp dynamic DYN / crypto map NAME interface IF */
struct conf_crypto_map_entry {
	char *name;
	unsigned seq;
	char *dynmap;            /* NULL for static entries */
	int line;
};
struct conf_crypto_map_binding {
	char *name;
	char *ifname;
	int line;
};

struct conf_trustpoint {
	char *name;
	bool enroll_self;
	char *subject;           /* subject-name "CN=..."; NULL = hostname */
	char *fqdn;
	/* ravpn extension: certificate and key from PEM files
	 *   crypto ca trustpoint TP
	 *    enrollment terminal
	 *    ravpn certificate-file /path/gw.pem
	 *    ravpn key-file /path/gw.key
	 *    ravpn ca-file /path/ca.pem       (CA that signs client certs) */
	char *cert_file;
	char *key_file;
	char *ca_file;
	int line;
};

/* ip local pool NAME A-B [mask M] */
struct conf_pool {
	char *name;
	uint32_t first, last;
	uint32_t mask;           /* 0 if not given: clients get /32 */
	int line;
};

/* access-list NAME standard permit|deny A M  (and "extended permit ip ...") */
struct conf_acl_entry {
	char *name;
	bool permit;
	uint32_t addr, mask;
	int line;
};

enum conf_split_policy { SPLIT_TUNNELALL = 0, SPLIT_TUNNELSPECIFIED, SPLIT_EXCLUDESPECIFIED };

enum conf_tunnel_proto {
	TUNPROTO_IKEV1 = 1 << 0,
	TUNPROTO_IKEV2 = 1 << 1,
	TUNPROTO_SSL_CLIENT = 1 << 2,
	TUNPROTO_SSL_CLIENTLESS = 1 << 3,
	TUNPROTO_L2TP_IPSEC = 1 << 4,
};

/* group-policy NAME internal / attributes.  An attribute not set here is
 * inherited from DfltGrpPolicy (the `set` flags tell which were given). */
struct conf_group_policy {
	char *name;
	bool internal;
	uint32_t dns[4];
	size_t n_dns;
	bool dns_set;            /* "dns-server none" sets it with n_dns 0 */
	uint32_t wins[4];
	size_t n_wins;
	bool wins_set;
	char *default_domain;    /* NULL for none */
	bool default_domain_set;
	uint32_t tunnel_protocols;   /* enum conf_tunnel_proto bits */
	bool tunnel_protocols_set;
	enum conf_split_policy split_policy;
	bool split_policy_set;
	char *split_acl;
	char *address_pools[CONF_MAX_LIST];
	size_t n_address_pools;
	unsigned idle_timeout_min;   /* default 30; 0 = none */
	bool idle_timeout_set;
	char *banner;
	int line, line_dns, line_wins, line_domain, line_protocols, line_split, line_split_acl,
	    line_pools, line_idle;
	/* added by conf/: which of the remaining attributes were given */
	bool split_acl_set;      /* "split-tunnel-network-list none" sets it with NULL */
	bool address_pools_set;  /* "address-pools none" sets it with n 0 */
	bool banner_set;         /* "banner none" sets it with NULL; lines joined by '\n' */
	int line_banner;
	/* IKEv1 (Cisco VPN Client) attributes, sent as Unity Mode Config
	 * attributes or deciding Quick Mode; inherited like the others. */
	bool pfs;                /* pfs enable|disable (Unity PFS 0x7007): the client must
	                          * offer PFS in Quick Mode; default disable.  PIX: vpngroup
	                          * NAME pfs */
	bool pfs_set;
	bool password_storage;   /* password-storage enable|disable (Unity SAVE_PASSWD
	                          * 0x7001); default disable */
	bool password_storage_set;
	unsigned session_timeout_min;    /* vpn-session-timeout N|none; default none (0).
	                                  * PIX: vpngroup NAME max-time SECONDS (rounded up) */
	bool session_timeout_set;
	char *split_dns[CONF_MAX_LIST];  /* split-dns value D1 D2 | none (Unity SPLIT_DNS_NAME
	                                  * 0x7003, joined with ','); PIX: vpngroup NAME split-dns */
	size_t n_split_dns;
	bool split_dns_set;
	int line_pfs, line_password_storage, line_session_timeout, line_split_dns;
};

enum conf_auth { AUTH_UNSET = 0, AUTH_EAP, AUTH_PSK, AUTH_CERT };

/* IKEv1 user authentication after phase 1 (tunnel-group ipsec-attributes) */
enum conf_v1_uauth { V1UAUTH_XAUTH = 0, V1UAUTH_NONE, V1UAUTH_HYBRID };

/* tunnel-group NAME type remote-access + general/ipsec/webvpn attributes */
struct conf_tunnel_group {
	char *name;
	bool remote_access;
	char *address_pools[CONF_MAX_LIST];
	size_t n_address_pools;
	char *default_group_policy;  /* NULL = DfltGrpPolicy */
	char *authn_server_group;    /* NULL or "LOCAL" = local users */
	bool authn_fallback_local;   /* "... TAG LOCAL" */
	enum conf_auth ikev2_remote_auth;
	char *ikev2_remote_psk;      /* secret: never logged */
	bool eap_query_identity;
	enum conf_auth ikev2_local_auth;
	char *ikev2_local_trustpoint;
	char *ikev2_local_psk;       /* secret */
	char *ikev1_psk;             /* secret */
	unsigned keepalive_threshold;    /* seconds; default 10 */
	unsigned keepalive_retry;        /* seconds; default 2 */
	bool keepalive_disabled;
	char *group_aliases[CONF_MAX_LIST];
	size_t n_group_aliases;
	int line, line_pool, line_gp, line_authn, line_remote_auth, line_local_auth,
	    line_keepalive, line_alias;
	/* added by conf/ */
	char *authz_server_group;    /* authorization-server-group TAG */
	char *acct_server_group;     /* accounting-server-group TAG */
	char *authn_server_ifname;   /* authentication-server-group (IF) TAG */
	char *type_name;             /* "remote-access", "ipsec-l2l", "webvpn"; NULL for the
	                              * built-in groups, which have no type line */
	int line_authz, line_acct, line_ikev1_psk;
	/* ikev1 user-authentication [(IF)] xauth|none|hybrid (8.4+), isakmp
	 * ikev1-user-authentication ... (7.x-8.3): whether IKEv1 asks for
	 * XAUTH after phase 1 (default xauth on the ASA) */
	enum conf_v1_uauth ikev1_user_auth;
	char *ikev1_user_auth_ifname;   /* "(outside)" without parentheses; NULL = all */
	int line_ikev1_user_auth;
};

enum conf_pw_kind {
	PW_PLAIN,                /* username U password P */
	PW_CISCO_MD5,            /* "encrypted": Cisco PIX/ASA MD5 hash */
	PW_NT_HASH,              /* "nt-encrypted": hex of the NT hash (MD4 of UTF-16LE) */
	PW_NONE,                 /* nopassword */
};

struct conf_user {
	char *name;
	char *password;          /* secret: never logged */
	enum conf_pw_kind kind;
	unsigned privilege;
	char *group_policy;      /* username U attributes / vpn-group-policy */
	int line;
	int line_group_policy;   /* added by conf/ */
};

struct conf_aaa_server_group {
	char *name;
	char *protocol;          /* "radius", "tacacs+", "ldap", ... */
	int line;
};

/* aaa-server TAG [(IF)] host ADDR [KEY] [timeout N] (+ host sub-mode:
 * key, authentication-port, accounting-port, timeout, retry-interval) */
struct conf_aaa_server {
	char *group;             /* the TAG of an aaa-server group */
	char *ifname;            /* "(inside)" without the parentheses; NULL if not given */
	uint32_t addr;
	char *key;               /* secret: never logged */
	unsigned auth_port;      /* 0 = protocol default (RADIUS 1645 on the ASA, TACACS+ 49) */
	unsigned acct_port;      /* 0 = protocol default */
	unsigned timeout_sec;    /* default 10 */
	unsigned retry_interval_sec;   /* default 10 */
	int line, line_key;
};

/* IKEv1 (Cisco VPN Client): crypto ikev1 policy N (ASA 8.4+), crypto isakmp
 * policy N (ASA 7/8.0-8.3), isakmp policy N ... (PIX 6).  Oakley numbers
 * (protocol.md 4.4): encr 1 des, 5 3des, 7 aes (+key_bits); hash 1 md5,
 * 2 sha; auth 1 pre-share, 3 rsa-sig. */
struct conf_ikev1_policy {
	unsigned priority;
	uint16_t auth;           /* default 3 (rsa-sig) on the ASA; PIX default 1 (pre-share);
	                          * CONF_IKEV1_AUTH_CRACK for "crack" (not negotiable by ravpn) */
	uint16_t encr;           /* default 5 (3des) */
	uint16_t key_bits;       /* AES only */
	uint16_t hash;           /* default 2 (sha) */
	uint16_t group;          /* default 2 */
	uint32_t lifetime_sec;   /* default 86400 */
	int line;
	/* the line of each attribute (0 = the default), for `explain` */
	int line_auth, line_encr, line_hash, line_group, line_lifetime;
};
/* "authentication crack" (Challenge/Response for Authenticated Keys): kept
 * so the configuration loads and writes back, but ravpn has no CRACK
 * engine, so a policy with it never matches.  Not an Oakley number. */
#define CONF_IKEV1_AUTH_CRACK 0xfffe

/* PIX: isakmp key KEY address A [netmask M] [no-xauth] [no-config-mode] */
struct conf_isakmp_key {
	char *key;               /* secret */
	uint32_t addr, mask;
	bool no_xauth, no_config_mode;
	int line;
};

/* PIX: crypto map NAME client configuration address initiate|respond,
 *      crypto map NAME client [token] authentication TAG */
struct conf_crypto_map_client {
	char *name;
	bool config_initiate;    /* push (Mode Config SET) */
	bool config_respond;     /* pull (Mode Config REQUEST) */
	char *authn_server_group;    /* XAUTH against this aaa-server group; NULL = none */
	int line_config, line_authn;
};

/* A line that ravpn keeps but does not act on ("not used by ravpn"). */
struct conf_unused {
	int line;
	char *text;
};

struct conf {
	char *path;
	char *hostname;
	char *domain_name;
	struct conf_interface *ifaces;            size_t n_ifaces;
	struct conf_ikev2_policy *ikev2_policies; size_t n_ikev2_policies;  /* sorted by priority */
	char *ikev2_enabled_ifaces[CONF_MAX_LIST]; size_t n_ikev2_enabled;
	int line_ikev2_enable;
	bool ikev2_client_services;
	unsigned ikev2_client_services_port;
	char *ikev2_ra_trustpoint;               /* crypto ikev2 remote-access trustpoint */
	int line_ikev2_ra_trustpoint;
	unsigned ikev2_cookie_threshold;         /* crypto ikev2 cookie-challenge N (% of half-open limit); ravpn: absolute count, default 64 */
	bool ikev2_fragmentation;                /* default on; "no crypto ikev2 fragmentation" */
	struct conf_ipsec_proposal *proposals;   size_t n_proposals;
	struct conf_transform_set *transform_sets; size_t n_transform_sets;
	struct conf_dynmap_entry *dynmaps;       size_t n_dynmaps;       /* sorted by (name, seq) */
	struct conf_crypto_map_entry *cmaps;     size_t n_cmaps;
	struct conf_crypto_map_binding *cmap_bindings; size_t n_cmap_bindings;
	uint32_t ipsec_lifetime_sec;             /* crypto ipsec security-association lifetime; default 28800 */
	uint32_t ipsec_lifetime_kb;              /* default 4608000 */
	unsigned replay_window;                  /* default 64 */
	struct conf_trustpoint *trustpoints;     size_t n_trustpoints;
	struct conf_pool *pools;                 size_t n_pools;
	struct conf_acl_entry *acl;              size_t n_acl;
	struct conf_group_policy *group_policies; size_t n_group_policies;   /* includes DfltGrpPolicy */
	struct conf_tunnel_group *tunnel_groups; size_t n_tunnel_groups;     /* includes DefaultRAGroup only if configured */
	struct conf_user *users;                 size_t n_users;
	struct conf_aaa_server_group *aaa_groups; size_t n_aaa_groups;
	struct conf_unused *unused;              size_t n_unused;
	/* ravpn extensions (documented in README):
	 *   ravpn tun-name NAME, ravpn tun-mtu N */
	char *tun_name;
	unsigned tun_mtu;
	unsigned refs;

	/* added by conf/ */
	struct conf_aaa_server *aaa_servers;     size_t n_aaa_servers;
	/* IKEv1 (ASA crypto ikev1 / crypto isakmp, PIX isakmp) */
	struct conf_ikev1_policy *ikev1_policies; size_t n_ikev1_policies;  /* sorted by priority */
	char *ikev1_enabled_ifaces[CONF_MAX_LIST]; size_t n_ikev1_enabled;
	int line_ikev1_enable;
	struct conf_isakmp_key *isakmp_keys;     size_t n_isakmp_keys;
	int isakmp_identity;                     /* 0 auto (default), 1 address, 2 hostname, 3 key-id */
	unsigned isakmp_keepalive_threshold;     /* PIX isakmp keepalive N [R]; 0 = not set */
	unsigned isakmp_keepalive_retry;
	bool isakmp_nat_traversal;               /* isakmp nat-traversal [N] / crypto isakmp nat-traversal */
	unsigned isakmp_nat_keepalive;           /* its keepalive interval, default 20 */
	char *isakmp_client_pool;                /* PIX: isakmp client configuration address-pool local P [IF] */
	char *isakmp_client_pool_ifname;
	int line_isakmp_client_pool;
	struct conf_crypto_map_client *cmap_clients; size_t n_cmap_clients;
	int line_tun_name, line_tun_mtu;     /* tun_name NULL / tun_mtu 0: not configured */
	/* crypto ikev1 am-disable / crypto isakmp am-disable (PIX: isakmp
	 * am-disable): refuse Aggressive Mode, which the Cisco VPN Client needs
	 * for group (PSK) authentication */
	bool ikev1_am_disabled;
	int line_ikev1_am_disable;
	/* timeout uauth H:MM:SS [absolute|inactivity] (PIX/ASA): how long an
	 * XAUTH user stays in `show uauth`; 0 = not set (ASA default 0:05:00) */
	unsigned uauth_timeout_sec;
	bool uauth_inactivity;                   /* false = absolute (the default) */
	int line_uauth_timeout;
};

#endif
