/* The customer's account services as an activity (docs/account-services.md): the security
 * image and phrase (services-security), the one-time code (services-otp), the menu
 * (services-menu) and its services — statement, certificate, payment history, contact data,
 * a new image and phrase — registration (services-register), and the coupon by e-mail
 * (coupon-email). One file per screen (app/account_<name>.c) behind struct account_screen;
 * this file holds the session: the customer lent by the held journey (customer_handoff.h),
 * the worker, the inactivity countdown, "Salir", the bar, the keyboard.
 *
 * The session ends (everything of it and of the journey wiped, attract) on inactivity, on
 * "Salir" confirmed and after three wrong codes; "Volver a mis pagos" gives the journey back
 * as it was. Nothing of it is logged but audit rows without personal data. */
#include "activity.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "account_internal.h"
#include "audit.h"
#include "maint_job.h"
#include "outbox.h"
#include "ui_secimage.h"

static const struct account_screen *const screens[AP_COUNT] = {
	[AP_SECURITY] = &account_security_screen,       [AP_OTP] = &account_otp_screen,
	[AP_MENU] = &account_menu_screen,               [AP_STATEMENT] = &account_statement_screen,
	[AP_CERTIFICATE] = &account_certificate_screen, [AP_HISTORY] = &account_history_screen,
	[AP_CONTACT] = &account_contact_screen,         [AP_REGISTER] = &account_register_screen,
	[AP_CHANGE] = &account_change_screen,           [AP_EMAIL] = &account_email_screen,
};

struct account *account_of(struct app *a) { return a->acct; }

void account_say(struct app *a, enum ui_banner_kind kind, const char *fmt, ...)
{
	struct account *s = a->acct;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	va_end(ap);
	s->msg_kind = kind;
	s->dirty = 1;
}

void account_go(struct app *a, enum account_phase p)
{
	struct account *s = a->acct;
	s->phase = p;
	s->page = 0;
	s->msg[0] = 0;
	s->kbd = (struct ui_kbd){0};
	s->dirty = 1;
	a->dirty = 1;
	ui_forget(&a->ui);
	if (screens[p]->enter)
		screens[p]->enter(a);
}

void account_audit(struct app *a, const char *action, const char *result, const char *detail)
{
	if (a->svc.store && store_audit_append(a->svc.store, app_now_ms(a) / 1000, action, result, detail, NULL) != 0)
		fprintf(stderr, "recaudo: account: audit %s: %s\n", action, store_error(a->svc.store));
}

/* ---- the worker ---- */

int account_post(struct app *a, int kind, maint_job_fn fn, void *arg)
{
	struct account *s = a->acct;
	if (!s->jobs || s->job || maint_jobs_post(s->jobs, fn, arg) != 0)
		return -1;
	s->job = kind;
	s->dirty = 1;
	return 0;
}

struct api *account_api_open(struct maint_job_env *env, long timeout_ms)
{
	if (!env->cfg->central_url[0])
		return NULL;
	struct api_config ac;
	char err[256];
	struct api *api = NULL;
	if (app_api_config(env->cfg, &ac, err, sizeof(err)) == 0) {
		ac.connect_timeout_ms = timeout_ms < ACCOUNT_CALL_MS ? timeout_ms : ACCOUNT_CALL_MS;
		ac.timeout_ms = timeout_ms;
		api = api_open(&ac, err, sizeof(err));
		if (!api)
			fprintf(stderr, "recaudo: account: %s\n", err);
	}
	explicit_bzero(&ac, sizeof(ac));
	return api;
}

const char *account_api_words(int rc)
{
	switch (rc) {
	case API_ERR_NETWORK:
	case API_ERR_TLS:
		return tr(STR_AC_NO_CONNECTION);
	case API_ACC_BAD_TOKEN:
		return tr(STR_AC_SESSION_EXPIRED);
	case API_NOT_FOUND:
		return tr(STR_AC_NOT_FOUND);
	default:
		return tr(STR_AC_SERVICE_ERROR);
	}
}

static void pump(struct app *a)
{
	struct maint_job_result r;
	while (a->acct && a->acct->jobs && maint_jobs_poll(a->acct->jobs, &r)) {
		if (!r.done)
			continue;
		int kind = a->acct->job;
		a->acct->job = 0;
		a->acct->jobs_done++;
		a->acct->dirty = 1;
		struct act_event ev = {.type = ACT_JOB, .job = &r, .ch = kind};
		if (a->act == &act_account)
			a->act->handle(a, &ev);
		free(r.arg);
		if (r.rc == API_ACC_BAD_TOKEN && a->acct && a->acct->verified) {
			/* the server no longer takes the token (15 minutes): verify again, not a dead end */
			struct account *s = a->acct;
			explicit_bzero(s->token, sizeof(s->token));
			s->verified = 0;
			account_go(a, AP_SECURITY);
			account_say(a, UI_INFO, "%s", tr(STR_AC_SESSION_EXPIRED));
		}
		if (a->acct && a->acct->end_pending && !a->acct->job) {
			account_end(a, a->acct->end_pending);
			return;
		}
	}
}

static int busy(const struct app *a) { return a->acct && a->acct->jobs && maint_jobs_busy(a->acct->jobs); }

static void wait_idle(struct app *a)
{
	if (a->acct && a->acct->jobs)
		maint_jobs_wait_idle(a->acct->jobs);
}

/* ---- the session ---- */

void account_wipe_data(struct account *s)
{
	for (int i = 0; i < AI_COUNT; i++)
		ui_kbd_field_clear(&s->in[i]);
	explicit_bzero(&s->look, sizeof(s->look));
	explicit_bzero(&s->products, sizeof(s->products));
	s->products_loaded = 0;
	api_acc_statement_free(&s->st);
	explicit_bzero(&s->st, sizeof(s->st));
	s->have_st = 0;
	explicit_bzero(&s->cert, sizeof(s->cert));
	s->have_cert = 0;
	if (s->hist.p)
		explicit_bzero(s->hist.p, (size_t)s->hist.n * sizeof(*s->hist.p));
	api_acc_history_free(&s->hist);
	s->have_hist = 0;
	free(s->hist_seq);
	s->hist_seq = NULL;
	explicit_bzero(s->msg, sizeof(s->msg));
	explicit_bzero(s->sent_to, sizeof(s->sent_to));
	explicit_bzero(s->emailed_to, sizeof(s->emailed_to));
}

static void wipe_all(struct account *s)
{
	account_wipe_data(s);
	explicit_bzero(s->token, sizeof(s->token));
	explicit_bzero(&s->who, sizeof(s->who));
	explicit_bzero(s->session, sizeof(s->session));
	s->verified = 0;
}

void account_end(struct app *a, const char *why)
{
	struct account *s = a->acct;
	if (s)
		account_audit(a, "account.end", why, s->verified ? "verified=1" : "verified=0");
	customer_resume(a, 1, NULL); /* leave() wipes this session, then the journey's is wiped */
}

void account_to_payments(struct app *a, const char *emailed_to)
{
	char to[ACCOUNT_MASKED_MAX] = "";
	if (emailed_to)
		snprintf(to, sizeof(to), "%s", emailed_to);
	customer_resume(a, 0, emailed_to ? to : NULL);
	explicit_bzero(to, sizeof(to));
}

static void enter(struct app *a)
{
	struct account *s = calloc(1, sizeof(*s));
	if (!s) {
		fprintf(stderr, "recaudo: account: out of memory\n");
		customer_resume(a, 0, NULL);
		return;
	}
	a->acct = s;
	customer_handoff_get(a, &s->who);
	static const int max[AI_COUNT] = {[AI_CODE] = ACCOUNT_OTP_LEN, [AI_PHONE] = 20, [AI_EMAIL] = 80,
					  [AI_ADDRESS] = ACCOUNT_ADDRESS_MAX, [AI_PHRASE] = ACCOUNT_PHRASE_MAX};
	for (int i = 0; i < AI_COUNT; i++)
		ui_kbd_field_init(&s->in[i], max[i]);
	s->product = -1;
	s->image = -1;
	s->online = a->cfg.central_url[0] != 0;
	s->last_input_ms = app_now_ms(a);
	if (!a->acct_carry.on) { /* the first visit in this customer's session */
		account_otp_init(&a->acct_carry.otp);
		outbox_uuid4(a->acct_carry.session);
		a->acct_carry.on = 1;
	}
	s->otp = a->acct_carry.otp; /* leaving and coming back gives no new codes or tries */
	snprintf(s->session, sizeof(s->session), "%s", a->acct_carry.session);
	char err[256];
	s->jobs = maint_jobs_start(&a->cfg, a->svc.data_dir, a->svc.db_path, a->config_path, a->svc.wake,
				   a->svc.wake_user, err, sizeof(err));
	if (!s->jobs)
		fprintf(stderr, "recaudo: account: no worker: %s\n", err);
	account_go(a, s->who.kind == FLOW_HANDOFF_COUPON_EMAIL ? AP_EMAIL : AP_SECURITY);
}

static void leave(struct app *a)
{
	struct account *s = a->acct;
	if (!s)
		return;
	maint_jobs_stop(s->jobs); /* waits for a call under way: its copies are wiped there */
	if (a->acct_carry.on)
		a->acct_carry.otp = s->otp;
	wipe_all(s);
	explicit_bzero(s, sizeof(*s));
	free(s);
	a->acct = NULL;
	ui_forget(&a->ui);
}

static int64_t inactivity_ms(const struct app *a) { return (int64_t)a->cfg.inactivity_s * 1000; }
static int64_t countdown_ms(const struct app *a) { return (int64_t)a->cfg.countdown_s * 1000; }

static int countdown_left(const struct app *a)
{
	int64_t end = a->acct->last_input_ms + inactivity_ms(a) + countdown_ms(a);
	int64_t left = end - app_now_ms(a);
	return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

static int64_t next_deadline(const struct app *a)
{
	const struct account *s = a->acct;
	if (!s)
		return INT64_MAX;
	int64_t now = app_now_ms(a);
	int64_t warn = s->last_input_ms + inactivity_ms(a);
	int64_t t;
	/* the seconds on screen (the countdown's, "Reenviar en N s"): a frame a second after the
	 * last one drawn (due, <= now, until it is drawn) */
	int64_t second = s->drawn_ms + 1000;
	if (!s->countdown) {
		t = warn; /* due (<= now) until the tick raises the countdown */
	} else {
		int64_t end = warn + countdown_ms(a);
		t = second < end ? second : end;
	}
	if (s->phase == AP_OTP && account_otp_resend_in(&s->otp, s->drawn_ms) > 0 && second < t)
		t = second;
	(void)now;
	return t;
}

static void handle_event(struct app *a, const struct act_event *e);

static void handle(struct app *a, const struct act_event *e) { act_handle_keys(a, e, handle_event); }

static int is_input(const struct act_event *e)
{
	return e->type == ACT_ACTION || e->type == ACT_KEY || e->type == ACT_CHAR || e->type == ACT_TEXT ||
	       e->type == ACT_SCROLL;
}

static void handle_event(struct app *a, const struct act_event *e)
{
	struct account *s = a->acct;
	if (!s)
		return;
	int64_t now = app_now_ms(a);
	if (e->type == ACT_TICK) {
		int64_t idle = now - s->last_input_ms;
		if (idle >= inactivity_ms(a) + countdown_ms(a) && !s->job) {
			account_end(a, "idle");
			return;
		}
		if (idle >= inactivity_ms(a) && !s->countdown) {
			s->countdown = 1;
			a->dirty = 1;
		}
		s->dirty = 1; /* the seconds on screen */
		if (!s->countdown && screens[s->phase]->handle)
			screens[s->phase]->handle(a, e);
		return;
	}
	if (e->type == ACT_MAINT) { /* a customer's session comes first, as in the journey */
		a->maint_wanted = 1;
		return;
	}
	if (e->type == ACT_SERVICE || e->type == ACT_STATUS) {
		s->dirty = 1;
		if (screens[s->phase]->handle)
			screens[s->phase]->handle(a, e);
		return;
	}
	if (is_input(e)) {
		s->last_input_ms = now;
		s->dirty = 1;
		if (s->countdown || s->confirm_exit) { /* the overlay swallows the touch that dismisses it */
			const char *why = s->countdown ? "ended" : "exit";
			s->countdown = s->confirm_exit = 0;
			if (e->type == ACT_ACTION && e->act.action == AA_END) {
				if (s->job)
					s->end_pending = why; /* when the call under way is back (its data freed) */
				else
					account_end(a, why);
			}
			return;
		}
	}
	if (e->type == ACT_ACTION) {
		switch (e->act.action) {
		case UI_ACT_USER + FEV_EXIT_ASK:
			s->confirm_exit = 1;
			return;
		case UI_ACT_USER + FEV_TEXT_SIZE:
			customer_held_event(a, FEV_TEXT_SIZE);
			return;
		case UI_ACT_USER + FEV_CONTRAST:
			customer_held_event(a, FEV_CONTRAST);
			return;
		case UI_ACT_USER + FEV_LANG:
			customer_held_event(a, FEV_LANG);
			return;
		case AA_TO_PAYMENTS:
			if (!s->job)
				account_to_payments(a, NULL);
			return;
		default:
			break;
		}
	}
	if (e->type == ACT_KEY && e->key == APP_KEY_TEXT_SIZE) {
		customer_held_event(a, FEV_TEXT_SIZE);
		return;
	}
	if (e->type == ACT_KEY && e->key == APP_KEY_CONTRAST) {
		customer_held_event(a, FEV_CONTRAST);
		return;
	}
	if (screens[s->phase]->handle && screens[s->phase]->handle(a, e))
		return;
	if (e->type == ACT_PRINT_DONE) { /* not this screen's paper: the held coupon's receipt */
		customer_held_print(a, e->print);
		return;
	}
	/* defaults: Escape and "Atrás" go back to the menu once verified, else to the payments */
	int back = (e->type == ACT_KEY && e->key == APP_KEY_ESCAPE) || (e->type == ACT_ACTION && e->act.action == AA_BACK);
	if (back && !s->job) {
		if (s->verified && s->phase != AP_MENU)
			account_go(a, AP_MENU);
		else
			account_to_payments(a, NULL);
	}
}

static int dirty(const struct app *a) { return a->acct && a->acct->dirty; }

/* ---- the overlays (the journey's words) ---- */

static void draw_overlay(struct app *a, const char *title, const char *big, const char *body, const char *no,
			 const char *yes, int yes_act, int keep_act)
{
	struct ui *ui = &a->ui;
	int w = ui->w - 2 * screen_pad(ui);
	if (w > ui_px(ui, 900))
		w = ui_px(ui, 900);
	int pad = ui_px(ui, SP_L), gap = ui_px(ui, SP_M), bh = ui_tpx(ui, 130);
	int body_h = text_wrap(ui->text, FONT_BODY, 0, body, w - 2 * pad, NULL, NULL) * ui_line_h(ui, FONT_BODY);
	int title_h = text_wrap(ui->text, FONT_H1, 1, title, w - 2 * pad, NULL, NULL) * text_line_height_of(ui->text, FONT_H1, 1);
	int h = 2 * pad + title_h + gap + (big ? ui_line_h(ui, FONT_DISPLAY) + gap : 0) + body_h + pad + bh;
	struct ui_rect in = ui_dialog(ui, w, h);
	ui_hit(ui, (struct ui_rect){0, 0, ui->w, ui->h}, (struct ui_action){keep_act, 0}, NULL);
	int y = in.y;
	y += ui_para(ui, (struct ui_rect){in.x, y, in.w, 0}, FONT_H1, 1, THEME_TEXT, UI_CENTER, title) + gap;
	if (big) {
		ui_label(ui, in.x + in.w / 2, y, FONT_DISPLAY, 1, THEME_BRAND, UI_CENTER, big);
		y += ui_line_h(ui, FONT_DISPLAY) + gap;
	}
	ui_para(ui, (struct ui_rect){in.x, y, in.w, 0}, FONT_BODY, 0, THEME_MUTED, UI_CENTER, body);
	int bw = (in.w - gap) / 2, by = in.y + in.h - bh;
	ui_button(ui, (struct ui_rect){in.x, by, bw, bh}, no, UI_SECONDARY, (struct ui_action){yes_act, 0}, 1);
	ui_button(ui, (struct ui_rect){in.x + bw + gap, by, bw, bh}, yes, UI_ACCENT, (struct ui_action){keep_act, 0}, 1);
}

static void draw(struct app *a)
{
	struct account *s = a->acct;
	struct ui *ui = &a->ui;
	i18n_set(a->flow.lang);
	ui_set_look(ui, a->flow.large_text, a->flow.high_contrast);
	ui_begin(ui, THEME_BG);
	if (!s)
		return;
	s->drawn_ms = app_now_ms(a);
	int top = screen_topbar(ui, &a->flow, 1);
	screens[s->phase]->draw(a, (struct ui_rect){0, top, ui->w, ui->h - top});
	if (s->confirm_exit)
		draw_overlay(a, tr(STR_EXIT_TITLE), NULL, tr(STR_EXIT_BODY), tr(STR_EXIT_YES), tr(STR_EXIT_NO), AA_END,
			     AA_EXIT_KEEP);
	if (s->countdown) {
		char body[160], secs[8];
		int left = countdown_left(a);
		snprintf(body, sizeof(body), tr(STR_IDLE_BODY), left);
		snprintf(secs, sizeof(secs), "%d", left);
		draw_overlay(a, tr(STR_IDLE_TITLE), secs, body, tr(STR_IDLE_END), tr(STR_IDLE_MORE), AA_END, AA_MORE_TIME);
	}
	s->dirty = 0;
}

/* Spoken guidance (docs/accessibility.md): on entry the screen's words and its message; the
 * security phrase and image, and a message with a masked phone or e-mail, only into
 * headphones (personal); a control: its label. */
static void speak(struct app *a, const struct ui_hit *focus, int personal, char *out, size_t n)
{
	struct account *s = a->acct;
	i18n_set(a->flow.lang);
	out[0] = 0;
	if (focus || !s) {
		snprintf(out, n, "%s", focus ? focus->label : "");
		return;
	}
	const struct account_screen *sc = screens[s->phase];
	size_t k = 0;
	if (sc->say)
		k = (size_t)snprintf(out, n, "%s. ", tr(sc->say));
	if (k < n && s->phase == AP_SECURITY && personal && s->looked_up && s->look.image >= 0 && s->look.phrase[0])
		k += (size_t)snprintf(out + k, n - k, "%s: %s. %s: %s. ", tr(STR_AC_YOUR_IMAGE),
				      ui_secimage_name(s->look.image, a->flow.lang == LANG_EN), tr(STR_AC_YOUR_PHRASE),
				      s->look.phrase);
	if (k < n && s->msg[0] && (personal || (!strchr(s->msg, '*') && !strchr(s->msg, '@'))))
		snprintf(out + k, n - k, "%s", s->msg);
}

static const char *screen(const struct app *a) { return a->acct ? screens[a->acct->phase]->id : "services-security"; }

static int focus_home(struct app *a)
{
	struct account *s = a->acct;
	if (!s)
		return 0;
	if (s->countdown)
		return ui_focus_set(&a->ui, (struct ui_action){AA_MORE_TIME, 0});
	if (s->confirm_exit)
		return ui_focus_set(&a->ui, (struct ui_action){AA_EXIT_KEEP, 0});
	return 0;
}

/* ---- shared drawing ---- */

int account_header(struct app *a, struct ui_rect body, const char *title, int back)
{
	struct ui *ui = &a->ui;
	int pad = screen_pad(ui), gap = ui_px(ui, SP_M);
	int x = body.x + pad, y = body.y + pad, w = body.w - 2 * pad;
	int bh = ui_tpx(ui, TOUCH_MIN);
	int bw = back ? screen_button_w(ui, tr(STR_BACK), ui_px(ui, 220)) : 0;
	int tw = back ? w - bw - gap : w;
	int th = ui_para(ui, (struct ui_rect){x, y, tw, 0}, FONT_H1, 1, THEME_TEXT, UI_LEFT, title);
	if (!back)
		return y + th + gap;
	ui_button(ui, (struct ui_rect){x + w - bw, y + (th > bh ? (th - bh) / 2 : 0), bw, bh}, tr(STR_BACK),
		  UI_SECONDARY, (struct ui_action){AA_BACK, 0}, !a->acct->job);
	return y + (th > bh ? th : bh) + gap;
}

int account_message(struct app *a, int x, int y, int w)
{
	struct account *s = a->acct;
	if (!s->msg[0])
		return 0;
	return ui_banner(&a->ui, (struct ui_rect){x, y, w, 0}, s->msg, s->msg_kind) + ui_px(&a->ui, SP_S);
}

int account_field(struct app *a, int x, int y, int w, const char *label, enum account_input in, int masked)
{
	struct ui *ui = &a->ui;
	struct account *s = a->acct;
	int lh = ui_line_h(ui, FONT_SMALL), fh = ui_tpx(ui, 110);
	ui_label_fit(ui, x, y, w, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, label);
	struct ui_rect box = {x, y + lh + ui_px(ui, SP_XS) / 2, w, fh};
	ui_kbd_field_draw_focus(ui, box, &s->in[in], masked, masked && s->focus == in && s->kbd.shown, s->focus == in);
	ui_hit(ui, box, (struct ui_action){AA_FIELD, in}, label);
	return box.y + fh - y;
}

int account_keyboard(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct account *s = a->acct;
	int m = ui_px(ui, SP_S);
	int kh = ui_px(ui, 5 * 118 + 4 * SP_XS);
	if (kh > body.h * 11 / 20)
		kh = body.h * 11 / 20;
	int y = body.y + body.h - kh - m / 2;
	s->kbd.masked = s->focus == AI_CODE;
	ui_keyboard(ui, (struct ui_rect){body.x + m / 2, y, body.w - m, kh}, &s->kbd);
	return y;
}

int account_kbd_event(struct app *a, const struct act_event *e)
{
	struct account *s = a->acct;
	if (e->type == ACT_ACTION && e->act.action == AA_FIELD && e->act.arg >= 0 && e->act.arg < AI_COUNT) {
		s->focus = (enum account_input)e->act.arg;
		s->kbd = (struct ui_kbd){0};
		s->dirty = 1;
		return 1;
	}
	struct ui_kbd_field *in = &s->in[s->focus];
	int changed, typing = e->type == ACT_TEXT || (e->type == ACT_ACTION && (e->act.action == UI_ACT_KBD_CHAR ||
										 e->act.action == UI_ACT_KBD_TEXT));
	if (e->type == ACT_ACTION && e->act.action >= UI_ACT_KBD_CHAR && e->act.action <= UI_ACT_KBD_SHOW)
		changed = ui_kbd_apply(&s->kbd, in, e->act);
	else if (e->type == ACT_TEXT)
		changed = ui_kbd_key(&s->kbd, in, e->text, 0);
	else if (e->type == ACT_KEY && e->key == APP_KEY_BACKSPACE)
		changed = ui_kbd_key(&s->kbd, in, NULL, 1);
	else
		return 0;
	if (typing && !changed && in->max_chars && ui_kbd_field_chars(in) >= in->max_chars)
		account_say(a, UI_ERROR, tr(STR_F_TOO_LONG), in->max_chars);
	else if (changed && s->msg_kind == UI_ERROR)
		s->msg[0] = 0; /* typing again: the last complaint goes */
	s->dirty = 1;
	return 1;
}

const struct activity act_account = {
	.name = "account",
	.mode = 0,
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
	.focus_home = focus_home,
	.speak = speak,
};
