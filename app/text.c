/* Text rendering with a texture cache. Each distinct (string, size, weight, colour) is
 * rasterised once by SDL2_ttf and kept as a texture; the least recently used entry is evicted
 * when the cache is full. Strings longer than TEXT_KEY_MAX are drawn uncached. */
#include "text.h"

#include <SDL_ttf.h>

#include "font_lock.h"
#include <stdio.h>
#include <string.h>

#define TEXT_CACHE 384
#define TEXT_KEY_MAX 160

struct cache_entry {
	uint32_t hash;
	uint8_t size, bold;
	struct rgba c;
	char key[TEXT_KEY_MAX];
	SDL_Texture *tex;
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
	TTF_Font *font[FONT_SIZES][2];
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
			int px = (int)(theme_font_px[s] * scale + 0.5f);
			snprintf(path, sizeof(path), "%s/%s", font_dir, files[b]);
			t->font[s][b] = TTF_OpenFont(path, px < 10 ? 10 : px);
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

void text_close(struct text *t)
{
	if (!t)
		return;
	for (int i = 0; i < TEXT_CACHE; i++)
		if (t->cache[i].tex)
			SDL_DestroyTexture(t->cache[i].tex);
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

static SDL_Texture *render(struct text *t, enum font_size sz, int bold, struct rgba c, const char *s,
			   int *w, int *h)
{
	SDL_Color col = {c.r, c.g, c.b, c.a};
	SDL_Surface *surf = TTF_RenderUTF8_Blended(t->font[sz][bold ? 1 : 0], s, col);
	if (!surf)
		return NULL;
	SDL_Texture *tex = SDL_CreateTextureFromSurface(t->r, surf);
	*w = surf->w;
	*h = surf->h;
	SDL_FreeSurface(surf);
	return tex;
}

int text_draw(struct text *t, enum font_size sz, int bold, struct rgba c, int x, int y, const char *s)
{
	if (!s || !*s)
		return 0;
	bold = bold ? 1 : 0;
	size_t len = strlen(s);
	if (len >= TEXT_KEY_MAX) {
		int w, h;
		SDL_Texture *tex = render(t, sz, bold, c, s, &w, &h);
		if (!tex)
			return 0;
		SDL_RenderCopy(t->r, tex, NULL, &(SDL_Rect){x, y, w, h});
		SDL_DestroyTexture(tex);
		return w;
	}
	uint32_t hk = hash_key(s, sz, bold, c);
	struct cache_entry *victim = &t->cache[0];
	t->tick++;
	for (int i = 0; i < TEXT_CACHE; i++) {
		struct cache_entry *e = &t->cache[i];
		if (e->tex && e->hash == hk && e->size == sz && e->bold == bold &&
		    !memcmp(&e->c, &c, sizeof(c)) && !strcmp(e->key, s)) {
			e->used = t->tick;
			t->hits++;
			SDL_RenderCopy(t->r, e->tex, NULL, &(SDL_Rect){x, y, e->w, e->h});
			return e->w;
		}
		if (!e->tex)
			victim = e;
		else if (victim->tex && e->used < victim->used)
			victim = e;
	}
	t->misses++;
	if (victim->tex)
		SDL_DestroyTexture(victim->tex);
	victim->tex = render(t, sz, bold, c, s, &victim->w, &victim->h);
	if (!victim->tex)
		return 0;
	victim->hash = hk;
	victim->size = (uint8_t)sz;
	victim->bold = (uint8_t)bold;
	victim->c = c;
	victim->used = t->tick;
	memcpy(victim->key, s, len + 1);
	SDL_RenderCopy(t->r, victim->tex, NULL, &(SDL_Rect){x, y, victim->w, victim->h});
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
		if (t->cache[i].tex)
			SDL_DestroyTexture(t->cache[i].tex);
		explicit_bzero(&t->cache[i], sizeof(t->cache[i]));
	}
}

void text_cache_stats(struct text *t, unsigned long *hits, unsigned long *misses)
{
	*hits = t->hits;
	*misses = t->misses;
}
