/* account_print — the account services' paper (account_print.h), laid out with the kiosk
 * receipt's primitives (paper.h), 32 columns on 58 mm paper, 48 on 80 mm:
 *
 *            RECAUDO              brand                     RECAUDO
 *         Sucursal Centro         branch                CERTIFICADO DE DEUDA
 *            EXTRACTO                                   (DEBT CERTIFICATE: English)
 *   ==========================                      ==========================
 *   Producto           CR-001     id                Certificado     C-2026-0001
 *   Crédito vehículo              line, description Producto             CR-001
 *   Mes     noviembre de 2026                       Cliente        María F*****
 *   Cliente       María F*****    masked            Identificación  CC ****4050
 *   Identificación CC ****4050    last 4            Saldo           $ 1.234.567
 *   Saldo inicial  $ 1.500.000                      Expedido         30/11/2026
 *   --------------------------                      --------------------------
 *   03/11/2026      -$ 250.000    per movement:     Se certifica que el producto
 *   Pago cuota 7 kiosco           date, amount,     ... (English body too)
 *     Saldo        $ 1.250.000    text, balance     [QR payload|S=signature]
 *   ==========================                      Verifique este certificado
 *   Saldo final    $ 1.250.000                      con el código QR
 *   Impreso   30/11/2026 10:05                      C-2026-0001
 *   footer                                          Impreso 30/11/2026 10:05
 *
 * Nothing personal is printed but the masked name and the ID's last 4. */
#include "account_print.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "money.h"
#include "paper.h"
#include "printq.h"

#define TEXT_MAX 512 /* a wrapped paragraph of UTF-8 */

struct ap {
	struct paper o;
	enum lang l;
};

static const char *str(const struct ap *a, enum str_id id)
{
	return tr_lang(a->l, id);
}

static int ap_begin(struct ap *a, struct escpos *e, const struct account_paper *p, const char *what, char *err,
		    size_t errn)
{
	if (!e || !p || p->dots % 8 || p->dots / DOT_COLS < MIN_COLS || p->dots / DOT_COLS > MAX_COLS) {
		snprintf(err, errn, "%s: paper of %d dots cannot be laid out", what, p ? p->dots : 0);
		return -1;
	}
	a->o = (struct paper){e, p->dots / DOT_COLS, p->dots, NULL};
	a->l = p->lang == LANG_EN ? LANG_EN : LANG_ES;
	e->cp = p->codepage == ESCPOS_CP850 ? ESCPOS_CP850 : ESCPOS_CP858;
	escpos_begin(e);
	return 0;
}

static int ap_end(struct ap *a, const char *what, char *err, size_t errn)
{
	escpos_feed(a->o.e, 2);
	escpos_cut(a->o.e);
	if (escpos_failed(a->o.e)) {
		snprintf(err, errn, "%s: too large for the print buffer", what);
		return -1;
	}
	return 0;
}

/* "22/11/2026 10:05" in local time ("-" when the time cannot be read). */
static void when_format(char *out, size_t n, int64_t at)
{
	time_t tt = (time_t)at;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || strftime(out, n, "%d/%m/%Y %H:%M", &tm) == 0)
		snprintf(out, n, "-");
}

/* A row whose value is free text: typographic characters made printable. */
static void row_text(struct ap *a, const char *label, const char *value)
{
	char v[TEXT_MAX];

	paper_text(v, sizeof v, value ? value : "");
	paper_row(&a->o, label, v);
}

static void row_money(struct ap *a, const char *label, int64_t minor, enum currency cur)
{
	char v[64];

	money_format(v, sizeof v, (struct money){minor, cur});
	paper_row(&a->o, label, v);
}

static void wrap_text(struct ap *a, const char *text)
{
	char t[TEXT_MAX];

	paper_text(t, sizeof t, text);
	paper_wrap(&a->o, t, a->o.cols);
}

/* The brand (big), the branch and the title, centered. */
static void header(struct ap *a, const struct account_paper *p, enum str_id title)
{
	char text[TEXT_MAX];

	escpos_align(a->o.e, ESCPOS_CENTER);
	paper_text(text, sizeof text, p->brand && p->brand[0] ? p->brand : "Recaudo");
	paper_big(&a->o, text);
	if (p->branch && p->branch[0])
		wrap_text(a, p->branch);
	escpos_feed(a->o.e, 1);
	escpos_bold(a->o.e, 1);
	paper_wrap(&a->o, str(a, title), a->o.cols);
	escpos_bold(a->o.e, 0);
}

/* "****4050" from an ID as typed or its last 4 alone: never more than 4 characters of it. */
static void last4_format(char *out, size_t n, const char *type, const char *number)
{
	size_t len = number ? strlen(number) : 0;
	const char *tail = len > 4 ? number + len - 4 : (number ? number : "");

	snprintf(out, n, "%s ****%s", type ? type : "", tail);
}

static void customer_rows(struct ap *a, const char *name, const char *type, const char *number)
{
	char masked[128], id[64];

	if (name && name[0]) {
		name_mask(masked, sizeof masked, name);
		row_text(a, tr_lang(a->l, STR_RCPT_CUSTOMER), masked);
	}
	last4_format(id, sizeof id, type, number);
	row_text(a, tr_lang(a->l, STR_RCPT_ID), id);
}

static void printed_row(struct ap *a, int64_t at)
{
	char v[32];

	when_format(v, sizeof v, at);
	paper_row(&a->o, str(a, STR_AP_PRINTED), v);
}

/* "noviembre de 2026" / "November 2026"; -1 for a month that is not YYYYMM. */
static int month_format(const struct ap *a, char *out, size_t n, int32_t yyyymm)
{
	int y = yyyymm / 100, m = yyyymm % 100;

	if (y < 1900 || y > 9999 || m < 1 || m > 12)
		return -1;
	snprintf(out, n, str(a, STR_AP_MONTH_YEAR), str(a, (enum str_id)(STR_AP_MONTH_1 + m - 1)), y);
	return 0;
}

/* ---- the statement ----------------------------------------------------------------------- */

static void move_rows(struct ap *a, const struct api_acc_move *mv, enum currency cur)
{
	char date[16], amount[64], label[64];

	date_format(date, sizeof date, mv->date);
	money_format(amount, sizeof amount, (struct money){mv->amount, cur});
	paper_row(&a->o, date, amount);
	wrap_text(a, mv->description);
	snprintf(label, sizeof label, "  %s", str(a, STR_AP_MOVE_BALANCE));
	row_money(a, label, mv->balance, cur);
}

int account_print_statement(struct escpos *e, const struct account_paper *p, const struct account_customer *c,
			    const struct api_acc_statement *s, const struct api_acc_product *prod, char *err,
			    size_t errn)
{
	static const char what[] = "statement";
	char month[64], text[TEXT_MAX];
	enum currency cur;
	struct ap a;

	if (!s || !c || s->n < 0 || s->n > API_ACC_MOVES_MAX || (s->n > 0 && !s->moves) ||
	    currency_parse(s->currency, &cur) != 0) {
		snprintf(err, errn, "%s: no statement to print", what);
		return -1;
	}
	if (ap_begin(&a, e, p, what, err, errn))
		return -1;
	if (month_format(&a, month, sizeof month, s->month) != 0) {
		snprintf(err, errn, "%s: the month is not YYYYMM", what);
		return -1;
	}
	header(&a, p, STR_AP_STATEMENT_TITLE);
	escpos_align(e, ESCPOS_LEFT);
	paper_rule(&a.o, '=');
	row_text(&a, str(&a, STR_AP_PRODUCT), s->product);
	if (prod && (prod->line[0] || prod->description[0])) {
		snprintf(text, sizeof text, "%s%s%s", prod->line, prod->line[0] && prod->description[0] ? " - " : "",
			 prod->description);
		wrap_text(&a, text);
	}
	paper_row(&a.o, str(&a, STR_AP_MONTH), month);
	customer_rows(&a, c->name, id_type_code(c->id_type), c->id_number);
	escpos_bold(e, 1);
	row_money(&a, str(&a, STR_AP_OPENING), s->opening, cur);
	escpos_bold(e, 0);
	paper_rule(&a.o, '-');
	escpos_bold(e, 1);
	paper_row(&a.o, str(&a, STR_AP_MOVES), str(&a, STR_AP_MOVE_AMOUNT));
	escpos_bold(e, 0);
	if (s->n == 0)
		paper_wrap(&a.o, str(&a, STR_AP_NO_MOVES), a.o.cols);
	for (int i = 0; i < s->n; i++)
		move_rows(&a, &s->moves[i], cur);
	paper_rule(&a.o, '=');
	escpos_bold(e, 1);
	row_money(&a, str(&a, STR_AP_CLOSING), s->closing, cur);
	escpos_bold(e, 0);
	printed_row(&a, p->printed_at);
	paper_rule(&a.o, '-');
	escpos_align(e, ESCPOS_CENTER);
	paper_wrap(&a.o, str(&a, STR_AP_STATEMENT_FOOT), a.o.cols);
	escpos_align(e, ESCPOS_LEFT);
	return ap_end(&a, what, err, errn);
}

/* ---- the certificate --------------------------------------------------------------------- */

static int b64_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n % 4)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		int pad = ch == '=' && i >= n - 2;

		if (!pad && !(ch >= 'A' && ch <= 'Z') && !(ch >= 'a' && ch <= 'z') && !(ch >= '0' && ch <= '9') &&
		    ch != '+' && ch != '/')
			return 0;
		if (pad && i == n - 2 && s[n - 1] != '=')
			return 0;
	}
	return 1;
}

/* What the paper may print: a known kind, a payload of the design note's shape that says the
 * same kind, a base64 signature. The signature itself was verified by api_acc_certificate. */
static int cert_ok(const struct api_acc_certificate *c)
{
	char kind[8];
	enum currency cur;

	if (!c || (c->f.kind != 'D' && c->f.kind != 'P') || !c->f.id[0] || !c->f.product[0] ||
	    currency_parse(c->f.currency, &cur) != 0 || c->f.balance < 0 || !date_valid(c->f.issued))
		return 0;
	if (!memchr(c->payload, '\0', sizeof c->payload) || !memchr(c->signature, '\0', sizeof c->signature))
		return 0;
	snprintf(kind, sizeof kind, "|K=%c|", c->f.kind);
	return strncmp(c->payload, "RCC1|", 5) == 0 && strncmp(c->payload + 4, kind, strlen(kind)) == 0 &&
	       !strstr(c->payload, "|S=") && b64_ok(c->signature);
}

int account_print_cert_qr(const struct api_acc_certificate *c, char *out, size_t n)
{
	int len;

	if (!c || !out || n == 0)
		return -1;
	len = snprintf(out, n, "%s|S=%s", c->payload, c->signature);
	if (len < 0 || (size_t)len >= n) {
		out[0] = '\0';
		return -1;
	}
	return len;
}

/* The body in language l: "Se certifica que el producto ... " */
static void cert_body(struct ap *a, enum lang l, const struct api_acc_certificate *c, enum currency cur)
{
	char date[16], money[64], text[TEXT_MAX];

	date_format(date, sizeof date, c->f.issued);
	money_format(money, sizeof money, (struct money){c->f.balance, cur});
	if (c->f.kind == 'P')
		snprintf(text, sizeof text, tr_lang(l, STR_AP_BODY_PAID), c->f.product, date);
	else
		snprintf(text, sizeof text, tr_lang(l, STR_AP_BODY_DEBT), c->f.product, date, money);
	wrap_text(a, text);
}

static void cert_qr(struct ap *a, const struct account_paper *p, const char *qr, size_t len, const char *id)
{
	int m = paper_qr_module(len, p->dots);

	escpos_align(a->o.e, ESCPOS_CENTER);
	/* a blank line above and below keeps the symbol's quiet zone clear of text */
	escpos_feed(a->o.e, 1);
	if (p->qr_raster)
		escpos_qr_raster(a->o.e, qr, m, 'M', p->dots);
	else
		escpos_qr(a->o.e, qr, m, 'M');
	escpos_feed(a->o.e, 1);
	paper_wrap(&a->o, tr_lang(LANG_ES, STR_AP_VERIFY), a->o.cols);
	if (a->l == LANG_EN)
		paper_wrap(&a->o, tr_lang(LANG_EN, STR_AP_VERIFY), a->o.cols);
	escpos_bold(a->o.e, 1);
	wrap_text(a, id);
	escpos_bold(a->o.e, 0);
	escpos_align(a->o.e, ESCPOS_LEFT);
}

int account_print_certificate(struct escpos *e, const struct account_paper *p, const char *customer_name,
			      const struct api_acc_certificate *c, char *err, size_t errn)
{
	static const char what[] = "certificate";
	enum str_id title;
	char qr[ACCOUNT_CERT_PAYLOAD_MAX + 128], date[16];
	enum currency cur;
	struct ap a;
	int len;

	if (!cert_ok(c) || currency_parse(c->f.currency, &cur) != 0) {
		snprintf(err, errn, "%s: not a certificate the paper can carry (kind, payload, signature)", what);
		return -1;
	}
	len = account_print_cert_qr(c, qr, sizeof qr);
	if (len < 0) {
		snprintf(err, errn, "%s: the QR text is too long", what);
		return -1;
	}
	if (ap_begin(&a, e, p, what, err, errn))
		return -1;
	title = c->f.kind == 'P' ? STR_AP_CERT_PAID : STR_AP_CERT_DEBT;
	/* the Spanish title is the document's; an English paper names it in English under it */
	a.l = LANG_ES;
	header(&a, p, title);
	a.l = p->lang == LANG_EN ? LANG_EN : LANG_ES;
	if (a.l == LANG_EN)
		paper_wrap(&a.o, str(&a, title), a.o.cols);
	escpos_align(e, ESCPOS_LEFT);
	paper_rule(&a.o, '=');
	row_text(&a, str(&a, STR_AP_CERT_ID), c->f.id);
	row_text(&a, str(&a, STR_AP_PRODUCT), c->f.product);
	if (c->description[0])
		wrap_text(&a, c->description);
	customer_rows(&a, customer_name, c->f.id_type, c->f.id_last4);
	escpos_bold(e, 1);
	row_money(&a, str(&a, STR_AP_BALANCE), c->f.balance, cur);
	escpos_bold(e, 0);
	date_format(date, sizeof date, c->f.issued);
	paper_row(&a.o, str(&a, STR_AP_ISSUED), date);
	paper_rule(&a.o, '-');
	cert_body(&a, LANG_ES, c, cur);
	if (a.l == LANG_EN) {
		escpos_feed(e, 1);
		cert_body(&a, LANG_EN, c, cur);
	}
	cert_qr(&a, p, qr, (size_t)len, c->f.id);
	paper_rule(&a.o, '-');
	printed_row(&a, p->printed_at);
	len = ap_end(&a, what, err, errn);
	memset(qr, 0, sizeof qr);
	return len;
}

/* ---- the queue --------------------------------------------------------------------------- */

/* "st-20261130-100500": the paper's time, nothing of the customer's (the store keeps refs). */
static void ref_format(char *out, size_t n, const char *prefix, int64_t at)
{
	time_t tt = (time_t)at;
	struct tm tm;
	char t[24];

	if (!localtime_r(&tt, &tm) || strftime(t, sizeof t, "%Y%m%d-%H%M%S", &tm) == 0)
		snprintf(t, sizeof t, "0");
	snprintf(out, n, "%s%s", prefix, t);
}

static int submit(struct printq *q, const char *ref, const char *job, struct escpos *e, char *err, size_t errn)
{
	if (printq_submit_kind(q, STORE_PRINT_DOCUMENT, ref, job, e->buf, e->len, NULL, 0) != 0) {
		snprintf(err, errn, "%s: the printer queue is full", job);
		return -1;
	}
	return 0;
}

int account_print_statement_submit(struct printq *q, const struct account_paper *p,
				   const struct account_customer *c, const struct api_acc_statement *s,
				   const struct api_acc_product *prod, char *err, size_t errn)
{
	struct escpos e;
	char ref[PRINTQ_REF_MAX + 1];

	memset(&e, 0, sizeof e);
	if (account_print_statement(&e, p, c, s, prod, err, errn) != 0) {
		escpos_free(&e);
		return -1;
	}
	ref_format(ref, sizeof ref, "st-", p->printed_at);
	return submit(q, ref, "account-statement", &e, err, errn);
}

int account_print_certificate_submit(struct printq *q, const struct account_paper *p, const char *customer_name,
				     const struct api_acc_certificate *c, char *err, size_t errn)
{
	struct escpos e;
	char ref[PRINTQ_REF_MAX + 1];

	memset(&e, 0, sizeof e);
	if (account_print_certificate(&e, p, customer_name, c, err, errn) != 0) {
		escpos_free(&e);
		return -1;
	}
	ref_format(ref, sizeof ref, "ct-", p->printed_at);
	return submit(q, ref, "account-certificate", &e, err, errn);
}
