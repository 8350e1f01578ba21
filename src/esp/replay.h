/* ESP anti-replay window (RFC 4303 §3.4.3, Appendix A).
 *
 * A sliding window over 64-bit sequence numbers kept as a ring of 64-bit
 * words (RFC 6479): advancing the window clears whole words, so the cost of
 * a jump is bounded by the ring size, not by the distance.  The ring has at
 * least one word more than the window needs, so the bits still inside the
 * window are never cleared by an advance.
 *
 * Use (strongSwan esp_packet.c lesson): replay_check() before decrypting,
 * replay_commit() only after the ICV verified; the packet path re-checks
 * under the SA lock at commit time, since another worker may have accepted
 * the same number in between.
 *
 * The functions are pure (no locking, no allocation); the SA owns the lock. */
#ifndef RAVPN_ESP_REPLAY_H
#define RAVPN_ESP_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REPLAY_MAX_WINDOW 1024u
#define REPLAY_WORDS 32u          /* power of two >= REPLAY_MAX_WINDOW / 64 + 1 */

enum replay_result {
	REPLAY_OK = 0,                /* new, inside or ahead of the window */
	REPLAY_DUP = -1,              /* already received */
	REPLAY_OLD = -2,              /* left of the window */
	REPLAY_ZERO = -3,             /* sequence number 0 is never sent */
};

struct replay {
	uint64_t top;                 /* highest accepted number, 0 before the first */
	uint32_t window;              /* 0 = replay checking disabled */
	uint32_t nwords;              /* ring size in words, power of two */
	uint64_t bits[REPLAY_WORDS];
};

/* window 0 disables the check (numbers are still tracked for ESN);
 * larger than REPLAY_MAX_WINDOW is clamped. */
void replay_init(struct replay *r, uint32_t window);
enum replay_result replay_check(const struct replay *r, uint64_t seq);
/* Check again and record seq; returns what replay_check() would have. */
enum replay_result replay_commit(struct replay *r, uint64_t seq);

/* RFC 4303 Appendix A2.2: the full 64-bit number of a packet whose low 32
 * bits are seql, guessed from the window position.  The guess is confirmed
 * only by the ICV (the high bits are part of it). */
uint64_t replay_esn_infer(const struct replay *r, uint32_t seql);

/* The window as `show crypto ipsec sa` prints it: out[n - 1] bit 0 is `top`,
 * bit i of the whole is top - i; words are most significant first.  Fills
 * n 32-bit words (n * 32 should equal the window). */
void replay_bitmap(const struct replay *r, uint32_t *out, size_t n);

#endif
