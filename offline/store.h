/* store — the kiosk's own SQLite database: customers, documents, TRM, coupons and the
 * per-kiosk sequence. WAL + synchronous=FULL; versioned migrations run at open.
 *
 * A coupon is committed (with its sequence number and lines, and whatever the commit hook
 * adds in the same transaction — its outbox event and audit row) before store_coupon_issue
 * returns, so callers can show or print it only after it is durable.
 *
 * Errors: functions return 0 on success, a positive value for an expected "not found", and
 * a negative value on failure with a human-readable reason in store_error(). The handle is
 * used by one thread at a time. */
#ifndef RECAUDO_STORE_H
#define RECAUDO_STORE_H
#include <stddef.h>
#include <stdint.h>
#include "domain.h"

struct store;

/* Negative results: STORE_ERR for a database or I/O failure; STORE_EINVAL when the input was
 * rejected, and store_error() then starts with the offending field's name ("balance: must be
 * greater than 0") so an importer can prefix the record's path. */
enum { STORE_ERR = -1, STORE_EINVAL = -2 };

/* Opens (creating if needed) the database at path and migrates it to the current schema.
 * On failure *out is NULL and err holds the reason. Free with store_close. */
int store_open(struct store **out, const char *path, char *err, size_t errn);
/* Opens an existing store for reading only (status, audits): creates nothing, migrates
 * nothing, and works on a full disk. A store at another schema version is refused with the
 * reason. On failure *out is NULL and err holds the reason. Free with store_close. */
int store_open_readonly(struct store **out, const char *path, char *err, size_t errn);
void store_close(struct store *s);
/* Reason for the last failure on this handle (never NULL). */
const char *store_error(const struct store *s);
int store_schema_version(struct store *s);

/* Looks a customer up. Returns 0 (found; ndocs may be 0), 1 (unknown customer), <0 error.
 * *out is zeroed first; on 0 free it with portfolio_free. */
int store_lookup(struct store *s, enum id_type t, const char *number, struct portfolio *out);

/* The TRM whose validity covers `date` (YYYYMMDD), latest valid_from first.
 * Returns 0, 1 if none, <0 error. */
int store_trm_for_date(struct store *s, int32_t date, struct trm *out);

/* Bulk import, used by `recaudo import`, --demo and tools/gen-portfolio. Everything between
 * begin and commit is one transaction: abort (or a failed commit) leaves the store as it was.
 * store_import_customer upserts a customer and replaces its documents; documents attach to
 * the last customer given. A failing customer/document/trm call leaves the transaction open
 * (call store_import_abort); a failing commit has already rolled back. store_close aborts an
 * import still open. */
int store_import_begin(struct store *s);
int store_import_customer(struct store *s, enum id_type t, const char *number, const char *name);
int store_import_document(struct store *s, const struct document *d);
int store_import_trm(struct store *s, const struct trm *t);
int store_import_commit(struct store *s, int64_t data_as_of);
void store_import_abort(struct store *s);

/* Reads a portfolio file (docs/portfolio-format.md: JSON) and imports it all or nothing.
 * Returns 0, or <0 with a message naming the file, the record and the problem in err. */
int store_import_file(struct store *s, const char *path, char *err, size_t errn);
/* The same with its progress and counts (the maintenance screen "Datos"): progress (may be
 * NULL) is called with the customers done out of the file's total, about a hundred times
 * however big the file (first with 0 once the file is parsed); rep (may be NULL) gets what
 * was imported: all zeros when the import failed, since then nothing was. */
struct store_import_report {
	int64_t customers, documents, trms;
	int64_t as_of;
};
typedef void (*store_import_progress)(void *user, int64_t done, int64_t total);
int store_import_file_ex(struct store *s, const char *path, store_import_progress progress, void *user,
			 struct store_import_report *rep, char *err, size_t errn);

/* Called inside the coupon's transaction, after the coupon rows are written and before
 * COMMIT, with the finished coupon and the request it was issued from (its kind, customer
 * and lines, which struct coupon does not carry); a negative return rolls everything back.
 * The outbox hooks in here (outbox_push_coupon writes the coupon.issued event and the audit
 * row). The hook must not begin, commit or roll back the transaction (a SAVEPOINT it
 * releases or rolls back itself is fine), nor issue coupons or import. */
typedef int (*store_commit_hook)(struct store *s, const struct coupon *c,
				 const struct coupon_request *req, void *user);
void store_set_commit_hook(struct store *s, store_commit_hook fn, void *user);

/* Takes the next sequence number, builds the reference, writes the coupon and its lines and
 * commits durably. Fills *out only on success. Returns 0 or <0. */
int store_coupon_issue(struct store *s, const struct coupon_request *req, struct coupon *out);

struct store_status {
	int schema_version;
	int64_t data_as_of;      /* 0 if never imported */
	int64_t customers;
	int64_t documents;
	int64_t coupons_issued;
	uint64_t next_seq;
	int64_t last_coupon_at;  /* 0 if none */
};
int store_status_get(struct store *s, struct store_status *out);
/* Just the data's age (epoch seconds, 0 if never imported): cheap, unlike store_status_get,
 * which counts rows. Returns 0 or <0. */
int store_data_as_of(struct store *s, int64_t *out);

/* ---- for the sync worker (offline/sync.c, offline/api.c) ---- */

/* Small settings in the meta table (the sync cursor, the server it belongs to). key is
 * ASCII. get: 0 and the value in out (n bytes with the NUL), 1 if absent, <0 on error or
 * when the value does not fit. set: 0 or <0; inside an open import it is part of it. */
int store_meta_get(struct store *s, const char *key, char *out, size_t n);
int store_meta_set(struct store *s, const char *key, const char *value);
/* Commits an import like store_import_commit but leaves data_as_of as it is: a TRM-only
 * refresh, or a page of portfolio changes with more to come. A failure rolls back. */
int store_import_commit_keep(struct store *s);
/* ---- print jobs (offline/store_print.c) ----
 * A job is recorded before it is sent and moves pending -> sent -> printed | failed, so a
 * crash mid-print leaves a job that says "sent" (maybe printed, maybe not): for a receipt the
 * kiosk offers a reprint, marked COPIA, instead of printing it again silently.
 * Jobs are keyed by (kind, ref), schema 6: kind is one of enum store_print_kind, by its name
 * (store_print_kind_name); ref names what was printed within its kind: the coupon's sequence
 * for a receipt or its copy ("42"), the page's time for a test page, the day for a report,
 * the document's number. Several jobs may share a key (a failed attempt, then a reprint):
 * the newest is the one that counts. */
/* The kinds of job: this enum and the name table in store_print.c are the one list (the
 * schema's CHECK on print_jobs.kind must accept every name: test_store checks). */
enum store_print_kind {
	STORE_PRINT_RECEIPT,
	STORE_PRINT_COPY,
	STORE_PRINT_TEST,
	STORE_PRINT_REPORT,
	STORE_PRINT_DOCUMENT,
	STORE_PRINT_KIND_COUNT
};
/* "receipt", "copy", "test", "report", "document" (NULL outside the enum). */
const char *store_print_kind_name(enum store_print_kind k);
/* The kind named `name`, or -1 when no kind has that name (or name is NULL). */
int store_print_kind_of(const char *name);
#define STORE_PRINT_REF_MAX 64
struct store_print_job {
	int64_t id;
	char kind[12];            /* receipt | copy | test | report | document */
	char ref[STORE_PRINT_REF_MAX + 1];
	uint64_t coupon_seq;      /* receipts and copies: the coupon (ref); 0 for other kinds */
	char name[48];
	char state[12];           /* pending | sent | printed | failed */
	int copy;                 /* 1: this job printed the copy */
	char error[160];
	int64_t created_at, updated_at;
	int64_t pruned_at;        /* 0, or when retention dropped its bytes (schema 5) */
};
/* Records a job of any kind with its bytes and, for a receipt, the bytes of its copy (NULL/0
 * for none). kind must be a store_print_kind_name, ref 1..64 letters, digits,
 * '-', '_', '.' or ':' (plain words in logs and JSON).
 * *id gets the job id. */
int store_print_job_record(struct store *s, const char *kind, const char *ref, const char *name,
			   const uint8_t *data, size_t n, const uint8_t *copy_data, size_t cn,
			   int64_t now, int64_t *id);
/* A receipt (copy 0) or its copy (1) for coupon_seq: store_print_job_record with kind
 * receipt/copy and ref = the sequence; both byte strings are required. */
int store_print_job_add(struct store *s, uint64_t coupon_seq, const char *name, int copy,
			const uint8_t *data, size_t n, const uint8_t *copy_data, size_t cn, int64_t now,
			int64_t *id);
/* The newest job with this key: 0, 1 if none, <0 error. */
int store_print_job_find(struct store *s, const char *kind, const char *ref, struct store_print_job *out);
/* Moves a job to state ("sent", "printed", "failed"; error may be NULL). */
int store_print_job_set(struct store *s, int64_t id, const char *state, const char *error, int64_t now);
/* Removes a finished job's bytes at once, securely (the row stays: what was printed, when):
 * for papers that must not outlive the customer's session (a statement, a certificate). */
int store_print_job_forget_bytes(struct store *s, int64_t id);
/* The newest job: 0 and *out, 1 if there is none, <0 error. */
int store_print_job_last(struct store *s, struct store_print_job *out);
/* The newest job of any coupon (a receipt or a reprinted copy; the maintenance screen's
 * "Reimprimir último"): 0 and *out, 1 if no receipt was ever printed, <0 error. */
int store_print_job_last_receipt(struct store *s, struct store_print_job *out);
/* The newest job of a coupon: 0, 1 if none, <0 error. */
int store_print_job_of(struct store *s, uint64_t coupon_seq, struct store_print_job *out);
/* The copy's bytes of the newest job of a coupon (malloc'd; free()). 0, 1 if none or its
 * bytes were pruned, <0. */
int store_print_job_copy_bytes(struct store *s, uint64_t coupon_seq, uint8_t **data, size_t *n);

/* ---- retention (offline/store_retention.c, docs/store.md "Retention") ----
 * Receipt bytes are dropped, never the job's row: the row (coupon, state, times, error) is
 * the small record of what was printed; its data and copy_data become empty and pruned_at
 * is set. A job is never pruned while it is protected: updated within keep_recent_s of now
 * (the reprint window), or, with keep_unacked, its coupon's coupon.issued event is not
 * acknowledged by the server (pending, in flight or dead-lettered). Of the others, a job
 * older than max_age_s loses its bytes, and then the oldest lose theirs until the bytes
 * kept (protected ones included) are at most max_bytes. Runs in short transactions (a few
 * receipts each), so the UI thread's coupon transaction never waits long. */
struct store_retention {
	int64_t max_age_s;     /* > 0 */
	int64_t max_bytes;     /* > 0: receipt + copy bytes kept */
	int64_t keep_recent_s; /* >= 0 */
	int keep_unacked;
};
struct store_prune_report {
	int64_t jobs_pruned, bytes_pruned; /* by this run */
	int64_t jobs_kept, bytes_kept;     /* still holding bytes after it */
	int64_t protected_jobs;            /* kept past the age limit or the cap: protected */
};
int store_print_prune(struct store *s, const struct store_retention *r, int64_t now,
		      struct store_prune_report *out);
/* Removes outbox events the server acknowledged before `before` (epoch s): their payloads
 * hold ID numbers and the server keeps them; nothing unacknowledged is touched. *removed is
 * how many went. 0 or STORE_ERR. (offline/store_retention.c) */
int store_outbox_prune(struct store *s, int64_t before, int64_t *removed);
/* The coupon sequence numbers whose coupon.issued event the server has not acknowledged
 * (pending, in flight or dead), ascending, malloc'd (free(); NULL when *n = 0). 0 or <0. */
int store_unacked_coupons(struct store *s, uint64_t **seqs, size_t *n);
/* Gives the database's free pages back to the file system: PRAGMA incremental_vacuum in
 * steps of 1 MB (one short transaction each), then a WAL checkpoint that truncates the
 * WAL. A database created before auto_vacuum was set (schema < 5) is converted first, once,
 * with VACUUM (it holds the write lock for as long as copying the live data takes).
 * *freed gets the bytes the file shrank by. 0 or <0. */
int store_vacuum(struct store *s, int64_t *freed);
struct store_disk {
	int64_t store_bytes;   /* the database file and its WAL */
	int64_t free_bytes;    /* free on the file system, for this user (statvfs f_bavail) */
	int64_t unused_bytes;  /* free pages inside the file, not yet given back */
};
int store_disk_usage(struct store *s, struct store_disk *out);
/* The store's integrity check (PRAGMA quick_check: the b-trees, their pages and records,
 * without the slower index-against-table comparison of integrity_check). It reads every
 * page, so it runs on a worker, never on the UI thread. 0: ok; 1: corrupt, with detail set
 * to what SQLite found, in one line (page and cell numbers, no data); <0: it could not run
 * (store_error). (offline/store_retention.c) */
int store_quick_check(struct store *s, char *detail, size_t n);
/* The full check (PRAGMA integrity_check: quick_check's, plus every index against its table,
 * UNIQUE and NOT NULL constraints). Slower (the maintenance screen "Datos" runs it on the
 * maintenance worker on a technician's request). Returns as store_quick_check. */
int store_integrity_check(struct store *s, char *detail, size_t n);
/* How long a call waits for another connection's write lock (default 250 ms: the UI thread
 * must not wait longer; workers may set more). */
void store_set_busy_timeout(struct store *s, int ms);
#endif
