/* Client data plane over esp/ (see tunnel.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/log.h"
#include "client/tunnel.h"
#include "esp/esp.h"

struct tunnel {
	struct esp *esp;
	char name[IFNAMSIZ];
	uint16_t port;
};

struct tunnel *tunnel_new(struct loop *l, const char *tun, uint16_t port)
{
	struct tunnel *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	snprintf(t->name, sizeof(t->name), "%s", tun ? tun : "");
	t->port = port;
	/* two workers: the client carries one user's traffic */
	struct esp_config cfg = { .tun_name = t->name, .workers = 2, .udp_port = port };
	t->esp = esp_new(&cfg, l, NULL, NULL);
	if (!t->esp || esp_start(t->esp) < 0) {
		tunnel_free(t);
		return NULL;
	}
	return t;
}

void tunnel_free(struct tunnel *t)
{
	if (!t)
		return;
	esp_free(t->esp);
	free(t);
}

int tunnel_ike_fd(const struct tunnel *t) { return esp_get_ike_fd(t->esp); }
const char *tunnel_name(const struct tunnel *t) { return t->name; }
uint32_t tunnel_spi(struct tunnel *t) { return esp_spi_random(t->esp); }

int tunnel_child_up(struct tunnel *t, const struct ini2_child *c, const struct sockaddr_in *gw)
{
	struct esp_sa_params p = {
		.spi_in = c->spi_in,
		.spi_out = c->spi_out,
		.encr = c->encr,
		.encr_key_in = c->encr_in,
		.encr_key_out = c->encr_out,
		.integ = c->integ,
		.integ_key_in = c->integ_in,
		.integ_key_out = c->integ_out,
		.esn = c->esn,
		.inner_addr = { 0 },            /* a client SA carries everything */
		.inner_prefix = 0,
		.local = { .sin_family = AF_INET, .sin_port = htons(t->port) },
		.peer = *gw,
		.udp_encap = true,
		.owner = 1,
	};
	return esp_sa_install(t->esp, &p);
}

void tunnel_child_down(struct tunnel *t, uint32_t spi_in)
{
	(void)esp_sa_remove(t->esp, spi_in, NULL);
}

static int set_addr(const char *ifname, unsigned long req, uint32_t host)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(host);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int rc = ioctl(fd, req, &ifr) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

static uint8_t prefix_of(uint32_t mask)
{
	uint8_t n = 0;
	while (n < 32 && (mask & (0x80000000u >> n)))
		n++;
	return n;
}

int tunnel_configure(struct tunnel *t, const struct ini2_lease *l, bool routes)
{
	if (!t->name[0])
		return 0;
	int rc = set_addr(t->name, SIOCSIFADDR, l->addr);
	if (rc == 0 && l->netmask)
		rc = set_addr(t->name, SIOCSIFNETMASK, l->netmask);
	if (rc < 0 || !routes)
		return rc;
	if (l->full_tunnel || !l->n_split) {
		/* two halves: more specific than the default route, which stays
		 * for the way to the gateway */
		struct in_addr lo = { 0 }, hi = { htonl(0x80000000u) };
		rc = esp_route_add(t->esp, lo, 1);
		if (rc == 0)
			rc = esp_route_add(t->esp, hi, 1);
		return rc;
	}
	for (unsigned i = 0; i < l->n_split && rc == 0; i++) {
		struct in_addr a = { htonl(l->split[i].addr) };
		rc = esp_route_add(t->esp, a, prefix_of(l->split[i].mask));
		if (rc == -EEXIST)
			rc = 0;
	}
	return rc;
}

void tunnel_counters(struct tunnel *t, uint32_t spi_in, uint64_t *in, uint64_t *out)
{
	struct esp_sa_stats s;
	*in = *out = 0;
	if (esp_sa_stats(t->esp, spi_in, &s) == 0) {
		*in = s.pkts_decaps;
		*out = s.pkts_encaps;
	}
}
