/* Single-threaded event loop: epoll for file descriptors, a timer heap,
 * deferred jobs.  The control plane (IKE, control socket, AAA) runs on one
 * loop; nothing here blocks. */
#ifndef RAVPN_BASE_LOOP_H
#define RAVPN_BASE_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct loop;
struct loop_timer;

typedef void (*loop_fd_fn)(int fd, uint32_t events, void *arg);
typedef void (*loop_timer_fn)(void *arg);

struct loop *loop_new(void);
void loop_free(struct loop *l);
/* events: EPOLLIN / EPOLLOUT bits */
int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_fn fn, void *arg)
	__attribute__((warn_unused_result));
int loop_mod_fd(struct loop *l, int fd, uint32_t events);
void loop_del_fd(struct loop *l, int fd);

/* One-shot timer after `ms` milliseconds; returns a handle to cancel. */
struct loop_timer *loop_timer_add(struct loop *l, uint64_t ms, loop_timer_fn fn, void *arg);
/* Cancel a pending timer; NULL is a no-op.  Never call on a fired timer. */
void loop_timer_cancel(struct loop *l, struct loop_timer *t);

/* Monotonic milliseconds. */
uint64_t loop_now_ms(void);

/* Run until loop_stop(); returns 0, or -1 on an epoll error. */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);

#endif
