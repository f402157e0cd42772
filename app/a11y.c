/* The app's side of accessibility (a11y.h): focus keys, the attract screen's long press. */
#include "a11y.h"

#include <stdio.h>
#include <string.h>

#include "app.h"

static void hold_fire(void *ctx, int64_t now)
{
	struct app *a = ctx;
	(void)now;
	if (a->a11y.hold_key < 0 || a->a11y.hold_done)
		return;
	a->a11y.hold_done = 1;
	a11y_speech_toggle(a);
}

void a11y_init(struct app *a)
{
	a->a11y.hold_key = -1;
	a->a11y.timer_hold = timers_add(&a->timers, "speech hold", NULL, hold_fire);
}

static int on_attract(const struct app *a) { return a->act == &act_customer && a->flow.screen == SCR_ATTRACT; }

int a11y_hold(struct app *a, enum a11y_hold k, int down)
{
	struct a11y *x = &a->a11y;
	if (down) {
		if (!on_attract(a) || x->hold_key >= 0)
			return x->hold_key == (int)k; /* a key repeat of the held key: still held */
		x->hold_key = (int)k;
		x->hold_done = 0;
		x->swallow_5 = k == A11Y_HOLD_5;
		timers_at(&a->timers, x->timer_hold, app_now_ms(a) + A11Y_HOLD_MS);
		return 1;
	}
	if (x->hold_key != (int)k)
		return 0;
	int done = x->hold_done;
	x->hold_key = -1;
	x->hold_done = 0;
	x->swallow_5 = 0;
	timers_at(&a->timers, x->timer_hold, TIMER_OFF);
	if (!done) { /* a short press: what the key always did */
		if (k == A11Y_HOLD_ENTER)
			app_key(a, APP_KEY_ENTER);
		else
			app_text(a, "5");
	}
	return 1;
}

int a11y_swallow_text(struct app *a, const char *utf8)
{
	return a->a11y.swallow_5 && !strcmp(utf8, "5");
}

void a11y_touch(struct app *a)
{
	a->a11y.keyboard = 0;
	if (a->ui.focus.on) {
		ui_focus_clear(&a->ui);
		a->dirty = 1;
	}
}

int a11y_key(struct app *a, int key)
{
	int dir = 0;
	a->a11y.keyboard = 1;
	if (key != APP_KEY_VOL_UP && key != APP_KEY_VOL_DOWN)
		a11y_speech_interrupt(a); /* any key stops what is being said; its own words follow */
	if (a->act == &act_customer && a->flow.countdown)
		return 0; /* the inactivity warning: any key means "more time" (act_customer.c) */
	switch (key) {
	case APP_KEY_TAB:
	case APP_KEY_DOWN:
	case APP_KEY_RIGHT:
		dir = 1;
		break;
	case APP_KEY_BACKTAB:
	case APP_KEY_UP:
	case APP_KEY_LEFT:
		dir = -1;
		break;
	case APP_KEY_REPEAT:
		a11y_speech_repeat(a);
		return 1;
	case APP_KEY_VOL_UP:
	case APP_KEY_VOL_DOWN:
		a11y_speech_volume(a, key == APP_KEY_VOL_UP ? 1 : -1);
		return 1;
	default:
		return 0;
	}
	if (ui_focus_move(&a->ui, dir)) {
		a->a11y.focus_moved = 1;
		a->dirty = 1;
	}
	return 1;
}

int a11y_focus_current(const struct app *a)
{
	return strcmp(app_screen_name(a), a->a11y.last_screen) == 0 && a->ui.modal == a->a11y.last_modal;
}

void a11y_frame(struct app *a)
{
	struct a11y *x = &a->a11y;
	const char *scr = app_screen_name(a);
	int same_screen = strcmp(scr, x->last_screen) == 0;
	int fresh = !same_screen || a->ui.modal != x->last_modal;
	if (fresh) {
		int opened = same_screen && a->ui.modal && !x->last_modal;
		int closed = same_screen && !a->ui.modal && x->last_modal;
		if (opened) /* an overlay (the warning, "¿Terminar…?"): where the focus was, for after */
			x->saved_focus = a->ui.focus.on ? a->ui.focus.act : (struct ui_action){0, 0};
		snprintf(x->last_screen, sizeof(x->last_screen), "%s", scr);
		x->last_modal = a->ui.modal;
		if (closed && x->saved_focus.action && ui_focus_set(&a->ui, x->saved_focus)) {
			x->focus_moved = 1; /* back where it was before the overlay */
		} else if (x->keyboard) { /* the keyboard is in use: the new screen's first control */
			ui_focus_clear(&a->ui);
			if (a->act->focus_home && a->act->focus_home(a))
				x->focus_moved = 1;
		}
		if (!a->ui.modal)
			x->saved_focus = (struct ui_action){0, 0};
		/* the warning's tone first, then what the overlay says (a flush would cut it) */
		int flush = 1;
		if (x->tone_pending) {
			a11y_speech_tone_now(a);
			x->tone_pending = 0;
			flush = 0;
		}
		a11y_speech_screen(a, flush);
	}
	ui_focus_draw(&a->ui);
	if (x->focus_moved) {
		a11y_speech_focus(a, !fresh); /* on a new screen, after its announcement */
	} else if (x->focus_reread) {
		a11y_speech_focus(a, 0); /* a pressed control's new state, after its banner */
	}
	x->focus_moved = 0;
	x->focus_reread = 0;
}
