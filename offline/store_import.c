/* store_import — the bulk import transaction: customers, their documents and the TRM table.
 * Every record is validated here, whoever calls (the JSON importer, --demo, gen-portfolio);
 * rejections are STORE_EINVAL with a message that starts with the field name and never
 * quotes an id number or a name. */
#include <stdio.h>
#include <string.h>

#include "field_query.h"
#include "field_store.h"
#include "money_limits.h"
#include "store_internal.h"

/* Amount and TRM ceilings: money_limits.h. */
#define TRM_MAX MONEY_TRM_MAX

static int need_import(struct store *s)
{
	if (!s->importing)
		return store_fail(s, STORE_ERR, "import: store_import_begin was not called");
	return 0;
}

int store_import_begin(struct store *s)
{
	if (s->importing)
		return store_fail(s, STORE_ERR, "import: an import is already in progress");
	if (!sqlite3_get_autocommit(s->db))
		return store_fail(s, STORE_ERR, "import: another transaction is open");
	if (store_exec(s, "BEGIN IMMEDIATE") < 0)
		return STORE_ERR;
	s->importing = 1;
	s->import_customer = 0;
	return 0;
}

void store_import_abort(struct store *s)
{
	if (!s->importing)
		return;
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->importing = 0;
	s->import_customer = 0;
}

static int id_fail(struct store *s, enum id_type t, enum id_error e)
{
	switch (e) {
	case ID_ERR_EMPTY:
		return store_fail(s, STORE_EINVAL, "id_number: is empty");
	case ID_ERR_CHARS:
		return store_fail(s, STORE_EINVAL, "id_number: has characters not allowed for %s",
				  id_type_code(t));
	case ID_ERR_SHORT:
		return store_fail(s, STORE_EINVAL, "id_number: shorter than %d characters for %s",
				  id_min_len(t), id_type_code(t));
	case ID_ERR_LONG:
		return store_fail(s, STORE_EINVAL, "id_number: longer than %d characters for %s",
				  id_max_len(t), id_type_code(t));
	case ID_ERR_DV:
		return store_fail(s, STORE_EINVAL, "id_number: the NIT check digit does not match");
	case ID_OK:
		break;
	}
	return store_fail(s, STORE_EINVAL, "id_number: invalid");
}

int store_import_customer(struct store *s, enum id_type t, const char *number, const char *name)
{
	sqlite3_stmt *st;
	enum id_error e;
	int rc;

	if (need_import(s) < 0)
		return STORE_ERR;
	s->import_customer = 0;
	if ((int)t < 0 || t >= ID_TYPE_COUNT)
		return store_fail(s, STORE_EINVAL, "id_type: unknown document type");
	if (!number)
		return id_fail(s, t, ID_ERR_EMPTY);
	e = id_validate(t, number, -1);
	if (e != ID_OK)
		return id_fail(s, t, e);
	if (strlen(number) >= sizeof ((struct portfolio *)0)->id_number)
		return id_fail(s, t, ID_ERR_LONG);
	if (!name || !name[0])
		return store_fail(s, STORE_EINVAL, "name: is empty");
	if (!domain_text_ok(name, sizeof ((struct portfolio *)0)->name))
		return store_fail(s, STORE_EINVAL,
				  "name: must be UTF-8 text without control characters, at most %zu bytes",
				  sizeof ((struct portfolio *)0)->name - 1);

	st = store_stmt(s, ST_CUSTOMER_UPSERT);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, id_type_code(t), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, number, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		s->import_customer = sqlite3_column_int64(st, 0);
	else
		store_fail_db(s, "database: writing a customer");
	/* Run the RETURNING statement to completion before the next one. */
	if (rc == SQLITE_ROW && sqlite3_step(st) != SQLITE_DONE) {
		store_fail_db(s, "database: writing a customer");
		s->import_customer = 0;
	}
	store_stmt_done(st);
	if (!s->import_customer)
		return STORE_ERR;
	/* The same transaction keeps the name index (field_query_words.c) and the field
	 * receipts' reflected flag (field_store.h "Effective balances") true to what it writes. */
	if (field_words_index(s, s->import_customer, name) < 0 || field_mark_reflected(s, t, number) < 0) {
		s->import_customer = 0;
		return STORE_ERR;
	}

	st = store_stmt(s, ST_DOCUMENTS_DELETE);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, s->import_customer);
	rc = sqlite3_step(st);
	store_stmt_done(st);
	if (rc != SQLITE_DONE) {
		s->import_customer = 0;
		return store_fail_db(s, "database: replacing a customer's documents");
	}
	return 0;
}

int store_import_document(struct store *s, const struct document *d)
{
	struct document doc;
	char why[200];
	sqlite3_stmt *st;
	int rc;

	if (need_import(s) < 0)
		return STORE_ERR;
	if (!s->import_customer)
		return store_fail(s, STORE_ERR, "import: a document comes before any customer");
	doc = *d;
	if (domain_document_check(&doc, why, sizeof why) < 0)
		return store_fail(s, STORE_EINVAL, "%s", why);
	d = &doc;
	st = store_stmt(s, ST_DOCUMENT_INSERT);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, s->import_customer);
	sqlite3_bind_text(st, 2, d->number, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, d->line, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, d->description, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, d->due);
	sqlite3_bind_text(st, 6, currency_code(d->cur), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, d->invoice);
	sqlite3_bind_int64(st, 8, d->balance);
	sqlite3_bind_int(st, 9, d->partial_ok);
	sqlite3_bind_int64(st, 10, d->min_partial);
	rc = sqlite3_step(st);
	store_stmt_done(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE)
		return store_fail(s, STORE_EINVAL, "number: the customer already has a document with "
						   "this number");
	return store_fail_db(s, "database: writing a document");
}

int store_import_trm(struct store *s, const struct trm *t)
{
	sqlite3_stmt *st;
	int rc;

	if (need_import(s) < 0)
		return STORE_ERR;
	if (t->cop_minor_per_usd <= 0 || t->cop_minor_per_usd > TRM_MAX)
		return store_fail(s, STORE_EINVAL,
				  "cop_per_usd: must be greater than 0 and at most 1000000.00");
	if (!date_valid(t->valid_from))
		return store_fail(s, STORE_EINVAL, "valid_from: not a valid date");
	if (!date_valid(t->valid_to))
		return store_fail(s, STORE_EINVAL, "valid_to: not a valid date");
	if (t->valid_to < t->valid_from)
		return store_fail(s, STORE_EINVAL, "valid_to: before valid_from");
	st = store_stmt(s, ST_TRM_UPSERT);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_int(st, 1, t->valid_from);
	sqlite3_bind_int(st, 2, t->valid_to);
	sqlite3_bind_int64(st, 3, t->cop_minor_per_usd);
	rc = sqlite3_step(st);
	store_stmt_done(st);
	if (rc != SQLITE_DONE)
		return store_fail_db(s, "database: writing a TRM");
	return 0;
}

int store_import_commit(struct store *s, int64_t data_as_of)
{
	sqlite3_stmt *st;
	int rc;

	/* Any failure here rolls the whole import back: nothing is half committed. */
	if (need_import(s) < 0)
		return STORE_ERR;
	if (data_as_of <= 0) {
		store_import_abort(s);
		return store_fail(s, STORE_EINVAL, "as_of: must be a time after 1970");
	}
	st = store_stmt(s, ST_META_SET);
	if (!st) {
		store_import_abort(s);
		return STORE_ERR;
	}
	sqlite3_bind_text(st, 1, "data_as_of", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, data_as_of);
	rc = sqlite3_step(st);
	store_stmt_done(st);
	if (rc != SQLITE_DONE)
		store_fail_db(s, "database");
	return store_import_finish(s, rc == SQLITE_DONE);
}

int store_import_finish(struct store *s, int ok)
{
	char why[sizeof s->err];

	if (!ok || store_exec(s, "COMMIT") < 0) {
		snprintf(why, sizeof why, "%s", s->err);
		store_import_abort(s);
		return store_fail(s, STORE_ERR, "import: commit failed, nothing imported: %s", why);
	}
	s->importing = 0;
	s->import_customer = 0;
	return 0;
}
