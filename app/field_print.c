/* field_print — the field agent's paper (field_print.h), laid out with the kiosk receipt's
 * primitives (paper.h), 32 columns on 58 mm paper, 48 on 80 mm:
 *
 *            RECAUDO              brand                 ANULACIÓN          void slip
 *         RECIBO DE CAJA          (+ *** COPIA ***,    ===========
 *   ==========================     *** ANULADO ***)    Recibo anulado   T01-1001-000042
 *   Recibo     T01-1001-000042                         Fecha del recibo, Cliente,
 *   Fecha     22/11/2026 10:05                         Identificación, Valor
 *   Agente      1001 Ana Gómez                         Motivo / the reason wrapped
 *   Cliente       María F*****                         Supervisor, Anulado, Agente
 *   Identificación CC ****4050                         the documents owe again
 *   --------------------------
 *   Documento            Valor     CIERRE DEL DÍA / REPORTE DE RECAUDO
 *   POL-1            $ 150.000     Agente, Día (or Período and Línea), Impreso
 *     Seguros                      per business line and currency:
 *   ==========================       Seguros (COP)
 *   TOTAL            $ 300.000       Pagos (3)               $ 450.000
 *   Efectivo recibido $ 400.000      Anulaciones (1)         $ 150.000
 *   Cambio           $ 100.000       Neto                    $ 300.000
 *   Billetes y monedas             EFECTIVO A CONSIGNAR, per currency
 *     2 x $ 100.000  $ 200.000     Recibos, Números 1 - 5, Anulados, Números anulados
 *   [signed QR] + caption          the close: signature lines
 *   keep it, thanks                feed, cut
 *
 * The client is masked exactly as the kiosk masks (id_mask, name_mask: the paper never holds
 * a whole ID number or name); the agent, staff, is printed with code and name. */
#include "field_print.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "idnum.h"
#include "paper.h"
#include "printq.h"

#define TEXT_MAX 512 /* a wrapped paragraph of UTF-8 */

struct fp {
	struct paper o;
	enum lang l;
};

static const char *str(const struct fp *f, enum str_id id)
{
	return tr_lang(f->l, id);
}

static int fp_begin(struct fp *f, struct escpos *e, const struct field_paper *p, const char *what, char *err,
		    size_t errn)
{
	if (!e || !p || p->dots % 8 || p->dots / DOT_COLS < MIN_COLS || p->dots / DOT_COLS > MAX_COLS) {
		snprintf(err, errn, "%s: paper of %d dots cannot be laid out", what, p ? p->dots : 0);
		return -1;
	}
	f->o = (struct paper){e, p->dots / DOT_COLS, p->dots, NULL};
	f->l = p->lang;
	e->cp = p->codepage == ESCPOS_CP850 ? ESCPOS_CP850 : ESCPOS_CP858;
	escpos_begin(e);
	return 0;
}

static int fp_end(struct fp *f, const char *what, char *err, size_t errn)
{
	escpos_feed(f->o.e, 2);
	escpos_cut(f->o.e);
	if (escpos_failed(f->o.e)) {
		snprintf(err, errn, "%s: too large for the print buffer", what);
		return -1;
	}
	return 0;
}

/* "22/11/2026 10:05" in local time ("" when the time cannot be read). */
static void when_format(char *out, size_t n, int64_t at)
{
	time_t tt = (time_t)at;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || strftime(out, n, "%d/%m/%Y %H:%M", &tm) == 0)
		snprintf(out, n, "-");
}

/* A row whose value is free text (a name, a reason): typographic characters made printable. */
static void row_text(struct fp *f, const char *label, const char *value)
{
	char v[TEXT_MAX];

	paper_text(v, sizeof v, value ? value : "");
	paper_row(&f->o, label, v);
}

static void row_money(struct fp *f, const char *label, int64_t minor, enum currency cur)
{
	char v[64];

	money_format(v, sizeof v, (struct money){minor, cur});
	paper_row(&f->o, label, v);
}

static void row_when(struct fp *f, enum str_id label, int64_t at)
{
	char v[32];

	when_format(v, sizeof v, at);
	paper_row(&f->o, str(f, label), v);
}

static void agent_row(struct fp *f, const char *code, const char *name)
{
	char v[TEXT_MAX];

	snprintf(v, sizeof v, "%s%s%s", code ? code : "", name && name[0] ? " " : "", name ? name : "");
	row_text(f, str(f, STR_FP_AGENT), v);
}

static void label_row(struct fp *f, enum str_id label, const struct field_receipt *r)
{
	char v[80];

	field_receipt_label(v, sizeof v, r->device_id, r->agent, r->number);
	paper_row(&f->o, str(f, label), v);
}

/* The client as the kiosk shows it: "María F*****" and "CC ****4050". */
static void client_rows(struct fp *f, const struct field_receipt *r)
{
	char name[128], idm[40], id[64];

	name_mask(name, sizeof name, r->customer_name);
	id_mask(idm, sizeof idm, r->id_number);
	snprintf(id, sizeof id, "%s %s", id_type_code(r->id_type), idm);
	row_text(f, str(f, STR_RCPT_CUSTOMER), name);
	row_text(f, str(f, STR_RCPT_ID), id);
}

static void title(struct fp *f, const struct field_paper *p, enum str_id id, int brand)
{
	char text[TEXT_MAX];

	escpos_align(f->o.e, ESCPOS_CENTER);
	if (brand) {
		paper_text(text, sizeof text, p->brand && p->brand[0] ? p->brand : "Recaudo");
		paper_big(&f->o, text);
		escpos_bold(f->o.e, 1);
		paper_wrap(&f->o, str(f, id), f->o.cols);
		escpos_bold(f->o.e, 0);
	} else {
		paper_big(&f->o, str(f, id));
	}
}

static void mark(struct fp *f, enum str_id id)
{
	escpos_bold(f->o.e, 1);
	escpos_size(f->o.e, 1, 2);
	escpos_line(f->o.e, str(f, id));
	escpos_size(f->o.e, 1, 1);
	escpos_bold(f->o.e, 0);
}

static int receipt_ok(const struct field_receipt *r, const char *what, char *err, size_t errn)
{
	if (!r || r->nlines < 0 || r->nlines > COUPON_MAX_DOCS || r->ndenoms < 0 || r->ndenoms > FIELD_DENOM_COUNT ||
	    !currency_code(r->cur)) {
		snprintf(err, errn, "%s: no receipt to print", what);
		return -1;
	}
	return 0;
}

/* ---- the receipt ----------------------------------------------------------------------- */

static void documents(struct fp *f, const struct field_receipt *r)
{
	char doc[TEXT_MAX], line[TEXT_MAX];

	paper_rule(&f->o, '-');
	escpos_bold(f->o.e, 1);
	paper_row(&f->o, str(f, STR_RCPT_DOC_COL), str(f, STR_RCPT_VALUE_COL));
	escpos_bold(f->o.e, 0);
	for (int i = 0; i < r->nlines; i++) {
		const struct field_receipt_line *l = &r->lines[i];
		char amount[64];

		paper_text(doc, sizeof doc, l->doc_number);
		money_format(amount, sizeof amount, (struct money){l->amount_minor, r->cur});
		paper_row(&f->o, doc, amount);
		if (l->line[0]) { /* the business line under its document, indented */
			snprintf(line, sizeof line, "  %s", l->line);
			paper_text(doc, sizeof doc, line);
			paper_row(&f->o, doc, ""); /* a row keeps the indent a wrap would drop */
		}
	}
	paper_rule(&f->o, '=');
}

static void cash(struct fp *f, const struct field_receipt *r)
{
	char left[96], right[64];
	int any = 0;

	escpos_bold(f->o.e, 1);
	row_money(f, str(f, STR_FP_TOTAL), r->amount_minor, r->cur);
	escpos_bold(f->o.e, 0);
	row_money(f, str(f, STR_FP_CASH), r->cash_minor, r->cur);
	row_money(f, str(f, STR_FP_CHANGE), r->change_minor, r->cur);
	for (int i = 0; i < r->ndenoms; i++) {
		const struct field_denom *d = &r->denoms[i];

		if (d->count <= 0)
			continue;
		if (!any) {
			paper_rule(&f->o, '-');
			paper_wrap(&f->o, str(f, STR_FP_DENOMS), f->o.cols);
			any = 1;
		}
		money_format(right, sizeof right, (struct money){d->value_minor, CUR_COP});
		snprintf(left, sizeof left, "  %d x %s", d->count, right);
		money_format(right, sizeof right, (struct money){d->value_minor * d->count, CUR_COP});
		paper_row(&f->o, left, right);
	}
}

static int qr(struct fp *f, const struct field_paper *p, const struct field_receipt *r)
{
	struct field_receipt_qr q;
	char payload[300];
	size_t n;
	int m;

	memset(&q, 0, sizeof q);
	snprintf(q.device, sizeof q.device, "%s", r->device_id);
	snprintf(q.agent, sizeof q.agent, "%s", r->agent);
	q.number = r->number;
	q.amount_minor = r->amount_minor;
	q.cur = r->cur;
	q.at = r->at;
	n = field_receipt_qr_build(payload, sizeof payload, &q, p->key, p->keylen);
	if (n == 0)
		return -1;
	m = paper_qr_module(n, p->dots);
	escpos_align(f->o.e, ESCPOS_CENTER);
	/* a blank line above and below keeps the symbol's quiet zone clear of text */
	escpos_feed(f->o.e, 1);
	if (p->qr_raster)
		escpos_qr_raster(f->o.e, payload, m, 'M', p->dots);
	else
		escpos_qr(f->o.e, payload, m, 'M');
	escpos_feed(f->o.e, 1);
	paper_wrap(&f->o, str(f, STR_FP_VERIFY), f->o.cols);
	escpos_align(f->o.e, ESCPOS_LEFT);
	return 0;
}

int field_receipt_build(struct escpos *e, const struct field_paper *p, const struct field_receipt *r, int copy,
			char *err, size_t errn)
{
	struct fp f;

	if (receipt_ok(r, "field receipt", err, errn) || fp_begin(&f, e, p, "field receipt", err, errn))
		return -1;
	title(&f, p, STR_FP_RECEIPT_TITLE, 1);
	if (copy)
		mark(&f, STR_RCPT_COPY);
	if (r->voided)
		mark(&f, STR_FP_VOIDED_MARK);
	escpos_align(e, ESCPOS_LEFT);
	paper_rule(&f.o, '=');
	label_row(&f, STR_FP_RECEIPT, r);
	row_when(&f, STR_RCPT_DATE, r->at);
	agent_row(&f, r->agent, p->agent_name);
	client_rows(&f, r);
	documents(&f, r);
	cash(&f, r);
	if (qr(&f, p, r) < 0) {
		snprintf(err, errn, "field receipt: its QR cannot be signed (device key, receipt fields)");
		return -1;
	}
	paper_rule(&f.o, '-');
	if (copy)
		row_when(&f, STR_FP_REPRINTED, p->printed_at);
	escpos_align(e, ESCPOS_CENTER);
	paper_wrap(&f.o, str(&f, STR_FP_KEEP), f.o.cols);
	escpos_bold(e, 1);
	escpos_line(e, str(&f, STR_RCPT_THANKS));
	escpos_bold(e, 0);
	escpos_align(e, ESCPOS_LEFT);
	return fp_end(&f, "field receipt", err, errn);
}

/* ---- the void slip --------------------------------------------------------------------- */

int field_void_build(struct escpos *e, const struct field_paper *p, const struct field_receipt *r, char *err,
		     size_t errn)
{
	char text[TEXT_MAX];
	struct fp f;

	if (receipt_ok(r, "void slip", err, errn))
		return -1;
	if (!r->voided) {
		snprintf(err, errn, "void slip: the receipt is not void");
		return -1;
	}
	if (fp_begin(&f, e, p, "void slip", err, errn))
		return -1;
	title(&f, p, STR_FP_VOID_TITLE, 0);
	escpos_align(e, ESCPOS_LEFT);
	paper_rule(&f.o, '=');
	label_row(&f, STR_FP_VOID_RECEIPT, r);
	row_when(&f, STR_FP_RECEIPT_DATE, r->at);
	client_rows(&f, r);
	escpos_bold(e, 1);
	row_money(&f, str(&f, STR_FP_AMOUNT), r->amount_minor, r->cur);
	escpos_bold(e, 0);
	paper_rule(&f.o, '-');
	paper_wrap(&f.o, str(&f, STR_FP_REASON), f.o.cols);
	paper_text(text, sizeof text, r->void_reason);
	paper_wrap(&f.o, text, f.o.cols);
	paper_rule(&f.o, '-');
	paper_row(&f.o, str(&f, STR_FP_SUPERVISOR), r->void_by);
	row_when(&f, STR_FP_VOIDED_AT, r->void_at);
	agent_row(&f, r->agent, p->agent_name);
	paper_rule(&f.o, '-');
	paper_wrap(&f.o, str(&f, STR_FP_VOID_NOTE), f.o.cols);
	return fp_end(&f, "void slip", err, errn);
}

/* ---- the close and the reports ---------------------------------------------------------- */

static void numbers_line(struct fp *f, const struct field_totals *t)
{
	char line[FIELD_VOIDS_LISTED * 22 + 8] = "";
	size_t n = 0;
	int listed = t->nvoid_numbers < FIELD_VOIDS_LISTED ? t->nvoid_numbers : FIELD_VOIDS_LISTED;

	for (int i = 0; i < listed && n < sizeof line; i++)
		n += (size_t)snprintf(line + n, sizeof line - n, "%s%llu", i ? ", " : "",
				      (unsigned long long)t->void_numbers[i]);
	if (n < sizeof line && t->voided > listed)
		snprintf(line + n, sizeof line - n, " ...");
	if (line[0])
		paper_wrap(&f->o, line, f->o.cols);
}

static void totals_rows(struct fp *f, const struct field_totals *t)
{
	char text[TEXT_MAX], label[64];

	for (int i = 0; i < t->nrows && i < FIELD_TOTALS_MAX; i++) {
		const struct field_totals_row *row = &t->rows[i];

		paper_rule(&f->o, '-');
		snprintf(text, sizeof text, "%s (%s)", row->line, currency_code(row->cur) ? currency_code(row->cur) : "?");
		paper_text(label, sizeof label, text);
		escpos_bold(f->o.e, 1);
		paper_wrap(&f->o, label, f->o.cols);
		escpos_bold(f->o.e, 0);
		snprintf(label, sizeof label, "%s (%lld)", str(f, STR_FP_PAYMENTS), (long long)row->payments);
		row_money(f, label, row->payments_minor, row->cur);
		snprintf(label, sizeof label, "%s (%lld)", str(f, STR_FP_VOIDS), (long long)row->voids);
		row_money(f, label, row->voids_minor, row->cur);
		escpos_bold(f->o.e, 1);
		row_money(f, str(f, STR_FP_NET), row->net_minor, row->cur);
		escpos_bold(f->o.e, 0);
	}
}

static void signature(struct fp *f, enum str_id who)
{
	char line[MAX_COLS + 1];
	int w = f->o.cols * 3 / 4;

	escpos_feed(f->o.e, 3);
	memset(line, '_', (size_t)w);
	line[w] = '\0';
	escpos_line(f->o.e, line);
	escpos_line(f->o.e, str(f, who));
}

int field_totals_build(struct escpos *e, const struct field_paper *p, const char *agent,
		       const struct field_totals *t, int is_close, const char *line_filter, char *err, size_t errn)
{
	char a[64], b[32];
	struct fp f;

	if (!t || !agent || t->nrows < 0 || t->nrows > FIELD_TOTALS_MAX || t->nvoid_numbers < 0) {
		snprintf(err, errn, "totals: nothing to print");
		return -1;
	}
	if (fp_begin(&f, e, p, "totals", err, errn))
		return -1;
	title(&f, p, is_close ? STR_FP_CLOSE_TITLE : STR_FP_REPORT_TITLE, 0);
	escpos_align(e, ESCPOS_LEFT);
	paper_rule(&f.o, '=');
	agent_row(&f, agent, p->agent_name);
	date_format(a, sizeof a, t->from);
	if (t->from == t->to) {
		paper_row(&f.o, str(&f, STR_FP_DAY), a);
	} else {
		date_format(b, sizeof b, t->to);
		paper_row(&f.o, str(&f, STR_FP_RANGE), "");
		snprintf(a + strlen(a), sizeof a - strlen(a), " - %s", b);
		paper_row(&f.o, "", a);
	}
	if (!is_close)
		row_text(&f, str(&f, STR_FP_LINE_FILTER),
			 line_filter && line_filter[0] ? line_filter : str(&f, STR_FP_ALL_LINES));
	row_when(&f, STR_FP_PRINTED, p->printed_at);
	if (t->receipts == 0) {
		paper_rule(&f.o, '-');
		paper_wrap(&f.o, str(&f, STR_FP_NO_RECEIPTS), f.o.cols);
	}
	totals_rows(&f, t);
	paper_rule(&f.o, '=');
	escpos_bold(e, 1);
	paper_wrap(&f.o, str(&f, STR_FP_DEPOSIT), f.o.cols);
	row_money(&f, currency_code(CUR_COP), t->cash_cop_minor, CUR_COP);
	if (t->cash_usd_minor)
		row_money(&f, currency_code(CUR_USD), t->cash_usd_minor, CUR_USD);
	escpos_bold(e, 0);
	paper_rule(&f.o, '-');
	snprintf(a, sizeof a, "%lld", (long long)t->receipts);
	paper_row(&f.o, str(&f, STR_FP_RECEIPTS), a);
	if (t->first_number) {
		snprintf(a, sizeof a, "%llu - %llu", (unsigned long long)t->first_number,
			 (unsigned long long)t->last_number);
		paper_row(&f.o, str(&f, STR_FP_NUMBERS), a);
	}
	snprintf(a, sizeof a, "%lld", (long long)t->voided);
	paper_row(&f.o, str(&f, STR_FP_VOIDED_COUNT), a);
	if (t->voided > 0) {
		paper_wrap(&f.o, str(&f, STR_FP_VOIDED_NUMBERS), f.o.cols);
		numbers_line(&f, t);
	}
	if (is_close) {
		signature(&f, STR_FP_SIGN_AGENT);
		signature(&f, STR_FP_SIGN_SUPERVISOR);
	}
	return fp_end(&f, "totals", err, errn);
}

/* ---- the queue --------------------------------------------------------------------------- */

/* Hands e (and c, may be empty) to the queue, which owns both buffers from here. */
static int submit(struct printq *q, enum store_print_kind kind, const char *ref, const char *job, struct escpos *e,
		  struct escpos *c, char *err, size_t errn)
{
	if (printq_submit_kind(q, kind, ref, job, e->buf, e->len, c ? c->buf : NULL, c ? c->len : 0) != 0) {
		snprintf(err, errn, "%s: the printer queue is full", job);
		return -1;
	}
	return 0;
}

int field_receipt_submit(struct printq *q, const struct field_paper *p, const struct field_receipt *r, int copy,
			 char *err, size_t errn)
{
	struct escpos e, c;
	char ref[PRINTQ_REF_MAX + 1], job[48];

	memset(&e, 0, sizeof e);
	memset(&c, 0, sizeof c);
	if (receipt_ok(r, "field receipt", err, errn))
		return -1;
	snprintf(ref, sizeof ref, "f%s-%llu", r->agent, (unsigned long long)r->number);
	snprintf(job, sizeof job, "field-%s-%06llu%s", r->agent, (unsigned long long)r->number, copy ? "-copia" : "");
	/* the original is queued with its COPIA, kept for reprints as the kiosk's are */
	if (field_receipt_build(&e, p, r, copy, err, errn) != 0 ||
	    (!copy && field_receipt_build(&c, p, r, 1, err, errn) != 0)) {
		escpos_free(&e);
		escpos_free(&c);
		return -1;
	}
	return submit(q, copy ? STORE_PRINT_COPY : STORE_PRINT_RECEIPT, ref, job, &e, copy ? NULL : &c, err, errn);
}

int field_void_submit(struct printq *q, const struct field_paper *p, const struct field_receipt *r, char *err,
		      size_t errn)
{
	struct escpos e;
	char ref[PRINTQ_REF_MAX + 1], job[48];

	memset(&e, 0, sizeof e);
	if (field_void_build(&e, p, r, err, errn) != 0) {
		escpos_free(&e);
		return -1;
	}
	snprintf(ref, sizeof ref, "fv%s-%llu", r->agent, (unsigned long long)r->number);
	snprintf(job, sizeof job, "field-void-%s-%06llu", r->agent, (unsigned long long)r->number);
	return submit(q, STORE_PRINT_RECEIPT, ref, job, &e, NULL, err, errn);
}

int field_totals_submit(struct printq *q, const struct field_paper *p, const char *agent,
			const struct field_totals *t, int is_close, const char *line_filter, char *err, size_t errn)
{
	struct escpos e;
	char ref[PRINTQ_REF_MAX + 1], job[48];

	memset(&e, 0, sizeof e);
	if (field_totals_build(&e, p, agent, t, is_close, line_filter, err, errn) != 0) {
		escpos_free(&e);
		return -1;
	}
	if (is_close) {
		snprintf(ref, sizeof ref, "fc%s-%08ld", agent, (long)t->from);
		snprintf(job, sizeof job, "field-close-%s-%08ld", agent, (long)t->from);
	} else {
		snprintf(ref, sizeof ref, "fr%s-%08ld-%08ld", agent, (long)t->from, (long)t->to);
		snprintf(job, sizeof job, "field-report-%s-%08ld", agent, (long)t->to);
	}
	return submit(q, STORE_PRINT_REPORT, ref, job, &e, NULL, err, errn);
}
