/* The maintenance activity's own screens (act_maint.c): the title bar every maintenance
 * screen has, the PIN pad, the menu, the out-of-service reasons and the restart question. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "maint_internal.h"

/* The title bar: "Mantenimiento · <what>", the demo mark after entry, and on the right the way
 * back (Menú) or out (Salir), and the language. Returns its height. */
static int title_bar(struct app *a, const char *what)
{
	struct ui *ui = &a->ui;
	struct maint *m = a->maint;
	int h = ui_px(ui, ui->portrait ? 150 : 120), pad = screen_pad(ui);
	int bw = ui_px(ui, 220), bh = ui_px(ui, TOUCH_MIN);
	ui_fill(ui, (struct ui_rect){0, 0, ui->w, h}, THEME_BRAND);
	int right = ui->w - pad;
	if (m->phase != PH_PIN) {
		struct ui_rect b = {right - bw, (h - bh) / 2, bw, bh};
		if (m->phase == PH_MENU)
			ui_button(ui, b, tr(STR_MT_EXIT), UI_SECONDARY, (struct ui_action){MA_EXIT, 0}, 1);
		else
			ui_button(ui, b, tr(STR_MT_MENU), UI_SECONDARY, (struct ui_action){MA_MENU, 0}, 1);
		right = b.x - ui_px(ui, SP_S);
	}
	struct ui_rect lang = {right - bw, (h - bh) / 2, bw, bh};
	ui_button(ui, lang, tr(STR_LANG_TOGGLE), UI_PRIMARY, (struct ui_action){MA_LANG, 0}, 1);
	ui_round_outline(ui, lang, ui_px(ui, RADIUS), 2, THEME_ON_BRAND);
	right = lang.x - ui_px(ui, SP_S);
	int lh = ui_line_h(ui, FONT_TITLE);
	if (what) { /* "MANTENIMIENTO" small above the screen's own name, both whole */
		int ch = ui_line_h(ui, FONT_CAPTION), y0 = (h - ch - lh) / 2;
		ui_label_fit(ui, pad, y0, right - 2 * pad, FONT_CAPTION, 1, THEME_SELECTED, UI_LEFT, tr(STR_MT_TITLE));
		ui_label_fit(ui, pad, y0 + ch, right - 2 * pad, FONT_TITLE, 1, THEME_ON_BRAND, UI_LEFT, what);
	} else {
		ui_label_fit(ui, pad, (h - lh) / 2, right - 2 * pad, FONT_TITLE, 1, THEME_ON_BRAND, UI_LEFT, tr(STR_MT_TITLE));
	}
	if (m->demo && m->phase != PH_PIN) {
		/* after entry, on every screen: this kiosk opens with the PIN the README prints */
		int bh2 = ui_line_h(ui, FONT_SMALL) + ui_px(ui, SP_S);
		ui_fill(ui, (struct ui_rect){0, h, ui->w, bh2}, THEME_WARN_BG);
		ui_fill(ui, (struct ui_rect){0, h + bh2 - 2, ui->w, 2}, (struct rgba){0x7A, 0x4B, 0x00, 0xFF});
		char demo[200];
		snprintf(demo, sizeof(demo), "%s · %s", tr(STR_MT_DEMO), tr(STR_MT_DEMO_LONG));
		ui_label_fit(ui, pad, h + ui_px(ui, SP_S) / 2, ui->w - 2 * pad, FONT_SMALL, 1,
			     (struct rgba){0x7A, 0x4B, 0x00, 0xFF}, UI_LEFT, demo);
		h += bh2;
	}
	return h;
}

static void fmt_mmss(char *out, size_t n, int64_t ms)
{
	int s = ms <= 0 ? 0 : ms > 99 * 60000 ? 99 * 60 : (int)((ms + 999) / 1000);
	snprintf(out, n, "%02d:%02d", s / 60 % 100, s % 60);
}

static void draw_pin(struct app *a)
{
	struct ui *ui = &a->ui;
	struct maint *m = a->maint;
	int top = title_bar(a, NULL), pad = screen_pad(ui);
	int colw = ui->portrait ? ui->w - 2 * pad : (ui->w - 3 * pad) * 5 / 11;
	int x = pad, y = top + pad;
	char kiosk[96];
	snprintf(kiosk, sizeof(kiosk), tr(STR_MT_KIOSK), (unsigned)a->cfg.kiosk_id, RECAUDO_VERSION);
	y += ui_para(ui, (struct ui_rect){x, y, colw, 0}, FONT_H1, 1, THEME_TEXT, UI_LEFT, tr(STR_MT_PIN_TITLE));
	y += ui_px(ui, SP_XS);
	y += ui_para(ui, (struct ui_rect){x, y, colw, 0}, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, kiosk);
	y += ui_px(ui, SP_M);
	int open = m->pin_state == PIN_OPEN;
	if (open || m->pin_state == PIN_UNKNOWN) {
		y += ui_para(ui, (struct ui_rect){x, y, colw, 0}, FONT_BODY, 0, THEME_TEXT, UI_LEFT, tr(STR_MT_PIN_ASK));
		y += ui_px(ui, SP_S);
		/* the field: one dot per digit typed, never the digits */
		int fh = ui_px(ui, 120);
		struct ui_rect f = {x, y, colw, fh};
		ui_round(ui, f, ui_px(ui, RADIUS), THEME_SURFACE);
		ui_round_outline(ui, f, ui_px(ui, RADIUS), 3, THEME_BRAND);
		int d = ui_px(ui, 28), gap = ui_px(ui, 18);
		int slots = m->pin_len > MAINT_PIN_MIN_LEN ? m->pin_len : MAINT_PIN_MIN_LEN;
		int dx = f.x + ui_px(ui, SP_M);
		for (int i = 0; i < slots; i++) {
			struct ui_rect c = {dx + i * (d + gap), f.y + (fh - d) / 2, d, d};
			if (i < m->pin_len)
				ui_round(ui, c, d / 2, THEME_TEXT);
			else
				ui_round_outline(ui, c, d / 2, 3, THEME_LINE);
		}
		y += fh + ui_px(ui, SP_M);
	}
	char msg[200] = "";
	enum ui_banner_kind kind = UI_ERROR;
	if (m->checking || m->pin_state == PIN_UNKNOWN) {
		snprintf(msg, sizeof(msg), "%s", tr(STR_MT_PIN_CHECKING));
		kind = UI_INFO;
	} else if (m->pin_state == PIN_NOT_SET) {
		snprintf(msg, sizeof(msg), "%s", tr(STR_MT_PIN_NOT_SET));
		kind = UI_INFO;
	} else if (m->pin_state == PIN_LOCKED) {
		char t[16];
		fmt_mmss(t, sizeof(t), m->unlock_at_ms - app_now_ms(a));
		snprintf(msg, sizeof(msg), tr(STR_MT_PIN_LOCKED), t);
	} else if (m->pin_state == PIN_ERROR) {
		snprintf(msg, sizeof(msg), "%s", tr(STR_MT_PIN_ERROR));
	} else if (m->bad_length) {
		snprintf(msg, sizeof(msg), "%s", tr(STR_MT_PIN_LENGTH));
	} else if (m->tries_left == 1) {
		snprintf(msg, sizeof(msg), "%s", tr(STR_MT_PIN_WRONG1));
	} else if (m->tries_left > 1) {
		snprintf(msg, sizeof(msg), tr(STR_MT_PIN_WRONG), m->tries_left);
	}
	if (msg[0])
		y += ui_banner(ui, (struct ui_rect){x, y, colw, 0}, msg, kind) + ui_px(ui, SP_S);
	struct ui_rect bar;
	struct ui_rect pad_r = screen_keypad_layout(ui, top, y, colw, &bar);
	if (open && !m->checking)
		ui_keypad(ui, pad_r, 0);
	int gap = ui_px(ui, SP_M), half = (bar.w - gap) / 2;
	ui_button(ui, (struct ui_rect){bar.x, bar.y, half, bar.h}, tr(STR_MT_CANCEL), UI_SECONDARY,
		  (struct ui_action){MA_CANCEL, 0}, 1);
	ui_button(ui, (struct ui_rect){bar.x + half + gap, bar.y, bar.w - half - gap, bar.h}, tr(STR_MT_PIN_ENTER),
		  UI_PRIMARY, (struct ui_action){MA_ENTER, 0}, open && !m->checking && m->pin_len > 0);
}

static const char *reason_label(const char *code)
{
	for (int i = 0; i < MAINT_NREASONS; i++)
		if (!strcmp(maint_reasons[i].code, code))
			return tr(maint_reasons[i].label);
	return tr(STR_MT_OOS_OTHER);
}

static void draw_menu(struct app *a)
{
	struct ui *ui = &a->ui;
	struct maint *m = a->maint;
	int top = title_bar(a, NULL), pad = screen_pad(ui), gap = ui_px(ui, SP_S);
	int x = pad, w = ui->w - 2 * pad, y = top + pad;
	char line[160], kiosk[96];
	snprintf(kiosk, sizeof(kiosk), tr(STR_MT_KIOSK), (unsigned)a->cfg.kiosk_id, RECAUDO_VERSION);
	if (m->oos_reason[0])
		snprintf(line, sizeof(line), tr(STR_MT_OUT_OF_SERVICE), reason_label(m->oos_reason));
	else
		snprintf(line, sizeof(line), "%s", tr(STR_MT_IN_SERVICE));
	y += maint_row(ui, (struct ui_rect){x, y, w, 0}, m->oos_reason[0] ? MAINT_WARN : MAINT_OK, tr(STR_MT_SERVICE), line);
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, kiosk) + gap;
	if (m->busy_note != BUSY_NONE)
		y += ui_banner(ui, (struct ui_rect){x, y, w, 0},
			       tr(m->busy_note == BUSY_LEAVING ? STR_MT_LEAVING : STR_MT_BUSY), UI_INFO) + gap;
	/* the nine screens; then, apart from them and from each other, restart and the service
	 * switch (portrait: a full-width row each; landscape: the two ends of one row). Salir is
	 * in the title bar. */
	int cols = ui->portrait ? 2 : 4, grid_rows = (MAINT_NSCREENS + cols - 1) / cols;
	int tail_rows = ui->portrait ? 2 : 1, sep = ui_px(ui, SP_L);
	int rows = grid_rows + tail_rows;
	int avail = ui->h - pad - y - sep;
	/* the buttons share the height left, between a touch target and a comfortable card */
	int bh = (avail - (rows - 1) * gap) / rows;
	if (bh > ui_px(ui, ui->portrait ? 200 : 150))
		bh = ui_px(ui, ui->portrait ? 200 : 150);
	int bw = (w - (cols - 1) * gap) / cols;
	for (int i = 0; i < MAINT_NSCREENS; i++) {
		struct ui_rect b = {x + (i % cols) * (bw + gap), y + (i / cols) * (bh + gap), bw, bh};
		ui_button(ui, b, tr(maint_screens[i]->title), UI_SECONDARY, (struct ui_action){MA_OPEN, i}, 1);
	}
	y += grid_rows * (bh + gap) - gap + sep;
	struct ui_rect restart = {x, y, ui->portrait ? w : bw, bh};
	struct ui_rect service = ui->portrait ? (struct ui_rect){x, y + bh + gap, w, bh}
					      : (struct ui_rect){x + w - bw, y, bw, bh};
	ui_button(ui, restart, tr(STR_MT_RESTART), UI_SECONDARY, (struct ui_action){MA_RESTART, 0}, 1);
	if (m->oos_reason[0])
		ui_button(ui, service, tr(STR_MT_BACK_IN), UI_ACCENT, (struct ui_action){MA_BACK_IN, 0}, 1);
	else
		ui_button(ui, service, tr(STR_MT_OOS), UI_DANGER, (struct ui_action){MA_OOS, 0}, 1);
}

static void draw_oos(struct app *a)
{
	struct ui *ui = &a->ui;
	int top = title_bar(a, tr(STR_MT_OOS)), pad = screen_pad(ui), gap = ui_px(ui, SP_S);
	int x = pad, w = ui->w - 2 * pad, y = top + pad;
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_H1, 1, THEME_TEXT, UI_LEFT, tr(STR_MT_OOS_ASK)) + gap;
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 0, THEME_MUTED, UI_LEFT, tr(STR_MT_OOS_HELP)) + 2 * gap;
	int cols = ui->portrait ? 1 : 2, bh = ui_px(ui, TOUCH_MIN + 24);
	int bw = (w - (cols - 1) * gap) / cols;
	for (int i = 0; i < MAINT_NREASONS; i++) {
		struct ui_rect b = {x + (i % cols) * (bw + gap), y + (i / cols) * (bh + gap), bw, bh};
		ui_button(ui, b, tr(maint_reasons[i].label), UI_SECONDARY, (struct ui_action){MA_OOS_REASON, i}, 1);
	}
	int bottom = ui->h - pad - bh;
	ui_button(ui, (struct ui_rect){x, bottom, w, bh}, tr(STR_MT_CANCEL), UI_SECONDARY,
		  (struct ui_action){MA_CANCEL, 0}, 1);
}

static void draw_restart(struct app *a)
{
	struct ui *ui = &a->ui;
	int top = title_bar(a, tr(STR_MT_RESTART)), pad = screen_pad(ui), gap = ui_px(ui, SP_M);
	int x = pad, w = ui->w - 2 * pad, y = top + pad;
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_H1, 1, THEME_TEXT, UI_LEFT, tr(STR_MT_RESTART_ASK)) + gap;
	/* as on the PIN pad: "Cancelar" on the left, the action on the right */
	int bh = ui_px(ui, TOUCH_MIN + 24), bw = (w - gap) / 2;
	ui_button(ui, (struct ui_rect){x, y, bw, bh}, tr(STR_MT_CANCEL), UI_SECONDARY, (struct ui_action){MA_CANCEL, 0}, 1);
	ui_button(ui, (struct ui_rect){x + bw + gap, y, bw, bh}, tr(STR_MT_YES_RESTART), UI_DANGER,
		  (struct ui_action){MA_RESTART_YES, 0}, 1);
}

void maint_draw(struct app *a)
{
	struct ui *ui = &a->ui;
	struct maint *m = a->maint;
	ui_begin(ui, THEME_BG);
	if (!m)
		return;
	m->dirty = 0;
	switch (m->phase) {
	case PH_PIN:
		draw_pin(a);
		break;
	case PH_MENU:
		draw_menu(a);
		break;
	case PH_OOS:
		draw_oos(a);
		break;
	case PH_RESTART:
		draw_restart(a);
		break;
	case PH_SCREEN: {
		if (m->scr->fullscreen && m->scr->fullscreen(a, m->st)) {
			m->scr->draw(a, m->st, (struct ui_rect){0, 0, ui->w, ui->h});
			break;
		}
		int top = title_bar(a, tr(m->scr->title)), pad = screen_pad(ui);
		m->scr->draw(a, m->st, (struct ui_rect){pad, top + pad, ui->w - 2 * pad, ui->h - top - 2 * pad});
		break;
	}
	}
}

