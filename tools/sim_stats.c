/* The counters GET /admin/stats reports (declared in sim_events.h): what tests use to check
 * "exactly one server record per event". */
#include <stdlib.h>

#include "sim_events.h"
#include "sim_field.h"
#include "sim_json.h"

/* One object per device: events stored, their highest outbox seq and how many seqs below it
 * are missing, duplicates and rejections seen, heartbeats and the last one. */
static int devices_json(struct sim_db *d, cJSON *list, int64_t *dups, int64_t *rejected)
{
	sqlite3_stmt *st =
		sim_db_prepare(d, "SELECT v.device_id, v.kiosk_id, v.duplicates, v.rejected, v.heartbeats,"
				  " v.heartbeat_at, v.heartbeat, count(e.key), coalesce(max(e.seq), 0),"
				  " count(DISTINCT e.seq)"
				  " FROM sim_devices v LEFT JOIN sim_events e ON e.device_id = v.device_id"
				  " GROUP BY v.device_id ORDER BY v.device_id");
	int rc = -1, step;

	if (!st)
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *o = sim_json_push_object(list), *hb = NULL;
		int64_t max_seq = sqlite3_column_int64(st, 8), distinct = sqlite3_column_int64(st, 9);
		const unsigned char *hb_text = sqlite3_column_text(st, 6);
		char at[32];

		if (!o)
			goto out;
		*dups += sqlite3_column_int64(st, 2);
		*rejected += sqlite3_column_int64(st, 3);
		if (sim_db_add_text(o, "device_id", st, 0) < 0 ||
		    jf_add_int(o, "kiosk_id", sqlite3_column_int64(st, 1)) < 0 ||
		    jf_add_int(o, "events", sqlite3_column_int64(st, 7)) < 0 ||
		    jf_add_int(o, "max_seq", max_seq) < 0 ||
		    jf_add_int(o, "missing_seqs", max_seq - distinct) < 0 ||
		    jf_add_int(o, "duplicates", sqlite3_column_int64(st, 2)) < 0 ||
		    jf_add_int(o, "rejected", sqlite3_column_int64(st, 3)) < 0 ||
		    jf_add_int(o, "heartbeats", sqlite3_column_int64(st, 4)) < 0)
			goto out;
		if (sqlite3_column_type(st, 5) == SQLITE_NULL) {
			if (!cJSON_AddNullToObject(o, "last_heartbeat_at") ||
			    !cJSON_AddNullToObject(o, "last_heartbeat"))
				goto out;
			continue;
		}
		sim_time_format(sqlite3_column_int64(st, 5), at);
		hb = hb_text ? cJSON_Parse((const char *)hb_text) : NULL;
		if (!cJSON_AddStringToObject(o, "last_heartbeat_at", at) ||
		    !cJSON_AddItemToObject(o, "last_heartbeat", hb ? hb : cJSON_CreateNull())) {
			cJSON_Delete(hb);
			goto out;
		}
	}
	if (step == SQLITE_DONE)
		rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

static int coupons_json(struct sim_db *d, cJSON *list)
{
	sqlite3_stmt *st = sim_db_prepare(d, "SELECT kiosk_id, seq, event_key FROM sim_coupons"
					     " ORDER BY kiosk_id, seq");
	int rc = -1, step;

	if (!st)
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *o = sim_json_push_object(list);

		if (!o)
			goto out;
		if (jf_add_int(o, "kiosk_id", sqlite3_column_int64(st, 0)) < 0 ||
		    jf_add_int(o, "seq", sqlite3_column_int64(st, 1)) < 0 ||
		    sim_db_add_text(o, "key", st, 2) < 0)
			goto out;
	}
	if (step == SQLITE_DONE)
		rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* The maintenance.action events stored, in the order of each device's audit chain: what
 * tests use to see each audit row arrive exactly once. */
static int maintenance_json(struct sim_db *d, cJSON *list)
{
	sqlite3_stmt *st = sim_db_prepare(
		d, "SELECT device_id, json_extract(payload, '$.audit_seq'), json_extract(payload, '$.action'),"
		   " json_extract(payload, '$.result'), key FROM sim_events WHERE type = 'maintenance.action'"
		   " ORDER BY device_id, 2");
	int rc = -1, step;

	if (!st)
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *o = sim_json_push_object(list);

		if (!o)
			goto out;
		if (sim_db_add_text(o, "device_id", st, 0) < 0 ||
		    jf_add_int(o, "audit_seq", sqlite3_column_int64(st, 1)) < 0 ||
		    sim_db_add_text(o, "action", st, 2) < 0 || sim_db_add_text(o, "result", st, 3) < 0 ||
		    sim_db_add_text(o, "key", st, 4) < 0)
			goto out;
	}
	if (step == SQLITE_DONE)
		rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

cJSON *sim_stats_json(struct sim_db *d)
{
	cJSON *j = cJSON_CreateObject(), *devices, *coupons, *maint, *field, *field_events;
	sqlite3_stmt *st = NULL;
	int64_t dups = 0, rejected = 0, accepted = -1;
	int ok = 0;

	if (!j)
		return NULL;
	devices = cJSON_AddArrayToObject(j, "devices");
	coupons = cJSON_AddArrayToObject(j, "coupons");
	maint = cJSON_AddArrayToObject(j, "maintenance");
	field = cJSON_AddArrayToObject(j, "field");
	field_events = cJSON_AddArrayToObject(j, "field_events");
	pthread_mutex_lock(&d->mu);
	/* one snapshot for all the numbers */
	if (!devices || !coupons || !maint || !field || !field_events || sim_db_exec(d, "BEGIN") < 0)
		goto out_unlock;
	st = sim_db_prepare(d, "SELECT count(*) FROM sim_events");
	if (st && sqlite3_step(st) == SQLITE_ROW)
		accepted = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	ok = accepted >= 0 && devices_json(d, devices, &dups, &rejected) == 0 &&
	     coupons_json(d, coupons) == 0 && maintenance_json(d, maint) == 0 &&
	     sim_field_stats(d, field, field_events) == 0;
	sim_db_exec(d, "COMMIT");
out_unlock:
	pthread_mutex_unlock(&d->mu);
	ok = ok && jf_add_int(j, "accepted", accepted) == 0 &&
	     jf_add_int(j, "duplicates", dups) == 0 && jf_add_int(j, "rejected", rejected) == 0 &&
	     jf_add_int(j, "maintenance_actions", cJSON_GetArraySize(maint)) == 0;
	if (!ok) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}
