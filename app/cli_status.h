/* cli_status — `recaudo maint status [--json]`: the Estado dashboard (app/maint_status.h) for
 * a technician's shell or a remote help desk (docs/maintenance.md "Estado"). */
#ifndef RECAUDO_CLI_STATUS_H
#define RECAUDO_CLI_STATUS_H
#include <stdio.h>

#include "maint_status.h"

/* Gathers the dashboard of the store in data_dir with the settings of config_path (NULL: the
 * defaults; the files they name are not required, as for `recaudo status`), read-only: the
 * store is not created or migrated. The printer is asked once unless a running kiosk holds it.
 * Prints one line per item (json 0) or one JSON object (json 1) on out. Returns the exit code:
 * 0 when the dashboard could be gathered, whatever it says; 1 with the reason on err (no
 * store, an unreadable store or configuration). */
int cli_maint_status(const char *config_path, const char *data_dir, int json, FILE *out, FILE *err);
/* The dashboard as one JSON object: malloc'd text (free()), NULL when out of memory. */
char *cli_status_json(const struct maint_status *st);
#endif
