/* IKEv1 SA life cycle: creation, setup phases, the per-SA timer (setup
 * deadline, retransmission of our Transaction requests, DPD, lifetimes),
 * deletion, and the context every log line carries.
 *
 * Timers find their SA by serial, never by pointer: an SA freed in between
 * is simply not found. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aaa/pool.h"
#include "base/loop.h"
#include "base/mem.h"
#include "conf/conf.h"
#include "ike/core/child.h"
#include "ike/core/session.h"
#include "ike/v1/v1.h"

struct conf *v1_conf(struct ikev1 *e)
{
	return e->env.conf ? e->env.conf(e->env.arg) : NULL;
}

struct pool_set *v1_pools(struct ikev1 *e)
{
	return e->env.pools ? e->env.pools(e->env.arg) : NULL;
}

/* ---- logging ------------------------------------------------------------ */

/* ASA-style context: "Group = G, Username = U, IP = A". */
void v1_log(const struct ike_sa *sa, unsigned level, const char *fmt, ...)
{
	if (!log_debug_on(LOG_IKEV1, level))
		return;
	char msg[1400], ip[INET_ADDRSTRLEN], ctx[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	int n = 0;
	ctx[0] = 0;
	if (sa->tunnel_group)
		n = snprintf(ctx, sizeof(ctx), "Group = %s, ", sa->tunnel_group);
	if (sa->username && n >= 0 && (size_t)n < sizeof(ctx))
		n += snprintf(ctx + n, sizeof(ctx) - (size_t)n, "Username = %s, ", sa->username);
	if (n >= 0 && (size_t)n < sizeof(ctx))
		snprintf(ctx + n, sizeof(ctx) - (size_t)n, "IP = %s",
			 ike_ip_str(ntohl(sa->remote.sin_addr.s_addr), ip, sizeof(ip)));
	log_debug(LOG_IKEV1, level, "(%u): %s, %s", sa->session_id, ctx, msg);
}

void v1_log_peer(const struct sockaddr_in *peer, unsigned level, const char *fmt, ...)
{
	if (!log_debug_on(LOG_IKEV1, level))
		return;
	char msg[1400], a[32];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_debug(LOG_IKEV1, level, "IP = %s, %s", ike_addr_str(peer, a, sizeof(a)), msg);
}

/* ---- creation ------------------------------------------------------------ */

struct ike_sa *v1_sa_new(struct ikev1 *e, const struct ike_pkt *p, uint64_t spi_i)
{
	struct v1_sa *v = calloc(1, sizeof(*v));
	struct conf *c = v1_conf(e);
	struct ike_sa *sa = v ? ike_sa_start(IKE_V1, p, spi_i, e->next_session_id + 1, c, v) : NULL;
	if (!sa) {
		free(v);
		return NULL;
	}
	e->next_session_id++;
	v->eng = e;
	buf_init(&v->p1_last_tx);
	for (size_t i = 0; i < V1_MAX_EXCH; i++)
		buf_init(&v->ex[i].last_tx);
	v->deadline_ms = sa->created_ms + V1_HALF_OPEN_TIMEOUT_MS;
	e->st.p1_started++;
	return sa;
}

static const char *phase_state_name(const struct ike_sa *sa, enum v1_phase ph)
{
	bool am = sa->v1_mode == IKEV1_X_AGGRESSIVE;
	switch (ph) {
	case V1_P1_MM_SA: return "MM_WAIT_MSG3";
	case V1_P1_MM_KE: return "MM_WAIT_MSG5";
	case V1_P1_AM: return "AM_WAIT_MSG3";
	case V1_XAUTH: return am ? "AM_TM_INIT_XAUTH" : "MM_TM_INIT_XAUTH";
	case V1_XAUTH_STATUS: return am ? "AM_TM_INIT_XAUTH_V6H" : "MM_TM_INIT_XAUTH_V6H";
	case V1_MODECFG: return am ? "AM_TM_INIT_MODECFG" : "MM_TM_INIT_MODECFG";
	case V1_READY: return am ? "AM_ACTIVE" : "MM_ACTIVE";
	}
	return "?";
}

/* XAUTH logins in progress, for `show uauth` ("Authen In Progress"). */
static void count_xauth(struct v1_sa *v, bool in)
{
	struct ikev1_stats *st = &v->eng->st;
	if (in == v->in_xauth)
		return;
	v->in_xauth = in;
	if (in && ++st->xauth_in_progress > st->xauth_in_progress_peak)
		st->xauth_in_progress_peak = st->xauth_in_progress;
	else if (!in && st->xauth_in_progress)
		st->xauth_in_progress--;
}

void v1_sa_set_phase(struct ike_sa *sa, enum v1_phase ph)
{
	struct v1_sa *v = v1_of(sa);
	v->phase = ph;
	count_xauth(v, ph == V1_XAUTH || ph == V1_XAUTH_STATUS);
	sa->v1_state = phase_state_name(sa, ph);
	if (ph >= V1_XAUTH && sa->state != IKE_STATE_ESTABLISHED && sa->state != IKE_STATE_DELETING)
		sa->state = ph == V1_READY ? IKE_STATE_ESTABLISHED : IKE_STATE_AUTH_FINAL;
	if (ph >= V1_XAUTH && ph < V1_READY)
		v->deadline_ms = loop_now_ms() + V1_SETUP_TIMEOUT_MS;
}

/* The session is usable (address assigned, user authenticated). */
void v1_sa_up(struct ike_sa *sa)
{
	struct v1_sa *v = v1_of(sa);
	v1_sa_set_phase(sa, V1_READY);
	sa->state = IKE_STATE_ESTABLISHED;
	/* Phase 1 is over for good: its hash inputs and retransmission copy go. */
	free(v->gxi);
	v->gxi = v->gxr = NULL;
	free(v->idii_b);
	v->idii_b = NULL;
	buf_free(&v->p1_last_tx);
	if (!v->up) {
		v->up = true;
		v->eng->st.sessions_total++;
		v->eng->st.sessions_up++;
		if (v->eng->st.sessions_up > v->eng->st.sessions_peak)
			v->eng->st.sessions_peak = v->eng->st.sessions_up;
	}
	sa->last_rx_ms = loop_now_ms();
	v1_sa_schedule(sa);
}

/* ---- exchanges ------------------------------------------------------------ */

struct v1_exch *v1_exch_find(struct ike_sa *sa, uint32_t msg_id)
{
	struct v1_sa *v = v1_of(sa);
	for (size_t i = 0; i < V1_MAX_EXCH; i++)
		if (v->ex[i].kind != V1_EX_FREE && v->ex[i].msg_id == msg_id)
			return &v->ex[i];
	return NULL;
}

void v1_exch_free(struct v1_exch *ex)
{
	if (ex->qm) {
		crypto_dh_free(ex->qm->dh);
		mem_wipe(ex->qm, sizeof(*ex->qm));
		free(ex->qm);
	}
	struct buf keep = ex->last_tx;
	buf_free(&keep);
	memset(ex, 0, sizeof(*ex));
	buf_init(&ex->last_tx);
}

/* A new exchange slot: a free one, else one that awaits nothing (finished
 * or abandoned), else the first: a client that abandons Quick Modes cannot
 * pin memory. */
struct v1_exch *v1_exch_new(struct ike_sa *sa, enum v1_exch_kind kind, uint32_t msg_id)
{
	struct v1_sa *v = v1_of(sa);
	struct v1_exch *ex = NULL;
	for (size_t i = 0; i < V1_MAX_EXCH && !ex; i++)
		if (v->ex[i].kind == V1_EX_FREE)
			ex = &v->ex[i];
	for (size_t i = 0; i < V1_MAX_EXCH && !ex; i++)
		if (!v->ex[i].awaiting)
			ex = &v->ex[i];
	if (!ex)
		ex = &v->ex[0];
	v1_exch_free(ex);
	ex->kind = kind;
	ex->msg_id = msg_id;
	if (v1_iv_msgid(&v->k, msg_id, ex->iv) < 0) {
		ex->kind = V1_EX_FREE;
		return NULL;
	}
	return ex;
}

uint32_t v1_new_msg_id(struct ike_sa *sa)
{
	for (int tries = 0; tries < 16; tries++) {
		uint32_t id;
		if (crypto_random(&id, sizeof(id)) < 0)
			return 0;
		if (id && !v1_exch_find(sa, id))
			return id;
	}
	return 0;
}

/* ---- deletion ------------------------------------------------------------- */

void v1_release_lease(struct ike_sa *sa)
{
	char ip[INET_ADDRSTRLEN];
	uint32_t addr = sa->assigned_addr;
	if (ike_release_lease(sa, v1_pools(v1_of(sa)->eng)))
		v1_log(sa, 2, "IPAA: released %s to local pool %s", ike_ip_str(addr, ip, sizeof(ip)),
		       sa->pool_name ? sa->pool_name : "?");
}

void v1_sa_destroy(struct ike_sa *sa, const char *reason, bool log)
{
	struct v1_sa *v = v1_of(sa);
	struct ikev1 *e = v->eng;
	if (log && v->up)
		ike_log_session_down(sa, reason);
	if (v->up && e->st.sessions_up)
		e->st.sessions_up--;
	v->up = false;
	count_xauth(v, false);
	v1_release_lease(sa);
	while (sa->children) {
		struct child_sa *c = sa->children;
		sa->children = c->next;
		ike_child_free(c);
	}
	sa->state = IKE_STATE_DEAD;
	if (v->timer)
		loop_timer_cancel(e->loop, v->timer);
	ike_sa_table_remove(sa);
	v1_keys_wipe(&v->k);
	mem_wipe(v->ni, sizeof(v->ni));
	mem_wipe(v->nr, sizeof(v->nr));
	free(v->gxi);                    /* public values: nothing to wipe */
	free(v->sai_b);
	free(v->idii_b);
	buf_free(&v->p1_last_tx);
	for (size_t i = 0; i < V1_MAX_EXCH; i++) {
		v1_exch_free(&v->ex[i]);
		buf_free(&v->ex[i].last_tx);
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

void v1_sa_delete(struct ike_sa *sa, const char *reason)
{
	struct v1_sa *v = v1_of(sa);
	if (v->deleting)
		return;
	v->deleting = true;
	if (v->keys_ready) {
		for (struct child_sa *c = sa->children; c; c = c->next)
			v1_send_delete_esp(sa, c->spi_in);
		v1_send_delete_isakmp(sa);
		v1_log(sa, 1, "sent DELETE for the ISAKMP SA (%s)", reason);
	}
	v1_sa_destroy(sa, reason, true);
}

/* ---- INITIAL-CONTACT -------------------------------------------------------- */

static bool same_str(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* The older session INITIAL-CONTACT speaks for: from the same address and,
 * once the user is known (XAUTH), of the same user and group — many users
 * share one NAT address and one group key; without XAUTH, from the same
 * address and port. */
static bool replaced_by(const struct ike_sa *o, const struct ike_sa *sa)
{
	if (o == sa || o->version != IKE_V1 ||
	    o->remote.sin_addr.s_addr != sa->remote.sin_addr.s_addr)
		return false;
	if (sa->username)
		return same_str(o->username, sa->username) &&
		       same_str(o->tunnel_group, sa->tunnel_group);
	return o->remote.sin_port == sa->remote.sin_port;
}

static void replace(struct ike_sa *sa, struct ike_sa *o)
{
	v1_log(sa, 1, "INITIAL-CONTACT: removing the older session %u of this peer",
	       o->session_id);
	v1_sa_delete(o, "Peer Reconnected");
}

void v1_initial_contact(struct ike_sa *sa)
{
	if (sa->username) {
		/* the by-user index: no walk over every session */
		struct ike_sa *cand[64];
		size_t n = ike_sa_by_user(sa->username, cand, 64);
		for (size_t i = 0; i < n; i++)
			if (replaced_by(cand[i], sa))
				replace(sa, cand[i]);
		return;
	}
	struct ike_sa *next;
	for (struct ike_sa *o = ike_sa_first(); o; o = next) {
		next = ike_sa_next(o);
		if (replaced_by(o, sa))
			replace(sa, o);
	}
}

/* ---- the per-SA timer ------------------------------------------------------- */

static uint64_t child_expiry_ms(const struct child_sa *c, uint64_t now_ms)
{
	if (!c->lifetime_sec)
		return UINT64_MAX;
	time_t now = time(NULL);
	time_t end = c->created + (time_t)c->lifetime_sec;
	return end <= now ? now_ms : now_ms + (uint64_t)(end - now) * 1000u;
}

#define V1_REKEY_PERCENT 90u          /* we rekey an IPsec SA at 90 % of its lifetime */
#define V1_SUPERSEDED_MS 10000u       /* an SA we rekeyed stays this long for late packets */

static uint64_t ms_at(time_t when, uint64_t now_ms)
{
	time_t now = time(NULL);
	return when <= now ? now_ms : now_ms + (uint64_t)(when - now) * 1000u;
}

/* The youngest IPsec SA: the one carrying the traffic. */
static const struct child_sa *newest_child(const struct ike_sa *sa)
{
	const struct child_sa *n = NULL;
	for (const struct child_sa *c = sa->children; c; c = c->next)
		if (!n || c->created >= n->created)
			n = c;
	return n;
}

static uint64_t rekey_due(const struct child_sa *c, uint64_t now_ms)
{
	if (!c || c->rekeyed || !c->lifetime_sec)
		return UINT64_MAX;
	return ms_at(c->created + (time_t)(c->lifetime_sec * (uint64_t)V1_REKEY_PERCENT / 100u),
		     now_ms);
}

/* When an SA we replaced may go (it was rekeyed and a newer one is up). */
static uint64_t superseded_due(const struct ike_sa *sa, const struct child_sa *c, uint64_t now_ms)
{
	const struct child_sa *n = newest_child(sa);
	if (!c->rekeyed || !n || n == c)
		return UINT64_MAX;
	return ms_at(n->created, now_ms) + V1_SUPERSEDED_MS;
}

static uint64_t dpd_due(const struct ike_sa *sa)
{
	const struct v1_sa *v = v1_of(sa);
	if (v->phase != V1_READY || !sa->dpd_interval || !v->peer_dpd)
		return UINT64_MAX;
	if (v->dpd_pending)
		return v->dpd_sent_ms + (uint64_t)(sa->dpd_retry ? sa->dpd_retry : 2) * 1000u;
	return ike_dpd_due(sa, sa->dpd_interval);
}

static uint64_t next_due(const struct ike_sa *sa, uint64_t now)
{
	const struct v1_sa *v = v1_of(sa);
	uint64_t due = UINT64_MAX;
#define MIN_DUE(x) do { uint64_t x_ = (x); if (x_ < due) due = x_; } while (0)
	if (v->phase != V1_READY)
		MIN_DUE(v->deadline_ms);
	for (size_t i = 0; i < V1_MAX_EXCH; i++)
		if (v->ex[i].kind != V1_EX_FREE && v->ex[i].awaiting)
			MIN_DUE(v->ex[i].next_ms);
	MIN_DUE(dpd_due(sa));
	if (v->phase == V1_READY) {
		for (const struct child_sa *c = sa->children; c; c = c->next) {
			MIN_DUE(child_expiry_ms(c, now));
			MIN_DUE(superseded_due(sa, c, now));
		}
		MIN_DUE(rekey_due(newest_child(sa), now));
		if (sa->lifetime_sec)
			MIN_DUE(sa->created_ms + (uint64_t)sa->lifetime_sec * 1000u);
	}
#undef MIN_DUE
	return due;
}

static void tick(void *arg);

void v1_sa_schedule(struct ike_sa *sa)
{
	struct v1_sa *v = v1_of(sa);
	ike_sa_rearm(v->eng->loop, &v->timer, &v->timer_due, next_due(sa, loop_now_ms()), tick, sa);
}

static void setup_timed_out(struct ike_sa *sa)
{
	struct v1_sa *v = v1_of(sa);
	char ip[INET_ADDRSTRLEN];
	const char *what, *why;
	switch (v->phase) {
	case V1_P1_AM:
		what = "Aggressive Mode";
		why = "no third message: the client could not verify our hash (wrong group "
		      "password on the client?)";
		break;
	case V1_P1_MM_SA:
	case V1_P1_MM_KE:
		what = "Main Mode";
		why = "no fifth message (wrong pre-shared key on the client?)";
		break;
	case V1_XAUTH:
	case V1_XAUTH_STATUS:
		what = "XAUTH";
		why = "the user did not complete the login";
		break;
	default:
		what = "Mode Config";
		why = "the client did not ask for its address";
		break;
	}
	log_event(SEV_WARNING, 713903, "Group = %s, IP = %s, %s negotiation timed out after %llu s: "
		  "%s; SA deleted", sa->tunnel_group ? sa->tunnel_group : "Unknown",
		  ike_ip_str(ntohl(sa->remote.sin_addr.s_addr), ip, sizeof(ip)), what,
		  (unsigned long long)((loop_now_ms() - sa->created_ms) / 1000u), why);
	v->eng->st.p1_failed++;
	v1_sa_delete(sa, "Negotiation timeout");
}

/* Our Transaction request went unanswered: retransmit, or give up. */
static bool retransmit(struct ike_sa *sa, struct v1_exch *ex, uint64_t now)
{
	if (ex->tries >= V1_MAX_RETRANSMITS) {
		v1_log(sa, 1, "no answer to our %s request (msgid %08x) after %u tries",
		       ex->kind == V1_EX_XAUTH ? "XAUTH" : "Transaction", ex->msg_id, ex->tries);
		v1_sa_delete(sa, "Peer not responding");
		return true;
	}
	ex->tries++;
	ex->next_ms = now + V1_RETRANSMIT_MS * ex->tries;
	v1_log(sa, 2, "retransmitting our request (msgid %08x, try %u)", ex->msg_id, ex->tries);
	(void)v1_send_raw(sa, ex->last_tx.data, ex->last_tx.len);
	return false;
}

static void expire_children(struct ike_sa *sa, uint64_t now)
{
	struct child_sa *n = (struct child_sa *)newest_child(sa);
	if (n && now >= rekey_due(n, now)) {
		n->rekeyed = true;       /* once: a failed rekey leaves it to expire */
		if (v1_quick_rekey(sa, n) < 0)
			v1_log(sa, 1, "could not start the rekey of IPsec SA 0x%08x", n->spi_in);
	}
	for (struct child_sa *c = sa->children; c; c = c->next) {
		bool old = now >= superseded_due(sa, c, now);
		if (!old && child_expiry_ms(c, now) > now)
			continue;
		v1_log(sa, 1, "IPsec SA 0x%08x/0x%08x %s: deleting", c->spi_in, c->spi_out,
		       old ? "was replaced by a rekey" : "lifetime expired");
		v1_send_delete_esp(sa, c->spi_in);
		ike_child_unlink(sa, c);
		ike_child_free(c);
		return;               /* the list changed: the next tick does the rest */
	}
}

static void tick(void *arg)
{
	struct ike_sa *sa = ike_sa_find_serial((uint64_t)(uintptr_t)arg);
	if (!sa || sa->version != IKE_V1)
		return;
	struct v1_sa *v = v1_of(sa);
	v->timer = NULL;
	uint64_t now = loop_now_ms();
	if (v->phase != V1_READY && now >= v->deadline_ms) {
		setup_timed_out(sa);
		return;
	}
	for (size_t i = 0; i < V1_MAX_EXCH; i++) {
		struct v1_exch *ex = &v->ex[i];
		if (ex->kind != V1_EX_FREE && ex->awaiting && now >= ex->next_ms &&
		    retransmit(sa, ex, now))
			return;
	}
	if (v->phase == V1_READY && sa->lifetime_sec &&
	    now >= sa->created_ms + (uint64_t)sa->lifetime_sec * 1000u) {
		v1_log(sa, 1, "ISAKMP SA lifetime (%u s) expired", sa->lifetime_sec);
		v1_sa_delete(sa, "SA Expired");
		return;
	}
	if (v->phase == V1_READY)
		expire_children(sa, now);
	if (now >= dpd_due(sa)) {
		if (v->dpd_pending && ++v->dpd_misses >= V1_DPD_MAX_MISSES) {
			v1_log(sa, 1, "no answer to %u DPD R-U-THERE messages: peer is dead",
			       v->dpd_misses);
			v1_sa_destroy(sa, "Lost Service", true);
			return;
		}
		if (v1_send_dpd(sa) == 0) {
			v->dpd_pending = true;
			v->dpd_sent_ms = now;
		}
	}
	v1_sa_schedule(sa);
}
