/* escpos_render — the virtual printer's interpreter: reads the ESC/POS bytes the project emits
 * (init, panel buttons, code pages, alignment, bold, sizes, feeds, native QR, GS v 0 rasters,
 * cut) and draws the paper as a 1-bit image `dots` wide, saved as PNG. Unknown commands are
 * skipped and counted. */
#ifndef RECAUDO_ESCPOS_RENDER_H
#define RECAUDO_ESCPOS_RENDER_H
#include <stddef.h>
#include <stdint.h>

struct escpos_render_info {
	int lines;       /* text lines printed */
	int qr_codes;    /* native QR symbols printed */
	int rasters;     /* GS v 0 images (bands) printed */
	int cuts;
	int panel_off;   /* at the end of the job the panel buttons were disabled (ESC c 5 1) */
	int unknown;     /* commands not understood */
	char text[4096]; /* printed text as UTF-8, lines separated by '\n' (for tests) */
};

/* Renders buf into a PNG at png_path. info may be NULL. Returns 0 or <0 with err set. */
int escpos_render_png(const uint8_t *buf, size_t len, int dots, const char *png_path,
		      struct escpos_render_info *info, char *err, size_t errn);
#endif
