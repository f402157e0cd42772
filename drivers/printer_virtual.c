/* printer_virtual — a printer that keeps its paper: each job becomes DIR/<job>.bin (the exact
 * ESC/POS bytes) and DIR/<job>.png (those bytes rendered by escpos_render at the printer's
 * width). Used for previews, demos and tests. Files appear atomically (written to .tmp,
 * fsynced, renamed) so a viewer or test never sees half a receipt.
 *
 * Faults make it a printer in trouble, for tests of the layers above: the target
 * "DIR?near_end=1&paper_out_after=40&cover_open=1" (any subset, '&'-separated) reports paper
 * near end; runs out of paper after 40 lines of text over the handle's life (the job that
 * crosses the line is cut right after its 40th line: the .bin and .png hold only what was
 * printed, and the job fails with PRINTER_ERR_INCOMPLETE); has its cover open (jobs refused,
 * nothing written). Also offline=1, error=1, and silent=1 (status answers time out). A line
 * is an LF outside command parameters (so a 0x0A in a QR payload or an image is not one). */
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
	int near_end, cover_open, offline, error, silent;
	long lines_left; /* paper left, in lines; -1: an endless roll */
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

static int fault_set(struct printer *p, struct virt *v, const char *key, size_t kn,
		     const char *val)
{
	const struct {
		const char *key;
		int *slot;
	} flags[] = {
		{"near_end", &v->near_end}, {"cover_open", &v->cover_open},
		{"offline", &v->offline},   {"error", &v->error},
		{"silent", &v->silent},
	};
	char *end;
	long n;

	errno = 0;
	n = strtol(val, &end, 10);
	if (!*val || *end || errno || n < 0 || n > 1000000) {
		snprintf(p->err, sizeof p->err, "virtual printer: fault '%.*s' needs a number",
			 (int)(kn > 40 ? 40 : kn), key);
		return -1;
	}
	if (kn == strlen("paper_out_after") && memcmp(key, "paper_out_after", kn) == 0) {
		v->lines_left = n;
		return 0;
	}
	for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
		if (kn == strlen(flags[i].key) && memcmp(key, flags[i].key, kn) == 0) {
			*flags[i].slot = n != 0;
			return 0;
		}
	}
	snprintf(p->err, sizeof p->err,
		 "virtual printer: unknown fault '%.*s' (near_end, paper_out_after, cover_open, "
		 "offline, error, silent)",
		 (int)(kn > 40 ? 40 : kn), key);
	return -1;
}

/* "k=v&k=v" after the '?' of the target. */
static int faults_parse(struct printer *p, struct virt *v, const char *q)
{
	while (*q) {
		size_t len = strcspn(q, "&"), kn = strcspn(q, "=");
		char val[16];

		if (kn >= len || len - kn - 1 >= sizeof val) {
			snprintf(p->err, sizeof p->err, "virtual printer: bad fault '%.*s' (key=value)",
				 (int)(len > 40 ? 40 : len), q);
			return -1;
		}
		memcpy(val, q + kn + 1, len - kn - 1);
		val[len - kn - 1] = '\0';
		if (fault_set(p, v, q, kn, val) < 0)
			return -1;
		q += len;
		if (*q == '&')
			q++;
	}
	return 0;
}

static int virt_open(struct printer *p, const char *target)
{
	struct virt *v;
	struct stat st;
	char dir[PATH_MAX];
	const char *q = strchr(target, '?');
	size_t n = q ? (size_t)(q - target) : strlen(target);

	if (n == 0 || n > PATH_MAX - 96)
		return verr(p, "bad directory", target, EINVAL);
	memcpy(dir, target, n);
	dir[n] = '\0';
	v = calloc(1, sizeof *v);
	if (!v)
		return verr(p, "out of memory for", dir, ENOMEM);
	v->lines_left = -1;
	if (q && faults_parse(p, v, q + 1) < 0)
		goto fail;
	if (stat(dir, &st) < 0) {
		if (errno != ENOENT || mkdir(dir, 0755) < 0) {
			verr(p, "cannot create directory", dir, errno);
			goto fail;
		}
	} else if (!S_ISDIR(st.st_mode)) {
		verr(p, "target is not a directory", dir, ENOTDIR);
		goto fail;
	}
	if (dir_probe(p, dir) < 0)
		goto fail;
	snprintf(v->dir, sizeof v->dir, "%s", dir);
	p->priv = v;
	return 0;
fail:
	free(v);
	return -1;
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

static size_t le16(const uint8_t *b)
{
	return (size_t)b[0] | (size_t)b[1] << 8;
}

/* Bytes taken by the command at b (ESC, GS, FS or DLE first), parameters and payload
 * included, for the commands that carry data (GS ( k QR, GS v 0 raster, ESC * images, GS k
 * barcodes). Others count as the prefix, the command byte and one parameter, which is
 * right for nearly all of them. Never more than n. */
static size_t cmd_len(const uint8_t *b, size_t n)
{
	size_t len = 3;

	if (n < 3)
		return n;
	if (b[0] == 0x10) { /* DLE EOT n, DLE ENQ n; DLE DC4 fn a b */
		len = b[1] == 0x14 ? 5 : 3;
	} else if (b[0] == 0x1b) {
		switch (b[1]) {
		case '@': case '2': case '<': case 'i': case 'm': len = 2; break;
		case '$': case '\\': len = 4; break;
		case 'c': len = 4; break;
		case 'p': len = 5; break;
		case '*':
			len = n < 5 ? n : 5 + le16(b + 3) * (b[2] >= 32 ? 3 : 1);
			break;
		default: break;
		}
	} else if (b[0] == 0x1d) {
		switch (b[1]) {
		case '(': case '8':
			len = n < 5 ? n : 5 + le16(b + 3);
			break;
		case 'v':
			len = n < 8 ? n : 8 + le16(b + 4) * le16(b + 6);
			break;
		case 'V': len = b[2] >= 65 ? 4 : 3; break;
		case 'L': case 'W': case '$': case 'P': len = 4; break;
		case 'k':
			if (b[2] <= 6) { /* NUL-terminated data */
				const uint8_t *z = memchr(b + 3, 0, n - 3);

				len = z ? (size_t)(z - b) + 1 : n;
			} else {
				len = n < 4 ? n : 4 + (size_t)b[3];
			}
			break;
		default: break;
		}
	} else if (b[0] == 0x1c) {
		if (b[1] == '(')
			len = n < 5 ? n : 5 + le16(b + 3);
		else if (b[1] == '.' || b[1] == '&')
			len = 2;
		else if (b[1] == 'p')
			len = 4;
	}
	return len < n ? len : n;
}

/* How much of buf fits on the paper left: the length up to and including the line feed that
 * uses the last line (all of buf if it fits). Takes the lines used from *left. */
static size_t paper_fit(const uint8_t *buf, size_t len, long *left)
{
	size_t i = 0;

	if (*left < 0)
		return len;
	while (i < len) {
		uint8_t c = buf[i];

		if (c == 0x10 || c == 0x1b || c == 0x1c || c == 0x1d) {
			i += cmd_len(buf + i, len - i);
			continue;
		}
		i++;
		if (c == '\n' && --*left == 0)
			return i;
	}
	return len;
}

static int virt_status(struct printer *p, struct printer_status *out, int timeout_ms)
{
	struct virt *v = p->priv;

	(void)timeout_ms;
	out->detail[0] = '\0';
	if (v->silent) {
		snprintf(p->err, sizeof p->err, "virtual printer: no answer (fault silent=1)");
		return PRINTER_ERR_TIMEOUT;
	}
	if (v->cover_open)
		out->state = PRINTER_COVER_OPEN;
	else if (v->lines_left == 0)
		out->state = PRINTER_PAPER_OUT;
	else if (v->error)
		out->state = PRINTER_ERROR;
	else if (v->offline)
		out->state = PRINTER_OFFLINE;
	else if (v->near_end)
		out->state = PRINTER_PAPER_NEAR_END;
	else
		out->state = PRINTER_READY;
	if (out->state != PRINTER_READY)
		snprintf(out->detail, sizeof out->detail, "virtual fault: %s",
			 printer_state_name(out->state));
	return 0;
}

static int virt_job(struct printer *p, const char *job, const uint8_t *buf, size_t len)
{
	struct virt *v = p->priv;
	char path[PATH_MAX], tmp[PATH_MAX], why[160];
	size_t fit = paper_fit(buf, len, &v->lines_left);
	int e;

	if (job_path(p, path, v->dir, job, ".bin") < 0 ||
	    job_path(p, tmp, v->dir, job, ".bin.tmp") < 0 ||
	    bin_write(p, tmp, path, buf, fit) < 0)
		return -1;
	if (job_path(p, path, v->dir, job, ".png") < 0 ||
	    job_path(p, tmp, v->dir, job, ".png.tmp") < 0)
		return -1;
	if (escpos_render_png(buf, fit, p->dots, tmp, NULL, why, sizeof why) < 0) {
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
	if (fit < len) {
		snprintf(p->err, sizeof p->err,
			 "virtual printer: paper ran out: job '%s' cut at byte %zu of %zu", job, fit,
			 len);
		return PRINTER_ERR_INCOMPLETE;
	}
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
	.status = virt_status,
	.close = virt_close,
};
