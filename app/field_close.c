/* field-close: today's totals of the agent on this tablet (per business line and currency:
 * payments, voids, net; the cash to deposit; the receipt range and the voided numbers). Open:
 * "Cerrar el día" asks first, then closes in one transaction (field_close_day), prints the
 * close and exports the CSV to removable storage on the worker, showing the file written or
 * why not ("Reintentar exportación"). Closed: "Día cerrado", the close printed again, the
 * export again, and "Reabrir (supervisor)" with a supervisor's code and password.
 *
 * Also here, for field-reports: the totals' drawing, the export job and the print's result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "field_export.h"
#include "field_internal.h"
#include "field_print.h"
#include "maint_media.h"
#include "printq.h"

enum { JOB_EXPORT = 20, JOB_REOPEN_SUP = 21 };

/* ---- the totals, shared with field-reports ---- */

static void row_cells(struct app *a, struct ui_rect r, const char *const cell[5], int bold, struct rgba c)
{
	struct ui *ui = &a->ui;
	enum font_size fs = bold ? FONT_SMALL : FONT_BODY;
	int lw = r.w * 3 / 10, cw = (r.w - lw) / 3, p = ui_px(ui, SP_XS);
	ui_label_fit(ui, r.x, r.y, lw - p, fs, bold, c, UI_LEFT, cell[0]);
	for (int i = 0; i < 3; i++)
		ui_label_fit(ui, r.x + lw + (i + 1) * cw - p, r.y, cw - 2 * p, fs, bold || i == 2, c, UI_RIGHT,
			     cell[i + 1]);
}

int field_totals_draw(struct app *a, struct ui_rect r, const struct field_totals *t)
{
	/* a day's close says what to deposit; a range of days says what it netted */
	const char *cash_label = tr(t->from == t->to ? STR_FX_CASH : STR_FQ_NET);
	struct ui *ui = &a->ui;
	int p = ui_px(ui, SP_S), x = r.x + p, w = r.w - 2 * p, y = r.y + p / 2;
	int lb = ui_line_h(ui, FONT_BODY), ls = ui_line_h(ui, FONT_SMALL), bottom = r.y + r.h;
	if (t->receipts == 0) {
		y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 0, THEME_MUTED, UI_LEFT, tr(STR_FX_NO_RECEIPTS));
		return y + p / 2 - r.y;
	}
	/* the summary first: it is what the agent deposits */
	char cop[48], usd[48], line[400];
	field_money(cop, sizeof(cop), t->cash_cop_minor, CUR_COP);
	if (t->cash_usd_minor) {
		field_money(usd, sizeof(usd), t->cash_usd_minor, CUR_USD);
		snprintf(line, sizeof(line), "%s · %s", cop, usd);
	} else {
		snprintf(line, sizeof(line), "%s", cop);
	}
	int stacked = ui->portrait, lw = 0, aw = 0, th = 0;
	text_measure(ui->text, FONT_BODY, 1, cash_label, &lw, &th);
	text_measure(ui->text, FONT_TITLE, 1, line, &aw, &th);
	if (stacked || lw + aw + p > w) { /* the label over the amounts: neither is cut */
		ui_label_fit(ui, x, y, w, FONT_BODY, 1, THEME_MUTED, UI_LEFT, cash_label);
		y += lb;
	} else {
		ui_label(ui, x, y + (ui_line_h(ui, FONT_TITLE) - lb) / 2, FONT_BODY, 1, THEME_MUTED, UI_LEFT, cash_label);
	}
	ui_label_fit(ui, x + w, y, w, FONT_TITLE, 1, THEME_TEXT, UI_RIGHT, line);
	y += ui_line_h(ui, FONT_TITLE);
	snprintf(line, sizeof(line), tr(STR_FX_RANGE), (long long)t->receipts, (unsigned long long)t->first_number,
		 (unsigned long long)t->last_number);
	ui_label_fit(ui, x, y, w, FONT_SMALL, 0, THEME_TEXT, UI_LEFT, line);
	y += ls;
	if (t->voided) {
		char nums[240];
		size_t k = 0;
		nums[0] = 0;
		for (int i = 0; i < t->nvoid_numbers && k < sizeof(nums) - 8; i++)
			k += (size_t)snprintf(nums + k, sizeof(nums) - k, "%s%06llu", i ? ", " : "",
					      (unsigned long long)t->void_numbers[i]);
		if (t->voided > t->nvoid_numbers && k < sizeof(nums))
			snprintf(nums + k, sizeof(nums) - k, " …");
		snprintf(line, sizeof(line), tr(STR_FX_VOID_LIST), (long long)t->voided, nums);
	} else {
		snprintf(line, sizeof(line), "%s", tr(STR_FX_NO_VOIDS));
	}
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_SMALL, 0, t->voided ? THEME_DANGER : THEME_TEXT, UI_LEFT,
		     line) + p / 2;

	/* the table: line (currency) | payments | voids | net; in portrait each row on two lines
	 * (the line and its net, then payments and voids) so no amount is ever cut */
	const char *head[5] = {tr(STR_FX_LINE), tr(STR_FX_PAYMENTS), tr(STR_FX_VOIDS), tr(STR_FX_NET)};
	ui_fill(ui, (struct ui_rect){x, y, w, 2}, THEME_LINE);
	y += p / 2;
	if (stacked) {
		int nw = ui_label(ui, x + w, y, FONT_SMALL, 1, THEME_MUTED, UI_RIGHT, head[3]);
		ui_label_fit(ui, x, y, w - nw - p, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, head[0]);
	} else {
		row_cells(a, (struct ui_rect){x, y, w, ls}, head, 1, THEME_MUTED);
	}
	y += ls + p / 4;
	int rowh = lb + (stacked ? ls : 0) + ui_px(ui, SP_XS) / 2, fit = (bottom - p / 2 - y) / rowh;
	int show = t->nrows <= fit ? t->nrows : fit - 1; /* the last line then says what is left out */
	for (int i = 0; i < show; i++, y += rowh) {
		const struct field_totals_row *row = &t->rows[i];
		char name[80], pay[64], vo[64], net[48];
		snprintf(name, sizeof(name), "%s (%s)", row->line, currency_code(row->cur));
		field_money(net, sizeof(net), row->payments_minor, row->cur);
		snprintf(pay, sizeof(pay), "%lld · %s", (long long)row->payments, net);
		field_money(net, sizeof(net), row->voids_minor, row->cur);
		snprintf(vo, sizeof(vo), "%lld · %s", (long long)row->voids, net);
		field_money(net, sizeof(net), row->net_minor, row->cur);
		if (stacked) {
			int nw = ui_label(ui, x + w, y, FONT_BODY, 1, THEME_TEXT, UI_RIGHT, net);
			ui_label_fit(ui, x, y, w - nw - p, FONT_BODY, 0, THEME_TEXT, UI_LEFT, name);
			snprintf(line, sizeof(line), "%s %s   %s %s", tr(STR_FX_PAYMENTS), pay, tr(STR_FX_VOIDS), vo);
			ui_label_fit(ui, x, y + lb, w, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, line);
			continue;
		}
		const char *cell[5] = {name, pay, vo, net};
		row_cells(a, (struct ui_rect){x, y, w, lb}, cell, 0, THEME_TEXT);
	}
	if (show >= 0 && show < t->nrows) {
		snprintf(line, sizeof(line), tr(STR_FX_MORE_ROWS), t->nrows - show);
		ui_label_fit(ui, x, y, w, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, line);
		y += ls;
	}
	return y + p / 2 - r.y;
}

/* ---- the print's result and the export, shared with field-reports ---- */

int field_totals_print_done(struct app *a, const struct act_event *e)
{
	struct field *f = field_of(a);
	const char *ref = e->print->ref;
	size_t n = strlen(f->agent.code);
	if (f->x_print != FPS_QUEUED || ref[0] != 'f' || (ref[1] != 'c' && ref[1] != 'r') ||
	    strncmp(ref + 2, f->agent.code, n) != 0 || ref[2 + n] != '-')
		return 0;
	if (e->print->rc == 0) {
		f->x_print = FPS_PRINTED;
	} else {
		struct printer_words w = printer_words(&e->print->status, e->print->rc);
		f->x_print = FPS_FAILED;
		snprintf(f->x_print_err, sizeof(f->x_print_err), "%s", tr(w.job));
	}
	f->dirty = 1;
	return 1;
}

/* Queues the totals' slip (the close or a report) and notes where it stands. */
void field_totals_print(struct app *a, int is_close, const char *line)
{
	struct field *f = field_of(a);
	struct field_paper p;
	char err[160];
	field_paper_of(a, &p);
	f->x_print = FPS_QUEUED;
	if (!a->svc.pq || field_totals_submit(a->svc.pq, &p, f->agent.code, &f->totals, is_close, line, err,
					      sizeof(err)) != 0) {
		f->x_print = FPS_NOT_SENT;
		snprintf(f->x_print_err, sizeof(f->x_print_err), "%s", a->svc.pq ? err : tr(STR_FR_NO_PRINTER));
	}
	f->dirty = 1;
}

struct export_job {
	char dir[256];
	char agent[FIELD_AGENT_MAX];
	char device[FIELD_DEVICE_MAX];
	char line[FIELD_LINE_MAX];
	int32_t from, to;
	uint8_t key[32];
	char path[512];
	char err[200];
	int rc;
	int eject; /* field.x_export_eject's */
};

/* The stick mounted at the folder first where a helper does it (the kiosk image, on a tablet
 * too; docs/usb-media.md), and written out and unmounted after the export, good or not: the
 * agent takes it away at once. Elsewhere the folder is used as the system mounted it. */
static int export_job(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct export_job *j = arg;
	(void)msg, (void)msgn;
	if (!env->store) {
		snprintf(j->err, sizeof(j->err), "%s", "no store");
		j->rc = -1;
	} else {
		struct usbmedia_reply media;
		maint_media_mount(env->cfg, &media);
		if (maint_media_unusable(&media)) {
			maint_media_text(j->err, sizeof(j->err), &media);
			j->rc = -1;
		} else {
			j->rc = field_export_csv(env->store, j->dir, j->agent, j->device, j->from, j->to, j->line,
						 j->key, sizeof(j->key), j->path, sizeof(j->path), j->err,
						 sizeof(j->err));
			if (media.st == USBMEDIA_MOUNTED) {
				maint_media_eject(env->cfg, &media);
				j->eject = maint_media_done(&media) ? 1 : -1;
				if (j->eject < 0)
					fprintf(stderr, "recaudo: field export: the USB stick could not be ejected\n");
			}
		}
	}
	explicit_bzero(j->key, sizeof(j->key));
	return j->rc;
}

int field_export_post(struct app *a, int32_t from, int32_t to, const char *line)
{
	struct field *f = field_of(a);
	if (!a->cfg.field_export_dir[0]) {
		f->x_export = 3;
		snprintf(f->x_export_err, sizeof(f->x_export_err), "%s", tr(STR_FX_NO_EXPORT_DIR));
		f->dirty = 1;
		return -1;
	}
	struct export_job *j = calloc(1, sizeof(*j));
	if (!j)
		return -1;
	snprintf(j->dir, sizeof(j->dir), "%s", a->cfg.field_export_dir);
	snprintf(j->agent, sizeof(j->agent), "%s", f->agent.code);
	snprintf(j->device, sizeof(j->device), "%s", field_device(a));
	snprintf(j->line, sizeof(j->line), "%s", line ? line : "");
	j->from = from;
	j->to = to;
	memcpy(j->key, a->svc.key, sizeof(j->key));
	if (field_post(a, JOB_EXPORT, export_job, j) != 0) {
		explicit_bzero(j, sizeof(*j));
		free(j);
		field_say(a, UI_INFO, "%s", tr(STR_FX_BUSY));
		return -1;
	}
	f->x_export = 1;
	return 0;
}

int field_export_done(struct app *a, const struct act_event *e)
{
	struct field *f = field_of(a);
	if (e->type != ACT_JOB || e->job->fn != export_job)
		return 0;
	const struct export_job *j = e->job->arg;
	if (j->rc == 0) {
		f->x_export = 2;
		f->x_export_eject = j->eject;
		snprintf(f->export_path, sizeof(f->export_path), "%s", j->path);
	} else {
		f->x_export = 3;
		snprintf(f->x_export_err, sizeof(f->x_export_err), "%s", j->err[0] ? j->err : tr(STR_FV_ERROR));
	}
	f->dirty = 1;
	return 1;
}

int field_totals_status(struct app *a, struct ui_rect r)
{
	struct field *f = field_of(a);
	struct ui *ui = &a->ui;
	char t[760];
	int y = r.y, gap = ui_px(ui, SP_XS);
	if (f->x_print != FPS_NONE) {
		if (f->x_print == FPS_QUEUED)
			snprintf(t, sizeof(t), "%s", tr(STR_FX_PRINTING));
		else if (f->x_print == FPS_PRINTED)
			snprintf(t, sizeof(t), "%s", tr(STR_FX_PRINTED));
		else
			snprintf(t, sizeof(t), tr(STR_FX_PRINT_FAILED), f->x_print_err);
		y += ui_banner(ui, (struct ui_rect){r.x, y, r.w, 0}, t,
			       f->x_print == FPS_PRINTED ? UI_OK : f->x_print == FPS_QUEUED ? UI_INFO : UI_ERROR) + gap;
	}
	if (f->x_export) {
		if (f->x_export == 1)
			snprintf(t, sizeof(t), "%s", tr(STR_FX_EXPORTING));
		else if (f->x_export == 2) { /* the file's name: the folder is the stick's, configured */
			const char *slash = strrchr(f->export_path, '/');
			int n = snprintf(t, sizeof(t), tr(STR_FX_EXPORTED), slash ? slash + 1 : f->export_path);
			if (f->x_export_eject && n > 0 && (size_t)n < sizeof(t)) /* the stick, where a helper has it */
				snprintf(t + n, sizeof(t) - (size_t)n, ". %s",
					 tr(f->x_export_eject > 0 ? STR_MM_EJECTED : STR_FX_EJECT_FAILED));
		}
		else
			snprintf(t, sizeof(t), tr(STR_FX_EXPORT_FAILED), f->x_export_err);
		y += ui_banner(ui, (struct ui_rect){r.x, y, r.w, 0}, t,
			       f->x_export == 2 ? UI_OK : f->x_export == 1 ? UI_INFO : UI_ERROR) + gap;
	}
	return y - r.y;
}

/* ---- field-close ---- */

static void load(struct app *a)
{
	struct field *f = field_of(a);
	int32_t today = field_today(a);
	f->entered = 0;
	f->x_loaded = today;
	memset(&f->totals, 0, sizeof(f->totals));
	if (!a->svc.store)
		return;
	int closed = field_day_closed(a->svc.store, f->agent.code, today);
	if (closed < 0 || field_totals_get(a->svc.store, f->agent.code, field_device(a), today, today, NULL,
					   &f->totals) != 0) {
		field_say(a, UI_ERROR, tr(STR_FX_LOAD_ERROR), store_error(a->svc.store));
		return;
	}
	f->closed = closed;
}

static void reset(struct field *f)
{
	f->x_confirm = f->x_reopen = 0;
	f->x_print = FPS_NONE;
	f->x_export = 0;
	f->x_loaded = 0;
}

static void close_day(struct app *a)
{
	struct field *f = field_of(a);
	int32_t today = field_today(a);
	struct field_totals t;
	f->x_confirm = 0;
	if (!a->svc.store)
		return;
	int rc = field_close_day(a->svc.store, f->agent.code, field_device(a), today, field_now_s(a), &t);
	if (rc != 0) {
		if (rc != STORE_EINVAL)
			fprintf(stderr, "recaudo: field: close: %s\n", store_error(a->svc.store));
		field_say(a, UI_ERROR, tr(STR_FX_CLOSE_FAILED), store_error(a->svc.store));
		return;
	}
	f->totals = t;
	f->closed = 1;
	field_say(a, UI_OK, "%s", tr(STR_FX_CLOSED_OK));
	field_totals_print(a, 1, NULL); /* written first: now the paper and the file */
	field_export_post(a, today, today, NULL);
}

static void reopen(struct app *a, const char *sup)
{
	struct field *f = field_of(a);
	if (!a->svc.store)
		return;
	int rc = field_reopen_day(a->svc.store, f->agent.code, field_today(a), sup, field_now_s(a));
	if (rc != 0) {
		if (rc != STORE_EINVAL)
			fprintf(stderr, "recaudo: field: reopen: %s\n", store_error(a->svc.store));
		field_say(a, UI_ERROR, tr(STR_FX_REOPEN_FAILED), store_error(a->svc.store));
		return;
	}
	reset(f);
	load(a);
	if (!f->msg[0])
		field_say(a, UI_OK, "%s", tr(STR_FX_REOPENED));
}

static int handle(struct app *a, const struct act_event *e)
{
	struct field *f = field_of(a);
	int ok = 0;
	char sup[FIELD_CODE_MAX_LEN + 1];
	if (e->type == ACT_PRINT_DONE) {
		field_totals_print_done(a, e);
		return 1;
	}
	if (field_export_done(a, e))
		return 1;
	if (field_supervisor_done(a, e, &ok, sup, sizeof(sup))) {
		if (ok)
			reopen(a, sup);
		return 1;
	}
	if (e->type == ACT_JOB)
		return 1;
	if (f->job && f->x_reopen)
		return 1; /* nothing is typed while the check runs */
	int esc = e->type == ACT_KEY && e->key == APP_KEY_ESCAPE;
	if (f->x_confirm || f->x_reopen) {
		if (esc || (e->type == ACT_ACTION && e->act.action == FA_CANCEL)) {
			f->x_confirm = f->x_reopen = 0;
			ui_kbd_field_clear(&f->in[FI_SUP_PASS]);
			f->msg[0] = 0;
			f->dirty = 1;
			return 1;
		}
		if (f->x_confirm) { /* only its two buttons */
			if (e->type == ACT_ACTION && e->act.action == FA_CLOSE_OK)
				close_day(a);
			return 1;
		}
		int r = field_supervisor_keys(a, e, FA_REOPEN_OK);
		if (r == 2)
			field_supervisor_post(a, JOB_REOPEN_SUP);
		return r != 0;
	}
	if ((esc || (e->type == ACT_ACTION && (e->act.action == FA_HOME || e->act.action == FA_BACK))) && !f->job) {
		/* not while an export runs: its result (a stick missing or read-only) is said here */
		reset(f);
		field_go(a, FP_HOME);
		return 1;
	}
	if (e->type != ACT_ACTION)
		return 0;
	int act = e->act.action, closing = act == FA_CLOSE_DAY;
	if ((closing || act == FA_PRINT || act == FA_EXPORT || act == FA_REOPEN) && f->closed == closing)
		return 1; /* open: only the close; closed: all but the close */
	switch (act) {
	case FA_CLOSE_DAY:
		f->x_confirm = 1;
		break;
	case FA_PRINT:
		field_totals_print(a, 1, NULL);
		break;
	case FA_EXPORT:
		field_export_post(a, field_today(a), field_today(a), NULL);
		break;
	case FA_REOPEN:
		ui_kbd_field_clear(&f->in[FI_SUP_CODE]);
		ui_kbd_field_clear(&f->in[FI_SUP_PASS]);
		f->focus = FI_SUP_CODE;
		f->kbd = (struct ui_kbd){0};
		f->x_reopen = 1;
		f->msg[0] = 0;
		break;
	default:
		return 0;
	}
	f->dirty = 1;
	return 1;
}

static void confirm_dialog(struct app *a)
{
	struct ui *ui = &a->ui;
	int w = ui->w - 2 * screen_pad(ui), pad = ui_px(ui, SP_L), gap = ui_px(ui, SP_M), bh = ui_px(ui, 110);
	if (w > ui_px(ui, 1100))
		w = ui_px(ui, 1100);
	const char *body = tr(STR_FX_CONFIRM_BODY);
	int body_h = text_wrap(ui->text, FONT_BODY, 0, body, w - 2 * pad, NULL, NULL) * ui_line_h(ui, FONT_BODY);
	struct ui_rect in = ui_dialog(ui, w, 2 * pad + ui_line_h(ui, FONT_H1) + gap + body_h + gap + bh);
	ui_label(ui, in.x, in.y, FONT_H1, 1, THEME_TEXT, UI_LEFT, tr(STR_FX_CONFIRM_TITLE));
	ui_para(ui, (struct ui_rect){in.x, in.y + ui_line_h(ui, FONT_H1) + gap, in.w, 0}, FONT_BODY, 0, THEME_TEXT,
		UI_LEFT, body);
	int bw = (in.w - gap) / 2, by = in.y + in.h - bh;
	ui_button(ui, (struct ui_rect){in.x, by, bw, bh}, tr(STR_F_CANCEL), UI_SECONDARY, (struct ui_action){FA_CANCEL, 0},
		  1);
	ui_button(ui, (struct ui_rect){in.x + bw + gap, by, in.w - bw - gap, bh}, tr(STR_FX_CONFIRM_OK), UI_DANGER,
		  (struct ui_action){FA_CLOSE_OK, 0}, 1);
}

static void draw(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	if (f->entered)
		reset(f);
	if (f->entered || f->x_loaded != field_today(a))
		load(a);
	int top = field_top_bar(a, tr(STR_FX_TITLE)), pad = screen_pad(ui), gap = ui_px(ui, SP_S);
	int x = pad, w = ui->w - 2 * pad, y = top + gap, bh = ui_px(ui, 110);
	char day[32], head[96];
	date_format(day, sizeof(day), field_today(a));
	snprintf(head, sizeof(head), tr(STR_FX_DAY), day);
	int sw = ui_label(ui, x + w, y + (ui_line_h(ui, FONT_H1) - ui_line_h(ui, FONT_TITLE)) / 2, FONT_TITLE, 1,
			  f->closed ? THEME_DANGER : THEME_ACCENT, UI_RIGHT, tr(f->closed ? STR_FX_CLOSED : STR_FX_OPEN));
	ui_label_fit(ui, x, y, w - sw - gap, FONT_H1, 1, THEME_TEXT, UI_LEFT, head);
	y += ui_line_h(ui, FONT_H1) + gap / 2;
	if (f->x_reopen) {
		y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 1, THEME_TEXT, UI_LEFT, tr(STR_FX_REOPEN_ASK)) +
		     gap / 2;
		field_supervisor_form(a, (struct ui_rect){body.x, top, body.w, body.h - top}, y, tr(STR_FX_REOPEN_OK),
				      UI_PRIMARY, FA_REOPEN_OK);
		return;
	}
	y += field_message(a, (struct ui_rect){x, y, w, 0});
	y += field_totals_status(a, (struct ui_rect){x, y, w, 0});

	/* the buttons: open: Volver | Cerrar el día; closed: Volver | Reimprimir | Exportar | Reabrir */
	const char *lab[4];
	struct ui_action act[4];
	enum ui_style st[4];
	int n = 0;
	lab[n] = tr(STR_F_BACK), act[n] = (struct ui_action){FA_HOME, 0}, st[n++] = UI_SECONDARY;
	if (!f->closed) {
		lab[n] = tr(STR_FX_CLOSE), act[n] = (struct ui_action){FA_CLOSE_DAY, 0}, st[n++] = UI_PRIMARY;
	} else {
		lab[n] = tr(STR_FX_REPRINT), act[n] = (struct ui_action){FA_PRINT, 0}, st[n++] = UI_SECONDARY;
		lab[n] = tr(f->x_export == 3 ? STR_FX_EXPORT_RETRY : STR_FX_EXPORT_AGAIN);
		act[n] = (struct ui_action){FA_EXPORT, 0}, st[n++] = f->x_export == 3 ? UI_PRIMARY : UI_SECONDARY;
		lab[n] = tr(STR_FX_REOPEN), act[n] = (struct ui_action){FA_REOPEN, 0}, st[n++] = UI_DANGER;
	}
	int rows = ui->portrait && n > 2 ? 2 : 1, per = (n + rows - 1) / rows;
	int bw = (w - (per - 1) * gap) / per, by = ui->h - pad - rows * bh - (rows - 1) * gap;
	for (int i = 0; i < n; i++)
		ui_button(ui, (struct ui_rect){x + i % per * (bw + gap), by + i / per * (bh + gap), bw, bh}, lab[i], st[i],
			  act[i], act[i].action == FA_PRINT ? f->x_print != FPS_QUEUED : !f->job);
	struct ui_rect card = {x, y, w, by - gap - y};
	ui_round(ui, card, ui_px(ui, RADIUS), THEME_SURFACE);
	ui_round_outline(ui, card, ui_px(ui, RADIUS), 2, THEME_LINE);
	field_totals_draw(a, card, &f->totals);
	if (f->x_confirm)
		confirm_dialog(a);
}

const struct field_screen field_close_screen = {"field-close", draw, handle};
