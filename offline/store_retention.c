/* Retention in the store (store.h, docs/store.md "Retention"): dropping old receipt bytes
 * from print_jobs, giving the space back to the file system, and the store's disk figures. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "files.h"
#include "store_internal.h"

/* Jobs pruned per transaction: a receipt and its copy are ~130 KB, so a step frees a few MB
 * and holds the write lock for milliseconds, not seconds. */
#define PRUNE_STEP 16
/* Pages given back per incremental_vacuum transaction (4 KiB pages: 1 MiB). */
#define VACUUM_STEP 256

void store_set_busy_timeout(struct store *s, int ms)
{
	s->busy_ms = ms;
	sqlite3_busy_timeout(s->db, ms);
}

/* Appends msg to detail as one line ("; " between messages, newlines as spaces). */
static void add_detail(char *detail, size_t n, const char *msg)
{
	size_t used = strlen(detail);

	if (used + 3 >= n)
		return;
	if (used)
		used += (size_t)snprintf(detail + used, n - used, "; ");
	for (; *msg && used + 1 < n; msg++) {
		if (*msg == '\n' && used + 2 < n) /* a row holds several messages, a line each */
			detail[used++] = ';';
		detail[used++] = *msg == '\n' || *msg == '\r' ? ' ' : *msg;
	}
	detail[used] = 0;
}

/* PRAGMA quick_check(8) or integrity_check(8): the same rows, the same reading. */
static int check_pragma(struct store *s, const char *pragma, const char *what, char *detail, size_t n)
{
	sqlite3_stmt *st;
	int rc, bad = 0;

	if (n)
		detail[0] = 0;
	/* at most 8 messages: the first ones say enough, a big corrupt store could list thousands */
	if (sqlite3_prepare_v2(s->db, pragma, -1, &st, NULL) != SQLITE_OK) {
		rc = sqlite3_errcode(s->db) & 0xff;
		if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) {
			add_detail(detail, n, sqlite3_errmsg(s->db));
			return 1;
		}
		return store_fail_db(s, what);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0);

		if (m && strcmp(m, "ok") != 0) {
			bad = 1;
			if (!strncmp(m, "*** in database main ***", 24)) /* the only database */
				m += strspn(m + 24, "\n ") + 24;
			add_detail(detail, n, m);
		}
	}
	if (rc != SQLITE_DONE) {
		rc = sqlite3_extended_errcode(s->db) & 0xff;
		if (rc != SQLITE_CORRUPT && rc != SQLITE_NOTADB) {
			sqlite3_finalize(st);
			return store_fail_db(s, what);
		}
		bad = 1; /* a page it could not even read */
		add_detail(detail, n, sqlite3_errmsg(s->db));
	}
	sqlite3_finalize(st);
	return bad;
}

int store_quick_check(struct store *s, char *detail, size_t n)
{
	return check_pragma(s, "PRAGMA quick_check(8)", "quick_check", detail, n);
}

int store_integrity_check(struct store *s, char *detail, size_t n)
{
	return check_pragma(s, "PRAGMA integrity_check(8)", "integrity_check", detail, n);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

int store_unacked_coupons(struct store *s, uint64_t **seqs, size_t *n)
{
	sqlite3_stmt *st = NULL;
	uint64_t *v = NULL;
	size_t count = 0, cap = 0;
	int rc;

	*seqs = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT json_extract(payload, '$.seq') FROM outbox"
			       " WHERE state IN (0, 1, 3) AND type = 'coupon.issued'",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "retention: unacknowledged coupons");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_INTEGER)
			continue;
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			uint64_t *nv = realloc(v, ncap * sizeof *nv);

			if (!nv) {
				rc = SQLITE_NOMEM;
				break;
			}
			v = nv;
			cap = ncap;
		}
		v[count++] = (uint64_t)sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE) {
		if (rc == SQLITE_NOMEM)
			store_fail(s, STORE_ERR, "retention: out of memory");
		else
			store_fail_db(s, "retention: unacknowledged coupons");
		sqlite3_finalize(st);
		free(v);
		return STORE_ERR;
	}
	sqlite3_finalize(st);
	if (count)
		qsort(v, count, sizeof *v, cmp_u64);
	else {
		free(v);
		v = NULL;
	}
	*seqs = v;
	*n = count;
	return 0;
}

struct kept_job {
	int64_t id;
	int64_t at;    /* the later of created_at and updated_at */
	int64_t bytes; /* receipt + copy */
	int protect;
};

/* The jobs that still hold bytes, newest first. */
static int kept_jobs(struct store *s, const struct store_retention *r, int64_t now,
		     const uint64_t *unacked, size_t nunacked, struct kept_job **out, size_t *n)
{
	sqlite3_stmt *st = NULL;
	struct kept_job *v = NULL;
	size_t count = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT j.id, j.coupon_seq, max(j.created_at, j.updated_at),"
			       " length(b.data) + length(b.copy_data)"
			       " FROM print_job_bytes b JOIN print_jobs j ON j.id = b.job_id"
			       " ORDER BY b.job_id DESC",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "retention: reading print jobs");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t seq = (uint64_t)sqlite3_column_int64(st, 1);
		struct kept_job *j;

		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			struct kept_job *nv = realloc(v, ncap * sizeof *nv);

			if (!nv) {
				rc = SQLITE_NOMEM;
				break;
			}
			v = nv;
			cap = ncap;
		}
		j = &v[count++];
		j->id = sqlite3_column_int64(st, 0);
		j->at = sqlite3_column_int64(st, 2);
		j->bytes = sqlite3_column_int64(st, 3);
		j->protect = j->at > now - r->keep_recent_s ||
			     (r->keep_unacked && nunacked &&
			      bsearch(&seq, unacked, nunacked, sizeof *unacked, cmp_u64));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(v);
		if (rc == SQLITE_NOMEM)
			return store_fail(s, STORE_ERR, "retention: out of memory");
		return store_fail_db(s, "retention: reading print jobs");
	}
	*out = v;
	*n = count;
	return 0;
}

/* Drops the bytes of jobs ids[0..n-1] and marks them pruned, in one transaction. */
static int prune_step(struct store *s, const int64_t *ids, int n, int64_t now)
{
	sqlite3_stmt *del = NULL, *mark = NULL;
	char why[sizeof s->err];

	if (store_exec(s, "BEGIN IMMEDIATE") < 0)
		return STORE_ERR;
	if (sqlite3_prepare_v2(s->db, "DELETE FROM print_job_bytes WHERE job_id = ?1", -1, &del,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "UPDATE print_jobs SET pruned_at = ?2 WHERE id = ?1", -1, &mark,
			       NULL) != SQLITE_OK) {
		store_fail_db(s, "retention: pruning");
		goto fail;
	}
	for (int i = 0; i < n; i++) {
		sqlite3_reset(del);
		sqlite3_reset(mark);
		sqlite3_bind_int64(del, 1, ids[i]);
		sqlite3_bind_int64(mark, 1, ids[i]);
		sqlite3_bind_int64(mark, 2, now);
		if (sqlite3_step(del) != SQLITE_DONE || sqlite3_step(mark) != SQLITE_DONE) {
			store_fail_db(s, "retention: pruning");
			goto fail;
		}
	}
	sqlite3_finalize(del);
	sqlite3_finalize(mark);
	del = mark = NULL;
	if (store_exec(s, "COMMIT") == 0)
		return 0;
fail:
	sqlite3_finalize(del);
	sqlite3_finalize(mark);
	snprintf(why, sizeof why, "%s", s->err);
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	snprintf(s->err, sizeof s->err, "%s", why);
	return STORE_ERR;
}

int store_print_prune(struct store *s, const struct store_retention *r, int64_t now,
		      struct store_prune_report *out)
{
	uint64_t *unacked = NULL;
	size_t nunacked = 0, njobs = 0;
	struct kept_job *jobs = NULL;
	int64_t protected_bytes = 0, kept = 0, ids[PRUNE_STEP];
	int nids = 0, rc = STORE_ERR;

	memset(out, 0, sizeof *out);
	if (!r || r->max_age_s <= 0 || r->max_bytes <= 0 || r->keep_recent_s < 0)
		return store_fail(s, STORE_EINVAL, "retention: max_age_s and max_bytes must be > 0");
	if (!sqlite3_get_autocommit(s->db))
		return store_fail(s, STORE_ERR, "retention: a transaction is open");
	/* Both lists from one snapshot (a job is never judged against an older queue), then
	 * the read transaction ends before anything is written. */
	if (store_exec(s, "BEGIN") < 0)
		return STORE_ERR;
	if ((r->keep_unacked && store_unacked_coupons(s, &unacked, &nunacked) < 0) ||
	    kept_jobs(s, r, now, unacked, nunacked, &jobs, &njobs) < 0) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		goto out;
	}
	if (store_exec(s, "COMMIT") < 0)
		goto out;
	for (size_t i = 0; i < njobs; i++)
		if (jobs[i].protect)
			protected_bytes += jobs[i].bytes;
	/* Newest first: an unprotected job stays while it is young enough and fits in what the
	 * protected ones leave of the cap; from the first that does not, the older ones go too
	 * (the oldest always go first). */
	kept = protected_bytes;
	int full = 0;
	for (size_t i = 0; i < njobs; i++) {
		struct kept_job *j = &jobs[i];

		if (j->protect) {
			out->jobs_kept++;
			if (j->at <= now - r->max_age_s || full)
				out->protected_jobs++;
			continue;
		}
		if (!full && j->at > now - r->max_age_s && kept + j->bytes <= r->max_bytes) {
			kept += j->bytes;
			out->jobs_kept++;
			continue;
		}
		full |= j->at > now - r->max_age_s; /* over the cap: every older one goes */
		ids[nids++] = j->id;
		out->jobs_pruned++;
		out->bytes_pruned += j->bytes;
		if (nids == PRUNE_STEP) {
			if (prune_step(s, ids, nids, now) < 0)
				goto out;
			nids = 0;
		}
	}
	if (nids && prune_step(s, ids, nids, now) < 0)
		goto out;
	out->bytes_kept = kept;
	rc = 0;
out:
	free(unacked);
	free(jobs);
	return rc; /* on failure *out says what the steps before it pruned */
}

static int64_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (int64_t)st.st_size : 0;
}

int store_disk_usage(struct store *s, struct store_disk *out)
{
	const char *db = sqlite3_db_filename(s->db, "main");
	char wal[4096], dir[4096];
	int64_t freelist, page;
	char *slash;

	memset(out, 0, sizeof *out);
	if (!db || !db[0] || strlen(db) + 5 > sizeof wal)
		return store_fail(s, STORE_ERR, "disk usage: the database has no file name");
	snprintf(wal, sizeof wal, "%s-wal", db);
	snprintf(dir, sizeof dir, "%s", db);
	slash = strrchr(dir, '/');
	if (slash == dir)
		dir[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	out->store_bytes = file_size(db) + file_size(wal);
	out->free_bytes = files_free_bytes(dir);
	if (out->free_bytes < 0)
		return store_fail(s, STORE_ERR, "disk usage: %s", strerror(errno));
	if (store_pragma_i64(s, "PRAGMA freelist_count", &freelist) < 0 ||
	    store_pragma_i64(s, "PRAGMA page_size", &page) < 0)
		return STORE_ERR;
	out->unused_bytes = freelist * page;
	return 0;
}

int store_outbox_prune(struct store *s, int64_t before, int64_t *removed)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*removed = 0;
	/* acknowledged only (state 2): pending, in-flight and dead-lettered events stay; the
	 * per-device sequence lives in counters, so no number is ever given out again */
	if (sqlite3_prepare_v2(s->db, "DELETE FROM outbox WHERE state = 2 AND acked_at < ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return store_fail(s, STORE_ERR, "retention: %s", sqlite3_errmsg(s->db));
	sqlite3_bind_int64(st, 1, before);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, STORE_ERR, "retention: removing acknowledged events: %s",
				  sqlite3_errmsg(s->db));
	*removed = sqlite3_changes64(s->db);
	return 0;
}

int store_vacuum(struct store *s, int64_t *freed)
{
	struct store_disk before, after;
	int64_t mode, freelist;
	char sql[64];

	*freed = 0;
	if (!sqlite3_get_autocommit(s->db))
		return store_fail(s, STORE_ERR, "vacuum: a transaction is open");
	if (store_disk_usage(s, &before) < 0 || store_pragma_i64(s, "PRAGMA auto_vacuum", &mode) < 0)
		return STORE_ERR;
	if (mode != 2) {
		/* Once per database: auto_vacuum can only change with a full VACUUM, which writes a
		 * copy of the database (through the WAL). On a disk without room for that it would
		 * fail with SQLITE_FULL every day: it waits for a pass with room, and the rest of
		 * this pass still runs. */
		if (before.free_bytes >= 0 && before.free_bytes < 2 * before.store_bytes + (8 << 20))
			return 0;
		if (store_exec(s, "PRAGMA auto_vacuum=INCREMENTAL") < 0 || store_exec(s, "VACUUM") < 0)
			return STORE_ERR;
	}
	snprintf(sql, sizeof sql, "PRAGMA incremental_vacuum(%d)", VACUUM_STEP);
	for (int64_t last = -1;; last = freelist) {
		if (store_pragma_i64(s, "PRAGMA freelist_count", &freelist) < 0)
			return STORE_ERR;
		if (freelist == 0 || freelist == last) /* done, or a step that freed nothing */
			break;
		if (store_exec(s, sql) < 0)
			return STORE_ERR;
	}
	/* The file shrinks when the WAL is checkpointed; TRUNCATE also empties the WAL. It would
	 * wait for readers holding the write lock, so it gets no busy wait at all: with a reader
	 * in a transaction it gives up at once (the coupon transaction is never held up) and a
	 * plain checkpoint copies what it can; the next pass finishes. */
	sqlite3_busy_timeout(s->db, 0);
	if (sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) !=
	    SQLITE_OK)
		sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	sqlite3_busy_timeout(s->db, s->busy_ms);
	if (store_disk_usage(s, &after) < 0)
		return STORE_ERR;
	*freed = before.store_bytes > after.store_bytes ? before.store_bytes - after.store_bytes : 0;
	return 0;
}
