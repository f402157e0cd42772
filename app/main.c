/* recaudo — command line entry.
 *
 *   recaudo [--mode kiosk] [--config FILE] [--data DIR] [--demo] [--size WxH] [--fullscreen]
 *   recaudo --headless --script FILE --shots DIR [--size WxH] [--start EPOCH_S] [...]
 *   recaudo import FILE [--data DIR]
 *   recaudo status --json [--data DIR] [--config FILE]
 *   recaudo verify-coupon PAYLOAD [--data DIR] [--config FILE]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "headless.h"
#include "input_sdl.h"
#include "outbox.h"

struct cli {
	struct app_opts o;
	const char *script, *shots, *mode;
	int json;
};

static void usage(FILE *out)
{
	fputs("usage: recaudo [--mode kiosk] [--config FILE] [--data DIR] [--demo] [--size WxH] [--fullscreen]\n"
	      "       recaudo --headless --script FILE --shots DIR [--size WxH] [--start EPOCH_S] [--data DIR] [--demo]\n"
	      "       recaudo import FILE [--data DIR]\n"
	      "       recaudo status --json [--data DIR] [--config FILE]\n"
	      "       recaudo verify-coupon PAYLOAD [--data DIR] [--config FILE]\n",
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
		} else if (*npos < 4) {
			pos[(*npos)++] = a;
		} else {
			fprintf(stderr, "recaudo: too many arguments\n");
			return -1;
		}
	}
	return 0;
}

static struct store *open_store_cli(const struct cli *c)
{
	char db[512], err[300];
	const char *dir = c->o.data_dir ? c->o.data_dir : "data";
	if (strlen(dir) > 400) {
		fprintf(stderr, "recaudo: the data directory path is too long\n");
		return NULL;
	}
	if (app_data_paths(dir, db, sizeof(db)) != 0) {
		fprintf(stderr, "recaudo: %s: cannot create the data directory\n", dir);
		return NULL;
	}
	struct store *s;
	if (store_open(&s, db, err, sizeof(err)) != 0) {
		fprintf(stderr, "recaudo: %s\n", err);
		return NULL;
	}
	return s;
}

static int cmd_import(const struct cli *c, const char *file)
{
	struct store *s = open_store_cli(c);
	if (!s)
		return 1;
	char err[400];
	int rc = store_import_file(s, file, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "recaudo: import failed, nothing was changed: %s\n", err);
	} else {
		struct store_status st;
		store_status_get(s, &st);
		printf("imported %s: %lld customers, %lld documents in the store\n", file, (long long)st.customers,
		       (long long)st.documents);
	}
	store_close(s);
	return rc ? 1 : 0;
}

static void iso_utc(char *buf, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int cmd_status(const struct cli *c)
{
	struct config cfg;
	char err[300];
	config_defaults(&cfg);
	if (c->o.config_path && config_load(&cfg, c->o.config_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "recaudo: %s\n", err);
		return 1;
	}
	struct store *s = open_store_cli(c);
	if (!s)
		return 1;
	struct store_status st;
	struct outbox_stats ob;
	struct store_disk disk;
	if (store_status_get(s, &st) != 0 || outbox_stats_get(s, NULL, &ob) != 0 ||
	    store_disk_usage(s, &disk) != 0) {
		fprintf(stderr, "recaudo: %s\n", store_error(s));
		store_close(s);
		return 1;
	}
	store_close(s);
	int64_t now = (int64_t)time(NULL);
	char asof[32] = "", last[32] = "";
	if (st.data_as_of)
		iso_utc(asof, sizeof(asof), st.data_as_of);
	if (st.last_coupon_at)
		iso_utc(last, sizeof(last), st.last_coupon_at);
	if (!c->json) {
		printf("kiosk %u · data as of %s · %lld coupons issued · next sequence %llu · printer %s"
		       " · %lld events to send, %lld dead letters\n",
		       (unsigned)cfg.kiosk_id, st.data_as_of ? asof : "never", (long long)st.coupons_issued,
		       (unsigned long long)st.next_seq, cfg.printer_backend, (long long)ob.pending, (long long)ob.dead);
		return 0;
	}
	printf("{\"kiosk_id\":%u,\"schema_version\":%d,", (unsigned)cfg.kiosk_id, st.schema_version);
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
	printf("\"store_bytes\":%lld,\"free_bytes\":%lld,", (long long)disk.store_bytes,
	       (long long)disk.free_bytes);
	printf("\"central\":%s,", cfg.central_url[0] ? "true" : "false");
	printf("\"printer\":{\"backend\":\"%s\",\"dots\":%d}}\n", cfg.printer_backend, cfg.paper_dots);
	return 0;
}

static int cmd_verify(const struct cli *c, const char *payload)
{
	struct config cfg;
	char err[300];
	uint8_t key[32];
	config_defaults(&cfg);
	if (c->o.config_path && config_load(&cfg, c->o.config_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "recaudo: %s\n", err);
		return 1;
	}
	const char *dir = c->o.data_dir ? c->o.data_dir : "data";
	if (app_load_key(&cfg, dir, key, err, sizeof(err)) != 0) {
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
	int quit = 0;
	while (!quit) {
		app_render(a, 0);
		int64_t now = app_now_ms(a), dl = flow_next_deadline(&a->flow);
		if (a->st.reprint_offer && a->reprint_until < dl)
			dl = a->reprint_until; /* the offer lapses on its own */
		SDL_Event e;
		int got;
		if (dl == INT64_MAX)
			got = SDL_WaitEvent(&e);
		else
			got = SDL_WaitEventTimeout(&e, (int)(dl - now < 0 ? 0 : dl - now > 60000 ? 60000 : dl - now));
		while (got && !quit) {
			quit = input_sdl_handle(a, &e);
			got = SDL_PollEvent(&e);
		}
		app_pump(a);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli c;
	memset(&c, 0, sizeof(c));
	const char *pos[4];
	int npos = 0;
	if (parse_opts(argc, argv, 1, &c, pos, &npos) != 0)
		return 2;
	if (npos > 0) {
		if (!strcmp(pos[0], "import") && npos == 2)
			return cmd_import(&c, pos[1]);
		if (!strcmp(pos[0], "status") && npos == 1)
			return cmd_status(&c);
		if (!strcmp(pos[0], "verify-coupon") && npos == 2)
			return cmd_verify(&c, pos[1]);
		usage(stderr);
		return 2;
	}
	if (c.mode && strcmp(c.mode, "kiosk") != 0) {
		fprintf(stderr, "recaudo: mode \"%s\" is not available yet; use --mode kiosk\n", c.mode);
		return 2;
	}
	if (c.o.headless && (!c.script || !c.shots)) {
		fprintf(stderr, "recaudo: --headless needs --script FILE and --shots DIR\n");
		return 2;
	}
	struct app *a = calloc(1, sizeof(*a));
	char err[400];
	if (!a || app_open(a, &c.o, err, sizeof(err)) != 0) {
		fprintf(stderr, "recaudo: %s\n", a ? err : "out of memory");
		free(a);
		return 1;
	}
	int rc = c.o.headless ? headless_run(a, c.script, c.shots) : run_window(a);
	app_close(a);
	free(a);
	return rc;
}
