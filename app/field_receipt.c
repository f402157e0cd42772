/* field-receipt: the receipt just written (f->rc), what became of its paper ("Recibo
 * T01-1001-000042 impreso", or why it did not print and "Reimprimir"), the client, the
 * documents paid, the total, the cash and the change; "Reimprimir copia" (a COPIA, never a
 * second original once the first may have reached the paper), "Anular recibo" (the same day
 * only, the day not closed: field-void) and "Volver al inicio". A voided receipt shows
 * ANULADO, the reason and who approved, and the void slip's paper. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "field_internal.h"
#include "field_print.h"
#include "printq.h"

/* 1 when ref ("f<agent>-<number>" or, void, "fv<agent>-<number>") names rc's paper. */
static int ref_is(const struct field_receipt *rc, const char *ref, int is_void)
{
	const char *p = ref + 1 + (is_void != 0);
	size_t n = strlen(rc->agent);
	if (ref[0] != 'f' || (is_void && ref[1] != 'v') || strncmp(p, rc->agent, n) != 0 || p[n] != '-')
		return 0;
	char *end = NULL;
	unsigned long long num = strtoull(p + n + 1, &end, 10);
	return end && !*end && num == rc->number;
}

static void paper_failed(struct field *f, enum field_paper_state st, const char *why)
{
	f->rc_paper = st;
	snprintf(f->rc_paper_err, sizeof(f->rc_paper_err), "%s", why);
	f->dirty = 1;
}

static void reprint(struct app *a, int copy)
{
	struct field *f = field_of(a);
	struct field_paper p;
	char err[160];
	if (!f->have_rc)
		return;
	field_paper_of(a, &p);
	f->rc_paper_void = 0;
	if (!a->svc.pq) {
		paper_failed(f, FPS_NOT_SENT, tr(STR_FR_NO_PRINTER));
		return;
	}
	if (field_receipt_submit(a->svc.pq, &p, &f->rc, copy, err, sizeof(err)) != 0) {
		fprintf(stderr, "recaudo: field: receipt not queued: %s\n", err);
		paper_failed(f, FPS_NOT_SENT, err);
		return;
	}
	f->rc_paper = FPS_QUEUED;
	f->dirty = 1;
}

static void ask_void(struct app *a)
{
	struct field *f = field_of(a);
	if (!f->have_rc || f->rc.voided)
		return;
	if (f->rc.day != field_today(a)) {
		field_say(a, UI_ERROR, "%s", tr(STR_FR_OTHER_DAY));
		return;
	}
	int closed = a->svc.store ? field_day_closed(a->svc.store, f->agent.code, f->rc.day) : 0;
	if (closed < 0) {
		field_say(a, UI_ERROR, tr(STR_FV_FAILED), store_error(a->svc.store));
		return;
	}
	f->closed = closed;
	if (closed) {
		field_say(a, UI_ERROR, "%s", tr(STR_FR_DAY_CLOSED));
		return;
	}
	ui_kbd_field_clear(&f->in[FI_REASON]);
	ui_kbd_field_clear(&f->in[FI_SUP_CODE]);
	ui_kbd_field_clear(&f->in[FI_SUP_PASS]);
	f->focus = FI_REASON;
	field_go(a, FP_VOID);
}

static int handle(struct app *a, const struct act_event *e)
{
	struct field *f = field_of(a);
	if (e->type == ACT_PRINT_DONE) {
		if (!f->have_rc || f->rc_paper != FPS_QUEUED || !ref_is(&f->rc, e->print->ref, f->rc_paper_void))
			return 1;
		if (e->print->rc == 0) {
			f->rc_paper = FPS_PRINTED;
			f->dirty = 1;
		} else { /* a job that never reached the printer may print the original again */
			struct printer_words w = printer_words(&e->print->status, e->print->rc);
			paper_failed(f, e->print->rc == PRINTQ_ERR_STALE ? FPS_NOT_SENT : FPS_FAILED, tr(w.job));
		}
		return 1;
	}
	if (e->type == ACT_JOB)
		return 1;
	if (e->type == ACT_KEY && e->key == APP_KEY_ESCAPE) {
		field_go(a, FP_HOME);
		return 1;
	}
	if (e->type != ACT_ACTION)
		return 0;
	switch (e->act.action) {
	case FA_REPRINT:
		reprint(a, 1);
		return 1;
	case FA_RETRY_PRINT:
		if (f->rc_paper_void) { /* the void slip again */
			struct field_paper p;
			char err[160];
			field_paper_of(a, &p);
			if (!a->svc.pq || field_void_submit(a->svc.pq, &p, &f->rc, err, sizeof(err)) != 0)
				paper_failed(f, FPS_NOT_SENT, a->svc.pq ? err : tr(STR_FR_NO_PRINTER));
			else
				f->rc_paper = FPS_QUEUED;
			f->dirty = 1;
		} else {
			reprint(a, e->act.arg);
		}
		return 1;
	case FA_VOID:
		ask_void(a);
		return 1;
	case FA_HOME:
		field_go(a, FP_HOME);
		return 1;
	default:
		return 0;
	}
}

/* The headline: the receipt's label and its paper. */
static void headline(struct app *a, char *out, size_t n, enum ui_banner_kind *kind)
{
	struct field *f = field_of(a);
	char label[64];
	field_receipt_label(label, sizeof(label), f->rc.device_id, f->rc.agent, f->rc.number);
	int v = f->rc_paper_void;
	switch (f->rc_paper) {
	case FPS_QUEUED:
		snprintf(out, n, tr(v ? STR_FR_VOID_PRINTING : STR_FR_PRINTING), label);
		*kind = UI_INFO;
		break;
	case FPS_PRINTED:
		snprintf(out, n, tr(v ? STR_FR_VOID_PRINTED : STR_FR_PRINTED), label);
		*kind = v ? UI_INFO : UI_OK;
		break;
	case FPS_NONE: { /* opened from the client's history: no paper asked for yet */
		char when[32];
		screen_datetime(when, sizeof(when), f->rc.at);
		snprintf(out, n, tr(STR_FR_OPENED), label, when);
		*kind = UI_INFO;
		break;
	}
	default:
		snprintf(out, n, tr(v ? STR_FR_VOID_FAILED : STR_FR_NOT_PRINTED), label, f->rc_paper_err);
		*kind = UI_ERROR;
		break;
	}
}

/* One "label ........ amount" line; returns its height. */
static int amount_line(struct ui *ui, int x, int y, int w, enum font_size fs, int bold, const char *label,
		       const char *amount)
{
	int aw = ui_label(ui, x + w, y, fs, bold, THEME_TEXT, UI_RIGHT, amount);
	ui_label_fit(ui, x, y, w - aw - ui_px(ui, SP_S), fs, bold, THEME_MUTED, UI_LEFT, label);
	return ui_line_h(ui, fs);
}

static void draw_docs(struct app *a, struct ui_rect r)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	int p = ui_px(ui, SP_S), lb = ui_line_h(ui, FONT_BODY), ls = ui_line_h(ui, FONT_SMALL);
	int y = r.y + p, w = r.w - 2 * p, x = r.x + p, rowh = lb + ls + ui_px(ui, SP_XS);
	ui_label_fit(ui, x, y, w, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, tr(STR_FR_DOCS));
	y += ls + ui_px(ui, SP_XS);
	int fit = (r.y + r.h - p - y) / rowh;
	if (fit < 1)
		fit = 1;
	int show = f->rc.nlines <= fit ? f->rc.nlines : fit - 1;
	for (int i = 0; i < show; i++, y += rowh) {
		const struct field_receipt_line *l = &f->rc.lines[i];
		char amt[48], due[24], sub[200];
		field_money(amt, sizeof(amt), l->amount_minor, f->rc.cur);
		due[0] = 0;
		if (l->due)
			date_format(due, sizeof(due), l->due);
		/* "Vehículos · Cuota 5 de 24 · 05/11/2026", what is known of it */
		snprintf(sub, sizeof(sub), "%s%s%s%s%s", l->line, l->description[0] ? " · " : "", l->description,
			 due[0] ? " · " : "", due);
		amount_line(ui, x, y, w, FONT_BODY, 0, l->doc_number, amt);
		ui_label_fit(ui, x, y + lb, w, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, sub);
	}
	if (show < f->rc.nlines) {
		char more[64];
		snprintf(more, sizeof(more), tr(STR_FR_MORE_DOCS), f->rc.nlines - show);
		ui_label_fit(ui, x, y, w, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, more);
	}
}

/* The client, ANULADO when void, and the money: total, cash, change (money_h: its height). */
static void draw_money(struct app *a, struct ui_rect r)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	int p = ui_px(ui, SP_S), x = r.x + p, w = r.w - 2 * p, y = r.y + p;
	char id[64], m[48];
	ui_label_fit(ui, x, y, w, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, tr(STR_FR_CLIENT));
	y += ui_line_h(ui, FONT_SMALL);
	ui_label_fit(ui, x, y, w, FONT_BODY, 1, THEME_TEXT, UI_LEFT, f->rc.customer_name);
	y += ui_line_h(ui, FONT_BODY);
	snprintf(id, sizeof(id), "%s %s", id_type_code(f->rc.id_type), f->rc.id_number);
	ui_label_fit(ui, x, y, w, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, id);
	y += ui_line_h(ui, FONT_SMALL) + p;
	if (f->rc.voided) {
		char why[240];
		ui_label(ui, x, y, FONT_H1, 1, THEME_DANGER, UI_LEFT, tr(STR_FR_VOIDED));
		y += ui_line_h(ui, FONT_H1);
		snprintf(why, sizeof(why), tr(STR_FR_VOID_WHY), f->rc.void_reason, f->rc.void_by);
		y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_SMALL, 0, THEME_DANGER, UI_LEFT, why) + p;
	}
	field_money(m, sizeof(m), f->rc.amount_minor, f->rc.cur);
	y += amount_line(ui, x, y, w, FONT_TITLE, 1, tr(STR_FR_TOTAL), m);
	field_money(m, sizeof(m), f->rc.cash_minor, f->rc.cur);
	y += amount_line(ui, x, y, w, FONT_BODY, 0, tr(STR_FR_CASH), m);
	field_money(m, sizeof(m), f->rc.change_minor, f->rc.cur);
	amount_line(ui, x, y, w, FONT_TITLE, 1, tr(STR_FR_CHANGE), m);
}

/* What draw_money will take at width w, so its card is drawn first. */
static int money_h(struct app *a, int w)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	int p = ui_px(ui, SP_S), h = 3 * p + 2 * ui_line_h(ui, FONT_SMALL) + 2 * ui_line_h(ui, FONT_BODY) +
				     2 * ui_line_h(ui, FONT_TITLE);
	if (f->rc.voided) {
		char why[240];
		snprintf(why, sizeof(why), tr(STR_FR_VOID_WHY), f->rc.void_reason, f->rc.void_by);
		h += ui_line_h(ui, FONT_H1) + p +
		     text_wrap(ui->text, FONT_SMALL, 0, why, w - 2 * p, NULL, NULL) * ui_line_h(ui, FONT_SMALL);
	}
	return h;
}

static void card(struct ui *ui, struct ui_rect r)
{
	ui_round(ui, r, ui_px(ui, RADIUS), THEME_SURFACE);
	ui_round_outline(ui, r, ui_px(ui, RADIUS), 2, THEME_LINE);
}

static void draw(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	int top = field_top_bar(a, tr(STR_FR_TITLE)), pad = screen_pad(ui), gap = ui_px(ui, SP_S);
	int x = pad, w = ui->w - 2 * pad, y = top + gap, bh = ui_px(ui, 110);
	(void)body;
	if (!f->have_rc) {
		ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 0, THEME_MUTED, UI_LEFT, tr(STR_FR_NONE));
		ui_button(ui, (struct ui_rect){x, ui->h - pad - bh, w, bh}, tr(STR_FR_HOME), UI_PRIMARY,
			  (struct ui_action){FA_HOME, 0}, 1);
		return;
	}
	char head[400];
	enum ui_banner_kind kind;
	headline(a, head, sizeof(head), &kind);
	y += ui_banner(ui, (struct ui_rect){x, y, w, 0}, head, kind) + gap;
	y += field_message(a, (struct ui_rect){x, y, w, 0});

	/* the buttons: the paper first, then the void, then home; stacked in pairs on narrow screens */
	int failed = f->rc_paper == FPS_FAILED || f->rc_paper == FPS_NOT_SENT;
	int can_void = !f->rc.voided && f->rc.day == field_today(a) && !f->job;
	const char *lp = tr(failed ? STR_FR_REPRINT : STR_FR_COPY);
	struct ui_action ap = failed ? (struct ui_action){FA_RETRY_PRINT, f->rc_paper == FPS_FAILED}
				     : (struct ui_action){FA_REPRINT, 1};
	int by = ui->h - pad - bh, bw3 = (w - 2 * gap) / 3;
	if (ui->portrait) {
		by -= 2 * (bh + gap);
		ui_button(ui, (struct ui_rect){x, by, w, bh}, lp, failed ? UI_PRIMARY : UI_SECONDARY, ap,
			  f->rc_paper != FPS_QUEUED);
		ui_button(ui, (struct ui_rect){x, by + bh + gap, w, bh}, tr(STR_FR_VOID), UI_DANGER,
			  (struct ui_action){FA_VOID, 0}, can_void);
		ui_button(ui, (struct ui_rect){x, by + 2 * (bh + gap), w, bh}, tr(STR_FR_HOME),
			  failed ? UI_SECONDARY : UI_PRIMARY, (struct ui_action){FA_HOME, 0}, 1);
	} else {
		ui_button(ui, (struct ui_rect){x, by, bw3, bh}, lp, failed ? UI_PRIMARY : UI_SECONDARY, ap,
			  f->rc_paper != FPS_QUEUED);
		ui_button(ui, (struct ui_rect){x + bw3 + gap, by, bw3, bh}, tr(STR_FR_VOID), UI_DANGER,
			  (struct ui_action){FA_VOID, 0}, can_void);
		ui_button(ui, (struct ui_rect){x + w - bw3, by, bw3, bh}, tr(STR_FR_HOME),
			  failed ? UI_SECONDARY : UI_PRIMARY, (struct ui_action){FA_HOME, 0}, 1);
	}
	int bottom = by - gap;

	/* landscape: the documents left, the money right; portrait: the money, then the documents */
	if (ui->portrait) {
		int mh = money_h(a, w);
		card(ui, (struct ui_rect){x, y, w, mh});
		draw_money(a, (struct ui_rect){x, y, w, mh});
		y += mh + gap;
		card(ui, (struct ui_rect){x, y, w, bottom - y});
		draw_docs(a, (struct ui_rect){x, y, w, bottom - y});
	} else {
		int mw = w * 9 / 20, dw = w - mw - gap;
		card(ui, (struct ui_rect){x, y, dw, bottom - y});
		draw_docs(a, (struct ui_rect){x, y, dw, bottom - y});
		card(ui, (struct ui_rect){x + dw + gap, y, mw, bottom - y});
		draw_money(a, (struct ui_rect){x + dw + gap, y, mw, bottom - y});
	}
}

const struct field_screen field_receipt_screen = {"field-receipt", draw, handle};
