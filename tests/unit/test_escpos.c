/* ESC/POS encoder: byte-exact commands, UTF-8 transcoding to CP858/CP850, sticky overflow. */
#include "check.h"
#include "escpos.h"

#include <stdlib.h>

/* Checks that e holds exactly want[0..n) and resets it for the next case. */
#define CHECK_BYTES(e, ...)                                                                  \
	do {                                                                                 \
		static const uint8_t want_[] = {__VA_ARGS__};                                \
		CHECK_INT((e)->len, sizeof want_);                                           \
		CHECK((e)->len == sizeof want_ && memcmp((e)->buf, want_, sizeof want_) == 0); \
		(e)->len = 0;                                                                \
	} while (0)

static void test_commands(void)
{
	struct escpos e = {0};

	/* init, panel buttons off, code page (a zeroed struct: CP858) */
	escpos_begin(&e);
	CHECK_BYTES(&e, 0x1b, 0x40, 0x1b, 0x63, 0x35, 1, 0x1b, 0x74, 19);
	CHECK_INT(e.cp, ESCPOS_CP858);
	e.cp = ESCPOS_CP850;
	escpos_begin(&e);
	CHECK_BYTES(&e, 0x1b, 0x40, 0x1b, 0x63, 0x35, 1, 0x1b, 0x74, 2);
	escpos_panel_buttons(&e, 1);
	escpos_panel_buttons(&e, 0);
	CHECK_BYTES(&e, 0x1b, 0x63, 0x35, 0, 0x1b, 0x63, 0x35, 1);
	escpos_codepage(&e, ESCPOS_CP858);
	CHECK_BYTES(&e, 0x1b, 0x74, 19);

	escpos_align(&e, ESCPOS_LEFT);
	escpos_align(&e, ESCPOS_CENTER);
	escpos_align(&e, ESCPOS_RIGHT);
	CHECK_BYTES(&e, 0x1b, 0x61, 0, 0x1b, 0x61, 1, 0x1b, 0x61, 2);

	escpos_bold(&e, 1);
	escpos_bold(&e, 0);
	CHECK_BYTES(&e, 0x1b, 0x45, 1, 0x1b, 0x45, 0);

	escpos_size(&e, 1, 1);
	escpos_size(&e, 2, 2);
	escpos_size(&e, 2, 1);
	escpos_size(&e, 8, 8);
	escpos_size(&e, 0, 9); /* clamped to 1 x 8 */
	CHECK_BYTES(&e, 0x1d, 0x21, 0x00, 0x1d, 0x21, 0x11, 0x1d, 0x21, 0x10, 0x1d, 0x21, 0x77,
		    0x1d, 0x21, 0x07);

	escpos_feed(&e, 3);
	escpos_feed(&e, 300);
	CHECK_BYTES(&e, 0x1b, 0x64, 3, 0x1b, 0x64, 255);

	escpos_qr(&e, "ABC", 6, 'M');
	CHECK_BYTES(&e,
		    0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00,       /* fn 165 */
		    0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, 6,                /* fn 167 */
		    0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, 49,               /* fn 169 */
		    0x1d, 0x28, 0x6b, 0x06, 0x00, 0x31, 0x50, 0x30, 'A', 'B', 'C', /* 180 */
		    0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30);            /* fn 181 */
	escpos_qr(&e, "x", 40, 'H');
	CHECK(e.len > 23 && e.buf[16] == 16 && e.buf[24] == 51); /* module clamped, ECC H */
	e.len = 0;
	escpos_qr(&e, "x", 3, 'L');
	CHECK(e.len > 24 && e.buf[24] == 48);
	e.len = 0;

	escpos_cut(&e);
	CHECK_BYTES(&e, 0x1d, 0x56, 66, 0);
	escpos_cut_feed(&e, 48);
	escpos_cut_feed(&e, 1000);
	CHECK_BYTES(&e, 0x1d, 0x56, 66, 48, 0x1d, 0x56, 66, 255);

	escpos_line(&e, "hi");
	CHECK_BYTES(&e, 'h', 'i', 0x0a);
	escpos_raw(&e, "\x10\x04\x01", 3);
	CHECK_BYTES(&e, 0x10, 0x04, 0x01);
	CHECK(!escpos_failed(&e));
	escpos_free(&e);
	CHECK(e.buf == NULL && e.len == 0);
}

static void test_raster(void)
{
	static const uint8_t img[2 * 3] = {0x80, 0x01, 0xff, 0x00, 0x3c, 0xc3};
	struct escpos e = {0};
	uint8_t *tall = calloc(300, 1);

	/* GS v 0, mode 0, xL xH (bytes per row), yL yH (rows), then the rows */
	escpos_raster(&e, img, 2, 3);
	CHECK_BYTES(&e, 0x1d, 0x76, 0x30, 0, 2, 0, 3, 0, 0x80, 0x01, 0xff, 0x00, 0x3c, 0xc3);

	/* 300 rows go as bands of 128, 128 and 44, each with its own header */
	CHECK(tall != NULL);
	if (!tall)
		return;
	tall[0] = 0xaa;
	tall[299] = 0x55;
	escpos_raster(&e, tall, 1, 300);
	CHECK_INT(e.len, 3 * 8 + 300);
	CHECK(e.len == 324 && memcmp(e.buf, "\x1d\x76\x30\x00\x01\x00\x80\x00\xaa", 9) == 0);
	CHECK(e.len == 324 && memcmp(e.buf + 136, "\x1d\x76\x30\x00\x01\x00\x80\x00", 8) == 0);
	CHECK(e.len == 324 && memcmp(e.buf + 272, "\x1d\x76\x30\x00\x01\x00\x2c\x00", 8) == 0);
	CHECK(e.len == 324 && e.buf[323] == 0x55);
	e.len = 0;

	/* a 1024-dot row is the widest: 128 bytes, xL 0x80 */
	escpos_raster(&e, tall, 128, 1);
	CHECK(e.len == 136 && e.buf[4] == 0x80 && e.buf[5] == 0);
	e.len = 0;
	CHECK(!escpos_failed(&e));
	free(tall);

	/* impossible images fail the stream instead of printing garbage */
	escpos_raster(&e, img, 0, 3);
	CHECK(escpos_failed(&e));
	escpos_free(&e);
	escpos_raster(&e, img, 129, 1);
	CHECK(escpos_failed(&e));
	escpos_free(&e);
	escpos_raster(&e, img, 2, 0);
	CHECK(escpos_failed(&e));
	escpos_free(&e);
	escpos_raster(&e, NULL, 2, 3);
	CHECK(escpos_failed(&e));
	CHECK_INT(e.len, 0);
	escpos_free(&e);
	escpos_image(&e, NULL);
	CHECK(escpos_failed(&e));
	escpos_free(&e);
}

/* The QR fallback: a raster the paper's width, the symbol centered. */
static void test_qr_raster(void)
{
	struct escpos e = {0};
	const uint8_t *row0;

	/* "ABC" is a version 1 symbol (21 modules): 42 dots at 2 dots per module, on 64-dot
	 * paper it starts at dot 11. Its first row opens with a 7-module finder (14 dots). */
	escpos_qr_raster(&e, "ABC", 2, 'M', 64);
	CHECK(!escpos_failed(&e));
	CHECK_INT(e.len, 8 + 8 * 42);
	CHECK(e.len >= 8 && memcmp(e.buf, "\x1d\x76\x30\x00\x08\x00\x2a\x00", 8) == 0);
	row0 = e.buf + 8;
	if (e.len == 8 + 8 * 42) {
		CHECK_INT(row0[0], 0x00);
		CHECK_INT(row0[1], 0x1f);  /* dots 11..15 */
		CHECK_INT(row0[2], 0xff);  /* dots 16..23 */
		CHECK_INT(row0[3] & 0xe0, 0x80); /* dot 24, then the white separator module */
		CHECK_INT(row0[7], 0x00);        /* right of the symbol: paper */
		CHECK(memcmp(row0, row0 + 8, 8) == 0); /* each module is 2 rows tall */
	}
	escpos_free(&e);

	escpos_qr_raster(&e, "ABC", 4, 'M', 64); /* 84 dots on 64-dot paper */
	CHECK(escpos_failed(&e));
	CHECK_INT(e.len, 0);
	escpos_free(&e);
	escpos_qr_raster(&e, "", 2, 'M', 576);
	CHECK(escpos_failed(&e));
	escpos_free(&e);
	escpos_qr_raster(&e, "ABC", 2, 'M', 100); /* not a whole number of bytes */
	CHECK(escpos_failed(&e));
	escpos_free(&e);
}

static void test_spanish(void)
{
	static const char sample[] = "ÁÉÍÓÚÑÜ¿¡ áéíóúñü";
	static const uint32_t cps[] = {0xc1, 0xc9, 0xcd, 0xd3, 0xda, 0xd1, 0xdc, 0xbf, 0xa1, ' ',
				       0xe1, 0xe9, 0xed, 0xf3, 0xfa, 0xf1, 0xfc};
	struct escpos e = {.cp = ESCPOS_CP858};

	escpos_text(&e, sample);
	CHECK_BYTES(&e, 0xb5, 0x90, 0xd6, 0xe0, 0xe9, 0xa5, 0x9a, 0xa8, 0xad, 0x20, 0xa0, 0x82,
		    0xa1, 0xa2, 0xa3, 0xa4, 0x81);
	/* and back, as the virtual printer reads it */
	escpos_text(&e, sample);
	CHECK_INT(e.len, sizeof cps / sizeof *cps);
	for (size_t i = 0; i < e.len && i < sizeof cps / sizeof *cps; i++)
		CHECK_INT(escpos_cp_codepoint(ESCPOS_CP858, e.buf[i]), cps[i]);
	e.len = 0;

	/* CP850 carries the same Spanish letters at the same places */
	e.cp = ESCPOS_CP850;
	escpos_text(&e, sample);
	CHECK_BYTES(&e, 0xb5, 0x90, 0xd6, 0xe0, 0xe9, 0xa5, 0x9a, 0xa8, 0xad, 0x20, 0xa0, 0x82,
		    0xa1, 0xa2, 0xa3, 0xa4, 0x81);

	/* the one difference between the pages: 0xD5 */
	escpos_text(&e, "€ı");
	CHECK_BYTES(&e, '?', 0xd5);
	e.cp = ESCPOS_CP858;
	escpos_text(&e, "€ı");
	CHECK_BYTES(&e, 0xd5, '?');
	CHECK_INT(escpos_cp_codepoint(ESCPOS_CP858, 0xd5), 0x20ac);
	CHECK_INT(escpos_cp_codepoint(ESCPOS_CP850, 0xd5), 0x131);

	/* outside the page */
	escpos_text(&e, "a中b•😀");
	CHECK_BYTES(&e, 'a', '?', 'b', '?', '?');
	CHECK_INT(escpos_cp_byte(ESCPOS_CP858, 0x4e2d), '?');
	CHECK_INT(escpos_cp_byte(0, 0xe1), '?'); /* unknown page */
	CHECK_INT(escpos_cp_codepoint(0, 0xa0), '?');
	CHECK_INT(escpos_cp_codepoint(ESCPOS_CP858, 'A'), 'A');

	/* every byte of both pages survives the round trip */
	for (int b = 0x20; b < 0x100; b++) {
		if (b == 0x7f)
			continue;
		CHECK_INT(escpos_cp_byte(ESCPOS_CP858, escpos_cp_codepoint(ESCPOS_CP858, (uint8_t)b)),
			  b);
		CHECK_INT(escpos_cp_byte(ESCPOS_CP850, escpos_cp_codepoint(ESCPOS_CP850, (uint8_t)b)),
			  b);
	}
	escpos_free(&e);
}

static void test_bad_utf8(void)
{
	struct escpos e = {.cp = ESCPOS_CP858}, z = {0};

	escpos_text(&e, "\xc3");                   /* truncated */
	CHECK_BYTES(&e, '?');
	escpos_text(&e, "\xe2\x82" "A");           /* truncated 3-byte, then ASCII */
	CHECK_BYTES(&e, '?', 'A');
	escpos_text(&e, "\xc0\xaf");               /* overlong '/' */
	CHECK_BYTES(&e, '?', '?');
	escpos_text(&e, "\xed\xa0\x80");           /* surrogate */
	CHECK_BYTES(&e, '?', '?', '?');
	escpos_text(&e, "\xf4\x90\x80\x80");       /* above U+10FFFF */
	CHECK_BYTES(&e, '?', '?', '?', '?');
	escpos_text(&e, "\xa1" "b\xff");           /* stray continuation, invalid byte */
	CHECK_BYTES(&e, '?', 'b', '?');
	escpos_text(&e, "a\x1b@b\tc\nd");          /* controls cannot inject commands */
	CHECK_BYTES(&e, 'a', '?', '@', 'b', '?', 'c', 0x0a, 'd');
	escpos_text(&e, NULL);
	CHECK_INT(e.len, 0);
	escpos_free(&e);

	/* a zeroed struct transcodes to the default page */
	escpos_text(&z, "ñ");
	CHECK_BYTES(&z, 0xa4);
	escpos_free(&z);
}

static void test_overflow(void)
{
	struct escpos e = {0};
	uint8_t *chunk = calloc(1, 4096);
	size_t len;

	CHECK(chunk != NULL);
	if (!chunk)
		return;
	for (size_t i = 0; i < ESCPOS_MAX / 4096; i++)
		escpos_raw(&e, chunk, 4096);
	CHECK(!escpos_failed(&e));
	CHECK_INT(e.len, ESCPOS_MAX);
	escpos_text(&e, "x");
	CHECK(escpos_failed(&e));
	len = e.len;
	/* sticky: nothing more is appended, even what would have fitted before */
	e.len -= 10;
	escpos_bold(&e, 1);
	escpos_cut(&e);
	CHECK_INT(e.len, len - 10);
	CHECK(escpos_failed(&e));
	escpos_free(&e);
	CHECK(!escpos_failed(&e));

	/* a QR the printer cannot hold fails the job instead of printing nothing */
	escpos_qr(&e, "", 4, 'M');
	CHECK(escpos_failed(&e));
	escpos_free(&e);
	free(chunk);
}

int main(void)
{
	test_commands();
	test_raster();
	test_qr_raster();
	test_spanish();
	test_bad_utf8();
	test_overflow();
	return check_done();
}
