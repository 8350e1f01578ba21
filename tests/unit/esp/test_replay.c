/* Anti-replay window: tables of expected results (the WireGuard way), the
 * RFC 4303 A2.2 ESN inference across 2^32, and a randomised comparison with
 * a naive reference model for every window size class. */
#include "../t.h"

#include "esp/replay.h"

enum op { CHECK, COMMIT };

struct step {
	enum op op;
	uint64_t seq;
	enum replay_result want;
};

static void run_table(uint32_t window, const struct step *s, size_t n)
{
	struct replay r;
	replay_init(&r, window);
	for (size_t i = 0; i < n; i++) {
		enum replay_result got = s[i].op == CHECK ? replay_check(&r, s[i].seq)
							  : replay_commit(&r, s[i].seq);
		if (got != s[i].want) {
			fprintf(stderr, "  window %u step %zu: %s %llu -> %d, expected %d\n",
				window, i, s[i].op == CHECK ? "check" : "commit",
				(unsigned long long)s[i].seq, got, s[i].want);
			t_failed_checks++;
		}
	}
}

static void replay_window_64_table(void)
{
	static const struct step t[] = {
		{ CHECK, 0, REPLAY_ZERO },          /* 0 is never sent */
		{ COMMIT, 0, REPLAY_ZERO },
		{ CHECK, 1, REPLAY_OK },
		{ COMMIT, 1, REPLAY_OK },           /* in order */
		{ CHECK, 1, REPLAY_DUP },           /* duplicate */
		{ COMMIT, 1, REPLAY_DUP },
		{ COMMIT, 2, REPLAY_OK },
		{ CHECK, 5, REPLAY_OK },            /* checked, ICV failed: not recorded */
		{ CHECK, 5, REPLAY_OK },
		{ COMMIT, 64, REPLAY_OK },          /* window now 1..64 */
		{ COMMIT, 1, REPLAY_DUP },          /* still inside, seen */
		{ COMMIT, 3, REPLAY_OK },           /* late but inside, unseen */
		{ COMMIT, 5, REPLAY_OK },
		{ COMMIT, 65, REPLAY_OK },          /* window 2..65 */
		{ CHECK, 1, REPLAY_OLD },           /* fell off the left edge */
		{ COMMIT, 2, REPLAY_DUP },          /* exactly the left edge, seen */
		{ COMMIT, 4, REPLAY_OK },
		{ COMMIT, 1000, REPLAY_OK },        /* far ahead: window 937..1000 */
		{ CHECK, 936, REPLAY_OLD },         /* one left of the edge */
		{ COMMIT, 937, REPLAY_OK },         /* the edge itself */
		{ COMMIT, 937, REPLAY_DUP },
		{ COMMIT, 999, REPLAY_OK },
		{ COMMIT, 65, REPLAY_OLD },         /* bits of the old window are gone */
		{ COMMIT, 64, REPLAY_OLD },
		{ CHECK, 998, REPLAY_OK },          /* cleared by the jump, never seen */
		{ COMMIT, 1001, REPLAY_OK },        /* in order again */
		{ COMMIT, 1064, REPLAY_OK },        /* window 1001..1064 */
		{ COMMIT, 1000, REPLAY_OLD },
		{ COMMIT, 1001, REPLAY_DUP },
		{ COMMIT, 1002, REPLAY_OK },
		{ COMMIT, 1063, REPLAY_OK },
		{ COMMIT, 1063, REPLAY_DUP },
		{ COMMIT, 0xffffffffull, REPLAY_OK },  /* last 32-bit number */
		{ COMMIT, 0xffffffffull, REPLAY_DUP },
		{ COMMIT, 0xffffffffull - 63, REPLAY_OK },
		{ COMMIT, 0xffffffffull - 64, REPLAY_OLD },
		{ COMMIT, 0x100000000ull, REPLAY_OK }, /* ESN: across 2^32 */
		{ COMMIT, 0xffffffffull - 62, REPLAY_OK },
		{ COMMIT, 0xffffffffull - 63, REPLAY_OLD },
		{ COMMIT, 0x100000000ull, REPLAY_DUP },
	};
	run_table(64, t, sizeof(t) / sizeof(t[0]));
}

static void replay_window_1024_table(void)
{
	static const struct step t[] = {
		{ COMMIT, 1, REPLAY_OK },
		{ COMMIT, 1024, REPLAY_OK },        /* window 1..1024 */
		{ COMMIT, 1, REPLAY_DUP },
		{ COMMIT, 2, REPLAY_OK },
		{ COMMIT, 1025, REPLAY_OK },        /* window 2..1025 */
		{ CHECK, 1, REPLAY_OLD },
		{ COMMIT, 2, REPLAY_DUP },
		{ COMMIT, 513, REPLAY_OK },
		{ COMMIT, 2048, REPLAY_OK },        /* window 1025..2048 */
		{ COMMIT, 1024, REPLAY_OLD },
		{ COMMIT, 1025, REPLAY_DUP },
		{ COMMIT, 1026, REPLAY_OK },
		{ COMMIT, 513, REPLAY_OLD },
		{ COMMIT, 1000000, REPLAY_OK },
		{ COMMIT, 1000000 - 1023, REPLAY_OK },
		{ COMMIT, 1000000 - 1024, REPLAY_OLD },
		{ COMMIT, 999999, REPLAY_OK },
	};
	run_table(1024, t, sizeof(t) / sizeof(t[0]));
}

static void replay_window_disabled_accepts_everything_but_zero(void)
{
	static const struct step t[] = {
		{ COMMIT, 5, REPLAY_OK },
		{ COMMIT, 5, REPLAY_OK },
		{ COMMIT, 1, REPLAY_OK },
		{ COMMIT, 0, REPLAY_ZERO },
	};
	run_table(0, t, sizeof(t) / sizeof(t[0]));
}

static void replay_window_larger_than_max_is_clamped(void)
{
	struct replay r;
	replay_init(&r, 100000);
	T_EQ_INT(r.window, REPLAY_MAX_WINDOW);
	T_EQ_INT(replay_commit(&r, 5000), REPLAY_OK);
	T_EQ_INT(replay_check(&r, 5000 - 1023), REPLAY_OK);
	T_EQ_INT(replay_check(&r, 5000 - 1024), REPLAY_OLD);
}

struct esn_case {
	uint64_t top;        /* committed before (0 = nothing) */
	uint32_t seql;
	uint64_t want;
};

static void replay_esn_infers_high_bits_across_wrap(void)
{
	static const struct esn_case c[] = {
		/* nothing received: window straddles below 0, guesses stay in subspace 0 */
		{ 0, 1, 1 },
		{ 0, 0xfffffff0u, 0xfffffff0ull },
		/* window inside one subspace (Tl >= W - 1) */
		{ 1000, 999, 999 },                       /* inside */
		{ 1000, 937, 937 },                       /* bottom edge Tl - W + 1 */
		{ 1000, 936, 0x100000000ull + 936 },      /* below: next subspace */
		{ 1000, 5000, 5000 },                     /* ahead */
		{ 0xfffffff0ull, 0xfffffff5u, 0xfffffff5ull },
		{ 0xfffffff0ull, 3, 0x100000003ull },     /* wrapped forward */
		{ 0x2fffffff0ull, 3, 0x300000003ull },
		/* window straddles two subspaces (Tl < W - 1) */
		{ 0x100000005ull, 0xfffffff8u, 0xfffffff8ull },     /* late, previous subspace */
		{ 0x100000005ull, 0xffffffc6u, 0xffffffc6ull },     /* bottom edge (wrapped) */
		{ 0x100000005ull, 0xffffffc5u, 0x1ffffffc5ull },    /* below the bottom: same subspace */
		{ 0x100000005ull, 4, 0x100000004ull },
		{ 0x100000005ull, 0x10, 0x100000010ull },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct replay r;
		replay_init(&r, 64);
		if (c[i].top)
			T_EQ_INT(replay_commit(&r, c[i].top), REPLAY_OK);
		uint64_t got = replay_esn_infer(&r, c[i].seql);
		if (got != c[i].want) {
			fprintf(stderr, "  case %zu: top %#llx seql %#x -> %#llx, expected %#llx\n", i,
				(unsigned long long)c[i].top, c[i].seql, (unsigned long long)got,
				(unsigned long long)c[i].want);
			t_failed_checks++;
		}
	}
}

static void replay_esn_sequence_runs_across_2_32(void)
{
	/* A sender crossing 2^32 with some reordering: every packet inferred
	 * from its low 32 bits lands on its true number and is accepted once. */
	static const uint64_t sent[] = {
		0xfffffffcull, 0xfffffffeull, 0xfffffffdull, 0x100000001ull, 0xffffffffull,
		0x100000000ull, 0x100000003ull, 0x100000002ull, 0xfffffffbull,
	};
	struct replay r;
	replay_init(&r, 64);
	T_EQ_INT(replay_commit(&r, 0xfffffff0ull), REPLAY_OK);
	for (size_t i = 0; i < sizeof(sent) / sizeof(sent[0]); i++) {
		uint64_t s = replay_esn_infer(&r, (uint32_t)sent[i]);
		T_EQ_INT(s, sent[i]);
		T_EQ_INT(replay_commit(&r, s), REPLAY_OK);
		T_EQ_INT(replay_commit(&r, replay_esn_infer(&r, (uint32_t)sent[i])), REPLAY_DUP);
	}
	T_EQ_INT(r.top, 0x100000003ull);
}

static void replay_bitmap_shows_window_relative_to_top(void)
{
	struct replay r;
	uint32_t bm[2];
	replay_init(&r, 64);
	replay_bitmap(&r, bm, 2);
	T_EQ_INT(bm[0], 0);
	T_EQ_INT(bm[1], 0);
	for (uint64_t s = 1; s <= 100; s++)
		T_EQ_INT(replay_commit(&r, s), REPLAY_OK);
	replay_bitmap(&r, bm, 2);
	T_EQ_INT(bm[0], 0xffffffffu);
	T_EQ_INT(bm[1], 0xffffffffu);
	T_EQ_INT(replay_commit(&r, 103), REPLAY_OK);   /* 101, 102 missing */
	replay_bitmap(&r, bm, 2);
	T_EQ_INT(bm[1], 0xfffffff9u);
	T_EQ_INT(bm[0], 0xffffffffu);
	replay_init(&r, 64);
	T_EQ_INT(replay_commit(&r, 3), REPLAY_OK);
	T_EQ_INT(replay_commit(&r, 1), REPLAY_OK);
	replay_bitmap(&r, bm, 2);
	T_EQ_INT(bm[1], 0x5);
	T_EQ_INT(bm[0], 0);
}

/* Reference model: remembers every number ever accepted. */
#define REF_MAX (1u << 20)
static uint8_t ref_seen[REF_MAX];

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void replay_matches_reference_model_for_random_traffic(void)
{
	static const uint32_t windows[] = { 1, 32, 63, 64, 65, 100, 128, 512, 1000, 1024 };
	for (size_t w = 0; w < sizeof(windows) / sizeof(windows[0]); w++) {
		struct replay r;
		uint32_t win = windows[w];
		uint64_t top = 0, next = 1;
		replay_init(&r, win);
		memset(ref_seen, 0, sizeof(ref_seen));
		int mismatches = 0;
		while (next < REF_MAX - 5000) {
			uint64_t seq;
			uint64_t k = rnd() % 100;
			if (k < 60)
				seq = next++;                       /* in order */
			else if (k < 85)
				seq = next > 2 * win + 2 ? next - 1 - rnd() % (2 * win + 2) : 1 + rnd() % next;
			else if (k < 95)
				seq = next + rnd() % (3 * win + 3); /* ahead */
			else
				seq = next + rnd() % 4000;          /* far ahead */
			if (seq >= REF_MAX)
				continue;
			enum replay_result want;
			if (seq == 0)
				want = REPLAY_ZERO;
			else if (seq > top)
				want = REPLAY_OK;
			else if (top - seq >= win)
				want = REPLAY_OLD;
			else
				want = ref_seen[seq] ? REPLAY_DUP : REPLAY_OK;
			bool commit = rnd() % 8 != 0;          /* some fail their ICV */
			enum replay_result got = commit ? replay_commit(&r, seq) : replay_check(&r, seq);
			if (got != want && mismatches++ < 5)
				fprintf(stderr, "  window %u seq %llu top %llu: %d, expected %d\n", win,
					(unsigned long long)seq, (unsigned long long)top, got, want);
			if (commit && want == REPLAY_OK) {
				ref_seen[seq] = 1;
				if (seq > top)
					top = seq;
				if (seq >= next)
					next = seq + 1;
			}
		}
		T_EQ_INT(mismatches, 0);
		T_EQ_INT(r.top, top);
	}
}

int main(void)
{
	T_RUN(replay_window_64_table);
	T_RUN(replay_window_1024_table);
	T_RUN(replay_window_disabled_accepts_everything_but_zero);
	T_RUN(replay_window_larger_than_max_is_clamped);
	T_RUN(replay_esn_infers_high_bits_across_wrap);
	T_RUN(replay_esn_sequence_runs_across_2_32);
	T_RUN(replay_bitmap_shows_window_relative_to_top);
	T_RUN(replay_matches_reference_model_for_random_traffic);
	T_DONE();
}
