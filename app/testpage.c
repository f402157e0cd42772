/* testpage — the printer test page (testpage.h), laid out with the receipt's primitives
 * (paper.h):
 *
 *           PÁGINA DE PRUEBA
 *   ==========================
 *   Kiosco                0007
 *   Fecha     22/11/2026 10:00
 *   Impresora  serial, 576 dots
 *   Estado           paper_out
 *   Último trabajo  incomplete
 *   paper end                   the detail, wrapped
 *   --------------------------
 *   Página de códigos    CP858
 *   ÁÉÍÓÚ Ñ Ü ¿¡ áéíóú ñ ü €
 *   --------------------------
 *   QR nativo / QR como imagen  the same payload twice
 *   Muestra GS1-128             (415)GLN(8020)0...0(3900)1(96)date, its text line
 *   --------------------------  feed, cut */
#include "testpage.h"
#include "gs1.h"
#include "paper.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define DEMO_GLN "7709998000001"

int testpage_build(struct escpos *e, const struct testpage *t, char *err, size_t errn)
{
	struct gs1_coupon g;
	struct raster bars = {0};
	struct paper o;
	struct tm tm;
	time_t when;
	char text[160], qr[96], hri[GS1_HRI_MAX];
	int32_t day = 20000101;

	if (!e || !t || t->dots % 8 || t->dots / DOT_COLS < MIN_COLS || t->dots / DOT_COLS > MAX_COLS) {
		snprintf(err, errn, "test page: paper of %d dots cannot be laid out", t ? t->dots : 0);
		return -1;
	}
	when = (time_t)t->at;
	if (localtime_r(&when, &tm))
		day = (int32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
	/* the barcode first: a refused GLN leaves e untouched */
	g = (struct gs1_coupon){t->biller_gln && t->biller_gln[0] ? t->biller_gln : DEMO_GLN,
				"0000000000000", 1, day};
	if (gs1_coupon_render(&g, t->dots, GS1_MODULE_MIN, t->dots * 5 / 12, &bars, NULL, err, errn) < 0)
		return -1;
	o = (struct paper){e, t->dots / DOT_COLS, t->dots, NULL};
	e->cp = t->codepage ? t->codepage : ESCPOS_CP858;
	escpos_begin(e);
	escpos_align(e, ESCPOS_CENTER);
	paper_big(&o, tr_lang(t->lang, STR_TP_TITLE));
	escpos_align(e, ESCPOS_LEFT);
	paper_rule(&o, '=');
	snprintf(text, sizeof text, "%04u", (unsigned)t->kiosk_id);
	paper_row(&o, tr_lang(t->lang, STR_RCPT_KIOSK), text);
	if (strftime(text, sizeof text, "%d/%m/%Y %H:%M", &tm) > 0)
		paper_row(&o, tr_lang(t->lang, STR_RCPT_DATE), text);
	snprintf(text, sizeof text, "%.40s, %d dots", t->backend ? t->backend : "?", t->dots);
	paper_row(&o, tr_lang(t->lang, STR_TP_PRINTER), text);
	if (t->status) {
		paper_row(&o, tr_lang(t->lang, STR_TP_STATE), printer_state_name(t->status->state));
		paper_row(&o, tr_lang(t->lang, STR_TP_LAST_JOB), printer_job_name(t->status->job));
		if (t->status->detail[0])
			paper_wrap(&o, t->status->detail, o.cols);
	}
	paper_rule(&o, '-');
	paper_row(&o, tr_lang(t->lang, STR_TP_CODEPAGE), e->cp == ESCPOS_CP850 ? "CP850" : "CP858");
	paper_wrap(&o, "ÁÉÍÓÚ Ñ Ü ¿¡ áéíóú ñ ü €", o.cols);
	paper_rule(&o, '-');
	snprintf(qr, sizeof qr, "RECAUDO TEST %04u %08ld", (unsigned)t->kiosk_id, (long)day);
	paper_wrap(&o, tr_lang(t->lang, STR_TP_QR_NATIVE), o.cols);
	escpos_align(e, ESCPOS_CENTER);
	escpos_qr(e, qr, paper_qr_module(strlen(qr), t->dots), 'M');
	escpos_align(e, ESCPOS_LEFT);
	escpos_feed(e, 1);
	paper_wrap(&o, tr_lang(t->lang, STR_TP_QR_RASTER), o.cols);
	escpos_qr_raster(e, qr, paper_qr_module(strlen(qr), t->dots), 'M', t->dots);
	escpos_feed(e, 1);
	paper_wrap(&o, tr_lang(t->lang, STR_TP_GS1), o.cols);
	paper_image(&o, &bars);
	raster_free(&bars);
	if (gs1_coupon_hri(hri, sizeof hri, &g) > 0) { /* broken between elements, as on a receipt */
		char *amount = strstr(hri, "(3900)"), rest[GS1_HRI_MAX] = "";
		if (amount) {
			snprintf(rest, sizeof rest, "%s", amount);
			*amount = '\0';
		}
		escpos_align(e, ESCPOS_CENTER);
		escpos_line(e, hri);
		if (rest[0])
			escpos_line(e, rest);
		escpos_align(e, ESCPOS_LEFT);
	}
	paper_rule(&o, '-');
	escpos_feed(e, 2);
	escpos_cut(e);
	if (escpos_failed(e)) {
		snprintf(err, errn, "test page: too large for the print buffer");
		return -1;
	}
	return 0;
}
