/* outbox_admin — the send queue for a technician: the maintenance screen "Cola de envío"
 * (app/maint_queue.c) and `recaudo queue list|retry|export` (app/cli_queue.c).
 *
 *   counts      events by state (pending, in flight, acknowledged, dead), the oldest unsynced
 *   dead list   the dead letters with their reason, dates and key; the customer's ID only
 *               masked ("••••5678", core/idnum.h id_mask)
 *   retry       one dead letter back to pending under the SAME idempotency key (the server
 *               deduplicates by key: a retried event is recorded at most once)
 *   export      the unsynced events and the dead letters as one JSON file in a directory
 *               (removable storage), written atomically, personal data masked
 *               (docs/queue-export.md has the format)
 *
 * Everything works on a store connection (the maintenance worker's, the command line's); the
 * sync worker drains on its own and never touches dead rows, so a retry needs no lock with it.
 * No function here touches the network. Messages never hold personal data. */
#ifndef RECAUDO_OUTBOX_ADMIN_H
#define RECAUDO_OUTBOX_ADMIN_H
#include <stddef.h>
#include <stdint.h>

#include "outbox.h"
#include "store.h"

struct outbox_counts {
	int64_t pending, in_flight, acked, dead;
	int64_t oldest_unsynced; /* epoch s of the oldest pending or in-flight event, 0 if none */
	int64_t last_sync;       /* epoch s of the last successful exchange, 0 if never */
};
/* One snapshot (one statement). Works on a read-only store. 0 or STORE_ERR (store_error). */
int outbox_admin_counts(struct store *s, struct outbox_counts *out);

/* A masked ID: 4 bullets of 3 bytes and at most 4 characters kept. */
#define OUTBOX_MASKED_MAX 24
/* The server's reason with runs of 6 or more digits masked: at most 199 bytes stored, each
 * digit run of 6+ bytes becomes at most 16. */
#define OUTBOX_REASON_VIEW_MAX 560

struct outbox_dead_view {
	uint64_t seq;
	char key[OUTBOX_KEY_LEN + 1];
	char type[OUTBOX_TYPE_MAX];
	char reason[OUTBOX_REASON_VIEW_MAX];
	int64_t at;      /* the event's own time (epoch s) */
	int64_t dead_at; /* when the server refused it (epoch s), 0 if unknown */
	int attempts;    /* transient failures before the refusal */
	char id_masked[OUTBOX_MASKED_MAX]; /* the payload's id_number masked, "" if it has none */
};
/* Up to max dead letters, newest first. *out: free() it (NULL when *n is 0). Works on a
 * read-only store. 0, STORE_EINVAL (max < 1) or STORE_ERR. */
int outbox_admin_dead(struct store *s, int max, struct outbox_dead_view **out, int *n);

/* How a retry ended; the code is a word for the audit detail. */
enum outbox_retry {
	OUTBOX_RETRY_OK = 0,
	OUTBOX_RETRY_BAD_KEY,  /* "bad_key": not a UUID */
	OUTBOX_RETRY_UNKNOWN,  /* "unknown_key": no event has it */
	OUTBOX_RETRY_NOT_DEAD, /* "not_dead": pending, in flight or acknowledged */
	OUTBOX_RETRY_ERROR,    /* "db_error" */
};
const char *outbox_retry_code(enum outbox_retry r);
/* Puts the dead letter with this key (upper case accepted) back to pending with the same key,
 * sequence and payload, its reason and answer time cleared; the sync worker sends it at its
 * next round. One IMMEDIATE transaction. *seq_out (may be NULL): the event's sequence.
 * Anything but OUTBOX_RETRY_OK changes nothing and says why in why (a sentence with the key,
 * never the payload). */
enum outbox_retry outbox_admin_retry(struct store *s, const char *key, uint64_t *seq_out, char *why,
				     size_t whyn);

/* How an export ended; the code is a word for the audit detail. */
enum outbox_export_rc {
	OUTBOX_EXPORT_OK = 0,
	OUTBOX_EXPORT_NO_DIR,     /* "no_dir": the directory is not there (no stick mounted) */
	OUTBOX_EXPORT_NOT_DIR,    /* "not_dir": the path is not a directory */
	OUTBOX_EXPORT_READ_ONLY,  /* "read_only": a file cannot be created in it */
	OUTBOX_EXPORT_WRITE,      /* "write_failed": writing, syncing or renaming failed (full) */
	OUTBOX_EXPORT_DB,         /* "db_error": the queue could not be read */
};
const char *outbox_export_code(enum outbox_export_rc r);

struct outbox_export_result {
	char path[1024];      /* the file written */
	int64_t events, dead; /* how many unsynced events and dead letters it holds */
	int64_t bytes;
};
/* Writes DIR/recaudo-queue-kNNNN-YYYYMMDDTHHMMSSZ.json (kiosk_id, now in UTC; "-2".."-9"
 * appended when the name is taken): the counts, every unsynced event and every dead letter,
 * payloads with personal data masked, read in one snapshot. Written to a temporary file in
 * DIR, fsynced, renamed, DIR fsynced: a failure at any step leaves no file behind, and the
 * queue itself is only read. Anything but OUTBOX_EXPORT_OK says why in why. */
enum outbox_export_rc outbox_admin_export(struct store *s, const char *dir, uint32_t kiosk_id, int64_t now,
					  struct outbox_export_result *res, char *why, size_t whyn);

/* For tests and tools: payload (a JSON object's text) with its personal fields masked, as the
 * export writes it (malloc'd, free() it), or NULL (not JSON, out of memory). */
char *outbox_admin_mask_payload(struct store *s, const char *payload);
/* For tests: reason with every run of 6 or more digits masked. */
void outbox_admin_mask_reason(char *dst, size_t n, const char *reason);
#endif
