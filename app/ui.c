/* The kiosk toolkit. See ui.h for the model (immediate mode, hit boxes with labels). */
#include "ui.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui_render.h"

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
	ui->next_look = -1;
	ui->text = ui->fonts[UI_LOOK_NORMAL] = text_open(r, font_dir, ui->s, err, errn);
	return ui->text ? 0 : -1;
}

int ui_resize(struct ui *ui, int w, int h, char *err, size_t errn)
{
	float s = scale_for(w, h);
	ui->w = w;
	ui->h = h;
	ui->portrait = h >= w;
	if (fabsf(s - ui->s) < 0.001f && ui->text && !ui->fonts[UI_LOOK_CUSTOMER] && !ui->fonts[UI_LOOK_LARGE])
		return 0;
	struct text *t = text_open(ui->r, ui->font_dir, s, err, errn);
	if (!t)
		return -1;
	ui_look_close(ui); /* the customer's minimum depends on the size too: reopened when used */
	ui->text = ui->fonts[UI_LOOK_NORMAL] = t;
	ui->look = UI_LOOK_NORMAL;
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
	ui_render_close(ui);
	ui_list_wipe(&ui->list);
	free(ui->list.cmd);
	free(ui->list.text);
	ui_look_close(ui);
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

static void box_add(struct ui *ui, int x, int y, int w, int h, int cut, const char *s, enum font_size f,
		    struct rgba c)
{
	if (ui->nboxes >= UI_BOXES_MAX)
		return;
	struct ui_text_box *b = &ui->boxes[ui->nboxes++];
	b->r = (struct ui_rect){x, y, w, h};
	b->cut = cut;
	b->px = text_font_px(ui->text, f);
	b->fg = c;
	b->cmd = ui->list.n;
	snprintf(b->text, sizeof(b->text), "%s", s);
}

void ui_set_target(struct ui *ui, SDL_Surface *fb)
{
	fb = fb && fb->format->BytesPerPixel == 4 && !SDL_MUSTLOCK(fb) ? fb : NULL;
	if (fb != ui->fb)
		ui_invalidate(ui); /* the new target does not hold the last frame */
	ui->fb = fb;
	for (int i = 0; i < 3; i++)
		if (ui->fonts[i])
			text_set_target(ui->fonts[i], ui->fb);
}

void ui_begin(struct ui *ui, struct rgba bg)
{
	ui->nhits = 0;
	ui->nboxes = 0;
	ui->page_rows = 0;
	ui->modal = 0;
	ui->seen_len = 0;
	ui->seen[0] = 0;
	/* the look asked for this frame (ui_set_look), else the normal one */
	int look = ui->next_look >= 0 ? ui->next_look : UI_LOOK_NORMAL;
	if (ui->next_look < 0)
		bg = theme_to_normal(bg);
	if (!ui_look_fonts(ui, look))
		look = UI_LOOK_NORMAL; /* a font that cannot be opened: the normal sizes still work */
	ui->look = look;
	ui->text = ui->fonts[look];
	ui->high_contrast = ui->next_look >= 0 && ui->next_hc;
	theme_cur = ui->high_contrast ? &theme_high_contrast : &theme_normal;
	ui->min_target = ui->next_look >= 0 ? ui_min_target_px(ui->w, ui->h) : 0;
	ui->next_look = -1;
	ui_list_clear(ui, bg);
}

void ui_fill(struct ui *ui, struct ui_rect r, struct rgba c) { ui_list_fill(ui, r, c); }

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
	ui_list_shape(ui, UI_CMD_ROUND, r, clamp_rad(r, rad), 0, c);
}

void ui_round_outline(struct ui *ui, struct ui_rect r, int rad, int thick, struct rgba c)
{
	rad = clamp_rad(r, rad);
	if (thick < 1)
		thick = 1;
	if (rad < thick)
		rad = thick;
	ui_list_shape(ui, UI_CMD_OUTLINE, r, rad, thick, c);
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
	box_add(ui, x, y, w, h, 0, s, f, c);
	ui_list_text(ui, x, y, w, h, f, bold, c, s);
	return w;
}

int ui_label_fit(struct ui *ui, int x, int y, int max_w, enum font_size f, int bold, struct rgba c,
		 enum ui_align a, const char *s)
{
	int w, h = 0;
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
		text_measure(ui->text, f, bold, buf, &w, &h);
		if (w <= max_w)
			break;
	}
	seen_add(ui, s); /* the full text counts as seen for tests: the visible part is a prefix */
	if (a == UI_CENTER)
		x -= w / 2;
	else if (a == UI_RIGHT)
		x -= w;
	box_add(ui, x, y, w, ui_line_h(ui, f), 1, s, f, c);
	ui_list_text(ui, x, y, w, h, f, bold, c, buf);
	return w;
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
	/* lines of a bold paragraph are as tall as its face: they never overlap */
	struct para_ctx p = {ui, r, f, bold, c, a, text_line_height_of(ui->text, f, bold)};
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
	h->disabled = 0;
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
		fg = THEME_DISABLED_FG; /* still readable: >= 4.5:1 (7:1 in high contrast) */
		line = st == UI_SECONDARY || ui->high_contrast ? THEME_DISABLED_FG : line;
	}
	int pressed = enabled && is_pressed(ui, r);
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
	int lh = ui_line_h(ui, f), lw, mw = r.w - ui_px(ui, 2 * SP_S);
	int nl = 1;
	text_measure(ui->text, f, 1, label, &lw, NULL);
	if (lw > mw && ui->min_target) /* customer screens: a label wraps rather than being cut */
		nl = text_wrap(ui->text, f, 1, label, mw, NULL, NULL);
	if (nl > 1 && nl * text_line_height_of(ui->text, f, 1) <= r.h)
		ui_para(ui, (struct ui_rect){r.x + ui_px(ui, SP_S), r.y + (r.h - nl * text_line_height_of(ui->text, f, 1)) / 2,
					     mw, 0},
			f, 1, fg, UI_CENTER, label);
	else
		ui_label_fit(ui, r.x + r.w / 2, r.y + (r.h - lh) / 2, mw, f, 1, fg, UI_CENTER, label);
	/* disabled, it still takes its touches (nothing beneath acts): the activity may say why */
	int before = ui->nhits;
	ui_hit(ui, r, act, label);
	if (!enabled && ui->nhits > before)
		ui->hits[ui->nhits - 1].disabled = 1;
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
	/* the name wraps rather than being cut (ui_chip_height makes the room) */
	int nw = r.w - ui_px(ui, SP_S);
	int h1 = ui_line_h(ui, FONT_TITLE),
	    h2 = name ? text_wrap(ui->text, FONT_CAPTION, 0, name, nw, NULL, NULL) * ui_line_h(ui, FONT_CAPTION) : 0;
	/* not by colour alone: a check mark too, in the corner, or when the chip is too narrow for
	 * both, under the code (a chip without a name: ui_chip_height(.., "✓")) */
	int cw, mw;
	text_measure(ui->text, FONT_TITLE, 1, code, &cw, NULL);
	text_measure(ui->text, FONT_SMALL, 1, "✓", &mw, NULL);
	int inline_mark = selected && !name && (r.w - cw) / 2 < ui_px(ui, SP_S) + mw + ui_px(ui, SP_XS);
	if (inline_mark)
		h2 = ui_line_h(ui, FONT_CAPTION);
	int y = r.y + (r.h - h1 - h2) / 2;
	ui_label_fit(ui, r.x + r.w / 2, y, r.w - ui_px(ui, SP_S), FONT_TITLE, 1, fg, UI_CENTER, code);
	if (inline_mark)
		ui_label(ui, r.x + r.w / 2, y + h1, FONT_CAPTION, 1, fg, UI_CENTER, "✓");
	if (name)
		ui_para(ui, (struct ui_rect){r.x + ui_px(ui, SP_S) / 2, y + h1, nw, 0}, FONT_CAPTION, 0, fg2, UI_CENTER,
			name);
	if (selected && !inline_mark)
		ui_label(ui, r.x + ui_px(ui, SP_S), r.y + ui_px(ui, SP_XS), FONT_SMALL, 1, fg, UI_LEFT, "✓");
	ui_hit(ui, r, act, code);
}

int ui_chip_height(struct ui *ui, int w, const char *name)
{
	int nl = name ? text_wrap(ui->text, FONT_CAPTION, 0, name, w - ui_px(ui, SP_S), NULL, NULL) : 0;
	return ui_line_h(ui, FONT_TITLE) + nl * ui_line_h(ui, FONT_CAPTION) + 2 * ui_px(ui, SP_XS);
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
		if (i == 11 && dv_key) { /* "-" over its caption, the two centred as one */
			int ch = ui_line_h(ui, FONT_CAPTION), ty = k.y + (kh - lh - ch) / 2;
			ui_label(ui, k.x + kw / 2, ty, f, 1, THEME_TEXT, UI_CENTER, label);
			ui_label_fit(ui, k.x + kw / 2, ty + lh, kw - ui_px(ui, SP_S), FONT_CAPTION, 0, THEME_MUTED, UI_CENTER,
				     tr(STR_KEY_DV));
		} else {
			ui_label(ui, k.x + kw / 2, k.y + (kh - lh) / 2, f, i != 11, THEME_TEXT, UI_CENTER, label);
		}
		ui_hit(ui, k, act, label);
	}
}

void ui_tabs(struct ui *ui, struct ui_rect r, const char *const *labels, const struct ui_action *acts,
	     int n, int active)
{
	if (n <= 0)
		return;
	/* customer screens keep their targets 2 mm apart (ui_set_look) */
	int sep = ui->min_target ? ui_min_gap_px(ui->w, ui->h) : 0;
	int w = (r.w - (n - 1) * sep) / n;
	for (int i = 0; i < n; i++) {
		struct ui_rect t = {r.x + i * (w + sep), r.y, w, r.h};
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

struct ui_rect ui_dialog(struct ui *ui, int w, int h)
{
	ui_fill(ui, (struct ui_rect){0, 0, ui->w, ui->h}, THEME_SCRIM);
	ui->nhits = 0; /* modal: nothing underneath can be touched */
	ui->modal = 1;
	ui->nboxes = 0; /* nor laid out against: the card covers it */
	struct ui_rect r = {(ui->w - w) / 2, (ui->h - h) / 2, w, h};
	ui_round(ui, r, ui_px(ui, RADIUS * 2), THEME_SURFACE);
	int pad = ui_px(ui, SP_L);
	return (struct ui_rect){r.x + pad, r.y + pad, r.w - 2 * pad, r.h - 2 * pad};
}

int ui_banner_height(struct ui *ui, int w, const char *text)
{
	int pad = ui_px(ui, SP_M), icon_w = ui_px(ui, 56);
	if (!text || !text[0])
		return 0;
	return text_wrap(ui->text, FONT_BODY, 0, text, w - 2 * pad - icon_w, NULL, NULL) * ui_line_h(ui, FONT_BODY) +
	       2 * pad;
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
	int h = ui_banner_height(ui, r.w, text);
	ui_round(ui, (struct ui_rect){r.x, r.y, r.w, h}, ui_px(ui, RADIUS), bg);
	ui_fill(ui, (struct ui_rect){r.x, r.y, ui_px(ui, 10), h}, fg);
	ui_label(ui, r.x + pad, r.y + pad, FONT_BODY, 1, fg, UI_LEFT, icons[kind]);
	ui_para(ui, inner, FONT_BODY, 0, THEME_TEXT, UI_LEFT, text);
	return h;
}

void ui_forget(struct ui *ui)
{
	for (int i = 0; i < 3; i++)
		if (ui->fonts[i])
			text_forget(ui->fonts[i]);
	for (int i = 0; i < UI_QR_CACHE; i++) {
		if (ui->qr[i].tex)
			SDL_DestroyTexture(ui->qr[i].tex);
		if (ui->qr[i].dark)
			explicit_bzero(ui->qr[i].dark, (size_t)ui->qr[i].modules * (size_t)ui->qr[i].modules);
		free(ui->qr[i].dark);
		explicit_bzero(&ui->qr[i], sizeof(ui->qr[i]));
	}
	ui_render_forget(ui);
	ui_list_wipe(&ui->list); /* the draw list holds the session's text and QR payloads */
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

/* Among the controls with that disabled flag: exact label, then a unique substring. *any: 1
 * when one of them has the label whole or in part. */
static const struct ui_hit *hit_by_label(const struct ui *ui, const char *label, int disabled, int *any)
{
	*any = 0;
	for (int i = ui->nhits - 1; i >= 0; i--)
		if (ui->hits[i].disabled == disabled && !strcmp(ui->hits[i].label, label))
			return *any = 1, &ui->hits[i];
	const struct ui_hit *found = NULL;
	for (int i = 0; i < ui->nhits; i++) {
		if (ui->hits[i].disabled == disabled && ui->hits[i].label[0] &&
		    strstr(ui->hits[i].label, label)) {
			*any = 1;
			if (found)
				return NULL;
			found = &ui->hits[i];
		}
	}
	return found;
}

const struct ui_hit *ui_hit_by_label(const struct ui *ui, const char *label)
{
	int any;
	return hit_by_label(ui, label, 0, &any);
}

const struct ui_hit *ui_hit_by_label_any(const struct ui *ui, const char *label)
{
	int any;
	const struct ui_hit *h = hit_by_label(ui, label, 0, &any);
	return h || any ? h : hit_by_label(ui, label, 1, &any);
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
