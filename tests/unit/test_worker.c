/* test_worker — the one worker mailbox (offline/worker.h) that lookup, printing and sync run
 * on: results come back in order with one wake-up each; a request slot that replaces; a full
 * queue that refuses; stop while a request is running (waits for it, then drains or drops the
 * queue); a ring that keeps the newest results and merges; the timed job. No test here waits
 * on a clock: the thread is held and released with gates. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "worker.h"

struct gate {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int open, entered;
};

static void gate_init(struct gate *g)
{
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->cv, NULL);
	g->open = g->entered = 0;
}

static void gate_pass(struct gate *g) /* worker side: say "here", wait to be let through */
{
	pthread_mutex_lock(&g->mu);
	g->entered++;
	pthread_cond_broadcast(&g->cv);
	while (!g->open)
		pthread_cond_wait(&g->cv, &g->mu);
	pthread_mutex_unlock(&g->mu);
}

static void gate_wait_entered(struct gate *g, int n)
{
	pthread_mutex_lock(&g->mu);
	while (g->entered < n)
		pthread_cond_wait(&g->cv, &g->mu);
	pthread_mutex_unlock(&g->mu);
}

static void gate_open(struct gate *g)
{
	pthread_mutex_lock(&g->mu);
	g->open = 1;
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
}

struct ctx {
	struct gate gate;
	int hold;        /* run waits at the gate */
	int ran[16];     /* the requests run, in order */
	int nran;
	int dropped_req[16], ndropped_req;
	int dropped_res[16], ndropped_res;
	int wakes;       /* under the worker's lock: read after wait_idle or stop */
	int ticks, tick_limit;
	int64_t due;
};

static int run(void *c_, void *req, void *res)
{
	struct ctx *c = c_;
	int v = *(int *)req;

	if (c->hold)
		gate_pass(&c->gate);
	c->ran[c->nran++] = v;
	*(int *)res = v * 10;
	return v >= 0; /* a negative request posts no result */
}

static void drop_req(void *c_, void *req)
{
	struct ctx *c = c_;

	c->dropped_req[c->ndropped_req++] = *(int *)req;
}

static void drop_res(void *c_, void *res)
{
	struct ctx *c = c_;

	c->dropped_res[c->ndropped_res++] = *(int *)res;
}

static void wake(void *user)
{
	((struct ctx *)user)->wakes++;
}

static struct worker *start(const struct worker_ops *ops, struct ctx *c)
{
	char err[128] = "";
	struct worker *w = worker_start(ops, c, wake, c, err, sizeof err);

	if (!w)
		fprintf(stderr, "worker_start: %s\n", err);
	return w;
}

static void test_results_in_order(void)
{
	struct worker_ops ops = {.req_size = sizeof(int), .res_size = sizeof(int), .req_depth = 4,
				 .res_depth = 8, .run = run};
	struct ctx c = {0};
	struct worker *w = start(&ops, &c);
	int v, got[8], n = 0;

	for (int i = 1; i <= 3; i++)
		CHECK_INT(worker_post(w, &i), 0);
	v = -1;
	CHECK_INT(worker_post(w, &v), 0);
	worker_wait_idle(w);
	CHECK_INT(c.nran, 4);
	CHECK_INT(c.wakes, 3); /* one wake-up per posted result, none for the request without */
	while (n < 8 && worker_poll(w, &got[n]))
		n++;
	CHECK_INT(n, 3);
	CHECK_INT(got[0], 10);
	CHECK_INT(got[1], 20);
	CHECK_INT(got[2], 30);
	CHECK_INT(worker_poll(w, &v), 0);
	worker_stop(w);
	CHECK_INT(c.ndropped_res, 0);
}

static void *stop_thread(void *w)
{
	worker_stop(w);
	return NULL;
}

/* stop while busy: the request under way finishes, the queued ones run (DRAIN) or are
 * dropped (not), unread results are dropped, and nothing is posted after the stop */
static void test_stop_while_busy(int drain)
{
	struct worker_ops ops = {.req_size = sizeof(int), .res_size = sizeof(int), .req_depth = 4,
				 .res_depth = 8, .flags = drain ? WORKER_DRAIN : 0, .run = run,
				 .drop_req = drop_req, .drop_res = drop_res};
	struct ctx c = {.hold = 1};
	struct worker *w;
	pthread_t stopper;
	int v;

	gate_init(&c.gate);
	w = start(&ops, &c);
	for (int i = 1; i <= 3; i++)
		CHECK_INT(worker_post(w, &i), 0);
	gate_wait_entered(&c.gate, 1); /* request 1 is running, 2 and 3 are queued */
	CHECK(pthread_create(&stopper, NULL, stop_thread, w) == 0);
	while (!worker_stopping(w)) /* w lives until the gate opens: its thread is in run */
		sched_yield();
	v = 4;
	CHECK_INT(worker_post(w, &v), -1); /* nothing is taken once stopping */
	gate_open(&c.gate);
	pthread_join(stopper, NULL);
	CHECK_INT(c.ran[0], 1);
	if (drain) {
		CHECK_INT(c.nran, 3);
		CHECK_INT(c.ndropped_req, 0);
		CHECK_INT(c.wakes, 3);
		CHECK_INT(c.ndropped_res, 3); /* nobody polled them */
	} else {
		CHECK_INT(c.nran, 1);
		CHECK_INT(c.ndropped_req, 2);
		CHECK_INT(c.dropped_req[0], 2);
		CHECK_INT(c.dropped_req[1], 3);
		CHECK_INT(c.wakes, 1);
		CHECK_INT(c.ndropped_res, 1);
	}
}

/* a slot that replaces (the lookup): a request not yet started gives way to a newer one */
static void test_replace_slot(void)
{
	struct worker_ops ops = {.req_size = sizeof(int), .res_size = sizeof(int), .req_depth = 1,
				 .res_depth = 1, .flags = WORKER_REPLACE, .run = run,
				 .drop_req = drop_req, .drop_res = drop_res};
	struct ctx c = {.hold = 1};
	struct worker *w;
	int v;

	gate_init(&c.gate);
	w = start(&ops, &c);
	v = 1;
	worker_post(w, &v);
	gate_wait_entered(&c.gate, 1);
	v = 2;
	CHECK_INT(worker_post(w, &v), 0);
	v = 3;
	CHECK_INT(worker_post(w, &v), 0); /* replaces 2 */
	gate_open(&c.gate);
	worker_wait_idle(w);
	CHECK_INT(c.nran, 2);
	CHECK_INT(c.ran[1], 3);
	CHECK_INT(c.ndropped_req, 1);
	CHECK_INT(c.dropped_req[0], 2);
	/* one result slot: the stale answer to 1 was dropped for the answer to 3 */
	CHECK_INT(c.ndropped_res, 1);
	CHECK_INT(c.dropped_res[0], 10);
	CHECK_INT(worker_poll(w, &v), 1);
	CHECK_INT(v, 30);
	CHECK_INT(c.wakes, 2);
	worker_stop(w);
}

/* a queue that refuses when full (the printer): the caller keeps what it posted */
static void test_full_queue(void)
{
	struct worker_ops ops = {.req_size = sizeof(int), .res_size = sizeof(int), .req_depth = 2,
				 .res_depth = 2, .run = run, .drop_res = drop_res};
	struct ctx c = {.hold = 1};
	struct worker *w;
	int v;

	gate_init(&c.gate);
	w = start(&ops, &c);
	v = 1;
	worker_post(w, &v);
	gate_wait_entered(&c.gate, 1);
	v = 2;
	CHECK_INT(worker_post(w, &v), 0);
	v = 3;
	CHECK_INT(worker_post(w, &v), 0);
	v = 4;
	CHECK_INT(worker_post(w, &v), -1);
	gate_open(&c.gate);
	worker_wait_idle(w);
	CHECK_INT(c.nran, 3);
	/* two result slots for three results: the oldest went, the newest stay */
	CHECK_INT(c.ndropped_res, 1);
	CHECK_INT(c.dropped_res[0], 10);
	CHECK_INT(worker_poll(w, &v), 1);
	CHECK_INT(v, 20);
	CHECK_INT(worker_poll(w, &v), 1);
	CHECK_INT(v, 30);
	worker_stop(w);
}

/* results that fold into an unread one (the printer's status checks) */
static int merge_odd(void *queued, const void *res)
{
	if (*(int *)queued % 20 == 0 || *(const int *)res % 20 == 0)
		return 0;
	*(int *)queued = *(const int *)res;
	return 1;
}

static void test_merge(void)
{
	struct worker_ops ops = {.req_size = sizeof(int), .res_size = sizeof(int), .req_depth = 4,
				 .res_depth = 4, .run = run, .merge = merge_odd};
	struct ctx c = {0};
	struct worker *w = start(&ops, &c);
	int v, vals[] = {1, 2, 3, 5};

	for (int i = 0; i < 4; i++)
		worker_post(w, &vals[i]);
	worker_wait_idle(w);
	CHECK_INT(c.wakes, 4); /* a merged result wakes the owner too */
	CHECK_INT(worker_poll(w, &v), 1);
	CHECK_INT(v, 50); /* 10, then 30 and 50 folded into it */
	CHECK_INT(worker_poll(w, &v), 1);
	CHECK_INT(v, 20);
	CHECK_INT(worker_poll(w, &v), 0);
	worker_stop(w);
}

/* the timed job: due now runs at once; requests go first; INT64_MAX sleeps until a request */
static int64_t next_tick(void *c_, int64_t now)
{
	struct ctx *c = c_;

	(void)now;
	return c->ticks < c->tick_limit ? c->due : INT64_MAX;
}

static int tick(void *c_, void *res)
{
	struct ctx *c = c_;

	c->ticks++;
	*(int *)res = 1000 + c->ticks;
	if (c->hold && c->ticks == c->tick_limit)
		gate_pass(&c->gate);
	return 1;
}

static void test_ticks(void)
{
	struct worker_ops ops = {.req_size = sizeof(int), .res_size = sizeof(int), .req_depth = 2,
				 .res_depth = 8, .run = run, .next_tick = next_tick, .tick = tick};
	struct ctx c = {.hold = 1, .tick_limit = 3, .due = 0};
	struct worker *w;
	int v, n = 0;

	gate_init(&c.gate);
	w = start(&ops, &c);
	gate_wait_entered(&c.gate, 1); /* three ticks due at once have run */
	gate_open(&c.gate);
	v = 7;
	worker_post(w, &v); /* wakes the thread out of its untimed sleep */
	worker_wait_idle(w);
	CHECK_INT(c.ticks, 3);
	CHECK_INT(c.nran, 1);
	while (worker_poll(w, &v))
		n++;
	CHECK_INT(n, 4);
	CHECK_INT(v, 70);
	/* a tick far ahead does not hold up a stop */
	c.tick_limit = 100;
	c.due = worker_now_ms() + 3600 * 1000;
	worker_post(w, &v);
	worker_wait_idle(w);
	worker_stop(w);
	CHECK_INT(c.ticks, 3);
}

static void test_bad_parameters(void)
{
	struct worker_ops ops = {.req_size = sizeof(int), .res_size = sizeof(int), .req_depth = 0,
				 .res_depth = 1, .run = run};
	char err[64] = "";

	CHECK(worker_start(&ops, NULL, NULL, NULL, err, sizeof err) == NULL);
	CHECK_STR(err, "worker: bad parameters");
	worker_stop(NULL);
}

int main(void)
{
	test_results_in_order();
	test_stop_while_busy(1);
	test_stop_while_busy(0);
	test_replace_slot();
	test_full_queue();
	test_merge();
	test_ticks();
	test_bad_parameters();
	return check_done();
}
