/* The toolkit's SDL backend: renders the frame's draw list, region by region.
 *
 * The screen is cut into UI_TILE x UI_TILE tiles. Each tile gets a 64-bit hash of the commands
 * that touch it, in order (a command's hash covers its bounds, parameters and text). A tile
 * whose hash is the previous frame's holds the same pixels already: every frame begins with a
 * CLEAR over all tiles, and what a command does to a pixel depends only on the command and
 * that pixel. The dirty tiles are merged into rectangles (runs along a row, stacked while
 * equal); each rectangle is redrawn by the commands that cross it, in order, clipped to it.
 * Pixels are exactly a full redraw's (tests/unit/test_drawlist.c renders every tour screen
 * both ways).
 *
 * Partial redraws need a target that keeps the last frame: the software renderer's surface
 * (ui->fb: the headless canvas, a software window's surface). An accelerated renderer draws
 * every frame in full. */
#include "ui_render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

_Static_assert(sizeof(wchar_t) == sizeof(Uint32), "opaque fills write 32-bit pixels with wmemset");

struct ui_backend {
	int w, h, cols, rows;
	uint64_t *prev, *cur;   /* cols x rows tile hashes */
	unsigned char *covered; /* cols x rows: painted over by an opaque fill after the clear */
	int valid;              /* prev describes what the target holds */
	SDL_Rect clip;          /* the rectangle being drawn */
	int verify;
	Uint32 *scratch; /* verify: the partial frame's pixels */
	size_t scratch_n;
	struct ui_render_stats st;
};

/* ---- drawing one command (moved from ui.c; pixels as SDL draws them) ---- */

struct ui_rect ui_fill_box(struct ui_rect r)
{
	return (struct ui_rect){r.x, r.y, r.w > 0 ? r.w : 1, r.h > 0 ? r.h : 1};
}

/* An opaque rectangle written straight into the software renderer's surface. SDL's own fill
 * (SDL_FillRect4SSE) uses non-temporal stores: every filled row leaves the cache, and the text
 * and corners blended onto it next must read it back from memory; glibc's wmemset keeps it in
 * cache and is 3-5x faster. Same pixels: SDL maps the colour the same way. -1: no surface,
 * the renderer draws it. */
static int fb_fill(struct ui *ui, struct ui_rect r, struct rgba c)
{
	SDL_Surface *s = ui->fb;
	SDL_Rect d;
	if (!s)
		return -1;
	/* as SDL's software renderer does: an empty or negative side is drawn 1 pixel wide */
	struct ui_rect b = ui_fill_box(r);
	if (!SDL_IntersectRect(&(SDL_Rect){b.x, b.y, b.w, b.h}, &ui->be->clip, &d))
		return 0;
	SDL_RenderFlush(ui->r); /* what was drawn before lands first */
	Uint32 px = SDL_MapRGB(s->format, c.r, c.g, c.b);
	Uint8 *row = (Uint8 *)s->pixels + (size_t)d.y * (size_t)s->pitch + (size_t)d.x * 4;
	for (int y = 0; y < d.h; y++, row += s->pitch)
		wmemset((wchar_t *)(void *)row, (wchar_t)px, (size_t)d.w);
	return 0;
}

static void draw_fill(struct ui *ui, struct ui_rect r, struct rgba c)
{
	if (c.a == 0xFF && fb_fill(ui, r, c) == 0)
		return;
	/* An opaque colour replaces what is under it: drawn without blending, the software
	 * renderer fills whole rows (SDL_FillRect) instead of blending pixel by pixel, with the
	 * same result. Only translucent colours (the dialog scrim) are blended. */
	SDL_SetRenderDrawBlendMode(ui->r, c.a == 0xFF ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(ui->r, c.r, c.g, c.b, c.a);
	SDL_RenderFillRect(ui->r, &(SDL_Rect){r.x, r.y, r.w, r.h});
}

int ui_shape_parts(const struct ui_cmd *c, struct ui_rect fills[4], struct ui_rect corners[4], int *ncorners)
{
	struct ui_rect r = c->shape;
	int rad = c->rad, n = 0;
	*ncorners = 0;
	if (c->type == UI_CMD_ROUND) {
		if (rad <= 1) {
			fills[0] = r;
			return 1;
		}
		fills[n++] = (struct ui_rect){r.x + rad, r.y, r.w - 2 * rad, r.h};
		fills[n++] = (struct ui_rect){r.x, r.y + rad, rad, r.h - 2 * rad};
		fills[n++] = (struct ui_rect){r.x + r.w - rad, r.y + rad, rad, r.h - 2 * rad};
	} else {
		int t = c->thick;
		fills[n++] = (struct ui_rect){r.x + rad, r.y, r.w - 2 * rad, t};
		fills[n++] = (struct ui_rect){r.x + rad, r.y + r.h - t, r.w - 2 * rad, t};
		fills[n++] = (struct ui_rect){r.x, r.y + rad, t, r.h - 2 * rad};
		fills[n++] = (struct ui_rect){r.x + r.w - t, r.y + rad, t, r.h - 2 * rad};
	}
	corners[0] = (struct ui_rect){r.x, r.y, rad, rad};
	corners[1] = (struct ui_rect){r.x + r.w - rad, r.y, rad, rad};
	corners[2] = (struct ui_rect){r.x, r.y + r.h - rad, rad, rad};
	corners[3] = (struct ui_rect){r.x + r.w - rad, r.y + r.h - rad, rad, rad};
	*ncorners = 4;
	return n;
}

static void draw_shape(struct ui *ui, const struct ui_cmd *c)
{
	struct ui_rect fills[4], corners[4];
	int nc, nf = ui_shape_parts(c, fills, corners, &nc);
	SDL_Texture *t = nc ? ui_corner_tex(ui, c->rad, c->type == UI_CMD_OUTLINE ? c->thick : 0) : NULL;
	if (c->type == UI_CMD_ROUND && !t) {
		draw_fill(ui, c->shape, c->c);
		return;
	}
	for (int i = 0; i < nf; i++)
		draw_fill(ui, fills[i], c->c);
	if (t)
		ui_corners_draw(ui, c->shape, c->rad, t, c->c, &ui->be->clip);
}

static void draw_qr(struct ui *ui, const struct ui_cmd *c, const char *payload)
{
	struct ui_qr_entry *e = ui_qr_lookup(ui, payload);
	if (!e)
		return;
	int px = c->px, side = px * e->modules, x0 = c->x, y0 = c->y;
	if (ui->fb && e->dark) {
		/* drawn into the target as fills, a run of dark modules at a time: the pixels of the
		 * texture scaled by whole pixels, without a scaled blit */
		int m = e->modules;
		draw_fill(ui, (struct ui_rect){x0, y0, side, side}, (struct rgba){255, 255, 255, 255});
		for (int y = 0; y < m; y++) {
			if (y0 + (y + 1) * px <= ui->be->clip.y ||
			    y0 + y * px >= ui->be->clip.y + ui->be->clip.h)
				continue; /* the row is outside the rectangle being drawn */
			for (int x = 0; x < m;) {
				int n = 0;
				while (x + n < m && e->dark[y * m + x + n])
					n++;
				if (n)
					draw_fill(ui, (struct ui_rect){x0 + x * px, y0 + y * px, n * px, px},
						  (struct rgba){0, 0, 0, 255});
				x += n ? n : 1;
			}
		}
		return;
	}
	SDL_RenderCopy(ui->r, e->tex, NULL, &(SDL_Rect){x0, y0, side, side});
}

/* Marks the tiles that r covers whole (a tile cut by the screen edge: its visible part). */
static void cover(struct ui_backend *be, struct ui_rect r)
{
	if (r.w <= 0 || r.h <= 0)
		return;
	int x0 = r.x < 0 ? 0 : r.x, y0 = r.y < 0 ? 0 : r.y;
	int x1 = r.x + r.w > be->w ? be->w : r.x + r.w, y1 = r.y + r.h > be->h ? be->h : r.y + r.h;
	int tx0 = (x0 + UI_TILE - 1) / UI_TILE, ty0 = (y0 + UI_TILE - 1) / UI_TILE;
	int tx1 = x1 == be->w ? be->cols : x1 / UI_TILE, ty1 = y1 == be->h ? be->rows : y1 / UI_TILE;
	for (int ty = ty0; ty < ty1; ty++)
		memset(be->covered + (size_t)ty * (size_t)be->cols + tx0, 1,
		       tx1 > tx0 ? (size_t)(tx1 - tx0) : 0);
}

/* The tiles whose every pixel an opaque fill after the clear replaces: the clear need not
 * paint them, since nothing drawn there before that fill can show. Opaque FILLs and the
 * middle piece of opaque ROUNDs count (what they draw is exactly their rectangle). */
static void find_covered(struct ui *ui, struct ui_backend *be)
{
	memset(be->covered, 0, (size_t)be->cols * (size_t)be->rows);
	for (int i = 1; i < ui->list.n; i++) {
		const struct ui_cmd *c = &ui->list.cmd[i];
		if (c->c.a != 0xFF)
			continue;
		if (c->type == UI_CMD_FILL) {
			cover(be, c->shape);
		} else if (c->type == UI_CMD_ROUND) {
			struct ui_rect fills[4], corners[4];
			int nc;
			ui_shape_parts(c, fills, corners, &nc);
			cover(be, fills[0]);
		}
	}
}

/* The clear, inside the rectangle being drawn, except over covered tiles. */
static void clear_uncovered(struct ui *ui, struct rgba bg)
{
	struct ui_backend *be = ui->be;
	const SDL_Rect *cl = &be->clip;
	if (!be->covered) {
		fb_fill(ui, (struct ui_rect){0, 0, ui->w, ui->h}, bg);
		return;
	}
	int ty0 = cl->y / UI_TILE, ty1 = (cl->y + cl->h - 1) / UI_TILE;
	int tx0 = cl->x / UI_TILE, tx1 = (cl->x + cl->w - 1) / UI_TILE;
	for (int ty = ty0; ty <= ty1 && ty < be->rows; ty++) {
		const unsigned char *row = be->covered + (size_t)ty * (size_t)be->cols;
		for (int tx = tx0; tx <= tx1 && tx < be->cols;) {
			if (row[tx]) {
				tx++;
				continue;
			}
			int t0 = tx;
			while (tx <= tx1 && tx < be->cols && !row[tx])
				tx++;
			fb_fill(ui,
				(struct ui_rect){t0 * UI_TILE, ty * UI_TILE, (tx - t0) * UI_TILE, UI_TILE},
				bg);
		}
	}
}

static void draw_cmd(struct ui *ui, const struct ui_cmd *c)
{
	switch (c->type) {
	case UI_CMD_CLEAR:
		if (ui->fb) {
			clear_uncovered(ui, c->c);
			break;
		}
		SDL_SetRenderDrawBlendMode(ui->r, SDL_BLENDMODE_NONE);
		SDL_SetRenderDrawColor(ui->r, c->c.r, c->c.g, c->c.b, 0xFF);
		SDL_RenderClear(ui->r);
		break;
	case UI_CMD_FILL:
		draw_fill(ui, c->shape, c->c);
		break;
	case UI_CMD_ROUND:
	case UI_CMD_OUTLINE:
		draw_shape(ui, c);
		break;
	case UI_CMD_TEXT:
		text_draw(ui->text, c->font, c->bold, c->c, c->x, c->y, ui->list.text + c->text);
		break;
	case UI_CMD_QR:
		draw_qr(ui, c, ui->list.text + c->text);
		break;
	}
}

/* The commands that cross `clip`, in order, drawn inside it. */
static void draw_rect(struct ui *ui, SDL_Rect clip, int partial)
{
	ui->be->clip = clip;
	if (partial)
		SDL_RenderSetClipRect(ui->r, &clip);
	text_set_clip(ui->text, &clip);
	for (int i = 0; i < ui->list.n; i++) {
		const struct ui_cmd *c = &ui->list.cmd[i];
		if (c->r.x < clip.x + clip.w && clip.x < c->r.x + c->r.w && c->r.y < clip.y + clip.h &&
		    clip.y < c->r.y + c->r.h)
			draw_cmd(ui, c);
	}
	if (partial)
		SDL_RenderSetClipRect(ui->r, NULL);
	text_set_clip(ui->text, NULL);
}

/* ---- tiles ---- */

static struct ui_backend *backend(struct ui *ui)
{
	struct ui_backend *be = ui->be;
	if (!be && !(be = ui->be = calloc(1, sizeof(*be))))
		return NULL;
	if (be->w != ui->w || be->h != ui->h || !be->prev) {
		int cols = (ui->w + UI_TILE - 1) / UI_TILE, rows = (ui->h + UI_TILE - 1) / UI_TILE;
		free(be->prev);
		free(be->cur);
		free(be->covered);
		be->prev = calloc((size_t)cols * (size_t)rows, sizeof(*be->prev));
		be->cur = calloc((size_t)cols * (size_t)rows, sizeof(*be->cur));
		be->covered = calloc((size_t)cols * (size_t)rows, 1);
		be->valid = 0;
		if (!be->prev || !be->cur || !be->covered) {
			free(be->prev);
			free(be->cur);
			free(be->covered);
			be->prev = be->cur = NULL;
			be->covered = NULL;
			be->w = be->h = 0;
			return NULL;
		}
		be->w = ui->w;
		be->h = ui->h;
		be->cols = cols;
		be->rows = rows;
	}
	return be;
}

static void hash_tiles(const struct ui *ui, struct ui_backend *be)
{
	size_t nt = (size_t)be->cols * (size_t)be->rows;
	for (size_t i = 0; i < nt; i++)
		be->cur[i] = 0x84222325cbf29ce4ull;
	for (int i = 0; i < ui->list.n; i++) {
		const struct ui_cmd *c = &ui->list.cmd[i];
		int x0 = c->r.x < 0 ? 0 : c->r.x, y0 = c->r.y < 0 ? 0 : c->r.y;
		int x1 = c->r.x + c->r.w > be->w ? be->w : c->r.x + c->r.w;
		int y1 = c->r.y + c->r.h > be->h ? be->h : c->r.y + c->r.h;
		if (x1 <= x0 || y1 <= y0)
			continue;
		int tx0 = x0 / UI_TILE, tx1 = (x1 - 1) / UI_TILE, ty0 = y0 / UI_TILE,
		    ty1 = (y1 - 1) / UI_TILE;
		for (int ty = ty0; ty <= ty1; ty++) {
			uint64_t *row = be->cur + (size_t)ty * (size_t)be->cols;
			for (int tx = tx0; tx <= tx1; tx++)
				row[tx] = (row[tx] ^ c->hash) * 0x100000001b3ull;
		}
	}
}

/* The dirty tiles as rectangles: runs along each row, a run extended downwards while the next
 * row has the same run. Returns the count, or -1 if more than max. */
static int dirty_rects(const struct ui_backend *be, SDL_Rect *out, int max, long *tiles)
{
	int n = 0, open0 = 0; /* out[open0..n) may still grow downwards */
	*tiles = 0;
	for (int ty = 0; ty < be->rows; ty++) {
		const uint64_t *p = be->prev + (size_t)ty * (size_t)be->cols,
			       *c = be->cur + (size_t)ty * (size_t)be->cols;
		int row_start = n;
		for (int tx = 0; tx < be->cols;) {
			if (p[tx] == c[tx]) {
				tx++;
				continue;
			}
			int t0 = tx;
			while (tx < be->cols && p[tx] != c[tx])
				tx++;
			*tiles += tx - t0;
			SDL_Rect r = {t0 * UI_TILE, ty * UI_TILE, (tx - t0) * UI_TILE, UI_TILE};
			int merged = 0;
			for (int k = open0; k < row_start && !merged; k++)
				if (out[k].x == r.x && out[k].w == r.w && out[k].y + out[k].h == r.y) {
					out[k].h += UI_TILE;
					merged = 1;
				}
			if (merged)
				continue;
			if (n >= max)
				return -1;
			out[n++] = r;
		}
		/* rectangles that did not grow on this row are closed: move the grown and the new
		 * ones to the open range */
		int w = open0;
		for (int k = open0; k < n; k++) {
			int grew = out[k].y + out[k].h == (ty + 1) * UI_TILE;
			if (!grew) {
				SDL_Rect t = out[k];
				out[k] = out[w];
				out[w++] = t;
			}
		}
		open0 = w;
	}
	for (int k = 0; k < n; k++) { /* the last row and column may be cut by the screen edge */
		if (out[k].x + out[k].w > be->w)
			out[k].w = be->w - out[k].x;
		if (out[k].y + out[k].h > be->h)
			out[k].h = be->h - out[k].y;
	}
	return n;
}

static void verify_frame(struct ui *ui)
{
	struct ui_backend *be = ui->be;
	SDL_Surface *s = ui->fb;
	size_t n = (size_t)s->w * (size_t)s->h;
	if (be->scratch_n < n) {
		free(be->scratch);
		be->scratch = malloc(n * sizeof(Uint32));
		be->scratch_n = be->scratch ? n : 0;
		if (!be->scratch)
			return;
	}
	SDL_RenderFlush(ui->r);
	for (int y = 0; y < s->h; y++)
		memcpy(be->scratch + (size_t)y * (size_t)s->w,
		       (Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch, (size_t)s->w * 4);
	draw_rect(ui, (SDL_Rect){0, 0, ui->w, ui->h}, 0);
	SDL_RenderFlush(ui->r);
	for (int y = 0; y < s->h; y++) {
		const Uint32 *a = be->scratch + (size_t)y * (size_t)s->w;
		const Uint32 *b =
			(const Uint32 *)(const void *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch);
		for (int x = 0; x < s->w; x++)
			be->st.mismatched += a[x] != b[x];
	}
	be->st.verified++;
}

int ui_render(struct ui *ui, int full, SDL_Rect *rects, int max)
{
	struct ui_backend *be = backend(ui);
	SDL_Rect whole = {0, 0, ui->w, ui->h};
	int n = -1;
	long tiles = 0;
	if (!be) { /* out of memory: draw it all anyway */
		static struct ui_backend none;
		ui->be = &none;
		none.clip = whole;
		draw_rect(ui, whole, 0);
		ui->be = NULL;
		if (max > 0)
			rects[0] = whole;
		return max > 0;
	}
	be->st.frames++;
	hash_tiles(ui, be);
	if (ui->fb)
		find_covered(ui, be);
	if (!full && be->valid && ui->fb && !ui->list.lost && max > 0) {
		n = dirty_rects(be, rects, max, &tiles);
		/* most of the screen: one pass over the list is cheaper than one per rectangle */
		if (n > 0 && !be->verify && tiles * 10 > (long)be->cols * be->rows * 6)
			n = -1;
	}
	be->st.last_n = 0;
	be->st.last = (SDL_Rect){0, 0, 0, 0};
	if (n == 0) {
		be->st.unchanged++;
	} else if (n > 0) {
		be->st.last = rects[0];
		for (int i = 0; i < n; i++) {
			draw_rect(ui, rects[i], 1);
			be->st.px += (unsigned long long)rects[i].w * (unsigned long long)rects[i].h;
			SDL_UnionRect(&be->st.last, &rects[i], &be->st.last);
		}
		be->st.last_n = n;
		be->st.partial++;
		if (be->verify && ui->fb)
			verify_frame(ui);
	} else {
		draw_rect(ui, whole, 0);
		be->st.full++;
		be->st.px += (unsigned long long)ui->w * (unsigned long long)ui->h;
		if (max > 0)
			rects[0] = whole;
		n = max > 0;
		be->st.last_n = 1;
		be->st.last = whole;
	}
	uint64_t *t = be->prev;
	be->prev = be->cur;
	be->cur = t;
	be->valid = ui->fb && !ui->list.lost;
	return n;
}

void ui_invalidate(struct ui *ui)
{
	if (ui->be)
		ui->be->valid = 0;
}

void ui_render_stats(const struct ui *ui, struct ui_render_stats *st)
{
	if (ui->be)
		*st = ui->be->st;
	else
		memset(st, 0, sizeof(*st));
}

void ui_render_verify(struct ui *ui, int on)
{
	struct ui_backend *be = backend(ui);
	if (be)
		be->verify = on;
}

void ui_render_forget(struct ui *ui)
{
	if (ui->be) { /* the tile hashes are hashes of what the session showed */
		size_t nt = (size_t)ui->be->cols * (size_t)ui->be->rows;
		if (ui->be->prev)
			explicit_bzero(ui->be->prev, nt * sizeof(*ui->be->prev));
		if (ui->be->cur)
			explicit_bzero(ui->be->cur, nt * sizeof(*ui->be->cur));
		if (ui->be->scratch)
			explicit_bzero(ui->be->scratch, ui->be->scratch_n * sizeof(Uint32));
		ui->be->valid = 0;
	}
}

void ui_render_close(struct ui *ui)
{
	ui_corner_close(ui);
	if (ui->be) {
		free(ui->be->prev);
		free(ui->be->cur);
		free(ui->be->covered);
		free(ui->be->scratch);
		free(ui->be);
		ui->be = NULL;
	}
}
