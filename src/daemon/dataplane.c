#include "daemon/dataplane.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/loop.h"
#include "conf/model.h"
#include "esp/esp.h"
#include "ike/core/child.h"
#include "ike/core/sa.h"
#include "ike/core/session.h"

/* How often the counters of the CHILD SAs that carried packets are
 * refreshed from the data plane (and DPD learns that a peer is alive from
 * its ESP traffic).  Idle SAs are skipped (esp_sa_foreach_changed); every
 * control command refreshes all of them first (dataplane_sync). */
#define STATS_INTERVAL_MS 1000
/* Soft lifetime: rekey warning at 90 % of the hard one. */
#define SOFT_PERCENT 90

struct route {
	struct in_addr prefix;
	uint8_t len;
};

struct dataplane {
	struct loop *loop;
	struct esp *esp;
	struct loop_timer *timer;
	struct route *routes;
	size_t n_routes;
};

/* ---- ike/ -> esp/ ------------------------------------------------------- */

static int on_install(void *arg, const struct ike_child_params *p)
{
	struct dataplane *dp = arg;
	struct esp_sa_params e = {
		.spi_in = p->in.spi,
		.spi_out = p->out.spi,
		.encr = p->encr,
		.encr_key_in = p->in.encr_key,
		.encr_key_out = p->out.encr_key,
		.integ = p->integ,
		.integ_key_in = p->in.integ_key,
		.integ_key_out = p->out.integ_key,
		.esn = p->esn,
		/* Weak algorithms reach this point only when the operator's
		 * ipsec-proposal lists them: the proposal is the permission. */
		.allow_weak = true,
		.replay_window = p->replay_window,
		.inner_addr = { htonl(p->assigned_addr ? p->assigned_addr : p->remote_ts.start) },
		.inner_prefix = 32,
		.local = p->local,
		.peer = p->remote,
		.udp_encap = p->udp_encap,
		.hard_sec = p->lifetime_sec,
		.soft_sec = (uint32_t)((uint64_t)p->lifetime_sec * SOFT_PERCENT / 100),
		.hard_kb = p->lifetime_kb,
		.soft_kb = p->lifetime_kb * SOFT_PERCENT / 100,
		.owner = p->owner,
	};
	int rc = esp_sa_install(dp->esp, &e);
	if (rc < 0)
		log_msg(SEV_ERR, "data plane: cannot install ESP SA spi in 0x%08x out 0x%08x: %s",
			p->in.spi, p->out.spi, strerror(-rc));
	return rc < 0 ? -1 : 0;
}

static void on_uninstall(void *arg, uint32_t spi_in, uint32_t spi_out)
{
	struct dataplane *dp = arg;
	(void)spi_out;
	(void)esp_sa_remove(dp->esp, spi_in, NULL);
}

static void on_peer_moved(void *arg, uint64_t owner, const struct sockaddr_in *peer, bool udp)
{
	struct dataplane *dp = arg;
	esp_sa_update_peer(dp->esp, owner, peer, udp);
}

/* ---- esp/ -> ike/ ------------------------------------------------------- */

static void on_esp_event(const struct esp_event *ev, void *arg)
{
	(void)arg;
	ike_child_expired(ev->spi_in, ev->kind == ESP_EV_HARD_EXPIRE);
}

static void copy_stats(struct child_sa *c, const struct esp_sa_stats *s)
{
	c->pkts_in = s->pkts_decaps;
	c->pkts_out = s->pkts_encaps;
	c->bytes_in = s->bytes_in;
	c->bytes_out = s->bytes_out;
	c->pkts_decrypt_fail = s->verify_fail + s->bad_pad;
	c->pkts_replay = s->replay;
	c->send_errors = s->send_errors;
	c->recv_errors = s->recv_errors + s->verify_fail + s->replay + s->bad_pad +
			 s->bad_inner + s->spoofed;
	size_t words = s->replay_window / 32;
	c->replay_bitmap_valid = words >= 2;
	if (c->replay_bitmap_valid) {
		c->replay_bitmap[0] = s->replay_bitmap[words - 2];
		c->replay_bitmap[1] = s->replay_bitmap[words - 1];
	}
}

void dataplane_sync(struct dataplane *dp)
{
	if (!dp)
		return;
	for (struct ike_sa *sa = ike_sa_first(); sa; sa = ike_sa_next(sa)) {
		for (struct child_sa *c = sa->children; c; c = c->next) {
			struct esp_sa_stats s;
			if (esp_sa_stats(dp->esp, c->spi_in, &s) < 0)
				continue;
			bool fresh = s.pkts_decaps != c->pkts_in;
			copy_stats(c, &s);
			if (fresh)
				ike_note_esp_rx(c->spi_in);
		}
	}
}

/* One CHILD SA whose counters moved since the last tick. */
static void sync_changed(uint32_t spi_in, void *arg)
{
	struct dataplane *dp = arg;
	struct ike_sa *sa = ike_sa_find_serial(ike_child_spi_owner(spi_in));
	struct child_sa *c = sa ? ike_child_by_spi_in(sa, spi_in) : NULL;
	struct esp_sa_stats s;
	if (!c || esp_sa_stats(dp->esp, spi_in, &s) < 0)
		return;
	bool fresh = s.pkts_decaps != c->pkts_in;
	copy_stats(c, &s);
	if (fresh)
		ike_note_esp_rx(spi_in);
}

static void on_stats_timer(void *arg)
{
	struct dataplane *dp = arg;
	esp_sa_foreach_changed(dp->esp, sync_changed, dp);
	dp->timer = loop_timer_add(dp->loop, STATS_INTERVAL_MS, on_stats_timer, dp);
}

/* ---- routes for the pools ------------------------------------------------ */

/* The smallest prefix that covers first..last. */
static struct route pool_route(const struct conf_pool *p)
{
	uint8_t len = 32;
	while (len > 0) {
		uint32_t mask = len == 32 ? 0xffffffffu : ~(0xffffffffu >> len);
		if ((p->first & mask) == (p->last & mask))
			break;
		len--;
	}
	uint32_t mask = len == 0 ? 0 : len == 32 ? 0xffffffffu : ~(0xffffffffu >> len);
	struct route r = { { htonl(p->first & mask) }, len };
	return r;
}

static void routes_clear(struct dataplane *dp)
{
	for (size_t i = 0; i < dp->n_routes; i++)
		esp_route_del(dp->esp, dp->routes[i].prefix, dp->routes[i].len);
	free(dp->routes);
	dp->routes = NULL;
	dp->n_routes = 0;
}

void dataplane_reconf(struct dataplane *dp, const struct conf *c)
{
	routes_clear(dp);
	dp->routes = calloc(c->n_pools ? c->n_pools : 1, sizeof(*dp->routes));
	if (!dp->routes)
		return;
	for (size_t i = 0; i < c->n_pools; i++) {
		struct route r = pool_route(&c->pools[i]);
		char a[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &r.prefix, a, sizeof(a));
		int rc = esp_route_add(dp->esp, r.prefix, r.len);
		if (rc < 0 && rc != -EEXIST) {
			log_msg(SEV_ERR, "data plane: route %s/%u for pool %s (line %d): %s", a,
				r.len, c->pools[i].name, c->pools[i].line, strerror(-rc));
			continue;
		}
		log_msg(SEV_INFO, "data plane: pool %s routed into %s as %s/%u", c->pools[i].name,
			esp_get_tun_name(dp->esp), a, r.len);
		dp->routes[dp->n_routes++] = r;
	}
}

struct dataplane *dataplane_new(struct loop *l, const struct conf *c)
{
	struct dataplane *dp = calloc(1, sizeof(*dp));
	if (!dp)
		return NULL;
	dp->loop = l;
	struct esp_config cfg = {
		.tun_name = c->tun_name,
		.tun_mtu = c->tun_mtu,
		.raw_esp = true,
	};
	dp->esp = esp_new(&cfg, l, on_esp_event, dp);
	int rc = dp->esp ? esp_start(dp->esp) : -ENOMEM;
	if (rc < 0) {
		log_msg(SEV_ERR, "data plane: cannot start (TUN %s, UDP 4500, raw ESP): %s",
			c->tun_name ? c->tun_name : ESP_DEFAULT_TUN_NAME, strerror(-rc));
		dataplane_free(dp);
		return NULL;
	}
	dataplane_reconf(dp, c);
	ike_set_child_hooks(on_install, on_uninstall, dp);
	ike_set_child_peer_hook(on_peer_moved);
	dp->timer = loop_timer_add(l, STATS_INTERVAL_MS, on_stats_timer, dp);
	log_msg(SEV_NOTICE, "data plane: %s up, %u workers", esp_get_tun_name(dp->esp),
		esp_get_workers(dp->esp));
	return dp;
}

int dataplane_ike_fd(const struct dataplane *dp)
{
	return esp_get_ike_fd(dp->esp);
}

void dataplane_free(struct dataplane *dp)
{
	if (!dp)
		return;
	ike_set_child_hooks(NULL, NULL, NULL);
	ike_set_child_peer_hook(NULL);
	loop_timer_cancel(dp->loop, dp->timer);
	if (dp->esp)
		routes_clear(dp);
	esp_free(dp->esp);
	free(dp);
}
