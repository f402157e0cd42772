/* cli_update — `recaudo update-wait --version V [--timeout-s N] [--data DIR]` (app/main.c
 * dispatches; docs/operations.md "recaudo update-wait"): the update script's gate. It waits,
 * polling every CLI_UPDATE_POLL_S, until the outbox holds no money event the server has not
 * acknowledged (offline/store_update.h says which events carry money, and why a dead letter
 * does not hold an update), and records the held update in the store meanwhile, so that the
 * kiosk's heartbeat says so; the record is removed when it returns, whatever the outcome. */
#ifndef RECAUDO_CLI_UPDATE_H
#define RECAUDO_CLI_UPDATE_H
#include <stdio.h>

#include "store_update.h"

#define CLI_UPDATE_POLL_S 2
#define CLI_UPDATE_TIMEOUT_S 86400 /* the default --timeout-s: a day */
#define CLI_UPDATE_EXIT_WAITING 3  /* the exit code when money events are left at the timeout */

/* Parses argv[0..argc) itself (the words after "update-wait"). Returns the exit code: 0 clear
 * to install (said on out), CLI_UPDATE_EXIT_WAITING after the timeout (one line on out with
 * how many money events are left), 1 on bad arguments, an unreadable store or a signal (the
 * reason on err). A data directory without a store holds nothing: 0. */
int cli_update_wait(int argc, char **argv, FILE *out, FILE *err);

/* `recaudo status --json`'s "update" member with its trailing comma: the hold, or null. */
void cli_update_hold_json(FILE *out, const struct store_update_hold *hold);
#endif
