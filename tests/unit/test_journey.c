/* End to end on the demo store, headless: the QR codes a customer sees on screen and takes
 * home on paper are decoded from the rendered PNGs with zbarimg and checked: the coupon QR
 * verifies under the kiosk key and carries the committed coupon, the pay-by-phone QR is a
 * valid EMVCo payload for the same amount and reference. */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "zbar.h"
#include "check.h"
#include "tmpdir.h"
#include "coupon.h"
#include "headless.h"

#define START_MS 1795359600000LL /* 2026-11-22 10:00 -05:00 */

static int decode(const char *png, char *out, size_t n) { return zbar_decode(png, "qrcode", out, n); }

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static const char *coupon_script =
	"press \"Toque para comenzar\"\n"
	"type 1020304050\n"
	"key Enter\n"
	"press \"VID-4471203-1126\"\n"
	"press \"CVH-7781204-18\"\n"
	"press \"Generar cupón\"\n"
	"expect-screen coupon\n"
	"shot coupon\n";

static const char *phone_script =
	"press \"Toque para comenzar\"\n"
	"press \"NIT\"\n"
	"type 900123456\n"
	"key Enter\n"
	"press \"SOA-TRC-1119\"\n" /* the first row: on the first page at every size */
	"press \"Pagar con el celular\"\n"
	"expect-screen coupon\n"
	"shot phone\n";

static void run(const char *dir, const char *size, const char *script, struct app *a, int *ok)
{
	char data[300], shots[300], sp[300];
	snprintf(data, sizeof(data), "%s/data-%s", dir, size);
	snprintf(shots, sizeof(shots), "%s/shots-%s", dir, size);
	snprintf(sp, sizeof(sp), "%s/script-%s", dir, size);
	write_file(sp, script);
	struct app_opts o = {0};
	o.data_dir = data;
	o.demo = 1;
	o.headless = 1;
	o.start_ms = START_MS;
	sscanf(size, "%dx%d", &o.w, &o.h);
	char err[300];
	*ok = app_open(a, &o, err, sizeof(err)) == 0;
	CHECK(*ok);
	if (!*ok) {
		fprintf(stderr, "app_open: %s\n", err);
		return;
	}
	CHECK_INT(headless_run(a, sp, shots), 0);
}

static void coupon_journey(const char *dir, const char *size)
{
	struct app *a = calloc(1, sizeof(*a));
	int ok;
	run(dir, size, coupon_script, a, &ok);
	if (!ok) {
		free(a);
		return;
	}
	uint8_t key[32];
	memcpy(key, a->svc.key, sizeof(key));
	struct coupon shown = a->flow.coupon;
	char want[256];
	snprintf(want, sizeof(want), "%s", a->flow.coupon_qr);
	app_close(a);
	free(a);

	char png[400], got[600];
	snprintf(png, sizeof(png), "%s/shots-%s/coupon.png", dir, size);
	CHECK(decode(png, got, sizeof(got)) == 0);
	CHECK_STR(got, want);
	struct coupon c;
	CHECK_INT(coupon_qr_verify(got, key, sizeof(key), &c), 0);
	CHECK_INT(c.kiosk_id, 1);
	CHECK_INT(c.seq, 1);
	CHECK_STR(c.reference, shown.reference);
	/* 185.400 + 1.250.000 pesos */
	CHECK_INT(c.amount.minor, 143540000);
	CHECK_INT(c.amount.cur, CUR_COP);
	CHECK_INT(c.due, 20261125);
	/* a different key must not verify it */
	key[0] ^= 1;
	CHECK(coupon_qr_verify(got, key, sizeof(key), &c) != 0);

	/* the receipt the virtual printer rendered from the ESC/POS bytes carries the same QR */
	char receipt[400];
	snprintf(receipt, sizeof(receipt), "%s/data-%s/receipts/receipt-000001.png", dir, size);
	CHECK(access(receipt, R_OK) == 0);
	CHECK(decode(receipt, got, sizeof(got)) == 0);
	CHECK_STR(got, want);
	/* and the bank's GS1-128 coupon barcode, as a scanner reads it (FNC1 as GS) */
	char gs1[200];
	snprintf(gs1, sizeof(gs1), "4157709998000001" "8020%s\x1d" "3900%lld\x1d" "96%d", shown.reference,
		 (long long)(shown.amount.minor / 100), (int)shown.due);
	CHECK(zbar_decode(receipt, "code128", got, sizeof(got)) == 0);
	CHECK_STR(got, gs1);
}

static void phone_journey(const char *dir, const char *size)
{
	struct app *a = calloc(1, sizeof(*a));
	int ok;
	run(dir, size, phone_script, a, &ok);
	if (!ok) {
		free(a);
		return;
	}
	char ref[COUPON_REF_MAX];
	snprintf(ref, sizeof(ref), "%s", a->flow.coupon.reference);
	app_close(a);
	free(a);

	char png[400], got[600];
	snprintf(png, sizeof(png), "%s/shots-%s/phone.png", dir, size);
	CHECK(decode(png, got, sizeof(got)) == 0);
	CHECK_INT(emvqr_check(got), 0);
	CHECK(strncmp(got, "000201010212", 12) == 0);
	CHECK(strstr(got, "5303170") != NULL);
	CHECK(strstr(got, "5802CO") != NULL);
	/* SOA-TRC-1119: $ 1.623.800 */
	CHECK(strstr(got, "54071623800") != NULL);
	CHECK(strstr(got, ref) != NULL);
	CHECK(strstr(got, "RECAUDO") != NULL);
}

int main(void)
{
	char dir[] = "/tmp/recaudo-journey-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	const char *sizes[] = {"1080x1920", "1280x800"};
	for (int i = 0; i < 2; i++) {
		char d[300];
		snprintf(d, sizeof(d), "%s/c%d", dir, i);
		mkdir(d, 0755);
		coupon_journey(d, sizes[i]);
		snprintf(d, sizeof(d), "%s/p%d", dir, i);
		mkdir(d, 0755);
		phone_journey(d, sizes[i]);
	}
	if (getenv("KEEP") == NULL)
		tmpdir_remove(dir);
	return check_done();
}
