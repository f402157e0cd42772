/* escpos_font — Font A for the virtual printer (see escpos_font.h). Opening and closing
 * faces goes through font_lock: FreeType's library object is shared with the UI. */
#include "escpos_font.h"
#include "escpos.h"
#include "font_lock.h"

#include <stdio.h>
#include <string.h>

#define FONT_REGULAR "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
#define FONT_BOLD "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
#define GRAY_THRESHOLD 110 /* glyph coverage (0..255) at which a dot burns */

int escpos_font_open(struct escpos_font *f, char *err, size_t errn)
{
	const char *path[2] = {FONT_REGULAR, FONT_BOLD};

	for (int b = 0; b < 2; b++) {
		int pt;

		font_lock();
		f->font[b] = TTF_OpenFont(path[b], 24);
		font_unlock();
		if (!f->font[b]) {
			snprintf(err, errn, "cannot open font: %s", TTF_GetError());
			return -1;
		}
		/* The largest size whose advance and height fit the 12x24 cell. */
		for (pt = 24; pt > 6; pt--) {
			int adv = 0;

			if (TTF_SetFontSize(f->font[b], pt) == 0 &&
			    TTF_GlyphMetrics32(f->font[b], 'M', NULL, NULL, NULL, NULL, &adv) == 0 &&
			    adv <= ESCPOS_CELL_W && TTF_FontHeight(f->font[b]) <= ESCPOS_CELL_H + 1)
				break;
		}
	}
	return 0;
}

void escpos_font_close(struct escpos_font *f)
{
	font_lock();
	for (int b = 0; b < 2; b++) {
		if (f->font[b])
			TTF_CloseFont(f->font[b]);
		f->font[b] = NULL;
	}
	font_unlock();
}

const struct escpos_glyph *escpos_font_glyph(struct escpos_font *f, uint8_t page, uint8_t byte,
					     int bold)
{
	struct escpos_glyph *g = &f->glyph[bold][byte];
	SDL_Color ink = {0, 0, 0, 255}, bg = {255, 255, 255, 255};
	SDL_Surface *s;
	uint32_t cp = escpos_cp_codepoint(page, byte);
	int ox, oy;

	if (page != f->page) {
		memset(f->glyph, 0, sizeof f->glyph);
		f->page = page;
	}
	if (g->ready)
		return g;
	g->ready = 1;
	memset(g->px, 0, sizeof g->px);
	if (cp == ' ' || cp == 0xa0)
		return g;
	s = TTF_RenderGlyph32_Shaded(f->font[bold], cp, ink, bg);
	if (!s)
		return g;
	ox = (ESCPOS_CELL_W - s->w) / 2;
	oy = (ESCPOS_CELL_H - s->h) / 2;
	if (SDL_LockSurface(s) == 0) {
		const SDL_Palette *pal = s->format->palette;

		for (int y = 0; y < s->h; y++) {
			for (int x = 0; x < s->w; x++) {
				uint8_t i = ((const uint8_t *)s->pixels)[y * s->pitch + x];
				int cx = x + ox, cy = y + oy;

				if (!pal || i >= pal->ncolors || cx < 0 || cx >= ESCPOS_CELL_W ||
				    cy < 0 || cy >= ESCPOS_CELL_H)
					continue;
				g->px[cy][cx] = 255 - pal->colors[i].r >= GRAY_THRESHOLD;
			}
		}
		SDL_UnlockSurface(s);
	}
	SDL_FreeSurface(s);
	return g;
}
