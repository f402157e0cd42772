/* field_store_day — the agent's day in the store (field_store.h): voiding a receipt of the day,
 * the totals per business line and currency, the close with its collection.closed event, and a
 * supervisor's reopening. Each write is one IMMEDIATE transaction with its event and audit row
 * (outbox_write). A day is closed while its newest close has no reopened_at. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field_store_internal.h"

/* The agent's open close of day (not reopened): 1 with its id and device, 0 when none, <0. */
static int open_close(struct store *s, const char *agent, int32_t day, int64_t *id, char device[FIELD_DEVICE_MAX])
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT id, device_id FROM field_closes WHERE agent_code = ?1 AND day = ?2"
			       " AND reopened_at IS NULL ORDER BY id DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "field: the day's close");
	sqlite3_bind_text(st, 1, agent, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, day);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(device, FIELD_DEVICE_MAX, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail_db(s, "field: the day's close");
	return rc == SQLITE_ROW;
}

int field_day_closed(struct store *s, const char *agent, int32_t day)
{
	char device[FIELD_DEVICE_MAX];
	int64_t id;

	if (!field_code_ok(agent))
		return store_fail(s, STORE_EINVAL, "Código de agente no válido");
	return open_close(s, agent, day, &id, device);
}

/* ---- voids ---- */

static int void_tx(struct store *s, const char *agent, const char *device_id, uint64_t number,
		   const char *reason, const char *supervisor, int64_t now, int32_t day, struct field_receipt *r)
{
	sqlite3_stmt *st = NULL;
	int rc = field_receipt_get(s, agent, device_id, number, r);

	if (rc != 0)
		return rc < 0 ? rc : store_fail(s, STORE_EINVAL, "No hay un recibo con ese número");
	if (r->voided)
		return store_fail(s, STORE_EINVAL, "El recibo ya está anulado");
	if (r->day != day)
		return store_fail(s, STORE_EINVAL, "Solo se anulan recibos del mismo día");
	rc = field_day_closed(s, agent, day);
	if (rc != 0)
		return rc < 0 ? rc : store_fail(s, STORE_EINVAL, "El día está cerrado: no se pueden anular recibos");
	r->voided = 1;
	snprintf(r->void_reason, sizeof r->void_reason, "%s", reason);
	snprintf(r->void_by, sizeof r->void_by, "%s", supervisor);
	r->void_at = now;
	{
		char key[OUTBOX_KEY_LEN + 1];

		if ((rc = outbox_write(s, OUTBOX_PAYMENT_VOIDED, r)) < 0 ||
		    (rc = field_last_event_key(s, OUTBOX_PAYMENT_VOIDED, key)) < 0)
			return rc;
		if (sqlite3_prepare_v2(s->db,
				       "UPDATE field_receipts SET state = 'void', void_reason = ?2, void_by = ?3,"
				       " void_at = ?4, void_key = ?5 WHERE id = ?1 AND state = 'paid'",
				       -1, &st, NULL) != SQLITE_OK)
			return store_fail_db(s, "field: voiding the receipt");
		sqlite3_bind_int64(st, 1, r->id);
		sqlite3_bind_text(st, 2, r->void_reason, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, r->void_by, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, now);
		sqlite3_bind_text(st, 5, key, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_DONE || sqlite3_changes(s->db) != 1)
		return store_fail_db(s, "field: voiding the receipt");
	return 0;
}

/* Maker-checker in the store, not only on the screen: the approver is an agent this tablet
 * knows with the supervisor role (the caller verified the password against its hash). */
static int supervisor_known(struct store *s, const char *code, const char *what)
{
	sqlite3_stmt *st;
	int rc, ok = 0;

	if (sqlite3_prepare_v2(s->db, "SELECT role = 'supervisor' AND pass_hash IS NOT NULL FROM agents WHERE code = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "field: the supervisor");
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ok = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail_db(s, "field: the supervisor");
	return ok ? 0 : store_fail(s, STORE_EINVAL, "%s la aprueba un supervisor conocido en esta tableta", what);
}

int field_void(struct store *s, const char *agent, const char *device_id, uint64_t number,
	       const char *reason, const char *supervisor, int64_t now, int32_t day, struct field_receipt *out)
{
	struct field_receipt *r;
	size_t len = reason ? strnlen(reason, FIELD_REASON_MAX) : 0;
	int rc;

	if (!field_code_ok(agent) || !field_device_ok(device_id))
		return store_fail(s, STORE_EINVAL, "Código de agente o de tableta no válido");
	if (len < 3 || len >= FIELD_REASON_MAX || !domain_text_ok(reason, FIELD_REASON_MAX))
		return store_fail(s, STORE_EINVAL, "El motivo debe tener entre 3 y %d caracteres",
				  FIELD_REASON_MAX - 1);
	if (!field_code_ok(supervisor))
		return store_fail(s, STORE_EINVAL, "Código de supervisor no válido");
	/* maker-checker: the approval is a second person's */
	if (strcmp(supervisor, agent) == 0)
		return store_fail(s, STORE_EINVAL, "La anulación la aprueba un supervisor distinto del agente");
	if ((rc = supervisor_known(s, supervisor, "La anulación")) != 0)
		return rc;
	if (now <= 0 || !date_valid(day))
		return store_fail(s, STORE_EINVAL, "La fecha de la anulación no es válida");
	r = calloc(1, sizeof *r);
	if (!r)
		return store_fail(s, STORE_ERR, "field: out of memory");
	rc = field_tx_begin(s);
	if (rc == 0)
		rc = field_tx_end(s, void_tx(s, agent, device_id, number, reason, supervisor, now, day, r));
	if (rc == 0 && out)
		*out = *r;
	free(r);
	return rc;
}

/* ---- totals ---- */

static sqlite3_stmt *totals_stmt(struct store *s, const char *sql, const char *agent, const char *device_id,
				 int32_t from, int32_t to, const char *line)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail_db(s, "field: totals");
		return NULL;
	}
	sqlite3_bind_text(st, 1, agent, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, device_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, from);
	sqlite3_bind_int(st, 4, to);
	sqlite3_bind_text(st, 5, line ? line : "", -1, SQLITE_STATIC);
	return st;
}

/* The receipts considered: the agent's on this device in the days, having a line of the
 * business line asked for (every receipt when none is). */
#define TOTALS_WHERE                                                                                 \
	" r.agent_code = ?1 AND r.device_id = ?2 AND r.day BETWEEN ?3 AND ?4 AND (?5 = '' OR EXISTS("  \
	"SELECT 1 FROM field_receipt_lines AS x WHERE x.receipt_id = r.id AND x.line = ?5))"

#define STR_(x) #x
#define STR(x) STR_(x)
#define LISTED STR(FIELD_VOIDS_LISTED)

/* Per (line, currency). Rows past FIELD_TOTALS_MAX are left out of rows[], never out of cash. */
static int totals_rows(struct store *s, const char *agent, const char *device_id, const char *line,
		       struct field_totals *t)
{
	sqlite3_stmt *st = totals_stmt(
		s,
		"SELECT l.line, r.currency, count(*), sum(l.amount_minor), sum(r.state = 'void'),"
		" coalesce(sum(CASE WHEN r.state = 'void' THEN l.amount_minor END), 0)"
		" FROM field_receipts AS r JOIN field_receipt_lines AS l ON l.receipt_id = r.id"
		" WHERE" TOTALS_WHERE " AND (?5 = '' OR l.line = ?5)"
		" GROUP BY l.line, r.currency ORDER BY l.line, r.currency = 'USD'",
		agent, device_id, t->from, t->to, line);
	int rc;

	if (!st)
		return STORE_ERR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct field_totals_row row;
		const unsigned char *name = sqlite3_column_text(st, 0);

		memset(&row, 0, sizeof row);
		snprintf(row.line, sizeof row.line, "%s", name ? (const char *)name : "");
		if (currency_parse((const char *)sqlite3_column_text(st, 1), &row.cur) != 0)
			continue;
		row.payments = sqlite3_column_int64(st, 2);
		row.payments_minor = sqlite3_column_int64(st, 3);
		row.voids = sqlite3_column_int64(st, 4);
		row.voids_minor = sqlite3_column_int64(st, 5);
		row.net_minor = row.payments_minor - row.voids_minor;
		if (row.cur == CUR_COP)
			t->cash_cop_minor += row.net_minor;
		else
			t->cash_usd_minor += row.net_minor;
		if (t->nrows < FIELD_TOTALS_MAX)
			t->rows[t->nrows++] = row;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "field: totals per line");
}

static int totals_range(struct store *s, const char *agent, const char *device_id, const char *line,
			struct field_totals *t)
{
	sqlite3_stmt *st = totals_stmt(s,
				       "SELECT count(*), coalesce(sum(r.state = 'void'), 0),"
				       " coalesce(min(r.number), 0), coalesce(max(r.number), 0)"
				       " FROM field_receipts AS r WHERE" TOTALS_WHERE,
				       agent, device_id, t->from, t->to, line);
	int rc;

	if (!st)
		return STORE_ERR;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		t->receipts = sqlite3_column_int64(st, 0);
		t->voided = sqlite3_column_int64(st, 1);
		t->first_number = (uint64_t)sqlite3_column_int64(st, 2);
		t->last_number = (uint64_t)sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_fail_db(s, "field: the receipts' range");
	st = totals_stmt(s,
			 "SELECT r.number FROM field_receipts AS r WHERE" TOTALS_WHERE
			 " AND r.state = 'void' ORDER BY r.number LIMIT " LISTED,
			 agent, device_id, t->from, t->to, line);
	if (!st)
		return STORE_ERR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && t->nvoid_numbers < FIELD_VOIDS_LISTED)
		t->void_numbers[t->nvoid_numbers++] = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_fail_db(s, "field: the voided numbers");
}

/* Reads inside the caller's transaction, if any. */
static int totals_read(struct store *s, const char *agent, const char *device_id, int32_t from, int32_t to,
		       const char *line, struct field_totals *out)
{
	memset(out, 0, sizeof *out);
	out->from = from;
	out->to = to;
	if (!field_code_ok(agent) || !field_device_ok(device_id))
		return store_fail(s, STORE_EINVAL, "Código de agente o de tableta no válido");
	if (!date_valid(from) || !date_valid(to) || to < from)
		return store_fail(s, STORE_EINVAL, "El rango de fechas no es válido");
	if (line && strnlen(line, sizeof out->rows[0].line) >= sizeof out->rows[0].line)
		return store_fail(s, STORE_EINVAL, "La línea de negocio no es válida");
	if (totals_rows(s, agent, device_id, line, out) < 0 || totals_range(s, agent, device_id, line, out) < 0)
		return STORE_ERR;
	return 0;
}

int field_totals_get(struct store *s, const char *agent, const char *device_id, int32_t from, int32_t to,
		     const char *line, struct field_totals *out)
{
	int began = sqlite3_get_autocommit(s->db) != 0, rc;

	if (began && store_exec(s, "BEGIN") < 0) {
		memset(out, 0, sizeof *out);
		return STORE_ERR;
	}
	rc = totals_read(s, agent, device_id, from, to, line, out);
	if (began && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

/* ---- the close and the reopening ---- */

static int close_tx(struct store *s, const char *agent, const char *device_id, int32_t day, int64_t now,
		    struct field_totals *t)
{
	struct outbox_collection_closed e = {agent, device_id, day, now, t};
	sqlite3_stmt *st = NULL;
	int rc = field_day_closed(s, agent, day);

	if (rc != 0)
		return rc < 0 ? rc : store_fail(s, STORE_EINVAL, "El día ya está cerrado");
	if ((rc = totals_read(s, agent, device_id, day, day, NULL, t)) < 0 ||
	    (rc = outbox_write(s, OUTBOX_COLLECTION_CLOSED, &e)) < 0)
		return rc;
	/* the close keeps its event: key and payload (the totals as sent) */
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO field_closes(agent_code, device_id, day, at, event_key, first_number,"
			       " last_number, totals) SELECT ?1, ?2, ?3, ?4, key, ?5, ?6, payload FROM outbox"
			       " WHERE seq = (SELECT value FROM counters WHERE name = 'outbox_seq')"
			       " AND type = 'collection.closed'",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "field: writing the close");
	sqlite3_bind_text(st, 1, agent, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, device_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, day);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, (int64_t)t->first_number);
	sqlite3_bind_int64(st, 6, (int64_t)t->last_number);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE || sqlite3_changes(s->db) != 1)
		return store_fail_db(s, "field: writing the close");
	return 0;
}

int field_close_day(struct store *s, const char *agent, const char *device_id, int32_t day, int64_t now,
		    struct field_totals *out)
{
	struct field_totals t;
	int rc;

	memset(out, 0, sizeof *out);
	if (!field_code_ok(agent) || !field_device_ok(device_id))
		return store_fail(s, STORE_EINVAL, "Código de agente o de tableta no válido");
	if (now <= 0 || !date_valid(day))
		return store_fail(s, STORE_EINVAL, "La fecha del cierre no es válida");
	rc = field_tx_begin(s);
	if (rc == 0)
		rc = field_tx_end(s, close_tx(s, agent, device_id, day, now, &t));
	if (rc == 0)
		*out = t;
	return rc;
}

static int reopen_tx(struct store *s, const char *agent, int32_t day, const char *supervisor, int64_t now)
{
	struct outbox_collection_reopened e = {agent, NULL, supervisor, day, now};
	char device[FIELD_DEVICE_MAX] = "";
	sqlite3_stmt *st = NULL;
	int64_t close_id = 0;
	int rc = open_close(s, agent, day, &close_id, device);

	if (rc <= 0)
		return rc < 0 ? rc : store_fail(s, STORE_EINVAL, "El día no está cerrado");
	e.device_id = device;
	if ((rc = outbox_write(s, OUTBOX_COLLECTION_REOPENED, &e)) < 0)
		return rc;
	if (sqlite3_prepare_v2(s->db, "UPDATE field_closes SET reopened_at = ?2, reopened_by = ?3 WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "field: reopening the day");
	sqlite3_bind_int64(st, 1, close_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_text(st, 3, supervisor, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "field: reopening the day");
}

int field_reopen_day(struct store *s, const char *agent, int32_t day, const char *supervisor, int64_t now)
{
	int rc;

	if (!field_code_ok(agent) || !field_code_ok(supervisor))
		return store_fail(s, STORE_EINVAL, "Código de agente o de supervisor no válido");
	if (strcmp(supervisor, agent) == 0)
		return store_fail(s, STORE_EINVAL, "La reapertura la aprueba un supervisor distinto del agente");
	if ((rc = supervisor_known(s, supervisor, "La reapertura")) != 0)
		return rc;
	if (now <= 0 || !date_valid(day))
		return store_fail(s, STORE_EINVAL, "La fecha de la reapertura no es válida");
	rc = field_tx_begin(s);
	if (rc == 0)
		rc = field_tx_end(s, reopen_tx(s, agent, day, supervisor, now));
	return rc;
}
