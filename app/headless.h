/* headless — runs a script against the app on a virtual clock (docs/script-language.md).
 * Returns 0 if every line passed; otherwise prints "FILE:LINE: reason" and returns 1. */
#ifndef RECAUDO_HEADLESS_H
#define RECAUDO_HEADLESS_H
#include "app.h"

int headless_run(struct app *a, const char *script_path, const char *shots_dir);
#endif
