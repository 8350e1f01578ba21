/* ESP workers: one thread per core, each with its TUN queue, its UDP 4500
 * socket (a SO_REUSEPORT group steered by a classic BPF program) and, for
 * worker 0, the raw ESP socket.  Batched: recvmmsg/sendmmsg, TUN reads
 * until EAGAIN, TSO super-packets from the TUN cut into segments here.
 *
 *   TUN queue w --read (TSO: up to 64 KB)--> segment --> SA by inner dst
 *       --> seq (atomic) --> encrypt in place --> sendmmsg (UDP w or raw)
 *   UDP socket w / raw --recvmmsg--> SA by SPI --> decap --> write TUN w
 *
 * No allocation per packet: every buffer is made when the worker starts.
 * The control thread never blocks a worker: SA lookups are lock-free and
 * a worker reports a quiescent state at the top of every loop (or goes
 * offline while it sleeps in epoll_wait), which lets the control thread
 * free removed SAs (map.c). */
#include "esp/esp_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/virtio_net.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "base/loop.h"

#ifndef SO_ATTACH_REUSEPORT_CBPF
#define SO_ATTACH_REUSEPORT_CBPF 51
#endif

enum { EV_WAKE, EV_TUN, EV_UDP, EV_RAW };

#define RX_OFF 64                 /* headroom before a received packet */
#define GSO_MAX 65536
#define VNET_LEN ((int)sizeof(struct virtio_net_hdr))
#define IV_POOL 4096

struct esp_worker {
	struct esp *e;
	unsigned idx;
	pthread_t th;
	bool running;
	int ep, wake;
	int tun_fd, udp_fd;
	_Atomic uint64_t qs;
	struct esp_wstats st;
	struct log_limit lim;
	unsigned batch;

	/* receive: batch slots of rxsz bytes */
	size_t rxsz;
	uint8_t *rx;
	struct mmsghdr *rmsg;
	struct iovec *riov;
	struct sockaddr_in *rname;

	/* transmit: txn slots of txsz bytes, queued for the UDP or raw socket */
	size_t txsz;
	unsigned txn, tx_used;
	uint8_t *tx;
	struct mmsghdr *umsg, *wmsg;   /* UDP / raw */
	struct iovec *uiov, *wiov;
	struct sockaddr_in *uname, *wname;
	struct esp_slot **uslot, **wslot;
	uint8_t *ucmsg;                /* one IP_PKTINFO control buffer per message */
	uint32_t *ulocal;              /* its source address (0 = any) */
	struct mmsghdr *gmsg;          /* UDP GSO groups */
	uint8_t *gcmsg;
	unsigned *gfirst, *gsegs;
	bool no_udp_gso;
	unsigned nu, nw;

	uint8_t *gso;                  /* one TUN read with its virtio header */
	uint8_t **gro_pkt;             /* decrypted packets of a batch, for GRO */
	size_t *gro_len;
	uint8_t gro_hdr[128];
	uint8_t gro_vnet[16];
	uint8_t iv[IV_POOL];
	size_t ivpos;
} __attribute__((aligned(64)));

#define CMSG_SZ CMSG_SPACE(sizeof(struct in_pktinfo))

uint64_t esp_worker_qs(struct esp *e, unsigned i)
{
	return atomic_load(&e->workers[i].qs);
}

struct esp_wstats *esp_worker_stats(struct esp *e, unsigned i)
{
	return &e->workers[i].st;
}

int esp_get_ike_fd(const struct esp *e)
{
	return e->udp_fd[0];
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ---- Internet checksum (RFC 1071) --------------------------------------- */

/* Native 64-bit words with end-around carry (a 128-bit accumulator), 32
 * bytes a round: twice the speed of 32-bit words on the TSO path, where
 * every segment's TCP checksum is summed here.  2^64 = 2^32 = 1 mod 0xffff,
 * so folding the halves keeps the one's complement sum.  32-bit words where
 * the compiler has no 128-bit integer. */
static uint64_t csum_add(uint64_t sum, const uint8_t *p, size_t n)
{
#ifdef __SIZEOF_INT128__
	unsigned __int128 acc = sum;
	while (n >= 32) {
		uint64_t a, b, c, d;
		memcpy(&a, p, 8);
		memcpy(&b, p + 8, 8);
		memcpy(&c, p + 16, 8);
		memcpy(&d, p + 24, 8);
		acc += a;
		acc += b;
		acc += c;
		acc += d;
		p += 32;
		n -= 32;
	}
	while (n >= 8) {
		uint64_t a;
		memcpy(&a, p, 8);
		acc += a;
		p += 8;
		n -= 8;
	}
	uint64_t lo = (uint64_t)acc, hi = (uint64_t)(acc >> 64);
	sum = (lo & 0xffffffffu) + (lo >> 32) + (hi & 0xffffffffu) + (hi >> 32);
#else
	while (n >= 8) {
		uint32_t a, b;
		memcpy(&a, p, 4);
		memcpy(&b, p + 4, 4);
		sum += (uint64_t)a + b;
		p += 8;
		n -= 8;
	}
#endif
	while (n >= 2) {
		uint16_t a;
		memcpy(&a, p, 2);
		sum += a;
		p += 2;
		n -= 2;
	}
	if (n) {
		uint8_t last[2] = { p[0], 0 };
		uint16_t a;
		memcpy(&a, last, 2);
		sum += a;
	}
	return sum;
}

/* Fold a native-order partial sum; the result is stored as is (network
 * order falls out of summing native 16-bit words). */
static uint16_t csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void ip_csum_set(uint8_t *ip, size_t ihl)
{
	ip[10] = ip[11] = 0;
	uint16_t c = csum_fold(csum_add(0, ip, ihl));
	memcpy(ip + 10, &c, 2);
}

/* Complete a CHECKSUM_PARTIAL packet: the field holds the pseudo-header
 * sum, the rest is summed from csum_start to the end. */
static bool csum_complete(uint8_t *pkt, size_t len, size_t start, size_t off)
{
	if (start >= len || start + off + 2 > len)
		return false;
	uint16_t c = csum_fold(csum_add(0, pkt + start, len - start));
	memcpy(pkt + start + off, &c, 2);
	return true;
}

/* ---- transmit ------------------------------------------------------------ */

static void send_batch(struct esp_worker *w, int fd, struct mmsghdr *m, struct esp_slot **sl,
		       unsigned n)
{
	unsigned off = 0;
	while (off < n) {
		int r = sendmmsg(fd, m + off, n - off, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* The first message failed: count it, go on with the rest. */
			ctr_add(&w->st.send_errors, 1);
			if (sl[off])
				ctr_add(&sl[off]->send_errors, 1);
			off++;
			continue;
		}
		ctr_add(&w->st.tx_pkts, (uint64_t)r);
		off += (unsigned)r;
	}
}

/* UDP GSO (UDP_SEGMENT): consecutive ESP packets for one peer, all of one
 * size but the last, leave in one sendmsg as one super-datagram that the
 * stack carries whole down to the device (or the peer's socket, across a
 * veth) and segments only there.  TSO'd TCP from the TUN produces exactly
 * such runs.  Falls back to one datagram per message if the route cannot
 * do it (EIO). */
#define UDP_GSO_SEGS 64
#define GCMSG_SZ (CMSG_SPACE(sizeof(uint16_t)) + CMSG_SPACE(sizeof(struct in_pktinfo)))

static bool same_dst(struct esp_worker *w, unsigned a, unsigned b)
{
	return w->uname[a].sin_addr.s_addr == w->uname[b].sin_addr.s_addr &&
	       w->uname[a].sin_port == w->uname[b].sin_port && w->ulocal[a] == w->ulocal[b];
}

static void udp_flush_gso(struct esp_worker *w, int fd)
{
	unsigned ng = 0;
	for (unsigned i = 0; i < w->nu;) {
		size_t seg = w->uiov[i].iov_len, total = seg;
		unsigned j = i + 1;
		while (j < w->nu && j - i < UDP_GSO_SEGS && same_dst(w, i, j) &&
		       w->uiov[j - 1].iov_len == seg && w->uiov[j].iov_len <= seg &&
		       total + w->uiov[j].iov_len <= 65000) {
			total += w->uiov[j].iov_len;
			j++;
		}
		struct msghdr *h = &w->gmsg[ng].msg_hdr;
		memset(h, 0, sizeof(*h));
		h->msg_name = &w->uname[i];
		h->msg_namelen = sizeof(w->uname[i]);
		h->msg_iov = &w->uiov[i];
		h->msg_iovlen = j - i;
		uint8_t *cb = w->gcmsg + (size_t)ng * GCMSG_SZ;
		memset(cb, 0, GCMSG_SZ);
		h->msg_control = cb;
		h->msg_controllen = GCMSG_SZ;
		struct cmsghdr *c = CMSG_FIRSTHDR(h);
		size_t used = 0;
		if (j - i > 1) {
			uint16_t gso = (uint16_t)seg;
			c->cmsg_level = SOL_UDP;
			c->cmsg_type = UDP_SEGMENT;
			c->cmsg_len = CMSG_LEN(sizeof(gso));
			memcpy(CMSG_DATA(c), &gso, sizeof(gso));
			used += CMSG_SPACE(sizeof(gso));
			c = CMSG_NXTHDR(h, c);
		}
		if (w->ulocal[i]) {
			struct in_pktinfo pi = { .ipi_spec_dst.s_addr = w->ulocal[i] };
			c->cmsg_level = IPPROTO_IP;
			c->cmsg_type = IP_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
			used += CMSG_SPACE(sizeof(pi));
		}
		h->msg_controllen = used;
		if (!used)
			h->msg_control = NULL;
		w->gfirst[ng] = i;
		w->gsegs[ng] = j - i;
		ng++;
		i = j;
	}
	unsigned off = 0;
	while (off < ng) {
		int r = sendmmsg(fd, w->gmsg + off, ng - off, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			unsigned f = w->gfirst[off], k = w->gsegs[off];
			if (k > 1 && (errno == EIO || errno == EINVAL || errno == ENOPROTOOPT)) {
				/* the path cannot segment: from now on one by one */
				w->no_udp_gso = true;
				send_batch(w, fd, w->umsg + f, w->uslot + f, k);
			} else {
				ctr_add(&w->st.send_errors, k);
				if (w->uslot[f])
					ctr_add(&w->uslot[f]->send_errors, k);
			}
			off++;
			continue;
		}
		for (int g = 0; g < r; g++)
			ctr_add(&w->st.tx_pkts, w->gsegs[off + (unsigned)g]);
		off += (unsigned)r;
	}
}

static void tx_flush(struct esp_worker *w)
{
	int ufd = w->udp_fd >= 0 ? w->udp_fd : w->e->udp_fd[0];
	if (w->nu && !w->no_udp_gso && !w->e->cfg.no_offload)
		udp_flush_gso(w, ufd);
	else if (w->nu)
		send_batch(w, ufd, w->umsg, w->uslot, w->nu);
	if (w->nw)
		send_batch(w, w->e->raw_fd, w->wmsg, w->wslot, w->nw);
	w->nu = w->nw = 0;
	w->tx_used = 0;
}

/* The next free transmit slot: where an inner packet goes, with headroom
 * for the ESP header and tailroom for the trailer. */
static uint8_t *tx_slot(struct esp_worker *w)
{
	if (w->tx_used == w->txn)
		tx_flush(w);
	return w->tx + (size_t)w->tx_used * w->txsz + ESP_HEADROOM;
}

static const uint8_t *iv_next(struct esp_worker *w)
{
	if (w->ivpos + ESP_MAX_IV > IV_POOL) {
		if (crypto_random(w->iv, IV_POOL) < 0)
			return NULL;
		w->ivpos = 0;
	}
	const uint8_t *iv = w->iv + w->ivpos;
	w->ivpos += ESP_MAX_IV;
	return iv;
}

/* Encrypt one inner IPv4 packet sitting in the current transmit slot and
 * queue it. */
static void out_one(struct esp_worker *w, uint8_t *pkt, size_t len)
{
	struct esp *e = w->e;
	ctr_add(&w->st.tun_rx, 1);
	if (len < 20 || pkt[0] >> 4 != 4) {
		if (len >= 1 && pkt[0] >> 4 == 6)
			ctr_add(&w->st.tun_ipv6, 1);
		else
			ctr_add(&w->st.tun_bad, 1);
		return;
	}
	uint32_t dst = be32(pkt + 16);
	struct esp_sa *sa = esp_sa_lookup_out(e, dst);
	if (!sa || atomic_load_explicit(&sa->dead, memory_order_relaxed)) {
		ctr_add(&w->st.no_sa_dst, 1);
		unsigned supp;
		if (log_debug_on(LOG_IPSEC, 3) && log_limit_pass(&w->lim, 10, &supp))
			log_debug(LOG_IPSEC, 3, "IPSEC: no SA for destination %u.%u.%u.%u, dropped",
				  pkt[16], pkt[17], pkt[18], pkt[19]);
		return;
	}
	struct esp_slot *s = esp_slot_get(sa, w->idx);
	if (!s) {
		ctr_add(&w->st.nomem, 1);
		return;
	}
	uint64_t seq;
	const uint8_t *iv = sa->aead || !sa->iv_len ? NULL : iv_next(w);
	uint8_t *esp;
	size_t esp_len;
	enum esp_verdict v = esp_seq_next(sa, &seq);
	if (v == ESP_V_OK && !sa->aead && sa->iv_len && !iv)
		v = ESP_V_NOCTX;
	if (v == ESP_V_OK)
		v = esp_encap(sa, s, seq, iv, ESP_NH_IPV4, pkt, len, &esp, &esp_len);
	if (v != ESP_V_OK) {
		ctr_add(&s->send_errors, 1);
		return;
	}
	ctr_add(&s->pkts_out, 1);
	ctr_add(&s->bytes_out, len);

	struct sockaddr_in peer;
	bool udp;
	peer_unpack(atomic_load_explicit(&sa->peer, memory_order_relaxed), &peer, &udp);
	unsigned i;
	struct mmsghdr *m;
	if (udp) {
		i = w->nu++;
		m = &w->umsg[i];
		w->uname[i] = peer;
		w->uiov[i].iov_base = esp;
		w->uiov[i].iov_len = esp_len;
		w->uslot[i] = s;
		m->msg_hdr.msg_control = NULL;
		m->msg_hdr.msg_controllen = 0;
		w->ulocal[i] = sa->local.sin_addr.s_addr;
		if (sa->local.sin_addr.s_addr) {
			/* Answer from the address the client talks to. */
			uint8_t *cb = w->ucmsg + (size_t)i * CMSG_SZ;
			memset(cb, 0, CMSG_SZ);
			m->msg_hdr.msg_control = cb;
			m->msg_hdr.msg_controllen = CMSG_SZ;
			struct cmsghdr *c = CMSG_FIRSTHDR(&m->msg_hdr);
			c->cmsg_level = IPPROTO_IP;
			c->cmsg_type = IP_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
			struct in_pktinfo pi = { .ipi_spec_dst = sa->local.sin_addr };
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		}
	} else {
		if (e->raw_fd < 0) {
			ctr_add(&s->send_errors, 1);
			return;
		}
		i = w->nw++;
		m = &w->wmsg[i];
		peer.sin_port = 0;
		w->wname[i] = peer;
		w->wiov[i].iov_base = esp;
		w->wiov[i].iov_len = esp_len;
		w->wslot[i] = s;
	}
	w->tx_used++;
}

/* Cut a TCP/IPv4 TSO super-packet (virtio GSO_TCPV4) into MSS-sized
 * segments, each a complete packet with its own IP ID, TCP sequence number,
 * flags and checksums, and encrypt them one by one. */
static void out_tso(struct esp_worker *w, const uint8_t *pkt, size_t len, size_t mss)
{
	if (len < 20 || pkt[0] >> 4 != 4 || pkt[9] != IPPROTO_TCP)
		goto bad;
	size_t ihl = (size_t)(pkt[0] & 15) * 4;
	if (ihl < 20 || len < ihl + 20)
		goto bad;
	size_t thl = (size_t)(pkt[ihl + 12] >> 4) * 4;
	size_t hl = ihl + thl;
	if (thl < 20 || len < hl || mss == 0 || hl + mss > w->e->cfg.tun_mtu + 64u)
		goto bad;
	ctr_add(&w->st.tun_gso, 1);
	size_t payload = len - hl;
	uint32_t seq0 = be32(pkt + ihl + 4);
	uint16_t id0 = be16(pkt + 4);
	uint8_t flags = pkt[ihl + 13];
	for (size_t off = 0, k = 0; off < payload || (payload == 0 && k == 0); off += mss, k++) {
		size_t seg = payload - off < mss ? payload - off : mss;
		bool last = off + seg >= payload;
		uint8_t *p = tx_slot(w);
		memcpy(p, pkt, hl);
		memcpy(p + hl, pkt + hl + off, seg);
		put16(p + 2, (uint16_t)(hl + seg));
		put16(p + 4, (uint16_t)(id0 + k));
		ip_csum_set(p, ihl);
		uint8_t *t = p + ihl;
		put32(t + 4, seq0 + (uint32_t)off);
		uint8_t f = flags;
		if (!last)
			f &= (uint8_t)~(0x01 | 0x08);    /* FIN, PSH only on the last */
		if (k)
			f &= (uint8_t)~0x80;             /* CWR only on the first */
		t[13] = f;
		/* TCP checksum over the pseudo header and the segment. */
		uint8_t ph[12];
		memcpy(ph, p + 12, 8);
		ph[8] = 0;
		ph[9] = IPPROTO_TCP;
		put16(ph + 10, (uint16_t)(thl + seg));
		t[16] = t[17] = 0;
		uint16_t c = csum_fold(csum_add(csum_add(0, ph, 12), t, thl + seg));
		memcpy(t + 16, &c, 2);
		out_one(w, p, hl + seg);
		if (payload == 0)
			break;
	}
	return;
bad:
	ctr_add(&w->st.tun_bad, 1);
}

static void on_tun(struct esp_worker *w)
{
	struct esp *e = w->e;
	size_t mtu = e->cfg.tun_mtu;
	for (unsigned n = 0; n < w->batch; n++) {
		if (!e->vnet_hdr) {
			uint8_t *p = tx_slot(w);
			ssize_t r = read(w->tun_fd, p, mtu);
			if (r <= 0)
				break;
			out_one(w, p, (size_t)r);
			continue;
		}
		ssize_t r = read(w->tun_fd, w->gso, GSO_MAX + VNET_LEN);
		if (r < VNET_LEN)
			break;
		struct virtio_net_hdr h;
		memcpy(&h, w->gso, sizeof(h));
		const uint8_t *pkt = w->gso + VNET_LEN;
		size_t len = (size_t)r - VNET_LEN;
		uint8_t gt = h.gso_type & (uint8_t)~VIRTIO_NET_HDR_GSO_ECN;
		if (gt == VIRTIO_NET_HDR_GSO_TCPV4) {
			out_tso(w, pkt, len, h.gso_size);
			continue;
		}
		if (gt != VIRTIO_NET_HDR_GSO_NONE || len > mtu) {
			ctr_add(&w->st.tun_bad, 1);
			continue;
		}
		uint8_t *p = tx_slot(w);
		memcpy(p, pkt, len);
		if ((h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
		    !csum_complete(p, len, h.csum_start, h.csum_offset)) {
			ctr_add(&w->st.tun_bad, 1);
			continue;
		}
		out_one(w, p, len);
	}
	tx_flush(w);
}

/* ---- receive ------------------------------------------------------------- */

int esp_tun_write(struct esp *e, int fd, const uint8_t *pkt, size_t len)
{
	static const uint8_t zero_vnet[sizeof(struct virtio_net_hdr)];
	struct iovec iov[2] = {
		{ (void *)zero_vnet, sizeof(zero_vnet) },
		{ (void *)pkt, len },
	};
	ssize_t want = (ssize_t)len, r;
	if (e->vnet_hdr) {
		want += (ssize_t)sizeof(zero_vnet);
		r = writev(fd, iov, 2);
	} else {
		r = write(fd, pkt, len);
	}
	return r == want ? 0 : -1;
}

/* ---- GRO towards the TUN --------------------------------------------------
 * Consecutive decrypted TCP segments of one flow are written to the TUN as
 * one super-packet (virtio GSO_TCPV4, checksum left partial), the way the
 * kernel's GRO would merge them: one write and one trip through the stack
 * instead of dozens.  The rules follow TCP GRO: same addresses, ports, TOS,
 * TTL, ACK number and options; in-order sequence numbers; every segment but
 * the last a full MSS; only ACK (and PSH, which ends a run) set; no IP
 * options or fragments; at most 64 KB. */

struct tcp4 {
	size_t ihl, hl, plen;           /* IP header, IP + TCP headers, payload */
	uint32_t seq;
	uint8_t flags;
};

static bool tcp4_parse(const uint8_t *p, size_t len, struct tcp4 *t)
{
	if (len < 40 || p[0] != 0x45 || p[9] != IPPROTO_TCP || (be16(p + 6) & 0x3fff))
		return false;                     /* IHL 5 only, no MF, no offset */
	if (be16(p + 2) != len)
		return false;
	t->ihl = 20;
	size_t thl = (size_t)(p[20 + 12] >> 4) * 4;
	if (thl < 20 || 20 + thl > len)
		return false;
	t->hl = 20 + thl;
	t->plen = len - t->hl;
	t->seq = be32(p + 24);
	t->flags = p[20 + 13];
	/* ACK must be set; nothing but ACK and PSH */
	return t->plen > 0 && (t->flags & 0x10) && !(t->flags & (uint8_t)~0x18);
}

static bool tcp4_same_flow(const uint8_t *a, const uint8_t *b, size_t hl)
{
	return a[1] == b[1] && a[8] == b[8] && (a[6] & 0x40) == (b[6] & 0x40) &&
	       !memcmp(a + 12, b + 12, 8) &&            /* addresses */
	       !memcmp(a + 20, b + 20, 4) &&            /* ports */
	       !memcmp(a + 28, b + 28, 4) &&            /* ACK number */
	       a[32] == b[32] &&                        /* data offset */
	       !memcmp(a + 40, b + 40, hl - 40);        /* options */
}

static void tun_put(struct esp_worker *w, const struct iovec *iov, int n, size_t want,
		    unsigned segs)
{
	ssize_t r = writev(w->tun_fd, iov, n);
	if (r != (ssize_t)want) {
		ctr_add(&w->st.tun_errors, 1);
		return;
	}
	ctr_add(&w->st.tun_tx, segs);
	if (segs > 1)
		ctr_add(&w->st.tun_gro, 1);
}

#define GRO_MAX_SEGS 64

static void tun_write_batch(struct esp_worker *w, unsigned n)
{
	static const uint8_t zero_vnet[sizeof(struct virtio_net_hdr)];
	struct iovec iov[GRO_MAX_SEGS + 2];
	if (w->tun_fd < 0)
		return;
	for (unsigned i = 0; i < n;) {
		uint8_t *p0 = w->gro_pkt[i];
		size_t l0 = w->gro_len[i];
		struct tcp4 t0, prev, cur;
		unsigned j = i + 1;
		size_t total = l0;
		if (w->e->vnet_hdr && tcp4_parse(p0, l0, &t0) && !(t0.flags & 0x08)) {
			prev = t0;
			while (j < n && j - i < GRO_MAX_SEGS && prev.plen == t0.plen) {
				uint8_t *pj = w->gro_pkt[j];
				if (!tcp4_parse(pj, w->gro_len[j], &cur) || cur.hl != t0.hl ||
				    cur.plen > t0.plen || cur.seq != prev.seq + (uint32_t)prev.plen ||
				    total + cur.plen > 65535 || !tcp4_same_flow(p0, pj, t0.hl))
					break;
				total += cur.plen;
				prev = cur;
				j++;
				if (cur.flags & 0x08)
					break;                /* PSH ends the run */
			}
		}
		if (j == i + 1) {
			iov[0] = (struct iovec){ (void *)zero_vnet, sizeof(zero_vnet) };
			iov[1] = (struct iovec){ p0, l0 };
			if (w->e->vnet_hdr)
				tun_put(w, iov, 2, sizeof(zero_vnet) + l0, 1);
			else
				tun_put(w, iov + 1, 1, l0, 1);
			i++;
			continue;
		}
		/* The merged header: the first segment's, with the total length, a
		 * fresh IP checksum, the last segment's flags and window, and the
		 * TCP checksum left partial (pseudo header only) for the kernel. */
		uint8_t *hdr = w->gro_hdr;
		const uint8_t *last = w->gro_pkt[j - 1];
		memcpy(hdr, p0, t0.hl);
		put16(hdr + 2, (uint16_t)total);
		ip_csum_set(hdr, 20);
		hdr[33] = last[33];
		memcpy(hdr + 34, last + 34, 2);
		uint8_t ph[12];
		memcpy(ph, hdr + 12, 8);
		ph[8] = 0;
		ph[9] = IPPROTO_TCP;
		put16(ph + 10, (uint16_t)(total - 20));
		uint16_t c = (uint16_t)~csum_fold(csum_add(0, ph, 12));
		memcpy(hdr + 36, &c, 2);
		struct virtio_net_hdr vh = {
			.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
			.gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
			.hdr_len = (uint16_t)t0.hl,
			.gso_size = (uint16_t)t0.plen,
			.csum_start = 20,
			.csum_offset = 16,
		};
		memcpy(w->gro_vnet, &vh, sizeof(vh));
		iov[0] = (struct iovec){ w->gro_vnet, sizeof(vh) };
		iov[1] = (struct iovec){ hdr, t0.hl };
		int k = 2;
		for (unsigned m = i; m < j; m++)
			iov[k++] = (struct iovec){ w->gro_pkt[m] + t0.hl, w->gro_len[m] - t0.hl };
		tun_put(w, iov, k, sizeof(vh) + total, j - i);
		i = j;
	}
}

static void on_udp(struct esp_worker *w, int fd, bool raw)
{
	int n = recvmmsg(fd, w->rmsg, w->batch, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return;
	uint64_t now = loop_now_ms();
	unsigned ng = 0;
	ctr_add(&w->st.rx_pkts, (uint64_t)n);
	for (int i = 0; i < n; i++) {
		uint8_t *p = w->rx + (size_t)i * w->rxsz + RX_OFF;
		size_t len = w->rmsg[i].msg_len;
		if (w->rmsg[i].msg_hdr.msg_flags & MSG_TRUNC) {
			ctr_add(&w->st.short_pkts, 1);
			continue;
		}
		if (raw) {
			/* IPv4 header first (raw sockets deliver it). */
			size_t ihl = len ? (size_t)(p[0] & 15) * 4 : 0;
			if (len < 20 || ihl < 20 || ihl > len || p[9] != IPPROTO_ESP) {
				ctr_add(&w->st.short_pkts, 1);
				continue;
			}
			p += ihl;
			len -= ihl;
		}
		uint8_t *inner;
		size_t ilen;
		if (esp_rx_one(w->e, w->idx, &w->st, &w->lim, p, len, &w->rname[i], now, &inner,
			       &ilen) == 0) {
			w->gro_pkt[ng] = inner;
			w->gro_len[ng++] = ilen;
		}
	}
	tun_write_batch(w, ng);
	/* Restore what recvmmsg overwrote. */
	for (int i = 0; i < n; i++) {
		w->rmsg[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_in);
		w->rmsg[i].msg_hdr.msg_flags = 0;
	}
}

/* ---- worker thread -------------------------------------------------------- */

static void *worker_main(void *arg)
{
	struct esp_worker *w = arg;
	struct esp *e = w->e;
	struct epoll_event ev[8];
	for (;;) {
		atomic_store(&w->qs, atomic_load(&e->epoch));
		int n = epoll_wait(w->ep, ev, 8, 0);
		if (n == 0) {
			atomic_store(&w->qs, ESP_QS_OFFLINE);
			n = epoll_wait(w->ep, ev, 8, 1000);
			atomic_store(&w->qs, atomic_load(&e->epoch));
			atomic_thread_fence(memory_order_seq_cst);
		}
		if (atomic_load_explicit(&e->stop, memory_order_relaxed))
			break;
		for (int i = 0; i < n; i++) {
			switch (ev[i].data.u32) {
			case EV_TUN: on_tun(w); break;
			case EV_UDP: on_udp(w, w->udp_fd, false); break;
			case EV_RAW: on_udp(w, e->raw_fd, true); break;
			default: {
				uint64_t x;
				if (read(w->wake, &x, sizeof(x)) < 0)
					(void)0;
				break;
			}
			}
		}
	}
	atomic_store(&w->qs, ESP_QS_OFFLINE);
	return NULL;
}

static void worker_free_bufs(struct esp_worker *w)
{
	free(w->rx);
	free(w->rmsg);
	free(w->riov);
	free(w->rname);
	free(w->tx);
	free(w->umsg);
	free(w->wmsg);
	free(w->uiov);
	free(w->wiov);
	free(w->uname);
	free(w->wname);
	free(w->uslot);
	free(w->wslot);
	free(w->ucmsg);
	free(w->ulocal);
	free(w->gmsg);
	free(w->gcmsg);
	free(w->gfirst);
	free(w->gsegs);
	free(w->gso);
	free(w->gro_pkt);
	free(w->gro_len);
	if (w->ep >= 0)
		close(w->ep);
	if (w->wake >= 0)
		close(w->wake);
}

static int epoll_add(int ep, int fd, uint32_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = tag };
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

static int worker_init(struct esp *e, struct esp_worker *w, unsigned idx)
{
	w->e = e;
	w->idx = idx;
	w->ep = w->wake = -1;
	w->batch = e->cfg.batch;
	w->tun_fd = e->tun_fd[idx];
	w->udp_fd = e->udp_fd[idx + 1];
	w->ivpos = IV_POOL;
	atomic_init(&w->qs, ESP_QS_OFFLINE);
	size_t mtu = e->cfg.tun_mtu;
	w->rxsz = (RX_OFF + mtu + 256 + 63) & ~(size_t)63;
	if (w->rxsz < 2048)
		w->rxsz = 2048;
	w->txsz = (ESP_HEADROOM + mtu + 64 + ESP_TAILROOM + 63) & ~(size_t)63;
	w->txn = w->batch * 4;
	unsigned b = w->batch, t = w->txn;
	w->rx = malloc(b * w->rxsz);
	w->rmsg = calloc(b, sizeof(*w->rmsg));
	w->riov = calloc(b, sizeof(*w->riov));
	w->rname = calloc(b, sizeof(*w->rname));
	w->tx = malloc(t * w->txsz);
	w->umsg = calloc(t, sizeof(*w->umsg));
	w->wmsg = calloc(t, sizeof(*w->wmsg));
	w->uiov = calloc(t, sizeof(*w->uiov));
	w->wiov = calloc(t, sizeof(*w->wiov));
	w->uname = calloc(t, sizeof(*w->uname));
	w->wname = calloc(t, sizeof(*w->wname));
	w->uslot = calloc(t, sizeof(*w->uslot));
	w->wslot = calloc(t, sizeof(*w->wslot));
	w->ucmsg = calloc(t, CMSG_SZ);
	w->ulocal = calloc(t, sizeof(*w->ulocal));
	w->gmsg = calloc(t, sizeof(*w->gmsg));
	w->gcmsg = calloc(t, GCMSG_SZ);
	w->gfirst = calloc(t, sizeof(*w->gfirst));
	w->gsegs = calloc(t, sizeof(*w->gsegs));
	w->gso = e->vnet_hdr ? malloc(GSO_MAX + VNET_LEN) : NULL;
	w->gro_pkt = calloc(b, sizeof(*w->gro_pkt));
	w->gro_len = calloc(b, sizeof(*w->gro_len));
	if (!w->rx || !w->rmsg || !w->riov || !w->rname || !w->tx || !w->umsg || !w->wmsg ||
	    !w->uiov || !w->wiov || !w->uname || !w->wname || !w->uslot || !w->wslot ||
	    !w->ucmsg || (e->vnet_hdr && !w->gso) || !w->gro_pkt || !w->gro_len || !w->ulocal ||
	    !w->gmsg || !w->gcmsg || !w->gfirst || !w->gsegs)
		return -ENOMEM;
	for (unsigned i = 0; i < b; i++) {
		w->riov[i].iov_base = w->rx + (size_t)i * w->rxsz + RX_OFF;
		w->riov[i].iov_len = w->rxsz - RX_OFF;
		w->rmsg[i].msg_hdr.msg_iov = &w->riov[i];
		w->rmsg[i].msg_hdr.msg_iovlen = 1;
		w->rmsg[i].msg_hdr.msg_name = &w->rname[i];
		w->rmsg[i].msg_hdr.msg_namelen = sizeof(w->rname[i]);
	}
	for (unsigned i = 0; i < t; i++) {
		w->umsg[i].msg_hdr.msg_iov = &w->uiov[i];
		w->umsg[i].msg_hdr.msg_iovlen = 1;
		w->umsg[i].msg_hdr.msg_name = &w->uname[i];
		w->umsg[i].msg_hdr.msg_namelen = sizeof(w->uname[i]);
		w->wmsg[i].msg_hdr.msg_iov = &w->wiov[i];
		w->wmsg[i].msg_hdr.msg_iovlen = 1;
		w->wmsg[i].msg_hdr.msg_name = &w->wname[i];
		w->wmsg[i].msg_hdr.msg_namelen = sizeof(w->wname[i]);
	}
	w->ep = epoll_create1(EPOLL_CLOEXEC);
	w->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->ep < 0 || w->wake < 0)
		return -errno;
	int rc = epoll_add(w->ep, w->wake, EV_WAKE);
	if (!rc && w->tun_fd >= 0)
		rc = epoll_add(w->ep, w->tun_fd, EV_TUN);
	if (!rc && w->udp_fd >= 0)
		rc = epoll_add(w->ep, w->udp_fd, EV_UDP);
	/* One reader keeps raw ESP in order (raw sockets cannot be steered). */
	if (!rc && idx == 0 && e->raw_fd >= 0)
		rc = epoll_add(w->ep, e->raw_fd, EV_RAW);
	return rc;
}

/* ---- sockets --------------------------------------------------------------- */

static void sock_bufs(int fd)
{
	int sz = 4 << 20;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
}

/* Steering program for the SO_REUSEPORT group (runs on the UDP payload):
 * not ESP (shorter than 8 bytes, or the non-ESP marker 0) -> socket 0
 * (ike/); ESP -> socket 1 + SPI % workers. */
static int attach_steering(int fd, unsigned nworkers)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, ESP_HDR_LEN, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 3, 0),
		BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, nworkers),
		BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1),
		BPF_STMT(BPF_RET | BPF_A, 0),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog, sizeof(prog)) < 0 ? -errno
											      : 0;
}

static int udp_group_open(struct esp *e)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(e->cfg.udp_port),
		.sin_addr = e->cfg.udp_bind,
	};
	for (unsigned i = 0; i <= e->nworkers; i++) {
		int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		e->udp_fd[i] = fd;
		int one = 1;
		if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0)
			return -errno;
		sock_bufs(fd);
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			return -errno;
	}
	return attach_steering(e->udp_fd[0], e->nworkers);
}

static int raw_open(struct esp *e)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ESP);
	if (fd < 0)
		return -errno;
	sock_bufs(fd);
	e->raw_fd = fd;
	return 0;
}

static void close_sockets(struct esp *e)
{
	for (unsigned i = 0; i <= ESP_MAX_WORKERS; i++)
		if (e->udp_fd[i] >= 0) {
			close(e->udp_fd[i]);
			e->udp_fd[i] = -1;
		}
	if (e->raw_fd >= 0) {
		close(e->raw_fd);
		e->raw_fd = -1;
	}
}

int esp_io_start(struct esp *e)
{
	int rc = 0;
	if (e->cfg.udp_port != ESP_NO_UDP && (rc = udp_group_open(e)) < 0) {
		log_msg(SEV_ERR, "esp: UDP port %u: %s", e->cfg.udp_port, strerror(-rc));
		close_sockets(e);
		return rc;
	}
	if (e->cfg.raw_esp && (rc = raw_open(e)) < 0) {
		log_msg(SEV_ERR, "esp: raw ESP socket: %s", strerror(-rc));
		close_sockets(e);
		return rc;
	}
	e->workers = aligned_alloc(64, e->nworkers * sizeof(*e->workers));
	if (!e->workers) {
		close_sockets(e);
		return -ENOMEM;
	}
	memset(e->workers, 0, e->nworkers * sizeof(*e->workers));
	for (unsigned i = 0; i < e->nworkers; i++)
		e->workers[i].ep = e->workers[i].wake = -1;
	atomic_store(&e->stop, false);
	for (unsigned i = 0; i < e->nworkers; i++) {
		struct esp_worker *w = &e->workers[i];
		rc = worker_init(e, w, i);
		if (rc < 0)
			break;
	}
	e->started = true;     /* from here workers count for grace periods */
	/* Workers never take signals: the daemon handles them on its loop. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (unsigned i = 0; rc == 0 && i < e->nworkers; i++) {
		struct esp_worker *w = &e->workers[i];
		if (pthread_create(&w->th, NULL, worker_main, w) != 0)
			rc = -EAGAIN;
		else
			w->running = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc < 0) {
		log_msg(SEV_ERR, "esp: cannot start workers: %s", strerror(-rc));
		esp_io_stop(e);
		return rc;
	}
	log_debug(LOG_IPSEC, 1, "IPSEC: %u ESP workers, UDP %u%s, batch %u", e->nworkers,
		  e->cfg.udp_port == ESP_NO_UDP ? 0 : e->cfg.udp_port,
		  e->raw_fd >= 0 ? ", raw ESP" : "", e->cfg.batch);
	return 0;
}

void esp_io_stop(struct esp *e)
{
	if (e->workers) {
		atomic_store(&e->stop, true);
		for (unsigned i = 0; i < e->nworkers; i++) {
			struct esp_worker *w = &e->workers[i];
			uint64_t one = 1;
			if (w->wake >= 0 && write(w->wake, &one, sizeof(one)) < 0)
				(void)0;
		}
		for (unsigned i = 0; i < e->nworkers; i++) {
			struct esp_worker *w = &e->workers[i];
			if (w->running)
				pthread_join(w->th, NULL);
			w->running = false;
		}
		/* Keep the counters for a last esp_stats(): fold them into ctl. */
		for (unsigned i = 0; i < e->nworkers; i++) {
			struct esp_worker *w = &e->workers[i];
			esp_wstats_fold(&e->ctl_stats, &w->st);
			worker_free_bufs(w);
		}
		free(e->workers);
		e->workers = NULL;
	}
	e->started = false;
	close_sockets(e);
}
