/* test_totals — a day's totals (offline/store_totals.c): counts and sums per currency, the
 * local day's boundaries (a fixed offset and a day with a DST change), the sequence range and
 * its holes told apart (rows lost, a clock that moved, numbers missing before the day), the
 * index's query plan and its migration (schema 8), and the totals slip (app/totals_slip.c) as
 * the virtual printer's interpreter reads it back, on 58 and 80 mm paper. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "schema_undo.h"
#include "escpos_render.h"
#include "peek.h"
#include "store.h"
#include "store_totals.h"
#include "tmpdir.h"
#include "totals_slip.h"

static char tmpdir[64];
static char dbpath[128];
static const struct trm TRM = {400000, 20260101, 20261231}; /* 4.000,00 COP per USD */

static struct store *open_store(void)
{
	struct store *s = NULL;
	char err[256];

	if (store_open(&s, dbpath, err, sizeof err) != 0)
		fprintf(stderr, "store_open: %s\n", err);
	return s;
}

static int exec_rw(const char *sql)
{
	sqlite3 *db;
	int rc;

	if (sqlite3_open(dbpath, &db) != SQLITE_OK)
		return -1;
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

/* One coupon at `at`: a COP document of cop pesos, and (usd > 0) a USD one of usd cents. */
static uint64_t issue(struct store *s, int64_t at, int64_t cop, int64_t usd)
{
	struct coupon_request r;
	struct coupon c;

	memset(&r, 0, sizeof r);
	r.kiosk_id = 7;
	r.ref_length = 15;
	r.id_type = ID_CC;
	snprintf(r.id_number, sizeof r.id_number, "1020304050");
	r.kind = "coupon";
	r.now = at;
	r.due = 20261231;
	if (cop > 0) {
		snprintf(r.lines[r.nlines].doc_number, sizeof r.lines[0].doc_number, "A-%d", r.nlines);
		r.lines[r.nlines].pay = (struct money){cop * 100, CUR_COP};
		r.lines[r.nlines].cop_minor = cop * 100;
		r.nlines++;
	}
	if (usd > 0) {
		r.has_trm = 1;
		r.trm = TRM;
		snprintf(r.lines[r.nlines].doc_number, sizeof r.lines[0].doc_number, "U-%d", r.nlines);
		r.lines[r.nlines].pay = (struct money){usd, CUR_USD};
		r.lines[r.nlines].cop_minor = trm_usd_to_cop(usd, &TRM);
		r.nlines++;
	}
	if (store_coupon_issue(s, &r, &c) != 0) {
		fprintf(stderr, "issue: %s\n", store_error(s));
		return 0;
	}
	return c.seq;
}

static void test_empty_and_bad_input(void)
{
	struct store *s = open_store();
	struct store_totals t;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_schema_version(s), 9);
	CHECK_INT(store_totals_day(s, 20261202, &t), 0);
	CHECK_INT(t.coupons, 0);
	CHECK_INT(t.cop_minor, 0);
	CHECK_INT(t.ncur, 0);
	CHECK_INT(t.first_seq, 0);
	CHECK_INT(store_totals_flagged(&t), 0);
	CHECK_INT(store_totals_day(s, 20261302, &t), STORE_EINVAL);
	CHECK(strstr(store_error(s), "day: not a valid date") == store_error(s));
	CHECK_INT(store_totals_day(s, 20260230, &t), STORE_EINVAL);
	CHECK_INT(store_totals_day(s, 0, &t), STORE_EINVAL);
	store_close(s);
}

/* Bogotá (UTC-5, no DST): 2026-12-02 starts at 1796187600. */
static void test_day(void)
{
	struct store *s = open_store();
	struct store_totals t;
	const int64_t d0 = 1796187600, d1 = d0 + 86400;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(date_start_epoch(20261202), d0);
	CHECK_INT(issue(s, d0 - 1, 1000, 0), 1);        /* 1 December, 23:59:59 */
	CHECK_INT(issue(s, d0, 20000, 0), 2);           /* the first second of the day */
	CHECK_INT(issue(s, d0 + 3600, 5000, 12345), 3); /* COP and USD: 123,45 USD */
	CHECK_INT(issue(s, d0 + 7200, 0, 10000), 4);    /* USD only: 100,00 USD */
	CHECK_INT(issue(s, d1 - 1, 300, 0), 5);         /* the last second of the day */
	CHECK_INT(issue(s, d1, 7, 0), 6);               /* 3 December */

	CHECK_INT(store_totals_day(s, 20261202, &t), 0);
	CHECK_INT(t.from, d0);
	CHECK_INT(t.to, d1);
	CHECK_INT(t.coupons, 4);
	/* 20.000 + 5.000 + 123,45 USD (493.800) + 100 USD (400.000) + 300 pesos, in centavos */
	CHECK_INT(t.cop_minor, (20000 + 5000 + 493800 + 400000 + 300) * 100LL);
	CHECK_INT(t.ncur, 2);
	CHECK_INT(t.cur[0].cur, CUR_COP);
	CHECK_INT(t.cur[0].coupons, 3);
	CHECK_INT(t.cur[0].docs, 3);
	CHECK_INT(t.cur[0].minor, (20000 + 5000 + 300) * 100LL);
	CHECK_INT(t.cur[1].cur, CUR_USD);
	CHECK_INT(t.cur[1].coupons, 2);
	CHECK_INT(t.cur[1].docs, 2);
	CHECK_INT(t.cur[1].minor, 22345);
	CHECK_INT(t.first_seq, 2);
	CHECK_INT(t.last_seq, 5);
	CHECK_INT(t.prev_seq, 1);
	CHECK_INT(t.holes, 0);
	CHECK_INT(t.missing_before, 0);
	CHECK_INT(store_totals_flagged(&t), 0);

	CHECK_INT(store_totals_day(s, 20261201, &t), 0);
	CHECK_INT(t.coupons, 1);
	CHECK_INT(t.cop_minor, 100000);
	CHECK_INT(t.first_seq, 1);
	CHECK_INT(t.prev_seq, 0);
	CHECK_INT(store_totals_flagged(&t), 0);
	CHECK_INT(store_totals_day(s, 20261203, &t), 0);
	CHECK_INT(t.coupons, 1);
	CHECK_INT(t.first_seq, 6);
	CHECK_INT(t.prev_seq, 5);
	store_close(s);
}

/* Holes: a coupon row removed (the file edited or restored), one whose clock said another
 * day, and the last one of the day before removed. */
static void test_gaps(void)
{
	struct store *s = open_store();
	struct store_totals t;
	const int64_t d0 = date_start_epoch(20261210);

	CHECK(s != NULL);
	if (!s)
		return;
	/* seq 7..16 on 10 December, 17 on the 11th */
	for (int i = 0; i < 10; i++)
		CHECK_INT(issue(s, d0 + 60 * i, 1000 + i, 0), 7 + i);
	CHECK_INT(issue(s, d0 + 86400 + 60, 5, 0), 17);
	store_close(s);
	CHECK_INT(
		exec_rw("DELETE FROM coupon_lines WHERE coupon_id IN (SELECT id FROM coupons WHERE seq IN (9, 11, 12, 16));"
			"DELETE FROM coupons WHERE seq IN (9, 11, 12, 16)"),
		0);
	/* 13 was issued with the clock a day behind */
	CHECK_INT(exec_rw("UPDATE coupons SET issued_at = issued_at - 86400 WHERE seq = 13"), 0);
	s = open_store();
	if (!s)
		return;
	CHECK_INT(store_totals_day(s, 20261210, &t), 0);
	CHECK_INT(t.coupons, 5); /* 7 8 10 14 15 */
	CHECK_INT(t.first_seq, 7);
	CHECK_INT(t.last_seq, 15);
	CHECK_INT(t.holes, 4);     /* 9, 11-13 */
	CHECK_INT(t.missing, 3);   /* 9, 11, 12 */
	CHECK_INT(t.other_day, 1); /* 13 */
	CHECK_INT(t.ngaps, 2);
	CHECK_INT(t.gaps[0].from, 9);
	CHECK_INT(t.gaps[0].to, 9);
	CHECK_INT(t.gaps[1].from, 11);
	CHECK_INT(t.gaps[1].to, 13);
	CHECK_INT(t.missing_before, 0);
	CHECK_INT(store_totals_flagged(&t), 1);
	CHECK_INT(t.cop_minor, (1000 + 1001 + 1003 + 1007 + 1008) * 100LL);
	/* the 11th: 16 was removed, the day before ended at 15 */
	CHECK_INT(store_totals_day(s, 20261211, &t), 0);
	CHECK_INT(t.first_seq, 17);
	CHECK_INT(t.prev_seq, 15);
	CHECK_INT(t.missing_before, 1);
	CHECK_INT(t.holes, 0);
	CHECK_INT(store_totals_flagged(&t), 1);
	/* the 9th holds 13 alone, after 8 (its range has no holes; 9..12 before it are missing
	 * or on other days, all but 10 removed) */
	CHECK_INT(store_totals_day(s, 20261209, &t), 0);
	CHECK_INT(t.coupons, 1);
	CHECK_INT(t.first_seq, 13);
	CHECK_INT(t.prev_seq, 10);
	CHECK_INT(t.missing_before, 2);
	store_close(s);
}

/* More gaps than the list holds: the count stays exact, the list has the first ones. */
static void test_many_gaps(void)
{
	struct store *s = open_store();
	struct store_totals t;
	const int64_t d0 = date_start_epoch(20261215);
	uint64_t first = 0;

	CHECK(s != NULL);
	if (!s)
		return;
	for (int i = 0; i < 40; i++) {
		uint64_t q = issue(s, d0 + i, 10, 0);
		if (!first)
			first = q;
	}
	store_close(s);
	{
		char sql[256];
		snprintf(
			sql, sizeof sql,
			"DELETE FROM coupon_lines WHERE coupon_id IN (SELECT id FROM coupons WHERE seq > %llu AND seq < %llu AND seq %% 2 = 0);"
			"DELETE FROM coupons WHERE seq > %llu AND seq < %llu AND seq %% 2 = 0",
			(unsigned long long)first, (unsigned long long)first + 39, (unsigned long long)first,
			(unsigned long long)first + 39);
		CHECK_INT(exec_rw(sql), 0);
	}
	s = open_store();
	if (!s)
		return;
	CHECK_INT(store_totals_day(s, 20261215, &t), 0);
	CHECK_INT(t.first_seq, first);
	CHECK_INT(t.last_seq, first + 39);
	CHECK_INT(t.coupons + (int64_t)t.holes, 40);
	CHECK_INT(t.missing, t.holes);
	CHECK_INT(t.ngaps, TOTALS_MAX_GAPS);
	CHECK(t.holes > TOTALS_MAX_GAPS);
	store_close(s);
}

/* Europe/Madrid's spring change: 29 March 2026 has 23 hours. */
static void test_dst(void)
{
	struct store *s;
	struct store_totals t;
	int64_t d0, d1;

	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	s = open_store();
	CHECK(s != NULL);
	if (!s)
		goto out;
	d0 = date_start_epoch(20260329);
	d1 = date_start_epoch(20260330);
	CHECK_INT(d1 - d0, 23 * 3600);
	issue(s, d0 - 1, 1, 0);
	issue(s, d0, 2, 0);
	issue(s, d1 - 1, 3, 0);
	issue(s, d1, 4, 0);
	CHECK_INT(store_totals_day(s, 20260329, &t), 0);
	CHECK_INT(t.to - t.from, 23 * 3600);
	CHECK_INT(t.coupons, 2);
	CHECK_INT(t.cop_minor, 500);
	store_close(s);
out:
	setenv("TZ", "COT5", 1);
	tzset();
}

/* The plan: the day's coupons from the covering index (a search, not a scan of coupons), the
 * lines by their primary key, the numbers before the day by seq's index. */
static void test_query_plan(void)
{
	static const struct {
		const char *sql, *want;
	} plans[] = {
		{"SELECT count(*), sum(amount_minor), min(seq), max(seq) FROM coupons INDEXED BY coupons_by_issued_at"
		 " WHERE issued_at >= 1 AND issued_at < 2",
		 "SEARCH coupons USING COVERING INDEX coupons_by_issued_at (issued_at>? AND issued_at<?)"},
		{"SELECT l.pay_currency, count(DISTINCT c.id), count(*), sum(l.pay_minor)"
		 " FROM coupons AS c INDEXED BY coupons_by_issued_at JOIN coupon_lines AS l ON l.coupon_id = c.id"
		 " WHERE c.issued_at >= 1 AND c.issued_at < 2 GROUP BY l.pay_currency",
		 "SEARCH l USING PRIMARY KEY (coupon_id=?)"},
		{"SELECT coalesce(max(seq), 0) FROM coupons WHERE seq < 5",
		 "SEARCH coupons USING COVERING INDEX"},
	};
	sqlite3 *db;

	CHECK(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	for (size_t i = 0; i < sizeof plans / sizeof plans[0]; i++) {
		char sql[600], plan[1024] = "";
		sqlite3_stmt *st;
		size_t n = 0;

		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", plans[i].sql);
		CHECK(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW && n < sizeof plan)
			n += (size_t)snprintf(plan + n, sizeof plan - n, "%s\n",
					      (const char *)sqlite3_column_text(st, 3));
		sqlite3_finalize(st);
		if (!strstr(plan, plans[i].want))
			fprintf(stderr, "plan %zu:\n%s", i, plan);
		CHECK(strstr(plan, plans[i].want) != NULL);
		CHECK(strstr(plan, "SCAN c") == NULL && strstr(plan, "SCAN coupons") == NULL);
	}
	sqlite3_close(db);
}

/* Schema 8 over a store of version 7 that already holds coupons: the index is built over
 * them, and the totals read the same as before. */
static void test_migration(void)
{
	struct store *s;
	struct store_totals before, after;

	s = open_store();
	if (!s)
		return;
	CHECK_INT(store_totals_day(s, 20261210, &before), 0);
	store_close(s);
	CHECK_INT(exec_rw(SCHEMA_UNDO_9 "DROP INDEX coupons_by_issued_at; PRAGMA user_version = 7"), 0);
	CHECK_INT(peek_db(dbpath, "SELECT count(*) FROM sqlite_master WHERE name = 'coupons_by_issued_at'"),
		  0);
	s = open_store();
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_schema_version(s), 9);
	CHECK_INT(
		peek_db(dbpath,
			"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'coupons_by_issued_at'"),
		1);
	CHECK_INT(store_totals_day(s, 20261210, &after), 0);
	CHECK(memcmp(&before, &after, sizeof before) == 0);
	{
		char ok[16];
		peek_text_db(dbpath, "PRAGMA integrity_check", ok, sizeof ok);
		CHECK_STR(ok, "ok");
	}
	store_close(s);
}

/* The slip as the virtual printer reads it: every line within the paper, the figures there. */
static void slip_text(const struct totals_slip *sl, char *text, size_t n)
{
	struct escpos e;
	struct escpos_render_info info;
	char err[200], png[200];

	memset(&e, 0, sizeof e);
	text[0] = 0;
	CHECK_INT(totals_slip_build(&e, sl, err, sizeof err), 0);
	snprintf(png, sizeof png, "%s/slip.png", tmpdir);
	CHECK_INT(escpos_render_png(e.buf, e.len, sl->dots, png, &info, err, sizeof err), 0);
	CHECK_INT(info.unknown, 0);
	CHECK_INT(info.cuts, 1);
	snprintf(text, n, "%s", info.text);
	escpos_free(&e);
}

static int max_cols(const char *text)
{
	int best = 0, cols = 0;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '\n') {
			cols = 0;
			continue;
		}
		if ((*p & 0xc0) != 0x80 && ++cols > best)
			best = cols;
	}
	return best;
}

static void test_slip(void)
{
	struct store *s = open_store();
	struct store_totals t;
	char text[4096];
	struct totals_slip sl;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_totals_day(s, 20261202, &t), 0);
	store_close(s);
	sl = (struct totals_slip){LANG_ES, 7, 1796220000 /* 2 Dec 2026 09:00 in Bogotá */, 576, 0, &t};
	slip_text(&sl, text, sizeof text);
	CHECK(strstr(text, "TOTALES\n") != NULL);
	CHECK(strstr(text, "Kiosco                                      0007\n") != NULL);
	CHECK(strstr(text, "Día                                   02/12/2026\n") != NULL);
	CHECK(strstr(text, "Impreso                         02/12/2026 09:00\n") != NULL);
	CHECK(strstr(text, "Cupones                                        4\n") != NULL);
	CHECK(strstr(text, "Total en COP                           $ 919.100\n") != NULL);
	CHECK(strstr(text, "COP                                     $ 25.300\n") != NULL);
	CHECK(strstr(text, "  cupones / documentos                     3 / 3\n") != NULL);
	CHECK(strstr(text, "USD                                   USD 223.45\n") != NULL);
	CHECK(strstr(text, "  cupones / documentos                     2 / 2\n") != NULL);
	CHECK(strstr(text, "Secuencia                                  2 - 5\n") != NULL);
	CHECK(strstr(text, "Anterior                                       1\n") != NULL);
	CHECK(strstr(text, "Secuencia completa\n") != NULL);
	CHECK(strstr(text, "HUECOS") == NULL);
	CHECK(max_cols(text) <= 48);
	if (!strstr(text, "TOTALES\n"))
		fprintf(stderr, "%s\n", text);

	/* the day with holes, in English, on 58 mm paper */
	s = open_store();
	if (!s)
		return;
	CHECK_INT(store_totals_day(s, 20261210, &t), 0);
	store_close(s);
	sl = (struct totals_slip){LANG_EN, 7, 1796220000, 384, 0, &t};
	slip_text(&sl, text, sizeof text);
	CHECK(strstr(text, "TOTALS\n") != NULL);
	CHECK(strstr(text, "Day                   10/12/2026\n") != NULL);
	CHECK(strstr(text, "Coupons                        5\n") != NULL);
	CHECK(strstr(text, "Sequence                  7 - 15\n") != NULL);
	CHECK(strstr(text, "SEQUENCE GAPS\n") != NULL);
	CHECK(strstr(text, "Missing                        3\n") != NULL);
	CHECK(strstr(text, "Dated another day              1\n") != NULL);
	CHECK(strstr(text, "9, 11-13\n") != NULL);
	CHECK(max_cols(text) <= 32);
	if (!strstr(text, "SEQUENCE GAPS\n"))
		fprintf(stderr, "%s\n", text);

	/* a day without coupons says so */
	s = open_store();
	if (!s)
		return;
	CHECK_INT(store_totals_day(s, 20250101, &t), 0);
	store_close(s);
	sl = (struct totals_slip){LANG_ES, 7, 1796220000, 384, 0, &t};
	slip_text(&sl, text, sizeof text);
	CHECK(strstr(text, "Cupones                        0\n") != NULL);
	CHECK(strstr(text, "Sin cupones este día\n") != NULL);
	CHECK(strstr(text, "Secuencia") == NULL);

	/* a paper that cannot be laid out */
	{
		struct escpos e;
		char err[120];
		memset(&e, 0, sizeof e);
		sl.dots = 100;
		CHECK_INT(totals_slip_build(&e, &sl, err, sizeof err), -1);
		CHECK(strstr(err, "totals slip: paper of 100 dots") == err);
		escpos_free(&e);
	}
}

int main(void)
{
	setenv("TZ", "COT5", 1);
	tzset();
	snprintf(tmpdir, sizeof tmpdir, "/tmp/recaudo-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(dbpath, sizeof dbpath, "%s/store.db", tmpdir);
	test_empty_and_bad_input();
	test_day();
	test_gaps();
	test_many_gaps();
	test_query_plan();
	test_migration();
	test_slip();
	/* a fresh store for the DST day */
	snprintf(dbpath, sizeof dbpath, "%s/dst.db", tmpdir);
	test_dst();
	tmpdir_remove(tmpdir);
	return check_done();
}
