/* theme — colours, type scale, spacing and touch-target sizes. Sizes are given for a
 * 1080 px-wide portrait screen and multiplied by the layout scale (ui->s), so a kiosk, a tablet
 * and an 800x480 panel keep the same proportions. Touch targets stay >= 88 px at 1080 wide. */
#ifndef RECAUDO_THEME_H
#define RECAUDO_THEME_H
#include <stdint.h>

struct rgba {
	uint8_t r, g, b, a;
};

/* The palette: colours by role. THEME_* name a role in the current palette (ui_set_look picks
 * it per frame; every frame starts in the normal one), so every caller keeps compiling.
 * normal: text/background pairs >= 4.5:1 (most >= 7:1), control outlines >= 3:1;
 * high contrast: pure black and white, >= 7:1 everywhere, selection by inversion or outline. */
struct theme_palette {
	struct rgba bg, surface, brand, brand_2, on_brand, accent, text, muted, line, selected, pressed,
		danger, danger_bg, ok_bg, warn_bg, disabled, disabled_fg, scrim;
};
extern const struct theme_palette theme_normal, theme_high_contrast;
extern const struct theme_palette *theme_cur; /* ui_begin / ui_set_look */
/* A colour of the palette in use as the same role of the normal palette. */
struct rgba theme_to_normal(struct rgba c);

#define THEME_BG          (theme_cur->bg)
#define THEME_SURFACE     (theme_cur->surface)
#define THEME_BRAND       (theme_cur->brand) /* deep navy */
#define THEME_BRAND_2     (theme_cur->brand_2)
#define THEME_ON_BRAND    (theme_cur->on_brand)
#define THEME_ACCENT      (theme_cur->accent) /* go / pay: green */
#define THEME_TEXT        (theme_cur->text)
#define THEME_MUTED       (theme_cur->muted)
#define THEME_LINE        (theme_cur->line) /* >= 3:1 on surface and bg: control outlines */
#define THEME_SELECTED    (theme_cur->selected)
#define THEME_PRESSED     (theme_cur->pressed)
#define THEME_DANGER      (theme_cur->danger)
#define THEME_DANGER_BG   (theme_cur->danger_bg)
#define THEME_OK_BG       (theme_cur->ok_bg)
#define THEME_WARN_BG     (theme_cur->warn_bg)
#define THEME_DISABLED    (theme_cur->disabled)    /* a disabled button's fill */
#define THEME_DISABLED_FG (theme_cur->disabled_fg) /* its label (>= 4.5:1 on the fill and on surface) */
#define THEME_SCRIM       (theme_cur->scrim)

/* Type scale (px at scale 1). */
enum font_size { FONT_CAPTION, FONT_SMALL, FONT_BODY, FONT_TITLE, FONT_H1, FONT_DISPLAY, FONT_SIZES };
static const int theme_font_px[FONT_SIZES] = {28, 32, 38, 46, 60, 88};

/* Spacing (px at scale 1). */
#define SP_XS 8
#define SP_S 16
#define SP_M 24
#define SP_L 40
#define SP_XL 64
#define TOUCH_MIN 96   /* minimum touch target, >= 88 at 1080 wide */
#define RADIUS 18
#endif
