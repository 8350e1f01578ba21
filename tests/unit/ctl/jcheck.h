/* A tiny strict JSON validator for the tests (RFC 8259 grammar: objects,
 * arrays, strings with escapes, numbers, true/false/null; one value and
 * only whitespace around it). */
#ifndef RAVPN_TESTS_JCHECK_H
#define RAVPN_TESTS_JCHECK_H

#include <stdbool.h>
#include <string.h>

static bool jc_value(const char **p, int depth);

static void jc_ws(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

static bool jc_lit(const char **p, const char *lit)
{
	size_t n = strlen(lit);
	if (strncmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

static bool jc_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool jc_string(const char **p)
{
	if (**p != '"')
		return false;
	(*p)++;
	while (**p && **p != '"') {
		unsigned char c = (unsigned char)**p;
		if (c < 0x20)
			return false;
		if (c == '\\') {
			(*p)++;
			if (**p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!jc_hex((*p)[i]))
						return false;
				*p += 5;
				continue;
			}
			if (!strchr("\"\\/bfnrt", **p) || !**p)
				return false;
		}
		(*p)++;
	}
	if (**p != '"')
		return false;
	(*p)++;
	return true;
}

static bool jc_digits(const char **p)
{
	if (**p < '0' || **p > '9')
		return false;
	while (**p >= '0' && **p <= '9')
		(*p)++;
	return true;
}

static bool jc_number(const char **p)
{
	if (**p == '-')
		(*p)++;
	if (**p == '0')
		(*p)++;
	else if (!jc_digits(p))
		return false;
	if (**p == '.') {
		(*p)++;
		if (!jc_digits(p))
			return false;
	}
	if (**p == 'e' || **p == 'E') {
		(*p)++;
		if (**p == '+' || **p == '-')
			(*p)++;
		if (!jc_digits(p))
			return false;
	}
	return true;
}

static bool jc_members(const char **p, int depth, char close, bool keys)
{
	(*p)++;
	jc_ws(p);
	if (**p == close) {
		(*p)++;
		return true;
	}
	for (;;) {
		jc_ws(p);
		if (keys) {
			if (!jc_string(p))
				return false;
			jc_ws(p);
			if (**p != ':')
				return false;
			(*p)++;
		}
		if (!jc_value(p, depth + 1))
			return false;
		jc_ws(p);
		if (**p == close) {
			(*p)++;
			return true;
		}
		if (**p != ',')
			return false;
		(*p)++;
	}
}

static bool jc_value(const char **p, int depth)
{
	if (depth > 64)
		return false;
	jc_ws(p);
	switch (**p) {
	case '{': return jc_members(p, depth, '}', true);
	case '[': return jc_members(p, depth, ']', false);
	case '"': return jc_string(p);
	case 't': return jc_lit(p, "true");
	case 'f': return jc_lit(p, "false");
	case 'n': return jc_lit(p, "null");
	default: return jc_number(p);
	}
}

static bool json_valid(const char *s)
{
	const char *p = s;
	if (!jc_value(&p, 0))
		return false;
	jc_ws(&p);
	return *p == '\0';
}

#endif
