/* Loading, checking and writing the ASA/PIX configuration.
 *
 * The lexer splits lines into words (quoted strings kept whole); the
 * parser is a mode-aware command tree (global, interface, crypto ikev2
 * policy, ipsec-proposal, trustpoint, group-policy attributes, tunnel-group
 * general/ipsec/webvpn attributes, ...).  Sub-mode lines are recognised with
 * or without indentation: a line that is not a global command and fits the
 * current sub-mode belongs to it (the seed has both forms). */
#ifndef RAVPN_CONF_CONF_H
#define RAVPN_CONF_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "conf/model.h"

enum conf_diag_kind { DIAG_ERROR, DIAG_WARNING, DIAG_UNUSED };

struct conf_diag {
	enum conf_diag_kind kind;
	int line;
	char *msg;
};

struct conf_diags {
	struct conf_diag *d;
	size_t n;
	size_t n_errors;
};

/* Parse text; returns a model (also with warnings), or NULL when there were
 * errors.  Diagnostics go to *diags (caller frees with conf_diags_free); it
 * is reset first, and may be NULL.  Lines ravpn keeps but does not act on
 * are DIAG_UNUSED diagnostics and also c->unused, with their secrets
 * masked.  Messages never contain secrets. */
struct conf *conf_parse(const char *text, size_t len, const char *path, struct conf_diags *diags);
struct conf *conf_load(const char *path, struct conf_diags *diags);
void conf_diags_free(struct conf_diags *d);
/* "file:line: error: msg", "file:line: warning: msg" and
 * "file:line: not used by ravpn: <text>" for each diagnostic ("file: ..."
 * for a diagnostic without a line, e.g. a file that cannot be read). */
void conf_diags_print(const struct conf_diags *d, const char *path, FILE *out);

struct conf *conf_ref(struct conf *c);
void conf_unref(struct conf *c);

/* `show running-config`: the model written back in ASA syntax (secrets as
 * "*****" unless show_secrets). */
char *conf_write(const struct conf *c, bool show_secrets);

/* Lookups used by the other layers (NULL when absent). */
const struct conf_interface *conf_iface_by_nameif(const struct conf *c, const char *nameif);
const struct conf_tunnel_group *conf_tunnel_group(const struct conf *c, const char *name);
/* By name or by an enabled group-alias. */
const struct conf_tunnel_group *conf_tunnel_group_by_alias(const struct conf *c, const char *name);
const struct conf_group_policy *conf_group_policy(const struct conf *c, const char *name);
const struct conf_pool *conf_pool(const struct conf *c, const char *name);
const struct conf_user *conf_user(const struct conf *c, const char *name);
const struct conf_ipsec_proposal *conf_proposal(const struct conf *c, const char *name);
const struct conf_trustpoint *conf_trustpoint(const struct conf *c, const char *name);
/* Effective group-policy attribute values: the policy's own when set,
 * else DfltGrpPolicy's, else the ASA default.  Writes the line that decided
 * it to *line (0 = built-in default). */
const struct conf_group_policy *conf_gp_effective(const struct conf *c, const char *gp_name,
						  struct conf_group_policy *out);
/* ACL entries of one name, in order (count in *n). */
size_t conf_acl_entries(const struct conf *c, const char *name,
			const struct conf_acl_entry **out, size_t max);

/* Added by conf/. */
/* Equal models: every modelled value, ignoring line numbers, the path, the
 * reference count and the lines kept as "not used" (a reload uses it to
 * tell whether anything changed; the writer's round trip is tested with it). */
bool conf_equal(const struct conf *a, const struct conf *b);
const struct conf_aaa_server_group *conf_aaa_group(const struct conf *c, const char *name);
/* Keyword of an IKEv2 transform ID as the ASA writes it ("aes-256", "sha",
 * "sha256", ...) for `show` output; type: 1 ENCR, 2 PRF, 3 INTEG, 4 DH;
 * esp selects the ipsec-proposal spelling.  NULL when unknown. */
const char *conf_alg_keyword(int type, uint16_t id, uint16_t key_bits, bool esp);

#endif
