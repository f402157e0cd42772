/* cli_maint — the technician's maintenance commands of `recaudo maint ...` (app/main.c
 * dispatches; docs/maintenance.md). */
#ifndef RECAUDO_CLI_MAINT_H
#define RECAUDO_CLI_MAINT_H
#include <stdio.h>

/* `recaudo maint set-pin`: reads the PIN twice, from the terminal without echo when in is one,
 * else two lines of in (never from argv), and sets it in the store of data_dir (created if
 * missing). A mismatch, a wrong length or a non-digit changes nothing. Returns the exit code:
 * 0 and "PIN set" on out, else 1 with the reason on err. */
int cli_maint_set_pin(const char *data_dir, FILE *in, FILE *out, FILE *err);
#endif
