/* Unit tests for core/coupon.c: references, the signed coupon QR, CRC-16 and the EMVCo QR.
 * The expected HMAC and EMV strings were computed outside this code (openssl dgst -hmac,
 * and a separate Python TLV/CRC implementation), so they are real vectors. */
#include "check.h"
#include "coupon.h"
#include "gs1.h"
#include "money_limits.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

static const char key_text[] = "kiosk-0007-test-key";
#define KEY ((const uint8_t *)key_text)
#define KEYLEN (sizeof key_text - 1)

/* printf '%s' 'RCP1|K=0007|S=42|R=000700000000427|A=12345600|C=COP|D=20261130' |
 *	openssl dgst -sha256 -hmac kiosk-0007-test-key */
static const char want_qr[] = "RCP1|K=0007|S=42|R=000700000000427|A=12345600|C=COP|D=20261130"
			      "|H=26675439d469871fde5a5ea48758f2c444642248a35ef6ddc354519ef78e4ba8";

static const char want_emv[] =
	"00020101021226290011CO.COM.BREB0110001234567852044900530317054061234565802CO"
	"5919Acueducto de Bogota6011Bogota D.C.623905150007000000004270705K00070807RECAUDO"
	"6304CCBB";

static struct coupon sample_coupon(void)
{
	struct coupon c = {0};

	c.kiosk_id = 7;
	c.seq = 42;
	reference_build(c.reference, sizeof c.reference, 7, 42, 15);
	c.amount = (struct money){12345600, CUR_COP};
	c.due = 20261130;
	c.issued_at = 1796094000;
	return c;
}

/* Signs an arbitrary body the way a (possibly buggy or hostile) producer would, so the
 * parser, not the tag, is what must reject it. */
static const char *signed_body(const char *body)
{
	static char out[512];
	unsigned char md[32];
	unsigned int mdlen = 0;
	size_t len = strlen(body);

	HMAC(EVP_sha256(), KEY, (int)KEYLEN, (const unsigned char *)body, len, md, &mdlen);
	memcpy(out, body, len);
	memcpy(out + len, "|H=", 3);
	len += 3;
	for (unsigned int i = 0; i < mdlen; i++) {
		snprintf(out + len, sizeof out - len, "%02x", md[i]);
		len += 2;
	}
	return out;
}

static int verify(const char *payload)
{
	struct coupon c;
	return coupon_qr_verify(payload, KEY, KEYLEN, &c);
}

static void test_reference(void)
{
	char ref[COUPON_REF_MAX], small[15];
	int undetected = 0;

	CHECK_INT(reference_check_digit("7992739871"), 3); /* the textbook Luhn vector */
	CHECK_INT(reference_check_digit("00070000000042"), 7);
	CHECK_INT(reference_check_digit("0"), 0);
	CHECK_INT(reference_check_digit(""), -1);
	CHECK_INT(reference_check_digit("12a4"), -1);
	CHECK_INT(reference_check_digit(NULL), -1);

	CHECK_INT(reference_build(ref, sizeof ref, 7, 42, 15), 0);
	CHECK_STR(ref, "000700000000427");
	CHECK_INT(reference_valid(ref), 1);
	CHECK_INT(reference_build(ref, sizeof ref, 9999, 12345, 10), 0);
	CHECK_STR(ref, "9999123459");
	CHECK_INT(reference_valid(ref), 1);
	CHECK_INT(reference_build(ref, sizeof ref, 1, 9999999999999999999ULL, 24), 0);
	CHECK_INT(strlen(ref), 24);
	CHECK_INT(reference_valid(ref), 1);
	CHECK_INT(reference_build(ref, sizeof ref, 12, 0, 12), 0);
	CHECK_STR(ref, "001200000006");
	CHECK_INT(reference_valid("79927398713"), 1);

	/* does not fit */
	CHECK_INT(reference_build(ref, sizeof ref, 7, 123456, 10), -1);
	CHECK_STR(ref, "");
	CHECK_INT(reference_build(ref, sizeof ref, 7, UINT64_MAX, 24), -1);
	CHECK_INT(reference_build(ref, sizeof ref, 7, 42, 9), -1);
	CHECK_INT(reference_build(ref, sizeof ref, 7, 42, 25), -1);
	CHECK_INT(reference_build(ref, sizeof ref, 0, 42, 15), -1);
	CHECK_INT(reference_build(ref, sizeof ref, 10000, 42, 15), -1);
	CHECK_INT(reference_build(small, sizeof small, 7, 42, 15), -1);
	CHECK_INT(reference_build(small, sizeof small, 7, 42, 14), 0);

	/* Luhn catches every single-digit substitution */
	reference_build(ref, sizeof ref, 7, 42, 15);
	for (size_t i = 0; ref[i]; i++) {
		char keep = ref[i];
		for (char d = '0'; d <= '9'; d++) {
			if (d == keep)
				continue;
			ref[i] = d;
			undetected += reference_valid(ref);
		}
		ref[i] = keep;
	}
	CHECK_INT(undetected, 0);
	CHECK_INT(reference_valid("0"), 0);
	CHECK_INT(reference_valid(""), 0);
	CHECK_INT(reference_valid("00070000000042x"), 0);
	CHECK_INT(reference_valid(NULL), 0);
}

static void test_qr_payload(void)
{
	struct coupon c = sample_coupon(), bad;
	char buf[256];
	size_t len = strlen(want_qr);

	CHECK_INT(coupon_qr_payload(buf, sizeof buf, &c, KEY, KEYLEN), len);
	CHECK_STR(buf, want_qr);
	CHECK_INT(coupon_qr_payload(buf, len, &c, KEY, KEYLEN), 0);
	CHECK_INT(coupon_qr_payload(buf, len + 1, &c, KEY, KEYLEN), len);
	CHECK_STR(buf, want_qr);

	/* coupons that cannot be encoded */
	bad = c, bad.kiosk_id = 0;
	CHECK_INT(coupon_qr_payload(buf, sizeof buf, &bad, KEY, KEYLEN), 0);
	bad = c, bad.kiosk_id = 10000;
	CHECK_INT(coupon_qr_payload(buf, sizeof buf, &bad, KEY, KEYLEN), 0);
	bad = c, bad.reference[14] = '8';
	CHECK_INT(coupon_qr_payload(buf, sizeof buf, &bad, KEY, KEYLEN), 0);
	bad = c, memcpy(bad.reference, "79927398713", 12);
	CHECK(coupon_qr_payload(buf, sizeof buf, &bad, KEY, KEYLEN) > 0);
	bad = c, memset(bad.reference, '1', sizeof bad.reference);
	CHECK_INT(coupon_qr_payload(buf, sizeof buf, &bad, KEY, KEYLEN), 0);
	bad = c, bad.amount.minor = -1;
	CHECK_INT(coupon_qr_payload(buf, sizeof buf, &bad, KEY, KEYLEN), 0);
	bad = c, bad.amount.minor = 999999999999999999LL;
	CHECK(coupon_qr_payload(buf, sizeof buf, &bad, KEY, KEYLEN) > 0);
	CHECK_INT(coupon_qr_verify(buf, KEY, KEYLEN, NULL), 0);
	bad = c, bad.amount.minor = 1000000000000000000LL;
	CHECK_INT(coupon_qr_payload(buf, sizeof buf, &bad, KEY, KEYLEN), 0);
	bad = c, bad.amount.cur = (enum currency)978;
	CHECK_INT(coupon_qr_payload(buf, sizeof buf, &bad, KEY, KEYLEN), 0);
	bad = c, bad.due = 20261131;
	CHECK_INT(coupon_qr_payload(buf, sizeof buf, &bad, KEY, KEYLEN), 0);
	CHECK_INT(coupon_qr_payload(buf, sizeof buf, &c, KEY, 0), 0);
	CHECK_INT(coupon_qr_payload(buf, sizeof buf, &c, NULL, KEYLEN), 0);
	CHECK_STR(buf, "");
}

static struct emv_merchant sample_merchant(void);

/* money_limits.h: the largest amount the kiosk accepts goes through every carrier, and one
 * peso more does not fit the tightest (EMVCo tag 54), so the limit is the right one. */
static void test_every_path_at_max(void)
{
	struct coupon c = sample_coupon(), got;
	struct emv_merchant m = sample_merchant();
	struct gs1_coupon g = {"7709998000001", c.reference, MONEY_MAX_PESOS, 20261125};
	char buf[512], err[200];

	c.amount = (struct money){MONEY_MAX_COP_MINOR, CUR_COP};
	CHECK(coupon_qr_payload(buf, sizeof buf, &c, KEY, KEYLEN) > 0);
	CHECK_INT(coupon_qr_verify(buf, KEY, KEYLEN, &got), 0);
	CHECK(got.amount.minor == MONEY_MAX_COP_MINOR);
	CHECK(emvqr_build(buf, sizeof buf, &m, MONEY_MAX_COP_MINOR, c.reference, "K0007") > 0);
	CHECK_INT(emvqr_check(buf), 0);
	CHECK(strstr(buf, "54139999999999999") != NULL);
	CHECK_INT(gs1_coupon_validate(&g, err, sizeof err), 0);
	CHECK_INT(emvqr_build(buf, sizeof buf, &m, MONEY_MAX_COP_MINOR + 100, c.reference, "K0007"), 0);
}

static void test_qr_verify(void)
{
	struct coupon got, c = sample_coupon();
	char buf[256], tampered[256];
	size_t len;
	int accepted = 0;

	memset(&got, 0x5a, sizeof got);
	CHECK_INT(coupon_qr_verify(want_qr, KEY, KEYLEN, &got), 0);
	CHECK_INT(got.kiosk_id, 7);
	CHECK_INT(got.seq, 42);
	CHECK_STR(got.reference, "000700000000427");
	CHECK_INT(got.amount.minor, 12345600);
	CHECK_INT(got.amount.cur, CUR_COP);
	CHECK_INT(got.due, 20261130);
	CHECK_INT(got.has_trm, 0);
	CHECK_INT(coupon_qr_verify(want_qr, KEY, KEYLEN, NULL), 0);

	/* roundtrip at the edges of each field */
	c.kiosk_id = 9999;
	c.seq = UINT64_MAX;
	reference_build(c.reference, sizeof c.reference, 9999, 123, 24);
	c.amount = (struct money){0, CUR_USD};
	c.due = 99991231;
	CHECK(coupon_qr_payload(buf, sizeof buf, &c, KEY, KEYLEN) > 0);
	CHECK_INT(coupon_qr_verify(buf, KEY, KEYLEN, &got), 0);
	CHECK(got.seq == UINT64_MAX);
	CHECK_INT(got.kiosk_id, 9999);
	CHECK_INT(got.amount.cur, CUR_USD);
	CHECK_STR(got.reference, c.reference);

	/* wrong key: rejected, and the out-parameter is cleared */
	CHECK_INT(coupon_qr_verify(want_qr, (const uint8_t *)"kiosk-0007-test-kez", KEYLEN, &got),
		  -1);
	CHECK_INT(got.kiosk_id, 0);
	CHECK_STR(got.reference, "");
	CHECK_INT(coupon_qr_verify(want_qr, KEY, KEYLEN - 1, &got), -1);
	CHECK_INT(coupon_qr_verify(want_qr, KEY, 0, &got), -1);
	CHECK_INT(coupon_qr_verify(NULL, KEY, KEYLEN, &got), -1);

	/* every single-byte change anywhere is rejected */
	len = strlen(want_qr);
	for (size_t i = 0; i < len; i++) {
		for (int b = 1; b < 256; b++) {
			if (b == (unsigned char)want_qr[i])
				continue;
			memcpy(tampered, want_qr, len + 1);
			tampered[i] = (char)b;
			accepted += verify(tampered) == 0;
		}
	}
	CHECK_INT(accepted, 0);
	/* every truncation too, and anything appended */
	accepted = 0;
	for (size_t i = 0; i < len; i++) {
		memcpy(tampered, want_qr, i);
		tampered[i] = '\0';
		accepted += verify(tampered) == 0;
	}
	CHECK_INT(accepted, 0);
	snprintf(tampered, sizeof tampered, "%s0", want_qr);
	CHECK_INT(verify(tampered), -1);
	snprintf(tampered, sizeof tampered, "%s|X=1", want_qr);
	CHECK_INT(verify(tampered), -1);
	snprintf(tampered, sizeof tampered, "%.*sA%s", (int)(len - 64), want_qr,
		 want_qr + len - 63); /* upper-case hex is not the canonical tag */
	CHECK_INT(verify(tampered), -1);
}

static void test_qr_strict(void)
{
	/* a correctly signed, well-formed control, so the failures below are the parser's */
	CHECK_INT(verify(signed_body("RCP1|K=0007|S=42|R=000700000000427|A=12345600|C=COP|D=20261130")),
		  0);
	CHECK_STR(signed_body("RCP1|K=0007|S=42|R=000700000000427|A=12345600|C=COP|D=20261130"),
		  want_qr);
	CHECK_INT(verify(signed_body("RCP1|K=0007|S=0|R=000700000000427|A=0|C=USD|D=20261130")), 0);

	static const char *const bad[] = {
		/* missing fields */
		"RCP1|K=0007|S=42|R=000700000000427|A=12345600|C=COP",
		"RCP1|S=42|R=000700000000427|A=12345600|C=COP|D=20261130",
		"RCP1|K=0007|S=42|A=12345600|C=COP|D=20261130",
		"RCP1|K=0007|S=42|R=000700000000427|C=COP|D=20261130",
		"K=0007|S=42|R=000700000000427|A=12345600|C=COP|D=20261130",
		/* duplicate, unknown, reordered */
		"RCP1|K=0007|S=42|R=000700000000427|A=12345600|A=12345600|C=COP|D=20261130",
		"RCP1|K=0007|S=42|S=43|R=000700000000427|A=12345600|C=COP|D=20261130",
		"RCP1|K=0007|S=42|R=000700000000427|A=12345600|C=COP|D=20261130|X=1",
		"RCP1|K=0007|X=1|S=42|R=000700000000427|A=12345600|C=COP|D=20261130",
		"RCP1|S=42|K=0007|R=000700000000427|A=12345600|C=COP|D=20261130",
		"RCP1|k=0007|S=42|R=000700000000427|A=12345600|C=COP|D=20261130",
		"RCP2|K=0007|S=42|R=000700000000427|A=12345600|C=COP|D=20261130",
		"RCP1||K=0007|S=42|R=000700000000427|A=12345600|C=COP|D=20261130",
		/* non-digits, empty, overlong, non-canonical */
		"RCP1|K=007|S=42|R=000700000000427|A=12345600|C=COP|D=20261130",
		"RCP1|K=00007|S=42|R=000700000000427|A=12345600|C=COP|D=20261130",
		"RCP1|K=0000|S=42|R=000700000000427|A=12345600|C=COP|D=20261130",
		"RCP1|K=00a7|S=42|R=000700000000427|A=12345600|C=COP|D=20261130",
		"RCP1|K=0007|S=|R=000700000000427|A=12345600|C=COP|D=20261130",
		"RCP1|K=0007|S=4a|R=000700000000427|A=12345600|C=COP|D=20261130",
		"RCP1|K=0007|S=042|R=000700000000427|A=12345600|C=COP|D=20261130",
		"RCP1|K=0007|S=+42|R=000700000000427|A=12345600|C=COP|D=20261130",
		"RCP1|K=0007|S=18446744073709551616|R=000700000000427|A=12345600|C=COP|D=20261130",
		"RCP1|K=0007|S=100000000000000000000|R=000700000000427|A=1|C=COP|D=20261130",
		"RCP1|K=0007|S=42|R=000700000000428|A=12345600|C=COP|D=20261130",
		"RCP1|K=0007|S=42|R=000700004|A=12345600|C=COP|D=20261130",
		"RCP1|K=0007|S=42|R=0007000000000000000000000|A=12345600|C=COP|D=20261130",
		"RCP1|K=0007|S=42|R=00070000000042 7|A=12345600|C=COP|D=20261130",
		"RCP1|K=0007|S=42|R=000700000000427|A=-12345600|C=COP|D=20261130",
		"RCP1|K=0007|S=42|R=000700000000427|A=012345600|C=COP|D=20261130",
		"RCP1|K=0007|S=42|R=000700000000427|A=1234567890123456789|C=COP|D=20261130",
		"RCP1|K=0007|S=42|R=000700000000427|A=123456.00|C=COP|D=20261130",
		"RCP1|K=0007|S=42|R=000700000000427|A=12345600|C=cop|D=20261130",
		"RCP1|K=0007|S=42|R=000700000000427|A=12345600|C=EUR|D=20261130",
		"RCP1|K=0007|S=42|R=000700000000427|A=12345600|C=COPX|D=20261130",
		"RCP1|K=0007|S=42|R=000700000000427|A=12345600|C=COP|D=20261131",
		"RCP1|K=0007|S=42|R=000700000000427|A=12345600|C=COP|D=2026113",
		"RCP1|K=0007|S=42|R=000700000000427|A=12345600|C=COP|D=202611300",
		"RCP1|K=0007|S=42|R=000700000000427|A=12345600|C=COP|D=2026-11-30",
	};
	int accepted = 0;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (verify(signed_body(bad[i])) == 0) {
			accepted++;
			fprintf(stderr, "accepted: %s\n", bad[i]);
		}
	}
	CHECK_INT(accepted, 0);

	/* an overlong payload is refused before any parsing */
	char big[400];
	memset(big, '1', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memcpy(big, "RCP1|K=0007|S=", 14);
	CHECK_INT(verify(big), -1);
}

static void test_crc(void)
{
	CHECK_INT(crc16_ccitt_false("123456789", 9), 0x29B1);
	CHECK_INT(crc16_ccitt_false("", 0), 0xFFFF);
	CHECK_INT(crc16_ccitt_false("A", 1), 0xB915);
}

static struct emv_merchant sample_merchant(void)
{
	struct emv_merchant m = {0};

	snprintf(m.gui, sizeof m.gui, "%s", "CO.COM.BREB");
	snprintf(m.merchant_id, sizeof m.merchant_id, "%s", "0012345678");
	snprintf(m.mcc, sizeof m.mcc, "%s", "4900");
	snprintf(m.name, sizeof m.name, "%s", "Acueducto de Bogotá");
	snprintf(m.city, sizeof m.city, "%s", "Bogotá D.C.");
	return m;
}

static int is_upper_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

static void test_emv(void)
{
	struct emv_merchant m = sample_merchant(), bad;
	char buf[512], flipped[520];
	const char *ref = "000700000000427";
	size_t len;
	int accepted = 0;

	len = emvqr_build(buf, sizeof buf, &m, 12345600, ref, "K0007");
	CHECK_INT(len, strlen(want_emv));
	CHECK_STR(buf, want_emv);
	CHECK(strncmp(buf, "000201010212", 12) == 0);
	CHECK(strstr(buf, "5303170") != NULL);
	CHECK(strstr(buf, "5802CO") != NULL);
	CHECK(strstr(buf, "5406123456") != NULL);
	CHECK(strstr(buf, "5919Acueducto de Bogota") != NULL);
	CHECK(strstr(buf, "6011Bogota D.C.") != NULL);
	CHECK(strstr(buf, "0807RECAUDO") != NULL);
	CHECK(len > 8 && strncmp(buf + len - 8, "6304", 4) == 0);
	CHECK(is_upper_hex(buf[len - 4]) && is_upper_hex(buf[len - 3]) &&
	      is_upper_hex(buf[len - 2]) && is_upper_hex(buf[len - 1]));
	CHECK_INT(emvqr_check(buf), 0);

	/* any single flipped byte is caught */
	for (size_t i = 0; i < len; i++) {
		memcpy(flipped, buf, len + 1);
		flipped[i] = (char)(flipped[i] ^ 0x01);
		accepted += emvqr_check(flipped) == 0;
	}
	CHECK_INT(accepted, 0);
	memcpy(flipped, buf, len + 1);
	for (size_t i = len - 4; i < len; i++)
		if (flipped[i] >= 'A' && flipped[i] <= 'F')
			flipped[i] = (char)(flipped[i] - 'A' + 'a');
	CHECK_INT(emvqr_check(flipped), -1); /* lower-case CRC */
	snprintf(flipped, sizeof flipped, "%sX", buf);
	CHECK_INT(emvqr_check(flipped), -1); /* CRC not last */
	CHECK_INT(emvqr_check("000201"), -1);
	CHECK_INT(emvqr_check(""), -1);
	CHECK_INT(emvqr_check(NULL), -1);
	CHECK_INT(emvqr_check("0002016304AAE6"), 0); /* smallest well-formed payload */
	CHECK_INT(emvqr_check("0002016304AAE7"), -1);
	CHECK_INT(emvqr_check("0002016304AAE"), -1);
	CHECK_INT(emvqr_check("0002016200" "6304AAE6"), -1); /* zero-length field */
	CHECK_INT(emvqr_check("000201620411116304AAE6"), -1); /* template does not tile */
	CHECK_INT(emvqr_check("000202" "6304AAE6"), -1);

	/* amounts: whole pesos, half-up; terminal optional */
	len = emvqr_build(buf, sizeof buf, &m, 12345650, ref, NULL);
	CHECK(len > 0 && strstr(buf, "5406123457") != NULL);
	CHECK(strstr(buf, "0705") == NULL);
	CHECK_INT(emvqr_check(buf), 0);
	CHECK(emvqr_build(buf, sizeof buf, &m, 100, ref, "") > 0);
	CHECK(strstr(buf, "54011") != NULL);
	CHECK_INT(emvqr_build(buf, sizeof buf, &m, 0, ref, NULL), 0);
	CHECK_INT(emvqr_build(buf, sizeof buf, &m, 49, ref, NULL), 0);
	CHECK_INT(emvqr_build(buf, sizeof buf, &m, -100, ref, NULL), 0);
	CHECK(emvqr_build(buf, sizeof buf, &m, 999999999999900LL, ref, NULL) > 0);
	CHECK_INT(emvqr_build(buf, sizeof buf, &m, 1000000000000000LL, ref, NULL), 0);

	/* non-ASCII is folded or dropped, not an error */
	bad = m;
	snprintf(bad.name, sizeof bad.name, "%s", "Ñandú Café ☕ Sur");
	CHECK(emvqr_build(buf, sizeof buf, &bad, 100, ref, NULL) > 0);
	CHECK(strstr(buf, "5915Nandu Cafe  Sur") != NULL);
	CHECK_INT(emvqr_check(buf), 0);
	snprintf(bad.name, sizeof bad.name, "%s", "日本");
	CHECK_INT(emvqr_build(buf, sizeof buf, &bad, 100, ref, NULL), 0); /* nothing left */

	/* limits: 25-character name fits, fields too long or malformed fail */
	bad = m;
	memset(bad.name, 'N', 25);
	bad.name[25] = '\0';
	CHECK(emvqr_build(buf, sizeof buf, &bad, 100, ref, NULL) > 0);
	memset(bad.name, 'N', sizeof bad.name); /* no terminator */
	CHECK_INT(emvqr_build(buf, sizeof buf, &bad, 100, ref, NULL), 0);
	bad = m;
	memset(bad.city, 'C', sizeof bad.city);
	CHECK_INT(emvqr_build(buf, sizeof buf, &bad, 100, ref, NULL), 0);
	CHECK_INT(emvqr_build(buf, sizeof buf, &m, 100, "12345678901234567890123456", NULL), 0);
	CHECK(emvqr_build(buf, sizeof buf, &m, 100, "1234567890123456789012345", NULL) > 0);
	CHECK_INT(emvqr_build(buf, sizeof buf, &m, 100, ref, "T23456789012345678901234567"), 0);
	CHECK_INT(emvqr_build(buf, sizeof buf, &m, 100, "", NULL), 0);
	CHECK_INT(emvqr_build(buf, sizeof buf, &m, 100, NULL, NULL), 0);
	bad = m, snprintf(bad.mcc, sizeof bad.mcc, "%s", "49a0");
	CHECK_INT(emvqr_build(buf, sizeof buf, &bad, 100, ref, NULL), 0);
	bad = m, snprintf(bad.mcc, sizeof bad.mcc, "%s", "490");
	CHECK_INT(emvqr_build(buf, sizeof buf, &bad, 100, ref, NULL), 0);
	bad = m, bad.gui[0] = '\0';
	CHECK_INT(emvqr_build(buf, sizeof buf, &bad, 100, ref, NULL), 0);
	bad = m, snprintf(bad.merchant_id, sizeof bad.merchant_id, "%s", "café");
	CHECK_INT(emvqr_build(buf, sizeof buf, &bad, 100, ref, NULL), 0);
	bad = m;
	memset(bad.gui, 'G', 32);
	memset(bad.merchant_id, 'M', 32);
	CHECK(emvqr_build(buf, sizeof buf, &bad, 100, ref, "K0007") > 0);
	CHECK_INT(emvqr_check(buf), 0);

	/* output buffer exactly large enough, and one byte short */
	len = strlen(want_emv);
	CHECK_INT(emvqr_build(buf, len + 1, &m, 12345600, ref, "K0007"), len);
	CHECK_INT(emvqr_build(buf, len, &m, 12345600, ref, "K0007"), 0);
	CHECK_STR(buf, "");
}

int main(void)
{
	test_reference();
	test_qr_payload();
	test_qr_verify();
	test_qr_strict();
	test_crc();
	test_emv();
	test_every_path_at_max();
	return check_done();
}
