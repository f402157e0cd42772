/* cli_sync — `recaudo sync`: one round of the sync worker now (drain the send queue, refresh
 * the portfolio, the heartbeat), then a one-line summary (docs/operations.md). */
#ifndef RECAUDO_CLI_SYNC_H
#define RECAUDO_CLI_SYNC_H
#include <stdio.h>

/* With the settings of config_path (NULL: the defaults, which name no central API) and the
 * store in data_dir (never created: no store, nothing to send). Waits for the round (bounded by
 * the API's timeouts; 15 minutes at most), prints the summary on out. Returns the exit code: 0
 * when nothing is left to send, 1 with the reason on err otherwise. */
int cli_sync(const char *config_path, const char *data_dir, FILE *out, FILE *err);
#endif
