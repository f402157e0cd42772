/* The central simulator's database: schema, seeding and portfolio reads (see sim_db.h). */
#include "sim_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "sim_field.h"
#include "sim_json.h"

/* Gives customer NEW.id the next change version. */
#define SIM_BUMP                                                                          \
	"  UPDATE sim_versions SET version = (SELECT max(version) + 1 FROM sim_versions)" \
	"    WHERE customer_id = NEW.id;"                                                 \
	"  INSERT INTO sim_versions(customer_id, version)"                                \
	"    SELECT NEW.id, (SELECT coalesce(max(version), 0) + 1 FROM sim_versions)"     \
	"    WHERE NOT EXISTS (SELECT 1 FROM sim_versions WHERE customer_id = NEW.id);"

/* The simulator's own tables, next to the store's. Idempotent: runs at every start. */
static const char schema[] =
	"CREATE TABLE IF NOT EXISTS sim_versions("
	"  customer_id INTEGER PRIMARY KEY,"
	"  version INTEGER NOT NULL UNIQUE);"
	/* a customer created or re-imported (the import upserts every customer in the file and
	 * replaces its documents) is a change: it gets the next version. No INSERT OR REPLACE
	 * here: the store's upsert is the outer statement, and its conflict policy would
	 * override the trigger's. Recreated at every start, so an old file gets the current ones. */
	"DROP TRIGGER IF EXISTS sim_customer_created;"
	"DROP TRIGGER IF EXISTS sim_customer_updated;"
	"CREATE TRIGGER sim_customer_created AFTER INSERT ON customers BEGIN" SIM_BUMP "END;"
	"CREATE TRIGGER sim_customer_updated AFTER UPDATE ON customers BEGIN" SIM_BUMP "END;"
	/* customers written before the triggers existed */
	"INSERT INTO sim_versions(customer_id, version)"
	"  SELECT id, (SELECT coalesce(max(version), 0) FROM sim_versions)"
	"             + row_number() OVER (ORDER BY id)"
	"  FROM customers WHERE id NOT IN (SELECT customer_id FROM sim_versions);"
	/* every accepted event, forever: the key is the idempotency key */
	"CREATE TABLE IF NOT EXISTS sim_events("
	"  key TEXT PRIMARY KEY NOT NULL,"
	"  device_id TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  type TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  payload TEXT NOT NULL,"
	"  received_at INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS sim_events_by_device ON sim_events(device_id, seq);"
	/* one row per coupon announced by a coupon.issued event */
	"CREATE TABLE IF NOT EXISTS sim_coupons("
	"  kiosk_id INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  event_key TEXT NOT NULL,"
	"  reference TEXT NOT NULL,"
	"  amount_minor INTEGER NOT NULL,"
	"  PRIMARY KEY(kiosk_id, seq)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS sim_devices("
	"  device_id TEXT PRIMARY KEY NOT NULL,"
	"  kiosk_id INTEGER NOT NULL,"
	"  duplicates INTEGER NOT NULL DEFAULT 0,"
	"  rejected INTEGER NOT NULL DEFAULT 0,"
	"  heartbeats INTEGER NOT NULL DEFAULT 0,"
	"  heartbeat_at INTEGER,"
	"  heartbeat TEXT) WITHOUT ROWID;";

sqlite3_stmt *sim_db_prepare(struct sim_db *d, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "central-sim: database: %s\n", sqlite3_errmsg(d->db));
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

int sim_db_exec(struct sim_db *d, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(d->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		/* SQLite's messages name tables and columns, never the values bound */
		fprintf(stderr, "central-sim: database: %s\n", msg ? msg : sqlite3_errmsg(d->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int register_devices(struct sim_db *d, const struct sim_device *devs, int n)
{
	sqlite3_stmt *st =
		sim_db_prepare(d, "INSERT INTO sim_devices(device_id, kiosk_id) VALUES(?1, ?2)"
				  " ON CONFLICT(device_id) DO UPDATE SET kiosk_id = excluded.kiosk_id");
	int rc = 0;

	if (!st)
		return -1;
	for (int i = 0; i < n && rc == 0; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, devs[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, devs[i].kiosk_id);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = -1;
	}
	sqlite3_finalize(st);
	return rc;
}

int sim_db_open(struct sim_db **out, const char *path, const char *seed, const struct sim_device *devs,
		int ndevs, char *err, size_t errn)
{
	struct sim_db *d;
	int64_t as_of = 0;

	*out = NULL;
	d = calloc(1, sizeof *d);
	if (!d) {
		snprintf(err, errn, "out of memory");
		return -1;
	}
	pthread_mutex_init(&d->mu, NULL);
	/* the store's migrations create (or upgrade) the portfolio tables first */
	if (store_open(&d->store, path, err, errn) < 0)
		goto fail;
	if (sqlite3_open_v2(path, &d->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(err, errn, "%s: cannot open: %s", path,
			 d->db ? sqlite3_errmsg(d->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(d->db, 5000);
	if (sim_db_exec(d, "PRAGMA synchronous=FULL") < 0 || sim_db_exec(d, "BEGIN IMMEDIATE") < 0) {
		snprintf(err, errn, "%s: cannot prepare the database", path);
		goto fail;
	}
	if (sim_db_exec(d, schema) < 0 || sim_field_schema(d) < 0 || register_devices(d, devs, ndevs) < 0 ||
	    sim_db_exec(d, "COMMIT") < 0) {
		sim_db_exec(d, "ROLLBACK");
		snprintf(err, errn, "%s: cannot create the simulator's tables", path);
		goto fail;
	}
	if (store_data_as_of(d->store, &as_of) < 0) {
		snprintf(err, errn, "%s: %s", path, store_error(d->store));
		goto fail;
	}
	if (as_of == 0 && seed) {
		if (store_import_file(d->store, seed, err, errn) < 0)
			goto fail;
		fprintf(stderr, "central-sim: portfolio seeded from %s\n", seed);
	} else if (as_of == 0) {
		fprintf(stderr, "central-sim: no portfolio yet (give --seed FILE)\n");
	}
	*out = d;
	return 0;
fail:
	sim_db_close(d);
	return -1;
}

void sim_db_close(struct sim_db *d)
{
	if (!d)
		return;
	sqlite3_close(d->db);
	store_close(d->store);
	pthread_mutex_destroy(&d->mu);
	free(d);
}

int sim_db_import(struct sim_db *d, const char *path, char *err, size_t errn)
{
	int rc;

	pthread_mutex_lock(&d->mu);
	rc = store_import_file(d->store, path, err, errn);
	pthread_mutex_unlock(&d->mu);
	return rc;
}

int sim_db_add_text(cJSON *obj, const char *name, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return cJSON_AddStringToObject(obj, name, t ? (const char *)t : "") ? 0 : -1;
}

/* The customer's documents as DOC objects, in the kiosk's order (due date, then number). */
static cJSON *documents_json(sqlite3_stmt *st, int64_t customer_id)
{
	cJSON *docs = cJSON_CreateArray();
	int rc = SQLITE_DONE, ok = docs != NULL;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, customer_id);
	while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *doc = cJSON_CreateObject();
		char due[11];
		int64_t min_partial = sqlite3_column_int64(st, 8);
		int partial = sqlite3_column_int(st, 7);

		jf_format_date(sqlite3_column_int(st, 3), due);
		ok = doc && cJSON_AddItemToArray(docs, doc);
		if (!ok) {
			cJSON_Delete(doc);
			break;
		}
		ok = sim_db_add_text(doc, "number", st, 0) == 0 && sim_db_add_text(doc, "line", st, 1) == 0 &&
		     sim_db_add_text(doc, "description", st, 2) == 0 &&
		     sim_db_add_text(doc, "currency", st, 4) == 0 &&
		     cJSON_AddStringToObject(doc, "due", due) &&
		     jf_add_int(doc, "invoice", sqlite3_column_int64(st, 5)) == 0 &&
		     jf_add_int(doc, "balance", sqlite3_column_int64(st, 6)) == 0 &&
		     cJSON_AddBoolToObject(doc, "partial", partial) &&
		     jf_add_int(doc, "min_partial", partial ? min_partial : 0) == 0;
	}
	if (ok && rc != SQLITE_DONE)
		ok = 0;
	sqlite3_reset(st);
	if (!ok) {
		cJSON_Delete(docs);
		return NULL;
	}
	return docs;
}

static sqlite3_stmt *documents_stmt(struct sim_db *d)
{
	return sim_db_prepare(d, "SELECT number, line, description, due, currency, invoice, balance,"
				 " partial_ok, min_partial FROM documents WHERE customer_id = ?1"
				 " ORDER BY due, number");
}

/* {"id_type","id_number","name"} from columns 1..3 of st. */
static int identity_into(cJSON *obj, sqlite3_stmt *st)
{
	return sim_db_add_text(obj, "id_type", st, 1) == 0 && sim_db_add_text(obj, "id_number", st, 2) == 0 &&
			       sim_db_add_text(obj, "name", st, 3) == 0
		       ? 0
		       : -1;
}

int sim_db_debts(struct sim_db *d, enum id_type t, const char *number, cJSON **out)
{
	sqlite3_stmt *cust = NULL, *docs = NULL;
	cJSON *j = NULL, *who = NULL, *list = NULL;
	int rc = -1, step;

	*out = NULL;
	pthread_mutex_lock(&d->mu);
	if (sim_db_exec(d, "BEGIN") < 0)
		goto out_unlock;
	cust = sim_db_prepare(d, "SELECT id, id_type, id_number, name FROM customers"
				 " WHERE id_type = ?1 AND id_number = ?2");
	docs = documents_stmt(d);
	if (!cust || !docs)
		goto out;
	sqlite3_bind_text(cust, 1, id_type_code(t), -1, SQLITE_STATIC);
	sqlite3_bind_text(cust, 2, number, -1, SQLITE_STATIC);
	step = sqlite3_step(cust);
	if (step == SQLITE_DONE) {
		rc = 1;
		goto out;
	}
	if (step != SQLITE_ROW)
		goto out;
	j = cJSON_CreateObject();
	who = cJSON_AddObjectToObject(j, "customer");
	if (!who || identity_into(who, cust) < 0)
		goto out;
	list = documents_json(docs, sqlite3_column_int64(cust, 0));
	if (!list || !cJSON_AddItemToObject(j, "documents", list))
		goto out;
	list = NULL;
	*out = j;
	j = NULL;
	rc = 0;
out:
	cJSON_Delete(list);
	cJSON_Delete(j);
	sqlite3_finalize(cust);
	sqlite3_finalize(docs);
	sim_db_exec(d, "COMMIT");
out_unlock:
	pthread_mutex_unlock(&d->mu);
	return rc;
}

int sim_db_changes(struct sim_db *d, int64_t after, int limit, cJSON *customers, int64_t *next, int *more)
{
	sqlite3_stmt *cust = NULL, *docs = NULL;
	int rc = -1, step, n = 0;

	*next = after;
	*more = 0;
	pthread_mutex_lock(&d->mu);
	if (sim_db_exec(d, "BEGIN") < 0)
		goto out_unlock;
	cust = sim_db_prepare(d, "SELECT c.id, c.id_type, c.id_number, c.name, v.version"
				 " FROM sim_versions v JOIN customers c ON c.id = v.customer_id"
				 " WHERE v.version > ?1 ORDER BY v.version LIMIT ?2");
	docs = documents_stmt(d);
	if (!cust || !docs)
		goto out;
	sqlite3_bind_int64(cust, 1, after);
	sqlite3_bind_int(cust, 2, limit + 1); /* one more tells whether there is more */
	while ((step = sqlite3_step(cust)) == SQLITE_ROW) {
		cJSON *c, *list;

		if (n == limit) {
			*more = 1;
			continue;
		}
		c = cJSON_CreateObject();
		if (!c || !cJSON_AddItemToArray(customers, c)) {
			cJSON_Delete(c);
			goto out;
		}
		if (identity_into(c, cust) < 0)
			goto out;
		list = documents_json(docs, sqlite3_column_int64(cust, 0));
		if (!list || !cJSON_AddItemToObject(c, "documents", list)) {
			cJSON_Delete(list);
			goto out;
		}
		*next = sqlite3_column_int64(cust, 4);
		n++;
	}
	if (step == SQLITE_DONE)
		rc = 0;
out:
	sqlite3_finalize(cust);
	sqlite3_finalize(docs);
	sim_db_exec(d, "COMMIT");
out_unlock:
	pthread_mutex_unlock(&d->mu);
	return rc;
}

int sim_db_trm(struct sim_db *d, cJSON *trm)
{
	sqlite3_stmt *st;
	int rc = -1, step;

	pthread_mutex_lock(&d->mu);
	st = sim_db_prepare(d, "SELECT valid_from, valid_to, cop_minor_per_usd FROM trm ORDER BY valid_from");
	if (!st)
		goto out;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *t = cJSON_CreateObject();
		char rate[32], from[11], to[11];
		int64_t r = sqlite3_column_int64(st, 2);

		if (!t || !cJSON_AddItemToArray(trm, t)) {
			cJSON_Delete(t);
			goto out;
		}
		snprintf(rate, sizeof rate, "%lld.%02lld", (long long)(r / 100), (long long)(r % 100));
		jf_format_date(sqlite3_column_int(st, 0), from);
		jf_format_date(sqlite3_column_int(st, 1), to);
		if (!cJSON_AddStringToObject(t, "cop_per_usd", rate) ||
		    !cJSON_AddStringToObject(t, "valid_from", from) ||
		    !cJSON_AddStringToObject(t, "valid_to", to))
			goto out;
	}
	if (step == SQLITE_DONE)
		rc = 0;
out:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&d->mu);
	return rc;
}
