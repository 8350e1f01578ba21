/* The command tree of the control socket.
 *
 * Commands are a tree of nodes written as tables (tree.c).  A node is a
 * keyword, a number argument or a word argument; a node with a handler may
 * end a command.  Each word of a command line is matched against the
 * children of the node reached so far: an exact keyword first, then a
 * unique keyword prefix (`sh cry ikev2 sa`), then an argument node.  Like
 * the ASA CLI (and OpenBSD ikectl), two keywords sharing the prefix make
 * the word ambiguous; a word that fits nothing is marked with '^'. */
#ifndef RAVPN_CTL_CMD_H
#define RAVPN_CTL_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "ctl/ctl.h"
#include "ctl/fmt.h"
#include "ctl/json.h"

#define CTL_MAX_WORDS 32
#define CTL_MAX_ARGS 8
#define CTL_MAX_LINE 1024

/* What a handler gets: the environment, the matched arguments, the output
 * buffer (text, or JSON through `j` when `json`). */
struct ctl_cmd {
	const struct ctl_env *env;
	struct buf *out;
	struct json j;
	bool json;
	bool negate;             /* reached through a node flagged CTL_F_NEGATE ("no") */
	int tag;                 /* tag of the deepest tagged node on the path */
	size_t n_args;
	const char *arg[CTL_MAX_ARGS];       /* argument words in order */
	unsigned long num[CTL_MAX_ARGS];     /* their values for number arguments */
	struct ctl_clock now;
	char err[512];           /* set by ctl_fail() */
};

/* 0: done (answer "0"); -1: error, the message is in out (answer "1"). */
typedef int (*ctl_handler)(struct ctl_cmd *c);

enum ctl_node_kind { CTL_KW = 0, CTL_NUM, CTL_WORD };

#define CTL_F_NEGATE 0x1

struct ctl_node {
	const char *word;        /* keyword, or the help label of an argument ("<1-255>") */
	const char *help;
	enum ctl_node_kind kind;
	const struct ctl_node *sub;  /* children, ended by an entry with word NULL */
	ctl_handler run;         /* non-NULL: a command may end here */
	int tag;
	unsigned flags;
	unsigned long min, max;  /* CTL_NUM range */
};

enum ctl_match_status {
	CTL_MATCH_OK,            /* m->node is the command, cmd has its args */
	CTL_MATCH_AMBIGUOUS,     /* word m->word has several keyword matches */
	CTL_MATCH_INVALID,       /* word m->word matches nothing (or too many args) */
	CTL_MATCH_INCOMPLETE,    /* the words stop at a node without a handler */
	CTL_MATCH_HELP,          /* "?" or "pre?": list m->node's children */
};

struct ctl_match {
	enum ctl_match_status status;
	const struct ctl_node *node;
	size_t word;
	const char *help_prefix; /* CTL_MATCH_HELP: the prefix typed before '?' */
	size_t help_prefix_len;
};

/* Match words against the children of root; fills the arguments of cmd. */
void ctl_match_words(const struct ctl_node *root, char *const *words, size_t n,
		     struct ctl_cmd *cmd, struct ctl_match *m);
/* Write the help listing for a CTL_MATCH_HELP result. */
void ctl_help(struct buf *b, const struct ctl_match *m);
/* Write the ASA-style error for a failed match (with the '^' marker line). */
void ctl_match_error(struct buf *b, const struct ctl_match *m, char *const *words, size_t n);

/* Split a line into words in place (spaces and tabs); returns the count,
 * or -1 if there are more than max. */
int ctl_split(char *line, char **words, size_t max);

/* Run a command line over a tree: the whole of ctl_exec() with the tree
 * as a parameter, so that the tests can give their own. */
char *ctl_exec_tree(const struct ctl_node *root, const struct ctl_env *env, const char *line,
		    bool json, const struct ctl_clock *now);

/* Record an error for the answer "1" (handlers: `return ctl_fail(c, ...)`). */
int ctl_fail(struct ctl_cmd *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Tags of the tree nodes that handlers look at. */
enum ctl_tag {
	CTL_TAG_NONE = 0,
	CTL_TAG_DETAIL = 1,
	CTL_TAG_ON,
	CTL_TAG_OFF,
	CTL_TAG_ALL,
	CTL_TAG_INDEX,
	CTL_TAG_DEBUG_BASE = 100,    /* + enum log_cat */
};

/* Handlers (cmd_show.c, cmd_debug.c, cmd_clear.c). */
int cmd_show_ikev2_sa(struct ctl_cmd *c);
int cmd_show_ikev1_sa(struct ctl_cmd *c);
int cmd_show_isakmp_sa(struct ctl_cmd *c);
int cmd_show_remote(struct ctl_cmd *c);
int cmd_show_uauth(struct ctl_cmd *c);
int cmd_show_ipsec_sa(struct ctl_cmd *c);
int cmd_show_certs(struct ctl_cmd *c);
int cmd_show_sessions(struct ctl_cmd *c);
int cmd_show_summary(struct ctl_cmd *c);
int cmd_show_running(struct ctl_cmd *c);
int cmd_show_pool(struct ctl_cmd *c);
int cmd_show_version(struct ctl_cmd *c);
int cmd_show_debug(struct ctl_cmd *c);
int cmd_debug(struct ctl_cmd *c);
int cmd_debug_secrets(struct ctl_cmd *c);
int cmd_undebug_all(struct ctl_cmd *c);
int cmd_clear_ikev2_sa(struct ctl_cmd *c);
int cmd_clear_sessions(struct ctl_cmd *c);
int cmd_logoff(struct ctl_cmd *c);

/* The command tree of ravpn (tree.c). */
extern const struct ctl_node ctl_root;

#endif
