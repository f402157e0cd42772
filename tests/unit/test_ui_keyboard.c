/* The on-screen keyboard (app/ui_keyboard.c, docs/keyboard.md):
 * - logic: the dead accent (´ + a = á; ´ + n = n, the accent dropped; Mayús ´ u = ü), one-shot
 *   shift and caps lock, ñ, @ .com .co, the length limit in characters (not bytes), backspace
 *   by whole UTF-8 characters, the masked field's show toggle never touching the text, the
 *   physical keyboard's composed UTF-8 and its bad input refused whole;
 * - drawing, at 1080x1920 and 1280x800: every key a labelled hit box at least the minimum
 *   size, none overlapping, typing "Peña@x.co" by pressing labels; screenshots saved (kept
 *   in $RECAUDO_KBD_SHOTS when set, to look at). */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check.h"
#include "tmpdir.h"
#include "ui_keyboard.h"
#include "ui_render.h"

static struct ui_action A(int action, int arg) {
	return (struct ui_action){action, arg};
}

static void
type_ascii(struct ui_kbd *k, struct ui_kbd_field *f, const char *s)
{
	for (; *s; s++)
		ui_kbd_apply(k, f, A(UI_ACT_KBD_CHAR, (unsigned char)*s));
}

static void test_logic(void)
{
	struct ui_kbd k;
	struct ui_kbd_field f;
	memset(&k, 0, sizeof(k));
	ui_kbd_field_init(&f, 0);

	/* ´ then a vowel: the accented vowel; ´ then a consonant: the consonant alone */
	CHECK_INT(ui_kbd_apply(&k, &f, A(UI_ACT_KBD_ACCENT, 0)), 1);
	CHECK_INT(k.dead, UI_KBD_ACUTE);
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_CHAR, 'a'));
	CHECK_STR(f.buf, "á");
	CHECK_INT(k.dead, UI_KBD_NO_DEAD);
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_ACCENT, 0));
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_CHAR, 'n'));
	CHECK_STR(f.buf, "án");
	const char *vowels = "eiou";
	for (const char *v = vowels; *v; v++) {
		ui_kbd_apply(&k, &f, A(UI_ACT_KBD_ACCENT, 0));
		ui_kbd_apply(&k, &f, A(UI_ACT_KBD_CHAR, *v));
	}
	CHECK_STR(f.buf, "ánéíóú");
	/* the accent twice: no accent; backspace first takes back a pending accent */
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_ACCENT, 0));
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_ACCENT, 0));
	CHECK_INT(k.dead, UI_KBD_NO_DEAD);
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_ACCENT, 0));
	CHECK_INT(ui_kbd_apply(&k, &f, A(UI_ACT_KBD_BACKSPACE, 0)), 1);
	CHECK_STR(f.buf, "ánéíóú");
	CHECK_INT(k.dead, UI_KBD_NO_DEAD);
	/* backspace removes a whole character, two bytes here */
	CHECK_INT(ui_kbd_apply(&k, &f, A(UI_ACT_KBD_BACKSPACE, 0)), 1);
	CHECK_STR(f.buf, "ánéíó");
	CHECK_INT(f.len, strlen("ánéíó"));
	ui_kbd_field_clear(&f);
	CHECK_INT(ui_kbd_apply(&k, &f, A(UI_ACT_KBD_BACKSPACE, 0)), 0);

	/* shift: one-shot; twice: caps lock; a third time: off */
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_SHIFT, 0));
	CHECK_INT(k.shift, UI_KBD_ONCE);
	type_ascii(&k, &f, "pe");
	CHECK_STR(f.buf, "Pe");
	CHECK_INT(k.shift, UI_KBD_LOWER);
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_CHAR, 0xF1)); /* ñ */
	type_ascii(&k, &f, "a");
	CHECK_STR(f.buf, "Peña");
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_SHIFT, 0));
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_SHIFT, 0));
	CHECK_INT(k.shift, UI_KBD_CAPS);
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_CHAR, 0xF1));
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_ACCENT, 0)); /* caps + ´ = ¨ */
	CHECK_INT(k.dead, UI_KBD_DIAERESIS);
	type_ascii(&k, &f, "u");
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_SHIFT, 0));
	CHECK_INT(k.shift, UI_KBD_LOWER);
	CHECK_STR(f.buf, "PeñaÑÜ");
	/* Mayús ´ u: ü (the one-shot shift turned the accent into ¨) */
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_SHIFT, 0));
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_ACCENT, 0));
	type_ascii(&k, &f, "u");
	CHECK_STR(f.buf, "PeñaÑÜü");
	CHECK_INT(k.shift, UI_KBD_LOWER);
	/* digits and symbols do not use up the one-shot shift */
	ui_kbd_field_clear(&f);
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_SHIFT, 0));
	type_ascii(&k, &f, "1a");
	CHECK_STR(f.buf, "1A");

	/* @ .com .co */
	ui_kbd_field_clear(&f);
	type_ascii(&k, &f, "ana@x");
	CHECK_INT(ui_kbd_apply(&k, &f, A(UI_ACT_KBD_TEXT, UI_KBD_DOT_COM)), 1);
	CHECK_INT(ui_kbd_apply(&k, &f, A(UI_ACT_KBD_TEXT, UI_KBD_DOT_CO)), 1);
	CHECK_STR(f.buf, "ana@x.com.co");
	CHECK_INT(ui_kbd_apply(&k, &f, A(UI_ACT_KBD_TEXT, 7)), 0);
	CHECK_INT(ui_kbd_apply(&k, &f, A(UI_ACT_USER + 1, 0)), 0);

	/* the limit counts characters: 4 of "ñáéí" are 8 bytes and fit; a 5th does not */
	ui_kbd_field_init(&f, 4);
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_CHAR, 0xF1));
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_CHAR, 0xE1));
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_CHAR, 0xE9));
	CHECK_INT(ui_kbd_apply(&k, &f, A(UI_ACT_KBD_CHAR, 0xED)), 1);
	CHECK_INT(ui_kbd_field_chars(&f), 4);
	CHECK_INT(f.len, 8);
	CHECK_INT(ui_kbd_apply(&k, &f, A(UI_ACT_KBD_CHAR, 'x')), 0);
	CHECK_STR(f.buf, "ñáéí");
	/* text that does not fit whole is refused whole */
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_BACKSPACE, 0));
	CHECK_INT(ui_kbd_apply(&k, &f, A(UI_ACT_KBD_TEXT, UI_KBD_DOT_CO)), 0);
	CHECK_STR(f.buf, "ñáé");
	/* a full field keeps a pending accent (nothing changed) */
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_CHAR, 'o'));
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_ACCENT, 0));
	CHECK_INT(ui_kbd_apply(&k, &f, A(UI_ACT_KBD_CHAR, 'a')), 0);
	CHECK_STR(f.buf, "ñáéo");
	k.dead = UI_KBD_NO_DEAD;

	/* the byte limit: 255 bytes at most, never a cut character */
	ui_kbd_field_init(&f, 0);
	for (int i = 0; i < 200; i++)
		ui_kbd_apply(&k, &f, A(UI_ACT_KBD_CHAR, 0xF1));
	CHECK_INT(f.len, 254);
	CHECK_INT(ui_kbd_field_chars(&f), 127);
	CHECK(f.len < sizeof(f.buf));

	/* masked: the toggle shows and hides; the text never changes */
	ui_kbd_field_init(&f, 0);
	type_ascii(&k, &f, "clave1");
	CHECK_INT(ui_kbd_apply(&k, &f, A(UI_ACT_KBD_SHOW, 0)), 0); /* not masked: nothing to show */
	k.masked = 1;
	CHECK_INT(ui_kbd_apply(&k, &f, A(UI_ACT_KBD_SHOW, 0)), 1);
	CHECK_INT(k.shown, 1);
	CHECK_STR(f.buf, "clave1");
	CHECK_INT(ui_kbd_apply(&k, &f, A(UI_ACT_KBD_SHOW, 0)), 1);
	CHECK_INT(k.shown, 0);
	CHECK_STR(f.buf, "clave1");
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_PAGE, 0));
	CHECK_INT(k.symbols, 1);
	CHECK_STR(f.buf, "clave1");
	ui_kbd_apply(&k, &f, A(UI_ACT_KBD_PAGE, 0));
	CHECK_INT(k.symbols, 0);

	/* the physical keyboard: composed UTF-8 (SDL_TEXTINPUT), backspace, bad input refused */
	memset(&k, 0, sizeof(k));
	ui_kbd_field_init(&f, 6);
	CHECK_INT(ui_kbd_key(&k, &f, "José", 0), 1);
	CHECK_INT(ui_kbd_key(&k, &f, "\xC3", 0), 0);         /* a cut character */
	CHECK_INT(ui_kbd_key(&k, &f, "\xC0\xAF", 0), 0);     /* overlong "/" */
	CHECK_INT(ui_kbd_key(&k, &f, "\t", 0), 0);           /* control */
	CHECK_INT(ui_kbd_key(&k, &f, "\xED\xA0\x80", 0), 0); /* surrogate */
	CHECK_INT(ui_kbd_key(&k, &f, "abc", 0), 0);          /* 7 characters: refused whole */
	CHECK_STR(f.buf, "José");
	CHECK_INT(ui_kbd_key(&k, &f, NULL, 1), 1);
	CHECK_STR(f.buf, "Jos");
	CHECK_INT(ui_kbd_key(&k, &f, "é€", 0), 1);
	CHECK_STR(f.buf, "José€");
	k.dead = UI_KBD_ACUTE; /* a pending on-screen accent does not touch typed text */
	CHECK_INT(ui_kbd_key(&k, &f, "a", 0), 1);
	CHECK_STR(f.buf, "José€a");
	CHECK_INT(k.dead, UI_KBD_NO_DEAD);
}

/* ---- drawing ---- */

static struct app *open_app(const char *data, int w, int h)
{
	struct app_opts o;
	struct app *a = calloc(1, sizeof(*a));
	char err[400];
	memset(&o, 0, sizeof(o));
	o.headless = 1;
	o.demo = 1;
	o.w = w;
	o.h = h;
	o.data_dir = data;
	o.start_ms = 1795359600000LL;
	if (!a || app_open(a, &o, err, sizeof(err)) != 0) {
		fprintf(stderr, "app_open: %s\n", a ? err : "out of memory");
		free(a);
		return NULL;
	}
	return a;
}

static void frame(struct app *a, const struct ui_kbd *k, const struct ui_kbd_field *f)
{
	struct ui *ui = &a->ui;
	int m = ui_px(ui, SP_S);
	ui_begin(ui, THEME_BG);
	int fh = ui_px(ui, 120);
	ui_kbd_field_draw(ui, (struct ui_rect){m, m, ui->w - 2 * m, fh}, f, k->masked, k->shown);
	/* the keyboard at the bottom: full width, 5 rows of ~TOUCH_MIN + a bit */
	int kh = ui_px(ui, 5 * 118 + 4 * SP_XS);
	ui_keyboard(ui, (struct ui_rect){m / 2, ui->h - kh - m / 2, ui->w - m, kh}, k);
	ui_render(ui, 1, NULL, 0);
}

static int overlap(struct ui_rect a, struct ui_rect b)
{
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Presses the key with this label: its action into the keyboard, then a new frame. */
static int press(struct app *a, struct ui_kbd *k, struct ui_kbd_field *f, const char *label)
{
	const struct ui_hit *h = ui_hit_by_label(&a->ui, label);
	if (!h) {
		fprintf(stderr, "no key \"%s\"\n", label);
		return 0;
	}
	int rc = ui_kbd_apply(k, f, h->act);
	frame(a, k, f);
	return rc;
}

static void check_keys(struct app *a, const char *tag, int min_px)
{
	struct ui *ui = &a->ui;
	int bad_size = 0, bad_overlap = 0, no_label = 0;
	for (int i = 0; i < ui->nhits; i++) {
		const struct ui_hit *h = &ui->hits[i];
		if (!h->label[0])
			no_label++;
		if (h->r.w < min_px || h->r.h < min_px) {
			fprintf(stderr, "%s: key \"%s\" %dx%d < %d\n", tag, h->label, h->r.w, h->r.h, min_px);
			bad_size++;
		}
		for (int j = i + 1; j < ui->nhits; j++)
			if (overlap(h->r, ui->hits[j].r))
				bad_overlap++;
	}
	CHECK_INT(no_label, 0);
	CHECK_INT(bad_size, 0);
	CHECK_INT(bad_overlap, 0);
	const struct ui_text_box *ta, *tb;
	CHECK_INT(ui_text_overlap(ui, &ta, &tb), 0);
}

static void test_draw(const char *dir, int w, int h)
{
	char data[700], p[800], tag[32];
	snprintf(tag, sizeof(tag), "%dx%d", w, h);
	snprintf(data, sizeof(data), "%s/data-%s", dir, tag);
	struct app *a = open_app(data, w, h);
	CHECK(a != NULL);
	if (!a)
		return;
	struct ui *ui = &a->ui;
	struct ui_kbd k;
	struct ui_kbd_field f;
	memset(&k, 0, sizeof(k));
	ui_kbd_field_init(&f, 40);
	frame(a, &k, &f);

	/* every key: 10 digits, 27 letters, Mayús, ⌫, and the bottom row of 7 */
	static const char *const labels[] = {"1", "0",    "q", "p", "a",       "ñ", "z",    "m",  "Mayús",
					     "⌫", "?123", "´", "@", "Espacio", ".", ".com", ".co"};
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		CHECK(ui_hit_by_label(ui, labels[i]) != NULL);
	CHECK_INT(ui->nhits, 10 + 10 + 10 + 9 + 7);
	CHECK(ui_hit_by_label(ui, "Mostrar") == NULL);
	/* TOUCH_MIN at 1080 wide; landscape scales it (0.74), and its keys are still >= 64 px */
	int min_px = ui_px(ui, TOUCH_MIN);
	CHECK(min_px >= 64);
	check_keys(a, tag, min_px);

	/* a finger down on a key: that key, and only it, is drawn pressed */
	const struct ui_hit *ka = ui_hit_by_label(ui, "a");
	CHECK(ka != NULL);
	if (ka) {
		ui->pressed = 1;
		ui->pressed_r = ka->r;
		frame(a, &k, &f);
		int npressed = 0, on_a = 0;
		for (int i = 0; i < ui->list.n; i++) {
			const struct ui_cmd *c = &ui->list.cmd[i];
			struct rgba pc = THEME_PRESSED;
			if (c->type == UI_CMD_ROUND && !memcmp(&c->c, &pc, sizeof(pc))) {
				npressed++;
				on_a = !memcmp(&c->shape, &ui->pressed_r, sizeof(c->shape));
			}
		}
		CHECK_INT(npressed, 1);
		CHECK(on_a);
		ui->pressed = 0;
		frame(a, &k, &f);
	}

	/* type "Peña@x.co" by labels */
	press(a, &k, &f, "Mayús");
	CHECK(ui_hit_by_label(ui, "P") != NULL && ui_hit_by_label(ui, "Ñ") != NULL); /* upper case shown */
	snprintf(p, sizeof(p), "%s/%s-shift.png", dir, tag);
	CHECK_INT(app_save_png(a, p), 0);
	CHECK_INT(press(a, &k, &f, "P"), 1);
	CHECK_INT(press(a, &k, &f, "e"), 1);
	CHECK_INT(press(a, &k, &f, "ñ"), 1);
	CHECK_INT(press(a, &k, &f, "a"), 1);
	CHECK_INT(press(a, &k, &f, "@"), 1);
	CHECK_INT(press(a, &k, &f, "x"), 1);
	CHECK_INT(press(a, &k, &f, ".co"), 1);
	CHECK_STR(f.buf, "Peña@x.co");
	CHECK(ui_seen(ui, "Peña@x.co"));
	/* the accent: the vowels show it while it waits */
	press(a, &k, &f, "Espacio");
	press(a, &k, &f, "´");
	CHECK(ui_hit_by_label(ui, "á") != NULL && ui_hit_by_label(ui, "ú") != NULL);
	snprintf(p, sizeof(p), "%s/%s-accent.png", dir, tag);
	CHECK_INT(app_save_png(a, p), 0);
	press(a, &k, &f, "é");
	CHECK_STR(f.buf, "Peña@x.co é");
	check_keys(a, tag, min_px);
	snprintf(p, sizeof(p), "%s/%s-letters.png", dir, tag);
	CHECK_INT(app_save_png(a, p), 0);

	/* the symbols page */
	press(a, &k, &f, "?123");
	CHECK(ui_hit_by_label(ui, "ABC") != NULL && ui_hit_by_label(ui, "#") != NULL &&
	      ui_hit_by_label(ui, "(") != NULL && ui_hit_by_label(ui, "_") != NULL);
	CHECK(ui_hit_by_label(ui, "Mayús") == NULL);
	check_keys(a, tag, min_px);
	press(a, &k, &f, "-");
	CHECK_STR(f.buf, "Peña@x.co é-");
	snprintf(p, sizeof(p), "%s/%s-symbols.png", dir, tag);
	CHECK_INT(app_save_png(a, p), 0);
	press(a, &k, &f, "ABC");

	/* masked: bullets, the text never drawn; Mostrar shows it */
	memset(&k, 0, sizeof(k));
	k.masked = 1;
	ui_kbd_field_init(&f, 20);
	ui_kbd_key(&k, &f, "Clave9ñ", 0);
	frame(a, &k, &f);
	CHECK(!ui_seen(ui, "Clave9ñ"));
	CHECK(ui_seen(ui, "•••••••"));
	CHECK(ui_hit_by_label(ui, "Mostrar") != NULL);
	check_keys(a, tag, min_px);
	snprintf(p, sizeof(p), "%s/%s-masked.png", dir, tag);
	CHECK_INT(app_save_png(a, p), 0);
	CHECK_INT(press(a, &k, &f, "Mostrar"), 1);
	CHECK(ui_seen(ui, "Clave9ñ"));
	CHECK(ui_hit_by_label(ui, "Ocultar") != NULL);
	CHECK_STR(f.buf, "Clave9ñ");
	snprintf(p, sizeof(p), "%s/%s-shown.png", dir, tag);
	CHECK_INT(app_save_png(a, p), 0);

	/* a long text keeps its end (the caret) in view */
	memset(&k, 0, sizeof(k));
	ui_kbd_field_init(&f, 0);
	ui_kbd_key(&k, &f, "maria.fernanda.gonzalez.ramirez.de.la.torre.castellanos@correo-empresa.com.co",
		   0);
	frame(a, &k, &f);
	CHECK(ui_seen(ui, "…"));
	CHECK(ui_seen(ui, "empresa.com.co"));
	snprintf(p, sizeof(p), "%s/%s-long.png", dir, tag);
	CHECK_INT(app_save_png(a, p), 0);
	app_close(a);
	free(a);
}

int main(void)
{
	char dir[] = "/tmp/recaudo-kbd-XXXXXX";
	const char *keep = getenv("RECAUDO_KBD_SHOTS");
	test_logic();
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	setenv("TZ", "<-05>5", 1);
	setenv("SDL_VIDEODRIVER", "offscreen", 1);
	test_draw(keep && *keep ? keep : dir, 1080, 1920);
	test_draw(keep && *keep ? keep : dir, 1280, 800);
	tmpdir_remove(dir);
	return check_done();
}
