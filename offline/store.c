/* store — opening, the statement cache, lookups and status. The schema and its migrations
 * live in store_schema.c, imports live in store_import.c, coupon issue in store_coupon.c; docs/store.md describes
 * the schema and the durability rules. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store_internal.h"


static const char *const stmt_sql[ST_COUNT] = {
	[ST_CUSTOMER_FIND] = "SELECT id, name FROM customers WHERE id_type = ?1 AND id_number = ?2",
	[ST_DOCUMENTS_OF] = "SELECT number, line, description, due, currency, invoice, balance,"
			    " partial_ok, min_partial FROM documents WHERE customer_id = ?1"
			    " ORDER BY due, number",
	[ST_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[ST_META_SET] = "INSERT INTO meta(key, value) VALUES(?1, ?2)"
			" ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[ST_TRM_FOR_DATE] = "SELECT cop_minor_per_usd, valid_from, valid_to FROM trm"
			    " WHERE valid_from <= ?1 AND valid_to >= ?1"
			    " ORDER BY valid_from DESC LIMIT 1",
	[ST_CUSTOMER_UPSERT] = "INSERT INTO customers(id_type, id_number, name) VALUES(?1, ?2, ?3)"
			       " ON CONFLICT(id_type, id_number) DO UPDATE SET name = excluded.name"
			       " RETURNING id",
	[ST_DOCUMENTS_DELETE] = "DELETE FROM documents WHERE customer_id = ?1",
	[ST_DOCUMENT_INSERT] = "INSERT INTO documents(customer_id, number, line, description, due,"
			       " currency, invoice, balance, partial_ok, min_partial)"
			       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_TRM_UPSERT] = "INSERT INTO trm(valid_from, valid_to, cop_minor_per_usd) VALUES(?1, ?2, ?3)"
			  " ON CONFLICT(valid_from) DO UPDATE SET valid_to = excluded.valid_to,"
			  " cop_minor_per_usd = excluded.cop_minor_per_usd",
	[ST_SEQ_NEXT] = "UPDATE counters SET value = value + 1 WHERE name = 'coupon_seq'"
			" RETURNING value",
	[ST_COUPON_INSERT] = "INSERT INTO coupons(seq, kiosk_id, reference, kind, id_type, id_number,"
			     " amount_minor, currency, due, issued_at, has_trm, trm_cop_minor_per_usd,"
			     " trm_valid_from, trm_valid_to)"
			     " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 'COP', ?8, ?9, ?10, ?11, ?12, ?13)",
	[ST_COUPON_LINE_INSERT] = "INSERT INTO coupon_lines(coupon_id, idx, doc_number, pay_minor,"
				  " pay_currency, cop_minor) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_OUTBOX_TOTAL] = "SELECT amount_minor FROM outbox_totals WHERE type = 'coupon.issued'",
	[ST_WORDS_DELETE] = "DELETE FROM customer_words WHERE customer_id = ?1",
	[ST_WORD_INSERT] = "INSERT OR IGNORE INTO customer_words(word, customer_id) VALUES(?1, ?2)",
};

int store_fail(struct store *s, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
	return rc;
}

int store_fail_db(struct store *s, const char *what)
{
	/* SQLite's messages name tables and columns, never the values bound. */
	return store_fail(s, STORE_ERR, "%s: %s", what, sqlite3_errmsg(s->db));
}

int store_exec(struct store *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		store_fail(s, STORE_ERR, "database: %s", msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return STORE_ERR;
	}
	return 0;
}

sqlite3_stmt *store_stmt(struct store *s, enum store_stmt id)
{
	sqlite3_stmt *st = s->stmts[id];

	if (!st) {
		if (sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st,
				       NULL) != SQLITE_OK) {
			store_fail_db(s, "database: preparing a statement");
			return NULL;
		}
		s->stmts[id] = st;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

void store_stmt_done(sqlite3_stmt *st)
{
	if (st)
		sqlite3_reset(st);
}


int store_query_i64(struct store *s, const char *what, const char *sql, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*out = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, what);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		store_fail_db(s, what);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : STORE_ERR;
}

int store_pragma_i64(struct store *s, const char *sql, int64_t *out)
{
	return store_query_i64(s, "database", sql, out);
}

static int pragma_int(struct store *s, const char *sql, int *out)
{
	int64_t v;

	if (store_pragma_i64(s, sql, &v) < 0)
		return STORE_ERR;
	*out = (int)v;
	return 0;
}

static int set_journal_wal(struct store *s)
{
	sqlite3_stmt *st = NULL;
	int ok;

	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "database");
	ok = sqlite3_step(st) == SQLITE_ROW &&
	     sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
	if (!ok)
		store_fail(s, STORE_ERR, "database: cannot switch to WAL journaling: %s",
			   sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return ok ? 0 : STORE_ERR;
}

int store_open(struct store **out, const char *path, char *err, size_t errn)
{
	struct store *s;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errn, "%s: out of memory", path);
		return STORE_ERR;
	}
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		store_fail(s, STORE_ERR, "cannot open: %s",
			   s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	/* Short: the kiosk's screen thread issues coupons, and a second writer (an operator's
	 * `recaudo import`) must not freeze it; a busy store is a clear "try again". */
	s->busy_ms = 250;
	sqlite3_busy_timeout(s->db, s->busy_ms);
	/* auto_vacuum is the first statement to touch the file: a non-database fails here
	 * ("database: file is not a database"). It only takes effect on a file without tables
	 * and before the switch to WAL (a new file; older ones are converted once by
	 * store_vacuum): the retention job's incremental vacuum then gives pruned receipt
	 * bytes back to the file system.
	 * journal_size_limit: a WAL that grew (a vacuum moves many pages) is cut back to 8 MB
	 * when it is next reset, instead of keeping its largest size for ever. */
	if (store_exec(s, "PRAGMA auto_vacuum=INCREMENTAL") < 0 || set_journal_wal(s) < 0 ||
	    store_exec(s, "PRAGMA journal_size_limit=8388608") < 0 ||
	    store_exec(s, "PRAGMA synchronous=FULL") < 0 ||
	    store_exec(s, "PRAGMA foreign_keys=ON") < 0 || store_migrate(s) < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	snprintf(err, errn, "%s: %s", path, s->err);
	store_close(s);
	return STORE_ERR;
}

/* A read-only WAL reader needs the -shm index, which SQLite creates and sizes on first use: on
 * a full disk that fails. With no -wal content the database file alone is the whole truth, so
 * it can then be read as immutable (no index, no locks). */
static int open_ro(struct store *s, const char *path, int immutable)
{
	char uri[1200];
	size_t n = 0;

	if (!immutable)
		return sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	n = (size_t)snprintf(uri, sizeof uri, "file:");
	for (const char *p = path; *p && n + 4 < sizeof uri; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '?' || c == '#' || c == '%' || c <= ' ' || c >= 0x7f)
			n += (size_t)snprintf(uri + n, sizeof uri - n, "%%%02X", c);
		else
			uri[n++] = (char)c;
	}
	snprintf(uri + n, sizeof uri - n, "?immutable=1");
	return sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
}

int store_open_readonly(struct store **out, const char *path, char *err, size_t errn)
{
	struct store *s;
	int v = -1;

	*out = NULL;
	s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errn, "%s: out of memory", path);
		return STORE_ERR;
	}
	/* No -wal and no -shm: no writer has the store open and there is nothing but the database
	 * file to read. A plain read-only open would create both (and could not delete them):
	 * read it as immutable from the start, so a read-only command leaves no file behind. */
	char wal0[1100], shm0[1100];
	struct stat st0;
	snprintf(wal0, sizeof wal0, "%s-wal", path);
	snprintf(shm0, sizeof shm0, "%s-shm", path);
	int quiet = stat(wal0, &st0) != 0 && stat(shm0, &st0) != 0;
	for (int immutable = quiet;; immutable++) {
		char wal[1100];
		struct stat st;

		if (open_ro(s, path, immutable) == SQLITE_OK) {
			sqlite3_extended_result_codes(s->db, 1);
			sqlite3_busy_timeout(s->db, 1000);
			if (pragma_int(s, "PRAGMA user_version", &v) == 0)
				break;
		} else {
			store_fail(s, STORE_ERR, "cannot open: %s", s->db ? sqlite3_errmsg(s->db) : "out of memory");
		}
		snprintf(wal, sizeof wal, "%s-wal", path);
		if (immutable || (stat(wal, &st) == 0 && st.st_size > 0))
			goto fail;
		sqlite3_close(s->db);
		s->db = NULL;
	}
	if (v != store_schema_latest()) {
		store_fail(s, STORE_ERR, "database schema version %d, this program reads %d: start the "
					 "kiosk once to upgrade it", v, store_schema_latest());
		goto fail;
	}
	*out = s;
	return 0;
fail:
	snprintf(err, errn, "%s: %s", path, s->err);
	store_close(s);
	return STORE_ERR;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->importing)
		store_import_abort(s);
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->stmts[i]);
	sqlite3_close(s->db);
	free(s);
}

const char *store_error(const struct store *s)
{
	return s ? s->err : "no store";
}

int store_schema_version(struct store *s)
{
	int v;

	return pragma_int(s, "PRAGMA user_version", &v) < 0 ? STORE_ERR : v;
}

void store_set_commit_hook(struct store *s, store_commit_hook fn, void *user)
{
	s->hook = fn;
	s->hook_user = user;
}

/* meta value as an integer; 0 when absent. */
static int meta_int(struct store *s, const char *key, int64_t *out)
{
	sqlite3_stmt *st = store_stmt(s, ST_META_GET);
	int rc;

	*out = 0;
	if (!st)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		store_fail_db(s, "database: reading meta");
	store_stmt_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : STORE_ERR;
}

static void copy_column(char *dst, size_t cap, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

/* A read transaction makes the customer, its documents and data_as_of one snapshot; inside
 * an import the open write transaction already does. */
static int read_begin(struct store *s, int *began)
{
	*began = 0;
	if (!sqlite3_get_autocommit(s->db))
		return 0;
	if (store_exec(s, "BEGIN") < 0)
		return STORE_ERR;
	*began = 1;
	return 0;
}

static void read_end(struct store *s, int began)
{
	if (began)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

static int load_documents(struct store *s, int64_t customer_id, struct portfolio *p)
{
	sqlite3_stmt *st = store_stmt(s, ST_DOCUMENTS_OF);
	int cap = 0, rc;

	if (!st)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, customer_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct document *d;

		if (p->ndocs == cap) {
			int ncap = cap ? cap * 2 : 16;
			struct document *nd = realloc(p->docs, (size_t)ncap * sizeof *nd);

			if (!nd) {
				store_stmt_done(st);
				return store_fail(s, STORE_ERR, "lookup: out of memory");
			}
			p->docs = nd;
			cap = ncap;
		}
		d = &p->docs[p->ndocs];
		memset(d, 0, sizeof *d);
		copy_column(d->number, sizeof d->number, st, 0);
		copy_column(d->line, sizeof d->line, st, 1);
		copy_column(d->description, sizeof d->description, st, 2);
		d->due = sqlite3_column_int(st, 3);
		if (currency_parse((const char *)sqlite3_column_text(st, 4), &d->cur) < 0) {
			store_stmt_done(st);
			return store_fail(s, STORE_ERR, "lookup: a document has an unknown currency");
		}
		d->invoice = sqlite3_column_int64(st, 5);
		d->balance = sqlite3_column_int64(st, 6);
		d->partial_ok = sqlite3_column_int(st, 7);
		d->min_partial = sqlite3_column_int64(st, 8);
		p->ndocs++;
	}
	store_stmt_done(st);
	if (rc != SQLITE_DONE)
		return store_fail_db(s, "lookup");
	return 0;
}

int store_lookup(struct store *s, enum id_type t, const char *number, struct portfolio *out)
{
	sqlite3_stmt *st;
	int64_t customer_id;
	int rc, began, ret = STORE_ERR;

	memset(out, 0, sizeof *out);
	if ((int)t < 0 || t >= ID_TYPE_COUNT || !number)
		return store_fail(s, STORE_EINVAL, "id_type: unknown document type");
	if (strlen(number) >= sizeof out->id_number)
		return 1;
	if (read_begin(s, &began) < 0)
		return STORE_ERR;
	st = store_stmt(s, ST_CUSTOMER_FIND);
	if (!st)
		goto out;
	sqlite3_bind_text(st, 1, id_type_code(t), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, number, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		store_stmt_done(st);
		ret = 1;
		goto out;
	}
	if (rc != SQLITE_ROW) {
		store_fail_db(s, "lookup");
		store_stmt_done(st);
		goto out;
	}
	customer_id = sqlite3_column_int64(st, 0);
	copy_column(out->name, sizeof out->name, st, 1);
	store_stmt_done(st);
	out->id_type = t;
	snprintf(out->id_number, sizeof out->id_number, "%s", number);
	if (load_documents(s, customer_id, out) < 0 ||
	    meta_int(s, "data_as_of", &out->data_as_of) < 0)
		goto out;
	ret = 0;
out:
	read_end(s, began);
	if (ret != 0)
		portfolio_free(out);
	return ret;
}


int store_trm_for_date(struct store *s, int32_t date, struct trm *out)
{
	sqlite3_stmt *st = store_stmt(s, ST_TRM_FOR_DATE);
	int rc;

	memset(out, 0, sizeof *out);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_int(st, 1, date);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->cop_minor_per_usd = sqlite3_column_int64(st, 0);
		out->valid_from = sqlite3_column_int(st, 1);
		out->valid_to = sqlite3_column_int(st, 2);
	} else if (rc != SQLITE_DONE) {
		store_fail_db(s, "trm");
	}
	store_stmt_done(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : STORE_ERR;
}

int store_data_as_of(struct store *s, int64_t *out)
{
	*out = 0;
	return meta_int(s, "data_as_of", out) < 0 ? STORE_ERR : 0;
}

int store_status_get(struct store *s, struct store_status *out)
{
	int64_t last_seq = 0;
	int began, rc = STORE_ERR;

	memset(out, 0, sizeof *out);
	if (read_begin(s, &began) < 0)
		return STORE_ERR;
	out->schema_version = store_schema_version(s);
	if (out->schema_version < 0 || meta_int(s, "data_as_of", &out->data_as_of) < 0 ||
	    store_query_i64(s, "status", "SELECT count(*) FROM customers", &out->customers) < 0 ||
	    store_query_i64(s, "status", "SELECT count(*) FROM documents", &out->documents) < 0 ||
	    store_query_i64(s, "status", "SELECT count(*) FROM coupons", &out->coupons_issued) < 0 ||
	    store_query_i64(s, "status", "SELECT value FROM counters WHERE name = 'coupon_seq'", &last_seq) < 0 ||
	    store_query_i64(s, "status", "SELECT coalesce((SELECT issued_at FROM coupons"
			    " ORDER BY seq DESC LIMIT 1), 0)",
			    &out->last_coupon_at) < 0)
		goto out;
	out->next_seq = (uint64_t)last_seq + 1;
	rc = 0;
out:
	read_end(s, began);
	if (rc < 0) {
		memset(out, 0, sizeof *out);
	}
	return rc;
}

/* ---- meta settings and the import commit that keeps data_as_of (for the sync worker) ---- */

int store_meta_get(struct store *s, const char *key, char *out, size_t n)
{
	sqlite3_stmt *st = store_stmt(s, ST_META_GET);
	int rc, ret = STORE_ERR;

	if (n)
		out[0] = '\0';
	if (!st)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		size_t len = t ? (size_t)sqlite3_column_bytes(st, 0) : 0;

		if (len >= n) {
			store_fail(s, STORE_ERR, "meta %s: value longer than %zu bytes", key,
				   n ? n - 1 : 0);
		} else {
			memcpy(out, t ? (const char *)t : "", len + 1);
			ret = 0;
		}
	} else if (rc == SQLITE_DONE) {
		ret = 1;
	} else {
		store_fail_db(s, "database: reading meta");
	}
	store_stmt_done(st);
	return ret;
}

int store_meta_set(struct store *s, const char *key, const char *value)
{
	sqlite3_stmt *st = store_stmt(s, ST_META_SET);
	int rc;

	if (!st)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_stmt_done(st);
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "database: writing meta");
}

int store_import_commit_keep(struct store *s)
{
	if (!s->importing)
		return store_fail(s, STORE_ERR, "import: store_import_begin was not called");
	return store_import_finish(s, 1);
}
