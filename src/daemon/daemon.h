/* ravpnd internals shared between its files. */
#ifndef RAVPN_DAEMON_DAEMON_H
#define RAVPN_DAEMON_DAEMON_H

/* `ravpnd --check -c CONFIG`: every diagnostic as "file:line: message",
 * trustpoint files checked; returns the exit code (0 = usable). */
int daemon_check(const char *path);

#endif
