/* The look (app/ui.c, app/ui_check.c): the WCAG contrast ratio, the palettes' guaranteed
 * pairs, and the accessibility minima by screen size. */
#include <stdio.h>

#include "check.h"
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

int main(void)
{
	test_contrast();
	test_palettes();
	test_minima();
	return check_done();
}
