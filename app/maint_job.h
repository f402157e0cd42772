/* maint_job — the maintenance worker behind maint_job_post (maint.h): the activity starts it
 * when it enters and stops it when it leaves. No SDL. The UI thread owns the handle; jobs run
 * on the worker's thread with their own store connection. */
#ifndef RECAUDO_MAINT_JOB_H
#define RECAUDO_MAINT_JOB_H
#include "maint.h"

struct maint_jobs;

/* Starts the thread with a copy of cfg and the paths; wake(user) is called on it when a
 * progress report or a result can be polled. NULL with err on failure. */
struct maint_jobs *maint_jobs_start(const struct config *cfg, const char *data_dir, const char *db_path,
				    const char *config_path, void (*wake)(void *user), void *user, char *err,
				    size_t errn);
/* Waits for the job under way, frees what was never polled, closes the store. NULL: no-op. */
void maint_jobs_stop(struct maint_jobs *j);
/* One job at a time: 0, or -1 while one is queued or running (arg stays the caller's). */
int maint_jobs_post(struct maint_jobs *j, maint_job_fn fn, void *arg);
int maint_jobs_busy(const struct maint_jobs *j);
/* The newest progress report, else the finished result: 1, or 0 when there is none. A result
 * (done = 1) hands arg to the caller. Never blocks. */
int maint_jobs_poll(struct maint_jobs *j, struct maint_job_result *out);
/* Blocks until no job is queued or running (headless runs, tests). */
void maint_jobs_wait_idle(struct maint_jobs *j);
#endif
