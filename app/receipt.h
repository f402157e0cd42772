/* receipt — lays out the coupon receipt as ESC/POS (drivers/escpos.h) for a paper width.
 * Strings come from the catalogue in the receipt's language; names and IDs arrive already
 * masked (the receipt never sees the full ID). */
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
};

/* Appends the whole receipt (init ... cut) to e. Returns 0, or -1 if e overflowed. */
int receipt_build(struct escpos *e, const struct receipt *r);
#endif
