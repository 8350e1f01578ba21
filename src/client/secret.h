/* Where passwords come from: a file descriptor (--password-fd N, one line),
 * an environment variable, or a prompt without echo on the terminal.
 * Never from the command line (a process list shows it to everyone). */
#ifndef RAVPN_CLIENT_SECRET_H
#define RAVPN_CLIENT_SECRET_H

#include <stddef.h>

/* Read one line (without the newline) from fd into out; 0 or -1. */
int secret_read_fd(int fd, char *out, size_t len);
/* fd >= 0: read it; else the variable env_name; else a prompt when stdin
 * is a terminal.  -1 when none gives a password. */
int secret_get(int fd, const char *env_name, const char *prompt, char *out, size_t len);

#endif
