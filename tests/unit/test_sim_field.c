/* test_sim_field — the central simulator's side of field mode (tools/sim_field.c, issue 10):
 * crafted payment.collected / payment.voided / collection.closed / collection.reopened events
 * posted to a simulator on 127.0.0.1 (tests/unit/sim_harness.h), each answered accepted,
 * duplicate or rejected with a reason naming the field; payments applied exactly once to the
 * customer's balances (a document paid to 0 leaves, a void brings it back) and the customer
 * in the portfolio changes feed after them; the receipt gaps and counts of /admin/stats; and
 * POST /v1/field-receipts/verify (its valid cases need core/field_qr.c, being written). */
#include "check.h"
#include "field.h"
#include "json_field.h"
#include "sim_harness.h"

#define CUSTOMER "\"customer\":{\"id_type\":\"CC\",\"id_number\":\"1020304050\"}"
#define DOC_A "CVH-7781204-18"   /* 125000000, partial allowed */
#define DOC_B "VID-4471203-1126" /* 18540000 */
#define AT "\"2026-11-22T10:00:00-05:00\""

static struct h_sim sim;

static void key_for(char *out, int i)
{
	snprintf(out, 37, "00000000-0000-4000-8000-%012d", i);
}

/* payment.collected number n of agent 1001 on K0001, its lines given as JSON. */
static void collected(char *out, size_t n, int key, int seq, int number, long long amount, const char *lines,
		      const char *extra)
{
	char k[37];

	key_for(k, key);
	snprintf(
		out, n,
		"{\"key\":\"%s\",\"seq\":%d,\"type\":\"payment.collected\",\"at\":" AT ",\"payload\":{"
		"\"device_id\":\"K0001\",\"agent\":\"1001\",\"receipt_number\":%d,\"receipt\":\"K0001-1001-%06d\","
		"\"day\":\"2026-11-22\",\"collected_at\":" AT "," CUSTOMER ",\"currency\":\"COP\","
		"\"amount_minor\":%lld,\"cash_minor\":%lld,\"change_minor\":0,\"lines\":[%s]%s}}",
		k, seq, number, number, amount, amount, lines, extra);
}

static void voided(char *out, size_t n, int key, int seq, int number, int original, long long amount,
		   const char *supervisor)
{
	char k[37], o[37];

	key_for(k, key);
	key_for(o, original);
	snprintf(out, n,
		 "{\"key\":\"%s\",\"seq\":%d,\"type\":\"payment.voided\",\"at\":" AT ",\"payload\":{"
		 "\"device_id\":\"K0001\",\"agent\":\"1001\",\"receipt_number\":%d,\"original_key\":\"%s\","
		 "\"reason\":\"valor equivocado\",\"supervisor\":\"%s\",\"voided_at\":" AT ","
		 "\"currency\":\"COP\",\"amount_minor\":%lld}}",
		 k, seq, number, o, supervisor, amount);
}

static void closed(char *out, size_t n, int key, int seq)
{
	char k[37];

	key_for(k, key);
	snprintf(
		out, n,
		"{\"key\":\"%s\",\"seq\":%d,\"type\":\"collection.closed\",\"at\":" AT ",\"payload\":{"
		"\"device_id\":\"K0001\",\"agent\":\"1001\",\"day\":\"2026-11-22\",\"closed_at\":" AT ","
		"\"first_number\":1,\"last_number\":3,\"receipts\":3,\"voided\":1,\"void_numbers\":[3],"
		"\"totals\":[{\"line\":\"Crédito vehículo\",\"currency\":\"COP\",\"payments\":2,"
		"\"payments_minor\":125000000,\"voids\":1,\"voids_minor\":100000000,\"net_minor\":25000000}],"
		"\"cash\":{\"COP\":43540000,\"USD\":0}}}",
		k, seq);
}

static void reopened(char *out, size_t n, int key, int seq)
{
	char k[37];

	key_for(k, key);
	snprintf(out, n,
		 "{\"key\":\"%s\",\"seq\":%d,\"type\":\"collection.reopened\",\"at\":" AT ",\"payload\":{"
		 "\"device_id\":\"K0001\",\"agent\":\"1001\",\"day\":\"2026-11-22\",\"reopened_at\":" AT ","
		 "\"supervisor\":\"1002\"}}",
		 k, seq);
}

/* Replaces the first `from` in ev by `to`, of the same length: one field made wrong. */
static void swap(char *ev, const char *from, const char *to)
{
	char *p = strstr(ev, from);

	CHECK(p != NULL && strlen(from) == strlen(to));
	if (p && strlen(from) == strlen(to))
		memcpy(p, to, strlen(to));
}

/* Posts one event; its status, and its reason into why. */
static const char *post(const char *event, char *why, size_t whyn)
{
	static char body[8192], status[16];
	const cJSON *r;
	cJSON *j;
	long http;

	snprintf(body, sizeof body, "{\"events\":[%s]}", event);
	j = h_signed(&sim, "POST", "/v1/events", body, &http);
	r = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "results"), 0);
	snprintf(status, sizeof status, "%s",
		 http == 200 && cJSON_GetStringValue(jf_get(r, "status"))
			 ? cJSON_GetStringValue(jf_get(r, "status"))
			 : "?");
	if (why)
		snprintf(why, whyn, "%s",
			 cJSON_GetStringValue(jf_get(r, "reason")) ? cJSON_GetStringValue(jf_get(r, "reason"))
								   : "");
	cJSON_Delete(j);
	return status;
}

/* The event is rejected with a reason that starts with `field` and quotes no id number. */
static void rejected(const char *event, const char *field)
{
	char why[256];

	CHECK_STR(post(event, why, sizeof why), "rejected");
	if (strncmp(why, field, strlen(field)) != 0)
		fprintf(stderr, "reason \"%s\", want it to start with \"%s\"\n", why, field);
	CHECK(strncmp(why, field, strlen(field)) == 0);
	CHECK(strstr(why, "1020304050") == NULL && strstr(why, DOC_A) == NULL);
}

/* The balance of doc in /v1/debts of the test customer: -1 when it is not there. */
static long long balance(const char *doc)
{
	long http, bal = -1;
	cJSON *j = h_signed(&sim, "GET", "/v1/debts?id_type=CC&id_number=1020304050", NULL, &http);
	const cJSON *d;

	CHECK_INT(http, 200);
	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(j, "documents"))
	{
		if (strcmp(cJSON_GetStringValue(jf_get(d, "number")), doc) == 0)
			bal = (long)h_num(d, "balance");
	}
	cJSON_Delete(j);
	return bal;
}

/* The changes after cursor: *n customers, *found whether the test customer is there with doc
 * at want (-1: without doc); the next cursor into cursor. */
static void changes(char *cursor, size_t cn, const char *doc, long long want, int *n, int *found)
{
	char pq[128];
	long http;
	cJSON *j;
	const cJSON *c, *d;

	snprintf(pq, sizeof pq, "/v1/portfolio/changes?limit=1000&cursor=%s", cursor);
	j = h_signed(&sim, "GET", pq, NULL, &http);
	CHECK_INT(http, 200);
	*n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "customers"));
	*found = 0;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(j, "customers"))
	{
		long long bal = -1;

		if (strcmp(cJSON_GetStringValue(jf_get(c, "id_number")), "1020304050") != 0)
			continue;
		cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(c, "documents"))
		{
			if (strcmp(cJSON_GetStringValue(jf_get(d, "number")), doc) == 0)
				bal = (long long)h_num(d, "balance");
		}
		*found = bal == want;
	}
	snprintf(cursor, cn, "%s",
		 cJSON_GetStringValue(jf_get(j, "cursor")) ? cJSON_GetStringValue(jf_get(j, "cursor")) : "");
	cJSON_Delete(j);
}

static const cJSON *agent_stats(cJSON *stats)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(stats, "field"))
	{
		if (strcmp(cJSON_GetStringValue(jf_get(a, "agent")), "1001") == 0)
			return a;
	}
	return NULL;
}

static void test_payments(void)
{
	static char ev[4096];
	char cursor[32] = "", lines[256];
	cJSON *stats;
	const cJSON *a;
	int n, found;

	changes(cursor, sizeof cursor, DOC_A, 125000000, &n, &found); /* the cursor after the seed */
	CHECK(n > 10 && found);
	changes(cursor, sizeof cursor, DOC_A, 0, &n, &found);
	CHECK_INT(n, 0);

	/* receipt 1: part of A, all of B */
	snprintf(lines, sizeof lines,
		 "{\"doc_number\":\"" DOC_A "\",\"line\":\"Crédito vehículo\",\"amount_minor\":25000000},"
		 "{\"doc_number\":\"" DOC_B "\",\"line\":\"Seguro de vida\",\"amount_minor\":18540000}");
	collected(ev, sizeof ev, 1, 1, 1, 43540000, lines, "");
	CHECK_STR(post(ev, NULL, 0), "accepted");
	CHECK_INT(balance(DOC_A), 100000000);
	CHECK_INT(balance(DOC_B), -1); /* paid to 0: gone */
	changes(cursor, sizeof cursor, DOC_A, 100000000, &n, &found);
	CHECK_INT(n, 1);
	CHECK(found);
	/* the same key again: duplicate, nothing applied twice, no new change */
	CHECK_STR(post(ev, NULL, 0), "duplicate");
	CHECK_INT(balance(DOC_A), 100000000);
	changes(cursor, sizeof cursor, DOC_A, 0, &n, &found);
	CHECK_INT(n, 0);
	/* receipt 1 again under another key: one record per receipt */
	collected(ev, sizeof ev, 2, 2, 1, 43540000, lines, "");
	rejected(ev, "payload.receipt_number");
	CHECK_INT(balance(DOC_A), 100000000);

	/* strict checks: each names its field, none changes anything */
	snprintf(lines, sizeof lines,
		 "{\"doc_number\":\"" DOC_A "\",\"line\":\"Crédito vehículo\",\"amount_minor\":1000000}");
	collected(ev, sizeof ev, 3, 3, 2, 1000001, lines, "");
	rejected(ev, "payload.amount_minor");
	collected(ev, sizeof ev, 3, 3, 2, 1000000, lines,
		  ",\"denominations\":[{\"value_minor\":5000000,\"count\":1}]");
	rejected(ev, "payload.denominations");
	collected(ev, sizeof ev, 3, 3, 2, 1000000, "", "");
	rejected(ev, "payload.lines");
	collected(ev, sizeof ev, 3, 3, 2, 1000000, lines, "");
	swap(ev, "K0001-1001-000002", "K0001-1001-000009");
	rejected(ev, "payload.receipt");
	collected(ev, sizeof ev, 3, 3, 2, 1000000, lines, "");
	swap(ev, "\"K0001\"", "\"K0002\"");
	rejected(ev, "payload.device_id");
	collected(ev, sizeof ev, 3, 3, 2, 1000000, lines, "");
	swap(ev, "1020304050", "9876543210"); /* valid, nobody's */
	rejected(ev, "payload.customer");
	collected(ev, sizeof ev, 3, 3, 2, 1000000, lines, "");
	swap(ev, "\"cash_minor\":1000000", "\"cash_minor\":1000001");
	rejected(ev, "payload.cash_minor");
	CHECK_INT(balance(DOC_A), 100000000);

	/* receipt 3 (2 never arrives): the rest of A, which leaves; then voided, A is back */
	snprintf(lines, sizeof lines,
		 "{\"doc_number\":\"" DOC_A "\",\"line\":\"Crédito vehículo\",\"amount_minor\":100000000}");
	collected(ev, sizeof ev, 4, 4, 3, 100000000, lines,
		  ",\"denominations\":[{\"value_minor\":10000000,\"count\":10}]");
	CHECK_STR(post(ev, NULL, 0), "accepted");
	CHECK_INT(balance(DOC_A), -1);
	changes(cursor, sizeof cursor, DOC_A, -1, &n, &found);
	CHECK_INT(n, 1);
	CHECK(found);

	voided(ev, sizeof ev, 5, 5, 3, 99, 100000000, "1002");
	rejected(ev, "payload.original_key");
	voided(ev, sizeof ev, 5, 5, 3, 4, 100000000, "1001");
	rejected(ev, "payload.supervisor");
	voided(ev, sizeof ev, 5, 5, 3, 4, 99999999, "1002");
	rejected(ev, "payload.amount_minor");
	voided(ev, sizeof ev, 5, 5, 1, 4, 100000000, "1002");
	rejected(ev, "payload.receipt_number");
	voided(ev, sizeof ev, 5, 5, 3, 4, 100000000, "1002");
	CHECK_STR(post(ev, NULL, 0), "accepted");
	CHECK_STR(post(ev, NULL, 0), "duplicate");
	CHECK_INT(balance(DOC_A), 100000000);
	voided(ev, sizeof ev, 6, 6, 3, 4, 100000000, "1002");
	rejected(ev, "payload.original_key"); /* already voided */
	CHECK_INT(balance(DOC_A), 100000000);
	changes(cursor, sizeof cursor, DOC_A, 100000000, &n, &found);
	CHECK_INT(n, 1);
	CHECK(found);

	/* close, a second close refused, reopen, a second reopen refused, close again */
	closed(ev, sizeof ev, 7, 7);
	CHECK_STR(post(ev, NULL, 0), "accepted");
	closed(ev, sizeof ev, 8, 8);
	rejected(ev, "payload.day");
	reopened(ev, sizeof ev, 9, 9);
	CHECK_STR(post(ev, NULL, 0), "accepted");
	reopened(ev, sizeof ev, 10, 10);
	rejected(ev, "payload.day");
	closed(ev, sizeof ev, 11, 11);
	CHECK_STR(post(ev, NULL, 0), "accepted");
	closed(ev, sizeof ev, 12, 12);
	swap(ev, "\"receipts\":3", "\"receipts\":4");
	rejected(ev, "payload.first_number");

	stats = h_admin(&sim, "/admin/stats", NULL);
	a = agent_stats(stats);
	CHECK(a != NULL);
	CHECK_INT(h_num(a, "receipts"), 2);
	CHECK_INT(h_num(a, "voids"), 1);
	CHECK_INT(h_num(a, "closes"), 2);
	CHECK_INT(h_num(a, "reopens"), 1);
	CHECK_INT(h_num(a, "max_number"), 3);
	CHECK_INT(h_num(a, "missing_numbers"), 1);
	CHECK_INT(h_num(a, "gaps.0.0"), 2);
	CHECK_INT(h_num(a, "gaps.0.1"), 2);
	CHECK_INT(cJSON_GetArraySize(jf_get(a, "gaps")), 1);
	CHECK_INT(h_num(a, "unapplied_minor"), 0);
	CHECK_INT(cJSON_GetArraySize(jf_get(stats, "field_events")), 6);
	CHECK_INT(h_num(stats, "accepted"), 6);
	cJSON_Delete(stats);
}

/* Receipt QRs: valid ones (core/field_qr.c) with their state; forged ones not. */
static void test_verify(void)
{
	struct field_receipt_qr q = {"K0001", "1001", 1, 43540000, CUR_COP, 1795359600};
	char qr[512], body[700];
	uint8_t key[32];
	long http;
	cJSON *j;

	h_key(key, 2); /* the device's QR key (sim_harness.h) */
	CHECK(field_receipt_qr_build(qr, sizeof qr, &q, key, sizeof key) > 0);
	snprintf(body, sizeof body, "{\"payload\":\"%s\"}", qr);
	j = h_signed(&sim, "POST", "/v1/field-receipts/verify", body, &http);
	CHECK_INT(http, 200);
	CHECK(cJSON_IsTrue(jf_get(j, "valid")));
	CHECK_STR(cJSON_GetStringValue(jf_get(j, "state")), "collected");
	CHECK_INT(h_num(j, "receipt_number"), 1);
	CHECK_INT(h_num(j, "amount_minor"), 43540000);
	cJSON_Delete(j);

	q.number = 3;
	field_receipt_qr_build(qr, sizeof qr, &q, key, sizeof key);
	snprintf(body, sizeof body, "{\"payload\":\"%s\"}", qr);
	j = h_signed(&sim, "POST", "/v1/field-receipts/verify", body, &http);
	CHECK_STR(cJSON_GetStringValue(jf_get(j, "state")), "voided");
	cJSON_Delete(j);

	q.number = 2;
	field_receipt_qr_build(qr, sizeof qr, &q, key, sizeof key);
	snprintf(body, sizeof body, "{\"payload\":\"%s\"}", qr);
	j = h_signed(&sim, "POST", "/v1/field-receipts/verify", body, &http);
	CHECK(cJSON_IsTrue(jf_get(j, "valid")));
	CHECK_STR(cJSON_GetStringValue(jf_get(j, "state")), "unknown");
	cJSON_Delete(j);

	/* another key (the request secret), an unknown device, not a receipt QR: not valid */
	h_key(key, 1);
	q.number = 1;
	field_receipt_qr_build(qr, sizeof qr, &q, key, sizeof key);
	snprintf(body, sizeof body, "{\"payload\":\"%s\"}", qr);
	j = h_signed(&sim, "POST", "/v1/field-receipts/verify", body, &http);
	CHECK_INT(http, 200);
	CHECK(cJSON_IsFalse(jf_get(j, "valid")));
	CHECK_STR(cJSON_GetStringValue(jf_get(j, "state")), "unknown");
	CHECK(jf_get(j, "receipt_number") == NULL);
	cJSON_Delete(j);
	j = h_signed(&sim, "POST", "/v1/field-receipts/verify",
		     "{\"payload\":\"RCB1|D=K0009|A=1001|N=1|V=1|C=COP|T=1|H=00\"}", &http);
	CHECK(http == 200 && cJSON_IsFalse(jf_get(j, "valid")));
	cJSON_Delete(j);
	j = h_signed(&sim, "POST", "/v1/field-receipts/verify", "{\"qr\":\"x\"}", &http);
	CHECK_INT(http, 400);
	cJSON_Delete(j);
}

int main(int argc, char **argv)
{
	char dir[64], pin[128], log[H_PATH + 16];

	(void)argc;
	if (h_init(argv[0]) < 0)
		return 1;
	h_load_pii();
	snprintf(dir, sizeof dir, "/tmp/recaudo-simfield-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	CHECK_INT(h_sim_prepare(&sim, dir, pin, sizeof pin), 0);
	sim.quiet = 0; /* its log is checked for personal data */
	CHECK_INT(h_sim_start(&sim, 0), 0);
	if (sim.pid > 0) {
		test_payments();
		test_verify();
		CHECK_INT(h_sim_stop(&sim, SIGTERM), 0);
	}
	snprintf(log, sizeof log, "%s/sim.log", dir);
	CHECK(h_pii_in_file(log) == NULL);
	h_rm_rf(dir);
	h_free_pii();
	curl_global_cleanup();
	return check_done();
}
