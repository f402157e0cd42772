/* test_outbox — the outbox: schema, the coupon.issued event written in the coupon's
 * transaction (payload, audit row, rollback), gapless sequence, UUIDv4 keys, the
 * claim/ack/dead/release state machine, crash recovery, batches, stats and dead letters. */
#include <cJSON.h>
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "schema_undo.h"
#include "peek.h"
#include "tmpdir.h"
#include "audit.h"
#include "outbox.h"
#include "store_internal.h"

static char tmpdir[64];
static char dbpath[128];

static void remove_tmpdir(void) { tmpdir_remove(tmpdir); }

static struct store *open_store(void)
{
	struct store *s = NULL;
	char err[256];

	if (store_open(&s, dbpath, err, sizeof err) != 0)
		fprintf(stderr, "store_open: %s\n", err);
	return s;
}

static struct outbox *open_outbox(void)
{
	char err[256];
	struct outbox *o = outbox_open(dbpath, err, sizeof err);

	if (!o)
		fprintf(stderr, "outbox_open: %s\n", err);
	return o;
}

/* Runs SQL on a separate connection: the first column of the first row, -1 if none. */
static long long peek(const char *sql) { return peek_db(dbpath, sql); }

/* Text of the first column of the first row ("" if none) on a separate connection. */
static void peek_text(const char *sql, char *out, size_t n) { peek_text_db(dbpath, sql, out, n); }

static int exec_rw(const char *sql) { return exec_db(dbpath, sql); }

static long long state_of(const char *key)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT state FROM outbox WHERE key = '%s'", key);
	return peek(sql);
}

static long long attempts_of(const char *key)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT attempts FROM outbox WHERE key = '%s'", key);
	return peek(sql);
}

static int uuid_valid(const char *k)
{
	if (strlen(k) != OUTBOX_KEY_LEN)
		return 0;
	for (int i = 0; i < OUTBOX_KEY_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (k[i] != '-')
				return 0;
		} else if (!strchr("0123456789abcdef", k[i]) || !k[i]) {
			return 0;
		}
	}
	return k[14] == '4' && strchr("89ab", k[19]) != NULL;
}

static struct coupon_request base_request(void)
{
	struct coupon_request r;

	memset(&r, 0, sizeof r);
	r.kiosk_id = 7;
	r.ref_length = 15;
	r.id_type = ID_CC;
	snprintf(r.id_number, sizeof r.id_number, "1020304050");
	r.kind = "coupon";
	r.now = 1795302000; /* 2026-11-21T23:00:00Z */
	r.due = 20261130;
	r.nlines = 2;
	snprintf(r.lines[0].doc_number, sizeof r.lines[0].doc_number, "VID-4471203-1126");
	r.lines[0].pay = (struct money){ 18540000, CUR_COP };
	r.lines[0].cop_minor = 18540000;
	snprintf(r.lines[1].doc_number, sizeof r.lines[1].doc_number, "C-3");
	r.lines[1].pay = (struct money){ 5000000, CUR_COP };
	r.lines[1].cop_minor = 5000000;
	return r;
}

/* What an app installs: store_commit_hook has a user pointer, outbox_push_coupon not. */
struct hook_ctl {
	int calls;
	int fail_after;          /* return -1 after a successful push */
	int ignore_failure;      /* return 0 even if the push failed (to see it left nothing) */
	int push_rc;
	long long seen_outside;  /* outbox rows another connection saw during the hook */
};

static int outbox_hook(struct store *s, const struct coupon *c, const struct coupon_request *req,
		       void *user)
{
	struct hook_ctl *h = user;

	h->calls++;
	h->push_rc = outbox_push_coupon(s, c, req);
	h->seen_outside = peek("SELECT count(*) FROM outbox");
	if (h->push_rc < 0)
		return h->ignore_failure ? 0 : h->push_rc;
	return h->fail_after ? -1 : 0;
}

static void test_schema(void)
{
	struct store *s = open_store();
	char type[32];

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_schema_version(s), 9);
	store_close(s);
	CHECK_INT(peek("SELECT value FROM counters WHERE name = 'outbox_seq'"), 0);
	CHECK_INT(peek("SELECT value FROM meta WHERE key = 'last_sync'"), 0);
	CHECK_INT(peek("SELECT count(*) FROM outbox"), 0);
	CHECK_INT(peek("SELECT count(*) FROM audit"), 0);
	peek_text("SELECT tbl_name FROM sqlite_master WHERE name = 'outbox_by_state'", type,
		  sizeof type);
	CHECK_STR(type, "outbox");
	/* Reopening does not run the step again. */
	s = open_store();
	CHECK(s != NULL);
	CHECK_INT(store_schema_version(s), 9);
	store_close(s);
	CHECK_INT(peek("SELECT count(*) FROM meta WHERE key = 'last_sync'"), 1);
}

static void test_open_errors(void)
{
	char err[256], p[160];
	struct outbox *o;
	sqlite3 *db;

	snprintf(p, sizeof p, "%s/missing.db", tmpdir);
	o = outbox_open(p, err, sizeof err);
	CHECK(o == NULL);
	CHECK(strstr(err, "cannot open") != NULL);
	CHECK(access(p, F_OK) != 0); /* not created */

	/* A database the store never migrated. */
	snprintf(p, sizeof p, "%s/bare.db", tmpdir);
	CHECK(sqlite3_open(p, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "CREATE TABLE x(y)", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	o = outbox_open(p, err, sizeof err);
	CHECK(o == NULL);
	CHECK(strstr(err, "no outbox") != NULL);
}

static cJSON *event_payload(uint64_t seq, char *key, size_t keyn)
{
	char sql[128], text[OUTBOX_PAYLOAD_MAX + 1];

	snprintf(sql, sizeof sql, "SELECT payload FROM outbox WHERE seq = %llu",
		 (unsigned long long)seq);
	peek_text(sql, text, sizeof text);
	if (key) {
		snprintf(sql, sizeof sql, "SELECT key FROM outbox WHERE seq = %llu",
			 (unsigned long long)seq);
		peek_text(sql, key, keyn);
	}
	return cJSON_Parse(text);
}

static const char *jstr(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static long long jint(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
}

static void test_coupon_event(void)
{
	struct store *s = open_store();
	struct coupon_request r = base_request();
	struct hook_ctl h = { 0 };
	struct coupon c;
	cJSON *p, *lines, *l;
	char key[64], raw[OUTBOX_PAYLOAD_MAX + 1];

	CHECK(s != NULL);
	if (!s)
		return;
	store_set_commit_hook(s, outbox_hook, &h);
	CHECK_INT(store_coupon_issue(s, &r, &c), 0);
	CHECK_INT(h.calls, 1);
	CHECK_INT(h.push_rc, 0);
	/* Written inside the coupon's transaction: invisible to others until COMMIT. */
	CHECK_INT(h.seen_outside, 0);
	CHECK_INT(peek("SELECT count(*) FROM outbox"), 1);
	CHECK_INT(peek("SELECT seq FROM outbox"), 1);
	CHECK_INT(peek("SELECT state FROM outbox"), OUTBOX_PENDING);
	CHECK_INT(peek("SELECT attempts FROM outbox"), 0);
	CHECK_INT(peek("SELECT at FROM outbox"), 1795302000);
	peek_text("SELECT type FROM outbox", raw, sizeof raw);
	CHECK_STR(raw, "coupon.issued");
	CHECK_INT(peek("SELECT count(*) FROM audit"), 1);
	peek_text("SELECT action FROM audit", raw, sizeof raw);
	CHECK_STR(raw, "coupon.issued");
	peek_text("SELECT detail FROM audit", raw, sizeof raw);
	CHECK_STR(raw, "seq=1");
	CHECK(strstr(raw, "1020304050") == NULL);
	CHECK_INT(peek("SELECT at FROM audit"), 1795302000);

	/* Amounts are JSON integers, not floats or exponents. */
	peek_text("SELECT payload FROM outbox WHERE seq = 1", raw, sizeof raw);
	CHECK(strstr(raw, "\"amount_minor\":23540000,") != NULL);
	CHECK(strstr(raw, "\"trm\":null") != NULL);
	p = event_payload(1, key, sizeof key);
	CHECK(p != NULL);
	CHECK(uuid_valid(key));
	if (p) {
		CHECK_INT(jint(p, "kiosk_id"), 7);
		CHECK_INT(jint(p, "seq"), c.seq);
		CHECK_STR(jstr(p, "reference"), c.reference);
		CHECK_STR(jstr(p, "kind"), "coupon");
		CHECK_STR(jstr(p, "id_type"), "CC");
		CHECK_STR(jstr(p, "id_number"), "1020304050");
		CHECK_INT(jint(p, "amount_minor"), 23540000);
		CHECK_STR(jstr(p, "currency"), "COP");
		CHECK_STR(jstr(p, "due"), "2026-11-30");
		CHECK_STR(jstr(p, "issued_at"), "2026-11-21T23:00:00Z");
		CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(p, "trm")));
		lines = cJSON_GetObjectItemCaseSensitive(p, "lines");
		CHECK(cJSON_IsArray(lines));
		CHECK_INT(cJSON_GetArraySize(lines), 2);
		l = cJSON_GetArrayItem(lines, 0);
		CHECK_STR(jstr(l, "doc"), "VID-4471203-1126");
		CHECK_INT(jint(l, "pay_minor"), 18540000);
		CHECK_STR(jstr(l, "currency"), "COP");
		CHECK_INT(jint(l, "cop_minor"), 18540000);
		l = cJSON_GetArrayItem(lines, 1);
		CHECK_STR(jstr(l, "doc"), "C-3");
		CHECK_INT(jint(l, "cop_minor"), 5000000);
		CHECK_INT(cJSON_GetArraySize(p), 12); /* exactly the contract's fields */
	}
	cJSON_Delete(p);

	/* A phone coupon with a USD line: trm as an object, the rate as a decimal string. */
	r = base_request();
	r.kind = "phone";
	r.has_trm = 1;
	r.trm = (struct trm){ 401235, 20261120, 20271231 };
	r.now = 1795359600; /* 2026-11-22T15:00:00Z */
	snprintf(r.lines[1].doc_number, sizeof r.lines[1].doc_number, "USD-1");
	r.lines[1].pay = (struct money){ 245000, CUR_USD };
	r.lines[1].cop_minor = trm_usd_to_cop(245000, &r.trm);
	CHECK_INT(store_coupon_issue(s, &r, &c), 0);
	CHECK_INT(c.seq, 2);
	p = event_payload(2, NULL, 0);
	CHECK(p != NULL);
	if (p) {
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(p, "trm");

		CHECK_STR(jstr(p, "kind"), "phone");
		CHECK_STR(jstr(p, "issued_at"), "2026-11-22T15:00:00Z");
		CHECK_INT(jint(p, "amount_minor"), 18540000 + 983025800);
		CHECK(cJSON_IsObject(t));
		CHECK_STR(jstr(t, "cop_per_usd"), "4012.35");
		CHECK_STR(jstr(t, "valid_from"), "2026-11-20");
		CHECK_STR(jstr(t, "valid_to"), "2027-12-31");
		l = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(p, "lines"), 1);
		CHECK_STR(jstr(l, "doc"), "USD-1");
		CHECK_STR(jstr(l, "currency"), "USD");
		CHECK_INT(jint(l, "pay_minor"), 245000);
		CHECK_INT(jint(l, "cop_minor"), 983025800);
	}
	cJSON_Delete(p);

	/* The largest amount one coupon carries (money_limits.h) still prints as an exact
	 * integer; one peso more is refused before anything is written. */
	r = base_request();
	r.nlines = 1;
	r.lines[0].pay.minor = INT64_C(999999999999900) + 100;
	r.lines[0].cop_minor = INT64_C(999999999999900) + 100;
	CHECK(store_coupon_issue(s, &r, &c) < 0);
	r.lines[0].pay.minor = INT64_C(999999999999900);
	r.lines[0].cop_minor = INT64_C(999999999999900);
	CHECK_INT(store_coupon_issue(s, &r, &c), 0);
	peek_text("SELECT payload FROM outbox WHERE seq = 3", raw, sizeof raw);
	CHECK(strstr(raw, "\"amount_minor\":999999999999900,") != NULL);
	CHECK(strstr(raw, "\"pay_minor\":999999999999900,") != NULL);
	CHECK_INT(peek("SELECT count(*) FROM audit"), 3);
	peek_text("SELECT group_concat(detail, ',') FROM (SELECT detail FROM audit ORDER BY id)",
		  raw, sizeof raw);
	CHECK_STR(raw, "seq=1,seq=2,seq=3");
	store_close(s);
}

/* A failing hook takes the coupon, its event and its audit row with it; the sequence numbers
 * of both coupons and events stay gapless. */
static void test_rollback(void)
{
	struct store *s = open_store();
	struct coupon_request r = base_request();
	struct hook_ctl h = { 0 };
	struct outbox_stats before, after;
	struct coupon c;
	long long coupons, events, audits;
	char key[64];

	CHECK(s != NULL);
	if (!s)
		return;
	store_set_commit_hook(s, outbox_hook, &h);
	CHECK_INT(outbox_stats_get(s, NULL, &before), 0);
	coupons = peek("SELECT count(*) FROM coupons");
	events = peek("SELECT count(*) FROM outbox");
	audits = peek("SELECT count(*) FROM audit");

	h.fail_after = 1;
	CHECK(store_coupon_issue(s, &r, &c) < 0);
	CHECK(strstr(store_error(s), "commit hook") != NULL);
	CHECK_INT(h.push_rc, 0);
	CHECK_INT(peek("SELECT count(*) FROM coupons"), coupons);
	CHECK_INT(peek("SELECT count(*) FROM outbox"), events);
	CHECK_INT(peek("SELECT count(*) FROM audit"), audits);
	CHECK_INT(outbox_stats_get(s, NULL, &after), 0);
	CHECK_INT(after.next_seq, before.next_seq);
	h.fail_after = 0;

	/* The push itself fails half way (the audit insert is refused after the event row and
	 * the counter were written): it reports the failure and the coupon is not issued. */
	CHECK_INT(exec_rw("CREATE TRIGGER audit_refuse BEFORE INSERT ON audit"
			  " BEGIN SELECT RAISE(ABORT, 'audit refused'); END"),
		  0);
	CHECK(store_coupon_issue(s, &r, &c) < 0);
	CHECK(h.push_rc < 0);
	CHECK(strstr(store_error(s), "audit") != NULL);
	CHECK_INT(peek("SELECT count(*) FROM coupons"), coupons);
	CHECK_INT(peek("SELECT count(*) FROM outbox"), events);
	/* A failed push leaves nothing in the caller's transaction: even a hook that ignored
	 * the failure commits a coupon without an event and without a burnt event number. */
	h.ignore_failure = 1;
	CHECK_INT(store_coupon_issue(s, &r, &c), 0);
	CHECK(h.push_rc < 0);
	CHECK_INT(peek("SELECT count(*) FROM coupons"), coupons + 1);
	CHECK_INT(peek("SELECT count(*) FROM outbox"), events);
	CHECK_INT(peek("SELECT value FROM counters WHERE name = 'outbox_seq'"), events);
	h.ignore_failure = 0;
	CHECK_INT(exec_rw("DROP TRIGGER audit_refuse"), 0);

	/* Back to normal: the next event takes the next number, no gap. */
	CHECK_INT(store_coupon_issue(s, &r, &c), 0);
	CHECK_INT(h.push_rc, 0);
	CHECK_INT(peek("SELECT count(*) FROM outbox"), events + 1);
	CHECK_INT(peek("SELECT max(seq) FROM outbox"), events + 1);
	CHECK_INT(peek("SELECT count(*) FROM outbox WHERE seq BETWEEN 1 AND (SELECT max(seq)"
		       " FROM outbox)"),
		  events + 1);
	cJSON_Delete(event_payload((uint64_t)events + 1, key, sizeof key));
	CHECK(uuid_valid(key));
	CHECK_INT(peek("SELECT count(*) FROM audit"), audits + 1);
	CHECK_INT(outbox_stats_get(s, NULL, &after), 0);
	CHECK_INT(after.next_seq, (uint64_t)events + 2);

	/* Bad input to the push: rejected, nothing written. */
	CHECK_INT(outbox_push(s, "", 1795302000, "{}", NULL), STORE_EINVAL);
	CHECK(strncmp(store_error(s), "type:", 5) == 0);
	CHECK_INT(outbox_push(s, "contact.updated", 0, "{}", NULL), STORE_EINVAL);
	CHECK_INT(outbox_push(s, "contact.updated", 1795302000, "[1,2]", NULL), STORE_EINVAL);
	CHECK(strncmp(store_error(s), "payload:", 8) == 0);
	CHECK_INT(outbox_push(s, "contact.updated", 1795302000, "{\"a\":1} x", NULL),
		  STORE_EINVAL);
	CHECK_INT(outbox_push(s, "contact.updated", 1795302000, NULL, NULL), STORE_EINVAL);
	CHECK_INT(outbox_push(s, "contact.updated", 1795302000, "{\"a\":\n1}", NULL),
		  STORE_EINVAL);
	CHECK_INT(outbox_push(s, "contact.updated", 1795302000, "{\"a\":\"\xc3\"}", NULL),
		  STORE_EINVAL);
	CHECK_INT(outbox_push(s, "Contact Updated", 1795302000, "{}", NULL), STORE_EINVAL);
	CHECK_INT(outbox_push(s, "a.very.long.event.type.name.over.31", 1795302000, "{}", NULL),
		  STORE_EINVAL);
	CHECK_INT(outbox_push_coupon(s, &c, NULL), STORE_EINVAL);
	/* the writer knows the kinds in its encoder table and no others; a kind's encoder
	 * refuses a subject it cannot encode; neither leaves a row or an audit line */
	CHECK_INT(outbox_write(s, "payment.unknown", &c), STORE_EINVAL);
	CHECK_STR(store_error(s), "outbox: no encoder for this event type");
	CHECK_INT(outbox_write(s, NULL, &c), STORE_EINVAL);
	CHECK_INT(outbox_write(s, OUTBOX_COUPON_ISSUED, NULL), STORE_EINVAL);
	CHECK_STR(store_error(s), "outbox: coupon event without a valid request");
	CHECK_INT(peek("SELECT count(*) FROM outbox"), events + 1);
	CHECK_INT(peek("SELECT count(*) FROM audit"), audits + 1);
	store_close(s);
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void test_uuid(void)
{
	enum { N = 2000 };
	static char keys[N][OUTBOX_KEY_LEN + 1];
	int valid = 0, dup = 0, v4 = 0;

	for (int i = 0; i < N; i++) {
		outbox_uuid4(keys[i]);
		valid += uuid_valid(keys[i]);
		v4 += keys[i][14] == '4';
	}
	CHECK_INT(valid, N);
	CHECK_INT(v4, N);
	qsort(keys, N, sizeof keys[0], key_cmp);
	for (int i = 1; i < N; i++)
		dup += strcmp(keys[i - 1], keys[i]) == 0;
	CHECK_INT(dup, 0);
}

/* Pushes n generic events in one transaction of the store; returns the first seq. */
static uint64_t push_many(struct store *s, int n, int64_t at)
{
	uint64_t first = 0, seq = 0;
	int ok = 0;

	CHECK_INT(store_exec(s, "BEGIN IMMEDIATE"), 0);
	for (int i = 0; i < n; i++) {
		char payload[64];

		snprintf(payload, sizeof payload, "{\"i\":%d}", i);
		ok += outbox_push(s, "test.event", at + i, payload, &seq) == 0;
		if (i == 0)
			first = seq;
	}
	CHECK_INT(store_exec(s, "COMMIT"), 0);
	CHECK_INT(ok, n);
	CHECK_INT(seq, first + (uint64_t)n - 1);
	return first;
}

static void test_state_machine(void)
{
	struct store *s = open_store();
	struct outbox *o = open_outbox();
	struct outbox_event *ev = NULL;
	struct outbox_stats st;
	uint64_t first, seq = 0;
	int n = -1;
	char k0[40], k1[40], k2[40], k3[40];

	CHECK(s != NULL && o != NULL);
	if (!s || !o)
		goto out;
	/* Drain what earlier tests left, so this test starts from an empty queue. */
	for (;;) {
		CHECK_INT(outbox_claim(o, OUTBOX_BATCH_MAX, &ev, &n), 0);
		if (n <= 0)
			break;
		for (int i = 0; i < n; i++)
			CHECK_INT(outbox_ack(o, ev[i].key, 1795400000), 0);
		outbox_events_free(ev, n);
	}
	CHECK(ev == NULL);
	CHECK_INT(outbox_stats_get(NULL, o, &st), 0);
	CHECK_INT(st.pending, 0);
	CHECK_INT(st.oldest_unsynced, 0);

	/* A push outside any transaction is a transaction of its own. */
	CHECK_INT(outbox_push(s, "contact.updated", 1795400100, "{\"x\":1}", &seq), 0);
	CHECK_INT(seq, st.next_seq);
	first = push_many(s, 3, 1795400101);
	CHECK_INT(first, seq + 1);

	CHECK_INT(outbox_claim(o, 2, &ev, &n), 0);
	CHECK_INT(n, 2);
	if (n != 2)
		goto out;
	CHECK_INT(ev[0].seq, seq);
	CHECK_INT(ev[1].seq, seq + 1);
	CHECK_STR(ev[0].type, "contact.updated");
	CHECK_STR(ev[0].payload, "{\"x\":1}");
	CHECK_INT(ev[0].at, 1795400100);
	CHECK_INT(ev[0].attempts, 0);
	CHECK(uuid_valid(ev[0].key) && uuid_valid(ev[1].key));
	CHECK(strcmp(ev[0].key, ev[1].key) != 0);
	snprintf(k0, sizeof k0, "%s", ev[0].key);
	snprintf(k1, sizeof k1, "%s", ev[1].key);
	outbox_events_free(ev, n);
	CHECK_INT(state_of(k0), OUTBOX_IN_FLIGHT);
	CHECK_INT(state_of(k1), OUTBOX_IN_FLIGHT);

	/* In flight counts as queued. */
	CHECK_INT(outbox_stats_get(NULL, o, &st), 0);
	CHECK_INT(st.pending, 4);
	CHECK_INT(st.oldest_unsynced, 1795400100);

	/* ack: done once; again changes nothing. */
	CHECK_INT(outbox_ack(o, k0, 1795400200), 0);
	CHECK_INT(state_of(k0), OUTBOX_ACKED);
	{
		char sql[128];

		snprintf(sql, sizeof sql, "SELECT acked_at FROM outbox WHERE key = '%s'", k0);
		CHECK_INT(peek(sql), 1795400200);
		CHECK_INT(outbox_ack(o, k0, 1795400300), 0);
		CHECK_INT(peek(sql), 1795400200);
		/* A late dead or release for an acked key changes nothing either. */
		CHECK_INT(outbox_dead(o, k0, "late", 1795400300), 0);
		CHECK_INT(outbox_release(o, k0), 0);
		CHECK_INT(state_of(k0), OUTBOX_ACKED);
		CHECK_INT(attempts_of(k0), 0);
	}

	/* release: back to pending, attempts + 1, and claimed again in seq order. */
	CHECK_INT(outbox_release(o, k1), 0);
	CHECK_INT(state_of(k1), OUTBOX_PENDING);
	CHECK_INT(attempts_of(k1), 1);
	CHECK_INT(outbox_release(o, k1), 0); /* not in flight any more: nothing */
	CHECK_INT(attempts_of(k1), 1);
	/* ack of a key that is pending (not claimed) changes nothing. */
	CHECK_INT(outbox_ack(o, k1, 1795400400), 0);
	CHECK_INT(state_of(k1), OUTBOX_PENDING);
	/* Unknown but well-formed key: nothing; malformed: rejected. */
	CHECK_INT(outbox_ack(o, "00000000-0000-4000-8000-000000000000", 1795400400), 0);
	CHECK_INT(outbox_ack(o, "not-a-key", 1795400400), STORE_EINVAL);
	CHECK(strncmp(outbox_error(o), "key:", 4) == 0);
	CHECK_INT(outbox_ack(o, NULL, 1795400400), STORE_EINVAL);
	CHECK_INT(outbox_dead(o, "ABCDEFAB-0000-4000-8000-000000000000", "x", 1), STORE_EINVAL);
	CHECK_INT(outbox_release(o, ""), STORE_EINVAL);

	CHECK_INT(outbox_claim(o, 10, &ev, &n), 0);
	CHECK_INT(n, 3);
	if (n != 3)
		goto out;
	CHECK_STR(ev[0].key, k1);
	CHECK_INT(ev[0].attempts, 1);
	CHECK_INT(ev[1].seq, first + 1);
	CHECK_INT(ev[2].seq, first + 2);
	snprintf(k2, sizeof k2, "%s", ev[1].key);
	snprintf(k3, sizeof k3, "%s", ev[2].key);
	outbox_events_free(ev, n);

	/* dead: kept with the reason; idempotent; a second reason does not overwrite. */
	CHECK_INT(outbox_dead(o, k2, "payload.seq: duplicate of another coupon", 1795400500), 0);
	CHECK_INT(state_of(k2), OUTBOX_DEAD);
	CHECK_INT(outbox_dead(o, k2, "other", 1795400600), 0);
	CHECK_INT(outbox_ack(o, k2, 1795400600), 0);
	CHECK_INT(state_of(k2), OUTBOX_DEAD);
	CHECK_INT(outbox_dead(o, k3, NULL, 1795400500), 0);
	CHECK_INT(outbox_ack(o, k1, 1795400500), 0);
	CHECK_INT(state_of(k1), OUTBOX_ACKED);

	{
		struct outbox_dead_letter *dl = NULL;
		int nd = -1;

		CHECK_INT(outbox_dead_list(o, 10, &dl, &nd), 0);
		CHECK_INT(nd, 2);
		if (nd == 2) {
			CHECK_STR(dl[0].key, k3); /* newest first */
			CHECK_STR(dl[0].reason, "no reason given");
			CHECK_STR(dl[0].type, "test.event");
			CHECK_INT(dl[0].at, 1795400103);
			CHECK_STR(dl[1].key, k2);
			CHECK_STR(dl[1].reason, "payload.seq: duplicate of another coupon");
			CHECK_INT(dl[1].at, 1795400102);
		}
		free(dl);
		CHECK_INT(outbox_dead_list(o, 1, &dl, &nd), 0);
		CHECK_INT(nd, 1);
		if (nd == 1)
			CHECK_STR(dl[0].key, k3);
		free(dl);
		CHECK_INT(outbox_dead_list(o, 0, &dl, &nd), STORE_EINVAL);
	}

	/* Nothing is deleted: every row is still there. */
	CHECK_INT(outbox_stats_get(s, NULL, &st), 0);
	CHECK_INT(st.pending, 0);
	CHECK_INT(st.dead, 2);
	CHECK_INT(st.oldest_unsynced, 0);
	CHECK_INT(st.acked + st.dead, (long long)st.next_seq - 1);
	CHECK_INT(peek("SELECT count(*) FROM outbox"), (long long)st.next_seq - 1);

	CHECK_INT(outbox_claim(o, 0, &ev, &n), STORE_EINVAL);
	CHECK_INT(outbox_claim(o, 5, &ev, &n), 0);
	CHECK_INT(n, 0);
	CHECK(ev == NULL);
out:
	outbox_close(o);
	store_close(s);
}

/* A worker dies between claim and ack: its batch goes out again, same keys, same order. */
static void test_crash_recovery(void)
{
	struct store *s = open_store();
	struct outbox *o = open_outbox(), *o2 = NULL;
	struct outbox_event *ev = NULL, *ev2 = NULL;
	int n = 0, n2 = 0;
	uint64_t first;

	CHECK(s != NULL && o != NULL);
	if (!s || !o)
		goto out;
	first = push_many(s, 5, 1795500000);
	CHECK_INT(outbox_claim(o, 3, &ev, &n), 0);
	CHECK_INT(n, 3);
	CHECK_INT(ev[0].seq, first);
	/* The same handle does not take back its own batch on a later claim. */
	CHECK_INT(outbox_claim(o, 10, &ev2, &n2), 0);
	CHECK_INT(n2, 2);
	if (n2 == 2)
		CHECK_INT(ev2[0].seq, first + 3);
	outbox_events_free(ev2, n2);
	ev2 = NULL;
	/* A second handle (a status reader) only reading does not disturb the batch. */
	o2 = open_outbox();
	CHECK(o2 != NULL);
	{
		struct outbox_stats st;

		CHECK_INT(outbox_stats_get(NULL, o2, &st), 0);
		CHECK_INT(st.pending, 5);
	}
	outbox_close(o2);
	o2 = NULL;
	CHECK_INT(peek("SELECT count(*) FROM outbox WHERE state = 1"), 5);

	outbox_close(o); /* "crash": no ack, no release */
	o = open_outbox();
	CHECK(o != NULL);
	if (!o)
		goto out;
	CHECK_INT(peek("SELECT count(*) FROM outbox WHERE state = 1"), 5); /* open alone: no change */
	CHECK_INT(outbox_claim(o, 10, &ev2, &n2), 0);
	CHECK_INT(n2, 5);
	if (n == 3 && n2 == 5) {
		for (int i = 0; i < 3; i++) {
			CHECK_STR(ev2[i].key, ev[i].key);
			CHECK_INT(ev2[i].seq, ev[i].seq);
			CHECK_STR(ev2[i].payload, ev[i].payload);
		}
	}
	for (int i = 0; i < n2; i++)
		CHECK_INT(outbox_ack(o, ev2[i].key, 1795500100), 0);
	CHECK_INT(peek("SELECT count(*) FROM outbox WHERE state IN (0, 1)"), 0);
out:
	outbox_events_free(ev, n);
	outbox_events_free(ev2, n2);
	outbox_close(o);
	store_close(s);
}

static void test_batches_and_stats(void)
{
	struct store *s = open_store();
	struct outbox *o = open_outbox();
	struct outbox_event *ev = NULL;
	struct outbox_stats st, st2;
	uint64_t first, expect;
	int n = 0, total = 0, ordered = 1;

	CHECK(s != NULL && o != NULL);
	if (!s || !o)
		goto out;
	CHECK_INT(outbox_stats_get(s, NULL, &st), 0);
	CHECK_INT(st.last_sync, 0);
	first = push_many(s, 250, 1795600000);
	CHECK_INT(first, st.next_seq);
	CHECK_INT(outbox_stats_get(s, NULL, &st), 0);
	CHECK_INT(st.pending, 250);
	CHECK_INT(st.oldest_unsynced, 1795600000);
	CHECK_INT(st.next_seq, first + 250);
	/* Both handles see the same thing. */
	CHECK_INT(outbox_stats_get(NULL, o, &st2), 0);
	CHECK(memcmp(&st, &st2, sizeof st) == 0);
	CHECK_INT(outbox_stats_get(s, o, &st2), STORE_EINVAL);
	CHECK_INT(outbox_stats_get(NULL, NULL, &st2), STORE_EINVAL);

	/* At most OUTBOX_BATCH_MAX per claim whatever is asked, oldest first, no gaps. */
	expect = first;
	for (int round = 0; round < 4; round++) {
		CHECK_INT(outbox_claim(o, 1000, &ev, &n), 0);
		CHECK(n <= OUTBOX_BATCH_MAX);
		if (round < 2)
			CHECK_INT(n, OUTBOX_BATCH_MAX);
		else if (round == 2)
			CHECK_INT(n, 50);
		else
			CHECK_INT(n, 0);
		for (int i = 0; i < n; i++) {
			ordered &= ev[i].seq == expect++;
			/* The first batch is acknowledged; the rest stay in flight. */
			if (round == 0)
				CHECK_INT(outbox_ack(o, ev[i].key, 1795600500), 0);
		}
		total += n;
		outbox_events_free(ev, n);
		ev = NULL;
		if (round == 0) {
			CHECK_INT(outbox_stats_get(NULL, o, &st), 0);
			CHECK_INT(st.pending, 150);
			CHECK_INT(st.oldest_unsynced, 1795600100);
		}
	}
	CHECK_INT(total, 250);
	CHECK(ordered);
	CHECK_INT(outbox_stats_get(NULL, o, &st), 0);
	CHECK_INT(st.pending, 150); /* in flight is still unsynced */
	CHECK_INT(st.oldest_unsynced, 1795600100);

	CHECK_INT(outbox_mark_sync(o, 1795600600), 0);
	CHECK_INT(outbox_stats_get(s, NULL, &st), 0);
	CHECK_INT(st.last_sync, 1795600600);
	CHECK_INT(outbox_mark_sync(o, 1795600700), 0);
	CHECK_INT(outbox_stats_get(NULL, o, &st), 0);
	CHECK_INT(st.last_sync, 1795600700);
	CHECK_INT(peek("SELECT count(*) FROM meta WHERE key = 'last_sync'"), 1);
out:
	outbox_close(o);
	store_close(s);
}

/* The server's reason is outside input: bounded, cut on a character, no control bytes. */
static void test_dead_reason(void)
{
	struct store *s = open_store();
	struct outbox *o = open_outbox();
	struct outbox_event *ev = NULL;
	struct outbox_dead_letter *dl = NULL;
	char longr[400];
	int n = 0, nd = 0;

	CHECK(s != NULL && o != NULL);
	if (!s || !o)
		goto out;
	push_many(s, 2, 1795700000);
	CHECK_INT(outbox_claim(o, 2, &ev, &n), 0);
	CHECK_INT(n, 2);
	if (n != 2)
		goto out;
	/* 198 ASCII bytes then "é" (2 bytes) would end at byte 200: it must not be split. */
	memset(longr, 'a', 198);
	snprintf(longr + 198, sizeof longr - 198, "\xc3\xa9 and more");
	CHECK_INT(outbox_dead(o, ev[0].key, longr, 1795700100), 0);
	CHECK_INT(outbox_dead(o, ev[1].key, "line\none\x01", 1795700100), 0);
	CHECK_INT(outbox_dead_list(o, 2, &dl, &nd), 0);
	CHECK_INT(nd, 2);
	if (nd == 2) {
		CHECK_STR(dl[0].reason, "line one ");
		CHECK_INT(strlen(dl[1].reason), 198);
		CHECK(domain_text_ok(dl[1].reason, sizeof dl[1].reason));
	}
	free(dl);
out:
	outbox_events_free(ev, n);
	outbox_close(o);
	store_close(s);
}

/* ---- the unacknowledged total (store schema 5): a running total equal to the sum over
 * the queue's payloads after every kind of change ---- */

/* outbox_unsynced_cop and the payload scan agree, and equal want. */
static void check_total(struct store *s, long long want, int line)
{
	int64_t fast = -1, scan = -2;

	if (outbox_unsynced_cop(s, &fast) != 0 || outbox_unsynced_cop_scan(s, &scan) != 0 ||
	    fast != scan || fast != want) {
		check_fail_++;
		fprintf(stderr, "%s:%d: unsynced total %lld, payload scan %lld, want %lld (%s)\n",
			__FILE__, line, (long long)fast, (long long)scan, want, store_error(s));
	} else {
		check_pass_++;
	}
}
#define CHECK_TOTAL(s, want) check_total((s), (want), __LINE__)

static void test_unsynced_totals(void)
{
	struct hook_ctl h = {0};
	struct coupon_request r = base_request();
	struct store *s;
	struct outbox *o = NULL;
	struct outbox_event *ev = NULL;
	struct coupon c;
	char saved[sizeof dbpath], sql[256];
	long long want = 0;
	int n = 0;

	snprintf(saved, sizeof saved, "%s", dbpath);
	snprintf(dbpath, sizeof dbpath, "%s/totals.db", tmpdir);
	s = open_store();
	CHECK(s != NULL);
	if (!s)
		goto out;
	store_set_commit_hook(s, outbox_hook, &h);
	CHECK_TOTAL(s, 0);
	CHECK_INT(peek("SELECT count(*) FROM outbox_totals"), 1);
	/* enqueue: every coupon adds its amount, in its own transaction */
	for (int i = 0; i < 30; i++) {
		r.lines[0].pay.minor = r.lines[0].cop_minor = 100000 + 1000 * i;
		r.now = 1795302000 + i;
		CHECK_INT(store_coupon_issue(s, &r, &c), 0);
		want += c.amount.minor;
		CHECK_TOTAL(s, want);
	}
	/* a coupon rolled back by its hook adds nothing */
	h.fail_after = 1;
	CHECK(store_coupon_issue(s, &r, &c) < 0);
	h.fail_after = 0;
	CHECK_TOTAL(s, want);
	/* other event types do not count; a coupon.issued pushed by hand does, by its payload */
	CHECK_INT(outbox_push(s, "contact.updated", 1795302100, "{\"amount_minor\":5}", NULL), 0);
	CHECK_INT(outbox_push(s, "coupon.issued", 1795302100, "{\"amount_minor\":777}", NULL), 0);
	CHECK_INT(outbox_push(s, "coupon.issued", 1795302100, "{\"no_amount\":1}", NULL), 0);
	want += 777;
	CHECK_TOTAL(s, want);

	/* claims and releases keep events unacknowledged; acks and dead letters remove them */
	o = open_outbox();
	CHECK(o != NULL);
	if (!o)
		goto out;
	CHECK_INT(outbox_claim(o, 12, &ev, &n), 0);
	CHECK_INT(n, 12);
	CHECK_TOTAL(s, want);
	for (int i = 0; i < n; i++) {
		long long amount;

		snprintf(sql, sizeof sql,
			 "SELECT coalesce(json_extract(payload, '$.amount_minor'), 0) FROM outbox"
			 " WHERE key = '%s'", ev[i].key);
		amount = peek(sql);
		if (i < 5) {
			CHECK_INT(outbox_ack(o, ev[i].key, 1795302200), 0);
			want -= amount;
		} else if (i < 8) {
			CHECK_INT(outbox_dead(o, ev[i].key, "rejected", 1795302200), 0);
			want -= amount;
		} else if (i < 10) {
			CHECK_INT(outbox_release(o, ev[i].key), 0);
		} /* the last two stay in flight */
		CHECK_TOTAL(s, want);
	}
	/* a second answer to the same key changes nothing */
	CHECK_INT(outbox_ack(o, ev[0].key, 1795302300), 0);
	CHECK_INT(outbox_dead(o, ev[5].key, "again", 1795302300), 0);
	CHECK_TOTAL(s, want);
	/* a batch rolled back leaves the total as it was */
	CHECK_INT(outbox_batch_begin(o), 0);
	CHECK_INT(outbox_ack(o, ev[10].key, 1795302300), 0);
	CHECK_INT(outbox_batch_end(o, 0), 0);
	CHECK_TOTAL(s, want);
	outbox_events_free(ev, n);
	ev = NULL;
	n = 0;

	/* crash with a batch in flight, reopen: the same total; the recovery claim neither */
	CHECK_INT(outbox_claim(o, 7, &ev, &n), 0);
	outbox_events_free(ev, n);
	ev = NULL;
	n = 0;
	outbox_close(o);
	store_close(s);
	s = open_store();
	o = open_outbox();
	CHECK(s != NULL && o != NULL);
	if (!s || !o)
		goto out;
	CHECK_TOTAL(s, want);
	CHECK_INT(outbox_claim(o, 100, &ev, &n), 0);
	CHECK_TOTAL(s, want);
	CHECK_INT(outbox_batch_begin(o), 0);
	for (int i = 0; i < n; i++)
		CHECK_INT(outbox_ack(o, ev[i].key, 1795302400), 0);
	CHECK_INT(outbox_batch_end(o, 1), 0);
	CHECK_TOTAL(s, 0);
	outbox_events_free(ev, n);
	ev = NULL;
	n = 0;
	want = 0;

	/* The kiosk reads the running total, not the queue: a total set by hand is what it
	 * gets (the cost does not depend on the queue's length). */
	CHECK_INT(exec_rw("UPDATE outbox_totals SET amount_minor = 4242"), 0);
	{
		int64_t v = 0;

		CHECK_INT(outbox_unsynced_cop(s, &v), 0);
		CHECK_INT(v, 4242);
	}
	/* a missing or broken total falls back to the scan */
	CHECK_INT(exec_rw("UPDATE outbox_totals SET amount_minor = 1.5"), 0);
	CHECK_TOTAL(s, 0);
	CHECK_INT(exec_rw("DELETE FROM outbox_totals"), 0);
	CHECK_TOTAL(s, 0);
	{
		const uint8_t b[] = {1, 2};

		CHECK_INT(store_print_job_add(s, 3, "receipt-000003", 0, b, 2, b, 2, 1795302500, NULL), 0);
	}
	store_close(s);
	s = NULL;

	/* The migration: a version 4 database with events already queued starts its total
	 * from them. Version 5's objects are taken out and the version set back to 4; the
	 * pending events are put there without triggers. Version 7's audit chain goes too, so
	 * the migration chains the rows already there. */
	CHECK_INT(exec_rw("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"
			  " ALTER TABLE audit DROP COLUMN result; ALTER TABLE audit DROP COLUMN prev;"
			  " ALTER TABLE audit DROP COLUMN hash;"), 0);
	CHECK_INT(exec_rw("DROP TRIGGER outbox_totals_insert; DROP TRIGGER outbox_totals_leave;"
			  " DROP TRIGGER outbox_totals_enter; DROP TRIGGER outbox_totals_delete;"
			  " DROP TABLE outbox_totals; DROP TABLE print_job_bytes;"
			  " ALTER TABLE print_jobs DROP COLUMN pruned_at;"
			  " ALTER TABLE print_jobs ADD COLUMN data BLOB NOT NULL DEFAULT x'00';"
			  " ALTER TABLE print_jobs ADD COLUMN copy_data BLOB NOT NULL DEFAULT x'00';"
			  " UPDATE print_jobs SET data = x'0a0b0c', copy_data = x'0d0e';"
			  " UPDATE outbox SET state = 0 WHERE seq % 3 = 0;"
			  " UPDATE outbox SET state = 1 WHERE seq % 7 = 0;"
			  SCHEMA_UNDO_9 " DROP INDEX coupons_by_issued_at;" /* version 8's */
			  " PRAGMA user_version = 4;"), 0);
	CHECK_INT(peek("PRAGMA user_version"), 4);
	want = peek("SELECT sum(json_extract(payload, '$.amount_minor')) FROM outbox"
		    " WHERE state IN (0, 1) AND type = 'coupon.issued'");
	CHECK(want > 0);
	s = open_store();
	CHECK(s != NULL);
	if (!s)
		goto out;
	CHECK_INT(store_schema_version(s), 9);
	CHECK_TOTAL(s, want);
	CHECK_INT(peek("SELECT events FROM outbox_totals"),
		  peek("SELECT count(*) FROM outbox WHERE state IN (0, 1) AND type = 'coupon.issued'"));
	/* the audit rows written before version 7 are chained, and the chain verifies */
	{
		int64_t rows = -1, bad = -1;
		char why[200];

		CHECK(peek("SELECT count(*) FROM audit") > 0);
		CHECK_INT(peek("SELECT count(*) FROM audit WHERE hash IS NULL OR result <> 'ok'"), 0);
		CHECK_INT(store_audit_verify(s, &rows, &bad, why, sizeof why), 0);
		CHECK_INT(rows, peek("SELECT count(*) FROM audit"));
		CHECK_INT(bad, 0);
	}
	/* the receipt bytes moved to print_job_bytes */
	{
		uint8_t *b = NULL;
		size_t bn = 0;

		CHECK_INT(store_print_job_copy_bytes(s, 3, &b, &bn), 0);
		CHECK(bn == 2 && b && b[0] == 0x0d && b[1] == 0x0e);
		free(b);
		CHECK_INT(peek("SELECT length(data) FROM print_job_bytes"), 3);
	}
out:
	outbox_events_free(ev, n);
	outbox_close(o);
	store_close(s);
	snprintf(dbpath, sizeof dbpath, "%s", saved);
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/recaudo-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(dbpath, sizeof dbpath, "%s/store.db", tmpdir);
	test_schema();
	test_open_errors();
	test_coupon_event();
	test_rollback();
	test_uuid();
	test_state_machine();
	test_crash_recovery();
	test_batches_and_stats();
	test_dead_reason();
	test_unsynced_totals();
	remove_tmpdir();
	return check_done();
}
