/* services-contact ("Actualizar datos"): a verified customer types a new mobile, e-mail and/or
 * address on the on-screen keyboard (each optional, at least one), checked by core/account.h's
 * rules with a message naming the field; then a confirmation with the new mobile and e-mail
 * MASKED as everywhere after typing, the address shown whole (it is no way to reach the
 * customer or to take the account, and the customer must see what goes to the central office
 * before confirming; it is the customer's own screen, behind the code); "Confirmar" writes
 * the contact.updated event and its audit row in one transaction on the UI thread's store
 * connection (store_contact_update, as the coupon is), durable before the screen says so,
 * and the typed values are wiped at once. The outbox sends it exactly once.
 *
 * s->page is the step on this screen (account_go resets it): 0 typing, 1 confirming, 2 saved. */
#include <stdio.h>
#include <string.h>

#include "account_form.h"
#include "app.h"
#include "store_account.h"
#include "sync.h"

enum { STEP_TYPE, STEP_CONFIRM, STEP_SAVED };

/* The typed values in the rules' form ("" for a field left empty): 0, or -1 with the field's
 * refusal said and the focus on it. */
struct contact {
	char phone[ACCOUNT_PHONE_LEN + 1];
	char email[ACCOUNT_EMAIL_MAX + 1];
	char address[ACCOUNT_ADDRESS_MAX * 4 + 1];
};

static int parse_all(struct app *a, struct contact *c)
{
	struct account *s = account_of(a);
	memset(c, 0, sizeof(*c));
	enum account_err e;
	if (s->in[AI_PHONE].len && (e = account_phone_parse(s->in[AI_PHONE].buf, c->phone, sizeof(c->phone)))) {
		account_form_focus(a, AI_PHONE);
		account_say(a, UI_ERROR, "%s", account_form_err(AI_PHONE, e));
		return -1;
	}
	if (s->in[AI_EMAIL].len && (e = account_email_parse(s->in[AI_EMAIL].buf, c->email, sizeof(c->email)))) {
		account_form_focus(a, AI_EMAIL);
		account_say(a, UI_ERROR, "%s", account_form_err(AI_EMAIL, e));
		return -1;
	}
	if (s->in[AI_ADDRESS].len &&
	    (e = account_address_parse(s->in[AI_ADDRESS].buf, c->address, sizeof(c->address)))) {
		account_form_focus(a, AI_ADDRESS);
		account_say(a, UI_ERROR, "%s", account_form_err(AI_ADDRESS, e));
		return -1;
	}
	/* spaces alone parse to EMPTY: the same as nothing typed */
	if (!c->phone[0] && !c->email[0] && !c->address[0]) {
		account_say(a, UI_ERROR, "%s", tr(STR_AC_CONTACT_NOTHING));
		return -1;
	}
	return 0;
}

static void wipe_fields(struct account *s)
{
	ui_kbd_field_clear(&s->in[AI_PHONE]);
	ui_kbd_field_clear(&s->in[AI_EMAIL]);
	ui_kbd_field_clear(&s->in[AI_ADDRESS]);
}

static void review(struct app *a)
{
	struct account *s = account_of(a);
	struct contact c;
	if (parse_all(a, &c) == 0) {
		s->page = STEP_CONFIRM;
		s->msg[0] = 0;
	}
	explicit_bzero(&c, sizeof(c));
}

static void save(struct app *a)
{
	struct account *s = account_of(a);
	struct contact c;
	if (parse_all(a, &c) != 0) { /* cannot happen after review; said if it does */
		s->page = STEP_TYPE;
		return;
	}
	int rc = a->svc.store ? store_contact_update(a->svc.store, s->who.id_type, s->who.id_number,
						     c.phone[0] ? c.phone : NULL, c.email[0] ? c.email : NULL,
						     c.address[0] ? c.address : NULL, app_now_ms(a) / 1000)
			      : STORE_ERR;
	explicit_bzero(&c, sizeof(c));
	if (rc != 0) {
		/* the store's reason names a field at most, never a value */
		fprintf(stderr, "recaudo: account: contact update: %s\n",
			a->svc.store ? store_error(a->svc.store) : "no store");
		account_say(a, UI_ERROR, "%s", tr(STR_AC_CONTACT_FAILED));
		return;
	}
	if (a->svc.sync)
		sync_kick(a->svc.sync); /* the event is durable in the outbox: send it now, as a coupon's */
	wipe_fields(s);
	s->page = STEP_SAVED;
	account_say(a, UI_OK, "%s", tr(STR_AC_CONTACT_SAVED));
}

static void enter(struct app *a)
{
	struct account *s = account_of(a);
	wipe_fields(s);
	account_form_focus(a, AI_PHONE);
}

static int handle(struct app *a, const struct act_event *e)
{
	struct account *s = account_of(a);
	int enter_key = e->type == ACT_KEY && e->key == APP_KEY_ENTER;
	int back = (e->type == ACT_ACTION && e->act.action == AA_BACK) || (e->type == ACT_KEY && e->key == APP_KEY_ESCAPE);
	switch (s->page) {
	case STEP_TYPE:
		if (back) {
			wipe_fields(s);
			account_go(a, AP_MENU);
			return 1;
		}
		if ((e->type == ACT_ACTION && e->act.action == AA_SAVE) || enter_key) {
			review(a);
			return 1;
		}
		return account_kbd_event(a, e);
	case STEP_CONFIRM:
		if (back) { /* "Corregir": the values stay to be corrected */
			s->page = STEP_TYPE;
			s->msg[0] = 0;
			s->dirty = 1;
			return 1;
		}
		if ((e->type == ACT_ACTION && e->act.action == AA_SAVE) || enter_key) {
			save(a);
			return 1;
		}
		return 0;
	default:
		if (back || enter_key || (e->type == ACT_ACTION && e->act.action == AA_MENU)) {
			account_go(a, AP_MENU);
			return 1;
		}
		return 0;
	}
}

/* One confirmation row: the label over the value. Its height. */
static int row(struct app *a, int x, int y, int w, const char *label, const char *value)
{
	struct ui *ui = &a->ui;
	int h = ui_line_h(ui, FONT_SMALL);
	ui_label_fit(ui, x, y, w, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, label);
	h += ui_para(ui, (struct ui_rect){x, y + h, w, 0}, FONT_H1, 1, THEME_TEXT, UI_LEFT, value);
	return h + ui_px(ui, SP_S);
}

static void draw_confirm(struct app *a, struct ui_rect body, int y)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int pad = screen_pad(ui), gap = ui_px(ui, SP_M), bh = ui_tpx(ui, 130);
	int x = body.x + pad, w = body.w - 2 * pad, bottom = body.y + body.h - pad;
	struct contact c;
	if (parse_all(a, &c) != 0) { /* the step's values are checked; a change would show here */
		s->page = STEP_TYPE;
		return;
	}
	char masked[ACCOUNT_MASKED_MAX];
	const char *same = tr(STR_AC_CONTACT_SAME);
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 0, THEME_TEXT, UI_LEFT, tr(STR_AC_CONTACT_CHECK_BODY)) + gap;
	account_mask_phone(c.phone, masked, sizeof(masked));
	y += row(a, x, y, w, tr(STR_AC_CONTACT_LPHONE), c.phone[0] ? masked : same);
	account_mask_email(c.email, masked, sizeof(masked));
	y += row(a, x, y, w, tr(STR_AC_CONTACT_LEMAIL), c.email[0] ? masked : same);
	row(a, x, y, w, tr(STR_AC_CONTACT_LADDRESS), c.address[0] ? c.address : same);
	explicit_bzero(&c, sizeof(c));
	explicit_bzero(masked, sizeof(masked));
	int half = (w - gap) / 2;
	account_message(a, x, bottom - bh - gap - ui_banner_height(ui, w, s->msg) - ui_px(ui, SP_S), w);
	ui_button(ui, (struct ui_rect){x, bottom - bh, half, bh}, tr(STR_AC_CONTACT_FIX), UI_SECONDARY,
		  (struct ui_action){AA_BACK, 0}, 1);
	ui_button(ui, (struct ui_rect){x + w - half, bottom - bh, half, bh}, tr(STR_AC_CONTACT_CONFIRM), UI_PRIMARY,
		  (struct ui_action){AA_SAVE, 0}, 1);
}

static void draw(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int pad = screen_pad(ui), gap = ui_px(ui, SP_M), bh = ui_tpx(ui, 130);
	int x = body.x + pad, w = body.w - 2 * pad;
	if (s->page == STEP_CONFIRM) {
		draw_confirm(a, body, account_header(a, body, tr(STR_AC_CONTACT_CHECK), 0));
		if (s->page == STEP_CONFIRM)
			return;
	}
	if (s->page == STEP_SAVED) {
		int y = account_header(a, body, tr(STR_AC_CONTACT_TITLE), 0);
		account_message(a, x, y, w);
		ui_button(ui, (struct ui_rect){x, body.y + body.h - pad - bh, (w - gap) / 2, bh}, tr(STR_AC_TO_MENU),
			  UI_PRIMARY, (struct ui_action){AA_MENU, AP_MENU}, 1);
		return;
	}
	static const enum str_id labels[] = {STR_AC_CONTACT_PHONE, STR_AC_CONTACT_EMAIL, STR_AC_CONTACT_ADDRESS};
	struct account_form_field f[3] = {{AI_PHONE, tr(labels[0]), tr(STR_AC_CONTACT_LPHONE)},
					  {AI_EMAIL, tr(labels[1]), tr(STR_AC_CONTACT_LEMAIL)},
					  {AI_ADDRESS, tr(labels[2]), tr(STR_AC_CONTACT_LADDRESS)}};
	account_form_draw(a, body, tr(STR_AC_CONTACT_TITLE), tr(STR_AC_CONTACT_BODY), f, 3, 1, tr(STR_AC_CONTACT_NEXT),
			  AA_SAVE, 1);
}

const struct account_screen account_contact_screen = {"services-contact", enter, draw, handle, STR_AC_CONTACT_TITLE};
