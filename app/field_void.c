/* field-void: the receipt shown (f->rc), the reason on the keyboard, then the supervisor's code
 * and password (masked); "Anular recibo" checks the supervisor on the worker (Argon2id, the
 * tablet's lock: offline/field_agents.h) and, back on the UI thread, writes the void in one
 * transaction (field_void) and queues the void slip; then field-receipt shows ANULADO. The
 * supervisor is someone else than the agent (maker-checker). The password leaves its field
 * the moment it is posted and the job's copy is wiped when the check is done.
 *
 * The supervisor's check is shared with field-close's reopen (field_supervisor_post/done). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "field_internal.h"
#include "field_print.h"

enum { JOB_VOID_SUP = 10 };

struct sup_job {
	char code[FIELD_CODE_MAX_LEN + 1];
	char pass[FIELD_PASSWORD_MAX_LEN + 1];
	int valid_days;
	struct maint_pin_clock clock;
	struct field_login_result r;
	int rc;
};

static int sup_job(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct sup_job *j = arg;
	if (!env->store) {
		snprintf(msg, msgn, "%s", "no store");
		j->rc = -1;
	} else {
		j->rc = field_supervisor_check(env->store, j->code, j->pass, &j->clock, j->valid_days, &j->r);
		if (j->rc < 0)
			snprintf(msg, msgn, "%s", store_error(env->store));
	}
	explicit_bzero(j->pass, sizeof(j->pass));
	return j->rc;
}

static int sup_post(struct app *a, int kind)
{
	struct field *f = field_of(a);
	const struct ui_kbd_field *code = &f->in[FI_SUP_CODE], *pass = &f->in[FI_SUP_PASS];
	char err[200];
	if (f->job) {
		field_say(a, UI_INFO, "%s", tr(STR_FX_BUSY));
		return -1;
	}
	if (f->lock_until_ms > app_now_ms(a)) {
		field_say(a, UI_ERROR, "%s", tr(STR_FV_LOCKED));
		return -1;
	}
	if (strcmp(code->buf, f->agent.code) == 0) {
		field_say(a, UI_ERROR, "%s", tr(STR_FV_SELF));
		return -1;
	}
	if (field_credentials_valid(code->buf, pass->buf, err, sizeof(err)) != 0) {
		field_say(a, UI_ERROR, "%s", err);
		return -1;
	}
	struct sup_job *j = calloc(1, sizeof(*j));
	if (!j || code->len >= sizeof(j->code) || pass->len >= sizeof(j->pass)) {
		free(j);
		return -1;
	}
	memcpy(j->code, code->buf, code->len + 1); /* checked: at most 16 bytes */
	memcpy(j->pass, pass->buf, pass->len + 1);
	j->valid_days = a->cfg.field_login_days;
	app_lock_clock(a, &j->clock);
	if (field_post(a, kind, sup_job, j) != 0) {
		explicit_bzero(j, sizeof(*j));
		free(j);
		field_say(a, UI_INFO, "%s", tr(STR_FX_BUSY));
		return -1;
	}
	f->kbd = (struct ui_kbd){0};
	field_say(a, UI_INFO, "%s", tr(STR_FV_CHECKING));
	return 0;
}

int field_supervisor_done(struct app *a, const struct act_event *e, int *ok, char *sup, size_t supn)
{
	struct field *f = field_of(a);
	if (e->type != ACT_JOB || e->job->fn != sup_job)
		return 0;
	const struct sup_job *j = e->job->arg;
	*ok = 0;
	if (j->rc < 0) {
		fprintf(stderr, "recaudo: field: supervisor check failed: %s\n", e->job->msg);
		field_say(a, UI_ERROR, "%s", tr(STR_FV_ERROR));
		return 1;
	}
	switch (j->r.status) {
	case FIELD_LOGIN_OK:
		*ok = 1;
		snprintf(sup, supn, "%s", j->r.agent.code);
		ui_kbd_field_clear(&f->in[FI_SUP_CODE]);
		f->msg[0] = 0;
		break;
	case FIELD_LOGIN_NOT_SUPERVISOR:
		field_say(a, UI_ERROR, "%s", tr(STR_FV_NOT_SUP));
		break;
	case FIELD_LOGIN_WRONG:
		if (j->r.tries_left == 1)
			field_say(a, UI_ERROR, "%s", tr(STR_FV_WRONG1));
		else
			field_say(a, UI_ERROR, tr(STR_FV_WRONG), j->r.tries_left);
		break;
	case FIELD_LOGIN_LOCKED:
		f->lock_until_ms = app_now_ms(a) + j->r.locked_s * 1000;
		field_say(a, UI_ERROR, "%s", j->r.message[0] ? j->r.message : tr(STR_FV_LOCKED));
		break;
	default: /* unknown here, expired, bad form: the module's sentence */
		field_say(a, UI_ERROR, "%s", j->r.message[0] ? j->r.message : tr(STR_FV_ERROR));
		break;
	}
	return 1;
}

int field_supervisor_post(struct app *a, int kind)
{
	int rc = sup_post(a, kind);
	ui_kbd_field_clear(&a->field->in[FI_SUP_PASS]); /* posted or refused, it leaves the field */
	return rc;
}

/* Letters (not spaces) in the reason: at least 3 make a reason. */
static int reason_ok(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s != ' ';
	return n >= 3;
}

static void submit(struct app *a)
{
	struct field *f = field_of(a);
	if (!reason_ok(f->in[FI_REASON].buf)) {
		field_say(a, UI_ERROR, "%s", tr(STR_FV_REASON_SHORT));
		f->focus = FI_REASON;
		return;
	}
	field_supervisor_post(a, JOB_VOID_SUP);
}

/* The supervisor approved: the void, then its slip, then the receipt shown ANULADO. */
static void void_now(struct app *a, const char *sup)
{
	struct field *f = field_of(a);
	struct field_receipt out;
	if (!a->svc.store)
		return;
	int rc = field_void(a->svc.store, f->agent.code, f->rc.device_id, f->rc.number, f->in[FI_REASON].buf, sup,
			    field_now_s(a), field_today(a), &out);
	if (rc != 0) {
		if (rc != STORE_EINVAL)
			fprintf(stderr, "recaudo: field: void: %s\n", store_error(a->svc.store));
		field_say(a, UI_ERROR, tr(STR_FV_FAILED), store_error(a->svc.store));
		return;
	}
	f->rc = out;
	f->have_rc = 1;
	ui_kbd_field_clear(&f->in[FI_REASON]);
	struct field_paper p;
	char err[160];
	field_paper_of(a, &p);
	f->rc_paper_void = 1;
	f->rc_paper = FPS_QUEUED;
	if (!a->svc.pq || field_void_submit(a->svc.pq, &p, &f->rc, err, sizeof(err)) != 0) {
		f->rc_paper = FPS_NOT_SENT;
		snprintf(f->rc_paper_err, sizeof(f->rc_paper_err), "%s", a->svc.pq ? err : tr(STR_FR_NO_PRINTER));
	}
	field_reload(a); /* the instalments owe again */
	field_go(a, FP_RECEIPT);
	field_say(a, UI_OK, "%s", tr(STR_FV_DONE));
}

static void focus(struct app *a, enum field_input which)
{
	struct field *f = field_of(a);
	f->focus = which;
	f->kbd = (struct ui_kbd){0};
	f->msg[0] = 0; /* read: the keyboard comes back */
	f->dirty = 1;
}

int field_supervisor_keys(struct app *a, const struct act_event *e, int ok_action)
{
	struct field *f = field_of(a);
	if (e->type == ACT_ACTION && e->act.action == FA_FOCUS &&
	    (e->act.arg == FI_REASON || e->act.arg == FI_SUP_CODE || e->act.arg == FI_SUP_PASS)) {
		focus(a, (enum field_input)e->act.arg);
		return 1;
	}
	if ((e->type == ACT_ACTION && e->act.action == ok_action) || (e->type == ACT_KEY && e->key == APP_KEY_ENTER)) {
		if (e->type == ACT_KEY && f->focus != FI_SUP_PASS) { /* Enter: on to the next field */
			focus(a, f->focus == FI_REASON ? FI_SUP_CODE : FI_SUP_PASS);
			return 1;
		}
		return 2;
	}
	if (f->focus != FI_REASON && f->focus != FI_SUP_CODE && f->focus != FI_SUP_PASS)
		f->focus = FI_SUP_CODE;
	if (!field_type(a, e))
		return 0;
	f->msg[0] = 0;
	return 1;
}

void field_supervisor_form(struct app *a, struct ui_rect body, int y, const char *ok, enum ui_style st, int ok_action)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	int pad = screen_pad(ui), gap = ui_px(ui, SP_S), x = pad, w = ui->w - 2 * pad;
	int bh = ui_px(ui, 110), bw = ui_px(ui, 300), can = !f->job && f->lock_until_ms <= app_now_ms(a);
	if (ui->portrait) {
		y += field_input(a, (struct ui_rect){x, y, w, 0}, FI_SUP_CODE, tr(STR_FV_SUP_CODE)) + gap;
		y += field_input(a, (struct ui_rect){x, y, w, 0}, FI_SUP_PASS, tr(STR_FV_SUP_PASS)) + gap;
		int hw = (w - gap) / 2;
		ui_button(ui, (struct ui_rect){x, y, hw, bh}, tr(STR_F_CANCEL), UI_SECONDARY,
			  (struct ui_action){FA_CANCEL, 0}, !f->job);
		ui_button(ui, (struct ui_rect){x + hw + gap, y, w - hw - gap, bh}, ok, st, (struct ui_action){ok_action, 0},
			  can);
		y += bh + gap;
	} else { /* code | password | Cancelar | ok */
		int fw = (w - 2 * bw - 3 * gap) / 2;
		int h = field_input(a, (struct ui_rect){x, y, fw, 0}, FI_SUP_CODE, tr(STR_FV_SUP_CODE));
		field_input(a, (struct ui_rect){x + fw + gap, y, fw, 0}, FI_SUP_PASS, tr(STR_FV_SUP_PASS));
		ui_button(ui, (struct ui_rect){x + w - 2 * bw - gap, y + h - bh, bw, bh}, tr(STR_F_CANCEL), UI_SECONDARY,
			  (struct ui_action){FA_CANCEL, 0}, !f->job);
		ui_button(ui, (struct ui_rect){x + w - bw, y + h - bh, bw, bh}, ok, st, (struct ui_action){ok_action, 0},
			  can);
		y += h + gap;
	}
	/* a message takes the keyboard's place until a field is touched again: it must be read */
	if (f->msg[0])
		field_message(a, (struct ui_rect){x, y, w, 0});
	else
		field_keyboard(a, body);
}

static int handle(struct app *a, const struct act_event *e)
{
	struct field *f = field_of(a);
	int ok = 0;
	char sup[FIELD_CODE_MAX_LEN + 1];
	if (field_supervisor_done(a, e, &ok, sup, sizeof(sup))) {
		if (ok)
			void_now(a, sup);
		return 1;
	}
	if (e->type == ACT_JOB)
		return 1;
	if (f->job)
		return e->type != ACT_PRINT_DONE; /* nothing is typed while the check runs */
	if ((e->type == ACT_ACTION && e->act.action == FA_CANCEL) || (e->type == ACT_KEY && e->key == APP_KEY_ESCAPE)) {
		ui_kbd_field_clear(&f->in[FI_SUP_PASS]);
		field_go(a, FP_RECEIPT);
		return 1;
	}
	int r = field_supervisor_keys(a, e, FA_VOID_OK);
	if (r == 2)
		submit(a);
	return r != 0;
}

static void draw(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	int top = field_top_bar(a, tr(STR_FV_TITLE)), pad = screen_pad(ui), gap = ui_px(ui, SP_S);
	int x = pad, w = ui->w - 2 * pad, y = top + gap / 2;
	char label[64], amt[48], which[240];
	field_receipt_label(label, sizeof(label), f->rc.device_id, f->rc.agent, f->rc.number);
	field_money(amt, sizeof(amt), f->rc.amount_minor, f->rc.cur);
	snprintf(which, sizeof(which), tr(STR_FV_WHICH), label, amt, f->rc.customer_name);
	ui_label_fit(ui, x, y, w, FONT_TITLE, 1, THEME_TEXT, UI_LEFT, which);
	y += ui_line_h(ui, FONT_TITLE) + gap / 2;
	y += field_input(a, (struct ui_rect){x, y, w, 0}, FI_REASON, tr(STR_FV_REASON)) + gap / 2;
	field_supervisor_form(a, (struct ui_rect){body.x, top, body.w, body.h - top}, y, tr(STR_FV_OK), UI_DANGER,
			      FA_VOID_OK);
}

const struct field_screen field_void_screen = {"field-void", draw, handle};
