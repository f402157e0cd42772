/* maint_update — the words of the "Software" screen's install (app/maint_update.c), shared with
 * `recaudo maint software` (app/cli_maint.c): what each phase the update helper reports and
 * each way an install ends say to the technician, in the current language (i18n.h). */
#ifndef RECAUDO_MAINT_UPDATE_H
#define RECAUDO_MAINT_UPDATE_H
#include <stddef.h>

#include "updater.h"

/* An install from the "Software" screen (or `recaudo maint software install`) waits at most
 * this long for the server to acknowledge the money events (update --timeout-s): a technician
 * waits in front of the kiosk, not the day the shell's `update` allows. */
#define MAINT_UPDATE_WAIT_S 600
/* A listing checks each bundle's signature (rauc info, a few seconds each on a slow machine,
 * up to 16 bundles): the worker waits this long for it. */
#define MAINT_UPDATE_LIST_MS 120000

/* "Paquete 2.0.0 verificado…", "Hay pagos que el servidor aún no confirma…", "Instalando…" */
void maint_update_phase_text(char *out, size_t n, enum updater_phase ph, const char *version);
/* How the install r ended, in words ("2.0.0 instalada. El quiosco se reinicia…", "No se
 * instaló: …"). */
void maint_update_result_text(char *out, size_t n, const struct updater_install *r);
/* Its audit result word: ok, refused, money_waiting, bad_bundle, install_failed, busy, failed. */
const char *maint_update_result_code(enum updater_result r);
#endif
