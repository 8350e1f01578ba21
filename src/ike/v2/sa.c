/* IKEv2 SA life cycle: creation, state changes, the per-SA timer (half-open
 * timeout, retransmission of our requests, DPD, lifetimes), deletion and
 * the context every log line carries.
 *
 * Timers resume an SA by its serial (the timer argument), never by a
 * pointer: an SA freed in between is simply not found. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aaa/pool.h"
#include "auth/eap.h"
#include "base/loop.h"
#include "base/mem.h"
#include "conf/conf.h"
#include "ike/core/child.h"
#include "ike/core/session.h"
#include "ike/v2/v2.h"

struct conf *v2_conf(struct ikev2 *e)
{
	return e->env.conf ? e->env.conf(e->env.arg) : NULL;
}

struct pool_set *v2_pools(struct ikev2 *e)
{
	return e->env.pools ? e->env.pools(e->env.arg) : NULL;
}

const struct trustpoint_store *v2_trustpoints(struct ikev2 *e)
{
	return e->env.trustpoints ? e->env.trustpoints(e->env.arg) : NULL;
}

/* ---- logging ------------------------------------------------------------ */

void v2_log(const struct ike_sa *sa, unsigned level, const char *fmt, ...)
{
	if (!log_debug_on(LOG_IKEV2, level))
		return;
	char msg[1400], peer[32], ctx[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	int n = snprintf(ctx, sizeof(ctx), "IP = %s, SPI = %016llx/%016llx",
			 ike_addr_str(&sa->remote, peer, sizeof(peer)),
			 (unsigned long long)sa->spi_i, (unsigned long long)sa->spi_r);
	if (sa->tunnel_group && n > 0 && (size_t)n < sizeof(ctx))
		n += snprintf(ctx + n, sizeof(ctx) - (size_t)n, ", Group = %s", sa->tunnel_group);
	if (sa->username && n > 0 && (size_t)n < sizeof(ctx))
		snprintf(ctx + n, sizeof(ctx) - (size_t)n, ", Username = %s", sa->username);
	log_debug(LOG_IKEV2, level, "(%u): %s: %s", sa->session_id, ctx, msg);
}

void v2_log_peer(const struct sockaddr_in *peer, unsigned level, const char *fmt, ...)
{
	if (!log_debug_on(LOG_IKEV2, level))
		return;
	char msg[1400], a[32];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_debug(LOG_IKEV2, level, "IP = %s: %s", ike_addr_str(peer, a, sizeof(a)), msg);
}

struct dump_arg {
	const struct ike_sa *sa;
};

static void dump_line(void *arg, const char *text)
{
	struct dump_arg *d = arg;
	if (d->sa)
		log_debug(LOG_IKEV2, 64, "(%u): %s", d->sa->session_id, text);
	else
		log_debug(LOG_IKEV2, 64, "%s", text);
}

void v2_dump(const struct ike_sa *sa, const struct ikev2_msg *m, bool sent)
{
	if (log_debug_on(LOG_IKEV2, 4)) {
		char sum[512];
		ikev2_msg_summary(m, sum, sizeof(sum));
		if (sa)
			v2_log(sa, 4, "%s %s %s (msgid %u): %s", sent ? "Sending" : "Received",
			       ikev2_exchange_name(m->hdr.exchange),
			       m->hdr.flags & IKEV2_FLAG_RESPONSE ? "RESPONSE" : "REQUEST",
			       m->hdr.msg_id, sum);
	}
	if (log_debug_on(LOG_IKEV2, 64)) {
		struct dump_arg d = { sa };
		ikev2_msg_dump(m, dump_line, &d);
	}
}

/* ---- creation ------------------------------------------------------------ */

static bool half_open_state(enum ike_state s)
{
	return s == IKE_STATE_INIT_DONE || s == IKE_STATE_AUTH_EAP || s == IKE_STATE_AUTH_FINAL;
}

struct ike_sa *v2_sa_new(struct ikev2 *e, const struct ike_pkt *p, uint64_t spi_i)
{
	struct v2_sa *v = calloc(1, sizeof(*v));
	struct conf *c = v2_conf(e);
	struct ike_sa *sa = v ? ike_sa_start(IKE_V2, p, spi_i, e->next_session_id + 1, c, v) : NULL;
	if (!sa) {
		free(v);
		return NULL;
	}
	e->next_session_id++;
	v->eng = e;
	buf_init(&v->init_req);
	buf_init(&v->init_resp);
	v->deadline_ms = sa->created_ms + V2_HALF_OPEN_TIMEOUT_MS;
	e->half_open++;
	return sa;
}

void v2_sa_set_state(struct ike_sa *sa, enum ike_state st)
{
	struct v2_sa *v = v2_of(sa);
	bool was = half_open_state(sa->state), is = half_open_state(st);
	if (was && !is && v->eng->half_open)
		v->eng->half_open--;
	else if (!was && is)
		v->eng->half_open++;
	sa->state = st;
}

/* ---- deletion ------------------------------------------------------------- */

void v2_auth_free(struct v2_auth *a)
{
	if (!a)
		return;
	eap_server_free(a->eap);
	mem_free_secret(a->idi_body, a->idi_len);
	mem_wipe(a, sizeof(*a));
	free(a);
}

void v2_dgrams_free(struct v2_dgrams *d)
{
	for (size_t i = 0; i < d->n; i++)
		buf_free(&d->d[i]);
	free(d->d);
	d->d = NULL;
	d->n = 0;
}

void v2_release_lease(struct ike_sa *sa)
{
	char ip[INET_ADDRSTRLEN];
	uint32_t addr = sa->assigned_addr;
	if (ike_release_lease(sa, v2_pools(v2_of(sa)->eng)))
		v2_log(sa, 2, "IPAA: released %s to local pool %s", ike_ip_str(addr, ip, sizeof(ip)),
		       sa->pool_name ? sa->pool_name : "?");
}

static void log_down(struct ike_sa *sa, const char *reason)
{
	char l[32], r[32];
	log_event(SEV_NOTICE, 750007, "Local:%s Remote:%s Username:%s IKEv2 SA DOWN. Reason: %s",
		  ike_addr_str(&sa->local, l, sizeof(l)), ike_addr_str(&sa->remote, r, sizeof(r)),
		  sa->username ? sa->username : "Unknown", reason);
	ike_log_session_down(sa, reason);
}

void v2_sa_destroy(struct ike_sa *sa, const char *reason, bool log)
{
	struct v2_sa *v = v2_of(sa);
	struct ikev2 *e = v->eng;
	if (log && sa->state == IKE_STATE_ESTABLISHED)
		log_down(sa, reason ? reason : "Unknown");
	else if (log && sa->state == IKE_STATE_DELETING && sa->disconnect_reason)
		log_down(sa, sa->disconnect_reason);
	if (v->up && e->st.sessions_up)
		e->st.sessions_up--;
	v->up = false;
	v2_release_lease(sa);
	while (sa->children) {
		struct child_sa *c = sa->children;
		sa->children = c->next;
		ike_child_free(c);
	}
	if (half_open_state(sa->state) && e->half_open)
		e->half_open--;
	sa->state = IKE_STATE_DEAD;
	if (v->timer)
		loop_timer_cancel(e->loop, v->timer);
	ike_sa_table_remove(sa);
	ike_keys_wipe(&v->km);
	ike_sk_free(&v->sk);
	mem_wipe(v->ni, sizeof(v->ni));
	mem_wipe(v->nr, sizeof(v->nr));
	buf_free(&v->init_req);
	buf_free(&v->init_resp);
	v2_dgrams_free(&v->reply);
	v2_dgrams_free(&v->req);
	if (v->frag) {
		ike_frag_rx_clear(v->frag);
		free(v->frag);
	}
	v2_auth_free(v->auth);
	if (v->pending) {
		buf_free(&v->pending->plain);
		free(v->pending);
	}
	free(v);
	free(sa->remote_id);
	free(sa->local_id);
	free(sa->tunnel_group);
	free(sa->group_policy);
	free(sa->username);
	free(sa->client_version);
	if (sa->conf)
		conf_unref(sa->conf);
	free(sa);
}

static void fill_delete_ike(struct ikev2_wr *w, void *arg)
{
	(void)arg;
	ikev2_w_delete(w, IKEV2_PROTO_IKE, 0, NULL, 0);
}

void v2_sa_delete(struct ike_sa *sa, const char *reason)
{
	struct v2_sa *v = v2_of(sa);
	if (sa->state == IKE_STATE_DELETING)
		return;
	if ((sa->state == IKE_STATE_ESTABLISHED || sa->state == IKE_STATE_REKEYED) &&
	    v->keys_ready) {
		bool was_up = sa->state == IKE_STATE_ESTABLISHED;
		sa->disconnect_reason = was_up ? reason : NULL;
		/* Our liveness check (if any) is superseded by the DELETE. */
		v->req_pending = false;
		v2_sa_set_state(sa, IKE_STATE_DELETING);
		if (v2_send_request(sa, V2_REQ_DELETE_IKE, fill_delete_ike, NULL) == 0) {
			v2_log(sa, 1, "sent DELETE for the IKE SA (%s)", reason);
			v2_sa_schedule(sa);
			return;
		}
	}
	v2_sa_destroy(sa, reason, true);
}

/* ---- the per-SA timer ------------------------------------------------------ */

static uint64_t child_expiry_ms(const struct child_sa *c, uint64_t now_ms)
{
	if (!c->lifetime_sec)
		return UINT64_MAX;
	time_t now = time(NULL);
	time_t end = c->created + (time_t)c->lifetime_sec;
	return end <= now ? now_ms : now_ms + (uint64_t)(end - now) * 1000u;
}

static uint64_t dpd_due(const struct ike_sa *sa)
{
	if (sa->state != IKE_STATE_ESTABLISHED || !sa->dpd_interval)
		return UINT64_MAX;
	return ike_dpd_due(sa, sa->dpd_interval);
}

static uint64_t next_due(const struct ike_sa *sa, uint64_t now)
{
	const struct v2_sa *v = v2_of(sa);
	uint64_t due = UINT64_MAX;
#define MIN_DUE(x) do { uint64_t x_ = (x); if (x_ < due) due = x_; } while (0)
	if (half_open_state(sa->state))
		MIN_DUE(v->deadline_ms);
	if (v->req_pending)
		MIN_DUE(v->req_next_ms);
	else
		MIN_DUE(dpd_due(sa));
	if (v->frag && v->frag->active)
		MIN_DUE(v->frag->started_ms + IKE_FRAG_TIMEOUT_MS + 1);
	if (sa->state == IKE_STATE_ESTABLISHED) {
		for (const struct child_sa *c = sa->children; c; c = c->next)
			MIN_DUE(child_expiry_ms(c, now));
		if (sa->lifetime_sec)
			MIN_DUE(sa->created_ms + (uint64_t)sa->lifetime_sec * 1000u);
	}
	if (sa->state == IKE_STATE_REKEYED)
		MIN_DUE(v->deadline_ms);
#undef MIN_DUE
	return due;
}

static void tick(void *arg);

void v2_sa_schedule(struct ike_sa *sa)
{
	struct v2_sa *v = v2_of(sa);
	ike_sa_rearm(v->eng->loop, &v->timer, &v->timer_due, next_due(sa, loop_now_ms()), tick, sa);
}

static void fill_nothing(struct ikev2_wr *w, void *arg)
{
	(void)w;
	(void)arg;
}

static void fill_delete_child(struct ikev2_wr *w, void *arg)
{
	uint32_t spi = *(const uint32_t *)arg;
	uint8_t b[4] = { (uint8_t)(spi >> 24), (uint8_t)(spi >> 16), (uint8_t)(spi >> 8),
			 (uint8_t)spi };
	ikev2_w_delete(w, IKEV2_PROTO_ESP, 4, b, 1);
}

/* Our request went unanswered: retransmit, or give up. */
static bool retransmit_or_give_up(struct ike_sa *sa, uint64_t now)
{
	struct v2_sa *v = v2_of(sa);
	unsigned max = v->req_kind == V2_REQ_DPD ? V2_DPD_MAX_RETRIES : V2_DELETE_MAX_TRIES;
	if (v->req_tries >= max) {
		v->req_pending = false;
		if (v->req_kind == V2_REQ_DPD) {
			v2_log(sa, 1, "no answer to %u liveness checks: peer is dead", v->req_tries);
			v2_sa_destroy(sa, "Lost Service", true);
		} else if (v->req_kind == V2_REQ_DELETE_IKE) {
			v2_sa_destroy(sa, sa->disconnect_reason, true);
		}
		return v->req_kind == V2_REQ_DPD || v->req_kind == V2_REQ_DELETE_IKE;
	}
	v->req_tries++;
	unsigned retry = sa->dpd_retry ? sa->dpd_retry : 2;
	v->req_next_ms = now + (v->req_kind == V2_REQ_DPD ? retry * 1000u : V2_DELETE_RETRY_MS);
	v2_log(sa, 2, "retransmitting our request (msgid %u, try %u)", v->req_id, v->req_tries);
	v2_send_dgrams(v->eng, &v->req, &sa->local, &sa->remote);
	return false;
}

static void tick(void *arg)
{
	struct ike_sa *sa = ike_sa_find_serial((uint64_t)(uintptr_t)arg);
	if (!sa)
		return;
	struct v2_sa *v = v2_of(sa);
	v->timer = NULL;
	uint64_t now = loop_now_ms();
	if (half_open_state(sa->state) && now >= v->deadline_ms) {
		char l[32], r[32];
		log_event(SEV_WARNING, 750003, "Local:%s Remote:%s Username:%s Negotiation aborted "
			  "due to ERROR: Auth exchange timed out",
			  ike_addr_str(&sa->local, l, sizeof(l)), ike_addr_str(&sa->remote, r, sizeof(r)),
			  sa->username ? sa->username : "Unknown");
		v2_sa_destroy(sa, "Negotiation timeout", false);
		return;
	}
	if (sa->state == IKE_STATE_REKEYED && now >= v->deadline_ms) {
		v2_log(sa, 2, "rekeyed IKE SA was not deleted by the peer: removing it");
		v2_sa_destroy(sa, NULL, false);
		return;
	}
	if (v->frag && ike_frag_rx_expired(v->frag, now))
		ike_frag_rx_clear(v->frag);
	if (v->req_pending && now >= v->req_next_ms && retransmit_or_give_up(sa, now))
		return;
	if (sa->state == IKE_STATE_ESTABLISHED && sa->lifetime_sec &&
	    now >= sa->created_ms + (uint64_t)sa->lifetime_sec * 1000u) {
		v2_log(sa, 1, "IKE SA lifetime (%u s) expired", sa->lifetime_sec);
		v2_sa_delete(sa, "SA Expired");
		return;
	}
	if (!v->req_pending && sa->state == IKE_STATE_ESTABLISHED) {
		for (struct child_sa *c = sa->children; c; c = c->next) {
			if (child_expiry_ms(c, now) > now)
				continue;
			v2_log(sa, 1, "CHILD SA 0x%08x/0x%08x lifetime expired: deleting", c->spi_in,
			       c->spi_out);
			uint32_t spi = c->spi_in;
			ike_child_unlink(sa, c);
			ike_child_free(c);
			if (v2_send_request(sa, V2_REQ_DELETE_CHILD, fill_delete_child, &spi) == 0)
				v->req_child_spi = spi;
			break;
		}
	}
	if (!v->req_pending && now >= dpd_due(sa)) {
		v2_log(sa, 3, "no traffic for %u s: liveness check", sa->dpd_interval);
		if (v2_send_request(sa, V2_REQ_DPD, fill_nothing, NULL) == 0)
			v->req_next_ms = now + (sa->dpd_retry ? sa->dpd_retry : 2) * 1000u;
	}
	v2_sa_schedule(sa);
}

uint32_t v2_new_child_spi(uint64_t serial)
{
	for (int tries = 0; tries < 32; tries++) {
		uint32_t spi;
		if (crypto_random(&spi, sizeof(spi)) < 0)
			return 0;
		if (spi < 256)
			continue;          /* 1..255 are reserved (RFC 4303 §2.1) */
		if (ike_child_spi_add(spi, serial) == 0)
			return spi;
	}
	return 0;
}
