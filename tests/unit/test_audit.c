/* test_audit — the hash-chained audit log (offline/store_audit.c, docs/store.md "The audit
 * chain"): appends chain, each with exactly one maintenance.action event in the same
 * transaction; the triggers refuse UPDATE and DELETE; a tampered row is named by verify. */
#include <cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "peek.h"
#include "tmpdir.h"

#include "audit.h"
#include "outbox.h"
#include "store_internal.h"

static char tmpdir[64];
static char dbpath[128];

static long long peek(const char *sql) { return peek_db(dbpath, sql); }

static void peek_text(const char *sql, char *out, size_t n) { peek_text_db(dbpath, sql, out, n); }

static int exec_rw(const char *sql) { return exec_db(dbpath, sql); }

static struct store *open_store(void)
{
	struct store *s = NULL;
	char err[256];

	if (store_open(&s, dbpath, err, sizeof err) != 0)
		fprintf(stderr, "store_open: %s\n", err);
	return s;
}

static int coupon_hook(struct store *s, const struct coupon *c, const struct coupon_request *req,
		       void *user)
{
	(void)user;
	return outbox_push_coupon(s, c, req);
}

static int issue_coupon(struct store *s)
{
	struct coupon_request r;
	struct coupon c;

	memset(&r, 0, sizeof r);
	r.kiosk_id = 7;
	r.ref_length = 15;
	r.id_type = ID_CC;
	snprintf(r.id_number, sizeof r.id_number, "1020304050");
	r.kind = "coupon";
	r.now = 1795302000;
	r.due = 20261130;
	r.nlines = 1;
	snprintf(r.lines[0].doc_number, sizeof r.lines[0].doc_number, "C-1");
	r.lines[0].pay = (struct money){5000000, CUR_COP};
	r.lines[0].cop_minor = 5000000;
	store_set_commit_hook(s, coupon_hook, NULL);
	return store_coupon_issue(s, &r, &c);
}

static int64_t verify(struct store *s, int64_t *rows, char *why, size_t n)
{
	int64_t bad = -1;
	int rc = store_audit_verify(s, rows, &bad, why, n);

	return rc == 0 ? 0 : rc == 1 ? bad : -1;
}

static void test_chain(void)
{
	static const char *const actions[] = {"maint.enter", "pin.wrong", "printer.test_page",
					      "queue.sync_now", "maint.exit"};
	char heads[6][AUDIT_HASH_HEX + 1], why[200], txt[200];
	struct store *s = open_store();
	int64_t rows = -1, id = 0;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_audit_head(s, heads[0]), 1); /* empty: the chain's start */
	CHECK_STR(heads[0], "0000000000000000000000000000000000000000000000000000000000000000");
	CHECK_INT(verify(s, &rows, why, sizeof why), 0);
	CHECK_INT(rows, 0);
	for (int i = 0; i < 5; i++) {
		CHECK_INT(store_audit_append(s, 1795302000 + i, actions[i], i == 1 ? "refused" : "ok",
					     i == 1 ? "tries_left=4" : "", &id),
			  0);
		CHECK_INT(id, i + 1);
		CHECK_INT(store_audit_head(s, heads[i + 1]), 0);
		CHECK(strlen(heads[i + 1]) == AUDIT_HASH_HEX);
		CHECK(strcmp(heads[i + 1], heads[i]) != 0); /* the head moves with every row */
		/* exactly one event per append */
		CHECK_INT(peek("SELECT count(*) FROM outbox WHERE type = 'maintenance.action'"), i + 1);
	}
	/* a coupon's audit row joins the same chain */
	CHECK_INT(issue_coupon(s), 0);
	CHECK_INT(peek("SELECT count(*) FROM audit"), 6);
	CHECK_INT(peek("SELECT count(*) FROM audit WHERE action = 'coupon.issued' AND prev IS NOT NULL"
		       " AND length(hash) = 64"),
		  1);
	CHECK_INT(store_audit_append(s, 1795302100, "maint.exit", "ok", "reason=idle", NULL), 0);
	CHECK_INT(verify(s, &rows, why, sizeof why), 0);
	CHECK_INT(rows, 7);
	/* each row links to the one before */
	CHECK_INT(peek("SELECT count(*) FROM audit a JOIN audit b ON b.id = a.id + 1"
		       " WHERE b.prev = a.hash"),
		  6);
	/* the event carries the row: action, result, detail, at, audit_seq, hash */
	peek_text("SELECT payload FROM outbox WHERE type = 'maintenance.action' ORDER BY seq LIMIT 1 OFFSET 1",
		  txt, sizeof txt);
	{
		cJSON *j = cJSON_Parse(txt);
		char hash2[80];

		peek_text("SELECT hash FROM audit WHERE id = 2", hash2, sizeof hash2);
		CHECK(j != NULL);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "action")), "pin.wrong");
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "result")), "refused");
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "detail")), "tries_left=4");
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "at")), "2026-11-21T23:00:01Z");
		CHECK_INT((long long)cJSON_GetNumberValue(cJSON_GetObjectItem(j, "audit_seq")), 2);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "hash")), hash2);
		CHECK_INT(cJSON_GetArraySize(j), 6);
		cJSON_Delete(j);
	}
	/* a read-only store verifies too */
	{
		struct store *r = NULL;
		char err[200];

		CHECK_INT(store_open_readonly(&r, dbpath, err, sizeof err), 0);
		if (r) {
			CHECK_INT(verify(r, &rows, why, sizeof why), 0);
			CHECK_INT(rows, 7);
			store_close(r);
		}
	}
	store_close(s);
}

static void test_bad_input(void)
{
	struct store *s = open_store();
	long long rows = peek("SELECT count(*) FROM audit"), ev = peek("SELECT count(*) FROM outbox");

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_audit_append(s, 0, "Maint Enter", "ok", "", NULL), STORE_EINVAL);
	CHECK(strncmp(store_error(s), "action:", 7) == 0);
	CHECK_INT(store_audit_append(s, 0, "", "ok", "", NULL), STORE_EINVAL);
	CHECK_INT(store_audit_append(s, 0, NULL, "ok", "", NULL), STORE_EINVAL);
	CHECK_INT(store_audit_append(s, 0, "maint.enter", "", "", NULL), STORE_EINVAL);
	CHECK(strncmp(store_error(s), "result:", 7) == 0);
	CHECK_INT(store_audit_append(s, 0, "maint.enter", "ok", NULL, NULL), STORE_EINVAL);
	/* personal data has no place in detail: a run of digits, a name with an accent */
	CHECK_INT(store_audit_append(s, 0, "maint.enter", "ok", "cc=1020304050", NULL), STORE_EINVAL);
	CHECK(strncmp(store_error(s), "detail:", 7) == 0);
	CHECK_INT(store_audit_append(s, 0, "maint.enter", "ok", "José", NULL), STORE_EINVAL);
	CHECK_INT(store_audit_append(s, 0, "maint.enter", "ok", "a\nb", NULL), STORE_EINVAL);
	CHECK_INT(peek("SELECT count(*) FROM audit"), rows);
	CHECK_INT(peek("SELECT count(*) FROM outbox"), ev);
	store_close(s);
}

/* The row and its event are one transaction: a failed event leaves no row, and a caller's
 * rollback takes both. */
static void test_atomic(void)
{
	struct store *s = open_store();
	long long rows = peek("SELECT count(*) FROM audit"), ev = peek("SELECT count(*) FROM outbox");
	char head[AUDIT_HASH_HEX + 1], head2[AUDIT_HASH_HEX + 1];

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_audit_head(s, head), 0);
	CHECK_INT(exec_rw("CREATE TRIGGER no_events BEFORE INSERT ON outbox BEGIN"
			  " SELECT RAISE(ABORT, 'disk says no'); END;"),
		  0);
	CHECK_INT(store_audit_append(s, 0, "maint.enter", "ok", "", NULL), STORE_ERR);
	CHECK(strstr(store_error(s), "disk says no") != NULL);
	CHECK_INT(peek("SELECT count(*) FROM audit"), rows);
	CHECK_INT(peek("SELECT count(*) FROM outbox"), ev);
	CHECK_INT(exec_rw("DROP TRIGGER no_events"), 0);
	/* inside the caller's transaction: rolled back with it */
	CHECK_INT(store_exec(s, "BEGIN IMMEDIATE"), 0);
	CHECK_INT(store_audit_append(s, 0, "maint.enter", "ok", "", NULL), 0);
	CHECK_INT(store_exec(s, "ROLLBACK"), 0);
	CHECK_INT(peek("SELECT count(*) FROM audit"), rows);
	CHECK_INT(peek("SELECT count(*) FROM outbox"), ev);
	CHECK_INT(store_audit_head(s, head2), 0);
	CHECK_STR(head2, head);
	/* ... and committed with it */
	CHECK_INT(store_exec(s, "BEGIN IMMEDIATE"), 0);
	CHECK_INT(store_audit_append(s, 0, "maint.enter", "ok", "", NULL), 0);
	CHECK_INT(store_exec(s, "COMMIT"), 0);
	CHECK_INT(peek("SELECT count(*) FROM audit"), rows + 1);
	CHECK_INT(peek("SELECT count(*) FROM outbox"), ev + 1);
	store_close(s);
}

static void test_append_only_and_tamper(void)
{
	struct store *s = open_store();
	int64_t rows = -1;
	char why[200], detail[64];

	CHECK(s != NULL);
	if (!s)
		return;
	/* the triggers refuse changes, from this program and from any other */
	CHECK(store_exec(s, "UPDATE audit SET detail = 'x' WHERE id = 3") < 0);
	CHECK(strstr(store_error(s), "append-only") != NULL);
	CHECK(store_exec(s, "DELETE FROM audit WHERE id = 3") < 0);
	CHECK(exec_rw("DELETE FROM audit") < 0);
	CHECK(exec_rw("UPDATE audit SET hash = NULL") < 0);
	CHECK_INT(verify(s, &rows, why, sizeof why), 0);
	/* a tampered store: triggers dropped, one row's content changed */
	peek_text("SELECT detail FROM audit WHERE id = 3", detail, sizeof detail);
	CHECK_INT(exec_rw("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"
			  " UPDATE audit SET detail = 'nothing happened' WHERE id = 3;"),
		  0);
	CHECK_INT(verify(s, &rows, why, sizeof why), 3);
	CHECK_STR(why, "audit row 3: hash does not match its content");
	CHECK_INT(rows, 0);
	/* a forged hash on the changed row is no better */
	CHECK_INT(exec_rw("UPDATE audit SET hash = '1111111111111111111111111111111111111111111111111111111111111111'"
			  " WHERE id = 3"),
		  0);
	CHECK_INT(verify(s, &rows, why, sizeof why), 3);
	/* the content back, the result changed: the result is hashed too */
	{
		char sql[300], h[AUDIT_HASH_HEX + 1];

		peek_text("SELECT prev FROM audit WHERE id = 4", h, sizeof h); /* row 3's true hash */
		snprintf(sql, sizeof sql,
			 "UPDATE audit SET detail = '%s', hash = '%s', result = 'refused' WHERE id = 3",
			 detail, h);
		CHECK_INT(exec_rw(sql), 0);
	}
	CHECK_INT(verify(s, &rows, why, sizeof why), 3);
	CHECK_INT(exec_rw("UPDATE audit SET result = 'ok' WHERE id = 3"), 0);
	/* restored exactly: the chain is whole again (the hash is of the content) */
	CHECK_INT(verify(s, &rows, why, sizeof why), 0);
	/* a removed row: the one after it no longer follows */
	CHECK_INT(exec_rw("DELETE FROM audit WHERE id = 2"), 0);
	CHECK_INT(verify(s, &rows, why, sizeof why), 3);
	CHECK(strstr(why, "audit row 3: does not follow row 1") == why);
	CHECK_INT(exec_rw("DELETE FROM audit WHERE id = 1"), 0);
	CHECK_INT(verify(s, &rows, why, sizeof why), 3);
	CHECK(strstr(why, "audit row 3: does not start the chain") == why);
	store_close(s);
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/recaudo-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(dbpath, sizeof dbpath, "%s/store.db", tmpdir);
	test_chain();
	test_bad_input();
	test_atomic();
	test_append_only_and_tamper();
	tmpdir_remove(tmpdir);
	return check_done();
}
