/* The typed-data screens' shared layout and refusal words (account_form.h). */
#include "account_form.h"

#include "app.h"

void account_form_focus(struct app *a, enum account_input in)
{
	struct account *s = account_of(a);
	s->focus = in;
	s->kbd = (struct ui_kbd){0};
	s->dirty = 1;
}

/* The keyboard at the bottom of body, its keys at least the minimum target high (5 rows):
 * its top y. */
static int keyboard(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int m = ui_px(ui, SP_XS), kg = ui_px(ui, SP_XS);
	if (kg < ui_min_gap_px(ui->w, ui->h))
		kg = ui_min_gap_px(ui->w, ui->h); /* as ui_keyboard spaces its keys */
	int kh = ui_px(ui, 5 * 118 + 4 * SP_XS);
	int least = 5 * ui_tpx(ui, 1) + 4 * kg; /* ui_tpx(1): the minimum target */
	if (kh > body.h * 11 / 20)
		kh = body.h * 11 / 20;
	if (kh < least)
		kh = least;
	/* the accent key's mark is drawn low in its key (ui_keyboard): its line box passes the
	 * bottom row by up to SP_S; the margin keeps it on the screen */
	int y = body.y + body.h - kh - ui_px(ui, SP_S) - 1;
	s->kbd.masked = 0; /* none of these fields hides what is typed */
	ui_keyboard(ui, (struct ui_rect){body.x + m / 2, y, body.w - m, kh}, &s->kbd);
	return y;
}

/* The words under the title: the message, "Un momento" while a job runs, or info. */
static const char *words(struct account *s, const char *info, enum ui_banner_kind *kind, int *banner)
{
	*banner = 1;
	if (s->job) {
		*kind = UI_INFO;
		return tr(STR_AC_WORKING);
	}
	if (s->msg[0]) {
		*kind = s->msg_kind;
		return s->msg;
	}
	*banner = 0;
	return info;
}

static void draw_portrait(struct app *a, struct ui_rect body, const char *title, const char *info,
			  const struct account_form_field *f, int n, int back, const char *button, int act, int enabled)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int pad = screen_pad(ui), gap = ui_px(ui, SP_M), fg = ui_px(ui, SP_S);
	int x = body.x + pad, w = body.w - 2 * pad;
	int y = account_header(a, body, title, back && !s->job);
	if (info && info[0])
		y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 0, THEME_TEXT, UI_LEFT, info) + fg;
	if (s->job)
		y += ui_banner(ui, (struct ui_rect){x, y, w, 0}, tr(STR_AC_WORKING), UI_INFO) + fg;
	else
		y += account_message(a, x, y, w);
	for (int i = 0; i < n; i++)
		y += account_field(a, x, y, w, f[i].label, f[i].in, 0) + fg;
	int bh = ui_tpx(ui, 110), bw = screen_button_w(ui, button, ui_px(ui, 300));
	ui_button(ui, (struct ui_rect){x + w - bw, y - fg + gap, bw, bh}, button, UI_PRIMARY, (struct ui_action){act, 0},
		  enabled);
	keyboard(a, body);
}

/* A field without its label over it (landscape): the label inside the empty box, muted, as
 * the hit box's name. */
static void field_inline(struct app *a, struct ui_rect box, const char *label, const char *inside,
			 enum account_input in)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	ui_kbd_field_draw_focus(ui, box, &s->in[in], 0, 0, s->focus == in);
	if (s->focus == in) { /* every box has the brand outline: the focused one a second ring */
		int o = ui_px(ui, 5);
		ui_round_outline(ui, (struct ui_rect){box.x - o, box.y - o, box.w + 2 * o, box.h + 2 * o},
				 ui_px(ui, RADIUS) + o, ui_px(ui, 4), THEME_TEXT);
	}
	if (!s->in[in].len) {
		int pad = ui_px(ui, SP_M) + ui_px(ui, SP_S);
		ui_label_fit(ui, box.x + pad, box.y + (box.h - ui_line_h(ui, FONT_SMALL)) / 2, box.w - pad - ui_px(ui, SP_XS),
			     FONT_SMALL, 0, THEME_MUTED, UI_LEFT, inside ? inside : label);
	}
	ui_hit(ui, box, (struct ui_action){AA_FIELD, in}, label);
}

static void draw_landscape(struct app *a, struct ui_rect body, const char *title, const char *info,
			   const struct account_form_field *f, int n, int back, const char *button, int act,
			   int enabled)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int pad = screen_pad(ui), gap = ui_px(ui, SP_S), m = ui_min_gap_px(ui->w, ui->h);
	int x = body.x + pad, w = body.w - 2 * pad;
	int kt = keyboard(a, body);
	/* the row of fields and buttons right above the keyboard */
	int bh = ui_tpx(ui, 110);
	int row = kt - m - bh;
	int bw = screen_button_w(ui, button, ui_px(ui, 220));
	int backw = back ? screen_button_w(ui, tr(STR_BACK), ui_px(ui, 200)) : 0;
	int cw = (w - bw - (back ? backw + gap : 0) - n * gap) / n;
	for (int i = 0; i < n; i++)
		field_inline(a, (struct ui_rect){x + i * (cw + gap), row, cw, bh}, f[i].label, f[i].inside, f[i].in);
	if (back)
		ui_button(ui, (struct ui_rect){x + w - bw - gap - backw, row, backw, bh}, tr(STR_BACK), UI_SECONDARY,
			  (struct ui_action){AA_BACK, 0}, !s->job);
	ui_button(ui, (struct ui_rect){x + w - bw, row, bw, bh}, button, UI_PRIMARY, (struct ui_action){act, 0}, enabled);
	/* above it, in what the keyboard leaves (one or two lines): the message; else the words
	 * when two small lines hold them (the title is the button that led here); else the title */
	int top = body.y + ui_px(ui, SP_XS) / 2, room = row - m - top;
	enum ui_banner_kind kind = UI_INFO;
	int banner;
	const char *text = words(s, info, &kind, &banner);
	if (banner) {
		int h = ui_banner_height(ui, w, text);
		ui_banner(ui, (struct ui_rect){x, top + (room > h ? (room - h) / 2 : 0), w, 0}, text, kind);
		return;
	}
	int sh = ui_line_h(ui, FONT_SMALL);
	int lines = text && text[0] ? text_wrap(ui->text, FONT_SMALL, 0, text, w, NULL, NULL) : 0;
	if (lines && lines * sh <= room) {
		ui_para(ui, (struct ui_rect){x, top + (room - lines * sh) / 2, w, 0}, FONT_SMALL, 0, THEME_TEXT, UI_LEFT, text);
		return;
	}
	int th = ui_line_h(ui, FONT_H1);
	ui_label_fit(ui, x, top + (room > th ? (room - th) / 2 : 0), w, FONT_H1, 1, THEME_TEXT, UI_LEFT, title);
}

void account_form_draw(struct app *a, struct ui_rect body, const char *title, const char *info,
		       const struct account_form_field *f, int n, int back, const char *button, int act, int enabled)
{
	if (a->ui.portrait)
		draw_portrait(a, body, title, info, f, n, back, button, act, enabled);
	else
		draw_landscape(a, body, title, info, f, n, back, button, act, enabled);
}

const char *account_form_err(enum account_input in, enum account_err e)
{
	switch (in) {
	case AI_PHONE:
		switch (e) {
		case ACCOUNT_EMPTY:
			return tr(STR_AC_ERR_PHONE_EMPTY);
		case ACCOUNT_BAD_CHARS:
			return tr(STR_AC_ERR_PHONE_CHARS);
		default: /* too short or long, not a mobile: the one rule says it all */
			return tr(STR_AC_ERR_PHONE);
		}
	case AI_EMAIL:
		switch (e) {
		case ACCOUNT_EMPTY:
			return tr(STR_AC_ERR_EMAIL_EMPTY);
		case ACCOUNT_BAD_CHARS:
			return tr(STR_AC_ERR_EMAIL_CHARS);
		case ACCOUNT_BAD_DOMAIN:
			return tr(STR_AC_ERR_EMAIL_DOMAIN);
		case ACCOUNT_BAD_LOCAL:
		case ACCOUNT_TOO_SHORT:
			return tr(STR_AC_ERR_EMAIL_LOCAL);
		case ACCOUNT_TOO_LONG:
			return tr(STR_AC_ERR_EMAIL_LONG);
		default: /* no "@", or two */
			return tr(STR_AC_ERR_EMAIL_AT);
		}
	case AI_ADDRESS:
		switch (e) {
		case ACCOUNT_BAD_CHARS:
			return tr(STR_AC_ERR_ADDRESS_CHARS);
		case ACCOUNT_TOO_LONG:
			return tr(STR_AC_ERR_ADDRESS_LONG);
		default:
			return tr(STR_AC_ERR_ADDRESS_SHORT);
		}
	case AI_PHRASE:
		switch (e) {
		case ACCOUNT_EMPTY:
			return tr(STR_AC_ERR_PHRASE_EMPTY);
		case ACCOUNT_BAD_CHARS:
			return tr(STR_AC_ERR_PHRASE_CHARS);
		case ACCOUNT_TOO_LONG:
			return tr(STR_AC_ERR_PHRASE_LONG);
		default:
			return tr(STR_AC_ERR_PHRASE_SHORT);
		}
	default:
		return tr(STR_AC_SERVICE_ERROR);
	}
}
