/* escpos_status — ESC/POS real-time status: the DLE EOT n queries (10 04 n) and their one-byte
 * answers, read into a printer state. Pure byte work, no I/O: the transports send the queries
 * and collect the answers (drivers/fdio.h), this module says what they mean.
 *
 * Every answer has fixed bits, 0xx1xx10 (bit 7 = 0, bit 4 = 1, bit 1 = 1, bit 0 = 0), which
 * tells it apart from XON/XOFF (0x11/0x13), automatic status (bits 1..0 = 00) and line noise;
 * a byte without them is garbage, never "ready".
 *   n=1 printer:       bit 3 offline
 *   n=2 offline cause: bit 2 cover open, bit 3 paper fed by the button, bit 5 stopped at
 *                      paper end, bit 6 error
 *   n=3 error cause:   bit 2 mechanism (recoverable) error, bit 3 autocutter error,
 *                      bit 5 unrecoverable error, bit 6 auto-recoverable error (head heat)
 *   n=4 paper sensor:  bits 2-3 roll near end, bits 5-6 roll end (either bit of a pair)
 * Precedence: cover open, paper out, error, offline, near end, ready. */
#ifndef RECAUDO_ESCPOS_STATUS_H
#define RECAUDO_ESCPOS_STATUS_H
#include <stdint.h>
#include "printer.h"

#define ESCPOS_STATUS_QUERIES 4 /* n = 1..4 */

/* The query DLE EOT n (n = 1..4) in out[0..2]. */
void escpos_status_query(uint8_t out[3], int n);
/* 1 if b has the fixed bits of a DLE EOT answer, else 0. */
int escpos_status_valid(uint8_t b);
/* Reads answers st[0..3] (to n = 1..4); bit n-1 of `have` says which arrived (the others are
 * ignored and named in the detail). Returns 0 with *out filled, or -1 when an answer lacks
 * the fixed bits or none arrived: then *out is ERROR with the byte in the detail. */
int escpos_status_parse(const uint8_t st[ESCPOS_STATUS_QUERIES], unsigned have,
			struct printer_status *out);
#endif
