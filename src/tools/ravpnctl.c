/* ravpnctl: send one command to ravpnd's control socket and print the
 * answer.
 *
 *   ravpnctl -s CTL_SOCKET [--json] WORDS...
 *
 * ASA abbreviations work (`ravpnctl -s /run/ravpn.sock sh cry ikev2 sa`);
 * `?` as the last word (quote it for the shell) lists the choices.  The
 * answer's first line is "0" (ok) or "1" (error); the rest is printed to
 * stdout, or to stderr for an error.  Exit status: 0 ok, 1 error answer or
 * daemon unreachable, 2 usage. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_REQUEST 1024

static void usage(FILE *f)
{
	fprintf(f, "usage: ravpnctl -s CTL_SOCKET [--json] COMMAND...\n"
		   "  e.g. ravpnctl -s /run/ravpn/ctl.sock show crypto ikev2 sa detail\n"
		   "       ravpnctl -s /run/ravpn/ctl.sock debug crypto ikev2 protocol 127\n"
		   "       ravpnctl -s /run/ravpn/ctl.sock show '?'\n");
}

/* "[json ]w1 w2 ...\n"; -1 if too long or a word holds a line break. */
static int build_request(char *out, size_t len, bool json, char **words, int n)
{
	size_t o = 0;
	int w = snprintf(out, len, "%s", json ? "json " : "");
	o = (size_t)w;
	for (int i = 0; i < n; i++) {
		if (strpbrk(words[i], "\r\n"))
			return -1;
		w = snprintf(out + o, len - o, "%s%s", i ? " " : "", words[i]);
		if (w < 0 || (size_t)w >= len - o)
			return -1;
		o += (size_t)w;
	}
	if (o + 2 > len)
		return -1;
	out[o++] = '\n';
	out[o] = '\0';
	return 0;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "ravpnctl: socket path too long: %s\n", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr, "ravpnctl: cannot connect to %s: %s (is ravpnd running?)\n", path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Read the status line, then copy the rest to stdout or stderr.  Returns
 * the exit status. */
static int relay_answer(int fd)
{
	char buf[65536];
	int status = -1;
	FILE *out = stdout;
	ssize_t r;
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "ravpnctl: read: %s\n", strerror(errno));
			return 1;
		}
		char *p = buf;
		size_t n = (size_t)r;
		if (status < 0) {
			if (n < 2 || (p[0] != '0' && p[0] != '1') || p[1] != '\n') {
				fprintf(stderr, "ravpnctl: malformed answer from the daemon\n");
				return 1;
			}
			status = p[0] - '0';
			out = status ? stderr : stdout;
			p += 2;
			n -= 2;
		}
		if (fwrite(p, 1, n, out) != n)
			return 1;
	}
	if (status < 0) {
		fprintf(stderr, "ravpnctl: the daemon closed the connection without an answer\n");
		return 1;
	}
	if (fflush(out) != 0)
		return 1;
	return status;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	bool json = false;
	char req[MAX_REQUEST + 8];
	int c;
	/* "+": stop at the first command word, so "no debug ..." is not an option. */
	while ((c = getopt_long(argc, argv, "+s:jh", opts, NULL)) != -1) {
		switch (c) {
		case 's': path = optarg; break;
		case 'j': json = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!path || optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (build_request(req, sizeof(req), json, argv + optind, argc - optind) < 0) {
		fprintf(stderr, "ravpnctl: command too long or contains a line break\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	int fd = connect_to(path);
	if (fd < 0)
		return 1;
	if (send_all(fd, req, strlen(req)) < 0) {
		fprintf(stderr, "ravpnctl: write to %s: %s\n", path, strerror(errno));
		close(fd);
		return 1;
	}
	shutdown(fd, SHUT_WR);
	int rc = relay_answer(fd);
	close(fd);
	return rc;
}
