/* Address pools (ip local pool) and their leases.
 *
 * Each pool keeps a bitmap of its addresses (bit i = first + i leased) and
 * a next-fit hint: a lease scans forward from the address after the last
 * one handed out, a 64-bit word at a time, and wraps once.  Next-fit rather
 * than lowest-free keeps a released address unused for as long as the pool
 * allows, so that the owner who reconnects finds it still free (sticky
 * addresses).  The bits past the end of the pool in its last word are set
 * once at creation, so the scan never has to test the pool size.
 *
 * An owner ("tunnelgroup/user") remembers the last address it had, in a
 * hash table with an LRU list bounded by the total pool size.
 *
 * Pools may overlap in a configuration: a lease marks the address in every
 * pool that contains it, so it can never be handed out a second time
 * through another pool.  Control plane only (not thread-safe). */
#include "aaa/pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

#define POOL_MAX_SIZE ((uint64_t)1 << 24)   /* a /8; larger is a config error */
#define STICKY_MIN 1024
#define STICKY_MAX ((size_t)1 << 22)

struct pool {
	char *name;
	uint32_t first, last, mask;
	size_t size;
	uint64_t *used;          /* bit i: first + i leased (tail bits always set) */
	size_t n_words;
	size_t next;             /* next-fit: index where the next scan starts */
	size_t in_use, peak;
};

struct sticky {
	char *owner;
	uint32_t addr;
	struct sticky *hnext;            /* hash chain */
	struct sticky *newer, *older;    /* LRU list */
};

struct pool_set {
	struct pool *pools;
	size_t n_pools;
	size_t total_leased;
	struct sticky **buckets;
	size_t n_buckets;                /* power of two */
	struct sticky *newest, *oldest;
	size_t n_sticky, max_sticky;
};

static void pool_ip_str(uint32_t a, char out[16])
{
	snprintf(out, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
}

static bool pool_contains(const struct pool *p, uint32_t a)
{
	return a >= p->first && a <= p->last;
}

static bool pool_bit(const struct pool *p, size_t i)
{
	return (p->used[i / 64] >> (i % 64)) & 1;
}

static struct pool *pool_by_name(const struct pool_set *s, const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < s->n_pools; i++)
		if (strcmp(s->pools[i].name, name) == 0)
			return &s->pools[i];
	return NULL;
}

/* ---- sticky owners ------------------------------------------------------- */

static size_t pool_owner_hash(const char *owner)
{
	uint64_t h = 14695981039346656037ULL;   /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)owner; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (size_t)h;
}

static struct sticky **pool_sticky_slot(const struct pool_set *s, const char *owner)
{
	struct sticky **pp = &s->buckets[pool_owner_hash(owner) & (s->n_buckets - 1)];
	while (*pp && strcmp((*pp)->owner, owner) != 0)
		pp = &(*pp)->hnext;
	return pp;
}

static void pool_lru_unlink(struct pool_set *s, struct sticky *e)
{
	if (e->newer)
		e->newer->older = e->older;
	else
		s->newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else
		s->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void pool_lru_push(struct pool_set *s, struct sticky *e)
{
	e->newer = NULL;
	e->older = s->newest;
	if (s->newest)
		s->newest->newer = e;
	s->newest = e;
	if (!s->oldest)
		s->oldest = e;
}

static void pool_sticky_drop(struct pool_set *s, struct sticky *e)
{
	struct sticky **pp = pool_sticky_slot(s, e->owner);
	if (*pp == e)
		*pp = e->hnext;
	pool_lru_unlink(s, e);
	free(e->owner);
	free(e);
	s->n_sticky--;
}

static void pool_sticky_grow(struct pool_set *s)
{
	size_t nb = s->n_buckets * 2;
	struct sticky **b = calloc(nb, sizeof(*b));
	if (!b)
		return;          /* longer chains, still correct */
	for (size_t i = 0; i < s->n_buckets; i++) {
		struct sticky *e = s->buckets[i];
		while (e) {
			struct sticky *n = e->hnext;
			size_t h = pool_owner_hash(e->owner) & (nb - 1);
			e->hnext = b[h];
			b[h] = e;
			e = n;
		}
	}
	free(s->buckets);
	s->buckets = b;
	s->n_buckets = nb;
}

/* Remember that `owner` now has `addr` (most recently used). */
static void pool_sticky_remember(struct pool_set *s, const char *owner, uint32_t addr)
{
	if (!owner || !*owner)
		return;
	struct sticky **pp = pool_sticky_slot(s, owner);
	struct sticky *e = *pp;
	if (e) {
		e->addr = addr;
		pool_lru_unlink(s, e);
		pool_lru_push(s, e);
		return;
	}
	e = calloc(1, sizeof(*e));
	if (!e || !(e->owner = strdup(owner))) {
		free(e);
		return;          /* stickiness is best effort */
	}
	e->addr = addr;
	e->hnext = *pp;
	*pp = e;
	pool_lru_push(s, e);
	s->n_sticky++;
	while (s->n_sticky > s->max_sticky && s->oldest)
		pool_sticky_drop(s, s->oldest);
	if (s->n_sticky > s->n_buckets * 2)
		pool_sticky_grow(s);
}

static const struct sticky *pool_sticky_find(const struct pool_set *s, const char *owner)
{
	if (!owner || !*owner)
		return NULL;
	return *pool_sticky_slot(s, owner);
}

/* ---- building ------------------------------------------------------------ */

static int pool_init(struct pool *p, const struct conf_pool *cp)
{
	uint64_t size = (uint64_t)cp->last - cp->first + 1;
	p->name = strdup(cp->name);
	p->first = cp->first;
	p->last = cp->last;
	p->mask = cp->mask;
	p->size = (size_t)size;
	p->n_words = (p->size + 63) / 64;
	p->used = calloc(p->n_words, sizeof(uint64_t));
	if (!p->name || !p->used)
		return -1;
	if (p->size % 64)
		p->used[p->n_words - 1] = ~0ULL << (p->size % 64);
	return 0;
}

static bool pool_conf_usable(const struct pool_set *s, const struct conf_pool *cp)
{
	if (!cp->name || cp->first > cp->last) {
		log_msg(SEV_ERR, "ip local pool %s (line %d): empty or reversed range, pool not used",
			cp->name ? cp->name : "?", cp->line);
		return false;
	}
	if ((uint64_t)cp->last - cp->first + 1 > POOL_MAX_SIZE) {
		log_msg(SEV_ERR, "ip local pool %s (line %d): more than %llu addresses, pool not used",
			cp->name, cp->line, (unsigned long long)POOL_MAX_SIZE);
		return false;
	}
	if (pool_by_name(s, cp->name)) {
		log_msg(SEV_ERR, "ip local pool %s (line %d): defined twice, the first one is used",
			cp->name, cp->line);
		return false;
	}
	return true;
}

struct pool_set *pool_set_new(const struct conf *c)
{
	struct pool_set *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	size_t n = c ? c->n_pools : 0;
	size_t total = 0;
	s->n_buckets = 64;
	s->buckets = calloc(s->n_buckets, sizeof(*s->buckets));
	s->pools = calloc(n ? n : 1, sizeof(*s->pools));
	if (!s->buckets || !s->pools)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		const struct conf_pool *cp = &c->pools[i];
		if (!pool_conf_usable(s, cp))
			continue;
		struct pool *p = &s->pools[s->n_pools++];
		if (pool_init(p, cp) < 0)
			goto fail;
		total += p->size;
	}
	s->max_sticky = total < STICKY_MIN ? STICKY_MIN : total > STICKY_MAX ? STICKY_MAX : total;
	return s;
fail:
	pool_set_free(s);
	return NULL;
}

void pool_set_free(struct pool_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_pools; i++) {
		free(s->pools[i].name);
		free(s->pools[i].used);
	}
	free(s->pools);
	while (s->oldest)
		pool_sticky_drop(s, s->oldest);
	free(s->buckets);
	free(s);
}

/* ---- leasing ------------------------------------------------------------- */

bool pool_is_leased(const struct pool_set *s, uint32_t addr)
{
	if (!s)
		return false;
	for (size_t i = 0; i < s->n_pools; i++) {
		const struct pool *p = &s->pools[i];
		if (pool_contains(p, addr))
			return pool_bit(p, addr - p->first);
	}
	return false;
}

/* Mark addr leased in every pool that contains it. */
static void pool_take(struct pool_set *s, uint32_t addr)
{
	for (size_t i = 0; i < s->n_pools; i++) {
		struct pool *p = &s->pools[i];
		if (!pool_contains(p, addr))
			continue;
		size_t idx = addr - p->first;
		p->used[idx / 64] |= 1ULL << (idx % 64);
		if (++p->in_use > p->peak)
			p->peak = p->in_use;
	}
	s->total_leased++;
}

/* Next-fit scan for a free index; false when the pool is full. */
static bool pool_find_free(const struct pool *p, size_t *idx)
{
	if (p->in_use >= p->size)
		return false;
	size_t w = p->next / 64;
	uint64_t word = ~p->used[w] & (~0ULL << (p->next % 64));
	for (size_t i = 0; i <= p->n_words; i++) {
		if (word) {
			*idx = w * 64 + (size_t)__builtin_ctzll(word);
			return true;
		}
		w = (w + 1) % p->n_words;
		word = ~p->used[w];
	}
	return false;
}

/* The owner's previous address, if it is free and in one of `names`. */
static struct pool *pool_sticky_pick(struct pool_set *s, const char *const *names,
				     size_t n_names, const char *owner, uint32_t *addr)
{
	const struct sticky *e = pool_sticky_find(s, owner);
	if (!e || pool_is_leased(s, e->addr))
		return NULL;
	for (size_t i = 0; i < n_names; i++) {
		struct pool *p = pool_by_name(s, names[i]);
		if (p && pool_contains(p, e->addr)) {
			*addr = e->addr;
			return p;
		}
	}
	return NULL;
}

static struct pool *pool_fresh_pick(struct pool_set *s, const char *const *names,
				    size_t n_names, uint32_t *addr)
{
	for (size_t i = 0; i < n_names; i++) {
		struct pool *p = pool_by_name(s, names[i]);
		size_t idx;
		if (!p) {
			log_debug(LOG_AAA, 1, "IPAA: local pool %s is not configured",
				  names[i] ? names[i] : "(null)");
			continue;
		}
		if (!pool_find_free(p, &idx)) {
			log_debug(LOG_AAA, 5, "IPAA: local pool %s is exhausted", p->name);
			continue;
		}
		p->next = idx + 1 == p->size ? 0 : idx + 1;
		*addr = p->first + (uint32_t)idx;
		return p;
	}
	return NULL;
}

int pool_lease(struct pool_set *s, const char *const *names, size_t n_names,
	       const char *owner, uint32_t *addr, const char **pool_name)
{
	if (!s || !addr || (!names && n_names))
		return -1;
	uint32_t a = 0;
	struct pool *p = pool_sticky_pick(s, names, n_names, owner, &a);
	if (!p)
		p = pool_fresh_pick(s, names, n_names, &a);
	if (!p) {
		log_msg(SEV_WARNING, "IPAA: no free address in the %zu local pool(s) for %s",
			n_names, owner ? owner : "session");
		return -1;
	}
	pool_take(s, a);
	pool_sticky_remember(s, owner, a);
	char ip[16];
	pool_ip_str(a, ip);
	log_event(SEV_INFO, 737026, "IPAA: Client assigned %s from local pool %s", ip, p->name);
	*addr = a;
	if (pool_name)
		*pool_name = p->name;
	return 0;
}

int pool_release(struct pool_set *s, uint32_t addr)
{
	char ip[16];
	pool_ip_str(addr, ip);
	if (!pool_is_leased(s, addr)) {
		log_debug(LOG_AAA, 1, "IPAA: release of %s, which is not leased: ignored", ip);
		return -1;
	}
	const char *name = NULL;
	for (size_t i = 0; i < s->n_pools; i++) {
		struct pool *p = &s->pools[i];
		if (!pool_contains(p, addr))
			continue;
		size_t idx = addr - p->first;
		p->used[idx / 64] &= ~(1ULL << (idx % 64));
		p->in_use--;
		if (!name)
			name = p->name;
	}
	s->total_leased--;
	log_event(SEV_INFO, 737016, "IPAA: Freeing local pool %s address %s", name, ip);
	return 0;
}

/* ---- reload -------------------------------------------------------------- */

static const struct pool *pool_first_containing(const struct pool_set *s, uint32_t addr)
{
	for (size_t i = 0; i < s->n_pools; i++)
		if (pool_contains(&s->pools[i], addr))
			return &s->pools[i];
	return NULL;
}

/* Every address leased in `old` that a pool of `s` contains stays leased;
 * returns how many leased addresses no new pool covers. */
static size_t pool_carry_leases(struct pool_set *s, const struct pool_set *old)
{
	size_t dropped = 0;
	for (size_t i = 0; i < old->n_pools; i++) {
		const struct pool *op = &old->pools[i];
		for (size_t w = 0; w < op->n_words; w++) {
			uint64_t word = op->used[w];
			while (word) {
				size_t idx = w * 64 + (size_t)__builtin_ctzll(word);
				word &= word - 1;
				if (idx >= op->size)
					break;
				uint32_t a = op->first + (uint32_t)idx;
				if (pool_is_leased(s, a))
					continue;
				if (pool_first_containing(s, a))
					pool_take(s, a);
				else if (pool_first_containing(old, a) == op)
					dropped++;   /* count overlapping old pools once */
			}
		}
	}
	return dropped;
}

static void pool_carry_peaks(struct pool_set *s, const struct pool_set *old)
{
	for (size_t i = 0; i < s->n_pools; i++) {
		struct pool *p = &s->pools[i];
		const struct pool *op = pool_by_name(old, p->name);
		if (op && op->peak > p->peak)
			p->peak = op->peak;
	}
}

static void pool_carry_sticky(struct pool_set *s, const struct pool_set *old)
{
	/* oldest first, so the LRU order survives */
	for (const struct sticky *e = old->oldest; e; e = e->newer)
		if (pool_first_containing(s, e->addr))
			pool_sticky_remember(s, e->owner, e->addr);
}

struct pool_set *pool_set_reload(struct pool_set *old, const struct conf *c)
{
	struct pool_set *s = pool_set_new(c);
	if (!s || !old)
		return s;
	size_t dropped = pool_carry_leases(s, old);
	pool_carry_peaks(s, old);
	pool_carry_sticky(s, old);
	if (dropped)
		log_msg(SEV_WARNING,
			"IPAA: %zu leased address(es) are in no pool of the new configuration; "
			"their sessions keep them, but they are no longer tracked", dropped);
	return s;
}

/* ---- stats --------------------------------------------------------------- */

size_t pool_set_stats(const struct pool_set *s, struct pool_stats *out, size_t max)
{
	size_t n = 0;
	for (; s && n < s->n_pools && n < max; n++) {
		const struct pool *p = &s->pools[n];
		out[n] = (struct pool_stats){ .name = p->name, .first = p->first, .last = p->last,
					      .mask = p->mask, .size = p->size,
					      .in_use = p->in_use, .peak = p->peak };
	}
	return n;
}

size_t pool_set_total_leased(const struct pool_set *s)
{
	return s ? s->total_leased : 0;
}
