/* printer_virtual — a printer that keeps its paper: each job becomes DIR/<job>.bin (the exact
 * ESC/POS bytes) and DIR/<job>.png (those bytes rendered by escpos_render at the printer's
 * width). Used for previews, demos and tests. Files appear atomically (written to .tmp,
 * fsynced, renamed) so a viewer or test never sees half a receipt. */
#include "printer.h"
#include "escpos_render.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct virt {
	char dir[PATH_MAX];
};

static int verr(struct printer *p, const char *what, const char *path, int e)
{
	snprintf(p->err, sizeof p->err, "virtual printer: %s '%.120s': %s", what, path, strerror(e));
	return -1;
}

/* Writing a scratch file is the only honest writability test (read-only mounts, ACLs, root). */
static int dir_probe(struct printer *p, const char *dir)
{
	char probe[PATH_MAX];
	int fd;

	if (snprintf(probe, sizeof probe, "%s/.probe-XXXXXX", dir) >= (int)sizeof probe)
		return verr(p, "path too long", dir, ENAMETOOLONG);
	fd = mkstemp(probe);
	if (fd < 0)
		return verr(p, "directory is not writable", dir, errno);
	close(fd);
	unlink(probe);
	return 0;
}

static int virt_open(struct printer *p, const char *target)
{
	struct virt *v;
	struct stat st;

	if (!target[0] || strlen(target) > PATH_MAX - 96)
		return verr(p, "bad directory", target, EINVAL);
	if (stat(target, &st) < 0) {
		if (errno != ENOENT || mkdir(target, 0755) < 0)
			return verr(p, "cannot create directory", target, errno);
	} else if (!S_ISDIR(st.st_mode)) {
		return verr(p, "target is not a directory", target, ENOTDIR);
	}
	if (dir_probe(p, target) < 0)
		return -1;
	v = calloc(1, sizeof *v);
	if (!v)
		return verr(p, "out of memory for", target, ENOMEM);
	snprintf(v->dir, sizeof v->dir, "%s", target);
	p->priv = v;
	return 0;
}

static int write_all(int fd, const uint8_t *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

static int bin_write(struct printer *p, const char *tmp, const char *path, const uint8_t *buf,
		     size_t len)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int e;

	if (fd < 0)
		return verr(p, "cannot create", tmp, errno);
	if (write_all(fd, buf, len) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		unlink(tmp);
		return verr(p, "cannot write", tmp, e);
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		return verr(p, "cannot write", path, e);
	}
	return 0;
}

static void dir_sync(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static int job_path(struct printer *p, char *out, const char *dir, const char *job,
		    const char *suffix)
{
	int n = snprintf(out, PATH_MAX, "%s/%s%s", dir, job, suffix);

	if (n < 0 || n >= PATH_MAX)
		return verr(p, "path too long in", dir, ENAMETOOLONG);
	return 0;
}

static int virt_job(struct printer *p, const char *job, const uint8_t *buf, size_t len)
{
	struct virt *v = p->priv;
	char path[PATH_MAX], tmp[PATH_MAX], why[160];
	int e;

	if (job_path(p, path, v->dir, job, ".bin") < 0 ||
	    job_path(p, tmp, v->dir, job, ".bin.tmp") < 0 ||
	    bin_write(p, tmp, path, buf, len) < 0)
		return -1;
	if (job_path(p, path, v->dir, job, ".png") < 0 ||
	    job_path(p, tmp, v->dir, job, ".png.tmp") < 0)
		return -1;
	if (escpos_render_png(buf, len, p->dots, tmp, NULL, why, sizeof why) < 0) {
		unlink(tmp);
		snprintf(p->err, sizeof p->err, "%s", why);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		return verr(p, "cannot write", path, e);
	}
	dir_sync(v->dir);
	return 0;
}

static void virt_close(struct printer *p)
{
	free(p->priv);
	p->priv = NULL;
}

const struct printer_ops printer_virtual_ops = {
	.name = "virtual",
	.open = virt_open,
	.job = virt_job,
	.close = virt_close,
};
