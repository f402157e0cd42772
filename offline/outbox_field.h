/* outbox_field — the encoders of field mode's events (docs/field-mode.md "Events"), entries of
 * outbox_write.c's encoder table (docs/howto-events.md): payment.collected, payment.voided,
 * collection.closed, collection.reopened. Each checks its subject (outbox.h), builds the
 * payload (cJSON-allocated text, freed by outbox_write), the event's time and the audit
 * detail: codes only ("agent=1001 n=42"), never a client's name or ID number. Returns 0, or
 * STORE_EINVAL / STORE_ERR with the store's error set. */
#ifndef RECAUDO_OUTBOX_FIELD_H
#define RECAUDO_OUTBOX_FIELD_H
#include <stddef.h>
#include <stdint.h>
#include "store.h"

int outbox_encode_payment_collected(struct store *s, const void *subject, char **payload, int64_t *at,
				    char *detail, size_t detail_n);
int outbox_encode_payment_voided(struct store *s, const void *subject, char **payload, int64_t *at,
				 char *detail, size_t detail_n);
int outbox_encode_collection_closed(struct store *s, const void *subject, char **payload, int64_t *at,
				    char *detail, size_t detail_n);
int outbox_encode_collection_reopened(struct store *s, const void *subject, char **payload, int64_t *at,
				      char *detail, size_t detail_n);
#endif
