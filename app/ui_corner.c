/* Rounded corners for the SDL backend (ui_render.c): a cached anti-aliased quarter disc or
 * ring per radius, tinted per draw, blended straight into a software target with SDL's own
 * arithmetic or copied by the renderer. */
#include <math.h>
#include <stdlib.h>

#include "ui_render.h"

/* Rounded corners are blits of a cached anti-aliased disc (or ring) texture, tinted per draw:
 * the software renderer copies pixels far faster than it rasterises triangles or points. */
SDL_Texture *ui_corner_tex(struct ui *ui, int rad, int thick)
{
	int slot = -1;
	for (int i = 0; i < UI_CORNER_CACHE; i++) {
		if (ui->corner[i].tex && ui->corner[i].rad == rad && ui->corner[i].thick == thick)
			return ui->corner[i].tex;
		if (!ui->corner[i].tex && slot < 0)
			slot = i;
	}
	if (slot < 0) { /* full: recycle the first slot (radii in use are few) */
		slot = 0;
		SDL_DestroyTexture(ui->corner[0].tex);
		ui->corner[0].tex = NULL;
		free(ui->corner[0].alpha);
		ui->corner[0].alpha = NULL;
	}
	int d = 2 * rad;
	SDL_Surface *sf = SDL_CreateRGBSurfaceWithFormat(0, d, d, 32, SDL_PIXELFORMAT_RGBA32);
	if (!sf)
		return NULL;
	unsigned char *alpha = malloc((size_t)d * (size_t)d);
	float ro = (float)rad, ri = thick > 0 ? (float)(rad - thick) : -1.0f;
	for (int y = 0; y < d; y++) {
		Uint32 *row = (Uint32 *)((Uint8 *)sf->pixels + y * sf->pitch);
		for (int x = 0; x < d; x++) {
			float dx = x + 0.5f - ro, dy = y + 0.5f - ro;
			float dist = sqrtf(dx * dx + dy * dy);
			float a = ro - dist + 0.5f; /* coverage of the outer edge */
			if (a > 1)
				a = 1;
			if (ri >= 0) {
				float b = dist - ri + 0.5f; /* coverage outside the inner edge */
				if (b > 1)
					b = 1;
				if (b < a)
					a = b;
			}
			if (a < 0)
				a = 0;
			row[x] = SDL_MapRGBA(sf->format, 255, 255, 255, (Uint8)(a * 255.0f + 0.5f));
			if (alpha)
				alpha[y * d + x] = (Uint8)(a * 255.0f + 0.5f);
		}
	}
	SDL_Texture *t = SDL_CreateTextureFromSurface(ui->r, sf);
	SDL_FreeSurface(sf);
	if (!t) {
		free(alpha);
		return NULL;
	}
	SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
	ui->corner[slot].rad = rad;
	ui->corner[slot].thick = thick;
	ui->corner[slot].tex = t;
	ui->corner[slot].alpha = alpha;
	return t;
}

/* One channel of a corner texel (white, alpha a) tinted by c and blended onto d the way SDL's
 * software renderer does it, so the pixels are SDL's: untinted (white, opaque c), SDL's
 * per-pixel alpha blit, d + (255 - d) * a / 256; tinted, its modulating blit
 * (SDL_blit_auto.c): c and a modulated and premultiplied, then added to d * (255 - a) / 255. */
static inline Uint32 corner_ch(Uint32 a, Uint32 c, Uint32 d, int untinted)
{
	if (untinted)
		return a == 255 ? 255 : d + (((255 - d) * a) >> 8);
	if (a < 255)
		c = c * a / 255;
	Uint32 v = c + ((255 - a) * d) / 255;
	return v > 255 ? 255 : v;
}

/* One quadrant of a corner straight into an XRGB target (see corner_ch), inside clip. */
static void fb_corner(SDL_Surface *s, const SDL_Rect *clip, const unsigned char *alpha, int d, int sx, int sy,
		      int dx, int dy, int n, struct rgba c)
{
	const SDL_PixelFormat *f = s->format;
	int untinted = c.r == 255 && c.g == 255 && c.b == 255 && c.a == 255;
	for (int y = 0; y < n; y++) {
		if (dy + y < clip->y || dy + y >= clip->y + clip->h)
			continue;
		Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + (size_t)(dy + y) * (size_t)s->pitch);
		const unsigned char *src = alpha + (size_t)(sy + y) * (size_t)d + sx;
		for (int x = 0; x < n; x++) {
			if (dx + x < clip->x || dx + x >= clip->x + clip->w || !src[x])
				continue;
			Uint32 a = untinted ? src[x] : (Uint32)src[x] * c.a / 255, p = row[dx + x];
			Uint32 r = corner_ch(a, c.r, (p & f->Rmask) >> f->Rshift, untinted);
			Uint32 g = corner_ch(a, c.g, (p & f->Gmask) >> f->Gshift, untinted);
			Uint32 b = corner_ch(a, c.b, (p & f->Bmask) >> f->Bshift, untinted);
			row[dx + x] = (p & ~(f->Rmask | f->Gmask | f->Bmask)) | r << f->Rshift |
				      g << f->Gshift | b << f->Bshift;
		}
	}
}

void ui_corners_draw(struct ui *ui, struct ui_rect r, int rad, SDL_Texture *t, struct rgba c,
		     const SDL_Rect *clip)
{
	const unsigned char *alpha = NULL;
	for (int i = 0; i < UI_CORNER_CACHE && !alpha; i++)
		if (ui->corner[i].tex == t)
			alpha = ui->corner[i].alpha;
	if (ui->fb && alpha && !ui->fb->format->Amask && ui->fb->format->Rloss == 0 &&
	    ui->fb->format->Gloss == 0 && ui->fb->format->Bloss == 0) {
		int d = 2 * rad;
		const SDL_Rect *cl = clip;
		SDL_RenderFlush(ui->r); /* what was drawn before lands first */
		fb_corner(ui->fb, cl, alpha, d, 0, 0, r.x, r.y, rad, c);
		fb_corner(ui->fb, cl, alpha, d, rad, 0, r.x + r.w - rad, r.y, rad, c);
		fb_corner(ui->fb, cl, alpha, d, 0, rad, r.x, r.y + r.h - rad, rad, c);
		fb_corner(ui->fb, cl, alpha, d, rad, rad, r.x + r.w - rad, r.y + r.h - rad, rad, c);
		return;
	}
	SDL_SetTextureColorMod(t, c.r, c.g, c.b);
	SDL_SetTextureAlphaMod(t, c.a);
	SDL_RenderCopy(ui->r, t, &(SDL_Rect){0, 0, rad, rad}, &(SDL_Rect){r.x, r.y, rad, rad});
	SDL_RenderCopy(ui->r, t, &(SDL_Rect){rad, 0, rad, rad}, &(SDL_Rect){r.x + r.w - rad, r.y, rad, rad});
	SDL_RenderCopy(ui->r, t, &(SDL_Rect){0, rad, rad, rad}, &(SDL_Rect){r.x, r.y + r.h - rad, rad, rad});
	SDL_RenderCopy(ui->r, t, &(SDL_Rect){rad, rad, rad, rad},
		       &(SDL_Rect){r.x + r.w - rad, r.y + r.h - rad, rad, rad});
}

void ui_corner_close(struct ui *ui)
{
	for (int i = 0; i < UI_CORNER_CACHE; i++) {
		if (ui->corner[i].tex)
			SDL_DestroyTexture(ui->corner[i].tex);
		free(ui->corner[i].alpha);
		ui->corner[i].tex = NULL;
		ui->corner[i].alpha = NULL;
	}
}
