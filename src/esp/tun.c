/* The TUN device: one queue per worker (IFF_MULTI_QUEUE), no packet info
 * header, MTU and optional address set with ioctls, routes for the address
 * pools added with one rtnetlink request each (no `ip` subprocess).
 *
 * With offloads on (the default), the queues are opened with IFF_VNET_HDR
 * and TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4): the kernel then hands over
 * TCP super-packets of up to 64 KB in one read, which the workers cut into
 * MTU-sized segments themselves (io.c) — far fewer system calls per byte on
 * the path that bounds a user-space tunnel. */
#include "esp/esp_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int tun_queue(struct esp *e, bool vnet)
{
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE | (vnet ? IFF_VNET_HDR : 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", e->tun_name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	/* The kernel may have completed a pattern such as "ravpn%d". */
	snprintf(e->tun_name, sizeof(e->tun_name), "%s", ifr.ifr_name);
	if (vnet) {
		int hdr = sizeof(struct virtio_net_hdr);
		if (ioctl(fd, TUNSETVNETHDRSZ, &hdr) < 0 ||
		    ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4) < 0) {
			int err = -errno;
			close(fd);
			return err;
		}
	}
	return fd;
}

static int if_ioctl(unsigned long req, struct ifreq *ifr)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	int rc = ioctl(s, req, ifr) < 0 ? -errno : 0;
	close(s);
	return rc;
}

static int tun_configure(struct esp *e)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", e->tun_name);
	ifr.ifr_mtu = (int)e->cfg.tun_mtu;
	int rc = if_ioctl(SIOCSIFMTU, &ifr);
	if (rc < 0)
		return rc;
	ifr.ifr_qlen = 1000;
	(void)if_ioctl(SIOCSIFTXQLEN, &ifr);
	if (e->cfg.tun_addr.s_addr) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
		memset(&ifr.ifr_addr, 0, sizeof(ifr.ifr_addr));
		sin->sin_family = AF_INET;
		sin->sin_addr = e->cfg.tun_addr;
		if ((rc = if_ioctl(SIOCSIFADDR, &ifr)) < 0)
			return rc;
		uint8_t pl = e->cfg.tun_prefix > 32 ? 32 : e->cfg.tun_prefix;
		sin->sin_addr.s_addr = htonl(pl ? 0xffffffffu << (32 - pl) : 0);
		if ((rc = if_ioctl(SIOCSIFNETMASK, &ifr)) < 0)
			return rc;
	}
	if ((rc = if_ioctl(SIOCGIFFLAGS, &ifr)) < 0)
		return rc;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if ((rc = if_ioctl(SIOCSIFFLAGS, &ifr)) < 0)
		return rc;
	e->tun_ifindex = (int)if_nametoindex(e->tun_name);
	return e->tun_ifindex > 0 ? 0 : -ENODEV;
}

int esp_tun_open(struct esp *e)
{
	if (!e->tun_name[0])
		return 0;
	/* Offloads need the virtio header; fall back to plain queues when the
	 * kernel refuses them. */
	e->vnet_hdr = !e->cfg.no_offload;
	for (unsigned i = 0; i < e->nworkers; i++) {
		int fd = tun_queue(e, e->vnet_hdr);
		if (fd < 0 && i == 0 && e->vnet_hdr) {
			e->vnet_hdr = false;
			fd = tun_queue(e, false);
		}
		if (fd < 0) {
			log_msg(SEV_ERR, "esp: cannot open TUN %s queue %u: %s", e->tun_name, i,
				strerror(-fd));
			esp_tun_close(e);
			return fd;
		}
		e->tun_fd[i] = fd;
	}
	int rc = tun_configure(e);
	if (rc < 0) {
		log_msg(SEV_ERR, "esp: cannot configure TUN %s: %s", e->tun_name, strerror(-rc));
		esp_tun_close(e);
		return rc;
	}
	log_debug(LOG_IPSEC, 1, "IPSEC: TUN %s up, MTU %u, %u queues%s", e->tun_name,
		  e->cfg.tun_mtu, e->nworkers, e->vnet_hdr ? ", TSO offload" : "");
	return 0;
}

void esp_tun_close(struct esp *e)
{
	for (unsigned i = 0; i < ESP_MAX_WORKERS; i++)
		if (e->tun_fd[i] >= 0) {
			close(e->tun_fd[i]);
			e->tun_fd[i] = -1;
		}
}

/* ---- routes (rtnetlink) ------------------------------------------------- */

static void rta_put(struct nlmsghdr *n, size_t cap, unsigned short type, const void *data,
		    size_t len)
{
	size_t off = NLMSG_ALIGN(n->nlmsg_len);
	struct rtattr *rta = (struct rtattr *)((uint8_t *)n + off);
	if (off + RTA_SPACE(len) > cap)
		return;
	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	n->nlmsg_len = (uint32_t)(off + RTA_SPACE(len));
}

static int route_msg(struct esp *e, int type, int flags, struct in_addr prefix, uint8_t len)
{
	if (!e->tun_ifindex || len > 32)
		return -EINVAL;
	union {
		struct nlmsghdr n;
		uint8_t b[256];
	} req;
	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg));
	req.n.nlmsg_type = (uint16_t)type;
	req.n.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags);
	req.n.nlmsg_seq = 1;
	struct rtmsg *rtm = NLMSG_DATA(&req.n);
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	uint32_t mask = len ? htonl(0xffffffffu << (32 - len)) : 0;
	uint32_t dst = prefix.s_addr & mask;
	uint32_t oif = (uint32_t)e->tun_ifindex;
	rta_put(&req.n, sizeof(req), RTA_DST, &dst, 4);
	rta_put(&req.n, sizeof(req), RTA_OIF, &oif, 4);

	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s < 0)
		return -errno;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int rc = 0;
	if (sendto(s, &req, req.n.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
	} else {
		union {
			struct nlmsghdr n;
			uint8_t b[1024];
		} ans;
		ssize_t r = recv(s, &ans, sizeof(ans), 0);
		if (r < 0)
			rc = -errno;
		else if ((size_t)r < NLMSG_LENGTH(sizeof(struct nlmsgerr)) ||
			 ans.n.nlmsg_type != NLMSG_ERROR)
			rc = -EPROTO;
		else
			rc = ((struct nlmsgerr *)NLMSG_DATA(&ans.n))->error;
	}
	close(s);
	return rc;
}

int esp_route_add(struct esp *e, struct in_addr prefix, uint8_t len)
{
	int rc = route_msg(e, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, prefix, len);
	if (rc < 0) {
		char a[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &prefix, a, sizeof(a));
		log_msg(SEV_ERR, "esp: cannot add route %s/%u via %s: %s", a, len, e->tun_name,
			strerror(-rc));
	}
	return rc;
}

int esp_route_del(struct esp *e, struct in_addr prefix, uint8_t len)
{
	return route_msg(e, RTM_DELROUTE, 0, prefix, len);
}
