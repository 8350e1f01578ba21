/* The control socket server: a UNIX stream socket (mode 0600) on the event
 * loop.  Each connection carries one command:
 *
 *   client: "[json ]WORD WORD ...\n"      (then may shut down its side)
 *   server: "0\n<output>" or "1\n<error>", then closes.
 *
 * Everything is non-blocking: the line is read as it arrives, the answer is
 * written as the socket takes it.  A connection that sends nothing for
 * CONN_TIMEOUT_MS is closed, at most MAX_CONNS are open at a time, and
 * only root or the daemon's own user may talk to it (SO_PEERCRED, on top
 * of the file mode). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <sys/epoll.h>

#include "base/log.h"
#include "base/loop.h"
#include "ctl/cmd.h"
#include "ctl/ctl.h"

#define MAX_CONNS 32
#define CONN_TIMEOUT_MS 10000

struct ctl_conn {
	struct ctl *ctl;
	int fd;
	char in[CTL_MAX_LINE + 8];
	size_t in_len;
	char *out;               /* the answer, once the command ran */
	size_t out_len, out_off;
	struct loop_timer *timer;
	struct ctl_conn *prev, *next;
};

struct ctl {
	struct loop *loop;
	int fd;
	bool bound;              /* we created the socket file (ours to unlink) */
	char *path;
	struct ctl_env env;
	struct ctl_conn *conns;
	size_t n_conns;
};

static void conn_close(struct ctl_conn *k)
{
	struct ctl *c = k->ctl;
	loop_del_fd(c->loop, k->fd);
	close(k->fd);
	loop_timer_cancel(c->loop, k->timer);
	if (k->prev)
		k->prev->next = k->next;
	else
		c->conns = k->next;
	if (k->next)
		k->next->prev = k->prev;
	c->n_conns--;
	free(k->out);
	free(k);
}

static void conn_timeout(void *arg)
{
	struct ctl_conn *k = arg;
	k->timer = NULL;     /* the loop freed it before calling us */
	log_debug(LOG_CTL, 1, "control connection timed out");
	conn_close(k);
}

/* Write as much of the answer as the socket takes; close when done. */
static void conn_flush(struct ctl_conn *k)
{
	while (k->out_off < k->out_len) {
		ssize_t w = send(k->fd, k->out + k->out_off, k->out_len - k->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (w <= 0) {
			conn_close(k);
			return;
		}
		k->out_off += (size_t)w;
	}
	conn_close(k);
}

static char *run_line(struct ctl *c, char *line)
{
	bool json = false;
	while (*line == ' ' || *line == '\t')
		line++;
	if (strncmp(line, "json", 4) == 0 && (line[4] == ' ' || line[4] == '\t' || !line[4])) {
		json = true;
		line += 4;
	}
	log_debug(LOG_CTL, 1, "control command: %s%s", json ? "(json) " : "", line);
	return ctl_exec(&c->env, line, json);
}

static void conn_answer(struct ctl_conn *k, char *answer)
{
	static const char oom[] = "1\n% Out of memory\n";
	k->out = answer ? answer : strdup(oom);
	if (!k->out) {
		conn_close(k);
		return;
	}
	k->out_len = strlen(k->out);
	loop_timer_cancel(k->ctl->loop, k->timer);
	k->timer = loop_timer_add(k->ctl->loop, CONN_TIMEOUT_MS, conn_timeout, k);
	if (loop_mod_fd(k->ctl->loop, k->fd, EPOLLOUT) < 0) {
		conn_close(k);
		return;
	}
	conn_flush(k);
}

/* Read what is there; run the command once the line is complete (or the
 * client closed its side after a line without newline). */
static void conn_read(struct ctl_conn *k)
{
	for (;;) {
		size_t room = sizeof(k->in) - 1 - k->in_len;
		if (room == 0) {
			conn_answer(k, strdup("1\n% Command line too long\n"));
			return;
		}
		ssize_t r = recv(k->fd, k->in + k->in_len, room, MSG_DONTWAIT);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (r < 0 || (r == 0 && k->in_len == 0)) {
			conn_close(k);
			return;
		}
		k->in_len += (size_t)r;
		k->in[k->in_len] = '\0';
		char *nl = memchr(k->in, '\n', k->in_len);
		if (nl || r == 0) {
			if (nl)
				*nl = '\0';
			if (strlen(k->in) != (nl ? (size_t)(nl - k->in) : k->in_len)) {
				conn_answer(k, strdup("1\n% Invalid character in command\n"));
				return;
			}
			conn_answer(k, run_line(k->ctl, k->in));
			return;
		}
	}
}

static void conn_event(int fd, uint32_t events, void *arg)
{
	struct ctl_conn *k = arg;
	(void)fd;
	if (k->out)
		conn_flush(k);
	else if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		conn_read(k);
}

static bool peer_allowed(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return false;
	return cr.uid == 0 || cr.uid == geteuid();
}

static void conn_new(struct ctl *c, int fd)
{
	struct ctl_conn *k = calloc(1, sizeof(*k));
	if (!k) {
		close(fd);
		return;
	}
	k->ctl = c;
	k->fd = fd;
	if (loop_add_fd(c->loop, fd, EPOLLIN, conn_event, k) < 0) {
		close(fd);
		free(k);
		return;
	}
	k->next = c->conns;
	if (c->conns)
		c->conns->prev = k;
	c->conns = k;
	c->n_conns++;
	k->timer = loop_timer_add(c->loop, CONN_TIMEOUT_MS, conn_timeout, k);
}

static void ctl_accept(int lfd, uint32_t events, void *arg)
{
	struct ctl *c = arg;
	(void)events;
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_msg(SEV_WARNING, "control socket accept: %s", strerror(errno));
			return;
		}
		if (!peer_allowed(fd)) {
			log_msg(SEV_WARNING, "control socket: connection from another user refused");
			close(fd);
			continue;
		}
		if (c->n_conns >= MAX_CONNS) {
			static const char busy[] = "1\n% Too many control connections\n";
			(void)!send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
			close(fd);
			continue;
		}
		conn_new(c, fd);
	}
}

/* An existing socket file: refuse if a daemon answers on it, remove it if
 * it is a stale socket, refuse anything that is not a socket. */
static int clear_stale(const char *path, const struct sockaddr_un *sun)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		log_msg(SEV_ERR, "control socket %s: exists and is not a socket", path);
		return -1;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (rc == 0) {
		log_msg(SEV_ERR, "control socket %s: another daemon is listening", path);
		return -1;
	}
	return unlink(path);
}

static int ctl_listen(struct ctl *c)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	if (strlen(c->path) >= sizeof(sun.sun_path)) {
		log_msg(SEV_ERR, "control socket %s: path too long", c->path);
		return -1;
	}
	memcpy(sun.sun_path, c->path, strlen(c->path) + 1);
	if (clear_stale(c->path, &sun) < 0)
		return -1;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -1;
	mode_t old = umask(0177);    /* created 0600: no window with wider rights */
	int rc = bind(c->fd, (const struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	c->bound = rc == 0;
	if (rc < 0 || chmod(c->path, 0600) < 0 || listen(c->fd, 16) < 0) {
		log_msg(SEV_ERR, "control socket %s: %s", c->path, strerror(errno));
		return -1;
	}
	if (loop_add_fd(c->loop, c->fd, EPOLLIN, ctl_accept, c) < 0) {
		log_msg(SEV_ERR, "control socket %s: cannot watch it", c->path);
		return -1;
	}
	return 0;
}

struct ctl *ctl_new(struct loop *l, const char *socket_path, const struct ctl_env *env)
{
	struct ctl *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->loop = l;
	c->fd = -1;
	c->env = *env;
	c->path = strdup(socket_path);
	if (!c->path || ctl_listen(c) < 0) {
		if (c->fd >= 0)
			close(c->fd);
		if (c->bound)
			unlink(c->path);
		free(c->path);
		free(c);
		return NULL;
	}
	return c;
}

void ctl_free(struct ctl *c)
{
	if (!c)
		return;
	while (c->conns)
		conn_close(c->conns);
	loop_del_fd(c->loop, c->fd);
	close(c->fd);
	unlink(c->path);
	free(c->path);
	free(c);
}
