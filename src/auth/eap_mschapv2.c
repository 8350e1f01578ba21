/* EAP-MSCHAPv2 server (draft-kamath-pppext-eap-mschapv2-02, RFC 2759).
 *
 * Type-Data: OpCode(1) MS-CHAPv2-ID(1) MS-Length(2, = EAP Length - 5) ...
 *
 *   Request/Challenge (1): Value-Size 16 | Auth-Challenge(16) | Name     -->
 *        <--  Response/Response (2): Value-Size 49 | Peer-Challenge(16) |
 *                                    Reserved(8) | NT-Response(24) | Flags(1) | Name
 *   Request/Success (3):  "S=<40 hex authenticator response> M=<text>"   -->
 *        <--  Response/Success (3): OpCode only (6 bytes in all)
 *   EAP-Success; the MSK (64 bytes, see mschapv2.c) is available
 *
 * On a wrong password, an unknown user or a stored form without NT hash:
 *   Request/Failure (4):  "E=691 R=0 C=<32 hex> V=3 M=<text>"           -->
 *        <--  Response/Failure (4) (or anything)
 *   EAP-Failure
 *
 * The Name of the Response is the user that is authenticated (and the
 * ChallengeHash input, without any "DOMAIN\" prefix).  When the peer gave
 * an EAP identity, the Name must be that identity.  No retries (R=0) and no
 * password change (OpCode 7). */
#include <stdio.h>
#include <string.h>

#include "auth/eap_int.h"
#include "base/mem.h"
#include "crypto/crypto.h"

enum { MS_OP_CHALLENGE = 1, MS_OP_RESPONSE = 2, MS_OP_SUCCESS = 3, MS_OP_FAILURE = 4,
       MS_OP_CHANGE_PASSWORD = 7 };

#define MS_CHALLENGE_LEN 16
#define MS_RESPONSE_VALUE 49

/* MS-Length covers everything after the EAP Type: EAP Length - 5. */
static void ms_patch_length(struct buf *out, size_t off)
{
	if (!out->oom && out->len >= 5)
		buf_patch_u16(out, off, (uint16_t)(out->len - 5));
}

static int ms_start(struct eap_server *s, struct buf *out)
{
	struct eap_mschapv2_state *st = &s->u.ms;
	const char *name = eap_server_name(s);
	if (crypto_random(st->auth_challenge, MS_CHALLENGE_LEN) != 0)
		return -1;
	st->state = MS_CHALLENGE_SENT;
	st->ms_id = s->id;
	buf_put_u8(out, MS_OP_CHALLENGE);
	buf_put_u8(out, st->ms_id);
	size_t off = buf_skip(out, 2);
	buf_put_u8(out, MS_CHALLENGE_LEN);
	buf_put(out, st->auth_challenge, MS_CHALLENGE_LEN);
	buf_put(out, name, strlen(name));
	ms_patch_length(out, off);
	return 0;
}

/* A Success or Failure Request carrying a text message. */
static enum eap_step ms_request(struct eap_server *s, struct buf *out, uint8_t op,
				const char *msg)
{
	eap_req_begin(s, out, EAP_TYPE_MSCHAPV2);
	buf_put_u8(out, op);
	buf_put_u8(out, s->u.ms.ms_id);
	size_t off = buf_skip(out, 2);
	buf_put(out, msg, strlen(msg));
	ms_patch_length(out, off);
	return eap_req_end(s, out);
}

static enum eap_step ms_failure_request(struct eap_server *s, struct buf *out,
					enum aaa_result r, const char *why)
{
	struct eap_mschapv2_state *st = &s->u.ms;
	uint8_t c[MS_CHALLENGE_LEN];
	char hex[2 * MS_CHALLENGE_LEN + 1], msg[96];
	mem_wipe(st->msk, sizeof(st->msk));
	st->state = MS_FAILURE_SENT;
	st->failed_with = r;
	snprintf(st->failed_why, sizeof(st->failed_why), "%s", why ? why : aaa_result_name(r));
	if (crypto_random(c, sizeof(c)) != 0)
		return eap_fail(s, out, r, "%s", st->failed_why);
	for (size_t i = 0; i < sizeof(c); i++)
		snprintf(hex + 2 * i, 3, "%02X", c[i]);
	snprintf(msg, sizeof(msg), "E=691 R=0 C=%s V=3 M=Authentication failed", hex);
	eap_debug(s, 5, "EAP-MSCHAPv2: sending Failure-Request (%s)", st->failed_why);
	return ms_request(s, out, MS_OP_FAILURE, msg);
}

/* Check the NT-Response of `name`; on success fill auth ("S=...") and the
 * pending MSK.  Reports the outcome to AAA (113012/113015). */
static enum aaa_result ms_verify(struct eap_server *s, const char *name, const uint8_t *peer_ch,
				 const uint8_t *nt_resp, char auth[43], const char **why)
{
	struct eap_mschapv2_state *st = &s->u.ms;
	uint8_t nt[16], want[24];
	enum aaa_result r = aaa_get_nt_hash(&s->aaa, name, nt, why);
	if (r == AAA_ACCEPT) {
		if (mschapv2_nt_response(st->auth_challenge, peer_ch, name, nt, want) != 0 ||
		    mschapv2_authenticator_response(nt, nt_resp, peer_ch, st->auth_challenge, name,
						    auth) != 0 ||
		    mschapv2_msk(nt, nt_resp, st->msk) != 0) {
			r = AAA_ERROR;
			*why = "MD4/DES unavailable (OpenSSL legacy provider)";
		} else if (mem_cmp_ct(want, nt_resp, sizeof(want)) != 0) {
			r = AAA_REJECT;
			*why = "wrong password";
		}
	}
	if (r != AAA_ACCEPT)
		mem_wipe(st->msk, sizeof(st->msk));
	mem_wipe(nt, sizeof(nt));
	mem_wipe(want, sizeof(want));
	aaa_report(&s->aaa, name, r, *why);
	return r;
}

/* The Name must be a usable user name, and the EAP identity if there was one. */
static const char *ms_take_name(struct eap_server *s, const uint8_t *p, size_t n)
{
	const char *bad = eap_check_name(p, n);
	if (bad)
		return bad;
	if (s->identity_from_eap && (n != strlen(s->identity) || memcmp(p, s->identity, n) != 0))
		return "differs from the EAP identity";
	if (!s->identity_from_eap && (n != strlen(s->identity) || memcmp(p, s->identity, n) != 0))
		eap_debug(s, 5, "EAP-MSCHAPv2 Name replaces the identity given by IKE");
	memcpy(s->identity, p, n);
	s->identity[n] = '\0';
	return NULL;
}

static enum eap_step ms_process_response(struct eap_server *s, struct rd *data, size_t eap_len,
					 struct buf *out)
{
	struct eap_mschapv2_state *st = &s->u.ms;
	uint8_t ms_id = rd_u8(data);
	uint16_t ms_len = rd_u16(data);
	uint8_t vs = rd_u8(data);
	const uint8_t *peer_ch = rd_ptr(data, MS_CHALLENGE_LEN);
	rd_skip(data, 8);                              /* Reserved */
	const uint8_t *nt_resp = rd_ptr(data, 24);
	rd_skip(data, 1);                              /* Flags */
	if (data->bad)
		return eap_fail(s, out, AAA_ERROR, "Response shorter than %u bytes",
				5 + 4 + MS_RESPONSE_VALUE);
	if (ms_id != st->ms_id)
		return eap_fail(s, out, AAA_ERROR, "MS-CHAPv2-ID %u, expected %u", ms_id, st->ms_id);
	if (vs != MS_RESPONSE_VALUE)
		return eap_fail(s, out, AAA_ERROR, "Value-Size %u, expected %u", vs,
				MS_RESPONSE_VALUE);
	if (ms_len != eap_len - 5)
		eap_debug(s, 10, "MS-Length %u does not match the EAP Length %zu (ignored)", ms_len,
			  eap_len);
	size_t n = data->left;
	const char *bad = ms_take_name(s, rd_ptr(data, n), n);
	if (bad)
		return eap_fail(s, out, AAA_ERROR, "MSCHAPv2 Name %s", bad);

	char auth[43], msg[96];
	const char *why = NULL;
	enum aaa_result r = ms_verify(s, s->identity, peer_ch, nt_resp, auth, &why);
	if (r != AAA_ACCEPT)
		return ms_failure_request(s, out, r, why);
	st->state = MS_SUCCESS_SENT;
	snprintf(msg, sizeof(msg), "%s M=Authentication succeeded", auth);
	return ms_request(s, out, MS_OP_SUCCESS, msg);
}

static enum eap_step ms_process(struct eap_server *s, struct rd *data, size_t eap_len,
				struct buf *out)
{
	struct eap_mschapv2_state *st = &s->u.ms;
	uint8_t op = rd_u8(data);
	if (data->bad)
		return eap_fail(s, out, AAA_ERROR, "Response without an OpCode");
	switch (st->state) {
	case MS_CHALLENGE_SENT:
		if (op == MS_OP_RESPONSE)
			return ms_process_response(s, data, eap_len, out);
		if (op == MS_OP_CHANGE_PASSWORD)
			return eap_fail(s, out, AAA_ERROR, "password change is not supported");
		return eap_fail(s, out, AAA_ERROR, "OpCode %u in answer to the Challenge", op);
	case MS_SUCCESS_SENT:
		if (op == MS_OP_SUCCESS) {
			memcpy(s->msk, st->msk, sizeof(s->msk));
			mem_wipe(st->msk, sizeof(st->msk));
			s->have_msk = true;
			return eap_succeed(s, out);
		}
		if (op == MS_OP_FAILURE)
			return eap_fail(s, out, AAA_ERROR,
					"peer did not accept our authenticator response");
		return eap_fail(s, out, AAA_ERROR, "OpCode %u in answer to Success", op);
	case MS_FAILURE_SENT:
		if (op != MS_OP_FAILURE)
			eap_debug(s, 5, "OpCode %u in answer to Failure", op);
		return eap_fail(s, out, st->failed_with, "%s", st->failed_why);
	}
	return eap_fail(s, out, AAA_ERROR, "internal state error");
}

const struct eap_method eap_method_mschapv2 = {
	.type = EAP_TYPE_MSCHAPV2,
	.name = "MSCHAPv2",
	.start = ms_start,
	.process = ms_process,
};
