/* escpos — builds ESC/POS byte streams into a bounded buffer. Text is given in UTF-8 and
 * transcoded to the selected code page (CP858 by default; characters it lacks become '?').
 * Errors are sticky: after an overflow every call is a no-op and escpos_failed() is true.
 * The buffer is owned by the struct: release it with escpos_free. */
#ifndef RECAUDO_ESCPOS_H
#define RECAUDO_ESCPOS_H
#include <stddef.h>
#include <stdint.h>

#define ESCPOS_MAX (256 * 1024)

enum escpos_align { ESCPOS_LEFT = 0, ESCPOS_CENTER = 1, ESCPOS_RIGHT = 2 };
enum escpos_codepage { ESCPOS_CP850 = 2, ESCPOS_CP858 = 19 }; /* ESC t n values */

struct escpos {
	uint8_t *buf;
	size_t len, cap;
	int failed;
	enum escpos_codepage cp;
};

void escpos_begin(struct escpos *e);                           /* ESC @ + ESC t cp */
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

/* UTF-8 -> code page byte for one code point; '?' when the page lacks it. */
uint8_t escpos_cp_byte(enum escpos_codepage cp, uint32_t codepoint);
/* Code page byte -> Unicode code point (for the virtual printer). */
uint32_t escpos_cp_codepoint(enum escpos_codepage cp, uint8_t byte);
#endif
