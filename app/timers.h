/* timers — the one list of deadlines the main loop sleeps on, in the spirit of Redis ae's time
 * events: each timer has a fixed deadline (timers_at) and/or asks its owner for one (`when`,
 * e.g. the current activity's next deadline); the loop sleeps until timers_next and then
 * timers_run fires what is due. No thread, no allocation; the app clock's milliseconds. */
#ifndef RECAUDO_TIMERS_H
#define RECAUDO_TIMERS_H
#include <stdint.h>

#define TIMERS_MAX 8
#define TIMER_OFF INT64_MAX

struct timer {
	const char *name;
	int64_t at;                         /* fixed deadline; TIMER_OFF: none */
	int64_t (*when)(const void *ctx);   /* NULL, or the owner's deadline (TIMER_OFF: none) */
	void (*fire)(void *ctx, int64_t now);
};

struct timers {
	struct timer t[TIMERS_MAX];
	int n;
	void *ctx; /* passed to when and fire */
};

void timers_init(struct timers *ts, void *ctx);
/* Adds a timer (off until timers_at, unless `when` says otherwise). Returns its id, or -1 when
 * the list is full. */
int timers_add(struct timers *ts, const char *name, int64_t (*when)(const void *ctx),
	       void (*fire)(void *ctx, int64_t now));
/* Sets (or with TIMER_OFF clears) a timer's fixed deadline. */
void timers_at(struct timers *ts, int id, int64_t at);
/* The earliest deadline; TIMER_OFF: nothing to wait for (idle costs no CPU). */
int64_t timers_next(const struct timers *ts);
/* Fires every timer due at `now`, once each, in the order added; a fixed deadline is cleared
 * before its timer fires (it may set a new one). Returns how many fired. */
int timers_run(struct timers *ts, int64_t now);
#endif
