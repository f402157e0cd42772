/* Spoken guidance (a11y.h). */
#include "a11y.h"

#include "app.h"

void a11y_speech_toggle(struct app *a) { (void)a; }
void a11y_speech_repeat(struct app *a) { (void)a; }
void a11y_speech_volume(struct app *a, int step) { (void)a, (void)step; }
void a11y_speech_screen(struct app *a) { (void)a; }
void a11y_speech_focus(struct app *a) { (void)a; }
