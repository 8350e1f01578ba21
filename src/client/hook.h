/* The connect/disconnect hook: a vpnc-script compatible environment (the
 * variables vpnc and openconnect give /usr/share/vpnc-scripts/vpnc-script),
 * so a distribution's vpnc-script sets DNS, routes and the address.
 *
 *   reason                     pre-init | connect | disconnect
 *   VPNGATEWAY TUNDEV          gateway address, our TUN
 *   INTERNAL_IP4_ADDRESS       assigned address
 *   INTERNAL_IP4_NETMASK(LEN)  its netmask, when the gateway sent one
 *   INTERNAL_IP4_DNS/NBNS      space-separated servers
 *   CISCO_DEF_DOMAIN           default domain
 *   CISCO_BANNER               login banner
 *   CISCO_SPLIT_INC            number of split networks (absent: full tunnel)
 *   CISCO_SPLIT_INC_%d_ADDR/MASK/MASKLEN/PROTOCOL/SPORT/DPORT */
#ifndef RAVPN_CLIENT_HOOK_H
#define RAVPN_CLIENT_HOOK_H

#include <stddef.h>

#include "client/ini2.h"

#define HOOK_MAX_VARS (16 + 6 * INI2_MAX_NETS)

struct hook_env {
	char *v[HOOK_MAX_VARS];   /* "NAME=value", owned */
	size_t n;
};

/* lease may be NULL (pre-init); banner may be NULL. 0 or -1 (no memory). */
int hook_env_build(struct hook_env *e, const char *reason, const char *gateway,
		   const char *tundev, const struct ini2_lease *lease, const char *banner)
	__attribute__((warn_unused_result));
void hook_env_free(struct hook_env *e);
/* The value of NAME, or NULL. */
const char *hook_env_get(const struct hook_env *e, const char *name);
/* Run script with the current environment plus e; waits.  Returns its exit
 * status, or -1 if it could not run. */
int hook_run(const char *script, const struct hook_env *e);

#endif
