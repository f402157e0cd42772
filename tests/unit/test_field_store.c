/* test_field_store — the field agent's money (offline/field_store.c, field_store_day.c,
 * outbox_field.c): a collection with change and its breakdown, the payment.collected event
 * and audit row field by field, every refusal leaving nothing behind, gapless numbers across
 * collects, voids and a reopened store, the void rules, the close's totals against the
 * receipts, reopen then collect then close again, unsynced cash falling as the outbox acks,
 * and the effective balances until the server's data reflects a receipt. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "field_agents.h"
#include "field_store.h"
#include "outbox.h"
#include "peek.h"
#include "tmpdir.h"

#define NOW INT64_C(1795359600) /* 2026-11-22 10:00 -05:00 */
#define DAY 20261122
#define P(pesos) ((int64_t)(pesos) * 100)

static char tmpdir[64];
static char dbpath[128];

static struct store *open_store(void)
{
	struct store *s = NULL;
	char err[256];

	if (store_open(&s, dbpath, err, sizeof err) != 0)
		fprintf(stderr, "store_open: %s\n", err);
	return s;
}

static long long peek(const char *sql) { return peek_db(dbpath, sql); }

static struct document mkdoc(const char *number, const char *line, enum currency cur, int64_t balance,
			     int partial_ok, int64_t min_partial)
{
	struct document d;

	memset(&d, 0, sizeof d);
	snprintf(d.number, sizeof d.number, "%s", number);
	snprintf(d.line, sizeof d.line, "%s", line);
	snprintf(d.description, sizeof d.description, "Cuota de %s", number);
	d.due = 20261115;
	d.cur = cur;
	d.invoice = balance;
	d.balance = balance;
	d.partial_ok = partial_ok;
	d.min_partial = min_partial;
	return d;
}

static int import_portfolio(struct store *s)
{
	struct document d[] = {
		mkdoc("CR-1", "Crédito vehículo", CUR_COP, P(800000), 1, P(50000)),
		mkdoc("SG-2", "Seguro de cumplimiento", CUR_COP, P(120000), 0, 0),
		mkdoc("US-3", "Crédito vehículo", CUR_USD, 50000, 1, 10000),
		mkdoc("SG-4", "Seguro de cumplimiento", CUR_COP, P(90000), 0, 0),
	};
	struct document other = mkdoc("CR-9", "Crédito vehículo", CUR_COP, P(9000000), 1, P(1));
	int rc = store_import_begin(s);

	rc = rc ? rc : store_import_customer(s, ID_CC, "1020304050", "María Fernanda Núñez");
	for (size_t i = 0; rc == 0 && i < sizeof d / sizeof d[0]; i++)
		rc = store_import_document(s, &d[i]);
	rc = rc ? rc : store_import_customer(s, ID_CE, "456789", "Pedro Gómez");
	rc = rc ? rc : store_import_document(s, &other);
	/* the supervisor who approves voids and reopens, and an agent who is not one */
	{
		struct field_agent sup = {.code = "1002", .name = "Jorge Ruiz", .role = FIELD_ROLE_SUPERVISOR, .cap_minor = -1};
		struct field_agent ag = {.code = "1003", .name = "Luis Pérez", .role = FIELD_ROLE_AGENT, .cap_minor = -1};
		static const char hash[] = "$argon2id$v=19$m=19456,t=2,p=1$pBPq2KKIjv+kEcceQ5ollA$WlLi9ECZQeaUqLZMID2zXhUFQOaMg99LizN3bG8xGxM";
		rc = rc ? rc : field_agent_import(s, &sup, hash, NULL, 0, NOW - 3600);
		rc = rc ? rc : field_agent_import(s, &ag, hash, NULL, 0, NOW - 3600);
	}
	if (rc == 0)
		return store_import_commit(s, NOW - 3600);
	fprintf(stderr, "import: %s\n", store_error(s));
	store_import_abort(s);
	return rc;
}

static struct field_collect_req req1(const char *id_number, enum id_type t, const char *doc, int64_t amount)
{
	struct field_collect_req r;

	memset(&r, 0, sizeof r);
	r.agent = "1001";
	r.device_id = "T01";
	r.id_type = t;
	r.id_number = id_number;
	r.cur = CUR_COP;
	r.nlines = 1;
	snprintf(r.lines[0].doc_number, sizeof r.lines[0].doc_number, "%s", doc);
	r.lines[0].amount_minor = amount;
	r.cash_minor = amount;
	r.now = NOW;
	r.day = DAY;
	return r;
}

/* What a refused write must leave as it was. */
struct counts {
	long long receipts, lines, outbox, audit, closes, voids;
};
static struct counts counts(void)
{
	return (struct counts){peek("SELECT count(*) FROM field_receipts"),
			       peek("SELECT count(*) FROM field_receipt_lines"),
			       peek("SELECT count(*) FROM outbox"),
			       peek("SELECT count(*) FROM audit"),
			       peek("SELECT count(*) FROM field_closes"),
			       peek("SELECT count(*) FROM field_receipts WHERE state = 'void'")};
}
static int same(struct counts a, struct counts b)
{
	return a.receipts == b.receipts && a.lines == b.lines && a.outbox == b.outbox && a.audit == b.audit &&
	       a.closes == b.closes && a.voids == b.voids;
}

/* The newest outbox event of a type, parsed (cJSON_Delete), and its key. */
static cJSON *last_event(const char *type, char key[OUTBOX_KEY_LEN + 1])
{
	char sql[160], text[OUTBOX_PAYLOAD_MAX + 1];

	snprintf(sql, sizeof sql, "SELECT payload FROM outbox WHERE type = '%s' ORDER BY seq DESC LIMIT 1", type);
	peek_text_db(dbpath, sql, text, sizeof text);
	snprintf(sql, sizeof sql, "SELECT key FROM outbox WHERE type = '%s' ORDER BY seq DESC LIMIT 1", type);
	if (key)
		peek_text_db(dbpath, sql, key, OUTBOX_KEY_LEN + 1);
	return cJSON_Parse(text);
}

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : "(missing)";
}
static long long jint(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(v) ? (long long)v->valuedouble : -999;
}

static void last_audit(char *action, char *detail, size_t n)
{
	peek_text_db(dbpath, "SELECT action FROM audit ORDER BY id DESC LIMIT 1", action, n);
	peek_text_db(dbpath, "SELECT detail FROM audit ORDER BY id DESC LIMIT 1", detail, n);
}

static void test_collect_with_change(struct store *s)
{
	struct field_collect_req r = req1("1020304050", ID_CC, "CR-1", P(100000));
	struct field_receipt out, back;
	struct counts before = counts();
	char key[OUTBOX_KEY_LEN + 1], action[64], detail[128];
	int64_t paid;
	cJSON *e, *a, *l;

	r.nlines = 2;
	snprintf(r.lines[1].doc_number, sizeof r.lines[1].doc_number, "SG-2");
	r.lines[1].amount_minor = P(120000);
	r.cash_minor = P(250000);
	r.ndenoms = 2;
	r.denoms[0] = (struct field_denom){P(100000), 2};
	r.denoms[1] = (struct field_denom){P(50000), 1};
	CHECK_INT(field_collect(s, &r, &out), 0);
	CHECK_INT(out.number, 1);
	CHECK_INT(out.amount_minor, P(220000));
	CHECK_INT(out.change_minor, P(30000));
	CHECK_STR(out.customer_name, "María Fernanda Núñez");
	CHECK_STR(out.lines[1].line, "Seguro de cumplimiento");
	CHECK_STR(out.lines[1].description, "Cuota de SG-2");
	CHECK_INT(out.lines[1].due, 20261115);
	CHECK_INT(strlen(out.event_key), OUTBOX_KEY_LEN);

	/* one receipt, two lines, one event, one audit row */
	struct counts after = counts();
	CHECK_INT(after.receipts - before.receipts, 1);
	CHECK_INT(after.lines - before.lines, 2);
	CHECK_INT(after.outbox - before.outbox, 1);
	CHECK_INT(after.audit - before.audit, 1);
	last_audit(action, detail, sizeof action);
	CHECK_STR(action, "payment.collected");
	CHECK_STR(detail, "agent=1001 n=1");

	e = last_event("payment.collected", key);
	CHECK_STR(key, out.event_key);
	CHECK_STR(jstr(e, "device_id"), "T01");
	CHECK_STR(jstr(e, "agent"), "1001");
	CHECK_INT(jint(e, "receipt_number"), 1);
	CHECK_STR(jstr(e, "receipt"), "T01-1001-000001");
	CHECK_STR(jstr(e, "day"), "2026-11-22");
	CHECK_STR(jstr(e, "collected_at"), "2026-11-22T15:00:00Z");
	CHECK_STR(jstr(cJSON_GetObjectItem(e, "customer"), "id_type"), "CC");
	CHECK_STR(jstr(cJSON_GetObjectItem(e, "customer"), "id_number"), "1020304050");
	CHECK_STR(jstr(e, "currency"), "COP");
	CHECK_INT(jint(e, "amount_minor"), P(220000));
	CHECK_INT(jint(e, "cash_minor"), P(250000));
	CHECK_INT(jint(e, "change_minor"), P(30000));
	a = cJSON_GetObjectItem(e, "denominations");
	CHECK_INT(cJSON_GetArraySize(a), 2);
	CHECK_INT(jint(cJSON_GetArrayItem(a, 0), "value_minor"), P(100000));
	CHECK_INT(jint(cJSON_GetArrayItem(a, 0), "count"), 2);
	l = cJSON_GetObjectItem(e, "lines");
	CHECK_INT(cJSON_GetArraySize(l), 2);
	CHECK_STR(jstr(cJSON_GetArrayItem(l, 1), "doc_number"), "SG-2");
	CHECK_STR(jstr(cJSON_GetArrayItem(l, 1), "line"), "Seguro de cumplimiento");
	CHECK_INT(jint(cJSON_GetArrayItem(l, 1), "amount_minor"), P(120000));
	CHECK(!cJSON_GetObjectItem(e, "name"));
	cJSON_Delete(e);

	/* read back as written, the breakdown from its JSON text */
	CHECK_INT(field_receipt_get(s, "1001", "T01", 1, &back), 0);
	CHECK_INT(back.ndenoms, 2);
	CHECK_INT(back.denoms[1].value_minor, P(50000));
	CHECK_INT(back.denoms[1].count, 1);
	CHECK_INT(back.nlines, 2);
	CHECK_STR(back.event_key, out.event_key);
	CHECK_INT(back.cash_minor, P(250000));
	CHECK_INT(field_receipt_get(s, "1001", "T01", 99, &back), 1);
	CHECK_INT(peek("SELECT count(*) FROM field_receipts WHERE denominations ="
		       " '[{\"value_minor\":10000000,\"count\":2},{\"value_minor\":5000000,\"count\":1}]'"),
		  1);

	/* effective balances: what this tablet collected is owed no more */
	CHECK_INT(field_unreflected_paid(s, ID_CC, "1020304050", "CR-1", &paid), 0);
	CHECK_INT(paid, P(100000));
	CHECK_INT(field_unreflected_paid(s, ID_CC, "1020304050", "SG-2", &paid), 0);
	CHECK_INT(paid, P(120000));
	CHECK_INT(field_unreflected_paid(s, ID_CC, "1020304050", "SG-4", &paid), 0);
	CHECK_INT(paid, 0);
}

/* Each refusal: STORE_EINVAL, a message with `words`, and nothing written. */
static void refused(struct store *s, const struct field_collect_req *r, const char *words, int line)
{
	struct field_receipt out;
	struct counts before = counts();
	int rc = field_collect(s, r, &out);

	if (rc != STORE_EINVAL || !strstr(store_error(s), words))
		fprintf(stderr, "line %d: rc %d, \"%s\"\n", line, rc, store_error(s));
	CHECK_INT(rc, STORE_EINVAL);
	CHECK(strstr(store_error(s), words) != NULL);
	CHECK(same(before, counts()));
}

static void test_refusals(struct store *s)
{
	struct field_collect_req r;

	/* CR-1's effective balance is 700.000 now (800.000 less the 100.000 collected) */
	r = req1("1020304050", ID_CC, "CR-1", P(700001));
	r.cash_minor = P(800000);
	refused(s, &r, "supera su saldo ($ 700.000)", __LINE__);
	r = req1("1020304050", ID_CC, "CR-1", P(10000));
	refused(s, &r, "menor que el pago mínimo", __LINE__);
	r = req1("1020304050", ID_CC, "SG-4", P(50000));
	refused(s, &r, "solo admite el pago total", __LINE__);
	r = req1("1020304050", ID_CC, "SG-2", P(1000));
	refused(s, &r, "ya está pagado", __LINE__);
	r = req1("1020304050", ID_CC, "CR-1", P(60000));
	r.cash_minor = P(59000);
	refused(s, &r, "efectivo recibido es menor", __LINE__);
	r = req1("1020304050", ID_CC, "CR-1", P(60000));
	r.cash_minor = P(70000);
	r.ndenoms = 1;
	r.denoms[0] = (struct field_denom){P(50000), 1};
	refused(s, &r, "no suman", __LINE__);
	r.denoms[0] = (struct field_denom){P(3000), 1}; /* not a COP bill */
	refused(s, &r, "no suman", __LINE__);
	r = req1("1020304050", ID_CC, "US-3", 20000);
	refused(s, &r, "es en USD", __LINE__);
	r.cur = CUR_USD;
	r.ndenoms = 1;
	r.denoms[0] = (struct field_denom){P(200), 1};
	refused(s, &r, "solo para pesos", __LINE__);
	r = req1("1020304050", ID_CC, "NO-SUCH", P(60000));
	refused(s, &r, "no está en los datos", __LINE__);
	r = req1("1020304051", ID_CC, "CR-1", P(60000));
	refused(s, &r, "cliente no está", __LINE__);
	r = req1("1020304050", ID_CC, "CR-1", 0);
	refused(s, &r, "mayor que cero", __LINE__);
	r = req1("1020304050", ID_CC, "CR-1", P(60000));
	r.agent = "10-01";
	refused(s, &r, "agente", __LINE__);
	/* the cap: 220.000 unsynced, a cap of 300.000 leaves 80.000 */
	r = req1("1020304050", ID_CC, "CR-1", P(100000));
	r.cap_minor = P(300000);
	refused(s, &r, "Tope de efectivo sin sincronizar: puede recaudar hasta $ 80.000 más", __LINE__);
	r.cap_minor = P(200000);
	refused(s, &r, "Tope de efectivo sin sincronizar alcanzado", __LINE__);
	/* USD is not counted against the COP cap */
	r = req1("1020304050", ID_CC, "US-3", 20000);
	r.cur = CUR_USD;
	r.cap_minor = P(200000);
	{
		struct field_receipt out;

		CHECK_INT(field_collect(s, &r, &out), 0);
		CHECK_INT(out.number, 2);
		CHECK_STR(out.lines[0].line, "Crédito vehículo");
	}
	/* a payment of the whole effective balance may be under the minimum: US-3 has 300.00 left,
	 * a minimum of 100.00; pay 250.00 then the remaining 50.00 */
	r.lines[0].amount_minor = 25000;
	r.cash_minor = 25000;
	{
		struct field_receipt out;

		CHECK_INT(field_collect(s, &r, &out), 0);
		r.lines[0].amount_minor = 4000;
		r.cash_minor = 4000;
		refused(s, &r, "menor que el pago mínimo", __LINE__);
		r.lines[0].amount_minor = 5000;
		r.cash_minor = 5000;
		CHECK_INT(field_collect(s, &r, &out), 0);
		CHECK_INT(out.number, 4);
		r.lines[0].amount_minor = 1;
		r.cash_minor = 1;
		refused(s, &r, "ya está pagado", __LINE__);
	}
}

/* Every number 1..max of (agent, device) once, each with exactly one payment.collected whose
 * key and number are the receipt's. */
static void check_gapless(const char *agent, const char *device, long long want)
{
	char sql[512];

	snprintf(sql, sizeof sql,
		 "SELECT count(*) = max(number) AND count(DISTINCT number) = count(*) AND min(number) = 1"
		 " FROM field_receipts WHERE agent_code = '%s' AND device_id = '%s'",
		 agent, device);
	CHECK_INT(peek(sql), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM field_receipts WHERE agent_code = '%s' AND device_id = '%s'",
		 agent, device);
	CHECK_INT(peek(sql), want);
	CHECK_INT(peek("SELECT count(*) FROM field_receipts AS r WHERE (SELECT count(*) FROM outbox AS o"
		       " WHERE o.type = 'payment.collected' AND o.key = r.event_key"
		       " AND json_extract(o.payload, '$.receipt_number') = r.number"
		       " AND json_extract(o.payload, '$.agent') = r.agent_code) <> 1"),
		  0);
	CHECK_INT(peek("SELECT count(*) FROM outbox WHERE type = 'payment.collected'"),
		  peek("SELECT count(*) FROM field_receipts"));
	CHECK_INT(peek("SELECT count(*) FROM field_receipts AS r WHERE state = 'void' AND (SELECT count(*)"
		       " FROM outbox AS o WHERE o.type = 'payment.voided' AND o.key = r.void_key"
		       " AND json_extract(o.payload, '$.original_key') = r.event_key) <> 1"),
		  0);
}

static struct store *test_gapless(struct store *s)
{
	struct field_collect_req r = req1("456789", ID_CE, "CR-9", P(1000));
	struct field_receipt out;
	int ok = 1;

	for (int i = 0; i < 20; i++) {
		ok &= field_collect(s, &r, &out) == 0;
		if (i % 4 == 1)
			ok &= field_void(s, "1001", "T01", out.number, "Valor errado", "1002", NOW + i, DAY, NULL) == 0;
		if (i % 5 == 2) {
			/* refusals in between take no number */
			struct field_collect_req bad = r;

			bad.cash_minor = 1;
			ok &= field_collect(s, &bad, &out) == STORE_EINVAL;
		}
	}
	CHECK(ok);
	store_close(s);
	s = open_store();
	for (int i = 0; i < 5; i++)
		ok &= field_collect(s, &r, &out) == 0;
	CHECK(ok);
	CHECK_INT(out.number, 29);
	check_gapless("1001", "T01", 29);
	/* numbers are per agent and device */
	r.agent = "1003";
	CHECK_INT(field_collect(s, &r, &out), 0);
	CHECK_INT(out.number, 1);
	r.agent = "1001";
	r.device_id = "T02";
	CHECK_INT(field_collect(s, &r, &out), 0);
	CHECK_INT(out.number, 1);
	return s;
}

static void test_void(struct store *s)
{
	struct field_receipt v;
	struct counts before = counts();
	char key[OUTBOX_KEY_LEN + 1], action[64], detail[128], orig[OUTBOX_KEY_LEN + 1];
	int64_t paid;
	cJSON *e;

	/* receipt 1: CR-1 100.000 + SG-2 120.000 */
	peek_text_db(dbpath, "SELECT event_key FROM field_receipts WHERE agent_code = '1001' AND device_id = 'T01'"
		     " AND number = 1", orig, sizeof orig);
	CHECK_INT(field_void(s, "1001", "T01", 1, "ab", "1002", NOW + 100, DAY, &v), STORE_EINVAL);
	CHECK(strstr(store_error(s), "motivo") != NULL);
	/* maker-checker in the store: an approver who is not a supervisor here, or unknown */
	int64_t voids = peek("SELECT count(*) FROM field_receipts WHERE state = 'void'");
	CHECK_INT(field_void(s, "1001", "T01", 1, "Cliente pagó dos veces", "1003", NOW + 100, DAY, &v), STORE_EINVAL);
	CHECK(strstr(store_error(s), "supervisor") != NULL);
	CHECK_INT(field_void(s, "1001", "T01", 1, "Cliente pagó dos veces", "7777", NOW + 100, DAY, &v), STORE_EINVAL);
	CHECK_INT(peek("SELECT count(*) FROM field_receipts WHERE state = 'void'"), voids);
	CHECK_INT(field_void(s, "1001", "T01", 1, "Cliente pagó dos veces", "1001", NOW + 100, DAY, &v), STORE_EINVAL);
	CHECK_INT(field_void(s, "1001", "T01", 1, "Cliente pagó dos veces", "1002", NOW + 86400, DAY + 1, &v),
		  STORE_EINVAL);
	CHECK(strstr(store_error(s), "mismo día") != NULL);
	CHECK_INT(field_void(s, "1001", "T01", 999, "Cliente pagó dos veces", "1002", NOW + 100, DAY, &v),
		  STORE_EINVAL);
	CHECK(same(before, counts()));

	CHECK_INT(field_void(s, "1001", "T01", 1, "Cliente pagó dos veces", "1002", NOW + 100, DAY, &v), 0);
	CHECK(v.voided);
	CHECK_STR(v.void_by, "1002");
	CHECK_INT(counts().outbox - before.outbox, 1);
	CHECK_INT(counts().audit - before.audit, 1);
	CHECK_INT(counts().voids - before.voids, 1);
	last_audit(action, detail, sizeof action);
	CHECK_STR(action, "payment.voided");
	CHECK_STR(detail, "agent=1001 n=1 by=1002");
	e = last_event("payment.voided", key);
	CHECK_STR(jstr(e, "original_key"), orig);
	CHECK_STR(jstr(e, "device_id"), "T01");
	CHECK_STR(jstr(e, "agent"), "1001");
	CHECK_INT(jint(e, "receipt_number"), 1);
	CHECK_STR(jstr(e, "reason"), "Cliente pagó dos veces");
	CHECK_STR(jstr(e, "supervisor"), "1002");
	CHECK_STR(jstr(e, "voided_at"), "2026-11-22T15:01:40Z");
	CHECK_STR(jstr(e, "currency"), "COP");
	CHECK_INT(jint(e, "amount_minor"), P(220000));
	cJSON_Delete(e);
	CHECK_INT(peek("SELECT count(*) FROM field_receipts WHERE number = 1 AND agent_code = '1001'"
		       " AND device_id = 'T01' AND state = 'void' AND void_reason = 'Cliente pagó dos veces'"
		       " AND void_by = '1002' AND void_at = 1795359700 AND length(void_key) = 36"),
		  1);
	/* twice: refused */
	before = counts();
	CHECK_INT(field_void(s, "1001", "T01", 1, "Otra vez", "1002", NOW + 200, DAY, &v), STORE_EINVAL);
	CHECK(strstr(store_error(s), "ya está anulado") != NULL);
	CHECK(same(before, counts()));
	/* the voided amounts owe again */
	CHECK_INT(field_unreflected_paid(s, ID_CC, "1020304050", "SG-2", &paid), 0);
	CHECK_INT(paid, 0);
}

/* A failure after the event was written (its receipt line refused) or of the event itself
 * rolls everything back: no receipt, no event, no audit row, no number used. A subject the
 * encoders refuse writes nothing either. */
static void test_rollback(struct store *s)
{
	struct field_collect_req r = req1("456789", ID_CE, "CR-9", P(1000));
	struct field_receipt out, bad;
	struct field_totals t;
	struct outbox_collection_closed no_totals = {"1001", "T01", DAY, NOW, NULL};
	struct counts before = counts();
	uint64_t next;

	r.agent = "1004";
	CHECK_INT(field_collect(s, &r, &out), 0);
	next = out.number + 1;
	before = counts();
	CHECK_INT(exec_db(dbpath, "CREATE TRIGGER t_fail BEFORE INSERT ON field_receipt_lines"
				  " BEGIN SELECT RAISE(ABORT, 'disk says no'); END"),
		  0);
	CHECK_INT(field_collect(s, &r, &out), STORE_ERR);
	CHECK(same(before, counts()));
	CHECK_INT(exec_db(dbpath, "DROP TRIGGER t_fail"), 0);
	CHECK_INT(exec_db(dbpath, "CREATE TRIGGER t_fail BEFORE INSERT ON outbox"
				  " BEGIN SELECT RAISE(ABORT, 'disk says no'); END"),
		  0);
	CHECK_INT(field_collect(s, &r, &out), STORE_ERR);
	CHECK_INT(field_close_day(s, "1004", "T01", DAY + 1, NOW + 86400, &t), STORE_ERR);
	CHECK(same(before, counts()));
	CHECK_INT(exec_db(dbpath, "DROP TRIGGER t_fail"), 0);
	CHECK_INT(field_collect(s, &r, &out), 0);
	CHECK_INT(out.number, next);

	memset(&bad, 0, sizeof bad);
	before = counts();
	CHECK_INT(outbox_write(s, OUTBOX_PAYMENT_COLLECTED, &bad), STORE_EINVAL);
	CHECK_INT(outbox_write(s, OUTBOX_PAYMENT_VOIDED, &out), STORE_EINVAL); /* not voided */
	CHECK_INT(outbox_write(s, OUTBOX_COLLECTION_CLOSED, &no_totals), STORE_EINVAL);
	CHECK_INT(outbox_write(s, OUTBOX_COLLECTION_REOPENED, NULL), STORE_EINVAL);
	CHECK(same(before, counts()));
}

static void check_totals_match(struct store *s, const struct field_totals *t)
{
	struct field_receipt *v;
	int n;
	int64_t cop = 0, usd = 0, voided = 0, pay_minor = 0, rows_pay = 0;

	CHECK_INT(field_receipts_of_day(s, "1001", "T01", DAY, &v, &n), 0);
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < v[i].nlines; k++)
			pay_minor += v[i].cur == CUR_COP ? v[i].lines[k].amount_minor : 0;
		if (v[i].voided)
			voided++;
		else if (v[i].cur == CUR_COP)
			cop += v[i].amount_minor;
		else
			usd += v[i].amount_minor;
	}
	for (int i = 0; i < t->nrows; i++)
		if (t->rows[i].cur == CUR_COP)
			rows_pay += t->rows[i].payments_minor;
	CHECK_INT(t->receipts, n);
	CHECK_INT(t->voided, voided);
	CHECK_INT(t->cash_cop_minor, cop);
	CHECK_INT(t->cash_usd_minor, usd);
	CHECK_INT(rows_pay, pay_minor);
	CHECK_INT(t->first_number, n ? v[0].number : 0);
	CHECK_INT(t->last_number, n ? v[n - 1].number : 0);
	CHECK_INT(t->nvoid_numbers, voided);
	free(v);
}

static void test_close_reopen(struct store *s)
{
	struct field_totals t, t2, tl;
	struct field_collect_req r = req1("456789", ID_CE, "CR-9", P(5000));
	struct field_receipt out;
	struct counts before;
	char key[OUTBOX_KEY_LEN + 1], action[64], detail[128];
	cJSON *e, *rows;

	CHECK_INT(field_totals_get(s, "1001", "T01", DAY, DAY, NULL, &t), 0);
	check_totals_match(s, &t);
	CHECK_INT(t.void_numbers[0], 1);
	CHECK_INT(t.nrows, 3); /* Crédito vehículo COP and USD, Seguro de cumplimiento COP */
	CHECK_STR(t.rows[0].line, "Crédito vehículo");
	CHECK_INT(t.rows[0].cur, CUR_COP);
	CHECK_INT(t.rows[1].cur, CUR_USD);
	CHECK_INT(t.rows[1].net_minor, 50000);
	CHECK_STR(t.rows[2].line, "Seguro de cumplimiento");
	CHECK_INT(t.rows[2].payments, 1);
	CHECK_INT(t.rows[2].voids, 1);
	CHECK_INT(t.rows[2].net_minor, 0);
	/* one business line: only its lines, only the receipts having one */
	CHECK_INT(field_totals_get(s, "1001", "T01", DAY, DAY, "Seguro de cumplimiento", &tl), 0);
	CHECK_INT(tl.nrows, 1);
	CHECK_INT(tl.receipts, 1);
	CHECK_INT(tl.cash_cop_minor, 0);

	CHECK_INT(field_day_closed(s, "1001", DAY), 0);
	before = counts();
	CHECK_INT(field_close_day(s, "1001", "T01", DAY, NOW + 3600, &t2), 0);
	CHECK_INT(field_day_closed(s, "1001", DAY), 1);
	CHECK_INT(field_day_closed(s, "1001", DAY + 1), 0);
	CHECK_INT(counts().outbox - before.outbox, 1);
	CHECK_INT(counts().audit - before.audit, 1);
	CHECK_INT(counts().closes - before.closes, 1);
	CHECK_INT(t2.cash_cop_minor, t.cash_cop_minor);
	last_audit(action, detail, sizeof action);
	CHECK_STR(action, "collection.closed");
	CHECK_STR(detail, "agent=1001 day=20261122 n=1..29");
	e = last_event("collection.closed", key);
	CHECK_STR(jstr(e, "day"), "2026-11-22");
	CHECK_STR(jstr(e, "closed_at"), "2026-11-22T16:00:00Z");
	CHECK_INT(jint(e, "first_number"), 1);
	CHECK_INT(jint(e, "last_number"), 29);
	CHECK_INT(jint(e, "receipts"), t.receipts);
	CHECK_INT(jint(e, "voided"), t.voided);
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(e, "void_numbers")), t.voided);
	CHECK_INT(jint(cJSON_GetObjectItem(e, "cash"), "COP"), t.cash_cop_minor);
	CHECK_INT(jint(cJSON_GetObjectItem(e, "cash"), "USD"), 50000);
	rows = cJSON_GetObjectItem(e, "totals");
	CHECK_INT(cJSON_GetArraySize(rows), 3);
	CHECK_STR(jstr(cJSON_GetArrayItem(rows, 1), "currency"), "USD");
	CHECK_INT(jint(cJSON_GetArrayItem(rows, 2), "voids_minor"), P(120000));
	cJSON_Delete(e);
	{
		char sql[256];

		snprintf(sql, sizeof sql, "SELECT count(*) FROM field_closes WHERE event_key = '%s' AND first_number = 1"
			 " AND last_number = 29 AND json_extract(totals, '$.receipts') = %lld", key, (long long)t.receipts);
		CHECK_INT(peek(sql), 1);
	}

	/* closed: no collection, no void, no second close */
	refused(s, &r, "está cerrado", __LINE__);
	before = counts();
	CHECK_INT(field_void(s, "1001", "T01", 3, "Valor errado", "1002", NOW + 3700, DAY, NULL), STORE_EINVAL);
	CHECK_INT(field_close_day(s, "1001", "T01", DAY, NOW + 3700, &t2), STORE_EINVAL);
	CHECK_INT(field_reopen_day(s, "1001", DAY + 1, "1002", NOW + 3700), STORE_EINVAL);
	CHECK_INT(field_reopen_day(s, "1001", DAY, "1003", NOW + 3700), STORE_EINVAL); /* not a supervisor */
	CHECK_INT(field_reopen_day(s, "1001", DAY, "1001", NOW + 3700), STORE_EINVAL);
	CHECK(same(before, counts()));
	/* other agents' days are their own */
	r.agent = "1003";
	CHECK_INT(field_collect(s, &r, &out), 0);
	r.agent = "1001";

	before = counts();
	CHECK_INT(field_reopen_day(s, "1001", DAY, "1002", NOW + 4000), 0);
	CHECK_INT(field_day_closed(s, "1001", DAY), 0);
	CHECK_INT(counts().outbox - before.outbox, 1);
	CHECK_INT(counts().audit - before.audit, 1);
	last_audit(action, detail, sizeof action);
	CHECK_STR(action, "collection.reopened");
	CHECK_STR(detail, "agent=1001 day=20261122 by=1002");
	e = last_event("collection.reopened", NULL);
	CHECK_STR(jstr(e, "device_id"), "T01");
	CHECK_STR(jstr(e, "agent"), "1001");
	CHECK_STR(jstr(e, "day"), "2026-11-22");
	CHECK_STR(jstr(e, "reopened_at"), "2026-11-22T16:06:40Z");
	CHECK_STR(jstr(e, "supervisor"), "1002");
	cJSON_Delete(e);
	CHECK_INT(peek("SELECT count(*) FROM field_closes WHERE reopened_at = 1795363600 AND reopened_by = '1002'"), 1);
	CHECK_INT(field_reopen_day(s, "1001", DAY, "1002", NOW + 4100), STORE_EINVAL);

	/* reopened: collect, close again with the new receipt in a new close row */
	CHECK_INT(field_collect(s, &r, &out), 0);
	CHECK_INT(out.number, 30);
	CHECK_INT(field_close_day(s, "1001", "T01", DAY, NOW + 5000, &t2), 0);
	CHECK_INT(t2.last_number, 30);
	CHECK_INT(t2.cash_cop_minor, t.cash_cop_minor + P(5000));
	check_totals_match(s, &t2);
	CHECK_INT(peek("SELECT count(*) FROM field_closes WHERE agent_code = '1001' AND day = 20261122"), 2);
	CHECK_INT(field_day_closed(s, "1001", DAY), 1);
	check_gapless("1001", "T01", 30);
}

static void test_unsynced_and_reflected(struct store *s)
{
	struct outbox_event *ev = NULL;
	struct outbox *o;
	char err[256];
	int64_t cash, paid, before_cash;
	int n = 0;

	/* agent 1003's only receipt: CR-9 5.000 */
	CHECK_INT(field_unsynced_cash(s, "1003", &cash), 0);
	CHECK_INT(cash, P(1000) + P(5000));
	CHECK_INT(field_unsynced_cash(s, "1001", &before_cash), 0);
	CHECK(before_cash > 0);
	CHECK_INT(field_unreflected_paid(s, ID_CE, "456789", "CR-9", &paid), 0);
	CHECK(paid > 0);
	/* nothing acknowledged yet: nothing is reflected */
	CHECK_INT(field_mark_reflected(s, ID_CE, "456789"), 0);
	CHECK_INT(peek("SELECT count(*) FROM field_receipts WHERE reflected = 1"), 0);

	o = outbox_open(dbpath, err, sizeof err);
	CHECK(o != NULL);
	if (!o)
		return;
	/* in flight still counts */
	CHECK_INT(outbox_claim(o, OUTBOX_BATCH_MAX, &ev, &n), 0);
	CHECK_INT(field_unsynced_cash(s, "1001", &cash), 0);
	CHECK_INT(cash, before_cash);
	for (int i = 0; i < n; i++)
		if (strcmp(ev[i].type, "payment.collected") == 0)
			CHECK_INT(outbox_ack(o, ev[i].key, NOW + 6000), 0);
	outbox_events_free(ev, n);
	/* the claim takes at most a batch: ack the rest too */
	while (outbox_claim(o, OUTBOX_BATCH_MAX, &ev, &n) == 0 && n > 0) {
		for (int i = 0; i < n; i++)
			outbox_ack(o, ev[i].key, NOW + 6000);
		outbox_events_free(ev, n);
	}
	outbox_close(o);
	CHECK_INT(field_unsynced_cash(s, "1001", &cash), 0);
	CHECK_INT(cash, 0);
	CHECK_INT(field_unsynced_cash(s, "1003", &cash), 0);
	CHECK_INT(cash, 0);

	/* acknowledged, and the client refreshed: its receipts no longer subtract */
	CHECK_INT(store_import_begin(s), 0);
	CHECK_INT(field_mark_reflected(s, ID_CE, "456789"), 0);
	CHECK_INT(store_import_commit_keep(s), 0);
	CHECK_INT(field_unreflected_paid(s, ID_CE, "456789", "CR-9", &paid), 0);
	CHECK_INT(paid, 0);
	CHECK_INT(peek("SELECT count(*) FROM field_receipts WHERE reflected = 1 AND id_number <> '456789'"), 0);
	/* an acked event that the retention job removed still counts as acknowledged */
	{
		int64_t removed = 0;

		CHECK_INT(store_outbox_prune(s, NOW + 7000, &removed), 0);
		CHECK(removed > 0);
		CHECK_INT(field_mark_reflected(s, ID_CC, "1020304050"), 0);
		CHECK_INT(field_unreflected_paid(s, ID_CC, "1020304050", "CR-1", &paid), 0);
		CHECK_INT(paid, 0);
	}
}

int main(void)
{
	struct store *s;

	setenv("TZ", "<-05>5", 1);
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_field_store.XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	snprintf(dbpath, sizeof dbpath, "%s/store.db", tmpdir);
	s = open_store();
	CHECK(s != NULL);
	if (!s)
		return check_done();
	CHECK_INT(import_portfolio(s), 0);
	test_collect_with_change(s);
	test_refusals(s);
	s = test_gapless(s);
	test_void(s);
	test_rollback(s);
	test_close_reopen(s);
	test_unsynced_and_reflected(s);
	store_close(s);
	tmpdir_remove(tmpdir);
	return check_done();
}
