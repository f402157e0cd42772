/* test_ui_secimage — the security images (app/ui_secimage.c): one per ACCOUNT_IMAGES, every
 * symbol provided by the screen font (DejaVuSans.ttf, TTF_GlyphIsProvided32: a missing glyph
 * fails here, not as a box on a customer's screen), white on every tile >= 4.5:1 (and >= 7:1
 * in the high-contrast look), names in both languages, distinct colours and shapes; a sheet
 * of all of them drawn headless, passing the accessibility check, each tile showing its own
 * symbol (white ink of at least 1 % of the tile, no two covering nearly the same pixels). SECIMAGE_SHEET=<file.png> keeps the sheet. */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_ttf.h>

#include "account.h"
#include "app.h"
#include "check.h"
#include "tmpdir.h"
#include "ui.h"
#include "ui_secimage.h"

static const struct rgba WHITE = {0xFF, 0xFF, 0xFF, 0xFF};

/* The code point of a one-character UTF-8 string, or 0. */
static uint32_t utf8_one(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] >= 0xE0 && u[0] < 0xF0 && u[1] && u[2] && !u[3])
		return (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
	return 0;
}

static void test_table(void)
{
	CHECK_INT(UI_SECIMAGE_COUNT, ACCOUNT_IMAGES);
	for (int i = 0; i < UI_SECIMAGE_COUNT; i++) {
		const struct ui_secimage *s = ui_secimage_get(i);

		CHECK(s != NULL);
		if (!s)
			continue;
		CHECK_INT(utf8_one(s->utf8), s->codepoint);
		CHECK(s->name_es[0] && s->name_en[0]);
		CHECK_STR(ui_secimage_name(i, 0), s->name_es);
		CHECK_STR(ui_secimage_name(i, 1), s->name_en);
		if (ui_contrast(WHITE, s->tile) < 4.5)
			fprintf(stderr, "image %d (%s): white on its tile %.2f:1\n", i, s->name_en,
				ui_contrast(WHITE, s->tile));
		CHECK(ui_contrast(WHITE, s->tile) >= 4.5);
		for (int j = 0; j < i; j++) {
			const struct ui_secimage *t = ui_secimage_get(j);

			CHECK(t->codepoint != s->codepoint);
			CHECK(strcmp(t->name_es, s->name_es) != 0 && strcmp(t->name_en, s->name_en) != 0);
			CHECK(memcmp(&t->tile, &s->tile, sizeof s->tile) != 0);
		}
	}
	CHECK(ui_secimage_get(-1) == NULL && ui_secimage_get(UI_SECIMAGE_COUNT) == NULL);
	CHECK_STR(ui_secimage_name(UI_SECIMAGE_COUNT, 0), "");
	CHECK_STR(ui_secimage_name(-1, 1), "");
}

/* Every symbol in the font the screens use. */
static void test_glyphs(const char *font_dir)
{
	char path[400];
	TTF_Font *f;

	snprintf(path, sizeof path, "%s/DejaVuSans.ttf", font_dir);
	f = TTF_OpenFont(path, 48);
	CHECK(f != NULL);
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		return;
	}
	for (int i = 0; i < UI_SECIMAGE_COUNT; i++) {
		const struct ui_secimage *s = ui_secimage_get(i);
		int ok = TTF_GlyphIsProvided32(f, s->codepoint) != 0;

		if (!ok)
			fprintf(stderr, "DejaVuSans.ttf has no U+%04X (%s)\n", (unsigned)s->codepoint, s->name_en);
		CHECK(ok);
	}
	CHECK(TTF_GlyphIsProvided32(f, 0x4E00) == 0); /* the check can fail: no CJK in DejaVu */
	TTF_CloseFont(f);
}

#define COLS 4
#define TILE 220
#define GAP 24

static struct ui_rect tile_rect(int i)
{
	return (struct ui_rect){GAP + (i % COLS) * (TILE + GAP), GAP + (i / COLS) * (TILE + GAP), TILE, TILE};
}

/* 1 where the pixel at (x, y) of the RGBA32 surface is (near) white. */
static int white_at(const SDL_Surface *s, int x, int y)
{
	const uint8_t *p = (const uint8_t *)s->pixels + y * s->pitch + x * 4;

	return p[0] > 200 && p[1] > 200 && p[2] > 200;
}

/* The sheet: every image drawn, the frame accessible, each tile's symbol in white on its
 * tile's colour, no two symbols the same shape. */
static void test_sheet(struct app *a, int hc)
{
	struct ui *ui = &a->ui;
	struct rgba bg = {0xF4, 0xF6, 0xF8, 0xFF};
	char msg[600];
	static uint8_t mask[UI_SECIMAGE_COUNT][TILE * TILE];
	const char *keep = getenv("SECIMAGE_SHEET");
	SDL_Surface *s;
	int n;

	ui_set_look(ui, 0, hc);
	ui_begin(ui, bg);
	for (int i = 0; i < UI_SECIMAGE_COUNT; i++)
		ui_secimage_draw(ui, tile_rect(i), i);
	n = ui->list.n;
	ui_secimage_draw(ui, tile_rect(0), UI_SECIMAGE_COUNT); /* outside the table: nothing */
	ui_secimage_draw(ui, tile_rect(0), -1);
	CHECK_INT(ui->list.n, n);
	if (ui_check_accessible(ui, NULL, msg, sizeof msg) != 0) {
		fprintf(stderr, "sheet (hc %d): %s\n", hc, msg);
		CHECK(0);
	}
	for (int i = 0; i < UI_SECIMAGE_COUNT; i++)
		CHECK(ui_seen(ui, ui_secimage_get(i)->utf8));
	ui_render(ui, 1, NULL, 0);
	if (keep && keep[0] && !hc)
		CHECK_INT(app_save_png(a, keep), 0);
	s = SDL_ConvertSurfaceFormat(a->canvas, SDL_PIXELFORMAT_RGBA32, 0);
	CHECK(s != NULL);
	if (!s)
		return;
	for (int i = 0; i < UI_SECIMAGE_COUNT; i++) {
		struct ui_rect r = tile_rect(i);
		const uint8_t *corner = (const uint8_t *)s->pixels + (r.y + r.h / 2) * s->pitch + (r.x + 6) * 4;
		struct rgba want = ui_secimage_get(i)->tile;
		int ink = 0;

		/* the tile's own colour at its left edge (darker in high contrast) */
		if (!hc)
			CHECK(abs(corner[0] - want.r) < 4 && abs(corner[1] - want.g) < 4 && abs(corner[2] - want.b) < 4);
		else
			CHECK(ui_contrast(WHITE, (struct rgba){corner[0], corner[1], corner[2], 0xFF}) >= 7.0);
		/* inside the rounded corners (the page shows through them) */
		for (int y = TILE / 6; y < TILE - TILE / 6; y++)
			for (int x = TILE / 6; x < TILE - TILE / 6; x++) {
				mask[i][y * TILE + x] = (uint8_t)white_at(s, r.x + x, r.y + y);
				ink += mask[i][y * TILE + x];
			}
		/* a symbol, large: at least 1 % of the tile in white */
		if (ink < TILE * TILE / 100)
			fprintf(stderr, "image %d: only %d white pixels\n", i, ink);
		CHECK(ink >= TILE * TILE / 100);
		for (int j = 0; j < i; j++) {
			int both = 0, either = 0;

			for (int k = 0; k < TILE * TILE; k++) {
				both += mask[i][k] && mask[j][k];
				either += mask[i][k] || mask[j][k];
			}
			/* no two symbols cover nearly the same pixels (intersection over union under
			 * 0.7; two missing glyphs drawn as the same box would be 1) */
			if (both * 10 >= either * 7)
				fprintf(stderr, "images %d and %d: %d of %d pixels shared\n", j, i, both, either);
			if (getenv("SECIMAGE_IOU"))
				fprintf(stderr, "iou %d %d %.2f\n", j, i, (double)both / either);
			CHECK(both * 10 < either * 7);
		}
	}
	SDL_FreeSurface(s);
}

int main(void)
{
	char dir[] = "/tmp/recaudo-secimage-XXXXXX", err[400];
	struct app *a;
	struct app_opts o;

	test_table();
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		CHECK(0);
		return check_done();
	}
	a = calloc(1, sizeof(*a));
	memset(&o, 0, sizeof(o));
	o.headless = 1;
	o.demo = 1;
	o.w = 1080;
	o.h = 1920;
	o.data_dir = dir;
	o.start_ms = 1795359600000LL;
	if (!a || app_open(a, &o, err, sizeof(err)) != 0) {
		fprintf(stderr, "app_open: %s\n", err);
		CHECK(0);
		free(a);
		tmpdir_remove(dir);
		return check_done();
	}
	test_glyphs(a->ui.font_dir);
	test_sheet(a, 0);
	test_sheet(a, 1);
	app_close(a);
	free(a);
	tmpdir_remove(dir);
	return check_done();
}
