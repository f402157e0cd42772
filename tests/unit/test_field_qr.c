/* test_field_qr — the field receipt's signed QR (core/field_qr.c): round trip, every field
 * tampered, and the forms the strict reader refuses. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "coupon.h"
#include "field.h"

static const uint8_t KEY[] = "field-device-key-0123456789abcdef";
#define KEYLEN (sizeof KEY - 1)

static struct field_receipt_qr demo(void)
{
	struct field_receipt_qr q;

	memset(&q, 0, sizeof q);
	snprintf(q.device, sizeof q.device, "T01");
	snprintf(q.agent, sizeof q.agent, "1001");
	q.number = 42;
	q.amount_minor = 15000000;
	q.cur = CUR_COP;
	q.at = 1795359600;
	return q;
}

/* The payload with the first `from` replaced by `to`, the tag left as it was. */
static void edit(char *out, size_t n, const char *payload, const char *from, const char *to)
{
	const char *at = strstr(payload, from);
	size_t pre = at ? (size_t)(at - payload) : 0;

	snprintf(out, n, "%.*s%s%s", (int)pre, payload, to, at ? at + strlen(from) : "");
}

static int test_sign(const char *body, char hex[COUPON_QR_TAG_HEX + 1])
{
	return coupon_hmac_hex(KEY, KEYLEN, body, strlen(body), hex);
}

static void test_round_trip(void)
{
	struct field_receipt_qr q = demo(), got;
	char buf[300];
	size_t n = field_receipt_qr_build(buf, sizeof buf, &q, KEY, KEYLEN);

	CHECK(n > 0 && n == strlen(buf));
	CHECK(strncmp(buf, "RCB1|D=T01|A=1001|N=42|V=15000000|C=COP|T=1795359600|H=", 55) == 0);
	CHECK_INT(strlen(buf), 55 + 64);
	CHECK_INT(field_receipt_qr_verify(buf, KEY, KEYLEN, &got), 0);
	CHECK_STR(got.device, "T01");
	CHECK_STR(got.agent, "1001");
	CHECK_INT(got.number, 42);
	CHECK_INT(got.amount_minor, 15000000);
	CHECK_INT(got.cur, CUR_COP);
	CHECK_INT(got.at, 1795359600);
	/* USD and a device id with '-', '_', '.' */
	snprintf(q.device, sizeof q.device, "tab-7_b.2");
	q.cur = CUR_USD;
	q.amount_minor = 9500;
	CHECK(field_receipt_qr_build(buf, sizeof buf, &q, KEY, KEYLEN) > 0);
	CHECK_INT(field_receipt_qr_verify(buf, KEY, KEYLEN, &got), 0);
	CHECK_INT(got.cur, CUR_USD);
	CHECK_STR(got.device, "tab-7_b.2");
	/* another key does not verify, and *out is cleared */
	CHECK_INT(field_receipt_qr_verify(buf, (const uint8_t *)"other", 5, &got), -1);
	CHECK_STR(got.device, "");
	CHECK_INT(got.number, 0);
	/* a buffer one byte short */
	q = demo();
	n = field_receipt_qr_build(buf, sizeof buf, &q, KEY, KEYLEN);
	CHECK_INT(field_receipt_qr_build(buf, n, &q, KEY, KEYLEN), 0);
	CHECK_STR(buf, "");
	CHECK(field_receipt_qr_build(buf, n + 1, &q, KEY, KEYLEN) == n);
}

/* Each field changed (and the tag left as it was) fails; so does each tag digit. */
static void test_tampered(void)
{
	static const char *const swaps[][2] = {
		{"D=T01", "D=T02"}, {"A=1001", "A=1002"}, {"N=42", "N=43"},    {"V=15000000", "V=15000001"},
		{"C=COP", "C=USD"}, {"T=1795359600", "T=1795359601"}, {"RCB1", "RCB2"},
	};
	struct field_receipt_qr q = demo();
	char buf[300], bad[300];

	field_receipt_qr_build(buf, sizeof buf, &q, KEY, KEYLEN);
	for (size_t i = 0; i < sizeof swaps / sizeof *swaps; i++) {
		edit(bad, sizeof bad, buf, swaps[i][0], swaps[i][1]);
		CHECK(strcmp(bad, buf) != 0);
		CHECK_INT(field_receipt_qr_verify(bad, KEY, KEYLEN, NULL), -1);
	}
	for (size_t i = strlen(buf) - 64; i < strlen(buf); i += 9) {
		snprintf(bad, sizeof bad, "%s", buf);
		bad[i] = bad[i] == '0' ? '1' : '0';
		CHECK_INT(field_receipt_qr_verify(bad, KEY, KEYLEN, NULL), -1);
	}
}

/* Forms refused before the tag: every one re-signed, so only the form is at fault. */
static void test_bad_forms(void)
{
	static const char *const bodies[] = {
		"RCB1|D=T01|A=1001|N=042|V=15000000|C=COP|T=1795359600",   /* leading zero */
		"RCB1|D=T01|A=1001|N=0|V=15000000|C=COP|T=1795359600",     /* number 0 */
		"RCB1|D=T01|A=1001|N=42|V=0|C=COP|T=1795359600",           /* amount 0 */
		"RCB1|D=T01|A=1001|N=42|V=-5|C=COP|T=1795359600",          /* a sign */
		"RCB1|D=T01|A=1001|N=42|V=15000000|C=EUR|T=1795359600",    /* currency */
		"RCB1|D=T01|A=1001|N=42|V=15000000|C=cop|T=1795359600",
		"RCB1|A=1001|D=T01|N=42|V=15000000|C=COP|T=1795359600",    /* order */
		"RCB1|D=T01|A=1001|V=15000000|C=COP|T=1795359600",         /* missing N */
		"RCB1|D=T01|A=1001|N=42|N=42|V=15000000|C=COP|T=1795359600", /* repeated */
		"RCB1|D=T01|A=1001|N=42|V=15000000|C=COP|T=1795359600|X=1", /* unknown */
		"RCB1|D=|A=1001|N=42|V=15000000|C=COP|T=1795359600",       /* empty device */
		"RCB1|D=T 01|A=1001|N=42|V=15000000|C=COP|T=1795359600",   /* a space */
		"RCB1|D=T01|A=10-01|N=42|V=15000000|C=COP|T=1795359600",   /* agent: letters, digits */
		"RCB1|D=T01|A=12345678901234567|N=42|V=15000000|C=COP|T=1795359600", /* 17 chars */
		"RCB1|D=T01|A=1001|N=42|V=1234567890123456789|C=COP|T=1795359600",   /* 19 digits */
		"RCB1|D=T01|A=1001|N=42|V=15000000|C=COP|T=0",
		"RCB1|D=T01|A=1001|N=42|V=1.5|C=COP|T=1795359600",
	};
	uint8_t none = 0;
	char hex[COUPON_QR_TAG_HEX + 1], buf[400];

	for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
		CHECK_INT(test_sign(bodies[i], hex), 0);
		snprintf(buf, sizeof buf, "%s|H=%s", bodies[i], hex);
		if (field_receipt_qr_verify(buf, KEY, KEYLEN, NULL) != -1)
			fprintf(stderr, "accepted: %s\n", bodies[i]);
		CHECK_INT(field_receipt_qr_verify(buf, KEY, KEYLEN, NULL), -1);
	}
	/* the same body well-formed verifies, so the harness signs right */
	CHECK_INT(test_sign("RCB1|D=T01|A=1001|N=42|V=15000000|C=COP|T=1795359600", hex), 0);
	snprintf(buf, sizeof buf, "RCB1|D=T01|A=1001|N=42|V=15000000|C=COP|T=1795359600|H=%s", hex);
	CHECK_INT(field_receipt_qr_verify(buf, KEY, KEYLEN, NULL), 0);
	/* uppercase hex, a short tag, trailing bytes, no tag, NULL, no key */
	for (char *c = strstr(buf, "|H=") + 3; *c; c++)
		if (*c >= 'a' && *c <= 'f') {
			*c = (char)(*c - 32);
			break;
		}
	CHECK_INT(field_receipt_qr_verify(buf, KEY, KEYLEN, NULL), -1);
	snprintf(buf, sizeof buf, "RCB1|D=T01|A=1001|N=42|V=15000000|C=COP|T=1795359600|H=%.63s", hex);
	CHECK_INT(field_receipt_qr_verify(buf, KEY, KEYLEN, NULL), -1);
	snprintf(buf, sizeof buf, "RCB1|D=T01|A=1001|N=42|V=15000000|C=COP|T=1795359600|H=%s|", hex);
	CHECK_INT(field_receipt_qr_verify(buf, KEY, KEYLEN, NULL), -1);
	CHECK_INT(field_receipt_qr_verify("RCB1|D=T01|A=1001|N=42|V=15000000|C=COP|T=1795359600", KEY, KEYLEN,
					  NULL),
		  -1);
	CHECK_INT(field_receipt_qr_verify(NULL, KEY, KEYLEN, NULL), -1);
	snprintf(buf, sizeof buf, "RCB1|D=T01|A=1001|N=42|V=15000000|C=COP|T=1795359600|H=%s", hex);
	CHECK_INT(field_receipt_qr_verify(buf, &none, 0, NULL), -1);
}

/* What the builder refuses to encode. */
static void test_build_refuses(void)
{
	struct field_receipt_qr q;
	char buf[300];

	q = demo(), q.number = 0;
	CHECK_INT(field_receipt_qr_build(buf, sizeof buf, &q, KEY, KEYLEN), 0);
	q = demo(), q.amount_minor = 0;
	CHECK_INT(field_receipt_qr_build(buf, sizeof buf, &q, KEY, KEYLEN), 0);
	q = demo(), q.cur = (enum currency)7;
	CHECK_INT(field_receipt_qr_build(buf, sizeof buf, &q, KEY, KEYLEN), 0);
	q = demo(), snprintf(q.agent, sizeof q.agent, "A|B");
	CHECK_INT(field_receipt_qr_build(buf, sizeof buf, &q, KEY, KEYLEN), 0);
	q = demo(), q.device[0] = '\0';
	CHECK_INT(field_receipt_qr_build(buf, sizeof buf, &q, KEY, KEYLEN), 0);
	q = demo();
	CHECK_INT(field_receipt_qr_build(buf, sizeof buf, &q, KEY, 0), 0);
	CHECK_STR(buf, "");
	CHECK_INT(field_receipt_qr_build(buf, sizeof buf, NULL, KEY, KEYLEN), 0);
}

int main(void)
{
	test_round_trip();
	test_tampered();
	test_bad_forms();
	test_build_refuses();
	return check_done();
}
