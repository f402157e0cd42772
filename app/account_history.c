/* services-history: the customer's payments of the last 12 months as the central API has them
 * (date, product, amount, channel), newest first, a page at a time. The kiosk's own coupons
 * are marked: a payment made at a kiosk whose reference is one of this kiosk's coupons
 * (store_coupon_seq_by_reference) shows "Pagado en este kiosco" and "Reimprimir (COPIA)",
 * which queues the coupon receipt's stored copy on the print worker (app_fx_reprint); the
 * answer comes back as ACT_PRINT_DONE and is said in the printer's words. s->hist_seq keeps,
 * per payment, the coupon's seq here (0: not ours). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account_products.h"
#include "app.h"
#include "printq.h"
#include "store_account.h"

enum { JOB_HISTORY = 23 };

struct hist_job {
	char token[API_ACC_TOKEN_MAX];
	struct api_acc_history out;
	int rc;
};

static int hist_job(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct hist_job *j = arg;
	(void)msg, (void)msgn;
	struct api *api = account_api_open(env, ACCOUNT_CALL_MS);
	j->rc = api ? api_acc_history(api, j->token, ACCOUNT_CALL_MS, &j->out) : API_ERR_NETWORK;
	api_close(api);
	explicit_bzero(j->token, sizeof(j->token));
	return j->rc;
}

static void forget(struct account *s)
{
	if (s->hist.p)
		explicit_bzero(s->hist.p, (size_t)s->hist.n * sizeof(*s->hist.p));
	api_acc_history_free(&s->hist);
	free(s->hist_seq);
	s->hist_seq = NULL;
	s->have_hist = 0;
}

static void start(struct app *a)
{
	struct account *s = account_of(a);
	if (s->job)
		return;
	struct hist_job *j = calloc(1, sizeof(*j));
	if (!j)
		return;
	snprintf(j->token, sizeof(j->token), "%s", s->token);
	if (account_post(a, JOB_HISTORY, hist_job, j) != 0) {
		explicit_bzero(j, sizeof(*j));
		free(j);
	}
}

static void enter(struct app *a)
{
	struct account *s = account_of(a);
	s->paper = 0;
	if (!s->have_hist)
		start(a);
}

/* The payments made at a kiosk whose reference is one of this kiosk's coupons. */
static int mark_ours(struct app *a)
{
	struct account *s = account_of(a);
	int ours = 0;
	s->hist_seq = calloc((size_t)(s->hist.n ? s->hist.n : 1), sizeof(*s->hist_seq));
	if (!s->hist_seq)
		return 0;
	for (int i = 0; i < s->hist.n && a->svc.store; i++) {
		uint64_t seq = 0;
		if (s->hist.p[i].channel == API_PAY_KIOSK && s->hist.p[i].reference[0] &&
		    store_coupon_seq_by_reference(a->svc.store, s->hist.p[i].reference, s->who.id_type, s->who.id_number,
						  &seq) == 0) {
			s->hist_seq[i] = seq;
			ours++;
		}
	}
	return ours;
}

static void job_done(struct app *a, struct hist_job *j)
{
	struct account *s = account_of(a);
	if (j->rc != API_OK) {
		account_audit(a, "account.history", "failed", "");
		account_say(a, UI_ERROR, "%s", account_api_words(j->rc));
		api_acc_history_free(&j->out);
		return;
	}
	forget(s);
	s->hist = j->out; /* the payments are the screen's now */
	memset(&j->out, 0, sizeof(j->out));
	s->have_hist = 1;
	s->page = 0;
	int ours = mark_ours(a);
	char d[48];
	snprintf(d, sizeof(d), "payments=%d here=%d", s->hist.n, ours);
	account_audit(a, "account.history", "shown", d);
	if (!s->hist.n)
		account_say(a, UI_INFO, "%s", tr(STR_AC_HI_NONE));
}

static void reprint(struct app *a, int i)
{
	struct account *s = account_of(a);
	if (!s->have_hist || !s->hist_seq || i < 0 || i >= s->hist.n || !s->hist_seq[i] || s->paper)
		return;
	char d[32];
	snprintf(d, sizeof(d), "seq=%llu", (unsigned long long)s->hist_seq[i]);
	if (!a->svc.pq) {
		account_say(a, UI_ERROR, "%s", tr(STR_AC_NO_PRINTER));
		return;
	}
	if (app_fx_reprint(a, s->hist_seq[i]) != 0) {
		account_audit(a, "account.reprint", "failed", d);
		account_say(a, UI_ERROR, "%s", tr(STR_AC_HI_NO_COPY));
		return;
	}
	s->paper = (int)i + 1; /* the row whose copy is printing */
	account_audit(a, "account.reprint", "queued", d);
	account_say(a, UI_INFO, "%s", tr(STR_AC_PRINTING));
}

static int handle(struct app *a, const struct act_event *e)
{
	struct account *s = account_of(a);
	if (e->type == ACT_JOB && e->job->fn == hist_job) {
		job_done(a, e->job->arg);
		return 1;
	}
	if (e->type == ACT_PRINT_DONE) {
		int i = s->paper - 1;
		if (!s->paper || !s->hist_seq || i >= s->hist.n || e->print->kind != STORE_PRINT_COPY ||
		    e->print->seq != s->hist_seq[i])
			return 0;
		s->paper = 0;
		if (e->print->rc == 0)
			account_say(a, UI_OK, "%s", tr(STR_AC_HI_PRINTED));
		else
			account_say(a, UI_ERROR, tr(STR_AC_PRINT_FAILED), account_print_words(e));
		return 1;
	}
	int page = e->type == ACT_SCROLL ? e->pages : e->type == ACT_ACTION && e->act.action == AA_PAGE ? e->act.arg : 0;
	if (page) {
		s->page += page > 0 ? 1 : -1;
		if (s->page < 0)
			s->page = 0;
		return 1;
	}
	if (e->type == ACT_ACTION && e->act.action == AA_REPRINT) {
		reprint(a, e->act.arg);
		return 1;
	}
	if (e->type == ACT_ACTION && e->act.action == AA_RETRY) {
		start(a);
		return 1;
	}
	return 0;
}

static const char *channel_word(enum api_pay_channel c)
{
	switch (c) {
	case API_PAY_KIOSK:
		return tr(STR_AC_HI_KIOSK);
	case API_PAY_BANK:
		return tr(STR_AC_HI_BANK);
	case API_PAY_ONLINE:
		return tr(STR_AC_HI_ONLINE);
	default:
		return tr(STR_AC_HI_AGENT);
	}
}

/* One payment: date and amount on the first line, product and channel on the second; one of
 * this kiosk's: its marker at the end of the second line, the reprint button on the right. */
static void draw_payment(struct app *a, int i, struct ui_rect r, int three)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	const struct api_acc_payment *p = &s->hist.p[i];
	int ours = s->hist_seq && s->hist_seq[i];
	int gap = ui_px(ui, SP_S), lh = ui_line_h(ui, FONT_BODY);
	char date[16], m[64], what[ACCOUNT_PRODUCT_MAX + 64];
	account_date(p->date, date, sizeof(date));
	account_money(a, p->amount, p->currency, m, sizeof(m));
	snprintf(what, sizeof(what), "%s · %s", p->product, channel_word(p->channel));
	if (ours)
		ui_round(ui, r, ui_px(ui, RADIUS), THEME_SURFACE);
	int x = r.x + gap, w = r.w - 2 * gap, y = r.y + gap / 2;
	int bh = ui_tpx(ui, TOUCH_MIN);
	int bw = ours ? screen_button_w(ui, tr(STR_AC_HI_REPRINT), ui_px(ui, 300)) : 0;
	if (bw > w / 2)
		bw = w / 2;
	/* tall screens: date and amount, the product, then the marker with the button beside it;
	 * wide: the button on the right of the two lines, the marker at the end of the second */
	int tw = three ? w : w - (bw ? bw + gap : 0);
	int aw, dw;
	text_measure(ui->text, FONT_BODY, 1, m, &aw, NULL);
	text_measure(ui->text, FONT_BODY, 1, date, &dw, NULL);
	if (aw > tw - dw - gap) /* the date first: it is the row's name */
		aw = tw - dw - gap;
	ui_label_fit(ui, x, y, tw - aw - gap, FONT_BODY, 1, THEME_TEXT, UI_LEFT, date);
	ui_label_fit(ui, x + tw, y, aw, FONT_BODY, 1, THEME_TEXT, UI_RIGHT, m);
	if (!ours) {
		ui_label_fit(ui, x, y + lh, tw, FONT_BODY, 0, THEME_MUTED, UI_LEFT, what);
		return;
	}
	if (three) {
		ui_label_fit(ui, x, y + lh, tw, FONT_BODY, 0, THEME_MUTED, UI_LEFT, what);
		int by = y + 2 * lh;
		ui_label_fit(ui, x, by + (bh - lh) / 2, w - bw - gap, FONT_BODY, 1, THEME_BRAND, UI_LEFT, tr(STR_AC_HI_HERE));
		ui_button(ui, (struct ui_rect){x + w - bw, by, bw, bh}, tr(STR_AC_HI_REPRINT), UI_SECONDARY,
			  (struct ui_action){AA_REPRINT, i}, !s->job && !s->paper);
		return;
	}
	int mw;
	text_measure(ui->text, FONT_BODY, 1, tr(STR_AC_HI_HERE), &mw, NULL);
	if (mw > tw / 2)
		mw = tw / 2;
	ui_label_fit(ui, x, y + lh, tw - mw - gap, FONT_BODY, 0, THEME_MUTED, UI_LEFT, what);
	ui_label_fit(ui, x + tw, y + lh, mw, FONT_BODY, 1, THEME_BRAND, UI_RIGHT, tr(STR_AC_HI_HERE));
	ui_button(ui, (struct ui_rect){x + w - bw, r.y + (r.h - bh) / 2, bw, bh}, tr(STR_AC_HI_REPRINT), UI_SECONDARY,
		  (struct ui_action){AA_REPRINT, i}, !s->job && !s->paper);
}

static void draw(struct app *a, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int pad = screen_pad(ui), gap = ui_px(ui, SP_M), sgap = ui_px(ui, SP_S), bh = ui_tpx(ui, 130);
	int x = body.x + pad, w = body.w - 2 * pad, bottom = body.y + body.h - pad;
	int y = account_header(a, body, tr(STR_AC_HI_TITLE), 1);
	if (!s->have_hist) {
		if (s->job)
			ui_banner(ui, (struct ui_rect){x, y, w, 0}, tr(STR_AC_WORKING), UI_INFO);
		else if (account_message(a, x, y, w))
			ui_button(ui, (struct ui_rect){x + w - (w - gap) / 2, bottom - bh, (w - gap) / 2, bh}, tr(STR_AC_RETRY),
				  UI_PRIMARY, (struct ui_action){AA_RETRY, 0}, 1);
		return;
	}
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 0, THEME_MUTED, UI_LEFT, tr(STR_AC_HI_BODY)) + sgap;
	/* the message and the pager at the bottom, the rows between */
	int low = bottom;
	if (s->msg[0]) {
		int mh = ui_banner_height(ui, w, s->msg);
		ui_banner(ui, (struct ui_rect){x, low - mh, w, 0}, s->msg, s->msg_kind);
		low -= mh + sgap;
	}
	int lh = ui_line_h(ui, FONT_BODY);
	int three = ui->portrait; /* narrow rows: the marker on a line of its own */
	/* one height for all: a marked row's button fits */
	int rh = three ? 2 * lh + ui_tpx(ui, TOUCH_MIN) + sgap : 2 * lh + sgap;
	if (rh < ui_tpx(ui, TOUCH_MIN) + sgap)
		rh = ui_tpx(ui, TOUCH_MIN) + sgap;
	int pager_h = account_pager_h(a, w) + gap;
	int per = (low - y + sgap) / (rh + sgap);
	if (per < s->hist.n)
		per = (low - pager_h - y + sgap) / (rh + sgap);
	if (per < 1)
		per = 1;
	int pages = s->hist.n ? (s->hist.n + per - 1) / per : 1;
	if (s->page >= pages)
		s->page = pages - 1;
	int first = s->page * per;
	for (int i = first; i < s->hist.n && i < first + per; i++)
		draw_payment(a, i, (struct ui_rect){x, y + (i - first) * (rh + sgap), w, rh}, three);
	if (s->hist.n > per)
		account_pager(a, x, low - pager_h + gap, w, first, per, s->hist.n);
}

const struct account_screen account_history_screen = {"services-history", enter, draw, handle, STR_AC_HI_TITLE};
