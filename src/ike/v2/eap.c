/* IKE_AUTH with EAP (RFC 7296 §2.16, RFC 3748): the EAP round trips and
 * the final AUTH exchange.
 *
 * The EAP methods themselves are state machines in auth/eap.h; this file
 * only carries their messages.  Offered: MSCHAPv2 first (when the legacy
 * provider gives MD4/DES), then MD5 and GTC, which a peer reaches with an
 * EAP-NAK (strongSwan NAKs to the method its `eap-<method>` config names).
 *
 * After EAP-Success the initiator proves it holds the MSK (MSCHAPv2) or,
 * for methods without one (MD5, GTC), SK_pi; we answer with an AUTH made
 * with the MSK or SK_pr -- both as a shared-key MIC over the signed
 * octets (§2.15). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/eap.h"
#include "base/mem.h"
#include "ike/v2/v2.h"

/* HDR, SK {EAP(Response)} -->
 *   <-- HDR, SK {EAP(Request | Success | Failure)}         RFC 7296 §2.16 */
enum v2_verdict v2_eap_continue(struct v2_ctx *c)
{
	struct ike_sa *sa = c->sa;
	struct v2_auth *a = c->v->auth;
	if (!a || !a->eap)
		return V2_DROP;
	struct buf out;
	buf_init(&out);
	enum eap_step st = eap_server_process(a->eap, c->in->eap.data, c->in->eap.len, &out);
	if (out.oom || out.len == 0) {
		buf_free(&out);
		c->notify = IKEV2_N_AUTHENTICATION_FAILED;
		c->close_reason = "EAP internal error";
		return V2_NOTIFY_CLOSE;
	}
	ikev2_w_eap(c->w, out.data, out.len);
	buf_free(&out);
	const char *who = eap_server_identity(a->eap);
	if (who && (!sa->username || strcmp(sa->username, who) != 0)) {
		free(sa->username);
		sa->username = mem_strdup(who);
	}
	if (st == EAP_STEP_SEND) {
		v2_log(sa, 3, "EAP: sending %s request", eap_type_name(eap_server_method(a->eap)));
		return V2_REPLY;
	}
	if (st == EAP_STEP_FAILURE) {
		char why[160];
		snprintf(why, sizeof(why), "EAP-%s authentication failed: %s",
			 eap_type_name(eap_server_method(a->eap)), eap_server_reason(a->eap));
		char l[32], r[32];
		log_event(SEV_WARNING, 750003, "Local:%s Remote:%s Username:%s Negotiation aborted "
			  "due to ERROR: %s", ike_addr_str(&sa->local, l, sizeof(l)),
			  ike_addr_str(&sa->remote, r, sizeof(r)), who ? who : "Unknown", why);
		v2_log(sa, 1, "%s", why);
		c->eng->st.auth_failed++;
		c->close_reason = "EAP failure";
		/* §2.21.2: the EAP-Failure travels with N(AUTHENTICATION_FAILED) */
		ikev2_w_notify(c->w, 0, NULL, 0, IKEV2_N_AUTHENTICATION_FAILED, NULL, 0);
		return V2_REPLY_CLOSE;          /* the EAP-Failure goes out, then the SA goes */
	}
	a->msk_len = sizeof(a->msk);
	if (eap_server_msk(a->eap, a->msk, &a->msk_len) < 0)
		a->msk_len = 0;
	v2_log(sa, 1, "EAP-%s succeeded for user %s (%s)", eap_type_name(eap_server_method(a->eap)),
	       who ? who : "?", a->msk_len ? "MSK derived" : "no MSK: AUTH uses SK_pi/SK_pr");
	c->next = IKE_STATE_AUTH_FINAL;
	return V2_REPLY;
}

/* HDR, SK {AUTH} -->
 *   <-- HDR, SK {AUTH, [CP(CFG_REPLY),] SAr2, TSi, TSr}    RFC 7296 §2.16 */
enum v2_verdict v2_eap_final(struct v2_ctx *c)
{
	struct ike_sa *sa = c->sa;
	struct v2_sa *v = c->v;
	struct v2_auth *a = v->auth;
	uint8_t mac[CRYPTO_MAX_HASH];
	size_t mac_len = 0;
	struct buf oct;
	enum v2_verdict vd;
	if (!a)
		return V2_DROP;
	buf_init(&oct);
	const uint8_t *ki = a->msk_len ? a->msk : v->km.sk_pi;
	const uint8_t *kr = a->msk_len ? a->msk : v->km.sk_pr;
	size_t klen = a->msk_len ? a->msk_len : v->km.prf_len;
	const struct ikev2_auth *au = &c->in->auth;
	if (au->method != IKEV2_AUTH_PSK ||
	    v2_auth_octets(v, false, a->idi_body, a->idi_len, &oct) < 0 ||
	    v2_auth_psk(v->km.prf, ki, klen, &oct, mac, &mac_len) < 0 ||
	    au->data.len != mac_len || mem_cmp_ct(mac, au->data.data, mac_len) != 0) {
		v2_log(sa, 1, "AUTH after EAP does not verify (%s)",
		       a->msk_len ? "MSK" : "SK_pi");
		c->eng->st.auth_failed++;
		c->notify = IKEV2_N_AUTHENTICATION_FAILED;
		c->close_reason = "AUTH after EAP failed";
		vd = V2_NOTIFY_CLOSE;
		goto out;
	}
	if (v2_auth_octets(v, true, a->idr_body, a->idr_len, &oct) < 0 ||
	    v2_auth_psk(v->km.prf, kr, klen, &oct, mac, &mac_len) < 0) {
		c->notify = IKEV2_N_AUTHENTICATION_FAILED;
		c->close_reason = "internal error";
		vd = V2_NOTIFY_CLOSE;
		goto out;
	}
	ikev2_w_auth(c->w, IKEV2_AUTH_PSK, mac, mac_len);
	v2_log(sa, 2, "AUTH after EAP verified");
	vd = v2_auth_complete(c);
out:
	mem_wipe(mac, sizeof(mac));
	buf_free(&oct);
	return vd;
}
