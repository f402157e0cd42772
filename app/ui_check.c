/* The accessibility check over a frame (ui.h: ui_check_accessible), for the headless harness's
 * `expect-accessible`: every text's size and contrast, control outlines, touch target sizes and
 * spacing, nothing cut with "…" or off the screen. It reads the frame's text boxes, hit boxes and
 * draw list; nothing here runs in a normal frame. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"

int ui_min_text_px(int w, int h)
{
	int s = w < h ? w : h;
	if (s >= 1080)
		return 32;
	if (s >= 800)
		return 28 + 4 * (s - 800) / 280;
	return 28 * s / 800;
}

int ui_min_target_px(int w, int h)
{
	int s = w < h ? w : h;
	if (s >= 1080)
		return 96;
	if (s >= 800)
		return 90 + 6 * (s - 800) / 280;
	return 90 * s / 800;
}

int ui_min_gap_px(int w, int h)
{
	/* 2 mm: a 21.5" 1080x1920 kiosk has ~4 px/mm, a 10.1" 1280x800 tablet ~6 px/mm */
	int s = w < h ? w : h;
	return s >= 1080 ? 8 : 12;
}


static double channel(uint8_t v)
{
	double c = v / 255.0;
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(struct rgba c)
{
	return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double ui_contrast(struct rgba a, struct rgba b)
{
	double la = luminance(a), lb = luminance(b);
	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

static int contains(struct ui_rect out, struct ui_rect in)
{
	return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w && in.y + in.h <= out.y + out.h;
}

static int same(struct ui_rect a, struct ui_rect b) { return a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h; }

static uint8_t mix(uint8_t top, uint8_t under, uint8_t a) { return (uint8_t)((top * a + under * (255 - a) + 127) / 255); }

struct rgba ui_behind(const struct ui *ui, struct ui_rect r, int before, const struct ui_rect *skip)
{
	struct rgba col = {0, 0, 0, 0xFF};
	if (before > ui->list.n)
		before = ui->list.n;
	for (int i = 0; i < before; i++) {
		const struct ui_cmd *c = &ui->list.cmd[i];
		if (c->type == UI_CMD_CLEAR) {
			col = c->c;
			col.a = 0xFF;
		} else if ((c->type == UI_CMD_FILL || c->type == UI_CMD_ROUND) && contains(c->shape, r) &&
			   !(skip && same(c->shape, *skip))) {
			col = (struct rgba){mix(c->c.r, col.r, c->c.a), mix(c->c.g, col.g, c->c.a), mix(c->c.b, col.b, c->c.a),
					    0xFF};
		}
	}
	return col;
}

static int failf(char *msg, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int failf(char *msg, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, n, fmt, ap);
	va_end(ap);
	return 1;
}

int ui_check_accessible(struct ui *ui, struct ui_access *worst, char *msg, size_t n)
{
	struct ui_access w = {1 << 20, 1 << 20, 1 << 20, 99.0, 99.0};
	int min_px = ui_min_text_px(ui->w, ui->h), min_t = ui_min_target_px(ui->w, ui->h);
	int min_gap = ui_min_gap_px(ui->w, ui->h);
	double min_ratio = ui->high_contrast ? 7.0 : 4.5;
	int bad = 0;
	msg[0] = 0;
	for (int i = 0; i < ui->nboxes; i++) {
		const struct ui_text_box *b = &ui->boxes[i];
		struct rgba bg = ui_behind(ui, b->r, b->cmd, NULL);
		double cr = ui_contrast(b->fg, bg);
		if (b->px < w.text_px)
			w.text_px = b->px;
		if (cr < w.text_ratio)
			w.text_ratio = cr;
		if (bad)
			continue;
		if (b->px < min_px)
			bad = failf(msg, n, "text \"%s\" at %d %d size %dx%d: font %d px, under %d px", b->text, b->r.x,
				    b->r.y, b->r.w, b->r.h, b->px, min_px);
		else if (cr < min_ratio)
			bad = failf(msg, n,
				    "text \"%s\" at %d %d size %dx%d: contrast %.2f:1 (#%02X%02X%02X on #%02X%02X%02X), "
				    "under %.1f:1",
				    b->text, b->r.x, b->r.y, b->r.w, b->r.h, cr, b->fg.r, b->fg.g, b->fg.b, bg.r, bg.g, bg.b,
				    min_ratio);
		else if (b->cut == 1)
			bad = failf(msg, n, "text \"%s\" at %d %d size %dx%d: cut with \"…\"", b->text, b->r.x, b->r.y,
				    b->r.w, b->r.h);
		else if (b->r.x < 0 || b->r.y < 0 || b->r.x + b->r.w > ui->w || b->r.y + b->r.h > ui->h)
			bad = failf(msg, n, "text \"%s\" at %d %d size %dx%d: off the %dx%d screen", b->text, b->r.x,
				    b->r.y, b->r.w, b->r.h, ui->w, ui->h);
	}
	for (int i = 0; i < ui->list.n; i++) {
		const struct ui_cmd *c = &ui->list.cmd[i];
		if (c->type != UI_CMD_OUTLINE)
			continue;
		struct rgba out = ui_behind(ui, c->shape, i, &c->shape), in = ui_behind(ui, c->shape, i, NULL);
		double a = ui_contrast(c->c, out), b = ui_contrast(c->c, in), cr = a < b ? a : b;
		if (cr < w.outline_ratio)
			w.outline_ratio = cr;
		if (!bad && cr < 3.0)
			bad = failf(msg, n,
				    "outline at %d %d size %dx%d: contrast %.2f:1 (#%02X%02X%02X against #%02X%02X%02X), "
				    "under 3:1",
				    c->shape.x, c->shape.y, c->shape.w, c->shape.h, cr, c->c.r, c->c.g, c->c.b,
				    (a < b ? out : in).r, (a < b ? out : in).g, (a < b ? out : in).b);
	}
	for (int i = 0; i < ui->nhits; i++) {
		const struct ui_hit *h = &ui->hits[i];
		int side = h->r.w < h->r.h ? h->r.w : h->r.h;
		if (side < w.target_px)
			w.target_px = side;
		if (!bad && side < min_t)
			bad = failf(msg, n, "control \"%s\" at %d %d size %dx%d: %d px, under %d px", h->label, h->r.x,
				    h->r.y, h->r.w, h->r.h, side, min_t);
		/* a control the screen's edge cuts (part of it, its check box, not shown) */
		if (!bad && (h->r.x < 0 || h->r.y < 0 || h->r.x + h->r.w > ui->w || h->r.y + h->r.h > ui->h))
			bad = failf(msg, n, "control \"%s\" at %d %d size %dx%d: off the %dx%d screen", h->label, h->r.x,
				    h->r.y, h->r.w, h->r.h, ui->w, ui->h);
		for (int j = i + 1; j < ui->nhits; j++) {
			const struct ui_hit *k = &ui->hits[j];
			/* a control on top of another (a row's button, the attract screen's whole-screen
			 * touch) is inside it: the outer one's target is what is left around it */
			if (contains(h->r, k->r) || contains(k->r, h->r))
				continue;
			int dx = h->r.x < k->r.x ? k->r.x - (h->r.x + h->r.w) : h->r.x - (k->r.x + k->r.w);
			int dy = h->r.y < k->r.y ? k->r.y - (h->r.y + h->r.h) : h->r.y - (k->r.y + k->r.h);
			int gap = dx > dy ? dx : dy;
			if (gap < w.gap_px)
				w.gap_px = gap;
			if (!bad && gap < min_gap)
				bad = failf(msg, n,
					    "controls \"%s\" at %d %d size %dx%d and \"%s\" at %d %d size %dx%d: %d px apart, "
					    "under %d px (2 mm)",
					    h->label, h->r.x, h->r.y, h->r.w, h->r.h, k->label, k->r.x, k->r.y, k->r.w, k->r.h,
					    gap, min_gap);
		}
	}
	if (worst)
		*worst = w;
	return bad;
}
