/* The Security Association Database: life cycle of struct esp, SA install
 * and removal from ike/, lifetimes and events, counters for `show`, and the
 * receive path shared by the workers and the slow-path entry point.
 *
 * All functions of esp.h run on the control thread.  An SA is reachable by
 * the workers through two maps (inbound SPI, inner /32 destination) and the
 * prefix list; once unlinked it is marked dead and freed after a grace
 * period, so a worker that still holds it finishes its packet safely. */
#include "esp/esp_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/loop.h"
#include "base/mem.h"

#define TICK_MS 1000

static void sa_free(void *p)
{
	struct esp_sa *sa = p;
	for (unsigned i = 0; i < sa->nslots; i++) {
		struct esp_slot *s = atomic_load(&sa->slot[i]);
		if (!s)
			continue;
		crypto_cipher_free(s->enc);
		crypto_cipher_free(s->dec);
		crypto_mac_free(s->mac_out);
		crypto_mac_free(s->mac_in);
		free(s);
	}
	mem_free_secret(sa, sizeof(*sa) + sa->nslots * sizeof(sa->slot[0]));
}

static void on_timer(void *arg)
{
	struct esp *e = arg;
	e->timer = NULL;
	esp_tick(e, loop_now_ms());
	if (!e->timer)
		e->timer = loop_timer_add(e->loop, TICK_MS, on_timer, e);
}

struct esp *esp_new(const struct esp_config *cfg, struct loop *loop, esp_event_fn fn, void *arg)
{
	/* struct esp holds 64-byte aligned counters: calloc is not enough. */
	size_t sz = (sizeof(struct esp) + 63) & ~(size_t)63;
	struct esp *e = aligned_alloc(64, sz);
	if (!e)
		return NULL;
	memset(e, 0, sz);
	if (cfg)
		e->cfg = *cfg;
	const char *name = e->cfg.tun_name ? e->cfg.tun_name : ESP_DEFAULT_TUN_NAME;
	if (strlen(name) >= sizeof(e->tun_name)) {
		free(e);
		return NULL;
	}
	strcpy(e->tun_name, name);
	e->cfg.tun_name = e->tun_name;
	if (!e->cfg.tun_mtu)
		e->cfg.tun_mtu = ESP_DEFAULT_TUN_MTU;
	if (!e->cfg.udp_port)
		e->cfg.udp_port = ESP_DEFAULT_UDP_PORT;
	if (!e->cfg.batch || e->cfg.batch > 256)
		e->cfg.batch = 64;
	unsigned n = e->cfg.workers;
	if (!n) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		n = c > 0 ? (unsigned)c : 1;
	}
	e->nworkers = n > ESP_MAX_WORKERS ? ESP_MAX_WORKERS : n;
	e->loop = loop;
	e->ev_fn = fn;
	e->ev_arg = arg;
	pthread_mutex_init(&e->mu, NULL);
	e->retired_tail = &e->retired;
	e->raw_fd = -1;
	for (unsigned i = 0; i < ESP_MAX_WORKERS; i++)
		e->tun_fd[i] = -1;
	for (unsigned i = 0; i <= ESP_MAX_WORKERS; i++)
		e->udp_fd[i] = -1;
	if (esp_map_init(&e->by_spi, 1024) < 0 || esp_map_init(&e->by_dst, 1024) < 0) {
		esp_map_destroy(&e->by_spi);
		free(e);
		return NULL;
	}
	if (loop)
		e->timer = loop_timer_add(loop, TICK_MS, on_timer, e);
	return e;
}

int esp_start(struct esp *e)
{
	if (e->started)
		return -EALREADY;
	int rc = esp_tun_open(e);
	if (rc < 0)
		return rc;
	rc = esp_io_start(e);
	if (rc < 0) {
		esp_tun_close(e);
		return rc;
	}
	return 0;
}

void esp_free(struct esp *e)
{
	if (!e)
		return;
	if (e->timer && e->loop)
		loop_timer_cancel(e->loop, e->timer);
	esp_io_stop(e);          /* joins the workers: no reader is left */
	esp_tun_close(e);
	pthread_mutex_lock(&e->mu);
	while (e->head) {
		struct esp_sa *sa = e->head;
		e->head = sa->next;
		sa_free(sa);
	}
	e->tail = NULL;
	esp_reclaim(e, true);
	esp_map_destroy(&e->by_spi);
	esp_map_destroy(&e->by_dst);
	free(atomic_load(&e->prefixes));
	pthread_mutex_unlock(&e->mu);
	pthread_mutex_destroy(&e->mu);
	free(e);
}

const char *esp_get_tun_name(const struct esp *e)
{
	return e->tun_name;
}

unsigned esp_get_workers(const struct esp *e)
{
	return e->nworkers;
}

/* How long a rekeyed SA waits for proof that the peer installed it. */
#define ESP_OUT_PENDING_MS 5000

/* ---- outbound lookup ---------------------------------------------------- */

struct esp_sa *esp_sa_lookup_out(struct esp *e, uint32_t dst)
{
	struct esp_sa *sa = esp_map_get(&e->by_dst, dst);
	if (sa)
		return sa;
	struct esp_prefixes *p = atomic_load_explicit(&e->prefixes, memory_order_acquire);
	if (p)
		for (size_t i = 0; i < p->n; i++)
			if ((dst & p->p[i].mask) == p->p[i].addr)
				return p->p[i].sa;
	return NULL;
}

/* Rebuild the prefix list from the live SAs that are not /32: newest SA
 * per prefix, longest prefix first. */
static int prefixes_rebuild(struct esp *e)
{
	size_t n = 0;
	for (struct esp_sa *sa = e->head; sa; sa = sa->next)
		if (sa->inner_prefix != 32)
			n++;
	struct esp_prefixes *np = NULL;
	if (n) {
		np = calloc(1, sizeof(*np) + n * sizeof(np->p[0]));
		if (!np)
			return -ENOMEM;
		for (struct esp_sa *sa = e->tail; sa; sa = sa->prev) {
			if (sa->inner_prefix == 32)
				continue;
			uint32_t a = sa->inner_addr & sa->inner_mask;
			bool dup = false;
			for (size_t i = 0; i < np->n; i++)
				if (np->p[i].addr == a && np->p[i].mask == sa->inner_mask)
					dup = true;
			if (dup)
				continue;
			size_t i = np->n++;
			while (i > 0 && np->p[i - 1].mask < sa->inner_mask) {
				np->p[i] = np->p[i - 1];
				i--;
			}
			np->p[i] = (struct esp_prefix){ a, sa->inner_mask, sa };
		}
	}
	struct esp_prefixes *old = atomic_exchange(&e->prefixes, np);
	if (old)
		esp_retire(e, free, old);
	return 0;
}

/* ---- install / remove -------------------------------------------------- */

static bool encr_is_weak(const struct crypto_encr *x)
{
	return x->legacy || (!x->aead && x->key_bits < 128) || x->ikev2_id == 3 /* 3DES */ ||
	       x->ikev2_id == 11 /* NULL */;
}

static const char *addr_str(uint32_t host, char *buf)
{
	struct in_addr a = { htonl(host) };
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static int check_params(const struct esp_sa_params *p)
{
	const struct crypto_encr *x = p->encr;
	if (!x || p->spi_in < 256 || p->spi_out < 256 || p->inner_prefix > 32 ||
	    p->replay_window > ESP_MAX_REPLAY_WINDOW || p->peer.sin_family != AF_INET)
		return -EINVAL;
	if (x->key_len && (!p->encr_key_in || !p->encr_key_out))
		return -EINVAL;
	if (x->key_len > CRYPTO_MAX_KEY || x->iv_len > ESP_MAX_IV)
		return -EINVAL;
	if (x->aead) {
		if (p->integ || x->iv_len != 8 || x->icv_len > 32)
			return -EINVAL;
	} else {
		/* RFC 4303 §3.2: NULL encryption needs integrity; CBC without
		 * integrity is not offered by this implementation either. */
		if (!p->integ || !p->integ_key_in || !p->integ_key_out ||
		    p->integ->key_len > CRYPTO_MAX_KEY || p->integ->icv_len > 32)
			return -EINVAL;
	}
	if (p->udp_encap && !p->peer.sin_port)
		return -EINVAL;
	if (!p->allow_weak && (encr_is_weak(x) || (p->integ && p->integ->legacy) ||
			       (p->integ && p->integ->ikev2_id == 1 /* HMAC-MD5-96 */)))
		return -EPERM;
	return 0;
}

static struct esp_sa *sa_new(struct esp *e, const struct esp_sa_params *p)
{
	unsigned nslots = e->nworkers + 1;
	struct esp_sa *sa = calloc(1, sizeof(*sa) + nslots * sizeof(sa->slot[0]));
	if (!sa)
		return NULL;
	const struct crypto_encr *x = p->encr;
	sa->nslots = nslots;
	sa->spi_in = p->spi_in;
	sa->spi_out = p->spi_out;
	sa->owner = p->owner;
	sa->encr = x;
	sa->integ = x->aead ? NULL : p->integ;
	sa->esn = p->esn;
	sa->aead = x->aead;
	sa->null_encr = !x->aead && x->iv_len == 0;
	sa->iv_len = x->iv_len;
	sa->icv_len = x->aead ? x->icv_len : p->integ->icv_len;
	sa->align = x->block_len < 4 ? 4 : x->block_len;
	sa->inner_prefix = p->inner_prefix;
	sa->inner_mask = p->inner_prefix ? 0xffffffffu << (32 - p->inner_prefix) : 0;
	sa->inner_addr = ntohl(p->inner_addr.s_addr) & sa->inner_mask;
	sa->local = p->local;
	atomic_init(&sa->peer, peer_pack(&p->peer, p->udp_encap));
	atomic_init(&sa->seq_out, 0);
	atomic_init(&sa->dead, false);
	atomic_flag_clear(&sa->lock);
	replay_init(&sa->rp, p->replay_off ? 0
			     : p->replay_window ? p->replay_window : ESP_DEFAULT_REPLAY_WINDOW);
	sa->soft_sec = p->soft_sec;
	sa->hard_sec = p->hard_sec;
	sa->soft_kb = p->soft_kb;
	sa->hard_kb = p->hard_kb;
	if (x->key_len) {
		memcpy(sa->ekey_in, p->encr_key_in, x->key_len);
		memcpy(sa->ekey_out, p->encr_key_out, x->key_len);
	}
	if (sa->integ) {
		memcpy(sa->ikey_in, p->integ_key_in, sa->integ->key_len);
		memcpy(sa->ikey_out, p->integ_key_out, sa->integ->key_len);
	}
	for (unsigned i = 0; i < nslots; i++)
		atomic_init(&sa->slot[i], NULL);
	return sa;
}

/* Unlink an SA from every reader-visible structure (mu held); outbound
 * traffic for its address falls back to the newest remaining SA. */
static void sa_unlink(struct esp *e, struct esp_sa *sa)
{
	atomic_store(&sa->dead, true);
	(void)esp_map_del(e, &e->by_spi, sa->spi_in);
	if (sa->prev)
		sa->prev->next = sa->next;
	else
		e->head = sa->next;
	if (sa->next)
		sa->next->prev = sa->prev;
	else
		e->tail = sa->prev;
	sa->prev = sa->next = NULL;
	e->nsas--;
	if (sa->inner_prefix == 32) {
		/* out of the address's chain; the newest remaining SA of the
		 * address is then at the end of it */
		struct esp_sa *older = sa->dst_newer ? sa->dst_newer : sa->dst_older;
		if (sa->dst_older)
			sa->dst_older->dst_newer = sa->dst_newer;
		if (sa->dst_newer)
			sa->dst_newer->dst_older = sa->dst_older;
		sa->dst_older = sa->dst_newer = NULL;
		while (older && older->dst_newer)
			older = older->dst_newer;
		if (esp_map_get(&e->by_dst, sa->inner_addr) == sa) {
			if (older)
				older->out_pending = false;
			if (!older || esp_map_put(e, &e->by_dst, sa->inner_addr, older) < 0)
				(void)esp_map_del(e, &e->by_dst, sa->inner_addr);
		}
	} else if (prefixes_rebuild(e) < 0) {
		/* Out of memory: at least stop routing to the dead SA. */
		struct esp_prefixes *old = atomic_exchange(&e->prefixes, NULL);
		if (old)
			esp_retire(e, free, old);
	}
	esp_retire(e, sa_free, sa);
}

int esp_sa_install(struct esp *e, const struct esp_sa_params *p)
{
	int rc = p ? check_params(p) : -EINVAL;
	if (rc < 0)
		return rc;
	struct esp_sa *sa = sa_new(e, p);
	if (!sa)
		return -ENOMEM;
	/* Make a pair of contexts now: this proves the keys and the cipher's
	 * availability before any packet depends on them.  They are not kept
	 * (about 2 KiB per SA for AES-GCM): every thread makes its own on its
	 * first packet, and most SAs of a full gateway see few threads. */
	struct esp_slot probe;
	memset(&probe, 0, sizeof(probe));
	bool usable = esp_slot_out_ready(sa, &probe) && esp_slot_in_ready(sa, &probe);
	crypto_cipher_free(probe.enc);
	crypto_cipher_free(probe.dec);
	crypto_mac_free(probe.mac_out);
	crypto_mac_free(probe.mac_in);
	if (!usable) {
		sa_free(sa);
		return -ENOTSUP;
	}
	sa->created_ms = loop_now_ms();

	pthread_mutex_lock(&e->mu);
	if (esp_map_has(&e->by_spi, sa->spi_in)) {
		pthread_mutex_unlock(&e->mu);
		sa_free(sa);
		return -EEXIST;
	}
	/* Inbound first: the peer may use the new SA as soon as it has it. */
	rc = esp_map_put(e, &e->by_spi, sa->spi_in, sa);
	if (rc < 0) {
		pthread_mutex_unlock(&e->mu);
		sa_free(sa);
		return rc;
	}
	sa->prev = e->tail;
	if (e->tail)
		e->tail->next = sa;
	else
		e->head = sa;
	e->tail = sa;
	e->nsas++;
	/* Outbound: one atomic pointer store switches the address over.  On a
	 * rekey the switch waits (out_pending): the initiator installs its
	 * inbound SA only when our CREATE_CHILD_SA response reaches it, so
	 * packets sent on the new SA right away would be lost. */
	struct esp_sa *cur = sa->inner_prefix == 32 ? esp_map_get(&e->by_dst, sa->inner_addr) : NULL;
	if (cur) {                        /* join the address's chain, at its end */
		struct esp_sa *last = cur;
		while (last->dst_newer)
			last = last->dst_newer;
		last->dst_newer = sa;
		sa->dst_older = last;
	}
	if (cur && !atomic_load(&cur->dead))
		sa->out_pending = true;
	else if (sa->inner_prefix == 32)
		rc = esp_map_put(e, &e->by_dst, sa->inner_addr, sa);
	else
		rc = prefixes_rebuild(e);
	if (rc < 0) {
		sa_unlink(e, sa);
		pthread_mutex_unlock(&e->mu);
		return rc;
	}
	pthread_mutex_unlock(&e->mu);
	if (log_debug_on(LOG_IPSEC, 1)) {
		char in[INET_ADDRSTRLEN], peer[INET_ADDRSTRLEN];
		struct sockaddr_in pa;
		bool udp;
		peer_unpack(atomic_load(&sa->peer), &pa, &udp);
		inet_ntop(AF_INET, &pa.sin_addr, peer, sizeof(peer));
		log_debug(LOG_IPSEC, 1,
			  "IPSEC: New SA: SPI in 0x%08X out 0x%08X, %s%s%s, peer %s:%u%s, inner %s/%u, "
			  "replay window %u%s",
			  sa->spi_in, sa->spi_out, sa->encr->name, sa->integ ? " " : "",
			  sa->integ ? sa->integ->name : "", peer, ntohs(pa.sin_port),
			  udp ? " (NAT-T)" : "", addr_str(sa->inner_addr, in), sa->inner_prefix,
			  sa->rp.window, sa->esn ? ", ESN" : "");
	}
	return 0;
}

static void slot_sum(struct esp_sa *sa, struct esp_sa_stats *o, uint64_t *last_in)
{
	for (unsigned i = 0; i < sa->nslots; i++) {
		struct esp_slot *s = atomic_load_explicit(&sa->slot[i], memory_order_acquire);
		if (!s)
			continue;
		o->pkts_encaps += ctr_get(&s->pkts_out);
		o->bytes_out += ctr_get(&s->bytes_out);
		o->pkts_decaps += ctr_get(&s->pkts_in);
		o->bytes_in += ctr_get(&s->bytes_in);
		o->verify_fail += ctr_get(&s->verify_fail);
		o->replay += ctr_get(&s->replay);
		o->bad_pad += ctr_get(&s->bad_pad);
		o->bad_inner += ctr_get(&s->bad_inner);
		o->spoofed += ctr_get(&s->spoofed);
		o->tfc_rcvd += ctr_get(&s->tfc_rcvd);
		o->send_errors += ctr_get(&s->send_errors);
		o->recv_errors += ctr_get(&s->recv_errors);
		uint64_t l = ctr_get(&s->last_in_ms);
		if (l > *last_in)
			*last_in = l;
	}
}

static void sa_snapshot(struct esp_sa *sa, uint64_t now, struct esp_sa_stats *o)
{
	memset(o, 0, sizeof(*o));
	o->spi_in = sa->spi_in;
	o->spi_out = sa->spi_out;
	o->owner = sa->owner;
	o->inner_addr.s_addr = htonl(sa->inner_addr);
	o->local = sa->local;
	peer_unpack(atomic_load(&sa->peer), &o->peer, &o->udp_encap);
	o->esn = sa->esn;
	o->encr = sa->encr;
	o->integ = sa->integ;
	uint64_t last_in = 0;
	slot_sum(sa, o, &last_in);
	uint64_t seq = atomic_load(&sa->seq_out);
	o->seq_out = sa->esn || seq <= UINT32_MAX ? seq : UINT32_MAX;
	sa_lock(sa);
	o->replay_top = sa->rp.top;
	o->replay_window = sa->rp.window;
	replay_bitmap(&sa->rp, o->replay_bitmap, (sa->rp.window + 31) / 32);
	sa_unlock(sa);
	uint64_t age = now > sa->created_ms ? now - sa->created_ms : 0;
	o->age_ms = age;
	uint64_t base = last_in ? last_in : sa->created_ms;
	o->idle_ms = now > base ? now - base : 0;
	o->remaining_sec = UINT32_MAX;
	if (sa->hard_sec)
		o->remaining_sec = age / 1000 >= sa->hard_sec ? 0 : sa->hard_sec - (uint32_t)(age / 1000);
	o->remaining_kb = UINT64_MAX;
	if (sa->hard_kb) {
		uint64_t used = (o->bytes_in > o->bytes_out ? o->bytes_in : o->bytes_out) / 1024;
		o->remaining_kb = used >= sa->hard_kb ? 0 : sa->hard_kb - used;
	}
	o->soft_expired = sa->soft_fired;
}

int esp_sa_remove(struct esp *e, uint32_t spi_in, struct esp_sa_stats *final)
{
	pthread_mutex_lock(&e->mu);
	struct esp_sa *sa = esp_map_get(&e->by_spi, spi_in);
	if (!sa) {
		pthread_mutex_unlock(&e->mu);
		return -ENOENT;
	}
	if (final)
		sa_snapshot(sa, loop_now_ms(), final);
	sa_unlink(e, sa);
	esp_reclaim(e, false);
	pthread_mutex_unlock(&e->mu);
	log_debug(LOG_IPSEC, 1, "IPSEC: Deleted SA: SPI in 0x%08X", spi_in);
	return 0;
}

unsigned esp_sa_remove_owner(struct esp *e, uint64_t owner)
{
	unsigned n = 0;
	pthread_mutex_lock(&e->mu);
	for (struct esp_sa *sa = e->head, *next; sa; sa = next) {
		next = sa->next;
		if (sa->owner == owner) {
			sa_unlink(e, sa);
			n++;
		}
	}
	esp_reclaim(e, false);
	pthread_mutex_unlock(&e->mu);
	return n;
}

unsigned esp_sa_update_peer(struct esp *e, uint64_t owner, const struct sockaddr_in *peer,
			    bool udp_encap)
{
	unsigned n = 0;
	if (!peer || peer->sin_family != AF_INET || (udp_encap && !peer->sin_port))
		return 0;
	pthread_mutex_lock(&e->mu);
	for (struct esp_sa *sa = e->head; sa; sa = sa->next)
		if (sa->owner == owner) {
			atomic_store(&sa->peer, peer_pack(peer, udp_encap));
			n++;
		}
	pthread_mutex_unlock(&e->mu);
	return n;
}

uint32_t esp_spi_random(struct esp *e)
{
	for (;;) {
		uint32_t spi;
		if (crypto_random(&spi, sizeof(spi)) < 0)
			spi = (uint32_t)random() << 1 ^ (uint32_t)random();
		if (spi < 256)
			continue;
		pthread_mutex_lock(&e->mu);
		bool used = esp_map_has(&e->by_spi, spi);
		pthread_mutex_unlock(&e->mu);
		if (!used)
			return spi;
	}
}

int esp_sa_stats(struct esp *e, uint32_t spi_in, struct esp_sa_stats *out)
{
	pthread_mutex_lock(&e->mu);
	struct esp_sa *sa = esp_map_get(&e->by_spi, spi_in);
	if (sa)
		sa_snapshot(sa, loop_now_ms(), out);
	pthread_mutex_unlock(&e->mu);
	return sa ? 0 : -ENOENT;
}

void esp_sa_foreach(struct esp *e, void (*fn)(const struct esp_sa_stats *s, void *arg), void *arg)
{
	/* Snapshot first: fn may call back into esp (and must not hold mu). */
	pthread_mutex_lock(&e->mu);
	size_t n = e->nsas, i = 0;
	struct esp_sa_stats *all = n ? calloc(n, sizeof(*all)) : NULL;
	uint64_t now = loop_now_ms();
	if (all)
		for (struct esp_sa *sa = e->head; sa && i < n; sa = sa->next)
			sa_snapshot(sa, now, &all[i++]);
	pthread_mutex_unlock(&e->mu);
	for (size_t k = 0; k < i; k++)
		fn(&all[k], arg);
	free(all);
}

void esp_sa_foreach_changed(struct esp *e, void (*fn)(uint32_t spi_in, void *arg), void *arg)
{
	size_t n = 0, cap = 0;
	uint32_t *spis = NULL;
	pthread_mutex_lock(&e->mu);
	for (struct esp_sa *sa = e->head; sa; sa = sa->next) {
		uint64_t pkts = 0;
		for (unsigned i = 0; i < sa->nslots; i++) {
			struct esp_slot *s = atomic_load_explicit(&sa->slot[i], memory_order_acquire);
			if (s)
				pkts += ctr_get(&s->pkts_in) + ctr_get(&s->pkts_out);
		}
		if (pkts == sa->seen_pkts)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 256;
			uint32_t *x = realloc(spis, nc * sizeof(*x));
			if (!x)
				break;               /* the rest: at the next call */
			spis = x;
			cap = nc;
		}
		sa->seen_pkts = pkts;
		spis[n++] = sa->spi_in;
	}
	pthread_mutex_unlock(&e->mu);
	for (size_t k = 0; k < n; k++)
		fn(spis[k], arg);
	free(spis);
}

void esp_wstats_fold(struct esp_wstats *d, struct esp_wstats *w)
{
	ctr_add(&d->unknown_spi, ctr_get(&w->unknown_spi));
	ctr_add(&d->short_pkts, ctr_get(&w->short_pkts));
	ctr_add(&d->no_sa_dst, ctr_get(&w->no_sa_dst));
	ctr_add(&d->tun_ipv6, ctr_get(&w->tun_ipv6));
	ctr_add(&d->tun_bad, ctr_get(&w->tun_bad));
	ctr_add(&d->keepalives, ctr_get(&w->keepalives));
	ctr_add(&d->ike_misrouted, ctr_get(&w->ike_misrouted));
	ctr_add(&d->rx_pkts, ctr_get(&w->rx_pkts));
	ctr_add(&d->tx_pkts, ctr_get(&w->tx_pkts));
	ctr_add(&d->tun_rx, ctr_get(&w->tun_rx));
	ctr_add(&d->tun_tx, ctr_get(&w->tun_tx));
	ctr_add(&d->tun_gso, ctr_get(&w->tun_gso));
	ctr_add(&d->tun_gro, ctr_get(&w->tun_gro));
	ctr_add(&d->send_errors, ctr_get(&w->send_errors));
	ctr_add(&d->tun_errors, ctr_get(&w->tun_errors));
	ctr_add(&d->nomem, ctr_get(&w->nomem));
}

static void wstats_add(struct esp_stats *o, struct esp_wstats *w)
{
	o->unknown_spi += ctr_get(&w->unknown_spi);
	o->short_pkts += ctr_get(&w->short_pkts);
	o->no_sa_dst += ctr_get(&w->no_sa_dst);
	o->tun_ipv6 += ctr_get(&w->tun_ipv6);
	o->tun_bad += ctr_get(&w->tun_bad);
	o->keepalives += ctr_get(&w->keepalives);
	o->ike_misrouted += ctr_get(&w->ike_misrouted);
	o->rx_pkts += ctr_get(&w->rx_pkts);
	o->tx_pkts += ctr_get(&w->tx_pkts);
	o->tun_rx += ctr_get(&w->tun_rx);
	o->tun_tx += ctr_get(&w->tun_tx);
	o->tun_gso += ctr_get(&w->tun_gso);
	o->tun_gro += ctr_get(&w->tun_gro);
	o->send_errors += ctr_get(&w->send_errors);
	o->tun_errors += ctr_get(&w->tun_errors);
	o->nomem += ctr_get(&w->nomem);
}

void esp_stats(struct esp *e, struct esp_stats *out)
{
	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&e->mu);
	out->sas = e->nsas;
	pthread_mutex_unlock(&e->mu);
	wstats_add(out, &e->ctl_stats);
	for (unsigned i = 0; e->started && i < e->nworkers; i++)
		wstats_add(out, esp_worker_stats(e, i));
}

/* ---- lifetimes --------------------------------------------------------- */

struct pending_ev {
	struct esp_event ev;
	struct esp_sa_stats final;
};

void esp_tick(struct esp *e, uint64_t now_ms)
{
	struct pending_ev *evs = NULL;
	size_t nev = 0, cap = 0;
	pthread_mutex_lock(&e->mu);
	for (struct esp_sa *sa = e->head, *next; sa; sa = next) {
		next = sa->next;
		uint64_t age_s = now_ms > sa->created_ms ? (now_ms - sa->created_ms) / 1000 : 0;
		struct esp_sa_stats st;
		uint64_t last_in = 0;
		memset(&st, 0, sizeof(st));
		if (sa->out_pending) {
			slot_sum(sa, &st, &last_in);
			if (st.pkts_decaps > 0 || now_ms - sa->created_ms >= ESP_OUT_PENDING_MS) {
				/* On failure (no memory) the older SA keeps the
				 * traffic and the next tick tries again. */
				if (esp_map_put(e, &e->by_dst, sa->inner_addr, sa) == 0)
					sa->out_pending = false;
			}
			memset(&st, 0, sizeof(st));
			last_in = 0;
		}
		if (sa->soft_kb || sa->hard_kb)
			slot_sum(sa, &st, &last_in);
		uint64_t kb = (st.bytes_in > st.bytes_out ? st.bytes_in : st.bytes_out) / 1024;
		bool hard_t = sa->hard_sec && age_s >= sa->hard_sec;
		bool hard_b = sa->hard_kb && kb >= sa->hard_kb;
		bool soft_t = sa->soft_sec && age_s >= sa->soft_sec;
		bool soft_b = sa->soft_kb && kb >= sa->soft_kb;
		/* Sequence numbers about to run out count as a soft expiry too. */
		uint64_t seq = atomic_load(&sa->seq_out);
		bool soft_s = !sa->esn && seq > 0xffffffffull - (1u << 22);
		if (!hard_t && !hard_b && (sa->soft_fired || !(soft_t || soft_b || soft_s)))
			continue;
		if (nev == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct pending_ev *ne = realloc(evs, nc * sizeof(*ne));
			if (!ne)
				break;             /* try again next tick */
			evs = ne;
			cap = nc;
		}
		struct pending_ev *pe = &evs[nev++];
		memset(pe, 0, sizeof(*pe));
		pe->ev.owner = sa->owner;
		pe->ev.spi_in = sa->spi_in;
		pe->ev.spi_out = sa->spi_out;
		if (hard_t || hard_b) {
			pe->ev.kind = ESP_EV_HARD_EXPIRE;
			pe->ev.by_bytes = !hard_t;
			sa_snapshot(sa, now_ms, &pe->final);
			sa_unlink(e, sa);
		} else {
			pe->ev.kind = ESP_EV_SOFT_EXPIRE;
			pe->ev.by_bytes = !soft_t;
			sa->soft_fired = true;
		}
	}
	esp_reclaim(e, false);
	pthread_mutex_unlock(&e->mu);
	for (size_t i = 0; i < nev; i++) {
		struct pending_ev *pe = &evs[i];
		if (pe->ev.kind == ESP_EV_HARD_EXPIRE)
			pe->ev.final = &pe->final;
		log_debug(LOG_IPSEC, 1, "IPSEC: SA SPI 0x%08X %s lifetime (%s) expired",
			  pe->ev.spi_in, pe->ev.kind == ESP_EV_HARD_EXPIRE ? "hard" : "soft",
			  pe->ev.by_bytes ? "kilobytes" : "seconds");
		if (e->ev_fn)
			e->ev_fn(&pe->ev, e->ev_arg);
	}
	free(evs);
}

/* ---- receive path ------------------------------------------------------ */

/* ASA-style messages for dropped ESP (message IDs as the ASA uses them for
 * invalid SPI, failed anti-replay, failed authentication and a decapsulated
 * packet that does not match the SA; the exact texts are UNCONFIRMED). */
static void log_drop(struct log_limit *lim, enum esp_verdict v, uint32_t spi, uint32_t seql,
		     const struct sockaddr_in *from)
{
	unsigned supp = 0;
	if (v == ESP_V_TFC || !log_limit_pass(lim, 10, &supp))
		return;
	char src[INET_ADDRSTRLEN] = "?";
	if (from)
		inet_ntop(AF_INET, &from->sin_addr, src, sizeof(src));
	char more[48] = "";
	if (supp)
		snprintf(more, sizeof(more), " (%u similar messages suppressed)", supp);
	switch (v) {
	case ESP_V_REPLAY:
		log_event(SEV_WARNING, 402119,
			  "IPSEC: Received an ESP packet (SPI= 0x%08X, sequence number= 0x%X) from %s "
			  "that failed anti-replay checking.%s", spi, seql, src, more);
		break;
	case ESP_V_VERIFY:
		log_event(SEV_WARNING, 402120,
			  "IPSEC: Received an ESP packet (SPI= 0x%08X, sequence number= 0x%X) from %s "
			  "that failed authentication.%s", spi, seql, src, more);
		break;
	case ESP_V_SPOOF:
	case ESP_V_INNER:
	case ESP_V_IPV6:
		log_event(SEV_WARNING, 402116,
			  "IPSEC: Received an ESP packet (SPI= 0x%08X, sequence number= 0x%X) from %s. "
			  "The decapsulated inner packet doesn't match the negotiated policy in the SA "
			  "(%s).%s", spi, seql, src, esp_verdict_name(v), more);
		break;
	case ESP_V_OK:
		log_event(SEV_WARNING, 402114,
			  "IPSEC: Received an ESP packet (SPI= 0x%08X, sequence number= 0x%X) from %s "
			  "with an invalid SPI.%s", spi, seql, src, more);
		break;
	default:
		log_debug(LOG_IPSEC, 1,
			  "IPSEC: Dropped ESP packet (SPI= 0x%08X, sequence number= 0x%X) from %s: %s%s",
			  spi, seql, src, esp_verdict_name(v), more);
		break;
	}
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int esp_rx_one(struct esp *e, unsigned slot, struct esp_wstats *ws, struct log_limit *lim,
	       uint8_t *pkt, size_t len, const struct sockaddr_in *from, uint64_t now_ms,
	       uint8_t **inner_out, size_t *inner_len_out)
{
	if (len < ESP_HDR_LEN) {
		if (len == 1 && pkt[0] == 0xff)
			ctr_add(&ws->keepalives, 1);   /* RFC 3948 §2.3 NAT keepalive */
		else
			ctr_add(&ws->short_pkts, 1);
		return -EBADMSG;
	}
	uint32_t spi = be32(pkt), seql = be32(pkt + 4);
	if (spi == 0) {                             /* non-ESP marker: IKE */
		ctr_add(&ws->ike_misrouted, 1);
		return -EBADMSG;
	}
	struct esp_sa *sa = esp_sa_lookup_in(e, spi);
	if (!sa) {
		ctr_add(&ws->unknown_spi, 1);
		log_drop(lim, ESP_V_OK, spi, seql, from);
		return -ENOENT;
	}
	struct esp_slot *s = esp_slot_get(sa, slot);
	if (!s) {
		ctr_add(&ws->nomem, 1);
		return -ENOMEM;
	}
	uint8_t *inner = NULL, nh = 0;
	size_t ilen = 0;
	uint64_t seq = 0;
	enum esp_verdict v = esp_decap(sa, s, pkt, len, &inner, &ilen, &nh, &seq);
	if (v == ESP_V_OK)
		v = esp_inner_check(sa, nh, inner, &ilen);
	esp_slot_count_in(s, v, ilen, now_ms);
	if (v != ESP_V_OK) {
		if (v == ESP_V_SHORT)
			ctr_add(&ws->short_pkts, 1);
		log_drop(lim, v, spi, seql, from);
		return v == ESP_V_TFC ? -EAGAIN : -EBADMSG;
	}
	*inner_out = inner;
	*inner_len_out = ilen;
	return 0;
}

int esp_input_udp(struct esp *e, const uint8_t *pkt, size_t len, const struct sockaddr_in *from)
{
	static _Thread_local uint8_t buf[65536];
	if (len > sizeof(buf)) {
		ctr_add(&e->ctl_stats.short_pkts, 1);
		return -EMSGSIZE;
	}
	memcpy(buf, pkt, len);
	ctr_add(&e->ctl_stats.rx_pkts, 1);
	uint8_t *inner;
	size_t ilen;
	int rc = esp_rx_one(e, e->nworkers, &e->ctl_stats, &e->ctl_limit, buf, len, from,
			    loop_now_ms(), &inner, &ilen);
	if (rc < 0 || e->tun_fd[0] < 0)
		return rc;
	if (esp_tun_write(e, e->tun_fd[0], inner, ilen) < 0) {
		ctr_add(&e->ctl_stats.tun_errors, 1);
		return -EIO;
	}
	ctr_add(&e->ctl_stats.tun_tx, 1);
	return 0;
}
