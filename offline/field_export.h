/* field_export — the close's and the reports' files for removable storage (issue 10,
 * docs/field-mode.md "The export"): a CSV (UTF-8 with a BOM so spreadsheet programs read the
 * accents right, ';' separated, CRLF, one line per receipt line: receipt label, day, time,
 * agent, client ID type and number, client name, document, business line, currency, amount
 * twice (units with a decimal comma, "195500,00", which es-CO spreadsheets read as a number,
 * and an integer of minor units), state pagado/anulado, void reason; RFC 4180 quoting, and a
 * text that looks like a formula is defused with a leading apostrophe) and beside it a signature file "<csv>.sig" holding
 * "hmac-sha256 <64 hex>\n": HMAC-SHA256 of the CSV's bytes under the device key. Written to
 * a temporary name, fsync'd, renamed, the directory fsync'd: a pulled stick leaves the old
 * file or the new, never half of one. No SDL. */
#ifndef RECAUDO_FIELD_EXPORT_H
#define RECAUDO_FIELD_EXPORT_H
#include <stddef.h>
#include <stdint.h>
#include "field_store.h"

/* Writes <dir>/recaudo-<device>-<agent>-<from>[-<to>].csv and its .sig from the agent's
 * receipts of days from..to (line: one business line or ""/NULL for all). The file name
 * written goes to path (may be NULL). 0, or -1 with a message for a person in err (the
 * folder missing, not a folder, read-only, full; nothing is left behind then). */
int field_export_csv(struct store *s, const char *dir, const char *agent, const char *device_id, int32_t from,
		     int32_t to, const char *line, const uint8_t *key, size_t keylen, char *path, size_t pathn,
		     char *err, size_t errn);
/* Checks a CSV against its .sig under key: 0 when it verifies, -1 with err otherwise. */
int field_export_verify(const char *csv_path, const uint8_t *key, size_t keylen, char *err, size_t errn);
#endif
