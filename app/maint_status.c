/* Estado (maint-status): the dashboard: printer, network and central API, TLS certificate, sync queue, data age and TRM, store integrity, disk, version, uptime. Not built yet: shows its title only. */
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
	ui_para(&a->ui, body, FONT_BODY, 0, THEME_MUTED, UI_LEFT, tr(STR_MT_STATUS));
}

const struct maint_screen maint_status_screen = {
	.id = "maint-status",
	.title = STR_MT_STATUS,
	.handle = handle,
	.draw = draw,
};
