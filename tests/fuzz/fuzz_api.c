/* fuzz_api — libFuzzer target for the central API's response parsers (offline/api_parse.c).
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;

	fuzz_events(body, size);
	fuzz_debts(body, size);
	fuzz_agents(body, size);
	fuzz_rest(body, size);
	return 0;
}
