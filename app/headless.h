/* headless — runs a script against the app on a virtual clock (docs/script-language.md).
 * Returns 0 if every line passed; otherwise prints "FILE:LINE: reason" and returns 1. */
#ifndef RECAUDO_HEADLESS_H
#define RECAUDO_HEADLESS_H
#include "app.h"

int headless_run(struct app *a, const char *script_path, const char *shots_dir);
/* Settles the app as the main loop would before drawing: lookup and print results delivered
 * (lookups and printing run on their own threads, so this waits for them to go idle), due
 * timers fired, the frame drawn. For scripts and the bench, after each input. */
void headless_settle(struct app *a);
#endif
