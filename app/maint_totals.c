/* Totales (maint-totals): a day's coupons per currency, sequence range and gaps, the totals slip. Not built yet: shows its title only. */
#include "maint.h"

#include "app.h"

static void handle(struct app *a, void *st, const struct act_event *e)
{
	(void)a;
	(void)st;
	(void)e;
}

static void draw(struct app *a, void *st, struct ui_rect body)
{
	(void)st;
	ui_para(&a->ui, body, FONT_BODY, 0, THEME_MUTED, UI_LEFT, tr(STR_MT_TOTALS));
}

const struct maint_screen maint_totals_screen = {
	.id = "maint-totals",
	.title = STR_MT_TOTALS,
	.handle = handle,
	.draw = draw,
};
