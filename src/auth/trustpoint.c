/* Trustpoints: the gateway's identity (key + certificate) and the CA that
 * signs client certificates.
 *
 * `enrollment self` behaves like the ASA: the first start generates an
 * RSA-2048 key and a self-signed certificate whose subject is the
 * trustpoint's subject-name (or CN=<hostname>); both are written to the
 * state directory and reused afterwards, so clients that pinned the
 * certificate keep working across restarts. */
#include "auth/trustpoint.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/mem.h"
#include "crypto/crypto.h"

#define SELF_SIGNED_DAYS 3650

static int ensure_dir(const char *path)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0;
	log_msg(SEV_ERR, "cannot create state directory %s: %s", path, strerror(errno));
	return -1;
}

static bool file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* CN for a self-signed certificate: "CN=foo" → "foo"; else the hostname. */
static const char *self_cn(const struct conf_trustpoint *ctp, const struct conf *c, char *buf,
			   size_t len)
{
	const char *s = ctp->subject;
	if (s && strncasecmp(s, "CN=", 3) == 0) {
		snprintf(buf, len, "%s", s + 3);
		char *comma = strchr(buf, ',');
		if (comma)
			*comma = '\0';
		return buf;
	}
	if (ctp->fqdn)
		return ctp->fqdn;
	return c->hostname ? c->hostname : "ravpn";
}

static int load_self(struct trustpoint *tp, const struct conf_trustpoint *ctp,
		     const struct conf *c, const char *state_dir)
{
	char dir[512], keyp[600], crtp[600], cnbuf[256];
	snprintf(dir, sizeof(dir), "%s/trustpoints", state_dir);
	if (ensure_dir(state_dir) < 0 || ensure_dir(dir) < 0)
		return -1;
	snprintf(keyp, sizeof(keyp), "%s/%s.key", dir, ctp->name);
	snprintf(crtp, sizeof(crtp), "%s/%s.crt", dir, ctp->name);

	if (file_exists(keyp) && file_exists(crtp)) {
		tp->key = crypto_key_load_pem(keyp);
		tp->cert = crypto_cert_load_pem(crtp);
		if (tp->key && tp->cert && crypto_cert_matches_key(tp->cert, tp->key)) {
			log_msg(SEV_INFO, "trustpoint %s: using enrolled certificate %s", ctp->name,
				crtp);
			return 0;
		}
		log_msg(SEV_ERR, "trustpoint %s: %s or %s unreadable or not a pair (line %d)",
			ctp->name, keyp, crtp, ctp->line);
		return -1;
	}
	const char *cn = self_cn(ctp, c, cnbuf, sizeof(cnbuf));
	log_msg(SEV_NOTICE, "trustpoint %s: enrolling: generating RSA-2048 key and self-signed "
		"certificate CN=%s", ctp->name, cn);
	tp->key = crypto_key_generate_rsa(2048);
	if (!tp->key)
		return -1;
	tp->cert = crypto_cert_self_signed(tp->key, cn, SELF_SIGNED_DAYS);
	if (!tp->cert)
		return -1;
	if (crypto_key_save_pem(tp->key, keyp) < 0 || crypto_cert_save_pem(tp->cert, crtp) < 0) {
		log_msg(SEV_ERR, "trustpoint %s: cannot write %s / %s", ctp->name, keyp, crtp);
		return -1;
	}
	return 0;
}

static int load_files(struct trustpoint *tp, const struct conf_trustpoint *ctp)
{
	if (ctp->cert_file) {
		tp->cert = crypto_cert_load_pem(ctp->cert_file);
		if (!tp->cert) {
			log_msg(SEV_ERR, "trustpoint %s (line %d): cannot load certificate %s",
				ctp->name, ctp->line, ctp->cert_file);
			return -1;
		}
	}
	if (ctp->key_file) {
		tp->key = crypto_key_load_pem(ctp->key_file);
		if (!tp->key) {
			log_msg(SEV_ERR, "trustpoint %s (line %d): cannot load key %s", ctp->name,
				ctp->line, ctp->key_file);
			return -1;
		}
	}
	if (tp->key && tp->cert && !crypto_cert_matches_key(tp->cert, tp->key)) {
		log_msg(SEV_ERR, "trustpoint %s (line %d): %s does not match %s", ctp->name,
			ctp->line, ctp->key_file, ctp->cert_file);
		return -1;
	}
	return 0;
}

static int load_one(struct trustpoint *tp, const struct conf_trustpoint *ctp,
		    const struct conf *c, const char *state_dir)
{
	tp->name = mem_strdup(ctp->name);
	if (!tp->name)
		return -1;
	int rc = ctp->cert_file || ctp->key_file ? load_files(tp, ctp)
						 : ctp->enroll_self ? load_self(tp, ctp, c, state_dir)
								    : 0;
	if (rc < 0)
		return -1;
	if (ctp->ca_file) {
		tp->ca = crypto_cert_load_pem(ctp->ca_file);
		if (!tp->ca) {
			log_msg(SEV_ERR, "trustpoint %s (line %d): cannot load CA %s", ctp->name,
				ctp->line, ctp->ca_file);
			return -1;
		}
	}
	if (tp->cert) {
		char subj[512];
		tp->pem = crypto_cert_pem(tp->cert);
		crypto_cert_subject_str(tp->cert, subj, sizeof(subj));
		tp->subject = mem_strdup(subj);
		if (!tp->pem || !tp->subject)
			return -1;
	}
	return 0;
}

int trustpoints_load(struct trustpoint_store *s, const struct conf *c, const char *state_dir)
{
	s->tp = NULL;
	s->n = 0;
	if (c->n_trustpoints == 0)
		return 0;
	s->tp = calloc(c->n_trustpoints, sizeof(*s->tp));
	if (!s->tp)
		return -1;
	for (size_t i = 0; i < c->n_trustpoints; i++) {
		s->n++;
		if (load_one(&s->tp[i], &c->trustpoints[i], c, state_dir ? state_dir : ".") < 0) {
			trustpoints_free(s);
			return -1;
		}
	}
	return 0;
}

void trustpoints_free(struct trustpoint_store *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct trustpoint *tp = &s->tp[i];
		free(tp->name);
		crypto_key_free(tp->key);
		crypto_cert_free(tp->cert);
		crypto_cert_free(tp->ca);
		free(tp->pem);
		free(tp->subject);
	}
	free(s->tp);
	s->tp = NULL;
	s->n = 0;
}

const struct trustpoint *trustpoint_get(const struct trustpoint_store *s, const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < s->n; i++)
		if (strcasecmp(s->tp[i].name, name) == 0)
			return &s->tp[i];
	return NULL;
}
