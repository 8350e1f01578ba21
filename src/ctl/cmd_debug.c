/* debug / no debug / undebug all / show debug.
 *
 * Each debug category of base/log.h is switched by the ASA command that
 * names it; the level (1..255, default 1 as on the ASA) gates which lines
 * print.  `debug radius` and `debug tacacs` take no level on the ASA: they
 * switch on every line (255).
 *
 * `debug crypto secrets on` is ravpn's explicit switch that lets keys,
 * PSKs, passwords and EAP secrets into debug output (log_secrets()); it is
 * off at start, `debug crypto secrets off`, `no debug crypto secrets` and
 * `undebug all` turn it off again, and turning it on logs a warning so the
 * change is visible in the daemon log. */
#include <stdio.h>

#include "base/log.h"
#include "ctl/cmd.h"

struct debug_cat {
	enum log_cat cat;
	const char *cmd;         /* as show debug prints it */
	bool leveled;
};

static const struct debug_cat debug_cats[] = {
	{ LOG_IKEV2, "debug crypto ikev2 protocol", true },
	{ LOG_IKEV2_PLATFORM, "debug crypto ikev2 platform", true },
	{ LOG_IKEV1, "debug crypto ikev1", true },
	{ LOG_IPSEC, "debug crypto ipsec", true },
	{ LOG_AAA, "debug aaa", true },
	{ LOG_RADIUS, "debug radius", false },
	{ LOG_TACACS, "debug tacacs", false },
	{ LOG_XML, "debug aggregate-auth xml", true },
};

#define N_CATS (sizeof(debug_cats) / sizeof(debug_cats[0]))

static const struct debug_cat *debug_cat(int tag)
{
	for (size_t i = 0; i < N_CATS; i++)
		if (tag == CTL_TAG_DEBUG_BASE + (int)debug_cats[i].cat)
			return &debug_cats[i];
	return NULL;
}

int cmd_debug(struct ctl_cmd *c)
{
	const struct debug_cat *d = debug_cat(c->tag);
	if (!d)
		return ctl_fail(c, "%% Incomplete command.");
	unsigned level = d->leveled ? (c->n_args ? (unsigned)c->num[0] : 1u) : 255u;
	if (c->negate)
		level = 0;
	log_set_debug(d->cat, level);
	if (c->json) {
		json_obj_open(&c->j, NULL);
		json_str(&c->j, "debug", d->cmd + 6);
		json_u64(&c->j, "level", level);
		json_obj_close(&c->j);
	}
	return 0;
}

static void secrets_set(struct ctl_cmd *c, bool on)
{
	bool was = log_secrets();
	log_set_secrets(on);
	if (on && !was)
		log_msg(SEV_WARNING, "debug crypto secrets on: keys and passwords now appear in "
				     "debug output");
	else if (!on && was)
		log_msg(SEV_NOTICE, "debug crypto secrets off");
	if (c->json) {
		json_obj_open(&c->j, NULL);
		json_bool(&c->j, "secrets", on);
		json_obj_close(&c->j);
	} else if (on) {
		buf_printf(c->out, "WARNING: keys, pre-shared keys and passwords are now printed "
				   "in debug output\n");
	}
}

int cmd_debug_secrets(struct ctl_cmd *c)
{
	if (c->negate) {
		secrets_set(c, false);
		return 0;
	}
	if (c->tag != CTL_TAG_ON && c->tag != CTL_TAG_OFF)
		return ctl_fail(c, "%% Incomplete command.");
	secrets_set(c, c->tag == CTL_TAG_ON);
	return 0;
}

int cmd_undebug_all(struct ctl_cmd *c)
{
	for (size_t i = 0; i < N_CATS; i++)
		log_set_debug(debug_cats[i].cat, 0);
	if (log_secrets()) {
		log_set_secrets(false);
		log_msg(SEV_NOTICE, "debug crypto secrets off");
	}
	if (c->json) {
		json_obj_open(&c->j, NULL);
		json_arr_open(&c->j, "debug");
		json_arr_close(&c->j);
		json_bool(&c->j, "secrets", false);
		json_obj_close(&c->j);
	}
	return 0;
}

int cmd_show_debug(struct ctl_cmd *c)
{
	if (c->json) {
		json_obj_open(&c->j, NULL);
		json_arr_open(&c->j, "debug");
	}
	for (size_t i = 0; i < N_CATS; i++) {
		const struct debug_cat *d = &debug_cats[i];
		unsigned level = log_get_debug(d->cat);
		if (!level)
			continue;
		if (c->json) {
			json_obj_open(&c->j, NULL);
			json_str(&c->j, "debug", d->cmd + 6);
			json_u64(&c->j, "level", level);
			json_obj_close(&c->j);
		} else if (d->leveled) {
			buf_printf(c->out, "%s %u\n", d->cmd, level);
		} else {
			buf_printf(c->out, "%s\n", d->cmd);
		}
	}
	if (c->json) {
		json_arr_close(&c->j);
		json_bool(&c->j, "secrets", log_secrets());
		json_obj_close(&c->j);
	} else if (log_secrets()) {
		buf_printf(c->out, "debug crypto secrets on\n");
	}
	return 0;
}
