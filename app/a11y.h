/* a11y — the app's side of accessibility, for every activity (docs/accessibility.md): the keys
 * that move the keyboard focus, the long press of Enter or 5 on the attract screen that turns
 * spoken guidance on, and the speech that follows the screens and the focus. The toolkit
 * keeps the focus (ui_focus.c); activities say what a screen and a control mean when spoken.
 * Everything here runs on the UI thread and never waits: speech has its own worker. */
#ifndef RECAUDO_A11Y_H
#define RECAUDO_A11Y_H
#include <stdint.h>

struct app;

/* Holding Enter or 5 this long on the attract screen turns speech on (or off). */
#define A11Y_HOLD_MS 2000

enum a11y_hold { A11Y_HOLD_ENTER, A11Y_HOLD_5 };

struct a11y {
	int hold_key;            /* -1, or the enum a11y_hold being held on the attract screen */
	int64_t hold_since_ms;
	int hold_done;           /* the hold reached A11Y_HOLD_MS: its release does nothing more */
	int swallow_5;           /* the "5" a keyboard types for the held key is not typed */
	int timer_hold;          /* fires A11Y_HOLD_MS after the key went down */
	int keyboard;            /* the last input was a key, not a touch: new screens get a focus */
	int focus_moved;         /* a key moved the focus: read the control after the next frame */
	char last_screen[32];    /* the screen the last frame drew, to see a new one */
	int last_modal;          /* a dialog was up in the last frame */
};

/* Called once by app_open, after the timers exist. */
void a11y_init(struct app *a);
/* The keys the app keeps: focus moves, repeat, volume. 1 if it took the key. */
int a11y_key(struct app *a, int key);
/* A key that can be held (Enter, 5) went down (down 1) or up (0). 1: the app keeps the press
 * (on the attract screen, until it knows how long it lasts), so the caller sends nothing. */
int a11y_hold(struct app *a, enum a11y_hold k, int down);
/* Text typed while 5 is held on the attract screen is not typed (the release decides). */
int a11y_swallow_text(struct app *a, const char *utf8);
/* A touch: the focus ring goes (the customer is using the screen). */
void a11y_touch(struct app *a);
/* After the activity drew a frame, before it is shown: a new screen puts the focus on its
 * first control when the keyboard is in use; the ring is drawn on top. */
void a11y_frame(struct app *a);

/* Speech (a11y_speech.c): on or off (the long press; plugging headphones), say the screen
 * again, the volume a step up (+1) or down (-1), announce the screen just drawn, read the
 * focused control. Each returns at once; the speech worker does the rest. */
void a11y_speech_toggle(struct app *a);
void a11y_speech_repeat(struct app *a);
void a11y_speech_volume(struct app *a, int step);
void a11y_speech_screen(struct app *a);
void a11y_speech_focus(struct app *a);
#endif
