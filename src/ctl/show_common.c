#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>

#include "ctl/names.h"
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

struct show_counts show_child_counts(const struct child_sa *c)
{
	return (struct show_counts){
		.bytes_tx = c->bytes_out, .bytes_rx = c->bytes_in,
		.pkts_tx = c->pkts_out, .pkts_rx = c->pkts_in,
		.drop_tx = c->send_errors,
		.drop_rx = c->pkts_decrypt_fail + c->pkts_replay + c->recv_errors,
	};
}

struct show_counts show_sa_counts(const struct ike_sa *sa)
{
	struct show_counts t = { 0 };
	for (const struct child_sa *c = sa->children; c; c = c->next) {
		struct show_counts x = show_child_counts(c);
		t.bytes_tx += x.bytes_tx;
		t.bytes_rx += x.bytes_rx;
		t.pkts_tx += x.pkts_tx;
		t.pkts_rx += x.pkts_rx;
		t.drop_tx += x.drop_tx;
		t.drop_rx += x.drop_rx;
	}
	return t;
}

const char *show_sess_user(const struct ike_sa *sa)
{
	if (sa->username)
		return sa->username;
	return sa->remote_id ? sa->remote_id : "";
}

/* Minutes left before the idle timeout, counted from the last message the
 * peer sent (monotonic clock). */
unsigned show_idle_left(const struct ike_sa *sa, unsigned idle_min, const struct ctl_clock *now)
{
	uint64_t last = sa->last_rx_ms ? sa->last_rx_ms : sa->created_ms;
	uint64_t idle_ms = now->mono_ms > last ? now->mono_ms - last : 0;
	uint64_t limit = (uint64_t)idle_min * 60000u;
	return idle_ms >= limit ? 0 : (unsigned)((limit - idle_ms) / 60000u);
}

uint64_t show_lifetime_left(uint32_t life, time_t created, const struct ctl_clock *now)
{
	uint64_t e = fmt_elapsed(created, now->wall);
	return e >= life ? 0 : life - e;
}

uint64_t show_kb_left(const struct child_sa *c)
{
	uint64_t used = (c->bytes_in + c->bytes_out) / 1024u;
	return used >= c->lifetime_kb ? 0 : c->lifetime_kb - used;
}

/* "Audt Sess ID": local address, session index and login time, 24 hex
 * digits like the ASA's. */
void show_audit_id(char *out, size_t len, const struct ike_sa *sa)
{
	snprintf(out, len, "%08" PRIx32 "%08" PRIx32 "%08" PRIx32,
		 (uint32_t)ntohl(sa->local.sin_addr.s_addr), sa->session_id, (uint32_t)sa->created);
}

/* ---- shared by vpn-sessiondb anyconnect and remote ---------------------- */

const char *show_ipsec_kind(const struct ike_sa *sa)
{
	return sa->nat_remote || sa->nat_local ? "IPsecOverNatT" : "IPsec";
}

void show_pair_u64(struct buf *b, const char *ind, const char *l1, uint64_t v1, const char *l2,
		   uint64_t v2)
{
	char a[24], z[24];
	snprintf(a, sizeof(a), "%" PRIu64, v1);
	snprintf(z, sizeof(z), "%" PRIu64, v2);
	fmt_pair(b, ind, l1, a, l2, z);
}

void show_counts_json(struct json *j, const struct show_counts *t, bool drops)
{
	json_u64(j, "bytes_tx", t->bytes_tx);
	json_u64(j, "bytes_rx", t->bytes_rx);
	json_u64(j, "pkts_tx", t->pkts_tx);
	json_u64(j, "pkts_rx", t->pkts_rx);
	if (drops) {
		json_u64(j, "pkts_tx_drop", t->drop_tx);
		json_u64(j, "pkts_rx_drop", t->drop_rx);
	}
}

/* One "IPsec:" block of a session (the CHILD SA c, sub-tunnel n). */
void show_ipsec_text(struct buf *b, const struct ike_sa *sa, const struct child_sa *c,
		       unsigned n, unsigned idle_min, const struct ctl_clock *now)
{
	char s[64], z[64];
	struct show_counts t = show_child_counts(c);
	buf_printf(b, "\n%s:\n", show_ipsec_kind(sa));
	snprintf(s, sizeof(s), "%" PRIu32 ".%u", sa->session_id, n);
	fmt_pair(b, "  ", "Tunnel ID", s, NULL, NULL);
	show_ident(s, sizeof(s), &c->local_ts);
	fmt_pair(b, "  ", "Local Addr", s, NULL, NULL);
	show_ident(s, sizeof(s), &c->remote_ts);
	fmt_pair(b, "  ", "Remote Addr", s, NULL, NULL);
	fmt_pair(b, "  ", "Encryption", ctl_name_encr(c->encr_id, c->encr_bits)->session, "Hashing",
		 ctl_name_integ(c->integ_id)->session);
	if (c->pfs_group) {
		snprintf(s, sizeof(s), "%u", c->pfs_group);
		fmt_pair(b, "  ", "Encapsulation", "Tunnel", "PFS Group", s);
	} else {
		fmt_pair(b, "  ", "Encapsulation", "Tunnel", NULL, NULL);
	}
	snprintf(s, sizeof(s), "%" PRIu32 " Seconds", c->lifetime_sec);
	snprintf(z, sizeof(z), "%" PRIu64 " Seconds",
		 show_lifetime_left(c->lifetime_sec, c->created, now));
	fmt_pair(b, "  ", "Rekey Int (T)", s, "Rekey Left(T)", z);
	if (c->lifetime_kb) {
		snprintf(s, sizeof(s), "%" PRIu64 " K-Bytes", c->lifetime_kb);
		snprintf(z, sizeof(z), "%" PRIu64 " K-Bytes", show_kb_left(c));
		fmt_pair(b, "  ", "Rekey Int (D)", s, "Rekey Left(D)", z);
	}
	snprintf(s, sizeof(s), "%u Minutes", idle_min);
	snprintf(z, sizeof(z), "%u Minutes", show_idle_left(sa, idle_min, now));
	fmt_pair(b, "  ", "Idle Time Out", s, "Idle TO Left", z);
	show_pair_u64(b, "  ", "Bytes Tx", t.bytes_tx, "Bytes Rx", t.bytes_rx);
	show_pair_u64(b, "  ", "Pkts Tx", t.pkts_tx, "Pkts Rx", t.pkts_rx);
}

void show_ipsec_json(struct json *j, const struct ike_sa *sa, const struct child_sa *c,
		       unsigned n, unsigned idle_min, const struct ctl_clock *now)
{
	char s[64];
	struct show_counts t = show_child_counts(c);
	json_obj_open(j, NULL);
	snprintf(s, sizeof(s), "%" PRIu32 ".%u", sa->session_id, n);
	json_str(j, "tunnel_id", s);
	json_str(j, "type", show_ipsec_kind(sa));
	show_ident(s, sizeof(s), &c->local_ts);
	json_str(j, "local_addr", s);
	show_ident(s, sizeof(s), &c->remote_ts);
	json_str(j, "remote_addr", s);
	json_str(j, "encryption", ctl_name_encr(c->encr_id, c->encr_bits)->session);
	json_str(j, "hashing", ctl_name_integ(c->integ_id)->session);
	json_str(j, "encapsulation", "Tunnel");
	json_u64(j, "pfs_group", c->pfs_group);
	json_u64(j, "rekey_int_t", c->lifetime_sec);
	json_u64(j, "rekey_left_t", show_lifetime_left(c->lifetime_sec, c->created, now));
	json_u64(j, "rekey_int_d", c->lifetime_kb);
	json_u64(j, "rekey_left_d", show_kb_left(c));
	json_u64(j, "idle_time_out", idle_min);
	json_u64(j, "idle_to_left", show_idle_left(sa, idle_min, now));
	show_counts_json(j, &t, false);
	json_obj_close(j);
}

/* The part of a session record after Protocol/License/algorithms, the same
 * for AnyConnect and remote-access sessions: counters, policy, times. */
void show_session_tail_text(struct buf *b, const struct ike_sa *sa, const char *gp,
			    const char *tg, bool detail, const struct ctl_clock *now)
{
	char s[256];
	struct show_counts t = show_sa_counts(sa);
	show_pair_u64(b, "", "Bytes Tx", t.bytes_tx, "Bytes Rx", t.bytes_rx);
	if (detail) {
		show_pair_u64(b, "", "Pkts Tx", t.pkts_tx, "Pkts Rx", t.pkts_rx);
		show_pair_u64(b, "", "Pkts Tx Drop", t.drop_tx, "Pkts Rx Drop", t.drop_rx);
	}
	fmt_pair(b, "", "Group Policy", gp, "Tunnel Group", tg);
	fmt_login_time(s, sizeof(s), sa->created);
	fmt_pair(b, "", "Login Time", s, NULL, NULL);
	fmt_duration(s, sizeof(s), fmt_elapsed(sa->created, now->wall));
	fmt_pair(b, "", "Duration", s, NULL, NULL);
	fmt_pair(b, "", "Inactivity", "0h:00m:00s", NULL, NULL);
	if (detail)
		fmt_pair(b, "", "NAC Result", "Unknown", NULL, NULL);
	fmt_pair(b, "", "VLAN Mapping", "N/A", "VLAN", "none");
	if (!detail) {
		show_audit_id(s, sizeof(s), sa);
		fmt_pair(b, "", "Audt Sess ID", s, NULL, NULL);
		fmt_pair(b, "", "Security Grp", "none", NULL, NULL);
	}
}
