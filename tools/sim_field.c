/* Field mode's events in the central simulator: checked, stored and applied (see sim_field.h).
 * Reasons name the field ("payload.lines[0].amount_minor: must be greater than 0") and never
 * quote an id number, a name or a document number. */
#include "sim_field.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "coupon.h"
#include "field.h"
#include "json_field.h"
#include "money.h"
#include "sim_events.h"
#include "sim_json.h"

#define AMOUNT_MAX INT64_C(9000000000000000)
#define AGENT_MAX 16
#define CLOSE_ROWS_MAX 32

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS sim_field_receipts("
	"  device_id TEXT NOT NULL,"
	"  agent TEXT NOT NULL,"
	"  number INTEGER NOT NULL,"
	"  event_key TEXT NOT NULL UNIQUE,"
	"  customer_id INTEGER NOT NULL,"
	"  currency TEXT NOT NULL,"
	"  amount_minor INTEGER NOT NULL,"
	"  void_key TEXT UNIQUE,"
	"  PRIMARY KEY(device_id, agent, number)) WITHOUT ROWID;"
	/* what each line took from its document, and the document as it was before (so a void
	 * can put back one that the payment took to 0 and out of the portfolio) */
	"CREATE TABLE IF NOT EXISTS sim_field_lines("
	"  event_key TEXT NOT NULL,"
	"  idx INTEGER NOT NULL,"
	"  doc_number TEXT NOT NULL,"
	"  applied_minor INTEGER NOT NULL,"
	"  unapplied_minor INTEGER NOT NULL,"
	"  line TEXT, description TEXT, due INTEGER, currency TEXT, invoice INTEGER,"
	"  partial_ok INTEGER, min_partial INTEGER,"
	"  PRIMARY KEY(event_key, idx)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS sim_field_closes("
	"  event_key TEXT PRIMARY KEY NOT NULL,"
	"  device_id TEXT NOT NULL,"
	"  agent TEXT NOT NULL,"
	"  day INTEGER NOT NULL,"
	"  reopen_key TEXT UNIQUE) WITHOUT ROWID;";

int sim_field_schema(struct sim_db *d)
{
	return sim_db_exec(d, schema);
}

int sim_field_type(const char *t)
{
	return strcmp(t, "payment.collected") == 0 || strcmp(t, "payment.voided") == 0 ||
	       strcmp(t, "collection.closed") == 0 || strcmp(t, "collection.reopened") == 0;
}

/* What one check needs: the payload, where reasons go, the statement helpers' database. */
struct fx {
	struct sim_db *d;
	const struct sim_device *dev;
	const char *key;
	const cJSON *p;
	char *reason;
	struct jf j;
};

static int why(struct fx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int why(struct fx *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->reason, SIM_FIELD_REASON_MAX, fmt, ap);
	va_end(ap);
	return 1;
}

/* jf's readers return x->j.rc (1: rejected) with the reason written */
#define FAIL 1

static int agent_ok(const char *a)
{
	size_t n = strlen(a);

	if (n < 1 || n > AGENT_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((a[i] >= '0' && a[i] <= '9') || (a[i] >= 'A' && a[i] <= 'Z') ||
		      (a[i] >= 'a' && a[i] <= 'z')))
			return 0;
	return 1;
}

/* device_id (the sender's) and agent, common to the four payloads. */
static int who(struct fx *x, const char **agent)
{
	const char *dev;

	if (jf_string(&x->j, x->p, "payload", "device_id", &dev) < 0 ||
	    jf_string(&x->j, x->p, "payload", "agent", agent) < 0)
		return FAIL;
	if (strcmp(dev, x->dev->id) != 0)
		return why(x, "payload.device_id: not the device that sent it");
	if (!agent_ok(*agent))
		return why(x, "payload.agent: must be 1 to %d letters or digits", AGENT_MAX);
	return 0;
}

static int currency_field(struct fx *x, const cJSON *o, const char *where, enum currency *c)
{
	const char *s;

	if (jf_string(&x->j, o, where, "currency", &s) < 0)
		return FAIL;
	if (currency_parse(s, c) < 0)
		return why(x, "%s.currency: must be \"COP\" or \"USD\"", where);
	return 0;
}

/* ---- statements ---- */

static sqlite3_stmt *stmt(struct sim_db *d, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st = sim_db_prepare(d, sql);
	va_list ap;

	if (!st)
		return NULL;
	va_start(ap, fmt);
	for (int i = 0; fmt[i]; i++) {
		if (fmt[i] == 's')
			sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
	}
	va_end(ap);
	return st;
}

/* Runs a statement without rows. 0 or -1. */
static int run(sqlite3_stmt *st)
{
	int rc = st && sqlite3_step(st) == SQLITE_DONE ? 0 : -1;

	sqlite3_finalize(st);
	return rc;
}

/* A new change version for the customer: the update trigger of sim_db.c gives it. */
static int bump(struct sim_db *d, int64_t customer_id)
{
	return run(stmt(d, "UPDATE customers SET name = name WHERE id = ?1", "i", customer_id));
}

/* ---- payment.collected ---- */

/* denominations (optional): COP values, counts >= 0, adding up to the cash. */
static int check_denoms(struct fx *x, enum currency cur, int64_t cash)
{
	const cJSON *arr = jf_get(x->p, "denominations"), *it;
	struct field_denom dn[FIELD_DENOM_COUNT];
	int n = 0;

	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > FIELD_DENOM_COUNT)
		return why(x, "payload.denominations: must be an array of at most %d", FIELD_DENOM_COUNT);
	if (cur != CUR_COP)
		return why(x, "payload.denominations: only for COP");
	cJSON_ArrayForEach(it, arr)
	{
		char where[40];
		int64_t count;

		snprintf(where, sizeof where, "payload.denominations[%d]", n);
		if (jf_int(&x->j, it, where, "value_minor", 1, AMOUNT_MAX, &dn[n].value_minor) < 0 ||
		    jf_int(&x->j, it, where, "count", 0, 1000000, &count) < 0)
			return FAIL;
		dn[n++].count = (int)count;
	}
	if (field_denoms_total(dn, n) != cash)
		return why(x, "payload.denominations: must be COP bills and coins adding up to cash_minor");
	return 0;
}

struct doc_row {
	int64_t id, balance, invoice, min_partial;
	int found;
};

/* Takes amount from document `doc` of the customer: as much as its balance holds (the rest is
 * recorded unapplied: the server's data moved while the tablet was offline; the cash is real,
 * so the event is not refused for it). */
static int apply_line(struct fx *x, int64_t cust, enum currency cur, int idx, const char *doc, int64_t amount)
{
	sqlite3_stmt *st = stmt(x->d,
				"SELECT id, balance, invoice, min_partial, currency, line, description, due,"
				" partial_ok FROM documents WHERE customer_id = ?1 AND number = ?2",
				"is", cust, doc);
	sqlite3_stmt *ins = NULL;
	int64_t take = 0, bal;
	int rc = -1, step;

	if (!st)
		return -1;
	step = sqlite3_step(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		goto out;
	if (step == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 4), currency_code(cur)) != 0) {
		rc = why(x, "payload.lines[%d].doc_number: a document in another currency", idx);
		goto out;
	}
	bal = step == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
	take = amount < bal ? amount : bal;
	ins = stmt(
		x->d,
		"INSERT INTO sim_field_lines(event_key, idx, doc_number, applied_minor, unapplied_minor, line,"
		" description, due, currency, invoice, partial_ok, min_partial)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
		"sisii", x->key, (int64_t)idx, doc, take, amount - take);
	if (!ins)
		goto out;
	if (step == SQLITE_ROW) {
		/* ?6.. ?12 <- line, description, due, currency, invoice, partial_ok, min_partial */
		static const int cols[] = {5, 6, 7, 4, 2, 8, 3};

		for (int c = 0; c < 7; c++)
			sqlite3_bind_value(ins, c + 6, sqlite3_column_value(st, cols[c]));
	}
	if (sqlite3_step(ins) != SQLITE_DONE)
		goto out;
	if (take > 0 && take == bal)
		rc = run(stmt(x->d, "DELETE FROM documents WHERE id = ?1", "i", sqlite3_column_int64(st, 0)));
	else if (take > 0)
		rc = run(stmt(x->d,
			      "UPDATE documents SET balance = balance - ?2, min_partial = min(min_partial,"
			      " balance - ?2) WHERE id = ?1",
			      "ii", sqlite3_column_int64(st, 0), take));
	else
		rc = 0;
out:
	sqlite3_finalize(ins);
	sqlite3_finalize(st);
	return rc;
}

static int customer_of(struct fx *x, int64_t *id)
{
	const cJSON *c;
	const char *type, *number;
	enum id_type t;
	sqlite3_stmt *st;
	int step;

	if (jf_object(&x->j, x->p, "payload", "customer", &c) < 0 ||
	    jf_string(&x->j, c, "payload.customer", "id_type", &type) < 0 ||
	    jf_string(&x->j, c, "payload.customer", "id_number", &number) < 0)
		return FAIL;
	if (id_type_parse(type, &t) < 0)
		return why(x, "payload.customer.id_type: must be one of CC, CE, NIT, PA, TI, PPT");
	if (id_validate(t, number, -1) != ID_OK)
		return why(x, "payload.customer.id_number: not a valid number for its id_type");
	st = stmt(x->d, "SELECT id FROM customers WHERE id_type = ?1 AND id_number = ?2", "ss",
		  id_type_code(t), number);
	if (!st)
		return -1;
	step = sqlite3_step(st);
	*id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (step == SQLITE_DONE)
		return why(x, "payload.customer: not a customer of this server");
	return step == SQLITE_ROW ? 0 : -1;
}

static int collected(struct fx *x)
{
	const char *agent, *label;
	char want[80];
	const cJSON *lines, *l;
	int64_t number, amount, cash, change, at, cust, total = 0;
	int32_t day;
	enum currency cur;
	int rc, i = 0, n;

	if ((rc = who(x, &agent)) != 0)
		return rc;
	if (jf_int(&x->j, x->p, "payload", "receipt_number", 1, SIM_JSON_INT_MAX, &number) < 0 ||
	    jf_string(&x->j, x->p, "payload", "receipt", &label) < 0 ||
	    jf_date(&x->j, x->p, "payload", "day", &day) < 0 ||
	    jf_time(&x->j, x->p, "payload", "collected_at", &at) < 0 ||
	    currency_field(x, x->p, "payload", &cur) != 0 ||
	    jf_int(&x->j, x->p, "payload", "amount_minor", 1, AMOUNT_MAX, &amount) < 0 ||
	    jf_int(&x->j, x->p, "payload", "cash_minor", 1, AMOUNT_MAX, &cash) < 0 ||
	    jf_int(&x->j, x->p, "payload", "change_minor", 0, AMOUNT_MAX, &change) < 0 ||
	    jf_array(&x->j, x->p, "payload", "lines", &lines) < 0)
		return FAIL;
	field_receipt_label(want, sizeof want, x->dev->id, agent, (uint64_t)number);
	if (strcmp(label, want) != 0)
		return why(x, "payload.receipt: not the label of this device, agent and receipt_number");
	if (cash != amount + change)
		return why(x, "payload.cash_minor: must be amount_minor + change_minor");
	if ((rc = check_denoms(x, cur, cash)) != 0)
		return rc;
	n = cJSON_GetArraySize(lines);
	if (n < 1 || n > COUPON_MAX_DOCS)
		return why(x, "payload.lines: must hold 1 to %d documents", COUPON_MAX_DOCS);
	cJSON_ArrayForEach(l, lines)
	{
		char where[32];
		const char *doc, *bl;
		int64_t a;

		snprintf(where, sizeof where, "payload.lines[%d]", i++);
		if (jf_string(&x->j, l, where, "doc_number", &doc) < 0 ||
		    jf_string(&x->j, l, where, "line", &bl) < 0 ||
		    jf_int(&x->j, l, where, "amount_minor", 1, AMOUNT_MAX, &a) < 0)
			return FAIL;
		if (!doc[0] || strlen(doc) > 31)
			return why(x, "%s.doc_number: must be 1 to 31 bytes", where);
		if (!bl[0] || strlen(bl) > 47)
			return why(x, "%s.line: must be 1 to 47 bytes", where);
		total += a;
	}
	if (total != amount)
		return why(x, "payload.amount_minor: must be the sum of the lines' amount_minor");
	if ((rc = customer_of(x, &cust)) != 0)
		return rc;
	/* one server record per receipt number: another key for it is refused, as for coupons */
	rc = run(stmt(
		x->d,
		"INSERT INTO sim_field_receipts(device_id, agent, number, event_key, customer_id, currency,"
		" amount_minor) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
		"ssisisi", x->dev->id, agent, number, x->key, cust, currency_code(cur), amount));
	if (rc < 0)
		return -1;
	if (sqlite3_changes(x->d->db) == 0)
		return why(x, "payload.receipt_number: this receipt was already received with another key");
	i = 0;
	cJSON_ArrayForEach(l, lines)
	{
		rc = apply_line(x, cust, cur, i, cJSON_GetStringValue(jf_get(l, "doc_number")),
				(int64_t)cJSON_GetNumberValue(jf_get(l, "amount_minor")));
		if (rc != 0)
			return rc;
		i++;
	}
	return bump(x->d, cust);
}

/* ---- payment.voided ---- */

/* Puts back what one line of the voided payment took from its document. */
static int restore_line(struct sim_db *d, int64_t cust, sqlite3_stmt *line)
{
	const char *doc = (const char *)sqlite3_column_text(line, 0);
	int64_t back = sqlite3_column_int64(line, 1);
	sqlite3_stmt *ins;

	if (back == 0)
		return 0;
	if (run(stmt(d,
		     "UPDATE documents SET balance = min(invoice, balance + ?3)"
		     " WHERE customer_id = ?1 AND number = ?2",
		     "isi", cust, doc, back)) < 0)
		return -1;
	if (sqlite3_changes(d->db) > 0)
		return 0;
	/* paid to 0, it had left the portfolio: back as it was, owing what was paid */
	ins = stmt(
		d,
		"INSERT INTO documents(customer_id, number, line, description, due, currency, invoice,"
		" balance, partial_ok, min_partial) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, min(?10, ?8))",
		"is", cust, doc);
	if (!ins)
		return -1;
	for (int c = 2; c <= 9; c++)
		sqlite3_bind_value(ins, c + 1, sqlite3_column_value(line, c));
	sqlite3_bind_int64(ins, 8, back);
	return run(ins);
}

static int voided(struct fx *x)
{
	const char *agent, *orig_text, *reason, *sup, *dev = NULL, *ag = NULL, *cur_text = NULL;
	char orig[37];
	int64_t number, at, amount, num = 0, amt = 0, cust = 0;
	enum currency cur;
	sqlite3_stmt *st;
	int rc, step, voided_before = 0;

	if ((rc = who(x, &agent)) != 0)
		return rc;
	if (jf_int(&x->j, x->p, "payload", "receipt_number", 1, SIM_JSON_INT_MAX, &number) < 0 ||
	    jf_string(&x->j, x->p, "payload", "original_key", &orig_text) < 0 ||
	    jf_string(&x->j, x->p, "payload", "reason", &reason) < 0 ||
	    jf_string(&x->j, x->p, "payload", "supervisor", &sup) < 0 ||
	    jf_time(&x->j, x->p, "payload", "voided_at", &at) < 0 ||
	    currency_field(x, x->p, "payload", &cur) != 0 ||
	    jf_int(&x->j, x->p, "payload", "amount_minor", 1, AMOUNT_MAX, &amount) < 0)
		return FAIL;
	if (sim_key_parse(orig_text, orig) < 0)
		return why(x, "payload.original_key: must be a UUIDv4");
	if (strlen(reason) < 3 || strlen(reason) > 120 || !domain_text_ok(reason, 121))
		return why(x, "payload.reason: must be 3 to 120 bytes of text");
	if (!agent_ok(sup))
		return why(x, "payload.supervisor: must be 1 to %d letters or digits", AGENT_MAX);
	if (strcmp(sup, agent) == 0)
		return why(x, "payload.supervisor: must be another person than the agent");
	st = stmt(x->d,
		  "SELECT device_id, agent, number, currency, amount_minor, customer_id, void_key IS NOT NULL"
		  " FROM sim_field_receipts WHERE event_key = ?1",
		  "s", orig);
	if (!st)
		return -1;
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		dev = (const char *)sqlite3_column_text(st, 0);
		ag = (const char *)sqlite3_column_text(st, 1);
		num = sqlite3_column_int64(st, 2);
		cur_text = (const char *)sqlite3_column_text(st, 3);
		amt = sqlite3_column_int64(st, 4);
		cust = sqlite3_column_int64(st, 5);
		voided_before = sqlite3_column_int(st, 6);
	}
	if (step == SQLITE_DONE)
		rc = why(x, "payload.original_key: no payment.collected with this key");
	else if (step != SQLITE_ROW)
		rc = -1;
	else if (strcmp(dev, x->dev->id) != 0 || strcmp(ag, agent) != 0 || num != number)
		rc = why(x,
			 "payload.receipt_number: not the receipt of original_key (device, agent, number)");
	else if (strcmp(cur_text, currency_code(cur)) != 0 || amt != amount)
		rc = why(x, "payload.amount_minor: not the amount and currency of the original receipt");
	else if (voided_before)
		rc = why(x, "payload.original_key: that receipt is already voided");
	sqlite3_finalize(st);
	if (rc != 0)
		return rc;
	if (run(stmt(x->d, "UPDATE sim_field_receipts SET void_key = ?2 WHERE event_key = ?1", "ss", orig,
		     x->key)) < 0)
		return -1;
	st = stmt(
		x->d,
		"SELECT doc_number, applied_minor, line, description, due, currency, invoice, applied_minor,"
		" partial_ok, min_partial FROM sim_field_lines WHERE event_key = ?1 ORDER BY idx",
		"s", orig);
	if (!st)
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if (restore_line(x->d, cust, st) < 0)
			break;
	sqlite3_finalize(st);
	return step == SQLITE_DONE ? bump(x->d, cust) : -1;
}

/* ---- collection.closed, collection.reopened ---- */

static int check_totals(struct fx *x)
{
	const cJSON *rows, *r, *cash;
	int i = 0;
	int64_t v;

	if (jf_array(&x->j, x->p, "payload", "totals", &rows) < 0 ||
	    jf_object(&x->j, x->p, "payload", "cash", &cash) < 0 ||
	    jf_int(&x->j, cash, "payload.cash", "COP", 0, AMOUNT_MAX, &v) < 0 ||
	    jf_int(&x->j, cash, "payload.cash", "USD", 0, AMOUNT_MAX, &v) < 0)
		return FAIL;
	if (cJSON_GetArraySize(rows) > CLOSE_ROWS_MAX)
		return why(x, "payload.totals: at most %d rows", CLOSE_ROWS_MAX);
	cJSON_ArrayForEach(r, rows)
	{
		char where[32];
		const char *line;
		enum currency c;
		int64_t pays, pays_minor, voids, voids_minor, net;

		snprintf(where, sizeof where, "payload.totals[%d]", i++);
		if (jf_string(&x->j, r, where, "line", &line) < 0 || currency_field(x, r, where, &c) != 0 ||
		    jf_int(&x->j, r, where, "payments", 0, SIM_JSON_INT_MAX, &pays) < 0 ||
		    jf_int(&x->j, r, where, "payments_minor", 0, AMOUNT_MAX, &pays_minor) < 0 ||
		    jf_int(&x->j, r, where, "voids", 0, SIM_JSON_INT_MAX, &voids) < 0 ||
		    jf_int(&x->j, r, where, "voids_minor", 0, AMOUNT_MAX, &voids_minor) < 0 ||
		    jf_int(&x->j, r, where, "net_minor", 0, AMOUNT_MAX, &net) < 0)
			return FAIL;
		if (!line[0] || strlen(line) > 47)
			return why(x, "%s.line: must be 1 to 47 bytes", where);
		if (voids > pays || voids_minor > pays_minor || net != pays_minor - voids_minor)
			return why(x, "%s: voids within payments, net_minor = payments_minor - voids_minor",
				   where);
	}
	return 0;
}

static int closed(struct fx *x)
{
	const char *agent;
	const cJSON *vn, *it;
	int64_t at, first, last, receipts, nvoid;
	sqlite3_stmt *st;
	int32_t day;
	int rc, step, i = 0;

	if ((rc = who(x, &agent)) != 0)
		return rc;
	if (jf_date(&x->j, x->p, "payload", "day", &day) < 0 ||
	    jf_time(&x->j, x->p, "payload", "closed_at", &at) < 0 ||
	    jf_int(&x->j, x->p, "payload", "first_number", 0, SIM_JSON_INT_MAX, &first) < 0 ||
	    jf_int(&x->j, x->p, "payload", "last_number", 0, SIM_JSON_INT_MAX, &last) < 0 ||
	    jf_int(&x->j, x->p, "payload", "receipts", 0, SIM_JSON_INT_MAX, &receipts) < 0 ||
	    jf_int(&x->j, x->p, "payload", "voided", 0, SIM_JSON_INT_MAX, &nvoid) < 0 ||
	    jf_array(&x->j, x->p, "payload", "void_numbers", &vn) < 0)
		return FAIL;
	/* a day's receipts are consecutive numbers: the range says how many */
	if (receipts == 0 ? first != 0 || last != 0 : first < 1 || last - first + 1 != receipts)
		return why(
			x,
			"payload.first_number, payload.last_number: must span the receipts (0, 0 if none)");
	if (nvoid > receipts || cJSON_GetArraySize(vn) > nvoid)
		return why(x, "payload.voided: at most receipts, and void_numbers at most voided");
	cJSON_ArrayForEach(it, vn)
	{
		int64_t v;

		if (jf_int_value(it, first, last, &v) != 0)
			return why(
				x,
				"payload.void_numbers[%d]: must be a number from first_number to last_number",
				i);
		i++;
	}
	if ((rc = check_totals(x)) != 0)
		return rc;
	st = stmt(x->d,
		  "SELECT 1 FROM sim_field_closes WHERE device_id = ?1 AND agent = ?2 AND day = ?3"
		  " AND reopen_key IS NULL",
		  "ssi", x->dev->id, agent, (int64_t)day);
	step = st ? sqlite3_step(st) : SQLITE_ERROR;
	sqlite3_finalize(st);
	if (step == SQLITE_ROW)
		return why(x, "payload.day: already closed (and not reopened)");
	if (step != SQLITE_DONE)
		return -1;
	return run(stmt(
		x->d, "INSERT INTO sim_field_closes(event_key, device_id, agent, day) VALUES(?1, ?2, ?3, ?4)",
		"sssi", x->key, x->dev->id, agent, (int64_t)day));
}

static int reopened(struct fx *x)
{
	const char *agent, *sup;
	int64_t at;
	int32_t day;
	int rc;

	if ((rc = who(x, &agent)) != 0)
		return rc;
	if (jf_date(&x->j, x->p, "payload", "day", &day) < 0 ||
	    jf_time(&x->j, x->p, "payload", "reopened_at", &at) < 0 ||
	    jf_string(&x->j, x->p, "payload", "supervisor", &sup) < 0)
		return FAIL;
	if (!agent_ok(sup))
		return why(x, "payload.supervisor: must be 1 to %d letters or digits", AGENT_MAX);
	if (run(stmt(
		    x->d,
		    "UPDATE sim_field_closes SET reopen_key = ?1 WHERE device_id = ?2 AND agent = ?3 AND day = ?4"
		    " AND reopen_key IS NULL",
		    "sssi", x->key, x->dev->id, agent, (int64_t)day)) < 0)
		return -1;
	return sqlite3_changes(x->d->db) ? 0 : why(x, "payload.day: not closed");
}

int sim_field_apply(struct sim_db *d, const struct sim_device *dev, const char *type, const char *key,
		    const cJSON *payload, char reason[SIM_FIELD_REASON_MAX])
{
	struct fx x = {d, dev, key, payload, reason, {NULL, reason, SIM_FIELD_REASON_MAX, FAIL}};
	int rc;

	if (sim_db_exec(d, "SAVEPOINT field") < 0)
		return -1;
	if (strcmp(type, "payment.collected") == 0)
		rc = collected(&x);
	else if (strcmp(type, "payment.voided") == 0)
		rc = voided(&x);
	else if (strcmp(type, "collection.closed") == 0)
		rc = closed(&x);
	else
		rc = reopened(&x);
	/* rejected or failed: nothing of it stays (the batch goes on, or rolls back) */
	if (rc != 0 && sim_db_exec(d, "ROLLBACK TO field") < 0)
		rc = -1;
	if (sim_db_exec(d, "RELEASE field") < 0)
		return -1;
	return rc;
}
