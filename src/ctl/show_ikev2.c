/* show crypto ikev2 sa [detail] — layout of the ASA (seed document and
 * protocol.md §3.2):
 *
 *   IKEv2 SAs:
 *
 *   Session-id:2, Status:UP-ACTIVE, IKE count:1, CHILD count:1
 *
 *   Tunnel-id           Local                Remote              Status              Role
 *   55182129            10.0.0.1/4500        192.168.1.1/25171  READY              RESPONDER
 *       Encr: AES-CBC, keysize: 192, Hash: SHA96, DH Grp:1, Auth sign: RSA, Auth verify: EAP
 *       Life/Active Time: 86400/112 sec
 *   Child sa: local selector 0.0.0.0/0 - 255.255.255.255/65535
 *             remote selector 10.2.2.1/0 - 10.2.2.1/65535
 *             ESP spi in/out: 0x30b848a4/0x77ee5348
 *
 * IKE SAs are grouped by session (a rekeyed IKE SA shares the session of
 * the SA it replaces), sessions in order of their first SA. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/names.h"
#include "ctl/show.h"

struct ordered {
	const struct ike_sa *sa;
	size_t idx;              /* creation order */
	size_t first;            /* creation order of the session's first SA */
};

static int cmp_ordered(const void *a, const void *b)
{
	const struct ordered *x = a, *y = b;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int cmp_by_session(const void *a, const void *b)
{
	const struct ordered *x = a, *y = b;
	if (x->sa->session_id != y->sa->session_id)
		return x->sa->session_id < y->sa->session_id ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Listed IKEv2 SAs grouped by session, O(n log n) so that a show over
 * 100k SAs stays fast.  Caller frees.  Returns false when out of memory. */
static bool order_by_session(const struct ctl_sa_list *l, struct ordered **out, size_t *n_out)
{
	struct ordered *o = calloc(l->n ? l->n : 1, sizeof(*o));
	size_t n = 0;
	*out = o;
	*n_out = 0;
	if (!o)
		return false;
	for (size_t i = 0; i < l->n; i++)
		if (show_sa_listed(l->sa[i], IKE_V2))
			o[n++] = (struct ordered){ l->sa[i], i, 0 };
	qsort(o, n, sizeof(*o), cmp_by_session);
	for (size_t i = 0; i < n; i++)
		o[i].first = (i > 0 && o[i - 1].sa->session_id == o[i].sa->session_id)
				     ? o[i - 1].first : o[i].idx;
	qsort(o, n, sizeof(*o), cmp_ordered);
	*n_out = n;
	return true;
}

/* Session status over all its IKE SAs: UP-ACTIVE once one is established. */
static const char *session_status(const struct ordered *o, size_t n)
{
	bool neg = false;
	for (size_t i = 0; i < n; i++) {
		if (o[i].sa->state == IKE_STATE_ESTABLISHED)
			return "UP-ACTIVE";
		if (o[i].sa->state <= IKE_STATE_AUTH_FINAL)
			neg = true;
	}
	return neg ? "UP-IN-NEG" : "DOWN";
}

static const char *tunnel_status(const struct ike_sa *sa)
{
	switch (sa->state) {
	case IKE_STATE_INIT_DONE:
	case IKE_STATE_AUTH_EAP:
	case IKE_STATE_AUTH_FINAL:
		return "IN-NEG";
	case IKE_STATE_ESTABLISHED:
		return "READY";
	case IKE_STATE_REKEYED:
	case IKE_STATE_DELETING:
	case IKE_STATE_DEAD:
		break;
	}
	return "DELETE";
}

static const char *status_description(const struct ike_sa *sa)
{
	switch (sa->state) {
	case IKE_STATE_INIT_DONE: return "Initial exchange done";
	case IKE_STATE_AUTH_EAP: return "EAP authentication in progress";
	case IKE_STATE_AUTH_FINAL: return "Waiting for the final AUTH";
	case IKE_STATE_ESTABLISHED: return "Negotiation done";
	case IKE_STATE_REKEYED: return "Rekeyed, waiting for delete";
	case IKE_STATE_DELETING: return "Deleting";
	case IKE_STATE_DEAD: break;
	}
	return "Deleted";
}

static const char *nat_text(const struct ike_sa *sa)
{
	if (sa->nat_remote)
		return "outside";
	if (sa->nat_local)
		return "inside";
	return NULL;
}

static void endpoint(char *out, size_t len, const struct sockaddr_in *a)
{
	char ip[FMT_IP_LEN];
	snprintf(out, len, "%s/%u", fmt_ip(ntohl(a->sin_addr.s_addr), ip), ntohs(a->sin_port));
}

static uint64_t local_spi(const struct ike_sa *sa)
{
	return sa->initiator ? sa->spi_i : sa->spi_r;
}

static uint64_t remote_spi(const struct ike_sa *sa)
{
	return sa->initiator ? sa->spi_r : sa->spi_i;
}

/* The ASA's message-ID lines; with a window of 1, "req mess id" is the
 * request in flight (or the next one) and "queued" follows it. */
static uint32_t local_req_id(const struct ike_sa *sa)
{
	return sa->our_request_pending ? sa->our_pending_id : sa->our_next_id;
}

static size_t session_children(const struct ordered *o, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += show_child_count(o[i].sa);
	return c;
}

/* ---- text -------------------------------------------------------------- */

static void text_tunnel_row(struct buf *b, const struct ike_sa *sa)
{
	char loc[32], rem[32], id[16];
	size_t start = b->len;
	endpoint(loc, sizeof(loc), &sa->local);
	endpoint(rem, sizeof(rem), &sa->remote);
	snprintf(id, sizeof(id), "%u", sa->tunnel_id);
	/* Columns as the seed prints them: 20, 21, 19, 19 wide. */
	buf_printf(b, "%s", id);
	fmt_pad_to(b, start, 20, 1);
	buf_printf(b, "%s", loc);
	fmt_pad_to(b, start, 41, 1);
	buf_printf(b, "%s", rem);
	fmt_pad_to(b, start, 60, 1);
	buf_printf(b, "%s", tunnel_status(sa));
	fmt_pad_to(b, start, 79, 1);
	buf_printf(b, "%s\n", sa->initiator ? "INITIATOR" : "RESPONDER");
}

static void text_tunnel_algs(struct buf *b, const struct ike_sa *sa, const struct ctl_clock *now)
{
	buf_printf(b, "    Encr: %s", ctl_name_encr(sa->encr_id, sa->encr_bits)->ike);
	if (sa->encr_bits)
		buf_printf(b, ", keysize: %u", sa->encr_bits);
	buf_printf(b, ", Hash: %s, DH Grp:%u, Auth sign: %s, Auth verify: %s\n",
		   ctl_name_integ(sa->integ_id)->ike, sa->dh_group, ctl_name_auth(sa->auth_sign),
		   ctl_name_auth(sa->auth_verify));
	buf_printf(b, "    Life/Active Time: %" PRIu32 "/%" PRIu64 " sec\n", sa->lifetime_sec,
		   fmt_elapsed(sa->created, now->wall));
}

/* Two values on one line, the second at column 42 (column 41 for the SPIs),
 * as the seed prints them. */
static void text_two(struct buf *b, size_t col, const char *fmt1, uint64_t v1, const char *fmt2,
		     uint64_t v2)
{
	size_t start = b->len;
	buf_printf(b, "    %s: %" PRIu64, fmt1, v1);
	fmt_pad_to(b, start, col, 1);
	buf_printf(b, "%s: %" PRIu64 "\n", fmt2, v2);
}

static void text_tunnel_detail(struct buf *b, const struct ike_sa *sa)
{
	char lid[256], rid[256], ip[FMT_IP_LEN];
	size_t start;
	fmt_clean(lid, sizeof(lid), sa->local_id);
	fmt_clean(rid, sizeof(rid), sa->remote_id);
	buf_printf(b, "    Session-id: %" PRIu32 "\n", sa->session_id);
	buf_printf(b, "    Status Description: %s\n", status_description(sa));
	start = b->len;
	buf_printf(b, "    Local spi: %016" PRIX64, local_spi(sa));
	fmt_pad_to(b, start, 41, 1);
	buf_printf(b, "Remote spi: %016" PRIX64 "\n", remote_spi(sa));
	buf_printf(b, "    Local id: %s\n", lid);
	buf_printf(b, "    Remote id: %s\n", rid);
	text_two(b, 42, "Local req mess id", local_req_id(sa), "Remote req mess id", sa->peer_next_id);
	text_two(b, 42, "Local next mess id", sa->our_next_id, "Remote next mess id",
		 sa->peer_next_id);
	text_two(b, 42, "Local req queued", local_req_id(sa), "Remote req queued", sa->peer_next_id);
	text_two(b, 42, "Local window", 1, "Remote window", 1);
	buf_printf(b, "    DPD configured for %u seconds, retry %u\n", sa->dpd_interval,
		   sa->dpd_retry);
	if (nat_text(sa))
		buf_printf(b, "    NAT-T is detected %s\n", nat_text(sa));
	else
		buf_printf(b, "    NAT-T is not detected\n");
	if (sa->assigned_addr)
		buf_printf(b, "    Assigned host addr: %s\n", fmt_ip(sa->assigned_addr, ip));
}

static void text_child(struct buf *b, const struct child_sa *c, bool detail)
{
	char sel[64];
	show_selector(sel, sizeof(sel), &c->local_ts);
	buf_printf(b, "Child sa: local selector %s\n", sel);
	show_selector(sel, sizeof(sel), &c->remote_ts);
	buf_printf(b, "          remote selector %s\n", sel);
	buf_printf(b, "          ESP spi in/out: 0x%" PRIx32 "/0x%" PRIx32 "\n", c->spi_in,
		   c->spi_out);
	if (!detail)
		return;
	buf_printf(b, "          AH spi in/out: 0x0/0x0\n");
	buf_printf(b, "          CPI in/out: 0x0/0x0\n");
	buf_printf(b, "          Encr: %s", ctl_name_encr(c->encr_id, c->encr_bits)->ike);
	if (c->encr_bits)
		buf_printf(b, ", keysize: %u", c->encr_bits);
	buf_printf(b, ", esp_hmac: %s\n", ctl_name_integ(c->integ_id)->ike);
	buf_printf(b, "          ah_hmac: None, comp: IPCOMP_NONE, mode tunnel\n");
}

static void text_session(struct buf *b, const struct ordered *o, size_t n, bool detail,
			 const struct ctl_clock *now)
{
	buf_printf(b, "\nSession-id:%" PRIu32 ", Status:%s, IKE count:%zu, CHILD count:%zu\n\n",
		   o[0].sa->session_id, session_status(o, n), n, session_children(o, n));
	buf_printf(b, "Tunnel-id           Local                Remote              "
		      "Status              Role\n");
	for (size_t i = 0; i < n; i++) {
		const struct ike_sa *sa = o[i].sa;
		text_tunnel_row(b, sa);
		text_tunnel_algs(b, sa, now);
		if (detail)
			text_tunnel_detail(b, sa);
		for (const struct child_sa *c = sa->children; c; c = c->next)
			text_child(b, c, detail);
	}
}

static size_t session_len(const struct ordered *o, size_t n)
{
	size_t k = 1;
	while (k < n && o[k].sa->session_id == o[0].sa->session_id)
		k++;
	return k;
}

void show_ikev2_sa_text(struct buf *b, const struct ctl_sa_list *l, bool detail,
			const struct ctl_clock *now)
{
	size_t n;
	struct ordered *o;
	if (!order_by_session(l, &o, &n)) {
		b->oom = true;
		return;
	}
	if (n == 0) {
		buf_printf(b, "There are no IKEv2 SAs\n");
		free(o);
		return;
	}
	buf_printf(b, "IKEv2 SAs:\n");
	for (size_t i = 0; i < n;) {
		size_t k = session_len(o + i, n - i);
		text_session(b, o + i, k, detail, now);
		i += k;
	}
	free(o);
}

/* ---- JSON -------------------------------------------------------------- */

static void json_endpoint(struct json *j, const char *addr_key, const char *port_key,
			  const struct sockaddr_in *a)
{
	char ip[FMT_IP_LEN];
	json_str(j, addr_key, fmt_ip(ntohl(a->sin_addr.s_addr), ip));
	json_u64(j, port_key, ntohs(a->sin_port));
}

static void json_selector(struct json *j, const char *key, const struct ike_ts *ts)
{
	char ip[FMT_IP_LEN];
	json_obj_open(j, key);
	json_str(j, "start", fmt_ip(ts->start, ip));
	json_u64(j, "start_port", ts->port_start);
	json_str(j, "end", fmt_ip(ts->end, ip));
	json_u64(j, "end_port", ts->port_end);
	json_obj_close(j);
}

static void json_hex32(struct json *j, const char *key, uint32_t v)
{
	char s[16];
	snprintf(s, sizeof(s), "0x%" PRIx32, v);
	json_str(j, key, s);
}

static void json_hex64(struct json *j, const char *key, uint64_t v)
{
	char s[20];
	snprintf(s, sizeof(s), "%016" PRIX64, v);
	json_str(j, key, s);
}

static void json_child(struct json *j, const struct child_sa *c, bool detail)
{
	json_obj_open(j, NULL);
	json_selector(j, "local_selector", &c->local_ts);
	json_selector(j, "remote_selector", &c->remote_ts);
	json_hex32(j, "esp_spi_in", c->spi_in);
	json_hex32(j, "esp_spi_out", c->spi_out);
	if (detail) {
		json_hex32(j, "ah_spi_in", 0);
		json_hex32(j, "ah_spi_out", 0);
		json_hex32(j, "cpi_in", 0);
		json_hex32(j, "cpi_out", 0);
		json_str(j, "encr", ctl_name_encr(c->encr_id, c->encr_bits)->ike);
		json_u64(j, "keysize", c->encr_bits);
		json_str(j, "esp_hmac", ctl_name_integ(c->integ_id)->ike);
		json_str(j, "ah_hmac", "None");
		json_str(j, "comp", "IPCOMP_NONE");
		json_str(j, "mode", "tunnel");
	}
	json_obj_close(j);
}

static void json_tunnel_detail(struct json *j, const struct ike_sa *sa)
{
	char ip[FMT_IP_LEN];
	json_u64(j, "session_id", sa->session_id);
	json_str(j, "status_description", status_description(sa));
	json_hex64(j, "local_spi", local_spi(sa));
	json_hex64(j, "remote_spi", remote_spi(sa));
	json_str(j, "local_id", sa->local_id ? sa->local_id : "");
	json_str(j, "remote_id", sa->remote_id ? sa->remote_id : "");
	json_u64(j, "local_req_mess_id", local_req_id(sa));
	json_u64(j, "remote_req_mess_id", sa->peer_next_id);
	json_u64(j, "local_next_mess_id", sa->our_next_id);
	json_u64(j, "remote_next_mess_id", sa->peer_next_id);
	json_u64(j, "local_req_queued", local_req_id(sa));
	json_u64(j, "remote_req_queued", sa->peer_next_id);
	json_u64(j, "local_window", 1);
	json_u64(j, "remote_window", 1);
	json_u64(j, "dpd_interval", sa->dpd_interval);
	json_u64(j, "dpd_retry", sa->dpd_retry);
	json_str(j, "nat_t", nat_text(sa) ? nat_text(sa) : "none");
	json_str(j, "assigned_host_addr", sa->assigned_addr ? fmt_ip(sa->assigned_addr, ip) : NULL);
}

static void json_tunnel(struct json *j, const struct ike_sa *sa, bool detail,
			const struct ctl_clock *now)
{
	json_obj_open(j, NULL);
	json_u64(j, "tunnel_id", sa->tunnel_id);
	json_endpoint(j, "local_addr", "local_port", &sa->local);
	json_endpoint(j, "remote_addr", "remote_port", &sa->remote);
	json_str(j, "status", tunnel_status(sa));
	json_str(j, "role", sa->initiator ? "INITIATOR" : "RESPONDER");
	json_str(j, "encr", ctl_name_encr(sa->encr_id, sa->encr_bits)->ike);
	json_u64(j, "keysize", sa->encr_bits);
	json_str(j, "hash", ctl_name_integ(sa->integ_id)->ike);
	json_u64(j, "dh_group", sa->dh_group);
	json_str(j, "auth_sign", ctl_name_auth(sa->auth_sign));
	json_str(j, "auth_verify", ctl_name_auth(sa->auth_verify));
	json_u64(j, "lifetime", sa->lifetime_sec);
	json_u64(j, "active_time", fmt_elapsed(sa->created, now->wall));
	if (detail)
		json_tunnel_detail(j, sa);
	json_arr_open(j, "children");
	for (const struct child_sa *c = sa->children; c; c = c->next)
		json_child(j, c, detail);
	json_arr_close(j);
	json_obj_close(j);
}

void show_ikev2_sa_json(struct json *j, const struct ctl_sa_list *l, bool detail,
			const struct ctl_clock *now)
{
	show_ikev2_sa_json_key(j, NULL, l, detail, now);
}

void show_ikev2_sa_json_key(struct json *j, const char *key, const struct ctl_sa_list *l,
			    bool detail, const struct ctl_clock *now)
{
	size_t n;
	struct ordered *o;
	if (!order_by_session(l, &o, &n)) {
		j->b->oom = true;
		return;
	}
	json_obj_open(j, key);
	json_arr_open(j, "sessions");
	for (size_t i = 0; i < n;) {
		size_t k = session_len(o + i, n - i);
		json_obj_open(j, NULL);
		json_u64(j, "session_id", o[i].sa->session_id);
		json_str(j, "status", session_status(o + i, k));
		json_u64(j, "ike_count", k);
		json_u64(j, "child_count", session_children(o + i, k));
		json_arr_open(j, "tunnels");
		for (size_t t = 0; t < k; t++)
			json_tunnel(j, o[i + t].sa, detail, now);
		json_arr_close(j);
		json_obj_close(j);
		i += k;
	}
	json_arr_close(j);
	json_obj_close(j);
	free(o);
}
