/* The maintenance worker (maint.h): one thread, one job at a time, with its own connection to
 * the kiosk's store opened on the thread when the first job needs it. It starts when the
 * maintenance activity enters and stops when it leaves; a job still running then is waited
 * for (jobs are bounded: a file import, a check, a heartbeat with its timeout). Progress
 * reports go through a mutex-guarded slot the UI thread reads in app_pump; results through
 * the worker's ring. */
#include "maint_job.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "worker.h"

struct job_req {
	maint_job_fn fn;
	void *arg;
};

struct maint_jobs {
	struct worker *w;
	struct config cfg;
	char data_dir[256], db_path[512], config_path[512];
	struct store *store;         /* the worker thread's, opened by the first job */
	char store_err[256];
	void (*wake)(void *user);
	void *wake_user;
	pthread_mutex_t mu;          /* guards the progress slot */
	unsigned progress_seq, progress_seen;
	int progress_pct;
	char progress_msg[256];
	maint_job_fn progress_fn;
	int posted;                  /* UI thread: jobs posted and not yet polled back */
};

static int run_job(void *ctx, void *reqp, void *resp)
{
	struct maint_jobs *j = ctx;
	struct job_req *q = reqp;
	struct maint_job_result *r = resp;
	if (!j->store && store_open(&j->store, j->db_path, j->store_err, sizeof(j->store_err)) != 0)
		j->store = NULL;
	struct maint_job_env env = {
		.store = j->store,
		.cfg = &j->cfg,
		.data_dir = j->data_dir,
		.db_path = j->db_path,
		.config_path = j->config_path,
		.priv = j,
	};
	r->fn = q->fn;
	r->arg = q->arg;
	r->done = 1;
	r->pct = 100;
	r->rc = q->fn(&env, q->arg, r->msg, sizeof(r->msg));
	return 1;
}

static void drop_req(void *ctx, void *reqp)
{
	(void)ctx;
	free(((struct job_req *)reqp)->arg);
}

static void drop_res(void *ctx, void *resp)
{
	(void)ctx;
	free(((struct maint_job_result *)resp)->arg);
}

static const struct worker_ops job_ops = {
	.req_size = sizeof(struct job_req),
	.res_size = sizeof(struct maint_job_result),
	.req_depth = 1,
	.res_depth = 2,
	.run = run_job,
	.drop_req = drop_req,
	.drop_res = drop_res,
};

struct maint_jobs *maint_jobs_start(const struct config *cfg, const char *data_dir, const char *db_path,
				    const char *config_path, void (*wake)(void *user), void *user, char *err,
				    size_t errn)
{
	struct maint_jobs *j = calloc(1, sizeof(*j));
	if (!j) {
		snprintf(err, errn, "out of memory");
		return NULL;
	}
	j->cfg = *cfg;
	snprintf(j->data_dir, sizeof(j->data_dir), "%s", data_dir);
	snprintf(j->db_path, sizeof(j->db_path), "%s", db_path);
	snprintf(j->config_path, sizeof(j->config_path), "%s", config_path ? config_path : "");
	j->wake = wake;
	j->wake_user = user;
	pthread_mutex_init(&j->mu, NULL);
	j->w = worker_start(&job_ops, j, wake, user, err, errn);
	if (!j->w) {
		pthread_mutex_destroy(&j->mu);
		free(j);
		return NULL;
	}
	return j;
}

void maint_jobs_stop(struct maint_jobs *j)
{
	if (!j)
		return;
	worker_stop(j->w); /* waits for the job under way; frees what was never polled */
	store_close(j->store);
	pthread_mutex_destroy(&j->mu);
	free(j);
}

int maint_jobs_post(struct maint_jobs *j, maint_job_fn fn, void *arg)
{
	if (!j || j->posted > 0)
		return -1;
	struct job_req q = {.fn = fn, .arg = arg};
	pthread_mutex_lock(&j->mu);
	j->progress_fn = fn;
	pthread_mutex_unlock(&j->mu);
	if (worker_post(j->w, &q) != 0)
		return -1;
	j->posted++;
	return 0;
}

int maint_jobs_busy(const struct maint_jobs *j) { return j && j->posted > 0; }

int maint_jobs_poll(struct maint_jobs *j, struct maint_job_result *out)
{
	if (!j)
		return 0;
	pthread_mutex_lock(&j->mu);
	int fresh = j->progress_seq != j->progress_seen;
	if (fresh) {
		j->progress_seen = j->progress_seq;
		memset(out, 0, sizeof(*out));
		out->fn = j->progress_fn;
		out->pct = j->progress_pct;
		snprintf(out->msg, sizeof(out->msg), "%s", j->progress_msg);
	}
	pthread_mutex_unlock(&j->mu);
	if (fresh)
		return 1;
	if (!worker_poll(j->w, out))
		return 0;
	j->posted--;
	/* a progress report made after the last poll is older than the result: dropped */
	pthread_mutex_lock(&j->mu);
	j->progress_seen = j->progress_seq;
	pthread_mutex_unlock(&j->mu);
	return 1;
}

void maint_jobs_wait_idle(struct maint_jobs *j)
{
	if (j)
		worker_wait_idle(j->w);
}

void maint_job_progress(struct maint_job_env *env, int pct, const char *msg)
{
	struct maint_jobs *j = env->priv;
	pthread_mutex_lock(&j->mu);
	j->progress_seq++;
	j->progress_pct = pct < -1 ? -1 : pct > 100 ? 100 : pct;
	snprintf(j->progress_msg, sizeof(j->progress_msg), "%s", msg ? msg : "");
	pthread_mutex_unlock(&j->mu);
	if (j->wake)
		j->wake(j->wake_user);
}
