/* maint_data_io — what the maintenance screen "Datos" (maint_data.c) does off the UI thread,
 * without SDL or the activity, so it is tested on its own (tests/unit/test_maint_data.c):
 * listing the portfolio files on removable storage, importing one, and the store's figures
 * (schema version, data age, size). Every function here reads or writes files or the store:
 * call them on the maintenance worker, never on the UI thread. docs/maintenance.md "Datos". */
#ifndef RECAUDO_MAINT_DATA_IO_H
#define RECAUDO_MAINT_DATA_IO_H
#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define MDATA_FILES_MAX 8 /* files listed (the newest first); more are counted, not listed */
#define MDATA_NAME_MAX 64 /* a longer name is not listed (counted in skipped) */

/* The folder as found. */
enum mdata_dir { MDATA_DIR_OK, MDATA_DIR_MISSING, MDATA_DIR_UNREADABLE, MDATA_DIR_NOT_DIR };

struct mdata_file {
	char name[MDATA_NAME_MAX];
	int64_t bytes;
	int64_t mtime; /* epoch s */
};
struct mdata_listing {
	enum mdata_dir dir;
	int n;       /* listed, in f[], newest first (then by name) */
	int more;    /* importable files beyond MDATA_FILES_MAX */
	int skipped; /* *.json entries not offered: not a regular file, hidden, a name too long
			  * or with characters other than letters, digits, '-', '_', '.', ' ' */
	struct mdata_file f[MDATA_FILES_MAX];
	char err[160]; /* dir != OK: what the system said (strerror) */
};
/* Lists the importable portfolio files (*.json, any case) in dir. Never fails: out->dir says
 * what was found. */
void mdata_list(const char *dir, struct mdata_listing *out);
/* 1 if name may be imported from the folder: one plain file name as mdata_list offers them
 * (no '/', not hidden, ends in .json, characters as above). */
int mdata_name_ok(const char *name);

/* Imports dir/name into s (store_import_file_ex: all or nothing) with its progress. Returns
 * 0 and *rep; or <0 with msg: the importer's message with the folder left out ("x.json:
 * customers[3].documents[1].balance: ..."; it never quotes an id number or a name), or why
 * the file was not even tried (a bad name). */
int mdata_import(struct store *s, const char *dir, const char *name, store_import_progress progress,
		 void *user, struct store_import_report *rep, char *msg, size_t n);

/* The store's figures for the screen. */
struct mdata_info {
	int schema;    /* PRAGMA user_version */
	int64_t as_of; /* the portfolio's as-of time, epoch s (0: never imported) */
	int64_t customers, documents;
	int64_t store_bytes; /* the database file and its WAL */
	int64_t free_bytes;  /* free on its file system */
};
int mdata_info(struct store *s, struct mdata_info *out);

/* An audit detail code for a count, kept under the audit's 6-digit limit (a run of 6 digits
 * looks like an ID number and is refused): "docs=1200", and from 100000 on in thousands,
 * "docs_k=150". Appends to out (n bytes) with a space before it when out is not empty. */
void mdata_count_code(char *out, size_t n, const char *key, int64_t v);
#endif
