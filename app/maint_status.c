/* Estado (maint-status): the dashboard (app/maint_status.h). On entry and on "Actualizar" it
 * gathers everything on the maintenance worker — quick_check reads every page of the store and
 * the heartbeat waits on the network, so never on the UI thread — shows "Consultando…"
 * meanwhile, then one maint_row per line: a chip with the level's word and the line's words.
 * Each gathering is audited (status.view, ok | failed, the levels counted). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "maint.h"
#include "maint_status.h"

#include "app.h"

enum { ACT_REFRESH };

/* What a job takes and gives back (one malloc block). */
struct job {
	struct printer_status printer;
	int have_printer;
	int64_t now;
	struct maint_status out;
};

struct st {
	int busy;            /* a job is out */
	int have;            /* ms holds a result */
	struct maint_status ms;
	char err[256];       /* the last job's failure, "" if none */
	int64_t at;          /* epoch s it was gathered at */
};

static int status_job(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct job *j = arg;

	if (!env->store) {
		snprintf(msg, msgn, "the store could not be opened");
		return -1;
	}
	struct maint_status_in in = {.cfg = env->cfg, .data_dir = env->data_dir, .now = j->now,
				     .printer = j->have_printer ? &j->printer : NULL, .in_kiosk = 1};
	if (maint_status_gather(env->store, &in, &j->out) != 0) {
		snprintf(msg, msgn, "%s", store_error(env->store));
		return -1;
	}
	return 0;
}

static void refresh(struct app *a, struct st *s)
{
	struct job *j = calloc(1, sizeof *j);

	if (!j)
		return;
	/* the print worker's last report; without a printer open the job asks it itself */
	if (a->svc.printer) {
		j->printer = a->printer_status;
		j->have_printer = 1;
	}
	j->now = app_now_ms(a) / 1000;
	if (maint_job_post(a, status_job, j) != 0) {
		free(j); /* another screen's job is still running: "Actualizar" stays available */
		return;
	}
	s->busy = 1;
	s->err[0] = 0;
	maint_dirty(a);
}

static void enter(struct app *a, void *st)
{
	refresh(a, st);
}

static void handle(struct app *a, void *st, const struct act_event *e)
{
	struct st *s = st;

	if (e->type == ACT_ACTION && e->act.action == MAINT_ACT_SCREEN + ACT_REFRESH) {
		if (!s->busy)
			refresh(a, s);
		return;
	}
	if (e->type != ACT_JOB || !e->job || e->job->fn != status_job || !e->job->done)
		return;
	s->busy = 0;
	if (e->job->rc == 0 && e->job->arg) {
		const struct job *j = e->job->arg;
		char detail[64];
		int n[4] = {0};

		s->ms = j->out;
		s->have = 1;
		s->at = j->now;
		for (int i = 0; i < MS_LINES; i++)
			n[s->ms.level[i]]++;
		snprintf(detail, sizeof detail, "overall=%s fail=%d warn=%d",
			 maint_status_level_name(maint_status_overall(&s->ms)), n[MS_FAIL], n[MS_WARN]);
		maint_audit(a, "status.view", "ok", detail);
	} else {
		snprintf(s->err, sizeof s->err, "%s", e->job->msg);
		maint_audit(a, "status.view", "failed", "gather");
	}
	maint_dirty(a);
}

static void draw(struct app *a, void *st, struct ui_rect body)
{
	struct st *s = st;
	struct ui *ui = &a->ui;
	static const char *labels[1];
	static const int acts[1] = {ACT_REFRESH};
	int enabled[1] = {!s->busy};
	char note[320], value[512];

	labels[0] = tr(STR_MS_REFRESH);
	struct ui_rect btn = maint_buttons(ui, body, labels, acts, enabled, 1);
	int gap = ui_px(ui, 12);
	struct ui_rect area = {body.x, body.y, body.w, btn.y - body.y - gap};

	/* the line under the rows: checking, when, or why not */
	if (s->busy) {
		snprintf(note, sizeof note, "%s", tr(STR_MS_QUERYING));
	} else if (s->err[0]) {
		snprintf(note, sizeof note, tr(STR_MS_FAILED), s->err);
	} else {
		time_t t = (time_t)s->at;
		struct tm tm;
		char hhmm[16] = "";
		if (localtime_r(&t, &tm))
			strftime(hhmm, sizeof hhmm, "%H:%M:%S", &tm);
		snprintf(note, sizeof note, tr(STR_MS_CHECKED_AT), hhmm);
	}
	int note_h = ui_line_h(ui, FONT_BODY) + ui_px(ui, 16);
	maint_note(ui, (struct ui_rect){area.x, area.y + area.h - note_h, area.w, note_h},
		   s->busy ? MAINT_INFO : s->err[0] ? MAINT_FAIL : MAINT_INFO, note);
	area.h -= note_h + gap;
	if (!s->have)
		return;

	/* one column in portrait; two side by side on a landscape screen */
	int cols = body.w > body.h ? 2 : 1, per = (MS_LINES + cols - 1) / cols;
	int col_w = (area.w - (cols - 1) * gap) / cols;
	for (int c = 0; c < cols; c++) {
		int y = area.y;
		for (int i = c * per; i < (c + 1) * per && i < MS_LINES; i++) {
			struct ui_rect r = {area.x + c * (col_w + gap), y, col_w, area.y + area.h - y};
			if (r.h <= 0)
				break;
			maint_status_value(&s->ms, (enum ms_line)i, i18n_get(), value, sizeof value);
			y += maint_row(ui, r, (enum maint_level)s->ms.level[i], maint_status_label((enum ms_line)i, i18n_get()),
				       value);
		}
	}
}

const struct maint_screen maint_status_screen = {
	.id = "maint-status",
	.title = STR_MT_STATUS,
	.state_size = sizeof(struct st),
	.enter = enter,
	.handle = handle,
	.draw = draw,
};
