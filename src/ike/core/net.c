#include "ike/core/ike.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "base/log.h"
#include "base/loop.h"
#include "conf/conf.h"

#define MAX_DGRAM 65536

struct ike_io {
	struct loop *loop;
	struct ike_io_opts opts;
	int fd, fd_natt;
	uint32_t bound_addr;              /* host order, 0 = INADDR_ANY */
	char ifname[64];
	const struct conf *conf;          /* for ifname lookup; refreshed by reconf */
	ike_msg_fn handler[3];
	void *handler_arg[3];
	ike_send_fn send_hook;
	void *send_arg;
	struct ike_io_stats st;
	struct log_limit lim;
	uint8_t rxbuf[MAX_DGRAM];
};

static struct ike_io *esp_io;         /* the instance whose NAT-T socket ESP uses */
static ike_esp_input_fn esp_fn;
static void *esp_arg;

void ike_set_esp_input(ike_esp_input_fn fn, void *arg)
{
	esp_fn = fn;
	esp_arg = arg;
}

static const char *ip_str(uint32_t net_addr, char *buf)
{
	struct in_addr a = { .s_addr = net_addr };
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN) ? buf : "?";
}

uint16_t ike_io_port(const struct ike_io *io, bool natt)
{
	if (natt)
		return io->opts.natt_port ? io->opts.natt_port : IKE_NATT_PORT;
	return io->opts.port ? io->opts.port : IKE_PORT;
}

const char *ike_io_ifname(const struct ike_io *io)
{
	return io->ifname[0] ? io->ifname : NULL;
}

/* The address of the first interface named in `crypto ikev2 enable`, else
 * in `crypto ikev1 enable` / `isakmp enable` (IKEv1-only configurations). */
static uint32_t enabled_addr(const struct conf *c, char *ifname, size_t len)
{
	ifname[0] = '\0';
	if (!c || (c->n_ikev2_enabled == 0 && c->n_ikev1_enabled == 0))
		return 0;
	bool v2 = c->n_ikev2_enabled > 0;
	const char *name = v2 ? c->ikev2_enabled_ifaces[0] : c->ikev1_enabled_ifaces[0];
	snprintf(ifname, len, "%s", name);
	const struct conf_interface *i = conf_iface_by_nameif(c, name);
	if (!i || !i->addr) {
		log_msg(SEV_WARNING, "%s enable %s (line %d): interface has no address; "
			"listening on all addresses", v2 ? "crypto ikev2" : "crypto ikev1/isakmp",
			ifname, v2 ? c->line_ikev2_enable : c->line_ikev1_enable);
		return 0;
	}
	return i->addr;
}

static int open_one(uint32_t addr, uint16_t port)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) < 0)
		goto fail;
	/* Path MTU discovery off: fragmented IKE over IPv4 is fine; ESP-in-UDP
	 * datagrams from the data plane set their own DF policy. */
	int pmtu = IP_PMTUDISC_DONT;
	setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof(pmtu));
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(addr) };
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		goto fail;
	return fd;
fail:;
	int e = errno;
	close(fd);
	errno = e;
	return -1;
}

static void on_readable(int fd, uint32_t events, void *arg);

static void close_sockets(struct ike_io *io)
{
	if (io->fd >= 0) {
		loop_del_fd(io->loop, io->fd);
		close(io->fd);
	}
	if (io->fd_natt >= 0) {
		loop_del_fd(io->loop, io->fd_natt);
		if (!io->opts.borrow_natt_fd)
			close(io->fd_natt);
	}
	io->fd = io->fd_natt = -1;
}

static int open_sockets(struct ike_io *io, uint32_t addr)
{
	char a[INET_ADDRSTRLEN];
	uint16_t p = ike_io_port(io, false), pn = ike_io_port(io, true);
	io->fd = open_one(addr, p);
	if (io->fd < 0 && addr) {
		log_msg(SEV_WARNING, "cannot bind %s:%u (%s): listening on all addresses",
			ip_str(htonl(addr), a), p, strerror(errno));
		addr = 0;
		io->fd = open_one(0, p);
	}
	if (io->fd < 0) {
		log_msg(SEV_ERR, "cannot bind UDP port %u: %s", p, strerror(errno));
		return -1;
	}
	if (io->opts.borrow_natt_fd) {
		int one = 1;
		io->fd_natt = io->opts.natt_fd;
		setsockopt(io->fd_natt, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
		/* on_readable drains until EAGAIN: a borrowed blocking socket
		 * would stall the whole control plane. */
		int fl = fcntl(io->fd_natt, F_GETFL);
		if (fl < 0 || fcntl(io->fd_natt, F_SETFL, fl | O_NONBLOCK) < 0) {
			log_msg(SEV_ERR, "borrowed UDP %u socket: cannot make it non-blocking", pn);
			close(io->fd);
			io->fd = -1;
			return -1;
		}
	} else {
		io->fd_natt = open_one(addr, pn);
	}
	if (io->fd_natt < 0) {
		log_msg(SEV_ERR, "cannot bind UDP port %u: %s", pn, strerror(errno));
		close(io->fd);
		io->fd = -1;
		return -1;
	}
	if (loop_add_fd(io->loop, io->fd, EPOLLIN, on_readable, io) < 0 ||
	    loop_add_fd(io->loop, io->fd_natt, EPOLLIN, on_readable, io) < 0) {
		close_sockets(io);
		return -1;
	}
	io->bound_addr = addr;
	log_msg(SEV_INFO, "IKE listening on %s:%u and %s:%u", ip_str(htonl(addr), a), p,
		ip_str(htonl(addr), a), pn);
	return 0;
}

struct ike_io *ike_io_new(struct loop *l, const struct conf *c, const struct ike_io_opts *o)
{
	struct ike_io *io = calloc(1, sizeof(*io));
	if (!io)
		return NULL;
	io->loop = l;
	io->fd = io->fd_natt = -1;
	io->conf = c;
	if (o)
		io->opts = *o;
	uint32_t addr = enabled_addr(c, io->ifname, sizeof(io->ifname));
	if (!io->opts.no_sockets) {
		if (c && c->n_ikev2_enabled == 0 && c->n_ikev1_enabled == 0)
			log_msg(SEV_WARNING, "no `crypto ikev2|ikev1 enable IF` (or `isakmp enable IF`) "
				"in the configuration: listening on all addresses");
		if (open_sockets(io, addr) < 0) {
			free(io);
			return NULL;
		}
		esp_io = io;
	}
	return io;
}

void ike_io_free(struct ike_io *io)
{
	if (!io)
		return;
	close_sockets(io);
	if (esp_io == io)
		esp_io = NULL;
	free(io);
}

int ike_io_reconf(struct ike_io *io, const struct conf *c)
{
	char ifname[64];
	io->conf = c;
	uint32_t addr = enabled_addr(c, ifname, sizeof(ifname));
	snprintf(io->ifname, sizeof(io->ifname), "%s", ifname);
	if (io->opts.no_sockets || addr == io->bound_addr)
		return 0;
	close_sockets(io);
	return open_sockets(io, addr);
}

void ike_io_set_handler(struct ike_io *io, int major_version, ike_msg_fn fn, void *arg)
{
	if (major_version == 1 || major_version == 2) {
		io->handler[major_version] = fn;
		io->handler_arg[major_version] = arg;
	}
}

void ike_io_set_send_hook(struct ike_io *io, ike_send_fn fn, void *arg)
{
	io->send_hook = fn;
	io->send_arg = arg;
}

void ike_io_get_stats(const struct ike_io *io, struct ike_io_stats *out)
{
	*out = io->st;
}

static int send_raw(int fd, const struct sockaddr_in *from, const struct sockaddr_in *to,
		    const uint8_t *marker, size_t mlen, const uint8_t *data, size_t len)
{
	struct iovec iov[2] = { { (void *)marker, mlen }, { (void *)data, len } };
	union {
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} u;
	memset(&u, 0, sizeof(u));
	struct msghdr mh = { .msg_name = (void *)to, .msg_namelen = sizeof(*to),
			     .msg_iov = mlen ? iov : iov + 1, .msg_iovlen = mlen ? 2 : 1 };
	if (from && from->sin_addr.s_addr) {
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
		struct in_pktinfo pi = { .ipi_spec_dst = from->sin_addr };
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	}
	ssize_t n = sendmsg(fd, &mh, 0);
	return n == (ssize_t)(mlen + len) ? 0 : -1;
}

int ike_io_send(struct ike_io *io, const struct sockaddr_in *from, const struct sockaddr_in *to,
		const uint8_t *msg, size_t len)
{
	static const uint8_t marker[4];
	bool natt = ntohs(from->sin_port) == ike_io_port(io, true);
	int rc;
	if (io->send_hook) {
		rc = io->send_hook(io->send_arg, from, to, msg, len);
	} else {
		int fd = natt ? io->fd_natt : io->fd;
		rc = fd < 0 ? -1 : send_raw(fd, from, to, marker, natt ? 4 : 0, msg, len);
	}
	if (rc < 0) {
		io->st.tx_errors++;
		unsigned sup = 0;
		char a[INET_ADDRSTRLEN];
		if (log_limit_pass(&io->lim, 5, &sup))
			log_msg(SEV_WARNING, "IKE send to %s:%u failed: %s (%u suppressed)",
				ip_str(to->sin_addr.s_addr, a), ntohs(to->sin_port),
				strerror(errno), sup);
		return -1;
	}
	io->st.tx++;
	return 0;
}

int ike_esp_send(const struct sockaddr_in *from, const struct sockaddr_in *to,
		 const uint8_t *pkt, size_t len)
{
	if (!esp_io || esp_io->fd_natt < 0)
		return -1;
	return send_raw(esp_io->fd_natt, from, to, NULL, 0, pkt, len);
}

static const char *nameif_for(const struct ike_io *io, uint32_t local_net)
{
	const struct conf *c = io->conf;
	if (c) {
		for (size_t i = 0; i < c->n_ifaces; i++)
			if (c->ifaces[i].nameif && c->ifaces[i].addr == ntohl(local_net))
				return c->ifaces[i].nameif;
	}
	return ike_io_ifname(io);
}

void ike_io_input(struct ike_io *io, const uint8_t *data, size_t len,
		  const struct sockaddr_in *from, const struct sockaddr_in *to)
{
	struct ike_pkt p = { .data = data, .len = len, .from = *from, .to = *to };
	p.natt = ntohs(to->sin_port) == ike_io_port(io, true);
	io->st.rx++;
	if (p.natt) {
		if (len == 1 && data[0] == 0xff) {
			io->st.rx_keepalive++;
			return;
		}
		if (len >= 4 && !data[0] && !data[1] && !data[2] && !data[3]) {
			p.data += 4;
			p.len -= 4;
		} else {
			io->st.rx_esp++;
			if (esp_fn && len >= 8)
				esp_fn(esp_arg, data, len, from, to);
			return;
		}
	}
	if (p.len < 28) {
		io->st.rx_short++;
		return;
	}
	int major = p.data[17] >> 4;
	if (major < 1 || major > 2 || !io->handler[major]) {
		io->st.rx_nohandler++;
		unsigned sup = 0;
		char a[INET_ADDRSTRLEN];
		if (log_limit_pass(&io->lim, 5, &sup))
			log_debug(LOG_IKEV2, 1, "dropping IKE version 0x%02x message from %s:%u "
				  "(no handler) (%u suppressed)", p.data[17],
				  ip_str(from->sin_addr.s_addr, a), ntohs(from->sin_port), sup);
		return;
	}
	p.ifname = nameif_for(io, to->sin_addr.s_addr);
	io->handler[major](io->handler_arg[major], &p);
}

static void on_readable(int fd, uint32_t events, void *arg)
{
	struct ike_io *io = arg;
	(void)events;
	for (int budget = 0; budget < 64; budget++) {
		struct sockaddr_in from;
		union {
			char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
			struct cmsghdr align;
		} u;
		struct iovec iov = { io->rxbuf, sizeof(io->rxbuf) };
		struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from),
				     .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
		ssize_t n = recvmsg(fd, &mh, 0);
		if (n < 0)
			return;   /* EAGAIN (or a transient error): wait for the next event */
		struct sockaddr_in to = { .sin_family = AF_INET };
		to.sin_port = htons(ike_io_port(io, fd == io->fd_natt));
		to.sin_addr.s_addr = htonl(io->bound_addr);
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo pi;
				memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
				to.sin_addr = pi.ipi_addr;
			}
		}
		if (from.sin_family != AF_INET)
			continue;
		ike_io_input(io, io->rxbuf, (size_t)n, &from, &to);
	}
}
