/* Totales (maint-totals): a day's coupons as the kiosk's totals — count and sum per currency,
 * the sequence range and its holes flagged (WARN and the word) — for today on entry, with
 * "Día anterior"/"Día siguiente" (never after today) to choose a day, and "Imprimir totales"
 * (the totals slip, app/totals_slip.c) through the print queue. The query (store_totals_day)
 * runs as a maintenance job on the worker's own connection, never on the UI thread. Audited:
 * totals.view (each day read, ok|failed) and totals.print (ok|failed). docs/maintenance.md
 * "## Totales". */
#include "maint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "printq.h"
#include "store_totals.h"
#include "totals_slip.h"

enum { A_PREV, A_NEXT, A_PRINT };

/* The job's block: the day asked for, the totals or the failure. */
struct totals_job {
	int32_t day;
	int rc;
	struct store_totals t;
};

struct totals_st {
	int32_t day, today;
	int loading;      /* a job for `day` is posted */
	int want;         /* a day is waiting for the worker to be free */
	int64_t retry_at; /* app clock ms: post it again */
	int have;         /* t holds `day`'s totals */
	struct store_totals t;
	int printing;
	int32_t print_day; /* the day on the slip being printed */
	enum maint_level note_lv;
	char note[200];
};

static int job_totals(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct totals_job *j = arg;

	if (!env->store) {
		snprintf(msg, msgn, "the store could not be opened");
		return j->rc = -1;
	}
	j->rc = store_totals_day(env->store, j->day, &j->t);
	if (j->rc != 0)
		snprintf(msg, msgn, "%s", store_error(env->store));
	return j->rc;
}

static void day_detail(char *out, size_t n, int32_t day)
{
	snprintf(out, n, "day=%04d-%02d-%02d", (int)(day / 10000), (int)(day / 100 % 100), (int)(day % 100));
}

static int32_t today_of(const struct app *a)
{
	return date_from_epoch(app_now_ms(a) / 1000);
}

static void post(struct app *a, struct totals_st *s)
{
	struct totals_job *j = calloc(1, sizeof *j);

	if (!j)
		return;
	j->day = s->day;
	if (maint_job_post(a, job_totals, j) != 0) { /* another job still runs: again shortly */
		free(j);
		s->want = 1;
		s->retry_at = app_now_ms(a) + 200;
		return;
	}
	s->want = 0;
	s->loading = 1;
	s->have = 0;
}

static void show_day(struct app *a, struct totals_st *s, int32_t day)
{
	s->day = day;
	s->note[0] = 0;
	post(a, s);
	maint_dirty(a);
}

static void enter(struct app *a, void *st)
{
	struct totals_st *s = st;

	s->today = today_of(a);
	show_day(a, s, s->today);
}

static void print(struct app *a, struct totals_st *s)
{
	char err[200], detail[64];
	struct totals_slip sl = {.lang = i18n_get(),
				 .kiosk_id = a->cfg.kiosk_id,
				 .printed_at = app_now_ms(a) / 1000,
				 .dots = a->cfg.paper_dots,
				 .codepage = a->cfg.printer_codepage,
				 .t = &s->t};

	if (!s->have || s->printing)
		return;
	if (!a->svc.pq || totals_slip_submit(a->svc.pq, &sl, err, sizeof err) != 0) {
		day_detail(detail, sizeof detail, s->day);
		snprintf(detail + strlen(detail), sizeof detail - strlen(detail), " state=%s",
			 a->svc.pq ? "not_queued" : "no_printer");
		maint_audit(a, "totals.print", "failed", detail);
		s->note_lv = MAINT_FAIL;
		snprintf(s->note, sizeof s->note, "%s",
			 tr(a->svc.pq ? STR_MTOT_PRINT_FAILED : STR_MTOT_NO_PRINTER));
		return;
	}
	s->printing = 1;
	s->print_day = s->day;
	s->note_lv = MAINT_INFO;
	snprintf(s->note, sizeof s->note, "%s", tr(STR_MTOT_PRINTING));
}

static void handle(struct app *a, void *st, const struct act_event *e)
{
	struct totals_st *s = st;
	char detail[120];

	switch (e->type) {
	case ACT_ACTION:
		s->today = today_of(a);
		if (e->act.action == MAINT_ACT_SCREEN + A_PREV && !s->loading)
			show_day(a, s, date_add_days(s->day, -1));
		else if (e->act.action == MAINT_ACT_SCREEN + A_NEXT && !s->loading && s->day < s->today)
			show_day(a, s, date_add_days(s->day, 1));
		else if (e->act.action == MAINT_ACT_SCREEN + A_PRINT)
			print(a, s);
		break;
	case ACT_TICK:
		if (s->want && app_now_ms(a) >= s->retry_at)
			post(a, s);
		break;
	case ACT_JOB:
		if (e->job->fn != job_totals || !e->job->done)
			break;
		{
			struct totals_job *j = e->job->arg;
			day_detail(detail, sizeof detail, j->day);
			if (j->day != s->day) /* an answer for a day no longer shown */
				break;
			s->loading = 0;
			if (j->rc != 0) {
				s->note_lv = MAINT_FAIL;
				snprintf(s->note, sizeof s->note, "%s: %.150s", tr(STR_MTOT_FAILED),
					 e->job->msg);
				maint_audit(a, "totals.view", "failed", detail);
			} else {
				s->t = j->t;
				s->have = 1;
				snprintf(detail + strlen(detail), sizeof detail - strlen(detail), " gaps=%d",
					 store_totals_flagged(&s->t));
				maint_audit(a, "totals.view", "ok", detail);
			}
		}
		maint_dirty(a);
		break;
	case ACT_PRINT_DONE:
		if (!s->printing || e->print->kind != STORE_PRINT_REPORT ||
		    strncmp(e->print->ref, "totals-", 7) != 0)
			break;
		s->printing = 0;
		day_detail(detail, sizeof detail, s->print_day);
		snprintf(detail + strlen(detail), sizeof detail - strlen(detail), " state=%s",
			 printer_state_name(e->print->status.state));
		maint_audit(a, "totals.print", e->print->rc == 0 ? "ok" : "failed", detail);
		if (e->print->rc == 0) {
			s->note_lv = MAINT_OK;
			snprintf(s->note, sizeof s->note, "%s", tr(STR_MTOT_PRINTED_OK));
		} else {
			struct printer_words w = printer_words(&e->print->status, e->print->rc);
			s->note_lv = MAINT_FAIL;
			snprintf(s->note, sizeof s->note, "%s: %s", tr(STR_MTOT_PRINT_FAILED), tr(w.job));
		}
		maint_dirty(a);
		break;
	default:
		break;
	}
}

static int64_t next_deadline(const struct app *a, const void *st)
{
	const struct totals_st *s = st;

	(void)a;
	return s->want ? s->retry_at : INT64_MAX;
}

static void gaps_text(char *out, size_t n, const struct store_totals *t)
{
	const struct {
		enum str_id what;
		uint64_t n;
	} parts[] = {{STR_MTOT_MISSING, t->missing},
		     {STR_MTOT_OTHER_DAY, t->other_day},
		     {STR_MTOT_MISSING_BEFORE, t->missing_before}};
	size_t k = 0;

	out[0] = 0;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0] && k < n; i++) /* only what is there */
		if (parts[i].n) {
			const char *w = tr(parts[i].what);
			/* "Faltan 3, con otra fecha 1": the first word capitalised only */
			k += (size_t)snprintf(out + k, n - k, "%s%c%s %llu", k ? ", " : "",
					      k && w[0] >= 'A' && w[0] <= 'Z' ? w[0] - 'A' + 'a' : w[0],
					      w + 1, (unsigned long long)parts[i].n);
		}
	for (int i = 0; i < t->ngaps && k < n; i++) {
		const struct totals_gap *g = &t->gaps[i];
		if (g->from == g->to)
			k += (size_t)snprintf(out + k, n - k, "%s%llu", i ? ", " : ": ",
					      (unsigned long long)g->from);
		else
			k += (size_t)snprintf(out + k, n - k, "%s%llu-%llu", i ? ", " : ": ",
					      (unsigned long long)g->from, (unsigned long long)g->to);
	}
	if (k < n && t->ngaps == TOTALS_MAX_GAPS)
		snprintf(out + k, n - k, " …");
}

static void draw(struct app *a, void *st, struct ui_rect body)
{
	struct totals_st *s = st;
	struct ui *ui = &a->ui;
	const char *labels[3] = {tr(STR_MTOT_PREV_DAY), tr(STR_MTOT_NEXT_DAY), tr(STR_MTOT_PRINT)};
	const int acts[3] = {A_PREV, A_NEXT, A_PRINT};
	const int enabled[3] = {!s->loading, !s->loading && s->day < s->today,
				s->have && !s->printing && !s->loading};
	struct ui_rect btn = maint_buttons(ui, body, labels, acts, enabled, 3);
	struct ui_rect r = body;
	int gap = ui_px(ui, 12), bottom = btn.y - gap;
	char a1[64], a2[64], text[400];

	date_format(a1, sizeof a1, s->day);
	if (s->day == s->today)
		snprintf(text, sizeof text, "%s: %s (%s)", tr(STR_MTOT_DAY), a1, tr(STR_MTOT_TODAY));
	else
		snprintf(text, sizeof text, "%s: %s", tr(STR_MTOT_DAY), a1);
	r.h = bottom - r.y;
	r.y += ui_para(ui, r, FONT_TITLE, 1, THEME_TEXT, UI_LEFT, text) + gap;
	r.h = bottom - r.y;
	if (s->loading || s->want) {
		maint_note(ui, r, MAINT_INFO, tr(STR_MTOT_LOADING));
	} else if (s->have) {
		const struct store_totals *t = &s->t;

		money_format(a1, sizeof a1, (struct money){t->cop_minor, CUR_COP});
		snprintf(text, sizeof text, "%lld %s · %s", (long long)t->coupons,
			 tr(t->coupons == 1 ? STR_MTOT_W_COUPON : STR_MTOT_W_COUPONS), a1);
		r.y += maint_row(ui, r, MAINT_INFO, tr(STR_MTOT_COUPONS), text) + gap / 2;
		for (int i = 0; i < t->ncur; i++) {
			r.h = bottom - r.y;
			money_format(a1, sizeof a1, (struct money){t->cur[i].minor, t->cur[i].cur});
			snprintf(text, sizeof text, "%lld %s · %lld %s · %s", (long long)t->cur[i].coupons,
				 tr(t->cur[i].coupons == 1 ? STR_MTOT_W_COUPON : STR_MTOT_W_COUPONS),
				 (long long)t->cur[i].docs,
				 tr(t->cur[i].docs == 1 ? STR_MTOT_W_DOC : STR_MTOT_W_DOCS), a1);
			r.y += maint_row(ui, r, MAINT_INFO, currency_code(t->cur[i].cur), text) + gap / 2;
		}
		if (t->coupons > 0) {
			r.h = bottom - r.y;
			snprintf(a2, sizeof a2, "%llu", (unsigned long long)t->prev_seq);
			snprintf(text, sizeof text, tr(STR_MTOT_SEQ_FMT), (unsigned long long)t->first_seq,
				 (unsigned long long)t->last_seq, t->prev_seq ? a2 : "—");
			r.y += maint_row(ui, r, MAINT_INFO, tr(STR_MTOT_SEQ), text) + gap / 2;
			r.h = bottom - r.y;
			if (store_totals_flagged(t)) {
				gaps_text(text, sizeof text, t);
				r.y += maint_row(ui, r, MAINT_WARN, tr(STR_MTOT_GAPS), text) + gap / 2;
			} else {
				r.y += maint_row(ui, r, MAINT_OK, tr(STR_MTOT_GAPS), tr(STR_MTOT_GAPS_NONE)) +
				       gap / 2;
			}
		} else {
			r.h = bottom - r.y;
			r.y += maint_row(ui, r, MAINT_INFO, tr(STR_MTOT_SEQ), tr(STR_MTOT_NONE)) + gap / 2;
		}
	}
	if (s->note[0]) {
		r.h = bottom - r.y;
		maint_note(ui, r, s->note_lv, s->note);
	}
}

const struct maint_screen maint_totals_screen = {
	.id = "maint-totals",
	.title = STR_MT_TOTALS,
	.state_size = sizeof(struct totals_st),
	.enter = enter,
	.handle = handle,
	.next_deadline = next_deadline,
	.draw = draw,
};
