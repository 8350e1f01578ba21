/* Minimal unit-test harness: each test is a function named after the
 * behaviour it checks; T_RUN runs it and reports "ok"/"FAIL" per test.
 * A binary exits non-zero if any check failed.  `make check` adds up the
 * per-test lines into the final "N passed, N failed" summary. */
#ifndef RAVPN_TESTS_T_H
#define RAVPN_TESTS_T_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_failed_checks;
static int t_tests_passed, t_tests_failed;

#define T_CHECK(cond)                                                                 \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, \
				#cond);                                               \
			t_failed_checks++;                                            \
		}                                                                     \
	} while (0)

#define T_EQ_INT(a, b)                                                                \
	do {                                                                          \
		long long t_a_ = (long long)(a), t_b_ = (long long)(b);               \
		if (t_a_ != t_b_) {                                                   \
			fprintf(stderr, "  %s:%d: %s == %lld, expected %s == %lld\n",  \
				__FILE__, __LINE__, #a, t_a_, #b, t_b_);              \
			t_failed_checks++;                                            \
		}                                                                     \
	} while (0)

#define T_EQ_STR(a, b)                                                                \
	do {                                                                          \
		const char *t_a_ = (a), *t_b_ = (b);                                  \
		if (!t_a_ || !t_b_ || strcmp(t_a_, t_b_) != 0) {                      \
			fprintf(stderr, "  %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
				t_a_ ? t_a_ : "(null)", t_b_ ? t_b_ : "(null)");     \
			t_failed_checks++;                                            \
		}                                                                     \
	} while (0)

static inline void t_hexdump(const char *label, const uint8_t *p, size_t n)
{
	fprintf(stderr, "    %s: ", label);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%02x", p[i]);
	fprintf(stderr, "\n");
}

#define T_EQ_MEM(a, b, n)                                                             \
	do {                                                                          \
		if (memcmp((a), (b), (n)) != 0) {                                     \
			fprintf(stderr, "  %s:%d: %s != %s (%zu bytes)\n", __FILE__,  \
				__LINE__, #a, #b, (size_t)(n));                       \
			t_hexdump("got     ", (const uint8_t *)(a), (n));             \
			t_hexdump("expected", (const uint8_t *)(b), (n));             \
			t_failed_checks++;                                            \
		}                                                                     \
	} while (0)

/* Decode a hex literal into a static-size buffer; returns its length. */
static inline size_t t_unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1;
	for (; *s; s++) {
		int v;
		if (*s >= '0' && *s <= '9') v = *s - '0';
		else if (*s >= 'a' && *s <= 'f') v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F') v = *s - 'A' + 10;
		else continue;
		if (hi < 0) { hi = v; continue; }
		if (n < max) out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return n;
}

#define T_RUN(fn)                                                                     \
	do {                                                                          \
		int t_before_ = t_failed_checks;                                      \
		fn();                                                                 \
		if (t_failed_checks == t_before_) {                                   \
			printf("ok   %s\n", #fn);                                        \
			t_tests_passed++;                                             \
		} else {                                                              \
			printf("FAIL %s\n", #fn);                                        \
			t_tests_failed++;                                             \
		}                                                                     \
		fflush(stdout);                                                       \
	} while (0)

#define T_DONE()                                                                      \
	do {                                                                          \
		printf("# %d passed, %d failed\n", t_tests_passed, t_tests_failed);   \
		return t_tests_failed ? 1 : 0;                                        \
	} while (0)

#endif
