/* account_internal — what the account activity (act_account.c) and its screens
 * (app/account_<name>.c) share: the session's state, the actions, the screen table and the
 * shared pieces (the bar, the title, the message, the keyboard, the worker).
 * docs/account-services.md describes the journey, the routes and the rules.
 *
 * Ownership: the activity owns struct account (a->acct) from enter to leave. The customer's
 * id comes from the held customer session (customer_handoff.h) and is wiped at leave with the
 * token, the code, the typed fields and everything the server sent (account_wipe). Network
 * calls run on the activity's worker (maint_job.h: one job at a time, its own store
 * connection and its own API handle per job, bounded by the lookup budget); their results come
 * back as ACT_JOB to the screen that is current (a screen checks the job is its own). */
#ifndef RECAUDO_ACCOUNT_INTERNAL_H
#define RECAUDO_ACCOUNT_INTERNAL_H
#include <stdint.h>

#include "account.h"
#include "activity.h"
#include "api_account.h"
#include "customer_handoff.h"
#include "maint.h"
#include "ui_keyboard.h"

/* The screens, one file each (their ids are the scripts'). */
enum account_phase {
	AP_SECURITY,    /* services-security: the image and phrase, then "Continuar" (send the code);
			 * or the connection is missing; or no account: "Registrarse" */
	AP_OTP,         /* services-otp: where the code went, the 6 digits, "Reenviar" */
	AP_MENU,        /* services-menu */
	AP_STATEMENT,   /* services-statement: product, month, pages; print / e-mail */
	AP_CERTIFICATE, /* services-certificate: product; print */
	AP_HISTORY,     /* services-history: payments, the kiosk's marked; reprint COPIA */
	AP_CONTACT,     /* services-contact: phone, e-mail, address on the keyboard */
	AP_REGISTER,    /* services-register: e-mail and mobile on the keyboard */
	AP_CHANGE,      /* services-security (change): choose an image, type a phrase */
	AP_EMAIL,       /* coupon-email: the coupon's e-mail on the keyboard (works offline) */
	AP_COUNT
};

/* The activity's actions: above the flow's (the bar's "Salir", "Aa", contrast and language
 * are screen_ev(FEV_...) actions, UI_ACT_USER + a flow event type). */
enum {
	AA_FIRST = UI_ACT_USER + 100,
	AA_BACK,          /* the screen's "Atrás" */
	AA_TO_PAYMENTS,   /* "Volver a mis pagos": the held session goes on */
	AA_CONTINUE,      /* services-security: send the code */
	AA_REGISTER,      /* services-security (no account): to services-register */
	AA_CHANNEL,       /* arg: enum api_channel: where the code goes */
	AA_OTP_OK,        /* services-otp: check the typed code */
	AA_RESEND,
	AA_MENU,          /* arg: enum account_phase: a service */
	AA_PRODUCT,       /* arg: index into products */
	AA_MONTH,         /* arg: 0 = this month, 1 = the one before … 11 */
	AA_PAGE,          /* arg: +1 / -1 */
	AA_PRINT,
	AA_SEND_EMAIL,
	AA_FIELD,         /* arg: which keyboard field gets the keyboard */
	AA_SAVE,          /* the screen's confirm: save, register, queue the e-mail */
	AA_IMAGE,         /* arg: security image index */
	AA_REPRINT,       /* arg: index into the history */
	AA_MORE_TIME,     /* the inactivity overlay */
	AA_END,           /* the inactivity overlay's "Terminar", the exit's "Sí, salir" */
	AA_EXIT_KEEP,
	AA_RETRY,         /* try the connection again */
};

/* The keyboard fields, one focused at a time. */
enum account_input { AI_CODE, AI_PHONE, AI_EMAIL, AI_ADDRESS, AI_PHRASE, AI_COUNT };

struct account {
	enum account_phase phase;
	int dirty;
	int64_t last_input_ms;
	int countdown;                 /* "¿Necesita más tiempo?" is up */
	int confirm_exit;              /* "¿Terminar y borrar sus datos?" is up */
	int64_t drawn_ms;              /* when the last frame was drawn (its seconds) */
	const char *end_pending;       /* the session ends when the job under way is back */

	struct customer_handoff who;   /* the held session's customer (wiped at leave) */
	char session[API_ACC_SESSION_LEN + 1]; /* UUIDv4 for the server's send count */
	int online;                    /* the kiosk has a central API configured */

	/* the worker */
	struct maint_jobs *jobs;
	int job;                       /* the job on the worker: its kind (0 none) */
	int jobs_done;                 /* finished jobs (the headless runner's settling) */

	/* the message on the current screen */
	char msg[320];
	enum ui_banner_kind msg_kind;

	/* keyboard */
	struct ui_kbd kbd;
	struct ui_kbd_field in[AI_COUNT];
	enum account_input focus;

	/* what the server said */
	struct api_acc_lookup look;    /* the account, its image and phrase, the masked channels */
	int looked_up;                 /* 1: look is the server's answer */
	int no_connection;             /* the lookup failed for the network or the server */
	enum api_channel channel;
	struct account_otp otp;
	char sent_to[ACCOUNT_MASKED_MAX];
	char token[API_ACC_TOKEN_MAX]; /* "" until verified */
	int verified;

	struct api_acc_products products;
	int products_loaded;
	int product;                   /* index, -1 none chosen */
	int month;                     /* 0 this month .. 11 */
	int page;
	struct api_acc_statement st;
	int have_st;
	struct api_acc_certificate cert;
	int have_cert;
	struct api_acc_history hist;
	int have_hist;
	uint64_t *hist_seq;            /* per payment: the kiosk coupon's seq here (0: not ours) */
	int image;                     /* services-security (change): the image chosen, -1 none */
	int paper;                     /* a paper of this screen is printing (the print job's seq), 0 none */
	char emailed_to[ACCOUNT_MASKED_MAX]; /* coupon-email: where it was queued */
};

/* ACT_JOB events carry the job's kind (account_post) in ch; a screen knows its own by the
 * job's fn (e->job->fn). account_end and account_to_payments free the session: a handler
 * returns at once after either. */

/* A screen: its id for scripts, how it draws inside body (under the bar) and what it does
 * with an event (1: taken, 0: the activity's defaults apply). enter (may be NULL) runs when
 * the screen becomes current. */
struct account_screen {
	const char *id;
	void (*enter)(struct app *a);
	void (*draw)(struct app *a, struct ui_rect body);
	int (*handle)(struct app *a, const struct act_event *e);
	enum str_id say; /* what spoken guidance says on entry (0: only the screen's message) */
};
extern const struct account_screen account_security_screen, account_otp_screen, account_menu_screen,
	account_statement_screen, account_certificate_screen, account_history_screen, account_contact_screen,
	account_register_screen, account_change_screen, account_email_screen;

struct account *account_of(struct app *a);
/* To another screen: its message cleared, the keyboard reset, its enter run. */
void account_go(struct app *a, enum account_phase p);
/* A message on the current screen (printf-style; never personal data but masked values). */
void account_say(struct app *a, enum ui_banner_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The session ends: everything wiped, the customer's session too (attract). why: the audit's. */
void account_end(struct app *a, const char *why);
/* Back to the customer's journey on the screen it left (emailed_to: for the coupon screen). */
void account_to_payments(struct app *a, const char *emailed_to);
/* One audit row (no personal data in detail). */
void account_audit(struct app *a, const char *action, const char *result, const char *detail);

/* A job on the worker: fn(env, arg) with arg a malloc'ed block the handler gets back (and
 * frees with free() after its handle returns). kind: the screen's, to know its results. 0 or
 * -1 (a job is under way). */
int account_post(struct app *a, int kind, maint_job_fn fn, void *arg);
/* From inside a job: an API handle for the configured central API with the lookup budget
 * (3 s to connect, timeout_ms in all), or NULL (none configured, or it cannot be opened).
 * Close with api_close. */
struct api *account_api_open(struct maint_job_env *env, long timeout_ms);
/* The budget of one service call (ms): the lookup's, so an offline kiosk never hangs. */
#define ACCOUNT_CALL_MS 3000
/* A failed call's words for the customer: the connection, the session that expired, … */
const char *account_api_words(int rc);

/* Shared drawing: the bar (the journey's: Salir, Aa, contrast, English) and, under it, a
 * title with "Atrás" (back 1) and returns the y where the body starts; the message banner at
 * y (its height). */
int account_header(struct app *a, struct ui_rect body, const char *title, int back);
int account_message(struct app *a, int x, int y, int w);
/* A labelled keyboard field at y (tap to focus it): its height. */
int account_field(struct app *a, int x, int y, int w, const char *label, enum account_input in, int masked);
/* The on-screen keyboard in the bottom part of body: the top y it took. */
int account_keyboard(struct app *a, struct ui_rect body);
/* The keyboard's actions and a physical keyboard's text to the focused field: 1 if taken. */
int account_kbd_event(struct app *a, const struct act_event *e);
/* services-security / services-otp: sends the code to s->channel on the worker (0, or -1:
 * a job is under way or the sends are used up, said); its answer, on whichever of the two
 * screens is current: 1 if e was it. */
int account_send_code(struct app *a);
int account_send_done(struct app *a, const struct act_event *e);
/* Wipes the server's answers and the typed fields (the token and the id stay). */
void account_wipe_data(struct account *s);
#endif
