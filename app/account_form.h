/* account_form — what the account screens that take typed data share (services-contact,
 * services-register, services-security in change mode, coupon-email): the typed fields laid
 * out above the on-screen keyboard at any size (stacked when there is room, side by side in a
 * row with the screen's main button when there is not: a 1280x800 tablet), and the words that
 * tell a customer why a value was refused, naming the field. */
#ifndef RECAUDO_ACCOUNT_FORM_H
#define RECAUDO_ACCOUNT_FORM_H
#include "account_internal.h"

struct account_form_field {
	enum account_input in;
	const char *label;  /* over the field (portrait); the field's name for scripts and speech */
	const char *inside; /* landscape: the words inside the empty box (NULL: label) */
};

/* A whole typed-data screen inside body: the title, the words (info; the screen's message or
 * "Un momento" while a job runs, instead or besides), the n fields, "Atrás" (AA_BACK, when
 * back) and the main button (label button, action act, enabled), and the keyboard.
 * Portrait: the header with "Atrás", the words, the fields stacked, the button under them,
 * the keyboard at the bottom. Landscape (a 1280x800 tablet, where a keyboard whose keys meet
 * the minimum target takes more than half the height): the title with the words beside it
 * (the message alone, full width, while there is one), then one row of the fields with
 * "Atrás" and the button at its end, then the keyboard. */
void account_form_draw(struct app *a, struct ui_rect body, const char *title, const char *info,
		       const struct account_form_field *f, int n, int back, const char *button, int act, int enabled);

/* The message for a value the rules refused (core/account.h), naming the field (AI_PHONE,
 * AI_EMAIL, AI_ADDRESS, AI_PHRASE), in the current language; never the value. */
const char *account_form_err(enum account_input in, enum account_err e);

/* Moves the keyboard's focus to field in (as a tap on it would). */
void account_form_focus(struct app *a, enum account_input in);
#endif
