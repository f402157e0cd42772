/* test_maint_job — the maintenance worker (app/maint_job.h) behind maint_job_post: a job runs
 * on its own thread with its own store connection and the configuration copied at start; its
 * progress lines come back before its result, the result hands the screen's block back; one
 * job at a time (a second is refused and stays the caller's); stopping with a result never
 * polled, or with a job under way, frees the blocks (valgrind checks no leak). The thread is
 * held and released with a gate: no test here waits on a clock. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "maint_job.h"
#include "store.h"
#include "tmpdir.h"

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int open, entered;
} gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};

static void gate_pass(void)
{
	pthread_mutex_lock(&gate.mu);
	gate.entered++;
	pthread_cond_broadcast(&gate.cv);
	while (!gate.open)
		pthread_cond_wait(&gate.cv, &gate.mu);
	pthread_mutex_unlock(&gate.mu);
}

static void gate_wait_entered(int n)
{
	pthread_mutex_lock(&gate.mu);
	while (gate.entered < n)
		pthread_cond_wait(&gate.cv, &gate.mu);
	pthread_mutex_unlock(&gate.mu);
}

static void gate_set(int open)
{
	pthread_mutex_lock(&gate.mu);
	gate.open = open;
	pthread_cond_broadcast(&gate.cv);
	pthread_mutex_unlock(&gate.mu);
}

static int wakes;
static void wake(void *user) { __atomic_add_fetch((int *)user, 1, __ATOMIC_SEQ_CST); }

struct job {
	int hold;              /* wait at the gate first */
	int store_ok;          /* env->store could read the store */
	unsigned kiosk_id;     /* what env->cfg said */
	char config_path[64];
	char value[32];
};

static int job(struct maint_job_env *env, void *argp, char *msg, size_t msgn)
{
	struct job *j = argp;
	if (j->hold)
		gate_pass();
	maint_job_progress(env, 50, "halfway");
	j->store_ok = env->store && store_meta_get(env->store, "maint_test", j->value, sizeof(j->value)) == 0;
	j->kiosk_id = env->cfg->kiosk_id;
	snprintf(j->config_path, sizeof(j->config_path), "%s", env->config_path);
	snprintf(msg, msgn, "done %s", j->value);
	return 7;
}

static struct job *new_job(int hold)
{
	struct job *j = calloc(1, sizeof(*j));
	j->hold = hold;
	return j;
}

int main(void)
{
	char dir[] = "/tmp/recaudo-maintjob-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char db[600], err[256];
	snprintf(db, sizeof(db), "%s/recaudo.db", dir);
	struct store *s = NULL;
	CHECK_INT(store_open(&s, db, err, sizeof(err)), 0);
	CHECK_INT(store_meta_set(s, "maint_test", "hello"), 0);
	struct config cfg;
	config_defaults(&cfg);
	cfg.kiosk_id = 42;

	struct maint_jobs *j = maint_jobs_start(&cfg, dir, db, "/etc/recaudo/recaudo.ini", wake, &wakes, err, sizeof(err));
	CHECK(j != NULL);
	cfg.kiosk_id = 1; /* the worker has its own copy */

	/* a job: progress, then the result with the block back */
	struct job *a = new_job(1);
	CHECK_INT(maint_jobs_post(j, job, a), 0);
	CHECK(maint_jobs_busy(j));
	gate_wait_entered(1);
	/* one at a time: a second is refused and stays the caller's */
	struct job *b = new_job(0);
	CHECK_INT(maint_jobs_post(j, job, b), -1);
	free(b);
	gate_set(1);
	maint_jobs_wait_idle(j);
	struct maint_job_result r;
	CHECK_INT(maint_jobs_poll(j, &r), 1);
	/* the progress report was overtaken by the result (polled after both): dropped, or first */
	if (!r.done) {
		CHECK_STR(r.msg, "halfway");
		CHECK_INT(r.pct, 50);
		CHECK(r.fn == job);
		CHECK_INT(maint_jobs_poll(j, &r), 1);
	}
	CHECK_INT(r.done, 1);
	CHECK(r.fn == job);
	CHECK(r.arg == a);
	CHECK_INT(r.rc, 7);
	CHECK_STR(r.msg, "done hello");
	CHECK(a->store_ok);
	CHECK_INT(a->kiosk_id, 42);
	CHECK_STR(a->config_path, "/etc/recaudo/recaudo.ini");
	free(r.arg);
	CHECK_INT(maint_jobs_poll(j, &r), 0);
	CHECK(!maint_jobs_busy(j));
	CHECK(__atomic_load_n(&wakes, __ATOMIC_SEQ_CST) >= 2); /* the progress line and the result */

	/* a progress report is seen while the job is held after it */
	gate_set(0);
	gate.entered = 0;
	struct job *c = new_job(0);
	c->hold = 0;
	CHECK_INT(maint_jobs_post(j, job, c), 0);
	maint_jobs_wait_idle(j);
	int got_done = 0;
	while (maint_jobs_poll(j, &r))
		if (r.done) {
			got_done = 1;
			CHECK(r.arg == c);
			free(r.arg);
		}
	CHECK(got_done);

	/* a result never polled is freed at stop (valgrind: no leak) */
	struct job *d = new_job(0);
	CHECK_INT(maint_jobs_post(j, job, d), 0);
	maint_jobs_wait_idle(j);
	maint_jobs_stop(j);

	/* stop while a job is under way: waits for it, frees its block */
	j = maint_jobs_start(&cfg, dir, db, "", wake, &wakes, err, sizeof(err));
	CHECK(j != NULL);
	gate_set(0);
	gate.entered = 0;
	struct job *e = new_job(1);
	CHECK_INT(maint_jobs_post(j, job, e), 0);
	gate_wait_entered(1);
	gate_set(1);
	maint_jobs_stop(j);

	/* a store that cannot be opened: the job runs and says so through env->store == NULL */
	char bad[700];
	snprintf(bad, sizeof(bad), "%s/missing/dir/recaudo.db", dir);
	j = maint_jobs_start(&cfg, dir, bad, "", NULL, NULL, err, sizeof(err));
	CHECK(j != NULL);
	struct job *f = new_job(0);
	CHECK_INT(maint_jobs_post(j, job, f), 0);
	maint_jobs_wait_idle(j);
	while (maint_jobs_poll(j, &r))
		if (r.done) {
			CHECK(!((struct job *)r.arg)->store_ok);
			free(r.arg);
		}
	maint_jobs_stop(j);
	CHECK(maint_jobs_post(NULL, job, NULL) == -1);
	maint_jobs_stop(NULL);

	store_close(s);
	tmpdir_remove(dir);
	return check_done();
}
