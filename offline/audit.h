/* audit — the kiosk's append-only, hash-chained audit log (store schema 7, docs/store.md
 * "The audit chain"). One table, `audit`: the coupon rows the outbox writes and every
 * maintenance action; each row stores SHA-256 over the previous row's hash and its own
 * content, so a changed, removed or reordered row breaks the chain from there on. SQLite
 * triggers refuse UPDATE and DELETE; the retention job never touches the table.
 *
 * No personal data: action, result and detail are codes ("pin.wrong", "ok",
 * "tries_left=3"), never a name, an ID number or a phone; store_audit_append refuses text that
 * is not a code. */
#ifndef RECAUDO_AUDIT_H
#define RECAUDO_AUDIT_H
#include <stddef.h>
#include <stdint.h>
#include "store.h"

#define AUDIT_HASH_HEX 64     /* lowercase hex of a SHA-256 */
#define AUDIT_ACTION_MAX 40   /* bytes, without the NUL */
#define AUDIT_RESULT_MAX 24
#define AUDIT_DETAIL_MAX 120

/* The maintenance.action event's subject (offline/outbox.h OUTBOX_MAINTENANCE_ACTION): the
 * audit row just written, in the same transaction. */
struct audit_row {
	int64_t id; /* the row's id: its sequence in the chain, from 1, never reused */
	int64_t at; /* epoch seconds */
	const char *action, *result, *detail;
	char prev[AUDIT_HASH_HEX + 1];
	char hash[AUDIT_HASH_HEX + 1];
};

/* Appends one maintenance action at time `at` (epoch seconds; 0: now) as a chained audit row
 * and writes its maintenance.action outbox event, both in one transaction (inside the caller's
 * open transaction, a savepoint): either both exist or neither. action: 1..40 of a-z 0-9 . _ -;
 * result: 1..24 of the same; detail: 0..120 of A-Z a-z 0-9 . _ - = , : / and space, with no run
 * of 6 or more digits (an ID number or a phone looks like that). Returns 0 (and the row's id in
 * *id_out when not NULL), STORE_EINVAL with the field named, or STORE_ERR. */
int store_audit_append(struct store *s, int64_t at, const char *action, const char *result,
		       const char *detail, int64_t *id_out);

/* Recomputes the whole chain. Returns 0 when every row is intact (*rows: how many), 1 when a
 * row is not (*first_bad_id: the first such row; why: "audit row 17: hash does not match its
 * content"), <0 on a database error (store_error). Works on a read-only store. */
int store_audit_verify(struct store *s, int64_t *rows, int64_t *first_bad_id, char *why, size_t n);

/* The chain's head: the last row's hash as lowercase hex. Returns 0, 1 when the table is empty
 * (hex is then 64 zeros: the chain's start), <0 on error. */
int store_audit_head(struct store *s, char hex[AUDIT_HASH_HEX + 1]);

/* ---- for the store's own writers (outbox_write.c, store_schema.c) ---- */

/* Inserts a chained row inside the caller's transaction (no transaction control, no checks of
 * the text). Fills r->id, r->prev and r->hash. Returns 0 or STORE_ERR. */
int audit_insert_chained(struct store *s, struct audit_row *r);
/* The migration to schema 7: chains the rows written before it, in id order. */
int audit_chain_existing(struct store *s);
#endif
