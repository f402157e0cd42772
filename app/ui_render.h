/* ui_render — the toolkit's insides: the draw list's writers (ui_list.c) and the SDL backend
 * (ui_render.c, ui_corner.c), which renders a frame's list only where it differs from the
 * previous frame's and owns the rounded-corner cache. The toolkit (ui.c) and the tests use
 * the functions below; screens use ui.h only. */
#ifndef RECAUDO_UI_RENDER_H
#define RECAUDO_UI_RENDER_H
#include "ui.h"

/* Side of the square tiles the screen is compared in, in pixels. */
#define UI_TILE 32

struct ui_render_stats {
	unsigned long frames;          /* ui_render calls */
	unsigned long full;            /* drawn in full */
	unsigned long partial;         /* drawn region by region */
	unsigned long unchanged;       /* nothing to draw */
	unsigned long long px;         /* pixels of the rectangles drawn, over all frames */
	unsigned long verified;        /* partial frames compared with a full redraw (ui_render_verify) */
	unsigned long long mismatched; /* pixels that differed in those comparisons */
	int last_n;                    /* the last frame: rectangles drawn (0: unchanged) */
	SDL_Rect last;                 /* and their bounding box */
};

void ui_render_stats(const struct ui *ui, struct ui_render_stats *st);
/* Test aid: after each partial frame, keep its pixels, redraw the frame in full and count
 * the pixels that differ (stats.mismatched). Only with a software target (ui->fb). While on,
 * a frame that changed most of the screen is drawn region by region too (so it is compared). */
void ui_render_verify(struct ui *ui, int on);

/* The pieces a ROUND or OUTLINE command is drawn with: up to 4 fills and 4 corner squares
 * (radius c->rad). Returns the number of fills; *ncorners gets 0 or 4. */
int ui_shape_parts(const struct ui_cmd *c, struct ui_rect fills[4], struct ui_rect corners[4], int *ncorners);
/* The rectangle SDL's fills touch for r: an empty or negative side is 1 pixel wide. */
struct ui_rect ui_fill_box(struct ui_rect r);

/* The QR code of payload (ui.c), encoded once and cached (UI_QR_CACHE entries); NULL on failure. */
/* ui_look.c: the fonts of a look (opened when first used; NULL if they cannot be), and closing
 * every look's fonts. */
struct text *ui_look_fonts(struct ui *ui, int look);
void ui_look_close(struct ui *ui);
struct ui_qr_entry *ui_qr_lookup(struct ui *ui, const char *payload);
/* Draw-list writers (ui_list.c), for ui.c's drawing calls. ui_list_clear starts a frame. */
void ui_list_clear(struct ui *ui, struct rgba bg);
void ui_list_fill(struct ui *ui, struct ui_rect r, struct rgba c);
/* type UI_CMD_ROUND or UI_CMD_OUTLINE; rad already clamped (thick: OUTLINE only) */
void ui_list_shape(struct ui *ui, enum ui_cmd_type type, struct ui_rect r, int rad, int thick, struct rgba c);
/* the line s with its top-left at (x, y), w x h as measured */
void ui_list_text(struct ui *ui, int x, int y, int w, int h, enum font_size f, int bold, struct rgba c,
		  const char *s);
void ui_list_qr(struct ui *ui, int x, int y, int side, int px, const char *payload);
/* Zeroes the list's memory (commands and text); it stays allocated. */
void ui_list_wipe(struct ui_list *l);

/* The corner texture for radius rad (thick 0: a filled disc, else a ring), cached (ui_corner.c);
 * NULL on failure. ui_corners_draw draws r's four corners with it in c, inside clip. */
SDL_Texture *ui_corner_tex(struct ui *ui, int rad, int thick);
void ui_corners_draw(struct ui *ui, struct ui_rect r, int rad, SDL_Texture *t, struct rgba c,
		     const SDL_Rect *clip);
void ui_corner_close(struct ui *ui);

/* ui_forget's part: the previous frame forgotten (next frame in full). */
void ui_render_forget(struct ui *ui);
/* ui_close's part: caches and tiles released. */
void ui_render_close(struct ui *ui);
#endif
