/* The kiosk context and the glue between flow, store, printer worker and UI. */
#include "app.h"
#include "maint.h"
#include "platform.h"

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
#include "worker.h"

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
	lookup_request(a->svc.lk, req, t, number);
}

static void fx_offline_status(void *ctx, struct flow_offline *out)
{
	struct app *a = ctx;
	struct sync_report r;
	sync_get_report(a->svc.sync, &r);
	out->online = r.online;
	out->unsynced_cop_minor = 0;
	if (outbox_unsynced_cop(a->svc.store, &out->unsynced_cop_minor) != 0)
		out->unsynced_cop_minor = INT64_MAX; /* unknown: assume the worst */
}

/* The inactivity warning appeared: its tone (a11y_speech.c), with or without speech. */
static void fx_alert(void *ctx) { a11y_alert(ctx); }

static int fx_trm(void *ctx, int32_t date, struct trm *out)
{
	struct app *a = ctx;
	return store_trm_for_date(a->svc.store, date, out);
}

static int fx_issue(void *ctx, const struct coupon_request *req, struct coupon *out)
{
	struct app *a = ctx;
	int rc = store_coupon_issue(a->svc.store, req, out);
	if (rc != 0) {
		fprintf(stderr, "recaudo: coupon not issued: %s\n", store_error(a->svc.store));
		return rc;
	}
	fprintf(stderr, "recaudo: coupon issued seq=%llu\n", (unsigned long long)out->seq);
	if (a->svc.sync)
		sync_kick(a->svc.sync); /* its event is durable in the outbox: send it now */
	return 0;
}

void app_refresh_status(struct app *a)
{
	if (a->svc.sync) {
		struct sync_report r;
		sync_get_report(a->svc.sync, &r);
		a->st.online = r.online;
		a->st.last_sync = r.last_sync;
		a->st.queue_depth = r.queue_depth;
	}
	int64_t asof;
	if (a->svc.store && store_data_as_of(a->svc.store, &asof) == 0)
		a->st.data_as_of = asof;
	a->st.printer = a->svc.printer ? printer_words(&a->printer_status, a->printer_status.rc).line : STR_PRINTER_NONE;
}

/* ---- open / close ---- */

/* What the kiosk does when the services have opened: the printer is taken as ready until its
 * worker reports, and a receipt left "pending" or "sent" by a crash or power cut in the last
 * minutes is offered for reprint (the customer may still be here; a COPIA rather than the
 * receipt again). */
static void offer_reprint(struct app *a)
{
	a->printer_status = (struct printer_status){.state = PRINTER_READY};
	/* an offer from a store that has since been replaced is no one's */
	a->reprint_seq = 0;
	a->st.reprint_offer = 0;
	timers_at(&a->timers, a->timer_reprint, TIMER_OFF);
	struct store_print_job j;
	if (store_print_job_last(a->svc.store, &j) == 0 && j.coupon_seq && /* a receipt or its copy, not a test page */
	    (!strcmp(j.state, "pending") || !strcmp(j.state, "sent")) && (int64_t)time(NULL) - j.updated_at < 600) {
		a->reprint_seq = j.coupon_seq;
		a->reprint_until = app_now_ms(a) + 600000; /* then it is no one's receipt anymore */
		a->st.reprint_offer = 1;
		timers_at(&a->timers, a->timer_reprint, a->reprint_until);
		fprintf(stderr, "recaudo: %s may not have printed completely: reprint offered\n", j.name);
	}
}

/* The flow, once the services it calls are open (the offline limits depend on the sync
 * worker). */
static void start_flow(struct app *a)
{
	a->fx = (struct flow_fx){fx_lookup_start, fx_trm, fx_issue, app_fx_print, app_fx_reprint,
				 a->svc.sync ? fx_offline_status : NULL, fx_alert};
	struct flow_config fc = {
		.inactivity_ms = a->cfg.inactivity_s * 1000LL,
		.countdown_ms = a->cfg.countdown_s * 1000LL,
		.done_ms = a->cfg.done_s * 1000LL,
		.printed_ms = CFG_PRINTED_S * 1000LL,
		.kiosk_id = a->cfg.kiosk_id,
		.ref_length = a->cfg.ref_length,
		.coupon_days = a->cfg.coupon_days,
		.qr_key = a->svc.key,
		.qr_key_len = sizeof(a->svc.key),
		.merchant = a->cfg.merchant,
		.default_lang = strcmp(a->cfg.language, "en") ? LANG_ES : LANG_EN,
		/* the offline limits only mean something when there is an online to compare with */
		.max_data_age_s = a->svc.sync ? a->cfg.max_data_age_h * 3600LL : 0,
		.max_offline_coupon_minor = a->svc.sync ? a->cfg.max_offline_coupon * 100 : 0,
		.max_offline_total_minor = a->svc.sync ? a->cfg.max_offline_total * 100 : 0,
	};
	a->st.central = a->svc.sync != NULL;
	snprintf(fc.terminal, sizeof(fc.terminal), "%s", a->cfg.terminal);
	flow_free(&a->flow);
	flow_init(&a->flow, &fc, &a->fx, a, app_now_ms(a));
}

static void close_services(struct app *a) { services_close(&a->svc); }

/* What the services' opening leaves to the UI thread: the printer state, the reprint offer
 * and the flow. */
static void services_opened(struct app *a)
{
	offer_reprint(a);
	start_flow(a);
}

/* The store and the workers (services_open: 0, -1 data that cannot be opened, -2 what only a
 * technician's fix cures), then services_opened. */
static int open_services(struct app *a, char *err, size_t errn)
{
	int rc = services_open(&a->svc, &a->cfg, err, errn);
	if (rc == 0)
		services_opened(a);
	return rc;
}

int64_t app_build_date_s(void)
{
	/* RECAUDO_BUILD_DATE is YYYYMMDD (config.mk): days from the civil date, UTC */
	long d = RECAUDO_BUILD_DATE;
	int y = (int)(d / 10000), m = (int)(d / 100 % 100), day = (int)(d % 100);
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return ((int64_t)era * 146097 + doe - 719468) * 86400;
}

const char *app_oos_name(enum oos_reason r)
{
	static const char *const n[] = {[OOS_NONE] = "in service", [OOS_STORE] = "store",
					[OOS_DISK_FULL] = "disk full", [OOS_CLOCK] = "clock",
					[OOS_TECHNICIAN] = "technician", [OOS_CONFIG] = "configuration"};
	return (unsigned)r < sizeof(n) / sizeof(*n) ? n[r] : "?";
}

enum oos_reason app_check_service(struct app *a)
{
	char err[sizeof(a->oos_detail)] = "";
	int full = app_disk_full(a->svc.data_dir);
	enum oos_reason r = OOS_NONE;
	int rc = 0;
	if (services_recheck_bad(&a->svc))
		r = OOS_STORE, snprintf(err, sizeof(err), "the store failed its integrity check: %s", a->svc.store_bad_detail);
	else if (!a->svc.open && (rc = open_services(a, err, sizeof(err))) != 0)
		r = full ? OOS_DISK_FULL : rc == -2 ? OOS_CONFIG : OOS_STORE;
	else if (a->svc.store_checking)
		r = OOS_STORE, snprintf(err, sizeof(err), "the store's integrity check is under way");
	else if (full)
		r = OOS_DISK_FULL, app_explain_disk_full(a->svc.data_dir, err, sizeof(err));
	else if (app_now_ms(a) / 1000 < app_build_date_s())
		r = OOS_CLOCK, snprintf(err, sizeof(err), "the clock is before the build date %d", RECAUDO_BUILD_DATE);
	else if (store_meta_get(a->svc.store, APP_META_OUT_OF_SERVICE, err, sizeof(err)) == 0 && err[0])
		r = OOS_TECHNICIAN;
	else
		err[0] = 0;
	a->oos = r;
	snprintf(a->oos_detail, sizeof(a->oos_detail), "%s", err);
	return r;
}

int app_out_of_service(struct app *a, const char *reason)
{
	if (!a->svc.store || store_meta_set(a->svc.store, APP_META_OUT_OF_SERVICE, reason && reason[0] ? reason : "yes") != 0)
		return -1;
	if (a->act != &act_out_of_service && app_check_service(a) != OOS_NONE)
		app_switch(a, &act_out_of_service);
	return 0;
}

int app_return_to_service(struct app *a)
{
	if (!a->svc.store || store_meta_set(a->svc.store, APP_META_OUT_OF_SERVICE, "") != 0)
		return -1;
	a->oos_check_ms = app_now_ms(a); /* re-checked at once */
	return 0;
}

void app_switch(struct app *a, const struct activity *to)
{
	if (a->act && a->act->leave)
		a->act->leave(a);
	a->act = to;
	a->act->enter(a);
	a->dirty = 1;
}

/* ---- timers ---- */

static int64_t act_when(const void *ctx)
{
	const struct app *a = ctx;
	return a->act ? a->act->next_deadline(a) : TIMER_OFF;
}

static void act_tick(void *ctx, int64_t now)
{
	struct app *a = ctx;
	(void)now;
	struct act_event ev = {.type = ACT_TICK};
	a->act->handle(a, &ev);
}

/* The entry gesture: a finger still down in the corner MAINT_HOLD_MS after it went down. */
static void maint_hold(void *ctx, int64_t now)
{
	struct app *a = ctx;
	(void)now;
	if (!a->hold_active)
		return;
	a->hold_active = 0;
	a->ui.pressed = 0; /* the finger's release taps nothing */
	fprintf(stderr, "recaudo: maintenance asked (long press)\n");
	app_maint_request(a);
}

static void reprint_lapse(void *ctx, int64_t now)
{
	struct app *a = ctx;
	(void)now;
	if (!a->st.reprint_offer)
		return; /* taken or withdrawn already */
	a->st.reprint_offer = 0; /* the offer lapses on its own */
	a->reprint_seq = 0;
	a->dirty = 1;
}

void app_speech_start(struct app *a, const char *wav_dir)
{
	a11y_speech_open(a, wav_dir); /* a kiosk without sound serves all the same */
	a->st.speech = !a->a11y.sp || !a->cfg.speech ? 0
		       : a->cfg.headphones[0] && strcmp(a->cfg.headphones, "default") ? 2 : 1;
}

void app_frame_shown(struct app *a)
{
	if (a->frame_shown)
		return;
	a->frame_shown = 1;
	const int64_t *t = a->start_ms;
	int64_t now = worker_now_ms();
	/* data: what its opening took beyond the display's start, which it runs alongside */
	fprintf(stderr,
		"recaudo: on screen %.1f s after the start (fonts %.1f, display %.1f, data %.1f "
		"more, first frame %.1f)\n",
		(double)(now - t[0]) / 1000, (double)(t[1] - t[0]) / 1000, (double)(t[2] - t[1]) / 1000,
		(double)(t[3] - t[2]) / 1000, (double)(now - t[3]) / 1000);
	app_speech_start(a, NULL);
}

int app_open(struct app *a, const struct app_opts *o, char *err, size_t errn)
{
	memset(a, 0, sizeof(*a));
	a->start_ms[0] = worker_now_ms();
	timers_init(&a->timers, a);
	timers_add(&a->timers, "activity", act_when, act_tick);
	a->timer_reprint = timers_add(&a->timers, "reprint offer", NULL, reprint_lapse);
	a->timer_hold = timers_add(&a->timers, "maintenance hold", NULL, maint_hold);
	a11y_init(a);
	a->home = o->home ? o->home : activity_mode(ACTIVITY_DEFAULT_MODE);
	if (!activity_available(a->home)) {
		snprintf(err, errn, "the mode \"%s\" is not available", a->home ? a->home->name : "?");
		return -1;
	}
	a->headless = o->headless;
	a->wake_type = (Uint32)-1;
	config_defaults(&a->cfg);
	a->exit_code = -1;
	if (o->config_path && config_load(&a->cfg, o->config_path, err, errn) != 0)
		return -1;
	if (o->config_path)
		snprintf(a->config_path, sizeof(a->config_path), "%s", o->config_path);
	const char *dd = o->data_dir ? o->data_dir : app_paths()->data;
	if (strlen(dd) >= sizeof(a->svc.data_dir) - 32) {
		/* never cut it: a shortened path would be a different, empty store */
		snprintf(err, errn, "the data directory path is too long (max %zu characters)",
			 sizeof(a->svc.data_dir) - 33);
		return -1;
	}
	snprintf(a->svc.data_dir, sizeof(a->svc.data_dir), "%s", dd);
	if (o->assets_dir || app_paths()->assets)
		snprintf(a->assets_dir, sizeof(a->assets_dir), "%s", o->assets_dir ? o->assets_dir : app_paths()->assets);
	else
		app_find_assets(a->assets_dir, sizeof(a->assets_dir));
	if (o->demo)
		snprintf(a->svc.demo_portfolio, sizeof(a->svc.demo_portfolio), "%s/demo/portfolio.json", a->assets_dir);
	a->svc.wake = platform_wake;
	a->svc.wake_user = a;
	if (a->headless)
		a->vclock_ms = o->start_ms > 0 ? o->start_ms : (int64_t)time(NULL) * 1000;
	/* SDL_ttf once, before the printer worker (which renders previews with it) starts */
	if (platform_init_fonts(a, err, errn) != 0)
		return -1;
	a->start_ms[1] = worker_now_ms();
	/* a window's data opens while its display starts (services_open_start); headless runs
	 * open one after the other, as they always did. Data that cannot be opened is no reason
	 * to leave the screen dark: out of service says so */
	int threaded = !a->headless && services_open_start(&a->svc, &a->cfg) == 0;
	if (platform_open_display(a, o, err, errn) != 0) {
		if (threaded)
			services_open_finish(&a->svc, NULL, 0); /* app_close closes what it opened */
		app_close(a);
		return -1;
	}
	a->start_ms[2] = worker_now_ms();
	/* a window opens its speech after its first frame (app_frame_shown): the attract screen first */
	if (a->headless)
		app_speech_start(a, o->speech_wav);
	int rc = threaded ? services_open_finish(&a->svc, err, errn)
			  : services_open(&a->svc, &a->cfg, err, errn);
	if (rc == 0)
		services_opened(a);
	platform_wake(a); /* what a window's workers said before its wake-up event existed */
	a->start_ms[3] = worker_now_ms();
	if (rc == -2) {
		app_close(a);
		return -1;
	}
	if (rc == 0 && app_check_service(a) == OOS_NONE) {
		app_switch(a, a->home);
	} else {
		if (rc != 0) {
			a->oos = app_disk_full(a->svc.data_dir) ? OOS_DISK_FULL : OOS_STORE;
			snprintf(a->oos_detail, sizeof(a->oos_detail), "%s", err);
		}
		app_switch(a, &act_out_of_service);
	}
	return 0;
}

void app_close(struct app *a)
{
	if (a->act && a->act->leave)
		a->act->leave(a); /* maintenance: its worker stops before the store closes */
	a->act = NULL;
	flow_free(&a->flow);
	close_services(a);
	a11y_speech_close(a);
	platform_close(a);
	memset(a, 0, sizeof(*a));
}

/* ---- input: to the current activity ---- */

static void to_act(struct app *a, struct act_event ev) { a->act->handle(a, &ev); }

void app_scroll(struct app *a, int pages) { to_act(a, (struct act_event){.type = ACT_SCROLL, .pages = pages}); }

void app_pointer_down(struct app *a, int x, int y)
{
	const struct ui_hit *h = ui_hit_at(&a->ui, x, y);
	a11y_touch(a);
	a->ui.down_x = x;
	a->ui.down_y = y;
	/* the technician's corner, on the attract and out-of-service screens only (a customer's
	 * finger resting there mid-journey asks for nothing) */
	if (x < MAINT_CORNER_PX && y < MAINT_CORNER_PX &&
	    ((a->act == &act_customer && a->flow.screen == SCR_ATTRACT) || a->act == &act_out_of_service)) {
		a->hold_active = 1;
		a->hold_down_ms = app_now_ms(a);
		timers_at(&a->timers, a->timer_hold, app_now_ms(a) + MAINT_HOLD_MS);
	}
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
	if (a->hold_active) {
		a->hold_active = 0;
		timers_at(&a->timers, a->timer_hold, TIMER_OFF);
		if (app_now_ms(a) - a->hold_down_ms >= MAINT_HOLD_MS / 3)
			return; /* a technician's press let go too soon: no tap either */
	}
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
	if (h->disabled && !a->act->disabled_touch)
		return; /* a disabled control: nothing happens, and nothing beneath it either */
	struct act_event ev = {.type = ACT_ACTION, .act = h->act, .x = x, .y = y, .disabled = h->disabled};
	to_act(a, ev);
}

void app_text(struct app *a, const char *s)
{
	a->a11y.keyboard = 1;
	a11y_speech_interrupt(a);
	if (a11y_swallow_text(a, s))
		return; /* the 5 held on the attract screen: its release decides */
	if (a->act->utf8_text) {
		to_act(a, (struct act_event){.type = ACT_TEXT, .text = s});
		return;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x80 || c < 0x20)
			continue; /* IDs and amounts are ASCII; ignore the rest of a scanner's output */
		if ((c == '*' || c == '#') && a->act->keypad_keys) { /* a payment keypad's two extra keys */
			app_key(a, c == '*' ? APP_KEY_REPEAT : APP_KEY_TEXT_SIZE);
			continue;
		}
		to_act(a, (struct act_event){.type = ACT_CHAR, .ch = c});
	}
}

void app_key(struct app *a, enum app_key k)
{
	if (a11y_key(a, (int)k))
		return; /* the focus moved, or speech took it */
	/* the focus of the frame the customer sees (not a stale one: a key that came before the
	 * next frame after a new screen presses nothing) */
	const struct ui_hit *focus = a11y_focus_current(a) ? ui_focus_hit(&a->ui) : NULL;
	if (k == APP_KEY_ENTER && focus)
		a->a11y.focus_reread = 1; /* read the control again after it was pressed (its state) */
	to_act(a, (struct act_event){.type = ACT_KEY, .key = k, .focus = focus});
}

int64_t app_next_deadline(const struct app *a) { return timers_next(&a->timers); }

const char *app_screen_name(const struct app *a) { return a->act->screen(a); }

static int status_same(const struct screen_status *x, const struct screen_status *y)
{
	return x->data_as_of == y->data_as_of && x->printer == y->printer && x->central == y->central &&
	       x->online == y->online && x->last_sync == y->last_sync && x->queue_depth == y->queue_depth &&
	       x->reprint_offer == y->reprint_offer;
}

/* The integrity check's result (the retention worker's first request). A failure takes the
 * kiosk out of service when no one is being served (the activity decides: ACT_SERVICE, and
 * again when a session ends); out of service, it is re-checked at once. */
static void store_checked(struct app *a, const struct retention_report *rr)
{
	if (rr->check_rc == 1) {
		fprintf(stderr, "recaudo: the store failed its integrity check: %s\n", rr->check_detail);
		a->svc.store_bad = 1;
		a->svc.store_checking = 0;
		snprintf(a->svc.store_bad_detail, sizeof(a->svc.store_bad_detail), "%s", rr->check_detail);
	} else {
		/* a check that could not run (an I/O error, a lock held too long) proves nothing
		 * either way: the kiosk serves, and says it is unchecked */
		if (rr->check_rc < 0)
			fprintf(stderr, "recaudo: the store's integrity check could not run (%s): serving unchecked\n",
				rr->check_detail);
		if (!a->svc.store_checking)
			return;
		if (rr->check_rc == 0)
			fprintf(stderr, "recaudo: the store passed its integrity check\n");
		a->svc.store_checking = 0;
	}
	if (a->act == &act_out_of_service)
		a->oos_check_ms = app_now_ms(a);
	else /* the activity leaves for out of service when no one is being served */
		to_act(a, (struct act_event){.type = ACT_SERVICE});
}

void app_pump(struct app *a)
{
	struct screen_status before = a->st;
	struct printq_result r;
	while (a->svc.pq && printq_poll(a->svc.pq, &r)) {
		a->printer_status = r.status; /* the status line reads it (printer_words) */
		if (a->svc.sync) /* reported in the heartbeat */
			sync_set_printer(a->svc.sync, printer_state_name(r.status.state), printer_job_name(r.status.job),
					 r.status.detail);
		if (r.is_status) {
			app_refresh_status(a); /* the activity hears of it below if it changed */
			continue;
		}
		if (r.rc != 0)
			fprintf(stderr, "recaudo: %s failed: %s\n", r.job, r.error);
		to_act(a, (struct act_event){.type = ACT_PRINT_DONE, .print = &r});
		app_refresh_status(a);
	}
	struct retention_report rr;
	if (a->svc.ret && retention_poll(a->svc.ret, &rr)) {
		if (rr.checked)
			store_checked(a, &rr);
		if (rr.checked && rr.check_rc == 1)
			; /* no pass was made: said above */
		else if (rr.rc != 0)
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
	while (a->svc.lk && lookup_poll(a->svc.lk, &req, &lr)) {
		to_act(a, (struct act_event){.type = ACT_LOOKUP_DONE, .req = req, .lookup = &lr});
		portfolio_free(&lr.pf); /* no-op when the flow took it */
	}
	if (a->act->pump)
		a->act->pump(a);
	if (a->svc.sync)
		app_refresh_status(a);
	if (!status_same(&before, &a->st))
		to_act(a, (struct act_event){.type = ACT_STATUS});
	timers_run(&a->timers, app_now_ms(a));
}

int app_render(struct app *a, int force)
{
	if (!force && !a->dirty && !a->act->dirty(a))
		return 0;
	platform_begin_frame(a);
	a->act->draw(a);
	a11y_frame(a); /* the focus ring on top; a new screen is announced */
	platform_present(a, force); /* forced: in full; otherwise only what changed */
	a->dirty = 0;
	a->frames++;
	return 1;
}
