/* The printer worker: a worker (offline/worker.h) with a small queue of pending jobs, a ring
 * of results and the idle status check as its timed job. */
#include "printq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "testpage.h"
#include "worker.h"

static int64_t mono_ms(void)
{
	return worker_now_ms();
}

struct job {
	char name[48];
	enum store_print_kind kind;
	char ref[PRINTQ_REF_MAX + 1];
	uint64_t seq;         /* receipts and copies: the coupon */
	int64_t queued_ms;
	int reprint;          /* print the stored copy of seq */
	int ask;              /* not a job: the printer's state asked now (printq_ask_status) */
	uint8_t *buf, *copy;
	size_t len, copy_len;
};

#define RESULTS (PRINTQ_DEPTH * 2)

struct printq {
	struct printer *p;
	struct store *store;
	struct worker *w;
	int64_t next_status_ms; /* the worker's own: when the idle status check is due */
	int64_t (*job_clock)(void); /* stamps and ages jobs (printq_set_clock) */
};

/* The state first (what someone can act on), then the job's outcome within it. */
struct printer_words printer_words(const struct printer_status *st, int rc)
{
	int blocks = printer_state_blocks(st->state);

	if (rc == PRINTQ_ERR_STALE) /* never sent: the printer's state is not this job's story */
		return (struct printer_words){STR_CP_PRINT_LATE, printer_words(st, st->rc).line};
	if (rc == 0 && blocks) /* a status check that found the printer blocked: a refused job */
		rc = PRINTER_ERR_NOT_READY;
	switch (st->state) {
	case PRINTER_PAPER_OUT:
		return (struct printer_words){rc == PRINTER_ERR_INCOMPLETE ? STR_CP_INCOMPLETE : STR_CP_PAPER_OUT,
					      STR_PRINTER_NO_PAPER};
	case PRINTER_COVER_OPEN:
		return (struct printer_words){STR_CP_COVER_OPEN, STR_PRINTER_PROBLEM};
	case PRINTER_OFFLINE:
		return (struct printer_words){STR_CP_PRINTER_OFFLINE, STR_PRINTER_PROBLEM};
	case PRINTER_ERROR:
		return (struct printer_words){rc == PRINTER_ERR_OFFLINE || rc == PRINTER_ERR_TIMEOUT ? STR_CP_PRINTER_OFFLINE
											       : STR_CP_PRINTER_ERROR,
					      STR_PRINTER_PROBLEM};
	case PRINTER_READY:
	case PRINTER_PAPER_NEAR_END:
		break;
	}
	if (rc == 0)
		return (struct printer_words){STR_CP_PRINTED, st->state == PRINTER_PAPER_NEAR_END ? STR_PRINTER_PAPER_LOW
												  : STR_PRINTER_READY};
	if (rc == PRINTER_ERR_OFFLINE || rc == PRINTER_ERR_TIMEOUT)
		return (struct printer_words){STR_CP_PRINTER_OFFLINE, STR_PRINTER_PROBLEM};
	if (rc == PRINTER_ERR_INCOMPLETE)
		return (struct printer_words){STR_CP_INCOMPLETE, STR_PRINTER_NO_PAPER};
	return (struct printer_words){STR_CP_PRINTER_ERROR, STR_PRINTER_PROBLEM};
}

/* A job that failed before reaching the printer: its own outcome in rc and error; the
 * status is the printer as last seen, untouched (the printer did nothing wrong). */
static void not_sent(struct printq *q, struct printq_result *r, int rc, const char *why)
{
	printer_last_status(q->p, &r->status);
	r->rc = rc;
	snprintf(r->error, sizeof(r->error), "%s", why);
}

void printq_set_clock(struct printq *q, int64_t (*now_ms)(void))
{
	q->job_clock = now_ms ? now_ms : worker_now_ms;
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
	    store_print_job_record(q->store, store_print_kind_name(j->kind), j->ref, j->name, j->buf, j->len, j->copy,
				   j->copy ? j->copy_len : 0, now, &id) != 0)
		fprintf(stderr, "recaudo: %s: not recorded: %s\n", j->name, store_error(q->store));
	if (q->job_clock() - j->queued_ms > PRINTQ_STALE_MS) {
		not_sent(q, r, PRINTQ_ERR_STALE, "not printed: waited too long in the queue");
	} else {
		if (id)
			store_print_job_set(q->store, id, "sent", NULL, now);
		r->rc = printer_job(q->p, j->name, j->buf, j->len);
		printer_last_status(q->p, &r->status);
		if (r->rc < 0)
			snprintf(r->error, sizeof(r->error), "%s", printer_error(q->p));
	}
	if (id && store_print_job_set(q->store, id, r->rc == 0 ? "printed" : "failed", r->rc ? r->error : NULL,
				      (int64_t)time(NULL)) != 0)
		fprintf(stderr, "recaudo: %s: state not recorded: %s\n", j->name, store_error(q->store));
	/* a customer's account papers (docs/account-services.md) are not kept once done */
	if (id && !strncmp(j->name, PRINTQ_PRIVATE_PREFIX, strlen(PRINTQ_PRIVATE_PREFIX)) &&
	    store_print_job_forget_bytes(q->store, id) != 0)
		fprintf(stderr, "recaudo: %s: bytes not removed: %s\n", j->name, store_error(q->store));
}

static int status_check(void *ctx, void *res);

static int run_req(void *ctx, void *req, void *res)
{
	struct printq *q = ctx;
	struct job *j = req;

	if (j->ask) { /* the idle check's reading, answered as a job so the asker hears of it */
		struct printq_result *r = res;
		status_check(q, r);
		r->is_status = 0;
		r->asked = 1;
		r->kind = j->kind;
		snprintf(r->job, sizeof(r->job), "%s", j->name);
		snprintf(r->ref, sizeof(r->ref), "%s", j->ref);
		return 1;
	}
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

	q->next_status_ms = mono_ms() + PRINTQ_STATUS_MS;
	r->is_status = 1;
	printer_status(q->p, &r->status, 0);
	/* a printer found blocked reads as a refused job */
	r->rc = r->status.rc ? r->status.rc : printer_state_blocks(r->status.state) ? PRINTER_ERR_NOT_READY : 0;
	snprintf(r->error, sizeof(r->error), "%s", r->status.detail);
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
	q->job_clock = worker_now_ms;
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

int printq_submit_kind(struct printq *q, enum store_print_kind kind, const char *ref, const char *job, uint8_t *buf,
		       size_t len, uint8_t *copy, size_t copy_len)
{
	struct job j = {.kind = kind, .queued_ms = q->job_clock(), .buf = buf, .len = len, .copy = copy, .copy_len = copy_len};
	size_t rn = ref ? strlen(ref) : 0;
	if (!job || !buf || !len || rn == 0 || rn > PRINTQ_REF_MAX || (unsigned)kind >= STORE_PRINT_KIND_COUNT)
		goto refuse;
	snprintf(j.name, sizeof(j.name), "%s", job);
	memcpy(j.ref, ref, rn + 1);
	/* a receipt's ref is its coupon's sequence; one starting with a letter is not a coupon's
	 * (the field agent's "f<agent>-<number>", app/field_print.h) and has no sequence */
	if ((kind == STORE_PRINT_RECEIPT || kind == STORE_PRINT_COPY) && ref[0] >= '0' && ref[0] <= '9') {
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
	return printq_submit_kind(q, STORE_PRINT_RECEIPT, ref, job, buf, len, copy, copy_len);
}

int printq_reprint(struct printq *q, uint64_t seq)
{
	struct job j = {.kind = STORE_PRINT_COPY, .seq = seq, .queued_ms = q->job_clock(), .reprint = 1};
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
	if (printq_submit_kind(q, STORE_PRINT_TEST, ref, job, e.buf, e.len, NULL, 0) != 0) {
		snprintf(err, errn, "test page: the printer queue is full");
		return -1;
	}
	return 0;
}

int printq_ask_status(struct printq *q)
{
	struct job j = {.kind = STORE_PRINT_TEST, .queued_ms = q->job_clock(), .ask = 1};
	snprintf(j.name, sizeof(j.name), "printer-status");
	snprintf(j.ref, sizeof(j.ref), "status");
	return enqueue(q, &j);
}

/* A tiny technician's job (feed, cut): kind test, ref "<what>-<local time>". */
static int submit_small(struct printq *q, const char *what, struct escpos *e, int64_t at)
{
	char ref[48];
	struct tm tm;
	time_t when = (time_t)at;
	int n = snprintf(ref, sizeof(ref), "%s-", what);
	if (escpos_failed(e) || !localtime_r(&when, &tm) || strftime(ref + n, sizeof(ref) - (size_t)n, "%Y%m%d-%H%M%S", &tm) == 0) {
		escpos_free(e);
		return -1;
	}
	return printq_submit_kind(q, STORE_PRINT_TEST, ref, ref, e->buf, e->len, NULL, 0);
}

int printq_feed(struct printq *q, int lines, int64_t at)
{
	struct escpos e;
	memset(&e, 0, sizeof(e));
	if (lines < 1 || lines > 255)
		return -1;
	escpos_begin(&e);
	escpos_feed(&e, lines);
	return submit_small(q, "feed", &e, at);
}

int printq_cut(struct printq *q, int64_t at)
{
	struct escpos e;
	memset(&e, 0, sizeof(e));
	escpos_begin(&e);
	escpos_cut(&e);
	return submit_small(q, "cut", &e, at);
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
