/* store_totals — a day's coupons as the kiosk's totals (maintenance "Totales", the totals
 * slip, `recaudo maint totals`; docs/maintenance.md "## Totales").
 *
 * A day is a local civil date: the coupons whose issued_at falls in
 * [date_start_epoch(day), date_start_epoch(day + 1)), found through the index
 * coupons_by_issued_at (schema 8), so the cost follows the day's coupons, not the store's.
 * Every coupon in the store counts: the store is the kiosk, and the kiosk has no void or
 * cancel (a coupon is a payment slip the bank may or may not be paid against; nothing is
 * taken back at the kiosk). Sequence numbers are gapless by construction (store_coupon.c), so
 * a hole means rows were lost (a restored or edited file) or the clock moved: both are
 * flagged, told apart. */
#ifndef RECAUDO_STORE_TOTALS_H
#define RECAUDO_STORE_TOTALS_H
#include <stdint.h>

#include "store.h"

#define TOTALS_MAX_GAPS 8

/* One currency the day's documents were paid in (coupon_lines.pay_currency). */
struct totals_currency {
	enum currency cur;
	int64_t coupons; /* coupons with at least one document in this currency */
	int64_t docs;    /* documents (coupon lines) */
	int64_t minor;   /* sum of what was paid, in this currency's minor units */
};

/* A run of sequence numbers from..to (inclusive) missing from the day's range. */
struct totals_gap {
	uint64_t from, to;
};

struct store_totals {
	int32_t day;       /* YYYYMMDD, local */
	int64_t from, to;  /* [from, to): the day in epoch seconds */
	int64_t coupons;   /* coupons issued that day */
	int64_t cop_minor; /* their amounts (always COP: USD documents at the TRM) */
	int ncur;          /* COP first, then USD; only currencies with documents */
	struct totals_currency cur[2];
	uint64_t first_seq, last_seq; /* the day's range; 0, 0 with no coupons */
	/* Holes inside first..last: numbers not among the day's coupons. `missing` of them are
	 * not in the store at all; `other_day` are coupons whose issued_at is on another day
	 * (the clock moved between them). gaps[] lists the first ngaps runs. */
	uint64_t holes, missing, other_day;
	int ngaps;
	struct totals_gap gaps[TOTALS_MAX_GAPS];
	/* Against what came before: prev_seq is the highest sequence number below first_seq in
	 * the store (0: none), and missing_before = first_seq - prev_seq - 1 numbers that are in
	 * no coupon (0 when the day follows on). */
	uint64_t prev_seq, missing_before;
};

/* 1 when something in the sequence is wrong (holes inside the range or missing before it). */
int store_totals_flagged(const struct store_totals *t);

/* The totals of local day `day` (YYYYMMDD). Returns 0 (out filled; a day without coupons has
 * coupons 0), STORE_EINVAL for an invalid date, STORE_ERR with store_error() on failure. Reads
 * in one read transaction. */
int store_totals_day(struct store *s, int32_t day, struct store_totals *out);
#endif
