/* raster — 1-bit bitmaps in GS v 0 layout, QR symbols and PNG files.
 *
 * PNG input uses libpng's simplified API (no longjmp on our side) and composites alpha on
 * white paper before thresholding, so a logo drawn on a transparent background prints as
 * drawn. PNG output keeps the virtual printer's conventions: 1-bit gray, 203 dpi, fsynced. */
#include "raster.h"

#include <png.h>
#include <qrencode.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int raster_alloc(struct raster *r, int w, int h)
{
	memset(r, 0, sizeof *r);
	if (w < 1 || h < 1 || w > RASTER_MAX_DIM || h > RASTER_MAX_DIM)
		return -1;
	r->bits = calloc((size_t)h, (size_t)(w + 7) / 8);
	if (!r->bits)
		return -1;
	r->w = w;
	r->h = h;
	r->stride = (w + 7) / 8;
	return 0;
}

void raster_free(struct raster *r)
{
	free(r->bits);
	memset(r, 0, sizeof *r);
}

int raster_get(const struct raster *r, int x, int y)
{
	if (!r->bits || x < 0 || y < 0 || x >= r->w || y >= r->h)
		return 0;
	return (r->bits[(size_t)y * (size_t)r->stride + (size_t)(x >> 3)] >> (7 - (x & 7))) & 1;
}

static void set(struct raster *r, int x, int y)
{
	r->bits[(size_t)y * (size_t)r->stride + (size_t)(x >> 3)] |= (uint8_t)(0x80 >> (x & 7));
}

void raster_fill(struct raster *r, int x, int y, int w, int h)
{
	int x1 = x + w, y1 = y + h;

	if (!r->bits)
		return;
	if (x < 0)
		x = 0;
	if (y < 0)
		y = 0;
	if (x1 > r->w)
		x1 = r->w;
	if (y1 > r->h)
		y1 = r->h;
	for (int yy = y; yy < y1; yy++)
		for (int xx = x; xx < x1; xx++)
			set(r, xx, yy);
}

void raster_blit(struct raster *dst, const struct raster *src, int x, int y)
{
	if (!dst->bits || !src->bits)
		return;
	for (int sy = 0; sy < src->h; sy++) {
		int dy = y + sy;

		if (dy < 0 || dy >= dst->h)
			continue;
		for (int sx = 0; sx < src->w; sx++) {
			int dx = x + sx;

			if (dx >= 0 && dx < dst->w && raster_get(src, sx, sy))
				set(dst, dx, dy);
		}
	}
}

int raster_qr(struct raster *out, const char *data, int module, char ecc)
{
	QRecLevel level;
	QRcode *q;
	size_t n = data ? strlen(data) : 0;
	int rc = -1;

	memset(out, 0, sizeof *out);
	switch (ecc) {
	case 'L': level = QR_ECLEVEL_L; break;
	case 'Q': level = QR_ECLEVEL_Q; break;
	case 'H': level = QR_ECLEVEL_H; break;
	default: level = QR_ECLEVEL_M; break;
	}
	if (n == 0 || n > 7089 || module < 1 || module > 16)
		return -1;
	/* byte mode, like the printer's own GS ( k: the symbol matches a native one */
	q = QRcode_encodeData((int)n, (const unsigned char *)data, 0, level);
	if (!q)
		return -1;
	if (raster_alloc(out, q->width * module, q->width * module) == 0) {
		for (int my = 0; my < q->width; my++)
			for (int mx = 0; mx < q->width; mx++)
				if (q->data[my * q->width + mx] & 1)
					raster_fill(out, mx * module, my * module, module, module);
		rc = 0;
	}
	QRcode_free(q);
	return rc;
}

int raster_load_png(struct raster *out, const char *path, int max_w, int max_h, char *err,
		    size_t errn)
{
	png_image img;
	uint8_t *px = NULL;
	int rc = -1;

	memset(out, 0, sizeof *out);
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, path)) {
		snprintf(err, errn, "%s: %s", path, img.message);
		return -1;
	}
	if (img.width < 1 || img.height < 1 || img.width > (png_uint_32)max_w ||
	    img.height > (png_uint_32)max_h) {
		snprintf(err, errn, "%s: %ux%u is larger than %dx%d", path, (unsigned)img.width,
			 (unsigned)img.height, max_w, max_h);
		goto out;
	}
	img.format = PNG_FORMAT_GA;
	px = malloc(PNG_IMAGE_SIZE(img));
	if (!px) {
		snprintf(err, errn, "%s: out of memory", path);
		goto out;
	}
	if (!png_image_finish_read(&img, NULL, px, 0, NULL)) {
		snprintf(err, errn, "%s: %s", path, img.message);
		goto out;
	}
	if (raster_alloc(out, (int)img.width, (int)img.height) < 0) {
		snprintf(err, errn, "%s: out of memory", path);
		goto out;
	}
	for (int y = 0; y < out->h; y++)
		for (int x = 0; x < out->w; x++) {
			const uint8_t *p = px + ((size_t)y * (size_t)out->w + (size_t)x) * 2;
			/* gray over white paper: g*a + 255*(255-a), in units of 1/255 */
			unsigned lum = (unsigned)p[0] * p[1] + 255u * (255u - p[1]);

			if (lum < 128u * 255u)
				set(out, x, y);
		}
	rc = 0;
out:
	png_image_free(&img);
	free(px);
	return rc;
}

int raster_save_png(const struct raster *r, int rows, const char *path, char *err, size_t errn)
{
	FILE *volatile f = NULL;
	png_structp png = NULL;
	png_infop pi = NULL;
	uint8_t *volatile row = NULL;
	volatile int rc = -1;

	if (!r->bits || rows < 1 || rows > r->h) {
		snprintf(err, errn, "cannot write PNG: empty image");
		return -1;
	}
	f = fopen(path, "wb");
	if (!f) {
		snprintf(err, errn, "cannot write PNG: %s", path);
		return -1;
	}
	row = malloc((size_t)r->stride);
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	pi = png ? png_create_info_struct(png) : NULL;
	if (!row || !pi)
		goto out;
	if (setjmp(png_jmpbuf(png)))
		goto out;
	png_init_io(png, f);
	png_set_IHDR(png, pi, (png_uint_32)r->w, (png_uint_32)rows, 1, PNG_COLOR_TYPE_GRAY,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_pHYs(png, pi, 8000, 8000, PNG_RESOLUTION_METER); /* 203 dpi */
	png_write_info(png, pi);
	for (int y = 0; y < rows; y++) {
		/* bitmaps keep 1 = burnt dot; a 1-bit gray PNG has 0 = black */
		for (int i = 0; i < r->stride; i++)
			row[i] = (uint8_t)~r->bits[(size_t)y * (size_t)r->stride + (size_t)i];
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	rc = 0;
out:
	png_destroy_write_struct(&png, pi ? &pi : NULL);
	free(row);
	/* durable before the caller renames it into place */
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc < 0)
		snprintf(err, errn, "cannot write PNG: %s", path);
	return rc;
}
