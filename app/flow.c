/* The customer journey (PRODUCT.md §2), as a pure state machine.
 *
 *            START                SUBMIT (found)            GEN_COUPON / PAY_PHONE
 *  ATTRACT ---------> ID_ENTRY -----------------> PORTFOLIO ----------------------> COUPON
 *     ^                 |  ^                      |  ^    (coupon durably issued)    |
 *     |          CANCEL |  |BACK        EDIT_AMOUNT|  |SUBMIT/BACK            FINISH |
 *     |                 v  |                      v  |                               v
 *     +------------- (wipe) <----------------  AMOUNT                              DONE
 *     |                                                                              |
 *     +----------------------- done_ms, FINISH, CANCEL ------------------------------+
 *
 *  Any screen but ATTRACT: inactivity_ms without input raises the countdown overlay
 *  ("¿Necesita más tiempo?", with fx->alert once); MORE_TIME or any input dismisses it;
 *  countdown_ms later the session is wiped (ID buffers and portfolio zeroed) and the kiosk
 *  returns to ATTRACT. EXIT_ASK ("Salir") raises the confirmation overlay: CANCEL wipes, any
 *  other input (EXIT_KEEP) keeps the session. COUPON whose receipt printed: printed_ms
 *  without input -> DONE. A touch on a disabled control (ev->disabled) only says why.
 *
 *  PORTFOLIO --SERVICES--> handoff (the account activity holds the session; its own clock)
 *  COUPON --COUPON_EMAIL--> handoff                 ... --RESUME--> the same screen, from now
 */
#include "flow.h"
#include "money_limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const screen_names[SCR_COUNT] = {
	[SCR_ATTRACT] = "attract",     [SCR_ID_ENTRY] = "id-entry", [SCR_PORTFOLIO] = "portfolio",
	[SCR_AMOUNT] = "amount",       [SCR_COUPON] = "coupon",     [SCR_DONE] = "done",
};

const char *screen_name(enum screen_id s) { return (unsigned)s < SCR_COUNT ? screen_names[s] : "?"; }

int32_t flow_today(const struct flow *f) { return date_from_epoch(f->now_ms / 1000); }

/* Amounts in a message: the convention of the session's language (one per language). */
static enum money_style money_style(const struct flow *f)
{
	return f->lang == LANG_EN ? MONEY_STYLE_EN : MONEY_STYLE_ES;
}

/* The last print job's outcome: its rc and the printer's status as the worker gave them
 * (none given: the state is unknown, read as READY, so only rc speaks). */
static void print_outcome(struct flow *f, int rc, const struct printer_status *st)
{
	memset(&f->print_status, 0, sizeof(f->print_status));
	if (st)
		f->print_status = *st;
	f->print_rc = rc;
}

/* Zeroes and frees the customer's portfolio and the selection state. */
static void release_portfolio(struct flow *f)
{
	if (f->has_pf) {
		if (f->pf.docs)
			explicit_bzero(f->pf.docs, sizeof(*f->pf.docs) * (size_t)f->pf.ndocs);
		explicit_bzero(f->pf.name, sizeof(f->pf.name));
		explicit_bzero(f->pf.id_number, sizeof(f->pf.id_number));
		portfolio_free(&f->pf);
	}
	memset(&f->pf, 0, sizeof(f->pf));
	f->has_pf = 0;
	free(f->docs);
	f->docs = NULL;
	f->ndocs = 0;
	f->has_cop = f->has_usd = 0;
	f->first_row = 0;
}

static void wipe(struct flow *f)
{
	/* zero what identified the customer before anything else happens on screen */
	explicit_bzero(f->id, sizeof(f->id));
	f->id_len = 0;
	f->dv_typed = -1;
	f->dv_mode = 0;
	release_portfolio(f);
	f->trm_ok = 0;
	explicit_bzero(f->amount, sizeof(f->amount));
	f->amount_len = 0;
	explicit_bzero(&f->coupon, sizeof(f->coupon));
	explicit_bzero(f->coupon_qr, sizeof(f->coupon_qr));
	explicit_bzero(f->emv_qr, sizeof(f->emv_qr));
	explicit_bzero(f->lines, sizeof(f->lines));
	f->nlines = 0;
	f->kind = NULL;
	f->print = PRINT_NONE;
	print_outcome(f, 0, NULL);
	f->reprints = 0;
	f->print_error[0] = 0;
	explicit_bzero(f->emailed_to, sizeof(f->emailed_to));
	f->handoff = FLOW_HANDOFF_NONE;
	f->countdown = 0;
	f->confirm_exit = 0;
	f->printed_at_ms = 0;
	f->msg = 0;
	explicit_bzero(f->msg_arg, sizeof(f->msg_arg));
	f->looking_up = 0; /* a late answer is dropped: lookup_req no longer matches */
	f->lookup_req++;
	f->pf_online = 0;
	f->id_type = ID_CC;
	f->lang = f->cfg.default_lang;
	f->large_text = 0;
	f->high_contrast = 0;
}

static void go(struct flow *f, enum screen_id s)
{
	f->screen = s;
	f->screen_since_ms = f->now_ms;
	f->msg = 0;
	f->confirm_exit = 0;
	f->dirty = 1;
}

void flow_init(struct flow *f, const struct flow_config *cfg, const struct flow_fx *fx, void *ctx,
	       int64_t now_ms)
{
	memset(f, 0, sizeof(*f));
	f->cfg = *cfg;
	f->fx = fx;
	f->ctx = ctx;
	f->now_ms = f->last_input_ms = now_ms;
	wipe(f);
	go(f, SCR_ATTRACT);
}

void flow_free(struct flow *f) { wipe(f); }

int flow_nit_dv(const struct flow *f)
{
	if (f->id_type != ID_NIT || f->id_len < id_min_len(ID_NIT))
		return -1;
	return nit_check_digit(f->id);
}

int flow_visible_count(const struct flow *f)
{
	int n = 0;
	for (int i = 0; i < f->ndocs; i++)
		n += f->pf.docs[i].cur == f->tab;
	return n;
}

int flow_visible_index(const struct flow *f, int row)
{
	for (int i = 0; i < f->ndocs; i++)
		if (f->pf.docs[i].cur == f->tab && row-- == 0)
			return i;
	return -1;
}

int flow_selected_count(const struct flow *f)
{
	int n = 0;
	for (int i = 0; i < f->ndocs; i++)
		n += f->docs[i].selected;
	return n;
}

int64_t flow_doc_cop(const struct flow *f, int i)
{
	const struct document *d = &f->pf.docs[i];
	if (d->cur == CUR_COP)
		return f->docs[i].pay;
	return f->trm_ok ? trm_usd_to_cop(f->docs[i].pay, &f->trm) : 0;
}

int64_t flow_total_cop(const struct flow *f)
{
	int64_t t = 0;
	for (int i = 0; i < f->ndocs; i++)
		if (f->docs[i].selected)
			t += flow_doc_cop(f, i);
	return t;
}

/* 1 if the selection, with document i paying `pay` (and selected), is more than one coupon
 * carries (money_limits.h) or cannot be priced: then says so, with the maximum. Every
 * selected amount is at most MONEY_MAX_COP_MINOR, so the sum of up to COUPON_MAX_DOCS of them
 * cannot overflow. */
static int over_coupon_max(struct flow *f, int i, int64_t pay)
{
	int64_t t = 0, cop;
	for (int k = 0; k < f->ndocs; k++)
		if (f->docs[k].selected && k != i)
			t += flow_doc_cop(f, k);
	if (f->pf.docs[i].cur == CUR_COP)
		cop = pay;
	else
		cop = f->trm_ok ? trm_usd_to_cop(pay, &f->trm) : -1;
	if (cop > 0 && cop <= MONEY_MAX_COP_MINOR && t + cop <= MONEY_MAX_COP_MINOR)
		return 0;
	money_format_style(f->msg_arg, sizeof(f->msg_arg), (struct money){MONEY_MAX_COP_MINOR, CUR_COP},
			   money_style(f));
	f->msg = STR_ERR_TOTAL_MAX;
	return 1;
}

/* Local midnight (ms) that ends the TRM on screen: the first instant of valid_to + 1. */
static int64_t trm_end_ms(const struct flow *f)
{
	int64_t s = date_start_epoch(date_add_days(f->trm.valid_to, 1));
	return s < 0 ? INT64_MAX : s * 1000;
}

/* Re-reads the TRM in force now. A rate that stopped being in force (the clock passed its
 * end, e.g. at midnight) or was replaced must not keep pricing the USD documents: with no
 * TRM the USD documents leave the selection (PRODUCT §3: no valid TRM, no USD payment); with
 * a new one the prices on screen change, and either way the customer is told. Returns 1 if
 * anything changed. */
static int trm_recheck(struct flow *f)
{
	if (!f->has_pf || !f->has_usd)
		return 0;
	struct trm now;
	int ok = f->fx->trm_for_date(f->ctx, flow_today(f), &now) == 0;
	if (ok == f->trm_ok && (!ok || !memcmp(&now, &f->trm, sizeof(now))))
		return 0;
	int had = f->trm_ok;
	struct trm old = f->trm;
	f->trm_ok = ok;
	if (ok)
		f->trm = now;
	f->dirty = 1;
	if (!ok) {
		for (int i = 0; i < f->ndocs; i++)
			if (f->pf.docs[i].cur == CUR_USD) {
				f->docs[i].selected = 0;
				f->docs[i].pay = f->pf.docs[i].balance;
			}
		if (f->screen == SCR_AMOUNT && f->pf.docs[f->edit_doc].cur == CUR_USD)
			go(f, SCR_PORTFOLIO);
		date_format(f->msg_arg, sizeof(f->msg_arg), had ? old.valid_to : flow_today(f));
		f->msg = STR_ERR_TRM_ENDED;
		return 1;
	}
	if (had && old.cop_minor_per_usd == now.cop_minor_per_usd)
		return 0; /* the same rate, in force for longer: the prices on screen stand */
	trm_format_style(f->msg_arg, sizeof(f->msg_arg), &f->trm, money_style(f));
	f->msg = STR_ERR_TRM_CHANGED;
	/* at the new rate the selection may no longer fit one coupon: drop the USD documents */
	if (flow_total_cop(f) > MONEY_MAX_COP_MINOR)
		for (int i = 0; i < f->ndocs; i++)
			if (f->pf.docs[i].cur == CUR_USD)
				f->docs[i].selected = 0;
	return 1;
}

int flow_doc_overdue(const struct flow *f, int i) { return f->pf.docs[i].due < flow_today(f); }

int flow_countdown_left(const struct flow *f)
{
	int64_t end = f->last_input_ms + f->cfg.inactivity_ms + f->cfg.countdown_ms;
	int64_t left = end - f->now_ms;
	return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

int flow_lookup_waiting(const struct flow *f)
{
	return f->looking_up && f->now_ms - f->lookup_since_ms >= FLOW_LOOKUP_SHOW_MS;
}

/* The moment the waiting banner is due, while a lookup is in flight and it is not up yet. */
static int64_t lookup_deadline(const struct flow *f)
{
	if (!f->looking_up || flow_lookup_waiting(f))
		return INT64_MAX;
	return f->lookup_since_ms + FLOW_LOOKUP_SHOW_MS;
}

/* A coupon whose receipt printed goes to the thank-you screen printed_ms after the print or
 * the last touch, whichever is later; INT64_MAX otherwise (a phone coupon's QR is how the
 * customer pays; a receipt that did not print leaves the screen as the only record). */
static int64_t printed_deadline(const struct flow *f)
{
	if (f->screen != SCR_COUPON || f->print != PRINT_OK || f->cfg.printed_ms <= 0 || f->countdown ||
	    (f->kind && !strcmp(f->kind, "phone")))
		return INT64_MAX;
	int64_t from = f->printed_at_ms > f->last_input_ms ? f->printed_at_ms : f->last_input_ms;
	return from + f->cfg.printed_ms;
}

/* The session's own timers: the thank-you timeout, the inactivity warning, the countdown. */
static int64_t session_deadline(const struct flow *f)
{
	switch (f->screen) {
	case SCR_ATTRACT:
		return INT64_MAX;
	case SCR_DONE:
		return f->screen_since_ms + f->cfg.done_ms;
	default:
		break;
	}
	int64_t warn = f->last_input_ms + f->cfg.inactivity_ms;
	if (!f->countdown)
		return warn;
	/* next whole second of the countdown, so the number on screen steps down */
	int64_t end = warn + f->cfg.countdown_ms;
	int64_t next = f->now_ms + 1000 - ((f->now_ms - warn) % 1000);
	return next < end ? next : end;
}

int64_t flow_next_deadline(const struct flow *f)
{
	int64_t d = session_deadline(f), lk = lookup_deadline(f), pr = printed_deadline(f);
	if (pr < d)
		d = pr; /* a printed coupon leaves the screen */
	if (lk < d)
		d = lk; /* the waiting banner, if the answer is slow */
	/* the TRM on screen stops being in force at midnight after its valid_to: re-check then */
	if ((f->screen == SCR_PORTFOLIO || f->screen == SCR_AMOUNT) && f->has_usd && f->trm_ok) {
		int64_t end = trm_end_ms(f);
		if (end < d)
			d = end;
	}
	return d;
}

void flow_message(const struct flow *f, char *buf, size_t n)
{
	if (!f->msg) {
		buf[0] = 0;
		return;
	}
	/* catalogue strings with a %s take msg_arg; the others have no conversion */
	if (strstr(tr_lang(f->lang, f->msg), "%s"))
		snprintf(buf, n, tr_lang(f->lang, f->msg), f->msg_arg);
	else
		snprintf(buf, n, "%s", tr_lang(f->lang, f->msg));
}

/* ---- ID entry ---- */

static void id_char(struct flow *f, char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (f->id_type == ID_NIT && c == '-') {
		if (f->id_len >= id_min_len(ID_NIT))
			f->dv_mode = 1;
		else
			f->msg = STR_ERR_ID_SHORT;
		return;
	}
	if (f->id_type == ID_NIT && f->dv_mode) {
		if (c < '0' || c > '9' || f->dv_typed >= 0) {
			f->msg = STR_ERR_DV_ONE_DIGIT;
			return;
		}
		f->dv_typed = c - '0';
		return;
	}
	if (!id_char_ok(f->id_type, c)) {
		f->msg = f->id_type == ID_PA ? STR_ERR_ID_CHARS_PA : STR_ERR_ID_DIGITS;
		return;
	}
	if (f->id_len >= id_max_len(f->id_type) || f->id_len >= FLOW_ID_MAX) {
		f->msg = STR_ERR_ID_LONG;
		return;
	}
	f->id[f->id_len++] = c;
	f->id[f->id_len] = 0;
}

static void id_back(struct flow *f)
{
	if (f->dv_mode) {
		if (f->dv_typed >= 0)
			f->dv_typed = -1;
		else
			f->dv_mode = 0;
		return;
	}
	if (f->id_len > 0)
		f->id[--f->id_len] = 0;
}

static void id_clear(struct flow *f)
{
	explicit_bzero(f->id, sizeof(f->id));
	f->id_len = 0;
	f->dv_typed = -1;
	f->dv_mode = 0;
}

static void toggle_doc(struct flow *f, int i);

static void load_portfolio(struct flow *f)
{
	f->ndocs = f->pf.ndocs < FLOW_MAX_DOCS ? f->pf.ndocs : FLOW_MAX_DOCS;
	f->docs = calloc((size_t)(f->ndocs ? f->ndocs : 1), sizeof(*f->docs));
	if (!f->docs) {
		portfolio_free(&f->pf);
		f->has_pf = 0;
		f->msg = STR_ERR_LOOKUP;
		return;
	}
	for (int i = 0; i < f->ndocs; i++) {
		f->docs[i].pay = f->pf.docs[i].balance;
		if (f->pf.docs[i].cur == CUR_USD)
			f->has_usd = 1;
		else
			f->has_cop = 1;
	}
	f->tab = f->has_cop || !f->has_usd ? CUR_COP : CUR_USD;
	f->first_row = 0;
	f->trm_ok = f->fx->trm_for_date(f->ctx, flow_today(f), &f->trm) == 0;
	go(f, SCR_PORTFOLIO);
	/* a lone debt is what the customer came to pay: selected already (when it can be: a
	 * dollar one needs a TRM in force, which the screen says otherwise) */
	if (f->ndocs == 1) {
		toggle_doc(f, 0);
		f->msg = 0;
		f->msg_arg[0] = 0;
	}
}

static void id_submit(struct flow *f)
{
	int dv = f->id_type == ID_NIT ? f->dv_typed : -1;
	switch (id_validate(f->id_type, f->id, dv)) {
	case ID_OK:
		break;
	case ID_ERR_EMPTY:
		f->msg = STR_ERR_ID_EMPTY;
		return;
	case ID_ERR_CHARS:
		f->msg = f->id_type == ID_PA ? STR_ERR_ID_CHARS_PA : STR_ERR_ID_DIGITS;
		return;
	case ID_ERR_SHORT:
		f->msg = STR_ERR_ID_SHORT;
		return;
	case ID_ERR_LONG:
		f->msg = STR_ERR_ID_LONG;
		return;
	case ID_ERR_DV:
		f->msg = STR_ERR_DV;
		return;
	}
	/* the answer comes back as FEV_LOOKUP_DONE; a newer request or a wipe makes it stale */
	f->looking_up = 1;
	f->lookup_since_ms = f->now_ms;
	f->lookup_req++;
	f->fx->lookup_start(f->ctx, f->lookup_req, f->id_type, f->id);
}

static void lookup_done(struct flow *f, const struct flow_event *ev)
{
	struct flow_lookup *r = ev->data;
	if (!r)
		return;
	if (!f->looking_up || ev->id != f->lookup_req || f->screen != SCR_ID_ENTRY) {
		portfolio_free(&r->pf); /* stale: the customer moved on */
		return;
	}
	f->looking_up = 0;
	f->dirty = 1;
	if (r->rc == 1) {
		f->msg = STR_ERR_UNKNOWN_ID;
		return;
	}
	if (r->rc < 0) {
		f->msg = STR_ERR_LOOKUP;
		return;
	}
	if (!r->online && f->cfg.max_data_age_s > 0 && f->now_ms / 1000 - r->pf.data_as_of > f->cfg.max_data_age_s) {
		/* offline with stale data: say so rather than show debts that may be paid already */
		char when[32];
		date_format(when, sizeof(when), date_from_epoch(r->pf.data_as_of));
		snprintf(f->msg_arg, sizeof(f->msg_arg), "%s", when);
		f->msg = STR_ERR_DATA_TOO_OLD;
		portfolio_free(&r->pf);
		return;
	}
	f->pf = r->pf;
	memset(&r->pf, 0, sizeof(r->pf));
	f->pf_online = r->online;
	f->has_pf = 1;
	load_portfolio(f);
}

/* ---- portfolio ---- */

static void toggle_doc(struct flow *f, int i)
{
	if (i < 0 || i >= f->ndocs)
		return;
	struct flow_doc *d = &f->docs[i];
	if (d->selected) {
		d->selected = 0;
		return;
	}
	if (f->pf.docs[i].cur == CUR_USD && !f->trm_ok) {
		f->msg = STR_ERR_NO_TRM;
		return;
	}
	if (flow_selected_count(f) >= COUPON_MAX_DOCS) {
		f->msg = STR_ERR_TOO_MANY;
		return;
	}
	if (over_coupon_max(f, i, d->pay))
		return;
	d->selected = 1;
}

static void open_amount(struct flow *f, int i)
{
	if (i < 0 || i >= f->ndocs)
		return;
	if (!f->pf.docs[i].partial_ok) {
		f->msg = STR_ERR_NOT_PARTIAL;
		return;
	}
	if (f->pf.docs[i].cur == CUR_USD && !f->trm_ok) {
		f->msg = STR_ERR_NO_TRM;
		return;
	}
	/* the editor selects the document: same limit as toggle_doc, or issue() would drop it */
	if (!f->docs[i].selected && flow_selected_count(f) >= COUPON_MAX_DOCS) {
		f->msg = STR_ERR_TOO_MANY;
		return;
	}
	f->edit_doc = i;
	explicit_bzero(f->amount, sizeof(f->amount));
	f->amount_len = 0;
	go(f, SCR_AMOUNT);
}

static void amount_char(struct flow *f, char c)
{
	if (c < '0' || c > '9') {
		f->msg = STR_ERR_AMOUNT_DIGITS;
		return;
	}
	if (f->amount_len == 0 && c == '0')
		return;
	/* every digit up to the balance is taken (a balance has at most MONEY_MAX_DIGITS whole
	 * units, money_limits.h); one that would take the value above it is refused, and says so */
	char next[sizeof(f->amount)];
	int64_t v;
	if (f->amount_len >= MONEY_MAX_DIGITS || f->amount_len + 1 >= (int)sizeof(next)) {
		f->msg = STR_ERR_AMOUNT_ABOVE;
		return;
	}
	memcpy(next, f->amount, (size_t)f->amount_len);
	next[f->amount_len] = c;
	next[f->amount_len + 1] = 0;
	int bad = money_parse_whole(next, &v) != 0 || v > f->pf.docs[f->edit_doc].balance;
	explicit_bzero(next, sizeof(next));
	if (bad) {
		f->msg = STR_ERR_AMOUNT_ABOVE;
		return;
	}
	f->amount[f->amount_len++] = c;
	f->amount[f->amount_len] = 0;
}

static void amount_submit(struct flow *f)
{
	const struct document *d = &f->pf.docs[f->edit_doc];
	int64_t v;
	if (f->amount_len == 0 || money_parse_whole(f->amount, &v) != 0) {
		f->msg = STR_ERR_AMOUNT_EMPTY;
		return;
	}
	if (v > d->balance) {
		f->msg = STR_ERR_AMOUNT_ABOVE;
		return;
	}
	if (v < d->min_partial && v != d->balance) {
		f->msg = STR_ERR_AMOUNT_BELOW;
		return;
	}
	if (over_coupon_max(f, f->edit_doc, v))
		return;
	f->docs[f->edit_doc].pay = v;
	f->docs[f->edit_doc].selected = 1;
	go(f, SCR_PORTFOLIO);
}

/* ---- coupon ---- */

/* The offline limits: a coupon while offline is capped, and so is what the kiosk has issued
 * that the server has not acknowledged yet. Says what is still possible. */
static int offline_refused(struct flow *f, const struct coupon_request *req)
{
	struct flow_offline st = {1, 0};
	if (f->fx->offline_status)
		f->fx->offline_status(f->ctx, &st);
	if (st.online)
		return 0;
	int64_t total = 0;
	for (int i = 0; i < req->nlines; i++)
		total += req->lines[i].cop_minor;
	int64_t cap = f->cfg.max_offline_coupon_minor;
	/* what the total limit still allows; an unknown or exceeded total allows nothing */
	int64_t left = INT64_MAX;
	if (f->cfg.max_offline_total_minor > 0) {
		left = st.unsynced_cop_minor < 0 || st.unsynced_cop_minor >= f->cfg.max_offline_total_minor
			       ? 0
			       : f->cfg.max_offline_total_minor - st.unsynced_cop_minor;
		left -= left % 100; /* whole pesos */
	}
	int64_t can = cap > 0 && cap < left ? cap : left;
	if (total <= can)
		return 0;
	if (can <= 0) {
		f->msg = STR_ERR_OFFLINE_TOTAL_REACHED;
	} else if (can == cap) {
		money_format_style(f->msg_arg, sizeof(f->msg_arg), (struct money){cap, CUR_COP},
				   money_style(f));
		f->msg = STR_ERR_OFFLINE_COUPON_CAP;
	} else {
		money_format_style(f->msg_arg, sizeof(f->msg_arg), (struct money){can, CUR_COP},
				   money_style(f));
		f->msg = STR_ERR_OFFLINE_TOTAL_CAP;
	}
	return 1;
}

static void issue(struct flow *f, const char *kind)
{
	/* the TRM that priced the screen must still be in force: if not, show the new prices */
	if (trm_recheck(f))
		return;
	if (flow_selected_count(f) == 0) {
		f->msg = STR_ERR_NONE_SELECTED;
		return;
	}
	if (flow_total_cop(f) > MONEY_MAX_COP_MINOR) {
		money_format_style(f->msg_arg, sizeof(f->msg_arg),
				   (struct money){MONEY_MAX_COP_MINOR, CUR_COP}, money_style(f));
		f->msg = STR_ERR_TOTAL_MAX;
		return;
	}
	struct coupon_request req;
	memset(&req, 0, sizeof(req));
	req.kiosk_id = f->cfg.kiosk_id;
	req.ref_length = f->cfg.ref_length;
	req.id_type = f->pf.id_type;
	snprintf(req.id_number, sizeof(req.id_number), "%s", f->pf.id_number);
	req.kind = kind;
	req.now = f->now_ms / 1000;
	req.due = date_add_days(flow_today(f), f->cfg.coupon_days);
	for (int i = 0; i < f->ndocs && req.nlines < COUPON_MAX_DOCS; i++) {
		if (!f->docs[i].selected)
			continue;
		struct coupon_line *l = &req.lines[req.nlines++];
		snprintf(l->doc_number, sizeof(l->doc_number), "%s", f->pf.docs[i].number);
		l->pay = (struct money){f->docs[i].pay, f->pf.docs[i].cur};
		l->cop_minor = flow_doc_cop(f, i);
		if (f->pf.docs[i].cur == CUR_USD) {
			req.has_trm = 1;
			req.trm = f->trm;
		}
	}
	/* a USD coupon cannot outlive the TRM it was priced at */
	if (req.has_trm && req.trm.valid_to < req.due)
		req.due = req.trm.valid_to;
	if (offline_refused(f, &req))
		return;
	/* pay by phone: make sure its QR can be built before anything is committed */
	if (!strcmp(kind, "phone")) {
		char probe[sizeof(f->emv_qr)], ref[COUPON_REF_MAX];
		int64_t total = 0;
		for (int i = 0; i < req.nlines; i++)
			total += req.lines[i].cop_minor;
		memset(ref, '0', (size_t)f->cfg.ref_length);
		ref[f->cfg.ref_length] = 0;
		if (!emvqr_build(probe, sizeof(probe), &f->cfg.merchant, total, ref, f->cfg.terminal)) {
			f->msg = STR_ERR_ISSUE;
			return;
		}
	}
	if (f->fx->issue(f->ctx, &req, &f->coupon) != 0) {
		f->msg = STR_ERR_ISSUE;
		return;
	}
	/* durable from here on: show it, then print it */
	memcpy(f->lines, req.lines, sizeof(req.lines[0]) * (size_t)req.nlines);
	f->nlines = req.nlines;
	f->kind = kind;
	if (!coupon_qr_payload(f->coupon_qr, sizeof(f->coupon_qr), &f->coupon, f->cfg.qr_key,
			       f->cfg.qr_key_len))
		f->coupon_qr[0] = 0;
	if (!emvqr_build(f->emv_qr, sizeof(f->emv_qr), &f->cfg.merchant, f->coupon.amount.minor,
			 f->coupon.reference, f->cfg.terminal))
		f->emv_qr[0] = 0;
	go(f, SCR_COUPON);
	f->print = PRINT_BUSY;
	if (!f->fx->print)
		f->print = PRINT_NONE;
	else if (f->fx->print(f->ctx, f) != 0) {
		f->print = PRINT_FAILED;
		print_outcome(f, PRINTER_ERR_IO, NULL);
	}
}

/* A copy of this coupon's receipt, marked COPIA: never a silent duplicate of the original. */
static void reprint(struct flow *f)
{
	if (!f->fx->reprint || f->print == PRINT_BUSY || f->reprints >= 3)
		return;
	if (f->fx->reprint(f->ctx, f->coupon.seq) != 0) {
		f->print = PRINT_FAILED;
		print_outcome(f, PRINTER_ERR_IO, NULL);
		return;
	}
	f->reprints++;
	f->print = PRINT_BUSY;
	print_outcome(f, 0, NULL);
}

/* ---- dispatch ---- */

/* Why a control drawn disabled does nothing, for the banner a touch on it raises. */
static enum str_id disabled_reason(const struct flow *f, const struct flow_event *ev)
{
	switch (ev->type) {
	case FEV_SUBMIT:
		return f->screen == SCR_AMOUNT ? STR_WHY_AMOUNT_EMPTY : STR_WHY_ID_EMPTY;
	case FEV_GEN_COUPON:
		return STR_WHY_COUPON_NONE;
	case FEV_PAY_PHONE:
		return STR_WHY_PHONE_NONE;
	case FEV_SCROLL:
		return ev->arg < 0 ? STR_WHY_FIRST_PAGE : STR_WHY_LAST_PAGE;
	case FEV_REPRINT:
		return f->print == PRINT_BUSY ? STR_WHY_PRINTING : STR_WHY_REPRINTS;
	default:
		return STR_WHY_DISABLED;
	}
}

int flow_message_is_reason(const struct flow *f)
{
	switch (f->msg) {
	case STR_WHY_ID_EMPTY: case STR_WHY_COUPON_NONE: case STR_WHY_PHONE_NONE: case STR_WHY_FIRST_PAGE:
	case STR_WHY_LAST_PAGE: case STR_WHY_AMOUNT_EMPTY: case STR_WHY_PRINTING: case STR_WHY_REPRINTS:
	case STR_WHY_DISABLED:
		return 1;
	default:
		return 0;
	}
}

static int is_input(enum flow_ev_type t)
{
	return t != FEV_TICK && t != FEV_PRINT_DONE && t != FEV_LOOKUP_DONE && t != FEV_NONE;
}

static void to_attract(struct flow *f)
{
	wipe(f);
	go(f, SCR_ATTRACT);
}

static void on_back(struct flow *f)
{
	switch (f->screen) {
	case SCR_ID_ENTRY:
		to_attract(f);
		break;
	case SCR_PORTFOLIO:
		/* back to the ID, keeping what was typed; the portfolio is zeroed and released */
		release_portfolio(f);
		go(f, SCR_ID_ENTRY);
		break;
	case SCR_AMOUNT:
		go(f, SCR_PORTFOLIO);
		break;
	default:
		break;
	}
}

static void screen_event(struct flow *f, const struct flow_event *ev)
{
	switch (f->screen) {
	case SCR_ATTRACT:
		if (ev->type == FEV_START)
			go(f, SCR_ID_ENTRY);
		else if (ev->type == FEV_REPRINT && f->fx->reprint)
			f->fx->reprint(f->ctx, 0); /* the receipt a restart may have cut short */
		break;
	case SCR_ID_ENTRY:
		if (f->looking_up)
			break; /* the number is being looked up: keep it as it is */
		switch (ev->type) {
		case FEV_ID_TYPE:
			if (ev->arg >= 0 && ev->arg < ID_TYPE_COUNT && (enum id_type)ev->arg != f->id_type) {
				f->id_type = (enum id_type)ev->arg;
				id_clear(f);
			}
			break;
		case FEV_KEY_CHAR:
			id_char(f, (char)ev->arg);
			break;
		case FEV_KEY_BACK:
			id_back(f);
			break;
		case FEV_KEY_CLEAR:
			id_clear(f);
			break;
		case FEV_SUBMIT:
			id_submit(f);
			break;
		default:
			break;
		}
		break;
	case SCR_PORTFOLIO:
		switch (ev->type) {
		case FEV_TAB:
			if ((ev->arg == CUR_COP && f->has_cop) || (ev->arg == CUR_USD && f->has_usd)) {
				f->tab = (enum currency)ev->arg;
				f->first_row = 0;
			}
			break;
		case FEV_TOGGLE_DOC:
			toggle_doc(f, ev->arg);
			break;
		case FEV_EDIT_AMOUNT:
			open_amount(f, ev->arg);
			break;
		case FEV_SCROLL: {
			int n = flow_visible_count(f);
			f->first_row += ev->arg;
			if (f->first_row > n - 1)
				f->first_row = n - 1;
			if (f->first_row < 0)
				f->first_row = 0;
			break;
		}
		case FEV_GEN_COUPON:
			issue(f, "coupon");
			break;
		case FEV_PAY_PHONE:
			issue(f, "phone");
			break;
		case FEV_SERVICES:
			f->handoff = FLOW_HANDOFF_SERVICES;
			break;
		default:
			break;
		}
		break;
	case SCR_AMOUNT:
		switch (ev->type) {
		case FEV_KEY_CHAR:
			amount_char(f, (char)ev->arg);
			break;
		case FEV_KEY_BACK:
			if (f->amount_len > 0)
				f->amount[--f->amount_len] = 0;
			break;
		case FEV_KEY_CLEAR:
			f->amount_len = 0;
			f->amount[0] = 0;
			break;
		case FEV_AMOUNT_FULL:
			if (over_coupon_max(f, f->edit_doc, f->pf.docs[f->edit_doc].balance))
				break;
			f->docs[f->edit_doc].pay = f->pf.docs[f->edit_doc].balance;
			f->docs[f->edit_doc].selected = 1;
			go(f, SCR_PORTFOLIO);
			break;
		case FEV_SUBMIT:
			amount_submit(f);
			break;
		default:
			break;
		}
		break;
	case SCR_COUPON:
		if (ev->type == FEV_FINISH)
			go(f, SCR_DONE);
		else if (ev->type == FEV_REPRINT)
			reprint(f);
		else if (ev->type == FEV_COUPON_EMAIL)
			f->handoff = FLOW_HANDOFF_COUPON_EMAIL;
		break;
	case SCR_DONE:
		if (ev->type == FEV_FINISH || ev->type == FEV_START)
			to_attract(f);
		else if (ev->type == FEV_REPRINT)
			reprint(f);
		break;
	default:
		break;
	}
}

void flow_handle(struct flow *f, const struct flow_event *ev)
{
	if (ev->now_ms > f->now_ms)
		f->now_ms = ev->now_ms;

	if (ev->type == FEV_PRINT_DONE) {
		/* only the result for the coupon on screen: a late job must not speak for another */
		if ((f->screen == SCR_COUPON || f->screen == SCR_DONE) && ev->id == f->coupon.seq) {
			f->print = ev->arg == 0 ? PRINT_OK : PRINT_FAILED;
			f->printed_at_ms = f->now_ms;
			print_outcome(f, ev->arg, ev->data);
			snprintf(f->print_error, sizeof(f->print_error), "%s", ev->text ? ev->text : "");
			f->dirty = 1;
		}
		return;
	}
	if (ev->type == FEV_LOOKUP_DONE) {
		lookup_done(f, ev);
		return;
	}
	if (ev->type == FEV_RESUME) {
		/* back from the account activity, which kept its own inactivity clock: the session
		 * goes on from now, on the screen it left */
		if (f->handoff == FLOW_HANDOFF_COUPON_EMAIL && ev->text)
			snprintf(f->emailed_to, sizeof(f->emailed_to), "%s", ev->text);
		f->handoff = FLOW_HANDOFF_NONE;
		f->last_input_ms = f->now_ms;
		f->countdown = 0;
		f->confirm_exit = 0;
		f->msg = 0;
		f->dirty = 1;
		return;
	}
	if (ev->type == FEV_TICK) {
		if (flow_lookup_waiting(f))
			f->dirty = 1; /* the answer is late: now say it is being looked up */
		if (f->screen == SCR_DONE && f->now_ms >= f->screen_since_ms + f->cfg.done_ms) {
			to_attract(f);
			return;
		}
		if (f->now_ms >= printed_deadline(f)) {
			go(f, SCR_DONE); /* the receipt is in the customer's hand: the reference goes */
			return;
		}
		if (f->screen == SCR_ATTRACT || f->screen == SCR_DONE)
			return;
		if (f->screen == SCR_PORTFOLIO || f->screen == SCR_AMOUNT)
			trm_recheck(f);
		int64_t idle = f->now_ms - f->last_input_ms;
		if (idle >= f->cfg.inactivity_ms + f->cfg.countdown_ms) {
			to_attract(f);
		} else if (idle >= f->cfg.inactivity_ms) {
			if (!f->countdown && f->fx->alert)
				f->fx->alert(f->ctx); /* once per warning: a tone for who looked away */
			f->countdown = 1;
			f->dirty = 1; /* the seconds left changed */
		}
		return;
	}
	if (!is_input(ev->type))
		return;
	/* input that arrives after the session expired, before any TICK (a stalled loop, a wake
	 * from sleep), must not revive it: wipe; the touch was meant for the old screen */
	if (f->screen != SCR_ATTRACT && f->screen != SCR_DONE && f->handoff == FLOW_HANDOFF_NONE &&
	    f->now_ms - f->last_input_ms >= f->cfg.inactivity_ms + f->cfg.countdown_ms) {
		to_attract(f);
		return;
	}

	/* Enter on a valid number shows nothing new until the answer comes, or the banner after
	 * FLOW_LOOKUP_SHOW_MS: no frame is asked for it unless something else changed */
	int quiet = f->screen == SCR_ID_ENTRY && ev->type == FEV_SUBMIT && !f->looking_up && !f->dirty &&
		    !f->msg && !f->countdown;
	f->last_input_ms = f->now_ms;
	f->dirty = 1;
	if (f->countdown) {
		/* the overlay swallows the touch that dismisses it */
		f->countdown = 0;
		if (ev->type != FEV_CANCEL)
			return;
	}
	if (ev->type == FEV_MORE_TIME)
		return;
	if (f->confirm_exit) {
		/* "Sí, salir" wipes; anything else ("No, continuar", a key) keeps the session */
		f->confirm_exit = 0;
		if (ev->type == FEV_CANCEL)
			to_attract(f);
		return;
	}
	f->msg = 0;
	f->msg_arg[0] = 0;
	if (ev->disabled) {
		f->msg = disabled_reason(f, ev);
		return;
	}
	if (ev->type == FEV_EXIT_ASK) {
		f->confirm_exit = f->screen != SCR_ATTRACT;
		return;
	}
	if (ev->type == FEV_EXIT_KEEP)
		return;
	if (ev->type == FEV_LANG) {
		f->lang = f->lang == LANG_ES ? LANG_EN : LANG_ES;
		return;
	}
	if (ev->type == FEV_TEXT_SIZE) {
		f->large_text = !f->large_text;
		return;
	}
	if (ev->type == FEV_CONTRAST) {
		f->high_contrast = !f->high_contrast;
		return;
	}
	if (ev->type == FEV_CANCEL) {
		to_attract(f);
		return;
	}
	if (ev->type == FEV_BACK) {
		on_back(f);
		return;
	}
	screen_event(f, ev);
	if (quiet && f->looking_up)
		f->dirty = 0;
}
