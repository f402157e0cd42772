/* test_json_field — the one set of typed cJSON field reads (offline/json_field.h) that the
 * importer, the API parsers and the central simulator share: each type's "missing" and
 * "must be ..." messages, the path joining, exact integers and the range messages. */
#include <cjson/cJSON.h>
#include <stdint.h>

#include "check.h"
#include "json_field.h"

static char err[256];
static struct jf j = {"what", err, sizeof err, -7};
static cJSON *obj;

static void load(const char *text)
{
	cJSON_Delete(obj);
	obj = cJSON_Parse(text);
	err[0] = '\0';
}

static void test_types(void)
{
	const cJSON *v;
	const char *s;
	int b;

	load("{\"o\":{},\"a\":[],\"s\":\"x\",\"b\":true,\"n\":null}");
	CHECK_INT(jf_object(&j, obj, "", "o", &v), 0);
	CHECK_INT(jf_array(&j, obj, "", "a", &v), 0);
	CHECK_INT(jf_string(&j, obj, "", "s", &s), 0);
	CHECK_STR(s, "x");
	CHECK_INT(jf_bool(&j, obj, "", "b", &b), 0);
	CHECK_INT(b, 1);
	CHECK_STR(err, "");
	/* the failure value is the reader's own (j.rc), the message names the field */
	CHECK_INT(jf_object(&j, obj, "", "a", &v), -7);
	CHECK_STR(err, "what: a: must be an object");
	CHECK(v == NULL);
	CHECK_INT(jf_array(&j, obj, "customers[3]", "x", &v), -7);
	CHECK_STR(err, "what: customers[3].x: missing");
	CHECK_INT(jf_string(&j, obj, "documents[2].", "n", &s), -7);
	CHECK_STR(err, "what: documents[2].n: must be a string");
	CHECK(s == NULL);
	CHECK_INT(jf_bool(&j, obj, "", "s", &b), -7);
	CHECK_STR(err, "what: s: must be true or false");
}

static void test_ints(void)
{
	int64_t n;

	load("{\"i\":42,\"f\":1.5,\"neg\":-1,\"zero\":0,\"big\":9007199254740992,\"huge\":1e999,"
	     "\"s\":\"42\"}");
	CHECK_INT(jf_int(&j, obj, "", "i", 1, 100, &n), 0);
	CHECK_INT(n, 42);
	CHECK_INT(jf_int(&j, obj, "p.", "f", 0, 100, &n), -7);
	CHECK_STR(err, "what: p.f: must be an integer");
	CHECK_INT(jf_int(&j, obj, "p", "zero", 1, 100, &n), -7);
	CHECK_STR(err, "what: p.zero: must be greater than 0");
	CHECK_INT(jf_int(&j, obj, "", "neg", 0, 100, &n), -7);
	CHECK_STR(err, "what: neg: must not be negative");
	CHECK_INT(jf_int(&j, obj, "", "i", 50, 100, &n), -7);
	CHECK_STR(err, "what: i: must be at least 50");
	CHECK_INT(jf_int(&j, obj, "", "i", 0, 10, &n), -7);
	CHECK_STR(err, "what: i: must be at most 10");
	/* 2^53 is past what every JSON reader holds exactly */
	CHECK_INT(jf_int(&j, obj, "", "big", 0, INT64_MAX, &n), -7);
	CHECK_STR(err, "what: big: must be at most 9007199254740991");
	CHECK_INT(jf_int(&j, obj, "", "s", 0, 100, &n), -7);
	CHECK_STR(err, "what: s: must be an integer");
	/* the value layer, for callers with messages of their own */
	CHECK_INT(jf_int_value(jf_get(obj, "i"), 0, 100, &n), 0);
	CHECK_INT(jf_int_value(jf_get(obj, "f"), 0, 100, &n), JF_WRONG_TYPE);
	CHECK_INT(jf_int_value(jf_get(obj, "huge"), 0, INT64_MAX, &n), JF_RANGE);
	CHECK_INT(jf_int_value(jf_get(obj, "s"), 0, 100, &n), JF_WRONG_TYPE);
	CHECK_INT(jf_int_value(NULL, 0, 100, &n), JF_WRONG_TYPE);
}

static void test_amounts(void)
{
	int64_t n;

	load("{\"a\":1000,\"f\":0.5,\"neg\":-5,\"over\":1001,\"inf\":1e999}");
	CHECK_INT(jf_amount(&j, obj, "d", "a", 1000, &n), 0);
	CHECK_INT(n, 1000);
	CHECK_INT(jf_amount(&j, obj, "d", "f", 1000, &n), -7);
	CHECK_STR(err, "what: d.f: must be an integer number of minor units");
	CHECK_INT(jf_amount(&j, obj, "d", "neg", 1000, &n), -7);
	CHECK_STR(err, "what: d.neg: must not be negative");
	CHECK_INT(jf_amount(&j, obj, "d", "over", 1000, &n), -7);
	CHECK_STR(err, "what: d.over: must be at most 1000 minor units (the most one coupon can carry)");
	CHECK_INT(jf_amount(&j, obj, "d", "inf", 1000, &n), -7);
	CHECK_INT(n, 0);
}

static void test_text_and_dates(void)
{
	char buf[4];
	int32_t d;
	int64_t t;

	load("{\"t\":\"abc\",\"long\":\"abcd\",\"empty\":\"\",\"ctl\":\"a\\u0001\",\"d\":\"2026-11-30\","
	     "\"bad\":\"2026-02-30\",\"tm\":\"2026-11-21T18:00:00-05:00\"}");
	CHECK_INT(jf_text(&j, obj, "", "t", buf, sizeof buf, JF_NONEMPTY | JF_PLAIN), 0);
	CHECK_STR(buf, "abc");
	CHECK_INT(jf_text(&j, obj, "", "long", buf, sizeof buf, 0), -7);
	CHECK_STR(err, "what: long: longer than 3 bytes");
	CHECK_INT(jf_text(&j, obj, "", "empty", buf, sizeof buf, 0), 0);
	CHECK_INT(jf_text(&j, obj, "", "empty", buf, sizeof buf, JF_NONEMPTY), -7);
	CHECK_STR(err, "what: empty: is empty");
	CHECK_INT(jf_text(&j, obj, "", "ctl", buf, sizeof buf, 0), 0);
	CHECK_INT(jf_text(&j, obj, "", "ctl", buf, sizeof buf, JF_PLAIN), -7);
	CHECK_STR(err, "what: ctl: must be UTF-8 text without control characters");
	CHECK_INT(jf_date(&j, obj, "", "d", &d), 0);
	CHECK_INT(d, 20261130);
	CHECK_INT(jf_date(&j, obj, "", "bad", &d), -7);
	CHECK_STR(err, "what: bad: must be a date \"YYYY-MM-DD\"");
	CHECK_INT(jf_time(&j, obj, "", "tm", &t), 0);
	CHECK_INT(t, 1795302000LL);
	CHECK_INT(jf_time(&j, obj, "", "d", &t), -7);
	CHECK_STR(err, "what: d: must be an ISO 8601 time with offset");
}

static void test_no_prefix_no_buffer(void)
{
	struct jf quiet = {NULL, NULL, 0, -1}, bare = {NULL, err, sizeof err, -1};
	const char *s;

	load("{}");
	CHECK_INT(jf_string(&quiet, obj, "", "x", &s), -1);
	CHECK_INT(jf_string(&bare, obj, "", "x", &s), -1);
	CHECK_STR(err, "x: missing");
}

int main(void)
{
	test_types();
	test_ints();
	test_amounts();
	test_text_and_dates();
	test_no_prefix_no_buffer();
	cJSON_Delete(obj);
	return check_done();
}
