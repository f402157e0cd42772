/* totals_slip — the totals slip (totals_slip.h), laid out with the receipt's primitives
 * (paper.h):
 *
 *              TOTALES
 *   ==========================
 *   Kiosco                0007
 *   Día             02/12/2026
 *   Impreso   02/12/2026 07:10
 *   --------------------------
 *   Cupones                 12
 *   Total en COP   $ 1.234.567
 *   --------------------------
 *   COP            $ 1.000.000   per currency paid in
 *     cupones / documentos 10 / 14
 *   USD             USD 123.45
 *     cupones / documentos  3 / 3
 *   --------------------------
 *   Secuencia          41 - 52
 *   Anterior                40
 *   SECUENCIA CON HUECOS         or "Secuencia completa"
 *   Faltan                   3   with the first runs: 45, 47-48
 *   --------------------------
 *   Sin anulaciones: ...         feed, cut */
#include "totals_slip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paper.h"
#include "printq.h"

static void gaps_line(struct paper *o, const struct store_totals *t)
{
	char line[8 * 44 + 8] = "";
	size_t n = 0;

	for (int i = 0; i < t->ngaps && n < sizeof line; i++) {
		const struct totals_gap *g = &t->gaps[i];
		if (g->from == g->to)
			n += (size_t)snprintf(line + n, sizeof line - n, "%s%llu", i ? ", " : "",
					      (unsigned long long)g->from);
		else
			n += (size_t)snprintf(line + n, sizeof line - n, "%s%llu-%llu", i ? ", " : "",
					      (unsigned long long)g->from, (unsigned long long)g->to);
	}
	if (n < sizeof line && (uint64_t)t->ngaps == TOTALS_MAX_GAPS && t->holes > 0)
		snprintf(line + n, sizeof line - n, " ...");
	if (line[0])
		paper_wrap(o, line, o->cols);
}

int totals_slip_build(struct escpos *e, const struct totals_slip *s, char *err, size_t errn)
{
	const struct store_totals *t = s ? s->t : NULL;
	enum lang l;
	struct paper o;
	struct tm tm;
	time_t when;
	char a[64], b[64];

	if (!e || !t || s->dots % 8 || s->dots / DOT_COLS < MIN_COLS || s->dots / DOT_COLS > MAX_COLS) {
		snprintf(err, errn, "totals slip: paper of %d dots cannot be laid out", s ? s->dots : 0);
		return -1;
	}
	l = s->lang;
	when = (time_t)s->printed_at;
	if (!localtime_r(&when, &tm)) {
		snprintf(err, errn, "totals slip: bad time");
		return -1;
	}
	o = (struct paper){e, s->dots / DOT_COLS, s->dots, NULL};
	e->cp = s->codepage ? s->codepage : ESCPOS_CP858;
	escpos_begin(e);
	escpos_align(e, ESCPOS_CENTER);
	paper_big(&o, tr_lang(l, STR_MTOT_SLIP_TITLE));
	escpos_align(e, ESCPOS_LEFT);
	paper_rule(&o, '=');
	snprintf(a, sizeof a, "%04u", (unsigned)s->kiosk_id);
	paper_row(&o, tr_lang(l, STR_RCPT_KIOSK), a);
	date_format(a, sizeof a, t->day);
	paper_row(&o, tr_lang(l, STR_MTOT_DAY), a);
	if (strftime(a, sizeof a, "%d/%m/%Y %H:%M", &tm) > 0)
		paper_row(&o, tr_lang(l, STR_MTOT_PRINTED), a);
	paper_rule(&o, '-');
	snprintf(a, sizeof a, "%lld", (long long)t->coupons);
	paper_row(&o, tr_lang(l, STR_MTOT_COUPONS), a);
	if (t->coupons == 0) {
		paper_wrap(&o, tr_lang(l, STR_MTOT_NONE), o.cols);
	} else {
		money_format(a, sizeof a, (struct money){t->cop_minor, CUR_COP});
		escpos_bold(e, 1);
		paper_row(&o, tr_lang(l, STR_MTOT_TOTAL_COP), a);
		escpos_bold(e, 0);
		paper_rule(&o, '-');
		for (int i = 0; i < t->ncur; i++) {
			const struct totals_currency *c = &t->cur[i];
			money_format(a, sizeof a, (struct money){c->minor, c->cur});
			paper_row(&o, currency_code(c->cur), a);
			snprintf(b, sizeof b, "%lld / %lld", (long long)c->coupons, (long long)c->docs);
			paper_row(&o, tr_lang(l, STR_MTOT_CUR_COUNTS), b);
		}
		paper_rule(&o, '-');
		snprintf(a, sizeof a, "%llu - %llu", (unsigned long long)t->first_seq,
			 (unsigned long long)t->last_seq);
		paper_row(&o, tr_lang(l, STR_MTOT_SEQ), a);
		snprintf(a, sizeof a, "%llu", (unsigned long long)t->prev_seq);
		paper_row(&o, tr_lang(l, STR_MTOT_PREV), t->prev_seq ? a : "-");
		if (!store_totals_flagged(t)) {
			paper_wrap(&o, tr_lang(l, STR_MTOT_SEQ_OK), o.cols);
		} else {
			escpos_bold(e, 1);
			paper_wrap(&o, tr_lang(l, STR_MTOT_SEQ_GAPS), o.cols);
			escpos_bold(e, 0);
			if (t->missing_before) {
				snprintf(a, sizeof a, "%llu", (unsigned long long)t->missing_before);
				paper_row(&o, tr_lang(l, STR_MTOT_MISSING_BEFORE), a);
			}
			if (t->missing) {
				snprintf(a, sizeof a, "%llu", (unsigned long long)t->missing);
				paper_row(&o, tr_lang(l, STR_MTOT_MISSING), a);
			}
			if (t->other_day) {
				snprintf(a, sizeof a, "%llu", (unsigned long long)t->other_day);
				paper_row(&o, tr_lang(l, STR_MTOT_OTHER_DAY), a);
			}
			gaps_line(&o, t);
		}
	}
	paper_rule(&o, '-');
	paper_wrap(&o, tr_lang(l, STR_MTOT_NO_VOIDS), o.cols);
	escpos_feed(e, 2);
	escpos_cut(e);
	if (escpos_failed(e)) {
		snprintf(err, errn, "totals slip: too large for the print buffer");
		return -1;
	}
	return 0;
}

int totals_slip_submit(struct printq *q, const struct totals_slip *s, char *err, size_t errn)
{
	char ref[32], job[48];
	struct escpos e;
	struct tm tm;
	time_t when = (time_t)(s ? s->printed_at : 0);

	memset(&e, 0, sizeof e);
	if (!s || !s->t || !localtime_r(&when, &tm) ||
	    strftime(job, sizeof job, "totals-%Y%m%d-%H%M%S", &tm) == 0) {
		snprintf(err, errn, "totals slip: bad time");
		return -1;
	}
	if (totals_slip_build(&e, s, err, errn) != 0) {
		escpos_free(&e);
		return -1;
	}
	snprintf(ref, sizeof ref, "totals-%08ld", (long)s->t->day);
	if (printq_submit_kind(q, STORE_PRINT_REPORT, ref, job, e.buf, e.len, NULL, 0) != 0) {
		snprintf(err, errn, "totals slip: the printer queue is full");
		return -1;
	}
	return 0;
}
