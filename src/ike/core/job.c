#include "ike/core/job.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "base/log.h"
#include "base/loop.h"

#define MAX_WORKERS 16

struct job {
	ike_job_work_fn work;
	ike_job_done_fn done;
	void *ctx;
	struct job *next;
};

struct ike_jobs {
	struct loop *loop;
	pthread_t th[MAX_WORKERS];
	unsigned n;
	pthread_mutex_t mu;
	pthread_cond_t work_cv, idle_cv;
	struct job *todo, *todo_tail;
	struct job *done, *done_tail;
	unsigned running, pending;
	int efd;
	bool stop;
};

static void push(struct job **head, struct job **tail, struct job *x)
{
	x->next = NULL;
	if (*tail)
		(*tail)->next = x;
	else
		*head = x;
	*tail = x;
}

static void *worker(void *arg)
{
	struct ike_jobs *j = arg;
	pthread_mutex_lock(&j->mu);
	for (;;) {
		while (!j->stop && !j->todo)
			pthread_cond_wait(&j->work_cv, &j->mu);
		if (j->stop)
			break;
		struct job *x = j->todo;
		j->todo = x->next;
		if (!j->todo)
			j->todo_tail = NULL;
		j->running++;
		pthread_mutex_unlock(&j->mu);
		x->work(x->ctx);
		pthread_mutex_lock(&j->mu);
		j->running--;
		push(&j->done, &j->done_tail, x);
		if (!j->todo && !j->running)
			pthread_cond_broadcast(&j->idle_cv);
		uint64_t one = 1;
		if (write(j->efd, &one, sizeof(one)) < 0) {
			/* the counter only saturates: the loop is woken anyway */
		}
	}
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

/* Loop side: run done() of finished jobs. */
static void on_event(int fd, uint32_t events, void *arg)
{
	struct ike_jobs *j = arg;
	uint64_t v;
	(void)events;
	if (read(fd, &v, sizeof(v)) < 0) {
		/* EAGAIN: another read took the count */
	}
	pthread_mutex_lock(&j->mu);
	struct job *list = j->done;
	j->done = j->done_tail = NULL;
	pthread_mutex_unlock(&j->mu);
	while (list) {
		struct job *x = list;
		list = x->next;
		j->pending--;
		x->done(x->ctx, false);
		free(x);
	}
}

struct ike_jobs *ike_jobs_new(struct loop *l, unsigned workers)
{
	struct ike_jobs *j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->loop = l;
	j->efd = -1;
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->work_cv, NULL);
	pthread_cond_init(&j->idle_cv, NULL);
	if (workers > MAX_WORKERS)
		workers = MAX_WORKERS;
	if (workers && l) {
		j->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (j->efd < 0 || loop_add_fd(l, j->efd, EPOLLIN, on_event, j) < 0) {
			log_msg(SEV_WARNING, "IKE jobs: no eventfd; DH and signatures run on the loop");
			if (j->efd >= 0)
				close(j->efd);
			j->efd = -1;
			workers = 0;
		}
	}
	for (unsigned i = 0; i < workers; i++) {
		if (pthread_create(&j->th[i], NULL, worker, j) != 0)
			break;
		j->n++;
	}
	if (workers && !j->n) {
		loop_del_fd(l, j->efd);
		close(j->efd);
		j->efd = -1;
	}
	return j;
}

void ike_jobs_free(struct ike_jobs *j)
{
	if (!j)
		return;
	pthread_mutex_lock(&j->mu);
	j->stop = true;
	pthread_cond_broadcast(&j->work_cv);
	pthread_mutex_unlock(&j->mu);
	for (unsigned i = 0; i < j->n; i++)
		pthread_join(j->th[i], NULL);
	while (j->done) {
		struct job *x = j->done;
		j->done = x->next;
		x->done(x->ctx, false);
		free(x);
	}
	while (j->todo) {
		struct job *x = j->todo;
		j->todo = x->next;
		x->done(x->ctx, true);
		free(x);
	}
	if (j->efd >= 0) {
		loop_del_fd(j->loop, j->efd);
		close(j->efd);
	}
	pthread_cond_destroy(&j->work_cv);
	pthread_cond_destroy(&j->idle_cv);
	pthread_mutex_destroy(&j->mu);
	free(j);
}

bool ike_jobs_async(const struct ike_jobs *j)
{
	return j && j->n > 0;
}

unsigned ike_jobs_pending(const struct ike_jobs *j)
{
	return j ? j->pending : 0;
}

int ike_job_submit(struct ike_jobs *j, ike_job_work_fn work, ike_job_done_fn done, void *ctx)
{
	if (!ike_jobs_async(j)) {
		work(ctx);
		done(ctx, false);
		return 0;
	}
	struct job *x = malloc(sizeof(*x));
	if (!x)
		return -1;
	x->work = work;
	x->done = done;
	x->ctx = ctx;
	pthread_mutex_lock(&j->mu);
	push(&j->todo, &j->todo_tail, x);
	j->pending++;
	pthread_cond_signal(&j->work_cv);
	pthread_mutex_unlock(&j->mu);
	return 0;
}

void ike_jobs_drain(struct ike_jobs *j)
{
	if (!ike_jobs_async(j))
		return;
	pthread_mutex_lock(&j->mu);
	while (j->todo || j->running)
		pthread_cond_wait(&j->idle_cv, &j->mu);
	pthread_mutex_unlock(&j->mu);
}
