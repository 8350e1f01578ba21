/* ravpnd --check: validate a configuration without starting anything.
 * Prints every diagnostic of the parser ("file:line: error|warning|not used
 * by ravpn: ..."), then checks what the parser cannot: that the PEM files a
 * trustpoint names (ravpn certificate-file / key-file / ca-file) can be
 * read and belong together.  Self-enrolled trustpoints are not created here
 * (that writes the state directory): they are created at the first start. */
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "crypto/crypto.h"
#include "daemon/daemon.h"

static int check_trustpoint(const char *path, const struct conf_trustpoint *t)
{
	int errors = 0;
	struct crypto_cert *cert = NULL, *ca = NULL;
	struct crypto_key *key = NULL;
	if (t->cert_file && !(cert = crypto_cert_load_pem(t->cert_file))) {
		fprintf(stderr, "%s:%d: error: trustpoint %s: cannot read certificate file %s\n",
			path, t->line, t->name, t->cert_file);
		errors++;
	}
	if (t->key_file && !(key = crypto_key_load_pem(t->key_file))) {
		fprintf(stderr, "%s:%d: error: trustpoint %s: cannot read key file %s\n", path,
			t->line, t->name, t->key_file);
		errors++;
	}
	if (cert && key && !crypto_cert_matches_key(cert, key)) {
		fprintf(stderr, "%s:%d: error: trustpoint %s: %s is not the certificate of key %s\n",
			path, t->line, t->name, t->cert_file, t->key_file);
		errors++;
	}
	if ((t->cert_file != NULL) != (t->key_file != NULL)) {
		fprintf(stderr, "%s:%d: error: trustpoint %s: certificate-file and key-file go "
			"together\n", path, t->line, t->name);
		errors++;
	}
	if (t->ca_file && !(ca = crypto_cert_load_pem(t->ca_file))) {
		fprintf(stderr, "%s:%d: error: trustpoint %s: cannot read CA file %s\n", path,
			t->line, t->name, t->ca_file);
		errors++;
	}
	crypto_cert_free(cert);
	crypto_cert_free(ca);
	crypto_key_free(key);
	return errors;
}

int daemon_check(const char *path)
{
	struct conf_diags diags = { 0 };
	struct conf *c = conf_load(path, &diags);
	conf_diags_print(&diags, path, stderr);
	size_t errors = diags.n_errors, warnings = 0, unused = 0;
	for (size_t i = 0; i < diags.n; i++) {
		warnings += diags.d[i].kind == DIAG_WARNING;
		unused += diags.d[i].kind == DIAG_UNUSED;
	}
	conf_diags_free(&diags);
	if (!c) {
		if (!errors)
			fprintf(stderr, "%s: error: cannot load the configuration\n", path);
		return 1;
	}
	for (size_t i = 0; i < c->n_trustpoints; i++)
		errors += (size_t)check_trustpoint(path, &c->trustpoints[i]);
	if (c->n_ikev2_enabled == 0 && c->n_ikev2_policies > 0) {
		fprintf(stderr, "%s: warning: no `crypto ikev2 enable IF`: ravpnd listens on all "
			"addresses\n", path);
		warnings++;
	}
	fprintf(stderr, "%s: %zu error%s, %zu warning%s, %zu line%s not used by ravpn\n", path,
		errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", unused,
		unused == 1 ? "" : "s");
	conf_unref(c);
	return errors ? 1 : 0;
}
