/* field_store_read — reading the field agent's receipts back (field_store.h), and the two
 * sums the rules need: the agent's cash not yet acknowledged by the server (the cap) and what
 * the tablet collected of a document that the server's balances do not reflect yet (the
 * effective balances), with the refresh's marking of what they now reflect. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "field_store_internal.h"
#include "json_field.h"

/* ---- reading receipts ---- */

static void column_text(char *dst, size_t n, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(dst, n, "%s", t ? (const char *)t : "");
}

static void denoms_parse(struct field_receipt *r, const char *text)
{
	cJSON *arr = text ? cJSON_Parse(text) : NULL;
	const cJSON *d;

	cJSON_ArrayForEach(d, arr)
	{
		int64_t v, c;

		if (r->ndenoms == FIELD_DENOM_COUNT ||
		    jf_int_value(jf_get(d, "value_minor"), 1, INT64_MAX, &v) != 0 ||
		    jf_int_value(jf_get(d, "count"), 0, INT32_MAX, &c) != 0)
			continue;
		r->denoms[r->ndenoms++] = (struct field_denom){v, (int)c};
	}
	cJSON_Delete(arr);
}

#define RECEIPT_COLUMNS                                                                              \
	"SELECT id, number, agent_code, device_id, day, at, id_type, id_number, customer_name,"      \
	" currency, amount_minor, cash_minor, change_minor, denominations, event_key, state,"        \
	" void_reason, void_by, void_at FROM field_receipts"

static void receipt_row(sqlite3_stmt *st, struct field_receipt *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->number = (uint64_t)sqlite3_column_int64(st, 1);
	column_text(r->agent, sizeof r->agent, st, 2);
	column_text(r->device_id, sizeof r->device_id, st, 3);
	r->day = sqlite3_column_int(st, 4);
	r->at = sqlite3_column_int64(st, 5);
	id_type_parse((const char *)sqlite3_column_text(st, 6), &r->id_type);
	column_text(r->id_number, sizeof r->id_number, st, 7);
	column_text(r->customer_name, sizeof r->customer_name, st, 8);
	currency_parse((const char *)sqlite3_column_text(st, 9), &r->cur);
	r->amount_minor = sqlite3_column_int64(st, 10);
	r->cash_minor = sqlite3_column_int64(st, 11);
	r->change_minor = sqlite3_column_int64(st, 12);
	denoms_parse(r, (const char *)sqlite3_column_text(st, 13));
	column_text(r->event_key, sizeof r->event_key, st, 14);
	r->voided = sqlite3_column_text(st, 15) && strcmp((const char *)sqlite3_column_text(st, 15), "void") == 0;
	column_text(r->void_reason, sizeof r->void_reason, st, 16);
	column_text(r->void_by, sizeof r->void_by, st, 17);
	r->void_at = sqlite3_column_int64(st, 18);
}

static int receipt_lines(struct store *s, struct field_receipt *r)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT doc_number, line, description, due, amount_minor FROM field_receipt_lines"
			       " WHERE receipt_id = ?1 ORDER BY idx",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "field: reading a receipt's lines");
	sqlite3_bind_int64(st, 1, r->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && r->nlines < COUPON_MAX_DOCS) {
		struct field_receipt_line *l = &r->lines[r->nlines++];

		column_text(l->doc_number, sizeof l->doc_number, st, 0);
		column_text(l->line, sizeof l->line, st, 1);
		column_text(l->description, sizeof l->description, st, 2);
		l->due = sqlite3_column_int(st, 3);
		l->amount_minor = sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_fail_db(s, "field: reading a receipt's lines");
}

/* Reads the receipts of one (agent, device) matching `where` (with ?3 and ?4 bound to a and b),
 * in number order, into a malloc'd array. */
static int receipts_read(struct store *s, const char *agent, const char *device_id, const char *where,
			 int64_t a, int64_t b, struct field_receipt **out, int *n)
{
	sqlite3_stmt *st = NULL;
	struct field_receipt *v = NULL;
	char sql[512];
	int rc, cap = 0, began = sqlite3_get_autocommit(s->db) != 0;

	*out = NULL, *n = 0;
	if (began && store_exec(s, "BEGIN") < 0)
		return STORE_ERR;
	snprintf(sql, sizeof sql, RECEIPT_COLUMNS " WHERE agent_code = ?1 AND device_id = ?2 AND %s ORDER BY number",
		 where);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		rc = store_fail_db(s, "field: reading receipts");
		goto out;
	}
	sqlite3_bind_text(st, 1, agent, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, device_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, a);
	sqlite3_bind_int64(st, 4, b);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct field_receipt *w = realloc(v, (size_t)(cap = cap ? cap * 2 : 8) * sizeof *v);

			if (!w) {
				rc = store_fail(s, STORE_ERR, "field: out of memory");
				goto out;
			}
			v = w;
		}
		receipt_row(st, &v[*n]);
		if (receipt_lines(s, &v[(*n)++]) < 0) {
			rc = STORE_ERR;
			goto out;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : store_fail_db(s, "field: reading receipts");
out:
	sqlite3_finalize(st);
	if (began && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (rc < 0) {
		free(v);
		*n = 0;
		return rc;
	}
	*out = v;
	return 0;
}

int field_receipt_get(struct store *s, const char *agent, const char *device_id, uint64_t number,
		      struct field_receipt *out)
{
	struct field_receipt *v;
	int n, rc;

	memset(out, 0, sizeof *out);
	if (!field_code_ok(agent) || !field_device_ok(device_id))
		return store_fail(s, STORE_EINVAL, "Código de agente o de tableta no válido");
	rc = receipts_read(s, agent, device_id, "number = ?3 AND ?4 = 0", (int64_t)number, 0, &v, &n);
	if (rc < 0)
		return rc;
	if (n == 1)
		*out = v[0];
	free(v);
	return n == 1 ? 0 : 1;
}

int field_receipts_of_day(struct store *s, const char *agent, const char *device_id, int32_t day,
			  struct field_receipt **out, int *n)
{
	*out = NULL, *n = 0;
	if (!field_code_ok(agent) || !field_device_ok(device_id))
		return store_fail(s, STORE_EINVAL, "Código de agente o de tableta no válido");
	return receipts_read(s, agent, device_id, "day = ?3 AND ?4 = 0", day, 0, out, n);
}

/* ---- the cap and the effective balances ---- */

static int sum_query(struct store *s, const char *what, sqlite3_stmt *st, int64_t *out)
{
	int rc = sqlite3_step(st);

	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_fail_db(s, what);
}

/* From the queue (outbox_by_state), each event to its receipt by the key's UNIQUE index: costs
 * what is unsynced, not the agent's whole history. */
int field_unsynced_cash(struct store *s, const char *agent, int64_t *cop_minor)
{
	sqlite3_stmt *st = NULL;

	*cop_minor = 0;
	if (!field_code_ok(agent))
		return store_fail(s, STORE_EINVAL, "Código de agente no válido");
	if (sqlite3_prepare_v2(s->db,
			       "SELECT coalesce(sum(r.amount_minor), 0) FROM outbox AS o"
			       " JOIN field_receipts AS r ON r.event_key = o.key"
			       /* pending, in flight or dead-lettered: the server has not taken that cash */
			       " WHERE o.state IN (0, 1, 3) AND o.type = 'payment.collected' AND r.agent_code = ?1"
			       " AND r.state = 'paid' AND r.currency = 'COP'",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "field: unsynced cash");
	sqlite3_bind_text(st, 1, agent, -1, SQLITE_STATIC);
	return sum_query(s, "field: unsynced cash", st, cop_minor);
}

int field_unreflected_paid(struct store *s, enum id_type t, const char *number, const char *doc_number,
			   int64_t *minor)
{
	sqlite3_stmt *st = NULL;

	*minor = 0;
	if ((int)t < 0 || t >= ID_TYPE_COUNT || !number || !doc_number)
		return store_fail(s, STORE_EINVAL, "field: no client or document given");
	if (sqlite3_prepare_v2(s->db,
			       "SELECT coalesce(sum(l.amount_minor), 0) FROM field_receipts AS r"
			       " JOIN field_receipt_lines AS l ON l.receipt_id = r.id"
			       " WHERE r.id_type = ?1 AND r.id_number = ?2 AND r.reflected = 0"
			       " AND r.state = 'paid' AND l.doc_number = ?3",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "field: unreflected payments");
	sqlite3_bind_text(st, 1, id_type_code(t), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, number, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, doc_number, -1, SQLITE_STATIC);
	return sum_query(s, "field: unreflected payments", st, minor);
}

/* Acknowledged: the event is acked (2), or gone (the retention job removes only acked events,
 * store_outbox_prune). A dead-lettered payment stays unreflected: the server did not take it. */
int field_mark_reflected(struct store *s, enum id_type t, const char *number)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((int)t < 0 || t >= ID_TYPE_COUNT || !number)
		return store_fail(s, STORE_ERR, "field: no client given");
	if (sqlite3_prepare_v2(s->db,
			       "UPDATE field_receipts SET reflected = 1 WHERE id_type = ?1 AND id_number = ?2"
			       " AND reflected = 0 AND NOT EXISTS(SELECT 1 FROM outbox"
			       " WHERE key = field_receipts.event_key AND state <> 2)",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "field: marking receipts reflected");
	sqlite3_bind_text(st, 1, id_type_code(t), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, number, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "field: marking receipts reflected");
}
