/* sync — the sync worker: one thread, the only drainer of the outbox. It sends pending events
 * in batches of up to 100 over one reused connection, applies per-item results, backs off
 * exponentially with jitter (honouring Retry-After), refreshes the portfolio by cursor and the
 * TRM in the background, and sends heartbeats. Progress reaches the UI through a callback
 * (called on the worker thread: post an SDL user event from it, do not touch the UI).
 *
 * Timeline of one round: claim batch -> POST /v1/events -> ack/dead/release each -> repeat
 * while there is more; then portfolio changes + TRM (every refresh_s), heartbeat (every
 * heartbeat_s); then sleep until the next due time, a "sync now" or a new event. */
#ifndef RECAUDO_SYNC_H
#define RECAUDO_SYNC_H
#include <stdint.h>
#include "api.h"

/* The sync worker's link budget (docs/sync.md): a long handshake allowance and a low-speed
 * limit rather than a short total timeout, so that a link with seconds of latency (a rural
 * branch on a cellular modem) still drains; a stalled one is still given up. */
#define SYNC_CONNECT_TIMEOUT_MS 30000 /* TCP + TLS handshake ([central] sync_connect_timeout_ms) */
#define SYNC_LOW_SPEED_TIME_S 30      /* < 1 byte/s for this long: stalled ([central] sync_low_speed_s) */
#define SYNC_TIMEOUT_MS 300000        /* a cap on one request, whatever its speed */

struct sync_config {
	struct api_config api;     /* 0 in connect_timeout_ms, timeout_ms, low_speed_time_s:
				    * the SYNC_* defaults above */
	char db_path[512];
	char lock_path[512];       /* "" or a file to flock while the worker runs (one drainer per
				    * store); the worker waits for it before its first round */
	int refresh_s;             /* portfolio/TRM refresh period, default 300 */
	int heartbeat_s;           /* default 60 */
	int backoff_min_ms;        /* default 1000 */
	int backoff_max_ms;        /* default 300000 */
	const char *version;
};

struct sync_report {
	int online;                /* last exchange with the server succeeded */
	int64_t last_sync;         /* epoch s */
	int64_t queue_depth;
	int64_t dead;
	int64_t oldest_unsynced;   /* epoch s, 0 if none */
	char last_error[200];      /* empty when online */
	uint64_t rounds;           /* rounds finished since start (drain, refresh, heartbeat) */
};

struct sync;

/* Starts the worker. notify(user, report) is called from the worker after each round that
 * changed something. Returns NULL with err. Stop with sync_stop. */
struct sync *sync_start(const struct sync_config *cfg, void (*notify)(void *user, const struct sync_report *r),
			void *user, char *err, size_t errn);
/* Wakes the worker now (a coupon was issued, or a technician pressed "sync now"). */
void sync_kick(struct sync *s);
/* The printer to report in heartbeats (copied): its state ("ready", "paper_out", ...), the
 * outcome of its last job ("none", "printed", "incomplete", ...) and the detail it reported
 * (""/NULL for none). The words are the driver's (printer_state_name, printer_job_name). */
void sync_set_printer(struct sync *s, const char *state, const char *job, const char *detail);
/* Latest report (thread-safe copy). */
void sync_get_report(struct sync *s, struct sync_report *out);
/* Abandons the current request (within about a second), stops and frees. */
void sync_stop(struct sync *s);
#endif
