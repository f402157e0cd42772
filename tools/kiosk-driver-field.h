/* kiosk-driver-field — the kiosk driver's field workload (docs/sync-tests.md, `--field-days`):
 * an agent's days of collections on a tablet with no network, written straight through
 * offline/field_store.h on a virtual clock before the sync worker starts, so the drain that
 * follows carries days of payment.collected, one payment.voided and a collection.closed per
 * day. Prints what it wrote on stdout (numbers and days only, never a customer). */
#ifndef RECAUDO_KIOSK_DRIVER_FIELD_H
#define RECAUDO_KIOSK_DRIVER_FIELD_H
#include <stdint.h>

#include "idnum.h"
#include "store.h"

struct customer {
	enum id_type type;
	char number[24];
};

struct field_work {
	const char *device; /* the tablet's X-Device-Id */
	long days, per_day; /* days of work, collections a day */
	int64_t start;      /* the first collection's time (epoch s); each day 24 h later */
	uint64_t (*rng)(void);
};

/* Logs agent 1001 and supervisor 1002 in "online" (their hashes cached, as a login before the
 * trip), then for each day collects per_day times from the customers (one or two COP
 * documents each, paid in full, a document at most once), on the second day voids that day's
 * first receipt with the supervisor, and closes the day. stdout:
 *   field-collected AGENT NUMBER | field-voided AGENT NUMBER | field-closed AGENT YYYYMMDD N
 *   field-done receipts=N voided=N closes=N
 * Returns 0, or -1 with the reason on stderr. */
int field_work_run(struct store *s, const struct field_work *w, const struct customer *cs, int ncs);
#endif
