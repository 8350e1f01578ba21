/* EAP-GTC, Generic Token Card (RFC 3748 §5.6).
 *
 *   Request/GTC:  "Password:"                  -->
 *                 <--  Response/GTC:  the password (or token code)
 *
 * The Response carries the password in clear (inside the IKE SA, so it is
 * encrypted on the wire); it is checked with aaa_verify_password(), which
 * accepts every stored form that can check a password.  Some peers (EAP-FAST
 * clients) answer "RESPONSE=<user>\0<password>": the user then must be the
 * EAP identity.  No MSK: IKEv2 AUTH uses SK_pi/SK_pr. */
#include <string.h>

#include "auth/eap_int.h"

#define GTC_PROMPT "Password:"
#define GTC_PREFIX "RESPONSE="

static int gtc_start(struct eap_server *s, struct buf *out)
{
	(void)s;
	buf_put(out, GTC_PROMPT, strlen(GTC_PROMPT));
	return 0;
}

static enum eap_step gtc_process(struct eap_server *s, struct rd *data, size_t eap_len,
				 struct buf *out)
{
	(void)eap_len;
	size_t n = data->left;
	const char *p = (const char *)rd_ptr(data, n);
	size_t plen = strlen(GTC_PREFIX);
	if (n > plen && memcmp(p, GTC_PREFIX, plen) == 0) {
		const char *user = p + plen;
		const char *nul = memchr(user, '\0', n - plen);
		if (nul) {
			size_t ulen = (size_t)(nul - user);
			if (ulen != strlen(s->identity) || memcmp(user, s->identity, ulen) != 0)
				return eap_fail(s, out, AAA_ERROR,
						"GTC RESPONSE= names another user than the EAP identity");
			n -= plen + ulen + 1;
			p = nul + 1;
		}
	}
	const char *why = NULL;
	enum aaa_result r = aaa_verify_password(&s->aaa, s->identity, n ? p : "", n, &why);
	if (r != AAA_ACCEPT)
		return eap_fail(s, out, r, "%s", why ? why : aaa_result_name(r));
	return eap_succeed(s, out);
}

const struct eap_method eap_method_gtc = {
	.type = EAP_TYPE_GTC,
	.name = "GTC",
	.start = gtc_start,
	.process = gtc_process,
};
