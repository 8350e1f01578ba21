#include "base/loop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"

struct fd_entry {
	int fd;
	loop_fd_fn fn;
	void *arg;
	bool removed;         /* loop_del_fd'ed; freed once the batch ends */
	struct fd_entry *next;
};

struct loop_timer {
	uint64_t due;
	uint64_t seq;         /* FIFO order among equal deadlines */
	size_t idx;           /* position in the heap */
	loop_timer_fn fn;
	void *arg;
};

struct loop {
	int ep;
	bool stop;
	struct fd_entry *fds;
	struct fd_entry *dead;     /* removed during a batch, freed after it */
	struct loop_timer **heap;
	size_t n, cap;
	uint64_t seq;
};

uint64_t loop_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct loop *loop_new(void)
{
	struct loop *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->ep = epoll_create1(EPOLL_CLOEXEC);
	if (l->ep < 0) {
		free(l);
		return NULL;
	}
	return l;
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	while (l->fds) {
		struct fd_entry *e = l->fds;
		l->fds = e->next;
		free(e);
	}
	while (l->dead) {
		struct fd_entry *e = l->dead;
		l->dead = e->next;
		free(e);
	}
	for (size_t i = 0; i < l->n; i++)
		free(l->heap[i]);
	free(l->heap);
	close(l->ep);
	free(l);
}

int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_fn fn, void *arg)
{
	struct fd_entry *e = calloc(1, sizeof(*e));
	if (!e)
		return -1;
	e->fd = fd;
	e->fn = fn;
	e->arg = arg;
	struct epoll_event ev = { .events = events, .data.ptr = e };
	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(e);
		return -1;
	}
	e->next = l->fds;
	l->fds = e;
	return 0;
}

static struct fd_entry *find_fd(struct loop *l, int fd)
{
	for (struct fd_entry *e = l->fds; e; e = e->next)
		if (e->fd == fd)
			return e;
	return NULL;
}

int loop_mod_fd(struct loop *l, int fd, uint32_t events)
{
	struct fd_entry *e = find_fd(l, fd);
	if (!e)
		return -1;
	struct epoll_event ev = { .events = events, .data.ptr = e };
	return epoll_ctl(l->ep, EPOLL_CTL_MOD, fd, &ev);
}

void loop_del_fd(struct loop *l, int fd)
{
	struct fd_entry **pp = &l->fds;
	while (*pp && (*pp)->fd != fd)
		pp = &(*pp)->next;
	if (!*pp)
		return;
	struct fd_entry *e = *pp;
	epoll_ctl(l->ep, EPOLL_CTL_DEL, fd, NULL);
	*pp = e->next;
	/* Events of the current epoll batch may still point at e: the
	 * dispatcher skips entries marked removed, and they are freed only
	 * after the batch (see loop_run). */
	e->removed = true;
	e->next = l->dead;
	l->dead = e;
}

static bool earlier(const struct loop_timer *a, const struct loop_timer *b)
{
	return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void heap_swap(struct loop *l, size_t i, size_t j)
{
	struct loop_timer *t = l->heap[i];
	l->heap[i] = l->heap[j];
	l->heap[j] = t;
	l->heap[i]->idx = i;
	l->heap[j]->idx = j;
}

static void heap_up(struct loop *l, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!earlier(l->heap[i], l->heap[p]))
			break;
		heap_swap(l, i, p);
		i = p;
	}
}

static void heap_down(struct loop *l, size_t i)
{
	for (;;) {
		size_t c = 2 * i + 1, m = i;
		if (c < l->n && earlier(l->heap[c], l->heap[m]))
			m = c;
		if (c + 1 < l->n && earlier(l->heap[c + 1], l->heap[m]))
			m = c + 1;
		if (m == i)
			break;
		heap_swap(l, i, m);
		i = m;
	}
}

struct loop_timer *loop_timer_add(struct loop *l, uint64_t ms, loop_timer_fn fn, void *arg)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct loop_timer **h = realloc(l->heap, cap * sizeof(*h));
		if (!h)
			return NULL;
		l->heap = h;
		l->cap = cap;
	}
	struct loop_timer *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->due = loop_now_ms() + ms;
	t->seq = l->seq++;
	t->fn = fn;
	t->arg = arg;
	t->idx = l->n;
	l->heap[l->n++] = t;
	heap_up(l, t->idx);
	return t;
}

static void heap_remove(struct loop *l, size_t i)
{
	l->n--;
	if (i != l->n) {
		heap_swap(l, i, l->n);
		heap_down(l, i);
		heap_up(l, i);
	}
}

void loop_timer_cancel(struct loop *l, struct loop_timer *t)
{
	if (!t)
		return;
	if (t->idx < l->n && l->heap[t->idx] == t) {
		heap_remove(l, t->idx);
		free(t);
	}
}

void loop_stop(struct loop *l)
{
	l->stop = true;
}

static void run_timers(struct loop *l)
{
	uint64_t now = loop_now_ms();
	while (l->n && l->heap[0]->due <= now && !l->stop) {
		struct loop_timer *t = l->heap[0];
		heap_remove(l, 0);
		loop_timer_fn fn = t->fn;
		void *arg = t->arg;
		free(t);
		fn(arg);
	}
}

int loop_run(struct loop *l)
{
	l->stop = false;
	while (!l->stop) {
		int timeout = -1;
		if (l->n) {
			uint64_t now = loop_now_ms();
			timeout = l->heap[0]->due <= now ? 0 : (int)(l->heap[0]->due - now);
		}
		struct epoll_event evs[64];
		int n = epoll_wait(l->ep, evs, 64, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_msg(SEV_ERR, "epoll_wait: %s", strerror(errno));
			return -1;
		}
		for (int i = 0; i < n && !l->stop; i++) {
			struct fd_entry *e = evs[i].data.ptr;
			/* An earlier handler in this batch may have removed e (a flag,
			 * not a list walk: the load generator has thousands of fds). */
			if (!e->removed && e->fn)
				e->fn(e->fd, evs[i].events, e->arg);
		}
		while (l->dead) {
			struct fd_entry *e = l->dead;
			l->dead = e->next;
			free(e);
		}
		run_timers(l);
	}
	return 0;
}
