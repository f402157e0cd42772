/* The window, on SDL's offscreen video driver (no X server needed), and the headless canvas:
 * - --fullscreen opens a borderless window covering the display, not SDL's fullscreen (which
 *   waits for a window manager that a kiosk does not run);
 * - the headless canvas draws exactly what the window shows: the same screen rendered in the
 *   window and headless at the same size gives the same pixels, so headless screenshots (and
 *   `make bench` frame times) are the window's;
 * - what the UI draws straight into a software renderer's surface (opaque fills, text, QR
 *   codes) has exactly the pixels SDL's renderer would have drawn there. */
#define _XOPEN_SOURCE 700
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check.h"
#include "tmpdir.h"

static struct app *open_app(const char *data, int headless, int w, int h)
{
	struct app_opts o;
	struct app *a = calloc(1, sizeof(*a));
	char err[400];
	memset(&o, 0, sizeof(o));
	o.headless = headless;
	o.fullscreen = !headless;
	o.demo = 1;
	o.w = w;
	o.h = h;
	o.data_dir = data;
	o.start_ms = 0; /* now, for both: the window runs on the real clock ("overdue" depends on it) */
	if (!a || app_open(a, &o, err, sizeof(err)) != 0) {
		fprintf(stderr, "app_open: %s\n", a ? err : "out of memory");
		free(a);
		return NULL;
	}
	return a;
}

/* The ID entry with a number typed, and the portfolio after Enter: no clock on either. */
static int shoot(struct app *a, const char *dir, const char *tag)
{
	char p[600];
	app_text(a, "1020304050");
	app_render(a, 1);
	/* the keypad's hit boxes carry the toolkit's own actions, not the flow's events */
	const struct ui_hit *k7 = ui_hit_by_label(&a->ui, "7"), *del = ui_hit_by_label(&a->ui, "⌫");
	CHECK(k7 && k7->act.action == UI_ACT_CHAR && k7->act.arg == '7');
	CHECK(del && del->act.action == UI_ACT_BACKSPACE);
	snprintf(p, sizeof(p), "%s/%s-id.png", dir, tag);
	if (app_save_png(a, p) != 0)
		return -1;
	app_key(a, APP_KEY_ENTER);
	lookup_wait_idle(a->svc.lk);
	app_pump(a);
	if (a->flow.screen != SCR_PORTFOLIO)
		return -1;
	app_render(a, 1);
	snprintf(p, sizeof(p), "%s/%s-portfolio.png", dir, tag);
	return app_save_png(a, p);
}

/* A PNG's pixels as RGBA (libpng's simplified API): malloc'd, w x h x 4 bytes; NULL on error. */
static unsigned char *load_rgba(const char *path, png_uint_32 *w, png_uint_32 *h)
{
	png_image img;
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, path))
		return NULL;
	img.format = PNG_FORMAT_RGBA;
	unsigned char *px = malloc(PNG_IMAGE_SIZE(img));
	if (!px || !png_image_finish_read(&img, NULL, px, 0, NULL)) {
		png_image_free(&img);
		free(px);
		return NULL;
	}
	*w = img.width;
	*h = img.height;
	return px;
}

/* Pixels that differ between two PNGs of the same size (as RGBA), or -1. */
static long png_diff(const char *pa, const char *pb)
{
	png_uint_32 wa = 0, ha = 0, wb = 0, hb = 0;
	unsigned char *a = load_rgba(pa, &wa, &ha), *b = load_rgba(pb, &wb, &hb);
	long n = -1;
	if (a && b && wa == wb && ha == hb) {
		n = 0;
		for (size_t i = 0; i < (size_t)wa * ha; i++)
			n += memcmp(a + i * 4, b + i * 4, 4) != 0;
	}
	free(a);
	free(b);
	return n;
}

/* The current screen drawn twice into the canvas: all through SDL's renderer (no target), then
 * with the UI's direct fills, text and QR (ui_set_target): the pixels must be the same. */
static long direct_vs_sdl(struct app *a, const char *dir, const char *tag)
{
	char p1[700], p2[700];
	ui_set_target(&a->ui, NULL);
	app_render(a, 1);
	snprintf(p1, sizeof(p1), "%s/%s-sdl.png", dir, tag);
	int rc = app_save_png(a, p1);
	ui_set_target(&a->ui, a->canvas);
	app_render(a, 1);
	snprintf(p2, sizeof(p2), "%s/%s-direct.png", dir, tag);
	rc |= app_save_png(a, p2);
	return rc ? -1 : png_diff(p1, p2);
}

int main(void)
{
	char dir[] = "/tmp/recaudo-display-XXXXXX";
	char data[600], p1[700], p2[700];
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	setenv("TZ", "<-05>5", 1);
	setenv("SDL_VIDEODRIVER", "offscreen", 1);
	snprintf(data, sizeof(data), "%s/data", dir);

	/* the kiosk's window: borderless, at the display's position and size */
	struct app *a = open_app(data, 0, 0, 0);
	CHECK(a != NULL);
	if (!a)
		goto out;
	SDL_Rect db;
	int ww = 0, wh = 0, wx = -1, wy = -1, rw = 0, rh = 0;
	CHECK_INT(SDL_GetDisplayBounds(0, &db), 0);
	Uint32 flags = SDL_GetWindowFlags(a->win);
	CHECK(flags & SDL_WINDOW_BORDERLESS);
	CHECK_INT(flags & SDL_WINDOW_FULLSCREEN, 0);
	SDL_GetWindowSize(a->win, &ww, &wh);
	SDL_GetWindowPosition(a->win, &wx, &wy);
	SDL_GetRendererOutputSize(a->ren, &rw, &rh);
	CHECK_INT(ww, db.w);
	CHECK_INT(wh, db.h);
	CHECK_INT(wx, db.x);
	CHECK_INT(wy, db.y);
	CHECK_INT(a->ui.w, rw);
	CHECK_INT(a->ui.h, rh);
	CHECK_INT(shoot(a, dir, "window"), 0);
	app_close(a);
	free(a);

	/* headless at the window's size: the same pixels */
	a = open_app(data, 1, rw, rh);
	CHECK(a != NULL);
	if (!a)
		goto out;
	CHECK_INT(a->canvas->format->format, APP_CANVAS_FORMAT);
	CHECK_INT(shoot(a, dir, "headless"), 0);
	app_close(a);
	free(a);
	snprintf(p1, sizeof(p1), "%s/window-id.png", dir);
	snprintf(p2, sizeof(p2), "%s/headless-id.png", dir);
	CHECK_INT(png_diff(p1, p2), 0);
	snprintf(p1, sizeof(p1), "%s/window-portfolio.png", dir);
	snprintf(p2, sizeof(p2), "%s/headless-portfolio.png", dir);
	CHECK_INT(png_diff(p1, p2), 0);

	/* the UI's own drawing into the software target gives SDL's pixels: portfolio (many
	 * fills and lines of text), a document selected, the coupon (its QR), both orientations */
	for (int portrait = 0; portrait < 2; portrait++) {
		a = open_app(data, 1, portrait ? 1080 : 1280, portrait ? 1920 : 800);
		CHECK(a != NULL);
		if (!a)
			goto out;
		CHECK(a->ui.fb == a->canvas);
		CHECK_INT(direct_vs_sdl(a, dir, "attract"), 0);
		app_text(a, "1020304050");
		CHECK_INT(direct_vs_sdl(a, dir, "id"), 0);
		app_key(a, APP_KEY_ENTER);
		lookup_wait_idle(a->svc.lk);
		app_pump(a);
		CHECK_INT(a->flow.screen, SCR_PORTFOLIO);
		CHECK_INT(direct_vs_sdl(a, dir, "portfolio"), 0);
		struct flow_event ev = {.type = FEV_TOGGLE_DOC, .arg = 0, .now_ms = app_now_ms(a)};
		flow_handle(&a->flow, &ev);
		ev.type = FEV_GEN_COUPON;
		flow_handle(&a->flow, &ev);
		CHECK_INT(a->flow.screen, SCR_COUPON);
		CHECK_INT(direct_vs_sdl(a, dir, "coupon"), 0);
		printq_wait_idle(a->svc.pq);
		app_close(a);
		free(a);
	}
out:
	tmpdir_remove(dir);
	return check_done();
}
