/* field_store — cash collected against instalments (field_store.h): the collection's rules
 * checked against the store's documents and the effective balances, and the receipt with its
 * payment.collected event in one IMMEDIATE transaction. Reading receipts and the balances are
 * field_store_read.c; voids, totals and the day's close field_store_day.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "field_store_internal.h"
#include "json_field.h"
#include "money_limits.h"

/* ---- shared with field_store_day.c ---- */

int field_code_ok(const char *code)
{
	size_t n = code ? strnlen(code, FIELD_AGENT_MAX) : 0;

	if (n == 0 || n >= FIELD_AGENT_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((code[i] >= '0' && code[i] <= '9') || (code[i] >= 'a' && code[i] <= 'z') ||
		      (code[i] >= 'A' && code[i] <= 'Z')))
			return 0;
	return 1;
}

int field_device_ok(const char *device_id)
{
	size_t n = device_id ? strnlen(device_id, FIELD_DEVICE_MAX) : 0;

	return n > 0 && n < FIELD_DEVICE_MAX &&
	       strspn(device_id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == n;
}

int field_tx_begin(struct store *s)
{
	if (s->importing || !sqlite3_get_autocommit(s->db))
		return store_fail(s, STORE_ERR, "field: another transaction is open");
	return store_exec(s, "BEGIN IMMEDIATE");
}

int field_tx_end(struct store *s, int rc)
{
	if (rc == 0 && store_exec(s, "COMMIT") == 0)
		return 0;
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc < 0 ? rc : STORE_ERR;
}

int field_last_event_key(struct store *s, const char *type, char key[OUTBOX_KEY_LEN + 1])
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT key FROM outbox WHERE seq = (SELECT value FROM counters"
			       " WHERE name = 'outbox_seq') AND type = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "field: the event just written");
	sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == OUTBOX_KEY_LEN)
		snprintf(key, OUTBOX_KEY_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 0));
	else
		rc = store_fail(s, STORE_ERR, "field: the %s event just written is not the last", type);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : STORE_ERR;
}

/* ---- the request, before the transaction ---- */

static int money_text(char *buf, size_t n, int64_t minor, enum currency cur)
{
	return (int)money_format(buf, n, (struct money){minor, cur});
}

static int request_check(struct store *s, const struct field_collect_req *req, int64_t *total)
{
	*total = 0;
	if (!field_code_ok(req->agent))
		return store_fail(s, STORE_EINVAL, "Código de agente no válido");
	if (!field_device_ok(req->device_id))
		return store_fail(s, STORE_EINVAL, "Identificador de la tableta no válido");
	if ((int)req->id_type < 0 || req->id_type >= ID_TYPE_COUNT || !req->id_number ||
	    strnlen(req->id_number, 24) >= 24 || id_validate(req->id_type, req->id_number, -1) != ID_OK)
		return store_fail(s, STORE_EINVAL, "El documento del cliente no es válido");
	if (!currency_code(req->cur))
		return store_fail(s, STORE_EINVAL, "La moneda debe ser COP o USD");
	if (req->now <= 0 || !date_valid(req->day))
		return store_fail(s, STORE_EINVAL, "La fecha del recaudo no es válida");
	if (req->cap_minor < 0)
		return store_fail(s, STORE_EINVAL, "El tope de efectivo no puede ser negativo");
	if (req->nlines < 1 || req->nlines > COUPON_MAX_DOCS)
		return store_fail(s, STORE_EINVAL, "Seleccione entre 1 y %d cuotas", COUPON_MAX_DOCS);
	for (int i = 0; i < req->nlines; i++) {
		const struct field_line_req *l = &req->lines[i];

		if (!memchr(l->doc_number, '\0', sizeof l->doc_number) || !l->doc_number[0])
			return store_fail(s, STORE_EINVAL, "Cuota %d: falta el número del documento", i + 1);
		for (int j = 0; j < i; j++)
			if (strcmp(req->lines[j].doc_number, l->doc_number) == 0)
				return store_fail(s, STORE_EINVAL, "El documento %s está dos veces",
						  l->doc_number);
		if (l->amount_minor <= 0)
			return store_fail(s, STORE_EINVAL, "El valor a pagar del documento %s debe ser "
							   "mayor que cero", l->doc_number);
		if (l->amount_minor > MONEY_MAX_COP_MINOR || *total > MONEY_MAX_COP_MINOR - l->amount_minor)
			return store_fail(s, STORE_EINVAL, "El total es mayor de lo que admite un recibo");
		*total += l->amount_minor;
	}
	if (req->cash_minor < *total || req->cash_minor > MONEY_MAX_COP_MINOR)
		return store_fail(s, STORE_EINVAL, "El efectivo recibido es menor que el total a pagar");
	if (req->ndenoms < 0 || req->ndenoms > FIELD_DENOM_COUNT)
		return store_fail(s, STORE_EINVAL, "El desglose de billetes y monedas no es válido");
	if (req->ndenoms > 0 && req->cur != CUR_COP)
		return store_fail(s, STORE_EINVAL, "El desglose de billetes y monedas es solo para pesos");
	if (req->ndenoms > 0 && field_denoms_total(req->denoms, req->ndenoms) != req->cash_minor)
		return store_fail(s, STORE_EINVAL, "Los billetes y monedas no suman el efectivo recibido");
	return 0;
}

/* ---- inside the transaction ---- */

/* One line against its document and what this tablet already collected of it. */
static int line_check(struct store *s, const struct field_collect_req *req, const struct portfolio *p,
		      int i, struct field_receipt_line *out)
{
	const struct field_line_req *l = &req->lines[i];
	const struct document *d = NULL;
	char a[40], b[40];
	int64_t paid, eff;

	for (int k = 0; k < p->ndocs && !d; k++)
		if (strcmp(p->docs[k].number, l->doc_number) == 0)
			d = &p->docs[k];
	if (!d)
		return store_fail(s, STORE_EINVAL, "El documento %s no está en los datos de esta tableta",
				  l->doc_number);
	if (d->cur != req->cur)
		return store_fail(s, STORE_EINVAL, "El documento %s es en %s; este recibo es en %s",
				  l->doc_number, currency_code(d->cur), currency_code(req->cur));
	if (field_unreflected_paid(s, req->id_type, req->id_number, d->number, &paid) < 0)
		return STORE_ERR;
	eff = d->balance - paid;
	if (eff <= 0)
		return store_fail(s, STORE_EINVAL, "El documento %s ya está pagado", l->doc_number);
	money_text(a, sizeof a, eff, d->cur);
	if (l->amount_minor > eff)
		return store_fail(s, STORE_EINVAL, "El valor del documento %s supera su saldo (%s)",
				  l->doc_number, a);
	if (l->amount_minor < eff && !d->partial_ok)
		return store_fail(s, STORE_EINVAL, "El documento %s solo admite el pago total (%s)",
				  l->doc_number, a);
	if (l->amount_minor < eff && l->amount_minor < d->min_partial) {
		money_text(b, sizeof b, d->min_partial, d->cur);
		return store_fail(s, STORE_EINVAL, "El valor del documento %s es menor que el pago mínimo (%s)",
				  l->doc_number, b);
	}
	memset(out, 0, sizeof *out);
	snprintf(out->doc_number, sizeof out->doc_number, "%s", d->number);
	snprintf(out->line, sizeof out->line, "%s", d->line);
	snprintf(out->description, sizeof out->description, "%s", d->description);
	out->due = d->due;
	out->amount_minor = l->amount_minor;
	return 0;
}

/* The cap counts COP only: it is set in pesos, and a USD receipt has no rate in the store's
 * transaction to convert it with. USD collections are not capped. */
static int cap_check(struct store *s, const struct field_collect_req *req, int64_t total)
{
	int64_t unsynced, left;
	char a[40];

	if (req->cap_minor <= 0 || req->cur != CUR_COP)
		return 0;
	if (field_unsynced_cash(s, req->agent, &unsynced) < 0)
		return STORE_ERR;
	if (unsynced + total <= req->cap_minor)
		return 0;
	left = req->cap_minor - unsynced;
	if (left <= 0)
		return store_fail(s, STORE_EINVAL, "Tope de efectivo sin sincronizar alcanzado: sincronice "
						   "antes de recaudar más");
	money_text(a, sizeof a, left, CUR_COP);
	return store_fail(s, STORE_EINVAL, "Tope de efectivo sin sincronizar: puede recaudar hasta %s más", a);
}

static int next_number(struct store *s, const char *agent, const char *device_id, uint64_t *number)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT coalesce(max(number), 0) + 1 FROM field_receipts"
			       " WHERE agent_code = ?1 AND device_id = ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "field: the next receipt number");
	sqlite3_bind_text(st, 1, agent, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, device_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*number = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_fail_db(s, "field: the next receipt number");
}

/* The breakdown as JSON text, as the event carries it (cJSON-allocated; NULL when none). */
static char *denoms_json(const struct field_receipt *r)
{
	cJSON *arr;
	char *text = NULL;

	if (r->ndenoms == 0 || !(arr = cJSON_CreateArray()))
		return NULL;
	for (int i = 0; i < r->ndenoms; i++) {
		cJSON *d = cJSON_CreateObject();

		if (!d)
			goto out;
		cJSON_AddItemToArray(arr, d);
		if (jf_add_int(d, "value_minor", r->denoms[i].value_minor) < 0 ||
		    jf_add_int(d, "count", r->denoms[i].count) < 0)
			goto out;
	}
	text = cJSON_PrintUnformatted(arr);
out:
	cJSON_Delete(arr);
	return text;
}

static int receipt_insert(struct store *s, struct field_receipt *r)
{
	sqlite3_stmt *st = NULL;
	char *denoms = denoms_json(r);
	int rc;

	if (r->ndenoms > 0 && !denoms)
		return store_fail(s, STORE_ERR, "field: out of memory");
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO field_receipts(agent_code, device_id, number, day, at, id_type,"
			       " id_number, customer_name, currency, amount_minor, cash_minor, change_minor,"
			       " denominations, event_key)"
			       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
			       -1, &st, NULL) != SQLITE_OK) {
		cJSON_free(denoms);
		return store_fail_db(s, "field: writing the receipt");
	}
	sqlite3_bind_text(st, 1, r->agent, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->device_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)r->number);
	sqlite3_bind_int(st, 4, r->day);
	sqlite3_bind_int64(st, 5, r->at);
	sqlite3_bind_text(st, 6, id_type_code(r->id_type), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->id_number, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, r->customer_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, currency_code(r->cur), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, r->amount_minor);
	sqlite3_bind_int64(st, 11, r->cash_minor);
	sqlite3_bind_int64(st, 12, r->change_minor);
	if (denoms)
		sqlite3_bind_text(st, 13, denoms, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, r->event_key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	cJSON_free(denoms);
	if (rc != SQLITE_DONE)
		return store_fail_db(s, "field: writing the receipt");
	r->id = sqlite3_last_insert_rowid(s->db);
	for (int i = 0; i < r->nlines; i++) {
		const struct field_receipt_line *l = &r->lines[i];

		if (sqlite3_prepare_v2(s->db,
				       "INSERT INTO field_receipt_lines(receipt_id, idx, doc_number, line,"
				       " description, due, amount_minor) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
				       -1, &st, NULL) != SQLITE_OK)
			return store_fail_db(s, "field: writing a receipt line");
		sqlite3_bind_int64(st, 1, r->id);
		sqlite3_bind_int(st, 2, i);
		sqlite3_bind_text(st, 3, l->doc_number, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, l->line, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, l->description, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 6, l->due);
		sqlite3_bind_int64(st, 7, l->amount_minor);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return store_fail_db(s, "field: writing a receipt line");
	}
	return 0;
}

static int collect_tx(struct store *s, const struct field_collect_req *req, int64_t total,
		      struct field_receipt *r)
{
	struct portfolio p;
	int rc = field_day_closed(s, req->agent, req->day);

	if (rc != 0)
		return rc < 0 ? rc
			      : store_fail(s, STORE_EINVAL, "El día de recaudo está cerrado: un supervisor "
							    "debe reabrirlo para recaudar más");
	rc = store_lookup(s, req->id_type, req->id_number, &p);
	if (rc != 0)
		return rc < 0 ? rc : store_fail(s, STORE_EINVAL, "El cliente no está en los datos de esta tableta");
	for (int i = 0; i < req->nlines && rc == 0; i++)
		rc = line_check(s, req, &p, i, &r->lines[i]);
	snprintf(r->customer_name, sizeof r->customer_name, "%s", p.name);
	portfolio_free(&p);
	if (rc == 0)
		rc = cap_check(s, req, total);
	if (rc == 0)
		rc = next_number(s, req->agent, req->device_id, &r->number);
	if (rc < 0)
		return rc;
	snprintf(r->agent, sizeof r->agent, "%s", req->agent);
	snprintf(r->device_id, sizeof r->device_id, "%s", req->device_id);
	r->day = req->day;
	r->at = req->now;
	r->id_type = req->id_type;
	snprintf(r->id_number, sizeof r->id_number, "%s", req->id_number);
	r->cur = req->cur;
	r->amount_minor = total;
	r->cash_minor = req->cash_minor;
	r->change_minor = field_change(req->cash_minor, total);
	r->ndenoms = req->ndenoms;
	memcpy(r->denoms, req->denoms, sizeof r->denoms);
	r->nlines = req->nlines;
	if ((rc = outbox_write(s, OUTBOX_PAYMENT_COLLECTED, r)) < 0 ||
	    (rc = field_last_event_key(s, OUTBOX_PAYMENT_COLLECTED, r->event_key)) < 0)
		return rc;
	return receipt_insert(s, r);
}

int field_collect(struct store *s, const struct field_collect_req *req, struct field_receipt *out)
{
	struct field_receipt *r;
	int64_t total;
	int rc;

	if (request_check(s, req, &total) < 0)
		return STORE_EINVAL;
	r = calloc(1, sizeof *r);
	if (!r)
		return store_fail(s, STORE_ERR, "field: out of memory");
	rc = field_tx_begin(s);
	if (rc == 0)
		rc = field_tx_end(s, collect_tx(s, req, total, r));
	if (rc == 0)
		*out = *r;
	free(r);
	return rc;
}
