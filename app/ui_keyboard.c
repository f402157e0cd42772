/* ui_keyboard — the on-screen keyboard for Spanish and its text field (docs/keyboard.md). */
#include "ui_keyboard.h"

#include <stdio.h>
#include <string.h>

static const char *const kbd_texts[UI_KBD_TEXTS] = {".com", ".co"};

/* ---- UTF-8 ---- */

static size_t utf8_encode(unsigned cp, char out[5])
{
	size_t n;
	if (cp < 0x80) {
		out[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	out[n] = '\0';
	return n;
}

/* Bytes of the well-formed character at s (no overlongs, surrogates, controls), 0 if bad. */
static size_t utf8_char(const unsigned char *s)
{
	unsigned cp;
	size_t n;
	if (s[0] < 0x80) {
		return s[0] >= 0x20 && s[0] != 0x7F ? 1 : 0;
	} else if ((s[0] & 0xE0) == 0xC0) {
		cp = s[0] & 0x1F;
		n = 2;
	} else if ((s[0] & 0xF0) == 0xE0) {
		cp = s[0] & 0x0F;
		n = 3;
	} else if ((s[0] & 0xF8) == 0xF0) {
		cp = s[0] & 0x07;
		n = 4;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp < 0xA0))
		return 0;
	return n;
}

/* Characters in s, or -1 if it is not clean UTF-8 text. */
static int utf8_count(const char *s)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t c = utf8_char(p);
		if (!c)
			return -1;
		p += c;
		n++;
	}
	return n;
}

/* ---- the field ---- */

void ui_kbd_field_init(struct ui_kbd_field *f, int max_chars)
{
	memset(f, 0, sizeof(*f));
	f->max_chars = max_chars > 0 ? max_chars : 0;
}

int ui_kbd_field_chars(const struct ui_kbd_field *f)
{
	int n = 0;
	for (size_t i = 0; i < f->len; i++)
		if (((unsigned char)f->buf[i] & 0xC0) != 0x80)
			n++;
	return n;
}

void ui_kbd_field_clear(struct ui_kbd_field *f)
{
	memset(f->buf, 0, sizeof(f->buf));
	f->len = 0;
}

/* Appends clean UTF-8 text whole, or nothing. */
static int field_insert(struct ui_kbd_field *f, const char *s)
{
	int n = utf8_count(s);
	size_t bytes = strlen(s);
	if (n <= 0 || f->len + bytes >= sizeof(f->buf))
		return 0;
	if (f->max_chars && ui_kbd_field_chars(f) + n > f->max_chars)
		return 0;
	memcpy(f->buf + f->len, s, bytes + 1);
	f->len += bytes;
	return 1;
}

static int field_backspace(struct ui_kbd_field *f)
{
	if (!f->len)
		return 0;
	size_t i = f->len - 1;
	while (i > 0 && ((unsigned char)f->buf[i] & 0xC0) == 0x80)
		i--;
	memset(f->buf + i, 0, f->len - i);
	f->len = i;
	return 1;
}

/* ---- letters ---- */

static int is_lower(unsigned cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7);
}

static unsigned to_upper(unsigned cp)
{
	return is_lower(cp) ? cp - 0x20 : cp;
}

/* The vowel with the dead key's accent; other characters as they are (the accent is dropped). */
static unsigned compose(enum ui_kbd_dead d, unsigned cp)
{
	static const char vowels[] = "aeiouAEIOU";
	static const unsigned acute[] = {0xE1, 0xE9, 0xED, 0xF3, 0xFA, 0xC1, 0xC9, 0xCD, 0xD3, 0xDA};
	const char *v = cp < 0x80 && cp ? strchr(vowels, (int)cp) : NULL;
	if (!v)
		return cp;
	if (d == UI_KBD_ACUTE)
		return acute[v - vowels];
	if (d == UI_KBD_DIAERESIS && (cp == 'u' || cp == 'U'))
		return cp == 'u' ? 0xFC : 0xDC;
	return cp;
}

int ui_kbd_apply(struct ui_kbd *k, struct ui_kbd_field *f, struct ui_action act)
{
	char u[5];
	switch (act.action) {
	case UI_ACT_KBD_CHAR: {
		unsigned cp = (unsigned)act.arg;
		if (act.arg <= 0 || cp > 0x10FFFF)
			return 0;
		if (k->shift != UI_KBD_LOWER)
			cp = to_upper(cp);
		cp = compose(k->dead, cp);
		utf8_encode(cp, u);
		if (!field_insert(f, u))
			return 0;
		k->dead = UI_KBD_NO_DEAD;
		if (k->shift == UI_KBD_ONCE && (is_lower(cp) || is_lower(cp + 0x20)))
			k->shift = UI_KBD_LOWER;
		return 1;
	}
	case UI_ACT_KBD_TEXT:
		if (act.arg < 0 || act.arg >= UI_KBD_TEXTS || !field_insert(f, kbd_texts[act.arg]))
			return 0;
		k->dead = UI_KBD_NO_DEAD;
		return 1;
	case UI_ACT_KBD_BACKSPACE:
		if (k->dead != UI_KBD_NO_DEAD) { /* first takes back the pending accent */
			k->dead = UI_KBD_NO_DEAD;
			return 1;
		}
		return field_backspace(f);
	case UI_ACT_KBD_SHIFT:
		k->shift = k->shift == UI_KBD_LOWER  ? UI_KBD_ONCE
			   : k->shift == UI_KBD_ONCE ? UI_KBD_CAPS
						     : UI_KBD_LOWER;
		return 1;
	case UI_ACT_KBD_ACCENT:
		if (k->dead != UI_KBD_NO_DEAD) {
			k->dead = UI_KBD_NO_DEAD; /* pressed again: no accent */
		} else if (k->shift != UI_KBD_LOWER) {
			k->dead = UI_KBD_DIAERESIS; /* Mayús + ´ = ¨, as on a Spanish keyboard */
			if (k->shift == UI_KBD_ONCE)
				k->shift = UI_KBD_LOWER;
		} else {
			k->dead = UI_KBD_ACUTE;
		}
		return 1;
	case UI_ACT_KBD_PAGE:
		k->symbols = !k->symbols;
		k->dead = UI_KBD_NO_DEAD;
		return 1;
	case UI_ACT_KBD_SHOW:
		if (!k->masked)
			return 0;
		k->shown = !k->shown;
		return 1;
	default:
		return 0;
	}
}

int ui_kbd_key(struct ui_kbd *k, struct ui_kbd_field *f, const char *text, int backspace)
{
	if (backspace)
		return field_backspace(f);
	if (!text || !field_insert(f, text))
		return 0;
	k->dead = UI_KBD_NO_DEAD; /* the physical keyboard composes its own accents */
	return 1;
}

/* ---- drawing ---- */

static int kbd_pressed(const struct ui *ui, struct ui_rect r)
{
	struct ui_rect p = ui->pressed_r;
	return ui->pressed && p.x == r.x && p.y == r.y && p.w == r.w && p.h == r.h;
}

/* One key: `on` marks a latched key (shift, accent) by a thick outline as well as its fill. */
static void key(struct ui *ui, struct ui_rect r, const char *drawn, const char *label, struct ui_action act,
		enum font_size font, int on)
{
	int rad = ui_px(ui, RADIUS / 2 + 2);
	struct rgba bg = kbd_pressed(ui, r) ? THEME_PRESSED : on ? THEME_SELECTED : THEME_SURFACE;
	ui_round(ui, r, rad, bg);
	if (on)
		ui_round_outline(ui, r, rad, ui_px(ui, 6), THEME_BRAND);
	else
		ui_round_outline(ui, r, rad, 2, THEME_LINE);
	/* the accent marks sit high in their glyph box: larger, and lowered to the key's middle */
	int mark = !strcmp(drawn, "´") || !strcmp(drawn, "¨");
	if (mark)
		font = FONT_DISPLAY;
	int lh = ui_line_h(ui, font);
	ui_label_fit(ui, r.x + r.w / 2, r.y + (r.h - lh) / 2 + (mark ? lh / 4 : 0), r.w - ui_px(ui, SP_XS),
		     font, 1, THEME_TEXT, UI_CENTER, drawn);
	ui_hit(ui, r, act, label);
}

struct kspec {
	const char *drawn, *label; /* label NULL: as drawn */
	struct ui_action act;
	int units; /* width in quarter keys */
	enum font_size font;
	int on;
};

/* Keys at least 2 mm apart on any screen (expect-accessible: 12 px on a 1280x800 tablet). */
static int key_gap(const struct ui *ui)
{
	int g = ui_px(ui, SP_XS), least = ui_min_gap_px(ui->w, ui->h);
	return g > least ? g : least;
}

static void row(struct ui *ui, struct ui_rect r, const struct kspec *ks, int n)
{
	int gap = key_gap(ui), total = 0;
	for (int i = 0; i < n; i++)
		total += ks[i].units;
	int avail = r.w - (n - 1) * gap, x = r.x, used = 0;
	for (int i = 0; i < n; i++) {
		used += ks[i].units;
		int end = r.x + (int)((long)avail * used / total) + i * gap;
		struct ui_rect kr = {x, r.y, end - x, r.h};
		key(ui, kr, ks[i].drawn, ks[i].label ? ks[i].label : ks[i].drawn, ks[i].act, ks[i].font,
		    ks[i].on);
		x = end + gap;
	}
}

/* A row of ten one-character keys from code points. */
static void char_row(struct ui *ui, struct ui_rect r, const unsigned *cps, int n, const struct ui_kbd *k,
		     struct kspec *ks, char (*txt)[5])
{
	for (int i = 0; i < n; i++) {
		unsigned cp = cps[i];
		if (k->shift != UI_KBD_LOWER)
			cp = to_upper(cp);
		cp = compose(k->dead, cp); /* a pending accent shows on the vowels */
		utf8_encode(cp, txt[i]);
		ks[i] = (struct kspec){txt[i], NULL, {UI_ACT_KBD_CHAR, (int)cp}, 4, FONT_H1, 0};
	}
	row(ui, r, ks, n);
}

void ui_keyboard(struct ui *ui, struct ui_rect r, const struct ui_kbd *k)
{
	static const unsigned digits[10] = {'1', '2', '3', '4', '5', '6', '7', '8', '9', '0'};
	static const unsigned letters[3][10] = {
		{'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p'},
		{'a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 0xF1},
		{'z', 'x', 'c', 'v', 'b', 'n', 'm', 0, 0, 0},
	};
	static const unsigned symbols[3][10] = {
		{'-', '_', ',', ':', ';', '/', '(', ')', '#', '~'},
		{'+', '\'', '"', '!', '?', '&', '%', '*', '=', '$'},
		{0xBF, 0xA1, '<', '>', '[', ']', '\\', '|', 0, 0},
	};
	int gap = key_gap(ui);
	int kh = (r.h - 4 * gap) / 5;
	struct kspec ks[12];
	char txt[10][5];
	struct ui_kbd plain = *k;
	plain.shift = UI_KBD_LOWER;
	plain.dead = UI_KBD_NO_DEAD;

	ui_fill(ui, r, THEME_BG);
	struct ui_rect rr = {r.x, r.y, r.w, kh};
	char_row(ui, rr, digits, 10, &plain, ks, txt);
	for (int i = 0; i < 3; i++) {
		rr.y += kh + gap;
		const unsigned *cps = k->symbols ? symbols[i] : letters[i];
		int n = i < 2 ? 10 : k->symbols ? 8 : 7;
		if (i < 2) {
			char_row(ui, rr, cps, n, k->symbols ? &plain : k, ks, txt);
			continue;
		}
		/* bottom letter row: Mayús, the letters, ⌫ (symbols: no shift) */
		int m = 0;
		if (!k->symbols)
			ks[m++] =
				(struct kspec){k->shift == UI_KBD_CAPS ? tr(STR_KBD_CAPS) : tr(STR_KBD_SHIFT),
					       tr(STR_KBD_SHIFT),
					       {UI_ACT_KBD_SHIFT, 0},
					       6,
					       FONT_SMALL,
					       k->shift != UI_KBD_LOWER};
		const struct ui_kbd *cs = k->symbols ? &plain : k;
		for (int j = 0; j < n; j++) {
			unsigned cp = cps[j];
			if (cs->shift != UI_KBD_LOWER)
				cp = to_upper(cp);
			utf8_encode(cp, txt[j]);
			ks[m++] = (struct kspec){txt[j], NULL, {UI_ACT_KBD_CHAR, (int)cp}, 4, FONT_H1, 0};
		}
		ks[m++] =
			(struct kspec){"⌫", NULL, {UI_ACT_KBD_BACKSPACE, 0}, k->symbols ? 8 : 6, FONT_H1, 0};
		row(ui, rr, ks, m);
	}
	/* bottom: page, accent, @, space, ".", .com, .co, and Mostrar/Ocultar for a masked field */
	rr.y += kh + gap;
	int m = 0;
	ks[m++] = (struct kspec){k->symbols ? tr(STR_KBD_LETTERS) : tr(STR_KBD_SYMBOLS),
				 NULL,
				 {UI_ACT_KBD_PAGE, 0},
				 5,
				 FONT_SMALL,
				 0};
	/* the accent key reads ¨ when it would give ¨: pending, or shift on */
	int diaeresis =
		k->dead == UI_KBD_DIAERESIS || (k->dead == UI_KBD_NO_DEAD && k->shift != UI_KBD_LOWER);
	ks[m++] = (struct kspec){diaeresis ? "¨" : "´",    "´", {UI_ACT_KBD_ACCENT, 0}, 4, FONT_H1,
				 k->dead != UI_KBD_NO_DEAD};
	ks[m++] = (struct kspec){"@", NULL, {UI_ACT_KBD_CHAR, '@'}, 4, FONT_TITLE, 0};
	ks[m++] = (struct kspec){tr(STR_KBD_SPACE),  NULL,       {UI_ACT_KBD_CHAR, ' '},
				 k->masked ? 7 : 14, FONT_SMALL, 0};
	ks[m++] = (struct kspec){".", NULL, {UI_ACT_KBD_CHAR, '.'}, 4, FONT_H1, 0};
	ks[m++] = (struct kspec){".com", NULL, {UI_ACT_KBD_TEXT, UI_KBD_DOT_COM}, 5, FONT_SMALL, 0};
	ks[m++] = (struct kspec){".co", NULL, {UI_ACT_KBD_TEXT, UI_KBD_DOT_CO}, 4, FONT_SMALL, 0};
	if (k->masked)
		ks[m++] = (struct kspec){k->shown ? tr(STR_KBD_HIDE) : tr(STR_KBD_SHOW),
					 NULL,
					 {UI_ACT_KBD_SHOW, 0},
					 7,
					 FONT_SMALL,
					 0};
	row(ui, rr, ks, m);
}

void ui_kbd_field_draw(struct ui *ui, struct ui_rect r, const struct ui_kbd_field *f, int masked, int shown)
{
	ui_kbd_field_draw_focus(ui, r, f, masked, shown, 1);
}

void ui_kbd_field_draw_focus(struct ui *ui, struct ui_rect r, const struct ui_kbd_field *f, int masked, int shown,
			     int focused)
{
	static const char bullet[] = "•";
	char out[UI_KBD_FIELD_BYTES * 3 + 8];
	size_t n = 0;
	if (masked && !shown) {
		int chars = ui_kbd_field_chars(f);
		for (int i = 0; i < chars && n + sizeof(bullet) < sizeof(out); i++) {
			memcpy(out + n, bullet, sizeof(bullet) - 1);
			n += sizeof(bullet) - 1;
		}
	} else {
		memcpy(out, f->buf, f->len);
		n = f->len;
	}
	out[n] = '\0';
	ui_round(ui, r, ui_px(ui, RADIUS), THEME_SURFACE);
	/* the field that types: the brand's thick edge and the caret; the others a plain edge */
	ui_round_outline(ui, r, ui_px(ui, RADIUS), focused ? ui_px(ui, 4) : 2, focused ? THEME_BRAND : THEME_LINE);
	int pad = ui_px(ui, SP_M), caret_w = ui_px(ui, 4) > 2 ? ui_px(ui, 4) : 2;
	int avail = r.w - 2 * pad - caret_w - ui_px(ui, SP_XS);
	/* the end of a long text stays in view: drop characters from the front behind a "…" */
	const char *s = out;
	char shown_txt[sizeof(out) + 4];
	int w = 0, h = 0;
	text_measure(ui->text, FONT_TITLE, 0, s, &w, &h);
	while (*s && w > avail) {
		s++;
		while (((unsigned char)*s & 0xC0) == 0x80)
			s++;
		snprintf(shown_txt, sizeof(shown_txt), "…%s", s);
		text_measure(ui->text, FONT_TITLE, 0, shown_txt, &w, &h);
	}
	const char *draw = s == out ? out : shown_txt;
	int lh = ui_line_h(ui, FONT_TITLE);
	int y = r.y + (r.h - lh) / 2;
	int tw = *draw ? ui_label(ui, r.x + pad, y, FONT_TITLE, 0, THEME_TEXT, UI_LEFT, draw) : 0;
	if (focused)
		ui_fill(ui, (struct ui_rect){r.x + pad + tw + ui_px(ui, 3), y, caret_w, lh}, THEME_TEXT);
}
