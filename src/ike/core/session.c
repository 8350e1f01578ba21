/* Session helpers shared by the IKEv1 and IKEv2 engines (session.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aaa/pool.h"
#include "base/log.h"
#include "base/loop.h"
#include "conf/conf.h"
#include "crypto/crypto.h"
#include "ike/core/ike.h"
#include "ike/core/session.h"

static uint64_t random_local_spi(void)
{
	for (int tries = 0; tries < 16; tries++) {
		uint64_t spi;
		if (crypto_random(&spi, sizeof(spi)) < 0)
			return 0;
		if (spi && !ike_sa_find_local(spi))
			return spi;
	}
	return 0;
}

static const char *conf_nameif(const struct conf *c, const char *want, enum ike_version v)
{
	if (!c)
		return NULL;
	for (size_t i = 0; want && i < c->n_ifaces; i++)
		if (c->ifaces[i].nameif && strcmp(c->ifaces[i].nameif, want) == 0)
			return c->ifaces[i].nameif;
	if (v == IKE_V1 && c->n_ikev1_enabled)
		return c->ikev1_enabled_ifaces[0];
	if (c->n_ikev2_enabled)
		return c->ikev2_enabled_ifaces[0];
	return c->n_ikev1_enabled ? c->ikev1_enabled_ifaces[0] : NULL;
}

struct ike_sa *ike_sa_start(enum ike_version v, const struct ike_pkt *p, uint64_t spi_i,
			    uint32_t session_id, struct conf *conf, void *priv)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));
	uint32_t tid = 0;
	uint64_t spi_r = random_local_spi();
	if (!sa || !spi_r || crypto_random(&tid, sizeof(tid)) < 0) {
		free(sa);
		return NULL;
	}
	sa->priv = priv;
	sa->serial = ike_sa_next_serial();
	sa->version = v;
	sa->session_id = session_id;
	sa->tunnel_id = (tid & 0x7fffffffu) ? (tid & 0x7fffffffu) : 1;
	sa->spi_i = spi_i;
	sa->spi_r = spi_r;
	sa->state = IKE_STATE_INIT_DONE;
	sa->local = p->to;
	sa->remote = p->from;
	sa->conf = conf ? conf_ref(conf) : NULL;
	sa->ifname = conf_nameif(sa->conf, p->ifname, v);
	sa->created = time(NULL);
	sa->created_ms = sa->last_rx_ms = loop_now_ms();
	ike_sa_table_add(sa);
	return sa;
}

const char *ike_ip_str(uint32_t host_addr, char *buf, size_t len)
{
	struct in_addr a = { .s_addr = htonl(host_addr) };
	if (!inet_ntop(AF_INET, &a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

const char *ike_addr_str(const struct sockaddr_in *a, char *buf, size_t len)
{
	char ip[INET_ADDRSTRLEN];
	ike_ip_str(ntohl(a->sin_addr.s_addr), ip, sizeof(ip));
	snprintf(buf, len, "%s:%u", ip, ntohs(a->sin_port));
	return buf;
}

void ike_child_unlink(struct ike_sa *sa, struct child_sa *ch)
{
	for (struct child_sa **pp = &sa->children; *pp; pp = &(*pp)->next) {
		if (*pp == ch) {
			*pp = ch->next;
			ch->next = NULL;
			sa->bytes_in += ch->bytes_in;
			sa->bytes_out += ch->bytes_out;
			return;
		}
	}
}

struct child_sa *ike_child_by_spi_in(struct ike_sa *sa, uint32_t spi_in)
{
	for (struct child_sa *c = sa->children; c; c = c->next)
		if (c->spi_in == spi_in)
			return c;
	return NULL;
}

struct child_sa *ike_child_by_spi_out(struct ike_sa *sa, uint32_t spi_out)
{
	for (struct child_sa *c = sa->children; c; c = c->next)
		if (c->spi_out == spi_out)
			return c;
	return NULL;
}

static const struct conf_pool *pool_named(const struct conf *c, const char *name)
{
	for (size_t i = 0; c && name && i < c->n_pools; i++)
		if (strcmp(c->pools[i].name, name) == 0)
			return &c->pools[i];
	return NULL;
}

const char *ike_pool_name(const struct conf *c, const char *name)
{
	const struct conf_pool *p = pool_named(c, name);
	return p ? p->name : name;
}

uint32_t ike_pool_mask(const struct conf *c, const char *name)
{
	const struct conf_pool *p = pool_named(c, name);
	return p ? p->mask : 0;
}

bool ike_release_lease(struct ike_sa *sa, struct pool_set *pools)
{
	if (!sa->lease_held)
		return false;
	sa->lease_held = false;
	if (pools && pool_release(pools, sa->assigned_addr) == 0)   /* the pool logs 737016 */
		return true;
	char ip[INET_ADDRSTRLEN];
	log_msg(SEV_WARNING, "session 0x%08x: address %s was not leased at release",
		sa->session_id, ike_ip_str(sa->assigned_addr, ip, sizeof(ip)));
	return false;
}

uint64_t ike_dpd_due(const struct ike_sa *sa, unsigned interval_sec)
{
	uint64_t base = (uint64_t)interval_sec * 1000u;
	/* a cheap per-session spread: the serial mixed by a multiplicative hash */
	uint64_t spread = ((sa->serial * 0x9e3779b97f4a7c15ull) >> 40) % (base / 10u + 1u);
	return sa->last_rx_ms + base + spread;
}

void ike_sa_rearm(struct loop *l, struct loop_timer **timer, uint64_t *timer_due, uint64_t due,
		  void (*fn)(void *arg), const struct ike_sa *sa)
{
	if (*timer && *timer_due == due)
		return;
	if (*timer)
		loop_timer_cancel(l, *timer);
	*timer = NULL;
	if (due == UINT64_MAX)
		return;
	uint64_t now = loop_now_ms();
	*timer_due = due;
	*timer = loop_timer_add(l, due > now ? due - now : 0, fn, (void *)(uintptr_t)sa->serial);
}

void ike_log_session_down(const struct ike_sa *sa, const char *reason)
{
	char ip[INET_ADDRSTRLEN];
	time_t now = time(NULL);
	uint64_t secs = now > sa->created ? (uint64_t)(now - sa->created) : 0;
	uint64_t tx = sa->bytes_out, rx = sa->bytes_in;
	for (const struct child_sa *c = sa->children; c; c = c->next) {
		tx += c->bytes_out;
		rx += c->bytes_in;
	}
	log_event(SEV_WARNING, 113019, "Group = %s, Username = %s, IP = %s, Session disconnected. "
		  "Session Type: IKEv%d, Duration: %uh:%02um:%02us, Bytes xmt: %llu, Bytes rcv: %llu, "
		  "Reason: %s", sa->tunnel_group ? sa->tunnel_group : "Unknown",
		  sa->username ? sa->username : "Unknown",
		  ike_ip_str(ntohl(sa->remote.sin_addr.s_addr), ip, sizeof(ip)), (int)sa->version,
		  (unsigned)(secs / 3600), (unsigned)(secs / 60 % 60), (unsigned)(secs % 60),
		  (unsigned long long)tx, (unsigned long long)rx, reason ? reason : "Unknown");
}
