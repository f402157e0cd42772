/* The bank coupon's GS1-128 bars (drivers/gs1_render.c): symbols that zbarimg reads back to
 * the exact element string, across and turned along the paper, and bad data or sizes
 * refused before libzint sees them. The data's rules are tests/unit/test_gs1.c. */
#include "check.h"
#include "gs1_render.h"
#include "raster.h"
#include "zbar.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[64];

static const struct gs1_coupon good = {"7709998000001", "000700000000427", 1234567, 20261125};

static void scans(const struct gs1_coupon *c, int dots, int want_rotated)
{
	struct raster r;
	char png[128], got[256], want[128], err[200];
	int rotated = -1;

	snprintf(png, sizeof png, "%s/gs1-%d.png", tmpdir, dots);
	CHECK_INT(gs1_coupon_render(c, dots, GS1_MODULE_MIN, dots * 5 / 12, &r, &rotated, err,
				    sizeof err), 0);
	CHECK_INT(rotated, want_rotated);
	CHECK_INT(r.w, dots);
	CHECK_INT(raster_save_png(&r, r.h, png, err, sizeof err), 0);
	CHECK(gs1_coupon_scan_string(want, sizeof want, c) > 0);
	zbar_decode(png, "code128", got, sizeof got);
	CHECK_STR(got, want);
	/* rotated: the symbol runs along the paper, bars centered across it */
	if (rotated) {
		CHECK(r.h > dots);
		CHECK(!raster_get(&r, dots / 2, 0) && !raster_get(&r, dots / 2, r.h - 1));
		CHECK(!raster_get(&r, 0, r.h / 2) && !raster_get(&r, dots - 1, r.h / 2));
	} else {
		CHECK_INT(r.h, dots * 5 / 12);
	}
	raster_free(&r);
}

static void test_render(void)
{
	struct gs1_coupon c = good, bad = good;
	struct raster r = {0};
	char err[200];
	int rotated = 7;

	scans(&good, 576, 1); /* 80 mm: too wide across at 2 dots per module */
	scans(&good, 384, 1);
	scans(&good, 1024, 0); /* a wide head takes it across */
	c.reference = "123456789012345678901234";
	c.amount = 999999999999999LL;
	scans(&c, 576, 1);

	/* refused before libzint sees it, with the same message as validation */
	bad.gln = "7709998000002";
	CHECK_INT(gs1_coupon_render(&bad, 576, 2, 240, &r, &rotated, err, sizeof err), -1);
	CHECK_STR(err, "GLN 7709998000002: dígito de verificación incorrecto (debe ser 1)");
	CHECK(r.bits == NULL);
	CHECK_INT(rotated, 0);
	CHECK_INT(gs1_coupon_render(&good, 576, 1, 240, &r, NULL, err, sizeof err), -1);
	CHECK(strstr(err, "módulo 1") != NULL);
	CHECK_INT(gs1_coupon_render(&good, 576, 2, 600, &r, NULL, err, sizeof err), -1);
	CHECK(r.bits == NULL);
}

int main(void)
{
	char cmd[128];
	FILE *p;

	snprintf(tmpdir, sizeof tmpdir, "/tmp/recaudo-gs1r-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_render();
	if (getenv("TEST_KEEP")) {
		printf("kept %s\n", tmpdir);
	} else {
		snprintf(cmd, sizeof cmd, "find '%s' -depth -delete", tmpdir);
		p = popen(cmd, "r");
		if (p)
			pclose(p);
	}
	return check_done();
}
