/* field-client: a client's instalments (cuotas) as in the broker portal (seed 001), with its
 * filters: business line, status (pendiente, vencida, pagada, anulada) and the date range,
 * the last two months by default and cleared with ✕. Owed instalments are selectable, several
 * at once, in one currency; the amount of each is editable within the document's rules (the
 * minimum of a partial payment, the balance) on a keypad, as at the kiosk. "Cobrar" goes on to
 * the cash. Changing a filter reads the list again and drops the selection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "field_internal.h"

#define SEL_MAX ((int)(sizeof(((struct field *)0)->sel)))

static const enum str_id status_names[FIELD_CUOTA_STATUS_COUNT] = {STR_FC_PENDIENTE, STR_FC_VENCIDA, STR_FC_PAGADA,
								   STR_FC_ANULADA};

static int owed(const struct field_cuota *c)
{
	return (c->status == FIELD_CUOTA_PENDIENTE || c->status == FIELD_CUOTA_VENCIDA) && c->doc.balance > 0;
}

void field_load_cuotas(struct app *a)
{
	struct field *f = field_of(a);
	field_cuotas_free(&f->cuotas);
	memset(f->sel, 0, sizeof(f->sel));
	memset(f->pay, 0, sizeof(f->pay));
	f->editing = -1;
	f->cpage = 0;
	if (!a->svc.store)
		return;
	int rc = field_cuotas_get(a->svc.store, f->ct, f->cnum, field_today(a), &f->filter, &f->cuotas);
	if (rc < 0)
		field_say(a, UI_ERROR, tr(STR_FH_LOAD_ERROR), store_error(a->svc.store));
	else if (rc == 1)
		field_say(a, UI_ERROR, "%s", tr(STR_FC_UNKNOWN));
	else if (f->cuotas.name[0])
		snprintf(f->cname, sizeof(f->cname), "%s", f->cuotas.name);
	/* after the close nothing more is collected today: said here, before a cuota is picked */
	f->day_closed = a->svc.store && field_day_closed(a->svc.store, f->agent.code, field_today(a)) == 1;
	/* owed cuotas the filters hide (an old overdue one outside the last two months): said */
	f->hidden_owed = 0;
	if (rc == 0 && f->cuotas.n < f->cuotas.total) {
		struct field_cuotas all;
		if (field_cuotas_get(a->svc.store, f->ct, f->cnum, field_today(a), NULL, &all) == 0) {
			for (int i = 0; i < all.n; i++)
				f->hidden_owed += owed(&all.rows[i]);
			for (int i = 0; i < f->cuotas.n; i++)
				f->hidden_owed -= owed(&f->cuotas.rows[i]);
			field_cuotas_free(&all);
		}
	}
	f->dirty = 1;
}

void field_open_client(struct app *a, enum id_type t, const char *number)
{
	struct field *f = field_of(a);
	f->ct = t;
	snprintf(f->cnum, sizeof(f->cnum), "%s", number);
	f->cname[0] = 0;
	field_filter_default(&f->filter, field_today(a));
	field_go(a, FP_CLIENT);
	field_load_cuotas(a);
}


/* The least a document may be paid: its balance when it takes no partial payment. */
static int64_t min_pay(const struct document *d)
{
	if (!d->partial_ok)
		return d->balance;
	return d->min_partial < d->balance ? d->min_partial : d->balance;
}

static void selection(const struct field *f, int *n, int64_t *total, enum currency *cur)
{
	*n = 0;
	*total = 0;
	*cur = CUR_COP;
	for (int i = 0; i < f->cuotas.n && i < SEL_MAX; i++)
		if (f->sel[i]) {
			*cur = f->cuotas.rows[i].doc.cur;
			*total += f->pay[i];
			(*n)++;
		}
}

/* A paid or voided row opens its receipt (a copy, a void): this agent's, on this tablet. */
static void open_receipt(struct app *a, const struct field_cuota *c)
{
	struct field *f = field_of(a);
	int rc = a->svc.store ? field_receipt_get(a->svc.store, f->agent.code, field_device(a), c->receipt_number, &f->rc)
			      : -1;
	if (rc == 1) {
		field_say(a, UI_INFO, "%s", tr(STR_FC_OTHER_AGENT));
		return;
	}
	if (rc != 0) {
		field_say(a, UI_ERROR, tr(STR_FH_LOAD_ERROR), a->svc.store ? store_error(a->svc.store) : "-");
		return;
	}
	f->have_rc = 1;
	f->rc_paper = FPS_NONE;
	f->rc_paper_void = 0;
	f->rc_paper_err[0] = 0;
	field_go(a, FP_RECEIPT);
}

static void toggle(struct app *a, int i)
{
	struct field *f = field_of(a);
	if (i < 0 || i >= f->cuotas.n || i >= SEL_MAX)
		return;
	if (!owed(&f->cuotas.rows[i])) {
		if (f->cuotas.rows[i].receipt_number)
			open_receipt(a, &f->cuotas.rows[i]);
		return;
	}
	if (!f->sel[i]) {
		int n;
		int64_t total;
		enum currency cur;
		selection(f, &n, &total, &cur);
		if (n && cur != f->cuotas.rows[i].doc.cur) {
			field_say(a, UI_ERROR, "%s", tr(STR_FC_ONE_CURRENCY));
			return;
		}
		if (n >= COUPON_MAX_DOCS) {
			field_say(a, UI_ERROR, tr(STR_FC_TOO_MANY), COUPON_MAX_DOCS);
			return;
		}
		f->pay[i] = f->cuotas.rows[i].doc.balance;
	}
	f->sel[i] = !f->sel[i];
	f->msg[0] = 0;
	f->dirty = 1;
}

static void amount_ok(struct app *a)
{
	struct field *f = field_of(a);
	int i = f->editing;
	int64_t v;
	const struct document *d = &f->cuotas.rows[i].doc;
	char lo[40], hi[40];
	field_money(lo, sizeof(lo), min_pay(d), d->cur);
	field_money(hi, sizeof(hi), d->balance, d->cur);
	if (money_parse_whole(f->digits, &v) != 0 || v < min_pay(d) || v > d->balance) {
		field_say(a, UI_ERROR, tr(STR_FC_AMOUNT_RANGE), lo, hi);
		return;
	}
	f->pay[i] = v;
	f->sel[i] = 1;
	f->editing = -1;
	f->msg[0] = 0;
	f->dirty = 1;
}

static int handle_keypad(struct app *a, const struct act_event *e)
{
	struct field *f = field_of(a);
	if (field_digits(f->digits, sizeof(f->digits), e)) {
		/* typed or deleted */
	} else if ((e->type == ACT_ACTION && e->act.action == FA_AMOUNT_OK) ||
		   (e->type == ACT_KEY && e->key == APP_KEY_ENTER)) {
		amount_ok(a);
	} else if ((e->type == ACT_ACTION && e->act.action == FA_CANCEL) ||
		   (e->type == ACT_KEY && e->key == APP_KEY_ESCAPE)) {
		f->editing = -1;
		f->msg[0] = 0;
	}
	f->dirty = 1;
	return 1;
}

static int handle(struct app *a, const struct act_event *e)
{
	struct field *f = field_of(a);
	if (e->type == ACT_JOB)
		return 1;
	if (f->editing >= 0)
		return handle_keypad(a, e);
	if (e->type == ACT_SCROLL) {
		f->cpage += e->pages;
		if (f->cpage < 0)
			f->cpage = 0;
		f->dirty = 1;
		return 1;
	}
	if (e->type != ACT_ACTION)
		return 0;
	int arg = e->act.arg;
	switch (e->act.action) {
	case FA_BACK:
		field_reload(a);
		field_go(a, FP_HOME);
		return 1;
	case FA_F_LINE:
		snprintf(f->filter.line, sizeof(f->filter.line), "%s",
			 arg >= 0 && arg < f->cuotas.nlines ? f->cuotas.lines[arg] : "");
		field_load_cuotas(a);
		return 1;
	case FA_F_STATUS:
		if (arg >= 0 && arg < FIELD_CUOTA_STATUS_COUNT)
			f->filter.statuses ^= 1u << arg;
		field_load_cuotas(a);
		return 1;
	case FA_F_CLEAR_DATES:
		field_filter_clear_dates(&f->filter);
		field_load_cuotas(a);
		return 1;
	case FA_F_DEFAULT_DATES: {
		struct field_cuota_filter d;
		field_filter_default(&d, field_today(a));
		f->filter.from = d.from;
		f->filter.to = d.to;
		field_load_cuotas(a);
		return 1;
	}
	case FA_CUOTA:
		toggle(a, arg);
		return 1;
	case FA_AMOUNT:
		if (arg >= 0 && arg < f->cuotas.n && arg < SEL_MAX && owed(&f->cuotas.rows[arg]) &&
		    f->cuotas.rows[arg].doc.partial_ok) {
			f->editing = arg;
			f->digits[0] = 0;
			f->msg[0] = 0;
			f->dirty = 1;
		}
		return 1;
	case FA_PAGE:
		f->cpage += arg;
		if (f->cpage < 0)
			f->cpage = 0;
		f->dirty = 1;
		return 1;
	case FA_COLLECT: {
		int n;
		int64_t total;
		enum currency cur;
		selection(f, &n, &total, &cur);
		if (n > 0) {
			f->cash[0] = 0;
			f->denoms_on = 0;
			memset(f->denom_count, 0, sizeof(f->denom_count));
			field_go(a, FP_COLLECT);
		}
		return 1;
	}
	default:
		return 0;
	}
}

/* The filter chips flow left to right and wrap under their label (a narrow screen gets more
 * rows, never chips off the edge). */
struct chip_flow {
	int x0, x, y, right, h, gap;
};

static int chip_w(struct ui *ui, const char *label)
{
	int w;
	text_measure(ui->text, FONT_SMALL, 1, label, &w, NULL);
	return w + 2 * ui_px(ui, SP_M);
}

static void chip(struct app *a, struct chip_flow *fl, const char *label, int on, struct ui_action act)
{
	struct ui *ui = &a->ui;
	int w = chip_w(ui, label);
	if (w > fl->right - fl->x0)
		w = fl->right - fl->x0;
	if (fl->x + w > fl->right && fl->x > fl->x0) {
		fl->x = fl->x0;
		fl->y += fl->h + fl->gap;
	}
	ui_button(ui, (struct ui_rect){fl->x, fl->y, w, fl->h}, label, on ? UI_PRIMARY : UI_SECONDARY, act, 1);
	fl->x += w + fl->gap;
}

static int draw_filters(struct app *a, int x, int y, int w)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	int h = ui_px(ui, 84), gap = ui_px(ui, SP_XS), lw = ui_px(ui, 150), y0 = y;
	if (h < 48) /* a finger's width on the smallest panel */
		h = 48;
	struct chip_flow fl = {x + lw, x + lw, y, x + w, h, gap};
	ui_label(ui, x, y + (h - ui_line_h(ui, FONT_SMALL)) / 2, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, tr(STR_FC_LINE));
	chip(a, &fl, tr(STR_FC_ALL), !f->filter.line[0], (struct ui_action){FA_F_LINE, -1});
	for (int i = 0; i < f->cuotas.nlines; i++)
		chip(a, &fl, f->cuotas.lines[i], !strcmp(f->filter.line, f->cuotas.lines[i]), (struct ui_action){FA_F_LINE, i});
	fl.y += h + gap;
	fl.x = fl.x0;
	ui_label(ui, x, fl.y + (h - ui_line_h(ui, FONT_SMALL)) / 2, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, tr(STR_FC_STATUS));
	for (int s = 0; s < FIELD_CUOTA_STATUS_COUNT; s++)
		chip(a, &fl, tr(status_names[s]), (f->filter.statuses >> s) & 1, (struct ui_action){FA_F_STATUS, s});
	/* the date range and its ✕ (or the way back to the default): after the statuses, or on a
	 * row of its own when it does not fit there */
	char range[96], d1[16], d2[16];
	int dated = f->filter.from || f->filter.to;
	if (dated) {
		date_format(d1, sizeof(d1), f->filter.from);
		date_format(d2, sizeof(d2), f->filter.to);
		snprintf(range, sizeof(range), "%s %s – %s", tr(STR_FC_DATES), d1, d2);
	} else {
		snprintf(range, sizeof(range), "%s %s", tr(STR_FC_DATES), tr(STR_FC_ALL_DATES));
	}
	int bw = dated ? (h > ui_px(ui, 90) ? h : ui_px(ui, 90)) : chip_w(ui, tr(STR_FC_TWO_MONTHS)), tw;
	text_measure(ui->text, FONT_SMALL, 1, range, &tw, NULL);
	if (fl.x + tw + gap + bw > x + w) {
		fl.x = fl.x0;
		fl.y += h + gap;
	}
	ui_label_fit(ui, fl.x, fl.y + (h - ui_line_h(ui, FONT_SMALL)) / 2, x + w - fl.x - bw - gap, FONT_SMALL, 1,
		     THEME_TEXT, UI_LEFT, range);
	if (dated)
		ui_button(ui, (struct ui_rect){x + w - bw, fl.y, bw, h}, "✕", UI_SECONDARY,
			  (struct ui_action){FA_F_CLEAR_DATES, 0}, 1);
	else
		ui_button(ui, (struct ui_rect){x + w - bw, fl.y, bw, h}, tr(STR_FC_TWO_MONTHS), UI_SECONDARY,
			  (struct ui_action){FA_F_DEFAULT_DATES, 0}, 1);
	return fl.y + h - y0;
}

static void draw_row(struct app *a, struct ui_rect r, int i)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	const struct field_cuota *c = &f->cuotas.rows[i];
	int sel = i < SEL_MAX && f->sel[i], p = ui_px(ui, SP_S), lh = ui_line_h(ui, FONT_BODY) + ui_px(ui, SP_XS);
	ui_round(ui, r, ui_px(ui, RADIUS), sel ? THEME_SELECTED : THEME_SURFACE);
	ui_round_outline(ui, r, ui_px(ui, RADIUS), sel ? 4 : 2, sel ? THEME_BRAND : THEME_LINE);
	int box = ui_px(ui, 56), x = r.x + p;
	if (owed(c)) { /* the check box: ✓ when selected, not colour alone */
		struct ui_rect b = {x, r.y + (r.h - box) / 2, box, box};
		ui_round_outline(ui, b, ui_px(ui, 8), 3, THEME_BRAND);
		if (sel)
			ui_label(ui, b.x + box / 2, b.y + (box - lh) / 2, FONT_BODY, 1, THEME_BRAND, UI_CENTER, "✓");
	}
	x += box + p;
	int right = ui_px(ui, 420);
	char l1[160], l2[200], due[16], st[64], bal[48], pay[64];
	date_format(due, sizeof(due), c->status == FIELD_CUOTA_PAGADA || c->status == FIELD_CUOTA_ANULADA ? c->date
													     : c->doc.due);
	snprintf(l1, sizeof(l1), "%s · %s", c->doc.number, c->doc.line);
	snprintf(st, sizeof(st), "%s", tr(status_names[c->status]));
	snprintf(l2, sizeof(l2), "%s %s · %s", tr(c->status >= FIELD_CUOTA_PAGADA ? STR_FC_PAID_ON : STR_FC_DUE), due,
		 c->doc.description);
	ui_label_fit(ui, x, r.y + p / 2, r.x + r.w - right - x, FONT_BODY, 1, THEME_TEXT, UI_LEFT, l1);
	ui_label_fit(ui, x, r.y + p / 2 + lh, r.x + r.w - right - x, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, l2);
	/* the row toggles; the amount's button, drawn after it, takes its own touches first */
	char lab[64];
	if (owed(c))
		snprintf(lab, sizeof(lab), "%s", c->doc.number);
	else /* its receipt opens: named apart from the same document still owed */
		snprintf(lab, sizeof(lab), tr(STR_FC_ROW_RECEIPT), c->doc.number, (unsigned long long)c->receipt_number);
	ui_hit(ui, r, (struct ui_action){FA_CUOTA, i}, lab);
	int rx = r.x + r.w - p;
	if (owed(c)) {
		field_money(bal, sizeof(bal), c->doc.balance, c->doc.cur);
		snprintf(l1, sizeof(l1), "%s · %s", st, bal);
		ui_label_fit(ui, rx, r.y + p / 2, right - p, FONT_BODY, 1,
			     c->status == FIELD_CUOTA_VENCIDA ? THEME_DANGER : THEME_TEXT, UI_RIGHT, l1);
		if (sel) {
			field_money(bal, sizeof(bal), f->pay[i], c->doc.cur);
			snprintf(pay, sizeof(pay), tr(STR_FC_TO_PAY), bal);
			if (c->doc.partial_ok) { /* the amount is a button: "A pagar: $ X ✎" */
				char shown[96];
				int bw, bh = r.h - lh - p / 2 - ui_px(ui, SP_XS);
				snprintf(shown, sizeof(shown), "%s ✎", pay);
				text_measure(ui->text, FONT_SMALL, 1, shown, &bw, NULL);
				bw += 2 * ui_px(ui, SP_S);
				struct ui_rect b = {rx - bw, r.y + r.h - bh - ui_px(ui, SP_XS), bw, bh};
				int before = ui->nhits;
				ui_button(ui, b, shown, UI_SECONDARY, (struct ui_action){FA_AMOUNT, i}, 1);
				if (ui->nhits > before) /* scripts press it by what it does */
					snprintf(ui->hits[ui->nhits - 1].label, sizeof(ui->hits[0].label), "%s %s",
						 tr(STR_FC_EDIT), c->doc.number);
			} else {
				ui_label_fit(ui, rx, r.y + p / 2 + lh, right - p, FONT_SMALL, 1, THEME_ACCENT, UI_RIGHT, pay);
			}
		}
	} else {
		field_money(bal, sizeof(bal), c->paid_minor, c->doc.cur);
		snprintf(l1, sizeof(l1), "%s · %s", st, bal);
		ui_label_fit(ui, rx, r.y + p / 2, right - p, FONT_BODY, 1, THEME_MUTED, UI_RIGHT, l1);
		snprintf(l2, sizeof(l2), tr(STR_FC_RECEIPT_N), (unsigned long long)c->receipt_number);
		ui_label_fit(ui, rx, r.y + p / 2 + lh, right - p, FONT_SMALL, 0, THEME_MUTED, UI_RIGHT, l2);
	}
}

static void draw_amount_dialog(struct app *a)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	const struct document *d = &f->cuotas.rows[f->editing].doc;
	int w = ui->portrait ? ui->w * 9 / 10 : ui->w * 6 / 10, h = ui->h * 9 / 10;
	struct ui_rect in = ui_dialog(ui, w, h);
	int y = in.y, gap = ui_px(ui, SP_S);
	char t[160], lo[40], hi[40], v[48];
	snprintf(t, sizeof(t), tr(STR_FC_AMOUNT_OF), d->number);
	y += ui_para(ui, (struct ui_rect){in.x, y, in.w, 0}, FONT_TITLE, 1, THEME_TEXT, UI_LEFT, t) + gap / 2;
	field_money(lo, sizeof(lo), min_pay(d), d->cur);
	field_money(hi, sizeof(hi), d->balance, d->cur);
	snprintf(t, sizeof(t), tr(STR_FC_AMOUNT_RANGE), lo, hi);
	y += ui_para(ui, (struct ui_rect){in.x, y, in.w, 0}, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, t) + gap / 2;
	int64_t minor = 0;
	if (f->digits[0] && money_parse_whole(f->digits, &minor) == 0)
		field_money(v, sizeof(v), minor, d->cur);
	else
		snprintf(v, sizeof(v), "%s", d->cur == CUR_USD ? "USD" : "$");
	struct ui_rect box = {in.x, y, in.w, ui_px(ui, 110)};
	ui_round(ui, box, ui_px(ui, RADIUS), THEME_BG);
	ui_round_outline(ui, box, ui_px(ui, RADIUS), 4, THEME_BRAND);
	ui_label_fit(ui, box.x + ui_px(ui, SP_M), box.y + (box.h - ui_line_h(ui, FONT_H1)) / 2, box.w - ui_px(ui, 2 * SP_M),
		     FONT_H1, 1, THEME_TEXT, UI_LEFT, v);
	y += box.h + gap;
	if (f->msg[0])
		y += field_message(a, (struct ui_rect){in.x, y, in.w, 0});
	int bh = ui_px(ui, TOUCH_MIN), half = (in.w - gap) / 2;
	int by = in.y + in.h - bh;
	ui_keypad(ui, (struct ui_rect){in.x, y, in.w, by - gap - y}, 0);
	ui_button(ui, (struct ui_rect){in.x, by, half, bh}, tr(STR_F_CANCEL), UI_SECONDARY, (struct ui_action){FA_CANCEL, 0}, 1);
	ui_button(ui, (struct ui_rect){in.x + half + gap, by, in.w - half - gap, bh}, tr(STR_FC_AMOUNT_OK), UI_PRIMARY,
		  (struct ui_action){FA_AMOUNT_OK, 0}, f->digits[0] != 0);
}

static void draw(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	(void)body;
	int top = field_top_bar(a, tr(STR_FC_TITLE)), pad = screen_pad(ui), gap = ui_px(ui, SP_S);
	int x = pad, w = ui->w - 2 * pad, y = top + gap;
	int bw = ui_px(ui, 220), bh = ui_px(ui, TOUCH_MIN);
	char id[48];
	snprintf(id, sizeof(id), "%s %s", id_type_code(f->ct), f->cnum);
	ui_button(ui, (struct ui_rect){x + w - bw, y, bw, bh}, tr(STR_F_BACK), UI_SECONDARY, (struct ui_action){FA_BACK, 0}, 1);
	ui_label_fit(ui, x, y, w - bw - gap, FONT_TITLE, 1, THEME_TEXT, UI_LEFT, f->cname[0] ? f->cname : id);
	ui_label_fit(ui, x, y + ui_line_h(ui, FONT_TITLE), w - bw - gap, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, id);
	y += bh + gap;
	y += draw_filters(a, x, y, w) + gap;
	if (f->day_closed)
		y += ui_banner(ui, (struct ui_rect){x, y, w, 0}, tr(STR_FC_DAY_CLOSED), UI_ERROR) + gap / 2;
	if (f->hidden_owed > 0) { /* owed cuotas out of sight: the oldest debt may be one of them */
		char hidden[200];
		snprintf(hidden, sizeof(hidden), tr(f->hidden_owed == 1 ? STR_FC_HIDDEN_OWED1 : STR_FC_HIDDEN_OWED),
			 f->hidden_owed);
		y += ui_banner(ui, (struct ui_rect){x, y, w, 0}, hidden, UI_INFO) + gap / 2;
	} else if (f->cuotas.n < f->cuotas.total) {
		char shown[160];
		snprintf(shown, sizeof(shown), tr(STR_FC_SHOWN), f->cuotas.n, f->cuotas.total);
		y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, shown) + gap / 2;
	}
	if (f->msg[0] && f->editing < 0)
		y += field_message(a, (struct ui_rect){x, y, w, 0});

	/* the bottom bar: the selection and Cobrar */
	int n;
	int64_t total;
	enum currency cur;
	selection(f, &n, &total, &cur);
	int barh = ui_px(ui, 110), bary = ui->h - pad - barh;
	char sum[64], line[160];
	field_money(sum, sizeof(sum), total, cur);
	if (n == 1)
		snprintf(line, sizeof(line), tr(STR_FC_SELECTED1), sum);
	else
		snprintf(line, sizeof(line), tr(STR_FC_SELECTED), n, sum);
	int cw = ui_px(ui, 300);
	ui_label_fit(ui, x, bary + (barh - ui_line_h(ui, FONT_TITLE)) / 2, w - cw - gap, FONT_TITLE, 1, THEME_TEXT, UI_LEFT,
		     line);
	ui_button(ui, (struct ui_rect){x + w - cw, bary, cw, barh}, tr(STR_FC_COLLECT), UI_ACCENT,
		  (struct ui_action){FA_COLLECT, 0}, n > 0 && !f->day_closed);

	/* the list, a page at a time */
	int rh = ui_px(ui, 124), nav = ui_px(ui, TOUCH_MIN) + gap;
	int room = bary - gap - y, per = (room - nav + gap) / (rh + gap);
	if (f->cuotas.n <= (room + gap) / (rh + gap))
		per = (room + gap) / (rh + gap), nav = 0;
	if (per < 1)
		per = 1;
	ui->page_rows = per;
	int pages = (f->cuotas.n + per - 1) / per;
	if (f->cpage >= pages)
		f->cpage = pages > 0 ? pages - 1 : 0;
	if (f->cuotas.n == 0) {
		snprintf(line, sizeof(line), tr(STR_FC_NONE), f->cuotas.total);
		ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 0, THEME_MUTED, UI_LEFT, line);
	}
	for (int i = f->cpage * per, k = 0; i < f->cuotas.n && k < per; i++, k++)
		draw_row(a, (struct ui_rect){x, y + k * (rh + gap), w, rh}, i);
	if (nav && pages > 1)
		field_pager(a, x, bary - gap - ui_px(ui, TOUCH_MIN), w, f->cpage, pages);
	if (f->editing >= 0)
		draw_amount_dialog(a);
}

const struct field_screen field_client_screen = {"field-client", draw, handle};
