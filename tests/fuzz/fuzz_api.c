/* fuzz_api — libFuzzer target for the central API's response parsers (offline/api_parse.c,
 * offline/api_account_parse.c).
 * Every input goes to each parser: events results (against a fixed batch of 3), debts,
 * portfolio changes and TRM (with a sink that only counts), heartbeat and error bodies.
 * Besides the sanitizers' findings, a parser that says OK must have produced an output that
 * keeps its promises, and one that fails must have left nothing behind.
 *
 *   make fuzz && build-fuzz/fuzz_api build-fuzz/corpus tests/fuzz/corpus */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_account_internal.h"
#include "api_internal.h"

#define REQUIRE(cond)                                                                              \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static const char *const KEYS[3] = {
	"0b6f1d2e-4c1a-4f3e-9a7b-1c2d3e4f5a6b",
	"1c7e2f3a-5d2b-4a4f-8b8c-2d3e4f5a6b7c",
	"2d8f3a4b-6e3c-4b5a-9c9d-3e4f5a6b7c8d",
};

static int terminated(const char *s, size_t cap)
{
	return memchr(s, '\0', cap) != NULL;
}

static int count_customer(void *user, enum id_type t, const char *number, const char *name)
{
	REQUIRE((int)t >= 0 && t < ID_TYPE_COUNT && number[0] && name[0]);
	(*(int *)user)++;
	return 0;
}

static int count_document(void *user, const struct document *d)
{
	REQUIRE(d->balance > 0 && d->invoice >= d->balance && d->min_partial <= d->balance);
	(*(int *)user)++;
	return 0;
}

static int count_trm(void *user, const struct trm *t)
{
	REQUIRE(t->cop_minor_per_usd > 0 && t->valid_to >= t->valid_from);
	(*(int *)user)++;
	return 0;
}

static const struct api_sink sink = {count_customer, count_document, count_trm, NULL};

static void fuzz_events(const char *body, size_t len)
{
	struct outbox_event ev[3];
	struct api_item_result r[3];
	char err[256];

	memset(ev, 0, sizeof ev);
	for (int i = 0; i < 3; i++) {
		ev[i].seq = (uint64_t)i + 1;
		memcpy(ev[i].key, KEYS[i], OUTBOX_KEY_LEN + 1);
		memcpy(ev[i].type, "coupon.issued", 14);
		ev[i].at = 1795359600;
		ev[i].payload = (char *)"{}";
	}
	if (api_parse_events(body, len, ev, 3, r, err, sizeof err) == API_OK) {
		for (int i = 0; i < 3; i++) {
			REQUIRE(r[i].status == API_ITEM_ACCEPTED || r[i].status == API_ITEM_DUPLICATE ||
				r[i].status == API_ITEM_REJECTED);
			REQUIRE(terminated(r[i].reason, sizeof r[i].reason));
			REQUIRE((r[i].status == API_ITEM_REJECTED) == (r[i].reason[0] != '\0'));
		}
	} else {
		REQUIRE(terminated(err, sizeof err) && err[0]);
		for (int i = 0; i < 3; i++)
			REQUIRE(r[i].status == 0 && r[i].reason[0] == '\0');
	}
}

static void fuzz_debts(const char *body, size_t len)
{
	struct portfolio p;
	char err[256];

	if (api_parse_debts(body, len, &p, err, sizeof err) == API_OK) {
		REQUIRE(p.ndocs >= 0 && (p.ndocs == 0 || p.docs));
		REQUIRE(p.data_as_of > 0 && p.id_number[0] && p.name[0]);
		for (int i = 0; i < p.ndocs; i++) {
			const struct document *d = &p.docs[i];

			REQUIRE(terminated(d->number, sizeof d->number) && d->number[0]);
			REQUIRE(d->balance > 0 && d->invoice >= d->balance);
			REQUIRE(i == 0 || p.docs[i - 1].due < d->due ||
				(p.docs[i - 1].due == d->due && strcmp(p.docs[i - 1].number, d->number) < 0));
		}
		free(p.docs);
	} else {
		REQUIRE(p.docs == NULL && p.ndocs == 0 && err[0]);
	}
}

static void fuzz_agents(const char *body, size_t len)
{
	struct api_agent_login a;
	char err[256];

	if (api_parse_agent_login(body, len, &a, err, sizeof err) == API_OK) {
		REQUIRE(a.agent[0] && a.name[0] && terminated(a.name, sizeof a.name));
		REQUIRE(a.nclients >= 0 && a.nclients <= API_AGENT_CLIENTS_MAX && (a.nclients == 0 || a.clients));
		for (int i = 0; i < a.nclients; i++)
			REQUIRE(a.clients[i].id_number[0] && terminated(a.clients[i].id_number, 24));
		api_agent_login_free(&a);
	} else {
		REQUIRE(a.clients == NULL && a.nclients == 0 && err[0]);
	}
}

static void fuzz_rest(const char *body, size_t len)
{
	struct api_page pg;
	char err[256], code[40];
	int64_t t;
	int n = 0, count = 0;

	if (api_parse_changes(body, len, &sink, &count, &pg, err, sizeof err) == API_OK) {
		REQUIRE(terminated(pg.cursor, sizeof pg.cursor) && pg.as_of > 0);
		REQUIRE(count == pg.customers + pg.documents);
		REQUIRE(!pg.more || pg.cursor[0]);
	}
	count = 0;
	if (api_parse_trm(body, len, &sink, &count, &n, err, sizeof err) == API_OK)
		REQUIRE(n == count);
	api_parse_heartbeat(body, len, &t, err, sizeof err);
	api_parse_error_code(body, len, code, sizeof code);
	REQUIRE(terminated(code, sizeof code));
}

/* The account services' parsers: masked values masked, lists within bounds, a refusal's
 * figures only with its status, nothing left behind on failure. */
static void fuzz_account(const char *body, size_t len)
{
	static const int statuses[] = {200, 403, 404, 409, 429};
	struct api_acc_products *pr = malloc(sizeof *pr);
	struct api_acc_certificate c;
	struct api_acc_statement st;
	struct api_acc_history h;
	struct api_acc_verified v;
	struct api_acc_lookup l;
	struct api_acc_sent s;
	char err[256];
	int rc;

	for (size_t k = 0; k < sizeof statuses / sizeof statuses[0]; k++) {
		int status = statuses[k];

		rc = api_parse_acc_lookup(status, body, len, &l, err, sizeof err);
		if (rc == API_OK) {
			REQUIRE(l.account == 1 && l.image >= -1 && l.image < ACCOUNT_IMAGES);
			REQUIRE(!l.sms[0] || account_masked_ok(l.sms));
			REQUIRE(!l.email[0] || account_masked_ok(l.email));
		} else {
			REQUIRE(l.account == 0 && !l.sms[0] && !l.email[0] && !l.phrase[0]);
		}
		rc = api_parse_acc_registered(status, body, len, &l, err, sizeof err);
		REQUIRE(rc == API_OK || (!l.sms[0] && !l.email[0]));
		rc = api_parse_acc_sent(status, body, len, &s, err, sizeof err);
		if (rc == API_OK)
			REQUIRE(account_masked_ok(s.sent_to) && s.sends_left >= 0 && s.sends_left <= ACCOUNT_OTP_SENDS);
		else
			REQUIRE(!s.sent_to[0] && (rc == API_ACC_TOO_SOON) == (s.retry_in > 0));
		rc = api_parse_acc_verified(status, body, len, &v, err, sizeof err);
		if (rc == API_OK)
			REQUIRE(api_acc_token_ok(v.token) && v.expires_in > 0);
		else
			REQUIRE(!v.token[0] && (rc == API_ACC_WRONG_CODE || v.tries_left == 0));
	}
	if (pr) {
		if (api_parse_acc_products(body, len, pr, err, sizeof err) == API_OK) {
			REQUIRE(pr->n >= 0 && pr->n <= API_ACC_PRODUCTS_MAX);
			for (int i = 0; i < pr->n; i++)
				REQUIRE(pr->p[i].id[0] && pr->p[i].balance >= 0);
		} else {
			REQUIRE(pr->n == 0);
		}
		free(pr);
	}
	if (api_parse_acc_statement(body, len, &st, err, sizeof err) == API_OK) {
		REQUIRE(st.n >= 0 && st.n <= API_ACC_MOVES_MAX && (st.n == 0 || st.moves));
		REQUIRE(st.sent_to[0] ? account_masked_ok(st.sent_to) && st.n == 0 : st.product[0] != '\0');
		for (int i = 0; i < st.n; i++)
			REQUIRE(st.moves[i].date / 100 == st.month);
		api_acc_statement_free(&st);
	} else {
		REQUIRE(st.moves == NULL && st.n == 0);
	}
	if (api_parse_acc_history(body, len, &h, err, sizeof err) == API_OK) {
		REQUIRE(h.n >= 0 && h.n <= API_ACC_PAYMENTS_MAX && (h.n == 0 || h.p));
		for (int i = 1; i < h.n; i++)
			REQUIRE(h.p[i].date <= h.p[i - 1].date);
		api_acc_history_free(&h);
	} else {
		REQUIRE(h.p == NULL && h.n == 0);
	}
	if (api_parse_acc_certificate(body, len, &c, err, sizeof err) == API_OK) {
		struct account_cert_fields f;
		char again[ACCOUNT_CERT_PAYLOAD_MAX];

		REQUIRE(account_cert_parse(c.payload, &f, NULL, 0) == 0);
		REQUIRE(account_cert_format(&f, again, sizeof again) > 0 && strcmp(again, c.payload) == 0);
	} else {
		REQUIRE(!c.payload[0] && !c.signature[0] && c.f.kind == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;

	fuzz_events(body, size);
	fuzz_debts(body, size);
	fuzz_agents(body, size);
	fuzz_rest(body, size);
	fuzz_account(body, size);
	return 0;
}
