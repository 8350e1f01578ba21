/* A small JSON writer for the `--json` form of every show command.
 *
 * The writer appends to a struct buf and keeps, per nesting level, whether
 * the next member needs a comma.  Keys are given with each value (NULL for
 * array elements and the top level).  Strings are escaped (quote,
 * backslash, control characters) and invalid UTF-8 bytes become U+FFFD, so
 * identities sent by a peer can never break the document.  Output is
 * compact; nesting deeper than JSON_MAX_DEPTH sets `bad`. */
#ifndef RAVPN_CTL_JSON_H
#define RAVPN_CTL_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"

#define JSON_MAX_DEPTH 32

struct json {
	struct buf *b;
	unsigned depth;
	bool need_comma[JSON_MAX_DEPTH + 1];
	bool bad;
};

void json_init(struct json *j, struct buf *b);
void json_obj_open(struct json *j, const char *key);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j, const char *key);
void json_arr_close(struct json *j);
/* s == NULL writes null. */
void json_str(struct json *j, const char *key, const char *s);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_i64(struct json *j, const char *key, int64_t v);
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);
/* Just the escaped string body (no quotes), for callers that build keys. */
void json_put_escaped(struct buf *b, const char *s);

#endif
