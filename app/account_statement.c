/* services-statement (extracto): the customer chooses a product (chips; one product is chosen
 * already) and a month among the last 12 (this one and the 11 before, by the kiosk's clock
 * in its time zone), then sees the month's statement: the opening balance, the movements a
 * page at a time (date, description, amount, balance after it), the closing balance. From
 * there "Imprimir" queues it as a document on the print worker (account_print: the answer
 * comes back as ACT_PRINT_DONE, worded by the printer) and "Enviar por correo" asks the
 * central API to e-mail it to the address on file (only its mask comes back). "Atrás" on the
 * statement goes back to the choice. Audit rows "account.statement" / "account.statement_email"
 * carry the month only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account_print.h"
#include "account_products.h"
#include "app.h"
#include "money.h"
#include "printq.h"

enum { JOB_STATEMENT = 21 };
#define MONTHS 12

struct st_job {
	char token[API_ACC_TOKEN_MAX];
	char product[ACCOUNT_PRODUCT_MAX];
	int32_t month; /* YYYYMM */
	int email;
	struct api_acc_statement out;
	int rc;
};

static int st_job(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct st_job *j = arg;
	(void)msg, (void)msgn;
	struct api *api = account_api_open(env, ACCOUNT_CALL_MS);
	j->rc = api ? api_acc_statement(api, j->token, j->product, j->month, j->email, ACCOUNT_CALL_MS, &j->out)
		    : API_ERR_NETWORK;
	api_close(api);
	explicit_bzero(j->token, sizeof(j->token));
	return j->rc;
}

/* YYYYMM of the month `back` months before this one (the kiosk's local date). */
static int32_t month_of(struct app *a, int back)
{
	int32_t today = date_from_epoch(app_now_ms(a) / 1000);
	int y = today / 10000, m = today / 100 % 100 - back;
	while (m < 1) {
		m += 12;
		y--;
	}
	return y * 100 + m;
}

static const enum str_id month_names[12] = {STR_AC_MON_1, STR_AC_MON_2,  STR_AC_MON_3,  STR_AC_MON_4,
					    STR_AC_MON_5, STR_AC_MON_6,  STR_AC_MON_7,  STR_AC_MON_8,
					    STR_AC_MON_9, STR_AC_MON_10, STR_AC_MON_11, STR_AC_MON_12};

/* "nov. 2026" */
static void month_label(int32_t yyyymm, char *out, size_t n)
{
	int m = yyyymm % 100;
	if (m < 1 || m > 12) {
		snprintf(out, n, "%d", yyyymm);
		return;
	}
	snprintf(out, n, "%s %d", tr(month_names[m - 1]), yyyymm / 100);
}

static void start(struct app *a, int email)
{
	struct account *s = account_of(a);
	if (s->job)
		return;
	if (s->product < 0 || s->product >= s->products.n) {
		account_say(a, UI_ERROR, "%s", tr(STR_AC_CHOOSE_PRODUCT));
		return;
	}
	struct st_job *j = calloc(1, sizeof(*j));
	if (!j)
		return;
	snprintf(j->token, sizeof(j->token), "%s", s->token);
	snprintf(j->product, sizeof(j->product), "%s", s->products.p[s->product].id);
	j->month = email && s->have_st ? s->st.month : month_of(a, s->month);
	j->email = email;
	if (account_post(a, JOB_STATEMENT, st_job, j) != 0) {
		explicit_bzero(j, sizeof(*j));
		free(j);
		return;
	}
	s->msg[0] = 0;
}

static void print(struct app *a)
{
	struct account *s = account_of(a);
	if (!s->have_st || s->paper)
		return;
	if (!a->svc.pq) {
		account_say(a, UI_ERROR, "%s", tr(STR_AC_NO_PRINTER));
		return;
	}
	const struct api_acc_product *prod = NULL;
	for (int i = 0; i < s->products.n; i++)
		if (!strcmp(s->products.p[i].id, s->st.product))
			prod = &s->products.p[i];
	struct account_paper p = {
		.lang = a->flow.lang,
		.brand = a->cfg.brand,
		.branch = a->cfg.branch[0] ? a->cfg.branch : NULL,
		.dots = a->cfg.paper_dots,
		.codepage = a->cfg.printer_codepage,
		.qr_raster = !a->cfg.printer_native_qr,
		.printed_at = app_now_ms(a) / 1000,
	};
	struct account_customer c = {.name = s->who.name[0] ? s->who.name : NULL,
				     .id_type = s->who.id_type,
				     .id_number = s->who.id_number};
	char err[200], d[24];
	snprintf(d, sizeof(d), "month=%04d-%02d", s->st.month / 100, s->st.month % 100);
	if (account_print_statement_submit(a->svc.pq, &p, &c, &s->st, prod, err, sizeof(err)) != 0) {
		fprintf(stderr, "recaudo: account: statement not printed: %s\n", err);
		account_audit(a, "account.statement", "print_failed", d);
		account_say(a, UI_ERROR, tr(STR_AC_PRINT_FAILED), tr(STR_AC_SERVICE_ERROR));
		return;
	}
	s->paper = 1;
	account_say(a, UI_INFO, "%s", tr(STR_AC_PRINTING));
}

static void enter(struct app *a)
{
	struct account *s = account_of(a);
	s->have_st = 0;
	s->paper = 0;
	account_products_load(a);
}

static int job_done(struct app *a, const struct act_event *e)
{
	struct account *s = account_of(a);
	struct st_job *j = e->job->arg;
	char d[24];
	snprintf(d, sizeof(d), "month=%04d-%02d", j->month / 100, j->month % 100);
	if (j->email) {
		account_audit(a, "account.statement_email", j->rc == API_OK ? "ok" : "failed", d);
		if (j->rc == API_OK)
			account_say(a, UI_OK, tr(STR_AC_ST_SENT), j->out.sent_to);
		else
			account_say(a, UI_ERROR, "%s", account_api_words(j->rc));
		api_acc_statement_free(&j->out);
		return 1;
	}
	if (j->rc != API_OK) {
		account_audit(a, "account.statement", "failed", d);
		account_say(a, UI_ERROR, "%s", j->rc == API_NOT_FOUND ? tr(STR_AC_ST_NONE) : account_api_words(j->rc));
		api_acc_statement_free(&j->out);
		return 1;
	}
	api_acc_statement_free(&s->st);
	s->st = j->out; /* the movements are the screen's now */
	memset(&j->out, 0, sizeof(j->out));
	s->have_st = 1;
	s->page = 0;
	s->msg[0] = 0;
	account_audit(a, "account.statement", "shown", d);
	return 1;
}

static int handle(struct app *a, const struct act_event *e)
{
	struct account *s = account_of(a);
	if (account_products_done(a, e))
		return 1;
	if (e->type == ACT_JOB && e->job->fn == st_job)
		return job_done(a, e);
	if (e->type == ACT_PRINT_DONE) {
		if (!s->paper || e->print->kind != STORE_PRINT_DOCUMENT || strncmp(e->print->ref, "st-", 3))
			return 0;
		s->paper = 0;
		char d[24];
		snprintf(d, sizeof(d), "month=%04d-%02d", s->st.month / 100, s->st.month % 100);
		account_audit(a, "account.statement", e->print->rc == 0 ? "printed" : "print_failed", d);
		if (e->print->rc == 0)
			account_say(a, UI_OK, "%s", tr(STR_AC_ST_PRINTED));
		else
			account_say(a, UI_ERROR, tr(STR_AC_PRINT_FAILED), account_print_words(e));
		return 1;
	}
	int page = 0;
	if (e->type == ACT_SCROLL)
		page = e->pages;
	else if (e->type == ACT_ACTION && e->act.action == AA_PAGE)
		page = e->act.arg;
	if (page) {
		s->page += page > 0 ? 1 : -1;
		if (s->page < 0)
			s->page = 0; /* the draw keeps it under the last page */
		return 1;
	}
	if (e->type != ACT_ACTION)
		return e->type == ACT_KEY && e->key == APP_KEY_ESCAPE && s->have_st ? (s->have_st = 0, 1) : 0;
	switch (e->act.action) {
	case AA_PRODUCT:
		if (!s->job && e->act.arg >= 0 && e->act.arg < s->products.n) {
			s->product = e->act.arg;
			s->msg[0] = 0;
		}
		return 1;
	case AA_MONTH:
		if (!s->job && e->act.arg >= 0 && e->act.arg < MONTHS)
			s->month = e->act.arg;
		return 1;
	case AA_SAVE:
		start(a, 0);
		return 1;
	case AA_SEND_EMAIL:
		if (s->have_st)
			start(a, 1);
		return 1;
	case AA_PRINT:
		print(a);
		return 1;
	case AA_RETRY:
		account_products_load(a);
		return 1;
	case AA_BACK:
		if (s->have_st && !s->job) { /* the statement: back to the choice */
			s->have_st = 0;
			s->page = 0;
			s->msg[0] = 0;
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

/* ---- drawing ---- */

/* The 12 months as buttons, 3 a row: the chosen one filled and marked (not by colour alone). */
static int draw_months(struct app *a, int x, int y, int w, int mh)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int sgap = ui_px(ui, SP_S), cols = 3, mw = (w - (cols - 1) * sgap) / cols;
	for (int i = 0; i < MONTHS; i++) {
		char label[40], m[32];
		month_label(month_of(a, i), m, sizeof(m));
		char *yr = strrchr(m, ' ');
		int large = ui->look == UI_LOOK_LARGE;
		if (large && yr && strlen(yr) == 5 && yr > m && yr[-1] == '.') { /* large text: "nov 26" fits whole */
			yr[-1] = ' ';
			memmove(yr, yr + 3, 3);
		}
		/* the chosen one: filled, and marked with ✓ where there is room (large text: the
		 * fill against the others' outline, not colour alone) */
		snprintf(label, sizeof(label), "%s%s", i == s->month && !large ? "✓ " : "", m);
		struct ui_rect r = {x + (i % cols) * (mw + sgap), y + (i / cols) * (mh + sgap), mw, mh};
		ui_button(ui, r, label, i == s->month ? UI_PRIMARY : UI_SECONDARY, (struct ui_action){AA_MONTH, i}, !s->job);
	}
	return (MONTHS / cols) * (mh + sgap) - sgap;
}

/* The choice: products and months side by side on a wide screen, one over the other on a
 * tall one; the message and "Ver extracto" at the bottom. */
static void draw_choice(struct app *a, int x, int y, int w, int bottom)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int gap = ui_px(ui, SP_M), sgap = ui_px(ui, SP_S), bh = ui_tpx(ui, 130);
	struct ui_rect go = {x + w - (w - gap) / 2, bottom - bh, (w - gap) / 2, bh};
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
	int lh = ui_line_h(ui, FONT_SMALL) + ui_px(ui, SP_XS);
	int mh = ui_tpx(ui, TOUCH_MIN);
	int months_h = (MONTHS / 3) * (mh + sgap) - sgap;
	/* tall: products, months, then the message and the button across; wide: the products,
	 * the message and the button on the left, the months on the right */
	int px = x, pw = w, mx = x, my, mw = w;
	if (!ui->portrait) {
		pw = mw = (w - gap) / 2;
		mx = x + w - mw;
		go = (struct ui_rect){x, bottom - bh, pw, bh};
	}
	int low = bottom - bh - gap;
	const char *say = s->job ? tr(STR_AC_WORKING) : s->msg;
	if (say[0]) {
		int bhh = ui_banner_height(ui, pw, say);
		ui_banner(ui, (struct ui_rect){x, low - bhh, pw, 0}, say, s->job ? UI_INFO : s->msg_kind);
		low -= bhh + sgap;
	}
	int prod_bottom = ui->portrait ? low - gap - lh - months_h : low;
	ui_label_fit(ui, px, y, pw, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, tr(STR_AC_ST_PRODUCT));
	int ph = account_products_draw(a, px, y + lh, pw, prod_bottom, NULL);
	my = ui->portrait ? y + lh + ph + gap : y;
	ui_label_fit(ui, mx, my, mw, FONT_SMALL, 1, THEME_MUTED, UI_LEFT, tr(STR_AC_ST_MONTH));
	draw_months(a, mx, my + lh, mw, mh);
	ui_button(ui, go, tr(STR_AC_ST_SHOW), UI_PRIMARY, (struct ui_action){AA_SAVE, 0},
		  !s->job && s->product >= 0);
}

/* One movement: a line on a wide screen (date, description, amount, balance), two on a
 * narrow one (date and amount; description and balance). */
static void draw_move(struct app *a, int x, int y, int w, int two, const char *date, const char *what,
		      const char *amount, const char *balance, int bold, struct rgba c)
{
	struct ui *ui = &a->ui;
	int gap = ui_px(ui, SP_S), lh = ui_line_h(ui, FONT_BODY);
	int dw = ui_px(ui, two ? 300 : 250), mw = ui_px(ui, 290);
	if (two) { /* the balance's line: half for the description, half for "Saldo $ …" */
		mw = (w - gap) / 2;
		ui_label_fit(ui, x, y, dw, FONT_BODY, 1, c, UI_LEFT, date);
		ui_label_fit(ui, x + w, y, w - dw - gap, FONT_BODY, 1, c, UI_RIGHT, amount);
		ui_label_fit(ui, x, y + lh, w - mw - gap, FONT_BODY, bold, THEME_MUTED, UI_LEFT, what);
		ui_label_fit(ui, x + w, y + lh, mw, FONT_BODY, bold, THEME_MUTED, UI_RIGHT, balance);
		return;
	}
	ui_label_fit(ui, x, y, dw, FONT_BODY, bold, c, UI_LEFT, date);
	ui_label_fit(ui, x + dw, y, w - dw - 2 * mw - 2 * gap, FONT_BODY, bold, c, UI_LEFT, what);
	ui_label_fit(ui, x + w - mw - gap, y, mw, FONT_BODY, bold, c, UI_RIGHT, amount);
	ui_label_fit(ui, x + w, y, mw, FONT_BODY, bold, THEME_MUTED, UI_RIGHT, balance);
}

/* The opening or the closing balance: its name on the left, the amount on the right. */
static void draw_total(struct app *a, int x, int y, int w, const char *label, const char *amount)
{
	struct ui *ui = &a->ui;
	int aw = ui_px(ui, 360), gap = ui_px(ui, SP_S);
	ui_label_fit(ui, x, y, w - aw - gap, FONT_BODY, 1, THEME_TEXT, UI_LEFT, label);
	ui_label_fit(ui, x + w, y, aw, FONT_BODY, 1, THEME_TEXT, UI_RIGHT, amount);
}

static void draw_statement(struct app *a, int x, int y, int w, int bottom)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	const struct api_acc_statement *st = &s->st;
	int gap = ui_px(ui, SP_M), sgap = ui_px(ui, SP_S), bh = ui_tpx(ui, 130);
	int two = w < ui_px(ui, 1300) || ui->portrait;
	int lh = ui_line_h(ui, FONT_BODY), rh = (two ? 2 : 1) * lh + sgap;
	char head[320], mon[32], m1[64], m2[64];
	month_label(st->month, mon, sizeof(mon));
	const char *line = "";
	for (int i = 0; i < s->products.n; i++)
		if (!strcmp(s->products.p[i].id, st->product))
			line = s->products.p[i].line;
	snprintf(head, sizeof(head), "%s · %s — %s", st->product, line, mon);
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 1, THEME_TEXT, UI_LEFT, head) + sgap;
	/* the actions at the bottom; the message and the pager above them */
	int half = (w - gap) / 2;
	ui_button(ui, (struct ui_rect){x, bottom - bh, half, bh}, tr(STR_AC_ST_EMAIL), UI_SECONDARY,
		  (struct ui_action){AA_SEND_EMAIL, 0}, !s->job && !s->paper);
	ui_button(ui, (struct ui_rect){x + w - half, bottom - bh, half, bh}, tr(STR_AC_ST_PRINT), UI_PRIMARY,
		  (struct ui_action){AA_PRINT, 0}, !s->job && !s->paper);
	int low = bottom - bh - gap;
	const char *say = s->job ? tr(STR_AC_WORKING) : s->msg;
	if (say[0]) {
		int mh = ui_banner_height(ui, w, say);
		ui_banner(ui, (struct ui_rect){x, low - mh, w, 0}, say, s->job ? UI_INFO : s->msg_kind);
		low -= mh + sgap;
	}
	int pager_h = account_pager_h(a, w);
	/* opening, the page of movements, closing, the pager */
	account_money(a, st->opening, st->currency, m1, sizeof(m1));
	draw_total(a, x, y, w, tr(STR_AC_ST_OPENING), m1);
	y += lh + sgap;
	ui_fill(ui, (struct ui_rect){x, y - sgap / 2, w, 2}, THEME_LINE);
	int room = low - (lh + sgap) - sgap - pager_h - y;
	int per = room / rh;
	if (per < 1)
		per = 1;
	int pages = st->n ? (st->n + per - 1) / per : 1;
	if (s->page >= pages)
		s->page = pages - 1;
	int first = s->page * per;
	if (!st->n) {
		ui_label_fit(ui, x, y, w, FONT_BODY, 0, THEME_MUTED, UI_LEFT, tr(STR_AC_ST_NO_MOVES));
	}
	for (int i = first; i < st->n && i < first + per; i++) {
		const struct api_acc_move *mv = &st->moves[i];
		char date[16], bal[80];
		account_date(mv->date, date, sizeof(date));
		account_money(a, mv->amount, st->currency, m1, sizeof(m1));
		account_money(a, mv->balance, st->currency, m2, sizeof(m2));
		if (two)
			snprintf(bal, sizeof(bal), tr(STR_AC_ST_BALANCE), m2);
		else
			snprintf(bal, sizeof(bal), "%s", m2);
		draw_move(a, x, y + (i - first) * rh, w, two, date, mv->description, m1, bal, 0, THEME_TEXT);
	}
	y += (st->n ? (st->n - first < per ? st->n - first : per) : 1) * rh; /* the closing under the last row */
	ui_fill(ui, (struct ui_rect){x, y - sgap / 2, w, 2}, THEME_LINE);
	account_money(a, st->closing, st->currency, m2, sizeof(m2));
	draw_total(a, x, y, w, tr(STR_AC_ST_CLOSING), m2);
	y += lh + sgap;
	if (st->n > per)
		account_pager(a, x, y, w, first, per, st->n);
}

static void draw(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int pad = screen_pad(ui);
	int x = body.x + pad, w = body.w - 2 * pad, bottom = body.y + body.h - pad;
	int y = account_header(a, body, tr(STR_AC_ST_TITLE), 1);
	if (s->have_st)
		draw_statement(a, x, y, w, bottom);
	else
		draw_choice(a, x, y, w, bottom);
}

const struct account_screen account_statement_screen = {"services-statement", enter, draw, handle, STR_AC_ST_TITLE};
