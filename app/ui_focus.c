/* Keyboard focus for every activity (ui.h): which control the keys act on, and its ring.
 * A control exists only for the frame that drew it, so the focus is remembered by the
 * control's action (a document row's "toggle document 3", the keypad's "5") and found again
 * in each new frame; when that control is gone, the one now at its place takes the focus. */
#include "ui.h"
#include "ui_render.h"

static int focusable(const struct ui_hit *h) { return h->label[0] != 0; }

static int same_act(struct ui_action a, struct ui_action b) { return a.action == b.action && a.arg == b.arg; }

/* The focused control's index in ui->hits, or -1; *ord gets its place among the focusable. */
static int find(const struct ui *ui, int *ord)
{
	if (!ui->focus.on)
		return -1;
	int n = 0, at_index = -1, at_ord = -1;
	for (int i = 0; i < ui->nhits; i++) {
		if (!focusable(&ui->hits[i]))
			continue;
		if (same_act(ui->hits[i].act, ui->focus.act)) {
			*ord = n;
			return i;
		}
		if (n == ui->focus.index) {
			at_index = i;
			at_ord = n;
		}
		n++;
	}
	if (at_index < 0 && n > 0) { /* fewer controls than before: the last one */
		for (int i = ui->nhits - 1; i >= 0; i--)
			if (focusable(&ui->hits[i])) {
				at_index = i;
				at_ord = n - 1;
				break;
			}
	}
	*ord = at_ord;
	return at_index;
}

const struct ui_hit *ui_focus_hit(struct ui *ui)
{
	int ord;
	int i = find(ui, &ord);
	if (i < 0)
		return NULL;
	ui->focus.act = ui->hits[i].act; /* the control at its place now holds it */
	ui->focus.index = ord;
	return &ui->hits[i];
}

const struct ui_hit *ui_focus_move(struct ui *ui, int dir)
{
	int idx[UI_MAX_HITS], n = 0;
	for (int i = 0; i < ui->nhits; i++)
		if (focusable(&ui->hits[i]))
			idx[n++] = i;
	if (n == 0)
		return NULL;
	int ord = -1;
	find(ui, &ord);
	if (ord < 0)
		ord = dir > 0 ? 0 : n - 1;
	else
		ord = ((ord + (dir > 0 ? 1 : -1)) % n + n) % n;
	ui->focus.on = 1;
	ui->focus.act = ui->hits[idx[ord]].act;
	ui->focus.index = ord;
	return &ui->hits[idx[ord]];
}

int ui_focus_set(struct ui *ui, struct ui_action act)
{
	int n = 0;
	for (int i = 0; i < ui->nhits; i++) {
		if (!focusable(&ui->hits[i]))
			continue;
		if (same_act(ui->hits[i].act, act)) {
			ui->focus.on = 1;
			ui->focus.act = act;
			ui->focus.index = n;
			return 1;
		}
		n++;
	}
	return 0;
}

void ui_focus_clear(struct ui *ui)
{
	ui->focus.on = 0;
	ui->focus.act = (struct ui_action){0, 0};
	ui->focus.index = 0;
}

/* The colour under pixel (x, y) of this frame so far (ui_behind over the whole list). */
static struct rgba color_at(const struct ui *ui, int x, int y)
{
	struct ui_rect px = {x, y, 1, 1};
	return ui_behind(ui, px, ui->list.n, NULL);
}

static struct rgba against(struct rgba c)
{
	static const struct rgba black = {0, 0, 0, 0xFF}, white = {0xFF, 0xFF, 0xFF, 0xFF};
	return ui_contrast(black, c) >= ui_contrast(white, c) ? black : white;
}

void ui_focus_draw(struct ui *ui)
{
	const struct ui_hit *h = ui_focus_hit(ui);
	if (!h)
		return;
	int t = ui_px(ui, 6) < 3 ? 3 : ui_px(ui, 6); /* each band >= 3 px */
	struct ui_rect r = h->r;
	/* a control reaching the screen's edge (the attract screen's whole-screen touch) gets
	 * its ring inside */
	int in = r.x - 2 * t < 0 || r.y - 2 * t < 0 || r.x + r.w + 2 * t > ui->w || r.y + r.h + 2 * t > ui->h;
	struct ui_rect inner, outer;
	struct rgba ctl, around;
	if (in) {
		outer = (struct ui_rect){r.x, r.y, r.w, r.h};
		inner = (struct ui_rect){r.x + t, r.y + t, r.w - 2 * t, r.h - 2 * t};
		around = color_at(ui, r.x + r.w / 2, r.y + 2 * t + 1);
		ctl = around;
	} else {
		inner = (struct ui_rect){r.x - t, r.y - t, r.w + 2 * t, r.h + 2 * t};
		outer = (struct ui_rect){r.x - 2 * t, r.y - 2 * t, r.w + 4 * t, r.h + 4 * t};
		ctl = color_at(ui, r.x + r.w / 2, r.y + 1);
		around = color_at(ui, r.x + r.w / 2, outer.y - 1);
	}
	int rad = ui_px(ui, RADIUS);
	ui_round_outline(ui, outer, rad + 2 * t, t, against(around));
	ui_round_outline(ui, inner, rad + t, t, against(ctl));
}
