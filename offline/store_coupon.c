/* store_coupon — issuing a coupon: one IMMEDIATE transaction takes the next sequence number,
 * writes the coupon and its lines, lets the commit hook add its rows (the outbox), and
 * commits with synchronous=FULL before anything is shown or printed. */
#include <stdio.h>
#include <string.h>

#include "money_limits.h"
#include "store_internal.h"

#define AMOUNT_MAX INT64_C(9000000000000000)

static int line_check(struct store *s, const struct coupon_request *req, int i)
{
	const struct coupon_line *l = &req->lines[i];

	if (!memchr(l->doc_number, '\0', sizeof l->doc_number) || !l->doc_number[0] ||
	    !domain_text_ok(l->doc_number, sizeof l->doc_number))
		return store_fail(s, STORE_EINVAL, "lines[%d].doc_number: empty or not valid text",
				  i);
	for (int j = 0; j < i; j++)
		if (strcmp(req->lines[j].doc_number, l->doc_number) == 0)
			return store_fail(s, STORE_EINVAL,
					  "lines[%d].doc_number: the same document is in lines[%d]", i,
					  j);
	if (l->pay.minor <= 0 || l->pay.minor > AMOUNT_MAX)
		return store_fail(s, STORE_EINVAL, "lines[%d].pay: must be greater than 0 and at most "
						   "9000000000000000 minor units", i);
	if (l->cop_minor <= 0 || l->cop_minor > AMOUNT_MAX)
		return store_fail(s, STORE_EINVAL, "lines[%d].cop_minor: must be greater than 0 and "
						   "at most 9000000000000000 minor units", i);
	switch (l->pay.cur) {
	case CUR_COP:
		if (l->cop_minor != l->pay.minor)
			return store_fail(s, STORE_EINVAL,
					  "lines[%d].cop_minor: must equal pay for a COP document", i);
		break;
	case CUR_USD:
		if (!req->has_trm)
			return store_fail(s, STORE_EINVAL,
					  "lines[%d]: a USD document needs has_trm and the TRM", i);
		if (l->cop_minor != trm_usd_to_cop(l->pay.minor, &req->trm))
			return store_fail(s, STORE_EINVAL,
					  "lines[%d].cop_minor: does not match pay at the TRM", i);
		break;
	default:
		return store_fail(s, STORE_EINVAL, "lines[%d].pay: currency must be COP or USD", i);
	}
	return 0;
}

/* Everything a caller could get wrong, checked before the transaction starts. */
static int request_check(struct store *s, const struct coupon_request *req, int64_t *total)
{
	int usd = 0;

	*total = 0;
	if (!req->kind || (strcmp(req->kind, "coupon") != 0 && strcmp(req->kind, "phone") != 0))
		return store_fail(s, STORE_EINVAL, "kind: must be \"coupon\" or \"phone\"");
	if (req->kiosk_id < 1 || req->kiosk_id > 9999)
		return store_fail(s, STORE_EINVAL, "kiosk_id: must be 1..9999");
	if (req->ref_length < 10 || req->ref_length > 24)
		return store_fail(s, STORE_EINVAL, "ref_length: must be 10..24 digits");
	if ((int)req->id_type < 0 || req->id_type >= ID_TYPE_COUNT)
		return store_fail(s, STORE_EINVAL, "id_type: unknown document type");
	if (!memchr(req->id_number, '\0', sizeof req->id_number) ||
	    id_validate(req->id_type, req->id_number, -1) != ID_OK)
		return store_fail(s, STORE_EINVAL, "id_number: not a valid %s number",
				  id_type_code(req->id_type));
	if (req->now <= 0)
		return store_fail(s, STORE_EINVAL, "now: must be a time after 1970");
	if (!date_valid(req->due))
		return store_fail(s, STORE_EINVAL, "due: not a valid date");
	if (req->nlines < 1 || req->nlines > COUPON_MAX_DOCS)
		return store_fail(s, STORE_EINVAL, "nlines: must be 1..%d", COUPON_MAX_DOCS);
	if (req->has_trm != 0 && req->has_trm != 1)
		return store_fail(s, STORE_EINVAL, "has_trm: must be 0 or 1");
	if (req->has_trm) {
		const struct trm *t = &req->trm;

		if (t->cop_minor_per_usd <= 0 || !date_valid(t->valid_from) ||
		    !date_valid(t->valid_to) || t->valid_to < t->valid_from)
			return store_fail(s, STORE_EINVAL, "trm: not a valid rate and date range");
		if (!trm_valid_on(t, date_from_epoch(req->now)))
			return store_fail(s, STORE_EINVAL, "trm: not in force on the day of issue");
	}
	for (int i = 0; i < req->nlines; i++) {
		if (line_check(s, req, i) < 0)
			return STORE_EINVAL;
		usd |= req->lines[i].pay.cur == CUR_USD;
		*total += req->lines[i].cop_minor;
		if (*total > MONEY_MAX_COP_MINOR)
			return store_fail(s, STORE_EINVAL,
					  "lines: the total is more than one coupon carries "
					  "(money_limits.h)");
	}
	if (req->has_trm && !usd)
		return store_fail(s, STORE_EINVAL, "has_trm: set but no line is in USD");
	return 0;
}

static int next_seq(struct store *s, uint64_t *seq)
{
	sqlite3_stmt *st = store_stmt(s, ST_SEQ_NEXT);
	int rc;

	if (!st)
		return STORE_ERR;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = (uint64_t)sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	store_stmt_done(st);
	if (rc != SQLITE_DONE || *seq == 0)
		return store_fail_db(s, "coupon: taking the next sequence number");
	return 0;
}

static int write_coupon(struct store *s, const struct coupon_request *req, const struct coupon *c,
			int64_t *coupon_id)
{
	sqlite3_stmt *st = store_stmt(s, ST_COUPON_INSERT);
	int rc;

	if (!st)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, (int64_t)c->seq);
	sqlite3_bind_int(st, 2, (int)c->kiosk_id);
	sqlite3_bind_text(st, 3, c->reference, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, req->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, id_type_code(req->id_type), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, req->id_number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, c->amount.minor);
	sqlite3_bind_int(st, 8, c->due);
	sqlite3_bind_int64(st, 9, c->issued_at);
	sqlite3_bind_int(st, 10, c->has_trm);
	if (c->has_trm) {
		sqlite3_bind_int64(st, 11, c->trm.cop_minor_per_usd);
		sqlite3_bind_int(st, 12, c->trm.valid_from);
		sqlite3_bind_int(st, 13, c->trm.valid_to);
	}
	rc = sqlite3_step(st);
	store_stmt_done(st);
	if (rc != SQLITE_DONE)
		return store_fail_db(s, "coupon: writing the coupon");
	*coupon_id = sqlite3_last_insert_rowid(s->db);

	for (int i = 0; i < req->nlines; i++) {
		const struct coupon_line *l = &req->lines[i];

		st = store_stmt(s, ST_COUPON_LINE_INSERT);
		if (!st)
			return STORE_ERR;
		sqlite3_bind_int64(st, 1, *coupon_id);
		sqlite3_bind_int(st, 2, i);
		sqlite3_bind_text(st, 3, l->doc_number, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, l->pay.minor);
		sqlite3_bind_text(st, 5, currency_code(l->pay.cur), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, l->cop_minor);
		rc = sqlite3_step(st);
		store_stmt_done(st);
		if (rc != SQLITE_DONE)
			return store_fail_db(s, "coupon: writing a coupon line");
	}
	return 0;
}

int store_coupon_issue(struct store *s, const struct coupon_request *req, struct coupon *out)
{
	struct coupon c;
	int64_t total, coupon_id;
	int rc;

	if (request_check(s, req, &total) < 0)
		return STORE_EINVAL;
	if (s->importing || !sqlite3_get_autocommit(s->db))
		return store_fail(s, STORE_ERR, "coupon: another transaction is open");
	if (store_exec(s, "BEGIN IMMEDIATE") < 0)
		return STORE_ERR;

	memset(&c, 0, sizeof c);
	c.kiosk_id = req->kiosk_id;
	c.amount.minor = total;
	c.amount.cur = CUR_COP;
	c.due = req->due;
	c.issued_at = req->now;
	c.has_trm = req->has_trm;
	if (req->has_trm)
		c.trm = req->trm;
	if (next_seq(s, &c.seq) < 0)
		goto fail;
	if (reference_build(c.reference, sizeof c.reference, c.kiosk_id, c.seq, req->ref_length) <
	    0) {
		store_fail(s, STORE_ERR,
			   "coupon: sequence %llu no longer fits a %d-digit reference",
			   (unsigned long long)c.seq, req->ref_length);
		goto fail;
	}
	if (write_coupon(s, req, &c, &coupon_id) < 0)
		goto fail;
	if (s->hook) {
		s->err[0] = '\0';
		rc = s->hook(s, &c, req, s->hook_user);
		if (rc < 0) {
			char why[sizeof s->err];

			snprintf(why, sizeof why, "%s", s->err[0] ? s->err : "no reason given");
			store_fail(s, STORE_ERR, "coupon: not issued, the commit hook failed (%d): %s",
				   rc, why);
			goto fail;
		}
	}
	if (store_exec(s, "COMMIT") < 0)
		goto fail;
	*out = c;
	return 0;
fail:
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return STORE_ERR;
}
