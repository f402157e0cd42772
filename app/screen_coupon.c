/* Coupon: reference, amount, pay-by date, TRM when USD was included, the QR (coupon
 * verification QR for "Generar cupón", EMVCo payment QR for "Pagar con el celular"), the
 * printer's progress, and "Terminar". The coupon is already durable when this is drawn. */
#include <stdio.h>
#include <string.h>

#include "printq.h"
#include "screens.h"

/* "0001 0000 0004 2" — groups of four are easier to read aloud and copy. */
static void group4(char *out, size_t n, const char *ref)
{
	size_t k = 0;
	for (size_t i = 0; ref[i] && k + 2 < n; i++) {
		if (i && i % 4 == 0)
			out[k++] = ' ';
		out[k++] = ref[i];
	}
	out[k] = 0;
}

static int draw_details(struct ui *ui, const struct flow *f, int x, int y, int w)
{
	char buf[160], a[48], b[48], ref[48];
	int start = y;
	ui_label(ui, x, y, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, tr(STR_CP_REFERENCE));
	y += ui_line_h(ui, FONT_SMALL);
	group4(ref, sizeof(ref), f->coupon.reference);
	ui_label_fit(ui, x, y, w, FONT_H1, 1, THEME_TEXT, UI_LEFT, ref);
	y += ui_line_h(ui, FONT_H1) + ui_px(ui, SP_S);
	ui_label(ui, x, y, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, tr(STR_CP_AMOUNT));
	y += ui_line_h(ui, FONT_SMALL);
	screen_money(a, sizeof(a), f->coupon.amount);
	/* landscape, large text: a size smaller, the column has no room for more */
	enum font_size af = !ui->portrait && ui->look == UI_LOOK_LARGE ? FONT_H1 : FONT_DISPLAY;
	ui_label_fit(ui, x, y, w, af, 1, THEME_BRAND, UI_LEFT, a);
	y += ui_line_h(ui, af) + ui_px(ui, SP_XS);
	date_format(b, sizeof(b), f->coupon.due);
	snprintf(buf, sizeof(buf), tr(STR_CP_DUE), b);
	ui_label(ui, x, y, FONT_BODY, 1, THEME_TEXT, UI_LEFT, buf);
	y += ui_line_h(ui, FONT_BODY);
	if (f->coupon.has_trm) {
		screen_trm(a, sizeof(a), &f->coupon.trm);
		date_format(b, sizeof(b), f->coupon.trm.valid_from);
		snprintf(buf, sizeof(buf), tr(STR_CP_TRM), a, b);
		/* wrapped, never cut: the rate and the day it holds from are what the customer pays at */
		y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, buf);
	}
	return y - start;
}

static int draw_print_state(struct ui *ui, const struct flow *f, int x, int y, int w)
{
	switch (f->print) {
	case PRINT_BUSY:
		return ui_banner(ui, (struct ui_rect){x, y, w, 0}, tr(STR_CP_PRINTING), UI_INFO);
	case PRINT_OK:
		return ui_banner(ui, (struct ui_rect){x, y, w, 0}, tr(STR_CP_PRINTED), UI_OK);
	case PRINT_FAILED: {
		/* never "printed" on an error banner, even for an rc the worker cannot give */
		enum str_id why = f->print_rc ? printer_words(&f->print_status, f->print_rc).job : STR_CP_PRINTER_ERROR;
		char m[400];
		snprintf(m, sizeof(m), "%s %s", tr(why), tr(STR_CP_SAVED));
		return ui_banner(ui, (struct ui_rect){x, y, w, 0}, m, UI_ERROR);
	}
	default:
		return 0;
	}
}

/* Why a touched control does nothing (a reprint while one prints, no copies left). */
static int draw_message(struct ui *ui, const struct flow *f, int x, int y, int w)
{
	char m[400];
	if (f->msg) {
		flow_message(f, m, sizeof(m));
		return ui_banner(ui, (struct ui_rect){x, y, w, 0}, m, UI_INFO);
	}
	if (f->emailed_to[0]) { /* queued by the account activity's coupon-email screen */
		snprintf(m, sizeof(m), tr(STR_CP_EMAILED), f->emailed_to);
		return ui_banner(ui, (struct ui_rect){x, y, w, 0}, m, UI_OK);
	}
	return 0;
}

/* The message's text, when there is one (for the room it takes). */
static const char *message_text(const struct flow *f, char *m, size_t n)
{
	if (f->msg)
		flow_message(f, m, n);
	else if (f->emailed_to[0])
		snprintf(m, n, tr(STR_CP_EMAILED), f->emailed_to);
	else
		return NULL;
	return m;
}

void screen_coupon_draw(struct ui *ui, const struct flow *f, const struct screen_status *st)
{
	(void)st;
	int phone = f->kind && !strcmp(f->kind, "phone");
	int top = screen_topbar(ui, f, 0);
	int pad = screen_pad(ui), gap = ui_px(ui, SP_M);
	int x = pad, y = top + pad, w = ui->w - 2 * pad;
	const char *qr = phone ? f->emv_qr : f->coupon_qr;
	const char *caption = phone ? tr(STR_CP_PHONE_HOWTO) : tr(STR_CP_QR_CAPTION);
	int bh = ui_tpx(ui, 130);
	/* "Reimprimir", "Enviar por correo" (a bank coupon) and "Terminar" in one row when their
	 * labels fit a third of the width each (landscape: always, labels wrapped); else
	 * (portrait, large text) "Enviar por correo" gets a row of its own */
	int gap2 = ui_px(ui, SP_M), third = (ui->w - 2 * pad - 2 * gap2) / 3;
	int email_row = !phone && ui->portrait && (screen_button_w(ui, tr(STR_CP_REPRINT), 0) > third ||
				   screen_button_w(ui, tr(STR_CP_EMAIL), 0) > third ||
				   screen_button_w(ui, tr(STR_CP_FINISH), 0) > third);
	int bar = email_row ? 2 * bh + gap2 : bh; /* the buttons' height at the bottom */

	ui_label_fit(ui, x, y, w, FONT_H1, 1, THEME_TEXT, UI_LEFT, tr(phone ? STR_CP_TITLE_PHONE : STR_CP_TITLE));
	y += ui_line_h(ui, FONT_H1) + gap;
	if (ui->portrait) {
		y += draw_details(ui, f, x, y, w) + gap;
		if (!phone)
			y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 0, THEME_TEXT, UI_LEFT, tr(STR_CP_HOWTO)) + gap;
		int qs = ui_px(ui, 600);
		int bottom = ui->h - pad - bar - gap;
		/* reserve room for the caption and the printer banner under the QR, and the message */
		char m[400];
		const char *note = message_text(f, m, sizeof(m));
		int room = bottom - y - ui_px(ui, 260) - (note ? ui_banner_height(ui, w, note) + gap : 0);
		if (qs > room)
			qs = room;
		ui_round(ui, (struct ui_rect){(ui->w - qs) / 2 - ui_px(ui, SP_S), y, qs + 2 * ui_px(ui, SP_S), qs + 2 * ui_px(ui, SP_S)},
			 ui_px(ui, RADIUS), THEME_SURFACE);
		ui_qr(ui, (struct ui_rect){(ui->w - qs) / 2, y + ui_px(ui, SP_S), qs, qs}, qr);
		y += qs + 2 * ui_px(ui, SP_S) + ui_px(ui, SP_S);
		y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_SMALL, 0, THEME_MUTED, UI_CENTER, caption) + gap;
		y += draw_print_state(ui, f, x, y, w) + gap;
		draw_message(ui, f, x, y, w);
	} else {
		int colw = (w - pad) * 11 / 20;
		int y0 = y;
		/* large text: how to pay goes under the QR, with its caption */
		int howto_right = ui->look == UI_LOOK_LARGE && !phone;
		y += draw_details(ui, f, x, y, colw) + gap;
		/* the message, when there is one, takes the place of the how-to (the column is short) */
		if (f->msg || f->emailed_to[0])
			y += draw_message(ui, f, x, y, colw) + gap;
		else if (!phone && !howto_right)
			y += ui_para(ui, (struct ui_rect){x, y, colw, 0}, FONT_SMALL, 0, THEME_TEXT, UI_LEFT, tr(STR_CP_HOWTO)) + gap;
		draw_print_state(ui, f, x, y, colw);
		int qx = x + colw + pad, qw = ui->w - pad - qx;
		int capw = qw;
		int caph = text_wrap(ui->text, FONT_SMALL, 0, caption, capw, NULL, NULL) * ui_line_h(ui, FONT_SMALL);
		int howh = howto_right ? text_wrap(ui->text, FONT_SMALL, 0, tr(STR_CP_HOWTO), capw, NULL, NULL) *
						 ui_line_h(ui, FONT_SMALL) + gap / 2
				       : 0;
		caph += howh;
		int qs = ui->h - pad - bar - gap - y0 - caph - gap;
		if (qs > qw)
			qs = qw;
		ui_round(ui, (struct ui_rect){qx + (qw - qs) / 2, y0, qs, qs}, ui_px(ui, RADIUS), THEME_SURFACE);
		ui_qr(ui, (struct ui_rect){qx + (qw - qs) / 2, y0, qs, qs}, qr);
		int cy = y0 + qs + gap / 2;
		cy += ui_para(ui, (struct ui_rect){qx, cy, capw, 0}, FONT_SMALL, 0, THEME_MUTED, UI_CENTER, caption);
		if (howto_right)
			ui_para(ui, (struct ui_rect){qx, cy + gap / 2, capw, 0}, FONT_SMALL, 0, THEME_TEXT, UI_CENTER,
				tr(STR_CP_HOWTO));
	}
	/* a bank coupon may also go by e-mail (docs/account-services.md) */
	int nb = phone || email_row ? 2 : 3;
	int bw = (ui->w - 2 * pad - (nb - 1) * gap2) / nb;
	if (bw > ui_px(ui, 560))
		bw = ui_px(ui, 560);
	/* a copy (marked COPIA) when the receipt failed, was cut short, or the customer wants one */
	ui_button(ui, (struct ui_rect){pad, ui->h - pad - bh, bw, bh}, tr(STR_CP_REPRINT),
		  f->print == PRINT_FAILED ? UI_ACCENT : UI_SECONDARY, screen_ev(FEV_REPRINT, 0),
		  f->print != PRINT_BUSY && f->reprints < 3);
	if (!phone) {
		struct ui_rect er = {(ui->w - bw) / 2, ui->h - pad - bh, bw, bh};
		if (email_row)
			er = (struct ui_rect){pad, ui->h - pad - bar, ui->w - 2 * pad, bh};
		ui_button(ui, er, tr(STR_CP_EMAIL), f->print == PRINT_FAILED ? UI_ACCENT : UI_SECONDARY,
			  screen_ev(FEV_COUPON_EMAIL, 0), 1);
	}
	ui_button(ui, (struct ui_rect){ui->w - pad - bw, ui->h - pad - bh, bw, bh}, tr(STR_CP_FINISH), UI_PRIMARY,
		  screen_ev(FEV_FINISH, 0), 1);
}
