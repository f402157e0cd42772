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
#include "text.h"

enum { ACT_REFRESH, ACT_PAGE };

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
	int err_busy;        /* err is "another job is running", not a failure */
	int64_t at;          /* epoch s it was gathered at */
	int page, pages;     /* the page of lines shown, of how many (as the last frame laid out) */
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
		snprintf(s->err, sizeof s->err, "%s", tr(STR_MS_BUSY));
		s->err_busy = 1;
		maint_dirty(a);
		return;
	}
	s->err_busy = 0;
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
	if ((e->type == ACT_ACTION && e->act.action == MAINT_ACT_SCREEN + ACT_PAGE) ||
	    (e->type == ACT_SCROLL && s->pages > 1)) {
		int step = e->type == ACT_SCROLL && e->pages < 0 ? s->pages - 1 : 1;
		s->page = s->pages > 0 ? (s->page + step) % s->pages : 0;
		maint_dirty(a);
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
		s->err_busy = 0;
		maint_audit(a, "status.view", "failed", "gather");
	}
	maint_dirty(a);
}

/* The height maint_row (maint_ui.c) takes for a line in width w: its geometry (a 150 px chip,
 * the label on 2/5 of the rest, bold, the value on 3/5) measured without drawing, so a page
 * holds only the lines that fit. */
static int row_h(struct ui *ui, int w, const char *label, const char *value)
{
	int gap = ui_px(ui, SP_S), cw = ui_px(ui, 150), ch = ui_line_h(ui, FONT_SMALL) + ui_px(ui, SP_XS);
	int rest = w - cw - gap, lw = rest * 2 / 5;
	int n1 = text_wrap(ui->text, FONT_BODY, 1, label, lw - gap, NULL, NULL);
	int n2 = text_wrap(ui->text, FONT_BODY, 0, value, rest - lw, NULL, NULL);
	int h = (n1 > n2 ? n1 : n2) * ui_line_h(ui, FONT_BODY);
	return (h < ch ? ch : h) + gap;
}

/* Which page each line goes on, filling the columns of area one after the other: pages[i].
 * Returns the number of pages. */
static int paginate(struct app *a, const struct st *s, struct ui_rect area, int cols, int col_w, int pages[MS_LINES])
{
	char value[512];
	int page = 0, col = 0, y = 0;

	for (int i = 0; i < MS_LINES; i++) {
		maint_status_value(&s->ms, (enum ms_line)i, i18n_get(), value, sizeof value);
		int h = row_h(&a->ui, col_w, maint_status_label((enum ms_line)i, i18n_get()), value);
		if (y > 0 && y + h > area.h) { /* the next column, or the next page */
			y = 0;
			if (++col == cols) {
				col = 0;
				page++;
			}
		}
		pages[i] = page;
		y += h;
	}
	return page + 1;
}

static void draw(struct app *a, void *st, struct ui_rect body)
{
	struct st *s = st;
	struct ui *ui = &a->ui;
	const char *labels[2];
	static const int acts[2] = {ACT_REFRESH, ACT_PAGE};
	int enabled[2] = {!s->busy, 1};
	char note[320], value[512], more[64];

	/* "Más (1/2)" only when the lines need more than one page (one row of buttons either way) */
	labels[0] = tr(STR_MS_REFRESH);
	snprintf(more, sizeof more, tr(STR_MS_MORE), s->page + 1, s->pages);
	labels[1] = more;
	struct ui_rect btn = maint_buttons(ui, body, labels, acts, enabled, s->have && s->pages > 1 ? 2 : 1);
	int gap = ui_px(ui, 12);
	struct ui_rect area = {body.x, body.y, body.w, btn.y - body.y - gap};

	/* the line above the rows: checking, when, or why not */
	if (s->busy) {
		snprintf(note, sizeof note, "%s", tr(STR_MS_QUERYING));
	} else if (s->err[0] && s->err_busy) {
		snprintf(note, sizeof note, "%s", s->err);
	} else if (s->err[0]) {
		snprintf(note, sizeof note, tr(STR_MS_FAILED), s->err);
	} else if (s->have) {
		time_t t = (time_t)s->at;
		struct tm tm;
		char hhmm[16] = "";
		if (localtime_r(&t, &tm))
			strftime(hhmm, sizeof hhmm, "%H:%M:%S", &tm);
		snprintf(note, sizeof note, tr(STR_MS_CHECKED_AT), hhmm);
	} else {
		note[0] = 0;
	}
	int note_h = maint_note(ui, area, s->err[0] && !s->busy && !s->err_busy ? MAINT_FAIL : MAINT_INFO, note);
	note_h += note_h ? gap : 0;
	area.y += note_h;
	area.h -= note_h;
	if (!s->have)
		return;

	/* one column in portrait; two side by side on a landscape screen */
	int cols = body.w > body.h ? 2 : 1, pages[MS_LINES];
	int col_w = (area.w - (cols - 1) * gap) / cols;
	int n = paginate(a, s, area, cols, col_w, pages);
	if (n != s->pages) { /* the buttons change: drawn again at once */
		s->pages = n;
		maint_dirty(a);
	}
	if (s->page >= n)
		s->page = 0;
	if (n > 1)
		ui->page_rows = 1; /* a swipe or the wheel turns the page too */
	int col = 0, y = area.y;
	for (int i = 0; i < MS_LINES; i++) {
		if (pages[i] != s->page)
			continue;
		maint_status_value(&s->ms, (enum ms_line)i, i18n_get(), value, sizeof value);
		const char *label = maint_status_label((enum ms_line)i, i18n_get());
		if (y > area.y && y + row_h(ui, col_w, label, value) > area.y + area.h) {
			col++;
			y = area.y;
		}
		struct ui_rect r = {area.x + col * (col_w + gap), y, col_w, area.y + area.h - y};
		y += maint_row(ui, r, (enum maint_level)s->ms.level[i], label, value);
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
