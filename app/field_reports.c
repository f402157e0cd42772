/* field-reports: the agent's totals over a range of days (today on entry; "Desde"/"Hasta" a
 * day at a time, never after today nor crossed; presets "Hoy", "Ayer", "Últimos 7 días",
 * "Este mes"), filtered by business line (the lines found in the range, "Todas" first), drawn
 * as the close's; "Imprimir" queues the report slip and "Exportar" writes the range's CSV on
 * the worker (field_close.c holds both). The reads are the store's, on the UI thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "field_internal.h"

enum { R_TODAY, R_YESTERDAY, R_LAST7, R_MONTH, R_PRESETS };
static const enum str_id preset_names[R_PRESETS] = {STR_FQ_TODAY, STR_FQ_YESTERDAY, STR_FQ_LAST7, STR_FQ_MONTH};

static void preset(struct app *a, int which, int32_t *from, int32_t *to)
{
	int32_t today = field_today(a);
	*to = today;
	switch (which) {
	case R_YESTERDAY:
		*from = *to = date_add_days(today, -1);
		break;
	case R_LAST7:
		*from = date_add_days(today, -6);
		break;
	case R_MONTH:
		*from = today / 100 * 100 + 1;
		break;
	default:
		*from = today;
		break;
	}
}

static const char *line_filter(const struct field *f)
{
	return f->r_line >= 0 && f->r_line < f->r_nlines ? f->r_lines[f->r_line] : NULL;
}

/* The range's totals: every line first (the chips come from it), then the line picked. */
static void load(struct app *a)
{
	struct field *f = field_of(a);
	struct field_totals all;
	char keep[FIELD_LINE_MAX] = "";
	f->x_loaded = 1;
	memset(&f->totals, 0, sizeof(f->totals));
	if (line_filter(f))
		snprintf(keep, sizeof(keep), "%s", line_filter(f));
	f->r_line = -1;
	f->r_nlines = 0;
	if (!a->svc.store)
		return;
	if (field_totals_get(a->svc.store, f->agent.code, field_device(a), f->r_from, f->r_to, NULL, &all) != 0) {
		field_say(a, UI_ERROR, tr(STR_FX_LOAD_ERROR), store_error(a->svc.store));
		return;
	}
	int nmax = (int)(sizeof(f->r_lines) / sizeof(f->r_lines[0]));
	for (int i = 0; i < all.nrows && f->r_nlines < nmax; i++) {
		int j = 0;
		while (j < f->r_nlines && strcmp(f->r_lines[j], all.rows[i].line) != 0)
			j++;
		if (j == f->r_nlines) /* rows are per line and currency: each line once */
			snprintf(f->r_lines[f->r_nlines++], FIELD_LINE_MAX, "%s", all.rows[i].line);
		if (keep[0] && strcmp(f->r_lines[j], keep) == 0)
			f->r_line = j;
	}
	if (f->r_line < 0) {
		f->totals = all;
		return;
	}
	if (field_totals_get(a->svc.store, f->agent.code, field_device(a), f->r_from, f->r_to, line_filter(f),
			     &f->totals) != 0)
		field_say(a, UI_ERROR, tr(STR_FX_LOAD_ERROR), store_error(a->svc.store));
}

/* A new range or line: read again, and the paper and the file spoken of are no longer this. */
static void changed(struct field *f)
{
	f->x_loaded = 0;
	f->x_print = FPS_NONE;
	f->x_export = 0;
	f->msg[0] = 0;
	f->dirty = 1;
}

static int handle(struct app *a, const struct act_event *e)
{
	struct field *f = field_of(a);
	int32_t today = field_today(a);
	if (e->type == ACT_PRINT_DONE) {
		field_totals_print_done(a, e);
		return 1;
	}
	if (field_export_done(a, e) || e->type == ACT_JOB)
		return 1;
	if (((e->type == ACT_KEY && e->key == APP_KEY_ESCAPE) ||
	     (e->type == ACT_ACTION && (e->act.action == FA_HOME || e->act.action == FA_BACK))) &&
	    !f->job) { /* not while an export runs: its result is said here */
		changed(f);
		field_go(a, FP_HOME);
		return 1;
	}
	if (e->type != ACT_ACTION)
		return 0;
	int32_t d;
	switch (e->act.action) {
	case FA_R_FROM:
		d = date_add_days(f->r_from, e->act.arg);
		if (d && d <= f->r_to)
			f->r_from = d;
		break;
	case FA_R_TO:
		d = date_add_days(f->r_to, e->act.arg);
		if (d && d >= f->r_from && d <= today)
			f->r_to = d;
		break;
	case FA_R_RANGE:
		preset(a, e->act.arg, &f->r_from, &f->r_to);
		break;
	case FA_R_LINE:
		f->r_line = e->act.arg >= 0 && e->act.arg < f->r_nlines ? e->act.arg : -1;
		break;
	case FA_PRINT:
		field_totals_print(a, 0, line_filter(f));
		return 1;
	case FA_EXPORT:
		field_export_post(a, f->r_from, f->r_to, line_filter(f));
		f->dirty = 1;
		return 1;
	default:
		return 0;
	}
	changed(f);
	return 1;
}

/* "Desde -1 día" | Desde 15/11/2026 | "Desde +1 día" in r; returns nothing, r.h is the row. */
static void stepper(struct app *a, struct ui_rect r, int to)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	int gap = ui_px(ui, SP_XS), bw = r.w / 3 - gap, today = field_today(a);
	int32_t d = to ? f->r_to : f->r_from;
	char day[32];
	date_format(day, sizeof(day), d);
	ui_button(ui, (struct ui_rect){r.x, r.y, bw, r.h}, tr(to ? STR_FQ_TO_PREV : STR_FQ_FROM_PREV), UI_SECONDARY,
		  (struct ui_action){to ? FA_R_TO : FA_R_FROM, -1}, to ? f->r_to > f->r_from : 1);
	ui_button(ui, (struct ui_rect){r.x + r.w - bw, r.y, bw, r.h}, tr(to ? STR_FQ_TO_NEXT : STR_FQ_FROM_NEXT),
		  UI_SECONDARY, (struct ui_action){to ? FA_R_TO : FA_R_FROM, 1},
		  to ? f->r_to < today : f->r_from < f->r_to);
	int cx = r.x + bw + gap, cw = r.w - 2 * (bw + gap), ls = ui_line_h(ui, FONT_SMALL);
	int lt = ui_line_h(ui, FONT_TITLE), y = r.y + (r.h - ls - lt) / 2;
	ui_label_fit(ui, cx + cw / 2, y, cw, FONT_SMALL, 1, THEME_MUTED, UI_CENTER, tr(to ? STR_FQ_TO : STR_FQ_FROM));
	ui_label_fit(ui, cx + cw / 2, y + ls, cw, FONT_TITLE, 1, THEME_TEXT, UI_CENTER, day);
}

/* A row of n toggles: the selected one filled, with a check mark (not by colour alone). */
static void toggles(struct app *a, struct ui_rect r, const char *const *labels, int n, int sel, int action,
		    int first_arg)
{
	struct ui *ui = &a->ui;
	int gap = ui_px(ui, SP_XS), bw = (r.w - (n - 1) * gap) / n;
	for (int i = 0; i < n; i++) {
		char lab[FIELD_LINE_MAX + 8];
		snprintf(lab, sizeof(lab), "%s%s", i == sel ? "✓ " : "", labels[i]);
		ui_button(ui, (struct ui_rect){r.x + i * (bw + gap), r.y, bw, r.h}, lab, i == sel ? UI_PRIMARY : UI_SECONDARY,
			  (struct ui_action){action, first_arg + i}, 1);
	}
}

static void draw(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	(void)body;
	if (f->entered) { /* each visit starts on today, every line */
		f->entered = 0;
		preset(a, R_TODAY, &f->r_from, &f->r_to);
		f->r_line = -1;
		changed(f);
	}
	if (!f->x_loaded)
		load(a);
	int top = field_top_bar(a, tr(STR_FQ_TITLE)), pad = screen_pad(ui), gap = ui_px(ui, SP_S);
	int x = pad, w = ui->w - 2 * pad, y = top + gap, bh = ui_px(ui, TOUCH_MIN);

	/* the range: two steppers side by side (stacked in portrait), then the presets */
	if (ui->portrait) {
		stepper(a, (struct ui_rect){x, y, w, bh}, 0);
		y += bh + gap / 2;
		stepper(a, (struct ui_rect){x, y, w, bh}, 1);
	} else {
		int sw = (w - 2 * gap) / 2;
		stepper(a, (struct ui_rect){x, y, sw, bh}, 0);
		stepper(a, (struct ui_rect){x + w - sw, y, sw, bh}, 1);
	}
	y += bh + gap / 2;
	const char *names[R_PRESETS];
	int sel = -1;
	for (int i = 0; i < R_PRESETS; i++) {
		int32_t pf, pt;
		names[i] = tr(preset_names[i]);
		preset(a, i, &pf, &pt);
		if (sel < 0 && pf == f->r_from && pt == f->r_to)
			sel = i;
	}
	if (ui->portrait) { /* two a row: "Últimos 7 días" whole */
		toggles(a, (struct ui_rect){x, y, w, bh}, names, 2, sel, FA_R_RANGE, 0);
		y += bh + gap / 2;
		toggles(a, (struct ui_rect){x, y, w, bh}, names + 2, 2, sel - 2, FA_R_RANGE, 2);
	} else {
		toggles(a, (struct ui_rect){x, y, w, bh}, names, R_PRESETS, sel, FA_R_RANGE, 0);
	}
	y += bh + gap / 2;

	/* the business lines found in the range: "Todas" and up to 5 a row */
	const char *lines[1 + 16];
	int nl = 1 + f->r_nlines, per = ui->portrait ? 2 : 5;
	lines[0] = tr(STR_FQ_ALL_LINES);
	for (int i = 0; i < f->r_nlines; i++)
		lines[1 + i] = f->r_lines[i];
	for (int i = 0; i < nl; i += per, y += bh + gap / 2) {
		int k = nl - i < per ? nl - i : per;
		int rw = nl > per ? (w + gap) * k / per - gap : w;
		toggles(a, (struct ui_rect){x, y, rw, bh}, lines + i, k, f->r_line + 1 - i, FA_R_LINE, i - 1);
	}
	y += gap / 2;
	y += field_message(a, (struct ui_rect){x, y, w, 0});
	y += field_totals_status(a, (struct ui_rect){x, y, w, 0});

	/* Volver | Imprimir | Exportar at the bottom; the totals between */
	int bb = ui_px(ui, 110), by = ui->h - pad - bb, bw = (w - 2 * gap) / 3, some = f->totals.receipts > 0;
	ui_button(ui, (struct ui_rect){x, by, bw, bb}, tr(STR_F_BACK), UI_SECONDARY, (struct ui_action){FA_HOME, 0}, !f->job);
	ui_button(ui, (struct ui_rect){x + bw + gap, by, bw, bb}, tr(STR_FQ_PRINT), UI_PRIMARY,
		  (struct ui_action){FA_PRINT, 0}, some && f->x_print != FPS_QUEUED);
	ui_button(ui, (struct ui_rect){x + w - bw, by, bw, bb}, tr(STR_FQ_EXPORT), UI_PRIMARY,
		  (struct ui_action){FA_EXPORT, 0}, some && !f->job);
	struct ui_rect card = {x, y, w, by - gap - y};
	if (card.h < ui_line_h(ui, FONT_BODY) * 2)
		return;
	ui_round(ui, card, ui_px(ui, RADIUS), THEME_SURFACE);
	ui_round_outline(ui, card, ui_px(ui, RADIUS), 2, THEME_LINE);
	field_totals_draw(a, card, &f->totals);
}

const struct field_screen field_reports_screen = {"field-reports", draw, handle};
