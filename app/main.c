/* recaudo — command line entry.
 *
 *   recaudo [--mode kiosk|field] [--config FILE] [--data DIR] [--demo] [--size WxH] [--fullscreen]
 *           [--respawn]                                   (a parent that restarts a crashed kiosk)
 *   recaudo --headless --script FILE --shots DIR [--size WxH] [--start EPOCH_S] [...]
 *   recaudo import FILE [--data DIR]
 *   recaudo status [--json] [--data DIR] [--config FILE]        (read-only: creates nothing)
 *   recaudo verify-coupon PAYLOAD [--data DIR] [--config FILE]  (read-only: creates nothing)
 *   recaudo sync [--data DIR] [--config FILE]
 *   recaudo audit verify [--data DIR]                           (read-only: creates nothing)
 *   recaudo maint set-pin [--data DIR]                          (the PIN twice on the terminal or stdin)
 *   recaudo maint test-page [--data DIR] [--config FILE]        (the printer test page, audited)
 *   recaudo maint config get [SECTION.KEY] | set SECTION.KEY VALUE [--config FILE] [--data DIR]
 *   recaudo maint status [--json] [--data DIR] [--config FILE]  (the Estado dashboard)
 *   recaudo queue list [--json] | retry KEY | export [DIR]      (the send queue: app/cli_queue.c)
 *   recaudo maint totals [--day YYYY-MM-DD] [--print] [--data DIR] [--config FILE]  (app/cli_totals.c)
 *   recaudo health [--config FILE] [--data DIR]                 (the health gate's checks: app/cli_health.c)
 *   recaudo update-wait --version V [--timeout-s N] [--data DIR] (holds an update: app/cli_update.c)
 *
 * Everything the kiosk writes is private to its user: the umask is 077 whatever the caller's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "activity.h"
#include "app.h"
#include "audit.h"
#include "cli_config.h"
#include "cli_health.h"
#include "cli_maint.h"
#include "cli_status.h"
#include "cli_sync.h"
#include "cli_queue.h"
#include "cli_totals.h"
#include "cli_update.h"
#include "files.h"
#include "headless.h"
#include "input_sdl.h"
#include "logring.h"
#include "maint.h"
#include "outbox.h"
#include "respawn.h"
#include "svcmgr.h"

struct cli {
	struct app_opts o;
	const char *script, *shots, *mode;
	int json, respawn;
};

static void usage(FILE *out)
{
	fputs("usage: recaudo [--mode kiosk|field] [--config FILE] [--data DIR] [--assets DIR] [--demo]\n"
	      "               [--size WxH] [--fullscreen] [--respawn]\n"
	      "       recaudo --headless --script FILE --shots DIR [--size WxH] [--start EPOCH_S]\n"
	      "               [--config FILE] [--data DIR] [--assets DIR] [--demo]\n"
	      "       recaudo import FILE [--data DIR]\n"
	      "       recaudo status [--json] [--data DIR] [--config FILE]\n"
	      "       recaudo verify-coupon PAYLOAD [--data DIR] [--config FILE]\n"
	      "       recaudo sync [--data DIR] [--config FILE]\n"
	      "       recaudo audit verify [--data DIR]\n"
	      "       recaudo maint set-pin [--data DIR]   (the PIN twice on the terminal or stdin)\n"
	      "       recaudo maint test-page [--data DIR] [--config FILE]\n"
	      "       recaudo maint usb mount|eject|status [--config FILE]\n"
	      "       recaudo maint software list|install NAME [force] [--config FILE]\n"
	      "       recaudo maint config get [SECTION.KEY] [--config FILE]\n"
	      "       recaudo maint config set SECTION.KEY VALUE [--config FILE] [--data DIR]\n"
	      "       recaudo maint status [--json] [--data DIR] [--config FILE]\n"
	      "       recaudo queue list [--json] | retry KEY | export [DIR]   [--data DIR] [--config FILE]\n"
	      "       recaudo maint totals [--day YYYY-MM-DD] [--print] [--data DIR] [--config FILE]\n"
	      "       recaudo health [--config FILE] [--data DIR]   (exit 0 healthy, 1 not)\n"
	      "       recaudo update-wait --version V [--timeout-s N] [--data DIR]   (exit 0 clear to\n"
	      "               install, 3 money events still unsent after N s (default 86400), 1 error)\n"
	      "       recaudo --help\n"
	      "\n"
	      "  --mode MODE        kiosk: the customer kiosk (default); field: the field agent's\n"
	      "                     tablet (docs/field-mode.md)\n"
	      "  --config FILE      site settings, INI (docs/configuration.md); default: built-in\n"
	      "                     (installed: /etc/recaudo/recaudo.ini if it exists)\n"
	      "  --data DIR         the data directory (store, kiosk key, receipts); default ./data\n"
	      "                     (installed: /var/lib/recaudo)\n"
	      "  --assets DIR       fonts, logo and demo data; default: next to the binary\n"
	      "  --demo             a new data directory gets the demo portfolio; a store without a\n"
	      "                     maintenance PIN gets the demo PIN 246810\n"
	      "  --size WxH         screen size in pixels, e.g. 1080x1920 (default) or 1280x800\n"
	      "  --fullscreen       a borderless window over the whole display, no cursor\n"
	      "  --respawn          under a service manager: a parent process starts the kiosk again\n"
	      "                     at once after a crash (app/respawn.h); RECAUDO_PRELOAD: libraries\n"
	      "                     it loads first, ':'-separated\n"
	      "  --headless         no window: run --script, save shots to --shots (virtual clock)\n"
	      "  --script FILE      the script to run (docs/script-language.md)\n"
	      "  --shots DIR        where `shot NAME` saves NAME.png (created if missing)\n"
	      "  --speech-wav DIR   headless: spoken guidance into DIR/NNNN.wav (docs/accessibility.md)\n"
	      "  --start EPOCH_S    the virtual clock's start, in epoch seconds\n"
	      "  --json             status, maint status: one JSON object instead of text\n"
	      "  -h, --help         this text\n",
	      out);
}

static int parse_size(const char *s, int *w, int *h)
{
	char *end;
	long x = strtol(s, &end, 10);
	if (*end != 'x' || x < 320 || x > 7680)
		return -1;
	long y = strtol(end + 1, &end, 10);
	if (*end || y < 320 || y > 7680)
		return -1;
	*w = (int)x;
	*h = (int)y;
	return 0;
}

/* Parses options from argv[i...]; positional arguments are left in pos[]. */
static int parse_opts(int argc, char **argv, int i, struct cli *c, const char **pos, int *npos)
{
	for (; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--config") && v) {
			c->o.config_path = v, i++;
		} else if (!strcmp(a, "--data") && v) {
			c->o.data_dir = v, i++;
		} else if (!strcmp(a, "--assets") && v) {
			c->o.assets_dir = v, i++;
		} else if (!strcmp(a, "--script") && v) {
			c->script = v, i++;
		} else if (!strcmp(a, "--speech-wav") && v) {
			c->o.speech_wav = v, i++;
		} else if (!strcmp(a, "--shots") && v) {
			c->shots = v, i++;
		} else if (!strcmp(a, "--mode") && v) {
			c->mode = v, i++;
		} else if (!strcmp(a, "--size") && v) {
			if (parse_size(v, &c->o.w, &c->o.h)) {
				fprintf(stderr, "recaudo: --size wants WxH, e.g. 1080x1920\n");
				return -1;
			}
			i++;
		} else if (!strcmp(a, "--start") && v) {
			char *end;
			errno = 0;
			long long s = strtoll(v, &end, 10);
			if (errno || *end || s < 0 || s > 253402300799LL /* 9999-12-31 */) {
				fprintf(stderr, "recaudo: --start wants epoch seconds\n");
				return -1;
			}
			c->o.start_ms = s * 1000;
			i++;
		} else if (!strcmp(a, "--demo")) {
			c->o.demo = 1;
		} else if (!strcmp(a, "--fullscreen")) {
			c->o.fullscreen = 1;
		} else if (!strcmp(a, "--respawn")) {
			c->respawn = 1;
		} else if (!strcmp(a, "--headless")) {
			c->o.headless = 1;
		} else if (!strcmp(a, "--json")) {
			c->json = 1;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		} else if (a[0] == '-' && a[1] == '-') {
			fprintf(stderr, "recaudo: unknown option %s\n", a);
			usage(stderr);
			return -1;
		} else if (*npos < 6) {
			pos[(*npos)++] = a;
		} else {
			fprintf(stderr, "recaudo: too many arguments\n");
			return -1;
		}
	}
	return 0;
}

static const char *data_dir_of(const struct cli *c)
{
	return c->o.data_dir ? c->o.data_dir : app_paths()->data;
}

/* Opens (creating if needed) the store in the data directory, for commands that write. */
static struct store *open_store_cli(const struct cli *c)
{
	char db[512], err[400];
	const char *dir = data_dir_of(c);
	if (strlen(dir) > 400) {
		fprintf(stderr, "recaudo: the data directory path is too long\n");
		return NULL;
	}
	struct store *s;
	if (app_data_paths(dir, db, sizeof(db), err, sizeof(err)) != 0 ||
	    store_open(&s, db, err, sizeof(err)) != 0) {
		app_explain_disk_full(dir, err, sizeof(err));
		fprintf(stderr, "recaudo: %s\n", err);
		return NULL;
	}
	return s;
}

/* Removes what a failed command created: the store if it was new, and the directories that
 * were made for it (each only if empty: never anything the operator put there). */
static void undo_new_store(const char *dir, int dirs_created, int db_existed)
{
	char p[600];
	if (db_existed)
		return;
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof(sfx) / sizeof(*sfx); i++) {
		snprintf(p, sizeof(p), "%s/recaudo.db%s", dir, sfx[i]);
		unlink(p);
	}
	files_unmake_dirs(dir, dirs_created);
}

static int cmd_import(const struct cli *c, const char *file)
{
	const char *dir = data_dir_of(c);
	char db[600], err[400];
	struct stat sb;
	int created = 0;
	snprintf(db, sizeof(db), "%s/recaudo.db", dir);
	int db_existed = stat(db, &sb) == 0;
	if (files_mkdir_p(dir, &created, err, sizeof(err)) != 0) {
		fprintf(stderr, "recaudo: import failed, nothing was changed: %s\n", err);
		return 1;
	}
	struct store *s = open_store_cli(c);
	if (!s) {
		undo_new_store(dir, created, db_existed);
		return 1;
	}
	int rc = store_import_file(s, file, err, sizeof(err));
	if (rc != 0) {
		app_explain_disk_full(dir, err, sizeof(err));
		fprintf(stderr, "recaudo: import failed, nothing was changed: %s\n", err);
	} else {
		struct store_status st;
		store_status_get(s, &st);
		printf("imported %s: %lld customers, %lld documents in the store\n", file, (long long)st.customers,
		       (long long)st.documents);
	}
	store_close(s);
	if (rc != 0)
		undo_new_store(dir, created, db_existed); /* a failed import leaves no empty store */
	return rc ? 1 : 0;
}

static void iso_utc(char *buf, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int load_config_cli(const struct cli *c, struct config *cfg)
{
	char err[400];
	config_defaults(cfg);
	if (c->o.config_path && config_load(cfg, c->o.config_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "recaudo: %s\n", err);
		return -1;
	}
	return 0;
}

/* Read-only: a missing store is reported as an empty one and nothing is created; a full disk
 * does not stop it (a technician runs it to find out why the kiosk will not start). */
static int cmd_status(const struct cli *c)
{
	struct config cfg;
	char err[400], db[600];
	/* the settings only: a missing font or a loose secret must not keep a technician from
	 * seeing the kiosk's state (the kiosk itself refuses to start on them) */
	config_defaults(&cfg);
	if (c->o.config_path && config_load_settings(&cfg, c->o.config_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "recaudo: %s\n", err);
		return 1;
	}
	const char *dir = data_dir_of(c);
	snprintf(db, sizeof(db), "%s/recaudo.db", dir);
	struct store_status st;
	struct outbox_stats ob;
	struct store_print_job pj; /* the printer as the store knows it: its last job */
	struct store_update_hold hold; /* an update held back by update-wait (app/cli_update.h) */
	int have_job = 0, have_hold = 0;
	memset(&st, 0, sizeof(st));
	memset(&ob, 0, sizeof(ob));
	st.next_seq = 1;
	ob.link = -1;
	int have_store = access(db, F_OK) == 0;
	if (have_store) {
		struct store *s;
		if (store_open_readonly(&s, db, err, sizeof(err)) != 0) {
			fprintf(stderr, "recaudo: %s\n", err);
			return 1;
		}
		have_job = store_print_job_last(s, &pj) == 0;
		have_hold = store_update_hold_get(s, &hold) == 0;
		if (store_status_get(s, &st) != 0 || outbox_stats_get(s, NULL, &ob) != 0) {
			fprintf(stderr, "recaudo: %s\n", store_error(s));
			store_close(s);
			return 1;
		}
		store_close(s);
	}
	int64_t free_b = files_free_bytes(dir);
	int64_t store_b = 0;
	static const char *const sfx[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof(sfx) / sizeof(*sfx); i++) {
		char p[620];
		struct stat sb;
		snprintf(p, sizeof(p), "%s%s", db, sfx[i]);
		if (stat(p, &sb) == 0)
			store_b += (int64_t)sb.st_size;
	}
	int64_t now = (int64_t)time(NULL);
	char asof[32] = "", last[32] = "";
	if (st.data_as_of)
		iso_utc(asof, sizeof(asof), st.data_as_of);
	if (st.last_coupon_at)
		iso_utc(last, sizeof(last), st.last_coupon_at);
	/* online: null without a central API; otherwise how the last exchange went */
	const char *online = !cfg.central_url[0] ? "null" : ob.link == 1 ? "true" : "false";
	const char *why = !cfg.central_url[0] || ob.link == 1 ? "" : ob.link < 0 ? "no_exchange_yet" : ob.last_error;
	int disk_full = free_b >= 0 && free_b < APP_MIN_FREE_BYTES;
	if (!c->json) {
		printf("kiosk %u · data as of %s · %lld coupons issued · next sequence %llu · printer %s"
		       " · %lld events to send, %lld dead letters · %s%s%s · store %lld KB, %lld MB free%s\n",
		       (unsigned)cfg.kiosk_id, st.data_as_of ? asof : "never", (long long)st.coupons_issued,
		       (unsigned long long)st.next_seq, cfg.printer_backend, (long long)ob.pending, (long long)ob.dead,
		       !cfg.central_url[0] ? "no central API" : ob.link == 1 ? "online" : "offline",
		       why[0] ? ": " : "", why, (long long)(store_b / 1024), (long long)(free_b / (1024 * 1024)),
		       disk_full ? " · DISK FULL" : "");
		return 0;
	}
	printf("{\"kiosk_id\":%u,", (unsigned)cfg.kiosk_id);
	if (have_store)
		printf("\"schema_version\":%d,", st.schema_version);
	else
		printf("\"schema_version\":null,");
	if (st.data_as_of)
		printf("\"data_as_of\":\"%s\",\"data_age_s\":%lld,", asof, (long long)(now - st.data_as_of));
	else
		printf("\"data_as_of\":null,\"data_age_s\":null,");
	printf("\"customers\":%lld,\"documents\":%lld,\"coupons_issued\":%lld,\"next_sequence\":%llu,",
	       (long long)st.customers, (long long)st.documents, (long long)st.coupons_issued,
	       (unsigned long long)st.next_seq);
	if (st.last_coupon_at)
		printf("\"last_coupon_at\":\"%s\",", last);
	else
		printf("\"last_coupon_at\":null,");
	char sync_at[32] = "";
	if (ob.last_sync)
		iso_utc(sync_at, sizeof(sync_at), ob.last_sync);
	printf("\"queue_depth\":%lld,\"dead_letters\":%lld,", (long long)ob.pending, (long long)ob.dead);
	if (ob.oldest_unsynced)
		printf("\"oldest_unsynced_age_s\":%lld,",
		       (long long)(now > ob.oldest_unsynced ? now - ob.oldest_unsynced : 0));
	else
		printf("\"oldest_unsynced_age_s\":null,");
	if (ob.last_sync)
		printf("\"last_sync\":\"%s\",", sync_at);
	else
		printf("\"last_sync\":null,");
	printf("\"central\":%s,\"online\":%s,", cfg.central_url[0] ? "true" : "false", online);
	if (why[0])
		printf("\"last_error\":\"%s\",", why); /* a fixed reason code: no escaping needed */
	else
		printf("\"last_error\":null,");
	printf("\"store_bytes\":%lld,", (long long)store_b);
	if (free_b >= 0)
		printf("\"free_bytes\":%lld,\"disk_full\":%s,", (long long)free_b, disk_full ? "true" : "false");
	else
		printf("\"free_bytes\":null,\"disk_full\":null,");
	cli_update_hold_json(stdout, have_hold ? &hold : NULL);
	printf("\"printer\":{\"backend\":\"%s\",\"dots\":%d,", cfg.printer_backend, cfg.paper_dots);
	if (have_job) { /* kind, ref and state are plain words (the store checks them) */
		char at[32];
		iso_utc(at, sizeof(at), pj.updated_at);
		printf("\"last_job\":{\"kind\":\"%s\",\"ref\":\"%s\",\"state\":\"%s\",\"at\":\"%s\"}}}\n", pj.kind,
		       pj.ref, pj.state, at);
	} else {
		printf("\"last_job\":null}}\n");
	}
	return 0;
}

/* Read-only: never creates a kiosk key (a new key could verify nothing). */
static int cmd_verify(const struct cli *c, const char *payload)
{
	struct config cfg;
	char err[400];
	uint8_t key[32];
	if (load_config_cli(c, &cfg) != 0)
		return 1;
	const char *dir = data_dir_of(c);
	if (app_load_key(&cfg, dir, 0, key, err, sizeof(err)) != 0) {
		fprintf(stderr, "recaudo: %s\n", err);
		return 1;
	}
	struct coupon cp;
	int ok = coupon_qr_verify(payload, key, sizeof(key), &cp) == 0;
	explicit_bzero(key, sizeof(key));
	if (!ok) {
		printf("invalid: the coupon code is not authentic or is malformed\n");
		return 1;
	}
	char amt[48];
	money_format(amt, sizeof(amt), cp.amount);
	printf("valid: kiosk %u sequence %llu reference %s amount %s due %d\n", (unsigned)cp.kiosk_id,
	       (unsigned long long)cp.seq, cp.reference, amt, (int)cp.due);
	return 0;
}

static int run_window(struct app *a)
{
	SDL_StartTextInput();
	struct svcmgr sm; /* READY after the first frame, the watchdog from this loop (svcmgr.h) */
	svcmgr_init(&sm, 0);
	int quit = 0;
	while (!quit) {
		int shown = app_render(a, 0);
		svcmgr_tick(&sm, shown, svcmgr_app_status(a), stdout, NULL);
		if (shown) {
			app_frame_shown(a);
			respawn_ready(); /* from now on a crash brings a new kiosk at once (app/respawn.h) */
		}
		int64_t now = app_now_ms(a), dl = app_next_deadline(a), w = svcmgr_wait_ms(&sm);
		if (dl != INT64_MAX && (w < 0 || dl - now < w))
			w = dl - now < 0 ? 0 : dl - now > 60000 ? 60000 : dl - now;
		SDL_Event e;
		int got = w < 0 ? SDL_WaitEvent(&e) : SDL_WaitEventTimeout(&e, (int)w);
		while (got && !quit) {
			quit = input_sdl_handle(a, &e);
			got = SDL_PollEvent(&e);
		}
		app_pump(a);
		if (a->exit_code >= 0) /* "Reiniciar aplicación": the service manager starts it again */
			break;
	}
	svcmgr_stopping(&sm);
	return a->exit_code >= 0 ? a->exit_code : 0;
}

int main(int argc, char **argv)
{
	struct cli c;
	memset(&c, 0, sizeof(c));
	const char *pos[6];
	int npos = 0;
	umask(077); /* the store, the key and the receipts hold personal data and money */
	/* `recaudo maint totals` parses its own options (app/cli_totals.c) */
	if (argc > 2 && !strcmp(argv[1], "maint") && !strcmp(argv[2], "totals"))
		return cli_maint_totals(argc - 3, argv + 3, stdout, stderr);
	if (argc > 1 && !strcmp(argv[1], "update-wait")) /* app/cli_update.c, its own options too */
		return cli_update_wait(argc - 2, argv + 2, stdout, stderr);
	if (parse_opts(argc, argv, 1, &c, pos, &npos) != 0)
		return 2;
	/* an installed kiosk reads /etc/recaudo/recaudo.ini when it exists (services.h) */
	const struct app_paths *paths = app_paths();
	if (!c.o.config_path && paths->config && access(paths->config, F_OK) == 0)
		c.o.config_path = paths->config;
	if (npos > 0) {
		if (!strcmp(pos[0], "import") && npos == 2)
			return cmd_import(&c, pos[1]);
		if (!strcmp(pos[0], "status") && npos == 1)
			return cmd_status(&c);
		if (!strcmp(pos[0], "health") && npos == 1) /* app/cli_health.c */
			return cli_health(c.o.config_path, data_dir_of(&c), stdout);
		if (!strcmp(pos[0], "verify-coupon") && npos == 2)
			return cmd_verify(&c, pos[1]);
		if (!strcmp(pos[0], "sync") && npos == 1) /* app/cli_sync.c */
			return cli_sync(c.o.config_path, data_dir_of(&c), stdout, stderr);
		if (!strcmp(pos[0], "audit") && npos == 2 && !strcmp(pos[1], "verify"))
			return cli_audit_verify(data_dir_of(&c), stdout, stderr);
		struct config cfg;
		if (!strcmp(pos[0], "maint") && npos == 2 && !strcmp(pos[1], "test-page"))
			return load_config_cli(&c, &cfg) != 0 ? 1 : cli_maint_test_page(&cfg, data_dir_of(&c), stdout, stderr);
		if (!strcmp(pos[0], "maint") && npos >= 3 && (!strcmp(pos[1], "usb") || !strcmp(pos[1], "software")))
			return load_config_cli(&c, &cfg) != 0 ? 1 : cli_maint_helper(&cfg, pos + 1, npos - 1, stdout, stderr);
		if (!strcmp(pos[0], "maint") && npos >= 3 && !strcmp(pos[1], "config"))
			return cli_maint_config(c.o.config_path, data_dir_of(&c), pos + 2, npos - 2, stdout, stderr);
		if (!strcmp(pos[0], "maint") && npos == 2 && !strcmp(pos[1], "status"))
			return cli_maint_status(c.o.config_path, data_dir_of(&c), c.json, stdout, stderr);
		if (!strcmp(pos[0], "maint") && npos >= 2 && !strcmp(pos[1], "set-pin")) /* never a PIN in argv */
			return npos == 2 ? cli_maint_set_pin(data_dir_of(&c), stdin, stdout, stderr)
					 : (fputs("recaudo: maint set-pin reads the PIN from the terminal or stdin, never "
						  "from the command line\n", stderr), 2);
		if (!strcmp(pos[0], "queue")) /* the send queue (app/cli_queue.c) */
			return cli_queue(c.o.config_path, data_dir_of(&c), pos + 1, npos - 1, c.json, stdout, stderr);
		usage(stderr);
		return 2;
	}
	/* the modes are rows of the activity table (app/activity.c) */
	const struct activity *mode = activity_mode(c.mode ? c.mode : ACTIVITY_DEFAULT_MODE);
	if (!activity_available(mode)) {
		char names[128];
		activity_mode_names(names, sizeof(names));
		if (mode)
			fprintf(stderr, "recaudo: el modo \"%s\" aún no está disponible / mode \"%s\" is not available yet;"
					" use --mode kiosk\n", c.mode, c.mode);
		else
			fprintf(stderr, "recaudo: unknown mode \"%s\"; the modes are: %s\n", c.mode, names);
		return 2;
	}
	c.o.home = mode; /* the activity the kiosk starts in and returns to */
	if (c.o.speech_wav && !c.o.headless) { /* said.tsv holds what was said: tests only */
		fprintf(stderr, "recaudo: --speech-wav is for headless runs (--headless)\n");
		return 2;
	}
	if (c.o.headless && (!c.script || !c.shots)) {
		fprintf(stderr, "recaudo: --headless needs --script FILE and --shots DIR\n");
		return 2;
	}
	if (c.respawn) { /* before any thread, file or display: the kiosk's parent (app/respawn.h) */
		if (c.o.headless) {
			fprintf(stderr, "recaudo: --respawn is for the kiosk's window, not --headless\n");
			return 2;
		}
		int parent;
		struct respawn_stats rs;
		int rc = respawn_run(getenv("RECAUDO_PRELOAD"), &parent, &rs, stderr);
		if (parent)
			return rc;
	}
	/* the kiosk's log lines, kept for maintenance mode's Registro screen (app/logring.h) */
	if (logring_start() != 0)
		fprintf(stderr, "recaudo: the log is not kept for the maintenance screen (out of memory)\n");
	struct app *a = calloc(1, sizeof(*a));
	char err[400];
	if (!a || app_open(a, &c.o, err, sizeof(err)) != 0) {
		fprintf(stderr, "recaudo: %s\n", a ? err : "out of memory");
		free(a);
		logring_stop();
		return 1;
	}
	/* the restart marker (docs/maintenance.md "Estado"): why this run started, how it ended */
	if (a->svc.store && maint_status_note_start(a->svc.store, app_now_ms(a) / 1000) != 0)
		fprintf(stderr, "recaudo: the start could not be noted: %s\n", store_error(a->svc.store));
	int rc = c.o.headless ? headless_run(a, c.script, c.shots) : run_window(a);
	if (a->svc.store)
		maint_status_note_exit(a->svc.store, a->exit_code == MAINT_RESTART_EXIT ? MS_EXIT_RESTART : MS_EXIT_CLEAN,
				       app_now_ms(a) / 1000);
	app_close(a);
	free(a);
	logring_stop();
	return rc;
}
