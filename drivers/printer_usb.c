/* printer_usb — an ESC/POS printer on the USB printer class (usblp): target "/dev/usb/lp0".
 * Jobs are written to the device node; the status is asked with DLE EOT and read back from
 * the same node (the printer's bulk-in endpoint). Printers that do not answer (unidirectional
 * ones, or a regular file used for debugging) have an unknown state, reported as READY with
 * the reason in the detail; a printer that stayed silent once is not asked again until the
 * device is reopened, so it does not cost a timeout per job.
 *
 * The node is opened lazily, never created (a missing /dev/usb/lp0 must not become a
 * regular file in /dev), and reopened after any failure: unplugging gives
 * PRINTER_ERR_OFFLINE, plugging back in makes the next call work. */
#include "fdio.h"
#include "escpos_status.h"
#include "printer.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct usb {
	char path[PATH_MAX];
	int fd;        /* -1 while not connected */
	int no_status; /* this connection cannot answer: write-only, a file, or silent once */
	const char *why;
};

static void disconnect(struct usb *u)
{
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
}

static int lost(struct printer *p, int rc, int e, const char *what)
{
	struct usb *u = p->priv;

	disconnect(u);
	if (rc == PRINTER_ERR_OFFLINE)
		snprintf(p->err, sizeof p->err, "impresora desconectada: %.120s: %s", u->path,
			 strerror(e ? e : EIO));
	else if (rc == PRINTER_ERR_TIMEOUT)
		snprintf(p->err, sizeof p->err, "usb printer: %.120s: %s timed out", u->path, what);
	else
		snprintf(p->err, sizeof p->err, "usb printer: %.120s: %s: %s", u->path, what,
			 strerror(e ? e : EIO));
	return rc;
}

static int connect_dev(struct printer *p)
{
	struct usb *u = p->priv;
	struct stat st;
	int fd, e;

	if (u->fd >= 0 && fdio_alive(u->fd))
		return 0;
	disconnect(u);
	u->no_status = 0;
	u->why = NULL;
	fd = open(u->path, O_RDWR | O_APPEND | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM)) {
		fd = open(u->path, O_WRONLY | O_APPEND | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		u->no_status = 1;
		u->why = "the device is open for writing only";
	}
	if (fd < 0) {
		e = errno;
		if (fdio_gone(e))
			return lost(p, PRINTER_ERR_OFFLINE, e, "open");
		snprintf(p->err, sizeof p->err, "usb printer: cannot open %.120s: %s", u->path,
			 strerror(e));
		return PRINTER_ERR_OFFLINE;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		snprintf(p->err, sizeof p->err, "usb printer: %.120s is a directory", u->path);
		return PRINTER_ERR_IO;
	}
	if (fstat(fd, &st) == 0 && !S_ISCHR(st.st_mode)) {
		u->no_status = 1;
		u->why = "not a device";
	}
	u->fd = fd;
	return 0;
}

static int usb_open(struct printer *p, const char *target)
{
	struct usb *u;

	if (!target[0] || strlen(target) >= PATH_MAX) {
		snprintf(p->err, sizeof p->err, "usb printer: bad device path '%.120s'", target);
		return PRINTER_ERR_IO;
	}
	u = calloc(1, sizeof *u);
	if (!u) {
		snprintf(p->err, sizeof p->err, "usb printer: out of memory");
		return PRINTER_ERR_IO;
	}
	snprintf(u->path, sizeof u->path, "%s", target);
	u->fd = -1;
	p->priv = u;
	return 0;
}

static int usb_status(struct printer *p, struct printer_status *out, int timeout_ms)
{
	struct usb *u = p->priv;
	uint8_t st[ESCPOS_STATUS_QUERIES];
	unsigned have;
	int bad, e, rc;

	rc = connect_dev(p);
	if (rc < 0)
		return rc;
	if (!u->no_status) {
		rc = fdio_dle_eot(u->fd, timeout_ms, st, &have, &bad, &e);
		if (rc < 0)
			return lost(p, rc, e, "status");
		if (have) {
			escpos_status_parse(st, have, out);
			return 0;
		}
		if (bad >= 0) {
			out->state = PRINTER_ERROR;
			snprintf(out->detail, sizeof out->detail,
				 "garbled answer 0x%02x to DLE EOT", bad);
			return 0;
		}
		u->no_status = 1;
		u->why = "no answer to DLE EOT";
	}
	out->state = PRINTER_READY;
	snprintf(out->detail, sizeof out->detail, "status unknown: %s", u->why);
	return 0;
}

static int usb_job(struct printer *p, const char *job, const uint8_t *buf, size_t len)
{
	struct usb *u = p->priv;
	int wms = p->write_ms > 0 ? p->write_ms : PRINTER_WRITE_TIMEOUT_MS;
	int e, rc;

	(void)job;
	rc = connect_dev(p);
	if (rc < 0)
		return rc;
	rc = fdio_write(u->fd, buf, len, wms, &e);
	if (rc == 0)
		rc = fdio_sent(u->fd, wms, &e);
	if (rc < 0)
		return lost(p, rc, e, "write");
	return 0;
}

static void usb_close(struct printer *p)
{
	struct usb *u = p->priv;

	if (u) {
		disconnect(u);
		free(u);
	}
	p->priv = NULL;
}

const struct printer_ops printer_usb_ops = {
	.name = "usb",
	.open = usb_open,
	.job = usb_job,
	.status = usb_status,
	.close = usb_close,
};
