/* The ESP data plane as ravpnd wires it: esp/ carries the traffic, ike/
 * hands it CHILD SAs through the narrow install/uninstall hooks, and the
 * counters flow back into the CHILD SAs that `show` prints. */
#ifndef RAVPN_DAEMON_DATAPLANE_H
#define RAVPN_DAEMON_DATAPLANE_H

#include <stdbool.h>

struct loop;
struct conf;
struct esp;

struct dataplane;

/* Starts the TUN device, the UDP 4500 socket group and raw ESP, and routes
 * every address pool into the TUN.  NULL on failure (logged). */
struct dataplane *dataplane_new(struct loop *l, const struct conf *c);
void dataplane_free(struct dataplane *dp);
/* The UDP 4500 socket IKE borrows (non-ESP-marker traffic lands there). */
int dataplane_ike_fd(const struct dataplane *dp);
/* Copy the data plane's counters into the CHILD SAs now (before a show). */
void dataplane_sync(struct dataplane *dp);
/* Routes for the pools of a new configuration (after a reload). */
void dataplane_reconf(struct dataplane *dp, const struct conf *c);

#endif
