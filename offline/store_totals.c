/* store_totals — a day's coupons per currency, their sequence range and its holes
 * (store_totals.h). Four indexed queries in one read transaction: the day's count, amount and
 * range from the covering index coupons_by_issued_at (schema 8); the documents per currency
 * (the same index, then coupon_lines by its primary key); the day's sequence numbers in order
 * only when the range has holes; the highest number below the range through seq's own
 * index. */
#include <string.h>

#include "store_internal.h"
#include "store_totals.h"

int store_totals_flagged(const struct store_totals *t)
{
	return t->holes > 0 || t->missing_before > 0;
}

static int prep(struct store *s, const char *sql, sqlite3_stmt **st, int64_t from, int64_t to)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return store_fail_db(s, "totals");
	sqlite3_bind_int64(*st, 1, from);
	sqlite3_bind_int64(*st, 2, to);
	return 0;
}

/* count, amount, first and last of the day */
static int day_sums(struct store *s, struct store_totals *t)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (prep(s,
		 "SELECT count(*), coalesce(sum(amount_minor), 0), coalesce(min(seq), 0), coalesce(max(seq), 0)"
		 " FROM coupons INDEXED BY coupons_by_issued_at WHERE issued_at >= ?1 AND issued_at < ?2",
		 &st, t->from, t->to) < 0)
		return STORE_ERR;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		t->coupons = sqlite3_column_int64(st, 0);
		t->cop_minor = sqlite3_column_int64(st, 1);
		t->first_seq = (uint64_t)sqlite3_column_int64(st, 2);
		t->last_seq = (uint64_t)sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_fail_db(s, "totals: the day's coupons");
}

static int per_currency(struct store *s, struct store_totals *t)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (prep(s,
		 "SELECT l.pay_currency, count(DISTINCT c.id), count(*), sum(l.pay_minor)"
		 " FROM coupons AS c INDEXED BY coupons_by_issued_at JOIN coupon_lines AS l ON l.coupon_id = c.id"
		 " WHERE c.issued_at >= ?1 AND c.issued_at < ?2 GROUP BY l.pay_currency"
		 " ORDER BY l.pay_currency = 'USD', l.pay_currency",
		 &st, t->from, t->to) < 0)
		return STORE_ERR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		enum currency cur;

		/* the schema's CHECK allows COP and USD only; anything else is not counted as either */
		if (currency_parse((const char *)sqlite3_column_text(st, 0), &cur) != 0 || t->ncur == 2)
			continue;
		t->cur[t->ncur] =
			(struct totals_currency){cur, sqlite3_column_int64(st, 1),
						 sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3)};
		t->ncur++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "totals: the documents per currency");
}

/* The runs of numbers inside first..last that are not among the day's coupons. */
static int holes(struct store *s, struct store_totals *t)
{
	sqlite3_stmt *st = NULL;
	uint64_t expect = t->first_seq;
	int rc;

	if (prep(s,
		 "SELECT seq FROM coupons INDEXED BY coupons_by_issued_at WHERE issued_at >= ?1 AND issued_at < ?2"
		 " ORDER BY seq",
		 &st, t->from, t->to) < 0)
		return STORE_ERR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t seq = (uint64_t)sqlite3_column_int64(st, 0);

		if (seq > expect) {
			t->holes += seq - expect;
			if (t->ngaps < TOTALS_MAX_GAPS)
				t->gaps[t->ngaps++] = (struct totals_gap){expect, seq - 1};
		}
		expect = seq + 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail_db(s, "totals: the day's sequence");
	/* of the holes, those that are coupons of another day (the clock moved), by seq's index */
	if (prep(s,
		 "SELECT count(*) FROM coupons WHERE seq BETWEEN ?1 AND ?2 AND (issued_at < ?3 OR issued_at >= ?4)",
		 &st, (int64_t)t->first_seq, (int64_t)t->last_seq) < 0)
		return STORE_ERR;
	sqlite3_bind_int64(st, 3, t->from);
	sqlite3_bind_int64(st, 4, t->to);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		t->other_day = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_fail_db(s, "totals: the day's sequence");
	t->missing = t->holes - t->other_day;
	return 0;
}

static int before(struct store *s, struct store_totals *t)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (prep(s, "SELECT coalesce(max(seq), 0) FROM coupons WHERE seq < ?1", &st, (int64_t)t->first_seq,
		 0) < 0)
		return STORE_ERR;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		t->prev_seq = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_fail_db(s, "totals: the sequence before the day");
	t->missing_before = t->first_seq - t->prev_seq - 1;
	return 0;
}

int store_totals_day(struct store *s, int32_t day, struct store_totals *out)
{
	int32_t next = date_valid(day) ? date_add_days(day, 1) : 0;
	int rc = 0;

	memset(out, 0, sizeof *out);
	out->day = day;
	if (!next || (out->from = date_start_epoch(day)) < 0 ||
	    (out->to = date_start_epoch(next)) <= out->from)
		return store_fail(s, STORE_EINVAL, "day: not a valid date (YYYY-MM-DD)");
	if (store_exec(s, "BEGIN") < 0)
		return STORE_ERR;
	if (day_sums(s, out) < 0 || per_currency(s, out) < 0)
		rc = STORE_ERR;
	else if (out->coupons > 0 && (uint64_t)out->coupons < out->last_seq - out->first_seq + 1 &&
		 holes(s, out) < 0)
		rc = STORE_ERR;
	else if (out->coupons > 0 && before(s, out) < 0)
		rc = STORE_ERR;
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}
