/* printer_file — appends each job's raw bytes to a file or device node (a spool file for
 * debugging, /dev/usb/lp0 on a kiosk without a status-capable transport). The descriptor
 * stays open between jobs; O_APPEND keeps concurrent writers from interleaving mid-job. */
#include "printer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct file_printer {
	int fd;
};

static int ferr(struct printer *p, const char *what, int e)
{
	snprintf(p->err, sizeof p->err, "file printer: %s: %s", what, strerror(e));
	return -1;
}

static int file_open(struct printer *p, const char *target)
{
	struct file_printer *f;
	int fd;

	if (!target[0])
		return ferr(p, "empty path", EINVAL);
	fd = open(target, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		int e = errno;

		snprintf(p->err, sizeof p->err, "file printer: cannot open '%s': %s", target,
			 strerror(e));
		return -1;
	}
	f = malloc(sizeof *f);
	if (!f) {
		close(fd);
		return ferr(p, "out of memory", ENOMEM);
	}
	f->fd = fd;
	p->priv = f;
	return 0;
}

static int file_job(struct printer *p, const char *job, const uint8_t *buf, size_t len)
{
	struct file_printer *f = p->priv;

	(void)job;
	while (len > 0) {
		ssize_t w = write(f->fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return ferr(p, "write failed", w < 0 ? errno : EIO);
		buf += w;
		len -= (size_t)w;
	}
	/* Character devices and pipes cannot be synced; that is not a failed job. */
	if (fsync(f->fd) < 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP)
		return ferr(p, "fsync failed", errno);
	return 0;
}

static void file_close(struct printer *p)
{
	struct file_printer *f = p->priv;

	if (f) {
		close(f->fd);
		free(f);
	}
	p->priv = NULL;
}

const struct printer_ops printer_file_ops = {
	.name = "file",
	.open = file_open,
	.job = file_job,
	.close = file_close,
};
