/* The customer's products for services-statement and services-certificate (one list a
 * session), their chips, and the small pieces those screens and services-history share:
 * money and dates as the screen shows them, the pager, the printer's words. */
#include "account_products.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "money.h"
#include "printq.h"

enum { JOB_PRODUCTS = 20 };

struct products_job {
	char token[API_ACC_TOKEN_MAX];
	struct api_acc_products out;
	int rc;
};

static int products_job(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct products_job *j = arg;
	(void)msg, (void)msgn;
	struct api *api = account_api_open(env, ACCOUNT_CALL_MS);
	j->rc = api ? api_acc_products(api, j->token, ACCOUNT_CALL_MS, &j->out) : API_ERR_NETWORK;
	api_close(api);
	explicit_bzero(j->token, sizeof(j->token));
	return j->rc;
}

int account_products_load(struct app *a)
{
	struct account *s = account_of(a);
	if (s->products_loaded)
		return 1;
	if (s->job)
		return -1;
	struct products_job *j = calloc(1, sizeof(*j));
	if (!j)
		return -1;
	snprintf(j->token, sizeof(j->token), "%s", s->token);
	if (account_post(a, JOB_PRODUCTS, products_job, j) != 0) {
		explicit_bzero(j, sizeof(*j));
		free(j);
		account_say(a, UI_ERROR, "%s", tr(STR_AC_SERVICE_ERROR));
		return -1;
	}
	return 0;
}

int account_products_done(struct app *a, const struct act_event *e)
{
	struct account *s = account_of(a);
	if (e->type != ACT_JOB || e->job->fn != products_job)
		return 0;
	struct products_job *j = e->job->arg;
	if (j->rc == API_OK) {
		s->products = j->out;
		s->products_loaded = 1;
		s->product = s->products.n == 1 ? 0 : -1; /* one product: nothing to choose */
		if (!s->products.n)
			account_say(a, UI_INFO, "%s", tr(STR_AC_NO_PRODUCTS));
	} else {
		account_say(a, UI_ERROR, "%s", account_api_words(j->rc));
	}
	explicit_bzero(&j->out, sizeof(j->out));
	return 1;
}

void account_money(struct app *a, int64_t minor, const char *currency, char *out, size_t n)
{
	enum currency cur;
	if (currency_parse(currency, &cur) != 0) {
		snprintf(out, n, "%lld %s", (long long)minor, currency);
		return;
	}
	money_format_style(out, n, (struct money){minor, cur}, a->flow.lang == LANG_EN ? MONEY_STYLE_EN : MONEY_STYLE_ES);
}

void account_date(int32_t yyyymmdd, char *out, size_t n) { date_format(out, n, yyyymmdd); }

int account_products_draw(struct app *a, int x, int y, int w, int bottom,
			  const char *(*word_of)(const struct api_acc_product *p))
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int gap = ui_px(ui, SP_S);
	int cols = w >= ui_px(ui, 1400) ? 2 : 1; /* two on a wide screen's full width */
	int cw = (w - (cols - 1) * gap) / cols;
	/* one height for every chip: the tallest name's */
	int ch = ui_tpx(ui, TOUCH_MIN);
	for (int i = 0; i < s->products.n; i++) {
		const struct api_acc_product *p = &s->products.p[i];
		char m[64], line[320];
		account_money(a, p->balance, p->currency, m, sizeof(m));
		snprintf(line, sizeof(line), "%s · %s%s%s", p->line, word_of ? word_of(p) : "", word_of ? " · " : "", m);
		int h = ui_chip_height(ui, cw, line);
		if (h > ch)
			ch = h;
	}
	int pager_h = account_pager_h(a, w) + gap;
	int rows = (bottom - y + gap) / (ch + gap);
	int per = rows * cols;
	if (per < s->products.n) { /* paged: room for the pager under them */
		rows = (bottom - y - pager_h + gap) / (ch + gap);
		per = rows * cols;
	}
	if (per < 1)
		per = 1;
	int first = s->page * per;
	if (first >= s->products.n)
		first = s->page = 0;
	int used = 0;
	for (int i = first; i < s->products.n && i < first + per; i++) {
		const struct api_acc_product *p = &s->products.p[i];
		char m[64], line[320];
		account_money(a, p->balance, p->currency, m, sizeof(m));
		snprintf(line, sizeof(line), "%s · %s%s%s", p->line, word_of ? word_of(p) : "", word_of ? " · " : "", m);
		int k = i - first;
		struct ui_rect r = {x + (k % cols) * (cw + gap), y + (k / cols) * (ch + gap), cw, ch};
		ui_chip(ui, r, p->id, line, i == s->product, (struct ui_action){AA_PRODUCT, i});
		used = r.y + r.h - y;
	}
	if (per < s->products.n)
		used += gap + account_pager(a, x, y + used + gap, w, first, per, s->products.n);
	return used;
}

/* "1–3 de 36" between the buttons when their words fit a third each; else the buttons take
 * the row, their words wrapped if they must (large text), as the portfolio's pager does. */
static int pager_layout(struct app *a, int w, int *bw, int *bh)
{
	struct ui *ui = &a->ui;
	int gap = ui_px(ui, SP_M), third = (w - 2 * gap) / 3;
	int shown = screen_button_w(ui, tr(STR_PF_PREV), 0) <= third && screen_button_w(ui, tr(STR_PF_NEXT), 0) <= third;
	*bw = shown ? third : (w - gap) / 2;
	int h1 = screen_button_h(ui, tr(STR_PF_PREV), *bw, ui_tpx(ui, TOUCH_MIN));
	int h2 = screen_button_h(ui, tr(STR_PF_NEXT), *bw, ui_tpx(ui, TOUCH_MIN));
	*bh = h1 > h2 ? h1 : h2;
	return shown;
}

int account_pager_h(struct app *a, int w)
{
	int bw, bh;
	pager_layout(a, w, &bw, &bh);
	return bh;
}

int account_pager(struct app *a, int x, int y, int w, int first, int per, int n)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int bw, bh, shown = pager_layout(a, w, &bw, &bh);
	int last = first + per < n ? first + per : n;
	char where[64];
	snprintf(where, sizeof(where), tr(STR_PF_PAGE), n ? first + 1 : 0, last, n);
	ui_button(ui, (struct ui_rect){x, y, bw, bh}, tr(STR_PF_PREV), UI_SECONDARY, (struct ui_action){AA_PAGE, -1},
		  first > 0 && !s->job);
	if (shown)
		ui_label_fit(ui, x + w / 2, y + (bh - ui_line_h(ui, FONT_SMALL)) / 2, bw, FONT_SMALL, 0, THEME_MUTED,
			     UI_CENTER, where);
	ui_button(ui, (struct ui_rect){x + w - bw, y, bw, bh}, tr(STR_PF_NEXT), UI_SECONDARY, (struct ui_action){AA_PAGE, 1},
		  last < n && !s->job);
	return bh;
}

const char *account_print_words(const struct act_event *e)
{
	return tr(printer_words(&e->print->status, e->print->rc).job);
}
