/* EAP-MD5-Challenge (RFC 3748 §5.4, CHAP as in RFC 1994).
 *
 *   Request/MD5:   Value-Size = 16 | Value = random challenge | Name  -->
 *                  <--  Response/MD5:  Value-Size = 16 | Value | Name
 *
 *   Value (Response) = MD5(Identifier || password || challenge)
 *
 * where Identifier is that of the Request (which the Response echoes).
 * Only a plain password can answer; no MSK is derived, so IKEv2 AUTH uses
 * SK_pi/SK_pr.  The Name of the Response is ignored: the user is the EAP
 * identity. */
#include <string.h>

#include "auth/eap_int.h"
#include "base/mem.h"
#include "crypto/crypto.h"

#define MD5_VALUE 16
#define MD5_PW_MAX 512

static int md5_start(struct eap_server *s, struct buf *out)
{
	struct eap_md5_state *st = &s->u.md5;
	if (crypto_random(st->challenge, sizeof(st->challenge)) != 0)
		return -1;
	const char *name = eap_server_name(s);
	buf_put_u8(out, sizeof(st->challenge));
	buf_put(out, st->challenge, sizeof(st->challenge));
	buf_put(out, name, strlen(name));
	return 0;
}

/* 1 when value is MD5(id || password || challenge); 0 when not; -1 error. */
static int md5_check(const struct eap_server *s, const char *pw, size_t pw_len,
		     const uint8_t value[MD5_VALUE])
{
	uint8_t want[MD5_VALUE];
	int rc = -1;
	if (crypto_hash(HASH_MD5, &s->id, 1, (const uint8_t *)pw, pw_len, s->u.md5.challenge,
			sizeof(s->u.md5.challenge), want) == 0)
		rc = mem_cmp_ct(want, value, MD5_VALUE) == 0;
	mem_wipe(want, sizeof(want));
	return rc;
}

static enum eap_step md5_process(struct eap_server *s, struct rd *data, size_t eap_len,
				 struct buf *out)
{
	(void)eap_len;
	uint8_t vs = rd_u8(data);
	if (data->bad || vs != MD5_VALUE)
		return eap_fail(s, out, AAA_ERROR, "Value-Size %u (expected %u)", vs, MD5_VALUE);
	const uint8_t *value = rd_ptr(data, MD5_VALUE);
	if (!value)
		return eap_fail(s, out, AAA_ERROR, "Response shorter than its Value-Size");

	char pw[MD5_PW_MAX];
	size_t pw_len = 0;
	const char *why = NULL;
	enum aaa_result r = aaa_get_cleartext(&s->aaa, s->identity, pw, sizeof(pw), &pw_len, &why);
	if (r == AAA_ACCEPT) {
		int ok = md5_check(s, pw, pw_len, value);
		r = ok == 1 ? AAA_ACCEPT : ok == 0 ? AAA_REJECT : AAA_ERROR;
		why = ok == 1 ? NULL : ok == 0 ? "wrong password" : "MD5 unavailable";
	}
	mem_wipe(pw, sizeof(pw));
	aaa_report(&s->aaa, s->identity, r, why);
	if (r != AAA_ACCEPT)
		return eap_fail(s, out, r, "%s", why ? why : aaa_result_name(r));
	return eap_succeed(s, out);
}

const struct eap_method eap_method_md5 = {
	.type = EAP_TYPE_MD5,
	.name = "MD5",
	.start = md5_start,
	.process = md5_process,
};
