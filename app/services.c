/* The kiosk's shared services without SDL (services.h). */
#include "services.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "files.h"
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

