/* The client's data plane: esp/ with its own TUN (e.g. rvc0) and its own
 * UDP port (ESP in UDP and IKE on the NAT-T path share it, as RFC 3948
 * wants); the assigned address and the routes on the TUN. */
#ifndef RAVPN_CLIENT_TUNNEL_H
#define RAVPN_CLIENT_TUNNEL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "client/ini2.h"

struct loop;
struct tunnel;

/* tun NULL: no TUN (IKE only, for tests and load); port: local UDP port. */
struct tunnel *tunnel_new(struct loop *l, const char *tun, uint16_t port);
void tunnel_free(struct tunnel *t);
int tunnel_ike_fd(const struct tunnel *t);
const char *tunnel_name(const struct tunnel *t);
uint32_t tunnel_spi(struct tunnel *t);
int tunnel_child_up(struct tunnel *t, const struct ini2_child *c, const struct sockaddr_in *gw)
	__attribute__((warn_unused_result));
void tunnel_child_down(struct tunnel *t, uint32_t spi_in);
/* Address (and the netmask's connected route) and, when routes, the split
 * networks or 0/1 + 128/1 for a full tunnel. */
int tunnel_configure(struct tunnel *t, const struct ini2_lease *l, bool routes)
	__attribute__((warn_unused_result));
/* ESP packets in and out of the SA (for the summary line). */
void tunnel_counters(struct tunnel *t, uint32_t spi_in, uint64_t *in, uint64_t *out);

#endif
