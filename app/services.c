/* The kiosk's shared services without SDL (services.h): paths, key, sync lock and start, API
 * configuration, and the open services (store and workers). */
#include "services.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "files.h"
#include "maint_pin.h"
#include "outbox.h"
#include "sign.h"

const struct app_paths *app_paths(void)
{
	static const struct app_paths dev = {0, NULL, "data", NULL};
	static const struct app_paths inst = {1, "/etc/recaudo/recaudo.ini", "/var/lib/recaudo", "/usr/share/recaudo"};
	static int installed = -1;
	if (installed < 0) {
		const char *e = getenv("RECAUDO_INSTALLED");
		if (e && *e) {
			installed = strcmp(e, "0") != 0;
		} else {
			char exe[PATH_MAX];
			ssize_t k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
			exe[k > 0 ? k : 0] = 0;
			installed = !strncmp(exe, "/usr/", 5);
		}
	}
	return installed ? &inst : &dev;
}

int app_disk_full(const char *dir)
{
	int64_t free_b = files_free_bytes(dir);
	return free_b >= 0 && free_b < APP_MIN_FREE_BYTES;
}

int app_data_paths(const char *data_dir, char *db, size_t dbn, char *err, size_t errn)
{
	if (files_private_dir(data_dir, err, errn) != 0)
		return -1;
	snprintf(db, dbn, "%s/recaudo.db", data_dir);
	/* a store made by an older version (or under a loose umask) becomes private too */
	static const char *const sfx[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof(sfx) / sizeof(*sfx); i++) {
		char p[600];
		snprintf(p, sizeof(p), "%s%s", db, sfx[i]);
		if (files_private_file(p, err, errn) != 0)
			return -1;
	}
	return 0;
}

int app_find_assets(char *out, size_t n)
{
	/* next to the binary (build/recaudo -> ../assets), then the working directory */
	char exe[PATH_MAX];
	ssize_t k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (k > 0) {
		exe[k] = 0;
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			snprintf(out, n, "%s/../assets", exe);
			char probe[PATH_MAX + 64];
			snprintf(probe, sizeof(probe), "%s/demo/portfolio.json", out);
			if (access(probe, R_OK) == 0)
				return 0;
		}
	}
	snprintf(out, n, "assets");
	return access("assets/demo/portfolio.json", R_OK) == 0 ? 0 : -1;
}

int app_load_key(const struct config *c, const char *data_dir, int create, uint8_t key[32], char *err,
		 size_t errn)
{
	char path[512];
	if (c->qr_key_file[0])
		snprintf(path, sizeof(path), "%s", c->qr_key_file);
	else
		snprintf(path, sizeof(path), "%s/kiosk.key", data_dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && !c->qr_key_file[0] && create) {
		/* first run: a fresh per-kiosk key, readable by the kiosk user only, and its name
		 * made durable too (a key that vanishes with a power cut orphans every coupon QR) */
		uint8_t k[32];
		if (getrandom(k, sizeof(k), 0) != (ssize_t)sizeof(k)) {
			snprintf(err, errn, "cannot generate the kiosk key");
			return -1;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, k, sizeof(k)) != (ssize_t)sizeof(k) || fsync(fd) != 0) {
			snprintf(err, errn, "%s: cannot create the kiosk key: %s", path, strerror(errno));
			explicit_bzero(k, sizeof(k));
			if (fd >= 0) {
				close(fd);
				unlink(path); /* no half-written key for the next start to trust */
			}
			return -1;
		}
		explicit_bzero(k, sizeof(k));
		close(fd);
		if (files_sync_dir(path, err, errn) != 0)
			return -1;
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0) {
		snprintf(err, errn, "%s: cannot read the kiosk key: %s", path, strerror(errno));
		return -1;
	}
	if (files_check_secret_fd(fd, path, "kiosk key", err, errn) != 0) {
		close(fd);
		return -1;
	}
	ssize_t got = read(fd, key, 32);
	close(fd);
	if (got != 32) {
		explicit_bzero(key, 32);
		snprintf(err, errn, "%s: the kiosk key must be 32 bytes", path);
		return -1;
	}
	return 0;
}

void app_explain_disk_full(const char *data_dir, char *err, size_t errn)
{
	int64_t free_b = files_free_bytes(data_dir);
	if (free_b < 0 || free_b >= APP_MIN_FREE_BYTES)
		return;
	/* SQLite says "disk I/O error" or "database or disk is full"; a technician needs the why */
	snprintf(err, errn, "the disk holding %s is full (%lld KB free): free some space and start again; "
			    "`recaudo status --data %s` still reports the kiosk's state",
		 data_dir, (long long)(free_b / 1024), data_dir);
}

int app_api_config(const struct config *cfg, struct api_config *ac, char *err, size_t errn)
{
	memset(ac, 0, sizeof(*ac));
	snprintf(ac->base_url, sizeof(ac->base_url), "%s", cfg->central_url);
	snprintf(ac->device_id, sizeof(ac->device_id), "%s", cfg->device_id);
	snprintf(ac->ca_file, sizeof(ac->ca_file), "%s", cfg->ca_file);
	snprintf(ac->pinned_key, sizeof(ac->pinned_key), "%s", cfg->pinned_key);
	ac->connect_timeout_ms = cfg->lookup_timeout_ms;
	ac->timeout_ms = 10000;
	if (files_check_secret(cfg->secret_file, "device secret", err, errn) != 0 ||
	    sign_load_secret(cfg->secret_file, ac->secret, err, errn) != 0)
		return -1;
	return 0;
}

int app_sync_lock(const char *data_dir, char *err, size_t errn)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/sync.lock", data_dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errn, "%s: cannot open the sync lock: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		snprintf(err, errn, "another Recaudo process (the kiosk itself?) is syncing %s already",
			 data_dir);
		close(fd);
		return -1;
	}
	return fd;
}

struct sync *app_sync_start(const struct config *cfg, const char *data_dir, int wait_lock,
			    void (*notify)(void *user, const struct sync_report *r), void *user, char *err,
			    size_t errn)
{
	struct sync_config sc;
	memset(&sc, 0, sizeof(sc));
	if (app_api_config(cfg, &sc.api, err, errn) != 0)
		return NULL;
	/* the sync worker's own budget: a slow link is given time, a stalled one is not */
	sc.api.connect_timeout_ms = cfg->sync_connect_timeout_ms;
	sc.api.timeout_ms = 0; /* SYNC_TIMEOUT_MS */
	sc.api.low_speed_time_s = cfg->sync_low_speed_s;
	snprintf(sc.db_path, sizeof(sc.db_path), "%s/recaudo.db", data_dir);
	if (wait_lock)
		snprintf(sc.lock_path, sizeof(sc.lock_path), "%s/sync.lock", data_dir);
	sc.refresh_s = cfg->refresh_s;
	sc.heartbeat_s = cfg->heartbeat_s;
	sc.backoff_min_ms = 1000;
	sc.backoff_max_ms = 300000;
	sc.version = RECAUDO_VERSION;
	struct sync *y = sync_start(&sc, notify, user, err, errn);
	explicit_bzero(&sc, sizeof(sc));
	return y;
}


/* ---- the open services ---- */

/* Inside the coupon's transaction: its outbox event (and audit row). */
static int commit_hook(struct store *st, const struct coupon *c, const struct coupon_request *req, void *user)
{
	(void)user;
	return outbox_push_coupon(st, c, req);
}

static void sync_notify(void *user, const struct sync_report *r)
{
	struct services *s = user;
	(void)r; /* read again on the UI thread with sync_get_report */
	if (s->wake)
		s->wake(s->wake_user);
}

static int open_store(struct services *s, char *err, size_t errn)
{
	if (app_data_paths(s->data_dir, s->db_path, sizeof(s->db_path), err, errn) != 0) {
		app_explain_disk_full(s->data_dir, err, errn);
		return -1;
	}
	if (store_open(&s->store, s->db_path, err, errn) != 0) {
		app_explain_disk_full(s->data_dir, err, errn);
		return -1;
	}
	store_set_commit_hook(s->store, commit_hook, s);
	struct store_status st;
	if (s->demo_portfolio[0] && store_status_get(s->store, &st) == 0 && st.data_as_of == 0 && st.customers == 0 &&
	    store_import_file(s->store, s->demo_portfolio, err, errn) != 0)
		return -1;
	/* --demo: the demo maintenance PIN (246810, marked as such) when the store has none */
	if (s->demo_portfolio[0] && maint_pin_is_set(s->store) == 0 && maint_pin_set_demo(s->store) != 0) {
		snprintf(err, errn, "the demo PIN: %s", store_error(s->store));
		return -1;
	}
	return 0;
}

/* The lookup worker always (local lookups leave the UI thread too); the API client and the
 * sync worker when a central API is configured. */
static int open_central(struct services *s, const struct config *cfg, char *err, size_t errn)
{
	struct api_config ac;
	int have = cfg->central_url[0] != 0;
	memset(&ac, 0, sizeof(ac));
	if (have && app_api_config(cfg, &ac, err, errn) != 0)
		return -1;
	s->lk = lookup_open(s->db_path, have ? &ac : NULL, cfg->lookup_timeout_ms, s->wake, s->wake_user, err, errn);
	explicit_bzero(&ac, sizeof(ac));
	if (!s->lk)
		return -1;
	if (have) {
		/* one drainer per store: the worker waits while a technician's `recaudo sync` runs */
		s->sync = app_sync_start(cfg, s->data_dir, 1, sync_notify, s, err, errn);
		if (!s->sync)
			return -1;
	}
	return 0;
}

int app_printer_open(const struct config *cfg, const char *data_dir, struct printer **out, char *err, size_t errn)
{
	char target[512];
	if (cfg->printer_target[0]) {
		snprintf(target, sizeof(target), "%s", cfg->printer_target);
	} else {
		snprintf(target, sizeof(target), "%s/receipts", data_dir);
		if (files_private_dir(target, err, errn) != 0)
			return -1;
	}
	return printer_open(out, cfg->printer_backend, target, cfg->paper_dots, err, errn) != 0 ? -1 : 0;
}

static int open_printer(struct services *s, const struct config *cfg, char *err, size_t errn)
{
	if (app_printer_open(cfg, s->data_dir, &s->printer, err, errn) != 0)
		return -1;
	s->pq = printq_open(s->printer, s->db_path, s->wake, s->wake_user, err, errn);
	return s->pq ? 0 : -1;
}

/* Retention (offline/retention.h): the integrity check, then a pass now and daily, on a worker
 * with its own store connection. With a central API, nothing it has not acknowledged is
 * pruned; a standalone kiosk never gets acknowledgements, so age and size alone decide there. */
static int open_retention(struct services *s, const struct config *cfg, char *err, size_t errn)
{
	struct retention_policy p;
	memset(&p, 0, sizeof(p));
	p.max_age_s = (int64_t)cfg->retention_days * 86400;
	p.print_max_bytes = (int64_t)cfg->retention_print_mb << 20;
	p.receipts_max_bytes = (int64_t)cfg->retention_receipts_mb << 20;
	p.keep_recent_s = RETENTION_REPRINT_WINDOW_S;
	p.keep_unacked = cfg->central_url[0] != 0;
	if (!strcmp(cfg->printer_backend, "virtual")) {
		const char *t = cfg->printer_target;
		if (t[0]) /* the folder, without the test faults after '?' */
			snprintf(p.receipts_dir, sizeof(p.receipts_dir), "%.*s", (int)strcspn(t, "?"), t);
		else
			snprintf(p.receipts_dir, sizeof(p.receipts_dir), "%s/receipts", s->data_dir);
	}
	s->ret = retention_start(s->db_path, &p, RETENTION_PERIOD_S, s->wake, s->wake_user, err, errn);
	return s->ret ? 0 : -1;
}

void services_close(struct services *s)
{
	retention_stop(s->ret);
	s->ret = NULL;
	sync_stop(s->sync);
	s->sync = NULL;
	lookup_close(s->lk);
	s->lk = NULL;
	printq_close(s->pq);
	s->pq = NULL;
	if (s->printer)
		printer_close(s->printer);
	s->printer = NULL;
	store_close(s->store);
	s->store = NULL;
	explicit_bzero(s->key, sizeof(s->key));
	s->open = 0;
}

int services_open(struct services *s, const struct config *cfg, char *err, size_t errn)
{
	if (open_store(s, err, errn) != 0) {
		services_close(s);
		return -1;
	}
	if (app_load_key(cfg, s->data_dir, 1, s->key, err, errn) != 0) {
		int full = app_disk_full(s->data_dir);
		if (full)
			app_explain_disk_full(s->data_dir, err, errn);
		services_close(s);
		return full ? -1 : -2;
	}
	if (open_central(s, cfg, err, errn) != 0 || open_printer(s, cfg, err, errn) != 0 ||
	    open_retention(s, cfg, err, errn) != 0) {
		services_close(s);
		return -2;
	}
	s->open = 1;
	return 0;
}

static void *opener_run(void *arg)
{
	struct services *s = arg;
	s->opener_rc = services_open(s, s->opener_cfg, s->opener_err, sizeof(s->opener_err));
	return NULL;
}

int services_open_start(struct services *s, const struct config *cfg)
{
	s->opener_cfg = cfg;
	return pthread_create(&s->opener, NULL, opener_run, s) == 0 ? 0 : -1;
}

int services_open_finish(struct services *s, char *err, size_t errn)
{
	pthread_join(s->opener, NULL);
	s->opener_cfg = NULL;
	if (s->opener_rc != 0 && errn > 0)
		snprintf(err, errn, "%s", s->opener_err);
	return s->opener_rc;
}

/* The store file's identity: device, inode, size, mtime; all -1 if it cannot be read. */
static void store_file_id(const char *path, int64_t id[4])
{
	struct stat st;
	if (stat(path, &st) != 0) {
		id[0] = id[1] = id[2] = id[3] = -1;
		return;
	}
	id[0] = (int64_t)st.st_dev;
	id[1] = (int64_t)st.st_ino;
	id[2] = (int64_t)st.st_size;
	id[3] = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
}

/* A store that failed its integrity check: the services close (nothing more is written to
 * it) and stay closed while its file is the same; a changed file is opened and checked again
 * (re-reading a big corrupt store every re-check would keep the disk busy for nothing). */
int services_recheck_bad(struct services *s)
{
	if (!s->store_bad)
		return 0;
	if (s->open) {
		services_close(s);
		store_file_id(s->db_path, s->store_bad_id); /* after the close: its last checkpoint */
		return 1;
	}
	int64_t now[4];
	store_file_id(s->db_path, now);
	if (memcmp(now, s->store_bad_id, sizeof(now)) == 0)
		return 1;
	fprintf(stderr, "recaudo: the store's file changed: checking it again\n");
	s->store_bad = 0;
	s->store_checking = 1; /* until the new check's result */
	return 0;
}
