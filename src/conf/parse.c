/* The mode-aware command tree: from lexed lines to the model.
 *
 * Each mode is a table of keyword paths (cmd_*.c).  The parser keeps a
 * stack of open modes, each with the indentation of the line that opened
 * it, and places every line like this:
 *
 *   indented line   belongs to the innermost open mode whose opening line
 *                   is less indented (the ASA's own show-run layout); if
 *                   that mode has no such command it is an error in a
 *                   strict mode and "not used" in a lenient one;
 *   unindented line belongs to the innermost open sub-mode that has the
 *                   command (configs pasted from documents lose their
 *                   indentation, like the seed's group-policy block), and
 *                   otherwise to the global mode.
 *
 * A global command ravpn does not know is kept as "not used by ravpn" and
 * opens an opaque mode, so that its indented lines (object, class-map,
 * certificate chains, ...) are kept as "not used" too, never silently
 * accepted.  After a line with an error, its indented lines are skipped:
 * the file will not load anyway and one error per mistake is enough. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/conf_int.h"

static const struct conf_cmd no_cmds[] = { { NULL, NULL, NULL } };
/* Lines of a block ravpn does not use: every indented line is "not used". */
const struct conf_mode mode_opaque = { "unused", { no_cmds }, true };
/* Lines below a line with an error: dropped without further messages. */
static const struct conf_mode mode_skip = { "skipped", { no_cmds }, true };

/* ---- diagnostics ---------------------------------------------------------- */

static void diag_vadd(struct conf_diags *d, enum conf_diag_kind kind, int line, const char *fmt,
		      va_list ap)
{
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	struct conf_diag *n = realloc(d->d, (d->n + 1) * sizeof(*d->d));
	if (!n) {
		free(msg);
		d->n_errors++;   /* never lose the fact that something failed */
		return;
	}
	d->d = n;
	d->d[d->n].kind = kind;
	d->d[d->n].line = line;
	d->d[d->n].msg = msg;
	d->n++;
	if (kind == DIAG_ERROR)
		d->n_errors++;
}

void diag_add(struct conf_diags *d, enum conf_diag_kind kind, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, kind, line, fmt, ap);
	va_end(ap);
}

int p_err(struct pctx *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(p->d, DIAG_ERROR, p->line, fmt, ap);
	va_end(ap);
	return -1;
}

void p_warn(struct pctx *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(p->d, DIAG_WARNING, p->line, fmt, ap);
	va_end(ap);
}

int p_oom(struct pctx *p)
{
	p->oom = true;
	return p_err(p, "out of memory");
}

/* Words that are followed by a secret on lines ravpn keeps as "not used"
 * (enable password, passwd, snmp-server community, key, ...).  A following
 * single digit is the ASA's "encryption type" and the secret comes after. */
static bool secret_follows(const struct lex_line *l, size_t i)
{
	static const char *const kws[] = {
		"key", "password", "passwd", "pre-shared-key", "secret", "community",
		"ldap-login-password", "radius-common-pw", "authentication-key",
		"shared-secret", "pre-shared-key-value",
	};
	if (i == 0)
		return false;
	for (size_t k = 0; k < sizeof(kws) / sizeof(kws[0]); k++) {
		if (strcasecmp(l->w[i - 1], kws[k]) == 0)
			return true;
		if (i >= 2 && strcasecmp(l->w[i - 2], kws[k]) == 0 && strlen(l->w[i - 1]) == 1 &&
		    l->w[i - 1][0] >= '0' && l->w[i - 1][0] <= '9')
			return true;
	}
	/* ntp authentication-key N md5 SECRET */
	return i >= 3 && strcasecmp(l->w[i - 3], "authentication-key") == 0 &&
	       strcasecmp(l->w[i - 1], "md5") == 0;
}

/* The line's text with secrets replaced by "*****". */
static char *masked_text(const struct lex_line *l)
{
	size_t tl = strlen(l->text);
	char *out = malloc(tl + 6 * LEX_MAX_WORDS + 1);
	if (!out)
		return NULL;
	size_t o = 0, pos = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (!secret_follows(l, i))
			continue;
		size_t raw = strlen(l->w[i]) + (l->quoted[i] ? 2 : 0);
		memcpy(out + o, l->text + pos, l->off[i] - pos);
		o += l->off[i] - pos;
		memcpy(out + o, "*****", 5);
		o += 5;
		pos = l->off[i] + raw;
	}
	memcpy(out + o, l->text + pos, tl - pos);
	o += tl - pos;
	out[o] = '\0';
	return out;
}

void p_unused(struct pctx *p)
{
	char *t = masked_text(p->l);
	struct conf_unused *u = t ? model_grow(&p->c->unused, &p->c->n_unused, sizeof(*u)) : NULL;
	if (!u) {
		free(t);
		p_oom(p);
		return;
	}
	u->line = p->line;
	u->text = t;
	diag_add(p->d, DIAG_UNUSED, p->line, "%s", t);
}

void conf_diags_free(struct conf_diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->d[i].msg);
	free(d->d);
	d->d = NULL;
	d->n = 0;
	d->n_errors = 0;
}

void conf_diags_print(const struct conf_diags *d, const char *path, FILE *out)
{
	static const char *const kind[] = {
		[DIAG_ERROR] = "error: ", [DIAG_WARNING] = "warning: ",
		[DIAG_UNUSED] = "not used by ravpn: ",
	};
	if (!d || !out)
		return;
	if (!path)
		path = "<config>";
	for (size_t i = 0; i < d->n; i++) {
		const struct conf_diag *g = &d->d[i];
		const char *msg = g->msg ? g->msg : "(message lost: out of memory)";
		const char *k = (unsigned)g->kind <= DIAG_UNUSED ? kind[g->kind] : "";
		if (g->line > 0)
			fprintf(out, "%s:%d: %s%s\n", path, g->line, k, msg);
		else
			fprintf(out, "%s: %s%s\n", path, k, msg);
	}
}

/* ---- argument helpers ---------------------------------------------------- */

const char *p_w(const struct pctx *p, size_t i)
{
	return i < p->l->n ? p->l->w[i] : NULL;
}

size_t p_n(const struct pctx *p)
{
	return p->l->n;
}

bool p_is(const struct pctx *p, size_t i, const char *kw)
{
	return i < p->l->n && strcasecmp(p->l->w[i], kw) == 0;
}

/* "crypto ikev2 policy" for messages: the words the command path matched
 * (wildcards excluded, names are not keywords). */
static const char *p_cmd(const struct pctx *p, char *buf, size_t cap)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < p->k && i < p->l->n; i++) {
		int r = snprintf(buf + o, cap - o, "%s%s", o ? " " : "", p->l->w[i]);
		if (r < 0 || (size_t)r >= cap - o)
			break;
		o += (size_t)r;
	}
	return buf;
}

int p_need(struct pctx *p, size_t i, const char *what)
{
	if (i < p->l->n)
		return 0;
	char b[160];
	return p_err(p, "%s: missing %s", p_cmd(p, b, sizeof(b)), what);
}

int p_end(struct pctx *p, size_t i)
{
	if (i >= p->l->n)
		return 0;
	char b[160];
	return p_err(p, "%s: unexpected '%s'", p_cmd(p, b, sizeof(b)), p->l->w[i]);
}

bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	if (!s || !*s || strlen(s) > 10)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

bool parse_ip(const char *s, uint32_t *out)
{
	uint32_t a = 0;
	for (int part = 0; part < 4; part++) {
		unsigned v = 0;
		int digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255)
			return false;
		a = a << 8 | v;
		if (part < 3 && *s++ != '.')
			return false;
	}
	if (*s)
		return false;
	*out = a;
	return true;
}

bool mask_ok(uint32_t m)
{
	/* contiguous ones from the top: ~m + 1 is a power of two (or 0) */
	uint32_t inv = ~m;
	return (inv & (inv + 1)) == 0;
}

int p_ip(struct pctx *p, size_t i, uint32_t *out)
{
	if (p_need(p, i, "IP address"))
		return -1;
	if (!parse_ip(p->l->w[i], out))
		return p_err(p, "bad IP address '%s'", p->l->w[i]);
	return 0;
}

int p_mask(struct pctx *p, size_t i, uint32_t *out)
{
	if (p_need(p, i, "netmask"))
		return -1;
	if (!parse_ip(p->l->w[i], out) || !mask_ok(*out))
		return p_err(p, "bad netmask '%s'", p->l->w[i]);
	return 0;
}

int p_uint(struct pctx *p, size_t i, unsigned long min, unsigned long max, const char *what,
	   unsigned long *out)
{
	if (p_need(p, i, what))
		return -1;
	if (!parse_uint(p->l->w[i], max, out) || *out < min)
		return p_err(p, "bad %s '%s' (expected %lu-%lu)", what, p->l->w[i], min, max);
	return 0;
}

static int set_str(struct pctx *p, char **dst, const char *s)
{
	char *n = strdup(s);
	if (!n)
		return p_oom(p);
	free(*dst);
	*dst = n;
	return 0;
}

int p_str(struct pctx *p, size_t i, char **dst)
{
	if (p_need(p, i, "name"))
		return -1;
	return set_str(p, dst, p->l->w[i]);
}

int p_rest(struct pctx *p, size_t i, char **dst)
{
	if (p_need(p, i, "text"))
		return -1;
	return set_str(p, dst, p->l->text + p->l->off[i]);
}

int p_secret(struct pctx *p, size_t i, const char *what, char **dst)
{
	char b[160];
	if (p_need(p, i, what))
		return -1;
	const char *s = p->l->w[i];
	if (strcmp(s, "*****") == 0)
		return p_err(p, "%s: the %s is masked as '*****' (show-running-config output); "
			     "give the real %s", p_cmd(p, b, sizeof(b)), what, what);
	if (i + 1 < p->l->n)   /* never echo: the extra word may be part of the secret */
		return p_err(p, "%s: unexpected word after the %s (quote a %s that has blanks)",
			     p_cmd(p, b, sizeof(b)), what, what);
	char *n = strdup(s);
	if (!n)
		return p_oom(p);
	model_free_secret(dst);
	*dst = n;
	return 0;
}

int p_ifparen(struct pctx *p, size_t i, char **dst)
{
	const char *s = p_w(p, i);
	size_t n = s ? strlen(s) : 0;
	if (n < 3 || s[0] != '(' || s[n - 1] != ')')
		return 0;
	char *v = strndup(s + 1, n - 2);
	if (!v)
		return p_oom(p);
	free(*dst);
	*dst = v;
	return 1;
}

void p_enter(struct pctx *p, const struct conf_mode *m, size_t obj)
{
	if (p->depth == PCTX_MAX_DEPTH)
		p->depth--;
	p->st[p->depth].mode = m;
	p->st[p->depth].indent = p->l->indent;
	p->st[p->depth].obj = obj;
	p->depth++;
}

size_t p_obj(const struct pctx *p)
{
	return p->st[p->depth - 1].obj;
}

/* ---- dispatch -------------------------------------------------------------- */

/* Number of words of `path` if the line starts with them, else 0. */
static size_t path_match(const char *path, const struct lex_line *l)
{
	size_t i = 0;
	const char *s = path;
	while (*s) {
		const char *e = strchr(s, ' ');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (i >= l->n)
			return 0;
		if (!(len == 1 && s[0] == '*') &&
		    (strlen(l->w[i]) != len || strncasecmp(l->w[i], s, len) != 0 || l->quoted[i]))
			return 0;
		i++;
		s += len;
		while (*s == ' ')
			s++;
	}
	return i;
}

static const struct conf_cmd *mode_match(const struct conf_mode *m, const struct lex_line *l,
					 size_t *k)
{
	const struct conf_cmd *best = NULL;
	size_t bestk = 0;
	for (size_t t = 0; t < CONF_MODE_TABLES && m->cmds[t]; t++)
		for (const struct conf_cmd *c = m->cmds[t]; c->path; c++) {
			size_t n = path_match(c->path, l);
			if (n > bestk) {
				best = c;
				bestk = n;
			}
		}
	*k = bestk;
	return best;
}

/* Commands whose argument is the raw rest of the line: their text may hold
 * a lone '"'. */
static bool takes_raw_text(const struct conf_cmd *cmd)
{
	return strcmp(cmd->path, "banner value") == 0 || strcmp(cmd->path, "subject-name") == 0;
}

static void run(struct pctx *p, const struct conf_cmd *cmd)
{
	if (!cmd->fn) {
		p_unused(p);
		if (cmd->sub)
			p_enter(p, cmd->sub, 0);
		return;
	}
	/* A word that starts with a '"' that is never closed cannot be written
	 * back unambiguously; names and keys must not have one. */
	for (size_t i = 0; i < p->l->n && !takes_raw_text(cmd); i++)
		if (!p->l->quoted[i] && p->l->w[i][0] == '"') {
			p_err(p, "unbalanced '\"' in word %zu", i + 1);
			p_enter(p, &mode_skip, 0);
			return;
		}
	if (cmd->fn(p) != 0)
		p_enter(p, &mode_skip, 0);
}

static void dispatch(struct pctx *p)
{
	const struct lex_line *l = p->l;
	const struct conf_cmd *cmd = NULL;
	size_t k = 0;

	if (l->too_many) {
		p_err(p, "too many words on the line (at most %d)", LEX_MAX_WORDS);
		p_enter(p, &mode_skip, 0);
		return;
	}
	if (l->indent > 0) {
		while (p->depth > 1 && p->st[p->depth - 1].indent >= l->indent)
			p->depth--;
		const struct conf_mode *m = p->st[p->depth - 1].mode;
		if (m == &mode_skip)
			return;
		cmd = mode_match(m, l, &k);
		if (!cmd) {
			p->k = 1;
			if (m == &mode_global) {
				p_unused(p);
				p_enter(p, &mode_opaque, 0);
			} else if (m->lenient || p_is(p, 0, "no")) {
				p_unused(p);
			} else {
				p_err(p, "unknown command '%s' in %s mode", l->w[0], m->name);
			}
			return;
		}
	} else {
		size_t j;
		for (j = p->depth - 1; j >= 1; j--) {
			cmd = mode_match(p->st[j].mode, l, &k);
			if (cmd)
				break;
		}
		p->depth = j + 1;
		if (!cmd) {
			cmd = mode_match(&mode_global, l, &k);
			if (!cmd) {
				p->k = 1;
				p_unused(p);
				p_enter(p, &mode_opaque, 0);
				return;
			}
		}
	}
	p->k = k;
	run(p, cmd);
}

struct conf *conf_parse(const char *text, size_t len, const char *path, struct conf_diags *diags)
{
	struct conf_diags local = { 0 };
	struct conf_diags *d = diags ? diags : &local;
	memset(d, 0, sizeof(*d));
	struct conf *c = model_new();
	if (!c || (path && !(c->path = strdup(path)))) {
		model_free(c);
		diag_add(d, DIAG_ERROR, 0, "out of memory");
		return NULL;
	}
	struct pctx p = { .c = c, .d = d, .depth = 1 };
	p.st[0].mode = &mode_global;
	p.st[0].indent = -1;

	size_t pos = 0;
	int line = 0;
	while (pos < len && !p.oom) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - s) : len - pos;
		pos += ll + (nl ? 1 : 0);
		line = line < 0x7fffffff ? line + 1 : line;
		if (ll > 0 && s[ll - 1] == '\r')
			ll--;
		struct lex_line lx;
		const char *why;
		p.line = line;
		switch (lex_line(s, ll, &lx, &why)) {
		case LEX_BLANK:
		case LEX_COMMENT:
			break;
		case LEX_BAD:
			p_err(&p, "%s", why);
			break;
		case LEX_WORDS:
			p.l = &lx;
			dispatch(&p);
			p.l = NULL;
			break;
		}
		lex_line_free(&lx);
	}
	model_finish(c);
	if (d->n_errors == 0)
		conf_validate(c, d);
	if (d->n_errors) {
		model_free(c);
		c = NULL;
	}
	if (d == &local)
		conf_diags_free(&local);
	return c;
}

struct conf *conf_load(const char *path, struct conf_diags *diags)
{
	struct conf_diags local = { 0 };
	struct conf_diags *d = diags ? diags : &local;
	memset(d, 0, sizeof(*d));
	FILE *f = fopen(path, "rb");
	if (!f) {
		diag_add(d, DIAG_ERROR, 0, "cannot open: %s", strerror(errno));
		goto fail;
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			if (cap >= (64u << 20)) {
				diag_add(d, DIAG_ERROR, 0, "file larger than 64 MiB");
				free(buf);
				fclose(f);
				goto fail;
			}
			cap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, cap);
			if (!nb) {
				diag_add(d, DIAG_ERROR, 0, "out of memory");
				free(buf);
				fclose(f);
				goto fail;
			}
			buf = nb;
		}
		size_t r = fread(buf + len, 1, cap - len, f);
		len += r;
		if (r == 0)
			break;
	}
	bool rerr = ferror(f);
	fclose(f);
	if (rerr) {
		diag_add(d, DIAG_ERROR, 0, "read error");
		free(buf);
		goto fail;
	}
	struct conf *c = conf_parse(buf, len, path, d);
	free(buf);
	if (d == &local)
		conf_diags_free(&local);
	return c;
fail:
	if (d == &local)
		conf_diags_free(&local);
	return NULL;
}
