/* sim_events — what the central simulator does with what kiosks send: event batches
 * (validated, deduplicated by idempotency key forever, one transaction per batch), the coupon
 * state behind /v1/coupons/verify, heartbeats, and the counters /admin/stats reports. */
#ifndef RECAUDO_SIM_EVENTS_H
#define RECAUDO_SIM_EVENTS_H
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_db.h"
#include "sim_faults.h"

#define SIM_EVENTS_MAX 100 /* per batch (docs/api/contract.md) */
#define SIM_GAPS_MAX 1000  /* gap ranges listed by coupon verification */

/* A UUIDv4 in its canonical 8-4-4-4-12 form (either case), lower-cased into out. 0 or -1. */
int sim_key_parse(const char *s, char out[37]);

/* Handles a batch sent by dev: for each element of `events` appends
 * {"key","status":"accepted"|"duplicate"|"rejected","reason"?} to `results`, in order, and
 * commits the accepted ones with the device's counters in one transaction. A key accepted
 * before is a duplicate and changes nothing; a rejected event is not stored (sending it again
 * is rejected again). faults (may be NULL): its `reject` switch refuses an event not seen
 * before at random ("simulated refusal"), as a server would refuse one it cannot take now.
 * Returns 0, or -1 on a database failure (nothing committed, `results` must be discarded). */
int sim_events_ingest(struct sim_db *d, const struct sim_device *dev, const cJSON *events, int64_t now,
		      struct sim_fault_ctl *faults, cJSON *results);

/* Whether the coupon.issued event for (kiosk, seq) has arrived, and the ranges [from, to] of
 * that kiosk's coupon sequence numbers not received yet below the highest received (at most
 * SIM_GAPS_MAX ranges, lowest first) appended to `gaps`. Returns 0 or -1. */
int sim_coupon_state(struct sim_db *d, uint32_t kiosk, uint64_t seq, int *known, cJSON *gaps);

/* Validates a heartbeat body and stores it as dev's last one. Returns 0, 1 with a reason in
 * why when the body is not a valid heartbeat, or -1 on a database failure. */
int sim_heartbeat_store(struct sim_db *d, const struct sim_device *dev, const cJSON *body, int64_t now,
			char *why, size_t whyn);

/* {"accepted","duplicates","rejected","devices":[…],"coupons":[{"kiosk_id","seq","key"}…]}
 * (docs/central-sim.md); NULL on failure. Free with cJSON_Delete. */
cJSON *sim_stats_json(struct sim_db *d);
#endif
