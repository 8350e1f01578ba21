/* libFuzzer target for the IKEv1 codec.
 *
 * Parses a whole message; when the ENC flag is set, parses the bytes after
 * the header as a chain too (as if they had been decrypted: the fuzzer
 * cannot encrypt).  Every parsed chain is dumped into a discarding sink
 * and summarised, then re-emitted with ikev1_w_chain: the result must parse
 * again and re-emit to the same bytes.  Its SA, written from the decoded
 * fields with ikev1_w_sa, must parse and be stable too.  Any disagreement
 * aborts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "wire/ikev1.h"

static size_t dump_chars;

static void sink_line(void *arg, const char *text)
{
	size_t n = strlen(text);
	if (n >= 256)
		abort();
	dump_chars += n;
}

static void check_err(const struct ikev1_parse_err *err)
{
	if (err->status == IKEV1_PARSE_OK || err->why == NULL)
		abort();
}

static void exercise(const struct ikev1_msg *m)
{
	char summary[512];
	ikev1_msg_dump(m, sink_line, NULL);
	ikev1_msg_summary(m, summary, sizeof(summary));
	if (strlen(summary) >= sizeof(summary))
		abort();
	(void)ikev1_msg_notify(m, IKEV1_N_INITIAL_CONTACT);
	(void)ikev1_cfg_attr(&m->cfg, IKEV1_CA_XAUTH_USER_PASSWORD);
	for (unsigned i = 0; i < m->n_vendor; i++)
		(void)ikev1_vid_match(m->vendor[i].data, m->vendor[i].len);
}

/* Header (ENC cleared, so the copy parses as a clear message) + payloads. */
static bool emit(const struct ikev1_msg *m, struct buf *b, bool sa_from_fields)
{
	struct ikev1_wr w;
	struct ikev1_hdr h = m->hdr;
	h.flags &= (uint8_t)~IKEV1_FLAG_ENC;
	buf_reset(b);
	ikev1_w_begin(&w, b, &h);
	if (sa_from_fields)
		ikev1_w_sa(&w, &m->sa);
	else
		ikev1_w_chain(&w, m);
	return ikev1_w_finish(&w);
}

/* emit(m) parses, and emitting that parse gives the same bytes. */
static void check_stable(const struct ikev1_msg *m, bool sa_from_fields)
{
	static struct ikev1_msg again;
	static struct buf b1, b2;
	struct ikev1_parse_err err;
	if (!emit(m, &b1, sa_from_fields))
		abort();   /* re-emitting never grows a payload beyond its field */
	if (ikev1_parse_message(b1.data, b1.len, &again, &err) != 0) {
		fprintf(stderr, "re-emitted message does not parse: %s\n", err.why);
		abort();
	}
	if (!emit(&again, &b2, sa_from_fields) || b1.len != b2.len ||
	    memcmp(b1.data, b2.data, b1.len) != 0) {
		fprintf(stderr, "parse/emit disagree\n");
		abort();
	}
}

static void check_chain(const struct ikev1_msg *m)
{
	exercise(m);
	check_stable(m, false);
	if (IKEV1_PRESENT(m, IKEV1_PL_SA))
		check_stable(m, true);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ikev1_msg m;
	struct ikev1_parse_err err;
	struct ikev1_hdr h;
	if (ikev1_parse_header(data, size, &h, &err) != 0)
		check_err(&err);
	if (ikev1_parse_message(data, size, &m, &err) != 0) {
		check_err(&err);
		return 0;
	}
	if (!(m.hdr.flags & IKEV1_FLAG_ENC)) {
		check_chain(&m);
		return 0;
	}
	/* as if decrypted: the body up to Length, padding allowed */
	if (ikev1_parse_chain(m.hdr.next_payload, data + IKEV1_HDR_LEN,
			      m.hdr.length - IKEV1_HDR_LEN, &m, &err) != 0) {
		check_err(&err);
		return 0;
	}
	check_chain(&m);
	return 0;
}
