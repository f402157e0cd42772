/* services-otp: where the code went (masked), the 6 digits on a numeric keypad (or typed),
 * "Verificar", and "Reenviar" once 60 s have passed (at most 3 codes a visit). The code is
 * good for 5 minutes; three wrong codes end the session (everything wiped, attract), as a
 * card kept by an ATM. A good code brings the session's token: the menu, or first the choice
 * of an image and phrase for a customer who has none. The typed code leaves the field the
 * moment it is posted, and the job's copy is wiped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account_internal.h"
#include "app.h"

enum { JOB_VERIFY = 3 };

struct verify_job {
	enum id_type t;
	char number[24];
	char session[API_ACC_SESSION_LEN + 1];
	char code[ACCOUNT_OTP_LEN + 1];
	struct api_acc_verified out;
	int rc;
};

static int verify_job(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct verify_job *j = arg;
	(void)msg, (void)msgn;
	struct api *api = account_api_open(env, ACCOUNT_CALL_MS);
	j->rc = api ? api_otp_verify(api, j->t, j->number, j->session, j->code, ACCOUNT_CALL_MS, &j->out)
		    : API_ERR_NETWORK;
	api_close(api);
	explicit_bzero(j->number, sizeof(j->number));
	explicit_bzero(j->code, sizeof(j->code));
	return j->rc;
}

static void submit(struct app *a)
{
	struct account *s = account_of(a);
	struct ui_kbd_field *in = &s->in[AI_CODE];
	if (s->job)
		return;
	if (!account_otp_ok(in->buf)) {
		account_say(a, UI_ERROR, "%s", tr(STR_AC_CODE_SIX));
		return;
	}
	if (account_otp_expired(&s->otp, app_now_ms(a))) {
		ui_kbd_field_clear(in);
		account_say(a, UI_ERROR, "%s", tr(STR_AC_CODE_EXPIRED));
		return;
	}
	struct verify_job *j = calloc(1, sizeof(*j));
	if (!j)
		return;
	j->t = s->who.id_type;
	snprintf(j->number, sizeof(j->number), "%s", s->who.id_number);
	snprintf(j->session, sizeof(j->session), "%s", s->session);
	snprintf(j->code, sizeof(j->code), "%s", in->buf);
	ui_kbd_field_clear(in);
	if (account_post(a, JOB_VERIFY, verify_job, j) != 0) {
		explicit_bzero(j, sizeof(*j));
		free(j);
	}
}

static void verified(struct app *a, struct verify_job *j)
{
	struct account *s = account_of(a);
	snprintf(s->token, sizeof(s->token), "%s", j->out.token);
	explicit_bzero(j->out.token, sizeof(j->out.token));
	s->verified = 1;
	account_audit(a, "account.verified", "ok", "");
	/* a customer without an image and phrase is offered to choose them first */
	account_go(a, s->look.image < 0 || !s->look.phrase[0] ? AP_CHANGE : AP_MENU);
}

static int handle(struct app *a, const struct act_event *e)
{
	struct account *s = account_of(a);
	if (account_send_done(a, e))
		return 1;
	if (e->type == ACT_JOB && e->job->fn == verify_job) {
		struct verify_job *j = e->job->arg;
		switch (j->rc) {
		case API_OK:
			verified(a, j);
			return 1;
		case API_ACC_WRONG_CODE: {
			int left = account_otp_wrong(&s->otp);
			if (j->out.tries_left < left)
				left = s->otp.tries_left = j->out.tries_left; /* the server's count rules */
			account_audit(a, "account.otp_failed", "wrong", "");
			if (left <= 0) {
				account_end(a, "wrong_code");
				return 1;
			}
			account_say(a, UI_ERROR, left == 1 ? tr(STR_AC_CODE_WRONG_1) : tr(STR_AC_CODE_WRONG), left);
			return 1;
		}
		case API_ACC_LOCKED:
			account_audit(a, "account.otp_failed", "locked", "");
			account_end(a, "wrong_code");
			return 1;
		case API_ACC_EXPIRED:
			account_say(a, UI_ERROR, "%s", tr(STR_AC_CODE_EXPIRED));
			return 1;
		default:
			account_say(a, UI_ERROR, "%s", account_api_words(j->rc));
			return 1;
		}
	}
	if (e->type == ACT_TICK)
		return 1; /* the "Reenviar en N s" redraw (s->dirty is set) */
	/* the code: the keypad's digits, typed digits, backspace */
	struct ui_kbd_field *in = &s->in[AI_CODE];
	char one[2] = {0, 0};
	const char *text = NULL;
	if (e->type == ACT_ACTION && e->act.action == UI_ACT_CHAR)
		one[0] = (char)e->act.arg, text = one;
	else if (e->type == ACT_CHAR)
		one[0] = (char)e->ch, text = one;
	else if (e->type == ACT_TEXT)
		text = e->text; /* a keyboard, or a code pasted whole */
	if (text) {
		for (; *text; text++)
			if (*text >= '0' && *text <= '9' && in->len < ACCOUNT_OTP_LEN) {
				in->buf[in->len++] = *text;
				in->buf[in->len] = 0;
				if (s->msg_kind == UI_ERROR)
					s->msg[0] = 0;
			}
		return 1;
	}
	if ((e->type == ACT_ACTION && e->act.action == UI_ACT_BACKSPACE) ||
	    (e->type == ACT_KEY && e->key == APP_KEY_BACKSPACE)) {
		if (in->len)
			in->buf[--in->len] = 0;
		return 1;
	}
	if ((e->type == ACT_ACTION && e->act.action == UI_ACT_CLEAR) || (e->type == ACT_KEY && e->key == APP_KEY_DELETE)) {
		ui_kbd_field_clear(in);
		return 1;
	}
	if ((e->type == ACT_ACTION && e->act.action == AA_OTP_OK) || (e->type == ACT_KEY && e->key == APP_KEY_ENTER)) {
		submit(a);
		return 1;
	}
	if (e->type == ACT_ACTION && e->act.action == AA_RESEND) {
		if (account_otp_can_resend(&s->otp, app_now_ms(a)))
			account_send_code(a);
		return 1;
	}
	if (e->type == ACT_ACTION && e->act.action == AA_BACK && !s->job) {
		account_go(a, AP_SECURITY); /* another channel; the code sent stays good */
		return 1;
	}
	return 0;
}

static void draw(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int pad = screen_pad(ui), gap = ui_px(ui, SP_M), bh = ui_tpx(ui, 130);
	int x = body.x + pad, w0 = body.w - 2 * pad;
	/* landscape: the title, the words and the code on the left, the keypad on the right from
	 * the top (its keys as large as in portrait) */
	int w = ui->portrait ? w0 : (w0 - gap) * 55 / 100;
	struct ui_rect hb = ui->portrait ? body : (struct ui_rect){body.x, body.y, w + 2 * pad, body.h};
	int y = account_header(a, hb, tr(STR_AC_OTP_TITLE), 1), ytop = body.y + pad;
	int64_t now = app_now_ms(a);
	char line[240];
	snprintf(line, sizeof(line), tr(STR_AC_OTP_BODY), s->sent_to);
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 0, THEME_TEXT, UI_LEFT, line) + gap;
	/* the code as six boxes: what is typed, and how many are left to type */
	int bw = ui_px(ui, ui->portrait ? 120 : 90), bhx = ui_tpx(ui, 120), bg = ui_px(ui, SP_S);
	if (ACCOUNT_OTP_LEN * (bw + bg) > w)
		bw = w / ACCOUNT_OTP_LEN - bg;
	int cx = x + (w - (ACCOUNT_OTP_LEN * bw + (ACCOUNT_OTP_LEN - 1) * bg)) / 2;
	struct ui_kbd_field *in = &s->in[AI_CODE];
	for (int i = 0; i < ACCOUNT_OTP_LEN; i++) {
		struct ui_rect r = {cx + i * (bw + bg), y, bw, bhx};
		ui_round(ui, r, ui_px(ui, RADIUS), THEME_SURFACE);
		ui_round_outline(ui, r, ui_px(ui, RADIUS), (size_t)i == in->len ? 4 : 2,
				 (size_t)i == in->len ? THEME_BRAND : THEME_LINE);
		if ((size_t)i < in->len) {
			char d[2] = {in->buf[i], 0};
			ui_label(ui, r.x + r.w / 2, r.y + (r.h - ui_line_h(ui, FONT_H1)) / 2, FONT_H1, 1, THEME_TEXT,
				 UI_CENTER, d);
		}
	}
	ui_hit(ui, (struct ui_rect){cx, y, ACCOUNT_OTP_LEN * (bw + bg), bhx}, (struct ui_action){AA_FIELD, AI_CODE},
	       tr(STR_AC_OTP_LABEL));
	y += bhx + gap;
	y += account_message(a, x, y, w);
	if (s->job)
		y += ui_banner(ui, (struct ui_rect){x, y, w, 0}, tr(STR_AC_WORKING), UI_INFO) + gap;
	/* the actions at the bottom, the keypad between */
	int bottom = body.y + body.h - pad;
	int half = (w0 - gap) / 2;
	char resend[96];
	int wait = account_otp_resend_in(&s->otp, now);
	if (s->otp.sends >= ACCOUNT_OTP_SENDS)
		snprintf(resend, sizeof(resend), "%s", tr(STR_AC_RESEND_NONE));
	else if (wait > 0)
		snprintf(resend, sizeof(resend), tr(STR_AC_RESEND_WAIT), wait);
	else
		snprintf(resend, sizeof(resend), "%s", tr(STR_AC_RESEND));
	ui_button(ui, (struct ui_rect){x, bottom - bh, half, bh}, resend, UI_SECONDARY, (struct ui_action){AA_RESEND, 0},
		  !s->job && account_otp_can_resend(&s->otp, now));
	ui_button(ui, (struct ui_rect){x + w0 - half, bottom - bh, half, bh}, tr(STR_AC_VERIFY), UI_PRIMARY,
		  (struct ui_action){AA_OTP_OK, 0}, !s->job && in->len == ACCOUNT_OTP_LEN);
	/* the keypad: under the code (portrait) or beside it (landscape), as large as fits */
	int kx = ui->portrait ? x : x + w + gap, kwide = ui->portrait ? w0 : w0 - w - gap;
	int ky = ui->portrait ? y : ytop;
	int kh = bottom - bh - gap - ky;
	int kw = ui_px(ui, 760);
	if (kw > kwide)
		kw = kwide;
	if (kh > ui_px(ui, 640))
		kh = ui_px(ui, 640);
	ui_keypad(ui, (struct ui_rect){kx + (kwide - kw) / 2, bottom - bh - gap - kh, kw, kh}, 0);
}

const struct account_screen account_otp_screen = {"services-otp", NULL, draw, handle, STR_AC_OTP_TITLE};
