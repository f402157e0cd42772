/* field-home: the agent's clients for the day, most days past due first, with a card per
 * overdue bucket (al día, 1–30, 31–60, 61–90, más de 90: clients and overdue amount) that
 * filters the list; the search of any client by ID or the first letters of a name (the
 * keyboard opens under it); and the way to the day's close and the reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "field_internal.h"

static const enum str_id bucket_names[FIELD_BUCKET_COUNT] = {STR_FH_B_CURRENT, STR_FH_B_1_30, STR_FH_B_31_60,
							     STR_FH_B_61_90, STR_FH_B_OVER_90};

/* The rows shown: a search's results, or the work list (of one bucket, when one is picked). */
static int shown(const struct field *f, int j)
{
	return f->bucket < 0 || (int)f->wl.rows[j].bucket == f->bucket;
}

static const struct field_client *row_at(struct field *f, int i)
{
	if (f->found)
		return i < f->nfound ? &f->found[i] : NULL;
	for (int j = 0, k = 0; j < f->wl.n; j++)
		if (shown(f, j) && k++ == i)
			return &f->wl.rows[j];
	return NULL;
}

static int count_rows(struct field *f)
{
	int n = 0;
	if (f->found)
		return f->nfound;
	for (int j = 0; j < f->wl.n; j++)
		n += shown(f, j);
	return n;
}

static void search(struct app *a)
{
	struct field *f = field_of(a);
	struct field_client *rows = NULL;
	int n = 0;
	if (!a->svc.store)
		return;
	int rc = field_search(a->svc.store, f->agent.code, f->in[FI_SEARCH].buf, field_today(a), FIELD_LIST_MAX, &rows, &n);
	if (rc == STORE_EINVAL) {
		field_say(a, UI_ERROR, "%s", store_error(a->svc.store));
		return;
	}
	if (rc != 0) {
		field_say(a, UI_ERROR, tr(STR_FH_LOAD_ERROR), store_error(a->svc.store));
		return;
	}
	free(f->found);
	f->found = rows;
	f->nfound = n;
	f->page = 0;
	f->searching = 0;
	if (n == 0)
		field_say(a, UI_INFO, "%s", tr(STR_FH_NONE_FOUND));
	else
		f->msg[0] = 0;
	if (!rows) { /* no rows: still "a search is shown" */
		f->found = calloc(1, sizeof(*f->found));
		f->nfound = 0;
	}
	f->dirty = 1;
}

static void clear_search(struct field *f)
{
	free(f->found);
	f->found = NULL;
	f->nfound = 0;
	f->searching = 0;
	ui_kbd_field_clear(&f->in[FI_SEARCH]);
	f->page = 0;
	f->msg[0] = 0;
	f->dirty = 1;
}

static int handle(struct app *a, const struct act_event *e)
{
	struct field *f = field_of(a);
	if (e->type == ACT_JOB)
		return 1;
	if (e->type == ACT_SCROLL && a->ui.page_rows > 0) {
		int pages = (count_rows(f) + a->ui.page_rows - 1) / a->ui.page_rows;
		f->page += e->pages;
		if (f->page >= pages)
			f->page = pages - 1;
		if (f->page < 0)
			f->page = 0;
		f->dirty = 1;
		return 1;
	}
	if (e->type == ACT_KEY && e->key == APP_KEY_ENTER && f->searching) {
		search(a);
		return 1;
	}
	if (e->type == ACT_KEY && e->key == APP_KEY_ESCAPE) {
		clear_search(f);
		return 1;
	}
	if (e->type != ACT_ACTION) {
		if (e->type == ACT_TEXT && !f->searching) { /* typing on a physical keyboard starts a search */
			f->searching = 1;
			f->focus = FI_SEARCH;
		}
		return f->searching ? field_type(a, e) : 0;
	}
	switch (e->act.action) {
	case FA_FOCUS:
		f->searching = 1;
		f->focus = FI_SEARCH;
		f->kbd = (struct ui_kbd){0};
		f->dirty = 1;
		return 1;
	case FA_SEARCH:
		search(a);
		return 1;
	case FA_SEARCH_CLEAR:
		clear_search(f);
		return 1;
	case FA_BUCKET:
		clear_search(f);
		f->bucket = f->bucket == e->act.arg ? -1 : e->act.arg;
		return 1;
	case FA_PAGE:
		f->page += e->act.arg;
		if (f->page < 0)
			f->page = 0;
		f->dirty = 1;
		return 1;
	case FA_OPEN_CLIENT: {
		const struct field_client *c = row_at(f, e->act.arg);
		if (c)
			field_open_client(a, c->id_type, c->id_number);
		return 1;
	}
	case FA_CLOSE_DAY:
		field_go(a, FP_CLOSE);
		return 1;
	case FA_REPORTS:
		field_go(a, FP_REPORTS);
		return 1;
	default:
		return f->searching ? field_type(a, e) : 0;
	}
}

/* A button as wide as its label at the button's type size, at least a touch target. */
static int button_w(struct ui *ui, const char *label)
{
	int w;
	text_measure(ui->text, FONT_BODY, 1, label, &w, NULL);
	w += 2 * ui_px(ui, SP_M);
	return w < ui_px(ui, TOUCH_MIN * 2) ? ui_px(ui, TOUCH_MIN * 2) : w;
}

/* The bucket cards: "Todos" and one per bucket, each a button that filters the list. */
static int draw_buckets(struct app *a, int x, int y, int w)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	int gap = ui_px(ui, SP_XS), n = FIELD_BUCKET_COUNT, ch = ui_px(ui, 150);
	int cw = (w - (n - 1) * gap) / n;
	for (int b = 0; b < n; b++) {
		struct ui_rect r = {x + b * (cw + gap), y, cw, ch};
		int sel = f->bucket == b && !f->found;
		ui_round(ui, r, ui_px(ui, RADIUS), sel ? THEME_SELECTED : THEME_SURFACE);
		ui_round_outline(ui, r, ui_px(ui, RADIUS), sel ? 4 : 2, sel ? THEME_BRAND : THEME_LINE);
		char count[48], sum[48];
		if (f->wl.bucket_clients[b] == 1)
			snprintf(count, sizeof(count), "%s", tr(STR_FH_CLIENT1));
		else
			snprintf(count, sizeof(count), tr(STR_FH_CLIENTS), (long long)f->wl.bucket_clients[b]);
		field_money(sum, sizeof(sum), f->wl.bucket_overdue_cop[b], CUR_COP);
		int p = ui_px(ui, SP_S), lh = ui_line_h(ui, FONT_SMALL);
		ui_label_fit(ui, r.x + p, r.y + p / 2, r.w - 2 * p, FONT_SMALL, 1,
			     b >= FIELD_BUCKET_61_90 ? THEME_DANGER : THEME_TEXT, UI_LEFT, tr(bucket_names[b]));
		ui_label_fit(ui, r.x + p, r.y + p / 2 + lh, r.w - 2 * p, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, count);
		ui_label_fit(ui, r.x + p, r.y + p / 2 + 2 * lh, r.w - 2 * p, FONT_SMALL, 1, THEME_TEXT, UI_LEFT, sum);
		ui_hit(ui, r, (struct ui_action){FA_BUCKET, b}, tr(bucket_names[b]));
	}
	return ch;
}

static void draw_row(struct app *a, struct ui_rect r, const struct field_client *c, int i)
{
	struct ui *ui = &a->ui;
	int p = ui_px(ui, SP_S), lh = ui_line_h(ui, FONT_BODY) + ui_px(ui, SP_XS);
	ui_round(ui, r, ui_px(ui, RADIUS), THEME_SURFACE);
	ui_round_outline(ui, r, ui_px(ui, RADIUS), 2, THEME_LINE);
	char id[48], days[64], owed[64];
	snprintf(id, sizeof(id), "%s %s", id_type_code(c->id_type), c->id_number);
	if (c->days_past_due > 0)
		snprintf(days, sizeof(days), tr(STR_FH_DAYS_LATE), c->days_past_due);
	else
		snprintf(days, sizeof(days), "%s", tr(STR_FH_B_CURRENT));
	char sum[40]; /* what the amount is, in words: overdue, or the balance of a client al día */
	field_money(sum, sizeof(sum), c->days_past_due > 0 ? c->overdue_cop_minor : c->owed_cop_minor, CUR_COP);
	snprintf(owed, sizeof(owed), tr(c->days_past_due > 0 ? STR_FH_OVERDUE : STR_FH_OWED), sum);
	int right = ui_px(ui, 330);
	ui_label_fit(ui, r.x + p, r.y + p / 2, r.w - right - 2 * p, FONT_BODY, 1, THEME_TEXT, UI_LEFT, c->name);
	ui_label_fit(ui, r.x + p, r.y + p / 2 + lh, r.w - right - 2 * p, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, id);
	ui_label_fit(ui, r.x + r.w - p, r.y + p / 2, right, FONT_BODY, 1,
		     c->days_past_due > 60 ? THEME_DANGER : THEME_TEXT, UI_RIGHT, owed);
	ui_label_fit(ui, r.x + r.w - p, r.y + p / 2 + lh, right, FONT_SMALL, c->days_past_due > 0, THEME_MUTED,
		     UI_RIGHT, days);
	ui_hit(ui, r, (struct ui_action){FA_OPEN_CLIENT, i}, c->name);
}

static void draw(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	int top = field_top_bar(a, tr(STR_FH_TITLE)), pad = screen_pad(ui), gap = ui_px(ui, SP_S);
	int x = pad, w = ui->w - 2 * pad, y = top + gap, bottom = ui->h - pad;
	if (f->searching)
		bottom = field_keyboard(a, (struct ui_rect){body.x, top, body.w, body.h - top}) - gap;

	/* the search line: the field, Buscar / Ver mi lista; then the close and the reports, each
	 * button as wide as its word */
	int bh = ui_px(ui, 110), bw = ui_px(ui, 250);
	int cw = button_w(ui, tr(STR_FH_CLOSE)), rw = button_w(ui, tr(STR_FH_REPORTS));
	int apart = ui->portrait; /* portrait: the close and the reports on a row of their own */
	int sw = w - (f->searching || f->found ? 2 : 1) * (bw + gap) - (f->searching || apart ? 0 : cw + rw + 2 * gap);
	field_input(a, (struct ui_rect){x, y, sw, 0}, FI_SEARCH, tr(STR_FH_SEARCH));
	int by = y + ui_line_h(ui, FONT_SMALL) + ui_px(ui, SP_XS) / 2;
	int bx = x + sw + gap;
	ui_button(ui, (struct ui_rect){bx, by, bw, bh}, tr(STR_FH_SEARCH_GO), UI_PRIMARY, (struct ui_action){FA_SEARCH, 0},
		  f->in[FI_SEARCH].len > 0);
	bx += bw + gap;
	if (f->searching || f->found) {
		ui_button(ui, (struct ui_rect){bx, by, bw, bh}, tr(STR_FH_SEARCH_CLEAR), UI_SECONDARY,
			  (struct ui_action){FA_SEARCH_CLEAR, 0}, 1);
		bx += bw + gap;
	}
	y = by + bh + gap;
	if (!f->searching) {
		if (apart) {
			bx = x;
			by = y;
			cw = rw = (w - gap) / 2;
			y += bh + gap;
		}
		ui_button(ui, (struct ui_rect){bx, by, cw, bh}, tr(STR_FH_CLOSE), UI_SECONDARY,
			  (struct ui_action){FA_CLOSE_DAY, 0}, 1);
		ui_button(ui, (struct ui_rect){bx + cw + gap, by, rw, bh}, tr(STR_FH_REPORTS), UI_SECONDARY,
			  (struct ui_action){FA_REPORTS, 0}, 1);
	}
	if (f->msg[0] && y + ui_banner_height(ui, w, f->msg) < bottom)
		y += field_message(a, (struct ui_rect){x, y, w, 0});
	if (!f->searching && !f->found) {
		y += draw_buckets(a, x, y, w) + gap;
	} else if (f->found) {
		char line[96];
		if (f->nfound == 1)
			snprintf(line, sizeof(line), "%s", tr(STR_FH_FOUND1));
		else
			snprintf(line, sizeof(line), tr(STR_FH_FOUND), f->nfound);
		ui_label_fit(ui, x, y, w, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, line);
		y += ui_line_h(ui, FONT_SMALL) + gap / 2;
	}

	/* the list, a page at a time */
	int n = count_rows(f), rh = ui_px(ui, 130), nav = n > 0 ? ui_px(ui, TOUCH_MIN) + gap : 0;
	int per = (bottom - y - nav + gap) / (rh + gap);
	if (per < 1) { /* the keyboard takes the room: the list comes back when it closes */
		ui->page_rows = 0;
		return;
	}
	ui->page_rows = per;
	int pages = (n + per - 1) / per;
	if (f->page >= pages)
		f->page = pages > 0 ? pages - 1 : 0;
	if (n == 0 && !f->found) {
		ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 0, THEME_MUTED, UI_LEFT,
			tr(f->wl.n ? STR_FH_BUCKET_EMPTY : STR_FH_EMPTY));
		return;
	}
	for (int i = f->page * per, k = 0; i < n && k < per; i++, k++)
		draw_row(a, (struct ui_rect){x, y + k * (rh + gap), w, rh}, row_at(f, i), i);
	if (pages > 1)
		field_pager(a, x, bottom - ui_px(ui, TOUCH_MIN), w, f->page, pages);
}

const struct field_screen field_home_screen = {"field-home", draw, handle};
