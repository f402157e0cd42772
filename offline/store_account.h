/* store_account — what the account services write in the kiosk's store
 * (docs/account-services.md "Events"): a contact update and a coupon sent by e-mail, each an
 * outbox event and its audit row in one transaction (the audit detail names the fields or the
 * coupon's seq, never a value); and the lookup the payment history needs to mark the kiosk's
 * own coupons. Values are taken as typed and put in core/account.h's form first. */
#ifndef RECAUDO_STORE_ACCOUNT_H
#define RECAUDO_STORE_ACCOUNT_H
#include <stdint.h>
#include "store.h"

/* contact.updated for the customer (t, number): the fields that changed (NULL: unchanged; at
 * least one), verified_at the epoch s the code was taken. 0, STORE_EINVAL (a value the rules
 * refuse, nothing changed; store_error says which field, never its value) or STORE_ERR. */
int store_contact_update(struct store *s, enum id_type t, const char *number, const char *phone_or_NULL,
			 const char *email_or_NULL, const char *address_or_NULL, int64_t verified_at);
/* coupon.email_requested for the coupon of seq (its kiosk id and reference read from the
 * store), to email, lang "es" or "en", asked for at (epoch s). 0, STORE_EINVAL (an unknown
 * seq, a refused e-mail or language) or STORE_ERR. */
int store_coupon_email(struct store *s, uint64_t coupon_seq, const char *email, const char *lang, int64_t at);
/* The seq of the kiosk's coupon with this reference issued to this customer (t, number: a
 * NIT as its base): 0 found (*seq set), 1 not found, or another customer's (*seq 0), <0
 * error. The history screen offers a reprint only of the customer's own coupon, whatever
 * the server listed. */
int store_coupon_seq_by_reference(struct store *s, const char *reference, enum id_type t, const char *number,
				  uint64_t *seq);
#endif
