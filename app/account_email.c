/* coupon-email: from the coupon screen's "Enviar por correo" (the printer cannot print, or by
 * choice). No verification and no connection needed: the customer types an e-mail on the
 * on-screen keyboard (@, .com, .co), checked by core/account.h's rules; "Enviar" writes the
 * coupon.email_requested event and its audit row into the store in one transaction
 * (store_coupon_email on the UI thread's connection, as the coupon itself), which the sync
 * worker sends when the central office is reachable; the coupon screen then says where it
 * will go, masked. "Atrás" returns to the coupon without sending. The typed address is wiped
 * as soon as it is written or abandoned. */
#include <stdio.h>
#include <string.h>

#include "account_form.h"
#include "app.h"
#include "store_account.h"
#include "sync.h"

static void send(struct app *a)
{
	struct account *s = account_of(a);
	char email[ACCOUNT_EMAIL_MAX + 1], masked[ACCOUNT_MASKED_MAX];
	enum account_err e = account_email_parse(s->in[AI_EMAIL].buf, email, sizeof(email));
	if (e != ACCOUNT_OK) {
		account_say(a, UI_ERROR, "%s", account_form_err(AI_EMAIL, e));
		return;
	}
	const char *lang = a->flow.lang == LANG_EN ? "en" : "es";
	int rc = a->svc.store ? store_coupon_email(a->svc.store, s->who.coupon_seq, email, lang, app_now_ms(a) / 1000)
			      : STORE_ERR;
	account_mask_email(email, masked, sizeof(masked));
	explicit_bzero(email, sizeof(email));
	if (rc != 0) {
		fprintf(stderr, "recaudo: account: coupon e-mail: %s\n", a->svc.store ? store_error(a->svc.store) : "no store");
		account_say(a, UI_ERROR, "%s", tr(STR_AC_EM_FAILED));
		explicit_bzero(masked, sizeof(masked));
		return;
	}
	if (a->svc.sync)
		sync_kick(a->svc.sync); /* durable in the outbox: sent now when the central is reachable */
	ui_kbd_field_clear(&s->in[AI_EMAIL]);
	account_to_payments(a, masked); /* the session is gone: return at once */
}

static void enter(struct app *a)
{
	struct account *s = account_of(a);
	ui_kbd_field_clear(&s->in[AI_EMAIL]);
	account_form_focus(a, AI_EMAIL);
}

static int handle(struct app *a, const struct act_event *e)
{
	struct account *s = account_of(a);
	if ((e->type == ACT_ACTION && e->act.action == AA_SAVE) || (e->type == ACT_KEY && e->key == APP_KEY_ENTER)) {
		send(a);
		return 1;
	}
	if ((e->type == ACT_ACTION && (e->act.action == AA_BACK || e->act.action == AA_TO_PAYMENTS)) ||
	    (e->type == ACT_KEY && e->key == APP_KEY_ESCAPE)) {
		ui_kbd_field_clear(&s->in[AI_EMAIL]);
		account_to_payments(a, NULL);
		return 1;
	}
	return account_kbd_event(a, e);
}

static void draw(struct app *a, struct ui_rect body)
{
	struct account *s = account_of(a);
	char line[320];
	/* a tablet in landscape has one line above the keyboard: the short words */
	/* the reference in groups of four, as the coupon screen shows it */
	char ref[48];
	size_t k = 0;
	for (size_t i = 0; s->who.coupon_ref[i] && k + 2 < sizeof(ref); i++) {
		if (i && i % 4 == 0)
			ref[k++] = ' ';
		ref[k++] = s->who.coupon_ref[i];
	}
	ref[k] = 0;
	snprintf(line, sizeof(line), tr(a->ui.portrait ? STR_AC_EM_BODY : STR_AC_EM_SHORT), ref);
	struct account_form_field f[1] = {{AI_EMAIL, tr(STR_AC_EM_FIELD), NULL}};
	account_form_draw(a, body, tr(STR_AC_EM_TITLE), line, f, 1, 1, tr(STR_AC_EM_SEND), AA_SAVE, 1);
}

const struct account_screen account_email_screen = {"coupon-email", enter, draw, handle, STR_AC_EM_TITLE};
