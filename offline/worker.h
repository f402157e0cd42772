/* worker — one thread behind a mailbox: the lookup, the printer queue, the sync engine and the
 * retention pass each run on one (app/lookup.c, app/printq.c, offline/sync.c,
 * offline/retention.c), so the UI thread never waits on the network, the disk or the printer.
 *
 * The owner posts fixed-size requests into a slot or a small queue; the thread runs them one
 * at a time and posts fixed-size results into a small ring that the owner polls without ever
 * blocking. After each result the wake-up callback tells the owner to poll (the app posts an
 * SDL user event from it). Between requests the thread can run a timed job (`tick`: the
 * printer's idle status check, the sync rounds) and sleeps until the next one is due, a
 * request comes, or a stop.
 *
 * Threads: run and tick run on the worker thread without the mailbox lock; next_tick, merge,
 * wake and drop_res (a result pushed out of a full ring) run on it with the lock held;
 * drop_req runs on the poster's thread under the lock (a replaced request) or in worker_stop,
 * like drop_res for the unread results. None of them may call back into the worker.
 * Requests and results are copied bytes; a request's slot is zeroed once the thread has taken
 * it, and the thread's copy once it has run (a lookup carries an ID number). */
#ifndef RECAUDO_WORKER_H
#define RECAUDO_WORKER_H
#include <stddef.h>
#include <stdint.h>

enum {
	WORKER_REPLACE = 1, /* with the queue full, a new request replaces the newest queued one
			     * (dropped) instead of being refused */
	WORKER_DRAIN = 2,   /* worker_stop runs the queued requests first (else they are dropped) */
};

struct worker_ops {
	size_t req_size, res_size; /* bytes of one request, of one result (res_size may be 0) */
	int req_depth, res_depth;  /* at least 1 each */
	int flags;                 /* WORKER_* */
	/* Runs one request; returns 1 to post *res (zeroed before the call), 0 for no result. */
	int (*run)(void *ctx, void *req, void *res);
	/* Optional timer: the monotonic ms (worker_now_ms) when tick is next due, or INT64_MAX for
	 * none; asked whenever the queue is empty. tick returns 1 to post *res. */
	int64_t (*next_tick)(void *ctx, int64_t now_ms);
	int (*tick)(void *ctx, void *res);
	/* Optional, under the lock: 1 if res was folded into an unread result `queued` (in place,
	 * no new slot), 0 to queue it. With the ring full the oldest unread result is dropped. */
	int (*merge)(void *queued, const void *res);
	/* Optional: free what a request never run, or a result never polled, owns. */
	void (*drop_req)(void *ctx, void *req);
	void (*drop_res)(void *ctx, void *res);
};

struct worker;

/* Starts the thread. ops must outlive the worker; ctx is the ops' first argument; wake(user)
 * (may be NULL) is called once per posted result. Returns NULL with err. */
struct worker *worker_start(const struct worker_ops *ops, void *ctx, void (*wake)(void *user), void *user,
			    char *err, size_t errn);
/* Copies req into the queue and wakes the thread. 0, or -1 when the queue is full (nothing
 * taken: what req owns is still the caller's) or the worker is stopping. */
int worker_post(struct worker *w, const void *req);
/* Takes the oldest unread result into *out: 1, or 0 when there is none. Never blocks. */
int worker_poll(struct worker *w, void *out);
/* Blocks until no request is queued or running (headless runs, tests, shutdown). */
void worker_wait_idle(struct worker *w);
/* 1 once worker_stop has been called (for long jobs on the thread that can stop early). */
int worker_stopping(struct worker *w);
/* Stops the thread (WORKER_DRAIN: after the queued requests; else dropping them), waits for
 * the request or tick under way, joins, drops unread results and frees. NULL is a no-op. */
void worker_stop(struct worker *w);
/* CLOCK_MONOTONIC in ms, the clock next_tick speaks. */
int64_t worker_now_ms(void);
#endif
