#include "esp/replay.h"

#include <string.h>

void replay_init(struct replay *r, uint32_t window)
{
	memset(r, 0, sizeof(*r));
	if (window > REPLAY_MAX_WINDOW)
		window = REPLAY_MAX_WINDOW;
	r->window = window;
	uint32_t need = (window + 63) / 64 + 1;
	uint32_t n = 2;
	while (n < need)
		n <<= 1;
	r->nwords = n;
}

static bool bit_get(const struct replay *r, uint64_t seq)
{
	uint64_t b = seq & ((uint64_t)r->nwords * 64 - 1);
	return r->bits[b >> 6] >> (b & 63) & 1;
}

enum replay_result replay_check(const struct replay *r, uint64_t seq)
{
	if (seq == 0)
		return REPLAY_ZERO;
	if (r->window == 0 || seq > r->top)
		return REPLAY_OK;
	if (r->top - seq >= r->window)
		return REPLAY_OLD;
	return bit_get(r, seq) ? REPLAY_DUP : REPLAY_OK;
}

enum replay_result replay_commit(struct replay *r, uint64_t seq)
{
	enum replay_result res = replay_check(r, seq);
	if (res != REPLAY_OK)
		return res;
	if (seq > r->top) {
		/* Clear the words the window slides over (at most the whole ring). */
		uint64_t cur = r->top >> 6, next = seq >> 6;
		uint64_t diff = next - cur;
		if (diff > r->nwords)
			diff = r->nwords;
		for (uint64_t i = 1; i <= diff; i++)
			r->bits[(cur + i) & (r->nwords - 1)] = 0;
		r->top = seq;
	}
	uint64_t b = seq & ((uint64_t)r->nwords * 64 - 1);
	r->bits[b >> 6] |= (uint64_t)1 << (b & 63);
	return REPLAY_OK;
}

/* RFC 4303 A2.2.  Tl/Th are the low and high halves of the window top, W
 * the window.  Either the window lies within one 2^32 subspace (Tl >= W - 1):
 * a number at or above its bottom belongs to this subspace, one below it to
 * the next; or the window straddles two subspaces: a number at or above the
 * (wrapped) bottom belongs to the previous one.  Without a window (replay
 * disabled) half the space is taken as W. */
uint64_t replay_esn_infer(const struct replay *r, uint32_t seql)
{
	uint32_t tl = (uint32_t)r->top, th = (uint32_t)(r->top >> 32);
	uint32_t w = r->window ? r->window : 0x80000000u;
	uint32_t bottom = tl - w + 1;                 /* wraps in the second case */
	uint32_t seqh;
	if (tl >= w - 1)
		seqh = seql >= bottom ? th : th + 1;
	else
		seqh = seql >= bottom ? (th ? th - 1 : 0) : th;
	return (uint64_t)seqh << 32 | seql;
}

void replay_bitmap(const struct replay *r, uint32_t *out, size_t n)
{
	memset(out, 0, n * sizeof(*out));
	for (size_t i = 0; i < n * 32; i++) {
		if (i >= r->window || i >= r->top)
			break;
		uint64_t seq = r->top - i;
		if (bit_get(r, seq))
			out[n - 1 - i / 32] |= (uint32_t)1 << (i % 32);
	}
}
