/* Pantalla (maint-screen): the touch test grid (app/maint_touch.c: cells of a touch target
 * over the screen below the title bar, each touch marks its cell and leaves a dot, the last
 * coordinates shown, the cells never touched reported when the technician ends the test),
 * colour bars, and a white and a black screen for dead pixels (a touch anywhere comes back).
 * docs/maintenance.md "Pantalla". */
#include "maint.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "maint_touch.h"

enum mode { M_HOME, M_TOUCH, M_TOUCH_DONE, M_BARS, M_WHITE, M_BLACK };
enum { ACT_TOUCH, ACT_BARS, ACT_WHITE, ACT_BLACK, ACT_GRID, ACT_END, ACT_BACK };

struct display_st {
	enum mode mode;
	struct mtouch t;
	int dead;
	char dead_text[240];
	enum maint_level lv;
	char note[420];
};

static void enter(struct app *a, void *vst)
{
	struct display_st *st = vst;
	(void)a;
	st->lv = MAINT_INFO;
	snprintf(st->note, sizeof(st->note), "%s", tr(STR_MS_HOWTO));
}

static void end_test(struct app *a, struct display_st *st)
{
	char detail[64];
	int cells = st->t.cols * st->t.rows;
	st->dead = mtouch_dead_text(&st->t, st->dead_text, sizeof(st->dead_text));
	snprintf(detail, sizeof(detail), "dead=%d cells=%d", st->dead, cells);
	maint_audit(a, "screen.touch_test", st->dead ? "failed" : "ok", detail);
	if (st->dead) {
		st->lv = MAINT_FAIL;
		snprintf(st->note, sizeof(st->note), tr(STR_MS_RESULT_DEAD), st->dead, cells);
	} else {
		st->lv = MAINT_OK;
		snprintf(st->note, sizeof(st->note), tr(STR_MS_RESULT_OK), cells);
	}
	st->mode = M_TOUCH_DONE;
}

static void handle(struct app *a, void *vst, const struct act_event *e)
{
	struct display_st *st = vst;
	if (e->type != ACT_ACTION || e->act.action < MAINT_ACT_SCREEN)
		return;
	switch (e->act.action - MAINT_ACT_SCREEN) {
	case ACT_TOUCH:
		st->mode = M_TOUCH;
		st->t.cols = 0; /* laid out at the next draw, over the body it gets */
		break;
	case ACT_GRID:
		if (st->mode == M_TOUCH)
			mtouch_touch(&st->t, e->x, e->y);
		break;
	case ACT_END:
		if (st->mode == M_TOUCH)
			end_test(a, st);
		break;
	case ACT_BACK: /* from the test's result, or a touch on a full screen */
		switch (st->mode) {
		case M_BARS:
			maint_audit(a, "screen.colour_bars", "ok", "");
			snprintf(st->note, sizeof(st->note), "%s", tr(STR_MS_BARS_DONE));
			st->lv = MAINT_OK;
			break;
		case M_WHITE:
			maint_audit(a, "screen.white", "ok", "");
			snprintf(st->note, sizeof(st->note), "%s", tr(STR_MS_WHITE_DONE));
			st->lv = MAINT_OK;
			break;
		case M_BLACK:
			maint_audit(a, "screen.black", "ok", "");
			snprintf(st->note, sizeof(st->note), "%s", tr(STR_MS_BLACK_DONE));
			st->lv = MAINT_OK;
			break;
		default:
			break;
		}
		if (st->mode == M_TOUCH_DONE && st->dead) { /* the whole result stays on the screen's page */
			size_t used = strlen(st->note);
			snprintf(st->note + used, sizeof(st->note) - used, " ");
			used = strlen(st->note);
			snprintf(st->note + used, sizeof(st->note) - used, tr(STR_MS_DEAD_AT), st->dead_text);
		}
		st->mode = M_HOME;
		break;
	case ACT_BARS:
		st->mode = M_BARS;
		break;
	case ACT_WHITE:
		st->mode = M_WHITE;
		break;
	case ACT_BLACK:
		st->mode = M_BLACK;
		break;
	default:
		return;
	}
	maint_dirty(a);
}

/* Labels drawn over a colour: dark on light bars, light on dark ones. */
static void bars(struct ui *ui, struct ui_rect body)
{
	static const struct {
		struct rgba c;
		enum str_id name;
		int dark_text;
	} b[] = {
		{{0xFF, 0xFF, 0xFF, 0xFF}, STR_MS_C_WHITE, 1},
		{{0xFF, 0xFF, 0x00, 0xFF}, STR_MS_C_YELLOW, 1},
		{{0x00, 0xFF, 0xFF, 0xFF}, STR_MS_C_CYAN, 1},
		{{0x00, 0xFF, 0x00, 0xFF}, STR_MS_C_GREEN, 1},
		{{0xFF, 0x00, 0xFF, 0xFF}, STR_MS_C_MAGENTA, 0},
		{{0xFF, 0x00, 0x00, 0xFF}, STR_MS_C_RED, 0},
		{{0x00, 0x00, 0xFF, 0xFF}, STR_MS_C_BLUE, 0},
		{{0x00, 0x00, 0x00, 0xFF}, STR_MS_C_BLACK, 0},
	};
	const int n = (int)(sizeof(b) / sizeof(b[0]));
	int pad = ui_px(ui, 12), lh = ui_line_h(ui, FONT_SMALL);
	for (int i = 0; i < n; i++) {
		struct ui_rect r;
		if (ui->portrait) { /* bands across: each name fits its band's width */
			int y0 = body.y + body.h * i / n, y1 = body.y + body.h * (i + 1) / n;
			r = (struct ui_rect){body.x, y0, body.w, y1 - y0};
		} else {
			int x0 = body.x + body.w * i / n, x1 = body.x + body.w * (i + 1) / n;
			r = (struct ui_rect){x0, body.y, x1 - x0, body.h};
		}
		ui_fill(ui, r, b[i].c);
		struct rgba tc =
			b[i].dark_text ? (struct rgba){0, 0, 0, 0xFF} : (struct rgba){0xFF, 0xFF, 0xFF, 0xFF};
		ui_label_fit(ui, r.x + pad, r.y + r.h - lh - pad, r.w - 2 * pad, FONT_SMALL, 1, tc, UI_LEFT,
			     tr(b[i].name));
	}
}

static void draw_grid(struct app *a, struct display_st *st, struct ui_rect grid)
{
	struct ui *ui = &a->ui;
	if (!mtouch_same_area(&st->t, grid.x, grid.y, grid.w, grid.h))
		mtouch_layout(&st->t, grid.x, grid.y, grid.w, grid.h, ui_px(ui, TOUCH_MIN));
	int line = ui_px(ui, 2) > 0 ? ui_px(ui, 2) : 1, done = st->mode == M_TOUCH_DONE;
	for (int i = 0; i < st->t.cols * st->t.rows; i++) {
		int x, y, w, h;
		mtouch_cell_rect(&st->t, i, &x, &y, &w, &h);
		struct ui_rect c = {x, y, w, h};
		ui_fill(ui, c, THEME_LINE); /* the cell's border: the inner fill leaves it */
		struct ui_rect in = {x + line, y + line, w - 2 * line, h - 2 * line};
		if (st->t.hit[i]) {
			ui_fill(ui, in, THEME_OK_BG);
		} else if (done) { /* a dead zone: red and a cross, not colour alone */
			ui_fill(ui, in, THEME_DANGER_BG);
			ui_label(ui, x + w / 2, y + (h - ui_line_h(ui, FONT_BODY)) / 2, FONT_BODY, 1,
				 THEME_DANGER, UI_CENTER, "×");
		} else {
			ui_fill(ui, in, THEME_SURFACE);
		}
	}
	int r = ui_px(ui, 10);
	for (int i = 0; i < st->t.ndots; i++) { /* where the fingers came up */
		int x, y;
		mtouch_dot(&st->t, i, &x, &y);
		ui_round(ui, (struct ui_rect){x - r, y - r, 2 * r, 2 * r}, r, THEME_BRAND);
	}
	if (!done)
		ui_hit(ui, grid, (struct ui_action){MAINT_ACT_SCREEN + ACT_GRID, 0}, tr(STR_MS_GRID));
}

static void draw(struct app *a, void *vst, struct ui_rect body)
{
	struct display_st *st = vst;
	struct ui *ui = &a->ui;
	char v[320];
	int gap = ui_px(ui, 16);

	/* the tests reach the screen's edges (where panels fail first): from body's top down to the
	 * bottom and across the whole width, over body's side and bottom margins, which nothing
	 * else draws in */
	struct ui_rect full = {0, body.y, ui->w, ui->h - body.y};
	switch (st->mode) {
	case M_WHITE:
	case M_BLACK:
	case M_BARS:
		if (st->mode == M_BARS)
			bars(ui, full);
		else
			ui_fill(ui, full,
				st->mode == M_WHITE ? (struct rgba){0xFF, 0xFF, 0xFF, 0xFF}
						    : (struct rgba){0x00, 0x00, 0x00, 0xFF});
		ui_hit(ui, full, (struct ui_action){MAINT_ACT_SCREEN + ACT_BACK, 0}, tr(STR_MS_TAP_BACK));
		return;
	case M_TOUCH:
	case M_TOUCH_DONE: {
		/* the bar at the bottom: the last touch (or the result) and the way out */
		int bh = ui_px(ui, TOUCH_MIN), bw = ui_px(ui, 360);
		int inset = body.x == 0 ? screen_pad(ui) : 0; /* full screen: keep off the panel's edge */
		struct ui_rect bar = {body.x + inset, body.y + body.h - bh - inset, body.w - 2 * inset, bh};
		struct ui_rect grid = {full.x, full.y, full.w, bar.y - gap - body.y};
		draw_grid(a, st, grid);
		int done = st->mode == M_TOUCH_DONE;
		ui_button(ui, (struct ui_rect){bar.x + bar.w - bw, bar.y, bw, bh},
			  tr(done ? STR_MS_BACK : STR_MS_END), done ? UI_SECONDARY : UI_PRIMARY,
			  (struct ui_action){MAINT_ACT_SCREEN + (done ? ACT_BACK : ACT_END), 0}, 1);
		struct ui_rect txt = {bar.x, bar.y, bar.w - bw - gap, bh};
		if (done) { /* the count, then where (cut to the line: the grid marks them all) */
			int l1 = ui_line_h(ui, FONT_BODY), l2 = ui_line_h(ui, FONT_SMALL),
			    y = txt.y + (bh - l1 - l2) / 2;
			int cells = st->t.cols * st->t.rows;
			if (st->dead)
				snprintf(v, sizeof(v), tr(STR_MS_BAR_DEAD), st->dead, cells);
			else
				snprintf(v, sizeof(v), tr(STR_MS_BAR_OK), cells);
			ui_label_fit(ui, txt.x, y, txt.w, FONT_BODY, 1, st->dead ? THEME_DANGER : THEME_TEXT,
				     UI_LEFT, v);
			if (st->dead) {
				snprintf(v, sizeof(v), tr(STR_MS_DEAD_AT), st->dead_text);
				ui_label_fit(ui, txt.x, y + l1, txt.w, FONT_SMALL, 0, THEME_TEXT, UI_LEFT, v);
			}
		} else {
			if (st->t.last_x >= 0)
				snprintf(v, sizeof(v), tr(STR_MS_LAST), st->t.last_x, st->t.last_y,
					 st->t.touches);
			else
				snprintf(v, sizeof(v), "%s", tr(STR_MS_NONE_YET));
			ui_label_fit(ui, txt.x, txt.y + (bh - ui_line_h(ui, FONT_BODY)) / 2, txt.w, FONT_BODY,
				     0, THEME_TEXT, UI_LEFT, v);
		}
		return;
	}
	case M_HOME:
		break;
	}
	const char *labels[4] = {tr(STR_MS_TOUCH), tr(STR_MS_BARS), tr(STR_MS_WHITE), tr(STR_MS_BLACK)};
	const int acts[4] = {ACT_TOUCH, ACT_BARS, ACT_WHITE, ACT_BLACK};
	const int enabled[4] = {1, 1, 1, 1};
	struct ui_rect btn = maint_buttons(ui, body, labels, acts, enabled, 4);
	struct ui_rect r = {body.x, body.y, body.w, 0};
	snprintf(v, sizeof(v), tr(STR_MS_SIZE_VAL), ui->w, ui->h,
		 tr(ui->portrait ? STR_MS_PORTRAIT : STR_MS_LANDSCAPE));
	r.y += maint_row(ui, r, MAINT_INFO, tr(STR_MS_SIZE), v) + gap;
	int note_h = btn.y - gap - r.y;
	if (note_h > 0)
		maint_note(ui, (struct ui_rect){r.x, r.y, r.w, note_h}, st->lv, st->note);
}

/* The white, black and colour-bar screens and the touch grid take the whole panel: a dead
 * pixel or a dead touch zone under the title bar is found too. */
static int fullscreen(const struct app *a, const void *vst)
{
	(void)a;
	const struct display_st *st = vst;
	return st->mode == M_WHITE || st->mode == M_BLACK || st->mode == M_BARS || st->mode == M_TOUCH ||
	       st->mode == M_TOUCH_DONE; /* the result on the same grid as the test */
}

const struct maint_screen maint_display_screen = {
	.fullscreen = fullscreen,
	.id = "maint-screen",
	.title = STR_MT_SCREEN,
	.state_size = sizeof(struct display_st),
	.enter = enter,
	.handle = handle,
	.draw = draw,
};
