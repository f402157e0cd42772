/* services-register: a customer the central API knows (a credit or a policy) but who has no
 * account registers here: the document is shown as its type and last 4 digits (from the
 * held session), the e-mail and the mobile are typed on the on-screen keyboard and checked by
 * core/account.h's rules; "Registrarme" asks the central API (api_acc_register, within the
 * lookup budget). When the data match the credit's the account exists: its masked channels
 * replace the lookup's and the code is sent at once (services-otp follows; a customer
 * without an image and phrase chooses them after it). When they do not, seed 002's message
 * ("Error de seguridad en datos.") with the support line of the configuration, and the typed
 * data are wiped. Already registered: back to services-security to verify.
 *
 * s->page is the step on this screen (account_go resets it): 0 typing, 1 registered (the code
 * is being sent; "Enviar el código" again if the send failed), 2 mismatch, 3 already. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account_form.h"
#include "app.h"

enum { STEP_TYPE, STEP_REGISTERED, STEP_MISMATCH, STEP_ALREADY };
enum { JOB_REGISTER = 20 };

struct register_job {
	enum id_type t;
	char number[24];
	char email[ACCOUNT_EMAIL_MAX + 1];
	char phone[ACCOUNT_PHONE_LEN + 1];
	struct api_acc_lookup out;
	int rc;
};

static int register_job(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct register_job *j = arg;
	(void)msg, (void)msgn;
	struct api *api = account_api_open(env, ACCOUNT_CALL_MS);
	j->rc = api ? api_acc_register(api, j->t, j->number, j->email, j->phone, ACCOUNT_CALL_MS, &j->out)
		    : API_ERR_NETWORK;
	api_close(api);
	explicit_bzero(j->number, sizeof(j->number));
	explicit_bzero(j->email, sizeof(j->email));
	explicit_bzero(j->phone, sizeof(j->phone));
	return j->rc;
}

static void wipe_fields(struct account *s)
{
	ui_kbd_field_clear(&s->in[AI_EMAIL]);
	ui_kbd_field_clear(&s->in[AI_PHONE]);
}

static void submit(struct app *a)
{
	struct account *s = account_of(a);
	if (s->job)
		return;
	struct register_job *j = calloc(1, sizeof(*j));
	if (!j)
		return;
	enum account_err e = account_email_parse(s->in[AI_EMAIL].buf, j->email, sizeof(j->email));
	enum account_input bad = AI_EMAIL;
	if (e == ACCOUNT_OK) {
		e = account_phone_parse(s->in[AI_PHONE].buf, j->phone, sizeof(j->phone));
		bad = AI_PHONE;
	}
	if (e != ACCOUNT_OK) {
		explicit_bzero(j, sizeof(*j));
		free(j);
		account_form_focus(a, bad);
		account_say(a, UI_ERROR, "%s", account_form_err(bad, e));
		return;
	}
	if (!s->online) {
		explicit_bzero(j, sizeof(*j));
		free(j);
		account_say(a, UI_ERROR, "%s", tr(STR_AC_NO_CONNECTION));
		return;
	}
	j->t = s->who.id_type;
	snprintf(j->number, sizeof(j->number), "%s", s->who.id_number);
	if (account_post(a, JOB_REGISTER, register_job, j) != 0) {
		explicit_bzero(j, sizeof(*j));
		free(j);
		return;
	}
	s->msg[0] = 0;
}

static void answered(struct app *a, struct register_job *j)
{
	struct account *s = account_of(a);
	switch (j->rc) {
	case API_OK:
		s->look = j->out;
		s->looked_up = 1;
		s->look.account = 1;
		s->channel = s->look.sms[0] ? API_CH_SMS : API_CH_EMAIL;
		wipe_fields(s);
		account_audit(a, "account.registered", "ok", "");
		s->page = STEP_REGISTERED;
		s->msg[0] = 0;
		if (s->look.sms[0] || s->look.email[0])
			account_send_code(a); /* its answer: services-otp, or the reason here */
		break;
	case API_ACC_MISMATCH:
		wipe_fields(s);
		account_audit(a, "account.registered", "mismatch", "");
		s->page = STEP_MISMATCH;
		s->msg[0] = 0;
		break;
	case API_ACC_REGISTERED:
		wipe_fields(s);
		account_audit(a, "account.registered", "already", "");
		s->page = STEP_ALREADY;
		s->msg[0] = 0;
		break;
	default: /* the connection, the server: the typed data stay for another try */
		account_audit(a, "account.registered", "failed", "");
		account_say(a, UI_ERROR, "%s", account_api_words(j->rc));
		break;
	}
	explicit_bzero(&j->out, sizeof(j->out));
}

static void enter(struct app *a)
{
	struct account *s = account_of(a);
	wipe_fields(s);
	account_form_focus(a, AI_EMAIL);
}

static int handle(struct app *a, const struct act_event *e)
{
	struct account *s = account_of(a);
	if (account_send_done(a, e))
		return 1;
	if (e->type == ACT_JOB && e->job->fn == register_job) {
		answered(a, e->job->arg);
		return 1;
	}
	int go = (e->type == ACT_ACTION && e->act.action == AA_SAVE) || (e->type == ACT_KEY && e->key == APP_KEY_ENTER);
	int back = (e->type == ACT_ACTION && e->act.action == AA_BACK) || (e->type == ACT_KEY && e->key == APP_KEY_ESCAPE);
	if (s->job)
		return go || back || (e->type == ACT_ACTION && e->act.action == AA_TO_PAYMENTS);
	switch (s->page) {
	case STEP_TYPE:
		if (back) {
			wipe_fields(s);
			account_go(a, AP_SECURITY);
			return 1;
		}
		if (go) {
			submit(a);
			return 1;
		}
		return account_kbd_event(a, e);
	case STEP_REGISTERED:
		if (go || (e->type == ACT_ACTION && e->act.action == AA_CONTINUE))
			account_send_code(a);
		return go || back;
	case STEP_MISMATCH:
		if (go || back || (e->type == ACT_ACTION && e->act.action == AA_RETRY)) {
			account_go(a, AP_REGISTER);
			return 1;
		}
		return 0;
	default:
		if (go || back || (e->type == ACT_ACTION && e->act.action == AA_CONTINUE)) {
			account_go(a, AP_SECURITY);
			return 1;
		}
		return 0;
	}
}

/* A step without the keyboard: its words, the message, and two buttons at the bottom (the
 * way back to the payments on the left). */
static void draw_words(struct app *a, struct ui_rect body, int y, const char *words, enum ui_banner_kind kind,
		       const char *go, int go_act)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int pad = screen_pad(ui), gap = ui_px(ui, SP_M), bh = ui_tpx(ui, 130);
	int x = body.x + pad, w = body.w - 2 * pad, bottom = body.y + body.h - pad, half = (w - gap) / 2;
	y += ui_banner(ui, (struct ui_rect){x, y, w, 0}, words, kind) + gap;
	if (s->job)
		y += ui_banner(ui, (struct ui_rect){x, y, w, 0}, tr(STR_AC_WORKING), UI_INFO) + gap;
	account_message(a, x, y, w);
	ui_button(ui, (struct ui_rect){x, bottom - bh, half, bh}, tr(STR_AC_TO_PAYMENTS), UI_SECONDARY,
		  (struct ui_action){AA_TO_PAYMENTS, 0}, !s->job);
	if (go)
		ui_button(ui, (struct ui_rect){x + w - half, bottom - bh, half, bh}, go, UI_PRIMARY,
			  (struct ui_action){go_act, 0}, !s->job);
}

static void draw(struct app *a, struct ui_rect body)
{
	struct account *s = account_of(a);
	if (s->page == STEP_MISMATCH) {
		char m[480];
		snprintf(m, sizeof(m), tr(STR_AC_REG_MISMATCH), a->cfg.support_line[0] ? a->cfg.support_line : "—");
		int y = account_header(a, body, tr(STR_AC_REG_MISMATCH_TITLE), 0);
		draw_words(a, body, y, m, UI_ERROR, tr(STR_AC_REG_AGAIN), AA_RETRY);
		return;
	}
	if (s->page == STEP_REGISTERED) {
		int y = account_header(a, body, tr(STR_AC_REG_TITLE), 0);
		draw_words(a, body, y, tr(STR_AC_REG_DONE), UI_OK, tr(STR_AC_REG_SEND), AA_CONTINUE);
		return;
	}
	if (s->page == STEP_ALREADY) {
		int y = account_header(a, body, tr(STR_AC_REG_TITLE), 0);
		draw_words(a, body, y, tr(STR_AC_REG_ALREADY), UI_INFO, tr(STR_AC_REG_TO_VERIFY), AA_CONTINUE);
		return;
	}
	/* the document: its type and last 4 digits only */
	char doc[120], last4[5] = "";
	size_t n = strlen(s->who.id_number);
	snprintf(last4, sizeof(last4), "%s", s->who.id_number + (n > 4 ? n - 4 : 0));
	snprintf(doc, sizeof(doc), tr(STR_AC_REG_DOC), id_type_code(s->who.id_type), last4);
	explicit_bzero(last4, sizeof(last4));
	char line[400];
	snprintf(line, sizeof(line), "%s. %s", doc, tr(STR_AC_REG_BODY));
	explicit_bzero(doc, sizeof(doc));
	struct account_form_field f[2] = {{AI_EMAIL, tr(STR_AC_REG_EMAIL), NULL}, {AI_PHONE, tr(STR_AC_REG_PHONE), NULL}};
	account_form_draw(a, body, tr(STR_AC_REG_TITLE), line, f, 2, 1, tr(STR_AC_REG_GO), AA_SAVE, !s->job);
	explicit_bzero(line, sizeof(line));
}

const struct account_screen account_register_screen = {"services-register", enter, draw, handle, STR_AC_REG_TITLE};
