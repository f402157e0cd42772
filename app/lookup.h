/* lookup — customer lookups off the UI thread: the central API first (bounded by a short
 * timeout), then the kiosk's own store. One request at a time; a new request replaces one
 * that has not started. Results are polled by the UI loop; `notify` (worker thread) wakes it.
 *
 * Ownership: a polled result's portfolio belongs to the caller (portfolio_free). */
#ifndef RECAUDO_LOOKUP_H
#define RECAUDO_LOOKUP_H
#include <stdint.h>
#include "api.h"
#include "flow.h"

struct lookup;

/* api may be NULL (no central API: local only). The worker opens its own store connection on
 * db_path and its own API handle. Returns NULL with err. */
struct lookup *lookup_open(const char *db_path, const struct api_config *api, long timeout_ms,
			   void (*notify)(void *user), void *user, char *err, size_t errn);
void lookup_request(struct lookup *l, uint64_t req, enum id_type t, const char *number);
/* 1 and *out (with *req) if a result is ready, else 0. Never blocks. */
int lookup_poll(struct lookup *l, uint64_t *req, struct flow_lookup *out);
/* Blocks until no request is pending or running (headless runs). */
void lookup_wait_idle(struct lookup *l);
void lookup_close(struct lookup *l);
#endif
