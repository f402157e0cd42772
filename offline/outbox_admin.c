/* outbox_admin — the send queue for a technician (outbox_admin.h): counts, dead letters with
 * masked IDs, retry under the same key, and the export to removable storage
 * (docs/queue-export.md). On the store's connection; the drainer is outbox.c. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "idnum.h"
#include "outbox_admin.h"
#include "store_internal.h"

/* ---- counts ---- */

int outbox_admin_counts(struct store *s, struct outbox_counts *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT (SELECT count(*) FROM outbox WHERE state = 0),"
			       " (SELECT count(*) FROM outbox WHERE state = 1),"
			       " (SELECT count(*) FROM outbox WHERE state = 2),"
			       " (SELECT count(*) FROM outbox WHERE state = 3),"
			       " (SELECT coalesce(min(at), 0) FROM outbox WHERE state IN (0, 1)),"
			       " coalesce((SELECT value FROM meta WHERE key = 'last_sync'), 0)",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "queue: reading the counts");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->pending = sqlite3_column_int64(st, 0);
		out->in_flight = sqlite3_column_int64(st, 1);
		out->acked = sqlite3_column_int64(st, 2);
		out->dead = sqlite3_column_int64(st, 3);
		out->oldest_unsynced = sqlite3_column_int64(st, 4);
		out->last_sync = sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_fail_db(s, "queue: reading the counts");
}

/* ---- masking ---- */

void outbox_admin_mask_reason(char *dst, size_t n, const char *reason)
{
	size_t o = 0;

	if (!n)
		return;
	dst[0] = '\0';
	if (!reason)
		return;
	for (const char *p = reason; *p;) {
		size_t run = strspn(p, "0123456789");
		char piece[OUTBOX_MASKED_MAX];
		const char *add = p;
		size_t len = run ? run : 1;

		if (run >= 6) {
			char digits[256];

			snprintf(digits, sizeof digits, "%.*s", (int)(run < 255 ? run : 255), p);
			id_mask(piece, sizeof piece, digits);
			add = piece;
			len = strlen(piece);
		}
		if (o + len >= n) {
			/* cut inside a character (copied byte by byte): drop its first bytes too */
			for (const char *q = p; o > 0 && q > reason && ((unsigned char)*q & 0xc0) == 0x80; q--)
				o--;
			break;
		}
		memcpy(dst + o, add, len);
		o += len;
		p += run ? run : 1;
	}
	dst[o] = '\0';
}

/* The payload fields that name a person, and how each is shown. */
static size_t mask_field(const char *key, const char *value, char *buf, size_t n)
{
	if (!strcmp(key, "name") || !strcmp(key, "customer_name"))
		return name_mask(buf, n, value);
	if (!strcmp(key, "email"))
		return id_mask(buf, n, "x"); /* all bullets */
	return id_mask(buf, n, value);      /* id_number, phone: the last 4 */
}

#define MASKED_KEYS "('id_number', 'phone', 'email', 'name', 'customer_name')"

char *outbox_admin_mask_payload(struct store *s, const char *payload)
{
	sqlite3_stmt *tree = NULL, *rep = NULL;
	char *cur = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT fullkey, key, atom FROM json_tree(?1)"
			       " WHERE type = 'text' AND key IN " MASKED_KEYS,
			       -1, &tree, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "SELECT json_replace(?1, ?2, ?3)", -1, &rep, NULL) != SQLITE_OK)
		goto fail;
	cur = strdup(payload);
	if (!cur)
		goto fail;
	sqlite3_bind_text(tree, 1, payload, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(tree)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(tree, 0);
		const char *key = (const char *)sqlite3_column_text(tree, 1);
		const char *val = (const char *)sqlite3_column_text(tree, 2);
		char masked[256];

		if (!path || !key)
			continue;
		mask_field(key, val ? val : "", masked, sizeof masked);
		sqlite3_reset(rep);
		sqlite3_bind_text(rep, 1, cur, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(rep, 2, path, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(rep, 3, masked, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(rep) != SQLITE_ROW || !sqlite3_column_text(rep, 0))
			goto fail;
		free(cur);
		cur = strdup((const char *)sqlite3_column_text(rep, 0));
		if (!cur)
			goto fail;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(tree);
	sqlite3_finalize(rep);
	return cur;
fail:
	store_fail_db(s, "queue: masking a payload");
	sqlite3_finalize(tree);
	sqlite3_finalize(rep);
	free(cur);
	return NULL;
}

/* ---- dead letters ---- */

int outbox_admin_dead(struct store *s, int max, struct outbox_dead_view **out, int *n)
{
	sqlite3_stmt *st = NULL;
	struct outbox_dead_view *dl = NULL;
	int rc, count = 0;

	*out = NULL;
	*n = 0;
	if (max < 1)
		return store_fail(s, STORE_EINVAL, "max: must be at least 1");
	if (sqlite3_prepare_v2(s->db,
			       "SELECT seq, key, type, coalesce(reason, ''), at, coalesce(acked_at, 0), attempts,"
			       " CASE WHEN json_valid(payload) AND json_type(payload, '$.id_number') = 'text'"
			       " THEN json_extract(payload, '$.id_number') END"
			       " FROM outbox WHERE state = 3 ORDER BY seq DESC LIMIT ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "queue: reading dead letters");
	sqlite3_bind_int(st, 1, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct outbox_dead_view *d;
		const char *t;

		if ((count & (count - 1)) == 0) { /* grow at 1, 2, 4, 8... */
			struct outbox_dead_view *nd = realloc(dl, (size_t)(count ? count * 2 : 1) * sizeof *nd);

			if (!nd) {
				rc = SQLITE_NOMEM;
				break;
			}
			dl = nd;
		}
		d = &dl[count++];
		memset(d, 0, sizeof *d);
		d->seq = (uint64_t)sqlite3_column_int64(st, 0);
		t = (const char *)sqlite3_column_text(st, 1);
		snprintf(d->key, sizeof d->key, "%s", t ? t : "");
		t = (const char *)sqlite3_column_text(st, 2);
		snprintf(d->type, sizeof d->type, "%s", t ? t : "");
		outbox_admin_mask_reason(d->reason, sizeof d->reason, (const char *)sqlite3_column_text(st, 3));
		d->at = sqlite3_column_int64(st, 4);
		d->dead_at = sqlite3_column_int64(st, 5);
		d->attempts = sqlite3_column_int(st, 6);
		t = (const char *)sqlite3_column_text(st, 7);
		if (t)
			id_mask(d->id_masked, sizeof d->id_masked, t);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(dl);
		return rc == SQLITE_NOMEM ? store_fail(s, STORE_ERR, "queue: out of memory")
					  : store_fail_db(s, "queue: reading dead letters");
	}
	if (!count) {
		free(dl);
		dl = NULL;
	}
	*out = dl;
	*n = count;
	return 0;
}

/* ---- retry ---- */

const char *outbox_retry_code(enum outbox_retry r)
{
	switch (r) {
	case OUTBOX_RETRY_OK: return "ok";
	case OUTBOX_RETRY_BAD_KEY: return "bad_key";
	case OUTBOX_RETRY_UNKNOWN: return "unknown_key";
	case OUTBOX_RETRY_NOT_DEAD: return "not_dead";
	case OUTBOX_RETRY_ERROR: break;
	}
	return "db_error";
}

/* key lowered into out; 1 when it is an 8-4-4-4-12 hex UUID. */
static int key_norm(const char *key, char out[OUTBOX_KEY_LEN + 1])
{
	if (!key || strlen(key) != OUTBOX_KEY_LEN)
		return 0;
	for (int i = 0; i < OUTBOX_KEY_LEN; i++) {
		char ch = (char)tolower((unsigned char)key[i]);

		if (i == 8 || i == 13 || i == 18 || i == 23 ? ch != '-' : !isxdigit((unsigned char)ch))
			return 0;
		out[i] = ch;
	}
	out[OUTBOX_KEY_LEN] = '\0';
	return 1;
}

static const char *state_word(int state)
{
	static const char *const w[] = {"pending (waiting to be sent)", "in flight (being sent now)",
					"acknowledged by the server"};

	return state >= 0 && state < 3 ? w[state] : "in an unknown state";
}

enum outbox_retry outbox_admin_retry(struct store *s, const char *key, uint64_t *seq_out, char *why,
				     size_t whyn)
{
	char k[OUTBOX_KEY_LEN + 1];
	sqlite3_stmt *st = NULL;
	enum outbox_retry r = OUTBOX_RETRY_ERROR;
	int64_t seq = 0;
	int state = -1, rc;

	snprintf(why, whyn, "%s", "");
	if (!key_norm(key, k)) {
		snprintf(why, whyn, "\"%.40s\" is not an idempotency key (36 characters like "
			 "1b4e28ba-2fa1-41d2-883f-0016d3cca427; `recaudo queue list` shows them)",
			 key ? key : "");
		return OUTBOX_RETRY_BAD_KEY;
	}
	if (store_exec(s, "BEGIN IMMEDIATE") < 0) {
		snprintf(why, whyn, "%s", store_error(s));
		return OUTBOX_RETRY_ERROR;
	}
	if (sqlite3_prepare_v2(s->db, "SELECT seq, state FROM outbox WHERE key = ?1", -1, &st, NULL) !=
	    SQLITE_OK)
		goto db;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0);
		state = sqlite3_column_int(st, 1);
	} else if (rc != SQLITE_DONE) {
		goto db;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc == SQLITE_DONE) {
		snprintf(why, whyn, "no event has the key %s; nothing was changed", k);
		r = OUTBOX_RETRY_UNKNOWN;
		goto undo;
	}
	if (state != OUTBOX_DEAD) {
		snprintf(why, whyn, "event %" PRId64 " (%s) is %s, not a dead letter: only dead letters "
			 "are retried; nothing was changed", seq, k, state_word(state));
		r = OUTBOX_RETRY_NOT_DEAD;
		goto undo;
	}
	/* Same key, sequence and payload: the server deduplicates by key. The totals triggers
	 * count a coupon again (it is owed to the server again). */
	if (sqlite3_prepare_v2(s->db, "UPDATE outbox SET state = 0, reason = NULL, acked_at = NULL"
				      " WHERE key = ?1 AND state = 3", -1, &st, NULL) != SQLITE_OK)
		goto db;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE || sqlite3_changes(s->db) != 1)
		goto db;
	sqlite3_finalize(st);
	st = NULL;
	if (store_exec(s, "COMMIT") < 0)
		goto db;
	if (seq_out)
		*seq_out = (uint64_t)seq;
	return OUTBOX_RETRY_OK;
db:
	store_fail_db(s, "queue: retrying a dead letter");
	snprintf(why, whyn, "%s; nothing was changed", store_error(s));
	r = OUTBOX_RETRY_ERROR;
undo:
	sqlite3_finalize(st);
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

/* ---- export ---- */

const char *outbox_export_code(enum outbox_export_rc r)
{
	switch (r) {
	case OUTBOX_EXPORT_OK: return "ok";
	case OUTBOX_EXPORT_NO_DIR: return "no_dir";
	case OUTBOX_EXPORT_NOT_DIR: return "not_dir";
	case OUTBOX_EXPORT_READ_ONLY: return "read_only";
	case OUTBOX_EXPORT_WRITE: return "write_failed";
	case OUTBOX_EXPORT_DB: break;
	}
	return "db_error";
}

static void iso_utc(char *buf, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, n, "1970-01-01T00:00:00Z");
}

static const char *const state_names[] = {"pending", "in_flight", "acked", "dead"};

/* One event as a compact JSON object: numbers as exact integer text, the payload masked and
 * inserted as it is (SQLite keeps its numbers' text). NULL on failure (s->err says why). */
static char *event_json(struct store *s, sqlite3_stmt *st, int dead)
{
	char num[32], at[32], masked_reason[OUTBOX_REASON_VIEW_MAX];
	const char *payload = (const char *)sqlite3_column_text(st, 4);
	char *mp = outbox_admin_mask_payload(s, payload ? payload : "{}"), *text = NULL;
	cJSON *o = cJSON_CreateObject();
	int state = sqlite3_column_int(st, 5);
	int ok = mp && o;

	if (ok) {
		snprintf(num, sizeof num, "%" PRId64, (int64_t)sqlite3_column_int64(st, 0));
		ok = cJSON_AddRawToObject(o, "seq", num) != NULL;
	}
	ok = ok && cJSON_AddStringToObject(o, "key", (const char *)sqlite3_column_text(st, 1)) &&
	     cJSON_AddStringToObject(o, "type", (const char *)sqlite3_column_text(st, 2));
	if (ok) {
		iso_utc(at, sizeof at, sqlite3_column_int64(st, 3));
		ok = cJSON_AddStringToObject(o, "at", at) != NULL &&
		     cJSON_AddStringToObject(o, "state", state >= 0 && state < 4 ? state_names[state] : "unknown");
	}
	if (ok) {
		snprintf(num, sizeof num, "%d", sqlite3_column_int(st, 6));
		ok = cJSON_AddRawToObject(o, "attempts", num) != NULL;
	}
	if (ok && dead) {
		int64_t dead_at = sqlite3_column_int64(st, 8);

		outbox_admin_mask_reason(masked_reason, sizeof masked_reason,
					 (const char *)sqlite3_column_text(st, 7));
		iso_utc(at, sizeof at, dead_at);
		ok = cJSON_AddStringToObject(o, "reason", masked_reason) &&
		     (dead_at ? cJSON_AddStringToObject(o, "dead_at", at) : cJSON_AddNullToObject(o, "dead_at"));
	}
	ok = ok && cJSON_AddRawToObject(o, "payload", mp);
	if (ok)
		text = cJSON_PrintUnformatted(o);
	if (!text && mp) /* without mp, the masking has said why */
		store_fail(s, STORE_ERR, "queue: out of memory");
	cJSON_Delete(o);
	free(mp);
	return text;
}

/* Writes one array of events (state in (a, b)) to f. 0, -1 on a write error (errno), -2 on a
 * database error (s->err). */
static int write_events(struct store *s, FILE *f, const char *name, const char *where, int dead,
			int64_t *count)
{
	char sql[256];
	sqlite3_stmt *st = NULL;
	int rc, ret = 0;

	snprintf(sql, sizeof sql,
		 "SELECT seq, key, type, at, payload, state, attempts, coalesce(reason, ''),"
		 " coalesce(acked_at, 0) FROM outbox WHERE %s ORDER BY seq",
		 where);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail_db(s, "queue: reading the events");
		return -2;
	}
	if (fprintf(f, ",\n\"%s\":[", name) < 0)
		ret = -1;
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *ev = event_json(s, st, dead);

		if (!ev) {
			ret = -2;
			break;
		}
		if (fprintf(f, "%s\n%s", *count ? "," : "", ev) < 0)
			ret = -1;
		free(ev);
		(*count)++;
	}
	if (ret == 0 && rc != SQLITE_DONE) {
		store_fail_db(s, "queue: reading the events");
		ret = -2;
	}
	if (ret == 0 && fputs("]", f) < 0)
		ret = -1;
	sqlite3_finalize(st);
	return ret;
}

/* The whole document into f, from one read snapshot. */
static int write_document(struct store *s, FILE *f, uint32_t kiosk_id, int64_t now,
			  struct outbox_export_result *res)
{
	struct outbox_counts c;
	char at[32], old_at[32], oldest[40];
	int rc;

	if (outbox_admin_counts(s, &c) < 0)
		return -2;
	iso_utc(at, sizeof at, now);
	iso_utc(old_at, sizeof old_at, c.oldest_unsynced);
	if (c.oldest_unsynced)
		snprintf(oldest, sizeof oldest, "\"%s\"", old_at);
	else
		snprintf(oldest, sizeof oldest, "null");
	if (fprintf(f,
		    "{\"format\":\"recaudo-queue-export\",\"version\":1,\"kiosk_id\":%" PRIu32 ","
		    "\"exported_at\":\"%s\",\n\"masked\":\"id_number phone: last 4; name: first word and "
		    "initial; email: hidden; reasons: runs of 6+ digits\",\n"
		    "\"counts\":{\"pending\":%" PRId64 ",\"in_flight\":%" PRId64 ",\"acked\":%" PRId64
		    ",\"dead\":%" PRId64 "},\"oldest_unsynced_at\":%s",
		    kiosk_id, at, c.pending, c.in_flight, c.acked, c.dead, oldest) < 0)
		return -1;
	rc = write_events(s, f, "events", "state IN (0, 1)", 0, &res->events);
	if (rc == 0)
		rc = write_events(s, f, "dead_letters", "state = 3", 1, &res->dead);
	if (rc == 0 && fputs("}\n", f) < 0)
		rc = -1;
	return rc;
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -1;
	/* Some file systems (vfat on older kernels) cannot sync a directory: the rename is then
	 * as durable as they make it. */
	if (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP)
		rc = -1;
	close(fd);
	return rc;
}

enum outbox_export_rc outbox_admin_export(struct store *s, const char *dir, uint32_t kiosk_id, int64_t now,
					  struct outbox_export_result *res, char *why, size_t whyn)
{
	struct stat sb;
	char stamp[32], tmp[1024], name[1024];
	time_t tt = (time_t)now;
	struct tm tm;
	FILE *f = NULL;
	int fd, wrc, err = 0, in_tx = 0;
	enum outbox_export_rc r = OUTBOX_EXPORT_WRITE;

	memset(res, 0, sizeof *res);
	snprintf(why, whyn, "%s", "");
	if (!dir || !dir[0] || strlen(dir) > 900) {
		snprintf(why, whyn, "the export directory is empty or its path is too long");
		return OUTBOX_EXPORT_NOT_DIR;
	}
	if (stat(dir, &sb) != 0) {
		if (errno == ENOENT) {
			snprintf(why, whyn, "%s is not there (is the USB stick plugged in and mounted?); "
				 "nothing was written", dir);
			return OUTBOX_EXPORT_NO_DIR;
		}
		snprintf(why, whyn, "%s: %s; nothing was written", dir, strerror(errno));
		return errno == ENOTDIR ? OUTBOX_EXPORT_NOT_DIR : OUTBOX_EXPORT_NO_DIR;
	}
	if (!S_ISDIR(sb.st_mode)) {
		snprintf(why, whyn, "%s is not a directory; nothing was written", dir);
		return OUTBOX_EXPORT_NOT_DIR;
	}
	if (!gmtime_r(&tt, &tm) || !strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm)) {
		snprintf(why, whyn, "the clock's time cannot be written as a date");
		return OUTBOX_EXPORT_WRITE;
	}
	snprintf(name, sizeof name, "%s/recaudo-queue-k%04" PRIu32 "-%s.json", dir, kiosk_id, stamp);
	for (int i = 2; i <= 9 && access(name, F_OK) == 0; i++)
		snprintf(name, sizeof name, "%s/recaudo-queue-k%04" PRIu32 "-%s-%d.json", dir, kiosk_id, stamp, i);
	if (access(name, F_OK) == 0) {
		snprintf(why, whyn, "%s already exists; try again in a second", name);
		return OUTBOX_EXPORT_WRITE;
	}
	/* the temporary file in the same directory: the rename cannot cross file systems */
	snprintf(tmp, sizeof tmp, "%s/.recaudo-queue-k%04" PRIu32 ".XXXXXX", dir, kiosk_id);
	fd = mkstemp(tmp);
	if (fd < 0) {
		int e = errno;

		snprintf(why, whyn, "cannot write in %s: %s%s; nothing was written", dir, strerror(e),
			 e == EROFS ? " (is the USB stick write-protected?)" : "");
		return e == EROFS || e == EACCES || e == EPERM ? OUTBOX_EXPORT_READ_ONLY : OUTBOX_EXPORT_WRITE;
	}
	f = fdopen(fd, "w");
	if (!f) {
		err = errno;
		close(fd);
		goto fail;
	}
	/* one snapshot: the counts and both lists agree */
	if (store_exec(s, "BEGIN") < 0) {
		r = OUTBOX_EXPORT_DB;
		goto fail;
	}
	in_tx = 1;
	wrc = write_document(s, f, kiosk_id, now, res);
	if (wrc == -2) {
		r = OUTBOX_EXPORT_DB;
		goto fail;
	}
	if (wrc < 0) {
		err = errno;
		goto fail;
	}
	store_exec(s, "COMMIT");
	in_tx = 0;
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		err = errno;
		goto fail;
	}
	res->bytes = (int64_t)ftello(f);
	if (fclose(f) != 0) {
		f = NULL;
		err = errno;
		goto fail;
	}
	f = NULL;
	if (rename(tmp, name) != 0) {
		err = errno;
		goto fail;
	}
	if (sync_dir(dir) != 0) {
		/* the name may not survive a power cut: take it back rather than leave a doubt */
		err = errno;
		unlink(name);
		snprintf(tmp, sizeof tmp, "%s", name);
		goto fail;
	}
	snprintf(res->path, sizeof res->path, "%s", name);
	return OUTBOX_EXPORT_OK;
fail:
	if (in_tx && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (f)
		fclose(f);
	unlink(tmp);
	if (r == OUTBOX_EXPORT_DB)
		snprintf(why, whyn, "%s; nothing was written", store_error(s));
	else
		snprintf(why, whyn, "writing in %s failed: %s; nothing was written", dir,
			 err ? strerror(err) : "error");
	res->events = res->dead = res->bytes = 0;
	return r;
}
