/* escpos — builds ESC/POS byte streams into a bounded buffer. Text is given in UTF-8 and
 * transcoded to the selected code page (CP858 by default; characters it lacks become '?').
 * Errors are sticky: after an overflow every call is a no-op and escpos_failed() is true.
 * The buffer is owned by the struct: release it with escpos_free. */
#ifndef RECAUDO_ESCPOS_H
#define RECAUDO_ESCPOS_H
#include <stddef.h>
#include <stdint.h>
#include "raster.h"

#define ESCPOS_MAX (256 * 1024)
#define ESCPOS_RASTER_BAND 128 /* rows per GS v 0 command: small enough for any receive buffer */
#define ESCPOS_RASTER_MAX_BYTES 128 /* bytes per raster row: 1024 dots, the widest head */

enum escpos_align { ESCPOS_LEFT = 0, ESCPOS_CENTER = 1, ESCPOS_RIGHT = 2 };
enum escpos_codepage { ESCPOS_CP850 = 2, ESCPOS_CP858 = 19 }; /* ESC t n values */

struct escpos {
	uint8_t *buf;
	size_t len, cap;
	int failed;
	enum escpos_codepage cp;
};

/* ESC @ (init), ESC c 5 1 (panel buttons off: a customer cannot feed paper out of a kiosk;
 * ESC @ turns them back on, hence after every init), ESC t cp. */
void escpos_begin(struct escpos *e);
void escpos_free(struct escpos *e);
int escpos_failed(const struct escpos *e);
void escpos_raw(struct escpos *e, const void *bytes, size_t n);
void escpos_codepage(struct escpos *e, enum escpos_codepage cp); /* ESC t n */
void escpos_align(struct escpos *e, enum escpos_align a);       /* ESC a n */
void escpos_bold(struct escpos *e, int on);                     /* ESC E n */
void escpos_size(struct escpos *e, int w, int h);               /* GS ! n, 1..8 each */
void escpos_text(struct escpos *e, const char *utf8);           /* transcoded, no newline */
void escpos_line(struct escpos *e, const char *utf8);           /* text + LF */
void escpos_feed(struct escpos *e, int lines);                  /* ESC d n */
/* Native QR (GS ( k): model 2, module size 1..16, error correction 'L','M','Q','H'. */
void escpos_qr(struct escpos *e, const char *data, int module, char ecc);
void escpos_cut(struct escpos *e);                              /* GS V 66 0: feed + partial cut */
void escpos_cut_feed(struct escpos *e, int dots);   /* GS V 66 n: to the cutter + n dots, cut */
void escpos_panel_buttons(struct escpos *e, int enabled);       /* ESC c 5 n (n = !enabled) */

/* GS v 0, mode 0 (normal size): a 1-bit image, `width_bytes` (1..128) bytes per row, MSB =
 * leftmost dot, 1 = burn, `rows` rows; sent as bands of at most ESCPOS_RASTER_BAND rows that
 * print without a gap. Bad sizes fail the stream (sticky), like an impossible QR. Images
 * meant to be centered are padded to the paper width by the caller: printers disagree on
 * whether ESC a applies to rasters. */
void escpos_raster(struct escpos *e, const uint8_t *bits, int width_bytes, int rows);
void escpos_image(struct escpos *e, const struct raster *img);  /* escpos_raster of a raster */
/* The QR fallback for printers without GS ( k: the same symbol (byte mode, libqrencode,
 * `module` dots, ecc 'L','M','Q','H') drawn as a raster centered on paper `dots` wide.
 * A symbol that cannot exist or is wider than the paper fails the stream. */
void escpos_qr_raster(struct escpos *e, const char *data, int module, char ecc, int dots);

/* UTF-8 -> code page byte for one code point; '?' when the page lacks it. */
uint8_t escpos_cp_byte(enum escpos_codepage cp, uint32_t codepoint);
/* Code page byte -> Unicode code point (for the virtual printer). */
uint32_t escpos_cp_codepoint(enum escpos_codepage cp, uint8_t byte);
#endif
