/* The SAD's hash maps: lock-free readers (the workers), one writer (the
 * control thread, under esp->mu), memory freed after a grace period.
 *
 * Readers follow acquire loads of bucket heads and next pointers; they never
 * block and never write.  The writer links a node fully before publishing it
 * with a release store, unlinks with a store, and hands unlinked nodes to
 * esp_retire(), which frees them once every worker has passed a quiescent
 * state (the top of its loop) after the unlink, or sleeps offline.  Growing
 * builds a new table with new nodes, publishes it, and retires the old table
 * with its nodes, so a reader walking the old one stays safe.
 *
 * Grace periods (quiescent-state based reclamation):
 *   writer: unlink; E = ++epoch; retire(obj, E)
 *   worker: at every loop top  qs = epoch (or OFFLINE before sleeping)
 *   reclaim: free obj when every online worker has qs >= E. */
#include "esp/esp_int.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>

static uint32_t hash32(uint32_t k)
{
	k ^= k >> 16;
	k *= 0x7feb352du;
	k ^= k >> 15;
	k *= 0x846ca68bu;
	k ^= k >> 16;
	return k;
}

/* ---- grace periods ----------------------------------------------------- */

void esp_retire(struct esp *e, esp_free_fn fn, void *p)
{
	struct esp_retired *r = malloc(sizeof(*r));
	uint64_t ep = atomic_fetch_add(&e->epoch, 1) + 1;
	if (!r) {
		/* Cannot defer: wait for the grace period here (rare, tiny). */
		for (;;) {
			bool clear = true;
			for (unsigned i = 0; i < (e->started ? e->nworkers : 0); i++) {
				uint64_t q = esp_worker_qs(e, i);
				if (q != ESP_QS_OFFLINE && q < ep)
					clear = false;
			}
			if (clear)
				break;
			sched_yield();
		}
		fn(p);
		return;
	}
	r->epoch = ep;
	r->fn = fn;
	r->p = p;
	r->next = NULL;
	*e->retired_tail = r;
	e->retired_tail = &r->next;
}

void esp_reclaim(struct esp *e, bool all)
{
	uint64_t min = UINT64_MAX;
	if (!all && e->started)
		for (unsigned i = 0; i < e->nworkers; i++) {
			uint64_t q = esp_worker_qs(e, i);
			if (q != ESP_QS_OFFLINE && q < min)
				min = q;
		}
	while (e->retired && e->retired->epoch <= min) {
		struct esp_retired *r = e->retired;
		e->retired = r->next;
		r->fn(r->p);
		free(r);
	}
	if (!e->retired)
		e->retired_tail = &e->retired;
}

/* ---- maps -------------------------------------------------------------- */

static struct esp_map_tab *tab_new(uint32_t buckets)
{
	struct esp_map_tab *t = calloc(1, sizeof(*t) + buckets * sizeof(t->b[0]));
	if (t)
		t->mask = buckets - 1;
	return t;
}

static void tab_free_with_nodes(void *p)
{
	struct esp_map_tab *t = p;
	for (uint32_t i = 0; i <= t->mask; i++) {
		struct esp_map_node *n = atomic_load_explicit(&t->b[i], memory_order_relaxed);
		while (n) {
			struct esp_map_node *next = atomic_load_explicit(&n->next, memory_order_relaxed);
			free(n);
			n = next;
		}
	}
	free(t);
}

int esp_map_init(struct esp_map *m, uint32_t buckets)
{
	uint32_t n = 16;
	while (n < buckets)
		n <<= 1;
	struct esp_map_tab *t = tab_new(n);
	if (!t)
		return -ENOMEM;
	atomic_init(&m->tab, t);
	m->count = 0;
	return 0;
}

void esp_map_destroy(struct esp_map *m)
{
	struct esp_map_tab *t = atomic_load(&m->tab);
	if (t)
		tab_free_with_nodes(t);
	atomic_store(&m->tab, NULL);
	m->count = 0;
}

static struct esp_map_node *find(struct esp_map_tab *t, uint32_t key)
{
	struct esp_map_node *n =
		atomic_load_explicit(&t->b[hash32(key) & t->mask], memory_order_acquire);
	while (n && n->key != key)
		n = atomic_load_explicit(&n->next, memory_order_acquire);
	return n;
}

void *esp_map_get(struct esp_map *m, uint32_t key)
{
	struct esp_map_tab *t = atomic_load_explicit(&m->tab, memory_order_acquire);
	struct esp_map_node *n = find(t, key);
	return n ? atomic_load_explicit(&n->val, memory_order_acquire) : NULL;
}

bool esp_map_has(struct esp_map *m, uint32_t key)
{
	return find(atomic_load(&m->tab), key) != NULL;
}

static int link_new(struct esp_map_tab *t, uint32_t key, void *val)
{
	struct esp_map_node *n = malloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	_Atomic(struct esp_map_node *) *b = &t->b[hash32(key) & t->mask];
	n->key = key;
	atomic_init(&n->val, val);
	atomic_init(&n->next, atomic_load_explicit(b, memory_order_relaxed));
	atomic_store_explicit(b, n, memory_order_release);
	return 0;
}

/* Double the table: new nodes in a new table, published at once. */
static void grow(struct esp *e, struct esp_map *m)
{
	struct esp_map_tab *old = atomic_load(&m->tab);
	struct esp_map_tab *t = tab_new((old->mask + 1) * 2);
	if (!t)
		return;                           /* stay at the old size */
	for (uint32_t i = 0; i <= old->mask; i++)
		for (struct esp_map_node *n = atomic_load(&old->b[i]); n; n = atomic_load(&n->next))
			if (link_new(t, n->key, atomic_load(&n->val)) < 0) {
				tab_free_with_nodes(t);
				return;
			}
	atomic_store(&m->tab, t);
	esp_retire(e, tab_free_with_nodes, old);
}

int esp_map_put(struct esp *e, struct esp_map *m, uint32_t key, void *val)
{
	struct esp_map_tab *t = atomic_load(&m->tab);
	struct esp_map_node *n = find(t, key);
	if (n) {
		atomic_store_explicit(&n->val, val, memory_order_release);
		return 0;
	}
	int rc = link_new(t, key, val);
	if (rc < 0)
		return rc;
	if (++m->count > 2 * ((size_t)t->mask + 1))
		grow(e, m);
	return 0;
}

int esp_map_del(struct esp *e, struct esp_map *m, uint32_t key)
{
	struct esp_map_tab *t = atomic_load(&m->tab);
	_Atomic(struct esp_map_node *) *pp = &t->b[hash32(key) & t->mask];
	for (struct esp_map_node *n = atomic_load(pp); n; n = atomic_load(pp)) {
		if (n->key == key) {
			atomic_store(pp, atomic_load(&n->next));
			m->count--;
			esp_retire(e, free, n);
			return 0;
		}
		pp = &n->next;
	}
	return -ENOENT;
}
