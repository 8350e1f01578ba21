/* Growable byte buffer for building messages.
 *
 * Writers remember offsets (never pointers: the storage may move) and patch
 * lengths by offset.  Allocation failure sets `oom`, which sticks; callers
 * check once at the end.  buf_free() wipes the contents, since buffers often
 * hold key material or plaintext. */
#ifndef RAVPN_BASE_BUF_H
#define RAVPN_BASE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	bool oom;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);               /* wipes, frees, re-inits */
void buf_reset(struct buf *b);              /* len = 0, keeps storage */
bool buf_reserve(struct buf *b, size_t extra);
/* Append n zero bytes and return their offset (for patching later). */
size_t buf_skip(struct buf *b, size_t n);
void buf_put(struct buf *b, const void *p, size_t n);
void buf_put_u8(struct buf *b, uint8_t v);
void buf_put_u16(struct buf *b, uint16_t v);
void buf_put_u32(struct buf *b, uint32_t v);
void buf_put_u64(struct buf *b, uint64_t v);
void buf_patch_u8(struct buf *b, size_t off, uint8_t v);
void buf_patch_u16(struct buf *b, size_t off, uint16_t v);
void buf_patch_u32(struct buf *b, size_t off, uint32_t v);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Take ownership of the storage out of the buffer (caller frees). */
uint8_t *buf_take(struct buf *b, size_t *len);

#endif
