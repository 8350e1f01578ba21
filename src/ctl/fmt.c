#include "ctl/fmt.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

char *fmt_ip(uint32_t host, char out[FMT_IP_LEN])
{
	snprintf(out, FMT_IP_LEN, "%u.%u.%u.%u", host >> 24, (host >> 16) & 0xff,
		 (host >> 8) & 0xff, host & 0xff);
	return out;
}

uint32_t fmt_prefix_mask(unsigned bits)
{
	if (bits == 0)
		return 0;
	if (bits >= 32)
		return 0xffffffffu;
	return ~((UINT32_C(1) << (32 - bits)) - 1);
}

void fmt_duration(char *out, size_t len, uint64_t secs)
{
	uint64_t d = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60, s = secs % 60;
	if (d)
		snprintf(out, len, "%" PRIu64 "d %" PRIu64 "h:%02" PRIu64 "m:%02" PRIu64 "s",
			 d, h, m, s);
	else
		snprintf(out, len, "%" PRIu64 "h:%02" PRIu64 "m:%02" PRIu64 "s", h, m, s);
}

void fmt_login_time(char *out, size_t len, time_t t)
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	char zone[16];
	if (!localtime_r(&t, &tm)) {
		snprintf(out, len, "unknown");
		return;
	}
	if (strftime(zone, sizeof(zone), "%Z", &tm) == 0)
		snprintf(zone, sizeof(zone), "UTC");
	/* The ASA prints the day of month without padding: "Mon Nov 7 2022". */
	snprintf(out, len, "%02d:%02d:%02d %s %s %s %d %d", tm.tm_hour, tm.tm_min, tm.tm_sec,
		 zone, wd[tm.tm_wday % 7], mo[tm.tm_mon % 12], tm.tm_mday, tm.tm_year + 1900);
}

uint64_t fmt_elapsed(time_t from, time_t now)
{
	if (from == 0 || now < from)
		return 0;
	return (uint64_t)(now - from);
}

void fmt_pad_to(struct buf *b, size_t line_start, size_t col, size_t min)
{
	size_t cur = b->len - line_start;
	size_t n = cur < col ? col - cur : 0;
	if (n < min)
		n = min;
	while (n--)
		buf_put_u8(b, ' ');
}

void fmt_pair(struct buf *b, const char *indent, const char *l1, const char *v1,
	      const char *l2, const char *v2)
{
	size_t start = b->len;
	buf_printf(b, "%s%-13s: %s", indent, l1, v1 ? v1 : "");
	if (l2) {
		fmt_pad_to(b, start, strlen(indent) + 38, 1);
		buf_printf(b, "%-13s: %s", l2, v2 ? v2 : "");
	}
	buf_put_u8(b, '\n');
	fmt_trim_lines(b, start);
}

void fmt_clean(char *out, size_t len, const char *s)
{
	size_t i = 0;
	if (len == 0)
		return;
	for (; s && *s && i + 1 < len; s++)
		out[i++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
	out[i] = '\0';
}

void fmt_trim_lines(struct buf *b, size_t from)
{
	if (b->oom)
		return;
	size_t w = from;
	size_t spaces = 0;
	for (size_t r = from; r < b->len; r++) {
		uint8_t c = b->data[r];
		if (c == ' ') {
			spaces++;
			continue;
		}
		if (c != '\n') {
			memset(b->data + w, ' ', spaces);
			w += spaces;
		}
		spaces = 0;
		b->data[w++] = c;
	}
	memset(b->data + w, ' ', spaces);
	w += spaces;
	b->len = w;
}
