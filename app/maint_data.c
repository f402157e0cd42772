/* Datos (maint-data): the store's schema version, data age and size; a portfolio file imported
 * from removable storage with its progress and the importer's messages; the full integrity
 * check. Everything that touches files or the store runs on the maintenance worker
 * (maint_data_io.c); this file only draws and routes. docs/maintenance.md "Datos". */
#include "maint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "maint_data_io.h"
#include "maint_media.h"
#include "outbox_admin.h"

enum { ACT_IMPORT, ACT_CHECK, ACT_REFRESH, ACT_EJECT, ACT_FILE0 /* + the file's index */ };

/* What a scan brings back (the first job, "Actualizar", and after an import). */
struct scan {
	char dir[256];
	struct usbmedia_reply media; /* the helper's answer to "mount" (NO_HELPER: none); NONE
				      * after an eject: nothing listed until "Actualizar" */
	struct mdata_listing list;
	struct mdata_info info;
	int info_rc;
};
struct import_job {
	struct scan scan; /* the store and the folder again, after the import */
	char name[MDATA_NAME_MAX];
	int rc;
	struct store_import_report rep;
	char msg[256];
};
struct check_job {
	int rc; /* store_integrity_check's: 0 ok, 1 corrupt, <0 could not run */
	char detail[256];
	int64_t ms;
};

struct data_st {
	int scanned; /* a scan came back: list and info hold it */
	struct scan s;
	int sel; /* the chosen file: index + 1 (0: none) */
	char sel_name[MDATA_NAME_MAX];
	int running; /* 1 scan, 2 import, 3 check, 4 eject */
	int pct;
	char prog[64]; /* "1200 / 3300" */
	enum maint_level lv;
	char note[420];
};

/* A file name (or a message naming one) as shown: a run of 6 or more digits masked (a
 * stick's "cartera_1020304050.json" puts no ID number on screen), as the queue screen masks a
 * server's reason. One call per use: the buffer is the next call's. */
static const char *name_shown(const char *name)
{
	static char buf[MDATA_NAME_MAX + 32];
	outbox_admin_mask_reason(buf, sizeof(buf), name);
	return buf;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* the stick mounted first (the kiosk image's helper), then the folder listed; a stick that
 * cannot be used lists nothing (the empty folder under it is not the stick) */
static void do_scan(struct maint_job_env *env, struct scan *s)
{
	maint_media_mount(env->cfg, &s->media);
	if (maint_media_unusable(&s->media))
		memset(&s->list, 0, sizeof(s->list));
	else
		mdata_list(s->dir, &s->list);
	s->info_rc = env->store ? mdata_info(env->store, &s->info) : -1;
}

static int job_scan(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	(void)msg;
	(void)msgn;
	do_scan(env, arg);
	return 0;
}

static void import_progress(void *user, int64_t done, int64_t total)
{
	char m[64];
	snprintf(m, sizeof(m), "%lld / %lld", (long long)done, (long long)total);
	maint_job_progress(user, total > 0 ? (int)(done * 100 / total) : 0, m);
}

static int job_import(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct import_job *j = arg;
	(void)msg;
	(void)msgn;
	if (!env->store) {
		j->rc = -1;
		snprintf(j->msg, sizeof(j->msg), "the store could not be opened");
		return j->rc;
	}
	store_set_busy_timeout(env->store, 5000); /* the UI's short reads may hold it briefly */
	j->rc = mdata_import(env->store, j->scan.dir, j->name, import_progress, env, &j->rep, j->msg,
			     sizeof(j->msg));
	do_scan(env, &j->scan);
	return j->rc;
}

static int job_eject(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	(void)msg;
	(void)msgn;
	maint_media_eject(env->cfg, arg);
	return 0;
}

static int job_check(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct check_job *j = arg;
	(void)msg;
	(void)msgn;
	if (!env->store) {
		j->rc = -1;
		snprintf(j->detail, sizeof(j->detail), "the store could not be opened");
		return j->rc;
	}
	int64_t t0 = mono_ms();
	j->rc = store_integrity_check(env->store, j->detail, sizeof(j->detail));
	if (j->rc < 0)
		snprintf(j->detail, sizeof(j->detail), "%s", store_error(env->store));
	j->ms = mono_ms() - t0;
	return j->rc;
}

static int post(struct app *a, struct data_st *st, maint_job_fn fn, void *arg, int what)
{
	st->running = what; /* before: a result may come back at once */
	st->pct = -1;
	st->prog[0] = 0;
	if (maint_job_post(a, fn, arg) != 0) {
		free(arg);
		st->running = 0;
		st->lv = MAINT_WARN;
		snprintf(st->note, sizeof(st->note), "%s", tr(STR_MD_BUSY));
		return -1;
	}
	return 0;
}

static void scan(struct app *a, struct data_st *st)
{
	struct scan *s = calloc(1, sizeof(*s));
	if (!s)
		return;
	snprintf(s->dir, sizeof(s->dir), "%s", maint_removable_dir(a));
	post(a, st, job_scan, s, 1);
}

static void enter(struct app *a, void *vst)
{
	struct data_st *st = vst;
	st->lv = MAINT_INFO;
	snprintf(st->note, sizeof(st->note), "%s", tr(STR_MD_CHOOSE));
	scan(a, st);
}

static void when(char *out, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm) || !strftime(out, n, "%d/%m/%Y %H:%M", &tm))
		snprintf(out, n, "?");
}

static void size_text(char *out, size_t n, int64_t b)
{
	if (b >= 10LL << 30)
		snprintf(out, n, "%lld GB", (long long)(b >> 30));
	else if (b >= 1LL << 30)
		snprintf(out, n, "%.1f GB", (double)b / (1 << 30));
	else if (b >= 1LL << 20)
		snprintf(out, n, "%.1f MB", (double)b / (1 << 20));
	else
		snprintf(out, n, "%lld KB", (long long)((b + 1023) >> 10));
}

/* keeps the chosen file chosen across a new listing (by name), or forgets it */
static void keep_selection(struct data_st *st)
{
	st->sel = 0;
	for (int i = 0; st->sel_name[0] && i < st->s.list.n; i++)
		if (!strcmp(st->s.list.f[i].name, st->sel_name))
			st->sel = i + 1;
	if (!st->sel)
		st->sel_name[0] = 0;
}

static void import_done(struct app *a, struct data_st *st, struct import_job *j)
{
	char detail[160] = "", as_of[32];
	st->s = j->scan;
	st->scanned = 1;
	keep_selection(st);
	if (j->rc == 0) {
		when(as_of, sizeof(as_of), j->rep.as_of);
		st->lv = MAINT_OK;
		snprintf(st->note, sizeof(st->note), tr(STR_MD_IMPORTED), name_shown(j->name),
			 (long long)j->rep.customers, (long long)j->rep.documents, (long long)j->rep.trms,
			 as_of);
		mdata_count_code(detail, sizeof(detail), "customers", j->rep.customers);
		mdata_count_code(detail, sizeof(detail), "docs", j->rep.documents);
		mdata_count_code(detail, sizeof(detail), "trm", j->rep.trms);
		maint_audit(a, "data.import", "ok", detail);
		app_refresh_status(a); /* the attract screen's data age */
	} else {
		st->lv = MAINT_FAIL;
		snprintf(st->note, sizeof(st->note), tr(STR_MD_IMPORT_FAILED), name_shown(j->msg));
		maint_audit(a, "data.import", "failed",
			    j->rc == STORE_EINVAL ? "reason=invalid" : "reason=unreadable");
	}
}

static void check_done(struct app *a, struct data_st *st, struct check_job *j)
{
	char detail[64];
	snprintf(detail, sizeof(detail), "ms=%lld", (long long)(j->ms < 99999 ? j->ms : 99999));
	if (j->rc == 0) {
		st->lv = MAINT_OK;
		snprintf(st->note, sizeof(st->note), tr(STR_MD_CHECK_OK), (long long)j->ms);
		maint_audit(a, "data.integrity", "ok", detail);
	} else {
		st->lv = MAINT_FAIL;
		snprintf(st->note, sizeof(st->note), tr(j->rc > 0 ? STR_MD_CHECK_BAD : STR_MD_CHECK_FAILED),
			 j->detail);
		maint_audit(a, "data.integrity", "failed", j->rc > 0 ? "reason=corrupt" : "reason=not_run");
	}
}

static void eject_done(struct app *a, struct data_st *st, const struct usbmedia_reply *r)
{
	int done = maint_media_done(r);
	maint_media_text(st->note, sizeof(st->note), r);
	st->lv = done ? MAINT_OK : MAINT_FAIL;
	maint_audit(a, "data.eject", done ? "ok" : "failed",
		    r->st == USBMEDIA_EJECTED ? ""
		    : r->st == USBMEDIA_NONE  ? "reason=none"
		    : r->st == USBMEDIA_BUSY  ? "reason=busy"
					      : "reason=failed");
	if (done) { /* its files are gone from the screen with it */
		memset(&st->s.list, 0, sizeof(st->s.list));
		st->s.media.st = USBMEDIA_NONE;
		st->sel = 0;
		st->sel_name[0] = 0;
	}
}

static void handle(struct app *a, void *vst, const struct act_event *e)
{
	struct data_st *st = vst;
	if (e->type == ACT_JOB) {
		const struct maint_job_result *r = e->job;
		if (!r->done) {
			st->pct = r->pct;
			snprintf(st->prog, sizeof(st->prog), "%.63s", r->msg);
			maint_dirty(a);
			return;
		}
		st->running = 0;
		if (r->fn == job_scan) {
			st->s = *(struct scan *)r->arg;
			st->scanned = 1;
			keep_selection(st);
			/* "choose a file" only when there are files: otherwise the storage line says
			 * what to do (plug in the stick, then Actualizar) */
			if (st->s.list.n == 0 && !strcmp(st->note, tr(STR_MD_CHOOSE)))
				st->note[0] = 0;
			else if (st->s.list.n > 0 && !st->note[0])
				snprintf(st->note, sizeof(st->note), "%s", tr(STR_MD_CHOOSE));
		} else if (r->fn == job_import) {
			import_done(a, st, r->arg);
		} else if (r->fn == job_check) {
			check_done(a, st, r->arg);
		} else if (r->fn == job_eject) {
			eject_done(a, st, r->arg);
		}
		maint_dirty(a);
		return;
	}
	if (e->type != ACT_ACTION || e->act.action < MAINT_ACT_SCREEN)
		return;
	int act = e->act.action - MAINT_ACT_SCREEN;
	if (st->running) {
		st->lv = MAINT_WARN;
		snprintf(st->note, sizeof(st->note), "%s", tr(STR_MD_BUSY));
		return;
	}
	if (act >= ACT_FILE0 && act - ACT_FILE0 < st->s.list.n) {
		st->sel = act - ACT_FILE0 + 1;
		snprintf(st->sel_name, sizeof(st->sel_name), "%s", st->s.list.f[st->sel - 1].name);
		st->lv = MAINT_INFO;
		snprintf(st->note, sizeof(st->note), tr(STR_MD_CHOSEN), name_shown(st->sel_name));
	} else if (act == ACT_REFRESH) {
		scan(a, st);
	} else if (act == ACT_EJECT && st->s.media.st == USBMEDIA_MOUNTED) {
		struct usbmedia_reply *r = calloc(1, sizeof(*r));
		if (!r)
			return;
		post(a, st, job_eject, r, 4);
	} else if (act == ACT_IMPORT && st->sel) {
		struct import_job *j = calloc(1, sizeof(*j));
		if (!j)
			return;
		snprintf(j->scan.dir, sizeof(j->scan.dir), "%s", maint_removable_dir(a));
		snprintf(j->name, sizeof(j->name), "%s", st->sel_name);
		post(a, st, job_import, j, 2);
	} else if (act == ACT_CHECK) {
		struct check_job *j = calloc(1, sizeof(*j));
		if (!j)
			return;
		st->lv = MAINT_INFO;
		snprintf(st->note, sizeof(st->note), "%s", tr(STR_MD_CHECKING));
		post(a, st, job_check, j, 3);
	}
}

/* The height maint_note (ui_banner) takes for text in width w, to place it above the buttons
 * (the same measure as ui_banner's). */
static void draw(struct app *a, void *vst, struct ui_rect body)
{
	struct data_st *st = vst;
	struct ui *ui = &a->ui;
	char v[420], b1[48], b2[48];
	const char *labels[4] = {tr(STR_MD_IMPORT), tr(STR_MD_CHECK), tr(STR_MD_REFRESH), tr(STR_MD_EJECT)};
	const int acts[4] = {ACT_IMPORT, ACT_CHECK, ACT_REFRESH, ACT_EJECT};
	const int enabled[4] = {!st->running && st->sel > 0, !st->running, !st->running,
				!st->running && st->s.media.st == USBMEDIA_MOUNTED};
	/* "Expulsar" only where a helper mounts the stick (the kiosk image) */
	struct ui_rect btn = maint_buttons(ui, body, labels, acts, enabled,
					   st->s.media.st == USBMEDIA_NO_HELPER ? 3 : 4);
	int gap = ui_px(ui, 16), y = body.y, bottom = btn.y - gap;
	struct ui_rect r = {body.x, y, body.w, 0};

	if (!st->scanned) {
		ui_para(ui, r, FONT_BODY, 0, THEME_MUTED, UI_LEFT, tr(STR_MD_READING));
		return;
	}
	const struct mdata_info *in = &st->s.info;
	snprintf(v, sizeof(v), "%d", in->schema);
	r.y += maint_row(ui, r, st->s.info_rc == 0 ? MAINT_OK : MAINT_FAIL, tr(STR_MD_SCHEMA), v) + gap / 2;
	if (in->as_of > 0) {
		int64_t age = app_now_ms(a) / 1000 - in->as_of;
		when(b1, sizeof(b1), in->as_of);
		if (age < 48 * 3600)
			snprintf(v, sizeof(v), tr(STR_MD_AGE_H), b1, (long long)(age > 0 ? age / 3600 : 0));
		else
			snprintf(v, sizeof(v), tr(STR_MD_AGE_D), b1, (long long)(age / 86400));
		r.y += maint_row(ui, r, age > 7 * 86400 ? MAINT_WARN : MAINT_OK, tr(STR_MD_AS_OF), v) +
		       gap / 2;
	} else {
		r.y += maint_row(ui, r, MAINT_WARN, tr(STR_MD_AS_OF), tr(STR_MD_NEVER)) + gap / 2;
	}
	size_text(b1, sizeof(b1), in->store_bytes);
	size_text(b2, sizeof(b2), in->free_bytes);
	snprintf(v, sizeof(v), tr(STR_MD_STORE_VAL), b1, (long long)in->customers, (long long)in->documents,
		 b2);
	r.y += maint_row(ui, r, MAINT_INFO, tr(STR_MD_STORE), v) + gap / 2;

	const struct mdata_listing *l = &st->s.list;
	enum maint_level ulv = MAINT_OK;
	char m[160] = "";
	maint_media_text(m, sizeof(m), &st->s.media);
	if (st->s.media.st == USBMEDIA_NONE) { /* ejected */
		snprintf(v, sizeof(v), "%s: %s", st->s.dir, tr(STR_MD_USB_EJECTED));
		ulv = MAINT_INFO;
	} else if (maint_media_unusable(&st->s.media)) {
		snprintf(v, sizeof(v), "%s", st->s.media.st == USBMEDIA_NO_DEVICE ? tr(STR_MD_USB_PLUG) : m);
		ulv = MAINT_FAIL;
	} else switch (l->dir) {
	case MDATA_DIR_OK:
		if (l->n)
			snprintf(v, sizeof(v), tr(STR_MD_USB_FILES), st->s.dir, l->n + l->more);
		else
			snprintf(v, sizeof(v), tr(STR_MD_USB_NONE), st->s.dir);
		ulv = l->n ? MAINT_OK : MAINT_WARN;
		break;
	case MDATA_DIR_MISSING:
		snprintf(v, sizeof(v), tr(STR_MD_USB_MISSING), st->s.dir);
		ulv = MAINT_FAIL;
		break;
	case MDATA_DIR_UNREADABLE:
		snprintf(v, sizeof(v), tr(STR_MD_USB_UNREADABLE), st->s.dir, l->err);
		ulv = MAINT_FAIL;
		break;
	case MDATA_DIR_NOT_DIR:
		snprintf(v, sizeof(v), tr(STR_MD_USB_NOT_DIR), st->s.dir);
		ulv = MAINT_FAIL;
		break;
	}
	if (st->s.media.st == USBMEDIA_MOUNTED) { /* which stick, first */
		char both[sizeof(v)];
		snprintf(both, sizeof(both), "%s", v);
		snprintf(v, sizeof(v), "%.150s · %.260s", m, both);
	}
	r.y += maint_row(ui, r, ulv, tr(STR_MD_USB), v) + gap;

	/* the note (progress or the last result) just above the buttons, then the files between */
	if (st->running == 2) { /* the import's progress: a bar and its words */
		int pct = st->pct < 0 ? 0 : st->pct > 100 ? 100 : st->pct;
		int bar_h = ui_px(ui, 20);
		snprintf(v, sizeof(v), tr(STR_MD_IMPORTING), name_shown(st->sel_name), pct, st->prog[0] ? st->prog : "0");
		int note_h = ui_banner_height(ui, body.w, v);
		maint_note(ui, (struct ui_rect){body.x, bottom - note_h, body.w, note_h}, MAINT_INFO, v);
		struct ui_rect bar = {body.x, bottom - note_h - gap / 2 - bar_h, body.w, bar_h};
		ui_round(ui, bar, bar_h / 2, THEME_LINE);
		bar.w = body.w * pct / 100;
		if (bar.w >= bar_h)
			ui_round(ui, bar, bar_h / 2, THEME_ACCENT);
		bottom = bar.y - gap;
	} else {
		int note_h = ui_banner_height(ui, body.w, st->note);
		maint_note(ui, (struct ui_rect){body.x, bottom - note_h, body.w, note_h}, st->lv, st->note);
		bottom -= note_h + gap;
	}

	int row_h = ui_px(ui, TOUCH_MIN), shown = 0;
	for (int i = 0; i < l->n && r.y + row_h <= bottom; i++, shown++) {
		const struct mdata_file *f = &l->f[i];
		char lab[160];
		size_text(b1, sizeof(b1), f->bytes);
		when(b2, sizeof(b2), f->mtime);
		if (snprintf(lab, sizeof(lab), "%s · %s · %s", name_shown(f->name), b1, b2) < 0)
			continue;
		ui_button(ui, (struct ui_rect){r.x, r.y, r.w, row_h}, lab,
			  st->sel == i + 1 ? UI_PRIMARY : UI_SECONDARY,
			  (struct ui_action){MAINT_ACT_SCREEN + ACT_FILE0 + i, 0}, !st->running);
		r.y += row_h + gap / 2;
	}
	int line = ui_line_h(ui, FONT_SMALL);
	if (l->n - shown + l->more > 0 && r.y + line <= bottom) {
		snprintf(v, sizeof(v), tr(STR_MD_MORE), l->n - shown + l->more);
		r.y += ui_para(ui, r, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, v);
	}
	if (l->skipped && r.y + line <= bottom) {
		snprintf(v, sizeof(v), tr(STR_MD_SKIPPED), l->skipped);
		ui_para(ui, r, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, v);
	}
}

const struct maint_screen maint_data_screen = {
	.id = "maint-data",
	.title = STR_MT_DATA,
	.state_size = sizeof(struct data_st),
	.enter = enter,
	.handle = handle,
	.draw = draw,
};
