/* CPU-heavy IKE work (DH, key derivation, RSA signatures) off the event
 * loop (STYLE.md rule 9).
 *
 * work() runs on a worker thread and may only touch its own context (pure
 * computation over copies).  done() runs afterwards on the loop thread and
 * resumes the SA by its serial: the SA may be gone by then.  done() gets
 * cancelled = true when the pool is freed before work() ran; it must still
 * free the context.
 *
 * With no threads (workers 0, or a NULL pool) ike_job_submit() runs work()
 * and done() at once, in the caller. */
#ifndef RAVPN_IKE_CORE_JOB_H
#define RAVPN_IKE_CORE_JOB_H

#include <stdbool.h>

struct loop;
struct ike_jobs;

typedef void (*ike_job_work_fn)(void *ctx);
typedef void (*ike_job_done_fn)(void *ctx, bool cancelled);

struct ike_jobs *ike_jobs_new(struct loop *l, unsigned workers);
/* Stops the workers; queued jobs get done(cancelled), finished ones done(). */
void ike_jobs_free(struct ike_jobs *j);
/* 0, or -1 (out of memory: nothing ran, the caller keeps ctx). */
int ike_job_submit(struct ike_jobs *j, ike_job_work_fn work, ike_job_done_fn done, void *ctx)
	__attribute__((warn_unused_result));
/* True when jobs run on threads (results come back later on the loop). */
bool ike_jobs_async(const struct ike_jobs *j);
/* Wait until no work() is queued or running (done() may still be pending
 * on the loop).  Used before freeing what work() reads (trustpoint keys on
 * a reload). */
void ike_jobs_drain(struct ike_jobs *j);
unsigned ike_jobs_pending(const struct ike_jobs *j);

#endif
