/* escpos_font — the virtual printer's Font A: 12x24 dot cells drawn from DejaVu Sans Mono
 * (regular and bold) by SDL_ttf, thresholded to 1 bit and cached per code-page byte.
 * One struct per render call; the caller has initialised SDL_ttf. */
#ifndef RECAUDO_ESCPOS_FONT_H
#define RECAUDO_ESCPOS_FONT_H
#include <SDL_ttf.h>
#include <stddef.h>
#include <stdint.h>

#define ESCPOS_CELL_W 12
#define ESCPOS_CELL_H 24

struct escpos_glyph {
	uint8_t ready;
	uint8_t px[ESCPOS_CELL_H][ESCPOS_CELL_W]; /* 1 = a burnt dot */
};

struct escpos_font {
	TTF_Font *font[2];                 /* regular, bold */
	struct escpos_glyph glyph[2][256]; /* by byte, valid for `page` */
	uint8_t page;
};

/* Opens both faces at the largest size that fits the cell. Returns 0, or -1 with err set
 * (close it anyway). */
int escpos_font_open(struct escpos_font *f, char *err, size_t errn);
void escpos_font_close(struct escpos_font *f);
/* The glyph of `byte` on code page `page` (ESC t value); blank for what the face lacks. */
const struct escpos_glyph *escpos_font_glyph(struct escpos_font *f, uint8_t page, uint8_t byte,
					     int bold);
#endif
