/* maint — the technician's maintenance mode (docs/maintenance.md).
 *
 * act_maint.c is the activity: the entry (a 3 s press in the top-left corner or Ctrl+Alt+M,
 * held until a customer's session ends), the PIN pad, the menu and the ways out (Salir, 2
 * minutes without input, "Dejar fuera de servicio" with a reason, "Reiniciar aplicación").
 * Each menu screen is its own file, maint_<name>.c, behind struct maint_screen below; the
 * activity owns the screen's state (state_size bytes, zeroed before enter, freed after leave).
 *
 * Slow work — the PIN's hash, the store's checks, the network, files on removable storage —
 * runs on the maintenance worker (maint_job_post), one job at a time, so the UI thread never
 * waits; its result comes back to the screen that posted it as an ACT_JOB event. Every action
 * a technician takes is one audit row and one maintenance.action event (maint_audit). */
#ifndef RECAUDO_MAINT_H
#define RECAUDO_MAINT_H
#include <stddef.h>
#include <stdint.h>

#include "activity.h"
#include "config.h"
#include "ui.h"

struct app;
struct store;

/* A screen's own actions: MAINT_ACT_SCREEN + n (n >= 0, its own numbering). The activity's
 * are below it; the toolkit's keypad actions (UI_ACT_CHAR, ...) reach the screen as they are. */
#define MAINT_ACT_SCREEN (UI_ACT_USER + 256)
/* Without input for this long, the activity leaves by itself (audited maint.idle_exit). */
#define MAINT_IDLE_MS (2 * 60 * 1000)
/* The entry gesture: a press held this long in the top-left MAINT_CORNER_PX square. */
#define MAINT_HOLD_MS 3000
#define MAINT_CORNER_PX 120
/* "Reiniciar aplicación": the process exits with this code; the service manager restarts on
 * it (packaging: Restart=on-failure). */
#define MAINT_RESTART_EXIT 75

struct maint_job_env;
/* A job: runs on the maintenance worker with env (its own store connection, the
 * configuration) and arg (the screen's, one malloc block). Returns the job's result code; msg
 * (msgn bytes, zeroed) is a line for the technician. It may call maint_job_progress. */
typedef int (*maint_job_fn)(struct maint_job_env *env, void *arg, char *msg, size_t msgn);

struct maint_job_env {
	struct store *store;        /* the worker's own connection (NULL: it could not open; the
				     * job then says so) */
	const struct config *cfg;   /* the kiosk's configuration, copied at entry */
	const char *data_dir, *db_path;
	const char *config_path;    /* "" when the kiosk runs on the defaults */
	void *priv;                 /* the worker's (maint_job_progress) */
};
/* From inside a job: a progress line for the screen (an ACT_JOB event with done = 0). pct
 * 0..100, or -1 when unknown. */
void maint_job_progress(struct maint_job_env *env, int pct, const char *msg);

/* What an ACT_JOB event carries (e->job). */
struct maint_job_result {
	maint_job_fn fn;  /* which job */
	void *arg;        /* done: the screen's block back, with what the job wrote into it; freed
			   * with free() after the screen's handle returns (set it to NULL to keep it) */
	int done;         /* 0: a progress report (pct, msg); 1: finished (rc, msg) */
	int rc;
	int pct;
	char msg[256];
};

/* Runs fn(env, arg) on the maintenance worker. arg: one malloc block the job owns until its
 * result comes back (freed if the screen has been left by then). Returns 0, or -1 when a job
 * is already running (arg is then still the caller's). */
int maint_job_post(struct app *a, maint_job_fn fn, void *arg);
/* 1 while a job is queued or running. */
int maint_job_busy(const struct app *a);

/* One screen of the menu. */
struct maint_screen {
	const char *id;     /* screen id for scripts: "maint-status" */
	enum str_id title;  /* its menu button and title ("Estado") */
	size_t state_size;  /* bytes of its state, zeroed before enter */
	void (*enter)(struct app *a, void *st);            /* optional */
	/* Its actions (MAINT_ACT_SCREEN + n, keypad actions, with e->x, e->y where the finger
	 * came up), keys, chars, scrolls, ACT_TICK at its deadline, ACT_JOB, ACT_PRINT_DONE,
	 * ACT_STATUS. "Menú"/Escape and the idle exit are the activity's. */
	void (*handle)(struct app *a, void *st, const struct act_event *e);
	/* App clock ms of its next ACT_TICK; INT64_MAX or NULL: none. */
	int64_t (*next_deadline)(const struct app *a, const void *st);
	/* Draws inside body (below the activity's title bar). */
	void (*draw)(struct app *a, void *st, struct ui_rect body);
	void (*leave)(struct app *a, void *st);            /* optional */
	/* Optional: 1 while the screen needs the whole panel (a white screen for dead pixels, the
	 * touch grid up to the edges): no title bar is drawn and body is the whole screen; the
	 * screen itself then offers the way back (Escape and the idle exit still work). */
	int (*fullscreen)(const struct app *a, const void *st);
};

/* The menu, in order (maint_<name>.c). */
extern const struct maint_screen maint_status_screen;  /* maint-status: Estado */
extern const struct maint_screen maint_printer_screen; /* maint-printer: Impresora */
extern const struct maint_screen maint_queue_screen;   /* maint-queue: Cola de envío */
extern const struct maint_screen maint_totals_screen;  /* maint-totals: Totales */
extern const struct maint_screen maint_data_screen;    /* maint-data: Datos */
extern const struct maint_screen maint_display_screen; /* maint-screen: Pantalla */
extern const struct maint_screen maint_log_screen;     /* maint-log: Registro */
extern const struct maint_screen maint_config_screen;  /* maint-config: Configuración */
extern const struct maint_screen maint_update_screen;  /* maint-update: Software */

/* Appends one audit row (offline/audit.h: codes only, no personal data) with its
 * maintenance.action event, on the UI thread's store connection. Returns 0 or -1 (logged). */
int maint_audit(struct app *a, const char *action, const char *result, const char *detail);

/* Asks for maintenance mode (the gesture, Ctrl+Alt+M): the PIN pad now on attract or out of
 * service, or when the customer's session in progress ends. */
void app_maint_request(struct app *a);
/* For the app: delivers the maintenance worker's progress and results (app_pump); waits for
 * it to be idle (headless runs). No-ops outside maintenance. */
void maint_pump(struct app *a);
void maint_wait_idle(struct app *a);
/* The activity redraws (a screen changed what it shows outside its handle). */
void maint_dirty(struct app *a);

/* ---- drawing pieces shared by the screens (act_maint.c) ---- */
enum maint_level { MAINT_OK, MAINT_WARN, MAINT_FAIL, MAINT_INFO };
/* A status line: a chip with the level's word ("OK", "Aviso", "Falla"; never colour alone),
 * the label and the value (wrapped). Returns the height used. */
int maint_row(struct ui *ui, struct ui_rect r, enum maint_level lv, const char *label, const char *value);
/* A message line under a screen's buttons (the result of the last action). */
int maint_note(struct ui *ui, struct ui_rect r, enum maint_level lv, const char *text);
/* The screen's buttons in a row (landscape) or a grid (portrait) at the bottom of body, all
 * outlined alike: labels[i] with action MAINT_ACT_SCREEN + acts[i], enabled[i] (NULL: all).
 * Returns the rectangle they take. */
struct ui_rect maint_buttons(struct ui *ui, struct ui_rect body, const char *const *labels, const int *acts,
			     const int *enabled, int n);

/* The removable storage directory (config [maintenance] removable_dir, default /media/recaudo). */
const char *maint_removable_dir(const struct app *a);
#endif
