/* receipt — lays out the coupon receipt as ESC/POS (drivers/escpos.h) for a printer profile
 * (paper width, native QR or not, code page). A bank coupon also carries the GS1-128 barcode
 * (core/gs1.h, drivers/gs1_render.h) the bank scans. Strings come from the catalogue in the receipt's language;
 * names and IDs arrive already masked (the receipt never sees the full ID). */
#ifndef RECAUDO_RECEIPT_H
#define RECAUDO_RECEIPT_H
#include "coupon.h"
#include "escpos.h"
#include "i18n.h"
#include "store.h"

struct receipt {
	enum lang lang;
	const char *brand;           /* "Recaudo" or the biller's name (config) */
	const char *branch;          /* branch / kiosk location (config), may be NULL */
	const char *customer_masked; /* "María F*****" */
	const char *id_masked;       /* "CC ••••4050" */
	const struct coupon *coupon;
	const char *coupon_qr;       /* coupon_qr_payload() text */
	const char *kind;            /* "coupon" or "phone" */
	const struct coupon_line *lines;
	int nlines;
	int copy;                    /* 1: reprint, marked COPIA */
	int dots;                    /* 384 or 576 */
	/* Printer profile and bank barcode. Zero values keep the previous behaviour. */
	enum escpos_codepage codepage; /* ESCPOS_CP858/CP850; 0: e->cp as set (CP858 if unset) */
	int qr_raster;               /* 1: no native QR (GS ( k) on this printer: print a raster */
	const char *logo_path;       /* monochrome PNG at the top; NULL, "" or unreadable: brand */
	const char *biller_gln;      /* 13-digit GLN: a "coupon" gets the GS1-128 bank barcode
				      * (415 GLN, 8020 reference, 3900 amount, 96 due date);
				      * NULL or "": no barcode */
};

/* Checks what could make a receipt unprintable before anything is emitted: the coupon and
 * paper width, and for a bank coupon the barcode's fields (GLN check digit, reference,
 * amount, due date). Returns 0, or -1 with a message for a person in err, e.g.
 * "GLN 7709998000002: dígito de verificación incorrecto (debe ser 1)". */
int receipt_validate(const struct receipt *r, char *err, size_t errn);
/* Appends the whole receipt (init ... cut) to e. Returns 0, or -1 if receipt_validate
 * refuses it (then nothing at all is appended) or e overflowed. */
int receipt_build(struct escpos *e, const struct receipt *r);
#endif
