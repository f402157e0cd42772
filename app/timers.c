/* The app's timer list (timers.h). */
#include "timers.h"

#include <string.h>

void timers_init(struct timers *ts, void *ctx)
{
	memset(ts, 0, sizeof(*ts));
	ts->ctx = ctx;
}

int timers_add(struct timers *ts, const char *name, int64_t (*when)(const void *ctx),
	       void (*fire)(void *ctx, int64_t now))
{
	if (ts->n >= TIMERS_MAX)
		return -1;
	ts->t[ts->n] = (struct timer){name, TIMER_OFF, when, fire};
	return ts->n++;
}

void timers_at(struct timers *ts, int id, int64_t at)
{
	if (id >= 0 && id < ts->n)
		ts->t[id].at = at;
}

static int64_t deadline(const struct timers *ts, const struct timer *t)
{
	int64_t w = t->when ? t->when(ts->ctx) : TIMER_OFF;
	return t->at < w ? t->at : w;
}

int64_t timers_next(const struct timers *ts)
{
	int64_t next = TIMER_OFF;
	for (int i = 0; i < ts->n; i++) {
		int64_t d = deadline(ts, &ts->t[i]);
		if (d < next)
			next = d;
	}
	return next;
}

int timers_run(struct timers *ts, int64_t now)
{
	int fired = 0;
	for (int i = 0; i < ts->n; i++) {
		struct timer *t = &ts->t[i];
		if (deadline(ts, t) > now)
			continue;
		if (t->at <= now)
			t->at = TIMER_OFF;
		t->fire(ts->ctx, now);
		fired++;
	}
	return fired;
}
