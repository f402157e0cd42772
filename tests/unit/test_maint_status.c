/* test_maint_status — the Estado dashboard's back end (app/maint_status.h): the restart
 * marker (first start, clean exit, technician's restart, crash), the queue counted from events
 * really written (audit rows with their maintenance.action events, one dead-lettered through
 * the outbox), the printer (the kiosk's report, asked on a virtual printer with its cover open,
 * left alone while a kiosk runs), the TRM and the data's age, quick_check on a corrupted copy,
 * an unreachable central API, every threshold of maint_status_judge, the certificate dates as
 * libcurl's TLS backends write them, and the JSON. The network with TLS and a real latency is
 * tests/sh/test_maint_status.sh's (the central simulator). */
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api_probe.h"
#include "audit.h"
#include "check.h"
#include "cli_status.h"
#include "maint_status.h"
#include "outbox.h"
#include "services.h"
#include "store.h"
#include "tmpdir.h"

#define NOW 1795359600LL /* 2026-11-22 10:00 -05:00: the demo data's today */

static char tmpdir[64], dbpath[128];

static struct store *open_store(const char *path)
{
	struct store *s = NULL;
	char err[256];
	if (store_open(&s, path, err, sizeof err) != 0)
		fprintf(stderr, "store_open: %s\n", err);
	return s;
}

static void gather(struct store *s, const struct config *cfg, const struct printer_status *p, int in_kiosk, int64_t now,
		   struct maint_status *st)
{
	struct maint_status_in in = {.cfg = cfg, .data_dir = tmpdir, .now = now, .printer = p, .in_kiosk = in_kiosk};
	CHECK_INT(maint_status_gather(s, &in, st), 0);
}

static void value(const struct maint_status *st, enum ms_line i, enum lang l, char *out, size_t n)
{
	maint_status_value(st, i, l, out, n);
}

/* ---- the restart marker ---- */
static void test_marker(struct store *s, const struct config *cfg)
{
	struct maint_status st;
	char v[512];

	/* nothing noted yet */
	gather(s, cfg, NULL, 0, NOW, &st);
	CHECK_INT(st.restart, MS_RESTART_UNKNOWN);
	CHECK_INT(st.running, 0);
	CHECK_INT(st.level[MS_UPTIME], MS_WARN);

	CHECK_INT(maint_status_note_start(s, NOW), 0);
	gather(s, cfg, NULL, 1, NOW + 3725, &st);
	CHECK_INT(st.restart, MS_RESTART_FIRST);
	CHECK_INT(st.self, 1);
	CHECK_INT(st.running, 1);
	CHECK_INT(st.started_at, NOW);
	value(&st, MS_UPTIME, LANG_ES, v, sizeof v);
	CHECK(strncmp(v, "1 h 02 min (desde ", 18) == 0);
	CHECK_INT(st.level[MS_UPTIME], MS_INFO);
	CHECK_INT(st.level[MS_RESTART], MS_INFO);

	/* a clean exit, then the next start says so */
	CHECK_INT(maint_status_note_exit(s, MS_EXIT_CLEAN, NOW + 100), 0);
	gather(s, cfg, NULL, 0, NOW + 200, &st);
	CHECK_INT(st.running, 0);
	CHECK_INT(st.last_exit_at, NOW + 100);
	CHECK_INT(maint_status_note_start(s, NOW + 300), 0);
	gather(s, cfg, NULL, 1, NOW + 300, &st);
	CHECK_INT(st.restart, MS_RESTART_CLEAN);
	CHECK_INT(st.level[MS_RESTART], MS_OK);
	value(&st, MS_RESTART, LANG_ES, v, sizeof v);
	CHECK(strstr(v, "tras un cierre normal") == v);

	/* the technician's restart */
	CHECK_INT(maint_status_note_exit(s, MS_EXIT_RESTART, NOW + 400), 0);
	CHECK_INT(maint_status_note_start(s, NOW + 500), 0);
	gather(s, cfg, NULL, 1, NOW + 500, &st);
	CHECK_INT(st.restart, MS_RESTART_TECHNICIAN);
	CHECK_INT(st.level[MS_RESTART], MS_OK);
	value(&st, MS_RESTART, LANG_EN, v, sizeof v);
	CHECK(strstr(v, "technician's restart") == v);

	/* no exit noted: a crash or a power cut */
	CHECK_INT(maint_status_note_start(s, NOW + 600), 0);
	gather(s, cfg, NULL, 1, NOW + 600, &st);
	CHECK_INT(st.restart, MS_RESTART_CRASH);
	CHECK_INT(st.level[MS_RESTART], MS_WARN);
	CHECK_STR(maint_status_restart_name(st.restart), "crash");

	/* a marker left "running" by a process that is gone: not running, seen from outside */
	CHECK_INT(store_meta_set(s, "run_marker", "running 2147483646 1795359000 clean"), 0);
	gather(s, cfg, NULL, 0, NOW, &st);
	CHECK_INT(st.running, 0);
	CHECK_INT(st.self, 0);
	CHECK_INT(st.restart, MS_RESTART_CLEAN);
	value(&st, MS_UPTIME, LANG_EN, v, sizeof v);
	CHECK(strstr(v, "the kiosk is not running (it started ") == v);
	CHECK_INT(maint_status_note_start(s, NOW), 0); /* ours again, running */
}

/* ---- the printer ---- */
static void test_printer(struct store *s, struct config *cfg)
{
	struct maint_status st;
	char v[512], paper[128];

	/* the kiosk's print worker's report */
	struct printer_status p = {.state = PRINTER_PAPER_OUT, .rc = PRINTER_ERR_NOT_READY};
	snprintf(p.detail, sizeof p.detail, "paper end");
	gather(s, cfg, &p, 1, NOW, &st);
	CHECK_INT(st.printer_known, 1);
	CHECK_INT(st.level[MS_PRINTER], MS_FAIL);
	value(&st, MS_PRINTER, LANG_ES, v, sizeof v);
	CHECK_STR(v, "La impresora se quedó sin papel. · virtual · paper end");
	p = (struct printer_status){.state = PRINTER_PAPER_NEAR_END};
	gather(s, cfg, &p, 1, NOW, &st);
	CHECK_INT(st.level[MS_PRINTER], MS_WARN);
	value(&st, MS_PRINTER, LANG_EN, v, sizeof v);
	CHECK_STR(v, "paper low · virtual");

	/* the command line, with the kiosk running (the marker is this process's): left alone */
	gather(s, cfg, NULL, 0, NOW, &st);
	CHECK_INT(st.running, 1);
	CHECK_INT(st.printer_known, 0);
	CHECK_INT(st.printer_held, 1);
	CHECK_INT(st.level[MS_PRINTER], MS_INFO);

	/* no kiosk running: asked once, a virtual printer with its cover open */
	CHECK_INT(maint_status_note_exit(s, MS_EXIT_CLEAN, NOW), 0);
	snprintf(paper, sizeof paper, "%s/paper", tmpdir);
	CHECK_INT(mkdir(paper, 0700), 0);
	snprintf(cfg->printer_target, sizeof cfg->printer_target, "%s?cover_open=1", paper);
	gather(s, cfg, NULL, 0, NOW, &st);
	CHECK_INT(st.printer_known, 1);
	CHECK_INT(st.printer.state, PRINTER_COVER_OPEN);
	CHECK_INT(st.level[MS_PRINTER], MS_FAIL);
	/* and a target it cannot open */
	snprintf(cfg->printer_backend, sizeof cfg->printer_backend, "laser");
	gather(s, cfg, NULL, 0, NOW, &st);
	CHECK_INT(st.printer_known, 0);
	CHECK_INT(st.level[MS_PRINTER], MS_FAIL);
	value(&st, MS_PRINTER, LANG_ES, v, sizeof v);
	CHECK(strncmp(v, "no se pudo abrir: ", 18) == 0);
	snprintf(cfg->printer_backend, sizeof cfg->printer_backend, "virtual");
	cfg->printer_target[0] = 0;
	CHECK_INT(maint_status_note_start(s, NOW), 0);
}

/* ---- the queue, the central API that is not there, the JSON ---- */
static void test_queue(struct store *s, struct config *cfg)
{
	struct maint_status st;
	char err[256], v[512], secret[128];
	const int N = 5;

	gather(s, cfg, NULL, 1, NOW, &st);
	CHECK_INT(st.ob.pending, 0);
	CHECK_INT(st.level[MS_QUEUE], MS_INFO); /* standalone: kept here */
	for (int i = 0; i < N; i++)
		CHECK_INT(store_audit_append(s, NOW - 7200 + i, "maint.test", "ok", "n=1", NULL), 0);
	/* one of them rejected by the server: a dead letter */
	struct outbox *o = outbox_open(dbpath, err, sizeof err);
	struct outbox_event *ev = NULL;
	int n = 0;
	CHECK(o != NULL);
	if (o) {
		CHECK_INT(outbox_claim(o, 1, &ev, &n), 0);
		CHECK_INT(n, 1);
		if (n == 1)
			CHECK_INT(outbox_dead(o, ev[0].key, "rejected: test", NOW), 0);
		outbox_events_free(ev, n);
		outbox_close(o);
	}
	/* a central API nobody answers for (port 1 of this machine refuses) */
	snprintf(secret, sizeof secret, "%s/device.secret", tmpdir);
	FILE *f = fopen(secret, "wb");
	CHECK(f != NULL);
	if (f) {
		fwrite("0123456789abcdef0123456789abcdef", 1, 32, f);
		fclose(f);
	}
	chmod(secret, 0600);
	snprintf(cfg->central_url, sizeof cfg->central_url, "http://127.0.0.1:1");
	snprintf(cfg->device_id, sizeof cfg->device_id, "K0001");
	snprintf(cfg->secret_file, sizeof cfg->secret_file, "%s", secret);
	gather(s, cfg, NULL, 1, NOW, &st);
	CHECK_INT(st.ob.pending, N - 1);
	CHECK_INT(st.ob.dead, 1);
	CHECK_INT(st.ob.oldest_unsynced, NOW - 7200 + 1);
	CHECK_INT(st.level[MS_QUEUE], MS_WARN); /* a dead letter; the oldest is 2 h old */
	value(&st, MS_QUEUE, LANG_ES, v, sizeof v);
	CHECK(strncmp(v, "4 por enviar · 1 rechazados · el más antiguo hace 1 h 59 min", 63) == 0);
	CHECK_INT(st.api_tried, 1);
	CHECK_INT(st.api_rc, API_ERR_NETWORK);
	CHECK_INT(st.level[MS_NETWORK], MS_FAIL);
	CHECK_INT(st.level[MS_API], MS_FAIL);
	CHECK_INT(st.level[MS_CERT], MS_INFO); /* http:// on loopback: no certificate */
	value(&st, MS_NETWORK, LANG_EN, v, sizeof v);
	CHECK(strncmp(v, "no connection to the central server", 35) == 0);
	value(&st, MS_API, LANG_EN, v, sizeof v);
	CHECK(strncmp(v, "failed: heartbeat: cannot reach the central server", 50) == 0);
	CHECK_INT(maint_status_overall(&st), MS_FAIL);

	/* the JSON carries the same */
	char *text = cli_status_json(&st);
	cJSON *j = text ? cJSON_Parse(text) : NULL;
	CHECK(j != NULL);
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(j, "sync_queue");
	CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(q, "pending")), N - 1);
	CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(q, "dead_letters")), 1);
	CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(q, "oldest_unsynced_age_s")), 7200 - 1);
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "level")), "warn");
	const cJSON *api = cJSON_GetObjectItemCaseSensitive(j, "central_api");
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(api, "heartbeat")), "network");
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(api, "latency_ms")));
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "overall")), "fail");
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
			  cJSON_GetObjectItemCaseSensitive(j, "last_start"), "reason")),
		  "clean"); /* test_printer's exit and start */
	cJSON_Delete(j);
	free(text);

	/* a secret others can read: the heartbeat is not sent, and the line says why */
	chmod(secret, 0644);
	gather(s, cfg, NULL, 1, NOW, &st);
	CHECK_INT(st.api_tried, 0);
	CHECK_INT(st.level[MS_API], MS_FAIL);
	CHECK_INT(st.level[MS_NETWORK], MS_INFO);
	value(&st, MS_API, LANG_EN, v, sizeof v);
	CHECK(strstr(v, "could not be tested: ") == v && strstr(v, "too open") != NULL);
	cfg->central_url[0] = 0;
}

/* ---- the data, the TRM, the store ---- */
static void test_data(struct store *s, const struct config *cfg)
{
	struct maint_status st;
	char v[512], bad[160];

	gather(s, cfg, NULL, 1, NOW, &st);
	CHECK(st.data_as_of > 0);
	CHECK_INT(st.level[MS_DATA], MS_OK);
	CHECK_INT(st.trm_found, 1);
	CHECK_INT(st.level[MS_TRM], MS_OK);
	value(&st, MS_TRM, LANG_ES, v, sizeof v);
	CHECK_STR(v, "$ 4.012,35 · vigente del 20/11/2026 al 31/12/2027");
	CHECK_INT(st.check_rc, 0);
	CHECK_INT(st.level[MS_STORE], MS_OK);
	CHECK(st.store_bytes > 0 && st.free_bytes > 0 && st.disk_bytes >= st.free_bytes);
	/* years later: no TRM in force, the data too old */
	gather(s, cfg, NULL, 1, NOW + 3LL * 365 * 86400, &st);
	CHECK_INT(st.trm_found, 0);
	CHECK_INT(st.level[MS_TRM], MS_WARN);
	CHECK_INT(st.level[MS_DATA], MS_WARN); /* standalone: amber; with a central API red */

	/* a copy with a damaged page: quick_check says so */
	snprintf(bad, sizeof bad, "%s/bad.db", tmpdir);
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	long long page = 0, psize = 0;
	char sql[200];
	snprintf(sql, sizeof sql, "VACUUM INTO '%s'", bad);
	CHECK(sqlite3_open(dbpath, &db) == SQLITE_OK && sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	db = NULL;
	if (sqlite3_open(bad, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT min(pageno), (SELECT page_size FROM pragma_page_size) FROM dbstat "
				   "WHERE name = 'documents' AND pagetype = 'leaf'", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW) {
		page = sqlite3_column_int64(q, 0);
		psize = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	FILE *f = page > 1 ? fopen(bad, "r+b") : NULL;
	CHECK(f != NULL);
	if (f) {
		char junk[256];
		memset(junk, 0xff, sizeof junk);
		CHECK(fseek(f, (long)((page - 1) * psize + psize / 2), SEEK_SET) == 0);
		CHECK(fwrite(junk, 1, sizeof junk, f) == sizeof junk);
		fclose(f);
	}
	struct store *b = NULL;
	char err[256];
	CHECK_INT(store_open_readonly(&b, bad, err, sizeof err), 0);
	if (b) {
		gather(b, cfg, NULL, 0, NOW, &st);
		CHECK_INT(st.check_rc, 1);
		CHECK_INT(st.level[MS_STORE], MS_FAIL);
		value(&st, MS_STORE, LANG_ES, v, sizeof v);
		CHECK(strncmp(v, "dañada: ", 9) == 0 && strlen(v) > 12);
		store_close(b);
	}
}

/* ---- every threshold, on made-up figures ---- */
static void test_judge(void)
{
	struct maint_status st;

	memset(&st, 0, sizeof st);
	st.now = NOW;
	st.central = st.tls = st.api_tried = 1;
	st.api_rc = API_OK;
	st.latency_us = 999999;
	st.cert_not_after = NOW + 30 * 86400;
	st.data_as_of = NOW - 36 * 3600;
	st.max_data_age_h = 72;
	st.trm_found = 1;
	st.free_bytes = 10LL << 30;
	st.disk_bytes = 50LL << 30;
	st.printer_known = 1;
	st.running = 1;
	st.restart = MS_RESTART_CLEAN;
	maint_status_judge(&st);
	for (int i = 0; i < MS_LINES; i++)
		CHECK(st.level[i] == MS_OK || st.level[i] == MS_INFO);
	CHECK_INT(maint_status_overall(&st), MS_OK);

	st.latency_us = 1000000;
	st.cert_not_after = NOW + 30 * 86400 - 1; /* 29 days and some: amber */
	st.data_as_of = NOW - 36 * 3600 - 1;      /* more than half the limit */
	maint_status_judge(&st);
	CHECK_INT(st.level[MS_API], MS_WARN);
	CHECK_INT(st.level[MS_CERT], MS_WARN);
	CHECK_INT(st.level[MS_DATA], MS_WARN);
	CHECK_INT(maint_status_overall(&st), MS_WARN);

	st.cert_not_after = NOW + 7 * 86400 - 1;
	st.data_as_of = NOW - 72 * 3600 - 1;
	maint_status_judge(&st);
	CHECK_INT(st.level[MS_CERT], MS_FAIL);
	CHECK_INT(st.level[MS_DATA], MS_FAIL);
	st.cert_not_after = NOW - 1;
	maint_status_judge(&st);
	CHECK_INT(st.level[MS_CERT], MS_FAIL);
	char v[256];
	maint_status_value(&st, MS_CERT, LANG_EN, v, sizeof v);
	CHECK(strncmp(v, "expired on ", 11) == 0);
	st.cert_not_after = 0;
	st.cert_expired = 1;
	maint_status_judge(&st);
	CHECK_INT(st.level[MS_CERT], MS_FAIL);
	st.cert_expired = 0;
	st.api_rc = API_ERR_TLS;
	maint_status_judge(&st);
	CHECK_INT(st.level[MS_CERT], MS_FAIL);
	CHECK_INT(st.level[MS_NETWORK], MS_OK); /* the server was reached */
	st.api_rc = API_ERR_AUTH;
	maint_status_judge(&st);
	CHECK_INT(st.level[MS_API], MS_FAIL);
	CHECK_INT(st.level[MS_CERT], MS_INFO); /* unknown, not a fault of its own */

	st.ob.oldest_unsynced = NOW - 3599;
	maint_status_judge(&st);
	CHECK_INT(st.level[MS_QUEUE], MS_OK);
	st.ob.oldest_unsynced = NOW - 3600;
	maint_status_judge(&st);
	CHECK_INT(st.level[MS_QUEUE], MS_WARN);
	st.ob.oldest_unsynced = NOW - 86400;
	maint_status_judge(&st);
	CHECK_INT(st.level[MS_QUEUE], MS_FAIL);
	st.ob.oldest_unsynced = 0;
	st.ob.dead = 1;
	maint_status_judge(&st);
	CHECK_INT(st.level[MS_QUEUE], MS_WARN);

	st.free_bytes = 5LL << 30; /* 10 % of 50 GB */
	maint_status_judge(&st);
	CHECK_INT(st.level[MS_DISK], MS_OK);
	st.free_bytes = (5LL << 30) - 1;
	maint_status_judge(&st);
	CHECK_INT(st.level[MS_DISK], MS_WARN);
	st.disk_bytes = 1LL << 40;
	st.free_bytes = MS_DISK_WARN_BYTES - 1; /* a big disk, a small room left */
	maint_status_judge(&st);
	CHECK_INT(st.level[MS_DISK], MS_WARN);
	st.free_bytes = APP_MIN_FREE_BYTES - 1;
	maint_status_judge(&st);
	CHECK_INT(st.level[MS_DISK], MS_FAIL);
	st.free_bytes = -1;
	maint_status_judge(&st);
	CHECK_INT(st.level[MS_DISK], MS_WARN);

	st.printer.state = PRINTER_READY;
	st.printer.rc = PRINTER_ERR_TIMEOUT; /* not answering is not ready */
	maint_status_judge(&st);
	CHECK_INT(st.level[MS_PRINTER], MS_FAIL);
	st.data_as_of = 0;
	maint_status_judge(&st);
	CHECK_INT(st.level[MS_DATA], MS_FAIL);
	CHECK_STR(maint_status_level_name(MS_WARN), "warn");
	CHECK_STR(maint_status_line_name(MS_CERT), "tls_certificate");
	CHECK_STR(maint_status_label(MS_API, LANG_ES), "API central");
}

static void test_cert_time(void)
{
	CHECK_INT(api_probe_cert_time("Dec 22 10:00:00 2026 GMT"), 1797933600);
	CHECK_INT(api_probe_cert_time(" 2026-12-22 10:00:00 GMT"), 1797933600);
	CHECK_INT(api_probe_cert_time("Jan  2 03:04:05 2027 GMT"), 1798859045);
	CHECK_INT(api_probe_cert_time("2026-13-22 10:00:00 GMT"), -1);
	CHECK_INT(api_probe_cert_time("yesterday-ish"), -1);
	CHECK_INT(api_probe_cert_time(NULL), -1);
}

int main(void)
{
	struct config cfg;
	char err[256];

	setenv("TZ", "<-05>5", 1);
	snprintf(tmpdir, sizeof tmpdir, "/tmp/recaudo-mstatus-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	snprintf(dbpath, sizeof dbpath, "%s/recaudo.db", tmpdir);
	config_defaults(&cfg);
	test_judge();
	test_cert_time();
	struct store *s = open_store(dbpath);
	CHECK(s != NULL);
	if (s) {
		CHECK_INT(store_import_file(s, "assets/demo/portfolio.json", err, sizeof err), 0);
		test_marker(s, &cfg);
		test_printer(s, &cfg);
		test_queue(s, &cfg);
		test_data(s, &cfg);
		store_close(s);
	}
	tmpdir_remove(tmpdir);
	return check_done();
}
