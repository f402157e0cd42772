/* ui_secimage — the security images (ui_secimage.h): symbols of DejaVu Sans on coloured tiles.
 * Glyphs instead of bitmaps: nothing to license beyond the font the screen already uses, sharp
 * at any screen size, and a customer tells them apart by shape and colour together (never by
 * colour alone: the tiles' colours only help). */
#include "ui_secimage.h"

#include <stddef.h>

#define RGB(v) {(uint8_t)((v) >> 16), (uint8_t)((v) >> 8), (uint8_t)(v), 0xFF}

/* Shapes far apart from each other; one hue each around the wheel, all dark enough for
 * white at 4.5:1 (test_ui_secimage checks). */
static const struct ui_secimage images[UI_SECIMAGE_COUNT] = {
	{0x2600, "\u2600", "sol", "sun", RGB(0xC2410C)},
	{0x2602, "\u2602", "paraguas", "umbrella", RGB(0x6D28D9)},
	{0x263B, "\u263B", "cara feliz", "smiling face", RGB(0x78350F)},
	{0x2693, "\u2693", "ancla", "anchor", RGB(0x1E40AF)},
	{0x2708, "\u2708", "avión", "airplane", RGB(0x0369A1)},
	{0x265E, "\u265E", "caballo de ajedrez", "chess knight", RGB(0x18181B)},
	{0x266B, "\u266B", "notas musicales", "musical notes", RGB(0xA21CAF)},
	{0x2744, "\u2744", "copo de nieve", "snowflake", RGB(0x0E7490)},
	{0x273F, "\u273F", "flor", "flower", RGB(0xBE185D)},
	{0x2618, "\u2618", "trébol", "shamrock", RGB(0x15803D)},
	{0x2605, "\u2605", "estrella", "star", RGB(0x854D0E)},
	{0x2665, "\u2665", "corazón", "heart", RGB(0xB91C1C)},
	{0x2702, "\u2702", "tijeras", "scissors", RGB(0x4D7C0F)},
	{0x260E, "\u260E", "teléfono", "telephone", RGB(0x0F766E)},
	{0x2709, "\u2709", "sobre", "envelope", RGB(0x4338CA)},
	{0x2691, "\u2691", "bandera", "flag", RGB(0x475569)},
};

const struct ui_secimage *ui_secimage_get(int index)
{
	return index >= 0 && index < UI_SECIMAGE_COUNT ? &images[index] : NULL;
}

const char *ui_secimage_name(int index, int english)
{
	const struct ui_secimage *s = ui_secimage_get(index);

	return s ? (english ? s->name_en : s->name_es) : "";
}

/* The tile's colour darkened (in steps of an eighth) until white on it reaches `ratio`. */
static struct rgba tile_for(struct rgba c, double ratio)
{
	static const struct rgba white = {0xFF, 0xFF, 0xFF, 0xFF};

	for (int i = 0; i < 16 && ui_contrast(white, c) < ratio; i++) {
		c.r = (uint8_t)(c.r * 7 / 8);
		c.g = (uint8_t)(c.g * 7 / 8);
		c.b = (uint8_t)(c.b * 7 / 8);
	}
	return c;
}

void ui_secimage_draw(struct ui *ui, struct ui_rect r, int index)
{
	static const struct rgba white = {0xFF, 0xFF, 0xFF, 0xFF};
	const struct ui_secimage *s = ui_secimage_get(index);
	int side = r.w < r.h ? r.w : r.h;
	enum font_size f = FONT_DISPLAY;

	if (!s || side <= 0)
		return;
	ui_round(ui, r, side / 6, tile_for(s->tile, ui->high_contrast ? 7.0 : 4.5));
	/* the largest size whose line takes at most three quarters of the tile */
	while (f > FONT_CAPTION && ui_line_h(ui, f) * 4 > side * 3)
		f = (enum font_size)(f - 1);
	ui_label(ui, r.x + r.w / 2, r.y + (r.h - ui_line_h(ui, f)) / 2, f, 0, white, UI_CENTER, s->utf8);
}
