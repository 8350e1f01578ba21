#include "base/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <syslog.h>

static atomic_uint debug_level[LOG_CAT_MAX];
static atomic_bool secrets_on;
static atomic_int event_level = SEV_INFO;
static atomic_bool use_syslog;
static atomic_bool use_stderr = true;
static log_sink_fn sink;
static void *sink_arg;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* The prefixes the ASA prints for each debug category. */
static const char *const cat_prefix[LOG_CAT_MAX] = {
	[LOG_GEN] = "RAVPN",
	[LOG_CONF] = "CONFIG",
	[LOG_IKEV2] = "IKEv2-PROTO",
	[LOG_IKEV2_PLATFORM] = "IKEv2-PLAT",
	[LOG_IKEV1] = "IKEv1",
	[LOG_IPSEC] = "IPSEC",
	[LOG_AAA] = "AAA",
	[LOG_RADIUS] = "RADIUS",
	[LOG_TACACS] = "TACACS",
	[LOG_XML] = "XML",
	[LOG_CTL] = "CTL",
};

static const char *const cat_name[LOG_CAT_MAX] = {
	[LOG_GEN] = "general",
	[LOG_CONF] = "config",
	[LOG_IKEV2] = "ikev2-protocol",
	[LOG_IKEV2_PLATFORM] = "ikev2-platform",
	[LOG_IKEV1] = "isakmp",
	[LOG_IPSEC] = "ipsec",
	[LOG_AAA] = "aaa",
	[LOG_RADIUS] = "radius",
	[LOG_TACACS] = "tacacs",
	[LOG_XML] = "aggregate-auth-xml",
	[LOG_CTL] = "ctl",
};

void log_set_debug(enum log_cat cat, unsigned level)
{
	if (cat < LOG_CAT_MAX)
		atomic_store(&debug_level[cat], level > 255 ? 255 : level);
}

unsigned log_get_debug(enum log_cat cat)
{
	return cat < LOG_CAT_MAX ? atomic_load(&debug_level[cat]) : 0;
}

bool log_debug_on(enum log_cat cat, unsigned level)
{
	unsigned cur = log_get_debug(cat);
	return cur != 0 && level <= cur;
}

const char *log_cat_name(enum log_cat cat)
{
	return cat < LOG_CAT_MAX ? cat_name[cat] : "?";
}

void log_set_secrets(bool on) { atomic_store(&secrets_on, on); }
bool log_secrets(void) { return atomic_load(&secrets_on); }
void log_set_event_level(int sev) { atomic_store(&event_level, sev); }
void log_set_syslog(bool on) { atomic_store(&use_syslog, on); }
void log_set_stderr(bool on) { atomic_store(&use_stderr, on); }

void log_set_sink(log_sink_fn fn, void *arg)
{
	pthread_mutex_lock(&lock);
	sink = fn;
	sink_arg = arg;
	pthread_mutex_unlock(&lock);
}

static void emit(int sev, const char *line)
{
	pthread_mutex_lock(&lock);
	if (atomic_load(&use_stderr)) {
		struct timeval tv;
		struct tm tm;
		gettimeofday(&tv, NULL);
		localtime_r(&tv.tv_sec, &tm);
		fprintf(stderr, "%02d:%02d:%02d.%03ld %s\n", tm.tm_hour, tm.tm_min, tm.tm_sec,
			(long)(tv.tv_usec / 1000), line);
		fflush(stderr);
	}
	if (atomic_load(&use_syslog))
		syslog(sev < 0 ? LOG_INFO : sev, "%s", line);
	if (sink)
		sink(line, sink_arg);
	pthread_mutex_unlock(&lock);
}

static void vformat(char *out, size_t outlen, size_t off, const char *fmt, va_list ap)
{
	if (off < outlen)
		vsnprintf(out + off, outlen - off, fmt, ap);
	/* Network data may carry control characters: never let them reach a
	 * terminal or split a syslog line. */
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			*p = '?';
}

void log_event(int sev, unsigned id, const char *fmt, ...)
{
	if (sev > atomic_load(&event_level))
		return;
	char line[1024];
	int n = snprintf(line, sizeof(line), "%%RAVPN-%d-%06u: ", sev, id);
	va_list ap;
	va_start(ap, fmt);
	vformat(line, sizeof(line), n > 0 ? (size_t)n : 0, fmt, ap);
	va_end(ap);
	emit(sev, line);
}

void log_debug(enum log_cat cat, unsigned level, const char *fmt, ...)
{
	if (!log_debug_on(cat, level))
		return;
	char line[2048];
	int n = snprintf(line, sizeof(line), "%s-%u: ", cat_prefix[cat], level);
	va_list ap;
	va_start(ap, fmt);
	vformat(line, sizeof(line), n > 0 ? (size_t)n : 0, fmt, ap);
	va_end(ap);
	emit(SEV_DEBUG, line);
}

void log_msg(int sev, const char *fmt, ...)
{
	if (sev > atomic_load(&event_level) && sev > SEV_WARNING)
		return;
	static const char *const sevname[] = { "emerg", "alert", "crit", "error",
					       "warning", "notice", "info", "debug" };
	char line[1024];
	int n = snprintf(line, sizeof(line), "ravpnd[%s]: ",
			 sev >= 0 && sev <= 7 ? sevname[sev] : "?");
	va_list ap;
	va_start(ap, fmt);
	vformat(line, sizeof(line), n > 0 ? (size_t)n : 0, fmt, ap);
	va_end(ap);
	emit(sev, line);
}

bool log_limit_pass(struct log_limit *l, unsigned burst, unsigned *suppressed)
{
	time_t now = time(NULL);
	if (now != l->window) {
		l->window = now;
		l->count = 0;
	}
	if (l->count >= burst) {
		l->suppressed++;
		return false;
	}
	l->count++;
	if (suppressed)
		*suppressed = l->suppressed;
	l->suppressed = 0;
	return true;
}
