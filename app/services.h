/* services — what the kiosk and the CLI commands share, without SDL: the file-system layout
 * (installed or development), the data directory and its store path, the kiosk key, the full
 * disk's message, the sync lock and the sync worker's start; and the kiosk's open services
 * (struct services): the store, the lookup, sync, print and retention workers and the key,
 * opened and closed together. The workers wake the UI through a plain callback (the app posts
 * an SDL user event from it; a test or another front end passes its own). No SDL here: the
 * source check (tools/checksrc.sh) fails if app/services*.[ch] include it. */
#ifndef RECAUDO_SERVICES_H
#define RECAUDO_SERVICES_H
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "lookup.h"
#include "printer.h"
#include "printq.h"
#include "retention.h"
#include "store.h"
#include "sync.h"

/* The kiosk's services. The caller fills data_dir, demo_portfolio, wake and wake_user, then
 * services_open; everything else is the services' own. */
struct services {
	char data_dir[256];
	char demo_portfolio[600]; /* a new, empty store imports this file ("": none; --demo) */
	void (*wake)(void *user); /* called on a worker thread when it has a result to poll */
	void *wake_user;
	struct store *store;      /* the UI thread's connection */
	char db_path[512];
	struct lookup *lk;        /* lookups off the UI thread */
	struct sync *sync;        /* NULL without a central API */
	struct printer *printer;
	struct printq *pq;
	struct retention *ret;    /* the integrity check, then retention at start and daily */
	uint8_t key[32];          /* the coupon QR key */
	int open;                 /* the store and the workers are open */
	/* The store's integrity check (store_quick_check, the retention worker's first request):
	 * failed on the file identified by store_bad_id; services_recheck_bad closes the services
	 * and keeps them closed until the file changes. */
	int store_bad;
	int store_checking;       /* the file changed: its check is under way */
	int64_t store_bad_id[4];  /* device, inode, size, mtime (ns) when the services closed */
	char store_bad_detail[256]; /* what the check found (no personal data) */
	/* services_open_start's thread: what services_open returned and said */
	pthread_t opener;
	const struct config *opener_cfg;
	int opener_rc;
	char opener_err[256];
};

/* Opens the store (importing demo_portfolio into a new one), the kiosk key, the lookup worker,
 * the sync worker when cfg has a central API, the printer and its queue, and the retention
 * worker (whose first request is the store's integrity check). Returns 0; -1 when the data
 * cannot be opened (the store, a full disk: out of service until it can); -2 for what only a
 * technician's fix of the configuration or the files can cure (a secret others can read, a
 * printer that is not there). On failure everything opened is closed again. cfg is read
 * during the call only. */
int services_open(struct services *s, const struct config *cfg, char *err, size_t errn);
/* services_open on a thread of its own, while the caller does something else (a window's
 * display starts: under QEMU's TCG, or with a big store on a slow disk, the two take their
 * seconds together instead of one after the other). Nothing may touch s, nor write cfg,
 * until services_open_finish; wake may be called in the meantime, before the UI can take
 * it. Returns 0 when the thread started, -1 when it did not (then call services_open). */
int services_open_start(struct services *s, const struct config *cfg);
/* Waits for services_open_start's thread; returns what services_open returned, its message
 * in err (err may be NULL with errn 0). */
int services_open_finish(struct services *s, char *err, size_t errn);
/* Stops the workers, closes the printer and the store, wipes the key. Safe to call twice. */
void services_close(struct services *s);
/* With store_bad: closes the services if open (recording the file's identity) and returns 1
 * while the file is the same; when it changed, clears store_bad, sets store_checking and
 * returns 0 (the caller opens the services again, and the new check runs). 0 without
 * store_bad. */
int services_recheck_bad(struct services *s);

/* Where things live. An installed kiosk follows the Linux file-system layout; a development
 * tree keeps everything beside the sources. Installed when RECAUDO_INSTALLED=1 in the
 * environment or when the binary runs from /usr (e.g. /usr/bin/recaudo); RECAUDO_INSTALLED=0
 * forces the development layout. --config and --data override either (docs/operations.md).
 *
 *               installed                    development
 *   config      /etc/recaudo/recaudo.ini     none: the built-in defaults
 *               (if it exists)
 *   data        /var/lib/recaudo             ./data
 *   assets      /usr/share/recaudo           ../assets next to the binary, then ./assets
 *   logs        stderr (the journal under systemd), both */
struct app_paths {
	int installed;
	const char *config;  /* NULL: built-in defaults */
	const char *data;
	const char *assets;  /* NULL: found next to the binary (app_find_assets) */
};
const struct app_paths *app_paths(void);

/* Makes the data directory (0700; existing store files 0600) and the store's path in db. */
int app_data_paths(const char *data_dir, char *db, size_t dbn, char *err, size_t errn);
int app_find_assets(char *out, size_t n);
/* Reads the coupon QR key; with create, makes <data>/kiosk.key on first run (0600, fsynced
 * with its directory). Refuses a key file others can read. */
int app_load_key(const struct config *c, const char *data_dir, int create, uint8_t key[32], char *err,
		 size_t errn);
/* Takes <data>/sync.lock now (one outbox drainer per store): the fd to close to release it,
 * or -1 with the reason (another process holds it). For `recaudo sync`, which does not wait. */
int app_sync_lock(const char *data_dir, char *err, size_t errn);
/* The API client's settings from the configuration (the secret read from its file). */
int app_api_config(const struct config *cfg, struct api_config *ac, char *err, size_t errn);
/* Starts the sync worker for the store in data_dir, as configured (device secret checked and
 * read); with wait_lock the worker takes <data>/sync.lock itself, waiting for it. Returns NULL
 * with err. Stop with sync_stop. */
struct sync *app_sync_start(const struct config *cfg, const char *data_dir, int wait_lock,
			    void (*notify)(void *user, const struct sync_report *r), void *user, char *err,
			    size_t errn);
/* Below this much free space a failed start is blamed on a full disk. */
#define APP_MIN_FREE_BYTES (8LL * 1024 * 1024)
/* If the disk holding data_dir is (nearly) full, replaces err with a message that says so. */
void app_explain_disk_full(const char *data_dir, char *err, size_t errn);
/* 1 if the disk holding dir has less than APP_MIN_FREE_BYTES free. */
int app_disk_full(const char *dir);
/* Opens the configured printer: [printer] target, or <data_dir>/receipts (made private) for
 * the virtual printer by default. The kiosk's services and `recaudo maint test-page` use it.
 * 0, or -1 with err. */
int app_printer_open(const struct config *cfg, const char *data_dir, struct printer **out, char *err, size_t errn);
#endif
