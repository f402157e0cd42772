/* The toolkit's keyboard focus (app/ui_focus.c) and the contrast it draws with:
 * - Tab order is the order controls are registered; it wraps both ways; controls without a
 *   label are skipped;
 * - the focus follows its control by action when a new frame registers controls in another
 *   order, and falls back to the control at its place when that control is gone;
 * - the ring is two bands, each black or white, chosen against the control and what lies
 *   around it, so each band stands >= 3:1 against its neighbour;
 * - the WCAG contrast ratio on known pairs. */
#include <string.h>

#include "check.h"
#include "ui.h"
#include "ui_render.h"

static struct ui ui;

static void frame(const char *const *labels, const int *acts, int n)
{
	ui.nhits = 0;
	for (int i = 0; i < n; i++)
		ui_hit(&ui, (struct ui_rect){100 + 200 * i, 100, 150, 100}, (struct ui_action){UI_ACT_USER + acts[i], 0},
		       labels[i]);
}

static const char *focused(void)
{
	const struct ui_hit *h = ui_focus_hit(&ui);
	return h ? h->label : "(none)";
}

static void order_and_wrap(void)
{
	static const char *const labels[] = {"Salir", "", "English", "Consultar"};
	static const int acts[] = {1, 2, 3, 4};
	frame(labels, acts, 4);
	CHECK(ui_focus_hit(&ui) == NULL);
	CHECK_STR(ui_focus_move(&ui, 1)->label, "Salir");
	CHECK_STR(ui_focus_move(&ui, 1)->label, "English"); /* the unlabelled one is skipped */
	CHECK_STR(ui_focus_move(&ui, 1)->label, "Consultar");
	CHECK_STR(ui_focus_move(&ui, 1)->label, "Salir"); /* wraps */
	CHECK_STR(ui_focus_move(&ui, -1)->label, "Consultar");
	ui_focus_clear(&ui);
	CHECK_STR(ui_focus_move(&ui, -1)->label, "Consultar"); /* from none, backwards: the last */
	CHECK(ui_focus_set(&ui, (struct ui_action){UI_ACT_USER + 3, 0}) == 1);
	CHECK_STR(focused(), "English");
	CHECK(ui_focus_set(&ui, (struct ui_action){UI_ACT_USER + 9, 0}) == 0);
	CHECK_STR(focused(), "English"); /* not on screen: the focus stays */
}

static void follows_its_control(void)
{
	static const char *const a[] = {"A", "B", "C"}, *const b[] = {"C", "A", "B"}, *const c[] = {"A", "C"};
	static const int aa[] = {1, 2, 3}, ba[] = {3, 1, 2}, ca[] = {1, 3};
	frame(a, aa, 3);
	ui_focus_clear(&ui);
	ui_focus_move(&ui, 1);
	ui_focus_move(&ui, 1);
	CHECK_STR(focused(), "B");
	frame(b, ba, 3); /* redrawn in another order: still B */
	CHECK_STR(focused(), "B");
	CHECK_STR(ui_focus_move(&ui, 1)->label, "C"); /* and on from where B is now */
	frame(c, ca, 2);
	ui_focus_set(&ui, (struct ui_action){UI_ACT_USER + 1, 0});
	CHECK_STR(focused(), "A");
	static const char *const d[] = {"X", "Y"};
	static const int da[] = {7, 8};
	frame(d, da, 2); /* A is gone: the control at its place (the first) */
	CHECK_STR(focused(), "X");
	frame(d, da, 0); /* nothing focusable */
	CHECK(ui_focus_hit(&ui) == NULL);
	CHECK(ui_focus_move(&ui, 1) == NULL);
}

static void contrast(void)
{
	struct rgba black = {0, 0, 0, 255}, white = {255, 255, 255, 255}, grey = {0x77, 0x77, 0x77, 255};
	CHECK(ui_contrast(black, white) > 20.99 && ui_contrast(black, white) < 21.01);
	CHECK(ui_contrast(white, black) > 20.99);
	CHECK(ui_contrast(grey, white) > 4.47 && ui_contrast(grey, white) < 4.49); /* #777 on white: 4.48 */
	CHECK(ui_contrast(white, white) < 1.001);
}

/* The ring around a navy button on a light page: the inner band white (against navy), the
 * outer black (against the page). */
static void ring(void)
{
	struct rgba page = {0xF3, 0xF5, 0xF8, 255}, navy = {0x0B, 0x3A, 0x5B, 255};
	ui.w = 1080, ui.h = 1920, ui.s = 1.0f;
	ui_list_clear(&ui, page);
	struct ui_rect b = {200, 400, 300, 120};
	ui_round(&ui, b, 18, navy);
	ui.nhits = 0;
	ui_hit(&ui, b, (struct ui_action){UI_ACT_USER + 5, 0}, "Generar cupón");
	CHECK(ui_behind(&ui, (struct ui_rect){350, 460, 1, 1}, ui.list.n, NULL).b == navy.b);
	CHECK(ui_behind(&ui, (struct ui_rect){10, 10, 1, 1}, ui.list.n, NULL).r == page.r);
	ui_focus_set(&ui, (struct ui_action){UI_ACT_USER + 5, 0});
	int before = ui.list.n;
	ui_focus_draw(&ui);
	CHECK_INT(ui.list.n, before + 2);
	const struct ui_cmd *outer = &ui.list.cmd[before], *inner = &ui.list.cmd[before + 1];
	CHECK(outer->type == UI_CMD_OUTLINE && inner->type == UI_CMD_OUTLINE);
	CHECK(outer->thick >= 3 && inner->thick >= 3);
	CHECK(ui_contrast(inner->c, navy) >= 3.0);
	CHECK(ui_contrast(outer->c, page) >= 3.0);
	CHECK(outer->shape.x < inner->shape.x && inner->shape.x < b.x); /* outside the button */
	/* a control as large as the screen gets its ring inside */
	ui.nhits = 0;
	ui_hit(&ui, (struct ui_rect){0, 0, 1080, 1920}, (struct ui_action){UI_ACT_USER + 6, 0}, "Toque para comenzar");
	ui_focus_set(&ui, (struct ui_action){UI_ACT_USER + 6, 0});
	before = ui.list.n;
	ui_focus_draw(&ui);
	CHECK(ui.list.cmd[before].shape.x >= 0 && ui.list.cmd[before].shape.w <= 1080);
}

int main(void)
{
	order_and_wrap();
	follows_its_control();
	contrast();
	ring();
	ui_list_wipe(&ui.list);
	free(ui.list.cmd);
	free(ui.list.text);
	return check_done();
}
