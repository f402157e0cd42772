/* The kiosk driver's field workload (see kiosk-driver-field.h). */
#include "kiosk-driver-field.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "field_agents.h"
#include "field_store.h"
#include "money.h"

#define AGENT "1001"
#define SUPERVISOR "1002"
#define PAID_MAX 512
#define CASH_STEP 5000000 /* the cash handed over: the amount rounded up to 50.000 pesos */

/* Documents already paid on this trip: the effective balance of each is 0 now. */
struct paid {
	char doc[PAID_MAX][32];
	int n;
};

static int was_paid(const struct paid *p, const char *doc)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->doc[i], doc) == 0)
			return 1;
	return 0;
}

/* The online logins before the trip: agent and supervisor known to the tablet with their
 * hashes cached (Argon2id: two hashes, once per data directory). */
static int login_online(struct store *s, const struct customer *cs, int ncs, int64_t at)
{
	static const struct {
		const char *code, *name, *password;
		enum field_role role;
	} who[] = {{AGENT, "Agente de campo", "campo2026", FIELD_ROLE_AGENT},
		   {SUPERVISOR, "Supervisor de campo", "super2026", FIELD_ROLE_SUPERVISOR}};
	static struct field_client_ref refs[1000];
	int nrefs = ncs < 1000 ? ncs : 1000;

	for (int i = 0; i < nrefs; i++) {
		refs[i].id_type = cs[i].type;
		snprintf(refs[i].id_number, sizeof refs[i].id_number, "%s", cs[i].number);
	}
	for (size_t i = 0; i < sizeof who / sizeof who[0]; i++) {
		struct field_agent a;
		int rc = field_agent_get(s, who[i].code, &a);

		if (rc == 0 && a.has_hash)
			continue;
		memset(&a, 0, sizeof a);
		snprintf(a.code, sizeof a.code, "%s", who[i].code);
		snprintf(a.name, sizeof a.name, "%s", who[i].name);
		a.role = who[i].role;
		a.cap_minor = -1;
		if (rc < 0 || field_agent_cache(s, &a, who[i].password, refs,
						who[i].role == FIELD_ROLE_AGENT ? nrefs : 0, at) != 0) {
			fprintf(stderr, "kiosk-driver: field: agent %s not cached: %s\n", who[i].code,
				store_error(s));
			return -1;
		}
	}
	return 0;
}

/* One or two COP documents of a customer not paid yet, each in full. 0, or 1 when the
 * customer has none. */
static int build_collect(const struct portfolio *p, struct paid *paid, uint64_t r,
			 struct field_collect_req *req)
{
	int want = r % 2 ? 2 : 1;

	for (int i = 0; i < p->ndocs && req->nlines < want && paid->n < PAID_MAX; i++) {
		const struct document *d = &p->docs[i];
		struct field_line_req *l = &req->lines[req->nlines];

		if (d->cur != CUR_COP || d->balance <= 0 || was_paid(paid, d->number))
			continue;
		snprintf(l->doc_number, sizeof l->doc_number, "%s", d->number);
		l->amount_minor = d->balance;
		req->nlines++;
	}
	return req->nlines ? 0 : 1;
}

/* One collection from a random customer at `now`; its number in *number. */
static int collect_one(struct store *s, const struct field_work *w, const struct customer *cs, int ncs,
		       struct paid *paid, int64_t now, int denoms, uint64_t *number)
{
	for (int tries = 0; tries < ncs; tries++) {
		const struct customer *k = &cs[w->rng() % (uint64_t)ncs];
		struct field_collect_req req;
		struct field_receipt rec;
		struct portfolio p;
		int64_t total = 0;
		int rc = store_lookup(s, k->type, k->number, &p);

		if (rc < 0) {
			fprintf(stderr, "kiosk-driver: field: lookup failed: %s\n", store_error(s));
			return -1;
		}
		if (rc > 0)
			continue;
		memset(&req, 0, sizeof req);
		rc = build_collect(&p, paid, w->rng(), &req);
		portfolio_free(&p);
		if (rc > 0)
			continue;
		for (int i = 0; i < req.nlines; i++)
			total += req.lines[i].amount_minor;
		req.agent = AGENT;
		req.device_id = w->device;
		req.id_type = k->type;
		req.id_number = k->number;
		req.cur = CUR_COP;
		req.cash_minor = (total + CASH_STEP - 1) / CASH_STEP * CASH_STEP;
		if (denoms) { /* the agent counted the bills: all of 50.000 pesos */
			req.ndenoms = 1;
			req.denoms[0] = (struct field_denom){CASH_STEP, (int)(req.cash_minor / CASH_STEP)};
		}
		req.now = now;
		req.day = date_from_epoch(now);
		if (field_collect(s, &req, &rec) != 0) {
			fprintf(stderr, "kiosk-driver: field: not collected: %s\n", store_error(s));
			return -1;
		}
		for (int i = 0; i < req.nlines; i++)
			snprintf(paid->doc[paid->n++], sizeof paid->doc[0], "%s", req.lines[i].doc_number);
		*number = rec.number;
		return 0;
	}
	fprintf(stderr, "kiosk-driver: field: no customer with an unpaid COP document\n");
	return -1;
}

int field_work_run(struct store *s, const struct field_work *w, const struct customer *cs, int ncs)
{
	static struct paid paid;
	long receipts = 0, voided = 0, closes = 0;

	if (login_online(s, cs, ncs, w->start - 3600) < 0)
		return -1;
	for (long d = 0; d < w->days; d++) {
		int64_t morning = w->start + d * 86400;
		int32_t day = date_from_epoch(morning);
		uint64_t first = 0, number;
		struct field_totals t;
		struct field_receipt r;

		for (long k = 0; k < w->per_day; k++) {
			if (collect_one(s, w, cs, ncs, &paid, morning + k * 600, k == 0, &number) < 0)
				return -1;
			printf("field-collected %s %" PRIu64 "\n", AGENT, number);
			receipts++;
			if (k == 0)
				first = number;
		}
		if (d == 1 && first > 0) {
			if (field_void(s, AGENT, w->device, first, "valor equivocado", SUPERVISOR,
				       morning + w->per_day * 600, day, &r) != 0) {
				fprintf(stderr, "kiosk-driver: field: not voided: %s\n", store_error(s));
				return -1;
			}
			printf("field-voided %s %" PRIu64 "\n", AGENT, first);
			voided++;
		}
		if (field_close_day(s, AGENT, w->device, day, morning + 8 * 3600, &t) != 0) {
			fprintf(stderr, "kiosk-driver: field: day not closed: %s\n", store_error(s));
			return -1;
		}
		printf("field-closed %s %" PRId32 " %" PRId64 "\n", AGENT, day, t.receipts);
		closes++;
	}
	printf("field-done receipts=%ld voided=%ld closes=%ld\n", receipts, voided, closes);
	fflush(stdout);
	return 0;
}
