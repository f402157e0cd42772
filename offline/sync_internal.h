/* sync_internal — what the sync worker's files share: sync.c (the thread, heartbeat),
 * sync_backoff.c (the wait after a failed round), sync_drain.c (the outbox drain) and sync_refresh.c (the portfolio/TRM refresh and its import
 * transactions).
 * The unit tests reach the refresh through here too. */
#ifndef RECAUDO_SYNC_INTERNAL_H
#define RECAUDO_SYNC_INTERNAL_H
#include <stddef.h>
#include <stdint.h>
#include "api.h"
#include "outbox.h"
#include "store.h"

/* Outcomes besides enum api_status: the kiosk's own database failed. */
enum { SYNC_ERR_LOCAL = -100 };

#define SYNC_PAGES_PER_ROUND 20 /* then drain again before the next pages */

/* "recaudo: sync: <message>" on stderr, one line (a server's text is cut at its first line). */
void sync_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The wait after the failures-th consecutive failed round, in ms: uniform in [min_ms, cap]
 * ("full jitter"), cap doubling from min_ms with each failure up to max_ms (min_ms <= max_ms,
 * both > 0); never less than the server's Retry-After. */
int64_t sync_backoff_ms(int min_ms, int max_ms, int failures, int retry_after_s);

/* Sends pending events in batches until none is left, the server fails or *cancel. On a
 * failure the batch goes back to pending; *reopen = 1 when rows may be left in_flight (the
 * worker then reopens its outbox handle, whose first claim puts them back). results is
 * OUTBOX_BATCH_MAX long. Returns an api_status or SYNC_ERR_LOCAL, with err set on failure. */
int sync_drain(struct outbox *ob, struct api *api, struct api_item_result *results, const _Atomic int *cancel,
	       int *sent, int *changed, int *reopen, char *err, size_t errn);

/* GET /v1/trm into the store: one import transaction, begun once the answer is here,
 * committed without touching data_as_of (rates are not portfolio data), rolled back on any
 * failure. Returns an api_status (a store failure is API_ERR_PROTOCOL) with err set. */
int sync_import_trm(struct api *a, struct store *st, char *err, size_t errn);
/* One page of portfolio changes from cursor into the store, all or nothing; the page with
 * more = 0 sets data_as_of to the server's as_of, pages before it leave it alone. On API_OK
 * next (next_n bytes) and *more say where the next page starts. */
int sync_import_changes(struct api *a, struct store *st, const char *cursor, char *next, size_t next_n,
			int *more, char *err, size_t errn);
/* A refresh: the TRM, then up to SYNC_PAGES_PER_ROUND pages from the cursor saved in the
 * store's meta table for base_url, saving it after each page; stops early while *cancel.
 * *sent once anything went through, *changed once a page was applied, *more if pages remain.
 * Returns an api_status or SYNC_ERR_LOCAL, with err set on failure. */
int sync_refresh_pages(struct api *a, struct store *st, const char *base_url, const _Atomic int *cancel,
		       int *sent, int *changed, int *more, char *err, size_t errn);
#endif
