/* AAA against the local user database (username U password P ...).
 *
 * What each stored form can answer:
 *
 *   stored form              verify (GTC, XAUTH)   cleartext (MD5)   NT hash (MSCHAPv2)
 *   plain                    yes                   yes               yes (computed)
 *   nt-encrypted (hex NT)    yes (NT of given pw)  no                yes
 *   encrypted (PIX/ASA MD5)  yes (hash given pw)   no                no
 *   nopassword               no                    no                no
 *
 * "no" is AAA_UNSUPPORTED with a reason that names the method and the
 * stored form, so the administrator sees why a login cannot work.  A named
 * server group (RADIUS, TACACS+) is refused with AAA_ERROR until the AAA
 * work implements it: nobody is ever let in by default.
 *
 * Events: 113012 on success, 113015 on rejection (protocol.md §3.7). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "aaa/aaa.h"
#include "base/log.h"
#include "base/mem.h"

static _Thread_local char aaa_why_buf[256];

const char *aaa_result_name(enum aaa_result r)
{
	switch (r) {
	case AAA_ACCEPT: return "ACCEPT";
	case AAA_REJECT: return "REJECT";
	case AAA_UNKNOWN_USER: return "UNKNOWN_USER";
	case AAA_UNSUPPORTED: return "UNSUPPORTED";
	case AAA_ERROR: return "ERROR";
	}
	return "?";
}

static bool aaa_is_local(const struct aaa_ctx *ctx)
{
	return !ctx->server_group || strcasecmp(ctx->server_group, "LOCAL") == 0;
}

static const char *aaa_group_reason(const struct aaa_ctx *ctx)
{
	snprintf(aaa_why_buf, sizeof(aaa_why_buf),
		 "authentication server group %s is not supported yet "
		 "(RADIUS/TACACS+ come with the AAA work)", ctx->server_group);
	return aaa_why_buf;
}

static const struct conf_user *aaa_find_user(const struct conf *c, const char *name)
{
	for (size_t i = 0; c && i < c->n_users; i++)
		if (c->users[i].name && strcmp(c->users[i].name, name) == 0)
			return &c->users[i];
	return NULL;
}

/* Common entry checks: context, server group, user.  Returns AAA_ACCEPT
 * with *u set, or the failure with *why. */
static enum aaa_result aaa_lookup(const struct aaa_ctx *ctx, const char *user,
				  const struct conf_user **u, const char **why)
{
	*u = NULL;
	if (!ctx || !user) {
		*why = "internal error: no AAA context or user name";
		return AAA_ERROR;
	}
	if (!aaa_is_local(ctx)) {
		*why = aaa_group_reason(ctx);
		return AAA_ERROR;
	}
	if (!ctx->conf) {
		*why = "internal error: no configuration";
		return AAA_ERROR;
	}
	*u = aaa_find_user(ctx->conf, user);
	if (!*u) {
		*why = "user not found in the local database";
		return AAA_UNKNOWN_USER;
	}
	return AAA_ACCEPT;
}

static const char *aaa_ip(const struct aaa_ctx *ctx)
{
	return ctx && ctx->peer ? ctx->peer : "unknown";
}

void aaa_report(const struct aaa_ctx *ctx, const char *user, enum aaa_result r,
		const char *why)
{
	static struct log_limit lim;
	unsigned supp;
	const char *u = user ? user : "";
	if (ctx && !aaa_is_local(ctx)) {
		if (log_limit_pass(&lim, 20, &supp))
			log_msg(SEV_ERR, "AAA: user = %s : user IP = %s : refused: %s", u,
				aaa_ip(ctx), why ? why : aaa_group_reason(ctx));
		return;
	}
	if (r == AAA_ACCEPT) {
		log_event(SEV_INFO, 113012,
			  "AAA user authentication Successful : local database : user = %s", u);
		return;
	}
	/* The ASA's reasons; the detail goes to the debug line. */
	const char *reason = r == AAA_UNKNOWN_USER ? "User was not found" :
			     r == AAA_REJECT ? "Invalid password" : why ? why : aaa_result_name(r);
	if (log_limit_pass(&lim, 20, &supp))
		log_event(SEV_INFO, 113015,
			  "AAA user authentication Rejected : reason = %s : local database : "
			  "user = %s : user IP = %s", reason, u, aaa_ip(ctx));
	log_debug(LOG_AAA, 5, "user %s from %s: %s (%s)", u, aaa_ip(ctx), aaa_result_name(r),
		  why ? why : "-");
}

/* ---- verify ------------------------------------------------------------- */

static enum aaa_result aaa_check_plain(const struct conf_user *u, const char *pw, size_t pw_len,
				       const char **why)
{
	size_t n = u->password ? strlen(u->password) : 0;
	if (n == pw_len && mem_cmp_ct(u->password ? u->password : "", pw, n) == 0)
		return AAA_ACCEPT;
	*why = "wrong password";
	return AAA_REJECT;
}

static enum aaa_result aaa_check_cisco(const struct conf_user *u, const char *pw, size_t pw_len,
				       const char **why)
{
	int m = aaa_cisco_hash_check(u->password, u->name, pw, pw_len);
	if (m == 1)
		return AAA_ACCEPT;
	if (m == 0) {
		*why = "wrong password";
		return AAA_REJECT;
	}
	*why = "password check: the stored 'encrypted' password is not a 16-character "
	       "PIX/ASA MD5 hash (pbkdf2 hashes are not supported)";
	return AAA_UNSUPPORTED;
}

static enum aaa_result aaa_check_nt(const struct conf_user *u, const char *pw, size_t pw_len,
				    const char **why)
{
	uint8_t stored[16], got[16];
	enum aaa_result r;
	if (!u->password || mem_unhex(u->password, stored, sizeof(stored)) != 16) {
		*why = "the stored nt-encrypted password is not 32 hex digits";
		r = AAA_ERROR;
		goto out;
	}
	if (aaa_nt_hash(pw, pw_len, got) != 0) {
		/* invalid UTF-8 cannot be any password's NT hash input */
		*why = "wrong password (not valid UTF-8, or MD4 unavailable)";
		r = AAA_REJECT;
		goto out;
	}
	r = mem_cmp_ct(stored, got, 16) == 0 ? AAA_ACCEPT : AAA_REJECT;
	if (r == AAA_REJECT)
		*why = "wrong password";
out:
	mem_wipe(stored, sizeof(stored));
	mem_wipe(got, sizeof(got));
	return r;
}

enum aaa_result aaa_verify_password(const struct aaa_ctx *ctx, const char *user,
				    const char *pw, size_t pw_len, const char **why)
{
	const char *w = NULL;
	const struct conf_user *u;
	enum aaa_result r = aaa_lookup(ctx, user, &u, &w);
	if (r != AAA_ACCEPT)
		goto out;
	if (!pw && pw_len) {
		r = AAA_ERROR;
		w = "internal error: no password buffer";
		goto out;
	}
	if (!pw)
		pw = "";
	switch (u->kind) {
	case PW_PLAIN:
		r = aaa_check_plain(u, pw, pw_len, &w);
		break;
	case PW_CISCO_MD5:
		r = aaa_check_cisco(u, pw, pw_len, &w);
		break;
	case PW_NT_HASH:
		r = aaa_check_nt(u, pw, pw_len, &w);
		break;
	case PW_NONE:
	default:
		r = AAA_UNSUPPORTED;
		w = "password check: the user is configured with nopassword, "
		    "a login without a password is never accepted";
		break;
	}
out:
	aaa_report(ctx, user, r, w);
	if (why)
		*why = r == AAA_ACCEPT ? NULL : w;
	return r;
}

/* ---- cleartext / NT hash for the challenge methods ----------------------- */

enum aaa_result aaa_get_cleartext(const struct aaa_ctx *ctx, const char *user,
				  char *out, size_t cap, size_t *len, const char **why)
{
	const char *w = NULL;
	const struct conf_user *u;
	enum aaa_result r = aaa_lookup(ctx, user, &u, &w);
	if (r != AAA_ACCEPT)
		goto out;
	switch (u->kind) {
	case PW_PLAIN: {
		size_t n = u->password ? strlen(u->password) : 0;
		if (!out || n + 1 > cap) {
			r = AAA_ERROR;
			w = "internal error: password longer than the buffer";
			break;
		}
		memcpy(out, u->password ? u->password : "", n + 1);
		if (len)
			*len = n;
		break;
	}
	case PW_CISCO_MD5:
		r = AAA_UNSUPPORTED;
		w = "EAP-MD5 needs the cleartext password, but the stored password is a "
		    "PIX/ASA 'encrypted' MD5 hash (use EAP-GTC or EAP-MSCHAPv2 with nt-encrypted)";
		break;
	case PW_NT_HASH:
		r = AAA_UNSUPPORTED;
		w = "EAP-MD5 needs the cleartext password, but the stored password is an "
		    "nt-encrypted NT hash (use EAP-MSCHAPv2 or EAP-GTC)";
		break;
	case PW_NONE:
	default:
		r = AAA_UNSUPPORTED;
		w = "EAP-MD5 needs the cleartext password, but the user is configured with nopassword";
		break;
	}
out:
	if (r != AAA_ACCEPT)
		log_debug(LOG_AAA, 5, "cleartext for user %s: %s (%s)", user ? user : "",
			  aaa_result_name(r), w);
	if (why)
		*why = r == AAA_ACCEPT ? NULL : w;
	return r;
}

enum aaa_result aaa_get_nt_hash(const struct aaa_ctx *ctx, const char *user,
				uint8_t out[16], const char **why)
{
	const char *w = NULL;
	const struct conf_user *u;
	enum aaa_result r = aaa_lookup(ctx, user, &u, &w);
	if (r != AAA_ACCEPT)
		goto out;
	switch (u->kind) {
	case PW_PLAIN: {
		const char *pw = u->password ? u->password : "";
		if (aaa_nt_hash(pw, strlen(pw), out) != 0) {
			r = AAA_ERROR;
			w = "cannot compute the NT hash (password not valid UTF-8, or MD4 "
			    "unavailable: OpenSSL legacy provider)";
		}
		break;
	}
	case PW_NT_HASH:
		if (!u->password || mem_unhex(u->password, out, 16) != 16) {
			mem_wipe(out, 16);
			r = AAA_ERROR;
			w = "the stored nt-encrypted password is not 32 hex digits";
		}
		break;
	case PW_CISCO_MD5:
		r = AAA_UNSUPPORTED;
		w = "EAP-MSCHAPv2 needs the NT hash or the cleartext password, but the stored "
		    "password is a PIX/ASA 'encrypted' MD5 hash (use EAP-GTC)";
		break;
	case PW_NONE:
	default:
		r = AAA_UNSUPPORTED;
		w = "EAP-MSCHAPv2 needs the NT hash or the cleartext password, but the user is "
		    "configured with nopassword";
		break;
	}
out:
	if (r != AAA_ACCEPT)
		log_debug(LOG_AAA, 5, "NT hash for user %s: %s (%s)", user ? user : "",
			  aaa_result_name(r), w);
	if (why)
		*why = r == AAA_ACCEPT ? NULL : w;
	return r;
}
