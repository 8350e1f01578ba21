/* show ip local pool [NAME] and show crypto ca certificates [TP]. */
#include <stdio.h>
#include <string.h>

#include "ctl/show.h"

/* ---- show ip local pool ------------------------------------------------- */

static bool pool_selected(const struct pool_stats *s, const char *name)
{
	return !name || strcmp(s->name, name) == 0;
}

/* A pool without a mask hands out /32 addresses. */
static uint32_t pool_mask(const struct pool_stats *s)
{
	return s->mask ? s->mask : 0xffffffffu;
}

/* ravpn holds no addresses for disconnected sessions: "Held" is 0. */
void show_pool_text(struct buf *b, const struct pool_stats *s, size_t n, const char *name)
{
	char a[FMT_IP_LEN], z[FMT_IP_LEN], m[FMT_IP_LEN];
	size_t start = b->len;
	if (!name)
		buf_printf(b, "%-16s", "Pool");
	buf_printf(b, "Begin           End             Mask            Free     Held     In use\n");
	for (size_t i = 0; i < n; i++) {
		if (!pool_selected(&s[i], name))
			continue;
		if (!name) {
			size_t row = b->len;
			buf_printf(b, "%s", s[i].name);
			fmt_pad_to(b, row, 16, 1);
		}
		buf_printf(b, "%-16s%-16s%-16s%-9zu%-9u%zu\n", fmt_ip(s[i].first, a),
			   fmt_ip(s[i].last, z), fmt_ip(pool_mask(&s[i]), m),
			   s[i].size - s[i].in_use, 0u, s[i].in_use);
	}
	fmt_trim_lines(b, start);
}

void show_pool_json(struct json *j, const struct pool_stats *s, size_t n, const char *name)
{
	char ip[FMT_IP_LEN];
	json_obj_open(j, NULL);
	json_arr_open(j, "pools");
	for (size_t i = 0; i < n; i++) {
		if (!pool_selected(&s[i], name))
			continue;
		json_obj_open(j, NULL);
		json_str(j, "name", s[i].name);
		json_str(j, "begin", fmt_ip(s[i].first, ip));
		json_str(j, "end", fmt_ip(s[i].last, ip));
		json_str(j, "mask", fmt_ip(pool_mask(&s[i]), ip));
		json_u64(j, "size", s[i].size);
		json_u64(j, "free", s[i].size - s[i].in_use);
		json_u64(j, "held", 0);
		json_u64(j, "in_use", s[i].in_use);
		json_u64(j, "peak", s[i].peak);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}

/* ---- show crypto ca certificates ---------------------------------------- */

/* The subject one RDN per line as the ASA prints it ("CN=a, O=b": the
 * separator is ", " not preceded by a backslash escape). */
static void text_subject(struct buf *b, const char *subject)
{
	char line[512];
	size_t n = 0;
	for (const char *p = subject ? subject : ""; ; p++) {
		bool sep = (p[0] == ',' && p[1] == ' ' && (p == subject || p[-1] != '\\'));
		if (*p == '\0' || sep) {
			line[n] = '\0';
			char clean[512];
			fmt_clean(clean, sizeof(clean), line);
			buf_printf(b, "    %s\n", clean);
			n = 0;
			if (*p == '\0')
				break;
			p++;
			continue;
		}
		if (n + 1 < sizeof(line))
			line[n++] = *p;
	}
}

void show_certs_text(struct buf *b, const struct show_cert *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_put_u8(b, '\n');
		buf_printf(b, "%s\n  Status: Available\n", c[i].ca ? "CA Certificate" : "Certificate");
		buf_printf(b, "  Subject Name:\n");
		text_subject(b, c[i].subject);
		buf_printf(b, "  Associated Trustpoints: %s\n", c[i].trustpoint);
		const char *pem = c[i].pem ? c[i].pem : "";
		buf_printf(b, "%s", pem);
		if (pem[0] && pem[strlen(pem) - 1] != '\n')
			buf_put_u8(b, '\n');
	}
}

void show_certs_json(struct json *j, const struct show_cert *c, size_t n)
{
	json_obj_open(j, NULL);
	json_arr_open(j, "certificates");
	for (size_t i = 0; i < n; i++) {
		json_obj_open(j, NULL);
		json_str(j, "type", c[i].ca ? "CA Certificate" : "Certificate");
		json_str(j, "status", "Available");
		json_str(j, "subject", c[i].subject);
		json_str(j, "trustpoint", c[i].trustpoint);
		json_str(j, "pem", c[i].pem);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}
