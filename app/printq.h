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
#include "i18n.h"
#include "printer.h"
#include "store.h"

#define PRINTQ_DEPTH 4
/* A job that could not start within this time is dropped, not printed late: a receipt that
 * comes out minutes after its customer left would be handed to the next one. */
#define PRINTQ_STALE_MS 60000
/* While idle the worker asks the printer for its state this often (paper refilled, cover
 * closed, unplugged), so the status line and the heartbeat stay true. */
#define PRINTQ_STATUS_MS 30000

struct printq;
struct testpage;

/* The kinds of job are the store's: enum store_print_kind, named by store_print_kind_name. */
#define PRINTQ_REF_MAX 64
/* A job's rc when it never reached the printer because it waited in the queue longer than
 * PRINTQ_STALE_MS (the printer's own codes are PRINTER_ERR_*, -1..-5). */
#define PRINTQ_ERR_STALE (-20)

struct printq_result {
	char job[48];
	enum store_print_kind kind;
	char ref[PRINTQ_REF_MAX + 1];
	uint64_t seq;                /* the coupon the job was for (receipts, copies); 0 otherwise */
	int rc;                      /* the job's own outcome: 0 printed, PRINTER_ERR_* or PRINTQ_ERR_STALE */
	struct printer_status status; /* the printer as the driver left it, unchanged (a job that
				       * never reached it leaves it as last seen) */
	int is_status;               /* not a job: the idle status check (seq 0) */
	int asked;                   /* not a job either: the answer to printq_ask_status (kind
				      * test, ref "status", is_status 0 so the asker hears of it;
				      * rc as the idle check's; nothing printed or recorded) */
	char error[160];             /* the job's own failure, for the log */
};

/* The one reading of a printer status for people (the machine words are printer_state_name
 * and printer_job_name, drivers/printer.h): `job` is what the customer is told about a job
 * that ended with rc (STR_CP_PRINTED for 0), `line` the status line's short word for the
 * printer. The state comes first, then the job's outcome: an incomplete job with the paper
 * out is "may be incomplete", with the printer in error it is the error. A job that never
 * reached the printer (PRINTQ_ERR_STALE) is worded as such whatever the state. For the
 * status line pass rc = st->rc. */
struct printer_words {
	enum str_id job, line;
};
struct printer_words printer_words(const struct printer_status *st, int rc);

/* Opens the worker with its own store connection on db_path. NULL with err on failure.
 * Free with printq_close. */
struct printq *printq_open(struct printer *p, const char *db_path, void (*notify)(void *user), void *user,
			   char *err, size_t errn);
/* Queues a job of any kind: buf (the rendered bytes) is printed under the name `job` (see
 * printer_job) and recorded with (kind, ref) (ref: 1..64 letters, digits, '-', '_', '.', ':'); copy (may be
 * NULL) is kept with it for reprints. A receipt's or copy's ref that starts with a digit must be
 * a coupon's sequence (result seq); one that starts with a letter names another receipt (seq 0). Returns 0, or -1 on a bad key or a full queue (the
 * buffers are freed). */
/* Jobs named with this prefix ("account-statement", "account-certificate") are a customer's
 * private papers: their bytes are removed from the store as soon as the job is done. */
#define PRINTQ_PRIVATE_PREFIX "account-"
int printq_submit_kind(struct printq *q, enum store_print_kind kind, const char *ref, const char *job, uint8_t *buf,
		       size_t len, uint8_t *copy, size_t copy_len);
/* Queues a printer test page (app/testpage.h) built from t: kind test, ref the page's time
 * (YYYYMMDD-HHMMSS, local), no coupon. Returns 0, or -1 with err set (the page could not be
 * built, or the queue is full). */
int printq_test_page(struct printq *q, const struct testpage *t, char *err, size_t errn);
/* Queues a receipt: buf is printed, copy (the same receipt marked COPIA) is kept for reprints.
 * Returns 0, or -1 if the queue is full (the buffers are freed). */
int printq_submit(struct printq *q, const char *job, uint64_t seq, uint8_t *buf, size_t len, uint8_t *copy,
		  size_t copy_len);
/* Asks the printer's state now, in the queue's order (after the jobs before it): the answer
 * comes back as a result with `asked` set. 0, or -1 if the queue is full. */
int printq_ask_status(struct printq *q);
/* The technician's paper jobs (maintenance "Impresora"): feed `lines` (1..255) lines (ESC d),
 * or feed to the cutter and cut (GS V 66). Kind test, ref "feed-YYYYMMDD-HHMMSS" /
 * "cut-..." from `at` (epoch s, local time), no coupon. 0, or -1 (a bad count, a full queue). */
int printq_feed(struct printq *q, int lines, int64_t at);
int printq_cut(struct printq *q, int64_t at);
/* Queues a reprint of coupon seq's receipt: its stored copy, marked COPIA. 0 or -1. */
int printq_reprint(struct printq *q, uint64_t seq);
/* Takes one finished result if there is one: returns 1 and fills *out, else 0. Never blocks. */
int printq_poll(struct printq *q, struct printq_result *out);
/* Tests only, while no job is queued: the clock the queue stamps and ages jobs with (default
 * worker_now_ms), so a stale job can be made without waiting. */
void printq_set_clock(struct printq *q, int64_t (*now_ms)(void));
/* Blocks until every queued job has finished (headless runs and shutdown only). */
void printq_wait_idle(struct printq *q);
/* Finishes queued jobs, stops the worker, frees the queue. */
void printq_close(struct printq *q);
#endif
