/* maint_touch — the touch test grid of the maintenance screen "Pantalla" (maint_display.c),
 * without SDL so it is tested on its own (tests/unit/test_maint_touch.c): an area cut into
 * cells of about a touch target each, every touch marking its cell and kept as a dot, and the
 * dead zones (cells never touched) counted and named when the technician ends the test. */
#ifndef RECAUDO_MAINT_TOUCH_H
#define RECAUDO_MAINT_TOUCH_H
#include <stddef.h>
#include <stdint.h>

#define MTOUCH_CELLS_MAX 512 /* cells at most: bigger cells on a very large area */
#define MTOUCH_DOTS 64       /* the last touches drawn as dots */

struct mtouch {
	int x, y, w, h;     /* the area, screen pixels */
	int cols, rows;     /* cells: the area divided evenly (the last column and row take the rest) */
	int touches;        /* touches inside the area */
	int last_x, last_y; /* the last touch (-1: none yet) */
	int ndots, dot0;    /* a ring of the last MTOUCH_DOTS touches */
	int dots[MTOUCH_DOTS][2];
	uint8_t hit[MTOUCH_CELLS_MAX];
};

/* Lays the grid over the area with cells of at least `cell` pixels (a touch target) and clears
 * every touch. A zero or negative size gives an empty grid (no cells). */
void mtouch_layout(struct mtouch *t, int x, int y, int w, int h, int cell);
/* 1 if the grid is laid over exactly this area (a new size needs mtouch_layout again). */
int mtouch_same_area(const struct mtouch *t, int x, int y, int w, int h);
/* The cell under (x, y), or -1 outside the area. */
int mtouch_cell(const struct mtouch *t, int x, int y);
/* The cell's rectangle. */
void mtouch_cell_rect(const struct mtouch *t, int cell, int *x, int *y, int *w, int *h);
/* A finger came up at (x, y): marks its cell, keeps the dot. Returns the cell, or -1 outside
 * (nothing recorded). */
int mtouch_touch(struct mtouch *t, int x, int y);
/* The i-th dot kept (0 = the oldest of them), i < t->ndots. */
void mtouch_dot(const struct mtouch *t, int i, int *x, int *y);
/* Cells never touched: their count; the first `max` of them in cells[] (row by row). */
int mtouch_dead(const struct mtouch *t, int *cells, int max);
/* "F2C5, F9C1, ..." (fila, columna from 1) of the first dead cells that fit in out, with
 * " …" when some did not. Returns the dead count. */
int mtouch_dead_text(const struct mtouch *t, char *out, size_t n);
#endif
