/* usbmedia — see usbmedia.h; the protocol in docs/usb-media.md. */
#include "usbmedia.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fdio.h"
#include "helpersock.h"

/* copies one space-free word of at most n - 1 characters: 0, or -1 when it is too long */
static int word(char *dst, size_t n, const char *src, size_t len)
{
	if (len == 0 || len >= n)
		return -1;
	memcpy(dst, src, len);
	dst[len] = 0;
	return 0;
}

int usbmedia_parse(const char *line, struct usbmedia_reply *out)
{
	memset(out, 0, sizeof(*out));
	out->st = USBMEDIA_FAILED;
	if (!strcmp(line, "ok none")) {
		out->st = USBMEDIA_NONE;
	} else if (!strcmp(line, "ok ejected")) {
		out->st = USBMEDIA_EJECTED;
	} else if (!strcmp(line, "error no-device")) {
		out->st = USBMEDIA_NO_DEVICE;
	} else if (!strcmp(line, "error busy")) {
		out->st = USBMEDIA_BUSY;
	} else if (!strcmp(line, "error mount") || !strcmp(line, "error request")) {
		out->st = USBMEDIA_FAILED;
		return 0;
	} else if (!strncmp(line, "error fstype ", 13)) {
		const char *t = line + 13;
		if (strchr(t, ' ') || word(out->fstype, sizeof(out->fstype), t, strlen(t)))
			return -1;
		out->st = USBMEDIA_FSTYPE;
	} else if (!strncmp(line, "ok mounted ", 11)) {
		/* "ok mounted TYPE LABEL": the label may hold spaces, the type may not */
		const char *t = line + 11, *sp = strchr(t, ' ');
		if (!sp || word(out->fstype, sizeof(out->fstype), t, (size_t)(sp - t)) ||
		    word(out->label, sizeof(out->label), sp + 1, strlen(sp + 1)))
			return -1;
		for (const char *c = out->label; *c; c++)
			if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
				return -1;
		out->st = USBMEDIA_MOUNTED;
	} else {
		return -1;
	}
	return 0;
}

/* the one answer line: parsed into the reply; 1 = understood, 2 = not the protocol */
static int one_line(void *ctx, const char *line)
{
	return usbmedia_parse(line, ctx) == 0 ? 1 : 2;
}

int usbmedia_request(const char *sock, const char *cmd, int timeout_ms, struct usbmedia_reply *out)
{
	memset(out, 0, sizeof(*out));
	out->st = USBMEDIA_NO_HELPER;
	int fd = helpersock_connect(sock);
	if (fd < 0) {
		/* no socket, or nobody listening: not the kiosk image. Anything else (not for this
		 * user, its queue full) is a helper there that did not take the request. */
		if (!helpersock_absent(errno)) {
			out->st = USBMEDIA_FAILED;
			out->err = errno;
		}
		snprintf(out->cmd, sizeof(out->cmd), "%s", cmd);
		return -1;
	}
	int e = 0, r = strlen(cmd) < sizeof(out->cmd)
			       ? helpersock_talk(fd, cmd, fdio_now_ms() + timeout_ms, one_line, out, &e)
			       : -1;
	close(fd);
	if (r != 1) {
		memset(out, 0, sizeof(*out));
		out->st = USBMEDIA_FAILED;
	}
	snprintf(out->cmd, sizeof(out->cmd), "%s", cmd);
	return r == 1 ? 0 : -1;
}

int usbmedia_eject_nowait(const char *sock)
{
	int fd = helpersock_connect(sock);
	if (fd < 0)
		return -1;
	ssize_t w = send(fd, "eject\n", 6, MSG_NOSIGNAL | MSG_DONTWAIT);
	int e = w < 0 ? errno : EIO;
	close(fd);
	if (w == 6)
		return 0;
	errno = e;
	return -1;
}
