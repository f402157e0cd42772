/* sync — the sync worker (see sync.h; the design note is docs/sync.md).
 *
 *   sleep until: a kick, the heartbeat or refresh time, or (after a failure) the end of the
 *   backoff
 *     -> drain:   claim <= 100 -> POST /v1/events -> ack / dead each, or release all; repeat
 *                 (sync_drain.c)
 *     -> refresh: GET /v1/trm, then GET /v1/portfolio/changes page by page (every refresh_s),
 *                 each answer one import transaction (sync_refresh.c)
 *     -> heartbeat (every heartbeat_s, and as the probe after a failure)
 *     -> report (notify when it changed)
 *
 * The thread is a worker (offline/worker.h): a kick is a request (one slot, kicks fold into
 * one), a round is its timed job. Everything the thread touches besides the report and the
 * printer state under `mu` is its own: its outbox handle, its store handle and its API
 * handle. It is the only caller of outbox_claim, so one drainer is a matter of construction,
 * not of locking. */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "outbox.h"
#include "store_update.h"
#include "sync.h"
#include "sync_internal.h"
#include "worker.h"

#define JOB_RETRY_MAX_MS 60000 /* a failed refresh is tried again within a minute */

struct sync {
	struct sync_config cfg;
	char version[48];
	void (*notify)(void *user, const struct sync_report *r);
	void *user;
	struct worker *w;
	pthread_mutex_t mu;
	_Atomic int cancel; /* set by sync_stop: the api handle abandons its request */

	/* under mu */
	char printer[48], printer_job[24], printer_detail[API_PRINTER_DETAIL_MAX];
	struct sync_report report;

	/* the worker's own */
	struct outbox *ob;
	struct store *st;
	struct api *api;
	int reopen_outbox; /* an answer could not be recorded: in_flight rows remain */
	int drain_now;
	int failures;         /* consecutive failed rounds */
	int64_t last_attempt; /* monotonic ms of the last failed round */
	int64_t next_attempt; /* while failing: no request before this */
	int64_t retry_floor;  /* the server's Retry-After, as a monotonic ms deadline */
	int64_t next_refresh, next_heartbeat;
	int online;
	int lock_fd;              /* the held cfg.lock_path, -1 or 0 when none */
	int locked;               /* 1: lock_fd is held, or no lock is wanted */
	int lock_logged;          /* "waiting for it" was said */
	int64_t lock_retry;       /* monotonic ms of the next try for the lock */
	const char *link_code;    /* the reason code last recorded for status, NULL: none yet */
	char last_error[200];
	char logged[200]; /* the last failure logged (repeats are logged sparsely) */
	char logged_job[200];
	struct api_item_result results[OUTBOX_BATCH_MAX];
};

void sync_log(const char *fmt, ...)
{
	char line[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	line[strcspn(line, "\r\n")] = '\0'; /* one line, whatever a server said */
	fprintf(stderr, "recaudo: sync: %s\n", line);
}

static int64_t mono_ms(void)
{
	return worker_now_ms();
}

static int64_t wall_s(void)
{
	return (int64_t)time(NULL);
}

static int stop_requested(struct sync *s)
{
	return s->cancel;
}

static void set_error(struct sync *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_error(struct sync *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->last_error, sizeof s->last_error, fmt, ap);
	va_end(ap);
}

/* A transport-level failure: the link is down (or the server refuses us) and every job
 * waits for the backoff. Other failures belong to the job that hit them. */
static int link_failure(int rc)
{
	return rc == API_ERR_NETWORK || rc == API_ERR_TLS || rc == API_ERR_AUTH || rc == API_ERR_SERVER;
}

/* ---- drain (sync_drain.c) ---- */

static int drain(struct sync *s, int *sent, int *changed)
{
	return sync_drain(s->ob, s->api, s->results, &s->cancel, sent, changed, &s->reopen_outbox,
			  s->last_error, sizeof s->last_error);
}

static int reopen_outbox(struct sync *s)
{
	char err[256];

	outbox_close(s->ob);
	s->ob = outbox_open(s->cfg.db_path, err, sizeof err);
	if (!s->ob) {
		set_error(s, "outbox: %s", err);
		return SYNC_ERR_LOCAL;
	}
	s->reopen_outbox = 0;
	return 0;
}

/* ---- refresh: TRM, then portfolio changes by cursor (sync_refresh.c) ---- */

static int refresh(struct sync *s, int64_t now, int *sent, int *changed)
{
	int more = 0, rc;

	rc = sync_refresh_pages(s->api, s->st, s->cfg.api.base_url, &s->cancel, sent, changed, &more,
				s->last_error, sizeof s->last_error);
	if (rc != API_OK)
		return rc;
	/* more pages: go on in the next round, after the events */
	s->next_refresh = more ? now : now + (int64_t)s->cfg.refresh_s * 1000;
	return API_OK;
}

/* ---- heartbeat ---- */

static int heartbeat(struct sync *s, int *sent)
{
	struct outbox_stats st;
	struct api_heartbeat hb;
	char printer[sizeof s->printer], job[sizeof s->printer_job], detail[sizeof s->printer_detail];
	char head[AUDIT_HASH_HEX + 1] = "";
	int64_t as_of = 0, now = wall_s();
	int rc;

	if (outbox_stats_get(NULL, s->ob, &st) < 0) {
		set_error(s, "outbox: %s", outbox_error(s->ob));
		return SYNC_ERR_LOCAL;
	}
	if (store_data_as_of(s->st, &as_of) < 0)
		as_of = 0;
	if (store_audit_head(s->st, head) != 0)
		head[0] = '\0'; /* no row yet, or unreadable: left out */
	/* `recaudo update-wait` holding an update back (unreadable: left out, as none) */
	struct store_update_hold hold;
	if (store_update_hold_get(s->st, &hold) != 0)
		hold.version[0] = '\0';
	pthread_mutex_lock(&s->mu);
	memcpy(printer, s->printer, sizeof printer);
	memcpy(job, s->printer_job, sizeof job);
	memcpy(detail, s->printer_detail, sizeof detail);
	pthread_mutex_unlock(&s->mu);
	memset(&hb, 0, sizeof hb);
	hb.queue_depth = st.pending;
	hb.oldest_unsynced_s =
		st.oldest_unsynced > 0 && now > st.oldest_unsynced ? now - st.oldest_unsynced : 0;
	hb.dead_letters = st.dead;
	hb.printer = printer;
	hb.printer_job = job;
	hb.printer_detail = detail;
	hb.data_as_of = as_of;
	hb.version = s->version;
	hb.audit_head = head;
	hb.update_version = hold.version;
	hb.update_since = hold.since;
	hb.update_money_events = hold.money_events;
	rc = api_heartbeat(s->api, &hb);
	if (rc != API_OK) {
		set_error(s, "%s", api_error(s->api));
		return rc;
	}
	*sent = 1;
	return API_OK;
}

/* ---- backoff and the round ---- */

/* The reason code `status` shows: what kind of failure, never its text (which may quote a
 * server's answer). */
static const char *reason_code(int rc)
{
	switch (rc) {
	case API_ERR_NETWORK: return "network";
	case API_ERR_TLS: return "tls";
	case API_ERR_AUTH: return "auth";
	case API_ERR_SERVER: return "server";
	case API_ERR_PROTOCOL: return "protocol";
	default: return "error";
	}
}

static void round_failed(struct sync *s, int rc, int64_t now)
{
	int retry_after = rc == API_ERR_SERVER ? api_retry_after(s->api) : 0;
	int64_t delay;

	s->failures++;
	if (rc != SYNC_ERR_LOCAL) {
		/* recorded for `status` when it changes, not at every retry */
		const char *code = reason_code(rc);
		/* a request cut short by sync_stop says nothing about the link */
		if (!stop_requested(s) && (s->online || s->link_code != code)) {
			if (outbox_mark_link(s->ob, 0, code) < 0)
				sync_log("outbox: cannot record the link state: %s", outbox_error(s->ob));
			s->link_code = code;
		}
		s->online = 0;
	}
	delay = sync_backoff_ms(s->cfg.backoff_min_ms, s->cfg.backoff_max_ms, s->failures, retry_after);
	s->last_attempt = now;
	s->next_attempt = now + delay;
	s->retry_floor = now + (int64_t)retry_after * 1000;
	if (stop_requested(s)) /* cut short by sync_stop: no next try to announce */
		sync_log("%s", s->last_error);
	/* the first failure, a new one, and then the 2nd, 4th, 8th... repeat */
	else if (strcmp(s->last_error, s->logged) != 0 || (s->failures & (s->failures - 1)) == 0) {
		sync_log("%s; next try in %.1f s (%d failed in a row)", s->last_error, (double)delay / 1000,
			 s->failures);
		memcpy(s->logged, s->last_error, sizeof s->logged);
	}
}

/* An answer after failures: the link is back, said at once (a later job of the round may
 * still fail or be cut short by sync_stop: a new failure), and the backoff is over. */
static void link_back(struct sync *s)
{
	if (s->failures > 0)
		sync_log("back online after %d failed attempt%s", s->failures, s->failures == 1 ? "" : "s");
	s->failures = 0;
	s->next_attempt = 0;
	s->retry_floor = 0;
	s->logged[0] = '\0';
}

static void round_ok(struct sync *s, int sent)
{
	link_back(s);
	if (!sent)
		return;
	if (!s->online || !s->link_code) {
		if (outbox_mark_link(s->ob, 1, "") < 0)
			sync_log("outbox: cannot record the link state: %s", outbox_error(s->ob));
		s->link_code = "";
	}
	s->online = 1;
	s->last_error[0] = '\0';
	if (outbox_mark_sync(s->ob, wall_s()) < 0)
		sync_log("outbox: cannot record the sync time: %s", outbox_error(s->ob));
}

/* A job (refresh, heartbeat) failed without the link failing: a bad answer or the store.
 * The job tries again later; events keep flowing. */
static void job_failed(struct sync *s, const char *job)
{
	if (strcmp(s->last_error, s->logged_job) != 0) {
		sync_log("%s failed: %s", job, s->last_error);
		memcpy(s->logged_job, s->last_error, sizeof s->logged_job);
	}
	s->last_error[0] = '\0';
}

static void publish(struct sync *s, int changed)
{
	struct sync_report r;
	struct outbox_stats st;
	int differs;

	pthread_mutex_lock(&s->mu);
	r = s->report;
	pthread_mutex_unlock(&s->mu);
	r.online = s->online;
	snprintf(r.last_error, sizeof r.last_error, "%s", s->online ? "" : s->last_error);
	if (s->ob && outbox_stats_get(NULL, s->ob, &st) == 0) {
		r.last_sync = st.last_sync;
		r.queue_depth = st.pending;
		r.dead = st.dead;
		r.oldest_unsynced = st.oldest_unsynced;
	}
	pthread_mutex_lock(&s->mu);
	differs = r.online != s->report.online || r.last_sync != s->report.last_sync ||
		  r.queue_depth != s->report.queue_depth || r.dead != s->report.dead ||
		  r.oldest_unsynced != s->report.oldest_unsynced ||
		  strcmp(r.last_error, s->report.last_error) != 0;
	s->report = r;
	pthread_mutex_unlock(&s->mu);
	if ((differs || changed) && s->notify)
		s->notify(s->user, &r);
}

static void round_run(struct sync *s)
{
	int64_t now = mono_ms();
	int sent = 0, changed = 0, probe = s->failures > 0, rc = API_OK, job;

	if (s->reopen_outbox)
		rc = reopen_outbox(s);
	if (rc == API_OK)
		rc = drain(s, &sent, &changed);
	if (sent)
		link_back(s);
	if (rc == API_OK && now >= s->next_refresh && !stop_requested(s)) {
		job = refresh(s, now, &sent, &changed);
		if (sent)
			link_back(s);
		if (job == API_OK) {
			s->logged_job[0] = '\0'; /* a later failure is news again */
		} else if (link_failure(job) && !(sent && job == API_ERR_NETWORK)) {
			rc = job;
		} else {
			/* a bad page, or a slow one right after events went through: the link works,
			 * only this job is retried later (events are not held behind it) */
			job_failed(s, "portfolio refresh");
			s->next_refresh = now + ((int64_t)s->cfg.refresh_s * 1000 < JOB_RETRY_MAX_MS
							 ? (int64_t)s->cfg.refresh_s * 1000
							 : JOB_RETRY_MAX_MS);
		}
	}
	/* after a failure the heartbeat is the probe that tells the link is back */
	if (rc == API_OK && (probe || now >= s->next_heartbeat) && !stop_requested(s)) {
		job = heartbeat(s, &sent);
		s->next_heartbeat = now + (int64_t)s->cfg.heartbeat_s * 1000;
		if (link_failure(job))
			rc = job;
		else if (job != API_OK)
			job_failed(s, "heartbeat");
	}
	if (rc == API_OK)
		round_ok(s, sent);
	else
		round_failed(s, rc, now);
	publish(s, changed);
	/* counted after the report holds this round's results: a reader who sees the count
	 * move sees what the round did */
	pthread_mutex_lock(&s->mu);
	s->report.rounds++;
	pthread_mutex_unlock(&s->mu);
}

/* ---- the thread ---- */

/* Monotonic ms of the next thing to do. */
static int64_t next_due(const struct sync *s, int64_t now)
{
	int64_t t;

	if (s->failures > 0)
		return s->next_attempt;
	if (s->drain_now)
		return now;
	t = s->next_refresh < s->next_heartbeat ? s->next_refresh : s->next_heartbeat;
	return t;
}

/* One drainer per store: with cfg.lock_path the worker holds an flock on it, and waits for it
 * (a technician's `recaudo sync` may be running), trying every second, before its first
 * round; sync_stop ends the wait. */
static void take_lock(struct sync *s)
{
	if (!s->cfg.lock_path[0]) {
		s->locked = 1;
		return;
	}
	if (s->lock_fd <= 0) {
		s->lock_fd = open(s->cfg.lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (s->lock_fd < 0) {
			sync_log("cannot open %s: %s; syncing without it", s->cfg.lock_path, strerror(errno));
			s->locked = 1;
			return;
		}
	}
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		if (!s->lock_logged++)
			sync_log("another process is syncing this store; waiting for it");
		s->lock_retry = mono_ms() + 1000;
		return;
	}
	if (s->lock_logged)
		sync_log("the other process is done; syncing");
	s->locked = 1;
}

/* A kick (a new coupon, "sync now"): drain now. During a backoff it tries again now, but
 * never before the server's Retry-After nor sooner than backoff_min after the last try:
 * kicks come at human pace and cannot turn into a storm. */
static int on_kick(void *ctx, void *req, void *res)
{
	struct sync *s = ctx;

	(void)req;
	(void)res;
	s->drain_now = 1;
	if (s->failures > 0) {
		int64_t t = s->last_attempt + s->cfg.backoff_min_ms;

		if (t < s->retry_floor)
			t = s->retry_floor;
		if (t < s->next_attempt)
			s->next_attempt = t;
	}
	return 0;
}

static int64_t next_tick(void *ctx, int64_t now)
{
	const struct sync *s = ctx;

	return s->locked ? next_due(s, now) : s->lock_retry;
}

static int on_tick(void *ctx, void *res)
{
	struct sync *s = ctx;

	(void)res;
	if (!s->locked) {
		take_lock(s);
		return 0;
	}
	s->drain_now = 0;
	round_run(s);
	return 0;
}

static const struct worker_ops sync_ops = {
	.req_size = 1, /* a kick carries nothing */
	.req_depth = 1,
	.res_depth = 1, /* no results: the report goes through notify and sync_get_report */
	.flags = WORKER_REPLACE,
	.run = on_kick,
	.next_tick = next_tick,
	.tick = on_tick,
};

static void close_handles(struct sync *s)
{
	if (s->lock_fd > 0)
		close(s->lock_fd); /* releases the flock */
	s->lock_fd = -1;
	api_close(s->api);
	outbox_close(s->ob);
	store_close(s->st);
	s->api = NULL;
	s->ob = NULL;
	s->st = NULL;
}

struct sync *sync_start(const struct sync_config *cfg,
			void (*notify)(void *user, const struct sync_report *r), void *user, char *err,
			size_t errn)
{
	struct sync *s = calloc(1, sizeof *s);
	struct outbox_stats st;
	int64_t now;

	if (!s) {
		snprintf(err, errn, "sync: out of memory");
		return NULL;
	}
	s->cfg = *cfg;
	if (s->cfg.api.connect_timeout_ms <= 0)
		s->cfg.api.connect_timeout_ms = SYNC_CONNECT_TIMEOUT_MS;
	if (s->cfg.api.timeout_ms <= 0)
		s->cfg.api.timeout_ms = SYNC_TIMEOUT_MS;
	if (s->cfg.api.low_speed_time_s <= 0)
		s->cfg.api.low_speed_time_s = SYNC_LOW_SPEED_TIME_S;
	if (s->cfg.refresh_s <= 0)
		s->cfg.refresh_s = 300;
	if (s->cfg.heartbeat_s <= 0)
		s->cfg.heartbeat_s = 60;
	if (s->cfg.backoff_min_ms <= 0)
		s->cfg.backoff_min_ms = 1000;
	if (s->cfg.backoff_max_ms <= 0)
		s->cfg.backoff_max_ms = 300000;
	if (s->cfg.backoff_max_ms < s->cfg.backoff_min_ms)
		s->cfg.backoff_max_ms = s->cfg.backoff_min_ms;
	snprintf(s->version, sizeof s->version, "%s", cfg->version ? cfg->version : "unknown");
	s->cfg.version = s->version;
	snprintf(s->printer, sizeof s->printer, "unknown");
	snprintf(s->printer_job, sizeof s->printer_job, "none");
	s->notify = notify;
	s->user = user;

	/* the store first: it creates and migrates the database the outbox lives in */
	if (store_open(&s->st, s->cfg.db_path, err, errn) != 0)
		goto fail;
	s->ob = outbox_open(s->cfg.db_path, err, errn);
	if (!s->ob)
		goto fail;
	s->api = api_open(&s->cfg.api, err, errn);
	if (!s->api)
		goto fail;
	explicit_bzero(s->cfg.api.secret, sizeof s->cfg.api.secret); /* the api handle has it */
	api_set_cancel(s->api, &s->cancel);
	if (outbox_stats_get(NULL, s->ob, &st) == 0) {
		s->report.last_sync = st.last_sync;
		s->report.queue_depth = st.pending;
		s->report.dead = st.dead;
		s->report.oldest_unsynced = st.oldest_unsynced;
	}
	now = mono_ms();
	s->next_refresh = now;
	s->next_heartbeat = now;
	s->drain_now = 1;

	if (pthread_mutex_init(&s->mu, NULL) != 0) {
		snprintf(err, errn, "sync: cannot create a mutex");
		goto fail;
	}
	s->w = worker_start(&sync_ops, s, NULL, NULL, err, errn);
	if (!s->w) {
		pthread_mutex_destroy(&s->mu);
		goto fail;
	}
	return s;
fail:
	close_handles(s);
	explicit_bzero(s->cfg.api.secret, sizeof s->cfg.api.secret);
	free(s);
	return NULL;
}

void sync_kick(struct sync *s)
{
	if (!s)
		return;
	worker_post(s->w, ""); /* kicks fold into one: never refused while running */
}

void sync_set_printer(struct sync *s, const char *state, const char *job, const char *detail)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	snprintf(s->printer, sizeof s->printer, "%s", state ? state : "unknown");
	snprintf(s->printer_job, sizeof s->printer_job, "%s", job ? job : "none");
	snprintf(s->printer_detail, sizeof s->printer_detail, "%s", detail ? detail : "");
	pthread_mutex_unlock(&s->mu);
}

void sync_get_report(struct sync *s, struct sync_report *out)
{
	if (!s) {
		memset(out, 0, sizeof *out);
		return;
	}
	pthread_mutex_lock(&s->mu);
	*out = s->report;
	pthread_mutex_unlock(&s->mu);
}

void sync_stop(struct sync *s)
{
	if (!s)
		return;
	s->cancel = 1; /* a request under way on a slow link is abandoned, not waited out */
	worker_stop(s->w);
	close_handles(s);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
