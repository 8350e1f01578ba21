/* IKEv1 initiator engine of ravpn-connect: the Cisco VPN Client dialect
 * (Aggressive Mode with a group name and group password, XAUTH, Mode
 * Config, Unity attributes, Quick Mode, DPD, NAT-T).  Same shape as the
 * IKEv2 engine (ini2.h): no sockets and no globals; the program (or the load
 * generator) gives each engine the hooks of ini2.h and feeds it the IKE
 * messages that arrive for it.
 *
 *   HDR, SA, KE, Ni, IDii(KEY_ID group), VID(XAUTH, Unity, NAT-T, DPD)  -->
 *              <--  HDR, SA, KE, Nr, IDir, HASH_R, VID..., NAT-D x2, [N(RESPONDER-LIFETIME)]
 *   (from here on UDP 4500 when the gateway speaks NAT-T)
 *   HDR*, HASH_I, N(INITIAL-CONTACT), NAT-D x2                          -->
 *              <--  XAUTH: CFG_REQUEST(name, password) ... CFG_SET(STATUS)
 *   CFG_REPLY(name, password) ... CFG_ACK                                -->
 *   Mode Config: CFG_REQUEST(address, mask, DNS, NBNS, domain, split, banner,
 *   PFS)  --> <-- CFG_REPLY            (a pushed CFG_SET is acknowledged too)
 *   Quick Mode: HASH(1), SA, Ni, [KE], IDci(address), IDcr(0/0)         -->
 *              <--  HASH(2), SA, Nr, [KE], IDci, IDcr, [N(RESPONDER-LIFETIME)]
 *   HASH(3)                                                             -->
 *
 * As with IKEv2, the NAT-D hash of our own address is random (what
 * strongSwan's libipsec does): the gateway then always uses UDP
 * encapsulation, which a user-space data plane can receive without a raw
 * socket. */
#ifndef RAVPN_CLIENT_INI1_H
#define RAVPN_CLIENT_INI1_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/ini2.h"

struct loop;

struct ini1_config {
	struct sockaddr_in local, gw;      /* for NAT-D (gw: its IKE port 500) */
	const char *group;                 /* IDii KEY_ID: the group (tunnel-group / vpngroup) */
	const char *group_secret;          /* the group password (PSK), borrowed */
	const char *user;                  /* XAUTH user name */
	const char *password;              /* XAUTH password, borrowed */
	uint16_t dh_group;                 /* phase 1 group (0 = 2, what vpnc and the ASA use) */
	uint16_t pfs_group;                /* Quick Mode PFS (0 = as the gateway's Unity PFS says) */
	bool real_natd;                    /* send our real NAT-D (raw ESP possible without NAT) */
	unsigned dpd_sec;                  /* idle seconds before R-U-THERE (0 = 30) */
	unsigned retrans_ms;               /* first retransmission (0 = 1000, doubling) */
	unsigned retrans_tries;            /* sends before giving up (0 = 5) */
	uint32_t child_lifetime;           /* seconds we propose (0 = 28800) */
	bool commit;                       /* set the commit bit in Quick Mode (RFC 2408 §3.1) */
};

/* What Mode Config gave us, beyond ini2_lease. */
struct ini1_extra {
	char banner[1024];
	bool save_password;
	bool pfs;                          /* Unity PFS: the gateway wants PFS */
	uint16_t natt_port;
};

struct ini1;
struct ini1 *ini1_new(struct loop *l, const struct ini1_config *c, const struct ini2_hooks *h);
int ini1_start(struct ini1 *s) __attribute__((warn_unused_result));
/* One IKE message from the gateway (non-ESP marker already removed). */
void ini1_input(struct ini1 *s, const uint8_t *data, size_t len);
/* Send DELETE for the IPsec and ISAKMP SAs and go down. */
void ini1_close(struct ini1 *s);
void ini1_free(struct ini1 *s);

bool ini1_is_up(const struct ini1 *s);
bool ini1_natt(const struct ini1 *s);      /* talking to the gateway's 4500 */
uint64_t ini1_cky_i(const struct ini1 *s);
uint64_t ini1_cky_r(const struct ini1 *s);
const struct ini1_extra *ini1_extra(const struct ini1 *s);
/* "AES-CBC-256/HMAC-SHA1/MODP-1024" of the ISAKMP SA. */
void ini1_suite(const struct ini1 *s, char *out, size_t len);

/* Pure pieces, tested on their own: our offers. */
struct ikev1_sa;
void ini1_p1_offer(struct ikev1_sa *out, uint16_t group, uint32_t life);
void ini1_p2_offer(struct ikev1_sa *out, uint32_t spi, uint16_t encap, uint16_t pfs_group,
		   uint32_t life);

#endif
