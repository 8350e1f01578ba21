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

/* Password-carrying methods (EAP-GTC, XAUTH): compare with the stored form,
 * plain or Cisco "encrypted".  *why gets a static reason on failure. */
enum aaa_result aaa_verify_password(const struct aaa_ctx *ctx, const char *user,
				    const char *pw, size_t pw_len, const char **why);
/* EAP-MD5 needs the cleartext: only plain passwords can answer. */
enum aaa_result aaa_get_cleartext(const struct aaa_ctx *ctx, const char *user,
				  char *out, size_t cap, size_t *len, const char **why);
/* EAP-MSCHAPv2 needs the NT hash: from a plain password or nt-encrypted. */
enum aaa_result aaa_get_nt_hash(const struct aaa_ctx *ctx, const char *user,
				uint8_t out[16], const char **why);

/* Cisco password hashes. */
/* PIX/ASA "encrypted" MD5 form (16 chars) of a password; for ASA usernames
 * the username is part of the salt.  out: 17 bytes. */
void aaa_cisco_pix_hash(const char *password, const char *username, char out[17]);
/* NT hash (MD4 over UTF-16LE) of a password (ASCII/UTF-8 input). */
int aaa_nt_hash(const char *password, size_t len, uint8_t out[16]);

#endif
