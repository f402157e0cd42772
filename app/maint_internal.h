/* maint_internal — what act_maint.c (the activity's logic) and maint_draw.c (its own screens:
 * the PIN pad, the menu, the out-of-service reasons, the restart question) share. Not for the
 * menu's screens: they see maint.h only. */
#ifndef RECAUDO_MAINT_INTERNAL_H
#define RECAUDO_MAINT_INTERNAL_H
#include "maint.h"
#include "maint_job.h"
#include "maint_pin.h"
#include "audit.h"

enum maint_phase { PH_PIN, PH_MENU, PH_SCREEN, PH_OOS, PH_RESTART };

/* The activity's own actions (below MAINT_ACT_SCREEN). */
enum {
	MA_ENTER = UI_ACT_USER + 1, MA_CANCEL, MA_MENU, MA_EXIT, MA_OPEN /* arg: screen */, MA_LANG,
	MA_OOS, MA_OOS_REASON /* arg: reason */, MA_BACK_IN, MA_RESTART, MA_RESTART_YES
};

/* The menu's screens, in order (act_maint.c). */
#define MAINT_NSCREENS 9
extern const struct maint_screen *const maint_screens[MAINT_NSCREENS];

/* Out-of-service reasons: the code kept in the store's meta (and the audit), the label. */
#define MAINT_NREASONS 5
struct maint_reason {
	const char *code;
	enum str_id label;
};
extern const struct maint_reason maint_reasons[MAINT_NREASONS];

/* The activity's own notes: a task under way (nothing else may start), leaving after it. */
enum maint_busy_note { BUSY_NONE, BUSY_WAIT, BUSY_LEAVING };

enum pin_state { PIN_UNKNOWN, PIN_OPEN, PIN_LOCKED, PIN_NOT_SET, PIN_ERROR };
struct maint {
	enum maint_phase phase;
	const struct maint_screen *scr; /* PH_SCREEN */
	void *st;                       /* its state */
	struct maint_jobs *jobs;
	char pin[MAINT_PIN_MAX_LEN + 1];
	int pin_len;
	enum pin_state pin_state;
	int checking;                   /* a PIN check (or a probe) is on the worker */
	int probed;                     /* the entry's probe came back (audited once) */
	int tries_left;                 /* after a wrong PIN, or on entry after some; 0: not shown */
	enum maint_busy_note busy_note; /* shown on the menu and the pad */
	int64_t unlock_at_ms;           /* PIN_LOCKED: app clock ms when the lock ends */
	int64_t count_ms;               /* PIN_LOCKED: the countdown's next redraw */
	int bad_length;
	int demo;                       /* the demo PIN is set */
	char oos_reason[32];            /* the technician's out-of-service flag ("": in service) */
	/* A screen left while its job ran: kept until the result comes, which its handle then
	 * takes (the action's audit row, a live setting) before it is freed. */
	const struct maint_screen *orphan;
	void *orphan_st;
	/* Leaving asked while a job runs ("Salir", "Cancelar", the idle exit, a restart): the
	 * audit action, done when the result has been taken. The UI never waits for it. */
	const char *leaving;
	/* Audit rows asked for while a job holds the store (an import's transaction): written,
	 * in order and with their own time, when it ends. */
	struct {
		int64_t at;
		char action[AUDIT_ACTION_MAX + 1], result[AUDIT_RESULT_MAX + 1], detail[AUDIT_DETAIL_MAX + 1];
	} held[16];
	int nheld;
	int64_t last_input_ms;
	enum lang lang;                 /* the language when the activity entered */
	int dirty;
};


/* act_maint.c, for the pad: */
void maint_to_phase(struct app *a, enum maint_phase p);
void maint_read_service_flag(struct app *a);
/* The PIN pad (maint_pinpad.c): the check as a job (pin "" only asks the state: not set,
 * locked, or open with the tries left; counts no try); its result; a key or keypad action;
 * "Entrar". */
int maint_pin_job(struct maint_job_env *env, void *arg, char *msg, size_t msgn);
int maint_pin_post(struct app *a, const char *pin);
void maint_pin_done(struct app *a, const struct maint_job_result *r);
void maint_pin_key(struct app *a, const struct act_event *e);
void maint_pin_submit(struct app *a);

/* Draws the activity's current phase (maint_draw.c). */
void maint_draw(struct app *a);
#endif
