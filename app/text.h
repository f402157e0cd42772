/* text — UTF-8 text with SDL2_ttf: fonts per size and weight, measuring, word wrapping, and
 * a texture cache so an unchanged frame renders without rasterising or allocating.
 * Only the renderer side of the app (ui.c) calls into this module. */
#ifndef RECAUDO_TEXT_H
#define RECAUDO_TEXT_H
#include <SDL.h>
#include "theme.h"

struct text;

/* Opens the fonts (regular + bold from font_dir) at the theme's sizes times `scale`.
 * SDL_ttf must be initialised (TTF_Init) by the caller and outlive the text object.
 * Returns NULL with err set if a font cannot be opened. Free with text_close. */
struct text *text_open(SDL_Renderer *r, const char *font_dir, float scale, char *err, size_t errn);
/* The same with each size's pixel size given. */
struct text *text_open_px(SDL_Renderer *r, const char *font_dir, const int px[FONT_SIZES], char *err,
			  size_t errn);
void text_close(struct text *t);
/* The pixel size a size was opened at. */
int text_font_px(const struct text *t, enum font_size sz);
/* The surface the renderer draws into when it is SDL's software renderer (the headless
 * canvas, a software window's surface), or NULL. With one of the XRGB/ARGB8888 layout, text
 * is kept as surfaces and blended straight into it, only over the pixels that have ink. */
void text_set_target(struct text *t, SDL_Surface *fb);
/* Text drawn into the target changes only pixels inside clip (NULL: the whole target); text
 * drawn through the renderer follows the renderer's clip rectangle. */
void text_set_clip(struct text *t, const SDL_Rect *clip);

/* Size in pixels of a single line. */
void text_measure(struct text *t, enum font_size sz, int bold, const char *utf8, int *w, int *h);
int text_line_height(struct text *t, enum font_size sz);
/* The height of a line of this weight (a bold face may be a pixel taller than the regular). */
int text_line_height_of(struct text *t, enum font_size sz, int bold);
/* Draws one line with its top-left at (x, y). Returns its width. */
int text_draw(struct text *t, enum font_size sz, int bold, struct rgba c, int x, int y, const char *utf8);

/* Breaks utf8 into lines no wider than max_w (at spaces; a word longer than a line is cut
 * at a character boundary). Calls fn for each line (not NUL-terminated: ptr + len).
 * Returns the number of lines. */
int text_wrap(struct text *t, enum font_size sz, int bold, const char *utf8, int max_w,
	      void (*fn)(void *user, const char *line, size_t len, int index), void *user);

/* Drops every cached texture and zeroes the cached strings: the session wipe calls it so no
 * customer's ID or name survives in memory after the session. */
void text_forget(struct text *t);

/* Cache statistics, for benchmarks. */
void text_cache_stats(struct text *t, unsigned long *hits, unsigned long *misses);
#endif
