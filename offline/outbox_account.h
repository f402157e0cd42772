/* outbox_account — the encoders of the account services' events (docs/account-services.md
 * "Events"), entries of outbox_write.c's encoder table (docs/howto-events.md):
 * contact.updated and coupon.email_requested. Each checks its subject (outbox.h) with
 * core/account.h's rules, builds the payload (cJSON-allocated text, freed by outbox_write),
 * the event's time and the audit detail: which fields, or the coupon's seq, never a phone,
 * an e-mail, an address or an ID number. Returns 0, or STORE_EINVAL / STORE_ERR with the
 * store's error set. */
#ifndef RECAUDO_OUTBOX_ACCOUNT_H
#define RECAUDO_OUTBOX_ACCOUNT_H
#include <stddef.h>
#include <stdint.h>
#include "store.h"

int outbox_encode_contact_updated(struct store *s, const void *subject, char **payload, int64_t *at,
				  char *detail, size_t detail_n);
int outbox_encode_coupon_email(struct store *s, const void *subject, char **payload, int64_t *at,
			       char *detail, size_t detail_n);
#endif
