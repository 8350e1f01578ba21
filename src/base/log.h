/* Logging the ASA way.
 *
 * Two kinds of lines:
 *  - events: syslog messages with an ASA message ID and severity,
 *    printed as "%RAVPN-<sev>-<id>: <text>" (same IDs as %ASA-..., see
 *    protocol.md §3.7), always on at severity <= the configured level;
 *  - debug lines: per category, gated by a level 1..255 switched at run time
 *    ("debug crypto ikev2 protocol 127"), printed with the ASA prefix of the
 *    category, e.g. "IKEv2-PROTO-5: ...".
 *
 * Secrets (keys, passwords, PSKs) are only ever passed to log functions
 * behind `if (log_secrets())`, which is off unless "debug ... secrets" is on.
 * Thread-safe: the ESP workers log too. */
#ifndef RAVPN_BASE_LOG_H
#define RAVPN_BASE_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

enum log_cat {
	LOG_GEN,              /* daemon life cycle */
	LOG_CONF,             /* configuration */
	LOG_IKEV2,            /* debug crypto ikev2 protocol N */
	LOG_IKEV2_PLATFORM,   /* debug crypto ikev2 platform N */
	LOG_IKEV1,            /* debug crypto isakmp N / debug crypto ikev1 N */
	LOG_IPSEC,            /* debug crypto ipsec N (ESP data plane) */
	LOG_AAA,              /* debug aaa ... (local users, pools) */
	LOG_RADIUS,           /* debug radius */
	LOG_TACACS,           /* debug tacacs */
	LOG_XML,              /* debug aggregate-auth xml N */
	LOG_CTL,              /* control socket */
	LOG_CAT_MAX
};

/* Syslog severities as the ASA numbers them. */
enum log_sev {
	SEV_EMERG, SEV_ALERT, SEV_CRIT, SEV_ERR, SEV_WARNING, SEV_NOTICE, SEV_INFO, SEV_DEBUG
};

void log_set_debug(enum log_cat cat, unsigned level);   /* 0 = off */
unsigned log_get_debug(enum log_cat cat);
bool log_debug_on(enum log_cat cat, unsigned level);
const char *log_cat_name(enum log_cat cat);
void log_set_secrets(bool on);
bool log_secrets(void);
/* Events at or below this severity are printed (default SEV_INFO). */
void log_set_event_level(int sev);
void log_set_syslog(bool on);     /* also send to syslog(3) */

/* "%RAVPN-<sev>-<id>: text" */
void log_event(int sev, unsigned id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Debug line; printed only if log_debug_on(cat, level). */
void log_debug(enum log_cat cat, unsigned level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Operational message without message ID (start-up, config, internal). */
void log_msg(int sev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Rate limiting for lines triggered by network input: at most `burst`
 * lines per second per limiter; the number suppressed is reported with the
 * next line that passes. */
struct log_limit {
	time_t window;
	unsigned count;
	unsigned suppressed;
};
bool log_limit_pass(struct log_limit *l, unsigned burst, unsigned *suppressed);

/* Tests and the control socket can capture every printed line. */
typedef void (*log_sink_fn)(const char *line, void *arg);
void log_set_sink(log_sink_fn fn, void *arg);
/* Keep printing to stderr besides the sink (default true). */
void log_set_stderr(bool on);

#endif
