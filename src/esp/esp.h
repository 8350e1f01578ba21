/* ravpn ESP data plane: SAD, RFC 4303 tunnel mode in user space over TUN.
 *
 * The kernels ravpn runs on have no IPsec, so the data plane is ours:
 *
 *   TUN queue[w] --read--> dst = a client's assigned address --> SA (out)
 *        --> encrypt --> sendmmsg on UDP 4500 socket[w] (RFC 3948) or raw ESP
 *   UDP 4500 socket[w] / raw ESP --recvmmsg--> SPI --> SA (in) --> replay
 *        check --> ICV/decrypt --> replay commit --> inner src == SA address
 *        --> write TUN queue[w]
 *
 * Threads.  One worker thread per core (esp_config.workers) owns one TUN
 * queue (IFF_MULTI_QUEUE), one UDP socket of a SO_REUSEPORT group on port
 * 4500 and a share of the raw ESP socket.  The control thread (the IKE event
 * loop) calls every function of this header; it never touches a packet.
 * SA lookups on the packet path are lock-free (RCU-style, with quiescent
 * states reported by the workers); SA memory is freed only after every
 * worker has passed a quiescent state.
 *
 * UDP 4500 (RFC 3948).  esp_start() builds the SO_REUSEPORT group: socket
 * 0 belongs to ike/ (esp_get_ike_fd), sockets 1..N to the workers.  A
 * classic BPF program attached to the group sends every datagram whose
 * first four bytes are the non-ESP marker 0x00000000 (IKE), and anything
 * shorter than an ESP header (NAT keepalive 0xff), to socket 0, and ESP to
 * worker 1 + SPI % N, so each inbound SA stays on one worker.  ike/ reads and
 * sends IKE on socket 0 as on any UDP socket (it binds 0.0.0.0:4500), and
 * must not close it (esp_free does).  An ESP datagram that still reaches
 * ike/ (e.g. the program failed to attach on an exotic kernel) can be handed
 * over with esp_input_udp().
 *
 * Offloads (esp_config.no_offload turns them off): the TUN queues use
 * IFF_VNET_HDR with TSO4, so the kernel hands over 64 KB TCP super-packets
 * that the workers cut into MSS segments; decrypted TCP segments of one flow
 * are merged back into super-packets when written to the TUN (GRO); runs of
 * equal-size ESP datagrams to one peer leave as one UDP GSO send.
 *
 * Events (soft/hard expiry) are delivered on the control thread from a
 * one-second timer on the loop given to esp_new(), or from esp_tick().
 *
 * Results: 0 on success, a negative errno value on failure. */
#ifndef RAVPN_ESP_ESP_H
#define RAVPN_ESP_ESP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ESP_WUR __attribute__((warn_unused_result))

struct esp;
struct loop;
struct crypto_encr;
struct crypto_integ;

#define ESP_DEFAULT_TUN_NAME "ravpn0"
#define ESP_DEFAULT_TUN_MTU 1400
#define ESP_DEFAULT_UDP_PORT 4500
#define ESP_DEFAULT_REPLAY_WINDOW 64
#define ESP_MAX_REPLAY_WINDOW 1024
#define ESP_MAX_WORKERS 64

struct esp_config {
	const char *tun_name;      /* NULL = "ravpn0"; "" = no TUN (tests) */
	unsigned tun_mtu;          /* 0 = 1400 */
	struct in_addr tun_addr;   /* optional address on the TUN (0 = none) */
	uint8_t tun_prefix;        /* its prefix length */
	unsigned workers;          /* 0 = one per online CPU, at most ESP_MAX_WORKERS */
	uint16_t udp_port;         /* 0 = 4500; ESP_NO_UDP = no UDP group */
	struct in_addr udp_bind;   /* 0.0.0.0 by default */
	bool raw_esp;              /* open socket(AF_INET, SOCK_RAW, IPPROTO_ESP) */
	bool no_offload;           /* do not use IFF_VNET_HDR/TSO on the TUN */
	unsigned batch;            /* packets per recvmmsg/sendmmsg, 0 = 64 */
};
#define ESP_NO_UDP 0xffff

/* ---- life cycle -------------------------------------------------------- */

enum esp_event_kind {
	ESP_EV_SOFT_EXPIRE,        /* soft lifetime reached: rekey (or expect the client's) */
	ESP_EV_HARD_EXPIRE,        /* hard lifetime reached: the SA is already removed */
};

struct esp_sa_stats;

struct esp_event {
	enum esp_event_kind kind;
	uint64_t owner;            /* esp_sa_params.owner (IKE SA serial) */
	uint32_t spi_in, spi_out;
	bool by_bytes;             /* the kilobyte lifetime, not the seconds one */
	const struct esp_sa_stats *final;   /* HARD_EXPIRE: last counters */
};

typedef void (*esp_event_fn)(const struct esp_event *ev, void *arg);

/* loop may be NULL: then the caller runs esp_tick() itself (tests). */
struct esp *esp_new(const struct esp_config *cfg, struct loop *loop, esp_event_fn fn, void *arg);
/* Open the TUN queues and sockets and start the workers. */
int esp_start(struct esp *e) ESP_WUR;
/* Stops the workers, removes every SA (wiping keys), closes everything. */
void esp_free(struct esp *e);

/* Socket 0 of the UDP group, for IKE on port 4500 (borrowed). -1 if none. */
int esp_get_ike_fd(const struct esp *e);
const char *esp_get_tun_name(const struct esp *e);
unsigned esp_get_workers(const struct esp *e);

/* A route for an address pool (or any prefix) into the TUN (netlink). */
int esp_route_add(struct esp *e, struct in_addr prefix, uint8_t len) ESP_WUR;
int esp_route_del(struct esp *e, struct in_addr prefix, uint8_t len);

/* Sweep lifetimes, free retired SA memory, fire events.  Called every
 * second by the loop timer; now_ms is loop_now_ms() (tests pass their own). */
void esp_tick(struct esp *e, uint64_t now_ms);

/* ---- SAD ----------------------------------------------------------------
 * One CHILD SA = one inbound and one outbound ESP SA, installed together.
 * Keys are copied (and wiped on removal): the caller may wipe its own. */
struct esp_sa_params {
	uint32_t spi_in, spi_out;                /* host order; spi_in must be unused */
	const struct crypto_encr *encr;
	const uint8_t *encr_key_in, *encr_key_out;     /* encr->key_len bytes (key || salt) */
	const struct crypto_integ *integ;        /* NULL for AEAD */
	const uint8_t *integ_key_in, *integ_key_out;   /* integ->key_len bytes */
	bool esn;                                /* RFC 4303 extended sequence numbers */
	bool allow_weak;                         /* permit DES, 3DES, ESP-NULL, HMAC-MD5 */
	bool replay_off;                         /* no anti-replay check */
	uint32_t replay_window;                  /* 0 = 64, at most 1024 */
	/* Remote traffic selector: the client's assigned address (prefix 32);
	 * 0.0.0.0/0 for a client-side SA that carries everything. */
	struct in_addr inner_addr;
	uint8_t inner_prefix;
	struct sockaddr_in local, peer;          /* outer addresses; local may be 0.0.0.0 */
	bool udp_encap;                          /* RFC 3948, else raw ESP (proto 50) */
	uint32_t soft_sec, hard_sec;             /* 0 = none */
	uint64_t soft_kb, hard_kb;               /* 0 = none */
	uint64_t owner;                          /* IKE SA serial, given back in events */
};

/* Install a CHILD SA.  Inbound: accepted at once, alongside any older SA
 * (rekey).  Outbound: traffic for inner_addr switches to this SA atomically;
 * the older SA still decrypts packets in flight until it is removed.
 * -EEXIST if spi_in is in use, -EINVAL on bad parameters, -EPERM for a weak
 * algorithm without allow_weak, -ENOMEM, -ENOTSUP for an unusable cipher. */
int esp_sa_install(struct esp *e, const struct esp_sa_params *p) ESP_WUR;
/* Remove by inbound SPI; final counters into *final if not NULL.  If it was
 * the outbound SA for its address, the newest remaining SA for the same
 * address takes over.  -ENOENT if unknown. */
int esp_sa_remove(struct esp *e, uint32_t spi_in, struct esp_sa_stats *final);
/* Remove every SA of one owner (IKE SA deleted); returns how many. */
unsigned esp_sa_remove_owner(struct esp *e, uint64_t owner);
/* NAT rebinding / MOBIKE: new peer address and port (and encapsulation)
 * for every SA of an owner; returns how many were updated. */
unsigned esp_sa_update_peer(struct esp *e, uint64_t owner, const struct sockaddr_in *peer,
			    bool udp_encap);
/* A random inbound SPI (>= 256) that is not installed. */
uint32_t esp_spi_random(struct esp *e);

#define ESP_BITMAP_WORDS (ESP_MAX_REPLAY_WINDOW / 32)

/* What `show crypto ipsec sa` prints (protocol.md §3.3). */
struct esp_sa_stats {
	uint32_t spi_in, spi_out;
	uint64_t owner;
	struct in_addr inner_addr;
	struct sockaddr_in local, peer;
	bool udp_encap, esn;
	const struct crypto_encr *encr;
	const struct crypto_integ *integ;
	uint64_t pkts_encaps, bytes_out;         /* #pkts encaps/encrypt/digest; inner bytes */
	uint64_t pkts_decaps, bytes_in;          /* #pkts decaps/decrypt/verify */
	uint64_t verify_fail;                    /* ICV/tag did not verify */
	uint64_t replay;                         /* duplicates and too old */
	uint64_t bad_pad;                        /* malformed trailer, length, padding */
	uint64_t bad_inner;                      /* not IPv4, bad header, IPv6 inner */
	uint64_t spoofed;                        /* inner source not the SA's address */
	uint64_t tfc_rcvd;                       /* next header 59 (dummy) */
	uint64_t send_errors, recv_errors;       /* socket / TUN write failures, seq exhausted */
	uint64_t seq_out;                        /* last sequence number sent */
	uint64_t replay_top;                     /* highest sequence number received */
	uint32_t replay_window;                  /* 0 = disabled */
	uint32_t replay_bitmap[ESP_BITMAP_WORDS];/* words window/32; MSW first, LSB of last = top */
	uint32_t remaining_sec;                  /* to the hard lifetime; UINT32_MAX = none */
	uint64_t remaining_kb;                   /* UINT64_MAX = none */
	uint64_t idle_ms;                        /* since the last valid inbound packet */
	uint64_t age_ms;
	bool soft_expired;
};
int esp_sa_stats(struct esp *e, uint32_t spi_in, struct esp_sa_stats *out) ESP_WUR;
/* Call fn for every SA in installation order (for `show`). */
void esp_sa_foreach(struct esp *e, void (*fn)(const struct esp_sa_stats *s, void *arg), void *arg);
/* Call fn with the inbound SPI of every SA whose packet counters (in or
 * out) moved since the previous call (control thread; fn runs without
 * the SAD lock and may call back into esp).  Idle SAs cost a few loads
 * each: the periodic refresh of a gateway with 100k mostly idle tunnels
 * looks only at the busy ones. */
void esp_sa_foreach_changed(struct esp *e, void (*fn)(uint32_t spi_in, void *arg), void *arg);

/* Counters of packets that never reached an SA. */
struct esp_stats {
	unsigned sas;
	uint64_t unknown_spi;        /* inbound ESP for an SPI we do not have */
	uint64_t short_pkts;         /* shorter than an ESP header + IV + ICV */
	uint64_t no_sa_dst;          /* TUN packet to an address without SA */
	uint64_t tun_ipv6;           /* IPv6 from the TUN (not supported) */
	uint64_t tun_bad;            /* malformed packet from the TUN */
	uint64_t keepalives;         /* NAT keepalives that reached a worker */
	uint64_t ike_misrouted;      /* IKE that reached a worker (dropped) */
	uint64_t rx_pkts, tx_pkts;   /* ESP datagrams received / sent */
	uint64_t tun_rx, tun_tx;     /* packets read from / written to the TUN */
	uint64_t tun_gso;            /* TSO/GSO super-packets read from the TUN */
	uint64_t tun_gro;            /* merged TCP super-packets written to the TUN */
	uint64_t send_errors, tun_errors;
	uint64_t nomem;              /* per-thread SA state could not be allocated */
};
void esp_stats(struct esp *e, struct esp_stats *out);

/* ---- slow path entry points --------------------------------------------
 * Process on the calling (control) thread, with the same checks and
 * counters as the workers; used when an ESP datagram reaches ike/ on its
 * own socket, and by tests.  esp_input_udp takes the UDP payload (starting
 * at the SPI) and writes the inner packet to the TUN; returns 0 if it was
 * delivered, a negative errno if it was dropped (and counted). */
int esp_input_udp(struct esp *e, const uint8_t *pkt, size_t len, const struct sockaddr_in *from);

#undef ESP_WUR
#endif
