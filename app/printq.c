/* A single worker thread with a small ring of pending jobs and a ring of results. */
#include "printq.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct job {
	char name[48];
	uint64_t seq;
	int64_t queued_ms;
	uint8_t *buf;
	size_t len;
};

struct printq {
	struct printer *p;
	void (*notify)(void *user);
	void *user;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv, idle_cv;
	struct job jobs[PRINTQ_DEPTH];
	int head, count, busy, stop;
	struct printq_result results[PRINTQ_DEPTH * 2];
	int rhead, rcount;
};

static void *worker(void *arg)
{
	struct printq *q = arg;
	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (!q->count && !q->stop)
			pthread_cond_wait(&q->cv, &q->mu);
		if (!q->count && q->stop)
			break;
		struct job j = q->jobs[q->head];
		q->head = (q->head + 1) % PRINTQ_DEPTH;
		q->count--;
		q->busy = 1;
		pthread_mutex_unlock(&q->mu);

		struct printq_result r;
		memset(&r, 0, sizeof(r));
		snprintf(r.job, sizeof(r.job), "%s", j.name);
		r.seq = j.seq;
		if (mono_ms() - j.queued_ms > PRINTQ_STALE_MS) {
			r.rc = -1;
			snprintf(r.error, sizeof(r.error), "not printed: waited too long for the printer");
		} else {
			r.rc = printer_job(q->p, j.name, j.buf, j.len);
			if (r.rc < 0)
				snprintf(r.error, sizeof(r.error), "%s", printer_error(q->p));
		}
		free(j.buf);

		pthread_mutex_lock(&q->mu);
		if (q->rcount == (int)(sizeof(q->results) / sizeof(q->results[0]))) {
			/* nobody is reading results: keep the newest */
			q->rhead = (q->rhead + 1) % (int)(sizeof(q->results) / sizeof(q->results[0]));
			q->rcount--;
		}
		q->results[(q->rhead + q->rcount) % (int)(sizeof(q->results) / sizeof(q->results[0]))] = r;
		q->rcount++;
		q->busy = 0;
		pthread_cond_broadcast(&q->idle_cv);
		if (q->notify)
			q->notify(q->user);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

struct printq *printq_open(struct printer *p, void (*notify)(void *user), void *user)
{
	struct printq *q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->p = p;
	q->notify = notify;
	q->user = user;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	pthread_cond_init(&q->idle_cv, NULL);
	if (pthread_create(&q->thread, NULL, worker, q) != 0) {
		pthread_mutex_destroy(&q->mu);
		pthread_cond_destroy(&q->cv);
		pthread_cond_destroy(&q->idle_cv);
		free(q);
		return NULL;
	}
	return q;
}

int printq_submit(struct printq *q, const char *job, uint64_t seq, uint8_t *buf, size_t len)
{
	pthread_mutex_lock(&q->mu);
	if (q->count == PRINTQ_DEPTH) {
		pthread_mutex_unlock(&q->mu);
		free(buf);
		return -1;
	}
	struct job *j = &q->jobs[(q->head + q->count) % PRINTQ_DEPTH];
	snprintf(j->name, sizeof(j->name), "%s", job);
	j->seq = seq;
	j->queued_ms = mono_ms();
	j->buf = buf;
	j->len = len;
	q->count++;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

int printq_poll(struct printq *q, struct printq_result *out)
{
	int got = 0;
	pthread_mutex_lock(&q->mu);
	if (q->rcount) {
		*out = q->results[q->rhead];
		q->rhead = (q->rhead + 1) % (int)(sizeof(q->results) / sizeof(q->results[0]));
		q->rcount--;
		got = 1;
	}
	pthread_mutex_unlock(&q->mu);
	return got;
}

void printq_wait_idle(struct printq *q)
{
	pthread_mutex_lock(&q->mu);
	while (q->count || q->busy)
		pthread_cond_wait(&q->idle_cv, &q->mu);
	pthread_mutex_unlock(&q->mu);
}

void printq_close(struct printq *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->mu);
	q->stop = 1;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
	pthread_join(q->thread, NULL);
	for (int i = 0; i < q->count; i++)
		free(q->jobs[(q->head + i) % PRINTQ_DEPTH].buf);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	pthread_cond_destroy(&q->idle_cv);
	free(q);
}
