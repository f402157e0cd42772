/* store_audit — the hash-chained audit log (offline/audit.h; docs/store.md "The audit chain").
 *
 * A row's hash is SHA-256 over this ASCII byte string (no NUL, no trailing newline):
 *
 *   prev "|" id "|" at "|" len(action) ":" action "|" len(result) ":" result "|" len(detail) ":" detail
 *
 * prev is the previous row's hash as 64 lowercase hex digits (64 '0' for the first row), id
 * and at are decimal integers, len() is the byte length in decimal: the length prefixes make
 * the string unambiguous whatever the text holds. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/sha.h>

#include "audit.h"
#include "outbox.h"
#include "store_internal.h"

static const char zero_hash[AUDIT_HASH_HEX + 1] =
	"0000000000000000000000000000000000000000000000000000000000000000";

/* hex = SHA-256 of the row's canonical bytes. Returns 0 or -1 (out of memory). */
static int row_hash(const char *prev, int64_t id, int64_t at, const char *action,
		    const char *result, const char *detail, char hex[AUDIT_HASH_HEX + 1])
{
	static const char digits[] = "0123456789abcdef";
	uint8_t md[SHA256_DIGEST_LENGTH];
	size_t n = strlen(action) + strlen(result) + strlen(detail) + AUDIT_HASH_HEX + 128;
	char *buf = malloc(n);
	int len;

	if (!buf)
		return -1;
	len = snprintf(buf, n, "%s|%" PRId64 "|%" PRId64 "|%zu:%s|%zu:%s|%zu:%s", prev, id, at,
		       strlen(action), action, strlen(result), result, strlen(detail), detail);
	if (len < 0 || (size_t)len >= n) {
		free(buf);
		return -1;
	}
	SHA256((const unsigned char *)buf, (size_t)len, md);
	free(buf);
	for (int i = 0; i < SHA256_DIGEST_LENGTH; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[AUDIT_HASH_HEX] = '\0';
	return 0;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : "";
}

/* The last row's hash, or zero_hash when the table is empty. 0, 1 (empty) or STORE_ERR. */
static int last_hash(struct store *s, char hex[AUDIT_HASH_HEX + 1])
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1", -1, &st,
			       NULL) != SQLITE_OK)
		return store_fail_db(s, "audit: reading the chain's head");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(hex, AUDIT_HASH_HEX + 1, "%s", col_text(st, 0));
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		memcpy(hex, zero_hash, sizeof zero_hash);
		rc = 1;
	} else {
		rc = store_fail_db(s, "audit: reading the chain's head");
	}
	sqlite3_finalize(st);
	return rc;
}

int audit_insert_chained(struct store *s, struct audit_row *r)
{
	sqlite3_stmt *st = NULL;
	int64_t id;
	int rc;

	if (last_hash(s, r->prev) < 0)
		return STORE_ERR;
	if (store_query_i64(s, "audit: the next row id", "SELECT coalesce(max(id), 0) + 1 FROM audit",
			    &id) < 0)
		return STORE_ERR;
	if (row_hash(r->prev, id, r->at, r->action, r->result, r->detail, r->hash) < 0)
		return store_fail(s, STORE_ERR, "audit: out of memory");
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO audit(id, at, action, result, detail, prev, hash)"
			       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "audit: preparing the row");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, r->at);
	sqlite3_bind_text(st, 3, r->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->result, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail_db(s, "audit: writing the row");
	sqlite3_finalize(st);
	if (rc == 0)
		r->id = id;
	return rc;
}

int audit_chain_existing(struct store *s)
{
	sqlite3_stmt *sel = NULL, *upd = NULL;
	char prev[AUDIT_HASH_HEX + 1];
	int rc = STORE_ERR, step;

	memcpy(prev, zero_hash, sizeof prev);
	if (sqlite3_prepare_v2(s->db, "SELECT id, at, action, result, detail FROM audit ORDER BY id",
			       -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "UPDATE audit SET prev = ?1, hash = ?2 WHERE id = ?3", -1, &upd,
			       NULL) != SQLITE_OK) {
		store_fail_db(s, "audit: chaining the existing rows");
		goto out;
	}
	while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
		char hash[AUDIT_HASH_HEX + 1];
		int64_t id = sqlite3_column_int64(sel, 0);

		if (row_hash(prev, id, sqlite3_column_int64(sel, 1), col_text(sel, 2), col_text(sel, 3),
			     col_text(sel, 4), hash) < 0) {
			store_fail(s, STORE_ERR, "audit: out of memory");
			goto out;
		}
		sqlite3_reset(upd);
		sqlite3_bind_text(upd, 1, prev, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(upd, 2, hash, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(upd, 3, id);
		if (sqlite3_step(upd) != SQLITE_DONE) {
			store_fail_db(s, "audit: chaining the existing rows");
			goto out;
		}
		memcpy(prev, hash, sizeof prev);
	}
	if (step != SQLITE_DONE) {
		store_fail_db(s, "audit: chaining the existing rows");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return rc;
}

/* ---- maintenance actions ---- */

static int code_ok(const char *t, size_t max)
{
	size_t n = t ? strlen(t) : 0;

	return n >= 1 && n <= max && strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

static int detail_ok(const char *t)
{
	size_t n = t ? strlen(t) : 0, run = 0;

	if (!t || n > AUDIT_DETAIL_MAX ||
	    strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-=,:/ ") != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		run = t[i] >= '0' && t[i] <= '9' ? run + 1 : 0;
		if (run >= 6)
			return 0;
	}
	return 1;
}

int store_audit_append(struct store *s, int64_t at, const char *action, const char *result,
		       const char *detail, int64_t *id_out)
{
	struct audit_row r;
	char why[sizeof s->err];
	int own, ok;

	if (!code_ok(action, AUDIT_ACTION_MAX))
		return store_fail(s, STORE_EINVAL, "action: 1..%d characters of a-z 0-9 . _ -",
				  AUDIT_ACTION_MAX);
	if (!code_ok(result, AUDIT_RESULT_MAX))
		return store_fail(s, STORE_EINVAL, "result: 1..%d characters of a-z 0-9 . _ -",
				  AUDIT_RESULT_MAX);
	if (!detail_ok(detail))
		return store_fail(s, STORE_EINVAL,
				  "detail: codes only: up to %d characters of A-Z a-z 0-9 . _ - = , : /"
				  " and space, no run of 6 digits",
				  AUDIT_DETAIL_MAX);
	memset(&r, 0, sizeof r);
	r.at = at > 0 ? at : (int64_t)time(NULL);
	r.action = action;
	r.result = result;
	r.detail = detail;
	own = sqlite3_get_autocommit(s->db) != 0;
	if (store_exec(s, own ? "BEGIN IMMEDIATE" : "SAVEPOINT audit_append") < 0)
		return STORE_ERR;
	ok = audit_insert_chained(s, &r) == 0 && outbox_write(s, OUTBOX_MAINTENANCE_ACTION, &r) == 0;
	if (ok && store_exec(s, own ? "COMMIT" : "RELEASE audit_append") == 0) {
		if (id_out)
			*id_out = r.id;
		return 0;
	}
	snprintf(why, sizeof why, "%s", s->err);
	if (!sqlite3_get_autocommit(s->db)) {
		if (own) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		} else {
			sqlite3_exec(s->db, "ROLLBACK TO audit_append", NULL, NULL, NULL);
			sqlite3_exec(s->db, "RELEASE audit_append", NULL, NULL, NULL);
		}
	}
	snprintf(s->err, sizeof s->err, "%s", why);
	return STORE_ERR;
}

/* ---- reading ---- */

int store_audit_head(struct store *s, char hex[AUDIT_HASH_HEX + 1])
{
	return last_hash(s, hex);
}

int store_audit_verify(struct store *s, int64_t *rows, int64_t *first_bad_id, char *why, size_t n)
{
	sqlite3_stmt *st;
	char prev[AUDIT_HASH_HEX + 1];
	int64_t count = 0, prev_id = 0;
	int rc = 0, step;

	*rows = 0;
	*first_bad_id = 0;
	if (n)
		why[0] = '\0';
	memcpy(prev, zero_hash, sizeof prev);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT id, at, action, result, detail, prev, hash FROM audit ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "audit: reading the chain");
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char hash[AUDIT_HASH_HEX + 1];
		int64_t id = sqlite3_column_int64(st, 0);
		const char *stored = col_text(st, 6);

		count++;
		if (row_hash(prev, id, sqlite3_column_int64(st, 1), col_text(st, 2), col_text(st, 3),
			     col_text(st, 4), hash) < 0) {
			rc = store_fail(s, STORE_ERR, "audit: out of memory");
			break;
		}
		if (strcmp(col_text(st, 5), prev) != 0) {
			if (prev_id)
				snprintf(why, n, "audit row %" PRId64 ": does not follow row %" PRId64
					 " (a row between them was removed, or the link changed)", id, prev_id);
			else
				snprintf(why, n, "audit row %" PRId64 ": does not start the chain"
					 " (a row before it was removed, or the link changed)", id);
		} else if (strcmp(stored, hash) != 0) {
			snprintf(why, n, "audit row %" PRId64 ": hash does not match its content", id);
		} else {
			/* the next row links to the stored hash, which is the computed one */
			memcpy(prev, hash, sizeof prev);
			prev_id = id;
			continue;
		}
		*first_bad_id = id;
		rc = 1;
		break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_fail_db(s, "audit: reading the chain");
	sqlite3_finalize(st);
	if (rc == 0)
		*rows = count;
	return rc;
}
