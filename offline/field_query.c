/* field_query — the field agent's work list and client search (field_query.h). A client's
 * figures come from its documents with their effective balances (field_query_portfolio); the
 * name search is a range scan of customer_words (field_query_words.c) on the longest word
 * typed, the other words checked per customer through customer_words_by_customer, and the
 * first `max` by folded name kept while the rows stream (docs/field-mode.md "Search and work
 * list"). Cuotas: field_query_cuotas.c. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field_query.h"
#include "field_query_internal.h"
#include "field_store.h"
#include "store_internal.h"

#define QUERY_WORDS 8      /* words of a name query used; more only narrow further */
#define NAME_MIN 2         /* letters of the longest word typed */
#define ID_MIN 3           /* digits of an ID */
#define SEARCH_MAX 500     /* rows a search returns at most, whatever max asks */
#define MSG_SHORT "Escriba al menos 2 letras del nombre o 3 dígitos del documento."
#define MSG_DV "El dígito de verificación no corresponde a ese NIT."

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

/* A client found, before its figures: what the order by name needs. */
struct cand {
	enum id_type t;
	char number[24];
	char name[96];
	char key[96]; /* the name folded (field_name_words joined by spaces): the sort key */
};

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

static int cand_cmp(const struct cand *a, const struct cand *b)
{
	int c = strcmp(a->key, b->key);

	if (!c)
		c = strcmp(a->name, b->name);
	if (!c)
		c = (int)a->t - (int)b->t;
	return c ? c : strcmp(a->number, b->number);
}

/* The first `max` candidates by name, kept sorted as rows stream in. */
struct topn {
	struct cand *v;
	int n, max;
};

static void topn_add(struct topn *tn, const struct cand *c)
{
	int lo = 0, hi = tn->n;

	if (tn->n == tn->max && cand_cmp(c, &tn->v[tn->n - 1]) >= 0)
		return;
	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (cand_cmp(&tn->v[mid], c) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < tn->n && cand_cmp(&tn->v[lo], c) == 0)
		return; /* the same customer twice (two of its words match) */
	if (tn->n < tn->max)
		tn->n++;
	memmove(&tn->v[lo + 1], &tn->v[lo], (size_t)(tn->n - 1 - lo) * sizeof *tn->v);
	tn->v[lo] = *c;
}

static void cand_set(struct cand *c, enum id_type t, const char *number, const char *name)
{
	c->t = t;
	snprintf(c->number, sizeof c->number, "%s", number);
	snprintf(c->name, sizeof c->name, "%s", name);
	fold_key(name, c->key, sizeof c->key);
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

static sqlite3_stmt *prepare(struct store *s, const char *sql)
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
static int clients_of(struct store *s, const char *agent, const struct cand *v, int n, int32_t today,
		      struct field_client **out, int *nout)
{
	sqlite3_stmt *as = prepare(s, ASSIGNED_SQL);
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

/* ---- search by ID ---- */

/* Adds the client (t, number) when the store knows it. 1 added, 0 not known, <0. */
static int id_find(struct store *s, struct topn *tn, enum id_type t, const char *number)
{
	struct portfolio p;
	struct cand c;
	int rc = store_lookup(s, t, number, &p);

	if (rc != 0)
		return rc > 0 ? 0 : rc;
	cand_set(&c, t, number, p.name);
	portfolio_free(&p);
	topn_add(tn, &c);
	return 1;
}

/* 1 when the store knows the client, 0 when not, <0. */
static int known(struct store *s, enum id_type t, const char *number)
{
	struct portfolio p;
	int rc = store_lookup(s, t, number, &p);

	if (rc == 0)
		portfolio_free(&p);
	return rc == 0 ? 1 : rc == 1 ? 0 : rc;
}

/* A NIT typed with its check digit run into the number ("9001234568"): when the base is a
 * NIT the store knows, the last digit must be its DV. 1 added, 0 no such NIT, STORE_EINVAL. */
static int nit_with_dv(struct store *s, struct topn *tn, const char *digits)
{
	char base[24];
	size_t n = strlen(digits);
	int rc;

	if (n < 2 || n > sizeof base)
		return 0;
	memcpy(base, digits, n - 1);
	base[n - 1] = '\0';
	if (nit_check_digit(base) == digits[n - 1] - '0')
		return id_find(s, tn, ID_NIT, base);
	/* a wrong digit is refused only for a NIT that exists: "1020304059" may be a CC */
	rc = known(s, ID_NIT, base);
	return rc > 0 ? store_fail(s, STORE_EINVAL, MSG_DV) : rc;
}

/* Splits query into at most 2 blank-separated tokens; returns how many there are (3 = more). */
static int tokens(const char *p, char tok[2][64])
{
	int ntok = 0;

	while (*p && ntok < 3) {
		size_t len;

		while (*p == ' ' || *p == '\t')
			p++;
		len = strcspn(p, " \t");
		if (!len)
			break;
		if (ntok < 2)
			snprintf(tok[ntok], sizeof tok[ntok], "%.*s", (int)(len < 63 ? len : 63), p);
		ntok++;
		p += len;
	}
	return ntok;
}

/* An ID query: "[TYPE] NUMBER", NUMBER digits with optional dots (letters too after PA), or a
 * NIT as "BASE-DV". 1 when the text is one (tn filled), 0 when it is not (a name: no digit, or
 * a character no document has without a type before it), <0 (STORE_EINVAL: too short, a wrong
 * DV, a character a document of the type typed cannot have). */
static int search_id(struct store *s, const char *query, struct topn *tn)
{
	char tok[2][64], num[24];
	int ntok = tokens(query, tok), has_type = 0, dv = -1, ndigits = 0, nalpha = 0, bad = 0, rc;
	enum id_type t = ID_CC;
	const char *dash;
	size_t k = 0, len = 0;

	if (ntok == 2 && id_type_parse(tok[0], &t) == 0)
		has_type = 1;
	else if (ntok != 1)
		return 0;
	dash = strchr(tok[has_type], '-');
	for (const char *q = tok[has_type]; *q && q != dash; q++) {
		if (*q == '.')
			continue;
		if (isdigit((unsigned char)*q))
			ndigits++;
		else if (has_type && t == ID_PA && isalpha((unsigned char)*q))
			nalpha++;
		else
			bad = 1;
		if (k + 1 < sizeof num)
			num[k++] = (char)toupper((unsigned char)*q);
		len++;
	}
	num[k] = '\0';
	if (!ndigits || (bad && !has_type))
		return 0;
	if (bad)
		return store_fail(s, STORE_EINVAL, "Ese número tiene caracteres que un documento %s no lleva.",
				  id_type_code(t));
	if (dash) {
		if (!isdigit((unsigned char)dash[1]) || dash[2] || (has_type && t != ID_NIT) || nalpha)
			return store_fail(s, STORE_EINVAL, "Solo el NIT lleva dígito de verificación, "
							   "después del guion.");
		dv = dash[1] - '0';
	}
	if (ndigits + nalpha < ID_MIN)
		return store_fail(s, STORE_EINVAL, MSG_SHORT);
	if (len >= sizeof num)
		return 1; /* longer than any document number: nobody */
	if (dv >= 0) {
		if (nit_check_digit(num) != dv)
			return store_fail(s, STORE_EINVAL, MSG_DV);
		return (rc = id_find(s, tn, ID_NIT, num)) < 0 ? rc : 1;
	}
	for (int i = 0; i < ID_TYPE_COUNT; i++)
		if ((!has_type || (enum id_type)i == t) && (rc = id_find(s, tn, (enum id_type)i, num)) < 0)
			return rc;
	if (tn->n == 0 && (!has_type || t == ID_NIT) && !nalpha && (rc = nit_with_dv(s, tn, num)) < 0)
		return rc;
	return 1;
}

/* ---- search by name ---- */

static void prefix_end(const char *w, char *end, size_t n)
{
	size_t len = strlen(w);

	snprintf(end, n, "%s", w);
	/* folded words are [a-z0-9]: the last byte + 1 is still above every word with the prefix */
	if (len)
		end[len - 1]++;
}

static int search_name(struct store *s, const char *query, struct topn *tn)
{
	char words[QUERY_WORDS][32], ends[QUERY_WORDS][32], sql[256 + QUERY_WORDS * 128];
	int n = field_name_words(query, words, QUERY_WORDS), lead = 0, rc, pos = 0;
	sqlite3_stmt *st;

	for (int i = 1; i < n; i++)
		if (strlen(words[i]) > strlen(words[lead]))
			lead = i;
	if (n == 0 || strlen(words[lead]) < NAME_MIN)
		return store_fail(s, STORE_EINVAL, MSG_SHORT);
	/* The longest word drives (likely the fewest rows); IN dedups customers two of whose
	 * words share the prefix; each other word must prefix some word of the same customer. */
	pos = snprintf(sql, sizeof sql,
		       "SELECT c.id_type, c.id_number, c.name FROM customers AS c WHERE c.id IN"
		       " (SELECT customer_id FROM customer_words WHERE word >= ?1 AND word < ?2)");
	for (int i = 0, b = 3; i < n; i++) {
		if (i == lead)
			continue;
		pos += snprintf(sql + pos, sizeof sql - (size_t)pos,
				" AND EXISTS(SELECT 1 FROM customer_words AS w WHERE w.customer_id = c.id"
				" AND w.word >= ?%d AND w.word < ?%d)",
				b, b + 1);
		b += 2;
	}
	if (!(st = prepare(s, sql)))
		return STORE_ERR;
	for (int i = 0, b = 1; i < n; i++) {
		int at = i == lead ? 1 : (b += 2);

		prefix_end(words[i], ends[i], sizeof ends[i]);
		sqlite3_bind_text(st, at, words[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, at + 1, ends[i], -1, SQLITE_STATIC);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cand c;
		enum id_type t;

		if (id_type_parse((const char *)sqlite3_column_text(st, 0), &t) < 0)
			continue;
		cand_set(&c, t, (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2));
		topn_add(tn, &c);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "field: search");
}

int field_search(struct store *s, const char *agent, const char *query, int32_t today, int max,
		 struct field_client **out, int *n)
{
	struct topn tn = { NULL, 0, max };
	int rc;

	*out = NULL;
	*n = 0;
	if (!query || max <= 0)
		return store_fail(s, STORE_EINVAL, MSG_SHORT);
	if (max > SEARCH_MAX)
		tn.max = SEARCH_MAX;
	if (!(tn.v = calloc((size_t)tn.max + 1, sizeof *tn.v)))
		return store_fail(s, STORE_ERR, "field: out of memory");
	rc = search_id(s, query, &tn);
	if (rc == 0)
		rc = search_name(s, query, &tn);
	if (rc >= 0)
		rc = clients_of(s, agent, tn.v, tn.n, today, out, n);
	free(tn.v);
	return rc;
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
	st = prepare(s, "SELECT a.id_type, a.id_number, c.name FROM agent_clients AS a JOIN customers AS c"
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
		cand_set(&v[n++], t, (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		rc = store_fail(s, STORE_ERR, "field: out of memory");
	else if (rc != SQLITE_DONE)
		rc = store_fail_db(s, "field: the work list");
	else
		rc = clients_of(s, agent, v, n, today, &out->rows, &out->n);
	free(v);
	if (rc < 0)
		return rc;
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
