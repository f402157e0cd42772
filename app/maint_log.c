/* Registro (maint-log): the kiosk's last LOGRING_LINES log lines (app/logring.h), newest at the
 * bottom as in a terminal, long lines wrapped. The copy is taken at entry and with
 * "Actualizar" (a copy under the ring's mutex: cheap on the UI thread); "Anteriores" / "Más
 * recientes" and swipes page through it. The log holds no personal data (project rule).
 * Audited: log.view ok, detail lines=N. */
#include "maint.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "logring.h"

#define ACT_OLDER 1
#define ACT_NEWER 2
#define ACT_REFRESH 3

struct lst {
	struct logring_snapshot snap;
	int anchor_top; /* 1: the page starts at `at`; 0: it ends just before `at` */
	int at;
	int first, last; /* the lines on the page drawn last (last exclusive) */
};

/* Each line as the technician reads it: the local time it was written, then the line (cut
 * back to a whole UTF-8 character if the time pushed it over the buffer). */
static void stamp_lines(struct logring_snapshot *snap)
{
	char t[LOGRING_LINE_MAX + 16];
	for (int i = 0; i < snap->n; i++) {
		time_t tt = (time_t)snap->at[i];
		struct tm tm;
		char hms[16] = "--:--:--";
		if (localtime_r(&tt, &tm))
			strftime(hms, sizeof hms, "%H:%M:%S", &tm);
		int len = snprintf(t, sizeof t, "%s  %s", hms, snap->line[i]);
		size_t keep = len < 0 ? 0 : (size_t)len;
		if (keep > LOGRING_LINE_MAX - 1) {
			keep = LOGRING_LINE_MAX - 1;
			while (keep && ((unsigned char)t[keep] & 0xC0) == 0x80)
				keep--;
		}
		memcpy(snap->line[i], t, keep);
		snap->line[i][keep] = 0;
	}
}

static void refresh(struct lst *s)
{
	logring_snapshot(&s->snap);
	stamp_lines(&s->snap);
	s->anchor_top = 0;
	s->at = s->snap.n;
	s->first = s->last = s->snap.n;
}

static void enter(struct app *a, void *st)
{
	struct lst *s = st;
	char detail[32];
	refresh(s);
	snprintf(detail, sizeof(detail), "lines=%d", s->snap.n);
	maint_audit(a, "log.view", "ok", detail);
}

static void page(struct lst *s, int dir)
{
	if (dir > 0 && s->last < s->snap.n) {
		s->anchor_top = 1;
		s->at = s->last;
	} else if (dir < 0 && s->first > 0) {
		s->anchor_top = 0;
		s->at = s->first;
	}
}

static void handle(struct app *a, void *st, const struct act_event *e)
{
	struct lst *s = st;
	maint_dirty(a);
	if (e->type == ACT_SCROLL) {
		page(s, e->pages);
	} else if (e->type == ACT_ACTION) {
		int act = e->act.action - MAINT_ACT_SCREEN;
		if (act == ACT_OLDER || act == ACT_NEWER)
			page(s, act == ACT_NEWER ? 1 : -1);
		else if (act == ACT_REFRESH)
			refresh(s);
	}
}

static void count_line(void *user, const char *line, size_t len, int index)
{
	(void)user;
	(void)line;
	(void)len;
	(void)index;
}

static int line_h(struct ui *ui, const char *text, int w)
{
	int n = text_wrap(ui->text, FONT_CAPTION, 0, text[0] ? text : " ", w, count_line, NULL);
	return (n > 0 ? n : 1) * ui_line_h(ui, FONT_CAPTION) + ui_px(ui, SP_XS);
}

static void draw(struct app *a, void *st, struct ui_rect body)
{
	struct lst *s = st;
	struct ui *ui = &a->ui;
	int gap = ui_px(ui, SP_S), pad = ui_px(ui, SP_S);
	int n = s->snap.n;
	const char *labels[3] = {tr(STR_MLOG_OLDER), tr(STR_MLOG_NEWER), tr(STR_MLOG_REFRESH)};
	int acts[3] = {ACT_OLDER, ACT_NEWER, ACT_REFRESH};

	/* the page: from `at` down, or up to it; a page that reaches the newest or the oldest line
	 * is filled from that end, so the first and the last pages are always full */
	int lh_s = ui_line_h(ui, FONT_SMALL);
	int top = body.y + lh_s + gap;
	/* always enabled: the header says where the page is ("Líneas 176–200 de 200"), and the
	 * buttons' rectangle is needed before the page is known */
	int enabled[3] = {1, 1, 1};
	struct ui_rect br = maint_buttons(ui, body, labels, acts, enabled, 3);
	int avail = br.y - gap - top - 2 * pad, w = body.w - 2 * pad;
	int first = s->at, last = s->at, used = 0;
	if (s->anchor_top) {
		while (last < n && (used + line_h(ui, s->snap.line[last], w) <= avail || last == first))
			used += line_h(ui, s->snap.line[last++], w);
		if (last == n)
			s->anchor_top = 0, s->at = n, first = last = n, used = 0;
	}
	if (!s->anchor_top) {
		if (s->at > n)
			s->at = n;
		first = last = s->at;
		while (first > 0 && (used + line_h(ui, s->snap.line[first - 1], w) <= avail || first == last))
			used += line_h(ui, s->snap.line[--first], w);
		/* the oldest page is full too */
		while (first == 0 && last < n && used + line_h(ui, s->snap.line[last], w) <= avail)
			used += line_h(ui, s->snap.line[last++], w);
	}
	s->first = first;
	s->last = last;
	ui->page_rows = last - first > 0 ? last - first : 1; /* swipes page */

	char line[200];
	if (n)
		snprintf(line, sizeof(line), tr(STR_MLOG_RANGE), first + 1, last, n);
	else
		snprintf(line, sizeof(line), "%s", tr(STR_MLOG_EMPTY));
	ui_label_fit(ui, body.x, body.y, body.w, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, line);
	if (s->snap.total > (uint64_t)n && first == 0) {
		snprintf(line, sizeof(line), tr(STR_MLOG_DROPPED), (unsigned long long)(s->snap.total - (uint64_t)n));
		ui_label_fit(ui, body.x + body.w, body.y, body.w / 2, FONT_SMALL, 0, THEME_MUTED, UI_RIGHT, line);
	}
	struct ui_rect box = {body.x, top, body.w, br.y - gap - top};
	ui_round(ui, box, ui_px(ui, RADIUS) / 2, THEME_SURFACE);
	ui_round_outline(ui, box, ui_px(ui, RADIUS) / 2, 2, THEME_LINE);
	int y = top + pad;
	for (int i = first; i < last; i++) {
		int h = line_h(ui, s->snap.line[i], w);
		if (i > first)
			ui_fill(ui, (struct ui_rect){box.x + pad, y - ui_px(ui, SP_XS) / 2 - 1, w, 1}, THEME_LINE);
		ui_para(ui, (struct ui_rect){box.x + pad, y, w, h}, FONT_CAPTION, 0, THEME_TEXT, UI_LEFT,
			s->snap.line[i][0] ? s->snap.line[i] : " ");
		y += h;
	}
}

const struct maint_screen maint_log_screen = {
	.id = "maint-log",
	.title = STR_MT_LOG,
	.state_size = sizeof(struct lst),
	.enter = enter,
	.handle = handle,
	.draw = draw,
};
