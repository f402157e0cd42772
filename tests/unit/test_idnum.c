/* Unit tests for core/idnum.c: types, lengths, the DIAN NIT check digit, formatting, masks. */
#include "check.h"
#include "idnum.h"

static void test_types(void)
{
	static const struct {
		enum id_type t;
		const char *code;
		int dian, min, max;
	} want[] = {
		{ID_CC, "CC", 13, 6, 10},   {ID_CE, "CE", 22, 6, 10}, {ID_NIT, "NIT", 31, 8, 10},
		{ID_PA, "PA", 41, 5, 12},   {ID_TI, "TI", 12, 10, 11}, {ID_PPT, "PPT", 47, 6, 10},
	};
	enum id_type t = ID_CC;

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		CHECK_STR(id_type_code(want[i].t), want[i].code);
		CHECK_INT(id_type_dian(want[i].t), want[i].dian);
		CHECK_INT(id_min_len(want[i].t), want[i].min);
		CHECK_INT(id_max_len(want[i].t), want[i].max);
		CHECK_INT(id_type_parse(want[i].code, &t), 0);
		CHECK_INT(t, want[i].t);
	}
	CHECK(id_type_code(ID_TYPE_COUNT) == NULL);
	CHECK_INT(id_type_dian(ID_TYPE_COUNT), -1);
	CHECK_INT(id_type_parse("nit", &t), 0);
	CHECK_INT(t, ID_NIT);
	CHECK_INT(id_type_parse("Ppt", &t), 0);
	CHECK_INT(t, ID_PPT);
	CHECK_INT(id_type_parse("C", &t), -1);
	CHECK_INT(id_type_parse("CCC", &t), -1);
	CHECK_INT(id_type_parse("PEP", &t), -1);
	CHECK_INT(id_type_parse("", &t), -1);
	CHECK_INT(id_type_parse(NULL, &t), -1);

	CHECK(id_char_ok(ID_CC, '0'));
	CHECK(id_char_ok(ID_CC, '9'));
	CHECK(!id_char_ok(ID_CC, 'A'));
	CHECK(!id_char_ok(ID_NIT, '-'));
	CHECK(id_char_ok(ID_PA, 'A'));
	CHECK(id_char_ok(ID_PA, 'Z'));
	CHECK(id_char_ok(ID_PA, '5'));
	CHECK(!id_char_ok(ID_PA, 'a'));
	CHECK(!id_char_ok(ID_PA, ' '));
	CHECK(!id_char_ok(ID_TYPE_COUNT, '1'));
}

static void test_nit_dv(void)
{
	CHECK_INT(nit_check_digit("800197268"), 4);
	CHECK_INT(nit_check_digit("890903938"), 8);
	CHECK_INT(nit_check_digit("860034313"), 7);
	CHECK_INT(nit_check_digit("900123456"), 8);
	CHECK_INT(nit_check_digit("1234567890"), 2);
	CHECK_INT(nit_check_digit("0"), 0);
	CHECK(nit_check_digit("123456789012345") >= 0);
	CHECK_INT(nit_check_digit("1234567890123456"), -1);
	CHECK_INT(nit_check_digit(""), -1);
	CHECK_INT(nit_check_digit(NULL), -1);
	CHECK_INT(nit_check_digit("90012345A"), -1);
	CHECK_INT(nit_check_digit("900.123.456"), -1);
	CHECK_INT(nit_check_digit(" 900123456"), -1);
}

static void test_validate(void)
{
	/* CC, CE, PPT: 6..10 digits */
	static const enum id_type six_ten[] = {ID_CC, ID_CE, ID_PPT};
	for (size_t i = 0; i < 3; i++) {
		enum id_type t = six_ten[i];
		CHECK_INT(id_validate(t, "123456", -1), ID_OK);
		CHECK_INT(id_validate(t, "1023456789", -1), ID_OK);
		CHECK_INT(id_validate(t, "12345", -1), ID_ERR_SHORT);
		CHECK_INT(id_validate(t, "10234567890", -1), ID_ERR_LONG);
		CHECK_INT(id_validate(t, "12.345.678", -1), ID_ERR_CHARS);
		CHECK_INT(id_validate(t, "12345A", -1), ID_ERR_CHARS);
		CHECK_INT(id_validate(t, "", -1), ID_ERR_EMPTY);
		CHECK_INT(id_validate(t, NULL, -1), ID_ERR_EMPTY);
	}

	CHECK_INT(id_validate(ID_NIT, "900123456", 8), ID_OK);
	CHECK_INT(id_validate(ID_NIT, "900123456", -1), ID_OK);
	CHECK_INT(id_validate(ID_NIT, "800197268", 4), ID_OK);
	CHECK_INT(id_validate(ID_NIT, "890903938", 8), ID_OK);
	CHECK_INT(id_validate(ID_NIT, "860034313", 7), ID_OK);
	CHECK_INT(id_validate(ID_NIT, "12345678", -1), ID_OK);
	CHECK_INT(id_validate(ID_NIT, "1234567890", 2), ID_OK);
	CHECK_INT(id_validate(ID_NIT, "900123456", 7), ID_ERR_DV);
	CHECK_INT(id_validate(ID_NIT, "900123456", 0), ID_ERR_DV);
	CHECK_INT(id_validate(ID_NIT, "900123456", 10), ID_ERR_DV);
	CHECK_INT(id_validate(ID_NIT, "1234567", -1), ID_ERR_SHORT);
	CHECK_INT(id_validate(ID_NIT, "12345678901", -1), ID_ERR_LONG);
	CHECK_INT(id_validate(ID_NIT, "90012345A", -1), ID_ERR_CHARS);
	CHECK_INT(id_validate(ID_NIT, "900123456-8", -1), ID_ERR_CHARS);
	CHECK_INT(id_validate(ID_NIT, "", 8), ID_ERR_EMPTY);

	CHECK_INT(id_validate(ID_PA, "AB123", -1), ID_OK);
	CHECK_INT(id_validate(ID_PA, "123456789012", -1), ID_OK);
	CHECK_INT(id_validate(ID_PA, "ZZ9999999", -1), ID_OK);
	CHECK_INT(id_validate(ID_PA, "AB12", -1), ID_ERR_SHORT);
	CHECK_INT(id_validate(ID_PA, "ABCDEFGHIJKLM", -1), ID_ERR_LONG);
	CHECK_INT(id_validate(ID_PA, "ab123", -1), ID_ERR_CHARS);
	CHECK_INT(id_validate(ID_PA, "AB-123", -1), ID_ERR_CHARS);
	CHECK_INT(id_validate(ID_PA, "", -1), ID_ERR_EMPTY);

	CHECK_INT(id_validate(ID_TI, "1023456789", -1), ID_OK);
	CHECK_INT(id_validate(ID_TI, "10234567890", -1), ID_OK);
	CHECK_INT(id_validate(ID_TI, "102345678", -1), ID_ERR_SHORT);
	CHECK_INT(id_validate(ID_TI, "102345678901", -1), ID_ERR_LONG);
	CHECK_INT(id_validate(ID_TI, "10234567 0", -1), ID_ERR_CHARS);
	CHECK_INT(id_validate(ID_TI, "", -1), ID_ERR_EMPTY);

	/* characters are judged before length: the screen names the first real problem */
	CHECK_INT(id_validate(ID_CC, "1a", -1), ID_ERR_CHARS);
	CHECK_INT(id_validate(ID_TYPE_COUNT, "123456", -1), ID_ERR_CHARS);
}

static void test_nit_format(void)
{
	char buf[32], small[6];

	CHECK_INT(nit_format(buf, sizeof buf, "900123456", 8), 13);
	CHECK_STR(buf, "900.123.456-8");
	nit_format(buf, sizeof buf, "900123456", -1);
	CHECK_STR(buf, "900.123.456");
	nit_format(buf, sizeof buf, "12345678", 0);
	CHECK_STR(buf, "12.345.678-0");
	nit_format(buf, sizeof buf, "1234567890", 2);
	CHECK_STR(buf, "1.234.567.890-2");
	nit_format(buf, sizeof buf, "123", -1);
	CHECK_STR(buf, "123");
	nit_format(buf, sizeof buf, "1234", 5);
	CHECK_STR(buf, "1.234-5");
	CHECK_INT(nit_format(buf, sizeof buf, "", -1), 0);
	CHECK_STR(buf, "");
	CHECK_INT(nit_format(small, sizeof small, "900123456", 8), 13);
	CHECK_STR(small, "900.1");
}

static void test_id_mask(void)
{
	char buf[32], small[8];

	CHECK_INT(id_mask(buf, sizeof buf, "1023456789"), 16);
	CHECK_STR(buf, "\u2022\u2022\u2022\u20226789");
	id_mask(buf, sizeof buf, "12345");
	CHECK_STR(buf, "\u2022\u2022\u2022\u20222345");
	id_mask(buf, sizeof buf, "AB123456");
	CHECK_STR(buf, "\u2022\u2022\u2022\u20223456");
	CHECK_INT(id_mask(buf, sizeof buf, "1234"), 12);
	CHECK_STR(buf, "\u2022\u2022\u2022\u2022");
	id_mask(buf, sizeof buf, "12");
	CHECK_STR(buf, "\u2022\u2022\u2022\u2022");
	CHECK_INT(id_mask(buf, sizeof buf, ""), 0);
	CHECK_STR(buf, "");
	/* truncation never leaves half a bullet */
	CHECK_INT(id_mask(small, sizeof small, "1023456789"), 16);
	CHECK_STR(small, "\u2022\u2022");
	CHECK_INT(id_mask(small, 3, "1023456789"), 16);
	CHECK_STR(small, "");
}

static void test_name_mask(void)
{
	char buf[64], small[4];

	CHECK_INT(name_mask(buf, sizeof buf, "María Fernanda Núñez"), strlen("María F*****"));
	CHECK_STR(buf, "María F*****");
	name_mask(buf, sizeof buf, "JUAN PEREZ");
	CHECK_STR(buf, "JUAN P*****");
	name_mask(buf, sizeof buf, "Juan Núñez");
	CHECK_STR(buf, "Juan N*****");
	name_mask(buf, sizeof buf, "Óscar Ñúñez Ávila");
	CHECK_STR(buf, "Óscar Ñ*****");
	name_mask(buf, sizeof buf, "  Ana \t  María  ");
	CHECK_STR(buf, "Ana M*****");
	name_mask(buf, sizeof buf, "Ángela Émilie");
	CHECK_STR(buf, "Ángela É*****");
	/* one word: initial only, even multi-byte */
	name_mask(buf, sizeof buf, "Ñandú");
	CHECK_STR(buf, "Ñ*****");
	name_mask(buf, sizeof buf, "Ecopetrol ");
	CHECK_STR(buf, "E*****");
	name_mask(buf, sizeof buf, "\xf0\x9f\x98\x80x"); /* 4-byte initial */
	CHECK_STR(buf, "\xf0\x9f\x98\x80*****");
	/* malformed UTF-8 becomes '?' rather than a broken byte */
	name_mask(buf, sizeof buf, "\xc3 Bad");
	CHECK_STR(buf, "? B*****");
	CHECK_INT(name_mask(buf, sizeof buf, ""), 0);
	CHECK_STR(buf, "");
	CHECK_INT(name_mask(buf, sizeof buf, "   "), 0);
	CHECK_INT(name_mask(buf, sizeof buf, NULL), 0);
	/* truncation stops at a character boundary */
	CHECK_INT(name_mask(small, 3, "Ñandú"), 7);
	CHECK_STR(small, "Ñ");
	CHECK_INT(name_mask(small, 2, "Ñandú"), 7);
	CHECK_STR(small, "");
	CHECK_INT(name_mask(small, sizeof small, "Ñandú"), 7);
	CHECK_STR(small, "Ñ*");
}

int main(void)
{
	test_types();
	test_nit_dv();
	test_validate();
	test_nit_format();
	test_id_mask();
	test_name_mask();
	return check_done();
}
