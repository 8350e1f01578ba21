/* Bounds-checked reader for untrusted bytes.
 *
 * Every read past the end sets `bad` and returns zeros; the error sticks, so a
 * block of reads is checked once at its end (STYLE.md rule 2).  Packet memory
 * is never cast to a struct. */
#ifndef RAVPN_BASE_RD_H
#define RAVPN_BASE_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
	const uint8_t *p;
	size_t left;
	bool bad;
};

static inline struct rd rd_init(const void *p, size_t len)
{
	struct rd r = { .p = p, .left = len, .bad = false };
	return r;
}

static inline bool rd_need(struct rd *r, size_t n)
{
	if (r->bad || r->left < n) {
		r->bad = true;
		r->left = 0;
		return false;
	}
	return true;
}

static inline uint8_t rd_u8(struct rd *r)
{
	if (!rd_need(r, 1))
		return 0;
	uint8_t v = r->p[0];
	r->p += 1;
	r->left -= 1;
	return v;
}

static inline uint16_t rd_u16(struct rd *r)
{
	if (!rd_need(r, 2))
		return 0;
	uint16_t v = (uint16_t)(r->p[0] << 8 | r->p[1]);
	r->p += 2;
	r->left -= 2;
	return v;
}

static inline uint32_t rd_u32(struct rd *r)
{
	if (!rd_need(r, 4))
		return 0;
	uint32_t v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
		     (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->left -= 4;
	return v;
}

static inline uint64_t rd_u64(struct rd *r)
{
	uint64_t hi = rd_u32(r);
	return hi << 32 | rd_u32(r);
}

/* Borrow n bytes; NULL (and bad set) if they are not there. */
static inline const uint8_t *rd_ptr(struct rd *r, size_t n)
{
	if (!rd_need(r, n))
		return NULL;
	const uint8_t *p = r->p;
	r->p += n;
	r->left -= n;
	return p;
}

static inline void rd_copy(struct rd *r, void *dst, size_t n)
{
	const uint8_t *p = rd_ptr(r, n);
	if (p)
		memcpy(dst, p, n);
	else if (n)
		memset(dst, 0, n);
}

static inline void rd_skip(struct rd *r, size_t n)
{
	(void)rd_ptr(r, n);
}

/* Split off a sub-reader of n bytes; the parent advances past them. */
static inline struct rd rd_sub(struct rd *r, size_t n)
{
	const uint8_t *p = rd_ptr(r, n);
	struct rd s = { .p = p, .left = p ? n : 0, .bad = p == NULL };
	return s;
}

#endif
