/* Private directories, secret files and directory fsync (see files.h). */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

static int owner_ok(uid_t uid)
{
	return uid == geteuid() || uid == 0;
}

int files_mkdir_p(const char *dir, int *created, char *err, size_t errn)
{
	char tmp[512];
	int made = 0;

	if (created)
		*created = 0;
	if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp) {
		snprintf(err, errn, "%s: the path is too long", dir);
		return -1;
	}
	size_t n = strlen(tmp);
	while (n > 1 && tmp[n - 1] == '/')
		tmp[--n] = 0;
	for (char *p = tmp + 1;; p++) {
		if (*p && *p != '/')
			continue;
		char c = *p;
		*p = 0;
		if (mkdir(tmp, 0700) == 0) {
			made++;
		} else if (errno != EEXIST) {
			snprintf(err, errn, "%s: cannot create the directory: %s", tmp, strerror(errno));
			*p = c;
			if (created)
				*created = made;
			return -1;
		} else {
			made = 0; /* only a run of new directories at the end can be undone */
		}
		*p = c;
		if (!c)
			break;
	}
	if (created)
		*created = made;
	return 0;
}

void files_unmake_dirs(const char *dir, int created)
{
	char tmp[512];

	if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp)
		return;
	for (int i = 0; i < created; i++) {
		size_t n = strlen(tmp);
		while (n > 1 && tmp[n - 1] == '/')
			tmp[--n] = 0;
		if (rmdir(tmp) != 0)
			return;
		char *slash = strrchr(tmp, '/');
		if (!slash || slash == tmp)
			return;
		*slash = 0;
	}
}

int files_private_dir(const char *dir, char *err, size_t errn)
{
	struct stat st;

	if (files_mkdir_p(dir, NULL, err, errn) != 0)
		return -1;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errn, "%s: is not a directory", dir);
		return -1;
	}
	if (!owner_ok(st.st_uid)) {
		snprintf(err, errn, "%s: the data directory belongs to another user (uid %u)", dir,
			 (unsigned)st.st_uid);
		return -1;
	}
	if ((st.st_mode & 077) && chmod(dir, 0700) != 0) {
		snprintf(err, errn, "%s: cannot make the data directory private: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

int files_private_file(const char *path, char *err, size_t errn)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return 0;
	if ((st.st_mode & 077) && chmod(path, st.st_mode & 0600) != 0) {
		snprintf(err, errn, "%s: cannot make it private: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int secret_ok(const struct stat *st, const char *path, const char *what, char *err, size_t errn)
{
	if (!S_ISREG(st->st_mode)) {
		snprintf(err, errn, "%s: the %s is not a regular file", path, what);
		return -1;
	}
	if (!owner_ok(st->st_uid)) {
		snprintf(err, errn, "%s: the %s belongs to another user (uid %u); it must belong to the "
				    "kiosk's user", path, what, (unsigned)st->st_uid);
		return -1;
	}
	if (st->st_mode & 077) {
		snprintf(err, errn, "permissions %04o for '%s' are too open: the %s must not be readable "
				    "by others (chmod 600 '%s')", (unsigned)(st->st_mode & 07777), path, what, path);
		return -1;
	}
	return 0;
}

int files_check_secret(const char *path, const char *what, char *err, size_t errn)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(err, errn, "%s: cannot read the %s: %s", path, what, strerror(errno));
		return -1;
	}
	return secret_ok(&st, path, what, err, errn);
}

int files_check_secret_fd(int fd, const char *path, const char *what, char *err, size_t errn)
{
	struct stat st;

	if (fstat(fd, &st) != 0) {
		snprintf(err, errn, "%s: cannot read the %s: %s", path, what, strerror(errno));
		return -1;
	}
	return secret_ok(&st, path, what, err, errn);
}

int files_sync_dir(const char *path, char *err, size_t errn)
{
	char tmp[512];
	struct stat st;
	const char *dir = path;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(tmp, sizeof tmp, "%s", path);
		dir = dirname(tmp);
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		snprintf(err, errn, "%s: cannot sync the directory: %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int64_t files_free_bytes(const char *path)
{
	struct statvfs v;
	char tmp[512];

	if (statvfs(path, &v) != 0) {
		/* not there yet: the directory that will hold it */
		snprintf(tmp, sizeof tmp, "%s", path);
		if (statvfs(dirname(tmp), &v) != 0)
			return -1;
	}
	return (int64_t)v.f_bavail * (int64_t)v.f_frsize;
}

int files_disk_full(const char *path, int64_t need)
{
	int64_t f = files_free_bytes(path);

	return f >= 0 && f < need;
}
