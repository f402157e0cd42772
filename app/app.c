/* The kiosk context and the glue between flow, store, printer worker and UI. */
#include "app.h"

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "escpos.h"
#include "files.h"
#include "i18n.h"
#include "idnum.h"
#include "outbox.h"
#include "receipt.h"
#include "sign.h"

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

int64_t app_now_ms(const struct app *a)
{
	if (a->headless)
		return a->vclock_ms;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the flow's side effects ---- */

static void fx_lookup_start(void *ctx, uint64_t req, enum id_type t, const char *number)
{
	struct app *a = ctx;
	lookup_request(a->lk, req, t, number);
}

static void fx_offline_status(void *ctx, struct flow_offline *out)
{
	struct app *a = ctx;
	struct sync_report r;
	sync_get_report(a->sync, &r);
	out->online = r.online;
	out->unsynced_cop_minor = 0;
	if (outbox_unsynced_cop(a->store, &out->unsynced_cop_minor) != 0)
		out->unsynced_cop_minor = INT64_MAX; /* unknown: assume the worst */
}

/* Inside the coupon's transaction: its outbox event (and audit row). */
static int commit_hook(struct store *s, const struct coupon *c, const struct coupon_request *req, void *user)
{
	(void)user;
	return outbox_push_coupon(s, c, req);
}

static int fx_trm(void *ctx, int32_t date, struct trm *out)
{
	struct app *a = ctx;
	return store_trm_for_date(a->store, date, out);
}

static int fx_issue(void *ctx, const struct coupon_request *req, struct coupon *out)
{
	struct app *a = ctx;
	int rc = store_coupon_issue(a->store, req, out);
	if (rc != 0) {
		fprintf(stderr, "recaudo: coupon not issued: %s\n", store_error(a->store));
		return rc;
	}
	fprintf(stderr, "recaudo: coupon issued seq=%llu\n", (unsigned long long)out->seq);
	if (a->sync)
		sync_kick(a->sync); /* its event is durable in the outbox: send it now */
	return 0;
}

static int fx_print(void *ctx, const struct flow *f)
{
	struct app *a = ctx;
	char name[128], idm[40], id[64], job[48];
	name_mask(name, sizeof(name), f->pf.name);
	id_mask(idm, sizeof(idm), f->pf.id_number);
	snprintf(id, sizeof(id), "%s %s", id_type_code(f->pf.id_type), idm);
	struct receipt r = {
		.lang = f->lang,
		.brand = a->cfg.brand,
		.branch = a->cfg.branch[0] ? a->cfg.branch : NULL,
		.customer_masked = name,
		.id_masked = id,
		.coupon = &f->coupon,
		.coupon_qr = f->coupon_qr,
		.kind = f->kind,
		.lines = f->lines,
		.nlines = f->nlines,
		.copy = 0,
		.dots = a->cfg.paper_dots,
		.codepage = a->cfg.printer_codepage,
		.qr_raster = !a->cfg.printer_native_qr,
		.biller_gln = a->cfg.biller_gln,
	};
	char logo[600];
	if (!strcmp(a->cfg.printer_logo, "none")) {
		r.logo_path = NULL;
	} else {
		if (a->cfg.printer_logo[0])
			snprintf(logo, sizeof(logo), "%s", a->cfg.printer_logo);
		else
			snprintf(logo, sizeof(logo), "%s/logo.png", a->assets_dir);
		r.logo_path = logo;
	}
	/* the receipt and, kept with it for reprints, the same receipt marked COPIA */
	struct escpos e, c;
	memset(&e, 0, sizeof(e));
	memset(&c, 0, sizeof(c));
	e.cp = c.cp = a->cfg.printer_codepage;
	snprintf(job, sizeof(job), "receipt-%06llu", (unsigned long long)f->coupon.seq);
	int built = receipt_build(&e, &r) == 0;
	r.copy = 1;
	built = built && receipt_build(&c, &r) == 0;
	if (!built) {
		char why[200];
		escpos_free(&e);
		escpos_free(&c);
		if (receipt_validate(&r, why, sizeof(why)) != 0)
			fprintf(stderr, "recaudo: %s: not printed: %s\n", job, why);
		else
			fprintf(stderr, "recaudo: %s: receipt too large\n", job);
		return -1;
	}
	/* the queue owns both buffers from here, even when it refuses the job */
	if (printq_submit(a->pq, job, f->coupon.seq, e.buf, e.len, c.buf, c.len) != 0) {
		fprintf(stderr, "recaudo: %s: printer queue full\n", job);
		a->printer_ok = 0;
		return -1;
	}
	return 0;
}

static int fx_reprint(void *ctx, uint64_t seq)
{
	struct app *a = ctx;
	if (!seq) { /* the receipt offered on attract after a restart */
		seq = a->reprint_seq;
		a->reprint_seq = 0;
		a->st.reprint_offer = 0;
		a->dirty = 1;
	}
	if (!seq || printq_reprint(a->pq, seq) != 0)
		return -1;
	return 0;
}

static void wake_main(void *user)
{
	struct app *a = user;
	if (a->headless || a->wake_type == (Uint32)-1)
		return;
	SDL_Event e;
	memset(&e, 0, sizeof(e));
	e.type = a->wake_type;
	SDL_PushEvent(&e);
}

static void sync_notify(void *user, const struct sync_report *r)
{
	(void)r; /* read again on the UI thread with sync_get_report */
	wake_main(user);
}

static void refresh_status(struct app *a)
{
	if (a->sync) {
		struct sync_report r;
		sync_get_report(a->sync, &r);
		a->st.online = r.online;
		a->st.last_sync = r.last_sync;
		a->st.queue_depth = r.queue_depth;
	}
	int64_t asof;
	if (store_data_as_of(a->store, &asof) == 0)
		a->st.data_as_of = asof;
	a->st.printer = a->printer ? printer_status_str(&a->printer_status) : STR_PRINTER_NONE;
}

/* ---- open / close ---- */

static int open_store(struct app *a, const struct app_opts *o, char *err, size_t errn)
{
	if (app_data_paths(a->data_dir, a->db_path, sizeof(a->db_path), err, errn) != 0) {
		app_explain_disk_full(a->data_dir, err, errn);
		return -1;
	}
	if (store_open(&a->store, a->db_path, err, errn) != 0) {
		app_explain_disk_full(a->data_dir, err, errn);
		return -1;
	}
	store_set_commit_hook(a->store, commit_hook, a);
	struct store_status s;
	if (o->demo && store_status_get(a->store, &s) == 0 && s.data_as_of == 0 && s.customers == 0) {
		char path[600];
		snprintf(path, sizeof(path), "%s/demo/portfolio.json", a->assets_dir);
		if (store_import_file(a->store, path, err, errn) != 0)
			return -1;
	}
	return 0;
}

/* The API client's settings from the configuration (the secret read from its file). */
static int api_config_from(const struct config *cfg, struct api_config *ac, char *err, size_t errn)
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
	if (api_config_from(cfg, &sc.api, err, errn) != 0)
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

/* The lookup worker always (local lookups leave the UI thread too); the API client and the
 * sync worker when a central API is configured. */
static int open_central(struct app *a, char *err, size_t errn)
{
	struct api_config ac;
	int have = a->cfg.central_url[0] != 0;
	memset(&ac, 0, sizeof(ac));
	if (have && api_config_from(&a->cfg, &ac, err, errn) != 0)
		return -1;
	a->lk = lookup_open(a->db_path, have ? &ac : NULL, a->cfg.lookup_timeout_ms, wake_main, a, err, errn);
	explicit_bzero(&ac, sizeof(ac));
	if (!a->lk)
		return -1;
	if (have) {
		/* one drainer per store: the worker waits while a technician's `recaudo sync` runs */
		a->sync = app_sync_start(&a->cfg, a->data_dir, 1, sync_notify, a, err, errn);
		if (!a->sync)
			return -1;
	}
	return 0;
}

static int open_printer(struct app *a, char *err, size_t errn)
{
	char target[512];
	if (a->cfg.printer_target[0]) {
		snprintf(target, sizeof(target), "%s", a->cfg.printer_target);
	} else {
		snprintf(target, sizeof(target), "%s/receipts", a->data_dir);
		if (files_private_dir(target, err, errn) != 0)
			return -1;
	}
	if (printer_open(&a->printer, a->cfg.printer_backend, target, a->cfg.paper_dots, err, errn) != 0)
		return -1;
	a->pq = printq_open(a->printer, a->db_path, wake_main, a, err, errn);
	if (!a->pq)
		return -1;
	a->printer_ok = 1;
	a->printer_status = (struct printer_status){.state = PRINTER_READY};
	/* a receipt left "pending" or "sent" by a crash or power cut in the last minutes: the
	 * customer may still be here; offer a reprint marked COPIA rather than print it again */
	struct store_print_job j;
	if (store_print_job_last(a->store, &j) == 0 && j.coupon_seq && /* a receipt, not a test page */
	    (!strcmp(j.state, "pending") || !strcmp(j.state, "sent")) && (int64_t)time(NULL) - j.updated_at < 600) {
		a->reprint_seq = j.coupon_seq;
		a->reprint_until = app_now_ms(a) + 600000; /* then it is no one's receipt anymore */
		a->st.reprint_offer = 1;
		fprintf(stderr, "recaudo: %s may not have printed completely: reprint offered\n", j.name);
	}
	return 0;
}

/* Retention (offline/retention.h): a pass now and then daily, on a worker with its own
 * store connection. With a central API, nothing it has not acknowledged is pruned; a
 * standalone kiosk never gets acknowledgements, so age and size alone decide there. */
static int open_retention(struct app *a, char *err, size_t errn)
{
	struct retention_policy p;
	memset(&p, 0, sizeof(p));
	p.max_age_s = (int64_t)a->cfg.retention_days * 86400;
	p.print_max_bytes = (int64_t)a->cfg.retention_print_mb << 20;
	p.receipts_max_bytes = (int64_t)a->cfg.retention_receipts_mb << 20;
	p.keep_recent_s = RETENTION_REPRINT_WINDOW_S;
	p.keep_unacked = a->cfg.central_url[0] != 0;
	if (!strcmp(a->cfg.printer_backend, "virtual")) {
		const char *t = a->cfg.printer_target;
		if (t[0]) /* the folder, without the test faults after '?' */
			snprintf(p.receipts_dir, sizeof(p.receipts_dir), "%.*s", (int)strcspn(t, "?"), t);
		else
			snprintf(p.receipts_dir, sizeof(p.receipts_dir), "%s/receipts", a->data_dir);
	}
	a->ret = retention_start(a->db_path, &p, RETENTION_PERIOD_S, wake_main, a, err, errn);
	return a->ret ? 0 : -1;
}

/* The surface the renderer draws into, for the UI's direct opaque fills: the headless canvas,
 * or a software-rendered window's surface (it changes when the window is resized). */
static void set_draw_target(struct app *a)
{
	SDL_RendererInfo ri;
	if (a->headless)
		ui_set_target(&a->ui, a->canvas);
	else if (SDL_GetRendererInfo(a->ren, &ri) == 0 && (ri.flags & SDL_RENDERER_SOFTWARE))
		ui_set_target(&a->ui, SDL_GetWindowSurface(a->win));
	else
		ui_set_target(&a->ui, NULL);
}

static int open_display(struct app *a, const struct app_opts *o, char *err, size_t errn)
{
	int w = o->w > 0 ? o->w : 1080, h = o->h > 0 ? o->h : 1920;
	if (a->headless) {
		/* the format of a window's surface (X11 at 24 bits, SDL's offscreen driver, most
		 * framebuffers): the renderer then takes SDL's fast fills and blits, as in the window,
		 * not its generic per-pixel converters, and the frame costs what it costs there */
		a->canvas = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, APP_CANVAS_FORMAT);
		if (!a->canvas || !(a->ren = SDL_CreateSoftwareRenderer(a->canvas))) {
			snprintf(err, errn, "cannot create the headless canvas: %s", SDL_GetError());
			return -1;
		}
	} else {
		if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
			snprintf(err, errn, "cannot open the display: %s", SDL_GetError());
			return -1;
		}
		a->wake_type = SDL_RegisterEvents(1);
		/* the window keeps the screen's shape but fits the monitor (a 1080x1920 kiosk layout
		 * on a 1080p desktop shows scaled down); --fullscreen is the real kiosk */
		SDL_DisplayMode dm;
		int ww = w, wh = h;
		if (!o->fullscreen && SDL_GetDesktopDisplayMode(0, &dm) == 0) {
			double sx = dm.w * 0.95 / w, sy = dm.h * 0.9 / h, s = sx < sy ? sx : sy;
			if (s < 1.0) {
				ww = (int)(w * s);
				wh = (int)(h * s);
			}
		}
		Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
		int wx = SDL_WINDOWPOS_CENTERED, wy = SDL_WINDOWPOS_CENTERED;
		SDL_Rect db;
		if (o->fullscreen && SDL_GetDisplayBounds(0, &db) == 0) {
			/* a borderless window covering the display, not SDL's fullscreen: on a kiosk with
			 * no window manager, SDL waits ~100 ms at start for one to confirm fullscreen */
			flags |= SDL_WINDOW_BORDERLESS;
			wx = db.x;
			wy = db.y;
			ww = db.w;
			wh = db.h;
		} else if (o->fullscreen) {
			flags |= SDL_WINDOW_FULLSCREEN_DESKTOP; /* the display's size is unknown */
		}
		a->win = SDL_CreateWindow("Recaudo", wx, wy, ww, wh, flags);
		if (!a->win) {
			snprintf(err, errn, "cannot open a window: %s", SDL_GetError());
			return -1;
		}
		/* The screens redraw only on change and a full frame costs 1-2 ms in software, so the
		 * software renderer is the default: it keeps the GL stack (Mesa/LLVM, ~70 MB mapped)
		 * out of the process and resident memory near 20 MB. [display] renderer = accelerated
		 * opts in to the GPU. */
		if (a->cfg.accelerated) {
			a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
		} else {
			SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
			SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
		}
		if (!a->ren)
			a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
		if (!a->ren) {
			snprintf(err, errn, "cannot create a renderer: %s", SDL_GetError());
			return -1;
		}
		/* lay out at the real pixel size (the UI scales itself): no renderer scaling, so text
		 * stays sharp and shapes meet without seams */
		SDL_GetRendererOutputSize(a->ren, &w, &h);
		SDL_ShowCursor(o->fullscreen ? SDL_DISABLE : SDL_ENABLE);
	}
	if (ui_open(&a->ui, a->ren, w, h, a->cfg.font_dir, err, errn) != 0)
		return -1;
	set_draw_target(a);
	return 0;
}

int app_open(struct app *a, const struct app_opts *o, char *err, size_t errn)
{
	memset(a, 0, sizeof(*a));
	a->headless = o->headless;
	a->wake_type = (Uint32)-1;
	config_defaults(&a->cfg);
	if (o->config_path && config_load(&a->cfg, o->config_path, err, errn) != 0)
		return -1;
	const char *dd = o->data_dir ? o->data_dir : "data";
	if (strlen(dd) >= sizeof(a->data_dir) - 32) {
		/* never cut it: a shortened path would be a different, empty store */
		snprintf(err, errn, "the data directory path is too long (max %zu characters)",
			 sizeof(a->data_dir) - 33);
		return -1;
	}
	snprintf(a->data_dir, sizeof(a->data_dir), "%s", dd);
	if (o->assets_dir)
		snprintf(a->assets_dir, sizeof(a->assets_dir), "%s", o->assets_dir);
	else
		app_find_assets(a->assets_dir, sizeof(a->assets_dir));
	if (a->headless)
		a->vclock_ms = o->start_ms > 0 ? o->start_ms : (int64_t)time(NULL) * 1000;
	/* SDL_ttf once, before the printer worker (which renders previews with it) starts */
	if (TTF_Init() != 0) {
		snprintf(err, errn, "SDL_ttf: %s", TTF_GetError());
		return -1;
	}
	a->ttf = 1;
	/* the display (and the wake-up event the workers post) before any worker starts */
	if (open_store(a, o, err, errn) != 0 || app_load_key(&a->cfg, a->data_dir, 1, a->key, err, errn) != 0 ||
	    open_display(a, o, err, errn) != 0 || open_central(a, err, errn) != 0 ||
	    open_printer(a, err, errn) != 0 || open_retention(a, err, errn) != 0) {
		app_close(a);
		return -1;
	}
	a->fx = (struct flow_fx){fx_lookup_start, fx_trm, fx_issue, fx_print, fx_reprint,
				 a->sync ? fx_offline_status : NULL};
	struct flow_config fc = {
		.inactivity_ms = a->cfg.inactivity_s * 1000LL,
		.countdown_ms = a->cfg.countdown_s * 1000LL,
		.done_ms = a->cfg.done_s * 1000LL,
		.kiosk_id = a->cfg.kiosk_id,
		.ref_length = a->cfg.ref_length,
		.coupon_days = a->cfg.coupon_days,
		.qr_key = a->key,
		.qr_key_len = sizeof(a->key),
		.merchant = a->cfg.merchant,
		.default_lang = strcmp(a->cfg.language, "en") ? LANG_ES : LANG_EN,
		/* the offline limits only mean something when there is an online to compare with */
		.max_data_age_s = a->sync ? a->cfg.max_data_age_h * 3600LL : 0,
		.max_offline_coupon_minor = a->sync ? a->cfg.max_offline_coupon * 100 : 0,
		.max_offline_total_minor = a->sync ? a->cfg.max_offline_total * 100 : 0,
	};
	a->st.central = a->sync != NULL;
	snprintf(fc.terminal, sizeof(fc.terminal), "%s", a->cfg.terminal);
	flow_init(&a->flow, &fc, &a->fx, a, app_now_ms(a));
	refresh_status(a);
	a->dirty = 1;
	return 0;
}

void app_close(struct app *a)
{
	flow_free(&a->flow);
	retention_stop(a->ret);
	a->ret = NULL;
	sync_stop(a->sync);
	a->sync = NULL;
	lookup_close(a->lk);
	a->lk = NULL;
	printq_close(a->pq);
	a->pq = NULL;
	if (a->printer)
		printer_close(a->printer);
	a->printer = NULL;
	if (a->ui.text)
		ui_close(&a->ui);
	if (a->ren)
		SDL_DestroyRenderer(a->ren);
	if (a->canvas)
		SDL_FreeSurface(a->canvas);
	if (a->win)
		SDL_DestroyWindow(a->win);
	if (!a->headless && a->wake_type != (Uint32)-1)
		SDL_Quit();
	if (a->ttf)
		TTF_Quit(); /* after the worker and the UI have closed their fonts */
	store_close(a->store);
	explicit_bzero(a->key, sizeof(a->key));
	memset(a, 0, sizeof(*a));
}

/* ---- input ---- */

static void send(struct app *a, struct flow_event ev)
{
	ev.now_ms = app_now_ms(a);
	enum screen_id before = a->flow.screen;
	flow_handle(&a->flow, &ev);
	if (before == SCR_ATTRACT && a->flow.screen != SCR_ATTRACT && a->st.reprint_offer) {
		a->st.reprint_offer = 0; /* a new customer: the offer was for the one before */
		a->reprint_seq = 0;
	}
	/* back on attract: the session is over; forget what it drew, refresh the status line */
	if (a->flow.screen != before && a->flow.screen == SCR_ATTRACT) {
		ui_forget(&a->ui);
		refresh_status(a);
	}
}

void app_scroll(struct app *a, int pages)
{
	if (a->ui.page_rows > 0 && pages)
		send(a, (struct flow_event){.type = FEV_SCROLL, .arg = pages * a->ui.page_rows});
}

void app_pointer_down(struct app *a, int x, int y)
{
	const struct ui_hit *h = ui_hit_at(&a->ui, x, y);
	a->ui.down_x = x;
	a->ui.down_y = y;
	if (h) {
		a->ui.pressed = 1;
		a->ui.pressed_r = h->r;
		a->dirty = 1; /* visible feedback on the very next frame */
	}
}

void app_pointer_up(struct app *a, int x, int y)
{
	const struct ui_hit *h = ui_hit_at(&a->ui, x, y);
	int was = a->ui.pressed;
	struct ui_rect pr = a->ui.pressed_r;
	a->ui.pressed = 0;
	a->dirty = 1;
	/* a vertical swipe longer than a touch target pages the list instead of tapping */
	int dy = y - a->ui.down_y, dx = x - a->ui.down_x;
	if (a->ui.page_rows > 0 && abs(dy) > ui_px(&a->ui, 2 * TOUCH_MIN) && abs(dy) > 2 * abs(dx)) {
		app_scroll(a, dy < 0 ? 1 : -1);
		return;
	}
	if (!h || !was)
		return;
	if (h->r.x != pr.x || h->r.y != pr.y || h->r.w != pr.w || h->r.h != pr.h)
		return; /* finger slid to another control: cancel, like any touch UI */
	send(a, h->ev);
	/* "Consultar" released: the next frame is the answer (or the waiting banner), due within
	 * FLOW_LOOKUP_SHOW_MS; the button is drawn released in that frame, not one of its own */
	if (a->flow.looking_up && !a->flow.dirty && !flow_lookup_waiting(&a->flow))
		a->dirty = 0;
}

void app_text(struct app *a, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x80 || c < 0x20)
			continue; /* IDs and amounts are ASCII; ignore the rest of a scanner's output */
		if (a->flow.screen == SCR_ATTRACT)
			send(a, (struct flow_event){.type = FEV_START});
		send(a, (struct flow_event){.type = FEV_KEY_CHAR, .arg = c});
	}
}

void app_key(struct app *a, enum app_key k)
{
	switch (k) {
	case APP_KEY_ENTER:
		if (a->flow.screen == SCR_ATTRACT)
			send(a, (struct flow_event){.type = FEV_START});
		else
			send(a, (struct flow_event){.type = FEV_SUBMIT});
		break;
	case APP_KEY_BACKSPACE:
		send(a, (struct flow_event){.type = FEV_KEY_BACK});
		break;
	case APP_KEY_DELETE:
		send(a, (struct flow_event){.type = FEV_KEY_CLEAR});
		break;
	case APP_KEY_ESCAPE:
		send(a, (struct flow_event){.type = FEV_BACK});
		break;
	}
}

void app_pump(struct app *a)
{
	struct printq_result r;
	while (a->pq && printq_poll(a->pq, &r)) {
		a->printer_ok = r.rc == 0;
		a->printer_status = r.status; /* the status line reads it (printer_status_str) */
		if (a->sync) /* reported in the heartbeat */
			sync_set_printer(a->sync, printer_state_name(r.status.state), printer_job_name(r.status.job),
					 r.status.detail);
		if (r.is_status) {
			a->dirty |= a->flow.screen == SCR_ATTRACT; /* the status line may have changed */
			refresh_status(a);
			continue;
		}
		if (r.rc != 0)
			fprintf(stderr, "recaudo: %s failed: %s\n", r.job, r.error);
		send(a, (struct flow_event){.type = FEV_PRINT_DONE, .arg = (int)r.problem, .text = r.error, .id = r.seq});
		refresh_status(a);
	}
	struct retention_report rr;
	if (a->ret && retention_poll(a->ret, &rr)) {
		if (rr.rc != 0)
			fprintf(stderr, "recaudo: retention: %s\n", rr.error);
		else
			fprintf(stderr, "recaudo: retention: %lld receipts pruned (%lld KB), %lld files removed"
				" (%lld KB), %lld acknowledged events removed; store %lld KB, %lld MB free\n",
				(long long)rr.jobs.jobs_pruned, (long long)(rr.jobs.bytes_pruned >> 10),
				(long long)rr.files_removed, (long long)(rr.file_bytes_removed >> 10),
				(long long)rr.events_removed,
				(long long)(rr.disk.store_bytes >> 10), (long long)(rr.disk.free_bytes >> 20));
	}
	uint64_t req;
	struct flow_lookup lr;
	while (a->lk && lookup_poll(a->lk, &req, &lr)) {
		send(a, (struct flow_event){.type = FEV_LOOKUP_DONE, .arg = lr.rc, .id = req, .data = &lr});
		portfolio_free(&lr.pf); /* no-op when the flow took it */
	}
	if (a->sync) {
		struct screen_status before = a->st;
		refresh_status(a);
		if (a->flow.screen == SCR_ATTRACT &&
		    (before.online != a->st.online || before.last_sync != a->st.last_sync ||
		     before.queue_depth != a->st.queue_depth))
			a->dirty = 1;
	}
	int64_t now = app_now_ms(a);
	if (a->st.reprint_offer && now >= a->reprint_until) {
		a->st.reprint_offer = 0;
		a->reprint_seq = 0;
		a->dirty = 1;
	}
	if (now >= flow_next_deadline(&a->flow))
		send(a, (struct flow_event){.type = FEV_TICK});
}

#define APP_DIRTY_MAX 64

int app_render(struct app *a, int force)
{
	if (!force && !a->dirty && !a->flow.dirty)
		return 0;
	if (!a->headless && a->ui.fb)
		set_draw_target(a); /* a window's surface is replaced when the window changes */
	screens_draw(&a->ui, &a->flow, &a->st);
	/* forced: drawn in full; otherwise only the regions that changed (ui_render.c) */
	SDL_Rect rects[APP_DIRTY_MAX];
	int n = ui_render(&a->ui, force, rects, APP_DIRTY_MAX);
	if (!a->headless && a->ui.fb) {
		/* a software window: its surface keeps the last frame; show the rectangles redrawn */
		SDL_RenderFlush(a->ren);
		if (n > 0)
			SDL_UpdateWindowSurfaceRects(a->win, rects, n);
	} else if (!a->headless) {
		SDL_RenderPresent(a->ren);
	}
	a->dirty = 0;
	a->flow.dirty = 0;
	a->frames++;
	return 1;
}

int app_save_png(struct app *a, const char *path)
{
	if (a->headless) {
		/* saved as RGBA, as the window path below saves it */
		SDL_Surface *s = SDL_ConvertSurfaceFormat(a->canvas, SDL_PIXELFORMAT_RGBA32, 0);
		int rc = s ? IMG_SavePNG(s, path) : -1;
		SDL_FreeSurface(s);
		return rc == 0 ? 0 : -1;
	}
	int w, h;
	SDL_GetRendererOutputSize(a->ren, &w, &h);
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
	if (!s)
		return -1;
	int rc = SDL_RenderReadPixels(a->ren, NULL, SDL_PIXELFORMAT_RGBA32, s->pixels, s->pitch);
	if (rc == 0)
		rc = IMG_SavePNG(s, path);
	SDL_FreeSurface(s);
	return rc == 0 ? 0 : -1;
}

int app_resize(struct app *a, int w, int h)
{
	char err[200];
	if (ui_resize(&a->ui, w, h, err, sizeof(err)) != 0) {
		fprintf(stderr, "recaudo: %s\n", err);
		return -1;
	}
	set_draw_target(a);
	a->dirty = 1;
	return 0;
}
