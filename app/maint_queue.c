/* Cola de envío (maint-queue): the send queue's counts, the dead letters (masked IDs only) with
 * "Reintentar" on each, "Sincronizar ahora" with its result, "Exportar" to removable storage.
 * The queue is read, retried and exported on the maintenance worker (maint_job_post) with the
 * worker's own store connection (offline/outbox_admin.h); the UI thread only draws what came
 * back. Every action is audited (queue.sync, queue.retry, queue.export). docs/maintenance.md
 * "Cola de envío". */
#include "maint.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "cli_queue.h"
#include "maint_media.h"
#include "outbox_admin.h"

#define QS_DEAD_MAX 100        /* dead letters read for the screen (newest first) */
#define QS_SYNC_WAIT_MS 60000  /* "Sincronizar ahora" waits this long for a round */
#define QS_POLL_MS 250         /* while waiting: for the worker or the sync round */

enum { A_SYNC, A_EXPORT, A_REFRESH, A_RETRY, A_PREV, A_NEXT };

struct list_job {
	int rc;
	struct outbox_counts c;
	int n;
	struct outbox_dead_view dead[QS_DEAD_MAX];
};
struct retry_job {
	char key[OUTBOX_KEY_LEN + 1];
	uint64_t seq;
	enum outbox_retry r;
	char why[300];
};
struct export_job {
	char dir[256];
	uint32_t kiosk;
	int64_t now;
	enum outbox_export_rc rc;
	struct outbox_export_result res;
	char why[1200];
	struct usbmedia_reply media; /* the helper's answer to "mount" first */
};

struct qs {
	struct list_job *list; /* the last read (kept from the job's result), NULL before the first */
	int want_list;         /* read the queue when the worker is free */
	int first;             /* first dead letter shown */
	enum maint_level lv;   /* the last action's result */
	char note[1400];
	int syncing;
	uint64_t sync_rounds;  /* the sync worker's rounds when "Sincronizar ahora" was pressed */
	int64_t sync_until;    /* app ms: give up waiting */
};

/* ---- jobs (on the maintenance worker) ---- */

static int job_list(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct list_job *j = arg;
	struct outbox_dead_view *d = NULL;
	int n = 0;

	j->rc = -1;
	if (!env->store) {
		snprintf(msg, msgn, "no store");
		return -1;
	}
	if (outbox_admin_counts(env->store, &j->c) != 0 ||
	    outbox_admin_dead(env->store, QS_DEAD_MAX, &d, &n) != 0) {
		snprintf(msg, msgn, "%s", store_error(env->store));
		return -1;
	}
	if (n > 0)
		memcpy(j->dead, d, (size_t)n * sizeof *d);
	j->n = n;
	free(d);
	return j->rc = 0;
}

static int job_retry(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct retry_job *j = arg;

	(void)msg;
	(void)msgn;
	if (!env->store) {
		j->r = OUTBOX_RETRY_ERROR;
		return -1;
	}
	j->r = outbox_admin_retry(env->store, j->key, &j->seq, j->why, sizeof j->why);
	return j->r == OUTBOX_RETRY_OK ? 0 : -1;
}

static int job_export(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct export_job *j = arg;

	(void)msg;
	(void)msgn;
	if (!env->store) {
		j->rc = OUTBOX_EXPORT_DB;
		return -1;
	}
	/* the stick mounted at the folder first (the kiosk image); one that cannot be used is
	 * not written around: the empty folder under it is not the stick */
	maint_media_mount(env->cfg, &j->media);
	if (maint_media_unusable(&j->media)) {
		j->rc = OUTBOX_EXPORT_NO_DIR;
		snprintf(j->why, sizeof j->why, "the USB stick could not be used");
		return -1;
	}
	j->rc = outbox_admin_export(env->store, j->dir, j->kiosk, j->now, &j->res, j->why, sizeof j->why);
	return j->rc == OUTBOX_EXPORT_OK ? 0 : -1;
}

/* ---- actions (UI thread) ---- */

static void note(struct qs *st, enum maint_level lv, const char *text)
{
	st->lv = lv;
	snprintf(st->note, sizeof st->note, "%s", text);
}

static void post_list(struct app *a, struct qs *st)
{
	struct list_job *j = calloc(1, sizeof *j);

	st->want_list = 1;
	if (j && maint_job_post(a, job_list, j) == 0)
		st->want_list = 0;
	else
		free(j); /* the worker is busy: again at the next tick */
}

static void sync_now(struct app *a, struct qs *st)
{
	struct sync_report r;

	if (!a->svc.sync) {
		note(st, MAINT_FAIL, tr(STR_MQ_NO_CENTRAL));
		maint_audit(a, "queue.sync", "failed", "code=no_central");
		return;
	}
	sync_get_report(a->svc.sync, &r);
	st->sync_rounds = r.rounds;
	st->syncing = 1;
	st->sync_until = app_now_ms(a) + QS_SYNC_WAIT_MS;
	sync_kick(a->svc.sync);
	note(st, MAINT_INFO, tr(STR_MQ_SYNCING));
}

/* While waiting for the round "Sincronizar ahora" asked for: its result once it is there. */
static void sync_check(struct app *a, struct qs *st)
{
	struct sync_report r;
	char text[400], detail[64];

	if (!st->syncing || !a->svc.sync)
		return;
	sync_get_report(a->svc.sync, &r);
	if (r.rounds > st->sync_rounds) {
		st->syncing = 0;
		if (r.online) {
			snprintf(text, sizeof text, tr(STR_MQ_SYNC_OK), (long long)r.queue_depth, (long long)r.dead);
			note(st, r.dead > 0 || r.queue_depth > 0 ? MAINT_WARN : MAINT_OK, text);
			queue_sync_detail(detail, sizeof detail, r.queue_depth, r.dead);
			maint_audit(a, "queue.sync", "ok", detail);
		} else {
			snprintf(text, sizeof text, tr(STR_MQ_SYNC_FAIL), r.last_error[0] ? r.last_error : "?");
			note(st, MAINT_FAIL, text);
			maint_audit(a, "queue.sync", "failed", "code=offline");
		}
		post_list(a, st);
	} else if (app_now_ms(a) >= st->sync_until) {
		st->syncing = 0;
		note(st, MAINT_WARN, tr(STR_MQ_SYNC_SLOW));
		maint_audit(a, "queue.sync", "failed", "code=timeout");
	}
	maint_dirty(a);
}

static void retry(struct app *a, struct qs *st, int i)
{
	struct retry_job *j;

	if (!st->list || i < 0 || i >= st->list->n)
		return;
	j = calloc(1, sizeof *j);
	if (!j)
		return;
	snprintf(j->key, sizeof j->key, "%s", st->list->dead[i].key);
	if (maint_job_post(a, job_retry, j) != 0) {
		free(j);
		note(st, MAINT_WARN, tr(STR_MQ_BUSY));
	}
}

static void export(struct app *a, struct qs *st)
{
	struct export_job *j = calloc(1, sizeof *j);
	char text[400];

	if (!j)
		return;
	snprintf(j->dir, sizeof j->dir, "%s", maint_removable_dir(a));
	j->kiosk = a->cfg.kiosk_id;
	j->now = app_now_ms(a) / 1000;
	snprintf(text, sizeof text, tr(STR_MQ_EXPORTING), j->dir);
	if (maint_job_post(a, job_export, j) != 0) {
		free(j);
		note(st, MAINT_WARN, tr(STR_MQ_BUSY));
		return;
	}
	note(st, MAINT_INFO, text);
}

static void retry_done(struct app *a, struct qs *st, const struct retry_job *j)
{
	char text[400], detail[64];

	queue_retry_detail(detail, sizeof detail, j->r, j->seq);
	maint_audit(a, "queue.retry", j->r == OUTBOX_RETRY_OK ? "ok" : "failed", detail);
	if (j->r == OUTBOX_RETRY_OK) {
		snprintf(text, sizeof text, tr(STR_MQ_RETRY_OK), (unsigned long long)j->seq);
		note(st, MAINT_OK, text);
	} else {
		note(st, MAINT_FAIL, tr(j->r == OUTBOX_RETRY_ERROR ? STR_MQ_RETRY_ERR : STR_MQ_RETRY_GONE));
	}
	post_list(a, st);
}

static void export_done(struct app *a, struct qs *st, const struct export_job *j)
{
	static const enum str_id msg[] = {
		[OUTBOX_EXPORT_OK] = STR_MQ_EXPORT_OK,       [OUTBOX_EXPORT_NO_DIR] = STR_MQ_EXPORT_NODIR,
		[OUTBOX_EXPORT_NOT_DIR] = STR_MQ_EXPORT_NOTDIR, [OUTBOX_EXPORT_READ_ONLY] = STR_MQ_EXPORT_RO,
		[OUTBOX_EXPORT_WRITE] = STR_MQ_EXPORT_FAIL,  [OUTBOX_EXPORT_DB] = STR_MQ_EXPORT_DB,
	};
	char text[1400], detail[64];
	unsigned rc = (unsigned)j->rc;

	queue_export_detail(detail, sizeof detail, j->rc, &j->res);
	maint_audit(a, "queue.export", j->rc == OUTBOX_EXPORT_OK ? "ok" : "failed", detail);
	if (rc >= sizeof msg / sizeof msg[0])
		rc = OUTBOX_EXPORT_DB;
	if (j->rc == OUTBOX_EXPORT_OK) {
		snprintf(text, sizeof text, tr(msg[rc]), (long long)j->res.events, (long long)j->res.dead, j->res.path);
	} else if (maint_media_unusable(&j->media)) {
		char m[200];
		maint_media_text(m, sizeof m, &j->media);
		snprintf(text, sizeof text, "%s %s", m, tr(STR_MQ_NOTHING_WRITTEN));
	} else
		snprintf(text, sizeof text, tr(msg[rc]), j->dir);
	note(st, j->rc == OUTBOX_EXPORT_OK ? MAINT_OK : MAINT_FAIL, text);
	if (j->rc != OUTBOX_EXPORT_OK)
		fprintf(stderr, "recaudo: queue export: %s\n", j->why); /* paths and codes only */
}

static void job_done(struct app *a, struct qs *st, struct maint_job_result *r)
{
	if (!r->done)
		return;
	if (r->fn == job_list) {
		struct list_job *j = r->arg;

		if (j && j->rc == 0) {
			free(st->list);
			st->list = j;
			r->arg = NULL; /* kept */
			if (st->first >= j->n)
				st->first = 0;
		} else {
			note(st, MAINT_FAIL, tr(STR_MQ_LIST_ERR));
		}
	} else if (r->fn == job_retry && r->arg) {
		retry_done(a, st, r->arg);
	} else if (r->fn == job_export && r->arg) {
		export_done(a, st, r->arg);
	}
}

static void enter(struct app *a, void *vs)
{
	post_list(a, vs);
}

static void leave(struct app *a, void *vs)
{
	struct qs *st = vs;

	(void)a;
	free(st->list);
	st->list = NULL;
}

static void handle(struct app *a, void *vs, const struct act_event *e)
{
	struct qs *st = vs;
	int page = a->ui.page_rows > 0 ? a->ui.page_rows : 1;

	switch (e->type) {
	case ACT_ACTION:
		switch (e->act.action - MAINT_ACT_SCREEN) {
		case A_SYNC: sync_now(a, st); break;
		case A_EXPORT: export(a, st); break;
		case A_REFRESH: post_list(a, st); break;
		case A_RETRY: retry(a, st, e->act.arg); break;
		case A_PREV: st->first = st->first > page ? st->first - page : 0; break;
		case A_NEXT:
			if (st->list && st->first + page < st->list->n)
				st->first += page;
			break;
		default: break;
		}
		break;
	case ACT_SCROLL:
		if (st->list && e->pages) {
			int f = st->first + e->pages * page;

			st->first = f < 0 ? 0 : f >= st->list->n ? st->first : f;
		}
		break;
	case ACT_JOB:
		if (e->job)
			job_done(a, st, e->job);
		break;
	case ACT_STATUS:
		sync_check(a, st);
		break;
	case ACT_TICK:
		sync_check(a, st);
		if (st->want_list && !maint_job_busy(a))
			post_list(a, st);
		break;
	default:
		break;
	}
	maint_dirty(a);
}

static int64_t next_deadline(const struct app *a, const void *vs)
{
	const struct qs *st = vs;

	if (st->syncing || st->want_list)
		return app_now_ms(a) + QS_POLL_MS;
	return INT64_MAX;
}

/* ---- drawing ---- */

static void ago(char *buf, size_t n, int64_t s)
{
	long long m = (long long)(s < 0 ? 0 : s) / 60;

	if (m < 1)
		snprintf(buf, n, tr(STR_MQ_AGO_S), (long long)(s < 0 ? 0 : s));
	else if (m < 60)
		snprintf(buf, n, tr(STR_MQ_AGO_MIN), m);
	else if (m < 48 * 60)
		snprintf(buf, n, tr(STR_MQ_AGO_H), m / 60, m % 60);
	else
		snprintf(buf, n, tr(STR_MQ_AGO_D), m / (24 * 60));
}

static void when(char *buf, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || !localtime_r(&tt, &tm) || !strftime(buf, n, "%d/%m %H:%M", &tm))
		snprintf(buf, n, "-");
}

static int draw_counts(struct app *a, const struct qs *st, struct ui_rect r)
{
	struct ui *ui = &a->ui;
	const struct outbox_counts *c = &st->list->c;
	int64_t now = app_now_ms(a) / 1000, waiting = c->pending + c->in_flight;
	char v[128];
	int y = r.y;

	char age[48];

	/* an event waiting more than an hour: the link or the server needs a look */
	ago(age, sizeof age, now - c->oldest_unsynced);
	if (waiting)
		snprintf(v, sizeof v, tr(STR_MQ_TO_SEND_V), (long long)c->pending, (long long)c->in_flight, age);
	else
		snprintf(v, sizeof v, "%s", tr(STR_MQ_TO_SEND_NONE));
	y += maint_row(ui, (struct ui_rect){r.x, y, r.w, 0},
		       !waiting ? MAINT_OK : now - c->oldest_unsynced > 3600 ? MAINT_WARN : MAINT_INFO,
		       tr(STR_MQ_TO_SEND), v);
	snprintf(v, sizeof v, "%lld", (long long)c->dead);
	y += maint_row(ui, (struct ui_rect){r.x, y, r.w, 0}, c->dead ? MAINT_FAIL : MAINT_OK, tr(STR_MQ_DEAD), v);
	snprintf(v, sizeof v, "%lld", (long long)c->acked);
	y += maint_row(ui, (struct ui_rect){r.x, y, r.w, 0}, MAINT_INFO, tr(STR_MQ_ACKED), v);
	when(v, sizeof v, c->last_sync);
	y += maint_row(ui, (struct ui_rect){r.x, y, r.w, 0}, MAINT_INFO, tr(STR_MQ_LAST_SYNC),
		       c->last_sync ? v : tr(STR_MQ_NEVER));
	return y - r.y;
}

/* The dead letters from st->first, as many as fit in r; the page buttons when they do not all. */
static void draw_dead(struct app *a, struct qs *st, struct ui_rect r, int busy)
{
	struct ui *ui = &a->ui;
	const struct list_job *l = st->list;
	int gap = ui_px(ui, 16), touch = ui_px(ui, TOUCH_MIN);
	int line = ui_line_h(ui, FONT_BODY), small = ui_line_h(ui, FONT_SMALL);
	/* portrait: the date and key on a line of their own (the row is narrow) */
	int lines_h = line + (ui->portrait ? 2 : 1) * small;
	int row_h = lines_h + 2 * gap > touch + gap ? lines_h + 2 * gap : touch + gap;
	int head = touch, fit, y;
	char text[300];

	if (l->n == 0) {
		ui_para(ui, r, FONT_BODY, 0, THEME_MUTED, UI_LEFT, tr(STR_MQ_NO_DEAD));
		return;
	}
	fit = (r.h - head - gap) / row_h;
	if (fit < 1)
		fit = 1;
	ui->page_rows = fit; /* a swipe or the wheel pages the list */
	if (st->first >= l->n)
		st->first = 0;
	/* header: the page and, when there is more than one, the page buttons */
	int last = st->first + fit < l->n ? st->first + fit : l->n;
	snprintf(text, sizeof text, tr(STR_MQ_PAGE), st->first + 1, last, (long long)l->c.dead);
	int bw = ui_px(ui, 260);
	if (l->n > fit) {
		ui_button(ui, (struct ui_rect){r.x + r.w - bw, r.y, bw, touch}, tr(STR_MQ_NEXT), UI_SECONDARY,
			  (struct ui_action){MAINT_ACT_SCREEN + A_NEXT, 0}, last < l->n);
		ui_button(ui, (struct ui_rect){r.x + r.w - 2 * bw - gap, r.y, bw, touch}, tr(STR_MQ_PREV),
			  UI_SECONDARY, (struct ui_action){MAINT_ACT_SCREEN + A_PREV, 0}, st->first > 0);
	}
	ui_label_fit(ui, r.x, r.y + (touch - line) / 2, l->n > fit ? r.w - 2 * bw - 2 * gap : r.w, FONT_BODY, 1,
		     THEME_TEXT, UI_LEFT, text);
	y = r.y + head + gap;
	int rw = ui_px(ui, 280), tw = r.w - rw - gap;
	for (int i = st->first; i < last; i++, y += row_h) {
		const struct outbox_dead_view *d = &l->dead[i];
		char at[32], what[160], whenkey[80];
		int ty = y + gap;

		ui_fill(ui, (struct ui_rect){r.x, y, r.w, ui_px(ui, 2)}, THEME_LINE);
		when(at, sizeof at, d->at);
		if (d->id_masked[0])
			snprintf(what, sizeof what, tr(STR_MQ_ROW_ID), (unsigned long long)d->seq, d->type, d->id_masked);
		else
			snprintf(what, sizeof what, tr(STR_MQ_ROW), (unsigned long long)d->seq, d->type);
		snprintf(whenkey, sizeof whenkey, tr(STR_MQ_ROW_WHEN), at, d->key);
		if (ui->portrait) {
			ui_label_fit(ui, r.x, ty, tw, FONT_BODY, 1, THEME_TEXT, UI_LEFT, what);
			ui_label_fit(ui, r.x, ty += line, tw, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, whenkey);
			ty += small;
		} else {
			snprintf(text, sizeof text, "%s · %s", what, whenkey);
			ui_label_fit(ui, r.x, ty, tw, FONT_BODY, 1, THEME_TEXT, UI_LEFT, text);
			ty += line;
		}
		ui_label_fit(ui, r.x, ty, tw, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, d->reason);
		ui_button(ui, (struct ui_rect){r.x + r.w - rw, y + (row_h - touch) / 2, rw, touch}, tr(STR_MQ_RETRY),
			  UI_SECONDARY, (struct ui_action){MAINT_ACT_SCREEN + A_RETRY, i}, !busy);
	}
	if (l->c.dead > l->n) {
		snprintf(text, sizeof text, tr(STR_MQ_MORE), l->n);
		ui_label_fit(ui, r.x, y + gap, r.w, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, text);
	}
}

static void draw(struct app *a, void *vs, struct ui_rect body)
{
	struct qs *st = vs;
	struct ui *ui = &a->ui;
	int busy = maint_job_busy(a);
	const char *labels[3] = {tr(STR_MQ_SYNC), tr(STR_MQ_EXPORT), tr(STR_MQ_REFRESH)};
	const int acts[3] = {A_SYNC, A_EXPORT, A_REFRESH};
	const int en[3] = {!st->syncing, !busy, !busy};
	struct ui_rect btns = maint_buttons(ui, body, labels, acts, en, 3);
	int gap = ui_px(ui, 24), bottom = btns.y - gap, y = body.y;

	if (st->list)
		y += draw_counts(a, st, (struct ui_rect){body.x, y, body.w, bottom - y});
	/* the last action's result, where the eye is: under the counts, above the list */
	if (st->note[0])
		y += maint_note(ui, (struct ui_rect){body.x, y, body.w, 0}, st->lv, st->note) + gap;
	if (!st->list) {
		ui_para(ui, (struct ui_rect){body.x, y, body.w, bottom - y}, FONT_BODY, 0, THEME_MUTED, UI_LEFT,
			tr(STR_MQ_LOADING));
		return;
	}
	draw_dead(a, st, (struct ui_rect){body.x, y, body.w, bottom - y}, busy);
}

const struct maint_screen maint_queue_screen = {
	.id = "maint-queue",
	.title = STR_MT_QUEUE,
	.state_size = sizeof(struct qs),
	.enter = enter,
	.handle = handle,
	.next_deadline = next_deadline,
	.draw = draw,
	.leave = leave,
};
