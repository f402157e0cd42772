/* a11y — the app's side of accessibility, for every activity (docs/accessibility.md): the keys
 * that move the keyboard focus, the long press of Enter or 5 on the attract screen that turns
 * spoken guidance on, and the speech that follows the screens and the focus. The toolkit
 * keeps the focus (ui_focus.c); activities say what a screen and a control mean when spoken.
 * Everything here runs on the UI thread and never waits: speech has its own worker. */
#ifndef RECAUDO_A11Y_H
#define RECAUDO_A11Y_H
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "ui.h"

struct app;
struct speech;

/* Holding Enter or 5 this long on the attract screen turns speech on (or off). */
#define A11Y_HOLD_MS 2000

enum a11y_hold { A11Y_HOLD_ENTER, A11Y_HOLD_5 };

struct a11y {
	int hold_key;            /* -1, or the enum a11y_hold being held on the attract screen */
	int hold_done;           /* the hold reached A11Y_HOLD_MS: its release does nothing more */
	int swallow_5;           /* the "5" a keyboard types for the held key is not typed */
	int timer_hold;          /* fires A11Y_HOLD_MS after the key went down */
	int keyboard;            /* the last input was a key, not a touch: new screens get a focus */
	int focus_moved;         /* a key moved the focus: read the control after the next frame */
	int focus_reread;        /* Enter pressed the focused control: read its state again */
	struct ui_action saved_focus; /* the focus when an overlay opened, restored when it closes */
	int tone_pending;        /* the warning's tone, played before the overlay is announced */
	char device[128];        /* the output speech plays on: "" the default, else headphones */
	struct speech *sp;       /* the speech worker (drivers/speech.h), NULL: none */
	int on;                  /* spoken guidance is on */
	int volume;
	char said[16384];        /* headless: what was sent to speech since the script last acted */
	size_t said_len;
	const char *wav_dir;     /* --speech-wav (headless tests), or NULL */
	FILE *said_file;         /* --speech-wav: DIR/said.tsv, "NNNN<TAB>text" per NNNN.wav */
	char last_screen[32];    /* the screen the last frame drew, to see a new one */
	int last_modal;          /* a dialog was up in the last frame */
};

/* 1 when the frame on screen is still the one the focus was found in (no new screen or overlay
 * since): a key's focus is then the control the customer sees focused. */
int a11y_focus_current(const struct app *a);
/* The customer's session ended (back on the attract screen, or the technician took over):
 * speech stops and turns off unless headphones are plugged in, the volume goes back to the
 * configured one, what was recorded for the harness is dropped. */
void a11y_session_end(struct app *a);
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
 * focused control (flush 1: cutting what is being said; 0: after it). Each returns at once;
 * the speech worker does the rest. */
/* Opens the speech worker ([accessibility] speech = on): SDL audio, or with wav_dir every
 * utterance to a WAV file there (headless tests); headless without it, the text only. */
void a11y_speech_open(struct app *a, const char *wav_dir);
void a11y_speech_close(struct app *a);
void a11y_speech_toggle(struct app *a);
void a11y_speech_repeat(struct app *a);
void a11y_speech_volume(struct app *a, int step);
void a11y_speech_screen(struct app *a, int flush);
void a11y_speech_focus(struct app *a, int flush);
/* Says text after what is being said (a banner, a typed digit), if speech is on and, for
 * only_personal, headphones are there. */
void a11y_speech_say(struct app *a, const char *text, int only_personal);
/* A key was pressed: what is being said stops (the key's own words follow). */
void a11y_speech_interrupt(struct app *a);
/* The inactivity warning's tone (with or without speech): now, or with speech on, first in what
 * the next frame says. a11y_speech_tone_now plays it. */
void a11y_alert(struct app *a);
void a11y_speech_tone_now(struct app *a);
/* The configured headphone device ([accessibility] headphones, part of its name) is among the
 * audio outputs now under this full SDL name (NULL: it is not): speech moves to it (names and
 * amounts may be said) and turns on; when it goes, speech stops and moves back to the default
 * output, where nothing personal is said. */
void a11y_headphones(struct app *a, const char *device);
/* The harness: 1 if text is in what was said since a11y_said_clear. */
int a11y_said(const struct app *a, const char *text);
void a11y_said_clear(struct app *a);
#endif
