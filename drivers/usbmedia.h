/* usbmedia — the kiosk's side of the USB stick helper (docs/usb-media.md): maintenance mode
 * asks the root helper behind a Unix socket (/run/recaudo-media.sock in the image) to mount a
 * technician's stick at its folder, to eject it, or what is there. One request per
 * connection, one line each way, bounded by a timeout. Blocking: call it on a worker, never on
 * the UI thread (usbmedia_eject_nowait excepted). No SDL, no allocation. */
#ifndef RECAUDO_USBMEDIA_H
#define RECAUDO_USBMEDIA_H
#include <stddef.h>

enum usbmedia_state {
	USBMEDIA_NO_HELPER, /* nothing listens at the socket (not the kiosk image): the folder is
			     * whatever the system mounts there, as before */
	USBMEDIA_MOUNTED,   /* the stick is at the folder: fstype, label */
	USBMEDIA_NONE,      /* status, eject: nothing mounted there */
	USBMEDIA_EJECTED,   /* eject: written out and unmounted, the stick may be pulled */
	USBMEDIA_NO_DEVICE, /* mount: no USB storage plugged in */
	USBMEDIA_FSTYPE,    /* mount: a stick without FAT or exFAT (fstype says which, "-": none) */
	USBMEDIA_BUSY,      /* eject: a file on it is open (or the helper is busy) */
	USBMEDIA_FAILED,    /* mount refused, no answer in time, or an answer not understood */
};

struct usbmedia_reply {
	enum usbmedia_state st;
	char cmd[8];     /* what was asked: "mount", "eject", "status" */
	char fstype[32]; /* MOUNTED, FSTYPE: "vfat", "exfat", "linux_raid_member", ... */
	char label[40];  /* MOUNTED: the volume label as the helper cleaned it ("-": none) */
	int err;         /* the errno of a connection that failed otherwise than "nobody there"
			  * (st FAILED), else 0 */
};

/* The default socket, [maintenance] usb_helper's default. */
#define USBMEDIA_SOCKET "/run/recaudo-media.sock"

/* Sends cmd ("mount", "eject" or "status") to the helper at sock and reads its answer into
 * *out, all within timeout_ms. Returns 0 when the helper answered (out->st says what), -1
 * otherwise: out->st NO_HELPER when no socket is there or nobody listens (ENOENT,
 * ECONNREFUSED), FAILED when the socket may not be used (out->err: EACCES, EPERM), its queue
 * is full, the answer did not come in time or is not the protocol's. */
int usbmedia_request(const char *sock, const char *cmd, int timeout_ms, struct usbmedia_reply *out);
/* Parses one reply line (without its newline) into *out (cmd left ""): 0, or -1 (FAILED) when
 * it is not one of the helper's answers. */
int usbmedia_parse(const char *line, struct usbmedia_reply *out);
/* Asks for an eject without waiting for the answer (leaving maintenance mode: the helper
 * writes the stick out and unmounts it on its own). Never blocks: 0 if the request was
 * handed over, -1 with errno if not (ENOENT, ECONNREFUSED: no helper). */
int usbmedia_eject_nowait(const char *sock);
#endif
