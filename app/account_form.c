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

static int field_h(struct ui *ui) { return ui_line_h(ui, FONT_SMALL) + ui_px(ui, SP_XS) / 2 + ui_tpx(ui, 110); }

void account_form_draw(struct app *a, struct ui_rect body, int y, const struct account_form_field *f, int n,
		       const char *button, int act, int enabled)
{
	struct ui *ui = &a->ui;
	int pad = screen_pad(ui), gap = ui_px(ui, SP_M);
	int x = body.x + pad, w = body.w - 2 * pad;
	int kt = account_keyboard(a, body);
	int bh = ui_tpx(ui, 110), fh = field_h(ui), fg = ui_px(ui, SP_S);
	int bw = screen_button_w(ui, button, ui_px(ui, 300));
	int stacked = n * fh + (n - 1) * fg + gap + bh;
	if (y + stacked <= kt - gap) {
		for (int i = 0; i < n; i++)
			y += account_field(a, x, y, w, f[i].label, f[i].in, 0) + fg;
		ui_button(ui, (struct ui_rect){x + w - bw, y - fg + gap, bw, bh}, button, UI_PRIMARY,
			  (struct ui_action){act, 0}, enabled);
		return;
	}
	/* one row: the fields share what the button leaves; the button lines up with the boxes */
	int cw = (w - bw - n * gap) / n;
	for (int i = 0; i < n; i++)
		account_field(a, x + i * (cw + gap), y, cw, f[i].label, f[i].in, 0);
	int by = y + fh - bh;
	ui_button(ui, (struct ui_rect){x + w - bw, by, bw, bh}, button, UI_PRIMARY, (struct ui_action){act, 0}, enabled);
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
		case ACCOUNT_NO_AT:
			return tr(STR_AC_ERR_EMAIL_AT);
		case ACCOUNT_BAD_DOMAIN:
			return tr(STR_AC_ERR_EMAIL_DOMAIN);
		case ACCOUNT_BAD_LOCAL:
		case ACCOUNT_TOO_SHORT:
			return tr(STR_AC_ERR_EMAIL_LOCAL);
		case ACCOUNT_TOO_LONG:
			return tr(STR_AC_ERR_EMAIL_LONG);
		default:
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
