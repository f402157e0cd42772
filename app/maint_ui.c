/* The drawing pieces the maintenance screens share (maint.h): status lines with a level word,
 * result notes, the screen's buttons. */
#include "maint.h"

#include <stdio.h>

#include "app.h"

static void level_look(enum maint_level lv, struct rgba *bg, struct rgba *fg, enum str_id *word)
{
	switch (lv) {
	case MAINT_OK:
		*bg = THEME_OK_BG, *fg = THEME_ACCENT, *word = STR_MT_LV_OK;
		break;
	case MAINT_WARN:
		*bg = THEME_WARN_BG, *fg = (struct rgba){0x7A, 0x4B, 0x00, 0xFF}, *word = STR_MT_LV_WARN;
		break;
	case MAINT_FAIL:
		*bg = THEME_DANGER_BG, *fg = THEME_DANGER, *word = STR_MT_LV_FAIL;
		break;
	default:
		*bg = THEME_SELECTED, *fg = THEME_BRAND, *word = STR_MT_LV_INFO;
		break;
	}
}

int maint_row(struct ui *ui, struct ui_rect r, enum maint_level lv, const char *label, const char *value)
{
	struct rgba bg, fg;
	enum str_id word;
	level_look(lv, &bg, &fg, &word);
	int gap = ui_px(ui, SP_S);
	int cw = ui_px(ui, 150), ch = ui_line_h(ui, FONT_SMALL) + ui_px(ui, SP_XS);
	struct ui_rect chip = {r.x, r.y, cw, ch};
	ui_round(ui, chip, ui_px(ui, 10), bg);
	ui_round_outline(ui, chip, ui_px(ui, 10), 2, fg);
	ui_label_fit(ui, chip.x + cw / 2, chip.y + ui_px(ui, SP_XS) / 2, cw - ui_px(ui, SP_XS), FONT_SMALL, 1, fg,
		     UI_CENTER, tr(word));
	int x = r.x + cw + gap, w = r.w - cw - gap;
	int lw = w * 2 / 5;
	int h1 = ui_para(ui, (struct ui_rect){x, r.y, lw - gap, 0}, FONT_BODY, 1, THEME_TEXT, UI_LEFT, label);
	int h2 = ui_para(ui, (struct ui_rect){x + lw, r.y, w - lw, 0}, FONT_BODY, 0, THEME_TEXT, UI_LEFT,
			 value ? value : "");
	int h = h1 > h2 ? h1 : h2;
	if (h < ch)
		h = ch;
	ui_fill(ui, (struct ui_rect){r.x, r.y + h + gap / 2, r.w, 1}, THEME_LINE);
	return h + gap;
}

int maint_note(struct ui *ui, struct ui_rect r, enum maint_level lv, const char *text)
{
	if (!text || !text[0])
		return 0;
	return ui_banner(ui, r, text, lv == MAINT_OK ? UI_OK : lv == MAINT_FAIL || lv == MAINT_WARN ? UI_ERROR : UI_INFO);
}

struct ui_rect maint_buttons(struct ui *ui, struct ui_rect body, const char *const *labels, const int *acts,
			     const int *enabled, int n)
{
	if (n <= 0)
		return (struct ui_rect){body.x, body.y + body.h, body.w, 0};
	int cols = ui->portrait ? (n < 2 ? n : 2) : (n < 4 ? n : 4);
	int rows = (n + cols - 1) / cols;
	int gap = ui_px(ui, SP_S), bh = ui_px(ui, TOUCH_MIN + 24);
	int bw = (body.w - (cols - 1) * gap) / cols;
	int h = rows * bh + (rows - 1) * gap;
	struct ui_rect area = {body.x, body.y + body.h - h, body.w, h};
	for (int i = 0; i < n; i++) {
		struct ui_rect b = {area.x + (i % cols) * (bw + gap), area.y + (i / cols) * (bh + gap), bw, bh};
		/* all alike: a technician's tools have no "main" action, and a filled button on
		 * "Día anterior" or "Anteriores" would say otherwise */
		ui_button(ui, b, labels[i], UI_SECONDARY,
			  (struct ui_action){MAINT_ACT_SCREEN + acts[i], 0}, enabled ? enabled[i] : 1);
	}
	return area;
}

const char *maint_removable_dir(const struct app *a) { return a->cfg.removable_dir; }
