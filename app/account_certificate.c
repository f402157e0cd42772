/* services-certificate: the customer chooses a product (the same list as the statement's; a
 * product with balance 0 gets a "Paz y salvo", any other a "Certificado de deuda") and asks
 * for it. The central API signs it (Ed25519); api_acc_certificate verifies the signature under
 * the configured public key ([services] certificate_key) and every field against the JSON's
 * and the customer's before it says API_OK. Then the certificate is shown (kind, product,
 * balance, issue date, id and its QR `payload|S=signature`) and printed (account_print). One
 * that does not verify is refused: nothing printed, the customer told, audit "bad_signature".
 * Without a configured key the service says it is not available at this kiosk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account_print.h"
#include "account_products.h"
#include "app.h"
#include "money.h"
#include "printq.h"

enum { JOB_CERTIFICATE = 22 };

struct cert_job {
	char token[API_ACC_TOKEN_MAX];
	char product[ACCOUNT_PRODUCT_MAX];
	enum id_type t;
	char number[24];
	char key[256];
	struct api_acc_certificate out;
	int rc;
};

static int cert_job(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct cert_job *j = arg;
	(void)msg, (void)msgn;
	struct api *api = account_api_open(env, ACCOUNT_CALL_MS);
	j->rc = api ? api_acc_certificate(api, j->token, j->product, j->t, j->number, j->key, ACCOUNT_CALL_MS, &j->out)
		    : API_ERR_NETWORK;
	api_close(api);
	explicit_bzero(j->token, sizeof(j->token));
	explicit_bzero(j->number, sizeof(j->number));
	return j->rc;
}

static const char *kind_word(const struct api_acc_product *p)
{
	return tr(p->balance == 0 ? STR_AC_CT_PAID_UP : STR_AC_CT_DEBT);
}

static int available(const struct app *a) { return a->cfg.certificate_key[0] != 0; }

static void print(struct app *a)
{
	struct account *s = account_of(a);
	if (!s->have_cert || s->paper)
		return;
	if (!a->svc.pq) {
		account_say(a, UI_ERROR, "%s", tr(STR_AC_NO_PRINTER));
		return;
	}
	struct account_paper p = {
		.lang = a->flow.lang,
		.brand = a->cfg.brand,
		.branch = a->cfg.branch[0] ? a->cfg.branch : NULL,
		.dots = a->cfg.paper_dots,
		.codepage = a->cfg.printer_codepage,
		.qr_raster = !a->cfg.printer_native_qr,
		.printed_at = app_now_ms(a) / 1000,
	};
	char err[200];
	if (account_print_certificate_submit(a->svc.pq, &p, s->who.name[0] ? s->who.name : NULL, &s->cert, err,
					     sizeof(err)) != 0) {
		fprintf(stderr, "recaudo: account: certificate not printed: %s\n", err);
		account_audit(a, "account.certificate", "print_failed", s->cert.f.kind == 'P' ? "kind=P" : "kind=D");
		account_say(a, UI_ERROR, tr(STR_AC_PRINT_FAILED), tr(STR_AC_SERVICE_ERROR));
		return;
	}
	s->paper = 1;
	account_say(a, UI_INFO, "%s", tr(STR_AC_PRINTING));
}

static void start(struct app *a)
{
	struct account *s = account_of(a);
	if (s->job || !available(a))
		return;
	if (s->product < 0 || s->product >= s->products.n) {
		account_say(a, UI_ERROR, "%s", tr(STR_AC_CHOOSE_PRODUCT));
		return;
	}
	struct cert_job *j = calloc(1, sizeof(*j));
	if (!j)
		return;
	snprintf(j->token, sizeof(j->token), "%s", s->token);
	snprintf(j->product, sizeof(j->product), "%s", s->products.p[s->product].id);
	j->t = s->who.id_type;
	snprintf(j->number, sizeof(j->number), "%s", s->who.id_number);
	snprintf(j->key, sizeof(j->key), "%s", a->cfg.certificate_key);
	if (account_post(a, JOB_CERTIFICATE, cert_job, j) != 0) {
		explicit_bzero(j, sizeof(*j));
		free(j);
		return;
	}
	s->msg[0] = 0;
}

static void job_done(struct app *a, struct cert_job *j)
{
	struct account *s = account_of(a);
	if (j->rc == API_ACC_BAD_SIGNATURE) {
		explicit_bzero(&s->cert, sizeof(s->cert));
		s->have_cert = 0;
		account_audit(a, "account.certificate", "bad_signature", "");
		account_say(a, UI_ERROR, "%s", tr(STR_AC_CT_BAD_SIGNATURE));
		return;
	}
	if (j->rc != API_OK) {
		account_audit(a, "account.certificate", "failed", "");
		account_say(a, UI_ERROR, "%s", account_api_words(j->rc));
		return;
	}
	s->cert = j->out;
	s->have_cert = 1;
	account_audit(a, "account.certificate", "ok", s->cert.f.kind == 'P' ? "kind=P" : "kind=D");
	print(a);
}

static void enter(struct app *a)
{
	struct account *s = account_of(a);
	explicit_bzero(&s->cert, sizeof(s->cert));
	s->have_cert = 0;
	s->paper = 0;
	if (available(a))
		account_products_load(a);
}

static int handle(struct app *a, const struct act_event *e)
{
	struct account *s = account_of(a);
	if (account_products_done(a, e))
		return 1;
	if (e->type == ACT_JOB && e->job->fn == cert_job) {
		struct cert_job *j = e->job->arg;
		job_done(a, j);
		explicit_bzero(j, sizeof(*j));
		return 1;
	}
	if (e->type == ACT_PRINT_DONE) {
		if (!s->paper || e->print->kind != STORE_PRINT_DOCUMENT || strncmp(e->print->ref, "ct-", 3))
			return 0;
		s->paper = 0;
		account_audit(a, "account.certificate", e->print->rc == 0 ? "printed" : "print_failed",
			      s->cert.f.kind == 'P' ? "kind=P" : "kind=D");
		if (e->print->rc == 0)
			account_say(a, UI_OK, "%s", tr(STR_AC_CT_PRINTED));
		else
			account_say(a, UI_ERROR, tr(STR_AC_PRINT_FAILED), account_print_words(e));
		return 1;
	}
	int page = e->type == ACT_SCROLL ? e->pages : e->type == ACT_ACTION && e->act.action == AA_PAGE ? e->act.arg : 0;
	if (page && !s->have_cert) {
		s->page += page > 0 ? 1 : -1;
		if (s->page < 0)
			s->page = 0;
		return 1;
	}
	if (e->type != ACT_ACTION)
		return 0;
	switch (e->act.action) {
	case AA_PRODUCT:
		if (!s->job && e->act.arg >= 0 && e->act.arg < s->products.n) {
			s->product = e->act.arg;
			s->msg[0] = 0;
		}
		return 1;
	case AA_SAVE:
		start(a);
		return 1;
	case AA_PRINT:
		print(a);
		return 1;
	case AA_RETRY:
		account_products_load(a);
		return 1;
	case AA_BACK:
		if (s->have_cert && !s->job && !s->paper) { /* back to the choice */
			explicit_bzero(&s->cert, sizeof(s->cert));
			s->have_cert = 0;
			s->msg[0] = 0;
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

/* ---- drawing ---- */

static void draw_choice(struct app *a, int x, int y, int w, int bottom)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int gap = ui_px(ui, SP_M), sgap = ui_px(ui, SP_S), bh = ui_tpx(ui, 130);
	struct ui_rect go = {x + w - (w - gap) / 2, bottom - bh, (w - gap) / 2, bh};
	if (!available(a)) {
		ui_banner(ui, (struct ui_rect){x, y, w, 0}, tr(STR_AC_CT_UNAVAILABLE), UI_INFO);
		return;
	}
	if (!s->products_loaded) {
		if (s->job)
			ui_banner(ui, (struct ui_rect){x, y, w, 0}, tr(STR_AC_WORKING), UI_INFO);
		else if (account_message(a, x, y, w))
			ui_button(ui, go, tr(STR_AC_RETRY), UI_PRIMARY, (struct ui_action){AA_RETRY, 0}, 1);
		return;
	}
	if (!s->products.n) {
		account_message(a, x, y, w);
		return;
	}
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 0, THEME_TEXT, UI_LEFT, tr(STR_AC_CT_BODY)) + gap;
	const char *say = s->job ? tr(STR_AC_WORKING) : s->msg;
	int low = bottom - bh - gap;
	if (say[0]) {
		int mh = ui_banner_height(ui, w, say);
		ui_banner(ui, (struct ui_rect){x, low - mh, w, 0}, say, s->job ? UI_INFO : s->msg_kind);
		low -= mh + sgap;
	}
	account_products_draw(a, x, y, w, low, kind_word);
	ui_button(ui, go, tr(STR_AC_CT_ASK), UI_PRIMARY, (struct ui_action){AA_SAVE, 0}, !s->job && s->product >= 0);
}

/* One fact of the certificate: its name over its value. */
static int fact(struct app *a, int x, int y, int w, const char *name, const char *value)
{
	struct ui *ui = &a->ui;
	ui_label_fit(ui, x, y, w, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, name);
	int h = ui_line_h(ui, FONT_SMALL);
	h += ui_para(ui, (struct ui_rect){x, y + h, w, 0}, FONT_BODY, 1, THEME_TEXT, UI_LEFT, value);
	return h + ui_px(ui, SP_S);
}

static void draw_cert(struct app *a, int x, int y, int w, int bottom)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	const struct api_acc_certificate *c = &s->cert;
	int gap = ui_px(ui, SP_M), sgap = ui_px(ui, SP_S), bh = ui_tpx(ui, 130);
	/* the actions and the message at the bottom */
	ui_button(ui, (struct ui_rect){x + w - (w - gap) / 2, bottom - bh, (w - gap) / 2, bh}, tr(STR_AC_CT_AGAIN),
		  UI_SECONDARY, (struct ui_action){AA_PRINT, 0}, !s->job && !s->paper);
	ui_button(ui, (struct ui_rect){x, bottom - bh, (w - gap) / 2, bh}, tr(STR_AC_CT_OTHER), UI_SECONDARY,
		  (struct ui_action){AA_BACK, 0}, !s->job && !s->paper);
	int low = bottom - bh - gap;
	if (s->msg[0]) {
		int mh = ui_banner_height(ui, w, s->msg);
		ui_banner(ui, (struct ui_rect){x, low - mh, w, 0}, s->msg, s->msg_kind);
		low -= mh + sgap;
	}
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_H1, 1, THEME_BRAND, UI_LEFT,
		     tr(c->f.kind == 'P' ? STR_AC_CT_PAID_UP : STR_AC_CT_DEBT)) + sgap;
	/* the facts beside the QR (under it when the screen is tall) */
	int side = low - y;
	int qmax = ui_px(ui, ui->portrait ? 560 : 420);
	int fw = w;
	int qx = x, qy = y;
	if (ui->portrait) {
		side = qmax;
	} else {
		if (side > qmax)
			side = qmax;
		fw = w - side - gap;
		qx = x + w - side;
	}
	char m[64], d[16], prod[ACCOUNT_PRODUCT_MAX + API_ACC_TEXT_MAX + 8];
	snprintf(prod, sizeof(prod), "%s · %s", c->f.product, c->description);
	account_money(a, c->f.balance, c->f.currency, m, sizeof(m));
	account_date(c->f.issued, d, sizeof(d));
	int fy = y;
	fy += fact(a, x, fy, fw, tr(STR_AC_CT_PRODUCT), prod);
	fy += fact(a, x, fy, fw, tr(STR_AC_CT_BALANCE), m);
	fy += fact(a, x, fy, fw, tr(STR_AC_CT_ISSUED), d);
	fy += fact(a, x, fy, fw, tr(STR_AC_CT_ID), c->f.id);
	if (ui->portrait) {
		qy = fy + sgap;
		if (qy + side > low)
			side = low - qy;
		qx = x + (w - side) / 2;
	}
	char qr[ACCOUNT_CERT_PAYLOAD_MAX + 128];
	if (side > ui_px(ui, 200) && account_print_cert_qr(c, qr, sizeof(qr)) > 0) {
		ui_qr(ui, (struct ui_rect){qx, qy, side, side}, qr);
		explicit_bzero(qr, sizeof(qr));
	}
}

static void draw(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int pad = screen_pad(ui);
	int x = body.x + pad, w = body.w - 2 * pad, bottom = body.y + body.h - pad;
	int y = account_header(a, body, tr(STR_AC_CT_TITLE), 1);
	if (s->have_cert)
		draw_cert(a, x, y, w, bottom);
	else
		draw_choice(a, x, y, w, bottom);
}

const struct account_screen account_certificate_screen = {"services-certificate", enter, draw, handle, STR_AC_CT_TITLE};
