/* app — the kiosk's context: configuration, store, printer worker, flow and UI in one struct,
 * and the glue between them (the flow's side effects, input mapping, rendering). The same
 * app runs in a window (app/main.c's loop) and headless on a virtual clock (app/headless.c). */
#ifndef RECAUDO_APP_H
#define RECAUDO_APP_H
#include <SDL.h>
#include "config.h"
#include "flow.h"
#include "lookup.h"
#include "sync.h"
#include "printer.h"
#include "printq.h"
#include "retention.h"
#include "screens.h"
#include "store.h"
#include "ui.h"

/* The headless canvas's pixel format: XRGB8888, what a window's surface has on X11 (24-bit
 * visual) and with SDL's offscreen driver, so headless frames take the window's code paths. */
#define APP_CANVAS_FORMAT SDL_PIXELFORMAT_RGB888

struct app_opts {
	const char *config_path;  /* NULL: defaults */
	const char *data_dir;     /* default "data" */
	const char *assets_dir;   /* default: found next to the binary */
	int demo;                 /* a new store gets the demo portfolio */
	int w, h;                 /* screen size; default 1080x1920 */
	int fullscreen;
	int headless;             /* render to memory, virtual clock */
	int64_t start_ms;         /* headless: virtual epoch ms to start at (0: real now) */
};

enum app_key { APP_KEY_ENTER, APP_KEY_BACKSPACE, APP_KEY_ESCAPE, APP_KEY_DELETE };

struct app {
	struct config cfg;
	char data_dir[256];
	char assets_dir[256];
	struct store *store;
	char db_path[512];
	struct lookup *lk;        /* lookups off the UI thread */
	struct sync *sync;        /* NULL without a central API */
	struct printer *printer;
	struct printq *pq;
	struct retention *ret;    /* the retention pass, at start and daily, on its own thread */
	uint8_t key[32];
	struct flow flow;
	struct flow_fx fx;
	struct ui ui;
	SDL_Window *win;
	SDL_Renderer *ren;
	SDL_Surface *canvas;      /* headless render target, in APP_CANVAS_FORMAT */
	int headless;
	int ttf;                  /* SDL_ttf initialised by app_open */
	int64_t vclock_ms;
	Uint32 wake_type;         /* SDL user event posted by workers */
	struct screen_status st;
	int printer_ok;
	struct printer_status printer_status; /* as the print worker last reported it */
	uint64_t reprint_seq;     /* the receipt offered for reprint after a restart, 0 = none */
	int64_t reprint_until;    /* app clock ms when the offer lapses */
	int dirty;
	unsigned long frames;
};

/* Opens everything; on failure returns -1 with a message for a person in err (and closes
 * what was opened). */
int app_open(struct app *a, const struct app_opts *o, char *err, size_t errn);
void app_close(struct app *a);

int64_t app_now_ms(const struct app *a);
/* Input, in screen pixels. A tap is down then up on the same control. */
void app_pointer_down(struct app *a, int x, int y);
void app_pointer_up(struct app *a, int x, int y);
void app_text(struct app *a, const char *utf8);
/* Mouse wheel / swipe: +1 next page of the list on screen, -1 previous. */
void app_scroll(struct app *a, int pages);
void app_key(struct app *a, enum app_key k);
/* Delivers worker results and due timers to the flow. */
void app_pump(struct app *a);
/* Draws if anything changed. Returns 1 if a frame was drawn. */
int app_render(struct app *a, int force);
/* Saves the current frame as PNG. Returns 0 or -1. */
int app_save_png(struct app *a, const char *path);
/* Re-lays out for a new size (window resize, rotation). */
int app_resize(struct app *a, int w, int h);

/* Shared helpers for the CLI commands. */
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
#endif
