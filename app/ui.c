/* The kiosk toolkit. See ui.h for the model (immediate mode, hit boxes with labels). */
#include "ui.h"

#include <math.h>
#include <qrencode.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "i18n.h"

_Static_assert(sizeof(wchar_t) == sizeof(Uint32), "opaque fills write 32-bit pixels with wmemset");

static float scale_for(int w, int h)
{
	/* 1.0 on a 1080-wide portrait kiosk; landscape and small panels scale by the short side,
	 * but never so far that a touch target drops under ~48 px on an 800x480 panel. */
	int shortside = w < h ? w : h;
	float s = (float)shortside / 1080.0f;
	if (w > h && (float)h / 800.0f * 0.74f > s)
		s = (float)h / 800.0f * 0.74f;
	if (s < 0.42f)
		s = 0.42f;
	return s;
}

int ui_open(struct ui *ui, SDL_Renderer *r, int w, int h, const char *font_dir, char *err, size_t errn)
{
	memset(ui, 0, sizeof(*ui));
	ui->r = r;
	snprintf(ui->font_dir, sizeof(ui->font_dir), "%s", font_dir);
	ui->w = w;
	ui->h = h;
	ui->portrait = h >= w;
	ui->s = scale_for(w, h);
	ui->text = text_open(r, font_dir, ui->s, err, errn);
	return ui->text ? 0 : -1;
}

int ui_resize(struct ui *ui, int w, int h, char *err, size_t errn)
{
	float s = scale_for(w, h);
	ui->w = w;
	ui->h = h;
	ui->portrait = h >= w;
	if (fabsf(s - ui->s) < 0.001f && ui->text)
		return 0;
	struct text *t = text_open(ui->r, ui->font_dir, s, err, errn);
	if (!t)
		return -1;
	text_close(ui->text);
	ui->text = t;
	ui->s = s;
	text_set_target(ui->text, ui->fb);
	return 0;
}

void ui_close(struct ui *ui)
{
	for (int i = 0; i < UI_QR_CACHE; i++) {
		if (ui->qr[i].tex)
			SDL_DestroyTexture(ui->qr[i].tex);
		free(ui->qr[i].dark);
	}
	for (int i = 0; i < UI_CORNER_CACHE; i++) {
		if (ui->corner[i].tex)
			SDL_DestroyTexture(ui->corner[i].tex);
		free(ui->corner[i].alpha);
	}
	text_close(ui->text);
	memset(ui, 0, sizeof(*ui));
}

int ui_px(const struct ui *ui, int px) { return (int)lroundf((float)px * ui->s); }

static void seen_add(struct ui *ui, const char *s)
{
	size_t n = strlen(s);
	if (ui->seen_len + n + 2 > sizeof(ui->seen))
		return;
	memcpy(ui->seen + ui->seen_len, s, n);
	ui->seen_len += n;
	ui->seen[ui->seen_len++] = '\n';
	ui->seen[ui->seen_len] = 0;
}

static void box_add(struct ui *ui, int x, int y, int w, int h, int cut, const char *s)
{
	if (ui->nboxes >= UI_BOXES_MAX)
		return;
	struct ui_text_box *b = &ui->boxes[ui->nboxes++];
	b->r = (struct ui_rect){x, y, w, h};
	b->cut = cut;
	snprintf(b->text, sizeof(b->text), "%s", s);
}

void ui_set_target(struct ui *ui, SDL_Surface *fb)
{
	ui->fb = fb && fb->format->BytesPerPixel == 4 && !SDL_MUSTLOCK(fb) ? fb : NULL;
	text_set_target(ui->text, ui->fb);
}

/* An opaque rectangle written straight into the software renderer's surface. SDL's own fill
 * (SDL_FillRect4SSE) uses non-temporal stores: every filled row leaves the cache, and the text
 * and corners blended onto it next must read it back from memory; glibc's wmemset keeps it in
 * cache and is 3-5x faster. Same pixels: SDL maps the colour the same way. -1: no surface,
 * the renderer draws it. */
static int fb_fill(struct ui *ui, struct ui_rect r, struct rgba c)
{
	SDL_Surface *s = ui->fb;
	SDL_Rect d, full;
	if (!s)
		return -1;
	full = (SDL_Rect){0, 0, s->w, s->h};
	/* as SDL's software renderer does: an empty or negative side is drawn 1 pixel wide */
	if (!SDL_IntersectRect(&(SDL_Rect){r.x, r.y, r.w > 0 ? r.w : 1, r.h > 0 ? r.h : 1}, &full, &d))
		return 0;
	SDL_RenderFlush(ui->r); /* what was drawn before lands first */
	Uint32 px = SDL_MapRGB(s->format, c.r, c.g, c.b);
	Uint8 *row = (Uint8 *)s->pixels + (size_t)d.y * (size_t)s->pitch + (size_t)d.x * 4;
	for (int y = 0; y < d.h; y++, row += s->pitch)
		wmemset((wchar_t *)(void *)row, (wchar_t)px, (size_t)d.w);
	return 0;
}

void ui_begin(struct ui *ui, struct rgba bg)
{
	ui->nhits = 0;
	ui->nboxes = 0;
	ui->page_rows = 0;
	ui->seen_len = 0;
	ui->seen[0] = 0;
	bg.a = 0xFF;
	if (fb_fill(ui, (struct ui_rect){0, 0, ui->w, ui->h}, bg) == 0)
		return;
	SDL_SetRenderDrawBlendMode(ui->r, SDL_BLENDMODE_NONE);
	SDL_SetRenderDrawColor(ui->r, bg.r, bg.g, bg.b, 0xFF);
	SDL_RenderClear(ui->r);
}

void ui_fill(struct ui *ui, struct ui_rect r, struct rgba c)
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

/* Rounded corners are blits of a cached anti-aliased disc (or ring) texture, tinted per draw:
 * the software renderer copies pixels far faster than it rasterises triangles or points. */
static SDL_Texture *corner_tex(struct ui *ui, int rad, int thick)
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

/* One quadrant of a corner straight into an XRGB target (see corner_ch). */
static void fb_corner(SDL_Surface *s, const unsigned char *alpha, int d, int sx, int sy, int dx, int dy,
		      int n, struct rgba c)
{
	const SDL_PixelFormat *f = s->format;
	int untinted = c.r == 255 && c.g == 255 && c.b == 255 && c.a == 255;
	for (int y = 0; y < n; y++) {
		if (dy + y < 0 || dy + y >= s->h)
			continue;
		Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + (size_t)(dy + y) * (size_t)s->pitch);
		const unsigned char *src = alpha + (size_t)(sy + y) * (size_t)d + sx;
		for (int x = 0; x < n; x++) {
			if (dx + x < 0 || dx + x >= s->w || !src[x])
				continue;
			Uint32 a = untinted ? src[x] : (Uint32)src[x] * c.a / 255, p = row[dx + x];
			Uint32 r = corner_ch(a, c.r, (p & f->Rmask) >> f->Rshift, untinted);
			Uint32 g = corner_ch(a, c.g, (p & f->Gmask) >> f->Gshift, untinted);
			Uint32 b = corner_ch(a, c.b, (p & f->Bmask) >> f->Bshift, untinted);
			row[dx + x] = (p & ~(f->Rmask | f->Gmask | f->Bmask)) | r << f->Rshift | g << f->Gshift |
				      b << f->Bshift;
		}
	}
}

static void draw_corners(struct ui *ui, struct ui_rect r, int rad, SDL_Texture *t, struct rgba c)
{
	const unsigned char *alpha = NULL;
	for (int i = 0; i < UI_CORNER_CACHE && !alpha; i++)
		if (ui->corner[i].tex == t)
			alpha = ui->corner[i].alpha;
	if (ui->fb && alpha && !ui->fb->format->Amask && ui->fb->format->Rloss == 0 &&
	    ui->fb->format->Gloss == 0 && ui->fb->format->Bloss == 0) {
		int d = 2 * rad;
		SDL_RenderFlush(ui->r); /* what was drawn before lands first */
		fb_corner(ui->fb, alpha, d, 0, 0, r.x, r.y, rad, c);
		fb_corner(ui->fb, alpha, d, rad, 0, r.x + r.w - rad, r.y, rad, c);
		fb_corner(ui->fb, alpha, d, 0, rad, r.x, r.y + r.h - rad, rad, c);
		fb_corner(ui->fb, alpha, d, rad, rad, r.x + r.w - rad, r.y + r.h - rad, rad, c);
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

static int clamp_rad(struct ui_rect r, int rad)
{
	if (rad * 2 > r.w)
		rad = r.w / 2;
	if (rad * 2 > r.h)
		rad = r.h / 2;
	return rad;
}

void ui_round(struct ui *ui, struct ui_rect r, int rad, struct rgba c)
{
	rad = clamp_rad(r, rad);
	SDL_Texture *t = rad > 1 ? corner_tex(ui, rad, 0) : NULL;
	if (!t) {
		ui_fill(ui, r, c);
		return;
	}
	ui_fill(ui, (struct ui_rect){r.x + rad, r.y, r.w - 2 * rad, r.h}, c);
	ui_fill(ui, (struct ui_rect){r.x, r.y + rad, rad, r.h - 2 * rad}, c);
	ui_fill(ui, (struct ui_rect){r.x + r.w - rad, r.y + rad, rad, r.h - 2 * rad}, c);
	draw_corners(ui, r, rad, t, c);
}

void ui_round_outline(struct ui *ui, struct ui_rect r, int rad, int thick, struct rgba c)
{
	rad = clamp_rad(r, rad);
	if (thick < 1)
		thick = 1;
	if (rad < thick)
		rad = thick;
	SDL_Texture *t = corner_tex(ui, rad, thick);
	ui_fill(ui, (struct ui_rect){r.x + rad, r.y, r.w - 2 * rad, thick}, c);
	ui_fill(ui, (struct ui_rect){r.x + rad, r.y + r.h - thick, r.w - 2 * rad, thick}, c);
	ui_fill(ui, (struct ui_rect){r.x, r.y + rad, thick, r.h - 2 * rad}, c);
	ui_fill(ui, (struct ui_rect){r.x + r.w - thick, r.y + rad, thick, r.h - 2 * rad}, c);
	if (t)
		draw_corners(ui, r, rad, t, c);
}

int ui_line_h(struct ui *ui, enum font_size f) { return text_line_height(ui->text, f); }

int ui_label(struct ui *ui, int x, int y, enum font_size f, int bold, struct rgba c, enum ui_align a,
	     const char *s)
{
	if (!s || !*s)
		return 0;
	int w, h;
	text_measure(ui->text, f, bold, s, &w, &h);
	if (a == UI_CENTER)
		x -= w / 2;
	else if (a == UI_RIGHT)
		x -= w;
	seen_add(ui, s);
	box_add(ui, x, y, w, h, 0, s);
	return text_draw(ui->text, f, bold, c, x, y, s);
}

int ui_label_fit(struct ui *ui, int x, int y, int max_w, enum font_size f, int bold, struct rgba c,
		 enum ui_align a, const char *s)
{
	int w;
	for (;;) {
		text_measure(ui->text, f, bold, s, &w, NULL);
		if (w <= max_w || f == FONT_CAPTION)
			break;
		f = (enum font_size)(f - 1);
	}
	if (w <= max_w)
		return ui_label(ui, x, y, f, bold, c, a, s);
	/* still too wide: cut at a character boundary and add an ellipsis */
	char buf[256];
	size_t n = strlen(s);
	if (n > sizeof(buf) - 4)
		n = sizeof(buf) - 4;
	while (n > 0) {
		do
			n--;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80);
		memcpy(buf, s, n);
		memcpy(buf + n, "…", sizeof("…"));
		text_measure(ui->text, f, bold, buf, &w, NULL);
		if (w <= max_w)
			break;
	}
	seen_add(ui, s); /* the full text counts as seen for tests: the visible part is a prefix */
	if (a == UI_CENTER)
		x -= w / 2;
	else if (a == UI_RIGHT)
		x -= w;
	box_add(ui, x, y, w, ui_line_h(ui, f), 1, s);
	return text_draw(ui->text, f, bold, c, x, y, buf);
}

struct para_ctx {
	struct ui *ui;
	struct ui_rect r;
	enum font_size f;
	int bold;
	struct rgba c;
	enum ui_align a;
	int lh;
};

static void para_line(void *user, const char *line, size_t len, int index)
{
	struct para_ctx *p = user;
	char buf[512];
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, line, len);
	buf[len] = 0;
	int x = p->a == UI_CENTER ? p->r.x + p->r.w / 2 : p->a == UI_RIGHT ? p->r.x + p->r.w : p->r.x;
	ui_label(p->ui, x, p->r.y + index * p->lh, p->f, p->bold, p->c, p->a, buf);
}

int ui_para(struct ui *ui, struct ui_rect r, enum font_size f, int bold, struct rgba c, enum ui_align a,
	    const char *s)
{
	if (!s || !*s)
		return 0;
	struct para_ctx p = {ui, r, f, bold, c, a, ui_line_h(ui, f)};
	int n = text_wrap(ui->text, f, bold, s, r.w, para_line, &p);
	if (*s)
		seen_add(ui, s); /* whole paragraph, so tests can match across line breaks */
	return n * p.lh;
}

void ui_hit(struct ui *ui, struct ui_rect r, struct ui_action act, const char *label)
{
	if (ui->nhits >= UI_MAX_HITS)
		return;
	struct ui_hit *h = &ui->hits[ui->nhits++];
	h->r = r;
	h->act = act;
	snprintf(h->label, sizeof(h->label), "%s", label ? label : "");
}

static int is_pressed(const struct ui *ui, struct ui_rect r)
{
	if (!ui->pressed)
		return 0;
	struct ui_rect p = ui->pressed_r;
	return p.x == r.x && p.y == r.y && p.w == r.w && p.h == r.h;
}

void ui_button(struct ui *ui, struct ui_rect r, const char *label, enum ui_style st, struct ui_action act,
	       int enabled)
{
	struct rgba bg, fg, line = {0, 0, 0, 0};
	switch (st) {
	case UI_PRIMARY:
		bg = THEME_BRAND, fg = THEME_ON_BRAND;
		break;
	case UI_ACCENT:
		bg = THEME_ACCENT, fg = THEME_ON_BRAND;
		break;
	case UI_DANGER:
		bg = THEME_DANGER, fg = THEME_ON_BRAND;
		break;
	case UI_SECONDARY:
		bg = THEME_SURFACE, fg = THEME_BRAND, line = THEME_BRAND;
		break;
	default:
		bg = THEME_BG, fg = THEME_BRAND;
		break;
	}
	if (!enabled) {
		bg = st == UI_GHOST || st == UI_SECONDARY ? THEME_SURFACE : THEME_DISABLED;
		fg = st == UI_GHOST || st == UI_SECONDARY ? THEME_DISABLED : THEME_SURFACE;
		line = st == UI_SECONDARY ? THEME_DISABLED : line;
	}
	int pressed = is_pressed(ui, r);
	if (pressed) {
		/* immediate feedback: darken (filled) or tint (outlined) */
		if (st == UI_SECONDARY || st == UI_GHOST)
			bg = THEME_PRESSED;
		else
			bg = (struct rgba){(uint8_t)(bg.r * 3 / 4), (uint8_t)(bg.g * 3 / 4), (uint8_t)(bg.b * 3 / 4), 0xFF};
	}
	int rad = ui_px(ui, RADIUS);
	ui_round(ui, r, rad, bg);
	if (line.a)
		ui_round_outline(ui, r, rad, ui_px(ui, 3) > 1 ? ui_px(ui, 3) : 2, line);
	/* one size for every button in a row, so a longer label never looks smaller */
	enum font_size f = r.h >= ui_px(ui, 160) ? FONT_TITLE : FONT_BODY;
	int lh = ui_line_h(ui, f);
	ui_label_fit(ui, r.x + r.w / 2, r.y + (r.h - lh) / 2, r.w - ui_px(ui, 2 * SP_S), f, 1, fg, UI_CENTER,
		     label);
	if (enabled)
		ui_hit(ui, r, act, label);
}

void ui_chip(struct ui *ui, struct ui_rect r, const char *code, const char *name, int selected,
	     struct ui_action act)
{
	int rad = ui_px(ui, RADIUS);
	struct rgba bg = selected ? THEME_BRAND : THEME_SURFACE;
	if (is_pressed(ui, r) && !selected)
		bg = THEME_PRESSED;
	ui_round(ui, r, rad, bg);
	if (!selected)
		ui_round_outline(ui, r, rad, 2, THEME_LINE);
	struct rgba fg = selected ? THEME_ON_BRAND : THEME_TEXT;
	struct rgba fg2 = selected ? THEME_ON_BRAND : THEME_MUTED;
	int h1 = ui_line_h(ui, FONT_TITLE), h2 = name ? ui_line_h(ui, FONT_CAPTION) : 0;
	int y = r.y + (r.h - h1 - h2) / 2;
	ui_label(ui, r.x + r.w / 2, y, FONT_TITLE, 1, fg, UI_CENTER, code);
	if (name)
		ui_label_fit(ui, r.x + r.w / 2, y + h1, r.w - ui_px(ui, SP_S), FONT_CAPTION, 0, fg2, UI_CENTER,
			     name);
	if (selected) /* not by colour alone: a check mark too */
		ui_label(ui, r.x + ui_px(ui, SP_S), r.y + ui_px(ui, SP_XS), FONT_SMALL, 1, fg, UI_LEFT, "✓");
	ui_hit(ui, r, act, code);
}

void ui_keypad(struct ui *ui, struct ui_rect r, int dv_key)
{
	static const char *const keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", NULL, "0", NULL};
	int gap = ui_px(ui, SP_S);
	int kw = (r.w - 2 * gap) / 3, kh = (r.h - 3 * gap) / 4;
	for (int i = 0; i < 12; i++) {
		struct ui_rect k = {r.x + (i % 3) * (kw + gap), r.y + (i / 3) * (kh + gap), kw, kh};
		struct ui_action act = {UI_ACT_CHAR, 0};
		const char *label = keys[i];
		if (i == 9) {
			act.action = UI_ACT_BACKSPACE;
			label = "⌫";
		} else if (i == 11) {
			if (dv_key) {
				act.arg = '-';
				label = "-";
			} else {
				act.action = UI_ACT_CLEAR;
				label = tr(STR_KEY_CLEAR);
			}
		} else {
			act.arg = label[0];
		}
		struct rgba bg = is_pressed(ui, k) ? THEME_PRESSED : THEME_SURFACE;
		ui_round(ui, k, ui_px(ui, RADIUS), bg);
		ui_round_outline(ui, k, ui_px(ui, RADIUS), 2, THEME_LINE);
		enum font_size f = (i == 11 && !dv_key) ? FONT_BODY : FONT_H1;
		int lh = ui_line_h(ui, f);
		ui_label(ui, k.x + kw / 2, k.y + (kh - lh) / 2, f, i != 11 || dv_key, THEME_TEXT, UI_CENTER, label);
		if (i == 11 && dv_key)
			ui_label(ui, k.x + kw - ui_px(ui, SP_S), k.y + ui_px(ui, SP_XS), FONT_CAPTION, 0, THEME_MUTED,
				 UI_RIGHT, tr(STR_KEY_DV));
		ui_hit(ui, k, act, label);
	}
}

void ui_tabs(struct ui *ui, struct ui_rect r, const char *const *labels, const struct ui_action *acts,
	     int n, int active)
{
	if (n <= 0)
		return;
	int w = r.w / n;
	for (int i = 0; i < n; i++) {
		struct ui_rect t = {r.x + i * w, r.y, w, r.h};
		int on = i == active;
		ui_fill(ui, t, on ? THEME_SURFACE : THEME_BG);
		int lh = ui_line_h(ui, FONT_BODY);
		ui_label(ui, t.x + w / 2, t.y + (t.h - lh) / 2, FONT_BODY, on, on ? THEME_BRAND : THEME_MUTED,
			 UI_CENTER, labels[i]);
		/* the active tab is marked by a thick underline, not colour alone */
		if (on)
			ui_fill(ui, (struct ui_rect){t.x, t.y + t.h - ui_px(ui, 8), t.w, ui_px(ui, 8)}, THEME_BRAND);
		else
			ui_fill(ui, (struct ui_rect){t.x, t.y + t.h - 2, t.w, 2}, THEME_LINE);
		ui_hit(ui, t, acts[i], labels[i]);
	}
}

static struct ui_qr_entry *qr_texture(struct ui *ui, const char *payload)
{
	struct ui_qr_entry *e = NULL;
	for (int i = 0; i < UI_QR_CACHE; i++)
		if (ui->qr[i].tex && !strcmp(ui->qr[i].key, payload))
			return &ui->qr[i];
	for (int i = 0; i < UI_QR_CACHE && !e; i++)
		if (!ui->qr[i].tex)
			e = &ui->qr[i];
	if (!e) {
		e = &ui->qr[0];
		SDL_DestroyTexture(e->tex);
		free(e->dark);
		memmove(&ui->qr[0], &ui->qr[1], sizeof(ui->qr[0]) * (UI_QR_CACHE - 1));
		e = &ui->qr[UI_QR_CACHE - 1];
		memset(e, 0, sizeof(*e));
	}
	QRcode *q = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return NULL;
	int quiet = 4, m = q->width + 2 * quiet;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, m, m, 32, SDL_PIXELFORMAT_RGBA32);
	if (!s) {
		QRcode_free(q);
		return NULL;
	}
	SDL_FillRect(s, NULL, SDL_MapRGBA(s->format, 255, 255, 255, 255));
	Uint32 black = SDL_MapRGBA(s->format, 0, 0, 0, 255);
	e->dark = calloc((size_t)m * (size_t)m, 1);
	for (int y = 0; y < q->width; y++)
		for (int x = 0; x < q->width; x++)
			if (q->data[y * q->width + x] & 1) {
				((Uint32 *)((Uint8 *)s->pixels + (y + quiet) * s->pitch))[x + quiet] = black;
				if (e->dark)
					e->dark[(y + quiet) * m + x + quiet] = 1;
			}
	e->tex = SDL_CreateTextureFromSurface(ui->r, s);
	SDL_SetTextureScaleMode(e->tex, SDL_ScaleModeNearest);
	e->modules = m;
	snprintf(e->key, sizeof(e->key), "%s", payload);
	SDL_FreeSurface(s);
	QRcode_free(q);
	return e->tex ? e : NULL;
}

void ui_qr(struct ui *ui, struct ui_rect r, const char *payload)
{
	if (!payload || !*payload)
		return;
	struct ui_qr_entry *e = qr_texture(ui, payload);
	if (!e)
		return;
	int side = r.w < r.h ? r.w : r.h;
	int px = side / e->modules; /* whole pixels per module keep it sharp and scannable */
	if (px < 1)
		px = 1;
	side = px * e->modules;
	int x0 = r.x + (r.w - side) / 2, y0 = r.y + (r.h - side) / 2;
	if (ui->fb && e->dark) {
		/* drawn into the target as fills, a run of dark modules at a time: the pixels of the
		 * texture scaled by whole pixels, without a scaled blit */
		int m = e->modules;
		ui_fill(ui, (struct ui_rect){x0, y0, side, side}, (struct rgba){255, 255, 255, 255});
		for (int y = 0; y < m; y++)
			for (int x = 0; x < m;) {
				int n = 0;
				while (x + n < m && e->dark[y * m + x + n])
					n++;
				if (n)
					ui_fill(ui, (struct ui_rect){x0 + x * px, y0 + y * px, n * px, px},
						(struct rgba){0, 0, 0, 255});
				x += n ? n : 1;
			}
		return;
	}
	SDL_RenderCopy(ui->r, e->tex, NULL, &(SDL_Rect){x0, y0, side, side});
}

struct ui_rect ui_dialog(struct ui *ui, int w, int h)
{
	ui_fill(ui, (struct ui_rect){0, 0, ui->w, ui->h}, THEME_SCRIM);
	ui->nhits = 0; /* modal: nothing underneath can be touched */
	ui->nboxes = 0; /* nor laid out against: the card covers it */
	struct ui_rect r = {(ui->w - w) / 2, (ui->h - h) / 2, w, h};
	ui_round(ui, r, ui_px(ui, RADIUS * 2), THEME_SURFACE);
	int pad = ui_px(ui, SP_L);
	return (struct ui_rect){r.x + pad, r.y + pad, r.w - 2 * pad, r.h - 2 * pad};
}

int ui_banner(struct ui *ui, struct ui_rect r, const char *text, enum ui_banner_kind kind)
{
	static const char *const icons[] = {"i", "✓", "!"};
	struct rgba bg = kind == UI_ERROR ? THEME_DANGER_BG : kind == UI_OK ? THEME_OK_BG : THEME_WARN_BG;
	struct rgba fg = kind == UI_ERROR ? THEME_DANGER : kind == UI_OK ? THEME_ACCENT : THEME_BRAND_2;
	int pad = ui_px(ui, SP_M);
	int icon_w = ui_px(ui, 56);
	struct ui_rect inner = {r.x + pad + icon_w, r.y + pad, r.w - 2 * pad - icon_w, 0};
	/* measure first: draw the background, then the text on top */
	int lines = text_wrap(ui->text, FONT_BODY, 0, text, inner.w, NULL, NULL);
	int h = lines * ui_line_h(ui, FONT_BODY) + 2 * pad;
	ui_round(ui, (struct ui_rect){r.x, r.y, r.w, h}, ui_px(ui, RADIUS), bg);
	ui_fill(ui, (struct ui_rect){r.x, r.y, ui_px(ui, 10), h}, fg);
	ui_label(ui, r.x + pad, r.y + pad, FONT_BODY, 1, fg, UI_LEFT, icons[kind]);
	ui_para(ui, inner, FONT_BODY, 0, THEME_TEXT, UI_LEFT, text);
	return h;
}

void ui_forget(struct ui *ui)
{
	text_forget(ui->text);
	for (int i = 0; i < UI_QR_CACHE; i++) {
		if (ui->qr[i].tex)
			SDL_DestroyTexture(ui->qr[i].tex);
		if (ui->qr[i].dark)
			explicit_bzero(ui->qr[i].dark, (size_t)ui->qr[i].modules * (size_t)ui->qr[i].modules);
		free(ui->qr[i].dark);
		explicit_bzero(&ui->qr[i], sizeof(ui->qr[i]));
	}
	explicit_bzero(ui->seen, sizeof(ui->seen));
	ui->seen_len = 0;
	explicit_bzero(ui->boxes, sizeof(ui->boxes));
	ui->nboxes = 0;
	explicit_bzero(ui->hits, sizeof(ui->hits));
	ui->nhits = 0;
	ui->pressed = 0;
}

const struct ui_hit *ui_hit_at(const struct ui *ui, int x, int y)
{
	for (int i = ui->nhits - 1; i >= 0; i--) {
		const struct ui_rect *r = &ui->hits[i].r;
		if (x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h)
			return &ui->hits[i];
	}
	return NULL;
}

const struct ui_hit *ui_hit_by_label(const struct ui *ui, const char *label)
{
	for (int i = ui->nhits - 1; i >= 0; i--)
		if (!strcmp(ui->hits[i].label, label))
			return &ui->hits[i];
	const struct ui_hit *found = NULL;
	for (int i = 0; i < ui->nhits; i++) {
		if (ui->hits[i].label[0] && strstr(ui->hits[i].label, label)) {
			if (found)
				return NULL;
			found = &ui->hits[i];
		}
	}
	return found;
}

int ui_seen(const struct ui *ui, const char *text) { return strstr(ui->seen, text) != NULL; }

int ui_text_overlap(const struct ui *ui, const struct ui_text_box **a, const struct ui_text_box **b)
{
	for (int i = 0; i < ui->nboxes; i++)
		for (int j = i + 1; j < ui->nboxes; j++) {
			const struct ui_rect *p = &ui->boxes[i].r, *q = &ui->boxes[j].r;
			if (p->x < q->x + q->w && q->x < p->x + p->w && p->y < q->y + q->h &&
			    q->y < p->y + p->h) {
				*a = &ui->boxes[i];
				*b = &ui->boxes[j];
				return 1;
			}
		}
	return 0;
}
