/* test_account_print — the account services' paper (app/account_print.c): the statement and
 * the certificate at 58 and 80 mm, drawn by the virtual printer; the text on the page read
 * back (accents through CP858 and CP850, the customer masked, nothing whole), the
 * certificate's QR read with zbarimg and equal to payload|S=signature, its Ed25519 signature
 * verifying under the issuer's key; a long statement prints whole; bad input refused; both
 * papers queued on the print worker as documents. ACCOUNT_PAPER_DIR=<dir> keeps the PNGs. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "account_print.h"
#include "check.h"
#include "escpos.h"
#include "escpos_render.h"
#include "printer.h"
#include "printq.h"
#include "store.h"
#include "tmpdir.h"
#include "zbar.h"

#define NOW 1795359600 /* 2026-11-22 10:00 -05:00 */

static char dir[256];
static int keep;
static EVP_PKEY *issuer;

static struct account_paper paper(int dots, enum escpos_codepage cp, int raster, enum lang l)
{
	return (struct account_paper){
		.lang = l,
		.brand = "Recaudo",
		.branch = "Sucursal Bogotá Centro",
		.dots = dots,
		.codepage = cp,
		.qr_raster = raster,
		.printed_at = NOW + 3 * 3600 + 5 * 60,
	};
}

static const struct account_customer CUSTOMER = {"María Fernanda Núñez", ID_CC, "1020304050"};

static struct api_acc_product product(void)
{
	struct api_acc_product p;

	memset(&p, 0, sizeof p);
	snprintf(p.id, sizeof p.id, "CR-778812");
	snprintf(p.line, sizeof p.line, "Crédito de vehículo");
	snprintf(p.description, sizeof p.description, "Renault Logan 2024, 48 cuotas");
	snprintf(p.currency, sizeof p.currency, "COP");
	p.balance = 125000000;
	return p;
}

/* n movements from 150.000.000 down by payments of 250.000 and up by interest. */
static void statement(struct api_acc_statement *s, struct api_acc_move *mv, int n)
{
	int64_t bal = 150000000;

	memset(s, 0, sizeof *s);
	snprintf(s->product, sizeof s->product, "CR-778812");
	snprintf(s->currency, sizeof s->currency, "COP");
	s->month = 202611;
	s->opening = bal;
	for (int i = 0; i < n; i++) {
		mv[i].date = 20261101 + i % 30;
		mv[i].amount = i % 2 ? 1234500 : -25000000;
		bal += mv[i].amount;
		mv[i].balance = bal;
		snprintf(mv[i].description, sizeof mv[i].description,
			 i % 2 ? "Intereses corrientes del período" : "Pago cuota %d en el kiosco de la sucursal, número de transacción larga %d",
			 i + 1, 9000 + i);
	}
	s->moves = mv;
	s->n = n;
	s->closing = bal;
}

static void b64(const unsigned char *in, size_t n, char *out, size_t outn)
{
	EVP_EncodeBlock((unsigned char *)out, in, (int)n);
	out[outn - 1] = '\0';
}

/* A certificate as api_acc_certificate returns it, signed with the test's issuer key. */
static void certificate(struct api_acc_certificate *c, char kind, int64_t balance)
{
	unsigned char sig[64];
	size_t siglen = sizeof sig;
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	memset(c, 0, sizeof *c);
	c->f.kind = kind;
	snprintf(c->f.id, sizeof c->f.id, "C-2026-000417");
	snprintf(c->f.product, sizeof c->f.product, "CR-778812");
	snprintf(c->f.currency, sizeof c->f.currency, "COP");
	c->f.balance = balance;
	c->f.issued = 20261122;
	snprintf(c->f.id_type, sizeof c->f.id_type, "CC");
	snprintf(c->f.id_last4, sizeof c->f.id_last4, "4050");
	snprintf(c->description, sizeof c->description, "Crédito de vehículo");
	snprintf(c->payload, sizeof c->payload, "RCC1|K=%c|I=%s|P=%s|C=COP|B=%lld|D=20261122|T=CC|N=4050", kind,
		 c->f.id, c->f.product, (long long)balance);
	CHECK_INT(EVP_DigestSignInit(md, NULL, NULL, NULL, issuer), 1);
	CHECK_INT(EVP_DigestSign(md, sig, &siglen, (const unsigned char *)c->payload, strlen(c->payload)), 1);
	EVP_MD_CTX_free(md);
	b64(sig, siglen, c->signature, sizeof c->signature);
}

/* What the QR carries: payload|S=base64, the signature verifying under the issuer's key. */
static int qr_verifies(const char *qr)
{
	const char *s = strstr(qr, "|S=");
	unsigned char sig[72];
	EVP_MD_CTX *md;
	int n, ok;

	if (!s)
		return 0;
	n = EVP_DecodeBlock(sig, (const unsigned char *)s + 3, (int)strlen(s + 3));
	if (n < 64)
		return 0;
	md = EVP_MD_CTX_new();
	ok = EVP_DigestVerifyInit(md, NULL, NULL, NULL, issuer) == 1 &&
	     EVP_DigestVerify(md, sig, 64, (const unsigned char *)qr, (size_t)(s - qr)) == 1;
	EVP_MD_CTX_free(md);
	return ok;
}

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

/* s on the paper, where a wrapped line break counts as the space it replaced. */
static int has(const struct escpos_render_info *info, const char *s)
{
	char flat[sizeof info->text];

	snprintf(flat, sizeof flat, "%s", info->text);
	for (char *p = flat; *p; p++)
		if (*p == '\n')
			*p = ' ';
	if (strstr(flat, s))
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

/* Where needle first occurs in the n bytes at hay, or NULL (memmem is a GNU extension). */
static const char *find(const void *hay, size_t n, const char *needle, size_t k)
{
	const char *h = hay;

	for (size_t i = 0; k <= n && i + k <= n; i++)
		if (memcmp(h + i, needle, k) == 0)
			return h + i;
	return NULL;
}

/* Nothing of the customer's whole: not the ID, not the surnames. */
static int private(const struct escpos_render_info *info)
{
	return !strstr(info->text, "1020304050") && !strstr(info->text, "Fernanda") && !strstr(info->text, "Núñez") &&
	       !strstr(info->text, "10203");
}

static void test_statement(int dots, enum escpos_codepage cp, enum lang l)
{
	struct account_paper p = paper(dots, cp, 0, l);
	struct api_acc_product prod = product();
	struct api_acc_statement s;
	struct api_acc_move mv[4];
	struct escpos e = {0};
	struct escpos_render_info info;
	char name[64], png[400], err[200];

	statement(&s, mv, 4);
	CHECK_INT(account_print_statement(&e, &p, &CUSTOMER, &s, &prod, err, sizeof err), 0);
	CHECK_INT(e.cp, cp);
	snprintf(name, sizeof name, "statement-%d-%s-%s", dots, cp == ESCPOS_CP850 ? "cp850" : "cp858",
		 l == LANG_EN ? "en" : "es");
	render(&e, dots, name, png, sizeof png, &info);
	CHECK_INT(info.qr_codes, 0);
	CHECK(has(&info, "Recaudo"));
	CHECK(has(&info, "Sucursal Bogotá Centro"));
	CHECK(has(&info, l == LANG_EN ? "STATEMENT" : "EXTRACTO"));
	CHECK(has(&info, "CR-778812"));
	CHECK(has(&info, "Crédito de vehículo - Renault Logan 2024, 48 cuotas"));
	CHECK(has(&info, l == LANG_EN ? "November 2026" : "noviembre de 2026"));
	CHECK(has(&info, "María F*****"));
	CHECK(has(&info, "CC ****4050"));
	CHECK(private(&info));
	CHECK(has(&info, l == LANG_EN ? "Opening balance" : "Saldo inicial"));
	CHECK(has(&info, "$ 1.500.000"));
	CHECK(has(&info, "01/11/2026"));
	CHECK(has(&info, "04/11/2026"));
	CHECK(has(&info, "-$ 250.000"));
	CHECK(has(&info, "$ 12.345"));
	CHECK(has(&info, "Intereses corrientes del período"));
	CHECK(has(&info, "transacción"));
	/* 150.000.000 - 2 x 25.000.000 + 2 x 1.234.500 = 102.469.000 */
	CHECK(has(&info, l == LANG_EN ? "Closing balance" : "Saldo final"));
	CHECK(has(&info, "$ 1.024.690"));
	CHECK(has(&info, "22/11/2026 13:05"));
	CHECK(fits(&info, dots / 12));
	escpos_free(&e);
}

static void test_statement_usd_empty(void)
{
	struct account_paper p = paper(384, ESCPOS_CP858, 0, LANG_ES);
	struct api_acc_statement s;
	struct escpos e = {0};
	struct escpos_render_info info;
	char png[400], err[200];

	statement(&s, NULL, 0);
	snprintf(s.currency, sizeof s.currency, "USD");
	s.opening = s.closing = 123456;
	CHECK_INT(account_print_statement(&e, &p, &CUSTOMER, &s, NULL, err, sizeof err), 0);
	render(&e, 384, "statement-usd-empty", png, sizeof png, &info);
	CHECK(has(&info, "USD 1,234.56"));
	CHECK(has(&info, "Sin movimientos en el mes."));
	CHECK(has(&info, "CR-778812"));
	escpos_free(&e);
}

/* 60 movements: every one on the paper and the closing balance after them, one cut. The
 * renderer keeps only the first 4 KB of text, so the end is checked in the bytes. */
static void test_statement_long(int dots)
{
	struct account_paper p = paper(dots, ESCPOS_CP858, 0, LANG_ES);
	struct api_acc_product prod = product();
	static struct api_acc_move mv[API_ACC_MOVES_MAX];
	struct api_acc_statement s;
	struct escpos e = {0};
	struct escpos_render_info info;
	char name[64], png[400], err[200], want[64];
	const char *at, *last;

	statement(&s, mv, 60);
	CHECK_INT(account_print_statement(&e, &p, &CUSTOMER, &s, &prod, err, sizeof err), 0);
	snprintf(name, sizeof name, "statement-long-%d", dots);
	render(&e, dots, name, png, sizeof png, &info);
	/* each movement takes at least 3 lines (date and amount, text, balance) */
	CHECK(info.lines > 60 * 3 + 10);
	CHECK(fits(&info, dots / 12));
	/* the last movement's text, then the closing balance, then the footer, in the bytes */
	CHECK(find(e.buf, e.len, "Intereses", 9) != NULL);
	money_format(want, sizeof want, (struct money){s.closing, CUR_COP});
	at = find(e.buf, e.len, "Saldo final", 11);
	CHECK(at != NULL);
	last = find(e.buf, e.len, "30/11/2026", 10);
	CHECK(last != NULL && at != NULL && last < at);
	CHECK(at && find(at, e.len - (size_t)(at - (const char *)e.buf), want, strlen(want)) != NULL);
	CHECK(find(e.buf, e.len, "Este extracto es informativo", 28) != NULL);
	escpos_free(&e);
	/* the most a statement holds fits too */
	statement(&s, mv, API_ACC_MOVES_MAX);
	memset(&e, 0, sizeof e);
	CHECK_INT(account_print_statement(&e, &p, &CUSTOMER, &s, &prod, err, sizeof err), 0);
	CHECK(!escpos_failed(&e));
	escpos_free(&e);
}

static void test_certificate(int dots, enum escpos_codepage cp, int raster, enum lang l, char kind)
{
	struct account_paper p = paper(dots, cp, raster, l);
	struct api_acc_certificate c;
	struct escpos e = {0};
	struct escpos_render_info info;
	char name[80], png[400], got[600], want[600], err[200];

	certificate(&c, kind, kind == 'P' ? 0 : 123456700);
	CHECK_INT(account_print_certificate(&e, &p, "María Fernanda Núñez", &c, err, sizeof err), 0);
	snprintf(name, sizeof name, "certificate-%c-%d-%s-%s-%s", kind, dots, cp == ESCPOS_CP850 ? "cp850" : "cp858",
		 raster ? "raster" : "native", l == LANG_EN ? "en" : "es");
	render(&e, dots, name, png, sizeof png, &info);
	CHECK_INT(info.qr_codes, raster ? 0 : 1);
	CHECK(raster ? info.rasters >= 1 : 1);
	CHECK_INT(zbar_decode(png, "qrcode", got, sizeof got), 0);
	snprintf(want, sizeof want, "%s|S=%s", c.payload, c.signature);
	CHECK_STR(got, want);
	CHECK(qr_verifies(got));
	CHECK_INT(account_print_cert_qr(&c, got, sizeof got), (long long)strlen(want));
	CHECK_STR(got, want);
	CHECK(has(&info, kind == 'P' ? "PAZ Y SALVO" : "CERTIFICADO DE DEUDA"));
	CHECK(has(&info, "C-2026-000417"));
	CHECK(has(&info, "CR-778812"));
	CHECK(has(&info, "Crédito de vehículo"));
	CHECK(has(&info, "María F*****"));
	CHECK(has(&info, "CC ****4050"));
	CHECK(private(&info));
	CHECK(has(&info, kind == 'P' ? "$ 0" : "$ 1.234.567"));
	CHECK(has(&info, "22/11/2026"));
	CHECK(has(&info, kind == 'P' ? "se encuentra a paz y salvo" : "un saldo pendiente de"));
	CHECK(has(&info, "expedición"));
	CHECK(has(&info, "Verifique este certificado con el"));
	CHECK(has(&info, "código QR"));
	if (l == LANG_EN) {
		CHECK(has(&info, kind == 'P' ? "PAID-UP CERTIFICATE" : "DEBT CERTIFICATE"));
		CHECK(has(&info, kind == 'P' ? "is paid up" : "outstanding balance"));
		CHECK(has(&info, "Verify this certificate"));
		CHECK(has(&info, "Issued"));
	} else {
		CHECK(strstr(info.text, "Verify") == NULL);
		CHECK(has(&info, "Expedido"));
	}
	CHECK(fits(&info, dots / 12));
	escpos_free(&e);
}

static void test_refused(void)
{
	struct account_paper p = paper(384, ESCPOS_CP858, 0, LANG_ES);
	struct api_acc_certificate c;
	struct api_acc_statement s;
	struct escpos e = {0};
	char err[200];

	certificate(&c, 'D', 100);
	c.f.kind = 'X';
	CHECK_INT(account_print_certificate(&e, &p, NULL, &c, err, sizeof err), -1);
	CHECK_INT(e.len, 0);
	CHECK(strstr(err, "C-2026") == NULL && strstr(err, "4050") == NULL);
	certificate(&c, 'D', 100);
	c.f.kind = 'P'; /* the payload says D */
	CHECK_INT(account_print_certificate(&e, &p, NULL, &c, err, sizeof err), -1);
	certificate(&c, 'D', 100);
	c.signature[0] = '\0';
	CHECK_INT(account_print_certificate(&e, &p, NULL, &c, err, sizeof err), -1);
	certificate(&c, 'D', 100);
	c.signature[3] = '%';
	CHECK_INT(account_print_certificate(&e, &p, NULL, &c, err, sizeof err), -1);
	certificate(&c, 'D', 100);
	snprintf(c.payload, sizeof c.payload, "XYZ");
	CHECK_INT(account_print_certificate(&e, &p, NULL, &c, err, sizeof err), -1);
	CHECK_INT(e.len, 0);
	certificate(&c, 'D', 100);
	p.dots = 100;
	CHECK_INT(account_print_certificate(&e, &p, NULL, &c, err, sizeof err), -1);
	p.dots = 384;
	statement(&s, NULL, 0);
	s.month = 202613;
	CHECK_INT(account_print_statement(&e, &p, &CUSTOMER, &s, NULL, err, sizeof err), -1);
	statement(&s, NULL, 0);
	snprintf(s.currency, sizeof s.currency, "EUR");
	CHECK_INT(account_print_statement(&e, &p, &CUSTOMER, &s, NULL, err, sizeof err), -1);
	statement(&s, NULL, 0);
	s.n = 3; /* no movements behind it */
	CHECK_INT(account_print_statement(&e, &p, &CUSTOMER, &s, NULL, err, sizeof err), -1);
	escpos_free(&e);
}

/* Both papers through the print worker: kind document, printed, the QR scans from the page
 * the virtual printer wrote. */
static void test_submit(void)
{
	struct account_paper p = paper(576, ESCPOS_CP858, 0, LANG_ES);
	struct api_acc_product prod = product();
	struct api_acc_move mv[3];
	struct api_acc_statement s;
	struct api_acc_certificate c;
	struct store *st = NULL;
	struct printer *pr = NULL;
	struct printq *q = NULL;
	struct printq_result res;
	struct store_print_job j;
	char db[300], out[300], png[400], got[600], want[600], err[200];
	int ok = 0;

	snprintf(db, sizeof db, "%s/store.db", dir);
	snprintf(out, sizeof out, "%s/printed", dir);
	mkdir(out, 0700);
	CHECK_INT(store_open(&st, db, err, sizeof err), 0);
	CHECK_INT(printer_open(&pr, "virtual", out, 576, err, sizeof err), 0);
	q = pr ? printq_open(pr, db, NULL, NULL, err, sizeof err) : NULL;
	CHECK(q != NULL);
	if (!st || !q)
		goto out;
	statement(&s, mv, 3);
	certificate(&c, 'P', 0);
	CHECK_INT(account_print_statement_submit(q, &p, &CUSTOMER, &s, &prod, err, sizeof err), 0);
	p.printed_at += 60;
	CHECK_INT(account_print_certificate_submit(q, &p, "María Fernanda Núñez", &c, err, sizeof err), 0);
	printq_wait_idle(q);
	while (printq_poll(q, &res))
		if (!res.is_status) {
			CHECK_INT(res.rc, 0);
			CHECK_INT(res.kind, STORE_PRINT_DOCUMENT);
			ok++;
		}
	CHECK_INT(ok, 2);
	CHECK_INT(store_print_job_find(st, "document", "st-20261122-130500", &j), 0);
	CHECK_STR(j.state, "printed");
	CHECK_STR(j.name, "account-statement");
	CHECK_INT(store_print_job_find(st, "document", "ct-20261122-130600", &j), 0);
	CHECK_STR(j.state, "printed");
	snprintf(png, sizeof png, "%s/account-certificate.png", out);
	CHECK_INT(zbar_decode(png, "qrcode", got, sizeof got), 0);
	snprintf(want, sizeof want, "%s|S=%s", c.payload, c.signature);
	CHECK_STR(got, want);
out:
	if (q)
		printq_close(q);
	if (pr)
		printer_close(pr);
	store_close(st);
}

int main(void)
{
	const char *k = getenv("ACCOUNT_PAPER_DIR");

	setenv("TZ", "<-05>5", 1);
	tzset();
	if (k && k[0]) {
		snprintf(dir, sizeof dir, "%s", k);
		mkdir(dir, 0700);
		keep = 1;
	} else {
		snprintf(dir, sizeof dir, "/tmp/test_account_print.XXXXXX");
		if (!mkdtemp(dir))
			return 1;
	}
	issuer = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	CHECK(issuer != NULL);
	if (!issuer)
		return check_done();
	for (int w = 0; w < 2; w++) {
		int dots = w ? 576 : 384;

		test_statement(dots, ESCPOS_CP858, LANG_ES);
		test_statement(dots, ESCPOS_CP850, LANG_EN);
		test_statement_long(dots);
		test_certificate(dots, ESCPOS_CP858, 0, LANG_ES, 'D');
		test_certificate(dots, ESCPOS_CP850, 1, LANG_ES, 'P');
		test_certificate(dots, ESCPOS_CP858, 0, LANG_EN, 'P');
		test_certificate(dots, ESCPOS_CP858, 1, LANG_EN, 'D');
	}
	test_statement_usd_empty();
	test_refused();
	test_submit();
	EVP_PKEY_free(issuer);
	if (!keep)
		tmpdir_remove(dir);
	return check_done();
}
