/* store_schema — the schema as an ordered list of migrations, and the step that applies
 * them. docs/store.md describes each version. */
#include <stdio.h>

#include "audit.h"
#include "field_query.h"
#include "store_internal.h"

/* Each step brings the schema from version i to i + 1 and runs in its own transaction
 * together with the PRAGMA user_version bump, so a crash leaves a whole version or none.
 * Never edit a step that has shipped: append a new one. */
static const char *const migrations[] = {
	/* 1: the portfolio as last imported */
	"CREATE TABLE meta("
	"  key TEXT PRIMARY KEY NOT NULL,"
	"  value) WITHOUT ROWID;"
	"CREATE TABLE customers("
	"  id INTEGER PRIMARY KEY,"
	"  id_type TEXT NOT NULL,"
	"  id_number TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  UNIQUE(id_type, id_number));"
	"CREATE TABLE documents("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  number TEXT NOT NULL,"
	"  line TEXT NOT NULL,"
	"  description TEXT NOT NULL,"
	"  due INTEGER NOT NULL,"
	"  currency TEXT NOT NULL CHECK(currency IN ('COP', 'USD')),"
	"  invoice INTEGER NOT NULL,"
	"  balance INTEGER NOT NULL CHECK(balance > 0 AND invoice >= balance),"
	"  partial_ok INTEGER NOT NULL CHECK(partial_ok IN (0, 1)),"
	"  min_partial INTEGER NOT NULL CHECK(min_partial >= 0 AND min_partial <= balance));"
	/* Serves both the lookup (customer_id prefix) and "number unique per customer". */
	"CREATE UNIQUE INDEX documents_by_customer ON documents(customer_id, number);"
	"CREATE TABLE trm("
	"  valid_from INTEGER PRIMARY KEY,"
	"  valid_to INTEGER NOT NULL CHECK(valid_to >= valid_from),"
	"  cop_minor_per_usd INTEGER NOT NULL CHECK(cop_minor_per_usd > 0));",

	/* 2: coupons and the device's sequence */
	"CREATE TABLE counters("
	"  name TEXT PRIMARY KEY NOT NULL,"
	"  value INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO counters(name, value) VALUES('coupon_seq', 0);"
	"CREATE TABLE coupons("
	"  id INTEGER PRIMARY KEY,"
	"  seq INTEGER NOT NULL UNIQUE CHECK(seq > 0),"
	"  kiosk_id INTEGER NOT NULL,"
	"  reference TEXT NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL CHECK(kind IN ('coupon', 'phone')),"
	"  id_type TEXT NOT NULL,"
	"  id_number TEXT NOT NULL,"
	"  amount_minor INTEGER NOT NULL CHECK(amount_minor > 0),"
	"  currency TEXT NOT NULL CHECK(currency = 'COP'),"
	"  due INTEGER NOT NULL,"
	"  issued_at INTEGER NOT NULL,"
	"  has_trm INTEGER NOT NULL CHECK(has_trm IN (0, 1)),"
	"  trm_cop_minor_per_usd INTEGER,"
	"  trm_valid_from INTEGER,"
	"  trm_valid_to INTEGER);"
	"CREATE TABLE coupon_lines("
	"  coupon_id INTEGER NOT NULL REFERENCES coupons(id) ON DELETE CASCADE,"
	"  idx INTEGER NOT NULL,"
	"  doc_number TEXT NOT NULL,"
	"  pay_minor INTEGER NOT NULL CHECK(pay_minor > 0),"
	"  pay_currency TEXT NOT NULL CHECK(pay_currency IN ('COP', 'USD')),"
	"  cop_minor INTEGER NOT NULL CHECK(cop_minor > 0),"
	"  PRIMARY KEY(coupon_id, idx)) WITHOUT ROWID;",

	/* 3: the outbox and the audit trail (docs/outbox.md). seq is assigned from the
	 * 'outbox_seq' counter in the writer's transaction, so it is gapless and never reused;
	 * no AUTOINCREMENT. The index on state also orders by seq (the rowid) within a state,
	 * which is the claim order. */
	"INSERT INTO counters(name, value) VALUES('outbox_seq', 0);"
	"INSERT INTO meta(key, value) VALUES('last_sync', 0);"
	"CREATE TABLE outbox("
	"  seq INTEGER PRIMARY KEY CHECK(seq > 0),"
	"  key TEXT NOT NULL UNIQUE CHECK(length(key) = 36),"
	"  type TEXT NOT NULL CHECK(length(type) BETWEEN 1 AND 31),"
	"  at INTEGER NOT NULL CHECK(at > 0),"
	"  payload TEXT NOT NULL,"
	"  state INTEGER NOT NULL DEFAULT 0 CHECK(state IN (0, 1, 2, 3)),"
	"  attempts INTEGER NOT NULL DEFAULT 0 CHECK(attempts >= 0),"
	"  reason TEXT,"
	"  acked_at INTEGER);"
	"CREATE INDEX outbox_by_state ON outbox(state);"
	"CREATE TABLE audit("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  action TEXT NOT NULL,"
	"  detail TEXT NOT NULL);",
	/* 4: print jobs (offline/store_print.c): pending -> sent -> printed | failed. The bytes
	 * of the receipt and of its copy (marked COPIA) are kept so a reprint is exact. */
	"CREATE TABLE print_jobs("
	"  id INTEGER PRIMARY KEY,"
	"  coupon_seq INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  state TEXT NOT NULL CHECK(state IN ('pending', 'sent', 'printed', 'failed')),"
	"  copy INTEGER NOT NULL DEFAULT 0 CHECK(copy IN (0, 1)),"
	"  error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  data BLOB NOT NULL,"
	"  copy_data BLOB NOT NULL);"
	"CREATE INDEX print_jobs_by_coupon ON print_jobs(coupon_seq);",

	/* 5: retention and the unacknowledged total (docs/store.md, docs/outbox.md).
	 * The receipt bytes move to print_job_bytes, one row per job while its bytes are kept:
	 * the retention job deletes that row (whole pages go back to the free list; emptying
	 * the columns in place would leave every print_jobs row alone on its page) and sets
	 * print_jobs.pruned_at; the job's row stays as the record of what was printed.
	 * outbox_totals: what the kiosk issued that the server has not acknowledged, kept by
	 * triggers in the same transaction as every outbox write, so reading it costs the same
	 * with 0 or 1,000,000 events queued. "Unacknowledged" is what it always was: coupon.issued
	 * events pending or in flight (state 0 or 1), summed by the payload's amount_minor. The
	 * row starts from the events already queued. */
	"CREATE TABLE print_job_bytes("
	"  job_id INTEGER PRIMARY KEY REFERENCES print_jobs(id) ON DELETE CASCADE,"
	"  data BLOB NOT NULL,"
	"  copy_data BLOB NOT NULL);"
	"INSERT INTO print_job_bytes(job_id, data, copy_data)"
	"  SELECT id, data, copy_data FROM print_jobs;"
	"ALTER TABLE print_jobs DROP COLUMN data;"
	"ALTER TABLE print_jobs DROP COLUMN copy_data;"
	"ALTER TABLE print_jobs ADD COLUMN pruned_at INTEGER;"
	"CREATE TABLE outbox_totals("
	"  type TEXT PRIMARY KEY NOT NULL,"
	"  events INTEGER NOT NULL,"
	"  amount_minor INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO outbox_totals(type, events, amount_minor)"
	"  SELECT 'coupon.issued', count(*), coalesce(sum(json_extract(payload, '$.amount_minor')), 0)"
	"  FROM outbox WHERE state IN (0, 1) AND type = 'coupon.issued';"
	"CREATE TRIGGER outbox_totals_insert AFTER INSERT ON outbox"
	"  WHEN NEW.type = 'coupon.issued' AND NEW.state IN (0, 1) BEGIN"
	"  UPDATE outbox_totals SET events = events + 1, amount_minor = amount_minor +"
	"    coalesce(json_extract(NEW.payload, '$.amount_minor'), 0) WHERE type = 'coupon.issued';"
	"  END;"
	/* acked (2) or dead (3): no longer counted. Claims and releases (0 <-> 1) fire nothing. */
	"CREATE TRIGGER outbox_totals_leave AFTER UPDATE OF state, type, payload ON outbox"
	"  WHEN OLD.type = 'coupon.issued' AND OLD.state IN (0, 1) AND"
	"    (NEW.type IS NOT 'coupon.issued' OR NEW.state NOT IN (0, 1) OR"
	"     NEW.payload IS NOT OLD.payload) BEGIN"
	"  UPDATE outbox_totals SET events = events - 1, amount_minor = amount_minor -"
	"    coalesce(json_extract(OLD.payload, '$.amount_minor'), 0) WHERE type = 'coupon.issued';"
	"  END;"
	"CREATE TRIGGER outbox_totals_enter AFTER UPDATE OF state, type, payload ON outbox"
	"  WHEN NEW.type = 'coupon.issued' AND NEW.state IN (0, 1) AND"
	"    (OLD.type IS NOT 'coupon.issued' OR OLD.state NOT IN (0, 1) OR"
	"     NEW.payload IS NOT OLD.payload) BEGIN"
	"  UPDATE outbox_totals SET events = events + 1, amount_minor = amount_minor +"
	"    coalesce(json_extract(NEW.payload, '$.amount_minor'), 0) WHERE type = 'coupon.issued';"
	"  END;"
	"CREATE TRIGGER outbox_totals_delete AFTER DELETE ON outbox"
	"  WHEN OLD.type = 'coupon.issued' AND OLD.state IN (0, 1) BEGIN"
	"  UPDATE outbox_totals SET events = events - 1, amount_minor = amount_minor -"
	"    coalesce(json_extract(OLD.payload, '$.amount_minor'), 0) WHERE type = 'coupon.issued';"
	"  END;",

	/* 6: print jobs of any kind, keyed by (kind, ref) (docs/printing.md "Print jobs"): a
	 * receipt or its copy (ref: the coupon's sequence), a test page, a report, a document.
	 * coupon_seq and copy become columns computed from (kind, ref), so a test page has no
	 * coupon and the queries of receipts stay as they were. Old rows become kind receipt or
	 * copy with ref = their coupon. SQLite cannot relax NOT NULL in place: the table is
	 * rebuilt, and print_job_bytes with it (dropping print_jobs while print_job_bytes refers
	 * to it would cascade-delete every receipt's bytes). */
	"CREATE TABLE print_jobs6("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK(kind IN ('receipt', 'copy', 'test', 'report', 'document')),"
	"  ref TEXT NOT NULL CHECK(length(ref) BETWEEN 1 AND 64),"
	"  name TEXT NOT NULL,"
	"  state TEXT NOT NULL CHECK(state IN ('pending', 'sent', 'printed', 'failed')),"
	"  error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  pruned_at INTEGER,"
	"  coupon_seq INTEGER GENERATED ALWAYS AS"
	"    (CASE WHEN kind IN ('receipt', 'copy') THEN CAST(ref AS INTEGER) END) VIRTUAL,"
	"  copy INTEGER GENERATED ALWAYS AS (kind = 'copy') VIRTUAL);"
	"INSERT INTO print_jobs6(id, kind, ref, name, state, error, created_at, updated_at, pruned_at)"
	"  SELECT id, CASE WHEN copy THEN 'copy' ELSE 'receipt' END, CAST(coupon_seq AS TEXT), name,"
	"  state, error, created_at, updated_at, pruned_at FROM print_jobs;"
	"CREATE TABLE print_job_bytes6("
	"  job_id INTEGER PRIMARY KEY REFERENCES print_jobs6(id) ON DELETE CASCADE,"
	"  data BLOB NOT NULL,"
	"  copy_data BLOB NOT NULL);"
	"INSERT INTO print_job_bytes6(job_id, data, copy_data)"
	"  SELECT job_id, data, copy_data FROM print_job_bytes;"
	"DROP TABLE print_job_bytes;"
	"DROP TABLE print_jobs;"
	"ALTER TABLE print_jobs6 RENAME TO print_jobs;"
	"ALTER TABLE print_job_bytes6 RENAME TO print_job_bytes;"
	"CREATE INDEX print_jobs_by_key ON print_jobs(kind, ref);"
	"CREATE INDEX print_jobs_by_coupon ON print_jobs(coupon_seq);",

	/* 7: the audit chain (docs/store.md "The audit chain", offline/store_audit.c): each row
	 * gets a result and is chained by SHA-256 (prev: the previous row's hash). The rows
	 * written before are chained by audit_chain_existing (migration_code below, C: SQLite has
	 * no SHA-256), then the triggers make the table append-only. */
	"ALTER TABLE audit ADD COLUMN result TEXT NOT NULL DEFAULT 'ok';"
	"ALTER TABLE audit ADD COLUMN prev TEXT;"
	"ALTER TABLE audit ADD COLUMN hash TEXT;",

	/* 8: a day's coupons without reading them all (offline/store_totals.c, maintenance
	 * "Totales"): the index covers what the totals read (count, amount, sequence range), so
	 * the coupons' rows are not visited; its rowid leads to the lines. Built once over the
	 * coupons already there (about 1 s for 1,000,000). */
	"CREATE INDEX coupons_by_issued_at ON coupons(issued_at, seq, amount_minor);",

	/* 9: field mode (docs/field-mode.md). Agents as this tablet knows them (a password hash
	 * only once the agent logged in online here, or from an import file), the clients
	 * assigned to each; the name-prefix index (one row per word of a customer's name, folded
	 * to lower-case ASCII: filled in C for the customers already there); the receipts of cash
	 * collected, numbered per agent and device without gaps (a number is a receipt, paid or
	 * voided, never skipped: UNIQUE and max + 1 in the receipt's transaction), their lines,
	 * and the day closes. */
	"CREATE TABLE agents("
	"  code TEXT PRIMARY KEY NOT NULL CHECK(length(code) BETWEEN 1 AND 16),"
	"  name TEXT NOT NULL,"
	"  role TEXT NOT NULL CHECK(role IN ('agent', 'supervisor')),"
	"  pass_hash TEXT,"
	"  hash_at INTEGER,"
	"  cap_minor INTEGER CHECK(cap_minor IS NULL OR cap_minor >= 0)) WITHOUT ROWID;"
	"CREATE TABLE agent_clients("
	"  agent_code TEXT NOT NULL,"
	"  id_type TEXT NOT NULL,"
	"  id_number TEXT NOT NULL,"
	"  PRIMARY KEY(agent_code, id_type, id_number)) WITHOUT ROWID;"
	"CREATE TABLE customer_words("
	"  word TEXT NOT NULL,"
	"  customer_id INTEGER NOT NULL,"
	"  PRIMARY KEY(word, customer_id)) WITHOUT ROWID;"
	"CREATE INDEX customer_words_by_customer ON customer_words(customer_id);"
	/* a search by a prefix half the customers share walks the names in order and stops at
	 * the first screenful (field_query.c) */
	"CREATE INDEX customers_by_name ON customers(name);"
	"CREATE TABLE field_receipts("
	"  id INTEGER PRIMARY KEY,"
	"  agent_code TEXT NOT NULL,"
	"  device_id TEXT NOT NULL,"
	"  number INTEGER NOT NULL CHECK(number > 0),"
	"  day INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  id_type TEXT NOT NULL,"
	"  id_number TEXT NOT NULL,"
	"  customer_name TEXT NOT NULL,"
	"  currency TEXT NOT NULL CHECK(currency IN ('COP', 'USD')),"
	"  amount_minor INTEGER NOT NULL CHECK(amount_minor > 0),"
	"  cash_minor INTEGER NOT NULL,"
	"  change_minor INTEGER NOT NULL CHECK(change_minor >= 0 AND cash_minor = amount_minor + change_minor),"
	"  denominations TEXT,"
	"  event_key TEXT NOT NULL UNIQUE CHECK(length(event_key) = 36),"
	"  state TEXT NOT NULL DEFAULT 'paid' CHECK(state IN ('paid', 'void')),"
	"  void_reason TEXT,"
	"  void_by TEXT,"
	"  void_at INTEGER,"
	"  void_key TEXT UNIQUE,"
	"  reflected INTEGER NOT NULL DEFAULT 0 CHECK(reflected IN (0, 1)),"
	"  UNIQUE(agent_code, device_id, number));"
	"CREATE INDEX field_receipts_by_day ON field_receipts(agent_code, day);"
	"CREATE INDEX field_receipts_by_client ON field_receipts(id_type, id_number);"
	"CREATE TABLE field_receipt_lines("
	"  receipt_id INTEGER NOT NULL REFERENCES field_receipts(id),"
	"  idx INTEGER NOT NULL,"
	"  doc_number TEXT NOT NULL,"
	"  line TEXT NOT NULL,"
	"  description TEXT NOT NULL,"
	"  due INTEGER NOT NULL,"
	"  amount_minor INTEGER NOT NULL CHECK(amount_minor > 0),"
	"  PRIMARY KEY(receipt_id, idx)) WITHOUT ROWID;"
	"CREATE TABLE field_closes("
	"  id INTEGER PRIMARY KEY,"
	"  agent_code TEXT NOT NULL,"
	"  device_id TEXT NOT NULL,"
	"  day INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  event_key TEXT NOT NULL UNIQUE CHECK(length(event_key) = 36),"
	"  first_number INTEGER,"
	"  last_number INTEGER,"
	"  totals TEXT NOT NULL,"
	"  reopened_at INTEGER,"
	"  reopened_by TEXT);"
	"CREATE INDEX field_closes_by_day ON field_closes(agent_code, day);",
};

/* What a step needs beyond SQL, run after its SQL in the same transaction. */
static int migration_code(struct store *s, int to)
{
	if (to == 9)
		return field_words_index_all(s);
	if (to == 7)
		return audit_chain_existing(s) < 0 ||
			       store_exec(s, "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
					     "  SELECT RAISE(ABORT, 'audit rows are append-only'); END;"
					     "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
					     "  SELECT RAISE(ABORT, 'audit rows are append-only'); END;") < 0
			       ? STORE_ERR
			       : 0;
	return 0;
}

int store_schema_latest(void) { return (int)(sizeof migrations / sizeof migrations[0]); }

static int pragma_int(struct store *s, const char *sql, int *out)
{
	int64_t v;

	if (store_pragma_i64(s, sql, &v) < 0)
		return STORE_ERR;
	*out = (int)v;
	return 0;
}

/* Applies the pending steps one transaction each. The version is read again under the write
 * lock so two processes opening a fresh file at once do not both run a step. */
int store_migrate(struct store *s)
{
	for (;;) {
		char sql[64];
		int v;

		if (store_exec(s, "BEGIN IMMEDIATE") < 0)
			return STORE_ERR;
		if (pragma_int(s, "PRAGMA user_version", &v) < 0)
			goto fail;
		if (v < 0 || v > store_schema_latest()) {
			store_fail(s, STORE_ERR,
				   "database schema version %d is not one this program knows (0..%d)",
				   v, store_schema_latest());
			goto fail;
		}
		if (v == store_schema_latest())
			break;
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		if (store_exec(s, migrations[v]) < 0 || migration_code(s, v + 1) < 0 ||
		    store_exec(s, sql) < 0) {
			char why[sizeof s->err];

			snprintf(why, sizeof why, "%s", s->err);
			store_fail(s, STORE_ERR, "migration to version %d failed: %s", v + 1, why);
			goto fail;
		}
		if (store_exec(s, "COMMIT") < 0)
			goto fail;
	}
	return store_exec(s, "COMMIT");
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return STORE_ERR;
}
