/* test_field_query — the field agent's reads (offline/field_query.h): the name index (folding,
 * kept by the import, built by the migration to schema 9), the search by every ID form and
 * by name prefixes, the work list's buckets, counts and sums on a fixed day, and a client's
 * cuotas through the filter, with receipts of this tablet (paid, voided, reflected) written
 * by SQL as field_store.c writes them. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "peek.h"
#include "schema_undo.h"
#include "tmpdir.h"
#include "field_query.h"
#include "field_store.h"
#include "idnum.h"
#include "store.h"

#define TODAY 20261122
#define NOW 1795359600 /* 2026-11-22 10:00 -05:00 */
#define AGENT "1001"
#define MARIA "1020304050"
#define NIT_BASE "900123456"

static char tmpdir[64];
static char dbpath[128];
static char nit_dv[16], nit_dots[24], nit_run[16], nit_bad[16], nit_bad_run[16];

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
	if (rc != SQLITE_OK)
		fprintf(stderr, "exec_rw: %s\n", sqlite3_errmsg(db));
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

static int doc(struct store *s, const char *number, const char *line, int32_t due, enum currency cur,
	       int64_t balance)
{
	struct document d;

	memset(&d, 0, sizeof d);
	snprintf(d.number, sizeof d.number, "%s", number);
	snprintf(d.line, sizeof d.line, "%s", line);
	snprintf(d.description, sizeof d.description, "Cuota %s", number);
	d.due = due;
	d.cur = cur;
	d.invoice = balance;
	d.balance = balance;
	d.partial_ok = 1;
	d.min_partial = 100;
	return store_import_document(s, &d);
}

/* On TODAY: María 7 and 82 days past due (61-90) and one not due; the NIT 174 days (> 90, USD);
 * José 43 (31-60); Luz al día; the passport holder unassigned. */
static int import_clients(struct store *s)
{
	return store_import_begin(s) < 0 || store_import_customer(s, ID_CC, MARIA, "María Fernanda Núñez Ospina") < 0 ||
			       doc(s, "VID-1", "Seguro de vida", 20261115, CUR_COP, 18540000) < 0 ||
			       doc(s, "CVH-18", "Crédito de vehículo", 20261130, CUR_COP, 125000000) < 0 ||
			       doc(s, "HOG-12", "Seguro de hogar", 20260901, CUR_COP, 9640000) < 0 ||
			       store_import_customer(s, ID_NIT, NIT_BASE, "Transportes Ñandú S.A.S.") < 0 ||
			       doc(s, "SOA-7", "SOAT", 20260601, CUR_USD, 25000) < 0 ||
			       doc(s, "SOA-8", "SOAT", 20261201, CUR_COP, 4000000) < 0 ||
			       store_import_customer(s, ID_CE, "456789", "José Ángel Gómez") < 0 ||
			       doc(s, "LIB-3", "Libranza", 20261010, CUR_COP, 30000000) < 0 ||
			       store_import_customer(s, ID_CC, "70000001", "Luz Dary Gómez Rojas") < 0 ||
			       doc(s, "HOG-1", "Seguro de hogar", 20261201, CUR_COP, 5200000) < 0 ||
			       store_import_customer(s, ID_PA, "AB12345", "Émile Durand") < 0 ||
			       doc(s, "VID-9", "Seguro de vida", 20261120, CUR_USD, 9900) < 0 ||
			       store_import_commit(s, NOW - 3600) < 0
		       ? -1
		       : 0;
}

static void test_words(void)
{
	char w[8][32];
	int n;

	n = field_name_words("María Fernanda Núñez-Ospina", w, 8);
	CHECK_INT(n, 4);
	CHECK_STR(w[0], "maria");
	CHECK_STR(w[1], "fernanda");
	CHECK_STR(w[2], "nunez");
	CHECK_STR(w[3], "ospina");
	n = field_name_words("ÁÉÍÓÚÜÑ àèìòùç  O'Neil 3ro", w, 8);
	CHECK_INT(n, 5);
	CHECK_STR(w[0], "aeiouun");
	CHECK_STR(w[1], "aeiouc");
	CHECK_STR(w[2], "o");
	CHECK_STR(w[3], "neil");
	CHECK_STR(w[4], "3ro");
	/* a decomposed accent (e + U+0301) is dropped, an emoji separates, × separates */
	n = field_name_words("Jose\xcc\x81 Ana\xf0\x9f\x99\x82Luz 2\xc3\x97" "3", w, 8);
	CHECK_INT(n, 5);
	CHECK_STR(w[0], "jose");
	CHECK_STR(w[1], "ana");
	CHECK_STR(w[2], "luz");
	CHECK_STR(w[3], "2");
	CHECK_STR(w[4], "3");
	n = field_name_words("abcdefghijklmnopqrstuvwxyzabcdefghij x", w, 8);
	CHECK_INT(n, 2);
	CHECK_INT(strlen(w[0]), 31);
	CHECK_INT(field_name_words("uno dos tres", w, 2), 2);
	CHECK_INT(field_name_words(" -- ", w, 8), 0);
	CHECK_INT(field_name_words(NULL, w, 8), 0);
}

/* The import indexes each customer it writes, replacing the words of a renamed one; the
 * migration to 9 indexes the customers already there. */
static void test_index(void)
{
	struct store *s = open_store();
	long long before;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(peek_db(dbpath, "SELECT count(*) FROM customer_words AS w JOIN customers AS c ON c.id ="
				  " w.customer_id WHERE c.id_number = '" MARIA "'"),
		  4);
	CHECK_INT(peek_db(dbpath, "SELECT count(*) FROM customer_words WHERE word = 'nandu'"), 1);
	CHECK_INT(store_import_begin(s), 0);
	CHECK_INT(store_import_customer(s, ID_CC, "70000001", "Luz Dary Gómez Rojas de Pérez"), 0);
	CHECK_INT(doc(s, "HOG-1", "Seguro de hogar", 20261201, CUR_COP, 5200000), 0);
	CHECK_INT(store_import_commit(s, NOW - 3000), 0);
	CHECK_INT(peek_db(dbpath, "SELECT count(*) FROM customer_words WHERE word = 'perez'"), 1);
	CHECK_INT(peek_db(dbpath, "SELECT count(*) FROM customer_words AS w JOIN customers AS c ON c.id ="
				  " w.customer_id WHERE c.id_number = '70000001'"),
		  6);
	/* an import that fails leaves the index as it was */
	CHECK_INT(store_import_begin(s), 0);
	CHECK_INT(store_import_customer(s, ID_CC, "70000001", "Otro Nombre"), 0);
	store_import_abort(s);
	CHECK_INT(peek_db(dbpath, "SELECT count(*) FROM customer_words WHERE word = 'otro'"), 0);
	CHECK_INT(store_import_begin(s), 0); /* the name the other tests expect */
	CHECK_INT(store_import_customer(s, ID_CC, "70000001", "Luz Dary Gómez Rojas"), 0);
	CHECK_INT(doc(s, "HOG-1", "Seguro de hogar", 20261201, CUR_COP, 5200000), 0);
	CHECK_INT(store_import_commit(s, NOW - 2000), 0);
	CHECK_INT(peek_db(dbpath, "SELECT count(*) FROM customer_words WHERE word = 'perez'"), 0);
	before = peek_db(dbpath, "SELECT count(*) FROM customer_words");
	store_close(s);

	CHECK_INT(exec_rw(SCHEMA_UNDO_9 " PRAGMA user_version = 8"), 0);
	CHECK_INT(peek_db(dbpath, "SELECT count(*) FROM sqlite_master WHERE name = 'customer_words'"), 0);
	s = open_store();
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_schema_version(s), 9);
	CHECK_INT(peek_db(dbpath, "SELECT count(*) FROM customer_words"), before);
	CHECK_INT(peek_db(dbpath, "SELECT count(*) FROM customer_words WHERE word = 'emile'"), 1);
	store_close(s);
}

/* 1 when the search gives exactly one client of that type and number. */
static int finds_one(struct store *s, const char *q, enum id_type t, const char *number)
{
	struct field_client *r;
	int n, ok;

	if (field_search(s, AGENT, q, TODAY, 20, &r, &n) != 0) {
		fprintf(stderr, "search \"%s\": %s\n", q, store_error(s));
		return 0;
	}
	ok = n == 1 && r[0].id_type == t && !strcmp(r[0].id_number, number);
	if (!ok)
		fprintf(stderr, "search \"%s\": %d rows\n", q, n);
	free(r);
	return ok;
}

/* STORE_EINVAL with a message that holds `what` and never the number typed. */
static int refused(struct store *s, const char *q, const char *what)
{
	struct field_client *r = (void *)1;
	int n = -1, rc = field_search(s, AGENT, q, TODAY, 20, &r, &n);
	const char *m = store_error(s);

	if (rc != STORE_EINVAL || r != NULL || n != 0 || !strstr(m, what) || strstr(m, "123456") ||
	    (strlen(q) >= 3 && strstr(m, q))) {
		fprintf(stderr, "search \"%s\": rc %d, \"%s\"\n", q, rc, m);
		return 0;
	}
	return 1;
}

static void test_search_id(struct store *s)
{
	struct field_client *r;
	int n;

	CHECK(finds_one(s, MARIA, ID_CC, MARIA));
	CHECK(finds_one(s, "CC " MARIA, ID_CC, MARIA));
	CHECK(finds_one(s, "cc 1.020.304.050", ID_CC, MARIA));
	CHECK(finds_one(s, "CE 456789", ID_CE, "456789"));
	CHECK(finds_one(s, "456789", ID_CE, "456789"));
	CHECK(finds_one(s, "PA ab12345", ID_PA, "AB12345"));
	CHECK(finds_one(s, NIT_BASE, ID_NIT, NIT_BASE));
	CHECK(finds_one(s, "NIT " NIT_BASE, ID_NIT, NIT_BASE));
	CHECK(finds_one(s, nit_dv, ID_NIT, NIT_BASE));  /* 900123456-D */
	CHECK(finds_one(s, nit_dots, ID_NIT, NIT_BASE)); /* 900.123.456-D */
	CHECK(finds_one(s, nit_run, ID_NIT, NIT_BASE)); /* 900123456D */
	{
		char q[32];

		snprintf(q, sizeof q, "NIT %s", nit_run);
		CHECK(finds_one(s, q, ID_NIT, NIT_BASE));
	}
	/* a wrong DV: dashed always, run in when that NIT exists */
	CHECK(refused(s, nit_bad, "dígito de verificación"));
	CHECK(refused(s, nit_bad_run, "dígito de verificación"));
	CHECK(refused(s, "CC 123-4", "Solo el NIT"));
	/* too short, and characters no CC has */
	CHECK(refused(s, "12", "al menos"));
	CHECK(refused(s, "CC 12", "al menos"));
	CHECK(refused(s, "CC 12a45", "CC"));
	CHECK(refused(s, "", "al menos"));
	/* an unknown number: nobody, not an error */
	CHECK_INT(field_search(s, AGENT, "55555555", TODAY, 20, &r, &n), 0);
	CHECK_INT(n, 0);
	free(r);
	/* a run-in DV that is wrong for a NIT the store does not have is just a number */
	CHECK_INT(field_search(s, AGENT, "1234567890", TODAY, 20, &r, &n), 0);
	CHECK_INT(n, 0);
	free(r);
}

static void test_search_name(struct store *s)
{
	struct field_client *r;
	int n;

	CHECK(finds_one(s, "nuñ fer", ID_CC, MARIA));
	CHECK(finds_one(s, "NUNEZ", ID_CC, MARIA));
	CHECK(finds_one(s, "maría", ID_CC, MARIA));
	CHECK(finds_one(s, "ospina maria f", ID_CC, MARIA)); /* a one-letter word narrows too */
	CHECK(finds_one(s, "nandu", ID_NIT, NIT_BASE));
	CHECK(finds_one(s, "ÉMI", ID_PA, "AB12345"));
	CHECK(finds_one(s, "go lu", ID_CC, "70000001"));
	CHECK(refused(s, "m", "al menos"));
	CHECK(refused(s, "a b", "al menos"));
	CHECK(refused(s, " , ", "al menos"));
	CHECK_INT(field_search(s, AGENT, "zzz", TODAY, 20, &r, &n), 0);
	CHECK_INT(n, 0);
	free(r);
	CHECK_INT(field_search(s, AGENT, "maria zzz", TODAY, 20, &r, &n), 0);
	CHECK_INT(n, 0);
	free(r);

	/* by name, at most max; the figures on TODAY */
	CHECK_INT(field_search(s, AGENT, "gómez", TODAY, 20, &r, &n), 0);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_STR(r[0].name, "José Ángel Gómez");
		CHECK_STR(r[1].name, "Luz Dary Gómez Rojas");
		CHECK_INT(r[0].ndocs, 1);
		CHECK_INT(r[0].days_past_due, 43);
		CHECK_INT(r[0].bucket, FIELD_BUCKET_31_60);
		CHECK_INT(r[0].overdue_cop_minor, 30000000);
		CHECK_INT(r[1].days_past_due, 0);
		CHECK_INT(r[1].bucket, FIELD_BUCKET_CURRENT);
		CHECK_INT(r[1].overdue_cop_minor, 0);
		CHECK_INT(r[1].owed_cop_minor, 5200000);
	}
	free(r);
	CHECK_INT(field_search(s, AGENT, "gomez", TODAY, 1, &r, &n), 0);
	CHECK_INT(n, 1);
	if (n == 1)
		CHECK_STR(r[0].id_number, "456789");
	free(r);

	CHECK_INT(field_search(s, AGENT, MARIA, TODAY, 20, &r, &n), 0);
	CHECK_INT(n, 1);
	if (n == 1) {
		CHECK_STR(r[0].name, "María Fernanda Núñez Ospina");
		CHECK_INT(r[0].ndocs, 3);
		CHECK_INT(r[0].days_past_due, 82);
		CHECK_INT(r[0].bucket, FIELD_BUCKET_61_90);
		CHECK_INT(r[0].overdue_cop_minor, 18540000 + 9640000);
		CHECK_INT(r[0].owed_cop_minor, 18540000 + 9640000 + 125000000);
		CHECK_INT(r[0].owed_usd_minor, 0);
		CHECK_INT(r[0].assigned, 1);
	}
	free(r);
	CHECK_INT(field_search(s, "2002", MARIA, TODAY, 20, &r, &n), 0);
	CHECK_INT(n == 1 && r[0].assigned == 0, 1);
	free(r);
	CHECK_INT(field_search(s, AGENT, "AB12345", TODAY, 20, &r, &n), 0); /* not typed as PA: a name */
	CHECK_INT(n, 0);
	free(r);
}

static void test_worklist(struct store *s)
{
	struct field_worklist w;

	CHECK_INT(field_worklist_get(s, AGENT, TODAY, &w), 0);
	CHECK_INT(w.n, 4); /* the fifth assigned client is unknown to the store */
	if (w.n == 4) {
		CHECK_STR(w.rows[0].id_number, NIT_BASE);
		CHECK_INT(w.rows[0].days_past_due, 174);
		CHECK_INT(w.rows[0].overdue_usd_minor, 25000);
		CHECK_INT(w.rows[0].overdue_cop_minor, 0);
		CHECK_INT(w.rows[0].owed_cop_minor, 4000000);
		CHECK_STR(w.rows[1].id_number, MARIA);
		CHECK_STR(w.rows[2].id_number, "456789");
		CHECK_STR(w.rows[3].id_number, "70000001");
		CHECK_INT(w.rows[3].assigned, 1);
	}
	CHECK_INT(w.bucket_clients[FIELD_BUCKET_CURRENT], 1);
	CHECK_INT(w.bucket_clients[FIELD_BUCKET_1_30], 0);
	CHECK_INT(w.bucket_clients[FIELD_BUCKET_31_60], 1);
	CHECK_INT(w.bucket_clients[FIELD_BUCKET_61_90], 1);
	CHECK_INT(w.bucket_clients[FIELD_BUCKET_OVER_90], 1);
	CHECK_INT(w.bucket_overdue_cop[FIELD_BUCKET_61_90], 18540000 + 9640000);
	CHECK_INT(w.bucket_overdue_cop[FIELD_BUCKET_31_60], 30000000);
	CHECK_INT(w.bucket_overdue_cop[FIELD_BUCKET_OVER_90], 0);
	CHECK_INT(w.bucket_overdue_usd[FIELD_BUCKET_OVER_90], 25000);
	CHECK_INT(w.bucket_overdue_cop[FIELD_BUCKET_CURRENT], 0);
	field_worklist_free(&w);
	CHECK(w.rows == NULL && w.n == 0);

	/* on Dec 1st María's oldest is 91 days past due; Luz's, due that day, is not past yet */
	CHECK_INT(field_worklist_get(s, AGENT, 20261201, &w), 0);
	CHECK_INT(w.bucket_clients[FIELD_BUCKET_OVER_90], 2);
	CHECK_INT(w.bucket_clients[FIELD_BUCKET_61_90], 0);
	CHECK_INT(w.bucket_clients[FIELD_BUCKET_CURRENT], 1);
	CHECK_INT(w.bucket_overdue_cop[FIELD_BUCKET_OVER_90], 18540000 + 9640000 + 125000000);
	field_worklist_free(&w);
	CHECK_INT(field_worklist_get(s, "2002", TODAY, &w), 0);
	CHECK_INT(w.n == 1 && w.rows[0].id_type == ID_PA && w.rows[0].overdue_usd_minor == 9900, 1);
	field_worklist_free(&w);
	CHECK_INT(field_worklist_get(s, "3003", TODAY, &w), 0);
	CHECK_INT(w.n, 0);
	field_worklist_free(&w);
}

static void test_cuotas(struct store *s)
{
	struct field_cuota_filter f;
	struct field_cuotas c;

	field_filter_default(&f, TODAY); /* 2026-09-22 .. 2026-11-22 */
	CHECK_INT(field_cuotas_get(s, ID_CC, MARIA, TODAY, &f, &c), 0);
	CHECK_STR(c.name, "María Fernanda Núñez Ospina");
	CHECK_INT(c.total, 3);
	CHECK_INT(c.n, 1);
	if (c.n == 1) {
		CHECK_STR(c.rows[0].doc.number, "VID-1");
		CHECK_INT(c.rows[0].status, FIELD_CUOTA_VENCIDA);
		CHECK_INT(c.rows[0].date, 20261115);
		CHECK_INT(c.rows[0].doc.balance, 18540000);
	}
	CHECK_INT(c.nlines, 3);
	if (c.nlines == 3) {
		CHECK_STR(c.lines[0], "Crédito de vehículo");
		CHECK_STR(c.lines[1], "Seguro de hogar");
		CHECK_STR(c.lines[2], "Seguro de vida");
	}
	field_cuotas_free(&c);

	field_filter_clear_dates(&f);
	CHECK_INT(field_cuotas_get(s, ID_CC, MARIA, TODAY, &f, &c), 0);
	CHECK_INT(c.n, 3);
	if (c.n == 3) {
		CHECK_STR(c.rows[0].doc.number, "HOG-12");
		CHECK_STR(c.rows[1].doc.number, "VID-1");
		CHECK_STR(c.rows[2].doc.number, "CVH-18");
		CHECK_INT(c.rows[2].status, FIELD_CUOTA_PENDIENTE);
		CHECK_INT(c.rows[2].doc.partial_ok, 1);
	}
	field_cuotas_free(&c);

	snprintf(f.line, sizeof f.line, "Seguro de hogar");
	CHECK_INT(field_cuotas_get(s, ID_CC, MARIA, TODAY, &f, &c), 0);
	CHECK_INT(c.n == 1 && !strcmp(c.rows[0].doc.number, "HOG-12"), 1);
	CHECK_INT(c.total, 3);
	field_cuotas_free(&c);

	f.line[0] = '\0';
	f.statuses = 1u << FIELD_CUOTA_PENDIENTE;
	CHECK_INT(field_cuotas_get(s, ID_CC, MARIA, TODAY, &f, &c), 0);
	CHECK_INT(c.n == 1 && !strcmp(c.rows[0].doc.number, "CVH-18"), 1);
	field_cuotas_free(&c);

	CHECK_INT(field_cuotas_get(s, ID_CC, "99999999", TODAY, NULL, &c), 1);
	CHECK(c.rows == NULL && c.n == 0);
}

/* A receipt as field_collect writes it: one line. */
static void receipt(int64_t id, uint64_t number, int32_t day, const char *doc_number, const char *line,
		    int32_t due, int64_t amount, const char *state, int64_t void_at, int reflected)
{
	char sql[1600], vat[24] = "NULL";

	if (void_at)
		snprintf(vat, sizeof vat, "%lld", (long long)void_at);
	snprintf(sql, sizeof sql,
		 "INSERT INTO field_receipts(id, agent_code, device_id, number, day, at, id_type, id_number,"
		 " customer_name, currency, amount_minor, cash_minor, change_minor, event_key, state,"
		 " void_at, reflected) VALUES(%lld, '" AGENT "', 'T01', %llu, %d, %d, 'CC', '" MARIA "',"
		 " 'María', 'COP', %lld, %lld, 0, '00000000-0000-4000-8000-%012lld', '%s', %s, %d);"
		 "INSERT INTO field_receipt_lines(receipt_id, idx, doc_number, line, description, due,"
		 " amount_minor) VALUES(%lld, 0, '%s', '%s', 'Cuota %s', %d, %lld);",
		 (long long)id, (unsigned long long)number, day, NOW, (long long)amount, (long long)amount,
		 (long long)id, state, vat, reflected, (long long)id, doc_number, line, doc_number, due,
		 (long long)amount);
	CHECK_INT(exec_rw(sql), 0);
}

static const struct field_cuota *row_of(const struct field_cuotas *c, const char *doc, enum field_cuota_status st)
{
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->rows[i].doc.number, doc) && c->rows[i].status == st)
			return &c->rows[i];
	return NULL;
}

/* Receipts of this tablet: 1 pays VID-1 in full and 2 part of CVH-18 (neither reflected);
 * 3 paid HOG-12 and was voided the day before; 4 paid part of HOG-12 and the server's data
 * already shows it (reflected: not subtracted again). */
static void test_effective(struct store *s)
{
	struct field_cuotas c;
	struct field_client *r;
	const struct field_cuota *x;
	int64_t paid = 0;
	int n, built;

	receipt(1, 1, TODAY, "VID-1", "Seguro de vida", 20261115, 18540000, "paid", 0, 0);
	receipt(2, 2, TODAY, "CVH-18", "Crédito de vehículo", 20261130, 5000000, "paid", 0, 0);
	receipt(3, 3, 20261120, "HOG-12", "Seguro de hogar", 20260901, 9640000, "void", NOW - 86400, 0);
	receipt(4, 4, 20261119, "HOG-12", "Seguro de hogar", 20260901, 1000000, "paid", 0, 1);
	CHECK(field_unreflected_paid(s, ID_CC, MARIA, "VID-1", &paid) >= 0);
	/* field_unreflected_paid is field_store.c's (another part of issue 10): until it is built
	 * the balances stay the store's, and only the history is checked */
	built = paid == 18540000;
	if (!built)
		fprintf(stderr, "test_field_query: field_unreflected_paid not built here: effective balances not checked\n");

	CHECK_INT(field_cuotas_get(s, ID_CC, MARIA, TODAY, NULL, &c), 0);
	CHECK_INT(c.total, c.n);
	CHECK(row_of(&c, "HOG-12", FIELD_CUOTA_VENCIDA) != NULL);
	CHECK(row_of(&c, "CVH-18", FIELD_CUOTA_PENDIENTE) != NULL);
	x = row_of(&c, "VID-1", FIELD_CUOTA_PAGADA);
	CHECK(x != NULL);
	if (x) {
		CHECK_INT(x->receipt_number, 1);
		CHECK_INT(x->date, TODAY);
		CHECK_INT(x->paid_minor, 18540000);
		CHECK_INT(x->doc.balance, 0);
	}
	x = row_of(&c, "HOG-12", FIELD_CUOTA_ANULADA);
	CHECK(x != NULL);
	if (x) {
		CHECK_INT(x->receipt_number, 3);
		CHECK_INT(x->date, 20261121); /* the void's day, not the receipt's */
		CHECK_INT(x->doc.balance, 9640000);
	}
	x = row_of(&c, "HOG-12", FIELD_CUOTA_PAGADA);
	CHECK(x != NULL && x->receipt_number == 4 && x->date == 20261119);
	CHECK(row_of(&c, "CVH-18", FIELD_CUOTA_PAGADA) != NULL);
	/* owed first by due date, then the history newest first */
	CHECK_INT(c.rows[0].status, FIELD_CUOTA_VENCIDA);
	CHECK_INT(c.rows[c.n - 1].receipt_number, 4);
	if (built) {
		CHECK_INT(c.n, 6); /* HOG-12, CVH-18 owed; 1, 2, 3, 4 */
		CHECK(row_of(&c, "VID-1", FIELD_CUOTA_VENCIDA) == NULL);
		x = row_of(&c, "CVH-18", FIELD_CUOTA_PENDIENTE);
		CHECK(x && x->doc.balance == 125000000 - 5000000);
		x = row_of(&c, "HOG-12", FIELD_CUOTA_VENCIDA);
		CHECK(x && x->doc.balance == 9640000);
	}
	field_cuotas_free(&c);

	/* the filter on history: paid ones of the last two months */
	{
		struct field_cuota_filter f;

		field_filter_default(&f, TODAY);
		f.statuses = 1u << FIELD_CUOTA_PAGADA;
		CHECK_INT(field_cuotas_get(s, ID_CC, MARIA, TODAY, &f, &c), 0);
		CHECK_INT(c.n, 3);
		field_cuotas_free(&c);
		f.statuses = 1u << FIELD_CUOTA_ANULADA;
		CHECK_INT(field_cuotas_get(s, ID_CC, MARIA, TODAY, &f, &c), 0);
		CHECK_INT(c.n == 1 && c.rows[0].receipt_number == 3, 1);
		field_cuotas_free(&c);
	}

	if (built) {
		CHECK_INT(field_search(s, AGENT, MARIA, TODAY, 20, &r, &n), 0);
		CHECK_INT(n, 1);
		if (n == 1) {
			CHECK_INT(r[0].ndocs, 2);
			CHECK_INT(r[0].overdue_cop_minor, 9640000);
			CHECK_INT(r[0].owed_cop_minor, 9640000 + 120000000);
			CHECK_INT(r[0].days_past_due, 82);
		}
		free(r);
	}
}

int main(void)
{
	struct store *s;
	int dv = nit_check_digit(NIT_BASE);

	setenv("TZ", "<-05>5", 1);
	snprintf(nit_dv, sizeof nit_dv, NIT_BASE "-%d", dv);
	snprintf(nit_run, sizeof nit_run, NIT_BASE "%d", dv);
	snprintf(nit_dots, sizeof nit_dots, "900.123.456-%d", dv);
	snprintf(nit_bad, sizeof nit_bad, NIT_BASE "-%d", (dv + 1) % 10);
	snprintf(nit_bad_run, sizeof nit_bad_run, NIT_BASE "%d", (dv + 1) % 10);
	snprintf(tmpdir, sizeof tmpdir, "/tmp/recaudo-fq-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(dbpath, sizeof dbpath, "%s/recaudo.db", tmpdir);

	test_words();
	s = open_store();
	CHECK(s != NULL);
	if (s) {
		CHECK_INT(import_clients(s), 0);
		store_close(s);
	}
	test_index(); /* takes the store back to schema 8 and up again: field tables empty */
	CHECK_INT(exec_rw("INSERT INTO agent_clients(agent_code, id_type, id_number) VALUES"
			  " ('" AGENT "', 'CC', '" MARIA "'), ('" AGENT "', 'NIT', '" NIT_BASE "'),"
			  " ('" AGENT "', 'CE', '456789'), ('" AGENT "', 'CC', '70000001'),"
			  " ('" AGENT "', 'CC', '99999999'), ('2002', 'PA', 'AB12345')"),
		  0);
	s = open_store();
	if (s) {
		test_search_id(s);
		test_search_name(s);
		test_worklist(s);
		test_cuotas(s);
		test_effective(s);
		store_close(s);
	}
	tmpdir_remove(tmpdir);
	return check_done();
}
