/* field_internal — what the field activity (act_field.c) and its screens (app/field_*.c)
 * share: the session's state, the actions, the screen table and the shared drawing pieces.
 * docs/field-mode.md describes the screens and their rules.
 *
 * Ownership: the activity owns struct field (a->field) from enter to leave; a logout wipes
 * everything an agent typed or saw (the keyboard fields, the lists, the receipt) before the
 * login screen is drawn again. Slow work (a login's network call and Argon2id, a supervisor's
 * code, an export to removable storage) runs on the activity's worker (maint_job.h: one job at
 * a time, its own store connection); the store's reads and the collection's one transaction
 * run on the UI thread, as the kiosk's coupon does. */
#ifndef RECAUDO_FIELD_INTERNAL_H
#define RECAUDO_FIELD_INTERNAL_H
#include <stdint.h>

#include "activity.h"
#include "field.h"
#include "field_agents.h"
#include "field_query.h"
#include "field_store.h"
#include "maint.h"
#include "ui_keyboard.h"

enum field_phase {
	FP_LOGIN,   /* field-login */
	FP_HOME,    /* field-home: work list, search */
	FP_CLIENT,  /* field-client: cuotas with filters, selection */
	FP_COLLECT, /* field-collect: cash, change, denominations */
	FP_RECEIPT, /* field-receipt: the receipt done, reprint, void */
	FP_VOID,    /* field-void: reason and supervisor */
	FP_CLOSE,   /* field-close: the day's totals, close, export */
	FP_REPORTS, /* field-reports: earlier days and ranges */
	FP_COUNT
};

/* The activity's actions. */
enum {
	FA_LOGIN = UI_ACT_USER + 1, FA_LOGOUT, FA_LANG, FA_FOCUS /* arg: enum field_input */,
	FA_HOME, FA_SEARCH, FA_SEARCH_CLEAR, FA_BUCKET /* arg: bucket, -1 all */, FA_PAGE /* arg: +-1 */,
	FA_OPEN_CLIENT /* arg: row */, FA_OPEN_FOUND /* arg: row */,
	FA_CUOTA /* arg: row */, FA_F_LINE /* arg: line, -1 all */, FA_F_STATUS /* arg: status */,
	FA_F_CLEAR_DATES, FA_F_DEFAULT_DATES, FA_AMOUNT /* arg: row: edit its amount */, FA_AMOUNT_OK,
	FA_COLLECT, FA_DENOM_PLUS /* arg: denom */, FA_DENOM_MINUS, FA_DENOMS, FA_CONFIRM,
	FA_REPRINT, FA_VOID, FA_VOID_OK, FA_CANCEL, FA_CLOSE_DAY, FA_CLOSE_OK, FA_EXPORT, FA_PRINT,
	FA_REOPEN, FA_REPORTS, FA_R_FROM /* arg: +-1 day */, FA_R_TO, FA_R_LINE /* arg: line, -1 */,
	FA_R_RANGE /* arg: preset */, FA_BACK,
	FA_REOPEN_OK, FA_RETRY_PRINT /* arg: 1 copy */,
};

/* The text inputs, one focused at a time (the keyboard types into it). */
enum field_input { FI_CODE, FI_PASS, FI_SEARCH, FI_REASON, FI_SUP_CODE, FI_SUP_PASS, FI_COUNT };

#define FIELD_LIST_MAX 200   /* rows of a search kept */
#define FIELD_DIGITS_MAX 13  /* an amount typed: whole pesos */

struct field {
	enum field_phase phase;
	struct maint_jobs *jobs;
	int job;                     /* a job is on the worker: its kind (0: none) */
	int dirty;
	int64_t last_input_ms;
	enum lang lang;

	/* the keyboard and its fields */
	struct ui_kbd kbd;
	struct ui_kbd_field in[FI_COUNT];
	enum field_input focus;

	/* who is logged in */
	int logged_in;
	struct field_agent agent;
	int online_login;            /* 1: the server checked the password */
	int64_t unsynced;            /* COP minor collected and not acknowledged (read_unsynced) */
	int64_t lock_until_ms;       /* the login is locked until (app clock) */
	int tries_left;

	/* a message for the agent on the current screen */
	char msg[240];
	enum ui_banner_kind msg_kind;

	/* field-home */
	struct field_worklist wl;
	int wl_loaded;
	int bucket;                  /* -1: every bucket */
	int page;
	struct field_client *found;  /* a search's results (NULL: the work list is shown) */
	int nfound;
	int searching;               /* the search field has the keyboard */

	/* field-client */
	enum id_type ct;
	char cnum[24];
	char cname[96];
	struct field_cuotas cuotas;
	struct field_cuota_filter filter;
	int cpage;
	unsigned char sel[COUPON_MAX_DOCS * 4]; /* by row of cuotas.rows */
	int64_t pay[COUPON_MAX_DOCS * 4];       /* the amount to pay of each selected row */
	int editing;                 /* row whose amount is being typed, -1: none */
	int hidden_owed;             /* owed cuotas the filters hide */
	int day_closed;              /* the agent's day is closed: nothing more is collected */
	char digits[FIELD_DIGITS_MAX + 1];

	/* field-collect */
	char cash[FIELD_DIGITS_MAX + 1];
	int denoms_on;
	int denom_count[FIELD_DENOM_COUNT];

	/* field-receipt / field-void */
	struct field_receipt rc;
	int have_rc;

	/* field-close / field-reports */
	struct field_totals totals;
	int closed;
	int32_t r_from, r_to;
	int r_line;                  /* index into cuotas-like line list, -1 all */
	char r_lines[16][FIELD_LINE_MAX];
	int r_nlines;
	char export_path[512];

	/* field-receipt, field-void, field-close, field-reports (app/field_receipt.c ...) */
	int entered;                 /* set by field_go: the new screen reads what it shows once */
	int rc_paper;                /* the last paper of rc (receipt, copy, void slip): enum field_paper_state */
	char rc_paper_err[160];      /* why it did not print, for the screen */
	int rc_paper_void;           /* that paper is the void slip */
	int x_confirm;               /* field-close: the "close the day?" dialog is up */
	int x_reopen;                /* field-close: the supervisor's code is asked for a reopen */
	int x_print;                 /* the totals' slip: enum field_paper_state, FPS_NONE: none asked */
	char x_print_err[160];
	int x_export;                /* the totals' CSV: 0 none, 1 on the worker, 2 written (export_path), 3 failed */
	int x_export_eject;          /* written: 1 the stick ejected after it, -1 the eject failed, 0 no helper */
	char x_export_err[200];
	int32_t x_loaded;            /* totals (and closed) were read: close: on that day; reports: 1 (0: read again) */
};

/* Where a paper stands on field-receipt / field-close / field-reports. field-collect sets
 * rc_paper = FPS_QUEUED and rc_paper_void = 0 after field_receipt_submit, or FPS_NOT_SENT
 * with rc_paper_err when the receipt could not be queued: field-receipt then offers the
 * original again ("Reimprimir"); after a job that may have reached the paper, a COPIA. */
enum field_paper_state { FPS_QUEUED, FPS_PRINTED, FPS_FAILED, FPS_NOT_SENT, FPS_NONE };

/* A screen: its id for scripts, how it draws and what it does with an event (0: not taken,
 * the activity's defaults apply). */
struct field_screen {
	const char *id;
	void (*draw)(struct app *a, struct ui_rect body);
	int (*handle)(struct app *a, const struct act_event *e);
};
extern const struct field_screen field_login_screen, field_home_screen, field_client_screen,
	field_collect_screen, field_receipt_screen, field_void_screen, field_close_screen,
	field_reports_screen;

/* act_field.c, for the screens */
struct field *field_of(struct app *a);
void field_go(struct app *a, enum field_phase p);
void field_say(struct app *a, enum ui_banner_kind kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Today (YYYYMMDD) and now (epoch s) on the app's clock. */
int32_t field_today(const struct app *a);
int64_t field_now_s(const struct app *a);
/* The device id for receipts: [central] device_id, else "K" + the kiosk id. */
const char *field_device(const struct app *a);
/* Runs fn on the worker (arg: one malloc block, as maint_job_post). 0, or -1 when busy. */
int field_post(struct app *a, int kind, maint_job_fn fn, void *arg);
/* The bar at the top: the agent, connection and data age, unsynced cash, "Cerrar sesión".
 * Returns its height. */
int field_top_bar(struct app *a, const char *title);
/* A keyboard at the bottom of body for the focused field; returns its top. */
int field_keyboard(struct app *a, struct ui_rect body);
/* Applies a keyboard action or typed text to the focused field: 1 if taken. */
int field_type(struct app *a, const struct act_event *e);
/* A labelled text input that focuses on touch; the screen's message as a banner. Heights used. */
int field_input(struct app *a, struct ui_rect r, enum field_input which, const char *label);
int field_message(struct app *a, struct ui_rect r);
/* "Anterior · Página n de m · Siguiente" at (x, y), w wide: FA_PAGE -1 / +1. */
void field_pager(struct app *a, int x, int y, int w, int page, int pages);
/* An amount typed in whole pesos (keypad keys, typed digits, ⌫, Borrar) into buf: 1 if e was one. */
int field_digits(char *buf, size_t cap, const struct act_event *e);
/* field_login.c: reads the tablet's lock (at entry and after a logout). */
void field_login_probe(struct app *a);
/* Loads the work list again (after a login, a collection, a void). */
void field_reload(struct app *a);
/* Opens a client (the cuotas with the default filter) and goes to field-client. */
void field_open_client(struct app *a, enum id_type t, const char *number);
/* Reads the cuotas again with the current filter (keeps nothing selected). */
void field_load_cuotas(struct app *a);
/* The paper's settings for field_print (language, brand, width, key). */
struct field_paper;
void field_paper_of(struct app *a, struct field_paper *p);
/* Money for people. */
void field_money(char *out, size_t n, int64_t minor, enum currency cur);

/* field_void.c, also for field-close's reopen: posts the supervisor's check (FI_SUP_CODE,
 * FI_SUP_PASS; the password leaves its field, posted or not) as job `kind`. 0 posted, -1 with
 * the message said (the agent's own code, bad form, busy, locked). */
int field_supervisor_post(struct app *a, int kind);
/* Its result (ACT_JOB): 1 when e is that job; *ok 1 and sup the supervisor's code when the
 * check passed, else the message is said. */
int field_supervisor_done(struct app *a, const struct act_event *e, int *ok, char *sup, size_t supn);
/* The supervisor's fields' events (focus, typing that clears a message read, Enter from a field
 * to the next): 1 taken, 2 the agent asked to go on (ok_action, or Enter on the password), 0
 * not taken. And their drawing from y: code | password | Cancelar | ok (stacked in portrait),
 * then the message in the keyboard's place, or the keyboard. */
int field_supervisor_keys(struct app *a, const struct act_event *e, int ok_action);
void field_supervisor_form(struct app *a, struct ui_rect body, int y, const char *ok, enum ui_style st, int ok_action);
/* field_close.c, also for field-reports: the totals as rows and a summary inside r (returns
 * the height used); the CSV export on the worker and its result; the print's result. */
int field_totals_draw(struct app *a, struct ui_rect r, const struct field_totals *t);
int field_export_post(struct app *a, int32_t from, int32_t to, const char *line);
int field_export_done(struct app *a, const struct act_event *e);
void field_totals_print(struct app *a, int is_close, const char *line);
int field_totals_print_done(struct app *a, const struct act_event *e);
/* The paper's and the file's state as banners (returns the height used). */
int field_totals_status(struct app *a, struct ui_rect r);
#endif
