/* The app's timer list (app/timers.h): the earliest of fixed deadlines and owners' deadlines,
 * due timers fired once in order, a fixed deadline cleared before it fires, nothing to wait
 * for when all are off. */
#include "check.h"
#include "timers.h"

struct owner {
	int64_t due;   /* the owner's own deadline */
	int fired[3];
	int64_t last_now;
	struct timers *ts;
	int rearm_id;
};

static int64_t owner_when(const void *ctx) { return ((const struct owner *)ctx)->due; }

static void fire0(void *ctx, int64_t now)
{
	struct owner *o = ctx;
	o->fired[0]++;
	o->last_now = now;
	o->due = TIMER_OFF; /* consumed */
}

static void fire1(void *ctx, int64_t now)
{
	struct owner *o = ctx;
	o->fired[1]++;
	o->last_now = now;
}

static void fire2(void *ctx, int64_t now)
{
	struct owner *o = ctx;
	o->fired[2]++;
	timers_at(o->ts, o->rearm_id, now + 100); /* a periodic timer sets its next deadline */
}

int main(void)
{
	struct timers ts;
	struct owner o = {.due = TIMER_OFF};
	o.ts = &ts;
	timers_init(&ts, &o);
	int a = timers_add(&ts, "owner", owner_when, fire0);
	int b = timers_add(&ts, "fixed", NULL, fire1);
	int c = timers_add(&ts, "periodic", NULL, fire2);
	o.rearm_id = c;
	CHECK_INT(a, 0);
	CHECK_INT(b, 1);
	CHECK_INT(c, 2);
	/* all off: nothing to wait for, nothing fires */
	CHECK(timers_next(&ts) == TIMER_OFF);
	CHECK_INT(timers_run(&ts, 1000), 0);

	/* the earliest of the owner's deadline and the fixed ones */
	o.due = 5000;
	timers_at(&ts, b, 3000);
	timers_at(&ts, c, 4000);
	CHECK_INT(timers_next(&ts), 3000);
	CHECK_INT(timers_run(&ts, 2999), 0);
	CHECK_INT(timers_run(&ts, 3000), 1);
	CHECK_INT(o.fired[1], 1);
	CHECK_INT(o.last_now, 3000);
	/* a fixed deadline is cleared once fired: it does not fire again */
	CHECK_INT(timers_next(&ts), 4000);
	CHECK_INT(timers_run(&ts, 3500), 0);
	CHECK_INT(o.fired[1], 1);

	/* several due at once: each fires once; the periodic one re-arms itself */
	CHECK_INT(timers_run(&ts, 6000), 2);
	CHECK_INT(o.fired[0], 1);
	CHECK_INT(o.fired[2], 1);
	CHECK_INT(timers_next(&ts), 6100);
	CHECK_INT(timers_run(&ts, 6100), 1);
	CHECK_INT(o.fired[2], 2);

	/* cleared explicitly: off */
	timers_at(&ts, c, TIMER_OFF);
	CHECK(timers_next(&ts) == TIMER_OFF);

	/* the list is bounded */
	for (int i = ts.n; i < TIMERS_MAX; i++)
		CHECK(timers_add(&ts, "x", NULL, fire1) >= 0);
	CHECK_INT(timers_add(&ts, "one too many", NULL, fire1), -1);
	return check_done();
}
