/* Internals shared by the conf/ sources (not for other layers).
 *
 * Pipeline: lex.c splits one line into words; parse.c keeps the mode stack
 * and dispatches the words through the command tables of the modes
 * (cmd_*.c); model.c owns allocation, lookups and inheritance; validate.c
 * checks references once the whole file is read; write.c writes the model
 * back in ASA syntax. */
#ifndef RAVPN_CONF_CONF_INT_H
#define RAVPN_CONF_CONF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"

/* ---- lexer ------------------------------------------------------------ */

#define LEX_MAX_WORDS 64

enum lex_kind {
	LEX_BLANK,       /* empty or only blanks */
	LEX_COMMENT,     /* "!..." or ":..." (ASA show-run header/footer) */
	LEX_WORDS,
	LEX_BAD,         /* a control character: *why says which */
};

/* One lexed line.  `text` is the line without indentation and trailing
 * blanks; w[i] are its words (quotes removed) and off[i] where word i
 * starts inside `text` (for commands that take "the rest of the line"). */
struct lex_line {
	int indent;
	size_t n;
	char *w[LEX_MAX_WORDS];
	bool quoted[LEX_MAX_WORDS];
	size_t off[LEX_MAX_WORDS];
	bool too_many;
	char *text;
	char *wbuf;
};

enum lex_kind lex_line(const char *s, size_t len, struct lex_line *out, const char **why);
void lex_line_free(struct lex_line *l);

/* ---- keyword tables (names.c) ----------------------------------------- */

struct kw_alg {
	const char *kw;
	uint16_t id;
	uint16_t bits;
};
struct kw_table {
	const struct kw_alg *t;
	size_t n;
};
extern const struct kw_table kw_ikev2_encr, kw_ikev2_integ, kw_ikev2_prf, kw_dh_group,
	kw_esp_encr, kw_esp_integ, kw_ts_encr, kw_ts_auth, kw_ikev1_encr, kw_ikev1_hash,
	kw_ikev1_auth, kw_pfs_group, kw_tunnel_proto;
const struct kw_alg *kw_find(const struct kw_table *t, const char *word);
const char *kw_name(const struct kw_table *t, uint16_t id, uint16_t bits);

/* ---- parser ------------------------------------------------------------ */

struct pctx;

/* One command of a mode: its keyword path ("crypto ikev2 policy"; "*"
 * matches any word, e.g. "tunnel-group * general-attributes"), the handler,
 * and for lines ravpn keeps but does not use (fn == NULL) the sub-mode such
 * a line opens, so that its indented lines are kept too. */
struct conf_cmd {
	const char *path;
	int (*fn)(struct pctx *p);
	const struct conf_mode *sub;
};

#define CONF_MODE_TABLES 4

struct conf_mode {
	const char *name;            /* for messages: "group-policy attributes" */
	/* up to CONF_MODE_TABLES tables, each terminated by {NULL} */
	const struct conf_cmd *cmds[CONF_MODE_TABLES];
	/* Lenient modes (webvpn and the like, which ravpn does not use) keep
	 * unknown lines as "not used"; strict modes report them as errors. */
	bool lenient;
};

#define PCTX_MAX_DEPTH 6

struct pframe {
	const struct conf_mode *mode;
	int indent;                  /* indentation of the line that opened it */
	size_t obj;                  /* index of the object the mode edits */
};

struct pctx {
	struct conf *c;
	struct conf_diags *d;
	int line;
	const struct lex_line *l;
	size_t k;                    /* words matched by the command path */
	struct pframe st[PCTX_MAX_DEPTH];
	size_t depth;
	bool oom;
};

/* The modes (defined in the cmd_*.c files). */
extern const struct conf_mode mode_global, mode_opaque, mode_interface, mode_ikev2_policy,
	mode_ikev1_policy, mode_proposal, mode_trustpoint, mode_gp_attr, mode_gp_webvpn,
	mode_tg_general, mode_tg_ipsec, mode_tg_webvpn, mode_tg_ppp, mode_webvpn,
	mode_user_attr, mode_aaa_group, mode_aaa_host;

/* Global commands are split over several files by subject. */
extern const struct conf_cmd cmds_global_crypto[], cmds_global_vpn[], cmds_global_misc[];

/* Diagnostics at the current line (messages never carry secrets). */
int p_err(struct pctx *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void p_warn(struct pctx *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void p_unused(struct pctx *p);
void diag_add(struct conf_diags *d, enum conf_diag_kind kind, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int p_oom(struct pctx *p);
/* Words from..end as a list of at most `max` names, replacing *list. */
int p_name_list(struct pctx *p, size_t from, const char *what, size_t max, char **list,
		size_t *n);

/* Arguments: word i of the line (absolute index), NULL past the end. */
const char *p_w(const struct pctx *p, size_t i);
size_t p_n(const struct pctx *p);
bool p_is(const struct pctx *p, size_t i, const char *kw);   /* keyword, case-insensitive */
/* Word i must exist, else "missing <what>". */
int p_need(struct pctx *p, size_t i, const char *what);
/* No words from i on, else "unexpected '<word>'". */
int p_end(struct pctx *p, size_t i);
int p_ip(struct pctx *p, size_t i, uint32_t *out);
int p_mask(struct pctx *p, size_t i, uint32_t *out);
int p_uint(struct pctx *p, size_t i, unsigned long min, unsigned long max, const char *what,
	   unsigned long *out);
/* Duplicate word i into *dst (freeing what was there). */
int p_str(struct pctx *p, size_t i, char **dst);
/* Duplicate the raw rest of the line from word i. */
int p_rest(struct pctx *p, size_t i, char **dst);
/* A secret argument: refuses the masked form "*****" of show output. */
int p_secret(struct pctx *p, size_t i, const char *what, char **dst);
/* "(inside)" -> "inside" into *dst; returns 1 if word i had that form. */
int p_ifparen(struct pctx *p, size_t i, char **dst);

void p_enter(struct pctx *p, const struct conf_mode *m, size_t obj);
size_t p_obj(const struct pctx *p);

/* Strict parsers shared with the writer's tests. */
bool parse_ip(const char *s, uint32_t *out);
bool parse_uint(const char *s, unsigned long max, unsigned long *out);
bool mask_ok(uint32_t m);
bool str_ieq(const char *a, const char *b);

/* ---- model (model.c) -------------------------------------------------- */

/* Append a zeroed element; NULL on allocation failure. */
void *model_grow(void *arrp, size_t *n, size_t size);
struct conf *model_new(void);
void model_free(struct conf *c);
void model_finish(struct conf *c);             /* sort what is kept sorted */
void model_free_str(char **s);
void model_free_secret(char **s);
bool model_builtin_tunnel_group(const char *name, bool *remote_access);

/* The ASA defaults of DfltGrpPolicy (conf_gp_effective starts from them). */
#define CONF_DFLT_IDLE_MIN 30
#define CONF_DFLT_TUNNEL_PROTOCOLS \
	(TUNPROTO_IKEV1 | TUNPROTO_IKEV2 | TUNPROTO_L2TP_IPSEC | TUNPROTO_SSL_CLIENT)
#define CONF_DFLTGRPPOLICY "DfltGrpPolicy"

/* Find-by-name helpers returning indices (SIZE_MAX when absent). */
size_t model_find_gp(const struct conf *c, const char *name);
size_t model_find_tg(const struct conf *c, const char *name);
size_t model_find_user(const struct conf *c, const char *name);
size_t model_find_iface_hw(const struct conf *c, const char *hw);
size_t model_find_iface_nameif(const struct conf *c, const char *nameif);

/* ---- validation (validate.c) ----------------------------------------- */
void conf_validate(struct conf *c, struct conf_diags *d);

/* Words the writer must quote: empty, blanks inside, or a leading quote. */
bool word_needs_quotes(const char *s);

#endif
