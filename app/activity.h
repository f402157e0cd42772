/* activity — what the kiosk is doing: the customer journey, out of service, later the
 * technician's maintenance and the field agent's mode. The app runs one activity at a time
 * from one table; each gets the input, the worker results and the timer ticks, says when it
 * next needs the clock, and draws its screens through ui.h. Adding a mode is adding its files
 * and one row to the table (activity.c). */
#ifndef RECAUDO_ACTIVITY_H
#define RECAUDO_ACTIVITY_H
#include <stdint.h>
#include "ui.h"

struct app;
struct printq_result;
struct flow_lookup;

/* The keys a keyboard, a tactile payment keypad or a scanner sends besides text
 * (docs/accessibility.md has the key map). The app moves the focus itself on TAB, BACKTAB
 * and the arrows, and keeps REPEAT and the volume for speech; the activity gets the rest. */
enum app_key {
	APP_KEY_ENTER, APP_KEY_BACKSPACE, APP_KEY_ESCAPE, APP_KEY_DELETE,
	APP_KEY_TAB, APP_KEY_BACKTAB, APP_KEY_UP, APP_KEY_DOWN, APP_KEY_LEFT, APP_KEY_RIGHT,
	APP_KEY_REPEAT,    /* say the screen again */
	APP_KEY_TEXT_SIZE, /* large text on/off ("Aa") */
	APP_KEY_CONTRAST,  /* high contrast on/off */
	APP_KEY_VOL_UP, APP_KEY_VOL_DOWN,
};

enum act_ev_type {
	ACT_ACTION,      /* a control was tapped: act */
	ACT_KEY,         /* key */
	ACT_CHAR,        /* ch: one ASCII character typed or scanned */
	ACT_SCROLL,      /* pages: +1 next page of the list on screen, -1 previous */
	ACT_TICK,        /* the deadline the activity asked for has come */
	ACT_PRINT_DONE,  /* print: a finished print job */
	ACT_LOOKUP_DONE, /* req, lookup: a finished lookup (the activity may take its portfolio) */
	ACT_STATUS,      /* the kiosk's status (a->st: printer, connection, data, queue) changed */
	ACT_SERVICE,     /* a reason to be out of service may have come (the store's integrity
			  * check failed): leave for out of service when no one is being served */
	ACT_JOB,         /* job: a maintenance job's progress or result (maint.h) */
	ACT_MAINT,       /* a technician asked for maintenance mode (the gesture, Ctrl+Alt+M) */
	ACT_TEXT,        /* text: UTF-8 typed on a physical keyboard (activities with .utf8_text) */
};

struct maint_job_result;

struct act_event {
	enum act_ev_type type;
	struct ui_action act;
	int x, y;        /* ACT_ACTION: where the finger came up, in screen pixels */
	int disabled;    /* ACT_ACTION: the control was drawn disabled (only to an activity with
			  * .disabled_touch): say why it does nothing */
	enum app_key key;
	int ch;
	int pages;
	const struct printq_result *print;
	uint64_t req;
	struct flow_lookup *lookup;
	struct maint_job_result *job;
	const char *text;
	/* ACT_KEY: the control the keyboard focus is on (ui_focus_hit), NULL if none. An activity
	 * that lets Enter press it turns the key into a tap with act_focus_tap. */
	const struct ui_hit *focus;
};

/* Enter on a focused control, as a tap on it: 1 and *tap set, or 0 (not Enter, no focus). A
 * disabled control's tap has .disabled set: only an activity with .disabled_touch acts on it. */
static inline int act_focus_tap(const struct act_event *e, struct act_event *tap)
{
	if (e->type != ACT_KEY || e->key != APP_KEY_ENTER || !e->focus)
		return 0;
	*tap = (struct act_event){.type = ACT_ACTION, .act = e->focus->act, .x = e->focus->r.x + e->focus->r.w / 2,
				  .y = e->focus->r.y + e->focus->r.h / 2, .disabled = e->focus->disabled};
	return 1;
}

/* For an activity whose disabled controls do nothing (no .disabled_touch): its events to fn,
 * with Enter on the focused control as a tap on it, and nothing for a disabled one. */
static inline void act_handle_keys(struct app *a, const struct act_event *e,
				   void (*fn)(struct app *a, const struct act_event *e))
{
	struct act_event tap;
	if (!act_focus_tap(e, &tap))
		fn(a, e);
	else if (!tap.disabled)
		fn(a, &tap);
}

struct activity {
	const char *name;      /* "kiosk", "field", "out-of-service" */
	int mode;              /* 1: chosen with --mode NAME */
	/* NULL callbacks: not available yet (a mode announced for a later version) */
	void (*enter)(struct app *a);
	void (*handle)(struct app *a, const struct act_event *ev);
	/* App clock ms of the next ACT_TICK it needs; INT64_MAX: none (idle costs no CPU). */
	int64_t (*next_deadline)(const struct app *a);
	/* 1 if the activity changed what it shows (the app's own dirty flag covers the rest). */
	int (*dirty)(const struct app *a);
	void (*draw)(struct app *a);
	void (*leave)(struct app *a);
	/* The screen's id for scripts (expect-screen). */
	const char *(*screen)(const struct app *a);
	/* Optional, for an activity with a worker of its own: deliver its results (called by
	 * app_pump), say whether a job is queued or running, and wait until none is (headless
	 * runs settle on it). */
	void (*pump)(struct app *a);
	int (*busy)(const struct app *a);
	void (*wait_idle)(struct app *a);
	/* 1: typed text arrives whole as ACT_TEXT (names with ñ and accents); 0: as ACT_CHAR, one
	 * ASCII character at a time (IDs, amounts, a scanner). */
	int utf8_text;
	/* Optional: on a new screen while the keyboard is in use, focus its first control
	 * (ui_focus_set); 1 if it did. NULL or 0: no focus until a key moves it. */
	int (*focus_home)(struct app *a);
	/* Optional: the words spoken guidance says for the screen (focus NULL: on entry, and on
	 * "repeat") or for the focused control (NULL callback: its label). personal 0: the sound
	 * goes to a loudspeaker, so no name, ID or amount. Writes a NUL-terminated text to out. */
	void (*speak)(struct app *a, const struct ui_hit *focus, int personal, char *out, size_t n);
	/* 1: a touch on a disabled control arrives as ACT_ACTION with .disabled set (the customer
	 * journey says why it does nothing); 0: it does nothing at all. */
	int disabled_touch;
	/* 1: "*" and "#" typed are a payment keypad's repeat and large-text keys (the customer's);
	 * 0: they are text (a technician's support line, a PIN). */
	int keypad_keys;
};

extern const struct activity act_customer;
extern const struct activity act_out_of_service;
extern const struct activity act_maint;
extern const struct activity act_field;
extern const struct activity act_account;

/* The mode a kiosk runs without --mode. */
#define ACTIVITY_DEFAULT_MODE "kiosk"
/* The --mode table: the activity a mode starts, or NULL if the name is unknown. */
const struct activity *activity_mode(const char *name);
/* "kiosk, field": the valid --mode names, for messages. */
void activity_mode_names(char *out, size_t n);
static inline int activity_available(const struct activity *act) { return act && act->handle != NULL; }
#endif
