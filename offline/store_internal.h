/* store_internal — what the store's own files (store.c, store_import.c, store_coupon.c) and
 * the offline modules that write in the store's transactions (outbox.c) share. Not part of
 * the public interface: app code includes store.h only. */
#ifndef RECAUDO_STORE_INTERNAL_H
#define RECAUDO_STORE_INTERNAL_H
#include <sqlite3.h>
#include "store.h"

/* Cached prepared statements, prepared on first use with SQLITE_PREPARE_PERSISTENT. */
enum store_stmt {
	ST_CUSTOMER_FIND,
	ST_DOCUMENTS_OF,
	ST_META_GET,
	ST_META_SET,
	ST_TRM_FOR_DATE,
	ST_CUSTOMER_UPSERT,
	ST_DOCUMENTS_DELETE,
	ST_DOCUMENT_INSERT,
	ST_TRM_UPSERT,
	ST_SEQ_NEXT,
	ST_COUPON_INSERT,
	ST_COUPON_LINE_INSERT,
	ST_OUTBOX_TOTAL,
	ST_WORDS_DELETE,       /* field_query_words.c: the name index */
	ST_WORD_INSERT,
	ST_COUNT
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmts[ST_COUNT];
	char err[256];
	store_commit_hook hook;
	void *hook_user;
	int importing;          /* between store_import_begin and commit/abort */
	int64_t import_customer; /* customers.id documents attach to; 0 before the first */
	int busy_ms;            /* sqlite3_busy_timeout (store_set_busy_timeout) */
};

/* Returns the statement reset and unbound, or NULL with the error set. Callers reset it
 * again (store_stmt_done) when finished, so no read transaction stays open. */
sqlite3_stmt *store_stmt(struct store *s, enum store_stmt id);
void store_stmt_done(sqlite3_stmt *st);

/* Sets s->err from a format and returns rc (so `return store_fail(s, STORE_ERR, ...)`). */
int store_fail(struct store *s, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sets s->err to "<what>: <sqlite message>" and returns STORE_ERR. */
int store_fail_db(struct store *s, const char *what);
/* The first column of a one-row statement, as an integer; STORE_ERR with the error set
 * ("<what>: <sqlite message>") when it gives no row. store_pragma_i64 is it with "database". */
int store_query_i64(struct store *s, const char *what, const char *sql, int64_t *out);
int store_pragma_i64(struct store *s, const char *sql, int64_t *out);
/* Ends an import (inside its transaction): when ok, COMMIT; when not ok (s->err already
 * says why) or the COMMIT fails, rolls back and fails with "import: commit failed, nothing
 * imported: <why>". Used by store_import_commit and store_import_commit_keep. */
int store_import_finish(struct store *s, int ok);
/* Runs SQL without results; STORE_ERR with the error set on failure. */
int store_exec(struct store *s, const char *sql);
/* The schema (store_schema.c): the version this program writes, and the migration to it, one
 * transaction per step. */
int store_schema_latest(void);
int store_migrate(struct store *s);

#endif
