/* store_update — an update of the kiosk's software held back while money is unsent
 * (docs/operations.md "recaudo update-wait"). `recaudo update-wait` records the hold in the
 * store's meta table while it waits, the sync worker's heartbeat reports it (docs/sync.md
 * "The update field"), and the hold is cleared when the wait ends, either way.
 *
 * Money events are the outbox events that carry money: coupon.issued, payment.collected,
 * payment.voided and collection.closed (the field day's cash totals). Maintenance, account
 * (contact.updated), e-mailed coupons and collection.reopened carry none and never hold an
 * update. Only pending and in-flight ones count: a dead letter is never acknowledged by
 * itself, so it does not hold an update forever; it is counted apart for the technician
 * (`recaudo queue`). Functions return 0, 1 for "none" where said, or <0 (STORE_ERR) with
 * store_error() set. */
#ifndef RECAUDO_STORE_UPDATE_H
#define RECAUDO_STORE_UPDATE_H
#include <stdint.h>

#include "store.h"

#define STORE_UPDATE_VERSION_MAX 32 /* characters of a held version */

struct store_update_hold {
	char version[STORE_UPDATE_VERSION_MAX + 1];
	int64_t since;        /* epoch s the wait began */
	int64_t money_events; /* unacknowledged money events when last written */
};

/* 1 when v is a version that may be held: 1..32 characters of [A-Za-z0-9.+~:_-] (a Debian
 * version, a bundle's), else 0. */
int store_update_version_ok(const char *v);
/* Records (or rewrites) the hold: STORE_EINVAL for a bad version, a negative since or count. */
int store_update_hold_set(struct store *s, const char *version, int64_t since, int64_t money_events);
/* The hold into *out: 0; 1 when none is recorded (*out zeroed); <0. */
int store_update_hold_get(struct store *s, struct store_update_hold *out);
/* Removes the hold (none recorded: also 0). */
int store_update_hold_clear(struct store *s);
/* Money events not yet acknowledged (pending or in flight) into *unacked, and dead money
 * letters into *dead (either may be NULL). */
int store_money_events_count(struct store *s, int64_t *unacked, int64_t *dead);
#endif
