/* escpos_render — the virtual printer: interprets the ESC/POS subset Recaudo emits and draws
 * the paper roll as a 1-bit image.
 *
 * Like a real printer, text goes into a line buffer and is printed (aligned, with the line's
 * tallest character setting its height) on LF, ESC d, a full line, or before graphics.
 * Font A is a 12x24 dot cell (glyphs from escpos_font.c), scaled by GS ! like the printer's
 * own pixel doubling. Native QR symbols are re-encoded with libqrencode; GS v 0 rasters (the logo, the
 * QR fallback, the GS1-128 coupon barcode turned on its side) are drawn dot for dot. Code
 * pages follow ESC t (CP850, CP858; anything else shows '?' for accents). Everything lives
 * in one heap context per call: no global state, so previews may render on any thread. */
#include "escpos_render.h"
#include "escpos.h"
#include "escpos_font.h"
#include "raster.h"

#include <qrencode.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CELL_W ESCPOS_CELL_W
#define CELL_H ESCPOS_CELL_H
#define LINE_SPACING 30      /* ESC 2: 1/6 inch at 180 dpi units, as on most 80 mm units */
#define MAX_ROWS 20000       /* ~2.5 m of paper: anything longer is a runaway job */
#define MIN_DOTS 64
#define MAX_DOTS 1024
#define MAX_LINE_CHARS (MAX_DOTS / CELL_W)
#define CUTTER_FEED 48       /* dots between the print head and the cutter */
#define TOP_MARGIN 16
struct cell {
	uint8_t byte, page, bold, w, h; /* page: the code page in force when it arrived */
};

struct render {
	int dots, stride;
	uint8_t *paper;          /* rows x stride, MSB first, 1 = black */
	int rows;                /* allocated */
	int y;                   /* top of the next print line */

	enum escpos_codepage cp; /* printer state */
	int align, bold, w, h, spacing;
	int panel_off;           /* ESC c 5 1: the feed button is disabled */
	struct cell line[MAX_LINE_CHARS];
	int nline, line_dots;

	uint8_t *qr;             /* fn 180 data */
	size_t qr_len;
	int qr_module, qr_ecc;

	struct escpos_font font;         /* Font A, regular and bold, with its glyph cache */

	struct escpos_render_info *info;
	size_t text_len;
	char *err;
	size_t errn;
	int failed;
};

static int fail(struct render *r, const char *msg, const char *detail)
{
	if (!r->failed)
		snprintf(r->err, r->errn, "virtual printer: %s%s%s", msg, detail ? ": " : "",
			 detail ? detail : "");
	r->failed = 1;
	return -1;
}

/* Makes rows [0, end) exist, zeroed (white). */
static int paper_reserve(struct render *r, int end)
{
	int rows;
	uint8_t *p;

	if (end <= r->rows)
		return 0;
	if (end > MAX_ROWS)
		return fail(r, "paper longer than the limit (20000 dots)", NULL);
	rows = r->rows ? r->rows : 1024;
	while (rows < end)
		rows *= 2;
	if (rows > MAX_ROWS)
		rows = MAX_ROWS;
	p = realloc(r->paper, (size_t)rows * (size_t)r->stride);
	if (!p)
		return fail(r, "out of memory", NULL);
	memset(p + (size_t)r->rows * (size_t)r->stride, 0,
	       (size_t)(rows - r->rows) * (size_t)r->stride);
	r->paper = p;
	r->rows = rows;
	return 0;
}

/* Moves the paper without printing; bounded so a stream of feeds cannot overflow y. */
static int feed(struct render *r, int dots)
{
	if (dots > MAX_ROWS - r->y)
		return fail(r, "paper longer than the limit (20000 dots)", NULL);
	r->y += dots;
	return 0;
}

static void dot(struct render *r, int x, int y)
{
	if (x < 0 || x >= r->dots || y < 0 || y >= r->rows)
		return;
	r->paper[(size_t)y * (size_t)r->stride + (size_t)(x >> 3)] |= (uint8_t)(0x80 >> (x & 7));
}

static int align_x(const struct render *r, int width)
{
	if (width >= r->dots || r->align == ESCPOS_LEFT)
		return 0;
	return r->align == ESCPOS_CENTER ? (r->dots - width) / 2 : r->dots - width;
}

/* ---- text --------------------------------------------------------------------------- */

static void text_append(struct render *r, const char *s, size_t n)
{
	struct escpos_render_info *in = r->info;

	if (!in || r->text_len + n + 1 > sizeof in->text)
		return; /* whole code points or nothing */
	memcpy(in->text + r->text_len, s, n);
	r->text_len += n;
	in->text[r->text_len] = '\0';
}

/* Code page characters are all in the BMP: at most three UTF-8 bytes. */
static void text_append_cp(struct render *r, uint32_t cp)
{
	char u[3] = {(char)(0xe0 | cp >> 12), (char)(0x80 | (cp >> 6 & 0x3f)),
		     (char)(0x80 | (cp & 0x3f))};

	if (cp < 0x80)
		text_append(r, (char[]){(char)cp}, 1);
	else if (cp < 0x800)
		text_append(r, (char[]){(char)(0xc0 | cp >> 6), u[2]}, 2);
	else
		text_append(r, u, 3);
}

/* Prints the line buffer (possibly empty) and advances by one line. */
static int line_print(struct render *r)
{
	int tall = CELL_H * r->h, x, pitch, last = -1;

	for (int i = 0; i < r->nline; i++)
		if (CELL_H * r->line[i].h > tall)
			tall = CELL_H * r->line[i].h;
	pitch = tall + (r->spacing > CELL_H ? r->spacing - CELL_H : 0);
	if (r->nline == 0 && r->spacing > pitch)
		pitch = r->spacing;
	if (paper_reserve(r, r->y + pitch) < 0)
		return -1;
	x = align_x(r, r->line_dots);
	for (int i = 0; i < r->nline; i++) {
		const struct cell *c = &r->line[i];
		const struct escpos_glyph *g = escpos_font_glyph(&r->font, c->page, c->byte, c->bold);
		int top = r->y + tall - CELL_H * c->h; /* characters stand on one baseline */

		for (int gy = 0; gy < CELL_H * c->h; gy++)
			for (int gx = 0; gx < CELL_W * c->w; gx++)
				if (g->px[gy / c->h][gx / c->w])
					dot(r, x + gx, top + gy);
		x += CELL_W * c->w;
		if (c->byte != ' ')
			last = i;
	}
	if (r->info && r->nline > 0) {
		for (int i = 0; i <= last; i++)
			text_append_cp(r, escpos_cp_codepoint(r->line[i].page, r->line[i].byte));
		text_append(r, "\n", 1);
		r->info->lines++;
	}
	r->y += pitch;
	r->nline = 0;
	r->line_dots = 0;
	return 0;
}

/* Prints pending text without the empty-line feed (before graphics, cuts, ESC J). */
static int line_flush(struct render *r)
{
	return r->nline > 0 ? line_print(r) : 0;
}

static int put_char(struct render *r, uint8_t byte)
{
	int width = CELL_W * r->w;

	if (width > r->dots)
		return 0;
	if (r->line_dots + width > r->dots || r->nline == MAX_LINE_CHARS)
		if (line_print(r) < 0)
			return -1;
	r->line[r->nline++] = (struct cell){byte, (uint8_t)r->cp, (uint8_t)r->bold, (uint8_t)r->w,
					    (uint8_t)r->h};
	r->line_dots += width;
	return 0;
}

/* ---- graphics ----------------------------------------------------------------------- */

static int qr_print(struct render *r)
{
	static const QRecLevel levels[4] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q,
					    QR_ECLEVEL_H};
	QRcode *q;
	int m = r->qr_module, size, x0;

	if (line_flush(r) < 0)
		return -1;
	if (!r->qr || r->qr_len == 0)
		return 0; /* a printer prints nothing for an empty store */
	q = QRcode_encodeData((int)r->qr_len, r->qr, 0, levels[r->qr_ecc]);
	if (!q)
		return fail(r, "QR data cannot be encoded", NULL);
	size = q->width * m;
	if (size > r->dots) {
		QRcode_free(q);
		return fail(r, "QR symbol wider than the paper", NULL);
	}
	if (paper_reserve(r, r->y + size) < 0) {
		QRcode_free(q);
		return -1;
	}
	x0 = align_x(r, size);
	for (int my = 0; my < q->width; my++)
		for (int mx = 0; mx < q->width; mx++)
			if (q->data[my * q->width + mx] & 1)
				for (int dy = 0; dy < m; dy++)
					for (int dx = 0; dx < m; dx++)
						dot(r, x0 + mx * m + dx, r->y + my * m + dy);
	r->y += size;
	QRcode_free(q);
	if (r->info)
		r->info->qr_codes++;
	return 0;
}

/* GS v 0 m xL xH yL yH d...: raster bit image, MSB left, m scales width (bit 0) and height
 * (bit 1). Used for logos and the rotated GS1-128 barcode. */
static int raster_print(struct render *r, const uint8_t *d, int m, int bw, int bh)
{
	int sx = (m & 1) + 1, sy = ((m >> 1) & 1) + 1, x0;

	if (line_flush(r) < 0 || paper_reserve(r, r->y + bh * sy) < 0)
		return -1;
	x0 = align_x(r, bw * 8 * sx);
	for (int y = 0; y < bh * sy; y++)
		for (int x = 0; x < bw * 8 * sx; x++)
			if (d[(y / sy) * bw + x / sx / 8] & (0x80 >> ((x / sx) & 7)))
				dot(r, x0 + x, r->y + y);
	r->y += bh * sy;
	if (r->info)
		r->info->rasters++;
	return 0;
}

static int cut(struct render *r, int extra)
{
	if (line_flush(r) < 0 || feed(r, extra) < 0 || paper_reserve(r, r->y + 2) < 0)
		return -1;
	for (int x = 0; x < r->dots; x++)
		if ((x / 8) % 2 == 0) {
			dot(r, x, r->y);
			dot(r, x, r->y + 1);
		}
	r->y += 2 + TOP_MARGIN;
	if (r->info)
		r->info->cuts++;
	return 0;
}

/* ---- interpreter -------------------------------------------------------------------- */

static void reset(struct render *r)
{
	r->cp = 0; /* PC437 until ESC t: accented bytes then show as '?' */
	r->align = ESCPOS_LEFT;
	r->bold = 0;
	r->w = r->h = 1;
	r->spacing = LINE_SPACING;
	r->nline = r->line_dots = 0;
	r->qr_module = 3;
	r->qr_ecc = 0;
	r->panel_off = 0; /* ESC @ enables the panel buttons again */
}

static void unknown(struct render *r)
{
	if (r->info)
		r->info->unknown++;
}

/* GS ( k pL pH cn fn ...: p points at the parameters after pL pH, n of them. */
static int gs_k(struct render *r, const uint8_t *p, size_t n)
{
	if (n < 2 || p[0] != 49) {
		unknown(r);
		return 0;
	}
	switch (p[1]) {
	case 65: /* model: only model 2 is emitted */
		return 0;
	case 67:
		if (n >= 3 && p[2] >= 1 && p[2] <= 16)
			r->qr_module = p[2];
		return 0;
	case 69:
		if (n >= 3 && p[2] >= 48 && p[2] <= 51)
			r->qr_ecc = p[2] - 48;
		return 0;
	case 80: {
		size_t dn = n > 3 ? n - 3 : 0;
		uint8_t *q;

		r->qr_len = 0;
		if (dn == 0)
			return 0;
		q = realloc(r->qr, dn);
		if (!q)
			return fail(r, "out of memory", NULL);
		memcpy(q, p + 3, dn);
		r->qr = q;
		r->qr_len = dn;
		return 0;
	}
	case 81:
		return qr_print(r);
	default:
		unknown(r);
		return 0;
	}
}

/* Interprets one command at b[0..n). Returns bytes consumed (0: truncated command). */
static size_t command(struct render *r, const uint8_t *b, size_t n)
{
	size_t len;

	if (b[0] == 0x1b) {
		if (n < 2)
			return 0;
		switch (b[1]) {
		case '@': line_flush(r); reset(r); return 2;
		case '2': r->spacing = LINE_SPACING; return 2;
		case 'i': case 'm': cut(r, 0); return 2;
		case 'p': return n >= 5 ? 5 : 0;          /* drawer kick: nothing to draw */
		}
		if (n < 3)
			return 0;
		switch (b[1]) {
		case 't': r->cp = b[2]; return 3;
		case 'a': r->align = (b[2] & 0x0f) <= 2 ? b[2] & 0x0f : 0; return 3;
		case 'E': case 'G': r->bold = b[2] & 1; return 3;
		case '!':
			r->bold = (b[2] >> 3) & 1;
			r->h = (b[2] & 0x10) ? 2 : 1;
			r->w = (b[2] & 0x20) ? 2 : 1;
			return 3;
		case 'd': line_flush(r); feed(r, b[2] * r->spacing); return 3;
		case 'J': line_flush(r); feed(r, b[2]); return 3;
		case '3': r->spacing = b[2]; return 3;
		case '*':
			if (n < 5)
				return 0;
			len = (size_t)(b[3] | b[4] << 8) * (b[2] >= 32 ? 3 : 1);
			unknown(r);
			return n >= 5 + len ? 5 + len : 0;
		case '$': case '\\':
			unknown(r);
			return n >= 4 ? 4 : 0;
		case '-': case 'M': case 'R': case ' ': case 'V': case '{': case 'e': case 'U':
			unknown(r);
			return 3;
		case 'c':                              /* ESC c 3/4/5 n: sensors, panel keys */
			if (n < 4)
				return 0;
			if (b[2] == '5')
				r->panel_off = b[3] & 1;
			else if (b[2] != '3' && b[2] != '4')
				unknown(r);
			return 4;
		}
		unknown(r);
		return 2;
	}
	if (b[0] == 0x1d) {
		if (n < 3)
			return 0;
		switch (b[1]) {
		case '!':
			r->w = ((b[2] >> 4) & 7) + 1;
			r->h = (b[2] & 7) + 1;
			return 3;
		case '(':
			if (n < 5)
				return 0;
			len = (size_t)(b[3] | b[4] << 8);
			if (n < 5 + len)
				return 0;
			if (b[2] == 'k')
				gs_k(r, b + 5, len);
			else
				unknown(r);
			return 5 + len;
		case 'V':
			if (b[2] == 65 || b[2] == 66) {
				if (n < 4)
					return 0;
				cut(r, CUTTER_FEED + b[3]);
				return 4;
			}
			cut(r, 0);
			return 3;
		case 'v': {
			int bw, bh;

			if (n < 8)
				return 0;
			bw = b[4] | b[5] << 8;
			bh = b[6] | b[7] << 8;
			len = (size_t)bw * (size_t)bh;
			if (n < 8 + len)
				return 0;
			if (b[2] != '0' && b[2] != 0)
				unknown(r);
			else
				raster_print(r, b + 8, b[3], bw, bh);
			return 8 + len;
		}
		case 'L': case 'W': case 'P':
			unknown(r);
			return n >= 4 ? 4 : 0;
		case 'k':
			unknown(r);
			if (b[2] <= 6) { /* NUL-terminated data */
				const uint8_t *z = memchr(b + 3, 0, n - 3);

				return z ? (size_t)(z - b) + 1 : 0;
			}
			return n >= 4 && n >= 4 + (size_t)b[3] ? 4 + (size_t)b[3] : 0;
		case 'a': case 'r':
			return 3;                          /* status requests: nothing to draw */
		}
		unknown(r);
		return 3;
	}
	if (b[0] == 0x10) {                                /* DLE EOT n and friends */
		if (n < 3)
			return 0;
		if (b[1] != 0x04)
			unknown(r);
		return 3;
	}
	if (b[0] == 0x1c) {                                /* FS: kanji modes, NV logos */
		unknown(r);
		return n >= 2 ? 2 : 0;
	}
	switch (b[0]) {
	case '\n': line_print(r); return 1;
	case '\r': return 1;
	case '\t':
		do
			put_char(r, ' ');
		while (r->nline % 8 && r->line_dots + CELL_W * r->w <= r->dots);
		return 1;
	}
	if (b[0] < 0x20 || b[0] == 0x7f) {
		unknown(r);
		return 1;
	}
	put_char(r, b[0]);
	return 1;
}

/* ---- entry -------------------------------------------------------------------------- */

int escpos_render_png(const uint8_t *buf, size_t len, int dots, const char *png_path,
		      struct escpos_render_info *info, char *err, size_t errn)
{
	char scratch[2], why[300];
	struct render *r;
	int we_init = 0, rc = -1;
	size_t i = 0;

	if (!err || errn == 0) {
		err = scratch;
		errn = sizeof scratch;
	}
	err[0] = '\0';
	if (info)
		memset(info, 0, sizeof *info);
	if ((!buf && len) || !png_path || dots < MIN_DOTS || dots > MAX_DOTS) {
		snprintf(err, errn, "virtual printer: bad arguments (dots %d)", dots);
		return -1;
	}
	r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errn, "virtual printer: out of memory");
		return -1;
	}
	r->dots = dots;
	r->stride = (dots + 7) / 8;
	r->info = info;
	r->err = err;
	r->errn = errn;
	r->y = TOP_MARGIN;
	reset(r);
	/* The app initialises SDL_ttf once before its print worker starts; standalone callers
	 * (tests, tools) get it initialised here and quit again. */
	if (!TTF_WasInit()) {
		if (TTF_Init() < 0) {
			fail(r, "SDL_ttf init failed", TTF_GetError());
			goto out;
		}
		we_init = 1;
	}
	if (escpos_font_open(&r->font, why, sizeof why) < 0) {
		fail(r, why, NULL);
		goto out;
	}
	if (paper_reserve(r, r->y + 1) < 0)
		goto out;
	while (i < len && !r->failed) {
		size_t used = command(r, buf + i, len - i);

		if (used == 0) { /* truncated command at the end of the job */
			unknown(r);
			break;
		}
		i += used;
	}
	if (info)
		info->panel_off = r->panel_off;
	if (!r->failed && line_flush(r) == 0 && paper_reserve(r, r->y + TOP_MARGIN) == 0) {
		struct raster paper = {r->dots, r->rows, r->stride, r->paper};

		rc = raster_save_png(&paper, r->y + TOP_MARGIN, png_path, why, sizeof why);
		if (rc < 0)
			fail(r, why, NULL);
	}
out:
	escpos_font_close(&r->font);
	if (we_init)
		TTF_Quit();
	free(r->qr);
	free(r->paper);
	free(r);
	return rc;
}
