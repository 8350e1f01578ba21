/* EAP server: full exchanges per method against a test-side peer, NAK,
 * identifier handling, malformed input and what reaches the log. */
#include "../t.h"

#include <time.h>

#include "auth/eap.h"
#include "base/buf.h"
#include "base/log.h"
#include "crypto/crypto.h"

/* ---- configuration: one user per stored password form ----------------------- */

static struct conf_user users[] = {
	{ .name = "alice", .password = "secret", .kind = PW_PLAIN },
	/* NT hash of "clientPass" */
	{ .name = "bob", .password = "44EBBA8D5312B8D611474411F56989AE", .kind = PW_NT_HASH },
	/* ASA "encrypted" form of "0123456789ab" for user "user" (ASA 9.6) */
	{ .name = "user", .password = "f.T4BKdzdNkjxQl7", .kind = PW_CISCO_MD5 },
	{ .name = "dave", .password = NULL, .kind = PW_NONE },
};
static struct conf test_conf = { .hostname = "gw", .users = users,
				 .n_users = sizeof(users) / sizeof(users[0]) };
static const struct aaa_ctx ctx = { .conf = &test_conf, .tunnel_group = "RA",
				    .peer = "192.0.2.7" };

/* ---- log capture --------------------------------------------------------------- */

static char logbuf[65536];
static size_t loglen;

static void capture(const char *line, void *arg)
{
	(void)arg;
	int n = snprintf(logbuf + loglen, sizeof(logbuf) - loglen, "%s\n", line);
	if (n > 0 && (size_t)n < sizeof(logbuf) - loglen)
		loglen += (size_t)n;
}

static void log_start(void)
{
	loglen = 0;
	logbuf[0] = '\0';
	log_set_sink(capture, NULL);
}

static void log_stop(void)
{
	log_set_sink(NULL, NULL);
}

/* ---- the test-side peer ------------------------------------------------------------ */

struct req {
	uint8_t code, id, type;
	uint16_t len;
	const uint8_t *data;     /* Type-Data */
	size_t dlen;
};

static bool parse(const struct buf *b, struct req *r)
{
	memset(r, 0, sizeof(*r));
	if (b->len < 4)
		return false;
	r->code = b->data[0];
	r->id = b->data[1];
	r->len = (uint16_t)(b->data[2] << 8 | b->data[3]);
	if (r->len != b->len)
		return false;
	if (r->len >= 5) {
		r->type = b->data[4];
		r->data = b->data + 5;
		r->dlen = b->len - 5;
	}
	return true;
}

static void resp(struct buf *b, uint8_t id, uint8_t type, const void *data, size_t n)
{
	buf_reset(b);
	buf_put_u8(b, EAP_CODE_RESPONSE);
	buf_put_u8(b, id);
	buf_put_u16(b, (uint16_t)(5 + n));
	buf_put_u8(b, type);
	buf_put(b, data, n);
}

/* Send a Response built into `msg` and get the server's next step. */
static enum eap_step send_msg(struct eap_server *s, const struct buf *msg, struct buf *out,
			      struct req *r)
{
	enum eap_step st = eap_server_process(s, msg->data, msg->len, out);
	T_CHECK(parse(out, r));
	return st;
}

static bool is_final(const struct buf *out, uint8_t code, uint8_t id)
{
	return out->len == 4 && out->data[0] == code && out->data[1] == id && out->data[2] == 0 &&
	       out->data[3] == 4;
}

/* Start a server; with identity NULL answer the Identity round as `name`. */
static struct eap_server *begin(const enum eap_type *m, size_t n, const char *given,
				const char *name, struct buf *out, struct req *r)
{
	struct eap_server *s = eap_server_new(m, n, &ctx, given);
	T_CHECK(s != NULL);
	if (!s)
		return NULL;
	T_EQ_INT(eap_server_start(s, out), EAP_STEP_SEND);
	T_CHECK(parse(out, r));
	T_EQ_INT(r->code, EAP_CODE_REQUEST);
	if (given)
		return s;
	T_EQ_INT(r->type, EAP_TYPE_IDENTITY);
	T_EQ_INT(eap_server_method(s), EAP_TYPE_IDENTITY);
	struct buf m1;
	buf_init(&m1);
	resp(&m1, r->id, EAP_TYPE_IDENTITY, name, strlen(name));
	T_EQ_INT(send_msg(s, &m1, out, r), EAP_STEP_SEND);
	buf_free(&m1);
	return s;
}

/* ---- EAP-MD5 ----------------------------------------------------------------------- */

/* The response of RFC 3748 §5.4: MD5(Identifier || password || challenge). */
static void md5_answer(const struct req *r, const char *pw, struct buf *m)
{
	uint8_t v[17];
	T_EQ_INT(r->type, EAP_TYPE_MD5);
	T_EQ_INT(r->dlen >= 17 ? r->data[0] : 0, 16);
	v[0] = 16;
	T_EQ_INT(crypto_hash(HASH_MD5, &r->id, 1, (const uint8_t *)pw, strlen(pw), r->data + 1, 16,
			     v + 1), 0);
	resp(m, r->id, EAP_TYPE_MD5, v, sizeof(v));
}

static void eap_md5_full_exchange_succeeds_with_hand_computed_response(void)
{
	const enum eap_type m[] = { EAP_TYPE_MD5 };
	struct buf out, msg;
	struct req r;
	buf_init(&out);
	buf_init(&msg);
	struct eap_server *s = begin(m, 1, NULL, "alice", &out, &r);
	T_EQ_INT(r.type, EAP_TYPE_MD5);
	T_EQ_INT(r.dlen, 1 + 16 + 2);                       /* Value-Size, Value, Name "gw" */
	T_CHECK(r.dlen == 19 && memcmp(r.data + 17, "gw", 2) == 0);
	T_EQ_STR(eap_server_identity(s), "alice");
	uint8_t id = r.id;
	md5_answer(&r, "secret", &msg);
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_SUCCESS);
	T_CHECK(is_final(&out, EAP_CODE_SUCCESS, id));
	T_EQ_INT(eap_server_aaa_result(s), AAA_ACCEPT);
	T_EQ_INT(eap_server_method(s), EAP_TYPE_MD5);
	uint8_t msk[64];
	size_t len = 0;
	T_EQ_INT(eap_server_msk(s, msk, &len), -1);       /* MD5 derives no MSK */
	eap_server_free(s);
	buf_free(&out);
	buf_free(&msg);
}

static void eap_md5_fails_for_wrong_password_and_non_plain_users(void)
{
	static const struct { const char *user, *pw; enum aaa_result want; } c[] = {
		{ "alice", "Secret", AAA_REJECT },
		{ "bob", "clientPass", AAA_UNSUPPORTED },     /* nt-encrypted: no cleartext */
		{ "user", "0123456789ab", AAA_UNSUPPORTED },  /* Cisco hash: no cleartext */
		{ "dave", "", AAA_UNSUPPORTED },
		{ "mallory", "x", AAA_UNKNOWN_USER },
	};
	const enum eap_type m[] = { EAP_TYPE_MD5 };
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct buf out, msg;
		struct req r;
		buf_init(&out);
		buf_init(&msg);
		struct eap_server *s = begin(m, 1, NULL, c[i].user, &out, &r);
		uint8_t id = r.id;
		md5_answer(&r, c[i].pw, &msg);
		T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_FAILURE);
		T_CHECK(is_final(&out, EAP_CODE_FAILURE, id));
		T_EQ_INT(eap_server_aaa_result(s), c[i].want);
		T_CHECK(*eap_server_reason(s) != '\0');
		if (c[i].want == AAA_UNSUPPORTED && c[i].user[0] != 'd')
			T_CHECK(strstr(eap_server_reason(s), "EAP-MD5") != NULL);
		eap_server_free(s);
		buf_free(&out);
		buf_free(&msg);
	}
}

/* ---- EAP-GTC ----------------------------------------------------------------------- */

static void eap_gtc_checks_the_password_for_every_stored_form(void)
{
	static const struct { const char *user, *pw; enum eap_step want; enum aaa_result r; } c[] = {
		{ "alice", "secret", EAP_STEP_SUCCESS, AAA_ACCEPT },
		{ "alice", "wrong", EAP_STEP_FAILURE, AAA_REJECT },
		{ "alice", "", EAP_STEP_FAILURE, AAA_REJECT },
		{ "bob", "clientPass", EAP_STEP_SUCCESS, AAA_ACCEPT },
		{ "bob", "clientpass", EAP_STEP_FAILURE, AAA_REJECT },
		{ "user", "0123456789ab", EAP_STEP_SUCCESS, AAA_ACCEPT },
		{ "user", "0123456789ac", EAP_STEP_FAILURE, AAA_REJECT },
		{ "dave", "", EAP_STEP_FAILURE, AAA_UNSUPPORTED },
		{ "mallory", "secret", EAP_STEP_FAILURE, AAA_UNKNOWN_USER },
	};
	const enum eap_type m[] = { EAP_TYPE_GTC };
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct buf out, msg;
		struct req r;
		buf_init(&out);
		buf_init(&msg);
		struct eap_server *s = begin(m, 1, NULL, c[i].user, &out, &r);
		T_EQ_INT(r.type, EAP_TYPE_GTC);
		T_CHECK(r.dlen == 9 && memcmp(r.data, "Password:", 9) == 0);
		uint8_t id = r.id;
		resp(&msg, r.id, EAP_TYPE_GTC, c[i].pw, strlen(c[i].pw));
		enum eap_step st = send_msg(s, &msg, &out, &r);
		if (st != c[i].want)
			fprintf(stderr, "  case %zu (%s)\n", i, c[i].user);
		T_EQ_INT(st, c[i].want);
		T_CHECK(is_final(&out, st == EAP_STEP_SUCCESS ? EAP_CODE_SUCCESS : EAP_CODE_FAILURE,
				 id));
		T_EQ_INT(eap_server_aaa_result(s), c[i].r);
		eap_server_free(s);
		buf_free(&out);
		buf_free(&msg);
	}
}

static void eap_gtc_accepts_response_prefix_only_for_the_identity(void)
{
	static const struct { const char *data; size_t len; enum eap_step want; } c[] = {
		{ "RESPONSE=alice\0secret", 21, EAP_STEP_SUCCESS },
		{ "RESPONSE=alice\0wrong", 20, EAP_STEP_FAILURE },
		{ "RESPONSE=bob\0secret", 19, EAP_STEP_FAILURE },
	};
	const enum eap_type m[] = { EAP_TYPE_GTC };
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct buf out, msg;
		struct req r;
		buf_init(&out);
		buf_init(&msg);
		struct eap_server *s = begin(m, 1, "alice", NULL, &out, &r);
		resp(&msg, r.id, EAP_TYPE_GTC, c[i].data, c[i].len);
		T_EQ_INT(send_msg(s, &msg, &out, &r), c[i].want);
		eap_server_free(s);
		buf_free(&out);
		buf_free(&msg);
	}
}

/* ---- EAP-MSCHAPv2 ------------------------------------------------------------------ */

/* Challenge: OpCode 1 | MS-CHAPv2-ID | MS-Length | 16 | challenge | Name */
static bool ms_challenge(const struct req *r, uint8_t *ms_id, uint8_t auth_ch[16])
{
	if (r->type != EAP_TYPE_MSCHAPV2 || r->dlen < 21 || r->data[0] != 1 || r->data[4] != 16)
		return false;
	*ms_id = r->data[1];
	memcpy(auth_ch, r->data + 5, 16);
	return ((size_t)r->data[2] << 8 | r->data[3]) == r->len - 5u &&
	       r->dlen == 21 + 2 && memcmp(r->data + 21, "gw", 2) == 0;
}

/* Response: OpCode 2 | MS-CHAPv2-ID | MS-Length | 49 | PeerCh | 8 x 0 | NT-Resp | 0 | Name */
static void ms_answer(const struct req *r, const char *name, const char *pw,
		      const uint8_t peer_ch[16], uint8_t nt_resp[24], struct buf *m)
{
	uint8_t ms_id = 0, auth_ch[16], nt[16];
	T_CHECK(ms_challenge(r, &ms_id, auth_ch));
	T_EQ_INT(aaa_nt_hash(pw, strlen(pw), nt), 0);
	T_EQ_INT(mschapv2_nt_response(auth_ch, peer_ch, name, nt, nt_resp), 0);
	struct buf d;
	buf_init(&d);
	buf_put_u8(&d, 2);
	buf_put_u8(&d, ms_id);
	buf_put_u16(&d, (uint16_t)(54 + strlen(name)));
	buf_put_u8(&d, 49);
	buf_put(&d, peer_ch, 16);
	buf_skip(&d, 8);
	buf_put(&d, nt_resp, 24);
	buf_put_u8(&d, 0);
	buf_put(&d, name, strlen(name));
	resp(m, r->id, EAP_TYPE_MSCHAPV2, d.data, d.len);
	buf_free(&d);
}

static const uint8_t peer_ch[16] = { 0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
				     0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E };

static void eap_mschapv2_full_exchange_gives_authenticator_response_and_msk(void)
{
	static const struct { const char *user, *pw; } c[] = {
		{ "bob", "clientPass" },   /* nt-encrypted */
		{ "alice", "secret" },     /* plain */
	};
	const enum eap_type m[] = { EAP_TYPE_MSCHAPV2 };
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct buf out, msg;
		struct req r;
		uint8_t nt_resp[24], auth_ch[16], ms_id = 0, nt[16];
		buf_init(&out);
		buf_init(&msg);
		struct eap_server *s = begin(m, 1, NULL, c[i].user, &out, &r);
		T_CHECK(ms_challenge(&r, &ms_id, auth_ch));
		T_EQ_INT(ms_id, r.id);
		ms_answer(&r, c[i].user, c[i].pw, peer_ch, nt_resp, &msg);
		T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_SEND);
		/* Success-Request: OpCode 3 | ID | MS-Length | "S=<40 hex> M=..." */
		char want[43];
		T_EQ_INT(aaa_nt_hash(c[i].pw, strlen(c[i].pw), nt), 0);
		T_EQ_INT(mschapv2_authenticator_response(nt, nt_resp, peer_ch, auth_ch, c[i].user,
							 want), 0);
		T_EQ_INT(r.type, EAP_TYPE_MSCHAPV2);
		T_CHECK(r.dlen > 4 + 42 && r.data[0] == 3 && r.data[1] == ms_id);
		T_EQ_INT((r.data[2] << 8 | r.data[3]), r.len - 5);
		T_CHECK(r.dlen > 46 && memcmp(r.data + 4, want, 42) == 0 &&
			memcmp(r.data + 46, " M=", 3) == 0);
		T_EQ_INT(eap_server_msk(s, (uint8_t[64]){ 0 }, NULL), -1);   /* not before the end */
		/* Success-Response: OpCode only */
		uint8_t id = r.id, op = 3;
		resp(&msg, r.id, EAP_TYPE_MSCHAPV2, &op, 1);
		T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_SUCCESS);
		T_CHECK(is_final(&out, EAP_CODE_SUCCESS, id));
		uint8_t msk[64], want_msk[64];
		size_t len = 0;
		T_EQ_INT(eap_server_msk(s, msk, &len), 0);
		T_EQ_INT(len, 64);
		T_EQ_INT(mschapv2_msk(nt, nt_resp, want_msk), 0);
		T_EQ_MEM(msk, want_msk, 64);
		T_EQ_STR(eap_server_identity(s), c[i].user);
		T_EQ_INT(eap_server_aaa_result(s), AAA_ACCEPT);
		eap_server_free(s);
		buf_free(&out);
		buf_free(&msg);
	}
}

static void eap_mschapv2_failure_request_then_failure(void)
{
	static const struct { const char *user, *pw; enum aaa_result want; } c[] = {
		{ "bob", "clientpass", AAA_REJECT },
		{ "user", "0123456789ab", AAA_UNSUPPORTED },   /* Cisco hash: no NT hash */
		{ "dave", "x", AAA_UNSUPPORTED },
		{ "mallory", "x", AAA_UNKNOWN_USER },
	};
	const enum eap_type m[] = { EAP_TYPE_MSCHAPV2 };
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct buf out, msg;
		struct req r;
		uint8_t nt_resp[24];
		buf_init(&out);
		buf_init(&msg);
		struct eap_server *s = begin(m, 1, NULL, c[i].user, &out, &r);
		uint8_t ms_id = r.data[1];
		ms_answer(&r, c[i].user, c[i].pw, peer_ch, nt_resp, &msg);
		T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_SEND);
		/* Failure-Request: OpCode 4 | ID | MS-Length | "E=691 R=0 C=<32 hex> V=3 M=..." */
		T_CHECK(r.type == EAP_TYPE_MSCHAPV2 && r.dlen > 4 + 12 && r.data[0] == 4 &&
			r.data[1] == ms_id && memcmp(r.data + 4, "E=691 R=0 C=", 12) == 0);
		T_CHECK(r.dlen >= 4 + 12 + 32 + 1 && r.data[4 + 12 + 32] == ' ');
		uint8_t id = r.id, op = 4;
		resp(&msg, r.id, EAP_TYPE_MSCHAPV2, &op, 1);
		T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_FAILURE);
		T_CHECK(is_final(&out, EAP_CODE_FAILURE, id));
		T_EQ_INT(eap_server_aaa_result(s), c[i].want);
		T_EQ_INT(eap_server_msk(s, (uint8_t[64]){ 0 }, NULL), -1);
		if (c[i].want == AAA_UNSUPPORTED && c[i].user[0] == 'u')
			T_CHECK(strstr(eap_server_reason(s), "EAP-MSCHAPv2") != NULL);
		eap_server_free(s);
		buf_free(&out);
		buf_free(&msg);
	}
}

static void eap_mschapv2_peer_rejecting_authenticator_fails_without_msk(void)
{
	const enum eap_type m[] = { EAP_TYPE_MSCHAPV2 };
	struct buf out, msg;
	struct req r;
	uint8_t nt_resp[24];
	buf_init(&out);
	buf_init(&msg);
	struct eap_server *s = begin(m, 1, NULL, "bob", &out, &r);
	ms_answer(&r, "bob", "clientPass", peer_ch, nt_resp, &msg);
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_SEND);
	uint8_t op = 4;
	resp(&msg, r.id, EAP_TYPE_MSCHAPV2, &op, 1);
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_FAILURE);
	T_EQ_INT(eap_server_msk(s, (uint8_t[64]){ 0 }, NULL), -1);
	eap_server_free(s);
	buf_free(&out);
	buf_free(&msg);
}

static void eap_mschapv2_name_must_match_the_eap_identity(void)
{
	const enum eap_type m[] = { EAP_TYPE_MSCHAPV2 };
	struct buf out, msg;
	struct req r;
	uint8_t nt_resp[24];
	buf_init(&out);
	buf_init(&msg);
	struct eap_server *s = begin(m, 1, NULL, "alice", &out, &r);
	ms_answer(&r, "bob", "clientPass", peer_ch, nt_resp, &msg);
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_FAILURE);
	T_CHECK(strstr(eap_server_reason(s), "identity") != NULL);
	eap_server_free(s);
	/* an identity given by IKE (no Identity round) is replaced by the Name */
	s = begin(m, 1, "bob@example", NULL, &out, &r);
	ms_answer(&r, "bob", "clientPass", peer_ch, nt_resp, &msg);
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_SEND);
	T_EQ_STR(eap_server_identity(s), "bob");
	eap_server_free(s);
	buf_free(&out);
	buf_free(&msg);
}

/* ---- NAK ------------------------------------------------------------------------------ */

static void nak(struct buf *m, uint8_t id, const uint8_t *types, size_t n)
{
	resp(m, id, EAP_TYPE_NAK, types, n);
}

struct nak_case {
	enum eap_type methods[3];
	size_t n_methods;
	uint8_t wants[3];
	size_t n_wants;
	enum eap_type next;      /* 0: the server fails */
};

static void eap_nak_switches_to_first_configured_method_the_peer_wants(void)
{
	static const struct nak_case c[] = {
		{ { EAP_TYPE_MD5, EAP_TYPE_GTC, EAP_TYPE_MSCHAPV2 }, 3, { 6 }, 1, EAP_TYPE_GTC },
		/* configured order decides, not the order of the Nak */
		{ { EAP_TYPE_MD5, EAP_TYPE_GTC, EAP_TYPE_MSCHAPV2 }, 3, { 26, 6 }, 2, EAP_TYPE_GTC },
		{ { EAP_TYPE_MD5, EAP_TYPE_MSCHAPV2 }, 2, { 13, 26 }, 2, EAP_TYPE_MSCHAPV2 },
		{ { EAP_TYPE_MD5, EAP_TYPE_GTC }, 2, { 13 }, 1, 0 },       /* TLS: not configured */
		{ { EAP_TYPE_MD5, EAP_TYPE_GTC }, 2, { 26 }, 1, 0 },       /* not configured */
		{ { EAP_TYPE_MD5, EAP_TYPE_GTC }, 2, { 0 }, 1, 0 },        /* "no alternative" */
		{ { EAP_TYPE_MD5, EAP_TYPE_GTC }, 2, { 0 }, 0, 0 },        /* empty Nak */
		{ { EAP_TYPE_MD5, EAP_TYPE_GTC }, 2, { 4 }, 1, 0 },        /* the refused one */
		{ { EAP_TYPE_MD5 }, 1, { 6 }, 1, 0 },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct buf out, msg;
		struct req r;
		buf_init(&out);
		buf_init(&msg);
		struct eap_server *s = begin(c[i].methods, c[i].n_methods, "alice", NULL, &out, &r);
		T_EQ_INT(r.type, c[i].methods[0]);
		nak(&msg, r.id, c[i].wants, c[i].n_wants);
		enum eap_step st = send_msg(s, &msg, &out, &r);
		if (c[i].next) {
			T_EQ_INT(st, EAP_STEP_SEND);
			T_EQ_INT(r.type, c[i].next);
			T_EQ_INT(eap_server_method(s), c[i].next);
		} else {
			T_EQ_INT(st, EAP_STEP_FAILURE);
			T_CHECK(strstr(eap_server_reason(s), "refused") != NULL);
		}
		eap_server_free(s);
		buf_free(&out);
		buf_free(&msg);
	}
}

static void eap_nak_then_method_completes_and_no_method_is_proposed_twice(void)
{
	const enum eap_type m[] = { EAP_TYPE_MD5, EAP_TYPE_GTC };
	struct buf out, msg;
	struct req r;
	buf_init(&out);
	buf_init(&msg);
	struct eap_server *s = begin(m, 2, NULL, "alice", &out, &r);
	nak(&msg, r.id, (const uint8_t[]){ 6 }, 1);
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_SEND);
	T_EQ_INT(r.type, EAP_TYPE_GTC);
	resp(&msg, r.id, EAP_TYPE_GTC, "secret", 6);
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_SUCCESS);
	eap_server_free(s);

	s = begin(m, 2, NULL, "alice", &out, &r);
	nak(&msg, r.id, (const uint8_t[]){ 6 }, 1);
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_SEND);
	nak(&msg, r.id, (const uint8_t[]){ 4 }, 1);         /* back to MD5: refused */
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_FAILURE);
	eap_server_free(s);
	buf_free(&out);
	buf_free(&msg);
}

static void eap_nak_in_the_middle_of_a_method_fails(void)
{
	const enum eap_type m[] = { EAP_TYPE_MSCHAPV2, EAP_TYPE_GTC };
	struct buf out, msg;
	struct req r;
	uint8_t nt_resp[24];
	buf_init(&out);
	buf_init(&msg);
	struct eap_server *s = begin(m, 2, NULL, "bob", &out, &r);
	ms_answer(&r, "bob", "clientPass", peer_ch, nt_resp, &msg);
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_SEND);
	nak(&msg, r.id, (const uint8_t[]){ 6 }, 1);
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_FAILURE);
	eap_server_free(s);
	buf_free(&out);
	buf_free(&msg);
}

/* ---- identifiers -------------------------------------------------------------------- */

static void eap_stale_identifier_is_ignored_and_request_resent(void)
{
	const enum eap_type m[] = { EAP_TYPE_GTC };
	struct buf out, msg, first;
	struct req r;
	buf_init(&out);
	buf_init(&msg);
	buf_init(&first);
	struct eap_server *s = begin(m, 1, NULL, "alice", &out, &r);
	buf_put(&first, out.data, out.len);
	uint8_t id = r.id;
	/* the previous identifier (a duplicate of the Identity Response) */
	resp(&msg, (uint8_t)(id - 1), EAP_TYPE_IDENTITY, "alice", 5);
	log_start();
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_SEND);
	log_stop();
	T_CHECK(out.len == first.len && memcmp(out.data, first.data, out.len) == 0);
	T_CHECK(strstr(logbuf, "ignoring Response with identifier") != NULL);
	/* still answerable with the right identifier */
	resp(&msg, id, EAP_TYPE_GTC, "secret", 6);
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_SUCCESS);
	eap_server_free(s);

	/* but not forever */
	s = begin(m, 1, NULL, "alice", &out, &r);
	resp(&msg, (uint8_t)(r.id + 7), EAP_TYPE_GTC, "secret", 6);
	enum eap_step st = EAP_STEP_SEND;
	int sends = 0;
	for (int k = 0; k < 10 && st == EAP_STEP_SEND; k++) {
		st = eap_server_process(s, msg.data, msg.len, &out);
		sends += st == EAP_STEP_SEND;
	}
	T_EQ_INT(sends, 4);
	T_EQ_INT(st, EAP_STEP_FAILURE);
	eap_server_free(s);
	buf_free(&out);
	buf_free(&msg);
	buf_free(&first);
}

/* ---- malformed input ----------------------------------------------------------------- */

struct bad_case {
	const char *what;
	enum eap_type method;
	bool skip_identity;      /* answer the method's first Request, not Identity */
	uint8_t bytes[64];
	size_t len;              /* byte 1 (identifier) is set to the current id */
};

static const struct bad_case bad[] = {
	{ "empty", EAP_TYPE_GTC, false, { 0 }, 0 },
	{ "3 bytes", EAP_TYPE_GTC, false, { 2, 0, 0 }, 3 },
	{ "Length beyond data", EAP_TYPE_GTC, false, { 2, 0, 0, 9, 1, 'a' }, 6 },
	{ "Length below header", EAP_TYPE_GTC, false, { 2, 0, 0, 3, 1, 'a' }, 6 },
	{ "no Type", EAP_TYPE_GTC, false, { 2, 0, 0, 4 }, 4 },
	{ "code Request", EAP_TYPE_GTC, false, { 1, 0, 0, 6, 1, 'a' }, 6 },
	{ "code Success", EAP_TYPE_GTC, false, { 3, 0, 0, 4 }, 4 },
	{ "wrong type for Identity", EAP_TYPE_GTC, false, { 2, 0, 0, 6, 6, 'a' }, 6 },
	{ "Nak to Identity", EAP_TYPE_GTC, false, { 2, 0, 0, 6, 3, 6 }, 6 },
	{ "empty identity", EAP_TYPE_GTC, false, { 2, 0, 0, 5, 1 }, 5 },
	{ "NUL in identity", EAP_TYPE_GTC, false, { 2, 0, 0, 8, 1, 'a', 0, 'b' }, 8 },
	{ "wrong type for method", EAP_TYPE_GTC, true, { 2, 0, 0, 6, 4, 'a' }, 6 },
	{ "Expanded type", EAP_TYPE_GTC, true, { 2, 0, 0, 13, 254, 0, 0, 0, 0, 0, 0, 3, 6 }, 13 },
	{ "MD5 Value-Size 15", EAP_TYPE_MD5, true, { 2, 0, 0, 22, 4, 15, 1, 2, 3, 4, 5, 6, 7, 8,
						      9, 10, 11, 12, 13, 14, 15, 16 }, 22 },
	{ "MD5 truncated value", EAP_TYPE_MD5, true, { 2, 0, 0, 10, 4, 16, 1, 2, 3, 4 }, 10 },
	{ "MD5 empty", EAP_TYPE_MD5, true, { 2, 0, 0, 5, 4 }, 5 },
	{ "MSCHAPv2 no OpCode", EAP_TYPE_MSCHAPV2, true, { 2, 0, 0, 5, 26 }, 5 },
	{ "MSCHAPv2 short Response", EAP_TYPE_MSCHAPV2, true, { 2, 0, 0, 12, 26, 2, 0, 0, 7, 49,
								1, 2 }, 12 },
	{ "MSCHAPv2 Success before Response", EAP_TYPE_MSCHAPV2, true, { 2, 0, 0, 6, 26, 3 }, 6 },
	{ "MSCHAPv2 change password", EAP_TYPE_MSCHAPV2, true, { 2, 0, 0, 6, 26, 7 }, 6 },
};

static void eap_malformed_responses_end_in_failure(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const enum eap_type m[] = { bad[i].method };
		struct buf out;
		struct req r;
		buf_init(&out);
		struct eap_server *s = eap_server_new(m, 1, &ctx, bad[i].skip_identity ? "alice" : NULL);
		T_EQ_INT(eap_server_start(s, &out), EAP_STEP_SEND);
		T_CHECK(parse(&out, &r));
		uint8_t b[64];
		memcpy(b, bad[i].bytes, sizeof(b));
		if (bad[i].len >= 2)
			b[1] = r.id;
		enum eap_step st = eap_server_process(s, bad[i].len ? b : NULL, bad[i].len, &out);
		if (st != EAP_STEP_FAILURE)
			fprintf(stderr, "  case \"%s\"\n", bad[i].what);
		T_EQ_INT(st, EAP_STEP_FAILURE);
		T_CHECK(out.len == 4 && out.data[0] == EAP_CODE_FAILURE);
		T_CHECK(*eap_server_reason(s) != '\0');
		/* the outcome sticks */
		T_EQ_INT(eap_server_process(s, b, bad[i].len, &out), EAP_STEP_FAILURE);
		eap_server_free(s);
		buf_free(&out);
	}
}

static void eap_mschapv2_bad_fields_end_in_failure(void)
{
	const enum eap_type m[] = { EAP_TYPE_MSCHAPV2 };
	/* offsets in the full message: 5 OpCode, 6 MS-CHAPv2-ID, 9 Value-Size,
	 * 59.. Name */
	static const struct { const char *what; size_t off; uint8_t val; } c[] = {
		{ "MS-CHAPv2-ID", 6, 0x55 },
		{ "Value-Size", 9, 48 },
		{ "OpCode", 5, 9 },
		{ "control char in Name", 59, 0x01 },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct buf out, msg;
		struct req r;
		uint8_t nt_resp[24];
		buf_init(&out);
		buf_init(&msg);
		struct eap_server *s = begin(m, 1, "bob", NULL, &out, &r);
		ms_answer(&r, "bob", "clientPass", peer_ch, nt_resp, &msg);
		if (c[i].off == 6 && msg.data[6] == c[i].val)
			msg.data[6] ^= 1;
		else
			msg.data[c[i].off] = c[i].val;
		enum eap_step st = send_msg(s, &msg, &out, &r);
		if (st != EAP_STEP_FAILURE)
			fprintf(stderr, "  case \"%s\"\n", c[i].what);
		T_EQ_INT(st, EAP_STEP_FAILURE);
		eap_server_free(s);
		buf_free(&out);
		buf_free(&msg);
	}
}

static void eap_bytes_after_the_length_are_ignored(void)
{
	const enum eap_type m[] = { EAP_TYPE_GTC };
	struct buf out, msg;
	struct req r;
	buf_init(&out);
	buf_init(&msg);
	struct eap_server *s = begin(m, 1, "alice", NULL, &out, &r);
	resp(&msg, r.id, EAP_TYPE_GTC, "secret", 6);
	buf_put(&msg, "garbage", 7);           /* padding beyond Length (RFC 3748 §4) */
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_SUCCESS);
	eap_server_free(s);
	buf_free(&out);
	buf_free(&msg);
}

/* ---- construction, names, logging ---------------------------------------------------- */

static void eap_server_new_needs_a_supported_method(void)
{
	const enum eap_type none[] = { 13 };
	const enum eap_type dup[] = { EAP_TYPE_GTC, 13, EAP_TYPE_GTC, EAP_TYPE_MD5 };
	T_CHECK(eap_server_new(none, 1, &ctx, NULL) == NULL);
	T_CHECK(eap_server_new(dup, 0, &ctx, NULL) == NULL);
	T_CHECK(eap_server_new(dup, 1, NULL, NULL) == NULL);
	T_CHECK(eap_server_new(dup, 1, &ctx, "bad\x01name") == NULL);
	struct eap_server *s = eap_server_new(dup, 4, &ctx, "alice");
	T_CHECK(s != NULL);
	struct buf out, msg;
	struct req r;
	buf_init(&out);
	buf_init(&msg);
	T_EQ_INT(eap_server_start(s, &out), EAP_STEP_SEND);
	T_CHECK(parse(&out, &r));
	T_EQ_INT(r.type, EAP_TYPE_GTC);
	nak(&msg, r.id, (const uint8_t[]){ 4 }, 1);
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_SEND);
	T_EQ_INT(r.type, EAP_TYPE_MD5);
	eap_server_free(s);
	eap_server_free(NULL);
	buf_free(&out);
	buf_free(&msg);
	T_EQ_INT(eap_server_process(NULL, NULL, 0, &out), EAP_STEP_FAILURE);
	T_CHECK(eap_server_identity(NULL) == NULL);
}

static void eap_type_names_for_logs(void)
{
	T_EQ_STR(eap_type_name(EAP_TYPE_IDENTITY), "Identity");
	T_EQ_STR(eap_type_name(EAP_TYPE_NAK), "Nak");
	T_EQ_STR(eap_type_name(EAP_TYPE_MD5), "MD5");
	T_EQ_STR(eap_type_name(EAP_TYPE_GTC), "GTC");
	T_EQ_STR(eap_type_name(EAP_TYPE_MSCHAPV2), "MSCHAPv2");
	T_EQ_STR(eap_type_name(200), "unknown");
}

static void eap_passwords_and_msk_never_reach_the_log(void)
{
	/* failure lines are rate-limited per second: start a fresh second */
	time_t t0 = time(NULL);
	while (time(NULL) == t0)
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	log_set_debug(LOG_IKEV2, 255);
	log_set_debug(LOG_AAA, 255);
	log_start();
	const enum eap_type gtc[] = { EAP_TYPE_GTC };
	const enum eap_type ms[] = { EAP_TYPE_MSCHAPV2 };
	struct buf out, msg;
	struct req r;
	uint8_t nt_resp[24];
	buf_init(&out);
	buf_init(&msg);
	struct eap_server *s = begin(gtc, 1, NULL, "alice", &out, &r);
	resp(&msg, r.id, EAP_TYPE_GTC, "hunter2", 7);
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_FAILURE);
	eap_server_free(s);
	s = begin(gtc, 1, NULL, "alice", &out, &r);
	resp(&msg, r.id, EAP_TYPE_GTC, "secret", 6);
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_SUCCESS);
	eap_server_free(s);
	s = begin(ms, 1, NULL, "bob", &out, &r);
	ms_answer(&r, "bob", "clientPass", peer_ch, nt_resp, &msg);
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_SEND);
	uint8_t op = 3, msk[64];
	resp(&msg, r.id, EAP_TYPE_MSCHAPV2, &op, 1);
	T_EQ_INT(send_msg(s, &msg, &out, &r), EAP_STEP_SUCCESS);
	T_EQ_INT(eap_server_msk(s, msk, NULL), 0);
	eap_server_free(s);
	log_stop();
	log_set_debug(LOG_IKEV2, 0);
	log_set_debug(LOG_AAA, 0);
	T_CHECK(strstr(logbuf, "113012") != NULL);      /* the log did run */
	T_CHECK(strstr(logbuf, "EAP-GTC failed") != NULL);
	T_CHECK(strstr(logbuf, "hunter2") == NULL);
	T_CHECK(strstr(logbuf, "secret") == NULL);
	T_CHECK(strstr(logbuf, "clientPass") == NULL);
	T_CHECK(strstr(logbuf, "44EBBA8D") == NULL && strstr(logbuf, "44ebba8d") == NULL);
	char hex[9];
	snprintf(hex, sizeof(hex), "%02x%02x%02x%02x", msk[0], msk[1], msk[2], msk[3]);
	T_CHECK(strstr(logbuf, hex) == NULL);
	buf_free(&out);
	buf_free(&msg);
}

int main(void)
{
	log_set_stderr(false);
	if (crypto_init() != 0) {
		fprintf(stderr, "crypto_init failed\n");
		return 1;
	}
	T_RUN(eap_md5_full_exchange_succeeds_with_hand_computed_response);
	T_RUN(eap_md5_fails_for_wrong_password_and_non_plain_users);
	T_RUN(eap_gtc_checks_the_password_for_every_stored_form);
	T_RUN(eap_gtc_accepts_response_prefix_only_for_the_identity);
	T_RUN(eap_mschapv2_full_exchange_gives_authenticator_response_and_msk);
	T_RUN(eap_mschapv2_failure_request_then_failure);
	T_RUN(eap_mschapv2_peer_rejecting_authenticator_fails_without_msk);
	T_RUN(eap_mschapv2_name_must_match_the_eap_identity);
	T_RUN(eap_nak_switches_to_first_configured_method_the_peer_wants);
	T_RUN(eap_nak_then_method_completes_and_no_method_is_proposed_twice);
	T_RUN(eap_nak_in_the_middle_of_a_method_fails);
	T_RUN(eap_stale_identifier_is_ignored_and_request_resent);
	T_RUN(eap_malformed_responses_end_in_failure);
	T_RUN(eap_mschapv2_bad_fields_end_in_failure);
	T_RUN(eap_bytes_after_the_length_are_ignored);
	T_RUN(eap_server_new_needs_a_supported_method);
	T_RUN(eap_type_names_for_logs);
	T_RUN(eap_passwords_and_msk_never_reach_the_log);
	T_DONE();
}
