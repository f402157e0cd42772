/* field_print — the field agent's paper (issue 10, docs/field-mode.md "Paper"), laid out as
 * ESC/POS for the 58 mm profile (384 dots; 576 works too): the cash receipt (receipt label,
 * agent, client masked as on the kiosk, documents, amounts, cash, change, the signed QR of
 * core/field.h) and its COPIA, the void slip, and the day's close or a report's totals.
 * Strings from the catalogue (app/strings_field_print.def) in the slip's language; accents
 * through the printer's code page (CP858 / CP850). Queued on the print worker (app/printq.h)
 * as kind receipt / copy / report with ref "f<agent>-<number>" (copy: the same ref),
 * "fv<agent>-<number>", "fc<agent>-<day>", "fr<agent>-<from>-<to>". No I/O here besides the
 * queue. */
#ifndef RECAUDO_FIELD_PRINT_H
#define RECAUDO_FIELD_PRINT_H
#include <stddef.h>
#include <stdint.h>

#include "escpos.h"
#include "field_store.h"
#include "i18n.h"

struct printq;

struct field_paper {
	enum lang lang;
	const char *brand;             /* config brand */
	const char *agent_name;        /* the agent's full name (staff: printed) */
	int dots;                      /* 384 (58 mm) or 576 */
	enum escpos_codepage codepage; /* 0: CP858 */
	int qr_raster;                 /* 1: the printer has no GS ( k */
	const uint8_t *key;            /* the device key for the receipt QR */
	size_t keylen;
	int64_t printed_at;            /* epoch s, for reports and copies */
};

/* Each build appends a whole slip (init ... cut) to e, which the caller frees (escpos_free)
 * whatever the result; -1 with err (English, for the log) when it cannot be laid out.
 * The receipt (copy 0) or its COPIA (1). Refused when its QR cannot be signed (no key). */
int field_receipt_build(struct escpos *e, const struct field_paper *p, const struct field_receipt *r, int copy,
			char *err, size_t errn);
/* The void slip: the receipt voided, the reason, the supervisor's code, when. */
int field_void_build(struct escpos *e, const struct field_paper *p, const struct field_receipt *r, char *err,
		     size_t errn);
/* The close of a day (title "CIERRE DEL DÍA") or a report (title "REPORTE DE RECAUDO", the
 * range and the line filter): totals per line and currency, cash to deposit, the receipt
 * range, the voided numbers. */
int field_totals_build(struct escpos *e, const struct field_paper *p, const char *agent,
		       const struct field_totals *t, int is_close, const char *line_filter, char *err, size_t errn);

/* Build and queue on q; 0 or -1 with err (not built, or the queue is full). The queue owns
 * the bytes. A receipt (copy 0) is queued with its COPIA, kept for reprints. */
int field_receipt_submit(struct printq *q, const struct field_paper *p, const struct field_receipt *r, int copy,
			 char *err, size_t errn);
int field_void_submit(struct printq *q, const struct field_paper *p, const struct field_receipt *r, char *err,
		      size_t errn);
int field_totals_submit(struct printq *q, const struct field_paper *p, const char *agent,
			const struct field_totals *t, int is_close, const char *line_filter, char *err, size_t errn);
#endif
