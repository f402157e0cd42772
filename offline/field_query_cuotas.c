/* field_query_cuotas — a client's instalments for the field agent (field_query.h
 * field_cuotas_get), docs/field-mode.md "Search and work list". Two sources, one row each:
 *
 *   - every document the store holds whose effective balance is still > 0: pendiente or
 *     vencida (due date vs today), date = the due date, balance = the effective balance;
 *   - every line of this client's receipts on this tablet (field_receipt_lines, whatever the
 *     agent or the receipt's reflected flag): pagada for a paid receipt (date = the receipt's
 *     day, balance 0), anulada for a voided one (date = the void's local day, balance = what
 *     the document owes again, 0 when the store no longer has it). paid_minor is the line's
 *     amount, receipt_number the receipt's.
 *
 * So a document paid in part shows twice (owed with what is left, and pagada with the
 * payment); one paid in full by an unreflected receipt shows once, pagada; the server's
 * documents paid elsewhere simply are not there. Owed rows come first by due date, then the
 * history newest first. The filter (field_filter_match) runs last; total counts the rows
 * before it and lines lists every business line of the rows before it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field_query.h"
#include "field_query_internal.h"
#include "store_internal.h"

static const struct document *doc_of(const struct portfolio *p, const char *number)
{
	for (int i = 0; i < p->ndocs; i++)
		if (!strcmp(p->docs[i].number, number))
			return &p->docs[i];
	return NULL;
}

static int owed(const struct field_cuota *r)
{
	return r->status == FIELD_CUOTA_PENDIENTE || r->status == FIELD_CUOTA_VENCIDA;
}

static int row_cmp(const void *a, const void *b)
{
	const struct field_cuota *x = a, *y = b;

	if (owed(x) != owed(y))
		return owed(x) ? -1 : 1;
	if (owed(x)) {
		if (x->doc.due != y->doc.due)
			return x->doc.due < y->doc.due ? -1 : 1;
		return strcmp(x->doc.number, y->doc.number);
	}
	if (x->date != y->date)
		return x->date > y->date ? -1 : 1;
	if (x->receipt_number != y->receipt_number)
		return x->receipt_number > y->receipt_number ? -1 : 1;
	return strcmp(x->doc.number, y->doc.number);
}

static int push(struct store *s, struct field_cuotas *c, int *cap, const struct field_cuota *r)
{
	if (c->n == *cap) {
		int ncap = *cap ? *cap * 2 : 16;
		struct field_cuota *nv = realloc(c->rows, (size_t)ncap * sizeof *nv);

		if (!nv)
			return store_fail(s, STORE_ERR, "field: out of memory");
		c->rows = nv;
		*cap = ncap;
	}
	c->rows[c->n++] = *r;
	return 0;
}

static void copy_text(char *dst, size_t n, sqlite3_stmt *st, int col)
{
	const unsigned char *v = sqlite3_column_text(st, col);

	snprintf(dst, n, "%s", v ? (const char *)v : "");
}

/* The history rows: the lines of the client's receipts. */
static int receipt_rows(struct store *s, enum id_type t, const char *number, const struct portfolio *p,
			struct field_cuotas *c, int *cap)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT r.number, r.day, r.state, r.void_at, r.currency, l.doc_number, l.line,"
			       " l.description, l.due, l.amount_minor FROM field_receipts AS r"
			       " JOIN field_receipt_lines AS l ON l.receipt_id = r.id"
			       " WHERE r.id_type = ?1 AND r.id_number = ?2",
			       -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return store_fail_db(s, "field: a client's receipts");
	}
	sqlite3_bind_text(st, 1, id_type_code(t), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, number, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct field_cuota r;
		const struct document *d;
		int voided = !strcmp((const char *)sqlite3_column_text(st, 2), "void");

		memset(&r, 0, sizeof r);
		copy_text(r.doc.number, sizeof r.doc.number, st, 5);
		copy_text(r.doc.line, sizeof r.doc.line, st, 6);
		copy_text(r.doc.description, sizeof r.doc.description, st, 7);
		r.doc.due = sqlite3_column_int(st, 8);
		if (currency_parse((const char *)sqlite3_column_text(st, 4), &r.doc.cur) < 0)
			continue;
		r.receipt_number = (uint64_t)sqlite3_column_int64(st, 0);
		r.paid_minor = sqlite3_column_int64(st, 9);
		r.doc.invoice = r.paid_minor;
		if ((d = doc_of(p, r.doc.number)) != NULL) {
			r.doc.invoice = d->invoice;
			r.doc.partial_ok = d->partial_ok;
			r.doc.min_partial = d->min_partial;
		}
		r.status = voided ? FIELD_CUOTA_ANULADA : FIELD_CUOTA_PAGADA;
		r.date = sqlite3_column_int(st, 1);
		if (voided) {
			if (sqlite3_column_type(st, 3) != SQLITE_NULL)
				r.date = date_from_epoch(sqlite3_column_int64(st, 3));
			r.doc.balance = d && d->balance > 0 ? d->balance : 0;
		}
		if (push(s, c, cap, &r) < 0)
			break;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return STORE_ERR;
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "field: a client's receipts");
}

static int line_cmp(const void *a, const void *b) { return strcmp(a, b); }

/* Every business line of the rows, sorted, once each. */
static int lines_of(struct store *s, struct field_cuotas *c)
{
	if (c->n == 0)
		return 0;
	if (!(c->lines = calloc((size_t)c->n, sizeof *c->lines)))
		return store_fail(s, STORE_ERR, "field: out of memory");
	for (int i = 0; i < c->n; i++)
		snprintf(c->lines[i], sizeof c->lines[i], "%s", c->rows[i].doc.line);
	qsort(c->lines, (size_t)c->n, sizeof *c->lines, line_cmp);
	c->nlines = 0;
	for (int i = 0; i < c->n; i++)
		if (c->nlines == 0 || strcmp(c->lines[c->nlines - 1], c->lines[i]))
			memmove(c->lines[c->nlines++], c->lines[i], sizeof c->lines[i]);
	return 0;
}

int field_cuotas_get(struct store *s, enum id_type t, const char *number, int32_t today,
		     const struct field_cuota_filter *f, struct field_cuotas *out)
{
	struct portfolio p;
	int cap = 0, rc, k = 0;

	/* Two reads, not one snapshot: field_unreflected_paid is field_store.c's and may open
	 * its own read; the UI thread's handle is the only one that writes receipts. */
	memset(out, 0, sizeof *out);
	rc = field_query_portfolio(s, t, number, &p);
	if (rc != 0)
		return rc;
	snprintf(out->name, sizeof out->name, "%s", p.name);
	for (int i = 0; rc == 0 && i < p.ndocs; i++) {
		struct field_cuota r;

		if (p.docs[i].balance <= 0)
			continue; /* paid here in full: its receipt line shows it */
		memset(&r, 0, sizeof r);
		r.doc = p.docs[i];
		r.status = field_cuota_owed_status(r.doc.due, today);
		r.date = r.doc.due;
		rc = push(s, out, &cap, &r);
	}
	if (rc == 0)
		rc = receipt_rows(s, t, number, &p, out, &cap);
	portfolio_free(&p);
	if (rc == 0)
		rc = lines_of(s, out);
	if (rc < 0) {
		field_cuotas_free(out);
		return rc;
	}
	out->total = out->n;
	if (out->n > 1)
		qsort(out->rows, (size_t)out->n, sizeof *out->rows, row_cmp);
	for (int i = 0; i < out->n; i++)
		if (!f || field_filter_match(f, out->rows[i].doc.line, out->rows[i].status, out->rows[i].date))
			out->rows[k++] = out->rows[i];
	out->n = k;
	return 0;
}

void field_cuotas_free(struct field_cuotas *c)
{
	free(c->rows);
	free(c->lines);
	memset(c, 0, sizeof *c);
}
