/* testpage — the printer test page a technician prints (maintenance mode): the kiosk, the
 * date, the printer as last seen (backend, width, state, last job, detail), a code-page
 * sample, the same QR natively and as an image, and a GS1-128 sample that is not a coupon
 * (reference all zeros, amount 1). Printed through the print queue like any job
 * (printq_test_page), recorded with kind "test" and no coupon. */
#ifndef RECAUDO_TESTPAGE_H
#define RECAUDO_TESTPAGE_H
#include <stddef.h>
#include <stdint.h>
#include "escpos.h"
#include "i18n.h"
#include "printer.h"

struct testpage {
	enum lang lang;
	uint32_t kiosk_id;
	int64_t at;                          /* epoch s, printed in local time */
	const char *backend;                 /* "serial", "virtual", ... */
	int dots;                            /* 384 or 576 */
	enum escpos_codepage codepage;       /* 0: CP858 */
	const struct printer_status *status; /* as last seen; NULL: not known */
	const char *biller_gln;              /* for the GS1-128 sample; NULL or "": a demo GLN */
};

/* Appends the whole page (init ... cut) to e. Returns 0, or -1 with err set (a paper width
 * that cannot be laid out, a bad GLN, an overflow); then nothing usable is in e. */
int testpage_build(struct escpos *e, const struct testpage *t, char *err, size_t errn);
#endif
