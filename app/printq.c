/* A single worker thread with a small ring of pending jobs and a ring of results. */
#include "printq.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "testpage.h"

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct job {
	char name[48];
	enum printq_kind kind;
	char ref[PRINTQ_REF_MAX + 1];
	uint64_t seq;         /* receipts and copies: the coupon */
	int64_t queued_ms;
	int reprint;          /* print the stored copy of seq */
	uint8_t *buf, *copy;
	size_t len, copy_len;
};

#define RESULTS (PRINTQ_DEPTH * 2)

struct printq {
	struct printer *p;
	struct store *store;
	void (*notify)(void *user);
	void *user;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv, idle_cv;
	struct job jobs[PRINTQ_DEPTH];
	int head, count, busy, stop;
	struct printq_result results[RESULTS];
	int rhead, rcount;
};

/* What the customer is told, from the printer's answer. A status check that found the
 * printer in a blocking state reads as a refused job. */
enum print_problem print_problem_of(const struct printer_status *st)
{
	int rc = st->rc == 0 && printer_state_blocks(st->state) ? PRINTER_ERR_NOT_READY : st->rc;

	if (rc == 0)
		return PP_NONE;
	switch (st->state) {
	case PRINTER_PAPER_OUT:
		return rc == PRINTER_ERR_INCOMPLETE ? PP_INCOMPLETE : PP_PAPER_OUT;
	case PRINTER_COVER_OPEN:
		return PP_COVER_OPEN;
	case PRINTER_OFFLINE:
		return PP_OFFLINE;
	default:
		break;
	}
	if (rc == PRINTER_ERR_OFFLINE || rc == PRINTER_ERR_TIMEOUT)
		return PP_OFFLINE;
	if (rc == PRINTER_ERR_INCOMPLETE)
		return PP_INCOMPLETE;
	return PP_ERROR;
}

enum str_id printer_status_str(const struct printer_status *st)
{
	enum print_problem pp = print_problem_of(st);

	if (pp == PP_NONE)
		return st->state == PRINTER_PAPER_NEAR_END ? STR_PRINTER_PAPER_LOW : STR_PRINTER_READY;
	return pp == PP_PAPER_OUT || pp == PP_INCOMPLETE ? STR_PRINTER_NO_PAPER : STR_PRINTER_PROBLEM;
}

/* A job that failed before reaching the printer: the printer as last seen, with this job's
 * failure (rc) as its outcome, so every reader of the status tells the same story. */
static void not_sent(struct printq *q, struct printq_result *r, int rc, const char *why)
{
	printer_last_status(q->p, &r->status);
	r->status.rc = rc;
	r->status.job = PRINTER_JOB_FAILED;
	snprintf(r->status.detail, sizeof(r->status.detail), "%s", why);
	r->rc = rc;
	r->problem = print_problem_of(&r->status);
	snprintf(r->error, sizeof(r->error), "%s", why);
}

const char *printq_kind_name(enum printq_kind k)
{
	static const char *const names[] = {[PRINTQ_RECEIPT] = "receipt", [PRINTQ_COPY] = "copy",
					    [PRINTQ_TEST] = "test",       [PRINTQ_REPORT] = "report",
					    [PRINTQ_DOCUMENT] = "document"};
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "unknown";
}

static void run_job(struct printq *q, struct job *j, struct printq_result *r)
{
	int64_t now = (int64_t)time(NULL), id = 0;
	snprintf(r->job, sizeof(r->job), "%s", j->name);
	r->kind = j->kind;
	snprintf(r->ref, sizeof(r->ref), "%s", j->ref);
	r->seq = j->seq;
	if (j->reprint) {
		/* the copy stored with the original: exactly the same receipt, marked COPIA */
		if (store_print_job_copy_bytes(q->store, j->seq, &j->buf, &j->len) != 0) {
			not_sent(q, r, PRINTER_ERR_IO, "no receipt stored for this coupon");
			return;
		}
		j->copy = malloc(j->len);
		if (j->copy) {
			memcpy(j->copy, j->buf, j->len);
			j->copy_len = j->len;
		}
	}
	/* recorded before anything is sent: a crash from here on is visible after a restart; a
	 * receipt is kept with its copy (a reprint keeps the copy it printed) */
	if ((j->seq && !j->copy) ||
	    store_print_job_record(q->store, printq_kind_name(j->kind), j->ref, j->name, j->buf, j->len, j->copy,
				   j->copy ? j->copy_len : 0, now, &id) != 0)
		fprintf(stderr, "recaudo: %s: not recorded: %s\n", j->name, store_error(q->store));
	if (mono_ms() - j->queued_ms > PRINTQ_STALE_MS) {
		not_sent(q, r, PRINTER_ERR_TIMEOUT, "not printed: waited too long for the printer");
	} else {
		if (id)
			store_print_job_set(q->store, id, "sent", NULL, now);
		r->rc = printer_job(q->p, j->name, j->buf, j->len);
		printer_last_status(q->p, &r->status);
		r->problem = print_problem_of(&r->status);
		if (r->rc < 0)
			snprintf(r->error, sizeof(r->error), "%s", printer_error(q->p));
	}
	if (id && store_print_job_set(q->store, id, r->rc == 0 ? "printed" : "failed", r->rc ? r->error : NULL,
				      (int64_t)time(NULL)) != 0)
		fprintf(stderr, "recaudo: %s: state not recorded: %s\n", j->name, store_error(q->store));
}

/* With q->mu held. A status check replaces an unread one instead of taking a slot, so it
 * can never push a job's result out of the ring. */
static void push_result(struct printq *q, const struct printq_result *r)
{
	if (r->is_status) {
		for (int i = 0; i < q->rcount; i++) {
			struct printq_result *o = &q->results[(q->rhead + i) % RESULTS];
			if (o->is_status) {
				*o = *r;
				if (q->notify)
					q->notify(q->user);
				return;
			}
		}
	}
	if (q->rcount == RESULTS) { /* nobody is reading results: keep the newest */
		q->rhead = (q->rhead + 1) % RESULTS;
		q->rcount--;
	}
	q->results[(q->rhead + q->rcount) % RESULTS] = *r;
	q->rcount++;
	if (q->notify)
		q->notify(q->user);
}

static void *worker(void *arg)
{
	struct printq *q = arg;
	pthread_mutex_lock(&q->mu);
	for (;;) {
		int checked = 1; /* ask once at start, then every PRINTQ_STATUS_MS while idle */
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		while (!q->count && !q->stop) {
			if (!checked) {
				until.tv_sec += PRINTQ_STATUS_MS / 1000;
				if (pthread_cond_timedwait(&q->cv, &q->mu, &until) == 0 || q->count || q->stop)
					continue;
			}
			checked = 0;
			pthread_mutex_unlock(&q->mu);
			struct printq_result r;
			memset(&r, 0, sizeof(r));
			r.is_status = 1;
			printer_status(q->p, &r.status, 0);
			r.problem = print_problem_of(&r.status);
			r.rc = r.problem == PP_NONE ? 0 : r.status.rc ? r.status.rc : PRINTER_ERR_NOT_READY;
			snprintf(r.error, sizeof(r.error), "%s", r.status.detail);
			pthread_mutex_lock(&q->mu);
			push_result(q, &r);
		}
		if (!q->count && q->stop)
			break;
		struct job j = q->jobs[q->head];
		q->head = (q->head + 1) % PRINTQ_DEPTH;
		q->count--;
		q->busy = 1;
		pthread_mutex_unlock(&q->mu);

		struct printq_result r;
		memset(&r, 0, sizeof(r));
		run_job(q, &j, &r);
		free(j.buf);
		free(j.copy);

		pthread_mutex_lock(&q->mu);
		q->busy = 0;
		push_result(q, &r);
		pthread_cond_broadcast(&q->idle_cv);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

struct printq *printq_open(struct printer *p, const char *db_path, void (*notify)(void *user), void *user,
			   char *err, size_t errn)
{
	struct printq *q = calloc(1, sizeof(*q));
	if (!q) {
		snprintf(err, errn, "out of memory");
		return NULL;
	}
	q->p = p;
	q->notify = notify;
	q->user = user;
	if (store_open(&q->store, db_path, err, errn) != 0) {
		free(q);
		return NULL;
	}
	pthread_mutex_init(&q->mu, NULL);
	/* the idle status timer waits on the monotonic clock (a clock change must not stall it) */
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&q->idle_cv, NULL);
	if (pthread_create(&q->thread, NULL, worker, q) != 0) {
		snprintf(err, errn, "cannot start the printer worker");
		pthread_mutex_destroy(&q->mu);
		pthread_cond_destroy(&q->cv);
		pthread_cond_destroy(&q->idle_cv);
		store_close(q->store);
		free(q);
		return NULL;
	}
	return q;
}

static int enqueue(struct printq *q, const struct job *j)
{
	pthread_mutex_lock(&q->mu);
	if (q->count == PRINTQ_DEPTH) {
		pthread_mutex_unlock(&q->mu);
		return -1;
	}
	q->jobs[(q->head + q->count) % PRINTQ_DEPTH] = *j;
	q->count++;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

int printq_submit_kind(struct printq *q, enum printq_kind kind, const char *ref, const char *job, uint8_t *buf,
		       size_t len, uint8_t *copy, size_t copy_len)
{
	struct job j = {.kind = kind, .queued_ms = mono_ms(), .buf = buf, .len = len, .copy = copy, .copy_len = copy_len};
	size_t rn = ref ? strlen(ref) : 0;
	if (!job || !buf || !len || rn == 0 || rn > PRINTQ_REF_MAX || (unsigned)kind > PRINTQ_DOCUMENT)
		goto refuse;
	snprintf(j.name, sizeof(j.name), "%s", job);
	memcpy(j.ref, ref, rn + 1);
	if (kind == PRINTQ_RECEIPT || kind == PRINTQ_COPY) { /* the ref is the coupon's sequence */
		char *end;
		j.seq = strtoull(ref, &end, 10);
		if (*end || !j.seq)
			goto refuse;
	}
	if (enqueue(q, &j) == 0)
		return 0;
refuse:
	free(buf);
	free(copy);
	return -1;
}

int printq_submit(struct printq *q, const char *job, uint64_t seq, uint8_t *buf, size_t len, uint8_t *copy,
		  size_t copy_len)
{
	char ref[24];
	snprintf(ref, sizeof(ref), "%llu", (unsigned long long)seq);
	if (!copy || !copy_len) { /* a receipt is always kept with its copy */
		free(buf);
		free(copy);
		return -1;
	}
	return printq_submit_kind(q, PRINTQ_RECEIPT, ref, job, buf, len, copy, copy_len);
}

int printq_reprint(struct printq *q, uint64_t seq)
{
	struct job j = {.kind = PRINTQ_COPY, .seq = seq, .queued_ms = mono_ms(), .reprint = 1};
	snprintf(j.name, sizeof(j.name), "receipt-%06llu-copia", (unsigned long long)seq);
	snprintf(j.ref, sizeof(j.ref), "%llu", (unsigned long long)seq);
	return enqueue(q, &j);
}

int printq_test_page(struct printq *q, const struct testpage *t, char *err, size_t errn)
{
	char ref[32], job[48];
	struct tm tm;
	time_t when = (time_t)t->at;
	struct escpos e;
	memset(&e, 0, sizeof(e));
	if (!localtime_r(&when, &tm) || strftime(ref, sizeof(ref), "%Y%m%d-%H%M%S", &tm) == 0) {
		snprintf(err, errn, "test page: bad time");
		return -1;
	}
	if (testpage_build(&e, t, err, errn) != 0) {
		escpos_free(&e);
		return -1;
	}
	snprintf(job, sizeof(job), "test-%s", ref);
	if (printq_submit_kind(q, PRINTQ_TEST, ref, job, e.buf, e.len, NULL, 0) != 0) {
		snprintf(err, errn, "test page: the printer queue is full");
		return -1;
	}
	return 0;
}

int printq_poll(struct printq *q, struct printq_result *out)
{
	int got = 0;
	pthread_mutex_lock(&q->mu);
	if (q->rcount) {
		*out = q->results[q->rhead];
		q->rhead = (q->rhead + 1) % RESULTS;
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
	for (int i = 0; i < q->count; i++) {
		free(q->jobs[(q->head + i) % PRINTQ_DEPTH].buf);
		free(q->jobs[(q->head + i) % PRINTQ_DEPTH].copy);
	}
	store_close(q->store);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	pthread_cond_destroy(&q->idle_cv);
	free(q);
}
