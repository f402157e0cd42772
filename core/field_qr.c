/* field_qr — the field receipt's signed QR (see field.h), read as strictly as the coupon's
 * (core/coupon.c, whose field, number and tag helpers it shares): fields in a fixed order,
 * each exactly once, numbers in one spelling only, the tag compared in constant time. */
#include "field.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "coupon.h"

#define RQ_MAGIC "RCB1"
/* Longer than any payload the builder makes (about 170 bytes); bounds the scan. */
#define RQ_PAYLOAD_MAX 256
#define RQ_AMOUNT_DIGITS 18
#define RQ_NUMBER_DIGITS 18
#define RQ_TIME_DIGITS 12

static bool id_char(char c, bool device)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return device && (c == '-' || c == '_' || c == '.');
}

/* A device id (letters, digits, '-', '_', '.') or an agent code (letters and digits) of
 * 1..max-1 bytes: nothing that could hold a '|' or a name. */
static bool id_ok(const char *s, size_t len, size_t max, bool device)
{
	if (len == 0 || len >= max)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!id_char(s[i], device))
			return false;
	return true;
}

size_t field_receipt_qr_build(char *out, size_t n, const struct field_receipt_qr *q, const uint8_t *key,
			      size_t keylen)
{
	char text[RQ_PAYLOAD_MAX], hex[COUPON_QR_TAG_HEX + 1];
	const char *cur;
	int w;

	if (out && n)
		out[0] = '\0';
	if (!out || !q)
		return 0;
	cur = currency_code(q->cur);
	if (!id_ok(q->device, strnlen(q->device, sizeof q->device), sizeof q->device, true) ||
	    !id_ok(q->agent, strnlen(q->agent, sizeof q->agent), sizeof q->agent, false) || q->number < 1 ||
	    q->number > 999999999999999999ULL || q->amount_minor < 1 || q->amount_minor > 999999999999999999LL ||
	    !cur || q->at < 1 || q->at > 999999999999LL)
		return 0;
	w = snprintf(text, sizeof text, RQ_MAGIC "|D=%s|A=%s|N=%llu|V=%lld|C=%s|T=%lld", q->device, q->agent,
		     (unsigned long long)q->number, (long long)q->amount_minor, cur, (long long)q->at);
	if (w < 0 || (size_t)w >= sizeof text || coupon_hmac_hex(key, keylen, text, (size_t)w, hex) < 0)
		return 0;
	if ((size_t)w + 3 + COUPON_QR_TAG_HEX + 1 > n)
		return 0;
	w = snprintf(out, n, "%s|H=%s", text, hex);
	return (size_t)w;
}

int field_receipt_qr_verify(const char *payload, const uint8_t *key, size_t keylen, struct field_receipt_qr *out)
{
	struct field_receipt_qr q;
	const char *p, *v;
	char cur[4];
	size_t len, vlen;
	uint64_t u;

	memset(&q, 0, sizeof q);
	if (out)
		memset(out, 0, sizeof *out);
	if (!payload)
		return -1;
	len = strnlen(payload, RQ_PAYLOAD_MAX + 1);
	if (len > RQ_PAYLOAD_MAX || strncmp(payload, RQ_MAGIC, strlen(RQ_MAGIC)) != 0)
		return -1;
	p = payload + strlen(RQ_MAGIC);

	if (coupon_qr_field(&p, 'D', &v, &vlen) || !id_ok(v, vlen, sizeof q.device, true))
		return -1;
	memcpy(q.device, v, vlen);
	if (coupon_qr_field(&p, 'A', &v, &vlen) || !id_ok(v, vlen, sizeof q.agent, false))
		return -1;
	memcpy(q.agent, v, vlen);
	if (coupon_qr_field(&p, 'N', &v, &vlen) || coupon_parse_canon_u64(v, vlen, RQ_NUMBER_DIGITS, &u) || u < 1)
		return -1;
	q.number = u;
	if (coupon_qr_field(&p, 'V', &v, &vlen) || coupon_parse_canon_u64(v, vlen, RQ_AMOUNT_DIGITS, &u) || u < 1)
		return -1;
	q.amount_minor = (int64_t)u;
	if (coupon_qr_field(&p, 'C', &v, &vlen) || vlen != 3)
		return -1;
	memcpy(cur, v, 3);
	cur[3] = '\0';
	if (currency_parse(cur, &q.cur))
		return -1;
	if (coupon_qr_field(&p, 'T', &v, &vlen) || coupon_parse_canon_u64(v, vlen, RQ_TIME_DIGITS, &u) || u < 1)
		return -1;
	q.at = (int64_t)u;
	if (coupon_qr_tag_check(payload, p, key, keylen))
		return -1;
	if (out)
		*out = q;
	return 0;
}
