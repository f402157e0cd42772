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

/* Asks the helper at cfg->usb_helper to mount the stick (or say what is mounted). With no
 * helper configured, or none listening, r->st is USBMEDIA_NO_HELPER and the folder is used
 * as the system mounted it. */
void maint_media_mount(const struct config *cfg, struct usbmedia_reply *r);
/* Asks the helper to write the stick out and unmount it. */
void maint_media_eject(const struct config *cfg, struct usbmedia_reply *r);
/* 1 when a mount's reply means the folder must not be used (no stick, a file system that is
 * not FAT or exFAT, a mount that failed): the job reads and writes nothing and says why. */
int maint_media_unusable(const struct usbmedia_reply *r);
/* The reply for the technician in the current language (i18n.h); "" for NO_HELPER. The label
 * comes cleaned by the helper (letters, digits, space, '.', '_', '-'). */
void maint_media_text(char *out, size_t n, const struct usbmedia_reply *r);
#endif
