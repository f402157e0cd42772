/* test_maint_activity — maintenance mode's activity (app/act_maint.c) where a headless script
 * cannot reach: between posting a job and its result. A script settles every job after each
 * command; here the technician acts while the job is still on the worker:
 * - "Entrar" then "Cancelar" before the PIN is checked: the try is still counted and audited,
 *   the pad closes instead of opening the menu, and the UI never waited for the worker;
 * - a screen left while its job runs (Estado, then "Menú" at once): the screen still takes
 *   its result (its audit row), and opening another screen meanwhile is refused with a note;
 * - "Salir" while a job runs: the activity stays until the result has been taken, then leaves;
 * - the idle exit waits for a running job instead of spinning: no deadline in the past while
 *   it runs, and the exit comes once it has ended. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit.h"
#include "check.h"
#include "maint.h"
#include "tmpdir.h"

#define START_MS 1795359600000LL /* 2026-11-22 10:00 -05:00 */

static struct app *open_app(const char *data)
{
	char err[400];
	struct app *a = calloc(1, sizeof(*a));
	struct app_opts o = {.data_dir = data, .demo = 1, .headless = 1, .start_ms = START_MS, .w = 1080, .h = 1920};
	if (!a || app_open(a, &o, err, sizeof err) != 0) {
		fprintf(stderr, "app_open: %s\n", a ? err : "out of memory");
		free(a);
		return NULL;
	}
	return a;
}

/* Everything the workers have, delivered (what a script does after each command). */
static void settle(struct app *a)
{
	for (int i = 0; i < 16; i++) {
		maint_wait_idle(a);
		app_pump(a);
		if (!maint_job_busy(a))
			break;
	}
	app_render(a, 0);
}

/* Touches the control labelled label on the current frame: 1, or 0 if there is none. */
static int press(struct app *a, const char *label)
{
	app_render(a, 1);
	const struct ui_hit *h = ui_hit_by_label(&a->ui, label);
	if (!h)
		return 0;
	int x = h->r.x + h->r.w / 2, y = h->r.y + h->r.h / 2;
	app_pointer_down(a, x, y);
	app_pointer_up(a, x, y);
	return 1;
}

static int count_audit(struct app *a, const char *action, const char *result)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int n = -1;
	if (sqlite3_open_v2(a->svc.db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM audit WHERE action = ?1 AND result = ?2", -1, &q, NULL) ==
		    SQLITE_OK) {
		sqlite3_bind_text(q, 1, action, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, result, -1, SQLITE_STATIC);
		if (sqlite3_step(q) == SQLITE_ROW)
			n = sqlite3_column_int(q, 0);
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

static void type_pin(struct app *a) { app_text(a, "246810"); }

int main(void)
{
	char dir[] = "/tmp/recaudo-maintact-XXXXXX", data[128];
	setenv("TZ", "<-05>5", 1);
	if (!mkdtemp(dir))
		return 1;
	snprintf(data, sizeof data, "%s/data", dir);
	struct app *a = open_app(data);
	CHECK(a != NULL);
	if (!a)
		return check_done();
	settle(a);

	/* Entrar, then Cancelar before the check came back */
	app_maint_request(a);
	settle(a); /* the pad's probe */
	CHECK_STR(app_screen_name(a), "maint-pin");
	type_pin(a);
	app_key(a, APP_KEY_ENTER); /* posted */
	CHECK(maint_job_busy(a));
	CHECK(press(a, "Cancelar"));
	CHECK_STR(app_screen_name(a), "maint-pin"); /* waiting for the result, not for the worker */
	settle(a);
	CHECK_STR(app_screen_name(a), "attract");
	CHECK_INT(count_audit(a, "maint.pin", "ok"), 1);
	CHECK_INT(count_audit(a, "maint.cancel", "ok"), 1);
	CHECK_INT(count_audit(a, "maint.enter", "ok"), 0);

	/* in; Estado posts its gathering; Menú at once: the result still reaches the screen */
	app_maint_request(a);
	settle(a);
	type_pin(a);
	app_key(a, APP_KEY_ENTER);
	settle(a);
	CHECK_STR(app_screen_name(a), "maint-menu");
	CHECK(press(a, "Estado"));
	CHECK_STR(app_screen_name(a), "maint-status");
	CHECK(maint_job_busy(a));
	CHECK(press(a, "Menú"));
	CHECK_STR(app_screen_name(a), "maint-menu");
	/* another screen meanwhile: refused, said on the menu (a job is busy until its result
	 * is polled by app_pump, which nothing here calls: deterministic) */
	CHECK(maint_job_busy(a));
	CHECK(press(a, "Totales"));
	CHECK_STR(app_screen_name(a), "maint-menu");
	app_render(a, 1);
	CHECK(ui_seen(&a->ui, "Espere: hay una tarea en curso."));
	/* the idle exit waits: no deadline in the past while the job runs */
	a->vclock_ms += MAINT_IDLE_MS + 1000;
	CHECK(app_next_deadline(a) > app_now_ms(a));
	settle(a);
	CHECK_INT(count_audit(a, "status.view", "ok"), 1);
	/* after the job: the idle time had passed, so it leaves now */
	app_pump(a);
	settle(a);
	CHECK_STR(app_screen_name(a), "attract");
	CHECK_INT(count_audit(a, "maint.idle_exit", "ok"), 1);

	/* Salir while a job runs: leaves once its result is taken */
	app_maint_request(a);
	settle(a);
	type_pin(a);
	app_key(a, APP_KEY_ENTER);
	settle(a);
	CHECK(press(a, "Estado"));
	CHECK(press(a, "Menú"));
	CHECK(maint_job_busy(a));
	CHECK(press(a, "Salir"));
	CHECK_STR(app_screen_name(a), "maint-menu");
	app_render(a, 1);
	CHECK(ui_seen(&a->ui, "Terminando la tarea en curso"));
	settle(a);
	CHECK_STR(app_screen_name(a), "attract");
	CHECK_INT(count_audit(a, "status.view", "ok"), 2);
	CHECK_INT(count_audit(a, "maint.exit", "ok"), 1);

	/* the chain is whole after all of it */
	int64_t rows = 0, bad = 0;
	char why[200];
	CHECK_INT(store_audit_verify(a->svc.store, &rows, &bad, why, sizeof why), 0);

	app_close(a);
	free(a);
	tmpdir_remove(dir);
	return check_done();
}
