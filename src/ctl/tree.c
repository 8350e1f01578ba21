/* The command tree of ravpnctl / the control socket, as tables.  Children
 * come before their parents (C has no forward declaration of a static
 * array), so read the file from the bottom up. */
#include <time.h>

#include "base/log.h"
#include "base/loop.h"
#include "ctl/cmd.h"

#define END { 0 }
#define DBG(cat) (CTL_TAG_DEBUG_BASE + (cat))

/* ---- show ---------------------------------------------------------------- */

static const struct ctl_node show_ikev2_sa_sub[] = {
	{ "detail", "Show detailed IKEv2 SA information", CTL_KW, NULL, cmd_show_ikev2_sa,
	  CTL_TAG_DETAIL, 0, 0, 0 },
	END,
};

static const struct ctl_node show_ikev2_sub[] = {
	{ "sa", "Show IKEv2 security associations", CTL_KW, show_ikev2_sa_sub, cmd_show_ikev2_sa,
	  0, 0, 0, 0 },
	END,
};

static const struct ctl_node show_ikev1_sa_sub[] = {
	{ "detail", "Show detailed IKEv1 SA information", CTL_KW, NULL, cmd_show_ikev1_sa,
	  CTL_TAG_DETAIL, 0, 0, 0 },
	END,
};

static const struct ctl_node show_ikev1_sub[] = {
	{ "sa", "Show IKEv1 security associations", CTL_KW, show_ikev1_sa_sub, cmd_show_ikev1_sa,
	  0, 0, 0, 0 },
	END,
};

static const struct ctl_node show_isakmp_sa_sub[] = {
	{ "detail", "Show detailed IKEv1 and IKEv2 SA information", CTL_KW, NULL,
	  cmd_show_isakmp_sa, CTL_TAG_DETAIL, 0, 0, 0 },
	END,
};

static const struct ctl_node show_isakmp_sub[] = {
	{ "sa", "Show IKEv1 and IKEv2 security associations", CTL_KW, show_isakmp_sa_sub,
	  cmd_show_isakmp_sa, 0, 0, 0, 0 },
	END,
};

static const struct ctl_node show_ipsec_sub[] = {
	{ "sa", "Show IPsec security associations", CTL_KW, NULL, cmd_show_ipsec_sa, 0, 0, 0, 0 },
	END,
};

static const struct ctl_node show_ca_cert_sub[] = {
	{ "WORD", "Trustpoint name", CTL_WORD, NULL, cmd_show_certs, 0, 0, 0, 0 },
	END,
};

static const struct ctl_node show_ca_sub[] = {
	{ "certificates", "Show the certificates (PEM) of the trustpoints", CTL_KW,
	  show_ca_cert_sub, cmd_show_certs, 0, 0, 0, 0 },
	END,
};

static const struct ctl_node show_crypto_sub[] = {
	{ "ca", "Show certificate authority information", CTL_KW, show_ca_sub, NULL, 0, 0, 0, 0 },
	{ "ikev1", "Show IKEv1 information", CTL_KW, show_ikev1_sub, NULL, 0, 0, 0, 0 },
	{ "ikev2", "Show IKEv2 information", CTL_KW, show_ikev2_sub, NULL, 0, 0, 0, 0 },
	{ "ipsec", "Show IPsec information", CTL_KW, show_ipsec_sub, NULL, 0, 0, 0, 0 },
	{ "isakmp", "Show ISAKMP (IKEv1 and IKEv2) information", CTL_KW, show_isakmp_sub, NULL,
	  0, 0, 0, 0 },
	END,
};

static const struct ctl_node show_sessdb_detail_sub[] = {
	{ "anyconnect", "AnyConnect (IKEv2) sessions", CTL_KW, NULL, cmd_show_sessions, 0, 0, 0, 0 },
	{ "remote", "Remote access (IKEv1 IPsec) sessions", CTL_KW, NULL, cmd_show_remote, 0, 0, 0,
	  0 },
	END,
};

static const struct ctl_node show_sessdb_sub[] = {
	{ "anyconnect", "AnyConnect (IKEv2) sessions", CTL_KW, NULL, cmd_show_sessions, 0, 0, 0, 0 },
	{ "detail", "Show detailed session information", CTL_KW, show_sessdb_detail_sub, NULL,
	  CTL_TAG_DETAIL, 0, 0, 0 },
	{ "remote", "Remote access (IKEv1 IPsec) sessions", CTL_KW, NULL, cmd_show_remote, 0, 0, 0,
	  0 },
	{ "summary", "Show the session summary", CTL_KW, NULL, cmd_show_summary, 0, 0, 0, 0 },
	END,
};

static const struct ctl_node show_pool_sub[] = {
	{ "WORD", "Pool name", CTL_WORD, NULL, cmd_show_pool, 0, 0, 0, 0 },
	END,
};

static const struct ctl_node show_local_sub[] = {
	{ "pool", "Show address pools", CTL_KW, show_pool_sub, cmd_show_pool, 0, 0, 0, 0 },
	END,
};

static const struct ctl_node show_ip_sub[] = {
	{ "local", "Show local address information", CTL_KW, show_local_sub, NULL, 0, 0, 0, 0 },
	END,
};

static const struct ctl_node show_sub[] = {
	{ "crypto", "Show crypto information", CTL_KW, show_crypto_sub, NULL, 0, 0, 0, 0 },
	{ "debug", "Show the debug switches that are on", CTL_KW, NULL, cmd_show_debug, 0, 0, 0, 0 },
	{ "ip", "Show IP information", CTL_KW, show_ip_sub, NULL, 0, 0, 0, 0 },
	{ "running-config", "Show the running configuration (secrets masked)", CTL_KW, NULL,
	  cmd_show_running, 0, 0, 0, 0 },
	{ "uauth", "Show the users authenticated by XAUTH", CTL_KW, NULL, cmd_show_uauth, 0, 0, 0,
	  0 },
	{ "version", "Show the ravpn version", CTL_KW, NULL, cmd_show_version, 0, 0, 0, 0 },
	{ "vpn-sessiondb", "Show VPN sessions", CTL_KW, show_sessdb_sub, cmd_show_summary,
	  0, 0, 0, 0 },
	END,
};

/* ---- debug / no debug / undebug ------------------------------------------ */

static const struct ctl_node level_sub[] = {
	{ "<1-255>", "Debug level (default 1)", CTL_NUM, NULL, cmd_debug, 0, 0, 1, 255 },
	END,
};

#define LEVELED(word, help, cat) \
	{ word, help, CTL_KW, level_sub, cmd_debug, DBG(cat), 0, 0, 0 }

static const struct ctl_node debug_ikev2_sub[] = {
	LEVELED("platform", "IKEv2 platform (data plane hand-off) debugging", LOG_IKEV2_PLATFORM),
	LEVELED("protocol", "IKEv2 protocol debugging", LOG_IKEV2),
	END,
};

static const struct ctl_node debug_secrets_sub[] = {
	{ "off", "Never print secrets (default)", CTL_KW, NULL, cmd_debug_secrets, CTL_TAG_OFF,
	  0, 0, 0 },
	{ "on", "Print keys, PSKs and passwords in debug output", CTL_KW, NULL, cmd_debug_secrets,
	  CTL_TAG_ON, 0, 0, 0 },
	END,
};

static const struct ctl_node debug_crypto_sub[] = {
	{ "ikev1", "IKEv1 debugging", CTL_KW, level_sub, cmd_debug, DBG(LOG_IKEV1), 0, 0, 0 },
	{ "ikev2", "IKEv2 debugging", CTL_KW, debug_ikev2_sub, NULL, 0, 0, 0, 0 },
	LEVELED("ipsec", "IPsec (ESP data plane) debugging", LOG_IPSEC),
	LEVELED("isakmp", "ISAKMP (IKEv1) debugging", LOG_IKEV1),
	{ "secrets", "Allow secrets in debug output (on|off)", CTL_KW, debug_secrets_sub,
	  cmd_debug_secrets, 0, 0, 0, 0 },
	END,
};

static const struct ctl_node debug_aggauth_sub[] = {
	LEVELED("xml", "AnyConnect aggregate-auth XML debugging", LOG_XML),
	END,
};

static const struct ctl_node debug_radius_sub[] = {
	{ "all", "All RADIUS debugging", CTL_KW, NULL, cmd_debug, 0, 0, 0, 0 },
	END,
};

#define DEBUG_COMMON                                                                          \
	LEVELED("aaa", "AAA (local users, address pools) debugging", LOG_AAA),               \
	{ "aggregate-auth", "AnyConnect aggregate-auth debugging", CTL_KW, debug_aggauth_sub,  \
	  NULL, 0, 0, 0, 0 },                                                                 \
	{ "crypto", "Crypto debugging", CTL_KW, debug_crypto_sub, NULL, 0, 0, 0, 0 },          \
	{ "radius", "RADIUS debugging", CTL_KW, debug_radius_sub, cmd_debug, DBG(LOG_RADIUS),   \
	  0, 0, 0 },                                                                          \
	{ "tacacs", "TACACS+ debugging", CTL_KW, NULL, cmd_debug, DBG(LOG_TACACS), 0, 0, 0 }

static const struct ctl_node debug_sub[] = {
	DEBUG_COMMON,
	END,
};

static const struct ctl_node no_debug_sub[] = {
	DEBUG_COMMON,
	{ "all", "Turn off all debugging", CTL_KW, NULL, cmd_undebug_all, 0, 0, 0, 0 },
	END,
};

static const struct ctl_node no_sub[] = {
	{ "debug", "Turn off debugging", CTL_KW, no_debug_sub, NULL, 0, 0, 0, 0 },
	END,
};

static const struct ctl_node undebug_sub[] = {
	{ "all", "Turn off all debugging", CTL_KW, NULL, cmd_undebug_all, 0, 0, 0, 0 },
	END,
};

/* ---- clear / vpn-sessiondb logoff ----------------------------------------- */

static const struct ctl_node clear_ikev2_sa_sub[] = {
	{ "<1-4294967295>", "Tunnel-id of the IKEv2 SA", CTL_NUM, NULL, cmd_clear_ikev2_sa, 0, 0,
	  1, 4294967295ul },
	END,
};

static const struct ctl_node clear_ikev2_sub[] = {
	{ "sa", "Delete IKEv2 SAs (all, or one tunnel-id)", CTL_KW, clear_ikev2_sa_sub,
	  cmd_clear_ikev2_sa, 0, 0, 0, 0 },
	END,
};

static const struct ctl_node clear_crypto_sub[] = {
	{ "ikev2", "Clear IKEv2 state", CTL_KW, clear_ikev2_sub, NULL, 0, 0, 0, 0 },
	END,
};

static const struct ctl_node clear_sessdb_sub[] = {
	{ "all", "Log off every VPN session", CTL_KW, NULL, cmd_clear_sessions, 0, 0, 0, 0 },
	END,
};

static const struct ctl_node clear_sub[] = {
	{ "crypto", "Clear crypto state", CTL_KW, clear_crypto_sub, NULL, 0, 0, 0, 0 },
	{ "vpn-sessiondb", "Clear VPN sessions", CTL_KW, clear_sessdb_sub, NULL, 0, 0, 0, 0 },
	END,
};

static const struct ctl_node logoff_index_sub[] = {
	{ "<1-4294967295>", "Session index", CTL_NUM, NULL, cmd_logoff, 0, 0, 1, 4294967295ul },
	END,
};

static const struct ctl_node logoff_sub[] = {
	{ "all", "Log off every VPN session", CTL_KW, NULL, cmd_logoff, CTL_TAG_ALL, 0, 0, 0 },
	{ "index", "Log off one session by its index", CTL_KW, logoff_index_sub, NULL,
	  CTL_TAG_INDEX, 0, 0, 0 },
	END,
};

static const struct ctl_node sessdb_sub[] = {
	{ "logoff", "Log off VPN sessions", CTL_KW, logoff_sub, NULL, 0, 0, 0, 0 },
	END,
};

/* ---- top level ------------------------------------------------------------- */

static const struct ctl_node top_sub[] = {
	{ "clear", "Reset functions", CTL_KW, clear_sub, NULL, 0, 0, 0, 0 },
	{ "debug", "Turn on debugging", CTL_KW, debug_sub, NULL, 0, 0, 0, 0 },
	{ "no", "Negate a command", CTL_KW, no_sub, NULL, 0, CTL_F_NEGATE, 0, 0 },
	{ "show", "Show running system information", CTL_KW, show_sub, NULL, 0, 0, 0, 0 },
	{ "undebug", "Turn off debugging", CTL_KW, undebug_sub, NULL, 0, 0, 0, 0 },
	{ "vpn-sessiondb", "Manage VPN sessions", CTL_KW, sessdb_sub, NULL, 0, 0, 0, 0 },
	END,
};

const struct ctl_node ctl_root = { "", "", CTL_KW, top_sub, NULL, 0, 0, 0, 0 };

char *ctl_exec(const struct ctl_env *env, const char *line, bool json)
{
	struct ctl_clock now = { time(NULL), loop_now_ms() };
	return ctl_exec_tree(&ctl_root, env, line, json, &now);
}
