/* app — the kiosk's context: configuration, the services (services.h, no SDL), flow and UI
 * in one struct, and the glue between them (the flow's side effects, input mapping,
 * rendering). The same app runs in a window (app/main.c's loop) and headless on a virtual
 * clock (app/headless.c). */
#ifndef RECAUDO_APP_H
#define RECAUDO_APP_H
#include <SDL.h>
#include "a11y.h"
#include "account.h"
#include "activity.h"
#include "config.h"
#include "flow.h"
#include "lookup.h"
#include "sync.h"
#include "printer.h"
#include "printq.h"
#include "retention.h"
#include "screens.h"
#include "services.h"
#include "store.h"
#include "timers.h"
#include "ui.h"

/* The headless canvas's pixel format: XRGB8888, what a window's surface has on X11 (24-bit
 * visual) and with SDL's offscreen driver, so headless frames take the window's code paths. */
#define APP_CANVAS_FORMAT SDL_PIXELFORMAT_RGB888

struct app_opts {
	const char *config_path;  /* NULL: defaults */
	const char *data_dir;     /* NULL: app_paths()->data ("data", installed /var/lib/recaudo) */
	const char *assets_dir;   /* default: found next to the binary */
	int demo;                 /* a new store gets the demo portfolio */
	int w, h;                 /* screen size; default 1080x1920 */
	int fullscreen;
	int headless;             /* render to memory, virtual clock */
	int64_t start_ms;         /* headless: virtual epoch ms to start at (0: real now) */
	const char *speech_wav;   /* headless: spoken guidance into WAV files here (tests) */
	const struct activity *home; /* the mode's activity (--mode; activity_mode): where the kiosk
				      * starts and returns after out of service. NULL: the customer's */
};

/* Why the kiosk is out of service (act_out_of_service), in the order they are checked. */
enum oos_reason { OOS_NONE, OOS_STORE, OOS_DISK_FULL, OOS_CLOCK, OOS_TECHNICIAN,
		  OOS_CONFIG /* the data opened but something only a technician can fix did not (a
			      * secret others can read, a printer device that is not there) */ };
/* Out of service, the causes are checked again this often (and nothing else runs). */
#define APP_OOS_RECHECK_MS 15000
/* The store's meta key a technician sets to keep the kiosk out of service (its value: why). */
#define APP_META_OUT_OF_SERVICE "out_of_service"
/* A clock before this (epoch s, 00:00 UTC of the build date, RECAUDO_BUILD_DATE from config.mk)
 * is clearly wrong: no coupon may carry such a date. */
int64_t app_build_date_s(void);

struct app {
	struct config cfg;
	char assets_dir[256];
	struct services svc;      /* data dir, store, workers, key: no SDL (services.h) */
	struct flow flow;
	struct flow_fx fx;
	struct ui ui;
	SDL_Window *win;
	SDL_Renderer *ren;
	SDL_Surface *canvas;      /* headless render target, in APP_CANVAS_FORMAT */
	int headless;
	int ttf;                  /* SDL_ttf initialised by app_open */
	int64_t vclock_ms;
	_Atomic Uint32 wake_type; /* SDL user event posted by workers (read on their threads) */
	struct screen_status st;
	struct printer_status printer_status; /* as the print worker last reported it */
	uint64_t reprint_seq;     /* the receipt offered for reprint after a restart, 0 = none */
	int64_t reprint_until;    /* app clock ms when the offer lapses */
	int dirty;
	unsigned long frames;
	const struct activity *act; /* the one running: input, timers and drawing go to it */
	const struct activity *home; /* the mode's: started at open, returned to when service resumes */
	enum oos_reason oos;      /* out of service: why */
	char oos_detail[1024];     /* for the log: the error behind it */
	int64_t oos_check_ms;     /* app clock ms of the next re-check */
	struct timers timers;     /* what the loop sleeps on: the activity's deadline, the reprint offer */
	int timer_reprint;        /* its id: the offer lapses at reprint_until */
	char config_path[512];    /* the INI file the kiosk read ("" on the defaults) */
	struct maint *maint;      /* maintenance mode's state while it runs (act_maint.c) */
	struct field *field;      /* field mode's session while it runs (act_field.c) */
	int maint_wanted;         /* a technician asked for maintenance during a customer's session */
	int customer_held;        /* the customer's session is lent to the account activity
				   * (customer_handoff.h) */
	struct account *acct;     /* the account activity's session while it runs (act_account.c) */
	/* what outlives one visit to the account services within a customer's session: the
	 * one-time code's counts (3 sends, 3 wrong tries) and the session id the server counts
	 * them by; wiped when the customer's session ends (act_customer.c) */
	struct account_carry {
		int on;
		char session[37];
		struct account_otp otp;
	} acct_carry;
	int exit_code;            /* >= 0: the window loop ends with this code (maint "Reiniciar") */
	/* how long each part of the start took (monotonic ms at its end; [0] the start of
	 * app_open): fonts, display, data; logged with the first frame (app_frame_shown) */
	int64_t start_ms[4];
	int frame_shown;          /* a window's first frame is on screen (app_frame_shown) */
	int hold_active;          /* a finger went down in the maintenance corner and is still down */
	int64_t hold_down_ms;     /* when it went down */
	int timer_hold;           /* its timer: MAINT_HOLD_MS later, maintenance is asked for */
	struct a11y a11y;         /* focus keys, the long press for speech, speech (a11y.h) */
};

/* Opens everything; on failure returns -1 with a message for a person in err (and closes
 * what was opened). */
int app_open(struct app *a, const struct app_opts *o, char *err, size_t errn);
/* A window's frame is on screen. The first time only: one log line of how long the start
 * took, by part (what a technician reads when a kiosk is slow to come up), then speech
 * (app_speech_start), so the attract screen does not wait for it. */
void app_frame_shown(struct app *a);
/* Spoken guidance's engine and output (a11y_speech_open) and the state the screens show of it.
 * app_open calls it for a headless run (wav_dir: --speech-wav); a window's first frame
 * (app_frame_shown), so the attract screen does not wait for espeak-ng and the audio device. */
void app_speech_start(struct app *a, const char *wav_dir);
void app_close(struct app *a);

int64_t app_now_ms(const struct app *a);
/* The clocks a lockout reads (the technician's PIN, the field login): the system's; headless,
 * the virtual clock for both wall and boot time (app/maint_pinpad.c). */
struct maint_pin_clock;
void app_lock_clock(const struct app *a, struct maint_pin_clock *c);
/* Input, in screen pixels. A tap is down then up on the same control. */
void app_pointer_down(struct app *a, int x, int y);
void app_pointer_up(struct app *a, int x, int y);
void app_text(struct app *a, const char *utf8);
/* Mouse wheel / swipe: +1 next page of the list on screen, -1 previous. */
void app_scroll(struct app *a, int pages);
void app_key(struct app *a, enum app_key k);
/* Delivers worker results and due timers to the current activity. */
void app_pump(struct app *a);
/* App clock ms of the next timer in a->timers (the current activity's deadline, the reprint
 * offer's end); INT64_MAX: none. */
int64_t app_next_deadline(const struct app *a);
/* The screen's id for scripts ("attract", "out-of-service", ...). */
const char *app_screen_name(const struct app *a);
/* Leaves the current activity and enters `to`. */
void app_switch(struct app *a, const struct activity *to);
/* Checks whether the kiosk can serve: opens the store and the workers if they are not open,
 * then the disk, the clock and the technician's flag. Sets a->oos (and a->oos_detail) and
 * returns it; OOS_NONE: in service. It may close the services (a store that failed its
 * integrity check): call it only when no one is being served. */
enum oos_reason app_check_service(struct app *a);
/* The technician's switch (next issue's maintenance mode): persists the flag with its reason
 * in the store's meta table and leaves the customer journey (a session in progress is wiped).
 * Returns 0, or -1 if the store is not open or the flag could not be written. */
int app_out_of_service(struct app *a, const char *reason);
/* Clears the flag; the out-of-service screen leaves at its next re-check. Returns 0 or -1. */
int app_return_to_service(struct app *a);
const char *app_oos_name(enum oos_reason r);
/* The flow's print side effects (receipt.c): builds the receipt and its COPIA and queues them;
 * reprints a coupon's COPIA (seq 0: the one offered on attract after a restart). */
int app_fx_print(void *ctx, const struct flow *f);
int app_fx_reprint(void *ctx, uint64_t seq);
/* Re-reads what the attract screen's status line shows (data freshness, sync, printer). */
void app_refresh_status(struct app *a);
/* Draws if anything changed. Returns 1 if a frame was drawn. */
int app_render(struct app *a, int force);
/* Saves the current frame as PNG. Returns 0 or -1. */
int app_save_png(struct app *a, const char *path);
/* Re-lays out for a new size (window resize, rotation). */
int app_resize(struct app *a, int w, int h);

#endif
