/* usbmedia — see usbmedia.h; the protocol in docs/usb-media.md. */
#include "usbmedia.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fdio.h"

/* a connected, non-blocking stream socket to path; -1 with errno */
static int connect_to(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (!path || !path[0] || strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

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

int usbmedia_request(const char *sock, const char *cmd, int timeout_ms, struct usbmedia_reply *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->cmd, sizeof(out->cmd), "%s", cmd);
	out->st = USBMEDIA_NO_HELPER;
	int fd = connect_to(sock);
	if (fd < 0) {
		/* no socket, or nobody listening: not the kiosk image. Anything else (not for this
		 * user, its queue full) is a helper there that did not take the request. */
		if (errno != ENOENT && errno != ECONNREFUSED && errno != ENOTDIR && errno != ENAMETOOLONG) {
			out->st = USBMEDIA_FAILED;
			out->err = errno;
		}
		return -1;
	}
	out->st = USBMEDIA_FAILED;
	int64_t deadline = fdio_now_ms() + timeout_ms;
	char req[24], line[128];
	int e = 0, n = snprintf(req, sizeof(req), "%s\n", cmd);
	if (n <= 0 || (size_t)n >= sizeof(req) ||
	    fdio_write(fd, (const uint8_t *)req, (size_t)n, timeout_ms, &e) != 0) {
		close(fd);
		return -1;
	}
	size_t got = 0;
	for (;;) {
		int64_t left = deadline - fdio_now_ms();
		if (left <= 0 || got == sizeof(line) - 1)
			break;
		int r = fdio_read(fd, (uint8_t *)line + got, sizeof(line) - 1 - got, (int)left, &e);
		if (r <= 0)
			break; /* timeout, or the helper closed without a newline */
		got += (size_t)r;
		line[got] = 0;
		char *nl = memchr(line, '\n', got);
		if (nl) {
			*nl = 0;
			close(fd);
			int rc = usbmedia_parse(line, out);
			snprintf(out->cmd, sizeof(out->cmd), "%s", cmd);
			return rc;
		}
	}
	close(fd);
	return -1;
}

int usbmedia_eject_nowait(const char *sock)
{
	int fd = connect_to(sock);
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
