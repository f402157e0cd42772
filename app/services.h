/* services — what the kiosk and the CLI commands share, without SDL: the file-system layout
 * (installed or development), the data directory and its store path, the kiosk key, the full
 * disk's message, the sync lock and the sync worker's start. */
#ifndef RECAUDO_SERVICES_H
#define RECAUDO_SERVICES_H
#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "sync.h"

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
#endif
