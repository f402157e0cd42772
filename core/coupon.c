/* coupon — payment references, the signed coupon QR and the EMVCo pay-by-phone QR.
 * The formats are described in docs/coupon-qr.md; keep the two in step. */
#include "coupon.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define QR_MAGIC "RCP1"
#define QR_TAG_SEP "|H="
#define QR_TAG_HEX COUPON_QR_TAG_HEX
/* Longer than any payload the builder can make (about 150 bytes); bounds the scan. */
#define QR_PAYLOAD_MAX 256
#define REF_MIN_LEN 10
#define REF_MAX_LEN 24
#define QR_AMOUNT_MAX 999999999999999999LL /* 18 digits, what the verifier accepts */
#define EMV_PAYLOAD_MAX 512

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool all_digits(const char *s, size_t len)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/* ---- references ----------------------------------------------------------------------- */

int reference_check_digit(const char *digits)
{
	size_t len;
	int sum = 0;

	if (!digits)
		return -1;
	len = strlen(digits);
	if (!all_digits(digits, len))
		return -1;
	/* Luhn: the digit that will sit next to the check digit is doubled, then every other. */
	for (size_t i = 0; i < len; i++) {
		int d = digits[len - 1 - i] - '0';
		if (i % 2 == 0) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return (10 - sum % 10) % 10;
}

int reference_build(char *out, size_t n, uint32_t kiosk_id, uint64_t seq, int length)
{
	char body[REF_MAX_LEN + 1];
	int seq_width = length - 5, w, cd;

	if (out && n)
		out[0] = '\0';
	if (!out || length < REF_MIN_LEN || length > REF_MAX_LEN || n < (size_t)length + 1 ||
	    kiosk_id < 1 || kiosk_id > 9999)
		return -1;
	w = snprintf(body, sizeof body, "%04u%0*llu", (unsigned)kiosk_id, seq_width,
		     (unsigned long long)seq);
	if (w != length - 1)
		return -1; /* the sequence needs more digits than the length leaves */
	cd = reference_check_digit(body);
	memcpy(out, body, (size_t)w);
	out[w] = (char)('0' + cd);
	out[w + 1] = '\0';
	return 0;
}

int reference_valid(const char *ref)
{
	char body[COUPON_REF_MAX];
	size_t len;

	if (!ref)
		return 0;
	len = strnlen(ref, COUPON_REF_MAX);
	if (len < 2 || len >= COUPON_REF_MAX || !all_digits(ref, len))
		return 0;
	memcpy(body, ref, len - 1);
	body[len - 1] = '\0';
	return reference_check_digit(body) == ref[len - 1] - '0';
}

/* ---- coupon QR ------------------------------------------------------------------------ */

int coupon_hmac_hex(const uint8_t *key, size_t keylen, const char *data, size_t len,
		    char hex[QR_TAG_HEX + 1])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!key || !keylen || keylen > INT32_MAX)
		return -1;
	if (!HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)data, len, md, &mdlen) ||
	    mdlen * 2 != QR_TAG_HEX)
		return -1;
	for (unsigned int i = 0; i < mdlen; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 0x0f];
	}
	hex[QR_TAG_HEX] = '\0';
	OPENSSL_cleanse(md, sizeof md);
	return 0;
}

/* Also returns 0 when the coupon itself cannot be encoded: kiosk outside 1..9999, a
 * reference that is not 10..24 digits with a valid check digit, an amount outside
 * 0..10^18-1, an unknown currency, an invalid due date, or an empty key. */
size_t coupon_qr_payload(char *out, size_t n, const struct coupon *c, const uint8_t *key,
			 size_t keylen)
{
	char text[QR_PAYLOAD_MAX], hex[QR_TAG_HEX + 1];
	const char *cur;
	size_t reflen;
	int w;

	if (out && n)
		out[0] = '\0';
	if (!out || !c)
		return 0;
	reflen = strnlen(c->reference, sizeof c->reference);
	cur = currency_code(c->amount.cur);
	if (c->kiosk_id < 1 || c->kiosk_id > 9999 || reflen < REF_MIN_LEN ||
	    reflen > REF_MAX_LEN || !reference_valid(c->reference) || c->amount.minor < 0 ||
	    c->amount.minor > QR_AMOUNT_MAX || !cur || !date_valid(c->due))
		return 0;
	w = snprintf(text, sizeof text, QR_MAGIC "|K=%04u|S=%llu|R=%s|A=%lld|C=%s|D=%08d",
		     (unsigned)c->kiosk_id, (unsigned long long)c->seq, c->reference,
		     (long long)c->amount.minor, cur, (int)c->due);
	if (w < 0 || (size_t)w >= sizeof text)
		return 0;
	if (coupon_hmac_hex(key, keylen, text, (size_t)w, hex) < 0)
		return 0;
	if ((size_t)w + strlen(QR_TAG_SEP) + QR_TAG_HEX + 1 > n)
		return 0;
	w = snprintf(out, n, "%s" QR_TAG_SEP "%s", text, hex);
	return (size_t)w;
}

int coupon_qr_field(const char **p, char key, const char **val, size_t *vlen)
{
	const char *s = *p, *e;

	if (s[0] != '|' || s[1] != key || s[2] != '=')
		return -1;
	s += 3;
	for (e = s; *e && *e != '|'; e++)
		;
	*val = s;
	*vlen = (size_t)(e - s);
	*p = e;
	return 0;
}

int coupon_parse_canon_u64(const char *s, size_t len, size_t max_digits, uint64_t *out)
{
	uint64_t v = 0;

	if (!all_digits(s, len) || len > max_digits || (len > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static bool is_lower_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f');
}

int coupon_qr_verify(const char *payload, const uint8_t *key, size_t keylen, struct coupon *out)
{
	char cur_text[4];
	struct coupon c;
	const char *p, *v;
	size_t len, vlen;
	uint64_t u;

	memset(&c, 0, sizeof c);
	if (out)
		memset(out, 0, sizeof *out);
	if (!payload)
		return -1;
	len = strnlen(payload, QR_PAYLOAD_MAX + 1);
	if (len > QR_PAYLOAD_MAX || strncmp(payload, QR_MAGIC, strlen(QR_MAGIC)) != 0)
		return -1;
	p = payload + strlen(QR_MAGIC);

	/* Fields in fixed order, each exactly once: a missing, repeated, reordered or unknown
	 * field fails on the first key that does not match. K is zero-padded to 4 digits;
	 * S and A are canonical decimals (no leading zeros), so each value has one spelling. */
	if (coupon_qr_field(&p, 'K', &v, &vlen) || vlen != 4 || !all_digits(v, vlen))
		return -1;
	c.kiosk_id = (uint32_t)((v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 +
				(v[3] - '0'));
	if (c.kiosk_id < 1)
		return -1;

	if (coupon_qr_field(&p, 'S', &v, &vlen) || coupon_parse_canon_u64(v, vlen, 20, &u))
		return -1;
	c.seq = u;

	if (coupon_qr_field(&p, 'R', &v, &vlen) || vlen < REF_MIN_LEN || vlen > REF_MAX_LEN ||
	    !all_digits(v, vlen))
		return -1;
	memcpy(c.reference, v, vlen);
	c.reference[vlen] = '\0';
	if (!reference_valid(c.reference))
		return -1;

	if (coupon_qr_field(&p, 'A', &v, &vlen) || coupon_parse_canon_u64(v, vlen, 18, &u))
		return -1;
	c.amount.minor = (int64_t)u;

	if (coupon_qr_field(&p, 'C', &v, &vlen) || vlen != 3)
		return -1;
	memcpy(cur_text, v, 3);
	cur_text[3] = '\0';
	if (currency_parse(cur_text, &c.amount.cur))
		return -1;

	if (coupon_qr_field(&p, 'D', &v, &vlen) || vlen != 8 || !all_digits(v, vlen))
		return -1;
	c.due = (int32_t)((v[0] - '0') * 10000000 + (v[1] - '0') * 1000000 +
			  (v[2] - '0') * 100000 + (v[3] - '0') * 10000 + (v[4] - '0') * 1000 +
			  (v[5] - '0') * 100 + (v[6] - '0') * 10 + (v[7] - '0'));
	if (!date_valid(c.due))
		return -1;

	if (coupon_qr_tag_check(payload, p, key, keylen))
		return -1;
	if (out)
		*out = c;
	return 0;
}

int coupon_qr_tag_check(const char *payload, const char *p, const uint8_t *key, size_t keylen)
{
	char expect[QR_TAG_HEX + 1];
	const char *signed_end = p, *v;
	size_t vlen;
	int ret = -1;

	if (coupon_qr_field(&p, 'H', &v, &vlen) || vlen != QR_TAG_HEX || *p != '\0')
		return -1;
	for (size_t i = 0; i < vlen; i++)
		if (!is_lower_hex(v[i]))
			return -1;
	if (coupon_hmac_hex(key, keylen, payload, (size_t)(signed_end - payload), expect) < 0)
		goto out;
	if (CRYPTO_memcmp(expect, v, QR_TAG_HEX) != 0)
		goto out;
	ret = 0;
out:
	OPENSSL_cleanse(expect, sizeof expect);
	return ret;
}

/* ---- EMVCo merchant-presented QR ------------------------------------------------------ */

uint16_t crc16_ccitt_false(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint16_t crc = 0xffff;

	while (len--) {
		crc ^= (uint16_t)(*p++ << 8);
		for (int i = 0; i < 8; i++)
			crc = crc & 0x8000 ? (uint16_t)(crc << 1 ^ 0x1021) : (uint16_t)(crc << 1);
	}
	return crc;
}

/* Bounded append buffer; `bad` sticks once anything did not fit or was refused. */
struct tlvbuf {
	char *p;
	size_t n;
	size_t len;
	bool bad;
};

static void tlv_raw(struct tlvbuf *b, const char *s, size_t k)
{
	if (b->bad || b->len + k + 1 > b->n) {
		b->bad = true;
		return;
	}
	memcpy(b->p + b->len, s, k);
	b->len += k;
	b->p[b->len] = '\0';
}

/* Appends ID(2) LEN(2) VALUE. EMV lengths are 01..99. */
static void tlv_put(struct tlvbuf *b, int id, const char *value, size_t vlen)
{
	char head[5];

	if (vlen < 1 || vlen > 99 || id < 0 || id > 99) {
		b->bad = true;
		return;
	}
	snprintf(head, sizeof head, "%02d%02u", id, (unsigned)vlen);
	tlv_raw(b, head, 4);
	tlv_raw(b, value, vlen);
}

static void tlv_put_str(struct tlvbuf *b, int id, const char *value)
{
	tlv_put(b, id, value, strlen(value));
}

static bool printable_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

/* A NUL-terminated config field of 1..max printable ASCII bytes. */
static bool field_ok(const char *s, size_t cap, size_t max)
{
	size_t len = strnlen(s, cap);
	return len >= 1 && len < cap && len <= max && printable_ascii(s, len);
}

/* Latin-1 Supplement (U+00C0..U+00FF) to ASCII; 0 drops the character (×, ÷, Þ, þ). */
static const char latin1_fold[65] = "AAAAAAACEEEEIIII"
				    "DNOOOOO\0OUUUUY\0s"
				    "aaaaaaaceeeeiiii"
				    "dnooooo\0ouuuuy\0y";

/* Copies src into dst (cap bytes) as printable ASCII: accented Latin letters lose their
 * accents ("Bogotá" -> "Bogota"), other non-ASCII and control characters are dropped.
 * Returns the length, or -1 if src is not terminated within src_cap or the result has
 * more than max characters or none at all. */
static int ascii_fold(char *dst, size_t cap, const char *src, size_t src_cap, size_t max)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t srclen = strnlen(src, src_cap), i = 0, k = 0;

	if (srclen >= src_cap)
		return -1;
	while (i < srclen) {
		char c = 0;
		if (s[i] < 0x80) {
			if (s[i] >= 0x20 && s[i] < 0x7f)
				c = (char)s[i];
			i++;
		} else if (s[i] == 0xc3 && i + 1 < srclen && s[i + 1] >= 0x80 && s[i + 1] <= 0xbf) {
			c = latin1_fold[s[i + 1] - 0x80];
			i += 2;
		} else {
			/* Skip the lead byte and its continuation bytes. */
			i++;
			while (i < srclen && (s[i] & 0xc0) == 0x80)
				i++;
		}
		if (!c)
			continue;
		if (k >= max || k + 1 >= cap)
			return -1;
		dst[k++] = c;
	}
	dst[k] = '\0';
	return k ? (int)k : -1;
}

size_t emvqr_build(char *out, size_t n, const struct emv_merchant *m, int64_t amount_cop_minor,
		   const char *reference, const char *terminal)
{
	char tmpl[100], name[26], city[16], amount[24];
	struct tlvbuf b = {out, n, 0, false}, t;
	int64_t pesos;

	if (out && n)
		out[0] = '\0';
	if (!out || !m || !reference)
		return 0;
	if (!field_ok(m->gui, sizeof m->gui, 32) ||
	    !field_ok(m->merchant_id, sizeof m->merchant_id, 32) ||
	    strnlen(m->mcc, sizeof m->mcc) != 4 || !all_digits(m->mcc, 4) ||
	    !field_ok(reference, 26, 25) || (terminal && *terminal && !field_ok(terminal, 26, 25)))
		return 0;
	if (ascii_fold(name, sizeof name, m->name, sizeof m->name, 25) < 0 ||
	    ascii_fold(city, sizeof city, m->city, sizeof m->city, 15) < 0)
		return 0;
	pesos = money_round_pesos(amount_cop_minor) / 100;
	if (pesos <= 0 || pesos > 9999999999999LL) /* tag 54 holds at most 13 characters */
		return 0;
	snprintf(amount, sizeof amount, "%lld", (long long)pesos);

	tlv_put_str(&b, 0, "01");
	tlv_put_str(&b, 1, "12");
	t = (struct tlvbuf){tmpl, sizeof tmpl, 0, false};
	tlv_put_str(&t, 0, m->gui);
	tlv_put_str(&t, 1, m->merchant_id);
	b.bad |= t.bad;
	tlv_put(&b, 26, tmpl, t.len);
	tlv_put_str(&b, 52, m->mcc);
	tlv_put_str(&b, 53, "170");
	tlv_put_str(&b, 54, amount);
	tlv_put_str(&b, 58, "CO");
	tlv_put_str(&b, 59, name);
	tlv_put_str(&b, 60, city);
	t = (struct tlvbuf){tmpl, sizeof tmpl, 0, false};
	tlv_put_str(&t, 5, reference);
	if (terminal && *terminal)
		tlv_put_str(&t, 7, terminal);
	tlv_put_str(&t, 8, "RECAUDO");
	b.bad |= t.bad;
	tlv_put(&b, 62, tmpl, t.len);
	tlv_raw(&b, "6304", 4);
	if (!b.bad) {
		char crc[5];
		snprintf(crc, sizeof crc, "%04X", (unsigned)crc16_ccitt_false(out, b.len));
		tlv_raw(&b, crc, 4);
	}
	if (b.bad || b.len > EMV_PAYLOAD_MAX) {
		out[0] = '\0';
		return 0;
	}
	return b.len;
}

/* Reads one TLV header at s (avail bytes left); returns the value length or -1. */
static int tlv_head(const char *s, size_t avail, int *id)
{
	int vlen;

	if (avail < 4 || !all_digits(s, 4))
		return -1;
	*id = (s[0] - '0') * 10 + (s[1] - '0');
	vlen = (s[2] - '0') * 10 + (s[3] - '0');
	if (vlen < 1 || (size_t)vlen > avail - 4)
		return -1;
	return vlen;
}

/* Merchant account templates (26..51) and additional data (62) nest TLVs that must tile
 * their value exactly. */
static int tlv_check_nested(const char *s, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		int id, vlen = tlv_head(s + pos, len - pos, &id);
		if (vlen < 0)
			return -1;
		pos += 4 + (size_t)vlen;
	}
	return 0;
}

int emvqr_check(const char *payload)
{
	static const char hexdig[] = "0123456789ABCDEF";
	size_t len, pos = 0;
	uint16_t crc;

	if (!payload)
		return -1;
	len = strnlen(payload, EMV_PAYLOAD_MAX + 1);
	if (len > EMV_PAYLOAD_MAX || !printable_ascii(payload, len))
		return -1;
	if (strncmp(payload, "000201", 6) != 0)
		return -1;
	while (pos < len) {
		int id, vlen = tlv_head(payload + pos, len - pos, &id);
		if (vlen < 0)
			return -1;
		if (id == 63) {
			/* The CRC is the last field and covers its own "6304". */
			if (vlen != 4 || pos + 8 != len)
				return -1;
			crc = crc16_ccitt_false(payload, pos + 4);
			for (int i = 0; i < 4; i++)
				if (payload[pos + 4 + (size_t)i] != hexdig[(crc >> (12 - 4 * i)) & 0xf])
					return -1;
			return 0;
		}
		if (((id >= 26 && id <= 51) || id == 62) &&
		    tlv_check_nested(payload + pos + 4, (size_t)vlen) < 0)
			return -1;
		pos += 4 + (size_t)vlen;
	}
	return -1; /* no CRC */
}
