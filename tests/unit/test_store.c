/* test_store — the local store: schema and migrations, import and lookup, TRM, coupon issue
 * with its sequence and commit hook, validation messages, status, durability. */
#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "peek.h"
#include "tmpdir.h"
#include "audit.h"
#include "store.h"

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

static struct document mkdoc(const char *number, int32_t due, enum currency cur, int64_t balance)
{
	struct document d;

	memset(&d, 0, sizeof d);
	snprintf(d.number, sizeof d.number, "%s", number);
	snprintf(d.line, sizeof d.line, "Crédito de vehículo");
	snprintf(d.description, sizeof d.description, "Cuota de %s", number);
	d.due = due;
	d.cur = cur;
	d.invoice = balance;
	d.balance = balance;
	return d;
}

/* Runs SQL on a second connection and returns the first column of the first row. */
static long long peek(const char *sql) { return peek_db(dbpath, sql); }

static void test_open_empty(void)
{
	struct store *s = open_store();
	struct store_status st;
	struct portfolio p;
	sqlite3 *db;
	sqlite3_stmt *q;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_schema_version(s), 9);
	CHECK_INT(store_status_get(s, &st), 0);
	CHECK_INT(st.schema_version, 9);
	CHECK_INT(st.customers, 0);
	CHECK_INT(st.documents, 0);
	CHECK_INT(st.coupons_issued, 0);
	CHECK_INT(st.data_as_of, 0);
	CHECK_INT(st.next_seq, 1);
	CHECK_INT(st.last_coupon_at, 0);
	CHECK_INT(store_lookup(s, ID_CC, "1020304050", &p), 1);
	CHECK_INT(p.ndocs, 0);
	CHECK(p.docs == NULL);
	store_close(s);

	/* WAL is a property of the file: a fresh connection sees it. */
	CHECK(sqlite3_open(dbpath, &db) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(q) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(q, 0), "wal");
	sqlite3_finalize(q);
	sqlite3_close(db);

	/* Reopening runs no migration twice and keeps the version. */
	s = open_store();
	CHECK(s != NULL);
	CHECK_INT(store_schema_version(s), 9);
	store_close(s);
	s = open_store();
	CHECK_INT(store_schema_version(s), 9);
	store_close(s);
	CHECK_INT(peek("SELECT count(*) FROM counters"), 2); /* coupon_seq, outbox_seq */
}

static void test_open_errors(void)
{
	struct store *s = (struct store *)1;
	char err[256], p[160];
	FILE *f;

	snprintf(p, sizeof p, "%s/not-a-db", tmpdir);
	f = fopen(p, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("this is not an SQLite database, just a text file long enough to matter\n"
		      "......................................................................\n",
		      f);
		fclose(f);
	}
	CHECK(store_open(&s, p, err, sizeof err) < 0);
	CHECK(s == NULL);
	CHECK(strstr(err, "not-a-db") != NULL);
	CHECK(strstr(err, "not a database") != NULL);

	snprintf(p, sizeof p, "%s/no/such/dir/x.db", tmpdir);
	CHECK(store_open(&s, p, err, sizeof err) < 0);
	CHECK(s == NULL);
	CHECK(strstr(err, "cannot open") != NULL);
}

static void test_import_lookup(void)
{
	struct store *s = open_store();
	struct document d;
	struct portfolio p;
	struct store_status st;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_import_begin(s), 0);
	CHECK_INT(store_import_customer(s, ID_CC, "1020304050", "María Fernanda Núñez Ospina"), 0);
	/* Given out of order: lookup sorts by due date, then number. */
	d = mkdoc("B-2", 20261215, CUR_COP, 9640000);
	CHECK_INT(store_import_document(s, &d), 0);
	d = mkdoc("A-1", 20261115, CUR_COP, 18540000);
	CHECK_INT(store_import_document(s, &d), 0);
	d = mkdoc("C-3", 20261130, CUR_COP, 125000000);
	d.partial_ok = 1;
	d.min_partial = 5000000;
	d.invoice = 130000000;
	CHECK_INT(store_import_document(s, &d), 0);
	d = mkdoc("A-0", 20261215, CUR_COP, 100);
	CHECK_INT(store_import_document(s, &d), 0);
	CHECK_INT(store_import_customer(s, ID_CC, "52123456", "Luz Marina Cárdenas Pérez"), 0);
	CHECK_INT(store_import_customer(s, ID_NIT, "900123456", "Transportes Andinos S.A.S."), 0);
	d = mkdoc("USD-1", 20261205, CUR_USD, 245000);
	CHECK_INT(store_import_document(s, &d), 0);
	CHECK_INT(store_import_commit(s, 1795302000), 0);

	CHECK_INT(store_lookup(s, ID_CC, "1020304050", &p), 0);
	CHECK_INT(p.ndocs, 4);
	CHECK_STR(p.name, "María Fernanda Núñez Ospina");
	CHECK_STR(p.id_number, "1020304050");
	CHECK_INT(p.id_type, ID_CC);
	CHECK_INT(p.data_as_of, 1795302000);
	if (p.ndocs == 4) {
		CHECK_STR(p.docs[0].number, "A-1");
		CHECK_STR(p.docs[1].number, "C-3");
		CHECK_STR(p.docs[2].number, "A-0");
		CHECK_STR(p.docs[3].number, "B-2");
		CHECK_INT(p.docs[1].partial_ok, 1);
		CHECK_INT(p.docs[1].min_partial, 5000000);
		CHECK_INT(p.docs[1].invoice, 130000000);
		CHECK_INT(p.docs[1].balance, 125000000);
		CHECK_INT(p.docs[1].due, 20261130);
		CHECK_INT(p.docs[1].cur, CUR_COP);
		CHECK_STR(p.docs[1].line, "Crédito de vehículo");
		CHECK_STR(p.docs[1].description, "Cuota de C-3");
	}
	portfolio_free(&p);
	CHECK(p.docs == NULL && p.ndocs == 0);

	CHECK_INT(store_lookup(s, ID_CC, "52123456", &p), 0);
	CHECK_INT(p.ndocs, 0);
	portfolio_free(&p);
	CHECK_INT(store_lookup(s, ID_NIT, "900123456", &p), 0);
	CHECK_INT(p.ndocs, 1);
	if (p.ndocs == 1)
		CHECK_INT(p.docs[0].cur, CUR_USD);
	portfolio_free(&p);
	/* Same number under another type, and an unknown number. */
	CHECK_INT(store_lookup(s, ID_CE, "52123456", &p), 1);
	CHECK_INT(store_lookup(s, ID_CC, "99999999", &p), 1);
	CHECK_INT(store_lookup(s, ID_CC, "123456789012345678901234567890", &p), 1);

	/* A second import replaces the customer's documents and keeps the others. */
	CHECK_INT(store_import_begin(s), 0);
	CHECK_INT(store_import_customer(s, ID_CC, "1020304050", "María F. Núñez"), 0);
	d = mkdoc("Z-9", 20270101, CUR_COP, 5000);
	CHECK_INT(store_import_document(s, &d), 0);
	CHECK_INT(store_import_commit(s, 1795400000), 0);
	CHECK_INT(store_lookup(s, ID_CC, "1020304050", &p), 0);
	CHECK_INT(p.ndocs, 1);
	CHECK_STR(p.name, "María F. Núñez");
	CHECK_INT(p.data_as_of, 1795400000);
	portfolio_free(&p);
	CHECK_INT(store_status_get(s, &st), 0);
	CHECK_INT(st.customers, 3);
	CHECK_INT(st.documents, 2);
	CHECK_INT(st.data_as_of, 1795400000);
	store_close(s);
}

#define EXPECT_REJECT(call, msg)                                           \
	do {                                                               \
		CHECK_INT((call), STORE_EINVAL);                           \
		CHECK(strncmp(store_error(s), msg, strlen(msg)) == 0);     \
		if (strncmp(store_error(s), msg, strlen(msg)) != 0)        \
			fprintf(stderr, "  message: %s\n", store_error(s)); \
	} while (0)

static void test_import_validation(void)
{
	struct store *s = open_store();
	struct store_status before, after;
	struct document d;
	struct portfolio p;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_status_get(s, &before), 0);
	d = mkdoc("X-1", 20261130, CUR_COP, 100000);
	CHECK(store_import_document(s, &d) < 0); /* no import open */
	CHECK(strstr(store_error(s), "store_import_begin") != NULL);
	CHECK_INT(store_import_begin(s), 0);
	CHECK(store_import_begin(s) < 0);
	CHECK(store_import_document(s, &d) < 0); /* before any customer */
	CHECK(strstr(store_error(s), "before any customer") != NULL);
	EXPECT_REJECT(store_import_customer(s, ID_NIT, "90012345A", "X"), "id_number:");
	CHECK(strstr(store_error(s), "90012345A") == NULL);
	EXPECT_REJECT(store_import_customer(s, ID_CC, "123", "X"), "id_number:");
	EXPECT_REJECT(store_import_customer(s, ID_CC, "", "X"), "id_number:");
	EXPECT_REJECT(store_import_customer(s, (enum id_type)42, "1020304050", "X"), "id_type:");
	EXPECT_REJECT(store_import_customer(s, ID_CC, "1020304050", ""), "name:");
	EXPECT_REJECT(store_import_customer(s, ID_CC, "1020304050", "bad\x01name"), "name:");
	EXPECT_REJECT(store_import_customer(s, ID_CC, "1020304050", "bad \xc3 utf8"), "name:");
	/* A customer written in this import, then a series of bad documents for it. */
	CHECK_INT(store_import_customer(s, ID_CC, "1020304050", "María"), 0);
	d = mkdoc("X-1", 20261130, CUR_COP, 0);
	EXPECT_REJECT(store_import_document(s, &d), "balance:");
	d = mkdoc("X-1", 20261130, CUR_COP, -5);
	EXPECT_REJECT(store_import_document(s, &d), "balance:");
	d = mkdoc("X-1", 20261130, CUR_COP, 100000);
	d.invoice = 99999;
	EXPECT_REJECT(store_import_document(s, &d), "invoice:");
	d = mkdoc("X-1", 20261131, CUR_COP, 100000);
	EXPECT_REJECT(store_import_document(s, &d), "due:");
	d = mkdoc("X-1", 20261130, (enum currency)978, 100000);
	EXPECT_REJECT(store_import_document(s, &d), "currency:");
	d = mkdoc("", 20261130, CUR_COP, 100000);
	EXPECT_REJECT(store_import_document(s, &d), "number:");
	d = mkdoc("X-1", 20261130, CUR_COP, 100000);
	d.line[0] = '\0';
	EXPECT_REJECT(store_import_document(s, &d), "line:");
	d = mkdoc("X-1", 20261130, CUR_COP, 100000);
	d.partial_ok = 1;
	d.min_partial = 0;
	EXPECT_REJECT(store_import_document(s, &d), "min_partial:");
	d.partial_ok = 0;
	d.min_partial = 50;
	EXPECT_REJECT(store_import_document(s, &d), "min_partial:");
	d = mkdoc("X-1", 20261130, CUR_COP, INT64_C(9000000000000001));
	d.invoice = d.balance;
	EXPECT_REJECT(store_import_document(s, &d), "balance:");
	/* the most one coupon carries (money_limits.h): 9.999.999.999.999 pesos, USD 9,999,999.99 */
	d = mkdoc("X-1", 20261130, CUR_COP, INT64_C(999999999999900) + 100);
	d.invoice = d.balance;
	EXPECT_REJECT(store_import_document(s, &d), "balance:");
	d = mkdoc("X-1", 20261130, CUR_USD, INT64_C(1000000000));
	d.invoice = d.balance;
	EXPECT_REJECT(store_import_document(s, &d), "balance:");
	d = mkdoc("X-1", 20261130, CUR_COP, 100000);
	CHECK_INT(store_import_document(s, &d), 0);
	EXPECT_REJECT(store_import_document(s, &d), "number:"); /* duplicate for the customer */
	{
		struct trm t = { 401235, 20261120, 20261119 };

		EXPECT_REJECT(store_import_trm(s, &t), "valid_to:");
		t.valid_to = 20261123;
		t.cop_minor_per_usd = 0;
		EXPECT_REJECT(store_import_trm(s, &t), "cop_per_usd:");
	}
	store_import_abort(s);
	store_import_abort(s); /* harmless twice */

	/* Nothing of the aborted import is there. */
	CHECK_INT(store_status_get(s, &after), 0);
	CHECK_INT(after.customers, before.customers);
	CHECK_INT(after.documents, before.documents);
	CHECK_INT(after.data_as_of, before.data_as_of);
	CHECK_INT(store_lookup(s, ID_CC, "1020304050", &p), 0);
	CHECK_INT(p.ndocs, 1);
	portfolio_free(&p);

	/* A failing commit rolls back by itself. */
	CHECK_INT(store_import_begin(s), 0);
	CHECK_INT(store_import_customer(s, ID_CC, "77777777", "Nadie"), 0);
	CHECK_INT(store_import_commit(s, 0), STORE_EINVAL);
	CHECK_INT(store_lookup(s, ID_CC, "77777777", &p), 1);
	/* The commit that keeps data_as_of: it commits, and refuses without an import. */
	CHECK_INT(store_import_commit_keep(s), STORE_ERR);
	CHECK_STR(store_error(s), "import: store_import_begin was not called");
	CHECK_INT(store_import_begin(s), 0);
	CHECK_INT(store_import_customer(s, ID_CC, "77777777", "Nadie"), 0);
	CHECK_INT(store_import_commit_keep(s), 0);
	CHECK_INT(store_lookup(s, ID_CC, "77777777", &p), 0);
	portfolio_free(&p);
	CHECK_INT(store_status_get(s, &after), 0);
	CHECK_INT(after.customers, before.customers + 1);
	CHECK_INT(after.data_as_of, before.data_as_of);
	CHECK_INT(store_import_commit_keep(s), STORE_ERR); /* the import is over */
	before = after;
	CHECK_INT(store_import_begin(s), 0); /* the handle is usable again */
	store_close(s);                      /* and close aborts an open import */
	s = open_store();
	CHECK(s != NULL);
	CHECK_INT(store_status_get(s, &after), 0);
	CHECK_INT(after.customers, before.customers);
	store_close(s);
}

static void test_trm(void)
{
	struct store *s = open_store();
	struct trm t, a = { 398710, 20261113, 20261119 }, b = { 401235, 20261120, 20271231 },
		      c = { 405000, 20261201, 20261203 };

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_trm_for_date(s, 20261122, &t), 1);
	CHECK_INT(store_import_begin(s), 0);
	CHECK_INT(store_import_trm(s, &a), 0);
	CHECK_INT(store_import_trm(s, &b), 0);
	CHECK_INT(store_import_trm(s, &c), 0);
	CHECK_INT(store_import_commit(s, 1795302000), 0);
	CHECK_INT(store_trm_for_date(s, 20261112, &t), 1);
	CHECK_INT(t.cop_minor_per_usd, 0);
	CHECK_INT(store_trm_for_date(s, 20261113, &t), 0);
	CHECK_INT(t.cop_minor_per_usd, 398710);
	CHECK_INT(store_trm_for_date(s, 20261119, &t), 0);
	CHECK_INT(t.cop_minor_per_usd, 398710);
	CHECK_INT(store_trm_for_date(s, 20261122, &t), 0);
	CHECK_INT(t.cop_minor_per_usd, 401235);
	CHECK_INT(t.valid_from, 20261120);
	CHECK_INT(t.valid_to, 20271231);
	/* Overlap: the latest valid_from wins. */
	CHECK_INT(store_trm_for_date(s, 20261202, &t), 0);
	CHECK_INT(t.cop_minor_per_usd, 405000);
	CHECK_INT(store_trm_for_date(s, 20271231, &t), 0);
	CHECK_INT(t.cop_minor_per_usd, 401235);
	CHECK_INT(store_trm_for_date(s, 20280101, &t), 1);
	/* Re-importing a valid_from replaces that rate. */
	b.cop_minor_per_usd = 401300;
	CHECK_INT(store_import_begin(s), 0);
	CHECK_INT(store_import_trm(s, &b), 0);
	CHECK_INT(store_import_commit(s, 1795302000), 0);
	CHECK_INT(store_trm_for_date(s, 20261122, &t), 0);
	CHECK_INT(t.cop_minor_per_usd, 401300);
	store_close(s);
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
	r.now = 1795302000;
	r.due = 20261130;
	r.nlines = 2;
	snprintf(r.lines[0].doc_number, sizeof r.lines[0].doc_number, "A-1");
	r.lines[0].pay = (struct money){ 18540000, CUR_COP };
	r.lines[0].cop_minor = 18540000;
	snprintf(r.lines[1].doc_number, sizeof r.lines[1].doc_number, "C-3");
	r.lines[1].pay = (struct money){ 5000000, CUR_COP };
	r.lines[1].cop_minor = 5000000;
	return r;
}

struct hook_probe {
	int calls;
	int fail;
	int64_t coupons_seen;     /* store_status inside the transaction */
	long long committed_seen; /* what another connection sees meanwhile */
	uint64_t seq;
	const struct coupon_request *req;
};

static int probe_hook(struct store *s, const struct coupon *c, const struct coupon_request *req,
		      void *user)
{
	struct hook_probe *h = user;
	struct store_status st;

	h->calls++;
	h->seq = c->seq;
	h->req = req;
	if (store_status_get(s, &st) == 0)
		h->coupons_seen = st.coupons_issued;
	h->committed_seen = peek("SELECT count(*) FROM coupons");
	return h->fail ? -1 : 0;
}

static void test_coupons(void)
{
	struct store *s = open_store();
	struct coupon_request r = base_request();
	struct coupon c[3], bad;
	struct store_status st, st2;
	struct hook_probe h = { 0 };
	int64_t before;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_status_get(s, &st), 0);
	before = st.coupons_issued;
	store_set_commit_hook(s, probe_hook, &h);
	for (int i = 0; i < 3; i++) {
		r.now = 1795302000 + i;
		CHECK_INT(store_coupon_issue(s, &r, &c[i]), 0);
		CHECK_INT(c[i].seq, (uint64_t)i + 1);
		CHECK_INT(strlen(c[i].reference), 15);
		CHECK(reference_valid(c[i].reference));
		CHECK(strncmp(c[i].reference, "0007", 4) == 0);
		CHECK_INT(c[i].amount.minor, 23540000);
		CHECK_INT(c[i].amount.cur, CUR_COP);
		CHECK_INT(c[i].kiosk_id, 7);
		CHECK_INT(c[i].due, 20261130);
		CHECK_INT(c[i].issued_at, 1795302000 + i);
		CHECK_INT(c[i].has_trm, 0);
		/* The hook ran inside the transaction: it saw the new row, others did not. */
		CHECK_INT(h.calls, i + 1);
		CHECK_INT(h.seq, (uint64_t)i + 1);
		CHECK(h.req == &r); /* the caller's request, for the event payload */
		CHECK_INT(h.coupons_seen, before + i + 1);
		CHECK_INT(h.committed_seen, before + i);
	}
	CHECK(strcmp(c[0].reference, c[1].reference) != 0);
	CHECK(strcmp(c[1].reference, c[2].reference) != 0);
	CHECK(strcmp(c[0].reference, c[2].reference) != 0);

	/* A failing hook rolls everything back and leaves *out alone. */
	CHECK_INT(store_status_get(s, &st), 0);
	h.fail = 1;
	memset(&bad, 0xab, sizeof bad);
	CHECK(store_coupon_issue(s, &r, &bad) < 0);
	CHECK(strstr(store_error(s), "commit hook") != NULL);
	CHECK_INT(bad.seq, UINT64_C(0xabababababababab));
	CHECK_INT(store_status_get(s, &st2), 0);
	CHECK_INT(st2.coupons_issued, st.coupons_issued);
	CHECK_INT(st2.next_seq, st.next_seq);
	CHECK_INT(st2.last_coupon_at, st.last_coupon_at);
	CHECK_INT(peek("SELECT count(*) FROM coupon_lines"), 6);
	h.fail = 0;
	store_set_commit_hook(s, NULL, NULL);

	/* USD at the TRM: the amount is COP, the TRM is kept. */
	r = base_request();
	r.kind = "phone";
	r.nlines = 2;
	r.has_trm = 1;
	r.trm = (struct trm){ 401235, 20261120, 20271231 };
	snprintf(r.lines[1].doc_number, sizeof r.lines[1].doc_number, "USD-1");
	r.lines[1].pay = (struct money){ 245000, CUR_USD };
	r.lines[1].cop_minor = trm_usd_to_cop(245000, &r.trm);
	CHECK_INT(r.lines[1].cop_minor, 983025800); /* 2,450.00 x 4,012.35 = 9,830,257.5 */
	CHECK_INT(store_coupon_issue(s, &r, &c[0]), 0);
	CHECK_INT(c[0].seq, 4); /* the rolled-back number was not burnt */
	CHECK_INT(c[0].amount.minor, 18540000 + 983025800);
	CHECK_INT(c[0].has_trm, 1);
	CHECK_INT(c[0].trm.cop_minor_per_usd, 401235);
	CHECK_INT(peek("SELECT trm_cop_minor_per_usd FROM coupons WHERE seq = 4"), 401235);
	CHECK_INT(peek("SELECT count(*) FROM coupon_lines"), 8);

	CHECK_INT(store_status_get(s, &st), 0);
	CHECK_INT(st.coupons_issued, 4);
	CHECK_INT(st.next_seq, 5);
	CHECK_INT(st.last_coupon_at, 1795302000);
	store_close(s);

	/* Durability: all of it is there after reopening, and the sequence goes on. */
	s = open_store();
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_status_get(s, &st), 0);
	CHECK_INT(st.coupons_issued, 4);
	CHECK_INT(st.next_seq, 5);
	r = base_request();
	CHECK_INT(store_coupon_issue(s, &r, &c[1]), 0);
	CHECK_INT(c[1].seq, 5);
	CHECK_INT(peek("SELECT count(DISTINCT reference) FROM coupons"), 5);
	store_close(s);
}

#define EXPECT_BAD(mutate, msg)                                                        \
	do {                                                                           \
		struct coupon_request r_ = base_request();                             \
		struct coupon c_;                                                      \
		r = &r_;                                                               \
		mutate;                                                                \
		CHECK_INT(store_coupon_issue(s, &r_, &c_), STORE_EINVAL);              \
		CHECK(strstr(store_error(s), msg) != NULL);                            \
		if (!strstr(store_error(s), msg))                                      \
			fprintf(stderr, "  message: %s (want %s)\n", store_error(s), msg); \
	} while (0)

static void test_coupon_validation(void)
{
	struct store *s = open_store();
	struct coupon_request *r;
	struct store_status before, after;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_status_get(s, &before), 0);
	EXPECT_BAD(r->kind = "cash", "kind:");
	EXPECT_BAD(r->kind = NULL, "kind:");
	EXPECT_BAD(r->nlines = 0, "nlines:");
	EXPECT_BAD(r->nlines = COUPON_MAX_DOCS + 1, "nlines:");
	EXPECT_BAD(r->kiosk_id = 0, "kiosk_id:");
	EXPECT_BAD(r->ref_length = 9, "ref_length:");
	EXPECT_BAD(r->due = 20261131, "due:");
	EXPECT_BAD(r->now = 0, "now:");
	EXPECT_BAD(snprintf(r->id_number, sizeof r->id_number, "12AB"), "id_number:");
	EXPECT_BAD((r->lines[0].pay.minor = 0, r->lines[0].cop_minor = 0), "lines[0].pay:");
	EXPECT_BAD((r->lines[1].pay.minor = -100, r->lines[1].cop_minor = -100), "lines[1].pay:");
	EXPECT_BAD(r->lines[1].cop_minor = 1, "lines[1].cop_minor:");
	EXPECT_BAD(r->lines[1].doc_number[0] = '\0', "lines[1].doc_number:");
	EXPECT_BAD(snprintf(r->lines[1].doc_number, 32, "A-1"), "lines[1].doc_number:");
	EXPECT_BAD(r->lines[1].pay.cur = (enum currency)978, "lines[1].pay:");
	EXPECT_BAD(r->lines[1].pay.cur = CUR_USD, "lines[1]: a USD document needs");
	EXPECT_BAD((r->has_trm = 1, r->trm = (struct trm){ 401235, 20261120, 20271231 }),
		   "has_trm:");
	EXPECT_BAD((r->has_trm = 1, r->trm = (struct trm){ 401235, 20250101, 20250131 },
		    r->lines[1].pay.cur = CUR_USD,
		    r->lines[1].cop_minor = trm_usd_to_cop(r->lines[1].pay.minor, &r->trm)),
		   "trm: not in force");
	CHECK(strstr(store_error(s), "1020304050") == NULL);
	CHECK_INT(store_status_get(s, &after), 0);
	CHECK_INT(after.coupons_issued, before.coupons_issued);
	CHECK_INT(after.next_seq, before.next_seq);
	store_close(s);
}

/* Print jobs: pending -> sent -> printed | failed, the newest per coupon, the copy's bytes. */
static void test_print_jobs(void)
{
	struct store *s = open_store();
	struct store_print_job j;
	int64_t id1, id2;
	const uint8_t a[] = {0x1b, 0x40, 'A'}, acopy[] = {0x1b, 0x40, 'C', 'O', 'P', 'I', 'A'};
	uint8_t *bytes;
	size_t n;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_print_job_last(s, &j), 1);
	CHECK_INT(store_print_job_add(s, 7, "receipt-000007", 0, a, sizeof a, acopy, sizeof acopy, 1000, &id1), 0);
	CHECK_INT(store_print_job_last(s, &j), 0);
	CHECK_INT(j.id, id1);
	CHECK_STR(j.state, "pending");
	CHECK_INT(j.coupon_seq, 7);
	CHECK_INT(store_print_job_set(s, id1, "sent", NULL, 1001), 0);
	CHECK_INT(store_print_job_of(s, 7, &j), 0);
	CHECK_STR(j.state, "sent");
	CHECK_INT(j.updated_at, 1001);
	CHECK_INT(store_print_job_set(s, id1, "failed", "paper out", 1002), 0);
	CHECK_INT(store_print_job_of(s, 7, &j), 0);
	CHECK_STR(j.state, "failed");
	CHECK_STR(j.error, "paper out");
	/* a reprint is a new job of the same coupon, printing the copy */
	CHECK_INT(store_print_job_add(s, 7, "receipt-000007-copia", 1, acopy, sizeof acopy, acopy, sizeof acopy, 1003, &id2), 0);
	CHECK(id2 > id1);
	CHECK_INT(store_print_job_of(s, 7, &j), 0);
	CHECK_INT(j.id, id2);
	CHECK_INT(j.copy, 1);
	CHECK_INT(store_print_job_copy_bytes(s, 7, &bytes, &n), 0);
	CHECK_INT(n, sizeof acopy);
	CHECK(bytes && memcmp(bytes, acopy, n) == 0);
	free(bytes);
	CHECK_INT(store_print_job_copy_bytes(s, 8, &bytes, &n), 1);
	CHECK_INT(store_print_job_of(s, 8, &j), 1);
	/* bad input changes nothing */
	CHECK(store_print_job_set(s, id2, "burnt", NULL, 1004) < 0);
	CHECK(store_print_job_add(s, 9, "x", 0, a, 0, acopy, sizeof acopy, 1005, NULL) < 0);
	CHECK_INT(store_print_job_last(s, &j), 0);
	CHECK_INT(j.id, id2);
	CHECK_STR(j.state, "pending");
	store_close(s);
}

/* Jobs of any kind, keyed by (kind, ref): a test page has no coupon. */
static void test_print_kinds(void)
{
	struct store *s = open_store();
	struct store_print_job j;
	const uint8_t page[] = {0x1b, 0x40, 'T', 'E', 'S', 'T'};
	int64_t id;
	uint8_t *bytes;
	size_t n;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_print_job_record(s, "test", "20261122-100000", "test-20261122-100000", page, sizeof page,
					 NULL, 0, 2000, &id), 0);
	CHECK_INT(store_print_job_find(s, "test", "20261122-100000", &j), 0);
	CHECK_INT(j.id, id);
	CHECK_STR(j.kind, "test");
	CHECK_STR(j.ref, "20261122-100000");
	CHECK_INT(j.coupon_seq, 0);
	CHECK_INT(j.copy, 0);
	CHECK_INT(peek("SELECT count(*) FROM print_jobs WHERE kind = 'test' AND coupon_seq IS NULL"), 1);
	CHECK_INT(peek("SELECT length(copy_data) FROM print_job_bytes WHERE job_id = (SELECT max(id) FROM print_jobs)"), 0);
	/* receipts keep their keys: kind receipt or copy, ref the coupon */
	CHECK_INT(store_print_job_find(s, "copy", "7", &j), 0);
	CHECK_INT(j.coupon_seq, 7);
	CHECK_INT(j.copy, 1);
	CHECK_INT(store_print_job_find(s, "receipt", "7", &j), 0);
	CHECK_INT(j.copy, 0);
	CHECK_INT(store_print_job_find(s, "report", "2026-11-22", &j), 1);
	/* a test page is not a coupon's receipt */
	CHECK_INT(store_print_job_copy_bytes(s, 0, &bytes, &n), 1);
	CHECK_INT(store_print_job_of(s, 0, &j), 1);
	/* bad keys change nothing */
	CHECK_INT(store_print_job_record(s, "coupon", "1", "x", page, sizeof page, NULL, 0, 2001, NULL), STORE_EINVAL);
	CHECK(strstr(store_error(s), "receipt, copy, test, report, document") != NULL);
	CHECK_INT(store_print_job_record(s, "report", "", "x", page, sizeof page, NULL, 0, 2001, NULL), STORE_EINVAL);
	CHECK_INT(store_print_job_record(s, "report", "a b", "x", page, sizeof page, NULL, 0, 2001, NULL), STORE_EINVAL);
	CHECK_INT(store_print_job_add(s, 0, "x", 0, page, sizeof page, page, sizeof page, 2001, NULL), STORE_EINVAL);
	CHECK_INT(store_print_job_last(s, &j), 0);
	CHECK_INT(j.id, id);
	store_close(s);
}

/* A real schema-5 store (tests/unit/store-v5.sql, made by the kiosk before jobs had kinds)
 * migrates to 6: every job keeps its row, its bytes and its times; receipts become kind
 * receipt, reprints kind copy, ref the coupon; a reprint after the upgrade prints the same
 * stored copy. */
static void test_migrate_v5(void)
{
	char path[sizeof tmpdir + 16], fixture[512], saved[sizeof dbpath];
	const char *slash = strrchr(__FILE__, '/');
	struct store *s;
	struct store_print_job j;
	uint8_t *bytes = NULL;
	size_t n = 0;
	char *sql = NULL;
	sqlite3 *db = NULL;
	FILE *f;
	long len;

	snprintf(fixture, sizeof fixture, "%.*sstore-v5.sql", slash ? (int)(slash - __FILE__ + 1) : 0, __FILE__);
	f = fopen(fixture, "rb");
	CHECK(f != NULL);
	if (!f)
		return;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	sql = calloc(1, (size_t)len + 1);
	CHECK(sql && fread(sql, 1, (size_t)len, f) == (size_t)len);
	fclose(f);
	snprintf(path, sizeof path, "%s/v5.db", tmpdir);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sql && sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	free(sql);
	memcpy(saved, dbpath, sizeof saved);
	snprintf(dbpath, sizeof dbpath, "%s", path);
	CHECK_INT(peek("PRAGMA user_version"), 5);
	CHECK_INT(peek("SELECT count(*) FROM print_jobs"), 3);

	s = open_store();
	CHECK(s != NULL);
	if (!s)
		goto out;
	CHECK_INT(store_schema_version(s), 9);
	CHECK_INT(peek("SELECT count(*) FROM print_jobs"), 3);
	CHECK_INT(peek("SELECT count(*) FROM print_job_bytes"), 2);
	CHECK_INT(store_print_job_find(s, "receipt", "1", &j), 0);
	CHECK_INT(j.id, 1);
	CHECK_STR(j.name, "receipt-000001");
	CHECK_STR(j.state, "printed");
	CHECK_INT(j.coupon_seq, 1);
	CHECK_INT(j.copy, 0);
	CHECK_INT(store_print_job_find(s, "copy", "1", &j), 0);
	CHECK_INT(j.id, 2);
	CHECK_STR(j.name, "receipt-000001-copia");
	CHECK_INT(j.copy, 1);
	CHECK_INT(store_print_job_of(s, 7, &j), 0); /* the failed, pruned one: its record stays */
	CHECK_STR(j.kind, "receipt");
	CHECK_STR(j.state, "failed");
	CHECK_STR(j.error, "printer: job not sent");
	CHECK_INT(j.created_at, 1790000000);
	CHECK_INT(j.pruned_at, 1795000000);
	CHECK_INT(store_print_job_copy_bytes(s, 7, &bytes, &n), 1);
	/* the copy kept with the receipt is still there to reprint, byte for byte */
	CHECK_INT(store_print_job_copy_bytes(s, 1, &bytes, &n), 0);
	CHECK(n == 8 && bytes && memcmp(bytes, "\x1b@COPIA\n", 8) == 0);
	free(bytes);
	/* the audit row the kiosk wrote before version 7 is chained: its hash is SHA-256 of the
	 * bytes docs/store.md defines (known answer: sha256sum of
	 * "0…0|1|1796180905|13:coupon.issued|2:ok|5:seq=1"), and the chain verifies */
	{
		char head[AUDIT_HASH_HEX + 1], why[160];
		int64_t rows = -1, bad = -1;

		CHECK_INT(store_audit_head(s, head), 0);
		CHECK_STR(head, "73bea7e4e7eb7c0141430978ef29d19754cf37a5aed1fb8ebd6e122dfa990371");
		CHECK_INT(store_audit_verify(s, &rows, &bad, why, sizeof why), 0);
		CHECK_INT(rows, 1);
		CHECK_INT(peek("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'"), 2);
	}
	/* the rest of the store came through */
	CHECK_INT(peek("SELECT count(*) FROM coupons"), 1);
	CHECK_INT(peek("PRAGMA foreign_key_check"), -1);
	CHECK_INT(peek("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
	/* and new jobs go on after the old ids */
	CHECK_INT(store_print_job_record(s, "test", "t1", "test-t1", (const uint8_t *)"x", 1, NULL, 0, 1795400000,
					 NULL), 0);
	CHECK_INT(peek("SELECT max(id) FROM print_jobs"), 4);
	store_close(s);
out:
	memcpy(dbpath, saved, sizeof saved);
}

/* store_quick_check: ok on a good store; on one whose documents leaf page has 256 bytes
 * overwritten in its middle (the meta table still reads), 1 with what SQLite found. */
static void test_quick_check(void)
{
	char path[sizeof tmpdir + 16], err[256], detail[256], meta[64];
	struct store *s = NULL;
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int64_t page = 0, psize = 0;
	uint8_t junk[256];

	snprintf(path, sizeof path, "%s/qc.db", tmpdir);
	CHECK_INT(store_open(&s, path, err, sizeof err), 0);
	if (!s)
		return;
	CHECK_INT(store_import_file(s, "assets/demo/portfolio.json", err, sizeof err), 0);
	snprintf(detail, sizeof detail, "x"); /* to see it cleared */
	CHECK_INT(store_quick_check(s, detail, sizeof detail), 0);
	CHECK_STR(detail, "");
	snprintf(detail, sizeof detail, "x");
	CHECK_INT(store_integrity_check(s, detail, sizeof detail), 0); /* the full check agrees */
	CHECK_STR(detail, "");
	store_close(s);

	/* a leaf page of the documents table */
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db, "SELECT min(pageno), (SELECT page_size FROM pragma_page_size) FROM dbstat "
				     "WHERE name = 'documents' AND pagetype = 'leaf'", -1, &q, NULL) == SQLITE_OK);
	if (q && sqlite3_step(q) == SQLITE_ROW) {
		page = sqlite3_column_int64(q, 0);
		psize = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	CHECK(page > 1 && psize >= 512);
	if (page <= 1 || psize < 512)
		return;
	memset(junk, 0xff, sizeof junk);
	int fd = open(path, O_WRONLY);
	CHECK(fd >= 0 && pwrite(fd, junk, sizeof junk, (page - 1) * psize + psize / 2) == (ssize_t)sizeof junk);
	if (fd >= 0)
		close(fd);

	CHECK_INT(store_open(&s, path, err, sizeof err), 0);
	if (!s)
		return;
	int64_t asof = 0;
	CHECK(store_data_as_of(s, &asof) == 0 && asof > 0); /* the meta table still reads */
	CHECK_INT(store_meta_get(s, "no such key", meta, sizeof meta), 1);
	CHECK_INT(store_quick_check(s, detail, sizeof detail), 1);
	char want[64];
	snprintf(want, sizeof want, "page %lld", (long long)page);
	CHECK(strstr(detail, want) != NULL);
	CHECK(strchr(detail, '\n') == NULL && strstr(detail, "***") == NULL);
	/* the full check (the maintenance screen's) finds the same page */
	CHECK_INT(store_integrity_check(s, detail, sizeof detail), 1);
	CHECK(strstr(detail, want) != NULL);
	CHECK(strchr(detail, '\n') == NULL && strstr(detail, "***") == NULL);
	/* a small buffer: cut, still terminated */
	char small[16];
	CHECK_INT(store_quick_check(s, small, sizeof small), 1);
	CHECK(strlen(small) < sizeof small);
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
	setenv("TZ", "America/Bogota", 1);

	test_open_empty();
	test_open_errors();
	test_import_lookup();
	test_import_validation();
	test_trm();
	test_coupons();
	test_coupon_validation();
	test_print_jobs();
	test_print_kinds();
	test_migrate_v5();
	test_quick_check();

	remove_tmpdir();
	return check_done();
}
