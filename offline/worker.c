/* worker — one thread behind a mailbox (see worker.h). */
#include "worker.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct worker {
	const struct worker_ops *ops;
	void *ctx;
	void (*wake)(void *user);
	void *user;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;      /* to the thread: a request or a stop */
	pthread_cond_t idle_cv; /* from the thread: a request finished */
	/* under mu */
	unsigned char *reqs; /* req_depth slots, a ring */
	int rhead, rcount;
	unsigned char *ress; /* res_depth slots, a ring */
	int shead, scount;
	int busy, stop;
	/* the thread's own */
	unsigned char *cur_req, *cur_res;
};

int64_t worker_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *req_at(struct worker *w, int i)
{
	return w->reqs + (size_t)((w->rhead + i) % w->ops->req_depth) * w->ops->req_size;
}

static void *res_at(struct worker *w, int i)
{
	return w->ress + (size_t)((w->shead + i) % w->ops->res_depth) * w->ops->res_size;
}

/* Under mu: the result in cur_res goes to the ring (or is merged), then the owner is woken. */
static void post_result(struct worker *w)
{
	const struct worker_ops *o = w->ops;

	for (int i = 0; o->merge && i < w->scount; i++)
		if (o->merge(res_at(w, i), w->cur_res))
			goto wake;
	if (w->scount == o->res_depth) { /* nobody is reading results: keep the newest */
		if (o->drop_res)
			o->drop_res(w->ctx, res_at(w, 0));
		w->shead = (w->shead + 1) % o->res_depth;
		w->scount--;
	}
	memcpy(res_at(w, w->scount), w->cur_res, o->res_size);
	w->scount++;
wake:
	if (w->wake)
		w->wake(w->user);
}

/* Under mu, with the queue empty and no stop: a due tick runs now (returns 1); otherwise the
 * thread sleeps until the next one, a request or a stop (returns 0). */
static int wait_or_tick(struct worker *w)
{
	const struct worker_ops *o = w->ops;
	int64_t now = worker_now_ms(), due = o->next_tick && o->tick ? o->next_tick(w->ctx, now) : INT64_MAX;
	struct timespec ts;

	if (due <= now)
		return 1;
	if (due == INT64_MAX) {
		pthread_cond_wait(&w->cv, &w->mu);
		return 0;
	}
	ts = (struct timespec){(time_t)(due / 1000), (long)(due % 1000) * 1000000};
	pthread_cond_timedwait(&w->cv, &w->mu, &ts);
	return 0;
}

static void *thread_main(void *arg)
{
	struct worker *w = arg;
	const struct worker_ops *o = w->ops;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		int post, ticking = 0;

		if (w->stop && (!(o->flags & WORKER_DRAIN) || !w->rcount))
			break;
		if (!w->rcount) {
			if (w->stop || !wait_or_tick(w))
				continue;
			ticking = 1;
		} else {
			memcpy(w->cur_req, req_at(w, 0), o->req_size);
			explicit_bzero(req_at(w, 0), o->req_size);
			w->rhead = (w->rhead + 1) % o->req_depth;
			w->rcount--;
			w->busy = 1;
		}
		pthread_mutex_unlock(&w->mu);
		memset(w->cur_res, 0, o->res_size);
		if (ticking) {
			post = o->tick(w->ctx, w->cur_res);
		} else {
			post = o->run(w->ctx, w->cur_req, w->cur_res);
			explicit_bzero(w->cur_req, o->req_size);
		}
		pthread_mutex_lock(&w->mu);
		if (post)
			post_result(w);
		if (!ticking) {
			w->busy = 0;
			pthread_cond_broadcast(&w->idle_cv);
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void free_worker(struct worker *w)
{
	free(w->reqs);
	free(w->ress);
	free(w->cur_req);
	free(w->cur_res);
	free(w);
}

struct worker *worker_start(const struct worker_ops *ops, void *ctx, void (*wake)(void *user), void *user,
			    char *err, size_t errn)
{
	struct worker *w;
	pthread_condattr_t ca;
	int ok;

	if (!ops || !ops->run || ops->req_depth < 1 || ops->res_depth < 1) {
		snprintf(err, errn, "worker: bad parameters");
		return NULL;
	}
	w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, errn, "worker: out of memory");
		return NULL;
	}
	w->ops = ops;
	w->ctx = ctx;
	w->wake = wake;
	w->user = user;
	/* at least one byte each, so a 0-size request or result is still a valid pointer */
	w->reqs = calloc((size_t)ops->req_depth, ops->req_size + 1);
	w->ress = calloc((size_t)ops->res_depth, ops->res_size + 1);
	w->cur_req = calloc(1, ops->req_size + 1);
	w->cur_res = calloc(1, ops->res_size + 1);
	if (!w->reqs || !w->ress || !w->cur_req || !w->cur_res) {
		free_worker(w);
		snprintf(err, errn, "worker: out of memory");
		return NULL;
	}
	/* timed waits on the monotonic clock: a change of the wall clock must not stall them */
	ok = pthread_condattr_init(&ca) == 0;
	ok = ok && pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 && pthread_cond_init(&w->cv, &ca) == 0;
	pthread_condattr_destroy(&ca);
	if (!ok) {
		free_worker(w);
		snprintf(err, errn, "worker: cannot create a condition variable");
		return NULL;
	}
	pthread_cond_init(&w->idle_cv, NULL);
	pthread_mutex_init(&w->mu, NULL);
	if (pthread_create(&w->thread, NULL, thread_main, w) != 0) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		pthread_cond_destroy(&w->idle_cv);
		free_worker(w);
		snprintf(err, errn, "worker: cannot start the thread");
		return NULL;
	}
	return w;
}

int worker_post(struct worker *w, const void *req)
{
	const struct worker_ops *o = w->ops;
	void *slot;

	pthread_mutex_lock(&w->mu);
	if (w->stop || (w->rcount == o->req_depth && !(o->flags & WORKER_REPLACE))) {
		pthread_mutex_unlock(&w->mu);
		return -1;
	}
	if (w->rcount == o->req_depth) {
		slot = req_at(w, w->rcount - 1);
		if (o->drop_req)
			o->drop_req(w->ctx, slot);
	} else {
		slot = req_at(w, w->rcount++);
	}
	memcpy(slot, req, o->req_size);
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

int worker_poll(struct worker *w, void *out)
{
	int got = 0;

	pthread_mutex_lock(&w->mu);
	if (w->scount) {
		memcpy(out, res_at(w, 0), w->ops->res_size);
		memset(res_at(w, 0), 0, w->ops->res_size);
		w->shead = (w->shead + 1) % w->ops->res_depth;
		w->scount--;
		got = 1;
	}
	pthread_mutex_unlock(&w->mu);
	return got;
}

void worker_wait_idle(struct worker *w)
{
	pthread_mutex_lock(&w->mu);
	while (w->rcount || w->busy)
		pthread_cond_wait(&w->idle_cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

int worker_stopping(struct worker *w)
{
	int v;

	pthread_mutex_lock(&w->mu);
	v = w->stop;
	pthread_mutex_unlock(&w->mu);
	return v;
}

void worker_stop(struct worker *w)
{
	const struct worker_ops *o;

	if (!w)
		return;
	o = w->ops;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	for (; w->rcount; w->rcount--, w->rhead = (w->rhead + 1) % o->req_depth) {
		if (o->drop_req)
			o->drop_req(w->ctx, req_at(w, 0));
		explicit_bzero(req_at(w, 0), o->req_size);
	}
	for (; w->scount; w->scount--, w->shead = (w->shead + 1) % o->res_depth)
		if (o->drop_res)
			o->drop_res(w->ctx, res_at(w, 0));
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	pthread_cond_destroy(&w->idle_cv);
	free_worker(w);
}
