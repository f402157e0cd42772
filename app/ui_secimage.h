/* ui_secimage — the security images a customer picks for the account (docs/account-services.md,
 * ACCOUNT_IMAGES in core/account.h): 16 symbols of the screen font (DejaVu Sans, see
 * assets/LICENSES.md), each drawn large and centred on a rounded tile of its own colour
 * through the ui toolkit's draw list. The index is what the central API stores (0..
 * ACCOUNT_IMAGES-1); the table's order is therefore fixed: append, never reorder. */
#ifndef RECAUDO_UI_SECIMAGE_H
#define RECAUDO_UI_SECIMAGE_H
#include <stdint.h>

#include "theme.h"
#include "ui.h"

#define UI_SECIMAGE_COUNT 16

struct ui_secimage {
	uint32_t codepoint;   /* the symbol, provided by DejaVuSans.ttf (test_ui_secimage checks) */
	const char *utf8;     /* the same as UTF-8 */
	const char *name_es;  /* "sol": what the screen and speech call it */
	const char *name_en;  /* "sun" */
	struct rgba tile;     /* the tile's colour: white on it is >= 4.5:1 */
};

/* The table (UI_SECIMAGE_COUNT entries); NULL for an index outside it. */
const struct ui_secimage *ui_secimage_get(int index);
/* The image's name in Spanish (english 0) or English; "" for an index outside the table. */
const char *ui_secimage_name(int index, int english);
/* Draws image `index` filling r: the tile (rounded, its colour; darker in the high-contrast
 * look so the symbol stays >= 7:1) and the symbol in white, as large as fits, centred. An
 * index outside the table draws nothing. The symbol's text is recorded like any label. */
void ui_secimage_draw(struct ui *ui, struct ui_rect r, int index);
#endif
