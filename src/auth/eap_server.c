/* EAP server (authenticator) for the IKEv2 responder: framing, identifier,
 * Identity round, method selection and NAK (RFC 3748 §4, §5.3).
 *
 *   ravpn                                    peer
 *   Request/Identity (if no identity given)  -->
 *                                            <--  Response/Identity "alice"
 *   Request/<first configured method>        -->
 *                                            <--  Response/Nak [26 4]   (optional)
 *   Request/<first configured type the Nak names, never one tried before>
 *   ... method rounds ...
 *   Success | Failure                        -->
 *
 * Each Response must echo the identifier of the outstanding Request.  A
 * Response with another identifier is stale or duplicated: it is ignored
 * with a log line and the outstanding Request is sent again (the IKE layer
 * must answer every IKE_AUTH request), at most EAP_MAX_IGNORED times.
 * Everything malformed ends in EAP-Failure with a reason, never a crash. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/eap_int.h"
#include "base/log.h"
#include "base/mem.h"
#include "crypto/crypto.h"

static const struct eap_method *eap_method_for(enum eap_type t)
{
	switch (t) {
	case EAP_TYPE_MD5: return &eap_method_md5;
	case EAP_TYPE_GTC: return &eap_method_gtc;
	case EAP_TYPE_MSCHAPV2: return &eap_method_mschapv2;
	default: return NULL;
	}
}

const char *eap_type_name(uint8_t type)
{
	switch (type) {
	case EAP_TYPE_IDENTITY: return "Identity";
	case EAP_TYPE_NOTIFICATION: return "Notification";
	case EAP_TYPE_NAK: return "Nak";
	case EAP_TYPE_MD5: return "MD5";
	case 5: return "OTP";
	case EAP_TYPE_GTC: return "GTC";
	case 13: return "TLS";
	case 21: return "TTLS";
	case 25: return "PEAP";
	case EAP_TYPE_MSCHAPV2: return "MSCHAPv2";
	case EAP_TYPE_EXPANDED: return "Expanded";
	default: return "unknown";
	}
}

/* ---- log lines ------------------------------------------------------------ */

static void eap_vformat(const struct eap_server *s, char *line, size_t n, const char *fmt,
			va_list ap)
{
	int k = snprintf(line, n, "Group = %s, Username = %s, IP = %s, EAP: ",
			 s->aaa.tunnel_group ? s->aaa.tunnel_group : "-",
			 s->identity[0] ? s->identity : "-", s->aaa.peer ? s->aaa.peer : "-");
	if (k > 0 && (size_t)k < n)
		vsnprintf(line + k, n - (size_t)k, fmt, ap);
}

void eap_debug(const struct eap_server *s, unsigned level, const char *fmt, ...)
{
	if (!log_debug_on(LOG_IKEV2, level))
		return;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	eap_vformat(s, line, sizeof(line), fmt, ap);
	va_end(ap);
	log_debug(LOG_IKEV2, level, "%s", line);
}

/* ---- building messages ---------------------------------------------------- */

void eap_req_begin(struct eap_server *s, struct buf *out, enum eap_type type)
{
	buf_reset(out);
	s->id++;
	buf_put_u8(out, EAP_CODE_REQUEST);
	buf_put_u8(out, s->id);
	buf_put_u16(out, 0);              /* Length, patched in eap_req_end() */
	buf_put_u8(out, (uint8_t)type);
}

enum eap_step eap_req_end(struct eap_server *s, struct buf *out)
{
	if (out->oom || out->len > 0xffff)
		return eap_fail(s, out, AAA_ERROR, "out of memory building an EAP Request");
	buf_patch_u16(out, 2, (uint16_t)out->len);
	buf_reset(&s->last);
	buf_put(&s->last, out->data, out->len);
	eap_debug(s, 5, "sending Request/%s id %u, %zu bytes", eap_type_name(out->data[4]),
		  s->id, out->len);
	return EAP_STEP_SEND;
}

static void eap_put_final(const struct eap_server *s, struct buf *out)
{
	buf_reset(out);
	buf_put_u8(out, s->success ? EAP_CODE_SUCCESS : EAP_CODE_FAILURE);
	buf_put_u8(out, s->id);           /* the identifier of the Response answered */
	buf_put_u16(out, 4);
}

enum eap_step eap_succeed(struct eap_server *s, struct buf *out)
{
	s->phase = EAP_PH_DONE;
	s->success = true;
	s->aaa_result = AAA_ACCEPT;
	s->reason[0] = '\0';
	eap_put_final(s, out);
	eap_debug(s, 1, "EAP-%s succeeded", s->m ? s->m->name : "?");
	return EAP_STEP_SUCCESS;
}

enum eap_step eap_fail(struct eap_server *s, struct buf *out, enum aaa_result r,
		       const char *fmt, ...)
{
	static struct log_limit lim;
	unsigned supp = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
	va_end(ap);
	s->phase = EAP_PH_DONE;
	s->success = false;
	s->have_msk = false;
	mem_wipe(s->msk, sizeof(s->msk));
	s->aaa_result = r;
	eap_put_final(s, out);
	if (log_limit_pass(&lim, 10, &supp)) {
		char line[512];
		snprintf(line, sizeof(line), "Group = %s, Username = %s, IP = %s, EAP%s%s failed: %s",
			 s->aaa.tunnel_group ? s->aaa.tunnel_group : "-",
			 s->identity[0] ? s->identity : "-", s->aaa.peer ? s->aaa.peer : "-",
			 s->m ? "-" : "", s->m ? s->m->name : "", s->reason);
		if (supp)
			log_msg(SEV_NOTICE, "%s (%u similar lines suppressed)", line, supp);
		else
			log_msg(SEV_NOTICE, "%s", line);
	}
	return EAP_STEP_FAILURE;
}

/* ---- life cycle ------------------------------------------------------------ */

struct eap_server *eap_server_new(const enum eap_type *methods, size_t n_methods,
				  const struct aaa_ctx *aaa, const char *identity)
{
	if (!methods || !aaa)
		return NULL;
	struct eap_server *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	buf_init(&s->last);
	s->aaa = *aaa;
	for (size_t i = 0; i < n_methods && s->n_methods < EAP_MAX_METHODS; i++) {
		bool dup = false;
		for (size_t k = 0; k < s->n_methods; k++)
			dup |= s->methods[k] == methods[i];
		if (eap_method_for(methods[i]) && !dup)
			s->methods[s->n_methods++] = methods[i];
		else if (!dup)
			log_msg(SEV_WARNING, "EAP: method %s (%d) is not supported, skipped",
				eap_type_name((uint8_t)methods[i]), (int)methods[i]);
	}
	if (identity && (strlen(identity) > EAP_IDENTITY_MAX ||
			 eap_check_name((const uint8_t *)identity, strlen(identity)))) {
		log_msg(SEV_WARNING, "EAP: the given identity is not a usable user name");
		identity = NULL;
		s->n_methods = 0;    /* refuse rather than guess */
	}
	if (!s->n_methods) {
		eap_server_free(s);
		return NULL;
	}
	if (identity)
		snprintf(s->identity, sizeof(s->identity), "%s", identity);
	return s;
}

void eap_server_free(struct eap_server *s)
{
	if (!s)
		return;
	buf_free(&s->last);
	mem_free_secret(s, sizeof(*s));
}

enum eap_step eap_method_propose(struct eap_server *s, size_t i, struct buf *out)
{
	s->m = eap_method_for(s->methods[i]);
	s->tried |= 1u << i;
	s->nak_allowed = true;
	s->phase = EAP_PH_METHOD;
	memset(&s->u, 0, sizeof(s->u));
	eap_req_begin(s, out, s->m->type);
	if (s->m->start(s, out) != 0)
		return eap_fail(s, out, AAA_ERROR, "EAP-%s could not start (random generator)",
				s->m->name);
	return eap_req_end(s, out);
}

enum eap_step eap_server_start(struct eap_server *s, struct buf *out)
{
	if (!s || !out)
		return EAP_STEP_FAILURE;
	if (s->phase != EAP_PH_NEW)
		return eap_fail(s, out, AAA_ERROR, "EAP conversation started twice");
	if (crypto_random(&s->id, 1) != 0)
		return eap_fail(s, out, AAA_ERROR, "random generator failed");
	if (s->identity[0])
		return eap_method_propose(s, 0, out);
	s->phase = EAP_PH_IDENTITY;
	eap_req_begin(s, out, EAP_TYPE_IDENTITY);
	if (eap_identity_start(s, out) != 0)
		return eap_fail(s, out, AAA_ERROR, "EAP-Identity could not start");
	return eap_req_end(s, out);
}

/* ---- processing ------------------------------------------------------------ */

/* Legacy Nak (RFC 3748 §5.3.1): the peer lists the types it wants; take the
 * first type of our configured list that it names and that was not tried. */
static enum eap_step eap_process_nak(struct eap_server *s, struct rd *data, struct buf *out)
{
	const char *refused = s->m->name;
	if (!s->nak_allowed)
		return eap_fail(s, out, AAA_ERROR, "Nak in the middle of EAP-%s", refused);
	size_t n = data->left;
	const uint8_t *want = rd_ptr(data, n);
	char list[64] = "";
	for (size_t k = 0, o = 0; k < n && o + 5 < sizeof(list); k++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%u", k ? " " : "", want[k]);
	eap_debug(s, 5, "peer refused EAP-%s, wants [%s]", refused, list);
	for (size_t i = 0; i < s->n_methods; i++) {
		if (s->tried & (1u << i))
			continue;
		if (n && memchr(want, (int)s->methods[i], n))
			return eap_method_propose(s, i, out);
	}
	return eap_fail(s, out, AAA_ERROR,
			"peer refused EAP-%s and wants none of the other configured methods [%s]",
			refused, list);
}

static enum eap_step eap_resend(struct eap_server *s, uint8_t got, struct buf *out)
{
	if (++s->ignored > EAP_MAX_IGNORED)
		return eap_fail(s, out, AAA_ERROR, "too many stale EAP Responses");
	static struct log_limit lim;
	unsigned supp;
	if (log_limit_pass(&lim, 10, &supp))
		log_msg(SEV_NOTICE, "Group = %s, IP = %s, EAP: ignoring Response with identifier %u "
			"(expected %u), sending the Request again",
			s->aaa.tunnel_group ? s->aaa.tunnel_group : "-",
			s->aaa.peer ? s->aaa.peer : "-", got, s->id);
	buf_reset(out);
	buf_put(out, s->last.data, s->last.len);
	return out->oom ? eap_fail(s, out, AAA_ERROR, "out of memory") : EAP_STEP_SEND;
}

static enum eap_step eap_dispatch(struct eap_server *s, uint8_t type, struct rd *data,
				  size_t eap_len, struct buf *out)
{
	if (s->phase == EAP_PH_IDENTITY) {
		if (type != EAP_TYPE_IDENTITY)
			return eap_fail(s, out, AAA_ERROR, "expected Response/Identity, got %s (%u)",
					eap_type_name(type), type);
		return eap_identity_process(s, data, out);
	}
	if (type == EAP_TYPE_NAK)
		return eap_process_nak(s, data, out);
	if (type != s->m->type)
		return eap_fail(s, out, AAA_ERROR, "peer answered EAP-%s with %s (%u)", s->m->name,
				eap_type_name(type), type);
	s->nak_allowed = false;
	return s->m->process(s, data, eap_len, out);
}

enum eap_step eap_server_process(struct eap_server *s, const uint8_t *in, size_t len,
				 struct buf *out)
{
	if (!s || !out)
		return EAP_STEP_FAILURE;
	if (s->phase == EAP_PH_DONE) {
		eap_put_final(s, out);      /* the outcome does not change any more */
		return s->success ? EAP_STEP_SUCCESS : EAP_STEP_FAILURE;
	}
	if (s->phase == EAP_PH_NEW)
		return eap_fail(s, out, AAA_ERROR, "EAP Response before the first Request");
	if (++s->rounds > EAP_MAX_ROUNDS)
		return eap_fail(s, out, AAA_ERROR, "too many EAP rounds");
	struct rd r = rd_init(in, in ? len : 0);
	uint8_t code = rd_u8(&r), id = rd_u8(&r);
	uint16_t elen = rd_u16(&r);
	if (r.bad)
		return eap_fail(s, out, AAA_ERROR, "EAP message of %zu bytes, shorter than a header",
				len);
	if (elen < 4 || elen > len)
		return eap_fail(s, out, AAA_ERROR, "EAP Length %u does not fit the %zu bytes received",
				elen, len);
	if (code != EAP_CODE_RESPONSE)
		return eap_fail(s, out, AAA_ERROR, "expected an EAP Response, got code %u", code);
	if (id != s->id)
		return eap_resend(s, id, out);
	if (elen < 5)
		return eap_fail(s, out, AAA_ERROR, "EAP Response without a Type");
	if (elen < len)
		eap_debug(s, 10, "%zu bytes after the EAP Length ignored", len - elen);
	uint8_t type = rd_u8(&r);
	struct rd data = rd_sub(&r, elen - 5u);
	eap_debug(s, 5, "received Response/%s id %u, %u bytes", eap_type_name(type), id, elen);
	return eap_dispatch(s, type, &data, elen, out);
}

/* ---- accessors --------------------------------------------------------------- */

const char *eap_server_identity(const struct eap_server *s)
{
	return s && s->identity[0] ? s->identity : NULL;
}

enum eap_type eap_server_method(const struct eap_server *s)
{
	if (!s)
		return 0;
	return s->m ? s->m->type : s->phase == EAP_PH_IDENTITY ? EAP_TYPE_IDENTITY : 0;
}

int eap_server_msk(const struct eap_server *s, uint8_t *msk, size_t *len)
{
	if (!s || !msk || !s->success || !s->have_msk)
		return -1;
	memcpy(msk, s->msk, EAP_MSK_LEN);
	if (len)
		*len = EAP_MSK_LEN;
	return 0;
}

const char *eap_server_reason(const struct eap_server *s)
{
	return s ? s->reason : "";
}

enum aaa_result eap_server_aaa_result(const struct eap_server *s)
{
	return s ? s->aaa_result : AAA_ERROR;
}

const char *eap_server_name(const struct eap_server *s)
{
	const struct conf *c = s->aaa.conf;
	return c && c->hostname && *c->hostname ? c->hostname : "ravpn";
}

const char *eap_check_name(const uint8_t *p, size_t n)
{
	if (n == 0)
		return "empty";
	if (n > EAP_IDENTITY_MAX)
		return "longer than 255 bytes";
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			return "contains a control character";
	return NULL;
}
