/* The draw list (ui.h): the toolkit's drawing calls append commands here, each with the
 * rectangle it may change and a hash of what decides its pixels; ui_render.c draws them. The
 * list's memory grows to a screen's size once and is reused; what it drops is wiped first,
 * since it holds what a customer was shown. */
#include <stdlib.h>
#include <string.h>

#include "ui_render.h"

void ui_list_wipe(struct ui_list *l)
{
	if (l->cmd)
		explicit_bzero(l->cmd, (size_t)l->cap * sizeof(*l->cmd));
	if (l->text)
		explicit_bzero(l->text, l->text_cap);
	l->n = 0;
	l->text_len = 0;
}

/* A buffer grown to at least `need` bytes: copied, and the old one wiped before it is freed
 * (it may hold what a customer was shown). */
static void *grow(void *p, size_t used, size_t *cap, size_t need, size_t min)
{
	size_t n = *cap ? *cap : min;
	while (n < need)
		n *= 2;
	unsigned char *q = malloc(n);
	if (!q)
		return NULL;
	if (p) {
		memcpy(q, p, used);
		explicit_bzero(p, *cap);
		free(p);
	}
	*cap = n;
	return q;
}

static struct ui_cmd *cmd_add(struct ui *ui, enum ui_cmd_type type, struct ui_rect bounds)
{
	struct ui_list *l = &ui->list;
	if (l->n == l->cap) {
		size_t cap = (size_t)l->cap * sizeof(*l->cmd);
		void *p = grow(l->cmd, (size_t)l->n * sizeof(*l->cmd), &cap, cap + 1, 256 * sizeof(*l->cmd));
		if (!p) {
			l->lost = 1;
			return NULL;
		}
		l->cmd = p;
		l->cap = (int)(cap / sizeof(*l->cmd));
	}
	struct ui_cmd *c = &l->cmd[l->n++];
	memset(c, 0, sizeof(*c));
	c->type = type;
	c->r = bounds;
	return c;
}

/* A command's string, kept in the list. -1 (the command dropped) if it does not fit. */
static int cmd_text(struct ui *ui, struct ui_cmd *c, const char *s)
{
	struct ui_list *l = &ui->list;
	size_t n = strlen(s);
	if (l->text_len + n + 1 > l->text_cap) {
		void *p = grow(l->text, l->text_len, &l->text_cap, l->text_len + n + 1, 4096);
		if (!p) {
			l->lost = 1;
			l->n--;
			return -1;
		}
		l->text = p;
	}
	memcpy(l->text + l->text_len, s, n + 1);
	c->text = (unsigned)l->text_len;
	c->len = (unsigned)n;
	l->text_len += n + 1;
	return 0;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

/* The command's hash: everything that decides its pixels. */
static void cmd_seal(struct ui *ui, struct ui_cmd *c)
{
	uint32_t col = (uint32_t)c->c.r << 24 | (uint32_t)c->c.g << 16 | (uint32_t)c->c.b << 8 | c->c.a;
	int32_t v[] = {(int32_t)c->type, c->r.x,     c->r.y,     c->r.w,     c->r.h,
		       c->shape.x,       c->shape.y, c->shape.w, c->shape.h, (int32_t)col,
		       c->rad,           c->thick,   c->x,       c->y,       c->px,
		       (int32_t)c->font, c->bold};
	uint64_t h = fnv(0xcbf29ce484222325ull, v, sizeof(v));
	if (c->type == UI_CMD_TEXT || c->type == UI_CMD_QR)
		h = fnv(h, ui->list.text + c->text, c->len);
	c->hash = h;
}

static struct ui_rect rect_union(struct ui_rect a, struct ui_rect b)
{
	int x0 = a.x < b.x ? a.x : b.x, y0 = a.y < b.y ? a.y : b.y;
	int x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w,
	    y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
	return (struct ui_rect){x0, y0, x1 - x0, y1 - y0};
}

/* Its bounds are those of the pieces it is drawn with (ui_shape_parts). */
void ui_list_shape(struct ui *ui, enum ui_cmd_type type, struct ui_rect r, int rad, int thick, struct rgba c)
{
	struct ui_cmd *k = cmd_add(ui, type, ui_fill_box(r));
	if (!k)
		return;
	k->shape = r;
	k->rad = rad;
	k->thick = thick;
	k->c = c;
	struct ui_rect fills[4], corners[4];
	int nc, nf = ui_shape_parts(k, fills, corners, &nc);
	for (int i = 0; i < nf; i++)
		k->r = rect_union(k->r, ui_fill_box(fills[i]));
	for (int i = 0; i < nc; i++)
		k->r = rect_union(k->r, corners[i]);
	cmd_seal(ui, k);
}

void ui_list_text(struct ui *ui, int x, int y, int w, int h, enum font_size f, int bold, struct rgba c,
		  const char *s)
{
	struct ui_cmd *k = cmd_add(ui, UI_CMD_TEXT, (struct ui_rect){x, y, w, h});
	if (!k || cmd_text(ui, k, s) != 0)
		return;
	k->x = x;
	k->y = y;
	k->font = f;
	k->bold = bold ? 1 : 0;
	k->c = c;
	k->px = ui->look; /* the fonts it is drawn with (ui_set_look) */
	cmd_seal(ui, k);
}

void ui_list_clear(struct ui *ui, struct rgba bg)
{
	ui->list.n = 0;
	ui->list.text_len = 0;
	ui->list.lost = 0;
	bg.a = 0xFF;
	struct ui_cmd *k = cmd_add(ui, UI_CMD_CLEAR, (struct ui_rect){0, 0, ui->w, ui->h});
	if (!k)
		return;
	k->shape = k->r;
	k->c = bg;
	cmd_seal(ui, k);
}

void ui_list_fill(struct ui *ui, struct ui_rect r, struct rgba c)
{
	struct ui_cmd *k = cmd_add(ui, UI_CMD_FILL, ui_fill_box(r));
	if (!k)
		return;
	k->shape = r;
	k->c = c;
	cmd_seal(ui, k);
}

void ui_list_qr(struct ui *ui, int x, int y, int side, int px, const char *payload)
{
	struct ui_cmd *k = cmd_add(ui, UI_CMD_QR, (struct ui_rect){x, y, side, side});
	if (!k || cmd_text(ui, k, payload) != 0)
		return;
	k->x = x;
	k->y = y;
	k->px = px;
	cmd_seal(ui, k);
}
