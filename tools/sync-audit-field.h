/* sync-audit-field — the field part of tools/sync-audit.c (issue 10): the tablet's field
 * receipts, voids and closes against the server's field events, and (given the seed portfolio
 * and the device's secret) the server's balances against the seed minus what was paid. */
#ifndef RECAUDO_SYNC_AUDIT_FIELD_H
#define RECAUDO_SYNC_AUDIT_FIELD_H
#include <cjson/cJSON.h>
#include <sqlite3.h>

/* One check's outcome, printed "ok: ..." or "FAIL: ..." and counted (sync-audit.c). */
void verdict(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct audit_server {
	const char *url, *ca, *device, *secret; /* device and secret may be NULL: no balance check */
	const char *portfolio;                  /* the server's seed, or NULL: no balance check */
};

/* The field checks against the open kiosk database and GET /admin/stats; the number of
 * field events the server stores in *server_events. Nothing is checked (and *server_events
 * is 0) when neither side has any field event. */
void field_checks(sqlite3 *db, const cJSON *stats, const struct audit_server *srv, long *server_events);
#endif
