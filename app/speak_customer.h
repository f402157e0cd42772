/* speak_customer — the customer journey's spoken words (docs/accessibility.md). The text goes
 * into out (always NUL-terminated); a11y_speech.c sends it to the speech worker. personal 0: a
 * loudspeaker, so no name, amount, ID or document number is put in the text. */
#ifndef RECAUDO_SPEAK_CUSTOMER_H
#define RECAUDO_SPEAK_CUSTOMER_H
#include <stddef.h>

struct app;
struct ui_hit;

/* The screen on screen now: what it is and what to do (the countdown when it is up). */
void speak_customer_screen(struct app *a, int personal, char *out, size_t n);
/* The focused control: a document row with its state, a keypad key, a chip, a button. */
void speak_customer_focus(struct app *a, const struct ui_hit *h, int personal, char *out, size_t n);
#endif
