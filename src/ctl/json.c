#include "ctl/json.h"

#include <inttypes.h>
#include <string.h>

void json_init(struct json *j, struct buf *b)
{
	memset(j, 0, sizeof(*j));
	j->b = b;
}

/* Length of a valid UTF-8 sequence starting at p (1..4), 0 if invalid.
 * Rejects overlong forms, surrogates and code points above U+10FFFF. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned char c = p[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && p[1] < 0xa0)
			return 0;
		if (c == 0xed && p[1] >= 0xa0)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && p[1] < 0x90)
			return 0;
		if (c == 0xf4 && p[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

void json_put_escaped(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = utf8_len(p);
		if (n == 0) {
			buf_printf(b, "\\ufffd");
			p++;
		} else if (*p == '"' || *p == '\\') {
			buf_printf(b, "\\%c", *p);
			p++;
		} else if (*p == '\n') {
			buf_printf(b, "\\n");
			p++;
		} else if (*p == '\t') {
			buf_printf(b, "\\t");
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			buf_printf(b, "\\u%04x", *p);
			p++;
		} else {
			buf_put(b, p, n);
			p += n;
		}
	}
}

/* Comma and key before a value at the current level. */
static void member(struct json *j, const char *key)
{
	if (j->need_comma[j->depth])
		buf_put_u8(j->b, ',');
	j->need_comma[j->depth] = true;
	if (key) {
		buf_put_u8(j->b, '"');
		json_put_escaped(j->b, key);
		buf_put(j->b, "\":", 2);
	}
}

static void open_level(struct json *j, const char *key, char c)
{
	member(j, key);
	buf_put_u8(j->b, (uint8_t)c);
	if (j->depth >= JSON_MAX_DEPTH) {
		j->bad = true;
		return;
	}
	j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_level(struct json *j, char c)
{
	buf_put_u8(j->b, (uint8_t)c);
	if (j->depth == 0) {
		j->bad = true;
		return;
	}
	j->depth--;
}

void json_obj_open(struct json *j, const char *key)
{
	open_level(j, key, '{');
}

void json_obj_close(struct json *j)
{
	close_level(j, '}');
}

void json_arr_open(struct json *j, const char *key)
{
	open_level(j, key, '[');
}

void json_arr_close(struct json *j)
{
	close_level(j, ']');
}

void json_str(struct json *j, const char *key, const char *s)
{
	if (!s) {
		json_null(j, key);
		return;
	}
	member(j, key);
	buf_put_u8(j->b, '"');
	json_put_escaped(j->b, s);
	buf_put_u8(j->b, '"');
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	member(j, key);
	buf_printf(j->b, "%" PRIu64, v);
}

void json_i64(struct json *j, const char *key, int64_t v)
{
	member(j, key);
	buf_printf(j->b, "%" PRId64, v);
}

void json_bool(struct json *j, const char *key, bool v)
{
	member(j, key);
	buf_printf(j->b, "%s", v ? "true" : "false");
}

void json_null(struct json *j, const char *key)
{
	member(j, key);
	buf_printf(j->b, "null");
}
