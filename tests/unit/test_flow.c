/* Unit tests for app/flow.c: the customer journey as a pure state machine, driven with fake
 * side effects (lookup, TRM, issue, print) that return canned data, record their calls and
 * can be told to fail. The clock is fixed: 2026-11-22 10:00 -05:00.
 *
 * Expected money values are worked out by hand in the comments, not with money.c, so a
 * conversion bug shows up here too. */
#include "check.h"
#include "coupon.h"
#include "flow.h"
#include "money_limits.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOW0 INT64_C(1795359600000) /* 2026-11-22 10:00 -05:00 */
#define TODAY 20261122

static const char key_text[] = "kiosk-0007-test-key";
#define KEY ((const uint8_t *)key_text)
#define KEYLEN (sizeof key_text - 1)
static const char other_key_text[] = "kiosk-0008-test-key";

/* ---- fakes ---- */

struct fake {
	/* lookup */
	int lookup_rc; /* 0 found, 1 unknown, <0 error */
	int lookup_calls;
	int lookup_online;      /* the fake's answer says it came from the central API */
	int hold_lookup;        /* 1: keep the answer until the test delivers it */
	int64_t data_age_s;     /* age of the answered data (0: one hour) */
	int pending;            /* a lookup was started and not answered yet */
	uint64_t pending_req;
	struct flow_offline offline; /* what fake_offline reports */
	int reprint_calls, reprint_rc;
	int alerts;             /* inactivity warnings the flow raised (fx->alert) */
	uint64_t reprint_seq;
	enum id_type lookup_type;
	char lookup_number[24];
	const struct document *tmpl;
	int ntmpl;
	/* trm_for_date */
	int trm_rc;
	struct trm trm;
	int trm_calls;
	int32_t trm_date;
	/* issue */
	int issue_rc;
	int issue_calls;
	struct coupon_request req;
	char req_kind[16];
	uint64_t next_seq;
	struct coupon issued;
	/* print */
	int print_rc;
	int print_calls;
	enum screen_id print_screen;
	char print_ref[COUPON_REF_MAX];
	int print_nlines;
	/* order of calls: L lookup, T trm, I issue, P print */
	char log[64];
	int nlog;
};

static void note(struct fake *k, char c)
{
	if (k->nlog < (int)sizeof k->log - 1)
		k->log[k->nlog++] = c;
}

/* What the lookup worker would answer (called by deliver_lookup, not by the flow). */
static int fake_answer(struct fake *k, enum id_type t, const char *number, struct portfolio *out)
{
	memset(out, 0, sizeof *out);
	if (k->lookup_rc != 0)
		return k->lookup_rc;
	out->id_type = t;
	snprintf(out->id_number, sizeof out->id_number, "%s", number);
	snprintf(out->name, sizeof out->name, "María Fernanda Núñez");
	out->data_as_of = NOW0 / 1000 - (k->data_age_s ? k->data_age_s : 3600);
	if (k->ntmpl > 0) {
		out->docs = malloc(sizeof(*out->docs) * (size_t)k->ntmpl);
		if (!out->docs)
			return -1;
		memcpy(out->docs, k->tmpl, sizeof(*out->docs) * (size_t)k->ntmpl);
	}
	out->ndocs = k->ntmpl;
	return 0;
}

static void fake_lookup_start(void *ctx, uint64_t req, enum id_type t, const char *number)
{
	struct fake *k = ctx;
	note(k, 'L');
	k->lookup_calls++;
	k->lookup_type = t;
	snprintf(k->lookup_number, sizeof k->lookup_number, "%s", number);
	k->pending = 1;
	k->pending_req = req;
}

static void fake_offline(void *ctx, struct flow_offline *out)
{
	struct fake *k = ctx;
	*out = k->offline;
}

static int fake_trm(void *ctx, int32_t date, struct trm *out)
{
	struct fake *k = ctx;
	note(k, 'T');
	k->trm_calls++;
	k->trm_date = date;
	if (k->trm_rc != 0)
		return k->trm_rc;
	*out = k->trm;
	return 0;
}

static int fake_issue(void *ctx, const struct coupon_request *req, struct coupon *out)
{
	struct fake *k = ctx;
	note(k, 'I');
	k->issue_calls++;
	k->req = *req;
	snprintf(k->req_kind, sizeof k->req_kind, "%s", req->kind ? req->kind : "(null)");
	if (k->issue_rc != 0)
		return k->issue_rc;
	struct coupon c;
	memset(&c, 0, sizeof c);
	c.kiosk_id = req->kiosk_id;
	c.seq = k->next_seq++;
	if (reference_build(c.reference, sizeof c.reference, req->kiosk_id, c.seq, req->ref_length) != 0)
		return -1;
	int64_t total = 0;
	for (int i = 0; i < req->nlines; i++)
		total += req->lines[i].cop_minor;
	c.amount = (struct money){total, CUR_COP};
	c.due = req->due;
	c.issued_at = req->now;
	c.has_trm = req->has_trm;
	c.trm = req->trm;
	k->issued = c;
	*out = c;
	return 0;
}

static int fake_print(void *ctx, const struct flow *f)
{
	struct fake *k = ctx;
	note(k, 'P');
	k->print_calls++;
	k->print_screen = f->screen;
	snprintf(k->print_ref, sizeof k->print_ref, "%s", f->coupon.reference);
	k->print_nlines = f->nlines;
	return k->print_rc;
}

static int fake_reprint(void *ctx, uint64_t seq)
{
	struct fake *k = ctx;
	note(k, 'R');
	k->reprint_calls++;
	k->reprint_seq = seq;
	return k->reprint_rc;
}

static void fake_alert(void *ctx)
{
	struct fake *k = ctx;
	note(k, 'A');
	k->alerts++;
}

static const struct flow_fx fx = {fake_lookup_start, fake_trm, fake_issue, fake_print, fake_reprint, fake_offline,
				  fake_alert};

/* The worker's answer to the pending lookup, delivered as the app would. */
static void deliver_lookup(struct flow *f, uint64_t req)
{
	struct fake *k = f->ctx;
	struct flow_lookup r;
	memset(&r, 0, sizeof r);
	r.rc = fake_answer(k, k->lookup_type, k->lookup_number, &r.pf);
	r.online = k->lookup_online;
	k->pending = 0;
	struct flow_event ev = {.type = FEV_LOOKUP_DONE, .arg = r.rc, .now_ms = f->now_ms, .id = req, .data = &r};
	flow_handle(f, &ev);
	portfolio_free(&r.pf); /* no-op when the flow took it */
}

/* Portfolio used by most tests (minor units: centavos / cents). */
enum { D_POL, D_USD, D_CR };
static const struct document mixed_docs[] = {
	/* COP 1.500.000, partial from 200.000, overdue (due before today) */
	[D_POL] = {"POL-1", "Seguro de cumplimiento", "Póliza 1", 20261115, CUR_COP, 150000000,
		   150000000, 1, 20000000},
	/* USD 101.00, partial from 50.00 */
	[D_USD] = {"USD-9", "Crédito vehículo", "Crédito en dólares", 20261130, CUR_USD, 10100, 10100,
		   1, 5000},
	/* COP 80.000,50, full payment only */
	[D_CR] = {"CR-2", "Crédito libre", "Crédito 2", 20261201, CUR_COP, 9000000, 8000050, 0, 0},
};
static const struct document cop_docs[] = {
	{"C-1", "Seguro", "Póliza", 20261201, CUR_COP, 5000000, 5000000, 0, 0},
};
static const struct document usd_docs[] = {
	{"U-1", "Crédito", "USD", 20261201, CUR_USD, 20000, 20000, 0, 0},
};

/* TRM 4.000,50 COP/USD, Friday 20 to Tuesday 24 Nov 2026. */
static const struct trm test_trm = {400050, 20261120, 20261124};

static int64_t clock_ms;

static void fake_reset(struct fake *k, const struct document *docs, int n)
{
	memset(k, 0, sizeof *k);
	k->tmpl = docs;
	k->ntmpl = n;
	k->trm = test_trm;
	k->next_seq = 42;
}

static struct flow_config test_cfg(void)
{
	struct flow_config c;
	memset(&c, 0, sizeof c);
	c.inactivity_ms = 60000;
	c.countdown_ms = 15000;
	c.done_ms = 8000;
	c.printed_ms = 20000;
	c.kiosk_id = 7;
	c.ref_length = 15;
	c.coupon_days = 10;
	c.qr_key = KEY;
	c.qr_key_len = KEYLEN;
	snprintf(c.merchant.gui, sizeof c.merchant.gui, "CO.COM.BREB");
	snprintf(c.merchant.merchant_id, sizeof c.merchant.merchant_id, "0012345678");
	snprintf(c.merchant.mcc, sizeof c.merchant.mcc, "4900");
	snprintf(c.merchant.name, sizeof c.merchant.name, "Acueducto de Bogota");
	snprintf(c.merchant.city, sizeof c.merchant.city, "Bogota D.C.");
	snprintf(c.terminal, sizeof c.terminal, "K0007");
	return c;
}

static void init(struct flow *f, struct fake *k)
{
	struct flow_config c = test_cfg();
	clock_ms = NOW0;
	flow_init(f, &c, &fx, k, clock_ms);
}

static void send_at(struct flow *f, enum flow_ev_type t, int arg, int64_t at)
{
	clock_ms = at;
	struct flow_event ev = {.type = t, .arg = arg, .now_ms = at};
	flow_handle(f, &ev);
	struct fake *k = f->ctx;
	if (k->pending && !k->hold_lookup)
		deliver_lookup(f, k->pending_req);
}

static void send(struct flow *f, enum flow_ev_type t, int arg) { send_at(f, t, arg, clock_ms); }

static void tick(struct flow *f, int64_t at) { send_at(f, FEV_TICK, 0, at); }

static void type(struct flow *f, const char *s)
{
	for (; *s; s++)
		send(f, FEV_KEY_CHAR, (unsigned char)*s);
}

/* attract -> CC 12345678 -> portfolio */
static void to_portfolio(struct flow *f, struct fake *k, const struct document *docs, int n)
{
	fake_reset(k, docs, n);
	init(f, k);
	send(f, FEV_START, 0);
	type(f, "12345678");
	send(f, FEV_SUBMIT, 0);
}

static int nonzero_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	int c = 0;
	for (size_t i = 0; i < n; i++)
		c += b[i] != 0;
	return c;
}

static void check_wiped(const struct flow *f)
{
	CHECK_INT(f->screen, SCR_ATTRACT);
	CHECK_INT(nonzero_bytes(f->id, sizeof f->id), 0);
	CHECK_INT(f->id_len, 0);
	CHECK_INT(f->has_pf, 0);
	CHECK(f->docs == NULL);
	CHECK(f->pf.docs == NULL);
	CHECK_INT(f->ndocs, 0);
	CHECK_INT(nonzero_bytes(f->pf.name, sizeof f->pf.name), 0);
	CHECK_INT(nonzero_bytes(f->pf.id_number, sizeof f->pf.id_number), 0);
	CHECK_INT(nonzero_bytes(f->coupon_qr, sizeof f->coupon_qr), 0);
	CHECK_INT(f->lang, LANG_ES);
	CHECK_INT(f->countdown, 0);
	CHECK_INT(f->id_type, ID_CC);
}

/* ---- tests ---- */

static void test_attract_to_id(void)
{
	struct flow f;
	struct fake k;
	fake_reset(&k, mixed_docs, 3);
	init(&f, &k);
	CHECK_INT(f.screen, SCR_ATTRACT);
	CHECK_STR(screen_name(f.screen), "attract");
	CHECK_INT(flow_today(&f), TODAY);
	CHECK(flow_next_deadline(&f) == INT64_MAX);
	/* nothing happens on attract by itself, however long it waits */
	tick(&f, NOW0 + 3600 * 1000);
	CHECK_INT(f.screen, SCR_ATTRACT);
	/* a character alone does not start (the app sends START first) */
	send(&f, FEV_KEY_CHAR, '1');
	CHECK_INT(f.screen, SCR_ATTRACT);
	CHECK_INT(f.id_len, 0);
	send(&f, FEV_START, 0);
	CHECK_INT(f.screen, SCR_ID_ENTRY);
	CHECK_STR(screen_name(f.screen), "id-entry");
	CHECK_INT(f.id_len, 0);
	flow_free(&f);

	/* typed character on attract: START then the character */
	init(&f, &k);
	send(&f, FEV_START, 0);
	send(&f, FEV_KEY_CHAR, '7');
	CHECK_INT(f.screen, SCR_ID_ENTRY);
	CHECK_STR(f.id, "7");
	CHECK_INT(f.id_len, 1);
	CHECK_INT(k.lookup_calls, 0);
	flow_free(&f);
}

static void test_id_entry(void)
{
	struct flow f;
	struct fake k;
	fake_reset(&k, mixed_docs, 3);
	init(&f, &k);
	send(&f, FEV_START, 0);
	CHECK_INT(f.id_type, ID_CC);

	/* the same type again keeps the input; another type clears it */
	type(&f, "1234");
	send(&f, FEV_ID_TYPE, ID_CC);
	CHECK_STR(f.id, "1234");
	send(&f, FEV_ID_TYPE, ID_CE);
	CHECK_INT(f.id_type, ID_CE);
	CHECK_INT(f.id_len, 0);
	CHECK_INT(nonzero_bytes(f.id, sizeof f.id), 0);
	/* an out-of-range type is ignored */
	type(&f, "55");
	send(&f, FEV_ID_TYPE, ID_TYPE_COUNT);
	CHECK_INT(f.id_type, ID_CE);
	CHECK_STR(f.id, "55");
	send(&f, FEV_ID_TYPE, ID_CC);

	/* CC: at most 10 digits */
	type(&f, "1234567890");
	CHECK_INT(f.id_len, 10);
	CHECK_INT(f.msg, 0);
	send(&f, FEV_KEY_CHAR, '1');
	CHECK_INT(f.msg, STR_ERR_ID_LONG);
	CHECK(!flow_message_is_reason(&f)); /* an error stays one */
	CHECK_STR(f.id, "1234567890");
	CHECK_INT(f.id_len, 10);
	/* the next input clears the banner */
	send(&f, FEV_KEY_BACK, 0);
	CHECK_INT(f.msg, 0);
	CHECK_STR(f.id, "123456789");
	send(&f, FEV_KEY_CLEAR, 0);
	CHECK_INT(f.id_len, 0);
	CHECK_STR(f.id, "");

	/* CC: digits only */
	type(&f, "12");
	send(&f, FEV_KEY_CHAR, 'A');
	CHECK_INT(f.msg, STR_ERR_ID_DIGITS);
	CHECK_STR(f.id, "12");
	send(&f, FEV_KEY_CHAR, '-');
	CHECK_INT(f.msg, STR_ERR_ID_DIGITS);
	CHECK_STR(f.id, "12");
	/* too short on submit: no lookup */
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.msg, STR_ERR_ID_SHORT);
	CHECK_INT(k.lookup_calls, 0);
	send(&f, FEV_KEY_CLEAR, 0);
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.msg, STR_ERR_ID_EMPTY);
	CHECK_INT(k.lookup_calls, 0);

	/* passport: letters allowed, upper-cased */
	send(&f, FEV_ID_TYPE, ID_PA);
	type(&f, "ab12");
	CHECK_STR(f.id, "AB12");
	send(&f, FEV_KEY_CHAR, '*');
	CHECK_INT(f.msg, STR_ERR_ID_CHARS_PA);
	CHECK_STR(f.id, "AB12");
	CHECK_INT(f.screen, SCR_ID_ENTRY);
	flow_free(&f);
}

static void test_nit(void)
{
	struct flow f;
	struct fake k;
	fake_reset(&k, mixed_docs, 3);
	init(&f, &k);
	send(&f, FEV_START, 0);
	send(&f, FEV_ID_TYPE, ID_NIT);

	/* live DV once the base is long enough */
	type(&f, "9001234");
	CHECK_INT(flow_nit_dv(&f), -1);
	/* '-' before the base is complete */
	send(&f, FEV_KEY_CHAR, '-');
	CHECK_INT(f.msg, STR_ERR_ID_SHORT);
	CHECK_INT(f.dv_mode, 0);
	type(&f, "56");
	CHECK_STR(f.id, "900123456");
	CHECK_INT(flow_nit_dv(&f), 8);
	send(&f, FEV_KEY_CLEAR, 0);
	type(&f, "800197268");
	CHECK_INT(flow_nit_dv(&f), 4);
	/* not a NIT: no DV */
	send(&f, FEV_ID_TYPE, ID_CC);
	type(&f, "800197268");
	CHECK_INT(flow_nit_dv(&f), -1);
	send(&f, FEV_ID_TYPE, ID_NIT);
	CHECK_INT(flow_nit_dv(&f), -1);

	/* '-' then a digit types the DV, not the base */
	type(&f, "900123456-7");
	CHECK_STR(f.id, "900123456");
	CHECK_INT(f.dv_mode, 1);
	CHECK_INT(f.dv_typed, 7);
	/* one digit only */
	send(&f, FEV_KEY_CHAR, '9');
	CHECK_INT(f.msg, STR_ERR_DV_ONE_DIGIT);
	CHECK_INT(f.dv_typed, 7);
	CHECK_STR(f.id, "900123456");
	/* wrong DV: friendly error, no lookup */
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.msg, STR_ERR_DV);
	CHECK_INT(k.lookup_calls, 0);
	CHECK_INT(f.screen, SCR_ID_ENTRY);
	/* backspace removes the DV first, then leaves DV mode, then eats the base */
	send(&f, FEV_KEY_BACK, 0);
	CHECK_INT(f.dv_typed, -1);
	CHECK_INT(f.dv_mode, 1);
	send(&f, FEV_KEY_CHAR, '8');
	CHECK_INT(f.dv_typed, 8);
	CHECK_STR(f.id, "900123456");
	/* correct DV: lookup with the base only */
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(k.lookup_calls, 1);
	CHECK_INT(k.lookup_type, ID_NIT);
	CHECK_STR(k.lookup_number, "900123456");
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	flow_free(&f);

	/* a changed type drops the DV state too */
	init(&f, &k);
	send(&f, FEV_START, 0);
	send(&f, FEV_ID_TYPE, ID_NIT);
	type(&f, "800197268-4");
	CHECK_INT(f.dv_typed, 4);
	send(&f, FEV_ID_TYPE, ID_CC);
	CHECK_INT(f.dv_typed, -1);
	CHECK_INT(f.dv_mode, 0);
	CHECK_INT(f.id_len, 0);
	flow_free(&f);
}

static void test_lookup_results(void)
{
	struct flow f;
	struct fake k;

	/* unknown customer */
	fake_reset(&k, mixed_docs, 3);
	k.lookup_rc = 1;
	init(&f, &k);
	send(&f, FEV_START, 0);
	type(&f, "12345678");
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(k.lookup_calls, 1);
	CHECK_INT(k.lookup_type, ID_CC);
	CHECK_STR(k.lookup_number, "12345678");
	CHECK_INT(f.msg, STR_ERR_UNKNOWN_ID);
	CHECK_INT(f.screen, SCR_ID_ENTRY);
	CHECK_INT(f.has_pf, 0);
	CHECK_STR(f.id, "12345678");
	/* lookup error */
	k.lookup_rc = -1;
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(k.lookup_calls, 2);
	CHECK_INT(f.msg, STR_ERR_LOOKUP);
	CHECK_INT(f.screen, SCR_ID_ENTRY);
	CHECK_INT(f.has_pf, 0);
	CHECK_INT(k.trm_calls, 0);
	/* then found */
	k.lookup_rc = 0;
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(f.msg, 0);
	CHECK_INT(f.has_pf, 1);
	CHECK_INT(f.ndocs, 3);
	CHECK_INT(k.trm_calls, 1);
	CHECK_INT(k.trm_date, TODAY);
	CHECK_INT(f.trm_ok, 1);
	/* every document starts unselected, to pay its full balance */
	CHECK_INT(flow_selected_count(&f), 0);
	CHECK(f.docs[D_POL].pay == 150000000);
	CHECK(f.docs[D_USD].pay == 10100);
	CHECK(f.docs[D_CR].pay == 8000050);
	CHECK_INT(flow_doc_overdue(&f, D_POL), 1);
	CHECK_INT(flow_doc_overdue(&f, D_USD), 0);
	flow_free(&f);

	/* empty portfolio */
	to_portfolio(&f, &k, NULL, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(f.has_pf, 1);
	CHECK_INT(f.ndocs, 0);
	CHECK_INT(f.pf.ndocs, 0);
	CHECK_INT(flow_visible_count(&f), 0);
	CHECK_INT(flow_visible_index(&f, 0), -1);
	CHECK(flow_total_cop(&f) == 0);
	send(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(f.msg, STR_ERR_NONE_SELECTED);
	CHECK_INT(k.issue_calls, 0);
	flow_free(&f);
}

static void test_tabs(void)
{
	struct flow f;
	struct fake k;

	to_portfolio(&f, &k, mixed_docs, 3);
	CHECK_INT(f.has_cop, 1);
	CHECK_INT(f.has_usd, 1);
	CHECK_INT(f.tab, CUR_COP);
	CHECK_INT(flow_visible_count(&f), 2);
	CHECK_INT(flow_visible_index(&f, 0), D_POL);
	CHECK_INT(flow_visible_index(&f, 1), D_CR);
	CHECK_INT(flow_visible_index(&f, 2), -1);
	send(&f, FEV_TAB, CUR_USD);
	CHECK_INT(f.tab, CUR_USD);
	CHECK_INT(flow_visible_count(&f), 1);
	CHECK_INT(flow_visible_index(&f, 0), D_USD);
	send(&f, FEV_TAB, 978); /* EUR: not a tab */
	CHECK_INT(f.tab, CUR_USD);
	send(&f, FEV_TAB, CUR_COP);
	CHECK_INT(f.tab, CUR_COP);
	/* scrolling stays within the tab */
	send(&f, FEV_SCROLL, 5);
	CHECK_INT(f.first_row, 1);
	send(&f, FEV_SCROLL, -9);
	CHECK_INT(f.first_row, 0);
	flow_free(&f);

	/* COP only: the USD tab does not exist */
	to_portfolio(&f, &k, cop_docs, 1);
	CHECK_INT(f.has_cop, 1);
	CHECK_INT(f.has_usd, 0);
	send(&f, FEV_TAB, CUR_USD);
	CHECK_INT(f.tab, CUR_COP);
	CHECK_INT(flow_visible_count(&f), 1);
	flow_free(&f);

	/* USD only: opens on USD, and COP is not a tab */
	to_portfolio(&f, &k, usd_docs, 1);
	CHECK_INT(f.has_cop, 0);
	CHECK_INT(f.has_usd, 1);
	CHECK_INT(f.tab, CUR_USD);
	send(&f, FEV_TAB, CUR_COP);
	CHECK_INT(f.tab, CUR_USD);
	CHECK_INT(flow_visible_count(&f), 1);
	flow_free(&f);
}

static void test_no_trm(void)
{
	struct flow f;
	struct fake k;
	fake_reset(&k, mixed_docs, 3);
	k.trm_rc = 1;
	init(&f, &k);
	send(&f, FEV_START, 0);
	type(&f, "12345678");
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(f.trm_ok, 0);
	send(&f, FEV_TOGGLE_DOC, D_USD);
	CHECK_INT(f.msg, STR_ERR_NO_TRM);
	CHECK_INT(f.docs[D_USD].selected, 0);
	send(&f, FEV_EDIT_AMOUNT, D_USD);
	CHECK_INT(f.msg, STR_ERR_NO_TRM);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK(flow_doc_cop(&f, D_USD) == 0);
	/* COP documents are still payable */
	send(&f, FEV_TOGGLE_DOC, D_POL);
	CHECK_INT(f.msg, 0);
	CHECK_INT(f.docs[D_POL].selected, 1);
	CHECK(flow_total_cop(&f) == 150000000);
	flow_free(&f);
}

static void test_selection_totals(void)
{
	struct flow f;
	struct fake k;
	to_portfolio(&f, &k, mixed_docs, 3);
	CHECK(flow_total_cop(&f) == 0);
	send(&f, FEV_TOGGLE_DOC, D_POL);
	CHECK_INT(f.docs[D_POL].selected, 1);
	CHECK_INT(flow_selected_count(&f), 1);
	CHECK(flow_total_cop(&f) == 150000000);
	/* USD 101.00 at 4.000,50 = 404.050,50 -> half-up 404.051 pesos
	 * (truncation or half-even would give 404.050) */
	send(&f, FEV_TOGGLE_DOC, D_USD);
	CHECK_INT(f.docs[D_USD].selected, 1);
	CHECK(flow_doc_cop(&f, D_USD) == 40405100);
	CHECK(flow_total_cop(&f) == 150000000 + 40405100);
	/* the COP document keeps its centavos: 80.000,50 */
	send(&f, FEV_TOGGLE_DOC, D_CR);
	CHECK_INT(flow_selected_count(&f), 3);
	CHECK(flow_total_cop(&f) == 150000000 + 40405100 + 8000050);
	/* toggling again deselects */
	send(&f, FEV_TOGGLE_DOC, D_POL);
	CHECK_INT(f.docs[D_POL].selected, 0);
	CHECK_INT(flow_selected_count(&f), 2);
	CHECK(flow_total_cop(&f) == 40405100 + 8000050);
	/* out-of-range indexes are ignored */
	send(&f, FEV_TOGGLE_DOC, 3);
	send(&f, FEV_TOGGLE_DOC, -1);
	CHECK_INT(flow_selected_count(&f), 2);
	flow_free(&f);
}

static void test_partial(void)
{
	struct flow f;
	struct fake k;
	to_portfolio(&f, &k, mixed_docs, 3);

	send(&f, FEV_EDIT_AMOUNT, D_CR);
	CHECK_INT(f.msg, STR_ERR_NOT_PARTIAL);
	CHECK_INT(f.screen, SCR_PORTFOLIO);

	send(&f, FEV_EDIT_AMOUNT, D_POL);
	CHECK_INT(f.screen, SCR_AMOUNT);
	CHECK_STR(screen_name(f.screen), "amount");
	CHECK_INT(f.edit_doc, D_POL);
	CHECK_INT(f.amount_len, 0);
	/* letters refused; a leading zero is ignored */
	send(&f, FEV_KEY_CHAR, 'x');
	CHECK_INT(f.msg, STR_ERR_AMOUNT_DIGITS);
	CHECK_INT(f.amount_len, 0);
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.msg, STR_ERR_AMOUNT_EMPTY);
	/* below the minimum (200.000) */
	type(&f, "0199999");
	CHECK_STR(f.amount, "199999");
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.msg, STR_ERR_AMOUNT_BELOW);
	CHECK_INT(f.screen, SCR_AMOUNT);
	CHECK(f.docs[D_POL].pay == 150000000);
	CHECK_INT(f.docs[D_POL].selected, 0);
	/* above the balance (1.500.000): the digit that would pass it is refused, and says so */
	send(&f, FEV_KEY_CLEAR, 0);
	type(&f, "1500001");
	CHECK_INT(f.msg, STR_ERR_AMOUNT_ABOVE);
	CHECK_STR(f.amount, "150000");
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.msg, STR_ERR_AMOUNT_BELOW);
	CHECK_INT(f.screen, SCR_AMOUNT);
	CHECK(f.docs[D_POL].pay == 150000000);
	/* exactly the minimum */
	send(&f, FEV_KEY_CLEAR, 0);
	type(&f, "200000");
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.msg, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK(f.docs[D_POL].pay == 20000000);
	CHECK_INT(f.docs[D_POL].selected, 1);
	CHECK(flow_total_cop(&f) == 20000000);
	/* exactly the balance */
	send(&f, FEV_EDIT_AMOUNT, D_POL);
	type(&f, "1500000");
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK(f.docs[D_POL].pay == 150000000);
	/* back to the minimum, then "pay the whole balance" */
	send(&f, FEV_EDIT_AMOUNT, D_POL);
	type(&f, "200000");
	send(&f, FEV_SUBMIT, 0);
	CHECK(f.docs[D_POL].pay == 20000000);
	send(&f, FEV_EDIT_AMOUNT, D_POL);
	send(&f, FEV_AMOUNT_FULL, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK(f.docs[D_POL].pay == 150000000);
	CHECK_INT(f.docs[D_POL].selected, 1);
	/* BACK leaves the amount unchanged */
	send(&f, FEV_EDIT_AMOUNT, D_POL);
	type(&f, "300000");
	send(&f, FEV_BACK, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK(f.docs[D_POL].pay == 150000000);

	/* USD: whole dollars; 60.00 at 4.000,50 = 240.030 pesos */
	send(&f, FEV_EDIT_AMOUNT, D_USD);
	CHECK_INT(f.screen, SCR_AMOUNT);
	type(&f, "49");
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.msg, STR_ERR_AMOUNT_BELOW);
	send(&f, FEV_KEY_BACK, 0);
	send(&f, FEV_KEY_BACK, 0);
	type(&f, "60");
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK(f.docs[D_USD].pay == 6000);
	CHECK(flow_doc_cop(&f, D_USD) == 24003000);
	CHECK(flow_total_cop(&f) == 150000000 + 24003000);
	flow_free(&f);
}

static void test_issue_request(void)
{
	struct flow f;
	struct fake k;

	/* nothing selected */
	to_portfolio(&f, &k, mixed_docs, 3);
	send(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(f.msg, STR_ERR_NONE_SELECTED);
	CHECK_INT(k.issue_calls, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	send(&f, FEV_PAY_PHONE, 0);
	CHECK_INT(f.msg, STR_ERR_NONE_SELECTED);
	CHECK_INT(k.issue_calls, 0);

	/* COP partial 200.000 + USD 101.00 */
	send(&f, FEV_EDIT_AMOUNT, D_POL);
	type(&f, "200000");
	send(&f, FEV_SUBMIT, 0);
	send(&f, FEV_TOGGLE_DOC, D_USD);
	k.issue_rc = -1;
	send(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(k.issue_calls, 1);
	const struct coupon_request *r = &k.req;
	CHECK_INT(r->kiosk_id, 7);
	CHECK_INT(r->ref_length, 15);
	CHECK_INT(r->id_type, ID_CC);
	CHECK_STR(r->id_number, "12345678");
	CHECK_STR(k.req_kind, "coupon");
	CHECK(r->now == NOW0 / 1000);
	CHECK_INT(r->nlines, 2);
	CHECK_STR(r->lines[0].doc_number, "POL-1");
	CHECK(r->lines[0].pay.minor == 20000000);
	CHECK_INT(r->lines[0].pay.cur, CUR_COP);
	CHECK(r->lines[0].cop_minor == 20000000);
	CHECK_STR(r->lines[1].doc_number, "USD-9");
	CHECK(r->lines[1].pay.minor == 10100);
	CHECK_INT(r->lines[1].pay.cur, CUR_USD);
	CHECK(r->lines[1].cop_minor == 40405100);
	CHECK_INT(r->has_trm, 1);
	CHECK(r->trm.cop_minor_per_usd == 400050);
	CHECK_INT(r->trm.valid_from, 20261120);
	CHECK_INT(r->trm.valid_to, 20261124);
	/* today + 10 = 2 Dec, but a USD coupon cannot outlive its TRM (24 Nov) */
	CHECK_INT(r->due, 20261124);

	/* issue failed: nothing shown, nothing printed, selection kept */
	CHECK_INT(f.msg, STR_ERR_ISSUE);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(k.print_calls, 0);
	CHECK_INT(f.print, PRINT_NONE);
	CHECK_INT(f.nlines, 0);
	CHECK_INT(f.coupon_qr[0], 0);
	CHECK_INT(flow_selected_count(&f), 2);
	flow_free(&f);

	/* COP only, pay by phone: due = today + coupon_days, no TRM */
	to_portfolio(&f, &k, mixed_docs, 3);
	k.issue_rc = -1;
	send(&f, FEV_TOGGLE_DOC, D_CR);
	send(&f, FEV_PAY_PHONE, 0);
	CHECK_INT(k.issue_calls, 1);
	CHECK_STR(k.req_kind, "phone");
	CHECK_INT(k.req.nlines, 1);
	CHECK_STR(k.req.lines[0].doc_number, "CR-2");
	CHECK(k.req.lines[0].cop_minor == 8000050);
	CHECK_INT(k.req.has_trm, 0);
	CHECK_INT(k.req.due, 20261202);
	flow_free(&f);

	/* USD with a TRM valid beyond the coupon's term: not capped */
	fake_reset(&k, mixed_docs, 3);
	k.trm.valid_to = 20261231;
	k.issue_rc = -1;
	init(&f, &k);
	send(&f, FEV_START, 0);
	type(&f, "12345678");
	send(&f, FEV_SUBMIT, 0);
	send(&f, FEV_TOGGLE_DOC, D_USD);
	send(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(k.req.has_trm, 1);
	CHECK_INT(k.req.due, 20261202);
	flow_free(&f);
}

static void test_coupon_success(void)
{
	struct flow f;
	struct fake k;
	to_portfolio(&f, &k, mixed_docs, 3);
	send(&f, FEV_EDIT_AMOUNT, D_POL);
	type(&f, "200000");
	send(&f, FEV_SUBMIT, 0);
	send(&f, FEV_TOGGLE_DOC, D_USD);
	send(&f, FEV_GEN_COUPON, 0);

	CHECK_INT(k.issue_calls, 1);
	CHECK_INT(f.screen, SCR_COUPON);
	CHECK_STR(screen_name(f.screen), "coupon");
	CHECK_INT(f.msg, 0);
	CHECK_STR(f.kind, "coupon");
	CHECK_INT(f.nlines, 2);
	CHECK_STR(f.lines[1].doc_number, "USD-9");
	CHECK(f.lines[1].cop_minor == 40405100);
	CHECK_STR(f.coupon.reference, k.issued.reference);
	CHECK(f.coupon.amount.minor == 60405100);

	/* printed once, after the coupon was issued and put on screen */
	CHECK_INT(k.print_calls, 1);
	/* the TRM is read when the portfolio opens and again when the coupon is asked for */
	CHECK_STR(k.log, "LTTIP");
	CHECK_INT(k.print_screen, SCR_COUPON);
	CHECK_STR(k.print_ref, k.issued.reference);
	CHECK_INT(k.print_nlines, 2);
	CHECK_INT(f.print, PRINT_BUSY);

	/* the coupon QR verifies under the kiosk key, and only under it */
	struct coupon q;
	memset(&q, 0, sizeof q);
	CHECK(f.coupon_qr[0] != 0);
	CHECK_INT(coupon_qr_verify(f.coupon_qr, KEY, KEYLEN, &q), 0);
	CHECK_STR(q.reference, k.issued.reference);
	CHECK(q.amount.minor == 60405100);
	CHECK_INT(q.amount.cur, CUR_COP);
	CHECK_INT(q.due, 20261124);
	CHECK_INT(q.kiosk_id, 7);
	CHECK(q.seq == 42);
	CHECK_INT(coupon_qr_verify(f.coupon_qr, (const uint8_t *)other_key_text,
				   sizeof other_key_text - 1, &q),
		  -1);
	CHECK(strncmp(f.coupon_qr, "RCP1|K=0007|S=42|", 17) == 0);

	/* the EMV QR: valid CRC, COP, 604.051 pesos, our reference */
	CHECK(f.emv_qr[0] != 0);
	CHECK_INT(emvqr_check(f.emv_qr), 0);
	CHECK(strstr(f.emv_qr, "5303170") != NULL);
	CHECK(strstr(f.emv_qr, "5406604051") != NULL);
	CHECK(strstr(f.emv_qr, k.issued.reference) != NULL);

	/* print results: one for another coupon (a late job) is ignored */
	struct flow_event ev = {.type = FEV_PRINT_DONE, .arg = 0, .now_ms = clock_ms, .id = f.coupon.seq + 1};
	flow_handle(&f, &ev);
	CHECK_INT(f.print, PRINT_BUSY);
	ev = (struct flow_event){.type = FEV_PRINT_DONE, .arg = -5, .text = "paper out", .now_ms = clock_ms, .id = f.coupon.seq};
	flow_handle(&f, &ev);
	CHECK_INT(f.print, PRINT_FAILED);
	CHECK_STR(f.print_error, "paper out");
	ev = (struct flow_event){.type = FEV_PRINT_DONE, .arg = 0, .now_ms = clock_ms, .id = f.coupon.seq};
	flow_handle(&f, &ev);
	CHECK_INT(f.print, PRINT_OK);
	CHECK_STR(f.print_error, "");
	CHECK_INT(f.screen, SCR_COUPON);

	/* BACK does not leave a durable coupon for the portfolio */
	send(&f, FEV_BACK, 0);
	CHECK_INT(f.screen, SCR_COUPON);

	/* finish -> done -> attract after done_ms */
	clock_ms += 5000;
	send(&f, FEV_FINISH, 0);
	CHECK_INT(f.screen, SCR_DONE);
	CHECK_STR(screen_name(f.screen), "done");
	int64_t done_at = clock_ms;
	CHECK(flow_next_deadline(&f) == done_at + 8000);
	/* a late print result still lands on the done screen */
	ev = (struct flow_event){.type = FEV_PRINT_DONE, .arg = -1, .text = "cover open", .now_ms = done_at, .id = f.coupon.seq};
	flow_handle(&f, &ev);
	CHECK_INT(f.print, PRINT_FAILED);
	tick(&f, done_at + 7999);
	CHECK_INT(f.screen, SCR_DONE);
	CHECK_INT(f.has_pf, 1);
	tick(&f, done_at + 8000);
	check_wiped(&f);
	CHECK_INT(f.coupon.reference[0], 0);
	CHECK_INT(f.nlines, 0);
	CHECK_INT(f.print, PRINT_NONE);
	CHECK(f.kind == NULL);
	CHECK_INT(k.issue_calls, 1);
	CHECK_INT(k.print_calls, 1);
	flow_free(&f);

	/* FINISH on done goes straight back */
	to_portfolio(&f, &k, cop_docs, 1);
	CHECK_INT(f.docs[0].selected, 1); /* a lone debt comes selected */
	send(&f, FEV_PAY_PHONE, 0);
	CHECK_INT(f.screen, SCR_COUPON);
	CHECK_STR(f.kind, "phone");
	/* 50.000 pesos in the EMV amount */
	CHECK(strstr(f.emv_qr, "540550000") != NULL);
	send(&f, FEV_FINISH, 0);
	CHECK_INT(f.screen, SCR_DONE);
	send(&f, FEV_FINISH, 0);
	check_wiped(&f);
	flow_free(&f);

	/* a print that cannot even be queued */
	to_portfolio(&f, &k, cop_docs, 1);
	k.print_rc = -1;
	CHECK_INT(f.docs[0].selected, 1); /* a lone debt comes selected */
	send(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(f.screen, SCR_COUPON);
	CHECK_INT(k.print_calls, 1);
	CHECK_INT(f.print, PRINT_FAILED);
	CHECK_INT(coupon_qr_verify(f.coupon_qr, KEY, KEYLEN, &q), 0);
	flow_free(&f);

	/* a print result outside the coupon/done screens is ignored */
	to_portfolio(&f, &k, cop_docs, 1);
	ev = (struct flow_event){.type = FEV_PRINT_DONE, .arg = 0, .text = "x", .now_ms = clock_ms};
	flow_handle(&f, &ev);
	CHECK_INT(f.print, PRINT_NONE);
	CHECK_STR(f.print_error, "");
	flow_free(&f);
}

static void test_inactivity(void)
{
	struct flow f;
	struct fake k;
	to_portfolio(&f, &k, mixed_docs, 3);
	send(&f, FEV_LANG, 0);
	CHECK_INT(f.lang, LANG_EN);
	send(&f, FEV_TOGGLE_DOC, D_POL);
	const int64_t t0 = clock_ms;

	CHECK(flow_next_deadline(&f) == t0 + 60000);
	tick(&f, t0 + 59999);
	CHECK_INT(f.countdown, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK(flow_next_deadline(&f) == t0 + 60000);
	tick(&f, t0 + 60000);
	CHECK_INT(f.countdown, 1);
	CHECK_INT(flow_countdown_left(&f), 15);
	CHECK(flow_next_deadline(&f) == t0 + 61000);
	tick(&f, t0 + 60500);
	CHECK_INT(flow_countdown_left(&f), 15);
	CHECK(flow_next_deadline(&f) == t0 + 61000);
	tick(&f, t0 + 61000);
	CHECK_INT(flow_countdown_left(&f), 14);
	CHECK(flow_next_deadline(&f) == t0 + 62000);
	tick(&f, t0 + 62000);
	CHECK_INT(flow_countdown_left(&f), 13);
	CHECK(flow_next_deadline(&f) == t0 + 63000);
	tick(&f, t0 + 74000);
	CHECK_INT(flow_countdown_left(&f), 1);
	CHECK(flow_next_deadline(&f) == t0 + 75000);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(f.has_pf, 1);

	/* "more time": the session stays, the clock restarts */
	const int64_t t1 = t0 + 74500;
	send_at(&f, FEV_MORE_TIME, 0, t1);
	CHECK_INT(f.countdown, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(f.has_pf, 1);
	CHECK_STR(f.id, "12345678");
	CHECK_INT(f.docs[D_POL].selected, 1);
	CHECK_INT(f.lang, LANG_EN);
	CHECK(flow_next_deadline(&f) == t1 + 60000);
	tick(&f, t0 + 75000);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	tick(&f, t1 + 59999);
	CHECK_INT(f.countdown, 0);

	/* then nobody answers: wiped */
	tick(&f, t1 + 60000);
	CHECK_INT(f.countdown, 1);
	tick(&f, t1 + 74999);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(flow_countdown_left(&f), 1);
	CHECK_INT(nonzero_bytes(f.id, sizeof f.id), 8);
	tick(&f, t1 + 75000);
	check_wiped(&f);
	CHECK(flow_next_deadline(&f) == INT64_MAX);
	flow_free(&f);

	/* on ID entry, the touch that dismisses the overlay does not type */
	fake_reset(&k, mixed_docs, 3);
	init(&f, &k);
	send(&f, FEV_START, 0);
	type(&f, "1234");
	tick(&f, NOW0 + 60000);
	CHECK_INT(f.countdown, 1);
	send(&f, FEV_KEY_CHAR, '5');
	CHECK_INT(f.countdown, 0);
	CHECK_STR(f.id, "1234");
	send(&f, FEV_KEY_CHAR, '5');
	CHECK_STR(f.id, "12345");
	/* CANCEL on the overlay leaves at once */
	tick(&f, clock_ms + 60000);
	CHECK_INT(f.countdown, 1);
	send(&f, FEV_CANCEL, 0);
	check_wiped(&f);
	flow_free(&f);

	/* the amount editor times out too */
	to_portfolio(&f, &k, mixed_docs, 3);
	send(&f, FEV_EDIT_AMOUNT, D_POL);
	type(&f, "3");
	tick(&f, clock_ms + 75000);
	check_wiped(&f);
	CHECK_INT(f.amount_len, 0);
	CHECK_INT(nonzero_bytes(f.amount, sizeof f.amount), 0);
	flow_free(&f);

	/* an input arriving after the session expired, before any tick (a stalled loop, a
	 * wake from sleep), must not revive the previous customer's session */
	to_portfolio(&f, &k, mixed_docs, 3);
	send_at(&f, FEV_TOGGLE_DOC, D_POL, clock_ms + 75000);
	check_wiped(&f);
	flow_free(&f);
}

static void test_cancel_back_lang(void)
{
	struct flow f;
	struct fake k;

	/* CANCEL from the portfolio wipes */
	to_portfolio(&f, &k, mixed_docs, 3);
	send(&f, FEV_LANG, 0);
	send(&f, FEV_TOGGLE_DOC, D_POL);
	CHECK_INT(nonzero_bytes(f.id, sizeof f.id), 8);
	send(&f, FEV_CANCEL, 0);
	check_wiped(&f);
	flow_free(&f);

	/* CANCEL from ID entry, typed NIT with DV */
	fake_reset(&k, mixed_docs, 3);
	init(&f, &k);
	send(&f, FEV_START, 0);
	send(&f, FEV_ID_TYPE, ID_NIT);
	type(&f, "900123456-8");
	send(&f, FEV_CANCEL, 0);
	check_wiped(&f);
	CHECK_INT(f.dv_typed, -1);
	CHECK_INT(f.dv_mode, 0);
	flow_free(&f);

	/* BACK from the portfolio keeps the ID, releases the portfolio */
	to_portfolio(&f, &k, mixed_docs, 3);
	send(&f, FEV_TOGGLE_DOC, D_POL);
	send(&f, FEV_BACK, 0);
	CHECK_INT(f.screen, SCR_ID_ENTRY);
	CHECK_STR(f.id, "12345678");
	CHECK_INT(f.id_len, 8);
	CHECK_INT(f.has_pf, 0);
	CHECK(f.docs == NULL);
	CHECK(f.pf.docs == NULL);
	CHECK_INT(f.ndocs, 0);
	CHECK_INT(f.has_cop, 0);
	CHECK_INT(f.has_usd, 0);
	/* and the same ID can be looked up again, fresh */
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(k.lookup_calls, 2);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(f.ndocs, 3);
	CHECK_INT(flow_selected_count(&f), 0);
	/* BACK twice: ID entry, then attract (wiped) */
	send(&f, FEV_BACK, 0);
	send(&f, FEV_BACK, 0);
	check_wiped(&f);
	flow_free(&f);

	/* language toggle: survives START, reset by the wipe */
	fake_reset(&k, mixed_docs, 3);
	init(&f, &k);
	CHECK_INT(f.lang, LANG_ES);
	send(&f, FEV_LANG, 0);
	CHECK_INT(f.lang, LANG_EN);
	CHECK_INT(f.screen, SCR_ATTRACT);
	send(&f, FEV_START, 0);
	CHECK_INT(f.lang, LANG_EN);
	type(&f, "12");
	send(&f, FEV_LANG, 0);
	CHECK_INT(f.lang, LANG_ES);
	CHECK_STR(f.id, "12");
	send(&f, FEV_LANG, 0);
	CHECK_INT(f.lang, LANG_EN);
	send(&f, FEV_CANCEL, 0);
	CHECK_INT(f.lang, LANG_ES);
	flow_free(&f);
}

static void test_too_many(void)
{
	enum { N = COUPON_MAX_DOCS + 1 };
	static struct document many[N];
	struct flow f;
	struct fake k;
	for (int i = 0; i < N; i++) {
		memset(&many[i], 0, sizeof many[i]);
		snprintf(many[i].number, sizeof many[i].number, "D-%02d", i);
		many[i].due = 20261201;
		many[i].cur = CUR_COP;
		many[i].invoice = many[i].balance = 100000;
		many[i].partial_ok = 1;
		many[i].min_partial = 50000;
	}
	to_portfolio(&f, &k, many, N);
	for (int i = 0; i < COUPON_MAX_DOCS; i++)
		send(&f, FEV_TOGGLE_DOC, i);
	CHECK_INT(flow_selected_count(&f), COUPON_MAX_DOCS);
	send(&f, FEV_TOGGLE_DOC, COUPON_MAX_DOCS);
	CHECK_INT(f.msg, STR_ERR_TOO_MANY);
	CHECK_INT(f.docs[COUPON_MAX_DOCS].selected, 0);
	/* the amount editor is no way around the limit: a coupon holds at most 64 lines, and
	 * a 65th selected document would be shown in the total but left off the coupon */
	send(&f, FEV_EDIT_AMOUNT, COUPON_MAX_DOCS);
	if (f.screen == SCR_AMOUNT)
		send(&f, FEV_AMOUNT_FULL, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(f.docs[COUPON_MAX_DOCS].selected, 0);
	CHECK_INT(flow_selected_count(&f), COUPON_MAX_DOCS);
	/* an already selected document can still be edited at the limit */
	send(&f, FEV_EDIT_AMOUNT, 0);
	CHECK_INT(f.screen, SCR_AMOUNT);
	type(&f, "600");
	send(&f, FEV_SUBMIT, 0);
	CHECK(f.docs[0].pay == 60000);
	send(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(k.req.nlines, COUPON_MAX_DOCS);
	CHECK(f.coupon.amount.minor == flow_total_cop(&f));
	CHECK(f.coupon.amount.minor == 60000 + 63 * 100000);
	flow_free(&f);
}

/* Lookups are answered later, by a worker: stale answers are dropped, input waits. */
static void test_async_lookup(void)
{
	struct flow f;
	struct fake k;
	fake_reset(&k, cop_docs, 1);
	k.hold_lookup = 1;
	init(&f, &k);
	send(&f, FEV_START, 0);
	type(&f, "12345678");
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(k.lookup_calls, 1);
	CHECK_INT(f.looking_up, 1);
	CHECK_INT(f.screen, SCR_ID_ENTRY);
	uint64_t first = k.pending_req;
	/* typing while the lookup runs changes nothing */
	type(&f, "9");
	CHECK_STR(f.id, "12345678");
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(k.lookup_calls, 1);
	/* the customer leaves; the late answer must not bring the portfolio back */
	send(&f, FEV_CANCEL, 0);
	CHECK_INT(f.screen, SCR_ATTRACT);
	deliver_lookup(&f, first);
	CHECK_INT(f.screen, SCR_ATTRACT);
	CHECK_INT(f.has_pf, 0);
	/* a new session: an answer for the old request is ignored, the current one lands */
	send(&f, FEV_START, 0);
	type(&f, "12345678");
	send(&f, FEV_SUBMIT, 0);
	CHECK(k.pending_req != first);
	deliver_lookup(&f, first);
	CHECK_INT(f.screen, SCR_ID_ENTRY);
	CHECK_INT(f.looking_up, 1);
	deliver_lookup(&f, k.pending_req);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(f.looking_up, 0);
	CHECK_INT(f.pf_online, 0);
	flow_free(&f);
}

/* Enter on a number asks for no frame of its own: an answer within FLOW_LOOKUP_SHOW_MS is the
 * next thing drawn; a later one shows the "looking up" banner first, at that deadline. */
static void test_lookup_waiting_deadline(void)
{
	struct flow f;
	struct fake k;
	fake_reset(&k, cop_docs, 1);
	k.hold_lookup = 1;
	init(&f, &k);
	send(&f, FEV_START, 0);
	type(&f, "12345678");
	f.dirty = 0; /* the loop drew the typed number */

	/* answered 49 ms after Enter: no waiting frame, straight to the portfolio */
	int64_t t0 = clock_ms;
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.looking_up, 1);
	CHECK_INT(f.dirty, 0);
	CHECK_INT(flow_lookup_waiting(&f), 0);
	CHECK(flow_next_deadline(&f) == t0 + FLOW_LOOKUP_SHOW_MS);
	tick(&f, t0 + FLOW_LOOKUP_SHOW_MS - 1); /* an early tick changes nothing */
	CHECK_INT(f.dirty, 0);
	CHECK_INT(flow_lookup_waiting(&f), 0);
	deliver_lookup(&f, k.pending_req);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(f.dirty, 1);
	CHECK_INT(flow_lookup_waiting(&f), 0);
	CHECK(flow_next_deadline(&f) == f.last_input_ms + 60000); /* back to the inactivity timer */

	/* answered 80 ms after Enter: the banner is due at 50 ms, then the portfolio */
	send(&f, FEV_BACK, 0);
	CHECK_INT(f.screen, SCR_ID_ENTRY);
	f.dirty = 0;
	t0 = clock_ms;
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.dirty, 0);
	CHECK(flow_next_deadline(&f) == t0 + FLOW_LOOKUP_SHOW_MS);
	tick(&f, t0 + FLOW_LOOKUP_SHOW_MS);
	CHECK_INT(flow_lookup_waiting(&f), 1);
	CHECK_INT(f.dirty, 1);
	CHECK_INT(f.screen, SCR_ID_ENTRY);
	/* shown once: no deadline keeps firing while it waits */
	CHECK(flow_next_deadline(&f) == f.last_input_ms + 60000);
	f.dirty = 0;
	clock_ms = t0 + 80;
	deliver_lookup(&f, k.pending_req);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(f.dirty, 1);
	CHECK_INT(flow_lookup_waiting(&f), 0);

	/* an unknown number: its message comes in one frame; with that message on screen, the
	 * next Enter clears it at once, so that Enter is drawn */
	send(&f, FEV_BACK, 0);
	f.dirty = 0;
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.dirty, 0);
	send(&f, FEV_KEY_CHAR, '1'); /* ignored while looking up */
	CHECK_STR(f.id, "12345678");
	k.lookup_rc = 1;
	clock_ms += 10;
	deliver_lookup(&f, k.pending_req); /* unknown customer: the message, in one frame */
	CHECK_INT(f.screen, SCR_ID_ENTRY);
	CHECK_INT(f.msg, STR_ERR_UNKNOWN_ID);
	CHECK_INT(f.dirty, 1);
	f.dirty = 0;
	send(&f, FEV_SUBMIT, 0); /* the message goes away: a frame */
	CHECK_INT(f.msg, 0);
	CHECK_INT(f.dirty, 1);
	flow_free(&f);
}

/* The offline limits: old local data is refused, online data is not; coupons while offline
 * are capped per coupon and in total, with the amount still possible in the message. */
static void test_offline_limits(void)
{
	struct flow f;
	struct fake k;
	struct flow_config c = test_cfg();
	c.max_data_age_s = 72 * 3600;
	c.max_offline_coupon_minor = 3000000;  /* $ 30.000 */
	c.max_offline_total_minor = 8000000;   /* $ 80.000 */
	char m[400];

	/* local data 73 h old: refused with the date it is from */
	fake_reset(&k, cop_docs, 1);
	k.data_age_s = 73 * 3600;
	clock_ms = NOW0;
	flow_init(&f, &c, &fx, &k, clock_ms);
	send(&f, FEV_START, 0);
	type(&f, "12345678");
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.screen, SCR_ID_ENTRY);
	CHECK_INT(f.msg, STR_ERR_DATA_TOO_OLD);
	flow_message(&f, m, sizeof m);
	CHECK(strstr(m, "19/11/2026") != NULL);
	CHECK_INT(f.has_pf, 0);
	/* the same age from the central API is fine: it is live */
	k.lookup_online = 1;
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(f.pf_online, 1);
	flow_free(&f);

	/* offline, a $ 50.000 coupon is over the $ 30.000 cap: refused, nothing issued */
	fake_reset(&k, cop_docs, 1);
	clock_ms = NOW0;
	flow_init(&f, &c, &fx, &k, clock_ms);
	send(&f, FEV_START, 0);
	type(&f, "12345678");
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.docs[0].selected, 1); /* a lone debt comes selected */
	send(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(f.msg, STR_ERR_OFFLINE_COUPON_CAP);
	flow_message(&f, m, sizeof m);
	CHECK(strstr(m, "$ 30.000") != NULL);
	CHECK_INT(k.issue_calls, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	/* online, the same coupon goes through */
	k.offline.online = 1;
	send(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(k.issue_calls, 1);
	CHECK_INT(f.screen, SCR_COUPON);
	flow_free(&f);

	/* offline with $ 60.000 unacknowledged: only $ 20.000 more fit under the $ 80.000 total */
	struct document small[] = {{"S-1", "Seguro", "Cuota", 20261201, CUR_COP, 2500000, 2500000, 0, 0}};
	fake_reset(&k, small, 1);
	k.offline.online = 0;
	k.offline.unsynced_cop_minor = 6000000;
	clock_ms = NOW0;
	flow_init(&f, &c, &fx, &k, clock_ms);
	send(&f, FEV_START, 0);
	type(&f, "12345678");
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.docs[0].selected, 1); /* a lone debt comes selected */
	send(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(f.msg, STR_ERR_OFFLINE_TOTAL_CAP);
	flow_message(&f, m, sizeof m);
	CHECK(strstr(m, "$ 20.000") != NULL);
	CHECK_INT(k.issue_calls, 0);
	/* already over the total, or the total unknown: nothing more while offline */
	k.offline.unsynced_cop_minor = 9000000;
	send(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(f.msg, STR_ERR_OFFLINE_TOTAL_REACHED);
	CHECK_INT(k.issue_calls, 0);
	k.offline.unsynced_cop_minor = INT64_MAX;
	send(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(f.msg, STR_ERR_OFFLINE_TOTAL_REACHED);
	CHECK_INT(k.issue_calls, 0);
	/* with less unacknowledged it fits */
	k.offline.unsynced_cop_minor = 5000000;
	send(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(k.issue_calls, 1);
	flow_free(&f);
}

/* Printer problems reach the customer as a reason; a reprint is a copy, bounded per session. */
static void test_print_problems_reprint(void)
{
	struct flow f;
	struct fake k;
	to_portfolio(&f, &k, cop_docs, 1);
	CHECK_INT(f.docs[0].selected, 1); /* a lone debt comes selected */
	send(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(f.screen, SCR_COUPON);
	CHECK_INT(f.print, PRINT_BUSY);
	/* no reprint while the first job is still out */
	send(&f, FEV_REPRINT, 0);
	CHECK_INT(k.reprint_calls, 0);
	struct printer_status ps = {.state = PRINTER_PAPER_OUT, .rc = PRINTER_ERR_NOT_READY, .job = PRINTER_JOB_REFUSED,
				    .detail = "paper end"};
	struct flow_event ev = {.type = FEV_PRINT_DONE, .arg = PRINTER_ERR_NOT_READY, .text = "paper out",
				.now_ms = clock_ms, .id = f.coupon.seq, .data = &ps};
	flow_handle(&f, &ev);
	CHECK_INT(f.print, PRINT_FAILED);
	/* the status arrives unchanged */
	CHECK_INT(f.print_rc, PRINTER_ERR_NOT_READY);
	CHECK_INT(f.print_status.state, PRINTER_PAPER_OUT);
	CHECK_INT(f.print_status.job, PRINTER_JOB_REFUSED);
	CHECK_STR(f.print_status.detail, "paper end");
	CHECK_INT(f.screen, SCR_COUPON); /* the coupon stays on screen */
	send(&f, FEV_REPRINT, 0);
	CHECK_INT(k.reprint_calls, 1);
	CHECK_INT(k.reprint_seq, f.coupon.seq);
	CHECK_INT(f.print, PRINT_BUSY);
	ev = (struct flow_event){.type = FEV_PRINT_DONE, .arg = 0, .now_ms = clock_ms, .id = f.coupon.seq};
	flow_handle(&f, &ev);
	CHECK_INT(f.print, PRINT_OK);
	CHECK_INT(f.print_rc, 0);
	CHECK_INT(f.print_status.state, PRINTER_READY); /* no status given: unknown, read as ready */
	/* at most 3 copies in a session */
	for (int i = 0; i < 5; i++) {
		send(&f, FEV_REPRINT, 0);
		flow_handle(&f, &ev);
	}
	CHECK_INT(k.reprint_calls, 3);
	/* any non-zero rc is a failure, never "printed" */
	ev = (struct flow_event){.type = FEV_PRINT_DONE, .arg = 99, .now_ms = clock_ms, .id = f.coupon.seq};
	flow_handle(&f, &ev);
	CHECK_INT(f.print, PRINT_FAILED);
	CHECK_INT(f.print_rc, 99);
	/* attract: the offered reprint goes to the app with seq 0 */
	send(&f, FEV_CANCEL, 0);
	CHECK_INT(f.screen, SCR_ATTRACT);
	send(&f, FEV_REPRINT, 0);
	CHECK_INT(k.reprint_calls, 4);
	CHECK_INT(k.reprint_seq, 0);
	CHECK_INT(f.screen, SCR_ATTRACT);
	flow_free(&f);
}

/* ---- money at the top of its range (money_limits.h) ---- */

static const struct document max_cop_docs[] = {
	{"M-1", "Seguro", "Póliza", 20261201, CUR_COP, MONEY_MAX_COP_MINOR, MONEY_MAX_COP_MINOR, 1, 100},
	{"M-2", "Seguro", "Póliza", 20261201, CUR_COP, MONEY_MAX_COP_MINOR, MONEY_MAX_COP_MINOR, 0, 0},
	{"M-3", "Seguro", "Póliza", 20261201, CUR_COP, 500000000000000, 500000000000000, 1, 100},
};

static void test_coupon_max(void)
{
	struct flow f;
	struct fake k;
	char m[400];

	/* one document at the maximum: selected, and a coupon and a phone QR carry it */
	to_portfolio(&f, &k, max_cop_docs, 3);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	send(&f, FEV_TOGGLE_DOC, 0);
	CHECK_INT(f.docs[0].selected, 1);
	CHECK(flow_total_cop(&f) == MONEY_MAX_COP_MINOR);
	/* a second one would take the total over what one coupon carries: refused, and said */
	send(&f, FEV_TOGGLE_DOC, 1);
	CHECK_INT(f.docs[1].selected, 0);
	CHECK_INT(f.msg, STR_ERR_TOTAL_MAX);
	flow_message(&f, m, sizeof m);
	CHECK_STR(m, "El total supera el máximo de un cupón: $ 9.999.999.999.999; seleccione menos "
		     "documentos.");
	f.lang = LANG_EN;
	flow_message(&f, m, sizeof m);
	CHECK(strstr(m, "$ 9.999.999.999.999") != NULL && strstr(m, "select fewer") != NULL);
	f.lang = LANG_ES;
	CHECK(flow_total_cop(&f) == MONEY_MAX_COP_MINOR);
	/* pay by phone with a 13-digit peso total: issued, with its EMVCo QR */
	send(&f, FEV_PAY_PHONE, 0);
	CHECK_INT(f.msg, 0);
	CHECK_INT(k.issue_calls, 1);
	CHECK_INT(f.screen, SCR_COUPON);
	CHECK(f.coupon.amount.minor == MONEY_MAX_COP_MINOR);
	CHECK(strstr(f.emv_qr, "54139999999999999") != NULL);
	CHECK(f.coupon_qr[0] != 0);
	flow_free(&f);

	/* the partial editor takes every digit up to the balance: 13 of them */
	to_portfolio(&f, &k, max_cop_docs, 3);
	send(&f, FEV_EDIT_AMOUNT, 0);
	CHECK_INT(f.screen, SCR_AMOUNT);
	type(&f, "9999999999999");
	CHECK_INT(f.msg, 0);
	CHECK_STR(f.amount, "9999999999999");
	type(&f, "9"); /* a 14th digit is above any balance: refused, and the message is true */
	CHECK_INT(f.msg, STR_ERR_AMOUNT_ABOVE);
	CHECK_STR(f.amount, "9999999999999");
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK(f.docs[0].pay == MONEY_MAX_COP_MINOR);
	/* 5.000.000.000.000 pesos: the 13th digit is taken when it stays within the balance */
	send(&f, FEV_TOGGLE_DOC, 0);
	send(&f, FEV_EDIT_AMOUNT, 2);
	type(&f, "4999999999999");
	CHECK_INT(f.msg, 0);
	CHECK_STR(f.amount, "4999999999999");
	send(&f, FEV_KEY_CLEAR, 0);
	type(&f, "5000000000001");
	CHECK_INT(f.msg, STR_ERR_AMOUNT_ABOVE);
	CHECK_STR(f.amount, "500000000000");
	type(&f, "0");
	CHECK_STR(f.amount, "5000000000000");
	send(&f, FEV_SUBMIT, 0);
	CHECK(f.docs[2].pay == 500000000000000);
	CHECK_INT(f.docs[2].selected, 1);
	/* and the editor does not let a selection pass the coupon maximum either */
	send(&f, FEV_EDIT_AMOUNT, 0);
	send(&f, FEV_AMOUNT_FULL, 0);
	CHECK_INT(f.msg, STR_ERR_TOTAL_MAX);
	CHECK_INT(f.docs[0].selected, 0);
	flow_free(&f);
}

/* USD at the top: the largest accepted balance at the highest accepted TRM is payable; a
 * balance no TRM can price (what an import used to accept) is refused, never shown as $ 0. */
static void test_usd_max(void)
{
	static const struct document docs[] = {
		{"U-MAX", "Crédito", "USD", 20261201, CUR_USD, MONEY_MAX_USD_CENTS, MONEY_MAX_USD_CENTS, 0, 0},
		{"U-HUGE", "Crédito", "USD", 20261201, CUR_USD, INT64_C(9000000000000000),
		 INT64_C(9000000000000000), 0, 0},
	};
	struct flow f;
	struct fake k;

	to_portfolio(&f, &k, docs, 2);
	k.trm.cop_minor_per_usd = MONEY_TRM_MAX;
	f.trm.cop_minor_per_usd = MONEY_TRM_MAX;
	send(&f, FEV_TOGGLE_DOC, 1);
	CHECK_INT(f.docs[1].selected, 0);
	CHECK_INT(f.msg, STR_ERR_TOTAL_MAX);
	CHECK(flow_total_cop(&f) == 0);
	send(&f, FEV_TOGGLE_DOC, 0);
	CHECK_INT(f.docs[0].selected, 1);
	CHECK(flow_total_cop(&f) == INT64_C(999999999000000));
	send(&f, FEV_PAY_PHONE, 0);
	CHECK_INT(f.screen, SCR_COUPON);
	CHECK(f.coupon.amount.minor == INT64_C(999999999000000));
	CHECK(f.emv_qr[0] != 0);
	flow_free(&f);
}

/* A TRM that stops being in force during the session (midnight) is re-checked when the
 * clock passes its end and when the coupon is asked for: never the generic retry. */
static void test_trm_ends(void)
{
	const int64_t midnight = INT64_C(1795410000000); /* 2026-11-23 00:00 -05:00 */
	struct flow_config c = test_cfg();
	struct flow f;
	struct fake k;
	char m[400];

	for (int variant = 0; variant < 4; variant++) {
		fake_reset(&k, usd_docs, 1);
		k.trm.valid_to = TODAY;
		clock_ms = midnight - 30000;
		flow_init(&f, &c, &fx, &k, clock_ms);
		send(&f, FEV_START, 0);
		type(&f, "12345678");
		send(&f, FEV_SUBMIT, 0);
		CHECK_INT(f.screen, SCR_PORTFOLIO);
		CHECK_INT(f.trm_ok, 1);
		CHECK_INT(f.docs[0].selected, 1); /* a lone debt comes selected */
		CHECK_INT(f.docs[0].selected, 1);
		/* the next timer is the TRM's end, before the inactivity warning */
		CHECK(flow_next_deadline(&f) == midnight);
		if (variant == 0) {
			/* no TRM for the new day: USD cannot be paid; the selection is dropped, said */
			k.trm_rc = -1;
			tick(&f, midnight);
			CHECK_INT(f.trm_ok, 0);
			CHECK_INT(f.docs[0].selected, 0);
			CHECK(flow_total_cop(&f) == 0);
			CHECK_INT(f.msg, STR_ERR_TRM_ENDED);
			flow_message(&f, m, sizeof m);
			CHECK(strstr(m, "22/11/2026") != NULL);
			send(&f, FEV_GEN_COUPON, 0);
			CHECK_INT(k.issue_calls, 0);
			CHECK_INT(f.msg, STR_ERR_NONE_SELECTED);
		} else if (variant == 1) {
			/* a new rate: the prices change on screen and the customer is told */
			k.trm = (struct trm){410000, 20261123, 20261123};
			tick(&f, midnight);
			CHECK_INT(f.trm_ok, 1);
			CHECK_INT(f.msg, STR_ERR_TRM_CHANGED);
			CHECK_INT(f.docs[0].selected, 1);
			CHECK(flow_total_cop(&f) == 82000000); /* USD 200.00 x 4.100,00 */
			send(&f, FEV_GEN_COUPON, 0);
			CHECK_INT(k.issue_calls, 1);
			CHECK(k.req.trm.cop_minor_per_usd == 410000);
		} else if (variant == 3) {
			/* the same rate in force for longer (a weekend): nothing to say, prices stand */
			k.trm.valid_to = 20261124;
			tick(&f, midnight);
			CHECK_INT(f.trm_ok, 1);
			CHECK_INT(f.msg, 0);
			CHECK_INT(f.docs[0].selected, 1);
			CHECK_INT(f.trm.valid_to, 20261124);
			CHECK(flow_next_deadline(&f) == f.last_input_ms + c.inactivity_ms);
		} else {
			/* no tick came (a stalled loop): the coupon request itself re-checks */
			k.trm_rc = -1;
			send_at(&f, FEV_GEN_COUPON, 0, midnight + 1000);
			CHECK_INT(k.issue_calls, 0);
			CHECK_INT(f.msg, STR_ERR_TRM_ENDED);
			CHECK_INT(f.screen, SCR_PORTFOLIO);
		}
		flow_free(&f);
	}
}

/* A disabled control's touch (ev.disabled), as act_customer sends it. */
static void send_disabled(struct flow *f, enum flow_ev_type t, int arg)
{
	struct flow_event ev = {.type = t, .arg = arg, .now_ms = clock_ms, .disabled = 1};
	flow_handle(f, &ev);
}

/* Audit (issue 11): a lone debt comes selected; anything more is the customer's choice. */
static void test_lone_debt(void)
{
	struct flow f;
	struct fake k;
	to_portfolio(&f, &k, cop_docs, 1);
	CHECK_INT(f.docs[0].selected, 1);
	CHECK_INT(flow_selected_count(&f), 1);
	CHECK(flow_total_cop(&f) == 5000000);
	CHECK_INT(f.msg, 0);
	/* the customer may still take it out */
	send(&f, FEV_TOGGLE_DOC, 0);
	CHECK_INT(flow_selected_count(&f), 0);
	/* back and again: selected again */
	send(&f, FEV_BACK, 0);
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(f.docs[0].selected, 1);
	flow_free(&f);

	/* a lone dollar debt with a TRM in force: selected at the rate */
	to_portfolio(&f, &k, usd_docs, 1);
	CHECK_INT(f.docs[0].selected, 1);
	CHECK(flow_total_cop(&f) == 80010000); /* USD 200.00 x 4.000,50 */
	flow_free(&f);

	/* without a TRM it cannot be: not selected, and no error raised before any touch (the
	 * screen's own TRM banner says why) */
	fake_reset(&k, usd_docs, 1);
	k.trm_rc = -1;
	init(&f, &k);
	send(&f, FEV_START, 0);
	type(&f, "12345678");
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(f.docs[0].selected, 0);
	CHECK_INT(f.msg, 0);
	flow_free(&f);

	/* three documents (one per tab or not): nothing chosen for the customer */
	to_portfolio(&f, &k, mixed_docs, 3);
	CHECK_INT(flow_selected_count(&f), 0);
	flow_free(&f);
	to_portfolio(&f, &k, mixed_docs, 2); /* one COP, one USD: one per tab, still two debts */
	CHECK_INT(flow_selected_count(&f), 0);
	flow_free(&f);
}

/* Audit: a touch on a disabled control does nothing but say why, on every customer screen. */
static void test_disabled_reasons(void)
{
	struct flow f;
	struct fake k;
	char m[400];
	fake_reset(&k, mixed_docs, 3);
	init(&f, &k);
	send(&f, FEV_START, 0);
	clock_ms += 5000;
	send_disabled(&f, FEV_SUBMIT, 0); /* "Consultar" with nothing typed */
	CHECK_INT(f.msg, STR_WHY_ID_EMPTY);
	CHECK(flow_message_is_reason(&f)); /* an explanation, drawn as information */
	CHECK_INT(k.lookup_calls, 0);
	CHECK(f.last_input_ms == clock_ms); /* a touch: the customer is here */
	flow_message(&f, m, sizeof m);
	CHECK_STR(m, "Escriba el número completo de su documento para consultar.");
	f.lang = LANG_EN;
	flow_message(&f, m, sizeof m);
	CHECK_STR(m, "Type your full ID number to look it up.");
	f.lang = LANG_ES;
	/* the next real input clears it */
	type(&f, "12345678");
	CHECK_INT(f.msg, 0);
	send(&f, FEV_SUBMIT, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);

	send_disabled(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(f.msg, STR_WHY_COUPON_NONE);
	send_disabled(&f, FEV_PAY_PHONE, 0);
	CHECK_INT(f.msg, STR_WHY_PHONE_NONE);
	CHECK_INT(k.issue_calls, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	send_disabled(&f, FEV_SCROLL, -2);
	CHECK_INT(f.msg, STR_WHY_FIRST_PAGE);
	send_disabled(&f, FEV_SCROLL, 2);
	CHECK_INT(f.msg, STR_WHY_LAST_PAGE);
	CHECK_INT(f.first_row, 0); /* nothing scrolled */

	send(&f, FEV_EDIT_AMOUNT, D_POL);
	CHECK_INT(f.screen, SCR_AMOUNT);
	send_disabled(&f, FEV_SUBMIT, 0); /* "Aceptar" with no amount */
	CHECK_INT(f.msg, STR_WHY_AMOUNT_EMPTY);
	CHECK_INT(f.screen, SCR_AMOUNT);
	CHECK_INT(f.docs[D_POL].selected, 0);
	send(&f, FEV_BACK, 0);

	send(&f, FEV_TOGGLE_DOC, D_CR);
	send(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(f.screen, SCR_COUPON);
	CHECK_INT(f.print, PRINT_BUSY);
	send_disabled(&f, FEV_REPRINT, 0); /* while it prints */
	CHECK_INT(f.msg, STR_WHY_PRINTING);
	CHECK_INT(k.reprint_calls, 0);
	f.print = PRINT_FAILED;
	f.reprints = 3;
	send_disabled(&f, FEV_REPRINT, 0); /* no copies left */
	CHECK_INT(f.msg, STR_WHY_REPRINTS);
	CHECK_INT(k.reprint_calls, 0);
	/* a control the flow has no words for: still a reason, never silence */
	send_disabled(&f, FEV_FINISH, 0);
	CHECK_INT(f.msg, STR_WHY_DISABLED);
	CHECK_INT(f.screen, SCR_COUPON);
	flow_free(&f);

	/* on the inactivity overlay the touch only dismisses it */
	to_portfolio(&f, &k, mixed_docs, 3);
	tick(&f, clock_ms + 60000);
	CHECK_INT(f.countdown, 1);
	send_disabled(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(f.countdown, 0);
	CHECK_INT(f.msg, 0);
	flow_free(&f);
}

/* Audit: the warning lasts the configured countdown, any input extends the session, and the
 * alert hook fires once per warning. */
static void test_warning_alert(void)
{
	struct flow f;
	struct fake k;
	struct flow_config c = test_cfg();
	c.countdown_ms = 20000;
	fake_reset(&k, mixed_docs, 3);
	clock_ms = NOW0;
	flow_init(&f, &c, &fx, &k, clock_ms);
	send(&f, FEV_START, 0);
	type(&f, "12345678");
	send(&f, FEV_SUBMIT, 0);
	const int64_t t0 = clock_ms;
	tick(&f, t0 + 59999);
	CHECK_INT(k.alerts, 0);
	tick(&f, t0 + 60000);
	CHECK_INT(f.countdown, 1);
	CHECK_INT(k.alerts, 1);
	CHECK_INT(flow_countdown_left(&f), 20);
	/* the seconds stepping down raise no new alert */
	for (int s = 1; s < 20; s++)
		tick(&f, t0 + 60000 + s * 1000);
	CHECK_INT(k.alerts, 1);
	CHECK_INT(flow_countdown_left(&f), 1);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	/* a key (Enter) extends the session as a touch would */
	send_at(&f, FEV_SUBMIT, 0, t0 + 79500);
	CHECK_INT(f.countdown, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(k.issue_calls, 0); /* swallowed: it only dismissed the warning */
	/* the next warning: one more alert */
	tick(&f, t0 + 79500 + 60000);
	CHECK_INT(f.countdown, 1);
	CHECK_INT(k.alerts, 2);
	/* a touch anywhere on the overlay (its full-screen "more time") */
	send(&f, FEV_MORE_TIME, 0);
	CHECK_INT(f.countdown, 0);
	/* and a third, unanswered: wiped after the 20 s, still one alert for it */
	const int64_t t1 = clock_ms;
	tick(&f, t1 + 60000);
	CHECK_INT(k.alerts, 3);
	tick(&f, t1 + 79999);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	tick(&f, t1 + 80000);
	check_wiped(&f);
	CHECK_INT(k.alerts, 3);
	flow_free(&f);

	/* a flow without the hook (NULL) warns all the same */
	static const struct flow_fx quiet = {fake_lookup_start, fake_trm, fake_issue, fake_print, fake_reprint,
					     fake_offline, NULL};
	fake_reset(&k, mixed_docs, 3);
	clock_ms = NOW0;
	flow_init(&f, &c, &quiet, &k, clock_ms);
	send(&f, FEV_START, 0);
	tick(&f, NOW0 + 60000);
	CHECK_INT(f.countdown, 1);
	CHECK_INT(k.alerts, 0);
	flow_free(&f);
}

/* Audit: "Salir" asks first; only "Sí, salir" wipes. */
static void test_confirm_exit(void)
{
	struct flow f;
	struct fake k;
	to_portfolio(&f, &k, mixed_docs, 3);
	send(&f, FEV_TOGGLE_DOC, D_POL);
	send(&f, FEV_EXIT_ASK, 0);
	CHECK_INT(f.confirm_exit, 1);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(f.has_pf, 1);
	CHECK_STR(f.id, "12345678");
	/* "No, continuar": the session goes on as it was */
	send(&f, FEV_EXIT_KEEP, 0);
	CHECK_INT(f.confirm_exit, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(f.docs[D_POL].selected, 1);
	/* a touch beneath (the overlay's own) or a key keeps it too, and does nothing else */
	send(&f, FEV_EXIT_ASK, 0);
	send(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(f.confirm_exit, 0);
	CHECK_INT(k.issue_calls, 0);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	/* "Sí, salir": wiped */
	send(&f, FEV_EXIT_ASK, 0);
	send(&f, FEV_CANCEL, 0);
	check_wiped(&f);
	CHECK_INT(f.confirm_exit, 0);
	flow_free(&f);

	/* from ID entry too; and left alone, the inactivity warning comes over it, its
	 * "Terminar" wipes at once */
	fake_reset(&k, mixed_docs, 3);
	init(&f, &k);
	send(&f, FEV_START, 0);
	type(&f, "123");
	send(&f, FEV_EXIT_ASK, 0);
	CHECK_INT(f.confirm_exit, 1);
	tick(&f, clock_ms + 60000);
	CHECK_INT(f.countdown, 1);
	send(&f, FEV_CANCEL, 0);
	check_wiped(&f);
	flow_free(&f);

	/* unanswered: the session still ends by inactivity */
	fake_reset(&k, mixed_docs, 3);
	init(&f, &k);
	send(&f, FEV_START, 0);
	type(&f, "123");
	send(&f, FEV_EXIT_ASK, 0);
	tick(&f, clock_ms + 60000 + 15000);
	check_wiped(&f);
	flow_free(&f);

	/* on attract there is nothing to confirm */
	fake_reset(&k, mixed_docs, 3);
	init(&f, &k);
	send(&f, FEV_EXIT_ASK, 0);
	CHECK_INT(f.confirm_exit, 0);
	flow_free(&f);
}

/* Account services: "Mis servicios" and "Enviar por correo" hand the session over (held, not
 * wiped); while held the flow's own inactivity does not end it (the account activity keeps
 * the clock); FEV_RESUME brings it back on the same screen from now, with where a coupon's
 * e-mail will go; the end of the account session wipes it like any other end. */
static void test_handoff(void)
{
	struct flow f;
	struct fake k;
	to_portfolio(&f, &k, mixed_docs, 3);
	send(&f, FEV_TOGGLE_DOC, D_POL);
	CHECK_INT(f.handoff, FLOW_HANDOFF_NONE);
	send(&f, FEV_SERVICES, 0);
	CHECK_INT(f.handoff, FLOW_HANDOFF_SERVICES);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(f.has_pf, 1);
	/* five minutes in the account services: a late input does not wipe the held session */
	clock_ms += 5 * 60000;
	send(&f, FEV_LANG, 0);
	CHECK_INT(f.lang, LANG_EN);
	CHECK_INT(f.has_pf, 1);
	struct flow_event ev = {.type = FEV_RESUME, .now_ms = clock_ms};
	flow_handle(&f, &ev);
	CHECK_INT(f.handoff, FLOW_HANDOFF_NONE);
	CHECK_INT(f.screen, SCR_PORTFOLIO);
	CHECK_INT(f.docs[D_POL].selected, 1);
	CHECK_INT(f.emailed_to[0], 0); /* only a coupon e-mail sets it */
	/* the inactivity counts from the resume */
	tick(&f, clock_ms + 59000);
	CHECK_INT(f.countdown, 0);
	tick(&f, clock_ms + 1000);
	CHECK_INT(f.countdown, 1);
	send(&f, FEV_MORE_TIME, 0);
	/* "Mis servicios" is the portfolio's only: elsewhere it does nothing */
	send(&f, FEV_BACK, 0);
	CHECK_INT(f.screen, SCR_ID_ENTRY);
	send(&f, FEV_SERVICES, 0);
	CHECK_INT(f.handoff, FLOW_HANDOFF_NONE);
	flow_free(&f);

	/* the coupon: "Enviar por correo", then back with the masked address */
	to_portfolio(&f, &k, mixed_docs, 3);
	send(&f, FEV_TOGGLE_DOC, D_POL);
	send(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(f.screen, SCR_COUPON);
	send(&f, FEV_COUPON_EMAIL, 0);
	CHECK_INT(f.handoff, FLOW_HANDOFF_COUPON_EMAIL);
	ev = (struct flow_event){.type = FEV_RESUME, .now_ms = clock_ms, .text = "m****@correo.com"};
	flow_handle(&f, &ev);
	CHECK_INT(f.screen, SCR_COUPON);
	CHECK_STR(f.emailed_to, "m****@correo.com");
	/* the end of the session wipes it with the rest */
	send(&f, FEV_SERVICES, 0); /* not on the coupon screen */
	CHECK_INT(f.handoff, FLOW_HANDOFF_NONE);
	send(&f, FEV_COUPON_EMAIL, 0);
	ev = (struct flow_event){.type = FEV_RESUME, .now_ms = clock_ms};
	flow_handle(&f, &ev);
	send(&f, FEV_CANCEL, 0);
	check_wiped(&f);
	CHECK_INT(nonzero_bytes(f.emailed_to, sizeof f.emailed_to), 0);
	CHECK_INT(f.handoff, FLOW_HANDOFF_NONE);
	flow_free(&f);
}

/* Audit: a printed coupon's reference leaves the screen printed_ms after the print (or the
 * last touch), through the thank-you screen; "Terminar" is sooner. */
static void test_printed_leaves(void)
{
	struct flow f;
	struct fake k;
	to_portfolio(&f, &k, cop_docs, 1);
	send(&f, FEV_GEN_COUPON, 0);
	CHECK_INT(f.screen, SCR_COUPON);
	/* while it prints: the inactivity timer */
	CHECK(flow_next_deadline(&f) == clock_ms + 60000);
	clock_ms += 3000;
	struct flow_event ev = {.type = FEV_PRINT_DONE, .arg = 0, .now_ms = clock_ms, .id = f.coupon.seq};
	flow_handle(&f, &ev);
	CHECK_INT(f.print, PRINT_OK);
	const int64_t printed = clock_ms;
	CHECK(flow_next_deadline(&f) == printed + 20000);
	tick(&f, printed + 19999);
	CHECK_INT(f.screen, SCR_COUPON);
	tick(&f, printed + 20000);
	CHECK_INT(f.screen, SCR_DONE);
	CHECK(flow_next_deadline(&f) == printed + 20000 + 8000);
	tick(&f, printed + 28000);
	check_wiped(&f);
	CHECK_INT(nonzero_bytes(&f.coupon, sizeof f.coupon), 0);
	flow_free(&f);

	/* a touch on the coupon screen gives its reader the full time again */
	to_portfolio(&f, &k, cop_docs, 1);
	send(&f, FEV_GEN_COUPON, 0);
	ev = (struct flow_event){.type = FEV_PRINT_DONE, .arg = 0, .now_ms = clock_ms, .id = f.coupon.seq};
	flow_handle(&f, &ev);
	send_at(&f, FEV_LANG, 0, clock_ms + 15000);
	tick(&f, clock_ms + 19999);
	CHECK_INT(f.screen, SCR_COUPON);
	tick(&f, clock_ms + 1);
	CHECK_INT(f.screen, SCR_DONE);
	/* "Terminar" on the thank-you screen ends it at once */
	send(&f, FEV_FINISH, 0);
	check_wiped(&f);
	flow_free(&f);

	/* not printed (paper out): the screen is the customer's only record, it stays until the
	 * inactivity warning */
	to_portfolio(&f, &k, cop_docs, 1);
	send(&f, FEV_GEN_COUPON, 0);
	const int64_t t0 = clock_ms;
	ev = (struct flow_event){.type = FEV_PRINT_DONE, .arg = PRINTER_ERR_NOT_READY, .now_ms = clock_ms,
				 .id = f.coupon.seq};
	flow_handle(&f, &ev);
	CHECK(flow_next_deadline(&f) == t0 + 60000);
	tick(&f, t0 + 59000);
	CHECK_INT(f.screen, SCR_COUPON);
	flow_free(&f);

	/* a phone coupon: its QR is how the customer pays, it stays */
	to_portfolio(&f, &k, cop_docs, 1);
	send(&f, FEV_PAY_PHONE, 0);
	ev = (struct flow_event){.type = FEV_PRINT_DONE, .arg = 0, .now_ms = clock_ms, .id = f.coupon.seq};
	flow_handle(&f, &ev);
	CHECK(flow_next_deadline(&f) == clock_ms + 60000);
	tick(&f, clock_ms + 30000);
	CHECK_INT(f.screen, SCR_COUPON);
	flow_free(&f);

	/* amounts in a message follow the session's language: one convention per language */
	to_portfolio(&f, &k, max_cop_docs, 3);
	send(&f, FEV_LANG, 0);
	send(&f, FEV_TOGGLE_DOC, 0);
	send(&f, FEV_TOGGLE_DOC, 1);
	CHECK_INT(f.msg, STR_ERR_TOTAL_MAX);
	char m[400];
	flow_message(&f, m, sizeof m);
	CHECK(strstr(m, "$9,999,999,999,999") != NULL);
	CHECK(strstr(m, "$ 9.999") == NULL);
	send(&f, FEV_LANG, 0);
	send(&f, FEV_TOGGLE_DOC, 1);
	flow_message(&f, m, sizeof m);
	CHECK(strstr(m, "$ 9.999.999.999.999") != NULL);
	flow_free(&f);

	/* printed_ms 0: only "Terminar" or inactivity */
	struct flow_config c = test_cfg();
	c.printed_ms = 0;
	fake_reset(&k, cop_docs, 1);
	clock_ms = NOW0;
	flow_init(&f, &c, &fx, &k, clock_ms);
	send(&f, FEV_START, 0);
	type(&f, "12345678");
	send(&f, FEV_SUBMIT, 0);
	send(&f, FEV_GEN_COUPON, 0);
	ev = (struct flow_event){.type = FEV_PRINT_DONE, .arg = 0, .now_ms = clock_ms, .id = f.coupon.seq};
	flow_handle(&f, &ev);
	tick(&f, clock_ms + 30000);
	CHECK_INT(f.screen, SCR_COUPON);
	send(&f, FEV_FINISH, 0);
	CHECK_INT(f.screen, SCR_DONE);
	flow_free(&f);
}

int main(void)
{
	/* dates come from localtime: pin Bogotá (no DST) so "today" is 2026-11-22 anywhere */
	setenv("TZ", "<-05>5", 1);
	tzset();

	test_attract_to_id();
	test_id_entry();
	test_nit();
	test_lookup_results();
	test_tabs();
	test_no_trm();
	test_selection_totals();
	test_partial();
	test_issue_request();
	test_coupon_success();
	test_inactivity();
	test_cancel_back_lang();
	test_too_many();
	test_async_lookup();
	test_lookup_waiting_deadline();
	test_offline_limits();
	test_print_problems_reprint();
	test_coupon_max();
	test_usd_max();
	test_trm_ends();
	test_lone_debt();
	test_disabled_reasons();
	test_warning_alert();
	test_confirm_exit();
	test_printed_leaves();
	test_handoff();
	return check_done();
}
