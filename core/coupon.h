/* coupon — the payment coupon: reference numbers with their check digit, the signed coupon
 * QR payload (HMAC-SHA256 under a per-kiosk key) and the EMVCo pay-by-phone QR.
 * Formats are documented in docs/coupon-qr.md. Pure functions; caller-owned buffers. */
#ifndef RECAUDO_COUPON_H
#define RECAUDO_COUPON_H
#include <stddef.h>
#include <stdint.h>
#include "money.h"

#define COUPON_REF_MAX 32
#define COUPON_MAX_DOCS 64

struct coupon {
	uint32_t kiosk_id;              /* 1..9999 */
	uint64_t seq;                   /* per-kiosk monotonic sequence, from the store */
	char reference[COUPON_REF_MAX]; /* numeric, fixed length, with check digit */
	struct money amount;            /* always COP: USD documents are paid at the TRM */
	int32_t due;                    /* YYYYMMDD */
	int64_t issued_at;              /* epoch seconds */
	int has_trm;                    /* 1 when any USD document is included */
	struct trm trm;
};

/* Mod-10 check digit (Luhn) over a string of digits; -1 if not all digits/empty. */
int reference_check_digit(const char *digits);
/* Builds the reference: kiosk id (4 digits) + sequence zero-padded to fill + 1 check digit,
 * total exactly `length` digits (10..24). Returns 0, or -1 if it does not fit. */
int reference_build(char *out, size_t n, uint32_t kiosk_id, uint64_t seq, int length);
/* 1 if the reference's last digit is its correct check digit, else 0. */
int reference_valid(const char *ref);

/* Coupon QR payload, e.g.
 *   RCP1|K=0007|S=42|R=000700000000427|A=12345600|C=COP|D=20261130|H=<64 lowercase hex>
 * A is minor units. H = HMAC-SHA256(key, everything before "|H=") in hex.
 * Returns the length, or 0 if the buffer is too small or a field cannot be encoded (see
 * coupon.c and docs/coupon-qr.md). */
size_t coupon_qr_payload(char *out, size_t n, const struct coupon *c, const uint8_t *key,
			 size_t keylen);
/* Verifies a payload's tag and parses its fields into *out (reference, amount, due,
 * kiosk, seq). Returns 0 if authentic and well-formed, -1 otherwise. */
int coupon_qr_verify(const char *payload, const uint8_t *key, size_t keylen, struct coupon *out);

/* ---- shared by the signed QRs (the coupon's here, the field receipt's in core/field_qr.c):
 * "MAGIC|X=v|Y=v|...|H=<64 lowercase hex>", fields in a fixed order ---- */
#define COUPON_QR_TAG_HEX 64
/* Lowercase hex HMAC-SHA256 of data under key into hex[65]. 0, or -1 (no key). */
int coupon_hmac_hex(const uint8_t *key, size_t keylen, const char *data, size_t len,
		    char hex[COUPON_QR_TAG_HEX + 1]);
/* One "|X=value" field in its fixed place: 0 with *val and *vlen the value and *p moved past
 * it, or -1 when *p is not "|<key>=". */
int coupon_qr_field(const char **p, char key, const char **val, size_t *vlen);
/* A canonical unsigned decimal (no sign, no leading zeros unless it is "0") of at most
 * max_digits digits, that fits in *out. 0 or -1. */
int coupon_parse_canon_u64(const char *s, size_t len, size_t max_digits, uint64_t *out);
/* p points at the "|H=" that ends payload: 0 when it is the last field, 64 lowercase hex and
 * the HMAC of everything before it under key (compared in constant time), else -1. */
int coupon_qr_tag_check(const char *payload, const char *p, const uint8_t *key, size_t keylen);

/* CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no xorout). */
uint16_t crc16_ccitt_false(const void *data, size_t len);

struct emv_merchant {
	char gui[33];         /* tag 26 sub 00: network GUI (config) */
	char merchant_id[33]; /* tag 26 sub 01: merchant key (config) */
	char mcc[5];          /* tag 52 */
	char name[26];        /* tag 59, ASCII, max 25 */
	char city[16];        /* tag 60, ASCII, max 15 */
};
/* EMVCo merchant-presented dynamic QR (Colombian interoperable profile): 00=01, 01=12,
 * 26 merchant account, 52, 53=170, 54 amount in pesos ("123456" or "123456.00"? -> whole
 * pesos, no decimals), 58=CO, 59, 60, 62 {05 reference, 07 terminal, 08 "RECAUDO"},
 * 63 CRC over everything up to and including "6304", 4 uppercase hex.
 * Returns the length, or 0 on overflow / a field that is too long. */
size_t emvqr_build(char *out, size_t n, const struct emv_merchant *m, int64_t amount_cop_minor,
		   const char *reference, const char *terminal);
/* 0 if the payload's TLVs parse and its CRC matches, else -1. */
int emvqr_check(const char *payload);
#endif
