/* test_api — the central API client: request signing (known vectors), the strict response
 * parsers on literal bodies (good, malformed, truncated, mismatched), the request bodies,
 * and the transport against a tiny HTTP server on 127.0.0.1 in this process (status
 * mapping, content type, size cap, Retry-After, keep-alive, signatures, store imports). */
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api_internal.h"
#include "check.h"
#include "money_limits.h"
#include "tmpdir.h"
#include "money_limits.h"
#include "outbox.h"
#include "sign.h"
#include "store.h"
#include "sync.h"
#include "sync_internal.h"

/* A literal and its length, for the parsers that take (body, len). */
#define S(lit) lit, strlen(lit)
#define SECRET "0123456789abcdef0123456789abcdef" /* 32 ASCII bytes: openssl -hmac can use it */
#define RID "00112233445566778899aabbccddeeff" /* a request id */
#define AS_OF_TEXT "2026-11-21T18:00:00-05:00"
#define AS_OF 1795302000 /* the same instant */

static char tmpdir[64];

/* ---- sign ---- */

/* The wait after failed rounds: within [min, cap], cap doubling up to max, spread (jitter),
 * never under Retry-After. */
static void test_backoff(void)
{
	static const struct {
		int failures;
		int64_t cap;
	} want[] = {{1, 100}, {2, 200}, {3, 400}, {4, 800}, {5, 1000}, {30, 1000}};

	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
		int64_t lo = INT64_MAX, hi = 0;
		int bad = 0;

		for (int i = 0; i < 400; i++) {
			int64_t d = sync_backoff_ms(100, 1000, want[k].failures, 0);

			bad += d < 100 || d > want[k].cap;
			lo = d < lo ? d : lo;
			hi = d > hi ? d : hi;
		}
		if (bad)
			fprintf(stderr, "backoff after %d failures: %d waits outside [100, %" PRId64 "]\n",
				want[k].failures, bad, want[k].cap);
		CHECK_INT(bad, 0);
		/* 400 draws of a uniform range leave no wide gap at either end */
		if (want[k].cap > 100)
			CHECK(lo < 100 + (want[k].cap - 100) / 4 && hi > want[k].cap - (want[k].cap - 100) / 4);
	}
	CHECK(sync_backoff_ms(100, 1000, 1, 5) == 5000);   /* Retry-After over the range */
	CHECK(sync_backoff_ms(100, 1000, 30, 0) <= 1000);  /* no overflow of the doubling */
	CHECK(sync_backoff_ms(1000, 1000, 3, 0) == 1000);  /* min = max: no jitter to draw */
}

static void test_sign(void)
{
	const uint8_t *k = (const uint8_t *)SECRET;
	const char *body = "{\"events\":[]}";
	char hash[SIGN_HEX_LEN + 1], sig[SIGN_HEX_LEN + 1], bad[SIGN_HEX_LEN + 1];

	/* printf '%s' '{"events":[]}' | openssl dgst -sha256 */
	sign_body_hash(body, strlen(body), hash);
	CHECK_STR(hash, "24de1c4a19c43ad41b013f13dcd858c17b0daa7f33a53f19913e5b11366d1c2e");
	sign_body_hash(NULL, 0, hash);
	CHECK_STR(hash, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* printf 'POST\n/v1/events\n1795359600\n<RID>\n<hash>' | openssl dgst -sha256 -hmac SECRET */
	CHECK_INT(sign_request(k, 32, "POST", "/v1/events", 1795359600, RID, body, strlen(body), sig), 0);
	CHECK_STR(sig, "46b3bca73b28dfbc1ebd501210c19af6b0a80b4a1cd6afbc1a6084fa13024de8");
	CHECK_INT(sign_request(k, 32, "GET", "/v1/debts?id_type=CC&id_number=1020304050", 1795359600, RID, NULL, 0,
			       sig),
		  0);
	CHECK_STR(sig, "4b9c230163529e4e14635dc8bfe632a355b0ad206d7a303f155285a64791558c");
	CHECK_INT(sign_request(NULL, 32, "GET", "/", 1, RID, NULL, 0, sig), -1);
	CHECK_INT(sign_request(k, 0, "GET", "/", 1, RID, NULL, 0, sig), -1);
	/* the request id: 32 lowercase hex digits, part of what is signed */
	CHECK_INT(sign_request(k, 32, "GET", "/", 1, NULL, NULL, 0, sig), -1);
	CHECK_INT(sign_request(k, 32, "GET", "/", 1, "00112233445566778899AABBCCDDEEFF", NULL, 0, sig), -1);
	CHECK_INT(sign_request(k, 32, "GET", "/", 1, "00112233", NULL, 0, sig), -1);
	{
		char id1[SIGN_REQUEST_ID_LEN + 1], id2[SIGN_REQUEST_ID_LEN + 1], s1[SIGN_HEX_LEN + 1];

		CHECK_INT(sign_request_id(id1), 0);
		CHECK_INT(sign_request_id(id2), 0);
		CHECK(sign_request_id_ok(id1) && sign_request_id_ok(id2));
		CHECK(strcmp(id1, id2) != 0);
		CHECK_INT(sign_request(k, 32, "POST", "/v1/events", 1795359600, id1, body, strlen(body), s1), 0);
		CHECK_INT(sign_request(k, 32, "POST", "/v1/events", 1795359600, id2, body, strlen(body), sig), 0);
		CHECK(strcmp(s1, sig) != 0);
		CHECK_INT(sign_verify(k, 32, "POST", "/v1/events", 1795359600, id1, 1795359600, body, strlen(body),
				      s1),
			  0);
		CHECK_INT(sign_verify(k, 32, "POST", "/v1/events", 1795359600, id2, 1795359600, body, strlen(body),
				      s1),
			  -1);
	}

	/* verify: within 300 s either way, bad signatures, wrong request */
	sign_request(k, 32, "POST", "/v1/events", 1795359600, RID, body, strlen(body), sig);
	CHECK_INT(sign_verify(k, 32, "POST", "/v1/events", 1795359600, RID, 1795359600, body, strlen(body), sig),
		  0);
	CHECK_INT(sign_verify(k, 32, "POST", "/v1/events", 1795359600, RID, 1795359900, body, strlen(body), sig),
		  0);
	CHECK_INT(sign_verify(k, 32, "POST", "/v1/events", 1795359600, RID, 1795359300, body, strlen(body), sig),
		  0);
	CHECK_INT(sign_verify(k, 32, "POST", "/v1/events", 1795359600, RID, 1795359901, body, strlen(body), sig),
		  -2);
	CHECK_INT(sign_verify(k, 32, "POST", "/v1/events", 1795359600, RID, 1795359299, body, strlen(body), sig),
		  -2);
	memcpy(bad, sig, sizeof bad);
	bad[10] = bad[10] == '0' ? '1' : '0';
	CHECK_INT(sign_verify(k, 32, "POST", "/v1/events", 1795359600, RID, 1795359600, body, strlen(body), bad),
		  -1);
	/* a bad signature is refused as such even when the clock is off too */
	CHECK_INT(sign_verify(k, 32, "POST", "/v1/events", 1795359600, RID, 1795369600, body, strlen(body), bad),
		  -1);
	CHECK_INT(
		sign_verify(k, 32, "POST", "/v1/events", 1795359600, RID, 1795359600, body, strlen(body) - 1, sig),
		-1);
	CHECK_INT(sign_verify(k, 32, "GET", "/v1/events", 1795359600, RID, 1795359600, body, strlen(body), sig),
		  -1);
	CHECK_INT(sign_verify(k, 32, "POST", "/v1/events", 1795359601, RID, 1795359600, body, strlen(body), sig),
		  -1);
	CHECK_INT(sign_verify(k, 32, "POST", "/v1/events", 1795359600, RID, 1795359600, body, strlen(body), "abc"),
		  -1);
	CHECK_INT(sign_verify(k, 32, "POST", "/v1/events", 1795359600, RID, 1795359600, body, strlen(body), NULL),
		  -1);
	for (char *p = bad; *p; p++) /* upper case hex is not the signature */
		*p = (char)(*p >= 'a' && *p <= 'f' ? *p - 32 : *p);
	sign_request(k, 32, "POST", "/v1/events", 1795359600, RID, body, strlen(body), sig);
	for (int i = 0; i < SIGN_HEX_LEN; i++)
		bad[i] = (char)(sig[i] >= 'a' && sig[i] <= 'f' ? sig[i] - 32 : sig[i]);
	CHECK_INT(sign_verify(k, 32, "POST", "/v1/events", 1795359600, RID, 1795359600, body, strlen(body), bad),
		  -1);
}

/* ---- events ---- */

static const char *const KEYS[3] = {
	"0b6f1d2e-4c1a-4f3e-9a7b-1c2d3e4f5a6b",
	"1c7e2f3a-5d2b-4a4f-8b8c-2d3e4f5a6b7c",
	"2d8f3a4b-6e3c-4b5a-9c9d-3e4f5a6b7c8d",
};

static void mkevents(struct outbox_event ev[3])
{
	memset(ev, 0, 3 * sizeof *ev);
	for (int i = 0; i < 3; i++) {
		ev[i].seq = (uint64_t)i + 41;
		snprintf(ev[i].key, sizeof ev[i].key, "%s", KEYS[i]);
		snprintf(ev[i].type, sizeof ev[i].type, "coupon.issued");
		ev[i].at = 1795359600 + i;
		ev[i].payload = (char *)"{\"kiosk_id\":1,\"seq\":42,\"amount_minor\":9000000000000000}";
	}
}

static int events(const char *body, struct api_item_result r[3], char *err, size_t errn)
{
	struct outbox_event ev[3];

	mkevents(ev);
	return api_parse_events(body, strlen(body), ev, 3, r, err, errn);
}

#define R(k, st) "{\"key\":\"" k "\",\"status\":\"" st "\"}"
#define K0 "0b6f1d2e-4c1a-4f3e-9a7b-1c2d3e4f5a6b"
#define K1 "1c7e2f3a-5d2b-4a4f-8b8c-2d3e4f5a6b7c"
#define K2 "2d8f3a4b-6e3c-4b5a-9c9d-3e4f5a6b7c8d"
#define GOOD_EVENTS                                \
	"{\"results\":[" R(K0, "accepted") "," R(  \
		K1, "duplicate") ",{\"key\":\"" K2 \
				 "\",\"status\":\"rejected\",\"reason\":\"lines: unknown document\"}]}"

static void test_parse_events(void)
{
	struct api_item_result r[3];
	char err[256], buf[1024];
	struct outbox_event ev[3];
	size_t len = strlen(GOOD_EVENTS);

	CHECK_INT(events(GOOD_EVENTS, r, err, sizeof err), API_OK);
	CHECK_INT(r[0].status, API_ITEM_ACCEPTED);
	CHECK_INT(r[1].status, API_ITEM_DUPLICATE);
	CHECK_INT(r[2].status, API_ITEM_REJECTED);
	CHECK_STR(r[2].reason, "lines: unknown document");
	CHECK_STR(r[0].reason, "");
	CHECK_STR(err, "");
	/* whitespace around the value is fine; extra fields are ignored */
	CHECK_INT(
		events(" \n{\"results\":[" R(K0, "accepted") "," R(
			       K1,
			       "accepted") ","
					   "{\"key\":\"" K2
					   "\",\"status\":\"accepted\",\"reason\":null,\"x\":[1]}],\"v\":2}\r\n",
		       r, err, sizeof err),
		API_OK);
	CHECK_INT(r[2].status, API_ITEM_ACCEPTED);

	/* a rejection without a reason, one with control characters, one too long */
	CHECK_INT(events("{\"results\":[" R(K0, "rejected") "," R(
				 K1, "accepted") ","
						 "{\"key\":\"" K2
						 "\",\"status\":\"rejected\",\"reason\":\"a\\nb\\u0007c\"}]}",
			 r, err, sizeof err),
		  API_OK);
	CHECK_STR(r[0].reason, "rejected without a reason");
	CHECK_STR(r[2].reason, "a b c");
	{
		char body[1200];
		int n = snprintf(body, sizeof body,
				 "{\"results\":[" R(K0, "accepted") "," R(
					 K1, "accepted") ",{\"key\":\"" K2
							 "\",\"status\":\"rejected\",\"reason\":\"");
		for (int i = 0; i < 150; i++)
			n += snprintf(body + n, sizeof body - (size_t)n, "ñ"); /* 2 bytes each */
		snprintf(body + n, sizeof body - (size_t)n, "\"}]}");
		CHECK_INT(events(body, r, err, sizeof err), API_OK);
		CHECK_INT(strlen(r[2].reason), 198); /* whole characters only, < 200 bytes */
	}

	/* count, keys and order must match the batch */
	CHECK_INT(events("{\"results\":[" R(K0, "accepted") "," R(K1, "accepted") "]}", r, err, sizeof err),
		  API_ERR_PROTOCOL);
	CHECK(strstr(err, "2 items for a batch of 3") != NULL);
	CHECK_INT(events("{\"results\":[" R(K0, "accepted") "," R(K1, "accepted") "," R(K2, "accepted") "," R(
				 K2, "accepted") "]}",
			 r, err, sizeof err),
		  API_ERR_PROTOCOL);
	CHECK_INT(events("{\"results\":[]}", r, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_INT(events("{\"results\":[" R(K1, "accepted") "," R(K0, "accepted") "," R(K2, "accepted") "]}",
			 r, err, sizeof err),
		  API_ERR_PROTOCOL);
	CHECK(strstr(err, "results[0].key") != NULL);
	CHECK_INT(events("{\"results\":[" R(K0, "accepted") "," R(K1, "accepted") "," R(
				 "2d8f3a4b-6e3c-4b5a-9c9d-3e4f5a6b7c8e", "accepted") "]}",
			 r, err, sizeof err),
		  API_ERR_PROTOCOL);
	CHECK(strstr(err, "results[2].key") != NULL);
	/* nothing is reported on failure, even for the items before the bad one */
	CHECK_INT(r[0].status, 0);
	CHECK_STR(r[0].reason, "");

	/* types and values */
	CHECK_INT(events("{\"results\":[" R(K0, "accepted") "," R(K1, "ok") "," R(K2, "accepted") "]}", r,
			 err, sizeof err),
		  API_ERR_PROTOCOL);
	CHECK(strstr(err, "results[1].status") != NULL);
	CHECK_INT(events("{\"results\":[" R(K0, "Accepted") "," R(K1, "accepted") "," R(K2, "accepted") "]}",
			 r, err, sizeof err),
		  API_ERR_PROTOCOL);
	CHECK_INT(events("{\"results\":{\"0\":1}}", r, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_INT(events("{\"results\":[1,2,3]}", r, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_INT(events("{\"results\":[{\"key\":1,\"status\":\"accepted\"}," R(K1, "accepted") "," R(
				 K2, "accepted") "]}",
			 r, err, sizeof err),
		  API_ERR_PROTOCOL);
	CHECK_INT(events("{\"results\":[{\"key\":\"" K0
			 "\",\"status\":true}," R(K1, "accepted") "," R(K2, "accepted") "]}",
			 r, err, sizeof err),
		  API_ERR_PROTOCOL);
	CHECK_INT(events("{\"results\":[" R(K0, "accepted") "," R(
				 K1, "accepted") ","
						 "{\"key\":\"" K2
						 "\",\"status\":\"rejected\",\"reason\":42}]}",
			 r, err, sizeof err),
		  API_ERR_PROTOCOL);
	CHECK(strstr(err, "results[2].reason") != NULL);

	/* missing fields */
	CHECK_INT(events("{}", r, err, sizeof err), API_ERR_PROTOCOL);
	CHECK(strstr(err, "results: missing") != NULL);
	CHECK_INT(events("{\"results\":[{\"status\":\"accepted\"}," R(K1, "accepted") "," R(K2,
											    "accepted") "]}",
			 r, err, sizeof err),
		  API_ERR_PROTOCOL);
	CHECK(strstr(err, "results[0].key: missing") != NULL);
	CHECK_INT(events("{\"results\":[{\"key\":\"" K0 "\"}," R(K1, "accepted") "," R(K2, "accepted") "]}",
			 r, err, sizeof err),
		  API_ERR_PROTOCOL);

	/* not an object */
	CHECK_INT(events("[]", r, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_INT(events("\"results\"", r, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_INT(events("null", r, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_INT(events("3", r, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_INT(events("", r, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_INT(events("<html>502 Bad Gateway</html>", r, err, sizeof err), API_ERR_PROTOCOL);

	/* junk after the value */
	CHECK_INT(events(GOOD_EVENTS "x", r, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_INT(events(GOOD_EVENTS "{}", r, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_INT(events(GOOD_EVENTS GOOD_EVENTS, r, err, sizeof err), API_ERR_PROTOCOL);

	/* every truncation of a good body fails */
	mkevents(ev);
	{
		int all = 1;

		for (size_t n = 0; n < len; n++) {
			char *cut = malloc(n ? n : 1); /* exactly n bytes: ASan sees a read past them */

			memcpy(cut, GOOD_EVENTS, n);
			if (api_parse_events(cut, n, ev, 3, r, err, sizeof err) != API_ERR_PROTOCOL)
				all = 0;
			free(cut);
		}
		CHECK(all);
	}
	/* the length is respected: a good prefix of a longer buffer parses */
	snprintf(buf, sizeof buf, "%sTRAILING GARBAGE", GOOD_EVENTS);
	CHECK_INT(api_parse_events(buf, len, ev, 3, r, err, sizeof err), API_OK);
	CHECK_INT(api_parse_events(buf, len + 1, ev, 3, r, err, sizeof err), API_ERR_PROTOCOL);
	/* a NUL inside the body */
	memcpy(buf, GOOD_EVENTS, len);
	buf[5] = '\0';
	CHECK_INT(api_parse_events(buf, len, ev, 3, r, err, sizeof err), API_ERR_PROTOCOL);
	CHECK(strstr(err, "NUL") != NULL);
	/* batch size */
	CHECK_INT(api_parse_events(GOOD_EVENTS, len, ev, 0, r, err, sizeof err), API_ERR_PROTOCOL);
	/* deep nesting is refused, not a crash */
	{
		char *deep = malloc(20001);

		memset(deep, '[', 10000);
		memset(deep + 10000, ']', 10000);
		CHECK_INT(api_parse_events(deep, 20000, ev, 3, r, err, sizeof err), API_ERR_PROTOCOL);
		free(deep);
	}
}

static void test_events_body(void)
{
	struct outbox_event ev[3];
	char why[200];
	size_t len;
	char *body;
	cJSON *root, *arr, *e;

	mkevents(ev);
	for (int i = 0; i < 3; i++)
		CHECK_INT(api_event_check(&ev[i], why, sizeof why), 0);
	body = api_events_body(ev, 2, &len);
	CHECK(body != NULL);
	if (!body)
		return;
	CHECK_INT(len, strlen(body));
	CHECK_STR(body,
		  "{\"events\":[{\"key\":\"" K0 "\",\"seq\":41,\"type\":\"coupon.issued\","
		  "\"at\":\"2026-11-22T15:00:00Z\",\"payload\":{\"kiosk_id\":1,\"seq\":42,"
		  "\"amount_minor\":9000000000000000}},{\"key\":\"" K1 "\",\"seq\":42,"
		  "\"type\":\"coupon.issued\",\"at\":\"2026-11-22T15:00:01Z\",\"payload\":{\"kiosk_id\":1,"
		  "\"seq\":42,\"amount_minor\":9000000000000000}}]}");
	root = cJSON_Parse(body);
	arr = cJSON_GetObjectItem(root, "events");
	CHECK_INT(cJSON_GetArraySize(arr), 2);
	e = cJSON_GetArrayItem(arr, 1);
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(e, "key")), K1);
	cJSON_Delete(root);
	free(body);

	/* what can never be sent */
	ev[0].key[0] = 'G';
	CHECK_INT(api_event_check(&ev[0], why, sizeof why), -1);
	CHECK(strstr(why, "not sent") != NULL);
	mkevents(ev);
	ev[0].key[8] = 'a';
	CHECK_INT(api_event_check(&ev[0], why, sizeof why), -1);
	mkevents(ev);
	ev[0].payload = (char *)"{\"a\":1";
	CHECK_INT(api_event_check(&ev[0], why, sizeof why), -1);
	CHECK(strstr(why, "payload") != NULL);
	ev[0].payload = (char *)"[1]";
	CHECK_INT(api_event_check(&ev[0], why, sizeof why), -1);
	ev[0].payload = (char *)"{} {}";
	CHECK_INT(api_event_check(&ev[0], why, sizeof why), -1);
	ev[0].payload = NULL;
	CHECK_INT(api_event_check(&ev[0], why, sizeof why), -1);
	mkevents(ev);
	snprintf(ev[0].type, sizeof ev[0].type, "coupon\"issued");
	CHECK_INT(api_event_check(&ev[0], why, sizeof why), -1);
	mkevents(ev);
	ev[0].seq = 0;
	CHECK_INT(api_event_check(&ev[0], why, sizeof why), -1);
	mkevents(ev);
	ev[0].at = 0;
	CHECK_INT(api_event_check(&ev[0], why, sizeof why), -1);

	/* heartbeat */
	{
		struct api_heartbeat hb = {3, 120, 1, "paper_out", AS_OF, "1.2.3", NULL, NULL, NULL, NULL, 0, 0};

		body = api_heartbeat_body(&hb, &len);
		CHECK_STR(body, "{\"queue_depth\":3,\"oldest_unsynced_s\":120,\"dead_letters\":1,"
				"\"printer\":\"paper_out\",\"data_as_of\":\"2026-11-21T23:00:00Z\","
				"\"version\":\"1.2.3\"}");
		free(body);
		hb.data_as_of = 0;
		hb.printer = "a\"b";
		body = api_heartbeat_body(&hb, &len);
		CHECK(body && strstr(body, "data_as_of") == NULL && strstr(body, "\"a\\\"b\"") != NULL);
		free(body);
		/* a job cut short: the state, the job's outcome and the detail, each as it is */
		hb.printer = "paper_out";
		hb.printer_job = "incomplete";
		hb.printer_detail = "paper near end; paper end";
		body = api_heartbeat_body(&hb, &len);
		CHECK_STR(body, "{\"queue_depth\":3,\"oldest_unsynced_s\":120,\"dead_letters\":1,"
				"\"printer\":\"paper_out\",\"printer_job\":\"incomplete\","
				"\"printer_detail\":\"paper near end; paper end\",\"version\":\"1.2.3\"}");
		free(body);
		hb.printer_detail = ""; /* nothing to say: left out */
		body = api_heartbeat_body(&hb, &len);
		CHECK(body && strstr(body, "printer_detail") == NULL && strstr(body, "\"printer_job\"") != NULL);
		free(body);
		/* the audit chain's head, when the kiosk has one */
		hb.audit_head = "";
		body = api_heartbeat_body(&hb, &len);
		CHECK(body && strstr(body, "audit_head") == NULL);
		free(body);
		hb.audit_head = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
		body = api_heartbeat_body(&hb, &len);
		CHECK(body && strstr(body, ",\"audit_head\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"") != NULL);
		free(body);
		/* an update held back by money events (offline/store_update.h); none: left out */
		CHECK(strstr(body = api_heartbeat_body(&hb, &len), "update") == NULL);
		free(body);
		hb.update_version = "1.4.0";
		hb.update_since = 1795359600;
		hb.update_money_events = 2;
		body = api_heartbeat_body(&hb, &len);
		CHECK(body && strstr(body, ",\"update\":{\"state\":\"waiting\",\"version\":\"1.4.0\","
					   "\"since\":1795359600,\"money_events\":2}}") != NULL);
		free(body);
	}
}

/* ---- debts ---- */

#define DOC(num, cur, due, inv, bal, extra)                                              \
	"{\"number\":\"" num "\",\"line\":\"Seguro de vida\",\"description\":\"Cuota\"," \
	"\"currency\":\"" cur "\",\"due\":\"" due "\",\"invoice\":" inv ",\"balance\":" bal extra "}"
#define CUST(type, num) \
	"\"customer\":{\"id_type\":\"" type "\",\"id_number\":\"" num "\",\"name\":\"María Núñez\"}"
#define DEBTS(docs) "{" CUST("CC", "1020304050") ",\"documents\":[" docs "],\"as_of\":\"" AS_OF_TEXT "\"}"

static int debts(const char *body, struct portfolio *p, char *err, size_t errn)
{
	return api_parse_debts(body, strlen(body), p, err, errn);
}

/* A rejected debts body: protocol error, nothing allocated, and the message keeps the
 * customer's number and name out. */
static int debts_bad(const char *body, const char *want_in_err)
{
	struct portfolio p;
	char err[256];
	int ok = debts(body, &p, err, sizeof err) == API_ERR_PROTOCOL && p.docs == NULL && p.ndocs == 0 &&
		 strstr(err, "1020304050") == NULL && strstr(err, "María") == NULL &&
		 strstr(err, "900123456") == NULL && (!want_in_err || strstr(err, want_in_err));

	if (!ok)
		fprintf(stderr, "debts_bad: err = \"%s\"\n", err);
	return ok;
}

static void test_parse_debts(void)
{
	struct portfolio p;
	char err[256];

	CHECK_INT(
		debts(DEBTS(DOC("B-2", "COP", "2026-11-30", "125000000", "125000000", ",\"partial\":true,\"min_partial\":5000000") "," DOC(
			      "A-1", "COP", "2026-11-15", "18540000", "18540000",
			      ",\"partial\":false") "," DOC("A-0", "USD", "2026-11-30", "245050", "245001",
							    "")),
		      &p, err, sizeof err),
		API_OK);
	CHECK_INT(p.id_type, ID_CC);
	CHECK_STR(p.id_number, "1020304050");
	CHECK_STR(p.name, "María Núñez");
	CHECK_INT(p.data_as_of, AS_OF);
	CHECK_INT(p.ndocs, 3);
	if (p.ndocs == 3) {
		/* by due date, then number: the store's order */
		CHECK_STR(p.docs[0].number, "A-1");
		CHECK_STR(p.docs[1].number, "A-0");
		CHECK_STR(p.docs[2].number, "B-2");
		CHECK_INT(p.docs[0].due, 20261115);
		CHECK_INT(p.docs[1].cur, CUR_USD);
		CHECK_INT(p.docs[1].balance, 245001);
		CHECK_INT(p.docs[1].invoice, 245050);
		CHECK_INT(p.docs[2].partial_ok, 1);
		CHECK_INT(p.docs[2].min_partial, 5000000);
		CHECK_STR(p.docs[2].line, "Seguro de vida");
	}
	portfolio_free(&p);

	/* no documents; a NIT with its check digit becomes the base */
	CHECK_INT(
		debts("{" CUST("nit", "900123456-8") ",\"documents\":[],\"as_of\":\"2026-11-21T23:00:00Z\"}",
		      &p, err, sizeof err),
		API_OK);
	CHECK_INT(p.id_type, ID_NIT);
	CHECK_STR(p.id_number, "900123456");
	CHECK_INT(p.ndocs, 0);
	CHECK(p.docs == NULL);
	CHECK_INT(p.data_as_of, AS_OF);
	portfolio_free(&p);
	/* the largest amounts one coupon carries (money_limits.h), in each currency */
	CHECK_INT(debts(DEBTS(DOC("A", "COP", "2026-11-30", "999999999999900", "999999999999900", "")), &p,
			err, sizeof err),
		  API_OK);
	CHECK_INT(p.docs ? p.docs[0].balance : 0, MONEY_MAX_COP_MINOR);
	portfolio_free(&p);
	CHECK_INT(debts(DEBTS(DOC("A", "USD", "2026-11-30", "999999999", "999999999", "")), &p, err,
			sizeof err),
		  API_OK);
	CHECK_INT(p.docs ? p.docs[0].balance : 0, MONEY_MAX_USD_CENTS);
	portfolio_free(&p);
	/* one more is refused: no coupon, QR or barcode could carry it */
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-11-30", "1000000000000000", "1000000000000000", "")),
			"invoice: must be at most 999999999999900 minor units (the most one coupon can carry)"));
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-11-30", "999999999999900", "1000000000000000", "")),
			"balance: must be at most 999999999999900 minor units"));
	CHECK(debts_bad(DEBTS(DOC("A", "USD", "2026-11-30", "1000000000", "1000000000", "")),
			"balance: must be at most 999999999 minor units (USD 9,999,999.99"));
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-11-30", "9000000000000000", "100", "")), "invoice"));
	/* a minimum above the balance is the balance: the customer can always pay the balance */
	CHECK_INT(debts(DEBTS(DOC("A", "COP", "2026-11-30", "1000", "1000",
				  ",\"partial\":true,\"min_partial\":2000")),
			&p, err, sizeof err),
		  API_OK);
	CHECK_INT(p.docs ? p.docs[0].min_partial : 0, 1000);
	portfolio_free(&p);

	/* amounts: huge, negative, fractional, not numbers */
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-11-30", "9000000000000100", "100", "")), "invoice"));
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-11-30", "1e400", "100", "")), "invoice"));
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-11-30", "100", "-100", "")), "balance"));
	CHECK(debts_bad(DEBTS(DOC("A", "USD", "2026-11-30", "100", "99.5", "")), "balance"));
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-11-30", "100", "\"100\"", "")), "balance"));
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-11-30", "100", "null", "")), "balance"));
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-11-30", "100", "0", "")), "balance"));
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-11-30",
				  "123456789012345678901234567890123456789012345678901234567890123456789",
				  "100", "")),
			"invoice"));
	/* the store's document rules */
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-11-30", "100", "200", "")), "invoice"));
	CHECK(debts_bad(DEBTS(DOC("A", "EUR", "2026-11-30", "100", "100", "")), "currency"));
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-02-30", "100", "100", "")), "due"));
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "30/11/2026", "100", "100", "")), "due"));
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-11-30", "150", "150", "")), "whole pesos"));
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-11-30", "1000", "1000", ",\"partial\":true")),
			"min_partial"));
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-11-30", "1000", "1000", ",\"min_partial\":100")),
			"min_partial"));
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-11-30", "1000", "1000", ",\"partial\":1")), "partial"));
	CHECK(debts_bad(DEBTS(DOC("", "COP", "2026-11-30", "100", "100", "")), "number: is empty"));
	CHECK(debts_bad(
		DEBTS(DOC("0123456789012345678901234567890123", "COP", "2026-11-30", "100", "100", "")),
		"number: longer"));
	CHECK(debts_bad(DEBTS(DOC("A\\u0001", "COP", "2026-11-30", "100", "100", "")), "number"));
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-11-30", "100", "100",
				  "") "," DOC("A", "COP", "2026-12-30", "100", "100", "")),
			"same number"));
	CHECK(debts_bad(DEBTS("{\"number\":\"A\"}"), "documents[0].line: missing"));
	CHECK(debts_bad(DEBTS("[]"), "documents[0]"));
	/* the customer */
	CHECK(debts_bad("{" CUST("XX", "1020304050") ",\"documents\":[],\"as_of\":\"" AS_OF_TEXT "\"}",
			"id_type"));
	CHECK(debts_bad("{" CUST("CC", "10203040501234") ",\"documents\":[],\"as_of\":\"" AS_OF_TEXT "\"}",
			"id_number"));
	CHECK(debts_bad("{" CUST("NIT", "900123456-7") ",\"documents\":[],\"as_of\":\"" AS_OF_TEXT "\"}",
			"check digit"));
	CHECK(debts_bad("{" CUST("CC", "10203abc") ",\"documents\":[],\"as_of\":\"" AS_OF_TEXT "\"}",
			"id_number"));
	CHECK(debts_bad("{\"customer\":{\"id_type\":\"CC\",\"id_number\":\"1020304050\",\"name\":\"\"},"
			"\"documents\":[],\"as_of\":\"" AS_OF_TEXT "\"}",
			"name: is empty"));
	CHECK(debts_bad("{\"customer\":{\"id_type\":\"CC\",\"id_number\":1020304050,\"name\":\"X\"},"
			"\"documents\":[],\"as_of\":\"" AS_OF_TEXT "\"}",
			"id_number: must be a string"));
	CHECK(debts_bad("{\"customer\":[],\"documents\":[],\"as_of\":\"" AS_OF_TEXT "\"}", "customer"));
	CHECK(debts_bad("{\"documents\":[],\"as_of\":\"" AS_OF_TEXT "\"}", "customer: missing"));
	/* the rest of the top level */
	CHECK(debts_bad("{" CUST("CC", "1020304050") ",\"documents\":[]}", "as_of: missing"));
	CHECK(debts_bad("{" CUST("CC", "1020304050") ",\"documents\":[],\"as_of\":\"2026-11-21T18:00:00\"}",
			"as_of"));
	CHECK(debts_bad("{" CUST("CC", "1020304050") ",\"documents\":[],\"as_of\":1795302000}", "as_of"));
	CHECK(debts_bad("{" CUST("CC", "1020304050") ",\"documents\":{},\"as_of\":\"" AS_OF_TEXT "\"}",
			"documents: must be an array"));
	CHECK(debts_bad("{" CUST("CC", "1020304050") ",\"as_of\":\"" AS_OF_TEXT "\"}", "documents: missing"));
	CHECK(debts_bad("[" DEBTS("") "]", "not a JSON object"));
	CHECK(debts_bad(DEBTS("") " junk", "not valid JSON"));
	CHECK(debts_bad(DEBTS(DOC("A", "COP", "2026-11-30", "100", "100", "")) "\n\n,", "not valid JSON"));
	{
		const char *good = DEBTS(DOC("A", "COP", "2026-11-30", "100", "100", ""));
		size_t len = strlen(good);
		int all = 1;

		for (size_t n = 0; n < len; n++) {
			char *cut = malloc(n ? n : 1);

			memcpy(cut, good, n);
			if (api_parse_debts(cut, n, &p, err, sizeof err) != API_ERR_PROTOCOL || p.docs)
				all = 0;
			free(cut);
		}
		CHECK(all);
		CHECK_INT(api_parse_debts(good, len, &p, err, sizeof err), API_OK);
		portfolio_free(&p);
	}
}

/* ---- changes, TRM, heartbeat, error bodies, headers ---- */

struct counting {
	int customers, documents, trms, refuse_at; /* refuse the refuse_at-th record (1-based) */
	int begins, refuse_begin;
	char last_number[24];
};

static int count_customer(void *user, enum id_type t, const char *number, const char *name)
{
	struct counting *c = user;

	(void)t;
	(void)name;
	snprintf(c->last_number, sizeof c->last_number, "%s", number);
	return ++c->customers == c->refuse_at ? -2 : 0;
}

static int count_document(void *user, const struct document *d)
{
	struct counting *c = user;

	(void)d;
	c->documents++;
	return 0;
}

static int count_trm(void *user, const struct trm *t)
{
	struct counting *c = user;

	(void)t;
	return ++c->trms == c->refuse_at ? -2 : 0;
}

static int count_begin(void *user)
{
	struct counting *c = user;

	c->begins++;
	return c->refuse_begin ? -1 : 0;
}

static const struct api_sink counting_sink = {count_customer, count_document, count_trm, count_begin};

#define PAGE(cursor, more, custs) \
	"{\"cursor\":\"" cursor "\",\"more\":" more ",\"as_of\":\"" AS_OF_TEXT "\",\"customers\":[" custs "]}"
#define PCUST(type, num, docs)                                                                             \
	"{\"id_type\":\"" type "\",\"id_number\":\"" num "\",\"name\":\"Luz Marina\",\"documents\":[" docs \
	"]}"

static int changes(const char *body, struct counting *c, struct api_page *pg, char *err, size_t errn)
{
	memset(c, 0, sizeof *c);
	return api_parse_changes(body, strlen(body), &counting_sink, c, pg, err, errn);
}

static void test_parse_changes_trm(void)
{
	struct counting c;
	struct api_page pg;
	char err[256], code[40];
	int64_t t;
	int n;

	CHECK_INT(changes(PAGE("c-42", "true",
			       PCUST("CC", "52123456", "") "," PCUST(
				       "NIT", "900123456-8",
				       DOC("A", "USD", "2026-12-05", "245000", "245000",
					   "") "," DOC("B", "COP", "2026-12-05", "100", "100", ""))),
			  &c, &pg, err, sizeof err),
		  API_OK);
	CHECK_STR(pg.cursor, "c-42");
	CHECK_INT(pg.more, 1);
	CHECK_INT(pg.as_of, AS_OF);
	CHECK_INT(pg.customers, 2);
	CHECK_INT(pg.documents, 2);
	CHECK_INT(c.customers, 2);
	CHECK_INT(c.documents, 2);
	CHECK_STR(c.last_number, "900123456");
	CHECK_INT(changes(PAGE("", "false", ""), &c, &pg, err, sizeof err), API_OK);
	CHECK_INT(pg.more, 0);
	CHECK_INT(api_parse_changes(PAGE("x", "false", PCUST("CC", "52123456", "")), 60, NULL, NULL, &pg, err,
				    sizeof err),
		  API_ERR_PROTOCOL); /* truncated, without a sink */
	/* top level first: nothing reaches the sink */
	CHECK_INT(changes(PAGE("", "true", PCUST("CC", "52123456", "")), &c, &pg, err, sizeof err),
		  API_ERR_PROTOCOL);
	CHECK(strstr(err, "cursor") != NULL);
	CHECK_INT(c.customers, 0);
	CHECK_INT(changes(PAGE("a b", "false", ""), &c, &pg, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_INT(changes(PAGE("c", "1", ""), &c, &pg, err, sizeof err), API_ERR_PROTOCOL);
	CHECK(strstr(err, "more") != NULL);
	CHECK_INT(changes("{\"cursor\":7,\"more\":false,\"as_of\":\"" AS_OF_TEXT "\",\"customers\":[]}", &c,
			  &pg, err, sizeof err),
		  API_ERR_PROTOCOL);
	CHECK_INT(changes("{\"cursor\":\"c\",\"more\":false,\"customers\":[]}", &c, &pg, err, sizeof err),
		  API_ERR_PROTOCOL);
	/* a bad record stops the page; the sink's refusal is reported with its path */
	CHECK_INT(changes(PAGE("c", "false",
			       PCUST("CC", "52123456", "") "," PCUST(
				       "CC", "52123456", DOC("A", "COP", "2026-12-05", "100", "-1", ""))),
			  &c, &pg, err, sizeof err),
		  API_ERR_PROTOCOL);
	CHECK(strstr(err, "customers[1].documents[0].balance") != NULL);
	memset(&c, 0, sizeof c);
	c.refuse_at = 2;
	CHECK_INT(api_parse_changes(
			  PAGE("c", "false", PCUST("CC", "52123456", "") "," PCUST("CC", "52123457", "")),
			  strlen(PAGE("c", "false",
				      PCUST("CC", "52123456", "") "," PCUST("CC", "52123457", ""))),
			  &counting_sink, &c, &pg, err, sizeof err),
		  API_ERR_PROTOCOL);
	CHECK_STR(err, "portfolio changes: customers[1]");
	CHECK(strstr(err, "52123457") == NULL);

	/* TRM */
	memset(&c, 0, sizeof c);
	CHECK_INT(
		api_parse_trm(
			S("{\"trm\":[{\"cop_per_usd\":\"4012.35\",\"valid_from\":\"2026-11-20\","
			  "\"valid_to\":\"2027-12-31\"},{\"cop_per_usd\":\"3987.1\",\"valid_from\":\"2026-11-13\","
			  "\"valid_to\":\"2026-11-19\"}]}"),
			&counting_sink, &c, &n, err, sizeof err),
		API_OK);
	CHECK_INT(n, 2);
	CHECK_INT(c.trms, 2);
	{
		static const char *const bad[] = {
			"{\"trm\":[{\"cop_per_usd\":4012.35,\"valid_from\":\"2026-11-20\",\"valid_to\":\"2026-11-21\"}]}",
			"{\"trm\":[{\"cop_per_usd\":\"4.012,35\",\"valid_from\":\"2026-11-20\",\"valid_to\":\"2026-11-21\"}]}",
			"{\"trm\":[{\"cop_per_usd\":\"0.00\",\"valid_from\":\"2026-11-20\",\"valid_to\":\"2026-11-21\"}]}",
			"{\"trm\":[{\"cop_per_usd\":\"4012.351\",\"valid_from\":\"2026-11-20\",\"valid_to\":\"2026-11-21\"}]}",
			"{\"trm\":[{\"cop_per_usd\":\"99999999999999999999999\",\"valid_from\":\"2026-11-20\",\"valid_to\":\"2026-11-21\"}]}",
			"{\"trm\":[{\"cop_per_usd\":\"4012.35\",\"valid_from\":\"2026-11-20\",\"valid_to\":\"2026-11-19\"}]}",
			"{\"trm\":[{\"cop_per_usd\":\"4012.35\",\"valid_from\":\"2026-11-20\"}]}",
			"{\"trm\":{}}",
			"{\"trm\":[1]}",
			"{}",
		};
		int all = 1;

		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
			if (api_parse_trm(bad[i], strlen(bad[i]), NULL, NULL, &n, err, sizeof err) !=
			    API_ERR_PROTOCOL) {
				fprintf(stderr, "trm accepted: %s\n", bad[i]);
				all = 0;
			}
		CHECK(all);
	}

	/* heartbeat */
	CHECK_INT(api_parse_heartbeat(S("{\"ok\":true,\"server_time\":\"2026-11-22T10:00:00-05:00\"}"), &t,
				      err, sizeof err),
		  API_OK);
	CHECK_INT(t, 1795359600);
	CHECK_INT(api_parse_heartbeat(S("{\"ok\":true}"), &t, err, sizeof err), API_OK);
	CHECK_INT(t, 0);
	CHECK_INT(api_parse_heartbeat(S("{\"ok\":false}"), &t, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_INT(api_parse_heartbeat(S("{\"ok\":1}"), &t, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_INT(api_parse_heartbeat(S("{\"ok\":true,\"server_time\":5}"), &t, err, sizeof err),
		  API_ERR_PROTOCOL);

	/* error bodies */
	api_parse_error_code(S("{\"error\":\"clock_skew\"}"), code, sizeof code);
	CHECK_STR(code, "clock_skew");
	api_parse_error_code(S("{\"error\":\"Bad-Sig\\n<b>x</b>_1\"}"), code, sizeof code);
	CHECK_STR(code, "adigbxb_1");
	api_parse_error_code(S("<html>"), code, sizeof code);
	CHECK_STR(code, "");
	api_parse_error_code(S("{\"error\":7}"), code, sizeof code);
	CHECK_STR(code, "");
	api_parse_error_code(S("{\"error\":\"abcdefghij\"}"), code, 5);
	CHECK_STR(code, "abcd");

	/* headers */
	CHECK(api_content_type_ok("application/json"));
	CHECK(api_content_type_ok("Application/JSON; charset=UTF-8"));
	CHECK(api_content_type_ok("application/json;charset=\"utf-8\""));
	CHECK(api_content_type_ok("application/json; foo=bar"));
	CHECK(!api_content_type_ok("application/json; charset=latin1"));
	CHECK(!api_content_type_ok("application/jsonx"));
	CHECK(!api_content_type_ok("text/html"));
	CHECK(!api_content_type_ok("text/plain; x=application/json"));
	CHECK(!api_content_type_ok(""));
	CHECK(!api_content_type_ok(NULL));
	CHECK_INT(api_retry_after_parse("30", 0), 30);
	CHECK_INT(api_retry_after_parse(" 7 ", 0), 7);
	CHECK_INT(api_retry_after_parse("0", 0), 0);
	CHECK_INT(api_retry_after_parse("3601", 0), API_RETRY_AFTER_MAX);
	CHECK_INT(api_retry_after_parse("99999999999999999999999999", 0), API_RETRY_AFTER_MAX);
	CHECK_INT(api_retry_after_parse("-5", 0), 0);
	CHECK_INT(api_retry_after_parse("5s", 0), 0);
	CHECK_INT(api_retry_after_parse("", 0), 0);
	CHECK_INT(api_retry_after_parse("Sun, 22 Nov 2026 15:01:00 GMT", 1795359600), 60);
	CHECK_INT(api_retry_after_parse("Sun, 22 Nov 2026 14:00:00 GMT", 1795359600), 0);
	CHECK_INT(api_retry_after_parse("Sun, 22 Nov 2027 14:00:00 GMT", 1795359600), API_RETRY_AFTER_MAX);

	/* times */
	CHECK_INT(api_time_parse("2026-11-22T15:00:00Z", &t), 0);
	CHECK_INT(t, 1795359600);
	CHECK_INT(api_time_parse("2026-11-22T10:00:00.250-05:00", &t), 0);
	CHECK_INT(t, 1795359600);
	CHECK_INT(api_time_parse("2026-11-22T15:00:00", &t), -1);
	CHECK_INT(api_time_parse("2026-11-22 15:00:00Z", &t), -1);
	CHECK_INT(api_time_parse("2026-11-22T25:00:00Z", &t), -1);
	CHECK_INT(api_time_parse("1970-01-01T00:00:00Z", &t), -1);
	{
		char buf[32];

		CHECK_INT(api_time_format(1795359600, buf), 0);
		CHECK_STR(buf, "2026-11-22T15:00:00Z");
		CHECK_INT(api_time_format(0, buf), -1);
	}
}

/* ---- a tiny HTTP server on 127.0.0.1 for the transport ---- */

struct canned {
	int status;
	const char *ctype; /* NULL: no Content-Type header */
	const char *extra; /* more header lines, each ending in \r\n */
	const char *body;
	size_t body_len; /* 0: strlen(body) */
	int no_length;   /* no Content-Length: the body ends when the connection closes */
	int short_body;  /* announce 100 bytes more than sent, then close */
	int drop;        /* close without answering */
	int stall_ms;    /* wait this long before answering */
};

/* Auto mode (for the sync worker): answers by path; /v1/events accepts every key it is sent
 * (or rejects them all), after failing fail_events times with a 503. */
struct routes {
	int on;
	int fail_events;
	int reject_events;
	int events, events_ok, trm, changes, heartbeats; /* requests seen */
};

static struct {
	pthread_t thread;
	pthread_mutex_t mu;
	int lfd, port;
	struct canned c;
	struct routes auto_;
	int connections, requests;
	char method[8], path[512], dev[64], ts[32], rid[48], sig[80], ctype[80];
	char body[1 << 17];
	size_t body_len;
} srv = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void header_value(const char *head, const char *name, char *out, size_t n)
{
	size_t k = strlen(name);

	out[0] = '\0';
	for (const char *p = strstr(head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n"))
		if (strncasecmp(p + 2, name, k) == 0 && p[2 + k] == ':') {
			const char *v = p + 3 + k;
			size_t len;

			v += strspn(v, " ");
			len = strcspn(v, "\r\n");
			snprintf(out, n, "%.*s", (int)len, v);
			return;
		}
}

/* The auto-mode answer for the request just recorded (called under srv.mu). */
static void route(struct canned *c, char *events_body, size_t cap)
{
	struct routes *r = &srv.auto_;

	memset(c, 0, sizeof *c);
	c->status = 200;
	c->ctype = "application/json";
	if (strcmp(srv.path, "/v1/events") == 0) {
		cJSON *root = cJSON_Parse(srv.body), *e;
		size_t o = 0;

		r->events++;
		if (r->fail_events > 0) {
			r->fail_events--;
			c->status = 503;
			c->extra = "Retry-After: 0\r\n";
			c->body = "{\"error\":\"unavailable\"}";
			cJSON_Delete(root);
			return;
		}
		r->events_ok++;
		o += (size_t)snprintf(events_body + o, cap - o, "{\"results\":[");
		cJSON_ArrayForEach(e, cJSON_GetObjectItem(root, "events")) o += (size_t)snprintf(
			events_body + o, cap - o, "%s{\"key\":\"%s\",\"status\":\"%s\"%s}", o > 12 ? "," : "",
			cJSON_GetStringValue(cJSON_GetObjectItem(e, "key")),
			r->reject_events ? "rejected" : "accepted",
			r->reject_events ? ",\"reason\":\"payload.x: no\"" : "");
		snprintf(events_body + o, cap - o, "]}");
		cJSON_Delete(root);
		c->body = events_body;
	} else if (strcmp(srv.path, "/v1/trm") == 0) {
		r->trm++;
		c->body =
			"{\"trm\":[{\"cop_per_usd\":\"4012.35\",\"valid_from\":\"2026-11-20\",\"valid_to\":\"2027-12-31\"}]}";
	} else if (strncmp(srv.path, "/v1/portfolio/changes?", 22) == 0) {
		r->changes++;
		c->body = PAGE("after-1", "false", PCUST("CC", "52123456", ""));
	} else if (strcmp(srv.path, "/v1/heartbeat") == 0) {
		r->heartbeats++;
		c->body = "{\"ok\":true}";
	} else {
		c->status = 404;
		c->body = "{\"error\":\"no_route\"}";
	}
}

/* One request on fd; 0 to keep the connection, -1 to close it. */
static int serve_one(int fd)
{
	static char buf[1 << 17];
	size_t got = 0, need;
	char *end = NULL, clen[32];
	static char events_body[OUTBOX_BATCH_MAX * 128];
	struct canned c;
	char head[512], *body;
	size_t blen;
	int n;

	buf[0] = '\0';
	while (!(end = strstr(buf, "\r\n\r\n"))) {
		ssize_t r = recv(fd, buf + got, sizeof buf - got - 1, 0);

		if (r <= 0)
			return -1;
		got += (size_t)r;
		buf[got] = '\0';
	}
	*end = '\0';
	header_value(buf, "Content-Length", clen, sizeof clen);
	need = (size_t)(end + 4 - buf) + (size_t)strtoul(clen, NULL, 10);
	while (got < need) {
		ssize_t r = recv(fd, buf + got, sizeof buf - got - 1, 0);

		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	pthread_mutex_lock(&srv.mu);
	srv.requests++;
	sscanf(buf, "%7s %511s", srv.method, srv.path);
	header_value(buf, "X-Device-Id", srv.dev, sizeof srv.dev);
	header_value(buf, "X-Timestamp", srv.ts, sizeof srv.ts);
	header_value(buf, "X-Request-Id", srv.rid, sizeof srv.rid);
	header_value(buf, "X-Signature", srv.sig, sizeof srv.sig);
	header_value(buf, "Content-Type", srv.ctype, sizeof srv.ctype);
	srv.body_len = need - (size_t)(end + 4 - buf);
	if (srv.body_len >= sizeof srv.body)
		srv.body_len = sizeof srv.body - 1;
	memcpy(srv.body, end + 4, srv.body_len);
	srv.body[srv.body_len] = '\0';
	c = srv.c;
	if (srv.auto_.on)
		route(&c, events_body, sizeof events_body);
	/* our own copy: the test may change or free its body while this is still being sent */
	blen = c.body_len ? c.body_len : (c.body ? strlen(c.body) : 0);
	body = malloc(blen + 1);
	if (body && blen)
		memcpy(body, c.body, blen);
	pthread_mutex_unlock(&srv.mu);
	if (!body)
		return -1;

	if (c.stall_ms)
		poll(NULL, 0, c.stall_ms);
	if (c.drop) {
		free(body);
		return -1;
	}
	n = snprintf(head, sizeof head, "HTTP/1.1 %d X\r\n", c.status);
	if (c.ctype)
		n += snprintf(head + n, sizeof head - (size_t)n, "Content-Type: %s\r\n", c.ctype);
	if (!c.no_length)
		n += snprintf(head + n, sizeof head - (size_t)n, "Content-Length: %zu\r\n",
			      blen + (c.short_body ? 100 : 0));
	else
		n += snprintf(head + n, sizeof head - (size_t)n, "Connection: close\r\n");
	n += snprintf(head + n, sizeof head - (size_t)n, "%s\r\n", c.extra ? c.extra : "");
	send_all(fd, head, (size_t)n);
	send_all(fd, body, blen);
	free(body);
	return c.no_length || c.short_body ? -1 : 0;
}

static void *server(void *arg)
{
	(void)arg;
	for (;;) {
		int fd = accept(srv.lfd, NULL, NULL);

		if (fd < 0)
			return NULL;
		pthread_mutex_lock(&srv.mu);
		srv.connections++;
		pthread_mutex_unlock(&srv.mu);
		while (serve_one(fd) == 0)
			;
		close(fd);
	}
}

static int server_start(void)
{
	struct sockaddr_in a;
	socklen_t al = sizeof a;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	srv.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (srv.lfd < 0 || bind(srv.lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(srv.lfd, 4) != 0 ||
	    getsockname(srv.lfd, (struct sockaddr *)&a, &al) != 0)
		return -1;
	srv.port = ntohs(a.sin_port);
	return pthread_create(&srv.thread, NULL, server, NULL) == 0 ? 0 : -1;
}

static void server_stop(void)
{
	shutdown(srv.lfd, SHUT_RDWR);
	close(srv.lfd);
	pthread_join(srv.thread, NULL);
}

static void answer(int status, const char *ctype, const char *extra, const char *body)
{
	pthread_mutex_lock(&srv.mu);
	memset(&srv.c, 0, sizeof srv.c);
	srv.c.status = status;
	srv.c.ctype = ctype;
	srv.c.extra = extra;
	srv.c.body = body;
	pthread_mutex_unlock(&srv.mu);
}

static void answer_with(const struct canned *c)
{
	pthread_mutex_lock(&srv.mu);
	srv.c = *c;
	pthread_mutex_unlock(&srv.mu);
}

static int requests(void)
{
	int n;

	pthread_mutex_lock(&srv.mu);
	n = srv.requests;
	pthread_mutex_unlock(&srv.mu);
	return n;
}

/* The last request was signed right for its method, path and body. */
static int signed_ok(void)
{
	int64_t ts;
	int ok;

	pthread_mutex_lock(&srv.mu);
	ts = strtoll(srv.ts, NULL, 10);
	ok = strcmp(srv.dev, "K0001") == 0 &&
	     sign_verify((const uint8_t *)SECRET, 32, srv.method, srv.path, ts, srv.rid, (int64_t)time(NULL), srv.body,
			 srv.body_len, srv.sig) == 0;
	pthread_mutex_unlock(&srv.mu);
	return ok;
}

static void config(struct api_config *c, const char *path_prefix)
{
	memset(c, 0, sizeof *c);
	snprintf(c->base_url, sizeof c->base_url, "http://127.0.0.1:%d%s", srv.port, path_prefix);
	snprintf(c->device_id, sizeof c->device_id, "K0001");
	memcpy(c->secret, SECRET, 32);
	c->connect_timeout_ms = 1000;
	c->timeout_ms = 2000;
}

static void test_open_config(void)
{
	struct api_config c;
	struct api *a;
	char err[256];

	config(&c, "");
	a = api_open(&c, err, sizeof err);
	CHECK(a != NULL);
	api_close(a);
#define REFUSED(field_set, want)                   \
	do {                                       \
		config(&c, "");                    \
		field_set;                         \
		a = api_open(&c, err, sizeof err); \
		CHECK(a == NULL);                  \
		CHECK(strstr(err, want) != NULL);  \
		api_close(a);                      \
	} while (0)
	REFUSED(snprintf(c.base_url, sizeof c.base_url, "http://example.com"), "only allowed");
	REFUSED(snprintf(c.base_url, sizeof c.base_url, "http://127.0.0.1.example.com"), "only allowed");
	REFUSED(snprintf(c.base_url, sizeof c.base_url, "ftp://127.0.0.1"), "https://");
	REFUSED(snprintf(c.base_url, sizeof c.base_url, "https://central.example/"), "trailing slash");
	REFUSED(snprintf(c.base_url, sizeof c.base_url, "https://central.example/x?y=1"), "query");
	REFUSED(snprintf(c.base_url, sizeof c.base_url, "https://user@central.example"), "user");
	REFUSED(snprintf(c.base_url, sizeof c.base_url, "https://"), "no host");
	REFUSED(c.base_url[0] = '\0', "missing");
	REFUSED(snprintf(c.device_id, sizeof c.device_id, "K 1"), "device_id");
	REFUSED(c.device_id[0] = '\0', "device_id");
	REFUSED(memset(c.secret, 0, sizeof c.secret), "secret");
	REFUSED(snprintf(c.ca_file, sizeof c.ca_file, "%s/no-such-ca.pem", tmpdir), "ca_file");
	REFUSED(snprintf(c.pinned_key, sizeof c.pinned_key, "%s/no-such-key.pem", tmpdir), "pinned_key");
#undef REFUSED
	config(&c, "");
	snprintf(c.base_url, sizeof c.base_url, "https://central.example:8443/api");
	snprintf(c.pinned_key, sizeof c.pinned_key, "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
	a = api_open(&c, err, sizeof err);
	CHECK(a != NULL);
	api_close(a);
	config(&c, "");
	snprintf(c.base_url, sizeof c.base_url, "http://[::1]:9");
	a = api_open(&c, err, sizeof err);
	CHECK(a != NULL);
	api_close(a);
}

static const char *const JSON = "application/json";

static void test_transport(void)
{
	struct api_config c;
	struct api *a;
	struct api_heartbeat hb = {2, 30, 0, "ready", AS_OF, "test", "printed", "", NULL, NULL, 0, 0};
	struct outbox_event ev[3];
	struct api_item_result r[3];
	struct portfolio p;
	struct canned k;
	char err[256];
	int before;

	config(&c, "");
	a = api_open(&c, err, sizeof err);
	CHECK(a != NULL);
	if (!a)
		return;

	/* heartbeat: signed, JSON, server time */
	answer(200, JSON, "Date: Sun, 22 Nov 2026 15:00:00 GMT\r\n",
	       "{\"ok\":true,\"server_time\":\"2026-11-22T15:00:05Z\"}");
	CHECK_INT(api_heartbeat(a, &hb), API_OK);
	CHECK_INT(api_server_time(a), 1795359605);
	CHECK(signed_ok());
	CHECK_STR(srv.method, "POST");
	CHECK_STR(srv.path, "/v1/heartbeat");
	CHECK_STR(srv.ctype, "application/json");
	CHECK(strstr(srv.body, "\"queue_depth\":2") != NULL);
	answer(200, JSON, "Date: Sun, 22 Nov 2026 15:00:00 GMT\r\n", "{\"ok\":true}");
	CHECK_INT(api_heartbeat(a, &hb), API_OK);
	CHECK_INT(api_server_time(a), 1795359600);

	/* events */
	mkevents(ev);
	answer(200, "application/json; charset=utf-8", NULL, GOOD_EVENTS);
	CHECK_INT(api_events(a, ev, 3, r), API_OK);
	CHECK_INT(r[1].status, API_ITEM_DUPLICATE);
	CHECK_STR(r[2].reason, "lines: unknown document");
	CHECK(signed_ok());
	CHECK_STR(srv.path, "/v1/events");
	CHECK(strncmp(srv.body, "{\"events\":[{\"key\":\"" K0 "\"", 48) == 0);
	/* a broken event is answered locally and the rest goes */
	ev[1].payload = (char *)"{broken";
	answer(200, JSON, NULL, "{\"results\":[" R(K0, "accepted") "," R(K2, "accepted") "]}");
	CHECK_INT(api_events(a, ev, 3, r), API_OK);
	CHECK_INT(r[0].status, API_ITEM_ACCEPTED);
	CHECK_INT(r[1].status, API_ITEM_REJECTED);
	CHECK(strstr(r[1].reason, "not sent") != NULL);
	CHECK_INT(r[2].status, API_ITEM_ACCEPTED);
	CHECK(strstr(srv.body, K1) == NULL);
	/* nothing sendable: no request at all */
	before = requests();
	CHECK_INT(api_events(a, &ev[1], 1, r), API_OK);
	CHECK_INT(r[0].status, API_ITEM_REJECTED);
	CHECK_INT(requests(), before);
	/* an answer that does not match the batch changes nothing */
	mkevents(ev);
	answer(200, JSON, NULL, "{\"results\":[" R(K0, "accepted") "]}");
	CHECK_INT(api_events(a, ev, 3, r), API_ERR_PROTOCOL);
	CHECK(strstr(api_error(a), "1 items for a batch of 3") != NULL);
	CHECK_INT(r[0].status, 0);

	/* status mapping */
	answer(401, JSON, NULL, "{\"error\":\"clock_skew\"}");
	CHECK_INT(api_events(a, ev, 3, r), API_ERR_AUTH);
	CHECK(strstr(api_error(a), "clock_skew") != NULL);
	answer(401, JSON, "Date: Sun, 22 Nov 2026 15:00:00 GMT\r\n", "{\"error\":\"clock_skew\"}");
	CHECK_INT(api_heartbeat(a, &hb), API_ERR_AUTH);
	CHECK(strstr(api_error(a), "clock_skew") != NULL && strstr(api_error(a), "clock is") != NULL);
	answer(401, JSON, NULL, "{\"error\":\"bad_signature\"}");
	CHECK_INT(api_heartbeat(a, &hb), API_ERR_AUTH);
	CHECK(strstr(api_error(a), "bad_signature") != NULL);
	answer(401, "text/html", NULL, "<h1>no</h1>");
	CHECK_INT(api_heartbeat(a, &hb), API_ERR_AUTH);
	answer(503, JSON, "Retry-After: 30\r\n", "{\"error\":\"maintenance\"}");
	CHECK_INT(api_events(a, ev, 3, r), API_ERR_SERVER);
	CHECK_INT(api_retry_after(a), 30);
	CHECK(strstr(api_error(a), "503") != NULL);
	answer(429, NULL, "Retry-After: 86400\r\n", "");
	CHECK_INT(api_heartbeat(a, &hb), API_ERR_SERVER);
	CHECK_INT(api_retry_after(a), API_RETRY_AFTER_MAX);
	answer(500, "text/html", NULL, "<h1>oops</h1>");
	CHECK_INT(api_heartbeat(a, &hb), API_ERR_SERVER);
	CHECK_INT(api_retry_after(a), 0);
	answer(400, JSON, "Retry-After: 5\r\n", "{\"error\":\"bad_request\"}");
	CHECK_INT(api_heartbeat(a, &hb), API_ERR_PROTOCOL);
	CHECK_INT(api_retry_after(a), 0);
	answer(302, NULL, "Location: http://127.0.0.1:1/\r\n", "");
	CHECK_INT(api_heartbeat(a, &hb), API_ERR_PROTOCOL);
	answer(200, "text/html", NULL, "{\"ok\":true}");
	CHECK_INT(api_heartbeat(a, &hb), API_ERR_PROTOCOL);
	CHECK(strstr(api_error(a), "not JSON") != NULL);
	answer(200, NULL, NULL, "{\"ok\":true}");
	CHECK_INT(api_heartbeat(a, &hb), API_ERR_PROTOCOL);

	/* debts: found, not found, a 404 that is not the API's, another customer */
	answer(200, JSON, NULL, DEBTS(DOC("A", "COP", "2026-11-30", "100", "100", "")));
	CHECK_INT(api_debts(a, ID_CC, "1020304050", 1500, &p), API_OK);
	CHECK_INT(p.ndocs, 1);
	portfolio_free(&p);
	CHECK_STR(srv.path, "/v1/debts?id_type=CC&id_number=1020304050");
	CHECK_STR(srv.method, "GET");
	CHECK(signed_ok());
	answer(404, JSON, NULL, "{\"error\":\"not_found\"}");
	CHECK_INT(api_debts(a, ID_CC, "1020304050", 1500, &p), API_NOT_FOUND);
	answer(404, "text/html", NULL, "<h1>Not Found</h1>");
	CHECK_INT(api_debts(a, ID_CC, "1020304050", 1500, &p), API_ERR_PROTOCOL);
	answer(404, JSON, NULL, "{\"error\":\"not_found\"}");
	CHECK_INT(api_heartbeat(a, &hb), API_ERR_PROTOCOL); /* only debts has a "not found" */
	answer(200, JSON, NULL, DEBTS(""));
	CHECK_INT(api_debts(a, ID_CC, "1020304051", 1500, &p), API_ERR_PROTOCOL);
	CHECK(strstr(api_error(a), "another customer") != NULL);
	CHECK(strstr(api_error(a), "102030405") == NULL);
	CHECK(p.docs == NULL);
	before = requests();
	CHECK_INT(api_debts(a, ID_CC, "12ab", 1500, &p), API_ERR_PROTOCOL);
	CHECK_INT(requests(), before);
	answer(200, JSON, NULL,
	       "{\"customer\":{\"id_type\":\"CC\",\"id_number\":\"1020304050\",\"name\":\"María Núñez\"},\"documents\":[{\"number\":\"A\"}],\"as_of\":\"" AS_OF_TEXT
	       "\"}");
	CHECK_INT(api_debts(a, ID_CC, "1020304050", 1500, &p), API_ERR_PROTOCOL);
	CHECK(strstr(api_error(a), "documents[0].line") != NULL);
	CHECK(strstr(api_error(a), "1020304050") == NULL && strstr(api_error(a), "María") == NULL);

	/* broken transfers */
	memset(&k, 0, sizeof k);
	k.status = 200;
	k.ctype = JSON;
	k.body = "{\"ok\":true}";
	k.short_body = 1;
	answer_with(&k);
	CHECK_INT(api_heartbeat(a, &hb), API_ERR_NETWORK);
	k.short_body = 0;
	k.drop = 1;
	answer_with(&k);
	CHECK_INT(api_heartbeat(a, &hb), API_ERR_NETWORK);
	CHECK(strstr(api_error(a), "cannot reach") != NULL);
	k.drop = 0;
	k.body = "{\"ok\":tr"; /* complete as HTTP, truncated as JSON */
	answer_with(&k);
	CHECK_INT(api_heartbeat(a, &hb), API_ERR_PROTOCOL);
	k.body = "{\"ok\":true}";
	k.stall_ms = 700;
	answer_with(&k);
	CHECK_INT(api_debts(a, ID_CC, "1020304050", 300, &p), API_ERR_NETWORK);
	CHECK(strstr(api_error(a), "no answer within 300 ms") != NULL);
	CHECK(strstr(api_error(a), "1020304050") == NULL);
	k.stall_ms = 0;
	/* a body over the cap is refused, announced or not */
	{
		char *big = malloc((size_t)API_BODY_MAX + 2);

		memset(big, ' ', (size_t)API_BODY_MAX + 1);
		memcpy(big, "{\"ok\":true}", 11);
		big[API_BODY_MAX + 1] = '\0';
		k.body = big;
		answer_with(&k);
		CHECK_INT(api_heartbeat(a, &hb), API_ERR_PROTOCOL);
		CHECK(strstr(api_error(a), "larger than") != NULL);
		k.no_length = 1;
		answer_with(&k);
		CHECK_INT(api_heartbeat(a, &hb), API_ERR_PROTOCOL);
		CHECK(strstr(api_error(a), "larger than") != NULL);
		/* exactly at the cap is fine */
		big[API_BODY_MAX] = '\0';
		k.no_length = 0;
		answer_with(&k);
		CHECK_INT(api_heartbeat(a, &hb), API_OK);
		answer(200, JSON, NULL, "{\"ok\":true}");
		CHECK_INT(api_heartbeat(a, &hb), API_OK); /* the next answer is not stale */
		free(big);
	}

	/* keep-alive: one connection for a run of good requests */
	answer(200, JSON, NULL, "{\"ok\":true}");
	CHECK_INT(api_heartbeat(a, &hb), API_OK);
	pthread_mutex_lock(&srv.mu);
	before = srv.connections;
	pthread_mutex_unlock(&srv.mu);
	for (int i = 0; i < 5; i++)
		CHECK_INT(api_heartbeat(a, &hb), API_OK);
	pthread_mutex_lock(&srv.mu);
	CHECK_INT(srv.connections, before);
	pthread_mutex_unlock(&srv.mu);
	api_close(a);

	/* a base path is part of what is signed */
	config(&c, "/api");
	a = api_open(&c, err, sizeof err);
	CHECK(a != NULL);
	if (a) {
		CHECK_INT(api_heartbeat(a, &hb), API_OK);
		CHECK_STR(srv.path, "/api/v1/heartbeat");
		CHECK(signed_ok());
		api_close(a);
	}
	/* nobody listening */
	config(&c, "");
	snprintf(c.base_url, sizeof c.base_url, "http://127.0.0.1:1");
	a = api_open(&c, err, sizeof err);
	CHECK(a != NULL);
	if (a) {
		CHECK_INT(api_heartbeat(a, &hb), API_ERR_NETWORK);
		CHECK(strstr(api_error(a), "heartbeat: cannot reach the central server") != NULL);
		api_close(a);
	}
}

/* Changes and TRM into a real store: all or nothing, data_as_of only on the last page. */
static void test_store_import(void)
{
	char dbpath[128], err[256], ierr[256], cursor[API_CURSOR_MAX], v[16];
	struct api_config c;
	struct store *s = NULL;
	struct store_status st;
	struct portfolio p;
	struct trm t;
	struct api *a;
	int more = -1;

	snprintf(dbpath, sizeof dbpath, "%s/api.db", tmpdir);
	CHECK_INT(store_open(&s, dbpath, err, sizeof err), 0);
	config(&c, "");
	a = api_open(&c, err, sizeof err);
	CHECK(a != NULL);
	if (!s || !a)
		goto out;

	/* meta settings */
	CHECK_INT(store_meta_get(s, "sync_cursor", cursor, sizeof cursor), 1);
	CHECK_INT(store_meta_set(s, "sync_cursor", "abc"), 0);
	CHECK_INT(store_meta_get(s, "sync_cursor", cursor, sizeof cursor), 0);
	CHECK_STR(cursor, "abc");
	CHECK_INT(store_meta_set(s, "sync_cursor", "0123456789abcdefXYZ"), 0);
	CHECK(store_meta_get(s, "sync_cursor", v, sizeof v) < 0);

	/* TRM: stored, data_as_of untouched (0: never imported) */
	answer(200, JSON, NULL,
	       "{\"trm\":[{\"cop_per_usd\":\"4012.35\",\"valid_from\":\"2026-11-20\",\"valid_to\":\"2027-12-31\"}]}");
	CHECK_INT(sync_import_trm(a, s, ierr, sizeof ierr), API_OK);
	CHECK_INT(store_trm_for_date(s, 20261122, &t), 0);
	CHECK_INT(t.cop_minor_per_usd, 401235);
	CHECK_INT(store_status_get(s, &st), 0);
	CHECK_INT(st.data_as_of, 0);
	CHECK_STR(srv.path, "/v1/trm");
	CHECK(signed_ok());
	/* a bad TRM list changes nothing */
	answer(200, JSON, NULL,
	       "{\"trm\":[{\"cop_per_usd\":\"5000.00\",\"valid_from\":\"2026-11-21\",\"valid_to\":\"2027-12-31\"},"
	       "{\"cop_per_usd\":\"x\",\"valid_from\":\"2026-11-22\",\"valid_to\":\"2027-12-31\"}]}");
	CHECK_INT(sync_import_trm(a, s, ierr, sizeof ierr), API_ERR_PROTOCOL);
	CHECK_INT(store_trm_for_date(s, 20261122, &t), 0);
	CHECK_INT(t.cop_minor_per_usd, 401235);

	/* first page of two: applied, data_as_of still unknown */
	answer(200, JSON, NULL,
	       PAGE("p2", "true", PCUST("CC", "52123456", DOC("A", "COP", "2026-12-05", "100", "100", ""))));
	CHECK_INT(sync_import_changes(a, s, "", cursor, sizeof cursor, &more, ierr, sizeof ierr), API_OK);
	CHECK_STR(srv.path, "/v1/portfolio/changes?cursor=&limit=250");
	CHECK_STR(cursor, "p2");
	CHECK_INT(more, 1);
	CHECK_INT(store_status_get(s, &st), 0);
	CHECK_INT(st.customers, 1);
	CHECK_INT(st.data_as_of, 0);
	/* last page: data_as_of = as_of; the cursor is escaped in the URL */
	answer(200, JSON, NULL,
	       PAGE("p3", "false",
		    PCUST("NIT", "900123456-8", DOC("T-1", "USD", "2026-12-05", "245000", "245000", ""))));
	CHECK_INT(sync_import_changes(a, s, "p2&x=1 y", cursor, sizeof cursor, &more, ierr, sizeof ierr), API_OK);
	CHECK_STR(srv.path, "/v1/portfolio/changes?cursor=p2%26x%3D1%20y&limit=250");
	CHECK_INT(more, 0);
	CHECK_INT(store_status_get(s, &st), 0);
	CHECK_INT(st.customers, 2);
	CHECK_INT(st.documents, 2);
	CHECK_INT(st.data_as_of, AS_OF);
	CHECK_INT(store_lookup(s, ID_NIT, "900123456", &p), 0);
	CHECK_INT(p.ndocs, 1);
	portfolio_free(&p);
	/* a page the store refuses half way changes nothing: customer 0 would replace A */
	snprintf(cursor, sizeof cursor, "unchanged");
	answer(200, JSON, NULL,
	       PAGE("p4", "false",
		    PCUST("CC", "52123456",
			  "") "," PCUST("CC", "52123456",
					DOC("B", "COP", "2026-12-05", "100", "100",
					    "") "," DOC("B", "COP", "2026-12-06", "100", "100", ""))));
	CHECK_INT(sync_import_changes(a, s, "p3", cursor, sizeof cursor, &more, ierr, sizeof ierr), API_ERR_PROTOCOL);
	CHECK(strstr(ierr, "customers[1].documents[1].number") != NULL);
	CHECK(strstr(ierr, "52123456") == NULL);
	CHECK_STR(cursor, "unchanged");
	CHECK_INT(store_lookup(s, ID_CC, "52123456", &p), 0);
	CHECK_INT(p.ndocs, 1);
	CHECK_STR(p.docs ? p.docs[0].number : "", "A");
	portfolio_free(&p);
	/* and so does a truncated one; the store is usable afterwards */
	answer(200, JSON, NULL,
	       "{\"cursor\":\"p4\",\"more\":false,\"as_of\":\"" AS_OF_TEXT "\",\"customers\":[{");
	CHECK_INT(sync_import_changes(a, s, "p3", cursor, sizeof cursor, &more, ierr, sizeof ierr), API_ERR_PROTOCOL);
	answer(200, JSON, NULL, PAGE("p4", "false", ""));
	CHECK_INT(sync_import_changes(a, s, "p3", cursor, sizeof cursor, &more, ierr, sizeof ierr), API_OK);
	CHECK_STR(cursor, "p4");
	/* the server failing: nothing is begun */
	answer(503, JSON, NULL, "{}");
	CHECK_INT(sync_import_changes(a, s, "p4", cursor, sizeof cursor, &more, ierr, sizeof ierr), API_ERR_SERVER);
	CHECK_INT(sync_import_trm(a, s, ierr, sizeof ierr), API_ERR_SERVER);
	CHECK_INT(store_import_begin(s), 0); /* no import left open */
	store_import_abort(s);

	/* the client on its own writes nothing: records go to the caller's sink, whose begin
	 * comes once the answer is here (never for a failed request), before any record */
	{
		struct counting k = {0};
		struct api_page pg;
		int n = -1;

		answer(503, JSON, NULL, "{}");
		CHECK_INT(api_portfolio_changes(a, "p4", &counting_sink, &k, &pg), API_ERR_SERVER);
		CHECK_INT(api_trm(a, &counting_sink, &k, &n), API_ERR_SERVER);
		CHECK_INT(k.begins, 0);
		answer(200, JSON, NULL,
		       PAGE("p5", "true", PCUST("CC", "52123456", DOC("C", "COP", "2026-12-05", "100", "100", ""))));
		CHECK_INT(api_portfolio_changes(a, "p4", &counting_sink, &k, &pg), API_OK);
		CHECK_INT(k.begins, 1);
		CHECK_INT(k.customers, 1);
		CHECK_INT(k.documents, 1);
		CHECK_STR(pg.cursor, "p5");
		CHECK_INT(pg.more, 1);
		CHECK_INT(pg.as_of, AS_OF);
		k.refuse_begin = 1;
		CHECK_INT(api_portfolio_changes(a, "p4", &counting_sink, &k, &pg), API_ERR_PROTOCOL);
		CHECK_INT(k.begins, 2);
		CHECK_INT(k.customers, 1); /* nothing after a refused begin */
		CHECK(strstr(api_error(a), "portfolio changes: the receiver cannot take the answer") != NULL);
		/* the store saw none of it: C is not there */
		CHECK_INT(store_lookup(s, ID_CC, "52123456", &p), 0);
		CHECK_INT(p.ndocs, 1);
		CHECK_STR(p.docs ? p.docs[0].number : "", "A");
		portfolio_free(&p);
	}
out:
	api_close(a);
	store_close(s);
}

/* ---- the sync worker against the auto-mode server ---- */

static struct {
	pthread_mutex_t mu;
	int calls;
	struct sync_report last;
} seen = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void on_report(void *user, const struct sync_report *r)
{
	(void)user;
	pthread_mutex_lock(&seen.mu);
	seen.calls++;
	seen.last = *r;
	pthread_mutex_unlock(&seen.mu);
}

static int push_events(struct store *s, int n)
{
	for (int i = 0; i < n; i++)
		if (outbox_push(s, "test.event", 1795359600, "{\"n\":1}", NULL) < 0) {
			fprintf(stderr, "outbox_push: %s\n", store_error(s));
			return -1;
		}
	return 0;
}

/* Polls the report until cond holds or about 5 s pass. */
#define WAIT_FOR(y, r, cond)                        \
	do {                                        \
		for (int w_ = 0; w_ < 500; w_++) {  \
			sync_get_report((y), &(r)); \
			if (cond)                   \
				break;              \
			poll(NULL, 0, 10);          \
		}                                   \
	} while (0)

static struct routes routes_now(void)
{
	struct routes r;

	pthread_mutex_lock(&srv.mu);
	r = srv.auto_;
	pthread_mutex_unlock(&srv.mu);
	return r;
}

static void test_sync(void)
{
	struct sync_config sc;
	struct sync_report r;
	struct store *s = NULL;
	struct store_status st;
	struct sync *y;
	struct trm t;
	struct routes rt;
	char err[256], cursor[API_CURSOR_MAX];
	struct timespec t0, t1;

	memset(&sc, 0, sizeof sc);
	config(&sc.api, "");
	snprintf(sc.db_path, sizeof sc.db_path, "%s/sync.db", tmpdir);
	sc.refresh_s = 3600;
	sc.heartbeat_s = 3600;
	sc.backoff_min_ms = 20;
	sc.backoff_max_ms = 100;
	sc.version = "test";
	CHECK_INT(store_open(&s, sc.db_path, err, sizeof err), 0);
	if (!s)
		return;
	CHECK_INT(push_events(s, 120), 0);
	pthread_mutex_lock(&srv.mu);
	memset(&srv.auto_, 0, sizeof srv.auto_);
	srv.auto_.on = 1;
	pthread_mutex_unlock(&srv.mu);

	/* the first round: two batches (100 + 20), TRM, one page, a heartbeat */
	y = sync_start(&sc, on_report, NULL, err, sizeof err);
	CHECK(y != NULL);
	if (!y)
		goto out;
	WAIT_FOR(y, r, r.queue_depth == 0 && r.online && r.last_sync > 0 && routes_now().heartbeats > 0);
	CHECK_INT(r.queue_depth, 0);
	CHECK_INT(r.online, 1);
	CHECK(r.last_sync > 0);
	CHECK_STR(r.last_error, "");
	rt = routes_now();
	CHECK_INT(rt.events, 2);
	CHECK_INT(rt.trm, 1);
	CHECK_INT(rt.changes, 1);
	CHECK_INT(rt.heartbeats, 1);
	CHECK_INT(store_status_get(s, &st), 0);
	CHECK_INT(st.customers, 1);
	CHECK_INT(st.data_as_of, AS_OF);
	CHECK_INT(store_trm_for_date(s, 20261122, &t), 0);
	CHECK_INT(store_meta_get(s, "sync_cursor", cursor, sizeof cursor), 0);
	CHECK_STR(cursor, "after-1");
	pthread_mutex_lock(&seen.mu);
	CHECK(seen.calls >= 1);
	CHECK_INT(seen.last.queue_depth, 0);
	pthread_mutex_unlock(&seen.mu);

	/* the server fails twice: the batch goes back each time and is sent again after the
	 * backoff; every event is acked exactly once */
	pthread_mutex_lock(&srv.mu);
	srv.auto_.fail_events = 2;
	pthread_mutex_unlock(&srv.mu);
	CHECK_INT(push_events(s, 5), 0);
	sync_kick(y);
	WAIT_FOR(y, r, r.queue_depth == 0 && r.online && routes_now().events_ok == 3);
	rt = routes_now();
	CHECK_INT(rt.events, 5);
	CHECK_INT(rt.events_ok, 3);
	CHECK_INT(r.queue_depth, 0);
	CHECK_INT(r.online, 1);
	CHECK_INT(r.dead, 0);

	/* rejected: dead letters */
	pthread_mutex_lock(&srv.mu);
	srv.auto_.reject_events = 1;
	pthread_mutex_unlock(&srv.mu);
	CHECK_INT(push_events(s, 2), 0);
	sync_kick(y);
	WAIT_FOR(y, r, r.dead == 2);
	CHECK_INT(r.dead, 2);
	CHECK_INT(r.queue_depth, 0);

	/* the server gone: offline with a reason, events kept */
	pthread_mutex_lock(&srv.mu);
	srv.auto_.reject_events = 0;
	srv.auto_.fail_events = 1000;
	pthread_mutex_unlock(&srv.mu);
	CHECK_INT(push_events(s, 1), 0);
	sync_kick(y);
	WAIT_FOR(y, r, !r.online);
	CHECK_INT(r.online, 0);
	CHECK(strstr(r.last_error, "503") != NULL);
	CHECK_INT(r.queue_depth, 1);
	/* and back: the next try (backoff <= 100 ms) drains it */
	pthread_mutex_lock(&srv.mu);
	srv.auto_.fail_events = 0;
	pthread_mutex_unlock(&srv.mu);
	WAIT_FOR(y, r, r.online && r.queue_depth == 0);
	CHECK_INT(r.online, 1);
	CHECK_INT(r.queue_depth, 0);

	/* stopping is prompt when idle */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sync_stop(y);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 < 1000);
	{
		struct outbox_stats os;

		CHECK_INT(outbox_stats_get(s, NULL, &os), 0);
		CHECK_INT(os.acked, 126);
		CHECK_INT(os.dead, 2);
		CHECK_INT(os.pending, 0);
	}
out:
	pthread_mutex_lock(&srv.mu);
	srv.auto_.on = 0;
	pthread_mutex_unlock(&srv.mu);
	store_close(s);
}

static void remove_tmpdir(void) { tmpdir_remove(tmpdir); }

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/recaudo-api-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_backoff();
	test_sign();
	test_parse_events();
	test_events_body();
	test_parse_debts();
	test_parse_changes_trm();
	if (server_start() != 0) {
		perror("test server");
		CHECK(0);
	} else {
		test_open_config();
		test_transport();
		test_store_import();
		test_sync();
		server_stop();
	}
	remove_tmpdir();
	return check_done();
}
