/* outbox_write — the outbox's writer: events written on the store's connection inside the
 * transaction of what they describe (a coupon: through the store's commit hook), so an event
 * exists exactly when what it describes does. Each kind of event is one entry of the encoder
 * table below (docs/howto-events.md); the drainer is outbox.c. docs/outbox.md has the
 * transaction ("The coupon transaction"). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "audit.h"
#include "json_field.h"
#include "outbox.h"
#include "outbox_account.h"
#include "outbox_field.h"
#include "store_internal.h"
#include "wire.h"

/* ---- randomness and keys ---- */

static int random_fill(uint8_t *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom(buf + got, n - got, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		got += (size_t)r;
	}
	if (got == n)
		return 0;
	/* Kernels without getrandom(2): the same pool through the device. */
	{
		int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			return -1;
		while (got < n) {
			ssize_t r = read(fd, buf + got, n - got);

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		close(fd);
	}
	return got == n ? 0 : -1;
}

static int uuid4(char out[OUTBOX_KEY_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t b[16];
	char *p = out;

	if (random_fill(b, sizeof b) < 0)
		return -1;
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* variant 10xx (RFC 4122) */
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[b[i] >> 4];
		*p++ = hex[b[i] & 0x0f];
	}
	*p = '\0';
	return 0;
}

void outbox_uuid4(char out[OUTBOX_KEY_LEN + 1])
{
	if (uuid4(out) < 0) {
		/* No randomness on Linux >= 3.17 is a broken machine, not an expected failure. */
		fprintf(stderr, "%s:%d: no random bytes for an idempotency key\n", __FILE__,
			__LINE__);
		abort();
	}
}

/* ---- pushing, on the store's connection ---- */

/* Inside the caller's transaction a savepoint makes a failed push leave nothing behind; on
 * its own the push is one IMMEDIATE transaction. */
static int push_begin(struct store *s, int *own)
{
	*own = sqlite3_get_autocommit(s->db) != 0;
	return store_exec(s, *own ? "BEGIN IMMEDIATE" : "SAVEPOINT outbox_push");
}

static int push_end(struct store *s, int own, int ok)
{
	char why[sizeof s->err];

	if (ok && store_exec(s, own ? "COMMIT" : "RELEASE outbox_push") == 0)
		return 0;
	snprintf(why, sizeof why, "%s", s->err);
	if (own) {
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	} else if (!sqlite3_get_autocommit(s->db)) {
		/* Some errors (disk full, I/O) roll the whole transaction back already; then the
		 * savepoint is gone and the caller sees autocommit. */
		sqlite3_exec(s->db, "ROLLBACK TO outbox_push", NULL, NULL, NULL);
		sqlite3_exec(s->db, "RELEASE outbox_push", NULL, NULL, NULL);
	}
	snprintf(s->err, sizeof s->err, "%s", why);
	return STORE_ERR;
}

static int prepare(struct store *s, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return store_fail_db(s, "outbox: preparing a statement");
	}
	return 0;
}

/* Takes the next outbox sequence number and writes the event. No transaction control. */
static int event_insert(struct store *s, const char *type, int64_t at, const char *payload,
			uint64_t *seq_out)
{
	sqlite3_stmt *st = NULL;
	char key[OUTBOX_KEY_LEN + 1];
	int64_t seq = 0;
	int rc, ret = STORE_ERR;

	if (uuid4(key) < 0)
		return store_fail(s, STORE_ERR, "outbox: no random bytes for an idempotency key");
	if (prepare(s, "UPDATE counters SET value = value + 1 WHERE name = 'outbox_seq'"
		       " RETURNING value", &st) < 0)
		return STORE_ERR;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	if (rc != SQLITE_DONE || seq <= 0) {
		store_fail_db(s, "outbox: taking the next sequence number");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (prepare(s, "INSERT INTO outbox(seq, key, type, at, payload, state, attempts)"
		       " VALUES(?1, ?2, ?3, ?4, ?5, 0, 0)", &st) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, at);
	sqlite3_bind_text(st, 5, payload, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_fail_db(s, "outbox: writing the event");
		goto out;
	}
	if (seq_out)
		*seq_out = (uint64_t)seq;
	ret = 0;
out:
	sqlite3_finalize(st);
	return ret;
}

/* Audit rows say what happened, never to whom: no id numbers or names in detail. The row is
 * chained (store_audit.c). */
static int audit_insert(struct store *s, int64_t at, const char *action, const char *detail)
{
	struct audit_row r;

	memset(&r, 0, sizeof r);
	r.at = at;
	r.action = action;
	r.result = "ok";
	r.detail = detail;
	return audit_insert_chained(s, &r);
}

/* What the API client will send as is (api_event_check): a type of a-z 0-9 . _ -, and a
 * payload that is one compact JSON object in valid UTF-8. Refused here, an event can never
 * sit in the queue unsendable. */
static int push_check(struct store *s, const char *type, int64_t at, const char *payload)
{
	cJSON *j;
	const char *end = NULL;
	size_t tlen = type ? strlen(type) : 0;
	int object;

	if (tlen == 0 || tlen >= OUTBOX_TYPE_MAX ||
	    strspn(type, "abcdefghijklmnopqrstuvwxyz0123456789._-") != tlen)
		return store_fail(s, STORE_EINVAL, "type: 1..%d characters of a-z 0-9 . _ -",
				  OUTBOX_TYPE_MAX - 1);
	if (at <= 0 || at > WIRE_EPOCH_MAX) /* what the API client can send */
		return store_fail(s, STORE_EINVAL, "at: must be a time between 1970 and 9999");
	if (!payload || strlen(payload) > OUTBOX_PAYLOAD_MAX)
		return store_fail(s, STORE_EINVAL, "payload: missing or longer than %d bytes",
				  OUTBOX_PAYLOAD_MAX);
	if (!domain_text_ok(payload, OUTBOX_PAYLOAD_MAX + 1))
		return store_fail(s, STORE_EINVAL,
				  "payload: not valid UTF-8, or has raw control characters");
	j = cJSON_ParseWithOpts(payload, &end, 1);
	object = cJSON_IsObject(j);
	cJSON_Delete(j);
	if (!object)
		return store_fail(s, STORE_EINVAL, "payload: not a JSON object");
	return 0;
}

int outbox_push(struct store *s, const char *type, int64_t at, const char *payload_json,
		uint64_t *seq_out)
{
	int own, rc;

	if (push_check(s, type, at, payload_json) < 0)
		return STORE_EINVAL;
	if (push_begin(s, &own) < 0)
		return STORE_ERR;
	rc = event_insert(s, type, at, payload_json, seq_out);
	return push_end(s, own, rc == 0);
}

static int add_trm(cJSON *o, const struct coupon *c)
{
	cJSON *t;
	char rate[32];

	if (!c->has_trm)
		return cJSON_AddNullToObject(o, "trm") ? 0 : -1;
	t = cJSON_AddObjectToObject(o, "trm");
	if (!t)
		return -1;
	/* COP centavos per USD as the API's decimal string: 401235 -> "4012.35". */
	snprintf(rate, sizeof rate, "%" PRId64 ".%02d", c->trm.cop_minor_per_usd / 100,
		 (int)(c->trm.cop_minor_per_usd % 100));
	if (!cJSON_AddStringToObject(t, "cop_per_usd", rate) ||
	    jf_add_date(t, "valid_from", c->trm.valid_from) < 0 ||
	    jf_add_date(t, "valid_to", c->trm.valid_to) < 0)
		return -1;
	return 0;
}

static int add_lines(cJSON *o, const struct coupon_request *req)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "lines");

	if (!arr)
		return -1;
	for (int i = 0; i < req->nlines; i++) {
		const struct coupon_line *l = &req->lines[i];
		const char *cur = currency_code(l->pay.cur);
		cJSON *line = cJSON_CreateObject();

		if (!line)
			return -1;
		cJSON_AddItemToArray(arr, line);
		if (!cur || !cJSON_AddStringToObject(line, "doc", l->doc_number) ||
		    jf_add_int(line, "pay_minor", l->pay.minor) < 0 ||
		    !cJSON_AddStringToObject(line, "currency", cur) ||
		    jf_add_int(line, "cop_minor", l->cop_minor) < 0)
			return -1;
	}
	return 0;
}

/* The coupon.issued payload of docs/api/contract.md. Returns cJSON-allocated text (free
 * with cJSON_free) or NULL. */
static char *coupon_payload(const struct coupon *c, const struct coupon_request *req)
{
	cJSON *o = cJSON_CreateObject();
	const char *cur = currency_code(c->amount.cur);
	char *text = NULL;

	if (!o || !cur)
		goto out;
	if (jf_add_int(o, "kiosk_id", c->kiosk_id) < 0 || jf_add_int(o, "seq", (int64_t)c->seq) < 0 ||
	    !cJSON_AddStringToObject(o, "reference", c->reference) ||
	    !cJSON_AddStringToObject(o, "kind", req->kind) ||
	    !cJSON_AddStringToObject(o, "id_type", id_type_code(req->id_type)) ||
	    !cJSON_AddStringToObject(o, "id_number", req->id_number) ||
	    jf_add_int(o, "amount_minor", c->amount.minor) < 0 ||
	    !cJSON_AddStringToObject(o, "currency", cur) || jf_add_date(o, "due", c->due) < 0 ||
	    jf_add_time(o, "issued_at", c->issued_at) < 0 || add_trm(o, c) < 0 ||
	    add_lines(o, req) < 0)
		goto out;
	text = cJSON_PrintUnformatted(o);
out:
	cJSON_Delete(o);
	return text;
}

static int encode_coupon_issued(struct store *s, const void *subject, char **payload, int64_t *at,
				char *detail, size_t detail_n)
{
	const struct outbox_coupon_issued *e = subject;
	const struct coupon *c = e ? e->c : NULL;
	const struct coupon_request *req = e ? e->req : NULL;

	if (!c || !req || !req->kind || req->nlines < 1 || req->nlines > COUPON_MAX_DOCS ||
	    (int)req->id_type < 0 || req->id_type >= ID_TYPE_COUNT ||
	    !memchr(req->id_number, '\0', sizeof req->id_number))
		return store_fail(s, STORE_EINVAL, "outbox: coupon event without a valid request");
	*payload = coupon_payload(c, req);
	if (!*payload)
		return store_fail(s, STORE_ERR, "outbox: cannot build the coupon event (out of "
						"memory or a field out of range)");
	*at = c->issued_at;
	snprintf(detail, detail_n, "seq=%" PRIu64, c->seq);
	return 0;
}

/* The maintenance.action payload of docs/api/contract.md: the audit row itself. */
static int encode_maintenance_action(struct store *s, const void *subject, char **payload,
				     int64_t *at, char *detail, size_t detail_n)
{
	const struct audit_row *r = subject;
	cJSON *o;

	(void)detail;
	(void)detail_n;
	if (!r || r->id <= 0 || !r->action || !r->result || !r->detail ||
	    strlen(r->hash) != AUDIT_HASH_HEX)
		return store_fail(s, STORE_EINVAL, "outbox: maintenance event without its audit row");
	o = cJSON_CreateObject();
	*payload = NULL;
	if (o && cJSON_AddStringToObject(o, "action", r->action) &&
	    cJSON_AddStringToObject(o, "result", r->result) &&
	    cJSON_AddStringToObject(o, "detail", r->detail) && jf_add_time(o, "at", r->at) == 0 &&
	    jf_add_int(o, "audit_seq", r->id) == 0 && cJSON_AddStringToObject(o, "hash", r->hash))
		*payload = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!*payload)
		return store_fail(s, STORE_ERR, "outbox: cannot build the maintenance event (out of "
						"memory or a time out of range)");
	*at = r->at;
	return 0;
}

/* ---- the encoder table ---- */

/* One entry per kind of event the kiosk writes (docs/howto-events.md). encode checks the
 * subject and builds the payload (cJSON-allocated text), the event's time and the audit
 * detail (what happened, never to whom); it returns 0, or STORE_EINVAL / STORE_ERR with the
 * store's error set. own_audit: the subject is an audit row already written in the same
 * transaction (store_audit_append), so outbox_write writes none. */
struct outbox_encoder {
	const char *type;
	int (*encode)(struct store *s, const void *subject, char **payload, int64_t *at, char *detail,
		      size_t detail_n);
	int own_audit;
};

static const struct outbox_encoder encoders[] = {
	{OUTBOX_COUPON_ISSUED, encode_coupon_issued, 0},
	{OUTBOX_MAINTENANCE_ACTION, encode_maintenance_action, 1},
	{OUTBOX_PAYMENT_COLLECTED, outbox_encode_payment_collected, 0},
	{OUTBOX_PAYMENT_VOIDED, outbox_encode_payment_voided, 0},
	{OUTBOX_COLLECTION_CLOSED, outbox_encode_collection_closed, 0},
	{OUTBOX_COLLECTION_REOPENED, outbox_encode_collection_reopened, 0},
	{OUTBOX_CONTACT_UPDATED, outbox_encode_contact_updated, 0},
	{OUTBOX_COUPON_EMAIL_REQUESTED, outbox_encode_coupon_email, 0},
};

int outbox_write(struct store *s, const char *type, const void *subject)
{
	const struct outbox_encoder *e = NULL;
	char *payload = NULL;
	char detail[64] = "";
	int64_t at = 0;
	int own, ok, ret;

	for (size_t i = 0; type && i < sizeof encoders / sizeof encoders[0]; i++)
		if (strcmp(encoders[i].type, type) == 0)
			e = &encoders[i];
	if (!e)
		return store_fail(s, STORE_EINVAL, "outbox: no encoder for this event type");
	ret = e->encode(s, subject, &payload, &at, detail, sizeof detail);
	if (ret < 0)
		goto out;
	ret = push_check(s, e->type, at, payload);
	if (ret < 0)
		goto out;
	ret = push_begin(s, &own);
	if (ret < 0)
		goto out;
	ok = event_insert(s, e->type, at, payload, NULL) == 0 &&
	     (e->own_audit || audit_insert(s, at, e->type, detail) == 0);
	ret = push_end(s, own, ok);
out:
	cJSON_free(payload);
	return ret;
}

int outbox_push_coupon(struct store *s, const struct coupon *c, const struct coupon_request *req)
{
	const struct outbox_coupon_issued e = {c, req};

	return outbox_write(s, OUTBOX_COUPON_ISSUED, &e);
}

