/* tmpdir — the tests' scratch directories: removed with everything below them. Header-only,
 * like check.h. */
#ifndef RECAUDO_TMPDIR_H
#define RECAUDO_TMPDIR_H
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Removes path: a file, or a directory and everything in it (no symlinks followed). */
static inline void tmpdir_remove(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		char p[1024];
		while (d && (e = readdir(d)) != NULL) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			int n = snprintf(p, sizeof p, "%s/%s", path, e->d_name);
			if (n > 0 && (size_t)n < sizeof p)
				tmpdir_remove(p);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}
#endif
