/* services-security: before the code is asked for, the customer's security image and phrase
 * as the central API has them, with seed 002's explanation (a customer who does not
 * recognise them is not at a genuine kiosk and does not go on); where the code will go; and
 * "Continuar", which sends it. A customer without an account is offered "Registrarse"; one
 * without an image and phrase is told they choose them after the code. Offline (or no answer
 * within the budget) the screen says these services need the connection and offers the way
 * back to the payments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account_internal.h"
#include "app.h"
#include "ui_secimage.h"

enum { JOB_LOOKUP = 1, JOB_SEND };

struct lookup_job {
	enum id_type t;
	char number[24];
	struct api_acc_lookup out;
	int rc;
};

static int lookup_job(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct lookup_job *j = arg;
	(void)msg, (void)msgn;
	struct api *api = account_api_open(env, ACCOUNT_CALL_MS);
	j->rc = api ? api_acc_lookup(api, j->t, j->number, ACCOUNT_CALL_MS, &j->out) : API_ERR_NETWORK;
	api_close(api);
	explicit_bzero(j->number, sizeof(j->number));
	return j->rc;
}

struct send_job {
	enum id_type t;
	char number[24];
	char session[API_ACC_SESSION_LEN + 1];
	enum api_channel ch;
	struct api_acc_sent out;
	int rc;
};

static int send_job(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct send_job *j = arg;
	(void)msg, (void)msgn;
	struct api *api = account_api_open(env, ACCOUNT_CALL_MS);
	j->rc = api ? api_otp_send(api, j->t, j->number, j->session, j->ch, ACCOUNT_CALL_MS, &j->out) : API_ERR_NETWORK;
	api_close(api);
	explicit_bzero(j->number, sizeof(j->number));
	return j->rc;
}

static void start_lookup(struct app *a)
{
	struct account *s = account_of(a);
	s->no_connection = 0;
	s->looked_up = 0;
	if (!s->online) {
		s->no_connection = 1;
		account_say(a, UI_INFO, "%s", tr(STR_AC_NO_CONNECTION));
		return;
	}
	struct lookup_job *j = calloc(1, sizeof(*j));
	if (!j)
		return;
	j->t = s->who.id_type;
	snprintf(j->number, sizeof(j->number), "%s", s->who.id_number);
	if (account_post(a, JOB_LOOKUP, lookup_job, j) != 0) {
		explicit_bzero(j, sizeof(*j));
		free(j);
	}
}

/* "Continuar": the code goes to the chosen channel (also "Reenviar" on services-otp). */
int account_send_code(struct app *a)
{
	struct account *s = account_of(a);
	if (s->job)
		return -1;
	if (s->otp.sends >= ACCOUNT_OTP_SENDS) {
		account_say(a, UI_ERROR, "%s", tr(STR_AC_NO_MORE_SENDS));
		return -1;
	}
	if (!account_otp_can_resend(&s->otp, app_now_ms(a))) { /* the 60 s, whichever way back */
		if (s->phase != AP_OTP) /* the code sent is still good: where it is typed */
			account_go(a, AP_OTP);
		account_say(a, UI_INFO, tr(STR_AC_RESEND_IN), account_otp_resend_in(&s->otp, app_now_ms(a)));
		return -1;
	}
	struct send_job *j = calloc(1, sizeof(*j));
	if (!j)
		return -1;
	j->t = s->who.id_type;
	snprintf(j->number, sizeof(j->number), "%s", s->who.id_number);
	snprintf(j->session, sizeof(j->session), "%s", s->session);
	j->ch = s->channel;
	if (account_post(a, JOB_SEND, send_job, j) != 0) {
		explicit_bzero(j, sizeof(*j));
		free(j);
		return -1;
	}
	return 0;
}

/* The answer to a send, on whichever screen asked (services-security, services-otp). */
int account_send_done(struct app *a, const struct act_event *e)
{
	struct account *s = account_of(a);
	if (e->type != ACT_JOB || e->job->fn != send_job)
		return 0;
	struct send_job *j = e->job->arg;
	char d[48];
	snprintf(d, sizeof(d), "channel=%s", j->ch == API_CH_SMS ? "sms" : "email");
	if (j->rc == API_OK) {
		account_otp_sent(&s->otp, app_now_ms(a), j->out.resend_after, j->out.expires_in);
		snprintf(s->sent_to, sizeof(s->sent_to), "%s", j->out.sent_to);
		account_audit(a, "account.otp_sent", "ok", d);
		ui_kbd_field_clear(&s->in[AI_CODE]);
		if (s->phase != AP_OTP)
			account_go(a, AP_OTP); /* its words say where the code went */
		else
			account_say(a, UI_OK, tr(STR_AC_CODE_SENT), s->sent_to); /* a new one */
	} else if (j->rc == API_ACC_TOO_MANY) {
		s->otp.sends = ACCOUNT_OTP_SENDS;
		account_say(a, UI_ERROR, "%s", tr(STR_AC_NO_MORE_SENDS));
	} else if (j->rc == API_ACC_TOO_SOON) {
		account_say(a, UI_INFO, tr(STR_AC_RESEND_IN), j->out.retry_in);
	} else {
		account_audit(a, "account.otp_sent", "failed", d);
		account_say(a, UI_ERROR, "%s", account_api_words(j->rc));
	}
	return 1;
}

static void enter(struct app *a) { start_lookup(a); }

static int has_channel(const struct account *s) { return s->look.sms[0] || s->look.email[0]; }

static int handle(struct app *a, const struct act_event *e)
{
	struct account *s = account_of(a);
	if (account_send_done(a, e))
		return 1;
	if (e->type == ACT_JOB && e->job->fn == lookup_job) {
		struct lookup_job *j = e->job->arg;
		if (j->rc == API_OK || j->rc == API_ACC_NO_ACCOUNT) {
			s->look = j->out;
			s->looked_up = 1;
			s->channel = s->look.sms[0] ? API_CH_SMS : API_CH_EMAIL;
			s->msg[0] = 0;
			account_audit(a, "account.lookup", j->rc == API_OK ? "account" : "no_account", "");
		} else if (j->rc == API_NOT_FOUND) {
			s->looked_up = 0;
			account_say(a, UI_INFO, "%s", tr(STR_AC_UNKNOWN_CUSTOMER));
		} else {
			s->no_connection = 1;
			account_say(a, UI_INFO, "%s", tr(STR_AC_NO_CONNECTION));
		}
		explicit_bzero(&j->out, sizeof(j->out));
		return 1;
	}
	if (e->type != ACT_ACTION && !(e->type == ACT_KEY && e->key == APP_KEY_ENTER))
		return 0;
	int act = e->type == ACT_KEY ? AA_CONTINUE : e->act.action;
	switch (act) {
	case AA_RETRY:
		if (!s->job)
			start_lookup(a);
		return 1;
	case AA_CHANNEL:
		if ((e->act.arg == API_CH_SMS && s->look.sms[0]) || (e->act.arg == API_CH_EMAIL && s->look.email[0]))
			s->channel = (enum api_channel)e->act.arg;
		return 1;
	case AA_CONTINUE:
		if (s->looked_up && s->look.account && has_channel(s))
			account_send_code(a);
		return 1;
	case AA_REGISTER:
		if (s->looked_up && !s->look.account && !s->job)
			account_go(a, AP_REGISTER);
		return 1;
	default:
		return 0;
	}
}

/* The image tile and the phrase, side by side. Returns the height. */
static int draw_secret(struct app *a, int x, int y, int w)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int gap = ui_px(ui, SP_M);
	int side = ui_px(ui, ui->portrait ? 320 : 200);
	if (side > w / 3)
		side = w / 3;
	int tx = x + side + 2 * gap, tw = w - side - 3 * gap;
	char q[ACCOUNT_PHRASE_MAX * 4 + 8];
	snprintf(q, sizeof(q), "«%s»", s->look.phrase);
	/* large text on a landscape screen: the phrase a size down, so the warning fits under it */
	enum font_size pf = !ui->portrait && ui->look == UI_LOOK_LARGE ? FONT_BODY : FONT_H1;
	int th = text_wrap(ui->text, FONT_SMALL, 1, tr(STR_AC_YOUR_PHRASE), tw, NULL, NULL) * ui_line_h(ui, FONT_SMALL) +
		 text_wrap(ui->text, pf, 1, q, tw, NULL, NULL) * ui_line_h(ui, pf) +
		 (pf == FONT_H1 ? gap / 2 + ui_line_h(ui, FONT_SMALL) : 0);
	int h = (th > side ? th : side) + 2 * gap;
	ui_round(ui, (struct ui_rect){x, y, w, h}, ui_px(ui, RADIUS), THEME_SURFACE);
	ui_secimage_draw(ui, (struct ui_rect){x + gap, y + (h - side) / 2, side, side}, s->look.image);
	int ty = y + gap;
	ty += ui_para(ui, (struct ui_rect){tx, ty, tw, 0}, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, tr(STR_AC_YOUR_PHRASE));
	ty += ui_para(ui, (struct ui_rect){tx, ty, tw, 0}, pf, 1, THEME_TEXT, UI_LEFT, q);
	if (pf == FONT_H1) /* the image's name, where there is room (spoken guidance says it too) */
		ui_label_fit(ui, tx, ty + gap / 2, tw, FONT_SMALL, 0, THEME_MUTED, UI_LEFT,
			     ui_secimage_name(s->look.image, i18n_get() == LANG_EN));
	return h;
}

/* Where the code goes: a radio choice (a mark, not colour alone) with the masked address. */
static int draw_channel(struct app *a, struct ui_rect r, const char *title, const char *masked, int on, int ch)
{
	struct ui *ui = &a->ui;
	int pad = ui_px(ui, SP_M);
	int mw = ui_line_h(ui, FONT_H1);
	r.h = 2 * pad + ui_line_h(ui, FONT_BODY) + ui_line_h(ui, FONT_SMALL);
	if (r.h < ui_tpx(ui, TOUCH_MIN))
		r.h = ui_tpx(ui, TOUCH_MIN);
	ui_round(ui, r, ui_px(ui, RADIUS), on ? THEME_BRAND : THEME_SURFACE);
	if (!on) /* the brand fill is its own edge */
		ui_round_outline(ui, r, ui_px(ui, RADIUS), 2, THEME_LINE);
	struct rgba fg = on ? THEME_ON_BRAND : THEME_TEXT;
	int ty = r.y + (r.h - ui_line_h(ui, FONT_BODY) - ui_line_h(ui, FONT_SMALL)) / 2;
	ui_label(ui, r.x + pad, r.y + (r.h - ui_line_h(ui, FONT_H1)) / 2, FONT_H1, 1, fg, UI_LEFT, on ? "●" : "○");
	int tx = r.x + 2 * pad + mw, tw = r.w - 3 * pad - mw;
	ui_label_fit(ui, tx, ty, tw, FONT_BODY, 1, fg, UI_LEFT, title);
	ui_label_fit(ui, tx, ty + ui_line_h(ui, FONT_BODY), tw, FONT_SMALL, 0, fg, UI_LEFT, masked);
	ui_hit(ui, r, (struct ui_action){AA_CHANNEL, ch}, title);
	return r.h;
}

static void draw(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int pad = screen_pad(ui), gap = ui_px(ui, SP_M), bh = ui_tpx(ui, 130);
	int x = body.x + pad, w = body.w - 2 * pad;
	/* until the account is known there is nothing to check yet (offline, waiting) */
	int y = account_header(a, body, tr(s->looked_up ? STR_AC_SECURITY_TITLE : STR_PF_SERVICES), 0);
	int bottom = body.y + body.h - pad;
	/* the way back is always there, at the bottom left */
	int bw = (w - gap) / 2;
	ui_button(ui, (struct ui_rect){x, bottom - bh, bw, bh}, tr(STR_AC_TO_PAYMENTS), UI_SECONDARY,
		  (struct ui_action){AA_TO_PAYMENTS, 0}, !s->job);
	struct ui_rect go = {x + w - bw, bottom - bh, bw, bh};
	if (s->job) {
		ui_banner(ui, (struct ui_rect){x, y, w, 0}, tr(STR_AC_WORKING), UI_INFO);
		return;
	}
	if (!s->looked_up) {
		account_message(a, x, y, w);
		if (s->no_connection && s->online)
			ui_button(ui, go, tr(STR_AC_RETRY), UI_PRIMARY, (struct ui_action){AA_RETRY, 0}, 1);
		return;
	}
	if (!s->look.account) {
		y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 0, THEME_TEXT, UI_LEFT, tr(STR_AC_NO_ACCOUNT)) + gap;
		account_message(a, x, y, w);
		ui_button(ui, go, tr(STR_AC_REGISTER), UI_PRIMARY, (struct ui_action){AA_REGISTER, 0}, 1);
		return;
	}
	/* portrait: one column; landscape: the image and phrase left, where the code goes right */
	int lw = ui->portrait ? w : (w - gap) * (ui->look == UI_LOOK_LARGE ? 54 : 58) / 100;
	int rx = ui->portrait ? x : x + lw + gap, rw = ui->portrait ? w : w - lw - gap;
	int ry = y;
	if (s->look.image >= 0 && s->look.phrase[0]) {
		if (ui->look != UI_LOOK_LARGE) /* large text: the card's own label says it */
			y += ui_para(ui, (struct ui_rect){x, y, lw, 0}, FONT_BODY, 0, THEME_TEXT, UI_LEFT,
				     tr(STR_AC_SECURITY_WHY)) + gap;
		y += draw_secret(a, x, y, lw) + gap;
		enum font_size wf = !ui->portrait && ui->look == UI_LOOK_LARGE ? FONT_SMALL : FONT_BODY;
		y += ui_para(ui, (struct ui_rect){x, y, lw, 0}, wf, 1, THEME_TEXT, UI_LEFT, tr(STR_AC_SECURITY_WARN)) + gap;
	} else {
		y += ui_para(ui, (struct ui_rect){x, y, lw, 0}, FONT_BODY, 0, THEME_TEXT, UI_LEFT, tr(STR_AC_NO_SECRET)) + gap;
	}
	if (ui->portrait)
		ry = y;
	if (!has_channel(s)) {
		char m[320];
		snprintf(m, sizeof(m), tr(STR_AC_NO_CHANNEL), a->cfg.support_line[0] ? a->cfg.support_line : "—");
		ui_banner(ui, (struct ui_rect){rx, ry, rw, 0}, m, UI_INFO);
		return;
	}
	ry += ui_para(ui, (struct ui_rect){rx, ry, rw, 0}, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, tr(STR_AC_SEND_TO)) +
	      ui_px(ui, SP_XS);
	/* side by side in a wide column, one under the other in a narrow one */
	int both = s->look.sms[0] && s->look.email[0];
	int across = both && rw >= ui_px(ui, 900) && ui->look != UI_LOOK_LARGE;
	int cw = across ? (rw - gap) / 2 : rw, cx = rx, h = 0;
	if (s->look.sms[0]) {
		h = draw_channel(a, (struct ui_rect){cx, ry, cw, 0}, tr(STR_AC_BY_SMS), s->look.sms, s->channel == API_CH_SMS,
				 API_CH_SMS);
		if (across)
			cx += cw + gap;
		else
			ry += h + gap;
	}
	if (s->look.email[0]) {
		h = draw_channel(a, (struct ui_rect){cx, ry, cw, 0}, tr(STR_AC_BY_EMAIL), s->look.email,
				 s->channel == API_CH_EMAIL, API_CH_EMAIL);
		ry += h + gap;
	} else if (across) {
		ry += h + gap;
	}
	account_message(a, rx, ry, rw);
	ui_button(ui, go, tr(STR_AC_CONTINUE), UI_PRIMARY, (struct ui_action){AA_CONTINUE, 0}, 1);
}

const struct account_screen account_security_screen = {"services-security", enter, draw, handle, STR_AC_SECURITY_TITLE};
