/* Address pools (ip local pool) and their leases.
 *
 * A lease belongs to one session and is tied to its owner key (tunnel-group
 * + user) so that a user who reconnects gets the address they had before
 * when it is still free.  An address is never handed out twice; releasing
 * an address that is not leased is a no-op (logged).  The pool set is built
 * from a configuration and, on reload, keeps the leases of pools that still
 * exist (by name). */
#ifndef RAVPN_AAA_POOL_H
#define RAVPN_AAA_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/model.h"

struct pool_set;

struct pool_set *pool_set_new(const struct conf *c);
/* Carry leases over from old (pools with the same name and range overlap).
 * ravpn keeps every leased address of `old` that any new pool contains (so
 * an address still held by a session can never be handed out again, even
 * when its pool was renamed), the owners' sticky addresses and the peaks.
 * `old` is not modified: the caller frees it after swapping the sets in.
 * Returns NULL only when memory runs out (old is then still valid). */
struct pool_set *pool_set_reload(struct pool_set *old, const struct conf *c);
void pool_set_free(struct pool_set *s);

/* Lease an address from the first pool of `names` that has one free.
 * owner: "tunnelgroup/user".  Returns 0 and fills *addr (host order) and
 * *pool_name (borrowed), or -1 when every pool is exhausted or unknown.
 * The owner's previous address comes first when it is free and in one of
 * `names`; otherwise a pool hands out addresses next-fit (ascending from
 * the last one handed out, wrapping), which keeps released addresses free
 * for their owners as long as possible.  owner may be NULL (not sticky).
 * Logs %RAVPN-6-737026 (assigned) here and 737016 (freed) in release. */
int pool_lease(struct pool_set *s, const char *const *names, size_t n_names,
	       const char *owner, uint32_t *addr, const char **pool_name)
	__attribute__((warn_unused_result));
/* Release; returns 0 if the address was leased, -1 otherwise. */
int pool_release(struct pool_set *s, uint32_t addr);
bool pool_is_leased(const struct pool_set *s, uint32_t addr);
/* Counts for `show ip local pool`. */
struct pool_stats {
	const char *name;
	uint32_t first, last, mask;
	size_t size, in_use, peak;
};
/* Fills up to max entries in configuration order; returns how many. */
size_t pool_set_stats(const struct pool_set *s, struct pool_stats *out, size_t max);
/* Distinct addresses leased over all pools. */
size_t pool_set_total_leased(const struct pool_set *s);

#endif
