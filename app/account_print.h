/* account_print — the account services' paper (issue 12, docs/account-services.md), laid out
 * with the receipt's primitives (paper.h) for 58 mm (384 dots, 32 columns) or 80 mm (576
 * dots, 48 columns): the statement ("EXTRACTO": the product's month, every movement, opening
 * and closing balances) and the certificate ("CERTIFICADO DE DEUDA" / "PAZ Y SALVO", with the
 * QR `payload|S=signature` anyone with the issuer's public key verifies offline). Strings
 * from the catalogue (app/strings_account_print.def) in the paper's language; accents through
 * the printer's code page (CP858 / CP850). The customer appears only masked: the name as the
 * coupon receipt masks it ("María F*****") and the ID as its last 4 ("CC ****4050").
 * Queued on the print worker (app/printq.h) as kind document with ref "st-YYYYMMDD-HHMMSS" /
 * "ct-YYYYMMDD-HHMMSS" (printed_at, local: nothing of the customer's in the store's key).
 * No I/O here besides the queue. */
#ifndef RECAUDO_ACCOUNT_PRINT_H
#define RECAUDO_ACCOUNT_PRINT_H
#include <stddef.h>
#include <stdint.h>

#include "api_account.h"
#include "escpos.h"
#include "i18n.h"
#include "idnum.h"

struct printq;

struct account_paper {
	enum lang lang;
	const char *brand;             /* config brand; NULL or "": "Recaudo" */
	const char *branch;            /* branch / kiosk location; may be NULL */
	int dots;                      /* 384 (58 mm) or 576 (80 mm) */
	enum escpos_codepage codepage; /* 0: CP858 */
	int qr_raster;                 /* 1: the printer has no GS ( k */
	int64_t printed_at;            /* epoch s, local time on paper */
};

/* The customer as the session knows them: masked here, never printed whole. */
struct account_customer {
	const char *name;              /* full name (or already masked); NULL: no name row */
	enum id_type id_type;
	const char *id_number;         /* the ID as typed, or only its last 4 */
};

/* Each build appends a whole paper (init ... cut) to e, which the caller frees (escpos_free)
 * whatever the result; 0, or -1 with err (English, for the log, no personal data) when it
 * cannot be laid out (bad paper width, no statement, overflow of ESCPOS_MAX).
 * The statement s of product `prod` (its line and description; NULL: the id alone). A
 * statement of API_ACC_MOVES_MAX movements fits on either width. */
int account_print_statement(struct escpos *e, const struct account_paper *p, const struct account_customer *c,
			    const struct api_acc_statement *s, const struct api_acc_product *prod, char *err,
			    size_t errn);
/* The certificate c as the API returned it (already verified: api_acc_certificate). Refused
 * when the kind is not 'D'/'P', the payload or the signature is empty or malformed, or the
 * payload's kind does not say the same. The English paper adds the English body and caption
 * under the Spanish ones (the Spanish text is the one that certifies). The ID comes from the
 * certificate's own fields (type, last 4). */
int account_print_certificate(struct escpos *e, const struct account_paper *p, const char *customer_name,
			      const struct api_acc_certificate *c, char *err, size_t errn);
/* The QR's text: "payload|S=signature" into out; its length, or -1 if it does not fit. */
int account_print_cert_qr(const struct api_acc_certificate *c, char *out, size_t n);

/* Build and queue on q as kind document; 0 or -1 with err (not built, or the queue is full).
 * The queue owns the bytes. */
int account_print_statement_submit(struct printq *q, const struct account_paper *p,
				   const struct account_customer *c, const struct api_acc_statement *s,
				   const struct api_acc_product *prod, char *err, size_t errn);
int account_print_certificate_submit(struct printq *q, const struct account_paper *p, const char *customer_name,
				     const struct api_acc_certificate *c, char *err, size_t errn);
#endif
