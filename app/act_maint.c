/* Maintenance mode as an activity (maint.h, docs/maintenance.md): the PIN pad (maint-pin),
 * the menu (maint-menu), the menu's screens (maint_<name>.c), the out-of-service reasons
 * (maint-out-of-service) and the restart question (maint-restart). The PIN is checked on the
 * maintenance worker (Argon2id takes ~0.2 s); every try and every action is audited. Without
 * input for MAINT_IDLE_MS it leaves by itself; leaving goes home, or out of service when the
 * kiosk cannot serve (the technician's flag included). */
#include "activity.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "audit.h"
#include "maint_internal.h"
#include "usbmedia.h"

const struct maint_screen *const maint_screens[MAINT_NSCREENS] = {
	&maint_status_screen, &maint_printer_screen, &maint_queue_screen,
	&maint_totals_screen, &maint_data_screen,    &maint_display_screen,
	&maint_log_screen,    &maint_config_screen,  &maint_update_screen,
};

const struct maint_reason maint_reasons[MAINT_NREASONS] = {
	{"sin_papel", STR_MT_OOS_PAPER}, {"impresora", STR_MT_OOS_PRINTER}, {"pantalla", STR_MT_OOS_SCREEN},
	{"red", STR_MT_OOS_NETWORK},     {"otro", STR_MT_OOS_OTHER},
};

/* ---- the PIN check on the worker ---- */

/* ---- what the screens call ---- */

static int audit_now(struct app *a, int64_t at, const char *action, const char *result, const char *detail)
{
	if (!a->svc.store) {
		fprintf(stderr, "recaudo: audit %s %s: no store open\n", action, result);
		return -1;
	}
	if (store_audit_append(a->svc.store, at, action, result, detail ? detail : "", NULL) != 0) {
		fprintf(stderr, "recaudo: audit %s %s: %s\n", action, result, store_error(a->svc.store));
		return -1;
	}
	return 0;
}

/* Writes the rows held while a job ran, oldest first. */
static void flush_held(struct app *a)
{
	struct maint *m = a->maint;
	for (int i = 0; i < m->nheld; i++)
		audit_now(a, m->held[i].at, m->held[i].action, m->held[i].result, m->held[i].detail);
	m->nheld = 0;
}

int maint_audit(struct app *a, const char *action, const char *result, const char *detail)
{
	struct maint *m = a->maint;
	/* a job may hold the store's write lock (an import): the row waits for it in memory
	 * rather than the UI thread waiting on the lock */
	if (m && maint_jobs_busy(m->jobs)) {
		if (m->nheld == (int)(sizeof(m->held) / sizeof(*m->held))) {
			fprintf(stderr, "recaudo: audit %s %s: too many rows held while a task runs\n", action, result);
			return -1;
		}
		m->held[m->nheld].at = app_now_ms(a) / 1000;
		snprintf(m->held[m->nheld].action, sizeof(m->held[0].action), "%s", action);
		snprintf(m->held[m->nheld].result, sizeof(m->held[0].result), "%s", result);
		snprintf(m->held[m->nheld].detail, sizeof(m->held[0].detail), "%s", detail ? detail : "");
		m->nheld++;
		return 0;
	}
	return audit_now(a, app_now_ms(a) / 1000, action, result, detail);
}

int maint_job_post(struct app *a, maint_job_fn fn, void *arg)
{
	return a->maint ? maint_jobs_post(a->maint->jobs, fn, arg) : -1;
}

int maint_job_busy(const struct app *a) { return a->maint && maint_jobs_busy(a->maint->jobs); }

void maint_pump(struct app *a)
{
	struct maint_job_result r;
	/* the activity may leave while handling a result: a->maint is read again each time */
	while (a->maint && maint_jobs_poll(a->maint->jobs, &r)) {
		struct act_event ev = {.type = ACT_JOB, .job = &r};
		a->act->handle(a, &ev);
		if (r.done)
			free(r.arg); /* NULL when the screen kept it */
	}
}

void maint_wait_idle(struct app *a)
{
	if (a->maint)
		maint_jobs_wait_idle(a->maint->jobs);
}

void maint_dirty(struct app *a)
{
	if (a->maint)
		a->maint->dirty = 1;
	a->dirty = 1;
}

void app_maint_request(struct app *a)
{
	if (a->act == &act_maint)
		return;
	struct act_event ev = {.type = ACT_MAINT};
	a->act->handle(a, &ev);
}

/* ---- moving between phases ---- */

static void free_screen(struct app *a, const struct maint_screen *scr, void *st)
{
	if (scr && scr->leave)
		scr->leave(a, st);
	free(st);
}

static void leave_screen(struct app *a)
{
	struct maint *m = a->maint;
	if (maint_jobs_busy(m->jobs) && !m->checking && !m->orphan) {
		m->orphan = m->scr; /* its job's result still needs it */
		m->orphan_st = m->st;
	} else {
		free_screen(a, m->scr, m->st);
	}
	m->st = NULL;
	m->scr = NULL;
}

void maint_to_phase(struct app *a, enum maint_phase p)
{
	struct maint *m = a->maint;
	if (m->phase == PH_SCREEN)
		leave_screen(a);
	m->phase = p;
	m->dirty = 1;
	ui_forget(&a->ui);
}

static void open_screen(struct app *a, int i)
{
	struct maint *m = a->maint;
	if (i < 0 || i >= MAINT_NSCREENS)
		return;
	maint_to_phase(a, PH_SCREEN);
	m->scr = maint_screens[i];
	m->st = m->scr->state_size ? calloc(1, m->scr->state_size) : NULL;
	if (m->scr->state_size && !m->st) {
		m->scr = NULL;
		m->phase = PH_MENU;
		return;
	}
	if (m->scr->enter)
		m->scr->enter(a, m->st);
}

void maint_read_service_flag(struct app *a)
{
	struct maint *m = a->maint;
	m->oos_reason[0] = 0;
	if (a->svc.store && store_meta_get(a->svc.store, APP_META_OUT_OF_SERVICE, m->oos_reason, sizeof(m->oos_reason)) != 0)
		m->oos_reason[0] = 0;
}

/* Leaves maintenance: home, or out of service when the kiosk cannot serve. */
static void go_out(struct app *a)
{
	if (app_check_service(a) != OOS_NONE)
		app_switch(a, &act_out_of_service);
	else
		app_switch(a, a->home);
}

/* ---- the PIN's outcome ---- */

/* ---- the activity ---- */

static void enter(struct app *a)
{
	char err[256];
	a->maint_wanted = 0;
	struct maint *m = calloc(1, sizeof(*m));
	if (!m) {
		go_out(a);
		return;
	}
	a->maint = m;
	m->lang = i18n_get(); /* the technician's toggle is theirs: given back at leave */
	m->last_input_ms = app_now_ms(a);
	m->jobs = maint_jobs_start(&a->cfg, a->svc.data_dir, a->svc.db_path, a->config_path, a->svc.wake,
				   a->svc.wake_user, err, sizeof(err));
	if (!m->jobs || !a->svc.store) {
		fprintf(stderr, "recaudo: maintenance: cannot start: %s\n", m->jobs ? "no store open" : err);
		m->pin_state = PIN_ERROR;
	} else if (maint_pin_post(a, "") != 0) { /* the probe: not set, locked, or open */
		m->pin_state = PIN_ERROR;
	}
	fprintf(stderr, "recaudo: maintenance: PIN pad shown\n");
	ui_forget(&a->ui);
	a->dirty = 1;
}

static void leave(struct app *a)
{
	struct maint *m = a->maint;
	if (!m)
		return;
	if (m->phase == PH_SCREEN)
		free_screen(a, m->scr, m->st);
	/* only at shutdown (app_close) can a job still be running here: leaving otherwise waits
	 * for its result without blocking (m->leaving) */
	maint_jobs_stop(m->jobs);
	/* the technician's stick written out and unmounted as the kiosk goes back to customers
	 * (the helper does it on its own: nothing here waits; docs/usb-media.md) */
	if (a->cfg.usb_helper[0] && usbmedia_eject_nowait(a->cfg.usb_helper) != 0 && errno != ENOENT &&
	    errno != ECONNREFUSED)
		fprintf(stderr, "recaudo: the USB stick helper could not be asked to eject (%s)\n", strerror(errno));
	free_screen(a, m->orphan, m->orphan_st);
	flush_held(a);
	i18n_set(m->lang);
	explicit_bzero(m, sizeof(*m));
	free(m);
	a->maint = NULL;
	ui_forget(&a->ui);
}

static void set_out_of_service(struct app *a, int i)
{
	char d[48];
	snprintf(d, sizeof(d), "reason=%s", maint_reasons[i].code);
	if (!a->svc.store || store_meta_set(a->svc.store, APP_META_OUT_OF_SERVICE, maint_reasons[i].code) != 0) {
		maint_audit(a, "maint.out_of_service", "failed", d);
	} else {
		maint_audit(a, "maint.out_of_service", "ok", d);
		fprintf(stderr, "recaudo: maintenance: out of service (%s)\n", maint_reasons[i].code);
	}
	maint_read_service_flag(a);
	maint_to_phase(a, PH_MENU);
}

static void back_in_service(struct app *a)
{
	if (app_return_to_service(a) != 0) {
		maint_audit(a, "maint.return_to_service", "failed", "");
	} else {
		maint_audit(a, "maint.return_to_service", "ok", "");
		fprintf(stderr, "recaudo: maintenance: back in service\n");
	}
	maint_read_service_flag(a);
	a->maint->dirty = 1;
}

/* The way out, once no job runs: "maint.exit", "maint.idle_exit", "maint.cancel" (the pad)
 * go home or out of service; "maint.restart" ends the process with MAINT_RESTART_EXIT. */
static void finish(struct app *a, const char *why)
{
	maint_audit(a, why, "ok", "");
	if (!strcmp(why, "maint.restart")) {
		fprintf(stderr, "recaudo: maintenance: restart asked (exit %d)\n", MAINT_RESTART_EXIT);
		a->exit_code = MAINT_RESTART_EXIT;
		a->maint->leaving = NULL;
		return;
	}
	fprintf(stderr, "recaudo: maintenance: %s\n", !strcmp(why, "maint.idle_exit") ? "left after 2 minutes idle"
						    : !strcmp(why, "maint.cancel") ? "PIN pad closed" : "technician out");
	go_out(a);
}

/* Leaves now, or when the job under way has ended and its result been taken: the UI goes on
 * drawing ("Terminando la tarea en curso…") and never waits on it. */
static void leave_when_idle(struct app *a, const char *why)
{
	struct maint *m = a->maint;
	if (!maint_jobs_busy(m->jobs)) {
		finish(a, why);
		return;
	}
	m->leaving = why;
	m->busy_note = BUSY_LEAVING;
	m->dirty = 1;
}

/* 1 (and the menu says so) when a job runs: nothing else that writes the store may start. */
static int refuse_busy(struct app *a)
{
	struct maint *m = a->maint;
	if (!maint_jobs_busy(m->jobs))
		return 0;
	m->busy_note = BUSY_WAIT;
	m->dirty = 1;
	return 1;
}

static void act_action(struct app *a, const struct act_event *e)
{
	struct maint *m = a->maint;
	int act = e->act.action, arg = e->act.arg;
	switch (act) {
	case MA_ENTER:
		maint_pin_submit(a);
		return;
	case MA_CANCEL:
		if (m->phase == PH_PIN) {
			leave_when_idle(a, "maint.cancel"); /* a try under way is still counted and audited */
		} else {
			maint_to_phase(a, PH_MENU);
		}
		return;
	case MA_MENU:
		maint_to_phase(a, PH_MENU);
		return;
	case MA_EXIT:
		leave_when_idle(a, "maint.exit");
		return;
	case MA_OPEN:
		if (!refuse_busy(a))
			open_screen(a, arg);
		return;
	case MA_LANG:
		i18n_set(i18n_get() == LANG_ES ? LANG_EN : LANG_ES);
		ui_forget(&a->ui);
		m->dirty = 1;
		return;
	case MA_OOS:
		maint_to_phase(a, PH_OOS);
		return;
	case MA_OOS_REASON:
		if (arg >= 0 && arg < MAINT_NREASONS && !refuse_busy(a))
			set_out_of_service(a, arg);
		return;
	case MA_BACK_IN:
		if (!refuse_busy(a))
			back_in_service(a);
		return;
	case MA_RESTART:
		maint_to_phase(a, PH_RESTART);
		return;
	case MA_RESTART_YES:
		maint_to_phase(a, PH_MENU);
		leave_when_idle(a, "maint.restart");
		return;
	default:
		break;
	}
	if (m->phase == PH_PIN)
		maint_pin_key(a, e);
	else if (m->phase == PH_SCREEN && m->scr->handle)
		m->scr->handle(a, m->st, e);
}

static void handle_event(struct app *a, const struct act_event *e);

/* Enter on the control the keyboard focus is on presses it (docs/accessibility.md). */
static void handle(struct app *a, const struct act_event *e)
{
	act_handle_keys(a, e, handle_event);
}

static void handle_event(struct app *a, const struct act_event *e)
{
	struct maint *m = a->maint;
	if (!m)
		return;
	int input = e->type == ACT_ACTION || e->type == ACT_KEY || e->type == ACT_CHAR || e->type == ACT_SCROLL;
	if (input)
		m->last_input_ms = app_now_ms(a);
	if (input && m->leaving)
		return; /* on the way out: only the job's result is awaited */
	switch (e->type) {
	case ACT_ACTION:
		act_action(a, e);
		break;
	case ACT_KEY:
		if (m->phase == PH_PIN && e->key == APP_KEY_ENTER)
			maint_pin_submit(a);
		else if (e->key == APP_KEY_ESCAPE && m->phase != PH_MENU && m->phase != PH_PIN)
			maint_to_phase(a, PH_MENU);
		else if (m->phase == PH_PIN)
			maint_pin_key(a, e);
		else if (m->phase == PH_SCREEN && m->scr->handle)
			m->scr->handle(a, m->st, e);
		break;
	case ACT_CHAR:
		if (m->phase == PH_PIN)
			maint_pin_key(a, e);
		else if (m->phase == PH_SCREEN && m->scr->handle)
			m->scr->handle(a, m->st, e);
		break;
	case ACT_JOB:
		if (e->job->done)
			flush_held(a); /* what happened while it ran, before what its result writes */
		if (e->job->fn == maint_pin_job) {
			if (e->job->done)
				maint_pin_done(a, e->job);
		} else if (m->orphan) { /* the screen that posted it was left: it still takes it */
			if (m->orphan->handle)
				m->orphan->handle(a, m->orphan_st, e);
			if (e->job->done) {
				free_screen(a, m->orphan, m->orphan_st);
				m->orphan = NULL;
				m->orphan_st = NULL;
			}
		} else if (m->phase == PH_SCREEN && m->scr->handle) {
			m->scr->handle(a, m->st, e);
		}
		if (e->job->done && a->maint == m && !maint_jobs_busy(m->jobs)) {
			m->busy_note = BUSY_NONE;
			m->dirty = 1;
			if (m->leaving)
				finish(a, m->leaving);
		}
		break;
	case ACT_TICK: {
		int64_t now = app_now_ms(a);
		if (now >= m->last_input_ms + MAINT_IDLE_MS && !maint_jobs_busy(m->jobs) && !m->leaving) {
			finish(a, "maint.idle_exit");
			return;
		}
		if (m->pin_state == PIN_LOCKED && m->phase == PH_PIN && now >= m->count_ms) {
			m->count_ms = now + 1000;
			if (now >= m->unlock_at_ms && !m->checking) {
				m->pin_state = PIN_UNKNOWN; /* ask again: the store's clock rules */
				maint_pin_post(a, "");
			}
			m->dirty = 1; /* the countdown */
		}
		if (m->phase == PH_SCREEN && m->scr->next_deadline && m->scr->handle &&
		    now >= m->scr->next_deadline(a, m->st))
			m->scr->handle(a, m->st, e);
		break;
	}
	case ACT_SCROLL:
	case ACT_PRINT_DONE:
	case ACT_STATUS:
	case ACT_TEXT: /* not asked for (.utf8_text 0) */
		if (m->phase == PH_SCREEN && m->scr->handle)
			m->scr->handle(a, m->st, e);
		break;
	case ACT_LOOKUP_DONE: /* a customer's lookup that came back late: no one waits for it */
	case ACT_SERVICE:     /* the technician is here; leaving checks the service */
	case ACT_MAINT:
		break;
	}
}

static int64_t next_deadline(const struct app *a)
{
	const struct maint *m = a->maint;
	if (!m)
		return INT64_MAX;
	/* while a job runs the idle exit waits for it (its result comes as an event, not a tick) */
	int64_t t = maint_jobs_busy(m->jobs) || m->leaving ? INT64_MAX : m->last_input_ms + MAINT_IDLE_MS;
	if (m->phase == PH_PIN && m->pin_state == PIN_LOCKED) {
		/* the countdown shows minutes and seconds: once a second */
		int64_t next = m->count_ms < m->unlock_at_ms ? m->count_ms : m->unlock_at_ms;
		if (next < t)
			t = next;
	}
	if (m->phase == PH_SCREEN && m->scr->next_deadline) {
		int64_t s = m->scr->next_deadline(a, m->st);
		if (s < t)
			t = s;
	}
	return t;
}

static int dirty(const struct app *a) { return a->maint && a->maint->dirty; }

static const char *screen(const struct app *a)
{
	const struct maint *m = a->maint;
	if (!m)
		return "maint-pin";
	switch (m->phase) {
	case PH_MENU:
		return "maint-menu";
	case PH_SCREEN:
		return m->scr->id;
	case PH_OOS:
		return "maint-out-of-service";
	case PH_RESTART:
		return "maint-restart";
	default:
		return "maint-pin";
	}
}

const struct activity act_maint = {
	.name = "maintenance",
	.enter = enter,
	.handle = handle,
	.next_deadline = next_deadline,
	.dirty = dirty,
	.draw = maint_draw,
	.leave = leave,
	.screen = screen,
	.pump = maint_pump,
	.busy = maint_job_busy,
	.wait_idle = maint_wait_idle,
};
