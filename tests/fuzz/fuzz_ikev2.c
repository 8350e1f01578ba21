/* libFuzzer target for the IKEv2 codec.
 *
 * Parses a whole message; when it carries SK or SKF, parses that body as an
 * inner chain too (as if it had been decrypted: the fuzzer cannot encrypt).
 * Every parsed chain is dumped, summarised and re-emitted; the re-emitted
 * message must parse again and re-emit to the same bytes (parse and emit
 * agree), otherwise the target aborts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "wire/ikev2.h"

static size_t dump_chars;

static void sink_line(void *arg, const char *text)
{
	size_t n = strlen(text);
	if (n >= 256)
		abort();
	dump_chars += n;
}

static void check_err(const struct ikev2_parse_err *err)
{
	if (err->status == IKEV2_PARSE_OK || err->why == NULL)
		abort();
}

static void exercise(const struct ikev2_msg *m)
{
	char summary[512];
	ikev2_msg_dump(m, sink_line, NULL);
	ikev2_msg_summary(m, summary, sizeof(summary));
	if (strlen(summary) >= sizeof(summary))
		abort();
	(void)ikev2_msg_notify(m, IKEV2_N_NAT_DETECTION_SOURCE_IP);
}

/* Write header + payloads of m into b. */
static bool emit(const struct ikev2_msg *m, struct buf *b)
{
	struct ikev2_wr w;
	buf_reset(b);
	ikev2_w_begin(&w, b, &m->hdr);
	ikev2_w_chain(&w, m);
	return ikev2_w_finish(&w);
}

static void check_re_emit(const struct ikev2_msg *m)
{
	static struct ikev2_msg again;
	static struct buf b1, b2;
	struct ikev2_parse_err err;
	if (!emit(m, &b1))
		abort();   /* re-emitting never grows a payload beyond its field */
	if (ikev2_parse_message(b1.data, b1.len, &again, &err) != 0) {
		fprintf(stderr, "re-emitted message does not parse: %s\n", err.why);
		abort();
	}
	if (!emit(&again, &b2) || b1.len != b2.len || memcmp(b1.data, b2.data, b1.len) != 0) {
		fprintf(stderr, "parse/emit disagree\n");
		abort();
	}
}

static void inner_chain(const struct ikev2_msg *outer, uint8_t first, const struct ikev2_blob *body)
{
	static struct ikev2_msg inner;
	struct ikev2_parse_err err;
	inner.hdr = outer->hdr;
	if (ikev2_parse_chain(first, body->data, body->len, &inner, &err) != 0) {
		check_err(&err);
		return;
	}
	exercise(&inner);
	check_re_emit(&inner);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ikev2_msg m;
	struct ikev2_parse_err err;
	struct ikev2_hdr h;
	if (ikev2_parse_header(data, size, &h, &err) != 0)
		check_err(&err);
	if (ikev2_parse_message(data, size, &m, &err) != 0) {
		check_err(&err);
		return 0;
	}
	exercise(&m);
	check_re_emit(&m);
	if (m.present & IKEV2_BIT(IKEV2_PL_SK))
		inner_chain(&m, m.sk.inner_first, &m.sk.body);
	if (m.present & IKEV2_BIT(IKEV2_PL_SKF))
		inner_chain(&m, m.skf.inner_first, &m.skf.body);
	return 0;
}
