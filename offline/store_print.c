/* Print jobs in the store (store.h, schema versions 4, 5 and 6: jobs of any kind). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

static const char *const kind_names[] = {
	[STORE_PRINT_RECEIPT] = "receipt", [STORE_PRINT_COPY] = "copy",         [STORE_PRINT_TEST] = "test",
	[STORE_PRINT_REPORT] = "report",   [STORE_PRINT_DOCUMENT] = "document",
};
_Static_assert(sizeof kind_names / sizeof *kind_names == STORE_PRINT_KIND_COUNT, "a print kind without a name");

const char *store_print_kind_name(enum store_print_kind k)
{
	return (unsigned)k < STORE_PRINT_KIND_COUNT ? kind_names[k] : NULL;
}

int store_print_kind_of(const char *name)
{
	for (int i = 0; name && i < STORE_PRINT_KIND_COUNT; i++)
		if (!strcmp(name, kind_names[i]))
			return i;
	return -1;
}

static int kind_ok(const char *kind)
{
	return store_print_kind_of(kind) >= 0;
}

static int ref_ok(const char *ref)
{
	size_t n = ref ? strlen(ref) : 0;

	if (n == 0 || n > STORE_PRINT_REF_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = ref[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_' || c == '.' || c == ':'))
			return 0;
	}
	return 1;
}

/* The job's row and its bytes (print_job_bytes, schema 5) in one transaction. */
int store_print_job_record(struct store *s, const char *kind, const char *ref, const char *name,
			   const uint8_t *data, size_t n, const uint8_t *copy_data, size_t cn,
			   int64_t now, int64_t *id)
{
	sqlite3_stmt *st = NULL;
	int64_t job = 0;
	char why[sizeof s->err];
	if (!kind_ok(kind)) {
		char list[80] = "";
		for (int k = 0, n = 0; k < STORE_PRINT_KIND_COUNT && n >= 0 && (size_t)n < sizeof list; k++)
			n += snprintf(list + n, sizeof list - (size_t)n, "%s%s", k ? ", " : "", kind_names[k]);
		return store_fail(s, STORE_EINVAL, "print job: kind must be one of %s", list);
	}
	if (!ref_ok(ref))
		return store_fail(s, STORE_EINVAL, "print job: bad reference (1..64 letters, digits, '-', '_', '.', ':')");
	if (!name || !data || !n || n > (1u << 24) || (cn && !copy_data) || cn > (1u << 24))
		return store_fail(s, STORE_EINVAL, "print job: missing or oversized bytes");
	if (store_exec(s, "BEGIN IMMEDIATE") < 0)
		return STORE_ERR;
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO print_jobs(kind, ref, name, state, created_at, updated_at)"
			       " VALUES(?1, ?2, ?3, 'pending', ?4, ?4)",
			       -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
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
	if (cn)
		sqlite3_bind_blob(st, 3, copy_data, (int)cn, SQLITE_STATIC);
	else
		sqlite3_bind_zeroblob(st, 3, 0); /* no copy: an empty blob, never NULL */
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

int store_print_job_add(struct store *s, uint64_t coupon_seq, const char *name, int copy,
			const uint8_t *data, size_t n, const uint8_t *copy_data, size_t cn, int64_t now,
			int64_t *id)
{
	char ref[24];

	if (!coupon_seq || !copy_data || !cn)
		return store_fail(s, STORE_EINVAL, "print job: missing or oversized receipt");
	snprintf(ref, sizeof ref, "%llu", (unsigned long long)coupon_seq);
	return store_print_job_record(s, store_print_kind_name(copy ? STORE_PRINT_COPY : STORE_PRINT_RECEIPT), ref, name, data, n, copy_data, cn,
				      now, id);
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

/* The newest job matching `where`, which takes ?1 = kind and ?2 = ref when kind is given,
 * else ?1 = seq when seq is not 0. */
static int job_query(struct store *s, const char *where, const char *kind, const char *ref, uint64_t seq,
		     struct store_print_job *out)
{
	char sql[360];
	sqlite3_stmt *st = NULL;
	memset(out, 0, sizeof(*out));
	snprintf(sql, sizeof(sql),
		 "SELECT id, kind, ref, coalesce(coupon_seq, 0), name, state, copy, coalesce(error, ''),"
		 " created_at, updated_at, coalesce(pruned_at, 0) FROM print_jobs %s ORDER BY id DESC LIMIT 1",
		 where);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "print job");
	if (kind) {
		sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, ref, -1, SQLITE_STATIC);
	} else if (seq) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	}
	int rc = sqlite3_step(st), ret = 1;
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		snprintf(out->kind, sizeof(out->kind), "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(out->ref, sizeof(out->ref), "%s", (const char *)sqlite3_column_text(st, 2));
		out->coupon_seq = (uint64_t)sqlite3_column_int64(st, 3);
		snprintf(out->name, sizeof(out->name), "%s", (const char *)sqlite3_column_text(st, 4));
		snprintf(out->state, sizeof(out->state), "%s", (const char *)sqlite3_column_text(st, 5));
		out->copy = sqlite3_column_int(st, 6);
		snprintf(out->error, sizeof(out->error), "%s", (const char *)sqlite3_column_text(st, 7));
		out->created_at = sqlite3_column_int64(st, 8);
		out->updated_at = sqlite3_column_int64(st, 9);
		out->pruned_at = sqlite3_column_int64(st, 10);
		ret = 0;
	} else if (rc != SQLITE_DONE) {
		ret = store_fail_db(s, "print job");
	}
	sqlite3_finalize(st);
	return ret;
}

int store_print_job_last(struct store *s, struct store_print_job *out) { return job_query(s, "", NULL, NULL, 0, out); }

int store_print_job_last_receipt(struct store *s, struct store_print_job *out)
{
	return job_query(s, "WHERE coupon_seq > 0", NULL, NULL, 0, out);
}

int store_print_job_of(struct store *s, uint64_t coupon_seq, struct store_print_job *out)
{
	if (!coupon_seq) {
		memset(out, 0, sizeof(*out));
		return 1; /* no coupon has sequence 0 */
	}
	return job_query(s, "WHERE coupon_seq = ?1", NULL, NULL, coupon_seq, out);
}

int store_print_job_find(struct store *s, const char *kind, const char *ref, struct store_print_job *out)
{
	if (!kind_ok(kind) || !ref_ok(ref)) {
		memset(out, 0, sizeof(*out));
		return store_fail(s, STORE_EINVAL, "print job: bad kind or reference");
	}
	return job_query(s, "WHERE kind = ?1 AND ref = ?2", kind, ref, 0, out);
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

int store_print_job_forget_bytes(struct store *s, int64_t id)
{
	sqlite3_stmt *st = NULL;
	/* overwritten, not only unlinked: the pages it leaves hold no trace of the paper */
	if (store_exec(s, "PRAGMA secure_delete = ON") < 0)
		return STORE_ERR;
	int rc = 0;
	if (sqlite3_prepare_v2(s->db, "DELETE FROM print_job_bytes WHERE job_id = ?1", -1, &st, NULL) != SQLITE_OK) {
		rc = store_fail_db(s, "print job bytes");
	} else {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = store_fail_db(s, "print job bytes");
		sqlite3_finalize(st);
	}
	store_exec(s, "PRAGMA secure_delete = OFF");
	return rc;
}
