/* Running one command line: split, match, call the handler, and build the
 * answer in the socket format: "0\n<output>" or "1\n<error>".  With the
 * json flag, the output is one JSON document and errors are
 * {"error":"<text>"}. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/cmd.h"

int ctl_fail(struct ctl_cmd *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return -1;
}

static char *finish(struct buf *ans)
{
	buf_put_u8(ans, '\0');
	if (ans->oom) {
		buf_free(ans);
		return NULL;
	}
	return (char *)buf_take(ans, NULL);
}

/* "1\n" and the error, as text or as a JSON object. */
static char *answer_error(const char *text, bool json)
{
	struct buf ans;
	buf_init(&ans);
	buf_printf(&ans, "1\n");
	if (json) {
		struct json j;
		size_t len = strlen(text);
		char *t = strndup(text, len && text[len - 1] == '\n' ? len - 1 : len);
		json_init(&j, &ans);
		json_obj_open(&j, NULL);
		json_str(&j, "error", t ? t : "out of memory");
		json_obj_close(&j);
		buf_put_u8(&ans, '\n');
		free(t);
	} else {
		buf_printf(&ans, "%s", text);
		if (text[0] && text[strlen(text) - 1] != '\n')
			buf_put_u8(&ans, '\n');
	}
	return finish(&ans);
}

/* The output buffer starts with the "0\n" status line already in place,
 * so that a large answer (a show over 100k SAs) is never copied. */
static char *run_matched(const struct ctl_node *node, struct ctl_cmd *cmd)
{
	struct buf out;
	buf_init(&out);
	buf_put(&out, "0\n", 2);
	cmd->out = &out;
	json_init(&cmd->j, &out);
	int rc = node->run(cmd);
	if (out.oom || rc != 0) {
		bool oom = out.oom;
		buf_free(&out);
		if (oom)
			return answer_error("% Out of memory", cmd->json);
		return answer_error(cmd->err[0] ? cmd->err : "% Command failed", cmd->json);
	}
	if (cmd->json && out.len > 2 && out.data[out.len - 1] != '\n')
		buf_put_u8(&out, '\n');
	return finish(&out);
}

/* Help text (never JSON: "?" is for people at a terminal). */
static char *answer_help(const struct buf *msg)
{
	struct buf ans;
	buf_init(&ans);
	buf_printf(&ans, "0\n");
	buf_put(&ans, msg->data, msg->len);
	return finish(&ans);
}

static char *run_words(const struct ctl_node *root, char **words, size_t n, struct ctl_cmd *cmd)
{
	struct ctl_match m;
	struct buf msg;
	char *ans;
	ctl_match_words(root, words, n, cmd, &m);
	if (m.status == CTL_MATCH_OK)
		return run_matched(m.node, cmd);
	buf_init(&msg);
	if (m.status == CTL_MATCH_HELP)
		ctl_help(&msg, &m);
	else
		ctl_match_error(&msg, &m, words, n);
	if (m.status == CTL_MATCH_HELP && !msg.oom) {
		ans = answer_help(&msg);
		buf_free(&msg);
		return ans;
	}
	buf_put_u8(&msg, '\0');
	if (msg.oom)
		ans = answer_error("% Out of memory", cmd->json);
	else
		ans = answer_error((char *)msg.data, cmd->json);
	buf_free(&msg);
	return ans;
}

char *ctl_exec_tree(const struct ctl_node *root, const struct ctl_env *env, const char *line,
		    bool json, const struct ctl_clock *now)
{
	char copy[CTL_MAX_LINE + 1];
	char *words[CTL_MAX_WORDS];
	size_t len = strcspn(line, "\r\n");
	if (len > CTL_MAX_LINE)
		return answer_error("% Command line too long", json);
	memcpy(copy, line, len);
	copy[len] = '\0';
	int n = ctl_split(copy, words, CTL_MAX_WORDS);
	if (n < 0)
		return answer_error("% Too many words", json);
	struct ctl_cmd cmd = { .env = env, .json = json, .now = *now };
	if (env && env->refresh)
		env->refresh(env->arg);
	return run_words(root, words, (size_t)n, &cmd);
}
