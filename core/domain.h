/* domain — the kiosk's domain types and their one set of rules: a customer's documents and
 * portfolio, a coupon request and its lines, and the text and document checks that the
 * importer, the central API parser and the simulator all apply (docs/portfolio-format.md).
 * Pure C: libc only. Nothing here allocates except what a portfolio owns (portfolio_free). */
#ifndef RECAUDO_DOMAIN_H
#define RECAUDO_DOMAIN_H
#include <stddef.h>
#include <stdint.h>
#include "coupon.h"
#include "idnum.h"
#include "money.h"

struct document {
	char number[32];       /* policy / loan / invoice number, unique per customer */
	char line[48];         /* product line: "Seguro de cumplimiento", "Crédito vehículo" */
	char description[96];
	int32_t due;           /* YYYYMMDD */
	enum currency cur;
	int64_t invoice;       /* minor units of cur */
	int64_t balance;       /* minor units of cur, > 0 */
	int partial_ok;        /* 1: may pay part of the balance */
	int64_t min_partial;   /* minor units; meaningful when partial_ok */
};

struct portfolio {
	enum id_type id_type;
	char id_number[24];
	char name[96];
	struct document *docs; /* owned; released by portfolio_free */
	int ndocs;             /* sorted by due date, then number */
	int64_t data_as_of;    /* epoch seconds: how fresh the local data is */
};

/* Frees what a portfolio owns (its documents) and zeroes it; NULL is fine. */
void portfolio_free(struct portfolio *p);

struct coupon_line {
	char doc_number[32];
	struct money pay;        /* what is paid of the document, in its own currency */
	int64_t cop_minor;       /* the same in COP (equal for COP; at the TRM for USD) */
};

struct coupon_request {
	uint32_t kiosk_id;
	int ref_length;          /* digits of the reference, check digit included */
	enum id_type id_type;
	char id_number[24];
	const char *kind;        /* "coupon" (pay at a bank) or "phone" (pay-by-phone QR) */
	int64_t now;             /* epoch seconds (the caller's clock: virtual in tests) */
	int32_t due;             /* YYYYMMDD */
	int has_trm;
	struct trm trm;
	int nlines;
	struct coupon_line lines[COUPON_MAX_DOCS];
};

/* 1 when text is non-NULL, valid UTF-8 without control characters, and shorter than cap bytes
 * (room for the NUL). */
int domain_text_ok(const char *text, size_t cap);
/* The document rules, for the importer and the API parser alike (docs/portfolio-format.md):
 * 0, or -1 with "field: reason" in why. Normalises what the rules allow: a minimum above the
 * balance becomes the balance. */
int domain_document_check(struct document *d, char *why, size_t n);
#endif
