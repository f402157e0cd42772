/* outbox_unsynced_cop: what the kiosk has issued that the server has not acknowledged, for
 * the offline limits (outbox.h). Read from the events' own payloads, so it counts exactly
 * what will be sent. */
#include <sqlite3.h>

#include "outbox.h"
#include "store_internal.h"

int outbox_unsynced_cop(struct store *s, int64_t *cop_minor)
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
