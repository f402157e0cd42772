/* totals_slip — the totals slip a technician prints (maintenance "Totales", `recaudo maint
 * totals --print`), as ATMs print totals: the kiosk, the day, when it was printed, the
 * coupons and their amount in COP, the documents per currency paid in, the sequence range
 * and whether it has holes (docs/maintenance.md "## Totales"). Recorded as a print job of
 * kind report, ref "totals-YYYYMMDD" (printer file totals-YYYYMMDD-HHMMSS). */
#ifndef RECAUDO_TOTALS_SLIP_H
#define RECAUDO_TOTALS_SLIP_H
#include <stddef.h>
#include <stdint.h>

#include "escpos.h"
#include "i18n.h"
#include "store_totals.h"

struct printq;

struct totals_slip {
	enum lang lang;
	uint32_t kiosk_id;
	int64_t printed_at;            /* epoch s, printed in local time */
	int dots;                      /* 384 (58 mm) or 576 (80 mm) */
	enum escpos_codepage codepage; /* 0: CP858 */
	const struct store_totals *t;
};

/* Appends the whole slip (init ... cut) to e. 0, or -1 with err set (a paper width that
 * cannot be laid out, an overflow). */
int totals_slip_build(struct escpos *e, const struct totals_slip *s, char *err, size_t errn);
/* Builds the slip and queues it on q (kind report, ref totals-YYYYMMDD). 0, or -1 with err
 * (not built, or the queue is full). */
int totals_slip_submit(struct printq *q, const struct totals_slip *s, char *err, size_t errn);
#endif
