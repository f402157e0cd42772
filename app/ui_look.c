/* Looks (ui.h: ui_set_look): the fonts of the customer's looks, opened when first used and
 * kept, and the minimum touch target of the frame. */
#include <math.h>

#include "ui_render.h"

void ui_look_close(struct ui *ui)
{
	for (int i = 0; i < 3; i++) {
		text_close(ui->fonts[i]);
		ui->fonts[i] = NULL;
	}
	ui->text = NULL;
}

/* The fonts of a look: the theme's sizes times the layout scale; the customer's never under
 * the screen's minimum; large text 40 % larger still. */
struct text *ui_look_fonts(struct ui *ui, int look)
{
	if (ui->fonts[look] || look == UI_LOOK_NORMAL)
		return ui->fonts[look];
	int px[FONT_SIZES], min = ui_min_text_px(ui->w, ui->h);
	for (int i = 0; i < FONT_SIZES; i++) {
		px[i] = (int)lroundf((float)theme_font_px[i] * ui->s);
		if (px[i] < min)
			px[i] = min;
		if (look == UI_LOOK_LARGE)
			px[i] = (int)lroundf((float)px[i] * 1.4f);
	}
	char err[200];
	ui->fonts[look] = text_open_px(ui->r, ui->font_dir, px, err, sizeof(err));
	if (ui->fonts[look])
		text_set_target(ui->fonts[look], ui->fb);
	return ui->fonts[look];
}

void ui_set_look(struct ui *ui, int large_text, int high_contrast)
{
	ui->next_look = large_text ? UI_LOOK_LARGE : UI_LOOK_CUSTOMER;
	ui->next_hc = high_contrast ? 1 : 0;
	theme_cur = high_contrast ? &theme_high_contrast : &theme_normal; /* for ui_begin's colour */
}

int ui_tpx(const struct ui *ui, int px)
{
	int v = ui_px(ui, px);
	return v < ui->min_target ? ui->min_target : v;
}
