/* The field reads (declared in sim_field.h): a receipt's state for POST
 * /v1/field-receipts/verify, and the field part of GET /admin/stats: per (device, agent) what
 * arrived and which receipt numbers did not, and the keys of the field events stored, which
 * tools/sync-audit.c checks against the tablet's store. */
#include <stdio.h>

#include "sim_events.h"
#include "sim_field.h"
#include "sim_json.h"

/* [from, to] ranges of the numbers from 1 to the highest that no receipt has; *missing counts
 * them all (the list stops at SIM_GAPS_MAX ranges). */
static int gaps_of(struct sim_db *d, const char *device, const char *agent, cJSON *gaps, int64_t *missing)
{
	sqlite3_stmt *st = sim_db_prepare(d, "SELECT number FROM sim_field_receipts WHERE device_id = ?1"
					     " AND agent = ?2 ORDER BY number");
	int64_t expect = 1;
	int rc = -1, step, n = 0;

	*missing = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, agent, -1, SQLITE_TRANSIENT);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t v = sqlite3_column_int64(st, 0);

		if (v > expect) {
			*missing += v - expect;
			if (n++ < SIM_GAPS_MAX) {
				cJSON *g = cJSON_CreateArray();

				if (!g || !cJSON_AddItemToArray(gaps, g)) {
					cJSON_Delete(g);
					goto out;
				}
				if (!cJSON_AddItemToArray(g, jf_int_item(expect)) ||
				    !cJSON_AddItemToArray(g, jf_int_item(v - 1)))
					goto out;
			}
		}
		expect = v + 1;
	}
	if (step == SQLITE_DONE)
		rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

static int agents_json(struct sim_db *d, cJSON *list)
{
	/* every (device, agent) with a receipt or a close */
	sqlite3_stmt *st = sim_db_prepare(
		d,
		"WITH who AS (SELECT device_id, agent FROM sim_field_receipts UNION"
		"             SELECT device_id, agent FROM sim_field_closes)"
		" SELECT w.device_id, w.agent,"
		"  (SELECT count(*) FROM sim_field_receipts r WHERE r.device_id = w.device_id AND r.agent = w.agent),"
		"  (SELECT count(void_key) FROM sim_field_receipts r WHERE r.device_id = w.device_id AND r.agent = w.agent),"
		"  (SELECT count(*) FROM sim_field_closes c WHERE c.device_id = w.device_id AND c.agent = w.agent),"
		"  (SELECT count(reopen_key) FROM sim_field_closes c WHERE c.device_id = w.device_id AND c.agent = w.agent),"
		"  (SELECT coalesce(max(number), 0) FROM sim_field_receipts r"
		"    WHERE r.device_id = w.device_id AND r.agent = w.agent),"
		"  (SELECT coalesce(sum(l.unapplied_minor), 0) FROM sim_field_receipts r JOIN sim_field_lines l"
		"    ON l.event_key = r.event_key WHERE r.device_id = w.device_id AND r.agent = w.agent"
		"    AND r.void_key IS NULL)"
		" FROM who w ORDER BY w.device_id, w.agent");
	static const char *const counts[] = {"receipts", "voids", "closes", "reopens", "max_number"};
	int rc = -1, step;

	if (!st)
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *o = sim_json_push_object(list), *gaps;
		int64_t missing;

		if (!o)
			goto out;
		if (sim_db_add_text(o, "device_id", st, 0) < 0 || sim_db_add_text(o, "agent", st, 1) < 0)
			goto out;
		for (int i = 0; i < 5; i++)
			if (jf_add_int(o, counts[i], sqlite3_column_int64(st, i + 2)) < 0)
				goto out;
		gaps = cJSON_CreateArray();
		if (!gaps ||
		    gaps_of(d, (const char *)sqlite3_column_text(st, 0),
			    (const char *)sqlite3_column_text(st, 1), gaps, &missing) < 0 ||
		    jf_add_int(o, "missing_numbers", missing) < 0 ||
		    !cJSON_AddItemToObject(o, "gaps", gaps)) {
			cJSON_Delete(gaps);
			goto out;
		}
		if (jf_add_int(o, "unapplied_minor", sqlite3_column_int64(st, 7)) < 0)
			goto out;
	}
	if (step == SQLITE_DONE)
		rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

static int events_json(struct sim_db *d, cJSON *list)
{
	sqlite3_stmt *st =
		sim_db_prepare(d, "SELECT key, type FROM sim_events WHERE type IN ('payment.collected',"
				  " 'payment.voided', 'collection.closed', 'collection.reopened')"
				  " ORDER BY device_id, seq");
	int rc = -1, step;

	if (!st)
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *o = sim_json_push_object(list);

		if (!o)
			goto out;
		if (sim_db_add_text(o, "key", st, 0) < 0 || sim_db_add_text(o, "type", st, 1) < 0)
			goto out;
	}
	if (step == SQLITE_DONE)
		rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

int sim_field_stats(struct sim_db *d, cJSON *agents, cJSON *events)
{
	return agents_json(d, agents) == 0 && events_json(d, events) == 0 ? 0 : -1;
}

int sim_field_receipt_state(struct sim_db *d, const char *device, const char *agent, uint64_t number,
			    const char **state)
{
	sqlite3_stmt *st;
	int rc = -1, step = SQLITE_ERROR;

	*state = "unknown";
	pthread_mutex_lock(&d->mu);
	st = sim_db_prepare(d, "SELECT void_key IS NOT NULL FROM sim_field_receipts WHERE device_id = ?1"
			       " AND agent = ?2 AND number = ?3");
	if (st) {
		sqlite3_bind_text(st, 1, device, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, agent, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, (int64_t)number);
		step = sqlite3_step(st);
	}
	if (step == SQLITE_ROW)
		*state = sqlite3_column_int(st, 0) ? "voided" : "collected";
	if (step == SQLITE_ROW || step == SQLITE_DONE)
		rc = 0;
	sqlite3_finalize(st);
	pthread_mutex_unlock(&d->mu);
	return rc;
}
