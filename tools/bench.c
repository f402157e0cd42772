/* bench — the PRODUCT.md §9 measurements that run inside one process; tools/bench.sh runs
 * these, measures the rest (idle CPU under Xvfb) and prints the table (docs/benchmarks.md):
 *
 *   bench [--rows FILE] frames DATA_DIR     frame render time per screen, both screen sizes
 *   bench [--rows FILE] startup DATA_DIR    app_open + first app_render, headless, 10 runs
 *   bench [--rows FILE] process BIN DATA_DIR SCRIPT SHOTS_DIR
 *                                           whole-process wall time and peak RSS, 10 runs
 *   bench [--rows FILE] lookup DATA_DIR     ID -> portfolio on screen (store of DATA_DIR), and
 *                                           store_lookup alone over random customers
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

#include "app.h"
#include "text.h"

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
/* gen-portfolio numbers its customers CC 70000000 upwards, N/5 of them; these exist for any
 * N >= 1,000,000 */
#define FIRST_CC 70000000ULL
#define RANDOM_CCS 190000ULL

static FILE *rows_out;

struct stats {
	double med, p95, p99, max;
};

static double now_ms(void)
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
static struct stats stats_of(double *v, int n)
{
	struct stats s;

	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	s.med = pct(v, n, 0.5);
	s.p95 = pct(v, n, 0.95);
	s.p99 = pct(v, n, 0.99);
	s.max = v[n - 1];
	return s;
}

static void row(const char *metric, const char *target, const char *measured, int ok)
{
	fprintf(rows_out, "%s|%s|%s|%s\n", metric, target, measured, ok ? "yes" : "NO");
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

/* Printer results delivered and timers fired, as the main loop would before drawing. */
static void settle(struct app *a)
{
	if (a->pq)
		printq_wait_idle(a->pq);
	app_pump(a);
	app_render(a, 0);
}

static int expect_screen(struct app *a, enum screen_id want)
{
	if (a->flow.screen == want)
		return 0;
	fprintf(stderr, "bench: expected screen %s, the app is on %s\n", screen_name(want),
		screen_name(a->flow.screen));
	return -1;
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
	settle(a);
	text_cache_stats(a->ui.text, &h0, &m0);
	for (int i = 0; i < FRAME_RUNS; i++) {
		double t0 = now_ms();

		app_render(a, 1);
		t[i] = now_ms() - t0;
	}
	text_cache_stats(a->ui.text, &h1, &m1);
	first = t[0];
	s = stats_of(t, FRAME_RUNS);
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
	snprintf(size, sizeof(size), "%dx%d", w, h);
	if (time_frames(a, size, SCR_ATTRACT) < 0)
		goto out;
	app_text(a, DEMO_CC); /* starts the session, then types the number */
	if (time_frames(a, size, SCR_ID_ENTRY) < 0)
		goto out;
	app_key(a, APP_KEY_ENTER);
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
static uint64_t rng_next(void)
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
	settle(a);
	if (expect_screen(a, SCR_ID_ENTRY) < 0)
		return -1;
	for (int i = 0; i < LOOKUP_RUNS; i++) {
		double t0 = now_ms();
		int drawn;

		app_key(a, APP_KEY_ENTER);
		tk[i] = now_ms() - t0;
		drawn = app_render(a, 0);
		t[i] = now_ms() - t0;
		if (expect_screen(a, SCR_PORTFOLIO) < 0 || !drawn || a->flow.pf.ndocs < 1)
			return -1;
		fire(a, FEV_BACK, 0); /* back to the ID entry, the number still typed */
		settle(a);
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
		rc = store_lookup(a->store, ID_CC, cc, &p);
		t[i] = now_ms() - t0;
		if (rc < 0) {
			fprintf(stderr, "bench: lookup %s: %s\n", cc, store_error(a->store));
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
	if (store_status_get(a->store, &st) != 0) {
		fprintf(stderr, "bench: %s\n", store_error(a->store));
		goto out;
	}
	printf("store: %lld customers, %lld documents; app_open took %.1f ms\n", (long long)st.customers,
	       (long long)st.documents, now_ms() - t0);
	if (time_id_to_portfolio(a) < 0 || time_store_lookup(a) < 0)
		goto out;
	rc = 0;
out:
	close_app(a);
	return rc;
}

static int usage(void)
{
	fprintf(stderr, "usage: bench [--rows FILE] frames DATA_DIR\n"
			"       bench [--rows FILE] startup DATA_DIR\n"
			"       bench [--rows FILE] process BIN DATA_DIR SCRIPT SHOTS_DIR\n"
			"       bench [--rows FILE] lookup DATA_DIR\n");
	return 2;
}

int main(int argc, char **argv)
{
	int i = 1, rc;

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
	else
		rc = usage();
	if (rows_out != stdout && fclose(rows_out) != 0 && rc == 0)
		rc = 1;
	return rc;
}
