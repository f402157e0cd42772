/* field — the field agent's domain rules (issue 10, docs/field-mode.md), pure C: the overdue
 * buckets of the work list, an instalment's status, the instalment filter and its default
 * (the last two months, as in seed 001), cash and change, the COP denominations, and the
 * receipt's signed QR. libc + OpenSSL's HMAC; nothing here allocates. */
#ifndef RECAUDO_FIELD_H
#define RECAUDO_FIELD_H
#include <stddef.h>
#include <stdint.h>
#include "money.h"

/* ---- the work list's overdue buckets ---- */
enum field_bucket {
	FIELD_BUCKET_CURRENT, /* al día: nothing past due */
	FIELD_BUCKET_1_30,
	FIELD_BUCKET_31_60,
	FIELD_BUCKET_61_90,
	FIELD_BUCKET_OVER_90, /* más de 90 */
	FIELD_BUCKET_COUNT
};
/* Days a due date (YYYYMMDD) is past on `today` (0 when not yet due or invalid). */
int field_days_past_due(int32_t due, int32_t today);
/* The bucket of a number of days past due (<= 0: al día). */
enum field_bucket field_bucket_of(int days_past_due);
/* "al_dia", "1_30", "31_60", "61_90", "mas_90": machine names (CSV, events, tests). */
const char *field_bucket_name(enum field_bucket b);

/* ---- instalments (cuotas) ---- */
enum field_cuota_status {
	FIELD_CUOTA_PENDIENTE, /* owed, not yet due */
	FIELD_CUOTA_VENCIDA,   /* owed and past due */
	FIELD_CUOTA_PAGADA,    /* paid through a receipt of this tablet (or its balance is gone) */
	FIELD_CUOTA_ANULADA,   /* the receipt that paid it was voided: owed again, shown as history */
	FIELD_CUOTA_STATUS_COUNT
};
/* "pendiente", "vencida", "pagada", "anulada" */
const char *field_cuota_status_name(enum field_cuota_status s);
/* Owed instalments: vencida when due < today, else pendiente. */
enum field_cuota_status field_cuota_owed_status(int32_t due, int32_t today);

/* The instalment filter of seed 001: business line ("" = all), statuses (a bit per
 * enum field_cuota_status; 0 = all) and a date range on the due date or, for a paid one,
 * the payment date (from/to YYYYMMDD inclusive; 0 = open on that side). */
#define FIELD_LINE_MAX 48
struct field_cuota_filter {
	char line[FIELD_LINE_MAX];
	unsigned statuses;
	int32_t from, to;
};
/* The default of seed 001: every line and status, dates from two months before today
 * (same day of the month, clamped) to today. */
void field_filter_default(struct field_cuota_filter *f, int32_t today);
/* Clears the date range (the ✕): from = to = 0. */
void field_filter_clear_dates(struct field_cuota_filter *f);
/* 1 when an instalment of this line, status and date (its due date, or the payment date of
 * a paid one) passes the filter. */
int field_filter_match(const struct field_cuota_filter *f, const char *line, enum field_cuota_status st,
		       int32_t date);
/* yyyymmdd minus `months` calendar months, the day clamped to the month's last day
 * (2026-12-31 - 2 months = 2026-10-31; 2026-04-30 - 2 = 2026-02-28). 0 for an invalid date. */
int32_t field_date_minus_months(int32_t yyyymmdd, int months);

/* ---- cash ---- */
/* Change for `cash` against `amount` (minor units): >= 0, or -1 when cash < amount or either
 * is negative. */
int64_t field_change(int64_t cash_minor, int64_t amount_minor);
/* The COP bills and coins an agent counts, largest first, in minor units: bills of
 * 100.000, 50.000, 20.000, 10.000, 5.000, 2.000 and 1.000 pesos (1.000 also a coin: one
 * value), coins of 500, 200, 100 and 50. */
#define FIELD_DENOM_COUNT 11
extern const int64_t field_cop_denoms[FIELD_DENOM_COUNT];
struct field_denom {
	int64_t value_minor; /* one of field_cop_denoms */
	int count;           /* >= 0 */
};
/* Sum of a breakdown; -1 when a value is not a COP denomination, a count is negative or
 * the sum overflows. */
int64_t field_denoms_total(const struct field_denom *d, int n);

/* ---- receipt numbers and the receipt's signed QR ---- */
/* Receipt numbers are per agent and device, from 1, gapless. Printed as
 * "<device>-<agent>-<number 6 digits>": "T01-1001-000042". */
size_t field_receipt_label(char *out, size_t n, const char *device_id, const char *agent, uint64_t number);

/* The receipt QR, verified by the central API with the device's key (docs/field-mode.md):
 *   RCB1|D=<device>|A=<agent>|N=<number>|V=<amount minor>|C=<COP|USD>|T=<epoch s>|H=<hex>
 * H = HMAC-SHA256(key, everything before "|H=") in lowercase hex. No name, no ID number. */
struct field_receipt_qr {
	char device[32];
	char agent[17];
	uint64_t number;
	int64_t amount_minor;
	enum currency cur;
	int64_t at;
};
/* Returns the length written, or 0 when a field cannot be encoded or n is too small. */
size_t field_receipt_qr_build(char *out, size_t n, const struct field_receipt_qr *q, const uint8_t *key,
			      size_t keylen);
/* 0 and *out when the tag verifies and every field parses; -1 otherwise. */
int field_receipt_qr_verify(const char *payload, const uint8_t *key, size_t keylen, struct field_receipt_qr *out);
#endif
