/* gs1 — the bank coupon's GS1-128 barcode: validation, text forms and the bitmap.
 *
 * libzint encodes the symbol from its bracketed form "[415]...[8020]...[3900]...[96]...",
 * choosing code sets and inserting FNC1 after the variable-length fields. We ask it for a
 * one-dot-per-module raster (scale 0.5) and read the bars off its first row, then lay them
 * out ourselves: that keeps the module width an exact number of printer dots and lets us
 * turn the symbol on its side without resampling. zint only warns about a wrong GLN check
 * digit, so every field is checked here first. */
#include "gs1.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zint.h>

#define AMOUNT_MAX 999999999999999LL /* 15 digits */
#define ZINT_DATA_MAX 128
#define MODULES_MAX 1152             /* one zint row */

static int all_digits(const char *s, size_t n)
{
	return n > 0 && strspn(s, "0123456789") == n;
}

int gs1_gln_check_digit(const char *digits)
{
	int sum = 0;

	if (!digits || strlen(digits) != GS1_GLN_LEN - 1 || !all_digits(digits, GS1_GLN_LEN - 1))
		return -1;
	/* weights 3,1,3,... starting from the rightmost digit */
	for (int i = GS1_GLN_LEN - 2, w = 3; i >= 0; i--, w = 4 - w)
		sum += (digits[i] - '0') * w;
	return (10 - sum % 10) % 10;
}

int gs1_gln_validate(const char *gln, char *err, size_t errn)
{
	char first[GS1_GLN_LEN];
	size_t n = gln ? strlen(gln) : 0;
	int want;

	if (n == 0) {
		snprintf(err, errn, "GLN del recaudador vacío: se necesitan 13 dígitos");
		return -1;
	}
	if (!all_digits(gln, n)) {
		snprintf(err, errn, "GLN %.40s: solo puede tener dígitos", gln);
		return -1;
	}
	if (n != GS1_GLN_LEN) {
		snprintf(err, errn, "GLN %.40s: debe tener 13 dígitos (tiene %zu)", gln, n);
		return -1;
	}
	memcpy(first, gln, GS1_GLN_LEN - 1);
	first[GS1_GLN_LEN - 1] = '\0';
	want = gs1_gln_check_digit(first);
	if (gln[GS1_GLN_LEN - 1] - '0' != want) {
		snprintf(err, errn, "GLN %s: dígito de verificación incorrecto (debe ser %d)", gln,
			 want);
		return -1;
	}
	return 0;
}

static int date_valid(int32_t ymd)
{
	static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;

	if (y < 2000 || y > 2099 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	return !(m == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0)));
}

int gs1_coupon_validate(const struct gs1_coupon *c, char *err, size_t errn)
{
	size_t n;

	if (!c) {
		snprintf(err, errn, "cupón sin datos");
		return -1;
	}
	if (gs1_gln_validate(c->gln, err, errn) < 0)
		return -1;
	n = c->reference ? strlen(c->reference) : 0;
	if (n == 0) {
		snprintf(err, errn, "Referencia de pago vacía");
		return -1;
	}
	if (!all_digits(c->reference, n)) {
		snprintf(err, errn, "Referencia %.40s: solo puede tener dígitos", c->reference);
		return -1;
	}
	if (n > GS1_REF_MAX) {
		snprintf(err, errn, "Referencia %.40s: máximo 24 dígitos (tiene %zu)", c->reference,
			 n);
		return -1;
	}
	if (c->amount <= 0) {
		snprintf(err, errn, "Valor %" PRId64 ": debe ser mayor que cero", c->amount);
		return -1;
	}
	if (c->amount > AMOUNT_MAX) {
		snprintf(err, errn, "Valor %" PRId64 ": máximo 15 dígitos", c->amount);
		return -1;
	}
	if (!date_valid(c->due)) {
		snprintf(err, errn, "Fecha límite %" PRId32 ": no es una fecha válida (AAAAMMDD)",
			 c->due);
		return -1;
	}
	return 0;
}

/* One formatter for the three forms: open/close wrap each AI, sep follows variable fields. */
static size_t element_string(char *out, size_t n, const struct gs1_coupon *c, const char *open,
			     const char *close, const char *sep)
{
	char why[160];
	int len;

	if (!out || n == 0)
		return 0;
	out[0] = '\0';
	if (gs1_coupon_validate(c, why, sizeof why) < 0)
		return 0;
	len = snprintf(out, n, "%s415%s%s%s8020%s%s%s%s3900%s%" PRId64 "%s%s96%s%08" PRId32, open,
		       close, c->gln, open, close, c->reference, sep, open, close, c->amount, sep,
		       open, close, c->due);
	if (len < 0 || (size_t)len >= n) {
		out[0] = '\0';
		return 0;
	}
	return (size_t)len;
}

size_t gs1_coupon_hri(char *out, size_t n, const struct gs1_coupon *c)
{
	return element_string(out, n, c, "(", ")", "");
}

size_t gs1_coupon_scan_string(char *out, size_t n, const struct gs1_coupon *c)
{
	return element_string(out, n, c, "", "", "\x1d");
}

/* The bars, one byte per module (1 = bar). Returns the module count, or -1. */
static int encode(const struct gs1_coupon *c, uint8_t *mods, char *err, size_t errn)
{
	char data[ZINT_DATA_MAX];
	struct zint_symbol *s;
	size_t len = element_string(data, sizeof data, c, "[", "]", "");
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
