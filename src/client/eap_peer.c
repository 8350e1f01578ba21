/* EAP peer methods for ravpn-connect (see eap_peer.h). */
#include <stdio.h>
#include <string.h>

#include "aaa/aaa.h"
#include "base/mem.h"
#include "client/eap_peer.h"
#include "crypto/crypto.h"

#define MS_CHALLENGE 1
#define MS_RESPONSE 2
#define MS_SUCCESS 3
#define MS_FAILURE 4

void eap_peer_init(struct eap_peer *p, enum eap_type want, const char *user, const char *password)
{
	memset(p, 0, sizeof(*p));
	p->want = want;
	p->user = user ? user : "";
	p->password = password ? password : "";
}

void eap_peer_wipe(struct eap_peer *p)
{
	mem_wipe(p, sizeof(*p));
}

static void resp_begin(struct buf *out, uint8_t id, uint8_t type)
{
	buf_reset(out);
	buf_put_u8(out, EAP_CODE_RESPONSE);
	buf_put_u8(out, id);
	buf_put_u16(out, 0);            /* length, patched by resp_end */
	buf_put_u8(out, type);
}

static enum eap_peer_step resp_end(struct eap_peer *p, struct buf *out)
{
	if (out->oom || out->len > 0xffff) {
		p->why = "out of memory";
		return EAP_PEER_FAILURE;
	}
	buf_patch_u16(out, 2, (uint16_t)out->len);
	return EAP_PEER_SEND;
}

static enum eap_peer_step fail(struct eap_peer *p, const char *why)
{
	p->why = why;
	return EAP_PEER_FAILURE;
}

/* Response/MD5-Challenge: MD5(Identifier || password || challenge). */
static enum eap_peer_step md5_answer(struct eap_peer *p, uint8_t id, const uint8_t *d, size_t n,
				     struct buf *out)
{
	uint8_t h[16];
	if (n < 1 || d[0] == 0 || (size_t)d[0] + 1 > n)
		return fail(p, "malformed MD5-Challenge");
	if (crypto_hash(HASH_MD5, &id, 1, (const uint8_t *)p->password, strlen(p->password), d + 1,
			d[0], h) < 0)
		return fail(p, "MD5 unavailable");
	resp_begin(out, id, EAP_TYPE_MD5);
	buf_put_u8(out, 16);
	buf_put(out, h, 16);
	buf_put(out, p->user, strlen(p->user));
	mem_wipe(h, sizeof(h));
	p->method_done = true;
	return resp_end(p, out);
}

static enum eap_peer_step gtc_answer(struct eap_peer *p, uint8_t id, struct buf *out)
{
	resp_begin(out, id, EAP_TYPE_GTC);
	buf_put(out, p->password, strlen(p->password));
	p->method_done = true;
	return resp_end(p, out);
}

/* Challenge: MS-CHAPv2-ID, MS-Length(2), Value-Size = 16, Challenge, Name
 *   --> Response: ID, MS-Length, 49, Peer-Challenge(16), 8 x 0, NT-Response(24), Flags 0, Name */
static enum eap_peer_step ms_challenge(struct eap_peer *p, uint8_t id, const uint8_t *d, size_t n,
				       struct buf *out)
{
	if (n < 4 + 16 || d[3] != 16)
		return fail(p, "malformed MSCHAPv2 Challenge");
	uint8_t ms_id = d[0];
	memcpy(p->auth_ch, d + 4, 16);
	if (crypto_random(p->peer_ch, 16) < 0 ||
	    aaa_nt_hash(p->password, strlen(p->password), p->nt_hash) < 0 ||
	    mschapv2_nt_response(p->auth_ch, p->peer_ch, p->user, p->nt_hash, p->nt_resp) < 0)
		return fail(p, "MSCHAPv2 computation failed (legacy provider?)");
	resp_begin(out, id, EAP_TYPE_MSCHAPV2);
	size_t ms_len = 4 + 1 + 49 + strlen(p->user);
	buf_put_u8(out, MS_RESPONSE);
	buf_put_u8(out, ms_id);
	buf_put_u16(out, (uint16_t)ms_len);
	buf_put_u8(out, 49);
	buf_put(out, p->peer_ch, 16);
	static const uint8_t zero[8];
	buf_put(out, zero, 8);
	buf_put(out, p->nt_resp, 24);
	buf_put_u8(out, 0);
	buf_put(out, p->user, strlen(p->user));
	return resp_end(p, out);
}

/* Success request: "S=<40 hex> M=...": check the authenticator response
 * (mutual authentication) before answering with an empty Success. */
static enum eap_peer_step ms_success(struct eap_peer *p, uint8_t id, const uint8_t *d, size_t n,
				     struct buf *out)
{
	char want[43];
	/* d[0] is the MS-CHAPv2-ID: any value, 0 included (the gateway picks it) */
	if (n < 3 + 42)
		return fail(p, "malformed MSCHAPv2 Success");
	if (mschapv2_authenticator_response(p->nt_hash, p->nt_resp, p->peer_ch, p->auth_ch, p->user,
					    want) < 0 ||
	    mem_cmp_ct(want, d + 3, 42) != 0)
		return fail(p, "gateway's MSCHAPv2 authenticator response is wrong");
	if (mschapv2_msk(p->nt_hash, p->nt_resp, p->msk) < 0)
		return fail(p, "MSK derivation failed");
	p->have_msk = true;
	p->method_done = true;
	resp_begin(out, id, EAP_TYPE_MSCHAPV2);
	buf_put_u8(out, MS_SUCCESS);
	return resp_end(p, out);
}

static enum eap_peer_step mschapv2(struct eap_peer *p, uint8_t id, const uint8_t *d, size_t n,
				   struct buf *out)
{
	if (n < 1)
		return fail(p, "empty MSCHAPv2 request");
	switch (d[0]) {
	case MS_CHALLENGE: return ms_challenge(p, id, d + 1, n - 1, out);
	case MS_SUCCESS: return ms_success(p, id, d + 1, n - 1, out);
	case MS_FAILURE: return fail(p, "MSCHAPv2 Failure: password rejected");
	default: return fail(p, "unknown MSCHAPv2 opcode");
	}
}

static enum eap_peer_step request(struct eap_peer *p, uint8_t id, uint8_t type, const uint8_t *d,
				  size_t n, struct buf *out)
{
	if (type == EAP_TYPE_IDENTITY) {
		resp_begin(out, id, EAP_TYPE_IDENTITY);
		buf_put(out, p->user, strlen(p->user));
		return resp_end(p, out);
	}
	if (type == EAP_TYPE_NOTIFICATION) {
		resp_begin(out, id, EAP_TYPE_NOTIFICATION);
		return resp_end(p, out);
	}
	if (type != p->want) {
		/* RFC 3748 §5.3.1: a Nak names the method we want instead */
		if (type == EAP_TYPE_NAK || type == EAP_TYPE_EXPANDED)
			return fail(p, "unexpected EAP request type");
		resp_begin(out, id, EAP_TYPE_NAK);
		buf_put_u8(out, (uint8_t)p->want);
		return resp_end(p, out);
	}
	switch (type) {
	case EAP_TYPE_MD5: return md5_answer(p, id, d, n, out);
	case EAP_TYPE_GTC: return gtc_answer(p, id, out);
	case EAP_TYPE_MSCHAPV2: return mschapv2(p, id, d, n, out);
	default: return fail(p, "unsupported EAP method");
	}
}

enum eap_peer_step eap_peer_process(struct eap_peer *p, const uint8_t *in, size_t len,
				    struct buf *out)
{
	buf_reset(out);
	if (len < 4)
		return fail(p, "EAP packet too short");
	size_t plen = (size_t)in[2] << 8 | in[3];
	if (plen < 4 || plen > len)
		return fail(p, "EAP length field is wrong");
	switch (in[0]) {
	case EAP_CODE_SUCCESS:
		return p->method_done ? EAP_PEER_SUCCESS : fail(p, "EAP-Success before the method ended");
	case EAP_CODE_FAILURE:
		return fail(p, "EAP-Failure: authentication rejected");
	case EAP_CODE_REQUEST:
		if (plen < 5)
			return fail(p, "EAP request without a type");
		return request(p, in[1], in[4], in + 5, plen - 5, out);
	default:
		return fail(p, "unexpected EAP code");
	}
}
