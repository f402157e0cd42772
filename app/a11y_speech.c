/* Spoken guidance (a11y.h, docs/accessibility.md): the app's side of drivers/speech.h. The
 * activity says what a screen and a control mean (struct activity .speak); this file decides
 * when to speak, whether personal things may be said, and keeps the harness's record of what
 * was sent. The speech worker synthesises and plays; nothing here waits for it. */
#include "a11y.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "speech.h"

/* The harness's record (headless runs only): what was said since the script last looked. */
static void record(struct a11y *x, const char *text)
{
	size_t n = strlen(text);
	if (x->said_len + n + 2 > sizeof(x->said)) { /* full: keep the newest half */
		size_t keep = sizeof(x->said) / 2;
		size_t drop = x->said_len > keep ? x->said_len - keep : 0;
		memmove(x->said, x->said + drop, x->said_len - drop);
		x->said_len -= drop;
		explicit_bzero(x->said + x->said_len, sizeof(x->said) - x->said_len);
	}
	if (x->said_len + n + 2 > sizeof(x->said))
		return;
	memcpy(x->said + x->said_len, text, n);
	x->said_len += n;
	x->said[x->said_len++] = '\n';
	x->said[x->said_len] = 0;
}

/* --speech-wav: which text each NNNN.wav holds */
static void log_said(struct a11y *x, int seq, const char *text)
{
	if (x->said_file && seq > 0)
		fprintf(x->said_file, "%04d\t%s\n", seq, text), fflush(x->said_file);
}

static int english(const struct app *a) { return a->act == &act_customer ? a->flow.lang == LANG_EN : 0; }

static void say(struct app *a, const char *text, int flush)
{
	struct a11y *x = &a->a11y;
	if (!text[0])
		return;
	if (a->headless)
		record(x, text);
	log_said(x, x->sp ? speech_say(x->sp, text, english(a), flush) : 0, text);
}

/* Names and amounts only into headphones: the default output is the jack, or speech plays on
 * the configured headphone device, which is there. */
static int personal(const struct app *a)
{
	const char *h = a->cfg.headphones;
	return h[0] && (!strcmp(h, "default") || a->a11y.device[0]);
}

/* The engine on an output: device NULL or "" the default. Headless backends have no output. */
static int engine_open(struct app *a, const char *device)
{
	struct a11y *x = &a->a11y;
	struct speech_config sc = {
		.backend = x->wav_dir ? "wav" : a->headless ? "none" : "espeak",
		.wav_dir = x->wav_dir,
		.audio_device = device && device[0] ? device : NULL,
		.volume = x->volume,
	};
	char err[256];
	x->sp = speech_open(&sc, err, sizeof(err));
	if (!x->sp) /* the kiosk serves without it; the technician sees why in the log */
		fprintf(stderr, "recaudo: spoken guidance unavailable: %s\n", err);
	return x->sp ? 0 : -1;
}

void a11y_speech_open(struct app *a, const char *wav_dir)
{
	struct a11y *x = &a->a11y;
	/* open with speech = off too: the inactivity warning's tone needs the output */
	x->wav_dir = wav_dir;
	x->volume = a->cfg.speech_volume;
	engine_open(a, NULL);
	if (x->sp && wav_dir) {
		char path[512];
		snprintf(path, sizeof(path), "%s/said.tsv", wav_dir);
		x->said_file = fopen(path, "w");
	}
}

void a11y_speech_close(struct app *a)
{
	struct a11y *x = &a->a11y;
	if (x->sp)
		speech_close(x->sp);
	x->sp = NULL;
	if (x->said_file)
		fclose(x->said_file);
	x->said_file = NULL;
	explicit_bzero(x->said, sizeof(x->said));
	x->said_len = 0;
}

void a11y_speech_toggle(struct app *a)
{
	struct a11y *x = &a->a11y;
	if (!a->cfg.speech)
		return;
	x->on = !x->on;
	a->a11y.keyboard = 1; /* a customer who asked for speech moves with keys */
	if (!x->on) {
		say(a, tr(STR_SAY_OFF), 1);
		return;
	}
	if (a->act == &act_customer || a->act == &act_account)
		i18n_set(a->flow.lang);
	char text[1024];
	snprintf(text, sizeof(text), "%s%s%s", tr(STR_SAY_ON), personal(a) ? "" : " ", personal(a) ? "" : tr(STR_SAY_PRIVATE));
	say(a, text, 1);
	a11y_speech_screen(a, 0);
	a11y_speech_focus(a, 0);
}

void a11y_speech_screen(struct app *a, int flush)
{
	struct a11y *x = &a->a11y;
	if (!x->on || !a->act->speak)
		return;
	char text[1024];
	a->act->speak(a, NULL, personal(a), text, sizeof(text));
	say(a, text, flush);
}

void a11y_speech_focus(struct app *a, int flush)
{
	struct a11y *x = &a->a11y;
	const struct ui_hit *h = ui_focus_hit(&a->ui);
	if (!x->on || !h)
		return;
	char text[1024];
	if (a->act->speak)
		a->act->speak(a, h, personal(a), text, sizeof(text));
	else
		snprintf(text, sizeof(text), "%s", h->label);
	say(a, text, flush);
}

void a11y_speech_repeat(struct app *a)
{
	struct a11y *x = &a->a11y;
	if (!x->on)
		return;
	a11y_speech_screen(a, 1);
	a11y_speech_focus(a, 0);
}

void a11y_speech_volume(struct app *a, int step)
{
	struct a11y *x = &a->a11y;
	if (!x->sp)
		return;
	x->volume = speech_volume(x->sp, step * SPEECH_VOLUME_STEP);
	if (x->on) {
		char text[64];
		snprintf(text, sizeof(text), tr(STR_SAY_VOLUME), x->volume);
		say(a, text, 1);
	}
}

void a11y_speech_say(struct app *a, const char *text, int only_personal)
{
	if (!a->a11y.on || (only_personal && !personal(a)))
		return;
	say(a, text, 0);
}

void a11y_speech_interrupt(struct app *a)
{
	if (a->a11y.on && a->a11y.sp)
		speech_stop(a->a11y.sp);
}

void a11y_speech_tone_now(struct app *a)
{
	log_said(&a->a11y, a->a11y.sp ? speech_tone(a->a11y.sp, 880, 400) : 0, "[tono]");
}

void a11y_alert(struct app *a)
{
	if (a->headless)
		record(&a->a11y, "[tono]");
	if (a->a11y.on) {
		if (a->a11y.sp)
			speech_stop(a->a11y.sp);
		a->a11y.tone_pending = 1; /* first in what the next frame says (a11y_frame) */
	} else {
		a11y_speech_tone_now(a);
	}
}

void a11y_session_end(struct app *a)
{
	struct a11y *x = &a->a11y;
	if (x->sp) {
		speech_stop(x->sp);
		if (x->volume != a->cfg.speech_volume) /* each session starts at the configured volume */
			x->volume = speech_volume(x->sp, a->cfg.speech_volume - x->volume);
	}
	x->volume = a->cfg.speech_volume;
	x->tone_pending = 0;
	if (!x->device[0]) /* headphones still plugged in keep it on for whoever wears them */
		x->on = 0;
	a11y_said_clear(a);
}

void a11y_headphones(struct app *a, const char *device)
{
	struct a11y *x = &a->a11y;
	const char *now = device ? device : "";
	if (!strcmp(now, x->device))
		return;
	/* the engine moves to the headphones (or back to the default output): what was queued
	 * for the other output is dropped, never played where it was not meant to be heard */
	if (x->sp)
		speech_close(x->sp);
	x->sp = NULL;
	snprintf(x->device, sizeof(x->device), "%s", now);
	if (engine_open(a, now) != 0 && now[0]) {
		x->device[0] = 0; /* the headphones cannot play: nothing personal anywhere */
		engine_open(a, NULL);
	}
	if (x->device[0] && !x->on && a->cfg.speech)
		a11y_speech_toggle(a); /* plugging the headphones turns speech on */
}

int a11y_said(const struct app *a, const char *text) { return strstr(a->a11y.said, text) != NULL; }

void a11y_said_clear(struct app *a)
{
	explicit_bzero(a->a11y.said, sizeof(a->a11y.said));
	a->a11y.said_len = 0;
}
