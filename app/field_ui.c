/* Drawing pieces every field screen shares (field_internal.h): the bar at the top, the text
 * inputs and the keyboard that types into the focused one. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "field_internal.h"

int field_top_bar(struct app *a, const char *title)
{
	struct ui *ui = &a->ui;
	struct field *f = a->field;
	int h = ui_px(ui, 120), pad = screen_pad(ui);
	int bh = ui_px(ui, TOUCH_MIN), gap = ui_px(ui, SP_S);
	ui_fill(ui, (struct ui_rect){0, 0, ui->w, h}, THEME_BRAND);
	int right = ui->w - pad;
	if (f->logged_in) { /* always there once someone is logged in */
		int bw = ui_px(ui, 300);
		struct ui_rect b = {right - bw, (h - bh) / 2, bw, bh};
		ui_button(ui, b, tr(STR_F_LOGOUT), UI_SECONDARY, (struct ui_action){FA_LOGOUT, 0}, !f->job);
		right = b.x - gap;
	}
	int lw = ui_px(ui, 170);
	struct ui_rect lang = {right - lw, (h - bh) / 2, lw, bh};
	ui_button(ui, lang, tr(STR_LANG_TOGGLE), UI_PRIMARY, (struct ui_action){FA_LANG, 0}, 1);
	ui_round_outline(ui, lang, ui_px(ui, RADIUS), 2, THEME_ON_BRAND);
	right = lang.x - gap;

	/* the connection and the data's age, and the unsynced cash: one caption line under the title */
	char line[200], when[32] = "", cash[48] = "";
	if (a->st.data_as_of > 0)
		screen_datetime(when, sizeof(when), a->st.data_as_of);
	if (a->st.central)
		snprintf(line, sizeof(line), "%s · %s %s", tr(a->st.online ? STR_F_ONLINE : STR_F_OFFLINE),
			 tr(STR_F_DATA_AT), when[0] ? when : "—");
	else /* a standalone tablet: its data is all there is */
		snprintf(line, sizeof(line), "%s %s", tr(STR_F_DATA_AT_CAP), when[0] ? when : "—");
	if (f->logged_in && f->unsynced > 0) {
		size_t k = strlen(line);
		field_money(cash, sizeof(cash), f->unsynced, CUR_COP);
		snprintf(line + k, sizeof(line) - k, " · %s %s", tr(STR_F_UNSYNCED), cash);
	}
	char head[160];
	if (f->logged_in)
		snprintf(head, sizeof(head), "%s · %s", title, f->agent.name);
	else
		snprintf(head, sizeof(head), "%s", title);
	int th = ui_line_h(ui, FONT_TITLE), ch = ui_line_h(ui, FONT_CAPTION), y0 = (h - th - ch) / 2;
	ui_label_fit(ui, pad, y0, right - 2 * pad, FONT_TITLE, 1, THEME_ON_BRAND, UI_LEFT, head);
	ui_label_fit(ui, pad, y0 + th, right - 2 * pad, FONT_CAPTION, 0, THEME_SELECTED, UI_LEFT, line);
	return h;
}

int field_keyboard(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct field *f = a->field;
	int m = ui_px(ui, SP_S);
	int kh = ui_px(ui, 5 * 118 + 4 * SP_XS);
	if (kh > body.h * 11 / 20)
		kh = body.h * 11 / 20;
	int y = body.y + body.h - kh - m / 2;
	f->kbd.masked = f->focus == FI_PASS || f->focus == FI_SUP_PASS;
	ui_keyboard(ui, (struct ui_rect){body.x + m / 2, y, body.w - m, kh}, &f->kbd);
	return y;
}

int field_type(struct app *a, const struct act_event *e)
{
	struct field *f = a->field;
	struct ui_kbd_field *in = &f->in[f->focus];
	int changed, typing = e->type == ACT_TEXT || (e->type == ACT_ACTION && (e->act.action == UI_ACT_KBD_CHAR ||
										 e->act.action == UI_ACT_KBD_TEXT));
	if (e->type == ACT_ACTION && e->act.action >= UI_ACT_KBD_CHAR && e->act.action <= UI_ACT_KBD_SHOW)
		changed = ui_kbd_apply(&f->kbd, in, e->act);
	else if (e->type == ACT_TEXT)
		changed = ui_kbd_key(&f->kbd, in, e->text, 0);
	else if (e->type == ACT_KEY && e->key == APP_KEY_BACKSPACE)
		changed = ui_kbd_key(&f->kbd, in, NULL, 1);
	else
		return 0;
	if (typing && !changed && in->max_chars && ui_kbd_field_chars(in) >= in->max_chars)
		field_say(a, UI_ERROR, tr(STR_F_TOO_LONG), in->max_chars); /* said, not swallowed */
	f->dirty = 1; /* a refused key redraws the same: cheap, and the caret stays true */
	return 1;
}

/* A labelled input: the label above, the field (focused: outlined in the brand colour) as a
 * hit box that focuses it. Returns the height used. */
int field_input(struct app *a, struct ui_rect r, enum field_input which, const char *label)
{
	struct ui *ui = &a->ui;
	struct field *f = a->field;
	int lh = ui_line_h(ui, FONT_SMALL), fh = ui_px(ui, 110);
	ui_label_fit(ui, r.x, r.y, r.w, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, label);
	struct ui_rect box = {r.x, r.y + lh + ui_px(ui, SP_XS) / 2, r.w, fh};
	int masked = which == FI_PASS || which == FI_SUP_PASS;
	ui_kbd_field_draw(ui, box, &f->in[which], masked, masked && f->focus == which && f->kbd.shown);
	if (f->focus == which)
		ui_round_outline(ui, box, ui_px(ui, RADIUS), 4, THEME_BRAND);
	ui_hit(ui, box, (struct ui_action){FA_FOCUS, which}, label);
	return box.y + fh - r.y;
}

/* The message of the screen, if any, as a banner. Returns the height used. */
int field_message(struct app *a, struct ui_rect r)
{
	struct field *f = a->field;
	if (!f->msg[0])
		return 0;
	return ui_banner(&a->ui, r, f->msg, f->msg_kind) + ui_px(&a->ui, SP_S);
}

int field_digits(char *buf, size_t cap, const struct act_event *e)
{
	size_t n = strlen(buf);
	const char *text = NULL;
	char one[2] = {0, 0};
	if (e->type == ACT_ACTION && e->act.action == UI_ACT_CHAR)
		one[0] = (char)e->act.arg, text = one;
	else if (e->type == ACT_TEXT)
		text = e->text;
	if (text) {
		for (; *text; text++) /* whole pesos: digits only, no leading zero, bounded */
			if (*text >= '0' && *text <= '9' && n + 1 < cap && n < FIELD_DIGITS_MAX && !(n == 0 && *text == '0')) {
				buf[n++] = *text;
				buf[n] = 0;
			}
		return 1;
	}
	if ((e->type == ACT_ACTION && e->act.action == UI_ACT_BACKSPACE) ||
	    (e->type == ACT_KEY && e->key == APP_KEY_BACKSPACE)) {
		if (n)
			buf[n - 1] = 0;
		return 1;
	}
	if (e->type == ACT_ACTION && e->act.action == UI_ACT_CLEAR) {
		buf[0] = 0;
		return 1;
	}
	return 0;
}

void field_pager(struct app *a, int x, int y, int w, int page, int pages)
{
	struct ui *ui = &a->ui;
	int nw = ui_px(ui, 260), bh = ui_px(ui, TOUCH_MIN);
	char pg[48];
	snprintf(pg, sizeof(pg), tr(STR_FH_PAGE), page + 1, pages);
	ui_button(ui, (struct ui_rect){x, y, nw, bh}, tr(STR_FH_PREV), UI_SECONDARY, (struct ui_action){FA_PAGE, -1},
		  page > 0);
	ui_label(ui, x + w / 2, y + (bh - ui_line_h(ui, FONT_SMALL)) / 2, FONT_SMALL, 0, THEME_MUTED, UI_CENTER, pg);
	ui_button(ui, (struct ui_rect){x + w - nw, y, nw, bh}, tr(STR_FH_NEXT), UI_SECONDARY, (struct ui_action){FA_PAGE, 1},
		  page + 1 < pages);
}
