/* Printer backends and the virtual printer: .bin/.png jobs, receipts rendered at 80 and 58 mm
 * whose QR decodes (zbarimg) to the coupon payload, the file backend, and error paths.
 * TEST_KEEP=1 leaves the temporary directory (with the receipt PNGs) and prints its path. */
#include "check.h"
#include "config.h"
#include "escpos.h"
#include "escpos_render.h"
#include "gs1.h"
#include "printer.h"
#include "raster.h"
#include "money_limits.h"
#include "receipt.h"
#include "zbar.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char tmpdir[64];

#define PAYLOAD                                                                            \
	"RCP1|K=0007|S=42|R=000700000000427|A=123456700|C=COP|D=20251130|H="             \
	"3f1c9a0b7d2e4f6a8b1c3d5e7f9a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a"

static int read_file(const char *path, uint8_t *buf, size_t n, size_t *got)
{
	int fd = open(path, O_RDONLY);
	ssize_t r;

	*got = 0;
	if (fd < 0)
		return -1;
	while (*got < n && (r = read(fd, buf + *got, n - *got)) > 0)
		*got += (size_t)r;
	close(fd);
	return 0;
}

static void path_in(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

static void qr_decode(const char *png, char *out, size_t n)
{
	zbar_decode(png, "qrcode", out, n);
}

/* Longest line of the rendered text, in code points. */
static int widest_line(const char *text)
{
	int w = 0, max = 0;

	for (const char *s = text; *s; s++) {
		if (*s == '\n') {
			w = 0;
			continue;
		}
		if (((unsigned char)*s & 0xc0) != 0x80 && ++w > max)
			max = w;
	}
	return max;
}

static struct trm demo_trm = {401235, 20251128, 20251201};
static char logo_png[96]; /* a 200x60 logo written by make_logo() */

#define DEMO_GLN "7709998000001"
/* What a scanner reads from the demo coupon's GS1-128: FNC1 after (8020) and (3900) is GS */
#define DEMO_SCAN "4157709998000001" "8020000700000000427" "\x1d" "39001234567" "\x1d" "9620251130"

static void demo_receipt(struct receipt *r, struct coupon *c, struct coupon_line *lines,
			 int dots, enum lang lang)
{
	memset(c, 0, sizeof *c);
	c->kiosk_id = 7;
	c->seq = 42;
	snprintf(c->reference, sizeof c->reference, "%s", "000700000000427");
	c->amount = (struct money){123456700, CUR_COP};
	c->due = 20251130;
	c->issued_at = 1764346500; /* 28/11/2025 11:15 in Bogotá (UTC-5) */
	c->has_trm = 1;
	c->trm = demo_trm;

	memset(lines, 0, 3 * sizeof *lines);
	snprintf(lines[0].doc_number, sizeof lines[0].doc_number, "%s", "POL-2024-000123");
	lines[0].pay = (struct money){85000000, CUR_COP};
	lines[0].cop_minor = 85000000;
	snprintf(lines[1].doc_number, sizeof lines[1].doc_number, "%s", "CRED-USD-7781");
	lines[1].pay = (struct money){9500, CUR_USD};
	lines[1].cop_minor = trm_usd_to_cop(9500, &demo_trm);
	snprintf(lines[2].doc_number, sizeof lines[2].doc_number, "%s", "VEHÍCULO-88213");
	lines[2].pay = (struct money){123456700 - 85000000 - lines[1].cop_minor, CUR_COP};
	lines[2].cop_minor = lines[2].pay.minor;

	memset(r, 0, sizeof *r);
	r->lang = lang;
	r->brand = "Recaudo";
	r->branch = "Centro Comercial Andino - Bogotá";
	r->customer_masked = "María F*****";
	r->id_masked = "CC \u2022\u2022\u2022\u20224050";
	r->coupon = c;
	r->coupon_qr = PAYLOAD;
	r->kind = "coupon";
	r->lines = lines;
	r->nlines = 3;
	r->dots = dots;
	r->biller_gln = DEMO_GLN;
	r->logo_path = logo_png;
}

/* A 200x60 monochrome logo: a frame and a filled block, written with the raster module. */
static void make_logo(void)
{
	struct raster img;
	char err[200];

	path_in(logo_png, sizeof logo_png, "logo.png");
	CHECK_INT(raster_alloc(&img, 200, 60), 0);
	raster_fill(&img, 0, 0, 200, 4);
	raster_fill(&img, 0, 56, 200, 4);
	raster_fill(&img, 0, 0, 4, 60);
	raster_fill(&img, 196, 0, 4, 60);
	raster_fill(&img, 20, 16, 40, 28);
	CHECK_INT(raster_save_png(&img, img.h, logo_png, err, sizeof err), 0);
	raster_free(&img);
}

/* The whole coupon at one profile: paper width, native QR or the raster fallback, page.
 * Both symbols must scan from the PNG: the QR to the coupon payload, the GS1-128 to the
 * exact element string. */
static void test_receipt_render(int dots, int qr_raster, enum escpos_codepage cp)
{
	struct receipt r;
	struct coupon c;
	struct coupon_line lines[3];
	struct escpos e = {0};
	struct escpos_render_info info;
	char png[128], name[64], err[200], qr[512];

	demo_receipt(&r, &c, lines, dots, LANG_ES);
	r.qr_raster = qr_raster;
	r.codepage = cp;
	CHECK_INT(receipt_validate(&r, err, sizeof err), 0);
	CHECK_INT(receipt_build(&e, &r), 0);
	CHECK_INT(e.cp, cp);
	snprintf(name, sizeof name, "receipt-%d-%s-%s.png", dots, qr_raster ? "rasterqr" : "nativeqr",
		 cp == ESCPOS_CP850 ? "cp850" : "cp858");
	path_in(png, sizeof png, name);
	CHECK_INT(escpos_render_png(e.buf, e.len, dots, png, &info, err, sizeof err), 0);
	if (err[0])
		fprintf(stderr, "render: %s\n", err);
	qr_decode(png, qr, sizeof qr);
	CHECK_STR(qr, PAYLOAD);
	zbar_decode(png, "code128", qr, sizeof qr);
	CHECK_STR(qr, DEMO_SCAN);
	CHECK_INT(info.qr_codes, qr_raster ? 0 : 1);
	/* logo, barcode (bands of 128 rows), and the QR when it is a raster */
	CHECK(info.rasters >= (qr_raster ? 4 : 3));
	CHECK_INT(info.panel_off, 1);
	CHECK_INT(info.cuts, 1);
	CHECK_INT(info.unknown, 0);
	CHECK(strstr(info.text, "Recaudo") == NULL); /* the logo stands for the brand */
	CHECK(strstr(info.text, "CUPÓN DE PAGO") != NULL);
	CHECK(strstr(info.text, "$ 1.234.567") != NULL);
	CHECK(strstr(info.text, "000700000000427") != NULL);
	CHECK(strstr(info.text, "María F*****") != NULL);
	CHECK(strstr(info.text, "CC ****4050") != NULL);
	CHECK(strstr(info.text, "Identificación") != NULL);
	CHECK(strstr(info.text, "USD 95.00") != NULL);
	CHECK(strstr(info.text, "= $ 381.173") != NULL);
	CHECK(strstr(info.text, "$ 4.012,35") != NULL);
	CHECK(strstr(info.text, "28/11/2025 11:15") != NULL);
	CHECK(strstr(info.text, "Pagar hasta: 30/11/2025") != NULL);
	CHECK(strstr(info.text, "VEHÍCULO-88213") != NULL);
	CHECK(strstr(info.text, "COPIA") == NULL);
	/* the text line under the bars, broken only between elements */
	if (dots >= 576)
		CHECK(strstr(info.text, "\n(415)7709998000001(8020)000700000000427\n"
					"(3900)1234567(96)20251130\n") != NULL);
	else
		CHECK(strstr(info.text, "\n(415)7709998000001\n(8020)000700000000427\n"
					"(3900)1234567(96)20251130\n") != NULL);
	CHECK(strstr(info.text, "Código de barras para pagar en") != NULL);
	CHECK(widest_line(info.text) <= dots / 12);
	if (widest_line(info.text) > dots / 12)
		fprintf(stderr, "%s\n", info.text);
	escpos_free(&e);

	/* a reprint in English is marked as a copy */
	demo_receipt(&r, &c, lines, dots, LANG_EN);
	r.copy = 1;
	r.qr_raster = qr_raster;
	r.codepage = cp;
	CHECK_INT(receipt_build(&e, &r), 0);
	snprintf(name, sizeof name, "receipt-%d-%s-en-copy.png", dots,
		 qr_raster ? "rasterqr" : "nativeqr");
	path_in(png, sizeof png, name);
	CHECK_INT(escpos_render_png(e.buf, e.len, dots, png, &info, err, sizeof err), 0);
	CHECK(strstr(info.text, "PAYMENT COUPON") != NULL);
	CHECK(strstr(info.text, "*** COPY ***") != NULL);
	CHECK(strstr(info.text, "Barcode for payment at the bank") != NULL);
	CHECK(widest_line(info.text) <= dots / 12);
	qr_decode(png, qr, sizeof qr);
	CHECK_STR(qr, PAYLOAD);
	zbar_decode(png, "code128", qr, sizeof qr);
	CHECK_STR(qr, DEMO_SCAN);
	escpos_free(&e);
}

/* A bad GLN is refused with its reason and not one byte is emitted; a missing logo is no
 * error (the brand prints as text); without a GLN the coupon has no barcode, as before. */
static void test_receipt_barcode_rules(void)
{
	struct receipt r;
	struct coupon c;
	struct coupon_line lines[3];
	struct escpos e = {0};
	struct escpos_render_info info;
	char png[128], err[200], got[256];

	demo_receipt(&r, &c, lines, 576, LANG_ES);
	r.biller_gln = "7709998000002";
	CHECK_INT(receipt_validate(&r, err, sizeof err), -1);
	CHECK_STR(err, "GLN 7709998000002: dígito de verificación incorrecto (debe ser 1)");
	CHECK_INT(receipt_build(&e, &r), -1);
	CHECK_INT(e.len, 0);
	CHECK(!escpos_failed(&e));
	r.biller_gln = DEMO_GLN;
	snprintf(c.reference, sizeof c.reference, "%s", "0007-427");
	CHECK_INT(receipt_validate(&r, err, sizeof err), -1);
	CHECK_STR(err, "Referencia 0007-427: solo puede tener dígitos");
	CHECK_INT(receipt_build(&e, &r), -1);
	CHECK_INT(e.len, 0);
	snprintf(c.reference, sizeof c.reference, "%s", "000700000000427");
	c.due = 20251131;
	CHECK_INT(receipt_build(&e, &r), -1);
	CHECK_INT(e.len, 0);
	c.due = 20251130;

	/* no logo file, no GLN: the brand in text, no barcode, still a good coupon */
	path_in(png, sizeof png, "no-such-logo.png");
	r.logo_path = png;
	r.biller_gln = NULL;
	CHECK_INT(receipt_validate(&r, err, sizeof err), 0);
	CHECK_INT(receipt_build(&e, &r), 0);
	path_in(png, sizeof png, "receipt-576-plain.png");
	CHECK_INT(escpos_render_png(e.buf, e.len, 576, png, &info, err, sizeof err), 0);
	CHECK(strstr(info.text, "Recaudo\n") != NULL);
	CHECK(strstr(info.text, "(415)") == NULL);
	CHECK_INT(info.rasters, 0);
	zbar_decode(png, "code128", got, sizeof got);
	CHECK_STR(got, "");
	qr_decode(png, got, sizeof got);
	CHECK_STR(got, PAYLOAD);
	escpos_free(&e);

	/* a pay-by-phone coupon is not a bank coupon: no barcode even with a GLN */
	demo_receipt(&r, &c, lines, 384, LANG_ES);
	r.kind = "phone";
	CHECK_INT(receipt_build(&e, &r), 0);
	path_in(png, sizeof png, "receipt-384-phone.png");
	CHECK_INT(escpos_render_png(e.buf, e.len, 384, png, &info, err, sizeof err), 0);
	CHECK(strstr(info.text, "(415)") == NULL);
	zbar_decode(png, "code128", got, sizeof got);
	CHECK_STR(got, "");
	escpos_free(&e);
}

/* The Spanish sample through the virtual printer on both pages: the bytes differ from
 * UTF-8, the text that comes back is the same. */
static void test_codepages_render(void)
{
	static const char sample[] = "ÁÉÍÓÚÑÜ¿¡ áéíóúñü";
	const enum escpos_codepage pages[2] = {ESCPOS_CP858, ESCPOS_CP850};
	struct escpos_render_info info;
	char png[128], err[200], want[64];

	snprintf(want, sizeof want, "%s\n", sample);
	path_in(png, sizeof png, "pages-sample.png");
	for (int i = 0; i < 2; i++) {
		struct escpos e = {.cp = pages[i]};

		escpos_begin(&e);
		escpos_line(&e, sample);
		CHECK(!escpos_failed(&e));
		CHECK_INT(escpos_render_png(e.buf, e.len, 384, png, &info, err, sizeof err), 0);
		CHECK_STR(info.text, want);
		CHECK_INT(info.unknown, 0);
		escpos_free(&e);
	}
}

/* The largest amount one coupon carries (money_limits.h) prints whole at 58 and 80 mm, and
 * the bank barcode carries it in (3900): every path takes every amount the kiosk accepts. */
static void test_receipt_max_amount(void)
{
	static const int widths[2] = {384, 576};

	for (int k = 0; k < 2; k++) {
		struct receipt r;
		struct coupon c;
		struct coupon_line lines[3];
		struct escpos e = {0};
		struct escpos_render_info info;
		char png[128], name[64], err[200], got[256];

		demo_receipt(&r, &c, lines, widths[k], LANG_ES);
		c.amount = (struct money){MONEY_MAX_COP_MINOR, CUR_COP};
		c.has_trm = 0;
		lines[0].pay = (struct money){MONEY_MAX_COP_MINOR, CUR_COP};
		lines[0].cop_minor = MONEY_MAX_COP_MINOR;
		r.nlines = 1;
		CHECK_INT(receipt_validate(&r, err, sizeof err), 0);
		CHECK_INT(receipt_build(&e, &r), 0);
		snprintf(name, sizeof name, "receipt-max-%d.png", widths[k]);
		path_in(png, sizeof png, name);
		CHECK_INT(escpos_render_png(e.buf, e.len, widths[k], png, &info, err, sizeof err), 0);
		CHECK(strstr(info.text, "$ 9.999.999.999.999") != NULL);
		CHECK(widest_line(info.text) <= widths[k] / 12);
		zbar_decode(png, "code128", got, sizeof got);
		CHECK(strstr(got, "\x1d" "39009999999999999" "\x1d") != NULL);
		escpos_free(&e);
	}
}

/* Long fields at 58 mm: nothing runs past 32 columns, accents count as one column. */
static void test_receipt_edges(void)
{
	struct receipt r;
	struct coupon c;
	struct coupon_line lines[3];
	struct escpos e = {0};
	struct escpos_render_info info;
	char png[128], err[200];

	demo_receipt(&r, &c, lines, 384, LANG_ES);
	snprintf(c.reference, sizeof c.reference, "%s", "000700000000000000004286");
	snprintf(lines[0].doc_number, sizeof lines[0].doc_number, "%s",
		 "PÓLIZA-CUMPLIMIENTO-2024-00001");
	r.customer_masked = "Inversiones Agropecuarias Ñandú S*****";
	r.kind = "phone";
	r.branch = NULL;
	CHECK_INT(receipt_build(&e, &r), 0);
	path_in(png, sizeof png, "receipt-384-edges.png");
	CHECK_INT(escpos_render_png(e.buf, e.len, 384, png, &info, err, sizeof err), 0);
	CHECK(widest_line(info.text) <= 32);
	CHECK(strstr(info.text, "000700000000000000004286") != NULL);
	CHECK(strstr(info.text, "PÓLIZA-CUMPLIMIENTO-2024-00001") != NULL);
	CHECK(strstr(info.text, "Ñandú") != NULL);
	CHECK(strstr(info.text, "Pago con el celular (QR)") != NULL);
	CHECK(strstr(info.text, "Pague con la aplicación de su") != NULL);
	escpos_free(&e);

	/* the same byte is a different letter on each page */
	path_in(png, sizeof png, "pages.png");
	CHECK_INT(escpos_render_png((const uint8_t *)"\x1bt\x02\xd5\x1bt\x13\xd5\x1bt\x00\xd5\n", 13,
				    384, png, &info, err, sizeof err), 0);
	CHECK_STR(info.text, "ı€?\n");
	/* no receipt without a coupon or on paper it cannot lay out */
	r.coupon = NULL;
	CHECK(receipt_build(&e, &r) < 0);
	r.coupon = &c;
	r.dots = 200;
	CHECK(receipt_build(&e, &r) < 0);
	escpos_free(&e);
}

static void test_virtual(void)
{
	static const uint8_t job[] = "\x1b@\x1bt\x13" "Hola se\xa4or\n\x1d\x56\x42\x00";
	struct printer *p = NULL;
	char err[200], path[128], dir[128], qr[512], signed_qr[512];
	uint8_t got[sizeof job + 16];
	size_t n;
	struct receipt r;
	struct coupon c;
	struct coupon_line lines[3];
	struct escpos e = {0};
	struct stat st;

	path_in(dir, sizeof dir, "virtual");
	CHECK_INT(printer_open(&p, "virtual", dir, 576, err, sizeof err), 0);
	if (!p)
		return;
	CHECK_STR(printer_backend(p), "virtual");
	CHECK_INT(printer_job(p, "job-1", job, sizeof job - 1), 0);
	path_in(path, sizeof path, "virtual/job-1.bin");
	CHECK_INT(read_file(path, got, sizeof got, &n), 0);
	CHECK_INT(n, sizeof job - 1);
	CHECK(n == sizeof job - 1 && memcmp(got, job, n) == 0);
	path_in(path, sizeof path, "virtual/job-1.png");
	CHECK_INT(read_file(path, got, 8, &n), 0);
	CHECK(n == 8 && memcmp(got, "\x89PNG\r\n\x1a\n", 8) == 0);
	path_in(path, sizeof path, "virtual/job-1.png.tmp");
	CHECK(stat(path, &st) < 0);
	path_in(path, sizeof path, "virtual/job-1.bin.tmp");
	CHECK(stat(path, &st) < 0);

	/* job names become file names: nothing that climbs out of the directory */
	CHECK(printer_job(p, "../evil", job, sizeof job - 1) < 0);
	CHECK(strstr(printer_error(p), "job name") != NULL);
	CHECK(printer_job(p, "empty", job, 0) < 0);
	/* a job the virtual printer cannot render is an error, not a blank preview */
	{
		uint8_t runaway[3 * 100]; /* 100 x ESC d 255: ~750,000 dots of paper */

		for (size_t i = 0; i < sizeof runaway; i += 3)
			memcpy(runaway + i, "\x1b" "d\xff", 3);
		CHECK(printer_job(p, "runaway", runaway, sizeof runaway) < 0);
		CHECK(strstr(printer_error(p), "paper") != NULL);
	}
	printer_close(p);

	/* the whole path at 58 mm: receipt -> virtual printer -> PNG whose QR scans */
	CHECK_INT(printer_open(&p, "virtual", dir, 384, err, sizeof err), 0);
	if (!p)
		return;
	demo_receipt(&r, &c, lines, 384, LANG_ES);
	/* this time with the payload coupon.c signs, as the app prints it */
	CHECK(coupon_qr_payload(signed_qr, sizeof signed_qr, &c, (const uint8_t *)"kiosk-7-key",
				11) > 0);
	r.coupon_qr = signed_qr;
	CHECK_INT(receipt_build(&e, &r), 0);
	CHECK_INT(printer_job(p, "receipt-000042", e.buf, e.len), 0);
	path_in(path, sizeof path, "virtual/receipt-000042.png");
	qr_decode(path, qr, sizeof qr);
	CHECK_STR(qr, signed_qr);
	escpos_free(&e);
	printer_close(p);
}

static void test_file(void)
{
	struct printer *p = NULL;
	char err[200], path[128];
	uint8_t got[16];
	size_t n;

	path_in(path, sizeof path, "spool.bin");
	CHECK_INT(printer_open(&p, "file", path, 384, err, sizeof err), 0);
	if (!p)
		return;
	CHECK_STR(printer_backend(p), "file");
	CHECK_INT(printer_job(p, "a", (const uint8_t *)"AB", 2), 0);
	CHECK_INT(printer_job(p, "b", (const uint8_t *)"CD", 2), 0);
	printer_close(p);
	CHECK_INT(printer_open(&p, "file", path, 384, err, sizeof err), 0);
	if (!p)
		return;
	CHECK_INT(printer_job(p, "c", (const uint8_t *)"EF", 2), 0);
	printer_close(p);
	CHECK_INT(read_file(path, got, sizeof got, &n), 0);
	CHECK_INT(n, 6);
	CHECK(n == 6 && memcmp(got, "ABCDEF", 6) == 0);
}

static void test_errors(void)
{
	struct printer *p = (struct printer *)1;
	char err[200], path[128];
	const char *const *names = printer_backends();
	struct escpos_render_info info;

	CHECK_STR(names[0], "virtual");
	CHECK_STR(names[1], "file");
	CHECK_STR(names[2], "serial"); /* the transports: tests/unit/test_transport.c */
	CHECK_STR(names[3], "usb");
	CHECK_STR(names[4], "tcp");
	CHECK(names[5] == NULL);

	CHECK(printer_open(&p, "laser", "/tmp", 576, err, sizeof err) < 0);
	CHECK(p == NULL);
	CHECK(strstr(err, "unknown backend 'laser'") != NULL);
	CHECK(strstr(err, "virtual") != NULL && strstr(err, "file") != NULL);

	CHECK(printer_open(&p, "virtual", "/tmp", 500, err, sizeof err) < 0);
	CHECK(strstr(err, "500") != NULL);

	/* unwritable targets (these hold even for root) */
	path_in(path, sizeof path, "spool.bin"); /* a regular file, not a directory */
	CHECK(printer_open(&p, "virtual", path, 576, err, sizeof err) < 0);
	CHECK(strstr(err, "not a directory") != NULL);
	CHECK(printer_open(&p, "virtual", "/proc/recaudo-nope/out", 576, err, sizeof err) < 0);
	CHECK(strstr(err, "/proc/recaudo-nope/out") != NULL);
	CHECK(printer_open(&p, "virtual", "/proc/self", 576, err, sizeof err) < 0);
	CHECK(strstr(err, "not writable") != NULL);
	CHECK(printer_open(&p, "file", tmpdir, 576, err, sizeof err) < 0); /* a directory */
	CHECK(strstr(err, "cannot open") != NULL);
	CHECK(p == NULL);

	/* the interpreter skips and counts what it does not know, and reports bad output */
	path_in(path, sizeof path, "unknown.png");
	CHECK_INT(escpos_render_png((const uint8_t *)"\x1b-\x01x\x1dZ\x01y\x1c.z\n", 12, 576,
				    path, &info, err, sizeof err), 0);
	CHECK_INT(info.unknown, 3);
	CHECK_STR(info.text, "xyz\n");
	CHECK(escpos_render_png((const uint8_t *)"x\n", 2, 576, "/proc/nope/x.png", NULL, err,
				sizeof err) < 0);
	CHECK(strstr(err, "cannot write PNG") != NULL);
}

/* Loads an INI made of `text` over the defaults; returns config_load's result. */
static int load_ini(struct config *c, const char *text, char *err, size_t errn)
{
	char path[128];
	FILE *f;

	path_in(path, sizeof path, "kiosk.ini");
	f = fopen(path, "w");
	if (!f)
		return -2;
	fputs(text, f);
	fclose(f);
	config_defaults(c);
	err[0] = '\0';
	return config_load(c, path, err, errn);
}

/* The printer profile and the biller GLN in the site INI: defaults, values, clear refusals. */
static void test_profile_config(void)
{
	struct config c;
	char err[300];

	config_defaults(&c);
	CHECK_INT(c.paper_dots, 576);
	CHECK_INT(c.printer_native_qr, 1);
	CHECK_INT(c.printer_codepage, ESCPOS_CP858);
	CHECK_STR(c.printer_logo, "");
	CHECK_STR(c.biller_gln, CFG_BILLER_GLN);
	CHECK_INT(gs1_gln_validate(c.biller_gln, err, sizeof err), 0);

	CHECK_INT(load_ini(&c, "[printer]\nprofile = 58mm\nnative_qr = no\ncodepage = cp850\n"
			       "logo = none\n[kiosk]\nbiller_gln = 4006381333931\n", err, sizeof err), 0);
	CHECK_INT(c.paper_dots, 384);
	CHECK_INT(c.printer_native_qr, 0);
	CHECK_INT(c.printer_codepage, ESCPOS_CP850);
	CHECK_STR(c.printer_logo, "none");
	CHECK_STR(c.biller_gln, "4006381333931");
	CHECK_INT(load_ini(&c, "[printer]\nprofile = 80mm\ndots = 576\nnative_qr = yes\n"
			       "codepage = cp858\n", err, sizeof err), 0);
	CHECK_INT(c.paper_dots, 576);
	CHECK_INT(c.printer_native_qr, 1);
	CHECK_INT(c.printer_codepage, ESCPOS_CP858);

	CHECK_INT(load_ini(&c, "[printer]\nprofile = 76mm\n", err, sizeof err), -1);
	CHECK(strstr(err, ":2: [printer] profile must be 80mm or 58mm, not '76mm'") != NULL);
	CHECK_INT(load_ini(&c, "[printer]\nnative_qr = maybe\n", err, sizeof err), -1);
	CHECK(strstr(err, "[printer] native_qr must be yes or no, not 'maybe'") != NULL);
	CHECK_INT(load_ini(&c, "[printer]\ncodepage = cp437\n", err, sizeof err), -1);
	CHECK(strstr(err, "[printer] codepage must be cp858 or cp850, not 'cp437'") != NULL);
	CHECK_INT(load_ini(&c, "[printer]\nprofile = 80mm\ndots = 384\n", err, sizeof err), -1);
	CHECK(strstr(err, "[printer] profile 80mm is 576 dots wide, but dots = 384") != NULL);
	CHECK_INT(c.paper_dots, 576); /* a refused file changes nothing */
	CHECK_INT(load_ini(&c, "[kiosk]\nbiller_gln = 7709998000002\n", err, sizeof err), -1);
	CHECK(strstr(err, ":2: bad value for [kiosk] biller_gln: GLN 7709998000002: dígito de "
			  "verificación incorrecto (debe ser 1)") != NULL);
	CHECK_STR(c.biller_gln, CFG_BILLER_GLN);
	CHECK_INT(load_ini(&c, "[kiosk]\nbiller_gln = 770999800000\n", err, sizeof err), -1);
	CHECK(strstr(err, "debe tener 13 dígitos (tiene 12)") != NULL);
}

/* The sync worker's link budget: its own keys, not the lookup's 3 s (docs/configuration.md). */
static void test_sync_timeouts_config(void)
{
	struct config c;
	char err[300];

	config_defaults(&c);
	CHECK_INT(c.lookup_timeout_ms, 3000);
	CHECK_INT(c.sync_connect_timeout_ms, 30000);
	CHECK_INT(c.sync_low_speed_s, 30);
	CHECK_INT(load_ini(&c, "[central]\nsync_connect_timeout_ms = 60000\nsync_low_speed_s = 45\n", err,
			   sizeof err),
		  0);
	CHECK_INT(c.sync_connect_timeout_ms, 60000);
	CHECK_INT(c.sync_low_speed_s, 45);
	CHECK_INT(c.lookup_timeout_ms, 3000);
	CHECK_INT(load_ini(&c, "[central]\nsync_connect_timeout_ms = 500\n", err, sizeof err), -1);
	CHECK(strstr(err, ":2:") != NULL && strstr(err, "sync_connect_timeout_ms") != NULL);
	CHECK_INT(load_ini(&c, "[central]\nsync_low_speed_s = 0\n", err, sizeof err), -1);
	CHECK(strstr(err, "sync_low_speed_s") != NULL);
	CHECK_INT(c.sync_low_speed_s, 30); /* a refused file changes nothing */
}

static void cleanup(void)
{
	char cmd[128];
	FILE *p;

	/* the tree is ours (mkdtemp); remove it file by file via find, no shell globbing */
	snprintf(cmd, sizeof cmd, "find '%s' -depth -delete", tmpdir);
	p = popen(cmd, "r");
	if (p)
		pclose(p);
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/recaudo-printer-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	setenv("TZ", "COT5", 1); /* Bogotá, UTC-5, no DST: dates on paper are deterministic */
	tzset();
	test_file();
	test_errors();
	make_logo();
	test_receipt_render(576, 0, ESCPOS_CP858);
	test_receipt_render(384, 0, ESCPOS_CP858);
	test_receipt_render(576, 1, ESCPOS_CP850);
	test_receipt_render(384, 1, ESCPOS_CP850);
	test_receipt_barcode_rules();
	test_codepages_render();
	test_profile_config();
	test_sync_timeouts_config();
	test_receipt_edges();
	test_receipt_max_amount();
	test_virtual();
	if (getenv("TEST_KEEP"))
		printf("kept %s\n", tmpdir);
	else
		cleanup();
	return check_done();
}
