/* The SDL platform: the window or the headless canvas, the renderer, the wake-up event the
 * workers post to the main loop, presenting and saving frames (platform.h). */
#include "platform.h"

#include <SDL_ttf.h>
#include <png.h>
#include <stdio.h>
#include <string.h>

void platform_wake(void *user)
{
	struct app *a = user;
	if (a->headless || a->wake_type == (Uint32)-1)
		return;
	SDL_Event e;
	memset(&e, 0, sizeof(e));
	e.type = a->wake_type;
	SDL_PushEvent(&e);
}

/* The surface the renderer draws into, for the UI's direct opaque fills: the headless canvas,
 * or a software-rendered window's surface (it changes when the window is resized). */
static void set_draw_target(struct app *a)
{
	SDL_RendererInfo ri;
	if (a->headless)
		ui_set_target(&a->ui, a->canvas);
	else if (SDL_GetRendererInfo(a->ren, &ri) == 0 && (ri.flags & SDL_RENDERER_SOFTWARE))
		ui_set_target(&a->ui, SDL_GetWindowSurface(a->win));
	else
		ui_set_target(&a->ui, NULL);
}

int platform_open_display(struct app *a, const struct app_opts *o, char *err, size_t errn)
{
	int w = o->w > 0 ? o->w : 1080, h = o->h > 0 ? o->h : 1920;
	if (a->headless) {
		/* the format of a window's surface (X11 at 24 bits, SDL's offscreen driver, most
		 * framebuffers): the renderer then takes SDL's fast fills and blits, as in the window,
		 * not its generic per-pixel converters, and the frame costs what it costs there */
		a->canvas = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, APP_CANVAS_FORMAT);
		if (!a->canvas || !(a->ren = SDL_CreateSoftwareRenderer(a->canvas))) {
			snprintf(err, errn, "cannot create the headless canvas: %s", SDL_GetError());
			return -1;
		}
	} else {
		if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
			snprintf(err, errn, "cannot open the display: %s", SDL_GetError());
			return -1;
		}
		a->wake_type = SDL_RegisterEvents(1);
		/* the window keeps the screen's shape but fits the monitor (a 1080x1920 kiosk layout
		 * on a 1080p desktop shows scaled down); --fullscreen is the real kiosk */
		SDL_DisplayMode dm;
		int ww = w, wh = h;
		if (!o->fullscreen && SDL_GetDesktopDisplayMode(0, &dm) == 0) {
			double sx = dm.w * 0.95 / w, sy = dm.h * 0.9 / h, s = sx < sy ? sx : sy;
			if (s < 1.0) {
				ww = (int)(w * s);
				wh = (int)(h * s);
			}
		}
		Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
		int wx = SDL_WINDOWPOS_CENTERED, wy = SDL_WINDOWPOS_CENTERED;
		SDL_Rect db;
		if (o->fullscreen && SDL_GetDisplayBounds(0, &db) == 0) {
			/* a borderless window covering the display, not SDL's fullscreen: on a kiosk with
			 * no window manager, SDL waits ~100 ms at start for one to confirm fullscreen */
			flags |= SDL_WINDOW_BORDERLESS;
			wx = db.x;
			wy = db.y;
			ww = db.w;
			wh = db.h;
		} else if (o->fullscreen) {
			flags |= SDL_WINDOW_FULLSCREEN_DESKTOP; /* the display's size is unknown */
		}
		a->win = SDL_CreateWindow("Recaudo", wx, wy, ww, wh, flags);
		if (!a->win) {
			snprintf(err, errn, "cannot open a window: %s", SDL_GetError());
			return -1;
		}
		/* The screens redraw only on change and a full frame costs 1-2 ms in software, so the
		 * software renderer is the default: it keeps the GL stack (Mesa/LLVM, ~70 MB mapped)
		 * out of the process and resident memory near 20 MB. [display] renderer = accelerated
		 * opts in to the GPU. */
		if (a->cfg.accelerated) {
			a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
		} else {
			SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
			SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
		}
		if (!a->ren)
			a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
		if (!a->ren) {
			snprintf(err, errn, "cannot create a renderer: %s", SDL_GetError());
			return -1;
		}
		/* lay out at the real pixel size (the UI scales itself): no renderer scaling, so text
		 * stays sharp and shapes meet without seams */
		SDL_GetRendererOutputSize(a->ren, &w, &h);
		SDL_ShowCursor(o->fullscreen ? SDL_DISABLE : SDL_ENABLE);
	}
	if (ui_open(&a->ui, a->ren, w, h, a->cfg.font_dir, err, errn) != 0)
		return -1;
	set_draw_target(a);
	return 0;
}

int platform_init_fonts(struct app *a, char *err, size_t errn)
{
	if (TTF_Init() != 0) {
		snprintf(err, errn, "SDL_ttf: %s", TTF_GetError());
		return -1;
	}
	a->ttf = 1;
	return 0;
}

void platform_begin_frame(struct app *a)
{
	if (!a->headless && a->ui.fb)
		set_draw_target(a); /* a window's surface is replaced when the window changes */
}

#define PLATFORM_DIRTY_MAX 64

void platform_present(struct app *a, int full)
{
	SDL_Rect rects[PLATFORM_DIRTY_MAX];
	int n = ui_render(&a->ui, full, rects, PLATFORM_DIRTY_MAX);
	if (a->headless)
		return; /* the canvas keeps the frame */
	if (a->ui.fb) {
		/* a software window: its surface keeps the last frame; show the rectangles redrawn */
		SDL_RenderFlush(a->ren);
		if (n > 0)
			SDL_UpdateWindowSurfaceRects(a->win, rects, n);
	} else {
		SDL_RenderPresent(a->ren);
	}
}

void platform_close(struct app *a)
{
	if (a->ui.text)
		ui_close(&a->ui);
	if (a->ren)
		SDL_DestroyRenderer(a->ren);
	if (a->canvas)
		SDL_FreeSurface(a->canvas);
	if (a->win)
		SDL_DestroyWindow(a->win);
	if (!a->headless && a->wake_type != (Uint32)-1)
		SDL_Quit();
	if (a->ttf)
		TTF_Quit(); /* after the worker and the UI have closed their fonts */
}

/* An SDL_PIXELFORMAT_RGBA32 surface (bytes R, G, B, A) as a PNG, through libpng's simplified
 * API (the kiosk links no image loader: nothing it shows comes from an image file). */
static int save_rgba(SDL_Surface *s, const char *path)
{
	png_image img;
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)s->w;
	img.height = (png_uint_32)s->h;
	img.format = PNG_FORMAT_RGBA;
	int ok = png_image_write_to_file(&img, path, 0, s->pixels, s->pitch, NULL);
	png_image_free(&img);
	return ok ? 0 : -1;
}

int app_save_png(struct app *a, const char *path)
{
	if (a->headless) {
		/* saved as RGBA, as the window path below saves it */
		SDL_Surface *s = SDL_ConvertSurfaceFormat(a->canvas, SDL_PIXELFORMAT_RGBA32, 0);
		int rc = s ? save_rgba(s, path) : -1;
		SDL_FreeSurface(s);
		return rc;
	}
	int w, h;
	SDL_GetRendererOutputSize(a->ren, &w, &h);
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
	if (!s)
		return -1;
	int rc = SDL_RenderReadPixels(a->ren, NULL, SDL_PIXELFORMAT_RGBA32, s->pixels, s->pitch);
	if (rc == 0)
		rc = save_rgba(s, path);
	SDL_FreeSurface(s);
	return rc == 0 ? 0 : -1;
}

int app_resize(struct app *a, int w, int h)
{
	char err[200];
	if (ui_resize(&a->ui, w, h, err, sizeof(err)) != 0) {
		fprintf(stderr, "recaudo: %s\n", err);
		return -1;
	}
	set_draw_target(a);
	a->dirty = 1;
	return 0;
}
