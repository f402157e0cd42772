/* maint_media — see maint_media.h. */
#include "maint_media.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"

void maint_media_ask(const struct config *cfg, const char *cmd, struct usbmedia_reply *r)
{
	if (!cfg->usb_helper[0]) {
		memset(r, 0, sizeof(*r));
		r->st = USBMEDIA_NO_HELPER;
		return;
	}
	usbmedia_request(cfg->usb_helper, cmd, MAINT_MEDIA_TIMEOUT_MS, r);
}

void maint_media_mount(const struct config *cfg, struct usbmedia_reply *r)
{
	maint_media_ask(cfg, "mount", r);
}

void maint_media_eject(const struct config *cfg, struct usbmedia_reply *r)
{
	maint_media_ask(cfg, "eject", r);
}

int maint_media_done(const struct usbmedia_reply *r)
{
	return r->st == USBMEDIA_MOUNTED || r->st == USBMEDIA_EJECTED || r->st == USBMEDIA_NONE;
}

int maint_media_unusable(const struct usbmedia_reply *r)
{
	return r->st == USBMEDIA_NO_DEVICE || r->st == USBMEDIA_FSTYPE || r->st == USBMEDIA_FAILED ||
	       r->st == USBMEDIA_BUSY;
}

void maint_media_text(char *out, size_t n, const struct usbmedia_reply *r)
{
	switch (r->st) {
	case USBMEDIA_MOUNTED:
		if (strcmp(r->label, "-"))
			snprintf(out, n, tr(STR_MM_MOUNTED), r->label, r->fstype);
		else
			snprintf(out, n, tr(STR_MM_MOUNTED_NOLABEL), r->fstype);
		break;
	case USBMEDIA_NO_DEVICE:
		snprintf(out, n, "%s", tr(STR_MM_NO_DEVICE));
		break;
	case USBMEDIA_FSTYPE:
		if (strcmp(r->fstype, "-"))
			snprintf(out, n, tr(STR_MM_FSTYPE), r->fstype);
		else
			snprintf(out, n, "%s", tr(STR_MM_NOFS));
		break;
	case USBMEDIA_FAILED:
		snprintf(out, n, "%s", tr(STR_MM_FAILED));
		break;
	case USBMEDIA_BUSY: /* an eject with a file open; else the helper busy with another request */
		snprintf(out, n, "%s", tr(strcmp(r->cmd, "eject") ? STR_MM_HELPER_BUSY : STR_MM_BUSY));
		break;
	case USBMEDIA_EJECTED:
		snprintf(out, n, "%s", tr(STR_MM_EJECTED));
		break;
	case USBMEDIA_NONE:
		snprintf(out, n, "%s", tr(STR_MM_NONE));
		break;
	case USBMEDIA_NO_HELPER:
	default:
		if (n)
			out[0] = 0;
		break;
	}
}
