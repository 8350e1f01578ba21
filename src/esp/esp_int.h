/* Internals of the ESP data plane, shared by the files of src/esp and its
 * unit tests (never by other layers). */
#ifndef RAVPN_ESP_ESP_INT_H
#define RAVPN_ESP_ESP_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/log.h"
#include "crypto/crypto.h"
#include "esp/esp.h"
#include "esp/replay.h"

#define WUR __attribute__((warn_unused_result))

/* ESP header: SPI(4) | Sequence Number(4) | IV(iv_len).  Room reserved in
 * front of an inner packet for the largest header, and after it for the
 * largest trailer: padding (< 16) | pad length(1) | next header(1) | ICV(<= 32). */
#define ESP_HDR_LEN 8
#define ESP_MAX_IV 16
#define ESP_HEADROOM (ESP_HDR_LEN + ESP_MAX_IV)
#define ESP_TAILROOM 64
#define ESP_NH_IPV4 4
#define ESP_NH_IPV6 41
#define ESP_NH_NONE 59          /* dummy packet (RFC 4303 §2.6, TFC) */

/* Relaxed counters written by one thread and read by another: a load and a
 * store, no locked instruction on the packet path. */
typedef _Atomic uint64_t ctr_t;
static inline void ctr_add(ctr_t *c, uint64_t v)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + v,
			      memory_order_relaxed);
}
static inline uint64_t ctr_get(ctr_t *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

/* Per SA and per thread: the prepared crypto contexts (not thread-safe)
 * and the counters that thread writes.  Made by that thread on first use;
 * read by the control thread for stats; freed with the SA. */
struct esp_slot {
	struct crypto_cipher *enc, *dec;
	struct crypto_mac *mac_out, *mac_in;
	bool enc_bad, dec_bad;            /* context creation failed once */
	ctr_t pkts_out, bytes_out, pkts_in, bytes_in;
	ctr_t verify_fail, replay, bad_pad, bad_inner, spoofed, tfc_rcvd;
	ctr_t send_errors, recv_errors;
	ctr_t last_in_ms;
} __attribute__((aligned(64)));

struct esp_sa {
	uint32_t spi_in, spi_out;
	uint64_t owner;
	const struct crypto_encr *encr;
	const struct crypto_integ *integ;
	bool esn, aead, null_encr;
	uint8_t iv_len, icv_len, align;
	uint32_t inner_addr, inner_mask;  /* host order */
	uint8_t inner_prefix;
	struct sockaddr_in local;
	/* peer address, port and encapsulation packed for atomic update:
	 * addr (network order) << 32 | port (network order) << 16 | udp_encap */
	_Atomic uint64_t peer;
	_Atomic uint64_t seq_out;         /* last sequence number used */
	_Atomic bool dead;                /* hard-expired or removed: no output */

	/* anti-replay, shared by the threads that decrypt for this SA */
	atomic_flag lock;
	struct replay rp;

	/* lifetimes (control thread) */
	uint64_t created_ms;
	/* Rekey (make before break): a new SA for an address that already has
	 * one carries no outbound traffic until the peer proves it installed
	 * it (a valid packet arrived on it), the older SA is removed, or
	 * ESP_OUT_PENDING_MS passed.  Control thread only, under mu. */
	bool out_pending;
	uint32_t soft_sec, hard_sec;
	uint64_t soft_kb, hard_kb;
	bool soft_fired;
	uint64_t seen_pkts;               /* in + out at the last esp_sa_foreach_changed */

	/* keys, for contexts made lazily per thread */
	uint8_t ekey_in[CRYPTO_MAX_KEY], ekey_out[CRYPTO_MAX_KEY];
	uint8_t ikey_in[CRYPTO_MAX_KEY], ikey_out[CRYPTO_MAX_KEY];

	/* control thread: all SAs in installation order */
	struct esp_sa *prev, *next;
	/* under mu: the SAs of the same inner /32 address, in installation
	 * order (a rekey makes a second one), so removing one finds the
	 * newest remaining without walking every SA */
	struct esp_sa *dst_older, *dst_newer;

	unsigned nslots;                  /* workers + 1 (the control thread) */
	_Atomic(struct esp_slot *) slot[];
};

static inline void sa_lock(struct esp_sa *sa)
{
	while (atomic_flag_test_and_set_explicit(&sa->lock, memory_order_acquire))
		;
}
static inline void sa_unlock(struct esp_sa *sa)
{
	atomic_flag_clear_explicit(&sa->lock, memory_order_release);
}

static inline uint64_t peer_pack(const struct sockaddr_in *p, bool udp)
{
	return (uint64_t)p->sin_addr.s_addr << 32 | (uint64_t)p->sin_port << 16 | (udp ? 1 : 0);
}
static inline void peer_unpack(uint64_t v, struct sockaddr_in *p, bool *udp)
{
	p->sin_family = AF_INET;
	p->sin_addr.s_addr = (uint32_t)(v >> 32);
	p->sin_port = (uint16_t)(v >> 16);
	memset(p->sin_zero, 0, sizeof(p->sin_zero));
	*udp = v & 1;
}

/* ---- codec.c: one packet, no I/O ------------------------------------- */

enum esp_verdict {
	ESP_V_OK = 0,
	ESP_V_SHORT,        /* truncated / not a whole number of blocks */
	ESP_V_REPLAY,
	ESP_V_VERIFY,       /* ICV or tag failed */
	ESP_V_PAD,          /* bad padding or pad length */
	ESP_V_INNER,        /* not a well-formed IPv4 packet */
	ESP_V_IPV6,         /* inner IPv6: not supported */
	ESP_V_SPOOF,        /* inner source outside the SA's selector */
	ESP_V_TFC,          /* dummy packet, dropped on purpose */
	ESP_V_NOCTX,        /* no crypto context (allocation / cipher unavailable) */
	ESP_V_SEQ,          /* outbound sequence numbers exhausted */
	ESP_V_DEAD,         /* SA removed / hard-expired */
};
const char *esp_verdict_name(enum esp_verdict v);

/* Slot i of an SA, made on first use by the calling thread. */
struct esp_slot *esp_slot_get(struct esp_sa *sa, unsigned i);
/* Contexts for one direction in a slot; false if they cannot be made. */
bool esp_slot_out_ready(struct esp_sa *sa, struct esp_slot *s);
bool esp_slot_in_ready(struct esp_sa *sa, struct esp_slot *s);

/* Take the next outbound sequence number; ESP_V_SEQ when a 32-bit space
 * (or the 64-bit one) is exhausted: the SA must be rekeyed. */
enum esp_verdict esp_seq_next(struct esp_sa *sa, uint64_t *seq);

/* Encapsulate in place.  inner (inner_len bytes) must have ESP_HEADROOM
 * bytes of headroom before it and ESP_TAILROOM after it.  iv is the CBC IV
 * (iv_len random bytes).  For AEAD pass NULL: the IV is then the 64-bit
 * sequence number, unique per key (RFC 4106 §3.1); an explicit IV is only
 * for known-answer tests.  On success *esp / *esp_len give the ESP packet. */
enum esp_verdict esp_encap(struct esp_sa *sa, struct esp_slot *s, uint64_t seq,
			   const uint8_t *iv, uint8_t next_header, uint8_t *inner,
			   size_t inner_len, uint8_t **esp, size_t *esp_len) WUR;

/* Decapsulate in place: replay check, ICV, decryption, replay commit,
 * trailer.  pkt starts at the SPI.  On success *inner / *inner_len give the
 * payload (still to be checked with esp_inner_check) and *nh the next
 * header.  Counters are not touched. */
enum esp_verdict esp_decap(struct esp_sa *sa, struct esp_slot *s, uint8_t *pkt, size_t len,
			   uint8_t **inner, size_t *inner_len, uint8_t *nh, uint64_t *seq) WUR;

/* Next header and inner IPv4 header checks; trims TFC padding after the
 * IPv4 total length (RFC 4303 §2.7). */
enum esp_verdict esp_inner_check(const struct esp_sa *sa, uint8_t nh, const uint8_t *inner,
				 size_t *len) WUR;

/* Count a decap verdict into the slot. */
void esp_slot_count_in(struct esp_slot *s, enum esp_verdict v, size_t inner_len, uint64_t now_ms);

/* ---- map.c: lock-free readers, one writer ------------------------------ */

struct esp_map_node {
	uint32_t key;
	_Atomic(void *) val;
	_Atomic(struct esp_map_node *) next;
};
struct esp_map_tab {
	uint32_t mask;
	_Atomic(struct esp_map_node *) b[];
};
struct esp_map {
	_Atomic(struct esp_map_tab *) tab;
	size_t count;
};

/* Deferred free after a grace period (every worker quiescent once). */
typedef void (*esp_free_fn)(void *p);
void esp_retire(struct esp *e, esp_free_fn fn, void *p);
void esp_reclaim(struct esp *e, bool all);

int esp_map_init(struct esp_map *m, uint32_t buckets) WUR;
void esp_map_destroy(struct esp_map *m);                /* no readers left */
void *esp_map_get(struct esp_map *m, uint32_t key);      /* reader */
int esp_map_put(struct esp *e, struct esp_map *m, uint32_t key, void *val) WUR;  /* insert/replace */
int esp_map_del(struct esp *e, struct esp_map *m, uint32_t key);
bool esp_map_has(struct esp_map *m, uint32_t key);

/* Outbound routes that are not /32 (client-side 0.0.0.0/0, site subnets):
 * a small copy-on-write array, longest prefix first. */
struct esp_prefix {
	uint32_t addr, mask;
	struct esp_sa *sa;
};
struct esp_prefixes {
	size_t n;
	struct esp_prefix p[];
};

/* ---- workers / io ------------------------------------------------------ */

/* Per-thread counters that belong to no SA. */
struct esp_wstats {
	ctr_t unknown_spi, short_pkts, no_sa_dst, tun_ipv6, tun_bad;
	ctr_t keepalives, ike_misrouted, rx_pkts, tx_pkts, tun_rx, tun_tx, tun_gso, tun_gro;
	ctr_t send_errors, tun_errors, nomem;
} __attribute__((aligned(64)));

#define ESP_QS_OFFLINE UINT64_MAX

struct esp_worker;

struct esp_retired {
	uint64_t epoch;
	esp_free_fn fn;
	void *p;
	struct esp_retired *next;
};

struct esp {
	struct esp_config cfg;
	char tun_name[16];
	unsigned nworkers;
	struct loop *loop;
	struct loop_timer *timer;
	esp_event_fn ev_fn;
	void *ev_arg;
	pthread_mutex_t mu;               /* writers (control API) */

	/* SAD */
	struct esp_map by_spi;            /* inbound SPI -> struct esp_sa */
	struct esp_map by_dst;            /* inner /32 (host order) -> outbound SA */
	_Atomic(struct esp_prefixes *) prefixes;
	struct esp_sa *head, *tail;       /* installation order */
	unsigned nsas;

	/* grace periods */
	_Atomic uint64_t epoch;
	struct esp_retired *retired, **retired_tail;

	/* control-thread slot counters that belong to no SA */
	struct esp_wstats ctl_stats;
	struct log_limit ctl_limit;

	/* io */
	bool started;
	int tun_fd[ESP_MAX_WORKERS];
	int udp_fd[ESP_MAX_WORKERS + 1];  /* [0] = ike/ */
	int raw_fd;
	int tun_ifindex;
	bool vnet_hdr;
	_Atomic bool stop;
	struct esp_worker *workers;
};

/* Outbound lookup for an inner destination (host order): /32 map, then
 * the prefix list.  Reader side (worker or control thread). */
struct esp_sa *esp_sa_lookup_out(struct esp *e, uint32_t dst);
static inline struct esp_sa *esp_sa_lookup_in(struct esp *e, uint32_t spi)
{
	return esp_map_get(&e->by_spi, spi);
}

/* Decap and check one ESP packet (from the SPI on) with the slot index,
 * counters and log limiter of the calling thread; on success the inner
 * IPv4 packet is at *inner_out.  Shared by the workers and esp_input_udp. */
int esp_rx_one(struct esp *e, unsigned slot, struct esp_wstats *ws, struct log_limit *lim,
	       uint8_t *pkt, size_t len, const struct sockaddr_in *from, uint64_t now_ms,
	       uint8_t **inner_out, size_t *inner_len_out);
void esp_wstats_fold(struct esp_wstats *dst, struct esp_wstats *src);
/* Write one inner packet to a TUN queue (with a virtio header if the
 * queues have one); 0 or -1. */
int esp_tun_write(struct esp *e, int fd, const uint8_t *pkt, size_t len);

/* The quiescent-state epoch worker i last reported (io.c). */
uint64_t esp_worker_qs(struct esp *e, unsigned i);
struct esp_wstats *esp_worker_stats(struct esp *e, unsigned i);

/* tun.c */
int esp_tun_open(struct esp *e) WUR;
void esp_tun_close(struct esp *e);
/* io.c */
int esp_io_start(struct esp *e) WUR;
void esp_io_stop(struct esp *e);

#undef WUR
#endif
