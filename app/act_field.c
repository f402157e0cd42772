/* The field agent's mode as an activity (docs/field-mode.md): the login (field-login), then the
 * work list (field-home), a client's instalments (field-client), the cash (field-collect), the
 * receipt (field-receipt), a void (field-void), the day's close (field-close) and reports
 * (field-reports). One file per screen (app/field_<name>.c) behind struct field_screen; this
 * file holds the session: who is logged in, the worker, the idle logout, the bar at the top,
 * the keyboard. The password is checked on the worker (the network, then Argon2id); nothing
 * an agent types is logged. */
#include "activity.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "app.h"
#include "audit.h"
#include "field_internal.h"
#include "field_print.h"
#include "maint_job.h"

static const struct field_screen *const screens[FP_COUNT] = {
	[FP_LOGIN] = &field_login_screen,     [FP_HOME] = &field_home_screen,
	[FP_CLIENT] = &field_client_screen,   [FP_COLLECT] = &field_collect_screen,
	[FP_RECEIPT] = &field_receipt_screen, [FP_VOID] = &field_void_screen,
	[FP_CLOSE] = &field_close_screen,     [FP_REPORTS] = &field_reports_screen,
};

struct field *field_of(struct app *a) { return a->field; }

int32_t field_today(const struct app *a) { return date_from_epoch(app_now_ms(a) / 1000); }
int64_t field_now_s(const struct app *a) { return app_now_ms(a) / 1000; }

const char *field_device(const struct app *a)
{
	static char k[16];
	if (a->cfg.device_id[0])
		return a->cfg.device_id;
	snprintf(k, sizeof(k), "K%04u", (unsigned)a->cfg.kiosk_id);
	return k;
}

void field_say(struct app *a, enum ui_banner_kind kind, const char *fmt, ...)
{
	struct field *f = a->field;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	f->msg_kind = kind;
	f->dirty = 1;
}

void field_money(char *out, size_t n, int64_t minor, enum currency cur)
{
	money_format(out, n, (struct money){minor, cur});
}

void field_paper_of(struct app *a, struct field_paper *p)
{
	memset(p, 0, sizeof(*p));
	p->lang = i18n_get();
	p->brand = a->cfg.brand;
	p->agent_name = a->field->agent.name;
	p->dots = a->cfg.paper_dots;
	p->codepage = a->cfg.printer_codepage;
	p->qr_raster = !a->cfg.printer_native_qr;
	p->key = a->svc.key; /* the kiosk key; the central API verifies with the same (docs/field-mode.md) */
	p->keylen = sizeof(a->svc.key);
	p->printed_at = field_now_s(a);
}

/* ---- the worker ---- */

int field_post(struct app *a, int kind, maint_job_fn fn, void *arg)
{
	struct field *f = a->field;
	if (!f->jobs || f->job || maint_jobs_post(f->jobs, fn, arg) != 0)
		return -1;
	f->job = kind;
	f->dirty = 1;
	return 0;
}

static void pump(struct app *a)
{
	struct maint_job_result r;
	while (a->field && a->field->jobs && maint_jobs_poll(a->field->jobs, &r)) {
		if (!r.done)
			continue;
		a->field->job = 0;
		struct act_event ev = {.type = ACT_JOB, .job = &r};
		a->act->handle(a, &ev);
		free(r.arg);
	}
}

static int busy(const struct app *a) { return a->field && a->field->jobs && maint_jobs_busy(a->field->jobs); }

static void wait_idle(struct app *a)
{
	if (a->field && a->field->jobs)
		maint_jobs_wait_idle(a->field->jobs);
}

/* ---- session ---- */

static void audit(struct app *a, const char *action, const char *result, const char *detail)
{
	if (a->svc.store && store_audit_append(a->svc.store, field_now_s(a), action, result, detail, NULL) != 0)
		fprintf(stderr, "recaudo: field: audit %s: %s\n", action, store_error(a->svc.store));
}

/* Everything an agent typed or saw goes: the fields, the lists, the receipt. */
static void wipe_session(struct field *f)
{
	for (int i = 0; i < FI_COUNT; i++)
		ui_kbd_field_clear(&f->in[i]);
	if (f->wl.rows)
		explicit_bzero(f->wl.rows, (size_t)f->wl.n * sizeof(*f->wl.rows));
	if (f->found)
		explicit_bzero(f->found, (size_t)f->nfound * sizeof(*f->found));
	if (f->cuotas.rows)
		explicit_bzero(f->cuotas.rows, (size_t)f->cuotas.n * sizeof(*f->cuotas.rows));
	explicit_bzero(f->sel, sizeof(f->sel));
	explicit_bzero(f->pay, sizeof(f->pay));
	explicit_bzero(f->cash, sizeof(f->cash));
	explicit_bzero(f->digits, sizeof(f->digits));
	explicit_bzero(f->denom_count, sizeof(f->denom_count));
	explicit_bzero(f->export_path, sizeof(f->export_path));
	field_worklist_free(&f->wl);
	free(f->found);
	f->found = NULL;
	f->nfound = 0;
	field_cuotas_free(&f->cuotas);
	explicit_bzero(&f->agent, sizeof(f->agent));
	explicit_bzero(&f->rc, sizeof(f->rc));
	explicit_bzero(f->cnum, sizeof(f->cnum));
	explicit_bzero(f->cname, sizeof(f->cname));
	explicit_bzero(&f->totals, sizeof(f->totals));
	f->have_rc = f->wl_loaded = f->logged_in = f->searching = 0;
	f->unsynced = 0;
	f->msg[0] = 0;
}

static void logout(struct app *a, const char *why)
{
	struct field *f = a->field;
	if (f->logged_in) {
		char d[64];
		/* a code with a run of 6 digits could be an ID number: the audit takes none */
		snprintf(d, sizeof(d), "agent=%s", strspn(f->agent.code, "0123456789") >= 6 ? "hidden" : f->agent.code);
		audit(a, "field.logout", why, d);
	}
	wipe_session(f);
	ui_forget(&a->ui);
	f->focus = FI_CODE;
	field_go(a, FP_LOGIN);
	if (strcmp(why, "idle") == 0)
		field_say(a, UI_INFO, "%s", tr(STR_FL_IDLE_OUT));
}

void field_go(struct app *a, enum field_phase p)
{
	struct field *f = a->field;
	f->phase = p;
	f->page = 0;
	f->msg[0] = 0;
	f->kbd = (struct ui_kbd){0};
	f->entered = 1; /* the screen reads what it shows (field_internal.h) */
	f->dirty = 1;
	a->dirty = 1;
}

/* The cash not yet acknowledged, for the bar: read when it can change (a login, a collection,
 * a void, the sync worker's news), never while drawing. */
static void read_unsynced(struct app *a)
{
	struct field *f = a->field;
	f->unsynced = 0;
	if (f->logged_in && a->svc.store && field_unsynced_cash(a->svc.store, f->agent.code, &f->unsynced) != 0)
		f->unsynced = 0;
}

void field_reload(struct app *a)
{
	struct field *f = a->field;
	read_unsynced(a);
	field_worklist_free(&f->wl);
	f->wl_loaded = 0;
	if (!a->svc.store)
		return;
	if (field_worklist_get(a->svc.store, f->agent.code, field_today(a), &f->wl) == 0)
		f->wl_loaded = 1;
	else
		field_say(a, UI_ERROR, tr(STR_FH_LOAD_ERROR), store_error(a->svc.store));
}

static void enter(struct app *a)
{
	struct field *f = calloc(1, sizeof(*f));
	if (!f) {
		fprintf(stderr, "recaudo: field: out of memory\n");
		return;
	}
	a->field = f;
	static const int max[FI_COUNT] = {[FI_CODE] = FIELD_CODE_MAX_LEN, [FI_PASS] = FIELD_PASSWORD_MAX_LEN,
					  [FI_SEARCH] = 40, [FI_REASON] = FIELD_REASON_MAX - 1,
					  [FI_SUP_CODE] = FIELD_CODE_MAX_LEN, [FI_SUP_PASS] = FIELD_PASSWORD_MAX_LEN};
	for (int i = 0; i < FI_COUNT; i++)
		ui_kbd_field_init(&f->in[i], max[i]);
	f->bucket = -1;
	f->editing = -1;
	f->r_line = -1;
	f->lang = i18n_get();
	f->last_input_ms = app_now_ms(a);
	char err[256];
	f->jobs = maint_jobs_start(&a->cfg, a->svc.data_dir, a->svc.db_path, a->config_path, a->svc.wake,
				   a->svc.wake_user, err, sizeof(err));
	if (!f->jobs)
		fprintf(stderr, "recaudo: field: no worker: %s\n", err);
	field_go(a, FP_LOGIN);
	field_login_probe(a);
	app_refresh_status(a);
}

static void leave(struct app *a)
{
	struct field *f = a->field;
	if (!f)
		return;
	maint_jobs_stop(f->jobs); /* waits for a login under way: its password copy is wiped there */
	wipe_session(f);
	free(f);
	a->field = NULL;
}

static int64_t next_deadline(const struct app *a)
{
	const struct field *f = a->field;
	if (!f)
		return INT64_MAX;
	int64_t t = INT64_MAX;
	if (f->logged_in)
		t = f->last_input_ms + (int64_t)a->cfg.field_idle_s * 1000;
	if (f->lock_until_ms > app_now_ms(a)) { /* the lock's countdown, once a second */
		int64_t left = f->lock_until_ms - app_now_ms(a);
		int64_t next = app_now_ms(a) + (left % 1000 ? left % 1000 : 1000);
		if (next < t)
			t = next;
	}
	return t;
}

static void handle_event(struct app *a, const struct act_event *e);

/* Enter on the control the keyboard focus is on presses it (docs/accessibility.md). */
static void handle(struct app *a, const struct act_event *e)
{
	act_handle_keys(a, e, handle_event);
}

static void handle_event(struct app *a, const struct act_event *e)
{
	struct field *f = a->field;
	if (!f)
		return;
	int input = e->type == ACT_ACTION || e->type == ACT_KEY || e->type == ACT_CHAR || e->type == ACT_TEXT ||
		    e->type == ACT_SCROLL;
	if (input)
		f->last_input_ms = app_now_ms(a);
	if (e->type == ACT_TICK) {
		if (f->logged_in && app_now_ms(a) >= f->last_input_ms + (int64_t)a->cfg.field_idle_s * 1000 && !f->job) {
			logout(a, "idle");
			return;
		}
		if (f->lock_until_ms && app_now_ms(a) >= f->lock_until_ms) {
			f->lock_until_ms = 0;
			f->msg[0] = 0;
		}
		f->dirty = 1;
		return;
	}
	if (e->type == ACT_MAINT) {
		if (!f->logged_in) /* a technician on the login screen; an agent's session comes first */
			app_switch(a, &act_maint);
		else
			a->maint_wanted = 1;
		return;
	}
	if (e->type == ACT_SERVICE) {
		if (!f->logged_in && app_check_service(a) != OOS_NONE)
			app_switch(a, &act_out_of_service);
		return;
	}
	if (e->type == ACT_STATUS) {
		read_unsynced(a);
		f->dirty = 1;
		return;
	}
	if (e->type == ACT_ACTION && e->act.action == FA_LANG) {
		i18n_set(i18n_get() == LANG_ES ? LANG_EN : LANG_ES);
		f->dirty = 1;
		return;
	}
	if (e->type == ACT_ACTION && e->act.action == FA_LOGOUT && f->logged_in && !f->job) {
		logout(a, "ok");
		if (a->maint_wanted)
			app_switch(a, &act_maint);
		return;
	}
	if (e->type == ACT_PRINT_DONE && f->phase != FP_RECEIPT && f->have_rc && f->rc_paper == FPS_QUEUED &&
	    e->print->rc != 0) {
		/* the agent left the receipt before it printed: the failure is said where they are */
		char label[64];
		field_receipt_label(label, sizeof(label), f->rc.device_id, f->rc.agent, f->rc.number);
		f->rc_paper = FPS_FAILED;
		field_say(a, UI_ERROR, tr(STR_F_PRINT_LATE), label);
		return;
	}
	if (screens[f->phase]->handle(a, e))
		return;
	/* defaults: Escape goes back home; the keyboard types into the focused field */
	if (e->type == ACT_KEY && e->key == APP_KEY_ESCAPE && f->logged_in && f->phase != FP_HOME && !f->job)
		field_go(a, FP_HOME);
}

static int dirty(const struct app *a) { return a->field && a->field->dirty; }

static void draw(struct app *a)
{
	struct field *f = a->field;
	ui_begin(&a->ui, THEME_BG);
	if (!f)
		return;
	screens[f->phase]->draw(a, (struct ui_rect){0, 0, a->ui.w, a->ui.h});
	f->dirty = 0;
}

static const char *screen(const struct app *a) { return a->field ? screens[a->field->phase]->id : "field-login"; }

const struct activity act_field = {
	.name = "field",
	.mode = 1,
	.enter = enter,
	.handle = handle,
	.next_deadline = next_deadline,
	.dirty = dirty,
	.draw = draw,
	.leave = leave,
	.screen = screen,
	.pump = pump,
	.busy = busy,
	.wait_idle = wait_idle,
	.utf8_text = 1,
};
