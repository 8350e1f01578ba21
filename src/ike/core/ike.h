/* IKE transport: the UDP sockets on ports 500 and 4500 shared by IKEv1,
 * IKEv2 and UDP-encapsulated ESP.
 *
 * Sockets are bound to the address of the interface named in
 * `crypto ikev2 enable IF` (or `crypto ikev1 enable IF`); when that address
 * is unknown or not configured on the host, to INADDR_ANY with a warning.
 * IP_PKTINFO tells which local address a datagram arrived on; replies leave
 * from that address.
 *
 * Port 4500 demux (RFC 3948 §2.2):
 *   1 byte 0xFF              NAT keepalive: ignored
 *   4 zero bytes + IKE       non-ESP marker: IKE message (marker stripped)
 *   anything else            ESP in UDP: handed to the hook set with
 *                            ike_set_esp_input() (the data plane), else dropped
 * IKE messages are handed to the handler registered for their major
 * version (byte 17 of the header: 0x2X = IKEv2, 0x1X = IKEv1). */
#ifndef RAVPN_IKE_CORE_IKE_H
#define RAVPN_IKE_CORE_IKE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;
struct conf;

#define IKE_PORT 500
#define IKE_NATT_PORT 4500

struct ike_pkt {
	const uint8_t *data;          /* the IKE message (non-ESP marker removed) */
	size_t len;
	struct sockaddr_in from;      /* peer address and port */
	struct sockaddr_in to;        /* our address (IP_PKTINFO) and the port it came to */
	bool natt;                    /* arrived on the NAT-T port (marker present) */
	const char *ifname;           /* nameif of the interface (borrowed from the conf) */
};

typedef void (*ike_msg_fn)(void *arg, const struct ike_pkt *p);
typedef void (*ike_esp_input_fn)(void *arg, const uint8_t *pkt, size_t len,
				 const struct sockaddr_in *from, const struct sockaddr_in *to);
/* Test hook: replaces the socket send. */
typedef int (*ike_send_fn)(void *arg, const struct sockaddr_in *from,
			   const struct sockaddr_in *to, const uint8_t *data, size_t len);

struct ike_io_opts {
	uint16_t port, natt_port;     /* 0 = 500 / 4500 */
	bool no_sockets;              /* tests: feed ike_io_input(), capture with a send hook */
	/* Use this already bound UDP 4500 socket instead of opening one (the
	 * data plane's SO_REUSEPORT group, esp_get_ike_fd()).  Borrowed: never
	 * closed here.  IKE then arrives with the non-ESP marker as usual. */
	bool borrow_natt_fd;
	int natt_fd;
};

struct ike_io;
struct ike_io *ike_io_new(struct loop *l, const struct conf *c, const struct ike_io_opts *o);
void ike_io_free(struct ike_io *io);
/* After a reload: rebind when the enabled interface's address changed. */
int ike_io_reconf(struct ike_io *io, const struct conf *c) __attribute__((warn_unused_result));
void ike_io_set_handler(struct ike_io *io, int major_version, ike_msg_fn fn, void *arg);
void ike_io_set_send_hook(struct ike_io *io, ike_send_fn fn, void *arg);
/* Send an IKE message; the non-ESP marker is added when from's port is
 * the NAT-T port.  Returns 0 or -1 (logged, rate limited). */
int ike_io_send(struct ike_io *io, const struct sockaddr_in *from, const struct sockaddr_in *to,
		const uint8_t *msg, size_t len);
/* Feed one datagram as if received (tests, and the socket reader). */
void ike_io_input(struct ike_io *io, const uint8_t *data, size_t len,
		  const struct sockaddr_in *from, const struct sockaddr_in *to);
uint16_t ike_io_port(const struct ike_io *io, bool natt);
/* The nameif IKE runs on (first enabled interface), for crypto map lookup. */
const char *ike_io_ifname(const struct ike_io *io);

/* Data-plane hooks (process-wide). */
void ike_set_esp_input(ike_esp_input_fn fn, void *arg);
/* Send a UDP-encapsulated ESP packet from the NAT-T socket (no marker). */
int ike_esp_send(const struct sockaddr_in *from, const struct sockaddr_in *to,
		 const uint8_t *pkt, size_t len);

/* Counters for show/debug. */
struct ike_io_stats {
	uint64_t rx, tx, rx_esp, rx_keepalive, rx_short, rx_nohandler, tx_errors;
};
void ike_io_get_stats(const struct ike_io *io, struct ike_io_stats *out);

#endif
