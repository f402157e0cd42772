/* raster — 1-bit bitmaps for the thermal printer: the layout ESC/POS GS v 0 takes (rows of
 * bytes, most significant bit = leftmost dot, 1 = a burnt dot), with the few operations the
 * receipt needs: blit, QR symbols (libqrencode), and PNG in and out (libpng).
 *
 * Ownership: raster_alloc, raster_qr and raster_load_png fill a caller's struct raster whose
 * `bits` belong to it until raster_free. On failure the struct is left empty (bits NULL). */
#ifndef RECAUDO_RASTER_H
#define RECAUDO_RASTER_H
#include <stddef.h>
#include <stdint.h>

#define RASTER_MAX_DIM 20000 /* dots in either direction: ~2.5 m of paper */

struct raster {
	int w, h;       /* dots */
	int stride;     /* bytes per row: (w + 7) / 8 */
	uint8_t *bits;  /* h rows of stride bytes; padding bits of the last byte stay 0 */
};

/* A white w x h bitmap (1..RASTER_MAX_DIM each). Returns 0, or -1 (bad size, no memory). */
int raster_alloc(struct raster *r, int w, int h);
void raster_free(struct raster *r);
int raster_get(const struct raster *r, int x, int y);  /* 0 outside the bitmap */
void raster_fill(struct raster *r, int x, int y, int w, int h); /* clipped to the bitmap */
/* Copies src's black dots onto dst with src's top-left at (x, y), clipped. */
void raster_blit(struct raster *dst, const struct raster *src, int x, int y);

/* A QR symbol for data (byte mode, version chosen by libqrencode, ecc 'L','M','Q','H'),
 * `module` dots per module (1..16), without a quiet zone: the caller places it on white.
 * Returns 0, or -1 (empty or unencodable data, or larger than RASTER_MAX_DIM). */
int raster_qr(struct raster *out, const char *data, int module, char ecc);

/* Reads a PNG of any colour type; a pixel burns when its luminance, composited on white
 * paper, is below half. At most max_w x max_h. Returns 0, or -1 with the reason in err. */
int raster_load_png(struct raster *out, const char *path, int max_w, int max_h, char *err,
		    size_t errn);
/* Writes rows [0, rows) as a 1-bit grayscale PNG (black on white, pHYs 203 dpi), flushed
 * and fsynced so the caller may rename it into place. Returns 0, or -1 with err set. */
int raster_save_png(const struct raster *r, int rows, const char *path, char *err, size_t errn);
#endif
