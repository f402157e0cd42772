/* Activities (app/activity.h) and the technician's out-of-service switch, through the app as
 * the kiosk runs it (headless, virtual clock):
 * - the --mode table: kiosk runs, field runs too, an unknown name is none;
 * - app_out_of_service() persists its flag in the store and leaves the customer journey at once
 *   (a session in progress is wiped); the flag survives a restart (the kiosk comes up out of
 *   service); app_return_to_service() clears it and the kiosk is back on attract at the next
 *   re-check, not before; out of service, the only timer is that re-check;
 * - a mode is a row: an activity of this test's own, passed as app_opts.home, is where the app
 *   starts and where it returns when service resumes; it hears ACT_STATUS only when the kiosk's
 *   status changed (a 30 s printer check that finds nothing new redraws nothing);
 * - a store that fails its integrity check while a session is on: the session goes on, and when
 *   it ends the kiosk is out of service with its services closed; they stay closed while the
 *   file is the same, and a good store copied over it brings attract back. */
#define _GNU_SOURCE
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "check.h"
#include "tmpdir.h"

#define START_MS 1795359600000LL /* 2026-11-22 10:00 -05:00 */

/* A mode of the test's own: counts what it is told, draws one label. */
static struct {
	int entered, left, status, ticks;
} probe;
static void probe_enter(struct app *a) { probe.entered++, a->dirty = 1; }
static void probe_handle(struct app *a, const struct act_event *e)
{
	(void)a;
	probe.status += e->type == ACT_STATUS;
	probe.ticks += e->type == ACT_TICK;
}
static int64_t probe_deadline(const struct app *a)
{
	(void)a;
	return INT64_MAX;
}
static int probe_dirty(const struct app *a)
{
	(void)a;
	return 0;
}
static void probe_draw(struct app *a)
{
	ui_begin(&a->ui, THEME_BG);
	ui_label(&a->ui, 10, 10, FONT_BODY, 0, THEME_TEXT, UI_LEFT, "probe");
}
static void probe_leave(struct app *a)
{
	(void)a;
	probe.left++;
}
static const char *probe_screen(const struct app *a)
{
	(void)a;
	return "probe";
}
static const struct activity act_probe = {.name = "probe", .mode = 1, .enter = probe_enter, .handle = probe_handle,
					  .next_deadline = probe_deadline, .dirty = probe_dirty, .draw = probe_draw,
					  .leave = probe_leave, .screen = probe_screen};

static struct app *open_home(const char *data, int64_t start_ms, const struct activity *home)
{
	char err[400];
	struct app *a = calloc(1, sizeof(*a));
	struct app_opts o = {.data_dir = data, .demo = 1, .headless = 1, .start_ms = start_ms, .w = 1080, .h = 1920,
			     .home = home};
	if (!a || app_open(a, &o, err, sizeof err) != 0) {
		fprintf(stderr, "app_open: %s\n", a ? err : "out of memory");
		free(a);
		return NULL;
	}
	return a;
}

static struct app *open_app(const char *data, int64_t start_ms) { return open_home(data, start_ms, NULL); }

/* Overwrites 256 bytes in the middle of a leaf page of the documents table. 0 or -1. */
static int corrupt_documents(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	long long page = 0, psize = 0;
	if (sqlite3_open(path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT min(pageno), (SELECT page_size FROM pragma_page_size) FROM dbstat "
				   "WHERE name = 'documents' AND pagetype = 'leaf'", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW) {
		page = sqlite3_column_int64(q, 0);
		psize = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	FILE *f = page > 1 && psize >= 512 ? fopen(path, "r+b") : NULL;
	if (!f)
		return -1;
	char junk[256];
	memset(junk, 0xff, sizeof junk);
	int ok = fseek(f, (long)((page - 1) * psize + psize / 2), SEEK_SET) == 0 && fwrite(junk, 1, sizeof junk, f) == sizeof junk;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int copy_file(const char *from, const char *to)
{
	static char buf[1 << 20];
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
	size_t n = in ? fread(buf, 1, sizeof buf, in) : 0;
	int ok = out && n > 0 && n < sizeof buf && fwrite(buf, 1, n, out) == n;
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

static void advance(struct app *a, int64_t ms)
{
	a->vclock_ms += ms;
	app_pump(a);
	app_render(a, 0);
}

int main(void)
{
	char dir[] = "/tmp/recaudo-activity-XXXXXX", data[128], v[64];
	if (!mkdtemp(dir))
		return 1;
	snprintf(data, sizeof data, "%s/data", dir);

	/* the mode table */
	CHECK(activity_mode("kiosk") == &act_customer);
	CHECK(activity_available(activity_mode("kiosk")));
	CHECK(activity_mode("field") == &act_field);
	CHECK(activity_available(activity_mode("field")));
	CHECK(activity_mode("out-of-service") == NULL); /* not a mode: the app enters it itself */
	CHECK(activity_mode("cashier") == NULL);
	char names[64];
	activity_mode_names(names, sizeof names);
	CHECK_STR(names, "kiosk, field");

	struct app *a = open_app(data, START_MS);
	CHECK(a != NULL);
	if (!a)
		goto out;
	app_render(a, 1);
	CHECK_STR(app_screen_name(a), "attract");
	/* a session in progress: the technician's switch wipes it */
	app_text(a, "1020");
	CHECK_STR(app_screen_name(a), "id-entry");
	CHECK_INT(app_out_of_service(a, "printer repair"), 0);
	CHECK_STR(app_screen_name(a), "out-of-service");
	CHECK_INT(a->oos, OOS_TECHNICIAN);
	CHECK_INT(a->flow.id_len, 0);
	CHECK_INT(store_meta_get(a->svc.store, APP_META_OUT_OF_SERVICE, v, sizeof v), 0);
	CHECK_STR(v, "printer repair");
	app_render(a, 1);
	CHECK(ui_seen(&a->ui, "El punto de pago está en mantenimiento."));
	CHECK(ui_seen(&a->ui, "The payment point is under maintenance."));
	/* out of service the only timer is the re-check; input does nothing */
	CHECK_INT(app_next_deadline(a), a->vclock_ms + APP_OOS_RECHECK_MS);
	app_text(a, "5");
	app_key(a, APP_KEY_ENTER);
	CHECK_STR(app_screen_name(a), "out-of-service");
	advance(a, APP_OOS_RECHECK_MS);
	CHECK_STR(app_screen_name(a), "out-of-service"); /* still flagged */
	app_close(a);
	free(a);

	/* the flag survives a restart */
	a = open_app(data, START_MS + 60000);
	CHECK(a != NULL);
	if (!a)
		goto out;
	CHECK_STR(app_screen_name(a), "out-of-service");
	CHECK_INT(app_return_to_service(a), 0);
	advance(a, 0);
	CHECK_STR(app_screen_name(a), "attract");
	app_render(a, 1);
	CHECK(ui_seen(&a->ui, "Toque para comenzar"));
	/* the clock: a kiosk whose session ends with the clock set back goes out of service */
	app_text(a, "1");
	CHECK_STR(app_screen_name(a), "id-entry");
	a->vclock_ms = app_build_date_s() * 1000 - 1000;
	app_key(a, APP_KEY_ESCAPE);
	app_key(a, APP_KEY_ESCAPE);
	CHECK_STR(app_screen_name(a), "out-of-service");
	CHECK_INT(a->oos, OOS_CLOCK);
	advance(a, APP_OOS_RECHECK_MS);
	CHECK_STR(app_screen_name(a), "attract"); /* 15 s later the clock is past the build date */
	app_close(a);
	free(a);

	/* a mode is a row: the app starts in it and comes back to it */
	a = open_home(data, START_MS + 120000, &act_probe);
	CHECK(a != NULL);
	if (!a)
		goto out;
	CHECK_STR(app_screen_name(a), "probe");
	CHECK_INT(probe.entered, 1);
	CHECK_INT(app_render(a, 0), 1);
	CHECK(ui_seen(&a->ui, "probe"));
	/* the status: told when it changed, not when a check finds the same. First the printer
	 * worker's check at start (its answer is news: the status line had no word yet). */
	for (int i = 0; i < 200 && a->st.printer != STR_PRINTER_READY; i++) {
		usleep(10000);
		app_pump(a);
	}
	CHECK_INT(a->st.printer, STR_PRINTER_READY);
	CHECK(probe.status >= 1);
	app_render(a, 0);
	int before = probe.status;
	app_pump(a);
	CHECK_INT(probe.status, before);
	CHECK_INT(app_render(a, 0), 0); /* nothing changed, nothing drawn */
	CHECK_INT(app_out_of_service(a, "test"), 0);
	CHECK_STR(app_screen_name(a), "out-of-service");
	CHECK_INT(probe.left, 1);
	CHECK_INT(app_return_to_service(a), 0);
	advance(a, 0);
	CHECK_STR(app_screen_name(a), "probe");
	CHECK_INT(probe.entered, 2);
	app_close(a);
	free(a);

	/* a store whose b-tree fails the integrity check, found while a session is on */
	char bad[160], bad_db[200], good_db[200];
	snprintf(bad, sizeof bad, "%s/bad", dir);
	snprintf(bad_db, sizeof bad_db, "%s/recaudo.db", bad);
	snprintf(good_db, sizeof good_db, "%s/recaudo.db", data);
	a = open_app(bad, START_MS);
	if (a) {
		app_close(a);
		free(a);
	}
	CHECK_INT(corrupt_documents(bad_db), 0);
	a = open_app(bad, START_MS);
	CHECK(a != NULL);
	if (!a)
		goto out;
	CHECK_STR(app_screen_name(a), "attract"); /* the check runs on the retention worker */
	app_text(a, "1");
	CHECK_STR(app_screen_name(a), "id-entry");
	retention_wait_first(a->svc.ret);
	advance(a, 0); /* its result comes in the middle of the session */
	CHECK(a->svc.store_bad);
	CHECK_STR(app_screen_name(a), "id-entry"); /* the customer is not cut off */
	CHECK(a->svc.open && a->svc.store);
	app_key(a, APP_KEY_ESCAPE);
	app_key(a, APP_KEY_ESCAPE);
	CHECK_STR(app_screen_name(a), "out-of-service"); /* the session over */
	CHECK_INT(a->oos, OOS_STORE);
	CHECK(strstr(a->oos_detail, "the store failed its integrity check: ") != NULL);
	CHECK(!a->svc.open && !a->svc.store && !a->svc.lk && !a->svc.pq && !a->svc.ret);
	advance(a, APP_OOS_RECHECK_MS); /* the same file: not opened again */
	CHECK_STR(app_screen_name(a), "out-of-service");
	CHECK(!a->svc.open);
	CHECK_INT(copy_file(good_db, bad_db), 0); /* a technician restores a good store */
	advance(a, APP_OOS_RECHECK_MS);
	CHECK_STR(app_screen_name(a), "out-of-service"); /* opened, its check under way */
	CHECK(a->svc.open && a->svc.store_checking && a->svc.ret);
	if (a->svc.ret)
		retention_wait_first(a->svc.ret);
	advance(a, 0);
	CHECK_STR(app_screen_name(a), "attract"); /* passed: back at once */
	CHECK(!a->svc.store_bad && !a->svc.store_checking);
	app_close(a);
	free(a);
out:
	tmpdir_remove(dir);
	return check_done();
}
