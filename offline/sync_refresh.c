/* sync_refresh — the sync worker's refresh: the TRM, then the portfolio changes page by page
 * (docs/sync.md "Refresh"). The API client parses each answer into a sink; this file is the
 * sink, and owns the store's import transaction around it: begun once the answer has arrived,
 * committed when the whole page was taken, rolled back otherwise. */
#include <stdio.h>
#include <string.h>

#include "sync_internal.h"

#define META_CURSOR "sync_cursor"
#define META_CURSOR_URL "sync_cursor_url" /* the server the cursor belongs to */

/* The import transaction as a sink; when the store refuses a record, store_error() says why
 * and `refused` tells the caller to add it to the parser's record path. */
struct import_sink {
	struct store *st;
	int begun;   /* the transaction is open */
	int refused; /* 1: a record, 2: the transaction itself */
};

static int sink_begin(void *user)
{
	struct import_sink *k = user;

	if (store_import_begin(k->st) < 0) {
		k->refused = 2;
		return -1;
	}
	k->begun = 1;
	return 0;
}

static int sink_customer(void *user, enum id_type t, const char *number, const char *name)
{
	struct import_sink *k = user;
	int rc = store_import_customer(k->st, t, number, name);

	k->refused |= rc < 0;
	return rc;
}

static int sink_document(void *user, const struct document *d)
{
	struct import_sink *k = user;
	int rc = store_import_document(k->st, d);

	k->refused |= rc < 0;
	return rc;
}

static int sink_trm(void *user, const struct trm *t)
{
	struct import_sink *k = user;
	int rc = store_import_trm(k->st, t);

	k->refused |= rc < 0;
	return rc;
}

static const struct api_sink import_sink = {sink_customer, sink_document, sink_trm, sink_begin};

/* After a failed call: the transaction is rolled back, and the reason is the client's, with
 * the store's after the record path when the store refused the record, or the store's alone
 * when it could not begin. */
static int import_failed(struct api *a, struct import_sink *k, const char *what, int rc, char *err,
			 size_t errn)
{
	if (k->begun)
		store_import_abort(k->st);
	if (k->refused == 2)
		snprintf(err, errn, "%s: store: %s", what, store_error(k->st));
	else if (k->refused)
		snprintf(err, errn, "%s.%s", api_error(a), store_error(k->st));
	else
		snprintf(err, errn, "%s", api_error(a));
	return rc;
}

/* A failed commit rolls back by itself (store.h). */
static int commit_failed(struct store *st, const char *what, char *err, size_t errn)
{
	snprintf(err, errn, "%s: store: %s", what, store_error(st));
	return API_ERR_PROTOCOL;
}

int sync_import_trm(struct api *a, struct store *st, char *err, size_t errn)
{
	struct import_sink k = {st, 0, 0};
	int rc, count;

	rc = api_trm(a, &import_sink, &k, &count);
	if (rc != API_OK)
		return import_failed(a, &k, "trm", rc, err, errn);
	/* rates are not portfolio data: how fresh the portfolio is does not change */
	if (store_import_commit_keep(st) < 0)
		return commit_failed(st, "trm", err, errn);
	return API_OK;
}

int sync_import_changes(struct api *a, struct store *st, const char *cursor, char *next, size_t next_n,
			int *more, char *err, size_t errn)
{
	struct import_sink k = {st, 0, 0};
	struct api_page page;
	int rc;

	*more = 0;
	rc = api_portfolio_changes(a, cursor, &import_sink, &k, &page);
	if (rc != API_OK)
		return import_failed(a, &k, "portfolio changes", rc, err, errn);
	if (strlen(page.cursor) >= next_n) {
		store_import_abort(st);
		snprintf(err, errn, "portfolio changes: cursor too long");
		return API_ERR_PROTOCOL;
	}
	/* The last page makes the local data as fresh as the server's as_of; a page with more
	 * to come leaves data_as_of alone, so the kiosk never claims data it has half of. */
	if (page.more ? store_import_commit_keep(st) < 0 : store_import_commit(st, page.as_of) < 0)
		return commit_failed(st, "portfolio changes", err, errn);
	snprintf(next, next_n, "%s", page.cursor);
	*more = page.more;
	return API_OK;
}

/* The saved cursor, or "" (from the start) when there is none or it belongs to another
 * server. */
static int cursor_load(struct store *st, const char *base_url, char *cursor, size_t n, char *err,
		       size_t errn)
{
	char url[256];
	int rc;

	cursor[0] = '\0';
	rc = store_meta_get(st, META_CURSOR_URL, url, sizeof url);
	if (rc < 0)
		goto fail;
	if (rc == 1 || strcmp(url, base_url) != 0)
		return 0;
	rc = store_meta_get(st, META_CURSOR, cursor, n);
	if (rc < 0)
		goto fail;
	return 0;
fail:
	cursor[0] = '\0';
	snprintf(err, errn, "store: %s", store_error(st));
	return SYNC_ERR_LOCAL;
}

int sync_refresh_pages(struct api *a, struct store *st, const char *base_url, const _Atomic int *cancel,
		       int *sent, int *changed, int *more, char *err, size_t errn)
{
	char cursor[API_CURSOR_MAX], next[API_CURSOR_MAX];
	int rc;

	*more = 0;
	rc = sync_import_trm(a, st, err, errn);
	if (rc != API_OK)
		return rc;
	*sent = 1;
	if (cursor_load(st, base_url, cursor, sizeof cursor, err, errn) < 0)
		return SYNC_ERR_LOCAL;
	for (int page = 0; page < SYNC_PAGES_PER_ROUND && !*cancel; page++) {
		rc = sync_import_changes(a, st, cursor, next, sizeof next, more, err, errn);
		if (rc != API_OK)
			return rc;
		*changed = 1;
		/* After the page's commit: a crash in between fetches the page again, and applying
		 * it twice gives the same store (each customer replaces its documents). */
		if (store_meta_set(st, META_CURSOR, next) < 0 || store_meta_set(st, META_CURSOR_URL, base_url) < 0) {
			snprintf(err, errn, "store: saving the portfolio cursor: %s", store_error(st));
			return SYNC_ERR_LOCAL;
		}
		memcpy(cursor, next, sizeof cursor);
		if (!*more)
			break;
	}
	return API_OK;
}
