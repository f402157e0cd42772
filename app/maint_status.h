/* maint_status — the technician's dashboard (Estado) as data, without SDL: gathered once into
 * struct maint_status (maint_status_gather: the printer, a timed signed heartbeat and the
 * central API's certificate, the sync queue, the data's age and the TRM, PRAGMA quick_check,
 * the disk, the version, the uptime and why the kiosk last started), judged line by line
 * (OK / WARN / FAIL / INFO, thresholds below and in docs/maintenance.md "Estado"), worded in
 * either language (maint_status_value), and written as JSON by `recaudo maint status --json`
 * (app/cli_status.c). The screen (app/maint_status.c) gathers it on the maintenance worker,
 * the command in its own process.
 *
 * It also keeps the restart marker: the kiosk notes its start (maint_status_note_start) and
 * its exit (maint_status_note_exit) in the store's meta table; at the next start the marker
 * left tells a clean exit, a technician's restart, or a crash / power cut (no exit noted). */
#ifndef RECAUDO_MAINT_STATUS_H
#define RECAUDO_MAINT_STATUS_H
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "i18n.h"
#include "outbox.h"
#include "printer.h"
#include "store.h"

/* Thresholds (docs/maintenance.md "Estado"). */
#define MS_CERT_WARN_DAYS 30          /* the central API's certificate: amber below, */
#define MS_CERT_FAIL_DAYS 7           /* red below (or expired) */
#define MS_LATENCY_WARN_MS 1000       /* a heartbeat slower than this: amber (lookups wait 3 s) */
#define MS_QUEUE_WARN_AGE_S 3600      /* the oldest unsent event: amber after an hour, */
#define MS_QUEUE_FAIL_AGE_S 86400     /* red after a day */
#define MS_DISK_WARN_PCT 10           /* free space: amber below 10 % of the file system */
#define MS_DISK_WARN_BYTES (256LL << 20) /* or below 256 MB; red below APP_MIN_FREE_BYTES */

/* Same order as enum maint_level (maint.h), which the screen draws. */
enum ms_level { MS_OK, MS_WARN, MS_FAIL, MS_INFO };
enum ms_line {
	MS_PRINTER, MS_NETWORK, MS_API, MS_CERT, MS_QUEUE, MS_DATA, MS_TRM, MS_STORE, MS_DISK,
	MS_SOFTWARE, MS_UPTIME, MS_RESTART, MS_LINES
};
/* Why the kiosk last started: what its previous run left in the marker. */
enum ms_restart {
	MS_RESTART_UNKNOWN,    /* no start noted (the kiosk never ran on this store since the marker existed) */
	MS_RESTART_FIRST,      /* the first start noted on this store */
	MS_RESTART_CLEAN,      /* the previous run ended cleanly (Salir of the window, SIGTERM) */
	MS_RESTART_TECHNICIAN, /* "Reiniciar aplicación" (exit MAINT_RESTART_EXIT) */
	MS_RESTART_CRASH,      /* the previous run noted no exit: a crash, a kill or a power cut */
};
enum ms_exit { MS_EXIT_CLEAN, MS_EXIT_RESTART };

struct maint_status {
	int64_t now;               /* epoch s it was gathered at (the app clock) */
	uint32_t kiosk_id;
	const char *version;       /* RECAUDO_VERSION */
	/* the printer */
	char printer_backend[16];
	int printer_known;         /* printer holds its state: the print worker's, or asked now */
	struct printer_status printer;
	int printer_held;          /* not asked: the running kiosk holds it (the CLI) */
	char printer_why[200];     /* could not be opened: the driver's reason */
	int have_job;              /* the last job the store recorded */
	char job_kind[12], job_state[12];
	int64_t job_at;
	/* the central API */
	int central;               /* one is configured */
	int tls;                   /* its URL is https:// */
	int api_tried;             /* a heartbeat was sent (0: no central, or it could not be set up) */
	int api_rc;                /* its enum api_status */
	int64_t latency_us;
	char api_error[256];       /* why it failed, or why it could not be sent */
	int64_t cert_not_after;    /* epoch s, 0 unknown */
	int cert_expired;
	/* the sync queue, as the store holds it (pending, dead, oldest, the worker's last link) */
	struct outbox_stats ob;
	/* the data */
	int64_t data_as_of;        /* 0: never imported */
	int max_data_age_h;
	int32_t today;             /* YYYYMMDD, local */
	int trm_found;             /* a TRM in force today */
	struct trm trm;
	/* the store and the disk */
	int check_rc;              /* store_quick_check: 0 ok, 1 corrupt, <0 could not run */
	char check_detail[256];
	int schema_version;
	int64_t store_bytes, free_bytes, disk_bytes; /* -1: unknown */
	/* the process */
	int64_t started_at;        /* epoch s the kiosk last started, 0 unknown */
	int running;               /* the kiosk that noted it runs now (1), or not (0) */
	int self;                  /* gathered inside that kiosk */
	enum ms_restart restart;
	int64_t last_exit_at;      /* when it last exited cleanly, 0 if not noted */
	/* the verdicts (maint_status_judge) */
	enum ms_level level[MS_LINES];
};

struct maint_status_in {
	const struct config *cfg;
	const char *data_dir;
	int64_t now;                          /* epoch s */
	const struct printer_status *printer; /* the kiosk's print worker's last report; NULL (the
					       * CLI): asked once when no kiosk runs on this store */
	int in_kiosk;                         /* gathered by the running kiosk itself */
};

/* Gathers everything from store s (quick_check reads every page: a worker's connection, never
 * the UI thread's) and from the central API (one heartbeat, up to the lookup timeouts: never
 * on the UI thread), then judges it. Returns 0; <0 only when the store cannot be read at all
 * (store_error). */
int maint_status_gather(struct store *s, const struct maint_status_in *in, struct maint_status *out);
/* Sets out->level[] from the fields (pure: the thresholds above). */
void maint_status_judge(struct maint_status *st);
/* The worst level of all lines (INFO counts as OK). */
enum ms_level maint_status_overall(const struct maint_status *st);

/* Line i in language l: its label and its value (one line of text, no personal data). */
const char *maint_status_label(enum ms_line i, enum lang l);
void maint_status_value(const struct maint_status *st, enum ms_line i, enum lang l, char *out, size_t n);
/* "ok", "warn", "fail", "info"; the line's JSON name ("printer", "network", ...). */
const char *maint_status_level_name(enum ms_level lv);
const char *maint_status_line_name(enum ms_line i);
const char *maint_status_restart_name(enum ms_restart r);

/* ---- the restart marker (the store's meta table) ---- */
/* At the kiosk's start: reads what the previous run left (clean, restart, or nothing: a crash),
 * records it as the last restart reason with now (epoch s) and this process's id, and marks the
 * run as under way. Returns 0 or <0 (store_error; the kiosk runs on). */
int maint_status_note_start(struct store *s, int64_t now);
/* At the kiosk's exit: a clean exit, or the technician's restart. 0 or <0. */
int maint_status_note_exit(struct store *s, enum ms_exit why, int64_t now);
#endif
