/* What the customer journey says (docs/accessibility.md): each screen on entry (what it is,
 * what to do) and the focused control. Amounts are said as money in words and IDs digit by
 * digit, masked as on screen (core/speech_words.h). `personal` is 0 when the sound goes to a
 * loudspeaker: then no name, amount, ID or document number is said, only what the screen is
 * and what to do. */
#include "speak_customer.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "speech_words.h"

/* Appends a formatted sentence to out (a space between sentences). */
static void add(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(char *out, size_t n, const char *fmt, ...)
{
	size_t len = strlen(out);
	if (len + 2 >= n)
		return;
	if (len > 0)
		out[len++] = ' ', out[len] = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out + len, n - len, fmt, ap);
	va_end(ap);
}

static int english(const struct flow *f) { return f->lang == LANG_EN; }

static void money_words(const struct flow *f, char *buf, size_t n, int64_t minor, enum currency cur)
{
	speech_money(buf, n, minor, cur, english(f));
}

/* "15 de noviembre de 2026" */
static void date_words(char *buf, size_t n, int32_t yyyymmdd)
{
	int y = yyyymmdd / 10000, m = yyyymmdd / 100 % 100, d = yyyymmdd % 100;
	if (m < 1 || m > 12) {
		snprintf(buf, n, "%d", yyyymmdd);
		return;
	}
	snprintf(buf, n, tr(STR_SAY_DATE), d, tr((enum str_id)(STR_SAY_MONTH_1 + m - 1)), y);
}

/* The name as on screen ("María F*****"), without the mask's asterisks. */
static void shown_name(const char *masked, char *buf, size_t n)
{
	size_t j = 0;
	for (const char *p = masked; *p && j + 1 < n; p++)
		if (*p != '*')
			buf[j++] = *p;
	while (j > 0 && buf[j - 1] == ' ')
		j--;
	buf[j] = 0;
}

static int overdue_count(const struct flow *f)
{
	int k = 0;
	for (int i = 0; i < f->ndocs; i++)
		k += flow_doc_overdue(f, i);
	return k;
}

void speak_customer_screen(struct app *a, int personal, char *out, size_t n)
{
	const struct flow *f = &a->flow;
	char w[256], w2[256];
	out[0] = 0;
	if (f->countdown) {
		add(out, n, tr(STR_SAY_IDLE), flow_countdown_left(f));
		return;
	}
	if (f->confirm_exit) {
		add(out, n, "%s %s", tr(STR_EXIT_TITLE), tr(STR_EXIT_BODY));
		return;
	}
	switch (f->screen) {
	case SCR_ATTRACT:
		add(out, n, "%s", tr(STR_SAY_ATTRACT));
		break;
	case SCR_ID_ENTRY:
		add(out, n, tr(STR_SAY_ID), tr(screen_id_type_str(f->id_type)));
		if (f->id_len > 0)
			add(out, n, tr(STR_SAY_TYPED), f->id_len);
		break;
	case SCR_PORTFOLIO:
		if (personal && f->has_pf) {
			char name[96], idm[32];
			name_mask(w2, sizeof(w2), f->pf.name);
			shown_name(w2, name, sizeof(name));
			add(out, n, tr(STR_SAY_HELLO), name);
			id_mask(idm, sizeof(idm), f->pf.id_number); /* "••••4050", as on screen */
			speech_digits(w2, sizeof(w2), idm, english(f));
			add(out, n, "%s %s.", tr(screen_id_type_str(f->pf.id_type)), w2);
		}
		if (f->ndocs == 0) {
			add(out, n, "%s", tr(STR_SAY_EMPTY));
			break;
		}
		add(out, n, tr(STR_SAY_PORTFOLIO), f->ndocs, overdue_count(f));
		add(out, n, tr(STR_SAY_SUMMARY), flow_selected_count(f), f->ndocs);
		if (personal && flow_selected_count(f) > 0) {
			money_words(f, w, sizeof(w), flow_total_cop(f), CUR_COP);
			add(out, n, tr(STR_SAY_TOTAL), w);
		}
		break;
	case SCR_AMOUNT:
		if (f->edit_doc >= 0 && f->edit_doc < f->ndocs) {
			const struct document *d = &f->pf.docs[f->edit_doc];
			add(out, n, tr(STR_SAY_AMOUNT), d->line);
			if (personal) {
				money_words(f, w, sizeof(w), d->min_partial, d->cur);
				money_words(f, w2, sizeof(w2), d->balance, d->cur);
				add(out, n, tr(STR_SAY_AMOUNT_RANGE), w, w2);
			}
		}
		break;
	case SCR_COUPON:
		w2[0] = 0;
		if (personal) {
			money_words(f, w, sizeof(w), f->coupon.amount.minor, f->coupon.amount.cur);
			snprintf(w2, sizeof(w2), tr(STR_SAY_COUPON_TOTAL), w);
		}
		add(out, n, tr(STR_SAY_COUPON), w2);
		if (personal) { /* the reference, digit by digit, to pay at a bank or write down */
			speech_digits(w, sizeof(w), f->coupon.reference, english(f));
			add(out, n, tr(STR_SAY_REFERENCE), w);
		}
		break;
	case SCR_DONE:
		add(out, n, "%s", tr(STR_SAY_DONE));
		break;
	default:
		break;
	}
	/* the banner on screen (an error, a hint), when it names nothing personal */
	if (f->msg && (personal || !f->msg_arg[0])) {
		flow_message(f, w, sizeof(w));
		add(out, n, "%s", w);
	}
}

/* A document row: "Documento 1 de 3, Seguro de vida, vencido, a pagar ciento ochenta y
 * cinco mil cuatrocientos pesos, seleccionado". */
static void say_doc(struct app *a, int i, int personal, char *out, size_t n)
{
	const struct flow *f = &a->flow;
	const struct document *d = &f->pf.docs[i];
	char w[256], when[64];
	int row = 0, total = flow_visible_count(f);
	for (int r = 0; r < total; r++)
		if (flow_visible_index(f, r) == i)
			row = r + 1;
	add(out, n, tr(STR_SAY_DOC_OF), row, total);
	add(out, n, "%s,", d->line);
	if (flow_doc_overdue(f, i)) {
		add(out, n, "%s,", tr(STR_SAY_OVERDUE));
	} else {
		date_words(when, sizeof(when), d->due);
		snprintf(w, sizeof(w), tr(STR_SAY_DUE), when);
		add(out, n, "%s,", w);
	}
	if (personal) {
		char money[200];
		money_words(f, money, sizeof(money), f->docs[i].pay, d->cur);
		snprintf(w, sizeof(w), tr(STR_SAY_TO_PAY), money);
		add(out, n, "%s,", w);
	}
	add(out, n, "%s.", tr(f->docs[i].selected ? STR_SAY_SELECTED : STR_SAY_NOT_SELECTED));
}

void speak_customer_focus(struct app *a, const struct ui_hit *h, int personal, char *out, size_t n)
{
	const struct flow *f = &a->flow;
	out[0] = 0;
	int ev = h->act.action - UI_ACT_USER;
	if (h->act.action > UI_ACT_USER && ev == FEV_TOGGLE_DOC && h->act.arg >= 0 && h->act.arg < f->ndocs) {
		say_doc(a, h->act.arg, personal, out, n);
		return;
	}
	if (h->act.action > UI_ACT_USER && ev == FEV_EDIT_AMOUNT && h->act.arg >= 0 && h->act.arg < f->ndocs) {
		add(out, n, "%s, %s:", h->label, tr(STR_SAY_BUTTON));
		add(out, n, "%s.", f->pf.docs[h->act.arg].line); /* which document's amount */
		return;
	}
	if (h->act.action > UI_ACT_USER && ev == FEV_TAB) {
		add(out, n, "%s, %s.", h->label, tr(f->tab == (enum currency)h->act.arg ? STR_SAY_SELECTED : STR_SAY_NOT_SELECTED));
		return;
	}
	if (h->act.action == UI_ACT_BACKSPACE) {
		add(out, n, "%s", tr(STR_SAY_KEY_BACK));
		return;
	}
	if (h->act.action == UI_ACT_CHAR) { /* a key of the on-screen keypad: its digit */
		char w[64], c[2] = {(char)h->act.arg, 0};
		speech_digits(w, sizeof(w), c, english(f));
		add(out, n, "%s", w);
		return;
	}
	if (h->act.action > UI_ACT_USER && ev == FEV_ID_TYPE) {
		add(out, n, "%s, %s.", tr(screen_id_type_str((enum id_type)h->act.arg)),
		    tr(f->id_type == (enum id_type)h->act.arg ? STR_SAY_SELECTED : STR_SAY_NOT_SELECTED));
		return;
	}
	add(out, n, "%s, %s", h->label, tr(STR_SAY_BUTTON));
	if (h->disabled)
		add(out, n, "%s", tr(STR_SAY_DISABLED));
}
