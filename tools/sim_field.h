/* sim_field — what the central simulator does with field mode's events (issue 10,
 * docs/field-mode.md "Events", docs/api/contract.md): payment.collected, payment.voided,
 * collection.closed and collection.reopened are checked field by field against the contract and
 * the simulator's state, then APPLIED in the caller's events transaction: a payment lowers the
 * balances of the customer's documents (a document paid to 0 leaves the portfolio, as the
 * store holds only balance > 0), a void gives back exactly what its payment took, and either
 * gives the customer a new change version so GET /v1/portfolio/changes carries the new
 * balances. The receipt numbers seen per (device, agent) make the gaps /admin/stats reports;
 * POST /v1/field-receipts/verify asks for a receipt's state.
 *
 * Tables (sim_field_*, created by sim_field_schema): receipts (one per payment.collected,
 * keyed by (device, agent, number); void_key once voided), their lines (what each took from
 * which document, and the document as it was, to put it back), closes (reopen_key once
 * reopened). Every function expects the caller to hold d->mu (sim_db.h). */
#ifndef RECAUDO_SIM_FIELD_H
#define RECAUDO_SIM_FIELD_H
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_db.h"

#define SIM_FIELD_REASON_MAX 200

/* Creates the tables if missing (in sim_db_open's transaction). 0 or -1. */
int sim_field_schema(struct sim_db *d);

/* 1 when type is one of the four field event types. */
int sim_field_type(const char *type);

/* Checks a field event of `type` sent by dev and, when it passes, applies it inside the
 * caller's open transaction (a savepoint of its own: a rejected event leaves no trace).
 * key is the event's idempotency key (lower case). Returns 0 applied, 1 rejected with a
 * reason naming the field (never quoting an id number or a name), -1 on a database failure. */
int sim_field_apply(struct sim_db *d, const struct sim_device *dev, const char *type, const char *key,
		    const cJSON *payload, char reason[SIM_FIELD_REASON_MAX]);

/* The state of receipt (device, agent, number): "collected", "voided" or "unknown". Takes
 * d->mu itself. 0 or -1. */
int sim_field_receipt_state(struct sim_db *d, const char *device, const char *agent, uint64_t number,
			    const char **state);

/* For /admin/stats (the caller holds d->mu, in its snapshot): appends to `agents` one object
 * per (device, agent) — receipts, voids, closes, reopens, max_number, missing_numbers, gaps
 * [[from, to]…] (at most SIM_GAPS_MAX), unapplied_minor — and to `events` every stored field
 * event as {"key","type"}, by device and outbox seq. 0 or -1. */
int sim_field_stats(struct sim_db *d, cJSON *agents, cJSON *events);
#endif
