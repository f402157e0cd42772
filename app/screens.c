/* Screen table, shared chrome (top bar, language toggle), attract, thank-you and the
 * inactivity overlay. The other screens live in screen_*.c. */
#include "screens.h"

#include "maint.h"

#include <stdio.h>
#include <time.h>

static const struct screen screens[SCR_COUNT] = {
	{SCR_ATTRACT, screen_attract_draw},     {SCR_ID_ENTRY, screen_id_draw},
	{SCR_PORTFOLIO, screen_portfolio_draw}, {SCR_AMOUNT, screen_amount_draw},
	{SCR_COUPON, screen_coupon_draw},       {SCR_DONE, screen_done_draw},
};

struct ui_action screen_ev(enum flow_ev_type t, int arg) { return (struct ui_action){UI_ACT_USER + (int)t, arg}; }

int screen_pad(const struct ui *ui) { return ui_px(ui, ui->portrait ? SP_L : SP_M); }

enum font_size screen_fit_font(struct ui *ui, const char *text, int bold, int max_w, enum font_size from)
{
	enum font_size f = from;
	for (;;) {
		int w;
		text_measure(ui->text, f, bold, text, &w, NULL);
		if (w <= max_w || f == FONT_CAPTION)
			return f;
		f = (enum font_size)(f - 1);
	}
}

struct ui_rect screen_keypad_layout(struct ui *ui, int top, int content_bottom, int colw, struct ui_rect *bar)
{
	int pad = screen_pad(ui), gap = ui_px(ui, SP_M), bh = ui_tpx(ui, 140);
	if (ui->portrait) {
		int kw = ui->w - 2 * pad < ui_px(ui, 820) ? ui->w - 2 * pad : ui_px(ui, 820);
		int kh = ui_px(ui, 4 * 150 + 3 * SP_S);
		*bar = (struct ui_rect){pad, ui->h - pad - bh, ui->w - 2 * pad, bh};
		if (kh > bar->y - gap - content_bottom)
			kh = bar->y - gap - content_bottom;
		return (struct ui_rect){(ui->w - kw) / 2, bar->y - gap - kh, kw, kh};
	}
	int kx = pad + colw + pad;
	*bar = (struct ui_rect){kx, ui->h - pad - bh, ui->w - kx - pad, bh};
	return (struct ui_rect){kx, top + pad, bar->w, bar->y - gap - top - pad};
}

static enum money_style style(void)
{
	return i18n_get() == LANG_EN ? MONEY_STYLE_EN : MONEY_STYLE_ES;
}

size_t screen_money(char *buf, size_t n, struct money m)
{
	return money_format_style(buf, n, m, style());
}

size_t screen_trm(char *buf, size_t n, const struct trm *t)
{
	return trm_format_style(buf, n, t, style());
}

int screen_button_w(struct ui *ui, const char *label, int min_w)
{
	int w;
	text_measure(ui->text, FONT_BODY, 1, label, &w, NULL);
	w += ui_px(ui, 2 * SP_S) + ui_px(ui, SP_M);
	return w < min_w ? min_w : w;
}

int screen_button_h(struct ui *ui, const char *label, int w, int min_h)
{
	int n = text_wrap(ui->text, FONT_BODY, 1, label, w - ui_px(ui, 2 * SP_S), NULL, NULL);
	int h = n * text_line_height_of(ui->text, FONT_BODY, 1) + ui_px(ui, 2 * SP_XS);
	return h < min_h ? min_h : h;
}

void screen_datetime(char *buf, size_t n, int64_t epoch_s)
{
	time_t t = (time_t)epoch_s;
	struct tm tm;
	localtime_r(&t, &tm);
	snprintf(buf, n, "%02d/%02d/%04d %02d:%02d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900, tm.tm_hour,
		 tm.tm_min);
}

/* A pill of the top bar, outlined on the brand colour; `on` (a toggle that is on) inverts it.
 * `shown` is drawn, `label` names the control for scripts. */
static void bar_button(struct ui *ui, struct ui_rect r, enum font_size f, const char *shown, const char *label,
		       struct ui_action act, int on)
{
	int rad = ui_px(ui, RADIUS);
	ui_round(ui, r, rad, on ? THEME_ON_BRAND : THEME_BRAND);
	if (!on) /* on: the filled pill is its own edge */
		ui_round_outline(ui, r, rad, ui_px(ui, 3) > 2 ? ui_px(ui, 3) : 2, THEME_ON_BRAND);
	ui_label(ui, r.x + r.w / 2, r.y + (r.h - ui_line_h(ui, f)) / 2, f, 1, on ? THEME_BRAND : THEME_ON_BRAND,
		 UI_CENTER, shown);
	ui_hit(ui, r, act, label);
}

static int bar_button_w(struct ui *ui, enum font_size f, const char *shown)
{
	int w, min = ui_tpx(ui, TOUCH_MIN);
	text_measure(ui->text, f, 1, shown, &w, NULL);
	w += 2 * ui_px(ui, SP_M);
	return w < min ? min : w;
}

/* The controls every customer screen has at its top right: large text, contrast, language,
 * ending at `right`, `bh` tall at y. Returns the left edge of the group (font: *f); draws
 * them (left to right: the keyboard's focus follows the order controls are drawn) only when
 * draw is set, so a caller can place what goes before them first. */
static int look_toggles(struct ui *ui, const struct flow *f, int y, int bh, int right, int room, enum font_size *fs,
			int draw)
{
	char contrast[48];
	snprintf(contrast, sizeof(contrast), "◐ %s", tr(STR_CONTRAST));
	int gap = ui_px(ui, SP_M);
	enum font_size sz = FONT_BODY;
	int w1, w2, w3;
	for (;;) {
		w1 = bar_button_w(ui, sz, tr(STR_TEXT_SIZE));
		w2 = bar_button_w(ui, sz, contrast);
		w3 = bar_button_w(ui, sz, tr(STR_LANG_TOGGLE));
		if (w1 + w2 + w3 + 2 * gap <= room || sz == FONT_CAPTION)
			break;
		sz = (enum font_size)(sz - 1);
	}
	int x3 = right - w3, x2 = x3 - gap - w2, x1 = x2 - gap - w1;
	if (draw) {
		bar_button(ui, (struct ui_rect){x1, y, w1, bh}, sz, tr(STR_TEXT_SIZE), tr(STR_TEXT_SIZE),
			   screen_ev(FEV_TEXT_SIZE, 0), f->large_text);
		bar_button(ui, (struct ui_rect){x2, y, w2, bh}, sz, contrast, tr(STR_CONTRAST),
			   screen_ev(FEV_CONTRAST, 0), f->high_contrast);
		bar_button(ui, (struct ui_rect){x3, y, w3, bh}, sz, tr(STR_LANG_TOGGLE), tr(STR_LANG_TOGGLE),
			   screen_ev(FEV_LANG, 0), 0);
	}
	if (fs)
		*fs = sz;
	return x1;
}

/* Brand bar: the brand and "Salir" (inside a session) at the left, far from the language toggle,
 * and the look and language toggles at the right (every customer screen). The brand only
 * where it fits whole (large text on a narrow screen has no room for it); "Salir" then keeps
 * out of the technician's corner (MAINT_CORNER_PX: a finger resting there mid-journey is
 * not "Salir"). Returns the bar's height. */
int screen_topbar(struct ui *ui, const struct flow *f, int with_exit)
{
	int bh = ui_tpx(ui, TOUCH_MIN);
	int m = ui_px(ui, ui->portrait ? 27 : SP_S);
	int h = bh + 2 * m;
	int pad = screen_pad(ui), gap = ui_px(ui, SP_M);
	ui_fill(ui, (struct ui_rect){0, 0, ui->w, h}, THEME_BRAND);
	enum font_size fs;
	int corner = MAINT_CORNER_PX + gap;
	int ex_w = with_exit ? bar_button_w(ui, FONT_BODY, tr(STR_EXIT)) : 0;
	int room = ui->w - 2 * pad - (with_exit ? ex_w + gap + (corner > pad ? corner - pad : 0) : 0);
	int gx = look_toggles(ui, f, m, bh, ui->w - pad, room, &fs, 0);
	int bw, lh = ui_line_h(ui, FONT_H1);
	text_measure(ui->text, FONT_H1, 1, tr(STR_BRAND), &bw, NULL);
	int brand = pad + bw + gap + (with_exit ? ex_w + gap : 0) <= gx;
	if (brand)
		ui_label(ui, pad, (h - lh) / 2, FONT_H1, 1, THEME_ON_BRAND, UI_LEFT, tr(STR_BRAND));
	if (with_exit) {
		int x = brand ? pad + bw + gap : corner;
		struct ui_rect ex = {x, m, bar_button_w(ui, fs, tr(STR_EXIT)), bh};
		if (ex.x + ex.w + gap > gx)
			ex.x = pad;
		int blh = ui_line_h(ui, fs);
		ui_round_outline(ui, ex, ui_px(ui, RADIUS), ui_px(ui, 3) > 2 ? ui_px(ui, 3) : 2, THEME_ON_BRAND);
		ui_label(ui, ex.x + ex.w / 2, ex.y + (bh - blh) / 2, fs, 1, THEME_ON_BRAND, UI_CENTER, tr(STR_EXIT));
		ui_hit(ui, ex, screen_ev(FEV_EXIT_ASK, 0), tr(STR_EXIT)); /* asks before wiping */
	}
	look_toggles(ui, f, m, bh, ui->w - pad, room, NULL, 1);
	return h;
}

void screen_attract_draw(struct ui *ui, const struct flow *f, const struct screen_status *st)
{
	int pad = screen_pad(ui);
	/* the background is THEME_BRAND already (screens_draw): one full-screen fill per frame */
	/* the whole screen starts a session; the language toggle sits on top of it */
	ui_hit(ui, (struct ui_rect){0, 0, ui->w, ui->h}, screen_ev(FEV_START, 0), NULL); /* the pill below is the control */
	int y = ui->portrait ? ui->h / 5 : ui->h / 8;
	if (y < pad + ui_tpx(ui, TOUCH_MIN) + ui_px(ui, SP_S)) /* under the corner buttons */
		y = pad + ui_tpx(ui, TOUCH_MIN) + ui_px(ui, SP_S);
	ui_label(ui, ui->w / 2, y, FONT_DISPLAY, 1, THEME_ON_BRAND, UI_CENTER, tr(STR_BRAND));
	y += ui_line_h(ui, FONT_DISPLAY);
	ui_label(ui, ui->w / 2, y, FONT_BODY, 0, THEME_ON_BRAND, UI_CENTER, tr(STR_BRAND_TAGLINE));
	y += ui_line_h(ui, FONT_BODY) + ui_px(ui, ui->portrait ? 160 : SP_XL);
	int tw = ui->w - 4 * pad;
	y += ui_para(ui, (struct ui_rect){2 * pad, y, tw, 0}, FONT_H1, 1, THEME_ON_BRAND, UI_CENTER,
		     tr(STR_ATTRACT_TITLE));
	y += ui_px(ui, SP_M);
	/* the call to action, a big white pill, under the steps; how to turn spoken guidance on
	 * goes under the pill, or where there is no room there (a printer notice, a reprint
	 * offer, large text on a short screen) in the steps' place: it is never left out */
	int large = ui->look == UI_LOOK_LARGE; /* the call to action grows with the text */
	int bw = ui_px(ui, large ? 1000 : 720), bh = ui_px(ui, large ? 220 : 170);
	if (bw > ui->w - 2 * pad)
		bw = ui->w - 2 * pad;
	const char *how = st->speech ? tr(st->speech == 2 ? STR_ATTRACT_SPEECH_PLUG : STR_ATTRACT_SPEECH) : NULL;
	int body_lh = ui_line_h(ui, FONT_BODY);
	int how_h = how ? text_wrap(ui->text, FONT_BODY, 0, how, tw, NULL, NULL) * body_lh : 0;
	int steps_h = text_wrap(ui->text, FONT_BODY, 0, tr(STR_ATTRACT_STEPS), tw, NULL, NULL) * body_lh;
	/* a printer that cannot print: said before anyone starts, not after the coupon is issued */
	const char *notice = st->printer == STR_PRINTER_NO_PAPER  ? tr(STR_ATTRACT_NO_PAPER)
			     : st->printer == STR_PRINTER_PROBLEM ? tr(STR_ATTRACT_NO_PRINTER)
								  : NULL;
	int notice_h = notice ? ui_banner_height(ui, tw, notice) : 0;
	/* the top of what is stacked over the status line (the notice, the reprint offer) */
	int above_est = ui->h - pad - 2 * ui_line_h(ui, FONT_SMALL);
	if (notice)
		above_est -= ui_px(ui, SP_M) + notice_h;
	if (st->reprint_offer)
		above_est -= ui_px(ui, SP_L) + ui_tpx(ui, 120);
	int pill_y = ui->portrait ? ui->h * 3 / 5 : y + steps_h + ui_px(ui, SP_XL);
	int how_below = how && pill_y + bh + ui_px(ui, SP_M) + how_h + ui_px(ui, SP_M) <= above_est;
	y += ui_para(ui, (struct ui_rect){2 * pad, y, tw, 0}, FONT_BODY, 0, how && !how_below ? THEME_ON_BRAND : THEME_SELECTED,
		     UI_CENTER, how && !how_below ? how : tr(STR_ATTRACT_STEPS));
	int by = ui->portrait ? ui->h * 3 / 5 : y + ui_px(ui, SP_XL);
	int room = above_est - ui_px(ui, SP_M) - (how_below ? how_h + ui_px(ui, SP_M) : 0);
	if (!ui->portrait && by + bh > room) { /* a short screen: less air above, then a lower pill */
		by = y + ui_px(ui, SP_M);
		if (by + bh > room)
			bh = room - by > ui_tpx(ui, TOUCH_MIN) ? room - by : ui_tpx(ui, TOUCH_MIN);
	}
	struct ui_rect b = {(ui->w - bw) / 2, by, bw, bh};
	ui_round(ui, b, bh / 2, THEME_SURFACE);
	enum font_size cf = screen_fit_font(ui, tr(STR_ATTRACT_TOUCH), 1, bw - 2 * pad, FONT_H1);
	int lh = ui_line_h(ui, cf);
	ui_label_fit(ui, ui->w / 2, b.y + (bh - lh) / 2, bw - 2 * pad, cf, 1, THEME_BRAND, UI_CENTER,
		     tr(STR_ATTRACT_TOUCH));
	ui_hit(ui, b, screen_ev(FEV_START, 0), tr(STR_ATTRACT_TOUCH)); /* the keyboard's focus rings it */

	/* calm status line: data freshness and printer */
	char when[32], line[160], pr[96];
	if (st->central && st->online) {
		if (st->last_sync > 0) {
			screen_datetime(when, sizeof(when), st->last_sync);
			snprintf(line, sizeof(line), tr(STR_STATUS_ONLINE), when + 11); /* the time of day */
		} else {
			snprintf(line, sizeof(line), "%s", tr(STR_STATUS_ONLINE_NEVER));
		}
	} else if (st->data_as_of > 0) {
		screen_datetime(when, sizeof(when), st->data_as_of);
		if (st->central)
			snprintf(line, sizeof(line), tr(STR_STATUS_OFFLINE_SYNC), when, (int)st->queue_depth);
		else
			snprintf(line, sizeof(line), tr(STR_STATUS_LOCAL), when);
	} else {
		snprintf(line, sizeof(line), "%s", tr(STR_STATUS_NODATA));
	}
	snprintf(pr, sizeof(pr), tr(STR_STATUS_PRINTER), tr(st->printer));
	int sh = ui_line_h(ui, FONT_SMALL);
	int sy = ui->h - pad - 2 * sh;
	ui_label(ui, ui->w / 2, sy, FONT_SMALL, 0, THEME_SELECTED, UI_CENTER, line);
	ui_label(ui, ui->w / 2, sy + sh, FONT_SMALL, 0, THEME_SELECTED, UI_CENTER, pr);

	int above = sy;
	if (notice) {
		above -= ui_px(ui, SP_M) + notice_h;
		ui_banner(ui, (struct ui_rect){2 * pad, above, tw, 0}, notice, UI_ERROR);
	}
	if (st->reprint_offer) {
		/* after a restart mid-print: the customer may still be standing here */
		int rw = ui->w - 4 * pad, rh = ui_tpx(ui, 120);
		struct ui_rect r = {2 * pad, above - ui_px(ui, SP_L) - rh, rw, rh};
		ui_round(ui, r, ui_px(ui, RADIUS), THEME_BRAND_2);
		ui_round_outline(ui, r, ui_px(ui, RADIUS), 2, THEME_ON_BRAND);
		ui_label_fit(ui, r.x + r.w / 2, r.y + (rh - ui_line_h(ui, FONT_BODY)) / 2, rw - 2 * pad, FONT_BODY, 1,
			     THEME_ON_BRAND, UI_CENTER, tr(STR_ATTRACT_REPRINT));
		ui_hit(ui, r, screen_ev(FEV_REPRINT, 0), tr(STR_ATTRACT_REPRINT));
	}
	if (how_below)
		ui_para(ui, (struct ui_rect){2 * pad, b.y + bh + ui_px(ui, SP_M), tw, 0}, FONT_BODY, 0, THEME_ON_BRAND,
			UI_CENTER, how);
	look_toggles(ui, f, pad, ui_tpx(ui, TOUCH_MIN), ui->w - pad, ui->w - 2 * pad, NULL, 1);
}

void screen_done_draw(struct ui *ui, const struct flow *f, const struct screen_status *st)
{
	(void)st;
	int top = screen_topbar(ui, f, 0);
	int pad = screen_pad(ui);
	int cy = top + (ui->h - top) / 3;
	int d = ui_px(ui, 200);
	ui_round(ui, (struct ui_rect){(ui->w - d) / 2, cy - d / 2, d, d}, d / 2, THEME_ACCENT);
	int lh = ui_line_h(ui, FONT_DISPLAY);
	ui_label(ui, ui->w / 2, cy - lh / 2, FONT_DISPLAY, 1, THEME_ON_BRAND, UI_CENTER, "✓");
	int y = cy + d / 2 + ui_px(ui, SP_L);
	ui_label(ui, ui->w / 2, y, FONT_H1, 1, THEME_TEXT, UI_CENTER, tr(STR_DONE_TITLE));
	y += ui_line_h(ui, FONT_H1) + ui_px(ui, SP_M);
	y += ui_para(ui, (struct ui_rect){2 * pad, y, ui->w - 4 * pad, 0}, FONT_BODY, 0, THEME_MUTED, UI_CENTER,
		     tr(STR_DONE_BODY));
	int bw = ui_px(ui, 600), bh = ui_tpx(ui, 130);
	y += ui_px(ui, SP_XL);
	ui_button(ui, (struct ui_rect){(ui->w - bw) / 2, y, bw, bh}, tr(STR_DONE_NEW), UI_PRIMARY,
		  screen_ev(FEV_FINISH, 0), 1);
}

static void draw_countdown(struct ui *ui, const struct flow *f)
{
	int w = ui->w - 2 * screen_pad(ui);
	if (w > ui_px(ui, 900))
		w = ui_px(ui, 900);
	int pad = ui_px(ui, SP_L), gap = ui_px(ui, SP_M), bh = ui_tpx(ui, 130);
	char body[160], secs[8];
	int left = flow_countdown_left(f);
	snprintf(body, sizeof(body), tr(STR_IDLE_BODY), left);
	snprintf(secs, sizeof(secs), "%d", left);
	int body_h = text_wrap(ui->text, FONT_BODY, 0, body, w - 2 * pad, NULL, NULL) * ui_line_h(ui, FONT_BODY);
	int title_h = text_wrap(ui->text, FONT_H1, 1, tr(STR_IDLE_TITLE), w - 2 * pad, NULL, NULL) *
		      text_line_height_of(ui->text, FONT_H1, 1);
	int h = 2 * pad + title_h + gap + ui_line_h(ui, FONT_DISPLAY) + gap + body_h + pad + bh;
	struct ui_rect in = ui_dialog(ui, w, h);
	/* a touch anywhere, not only on its buttons, is a customer still here: more time */
	ui_hit(ui, (struct ui_rect){0, 0, ui->w, ui->h}, screen_ev(FEV_MORE_TIME, 0), NULL); /* not a focus stop */
	int y = in.y;
	y += ui_para(ui, (struct ui_rect){in.x, y, in.w, 0}, FONT_H1, 1, THEME_TEXT, UI_CENTER, tr(STR_IDLE_TITLE)) + gap;
	/* the seconds left, large: the customer sees time running out at a glance */
	ui_label(ui, in.x + in.w / 2, y, FONT_DISPLAY, 1, THEME_BRAND, UI_CENTER, secs);
	y += ui_line_h(ui, FONT_DISPLAY) + gap;
	ui_para(ui, (struct ui_rect){in.x, y, in.w, 0}, FONT_BODY, 0, THEME_MUTED, UI_CENTER, body);
	int bw = (in.w - gap) / 2;
	int by = in.y + in.h - bh;
	ui_button(ui, (struct ui_rect){in.x, by, bw, bh}, tr(STR_IDLE_END), UI_SECONDARY, screen_ev(FEV_CANCEL, 0), 1);
	ui_button(ui, (struct ui_rect){in.x + bw + gap, by, bw, bh}, tr(STR_IDLE_MORE), UI_ACCENT,
		  screen_ev(FEV_MORE_TIME, 0), 1);
}

/* "Salir": the session is wiped only on "Sí, salir" (the overlay's other touches keep it). */
static void draw_confirm_exit(struct ui *ui)
{
	int w = ui->w - 2 * screen_pad(ui);
	if (w > ui_px(ui, 900))
		w = ui_px(ui, 900);
	int pad = ui_px(ui, SP_L), gap = ui_px(ui, SP_M), bh = ui_px(ui, 130);
	int body_h = text_wrap(ui->text, FONT_BODY, 0, tr(STR_EXIT_BODY), w - 2 * pad, NULL, NULL) *
		     ui_line_h(ui, FONT_BODY);
	int title_h = text_wrap(ui->text, FONT_H1, 1, tr(STR_EXIT_TITLE), w - 2 * pad, NULL, NULL) *
		      text_line_height_of(ui->text, FONT_H1, 1);
	int h = 2 * pad + title_h + gap + body_h + pad + bh;
	struct ui_rect in = ui_dialog(ui, w, h);
	ui_hit(ui, (struct ui_rect){0, 0, ui->w, ui->h}, screen_ev(FEV_EXIT_KEEP, 0), NULL);
	int y = in.y;
	y += ui_para(ui, (struct ui_rect){in.x, y, in.w, 0}, FONT_H1, 1, THEME_TEXT, UI_CENTER,
		     tr(STR_EXIT_TITLE)) +
	     gap;
	ui_para(ui, (struct ui_rect){in.x, y, in.w, 0}, FONT_BODY, 0, THEME_MUTED, UI_CENTER,
		tr(STR_EXIT_BODY));
	int bw = (in.w - gap) / 2;
	int by = in.y + in.h - bh;
	ui_button(ui, (struct ui_rect){in.x, by, bw, bh}, tr(STR_EXIT_YES), UI_SECONDARY,
		  screen_ev(FEV_CANCEL, 0), 1);
	ui_button(ui, (struct ui_rect){in.x + bw + gap, by, bw, bh}, tr(STR_EXIT_NO), UI_ACCENT,
		  screen_ev(FEV_EXIT_KEEP, 0), 1);
}

void screens_draw(struct ui *ui, const struct flow *f, const struct screen_status *st)
{
	i18n_set(f->lang);
	/* the customer's look: minimum sizes, and large text / high contrast while the session asks */
	ui_set_look(ui, f->large_text, f->high_contrast);
	ui_begin(ui, f->screen == SCR_ATTRACT ? THEME_BRAND : THEME_BG);
	if ((unsigned)f->screen < SCR_COUNT)
		screens[f->screen].draw(ui, f, st);
	if (f->confirm_exit)
		draw_confirm_exit(ui);
	if (f->countdown)
		draw_countdown(ui, f);
}
