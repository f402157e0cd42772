/* sync-audit — compares a kiosk's store with what the central simulator recorded, after a
 * run: "exactly one server record per transaction, nothing acknowledged lost" (PRODUCT §9).
 * The crash test (tests/sh/test_crash.sh) ends with it; after `make demo` it can be pointed
 * at data/demo-central by hand.
 *
 *   sync-audit --url URL --ca CA.pem --data DIR [--kiosk N] [--shown FILE]
 *              [--queue N] [--dead N] [--rejected N]
 *              [--portfolio SEED --device ID --secret FILE]
 *
 * Checks, one line each ("ok: ..." or "FAIL: ..."), then "N passed, N failed":
 *   - PRAGMA integrity_check is "ok" on DIR/recaudo.db;
 *   - every local coupon has exactly one coupon.issued outbox event and vice versa;
 *   - the local outbox holds --queue (default 0) pending events and --dead (default 0)
 *     dead letters;
 *   - the server (GET /admin/stats) has no (kiosk, seq) twice;
 *   - every server record of the kiosk is a local coupon, and their counts are equal;
 *   - the server's accepted events equal its coupon records plus its field events and
 *     maintenance actions (one event each), and it rejected --rejected (default 0) events;
 *   - field mode (issue 10, sync-audit-field.c), when either side has field events: every
 *     field receipt, void and close has one outbox event; local receipt numbers have no gap;
 *     every receipt's payment.collected key, every void's payment.voided key, every close's
 *     and reopen's key is on the server exactly once, and nothing else; the server's per-agent
 *     counts equal the tablet's with no number missing; with --portfolio (the server's seed),
 *     --device and --secret, each document paid in the field has on the server its seed
 *     balance minus what the unvoided receipts paid (gone when that is 0);
 *   - every "shown KIOSK SEQ" line of FILE (kiosk-driver's output, several runs appended;
 *     other lines ignored) is on the server exactly once.
 * Exit status 0 when everything passed, 1 otherwise, 2 on bad usage. Prints sequence
 * numbers only, never customer data. */
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outbox.h"
#include "sync-audit-field.h"

#define STATS_MAX (64L * 1024 * 1024)

static int passed, failed;

void verdict(int ok, const char *fmt, ...)
{
	va_list ap;

	fputs(ok ? "ok: " : "FAIL: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (ok)
		passed++;
	else
		failed++;
}

struct buf {
	char *p;
	size_t len;
};

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
	struct buf *b = user;
	size_t k = size * n;
	char *q;

	if (b->len + k > (size_t)STATS_MAX)
		return 0;
	q = realloc(b->p, b->len + k + 1);
	if (!q)
		return 0;
	memcpy(q + b->len, data, k);
	b->len += k;
	q[b->len] = '\0';
	b->p = q;
	return k;
}

/* GET URL/admin/stats as JSON, or NULL with the reason printed. */
static cJSON *get_stats(const char *url, const char *ca)
{
	struct buf b = {NULL, 0};
	char full[600];
	long http = 0;
	CURLcode rc;
	CURL *c = curl_easy_init();
	cJSON *j = NULL;

	if (!c)
		return NULL;
	snprintf(full, sizeof full, "%s/admin/stats", url);
	curl_easy_setopt(c, CURLOPT_URL, full);
	if (ca && *ca)
		curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &http);
	if (rc != CURLE_OK || http != 200)
		fprintf(stderr, "sync-audit: GET /admin/stats: %s (HTTP %ld)\n", curl_easy_strerror(rc),
			http);
	else
		j = cJSON_ParseWithLength(b.p, b.len);
	curl_easy_cleanup(c);
	free(b.p);
	return j;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Appends v to a growing array. */
static int push(int64_t **v, size_t *n, size_t *cap, int64_t x)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		int64_t *q = realloc(*v, c * sizeof *q);

		if (!q)
			return -1;
		*v = q;
		*cap = c;
	}
	(*v)[(*n)++] = x;
	return 0;
}

/* How many times x occurs in sorted v. */
static size_t count_of(const int64_t *v, size_t n, int64_t x)
{
	const int64_t *p = bsearch(&x, v, n, sizeof *v, cmp_i64);
	size_t k = 0;

	if (!p)
		return 0;
	while (p > v && p[-1] == x)
		p--;
	while (p + k < v + n && p[k] == x)
		k++;
	return k;
}

static int parse_num(const char *flag, const char *v, long long max, long long *out)
{
	char *end = NULL;

	errno = 0;
	*out = strtoll(v, &end, 10);
	if (!*v || *end || errno || *out < 0 || *out > max) {
		fprintf(stderr, "sync-audit: %s: expected an integer in 0..%lld\n", flag, max);
		return -1;
	}
	return 0;
}

static void local_checks(const char *dbpath, int64_t kiosk, long long want_queue, long long want_dead,
			 int64_t **local, size_t *nlocal)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	struct outbox_stats os;
	struct outbox *ob;
	char err[256], integrity[64] = "";
	size_t cap = 0, nevents = 0, odd = 0;
	int64_t coupons, *events = NULL;

	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		verdict(0, "open %s: %s", dbpath, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return;
	}
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(integrity, sizeof integrity, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	verdict(strcmp(integrity, "ok") == 0, "kiosk database integrity_check: %s", integrity);

	if (sqlite3_prepare_v2(db, "SELECT seq FROM coupons WHERE kiosk_id = ?1", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_int64(st, 1, kiosk);
		while (sqlite3_step(st) == SQLITE_ROW)
			if (push(local, nlocal, &cap, sqlite3_column_int64(st, 0)) < 0)
				break;
	}
	sqlite3_finalize(st);
	cap = 0;
	if (sqlite3_prepare_v2(
		    db, "SELECT json_extract(payload, '$.seq') FROM outbox WHERE type = 'coupon.issued'", -1,
		    &st, NULL) == SQLITE_OK)
		while (sqlite3_step(st) == SQLITE_ROW)
			if (push(&events, &nevents, &cap, sqlite3_column_int64(st, 0)) < 0)
				break;
	sqlite3_finalize(st);
	qsort(events, nevents, sizeof *events, cmp_i64);
	coupons = (int64_t)*nlocal;
	verdict(coupons == (int64_t)nevents, "local coupons %" PRId64 ", coupon.issued events %zu", coupons,
		nevents);
	for (size_t i = 0; i < *nlocal; i++)
		odd += count_of(events, nevents, (*local)[i]) != 1;
	verdict(odd == 0, "coupons without exactly one event of their own: %zu", odd);
	free(events);
	sqlite3_close(db);
	qsort(*local, *nlocal, sizeof **local, cmp_i64);

	ob = outbox_open(dbpath, err, sizeof err);
	if (!ob || outbox_stats_get(NULL, ob, &os) != 0) {
		verdict(0, "outbox stats: %s", ob ? outbox_error(ob) : err);
	} else {
		verdict(os.pending == want_queue, "local queue (pending + in flight) %" PRId64 ", want %lld",
			os.pending, want_queue);
		verdict(os.dead == want_dead, "local dead letters %" PRId64 ", want %lld", os.dead,
			want_dead);
	}
	outbox_close(ob);
}

static void shown_checks(const char *path, int64_t kiosk, const int64_t *server, size_t nserver)
{
	FILE *f = fopen(path, "r");
	char line[128];
	long shown = 0, missing = 0, twice = 0, other = 0, bad = 0;

	if (!f) {
		verdict(0, "%s: %s", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof line, f)) {
		long long k, s;
		char tail;
		size_t c;

		if (strncmp(line, "shown ", 6) != 0)
			continue;
		if (sscanf(line, "shown %lld %lld%c", &k, &s, &tail) != 3 || tail != '\n') {
			bad++; /* a line cut short would be a lie about what was shown */
			continue;
		}
		shown++;
		if (k != kiosk) {
			other++;
			continue;
		}
		c = count_of(server, nserver, (int64_t)s);
		missing += c == 0;
		twice += c > 1;
		if (c != 1 && missing + twice <= 5)
			printf("  shown coupon %lld is on the server %zu times\n", s, c);
	}
	fclose(f);
	verdict(bad == 0 && other == 0,
		"%ld shown lines readable, all of kiosk %" PRId64 " (%ld unreadable, %ld other)", shown,
		kiosk, bad, other);
	verdict(missing == 0 && twice == 0,
		"every shown coupon is on the server exactly once (%ld shown, %ld missing, %ld twice)", shown,
		missing, twice);
}

int main(int argc, char **argv)
{
	const char *url = NULL, *ca = NULL, *data = NULL, *shown = NULL;
	struct audit_server srv = {NULL, NULL, NULL, NULL, NULL};
	sqlite3 *db = NULL;
	long field_events = 0;
	long long kiosk = 1, want_queue = 0, want_dead = 0, want_rejected = 0;
	int64_t *local = NULL, *server = NULL;
	size_t nlocal = 0, nserver = 0, cap = 0, dups = 0, foreign = 0;
	char dbpath[600];
	const cJSON *c;
	cJSON *stats;
	double accepted;

	for (int i = 1; i + 1 < argc; i += 2) {
		const char *f = argv[i], *v = argv[i + 1];
		int rc = 0;

		if (strcmp(f, "--url") == 0)
			url = v;
		else if (strcmp(f, "--ca") == 0)
			ca = v;
		else if (strcmp(f, "--data") == 0)
			data = v;
		else if (strcmp(f, "--shown") == 0)
			shown = v;
		else if (strcmp(f, "--portfolio") == 0)
			srv.portfolio = v;
		else if (strcmp(f, "--device") == 0)
			srv.device = v;
		else if (strcmp(f, "--secret") == 0)
			srv.secret = v;
		else if (strcmp(f, "--kiosk") == 0)
			rc = parse_num(f, v, 9999, &kiosk);
		else if (strcmp(f, "--queue") == 0)
			rc = parse_num(f, v, 1LL << 50, &want_queue);
		else if (strcmp(f, "--dead") == 0)
			rc = parse_num(f, v, 1LL << 50, &want_dead);
		else if (strcmp(f, "--rejected") == 0)
			rc = parse_num(f, v, 1LL << 50, &want_rejected);
		else
			rc = -1;
		if (rc < 0)
			return 2;
	}
	if (argc % 2 == 0 || !url || !data) {
		fprintf(stderr,
			"usage: sync-audit --url URL [--ca CA.pem] --data DIR [--kiosk N] [--shown FILE]\n"
			"                  [--queue N] [--dead N] [--rejected N]\n"
			"                  [--portfolio SEED --device ID --secret FILE]\n");
		return 2;
	}
	snprintf(dbpath, sizeof dbpath, "%s/recaudo.db", data);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	setvbuf(stdout, NULL, _IOLBF, 0);

	local_checks(dbpath, (int64_t)kiosk, want_queue, want_dead, &local, &nlocal);

	stats = get_stats(url, ca);
	verdict(stats != NULL, "GET /admin/stats");
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(stats, "coupons"))
	{
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(c, "kiosk_id");
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(c, "seq");

		if (!cJSON_IsNumber(k) || !cJSON_IsNumber(s))
			continue;
		if ((int64_t)k->valuedouble == (int64_t)kiosk)
			push(&server, &nserver, &cap, (int64_t)s->valuedouble);
	}
	qsort(server, nserver, sizeof *server, cmp_i64);
	for (size_t i = 1; i < nserver; i++)
		dups += server[i] == server[i - 1];
	verdict(dups == 0, "server records of kiosk %lld: %zu, none twice (%zu twice)", kiosk, nserver, dups);
	for (size_t i = 0; i < nserver; i++)
		if (count_of(local, nlocal, server[i]) != 1) {
			if (foreign++ < 5)
				printf("  server coupon %" PRId64 " is not in the local store\n", server[i]);
		}
	verdict(foreign == 0, "every server record is a local coupon (%zu are not)", foreign);
	verdict(nlocal == nserver, "local coupons %zu == server records %zu", nlocal, nserver);
	srv.url = url;
	srv.ca = ca;
	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 5000);
		field_checks(db, stats, &srv, &field_events);
	} else {
		verdict(0, "open %s for the field checks", dbpath);
	}
	sqlite3_close(db);
	c = cJSON_GetObjectItemCaseSensitive(stats, "accepted");
	accepted = cJSON_IsNumber(c) ? c->valuedouble : -1;
	c = cJSON_GetObjectItemCaseSensitive(stats, "maintenance_actions");
	verdict(accepted == (double)nserver + (double)field_events + (cJSON_IsNumber(c) ? c->valuedouble : 0),
		"server accepted events %.0f == its coupon records %zu + field events %ld + maintenance actions",
		accepted, nserver, field_events);
	c = cJSON_GetObjectItemCaseSensitive(stats, "rejected");
	verdict(cJSON_IsNumber(c) && c->valuedouble == (double)want_rejected,
		"server rejected events %.0f, want %lld", cJSON_IsNumber(c) ? c->valuedouble : -1.0,
		want_rejected);
	c = cJSON_GetObjectItemCaseSensitive(stats, "duplicates");
	printf("  (the server answered \"duplicate\" %.0f times: batches sent again after a kill or a lost "
	       "answer)\n",
	       cJSON_IsNumber(c) ? c->valuedouble : -1.0);
	if (shown)
		shown_checks(shown, (int64_t)kiosk, server, nserver);

	cJSON_Delete(stats);
	free(local);
	free(server);
	curl_global_cleanup();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
