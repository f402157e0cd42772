/* field-collect: the cash. The total to collect, the cash received typed on the keypad (or
 * "Exacto"), the change as it is typed, and optionally the bills and coins counted (the
 * breakdown then makes the cash). "Confirmar cobro" writes the receipt, its lines, the
 * payment.collected event and the audit row in one transaction (field_collect) before the
 * receipt is printed; a rule it breaks (the day closed, a balance changed, the cap on unsynced
 * cash) is said plainly and nothing is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "field_internal.h"
#include "field_print.h"

#define SEL_MAX ((int)(sizeof(((struct field *)0)->sel)))

static int64_t total_of(const struct field *f, enum currency *cur, int *n)
{
	int64_t t = 0;
	*n = 0;
	*cur = CUR_COP;
	for (int i = 0; i < f->cuotas.n && i < SEL_MAX; i++)
		if (f->sel[i]) {
			t += f->pay[i];
			*cur = f->cuotas.rows[i].doc.cur;
			(*n)++;
		}
	return t;
}

static int64_t denoms_sum(const struct field *f)
{
	struct field_denom d[FIELD_DENOM_COUNT];
	for (int k = 0; k < FIELD_DENOM_COUNT; k++)
		d[k] = (struct field_denom){field_cop_denoms[k], f->denom_count[k]};
	return field_denoms_total(d, FIELD_DENOM_COUNT);
}

/* The cash as it stands: the breakdown's sum, or the amount typed; -1 when none is given. */
static int64_t cash_of(const struct field *f)
{
	int64_t v;
	if (f->denoms_on)
		return denoms_sum(f);
	return f->cash[0] && money_parse_whole(f->cash, &v) == 0 ? v : -1;
}

static int data_too_old(struct app *a)
{
	if (!a->cfg.central_url[0] || a->st.data_as_of <= 0) /* standalone: local data is all there is */
		return 0;
	return field_now_s(a) - a->st.data_as_of > (int64_t)a->cfg.field_data_age_days * 86400;
}

static void confirm(struct app *a)
{
	struct field *f = field_of(a);
	struct field_collect_req q;
	enum currency cur;
	int n;
	int64_t total = total_of(f, &cur, &n), cash = cash_of(f);
	char err[sizeof(f->rc_paper_err)];
	if (n == 0 || cash < total)
		return;
	if (data_too_old(a)) {
		field_say(a, UI_ERROR, tr(STR_FK_DATA_OLD), a->cfg.field_data_age_days);
		return;
	}
	memset(&q, 0, sizeof(q));
	q.agent = f->agent.code;
	q.device_id = field_device(a);
	q.id_type = f->ct;
	q.id_number = f->cnum;
	q.cur = cur;
	for (int i = 0; i < f->cuotas.n && i < SEL_MAX && q.nlines < COUPON_MAX_DOCS; i++)
		if (f->sel[i]) {
			snprintf(q.lines[q.nlines].doc_number, sizeof(q.lines[0].doc_number), "%s",
				 f->cuotas.rows[i].doc.number);
			q.lines[q.nlines++].amount_minor = f->pay[i];
		}
	q.cash_minor = cash;
	if (f->denoms_on)
		for (int k = 0; k < FIELD_DENOM_COUNT; k++)
			if (f->denom_count[k] > 0)
				q.denoms[q.ndenoms++] = (struct field_denom){field_cop_denoms[k], f->denom_count[k]};
	q.now = field_now_s(a);
	q.day = field_today(a);
	q.cap_minor = f->agent.cap_minor >= 0 ? f->agent.cap_minor : (int64_t)a->cfg.field_max_unsynced * 100;
	if (!a->svc.store)
		return;
	int rc = field_collect(a->svc.store, &q, &f->rc);
	if (rc == STORE_EINVAL) {
		field_say(a, UI_ERROR, "%s", store_error(a->svc.store));
		return;
	}
	if (rc != 0) {
		fprintf(stderr, "recaudo: field: collection not written: %s\n", store_error(a->svc.store));
		field_say(a, UI_ERROR, "%s", tr(STR_FK_NOT_WRITTEN));
		return;
	}
	/* durable: now the paper; back home, the work list (not the search that found this client) */
	f->have_rc = 1;
	free(f->found);
	f->found = NULL;
	f->nfound = 0;
	ui_kbd_field_clear(&f->in[FI_SEARCH]);
	struct field_paper p;
	field_paper_of(a, &p);
	field_go(a, FP_RECEIPT);
	f->rc_paper_void = 0;
	f->rc_paper_err[0] = 0;
	if (a->svc.pq && field_receipt_submit(a->svc.pq, &p, &f->rc, 0, err, sizeof(err)) == 0) {
		f->rc_paper = FPS_QUEUED;
	} else {
		f->rc_paper = FPS_NOT_SENT;
		snprintf(f->rc_paper_err, sizeof(f->rc_paper_err), "%s", a->svc.pq ? err : tr(STR_FK_NO_PRINTER));
	}
	field_reload(a);
}

static int handle(struct app *a, const struct act_event *e)
{
	struct field *f = field_of(a);
	enum currency cur;
	int nsel;
	if (e->type == ACT_JOB)
		return 1;
	if (!f->denoms_on && field_digits(f->cash, sizeof(f->cash), e)) {
		/* typed or deleted */
	} else if ((e->type == ACT_ACTION && e->act.action == FA_CONFIRM) ||
		   (e->type == ACT_KEY && e->key == APP_KEY_ENTER)) {
		confirm(a);
		return 1;
	} else if (e->type == ACT_ACTION && e->act.action == FA_AMOUNT_OK) { /* "Exacto" */
		int64_t t = total_of(f, &cur, &nsel);
		f->denoms_on = 0;
		char digits[24];
		snprintf(digits, sizeof(digits), "%lld", (long long)((t + 99) / 100));
		if (strlen(digits) < sizeof(f->cash))
			memcpy(f->cash, digits, strlen(digits) + 1);
	} else if (e->type == ACT_ACTION && e->act.action == FA_DENOMS) {
		f->denoms_on = !f->denoms_on;
	} else if (e->type == ACT_ACTION && (e->act.action == FA_DENOM_PLUS || e->act.action == FA_DENOM_MINUS)) {
		int k = e->act.arg;
		if (k >= 0 && k < FIELD_DENOM_COUNT) {
			if (e->act.action == FA_DENOM_PLUS && f->denom_count[k] < 999)
				f->denom_count[k]++;
			else if (e->act.action == FA_DENOM_MINUS && f->denom_count[k] > 0)
				f->denom_count[k]--;
		}
	} else if ((e->type == ACT_ACTION && e->act.action == FA_BACK) ||
		   (e->type == ACT_KEY && e->key == APP_KEY_ESCAPE)) {
		field_go(a, FP_CLIENT);
		return 1;
	} else {
		return 0;
	}
	f->msg[0] = 0;
	f->dirty = 1;
	return 1;
}

/* The − and + keys show a sign; scripts press them by "- $ 20.000" / "+ $ 20.000". A
 * disabled key's hit box (its touch does nothing in field mode) is named the same way. */
static void sign_key(struct ui *ui, struct ui_rect r, const char *sign, const char *label, struct ui_action act,
		     int enabled)
{
	int before = ui->nhits;
	ui_button(ui, r, sign, UI_SECONDARY, act, enabled);
	if (ui->nhits > before)
		snprintf(ui->hits[ui->nhits - 1].label, sizeof(ui->hits[0].label), "%s", label);
}

static void draw_denoms(struct app *a, struct ui_rect r)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	int cols = 2, rows = (FIELD_DENOM_COUNT + 1) / 2, gap = ui_px(ui, SP_XS);
	int cw = (r.w - gap) / cols, rh = (r.h - (rows - 1) * gap) / rows, bw = rh * 3 / 4;
	int lh = ui_line_h(ui, FONT_SMALL);
	for (int k = 0; k < FIELD_DENOM_COUNT; k++) {
		struct ui_rect c = {r.x + (k / rows) * (cw + gap), r.y + (k % rows) * (rh + gap), cw, rh};
		char v[40], lab[64], cnt[16];
		field_money(v, sizeof(v), field_cop_denoms[k], CUR_COP);
		snprintf(cnt, sizeof(cnt), "× %d", f->denom_count[k]);
		ui_round(ui, c, ui_px(ui, RADIUS), f->denom_count[k] ? THEME_SELECTED : THEME_SURFACE);
		snprintf(lab, sizeof(lab), "- %s", v);
		sign_key(ui, (struct ui_rect){c.x, c.y, bw, rh}, "−", lab, (struct ui_action){FA_DENOM_MINUS, k},
			 f->denom_count[k] > 0);
		/* the value over its count, between the keys */
		int mx = c.x + bw + gap, mw = c.w - 2 * bw - 2 * gap, ty = c.y + (rh - 2 * lh) / 2;
		ui_label_fit(ui, mx + mw / 2, ty, mw, FONT_SMALL, 1, THEME_TEXT, UI_CENTER, v);
		ui_label_fit(ui, mx + mw / 2, ty + lh, mw, FONT_SMALL, f->denom_count[k] > 0, THEME_TEXT, UI_CENTER, cnt);
		snprintf(lab, sizeof(lab), "+ %s", v);
		sign_key(ui, (struct ui_rect){c.x + c.w - bw, c.y, bw, rh}, "+", lab, (struct ui_action){FA_DENOM_PLUS, k}, 1);
	}
}

static void draw(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	(void)body;
	int top = field_top_bar(a, tr(STR_FK_TITLE)), pad = screen_pad(ui), gap = ui_px(ui, SP_S);
	enum currency cur;
	int n;
	int64_t total = total_of(f, &cur, &n), cash = cash_of(f);
	int colw = ui->portrait ? ui->w - 2 * pad : (ui->w - 3 * pad) / 2;
	int x = pad, y = top + gap;
	char line[160], v[48];
	if (n == 1)
		snprintf(line, sizeof(line), tr(STR_FK_FOR1), f->cname[0] ? f->cname : f->cnum);
	else
		snprintf(line, sizeof(line), tr(STR_FK_FOR), n, f->cname[0] ? f->cname : f->cnum);
	y += ui_para(ui, (struct ui_rect){x, y, colw, 0}, FONT_BODY, 0, THEME_MUTED, UI_LEFT, line);
	field_money(v, sizeof(v), total, cur);
	ui_label(ui, x, y, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, tr(STR_FK_TOTAL));
	y += ui_line_h(ui, FONT_SMALL);
	ui_label_fit(ui, x, y, colw, FONT_DISPLAY, 1, THEME_TEXT, UI_LEFT, v);
	y += ui_line_h(ui, FONT_DISPLAY) + gap;
	/* the cash box */
	ui_label(ui, x, y, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, tr(f->denoms_on ? STR_FK_CASH_COUNTED : STR_FK_CASH));
	y += ui_line_h(ui, FONT_SMALL) + ui_px(ui, SP_XS) / 2;
	struct ui_rect box = {x, y, colw, ui_px(ui, 110)};
	ui_round(ui, box, ui_px(ui, RADIUS), THEME_SURFACE);
	ui_round_outline(ui, box, ui_px(ui, RADIUS), 4, THEME_BRAND);
	if (cash >= 0)
		field_money(v, sizeof(v), cash, cur);
	else
		snprintf(v, sizeof(v), "%s", cur == CUR_USD ? "USD" : "$");
	ui_label_fit(ui, box.x + ui_px(ui, SP_M), box.y + (box.h - ui_line_h(ui, FONT_H1)) / 2, box.w - ui_px(ui, 2 * SP_M),
		     FONT_H1, 1, THEME_TEXT, UI_LEFT, v);
	y += box.h + gap;
	/* the change, or what is missing (words, not colour alone) */
	if (cash >= total && n > 0) {
		field_money(v, sizeof(v), cash - total, cur);
		snprintf(line, sizeof(line), tr(STR_FK_CHANGE), v);
		y += ui_banner(ui, (struct ui_rect){x, y, colw, 0}, line, UI_OK) + gap;
	} else if (cash > 0) { /* nothing counted yet is not an error */
		field_money(v, sizeof(v), total - cash, cur);
		snprintf(line, sizeof(line), tr(STR_FK_MISSING), v);
		y += ui_banner(ui, (struct ui_rect){x, y, colw, 0}, line, UI_ERROR) + gap;
	}
	if (f->msg[0])
		y += field_message(a, (struct ui_rect){x, y, colw, 0});
	/* the right column (below in portrait): the keypad or the breakdown, then the buttons */
	int bh = ui_px(ui, TOUCH_MIN), rx = ui->portrait ? x : 2 * pad + colw;
	int ry = ui->portrait ? y : top + gap, rw = colw;
	int by = ui->h - pad - bh;
	int third = (rw - 2 * gap) / 3;
	ui_button(ui, (struct ui_rect){rx, by, third, bh}, tr(STR_F_BACK), UI_SECONDARY, (struct ui_action){FA_BACK, 0}, 1);
	ui_button(ui, (struct ui_rect){rx + third + gap, by, rw - third - gap, bh}, tr(STR_FK_CONFIRM), UI_ACCENT,
		  (struct ui_action){FA_CONFIRM, 0}, n > 0 && cash >= total);
	int ty = by - gap - bh;
	if (cur == CUR_COP)
		ui_button(ui, (struct ui_rect){rx, ty, (rw - gap) / 2, bh}, tr(f->denoms_on ? STR_FK_KEYPAD : STR_FK_DENOMS),
			  UI_SECONDARY, (struct ui_action){FA_DENOMS, 0}, 1);
	ui_button(ui, (struct ui_rect){rx + (rw + gap) / 2, ty, (rw - gap) / 2, bh}, tr(STR_FK_EXACT), UI_SECONDARY,
		  (struct ui_action){FA_AMOUNT_OK, 0}, 1);
	struct ui_rect pad_r = {rx, ry, rw, ty - gap - ry};
	if (f->denoms_on)
		draw_denoms(a, pad_r);
	else
		ui_keypad(ui, pad_r, 0);
}

const struct field_screen field_collect_screen = {"field-collect", draw, handle};
