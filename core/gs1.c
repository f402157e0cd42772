/* gs1 — the bank coupon's GS1-128 data: GLN check digits, validation and the element
 * string in its three forms (printed text, scanner output, bracketed for the encoder). */
#include "gs1.h"

#include "money.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define AMOUNT_MAX 999999999999999LL /* 15 digits */

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

bool gs1_due_date_valid(int32_t yyyymmdd)
{
	return date_valid(yyyymmdd) && yyyymmdd >= 20000101 && yyyymmdd <= 20991231;
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
	if (!gs1_due_date_valid(c->due)) {
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

size_t gs1_coupon_bracketed(char *out, size_t n, const struct gs1_coupon *c)
{
	return element_string(out, n, c, "[", "]", "");
}
