#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

void buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->oom = false;
}

void buf_free(struct buf *b)
{
	if (b->data) {
		mem_wipe(b->data, b->cap);
		free(b->data);
	}
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->oom = false;
}

bool buf_reserve(struct buf *b, size_t extra)
{
	if (b->oom)
		return false;
	if (extra > SIZE_MAX / 2 - b->len) {
		b->oom = true;
		return false;
	}
	size_t need = b->len + extra;
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	/* Not realloc: the old block may hold secrets and must be wiped. */
	uint8_t *n = malloc(cap);
	if (!n) {
		b->oom = true;
		return false;
	}
	if (b->data) {
		memcpy(n, b->data, b->len);
		mem_wipe(b->data, b->cap);
		free(b->data);
	}
	b->data = n;
	b->cap = cap;
	return true;
}

size_t buf_skip(struct buf *b, size_t n)
{
	size_t off = b->len;
	if (!buf_reserve(b, n))
		return off;
	memset(b->data + b->len, 0, n);
	b->len += n;
	return off;
}

void buf_put(struct buf *b, const void *p, size_t n)
{
	if (n == 0 || !buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void buf_put_u8(struct buf *b, uint8_t v)
{
	buf_put(b, &v, 1);
}

void buf_put_u16(struct buf *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	buf_put(b, x, 2);
}

void buf_put_u32(struct buf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	buf_put(b, x, 4);
}

void buf_put_u64(struct buf *b, uint64_t v)
{
	buf_put_u32(b, (uint32_t)(v >> 32));
	buf_put_u32(b, (uint32_t)v);
}

void buf_patch_u8(struct buf *b, size_t off, uint8_t v)
{
	if (!b->oom && off + 1 <= b->len)
		b->data[off] = v;
}

void buf_patch_u16(struct buf *b, size_t off, uint16_t v)
{
	if (!b->oom && off + 2 <= b->len) {
		b->data[off] = (uint8_t)(v >> 8);
		b->data[off + 1] = (uint8_t)v;
	}
}

void buf_patch_u32(struct buf *b, size_t off, uint32_t v)
{
	if (!b->oom && off + 4 <= b->len) {
		b->data[off] = (uint8_t)(v >> 24);
		b->data[off + 1] = (uint8_t)(v >> 16);
		b->data[off + 2] = (uint8_t)(v >> 8);
		b->data[off + 3] = (uint8_t)v;
	}
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !buf_reserve(b, (size_t)n + 1))
		return;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

uint8_t *buf_take(struct buf *b, size_t *len)
{
	uint8_t *d = b->data;
	if (len)
		*len = b->len;
	buf_init(b);
	return d;
}
