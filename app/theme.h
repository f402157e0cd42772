/* theme — colours, type scale, spacing and touch-target sizes. Sizes are given for a
 * 1080 px-wide portrait screen and multiplied by the layout scale (ui->s), so a kiosk, a tablet
 * and an 800x480 panel keep the same proportions. Touch targets stay >= 88 px at 1080 wide. */
#ifndef RECAUDO_THEME_H
#define RECAUDO_THEME_H
#include <stdint.h>

struct rgba {
	uint8_t r, g, b, a;
};

#define THEME_BG        ((struct rgba){0xF3, 0xF5, 0xF8, 0xFF})
#define THEME_SURFACE   ((struct rgba){0xFF, 0xFF, 0xFF, 0xFF})
#define THEME_BRAND     ((struct rgba){0x0B, 0x3A, 0x5B, 0xFF}) /* deep navy */
#define THEME_BRAND_2   ((struct rgba){0x13, 0x5E, 0x8C, 0xFF})
#define THEME_ON_BRAND  ((struct rgba){0xFF, 0xFF, 0xFF, 0xFF})
#define THEME_ACCENT    ((struct rgba){0x0E, 0x7C, 0x4A, 0xFF}) /* go / pay: green */
#define THEME_TEXT      ((struct rgba){0x17, 0x1E, 0x29, 0xFF})
#define THEME_MUTED     ((struct rgba){0x55, 0x60, 0x6E, 0xFF})
#define THEME_LINE      ((struct rgba){0xD5, 0xDB, 0xE3, 0xFF})
#define THEME_SELECTED  ((struct rgba){0xE3, 0xF0, 0xFA, 0xFF})
#define THEME_PRESSED   ((struct rgba){0xC9, 0xDD, 0xEE, 0xFF})
#define THEME_DANGER    ((struct rgba){0xB0, 0x22, 0x1A, 0xFF})
#define THEME_DANGER_BG ((struct rgba){0xFC, 0xEB, 0xEA, 0xFF})
#define THEME_OK_BG     ((struct rgba){0xE3, 0xF4, 0xEA, 0xFF})
#define THEME_WARN_BG   ((struct rgba){0xFF, 0xF4, 0xD6, 0xFF})
#define THEME_DISABLED  ((struct rgba){0xB8, 0xC0, 0xCA, 0xFF})
#define THEME_SCRIM     ((struct rgba){0x0A, 0x12, 0x1C, 0xA0})

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
