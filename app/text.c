/* Text rendering with a texture cache. Each distinct (string, size, weight, colour) is
 * rasterised once by SDL2_ttf and kept as a texture; the least recently used entry is evicted
 * when the cache is full. Strings longer than TEXT_KEY_MAX are drawn uncached. */
#include "text.h"

#include <SDL_ttf.h>

#include "font_lock.h"
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define TEXT_CACHE 384
#define TEXT_KEY_MAX 160

struct cache_entry {
	uint32_t hash;
	uint8_t size, bold;
	struct rgba c;
	char key[TEXT_KEY_MAX];
	SDL_Texture *tex;
	SDL_Surface *surf;   /* instead of tex when drawn into the target surface */
	uint16_t *ink;       /* surf: per row, the columns [ink[2y], ink[2y+1]) with any alpha */
	int w, h;
	unsigned long used;
};

/* Widths are asked for every frame (alignment, fitting, wrapping): remember them too, so an
 * unchanged frame does no text layout at all. */
#define MEASURE_CACHE 512
struct measure_entry {
	uint32_t hash;
	uint8_t size, bold, used;
	char key[TEXT_KEY_MAX];
	int w, h;
};

struct text {
	struct measure_entry measure[MEASURE_CACHE];
	SDL_Renderer *r;
	SDL_Surface *fb;     /* text_set_target */
	SDL_Rect clip;       /* text_set_clip; w 0: the whole target */
	TTF_Font *font[FONT_SIZES][2];
	int px[FONT_SIZES];  /* the pixel size each was opened at */
	struct cache_entry cache[TEXT_CACHE];
	unsigned long tick, hits, misses;
};

static uint32_t hash_key(const char *s, int size, int bold, struct rgba c)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	h = (h ^ (uint32_t)size) * 16777619u;
	h = (h ^ (uint32_t)bold) * 16777619u;
	h = (h ^ ((uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a)) * 16777619u;
	return h;
}

struct text *text_open(SDL_Renderer *r, const char *font_dir, float scale, char *err, size_t errn)
{
	int px[FONT_SIZES];
	for (int s = 0; s < FONT_SIZES; s++)
		px[s] = (int)(theme_font_px[s] * scale + 0.5f);
	return text_open_px(r, font_dir, px, err, errn);
}

struct text *text_open_px(SDL_Renderer *r, const char *font_dir, const int px_in[FONT_SIZES], char *err,
			  size_t errn)
{
	static const char *const files[2] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"};
	struct text *t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(err, errn, "out of memory");
		return NULL;
	}
	t->r = r;
	if (!TTF_WasInit()) {
		snprintf(err, errn, "SDL_ttf is not initialised");
		free(t);
		return NULL;
	}
	font_lock();
	for (int s = 0; s < FONT_SIZES; s++) {
		for (int b = 0; b < 2; b++) {
			char path[512];
			int px = px_in[s] < 10 ? 10 : px_in[s];
			t->px[s] = px;
			snprintf(path, sizeof(path), "%s/%s", font_dir, files[b]);
			t->font[s][b] = TTF_OpenFont(path, px);
			if (!t->font[s][b]) {
				snprintf(err, errn, "cannot open font %s: %s", path, TTF_GetError());
				font_unlock();
				text_close(t);
				return NULL;
			}
			TTF_SetFontHinting(t->font[s][b], TTF_HINTING_LIGHT);
		}
	}
	font_unlock();
	return t;
}

/* Releases what an entry draws with (its key and place in the cache stay). */
static void entry_release(struct cache_entry *e)
{
	if (e->tex)
		SDL_DestroyTexture(e->tex);
	SDL_FreeSurface(e->surf);
	free(e->ink);
	e->tex = NULL;
	e->surf = NULL;
	e->ink = NULL;
}

static int entry_used(const struct cache_entry *e) { return e->tex || e->surf; }

int text_font_px(const struct text *t, enum font_size sz) { return t->px[sz]; }

void text_close(struct text *t)
{
	if (!t)
		return;
	for (int i = 0; i < TEXT_CACHE; i++)
		entry_release(&t->cache[i]);
	font_lock();
	for (int s = 0; s < FONT_SIZES; s++)
		for (int b = 0; b < 2; b++)
			if (t->font[s][b])
				TTF_CloseFont(t->font[s][b]);
	font_unlock();
	free(t);
}

void text_measure(struct text *t, enum font_size sz, int bold, const char *utf8, int *w, int *h)
{
	int ww = 0, hh = 0;
	bold = bold ? 1 : 0;
	if (!utf8 || !*utf8) {
		hh = TTF_FontHeight(t->font[sz][bold]);
		goto out;
	}
	size_t len = strlen(utf8);
	if (len >= TEXT_KEY_MAX) {
		TTF_SizeUTF8(t->font[sz][bold], utf8, &ww, &hh);
		goto out;
	}
	uint32_t hk = hash_key(utf8, sz, bold, (struct rgba){0, 0, 0, 0});
	struct measure_entry *slot = &t->measure[hk % MEASURE_CACHE];
	if (slot->used && slot->hash == hk && slot->size == sz && slot->bold == bold && !strcmp(slot->key, utf8)) {
		ww = slot->w;
		hh = slot->h;
		goto out;
	}
	TTF_SizeUTF8(t->font[sz][bold], utf8, &ww, &hh);
	/* direct-mapped: a collision simply replaces the older entry */
	slot->used = 1;
	slot->hash = hk;
	slot->size = (uint8_t)sz;
	slot->bold = (uint8_t)bold;
	slot->w = ww;
	slot->h = hh;
	memcpy(slot->key, utf8, len + 1);
out:
	if (w)
		*w = ww;
	if (h)
		*h = hh;
}

int text_line_height(struct text *t, enum font_size sz) { return TTF_FontHeight(t->font[sz][0]); }

int text_line_height_of(struct text *t, enum font_size sz, int bold)
{
	return TTF_FontHeight(t->font[sz][bold ? 1 : 0]);
}

void text_set_target(struct text *t, SDL_Surface *fb)
{
	const SDL_PixelFormat *f = fb ? fb->format : NULL;
	/* the blend below keeps the channels where SDL_ttf puts them (ARGB8888) */
	if (!f || f->BytesPerPixel != 4 || f->Rmask != 0x00FF0000 || f->Gmask != 0x0000FF00 ||
	    f->Bmask != 0x000000FF || SDL_MUSTLOCK(fb))
		fb = NULL;
	if (fb == t->fb)
		return;
	for (int i = 0; i < TEXT_CACHE; i++) /* drawn the other way from now on */
		entry_release(&t->cache[i]);
	t->fb = fb;
}

void text_set_clip(struct text *t, const SDL_Rect *clip)
{
	t->clip = clip ? *clip : (SDL_Rect){0, 0, 0, 0};
}

/* The line rasterised by SDL_ttf (ARGB8888, anti-aliased alpha), into e: as a texture for the
 * renderer, or, with a target surface, as a surface with the ink columns of each row. */
static int render(struct text *t, enum font_size sz, int bold, struct rgba c, const char *s,
		  struct cache_entry *e)
{
	SDL_Color col = {c.r, c.g, c.b, c.a};
	SDL_Surface *surf = TTF_RenderUTF8_Blended(t->font[sz][bold ? 1 : 0], s, col);
	if (!surf)
		return -1;
	e->w = surf->w;
	e->h = surf->h;
	if (!t->fb || surf->format->format != SDL_PIXELFORMAT_ARGB8888 || SDL_MUSTLOCK(surf) ||
	    surf->w > UINT16_MAX) {
		e->tex = SDL_CreateTextureFromSurface(t->r, surf);
		SDL_FreeSurface(surf);
		return e->tex ? 0 : -1;
	}
	e->ink = malloc(sizeof(*e->ink) * 2 * (size_t)(surf->h ? surf->h : 1));
	if (!e->ink) {
		SDL_FreeSurface(surf);
		return -1;
	}
	for (int y = 0; y < surf->h; y++) {
		const Uint32 *row = (const Uint32 *)((const Uint8 *)surf->pixels + (size_t)y * (size_t)surf->pitch);
		int x0 = 0, x1 = surf->w;
		while (x0 < x1 && !(row[x0] >> 24))
			x0++;
		while (x1 > x0 && !(row[x1 - 1] >> 24))
			x1--;
		e->ink[2 * y] = (uint16_t)x0;
		e->ink[2 * y + 1] = (uint16_t)x1;
	}
	e->surf = surf;
	return 0;
}

/* One pixel of SDL's ARGB8888 -> XRGB8888 blit with per-pixel alpha (SDL_blit_A.c): each
 * channel s*a/256 + d*(255-a)/256 (rounded down), an opaque pixel copied, a transparent one
 * left alone, the target's top byte kept. */
static inline Uint32 blend_px(Uint32 s, Uint32 dst)
{
	Uint32 a = s >> 24, na = 0xFF - a;
	if (!a)
		return dst;
	if (a == 0xFF)
		return (s & 0x00FFFFFF) | (dst & 0xFF000000);
	Uint32 r = (((s >> 16) & 0xFF) * a >> 8) + (((dst >> 16) & 0xFF) * na >> 8);
	Uint32 g = (((s >> 8) & 0xFF) * a >> 8) + (((dst >> 8) & 0xFF) * na >> 8);
	Uint32 b = ((s & 0xFF) * a >> 8) + ((dst & 0xFF) * na >> 8);
	return (dst & 0xFF000000) | r << 16 | g << 8 | b;
}

/* blend_px over n pixels. */
static void blend_run(const Uint32 *sp, Uint32 *dp, int n)
{
	int i = 0;
#ifdef __SSE2__
	/* four pixels at a time, the same arithmetic in 16-bit lanes */
	const __m128i zero = _mm_setzero_si128(), amask = _mm_set1_epi32((int)0xFF000000u);
	const __m128i ff = _mm_set1_epi16(0xFF);
	for (; i + 4 <= n; i += 4) {
		__m128i s = _mm_loadu_si128((const __m128i *)(const void *)(sp + i));
		__m128i sa = _mm_and_si128(s, amask);
		__m128i none = _mm_cmpeq_epi32(sa, zero);
		if (_mm_movemask_epi8(none) == 0xFFFF)
			continue; /* no ink here */
		__m128i d = _mm_loadu_si128((const __m128i *)(const void *)(dp + i));
		__m128i full = _mm_cmpeq_epi32(sa, amask);
		/* alpha of each pixel in its four 16-bit lanes */
		__m128i s_lo = _mm_unpacklo_epi8(s, zero), s_hi = _mm_unpackhi_epi8(s, zero);
		__m128i d_lo = _mm_unpacklo_epi8(d, zero), d_hi = _mm_unpackhi_epi8(d, zero);
		__m128i a_lo = _mm_shufflehi_epi16(_mm_shufflelo_epi16(s_lo, 0xFF), 0xFF);
		__m128i a_hi = _mm_shufflehi_epi16(_mm_shufflelo_epi16(s_hi, 0xFF), 0xFF);
		__m128i r_lo = _mm_add_epi16(_mm_srli_epi16(_mm_mullo_epi16(s_lo, a_lo), 8),
					     _mm_srli_epi16(_mm_mullo_epi16(d_lo, _mm_sub_epi16(ff, a_lo)), 8));
		__m128i r_hi = _mm_add_epi16(_mm_srli_epi16(_mm_mullo_epi16(s_hi, a_hi), 8),
					     _mm_srli_epi16(_mm_mullo_epi16(d_hi, _mm_sub_epi16(ff, a_hi)), 8));
		__m128i r = _mm_packus_epi16(r_lo, r_hi);
		/* opaque: the source; then the target's top byte everywhere; transparent: untouched */
		r = _mm_or_si128(_mm_and_si128(full, s), _mm_andnot_si128(full, r));
		r = _mm_or_si128(_mm_andnot_si128(amask, r), _mm_and_si128(amask, d));
		r = _mm_or_si128(_mm_and_si128(none, d), _mm_andnot_si128(none, r));
		_mm_storeu_si128((__m128i *)(void *)(dp + i), r);
	}
#endif
	for (; i < n; i++)
		dp[i] = blend_px(sp[i], dp[i]);
}

/* Blends e's surface onto the target at (x, y) with SDL's arithmetic (blend_px), so the pixels
 * are the ones SDL would draw. Only the columns with ink are read. */
static void blend_into(struct text *t, const struct cache_entry *e, int x, int y)
{
	SDL_Surface *fb = t->fb;
	SDL_Rect d, full = {0, 0, fb->w, fb->h};
	if (t->clip.w > 0 && !SDL_IntersectRect(&t->clip, &(SDL_Rect){0, 0, fb->w, fb->h}, &full))
		return;
	if (!SDL_IntersectRect(&(SDL_Rect){x, y, e->w, e->h}, &full, &d))
		return;
	SDL_RenderFlush(t->r); /* what was drawn before lands first */
	for (int row = d.y - y; row < d.y - y + d.h; row++) {
		const Uint32 *sp = (const Uint32 *)((const Uint8 *)e->surf->pixels + (size_t)row * (size_t)e->surf->pitch);
		Uint32 *dp = (Uint32 *)((Uint8 *)fb->pixels + (size_t)(row + y) * (size_t)fb->pitch) + x;
		int i0 = e->ink[2 * row], i1 = e->ink[2 * row + 1];
		if (i0 < d.x - x)
			i0 = d.x - x;
		if (i1 > d.x - x + d.w)
			i1 = d.x - x + d.w;
		if (i1 > i0)
			blend_run(sp + i0, dp + i0, i1 - i0);
	}
}

static void entry_draw(struct text *t, const struct cache_entry *e, int x, int y)
{
	if (e->surf)
		blend_into(t, e, x, y);
	else
		SDL_RenderCopy(t->r, e->tex, NULL, &(SDL_Rect){x, y, e->w, e->h});
}

int text_draw(struct text *t, enum font_size sz, int bold, struct rgba c, int x, int y, const char *s)
{
	if (!s || !*s)
		return 0;
	bold = bold ? 1 : 0;
	size_t len = strlen(s);
	if (len >= TEXT_KEY_MAX) {
		struct cache_entry once;
		int w;
		memset(&once, 0, sizeof(once));
		if (render(t, sz, bold, c, s, &once) != 0)
			return 0;
		entry_draw(t, &once, x, y);
		w = once.w;
		entry_release(&once);
		return w;
	}
	uint32_t hk = hash_key(s, sz, bold, c);
	struct cache_entry *victim = &t->cache[0];
	t->tick++;
	for (int i = 0; i < TEXT_CACHE; i++) {
		struct cache_entry *e = &t->cache[i];
		if (entry_used(e) && e->hash == hk && e->size == sz && e->bold == bold &&
		    !memcmp(&e->c, &c, sizeof(c)) && !strcmp(e->key, s)) {
			e->used = t->tick;
			t->hits++;
			entry_draw(t, e, x, y);
			return e->w;
		}
		if (!entry_used(e))
			victim = e;
		else if (entry_used(victim) && e->used < victim->used)
			victim = e;
	}
	t->misses++;
	entry_release(victim);
	if (render(t, sz, bold, c, s, victim) != 0)
		return 0;
	victim->hash = hk;
	victim->size = (uint8_t)sz;
	victim->bold = (uint8_t)bold;
	victim->c = c;
	victim->used = t->tick;
	memcpy(victim->key, s, len + 1);
	entry_draw(t, victim, x, y);
	return victim->w;
}

/* Width of s[0..len) without copying to the heap: a bounded stack copy is enough for lines. */
static int width_of(struct text *t, enum font_size sz, int bold, const char *s, size_t len)
{
	char buf[512];
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, s, len);
	buf[len] = 0;
	int w;
	text_measure(t, sz, bold, buf, &w, NULL);
	return w;
}

static size_t utf8_prev(const char *s, size_t i)
{
	while (i > 0 && ((uint8_t)s[--i] & 0xC0) == 0x80)
		;
	return i;
}

static size_t utf8_next(const char *s, size_t i)
{
	if (s[i])
		i++;
	while (((uint8_t)s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

int text_wrap(struct text *t, enum font_size sz, int bold, const char *s, int max_w,
	      void (*fn)(void *user, const char *line, size_t len, int index), void *user)
{
	int n = 0;
	while (*s) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		size_t len = strcspn(s, "\n");
		size_t fit = len;
		while (fit > 0 && width_of(t, sz, bold, s, fit) > max_w) {
			/* back off to the previous space; if none, to a character boundary */
			size_t sp = fit;
			/* a space after "$" binds the symbol to its amount: never break there */
			while (sp > 0 && (s[sp - 1] != ' ' || (sp >= 2 && s[sp - 2] == '$')))
				sp--;
			if (sp > 0) {
				fit = sp - 1;
				while (fit > 0 && s[fit - 1] == ' ')
					fit--;
			} else {
				fit = utf8_prev(s, fit);
			}
		}
		if (fit == 0 && len > 0) /* not even one character fits: emit one anyway */
			fit = utf8_next(s, 0);
		if (fn && fit)
			fn(user, s, fit, n);
		n++;
		s += fit;
		if (*s == '\n')
			s++;
	}
	return n;
}

void text_forget(struct text *t)
{
	explicit_bzero(t->measure, sizeof(t->measure));
	for (int i = 0; i < TEXT_CACHE; i++) {
		/* the rasterised text is a customer's name or number too */
		if (t->cache[i].surf && t->cache[i].surf->pixels)
			explicit_bzero(t->cache[i].surf->pixels,
				       (size_t)t->cache[i].surf->pitch * (size_t)t->cache[i].surf->h);
		entry_release(&t->cache[i]);
		explicit_bzero(&t->cache[i], sizeof(t->cache[i]));
	}
}

void text_cache_stats(struct text *t, unsigned long *hits, unsigned long *misses)
{
	*hits = t->hits;
	*misses = t->misses;
}
