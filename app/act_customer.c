/* The customer journey as an activity: the pure flow (flow.c) drawn by screens.c. Maps the
 * toolkit's actions, keys and worker results onto flow events; back on the attract screen it
 * asks the services whether the kiosk can still serve (else: out of service). */
#include "activity.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "customer_handoff.h"
#include "speak_customer.h"
#include "speech_words.h"

/* A hit box's action as a flow event: the keypad's toolkit actions, or UI_ACT_USER + a flow
 * event type (screen_ev). */
static struct flow_event action_event(struct ui_action act)
{
	switch (act.action) {
	case UI_ACT_CHAR:
		return (struct flow_event){.type = FEV_KEY_CHAR, .arg = act.arg};
	case UI_ACT_BACKSPACE:
		return (struct flow_event){.type = FEV_KEY_BACK};
	case UI_ACT_CLEAR:
		return (struct flow_event){.type = FEV_KEY_CLEAR};
	default:
		if (act.action > UI_ACT_USER && act.action < UI_ACT_USER + FEV_TICK)
			return (struct flow_event){.type = (enum flow_ev_type)(act.action - UI_ACT_USER), .arg = act.arg};
		return (struct flow_event){.type = FEV_NONE};
	}
}

static void send(struct app *a, struct flow_event ev)
{
	ev.now_ms = app_now_ms(a);
	enum screen_id before = a->flow.screen;
	enum str_id msg_before = a->flow.msg;
	flow_handle(&a->flow, &ev);
	if (a->flow.msg && a->flow.msg != msg_before && a->flow.screen == before) {
		/* a banner on the same screen (a new screen says its own in its announcement) */
		char text[256];
		flow_message(&a->flow, text, sizeof(text));
		a11y_speech_say(a, text, a->flow.msg_arg[0] != 0);
	}
	if (a->flow.handoff != FLOW_HANDOFF_NONE && !a->customer_held) {
		/* "Mis servicios" / "Enviar por correo": the account activity takes the session,
		 * which is held, not wiped (customer_handoff.h) */
		a->customer_held = 1;
		app_switch(a, &act_account);
		return;
	}
	if (before == SCR_ATTRACT && a->flow.screen != SCR_ATTRACT && a->st.reprint_offer) {
		a->st.reprint_offer = 0; /* a new customer: the offer was for the one before */
		a->reprint_seq = 0;
		timers_at(&a->timers, a->timer_reprint, TIMER_OFF);
	}
	/* back on attract: the session is over; forget what it drew, refresh the status line, and
	 * check the kiosk can still serve (disk, clock, the technician's flag) */
	if (a->flow.screen != before && a->flow.screen == SCR_ATTRACT) {
		a11y_session_end(a); /* speech off (unless headphones), its volume back */
		explicit_bzero(&a->acct_carry, sizeof(a->acct_carry)); /* the account services' counts */
		ui_forget(&a->ui);
		app_refresh_status(a);
		if (a->maint_wanted) /* the technician who waited for this session */
			app_switch(a, &act_maint);
		else if (app_check_service(a) != OOS_NONE)
			app_switch(a, &act_out_of_service);
	}
}

static void enter(struct app *a)
{
	app_refresh_status(a);
	a->dirty = 1;
}

/* The keypad's 2 and 8 move the focus up and down where digits type nothing (a tactile
 * payment keypad has no arrows). */
static int digits_type(const struct flow *f) { return f->screen == SCR_ID_ENTRY || f->screen == SCR_AMOUNT; }

static void handle_event(struct app *a, const struct act_event *e);

static void handle(struct app *a, const struct act_event *e)
{
	struct act_event tap;
	/* while "¿Necesita más tiempo?" is up, any key gives more time (the focus keys too:
	 * a11y_key leaves them to us then); "Terminar" is for a finger */
	if (a->flow.countdown && (e->type == ACT_KEY || e->type == ACT_CHAR)) {
		send(a, (struct flow_event){.type = FEV_MORE_TIME});
		return;
	}
	if (act_focus_tap(e, &tap)) {
		handle_event(a, &tap);
		return;
	}
	if (e->type == ACT_CHAR && !digits_type(&a->flow) && a->flow.screen != SCR_ATTRACT &&
	    (e->ch == '2' || e->ch == '8')) {
		a11y_key(a, e->ch == '2' ? APP_KEY_UP : APP_KEY_DOWN);
		return;
	}
	if (e->type == ACT_CHAR && digits_type(&a->flow) && a->ui.focus.on) {
		ui_focus_clear(&a->ui); /* typing: Enter means "Consultar" / "Aceptar" again */
		a->dirty = 1;
	}
	handle_event(a, e);
	if (a->a11y.on && e->type == ACT_CHAR && digits_type(&a->flow) && e->ch >= '0' && e->ch <= '9') {
		/* the digit typed, into headphones only (an ID is personal) */
		char c[2] = {(char)e->ch, 0}, w[32];
		speech_digits(w, sizeof(w), c, a->flow.lang == LANG_EN);
		a11y_speech_say(a, w, 1);
	}
}

static void handle_event(struct app *a, const struct act_event *e)
{
	switch (e->type) {
	case ACT_ACTION: {
		struct flow_event ev = action_event(e->act);
		ev.disabled = e->disabled; /* the flow says why it does nothing */
		send(a, ev);
		/* "Consultar" released: the next frame is the answer (or the waiting banner), due
		 * within FLOW_LOOKUP_SHOW_MS; the button is drawn released in that frame, not one of
		 * its own */
		if (a->act == &act_customer && a->flow.looking_up && !a->flow.dirty && !flow_lookup_waiting(&a->flow))
			a->dirty = 0;
		break;
	}
	case ACT_CHAR:
		if (a->flow.screen == SCR_ATTRACT)
			send(a, (struct flow_event){.type = FEV_START});
		send(a, (struct flow_event){.type = FEV_KEY_CHAR, .arg = e->ch});
		break;
	case ACT_SCROLL:
		if (a->ui.page_rows > 0 && e->pages)
			send(a, (struct flow_event){.type = FEV_SCROLL, .arg = e->pages * a->ui.page_rows});
		break;
	case ACT_KEY:
		switch (e->key) {
		case APP_KEY_ENTER:
			send(a, (struct flow_event){.type = a->flow.screen == SCR_ATTRACT ? FEV_START : FEV_SUBMIT});
			break;
		case APP_KEY_BACKSPACE:
			send(a, (struct flow_event){.type = FEV_KEY_BACK});
			break;
		case APP_KEY_DELETE:
			send(a, (struct flow_event){.type = FEV_KEY_CLEAR});
			break;
		case APP_KEY_ESCAPE:
			send(a, (struct flow_event){.type = FEV_BACK});
			break;
		case APP_KEY_TEXT_SIZE:
			send(a, (struct flow_event){.type = FEV_TEXT_SIZE});
			break;
		case APP_KEY_CONTRAST:
			send(a, (struct flow_event){.type = FEV_CONTRAST});
			break;
		default: /* the focus keys, repeat and volume: the app's (a11y.c) */
			break;
		}
		break;
	case ACT_PRINT_DONE:
		send(a, (struct flow_event){.type = FEV_PRINT_DONE, .arg = e->print->rc, .text = e->print->error,
					    .id = e->print->seq, .data = (void *)&e->print->status});
		break;
	case ACT_LOOKUP_DONE:
		send(a, (struct flow_event){.type = FEV_LOOKUP_DONE, .arg = e->lookup->rc, .id = e->req,
					    .data = e->lookup});
		break;
	case ACT_STATUS: /* the attract screen's status line shows it */
		a->dirty |= a->flow.screen == SCR_ATTRACT;
		break;
	case ACT_SERVICE: /* now if no one is being served; else the session's end checks again */
		if (a->flow.screen == SCR_ATTRACT && app_check_service(a) != OOS_NONE)
			app_switch(a, &act_out_of_service);
		break;
	case ACT_JOB:
	case ACT_TEXT: /* not asked for (.utf8_text 0): typing arrives as ACT_CHAR */
		break; /* the customer journey posts no maintenance jobs */
	case ACT_MAINT: /* now on attract; mid-journey the technician waits for the session to end,
			 * as an ATM waits for the card to be taken */
		if (a->flow.screen == SCR_ATTRACT) {
			app_switch(a, &act_maint);
		} else if (!a->maint_wanted) {
			a->maint_wanted = 1;
			fprintf(stderr, "recaudo: maintenance asked: after the customer's session\n");
		}
		break;
	case ACT_TICK:
		if (app_now_ms(a) >= flow_next_deadline(&a->flow))
			send(a, (struct flow_event){.type = FEV_TICK});
		break;
	}
}

static int64_t next_deadline(const struct app *a) { return flow_next_deadline(&a->flow); }

static int dirty(const struct app *a) { return a->flow.dirty; }

static void draw(struct app *a)
{
	screens_draw(&a->ui, &a->flow, &a->st);
	a->flow.dirty = 0;
}

/* Leaving mid-session (the technician takes over): the session is wiped at once, as on "Sí,
 * salir". Handed to the account activity, it is held as it is. */
static void leave(struct app *a)
{
	if (a->customer_held) {
		ui_forget(&a->ui);
		return;
	}
	if (a->flow.screen != SCR_ATTRACT) {
		struct flow_event ev = {.type = FEV_CANCEL, .now_ms = app_now_ms(a)};
		flow_handle(&a->flow, &ev);
	}
	a11y_session_end(a);
	ui_forget(&a->ui);
}

static const char *screen(const struct app *a) { return screen_name(a->flow.screen); }

/* ---- the held session (customer_handoff.h) ---- */

void customer_handoff_get(const struct app *a, struct customer_handoff *h)
{
	memset(h, 0, sizeof(*h));
	const struct flow *f = &a->flow;
	if (!a->customer_held || !f->has_pf)
		return;
	h->kind = f->handoff;
	h->id_type = f->pf.id_type;
	snprintf(h->id_number, sizeof(h->id_number), "%s", f->pf.id_number);
	snprintf(h->name, sizeof(h->name), "%s", f->pf.name);
	h->lang = f->lang;
	if (f->handoff == FLOW_HANDOFF_COUPON_EMAIL) {
		h->coupon_seq = f->coupon.seq;
		snprintf(h->coupon_ref, sizeof(h->coupon_ref), "%s", f->coupon.reference);
	}
}

void customer_held_event(struct app *a, enum flow_ev_type type)
{
	if (!a->customer_held || (type != FEV_TEXT_SIZE && type != FEV_CONTRAST && type != FEV_LANG))
		return;
	struct flow_event ev = {.type = type, .now_ms = app_now_ms(a)};
	flow_handle(&a->flow, &ev);
}

void customer_held_print(struct app *a, const struct printq_result *r)
{
	if (!a->customer_held)
		return;
	struct flow_event ev = {.type = FEV_PRINT_DONE, .now_ms = app_now_ms(a), .arg = r->rc, .text = r->error,
				.id = r->seq, .data = (void *)&r->status};
	flow_handle(&a->flow, &ev);
}

void customer_resume(struct app *a, int end, const char *emailed_to)
{
	if (!a->customer_held)
		return;
	app_switch(a, &act_customer); /* leave() of the account activity wipes its own session */
	a->customer_held = 0;
	if (end) {
		send(a, (struct flow_event){.type = FEV_RESUME});
		send(a, (struct flow_event){.type = FEV_CANCEL});
	} else {
		send(a, (struct flow_event){.type = FEV_RESUME, .text = emailed_to});
	}
	ui_forget(&a->ui);
	a->dirty = 1;
}

static void speak(struct app *a, const struct ui_hit *focus, int personal, char *out, size_t n)
{
	i18n_set(a->flow.lang);
	if (focus)
		speak_customer_focus(a, focus, personal, out, n);
	else
		speak_customer_screen(a, personal, out, n);
}

/* Where the keyboard's focus starts on a new screen (or when the countdown comes or goes):
 * the control a customer most likely wants next. ID and amount entry start with none, so
 * typed digits and Enter mean what they always did. */
static int focus_home(struct app *a)
{
	const struct flow *f = &a->flow;
	if (f->countdown)
		return ui_focus_set(&a->ui, screen_ev(FEV_MORE_TIME, 0));
	if (f->confirm_exit) /* "¿Terminar y borrar sus datos?": the safe answer first */
		return ui_focus_set(&a->ui, screen_ev(FEV_EXIT_KEEP, 0));
	switch (f->screen) {
	case SCR_ATTRACT:
		return ui_focus_set(&a->ui, screen_ev(FEV_START, 0));
	case SCR_PORTFOLIO:
		if (flow_visible_count(f) > 0)
			return ui_focus_set(&a->ui, screen_ev(FEV_TOGGLE_DOC, flow_visible_index(f, f->first_row)));
		return ui_focus_set(&a->ui, screen_ev(FEV_BACK, 0));
	case SCR_COUPON:
	case SCR_DONE:
		return ui_focus_set(&a->ui, screen_ev(FEV_FINISH, 0));
	default:
		return 0;
	}
}

const struct activity act_customer = {
	.name = "kiosk",
	.mode = 1,
	.enter = enter,
	.handle = handle,
	.next_deadline = next_deadline,
	.dirty = dirty,
	.draw = draw,
	.leave = leave,
	.screen = screen,
	.focus_home = focus_home,
	.speak = speak,
	.disabled_touch = 1,
	.keypad_keys = 1,
};
