/* escpos — ESC/POS byte streams in a bounded, growing buffer.
 *
 * Every emitter goes through put(): it grows the buffer by doubling up to ESCPOS_MAX and
 * sets the sticky `failed` flag instead of truncating, so a caller checks once at the end.
 * Text arrives as UTF-8 and leaves as one byte per code point in the selected code page;
 * C0 controls inside text become '?' so data (a customer's name) can never smuggle a
 * command into the stream. */
#include "escpos.h"

#include <stdlib.h>
#include <string.h>

#define ESC 0x1b
#define GS 0x1d
#define LF 0x0a

/* Upper halves (0x80..0xFF) of IBM code page 850; CP858 differs only at 0xD5. */
static const uint16_t cp850_high[128] = {
	0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
	0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
	0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
	0x00FF, 0x00D6, 0x00DC, 0x00F8, 0x00A3, 0x00D8, 0x00D7, 0x0192,
	0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
	0x00BF, 0x00AE, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
	0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00C1, 0x00C2, 0x00C0,
	0x00A9, 0x2563, 0x2551, 0x2557, 0x255D, 0x00A2, 0x00A5, 0x2510,
	0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x00E3, 0x00C3,
	0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x00A4,
	0x00F0, 0x00D0, 0x00CA, 0x00CB, 0x00C8, 0x0131, 0x00CD, 0x00CE,
	0x00CF, 0x2518, 0x250C, 0x2588, 0x2584, 0x00A6, 0x00CC, 0x2580,
	0x00D3, 0x00DF, 0x00D4, 0x00D2, 0x00F5, 0x00D5, 0x00B5, 0x00FE,
	0x00DE, 0x00DA, 0x00DB, 0x00D9, 0x00FD, 0x00DD, 0x00AF, 0x00B4,
	0x00AD, 0x00B1, 0x2017, 0x00BE, 0x00B6, 0x00A7, 0x00F7, 0x00B8,
	0x00B0, 0x00A8, 0x00B7, 0x00B9, 0x00B3, 0x00B2, 0x25A0, 0x00A0,
};

#define CP858_EURO_BYTE 0xD5
#define CODEPOINT_EURO 0x20AC
#define UTF8_BAD 0xFFFFFFFFu

static int cp_known(enum escpos_codepage cp)
{
	return cp == ESCPOS_CP850 || cp == ESCPOS_CP858;
}

uint32_t escpos_cp_codepoint(enum escpos_codepage cp, uint8_t byte)
{
	if (byte < 0x80)
		return byte;
	if (!cp_known(cp))
		return '?';
	if (cp == ESCPOS_CP858 && byte == CP858_EURO_BYTE)
		return CODEPOINT_EURO;
	return cp850_high[byte - 0x80];
}

uint8_t escpos_cp_byte(enum escpos_codepage cp, uint32_t codepoint)
{
	/* Printable ASCII is the same in every page; controls are never "text". */
	if (codepoint >= 0x20 && codepoint < 0x7f)
		return (uint8_t)codepoint;
	if (codepoint < 0xa0 || codepoint > 0xffff || !cp_known(cp))
		return '?';
	for (int i = 0; i < 128; i++) {
		if (cp850_high[i] != codepoint)
			continue;
		if (cp == ESCPOS_CP858 && i + 0x80 == CP858_EURO_BYTE)
			continue; /* dotless i is not on CP858 */
		return (uint8_t)(i + 0x80);
	}
	if (cp == ESCPOS_CP858 && codepoint == CODEPOINT_EURO)
		return CP858_EURO_BYTE;
	return '?';
}

/* Decodes one UTF-8 sequence from s (n > 0 bytes available). Returns the code point, or
 * UTF8_BAD for an ill-formed sequence (overlong, surrogate, > U+10FFFF, truncated, stray
 * continuation). *used is the number of bytes consumed: for a bad sequence, its maximal
 * valid prefix (at least 1), which is replaced by a single '?' (Unicode's practice). */
static uint32_t utf8_decode(const uint8_t *s, size_t n, size_t *used)
{
	uint8_t b = s[0];
	uint32_t cp;
	size_t need;
	uint8_t lo = 0x80, hi = 0xbf;

	*used = 1;
	if (b < 0x80)
		return b;
	if (b >= 0xc2 && b <= 0xdf) {
		need = 1;
		cp = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		need = 2;
		cp = b & 0x0f;
		if (b == 0xe0)
			lo = 0xa0;  /* overlong */
		else if (b == 0xed)
			hi = 0x9f;  /* surrogates */
	} else if (b >= 0xf0 && b <= 0xf4) {
		need = 3;
		cp = b & 0x07;
		if (b == 0xf0)
			lo = 0x90;  /* overlong */
		else if (b == 0xf4)
			hi = 0x8f;  /* above U+10FFFF */
	} else {
		return UTF8_BAD;
	}
	for (size_t k = 1; k <= need; k++) {
		if (k >= n || s[k] < lo || s[k] > hi) {
			*used = k;
			return UTF8_BAD;
		}
		cp = (cp << 6) | (s[k] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*used = need + 1;
	return cp;
}

/* Makes room for n more bytes. Returns 0, or -1 (and fails the stream for good). */
static int reserve(struct escpos *e, size_t n)
{
	size_t cap;
	uint8_t *b;

	if (e->failed)
		return -1;
	if (n > ESCPOS_MAX - e->len) {
		e->failed = 1;
		return -1;
	}
	if (e->len + n <= e->cap)
		return 0;
	cap = e->cap ? e->cap : 1024;
	while (cap < e->len + n)
		cap *= 2;
	if (cap > ESCPOS_MAX)
		cap = ESCPOS_MAX;
	b = realloc(e->buf, cap);
	if (!b) {
		e->failed = 1;
		return -1;
	}
	e->buf = b;
	e->cap = cap;
	return 0;
}

static void put(struct escpos *e, const void *bytes, size_t n)
{
	if (n == 0 || reserve(e, n) < 0)
		return;
	memcpy(e->buf + e->len, bytes, n);
	e->len += n;
}

static void put3(struct escpos *e, uint8_t a, uint8_t b, uint8_t c)
{
	const uint8_t cmd[3] = {a, b, c};

	put(e, cmd, sizeof cmd);
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void escpos_begin(struct escpos *e)
{
	static const uint8_t init[2] = {ESC, '@'};

	/* A zeroed struct means "default page": CP858 (it has the euro sign). */
	if (!cp_known(e->cp))
		e->cp = ESCPOS_CP858;
	put(e, init, sizeof init);
	escpos_panel_buttons(e, 0);
	put3(e, ESC, 't', (uint8_t)e->cp);
}

void escpos_panel_buttons(struct escpos *e, int enabled)
{
	const uint8_t cmd[4] = {ESC, 'c', '5', enabled ? 0 : 1};

	put(e, cmd, sizeof cmd);
}

void escpos_free(struct escpos *e)
{
	free(e->buf);
	e->buf = NULL;
	e->len = e->cap = 0;
	e->failed = 0;
}

int escpos_failed(const struct escpos *e)
{
	return e->failed;
}

void escpos_raw(struct escpos *e, const void *bytes, size_t n)
{
	put(e, bytes, n);
}

void escpos_codepage(struct escpos *e, enum escpos_codepage cp)
{
	if (!cp_known(cp))
		cp = ESCPOS_CP858;
	e->cp = cp;
	put3(e, ESC, 't', (uint8_t)cp);
}

void escpos_align(struct escpos *e, enum escpos_align a)
{
	put3(e, ESC, 'a', (uint8_t)clamp((int)a, ESCPOS_LEFT, ESCPOS_RIGHT));
}

void escpos_bold(struct escpos *e, int on)
{
	put3(e, ESC, 'E', on ? 1 : 0);
}

void escpos_size(struct escpos *e, int w, int h)
{
	w = clamp(w, 1, 8);
	h = clamp(h, 1, 8);
	put3(e, GS, '!', (uint8_t)(((w - 1) << 4) | (h - 1)));
}

void escpos_text(struct escpos *e, const char *utf8)
{
	const uint8_t *s = (const uint8_t *)utf8;
	size_t n = utf8 ? strlen(utf8) : 0;
	size_t i = 0, used;
	uint8_t out;

	if (!cp_known(e->cp))
		e->cp = ESCPOS_CP858; /* the default page, as escpos_begin would select */
	while (i < n && !e->failed) {
		uint32_t cp = utf8_decode(s + i, n - i, &used);

		if (cp == '\n')
			out = LF;
		else if (cp == UTF8_BAD)
			out = '?';
		else
			out = escpos_cp_byte(e->cp, cp);
		put(e, &out, 1);
		i += used;
	}
}

void escpos_line(struct escpos *e, const char *utf8)
{
	static const uint8_t lf = LF;

	escpos_text(e, utf8);
	put(e, &lf, 1);
}

void escpos_feed(struct escpos *e, int lines)
{
	put3(e, ESC, 'd', (uint8_t)clamp(lines, 0, 255));
}

/* GS ( k, symbol type 49 (QR): header with the 2-byte little-endian parameter length. */
static void qr_cmd(struct escpos *e, size_t plen, uint8_t fn)
{
	const uint8_t hdr[7] = {GS, '(', 'k', (uint8_t)(plen & 0xff), (uint8_t)(plen >> 8),
				49, fn};

	put(e, hdr, sizeof hdr);
}

/* Largest payload a version-40 QR holds in byte mode (ECC L). */
#define QR_MAX_BYTES 2953

void escpos_qr(struct escpos *e, const char *data, int module, char ecc)
{
	static const uint8_t model2[2] = {50, 0};
	size_t n = data ? strlen(data) : 0;
	uint8_t level, b;

	switch (ecc) {
	case 'L': level = 48; break;
	case 'Q': level = 50; break;
	case 'H': level = 51; break;
	default: level = 49; break; /* 'M' */
	}
	/* A symbol the printer cannot hold would print nothing: fail the job instead. */
	if (n == 0 || n > QR_MAX_BYTES) {
		e->failed = 1;
		return;
	}
	qr_cmd(e, 4, 65);               /* fn 165: model 2 */
	put(e, model2, sizeof model2);
	qr_cmd(e, 3, 67);               /* fn 167: module size */
	b = (uint8_t)clamp(module, 1, 16);
	put(e, &b, 1);
	qr_cmd(e, 3, 69);               /* fn 169: error correction */
	put(e, &level, 1);
	qr_cmd(e, n + 3, 80);           /* fn 180: store */
	b = 48;
	put(e, &b, 1);
	put(e, data, n);
	qr_cmd(e, 3, 81);               /* fn 181: print */
	put(e, &b, 1);
}

void escpos_cut(struct escpos *e)
{
	escpos_cut_feed(e, 0);
}

void escpos_cut_feed(struct escpos *e, int dots)
{
	const uint8_t cut[4] = {GS, 'V', 66, (uint8_t)clamp(dots, 0, 255)};

	put(e, cut, sizeof cut);
}

void escpos_raster(struct escpos *e, const uint8_t *bits, int width_bytes, int rows)
{
	if (!bits || width_bytes < 1 || width_bytes > ESCPOS_RASTER_MAX_BYTES || rows < 1 ||
	    rows > RASTER_MAX_DIM) {
		e->failed = 1;
		return;
	}
	for (int y = 0; y < rows && !e->failed; y += ESCPOS_RASTER_BAND) {
		int band = rows - y < ESCPOS_RASTER_BAND ? rows - y : ESCPOS_RASTER_BAND;
		const uint8_t hdr[8] = {GS, 'v', '0', 0, (uint8_t)(width_bytes & 0xff),
					(uint8_t)(width_bytes >> 8), (uint8_t)(band & 0xff),
					(uint8_t)(band >> 8)};

		put(e, hdr, sizeof hdr);
		put(e, bits + (size_t)y * (size_t)width_bytes, (size_t)band * (size_t)width_bytes);
	}
}

void escpos_image(struct escpos *e, const struct raster *img)
{
	if (!img) {
		e->failed = 1;
		return;
	}
	escpos_raster(e, img->bits, img->stride, img->h);
}

void escpos_qr_raster(struct escpos *e, const char *data, int module, char ecc, int dots)
{
	struct raster sym, paper;
	size_t n = data ? strlen(data) : 0;

	if (e->failed)
		return;
	if (n == 0 || n > QR_MAX_BYTES || dots < 8 || dots % 8 ||
	    dots > 8 * ESCPOS_RASTER_MAX_BYTES ||
	    raster_qr(&sym, data, clamp(module, 1, 16), ecc) < 0) {
		e->failed = 1;
		return;
	}
	if (sym.w > dots || raster_alloc(&paper, dots, sym.h) < 0) {
		raster_free(&sym);
		e->failed = 1;
		return;
	}
	raster_blit(&paper, &sym, (dots - sym.w) / 2, 0);
	escpos_image(e, &paper);
	raster_free(&paper);
	raster_free(&sym);
}
