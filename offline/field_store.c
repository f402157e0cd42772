/* field_store — the field agent's money in the store (see field_store.h). Issue 10: being built. */
#include "field_store.h"

#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

#define NOT_YET(name) store_fail(s, STORE_ERR, name ": not built yet")

int field_collect(struct store *s, const struct field_collect_req *req, struct field_receipt *out)
{
	(void)req, (void)out;
	return NOT_YET("field_collect");
}
int field_receipt_get(struct store *s, const char *agent, const char *device_id, uint64_t number,
		      struct field_receipt *out)
{
	(void)agent, (void)device_id, (void)number, (void)out;
	return NOT_YET("field_receipt_get");
}
int field_receipts_of_day(struct store *s, const char *agent, const char *device_id, int32_t day,
			  struct field_receipt **out, int *n)
{
	(void)agent, (void)device_id, (void)day;
	*out = NULL, *n = 0;
	return NOT_YET("field_receipts_of_day");
}
int field_void(struct store *s, const char *agent, const char *device_id, uint64_t number,
	       const char *reason, const char *supervisor, int64_t now, int32_t day, struct field_receipt *out)
{
	(void)agent, (void)device_id, (void)number, (void)reason, (void)supervisor, (void)now, (void)day, (void)out;
	return NOT_YET("field_void");
}
int field_totals_get(struct store *s, const char *agent, const char *device_id, int32_t from, int32_t to,
		     const char *line, struct field_totals *out)
{
	(void)agent, (void)device_id, (void)from, (void)to, (void)line;
	memset(out, 0, sizeof *out);
	return NOT_YET("field_totals_get");
}
int field_day_closed(struct store *s, const char *agent, int32_t day)
{
	(void)agent, (void)day;
	return NOT_YET("field_day_closed");
}
int field_close_day(struct store *s, const char *agent, const char *device_id, int32_t day, int64_t now,
		    struct field_totals *out)
{
	(void)agent, (void)device_id, (void)day, (void)now, (void)out;
	return NOT_YET("field_close_day");
}
int field_reopen_day(struct store *s, const char *agent, int32_t day, const char *supervisor, int64_t now)
{
	(void)agent, (void)day, (void)supervisor, (void)now;
	return NOT_YET("field_reopen_day");
}
int field_unsynced_cash(struct store *s, const char *agent, int64_t *cop_minor)
{
	(void)agent;
	*cop_minor = 0;
	return NOT_YET("field_unsynced_cash");
}
int field_unreflected_paid(struct store *s, enum id_type t, const char *number, const char *doc_number,
			   int64_t *minor)
{
	(void)t, (void)number, (void)doc_number;
	*minor = 0;
	return 0 * NOT_YET("field_unreflected_paid");
}
int field_mark_reflected(struct store *s, enum id_type t, const char *number)
{
	(void)s, (void)t, (void)number;
	return 0;
}
