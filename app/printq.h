/* printq — the printer worker: jobs are handed over from the UI thread and sent on a thread
 * of their own, so a slow or hung printer never freezes the screen. Every job is recorded in
 * the store (pending -> sent -> printed | failed) by the worker on its own connection, with the
 * bytes of the receipt and of its copy, so a restart mid-print can offer a reprint marked
 * COPIA instead of a silent duplicate. Results come back through printq_poll; `notify`
 * (called on the worker thread) lets the main loop wake up.
 *
 * Ownership: printq_submit takes ownership of both buffers (malloc'd) in every case. The
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

struct printq_result {
	char job[48];
	uint64_t seq;                /* the coupon the job was for */
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
