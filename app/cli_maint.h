/* cli_maint — the technician's maintenance commands of `recaudo maint ...` (app/main.c
 * dispatches; docs/maintenance.md). */
#ifndef RECAUDO_CLI_MAINT_H
#define RECAUDO_CLI_MAINT_H
#include <stdio.h>

#include "config.h"
#include "printq.h"

/* `recaudo maint set-pin`: reads the PIN twice, from the terminal without echo when in is one,
 * else two lines of in (never from argv), and sets it in the store of data_dir (created if
 * missing). A mismatch, a wrong length or a non-digit changes nothing. Returns the exit code:
 * 0 and "PIN set" on out, else 1 with the reason on err. */
int cli_maint_set_pin(const char *data_dir, FILE *in, FILE *out, FILE *err);
/* `recaudo maint test-page`: prints the printer test page (app/testpage.c: code pages, native
 * and raster QR, a GS1-128 sample, the profile, the printer's state asked now) on the printer
 * of cfg through the print queue, recorded as a job of kind "test", and appends a
 * maint.test_page audit row with its result. For a technician's shell while the kiosk is
 * stopped, or with the virtual or file printer; a serial or USB printer the running kiosk holds
 * is busy. Returns the exit code: 0 and "test page printed" on out, else 1 with the reason. */
int cli_maint_test_page(const struct config *cfg, const char *data_dir, FILE *out, FILE *err);
/* One print job from a shell command (the test page, the totals slip): opens the store at db and
 * cfg's printer, asks its state, has submit queue the job (kind) with that state, waits for the
 * job's own result, appends the audit row `action` (ok|failed, detail + " state=S") and says
 * "WHAT printed (backend, printer S)" on out, or "recaudo: CMD: reason" on err. Returns the exit
 * code, 0 or 1. */
typedef int (*cli_print_submit)(struct printq *q, void *ctx, const struct printer_status *st, char *why,
				size_t n);
int cli_print_job(const struct config *cfg, const char *data_dir, const char *db, const char *cmd,
		  enum store_print_kind kind, cli_print_submit submit, void *ctx, const char *action,
		  const char *detail, const char *what, FILE *out, FILE *err);
/* `recaudo maint usb mount|eject|status`: asks the USB stick helper ([maintenance]
 * usb_helper, docs/usb-media.md) and says its answer in words (maint_media_text).
 * Returns the exit code: 0 when the stick is mounted, ejected or there is none to eject; 1
 * when it cannot be used or the helper failed; 3 when no helper listens; 2 for another verb. */
int cli_maint_usb(const struct config *cfg, const char *verb, FILE *out, FILE *err);
/* `recaudo maint software list` and `recaudo maint software install NAME [force]`: the update
 * bundles on the stick (mounted first), and the install of one, through the update helper
 * ([maintenance] update_helper, docs/update-helper.md), as the "Software" screen does: the
 * phases as they come, at most MAINT_UPDATE_WAIT_S for the server's acknowledgements. Returns
 * the exit code: 0 listed / installed (the machine reboots), 1 refused or failed, 3 when no
 * helper listens, 2 for other words. */
int cli_maint_software(const struct config *cfg, const char *const *argv, int argc, FILE *out, FILE *err);
/* `recaudo maint usb ...` and `recaudo maint software ...`: argv[0] says which. */
int cli_maint_helper(const struct config *cfg, const char *const *argv, int argc, FILE *out, FILE *err);
/* `recaudo audit verify`: recomputes the audit chain of the store in data_dir, read-only
 * (docs/maintenance.md "Audit chain"). Returns the exit code: 0 and "audit chain ok: N rows,
 * head H" on out; 1 naming the first broken row, or when the store cannot be read, on err. */
int cli_audit_verify(const char *data_dir, FILE *out, FILE *err);
#endif
