/* api — the central API client's routes: what each endpoint sends and how its answer is
 * read (docs/api/contract.md). The transport is api_http.c's, the bodies and the strict
 * parsers api_parse.c's. Nothing here writes anywhere: answers come back as plain structs
 * (debts, event results) or go record by record to the caller's sink (portfolio changes,
 * TRM); the sync worker owns the import transaction around them (sync_refresh.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_http.h"
#include "api_internal.h"

int api_debts(struct api *a, enum id_type t, const char *number, long timeout_ms, struct portfolio *out)
{
	char path[128], perr[200];
	int rc;

	memset(out, 0, sizeof *out);
	if ((int)t < 0 || t >= ID_TYPE_COUNT || !number || id_validate(t, number, -1) != ID_OK ||
	    strlen(number) >= sizeof out->id_number)
		return api_fail(a, API_ERR_PROTOCOL, "debts: not a valid number for the document type");
	/* digits, and letters for a passport: nothing to escape */
	snprintf(path, sizeof path, "/v1/debts?id_type=%s&id_number=%s", id_type_code(t), number);
	a->redact = number;
	rc = api_exchange(a, "debts", "GET", path, NULL, 0, timeout_ms, 1);
	if (rc != API_OK)
		return api_done(a, rc);
	rc = api_parse_debts(a->body, a->len, out, perr, sizeof perr);
	if (rc != API_OK) {
		api_fail(a, rc, "%s", perr);
	} else if (out->id_type != t || strcmp(out->id_number, number) != 0) {
		portfolio_free(out);
		rc = api_fail(a, API_ERR_PROTOCOL, "debts: the answer is for another customer");
	}
	return api_done(a, rc);
}

int api_events(struct api *a, const struct outbox_event *ev, int n, struct api_item_result *results)
{
	struct outbox_event send[OUTBOX_BATCH_MAX];
	struct api_item_result got[OUTBOX_BATCH_MAX];
	int idx[OUTBOX_BATCH_MAX], m = 0, rc;
	char perr[200], *body;
	size_t len;

	if (n < 1 || n > OUTBOX_BATCH_MAX)
		return api_fail(a, API_ERR_PROTOCOL, "events: a batch has 1..%d events, not %d",
				OUTBOX_BATCH_MAX, n);
	memset(results, 0, (size_t)n * sizeof *results);
	/* An event that could never be accepted (a broken payload) would block the queue for
	 * ever: it is answered here as rejected, for the dead-letter list, and not sent. */
	for (int i = 0; i < n; i++) {
		if (api_event_check(&ev[i], results[i].reason, sizeof results[i].reason) < 0) {
			results[i].status = API_ITEM_REJECTED;
			continue;
		}
		send[m] = ev[i];
		idx[m++] = i;
	}
	if (m == 0)
		return API_OK;
	body = api_events_body(send, m, &len);
	if (!body)
		return api_fail(a, API_ERR_NETWORK, "events: out of memory building the batch");
	rc = api_exchange(a, "events", "POST", "/v1/events", body, len, 0, 0);
	free(body);
	if (rc == API_OK) {
		rc = api_parse_events(a->body, a->len, send, m, got, perr, sizeof perr);
		if (rc != API_OK)
			api_fail(a, rc, "%s", perr);
	}
	if (rc != API_OK) {
		memset(results, 0, (size_t)n * sizeof *results);
		return api_done(a, rc);
	}
	for (int j = 0; j < m; j++)
		results[idx[j]] = got[j];
	return api_done(a, API_OK);
}

/* A GET whose answer goes to a sink: the request, then the sink's begin once the answer is
 * here (a refusal is reported like a record's). */
static int get_for_sink(struct api *a, const char *what, const char *path, const struct api_sink *sink,
			void *user)
{
	int rc = api_exchange(a, what, "GET", path, NULL, 0, 0, 0);

	if (rc == API_OK && sink && sink->begin && sink->begin(user) < 0)
		rc = api_fail(a, API_ERR_PROTOCOL, "%s: the receiver cannot take the answer", what);
	return rc;
}

int api_portfolio_changes(struct api *a, const char *cursor, const struct api_sink *sink, void *user,
			  struct api_page *page)
{
	char path[64 + 3 * API_CURSOR_MAX], perr[200], *esc;
	int rc, n;

	memset(page, 0, sizeof *page);
	if (!cursor || strlen(cursor) >= API_CURSOR_MAX)
		return api_fail(a, API_ERR_PROTOCOL, "portfolio changes: cursor too long");
	esc = curl_easy_escape(a->curl, cursor, 0);
	if (!esc)
		return api_fail(a, API_ERR_NETWORK, "portfolio changes: out of memory");
	n = snprintf(path, sizeof path, "/v1/portfolio/changes?cursor=%s&limit=%d", esc, API_CHANGES_LIMIT);
	curl_free(esc);
	if (n < 0 || (size_t)n >= sizeof path)
		return api_fail(a, API_ERR_PROTOCOL, "portfolio changes: cursor too long");
	rc = get_for_sink(a, "portfolio changes", path, sink, user);
	if (rc == API_OK && (rc = api_parse_changes(a->body, a->len, sink, user, page, perr, sizeof perr)) != API_OK)
		api_fail(a, rc, "%s", perr);
	return api_done(a, rc);
}

int api_trm(struct api *a, const struct api_sink *sink, void *user, int *count)
{
	char perr[200];
	int rc;

	*count = 0;
	rc = get_for_sink(a, "trm", "/v1/trm", sink, user);
	if (rc == API_OK && (rc = api_parse_trm(a->body, a->len, sink, user, count, perr, sizeof perr)) != API_OK)
		api_fail(a, rc, "%s", perr);
	return api_done(a, rc);
}

int api_heartbeat(struct api *a, const struct api_heartbeat *hb)
{
	char perr[200], *body;
	int64_t server_time;
	size_t len;
	int rc;

	body = api_heartbeat_body(hb, &len);
	if (!body)
		return api_fail(a, API_ERR_NETWORK, "heartbeat: out of memory");
	rc = api_exchange(a, "heartbeat", "POST", "/v1/heartbeat", body, len, 0, 0);
	free(body);
	if (rc == API_OK) {
		rc = api_parse_heartbeat(a->body, a->len, &server_time, perr, sizeof perr);
		if (rc != API_OK)
			api_fail(a, rc, "%s", perr);
		else if (server_time > 0)
			a->server_time = server_time;
	}
	return api_done(a, rc);
}
