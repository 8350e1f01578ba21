/* The fuzz seeds in tests/fuzz/corpus/ikev2 still parse with the current
 * codec, their SK/SKF bodies parse as inner chains, and re-emitting them
 * gives back the very same bytes (they were written by this writer). */
#include "../t.h"

#include <dirent.h>

#include "base/buf.h"
#include "wire/ikev2.h"

#ifndef CORPUS_DIR
#error CORPUS_DIR must name tests/fuzz/corpus/ikev2
#endif

static size_t read_seed(const char *name, uint8_t *d, size_t max)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t n = fread(d, 1, max, f);
	fclose(f);
	return n;
}

static bool seed_round_trips(const char *name)
{
	static uint8_t d[65536];
	static struct ikev2_msg m, inner;
	struct ikev2_parse_err err;
	size_t n = read_seed(name, d, sizeof(d));
	if (n == 0 || ikev2_parse_message(d, n, &m, &err) != 0) {
		fprintf(stderr, "  seed %s does not parse: %s\n", name, n ? err.why : "empty");
		return false;
	}
	const struct ikev2_blob *body = NULL;
	uint8_t first = 0;
	if (m.present & IKEV2_BIT(IKEV2_PL_SK)) {
		body = &m.sk.body;
		first = m.sk.inner_first;
	} else if (m.present & IKEV2_BIT(IKEV2_PL_SKF)) {
		body = &m.skf.body;
		first = m.skf.inner_first;
	}
	inner.hdr = m.hdr;
	if (body && (ikev2_parse_chain(first, body->data, body->len, &inner, &err) != 0 ||
		     inner.n_order == 0)) {
		fprintf(stderr, "  seed %s: inner chain does not parse\n", name);
		return false;
	}
	struct buf b;
	struct ikev2_wr w;
	buf_init(&b);
	ikev2_w_begin(&w, &b, &m.hdr);
	ikev2_w_chain(&w, &m);
	bool same = ikev2_w_finish(&w) && b.len == n && memcmp(b.data, d, n) == 0;
	if (!same)
		fprintf(stderr, "  seed %s: re-emitted bytes differ\n", name);
	buf_free(&b);
	return same;
}

static void every_corpus_seed_parses_and_round_trips(void)
{
	DIR *dir = opendir(CORPUS_DIR);
	T_CHECK(dir != NULL);
	if (!dir)
		return;
	unsigned seeds = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		seeds++;
		T_CHECK(seed_round_trips(e->d_name));
	}
	closedir(dir);
	T_CHECK(seeds >= 5);
}

int main(void)
{
	T_RUN(every_corpus_seed_parses_and_round_trips);
	T_DONE();
}
