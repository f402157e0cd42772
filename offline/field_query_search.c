/* field_query_search — the client search (field_query.h field_search), docs/field-mode.md
 * "Search and work list". An ID (any document type; a NIT with its DV, checked) is looked up
 * directly. A name query's words are prefixes: the customers matching all of them come from
 * the words' ranges of customer_words (field_query_words.c), intersected here, and the first
 * max by name are kept, reading the few by id or walking customers_by_name for the many. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field_query.h"
#include "field_query_internal.h"
#include "store_internal.h"

#define QUERY_WORDS 8      /* words of a name query used; more only narrow further */
#define NAME_MIN 2         /* letters of the longest word typed */
#define ID_MIN 3           /* digits of an ID */
#define SEARCH_MAX 500     /* rows a search returns at most, whatever max asks */
#define MSG_SHORT "Escriba al menos 2 letras del nombre o 3 dígitos del documento."
#define MSG_DV "El dígito de verificación no corresponde a ese NIT."

/* What a search found so far: at most max, each client once. */
struct found {
	struct cand *v;
	int n, max;
};

static void found_add(struct found *f, enum id_type t, const char *number, const char *name)
{
	struct cand *c;

	for (int i = 0; i < f->n; i++)
		if (f->v[i].t == t && !strcmp(f->v[i].number, number))
			return;
	if (f->n == f->max)
		return;
	c = &f->v[f->n++];
	c->t = t;
	snprintf(c->number, sizeof c->number, "%s", number);
	snprintf(c->name, sizeof c->name, "%s", name);
}

/* The search's order: the name as stored, byte by byte (what customers_by_name holds). */
static int cand_by_name(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (int)x->t - (int)y->t;
}

/* ---- search by ID ---- */

/* Adds the client (t, number) when the store knows it. 1 added, 0 not known, <0. */
static int id_find(struct store *s, struct found *f, enum id_type t, const char *number)
{
	struct portfolio p;
	int rc = store_lookup(s, t, number, &p);

	if (rc != 0)
		return rc > 0 ? 0 : rc;
	found_add(f, t, number, p.name);
	portfolio_free(&p);
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
static int nit_with_dv(struct store *s, struct found *f, const char *digits)
{
	char base[24];
	size_t n = strlen(digits);
	int rc;

	if (n < 2 || n > sizeof base)
		return 0;
	memcpy(base, digits, n - 1);
	base[n - 1] = '\0';
	if (nit_check_digit(base) == digits[n - 1] - '0')
		return id_find(s, f, ID_NIT, base);
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
 * NIT as "BASE-DV". 1 when the text is one (f filled), 0 when it is not (a name: no digit, or
 * a character no document has without a type before it), <0 (STORE_EINVAL: too short, a wrong
 * DV, a character a document of the type typed cannot have). */
static int search_id(struct store *s, const char *query, struct found *f)
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
		return (rc = id_find(s, f, ID_NIT, num)) < 0 ? rc : 1;
	}
	for (int i = 0; i < ID_TYPE_COUNT; i++)
		if ((!has_type || (enum id_type)i == t) && (rc = id_find(s, f, (enum id_type)i, num)) < 0)
			return rc;
	if (f->n == 0 && (!has_type || t == ID_NIT) && !nalpha && (rc = nit_with_dv(s, f, num)) < 0)
		return rc;
	return 1;
}

/* ---- search by name ---- */

static void prefix_end(const char *w, char *end, size_t n)
{
	size_t len = strlen(w);

	memcpy(end, w, len + 1 <= n ? len + 1 : n);
	/* folded words are [a-z0-9]: the last byte + 1 is still above every word with the prefix */
	if (len)
		end[len - 1]++;
}

struct name_query {
	char words[QUERY_WORDS][32], ends[QUERY_WORDS][32];
	int n;
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The customers with a word under the prefix of word i (a covering range of customer_words),
 * kept only where they are in ids[0..*n) already (i > 0): the customers every word so far
 * matches, sorted. 0 or <0. */
static int narrow(struct store *s, sqlite3_stmt *st, const struct name_query *q, int i, int64_t **ids, int *n)
{
	int64_t *v = NULL;
	int nv = 0, cap = 0, rc, k = 0;

	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, q->words[i], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, q->ends[i], -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (nv == cap) {
			int64_t *nw = realloc(v, (size_t)(cap = cap ? cap * 2 : 1024) * sizeof *v);

			if (!nw)
				break;
			v = nw;
		}
		v[nv++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return rc == SQLITE_ROW ? store_fail(s, STORE_ERR, "field: out of memory")
					: store_fail_db(s, "field: search");
	}
	if (nv > 1)
		qsort(v, (size_t)nv, sizeof *v, cmp_i64);
	for (int j = 0, a = 0; j < nv; j++) {
		if (j && v[j] == v[j - 1])
			continue;
		if (i > 0) { /* merge with the previous words' customers */
			while (a < *n && (*ids)[a] < v[j])
				a++;
			if (a == *n)
				break;
			if ((*ids)[a] != v[j])
				continue;
		}
		v[k++] = v[j];
	}
	free(*ids);
	*ids = v;
	*n = k;
	return 0;
}

/* The clients ids[0..n) by their rows, the first f->max by name into f: n random reads. */
static int by_ids(struct store *s, const int64_t *ids, int n, struct found *f)
{
	sqlite3_stmt *st = field_query_prepare(s, "SELECT id_type, id_number, name FROM customers WHERE id = ?1");
	struct cand *v = calloc((size_t)n + 1, sizeof *v);
	int k = 0, rc = SQLITE_ROW;

	if (!st || !v) {
		sqlite3_finalize(st);
		free(v);
		return st ? store_fail(s, STORE_ERR, "field: out of memory") : STORE_ERR;
	}
	for (int i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, ids[i]);
		if ((rc = sqlite3_step(st)) != SQLITE_ROW)
			break;
		if (id_type_parse((const char *)sqlite3_column_text(st, 0), &v[k].t) < 0)
			continue;
		snprintf(v[k].number, sizeof v[k].number, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(v[k].name, sizeof v[k].name, "%s", (const char *)sqlite3_column_text(st, 2));
		k++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && n > 0) { /* the snapshot holds every id the words gave */
		free(v);
		return store_fail_db(s, "field: search");
	}
	qsort(v, (size_t)k, sizeof *v, cand_by_name);
	for (int i = 0; i < k && f->n < f->max; i++)
		found_add(f, v[i].t, v[i].number, v[i].name);
	free(v);
	return 0;
}

/* The same for many ids: customers_by_name (name and id, a covering scan) walked in order,
 * each id tested against a bitmap of ids[], until f is full; only those rows are read. */
static int by_name(struct store *s, const int64_t *ids, int n, struct found *f)
{
	int64_t top = ids[n - 1], got[SEARCH_MAX];
	unsigned char *bits;

	if (top > (INT64_C(1) << 31))
		return by_ids(s, ids, n, f); /* ids far apart: no bitmap (slower, still right) */
	bits = calloc((size_t)(top / 8 + 1), 1);
	sqlite3_stmt *st = NULL;
	int k = 0, rc = SQLITE_DONE;

	if (!bits)
		return store_fail(s, STORE_ERR, "field: out of memory");
	if (!(st = field_query_prepare(s, "SELECT id FROM customers INDEXED BY customers_by_name ORDER BY name, id"))) {
		free(bits);
		return STORE_ERR;
	}
	for (int i = 0; i < n; i++)
		bits[ids[i] / 8] |= (unsigned char)(1u << (ids[i] % 8));
	while (k < f->max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		if (id >= 0 && id <= top && (bits[id / 8] & (1u << (id % 8))))
			got[k++] = id;
	}
	sqlite3_finalize(st);
	free(bits);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail_db(s, "field: search");
	return by_ids(s, got, k, f);
}

/* The customers matching every word come from the words' ranges of customer_words
 * (covering, well under a microsecond a row), intersected here; then the first max by name:
 * up to FETCH_MAX of them are read by id and sorted (1-2 us each), more are found by walking
 * the names in order (by_name), which stops at the first screenful. With 1,000,000
 * documents both stay under 50 ms (docs/benchmarks.md §4b). */
#define FETCH_MAX 12000
static int search_name(struct store *s, const char *query, struct found *f)
{
	struct name_query q;
	sqlite3_stmt *st;
	int64_t *ids = NULL;
	int nids = 0, longest = 0, rc = 0;

	q.n = field_name_words(query, q.words, QUERY_WORDS);
	for (int i = 0; i < q.n; i++) {
		if (strlen(q.words[i]) > strlen(q.words[longest]))
			longest = i;
		prefix_end(q.words[i], q.ends[i], sizeof q.ends[i]);
	}
	if (q.n == 0 || strlen(q.words[longest]) < NAME_MIN)
		return store_fail(s, STORE_EINVAL, MSG_SHORT);
	if (!(st = field_query_prepare(s, "SELECT customer_id FROM customer_words WHERE word >= ?1 AND word < ?2")))
		return STORE_ERR;
	for (int i = 0; rc == 0 && i < q.n && (i == 0 || nids > 0); i++)
		rc = narrow(s, st, &q, i, &ids, &nids);
	sqlite3_finalize(st);
	if (rc == 0 && nids > 0)
		rc = nids > FETCH_MAX ? by_name(s, ids, nids, f) : by_ids(s, ids, nids, f);
	free(ids);
	return rc;
}

int field_search(struct store *s, const char *agent, const char *query, int32_t today, int max,
		 struct field_client **out, int *n)
{
	struct found f = { NULL, 0, max > SEARCH_MAX ? SEARCH_MAX : max };
	int rc;

	*out = NULL;
	*n = 0;
	if (!query || max <= 0)
		return store_fail(s, STORE_EINVAL, MSG_SHORT);
	if (!(f.v = calloc((size_t)f.max, sizeof *f.v)))
		return store_fail(s, STORE_ERR, "field: out of memory");
	rc = search_id(s, query, &f);
	if (rc == 0) {
		/* one snapshot, and one lock instead of one per statement */
		int began = sqlite3_get_autocommit(s->db);

		if (began && store_exec(s, "BEGIN") < 0)
			rc = STORE_ERR;
		else
			rc = search_name(s, query, &f);
		if (began && rc != STORE_ERR)
			sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
		else if (began)
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	}
	if (rc >= 0) {
		qsort(f.v, (size_t)f.n, sizeof *f.v, cand_by_name);
		rc = field_query_clients(s, agent, f.v, f.n, today, out, n);
	}
	free(f.v);
	return rc;
}

