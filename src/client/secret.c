/* Password sources (see secret.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "base/mem.h"
#include "client/secret.h"

int secret_read_fd(int fd, char *out, size_t len)
{
	size_t n = 0;
	if (len == 0)
		return -1;
	for (;;) {
		char c;
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n')
			break;
		if (n + 1 >= len) {
			mem_wipe(out, len);
			return -1;
		}
		out[n++] = c;
	}
	if (n && out[n - 1] == '\r')
		n--;
	out[n] = 0;
	return n ? 0 : -1;
}

static int prompt_tty(const char *prompt, char *out, size_t len)
{
	struct termios old, quiet;
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &old) < 0)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	fprintf(stderr, "%s", prompt);
	fflush(stderr);
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) < 0)
		return -1;
	int rc = secret_read_fd(STDIN_FILENO, out, len);
	(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return rc;
}

int secret_get(int fd, const char *env_name, const char *prompt, char *out, size_t len)
{
	if (fd >= 0)
		return secret_read_fd(fd, out, len);
	const char *v = env_name ? getenv(env_name) : NULL;
	if (v && *v) {
		if (strlen(v) >= len)
			return -1;
		strcpy(out, v);
		return 0;
	}
	return prompt_tty(prompt, out, len);
}
