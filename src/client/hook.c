/* vpnc-script compatible hook (see hook.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client/hook.h"

static int add(struct hook_env *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int add(struct hook_env *e, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	if (e->n >= HOOK_MAX_VARS)
		return -1;
	va_start(ap, fmt);
	int rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return -1;
	e->v[e->n++] = s;
	return 0;
}

static const char *ip(uint32_t host, char *buf)
{
	struct in_addr a = { htonl(host) };
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static int masklen(uint32_t mask)
{
	int n = 0;
	while (mask & 0x80000000u) {
		n++;
		mask <<= 1;
	}
	return n;
}

static int add_list(struct hook_env *e, const char *name, const uint32_t *a, unsigned n)
{
	char line[INI2_MAX_DNS * INET_ADDRSTRLEN + 8] = "", b[INET_ADDRSTRLEN];
	if (!n)
		return 0;
	for (unsigned i = 0; i < n && i < INI2_MAX_DNS; i++) {
		if (i)
			strcat(line, " ");
		strcat(line, ip(a[i], b));
	}
	return add(e, "%s=%s", name, line);
}

static int add_split(struct hook_env *e, const struct ini2_lease *l)
{
	char b[INET_ADDRSTRLEN];
	int rc = add(e, "CISCO_SPLIT_INC=%u", l->n_split);
	for (unsigned i = 0; i < l->n_split && rc == 0; i++) {
		const struct ini2_net *s = &l->split[i];
		rc |= add(e, "CISCO_SPLIT_INC_%u_ADDR=%s", i, ip(s->addr, b));
		rc |= add(e, "CISCO_SPLIT_INC_%u_MASK=%s", i, ip(s->mask, b));
		rc |= add(e, "CISCO_SPLIT_INC_%u_MASKLEN=%d", i, masklen(s->mask));
		rc |= add(e, "CISCO_SPLIT_INC_%u_PROTOCOL=%u", i, s->proto);
		rc |= add(e, "CISCO_SPLIT_INC_%u_SPORT=%u", i, s->sport);
		rc |= add(e, "CISCO_SPLIT_INC_%u_DPORT=%u", i, s->dport);
	}
	return rc;
}

int hook_env_build(struct hook_env *e, const char *reason, const char *gateway,
		   const char *tundev, const struct ini2_lease *l, const char *banner)
{
	char b[INET_ADDRSTRLEN];
	int rc = 0;
	memset(e, 0, sizeof(*e));
	rc |= add(e, "reason=%s", reason);
	rc |= add(e, "VPNGATEWAY=%s", gateway);
	rc |= add(e, "TUNDEV=%s", tundev ? tundev : "");
	if (l && l->addr) {
		rc |= add(e, "INTERNAL_IP4_ADDRESS=%s", ip(l->addr, b));
		uint32_t mask = l->netmask ? l->netmask : 0xffffffffu;
		rc |= add(e, "INTERNAL_IP4_NETMASK=%s", ip(mask, b));
		rc |= add(e, "INTERNAL_IP4_NETMASKLEN=%d", masklen(mask));
		rc |= add_list(e, "INTERNAL_IP4_DNS", l->dns, l->n_dns);
		rc |= add_list(e, "INTERNAL_IP4_NBNS", l->nbns, l->n_nbns);
		if (l->domain[0])
			rc |= add(e, "CISCO_DEF_DOMAIN=%s", l->domain);
		if (!l->full_tunnel && l->n_split)
			rc |= add_split(e, l);
	}
	if (banner && banner[0])
		rc |= add(e, "CISCO_BANNER=%s", banner);
	if (rc) {
		hook_env_free(e);
		return -1;
	}
	return 0;
}

void hook_env_free(struct hook_env *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i]);
	e->n = 0;
}

const char *hook_env_get(const struct hook_env *e, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < e->n; i++)
		if (strncmp(e->v[i], name, n) == 0 && e->v[i][n] == '=')
			return e->v[i] + n + 1;
	return NULL;
}

int hook_run(const char *script, const struct hook_env *e)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		for (size_t i = 0; i < e->n; i++)
			putenv(e->v[i]);
		execl(script, script, (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
