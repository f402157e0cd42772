/* test_field_print — the field agent's paper (app/field_print.c): each slip built for the
 * 58 mm profile, drawn by the virtual printer, its QR read back with zbarimg and verified
 * with the device key, the accents through CP858 and CP850, the COPIA marked, the client
 * masked; 576 dots works too. FIELD_PAPER_DIR=<dir> keeps the PNGs there. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "escpos.h"
#include "escpos_render.h"
#include "field_print.h"
#include "printer.h"
#include "printq.h"
#include "store.h"
#include "tmpdir.h"
#include "zbar.h"

static const uint8_t KEY[] = "device-key-T01-0123456789abcdef";
#define KEYLEN (sizeof KEY - 1)
#define NOW 1795359600 /* 2026-11-22 10:00 -05:00 */

static char dir[256];
static int keep;

static struct field_paper paper(int dots, enum escpos_codepage cp, int raster)
{
	return (struct field_paper){
		.lang = LANG_ES,
		.brand = "Recaudo",
		.agent_name = "Ana Gómez",
		.dots = dots,
		.codepage = cp,
		.qr_raster = raster,
		.key = KEY,
		.keylen = KEYLEN,
		.printed_at = NOW + 3 * 3600,
	};
}

static void demo(struct field_receipt *r)
{
	memset(r, 0, sizeof *r);
	r->number = 42;
	snprintf(r->agent, sizeof r->agent, "1001");
	snprintf(r->device_id, sizeof r->device_id, "T01");
	r->day = 20261122;
	r->at = NOW + 5 * 60;
	r->id_type = ID_CC;
	snprintf(r->id_number, sizeof r->id_number, "1020304050");
	snprintf(r->customer_name, sizeof r->customer_name, "María Fernanda Núñez");
	r->cur = CUR_COP;
	r->nlines = 2;
	snprintf(r->lines[0].doc_number, sizeof r->lines[0].doc_number, "CRE-0001-07");
	snprintf(r->lines[0].line, sizeof r->lines[0].line, "Microcrédito");
	r->lines[0].amount_minor = 15000000;
	snprintf(r->lines[1].doc_number, sizeof r->lines[1].doc_number, "POL-88");
	snprintf(r->lines[1].line, sizeof r->lines[1].line, "Seguros de vida");
	r->lines[1].amount_minor = 4550000;
	r->amount_minor = 19550000;
	r->cash_minor = 20000000;
	r->change_minor = 450000;
	r->ndenoms = 2;
	r->denoms[0] = (struct field_denom){field_cop_denoms[0], 1};   /* 100.000 */
	r->denoms[1] = (struct field_denom){field_cop_denoms[1], 2};   /* 2 x 50.000 */
}

/* Renders e to <dir>/<name>.png; info gets the text as printed (decoded from the page). */
static void render(const struct escpos *e, int dots, const char *name, char *png, size_t n,
		   struct escpos_render_info *info)
{
	char err[200] = "";

	snprintf(png, n, "%s/%s.png", dir, name);
	CHECK_INT(escpos_render_png(e->buf, e->len, dots, png, info, err, sizeof err), 0);
	if (err[0])
		fprintf(stderr, "render %s: %s\n", name, err);
	CHECK_INT(info->unknown, 0);
	CHECK_INT(info->cuts, 1);
}

static int has(const struct escpos_render_info *info, const char *s)
{
	if (strstr(info->text, s))
		return 1;
	fprintf(stderr, "not on the paper: \"%s\"\n", s);
	return 0;
}

/* No printed line wider than the paper's columns (code points). */
static int fits(const struct escpos_render_info *info, int cols)
{
	int c = 0;

	for (const unsigned char *p = (const unsigned char *)info->text; *p; p++) {
		if (*p == '\n') {
			c = 0;
			continue;
		}
		if ((*p & 0xc0) != 0x80 && ++c > cols)
			return 0;
	}
	return 1;
}

static void test_receipt(int dots, enum escpos_codepage cp, int raster, int copy)
{
	struct field_paper p = paper(dots, cp, raster);
	struct field_receipt r;
	struct field_receipt_qr q;
	struct escpos e = {0};
	struct escpos_render_info info;
	char name[64], png[400], got[512], err[200];

	demo(&r);
	CHECK_INT(field_receipt_build(&e, &p, &r, copy, err, sizeof err), 0);
	CHECK_INT(e.cp, cp);
	snprintf(name, sizeof name, "receipt%s-%d-%s-%s", copy ? "-copia" : "", dots, cp == ESCPOS_CP850 ? "cp850" : "cp858",
		 raster ? "raster" : "native");
	render(&e, dots, name, png, sizeof png, &info);
	CHECK_INT(info.qr_codes, raster ? 0 : 1);
	CHECK(raster ? info.rasters >= 1 : 1);
	CHECK_INT(zbar_decode(png, "qrcode", got, sizeof got), 0);
	CHECK_INT(field_receipt_qr_verify(got, KEY, KEYLEN, &q), 0);
	CHECK_STR(q.device, "T01");
	CHECK_STR(q.agent, "1001");
	CHECK_INT(q.number, 42);
	CHECK_INT(q.amount_minor, 19550000);
	CHECK_INT(q.at, NOW + 300);
	CHECK(has(&info, "Recaudo"));
	CHECK(has(&info, "RECIBO DE CAJA"));
	CHECK(has(&info, "T01-1001-000042"));
	CHECK(has(&info, "22/11/2026 10:05"));
	CHECK(has(&info, "1001 Ana Gómez"));
	/* masked as the kiosk masks, never whole */
	CHECK(has(&info, "María F*****"));
	CHECK(has(&info, "CC ****4050"));
	CHECK(strstr(info.text, "1020304050") == NULL && strstr(info.text, "Núñez") == NULL);
	CHECK(has(&info, "Identificación"));
	CHECK(has(&info, "CRE-0001-07"));
	CHECK(has(&info, "Microcrédito"));
	CHECK(has(&info, "$ 150.000"));
	CHECK(has(&info, "$ 45.500"));
	CHECK(has(&info, "$ 195.500"));
	CHECK(has(&info, "Efectivo recibido"));
	CHECK(has(&info, "$ 200.000"));
	CHECK(has(&info, "Cambio"));
	CHECK(has(&info, "$ 4.500"));
	CHECK(has(&info, "Billetes y monedas"));
	CHECK(has(&info, "2 x $ 50.000"));
	CHECK(has(&info, "Código de verificación del"));
	CHECK(fits(&info, dots / 12));
	if (copy) {
		CHECK(has(&info, "*** COPIA ***"));
		CHECK(has(&info, "Reimpreso"));
		CHECK(has(&info, "22/11/2026 13:00"));
	} else {
		CHECK(strstr(info.text, "COPIA") == NULL);
	}
	escpos_free(&e);
}

static void test_void(enum escpos_codepage cp)
{
	struct field_paper p = paper(384, cp, 0);
	struct field_receipt r;
	struct escpos e = {0};
	struct escpos_render_info info;
	char png[400], err[200], name[32];

	demo(&r);
	CHECK_INT(field_void_build(&e, &p, &r, err, sizeof err), -1); /* not void */
	CHECK(strstr(err, "not void") != NULL);
	r.voided = 1;
	snprintf(r.void_reason, sizeof r.void_reason, "Valor digitado con error; el cliente pagó sólo una cuota");
	snprintf(r.void_by, sizeof r.void_by, "SUP7");
	r.void_at = NOW + 3600 + 15 * 60;
	escpos_free(&e);
	CHECK_INT(field_void_build(&e, &p, &r, err, sizeof err), 0);
	snprintf(name, sizeof name, "void-384-%s", cp == ESCPOS_CP850 ? "cp850" : "cp858");
	render(&e, 384, name, png, sizeof png, &info);
	CHECK(has(&info, "ANULACIÓN"));
	CHECK(has(&info, "Recibo anulado"));
	CHECK(has(&info, "T01-1001-000042"));
	CHECK(has(&info, "pagó sólo una"));
	CHECK(has(&info, "SUP7"));
	CHECK(has(&info, "22/11/2026 11:15"));
	CHECK(has(&info, "$ 195.500"));
	CHECK(has(&info, "María F*****"));
	CHECK(fits(&info, 32));
	CHECK_INT(info.qr_codes, 0);
	escpos_free(&e);
	/* a voided receipt reprinted says so */
	CHECK_INT(field_receipt_build(&e, &p, &r, 1, err, sizeof err), 0);
	render(&e, 384, "receipt-voided-copia", png, sizeof png, &info);
	CHECK(has(&info, "*** ANULADO ***"));
	CHECK(has(&info, "*** COPIA ***"));
	escpos_free(&e);
}

static void demo_totals(struct field_totals *t, int32_t from, int32_t to)
{
	memset(t, 0, sizeof *t);
	t->from = from;
	t->to = to;
	t->nrows = 3;
	t->rows[0] = (struct field_totals_row){"Microcrédito", CUR_COP, 5, 75000000, 1, 15000000, 60000000};
	t->rows[1] = (struct field_totals_row){"Seguros de vida", CUR_COP, 2, 9100000, 0, 0, 9100000};
	t->rows[2] = (struct field_totals_row){"Crédito en dólares", CUR_USD, 1, 12550, 0, 0, 12550};
	t->cash_cop_minor = 69100000;
	t->cash_usd_minor = 12550;
	t->receipts = 8;
	t->voided = 1;
	t->first_number = 35;
	t->last_number = 42;
	t->nvoid_numbers = 1;
	t->void_numbers[0] = 38;
}

static void test_totals(enum escpos_codepage cp)
{
	struct field_paper p = paper(384, cp, 0);
	struct field_totals t;
	struct escpos e = {0};
	struct escpos_render_info info;
	char png[400], err[200], name[40];
	const char *cpn = cp == ESCPOS_CP850 ? "cp850" : "cp858";

	demo_totals(&t, 20261122, 20261122);
	CHECK_INT(field_totals_build(&e, &p, "1001", &t, 1, NULL, err, sizeof err), 0);
	snprintf(name, sizeof name, "close-384-%s", cpn);
	render(&e, 384, name, png, sizeof png, &info);
	CHECK(has(&info, "CIERRE DEL DÍA"));
	CHECK(has(&info, "1001 Ana Gómez"));
	CHECK(has(&info, "22/11/2026"));
	CHECK(has(&info, "Microcrédito (COP)"));
	CHECK(has(&info, "Pagos (5)"));
	CHECK(has(&info, "$ 750.000"));
	CHECK(has(&info, "Anulaciones (1)"));
	CHECK(has(&info, "$ 600.000"));
	CHECK(has(&info, "Crédito en dólares (USD)"));
	CHECK(has(&info, "USD 125.50"));
	CHECK(has(&info, "EFECTIVO A CONSIGNAR"));
	CHECK(has(&info, "$ 691.000"));
	CHECK(has(&info, "35 - 42"));
	CHECK(has(&info, "Números anulados"));
	CHECK(has(&info, "\n38\n"));
	CHECK(has(&info, "Firma del supervisor"));
	CHECK(strstr(info.text, "Línea") == NULL); /* a close covers every line */
	CHECK(fits(&info, 32));
	escpos_free(&e);

	demo_totals(&t, 20261101, 20261122);
	CHECK_INT(field_totals_build(&e, &p, "1001", &t, 0, "Microcrédito", err, sizeof err), 0);
	snprintf(name, sizeof name, "report-384-%s", cpn);
	render(&e, 384, name, png, sizeof png, &info);
	CHECK(has(&info, "REPORTE DE RECAUDO"));
	CHECK(has(&info, "Período"));
	CHECK(has(&info, "01/11/2026 - 22/11/2026"));
	CHECK(has(&info, "Línea"));
	CHECK(strstr(info.text, "Firma") == NULL);
	CHECK(fits(&info, 32));
	escpos_free(&e);

	memset(&t, 0, sizeof t);
	t.from = t.to = 20261122;
	CHECK_INT(field_totals_build(&e, &p, "1001", &t, 0, "", err, sizeof err), 0);
	render(&e, 384, "report-empty", png, sizeof png, &info);
	CHECK(has(&info, "Sin recibos en el período."));
	CHECK(has(&info, "Todas"));
	escpos_free(&e);
}

static int found(const uint8_t *hay, size_t n, const void *needle, size_t k)
{
	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(hay + i, needle, k))
			return 1;
	return 0;
}

/* The accents are the code page's bytes, not '?' and not UTF-8: Ó is 0xE0 and Í 0xD6 in
 * both CP858 and CP850. */
static void test_bytes(void)
{
	static const enum escpos_codepage cps[] = {ESCPOS_CP858, ESCPOS_CP850};
	struct field_totals t;
	struct escpos e = {0};

	for (int i = 0; i < 2; i++) {
		struct field_paper p = paper(384, cps[i], 0);
		const uint8_t dia[] = {'D', 0xD6, 'A'};

		CHECK_INT(escpos_cp_byte(cps[i], 0xCD), 0xD6);
		CHECK_INT(escpos_cp_codepoint(cps[i], 0xE0), 0xD3);
		demo_totals(&t, 20261122, 20261122);
		CHECK_INT(field_totals_build(&e, &p, "1001", &t, 1, NULL, NULL, 0), 0);
		CHECK(found(e.buf, e.len, dia, sizeof dia));
		CHECK(!found(e.buf, e.len, "\xc3", 1)); /* no UTF-8 lead byte left */
		CHECK(found(e.buf, e.len, (const uint8_t[]){0x1b, 't', (uint8_t)cps[i]}, 3));
		escpos_free(&e);
	}
}

static void test_refused(void)
{
	struct field_paper p = paper(384, 0, 0);
	struct field_receipt r;
	struct escpos e = {0};
	char err[200];

	demo(&r);
	p.keylen = 0; /* no device key: no signed QR, no receipt */
	CHECK_INT(field_receipt_build(&e, &p, &r, 0, err, sizeof err), -1);
	CHECK(strstr(err, "QR") != NULL);
	escpos_free(&e);
	p = paper(100, 0, 0);
	CHECK_INT(field_receipt_build(&e, &p, &r, 0, err, sizeof err), -1);
	CHECK(strstr(err, "100 dots") != NULL);
	CHECK_INT(field_totals_build(&e, &p, "1001", NULL, 1, NULL, err, sizeof err), -1);
	r.nlines = COUPON_MAX_DOCS + 1;
	p = paper(384, 0, 0);
	CHECK_INT(field_receipt_build(&e, &p, &r, 0, err, sizeof err), -1);
	escpos_free(&e);
	/* codepage 0 is CP858 */
	demo(&r);
	CHECK_INT(field_receipt_build(&e, &p, &r, 0, err, sizeof err), 0);
	CHECK_INT(e.cp, ESCPOS_CP858);
	escpos_free(&e);
}

/* Through the print worker onto the virtual printer: each slip is recorded with its kind and
 * ref, none of them as a kiosk coupon, and the receipt's QR scans from the printed page. */
static void test_submit(void)
{
	struct field_paper p = paper(384, ESCPOS_CP858, 0);
	struct field_receipt r;
	struct field_totals t;
	struct store *s = NULL;
	struct printer *pr = NULL;
	struct printq *q = NULL;
	struct printq_result res;
	struct store_print_job j;
	char db[300], out[300], png[400], got[512], err[200];
	static const char *const keys[][2] = {
		{"receipt", "f1001-42"}, {"copy", "f1001-42"}, {"receipt", "fv1001-42"},
		{"report", "fc1001-20261122"}, {"report", "fr1001-20261101-20261122"},
	};
	int ok = 0;

	snprintf(db, sizeof db, "%s/store.db", dir);
	snprintf(out, sizeof out, "%s/printed", dir);
	mkdir(out, 0700);
	CHECK_INT(store_open(&s, db, err, sizeof err), 0);
	CHECK_INT(printer_open(&pr, "virtual", out, 384, err, sizeof err), 0);
	q = pr ? printq_open(pr, db, NULL, NULL, err, sizeof err) : NULL;
	CHECK(q != NULL);
	if (!s || !q)
		goto out;
	demo(&r);
	CHECK_INT(field_receipt_submit(q, &p, &r, 0, err, sizeof err), 0);
	CHECK_INT(field_receipt_submit(q, &p, &r, 1, err, sizeof err), 0);
	r.voided = 1;
	snprintf(r.void_reason, sizeof r.void_reason, "Error de digitación");
	snprintf(r.void_by, sizeof r.void_by, "SUP7");
	r.void_at = NOW + 3600;
	CHECK_INT(field_void_submit(q, &p, &r, err, sizeof err), 0);
	demo_totals(&t, 20261122, 20261122);
	CHECK_INT(field_totals_submit(q, &p, "1001", &t, 1, NULL, err, sizeof err), 0);
	printq_wait_idle(q); /* the queue holds PRINTQ_DEPTH jobs */
	demo_totals(&t, 20261101, 20261122);
	CHECK_INT(field_totals_submit(q, &p, "1001", &t, 0, "", err, sizeof err), 0);
	printq_wait_idle(q);
	while (printq_poll(q, &res))
		if (!res.is_status) {
			CHECK_INT(res.rc, 0);
			CHECK_INT(res.seq, 0);
			ok++;
		}
	CHECK_INT(ok, 5);
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		CHECK_INT(store_print_job_find(s, keys[i][0], keys[i][1], &j), 0);
		CHECK_STR(j.state, "printed");
		CHECK_INT(j.coupon_seq, 0);
	}
	CHECK_INT(store_print_job_find(s, "receipt", "f1001-42", &j), 0);
	CHECK_STR(j.name, "field-1001-000042");
	CHECK_INT(store_print_job_last_receipt(s, &j), 1); /* never offered as a coupon's receipt */
	snprintf(png, sizeof png, "%s/field-1001-000042.png", out);
	CHECK_INT(zbar_decode(png, "qrcode", got, sizeof got), 0);
	CHECK_INT(field_receipt_qr_verify(got, KEY, KEYLEN, NULL), 0);
out:
	if (q)
		printq_close(q);
	if (pr)
		printer_close(pr);
	store_close(s);
}

int main(void)
{
	const char *k = getenv("FIELD_PAPER_DIR");

	setenv("TZ", "<-05>5", 1);
	tzset();
	if (k && k[0]) {
		snprintf(dir, sizeof dir, "%s", k);
		mkdir(dir, 0700);
		keep = 1;
	} else {
		snprintf(dir, sizeof dir, "/tmp/recaudo-fieldprint-XXXXXX");
		if (!mkdtemp(dir))
			return 1;
	}
	test_receipt(384, ESCPOS_CP858, 0, 0);
	test_receipt(384, ESCPOS_CP850, 1, 0);
	test_receipt(384, ESCPOS_CP858, 0, 1);
	test_receipt(576, ESCPOS_CP858, 1, 0);
	test_void(ESCPOS_CP858);
	test_void(ESCPOS_CP850);
	test_totals(ESCPOS_CP858);
	test_totals(ESCPOS_CP850);
	test_bytes();
	test_refused();
	test_submit();
	if (!keep)
		tmpdir_remove(dir);
	return check_done();
}
