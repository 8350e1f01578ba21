/* Unique-prefix matching of command words, the help listing, the ASA
 * error texts and the JSON writer, over a small tree of their own. */
#include <stdlib.h>

#include "../t.h"
#include "jcheck.h"

#include "base/buf.h"
#include "ctl/cmd.h"
#include "ctl/json.h"

static int ran_tag, ran_args;
static unsigned long ran_num;

static int h_record(struct ctl_cmd *c)
{
	ran_tag = c->tag;
	ran_args = (int)c->n_args;
	ran_num = c->n_args ? c->num[0] : 0;
	buf_printf(c->out, "ran %d%s%s\n", c->tag, c->n_args ? " " : "",
		   c->n_args ? c->arg[0] : "");
	return 0;
}

static int h_fail(struct ctl_cmd *c)
{
	return ctl_fail(c, "ERROR: it failed");
}

static int h_json(struct ctl_cmd *c)
{
	json_obj_open(&c->j, NULL);
	json_str(&c->j, "k", "v");
	json_obj_close(&c->j);
	return 0;
}

static const struct ctl_node t_sa_sub[] = {
	{ "detail", "Detail", CTL_KW, NULL, h_record, 2, 0, 0, 0 },
	{ 0 },
};
static const struct ctl_node t_ikev2_sub[] = {
	{ "sa", "SAs", CTL_KW, t_sa_sub, h_record, 1, 0, 0, 0 },
	{ 0 },
};
static const struct ctl_node t_crypto_sub[] = {
	{ "ikev2", "IKEv2", CTL_KW, t_ikev2_sub, NULL, 0, 0, 0, 0 },
	{ "ikev2x", "Another", CTL_KW, NULL, h_record, 3, 0, 0, 0 },
	{ "ipsec", "IPsec", CTL_KW, NULL, h_record, 4, 0, 0, 0 },
	{ 0 },
};
static const struct ctl_node t_level_sub[] = {
	{ "<1-255>", "Level", CTL_NUM, NULL, h_record, 0, 0, 1, 255 },
	{ 0 },
};
static const struct ctl_node t_pool_sub[] = {
	{ "WORD", "Pool name", CTL_WORD, NULL, h_record, 0, 0, 0, 0 },
	{ 0 },
};
static const struct ctl_node t_show_sub[] = {
	{ "crypto", "Crypto", CTL_KW, t_crypto_sub, NULL, 0, 0, 0, 0 },
	{ "fail", "Fails", CTL_KW, NULL, h_fail, 0, 0, 0, 0 },
	{ "json", "JSON", CTL_KW, NULL, h_json, 0, 0, 0, 0 },
	{ "level", "Level", CTL_KW, t_level_sub, h_record, 5, 0, 0, 0 },
	{ "pool", "Pools", CTL_KW, t_pool_sub, h_record, 6, 0, 0, 0 },
	{ "version", "Version", CTL_KW, NULL, h_record, 7, 0, 0, 0 },
	{ 0 },
};
static const struct ctl_node t_top[] = {
	{ "show", "Show things", CTL_KW, t_show_sub, NULL, 0, 0, 0, 0 },
	{ "shutdown", "Stop", CTL_KW, NULL, h_record, 8, 0, 0, 0 },
	{ "no", "Negate", CTL_KW, t_show_sub, NULL, 0, CTL_F_NEGATE, 0, 0 },
	{ 0 },
};
static const struct ctl_node t_root = { "", "", CTL_KW, t_top, NULL, 0, 0, 0, 0 };

static struct ctl_match match(const char *line, struct ctl_cmd *cmd)
{
	static char copy[256];
	static char *words[CTL_MAX_WORDS];
	struct ctl_match m;
	snprintf(copy, sizeof(copy), "%s", line);
	int n = ctl_split(copy, words, CTL_MAX_WORDS);
	memset(cmd, 0, sizeof(*cmd));
	ctl_match_words(&t_root, words, (size_t)n, cmd, &m);
	return m;
}

/* The table of the brief: exact, unique prefix, ambiguous, unknown,
 * extra words, incomplete, arguments. */
static void words_match_by_exact_word_or_unique_prefix(void)
{
	static const struct {
		const char *line;
		enum ctl_match_status status;
		size_t word;     /* word at fault, or word count when OK */
		int tag;
	} cases[] = {
		{ "show crypto ikev2 sa", CTL_MATCH_OK, 4, 1 },
		{ "sho crypto ikev2 sa detail", CTL_MATCH_OK, 5, 2 },
		{ "show cry ikev2 sa d", CTL_MATCH_OK, 5, 2 },
		{ "show crypto ikev2 sa", CTL_MATCH_OK, 4, 1 },
		{ "show crypto ikev2x", CTL_MATCH_OK, 3, 3 },    /* exact beats prefix */
		{ "show crypto ip", CTL_MATCH_OK, 3, 4 },
		{ "show   version", CTL_MATCH_OK, 2, 7 },
		{ "SHOW version", CTL_MATCH_INVALID, 0, 0 },      /* keywords are lower case */
		{ "sh cry ikev2 sa", CTL_MATCH_AMBIGUOUS, 0, 0 }, /* show / shutdown */
		{ "show crypto ikev", CTL_MATCH_AMBIGUOUS, 2, 0 },
		{ "show crypto i sa", CTL_MATCH_AMBIGUOUS, 2, 0 },
		{ "show cryptx ikev2 sa", CTL_MATCH_INVALID, 1, 0 },
		{ "show version now", CTL_MATCH_INVALID, 2, 7 },
		{ "show crypto ikev2 sa detail more", CTL_MATCH_INVALID, 5, 2 },
		{ "show crypto", CTL_MATCH_INCOMPLETE, 2, 0 },
		{ "show crypto ikev2", CTL_MATCH_INCOMPLETE, 3, 0 },
		{ "", CTL_MATCH_INCOMPLETE, 0, 0 },
		{ "show level 255", CTL_MATCH_OK, 3, 5 },
		{ "show level 256", CTL_MATCH_INVALID, 2, 5 },
		{ "show level 0", CTL_MATCH_INVALID, 2, 5 },
		{ "show level -1", CTL_MATCH_INVALID, 2, 5 },
		{ "show level 12x", CTL_MATCH_INVALID, 2, 5 },
		{ "show level 99999999999999999999999", CTL_MATCH_INVALID, 2, 5 },
		{ "show pool anything", CTL_MATCH_OK, 3, 6 },
		{ "show ?", CTL_MATCH_HELP, 1, 0 },
		{ "show cr?", CTL_MATCH_HELP, 1, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ctl_cmd cmd;
		struct ctl_match m = match(cases[i].line, &cmd);
		if (m.status != cases[i].status || m.word != cases[i].word ||
		    (m.status == CTL_MATCH_OK && cmd.tag != cases[i].tag)) {
			fprintf(stderr, "  case \"%s\": status %d word %zu tag %d\n", cases[i].line,
				m.status, m.word, cmd.tag);
			t_failed_checks++;
		}
	}
}

static void number_and_word_arguments_are_collected(void)
{
	struct ctl_cmd cmd;
	struct ctl_match m = match("show level 127", &cmd);
	T_EQ_INT(m.status, CTL_MATCH_OK);
	T_EQ_INT(cmd.n_args, 1);
	T_EQ_INT(cmd.num[0], 127);
	T_EQ_STR(cmd.arg[0], "127");
	m = match("no pool VPN-POOL", &cmd);
	T_EQ_INT(m.status, CTL_MATCH_OK);
	T_CHECK(cmd.negate);
	T_EQ_STR(cmd.arg[0], "VPN-POOL");
	m = match("show pool VPN-POOL", &cmd);
	T_CHECK(!cmd.negate);
}

static char *run(const char *line, bool json)
{
	struct ctl_clock now = { 0, 0 };
	return ctl_exec_tree(&t_root, NULL, line, json, &now);
}

#define T_ANSWER(line, json, want)                 \
	do {                                       \
		char *t_ans_ = run(line, json);    \
		T_EQ_STR(t_ans_, want);            \
		free(t_ans_);                      \
	} while (0)

static void answers_follow_the_socket_format(void)
{
	T_ANSWER("show version", false, "0\nran 7\n");
	T_ANSWER("sh crypto ikev2 sa", false, "1\n% Ambiguous command: \"sh\"\n");
	T_ANSWER("show version\r\n", false, "0\nran 7\n");
	T_ANSWER("show fail", false, "1\nERROR: it failed\n");
	T_ANSWER("show crypto", false, "1\n% Incomplete command.\n");
	T_ANSWER("show json", true, "0\n{\"k\":\"v\"}\n");
	T_ANSWER("show fail", true, "1\n{\"error\":\"ERROR: it failed\"}\n");
}

static void invalid_input_is_marked_under_the_word(void)
{
	T_ANSWER("show cryptx ikev2 sa", false,
		 "1\nshow cryptx ikev2 sa\n     ^\n% Invalid input detected at '^' marker.\n");
	T_ANSWER("show  crypto   ikev2 sa detail   junk", false,
		 "1\nshow crypto ikev2 sa detail junk\n"
		 "                            ^\n% Invalid input detected at '^' marker.\n");
	T_ANSWER("show crypto i", false, "1\n% Ambiguous command: \"show crypto i\"\n");
	T_ANSWER("show cryptx", true,
		 "1\n{\"error\":\"show cryptx\\n     ^\\n% Invalid input detected at '^' marker.\"}\n");
}

static void question_mark_lists_the_choices(void)
{
	T_ANSWER("show ?", false,
		 "0\n"
		 "  crypto   Crypto\n"
		 "  fail     Fails\n"
		 "  json     JSON\n"
		 "  level    Level\n"
		 "  pool     Pools\n"
		 "  version  Version\n");
	T_ANSWER("show c?", false, "0\n  crypto  Crypto\n");
	T_ANSWER("show crypto ikev2 sa ?", false, "0\n  detail  Detail\n  <cr>\n");
	T_ANSWER("show level ?", false, "0\n  <1-255>  Level\n  <cr>\n");
	T_ANSWER("?", false, "0\n  show      Show things\n  shutdown  Stop\n  no        Negate\n");
}

static void overlong_and_too_many_words_are_refused(void)
{
	char line[CTL_MAX_LINE + 16];
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	T_ANSWER(line, false, "1\n% Command line too long\n");
	char many[400] = "";
	for (int i = 0; i < 40; i++)
		strcat(many, "show ");
	T_ANSWER(many, false, "1\n% Too many words\n");
}

static void json_writer_nests_and_escapes(void)
{
	struct buf b;
	struct json j;
	buf_init(&b);
	json_init(&j, &b);
	json_obj_open(&j, NULL);
	json_str(&j, "s", "a\"b\\c\nd\te\x01\x7f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	json_str(&j, "bad", "\xc3(\xed\xa0\x80\xf4\x90\x80\x80\xc0\xaf");
	json_u64(&j, "u", UINT64_MAX);
	json_i64(&j, "i", -5);
	json_bool(&j, "t", true);
	json_null(&j, "n");
	json_str(&j, "null_str", NULL);
	json_arr_open(&j, "a");
	json_u64(&j, NULL, 1);
	json_obj_open(&j, NULL);
	json_obj_close(&j);
	json_arr_open(&j, NULL);
	json_arr_close(&j);
	json_arr_close(&j);
	json_obj_close(&j);
	buf_put_u8(&b, '\0');
	T_EQ_STR((char *)b.data,
		 "{\"s\":\"a\\\"b\\\\c\\nd\\te\\u0001\\u007f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\","
		 "\"bad\":\"\\ufffd(\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\","
		 "\"u\":18446744073709551615,\"i\":-5,\"t\":true,\"n\":null,\"null_str\":null,"
		 "\"a\":[1,{},[]]}");
	T_CHECK(json_valid((char *)b.data));
	T_CHECK(!j.bad);
	buf_free(&b);
}

static void json_checker_rejects_broken_documents(void)
{
	T_CHECK(json_valid("{\"a\":[1,2.5e3,-0,\"x\\u00e9\"],\"b\":{}}"));
	T_CHECK(!json_valid("{\"a\":1,}"));
	T_CHECK(!json_valid("{\"a\" 1}"));
	T_CHECK(!json_valid("[1 2]"));
	T_CHECK(!json_valid("\"a\nb\""));
	T_CHECK(!json_valid("{} {}"));
	T_CHECK(!json_valid("01"));
}

static void json_depth_is_bounded(void)
{
	struct buf b;
	struct json j;
	buf_init(&b);
	json_init(&j, &b);
	for (int i = 0; i < JSON_MAX_DEPTH + 2; i++)
		json_arr_open(&j, NULL);
	T_CHECK(j.bad);
	buf_free(&b);
}

int main(void)
{
	T_RUN(words_match_by_exact_word_or_unique_prefix);
	T_RUN(number_and_word_arguments_are_collected);
	T_RUN(answers_follow_the_socket_format);
	T_RUN(invalid_input_is_marked_under_the_word);
	T_RUN(question_mark_lists_the_choices);
	T_RUN(overlong_and_too_many_words_are_refused);
	T_RUN(json_writer_nests_and_escapes);
	T_RUN(json_checker_rejects_broken_documents);
	T_RUN(json_depth_is_bounded);
	T_DONE();
}
