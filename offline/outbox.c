/* outbox — events waiting for the central API, in the store's database: the drainer.
 *
 * Writers (the UI thread, through the store's commit hook) push inside the store's open
 * transaction, so an event exists exactly when what it describes does: outbox_write.c, one
 * encoder per kind of event. The sync worker drains it on its own connection: claim
 * (pending -> in_flight), then ack, dead or release each key. docs/outbox.md has the state
 * diagram and the recovery rules; the tables come from the store's migration 3
 * (offline/store.c). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "outbox.h"
#include "store_internal.h"
#include "wire.h"

/* The first schema version with the outbox and audit tables (store.c, migration 3). */
#define OUTBOX_SCHEMA_MIN 3
/* The worker may wait for the UI thread's coupon transaction; it is not on screen. */
#define OUTBOX_BUSY_MS 2000
#define OUTBOX_REASON_MAX 200

_Static_assert(OUTBOX_PENDING == 0 && OUTBOX_IN_FLIGHT == 1 && OUTBOX_ACKED == 2 &&
		       OUTBOX_DEAD == 3,
	       "the state numbers are stored in the database and written into the SQL below");
_Static_assert(sizeof(((struct outbox_dead_letter *)0)->reason) == OUTBOX_REASON_MAX,
	       "reasons are stored at most as long as the dead-letter buffer");

struct outbox {
	sqlite3 *db;
	int recovered; /* in_flight rows left by a previous run were put back to pending */
	char err[256];
};

/* ---- keys ---- */

/* 1 when key looks like a lowercase 8-4-4-4-12 UUID. */
static int key_ok(const char *key)
{
	if (!key || strlen(key) != OUTBOX_KEY_LEN)
		return 0;
	for (int i = 0; i < OUTBOX_KEY_LEN; i++) {
		char ch = key[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (ch != '-')
				return 0;
		} else if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
			return 0;
		}
	}
	return 1;
}

/* ---- the worker's connection ---- */

static int ob_fail(struct outbox *o, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int ob_fail(struct outbox *o, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->err, sizeof o->err, fmt, ap);
	va_end(ap);
	return rc;
}

static int ob_fail_db(struct outbox *o, const char *what)
{
	/* SQLite's messages name tables and columns, never the values bound. */
	return ob_fail(o, STORE_ERR, "%s: %s", what, sqlite3_errmsg(o->db));
}

static int ob_exec(struct outbox *o, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(o->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		ob_fail(o, STORE_ERR, "outbox: %s", msg ? msg : sqlite3_errmsg(o->db));
		sqlite3_free(msg);
		return STORE_ERR;
	}
	return 0;
}

static int ob_prepare(struct outbox *o, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(o->db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return ob_fail_db(o, "outbox: preparing a statement");
	}
	return 0;
}

static int ob_pragma_text(struct outbox *o, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (ob_prepare(o, sql, &st) < 0)
		return STORE_ERR;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);

		snprintf(out, n, "%s", t ? (const char *)t : "");
	} else {
		ob_fail_db(o, "outbox");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : STORE_ERR;
}

struct outbox *outbox_open(const char *db_path, char *err, size_t errn)
{
	struct outbox *o;
	char v[32];
	long version;

	o = calloc(1, sizeof *o);
	if (!o) {
		snprintf(err, errn, "outbox: out of memory");
		return NULL;
	}
	/* No SQLITE_OPEN_CREATE: the store creates and migrates the file; a wrong path must
	 * not leave an empty database behind. */
	if (sqlite3_open_v2(db_path, &o->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		ob_fail(o, STORE_ERR, "cannot open: %s",
			o->db ? sqlite3_errmsg(o->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(o->db, 1);
	sqlite3_busy_timeout(o->db, OUTBOX_BUSY_MS);
	if (ob_pragma_text(o, "PRAGMA journal_mode=WAL", v, sizeof v) < 0)
		goto fail;
	if (sqlite3_stricmp(v, "wal") != 0) {
		ob_fail(o, STORE_ERR, "outbox: cannot switch to WAL journaling");
		goto fail;
	}
	if (ob_exec(o, "PRAGMA synchronous=FULL") < 0 || ob_exec(o, "PRAGMA foreign_keys=ON") < 0 ||
	    ob_pragma_text(o, "PRAGMA user_version", v, sizeof v) < 0)
		goto fail;
	version = strtol(v, NULL, 10);
	if (version < OUTBOX_SCHEMA_MIN) {
		ob_fail(o, STORE_ERR,
			"outbox: schema version %ld has no outbox (open the store first)", version);
		goto fail;
	}
	return o;
fail:
	snprintf(err, errn, "%s: %s", db_path, o->err);
	outbox_close(o);
	return NULL;
}

void outbox_close(struct outbox *o)
{
	if (!o)
		return;
	sqlite3_close(o->db);
	free(o);
}

const char *outbox_error(const struct outbox *o)
{
	return o ? o->err : "no outbox";
}

void outbox_events_free(struct outbox_event *ev, int n)
{
	if (!ev)
		return;
	for (int i = 0; i < n; i++)
		free(ev[i].payload);
	free(ev);
}

static char *dup_column(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	size_t n = t ? (size_t)sqlite3_column_bytes(st, col) : 0;
	char *p = malloc(n + 1);

	if (p) {
		if (n)
			memcpy(p, t, n);
		p[n] = '\0';
	}
	return p;
}

static void copy_column(char *dst, size_t cap, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

/* Reads up to max pending events in seq order into ev (room for max). */
static int claim_read(struct outbox *o, int max, struct outbox_event *ev, int *n)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (ob_prepare(o, "SELECT seq, key, type, at, payload, attempts FROM outbox"
			  " WHERE state = 0 ORDER BY seq LIMIT ?1", &st) < 0)
		return STORE_ERR;
	sqlite3_bind_int(st, 1, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct outbox_event *e = &ev[*n];

		e->seq = (uint64_t)sqlite3_column_int64(st, 0);
		copy_column(e->key, sizeof e->key, st, 1);
		copy_column(e->type, sizeof e->type, st, 2);
		e->at = sqlite3_column_int64(st, 3);
		e->attempts = sqlite3_column_int(st, 5);
		e->payload = dup_column(st, 4);
		if (!e->payload) {
			sqlite3_finalize(st);
			return ob_fail(o, STORE_ERR, "outbox: out of memory");
		}
		(*n)++;
	}
	rc = rc == SQLITE_DONE ? 0 : ob_fail_db(o, "outbox: reading pending events");
	sqlite3_finalize(st);
	return rc;
}

int outbox_claim(struct outbox *o, int max, struct outbox_event **out, int *n)
{
	struct outbox_event *ev = NULL;
	sqlite3_stmt *st = NULL;
	int count = 0, ret = STORE_ERR;

	*out = NULL;
	*n = 0;
	if (max < 1)
		return ob_fail(o, STORE_EINVAL, "max: must be at least 1");
	if (max > OUTBOX_BATCH_MAX)
		max = OUTBOX_BATCH_MAX;
	ev = calloc((size_t)max, sizeof *ev);
	if (!ev)
		return ob_fail(o, STORE_ERR, "outbox: out of memory");
	if (ob_exec(o, "BEGIN IMMEDIATE") < 0)
		goto out;
	/* Rows in flight when this handle opened were left by a run that died before the
	 * server's answer was recorded: send them again (the server deduplicates by key). Only
	 * on the first claim, so a status reader opening the database never steals a live
	 * worker's batch. */
	if (!o->recovered && ob_exec(o, "UPDATE outbox SET state = 0 WHERE state = 1") < 0)
		goto out;
	if (claim_read(o, max, ev, &count) < 0)
		goto out;
	if (count > 0) {
		/* Nothing else can write under the IMMEDIATE lock: the rows read are exactly the
		 * pending ones up to the last seq. */
		if (ob_prepare(o, "UPDATE outbox SET state = 1 WHERE state = 0 AND seq <= ?1",
			       &st) < 0)
			goto out;
		sqlite3_bind_int64(st, 1, (int64_t)ev[count - 1].seq);
		if (sqlite3_step(st) != SQLITE_DONE) {
			ob_fail_db(o, "outbox: claiming events");
			goto out;
		}
		if (sqlite3_changes(o->db) != count) {
			ob_fail(o, STORE_ERR, "outbox: claimed %d rows for %d events",
				sqlite3_changes(o->db), count);
			goto out;
		}
	}
	if (ob_exec(o, "COMMIT") < 0)
		goto out;
	o->recovered = 1;
	ret = 0;
out:
	sqlite3_finalize(st);
	if (ret < 0) {
		if (!sqlite3_get_autocommit(o->db))
			sqlite3_exec(o->db, "ROLLBACK", NULL, NULL, NULL);
		outbox_events_free(ev, count);
		return ret;
	}
	if (count == 0) {
		free(ev);
		ev = NULL;
	}
	*out = ev;
	*n = count;
	return 0;
}

/* One UPDATE of an in_flight row by key: its own transaction (autocommit, fsynced). A key
 * that is not in flight (already answered, never claimed, unknown) changes nothing. */
static int finish(struct outbox *o, const char *sql, const char *key, const char *reason,
		  int64_t now)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (!key_ok(key))
		return ob_fail(o, STORE_EINVAL, "key: not a UUID");
	if (ob_prepare(o, sql, &st) < 0)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (reason)
		sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0
						: ob_fail_db(o, "outbox: recording the server's answer");
	sqlite3_finalize(st);
	return rc;
}

int outbox_batch_begin(struct outbox *o) { return ob_exec(o, "BEGIN IMMEDIATE"); }

int outbox_batch_end(struct outbox *o, int ok)
{
	if (ok)
		return ob_exec(o, "COMMIT");
	ob_exec(o, "ROLLBACK");
	return 0;
}

int outbox_ack(struct outbox *o, const char *key, int64_t now)
{
	/* a customer's contact data and e-mail are the server's once it has them: the payload
	 * goes with the acknowledgement (docs/account-services.md "Privacy") */
	return finish(o,
		      "UPDATE outbox SET state = 2, acked_at = ?3, payload = CASE WHEN type IN ('"
		      OUTBOX_CONTACT_UPDATED "', '" OUTBOX_COUPON_EMAIL_REQUESTED "') THEN '{}' ELSE payload END"
		      " WHERE key = ?1 AND state = 1",
		      key, NULL, now);
}

/* The server's reason, kept for a technician: at most OUTBOX_REASON_MAX - 1 bytes, cut on a
 * character boundary, control characters as spaces. */
static void reason_clean(char dst[OUTBOX_REASON_MAX], const char *reason)
{
	size_t n;

	if (!reason || !reason[0])
		reason = "no reason given";
	n = strlen(reason);
	if (n > OUTBOX_REASON_MAX - 1) {
		n = OUTBOX_REASON_MAX - 1;
		/* Cut before the character that does not fit whole. */
		while (n > 0 && ((unsigned char)reason[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, reason, n);
	dst[n] = '\0';
	for (char *p = dst; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	if (!domain_text_ok(dst, OUTBOX_REASON_MAX))
		snprintf(dst, OUTBOX_REASON_MAX, "(the server's reason was not valid UTF-8)");
}

int outbox_dead(struct outbox *o, const char *key, const char *reason, int64_t now)
{
	char clean[OUTBOX_REASON_MAX];

	reason_clean(clean, reason);
	return finish(o, "UPDATE outbox SET state = 3, reason = ?2, acked_at = ?3"
			 " WHERE key = ?1 AND state = 1",
		      key, clean, now);
}

int outbox_release(struct outbox *o, const char *key)
{
	return finish(o, "UPDATE outbox SET state = 0, attempts = attempts + 1"
			 " WHERE key = ?1 AND state = 1",
		      key, NULL, 0);
}

int outbox_mark_sync(struct outbox *o, int64_t now)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (ob_prepare(o, "INSERT INTO meta(key, value) VALUES('last_sync', ?1)"
			  " ON CONFLICT(key) DO UPDATE SET value = excluded.value", &st) < 0)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, now);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : ob_fail_db(o, "outbox: recording the last sync");
	sqlite3_finalize(st);
	return rc;
}

int outbox_mark_link(struct outbox *o, int online, const char *reason_code)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (ob_prepare(o, "INSERT INTO meta(key, value) VALUES('link', ?1), ('link_error', ?2)"
			  " ON CONFLICT(key) DO UPDATE SET value = excluded.value", &st) < 0)
		return STORE_ERR;
	sqlite3_bind_int(st, 1, online ? 1 : 0);
	sqlite3_bind_text(st, 2, online ? "" : reason_code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : ob_fail_db(o, "outbox: recording the link state");
	sqlite3_finalize(st);
	return rc;
}

/* One statement, so one snapshot, on whichever connection is given. */
static int stats_read(sqlite3 *db, struct outbox_stats *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT (SELECT count(*) FROM outbox WHERE state IN (0, 1)),"
			       " (SELECT count(*) FROM outbox WHERE state = 3),"
			       " (SELECT count(*) FROM outbox WHERE state = 2),"
			       " (SELECT coalesce(min(at), 0) FROM outbox WHERE state IN (0, 1)),"
			       " coalesce((SELECT value FROM meta WHERE key = 'last_sync'), 0),"
			       " (SELECT value FROM counters WHERE name = 'outbox_seq'),"
			       " coalesce((SELECT value FROM meta WHERE key = 'link'), -1),"
			       " coalesce((SELECT value FROM meta WHERE key = 'link_error'), '')",
			       -1, &st, NULL) != SQLITE_OK)
		return STORE_ERR;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->pending = sqlite3_column_int64(st, 0);
		out->dead = sqlite3_column_int64(st, 1);
		out->acked = sqlite3_column_int64(st, 2);
		out->oldest_unsynced = sqlite3_column_int64(st, 3);
		out->last_sync = sqlite3_column_int64(st, 4);
		out->next_seq = (uint64_t)sqlite3_column_int64(st, 5) + 1;
		out->link = sqlite3_column_int(st, 6);
		snprintf(out->last_error, sizeof out->last_error, "%s",
			 (const char *)sqlite3_column_text(st, 7) ? (const char *)sqlite3_column_text(st, 7) : "");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : STORE_ERR;
}

int outbox_stats_get(struct store *s, struct outbox *o, struct outbox_stats *out)
{
	memset(out, 0, sizeof *out);
	if ((s == NULL) == (o == NULL)) {
		if (s)
			return store_fail(s, STORE_EINVAL, "outbox: stats take a store or an outbox");
		if (o)
			return ob_fail(o, STORE_EINVAL, "outbox: stats take a store or an outbox");
		return STORE_EINVAL;
	}
	if (stats_read(s ? s->db : o->db, out) == 0)
		return 0;
	memset(out, 0, sizeof *out);
	if (s)
		return store_fail_db(s, "outbox: reading the queue");
	return ob_fail_db(o, "outbox: reading the queue");
}

int outbox_dead_list(struct outbox *o, int max, struct outbox_dead_letter **out, int *n)
{
	struct outbox_dead_letter *dl;
	sqlite3_stmt *st = NULL;
	int rc, count = 0;

	*out = NULL;
	*n = 0;
	if (max < 1)
		return ob_fail(o, STORE_EINVAL, "max: must be at least 1");
	if (ob_prepare(o, "SELECT key, type, coalesce(reason, ''), at FROM outbox"
			  " WHERE state = 3 ORDER BY seq DESC LIMIT ?1", &st) < 0)
		return STORE_ERR;
	sqlite3_bind_int(st, 1, max);
	/* Sized as the rows arrive: max may be generous and dead letters are few. */
	dl = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((count & (count - 1)) == 0) {
			size_t cap = count ? (size_t)count * 2 : 1;
			struct outbox_dead_letter *nd = realloc(dl, cap * sizeof *nd);

			if (!nd) {
				rc = SQLITE_NOMEM;
				break;
			}
			dl = nd;
		}
		memset(&dl[count], 0, sizeof dl[count]);
		copy_column(dl[count].key, sizeof dl[count].key, st, 0);
		copy_column(dl[count].type, sizeof dl[count].type, st, 1);
		copy_column(dl[count].reason, sizeof dl[count].reason, st, 2);
		dl[count].at = sqlite3_column_int64(st, 3);
		count++;
	}
	if (rc != SQLITE_DONE) {
		if (rc == SQLITE_NOMEM)
			ob_fail(o, STORE_ERR, "outbox: out of memory");
		else
			ob_fail_db(o, "outbox: reading dead letters");
		sqlite3_finalize(st);
		free(dl);
		return STORE_ERR;
	}
	sqlite3_finalize(st);
	*out = dl;
	*n = count;
	return 0;
}
