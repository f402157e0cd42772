/* test_printq — the print queue takes jobs of any kind: a test page goes through the same
 * worker as a receipt, is recorded with kind "test", its time as ref and no coupon, and
 * prints what a technician needs (kiosk, date, printer state, code page, native and raster QR,
 * a GS1-128 sample that scans); a receipt after it is still a receipt of its coupon; a test
 * page the printer refuses is recorded as failed with the printer's state. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "escpos_render.h"
#include "printer.h"
#include "printq.h"
#include "store.h"
#include "testpage.h"
#include "tmpdir.h"
#include "worker.h"

static char dir[64];

/* Waits for the queue, then takes results until one for a job (not an idle status check). */
static int job_result(struct printq *q, struct printq_result *r)
{
	printq_wait_idle(q);
	while (printq_poll(q, r))
		if (!r->is_status)
			return 1;
	return 0;
}

/* A clock that jumps past PRINTQ_STALE_MS between any two readings: every job is stale. */
static atomic_int ticks;
static int64_t jumpy_clock(void)
{
	return worker_now_ms() + (int64_t)atomic_fetch_add(&ticks, 1) * (PRINTQ_STALE_MS + 1000);
}

/* The one reading for people: the customer's messages that exist stay as they were; an
 * incomplete job with the printer in error is the error, not "no paper". */
static void test_words(void)
{
	struct printer_status st = {.state = PRINTER_READY};
	struct printer_words w = printer_words(&st, 0);
	CHECK_INT(w.job, STR_CP_PRINTED);
	CHECK_INT(w.line, STR_PRINTER_READY);
	st.state = PRINTER_PAPER_NEAR_END;
	CHECK_INT(printer_words(&st, 0).line, STR_PRINTER_PAPER_LOW);
	/* paper out: refused, or run out mid-job */
	st = (struct printer_status){.state = PRINTER_PAPER_OUT, .rc = PRINTER_ERR_NOT_READY};
	w = printer_words(&st, st.rc);
	CHECK_INT(w.job, STR_CP_PAPER_OUT);
	CHECK_INT(w.line, STR_PRINTER_NO_PAPER);
	st.rc = PRINTER_ERR_INCOMPLETE;
	w = printer_words(&st, st.rc);
	CHECK_INT(w.job, STR_CP_INCOMPLETE);
	CHECK_INT(w.line, STR_PRINTER_NO_PAPER);
	/* a status check (rc 0) that found the paper out reads the same */
	st.rc = 0;
	CHECK_INT(printer_words(&st, 0).job, STR_CP_PAPER_OUT);
	CHECK_INT(printer_words(&st, 0).line, STR_PRINTER_NO_PAPER);
	st = (struct printer_status){.state = PRINTER_COVER_OPEN, .rc = PRINTER_ERR_NOT_READY};
	CHECK_INT(printer_words(&st, st.rc).job, STR_CP_COVER_OPEN);
	CHECK_INT(printer_words(&st, st.rc).line, STR_PRINTER_PROBLEM);
	st = (struct printer_status){.state = PRINTER_OFFLINE, .rc = PRINTER_ERR_TIMEOUT};
	CHECK_INT(printer_words(&st, st.rc).job, STR_CP_PRINTER_OFFLINE);
	CHECK_INT(printer_words(&st, st.rc).line, STR_PRINTER_PROBLEM);
	st = (struct printer_status){.state = PRINTER_ERROR, .rc = PRINTER_ERR_IO};
	CHECK_INT(printer_words(&st, st.rc).job, STR_CP_PRINTER_ERROR);
	CHECK_INT(printer_words(&st, st.rc).line, STR_PRINTER_PROBLEM);
	st.rc = PRINTER_ERR_TIMEOUT;
	CHECK_INT(printer_words(&st, st.rc).job, STR_CP_PRINTER_OFFLINE);
	/* the fix: incomplete with the printer in error is the error ("sin papel" before) */
	st.rc = PRINTER_ERR_INCOMPLETE;
	w = printer_words(&st, st.rc);
	CHECK_INT(w.job, STR_CP_PRINTER_ERROR);
	CHECK_INT(w.line, STR_PRINTER_PROBLEM);
	/* ready but the call failed */
	st = (struct printer_status){.state = PRINTER_READY, .rc = PRINTER_ERR_OFFLINE};
	CHECK_INT(printer_words(&st, st.rc).job, STR_CP_PRINTER_OFFLINE);
	st.rc = PRINTER_ERR_IO;
	CHECK_INT(printer_words(&st, st.rc).job, STR_CP_PRINTER_ERROR);
	CHECK_INT(printer_words(&st, st.rc).line, STR_PRINTER_PROBLEM);
	/* a job that waited too long in the queue: not "the printer does not respond"; the line
	 * still tells the printer's own state */
	st = (struct printer_status){.state = PRINTER_READY, .job = PRINTER_JOB_PRINTED};
	w = printer_words(&st, PRINTQ_ERR_STALE);
	CHECK_INT(w.job, STR_CP_PRINT_LATE);
	CHECK_INT(w.line, STR_PRINTER_READY);
	st.state = PRINTER_PAPER_OUT;
	CHECK_INT(printer_words(&st, PRINTQ_ERR_STALE).job, STR_CP_PRINT_LATE);
	CHECK_INT(printer_words(&st, PRINTQ_ERR_STALE).line, STR_PRINTER_NO_PAPER);
	CHECK_STR(tr_lang(LANG_ES, STR_CP_PRINT_LATE), "No se pudo imprimir su recibo a tiempo.");
}

static long slurp(const char *path, uint8_t **out)
{
	FILE *f = fopen(path, "rb");
	long n;
	*out = NULL;
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	*out = malloc((size_t)n + 1);
	if (!*out || fread(*out, 1, (size_t)n, f) != (size_t)n)
		n = -1;
	fclose(f);
	return n;
}

static void decode(const char *png, const char *symbology, char *out, size_t n)
{
	char cmd[300];
	FILE *p;
	size_t len;
	out[0] = '\0';
	snprintf(cmd, sizeof cmd, "zbarimg --raw -q -Sdisable -S%s.enable '%s' 2>/dev/null", symbology, png);
	p = popen(cmd, "r");
	if (!p)
		return;
	len = fread(out, 1, n - 1, p);
	out[len] = '\0';
	pclose(p);
}

int main(void)
{
	char db[128], paper[128], target[160], err[300], path[256], got[512];
	struct store *s = NULL;
	struct printer *p = NULL;
	struct printq *q;
	struct printq_result r;
	struct store_print_job j;
	struct printer_status st = {.state = PRINTER_PAPER_NEAR_END, .detail = "paper near end", .job = PRINTER_JOB_PRINTED};
	struct escpos_render_info info;
	uint8_t *bin = NULL;
	long n;

	test_words();
	setenv("TZ", "America/Bogota", 1);
	snprintf(dir, sizeof dir, "/tmp/recaudo-printq-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(db, sizeof db, "%s/recaudo.db", dir);
	snprintf(paper, sizeof paper, "%s/paper", dir);
	CHECK_INT(store_open(&s, db, err, sizeof err), 0); /* creates the schema */
	CHECK_INT(printer_open(&p, "virtual", paper, 576, err, sizeof err), 0);
	q = p ? printq_open(p, db, NULL, NULL, err, sizeof err) : NULL;
	CHECK(q != NULL);
	if (!q || !s)
		goto out;

	CHECK_STR(store_print_kind_name(STORE_PRINT_RECEIPT), "receipt");
	CHECK_STR(store_print_kind_name(STORE_PRINT_COPY), "copy");
	CHECK_STR(store_print_kind_name(STORE_PRINT_TEST), "test");
	CHECK_STR(store_print_kind_name(STORE_PRINT_REPORT), "report");
	CHECK_STR(store_print_kind_name(STORE_PRINT_DOCUMENT), "document");
	CHECK(store_print_kind_name(STORE_PRINT_KIND_COUNT) == NULL);
	CHECK_INT(store_print_kind_of("document"), STORE_PRINT_DOCUMENT);
	CHECK_INT(store_print_kind_of("coupon"), -1);

	/* 1. a test page: through the queue, printed, recorded as kind test with no coupon */
	struct testpage t = {.lang = LANG_ES, .kiosk_id = 7, .at = 1795359600 /* 2026-11-22 10:00 -05 */,
			     .backend = "virtual", .dots = 576, .status = &st, .biller_gln = "7709998000001"};
	CHECK_INT(printq_test_page(q, &t, err, sizeof err), 0);
	CHECK(job_result(q, &r));
	CHECK_INT(r.rc, 0);
	CHECK_INT(r.kind, STORE_PRINT_TEST);
	CHECK_STR(r.ref, "20261122-100000");
	CHECK_STR(r.job, "test-20261122-100000");
	CHECK_INT(r.seq, 0);
	CHECK_INT(r.status.job, PRINTER_JOB_PRINTED);
	CHECK_INT(store_print_job_last(s, &j), 0);
	CHECK_STR(j.kind, "test");
	CHECK_STR(j.ref, "20261122-100000");
	CHECK_STR(j.state, "printed");
	CHECK_INT(j.coupon_seq, 0);
	CHECK_INT(j.copy, 0);
	CHECK_INT(store_print_job_find(s, "test", "20261122-100000", &j), 0);
	CHECK_INT(store_print_job_of(s, 0, &j), 1); /* not a coupon's */

	/* what is on the paper */
	snprintf(path, sizeof path, "%s/test-20261122-100000.bin", paper);
	n = slurp(path, &bin);
	CHECK(n > 0);
	snprintf(path, sizeof path, "%s/page.png", dir);
	CHECK_INT(n > 0 ? escpos_render_png(bin, (size_t)n, 576, path, &info, err, sizeof err) : -1, 0);
	free(bin);
	CHECK(strstr(info.text, "PÁGINA DE PRUEBA") != NULL);
	CHECK(strstr(info.text, "Kiosco                                      0007") != NULL);
	CHECK(strstr(info.text, "22/11/2026 10:00") != NULL);
	CHECK(strstr(info.text, "virtual, 576 dots") != NULL);
	CHECK(strstr(info.text, "paper_near_end") != NULL);
	CHECK(strstr(info.text, "paper near end") != NULL);
	CHECK(strstr(info.text, "ÁÉÍÓÚ Ñ Ü ¿¡ áéíóú ñ ü €") != NULL);
	CHECK(strstr(info.text, "(415)7709998000001(8020)0000000000000\n") != NULL);
	CHECK(strstr(info.text, "(8020)0000000000000\n(3900)1(96)20261122\n") != NULL);
	CHECK_INT(info.qr_codes, 1);
	CHECK(info.rasters >= 2); /* the raster QR and the barcode */
	CHECK_INT(info.cuts, 1);
	decode(path, "qrcode", got, sizeof got);
	CHECK(strstr(got, "RECAUDO TEST 0007 20261122") != NULL); /* both QRs carry it */
	decode(path, "code128", got, sizeof got);
	CHECK_STR(got, "4157709998000001" "80200000000000000" "\x1d" "39001" "\x1d" "9620261122\n");

	/* 2. a receipt through the same queue is still its coupon's receipt */
	CHECK_INT(store_print_job_last_receipt(s, &j), 1); /* a test page is no receipt */
	{
		uint8_t *rb = malloc(3), *cb = malloc(3);
		memcpy(rb, "R\n", 3);
		memcpy(cb, "C\n", 3);
		CHECK_INT(printq_submit(q, "receipt-000009", 9, rb, 2, cb, 2), 0);
		CHECK(job_result(q, &r));
		CHECK_INT(r.rc, 0);
		CHECK_INT(r.kind, STORE_PRINT_RECEIPT);
		CHECK_INT(r.seq, 9);
		CHECK_INT(store_print_job_last(s, &j), 0);
		CHECK_STR(j.kind, "receipt");
		CHECK_STR(j.ref, "9");
		CHECK_INT(j.coupon_seq, 9);
		CHECK_INT(printq_reprint(q, 9), 0);
		CHECK(job_result(q, &r));
		CHECK_INT(r.kind, STORE_PRINT_COPY);
		CHECK_INT(store_print_job_last(s, &j), 0);
		CHECK_STR(j.kind, "copy");
		CHECK_INT(j.coupon_seq, 9);
		CHECK_INT(j.copy, 1);
	}
	CHECK_INT(store_print_job_last_receipt(s, &j), 0); /* "Reimprimir último": coupon 9 */
	CHECK_INT(j.coupon_seq, 9);
	/* bad keys are refused and change nothing */
	{
		uint8_t *b1 = malloc(1), *b2 = malloc(1);
		CHECK_INT(printq_submit_kind(q, STORE_PRINT_REPORT, "", "report-x", b1, 1, NULL, 0), -1);
		CHECK_INT(printq_submit_kind(q, STORE_PRINT_RECEIPT, "12abc", "receipt-x", b2, 1, NULL, 0), -1);
		CHECK_INT(store_print_job_last(s, &j), 0);
		CHECK_STR(j.kind, "copy");
		uint8_t *b3 = malloc(1);
		CHECK_INT(printq_submit_kind(q, STORE_PRINT_KIND_COUNT, "x1", "what-x", b3, 1, NULL, 0), -1);
	}
	/* a job that waited too long in the queue is not sent: its own outcome is in rc and error,
	 * the printer's status is left as the driver last saw it (the last job printed) */
	{
		struct printer_status before;
		uint8_t *rb = malloc(3), *cb = malloc(3);
		memcpy(rb, "R\n", 3);
		memcpy(cb, "C\n", 3);
		printer_last_status(p, &before);
		CHECK_INT(before.job, PRINTER_JOB_PRINTED);
		printq_set_clock(q, jumpy_clock);
		CHECK_INT(printq_submit(q, "receipt-000010", 10, rb, 2, cb, 2), 0);
		CHECK(job_result(q, &r));
		printq_set_clock(q, NULL);
		CHECK_INT(r.rc, PRINTQ_ERR_STALE);
		CHECK_INT(r.seq, 10);
		CHECK(strstr(r.error, "waited too long") != NULL);
		CHECK_INT(r.status.state, before.state);
		CHECK_INT(r.status.job, PRINTER_JOB_PRINTED); /* not "failed": the printer did nothing */
		CHECK_INT(r.status.rc, before.rc);
		CHECK_STR(r.status.detail, before.detail);
		CHECK_INT(printer_words(&r.status, r.rc).job, STR_CP_PRINT_LATE);
		CHECK_INT(store_print_job_find(s, "receipt", "10", &j), 0);
		CHECK_STR(j.state, "failed");
		snprintf(path, sizeof path, "%s/receipt-000010.bin", paper);
		CHECK(access(path, F_OK) != 0); /* nothing reached the paper */
	}
	/* every kind in the one table is a name the schema accepts */
	for (int k = 0; k < STORE_PRINT_KIND_COUNT; k++) {
		int64_t id = 0;
		const uint8_t data[] = "x";
		CHECK_INT(store_print_job_record(s, store_print_kind_name((enum store_print_kind)k), "k-1", "kind-x", data, 1,
						 data, 1, 1795359600, &id),
			  0);
		CHECK(id > 0);
	}
	/* the technician's paper jobs: feed and cut, kind test, ESC/POS bytes as asked */
	CHECK_INT(printq_feed(q, 4, t.at), 0);
	CHECK(job_result(q, &r));
	CHECK_INT(r.rc, 0);
	CHECK_INT(r.kind, STORE_PRINT_TEST);
	CHECK_STR(r.ref, "feed-20261122-100000");
	CHECK_INT(store_print_job_find(s, "test", "feed-20261122-100000", &j), 0);
	CHECK_STR(j.state, "printed");
	snprintf(path, sizeof path, "%s/feed-20261122-100000.bin", paper);
	n = slurp(path, &bin);
	CHECK(n >= 5 && bin[0] == 0x1b && bin[1] == '@' && memcmp(bin + n - 3, "\x1b" "d" "\x04", 3) == 0);
	free(bin);
	CHECK_INT(printq_cut(q, t.at), 0);
	CHECK(job_result(q, &r));
	CHECK_INT(r.rc, 0);
	CHECK_STR(r.ref, "cut-20261122-100000");
	snprintf(path, sizeof path, "%s/cut-20261122-100000.bin", paper);
	n = slurp(path, &bin);
	CHECK(n >= 4 && memcmp(bin + n - 4, "\x1d" "V" "B" "\x00", 4) == 0);
	free(bin);
	CHECK_INT(printq_feed(q, 0, t.at), -1);
	CHECK_INT(printq_feed(q, 256, t.at), -1);
	/* the state asked now: an answer the asker hears of (not an idle check), nothing recorded */
	int64_t before = 0;
	CHECK_INT(store_print_job_last(s, &j), 0);
	before = j.id;
	CHECK_INT(printq_ask_status(q), 0);
	CHECK(job_result(q, &r));
	CHECK_INT(r.asked, 1);
	CHECK_INT(r.is_status, 0);
	CHECK_INT(r.rc, 0);
	CHECK_INT(r.status.state, PRINTER_READY);
	CHECK_INT(store_print_job_last(s, &j), 0);
	CHECK_INT(j.id, before);
	printq_close(q);
	q = NULL;
	printer_close(p);
	p = NULL;

	/* 3. the cover is open: the test page is refused, recorded failed, the state says why */
	snprintf(target, sizeof target, "%s?cover_open=1", paper);
	CHECK_INT(printer_open(&p, "virtual", target, 576, err, sizeof err), 0);
	q = p ? printq_open(p, db, NULL, NULL, err, sizeof err) : NULL;
	CHECK(q != NULL);
	if (!q)
		goto out;
	t.at += 60;
	CHECK_INT(printq_test_page(q, &t, err, sizeof err), 0);
	CHECK(job_result(q, &r));
	CHECK_INT(r.rc, PRINTER_ERR_NOT_READY);
	CHECK_INT(r.kind, STORE_PRINT_TEST);
	CHECK_INT(r.status.state, PRINTER_COVER_OPEN);
	CHECK_INT(r.status.job, PRINTER_JOB_REFUSED);
	CHECK_INT(printer_words(&r.status, r.rc).job, STR_CP_COVER_OPEN);
	CHECK_INT(store_print_job_find(s, "test", "20261122-100100", &j), 0);
	CHECK_STR(j.state, "failed");
	CHECK_INT(j.coupon_seq, 0);
	/* a page that cannot be laid out is refused before the queue */
	CHECK_INT(printq_ask_status(q), 0); /* asked: the cover is open, said so */
	CHECK(job_result(q, &r));
	CHECK_INT(r.asked, 1);
	CHECK_INT(r.status.state, PRINTER_COVER_OPEN);
	CHECK_INT(r.rc, PRINTER_ERR_NOT_READY);
	CHECK_INT(printer_words(&r.status, r.rc).line, STR_PRINTER_PROBLEM);
	t.dots = 100;
	CHECK_INT(printq_test_page(q, &t, err, sizeof err), -1);
	CHECK(strstr(err, "cannot be laid out") != NULL);
out:
	printq_close(q);
	printer_close(p);
	store_close(s);
	if (!getenv("KEEP"))
		tmpdir_remove(dir);
	return check_done();
}
