/* printer_file — appends each job's raw bytes to a file or device node (a spool file for
 * debugging, /dev/usb/lp0 on a kiosk without a status-capable transport). A transport with
 * no back channel: the status layer reports it READY ("no status on the file backend"). The
 * descriptor is opened at printer_open (an unwritable path fails there, not at the first
 * receipt) and stays open; O_APPEND keeps concurrent writers from interleaving mid-job. */
#include "printer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int ferr(struct printer_transport *t, const char *what, int e)
{
	t->e = e;
	snprintf(t->err, sizeof t->err, "file printer: %s: %s", what, strerror(e));
	return PRINTER_ERR_IO;
}

static int file_open(struct printer_transport *t, const char *target)
{
	if (!target[0])
		return ferr(t, "empty path", EINVAL);
	t->fd = open(target, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (t->fd < 0) {
		int e = errno;

		snprintf(t->err, sizeof t->err, "file printer: cannot open '%.160s': %s", target,
			 strerror(e));
		return PRINTER_ERR_IO;
	}
	snprintf(t->label, sizeof t->label, "%.127s", target);
	return 0;
}

/* The descriptor stays open for the handle's life. */
static int file_connect(struct printer_transport *t)
{
	return t->fd >= 0 ? 1 : ferr(t, "not open", EBADF);
}

static int file_write(struct printer_transport *t, const uint8_t *buf, size_t len, int idle_ms)
{
	(void)idle_ms;
	while (len > 0) {
		ssize_t w = write(t->fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return ferr(t, "write failed", w < 0 ? errno : EIO);
		buf += w;
		len -= (size_t)w;
	}
	/* Character devices and pipes cannot be synced; that is not a failed job. */
	if (fsync(t->fd) < 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP)
		return ferr(t, "fsync failed", errno);
	return 0;
}

static void file_disconnect(struct printer_transport *t)
{
	(void)t; /* a file is not a connection: keep the descriptor */
}

static void file_close(struct printer_transport *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

const struct printer_transport_ops printer_file_transport = {
	.name = "file",
	.open = file_open,
	.connect = file_connect,
	.write = file_write,
	.disconnect = file_disconnect,
	.close = file_close,
};
