/* ID entry: document type chips, the number field (NIT grouped, with its check digit computed
 * live for confirmation), the numeric keypad and "Consultar". */
#include <stdio.h>
#include <string.h>

#include "screens.h"

static const enum str_id type_names[ID_TYPE_COUNT] = {
	[ID_CC] = STR_ID_TYPE_CC, [ID_CE] = STR_ID_TYPE_CE, [ID_NIT] = STR_ID_TYPE_NIT,
	[ID_PA] = STR_ID_TYPE_PA, [ID_TI] = STR_ID_TYPE_TI, [ID_PPT] = STR_ID_TYPE_PPT,
};

enum str_id screen_id_type_str(enum id_type t) { return (unsigned)t < ID_TYPE_COUNT ? type_names[t] : STR_ID_TYPE_CC; }

/* Chips in a grid of `cols` columns. Returns the height used. */
static int draw_chips(struct ui *ui, const struct flow *f, int x, int y, int w, int cols, int names)
{
	int gap = ui_px(ui, SP_S);
	int cw = (w - (cols - 1) * gap) / cols;
	int ch = ui_tpx(ui, 124); /* every chip as tall as the tallest name needs */
	for (int t = 0; t < ID_TYPE_COUNT; t++) {
		int need = ui_chip_height(ui, cw, names ? tr(type_names[t]) : "✓");
		if (need > ch)
			ch = need;
	}
	for (int t = 0; t < ID_TYPE_COUNT; t++) {
		struct ui_rect r = {x + (t % cols) * (cw + gap), y + (t / cols) * (ch + gap), cw, ch};
		ui_chip(ui, r, id_type_code((enum id_type)t), names ? tr(type_names[t]) : NULL, f->id_type == (enum id_type)t,
			screen_ev(FEV_ID_TYPE, t));
	}
	int rows = (ID_TYPE_COUNT + cols - 1) / cols;
	return rows * ch + (rows - 1) * gap;
}

/* The number as the customer sees it while typing. */
static void field_text(const struct flow *f, char *buf, size_t n)
{
	if (f->id_type == ID_NIT && f->id_len > 0) {
		size_t k = nit_format(buf, n, f->id, -1);
		if (f->dv_mode && k < n)
			snprintf(buf + k, n - k, "-%s", f->dv_typed >= 0 ? (char[2]){(char)('0' + f->dv_typed), 0} : "");
		return;
	}
	snprintf(buf, n, "%s", f->id);
}

static int draw_field(struct ui *ui, const struct flow *f, int x, int y, int w)
{
	int h = ui_px(ui, 150);
	struct ui_rect r = {x, y, w, h};
	ui_round(ui, r, ui_px(ui, RADIUS), THEME_SURFACE);
	ui_round_outline(ui, r, ui_px(ui, RADIUS), ui_px(ui, 4) > 2 ? ui_px(ui, 4) : 2, THEME_BRAND);
	char shown[48];
	field_text(f, shown, sizeof(shown));
	int lh = ui_line_h(ui, FONT_DISPLAY);
	int pad = ui_px(ui, SP_M);
	int tw = ui_label_fit(ui, x + pad, y + (h - lh) / 2, w - 2 * pad, FONT_DISPLAY, 1, THEME_TEXT, UI_LEFT, shown);
	/* caret, so the customer knows where the next digit goes */
	ui_fill(ui, (struct ui_rect){x + pad + tw + ui_px(ui, 6), y + h / 5, ui_px(ui, 5), h * 3 / 5}, THEME_BRAND_2);
	return h;
}

void screen_id_draw(struct ui *ui, const struct flow *f, const struct screen_status *st)
{
	(void)st;
	int top = screen_topbar(ui, f, 1);
	int pad = screen_pad(ui);
	int gap = ui_px(ui, SP_M);
	int colw = ui->portrait ? ui->w - 2 * pad : (ui->w - 3 * pad) * 11 / 20;
	int x = pad, y = top + pad;

	ui_label_fit(ui, x, y, colw, FONT_H1, 1, THEME_TEXT, UI_LEFT, tr(STR_ID_TITLE));
	y += ui_line_h(ui, FONT_H1) + gap;
	/* landscape, large text: one row of codes, the chosen type's name in the heading */
	int compact = !ui->portrait && ui->look == UI_LOOK_LARGE;
	char head[128];
	if (compact)
		snprintf(head, sizeof(head), "%s: %s", tr(STR_ID_TYPE), tr(type_names[f->id_type]));
	else
		snprintf(head, sizeof(head), "%s", tr(STR_ID_TYPE));
	y += ui_para(ui, (struct ui_rect){x, y, colw, 0}, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, head) + ui_px(ui, SP_XS);
	y += draw_chips(ui, f, x, y, colw, compact ? ID_TYPE_COUNT : 3, !compact) + gap;

	int nlw, cw;
	char count[48];
	snprintf(count, sizeof(count), tr(STR_ID_DIGITS_OF), f->id_len, id_max_len(f->id_type));
	nlw = ui_label(ui, x, y, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, tr(STR_ID_NUMBER));
	text_measure(ui->text, FONT_SMALL, 0, count, &cw, NULL);
	if (nlw + gap + cw > colw) /* no room beside the heading: under it */
		y += ui_line_h(ui, FONT_SMALL);
	ui_label(ui, x + colw, y, FONT_SMALL, 0, THEME_MUTED, UI_RIGHT, count);
	y += ui_line_h(ui, FONT_SMALL) + ui_px(ui, SP_XS);
	y += draw_field(ui, f, x, y, colw) + ui_px(ui, SP_S);

	/* NIT: the computed check digit, for the customer to confirm */
	int dv = flow_nit_dv(f);
	char line[96], nit[40];
	if (f->id_type == ID_NIT && dv >= 0) {
		nit_format(nit, sizeof(nit), f->id, dv);
		snprintf(line, sizeof(line), tr(STR_ID_NIT_DV), dv);
		y += ui_para(ui, (struct ui_rect){x, y, colw, 0}, FONT_BODY, 1, THEME_BRAND, UI_LEFT, line);
		snprintf(line, sizeof(line), tr(STR_ID_NIT_CONFIRM), nit);
		y += ui_para(ui, (struct ui_rect){x, y, colw, 0}, FONT_BODY, 0, THEME_TEXT, UI_LEFT, line);
	} else if (ui->portrait || !(f->msg || flow_lookup_waiting(f))) {
		/* landscape: a banner takes the hint's place (the column has no room for both) */
		const char *hint = f->id_type == ID_NIT ? tr(STR_ID_NIT_HINT) : tr(STR_ID_HINT);
		y += ui_para(ui, (struct ui_rect){x, y, colw, 0}, FONT_BODY, 0, THEME_MUTED, UI_LEFT, hint);
	}
	y += gap;
	if (flow_lookup_waiting(f))
		y += ui_banner(ui, (struct ui_rect){x, y, colw, 0}, tr(STR_ID_LOOKING), UI_INFO) + gap;
	if (f->msg) {
		char m[400];
		flow_message(f, m, sizeof(m));
		y += ui_banner(ui, (struct ui_rect){x, y, colw, 0}, m, flow_message_is_reason(f) ? UI_INFO : UI_ERROR) + gap;
	}

	/* keypad and actions: under the field in portrait, in a right column in landscape */
	struct ui_rect bar, kp = screen_keypad_layout(ui, top, y, colw, &bar);
	ui_keypad(ui, kp, f->id_type == ID_NIT);
	int bw = (bar.w - gap) / 2;
	ui_button(ui, (struct ui_rect){bar.x, bar.y, bw, bar.h}, tr(STR_BACK), UI_SECONDARY, screen_ev(FEV_BACK, 0), 1);
	ui_button(ui, (struct ui_rect){bar.x + bw + gap, bar.y, bar.w - bw - gap, bar.h}, tr(STR_ID_SUBMIT), UI_ACCENT,
		  screen_ev(FEV_SUBMIT, 0), f->id_len > 0);
}
