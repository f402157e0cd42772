/* kiosk-driver — a kiosk without a screen, for the sync tests (tests/unit/test_sync.c), the
 * crash test (tests/sh/test_crash.sh) and anyone who wants to watch the outbox drain: it opens
 * a data directory's store with the outbox commit hook (as app/app.c does), imports the demo
 * portfolio when the store is new, starts the sync worker against a central API and issues
 * coupons for real customers of that portfolio, one every --interval-ms.
 *
 *   kiosk-driver --data DIR --url URL --device ID --secret FILE [--ca FILE] [--pin PIN]
 *                [--coupons N] [--interval-ms N] [--kiosk N] [--bad N] [--maint N] [--seed N]
 *                [--portfolio FILE] [--backoff-min-ms N] [--backoff-max-ms N]
 *                [--heartbeat-s N] [--refresh-s N] [--timeout-ms N] [--drain-timeout-s N]
 *                [--connect-timeout-ms N] [--low-speed-s N] [--lookups N] [--retry-dead N]
 *
 * The sync worker's timeouts default to the app's (offline/sync.h: SYNC_CONNECT_TIMEOUT_MS,
 * SYNC_LOW_SPEED_TIME_S, SYNC_TIMEOUT_MS); the flags set them.
 *
 * stdout, flushed line by line, is the protocol the tests read:
 *   shown KIOSK SEQ           a coupon was committed (store_coupon_issue returned 0): what a
 *                             customer would have been shown. Never printed for anything else.
 *   drained acked=N dead=N    with --coupons N: every event was answered (queue 0); exit 0.
 *   looked-up found=N not-found=N   with --lookups N: after draining, N online lookups
 *                             (GET /v1/debts, as the app's lookup worker makes them, 3 s
 *                             budget) of portfolio customers and one of a number nobody has;
 *                             exit 4 if any failed otherwise. The contract test uses it.
 * Without --coupons the driver issues coupons until it is killed (the crash test). --bad N
 * also queues N events of an unknown type ("test.unknown"), one after every other coupon, that
 * the central API rejects: they must end as dead letters while the rest is accepted. --maint N
 * also appends N maintenance actions (store_audit_append: an audit row and its
 * maintenance.action event), one after every other coupon, that must arrive exactly once.
 * --retry-dead N: once drained, up to N rounds of a technician's retry (outbox_admin_retry:
 * every dead letter back to pending under its own key) and drain again, until no dead letter
 * is left; stderr then says "retried K dead letters in R rounds" (the sync case `retry`).
 * --field-days N: before the sync worker starts, N days of a field agent's offline work
 * (kiosk-driver-field.h: --field-per-day collections a day, one void, a close a day, on a
 * virtual clock from --field-start), whose events then drain with the coupons.
 *
 * stderr has the sync worker's log and the driver's own failures. Neither names a customer
 * nor prints an id number: the driver only ever prints kiosk and sequence numbers.
 * docs/sync-tests.md describes how the tests use it. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "idnum.h"
#include "kiosk-driver-field.h"
#include "money.h"
#include "audit.h"
#include "outbox.h"
#include "outbox_admin.h"
#include "sign.h"
#include "store.h"
#include "sync.h"

#define CUSTOMERS_MAX 1000
#define PORTFOLIO_FILE_MAX (64L * 1024 * 1024)
#define ISSUE_FAILURES_MAX 200 /* in a row: something is broken, stop */
#define REF_LENGTH 16          /* as the app's default (app/config.h) */
#define DUE_DAYS 3

struct opts {
	const char *data, *url, *device, *secret, *ca, *pin, *portfolio;
	long coupons; /* < 0: until killed */
	long interval_ms, kiosk, bad, maint, backoff_min_ms, backoff_max_ms, heartbeat_s, refresh_s;
	long timeout_ms, drain_timeout_s, connect_timeout_ms, low_speed_s, lookups, retry_dead;
	long field_days, field_per_day, field_start;
	uint64_t seed;
};

static uint64_t rng;

/* xorshift64*: reproducible choices with --seed */
static uint64_t rng_next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * UINT64_C(2685821657736338717);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int parse_long(const char *flag, const char *v, long min, long max, long *out)
{
	char *end = NULL;
	long x;

	errno = 0;
	x = v ? strtol(v, &end, 10) : 0;
	if (!v || !*v || *end || errno || x < min || x > max) {
		fprintf(stderr, "kiosk-driver: %s: expected an integer in %ld..%ld\n", flag, min, max);
		return -1;
	}
	*out = x;
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: kiosk-driver --data DIR --url URL --device ID --secret FILE [--ca FILE]\n"
		"                    [--pin sha256//...] [--coupons N] [--interval-ms N] [--kiosk N]\n"
		"                    [--bad N] [--maint N] [--seed N] [--portfolio FILE] [--backoff-min-ms N]\n"
		"                    [--backoff-max-ms N] [--heartbeat-s N] [--refresh-s N]\n"
		"                    [--timeout-ms N] [--drain-timeout-s N]\n"
		"                    [--connect-timeout-ms N] [--low-speed-s N] [--lookups N]\n"
		"                    [--retry-dead N] [--field-days N] [--field-per-day N] [--field-start EPOCH]\n");
	return 2;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->portfolio = "assets/demo/portfolio.json";
	o->coupons = -1;
	o->interval_ms = 50;
	o->kiosk = 1;
	o->backoff_min_ms = 50;
	o->backoff_max_ms = 1000;
	o->heartbeat_s = 60;
	o->refresh_s = 300;
	o->timeout_ms = SYNC_TIMEOUT_MS;
	o->connect_timeout_ms = SYNC_CONNECT_TIMEOUT_MS;
	o->low_speed_s = SYNC_LOW_SPEED_TIME_S;
	o->field_per_day = 4;
	o->field_start = 1795359600; /* 2026-11-22 10:00 -05:00, the tests' virtual clock */
	o->seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	for (int i = 1; i < argc; i++) {
		const char *f = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		long n;
		int rc = 0;

		if (!v)
			return usage();
		i++;
		if (strcmp(f, "--data") == 0)
			o->data = v;
		else if (strcmp(f, "--url") == 0)
			o->url = v;
		else if (strcmp(f, "--device") == 0)
			o->device = v;
		else if (strcmp(f, "--secret") == 0)
			o->secret = v;
		else if (strcmp(f, "--ca") == 0)
			o->ca = v;
		else if (strcmp(f, "--pin") == 0)
			o->pin = v;
		else if (strcmp(f, "--portfolio") == 0)
			o->portfolio = v;
		else if (strcmp(f, "--coupons") == 0)
			rc = parse_long(f, v, 0, 100000000, &o->coupons);
		else if (strcmp(f, "--interval-ms") == 0)
			rc = parse_long(f, v, 0, 3600000, &o->interval_ms);
		else if (strcmp(f, "--kiosk") == 0)
			rc = parse_long(f, v, 1, 9999, &o->kiosk);
		else if (strcmp(f, "--bad") == 0)
			rc = parse_long(f, v, 0, 100000, &o->bad);
		else if (strcmp(f, "--maint") == 0)
			rc = parse_long(f, v, 0, 100000, &o->maint);
		else if (strcmp(f, "--backoff-min-ms") == 0)
			rc = parse_long(f, v, 1, 3600000, &o->backoff_min_ms);
		else if (strcmp(f, "--backoff-max-ms") == 0)
			rc = parse_long(f, v, 1, 3600000, &o->backoff_max_ms);
		else if (strcmp(f, "--heartbeat-s") == 0)
			rc = parse_long(f, v, 1, 86400, &o->heartbeat_s);
		else if (strcmp(f, "--refresh-s") == 0)
			rc = parse_long(f, v, 1, 86400, &o->refresh_s);
		else if (strcmp(f, "--timeout-ms") == 0)
			rc = parse_long(f, v, 100, 600000, &o->timeout_ms);
		else if (strcmp(f, "--connect-timeout-ms") == 0)
			rc = parse_long(f, v, 100, 600000, &o->connect_timeout_ms);
		else if (strcmp(f, "--retry-dead") == 0)
			rc = parse_long(f, v, 0, 1000, &o->retry_dead);
		else if (strcmp(f, "--field-days") == 0)
			rc = parse_long(f, v, 0, 60, &o->field_days);
		else if (strcmp(f, "--field-per-day") == 0)
			rc = parse_long(f, v, 1, 100, &o->field_per_day);
		else if (strcmp(f, "--field-start") == 0)
			rc = parse_long(f, v, 1, 4102444800L, &o->field_start);
		else if (strcmp(f, "--lookups") == 0)
			rc = parse_long(f, v, 0, 10000, &o->lookups);
		else if (strcmp(f, "--low-speed-s") == 0)
			rc = parse_long(f, v, 1, 3600, &o->low_speed_s);
		else if (strcmp(f, "--drain-timeout-s") == 0)
			rc = parse_long(f, v, 0, 86400, &o->drain_timeout_s);
		else if (strcmp(f, "--seed") == 0) {
			rc = parse_long(f, v, 0, 0x7fffffffL, &n);
			o->seed = (uint64_t)n;
		} else
			return usage();
		if (rc < 0)
			return 2;
	}
	if (!o->data || !o->url || !o->device || !o->secret)
		return usage();
	o->seed = o->seed * UINT64_C(0x9e3779b97f4a7c15) + 1; /* never 0 */
	return 0;
}

/* The customers of the portfolio file: who the driver issues coupons for. NIT numbers are
 * stored without their check digit. */
static int load_customers(const char *path, struct customer *out, int max, int *n)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long len;
	cJSON *root = NULL;
	const cJSON *c;
	int rc = -1;

	*n = 0;
	if (!f) {
		fprintf(stderr, "kiosk-driver: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || len > PORTFOLIO_FILE_MAX ||
	    fseek(f, 0, SEEK_SET) != 0)
		goto out;
	text = malloc((size_t)len + 1);
	if (!text || fread(text, 1, (size_t)len, f) != (size_t)len)
		goto out;
	text[len] = '\0';
	root = cJSON_Parse(text);
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(root, "customers"))
	{
		const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id_type"));
		const char *num = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id_number"));
		struct customer *k = &out[*n];

		if (*n >= max || !t || !num || id_type_parse(t, &k->type) < 0 ||
		    strlen(num) >= sizeof k->number)
			continue;
		snprintf(k->number, sizeof k->number, "%s", num);
		if (k->type == ID_NIT)
			k->number[strcspn(k->number, "-")] = '\0';
		(*n)++;
	}
	rc = *n > 0 ? 0 : -1;
out:
	if (rc < 0)
		fprintf(stderr, "kiosk-driver: %s: no customers could be read\n", path);
	cJSON_Delete(root);
	free(text);
	fclose(f);
	return rc;
}

/* A request for one or two of the customer's COP documents, each paid in full, the way
 * app/flow.c's issue() builds it. 0, or 1 when the customer has nothing payable in COP. */
static int build_request(const struct portfolio *p, uint32_t kiosk, struct coupon_request *req)
{
	int cop[COUPON_MAX_DOCS], ncop = 0, want;

	memset(req, 0, sizeof *req);
	for (int i = 0; i < p->ndocs && ncop < COUPON_MAX_DOCS; i++)
		if (p->docs[i].cur == CUR_COP && p->docs[i].balance > 0)
			cop[ncop++] = i;
	if (ncop == 0)
		return 1;
	req->kiosk_id = kiosk;
	req->ref_length = REF_LENGTH;
	req->id_type = p->id_type;
	snprintf(req->id_number, sizeof req->id_number, "%s", p->id_number);
	req->kind = rng_next() % 4 == 0 ? "phone" : "coupon";
	req->now = (int64_t)time(NULL);
	req->due = date_add_days(date_from_epoch(req->now), DUE_DAYS);
	want = ncop >= 2 && rng_next() % 2 ? 2 : 1;
	for (int k = 0, first = (int)(rng_next() % (uint64_t)ncop); k < want; k++) {
		const struct document *d = &p->docs[cop[(first + k) % ncop]];
		struct coupon_line *l = &req->lines[req->nlines++];

		snprintf(l->doc_number, sizeof l->doc_number, "%s", d->number);
		l->pay = (struct money){d->balance, CUR_COP};
		l->cop_minor = d->balance;
	}
	return 0;
}

/* The outbox event in the coupon's transaction, as app/app.c's commit hook does. */
static int commit_hook(struct store *s, const struct coupon *c, const struct coupon_request *req, void *user)
{
	(void)user;
	return outbox_push_coupon(s, c, req);
}

/* One coupon for a random customer. 0 and *seq when committed; <0 when not. */
static int issue_one(struct store *s, const struct customer *cs, int ncs, uint32_t kiosk, uint64_t *seq)
{
	for (int tries = 0; tries < ncs; tries++) {
		const struct customer *k = &cs[rng_next() % (uint64_t)ncs];
		struct coupon_request req;
		struct portfolio p;
		struct coupon c;
		int rc = store_lookup(s, k->type, k->number, &p);

		if (rc < 0) {
			fprintf(stderr, "kiosk-driver: lookup failed: %s\n", store_error(s));
			return -1;
		}
		if (rc > 0)
			continue;
		rc = build_request(&p, kiosk, &req);
		portfolio_free(&p);
		if (rc > 0)
			continue;
		rc = store_coupon_issue(s, &req, &c);
		explicit_bzero(&req, sizeof req);
		if (rc < 0) {
			fprintf(stderr, "kiosk-driver: coupon not issued: %s\n", store_error(s));
			return -1;
		}
		*seq = c.seq;
		return 0;
	}
	fprintf(stderr, "kiosk-driver: no customer with a payable COP document\n");
	return -1;
}

static int open_store(const struct opts *o, struct store **s, char *db, size_t dbn)
{
	struct store_status st;
	char err[512];

	if (mkdir(o->data, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "kiosk-driver: %s: %s\n", o->data, strerror(errno));
		return -1;
	}
	if ((size_t)snprintf(db, dbn, "%s/recaudo.db", o->data) >= dbn) {
		fprintf(stderr, "kiosk-driver: --data: path too long\n");
		return -1;
	}
	if (store_open(s, db, err, sizeof err) != 0) {
		fprintf(stderr, "kiosk-driver: %s\n", err);
		return -1;
	}
	store_set_commit_hook(*s, commit_hook, NULL);
	if (store_status_get(*s, &st) != 0) {
		fprintf(stderr, "kiosk-driver: %s\n", store_error(*s));
		return -1;
	}
	/* a new store gets the demo portfolio, in one transaction (a kill leaves none of it) */
	if (st.customers == 0 && st.data_as_of == 0 &&
	    store_import_file(*s, o->portfolio, err, sizeof err) != 0) {
		fprintf(stderr, "kiosk-driver: %s\n", err);
		return -1;
	}
	return 0;
}

static struct sync *start_sync(const struct opts *o, const char *db)
{
	struct sync_config sc;
	struct sync *y;
	char err[512];

	memset(&sc, 0, sizeof sc);
	if (snprintf(sc.api.base_url, sizeof sc.api.base_url, "%s", o->url) >= (int)sizeof sc.api.base_url ||
	    snprintf(sc.api.device_id, sizeof sc.api.device_id, "%s", o->device) >=
		    (int)sizeof sc.api.device_id ||
	    snprintf(sc.api.ca_file, sizeof sc.api.ca_file, "%s", o->ca ? o->ca : "") >=
		    (int)sizeof sc.api.ca_file ||
	    snprintf(sc.api.pinned_key, sizeof sc.api.pinned_key, "%s", o->pin ? o->pin : "") >=
		    (int)sizeof sc.api.pinned_key) {
		fprintf(stderr, "kiosk-driver: --url, --device, --ca or --pin too long\n");
		return NULL;
	}
	if (sign_load_secret(o->secret, sc.api.secret, err, sizeof err) != 0) {
		fprintf(stderr, "kiosk-driver: %s\n", err);
		return NULL;
	}
	sc.api.timeout_ms = o->timeout_ms;
	sc.api.connect_timeout_ms = o->connect_timeout_ms;
	sc.api.low_speed_time_s = o->low_speed_s;
	snprintf(sc.db_path, sizeof sc.db_path, "%s", db);
	sc.refresh_s = (int)o->refresh_s;
	sc.heartbeat_s = (int)o->heartbeat_s;
	sc.backoff_min_ms = (int)o->backoff_min_ms;
	sc.backoff_max_ms = (int)o->backoff_max_ms;
	sc.version = "kiosk-driver";
	y = sync_start(&sc, NULL, NULL, err, sizeof err);
	explicit_bzero(&sc.api.secret, sizeof sc.api.secret);
	if (!y)
		fprintf(stderr, "kiosk-driver: %s\n", err);
	return y;
}

/* --lookups: online lookups with their own handle, as app/lookup.c makes them. 0 when
 * every customer was found and the unknown number was not. */
static int lookups(const struct opts *o, const struct customer *cs, int ncs)
{
	static const char unknown[] = "9876543210"; /* a valid CC that no demo customer has */
	struct api_config ac;
	struct api *a;
	char err[512];
	long found = 0, not_found = 0, failed = 0;

	memset(&ac, 0, sizeof ac);
	snprintf(ac.base_url, sizeof ac.base_url, "%s", o->url);
	snprintf(ac.device_id, sizeof ac.device_id, "%s", o->device);
	snprintf(ac.ca_file, sizeof ac.ca_file, "%s", o->ca ? o->ca : "");
	snprintf(ac.pinned_key, sizeof ac.pinned_key, "%s", o->pin ? o->pin : "");
	if (sign_load_secret(o->secret, ac.secret, err, sizeof err) != 0) {
		fprintf(stderr, "kiosk-driver: %s\n", err);
		return -1;
	}
	a = api_open(&ac, err, sizeof err);
	explicit_bzero(ac.secret, sizeof ac.secret);
	if (!a) {
		fprintf(stderr, "kiosk-driver: %s\n", err);
		return -1;
	}
	for (long i = 0; i <= o->lookups; i++) {
		const struct customer *k = &cs[rng_next() % (uint64_t)ncs];
		struct portfolio p;
		int last = i == o->lookups;
		int rc = last ? api_debts(a, ID_CC, unknown, 3000, &p) : api_debts(a, k->type, k->number, 3000, &p);

		if (rc == API_OK) {
			portfolio_free(&p);
			found++;
		} else if (rc == API_NOT_FOUND) {
			not_found++;
		}
		if (rc != (last ? API_NOT_FOUND : API_OK)) {
			fprintf(stderr, "kiosk-driver: lookup: %s\n", api_error(a));
			failed++;
		}
	}
	api_close(a);
	printf("looked-up found=%ld not-found=%ld\n", found, not_found);
	fflush(stdout);
	return failed ? -1 : 0;
}

/* An event the central API rejects ("type: unknown event type"): a dead letter to be. */
static int push_bad(struct store *s, struct sync *y)
{
	if (outbox_push(s, "test.unknown", (int64_t)time(NULL), "{\"test\":true}", NULL) != 0) {
		fprintf(stderr, "kiosk-driver: cannot queue a bad event: %s\n", store_error(s));
		return -1;
	}
	sync_kick(y);
	return 0;
}

/* A maintenance action: a chained audit row and its maintenance.action event (offline/audit.h). */
static int push_maint(struct store *s, struct sync *y, long n)
{
	char detail[32];

	snprintf(detail, sizeof detail, "n=%ld", n);
	if (store_audit_append(s, 0, "test.maint", "ok", detail, NULL) != 0) {
		fprintf(stderr, "kiosk-driver: cannot append a maintenance action: %s\n", store_error(s));
		return -1;
	}
	sync_kick(y);
	return 0;
}

/* Until pending + in_flight is 0, or the deadline. */
static int wait_drained(struct store *s, long timeout_s, struct outbox_stats *st)
{
	int64_t end = mono_ms() + (int64_t)timeout_s * 1000;

	for (;;) {
		if (outbox_stats_get(s, NULL, st) != 0) {
			fprintf(stderr, "kiosk-driver: %s\n", store_error(s));
			return -1;
		}
		if (st->pending == 0)
			return 0;
		if (timeout_s > 0 && mono_ms() > end) {
			fprintf(stderr, "kiosk-driver: %" PRId64 " events still queued after %ld s\n",
				st->pending, timeout_s);
			return -1;
		}
		sleep_ms(20);
	}
}

/* A technician's "Reintentar" on every dead letter, then a drain, up to `rounds` times. */
static int retry_dead(struct store *s, struct sync *y, long rounds, long timeout_s, struct outbox_stats *st)
{
	long retried = 0, r;

	for (r = 0; r < rounds && st->dead > 0; r++) {
		struct outbox_dead_view *d = NULL;
		char why[300];
		int n = 0;

		if (outbox_admin_dead(s, 1000, &d, &n) != 0) {
			fprintf(stderr, "kiosk-driver: %s\n", store_error(s));
			return -1;
		}
		for (int i = 0; i < n; i++) {
			if (outbox_admin_retry(s, d[i].key, NULL, why, sizeof why) != OUTBOX_RETRY_OK) {
				fprintf(stderr, "kiosk-driver: retry: %s\n", why);
				free(d);
				return -1;
			}
			retried++;
		}
		free(d);
		sync_kick(y);
		if (wait_drained(s, timeout_s, st) < 0)
			return -1;
	}
	fprintf(stderr, "kiosk-driver: retried %ld dead letters in %ld rounds\n", retried, r);
	return 0;
}

int main(int argc, char **argv)
{
	static struct customer cs[CUSTOMERS_MAX];
	struct store *s = NULL;
	struct sync *y = NULL;
	struct outbox_stats st;
	char db[512];
	long issued = 0, bad = 0, maint = 0, failed = 0;
	int ncs = 0, rc;
	struct opts o;

	rc = parse_args(argc, argv, &o);
	if (rc != 0)
		return rc;
	rng = o.seed;
	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = 1;
	if (load_customers(o.portfolio, cs, CUSTOMERS_MAX, &ncs) < 0 || open_store(&o, &s, db, sizeof db) < 0)
		goto out;
	if (o.field_days > 0) { /* days offline first: the sync worker is not running yet */
		struct field_work w = {o.device, o.field_days, o.field_per_day, o.field_start, rng_next};

		if (field_work_run(s, &w, cs, ncs) < 0)
			goto out;
	}
	y = start_sync(&o, db);
	if (!y)
		goto out;
	while (o.coupons < 0 || issued < o.coupons) {
		uint64_t seq;

		if (issue_one(s, cs, ncs, (uint32_t)o.kiosk, &seq) == 0) {
			/* committed with its event: only now may a customer see it */
			printf("shown %ld %" PRIu64 "\n", o.kiosk, seq);
			fflush(stdout);
			issued++;
			failed = 0;
			sync_kick(y);
			if (bad < o.bad && issued % 2 == 0) {
				if (push_bad(s, y) < 0)
					goto out;
				bad++;
			}
			if (maint < o.maint && issued % 2 == 1) {
				if (push_maint(s, y, maint + 1) < 0)
					goto out;
				maint++;
			}
		} else if (++failed >= ISSUE_FAILURES_MAX) {
			fprintf(stderr, "kiosk-driver: %ld coupons in a row not issued; giving up\n", failed);
			goto out;
		}
		if (o.interval_ms > 0)
			sleep_ms(o.interval_ms);
	}
	for (; bad < o.bad; bad++)
		if (push_bad(s, y) < 0)
			goto out;
	for (; maint < o.maint; maint++)
		if (push_maint(s, y, maint + 1) < 0)
			goto out;
	if (wait_drained(s, o.drain_timeout_s, &st) < 0 ||
	    (o.retry_dead > 0 && retry_dead(s, y, o.retry_dead, o.drain_timeout_s, &st) < 0)) {
		rc = 3;
		goto out;
	}
	printf("drained acked=%" PRId64 " dead=%" PRId64 "\n", st.acked, st.dead);
	fflush(stdout);
	if (o.lookups > 0 && lookups(&o, cs, ncs) < 0) {
		rc = 4;
		goto out;
	}
	rc = 0;
out:
	sync_stop(y);
	store_close(s);
	return rc;
}
