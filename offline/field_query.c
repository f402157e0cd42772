/* field_query — the field agent's work list (field_query.h) and what the search and the
 * cuotas share: a client's documents with their effective balances and a client's figures
 * on a day (docs/field-mode.md "Search and work list"). The search is in
 * field_query_search.c, the cuotas in field_query_cuotas.c, the name index in
 * field_query_words.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field_query.h"
#include "field_query_internal.h"
#include "field_store.h"
#include "store_internal.h"

int field_query_portfolio(struct store *s, enum id_type t, const char *number, struct portfolio *p)
{
	int rc = store_lookup(s, t, number, p);

	if (rc != 0)
		return rc;
	for (int i = 0; i < p->ndocs; i++) {
		int64_t paid = 0;

		if (field_unreflected_paid(s, t, number, p->docs[i].number, &paid) < 0) {
			portfolio_free(p);
			return STORE_ERR;
		}
		p->docs[i].balance -= paid;
	}
	return 0;
}

/* The work list's order among equals in days: the name folded (accents and case ignored). */
static void fold_key(const char *name, char *key, size_t n)
{
	char words[48][32];
	int nw = field_name_words(name, words, 48);
	size_t len = 0;

	key[0] = '\0';
	for (int i = 0; i < nw && len + 1 < n; i++) {
		size_t wl = strlen(words[i]);

		if (i)
			key[len++] = ' ';
		if (wl > n - 1 - len)
			wl = n - 1 - len;
		memcpy(key + len, words[i], wl);
		len += wl;
		key[len] = '\0';
	}
}

/* 1 when the agent has the client in the work list, 0 when not, <0. */
static int is_assigned(struct store *s, sqlite3_stmt *st, enum id_type t, const char *number)
{
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_text(st, 2, id_type_code(t), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, number, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "field: the work list");
}

/* The client's figures on today from its effective balances. 0, 1 when the store does not
 * know the client (any more), <0. */
static int client_fill(struct store *s, enum id_type t, const char *number, int32_t today,
		       struct field_client *c)
{
	struct portfolio p;
	int rc = field_query_portfolio(s, t, number, &p);

	memset(c, 0, sizeof *c);
	if (rc != 0)
		return rc;
	c->id_type = t;
	snprintf(c->id_number, sizeof c->id_number, "%s", p.id_number);
	snprintf(c->name, sizeof c->name, "%s", p.name);
	for (int i = 0; i < p.ndocs; i++) {
		const struct document *d = &p.docs[i];
		int days = field_days_past_due(d->due, today);
		int usd = d->cur == CUR_USD;

		if (d->balance <= 0)
			continue;
		c->ndocs++;
		*(usd ? &c->owed_usd_minor : &c->owed_cop_minor) += d->balance;
		if (days > 0)
			*(usd ? &c->overdue_usd_minor : &c->overdue_cop_minor) += d->balance;
		if (days > c->days_past_due)
			c->days_past_due = days;
	}
	c->bucket = field_bucket_of(c->days_past_due);
	portfolio_free(&p);
	return 0;
}

sqlite3_stmt *field_query_prepare(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail_db(s, "field: preparing a query");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

#define ASSIGNED_SQL "SELECT 1 FROM agent_clients WHERE agent_code = ?1 AND id_type = ?2 AND id_number = ?3"

/* Fills out[0..n-1] from the candidates (skipping any the store lost meanwhile). */
int field_query_clients(struct store *s, const char *agent, const struct cand *v, int n, int32_t today,
		      struct field_client **out, int *nout)
{
	sqlite3_stmt *as = field_query_prepare(s, ASSIGNED_SQL);
	int k = 0, rc = 0;

	*out = NULL;
	*nout = 0;
	if (!as)
		return STORE_ERR;
	sqlite3_bind_text(as, 1, agent ? agent : "", -1, SQLITE_TRANSIENT);
	if (n > 0 && !(*out = calloc((size_t)n, sizeof **out)))
		rc = store_fail(s, STORE_ERR, "field: out of memory");
	for (int i = 0; rc >= 0 && i < n; i++) {
		rc = client_fill(s, v[i].t, v[i].number, today, &(*out)[k]);
		if (rc == 0 && (rc = is_assigned(s, as, v[i].t, v[i].number)) >= 0)
			(*out)[k++].assigned = rc;
		rc = rc < 0 ? rc : 0;
	}
	sqlite3_finalize(as);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		return rc;
	}
	*nout = k;
	return 0;
}

/* ---- the work list ---- */

static int by_days_then_name(const void *a, const void *b)
{
	const struct field_client *x = a, *y = b;
	char kx[96], ky[96];
	int c;

	if (x->days_past_due != y->days_past_due)
		return x->days_past_due > y->days_past_due ? -1 : 1;
	fold_key(x->name, kx, sizeof kx);
	fold_key(y->name, ky, sizeof ky);
	c = strcmp(kx, ky);
	if (!c)
		c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->id_number, y->id_number);
}

int field_worklist_get(struct store *s, const char *agent, int32_t today, struct field_worklist *out)
{
	sqlite3_stmt *st;
	struct cand *v = NULL;
	int n = 0, cap = 0, rc;

	memset(out, 0, sizeof *out);
	st = field_query_prepare(s, "SELECT a.id_type, a.id_number, c.name FROM agent_clients AS a JOIN customers AS c"
			" ON c.id_type = a.id_type AND c.id_number = a.id_number WHERE a.agent_code = ?1");
	if (!st)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, agent ? agent : "", -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		enum id_type t;

		if (id_type_parse((const char *)sqlite3_column_text(st, 0), &t) < 0)
			continue;
		if (n == cap) {
			struct cand *nv = realloc(v, (size_t)(cap = cap ? cap * 2 : 64) * sizeof *v);

			if (!nv)
				break;
			v = nv;
		}
		v[n].t = t;
		snprintf(v[n].number, sizeof v[n].number, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(v[n].name, sizeof v[n].name, "%s", (const char *)sqlite3_column_text(st, 2));
		n++;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		rc = store_fail(s, STORE_ERR, "field: out of memory");
	else if (rc != SQLITE_DONE)
		rc = store_fail_db(s, "field: the work list");
	else
		rc = field_query_clients(s, agent, v, n, today, &out->rows, &out->n);
	free(v);
	if (rc < 0)
		return rc;
	if (out->n > 1)
		qsort(out->rows, (size_t)out->n, sizeof *out->rows, by_days_then_name);
	for (int i = 0; i < out->n; i++) {
		const struct field_client *c = &out->rows[i];

		out->bucket_clients[c->bucket]++;
		out->bucket_overdue_cop[c->bucket] += c->overdue_cop_minor;
		out->bucket_overdue_usd[c->bucket] += c->overdue_usd_minor;
	}
	return 0;
}

void field_worklist_free(struct field_worklist *w)
{
	free(w->rows);
	memset(w, 0, sizeof *w);
}
