/* ui_keyboard — the toolkit's full on-screen keyboard for Spanish (docs/keyboard.md): QWERTY
 * with ñ, a dead accent key (´ then a vowel: á é í ó ú; with shift ¨: ü), a digits row, shift
 * (one-shot; pressed again: caps lock), space, backspace, @ .com .co, a symbols page, and for a
 * masked field a Mostrar/Ocultar key. Keys are hit boxes carrying UI_ACT_KBD_* actions, so any
 * activity routes them to ui_kbd_apply; a physical keyboard goes through ui_kbd_key. */
#ifndef RECAUDO_UI_KEYBOARD_H
#define RECAUDO_UI_KEYBOARD_H
#include <stddef.h>
#include "ui.h"

#define UI_KBD_FIELD_BYTES 256 /* UTF-8 bytes, NUL included */

enum ui_kbd_shift { UI_KBD_LOWER, UI_KBD_ONCE, UI_KBD_CAPS };
enum ui_kbd_dead { UI_KBD_NO_DEAD, UI_KBD_ACUTE, UI_KBD_DIAERESIS };
enum ui_kbd_text { UI_KBD_DOT_COM, UI_KBD_DOT_CO, UI_KBD_TEXTS };

struct ui_kbd {
	enum ui_kbd_shift shift;
	enum ui_kbd_dead dead; /* accent waiting for its vowel */
	int symbols;           /* 1: the symbols page */
	int masked;            /* the field is a password: draw the Mostrar/Ocultar key */
	int shown;             /* masked field shown in clear */
};

/* A text field: UTF-8, at most max_chars characters (and UI_KBD_FIELD_BYTES - 1 bytes); the
 * cursor is always at the end. */
struct ui_kbd_field {
	char buf[UI_KBD_FIELD_BYTES];
	size_t len;    /* bytes */
	int max_chars; /* 0: as many as the buffer holds */
};

void ui_kbd_field_init(struct ui_kbd_field *f, int max_chars);
/* Characters (not bytes) in the field. */
int ui_kbd_field_chars(const struct ui_kbd_field *f);
/* Wipes the text (zeroes the buffer). */
void ui_kbd_field_clear(struct ui_kbd_field *f);

/* Draws the keyboard inside r, registering one hit box per key. */
void ui_keyboard(struct ui *ui, struct ui_rect r, const struct ui_kbd *k);
/* Applies a keyboard action (UI_ACT_KBD_*) to the keyboard and the field. Returns 1 if the
 * field or the keyboard changed, 0 otherwise (another action, a full field: nothing changes). */
int ui_kbd_apply(struct ui_kbd *k, struct ui_kbd_field *f, struct ui_action act);
/* Physical keyboard: text is the UTF-8 of SDL_TEXTINPUT (already composed: "á" arrives whole),
 * or NULL with backspace 1. Control characters or bad UTF-8 change nothing; text that does
 * not fit whole is refused whole. Returns 1 if the field changed. */
int ui_kbd_key(struct ui_kbd *k, struct ui_kbd_field *f, const char *text, int backspace);
/* The field: its text (or one • per character when masked and not shown) with a caret. */
void ui_kbd_field_draw(struct ui *ui, struct ui_rect r, const struct ui_kbd_field *f, int masked, int shown);
/* The same for a form of several fields: only the focused one has the caret and the brand's
 * thick edge (the keyboard types into it); the others a plain edge. */
void ui_kbd_field_draw_focus(struct ui *ui, struct ui_rect r, const struct ui_kbd_field *f, int masked, int shown,
			     int focused);
#endif
