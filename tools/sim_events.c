/* Event ingest, coupon state, heartbeats and counters for the central simulator (see
 * sim_events.h). Reasons name the field ("payload.amount_minor: must be greater than 0")
 * and never quote an id number or a name. */
#include "sim_events.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coupon.h"
#include "json_field.h"
#include "money.h"
#include "sim_account.h"
#include "sim_field.h"
#include "sim_json.h"

#define KEY_LEN 36
#define AMOUNT_MAX INT64_C(9000000000000000)
#define REASON_MAX 200

struct event {
	char key[KEY_LEN + 1]; /* lower case */
	int64_t seq, at;
	const char *type;
	const cJSON *payload;
	int is_coupon, is_field, is_account;
	int64_t kiosk_id, coupon_seq, amount;
	const char *reference;
};

static int why(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int why(char *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, REASON_MAX, fmt, ap);
	va_end(ap);
	return -1;
}

int sim_key_parse(const char *s, char out[KEY_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";

	if (!s || strlen(s) != KEY_LEN)
		return -1;
	for (int i = 0; i < KEY_LEN; i++) {
		char c = s[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return -1;
			out[i] = c;
			continue;
		}
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!strchr(hex, c) || c == '\0')
			return -1;
		out[i] = c;
	}
	out[KEY_LEN] = '\0';
	/* version 4, variant 10xx */
	return out[14] == '4' && strchr("89ab", out[19]) ? 0 : -1;
}

/* A field read through offline/json_field.h: the reason names it ("payload.seq: missing"). */
static int int_field(const cJSON *obj, const char *where, const char *key, int64_t min, int64_t max,
		     int64_t *out, char *reason)
{
	struct jf j = {NULL, reason, REASON_MAX, -1};

	return jf_int(&j, obj, where, key, min, max, out);
}

static int str_field(const cJSON *obj, const char *where, const char *key, const char **out, char *reason)
{
	struct jf j = {NULL, reason, REASON_MAX, -1};

	return jf_string(&j, obj, where, key, out);
}

/* "4012.35" -> 401235 COP centavos per USD. */
static int parse_rate(const char *s, int64_t *out)
{
	int64_t v = 0;
	int digits = 0, decimals = -1;

	for (; *s; s++) {
		if (*s == '.' && decimals < 0 && digits > 0) {
			decimals = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || digits >= 12 || decimals >= 2)
			return -1;
		v = v * 10 + (*s - '0');
		digits++;
		if (decimals >= 0)
			decimals++;
	}
	if (digits == 0 || decimals == 0)
		return -1;
	for (int i = decimals < 0 ? 0 : decimals; i < 2; i++)
		v *= 10;
	*out = v;
	return v > 0 ? 0 : -1;
}

static int check_trm(const cJSON *p, struct trm *t, int *has, char *reason)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(p, "trm");
	const char *rate, *from, *to;

	*has = 0;
	if (!o)
		return why(reason, "payload.trm: missing (null when no USD document is paid)");
	if (cJSON_IsNull(o))
		return 0;
	if (!cJSON_IsObject(o))
		return why(reason, "payload.trm: must be an object or null");
	if (str_field(o, "payload.trm.", "cop_per_usd", &rate, reason) < 0 ||
	    str_field(o, "payload.trm.", "valid_from", &from, reason) < 0 ||
	    str_field(o, "payload.trm.", "valid_to", &to, reason) < 0)
		return -1;
	if (parse_rate(rate, &t->cop_minor_per_usd) < 0)
		return why(reason, "payload.trm.cop_per_usd: must be a string like \"4012.35\"");
	if (sim_date_parse(from, &t->valid_from) < 0 || sim_date_parse(to, &t->valid_to) < 0 ||
	    t->valid_to < t->valid_from)
		return why(reason, "payload.trm: valid_from/valid_to must be dates, in order");
	*has = 1;
	return 0;
}

static int check_lines(const cJSON *p, const struct trm *t, int has_trm, int64_t amount, char *reason)
{
	const cJSON *lines = cJSON_GetObjectItemCaseSensitive(p, "lines"), *l;
	int64_t total = 0;
	int i = 0, n;

	if (!cJSON_IsArray(lines))
		return why(reason, "payload.lines: %s", lines ? "must be an array" : "missing");
	n = cJSON_GetArraySize(lines);
	if (n < 1 || n > COUPON_MAX_DOCS)
		return why(reason, "payload.lines: must hold 1 to %d documents", COUPON_MAX_DOCS);
	cJSON_ArrayForEach(l, lines)
	{
		char where[32];
		const char *doc, *cur;
		enum currency c;
		int64_t pay, cop;

		snprintf(where, sizeof where, "payload.lines[%d].", i++);
		if (!cJSON_IsObject(l))
			return why(reason, "%.30s: must be an object", where);
		if (str_field(l, where, "doc", &doc, reason) < 0 ||
		    int_field(l, where, "pay_minor", 1, AMOUNT_MAX, &pay, reason) < 0 ||
		    str_field(l, where, "currency", &cur, reason) < 0 ||
		    int_field(l, where, "cop_minor", 1, AMOUNT_MAX, &cop, reason) < 0)
			return -1;
		if (!doc[0] || strlen(doc) > 31)
			return why(reason, "%sdoc: must be 1 to 31 bytes", where);
		if (currency_parse(cur, &c) < 0)
			return why(reason, "%scurrency: must be \"COP\" or \"USD\"", where);
		if (c == CUR_COP && cop != pay)
			return why(reason, "%scop_minor: must equal pay_minor for a COP document", where);
		if (c == CUR_USD && !has_trm)
			return why(reason, "%scurrency: a USD document needs payload.trm", where);
		if (c == CUR_USD && cop != trm_usd_to_cop(pay, t))
			return why(reason, "%scop_minor: does not match pay_minor at the TRM", where);
		total += cop;
		if (total > AMOUNT_MAX)
			return why(reason, "payload.lines: the total is too large");
	}
	if (total != amount)
		return why(reason, "payload.amount_minor: must be the sum of the lines' cop_minor");
	return 0;
}

/* The coupon.issued payload (docs/api/contract.md), sent by the kiosk it names. */
static int check_coupon(const struct sim_device *dev, struct event *e, char *reason)
{
	const cJSON *p = e->payload;
	const char *kind, *idt, *idn, *cur, *due, *issued;
	char want[COUPON_REF_MAX];
	enum id_type t;
	struct trm trm;
	int32_t date;
	int64_t when;
	int has_trm;
	size_t rlen;

	if (int_field(p, "payload.", "kiosk_id", 1, 9999, &e->kiosk_id, reason) < 0 ||
	    int_field(p, "payload.", "seq", 1, SIM_JSON_INT_MAX, &e->coupon_seq, reason) < 0 ||
	    str_field(p, "payload.", "reference", &e->reference, reason) < 0 ||
	    str_field(p, "payload.", "kind", &kind, reason) < 0 ||
	    str_field(p, "payload.", "id_type", &idt, reason) < 0 ||
	    str_field(p, "payload.", "id_number", &idn, reason) < 0 ||
	    int_field(p, "payload.", "amount_minor", 1, AMOUNT_MAX, &e->amount, reason) < 0 ||
	    str_field(p, "payload.", "currency", &cur, reason) < 0 ||
	    str_field(p, "payload.", "due", &due, reason) < 0 ||
	    str_field(p, "payload.", "issued_at", &issued, reason) < 0)
		return -1;
	if ((uint32_t)e->kiosk_id != dev->kiosk_id)
		return why(reason, "payload.kiosk_id: not the kiosk of the device that sent it");
	rlen = strlen(e->reference);
	if (rlen < 10 || rlen > 24 ||
	    reference_build(want, sizeof want, (uint32_t)e->kiosk_id, (uint64_t)e->coupon_seq, (int)rlen) <
		    0 ||
	    strcmp(want, e->reference) != 0)
		return why(reason, "payload.reference: not the reference of this kiosk and seq");
	if (strcmp(kind, "coupon") != 0 && strcmp(kind, "phone") != 0)
		return why(reason, "payload.kind: must be \"coupon\" or \"phone\"");
	if (id_type_parse(idt, &t) < 0)
		return why(reason, "payload.id_type: must be one of CC, CE, NIT, PA, TI, PPT");
	if (id_validate(t, idn, -1) != ID_OK)
		return why(reason, "payload.id_number: not a valid number for its id_type");
	if (strcmp(cur, "COP") != 0)
		return why(reason, "payload.currency: must be \"COP\"");
	if (sim_date_parse(due, &date) < 0)
		return why(reason, "payload.due: must be a date \"YYYY-MM-DD\"");
	if (sim_time_parse(issued, &when) < 0)
		return why(reason, "payload.issued_at: must be an ISO 8601 time with offset");
	if (check_trm(p, &trm, &has_trm, reason) < 0)
		return -1;
	return check_lines(p, &trm, has_trm, e->amount, reason);
}

static int hex64(const char *s)
{
	return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* The maintenance.action payload (docs/api/contract.md): one row of the kiosk's audit chain.
 * Codes only: the simulator checks the shapes, the kiosk refuses anything but codes. */
static int check_maintenance(struct event *e, char *reason)
{
	const cJSON *p = e->payload;
	const char *action, *result, *detail, *at, *hash;
	int64_t seq, when;

	if (str_field(p, "payload.", "action", &action, reason) < 0 ||
	    str_field(p, "payload.", "result", &result, reason) < 0 ||
	    str_field(p, "payload.", "detail", &detail, reason) < 0 ||
	    str_field(p, "payload.", "at", &at, reason) < 0 ||
	    int_field(p, "payload.", "audit_seq", 1, SIM_JSON_INT_MAX, &seq, reason) < 0 ||
	    str_field(p, "payload.", "hash", &hash, reason) < 0)
		return -1;
	if (!action[0] || strlen(action) > 40 || !result[0] || strlen(result) > 24)
		return why(reason, "payload.action, payload.result: 1..40 and 1..24 characters");
	if (strlen(detail) > 120)
		return why(reason, "payload.detail: at most 120 characters");
	if (sim_time_parse(at, &when) < 0)
		return why(reason, "payload.at: must be an ISO 8601 time with offset");
	if (!hex64(hash))
		return why(reason, "payload.hash: must be 64 lowercase hex digits");
	return 0;
}

/* Everything but the key, which the caller has checked. */
static int check_event(const struct sim_device *dev, const cJSON *ev, struct event *e, char *reason)
{
	const char *at;

	if (int_field(ev, "", "seq", 1, SIM_JSON_INT_MAX, &e->seq, reason) < 0 ||
	    str_field(ev, "", "type", &e->type, reason) < 0 || str_field(ev, "", "at", &at, reason) < 0)
		return -1;
	if (sim_time_parse(at, &e->at) < 0)
		return why(reason, "at: must be an ISO 8601 time with offset");
	e->payload = cJSON_GetObjectItemCaseSensitive(ev, "payload");
	if (!cJSON_IsObject(e->payload))
		return why(reason, "payload: %s", e->payload ? "must be an object" : "missing");
	/* the event types this server knows; anything else is a dead letter on the kiosk */
	if (strcmp(e->type, "coupon.issued") == 0) {
		e->is_coupon = 1;
		return check_coupon(dev, e, reason);
	}
	if (strcmp(e->type, "maintenance.action") == 0)
		return check_maintenance(e, reason);
	/* checked with the simulator's state, and applied, in one_event (sim_field.c) */
	e->is_field = sim_field_type(e->type);
	e->is_account = sim_account_event_type(e->type); /* likewise, sim_account_event.c */
	if (e->is_field || e->is_account)
		return 0;
	return why(reason, "type: unknown event type");
}

enum outcome { ACCEPTED, DUPLICATE, REJECTED, DB_FAILED };

static int exists(sqlite3_stmt *st, int is_text, const char *text, int64_t a, int64_t b)
{
	int rc;

	sqlite3_reset(st);
	if (is_text) {
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_int64(st, 1, a);
		sqlite3_bind_int64(st, 2, b);
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

struct stmts {
	struct sim_db *d;
	sqlite3_stmt *key_seen, *coupon_seen, *insert_event, *insert_coupon;
};

static enum outcome one_event(struct stmts *s, const struct sim_device *dev, const cJSON *ev, int64_t now,
			      struct sim_fault_ctl *faults, char *reason)
{
	struct event e;
	char *payload;
	int rc;

	memset(&e, 0, sizeof e);
	if (!cJSON_IsObject(ev)) {
		why(reason, "the event must be an object");
		return REJECTED;
	}
	if (sim_key_parse(cJSON_GetStringValue(jf_get(ev, "key")), e.key) < 0) {
		why(reason, "key: must be a UUIDv4");
		return REJECTED;
	}
	rc = exists(s->key_seen, 1, e.key, 0, 0);
	if (rc)
		return rc > 0 ? DUPLICATE : DB_FAILED;
	if (faults && sim_faults_roll(faults, SIM_FAULT_REJECT)) {
		why(reason, "simulated refusal (reject fault)");
		return REJECTED;
	}
	if (check_event(dev, ev, &e, reason) < 0)
		return REJECTED;
	if (e.is_coupon) {
		rc = exists(s->coupon_seen, 0, NULL, e.kiosk_id, e.coupon_seq);
		if (rc < 0)
			return DB_FAILED;
		if (rc > 0) {
			why(reason, "payload.seq: this coupon was already received with another key");
			return REJECTED;
		}
	}
	if (e.is_field) {
		rc = sim_field_apply(s->d, dev, e.type, e.key, e.payload, reason);
		if (rc)
			return rc > 0 ? REJECTED : DB_FAILED;
	}
	if (e.is_account) {
		rc = sim_account_apply(s->d, dev, e.type, e.payload, reason);
		if (rc)
			return rc > 0 ? REJECTED : DB_FAILED;
	}
	payload = cJSON_PrintUnformatted(e.payload);
	if (!payload)
		return DB_FAILED;
	sqlite3_reset(s->insert_event);
	sqlite3_bind_text(s->insert_event, 1, e.key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->insert_event, 2, dev->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->insert_event, 3, e.seq);
	sqlite3_bind_text(s->insert_event, 4, e.type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->insert_event, 5, e.at);
	sqlite3_bind_text(s->insert_event, 6, payload, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->insert_event, 7, now);
	rc = sqlite3_step(s->insert_event);
	sqlite3_reset(s->insert_event);
	cJSON_free(payload);
	if (rc != SQLITE_DONE)
		return DB_FAILED;
	if (e.is_coupon) {
		sqlite3_reset(s->insert_coupon);
		sqlite3_bind_int64(s->insert_coupon, 1, e.kiosk_id);
		sqlite3_bind_int64(s->insert_coupon, 2, e.coupon_seq);
		sqlite3_bind_text(s->insert_coupon, 3, e.key, -1, SQLITE_STATIC);
		sqlite3_bind_text(s->insert_coupon, 4, e.reference, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s->insert_coupon, 5, e.amount);
		rc = sqlite3_step(s->insert_coupon);
		sqlite3_reset(s->insert_coupon);
		if (rc != SQLITE_DONE)
			return DB_FAILED;
	}
	return ACCEPTED;
}

static int add_result(cJSON *results, const cJSON *ev, enum outcome o, const char *reason)
{
	static const char *const names[] = {"accepted", "duplicate", "rejected"};
	const char *key = cJSON_GetStringValue(jf_get(ev, "key"));
	cJSON *r = cJSON_CreateObject();

	if (!r || !cJSON_AddItemToArray(results, r)) {
		cJSON_Delete(r);
		return -1;
	}
	/* the key as sent (even a malformed one): the kiosk matches results by position */
	if (!cJSON_AddStringToObject(r, "key", key ? key : "") ||
	    !cJSON_AddStringToObject(r, "status", names[o]))
		return -1;
	if (o == REJECTED && !cJSON_AddStringToObject(r, "reason", reason))
		return -1;
	return 0;
}

int sim_events_ingest(struct sim_db *d, const struct sim_device *dev, const cJSON *events, int64_t now,
		      struct sim_fault_ctl *faults, cJSON *results)
{
	struct stmts s = {d, NULL, NULL, NULL, NULL};
	sqlite3_stmt *counters = NULL;
	const cJSON *ev;
	int64_t dups = 0, rejected = 0;
	int rc = -1;

	pthread_mutex_lock(&d->mu);
	if (sim_db_exec(d, "BEGIN IMMEDIATE") < 0)
		goto out_unlock;
	s.key_seen = sim_db_prepare(d, "SELECT 1 FROM sim_events WHERE key = ?1");
	s.coupon_seen = sim_db_prepare(d, "SELECT 1 FROM sim_coupons WHERE kiosk_id = ?1 AND seq = ?2");
	s.insert_event = sim_db_prepare(d, "INSERT INTO sim_events(key, device_id, seq, type, at, payload,"
					   " received_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	s.insert_coupon = sim_db_prepare(d, "INSERT INTO sim_coupons(kiosk_id, seq, event_key, reference,"
					    " amount_minor) VALUES(?1, ?2, ?3, ?4, ?5)");
	counters = sim_db_prepare(d, "UPDATE sim_devices SET duplicates = duplicates + ?1,"
				     " rejected = rejected + ?2 WHERE device_id = ?3");
	if (!s.key_seen || !s.coupon_seen || !s.insert_event || !s.insert_coupon || !counters)
		goto out;
	cJSON_ArrayForEach(ev, events)
	{
		char reason[REASON_MAX] = "";
		enum outcome o = one_event(&s, dev, ev, now, faults, reason);

		if (o == DB_FAILED || add_result(results, ev, o, reason) < 0)
			goto out;
		dups += o == DUPLICATE;
		rejected += o == REJECTED;
	}
	sqlite3_bind_int64(counters, 1, dups);
	sqlite3_bind_int64(counters, 2, rejected);
	sqlite3_bind_text(counters, 3, dev->id, -1, SQLITE_STATIC);
	if (sqlite3_step(counters) != SQLITE_DONE || sim_db_exec(d, "COMMIT") < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		sim_db_exec(d, "ROLLBACK");
	sqlite3_finalize(s.key_seen);
	sqlite3_finalize(s.coupon_seen);
	sqlite3_finalize(s.insert_event);
	sqlite3_finalize(s.insert_coupon);
	sqlite3_finalize(counters);
out_unlock:
	pthread_mutex_unlock(&d->mu);
	return rc;
}

static int add_gap(cJSON *gaps, int64_t from, int64_t to)
{
	cJSON *g = cJSON_CreateArray();

	if (!g || !cJSON_AddItemToArray(gaps, g)) {
		cJSON_Delete(g);
		return -1;
	}
	return cJSON_AddItemToArray(g, jf_int_item(from)) && cJSON_AddItemToArray(g, jf_int_item(to)) ? 0
													: -1;
}

int sim_coupon_state(struct sim_db *d, uint32_t kiosk, uint64_t seq, int *known, cJSON *gaps)
{
	sqlite3_stmt *st;
	int64_t expect = 1;
	int rc = -1, step, ngaps = 0;

	*known = 0;
	pthread_mutex_lock(&d->mu);
	st = sim_db_prepare(d, "SELECT seq FROM sim_coupons WHERE kiosk_id = ?1 ORDER BY seq");
	if (!st)
		goto out;
	sqlite3_bind_int64(st, 1, kiosk);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t s = sqlite3_column_int64(st, 0);

		if ((uint64_t)s == seq)
			*known = 1;
		if (s > expect && ngaps < SIM_GAPS_MAX) {
			if (add_gap(gaps, expect, s - 1) < 0)
				goto out;
			ngaps++;
		}
		expect = s + 1;
	}
	if (step == SQLITE_DONE)
		rc = 0;
out:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&d->mu);
	return rc;
}

/* The heartbeat's "update": {"state":"waiting","version":V,"since":EPOCH,"money_events":N}:
 * the state one of the known ones, the version 1..32 printable ASCII characters, the numbers
 * integers >= 0, nothing else. 0, or -1 with reason set. */
static int heartbeat_update_check(const cJSON *body, char *reason)
{
	static const char *const keys[] = {"state", "version", "since", "money_events"};
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(body, "update"), *e;
	const char *s;
	int64_t v;

	if (!cJSON_IsObject(u)) {
		why(reason, "update: must be an object");
		return -1;
	}
	cJSON_ArrayForEach(e, u) {
		size_t i = 0;
		while (i < sizeof keys / sizeof keys[0] && strcmp(e->string, keys[i]))
			i++;
		if (i == sizeof keys / sizeof keys[0]) {
			why(reason, "update.%.40s: not a known field", e->string);
			return -1;
		}
	}
	if (str_field(u, "update.", "state", &s, reason) < 0)
		return -1;
	if (strcmp(s, "waiting")) {
		why(reason, "update.state: must be \"waiting\"");
		return -1;
	}
	if (str_field(u, "update.", "version", &s, reason) < 0)
		return -1;
	size_t n = strlen(s);
	int printable = n >= 1 && n <= 32;
	for (size_t i = 0; printable && i < n; i++)
		printable = s[i] > ' ' && s[i] < 0x7f;
	if (!printable) {
		why(reason, "update.version: 1 to 32 printable characters");
		return -1;
	}
	if (int_field(u, "update.", "since", 0, SIM_JSON_INT_MAX, &v, reason) < 0 ||
	    int_field(u, "update.", "money_events", 0, SIM_JSON_INT_MAX, &v, reason) < 0)
		return -1;
	return 0;
}

int sim_heartbeat_store(struct sim_db *d, const struct sim_device *dev, const cJSON *body, int64_t now,
			char *whyout, size_t whyn)
{
	static const char *const counts[] = {"queue_depth", "oldest_unsynced_s", "dead_letters"};
	char reason[REASON_MAX];
	const cJSON *as_of;
	const char *s;
	sqlite3_stmt *st;
	char *text;
	int64_t v;
	int rc = -1;

	if (!cJSON_IsObject(body)) {
		snprintf(whyout, whyn, "the body must be a JSON object");
		return 1;
	}
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
		if (int_field(body, "", counts[i], 0, SIM_JSON_INT_MAX, &v, reason) < 0)
			goto invalid;
	if (str_field(body, "", "printer", &s, reason) < 0 || str_field(body, "", "version", &s, reason) < 0)
		goto invalid;
	/* optional: the outcome of the printer's last job and what the printer reported */
	for (size_t i = 0; i < 2; i++) {
		static const char *const opt[] = {"printer_job", "printer_detail"};
		static const size_t max[] = {32, 200};

		if (!cJSON_GetObjectItemCaseSensitive(body, opt[i]))
			continue;
		if (str_field(body, "", opt[i], &s, reason) < 0)
			goto invalid;
		if (strlen(s) > max[i]) {
			why(reason, "%s: at most %zu characters", opt[i], max[i]);
			goto invalid;
		}
	}
	/* optional: the head of the kiosk's audit chain */
	if (cJSON_GetObjectItemCaseSensitive(body, "audit_head")) {
		if (str_field(body, "", "audit_head", &s, reason) < 0)
			goto invalid;
		if (!hex64(s)) {
			why(reason, "audit_head: must be 64 lowercase hex digits");
			goto invalid;
		}
	}
	/* optional: an update held back by unacknowledged money events (`recaudo update-wait`) */
	if (cJSON_GetObjectItemCaseSensitive(body, "update") && heartbeat_update_check(body, reason) < 0)
		goto invalid;
	as_of = cJSON_GetObjectItemCaseSensitive(body, "data_as_of");
	if (as_of && !cJSON_IsNull(as_of) &&
	    (!cJSON_IsString(as_of) || sim_time_parse(as_of->valuestring, &v) < 0)) {
		why(reason, "data_as_of: must be an ISO 8601 time with offset, or null");
		goto invalid;
	}
	text = cJSON_PrintUnformatted(body);
	if (!text)
		return -1;
	pthread_mutex_lock(&d->mu);
	st = sim_db_prepare(d, "UPDATE sim_devices SET heartbeats = heartbeats + 1, heartbeat_at = ?1,"
			       " heartbeat = ?2 WHERE device_id = ?3");
	if (st) {
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, dev->id, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&d->mu);
	cJSON_free(text);
	return rc;
invalid:
	snprintf(whyout, whyn, "%s", reason);
	return 1;
}
