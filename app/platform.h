/* platform — the SDL side of the app (platform.c): the window or the headless canvas, the
 * renderer, the wake-up event workers post, presenting a frame. app.c calls these; nothing
 * else in the app opens SDL's video. */
#ifndef RECAUDO_PLATFORM_H
#define RECAUDO_PLATFORM_H
#include "app.h"

/* SDL_ttf, once per process, before any worker that renders text starts. */
int platform_init_fonts(struct app *a, char *err, size_t errn);
/* Opens the window (or the headless canvas), the renderer and the UI; registers the wake-up
 * event. Returns 0 or -1 with err. */
int platform_open_display(struct app *a, const struct app_opts *o, char *err, size_t errn);
/* A worker has a result: wakes the main loop (an SDL user event; nothing headless). */
void platform_wake(void *user);
void platform_begin_frame(struct app *a);
/* Renders the frame's draw list (full: all of it; otherwise only the regions that changed
 * since the last frame, ui_render) and shows it: a software window updates only the
 * rectangles redrawn, an accelerated one presents the whole frame. */
void platform_present(struct app *a, int full);
/* Closes the UI, renderer, window, SDL and SDL_ttf (after the workers). */
void platform_close(struct app *a);
#endif
