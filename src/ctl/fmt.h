/* Text helpers shared by the show formatters: addresses, durations and
 * times the way the ASA prints them, the two-column "Label : value" rows of
 * show vpn-sessiondb, and cleaning of peer-supplied strings. */
#ifndef RAVPN_CTL_FMT_H
#define RAVPN_CTL_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/buf.h"

/* The moment a show is taken: wall clock (Login Time, Active Time) and the
 * monotonic milliseconds of loop_now_ms() (inactivity).  Passed in so
 * that formatters are pure functions of their input. */
struct ctl_clock {
	time_t wall;
	uint64_t mono_ms;
};

#define FMT_IP_LEN 16
/* Dotted quad of a host-order address. */
char *fmt_ip(uint32_t host, char out[FMT_IP_LEN]);
/* Dotted quad of a prefix length (24 -> 255.255.255.0). */
uint32_t fmt_prefix_mask(unsigned bits);
/* "0h:02m:26s", or "52d 6h:35m:23s" from one day on. */
void fmt_duration(char *out, size_t len, uint64_t secs);
/* "22:06:24 UTC Mon Apr 22 2013" in local time (TZ). */
void fmt_login_time(char *out, size_t len, time_t t);
/* Seconds from `from` to `now`, 0 if the clock went backwards or from is 0. */
uint64_t fmt_elapsed(time_t from, time_t now);

/* "Label        : value                  Label2       : value2": a label
 * padded to 13, ": ", the value padded to 23 (one space at least), the
 * second pair; trailing spaces are trimmed.  l2 NULL for one pair. */
void fmt_pair(struct buf *b, const char *indent, const char *l1, const char *v1,
	      const char *l2, const char *v2);

/* Copy a string that may come from a peer, replacing bytes outside
 * printable ASCII with '?' so that no peer can write escape sequences or
 * line breaks into the operator's terminal.  NULL becomes "". */
void fmt_clean(char *out, size_t len, const char *s);

/* Pad with spaces to column `col` counted from the start of the current
 * line, at least `min` spaces. */
void fmt_pad_to(struct buf *b, size_t line_start, size_t col, size_t min);

/* Drop trailing spaces before the final newline of each line written since
 * `from` (keeps golden outputs and terminals tidy). */
void fmt_trim_lines(struct buf *b, size_t from);

#endif
