/* Print jobs in the store (store.h, schema versions 4 and 5). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* The job's row and its bytes (print_job_bytes, schema 5) in one transaction. */
int store_print_job_add(struct store *s, uint64_t coupon_seq, const char *name, int copy,
			const uint8_t *data, size_t n, const uint8_t *copy_data, size_t cn, int64_t now,
			int64_t *id)
{
	sqlite3_stmt *st = NULL;
	int64_t job = 0;
	char why[sizeof s->err];
	if (!name || !data || !n || !copy_data || !cn || n > (1u << 24) || cn > (1u << 24))
		return store_fail(s, STORE_EINVAL, "print job: missing or oversized receipt");
	if (store_exec(s, "BEGIN IMMEDIATE") < 0)
		return STORE_ERR;
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO print_jobs(coupon_seq, name, state, copy, created_at, updated_at)"
			       " VALUES(?1, ?2, 'pending', ?3, ?4, ?4)",
			       -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)coupon_seq);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, copy ? 1 : 0);
	sqlite3_bind_int64(st, 4, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	job = sqlite3_last_insert_rowid(s->db);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(s->db, "INSERT INTO print_job_bytes(job_id, data, copy_data) VALUES(?1, ?2, ?3)",
			       -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, job);
	sqlite3_bind_blob(st, 2, data, (int)n, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, copy_data, (int)cn, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	st = NULL;
	if (store_exec(s, "COMMIT") < 0)
		goto fail_msg;
	if (id)
		*id = job;
	return 0;
fail:
	store_fail_db(s, "print job");
fail_msg:
	sqlite3_finalize(st);
	snprintf(why, sizeof why, "%s", s->err);
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	snprintf(s->err, sizeof s->err, "%s", why);
	return STORE_ERR;
}

int store_print_job_set(struct store *s, int64_t id, const char *state, const char *error, int64_t now)
{
	sqlite3_stmt *st = NULL;
	if (!state || (strcmp(state, "sent") && strcmp(state, "printed") && strcmp(state, "failed")))
		return store_fail(s, STORE_EINVAL, "print job: unknown state");
	if (sqlite3_prepare_v2(s->db, "UPDATE print_jobs SET state = ?2, error = ?3, updated_at = ?4 WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "print job");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	if (error)
		sqlite3_bind_text(st, 3, error, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_int64(st, 4, now);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "print job");
}

static int job_query(struct store *s, const char *where, int64_t arg, int has_arg, struct store_print_job *out)
{
	char sql[300];
	sqlite3_stmt *st = NULL;
	memset(out, 0, sizeof(*out));
	snprintf(sql, sizeof(sql),
		 "SELECT id, coupon_seq, name, state, copy, coalesce(error, ''), created_at, updated_at,"
		 " coalesce(pruned_at, 0) FROM print_jobs %s ORDER BY id DESC LIMIT 1",
		 where);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "print job");
	if (has_arg)
		sqlite3_bind_int64(st, 1, arg);
	int rc = sqlite3_step(st), ret = 1;
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->coupon_seq = (uint64_t)sqlite3_column_int64(st, 1);
		snprintf(out->name, sizeof(out->name), "%s", (const char *)sqlite3_column_text(st, 2));
		snprintf(out->state, sizeof(out->state), "%s", (const char *)sqlite3_column_text(st, 3));
		out->copy = sqlite3_column_int(st, 4);
		snprintf(out->error, sizeof(out->error), "%s", (const char *)sqlite3_column_text(st, 5));
		out->created_at = sqlite3_column_int64(st, 6);
		out->updated_at = sqlite3_column_int64(st, 7);
		out->pruned_at = sqlite3_column_int64(st, 8);
		ret = 0;
	} else if (rc != SQLITE_DONE) {
		ret = store_fail_db(s, "print job");
	}
	sqlite3_finalize(st);
	return ret;
}

int store_print_job_last(struct store *s, struct store_print_job *out) { return job_query(s, "", 0, 0, out); }

int store_print_job_of(struct store *s, uint64_t coupon_seq, struct store_print_job *out)
{
	return job_query(s, "WHERE coupon_seq = ?1", (int64_t)coupon_seq, 1, out);
}

int store_print_job_copy_bytes(struct store *s, uint64_t coupon_seq, uint8_t **data, size_t *n)
{
	sqlite3_stmt *st = NULL;
	*data = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT b.copy_data FROM print_jobs j LEFT JOIN print_job_bytes b ON b.job_id = j.id"
			       " WHERE j.coupon_seq = ?1 ORDER BY j.id DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "print job");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)coupon_seq);
	int rc = sqlite3_step(st), ret = 1;
	if (rc == SQLITE_ROW) {
		const void *b = sqlite3_column_blob(st, 0);
		int len = sqlite3_column_bytes(st, 0);
		*data = len > 0 ? malloc((size_t)len) : NULL;
		if (len == 0) {
			ret = 1; /* pruned by the retention job: nothing to reprint */
		} else if (!*data) {
			ret = store_fail(s, STORE_ERR, "print job: out of memory");
		} else {
			memcpy(*data, b, (size_t)len);
			*n = (size_t)len;
			ret = 0;
		}
	} else if (rc != SQLITE_DONE) {
		ret = store_fail_db(s, "print job");
	}
	sqlite3_finalize(st);
	return ret;
}
