/* receipt — the coupon as the customer takes it to the bank, laid out in Font A columns
 * (12 dots each: 48 on 80 mm paper, 32 on 58 mm).
 *
 *           RECAUDO            brand, double size, bold
 *        CUPÓN DE PAGO         title (+ "Pago con el celular", "*** COPIA ***")
 *   ==========================
 *   Kiosco                0007 label left, value right
 *   Fecha     28/11/2026 14:05
 *   Cliente       María F*****
 *   --------------------------
 *   Documento            Valor table: document left, amount right;
 *   POL-1            $ 150.000 USD lines add "= $ ..." in COP below
 *   TRM             $ 4.012,35 + validity, only with USD documents
 *   ==========================
 *          Referencia          big bold reference and amount, pay-by date,
 *      000700000000428         a bank coupon's GS1-128 barcode (turned 90 degrees when it
 *                              does not fit across) with its text line, the coupon QR
 *                              (native, or a raster on printers without GS ( k) and its
 *                              caption, how-to, thanks
 *
 * Images (logo, barcode, QR fallback) are padded to the paper width, so they land where they
 * should whether or not a printer applies ESC a to rasters.
 * Widths count code points, never bytes: "Identificación" is 14 columns, not 15. */
#include "receipt.h"
#include "app.h"
#include "paper.h"
#include "gs1_render.h"
#include "raster.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define LINE_BYTES 512  /* MAX_COLS code points of up to 4 bytes, plus NUL */
#define LOGO_MAX_H 400  /* dots: a logo taller than 5 cm is a mistake, not a logo */


/* ---- UTF-8 columns -------------------------------------------------------------------- */

static int is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Code points in s (a stray continuation byte counts as nothing: it prints as '?' with its
 * lead, and overestimating would only shorten a line). */
static int u8_cols(const char *s, size_t n)
{
	int c = 0;

	for (size_t i = 0; i < n; i++)
		c += !is_cont((unsigned char)s[i]);
	return c;
}

/* Bytes taken by the first `cols` code points of s[0..n). */
static size_t u8_bytes(const char *s, size_t n, int cols)
{
	size_t i = 0;

	while (i < n && cols > 0) {
		i++;
		while (i < n && is_cont((unsigned char)s[i]))
			i++;
		cols--;
	}
	return i;
}

void paper_text(char *dst, size_t n, const char *src)
{
	static const struct { const char *from, *to; } subst[] = {
		{"\u2022", "*"}, {"\u2026", "..."}, {"\u2013", "-"}, {"\u2014", "-"},
		{"\u2018", "'"}, {"\u2019", "'"}, {"\u201c", "\""}, {"\u201d", "\""},
	};
	size_t o = 0;

	if (n == 0)
		return;
	while (src && *src && o + 1 < n) {
		const char *rep = NULL;
		size_t skip = 1, rn;

		for (size_t k = 0; k < sizeof subst / sizeof *subst; k++) {
			size_t fl = strlen(subst[k].from);

			if (strncmp(src, subst[k].from, fl) == 0) {
				rep = subst[k].to;
				skip = fl;
				break;
			}
		}
		if (!rep && (unsigned char)*src < 0x20)
			rep = " ";
		if (!rep) { /* copy one whole code point or stop */
			skip = 1;
			while (src[skip] && is_cont((unsigned char)src[skip]))
				skip++;
			rep = src;
			rn = skip;
		} else {
			rn = strlen(rep);
		}
		if (o + rn >= n)
			break;
		memcpy(dst + o, rep, rn);
		o += rn;
		src += skip;
	}
	dst[o] = '\0';
}

/* ---- layout primitives --------------------------------------------------------------- */

void paper_rule(struct paper *o, char c)
{
	char line[MAX_COLS + 1];

	memset(line, c, (size_t)o->cols);
	line[o->cols] = '\0';
	escpos_line(o->e, line);
}

/* Prints text word-wrapped to `width` columns; words longer than a line are split. */
void paper_wrap(struct paper *o, const char *text, int width)
{
	char line[LINE_BYTES];
	const char *s = text;

	while (*s) {
		size_t n = strlen(s), take, cut;
		int room;

		while (*s == ' ')
			s++, n--;
		if (!*s)
			break;
		take = u8_bytes(s, n, width);
		cut = take;
		if (take < n && s[take] != ' ') {
			/* back up to the last space; keep a hard split for one huge word */
			while (cut > 0 && s[cut - 1] != ' ')
				cut--;
			if (cut == 0)
				cut = take;
		}
		room = cut < sizeof line ? (int)cut : (int)sizeof line - 1;
		memcpy(line, s, (size_t)room);
		while (room > 0 && line[room - 1] == ' ')
			room--;
		line[room] = '\0';
		escpos_line(o->e, line);
		s += cut;
	}
}

/* One table row: left text, right text flush right. When both do not fit, the left part
 * wraps on its own lines and the right one follows, still flush right. */
void paper_row(struct paper *o, const char *left, const char *right)
{
	char line[LINE_BYTES];
	size_t ln = strlen(left), rn = strlen(right);
	int lc = u8_cols(left, ln), rc = u8_cols(right, rn), pad;

	if (lc + 1 + rc > o->cols || (lc && !rc && lc > o->cols)) {
		if (lc)
			paper_wrap(o, left, o->cols);
		if (!rc)
			return;
		left = "";
		ln = 0;
		lc = 0;
		if (rc > o->cols) {
			paper_wrap(o, right, o->cols);
			return;
		}
	}
	pad = o->cols - lc - rc;
	if (ln + (size_t)pad + rn >= sizeof line)
		return;
	memcpy(line, left, ln);
	memset(line + ln, ' ', (size_t)pad);
	memcpy(line + ln + (size_t)pad, right, rn + 1);
	escpos_line(o->e, line);
}

/* Centered emphasis at double width when it fits, else double height only. */
void paper_big(struct paper *o, const char *text)
{
	int wide = 2 * u8_cols(text, strlen(text)) <= o->cols;

	escpos_bold(o->e, 1);
	escpos_size(o->e, wide ? 2 : 1, 2);
	paper_wrap(o, text, wide ? o->cols / 2 : o->cols);
	escpos_size(o->e, 1, 1);
	escpos_bold(o->e, 0);
}

/* ---- QR sizing ----------------------------------------------------------------------- */

/* Byte-mode capacity of QR versions 1..40 at ECC M (ISO/IEC 18004 table 7). libqrencode
 * and printers may pick mixed modes and a smaller version; this is the upper bound. */
static const short qr_cap_m[40] = {
	14,   26,   42,   62,   84,   106,  122,  152,  180,  213,  251,  287,  331,  362,
	412,  450,  504,  560,  624,  666,  711,  779,  857,  911,  997,  1059, 1125, 1190,
	1264, 1370, 1452, 1538, 1628, 1722, 1809, 1911, 1989, 2099, 2213, 2331,
};

/* Largest module size up to the preferred one (6 on 80 mm, 4 on 58 mm) that keeps the
 * symbol and a 4-module quiet zone on each side within the paper. */
int paper_qr_module(size_t len, int dots)
{
	int m = dots >= 576 ? 6 : 4, v = 0, modules;

	while (v < 40 && (size_t)qr_cap_m[v] < len)
		v++;
	modules = 17 + 4 * (v + 1);
	while (m > 1 && (modules + 8) * m > dots)
		m--;
	return m;
}

/* ---- images -------------------------------------------------------------------------- */

/* Prints src centered on a paper-wide raster (see the note at the top). */
void paper_image(struct paper *o, const struct raster *src)
{
	struct raster paper;

	if (raster_alloc(&paper, o->dots, src->h) < 0) {
		escpos_raster(o->e, NULL, 0, 0); /* fails the stream: no half receipt */
		return;
	}
	raster_blit(&paper, src, (o->dots - src->w) / 2, 0);
	escpos_image(o->e, &paper);
	raster_free(&paper);
}

/* The logo, if configured and readable. Returns 0 if printed, -1 to fall back to text: a
 * missing or broken logo file must never stop a customer's coupon. */
static int logo(struct paper *o, const struct receipt *r)
{
	struct raster img;
	char why[300];

	if (!r->logo_path || !r->logo_path[0] ||
	    raster_load_png(&img, r->logo_path, o->dots, LOGO_MAX_H, why, sizeof why) < 0)
		return -1;
	paper_image(o, &img);
	raster_free(&img);
	escpos_feed(o->e, 1);
	return 0;
}

static int is_phone(const struct receipt *r)
{
	return r->kind && strcmp(r->kind, "phone") == 0;
}

/* A bank coupon with a biller GLN carries the GS1-128 barcode. */
static int has_barcode(const struct receipt *r)
{
	return !is_phone(r) && r->biller_gln && r->biller_gln[0];
}

static void barcode_fields(struct gs1_coupon *g, const struct receipt *r)
{
	g->gln = r->biller_gln;
	g->reference = r->coupon->reference;
	/* the pesos printed as "Valor a pagar" (money_format rounds the same way) */
	g->amount = r->coupon->amount.cur == CUR_COP ? money_round_pesos(r->coupon->amount.minor) / 100
						     : -1;
	g->due = r->coupon->due;
}

/* Bars 5/12 of the paper long (240 dots on 80 mm, 160 on 58 mm) at 2 dots per module. */
static int barcode_render(const struct receipt *r, struct raster *out, char *err, size_t errn)
{
	struct gs1_coupon g;

	barcode_fields(&g, r);
	return gs1_coupon_render(&g, r->dots, GS1_MODULE_MIN, r->dots * 5 / 12, out, NULL, err,
				 errn);
}

/* The text line under the bars, broken only between elements ("(3900)1234567" stays whole). */
static void barcode_text(struct paper *o, const struct receipt *r)
{
	struct gs1_coupon g;
	char hri[GS1_HRI_MAX], line[GS1_HRI_MAX];
	size_t n, len = 0;

	barcode_fields(&g, r);
	n = gs1_coupon_hri(hri, sizeof hri, &g);
	for (size_t i = 0; i < n;) {
		size_t end = i + 1;

		while (end < n && hri[end] != '(')
			end++;
		if (len > 0 && (int)(len + end - i) > o->cols) {
			line[len] = '\0';
			paper_wrap(o, line, o->cols);
			len = 0;
		}
		memcpy(line + len, hri + i, end - i);
		len += end - i;
		i = end;
	}
	if (len > 0) {
		line[len] = '\0';
		paper_wrap(o, line, o->cols);
	}
}

static void barcode(struct paper *o, const struct receipt *r)
{
	if (!o->barcode)
		return;
	escpos_feed(o->e, 1);
	paper_wrap(o, tr_lang(r->lang, STR_RCPT_BARCODE), o->cols);
	paper_image(o, o->barcode);
	barcode_text(o, r);
}

/* ---- the receipt --------------------------------------------------------------------- */

static void header(struct paper *o, const struct receipt *r)
{
	char text[LINE_BYTES];

	escpos_align(o->e, ESCPOS_CENTER);
	if (logo(o, r) < 0) {
		paper_text(text, sizeof text, r->brand ? r->brand : "Recaudo");
		paper_big(o, text);
	}
	escpos_bold(o->e, 1);
	escpos_line(o->e, tr_lang(r->lang, STR_RCPT_TITLE));
	escpos_bold(o->e, 0);
	if (is_phone(r))
		escpos_line(o->e, tr_lang(r->lang, STR_RCPT_PHONE));
	if (r->copy) {
		escpos_bold(o->e, 1);
		escpos_size(o->e, 1, 2);
		escpos_line(o->e, tr_lang(r->lang, STR_RCPT_COPY));
		escpos_size(o->e, 1, 1);
		escpos_bold(o->e, 0);
	}
	if (r->branch && r->branch[0]) {
		paper_text(text, sizeof text, r->branch);
		paper_wrap(o, text, o->cols);
	}
	escpos_align(o->e, ESCPOS_LEFT);
}

static void who(struct paper *o, const struct receipt *r)
{
	const struct coupon *c = r->coupon;
	char text[LINE_BYTES];
	struct tm tm;
	time_t t = (time_t)c->issued_at;

	paper_rule(o, '=');
	snprintf(text, sizeof text, "%04u", (unsigned)c->kiosk_id);
	paper_row(o, tr_lang(r->lang, STR_RCPT_KIOSK), text);
	if (localtime_r(&t, &tm) && strftime(text, sizeof text, "%d/%m/%Y %H:%M", &tm) > 0)
		paper_row(o, tr_lang(r->lang, STR_RCPT_DATE), text);
	if (r->customer_masked && r->customer_masked[0]) {
		paper_text(text, sizeof text, r->customer_masked);
		paper_row(o, tr_lang(r->lang, STR_RCPT_CUSTOMER), text);
	}
	if (r->id_masked && r->id_masked[0]) {
		paper_text(text, sizeof text, r->id_masked);
		paper_row(o, tr_lang(r->lang, STR_RCPT_ID), text);
	}
}

static void table(struct paper *o, const struct receipt *r)
{
	const struct coupon *c = r->coupon;
	char doc[LINE_BYTES], amount[64], cop[72], from[16], to[16], text[LINE_BYTES];

	paper_rule(o, '-');
	escpos_bold(o->e, 1);
	paper_row(o, tr_lang(r->lang, STR_RCPT_DOC_COL), tr_lang(r->lang, STR_RCPT_VALUE_COL));
	escpos_bold(o->e, 0);
	for (int i = 0; i < r->nlines; i++) {
		const struct coupon_line *l = &r->lines[i];

		paper_text(doc, sizeof doc, l->doc_number);
		money_format(amount, sizeof amount, l->pay);
		paper_row(o, doc, amount);
		if (l->pay.cur != CUR_COP) {
			/* what the bank collects for it, at the TRM */
			money_format(amount, sizeof amount, (struct money){l->cop_minor, CUR_COP});
			snprintf(cop, sizeof cop, "= %s", amount);
			paper_row(o, "", cop);
		}
	}
	if (c->has_trm) {
		paper_rule(o, '-');
		trm_format(amount, sizeof amount, &c->trm);
		paper_row(o, tr_lang(r->lang, STR_RCPT_TRM), amount);
		date_format(from, sizeof from, c->trm.valid_from);
		date_format(to, sizeof to, c->trm.valid_to);
		snprintf(text, sizeof text, tr_lang(r->lang, STR_RCPT_TRM_VALID), from, to);
		paper_wrap(o, text, o->cols);
	}
	paper_rule(o, '=');
}

static void payment(struct paper *o, const struct receipt *r)
{
	const struct coupon *c = r->coupon;
	char text[LINE_BYTES], date[16];

	escpos_align(o->e, ESCPOS_CENTER);
	escpos_line(o->e, tr_lang(r->lang, STR_RCPT_REFERENCE));
	paper_big(o, c->reference);
	escpos_feed(o->e, 1);
	escpos_line(o->e, tr_lang(r->lang, STR_RCPT_AMOUNT));
	money_format(text, sizeof text, c->amount);
	paper_big(o, text);
	escpos_feed(o->e, 1);
	date_format(date, sizeof date, c->due);
	snprintf(text, sizeof text, "%s: %s", tr_lang(r->lang, STR_RCPT_DUE), date);
	escpos_bold(o->e, 1);
	paper_wrap(o, text, o->cols);
	escpos_bold(o->e, 0);
	barcode(o, r);
	if (r->coupon_qr && r->coupon_qr[0]) {
		int m = paper_qr_module(strlen(r->coupon_qr), r->dots);

		/* a blank line above and below keeps the symbol's quiet zone clear of text */
		escpos_feed(o->e, 1);
		if (r->qr_raster)
			escpos_qr_raster(o->e, r->coupon_qr, m, 'M', r->dots);
		else
			escpos_qr(o->e, r->coupon_qr, m, 'M');
		escpos_feed(o->e, 1);
		paper_wrap(o, tr_lang(r->lang, STR_RCPT_VERIFY), o->cols);
	}
	escpos_align(o->e, ESCPOS_LEFT);
}

static void footer(struct paper *o, const struct receipt *r)
{
	int phone = is_phone(r);

	paper_rule(o, '-');
	escpos_align(o->e, ESCPOS_CENTER);
	paper_wrap(o, tr_lang(r->lang, phone ? STR_RCPT_HOWTO_PHONE : STR_RCPT_HOWTO), o->cols);
	escpos_feed(o->e, 1);
	escpos_bold(o->e, 1);
	escpos_line(o->e, tr_lang(r->lang, STR_RCPT_THANKS));
	escpos_bold(o->e, 0);
	escpos_align(o->e, ESCPOS_LEFT);
	escpos_feed(o->e, 2);
	escpos_cut(o->e);
}

int receipt_validate(const struct receipt *r, char *err, size_t errn)
{
	struct gs1_coupon g;
	int cols;

	if (!r || !r->coupon || (r->nlines > 0 && !r->lines) || r->nlines < 0) {
		snprintf(err, errn, "receipt: no coupon to print");
		return -1;
	}
	cols = r->dots / DOT_COLS;
	if (cols < MIN_COLS || cols > MAX_COLS || r->dots % 8) {
		snprintf(err, errn, "receipt: paper of %d dots cannot be laid out", r->dots);
		return -1;
	}
	if (!has_barcode(r))
		return 0;
	barcode_fields(&g, r);
	if (r->coupon->amount.cur != CUR_COP) {
		snprintf(err, errn, "receipt: a bank coupon is paid in COP");
		return -1;
	}
	return gs1_coupon_validate(&g, err, errn);
}

int receipt_build(struct escpos *e, const struct receipt *r)
{
	struct paper o;
	struct raster bars = {0};
	char why[200];

	if (!e || receipt_validate(r, why, sizeof why) < 0)
		return -1;
	/* the barcode is rendered first: if libzint refuses it, nothing has been emitted */
	if (has_barcode(r) && barcode_render(r, &bars, why, sizeof why) < 0)
		return -1;
	o.e = e;
	o.cols = r->dots / DOT_COLS;
	o.dots = r->dots;
	o.barcode = bars.bits ? &bars : NULL;
	if (r->codepage == ESCPOS_CP850 || r->codepage == ESCPOS_CP858)
		e->cp = r->codepage;
	escpos_begin(e);
	header(&o, r);
	who(&o, r);
	table(&o, r);
	payment(&o, r);
	footer(&o, r);
	raster_free(&bars);
	return escpos_failed(e) ? -1 : 0;
}

/* ---- the flow's print side effects (flow_fx.print / .reprint): the receipt and its COPIA
 * built from the flow and the configuration, handed to the printer queue ---- */

int app_fx_print(void *ctx, const struct flow *f)
{
	struct app *a = ctx;
	char name[128], idm[40], id[64], job[48];
	name_mask(name, sizeof(name), f->pf.name);
	id_mask(idm, sizeof(idm), f->pf.id_number);
	snprintf(id, sizeof(id), "%s %s", id_type_code(f->pf.id_type), idm);
	struct receipt r = {
		.lang = f->lang,
		.brand = a->cfg.brand,
		.branch = a->cfg.branch[0] ? a->cfg.branch : NULL,
		.customer_masked = name,
		.id_masked = id,
		.coupon = &f->coupon,
		.coupon_qr = f->coupon_qr,
		.kind = f->kind,
		.lines = f->lines,
		.nlines = f->nlines,
		.copy = 0,
		.dots = a->cfg.paper_dots,
		.codepage = a->cfg.printer_codepage,
		.qr_raster = !a->cfg.printer_native_qr,
		.biller_gln = a->cfg.biller_gln,
	};
	char logo[600];
	if (!strcmp(a->cfg.printer_logo, "none")) {
		r.logo_path = NULL;
	} else {
		if (a->cfg.printer_logo[0])
			snprintf(logo, sizeof(logo), "%s", a->cfg.printer_logo);
		else
			snprintf(logo, sizeof(logo), "%s/logo.png", a->assets_dir);
		r.logo_path = logo;
	}
	/* the receipt and, kept with it for reprints, the same receipt marked COPIA */
	struct escpos e, c;
	memset(&e, 0, sizeof(e));
	memset(&c, 0, sizeof(c));
	e.cp = c.cp = a->cfg.printer_codepage;
	snprintf(job, sizeof(job), "receipt-%06llu", (unsigned long long)f->coupon.seq);
	int built = receipt_build(&e, &r) == 0;
	r.copy = 1;
	built = built && receipt_build(&c, &r) == 0;
	if (!built) {
		char why[200];
		escpos_free(&e);
		escpos_free(&c);
		if (receipt_validate(&r, why, sizeof(why)) != 0)
			fprintf(stderr, "recaudo: %s: not printed: %s\n", job, why);
		else
			fprintf(stderr, "recaudo: %s: receipt too large\n", job);
		return -1;
	}
	/* the queue owns both buffers from here, even when it refuses the job */
	if (printq_submit(a->svc.pq, job, f->coupon.seq, e.buf, e.len, c.buf, c.len) != 0) {
		fprintf(stderr, "recaudo: %s: printer queue full\n", job);
		return -1;
	}
	return 0;
}

int app_fx_reprint(void *ctx, uint64_t seq)
{
	struct app *a = ctx;
	if (!seq) { /* the receipt offered on attract after a restart */
		seq = a->reprint_seq;
		a->reprint_seq = 0;
		a->st.reprint_offer = 0;
		a->dirty = 1;
	}
	if (!seq || printq_reprint(a->svc.pq, seq) != 0)
		return -1;
	return 0;
}
