/* paper — layout primitives for anything the kiosk prints on its roll (app/receipt.c holds
 * them): Font A columns of 12 dots (48 on 80 mm paper, 32 on 58 mm), label/value rows, rules,
 * word wrap, big centered text, paper-wide images and the QR module size. Widths count code
 * points, never bytes. Used by the receipt and the test page (app/testpage.c). */
#ifndef RECAUDO_PAPER_H
#define RECAUDO_PAPER_H
#include <stddef.h>
#include "escpos.h"
#include "raster.h"

#define DOT_COLS 12     /* Font A cell width in dots */
#define MIN_COLS 24
#define MAX_COLS 85     /* 1024 dots */

struct paper {
	struct escpos *e;
	int cols;                     /* dots / DOT_COLS */
	int dots;
	const struct raster *barcode; /* the receipt's bank barcode, rendered before any byte */
};

/* Copies text for paper: typographic characters the printer's code page lacks get their
 * ASCII stand-ins (the masking bullet becomes '*'), controls become spaces. */
void paper_text(char *dst, size_t n, const char *src);
/* A line of c across the paper. */
void paper_rule(struct paper *o, char c);
/* text word-wrapped to `width` columns; words longer than a line are split. */
void paper_wrap(struct paper *o, const char *text, int width);
/* left text, right text flush right; when both do not fit, left wraps and right follows. */
void paper_row(struct paper *o, const char *left, const char *right);
/* Centered bold emphasis at double width when it fits, else double height only. */
void paper_big(struct paper *o, const char *text);
/* src centered on a paper-wide raster (printers disagree on ESC a for rasters). */
void paper_image(struct paper *o, const struct raster *src);
/* The largest QR module (6 dots on 80 mm, 4 on 58 mm, less if needed) that fits a payload of
 * len bytes at ECC M with its quiet zone. */
int paper_qr_module(size_t len, int dots);
#endif
