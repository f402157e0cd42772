/* The maintenance screen "Datos"'s work off the UI thread (maint_data_io.h). */
#include "maint_data_io.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

int mdata_name_ok(const char *name)
{
	size_t len = name ? strlen(name) : 0;
	if (len < 6 || len >= MDATA_NAME_MAX || name[0] == '.' || strcasecmp(name + len - 5, ".json") != 0)
		return 0;
	for (const char *p = name; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.' || c == ' '))
			return 0;
	}
	return 1;
}

static int newest_first(const void *a, const void *b)
{
	const struct mdata_file *x = a, *y = b;
	if (x->mtime != y->mtime)
		return x->mtime > y->mtime ? -1 : 1;
	return strcmp(x->name, y->name);
}

void mdata_list(const char *dir, struct mdata_listing *out)
{
	/* every candidate is kept while reading, then the newest MDATA_FILES_MAX are listed */
	struct mdata_file *all = NULL;
	size_t nall = 0, cap = 0;
	struct stat sb;
	memset(out, 0, sizeof(*out));
	if (stat(dir, &sb) != 0) {
		out->dir = errno == ENOENT || errno == ENOTDIR ? MDATA_DIR_MISSING : MDATA_DIR_UNREADABLE;
		snprintf(out->err, sizeof(out->err), "%s", strerror(errno));
		return;
	}
	if (!S_ISDIR(sb.st_mode)) {
		out->dir = MDATA_DIR_NOT_DIR;
		snprintf(out->err, sizeof(out->err), "not a directory");
		return;
	}
	DIR *d = opendir(dir);
	if (!d) {
		out->dir = MDATA_DIR_UNREADABLE;
		snprintf(out->err, sizeof(out->err), "%s", strerror(errno));
		return;
	}
	struct dirent *e;
	char path[512];
	/* readdir is safe on a stream only this thread reads (POSIX; readdir_r is deprecated) */
	/* cppcheck-suppress readdirCalled */
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcasecmp(e->d_name + len - 5, ".json") != 0)
			continue;
		int n = snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (!mdata_name_ok(e->d_name) || n < 0 || (size_t)n >= sizeof(path) || stat(path, &sb) != 0 ||
		    !S_ISREG(sb.st_mode)) {
			out->skipped++;
			continue;
		}
		if (nall == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct mdata_file *na = realloc(all, nc * sizeof(*na));
			if (!na) {
				out->skipped++;
				continue;
			}
			all = na;
			cap = nc;
		}
		memcpy(all[nall].name, e->d_name, strlen(e->d_name) + 1); /* < MDATA_NAME_MAX: mdata_name_ok */
		all[nall].bytes = (int64_t)sb.st_size;
		all[nall].mtime = (int64_t)sb.st_mtime;
		nall++;
	}
	closedir(d);
	if (nall)
		qsort(all, nall, sizeof(*all), newest_first);
	out->n = nall > MDATA_FILES_MAX ? MDATA_FILES_MAX : (int)nall;
	out->more = (int)nall - out->n;
	if (out->n)
		memcpy(out->f, all, (size_t)out->n * sizeof(*all));
	free(all);
}

int mdata_import(struct store *s, const char *dir, const char *name, store_import_progress progress,
		 void *user, struct store_import_report *rep, char *msg, size_t n)
{
	char path[512], err[512];
	memset(rep, 0, sizeof(*rep));
	if (n)
		msg[0] = 0;
	if (!mdata_name_ok(name)) {
		snprintf(msg, n, "not a portfolio file name (*.json)");
		return STORE_EINVAL;
	}
	int len = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (len < 0 || (size_t)len >= sizeof(path)) {
		snprintf(msg, n, "%s: the folder's path is too long", name);
		return STORE_EINVAL;
	}
	int rc = store_import_file_ex(s, path, progress, user, rep, err, sizeof(err));
	if (rc < 0) {
		/* the importer names the file by the path it was given: the folder is on screen already */
		size_t dl = (size_t)len - strlen(name);
		snprintf(msg, n, "%s", strncmp(err, path, dl) == 0 ? err + dl : err);
	}
	return rc;
}

int mdata_info(struct store *s, struct mdata_info *out)
{
	struct store_status st;
	struct store_disk disk;
	memset(out, 0, sizeof(*out));
	if (store_status_get(s, &st) != 0)
		return -1;
	out->schema = st.schema_version;
	out->as_of = st.data_as_of;
	out->customers = st.customers;
	out->documents = st.documents;
	if (store_disk_usage(s, &disk) == 0) {
		out->store_bytes = disk.store_bytes;
		out->free_bytes = disk.free_bytes;
	}
	return 0;
}

void mdata_count_code(char *out, size_t n, const char *key, int64_t v)
{
	size_t used = strlen(out);
	if (used >= n)
		return;
	if (v < 100000)
		snprintf(out + used, n - used, "%s%s=%lld", used ? " " : "", key, (long long)v);
	else
		snprintf(out + used, n - used, "%s%s_k=%lld", used ? " " : "", key, (long long)(v / 1000));
}
