/* Portfolio ("cartera"): currency tabs, TRM, selectable document rows with their value to pay,
 * paging, and the always-visible payment summary with the two actions. Also the amount editor
 * for partial payments. */
#include <stdio.h>
#include <string.h>

#include "screens.h"

static int money_str(char *buf, size_t n, int64_t minor, enum currency c)
{
	return (int)screen_money(buf, n, (struct money){minor, c});
}

/* The greeting at the largest size that fits w, wrapped when none does. Returns its height. */
static int draw_hello(struct ui *ui, int x, int y, int w, const char *hello)
{
	enum font_size hf = screen_fit_font(ui, hello, 1, w, FONT_H1);
	int tw;
	text_measure(ui->text, hf, 1, hello, &tw, NULL);
	if (tw <= w) {
		ui_label(ui, x, y, hf, 1, THEME_TEXT, UI_LEFT, hello);
		return ui_line_h(ui, FONT_H1);
	}
	return ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_TITLE, 1, THEME_TEXT, UI_LEFT, hello);
}

/* Greeting, masked ID, data freshness and a back button. Returns the height used. */
static int draw_header(struct ui *ui, const struct flow *f, const struct screen_status *st, int x, int y, int w)
{
	char name[128], hello[160], id[48], idm[40], when[32], asof[64];
	name_mask(name, sizeof(name), f->pf.name);
	snprintf(hello, sizeof(hello), tr(STR_PF_HELLO), name);
	id_mask(idm, sizeof(idm), f->pf.id_number);
	snprintf(id, sizeof(id), "%s %s", id_type_code(f->pf.id_type), idm);
	screen_datetime(when, sizeof(when), f->pf.data_as_of);
	/* where the data comes from, and how fresh it is */
	enum str_id src = !st->central ? STR_PF_DATA_AS_OF : f->pf_online ? STR_PF_SOURCE_ONLINE : STR_PF_SOURCE_LOCAL;
	snprintf(asof, sizeof(asof), tr(src), when);
	int bw = screen_button_w(ui, tr(STR_BACK), ui_px(ui, 220)), bh = ui_tpx(ui, TOUCH_MIN);
	/* "Mis servicios" (account services, docs/account-services.md) beside "Atrás" */
	int sw = screen_button_w(ui, tr(STR_PF_SERVICES), ui_px(ui, 300)), gap = ui_px(ui, SP_S);
	if (w < ui_px(ui, 760)) {
		/* narrow column (landscape): one fact per line, then the buttons, side by side when
		 * they fit */
		int h = draw_hello(ui, x, y, w, hello);
		int sh = ui_line_h(ui, FONT_SMALL);
		ui_label_fit(ui, x, y + h, w, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, id);
		ui_label_fit(ui, x, y + h + sh, w, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, asof);
		h += 2 * sh + ui_px(ui, SP_S);
		ui_button(ui, (struct ui_rect){x, y + h, bw, bh}, tr(STR_BACK), UI_SECONDARY, screen_ev(FEV_BACK, 0), 1);
		int beside = bw + gap + sw <= w;
		h += beside ? 0 : bh + gap;
		ui_button(ui, (struct ui_rect){beside ? x + w - sw : x, y + h, beside ? sw : w, bh}, tr(STR_PF_SERVICES),
			  UI_SECONDARY, screen_ev(FEV_SERVICES, 0), 1);
		return h + bh;
	}
	int side = bw + gap + sw + ui_px(ui, SP_M);
	int h = draw_hello(ui, x, y, w - side, hello);
	char sub[128];
	snprintf(sub, sizeof(sub), "%s  ·  %s", id, asof);
	h += ui_para(ui, (struct ui_rect){x, y + h, w - side, 0}, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, sub);
	ui_button(ui, (struct ui_rect){x + w - sw - gap - bw, y + (h - bh) / 2, bw, bh}, tr(STR_BACK), UI_SECONDARY,
		  screen_ev(FEV_BACK, 0), 1);
	ui_button(ui, (struct ui_rect){x + w - sw, y + (h - bh) / 2, sw, bh}, tr(STR_PF_SERVICES), UI_SECONDARY,
		  screen_ev(FEV_SERVICES, 0), 1);
	return h > bh ? h : bh;
}

/* A document row in three tiers: what it is (line, due date), its details (description,
 * number, invoice and balance) across the full width, and what is paid (amount, and the
 * "change amount" button for documents that allow partial payment). */
static void draw_row(struct ui *ui, const struct flow *f, int i, struct ui_rect r, int split)
{
	const struct document *d = &f->pf.docs[i];
	const struct flow_doc *fd = &f->docs[i];
	int pad = ui_px(ui, SP_M);
	ui_round(ui, r, ui_px(ui, RADIUS), fd->selected ? THEME_SELECTED : THEME_SURFACE);
	if (fd->selected)
		ui_round_outline(ui, r, ui_px(ui, RADIUS), ui_px(ui, 4) > 2 ? ui_px(ui, 4) : 2, THEME_BRAND);
	else /* the row's edge, visible on a white page too (high contrast) */
		ui_round_outline(ui, r, ui_px(ui, RADIUS), 2, THEME_LINE);
	/* the row toggles the selection; the "change amount" button is a target of its own, apart
	 * from it: the row's touch area is the row above the button's tier, and that tier left of
	 * the button (unlabelled: scripts press the row by its number) */
	int bh = ui_tpx(ui, TOUCH_MIN), bw = screen_button_w(ui, tr(STR_PF_PARTIAL), ui_px(ui, 300));
	int by = r.y + r.h - pad - bh;
	if (d->partial_ok) {
		int gap = ui_min_gap_px(ui->w, ui->h);
		int right_x = r.x + r.w - pad - bw - gap;
		ui_hit(ui, (struct ui_rect){r.x, r.y, r.w, by - gap - r.y}, screen_ev(FEV_TOGGLE_DOC, i), d->number);
		ui_hit(ui, (struct ui_rect){r.x, by, right_x - r.x, r.y + r.h - by}, screen_ev(FEV_TOGGLE_DOC, i), NULL);
	} else {
		ui_hit(ui, r, screen_ev(FEV_TOGGLE_DOC, i), d->number);
	}

	/* the check box sits in the "to pay" tier, so the text tiers have the row's whole width */
	int box = ui_px(ui, 60);
	struct ui_rect cb = {r.x + pad, by + (bh - box) / 2, box, box};
	if (fd->selected) {
		ui_round(ui, cb, ui_px(ui, 10), THEME_BRAND);
		int lh = ui_line_h(ui, FONT_TITLE);
		ui_label(ui, cb.x + box / 2, cb.y + (box - lh) / 2, FONT_TITLE, 1, THEME_ON_BRAND, UI_CENTER, "✓");
	} else {
		ui_round(ui, cb, ui_px(ui, 10), THEME_SURFACE);
		ui_round_outline(ui, cb, ui_px(ui, 10), ui_px(ui, 4) > 2 ? ui_px(ui, 4) : 2, THEME_MUTED);
	}
	int tx = r.x + pad, right = r.x + r.w - pad, tw = right - tx;
	char buf[200], a[48], b[48], date[16];

	/* tier 1: product line, and the due date (overdue: a labelled badge, not colour alone) */
	int y = r.y + pad;
	date_format(date, sizeof(date), d->due);
	int overdue = flow_doc_overdue(f, i);
	/* (gcc 12 with -fsanitize=address,undefined at -O1 takes tr()'s result for a possibly null
	 * format: say what happens if it were) */
	const char *due_fmt = tr(overdue ? STR_PF_OVERDUE : STR_PF_DUE);
	snprintf(buf, sizeof(buf), due_fmt ? due_fmt : "%s", date);
	int dw;
	text_measure(ui->text, FONT_SMALL, 1, buf, &dw, NULL);
	dw += ui_px(ui, 24);
	int lh = ui_line_h(ui, FONT_BODY), sh = ui_line_h(ui, FONT_SMALL);
	int linew;
	text_measure(ui->text, FONT_BODY, 1, d->line, &linew, NULL);
	if (linew > tw - dw - pad) {
		/* no room beside the date: the line whole (wrapped if it must) over it */
		y += ui_para(ui, (struct ui_rect){tx, y, tw, 0}, FONT_BODY, 1, THEME_TEXT, UI_LEFT, d->line);
	} else {
		ui_label_fit(ui, tx, y, tw - dw - pad, FONT_BODY, 1, THEME_TEXT, UI_LEFT, d->line);
	}
	if (overdue) {
		ui_round(ui, (struct ui_rect){right - dw, y + (lh - sh) / 2 - ui_px(ui, 2), dw, sh + ui_px(ui, 4)},
			 ui_px(ui, 8), THEME_DANGER);
		ui_label(ui, right - ui_px(ui, 12), y + (lh - sh) / 2, FONT_SMALL, 1, THEME_ON_BRAND, UI_RIGHT, buf);
	} else {
		ui_label(ui, right, y + (lh - sh) / 2, FONT_SMALL, 0, THEME_TEXT, UI_RIGHT, buf);
	}
	y += lh > sh + ui_px(ui, 4) ? lh : sh + ui_px(ui, 4);

	/* tier 2: details across the full width; each amount on a line of its own, so the
	 * largest one a document may hold (money_limits.h) is never cut */
	/* the number whole at the right (it is how a customer tells documents apart; a number
	 * wider than the row wraps), the description in what is left (cut if it must: the line and
	 * the number identify the document) */
	char num[80];
	snprintf(num, sizeof(num), tr(STR_PF_DOC_NUMBER), d->number);
	int nw;
	text_measure(ui->text, FONT_SMALL, 0, num, &nw, NULL);
	if (nw > tw) {
		y += ui_para(ui, (struct ui_rect){tx, y, tw, 0}, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, num);
	} else {
		ui_label(ui, right, y, FONT_SMALL, 0, THEME_MUTED, UI_RIGHT, num);
		if (d->description[0] && tw - nw - pad > ui_px(ui, 120)) {
			ui_label_fit(ui, tx, y, tw - nw - pad, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, d->description);
			if (ui->nboxes > 0 && ui->boxes[ui->nboxes - 1].cut)
				ui->boxes[ui->nboxes - 1].cut = 2; /* not needed whole */
		}
		y += sh;
	}
	money_str(a, sizeof(a), d->invoice, d->cur);
	money_str(b, sizeof(b), d->balance, d->cur);
	if (split & 1) {
		snprintf(buf, sizeof(buf), "%s %s", tr(STR_PF_INVOICE), a);
		ui_label_fit(ui, tx, y, tw, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, buf);
		y += sh;
		snprintf(buf, sizeof(buf), "%s %s", tr(STR_PF_BALANCE), b);
	} else {
		snprintf(buf, sizeof(buf), "%s %s  ·  %s %s", tr(STR_PF_INVOICE), a, tr(STR_PF_BALANCE), b);
	}
	ui_label_fit(ui, tx, y, tw, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, buf);
	y += sh;
	if (d->partial_ok) {
		money_str(a, sizeof(a), d->min_partial, d->cur);
		snprintf(buf, sizeof(buf), tr(STR_PF_PARTIAL_MIN), a);
	} else {
		snprintf(buf, sizeof(buf), "%s", tr(STR_PF_FULL_ONLY));
	}
	ui_label_fit(ui, tx, y, tw, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, buf);

	/* tier 3: what is paid, and for partial documents the button to change it; the amount
	 * takes the room the button leaves (a smaller font step when it must) */
	int amount_w = tw - box - pad;
	if (d->partial_ok) {
		ui_button(ui, (struct ui_rect){right - bw, by, bw, bh}, tr(STR_PF_PARTIAL), UI_SECONDARY,
			  screen_ev(FEV_EDIT_AMOUNT, i), 1);
		amount_w -= bw + pad;
	}
	money_str(a, sizeof(a), fd->pay, d->cur);
	struct rgba payc = fd->selected ? THEME_BRAND : THEME_TEXT;
	if (split & 2) {
		/* large text: "A pagar $ …" on a line of its own over the check box and the button */
		int th = ui_line_h(ui, FONT_TITLE), ly = by - th - ui_px(ui, SP_XS);
		int lw = ui_label(ui, tx, ly + (th - sh) / 2, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, tr(STR_PF_TO_PAY));
		int aw = tw - lw - ui_px(ui, SP_S);
		enum font_size af = screen_fit_font(ui, a, 1, aw, FONT_TITLE);
		ui_label_fit(ui, tx + lw + ui_px(ui, SP_S), ly + (th - ui_line_h(ui, af)) / 2, aw, af, 1, payc, UI_LEFT, a);
		return;
	}
	int lw = ui_label(ui, cb.x + box + pad, by + (bh - sh) / 2, FONT_SMALL, 0, THEME_MUTED, UI_LEFT,
			  tr(STR_PF_TO_PAY));
	int aw = amount_w - lw - ui_px(ui, SP_S);
	enum font_size af = screen_fit_font(ui, a, 1, aw, FONT_TITLE);
	ui_label_fit(ui, cb.x + box + pad + lw + ui_px(ui, SP_S), by + (bh - ui_line_h(ui, af)) / 2, aw, af, 1, payc,
		     UI_LEFT, a);
}

/* The width of a row's text column in a list w wide (as draw_row lays it out). */
static int row_text_w(struct ui *ui, int w)
{
	return w - 2 * ui_px(ui, SP_M);
}

/* 1 when the invoice and the balance of the largest amounts on the tab cannot share one line
 * even at the smallest font: each then gets a line of its own, in every row of the tab (one
 * row height per page), so no amount is ever cut (money_limits.h). Amounts of one currency
 * format wider as they grow, so the largest of each is the widest. */
static int row_split_money(struct ui *ui, const struct flow *f, int tw)
{
	int64_t inv = 0, bal = 0;
	for (int i = 0; i < f->ndocs; i++) {
		const struct document *d = &f->pf.docs[i];
		if (d->cur != f->tab)
			continue;
		if (d->invoice > inv)
			inv = d->invoice;
		if (d->balance > bal)
			bal = d->balance;
	}
	char a[48], b[48], buf[200];
	int w;
	money_str(a, sizeof(a), inv, f->tab);
	money_str(b, sizeof(b), bal, f->tab);
	snprintf(buf, sizeof(buf), "%s %s  ·  %s %s", tr(STR_PF_INVOICE), a, tr(STR_PF_BALANCE), b);
	text_measure(ui->text, FONT_SMALL, 0, buf, &w, NULL);
	int split = w > tw;
	/* 2: the largest amount to pay does not fit beside "A pagar" and "Cambiar valor" */
	int lw, aw, pw = screen_button_w(ui, tr(STR_PF_PARTIAL), ui_px(ui, 300)), pad = ui_px(ui, SP_M);
	text_measure(ui->text, FONT_SMALL, 0, tr(STR_PF_TO_PAY), &lw, NULL);
	text_measure(ui->text, FONT_CAPTION, 1, b, &aw, NULL);
	if (ui_px(ui, 60) + pad + lw + ui_px(ui, SP_S) + aw + pad + pw > tw)
		split |= 2;
	return split;
}

/* A row's height: its text tiers (the number and description as wrapped at tw, the tallest of
 * the tab's rows: one row height per page), then the "to pay" tier of touch height. */
static int row_height(struct ui *ui, const struct flow *f, int tw, int split)
{
	int pad = ui_px(ui, SP_M), sh = ui_line_h(ui, FONT_SMALL), lh = ui_line_h(ui, FONT_BODY);
	int wrapped = 1, over = 0;
	for (int i = 0; i < f->ndocs; i++) {
		const struct document *d = &f->pf.docs[i];
		if (d->cur != f->tab)
			continue;
		char num[80];
		int nw;
		snprintf(num, sizeof(num), tr(STR_PF_DOC_NUMBER), d->number);
		text_measure(ui->text, FONT_SMALL, 0, num, &nw, NULL);
		int n = nw > tw ? text_wrap(ui->text, FONT_SMALL, 0, num, tw, NULL, NULL) : 1;
		char due[64], date[16];
		int dw, linew;
		date_format(date, sizeof(date), d->due);
		snprintf(due, sizeof(due), tr(STR_PF_OVERDUE) ? tr(STR_PF_OVERDUE) : "%s", date);
		text_measure(ui->text, FONT_SMALL, 1, due, &dw, NULL);
		text_measure(ui->text, FONT_BODY, 1, d->line, &linew, NULL);
		if (linew > tw - dw - ui_px(ui, 24) - pad) { /* the line over its date (draw_row) */
			int nl = text_wrap(ui->text, FONT_BODY, 1, d->line, tw, NULL, NULL);
			if (nl > over)
				over = nl;
		}
		if (n > wrapped)
			wrapped = n;
	}
	if (lh < sh + ui_px(ui, 4))
		lh = sh + ui_px(ui, 4);
	int lhb = text_line_height_of(ui->text, FONT_BODY, 1);
	return pad + lh + over * (lhb > lh ? lhb : lh) + (wrapped + 2 + (split & 1)) * sh + ui_tpx(ui, TOUCH_MIN) + pad +
	       (split & 2 ? ui_line_h(ui, FONT_TITLE) + ui_px(ui, SP_XS) : 0);
}

static int rows_fit(int h, int row_h, int gap)
{
	int n = (h + gap) / (row_h + gap);
	return n < 1 ? 1 : n;
}

/* Summary card: count, total and the two actions. The total has a line of its own (beside
 * its label in portrait), shrunk a font step when it must, so the largest total one coupon
 * carries (money_limits.h) fits whole at every size. Its height follows its content: the
 * count under the title when they do not share a line, a button's label wrapped on a taller
 * button when it must (large text). */
struct sum_layout {
	int count_below, side, b1h, b2h, h;
};

static struct sum_layout summary_layout(struct ui *ui, const struct flow *f, int rw)
{
	struct sum_layout L = {0, 0, 0, 0, 0};
	int pad = ui_px(ui, SP_M), gap = ui_px(ui, SP_M), w = rw - 2 * pad, bh = ui_tpx(ui, 130);
	int bl = ui_line_h(ui, FONT_BODY), sl = ui_line_h(ui, FONT_SMALL), hl = ui_line_h(ui, FONT_H1);
	char buf[96];
	int tw, cw;
	snprintf(buf, sizeof(buf), tr(STR_PF_SELECTED), flow_selected_count(f), f->ndocs);
	text_measure(ui->text, FONT_BODY, 1, tr(STR_PF_SUMMARY), &tw, NULL);
	text_measure(ui->text, FONT_SMALL, 0, buf, &cw, NULL);
	const char *l1 = tr(STR_PF_GEN_COUPON), *l2 = tr(STR_PF_PAY_PHONE);
	/* nothing selected: how to select, where the total will be (wrapped whole) */
	int hint_h = flow_selected_count(f) > 0 ? 0
		     : text_wrap(ui->text, FONT_BODY, 1, tr(STR_PF_SELECT_HINT), w, NULL, NULL) *
			       text_line_height_of(ui->text, FONT_BODY, 1);
	if (ui->portrait) {
		L.count_below = tw + gap + cw > w;
		int half = (w - gap) / 2;
		L.side = 1; /* a label too long for half the card wraps on a taller button */
		L.b1h = screen_button_h(ui, l1, L.side ? half : w, bh);
		L.b2h = screen_button_h(ui, l2, L.side ? half : w, bh);
		if (L.side)
			L.b1h = L.b2h = L.b1h > L.b2h ? L.b1h : L.b2h;
		L.h = pad + bl + (L.count_below ? sl : 0) + ui_px(ui, SP_XS) + (hint_h > hl ? hint_h : hl) + gap +
		      (L.side ? L.b1h : L.b1h + gap + L.b2h) + pad;
	} else {
		L.count_below = 1;
		L.b1h = screen_button_h(ui, l1, w, bh);
		L.b2h = screen_button_h(ui, l2, w, bh);
		L.h = pad + bl + sl + gap + (hint_h > sl + hl ? hint_h : sl + hl) + gap + L.b1h + gap + L.b2h + pad;
	}
	return L;
}

static void draw_summary(struct ui *ui, const struct flow *f, struct ui_rect r)
{
	struct sum_layout L = summary_layout(ui, f, r.w);
	int pad = ui_px(ui, SP_M), gap = ui_px(ui, SP_M);
	ui_round(ui, r, ui_px(ui, RADIUS), THEME_SURFACE);
	ui_round_outline(ui, r, ui_px(ui, RADIUS), 2, THEME_LINE);
	char buf[96], tot[48];
	int x = r.x + pad, y = r.y + pad, w = r.w - 2 * pad;
	snprintf(buf, sizeof(buf), tr(STR_PF_SELECTED), flow_selected_count(f), f->ndocs);
	money_str(tot, sizeof(tot), flow_total_cop(f), CUR_COP);
	int ok = flow_selected_count(f) > 0;
	int bl = ui_line_h(ui, FONT_BODY), sl = ui_line_h(ui, FONT_SMALL), hl = ui_line_h(ui, FONT_H1);
	/* "Resumen del pago ... N de M seleccionados" (or one under the other) */
	int lw = ui_label_fit(ui, x, y, w, FONT_BODY, 1, THEME_TEXT, UI_LEFT, tr(STR_PF_SUMMARY));
	if (L.count_below) {
		y += bl;
		ui_label_fit(ui, x, y, w, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, buf);
		y += sl;
	} else {
		ui_label_fit(ui, x + w, y + (bl - sl) / 2, w - lw - gap, FONT_SMALL, 0, THEME_MUTED, UI_RIGHT, buf);
		y += bl;
	}
	if (ui->portrait) {
		/* "Total a pagar ... $ total" */
		y += ui_px(ui, SP_XS);
		if (!ok) { /* nothing selected: how to select, where the total will be */
			ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 1, THEME_BRAND, UI_LEFT, tr(STR_PF_SELECT_HINT));
		} else {
			lw = ui_label_fit(ui, x, y + (hl - sl) / 2, w / 3, FONT_SMALL, 0, THEME_MUTED, UI_LEFT,
					  tr(STR_PF_TOTAL));
			ui_label_fit(ui, x + w, y, w - lw - gap, FONT_H1, 1, THEME_TEXT, UI_RIGHT, tot);
		}
	} else {
		y += gap;
		if (!ok) {
			ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 1, THEME_BRAND, UI_LEFT, tr(STR_PF_SELECT_HINT));
		} else {
			ui_label_fit(ui, x, y, w, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, tr(STR_PF_TOTAL));
			y += sl;
			ui_label_fit(ui, x, y, w, FONT_H1, 1, THEME_TEXT, UI_LEFT, tot);
		}
	}
	int by2 = r.y + r.h - pad - L.b2h;
	if (L.side) {
		int bw = (w - gap) / 2;
		ui_button(ui, (struct ui_rect){x, by2, bw, L.b1h}, tr(STR_PF_GEN_COUPON), UI_PRIMARY,
			  screen_ev(FEV_GEN_COUPON, 0), ok);
		ui_button(ui, (struct ui_rect){x + bw + gap, by2, bw, L.b2h}, tr(STR_PF_PAY_PHONE), UI_ACCENT,
			  screen_ev(FEV_PAY_PHONE, 0), ok);
	} else {
		/* top to bottom: the keyboard's focus follows the order controls are drawn */
		ui_button(ui, (struct ui_rect){x, by2 - gap - L.b1h, w, L.b1h}, tr(STR_PF_GEN_COUPON), UI_PRIMARY,
			  screen_ev(FEV_GEN_COUPON, 0), ok);
		ui_button(ui, (struct ui_rect){x, by2, w, L.b2h}, tr(STR_PF_PAY_PHONE), UI_ACCENT,
			  screen_ev(FEV_PAY_PHONE, 0), ok);
	}
	(void)hl;
}

static void draw_empty(struct ui *ui, struct ui_rect r)
{
	int y = r.y + ui_px(ui, SP_XL);
	ui_label(ui, r.x + r.w / 2, y, FONT_DISPLAY, 1, THEME_ACCENT, UI_CENTER, "✓");
	y += ui_line_h(ui, FONT_DISPLAY) + ui_px(ui, SP_M);
	ui_label(ui, r.x + r.w / 2, y, FONT_H1, 1, THEME_TEXT, UI_CENTER, tr(STR_PF_EMPTY_TITLE));
	y += ui_line_h(ui, FONT_H1) + ui_px(ui, SP_S);
	y += ui_para(ui, (struct ui_rect){r.x, y, r.w, 0}, FONT_BODY, 0, THEME_MUTED, UI_CENTER,
		     tr(STR_PF_EMPTY_BODY));
	int bw = ui_px(ui, 560) < r.w ? ui_px(ui, 560) : r.w, bh = ui_tpx(ui, 130);
	y += ui_px(ui, SP_XL);
	/* a customer with nothing to pay may still want a paz y salvo or a statement */
	ui_button(ui, (struct ui_rect){r.x + (r.w - bw) / 2, y, bw, bh}, tr(STR_PF_SERVICES), UI_SECONDARY,
		  screen_ev(FEV_SERVICES, 0), 1);
	ui_button(ui, (struct ui_rect){r.x + (r.w - bw) / 2, y + bh + ui_px(ui, SP_M), bw, bh}, tr(STR_CP_FINISH),
		  UI_PRIMARY, screen_ev(FEV_CANCEL, 0), 1);
}

void screen_portfolio_draw(struct ui *ui, const struct flow *f, const struct screen_status *st)
{
	int top = screen_topbar(ui, f, 1);
	int pad = screen_pad(ui), gap = ui_px(ui, SP_S);
	/* landscape, large text: the greeting over the list, the summary and the pager beside it */
	int wide_large = !ui->portrait && ui->look == UI_LOOK_LARGE;
	int listw = ui->portrait ? ui->w - 2 * pad : (ui->w - 3 * pad) * (wide_large ? 52 : 63) / 100;
	int x = pad, y = top + pad;
	int side_x = x + listw + pad, side_w = ui->w - side_x - pad, side_y = y;
	if (ui->portrait || wide_large)
		y += draw_header(ui, f, st, x, y, listw) + ui_px(ui, SP_M);
	else
		side_y += draw_header(ui, f, st, side_x, side_y, side_w) + ui_px(ui, SP_M);

	if (f->ndocs == 0) {
		if (!ui->portrait && !wide_large)
			y = side_y;
		draw_empty(ui, (struct ui_rect){x, y, ui->w - 2 * pad, ui->h - y - pad});
		return;
	}
	if (f->has_cop && f->has_usd) {
		static const enum currency curs[2] = {CUR_COP, CUR_USD};
		const char *labels[2] = {tr(STR_PF_TAB_COP), tr(STR_PF_TAB_USD)};
		struct ui_action evs[2] = {screen_ev(FEV_TAB, CUR_COP), screen_ev(FEV_TAB, CUR_USD)};
		int th = ui_tpx(ui, 110);
		ui_tabs(ui, (struct ui_rect){x, y, listw, th}, labels, evs, 2, f->tab == curs[1]);
		y += th + gap;
	}
	if (f->tab == CUR_USD) {
		char line[160], rate[32], from[16], to[16];
		if (f->trm_ok) {
			screen_trm(rate, sizeof(rate), &f->trm);
			date_format(from, sizeof(from), f->trm.valid_from);
			date_format(to, sizeof(to), f->trm.valid_to);
			snprintf(line, sizeof(line), tr(STR_PF_TRM), rate, from, to);
			y += ui_para(ui, (struct ui_rect){x, y, listw, 0}, FONT_BODY, 1, THEME_BRAND, UI_LEFT, line) + gap;
		} else {
			y += ui_banner(ui, (struct ui_rect){x, y, listw, 0}, tr(STR_PF_NO_TRM), UI_INFO) + gap;
		}
	}
	if (f->msg) {
		char m[400];
		flow_message(f, m, sizeof(m));
		y += ui_banner(ui, (struct ui_rect){x, y, listw, 0}, m, flow_message_is_reason(f) ? UI_INFO : UI_ERROR) + gap;
	}

	/* summary: bottom card in portrait, right column in landscape */
	struct ui_rect sum;
	if (ui->portrait) {
		int sh = summary_layout(ui, f, listw).h;
		if (sh < ui_px(ui, 330))
			sh = ui_px(ui, 330);
		sum = (struct ui_rect){x, ui->h - pad - sh, listw, sh};
	} else if (wide_large) {
		sum = (struct ui_rect){side_x, side_y, side_w, summary_layout(ui, f, side_w).h};
	} else {
		sum = (struct ui_rect){side_x, side_y, side_w, ui->h - pad - side_y};
	}

	int list_bottom = ui->portrait ? sum.y - ui_px(ui, SP_M) : ui->h - pad;
	int split = row_split_money(ui, f, row_text_w(ui, listw));
	int row_h = row_height(ui, f, row_text_w(ui, listw), split);
	int n = flow_visible_count(f);
	/* the pager: under the list, its "1–2 de 3" between the buttons when there is room;
	 * landscape large text: under the summary, the buttons' labels wrapped */
	int pbw = screen_button_w(ui, tr(STR_PF_PREV), ui_px(ui, 360));
	int pbw2 = screen_button_w(ui, tr(STR_PF_NEXT), ui_px(ui, 360));
	pbw = pbw > pbw2 ? pbw : pbw2;
	int pgw;
	text_measure(ui->text, FONT_BODY, 0, "00–00 de 00", &pgw, NULL);
	/* no room between the buttons (large text): no "1–2 de 3", the buttons say enough */
	int page_shown = !wide_large && 2 * pbw + pgw + 2 * gap <= listw;
	int pager_h = ui_tpx(ui, TOUCH_MIN);
	struct ui_rect pside = {side_x, sum.y + sum.h + ui_px(ui, SP_M), (side_w - gap) / 2, 0};
	if (wide_large) {
		int h1 = screen_button_h(ui, tr(STR_PF_PREV), pside.w, pager_h), h2 = screen_button_h(ui, tr(STR_PF_NEXT), pside.w, pager_h);
		pside.h = h1 > h2 ? h1 : h2;
	}
	int pager_room = wide_large ? 0 : pager_h + gap;
	int avail = list_bottom - y;
	int fit = rows_fit(avail, row_h, gap);
	int paged = n > fit;
	if (paged)
		fit = rows_fit(avail - pager_room, row_h, gap);
	int first = f->first_row - f->first_row % fit;
	ui->page_rows = fit; /* pages start on a multiple of the page size */
	for (int k = 0; k < fit && first + k < n; k++) {
		int i = flow_visible_index(f, first + k);
		draw_row(ui, f, i, (struct ui_rect){x, y + k * (row_h + gap), listw, row_h}, split);
	}
	if (paged) {
		char page[48];
		int last = first + fit < n ? first + fit : n;
		snprintf(page, sizeof(page), tr(STR_PF_PAGE), first + 1, last, n);
		struct ui_rect prev = {x, list_bottom - pager_h, pbw, pager_h};
		struct ui_rect next = {x + listw - pbw, list_bottom - pager_h, pbw, pager_h};
		if (wide_large) {
			prev = pside;
			next = (struct ui_rect){pside.x + pside.w + gap, pside.y, side_w - pside.w - gap, pside.h};
		} else if (page_shown) {
			ui_label(ui, x + listw / 2, prev.y + (pager_h - ui_line_h(ui, FONT_BODY)) / 2, FONT_BODY, 0,
				 THEME_MUTED, UI_CENTER, page);
		}
		ui_button(ui, prev, tr(STR_PF_PREV), UI_SECONDARY, screen_ev(FEV_SCROLL, -fit), first > 0);
		ui_button(ui, next, tr(STR_PF_NEXT), UI_SECONDARY, screen_ev(FEV_SCROLL, fit), last < n);
	}
	/* the summary last: the keyboard's focus follows the order controls are drawn (the
	 * documents, then what to do with them) */
	draw_summary(ui, f, sum);
}

void screen_amount_draw(struct ui *ui, const struct flow *f, const struct screen_status *st)
{
	(void)st;
	const struct document *d = &f->pf.docs[f->edit_doc];
	int top = screen_topbar(ui, f, 1);
	int pad = screen_pad(ui), gap = ui_px(ui, SP_M);
	int colw = ui->portrait ? ui->w - 2 * pad : (ui->w - 3 * pad) / 2;
	int x = pad, y = top + pad;
	char buf[200], a[48], b[48];

	ui_label_fit(ui, x, y, colw, FONT_H1, 1, THEME_TEXT, UI_LEFT, tr(STR_AMT_TITLE));
	y += ui_line_h(ui, FONT_H1) + ui_px(ui, SP_S);
	ui_label_fit(ui, x, y, colw, FONT_BODY, 1, THEME_TEXT, UI_LEFT, d->line);
	y += ui_line_h(ui, FONT_BODY);
	snprintf(buf, sizeof(buf), tr(STR_AMT_DOC), d->number);
	ui_label(ui, x, y, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, buf);
	y += ui_line_h(ui, FONT_SMALL) + ui_px(ui, SP_S);
	money_str(a, sizeof(a), d->balance, d->cur);
	snprintf(buf, sizeof(buf), tr(STR_AMT_BALANCE), a);
	ui_label(ui, x, y, FONT_BODY, 0, THEME_TEXT, UI_LEFT, buf);
	y += ui_line_h(ui, FONT_BODY);
	money_str(a, sizeof(a), d->min_partial, d->cur);
	snprintf(buf, sizeof(buf), tr(STR_AMT_MIN), a);
	ui_label(ui, x, y, FONT_BODY, 0, THEME_TEXT, UI_LEFT, buf);
	y += ui_line_h(ui, FONT_BODY) + gap;

	/* the field shows the typed value formatted as money */
	int fh = ui_px(ui, 150);
	struct ui_rect fr = {x, y, colw, fh};
	ui_round(ui, fr, ui_px(ui, RADIUS), THEME_SURFACE);
	ui_round_outline(ui, fr, ui_px(ui, RADIUS), ui_px(ui, 4) > 2 ? ui_px(ui, 4) : 2, THEME_BRAND);
	int64_t v = 0;
	int has_v = f->amount_len > 0 && money_parse_whole(f->amount, &v) == 0;
	money_str(a, sizeof(a), has_v ? v : 0, d->cur);
	int fw = colw - 2 * ui_px(ui, SP_M);
	enum font_size ff = screen_fit_font(ui, a, 1, fw, FONT_DISPLAY);
	int lh = ui_line_h(ui, ff);
	ui_label_fit(ui, x + ui_px(ui, SP_M), y + (fh - lh) / 2, fw, ff, 1, has_v ? THEME_TEXT : THEME_MUTED,
		     UI_LEFT, a);
	y += fh + ui_px(ui, SP_S);
	if (has_v && v < d->balance && v >= d->min_partial) {
		money_str(a, sizeof(a), v, d->cur);
		money_str(b, sizeof(b), d->balance - v, d->cur);
		snprintf(buf, sizeof(buf), tr(STR_AMT_COVERS), a, b);
		y += ui_para(ui, (struct ui_rect){x, y, colw, 0}, FONT_BODY, 0, THEME_TEXT, UI_LEFT, buf);
	} else if (has_v && v == d->balance) {
		y += ui_para(ui, (struct ui_rect){x, y, colw, 0}, FONT_BODY, 0, THEME_TEXT, UI_LEFT,
			     tr(STR_AMT_COVERS_ALL));
	}
	y += gap;
	if (f->msg) {
		char m[400];
		flow_message(f, m, sizeof(m));
		y += ui_banner(ui, (struct ui_rect){x, y, colw, 0}, m, flow_message_is_reason(f) ? UI_INFO : UI_ERROR) + gap;
	}

	struct ui_rect bar, kp = screen_keypad_layout(ui, top, y, colw, &bar);
	/* a bar too narrow for the three buttons whole: "Pagar todo el saldo" on a row of its own */
	struct ui_rect full = {0, 0, 0, 0};
	if (screen_button_w(ui, tr(STR_BACK), 0) + screen_button_w(ui, tr(STR_AMT_FULL), 0) +
		    screen_button_w(ui, tr(STR_AMT_OK), 0) + 2 * gap > bar.w) {
		full = (struct ui_rect){bar.x, bar.y - gap - bar.h, bar.w, bar.h};
		kp.h -= bar.h + gap;
	}
	ui_keypad(ui, kp, 0);
	/* "Atrás" and "Aceptar" as wide as their labels, "Pagar todo el saldo" the rest */
	int w1 = screen_button_w(ui, tr(STR_BACK), ui_tpx(ui, TOUCH_MIN));
	int w3 = screen_button_w(ui, tr(STR_AMT_OK), (bar.w - 2 * gap) * 30 / 100);
	int w2 = bar.w - w1 - w3 - 2 * gap;
	if (full.w) {
		w1 = (bar.w - gap) / 2;
		w2 = -gap; /* the bar: "Atrás" and "Aceptar" halves */
	}
	ui_button(ui, (struct ui_rect){bar.x, bar.y, w1, bar.h}, tr(STR_BACK), UI_SECONDARY, screen_ev(FEV_BACK, 0), 1);
	if (full.w) {
		ui_button(ui, full, tr(STR_AMT_FULL), UI_SECONDARY, screen_ev(FEV_AMOUNT_FULL, 0), 1);
	} else {
		ui_button(ui, (struct ui_rect){bar.x + w1 + gap, bar.y, w2, bar.h}, tr(STR_AMT_FULL), UI_SECONDARY,
			  screen_ev(FEV_AMOUNT_FULL, 0), 1);
	}
	ui_button(ui, (struct ui_rect){bar.x + w1 + w2 + 2 * gap, bar.y, bar.w - w1 - w2 - 2 * gap, bar.h},
		  tr(STR_AMT_OK), UI_ACCENT, screen_ev(FEV_SUBMIT, 0), f->amount_len > 0);
}
