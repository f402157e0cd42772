/* printq — the printer worker: jobs are handed over from the UI thread and sent on a thread
 * of their own, so a slow or hung printer never freezes the screen. Every job is recorded in
 * the store (pending -> sent -> printed | failed) by the worker on its own connection, with its
 * bytes (and for a receipt the bytes of its copy), so a restart mid-print can offer a reprint
 * marked COPIA instead of a silent duplicate. Results come back through printq_poll; `notify`
 * (called on the worker thread) lets the main loop wake up.
 *
 * Jobs are of any kind, keyed by (kind, ref) like the store's print_jobs: a receipt or its
 * copy (ref: the coupon's sequence), a test page, a report, a document. The payload is the
 * job's rendered bytes (ESC/POS), built by the caller: the queue neither knows nor cares what
 * is on the paper. docs/howto-print.md says how to add a kind.
 *
 * Ownership: the submit calls take ownership of the buffers (malloc'd) in every case. The
 * printer stays owned by the caller and must outlive the queue. */
#ifndef RECAUDO_PRINTQ_H
#define RECAUDO_PRINTQ_H
#include <stddef.h>
#include <stdint.h>
#include "flow.h"
#include "i18n.h"
#include "printer.h"

#define PRINTQ_DEPTH 4
/* A job that could not start within this time is dropped, not printed late: a receipt that
 * comes out minutes after its customer left would be handed to the next one. */
#define PRINTQ_STALE_MS 60000
/* While idle the worker asks the printer for its state this often (paper refilled, cover
 * closed, unplugged), so the status line and the heartbeat stay true. */
#define PRINTQ_STATUS_MS 30000

struct printq;
struct testpage;

/* The kinds of job, in the store's words (printq_kind_name). */
enum printq_kind { PRINTQ_RECEIPT, PRINTQ_COPY, PRINTQ_TEST, PRINTQ_REPORT, PRINTQ_DOCUMENT };
#define PRINTQ_REF_MAX 64

struct printq_result {
	char job[48];
	enum printq_kind kind;
	char ref[PRINTQ_REF_MAX + 1];
	uint64_t seq;                /* the coupon the job was for (receipts, copies); 0 otherwise */
	int rc;                      /* 0 printed, <0 failed */
	enum print_problem problem;  /* what to tell the customer: print_problem_of(&status) */
	struct printer_status status; /* the printer as the driver left it, unchanged */
	int is_status;               /* not a job: the idle status check (seq 0) */
	char error[160];             /* for the log */
};

/* The one reading of a printer status for people: what the customer is told about a job
 * (PP_NONE when it printed or the printer is fine) and the status line's words. The
 * machine words are printer_state_name / printer_job_name (drivers/printer.h). */
enum print_problem print_problem_of(const struct printer_status *st);
enum str_id printer_status_str(const struct printer_status *st);

/* Opens the worker with its own store connection on db_path. NULL with err on failure.
 * Free with printq_close. */
struct printq *printq_open(struct printer *p, const char *db_path, void (*notify)(void *user), void *user,
			   char *err, size_t errn);
/* "receipt", "copy", "test", "report", "document" ("unknown" outside the enum). */
const char *printq_kind_name(enum printq_kind k);
/* Queues a job of any kind: buf (the rendered bytes) is printed under the name `job` (see
 * printer_job) and recorded with (kind, ref) (ref: 1..64 letters, digits, '-', '_', '.', ':'); copy (may be
 * NULL) is kept with it for reprints. Returns 0, or -1 on a bad key or a full queue (the
 * buffers are freed). */
int printq_submit_kind(struct printq *q, enum printq_kind kind, const char *ref, const char *job, uint8_t *buf,
		       size_t len, uint8_t *copy, size_t copy_len);
/* Queues a printer test page (app/testpage.h) built from t: kind test, ref the page's time
 * (YYYYMMDD-HHMMSS, local), no coupon. Returns 0, or -1 with err set (the page could not be
 * built, or the queue is full). */
int printq_test_page(struct printq *q, const struct testpage *t, char *err, size_t errn);
/* Queues a receipt: buf is printed, copy (the same receipt marked COPIA) is kept for reprints.
 * Returns 0, or -1 if the queue is full (the buffers are freed). */
int printq_submit(struct printq *q, const char *job, uint64_t seq, uint8_t *buf, size_t len, uint8_t *copy,
		  size_t copy_len);
/* Queues a reprint of coupon seq's receipt: its stored copy, marked COPIA. 0 or -1. */
int printq_reprint(struct printq *q, uint64_t seq);
/* Takes one finished result if there is one: returns 1 and fills *out, else 0. Never blocks. */
int printq_poll(struct printq *q, struct printq_result *out);
/* Blocks until every queued job has finished (headless runs and shutdown only). */
void printq_wait_idle(struct printq *q);
/* Finishes queued jobs, stops the worker, frees the queue. */
void printq_close(struct printq *q);
#endif
