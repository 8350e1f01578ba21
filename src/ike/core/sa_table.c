#include "ike/core/sa.h"

#include <stdlib.h>

/* The table is small next to the cost of a handshake; a hash on the local
 * SPI keeps per-packet lookups O(1) at 100k SAs.  Chaining through a
 * separate bucket array keeps struct ike_sa free of table details. */
#define BUCKETS 65536u

struct node {
	struct ike_sa *sa;
	struct node *next;
};

static struct node *by_spi[BUCKETS];
static struct ike_sa *all_head, *all_tail;
static uint64_t serial_counter;

static unsigned bucket(uint64_t spi)
{
	spi ^= spi >> 29;
	spi *= 0xbf58476d1ce4e5b9ull;
	spi ^= spi >> 32;
	return (unsigned)(spi & (BUCKETS - 1));
}

static uint64_t local_spi(const struct ike_sa *sa)
{
	return sa->initiator ? sa->spi_i : sa->spi_r;
}

uint64_t ike_sa_next_serial(void)
{
	return ++serial_counter;
}

void ike_sa_table_add(struct ike_sa *sa)
{
	struct node *n = malloc(sizeof(*n));
	if (!n)
		abort(); /* allocation of a few bytes: out of memory is fatal here */
	unsigned b = bucket(local_spi(sa));
	n->sa = sa;
	n->next = by_spi[b];
	by_spi[b] = n;
	sa->next_all = NULL;
	if (all_tail)
		all_tail->next_all = sa;
	else
		all_head = sa;
	all_tail = sa;
}

void ike_sa_table_remove(struct ike_sa *sa)
{
	unsigned b = bucket(local_spi(sa));
	for (struct node **pp = &by_spi[b]; *pp; pp = &(*pp)->next) {
		if ((*pp)->sa == sa) {
			struct node *n = *pp;
			*pp = n->next;
			free(n);
			break;
		}
	}
	struct ike_sa *prev = NULL;
	for (struct ike_sa *x = all_head; x; prev = x, x = x->next_all) {
		if (x != sa)
			continue;
		if (prev)
			prev->next_all = x->next_all;
		else
			all_head = x->next_all;
		if (all_tail == x)
			all_tail = prev;
		break;
	}
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
	/* Only half-open SAs need this; they are few (cookies bound them). */
	for (struct ike_sa *x = all_head; x; x = x->next_all)
		if (!x->initiator && x->spi_i == spi_i &&
		    x->remote.sin_addr.s_addr == peer->sin_addr.s_addr &&
		    x->remote.sin_port == peer->sin_port)
			return x;
	return NULL;
}

struct ike_sa *ike_sa_find_serial(uint64_t serial)
{
	for (struct ike_sa *x = all_head; x; x = x->next_all)
		if (x->serial == serial)
			return x;
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
