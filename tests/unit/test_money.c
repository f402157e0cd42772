/* Unit tests for core/money.c: formatting, parsing, TRM conversion and civil dates. */
#include "check.h"
#include "money.h"
#include "money_limits.h"

#include <stdlib.h>
#include <time.h>

static const char *fmt(int64_t minor, enum currency cur)
{
	static char buf[64];
	money_format(buf, sizeof buf, (struct money){minor, cur});
	return buf;
}

static void test_currency(void)
{
	enum currency c = CUR_USD;

	CHECK_STR(currency_code(CUR_COP), "COP");
	CHECK_STR(currency_code(CUR_USD), "USD");
	CHECK(currency_code((enum currency)978) == NULL);
	CHECK_INT(currency_parse("COP", &c), 0);
	CHECK_INT(c, CUR_COP);
	CHECK_INT(currency_parse("USD", &c), 0);
	CHECK_INT(c, CUR_USD);
	CHECK_INT(currency_parse("cop", &c), -1);
	CHECK_INT(currency_parse("COPX", &c), -1);
	CHECK_INT(currency_parse("", &c), -1);
	CHECK_INT(currency_parse(NULL, &c), -1);
}

static void test_format_cop(void)
{
	CHECK_STR(fmt(0, CUR_COP), "$ 0");
	CHECK_STR(fmt(100, CUR_COP), "$ 1");
	CHECK_STR(fmt(99900, CUR_COP), "$ 999");
	CHECK_STR(fmt(100000, CUR_COP), "$ 1.000");
	CHECK_STR(fmt(99999900, CUR_COP), "$ 999.999");
	CHECK_STR(fmt(100000000, CUR_COP), "$ 1.000.000");
	CHECK_STR(fmt(123456700, CUR_COP), "$ 1.234.567");
	CHECK_STR(fmt(-123400, CUR_COP), "-$ 1.234");
	CHECK_STR(fmt(-100, CUR_COP), "-$ 1");
	/* half-up to whole pesos */
	CHECK_STR(fmt(150, CUR_COP), "$ 2");
	CHECK_STR(fmt(149, CUR_COP), "$ 1");
	CHECK_STR(fmt(50, CUR_COP), "$ 1");
	CHECK_STR(fmt(49, CUR_COP), "$ 0");
	CHECK_STR(fmt(-150, CUR_COP), "-$ 2");
	CHECK_STR(fmt(-149, CUR_COP), "-$ 1");
	CHECK_STR(fmt(-49, CUR_COP), "$ 0");
	CHECK_STR(fmt(99999950, CUR_COP), "$ 1.000.000");
	/* big numbers, to the edges of int64 */
	CHECK_STR(fmt(123456789012345600, CUR_COP), "$ 1.234.567.890.123.456");
	CHECK_STR(fmt(INT64_MAX, CUR_COP), "$ 92.233.720.368.547.758");
	CHECK_STR(fmt(INT64_MIN, CUR_COP), "-$ 92.233.720.368.547.758");
}

static void test_format_usd(void)
{
	CHECK_STR(fmt(0, CUR_USD), "USD 0.00");
	CHECK_STR(fmt(5, CUR_USD), "USD 0.05");
	CHECK_STR(fmt(99, CUR_USD), "USD 0.99");
	CHECK_STR(fmt(99999, CUR_USD), "USD 999.99");
	CHECK_STR(fmt(100000, CUR_USD), "USD 1,000.00");
	CHECK_STR(fmt(123456, CUR_USD), "USD 1,234.56");
	CHECK_STR(fmt(100000000, CUR_USD), "USD 1,000,000.00");
	CHECK_STR(fmt(-123456, CUR_USD), "-USD 1,234.56");
	CHECK_STR(fmt(INT64_MAX, CUR_USD), "USD 92,233,720,368,547,758.07");
	CHECK_STR(fmt(INT64_MIN, CUR_USD), "-USD 92,233,720,368,547,758.08");
}

static const char *fmts(int64_t minor, enum currency cur, enum money_style st)
{
	static char buf[64];
	money_format_style(buf, sizeof buf, (struct money){minor, cur}, st);
	return buf;
}

/* One convention per language on the customer's screens (issue 11). */
static void test_format_style(void)
{
	CHECK_STR(fmts(123456700, CUR_COP, MONEY_STYLE_ES), "$ 1.234.567");
	CHECK_STR(fmts(123456700, CUR_COP, MONEY_STYLE_EN), "$1,234,567");
	CHECK_STR(fmts(150, CUR_COP, MONEY_STYLE_EN), "$2"); /* the same rounding */
	CHECK_STR(fmts(-123400, CUR_COP, MONEY_STYLE_EN), "-$1,234");
	CHECK_STR(fmts(0, CUR_COP, MONEY_STYLE_ES), "$ 0");
	CHECK_STR(fmts(245000, CUR_USD, MONEY_STYLE_ES), "USD 2.450,00");
	CHECK_STR(fmts(245000, CUR_USD, MONEY_STYLE_EN), "USD 2,450.00");
	CHECK_STR(fmts(5, CUR_USD, MONEY_STYLE_ES), "USD 0,05");
	CHECK_STR(fmts(-123456, CUR_USD, MONEY_STYLE_ES), "-USD 1.234,56");
	CHECK_STR(fmts(INT64_MAX, CUR_USD, MONEY_STYLE_ES), "USD 92.233.720.368.547.758,07");
	CHECK_STR(fmts(INT64_MIN, CUR_COP, MONEY_STYLE_EN), "-$92,233,720,368,547,758");
	CHECK_STR(fmts(100, (enum currency)978, MONEY_STYLE_ES), "978 1,00");
	/* the style's money_format is the old one for COP in Spanish, for USD in English */
	CHECK_STR(fmts(99999950, CUR_COP, MONEY_STYLE_ES), fmt(99999950, CUR_COP));
	char a[64], b[64];
	money_format_style(a, sizeof a, (struct money){123456, CUR_USD}, MONEY_STYLE_EN);
	money_format(b, sizeof b, (struct money){123456, CUR_USD});
	CHECK_STR(a, b);
	char buf[5];
	CHECK_INT(money_format_style(buf, sizeof buf, (struct money){123456700, CUR_COP}, MONEY_STYLE_EN),
		  10);
	CHECK_STR(buf, "$1,2");
	struct trm t = {401235, 20261120, 20261124};
	trm_format_style(a, sizeof a, &t, MONEY_STYLE_ES);
	CHECK_STR(a, "$ 4.012,35");
	trm_format(b, sizeof b, &t);
	CHECK_STR(a, b);
	trm_format_style(a, sizeof a, &t, MONEY_STYLE_EN);
	CHECK_STR(a, "$4,012.35");
	trm_format_style(a, sizeof a, NULL, MONEY_STYLE_EN);
	CHECK_STR(a, "");
}

static void test_format_truncation(void)
{
	char buf[5];
	struct money m = {123456700, CUR_COP};

	CHECK_INT(money_format(buf, sizeof buf, m), 11);
	CHECK_STR(buf, "$ 1.");
	CHECK_INT(money_format(NULL, 0, m), 11);
	buf[0] = 'x';
	CHECK_INT(money_format(buf, 1, m), 11);
	CHECK_STR(buf, "");
}

static void test_round(void)
{
	CHECK_INT(money_round_pesos(0), 0);
	CHECK_INT(money_round_pesos(150), 200);
	CHECK_INT(money_round_pesos(149), 100);
	CHECK_INT(money_round_pesos(12345650), 12345700);
	CHECK_INT(money_round_pesos(-150), -200);
	CHECK_INT(money_round_pesos(INT64_MAX), 9223372036854775800LL);
	CHECK_INT(money_round_pesos(INT64_MAX - 57), 9223372036854775800LL); /* ...750 up */
	CHECK_INT(money_round_pesos(INT64_MIN), -9223372036854775800LL);
}

static void test_parse_whole(void)
{
	int64_t v = -7;

	CHECK_INT(money_parse_whole("0", &v), 0);
	CHECK_INT(v, 0);
	CHECK_INT(money_parse_whole("123456", &v), 0);
	CHECK_INT(v, 12345600);
	CHECK_INT(money_parse_whole("007", &v), 0);
	CHECK_INT(v, 700);
	CHECK_INT(money_parse_whole("999999999999", &v), 0);
	CHECK_INT(v, 99999999999900LL);
	CHECK_INT(money_parse_whole("", &v), -1);
	CHECK_INT(v, 0);
	CHECK_INT(money_parse_whole(NULL, &v), -1);
	CHECK_INT(money_parse_whole("12a", &v), -1);
	CHECK_INT(money_parse_whole("abc", &v), -1);
	CHECK_INT(money_parse_whole("-5", &v), -1);
	CHECK_INT(money_parse_whole(" 5", &v), -1);
	CHECK_INT(money_parse_whole("1.000", &v), -1);
	/* every digit of the largest amount one coupon carries (money_limits.h), and no more */
	CHECK_INT(money_parse_whole("9999999999999", &v), 0);
	CHECK_INT(v, MONEY_MAX_COP_MINOR);
	CHECK_INT(money_parse_whole("12345678901234", &v), -1);
	CHECK_INT(v, 0);
}

static void test_trm(void)
{
	/* Friday 27 Nov 2026's rate covers through Monday 30 Nov. */
	struct trm t = {401235, 20261127, 20261130};
	struct trm half = {401250, 20261127, 20261130};
	struct trm below = {401249, 20261127, 20261130};
	struct trm zero = {0, 20261127, 20261130};
	char buf[32];

	CHECK(!trm_valid_on(&t, 20261126));
	CHECK(trm_valid_on(&t, 20261127));
	CHECK(trm_valid_on(&t, 20261128));
	CHECK(trm_valid_on(&t, 20261130));
	CHECK(!trm_valid_on(&t, 20261201));
	CHECK(!trm_valid_on(&t, 20261131)); /* not a date */
	CHECK(!trm_valid_on(&zero, 20261128));
	CHECK(!trm_valid_on(NULL, 20261128));

	CHECK_INT(trm_usd_to_cop(0, &t), 0);
	CHECK_INT(trm_usd_to_cop(100, &t), 401200);     /* 4.012,35 -> 4.012 */
	CHECK_INT(trm_usd_to_cop(100, &half), 401300);  /* 4.012,50 -> 4.013 exactly half */
	CHECK_INT(trm_usd_to_cop(100, &below), 401200); /* 4.012,49 -> 4.012 */
	CHECK_INT(trm_usd_to_cop(123456, &t), 495348700); /* 1.234,56 x 4.012,35 = 4.953.486,6816 */
	CHECK_INT(trm_usd_to_cop(1, &(struct trm){15000, 0, 0}), 200); /* 1,5 pesos */
	CHECK_INT(trm_usd_to_cop(1, &(struct trm){14999, 0, 0}), 100);
	CHECK_INT(trm_usd_to_cop(3, &(struct trm){5000, 0, 0}), 200); /* 1,5 pesos again */
	CHECK_INT(trm_usd_to_cop(100000000000LL, &t), 401235000000000LL); /* USD 1e9 */
	CHECK_INT(trm_usd_to_cop(INT64_MAX, &t), -1);
	CHECK_INT(trm_usd_to_cop(-100, &t), -1);
	CHECK_INT(trm_usd_to_cop(100, &zero), -1);
	CHECK_INT(trm_usd_to_cop(100, NULL), -1);
	CHECK_INT(trm_usd_to_cop(100, &t) % 100, 0);

	CHECK_INT(trm_format(buf, sizeof buf, &t), 10);
	CHECK_STR(buf, "$ 4.012,35");
	trm_format(buf, sizeof buf, &(struct trm){400000, 0, 0});
	CHECK_STR(buf, "$ 4.000,00");
	trm_format(buf, sizeof buf, &(struct trm){99, 0, 0});
	CHECK_STR(buf, "$ 0,99");
}

static void test_dates(void)
{
	char buf[16];

	CHECK(date_valid(20261130));
	CHECK(date_valid(20240229));
	CHECK(date_valid(20000229));
	CHECK(!date_valid(20230229));
	CHECK(!date_valid(21000229));
	CHECK(!date_valid(20261131));
	CHECK(!date_valid(20261301));
	CHECK(!date_valid(20261100));
	CHECK(!date_valid(20260001));
	CHECK(!date_valid(0));
	CHECK(!date_valid(-20261130));

	CHECK_INT(date_format(buf, sizeof buf, 20261130), 10);
	CHECK_STR(buf, "30/11/2026");
	date_format(buf, sizeof buf, 20260105);
	CHECK_STR(buf, "05/01/2026");
	CHECK_INT(date_format(buf, sizeof buf, 20261131), 0);
	CHECK_STR(buf, "");

	CHECK_INT(date_add_days(20261130, 0), 20261130);
	CHECK_INT(date_add_days(20261130, 1), 20261201);
	CHECK_INT(date_add_days(20240228, 1), 20240229);
	CHECK_INT(date_add_days(20240228, 2), 20240301);
	CHECK_INT(date_add_days(20230228, 1), 20230301);
	CHECK_INT(date_add_days(20000228, 1), 20000229);
	CHECK_INT(date_add_days(21000228, 1), 21000301);
	CHECK_INT(date_add_days(20240301, -1), 20240229);
	CHECK_INT(date_add_days(20230301, -1), 20230228);
	CHECK_INT(date_add_days(20261231, 1), 20270101);
	CHECK_INT(date_add_days(20270101, -1), 20261231);
	CHECK_INT(date_add_days(20260115, -30), 20251216);
	CHECK_INT(date_add_days(20240101, 366), 20250101);
	CHECK_INT(date_add_days(20230101, 365), 20240101);
	CHECK_INT(date_add_days(20261130, 3650), 20361127);
	CHECK_INT(date_add_days(19700101, 20000), 20241004);
	CHECK_INT(date_add_days(20261131, 1), 0);
	CHECK_INT(date_add_days(99991231, 1), 0);
	CHECK_INT(date_add_days(19000101, -1), 0);

	/* Bogotá is UTC-5 all year; a POSIX TZ string needs no tzdata. */
	setenv("TZ", "COT5", 1);
	tzset();
	CHECK_INT(date_from_epoch(1796094000), 20261130); /* 2026-12-01 03:00 UTC */
	CHECK_INT(date_from_epoch(1796101200), 20261201); /* 2026-12-01 05:00 UTC */
	/* the local midnight that starts a day (when a TRM valid to the day before ends) */
	CHECK(date_start_epoch(20261201) == 1796101200);
	CHECK(date_start_epoch(20261131) == -1);
	setenv("TZ", "UTC0", 1);
	tzset();
	CHECK_INT(date_from_epoch(0), 19700101);
	CHECK_INT(date_from_epoch(1796094000), 20261201);
}

int main(void)
{
	test_currency();
	test_format_cop();
	test_format_usd();
	test_format_truncation();
	test_format_style();
	test_round();
	test_parse_whole();
	test_trm();
	test_dates();
	return check_done();
}
