/* The printer worker: a worker (offline/worker.h) with a small queue of pending jobs, a ring
 * of results and the idle status check as its timed job. */
#include "printq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "worker.h"

static int64_t mono_ms(void)
{
	return worker_now_ms();
}

struct job {
	char name[48];
	uint64_t seq;
	int64_t queued_ms;
	int reprint;          /* print the stored copy of seq */
	uint8_t *buf, *copy;
	size_t len, copy_len;
};

#define RESULTS (PRINTQ_DEPTH * 2)

struct printq {
	struct printer *p;
	struct store *store;
	struct worker *w;
	int64_t next_status_ms; /* the worker's own: when the idle status check is due */
};

/* What the customer is told, from the printer's answer. */
static enum print_problem problem_of(struct printer *p, int rc)
{
	if (rc == 0)
		return PP_NONE;
	struct printer_status st;
	printer_last_status(p, &st);
	switch (st.state) {
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

static void run_job(struct printq *q, struct job *j, struct printq_result *r)
{
	int64_t now = (int64_t)time(NULL), id = 0;
	snprintf(r->job, sizeof(r->job), "%s", j->name);
	r->seq = j->seq;
	if (j->reprint) {
		/* the copy stored with the original: exactly the same receipt, marked COPIA */
		if (store_print_job_copy_bytes(q->store, j->seq, &j->buf, &j->len) != 0) {
			r->rc = -1;
			r->problem = PP_ERROR;
			snprintf(r->error, sizeof(r->error), "no receipt stored for this coupon");
			return;
		}
		j->copy = malloc(j->len);
		if (j->copy) {
			memcpy(j->copy, j->buf, j->len);
			j->copy_len = j->len;
		}
	}
	/* recorded before anything is sent: a crash from here on is visible after a restart */
	if (!j->copy || store_print_job_add(q->store, j->seq, j->name, j->reprint, j->buf, j->len, j->copy,
					    j->copy_len, now, &id) != 0)
		fprintf(stderr, "recaudo: %s: not recorded: %s\n", j->name, store_error(q->store));
	if (mono_ms() - j->queued_ms > PRINTQ_STALE_MS) {
		r->rc = -1;
		r->problem = PP_OFFLINE;
		snprintf(r->error, sizeof(r->error), "not printed: waited too long for the printer");
	} else {
		if (id)
			store_print_job_set(q->store, id, "sent", NULL, now);
		r->rc = printer_job(q->p, j->name, j->buf, j->len);
		r->problem = problem_of(q->p, r->rc);
		struct printer_status st;
		printer_last_status(q->p, &st);
		r->near_end = st.state == PRINTER_PAPER_NEAR_END;
		if (r->rc < 0)
			snprintf(r->error, sizeof(r->error), "%s", printer_error(q->p));
	}
	if (id && store_print_job_set(q->store, id, r->rc == 0 ? "printed" : "failed", r->rc ? r->error : NULL,
				      (int64_t)time(NULL)) != 0)
		fprintf(stderr, "recaudo: %s: state not recorded: %s\n", j->name, store_error(q->store));
}

static int run_req(void *ctx, void *req, void *res)
{
	struct printq *q = ctx;
	struct job *j = req;

	run_job(q, j, res);
	free(j->buf);
	free(j->copy);
	/* idle again: the printer's state is asked at once, then every PRINTQ_STATUS_MS */
	q->next_status_ms = mono_ms();
	return 1;
}

static int64_t next_status(void *ctx, int64_t now_ms)
{
	(void)now_ms;
	return ((struct printq *)ctx)->next_status_ms;
}

/* The idle status check: paper refilled, cover closed, unplugged. */
static int status_check(void *ctx, void *res)
{
	struct printq *q = ctx;
	struct printq_result *r = res;
	struct printer_status st;

	q->next_status_ms = mono_ms() + PRINTQ_STATUS_MS;
	r->is_status = 1;
	r->rc = printer_status(q->p, &st, 0);
	if (r->rc == 0 && st.state != PRINTER_READY && st.state != PRINTER_PAPER_NEAR_END)
		r->rc = PRINTER_ERR_NOT_READY;
	r->problem = problem_of(q->p, r->rc);
	r->near_end = st.state == PRINTER_PAPER_NEAR_END;
	snprintf(r->error, sizeof(r->error), "%s", st.detail);
	return 1;
}

/* A status check replaces an unread one instead of taking a slot, so it can never push a
 * job's result out of the ring. */
static int merge_status(void *queued, const void *res)
{
	struct printq_result *o = queued;
	const struct printq_result *r = res;

	if (!r->is_status || !o->is_status)
		return 0;
	*o = *r;
	return 1;
}

/* a job never started (the queue closed under it): its buffers are ours */
static void drop_job(void *ctx, void *req)
{
	struct job *j = req;

	(void)ctx;
	free(j->buf);
	free(j->copy);
}

static const struct worker_ops printq_ops = {
	.req_size = sizeof(struct job),
	.res_size = sizeof(struct printq_result),
	.req_depth = PRINTQ_DEPTH,
	.res_depth = RESULTS,
	.flags = WORKER_DRAIN, /* printq_close finishes the queued jobs */
	.run = run_req,
	.next_tick = next_status,
	.tick = status_check,
	.merge = merge_status,
	.drop_req = drop_job,
};

struct printq *printq_open(struct printer *p, const char *db_path, void (*notify)(void *user), void *user,
			   char *err, size_t errn)
{
	struct printq *q = calloc(1, sizeof(*q));
	if (!q) {
		snprintf(err, errn, "out of memory");
		return NULL;
	}
	q->p = p;
	if (store_open(&q->store, db_path, err, errn) != 0) {
		free(q);
		return NULL;
	}
	q->w = worker_start(&printq_ops, q, notify, user, err, errn);
	if (!q->w) {
		store_close(q->store);
		free(q);
		return NULL;
	}
	return q;
}

static int enqueue(struct printq *q, const struct job *j)
{
	return worker_post(q->w, j);
}

int printq_submit(struct printq *q, const char *job, uint64_t seq, uint8_t *buf, size_t len, uint8_t *copy,
		  size_t copy_len)
{
	struct job j = {.seq = seq, .queued_ms = mono_ms(), .buf = buf, .len = len, .copy = copy, .copy_len = copy_len};
	snprintf(j.name, sizeof(j.name), "%s", job);
	if (enqueue(q, &j) != 0) {
		free(buf);
		free(copy);
		return -1;
	}
	return 0;
}

int printq_reprint(struct printq *q, uint64_t seq)
{
	struct job j = {.seq = seq, .queued_ms = mono_ms(), .reprint = 1};
	snprintf(j.name, sizeof(j.name), "receipt-%06llu-copia", (unsigned long long)seq);
	return enqueue(q, &j);
}

int printq_poll(struct printq *q, struct printq_result *out)
{
	return worker_poll(q->w, out);
}

void printq_wait_idle(struct printq *q)
{
	worker_wait_idle(q->w);
}

void printq_close(struct printq *q)
{
	if (!q)
		return;
	worker_stop(q->w);
	store_close(q->store);
	free(q);
}
