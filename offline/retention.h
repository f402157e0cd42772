/* retention — keeps the kiosk's disk use bounded (docs/store.md "Retention"): old receipt
 * bytes in the store's print_jobs, old files in the virtual printer's receipts/ folder, and
 * the space they held given back to the file system. Nothing the central API has not
 * acknowledged, and nothing inside the reprint window, is ever removed.
 *
 * retention_run does one pass on the caller's store handle. retention_start runs a pass at
 * start and then every period_s on a worker thread with its own store connection (never on
 * the UI thread); each pass's report comes back through retention_poll, and `notify` (called
 * on the worker) lets the main loop wake up. The first request on that worker is the store's
 * integrity check (store_quick_check) and then the first pass: a store that fails it gets no
 * pass (nothing is written to a corrupt store), and the report says so. */
#ifndef RECAUDO_RETENTION_H
#define RECAUDO_RETENTION_H
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include "store.h"

/* The reprint window: a job or receipt file touched within it is never removed. The kiosk
 * offers "reprint" on the coupon screen during the session and, after a restart, for a job
 * cut short in the 600 s before it, for another 600 s (app/app.c); an hour covers both. */
#define RETENTION_REPRINT_WINDOW_S 3600
#define RETENTION_PERIOD_S 86400

struct retention_policy {
	int64_t max_age_s;          /* receipts older than this go ([retention] days) */
	int64_t print_max_bytes;    /* receipt bytes kept in print_jobs ([retention] print_mb) */
	int64_t receipts_max_bytes; /* bytes kept in receipts_dir ([retention] receipts_mb) */
	int64_t keep_recent_s;      /* RETENTION_REPRINT_WINDOW_S */
	int keep_unacked;           /* 1 with a central API: keep what it has not acknowledged */
	char receipts_dir[PATH_MAX]; /* the virtual printer's folder, "" for none */
};

struct retention_report {
	int rc;                       /* 0, or <0 with error */
	char error[256];
	int checked;                  /* 1: the report of the first request, with the check */
	int check_rc;                 /* store_quick_check: 0 ok, 1 corrupt, <0 could not run */
	char check_detail[256];       /* what the check found (pages, cells: no data) */
	struct store_prune_report jobs;
	int64_t files_removed, file_bytes_removed;
	int64_t files_kept, file_bytes_kept;
	int64_t events_removed;       /* acknowledged outbox events older than max_age_s */
	int64_t vacuum_freed;         /* bytes the database files shrank by */
	struct store_disk disk;       /* after the pass */
};

/* The receipt files of dir (receipt-<seq>[-copia].bin / .png, as the virtual printer names
 * them; other files are left alone): a file modified within keep_recent_s of now, or whose
 * coupon seq is in keep[0..nkeep-1] (ascending), stays; of the others, those older than
 * max_age_s go, then the oldest until the bytes kept are at most max_bytes. Adds its
 * figures to r. 0, or <0 with r->error set (what could be removed before it was). */
int retention_prune_dir(const char *dir, int64_t max_age_s, int64_t max_bytes,
			int64_t keep_recent_s, int64_t now, const uint64_t *keep, size_t nkeep,
			struct retention_report *r);

/* One pass: print jobs, the receipts folder, acknowledged outbox events older than
 * max_age_s, vacuum, disk figures. now is epoch seconds. */
int retention_run(struct store *s, const struct retention_policy *p, int64_t now,
		  struct retention_report *r);

struct retention;
struct retention *retention_start(const char *db_path, const struct retention_policy *p,
				  int64_t period_s, void (*notify)(void *user), void *user,
				  char *err, size_t errn);
/* The report of a pass not read yet: 1 and *out, else 0. Never blocks. */
int retention_poll(struct retention *r, struct retention_report *out);
/* Blocks until the first pass has finished (tests, headless runs). */
void retention_wait_first(struct retention *r);
/* Stops the worker (after the pass under way, if any, has finished) and frees it. */
void retention_stop(struct retention *r);
#endif
