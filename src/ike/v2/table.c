/* The IKEv2 responder's transition table (STYLE.md rule 4).
 *
 * One row per (state, exchange, payload shape): the payloads that must be
 * present (outside SK for IKE_SA_INIT, inside SK otherwise), the payloads
 * whose presence selects another row, the handler and the state after a
 * successful reply.  exchange.c checks the row before calling the handler,
 * so handlers never see a message without their required payloads. */
#include "ike/v2/v2.h"

#define B(t) IKEV2_BIT(IKEV2_PL_##t)

static const struct v2_transition table[] = {
	/* HDR, SAi1, KEi, Ni -->  <-- HDR, SAr1, KEr, Nr, [CERTREQ]    §1.2 */
	{ V2_STATE_NONE, IKEV2_IKE_SA_INIT, B(SA) | B(KE) | B(NONCE), 0,
	  v2_init_request, IKE_STATE_INIT_DONE, "new IKE SA" },

	/* HDR, SK {IDi, [CERTREQ,] [IDr,] [CP,] SAi2, TSi, TSr} -->
	 *   <-- HDR, SK {IDr, [CERT,] AUTH, EAP}                       §2.16 */
	{ IKE_STATE_INIT_DONE, IKEV2_IKE_AUTH, B(IDI), B(AUTH),
	  v2_auth_eap_begin, IKE_STATE_AUTH_EAP, "no AUTH from the initiator: EAP" },

	/* HDR, SK {IDi, [CERT,] AUTH, [CP,] SAi2, TSi, TSr} -->
	 *   <-- HDR, SK {IDr, [CERT,] AUTH, [CP,] SAr2, TSi, TSr}      §1.2 */
	{ IKE_STATE_INIT_DONE, IKEV2_IKE_AUTH, B(IDI) | B(AUTH), 0,
	  v2_auth_direct, IKE_STATE_ESTABLISHED, "pre-shared key or certificate" },

	/* HDR, SK {EAP} -->  <-- HDR, SK {EAP}                         §2.16 */
	{ IKE_STATE_AUTH_EAP, IKEV2_IKE_AUTH, B(EAP), 0,
	  v2_eap_continue, IKE_STATE_AUTH_EAP, "EAP round trip" },

	/* HDR, SK {AUTH} -->  <-- HDR, SK {AUTH, [CP,] SAr2, TSi, TSr} §2.16 */
	{ IKE_STATE_AUTH_FINAL, IKEV2_IKE_AUTH, B(AUTH), 0,
	  v2_eap_final, IKE_STATE_ESTABLISHED, "AUTH after EAP" },

	/* HDR, SK {[N,] [D,] [CP,] ...} -->  <-- HDR, SK {[N,] [D,] ...}  §1.4 */
	{ IKE_STATE_ESTABLISHED, IKEV2_INFORMATIONAL, 0, 0,
	  v2_info_request, IKE_STATE_ESTABLISHED, "informational" },
	{ IKE_STATE_REKEYED, IKEV2_INFORMATIONAL, 0, 0,
	  v2_info_request, IKE_STATE_REKEYED, "informational on a rekeyed SA" },
	{ IKE_STATE_INIT_DONE, IKEV2_INFORMATIONAL, 0, 0,
	  v2_info_request, IKE_STATE_INIT_DONE, "informational before IKE_AUTH" },
	{ IKE_STATE_AUTH_EAP, IKEV2_INFORMATIONAL, 0, 0,
	  v2_info_request, IKE_STATE_AUTH_EAP, "informational during EAP" },
	{ IKE_STATE_AUTH_FINAL, IKEV2_INFORMATIONAL, 0, 0,
	  v2_info_request, IKE_STATE_AUTH_FINAL, "informational during EAP" },
	{ IKE_STATE_DELETING, IKEV2_INFORMATIONAL, 0, 0,
	  v2_info_request, IKE_STATE_DELETING, "informational while deleting" },

	/* HDR, SK {[N(REKEY_SA)], SA, Ni, [KEi], [TSi, TSr]} -->
	 *   <-- HDR, SK {SA, Nr, [KEr], [TSi, TSr]}                    §1.3 */
	{ IKE_STATE_ESTABLISHED, IKEV2_CREATE_CHILD_SA, B(SA) | B(NONCE), 0,
	  v2_create_child, IKE_STATE_ESTABLISHED, "create or rekey a CHILD SA, rekey the IKE SA" },
	/* §2.25: a rekeyed or closing SA answers TEMPORARY_FAILURE */
	{ IKE_STATE_REKEYED, IKEV2_CREATE_CHILD_SA, 0, 0,
	  v2_temporary_failure, IKE_STATE_REKEYED, "CREATE_CHILD_SA on a rekeyed SA" },
	{ IKE_STATE_DELETING, IKEV2_CREATE_CHILD_SA, 0, 0,
	  v2_temporary_failure, IKE_STATE_DELETING, "CREATE_CHILD_SA while deleting" },
};

const struct v2_transition *v2_transition_find(int state, uint8_t exchange, uint32_t present,
					       bool *exchange_known)
{
	*exchange_known = false;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct v2_transition *t = &table[i];
		if (t->state != state || t->exchange != exchange)
			continue;
		*exchange_known = true;
		if ((present & t->need) == t->need && (present & t->absent) == 0)
			return t;
	}
	return NULL;
}
