/* cli_health — `recaudo health [--config F] [--data D]` (app/main.c dispatches;
 * docs/operations.md "recaudo health"): the checks the image's health gate runs after the
 * kiosk reported READY, before it marks a new software slot good. */
#ifndef RECAUDO_CLI_HEALTH_H
#define RECAUDO_CLI_HEALTH_H
#include <stdio.h>

/* Checks, each one line on out ("ok WHAT: ...", "fail WHAT: ..."):
 *   store    the store in data_dir opens read-only (nothing created, nothing migrated) and
 *            passes PRAGMA quick_check; no store is a failure ("fail store: none in DIR");
 *   printer  the printer of config_path's [printer] is opened and answers its status query in
 *            a state that prints (ready, paper near end); the virtual backend (the built-in
 *            default, no device) is "absent (none configured)", which passes.
 * A configuration that cannot be read is "fail config: ...". The printer is asked once even
 * while the kiosk runs (right after its start, as the health gate does, it is printing
 * nothing). Returns the exit code: 0 when every check passed, else 1. */
int cli_health(const char *config_path, const char *data_dir, FILE *out);
#endif
