/* The look (app/ui.c, app/ui_look.c, app/ui_check.c): the WCAG contrast ratio, the palettes'
 * guaranteed pairs, the accessibility minima by screen size, and the checker failing on each
 * rule it enforces. */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check.h"
#include "tmpdir.h"
#include "ui.h"

static int near(double a, double b, double eps) { return a > b - eps && a < b + eps; }

#define RGB(v) ((struct rgba){(uint8_t)((v) >> 16), (uint8_t)((v) >> 8), (uint8_t)(v), 0xFF})

static void test_contrast(void)
{
	CHECK(near(ui_contrast(RGB(0x000000), RGB(0xFFFFFF)), 21.0, 0.01));
	CHECK(near(ui_contrast(RGB(0xFFFFFF), RGB(0x000000)), 21.0, 0.01));
	CHECK(near(ui_contrast(RGB(0x777777), RGB(0xFFFFFF)), 4.48, 0.01));
	CHECK(ui_contrast(RGB(0x777777), RGB(0xFFFFFF)) < 4.5);
	CHECK(near(ui_contrast(RGB(0x123456), RGB(0x123456)), 1.0, 0.0001));
	CHECK(near(ui_contrast(RGB(0x767676), RGB(0xFFFFFF)), 4.54, 0.01));
}

static void pairs(const struct theme_palette *p, double text_min, double line_min)
{
	/* text on what it is drawn on */
	struct rgba fg[] = {p->text, p->muted, p->text, p->muted, p->brand, p->on_brand, p->on_brand, p->on_brand,
			    p->on_brand, p->disabled_fg, p->disabled_fg, p->danger, p->accent, p->brand_2, p->text,
			    p->brand, p->text};
	struct rgba bg[] = {p->bg, p->bg, p->surface, p->surface, p->surface, p->brand, p->accent, p->danger,
			    p->brand_2, p->disabled, p->surface, p->danger_bg, p->ok_bg, p->warn_bg, p->selected,
			    p->selected, p->pressed};
	for (size_t i = 0; i < sizeof(fg) / sizeof(fg[0]); i++) {
		double r = ui_contrast(fg[i], bg[i]);
		if (r < text_min)
			fprintf(stderr, "pair %zu: %.2f\n", i, r);
		CHECK(r >= text_min);
	}
	CHECK(ui_contrast(p->line, p->surface) >= line_min);
	CHECK(ui_contrast(p->line, p->bg) >= line_min);
	CHECK(ui_contrast(p->line, p->selected) >= line_min);
}

static void test_palettes(void)
{
	pairs(&theme_normal, 4.5, 3.0);
	pairs(&theme_high_contrast, 7.0, 7.0);
}

static void test_minima(void)
{
	CHECK(ui_min_text_px(1080, 1920) == 32);
	CHECK(ui_min_text_px(1280, 800) == 28);
	CHECK(ui_min_target_px(1080, 1920) == 96);
	CHECK(ui_min_target_px(1280, 800) == 90);
	CHECK(ui_min_gap_px(1080, 1920) == 8);
	CHECK(ui_min_gap_px(1280, 800) == 12);
	CHECK(ui_min_text_px(1920, 1080) == 32);
	int a = ui_min_text_px(1280, 900);
	CHECK(a > 28 && a < 32);
	CHECK(ui_min_text_px(800, 480) < 28);
}

/* The checker on frames drawn by hand at 1280x800: each rule fails when broken. */
static void test_checker(void)
{
	char dir[] = "/tmp/recaudo-look-XXXXXX", err[400], msg[600];
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		CHECK(0);
		return;
	}
	struct app *a = calloc(1, sizeof(*a));
	struct app_opts o;
	memset(&o, 0, sizeof(o));
	o.headless = 1;
	o.demo = 1;
	o.w = 1280;
	o.h = 800;
	o.data_dir = dir;
	o.start_ms = 1795359600000LL;
	if (!a || app_open(a, &o, err, sizeof(err)) != 0) {
		fprintf(stderr, "app_open: %s\n", err);
		CHECK(0);
		free(a);
		return;
	}
	struct ui *ui = &a->ui;
	struct rgba white = {0xFF, 0xFF, 0xFF, 0xFF}, black = {0, 0, 0, 0xFF}, grey = {0x77, 0x77, 0x77, 0xFF};
	struct ui_access w;
	/* the normal look (maintenance): a caption is 21 px, under the tablet's 28 */
	ui_begin(ui, white);
	ui_label(ui, 10, 10, FONT_CAPTION, 0, black, UI_LEFT, "pequeño");
	CHECK(ui_check_accessible(ui, &w, msg, sizeof(msg)) == 1);
	CHECK(strstr(msg, "under 28 px") != NULL);
	/* the customer look: at least 28 px, black on white passes */
	ui_set_look(ui, 0, 0);
	ui_begin(ui, white);
	ui_label(ui, 10, 10, FONT_CAPTION, 0, black, UI_LEFT, "legible");
	CHECK(ui_check_accessible(ui, &w, msg, sizeof(msg)) == 0);
	CHECK_INT(w.text_px, 28);
	CHECK(w.text_ratio > 20.9);
	/* large text: 40 % more */
	ui_set_look(ui, 1, 0);
	ui_begin(ui, white);
	ui_label(ui, 10, 10, FONT_CAPTION, 0, black, UI_LEFT, "grande");
	CHECK(ui_check_accessible(ui, &w, msg, sizeof(msg)) == 0);
	CHECK_INT(w.text_px, 39);
	/* #777 on white: 4.48, under 4.5; on a fill drawn under it, that fill counts */
	ui_set_look(ui, 0, 0);
	ui_begin(ui, white);
	ui_label(ui, 10, 10, FONT_BODY, 0, grey, UI_LEFT, "gris");
	CHECK(ui_check_accessible(ui, &w, msg, sizeof(msg)) == 1);
	CHECK(strstr(msg, "contrast 4.48:1") != NULL);
	ui_set_look(ui, 0, 0);
	ui_begin(ui, white);
	ui_fill(ui, (struct ui_rect){0, 0, 400, 100}, black);
	ui_label(ui, 10, 10, FONT_BODY, 0, grey, UI_LEFT, "gris");
	CHECK(ui_check_accessible(ui, NULL, msg, sizeof(msg)) == 0);
	/* high contrast asks 7:1 */
	ui_set_look(ui, 0, 1);
	ui_begin(ui, white);
	ui_fill(ui, (struct ui_rect){0, 0, 400, 100}, black);
	ui_label(ui, 10, 10, FONT_BODY, 0, grey, UI_LEFT, "gris");
	CHECK(ui_check_accessible(ui, NULL, msg, sizeof(msg)) == 1);
	/* a faint outline */
	ui_set_look(ui, 0, 0);
	ui_begin(ui, white);
	ui_round_outline(ui, (struct ui_rect){10, 10, 200, 100}, 10, 2, (struct rgba){0xD5, 0xDB, 0xE3, 0xFF});
	CHECK(ui_check_accessible(ui, NULL, msg, sizeof(msg)) == 1);
	CHECK(strstr(msg, "outline at 10 10 size 200x100") != NULL);
	/* targets: 89 px is too small, two 10 px apart too close, one inside another is fine */
	ui_set_look(ui, 0, 0);
	ui_begin(ui, white);
	ui_hit(ui, (struct ui_rect){10, 10, 200, 89}, (struct ui_action){UI_ACT_USER, 0}, "bajo");
	CHECK(ui_check_accessible(ui, NULL, msg, sizeof(msg)) == 1);
	CHECK(strstr(msg, "\"bajo\"") != NULL);
	ui_set_look(ui, 0, 0);
	ui_begin(ui, white);
	ui_hit(ui, (struct ui_rect){0, 0, 1280, 800}, (struct ui_action){UI_ACT_USER, 0}, "todo");
	ui_hit(ui, (struct ui_rect){10, 10, 200, 90}, (struct ui_action){UI_ACT_USER, 1}, "uno");
	ui_hit(ui, (struct ui_rect){222, 10, 200, 90}, (struct ui_action){UI_ACT_USER, 2}, "dos");
	CHECK(ui_check_accessible(ui, &w, msg, sizeof(msg)) == 0);
	CHECK_INT(w.gap_px, 12);
	ui_set_look(ui, 0, 0);
	ui_begin(ui, white);
	ui_hit(ui, (struct ui_rect){10, 10, 200, 90}, (struct ui_action){UI_ACT_USER, 1}, "uno");
	ui_hit(ui, (struct ui_rect){220, 10, 200, 90}, (struct ui_action){UI_ACT_USER, 2}, "dos");
	CHECK(ui_check_accessible(ui, NULL, msg, sizeof(msg)) == 1);
	CHECK(strstr(msg, "10 px apart") != NULL);
	/* a control the screen's edge cuts (a row whose bottom, with its check box, is not shown) */
	ui_set_look(ui, 0, 0);
	ui_begin(ui, white);
	ui_hit(ui, (struct ui_rect){10, 700, 600, 150}, (struct ui_action){UI_ACT_USER, 1}, "fila");
	CHECK(ui_check_accessible(ui, NULL, msg, sizeof(msg)) == 1);
	CHECK(strstr(msg, "off the 1280x800 screen") != NULL);
	/* a frame without ui_set_look is back in the normal look and palette */
	ui_begin(ui, white);
	CHECK(ui->look == UI_LOOK_NORMAL && !ui->high_contrast && ui->min_target == 0);
	app_close(a);
	free(a);
	tmpdir_remove(dir);
}

int main(void)
{
	test_contrast();
	test_palettes();
	test_minima();
	test_checker();
	return check_done();
}
