/* maint_media — the technician's USB stick in maintenance mode (and the agent's in field
 * mode), through the root helper (drivers/usbmedia.h, docs/usb-media.md): mounted at its folder
 * before a job reads or writes there, ejected from "Datos" or when maintenance mode is left,
 * and what happened in words for the screen. The mount and the eject block: call them on the
 * worker (maint_job, field jobs), never on the UI thread. */
#ifndef RECAUDO_MAINT_MEDIA_H
#define RECAUDO_MAINT_MEDIA_H
#include <stddef.h>

#include "config.h"
#include "usbmedia.h"

/* the helper may be slow on a big exFAT stick or a long eject, and waits up to 20 s for
 * another request's lock: the worker waits this long at most (the helper's own limit is 60 s) */
#define MAINT_MEDIA_TIMEOUT_MS 45000

/* Asks the helper at cfg->usb_helper cmd ("mount", "eject", "status"), waiting at most
 * MAINT_MEDIA_TIMEOUT_MS. With no helper configured, or none listening, r->st is
 * USBMEDIA_NO_HELPER (the folder is used as the system mounted it). */
void maint_media_ask(const struct config *cfg, const char *cmd, struct usbmedia_reply *r);
/* maint_media_ask "mount": the stick mounted, or what is mounted already. */
void maint_media_mount(const struct config *cfg, struct usbmedia_reply *r);
/* maint_media_ask "eject": the stick written out and unmounted. */
void maint_media_eject(const struct config *cfg, struct usbmedia_reply *r);
/* 1 when the helper did what was asked: mounted, ejected, or nothing there to eject. */
int maint_media_done(const struct usbmedia_reply *r);
/* 1 when a mount's reply means the folder must not be used (no stick, a file system that is
 * not FAT or exFAT, a mount that failed): the job reads and writes nothing and says why. */
int maint_media_unusable(const struct usbmedia_reply *r);
/* The reply for the technician in the current language (i18n.h); "" for NO_HELPER. The label
 * comes cleaned by the helper (letters, digits, space, '.', '_', '-'). */
void maint_media_text(char *out, size_t n, const struct usbmedia_reply *r);
#endif
