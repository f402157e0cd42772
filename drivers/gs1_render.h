/* gs1_render — the bank coupon's GS1-128 barcode as a bitmap for the printer. The data, its
 * rules and its text forms are core/gs1.h; this adds only the bars (libzint). */
#ifndef RECAUDO_GS1_RENDER_H
#define RECAUDO_GS1_RENDER_H
#include <stddef.h>

#include "gs1.h"
#include "raster.h"

#define GS1_MODULE_MIN 2 /* dots per module: 0.25 mm at 203 dpi, the least that scans */
#define GS1_QUIET 10     /* modules of white before and after the bars (GS1-128 minimum) */

/* Renders the symbol for paper `dots` wide into *out (a white bitmap exactly `dots` wide,
 * bars centered): `module` dots per module (>= GS1_MODULE_MIN), bars `bar_height` dots
 * long, GS1_QUIET modules of white at each end. When the symbol with its quiet zones is
 * wider than the paper, it is turned 90 degrees: the bars run across the paper and the
 * symbol along it, start first; *rotated (may be NULL) says which. libzint encodes it
 * (and inserts FNC1). Returns 0, or -1 with err set and *out empty. */
int gs1_coupon_render(const struct gs1_coupon *c, int dots, int module, int bar_height,
		      struct raster *out, int *rotated, char *err, size_t errn);
#endif
