/* Impresora (maint-printer): the printer's state asked now, the test page (app/testpage.c,
 * as `recaudo maint test-page` prints it), paper feed, cut, and the last receipt reprinted as
 * COPIA. Everything goes through the kiosk's print queue (app/printq.h), so the UI never waits
 * for the printer; each result comes back as ACT_PRINT_DONE and is one audit row.
 * docs/maintenance.md "Impresora". */
#include "maint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "testpage.h"

enum { ACT_TEST, ACT_FEED, ACT_CUT, ACT_REPRINT, ACT_ASK };
#define FEED_LINES 6

struct printer_st {
	int asking;  /* a status request is out */
	int pending; /* the action whose job is out: ACT_TEST.. + 1 (0: none) */
	enum maint_level lv;
	char note[300];
};

static const char *audit_action(int act)
{
	switch (act) {
	case ACT_TEST:
		return "printer.test_page";
	case ACT_FEED:
		return "printer.feed";
	case ACT_CUT:
		return "printer.cut";
	default:
		return "printer.reprint";
	}
}

static void audit(struct app *a, int act, int ok, const struct printer_status *s, const char *why)
{
	char detail[96];
	if (why)
		snprintf(detail, sizeof(detail), "reason=%s", why);
	else
		snprintf(detail, sizeof(detail), "backend=%s state=%s", a->cfg.printer_backend,
			 printer_state_name(s->state));
	maint_audit(a, audit_action(act), ok ? "ok" : "failed", detail);
}

static void ask(struct app *a, struct printer_st *st)
{
	if (a->svc.pq && printq_ask_status(a->svc.pq) == 0)
		st->asking = 1;
}

static void enter(struct app *a, void *vst)
{
	struct printer_st *st = vst;
	st->lv = MAINT_INFO;
	ask(a, st);
}

/* The last receipt's coupon, found on the maintenance worker (a store read). */
struct last_job {
	uint64_t seq; /* 0: none */
	int rc;
};
static int job_last_receipt(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct last_job *j = arg;
	struct store_print_job pj;
	(void)msg;
	(void)msgn;
	j->rc = env->store ? store_print_job_last_receipt(env->store, &pj) : -1;
	j->seq = j->rc == 0 ? pj.coupon_seq : 0;
	return j->rc;
}

/* A job could not even be queued, or had nothing to print. */
static void not_queued(struct app *a, struct printer_st *st, int act, const char *why, enum str_id msg)
{
	audit(a, act, 0, NULL, why);
	st->lv = MAINT_FAIL;
	snprintf(st->note, sizeof(st->note), "%s", tr(msg));
}

static void failed_note(struct printer_st *st, const struct printq_result *r)
{
	struct printer_words w = printer_words(&r->status, r->rc);
	st->lv = MAINT_FAIL;
	snprintf(st->note, sizeof(st->note), tr(STR_MP_FAILED), tr(w.job),
		 printer_state_name(r->status.state));
}

static void print_done(struct app *a, struct printer_st *st, const struct printq_result *r)
{
	if (r->asked) {
		st->asking = 0;
		if (!st->pending) {
			st->lv = r->rc == 0 ? MAINT_OK : MAINT_WARN;
			snprintf(st->note, sizeof(st->note), tr(STR_MP_STATE_NOW),
				 tr(printer_words(&r->status, r->rc).line));
		}
		return;
	}
	if (!st->pending)
		return; /* not ours (a customer's job finishing as the technician came in) */
	int act = st->pending - 1;
	st->pending = 0;
	if (act == ACT_REPRINT && r->rc != 0 && strstr(r->error, "no receipt stored")) {
		/* its bytes were pruned by retention: nothing the printer could do */
		not_queued(a, st, act, "pruned", STR_MP_NO_RECEIPT);
		return;
	}
	audit(a, act, r->rc == 0, &r->status, NULL);
	if (r->rc != 0) {
		failed_note(st, r);
		return;
	}
	st->lv = MAINT_OK;
	switch (act) {
	case ACT_TEST:
		snprintf(st->note, sizeof(st->note), "%s", tr(STR_MP_TEST_OK));
		break;
	case ACT_FEED:
		snprintf(st->note, sizeof(st->note), "%s", tr(STR_MP_FEED_OK));
		break;
	case ACT_CUT:
		snprintf(st->note, sizeof(st->note), "%s", tr(STR_MP_CUT_OK));
		break;
	default:
		snprintf(st->note, sizeof(st->note), tr(STR_MP_REPRINT_OK), (unsigned long long)r->seq);
		break;
	}
}

static void start(struct app *a, struct printer_st *st, int act)
{
	int64_t now = app_now_ms(a) / 1000;
	char err[200];
	int rc = 0;
	if (!a->svc.pq) {
		not_queued(a, st, act, "no_printer", STR_MP_NONE);
		return;
	}
	switch (act) {
	case ACT_TEST: {
		struct testpage t = {.lang = LANG_ES,
				     .kiosk_id = a->cfg.kiosk_id,
				     .at = now,
				     .backend = a->cfg.printer_backend,
				     .dots = a->cfg.paper_dots,
				     .codepage = a->cfg.printer_codepage,
				     .status = &a->printer_status,
				     .biller_gln = a->cfg.biller_gln};
		rc = printq_test_page(a->svc.pq, &t, err, sizeof(err));
		break;
	}
	case ACT_FEED:
		rc = printq_feed(a->svc.pq, FEED_LINES, now);
		break;
	case ACT_CUT:
		rc = printq_cut(a->svc.pq, now);
		break;
	case ACT_REPRINT: {
		struct last_job *j = calloc(1, sizeof(*j));
		st->pending =
			act + 1; /* the job's answer, then the print (set first: it may answer at once) */
		st->lv = MAINT_INFO;
		snprintf(st->note, sizeof(st->note), "%s", tr(STR_MP_SENT));
		if (!j || maint_job_post(a, job_last_receipt, j) != 0) {
			free(j);
			st->pending = 0;
			st->lv = MAINT_WARN;
			snprintf(st->note, sizeof(st->note), "%s", tr(STR_MP_BUSY));
		}
		return;
	}
	}
	if (rc != 0) {
		not_queued(a, st, act, "queue", STR_MP_QUEUE_FULL);
		return;
	}
	st->pending = act + 1;
	st->lv = MAINT_INFO;
	snprintf(st->note, sizeof(st->note), "%s", tr(STR_MP_SENT));
}

static void handle(struct app *a, void *vst, const struct act_event *e)
{
	struct printer_st *st = vst;
	switch (e->type) {
	case ACT_PRINT_DONE:
		print_done(a, st, e->print);
		maint_dirty(a);
		return;
	case ACT_STATUS:
		maint_dirty(a);
		return;
	case ACT_JOB:
		if (e->job->done && e->job->fn == job_last_receipt) {
			const struct last_job *j = e->job->arg;
			st->pending = 0;
			if (j->rc != 0 || !j->seq)
				not_queued(a, st, ACT_REPRINT, j->rc > 0 ? "none" : "store",
					   j->rc > 0 ? STR_MP_NO_RECEIPT : STR_MP_STORE_ERR);
			else if (!a->svc.pq || app_fx_reprint(a, j->seq) != 0)
				not_queued(a, st, ACT_REPRINT, "queue", STR_MP_QUEUE_FULL);
			else
				st->pending = ACT_REPRINT + 1;
			maint_dirty(a);
		}
		return;
	case ACT_ACTION:
		break;
	default:
		return;
	}
	int act = e->act.action - MAINT_ACT_SCREEN;
	if (act < ACT_TEST || act > ACT_ASK)
		return;
	if (act == ACT_ASK) {
		ask(a, st);
		if (!a->svc.pq) {
			st->lv = MAINT_WARN;
			snprintf(st->note, sizeof(st->note), "%s", tr(STR_MP_NONE));
		}
		return;
	}
	if (st->pending) {
		st->lv = MAINT_WARN;
		snprintf(st->note, sizeof(st->note), "%s", tr(STR_MP_BUSY));
		return;
	}
	start(a, st, act);
}

static enum str_id job_word(enum printer_job_outcome o)
{
	switch (o) {
	case PRINTER_JOB_PRINTED:
		return STR_MP_JOB_PRINTED;
	case PRINTER_JOB_REFUSED:
		return STR_MP_JOB_REFUSED;
	case PRINTER_JOB_INCOMPLETE:
		return STR_MP_JOB_INCOMPLETE;
	case PRINTER_JOB_FAILED:
		return STR_MP_JOB_FAILED;
	default:
		return STR_MP_JOB_NONE;
	}
}

static enum maint_level level_of(const struct printer_status *s)
{
	switch (s->state) {
	case PRINTER_READY:
		return s->rc == 0 ? MAINT_OK : MAINT_FAIL;
	case PRINTER_PAPER_NEAR_END:
		return MAINT_WARN;
	default:
		return MAINT_FAIL;
	}
}

/* The height maint_note (ui_banner) takes for text in width w, to place it above the buttons
 * (the same measure as ui_banner's). */
static void draw(struct app *a, void *vst, struct ui_rect body)
{
	struct printer_st *st = vst;
	struct ui *ui = &a->ui;
	const struct printer_status *ps = &a->printer_status;
	char v[400];
	const char *labels[5] = {tr(STR_MP_TEST), tr(STR_MP_FEED), tr(STR_MP_CUT), tr(STR_MP_REPRINT),
				 tr(STR_MP_ASK)};
	const int acts[5] = {ACT_TEST, ACT_FEED, ACT_CUT, ACT_REPRINT, ACT_ASK};
	int have = a->svc.pq != NULL, free_ = have && !st->pending;
	const int enabled[5] = {free_, free_, free_, free_, have && !st->asking};
	struct ui_rect btn = maint_buttons(ui, body, labels, acts, enabled, 5);
	int gap = ui_px(ui, 16);
	struct ui_rect r = {body.x, body.y, body.w, 0};

	if (!have) {
		r.y += maint_row(ui, r, MAINT_FAIL, tr(STR_MP_STATE), tr(STR_MP_NONE)) + gap / 2;
	} else {
		struct printer_words w = printer_words(ps, ps->rc);
		snprintf(v, sizeof(v), "%s (%s)%s%s", tr(w.line), printer_state_name(ps->state),
			 st->asking ? " · " : "", st->asking ? tr(STR_MP_ASKING) : "");
		r.y += maint_row(ui, r, level_of(ps), tr(STR_MP_STATE), v) + gap / 2;
		r.y += maint_row(ui, r, MAINT_INFO, tr(STR_MP_DETAIL), ps->detail[0] ? ps->detail : "—") +
		       gap / 2;
		snprintf(v, sizeof(v), "%s (%s)", tr(job_word(ps->job)), printer_job_name(ps->job));
		r.y += maint_row(ui, r,
				 ps->job == PRINTER_JOB_PRINTED || ps->job == PRINTER_JOB_NONE ? MAINT_INFO
											       : MAINT_WARN,
				 tr(STR_MP_LAST_JOB), v) +
		       gap / 2;
	}
	snprintf(v, sizeof(v), "%s · %s", a->cfg.printer_backend,
		 a->cfg.printer_target[0] ? a->cfg.printer_target : "—");
	r.y += maint_row(ui, r, MAINT_INFO, tr(STR_MP_CONNECTION), v) + gap / 2;
	snprintf(v, sizeof(v), tr(STR_MP_PAPER_VAL), a->cfg.paper_dots >= 576 ? 80 : 58, a->cfg.paper_dots);
	r.y += maint_row(ui, r, MAINT_INFO, tr(STR_MP_PAPER), v) + gap;
	if (st->note[0]) {
		int note_h = ui_banner_height(ui, body.w, st->note);
		int y = btn.y - gap - note_h;
		maint_note(ui, (struct ui_rect){body.x, y > r.y ? y : r.y, body.w, note_h}, st->lv, st->note);
	}
}

const struct maint_screen maint_printer_screen = {
	.id = "maint-printer",
	.title = STR_MT_PRINTER,
	.state_size = sizeof(struct printer_st),
	.enter = enter,
	.handle = handle,
	.draw = draw,
};
