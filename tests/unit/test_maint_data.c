/* test_maint_data — the maintenance screen "Datos"'s back end (app/maint_data_io.c): the
 * portfolio files offered from removable storage (only plain *.json files, the newest first),
 * a missing folder or a file in its place said as such, an import with its counts and
 * progress, a bad file refused with the importer's message (no folder, no id number) and the
 * store unchanged, the store's figures, and audit count codes that stay under 6 digits. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "check.h"
#include "maint_data_io.h"
#include "store.h"
#include "tmpdir.h"

#define DEMO "assets/demo/portfolio.json"

static char dir[64];

static void write_file(const char *name, const char *text, int64_t mtime)
{
	char p[256];
	snprintf(p, sizeof p, "%s/usb/%s", dir, name);
	FILE *f = fopen(p, "wb");
	if (!f)
		return;
	for (const char *c = text; *c; c++)
		fputc(*c == '\'' ? '"' : *c, f);
	fclose(f);
	struct timeval tv[2] = {{(time_t)mtime, 0}, {(time_t)mtime, 0}};
	utimes(p, tv);
}

static void copy_demo(const char *name, int64_t mtime)
{
	FILE *in = fopen(DEMO, "rb");
	char *buf = malloc(1 << 20);
	size_t n = in && buf ? fread(buf, 1, (1 << 20) - 1, in) : 0;
	if (in)
		fclose(in);
	if (buf) {
		buf[n] = 0;
		/* the demo file has no ' to turn into " */
		write_file(name, buf, mtime);
	}
	free(buf);
}

struct prog {
	int calls;
	int64_t last, total;
};
static void on_progress(void *user, int64_t done, int64_t total)
{
	struct prog *p = user;
	p->calls++;
	p->last = done;
	p->total = total;
}

int main(void)
{
	char usb[128], path[256], msg[300], err[300];
	struct mdata_listing l;
	struct store *s = NULL;

	snprintf(dir, sizeof dir, "/tmp/recaudo-mdata-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(usb, sizeof usb, "%s/usb", dir);

	/* no stick: missing, said so; a file where the folder should be */
	mdata_list(usb, &l);
	CHECK_INT(l.dir, MDATA_DIR_MISSING);
	CHECK_INT(l.n, 0);
	CHECK(l.err[0] != 0);
	FILE *f = fopen(usb, "w");
	if (f)
		fclose(f);
	mdata_list(usb, &l);
	CHECK_INT(l.dir, MDATA_DIR_NOT_DIR);
	snprintf(path, sizeof path, "%s/x", usb); /* a path through a file */
	mdata_list(path, &l);
	CHECK_INT(l.dir, MDATA_DIR_MISSING);
	unlink(usb);
	CHECK_INT(mkdir(usb, 0700), 0);

	/* an empty stick */
	mdata_list(usb, &l);
	CHECK_INT(l.dir, MDATA_DIR_OK);
	CHECK_INT(l.n, 0);

	/* what is offered: plain *.json, newest first; the rest skipped or ignored */
	copy_demo("cartera-2026-11-21.json", 1795302000);
	write_file("bad.JSON",
		   "{'format':'recaudo-portfolio/1','as_of':1795400000,'customers':["
		   "{'id_type':'CC','id_number':'777000111','name':'A','documents':[]},"
		   "{'id_type':'XX','id_number':'777000112','name':'B','documents':[]}]}",
		   1795400000);
	write_file(".hidden.json", "{}", 1795400000);
	write_file("notes.txt", "x", 1795400000);
	write_file("semi;colon.json", "{}", 1795400000);
	snprintf(path, sizeof path, "%s/folder.json", usb);
	mkdir(path, 0700);
	mdata_list(usb, &l);
	CHECK_INT(l.dir, MDATA_DIR_OK);
	CHECK_INT(l.n, 2);
	CHECK_STR(l.f[0].name, "bad.JSON");
	CHECK_STR(l.f[1].name, "cartera-2026-11-21.json");
	CHECK(l.f[1].bytes > 1000);
	CHECK_INT(l.f[1].mtime, 1795302000);
	CHECK_INT(l.skipped, 3); /* hidden, a ';' in the name, a folder */
	CHECK_INT(l.more, 0);
	for (int i = 0; i < MDATA_FILES_MAX + 2; i++) {
		char name[32];
		snprintf(name, sizeof name, "p%02d.json", i);
		write_file(name, "{}", 1795000000 + i);
	}
	mdata_list(usb, &l);
	CHECK_INT(l.n, MDATA_FILES_MAX);
	CHECK_INT(l.more, 4);
	CHECK_STR(l.f[0].name, "bad.JSON");

	CHECK(mdata_name_ok("a.json"));
	CHECK(!mdata_name_ok("../a.json"));
	CHECK(!mdata_name_ok("a/b.json"));
	CHECK(!mdata_name_ok(".a.json"));
	CHECK(!mdata_name_ok("a.txt"));
	CHECK(!mdata_name_ok(""));

	/* import: the good file with its counts and progress */
	snprintf(path, sizeof path, "%s/recaudo.db", dir);
	CHECK_INT(store_open(&s, path, err, sizeof err), 0);
	if (!s)
		goto out;
	struct mdata_info info;
	CHECK_INT(mdata_info(s, &info), 0);
	CHECK_INT(info.schema, store_schema_version(s));
	CHECK(info.schema >= 7);
	CHECK_INT(info.as_of, 0);
	CHECK(info.store_bytes > 0);

	struct store_import_report rep;
	struct prog pr = {0};
	CHECK_INT(mdata_import(s, usb, "cartera-2026-11-21.json", on_progress, &pr, &rep, msg, sizeof msg),
		  0);
	CHECK_STR(msg, "");
	CHECK_INT(rep.customers, 37);
	CHECK_INT(rep.documents, 159);
	CHECK_INT(rep.as_of, 1795302000);
	CHECK(pr.calls >= 2);
	CHECK_INT(pr.last, 37);
	CHECK_INT(pr.total, 37);
	CHECK_INT(mdata_info(s, &info), 0);
	CHECK_INT(info.as_of, 1795302000);
	CHECK_INT(info.customers, 37);
	CHECK_INT(info.documents, 159);

	/* a bad file: the importer's message, without the folder or an id number; nothing changed */
	CHECK(mdata_import(s, usb, "bad.JSON", NULL, NULL, &rep, msg, sizeof msg) < 0);
	CHECK(strncmp(msg, "bad.JSON: customers[1].id_type", 30) == 0);
	CHECK(strstr(msg, usb) == NULL);
	CHECK(strstr(msg, "777000") == NULL);
	CHECK_INT(rep.customers, 0);
	CHECK_INT(mdata_info(s, &info), 0);
	CHECK_INT(info.as_of, 1795302000);
	CHECK_INT(info.customers, 37);
	/* not JSON at all, a file gone, a name that is not offered */
	CHECK(mdata_import(s, usb, "p00.json", NULL, NULL, &rep, msg, sizeof msg) < 0);
	CHECK(strncmp(msg, "p00.json: ", 10) == 0);
	CHECK(mdata_import(s, usb, "gone.json", NULL, NULL, &rep, msg, sizeof msg) < 0);
	CHECK(strstr(msg, "cannot open") != NULL);
	CHECK(mdata_import(s, usb, "../recaudo.db", NULL, NULL, &rep, msg, sizeof msg) < 0);
	CHECK(strstr(msg, "not a portfolio file name") != NULL);
	CHECK_INT(mdata_info(s, &info), 0);
	CHECK_INT(info.documents, 159);

	/* audit codes stay under the 6-digit limit */
	char code[64] = "";
	mdata_count_code(code, sizeof code, "docs", 1200);
	mdata_count_code(code, sizeof code, "customers", 150000);
	CHECK_STR(code, "docs=1200 customers_k=150");
out:
	store_close(s);
	if (!getenv("KEEP"))
		tmpdir_remove(dir);
	return check_done();
}
