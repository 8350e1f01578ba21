/* The show formatters: pure functions from SA lists, configuration and
 * counters to ASA-style text or to JSON with the same fields.  The command
 * handlers (cmd_*.c) collect the inputs and call these; the unit tests
 * call them directly with hand-built structs. */
#ifndef RAVPN_CTL_SHOW_H
#define RAVPN_CTL_SHOW_H

#include <stdbool.h>
#include <stddef.h>

#include "aaa/pool.h"
#include "auth/trustpoint.h"
#include "base/buf.h"
#include "ctl/fmt.h"
#include "ctl/json.h"
#include "ike/core/sa.h"

/* An SA list as the show commands see it (creation order). */
struct ctl_sa_list {
	const struct ike_sa *const *sa;
	size_t n;
};

/* show crypto ikev2 sa [detail] */
void show_ikev2_sa_text(struct buf *b, const struct ctl_sa_list *l, bool detail,
			const struct ctl_clock *now);
void show_ikev2_sa_json(struct json *j, const struct ctl_sa_list *l, bool detail,
			const struct ctl_clock *now);

/* show vpn-sessiondb [detail] anyconnect: established IKEv2 sessions.
 * idle_min(sa) gives the group-policy idle timeout in minutes (0 = none). */
struct ctl_session_opts {
	bool detail;
	unsigned (*idle_min)(const struct ike_sa *sa, void *arg);
	void *arg;
};
void show_sessions_text(struct buf *b, const struct ctl_sa_list *l,
			const struct ctl_session_opts *o, const struct ctl_clock *now);
void show_sessions_json(struct json *j, const struct ctl_sa_list *l,
			const struct ctl_session_opts *o, const struct ctl_clock *now);

/* show vpn-sessiondb [summary] */
struct ctl_session_totals;
void show_session_summary_text(struct buf *b, const struct ctl_sa_list *l,
			       const struct ctl_session_totals *t);
void show_session_summary_json(struct json *j, const struct ctl_sa_list *l,
			       const struct ctl_session_totals *t);

/* show crypto ipsec sa */
void show_ipsec_sa_text(struct buf *b, const struct ctl_sa_list *l, const struct ctl_clock *now);
void show_ipsec_sa_json(struct json *j, const struct ctl_sa_list *l, const struct ctl_clock *now);

/* show ip local pool [NAME]: name NULL lists every pool. */
void show_pool_text(struct buf *b, const struct pool_stats *s, size_t n, const char *name);
void show_pool_json(struct json *j, const struct pool_stats *s, size_t n, const char *name);

/* show crypto ca certificates [TP]: one entry per certificate, built by
 * the command handler from the trustpoint store. */
struct show_cert {
	bool ca;                 /* "CA Certificate" (verifies clients) or ours */
	const char *subject;     /* one line, "CN=gw, O=Example" */
	const char *pem;
	const char *trustpoint;
};
void show_certs_text(struct buf *b, const struct show_cert *c, size_t n);
void show_certs_json(struct json *j, const struct show_cert *c, size_t n);

/* Shared by the formatters. */
bool show_sa_listed(const struct ike_sa *sa, enum ike_version v);
bool show_session_listed(const struct ike_sa *sa, enum ike_version v);
void show_selector(char *out, size_t len, const struct ike_ts *ts);
/* "0.0.0.0/0.0.0.0/0/0": the selector as addr/mask/prot/port. */
void show_ident(char *out, size_t len, const struct ike_ts *ts);
size_t show_child_count(const struct ike_sa *sa);

#endif
