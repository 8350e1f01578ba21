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
/* The same object as the value of `key` inside an open object (show crypto
 * isakmp sa --json: {"ikev1": {...}, "ikev2": {...}}). */
void show_ikev2_sa_json_key(struct json *j, const char *key, const struct ctl_sa_list *l,
			    bool detail, const struct ctl_clock *now);

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

/* Session numbers (show vpn-sessiondb): bytes and packets from the CHILD
 * SA counters that esp/ fills. */
struct show_counts {
	uint64_t bytes_tx, bytes_rx, pkts_tx, pkts_rx, drop_tx, drop_rx;
};
struct show_counts show_child_counts(const struct child_sa *c);
struct show_counts show_sa_counts(const struct ike_sa *sa);
/* The XAUTH/EAP user name, else the peer's identity, else "". */
const char *show_sess_user(const struct ike_sa *sa);
unsigned show_idle_left(const struct ike_sa *sa, unsigned idle_min, const struct ctl_clock *now);
uint64_t show_lifetime_left(uint32_t life, time_t created, const struct ctl_clock *now);
uint64_t show_kb_left(const struct child_sa *c);
/* Pieces of the vpn-sessiondb records (AnyConnect and remote access). */
const char *show_ipsec_kind(const struct ike_sa *sa);    /* "IPsec" / "IPsecOverNatT" */
void show_pair_u64(struct buf *b, const char *ind, const char *l1, uint64_t v1, const char *l2,
		   uint64_t v2);
void show_counts_json(struct json *j, const struct show_counts *t, bool drops);
void show_session_tail_text(struct buf *b, const struct ike_sa *sa, const char *gp,
			    const char *tg, bool detail, const struct ctl_clock *now);
void show_ipsec_text(struct buf *b, const struct ike_sa *sa, const struct child_sa *c,
		     unsigned n, unsigned idle_min, const struct ctl_clock *now);
void show_ipsec_json(struct json *j, const struct ike_sa *sa, const struct child_sa *c,
		     unsigned n, unsigned idle_min, const struct ctl_clock *now);
void show_audit_id(char *out, size_t len, const struct ike_sa *sa);

/* show crypto isakmp sa [detail] (IKEv1 block, then the IKEv2 one) and
 * show crypto ikev1 sa [detail] (IKEv1 only). */
void show_ikev1_sa_text(struct buf *b, const struct ctl_sa_list *l, bool detail,
			const struct ctl_clock *now);
void show_ikev1_sa_json(struct json *j, const struct ctl_sa_list *l, bool detail,
			const struct ctl_clock *now);
void show_ikev1_sa_json_key(struct json *j, const char *key, const struct ctl_sa_list *l,
			    bool detail, const struct ctl_clock *now);

/* show vpn-sessiondb [detail] remote: established IKEv1 (Cisco VPN Client)
 * sessions; the same options as anyconnect. */
void show_remote_text(struct buf *b, const struct ctl_sa_list *l,
		      const struct ctl_session_opts *o, const struct ctl_clock *now);
void show_remote_json(struct json *j, const struct ctl_sa_list *l,
		      const struct ctl_session_opts *o, const struct ctl_clock *now);

/* show uauth: IKEv1 users authenticated by XAUTH.  t gives the "Most
 * Seen" column (NULL: the daemon keeps no history and it prints "-");
 * timeout_sec/inactivity from "timeout uauth" (0 = the ASA default). */
struct ctl_uauth_totals {
	uint64_t users_most_seen, in_progress_most_seen;
};
struct show_uauth_opts {
	const struct ctl_uauth_totals *t;
	unsigned timeout_sec;
	bool inactivity;
};
void show_uauth_text(struct buf *b, const struct ctl_sa_list *l, const struct show_uauth_opts *o);
void show_uauth_json(struct json *j, const struct ctl_sa_list *l, const struct show_uauth_opts *o);

#endif
