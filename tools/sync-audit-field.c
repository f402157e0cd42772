/* The field checks of sync-audit (see sync-audit-field.h). Prints numbers, counts and keys
 * (random UUIDs), never a customer's name, id number or document number. */
#include "sync-audit-field.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "sign.h"

#define PORTFOLIO_MAX (64L * 1024 * 1024)

static int64_t count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* How many server field events have this key and type. */
static int on_server(const cJSON *events, const char *key, const char *type)
{
	const cJSON *e;
	int n = 0;

	cJSON_ArrayForEach(e, events)
	{
		const char *k = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "key"));
		const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "type"));

		n += k && t && strcmp(k, key) == 0 && strcmp(t, type) == 0;
	}
	return n;
}

/* Every key the query gives is on the server exactly once as `type`. */
static void keys_once(sqlite3 *db, const cJSON *events, const char *sql, const char *type, const char *what)
{
	sqlite3_stmt *st = NULL;
	long n = 0, bad = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK)
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *k = (const char *)sqlite3_column_text(st, 0);
			int c = k ? on_server(events, k, type) : 0;

			n++;
			if (c != 1 && bad++ < 5)
				printf("  %s %s is on the server %d times\n", type, k ? k : "(null)", c);
		}
	sqlite3_finalize(st);
	verdict(st != NULL && bad == 0, "every local %s is on the server exactly once (%ld, %ld not)", what,
		n, bad);
}

/* The seed balance of a document, or -1. NIT numbers in the file carry their check digit. */
static int64_t seed_balance(const cJSON *seed, const char *type, const char *number, const char *doc)
{
	const cJSON *c, *d;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(seed, "customers"))
	{
		const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id_type"));
		const char *n = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id_number"));

		if (!t || !n || strcmp(t, type) != 0 || strncmp(n, number, strlen(number)) != 0 ||
		    (n[strlen(number)] && n[strlen(number)] != '-'))
			continue;
		cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(c, "documents"))
		{
			const char *num = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "number"));
			const cJSON *b = cJSON_GetObjectItemCaseSensitive(d, "balance");

			if (num && strcmp(num, doc) == 0 && cJSON_IsNumber(b))
				return (int64_t)b->valuedouble;
		}
	}
	return -1;
}

static cJSON *read_json(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	cJSON *j = NULL;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) > 0 && len < PORTFOLIO_MAX &&
	    fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)len + 1)) != NULL &&
	    fread(text, 1, (size_t)len, f) == (size_t)len) {
		text[len] = '\0';
		j = cJSON_Parse(text);
	}
	free(text);
	fclose(f);
	return j;
}

/* The server's balance of a document now (GET /v1/debts, signed): -1 when it is not there.
 * 0, or -1 when the server did not answer. */
static int server_balance(struct api *a, const char *type, const char *number, const char *doc, int64_t *out)
{
	struct portfolio p;
	enum id_type t;
	int rc;

	*out = -1;
	if (id_type_parse(type, &t) < 0)
		return -1;
	/* a faulty server (the simulator's switches) fails some answers: ask again */
	for (int i = 0; i < 10; i++) {
		rc = api_debts(a, t, number, 10000, &p);
		if (rc == API_OK || rc == API_NOT_FOUND || rc == API_ERR_TLS || rc == API_ERR_AUTH)
			break;
	}
	if (rc != API_OK)
		return rc == API_NOT_FOUND ? 0 : -1;
	for (int i = 0; i < p.ndocs; i++)
		if (strcmp(p.docs[i].number, doc) == 0)
			*out = p.docs[i].balance;
	portfolio_free(&p);
	return 0;
}

/* Each document the tablet's receipts touched: on the server at its seed balance minus what
 * the unvoided receipts paid (absent when that is 0). */
static void balance_checks(sqlite3 *db, const struct audit_server *srv)
{
	struct api_config ac;
	struct api *a = NULL;
	sqlite3_stmt *st = NULL;
	cJSON *seed = read_json(srv->portfolio);
	char err[256];
	long docs = 0, wrong = 0;

	memset(&ac, 0, sizeof ac);
	snprintf(ac.base_url, sizeof ac.base_url, "%s", srv->url);
	snprintf(ac.device_id, sizeof ac.device_id, "%s", srv->device);
	snprintf(ac.ca_file, sizeof ac.ca_file, "%s", srv->ca ? srv->ca : "");
	if (!seed || sign_load_secret(srv->secret, ac.secret, err, sizeof err) < 0 ||
	    !(a = api_open(&ac, err, sizeof err))) {
		verdict(0, "balances: cannot read the seed portfolio or reach the server");
		goto out;
	}
	if (sqlite3_prepare_v2(db,
			       "SELECT r.id_type, r.id_number, l.doc_number,"
			       " sum(CASE WHEN r.state = 'paid' THEN l.amount_minor ELSE 0 END)"
			       " FROM field_receipts r JOIN field_receipt_lines l ON l.receipt_id = r.id"
			       " GROUP BY 1, 2, 3",
			       -1, &st, NULL) != SQLITE_OK) {
		verdict(0, "balances: %s", sqlite3_errmsg(db));
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0),
			   *n = (const char *)sqlite3_column_text(st, 1);
		const char *doc = (const char *)sqlite3_column_text(st, 2);
		int64_t seeded = seed_balance(seed, t, n, doc), want, got;

		docs++;
		want = seeded - sqlite3_column_int64(st, 3);
		if (want == 0)
			want = -1; /* paid to 0: no longer on the server */
		if (seeded < 0 || server_balance(a, t, n, doc, &got) < 0 || got != want) {
			if (wrong++ < 5)
				printf("  a document paid in the field: server balance %" PRId64
				       ", want %" PRId64 "\n",
				       seeded < 0 ? -2 : got, want);
		}
	}
	verdict(docs > 0 && wrong == 0,
		"server balances = seed - paid, for the %ld documents paid in the field (%ld wrong)", docs,
		wrong);
out:
	sqlite3_finalize(st);
	api_close(a);
	cJSON_Delete(seed);
	explicit_bzero(ac.secret, sizeof ac.secret);
}

/* The server's counts for the agent against the tablet's: receipts, voids, closes, no gap. */
static void agent_checks(sqlite3 *db, const cJSON *stats)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(stats, "field"))
	{
		const char *agent = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "agent"));
		static const char *const names[] = {"receipts", "voids", "closes", "missing_numbers"};
		char sql[4][200];
		int ok = 1;

		if (!agent ||
		    strspn(agent, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") !=
			    strlen(agent))
			continue;
		snprintf(sql[0], sizeof sql[0], "SELECT count(*) FROM field_receipts WHERE agent_code = '%s'",
			 agent);
		snprintf(sql[1], sizeof sql[1],
			 "SELECT count(*) FROM field_receipts WHERE agent_code = '%s' AND state = 'void'",
			 agent);
		snprintf(sql[2], sizeof sql[2], "SELECT count(*) FROM field_closes WHERE agent_code = '%s'",
			 agent);
		snprintf(sql[3], sizeof sql[3], "SELECT 0");
		for (int i = 0; i < 4; i++) {
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, names[i]);

			ok = ok && cJSON_IsNumber(v) && (int64_t)v->valuedouble == count(db, sql[i]);
		}
		verdict(ok,
			"agent %s: the server's receipts, voids, closes equal the tablet's, no number missing",
			agent);
	}
}

void field_checks(sqlite3 *db, const cJSON *stats, const struct audit_server *srv, long *server_events)
{
	const cJSON *events = cJSON_GetObjectItemCaseSensitive(stats, "field_events");
	int64_t local = count(db, "SELECT count(*) FROM outbox WHERE type IN ('payment.collected',"
				  " 'payment.voided', 'collection.closed', 'collection.reopened')");

	*server_events = cJSON_GetArraySize(events);
	if (local <= 0 && *server_events == 0)
		return;
	verdict(count(db, "SELECT count(*) FROM field_receipts r WHERE (SELECT count(*) FROM outbox o"
			  " WHERE o.key = r.event_key AND o.type = 'payment.collected') != 1") == 0 &&
			count(db,
			      "SELECT count(*) FROM field_receipts r WHERE r.void_key IS NOT NULL AND"
			      " (SELECT count(*) FROM outbox o WHERE o.key = r.void_key AND o.type = 'payment.voided') != 1") ==
				0 &&
			count(db, "SELECT count(*) FROM field_closes c WHERE (SELECT count(*) FROM outbox o"
				  " WHERE o.key = c.event_key AND o.type = 'collection.closed') != 1") == 0,
		"every field receipt, void and close has exactly one outbox event of its own");
	verdict(count(db, "SELECT count(*) FROM (SELECT agent_code, device_id FROM field_receipts"
			  " GROUP BY 1, 2 HAVING max(number) != count(*) OR min(number) != 1)") == 0,
		"local receipt numbers run from 1 without a gap, per agent and device");
	keys_once(db, events, "SELECT event_key FROM field_receipts", "payment.collected",
		  "receipt's payment.collected");
	keys_once(db, events, "SELECT void_key FROM field_receipts WHERE void_key IS NOT NULL",
		  "payment.voided", "void's payment.voided");
	keys_once(db, events, "SELECT event_key FROM field_closes", "collection.closed",
		  "close's collection.closed");
	keys_once(db, events, "SELECT key FROM outbox WHERE type = 'collection.reopened'",
		  "collection.reopened", "reopen's collection.reopened");
	verdict(local == *server_events, "server field events %ld == local field events %" PRId64,
		*server_events, local);
	agent_checks(db, stats);
	if (srv->portfolio && srv->secret && srv->device)
		balance_checks(db, srv);
}
