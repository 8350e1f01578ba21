/* Trustpoints (crypto ca trustpoint): the gateway's key and certificate.
 *
 * `enrollment self`: on first start an RSA-2048 key and a self-signed
 * certificate are generated into the state directory
 * (<state>/trustpoints/<name>.key, .crt) and reused after restarts.
 * ravpn extension: `ravpn certificate-file`, `ravpn key-file`, `ravpn
 * ca-file` load PEM files instead (see conf/model.h). */
#ifndef RAVPN_AUTH_TRUSTPOINT_H
#define RAVPN_AUTH_TRUSTPOINT_H

#include <stddef.h>

#include "conf/model.h"

struct crypto_key;
struct crypto_cert;

struct trustpoint {
	char *name;
	struct crypto_key *key;      /* NULL if the trustpoint has no key */
	struct crypto_cert *cert;    /* our certificate */
	struct crypto_cert *ca;      /* CA for verifying peers' certificates, may be NULL */
	char *pem;                   /* certificate PEM for `show crypto ca certificates` */
	char *subject;               /* printable subject */
};

struct trustpoint_store {
	struct trustpoint *tp;
	size_t n;
};

/* Load or create every trustpoint of the configuration.  Errors are
 * printed with the configuration line; returns 0 or -1. */
int trustpoints_load(struct trustpoint_store *s, const struct conf *c, const char *state_dir)
	__attribute__((warn_unused_result));
void trustpoints_free(struct trustpoint_store *s);
const struct trustpoint *trustpoint_get(const struct trustpoint_store *s, const char *name);

#endif
