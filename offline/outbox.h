/* outbox — durable events waiting for the central API. Every event gets a UUIDv4
 * idempotency key and a per-device sequence (1, 2, 3…) and is written in the same SQLite
 * transaction as what it describes (a coupon: through the store's commit hook).
 *
 *   pending --outbox_claim--> in_flight --outbox_ack(accepted|duplicate)--> acked
 *                                |      \--outbox_ack(rejected)--> dead (reason kept)
 *                                \--outbox_release (transient failure)--> pending
 *
 * Nothing is deleted before the server acknowledged it. At open, events left in_flight by a
 * crash go back to pending (the server deduplicates by key). The outbox lives in the store's
 * database (tables created by the store's migrations). One drainer at a time: the sync worker
 * owns claim/ack/release; the UI thread only pushes (inside the coupon transaction) and reads
 * stats. Each thread uses its own handle (outbox_open on the same database path). */
#ifndef RECAUDO_OUTBOX_H
#define RECAUDO_OUTBOX_H
#include <stddef.h>
#include <stdint.h>
#include "store.h"

#define OUTBOX_KEY_LEN 36
#define OUTBOX_BATCH_MAX 100
#define OUTBOX_TYPE_MAX 32
#define OUTBOX_PAYLOAD_MAX 16384

enum outbox_state { OUTBOX_PENDING = 0, OUTBOX_IN_FLIGHT = 1, OUTBOX_ACKED = 2, OUTBOX_DEAD = 3 };

struct outbox_event {
	uint64_t seq;                     /* per-device, from 1, no gaps */
	char key[OUTBOX_KEY_LEN + 1];     /* UUIDv4 */
	char type[OUTBOX_TYPE_MAX];       /* "coupon.issued" */
	int64_t at;                       /* epoch seconds */
	char *payload;                    /* JSON object text; owned, freed by outbox_events_free */
	int attempts;
};

/* ---- the writer (outbox_write.c) ---- */

/* The kinds of event the kiosk writes, each with the subject outbox_write takes for it: one
 * entry of the encoder table in outbox_write.c (docs/howto-events.md adds one). */
#define OUTBOX_COUPON_ISSUED "coupon.issued" /* subject: struct outbox_coupon_issued */
struct outbox_coupon_issued {
	const struct coupon *c;
	const struct coupon_request *req; /* its lines and customer */
};

#define OUTBOX_MAINTENANCE_ACTION "maintenance.action" /* subject: struct audit_row (audit.h),
							     * the chained row already written in
							     * the same transaction */

/* Field mode (docs/field-mode.md "Events"; encoders in outbox_field.c), written by
 * offline/field_store.c in the transaction of what they describe. */
struct field_receipt;
struct field_totals;
#define OUTBOX_PAYMENT_COLLECTED "payment.collected" /* subject: struct field_receipt (its
						       * number, client, lines, cash) */
#define OUTBOX_PAYMENT_VOIDED "payment.voided"       /* subject: struct field_receipt with
						       * voided, void_* set; event_key: the
						       * payment.collected's key */
#define OUTBOX_COLLECTION_CLOSED "collection.closed" /* subject: struct outbox_collection_closed */
struct outbox_collection_closed {
	const char *agent, *device_id;
	int32_t day;                      /* YYYYMMDD */
	int64_t closed_at;
	const struct field_totals *totals; /* of the whole day, every line */
};
#define OUTBOX_COLLECTION_REOPENED "collection.reopened" /* subject: struct
							   * outbox_collection_reopened */
struct outbox_collection_reopened {
	const char *agent, *device_id, *supervisor;
	int32_t day;
	int64_t reopened_at;
};

/* Account services (docs/account-services.md "Events"; encoders in outbox_account.c), written
 * by offline/store_account.c. */
#define OUTBOX_CONTACT_UPDATED "contact.updated" /* subject: struct outbox_contact_updated */
struct outbox_contact_updated {
	enum id_type id_type;
	const char *id_number;
	/* what changed, each as core/account.h's parser gives it (a 10-digit mobile, the e-mail
	 * with its domain lowercased, the address trimmed); NULL: unchanged; at least one */
	const char *phone, *email, *address;
	int64_t verified_at;              /* epoch s: when the code was taken */
};
#define OUTBOX_COUPON_EMAIL_REQUESTED "coupon.email_requested" /* subject: struct
								 * outbox_coupon_email */
struct outbox_coupon_email {
	int64_t kiosk_id;
	uint64_t seq;                     /* the coupon's */
	const char *reference;
	const char *email;                /* as account_email_parse gives it */
	const char *lang;                 /* "es" or "en" */
	int64_t at;                       /* epoch s: when it was asked for */
};

/* Writes an event of kind type for subject (the kind's struct above) with its audit row, on
 * store s: inside the caller's open transaction (a savepoint: a failure leaves nothing), or
 * in one IMMEDIATE transaction of its own. Returns 0, STORE_EINVAL (an unknown type, a subject
 * the encoder refuses, a payload the API client could not send) or STORE_ERR. */
int outbox_write(struct store *s, const char *type, const void *subject);

/* outbox_write(s, OUTBOX_COUPON_ISSUED, {c, req}): meant to be called from the store's commit
 * hook (it must run inside the coupon transaction). Returns 0 or <0 (the coupon is then
 * rolled back). */
int outbox_push_coupon(struct store *s, const struct coupon *c, const struct coupon_request *req);

/* Generic push inside the caller's transaction on store s: type + JSON payload (no audit
 * row, no encoder: tests and tools; the kiosk writes through outbox_write). */
int outbox_push(struct store *s, const char *type, int64_t at, const char *payload_json, uint64_t *seq_out);

/* ---- the drainer (outbox.c) ---- */

struct outbox;
/* A separate connection to the same database for the sync worker. Returns NULL with err. */
struct outbox *outbox_open(const char *db_path, char *err, size_t errn);
void outbox_close(struct outbox *o);
const char *outbox_error(const struct outbox *o);

/* Marks up to max (<= OUTBOX_BATCH_MAX) oldest pending events in_flight and returns them in
 * sequence order (also resets in_flight rows left by a crash first). *n = 0 when none.
 * Free with outbox_events_free. Returns 0 or <0. */
int outbox_claim(struct outbox *o, int max, struct outbox_event **out, int *n);
void outbox_events_free(struct outbox_event *ev, int n);
/* Groups the answers to one batch into one transaction (one fsync instead of one per event).
 * A crash before outbox_batch_end(ok=1) leaves them in flight: they are sent again and the
 * server answers "duplicate". end with ok=0 rolls the group back. 0 or <0. */
int outbox_batch_begin(struct outbox *o);
int outbox_batch_end(struct outbox *o, int ok);
/* Server said accepted or duplicate: done. */
int outbox_ack(struct outbox *o, const char *key, int64_t now);
/* Server rejected it: dead letter with the reason (kept for technicians). */
int outbox_dead(struct outbox *o, const char *key, const char *reason, int64_t now);
/* Transient failure: back to pending (attempts+1). */
int outbox_release(struct outbox *o, const char *key);

struct outbox_stats {
	int64_t pending;          /* pending + in_flight: the queue depth */
	int64_t dead;
	int64_t acked;
	int64_t oldest_unsynced;  /* epoch s of the oldest pending/in_flight event, 0 if none */
	int64_t last_sync;        /* epoch s of the last successful exchange, 0 if never */
	uint64_t next_seq;
	int link;                 /* last exchange with the server: 1 ok, 0 failed, -1 never tried */
	char last_error[24];      /* reason code of the last failed exchange ("" if none) */
};
/* Works on either a store (UI thread) or an outbox handle: pass one, the other NULL. */
int outbox_stats_get(struct store *s, struct outbox *o, struct outbox_stats *out);
/* Records a successful exchange with the server (meta last_sync). */
int outbox_mark_sync(struct outbox *o, int64_t now);
/* Records how the last exchange went, for `recaudo status` in another process: online, or
 * offline with a reason code (network, tls, auth, server, protocol; never personal data). */
int outbox_mark_link(struct outbox *o, int online, const char *reason_code);

/* Dead letters for technicians: up to max, newest first; key, type, reason. Free with free(). */
struct outbox_dead_letter {
	char key[OUTBOX_KEY_LEN + 1];
	char type[OUTBOX_TYPE_MAX];
	char reason[200];
	int64_t at;
};
int outbox_dead_list(struct outbox *o, int max, struct outbox_dead_letter **out, int *n);

/* What the kiosk has issued that the server has not acknowledged yet: the sum of the
 * amount_minor of pending and in-flight coupon.issued events (COP minor units). For the
 * offline limits. Read from a running total (store schema 5) kept in the outbox's own
 * transactions, so it costs the same whatever the queue's length. Returns 0 or <0.
 * (offline/outbox_budget.c) */
int outbox_unsynced_cop(struct store *s, int64_t *cop_minor);
/* The same figure summed over every queued event's payload: the definition the running total
 * must equal, O(queue). For tests and `bench`; the kiosk calls outbox_unsynced_cop. */
int outbox_unsynced_cop_scan(struct store *s, int64_t *cop_minor);

/* A new UUIDv4 from getrandom(). */
void outbox_uuid4(char out[OUTBOX_KEY_LEN + 1]);
#endif
