/* Out of service: shown instead of the attract screen when the kiosk cannot serve — the store
 * cannot be opened (or is corrupt), the disk is full, the clock is before the build date, or a
 * technician left it out of service. Says so in Spanish and English at once (no one can touch
 * a language toggle on a screen that takes no input), with the kiosk number and the support
 * line. At idle it only wakes for the re-check timer; when the cause clears it returns to the
 * home activity (the mode's, app_opts.home) by itself. Screen id for scripts: "out-of-service". */
#include "activity.h"

#include <stdio.h>

#include "app.h"

static enum str_id reason_text(enum oos_reason r)
{
	switch (r) {
	case OOS_DISK_FULL:
		return STR_OOS_DISK;
	case OOS_CLOCK:
		return STR_OOS_CLOCK;
	case OOS_TECHNICIAN:
		return STR_OOS_TECH;
	case OOS_CONFIG:
		return STR_OOS_CONFIG;
	default:
		return STR_OOS_STORE;
	}
}

static void enter(struct app *a)
{
	a->oos_check_ms = app_now_ms(a) + APP_OOS_RECHECK_MS;
	a->dirty = 1;
	fprintf(stderr, "recaudo: out of service (%s)%s%s\n", app_oos_name(a->oos), a->oos_detail[0] ? ": " : "",
		a->oos_detail);
}

static void handle(struct app *a, const struct act_event *e)
{
	if (e->type == ACT_MAINT) { /* the technician's gesture: the only input taken */
		app_switch(a, &act_maint);
		return;
	}
	if (e->type != ACT_TICK || app_now_ms(a) < a->oos_check_ms)
		return; /* no input is taken; worker results have no one waiting for them */
	enum oos_reason before = a->oos;
	if (app_check_service(a) == OOS_NONE) {
		fprintf(stderr, "recaudo: back in service\n");
		app_switch(a, a->home);
		return;
	}
	a->dirty |= a->oos != before;
	a->oos_check_ms = app_now_ms(a) + APP_OOS_RECHECK_MS;
}

static int64_t next_deadline(const struct app *a) { return a->oos_check_ms; }

static int dirty(const struct app *a)
{
	(void)a;
	return 0;
}

/* One language's block: title, why, what happens next. Returns the height used. */
static int block(struct ui *ui, int y, int w, enum lang l, enum str_id why, struct rgba c, int big)
{
	int x = (ui->w - w) / 2, y0 = y;
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, big ? FONT_DISPLAY : FONT_H1, 1, c, UI_CENTER,
		     tr_lang(l, STR_OOS_TITLE));
	y += ui_px(ui, SP_S);
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 0, c, UI_CENTER, tr_lang(l, STR_OOS_SORRY));
	y += ui_px(ui, SP_XS);
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 1, c, UI_CENTER, tr_lang(l, why));
	y += ui_px(ui, SP_XS);
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_SMALL, 0, c, UI_CENTER,
		     tr_lang(l, why == STR_OOS_TECH ? STR_OOS_TECH_RETRY : STR_OOS_RETRY));
	return y - y0;
}

static void draw(struct app *a)
{
	struct ui *ui = &a->ui;
	int pad = ui_px(ui, ui->portrait ? SP_L : SP_M);
	ui_begin(ui, THEME_BRAND); /* both languages at once (tr_lang): the session's is not touched */
	enum str_id why = reason_text(a->oos);
	int w = ui->w - 4 * pad;
	int y = ui->portrait ? ui->h / 8 : ui_px(ui, SP_L);
	/* a no-entry sign drawn with shapes: not colour alone, no glyph the fonts may lack */
	int d = ui_px(ui, ui->portrait ? 200 : 120);
	struct ui_rect sign = {(ui->w - d) / 2, y, d, d};
	ui_round(ui, sign, d / 2, THEME_DANGER);
	ui_round_outline(ui, sign, d / 2, ui_px(ui, 8), THEME_ON_BRAND);
	ui_fill(ui, (struct ui_rect){sign.x + d / 5, sign.y + d / 2 - d / 12, d - 2 * d / 5, d / 6}, THEME_ON_BRAND);
	y += d + ui_px(ui, ui->portrait ? SP_XL : SP_M);
	y += block(ui, y, w, LANG_ES, why, THEME_ON_BRAND, ui->portrait);
	y += ui_px(ui, ui->portrait ? SP_XL : SP_M);
	ui_fill(ui, (struct ui_rect){ui->w / 2 - ui_px(ui, 120), y, ui_px(ui, 240), ui_px(ui, 3)}, THEME_SELECTED);
	y += ui_px(ui, ui->portrait ? SP_XL : SP_M);
	y += block(ui, y, w, LANG_EN, why, THEME_SELECTED, ui->portrait);
	/* along the bottom: who this kiosk is and whom to call */
	char kiosk[96], support[160];
	snprintf(kiosk, sizeof(kiosk), "%s · %s", tr_lang(LANG_ES, STR_OOS_KIOSK), tr_lang(LANG_EN, STR_OOS_KIOSK));
	char line[200];
	snprintf(line, sizeof(line), kiosk, (unsigned)a->cfg.kiosk_id, (unsigned)a->cfg.kiosk_id);
	int lh = ui_line_h(ui, FONT_BODY);
	int by = ui->h - pad - (a->cfg.support_line[0] ? 2 * lh : lh);
	if (by < y + ui_px(ui, SP_S))
		by = y + ui_px(ui, SP_S);
	ui_label_fit(ui, ui->w / 2, by, ui->w - 2 * pad, FONT_BODY, 1, THEME_ON_BRAND, UI_CENTER, line);
	if (a->cfg.support_line[0]) {
		snprintf(support, sizeof(support), "%s · %s", tr_lang(LANG_ES, STR_OOS_SUPPORT),
			 tr_lang(LANG_EN, STR_OOS_SUPPORT));
		snprintf(line, sizeof(line), support, a->cfg.support_line, a->cfg.support_line);
		ui_label_fit(ui, ui->w / 2, by + lh, ui->w - 2 * pad, FONT_BODY, 0, THEME_ON_BRAND, UI_CENTER, line);
	}
}

static void leave(struct app *a)
{
	a->oos = OOS_NONE;
	a->oos_detail[0] = 0;
	a->oos_check_ms = INT64_MAX;
}

static const char *screen(const struct app *a)
{
	(void)a;
	return "out-of-service";
}

const struct activity act_out_of_service = {
	.name = "out-of-service",
	.enter = enter,
	.handle = handle,
	.next_deadline = next_deadline,
	.dirty = dirty,
	.draw = draw,
	.leave = leave,
	.screen = screen,
};
