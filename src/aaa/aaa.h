/* AAA: who may log in, checked against the local user database now and
 * against RADIUS / TACACS+ server groups later (the AAA issue).  Until a
 * named server group is implemented, asking it fails with AAA_ERROR and a
 * clear reason: nobody is ever let in by default. */
#ifndef RAVPN_AAA_AAA_H
#define RAVPN_AAA_AAA_H

#include <stddef.h>
#include <stdint.h>

#include "conf/model.h"

enum aaa_result {
	AAA_ACCEPT = 0,
	AAA_REJECT,              /* wrong password */
	AAA_UNKNOWN_USER,
	AAA_UNSUPPORTED,         /* the stored form cannot answer this method */
	AAA_ERROR,               /* server group unusable, internal error */
};

struct aaa_ctx {
	const struct conf *conf;
	const char *server_group;    /* NULL or "LOCAL": local database */
	const char *tunnel_group;    /* for log lines */
	const char *peer;            /* "ip" for log lines */
};

const char *aaa_result_name(enum aaa_result r);

/* Reasons (*why) are static strings, except the one naming an unsupported
 * server group, which lives in a per-thread buffer until the next call:
 * copy it if it must live longer.  They never contain a password. */

/* Password-carrying methods (EAP-GTC, XAUTH): compare with the stored form,
 * plain, Cisco "encrypted" (ASA form, and the PIX form for passwords of at
 * most 16 bytes) or nt-encrypted (the NT hash of the given password).
 * *why gets a static reason on failure.  Logs %RAVPN-6-113012 on success and
 * %RAVPN-6-113015 on rejection (the final result: the caller logs nothing). */
enum aaa_result aaa_verify_password(const struct aaa_ctx *ctx, const char *user,
				    const char *pw, size_t pw_len, const char **why);
/* The next two only fetch what a challenge method needs; they log no
 * 113012/113015 since the outcome is decided by the method, which then
 * calls aaa_report().  Unknown users -> AAA_UNKNOWN_USER; a stored form that
 * cannot answer -> AAA_UNSUPPORTED with a reason naming method and form. */
/* EAP-MD5 needs the cleartext: only plain passwords can answer. */
enum aaa_result aaa_get_cleartext(const struct aaa_ctx *ctx, const char *user,
				  char *out, size_t cap, size_t *len, const char **why);
/* EAP-MSCHAPv2 needs the NT hash: from a plain password or nt-encrypted. */
enum aaa_result aaa_get_nt_hash(const struct aaa_ctx *ctx, const char *user,
				uint8_t out[16], const char **why);

/* The final outcome of a challenge method (EAP-MD5, EAP-MSCHAPv2) for the
 * local database: logs 113012 (AAA_ACCEPT) or 113015 with the reason. */
void aaa_report(const struct aaa_ctx *ctx, const char *user, enum aaa_result r,
		const char *why);

/* Cisco password hashes. */
/* PIX/ASA "encrypted" MD5 form (16 chars) of a password; for ASA usernames
 * the username is part of the salt.  out: 17 bytes. */
void aaa_cisco_pix_hash(const char *password, const char *username, char out[17]);
/* The above is the ASA 7.0+ form; the PIX 6.x form differs for user
 * accounts with 13..16-byte passwords (truncated to 16 bytes instead of
 * padded to 32).  Both give "" for passwords too long for the form (ASA 32
 * bytes, PIX 16). */
void aaa_cisco_pix_hash_legacy(const char *password, const char *username, char out[17]);
/* 1 if pw matches a stored "encrypted" hash in either form, 0 if not, -1 if
 * `stored` is not a 16-character hash of that alphabet (e.g. ASA 9.6+
 * pbkdf2 forms). */
int aaa_cisco_hash_check(const char *stored, const char *user, const char *pw, size_t pw_len);
/* NT hash (MD4 over UTF-16LE) of a password (ASCII/UTF-8 input).  Returns 0,
 * or -1 for invalid UTF-8 or when MD4 is unavailable (it loads the OpenSSL
 * legacy provider through crypto_enable_legacy() when needed). */
int aaa_nt_hash(const char *password, size_t len, uint8_t out[16]);

#endif
