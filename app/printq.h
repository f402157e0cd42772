/* printq — the printer worker: jobs are handed over from the UI thread and sent on a thread
 * of their own, so a slow or hung printer never freezes the screen. Results come back through
 * printq_poll; `notify` (called on the worker thread) lets the main loop wake up.
 *
 * Ownership: printq_submit takes ownership of `buf` (malloc'd) in every case; the queue
 * frees it. The printer stays owned by the caller and must outlive the queue. */
#ifndef RECAUDO_PRINTQ_H
#define RECAUDO_PRINTQ_H
#include <stddef.h>
#include <stdint.h>
#include "printer.h"

#define PRINTQ_DEPTH 4
/* A job that could not start within this time is dropped, not printed late: a receipt that
 * comes out minutes after its customer left would be handed to the next one. */
#define PRINTQ_STALE_MS 60000

struct printq;

struct printq_result {
	char job[48];
	uint64_t seq;        /* the coupon the job was for */
	int rc;              /* 0 printed, <0 failed */
	char error[160];
};

/* Returns NULL on failure (thread could not start). Free with printq_close. */
struct printq *printq_open(struct printer *p, void (*notify)(void *user), void *user);
/* Queues a job. Returns 0, or -1 if the queue is full (the job is dropped and freed). */
int printq_submit(struct printq *q, const char *job, uint64_t seq, uint8_t *buf, size_t len);
/* Takes one finished result if there is one: returns 1 and fills *out, else 0. Never blocks. */
int printq_poll(struct printq *q, struct printq_result *out);
/* Blocks until every queued job has finished (headless runs and shutdown only). */
void printq_wait_idle(struct printq *q);
/* Finishes queued jobs, stops the worker, frees the queue. */
void printq_close(struct printq *q);
#endif
