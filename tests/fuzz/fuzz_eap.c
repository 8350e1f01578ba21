/* libFuzzer target: an EAP server (each method, with and without the
 * Identity round) fed arbitrary Responses.
 *
 * Input:  byte 0   configuration: bits 0-1 method list, bit 2 identity
 *                  given by IKE, bits 3-4 which user
 *         then messages: flags(1) length(2, big-endian) bytes(length)
 *                  flags bit 0: set the identifier to the outstanding one
 *                  flags bit 1: instead of the bytes, send the correct
 *                               answer to the outstanding Request (lets
 *                               the fuzzer reach the later states)
 *
 * After every step the server's output must be a well-formed EAP message
 * of the kind the step announces, and an MSK must exist exactly after an
 * MSCHAPv2 success; anything else aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/aaa.h"
#include "auth/eap.h"
#include "base/buf.h"
#include "base/log.h"
#include "crypto/crypto.h"

static struct conf_user users[] = {
	{ .name = "alice", .password = "secret", .kind = PW_PLAIN },
	{ .name = "bob", .password = "44EBBA8D5312B8D611474411F56989AE", .kind = PW_NT_HASH },
	{ .name = "user", .password = "f.T4BKdzdNkjxQl7", .kind = PW_CISCO_MD5 },
	{ .name = "dave", .password = NULL, .kind = PW_NONE },
};
static const char *const passwords[] = { "secret", "clientPass", "0123456789ab", "" };
static struct conf fz_conf = { .hostname = "gw", .users = users, .n_users = 4 };
static const struct aaa_ctx fz_ctx = { .conf = &fz_conf, .tunnel_group = "RA", .peer = "192.0.2.1" };

static const enum eap_type method_sets[4][3] = {
	{ EAP_TYPE_MD5 },
	{ EAP_TYPE_GTC },
	{ EAP_TYPE_MSCHAPV2 },
	{ EAP_TYPE_MSCHAPV2, EAP_TYPE_GTC, EAP_TYPE_MD5 },
};
static const size_t method_counts[4] = { 1, 1, 1, 3 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_eap invariant violated: %s\n", what);
		abort();
	}
}

static void put_resp(struct buf *b, uint8_t id, uint8_t type, const void *d, size_t n)
{
	buf_reset(b);
	buf_put_u8(b, EAP_CODE_RESPONSE);
	buf_put_u8(b, id);
	buf_put_u16(b, (uint16_t)(5 + n));
	buf_put_u8(b, type);
	buf_put(b, d, n);
}

/* The correct answer of user u to the Request in `req`. */
static void answer(const struct buf *req, size_t u, struct buf *msg)
{
	static const uint8_t peer_ch[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	const char *name = users[u].name, *pw = passwords[u];
	buf_reset(msg);
	if (req->len < 5 || req->data[0] != EAP_CODE_REQUEST)
		return;
	uint8_t id = req->data[1], type = req->data[4];
	const uint8_t *d = req->data + 5;
	size_t n = req->len - 5;
	if (type == EAP_TYPE_IDENTITY) {
		put_resp(msg, id, type, name, strlen(name));
	} else if (type == EAP_TYPE_GTC) {
		put_resp(msg, id, type, pw, strlen(pw));
	} else if (type == EAP_TYPE_MD5 && n >= 17) {
		uint8_t v[17] = { 16 };
		if (crypto_hash(HASH_MD5, &id, 1, (const uint8_t *)pw, strlen(pw), d + 1, 16, v + 1))
			return;
		put_resp(msg, id, type, v, sizeof(v));
	} else if (type == EAP_TYPE_MSCHAPV2 && n >= 1 && d[0] == 1 && n >= 21) {
		uint8_t nt[16], r[24], body[4 + 49 + 64];
		size_t nl = strlen(name);
		if (aaa_nt_hash(pw, strlen(pw), nt) ||
		    mschapv2_nt_response(d + 5, peer_ch, name, nt, r))
			return;
		memset(body, 0, sizeof(body));
		body[0] = 2;
		body[1] = d[1];
		body[2] = (uint8_t)((54 + nl) >> 8);
		body[3] = (uint8_t)(54 + nl);
		body[4] = 49;
		memcpy(body + 5, peer_ch, 16);
		memcpy(body + 29, r, 24);
		memcpy(body + 54, name, nl);
		put_resp(msg, id, type, body, 54 + nl);
	} else if (type == EAP_TYPE_MSCHAPV2 && n >= 1) {
		uint8_t op = d[0];      /* Success/Failure Request: echo the OpCode */
		put_resp(msg, id, type, &op, 1);
	}
}

static void check_output(const struct eap_server *s, enum eap_step st, const struct buf *out)
{
	check(!out->oom && out->len >= 4, "output shorter than an EAP header");
	check(((size_t)out->data[2] << 8 | out->data[3]) == out->len, "Length field");
	uint8_t code = out->data[0];
	if (st == EAP_STEP_SEND)
		check(code == EAP_CODE_REQUEST && out->len >= 5, "SEND without a Request");
	if (st == EAP_STEP_SUCCESS)
		check(code == EAP_CODE_SUCCESS && out->len == 4, "SUCCESS without EAP-Success");
	if (st == EAP_STEP_FAILURE) {
		check(code == EAP_CODE_FAILURE && out->len == 4, "FAILURE without EAP-Failure");
		check(eap_server_reason(s)[0] != '\0', "FAILURE without a reason");
	}
	uint8_t msk[64];
	size_t len = 0;
	int have = eap_server_msk(s, msk, &len) == 0;
	check(have == (st == EAP_STEP_SUCCESS && eap_server_method(s) == EAP_TYPE_MSCHAPV2),
	      "MSK exactly after an MSCHAPv2 success");
	check(!have || len == 64, "MSK length");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		log_set_stderr(false);
		if (crypto_init() != 0 || crypto_enable_legacy() != 0)
			abort();
		ready = 1;
	}
	if (size < 1)
		return 0;
	uint8_t cfg = data[0];
	size_t set = cfg & 3, u = (cfg >> 3) & 3;
	struct eap_server *s = eap_server_new(method_sets[set], method_counts[set], &fz_ctx,
					      (cfg & 4) ? users[u].name : NULL);
	check(s != NULL, "eap_server_new");
	struct buf out, msg;
	buf_init(&out);
	buf_init(&msg);
	enum eap_step st = eap_server_start(s, &out);
	check_output(s, st, &out);
	size_t off = 1;
	while (off + 3 <= size) {
		uint8_t flags = data[off];
		size_t n = (size_t)data[off + 1] << 8 | data[off + 2];
		off += 3;
		if (n > size - off)
			n = size - off;
		if (flags & 2) {
			answer(&out, u, &msg);
		} else {
			buf_reset(&msg);
			buf_put(&msg, data + off, n);
			if ((flags & 1) && msg.len >= 2 && out.len >= 2)
				msg.data[1] = out.data[1];
		}
		off += n;
		st = eap_server_process(s, msg.data, msg.len, &out);
		check_output(s, st, &out);
	}
	eap_server_free(s);
	buf_free(&out);
	buf_free(&msg);
	return 0;
}
