/* cli_totals — `recaudo maint totals [--day YYYY-MM-DD] [--print] [--data DIR] [--config FILE]`
 * (docs/maintenance.md "## Totales"): a day's totals for remote help. */
#ifndef RECAUDO_CLI_TOTALS_H
#define RECAUDO_CLI_TOTALS_H
#include <stdio.h>

/* argv: what follows "maint totals". Without --print it only reads (the store opened
 * read-only, nothing created); --print also prints the totals slip on the configured printer
 * and appends a totals.print audit row with the result. A bad option or date: a message and
 * exit 2, nothing touched; a missing store or a failed print: exit 1. */
int cli_maint_totals(int argc, char **argv, FILE *out, FILE *err);
/* "YYYY-MM-DD" -> YYYYMMDD, or 0 when it is not a valid date in that form. */
int totals_parse_day(const char *s);
#endif
