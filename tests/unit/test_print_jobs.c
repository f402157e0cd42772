/* Printing as the customer meets it, end to end on the virtual printer: a receipt is recorded
 * and printed; a cover left open keeps the coupon on screen with a plain reason, nothing is
 * lost, and a reprint gives a copy marked COPIA; after a crash mid-print the attract screen
 * offers a reprint of a copy instead of printing the receipt again silently. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "check.h"
#include "tmpdir.h"
#include "headless.h"

#define START_MS 1795359600000LL

static char dir[64];

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int file_has(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return memmem(buf, n, needle, strlen(needle)) != NULL;
}

/* Opens the app on dir/data with the printer target given; runs script; returns the app. */
static struct app *run_on(const char *backend, const char *target, const char *script, int *rc)
{
	char ini[600], cfg[200], data[200], sp[200], shots[200], err[400];
	snprintf(cfg, sizeof cfg, "%s/kiosk.ini", dir);
	snprintf(data, sizeof data, "%s/data", dir);
	snprintf(sp, sizeof sp, "%s/s.script", dir);
	snprintf(shots, sizeof shots, "%s/shots", dir);
	snprintf(ini, sizeof ini, "[printer]\nbackend = %s\ntarget = %s\n", backend, target);
	write_text(cfg, ini);
	write_text(sp, script);
	struct app *a = calloc(1, sizeof(*a));
	struct app_opts o = {.config_path = cfg, .data_dir = data, .demo = 1, .headless = 1, .start_ms = START_MS};
	if (app_open(a, &o, err, sizeof err) != 0) {
		fprintf(stderr, "app_open: %s\n", err);
		free(a);
		*rc = -1;
		return NULL;
	}
	*rc = headless_run(a, sp, shots);
	return a;
}

static struct app *run(const char *target, const char *script, int *rc)
{
	return run_on("virtual", target, script, rc);
}

/* A printer problem on a fresh data dir: the coupon is issued and kept, the reason shown. */
static void problem(const char *backend, const char *target, const char *says, const char *script_head,
		    const char *state, const char *outcome, enum str_id line)
{
	char data[200], script[1024];
	int rc;
	struct store_print_job j;
	snprintf(data, sizeof data, "%s/data", dir);
	tmpdir_remove(data);
	snprintf(script, sizeof script, "%sexpect \"%s\"\nexpect \"Su cupón quedó guardado\"\n", script_head, says);
	struct app *a = run_on(backend, target, script, &rc);
	CHECK_INT(rc, 0);
	if (!a)
		return;
	CHECK_INT(store_print_job_last(a->svc.store, &j), 0);
	CHECK_STR(j.state, "failed");
	struct store_status st;
	CHECK_INT(store_status_get(a->svc.store, &st), 0);
	CHECK_INT(st.coupons_issued, 1);
	/* one status, as the driver left it, for the status line and the heartbeat */
	CHECK_STR(printer_state_name(a->printer_status.state), state);
	CHECK_STR(printer_job_name(a->printer_status.job), outcome);
	CHECK(a->printer_status.detail[0] != '\0');
	CHECK_INT(a->st.printer, line);
	app_close(a);
	free(a);
}

static const char *coupon =
	"press \"Toque para comenzar\"\n"
	"type 1020304050\n"
	"key Enter\n"
	"press \"VID-4471203-1126\"\n"
	"press \"Generar cupón\"\n"
	"expect-screen coupon\n";

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/recaudo-print-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	char paper[200], target[300], script[1024], p[300];
	snprintf(paper, sizeof paper, "%s/paper", dir);
	mkdir(paper, 0755);
	int rc;
	struct store_print_job j;

	/* 1. the cover is open: the coupon is kept and shown, the reason is plain, the job failed */
	snprintf(target, sizeof target, "%s?cover_open=1", paper);
	snprintf(script, sizeof script, "%sexpect \"La tapa de la impresora está abierta.\"\n"
					"expect \"Su cupón quedó guardado\"\nexpect \"0001 0000 0000 0017\"\n",
		 coupon);
	struct app *a = run(target, script, &rc);
	CHECK_INT(rc, 0);
	if (a) {
		CHECK_INT(store_print_job_last(a->svc.store, &j), 0);
		CHECK_STR(j.state, "failed");
		CHECK_INT(j.coupon_seq, 1);
		struct store_status st;
		CHECK_INT(store_status_get(a->svc.store, &st), 0);
		CHECK_INT(st.coupons_issued, 1); /* nothing lost */
		app_close(a);
		free(a);
	}
	snprintf(p, sizeof p, "%s/receipt-000001.bin", paper);
	CHECK(access(p, F_OK) != 0); /* refused before anything was sent */

	/* 2. the cover closed: the customer reprints, and gets a copy marked COPIA */
	snprintf(script, sizeof script, "%sexpect \"Retire su recibo de la impresora.\"\npress \"Reimprimir recibo\"\n"
					"expect \"Retire su recibo de la impresora.\"\n",
		 coupon);
	a = run(paper, script, &rc);
	CHECK_INT(rc, 0);
	if (a) {
		CHECK_INT(store_print_job_last(a->svc.store, &j), 0);
		CHECK_STR(j.state, "printed");
		CHECK_INT(j.copy, 1);
		CHECK_INT(j.coupon_seq, 2);
		app_close(a);
		free(a);
	}
	snprintf(p, sizeof p, "%s/receipt-000002.bin", paper);
	CHECK(access(p, F_OK) == 0);
	CHECK(!file_has(p, "COPIA"));
	snprintf(p, sizeof p, "%s/receipt-000002-copia.bin", paper);
	CHECK(file_has(p, "COPIA"));

	/* 3. a crash after the bytes went out: the job says "sent". The next start offers a
	 * reprint on attract (a copy), and printing nothing by itself. */
	a = run(paper, coupon, &rc);
	CHECK_INT(rc, 0);
	int64_t id = 0;
	if (a) {
		CHECK_INT(store_print_job_last(a->svc.store, &j), 0);
		id = j.id;
		CHECK_INT(store_print_job_set(a->svc.store, id, "sent", NULL, j.updated_at), 0);
		app_close(a);
		free(a);
	}
	snprintf(p, sizeof p, "%s/receipt-000003-copia.bin", paper);
	CHECK(access(p, F_OK) != 0);
	a = run(paper,
		"expect-screen attract\nexpect \"¿Su recibo no salió completo?\"\n"
		"press \"¿Su recibo no salió completo? Toque aquí para reimprimirlo\"\n"
		"expect-screen attract\nexpect-not \"¿Su recibo no salió completo?\"\n",
		&rc);
	CHECK_INT(rc, 0);
	if (a) {
		CHECK_INT(store_print_job_last(a->svc.store, &j), 0);
		CHECK_INT(j.coupon_seq, 3);
		CHECK_INT(j.copy, 1);
		CHECK_STR(j.state, "printed");
		app_close(a);
		free(a);
	}
	CHECK(file_has(p, "COPIA"));

	/* 4. the offer is for the customer at the kiosk now: a new session withdraws it */
	a = run(paper, "expect-screen attract\nexpect-not \"¿Su recibo no salió completo?\"\n", &rc);
	CHECK_INT(rc, 0); /* the copy printed: nothing left to offer */
	if (a) {
		app_close(a);
		free(a);
	}

	/* 4b. an offer nobody takes lapses after 10 minutes: it is no one's receipt by then */
	a = run(paper, coupon, &rc);
	if (a) {
		CHECK_INT(store_print_job_last(a->svc.store, &j), 0);
		CHECK_INT(store_print_job_set(a->svc.store, j.id, "sent", NULL, j.updated_at), 0);
		app_close(a);
		free(a);
	}
	a = run(paper, "expect \"¿Su recibo no salió completo?\"\nwait 590000\nexpect \"¿Su recibo no salió completo?\"\n"
		       "wait 11000\nexpect-not \"¿Su recibo no salió completo?\"\n", &rc);
	CHECK_INT(rc, 0);
	if (a) {
		app_close(a);
		free(a);
	}

	/* 4d. a test page cut short by a crash is no customer's receipt: nothing is offered */
	{
		char db[300], err[300];
		struct store *s = NULL;
		const uint8_t page[] = {0x1b, 0x40, 'T'};
		int64_t tid = 0;
		snprintf(db, sizeof db, "%s/data/recaudo.db", dir);
		CHECK_INT(store_open(&s, db, err, sizeof err), 0);
		if (s) {
			CHECK_INT(store_print_job_record(s, "test", "20261122-100000", "test-20261122-100000", page,
							 sizeof page, NULL, 0, (int64_t)time(NULL), &tid), 0);
			CHECK_INT(store_print_job_set(s, tid, "sent", NULL, (int64_t)time(NULL)), 0);
			store_close(s);
		}
		a = run(paper, "expect-screen attract\nexpect-not \"¿Su recibo no salió completo?\"\n", &rc);
		CHECK_INT(rc, 0);
		if (a) {
			CHECK_INT(store_print_job_last(a->svc.store, &j), 0);
			CHECK_STR(j.kind, "test");
			app_close(a);
			free(a);
		}
	}

	/* 4c. retention at start, on its worker: a receipt from 40 days ago loses its bytes in
	 * the store and its files in the printer's folder; today's receipts stay */
	{
		char db[300], err[300];
		struct store *s = NULL;
		const uint8_t old[] = {0x1b, 0x40, 'O', 'L', 'D'};
		int64_t t_old = (int64_t)time(NULL) - 40LL * 86400;
		snprintf(db, sizeof db, "%s/data/recaudo.db", dir);
		CHECK_INT(store_open(&s, db, err, sizeof err), 0);
		if (s) {
			CHECK_INT(store_print_job_add(s, 90, "receipt-000090", 0, old, sizeof old, old, sizeof old, t_old,
						      NULL), 0);
			store_close(s);
		}
		snprintf(p, sizeof p, "%s/receipt-000090.bin", paper);
		CHECK(write_text(p, "old receipt") == 0);
		struct timespec ts[2] = {{(time_t)t_old, 0}, {(time_t)t_old, 0}};
		CHECK(utimensat(AT_FDCWD, p, ts, 0) == 0);
		a = run(paper, "expect-screen attract\n", &rc);
		CHECK_INT(rc, 0);
		if (a) {
			uint8_t *b = NULL;
			size_t n = 0;
			retention_wait_first(a->svc.ret);
			CHECK_INT(store_print_job_copy_bytes(a->svc.store, 90, &b, &n), 1);
			CHECK_INT(store_print_job_of(a->svc.store, 90, &j), 0);
			CHECK(j.pruned_at > 0);
			CHECK_INT(store_print_job_copy_bytes(a->svc.store, 3, &b, &n), 0);
			free(b);
			app_close(a);
			free(a);
		}
		CHECK(access(p, F_OK) != 0);
		snprintf(p, sizeof p, "%s/receipt-000002.bin", paper);
		CHECK(access(p, F_OK) == 0);
	}

	/* 5. paper runs out in the middle of the receipt, and an unplugged network printer */
	snprintf(target, sizeof target, "%s?paper_out_after=12", paper);
	problem("virtual", target, "Puede que su recibo haya salido incompleto.", coupon, "paper_out", "incomplete",
		STR_PRINTER_NO_PAPER);
	problem("tcp", "127.0.0.1:1", "La impresora no responde.", coupon, "offline", "failed", STR_PRINTER_PROBLEM);
	snprintf(target, sizeof target, "%s?cover_open=1", paper);
	problem("virtual", target, "La tapa de la impresora está abierta.", coupon, "cover_open", "refused",
		STR_PRINTER_PROBLEM);

	if (!getenv("KEEP"))
		tmpdir_remove(dir);
	return check_done();
}
