#include "ike/core/sa.h"

#include <stdlib.h>
#include <string.h>

/* The table is small next to the cost of a handshake; hashes keep every
 * per-packet lookup O(1) at 100k SAs:
 *   - by local SPI (every packet after IKE_SA_INIT),
 *   - by initiator SPI (IKE_SA_INIT retransmissions, where our SPI is not
 *     known to the peer yet),
 *   - by serial (timers and jobs resume an SA by its handle),
 *   - inbound CHILD SPI -> owning IKE SA serial (SPI allocation, data-plane
 *     activity reports).
 * Chaining through separate node arrays keeps struct ike_sa free of table
 * details.  Iteration is in creation order (what `show` prints). */
#define BUCKETS 65536u

struct node {
	struct ike_sa *sa;
	struct node *next;
};

struct spi_node {
	uint32_t spi;
	uint64_t serial;
	struct spi_node *next;
};

static struct node *by_spi[BUCKETS];
static struct node *by_spi_i[BUCKETS];
static struct node *by_serial[BUCKETS];
static struct node *by_user[BUCKETS];
static struct spi_node *by_child_spi[BUCKETS];
static struct ike_sa *all_head, *all_tail;
static uint64_t serial_counter;

static unsigned bucket(uint64_t v)
{
	v ^= v >> 29;
	v *= 0xbf58476d1ce4e5b9ull;
	v ^= v >> 32;
	return (unsigned)(v & (BUCKETS - 1));
}

static uint64_t local_spi(const struct ike_sa *sa)
{
	return sa->initiator ? sa->spi_i : sa->spi_r;
}

uint64_t ike_sa_next_serial(void)
{
	return ++serial_counter;
}

static void hash_add(struct node **table, uint64_t key, struct ike_sa *sa)
{
	struct node *n = malloc(sizeof(*n));
	if (!n)
		abort(); /* allocation of a few bytes: out of memory is fatal here */
	unsigned b = bucket(key);
	n->sa = sa;
	n->next = table[b];
	table[b] = n;
}

static void hash_del(struct node **table, uint64_t key, const struct ike_sa *sa)
{
	for (struct node **pp = &table[bucket(key)]; *pp; pp = &(*pp)->next) {
		if ((*pp)->sa == sa) {
			struct node *n = *pp;
			*pp = n->next;
			free(n);
			return;
		}
	}
}

void ike_sa_table_add(struct ike_sa *sa)
{
	hash_add(by_spi, local_spi(sa), sa);
	hash_add(by_spi_i, sa->spi_i, sa);
	hash_add(by_serial, sa->serial, sa);
	sa->next_all = NULL;
	sa->prev_all = all_tail;
	if (all_tail)
		all_tail->next_all = sa;
	else
		all_head = sa;
	all_tail = sa;
}

static uint64_t user_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;            /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ull;
	return h ? h : 1;
}

void ike_sa_index_user(struct ike_sa *sa)
{
	if (sa->user_key)
		hash_del(by_user, sa->user_key, sa);
	sa->user_key = sa->username ? user_hash(sa->username) : 0;
	if (sa->user_key)
		hash_add(by_user, sa->user_key, sa);
}

size_t ike_sa_by_user(const char *username, struct ike_sa **out, size_t max)
{
	size_t n = 0;
	if (!username)
		return 0;
	uint64_t key = user_hash(username);
	for (struct node *x = by_user[bucket(key)]; x && n < max; x = x->next)
		if (x->sa->user_key == key && x->sa->username &&
		    strcmp(x->sa->username, username) == 0)
			out[n++] = x->sa;
	return n;
}

void ike_sa_table_remove(struct ike_sa *sa)
{
	if (sa->user_key)
		hash_del(by_user, sa->user_key, sa);
	sa->user_key = 0;
	hash_del(by_spi, local_spi(sa), sa);
	hash_del(by_spi_i, sa->spi_i, sa);
	hash_del(by_serial, sa->serial, sa);
	if (sa->prev_all)
		sa->prev_all->next_all = sa->next_all;
	else if (all_head == sa)
		all_head = sa->next_all;
	else
		return;                      /* not in the list */
	if (sa->next_all)
		sa->next_all->prev_all = sa->prev_all;
	else
		all_tail = sa->prev_all;
	sa->prev_all = NULL;
	sa->next_all = NULL;
}

struct ike_sa *ike_sa_find_local(uint64_t spi)
{
	for (struct node *n = by_spi[bucket(spi)]; n; n = n->next)
		if (local_spi(n->sa) == spi)
			return n->sa;
	return NULL;
}

struct ike_sa *ike_sa_find_init(uint64_t spi_i, const struct sockaddr_in *peer)
{
	for (struct node *n = by_spi_i[bucket(spi_i)]; n; n = n->next) {
		const struct ike_sa *x = n->sa;
		if (!x->initiator && x->spi_i == spi_i &&
		    x->remote.sin_addr.s_addr == peer->sin_addr.s_addr &&
		    x->remote.sin_port == peer->sin_port)
			return n->sa;
	}
	return NULL;
}

struct ike_sa *ike_sa_find_serial(uint64_t serial)
{
	for (struct node *n = by_serial[bucket(serial)]; n; n = n->next)
		if (n->sa->serial == serial)
			return n->sa;
	return NULL;
}

struct ike_sa *ike_sa_first(void)
{
	return all_head;
}

struct ike_sa *ike_sa_next(const struct ike_sa *sa)
{
	return sa ? sa->next_all : NULL;
}

size_t ike_sa_count(enum ike_version v)
{
	size_t n = 0;
	for (struct ike_sa *x = all_head; x; x = x->next_all)
		if (x->version == v && x->state != IKE_STATE_DEAD)
			n++;
	return n;
}

int ike_child_spi_add(uint32_t spi_in, uint64_t ike_serial)
{
	unsigned b = bucket(spi_in);
	for (struct spi_node *n = by_child_spi[b]; n; n = n->next)
		if (n->spi == spi_in)
			return -1;
	struct spi_node *n = malloc(sizeof(*n));
	if (!n)
		return -1;
	n->spi = spi_in;
	n->serial = ike_serial;
	n->next = by_child_spi[b];
	by_child_spi[b] = n;
	return 0;
}

void ike_child_spi_remove(uint32_t spi_in)
{
	for (struct spi_node **pp = &by_child_spi[bucket(spi_in)]; *pp; pp = &(*pp)->next) {
		if ((*pp)->spi == spi_in) {
			struct spi_node *n = *pp;
			*pp = n->next;
			free(n);
			return;
		}
	}
}

uint64_t ike_child_spi_owner(uint32_t spi_in)
{
	for (struct spi_node *n = by_child_spi[bucket(spi_in)]; n; n = n->next)
		if (n->spi == spi_in)
			return n->serial;
	return 0;
}
