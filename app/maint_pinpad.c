/* The PIN pad's logic (act_maint.c's activity; drawn by maint_draw.c): the digits typed,
 * the check on the maintenance worker (maint_pin.h: Argon2id, the lockout), and its outcome —
 * the menu, the tries left, the lock's countdown — each try audited. The digits are wiped as
 * soon as they are posted, and the worker's copy after the check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "maint_internal.h"

struct pin_job {
	char pin[MAINT_PIN_MAX_LEN + 1]; /* "" : only asks the state (a probe counts no try) */
	struct maint_pin_clock clock;
	struct maint_pin_result r;
	int rc, demo;
};

int maint_pin_job(struct maint_job_env *env, void *argp, char *msg, size_t msgn)
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
void app_lock_clock(const struct app *a, struct maint_pin_clock *c)
{
	maint_pin_clock_now(c);
	c->wall_s = app_now_ms(a) / 1000;
	if (a->headless) {
		c->mono_s = app_now_ms(a) / 1000;
		snprintf(c->boot_id, sizeof(c->boot_id), "virtual-clock");
	}
}

int maint_pin_post(struct app *a, const char *pin)
{
	struct maint *m = a->maint;
	struct pin_job *j = calloc(1, sizeof(*j));
	if (!j)
		return -1;
	snprintf(j->pin, sizeof(j->pin), "%s", pin);
	app_lock_clock(a, &j->clock);
	if (maint_jobs_post(m->jobs, maint_pin_job, j) != 0) {
		explicit_bzero(j, sizeof(*j));
		free(j);
		return -1;
	}
	m->checking = 1;
	return 0;
}

void maint_pin_done(struct app *a, const struct maint_job_result *r)
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
		maint_read_service_flag(a);
		maint_to_phase(a, PH_MENU);
		break;
	}
}

void maint_pin_key(struct app *a, const struct act_event *e)
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

void maint_pin_submit(struct app *a)
{
	struct maint *m = a->maint;
	if (m->checking || m->pin_state != PIN_OPEN)
		return;
	if (m->pin_len < MAINT_PIN_MIN_LEN) { /* refused here, counts no try */
		m->bad_length = 1;
		m->dirty = 1;
		return;
	}
	if (maint_pin_post(a, m->pin) != 0)
		m->pin_state = PIN_ERROR;
	explicit_bzero(m->pin, sizeof(m->pin));
	m->pin_len = 0;
	m->dirty = 1;
}

