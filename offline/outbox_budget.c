/* outbox_unsynced_cop: what the kiosk has issued that the server has not acknowledged, for
 * the offline limits (outbox.h). It is read from outbox_totals (store migration 5), which
 * triggers keep in the same transaction as every outbox write: one row read, whatever the
 * queue's length. The sum over the events' own payloads (what the triggers add up) is the
 * fallback when that row is missing or holds something that is not a whole, non-negative
 * number (an overflow past int64 turns SQLite arithmetic to floating point). */
#include <sqlite3.h>

#include "outbox.h"
#include "store_internal.h"

/* The definition of "unacknowledged": pending or in-flight coupon.issued events. */
int outbox_unsynced_cop_scan(struct store *s, int64_t *cop_minor)
{
	sqlite3_stmt *st = NULL;
	int rc = STORE_ERR;
	*cop_minor = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT coalesce(sum(json_extract(payload, '$.amount_minor')), 0) FROM outbox"
			       " WHERE state IN (0, 1) AND type = 'coupon.issued'",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "unsynced total");
	if (sqlite3_step(st) == SQLITE_ROW) {
		*cop_minor = sqlite3_column_int64(st, 0);
		rc = 0;
	} else {
		store_fail_db(s, "unsynced total");
	}
	sqlite3_finalize(st);
	return rc;
}

int outbox_unsynced_cop(struct store *s, int64_t *cop_minor)
{
	sqlite3_stmt *st = store_stmt(s, ST_OUTBOX_TOTAL);
	int rc, ok = 0;

	*cop_minor = 0;
	if (!st)
		return STORE_ERR;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER &&
	    sqlite3_column_int64(st, 0) >= 0) {
		*cop_minor = sqlite3_column_int64(st, 0);
		ok = 1;
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail_db(s, "unsynced total");
		store_stmt_done(st);
		return STORE_ERR;
	}
	store_stmt_done(st);
	return ok ? 0 : outbox_unsynced_cop_scan(s, cop_minor);
}
