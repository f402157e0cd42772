/* Maintenance mode as an activity (maint.h, docs/maintenance.md): the PIN pad (maint-pin),
 * the menu (maint-menu), the menu's screens (maint_<name>.c), the out-of-service reasons
 * (maint-out-of-service) and the restart question (maint-restart). The PIN is checked on the
 * maintenance worker (Argon2id takes ~0.2 s); every try and every action is audited. Without
 * input for MAINT_IDLE_MS it leaves by itself; leaving goes home, or out of service when the
 * kiosk cannot serve (the technician's flag included). */
#include "activity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "audit.h"
#include "maint_internal.h"

const struct maint_screen *const maint_screens[MAINT_NSCREENS] = {
	&maint_status_screen, &maint_printer_screen, &maint_queue_screen, &maint_totals_screen,
	&maint_data_screen,   &maint_display_screen, &maint_log_screen,   &maint_config_screen,
};

const struct maint_reason maint_reasons[MAINT_NREASONS] = {
	{"sin_papel", STR_MT_OOS_PAPER}, {"impresora", STR_MT_OOS_PRINTER}, {"pantalla", STR_MT_OOS_SCREEN},
	{"red", STR_MT_OOS_NETWORK},     {"otro", STR_MT_OOS_OTHER},
};

/* ---- the PIN check on the worker ---- */

struct pin_job {
	char pin[MAINT_PIN_MAX_LEN + 1]; /* "" : only asks the state (a probe counts no try) */
	struct maint_pin_clock clock;
	struct maint_pin_result r;
	int rc, demo;
};

static int pin_job(struct maint_job_env *env, void *argp, char *msg, size_t msgn)
{
	struct pin_job *j = argp;
	if (!env->store) {
		snprintf(msg, msgn, "the store cannot be opened");
		j->rc = -1;
	} else {
		j->rc = maint_pin_check_at(env->store, j->pin, &j->clock, &j->r);
		j->demo = maint_pin_is_demo(env->store) == 1;
	}
	explicit_bzero(j->pin, sizeof(j->pin));
	return j->rc;
}

/* The clocks a PIN check reads: the system's; headless, the virtual clock for both (a run's
 * "boot" is the virtual clock's, so a later run on a later virtual time sees time pass). */
static void pin_clock(const struct app *a, struct maint_pin_clock *c)
{
	maint_pin_clock_now(c);
	c->wall_s = app_now_ms(a) / 1000;
	if (a->headless) {
		c->mono_s = app_now_ms(a) / 1000;
		snprintf(c->boot_id, sizeof(c->boot_id), "virtual-clock");
	}
}

static int post_pin(struct app *a, const char *pin)
{
	struct maint *m = a->maint;
	struct pin_job *j = calloc(1, sizeof(*j));
	if (!j)
		return -1;
	snprintf(j->pin, sizeof(j->pin), "%s", pin);
	pin_clock(a, &j->clock);
	if (maint_jobs_post(m->jobs, pin_job, j) != 0) {
		explicit_bzero(j, sizeof(*j));
		free(j);
		return -1;
	}
	m->checking = 1;
	return 0;
}

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

static void to_phase(struct app *a, enum maint_phase p)
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
	to_phase(a, PH_SCREEN);
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

static void read_service_flag(struct app *a)
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

static void pin_done(struct app *a, const struct maint_job_result *r)
{
	struct maint *m = a->maint;
	struct pin_job *j = r->arg;
	int probe = m->pin_state == PIN_UNKNOWN;
	enum pin_state before = m->pin_state;
	m->checking = 0;
	m->dirty = 1;
	m->tries_left = 0;
	if (j->rc != 0) {
		m->pin_state = PIN_ERROR;
		fprintf(stderr, "recaudo: maintenance: the PIN could not be checked: %s\n", r->msg);
		maint_audit(a, probe ? "maint.request" : "maint.pin", "error", "");
		return;
	}
	m->demo = j->demo;
	if (probe) { /* what the pad shows on entry: no try was made */
		m->pin_state = j->r.status == MAINT_PIN_NOT_SET ? PIN_NOT_SET
			       : j->r.status == MAINT_PIN_LOCKED ? PIN_LOCKED : PIN_OPEN;
		if (m->pin_state == PIN_LOCKED) {
			m->unlock_at_ms = app_now_ms(a) + j->r.locked_s * 1000;
			m->count_ms = app_now_ms(a) + 1000;
		}
		if (m->pin_state == PIN_OPEN && j->r.tries_left < MAINT_PIN_MAX_TRIES)
			m->tries_left = j->r.tries_left; /* wrong tries made before: say so at once */
		if (!m->probed)
			maint_audit(a, "maint.request", m->pin_state == PIN_NOT_SET ? "not_set"
						       : m->pin_state == PIN_LOCKED ? "locked" : "ok", "");
		m->probed = 1;
		return;
	}
	switch (j->r.status) {
	case MAINT_PIN_NOT_SET: /* removed since the probe */
		m->pin_state = PIN_NOT_SET;
		maint_audit(a, "maint.pin", "not_set", "");
		break;
	case MAINT_PIN_LOCKED: {
		m->pin_state = PIN_LOCKED;
		m->unlock_at_ms = app_now_ms(a) + j->r.locked_s * 1000;
		m->count_ms = app_now_ms(a) + 1000;
		char d[48];
		snprintf(d, sizeof(d), "locked_s=%lld", (long long)j->r.locked_s);
		if (before == PIN_OPEN) { /* this wrong try was the last one */
			maint_audit(a, "maint.pin", "wrong", "tries_left=0");
			maint_audit(a, "maint.lockout", "locked", d);
			fprintf(stderr, "recaudo: maintenance: PIN locked for %d minutes after %d wrong tries\n",
				MAINT_PIN_LOCK_S / 60, MAINT_PIN_MAX_TRIES);
		} else {
			maint_audit(a, "maint.pin", "locked", d);
		}
		break;
	}
	case MAINT_PIN_BAD_FORMAT: /* the pad refuses these before asking: not reached */
		m->pin_state = PIN_OPEN;
		maint_audit(a, "maint.pin", "bad_format", "");
		break;
	case MAINT_PIN_WRONG: {
		m->pin_state = PIN_OPEN;
		m->tries_left = j->r.tries_left;
		char d[32];
		snprintf(d, sizeof(d), "tries_left=%d", j->r.tries_left);
		maint_audit(a, "maint.pin", "wrong", d);
		break;
	}
	case MAINT_PIN_OK:
		m->pin_state = PIN_OPEN;
		maint_audit(a, "maint.pin", "ok", m->demo ? "demo" : "");
		if (m->leaving) /* "Cancelar" pressed while it was checked: the pad closes */
			break;
		maint_audit(a, "maint.enter", "ok", "");
		fprintf(stderr, "recaudo: maintenance: technician in\n");
		read_service_flag(a);
		to_phase(a, PH_MENU);
		break;
	}
}

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
	} else if (post_pin(a, "") != 0) { /* the probe: not set, locked, or open */
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
	free_screen(a, m->orphan, m->orphan_st);
	flush_held(a);
	i18n_set(m->lang);
	explicit_bzero(m, sizeof(*m));
	free(m);
	a->maint = NULL;
	ui_forget(&a->ui);
}

static void pin_key(struct app *a, const struct act_event *e)
{
	struct maint *m = a->maint;
	int ch = e->type == ACT_CHAR ? e->ch : e->act.action == UI_ACT_CHAR ? e->act.arg : 0;
	m->bad_length = 0;
	if (ch >= '0' && ch <= '9' && m->pin_len < MAINT_PIN_MAX_LEN) {
		m->pin[m->pin_len++] = (char)ch;
		m->pin[m->pin_len] = 0;
	} else if (ch >= '0' && ch <= '9') {
		m->bad_length = 1; /* a 13th digit: said, not silently dropped */
	} else if ((e->type == ACT_ACTION && e->act.action == UI_ACT_BACKSPACE) ||
		   (e->type == ACT_KEY && e->key == APP_KEY_BACKSPACE)) {
		if (m->pin_len)
			m->pin[--m->pin_len] = 0;
	} else if ((e->type == ACT_ACTION && e->act.action == UI_ACT_CLEAR) ||
		   (e->type == ACT_KEY && e->key == APP_KEY_DELETE)) {
		explicit_bzero(m->pin, sizeof(m->pin));
		m->pin_len = 0;
	}
	m->dirty = 1;
}

static void pin_submit(struct app *a)
{
	struct maint *m = a->maint;
	if (m->checking || m->pin_state != PIN_OPEN)
		return;
	if (m->pin_len < MAINT_PIN_MIN_LEN) { /* refused here, counts no try */
		m->bad_length = 1;
		m->dirty = 1;
		return;
	}
	if (post_pin(a, m->pin) != 0)
		m->pin_state = PIN_ERROR;
	explicit_bzero(m->pin, sizeof(m->pin));
	m->pin_len = 0;
	m->dirty = 1;
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
	read_service_flag(a);
	to_phase(a, PH_MENU);
}

static void back_in_service(struct app *a)
{
	if (app_return_to_service(a) != 0) {
		maint_audit(a, "maint.return_to_service", "failed", "");
	} else {
		maint_audit(a, "maint.return_to_service", "ok", "");
		fprintf(stderr, "recaudo: maintenance: back in service\n");
	}
	read_service_flag(a);
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
		pin_submit(a);
		return;
	case MA_CANCEL:
		if (m->phase == PH_PIN) {
			leave_when_idle(a, "maint.cancel"); /* a try under way is still counted and audited */
		} else {
			to_phase(a, PH_MENU);
		}
		return;
	case MA_MENU:
		to_phase(a, PH_MENU);
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
		to_phase(a, PH_OOS);
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
		to_phase(a, PH_RESTART);
		return;
	case MA_RESTART_YES:
		to_phase(a, PH_MENU);
		leave_when_idle(a, "maint.restart");
		return;
	default:
		break;
	}
	if (m->phase == PH_PIN)
		pin_key(a, e);
	else if (m->phase == PH_SCREEN && m->scr->handle)
		m->scr->handle(a, m->st, e);
}

static void handle(struct app *a, const struct act_event *e)
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
			pin_submit(a);
		else if (e->key == APP_KEY_ESCAPE && m->phase != PH_MENU && m->phase != PH_PIN)
			to_phase(a, PH_MENU);
		else if (m->phase == PH_PIN)
			pin_key(a, e);
		else if (m->phase == PH_SCREEN && m->scr->handle)
			m->scr->handle(a, m->st, e);
		break;
	case ACT_CHAR:
		if (m->phase == PH_PIN)
			pin_key(a, e);
		else if (m->phase == PH_SCREEN && m->scr->handle)
			m->scr->handle(a, m->st, e);
		break;
	case ACT_JOB:
		if (e->job->done)
			flush_held(a); /* what happened while it ran, before what its result writes */
		if (e->job->fn == pin_job) {
			if (e->job->done)
				pin_done(a, e->job);
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
				post_pin(a, "");
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
};
