/* test_sync_security — the API client and the sync worker against the real central simulator
 * when trust or answers fail (docs/sync-tests.md):
 *   - a wrong device secret: 401 bad_signature, API_ERR_AUTH, nothing acknowledged;
 *   - the server's clock 1000 s off: API_ERR_AUTH "clock_skew";
 *   - a pinned key of another server key: API_ERR_TLS and the simulator saw no request;
 *   - a CA that did not sign the server's certificate: API_ERR_TLS, no request;
 *   - truncated, malformed and wrong-content-type answers to the events batch (the server
 *     committed it): the outbox unchanged, one clear log line, and after the fault the same
 *     events go again and come back "duplicate": one record each;
 *   - wrong types and a body larger than API_BODY_MAX, at the parser (the simulator cannot
 *     send those);
 *   - replay: a heartbeat and a debts query signed by the kiosk's client, captured on their
 *     way and sent to the simulator twice exactly as they were: the second is refused
 *     409 replayed and counts nothing; a client answered 409 replayed sends the request once
 *     more with a new request id;
 *   - a server that never answers: sync_stop abandons the request under way instead of
 *     waiting out the worker's long budget;
 *   - the link back, the events answered, then stopped during the round's next request:
 *     the log says "back online" all the same.
 * The kiosk store is in this process (the store, the outbox hook and the sync worker of
 * the app); the simulator is a child on 127.0.0.1. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <strings.h>
#include <sys/socket.h>

#include "api_internal.h"
#include "check.h"
#include "outbox.h"
#include "sign.h"
#include "sim_harness.h"
#include "store.h"
#include "sync.h"

#define COUPONS 3
#define WAIT_MS 20000 /* generous: valgrind and ASan are slow */

static char base[64], pin[128], other_pin[128], ca[H_PATH], other_ca[H_PATH], db[H_PATH];
static struct h_sim sim;
static uint8_t secret[32];

/* ---- the kiosk's store: the demo portfolio and COUPONS coupons, events queued ---- */

static int commit_hook(struct store *s, const struct coupon *c, const struct coupon_request *req, void *user)
{
	(void)user;
	return outbox_push_coupon(s, c, req);
}

static int make_store(void)
{
	struct store *s = NULL;
	struct portfolio p;
	char err[512];
	int rc = -1;

	if (store_open(&s, db, err, sizeof err) != 0 || store_import_file(s, H_DEMO, err, sizeof err) != 0) {
		fprintf(stderr, "store: %s\n", err);
		store_close(s);
		return -1;
	}
	store_set_commit_hook(s, commit_hook, NULL);
	if (store_lookup(s, ID_CC, "1020304050", &p) != 0)
		goto out;
	for (int i = 0; i < COUPONS; i++) {
		struct coupon_request req;
		struct coupon c;

		memset(&req, 0, sizeof req);
		req.kiosk_id = 1;
		req.ref_length = 16;
		req.id_type = ID_CC;
		snprintf(req.id_number, sizeof req.id_number, "%s", p.id_number);
		req.kind = "coupon";
		req.now = (int64_t)time(NULL);
		req.due = date_add_days(date_from_epoch(req.now), 3);
		req.nlines = 1;
		snprintf(req.lines[0].doc_number, sizeof req.lines[0].doc_number, "%s", p.docs[i].number);
		req.lines[0].pay = (struct money){p.docs[i].balance, CUR_COP};
		req.lines[0].cop_minor = p.docs[i].balance;
		if (store_coupon_issue(s, &req, &c) != 0) {
			fprintf(stderr, "store: %s\n", store_error(s));
			portfolio_free(&p);
			goto out;
		}
	}
	portfolio_free(&p);
	rc = 0;
out:
	store_close(s);
	return rc;
}

static struct outbox_stats local_stats(void)
{
	struct outbox_stats st;
	struct outbox *o;
	char err[256];

	memset(&st, 0xff, sizeof st);
	o = outbox_open(db, err, sizeof err);
	if (!o || outbox_stats_get(NULL, o, &st) != 0)
		memset(&st, 0xff, sizeof st);
	outbox_close(o);
	return st;
}

/* Nothing was acknowledged or given up: all COUPONS events still queued. */
static void check_outbox_unchanged(const char *what)
{
	struct outbox_stats st = local_stats();

	if (st.pending != COUPONS || st.acked != 0 || st.dead != 0 || st.next_seq != COUPONS + 1)
		fprintf(stderr, "%s: outbox pending %" PRId64 " acked %" PRId64 " dead %" PRId64 "\n", what,
			st.pending, st.acked, st.dead);
	CHECK_INT(st.pending, COUPONS);
	CHECK_INT(st.acked, 0);
	CHECK_INT(st.dead, 0);
	CHECK_INT(st.next_seq, COUPONS + 1);
}

/* ---- the client ---- */

static void config(struct api_config *c, const char *ca_file, const char *pinned, const uint8_t *key)
{
	memset(c, 0, sizeof *c);
	snprintf(c->base_url, sizeof c->base_url, "%s", sim.url);
	snprintf(c->device_id, sizeof c->device_id, "K0001");
	memcpy(c->secret, key, sizeof c->secret);
	snprintf(c->ca_file, sizeof c->ca_file, "%s", ca_file);
	snprintf(c->pinned_key, sizeof c->pinned_key, "%s", pinned);
	c->timeout_ms = 10000;
}

/* A well-formed event (the server refuses the request before looking at it). */
static void fake_event(struct outbox_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->seq = 999;
	snprintf(ev->key, sizeof ev->key, "0b1e5a52-6c1d-4e8f-9a3b-5d2c7e8f9a01");
	snprintf(ev->type, sizeof ev->type, "coupon.issued");
	ev->at = (int64_t)time(NULL);
	ev->payload = (char *)"{\"kiosk_id\":1}";
}

struct call_result {
	int heartbeat, events;
	char err[256];
};

/* A heartbeat and an events batch with this configuration. */
static struct call_result call(const struct api_config *c)
{
	struct api_heartbeat hb = {COUPONS, 10, 0, "ready", 0, "test", NULL, NULL, NULL, NULL, 0, 0};
	struct call_result r;
	struct api_item_result res[1];
	struct outbox_event ev;
	char err[256];
	struct api *a = api_open(c, err, sizeof err);

	memset(&r, 0, sizeof r);
	r.heartbeat = r.events = 99;
	CHECK(a != NULL);
	if (!a) {
		fprintf(stderr, "api_open: %s\n", err);
		return r;
	}
	fake_event(&ev);
	r.heartbeat = api_heartbeat(a, &hb);
	snprintf(r.err, sizeof r.err, "%s", api_error(a));
	r.events = api_events(a, &ev, 1, res);
	api_close(a);
	return r;
}

/* Requests the simulator logged so far (one line per /v1 request). */
static int sim_requests(void)
{
	char log[H_PATH + 16];

	snprintf(log, sizeof log, "%s/sim.log", sim.dir);
	return h_count_lines(log, "central-sim: GET /v1/") + h_count_lines(log, "central-sim: POST /v1/");
}

static double server_stat(const char *path)
{
	cJSON *j = h_admin(&sim, "/admin/stats", NULL);
	double v = h_num(j, path);

	cJSON_Delete(j);
	return v;
}

static void faults(const char *json)
{
	cJSON *j = h_admin(&sim, "/admin/faults", json);

	CHECK(j != NULL);
	cJSON_Delete(j);
}

/* ---- the worker, its log captured ---- */

struct worker_run {
	struct sync_report report;
	char log[H_PATH];
	int lines; /* "recaudo: sync:" lines it logged */
};

/* Runs the sync worker on the kiosk's store until its report satisfies done (or WAIT_MS),
 * with stderr going to a file. */
static void run_worker(const struct api_config *c, const char *name, int (*done)(const struct sync_report *),
		       struct worker_run *w)
{
	struct sync_config sc;
	struct sync *y;
	char err[256];
	int saved, fd;
	int64_t end = h_mono_ms() + WAIT_MS;

	memset(w, 0, sizeof *w);
	snprintf(w->log, sizeof w->log, "%s/%s.log", base, name);
	memset(&sc, 0, sizeof sc);
	sc.api = *c;
	snprintf(sc.db_path, sizeof sc.db_path, "%s", db);
	sc.refresh_s = 3600;
	sc.heartbeat_s = 3600;
	sc.backoff_min_ms = 50;
	sc.backoff_max_ms = 200;
	sc.version = "test";
	fflush(stderr);
	saved = dup(2);
	fd = open(w->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0)
		dup2(fd, 2);
	y = sync_start(&sc, NULL, NULL, err, sizeof err);
	if (y) {
		do {
			h_sleep_ms(10);
			sync_get_report(y, &w->report);
		} while (!done(&w->report) && h_mono_ms() < end);
		sync_stop(y);
	}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	if (fd >= 0)
		close(fd);
	CHECK(y != NULL);
	if (!y)
		fprintf(stderr, "sync_start: %s\n", err);
	CHECK(done(&w->report));
	if (!done(&w->report))
		fprintf(stderr, "%s: the worker's report: online %d queue %" PRId64 " error \"%s\"\n", name,
			w->report.online, w->report.queue_depth, w->report.last_error);
	w->lines = h_count_lines(w->log, "recaudo: sync:");
	CHECK(h_pii_in_file(w->log) == NULL);
}

static int failed_once(const struct sync_report *r)
{
	return !r->online && r->last_error[0] != '\0';
}

static int drained(const struct sync_report *r)
{
	return r->online && r->queue_depth == 0;
}

static int has_line(const struct worker_run *w, const char *text)
{
	int n = h_count_lines(w->log, text);

	if (n == 0)
		fprintf(stderr, "%s: no line with \"%s\"\n", w->log, text);
	return n > 0;
}

static int has_line_in(const char *path, const char *text)
{
	int n = h_count_lines(path, text);

	if (n == 0)
		fprintf(stderr, "%s: no line with \"%s\"\n", path, text);
	return n > 0;
}

/* ---- the cases ---- */

static void test_wrong_secret(void)
{
	struct api_config c;
	struct call_result r;
	struct worker_run w;
	uint8_t wrong[32];

	h_key(wrong, 99);
	config(&c, ca, pin, wrong);
	r = call(&c);
	CHECK_INT(r.heartbeat, API_ERR_AUTH);
	CHECK(strstr(r.err, "bad_signature") != NULL);
	CHECK_INT(r.events, API_ERR_AUTH); /* results[] mean nothing then (see the report) */

	run_worker(&c, "wrong-secret", failed_once, &w);
	CHECK(strstr(w.report.last_error, "bad_signature") != NULL);
	CHECK(has_line(&w, "refused: bad_signature"));
	check_outbox_unchanged("wrong secret");
	CHECK_INT(server_stat("accepted"), 0);
	CHECK_INT(server_stat("devices.0.heartbeats"), 0);
}

static void test_clock_skew(void)
{
	struct api_config c;
	struct call_result r;
	struct worker_run w;

	faults("{\"clock_offset\":1000}");
	config(&c, ca, pin, secret);
	r = call(&c);
	CHECK_INT(r.heartbeat, API_ERR_AUTH);
	CHECK(strstr(r.err, "clock_skew") != NULL);
	/* it says by how much, from the server's Date */
	CHECK(strstr(r.err, "-1000 s off") != NULL || strstr(r.err, "-999 s off") != NULL ||
	      strstr(r.err, "-1001 s off") != NULL);
	CHECK_INT(r.events, API_ERR_AUTH);

	run_worker(&c, "clock-skew", failed_once, &w);
	CHECK(strstr(w.report.last_error, "clock_skew") != NULL);
	CHECK(has_line(&w, "clock_skew"));
	check_outbox_unchanged("clock skew");
	CHECK_INT(server_stat("accepted"), 0);
	faults("{\"reset\":true}");
}

/* TLS refused: the handshake fails before a request line, so the simulator logs nothing. */
static void test_tls(const char *name, const char *ca_file, const char *pinned, const char *why)
{
	struct api_config c;
	struct call_result r;
	struct worker_run w;
	int before = sim_requests();

	config(&c, ca_file, pinned, secret);
	r = call(&c);
	CHECK_INT(r.heartbeat, API_ERR_TLS);
	CHECK_INT(r.events, API_ERR_TLS);
	CHECK(strstr(r.err, why) != NULL);
	CHECK(strstr(r.err, "nothing was sent") != NULL);
	if (!strstr(r.err, why))
		fprintf(stderr, "%s: \"%s\"\n", name, r.err);

	run_worker(&c, name, failed_once, &w);
	CHECK(strstr(w.report.last_error, why) != NULL);
	check_outbox_unchanged(name);
	CHECK_INT(sim_requests(), before);
	CHECK_INT(server_stat("accepted"), 0);
	CHECK_INT(server_stat("devices.0.heartbeats"), 0);
}

/* The server commits the batch and its answer is unusable: nothing changes locally, the
 * worker says why in one line (two at most if a second try came before the stop). */
static void test_bad_answer(const char *fault, const char *why)
{
	char json[64];
	struct api_config c;
	struct worker_run w;

	snprintf(json, sizeof json, "{\"reset\":true,\"%s\":1}", fault);
	faults(json);
	config(&c, ca, pin, secret);
	run_worker(&c, fault, failed_once, &w);
	CHECK(strstr(w.report.last_error, why) != NULL);
	CHECK(has_line(&w, why));
	CHECK(w.lines >= 1 && w.lines <= 2);
	if (w.lines < 1 || w.lines > 2)
		fprintf(stderr, "%s: %d log lines\n", fault, w.lines);
	check_outbox_unchanged(fault);
	faults("{\"reset\":true}");
}

static void test_recovery(void)
{
	struct api_config c;
	struct worker_run w;
	struct outbox_stats st;
	cJSON *j;
	const cJSON *it;
	int n = 0;

	config(&c, ca, pin, secret);
	run_worker(&c, "recovery", drained, &w);
	st = local_stats();
	CHECK_INT(st.pending, 0);
	CHECK_INT(st.acked, COUPONS);
	CHECK_INT(st.dead, 0);
	j = h_admin(&sim, "/admin/stats", NULL);
	CHECK_INT(h_num(j, "accepted"), COUPONS);
	/* committed under each bad answer, then once more: duplicates, one record each */
	CHECK(h_num(j, "duplicates") >= COUPONS);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(j, "coupons"))
	{
		CHECK_INT(h_num(it, "seq"), ++n);
	}
	CHECK_INT(n, COUPONS);
	cJSON_Delete(j);
}

/* What the simulator cannot send: wrong types and a body over API_BODY_MAX. */
static void test_parser(void)
{
	struct outbox_event ev;
	struct api_item_result res[1];
	char err[200], body[256];
	char *big;

	fake_event(&ev);
	snprintf(body, sizeof body, "{\"results\":[{\"key\":\"%s\",\"status\":1}]}", ev.key);
	CHECK_INT(api_parse_events(body, strlen(body), &ev, 1, res, err, sizeof err), API_ERR_PROTOCOL);
	CHECK(strstr(err, "results[0].status: must be a string") != NULL);
	snprintf(body, sizeof body, "{\"results\":[{\"key\":7,\"status\":\"accepted\"}]}");
	CHECK_INT(api_parse_events(body, strlen(body), &ev, 1, res, err, sizeof err), API_ERR_PROTOCOL);
	CHECK(strstr(err, "results[0].key: must be a string") != NULL);
	snprintf(body, sizeof body, "{\"results\":{\"key\":\"%s\"}}", ev.key);
	CHECK_INT(api_parse_events(body, strlen(body), &ev, 1, res, err, sizeof err), API_ERR_PROTOCOL);
	CHECK(strstr(err, "results: must be an array") != NULL);
	snprintf(body, sizeof body, "[\"accepted\"]");
	CHECK_INT(api_parse_events(body, strlen(body), &ev, 1, res, err, sizeof err), API_ERR_PROTOCOL);

	big = malloc((size_t)API_BODY_MAX + 1);
	CHECK(big != NULL);
	if (big) {
		int n = snprintf(big, 128, "{\"results\":[{\"key\":\"%s\",\"status\":\"accepted\"}]}",
				 ev.key);

		memset(big + n, ' ',
		       (size_t)API_BODY_MAX + 1 - (size_t)n); /* valid JSON, one byte too long */
		CHECK_INT(api_parse_events(big, (size_t)API_BODY_MAX + 1, &ev, 1, res, err, sizeof err),
			  API_ERR_PROTOCOL);
		CHECK(strstr(err, "larger than") != NULL);
		CHECK_INT(api_parse_events(big, (size_t)API_BODY_MAX, &ev, 1, res, err, sizeof err), API_OK);
		free(big);
	}
}

/* ---- replay ----
 * A capture server on 127.0.0.1 (plain HTTP, which the client allows for loopback): it keeps
 * each request as it arrived and answers it with the next canned answer. The signature does
 * not cover the scheme or the host, so a captured request is valid for the simulator too. */

#define CAP_MAX 4

static struct capture {
	int lfd, port, n, nanswers;
	char req[CAP_MAX][8192];
	const char *answers[CAP_MAX];
	pthread_t thread;
} cap;

/* strcasestr without _GNU_SOURCE */
static const char *find_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return hay;
	return NULL;
}

static void *capture_server(void *unused)
{
	(void)unused;
	for (int i = 0; i < cap.nanswers; i++) {
		int fd = accept(cap.lfd, NULL, NULL);
		char *buf = cap.req[i], *end;
		size_t got = 0, need = 0;

		if (fd < 0)
			break;
		for (;;) {
			ssize_t k = recv(fd, buf + got, sizeof cap.req[i] - 1 - got, 0);

			if (k <= 0)
				break;
			got += (size_t)k;
			buf[got] = '\0';
			end = strstr(buf, "\r\n\r\n");
			if (end && !need) {
				const char *cl = find_ci(buf, "\r\nContent-Length:");

				need = (size_t)(end + 4 - buf) + (cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0);
			}
			if (need && got >= need)
				break;
		}
		if (send(fd, cap.answers[i], strlen(cap.answers[i]), MSG_NOSIGNAL) < 0)
			fprintf(stderr, "capture: send: %s\n", strerror(errno));
		close(fd);
		cap.n = i + 1;
	}
	return NULL;
}

static int capture_start(int nanswers, const char *const *answers)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof a;

	memset(&cap, 0, sizeof cap);
	cap.nanswers = nanswers;
	for (int i = 0; i < nanswers; i++)
		cap.answers[i] = answers[i];
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cap.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (cap.lfd < 0 || bind(cap.lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(cap.lfd, 4) != 0 ||
	    getsockname(cap.lfd, (struct sockaddr *)&a, &al) != 0)
		return -1;
	cap.port = ntohs(a.sin_port);
	return pthread_create(&cap.thread, NULL, capture_server, NULL) == 0 ? 0 : -1;
}

static void capture_stop(void)
{
	shutdown(cap.lfd, SHUT_RDWR);
	close(cap.lfd);
	pthread_join(cap.thread, NULL);
}

/* The value of a header of a captured request, "" if absent. */
static void cap_header(const char *req, const char *name, char *out, size_t n)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof pat, "\r\n%s:", name);
	p = find_ci(req, pat);
	out[0] = '\0';
	if (!p)
		return;
	p += strlen(pat);
	p += strspn(p, " ");
	snprintf(out, n, "%.*s", (int)strcspn(p, "\r\n"), p);
}

/* Sends a captured request to the simulator exactly as it was (method, target, the signing
 * headers and the body). The HTTP status, with the body's error code in code. */
static long replay(const char *req, char *code, size_t coden)
{
	char method[8] = "", target[512] = "", url[H_PATH + 600], line[200], val[160], cafile[H_PATH + 16];
	static const char *const names[] = {"X-Device-Id", "X-Timestamp", "X-Request-Id", "X-Signature",
					    "Content-Type"};
	const char *body = strstr(req, "\r\n\r\n");
	struct curl_slist *h = NULL;
	struct h_buf b = {NULL, 0};
	CURL *c = curl_easy_init();
	long http = 0;

	code[0] = '\0';
	if (!c || !body || sscanf(req, "%7s %511s", method, target) != 2)
		return -1;
	body += 4;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		cap_header(req, names[i], val, sizeof val);
		if (!val[0])
			continue;
		snprintf(line, sizeof line, "%s: %s", names[i], val);
		h = curl_slist_append(h, line);
	}
	h = curl_slist_append(h, "Expect:");
	snprintf(url, sizeof url, "%s%s", sim.url, target);
	snprintf(cafile, sizeof cafile, "%s/ca.pem", sim.dir);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, cafile);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, h_on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &http);
	if (b.p) {
		cJSON *j = cJSON_ParseWithLength(b.p, b.len);
		const char *e = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "error"));

		snprintf(code, coden, "%s", e ? e : "");
		cJSON_Delete(j);
	}
	free(b.p);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return http;
}

#define ANSWER_503                                                                                  \
	"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 23\r\n" \
	"Connection: close\r\n\r\n{\"error\":\"unavailable\"}"

/* The kiosk's client signs a request (answered 503 by the capture server, so the simulator has
 * never seen it); then the same bytes twice to the simulator. */
static void test_replay(void)
{
	static const char *const answers[] = {ANSWER_503, ANSWER_503};
	struct api_heartbeat hb = {COUPONS, 10, 0, "ready", 0, "test", NULL, NULL, NULL, NULL, 0, 0};
	struct api_config c;
	struct portfolio pf;
	char err[256], code[40], rid1[64], rid2[64];
	struct api *a;
	double beats;

	CHECK_INT(capture_start(2, answers), 0);
	config(&c, "", "", secret);
	snprintf(c.base_url, sizeof c.base_url, "http://127.0.0.1:%d", cap.port);
	a = api_open(&c, err, sizeof err);
	CHECK(a != NULL);
	if (!a) {
		capture_stop();
		return;
	}
	CHECK_INT(api_heartbeat(a, &hb), API_ERR_SERVER);
	CHECK_INT(api_debts(a, ID_CC, "1020304050", 3000, &pf), API_ERR_SERVER);
	api_close(a);
	capture_stop();
	CHECK_INT(cap.n, 2);
	cap_header(cap.req[0], "X-Request-Id", rid1, sizeof rid1);
	cap_header(cap.req[1], "X-Request-Id", rid2, sizeof rid2);
	CHECK(sign_request_id_ok(rid1) && sign_request_id_ok(rid2));
	CHECK(strcmp(rid1, rid2) != 0); /* a new id for every request */

	beats = server_stat("devices.0.heartbeats");
	CHECK_INT(replay(cap.req[0], code, sizeof code), 200);
	CHECK_INT(server_stat("devices.0.heartbeats"), beats + 1);
	CHECK_INT(replay(cap.req[0], code, sizeof code), 409);
	CHECK_STR(code, "replayed");
	CHECK_INT(replay(cap.req[0], code, sizeof code), 409);
	CHECK_INT(server_stat("devices.0.heartbeats"), beats + 1); /* counted once */

	CHECK_INT(replay(cap.req[1], code, sizeof code), 200);
	CHECK_INT(replay(cap.req[1], code, sizeof code), 409);
	CHECK_STR(code, "replayed");
	CHECK(strstr(cap.req[1], "GET /v1/debts?") == cap.req[1]);
}

/* A client answered 409 replayed sends the request once more, with a new id. */
static void test_replayed_answer(void)
{
	static const char *const answers[] = {
		"HTTP/1.1 409 Conflict\r\nContent-Type: application/json\r\nContent-Length: 20\r\n"
		"Connection: close\r\n\r\n{\"error\":\"replayed\"}",
		"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n"
		"Connection: close\r\n\r\n{\"ok\":true}",
		ANSWER_503,
	};
	struct api_heartbeat hb = {COUPONS, 10, 0, "ready", 0, "test", NULL, NULL, NULL, NULL, 0, 0};
	struct api_config c;
	char err[256], rid1[64], rid2[64];
	struct api *a;

	CHECK_INT(capture_start(3, answers), 0);
	config(&c, "", "", secret);
	snprintf(c.base_url, sizeof c.base_url, "http://127.0.0.1:%d", cap.port);
	a = api_open(&c, err, sizeof err);
	CHECK(a != NULL);
	if (a) {
		CHECK_INT(api_heartbeat(a, &hb), API_OK);         /* 409 replayed, then 200 */
		CHECK_INT(api_heartbeat(a, &hb), API_ERR_SERVER); /* 503: no second try here */
		api_close(a);
	}
	capture_stop();
	CHECK_INT(cap.n, 3);
	cap_header(cap.req[0], "X-Request-Id", rid1, sizeof rid1);
	cap_header(cap.req[1], "X-Request-Id", rid2, sizeof rid2);
	CHECK(sign_request_id_ok(rid1) && sign_request_id_ok(rid2));
	CHECK(strcmp(rid1, rid2) != 0);
	/* the same body both times: only the id (and so the signature) changed */
	CHECK_STR(strstr(cap.req[0], "\r\n\r\n"), strstr(cap.req[1], "\r\n\r\n"));
}

/* ---- stopping on a slow link ----
 * A server that accepts the connection, reads the request and never answers: with the sync
 * worker's generous budget (here 60 s of low speed, a 600 s cap) sync_stop must not wait it
 * out: the request is abandoned and says so. */

static struct frozen {
	int lfd, port;
	_Atomic int got, stop;
	pthread_t thread;
} frz;

static void *frozen_server(void *unused)
{
	int fd;
	char buf[4096];

	(void)unused;
	fd = accept(frz.lfd, NULL, NULL);
	if (fd < 0)
		return NULL;
	while (!frz.stop) {
		struct pollfd p = {fd, POLLIN, 0};

		if (poll(&p, 1, 50) > 0) {
			ssize_t k = recv(fd, buf, sizeof buf, 0);

			if (k <= 0)
				break;
			frz.got += (int)k;
		}
	}
	close(fd);
	return NULL;
}

static void test_stop_abandons(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof a;
	struct sync_config sc;
	struct sync *y;
	char err[256], log[H_PATH];
	int saved, fd;
	int64_t end = h_mono_ms() + WAIT_MS;

	memset(&frz, 0, sizeof frz);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	frz.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(frz.lfd >= 0 && bind(frz.lfd, (struct sockaddr *)&a, sizeof a) == 0 && listen(frz.lfd, 4) == 0 &&
	      getsockname(frz.lfd, (struct sockaddr *)&a, &al) == 0);
	frz.port = ntohs(a.sin_port);
	CHECK_INT(pthread_create(&frz.thread, NULL, frozen_server, NULL), 0);

	memset(&sc, 0, sizeof sc);
	config(&sc.api, "", "", secret);
	snprintf(sc.api.base_url, sizeof sc.api.base_url, "http://127.0.0.1:%d", frz.port);
	sc.api.timeout_ms = 600000;
	sc.api.low_speed_time_s = 60;
	snprintf(sc.db_path, sizeof sc.db_path, "%s", db);
	sc.version = "test";
	snprintf(log, sizeof log, "%s/stop.log", base);
	fflush(stderr);
	saved = dup(2);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0)
		dup2(fd, 2);
	y = sync_start(&sc, NULL, NULL, err, sizeof err);
	while (y && frz.got == 0 && h_mono_ms() < end) /* a request is under way */
		h_sleep_ms(10);
	sync_stop(y);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	if (fd >= 0)
		close(fd);
	CHECK(y != NULL);
	CHECK(frz.got > 0);
	CHECK(has_line_in(log, "abandoned (stopping)"));
	frz.stop = 1;
	shutdown(frz.lfd, SHUT_RDWR);
	close(frz.lfd);
	pthread_join(frz.thread, NULL);
}

/* ---- back online, then stopped ----
 * The link fails, comes back and answers the events; the round's probe (the heartbeat)
 * hangs and the kiosk stops. The log says the link came back: an answer
 * is proof of it, whatever the rest of the round does (test_sync's "cable" case once missed
 * its "back online" line when the driver stopped during that request). */

static struct answering {
	int lfd;
	_Atomic int answered, more, stop;
	pthread_t thread;
} ans;

/* One HTTP request from fd: the headers and Content-Length bytes of body, in buf. */
static int read_request(int fd, char *buf, size_t n)
{
	size_t len = 0;
	long want = -1;

	while (len + 1 < n && !ans.stop) {
		struct pollfd p = {fd, POLLIN, 0};
		char *end, *cl;
		ssize_t k;

		if (poll(&p, 1, 50) <= 0)
			continue;
		k = recv(fd, buf + len, n - 1 - len, 0);
		if (k <= 0)
			return -1;
		len += (size_t)k;
		buf[len] = '\0';
		end = strstr(buf, "\r\n\r\n");
		if (!end)
			continue;
		cl = strstr(buf, "\r\nContent-Length:"); /* as libcurl spells it */
		want = cl && cl < end ? strtol(cl + 17, NULL, 10) : 0;
		if ((long)(len - (size_t)(end + 4 - buf)) >= want)
			return 0;
	}
	return -1;
}

static void answer(int fd, const char *json)
{
	static char out[1 << 15];
	int n = snprintf(out, sizeof out,
			 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
			 strlen(json), json);

	if (n > 0 && (size_t)n < sizeof out && send(fd, out, (size_t)n, MSG_NOSIGNAL) == n &&
	    strncmp(json, "{\"results\"", 10) == 0)
		ans.answered = 1;
}

/* The events batch: every event accepted. */
static void answer_events(int fd, const char *req)
{
	cJSON *root = cJSON_Parse(strstr(req, "\r\n\r\n") + 4), *res = cJSON_CreateArray(), *e;
	char *json;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root, "events"))
	{
		cJSON *r = cJSON_CreateObject();

		cJSON_AddStringToObject(r, "key", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "key")));
		cJSON_AddStringToObject(r, "status", "accepted");
		cJSON_AddItemToArray(res, r);
	}
	cJSON_Delete(root);
	root = cJSON_CreateObject();
	cJSON_AddItemToObject(root, "results", res);
	json = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	answer(fd, json);
	free(json);
}

/* Answers the events batch (every event accepted) and the refresh's GETs (with a page that
 * is not one: that job fails, the round goes on); holds the heartbeat, unanswered. */
static void *answering_server(void *unused)
{
	static char req[1 << 16];
	int fds[4], nfd = 0;

	(void)unused;
	while (!ans.stop) {
		struct pollfd p[5];
		int np = 0;

		p[np++] = (struct pollfd){ans.lfd, POLLIN, 0};
		for (int i = 0; i < nfd; i++)
			p[np++] = (struct pollfd){fds[i], POLLIN, 0};
		if (poll(p, (nfds_t)np, 50) <= 0)
			continue;
		if ((p[0].revents & POLLIN) && nfd < 4) {
			int c = accept(ans.lfd, NULL, NULL);

			if (c >= 0)
				fds[nfd++] = c;
		}
		for (int i = 1; i < np; i++) {
			if (!(p[i].revents & (POLLIN | POLLHUP)))
				continue;
			if (read_request(p[i].fd, req, sizeof req) < 0) {
				close(p[i].fd);
				fds[i - 1] = -1;
			} else if (strncmp(req, "POST /v1/events ", 16) == 0) {
				answer_events(p[i].fd, req);
			} else if (strncmp(req, "GET ", 4) == 0) {
				answer(p[i].fd, "{}");
			} else if (strncmp(req, "POST /v1/heartbeat ", 19) == 0) {
				ans.more = 1; /* held: sync_stop cuts it short */
			}
		}
		for (int i = 0; i < nfd; i++) /* the closed ones out */
			if (fds[i] < 0)
				fds[i--] = fds[--nfd];
	}
	for (int i = 0; i < nfd; i++)
		close(fds[i]);
	return NULL;
}

static void test_back_online_then_stopped(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof a;
	struct sync_config sc;
	struct sync *y;
	char err[256], log[H_PATH];
	int saved, fd, down_seen = 0;
	int64_t end = h_mono_ms() + WAIT_MS;

	/* a store of its own, its COUPONS events pending */
	snprintf(db, sizeof db, "%s/back.db", base);
	CHECK_INT(make_store(), 0);
	memset(&ans, 0, sizeof ans);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ans.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	/* bound, not yet listening: a connection is refused, as with the server gone */
	CHECK(ans.lfd >= 0 && bind(ans.lfd, (struct sockaddr *)&a, sizeof a) == 0 &&
	      getsockname(ans.lfd, (struct sockaddr *)&a, &al) == 0);

	memset(&sc, 0, sizeof sc);
	config(&sc.api, "", "", secret);
	snprintf(sc.api.base_url, sizeof sc.api.base_url, "http://127.0.0.1:%d", ntohs(a.sin_port));
	sc.api.timeout_ms = 600000;
	sc.api.low_speed_time_s = 60;
	snprintf(sc.db_path, sizeof sc.db_path, "%s", db);
	sc.refresh_s = 3600;
	sc.heartbeat_s = 3600;
	sc.backoff_min_ms = 50;
	sc.backoff_max_ms = 200;
	sc.version = "test";
	snprintf(log, sizeof log, "%s/back.log", base);
	fflush(stderr);
	saved = dup(2);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0)
		dup2(fd, 2);
	y = sync_start(&sc, NULL, NULL, err, sizeof err);
	while (y && !(down_seen = h_count_lines(log, "cannot reach the central server") > 0) &&
	       h_mono_ms() < end)
		h_sleep_ms(10);
	/* the server is back */
	if (listen(ans.lfd, 4) == 0 && pthread_create(&ans.thread, NULL, answering_server, NULL) == 0) {
		while (y && !ans.more && h_mono_ms() < end) /* the heartbeat is under way */
			h_sleep_ms(10);
	} else {
		close(ans.lfd);
		ans.lfd = -1;
	}
	sync_stop(y);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	if (fd >= 0)
		close(fd);
	CHECK(y != NULL);
	CHECK(down_seen);
	CHECK(ans.lfd >= 0);
	CHECK(ans.answered);
	CHECK(ans.more);
	CHECK(has_line_in(log, "back online after"));
	CHECK(has_line_in(log, "abandoned (stopping)"));
	CHECK(h_pii_in_file(log) == NULL);
	{
		struct outbox *o = outbox_open(db, err, sizeof err);
		struct outbox_stats st;

		CHECK(o != NULL && outbox_stats_get(NULL, o, &st) == 0);
		if (o)
			CHECK_INT((long)st.pending, 0L); /* every event acknowledged */
		outbox_close(o);
	}
	if (ans.lfd >= 0) {
		ans.stop = 1;
		shutdown(ans.lfd, SHUT_RDWR);
		pthread_join(ans.thread, NULL);
		close(ans.lfd);
	}
}

int main(int argc, char **argv)
{
	char dir[H_DIR], other[H_DIR];
	struct h_sim ignore;
	int started;

	(void)argc;
	signal(SIGPIPE, SIG_IGN);
	if (h_init(argv[0]) < 0)
		return 1;
	h_load_pii();
	snprintf(base, sizeof base, "/tmp/recaudo-syncsec-XXXXXX");
	if (!mkdtemp(base))
		return 1;
	snprintf(dir, sizeof dir, "%s/central", base);
	snprintf(other, sizeof other, "%s/other", base);
	snprintf(db, sizeof db, "%s/kiosk.db", base);
	CHECK_INT(h_sim_prepare(&sim, dir, pin, sizeof pin), 0);
	/* another CA and server key: its CA did not sign ours, its pin is not our key's */
	CHECK_INT(h_sim_prepare(&ignore, other, other_pin, sizeof other_pin), 0);
	CHECK(strcmp(pin, other_pin) != 0);
	snprintf(ca, sizeof ca, "%s/ca.pem", dir);
	snprintf(other_ca, sizeof other_ca, "%s/ca.pem", other);
	h_key(secret, 1); /* what h_sim_prepare wrote for the device */
	sim.quiet = 0;    /* one line per request: how "no request" is seen */
	started = h_sim_start(&sim, 0) == 0;
	CHECK(started);
	CHECK_INT(make_store(), 0);
	check_outbox_unchanged("the new store");

	test_parser();
	if (started) {
		test_tls("pin-mismatch", ca, other_pin, "not the pinned one");
		test_tls("ca-mismatch", other_ca, "", "TLS:");
		test_tls("ca-mismatch-pinned", other_ca, pin, "TLS:");
		test_wrong_secret();
		test_clock_skew();
		test_bad_answer("truncate", "events: not valid JSON");
		test_bad_answer("malformed", "events: not valid JSON");
		test_bad_answer("wrong_content_type",
				"events: the answer is not JSON (Content-Type text/html");
		CHECK(server_stat("accepted") == COUPONS); /* the bad answers came after the commit */
		test_recovery();
		test_replay();
		test_replayed_answer();
		test_stop_abandons();
		test_back_online_then_stopped();
		CHECK_INT(h_sim_stop(&sim, SIGTERM), 0);
		{
			char log[H_PATH + 16];

			snprintf(log, sizeof log, "%s/sim.log", dir);
			CHECK(h_pii_in_file(log) == NULL);
		}
	}
	if (sim.pid > 0)
		h_sim_stop(&sim, SIGKILL);
	if (!getenv("SYNC_KEEP"))
		h_rm_rf(base);
	else
		fprintf(stderr, "test_sync_security: scratch kept in %s\n", base);
	h_free_pii();
	curl_global_cleanup();
	return check_done();
}
