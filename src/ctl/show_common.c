#include <stdio.h>

#include "ctl/show.h"

bool show_sa_listed(const struct ike_sa *sa, enum ike_version v)
{
	return sa->version == v && sa->state != IKE_STATE_DEAD;
}

/* A session (vpn-sessiondb) is an established IKE SA; the SA it replaced
 * during a rekey is not a second session. */
bool show_session_listed(const struct ike_sa *sa, enum ike_version v)
{
	return sa->version == v && sa->state == IKE_STATE_ESTABLISHED;
}

void show_selector(char *out, size_t len, const struct ike_ts *ts)
{
	char a[FMT_IP_LEN], z[FMT_IP_LEN];
	snprintf(out, len, "%s/%u - %s/%u", fmt_ip(ts->start, a), ts->port_start,
		 fmt_ip(ts->end, z), ts->port_end);
}

/* A range that is a CIDR block prints as addr/mask; any other range
 * prints its start with the mask of the largest block it starts. */
static uint32_t range_mask(uint32_t start, uint32_t end)
{
	for (unsigned bits = 0; bits <= 32; bits++) {
		uint32_t m = fmt_prefix_mask(bits);
		if ((start & m) == start && (start | ~m) == end)
			return m;
	}
	return 0xffffffffu;
}

void show_ident(char *out, size_t len, const struct ike_ts *ts)
{
	char a[FMT_IP_LEN], m[FMT_IP_LEN];
	unsigned port = (ts->port_start == 0 && ts->port_end == 65535) ? 0 : ts->port_start;
	snprintf(out, len, "%s/%s/%u/%u", fmt_ip(ts->start, a),
		 fmt_ip(range_mask(ts->start, ts->end), m), ts->proto, port);
}

size_t show_child_count(const struct ike_sa *sa)
{
	size_t n = 0;
	for (const struct child_sa *c = sa->children; c; c = c->next)
		n++;
	return n;
}
