/* field-login: the agent's code and password on the keyboard (the password masked, "Mostrar"
 * shows it), "Ingresar". The check runs on the worker: the central API when there is one,
 * else (or when it cannot be reached) the hash cached at the agent's last online login here
 * (offline/field_agents.h). Five wrong tries lock the tablet's login for 30 minutes, counted
 * down on screen. The password leaves the field the moment it is posted, and the job's copy
 * is wiped when the check is done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "app.h"
#include "field_internal.h"

enum { JOB_LOGIN = 1 };

struct login_job {
	char code[FIELD_CODE_MAX_LEN + 1];
	char pass[FIELD_PASSWORD_MAX_LEN + 1];
	int valid_days;
	struct maint_pin_clock clock;
	int64_t now;
	struct field_login_result r;
	int online;
	int rc;
	char err[200];
};

static int login_job(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct login_job *j = arg;
	struct api *api = NULL;
	(void)msg, (void)msgn;
	if (!env->store) {
		snprintf(j->err, sizeof(j->err), "%s", "no store");
		explicit_bzero(j->pass, sizeof(j->pass));
		return j->rc = -1;
	}
	if (env->cfg->central_url[0]) {
		struct api_config ac;
		char err[256];
		if (app_api_config(env->cfg, &ac, err, sizeof(err)) == 0) {
			ac.connect_timeout_ms = 3000;
			ac.timeout_ms = 5000; /* then the cached hash: an agent is not kept waiting */
			api = api_open(&ac, err, sizeof(err));
		}
		explicit_bzero(&ac, sizeof(ac));
	}
	j->rc = field_login(env->store, api, j->code, j->pass, &j->clock, j->valid_days, j->now, &j->r, &j->online);
	if (j->rc < 0)
		snprintf(j->err, sizeof(j->err), "%s", store_error(env->store));
	api_close(api);
	explicit_bzero(j->pass, sizeof(j->pass));
	return j->rc;
}

void field_login_probe(struct app *a)
{
	struct field *f = field_of(a);
	struct field_login_result r;
	struct maint_pin_clock c;
	if (!a->svc.store)
		return;
	app_lock_clock(a, &c);
	if (field_login_state(a->svc.store, &c, &r) != 0)
		return;
	if (r.status == FIELD_LOGIN_LOCKED) {
		f->lock_until_ms = app_now_ms(a) + r.locked_s * 1000;
		f->dirty = 1;
	}
}

static void submit(struct app *a)
{
	struct field *f = field_of(a);
	char err[200];
	if (f->job || f->lock_until_ms > app_now_ms(a))
		return;
	if (field_credentials_valid(f->in[FI_CODE].buf, f->in[FI_PASS].buf, err, sizeof(err)) != 0) {
		ui_kbd_field_clear(&f->in[FI_PASS]); /* never left for "Mostrar" to show */
		field_say(a, UI_ERROR, "%s", err);
		return;
	}
	struct login_job *j = calloc(1, sizeof(*j));
	if (!j || f->in[FI_CODE].len >= sizeof(j->code) || f->in[FI_PASS].len >= sizeof(j->pass)) {
		free(j);
		return;
	}
	memcpy(j->code, f->in[FI_CODE].buf, f->in[FI_CODE].len + 1); /* checked: at most 16 bytes */
	memcpy(j->pass, f->in[FI_PASS].buf, f->in[FI_PASS].len + 1);
	ui_kbd_field_clear(&f->in[FI_PASS]);
	j->valid_days = a->cfg.field_login_days;
	app_lock_clock(a, &j->clock);
	j->now = field_now_s(a);
	if (field_post(a, JOB_LOGIN, login_job, j) != 0) {
		explicit_bzero(j, sizeof(*j));
		free(j);
		return;
	}
	field_say(a, UI_INFO, "%s", tr(STR_FL_CHECKING));
}

static void done(struct app *a, struct login_job *j)
{
	struct field *f = field_of(a);
	if (j->rc < 0) {
		fprintf(stderr, "recaudo: field: login check failed: %s\n", j->err);
		field_say(a, UI_ERROR, "%s", tr(STR_FL_ERROR));
		return;
	}
	switch (j->r.status) {
	case FIELD_LOGIN_OK:
		f->agent = j->r.agent;
		f->logged_in = 1;
		f->online_login = j->online;
		f->tries_left = 0;
		ui_kbd_field_clear(&f->in[FI_CODE]);
		f->bucket = -1;
		field_reload(a);
		field_go(a, FP_HOME);
		if (!j->online && a->cfg.central_url[0]) /* a standalone tablet is never "offline" */
			field_say(a, UI_INFO, "%s", tr(STR_FL_OFFLINE_OK));
		if (a->svc.sync) /* the refresh brings the assigned clients' data soon */
			app_refresh_status(a);
		break;
	case FIELD_LOGIN_LOCKED:
		f->lock_until_ms = app_now_ms(a) + j->r.locked_s * 1000;
		field_say(a, UI_ERROR, "%s", j->r.message[0] ? j->r.message : tr(STR_FL_LOCKED));
		break;
	case FIELD_LOGIN_WRONG:
		f->tries_left = j->r.tries_left;
		if (j->r.tries_left == 1)
			field_say(a, UI_ERROR, "%s", tr(STR_FL_WRONG1));
		else
			field_say(a, UI_ERROR, tr(STR_FL_WRONG), j->r.tries_left);
		break;
	default: /* unknown offline, expired, bad format: the module's sentence */
		field_say(a, UI_ERROR, "%s", j->r.message[0] ? j->r.message : tr(STR_FL_ERROR));
		break;
	}
}

static int handle(struct app *a, const struct act_event *e)
{
	struct field *f = field_of(a);
	if (e->type == ACT_JOB) {
		if (e->job->fn == login_job)
			done(a, e->job->arg);
		return 1;
	}
	if (f->job)
		return 1; /* nothing is typed while the check runs */
	if (e->type == ACT_ACTION && e->act.action == FA_FOCUS && (e->act.arg == FI_CODE || e->act.arg == FI_PASS)) {
		f->focus = (enum field_input)e->act.arg;
		f->kbd = (struct ui_kbd){0};
		f->dirty = 1;
		return 1;
	}
	if ((e->type == ACT_ACTION && e->act.action == FA_LOGIN) || (e->type == ACT_KEY && e->key == APP_KEY_ENTER)) {
		if (e->type == ACT_KEY && f->focus == FI_CODE) { /* Enter on the code: on to the password */
			f->focus = FI_PASS;
			f->dirty = 1;
		} else {
			submit(a);
		}
		return 1;
	}
	if (e->type == ACT_KEY && e->key == APP_KEY_ESCAPE)
		return 1;
	if (f->focus != FI_CODE && f->focus != FI_PASS)
		f->focus = FI_CODE;
	return field_type(a, e);
}

static void fmt_mmss(char *out, size_t n, int64_t ms)
{
	int s = ms <= 0 ? 0 : (int)((ms + 999) / 1000);
	snprintf(out, n, "%02d:%02d", s / 60 % 100, s % 60);
}

static void draw(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct field *f = field_of(a);
	int top = field_top_bar(a, tr(STR_F_TITLE)), pad = screen_pad(ui), gap = ui_px(ui, SP_S);
	int kb = field_keyboard(a, (struct ui_rect){body.x, top, body.w, body.h - top});
	int x = pad, w = ui->w - 2 * pad, y = top + gap;
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_H1, 1, THEME_TEXT, UI_LEFT, tr(STR_FL_ASK)) + gap / 2;
	/* code | password | Ingresar side by side in landscape; stacked in portrait */
	int bw = ui_px(ui, 300);
	if (ui->portrait) {
		y += field_input(a, (struct ui_rect){x, y, w, 0}, FI_CODE, tr(STR_FL_CODE)) + gap;
		y += field_input(a, (struct ui_rect){x, y, w, 0}, FI_PASS, tr(STR_FL_PASS)) + gap;
		ui_button(ui, (struct ui_rect){x, y, w, ui_px(ui, 110)}, tr(STR_FL_ENTER), UI_PRIMARY,
			  (struct ui_action){FA_LOGIN, 0}, !f->job && f->lock_until_ms <= app_now_ms(a));
		y += ui_px(ui, 110) + gap;
	} else {
		int cw = (w - bw - 2 * gap) * 2 / 5, pw = w - bw - 2 * gap - cw;
		int h = field_input(a, (struct ui_rect){x, y, cw, 0}, FI_CODE, tr(STR_FL_CODE));
		field_input(a, (struct ui_rect){x + cw + gap, y, pw, 0}, FI_PASS, tr(STR_FL_PASS));
		ui_button(ui, (struct ui_rect){x + w - bw, y + h - ui_px(ui, 110), bw, ui_px(ui, 110)}, tr(STR_FL_ENTER),
			  UI_PRIMARY, (struct ui_action){FA_LOGIN, 0}, !f->job && f->lock_until_ms <= app_now_ms(a));
		y += h + gap;
	}
	char msg[240];
	if (f->lock_until_ms > app_now_ms(a)) {
		char t[16];
		fmt_mmss(t, sizeof(t), f->lock_until_ms - app_now_ms(a));
		snprintf(msg, sizeof(msg), tr(STR_FL_LOCKED_FOR), t);
		ui_banner(ui, (struct ui_rect){x, y, w, 0}, msg, UI_ERROR);
	} else if (f->msg[0] && y + ui_banner_height(ui, w, f->msg) <= kb) {
		field_message(a, (struct ui_rect){x, y, w, 0});
	}
}

const struct field_screen field_login_screen = {"field-login", draw, handle};
