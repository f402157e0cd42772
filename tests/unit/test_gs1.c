/* The bank coupon's GS1-128 data (core/gs1.c): GLN check digits, the due-date rule,
 * validation messages and the element string's forms. Check-digit vectors are published
 * ones (EAN-13/ISBN-13 use the same GS1 mod-10 as a GLN) plus one libzint confirms
 * ("expected '1'" for ...0002). The bars are tests/unit/test_gs1_render.c. */
#include "check.h"
#include "gs1.h"

#include <string.h>

static const struct gs1_coupon good = {"7709998000001", "000700000000427", 1234567, 20261125};

#define SCAN "4157709998000001" "8020000700000000427" "\x1d" "39001234567" "\x1d" "9620261125"

static void test_check_digit(void)
{
	CHECK_INT(gs1_gln_check_digit("770999800000"), 1);
	CHECK_INT(gs1_gln_check_digit("400638133393"), 1); /* EAN-13 4006381333931 */
	CHECK_INT(gs1_gln_check_digit("590123412345"), 7); /* EAN-13 5901234123457 */
	CHECK_INT(gs1_gln_check_digit("978030640615"), 7); /* ISBN 978-0-306-40615-7 */
	CHECK_INT(gs1_gln_check_digit("770999800007"), 0); /* sum a multiple of 10 */
	CHECK_INT(gs1_gln_check_digit("000000000000"), 0);
	CHECK_INT(gs1_gln_check_digit("77099980000"), -1);   /* 11 digits */
	CHECK_INT(gs1_gln_check_digit("7709998000001"), -1); /* 13: the check digit is ours */
	CHECK_INT(gs1_gln_check_digit("77099980000A"), -1);
	CHECK_INT(gs1_gln_check_digit(NULL), -1);
}

/* Each refusal, with the message a technician reads. */
static void test_validate(void)
{
	struct gs1_coupon c;
	char err[200];

	CHECK_INT(gs1_coupon_validate(&good, err, sizeof err), 0);
	CHECK_INT(gs1_gln_validate("7709998000007", err, sizeof err), -1);
	CHECK_STR(err, "GLN 7709998000007: dígito de verificación incorrecto (debe ser 1)");

#define REFUSED(field, value, msg)                                                    \
	do {                                                                          \
		c = good;                                                             \
		c.field = value;                                                      \
		err[0] = '\0';                                                        \
		CHECK_INT(gs1_coupon_validate(&c, err, sizeof err), -1);              \
		CHECK_STR(err, msg);                                                  \
	} while (0)

	REFUSED(gln, "7709998000002", "GLN 7709998000002: dígito de verificación incorrecto (debe ser 1)");
	REFUSED(gln, "770999800000", "GLN 770999800000: debe tener 13 dígitos (tiene 12)");
	REFUSED(gln, "77099980000011", "GLN 77099980000011: debe tener 13 dígitos (tiene 14)");
	REFUSED(gln, "770999800000O", "GLN 770999800000O: solo puede tener dígitos");
	REFUSED(gln, "", "GLN del recaudador vacío: se necesitan 13 dígitos");
	REFUSED(gln, NULL, "GLN del recaudador vacío: se necesitan 13 dígitos");
	REFUSED(reference, "", "Referencia de pago vacía");
	REFUSED(reference, "0007-427", "Referencia 0007-427: solo puede tener dígitos");
	REFUSED(reference, "1234567890123456789012345",
		"Referencia 1234567890123456789012345: máximo 24 dígitos (tiene 25)");
	REFUSED(amount, 0, "Valor 0: debe ser mayor que cero");
	REFUSED(amount, -5, "Valor -5: debe ser mayor que cero");
	REFUSED(amount, 1000000000000000LL, "Valor 1000000000000000: máximo 15 dígitos");
	REFUSED(due, 20261131, "Fecha límite 20261131: no es una fecha válida (AAAAMMDD)");
	REFUSED(due, 20250229, "Fecha límite 20250229: no es una fecha válida (AAAAMMDD)");
	REFUSED(due, 20261300, "Fecha límite 20261300: no es una fecha válida (AAAAMMDD)");
	REFUSED(due, 261125, "Fecha límite 261125: no es una fecha válida (AAAAMMDD)");
	REFUSED(due, 21000101, "Fecha límite 21000101: no es una fecha válida (AAAAMMDD)");
	c = good;
	c.due = 20280229; /* a leap day */
	CHECK_INT(gs1_coupon_validate(&c, err, sizeof err), 0);
	c.reference = "123456789012345678901234"; /* the longest reference and amount */
	c.amount = 999999999999999LL;
	CHECK_INT(gs1_coupon_validate(&c, err, sizeof err), 0);
	CHECK_INT(gs1_coupon_validate(NULL, err, sizeof err), -1);
}

static void test_text(void)
{
	char out[GS1_HRI_MAX];
	struct gs1_coupon c = good;

	CHECK_INT(gs1_coupon_hri(out, sizeof out, &good),
		  strlen("(415)7709998000001(8020)000700000000427(3900)1234567(96)20261125"));
	CHECK_STR(out, "(415)7709998000001(8020)000700000000427(3900)1234567(96)20261125");
	CHECK(gs1_coupon_scan_string(out, sizeof out, &good) > 0);
	CHECK_STR(out, SCAN);
	/* the longest coupon fits GS1_HRI_MAX */
	c.reference = "123456789012345678901234";
	c.amount = 999999999999999LL;
	CHECK(gs1_coupon_hri(out, sizeof out, &c) > 0);
	CHECK_STR(out, "(415)7709998000001(8020)123456789012345678901234(3900)999999999999999"
		       "(96)20261125");
	/* bad data or a short buffer: nothing */
	c = good;
	c.gln = "7709998000002";
	CHECK_INT(gs1_coupon_hri(out, sizeof out, &c), 0);
	CHECK_STR(out, "");
	CHECK_INT(gs1_coupon_hri(out, 20, &good), 0);
	CHECK_STR(out, "");
	/* what the encoder is given */
	CHECK(gs1_coupon_bracketed(out, sizeof out, &good) > 0);
	CHECK_STR(out, "[415]7709998000001[8020]000700000000427[3900]1234567[96]20261125");
	CHECK_INT(gs1_coupon_bracketed(out, sizeof out, &c), 0);
	CHECK_STR(out, "");
}

/* A civil date (core's calendar) in 2000..2099. */
static void test_due_date(void)
{
	CHECK(gs1_due_date_valid(20000101));
	CHECK(gs1_due_date_valid(20991231));
	CHECK(gs1_due_date_valid(20280229));
	CHECK(gs1_due_date_valid(20000229)); /* 2000 is a leap year */
	CHECK(!gs1_due_date_valid(19991231));
	CHECK(!gs1_due_date_valid(21000101));
	CHECK(!gs1_due_date_valid(20250229));
	CHECK(!gs1_due_date_valid(20261131));
	CHECK(!gs1_due_date_valid(20261200 + 32));
	CHECK(!gs1_due_date_valid(20260001));
	CHECK(!gs1_due_date_valid(0));
	CHECK(!gs1_due_date_valid(-20261125));
}

int main(void)
{
	test_check_digit();
	test_due_date();
	test_validate();
	test_text();
	return check_done();
}

