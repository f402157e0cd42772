/* field-driver — a field tablet without a screen, for the field crash test
 * (tests/sh/test_field_crash.sh): two agents collect cash against a small portfolio as fast
 * as the store allows (offline/field_store.h), now and then void a receipt, close the day and
 * have a supervisor reopen it, until killed; then, in a second process, --check proves what the
 * store holds against what the first reported.
 *
 *   field-driver --db PATH [--seed N]
 *   field-driver --db PATH --check SHOWN [--min-done N] [--log FILE]
 *
 * stdout, flushed line by line, is the protocol the test reads; each line is printed only after
 * the write it reports returned 0 (committed):
 *   done AGENT NUMBER KEY     a receipt (what the agent would have printed)
 *   voided AGENT NUMBER       a void
 * --check SHOWN reads those lines and checks: every receipt reported is in the store with its
 * key; per agent the numbers are 1..max, each once; every receipt has exactly one
 * payment.collected event (its key, number and agent) and there is no other; every void has
 * exactly one payment.voided naming the original key; the audit chain verifies with one row
 * per event; integrity_check ok; more than N receipts reported (--min-done: the driver did
 * run); FILE (the runs' stderr) and SHOWN name no client. It ends with "N passed, N failed"
 * (exit 1 on a failure).
 * Neither mode prints a name or an ID number. */
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "field_agents.h"
#include "field_store.h"
#include "outbox.h"
#include "store.h"

#define NOW INT64_C(1795359600) /* 2026-11-22 10:00 -05:00 */
#define DAY 20261122
#define DEVICE "T01"
#define SUPERVISOR "1002"

static const char *const agents[] = {"1001", "1003"};
static uint64_t rng = 20261122;

/* Knuth's MMIX LCG, its high bits: reproducible choices with --seed */
static uint64_t rng_next(void)
{
	rng = rng * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return rng >> 33;
}

/* A new store gets two clients with balances no run can exhaust; an import killed midway
 * leaves nothing, and the next run imports again. */
static int ensure_portfolio(struct store *s)
{
	struct store_status st;
	struct document d;
	int rc;

	if (store_status_get(s, &st) < 0)
		return -1;
	if (st.customers > 0)
		return 0;
	memset(&d, 0, sizeof d);
	snprintf(d.line, sizeof d.line, "Crédito vehículo");
	snprintf(d.description, sizeof d.description, "Cuota");
	d.due = 20261115;
	d.cur = CUR_COP;
	d.invoice = d.balance = INT64_C(900000000000000);
	d.partial_ok = 1;
	d.min_partial = 100;
	rc = store_import_begin(s);
	{ /* the supervisor who approves the voids and reopens (the store checks the role) */
		struct field_agent sup = {.code = SUPERVISOR, .name = "Supervisor", .role = FIELD_ROLE_SUPERVISOR,
					  .cap_minor = -1};
		rc = field_agent_import(s, &sup, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
					NULL, 0, NOW - 3600);
	}
	for (int c = 0; rc == 0 && c < 2; c++) {
		rc = store_import_customer(s, ID_CC, c ? "1020304051" : "1020304050", c ? "Cliente B" : "Cliente A");
		for (int k = 0; rc == 0 && k < 2; k++) {
			snprintf(d.number, sizeof d.number, "CR-%d", k);
			rc = store_import_document(s, &d);
		}
	}
	if (rc == 0)
		return store_import_commit(s, NOW - 3600);
	store_import_abort(s);
	return rc;
}

static int run(const char *db)
{
	struct store *s = NULL;
	struct field_receipt *out = malloc(sizeof *out);
	char err[256];
	int failures = 0;

	if (!out || store_open(&s, db, err, sizeof err) != 0 || ensure_portfolio(s) != 0) {
		fprintf(stderr, "field-driver: cannot open the store: %s\n", s ? store_error(s) : err);
		free(out);
		store_close(s);
		return 1;
	}
	for (uint64_t i = 0; failures < 200; i++) {
		struct field_collect_req r;
		const char *agent = agents[rng_next() % 2];
		int64_t amount = (int64_t)(1 + rng_next() % 500) * 10000;

		memset(&r, 0, sizeof r);
		r.agent = agent;
		r.device_id = DEVICE;
		r.id_type = ID_CC;
		r.id_number = rng_next() % 2 ? "1020304050" : "1020304051";
		r.cur = CUR_COP;
		r.nlines = 1 + (int)(rng_next() % 2);
		for (int k = 0; k < r.nlines; k++) {
			snprintf(r.lines[k].doc_number, sizeof r.lines[k].doc_number, "CR-%d", k);
			r.lines[k].amount_minor = amount;
		}
		r.cash_minor = amount * r.nlines + (int64_t)(rng_next() % 3) * 100000;
		r.now = NOW + (int64_t)(i % 3600);
		r.day = DAY;
		if (field_collect(s, &r, out) == 0) {
			printf("done %s %" PRIu64 " %s\n", agent, out->number, out->event_key);
			fflush(stdout);
		} else if (field_day_closed(s, agent, DAY) == 1) {
			/* the previous run was killed between its close and its reopen */
			if (field_reopen_day(s, agent, DAY, SUPERVISOR, r.now) != 0)
				failures++;
			continue;
		} else {
			fprintf(stderr, "field-driver: collect: %s\n", store_error(s));
			failures++;
			continue;
		}
		if (rng_next() % 5 == 0 &&
		    field_void(s, agent, DEVICE, out->number, "Valor errado", SUPERVISOR, r.now, DAY, out) == 0) {
			printf("voided %s %" PRIu64 "\n", agent, out->number);
			fflush(stdout);
		}
		if (rng_next() % 25 == 0) {
			struct field_totals t;

			if (field_close_day(s, agent, DEVICE, DAY, r.now, &t) != 0 ||
			    field_reopen_day(s, agent, DAY, SUPERVISOR, r.now) != 0) {
				fprintf(stderr, "field-driver: close/reopen: %s\n", store_error(s));
				failures++;
			}
		}
	}
	free(out);
	store_close(s);
	return 1;
}

/* ---- --check ---- */

static int pass, fail;

static void check(int ok, const char *what)
{
	if (ok) {
		pass++;
	} else {
		fail++;
		printf("FAIL: %s\n", what);
	}
}

static long long q(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void check_shown(sqlite3 *db, const char *shown, long long *done, long long *voided)
{
	FILE *f = fopen(shown, "r");
	sqlite3_stmt *st = NULL, *sv = NULL;
	char line[256];
	long long lost = 0, unvoided = 0, torn = 0;

	*done = *voided = 0;
	check(f != NULL, "the shown file opens");
	if (!f || sqlite3_prepare_v2(db, "SELECT count(*) FROM field_receipts WHERE agent_code = ?1 AND device_id = '"
				 DEVICE "' AND number = ?2 AND event_key = ?3", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM field_receipts WHERE agent_code = ?1 AND device_id = '"
			       DEVICE "' AND number = ?2 AND state = 'void'", -1, &sv, NULL) != SQLITE_OK) {
		check(0, "the checks prepare");
		goto out;
	}
	while (fgets(line, sizeof line, f)) {
		char agent[32], key[64];
		unsigned long long n;
		int end = 0;

		/* a line the kill cut short (a write that crossed a page of the file is not atomic
		 * against SIGKILL) runs into the next run's first line: it was never shown whole, so
		 * it proves nothing; a whole line is the three fields, a full event key, a newline */
		if (sscanf(line, "done %31s %llu %63s%n", agent, &n, key, &end) == 3 &&
		    (strlen(key) != OUTBOX_KEY_LEN || strcmp(line + end, "\n") != 0)) {
			torn++;
			continue;
		}
		if (sscanf(line, "done %31s %llu %63s", agent, &n, key) == 3) {
			(*done)++;
			sqlite3_reset(st);
			sqlite3_bind_text(st, 1, agent, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 2, (int64_t)n);
			sqlite3_bind_text(st, 3, key, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0) != 1)
				lost++;
		} else if (sscanf(line, "voided %31s %llu", agent, &n) == 2) {
			(*voided)++;
			sqlite3_reset(sv);
			sqlite3_bind_text(sv, 1, agent, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(sv, 2, (int64_t)n);
			if (sqlite3_step(sv) != SQLITE_ROW || sqlite3_column_int(sv, 0) != 1)
				unvoided++;
		}
	}
	check(torn <= 1, "at most the line a kill cut short is not whole");
	check(lost == 0, "every receipt reported done is in the store with its key");
	if (torn)
		printf("  %lld line cut short by a kill (not counted)\n", torn);
	check(unvoided == 0, "every void reported is marked void");
	if (lost || unvoided)
		printf("  lost %lld, unvoided %lld\n", lost, unvoided);
out:
	sqlite3_finalize(st);
	sqlite3_finalize(sv);
	if (f)
		fclose(f);
}

/* The driver's clients' ID numbers and names, in a file. */
static int names_client(const char *file)
{
	static const char *const pii[] = {"1020304050", "1020304051", "Cliente A", "Cliente B"};
	char line[512];
	FILE *f = fopen(file, "r");
	int found = 0;

	while (f && !found && fgets(line, sizeof line, f))
		for (size_t i = 0; i < sizeof pii / sizeof pii[0]; i++)
			found |= strstr(line, pii[i]) != NULL;
	if (f)
		fclose(f);
	return found;
}

static int check_store(const char *path, const char *shown, long min_done, const char *log)
{
	sqlite3 *db = NULL;
	struct store *s = NULL;
	char err[256], why[256];
	long long done, voided, receipts;
	int64_t rows = 0, bad = 0;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		printf("FAIL: cannot open %s\n0 passed, 1 failed\n", path);
		sqlite3_close(db);
		return 1;
	}
	check_shown(db, shown, &done, &voided);
	receipts = q(db, "SELECT count(*) FROM field_receipts");
	for (size_t i = 0; i < sizeof agents / sizeof agents[0]; i++) {
		char sql[256];

		snprintf(sql, sizeof sql,
			 "SELECT count(*) = coalesce(max(number), 0) AND count(DISTINCT number) = count(*)"
			 " FROM field_receipts WHERE agent_code = '%s' AND device_id = '" DEVICE "'",
			 agents[i]);
		check(q(db, sql) == 1, "the agent's numbers are 1..max, none skipped, none twice");
	}
	check(q(db, "SELECT count(*) FROM field_receipts AS r WHERE (SELECT count(*) FROM outbox AS o"
		    " WHERE o.type = 'payment.collected' AND o.key = r.event_key"
		    " AND json_extract(o.payload, '$.receipt_number') = r.number"
		    " AND json_extract(o.payload, '$.agent') = r.agent_code) <> 1") == 0,
	      "every receipt has exactly one payment.collected event");
	check(q(db, "SELECT count(*) FROM outbox WHERE type = 'payment.collected'") == receipts,
	      "no payment.collected event without its receipt");
	check(q(db, "SELECT count(*) FROM field_receipts AS r WHERE state = 'void' AND (SELECT count(*)"
		    " FROM outbox AS o WHERE o.type = 'payment.voided' AND o.key = r.void_key"
		    " AND json_extract(o.payload, '$.original_key') = r.event_key) <> 1") == 0,
	      "every void has exactly one payment.voided event naming the original");
	check(q(db, "SELECT count(*) FROM outbox WHERE type = 'payment.voided'") ==
		      q(db, "SELECT count(*) FROM field_receipts WHERE state = 'void'"),
	      "no payment.voided event without its void");
	check(q(db, "SELECT count(*) FROM outbox WHERE type = 'collection.closed'") ==
		      q(db, "SELECT count(*) FROM field_closes"),
	      "one collection.closed event per close");
	check(q(db, "SELECT (SELECT count(*) FROM audit WHERE action IN ('payment.collected', 'payment.voided',"
		    " 'collection.closed', 'collection.reopened')) = (SELECT count(*) FROM outbox)") == 1,
	      "one audit row per event");
	check(q(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'") == 0,
	      "integrity_check ok");
	check(done > min_done, "the driver reported more receipts than it had runs");
	check(!names_client(shown) && (!log || !names_client(log)), "no client's name or ID number in a log");
	sqlite3_close(db);
	if (store_open_readonly(&s, path, err, sizeof err) == 0) {
		check(store_audit_verify(s, &rows, &bad, why, sizeof why) == 0, "the audit chain verifies");
		store_close(s);
	} else {
		check(0, "the store opens read-only");
	}
	printf("field crash: %lld receipts in the store, %lld reported done, %lld voids reported\n", receipts,
	       done, voided);
	printf("%d passed, %d failed\n", pass, fail);
	return fail ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *db = NULL, *shown = NULL, *log = NULL;
	long min_done = 0;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--db") == 0)
			db = argv[i + 1];
		else if (strcmp(argv[i], "--check") == 0)
			shown = argv[i + 1];
		else if (strcmp(argv[i], "--min-done") == 0)
			min_done = strtol(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--log") == 0)
			log = argv[i + 1];
		else if (strcmp(argv[i], "--seed") == 0)
			rng = strtoull(argv[i + 1], NULL, 10);
		else
			db = NULL, i = argc;
	}
	if (!db || argc % 2 == 0) {
		fprintf(stderr, "usage: field-driver --db PATH [--seed N]\n"
				"       field-driver --db PATH --check SHOWN [--min-done N] [--log FILE]\n");
		return 2;
	}
	setenv("TZ", "<-05>5", 1);
	return shown ? check_store(db, shown, min_done, log) : run(db);
}
