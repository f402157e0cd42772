/* services-history: WORK IN PROGRESS on branch i12-frame — replaced by the screen's real file before it
 * reaches main. */
#include "account_internal.h"
#include "app.h"

static void draw(struct app *a, struct ui_rect body) { account_header(a, body, "services-history", 1); }

static int handle(struct app *a, const struct act_event *e)
{
	(void)a, (void)e;
	return 0;
}

const struct account_screen account_history_screen = {"services-history", NULL, draw, handle, 0};
