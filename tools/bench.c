/* bench — the PRODUCT.md §9 measurements that run inside one process; tools/bench.sh runs
 * these, measures the rest (idle CPU under Xvfb) and prints the table (docs/benchmarks.md):
 *
 *   bench [--rows FILE] frames DATA_DIR     frame render time per screen, both screen sizes
 *   bench [--rows FILE] startup DATA_DIR    app_open + first app_render, headless, 10 runs
 *   bench [--rows FILE] process BIN DATA_DIR SCRIPT SHOTS_DIR
 *                                           whole-process wall time and peak RSS, 10 runs
 *   bench [--rows FILE] lookup DATA_DIR     ID -> portfolio on screen (store of DATA_DIR), and
 *                                           store_lookup alone over random customers
 *   bench [--rows FILE] enqueue DATA_DIR N  N coupons issued back to back, each one transaction
 *                                           with its outbox event (synchronous=FULL): commits/s
 *   bench [--rows FILE] drain DATA_DIR URL DEVICE SECRET CA PIN N
 *                                           N coupons queued in a new store, then the sync
 *                                           worker started: wall time until the queue is empty
 *   bench [--rows FILE] issue DATA_DIR      coupon issue as the UI thread does it with a central
 *                                           API (unacknowledged total, then the coupon
 *                                           transaction) with 0 and with 100,000 events pending
 *   bench [--rows FILE] field STORE.db      the field agent's search by name prefix and by ID
 *                                           (tools/bench_field.c)
 *
 * Details go to stdout as they are measured; the table rows ("metric|target|measured|ok")
 * are appended to FILE, or printed to stdout without --rows. Times come from
 * CLOCK_MONOTONIC; the headless app renders with SDL's software renderer into an
 * SDL_Surface, so frame times are the cost of drawing a frame, not of presenting it. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#include <sqlite3.h>

#include "app.h"
#include "bench.h"
#include "headless.h"
#include "outbox.h"
#include "sign.h"
#include "text.h"
#include "ui_render.h"

extern char **environ;

#define START_MS 1795359600000LL /* 2026-11-22T04:00:00Z, the day after the demo data */
#define DEMO_CC "1020304050"
#define FRAME_RUNS 200
#define STARTUP_RUNS 10
#define LOOKUP_RUNS 50
#define STORE_RUNS 2000
#define FRAME_TARGET_MS 16.7
#define STARTUP_TARGET_MS 500.0
#define LOOKUP_TARGET_MS 100.0
#define RSS_TARGET_MB 64.0
/* frame cost at 1080x1920, software renderer (docs/benchmarks.md, "Frame cost") */
#define KEY_RUNS 200
#define ENTER_RUNS 200
#define KEY_FRAME_TARGET_MS 0.5   /* a key press to its frame drawn, median */
#define SCREEN_FRAME_TARGET_MS 3.0 /* the slowest full screen, median */
/* gen-portfolio numbers its customers CC 70000000 upwards, N/5 of them; these exist for any
 * N >= 1,000,000 */
#define FIRST_CC 70000000ULL
#define RANDOM_CCS 190000ULL

FILE *rows_out;

double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n-1]. */
static double pct(const double *v, int n, double p)
{
	int k = (int)ceil(p * n) - 1;

	return v[k < 0 ? 0 : k >= n ? n - 1 : k];
}

/* Sorts v in place. */
struct stats stats_of(double *v, int n)
{
	struct stats s;

	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	s.med = pct(v, n, 0.5);
	s.p95 = pct(v, n, 0.95);
	s.p99 = pct(v, n, 0.99);
	s.max = v[n - 1];
	return s;
}

void row(const char *metric, const char *target, const char *measured, int ok)
{
	fprintf(rows_out, "%s|%s|%s|%s\n", metric, target, measured, ok ? "yes" : "NO");
	fflush(rows_out);
}

/* A figure PRODUCT.md §9 sets no target for. */
void row_info(const char *metric, const char *measured)
{
	fprintf(rows_out, "%s|%s|%s|%s\n", metric, "—", measured, "-");
	fflush(rows_out);
}

static struct app *open_app(const char *data, int demo, int w, int h)
{
	struct app_opts o;
	struct app *a = calloc(1, sizeof(*a));
	char err[400];

	memset(&o, 0, sizeof(o));
	o.headless = 1;
	o.demo = demo;
	o.w = w;
	o.h = h;
	o.data_dir = data;
	o.start_ms = START_MS;
	if (!a) {
		fprintf(stderr, "bench: out of memory\n");
		return NULL;
	}
	if (app_open(a, &o, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench: %s\n", err);
		free(a);
		return NULL;
	}
	return a;
}

/* The store's integrity check that follows a start (the retention worker's first request,
 * off the UI thread: on the 1M-document store ~0.6 s of a core) is done before anything is
 * timed: the frame and lookup figures are the steady state's. The startup figures do not
 * wait for it. */
static void wait_start_check(struct app *a)
{
	if (a->svc.ret)
		retention_wait_first(a->svc.ret);
	app_pump(a);
}

static void close_app(struct app *a)
{
	app_close(a);
	free(a);
}

/* An event straight to the flow, for what has no key of its own (tap meanings). */
static void fire(struct app *a, enum flow_ev_type type, int arg)
{
	struct flow_event ev = {.type = type, .arg = arg};

	ev.now_ms = app_now_ms(a);
	flow_handle(&a->flow, &ev);
}

static int expect_screen(struct app *a, enum screen_id want)
{
	if (a->flow.screen == want)
		return 0;
	fprintf(stderr, "bench: expected screen %s, the app is on %s\n", screen_name(want),
		screen_name(a->flow.screen));
	return -1;
}

/* ---- frame cost: key press, slowest screen, Enter -> portfolio (1080x1920) ---- */

static struct {
	char size[16];
	enum screen_id scr;
	double med;
} slowest;

/* Remembers the screen with the highest median full-frame time of the portrait run. */
static void slowest_screen_note(const char *size, enum screen_id scr, double med)
{
	if (strcmp(size, "1080x1920") != 0 || med <= slowest.med)
		return;
	snprintf(slowest.size, sizeof(slowest.size), "%s", size);
	slowest.scr = scr;
	slowest.med = med;
}

/* A figure checked against its target: the table row, and a FAIL line when it is missed. */
static void target_row(const char *metric, const char *target, const char *measured, int ok)
{
	row(metric, target, measured, ok);
	if (!ok)
		printf("FAIL %s: %s (target %s)\n", metric, measured, target);
}

static void report_slowest_screen(void)
{
	char metric[96], measured[64];

	if (!slowest.size[0])
		return;
	snprintf(metric, sizeof(metric), "slowest full screen %s (median)", slowest.size);
	snprintf(measured, sizeof(measured), "%.2f ms (%s)", slowest.med, screen_name(slowest.scr));
	printf("slowest full screen at %s: %s, median %.2f ms\n", slowest.size, screen_name(slowest.scr),
	       slowest.med);
	target_row(metric, "<= 3 ms", measured, slowest.med <= SCREEN_FRAME_TARGET_MS);
}

/* A key press on the ID entry (Backspace, then a digit, in turn) to the end of the frame that
 * shows it, as the main loop does: the event, then app_render(a, 0). */
static int time_key_press(struct app *a, const char *size)
{
	double t[KEY_RUNS];
	char metric[96], measured[64];
	struct stats s;

	if (expect_screen(a, SCR_ID_ENTRY) < 0)
		return -1;
	headless_settle(a);
	struct ui_render_stats r0, r1;
	ui_render_stats(&a->ui, &r0);
	for (int i = 0; i < KEY_RUNS; i++) {
		double t0 = now_ms();
		int drawn;

		if (i % 2 == 0)
			app_key(a, APP_KEY_BACKSPACE);
		else
			app_text(a, DEMO_CC + strlen(DEMO_CC) - 1); /* the digit just removed */
		drawn = app_render(a, 0);
		t[i] = now_ms() - t0;
		if (!drawn) {
			fprintf(stderr, "bench: a key press drew no frame\n");
			return -1;
		}
	}
	if (strcmp(a->flow.id, DEMO_CC) != 0) {
		fprintf(stderr, "bench: the typed number changed under the key presses\n");
		return -1;
	}
	ui_render_stats(&a->ui, &r1);
	s = stats_of(t, KEY_RUNS);
	printf("key press -> frame %s (id-entry, %d presses): median %.2f  p95 %.2f  max %.2f ms\n", size,
	       KEY_RUNS, s.med, s.p95, s.max);
	printf("key press -> frame %s: %lu of %d frames drawn region by region, %.1f%% of the screen "
	       "redrawn per frame on average\n",
	       size, r1.partial - r0.partial, KEY_RUNS,
	       100.0 * (double)(r1.px - r0.px) / KEY_RUNS / ((double)a->ui.w * a->ui.h));
	snprintf(metric, sizeof(metric), "key press -> frame %s (med/p95)", size);
	snprintf(measured, sizeof(measured), "%.2f / %.2f ms", s.med, s.p95);
	target_row(metric, "<= 0.5 ms median", measured, s.med <= KEY_FRAME_TARGET_MS);
	return 0;
}

/* Enter on the typed number until the portfolio frame is drawn, the way the main loop runs:
 * the clock is real time (the flow's virtual clock follows it, so its FLOW_LOOKUP_SHOW_MS
 * deadline fires as it would), the lookup answers from its worker thread, and every pass
 * pumps the results and draws a frame if anything changed. Counts the frames drawn on the
 * way: 1 is the portfolio alone; 2 means a "looking up" frame came first. */
static int time_enter_to_portfolio(struct app *a, const char *what)
{
	double t[ENTER_RUNS];
	char metric[96], measured[96];
	int two = 0, most = 0;
	struct stats s;

	if (expect_screen(a, SCR_ID_ENTRY) < 0)
		return -1;
	headless_settle(a);
	for (int i = 0; i < ENTER_RUNS; i++) {
		int64_t v0 = a->vclock_ms;
		double t0 = now_ms(), el = 0;
		int frames = 0;

		app_key(a, APP_KEY_ENTER);
		for (;;) {
			struct timespec pause = {0, 100000L}; /* 0.1 ms: how soon the loop wakes */
			int drawn;

			el = now_ms() - t0;
			a->vclock_ms = v0 + (int64_t)el;
			app_pump(a);
			drawn = app_render(a, 0);
			frames += drawn;
			if (drawn && a->flow.screen == SCR_PORTFOLIO)
				break;
			if (el > 5000) {
				fprintf(stderr, "bench: no portfolio 5 s after Enter (on %s)\n",
					screen_name(a->flow.screen));
				return -1;
			}
			nanosleep(&pause, NULL);
		}
		t[i] = now_ms() - t0;
		two += frames > 1;
		most = frames > most ? frames : most;
		fire(a, FEV_BACK, 0); /* back to the ID entry, the number still typed */
		headless_settle(a);
		if (expect_screen(a, SCR_ID_ENTRY) < 0)
			return -1;
	}
	s = stats_of(t, ENTER_RUNS);
	printf("Enter -> portfolio frame, %s, %d runs: median %.2f  p95 %.2f  p99 %.2f  max %.2f ms; "
	       "%d of %d drew a frame before the portfolio (at most %d frames)\n",
	       what, ENTER_RUNS, s.med, s.p95, s.p99, s.max, two, ENTER_RUNS, most);
	snprintf(metric, sizeof(metric), "Enter -> portfolio frame, %s (p99)", what);
	snprintf(measured, sizeof(measured), "%.2f ms (%d%% two frames)", s.p99, two * 100 / ENTER_RUNS);
	target_row(metric, "<= 16.7 ms p99", measured, s.p99 <= FRAME_TARGET_MS);
	return 0;
}

/* ---- frames ---- */

static int time_frames(struct app *a, const char *size, enum screen_id scr)
{
	double t[FRAME_RUNS], first;
	char metric[96], measured[64];
	unsigned long h0, m0, h1, m1;
	struct stats s;

	if (expect_screen(a, scr) < 0)
		return -1;
	headless_settle(a);
	text_cache_stats(a->ui.text, &h0, &m0);
	for (int i = 0; i < FRAME_RUNS; i++) {
		double t0 = now_ms();

		app_render(a, 1);
		t[i] = now_ms() - t0;
	}
	text_cache_stats(a->ui.text, &h1, &m1);
	first = t[0];
	s = stats_of(t, FRAME_RUNS);
	slowest_screen_note(size, scr, s.med);
	printf("frame %-9s %-9s median %6.2f  p95 %6.2f  max %6.2f  first %6.2f ms  "
	       "(text cache: %lu hits, %lu misses)\n",
	       size, screen_name(scr), s.med, s.p95, s.max, first, h1 - h0, m1 - m0);
	snprintf(metric, sizeof(metric), "frame %s %s (med/p95)", size, screen_name(scr));
	snprintf(measured, sizeof(measured), "%.2f / %.2f ms", s.med, s.p95);
	row(metric, "<= 16.7 ms", measured, s.p95 <= FRAME_TARGET_MS);
	return 0;
}

/* First portfolio document that takes a partial payment, or -1. */
static int partial_doc(const struct app *a)
{
	for (int i = 0; i < a->flow.ndocs; i++)
		if (a->flow.pf.docs[i].partial_ok && a->flow.pf.docs[i].cur == a->flow.tab)
			return i;
	return -1;
}

/* Walks the journey of the demo customer, timing each screen on the way. */
static int frames_size(const char *data, int w, int h)
{
	char size[16];
	struct app *a = open_app(data, 1, w, h);
	int rc = -1, doc;

	if (!a)
		return -1;
	wait_start_check(a);
	snprintf(size, sizeof(size), "%dx%d", w, h);
	if (time_frames(a, size, SCR_ATTRACT) < 0)
		goto out;
	app_text(a, DEMO_CC); /* starts the session, then types the number */
	if (time_frames(a, size, SCR_ID_ENTRY) < 0)
		goto out;
	if (h > w && (time_key_press(a, size) < 0 || time_enter_to_portfolio(a, "demo store 1080x1920") < 0))
		goto out;
	app_key(a, APP_KEY_ENTER);
	headless_settle(a);
	if (time_frames(a, size, SCR_PORTFOLIO) < 0)
		goto out;
	doc = partial_doc(a);
	if (doc < 0) {
		fprintf(stderr, "bench: the demo customer has no partial-payment document\n");
		goto out;
	}
	fire(a, FEV_EDIT_AMOUNT, doc);
	app_text(a, "200000");
	if (time_frames(a, size, SCR_AMOUNT) < 0)
		goto out;
	app_key(a, APP_KEY_ENTER);
	if (expect_screen(a, SCR_PORTFOLIO) < 0)
		goto out;
	fire(a, FEV_GEN_COUPON, 0);
	if (time_frames(a, size, SCR_COUPON) < 0)
		goto out;
	fire(a, FEV_FINISH, 0);
	if (time_frames(a, size, SCR_DONE) < 0)
		goto out;
	rc = 0;
out:
	close_app(a);
	return rc;
}

static int cmd_frames(const char *data)
{
	printf("frame render time: app_render(a, 1) x %d per screen, headless software renderer "
	       "into an SDL_Surface\n",
	       FRAME_RUNS);
	if (frames_size(data, 1080, 1920) < 0 || frames_size(data, 1280, 800) < 0)
		return 1;
	report_slowest_screen();
	return 0;
}

/* ---- startup ---- */

static int cmd_startup(const char *data)
{
	double t[STARTUP_RUNS];
	char measured[64];
	struct stats s;

	for (int i = 0; i < STARTUP_RUNS; i++) {
		double t0 = now_ms();
		struct app *a = open_app(data, 1, 1080, 1920);

		if (!a)
			return 1;
		app_render(a, 1);
		t[i] = now_ms() - t0;
		close_app(a);
	}
	s = stats_of(t, STARTUP_RUNS);
	printf("startup in process: app_open + first app_render (1080x1920, demo store), %d runs: "
	       "median %.1f ms, max %.1f ms\n",
	       STARTUP_RUNS, s.med, s.max);
	snprintf(measured, sizeof(measured), "%.1f ms (max %.1f)", s.med, s.max);
	row("startup: app_open + 1st frame (in process)", "<= 500 ms", measured, s.med <= STARTUP_TARGET_MS);
	return 0;
}

/* Runs argv once; *wall_ms and *rss_kb (the child's peak resident set) on success. */
static int spawn_once(char *const argv[], double *wall_ms, long *rss_kb)
{
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	double t0 = 0;
	pid_t pid;
	int st, err;

	/* the child's chatter would drown the figures; a failure is reported by its status */
	err = posix_spawn_file_actions_init(&fa);
	if (!err) {
		err = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		if (!err)
			err = posix_spawn_file_actions_adddup2(&fa, 1, 2);
		if (!err) {
			t0 = now_ms();
			err = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
		}
		posix_spawn_file_actions_destroy(&fa);
	}
	if (err != 0) {
		fprintf(stderr, "bench: %s: %s\n", argv[0], strerror(err));
		return -1;
	}
	while (wait4(pid, &st, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "bench: wait: %s\n", strerror(errno));
			return -1;
		}
	}
	*wall_ms = now_ms() - t0;
	*rss_kb = ru.ru_maxrss;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr,
			"bench: %s did not exit cleanly (status %d); run it by hand: %s %s "
			"%s %s %s %s %s %s %s\n",
			argv[0], st, argv[0], argv[1], argv[2], argv[3], argv[4], argv[5], argv[6], argv[7],
			argv[8]);
		return -1;
	}
	return 0;
}

static int cmd_process(char *bin, char *data, char *script, char *shots)
{
	char *argv[] = {bin,        "--headless", "--demo",  "--data", data,
			"--script", script,       "--shots", shots,    NULL};
	double t[STARTUP_RUNS];
	long rss, rss_max = 0;
	char measured[64];
	struct stats s;

	for (int i = 0; i < STARTUP_RUNS; i++) {
		if (spawn_once(argv, &t[i], &rss) < 0)
			return 1;
		if (rss > rss_max)
			rss_max = rss;
	}
	s = stats_of(t, STARTUP_RUNS);
	printf("startup, whole process: exec -> first frame -> exit (headless, 1x expect-screen), "
	       "%d runs: median %.1f ms, max %.1f ms; peak RSS %.1f MB\n",
	       STARTUP_RUNS, s.med, s.max, (double)rss_max / 1024.0);
	snprintf(measured, sizeof(measured), "%.1f ms (max %.1f)", s.med, s.max);
	row("startup: exec to exit, headless process", "<= 500 ms", measured, s.med <= STARTUP_TARGET_MS);
	snprintf(measured, sizeof(measured), "%.1f MB", (double)rss_max / 1024.0);
	row("peak RSS, headless process (ru_maxrss)", "<= 64 MB", measured,
	    (double)rss_max / 1024.0 <= RSS_TARGET_MB);
	return 0;
}

/* ---- lookup ---- */

static uint64_t rng_state = 0x62656e6368ULL; /* "bench" */

/* splitmix64, so every run looks up the same customers */
uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Enter on the typed ID until the portfolio frame is drawn, LOOKUP_RUNS times. */
static int time_id_to_portfolio(struct app *a)
{
	double t[LOOKUP_RUNS], tk[LOOKUP_RUNS], first;
	char measured[64];
	struct stats s, sk;

	app_text(a, DEMO_CC);
	headless_settle(a);
	if (expect_screen(a, SCR_ID_ENTRY) < 0)
		return -1;
	for (int i = 0; i < LOOKUP_RUNS; i++) {
		double t0 = now_ms();
		int drawn;

		app_key(a, APP_KEY_ENTER);
		lookup_wait_idle(a->svc.lk); /* the lookup worker's answer, then the flow takes it */
		app_pump(a);
		tk[i] = now_ms() - t0;
		drawn = app_render(a, 0);
		t[i] = now_ms() - t0;
		if (expect_screen(a, SCR_PORTFOLIO) < 0 || !drawn || a->flow.pf.ndocs < 1)
			return -1;
		fire(a, FEV_BACK, 0); /* back to the ID entry, the number still typed */
		headless_settle(a);
		if (expect_screen(a, SCR_ID_ENTRY) < 0)
			return -1;
	}
	first = t[0];
	s = stats_of(t, LOOKUP_RUNS);
	sk = stats_of(tk, LOOKUP_RUNS);
	printf("ID -> portfolio on screen (Enter .. end of app_render), %d runs: median %.2f  "
	       "p95 %.2f  max %.2f  first %.2f ms\n",
	       LOOKUP_RUNS, s.med, s.p95, s.max, first);
	printf("  of which Enter handled (lookup + flow, before drawing): median %.3f  p95 %.3f ms\n", sk.med,
	       sk.p95);
	snprintf(measured, sizeof(measured), "%.2f / %.2f ms", s.med, s.p95);
	row("ID -> portfolio, 1M docs (med/p95)", "<= 100 ms", measured, s.p95 <= LOOKUP_TARGET_MS);
	return 0;
}

static int time_store_lookup(struct app *a)
{
	static double t[STORE_RUNS];
	char measured[64], cc[24];
	int found = 0;
	struct stats s;

	for (int i = 0; i < STORE_RUNS; i++) {
		struct portfolio p;
		double t0;
		int rc;

		snprintf(cc, sizeof(cc), "%llu", FIRST_CC + rng_next() % RANDOM_CCS);
		t0 = now_ms();
		rc = store_lookup(a->svc.store, ID_CC, cc, &p);
		t[i] = now_ms() - t0;
		if (rc < 0) {
			fprintf(stderr, "bench: lookup %s: %s\n", cc, store_error(a->svc.store));
			return -1;
		}
		if (rc == 0) {
			found++;
			portfolio_free(&p);
		}
	}
	s = stats_of(t, STORE_RUNS);
	printf("store_lookup alone, %d random customers (%d found): median %.3f  p95 %.3f  "
	       "p99 %.3f  max %.3f ms\n",
	       STORE_RUNS, found, s.med, s.p95, s.p99, s.max);
	if (found < STORE_RUNS) {
		fprintf(stderr,
			"bench: %d of %d customers not found; is this a gen-portfolio store "
			"of at least 1,000,000 documents?\n",
			STORE_RUNS - found, STORE_RUNS);
		return -1;
	}
	snprintf(measured, sizeof(measured), "%.3f ms", s.p99);
	row("store_lookup p99, 1M docs", "<= 100 ms", measured, s.p99 <= LOOKUP_TARGET_MS);
	return 0;
}

static int cmd_lookup(const char *data)
{
	double t0 = now_ms();
	struct app *a = open_app(data, 0, 1080, 1920);
	struct store_status st;
	int rc = 1;

	if (!a)
		return 1;
	if (store_status_get(a->svc.store, &st) != 0) {
		fprintf(stderr, "bench: %s\n", store_error(a->svc.store));
		goto out;
	}
	printf("store: %lld customers, %lld documents; app_open took %.1f ms\n", (long long)st.customers,
	       (long long)st.documents, now_ms() - t0);
	wait_start_check(a);
	if (time_id_to_portfolio(a) < 0 || time_enter_to_portfolio(a, "1M docs 1080x1920") < 0 ||
	    time_store_lookup(a) < 0)
		goto out;
	rc = 0;
out:
	close_app(a);
	return rc;
}

/* ---- the outbox: durable enqueue and drain ---- */

#define ENQUEUE_CC "1020304050" /* the demo customer; its first COP document, paid in full */

static int outbox_hook(struct store *s, const struct coupon *c, const struct coupon_request *req, void *user)
{
	(void)user;
	return outbox_push_coupon(s, c, req);
}

/* DATA_DIR/recaudo.db with the outbox hook (as the app has it) and the demo portfolio, and
 * the request every coupon of the benchmark repeats. */
static struct store *open_kiosk_store(const char *data, struct coupon_request *req)
{
	char db[600], err[512];
	struct store_status st;
	struct portfolio p;
	struct store *s = NULL;

	if (app_data_paths(data, db, sizeof(db), err, sizeof(err)) != 0 || store_open(&s, db, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench: %s: %s\n", data, err);
		return NULL;
	}
	store_set_commit_hook(s, outbox_hook, NULL);
	if (store_status_get(s, &st) != 0 ||
	    (st.customers == 0 &&
	     store_import_file(s, "assets/demo/portfolio.json", err, sizeof(err)) != 0) ||
	    store_lookup(s, ID_CC, ENQUEUE_CC, &p) != 0) {
		fprintf(stderr, "bench: demo store: %s\n", st.customers == 0 ? err : store_error(s));
		store_close(s);
		return NULL;
	}
	memset(req, 0, sizeof(*req));
	req->kiosk_id = 1;
	req->ref_length = 16;
	req->id_type = ID_CC;
	snprintf(req->id_number, sizeof(req->id_number), "%s", p.id_number);
	req->kind = "coupon";
	req->now = (int64_t)time(NULL);
	req->due = date_add_days(date_from_epoch(req->now), 3);
	req->nlines = 1;
	snprintf(req->lines[0].doc_number, sizeof(req->lines[0].doc_number), "%s", p.docs[0].number);
	req->lines[0].pay = (struct money){p.docs[0].balance, p.docs[0].cur};
	req->lines[0].cop_minor = p.docs[0].balance;
	portfolio_free(&p);
	return s;
}

static int issue_many(struct store *s, const struct coupon_request *req, long n)
{
	for (long i = 0; i < n; i++) {
		struct coupon c;

		if (store_coupon_issue(s, req, &c) != 0) {
			fprintf(stderr, "bench: coupon not issued: %s\n", store_error(s));
			return -1;
		}
	}
	return 0;
}

/* N coupons, each its own durable transaction with its outbox event and audit row. N = 0
 * only opens (and prepares) the store: tools/bench.sh counts the fsyncs of both runs under
 * strace and divides the difference by N. */
static int cmd_enqueue(const char *data, long n)
{
	struct coupon_request req;
	struct store *s = open_kiosk_store(data, &req);
	char measured[64];
	double t0, ms;

	if (!s)
		return 1;
	t0 = now_ms();
	if (issue_many(s, &req, n) < 0) {
		store_close(s);
		return 1;
	}
	ms = now_ms() - t0;
	store_close(s);
	if (n > 0) {
		printf("durable enqueue: %ld coupons, each one transaction (coupon, lines, outbox event, "
		       "audit row; WAL, synchronous=FULL) in %.0f ms: %.0f commits/s, %.2f ms each\n",
		       n, ms, (double)n * 1000.0 / ms, ms / (double)n);
		snprintf(measured, sizeof(measured), "%.0f commits/s (%.2f ms each)", (double)n * 1000.0 / ms,
			 ms / (double)n);
		row_info("durable enqueue: coupon + event per commit", measured);
	}
	return 0;
}

static int parse_count(const char *v, long *out)
{
	char *end = NULL;

	errno = 0;
	*out = strtol(v, &end, 10);
	if (!*v || *end || errno || *out < 0 || *out > 10000000) {
		fprintf(stderr, "bench: %s: expected a count\n", v);
		return -1;
	}
	return 0;
}

/* N events queued while offline, then the worker: the time until the server has answered
 * every one (the queue is empty). */
static int cmd_drain(const char *data, const char *url, const char *device, const char *secret,
		     const char *ca, const char *pin, long n)
{
	struct coupon_request req;
	struct store *s = open_kiosk_store(data, &req);
	struct sync_config sc;
	struct outbox_stats st;
	struct sync *y;
	char err[512], measured[64];
	double t0, ms;
	int rc = 1;

	if (!s)
		return 1;
	if (issue_many(s, &req, n) < 0)
		goto out;
	memset(&sc, 0, sizeof(sc));
	snprintf(sc.api.base_url, sizeof(sc.api.base_url), "%s", url);
	snprintf(sc.api.device_id, sizeof(sc.api.device_id), "%s", device);
	snprintf(sc.api.ca_file, sizeof(sc.api.ca_file), "%s", ca);
	snprintf(sc.api.pinned_key, sizeof(sc.api.pinned_key), "%s", pin);
	if (sign_load_secret(secret, sc.api.secret, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench: %s\n", err);
		goto out;
	}
	if (app_data_paths(data, sc.db_path, sizeof(sc.db_path), err, sizeof(err)) != 0) {
		fprintf(stderr, "bench: %s\n", err);
		goto out;
	}
	sc.version = "bench";
	t0 = now_ms();
	y = sync_start(&sc, NULL, NULL, err, sizeof(err));
	explicit_bzero(sc.api.secret, sizeof(sc.api.secret));
	if (!y) {
		fprintf(stderr, "bench: %s\n", err);
		goto out;
	}
	do {
		struct timespec pause = {0, 2 * 1000000L};

		nanosleep(&pause, NULL);
		if (outbox_stats_get(s, NULL, &st) != 0) {
			fprintf(stderr, "bench: %s\n", store_error(s));
			sync_stop(y);
			goto out;
		}
	} while (st.pending > 0 && now_ms() - t0 < 120000);
	ms = now_ms() - t0;
	sync_stop(y);
	if (st.pending > 0 || st.acked != n) {
		fprintf(stderr, "bench: drain: %lld still queued, %lld acked after %.0f ms\n",
			(long long)st.pending, (long long)st.acked, ms);
		goto out;
	}
	printf("drain: %ld queued events to the simulator over loopback TLS (batches of up to %d): "
	       "%.0f ms from sync_start to an empty queue, %.0f events/s\n",
	       n, OUTBOX_BATCH_MAX, ms, (double)n * 1000.0 / ms);
	snprintf(measured, sizeof(measured), "%.0f ms (%.0f events/s)", ms, (double)n * 1000.0 / ms);
	row_info("drain 1,000 queued events, loopback TLS", measured);
	rc = 0;
out:
	store_close(s);
	return rc;
}

/* ---- coupon issue with a long queue (docs/benchmarks.md) ---- */

#define ISSUE_RUNS 300
#define ISSUE_QUEUE 100000
#define ISSUE_TOLERANCE 0.20

/* A second connection for the bench's own bookkeeping, outside the timed part. */
static sqlite3 *bench_db(const char *data)
{
	char path[1300];
	sqlite3 *db = NULL;

	snprintf(path, sizeof(path), "%s/recaudo.db", data);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench: %s: %s\n", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/* n pending coupon.issued events, copies of the newest one under new keys and sequence
 * numbers, in one transaction without fsync (the triggers keep outbox_totals as a push
 * would). Issuing them one by one would take minutes of fsyncs and measure nothing more. */
static int queue_fill(sqlite3 *db, long n)
{
	char sql[1024];
	char *msg = NULL;

	snprintf(sql, sizeof(sql),
		 "PRAGMA synchronous=OFF; BEGIN IMMEDIATE;"
		 " WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < %ld)"
		 " INSERT INTO outbox(seq, key, type, at, payload, state, attempts)"
		 " SELECT c.value + i.k, printf('%%08x-0000-4000-8000-%%012x', i.k, i.k), 'coupon.issued',"
		 " e.at, e.payload, 0, 0 FROM i,"
		 " (SELECT value FROM counters WHERE name = 'outbox_seq') c,"
		 " (SELECT at, payload FROM outbox WHERE type = 'coupon.issued' ORDER BY seq DESC LIMIT 1) e;"
		 " UPDATE counters SET value = value + %ld WHERE name = 'outbox_seq';"
		 " COMMIT; PRAGMA synchronous=FULL; PRAGMA wal_checkpoint(TRUNCATE);",
		 n, n);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "bench: filling the queue: %s\n", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* The server acknowledges the event just issued (untimed), so the queue stays as long as it
 * was for the next coupon. */
static int ack_newest(sqlite3 *db)
{
	return sqlite3_exec(db, "UPDATE outbox SET state = 2, acked_at = at WHERE seq ="
				" (SELECT value FROM counters WHERE name = 'outbox_seq')",
			    NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

struct issue_side {
	const char *label;
	struct store *s;
	sqlite3 *db;
	struct coupon_request req;
	double t[ISSUE_RUNS], check[ISSUE_RUNS];
};

/* One coupon as fx_offline_status + fx_issue do it on the UI thread: the unacknowledged
 * total, then the coupon transaction with its outbox event. */
static int issue_one(struct issue_side *d, int i)
{
	struct coupon c;
	int64_t unsynced;
	double t0 = now_ms(), t1;

	if (outbox_unsynced_cop(d->s, &unsynced) != 0) {
		fprintf(stderr, "bench: unsynced total: %s\n", store_error(d->s));
		return -1;
	}
	t1 = now_ms();
	if (store_coupon_issue(d->s, &d->req, &c) != 0) {
		fprintf(stderr, "bench: coupon not issued: %s\n", store_error(d->s));
		return -1;
	}
	d->t[i] = now_ms() - t0;
	d->check[i] = t1 - t0;
	return ack_newest(d->db);
}

static int cmd_issue(const char *data)
{
	struct issue_side side[2] = {{.label = "0"}, {.label = "100,000"}};
	char dir[2][600], measured[128];
	struct stats st[2], ck[2];
	struct outbox_stats ob;
	double scan_ms = 0, diff;
	int rc = 1;

	for (int k = 0; k < 2; k++) {
		snprintf(dir[k], sizeof(dir[k]), "%s/q%d", data, k);
		side[k].s = open_kiosk_store(dir[k], &side[k].req);
		if (!side[k].s || !(side[k].db = bench_db(dir[k])))
			goto out;
		/* one coupon to copy (and a warm statement cache on both sides), acknowledged */
		if (issue_one(&side[k], 0) < 0)
			goto out;
	}
	if (queue_fill(side[1].db, ISSUE_QUEUE) < 0)
		goto out;
	for (int k = 0; k < 2; k++) {
		if (outbox_stats_get(side[k].s, NULL, &ob) != 0) {
			fprintf(stderr, "bench: %s\n", store_error(side[k].s));
			goto out;
		}
		printf("coupon issue: store %d has %lld events pending\n", k, (long long)ob.pending);
	}
	{
		int64_t v;
		double t0 = now_ms();

		if (outbox_unsynced_cop_scan(side[1].s, &v) != 0)
			goto out;
		scan_ms = now_ms() - t0;
	}
	/* alternately, each side first every other time, so the disk's moods (fsync times vary
	 * with whatever else runs) fall on both sides alike */
	for (int i = 0; i < ISSUE_RUNS; i++)
		for (int k = 0; k < 2; k++)
			if (issue_one(&side[(k + i) % 2], i) < 0)
				goto out;
	for (int k = 0; k < 2; k++) {
		st[k] = stats_of(side[k].t, ISSUE_RUNS);
		ck[k] = stats_of(side[k].check, ISSUE_RUNS);
		printf("coupon issue with %s events pending, %d coupons: median %.3f  p95 %.3f ms;"
		       " of which the unacknowledged total: median %.4f ms\n",
		       side[k].label, ISSUE_RUNS, st[k].med, st[k].p95, ck[k].med);
	}
	printf("the payload scan the running total replaces, over %d pending events: %.1f ms\n",
	       ISSUE_QUEUE, scan_ms);
	diff = (st[1].med - st[0].med) / st[0].med;
	snprintf(measured, sizeof(measured), "%.2f / %.2f ms (%+.0f%%)", st[0].med, st[1].med,
		 diff * 100.0);
	row("coupon issue, 0 / 100,000 pending (median)", "within 20%", measured,
	    diff <= ISSUE_TOLERANCE && diff >= -ISSUE_TOLERANCE);
	rc = 0;
out:
	for (int k = 0; k < 2; k++) {
		sqlite3_close(side[k].db);
		store_close(side[k].s);
	}
	return rc;
}

static int usage(void)
{
	fprintf(stderr, "usage: bench [--rows FILE] frames DATA_DIR\n"
			"       bench [--rows FILE] startup DATA_DIR\n"
			"       bench [--rows FILE] process BIN DATA_DIR SCRIPT SHOTS_DIR\n"
			"       bench [--rows FILE] lookup DATA_DIR\n"
			"       bench [--rows FILE] enqueue DATA_DIR N\n"
			"       bench [--rows FILE] drain DATA_DIR URL DEVICE SECRET CA PIN N\n"
			"       bench [--rows FILE] issue DATA_DIR\n"
			"       bench [--rows FILE] field STORE.db\n");
	return 2;
}

int main(int argc, char **argv)
{
	int i = 1, rc;
	long n = 0;

	rows_out = stdout;
	if (argc > 2 && strcmp(argv[1], "--rows") == 0) {
		rows_out = fopen(argv[2], "a");
		if (!rows_out) {
			fprintf(stderr, "bench: %s: %s\n", argv[2], strerror(errno));
			return 1;
		}
		i = 3;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc - i == 2 && strcmp(argv[i], "frames") == 0)
		rc = cmd_frames(argv[i + 1]);
	else if (argc - i == 2 && strcmp(argv[i], "startup") == 0)
		rc = cmd_startup(argv[i + 1]);
	else if (argc - i == 5 && strcmp(argv[i], "process") == 0)
		rc = cmd_process(argv[i + 1], argv[i + 2], argv[i + 3], argv[i + 4]);
	else if (argc - i == 2 && strcmp(argv[i], "lookup") == 0)
		rc = cmd_lookup(argv[i + 1]);
	else if (argc - i == 3 && strcmp(argv[i], "enqueue") == 0)
		rc = parse_count(argv[i + 2], &n) < 0 ? 2 : cmd_enqueue(argv[i + 1], n);
	else if (argc - i == 8 && strcmp(argv[i], "drain") == 0)
		rc = parse_count(argv[i + 7], &n) < 0 ? 2
						      : cmd_drain(argv[i + 1], argv[i + 2], argv[i + 3],
								  argv[i + 4], argv[i + 5], argv[i + 6], n);
	else if (argc - i == 2 && strcmp(argv[i], "issue") == 0)
		rc = cmd_issue(argv[i + 1]);
	else if (argc - i == 2 && strcmp(argv[i], "field") == 0)
		rc = bench_field(argv[i + 1]);
	else
		rc = usage();
	if (rows_out != stdout && fclose(rows_out) != 0 && rc == 0)
		rc = 1;
	return rc;
}
