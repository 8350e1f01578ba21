/* Matching command words against the command tree, and the ASA-style
 * help and error texts. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/cmd.h"

int ctl_split(char *line, char **words, size_t max)
{
	size_t n = 0;
	char *save = NULL;
	for (char *w = strtok_r(line, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (n == max)
			return -1;
		words[n++] = w;
	}
	return (int)n;
}

/* Decimal only, no sign, no overflow, within [min, max]. */
static bool parse_num(const char *w, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	if (*w < '0' || *w > '9')
		return false;
	errno = 0;
	unsigned long v = strtoul(w, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool is_end(const struct ctl_node *n)
{
	return n->word == NULL;
}

/* An argument child that accepts w (numbers before words). */
static const struct ctl_node *match_arg(const struct ctl_node *cur, const char *w,
					unsigned long *num)
{
	for (const struct ctl_node *k = cur->sub; k && !is_end(k); k++)
		if (k->kind == CTL_NUM && parse_num(w, k->min, k->max, num))
			return k;
	for (const struct ctl_node *k = cur->sub; k && !is_end(k); k++)
		if (k->kind == CTL_WORD)
			return k;
	return NULL;
}

/* The keyword child w names exactly or by a unique prefix; *ambiguous is
 * set when several keywords share the prefix. */
static const struct ctl_node *match_kw(const struct ctl_node *cur, const char *w, bool *ambiguous)
{
	const struct ctl_node *found = NULL;
	size_t len = strlen(w), hits = 0;
	*ambiguous = false;
	for (const struct ctl_node *k = cur->sub; k && !is_end(k); k++) {
		if (k->kind != CTL_KW)
			continue;
		if (strcmp(k->word, w) == 0)
			return k;
		if (strncmp(k->word, w, len) == 0) {
			found = k;
			hits++;
		}
	}
	if (hits > 1) {
		*ambiguous = true;
		return NULL;
	}
	return found;
}

static void take(struct ctl_cmd *cmd, const struct ctl_node *k)
{
	if (k->tag)
		cmd->tag = k->tag;
	if (k->flags & CTL_F_NEGATE)
		cmd->negate = true;
}

static bool help_word(const char *w, struct ctl_match *m, const struct ctl_node *cur, size_t i)
{
	size_t len = strlen(w);
	if (len == 0 || w[len - 1] != '?')
		return false;
	m->status = CTL_MATCH_HELP;
	m->node = cur;
	m->word = i;
	m->help_prefix = w;
	m->help_prefix_len = len - 1;
	return true;
}

/* One word: returns the child it selects, or NULL with m->status set. */
static const struct ctl_node *match_one(const struct ctl_node *cur, const char *w,
					struct ctl_cmd *cmd, struct ctl_match *m, size_t i)
{
	bool ambiguous;
	unsigned long num = 0;
	const struct ctl_node *k = match_kw(cur, w, &ambiguous);
	m->word = i;
	if (ambiguous) {
		m->status = CTL_MATCH_AMBIGUOUS;
		return NULL;
	}
	if (k)
		return k;
	k = match_arg(cur, w, &num);
	if (!k || cmd->n_args == CTL_MAX_ARGS) {
		m->status = CTL_MATCH_INVALID;
		return NULL;
	}
	cmd->arg[cmd->n_args] = w;
	cmd->num[cmd->n_args] = num;
	cmd->n_args++;
	return k;
}

void ctl_match_words(const struct ctl_node *root, char *const *words, size_t n,
		     struct ctl_cmd *cmd, struct ctl_match *m)
{
	const struct ctl_node *cur = root;
	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < n; i++) {
		if (help_word(words[i], m, cur, i))
			return;
		const struct ctl_node *k = match_one(cur, words[i], cmd, m, i);
		if (!k)
			return;
		take(cmd, k);
		cur = k;
	}
	m->node = cur;
	m->word = n;
	m->status = (cur->run && cur != root) ? CTL_MATCH_OK : CTL_MATCH_INCOMPLETE;
}

static bool help_listed(const struct ctl_node *k, const struct ctl_match *m)
{
	if (k->kind != CTL_KW)
		return m->help_prefix_len == 0;
	return strncmp(k->word, m->help_prefix, m->help_prefix_len) == 0;
}

void ctl_help(struct buf *b, const struct ctl_match *m)
{
	size_t width = 4;    /* "<cr>" */
	for (const struct ctl_node *k = m->node->sub; k && !is_end(k); k++)
		if (help_listed(k, m) && strlen(k->word) > width)
			width = strlen(k->word);
	for (const struct ctl_node *k = m->node->sub; k && !is_end(k); k++)
		if (help_listed(k, m))
			buf_printf(b, "  %-*s  %s\n", (int)width, k->word, k->help ? k->help : "");
	if (m->help_prefix_len == 0 && m->node->run && m->word > 0)
		buf_printf(b, "  <cr>\n");
}

static void join_words(struct buf *b, char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? " " : "", words[i]);
}

void ctl_match_error(struct buf *b, const struct ctl_match *m, char *const *words, size_t n)
{
	switch (m->status) {
	case CTL_MATCH_AMBIGUOUS:
		buf_printf(b, "%% Ambiguous command: \"");
		join_words(b, words, m->word + 1);
		buf_printf(b, "\"\n");
		return;
	case CTL_MATCH_INVALID: {
		size_t col = 0;
		for (size_t i = 0; i < m->word; i++)
			col += strlen(words[i]) + 1;
		join_words(b, words, n);
		buf_printf(b, "\n%*s^\n", (int)col, "");
		buf_printf(b, "%% Invalid input detected at '^' marker.\n");
		return;
	}
	case CTL_MATCH_INCOMPLETE:
		buf_printf(b, "%% Incomplete command.\n");
		return;
	case CTL_MATCH_OK:
	case CTL_MATCH_HELP:
		break;
	}
}
