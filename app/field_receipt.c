/* field-receipt: being built (issue 10). */
#include "app.h"
#include "field_internal.h"

static int handle(struct app *a, const struct act_event *e)
{
	(void)a, (void)e;
	return 0;
}

static void draw(struct app *a, struct ui_rect body)
{
	(void)body;
	field_top_bar(a, tr(STR_F_TITLE));
}

const struct field_screen field_receipt_screen = {"field-receipt", draw, handle};
