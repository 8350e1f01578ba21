/* Lexer: one configuration line into words.
 *
 * ASA/PIX rules as ravpn reads them:
 *  - words are separated by blanks (space, tab); a trailing CR (CRLF files)
 *    is dropped by the caller together with the LF;
 *  - a line whose first non-blank character is '!' is a comment ("!", the
 *    ASA separator, and "!--- ..." annotations of Cisco documents);
 *  - a line starting with ':' is the show-run header/footer (": Saved",
 *    ": end");
 *  - a word that starts with '"' runs to the next '"' on the line and keeps
 *    its blanks (the quotes are dropped); a '"' with no closing partner is
 *    an ordinary character, so banner text never makes a line unreadable;
 *  - the indentation (number of leading blanks) is kept: the parser uses it
 *    to place sub-mode lines;
 *  - control characters other than tab are refused. */
#include <stdlib.h>
#include <string.h>

#include "conf/conf_int.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

void lex_line_free(struct lex_line *l)
{
	free(l->text);
	free(l->wbuf);
	l->text = NULL;
	l->wbuf = NULL;
	l->n = 0;
}

enum lex_kind lex_line(const char *s, size_t len, struct lex_line *out, const char **why)
{
	memset(out, 0, sizeof(*out));
	*why = NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
			*why = ch == 0 ? "NUL byte in line" : "control character in line";
			return LEX_BAD;
		}
	}
	size_t b = 0;
	while (b < len && is_blank(s[b]))
		b++;
	while (len > b && is_blank(s[len - 1]))
		len--;
	if (b == len)
		return LEX_BLANK;
	if (s[b] == '!' || s[b] == ':')
		return LEX_COMMENT;
	out->indent = b > 1000 ? 1000 : (int)b;
	size_t tl = len - b;
	out->text = malloc(tl + 1);
	out->wbuf = malloc(tl + 1);
	if (!out->text || !out->wbuf) {
		lex_line_free(out);
		*why = "out of memory";
		return LEX_BAD;
	}
	memcpy(out->text, s + b, tl);
	out->text[tl] = '\0';

	const char *t = out->text;
	char *o = out->wbuf;
	size_t i = 0;
	while (i < tl) {
		while (i < tl && is_blank(t[i]))
			i++;
		if (i >= tl)
			break;
		if (out->n == LEX_MAX_WORDS) {
			out->too_many = true;
			break;
		}
		const char *close = t[i] == '"' ? memchr(t + i + 1, '"', tl - i - 1) : NULL;
		out->off[out->n] = i;
		out->w[out->n] = o;
		if (close) {
			size_t wl = (size_t)(close - (t + i + 1));
			memcpy(o, t + i + 1, wl);
			o += wl;
			out->quoted[out->n] = true;
			i = (size_t)(close - t) + 1;
		} else {
			while (i < tl && !is_blank(t[i]))
				*o++ = t[i++];
		}
		*o++ = '\0';
		out->n++;
	}
	return LEX_WORDS;
}
