/* EAP Identity round (RFC 3748 §5.1).
 *
 *   Request/Identity  (Type-Data: an optional displayable message; ravpn
 *                      sends none, as IKEv2 clients show nothing)   -->
 *                                        <--  Response/Identity "alice"
 *
 * The identity is the user name the methods look up (MD5, GTC) or compare
 * with their own (the MSCHAPv2 Name). */
#include <string.h>

#include "auth/eap_int.h"

int eap_identity_start(struct eap_server *s, struct buf *out)
{
	(void)s;
	(void)out;
	return 0;
}

enum eap_step eap_identity_process(struct eap_server *s, struct rd *data, struct buf *out)
{
	size_t n = data->left;
	const uint8_t *p = rd_ptr(data, n);
	const char *bad = eap_check_name(p, n);
	if (bad)
		return eap_fail(s, out, AAA_ERROR, "EAP identity %s", bad);
	memcpy(s->identity, p, n);
	s->identity[n] = '\0';
	s->identity_from_eap = true;
	eap_debug(s, 5, "received EAP identity");
	return eap_method_propose(s, 0, out);
}
