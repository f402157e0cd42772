/* services-menu: what a verified customer can do here — a statement, a debt certificate or
 * paz y salvo, the payment history, new contact data, a new security image and phrase — and
 * the way back to the payments. Each is one big button, in the order seed 002 lists them. */
#include <stdio.h>
#include <string.h>

#include "account_internal.h"
#include "app.h"

static const struct {
	enum account_phase to;
	enum str_id label, hint;
} items[] = {
	{AP_STATEMENT, STR_AC_MENU_STATEMENT, STR_AC_MENU_STATEMENT_HINT},
	{AP_CERTIFICATE, STR_AC_MENU_CERTIFICATE, STR_AC_MENU_CERTIFICATE_HINT},
	{AP_HISTORY, STR_AC_MENU_HISTORY, STR_AC_MENU_HISTORY_HINT},
	{AP_CONTACT, STR_AC_MENU_CONTACT, STR_AC_MENU_CONTACT_HINT},
	{AP_CHANGE, STR_AC_MENU_SECURITY, STR_AC_MENU_SECURITY_HINT},
};
#define NITEMS (int)(sizeof(items) / sizeof(items[0]))

static int handle(struct app *a, const struct act_event *e)
{
	struct account *s = account_of(a);
	if (e->type == ACT_ACTION && e->act.action == AA_MENU && !s->job) {
		for (int i = 0; i < NITEMS; i++)
			if ((int)items[i].to == e->act.arg)
				account_go(a, items[i].to);
		return 1;
	}
	if ((e->type == ACT_ACTION && e->act.action == AA_BACK) || (e->type == ACT_KEY && e->key == APP_KEY_ESCAPE)) {
		if (!s->job)
			account_to_payments(a, NULL);
		return 1;
	}
	return 0;
}

static void draw(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int pad = screen_pad(ui), gap = ui_px(ui, SP_M), bh = ui_tpx(ui, 130);
	int x = body.x + pad, w = body.w - 2 * pad;
	char name[128], hello[200];
	name_mask(name, sizeof(name), s->who.name);
	snprintf(hello, sizeof(hello), tr(STR_AC_MENU_TITLE), name);
	int y = account_header(a, body, hello, 0);
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 0, THEME_MUTED, UI_LEFT, tr(STR_AC_MENU_BODY)) + gap;
	y += account_message(a, x, y, w);
	int bottom = body.y + body.h - pad;
	/* two columns when the screen is wide, one when tall */
	int cols = ui->portrait ? 1 : 2;
	int cw = (w - (cols - 1) * gap) / cols;
	int rows = (NITEMS + cols - 1) / cols;
	int ih = (bottom - bh - gap - y - (rows - 1) * gap) / rows;
	int maxh = ui_tpx(ui, 200);
	if (ih > maxh)
		ih = maxh;
	for (int i = 0; i < NITEMS; i++) {
		struct ui_rect r = {x + (i % cols) * (cw + gap), y + (i / cols) * (ih + gap), cw, ih};
		ui_button(ui, r, tr(items[i].label), UI_SECONDARY,
			  (struct ui_action){AA_MENU, items[i].to}, !s->job);
	}
	int by = y + rows * (ih + gap);
	(void)by;
	ui_button(ui, (struct ui_rect){x, bottom - bh, (w - gap) / 2, bh}, tr(STR_AC_TO_PAYMENTS), UI_SECONDARY,
		  (struct ui_action){AA_TO_PAYMENTS, 0}, !s->job);
}

const struct account_screen account_menu_screen = {"services-menu", NULL, draw, handle, STR_AC_MENU_BODY};
