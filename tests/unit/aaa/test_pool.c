/* Address pools: tables of operations and their expected results. */
#include "../t.h"

#include <arpa/inet.h>

#include "aaa/pool.h"
#include "base/log.h"

static uint32_t ip(const char *s)
{
	struct in_addr a;
	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "bad test address %s\n", s);
		abort();
	}
	return ntohl(a.s_addr);
}

struct tpool {
	const char *name, *first, *last;
};

/* A configuration with just these pools (plain data, no parser). */
static struct conf *conf_with_pools(const struct tpool *tp, size_t n)
{
	struct conf *c = calloc(1, sizeof(*c));
	c->pools = calloc(n ? n : 1, sizeof(*c->pools));
	c->n_pools = n;
	for (size_t i = 0; i < n; i++) {
		c->pools[i].name = (char *)tp[i].name;
		c->pools[i].first = ip(tp[i].first);
		c->pools[i].last = ip(tp[i].last);
		c->pools[i].mask = 0xffffff00;
		c->pools[i].line = (int)i + 1;
	}
	return c;
}

static void conf_drop(struct conf *c)
{
	free(c->pools);
	free(c);
}

enum op { LEASE, RELEASE, LEASED, FREE, END };

/* LEASE: names is a comma-separated pool list, expect = address or NULL
 * for "none"; RELEASE: expect = address, rc = expected return;
 * LEASED/FREE: expect = address to check. */
struct step {
	enum op op;
	const char *names;
	const char *owner;
	const char *expect;
	const char *expect_pool;
	int rc;
};

static size_t split_names(const char *list, char *store, size_t cap, const char *out[8])
{
	size_t n = 0;
	snprintf(store, cap, "%s", list ? list : "");
	for (char *tok = strtok(store, ","); tok && n < 8; tok = strtok(NULL, ","))
		out[n++] = tok;
	return n;
}

static void run_steps(struct pool_set *s, const struct step *st)
{
	for (size_t i = 0; st[i].op != END; i++) {
		const struct step *x = &st[i];
		char store[128];
		const char *names[8];
		size_t n = split_names(x->names, store, sizeof(store), names);
		uint32_t a = 0;
		const char *pn = NULL;
		int rc;
		switch (x->op) {
		case LEASE:
			rc = pool_lease(s, names, n, x->owner, &a, &pn);
			if (!x->expect) {
				if (rc != -1)
					fprintf(stderr, "  step %zu: expected exhaustion\n", i);
				T_EQ_INT(rc, -1);
				break;
			}
			if (rc != 0 || a != ip(x->expect))
				fprintf(stderr, "  step %zu: lease for %s\n", i, x->owner ? x->owner : "-");
			T_EQ_INT(rc, 0);
			T_EQ_INT(a, ip(x->expect));
			if (x->expect_pool)
				T_EQ_STR(pn, x->expect_pool);
			break;
		case RELEASE:
			rc = pool_release(s, ip(x->expect));
			if (rc != x->rc)
				fprintf(stderr, "  step %zu: release %s\n", i, x->expect);
			T_EQ_INT(rc, x->rc);
			T_EQ_INT(pool_release(s, ip(x->expect)), -1);   /* a second time: never leased */
			break;
		case LEASED:
		case FREE:
			if (pool_is_leased(s, ip(x->expect)) != (x->op == LEASED))
				fprintf(stderr, "  step %zu: %s should be %s\n", i, x->expect,
					x->op == LEASED ? "leased" : "free");
			T_EQ_INT(pool_is_leased(s, ip(x->expect)), x->op == LEASED);
			break;
		case END:
			break;
		}
	}
}

static void run_table(const struct tpool *tp, size_t n, const struct step *st)
{
	struct conf *c = conf_with_pools(tp, n);
	struct pool_set *s = pool_set_new(c);
	T_CHECK(s != NULL);
	if (s)
		run_steps(s, st);
	pool_set_free(s);
	conf_drop(c);
}

#define NPOOLS(a) (sizeof(a) / sizeof((a)[0]))

static void pool_leases_in_sequence_until_exhausted(void)
{
	static const struct tpool tp[] = { { "A", "10.0.0.1", "10.0.0.3" } };
	static const struct step st[] = {
		{ LEASE, "A", NULL, "10.0.0.1", "A", 0 },
		{ LEASE, "A", NULL, "10.0.0.2", "A", 0 },
		{ LEASE, "A", NULL, "10.0.0.3", "A", 0 },
		{ LEASE, "A", NULL, NULL, NULL, 0 },
		{ LEASED, NULL, NULL, "10.0.0.2", NULL, 0 },
		{ FREE, NULL, NULL, "10.0.0.4", NULL, 0 },
		{ END, NULL, NULL, NULL, NULL, 0 },
	};
	run_table(tp, NPOOLS(tp), st);
}

static void pool_release_makes_address_available_again(void)
{
	static const struct tpool tp[] = { { "A", "10.0.0.1", "10.0.0.3" } };
	static const struct step st[] = {
		{ LEASE, "A", NULL, "10.0.0.1", NULL, 0 },
		{ LEASE, "A", NULL, "10.0.0.2", NULL, 0 },
		{ LEASE, "A", NULL, "10.0.0.3", NULL, 0 },
		{ RELEASE, NULL, NULL, "10.0.0.2", NULL, 0 },
		{ FREE, NULL, NULL, "10.0.0.2", NULL, 0 },
		{ LEASE, "A", NULL, "10.0.0.2", NULL, 0 },
		{ LEASE, "A", NULL, NULL, NULL, 0 },
		{ RELEASE, NULL, NULL, "10.0.0.9", NULL, -1 },   /* outside every pool */
		{ END, NULL, NULL, NULL, NULL, 0 },
	};
	run_table(tp, NPOOLS(tp), st);
}

static void pool_next_fit_keeps_released_address_for_its_owner(void)
{
	static const struct tpool tp[] = { { "A", "10.0.0.1", "10.0.0.4" } };
	static const struct step st[] = {
		{ LEASE, "A", "tg/alice", "10.0.0.1", NULL, 0 },
		{ LEASE, "A", "tg/bob", "10.0.0.2", NULL, 0 },
		{ RELEASE, NULL, NULL, "10.0.0.1", NULL, 0 },
		{ LEASE, "A", "tg/carol", "10.0.0.3", NULL, 0 },   /* not alice's .1 */
		{ LEASE, "A", "tg/alice", "10.0.0.1", NULL, 0 },   /* sticky */
		{ LEASE, "A", "tg/dave", "10.0.0.4", NULL, 0 },
		{ LEASE, "A", "tg/erin", NULL, NULL, 0 },
		{ END, NULL, NULL, NULL, NULL, 0 },
	};
	run_table(tp, NPOOLS(tp), st);
}

static void pool_sticky_address_taken_by_another_gives_a_new_one(void)
{
	static const struct tpool tp[] = { { "A", "10.0.0.1", "10.0.0.2" } };
	static const struct step st[] = {
		{ LEASE, "A", "tg/alice", "10.0.0.1", NULL, 0 },
		{ RELEASE, NULL, NULL, "10.0.0.1", NULL, 0 },
		{ LEASE, "A", "tg/bob", "10.0.0.2", NULL, 0 },
		{ LEASE, "A", "tg/carol", "10.0.0.1", NULL, 0 },   /* wraps onto alice's */
		{ RELEASE, NULL, NULL, "10.0.0.2", NULL, 0 },
		{ LEASE, "A", "tg/alice", "10.0.0.2", NULL, 0 },
		{ RELEASE, NULL, NULL, "10.0.0.1", NULL, 0 },
		{ LEASE, "A", "tg/carol", "10.0.0.1", NULL, 0 },   /* carol's own again */
		{ END, NULL, NULL, NULL, NULL, 0 },
	};
	run_table(tp, NPOOLS(tp), st);
}

static void pool_sticky_address_outside_requested_pools_is_not_used(void)
{
	static const struct tpool tp[] = { { "A", "10.0.0.1", "10.0.0.2" },
					   { "B", "10.0.1.1", "10.0.1.2" } };
	static const struct step st[] = {
		{ LEASE, "A", "tg/alice", "10.0.0.1", "A", 0 },
		{ RELEASE, NULL, NULL, "10.0.0.1", NULL, 0 },
		{ LEASE, "B", "tg/alice", "10.0.1.1", "B", 0 },   /* group now uses pool B */
		{ END, NULL, NULL, NULL, NULL, 0 },
	};
	run_table(tp, NPOOLS(tp), st);
}

static void pool_multiple_pools_are_used_in_order(void)
{
	static const struct tpool tp[] = { { "A", "10.0.0.1", "10.0.0.2" },
					   { "B", "10.0.1.1", "10.0.1.2" } };
	static const struct step st[] = {
		{ LEASE, "nosuch,B,A", NULL, "10.0.1.1", "B", 0 },
		{ LEASE, "A,B", NULL, "10.0.0.1", "A", 0 },
		{ LEASE, "A,B", NULL, "10.0.0.2", "A", 0 },
		{ LEASE, "A,B", NULL, "10.0.1.2", "B", 0 },
		{ LEASE, "A,B", NULL, NULL, NULL, 0 },
		{ LEASE, "nosuch", NULL, NULL, NULL, 0 },
		{ LEASE, "", NULL, NULL, NULL, 0 },
		{ RELEASE, NULL, NULL, "10.0.0.1", NULL, 0 },
		{ LEASE, "B,A", NULL, "10.0.0.1", "A", 0 },
		{ END, NULL, NULL, NULL, NULL, 0 },
	};
	run_table(tp, NPOOLS(tp), st);
}

static void pool_overlapping_pools_never_share_an_address(void)
{
	static const struct tpool tp[] = { { "A", "10.0.0.1", "10.0.0.4" },
					   { "B", "10.0.0.3", "10.0.0.6" } };
	static const struct step st[] = {
		{ LEASE, "B", NULL, "10.0.0.3", "B", 0 },
		{ LEASE, "A", NULL, "10.0.0.1", "A", 0 },
		{ LEASE, "A", NULL, "10.0.0.2", "A", 0 },
		{ LEASE, "A", NULL, "10.0.0.4", "A", 0 },   /* .3 went through B */
		{ LEASE, "A", NULL, NULL, NULL, 0 },
		{ LEASE, "B", NULL, "10.0.0.5", "B", 0 },
		{ LEASE, "B", NULL, "10.0.0.6", "B", 0 },
		{ LEASE, "B", NULL, NULL, NULL, 0 },
		{ RELEASE, NULL, NULL, "10.0.0.4", NULL, 0 },
		{ LEASE, "B", NULL, "10.0.0.4", "B", 0 },
		{ LEASE, "A", NULL, NULL, NULL, 0 },
		{ END, NULL, NULL, NULL, NULL, 0 },
	};
	run_table(tp, NPOOLS(tp), st);
}

static void pool_bad_ranges_are_skipped(void)
{
	static const struct tpool tp[] = { { "R", "10.0.0.9", "10.0.0.1" },
					   { "A", "10.0.0.1", "10.0.0.1" },
					   { "A", "10.0.5.1", "10.0.5.9" },
					   { "H", "10.0.0.0", "10.255.255.255" } };
	static const struct step st[] = {
		{ LEASE, "R", NULL, NULL, NULL, 0 },
		{ LEASE, "H", NULL, "10.0.0.0", "H", 0 },        /* exactly 2^24: allowed */
		{ LEASE, "A", NULL, "10.0.0.1", "A", 0 },
		{ LEASE, "A", NULL, NULL, NULL, 0 },             /* second "A" ignored */
		{ END, NULL, NULL, NULL, NULL, 0 },
	};
	run_table(tp, NPOOLS(tp), st);
	static const struct tpool huge[] = { { "X", "10.0.0.0", "11.0.0.0" } };
	static const struct step st2[] = {
		{ LEASE, "X", NULL, NULL, NULL, 0 },
		{ END, NULL, NULL, NULL, NULL, 0 },
	};
	run_table(huge, NPOOLS(huge), st2);
}

static void pool_stats_count_in_use_and_peak(void)
{
	static const struct tpool tp[] = { { "A", "10.0.0.1", "10.0.0.10" },
					   { "B", "10.0.1.1", "10.0.1.2" } };
	struct conf *c = conf_with_pools(tp, NPOOLS(tp));
	struct pool_set *s = pool_set_new(c);
	const char *a[] = { "A" };
	uint32_t addr[3];
	for (int i = 0; i < 3; i++)
		T_EQ_INT(pool_lease(s, a, 1, NULL, &addr[i], NULL), 0);
	T_EQ_INT(pool_release(s, addr[1]), 0);
	struct pool_stats st[4];
	T_EQ_INT(pool_set_stats(s, st, 4), 2);
	T_EQ_STR(st[0].name, "A");
	T_EQ_INT(st[0].first, ip("10.0.0.1"));
	T_EQ_INT(st[0].last, ip("10.0.0.10"));
	T_EQ_INT(st[0].size, 10);
	T_EQ_INT(st[0].in_use, 2);
	T_EQ_INT(st[0].peak, 3);
	T_EQ_INT(st[1].size, 2);
	T_EQ_INT(st[1].in_use, 0);
	T_EQ_INT(pool_set_stats(s, st, 1), 1);
	T_EQ_INT(pool_set_total_leased(s), 2);
	pool_set_free(s);
	conf_drop(c);
}

/* A /16: every address exactly once, then exhaustion, then the one freed. */
static void pool_large_pool_hands_out_each_address_once(void)
{
	static const struct tpool tp[] = { { "big", "10.1.0.0", "10.1.255.255" } };
	struct conf *c = conf_with_pools(tp, 1);
	struct pool_set *s = pool_set_new(c);
	const char *n[] = { "big" };
	uint8_t *seen = calloc(65536, 1);
	int dup = 0, outside = 0, fails = 0;
	for (int i = 0; i < 65536; i++) {
		uint32_t a;
		if (pool_lease(s, n, 1, NULL, &a, NULL) != 0) {
			fails++;
			continue;
		}
		if ((a >> 16) != 0x0a01)
			outside++;
		else if (seen[a & 0xffff]++)
			dup++;
	}
	T_EQ_INT(fails, 0);
	T_EQ_INT(dup, 0);
	T_EQ_INT(outside, 0);
	T_EQ_INT(pool_set_total_leased(s), 65536);
	uint32_t a;
	T_EQ_INT(pool_lease(s, n, 1, NULL, &a, NULL), -1);
	T_EQ_INT(pool_release(s, ip("10.1.128.77")), 0);
	T_EQ_INT(pool_lease(s, n, 1, NULL, &a, NULL), 0);
	T_EQ_INT(a, ip("10.1.128.77"));
	free(seen);
	pool_set_free(s);
	conf_drop(c);
}

/* Pool sizes around a bitmap word boundary. */
static void pool_size_not_multiple_of_64_exhausts_exactly(void)
{
	static const struct { const char *last; int size; } cases[] = {
		{ "10.0.0.1", 1 }, { "10.0.0.63", 63 }, { "10.0.0.64", 64 }, { "10.0.0.65", 65 },
		{ "10.0.0.128", 128 }, { "10.0.0.130", 130 },
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct tpool tp[] = { { "A", "10.0.0.1", cases[k].last } };
		struct conf *c = conf_with_pools(tp, 1);
		struct pool_set *s = pool_set_new(c);
		const char *n[] = { "A" };
		uint32_t a = 0, prev = 0;
		int got = 0;
		while (pool_lease(s, n, 1, NULL, &a, NULL) == 0 && got <= cases[k].size) {
			T_CHECK(a > prev);
			prev = a;
			got++;
		}
		T_EQ_INT(got, cases[k].size);
		T_EQ_INT(prev, ip(cases[k].last));
		pool_set_free(s);
		conf_drop(c);
	}
}

static void pool_reload_keeps_leases_and_owners(void)
{
	static const struct tpool before[] = { { "A", "10.0.0.1", "10.0.0.8" },
					       { "gone", "10.9.0.1", "10.9.0.4" } };
	static const struct tpool after[] = { { "B", "10.0.2.1", "10.0.2.4" },
					      { "A", "10.0.0.2", "10.0.0.8" } };
	struct conf *c1 = conf_with_pools(before, 2), *c2 = conf_with_pools(after, 2);
	struct pool_set *s1 = pool_set_new(c1);
	static const struct step st1[] = {
		{ LEASE, "A", "tg/alice", "10.0.0.1", NULL, 0 },
		{ LEASE, "A", "tg/bob", "10.0.0.2", NULL, 0 },
		{ LEASE, "A", "tg/carol", "10.0.0.3", NULL, 0 },
		{ LEASE, "gone", "tg/dave", "10.9.0.1", NULL, 0 },
		{ RELEASE, NULL, NULL, "10.0.0.3", NULL, 0 },   /* carol remembers .3 */
		{ END, NULL, NULL, NULL, NULL, 0 },
	};
	run_steps(s1, st1);
	struct pool_set *s2 = pool_set_reload(s1, c2);
	T_CHECK(s2 != NULL);
	/* old set untouched */
	T_CHECK(pool_is_leased(s1, ip("10.0.0.1")));
	pool_set_free(s1);
	static const struct step st2[] = {
		{ FREE, NULL, NULL, "10.0.0.1", NULL, 0 },     /* range shrank: untracked */
		{ LEASED, NULL, NULL, "10.0.0.2", NULL, 0 },   /* bob keeps his */
		{ FREE, NULL, NULL, "10.9.0.1", NULL, 0 },     /* pool removed */
		{ LEASE, "A", "tg/carol", "10.0.0.3", "A", 0 },   /* sticky survived */
		{ LEASE, "A", "tg/erin", "10.0.0.4", "A", 0 },
		{ RELEASE, NULL, NULL, "10.0.0.2", NULL, 0 },
		{ LEASE, "B", NULL, "10.0.2.1", "B", 0 },
		{ END, NULL, NULL, NULL, NULL, 0 },
	};
	run_steps(s2, st2);
	struct pool_stats st[2];
	T_EQ_INT(pool_set_stats(s2, st, 2), 2);
	T_EQ_STR(st[1].name, "A");
	T_EQ_INT(st[1].peak, 3);    /* carried from before the reload */
	pool_set_free(s2);
	conf_drop(c1);
	conf_drop(c2);
}

static void pool_null_and_empty_sets_are_safe(void)
{
	struct pool_set *s = pool_set_new(NULL);
	uint32_t a;
	const char *n[] = { "A" };
	T_CHECK(s != NULL);
	T_EQ_INT(pool_lease(s, n, 1, "x", &a, NULL), -1);
	T_EQ_INT(pool_release(s, 1), -1);
	T_EQ_INT(pool_set_total_leased(s), 0);
	T_EQ_INT(pool_set_total_leased(NULL), 0);
	T_CHECK(!pool_is_leased(NULL, 1));
	pool_set_free(s);
	pool_set_free(NULL);
}

int main(void)
{
	log_set_stderr(false);
	T_RUN(pool_leases_in_sequence_until_exhausted);
	T_RUN(pool_release_makes_address_available_again);
	T_RUN(pool_next_fit_keeps_released_address_for_its_owner);
	T_RUN(pool_sticky_address_taken_by_another_gives_a_new_one);
	T_RUN(pool_sticky_address_outside_requested_pools_is_not_used);
	T_RUN(pool_multiple_pools_are_used_in_order);
	T_RUN(pool_overlapping_pools_never_share_an_address);
	T_RUN(pool_bad_ranges_are_skipped);
	T_RUN(pool_stats_count_in_use_and_peak);
	T_RUN(pool_large_pool_hands_out_each_address_once);
	T_RUN(pool_size_not_multiple_of_64_exhausts_exactly);
	T_RUN(pool_reload_keeps_leases_and_owners);
	T_RUN(pool_null_and_empty_sets_are_safe);
	T_DONE();
}
