/* field_store_internal — what field_store.c (collections, receipts, balances) and
 * field_store_day.c (voids, totals, the close) share. Not a public interface. */
#ifndef RECAUDO_FIELD_STORE_INTERNAL_H
#define RECAUDO_FIELD_STORE_INTERNAL_H
#include "field_store.h"
#include "outbox.h"
#include "store_internal.h"

/* An agent's code: 1..16 ASCII letters and digits. */
int field_code_ok(const char *code);
/* A device id: 1..31 of letters, digits, '-', '_', '.' (it is printed in receipt labels). */
int field_device_ok(const char *device_id);
/* Opens the write's IMMEDIATE transaction (refused inside another one, or an import). */
int field_tx_begin(struct store *s);
/* COMMIT when rc is 0, else ROLLBACK (keeping the error); returns 0, rc, or STORE_ERR when
 * the COMMIT failed (rolled back too). */
int field_tx_end(struct store *s, int rc);
/* The idempotency key of the event of `type` that outbox_write just wrote in this
 * transaction: the outbox's last sequence number is that event's (the transaction holds the
 * write lock, the counter only grows). 0 or STORE_ERR. */
int field_last_event_key(struct store *s, const char *type, char key[OUTBOX_KEY_LEN + 1]);
#endif
