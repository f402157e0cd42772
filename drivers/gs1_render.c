/* gs1_render — the bank coupon's GS1-128 barcode as a bitmap (the data and its rules are
 * core/gs1.c).
 *
 * libzint encodes the symbol from its bracketed form "[415]...[8020]...[3900]...[96]...",
 * choosing code sets and inserting FNC1 after the variable-length fields. We ask it for a
 * one-dot-per-module raster (scale 0.5) and read the bars off its first row, then lay them
 * out ourselves: that keeps the module width an exact number of printer dots and lets us
 * turn the symbol on its side without resampling. zint only warns about a wrong GLN check
 * digit, so every field is checked first (gs1_coupon_validate). */
#include "gs1_render.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zint.h>

#define ZINT_DATA_MAX 128
#define MODULES_MAX 1152 /* one zint row */

/* The bars, one byte per module (1 = bar). Returns the module count, or -1. */
static int encode(const struct gs1_coupon *c, uint8_t *mods, char *err, size_t errn)
{
	char data[ZINT_DATA_MAX];
	struct zint_symbol *s;
	size_t len = gs1_coupon_bracketed(data, sizeof data, c);
	int rc, w = -1;

	if (len == 0) {
		snprintf(err, errn, "código de barras: datos del cupón inválidos");
		return -1;
	}
	s = ZBarcode_Create();
	if (!s) {
		snprintf(err, errn, "código de barras: sin memoria");
		return -1;
	}
	s->symbology = BARCODE_GS1_128;
	s->input_mode = GS1_MODE;
	s->show_hrt = 0;
	s->scale = 0.5f; /* raster output: one pixel per module */
	s->height = 1.0f;
	rc = ZBarcode_Encode_and_Buffer(s, (const unsigned char *)data, (int)len, 0);
	if (rc >= ZINT_ERROR) {
		snprintf(err, errn, "código de barras: %s", s->errtxt);
	} else if (s->bitmap_width != s->width || s->width < 1 || s->width > MODULES_MAX ||
		   s->bitmap_height < 1) {
		snprintf(err, errn, "código de barras: libzint dio %dx%d puntos para %d módulos",
			 s->bitmap_width, s->bitmap_height, s->width);
	} else {
		w = s->width;
		for (int x = 0; x < w; x++)
			mods[x] = s->bitmap[3 * x] < 128; /* RGB, dark = bar */
	}
	ZBarcode_Delete(s);
	return w;
}

int gs1_coupon_render(const struct gs1_coupon *c, int dots, int module, int bar_height,
		      struct raster *out, int *rotated, char *err, size_t errn)
{
	uint8_t mods[MODULES_MAX];
	int w, length, turn;

	memset(out, 0, sizeof *out);
	if (rotated)
		*rotated = 0;
	if (gs1_coupon_validate(c, err, errn) < 0)
		return -1;
	if (dots < 64 || module < GS1_MODULE_MIN || module > 8 || bar_height < 8 ||
	    bar_height > dots) {
		snprintf(err, errn, "código de barras: medidas inválidas (papel %d, módulo %d, "
				    "altura %d)", dots, module, bar_height);
		return -1;
	}
	w = encode(c, mods, err, errn);
	if (w < 0)
		return -1;
	length = (w + 2 * GS1_QUIET) * module;
	turn = length > dots;
	if (raster_alloc(out, dots, turn ? length : bar_height) < 0) {
		snprintf(err, errn, "código de barras: sin memoria");
		return -1;
	}
	for (int i = 0; i < w; i++) {
		int at = (GS1_QUIET + i) * module;

		if (!mods[i])
			continue;
		if (turn) /* start at the top of the paper, bars across it */
			raster_fill(out, (dots - bar_height) / 2, at, bar_height, module);
		else
			raster_fill(out, (dots - length) / 2 + at, 0, module, bar_height);
	}
	if (rotated)
		*rotated = turn;
	return 0;
}
