/* printer_usb — an ESC/POS printer on the USB printer class (usblp): target "/dev/usb/lp0".
 * Jobs are written to the device node; the status is asked with DLE EOT and read back from
 * the same node (the printer's bulk-in endpoint). Printers that do not answer (unidirectional
 * ones, or a regular file used for debugging) have an unknown state, reported as READY with
 * the reason in the detail; a printer that stayed silent once is not asked again until the
 * device is reopened, so it does not cost a timeout per job (the status layer,
 * printer_status.c, does the asking; this file only moves bytes).
 *
 * The node is opened lazily, never created (a missing /dev/usb/lp0 must not become a
 * regular file in /dev), and reopened after any failure: unplugging gives
 * PRINTER_ERR_OFFLINE, plugging back in makes the next call work. */
#include "fdio.h"
#include "printer.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int usb_connect(struct printer_transport *t)
{
	const char *path = t->priv;
	struct stat st;
	int fd, e;

	if (t->fd >= 0 && fdio_alive(t->fd))
		return 1;
	fdio_tp_disconnect(t);
	t->no_read = 0;
	t->no_read_why = NULL;
	fd = open(path, O_RDWR | O_APPEND | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM)) {
		fd = open(path, O_WRONLY | O_APPEND | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		t->no_read = 1;
		t->no_read_why = "the device is open for writing only";
	}
	if (fd < 0) {
		e = errno;
		t->e = e;
		if (fdio_gone(e))
			return PRINTER_ERR_OFFLINE;
		snprintf(t->err, sizeof t->err, "usb printer: cannot open %.120s: %s", path, strerror(e));
		return PRINTER_ERR_OFFLINE;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		snprintf(t->err, sizeof t->err, "usb printer: %.120s is a directory", path);
		return PRINTER_ERR_IO;
	}
	if (fstat(fd, &st) == 0 && !S_ISCHR(st.st_mode)) {
		t->no_read = 1;
		t->no_read_why = "not a device";
	}
	t->fd = fd;
	return 0;
}

static int usb_open(struct printer_transport *t, const char *target)
{
	char *path;

	if (!target[0] || strlen(target) >= PATH_MAX) {
		snprintf(t->err, sizeof t->err, "usb printer: bad device path '%.120s'", target);
		return PRINTER_ERR_IO;
	}
	path = strdup(target);
	if (!path) {
		snprintf(t->err, sizeof t->err, "usb printer: out of memory");
		return PRINTER_ERR_IO;
	}
	snprintf(t->label, sizeof t->label, "%.127s", path);
	t->priv = path;
	return 0;
}

static void usb_close(struct printer_transport *t)
{
	fdio_tp_disconnect(t);
	free(t->priv);
	t->priv = NULL;
}

const struct printer_transport_ops printer_usb_transport = {
	.name = "usb",
	.open = usb_open,
	.connect = usb_connect,
	.write = fdio_tp_write,
	.flush = fdio_tp_flush,
	.read = fdio_tp_read,
	.disconnect = fdio_tp_disconnect,
	.close = usb_close,
	.flags = PRINTER_TRANSPORT_SILENCE_UNKNOWN,
};
