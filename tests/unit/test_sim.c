/* test_sim — the central simulator (tools/central-sim) as a black box: started as a child on
 * 127.0.0.1 port 0 with run-time certificates, called over HTTPS with a pinned key and
 * signed requests (offline/sign.c) through libcurl, and stopped. Covers every /v1 endpoint
 * of docs/api/contract.md, the 401s, the 413, each fault switch, reproducible fault runs,
 * /admin/stats and deduplication across a restart. */
#include <curl/curl.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "tmpdir.h"
#include "coupon.h"
#include "sign.h"

#define DEMO "assets/demo/portfolio.json"
#define DEMO_CUSTOMERS 37

static char tmpdir[64], simbin[512], port_file[128], url[64], pin[128];
static uint8_t secret1[32], secret2[32], qr1[32], qr2[32];
static pid_t sim_pid;
static CURL *curl;
static int fresh_next;    /* the next request on a new connection */
static long timeout_next; /* the next request's timeout, ms (0: the default) */

struct resp {
	long status;
	char body[1 << 16];
	size_t len;
	char ctype[64];
	char retry_after[16];
	char date[64];
	CURLcode rc;
	double seconds;
};

static void remove_tmpdir(void) { tmpdir_remove(tmpdir); }

static int write_file(const char *name, const void *data, size_t n)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", tmpdir, name);
	f = fopen(p, "wb");
	if (!f)
		return -1;
	fwrite(data, 1, n, f);
	return fclose(f);
}

/* Runs argv to completion; its exit status, or -1. */
static int run(char *const argv[], int quiet)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (quiet) {
			int fd = open("/dev/null", O_WRONLY);

			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int start_sim(void)
{
	char cert[128], key[128], db[128], dev1[256], dev2[256];
	struct timespec pause = {0, 20 * 1000000L};
	FILE *f;
	unsigned port = 0;

	snprintf(cert, sizeof cert, "%s/server.pem", tmpdir);
	snprintf(key, sizeof key, "%s/server.key", tmpdir);
	snprintf(db, sizeof db, "%s/central.db", tmpdir);
	snprintf(dev1, sizeof dev1, "K0001:%s/s1:%s/q1", tmpdir, tmpdir);
	snprintf(dev2, sizeof dev2, "kiosk-b:%s/s2:%s/q2:2", tmpdir, tmpdir);
	unlink(port_file);
	sim_pid = fork();
	if (sim_pid == 0) {
		char *argv[] = {simbin,     "--listen", "127.0.0.1:0", "--tls",   cert,       key,
				"--db",     db,         "--seed",      DEMO,      "--device", dev1,
				"--device", dev2,       "--port-file", port_file, "--quiet",  "--seed-rng",
				"7",        NULL};

		execv(simbin, argv);
		_exit(127);
	}
	if (sim_pid < 0)
		return -1;
	for (int i = 0; i < 1000; i++) { /* 20 s: valgrind and ASan are slow */
		int status;

		if (waitpid(sim_pid, &status, WNOHANG) == sim_pid) {
			sim_pid = 0;
			return -1;
		}
		f = fopen(port_file, "r");
		if (f) {
			int ok = fscanf(f, "%u", &port) == 1;

			fclose(f);
			if (ok && port > 0 && port < 65536) {
				snprintf(url, sizeof url, "https://127.0.0.1:%u", port);
				return 0;
			}
		}
		nanosleep(&pause, NULL);
	}
	return -1;
}

/* SIGTERM, then the exit status (0 = a clean stop). */
static int stop_sim(void)
{
	int status;

	if (sim_pid <= 0)
		return -1;
	kill(sim_pid, SIGTERM);
	if (waitpid(sim_pid, &status, 0) != sim_pid)
		return -1;
	sim_pid = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static size_t on_body(char *p, size_t size, size_t n, void *user)
{
	struct resp *r = user;
	size_t len = size * n, room = sizeof r->body - 1 - r->len;

	memcpy(r->body + r->len, p, len < room ? len : room);
	r->len += len < room ? len : room;
	r->body[r->len] = '\0';
	return len;
}

static void header_value(const char *name, char *out, size_t n)
{
	struct curl_header *h = NULL;

	out[0] = '\0';
	if (curl_easy_header(curl, name, 0, CURLH_HEADER, -1, &h) == CURLHE_OK && h)
		snprintf(out, n, "%s", h->value);
}

struct call {
	const char *device; /* X-Device-Id; NULL: no auth headers */
	const uint8_t *secret;
	int64_t skew; /* added to the timestamp */
	int bad_sig;
};

/* One request; body may be NULL. Admin paths are sent unsigned. */
static void request(struct resp *r, const char *method, const char *pq, const char *body,
		    const struct call *c)
{
	struct curl_slist *h = NULL;
	char full[600], line[160], sig[SIGN_HEX_LEN + 1];
	size_t blen = body ? strlen(body) : 0;
	int64_t ts = (int64_t)time(NULL) + (c ? c->skew : 0);

	memset(r, 0, sizeof *r);
	snprintf(full, sizeof full, "%s%s", url, pq);
	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, full);
	snprintf(line, sizeof line, "%s/ca.pem", tmpdir);
	curl_easy_setopt(curl, CURLOPT_CAINFO, line);
	curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, pin);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_next ? timeout_next : 20000L);
	timeout_next = 0;
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, r);
	if (body) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)blen);
		h = curl_slist_append(h, "Content-Type: application/json");
	}
	if (c && c->device) {
		char rid[SIGN_REQUEST_ID_LEN + 1];

		sign_request_id(rid);
		sign_request(c->secret, 32, method, pq, ts, rid, body, blen, sig);
		if (c->bad_sig)
			sig[0] = sig[0] == '0' ? '1' : '0';
		snprintf(line, sizeof line, "X-Device-Id: %s", c->device);
		h = curl_slist_append(h, line);
		snprintf(line, sizeof line, "X-Timestamp: %lld", (long long)ts);
		h = curl_slist_append(h, line);
		snprintf(line, sizeof line, "X-Request-Id: %s", rid);
		h = curl_slist_append(h, line);
		snprintf(line, sizeof line, "X-Signature: %s", sig);
		h = curl_slist_append(h, line);
	}
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	if (fresh_next) {
		curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
		fresh_next = 0;
	}
	r->rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME, &r->seconds);
	if (r->rc == CURLE_OK) {
		header_value("Content-Type", r->ctype, sizeof r->ctype);
		header_value("Retry-After", r->retry_after, sizeof r->retry_after);
		header_value("Date", r->date, sizeof r->date);
	}
	curl_slist_free_all(h);
}

static const struct call K1 = {"K0001", secret1, 0, 0};
static const struct call K2 = {"kiosk-b", secret2, 0, 0};

static cJSON *json(const struct resp *r)
{
	return cJSON_ParseWithLength(r->body, r->len);
}

static const char *jstr(const cJSON *o, const char *k)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static double jnum(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static int jtrue(const cJSON *o, const char *k)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, k));
}

/* The error code of a JSON error answer ("" if none). */
static void check_error(const struct resp *r, long status, const char *code)
{
	cJSON *j = json(r);
	const char *e = jstr(j, "error");

	CHECK_INT(r->status, status);
	CHECK_STR(e ? e : "", code);
	CHECK_STR(r->ctype, "application/json");
	cJSON_Delete(j);
}

static void admin_faults(const char *body)
{
	struct resp r;

	request(&r, "POST", "/admin/faults", body, NULL);
	CHECK_INT(r.status, 200);
}

/* A coupon.issued event for kiosk/cseq paying one COP document in full. */
static void coupon_event(char *out, size_t n, const char *key, int seq, uint32_t kiosk, int cseq,
			 int64_t amount)
{
	char ref[32];

	reference_build(ref, sizeof ref, kiosk, (uint64_t)cseq, 16);
	snprintf(out, n,
		 "{\"key\":\"%s\",\"seq\":%d,\"type\":\"coupon.issued\",\"at\":\"2026-11-22T10:00:00-05:00\","
		 "\"payload\":{\"kiosk_id\":%u,\"seq\":%d,\"reference\":\"%s\",\"kind\":\"coupon\","
		 "\"id_type\":\"CC\",\"id_number\":\"1020304050\",\"amount_minor\":%lld,\"currency\":\"COP\","
		 "\"due\":\"2026-11-25\",\"issued_at\":\"2026-11-22T10:00:00-05:00\",\"trm\":null,"
		 "\"lines\":[{\"doc\":\"VID-4471203-1126\",\"pay_minor\":%lld,\"currency\":\"COP\","
		 "\"cop_minor\":%lld}]}}",
		 key, seq, kiosk, cseq, ref, (long long)amount, (long long)amount, (long long)amount);
}

static void key_for(char *out, int i)
{
	snprintf(out, 37, "00000000-0000-4000-8000-%012d", i);
}

/* Sends one batch; the statuses joined by ',' into out. */
static void send_batch(const struct call *c, const char *events, char *out, size_t n)
{
	static char body[1 << 15];
	struct resp r;
	const cJSON *res;
	cJSON *j;

	out[0] = '\0';
	snprintf(body, sizeof body, "{\"events\":[%s]}", events);
	request(&r, "POST", "/v1/events", body, c);
	if (r.status != 200)
		snprintf(out, n, "HTTP %ld", r.status);
	j = json(&r);
	cJSON_ArrayForEach(res, cJSON_GetObjectItemCaseSensitive(j, "results"))
	{
		const char *st = jstr(res, "status");

		snprintf(out + strlen(out), n - strlen(out), "%s%s", out[0] ? "," : "", st ? st : "?");
	}
	cJSON_Delete(j);
}

static void test_portfolio(void)
{
	struct resp r;
	cJSON *j;
	char cursor[32] = "", pq[128];
	int total = 0, pages = 0, more = 1;

	request(&r, "GET", "/v1/debts?id_type=CC&id_number=1020304050", NULL, &K1);
	CHECK_INT(r.status, 200);
	CHECK_STR(r.ctype, "application/json");
	CHECK(strlen(r.date) > 20 && strstr(r.date, "GMT") != NULL);
	j = json(&r);
	CHECK_STR(jstr(cJSON_GetObjectItemCaseSensitive(j, "customer"), "id_number"), "1020304050");
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "documents")), 3);
	CHECK(jstr(j, "as_of") && strlen(jstr(j, "as_of")) == 20);
	CHECK(jnum(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "documents"), 0), "balance") ==
	      18540000);
	cJSON_Delete(j);

	request(&r, "GET", "/v1/debts?id_type=NIT&id_number=900123456", NULL, &K1);
	CHECK_INT(r.status, 200);
	CHECK(strstr(r.body, "\"currency\":\"USD\"") != NULL);
	request(&r, "GET", "/v1/debts?id_type=CC&id_number=99999999", NULL, &K1);
	check_error(&r, 404, "not_found");
	request(&r, "GET", "/v1/debts?id_type=XX&id_number=1", NULL, &K1);
	check_error(&r, 400, "bad_request");

	request(&r, "GET", "/v1/trm", NULL, &K2);
	CHECK_INT(r.status, 200);
	CHECK(strstr(r.body,
		     "{\"cop_per_usd\":\"4012.35\",\"valid_from\":\"2026-11-20\",\"valid_to\":\"2027-12-31\"}") !=
	      NULL);

	while (more && pages < 10) {
		snprintf(pq, sizeof pq, "/v1/portfolio/changes?cursor=%s&limit=10", cursor);
		request(&r, "GET", pq, NULL, &K1);
		CHECK_INT(r.status, 200);
		j = json(&r);
		total += cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "customers"));
		more = jtrue(j, "more");
		snprintf(cursor, sizeof cursor, "%s", jstr(j, "cursor") ? jstr(j, "cursor") : "");
		cJSON_Delete(j);
		pages++;
	}
	CHECK_INT(total, DEMO_CUSTOMERS);
	CHECK_INT(pages, 4);
	snprintf(pq, sizeof pq, "/v1/portfolio/changes?cursor=%s", cursor);
	request(&r, "GET", pq, NULL, &K1);
	j = json(&r);
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "customers")), 0);
	CHECK_STR(jstr(j, "cursor"), cursor);
	cJSON_Delete(j);
	request(&r, "GET", "/v1/portfolio/changes?limit=1001", NULL, &K1);
	check_error(&r, 400, "bad_request");
	request(&r, "GET", "/v1/portfolio/changes?cursor=abc", NULL, &K1);
	check_error(&r, 400, "bad_request");

	/* a re-import makes every customer in the file a change after the old cursor */
	snprintf(pq, sizeof pq, "{\"file\":\"%s\"}", DEMO);
	request(&r, "POST", "/admin/portfolio", pq, NULL);
	CHECK_INT(r.status, 200);
	if (r.status != 200)
		fprintf(stderr, "%s\n", r.body);
	snprintf(pq, sizeof pq, "/v1/portfolio/changes?cursor=%s&limit=1000", cursor);
	request(&r, "GET", pq, NULL, &K1);
	j = json(&r);
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "customers")), DEMO_CUSTOMERS);
	CHECK(!jtrue(j, "more"));
	cJSON_Delete(j);
}

static void test_auth(void)
{
	struct call c = K1;
	struct resp r;
	static char big[5 * 1024 * 1024];

	c.bad_sig = 1;
	request(&r, "GET", "/v1/trm", NULL, &c);
	check_error(&r, 401, "bad_signature");
	c = K1;
	c.secret = secret2; /* another device's secret */
	request(&r, "GET", "/v1/trm", NULL, &c);
	check_error(&r, 401, "bad_signature");
	c = K1;
	c.skew = -301;
	request(&r, "GET", "/v1/trm", NULL, &c);
	check_error(&r, 401, "clock_skew");
	c.skew = 290;
	request(&r, "GET", "/v1/trm", NULL, &c);
	CHECK_INT(r.status, 200);
	c = K1;
	c.device = "K0099";
	request(&r, "GET", "/v1/trm", NULL, &c);
	check_error(&r, 401, "unknown_device");
	request(&r, "GET", "/v1/trm", NULL, NULL);
	check_error(&r, 401, "unknown_device");
	request(&r, "POST", "/v1/trm", "{}", &K1);
	check_error(&r, 405, "method_not_allowed");
	request(&r, "GET", "/v1/nothing", NULL, &K1);
	check_error(&r, 404, "not_found");

	memset(big, ' ', sizeof big - 1);
	big[0] = '{';
	big[sizeof big - 2] = '}';
	request(&r, "POST", "/v1/events", big, &K1);
	check_error(&r, 413, "too_large");
	request(&r, "POST", "/v1/events", "{\"events\":[]}", &K1);
	check_error(&r, 400, "bad_request");
	request(&r, "POST", "/v1/events", "not json", &K1);
	check_error(&r, 400, "bad_request");
}

static void test_events(void)
{
	static char batch[1 << 14];
	char ev[4][1024], k[4][40], got[256];
	struct resp r;
	cJSON *j;

	for (int i = 0; i < 4; i++)
		key_for(k[i], i + 1);
	coupon_event(ev[0], sizeof ev[0], k[0], 1, 1, 1, 18540000);
	coupon_event(ev[1], sizeof ev[1], k[1], 2, 1, 2, 9640000);
	coupon_event(ev[2], sizeof ev[2], k[2], 3, 1, 4, 0); /* amount 0 */
	coupon_event(ev[3], sizeof ev[3], k[3], 4, 1, 4, 5000000);
	snprintf(batch, sizeof batch,
		 "%s,%s,%s,%s,{\"key\":\"not-a-key\",\"seq\":5,\"type\":\"coupon.issued\"},"
		 "{\"key\":\"00000000-0000-4000-8000-000000000099\",\"seq\":6,\"type\":\"thing.happened\","
		 "\"at\":\"2026-11-22T10:00:00Z\",\"payload\":{}}",
		 ev[0], ev[1], ev[2], ev[3]);
	send_batch(&K1, batch, got, sizeof got);
	CHECK_STR(got, "accepted,accepted,rejected,accepted,rejected,rejected");

	/* the reasons name the field */
	snprintf(batch, sizeof batch, "{\"events\":[%s]}", ev[2]);
	request(&r, "POST", "/v1/events", batch, &K1);
	j = json(&r);
	CHECK_STR(jstr(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "results"), 0), "reason"),
		  "payload.amount_minor: must be greater than 0");
	cJSON_Delete(j);

	/* a retry is all duplicates and changes nothing */
	snprintf(batch, sizeof batch, "%s,%s,%s", ev[0], ev[1], ev[3]);
	send_batch(&K1, batch, got, sizeof got);
	CHECK_STR(got, "duplicate,duplicate,duplicate");
	/* the same key twice in one batch */
	coupon_event(ev[0], sizeof ev[0], "00000000-0000-4000-8000-000000000010", 7, 1, 6, 100000);
	snprintf(batch, sizeof batch, "%s,%s", ev[0], ev[0]);
	send_batch(&K1, batch, got, sizeof got);
	CHECK_STR(got, "accepted,duplicate");
	/* the same coupon under another key; a kiosk's coupon from another device */
	coupon_event(ev[0], sizeof ev[0], "00000000-0000-4000-8000-000000000011", 8, 1, 1, 18540000);
	coupon_event(ev[1], sizeof ev[1], "00000000-0000-4000-8000-000000000012", 1, 1, 9, 100000);
	send_batch(&K1, ev[0], got, sizeof got);
	CHECK_STR(got, "rejected");
	send_batch(&K2, ev[1], got, sizeof got);
	CHECK_STR(got, "rejected");

	request(&r, "POST", "/v1/heartbeat",
		"{\"queue_depth\":3,\"oldest_unsynced_s\":40,\"dead_letters\":0,\"printer\":\"paper_out\","
		"\"printer_job\":\"incomplete\",\"printer_detail\":\"paper end\",\"data_as_of\":\"2026-11-21T18:00:00-05:00\",\"version\":\"1.0.0\"}",
		&K1);
	CHECK_INT(r.status, 200);
	j = json(&r);
	CHECK(jtrue(j, "ok") && jstr(j, "server_time") != NULL);
	cJSON_Delete(j);
	request(&r, "POST", "/v1/heartbeat", "{\"queue_depth\":3}", &K1);
	check_error(&r, 400, "bad_request");
	/* the printer's last job and its detail are optional strings */
	request(&r, "POST", "/v1/heartbeat",
		"{\"queue_depth\":0,\"oldest_unsynced_s\":0,\"dead_letters\":0,\"printer\":\"paper_out\","
		"\"printer_job\":5,\"version\":\"1.0.0\"}",
		&K1);
	check_error(&r, 400, "bad_request");
	request(&r, "POST", "/v1/heartbeat",
		"{\"queue_depth\":0,\"oldest_unsynced_s\":0,\"dead_letters\":0,\"printer\":\"paper_out\","
		"\"printer_detail\":\"0123456789012345678901234567890123456789012345678901234567890123456789"
		"0123456789012345678901234567890123456789012345678901234567890123456789"
		"0123456789012345678901234567890123456789012345678901234567890123456789\",\"version\":\"1.0.0\"}",
		&K1);
	check_error(&r, 400, "bad_request");
}

static void verify(const char *qr, struct resp *r)
{
	char body[512];

	snprintf(body, sizeof body, "{\"qr\":\"%s\"}", qr);
	request(r, "POST", "/v1/coupons/verify", body, &K2);
}

static void test_verify(void)
{
	struct coupon c;
	char qr[300];
	struct resp r;
	cJSON *j;

	memset(&c, 0, sizeof c);
	c.kiosk_id = 1;
	c.seq = 2;
	reference_build(c.reference, sizeof c.reference, 1, 2, 16);
	c.amount = (struct money){9640000, CUR_COP};
	c.due = 20261125;
	coupon_qr_payload(qr, sizeof qr, &c, qr1, sizeof qr1);
	verify(qr, &r);
	CHECK_INT(r.status, 200);
	j = json(&r);
	CHECK(jtrue(j, "valid") && jtrue(j, "known"));
	CHECK(jnum(j, "kiosk_id") == 1 && jnum(j, "seq") == 2 && jnum(j, "amount_minor") == 9640000);
	CHECK_STR(jstr(j, "reference"), c.reference);
	cJSON_Delete(j);
	/* received: 1, 2, 4, 6 -> missing 3 and 5 */
	CHECK(strstr(r.body, "\"gaps\":[[3,3],[5,5]]") != NULL);

	c.seq = 3;
	reference_build(c.reference, sizeof c.reference, 1, 3, 16);
	coupon_qr_payload(qr, sizeof qr, &c, qr1, sizeof qr1);
	verify(qr, &r);
	j = json(&r);
	CHECK(jtrue(j, "valid") && !jtrue(j, "known"));
	cJSON_Delete(j);

	coupon_qr_payload(qr, sizeof qr, &c, qr2, sizeof qr2); /* signed with kiosk 2's key */
	verify(qr, &r);
	CHECK_INT(r.status, 200);
	CHECK(strstr(r.body, "\"valid\":false") != NULL);

	c.kiosk_id = 2;
	reference_build(c.reference, sizeof c.reference, 2, 3, 16);
	coupon_qr_payload(qr, sizeof qr, &c, qr2, sizeof qr2);
	verify(qr, &r);
	CHECK(strstr(r.body, "\"valid\":true") && strstr(r.body, "\"known\":false,\"gaps\":[]"));

	c.kiosk_id = 3; /* no such kiosk */
	reference_build(c.reference, sizeof c.reference, 3, 3, 16);
	coupon_qr_payload(qr, sizeof qr, &c, qr2, sizeof qr2);
	verify(qr, &r);
	CHECK(strstr(r.body, "\"valid\":false") != NULL);
	verify("RCP1|garbage", &r);
	CHECK(strstr(r.body, "\"valid\":false") != NULL);
}

static void test_faults(void)
{
	char ev[1024], body[1200], got[64], pattern[2][41];
	struct call c = K1;
	struct resp r;
	cJSON *j;

	admin_faults("{\"error_rate\":1,\"retry_after\":3}");
	request(&r, "GET", "/v1/trm", NULL, &K1);
	check_error(&r, 503, "unavailable");
	CHECK_STR(r.retry_after, "3");
	admin_faults("{\"error_status\":429}");
	request(&r, "GET", "/v1/trm", NULL, &K1);
	check_error(&r, 429, "too_many_requests");

	/* committed, then the connection closes: the retry is a duplicate */
	admin_faults("{\"reset\":true,\"drop_after_commit\":1}");
	coupon_event(ev, sizeof ev, "00000000-0000-4000-8000-000000000020", 9, 1, 7, 100000);
	snprintf(body, sizeof body, "{\"events\":[%s]}", ev);
	/* on a reused connection libcurl would itself resend once after the drop (and get the
	 * duplicate, dropped again): a fresh connection keeps the counts exact */
	fresh_next = 1;
	request(&r, "POST", "/v1/events", body, &K1);
	CHECK_INT(r.rc, CURLE_GOT_NOTHING);
	request(&r, "GET", "/v1/trm", NULL, &K1); /* drop only hits committed batches */
	CHECK_INT(r.status, 200);
	admin_faults("{\"reset\":true}");
	send_batch(&K1, ev, got, sizeof got);
	CHECK_STR(got, "duplicate");

	admin_faults("{\"truncate\":1}");
	request(&r, "GET", "/v1/trm", NULL, &K1);
	CHECK_INT(r.status, 200);
	CHECK_INT(r.len, 161 / 2);
	j = json(&r);
	CHECK(j == NULL);
	cJSON_Delete(j);
	admin_faults("{\"reset\":true,\"malformed\":1}");
	request(&r, "GET", "/v1/trm", NULL, &K1);
	CHECK_INT(r.status, 200);
	CHECK_INT(r.len, 161);
	j = json(&r);
	CHECK(j == NULL);
	cJSON_Delete(j);
	admin_faults("{\"reset\":true,\"wrong_content_type\":1}");
	request(&r, "GET", "/v1/trm", NULL, &K1);
	CHECK(strncmp(r.ctype, "text/html", 9) == 0);
	admin_faults("{\"reset\":true,\"trickle_ms\":10,\"latency_ms\":50}");
	request(&r, "GET", "/v1/trm", NULL, &K1);
	CHECK_INT(r.len, 161);
	CHECK(r.seconds >= 0.05 + 0.09); /* 161 bytes in 16-byte chunks, 10 ms apart */

	/* the server's clock is 400 s ahead: a kiosk on the right time is refused, and one that
	 * follows the server's Date is accepted */
	admin_faults("{\"reset\":true,\"clock_offset\":400}");
	request(&r, "GET", "/v1/trm", NULL, &K1);
	check_error(&r, 401, "clock_skew");
	c.skew = 400;
	request(&r, "GET", "/v1/trm", NULL, &c);
	CHECK_INT(r.status, 200);

	/* the same seed gives the same faults for the same requests */
	for (int run = 0; run < 2; run++) {
		admin_faults("{\"reset\":true,\"error_rate\":0.5,\"seed_rng\":42}");
		for (int i = 0; i < 40; i++) {
			request(&r, "GET", "/v1/trm", NULL, &K1);
			pattern[run][i] = r.status == 200 ? '.' : 'E';
		}
		pattern[run][40] = '\0';
	}
	CHECK_STR(pattern[1], pattern[0]);
	CHECK(strchr(pattern[0], '.') && strchr(pattern[0], 'E'));
	admin_faults("{\"reset\":true}");

	request(&r, "POST", "/admin/faults", "{\"error_rate\":2}", NULL);
	check_error(&r, 400, "bad_request");
	request(&r, "POST", "/admin/faults", "{\"nonsense\":1}", NULL);
	check_error(&r, 400, "bad_request");
}

/* Exactly one record per event: the coupons announced, each once, with the counters. */
static void test_stats(void)
{
	struct resp r;
	cJSON *j, *dev;
	const cJSON *cp;
	char list[256] = "";

	request(&r, "GET", "/admin/stats", NULL, NULL);
	CHECK_INT(r.status, 200);
	j = json(&r);
	cJSON_ArrayForEach(cp, cJSON_GetObjectItemCaseSensitive(j, "coupons"))
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%g:%g", list[0] ? "," : "",
			 jnum(cp, "kiosk_id"), jnum(cp, "seq"));
	CHECK_STR(list, "1:1,1:2,1:4,1:6,1:7");
	CHECK(jnum(j, "accepted") == 5);
	dev = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "devices"), 0);
	CHECK_STR(jstr(dev, "device_id"), "K0001");
	CHECK(jnum(dev, "events") == 5 && jnum(dev, "heartbeats") == 1);
	{ /* the heartbeat as the kiosk sent it: the job cut short is not folded into paper_out */
		const cJSON *hb = cJSON_GetObjectItemCaseSensitive(dev, "last_heartbeat");
		CHECK_STR(jstr(hb, "printer"), "paper_out");
		CHECK_STR(jstr(hb, "printer_job"), "incomplete");
		CHECK_STR(jstr(hb, "printer_detail"), "paper end");
	}
	CHECK_INT(jnum(dev, "duplicates"), 5);
	CHECK(jnum(j, "rejected") == 6);
	cJSON_Delete(j);
}

/* maintenance.action events (issue 9): stored once, listed by /admin/stats; the heartbeat's
 * optional audit_head. */
static void test_maintenance(void)
{
	static const char head[] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
	char ev[1024], got[64];
	struct resp r;
	cJSON *j;
	const cJSON *m;

	snprintf(ev, sizeof ev,
		 "{\"key\":\"00000000-0000-4000-8000-000000000901\",\"seq\":50,\"type\":\"maintenance.action\","
		 "\"at\":\"2026-11-22T10:00:00Z\",\"payload\":{\"action\":\"pin.wrong\",\"result\":\"refused\","
		 "\"detail\":\"tries_left=4\",\"at\":\"2026-11-22T10:00:00Z\",\"audit_seq\":3,\"hash\":\"%s\"}}",
		 head);
	send_batch(&K1, ev, got, sizeof got);
	CHECK_STR(got, "accepted");
	send_batch(&K1, ev, got, sizeof got);
	CHECK_STR(got, "duplicate");
	/* a hash that is not one, a missing audit_seq */
	snprintf(ev, sizeof ev,
		 "{\"key\":\"00000000-0000-4000-8000-000000000902\",\"seq\":51,\"type\":\"maintenance.action\","
		 "\"at\":\"2026-11-22T10:00:00Z\",\"payload\":{\"action\":\"pin.wrong\",\"result\":\"refused\","
		 "\"detail\":\"\",\"at\":\"2026-11-22T10:00:00Z\",\"audit_seq\":4,\"hash\":\"ABC\"}},"
		 "{\"key\":\"00000000-0000-4000-8000-000000000903\",\"seq\":52,\"type\":\"maintenance.action\","
		 "\"at\":\"2026-11-22T10:00:00Z\",\"payload\":{\"action\":\"pin.wrong\",\"result\":\"refused\","
		 "\"detail\":\"\",\"at\":\"2026-11-22T10:00:00Z\",\"hash\":\"%s\"}}",
		 head);
	send_batch(&K1, ev, got, sizeof got);
	CHECK_STR(got, "rejected,rejected");
	/* the heartbeat's audit_head: 64 lowercase hex or nothing */
	snprintf(ev, sizeof ev,
		 "{\"queue_depth\":0,\"oldest_unsynced_s\":0,\"dead_letters\":0,\"printer\":\"ready\","
		 "\"version\":\"1.0.0\",\"audit_head\":\"%s\"}",
		 head);
	request(&r, "POST", "/v1/heartbeat", ev, &K1);
	CHECK_INT(r.status, 200);
	request(&r, "POST", "/v1/heartbeat",
		"{\"queue_depth\":0,\"oldest_unsynced_s\":0,\"dead_letters\":0,\"printer\":\"ready\","
		"\"version\":\"1.0.0\",\"audit_head\":\"9F86\"}",
		&K1);
	check_error(&r, 400, "bad_request");
	request(&r, "GET", "/admin/stats", NULL, NULL);
	CHECK_INT(r.status, 200);
	j = json(&r);
	CHECK(jnum(j, "maintenance_actions") == 1);
	m = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "maintenance"), 0);
	CHECK_STR(jstr(m, "device_id"), "K0001");
	CHECK(jnum(m, "audit_seq") == 3);
	CHECK_STR(jstr(m, "action"), "pin.wrong");
	CHECK_STR(jstr(m, "result"), "refused");
	{
		const cJSON *dev = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "devices"), 0);
		const cJSON *hb = cJSON_GetObjectItemCaseSensitive(dev, "last_heartbeat");

		CHECK_STR(jstr(hb, "audit_head"), head);
	}
	cJSON_Delete(j);
}

static void setup_keys(void)
{
	for (int i = 0; i < 32; i++) {
		secret1[i] = (uint8_t)(i + 1);
		secret2[i] = (uint8_t)(0xa0 + i);
		qr1[i] = (uint8_t)(0x40 ^ i);
		qr2[i] = (uint8_t)(0x77 ^ (i * 3));
	}
	write_file("s1", secret1, 32);
	write_file("s2", secret2, 32);
	write_file("q1", qr1, 32);
	write_file("q2", qr2, 32);
}

static int read_pin(void)
{
	char p[128];
	FILE *f;
	int ok;

	snprintf(p, sizeof p, "%s/pin.txt", tmpdir);
	f = fopen(p, "r");
	if (!f)
		return -1;
	ok = fgets(pin, sizeof pin, f) != NULL;
	fclose(f);
	pin[strcspn(pin, "\n")] = '\0';
	return ok && strncmp(pin, "sha256//", 8) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	char *slash, gen[] = "tools/gen-cert.sh";
	struct resp r;
	int started;

	(void)argc;
	/* the simulator next to this binary's build directory: build/tests/test_sim -> build/ */
	snprintf(simbin, sizeof simbin, "%s", argv[0]);
	slash = strrchr(simbin, '/');
	if (slash)
		*slash = '\0';
	slash = strrchr(simbin, '/');
	if (slash)
		snprintf(slash, sizeof simbin - (size_t)(slash - simbin), "/central-sim");
	else
		snprintf(simbin, sizeof simbin, "central-sim");
	if (access(simbin, X_OK) != 0) {
		fprintf(stderr, "test_sim: %s not built\n", simbin);
		return 1;
	}
	snprintf(tmpdir, sizeof tmpdir, "/tmp/recaudo-sim-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	snprintf(port_file, sizeof port_file, "%s/port", tmpdir);
	{
		char *argv_gen[] = {"sh", gen, tmpdir, NULL};

		CHECK_INT(run(argv_gen, 1), 0);
	}
	CHECK_INT(read_pin(), 0);
	setup_keys();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	curl = curl_easy_init();

	/* only the loopback address is accepted (the other arguments are good) */
	{
		static const char *const bad[] = {"0.0.0.0:0", "127.0.0.2:0", "localhost:0", "[::1]:0",
						  "127.0.0.1:65536"};
		char db[128], dev[256];

		snprintf(db, sizeof db, "%s/refused.db", tmpdir);
		snprintf(dev, sizeof dev, "K0001:%s/s1:%s/q1", tmpdir, tmpdir);
		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			char *argv_bad[] = {simbin, "--listen", (char *)bad[i], "--db", db, "--device",
					    dev,    NULL};

			CHECK_INT(run(argv_bad, 1), 2);
		}
		CHECK(access(db, F_OK) != 0); /* refused before anything was created */
	}

	started = start_sim() == 0;
	CHECK(started);
	if (started) {
		test_portfolio();
		test_auth();
		test_events();
		test_verify();
		test_faults();
		test_stats();
		CHECK_INT(stop_sim(), 0);

		/* a restart keeps every key: dedupe is forever, and the seed is not imported twice */
		CHECK_INT(start_sim(), 0);
		{
			char ev[1024], got[64];

			coupon_event(ev, sizeof ev, "00000000-0000-4000-8000-000000000001", 1, 1, 1,
				     18540000);
			send_batch(&K1, ev, got, sizeof got);
			CHECK_STR(got, "duplicate");
		}
		request(&r, "GET", "/admin/stats", NULL, NULL);
		CHECK(strstr(r.body, "\"accepted\":5") != NULL);
		CHECK(strstr(r.body, "\"maintenance_actions\":0") != NULL);
		test_maintenance();

		/* a request stuck in a long injected delay does not hold up a clean stop */
		admin_faults("{\"latency_ms\":60000}");
		timeout_next = 300;
		request(&r, "GET", "/v1/trm", NULL, &K1);
		CHECK_INT(r.rc, CURLE_OPERATION_TIMEDOUT);
		{
			time_t t0 = time(NULL);

			CHECK_INT(stop_sim(), 0);
			CHECK(time(NULL) - t0 < 10);
		}
	}
	if (sim_pid > 0)
		stop_sim();
	curl_easy_cleanup(curl);
	curl_global_cleanup();
	remove_tmpdir();
	return check_done();
}
