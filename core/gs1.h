/* gs1 — the Colombian bank coupon barcode's data ("código de barras de recaudo"), GS1-128:
 *
 *   (415)<GLN, 13 digits>(8020)<reference, 1..24 digits>(3900)<amount, whole pesos,
 *   1..15 digits>(96)<due date YYYYMMDD>
 *
 * (415) and (96) here are fixed-length; (8020) and (3900) are variable, so FNC1 follows each
 * of them (never after the last field). Parentheses appear only in the printed text line.
 * Bad data is refused with a message a person can act on, before anything is printed.
 * Pure functions over caller-owned buffers; the bars themselves are drawn by
 * drivers/gs1_render.h (libzint). */
#ifndef RECAUDO_CORE_GS1_H
#define RECAUDO_CORE_GS1_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GS1_GLN_LEN 13
#define GS1_REF_MAX 24
#define GS1_AMOUNT_MAX_DIGITS 15
#define GS1_HRI_MAX 96 /* "(415)" 13 "(8020)" 24 "(3900)" 15 "(96)" 8, plus NUL */

struct gs1_coupon {
	const char *gln;       /* the biller's GLN, 13 digits including the check digit */
	const char *reference; /* the payment reference, digits */
	int64_t amount;        /* whole pesos, > 0 */
	int32_t due;           /* YYYYMMDD */
};

/* GS1 mod-10 check digit of the first 12 digits of a GLN (weights 3,1,3,... from the
 * right). Returns 0..9, or -1 unless `digits` is exactly 12 digits. */
int gs1_gln_check_digit(const char *digits);
/* 0 if gln is 13 digits with a correct check digit; else -1 and a message such as
 * "GLN 7709998000002: dígito de verificación incorrecto (debe ser 1)". */
int gs1_gln_validate(const char *gln, char *err, size_t errn);
/* The due date a coupon's (96) may carry: a civil date (core/money.h date_valid) in the
 * years 2000..2099. The field has room for any 8-digit date; the century is the coupon's
 * rule (a due date outside it is a data error, and banks' collection files assume it). */
bool gs1_due_date_valid(int32_t yyyymmdd);
/* Every field (GLN, reference, amount, due date): 0, or -1 with the first problem in err. */
int gs1_coupon_validate(const struct gs1_coupon *c, char *err, size_t errn);

/* The text printed under the bars: "(415)7709998000001(8020)...(3900)...(96)20261125".
 * Returns its length, or 0 if the coupon is invalid or n too small. */
size_t gs1_coupon_hri(char *out, size_t n, const struct gs1_coupon *c);
/* What a scanner sends (no symbology identifier): the element string with FNC1 as GS
 * (0x1D): "4157709998000001" "8020<ref>" GS "3900<amount>" GS "96<date>". For tests and
 * for comparing a scan with the coupon. Returns the length, or 0 as above. */
size_t gs1_coupon_scan_string(char *out, size_t n, const struct gs1_coupon *c);
/* The bracketed form encoders take ("[415]...[8020]...[3900]...[96]..."; libzint's GS1
 * mode). Returns the length, or 0 as above. */
size_t gs1_coupon_bracketed(char *out, size_t n, const struct gs1_coupon *c);
#endif
