/* Software (maint-update): the installed version and slot, the update bundles on the
 * technician's stick (mounted first through the USB stick helper), and the install of one of
 * them through the update helper (drivers/updater.h, docs/update-helper.md): a second tap
 * confirms, a bundle that is not newer needs the same second tap and goes in forced, the wait
 * for the server's acknowledgements and the install report as they come, and the kiosk reboots
 * into the new slot when it is done. Everything that talks to a helper runs on the maintenance
 * worker. docs/maintenance.md "Software". */
#include "maint.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "maint_media.h"
#include "maint_update.h"
#include "svcmgr.h"
#include "updater.h"

enum { ACT_INSTALL, ACT_REFRESH, ACT_BUNDLE0 /* + the bundle's index */ };

/* A second tap on "Instalar" within this long confirms; one sooner than MAINT_UPDATE_BOUNCE_MS
 * after the first is a bounce or a double tap, not a decision, and is ignored. */
#define MAINT_UPDATE_CONFIRM_MS 15000
#define MAINT_UPDATE_BOUNCE_MS 600

struct scan_job {
	struct usbmedia_reply media;
	struct updater_list list;
	char slot[SVCMGR_SLOT_MAX + 1];
};
struct install_job {
	char name[sizeof(((struct updater_bundle *)0)->name)];
	char version[sizeof(((struct updater_bundle *)0)->version)];
	int force;
	struct updater_install res;
	struct maint_job_env *env; /* for the progress reports, while the job runs */
};

struct update_st {
	int scanned;
	struct scan_job s;
	int sel;               /* the chosen bundle: index + 1 (0: none) */
	int running;           /* 1 scan, 2 install */
	int installed;         /* the install is done: the machine reboots, nothing more to do */
	int64_t confirm_until; /* app ms: a second tap on Instalar before this installs sel */
	enum maint_level lv;
	char note[320];
};

static void read_slot(char *out, size_t n)
{
	char cmdline[2048] = "";
	FILE *f = fopen("/proc/cmdline", "r");
	if (f) {
		if (!fgets(cmdline, sizeof(cmdline), f))
			cmdline[0] = 0;
		fclose(f);
	}
	svcmgr_slot_parse(cmdline, out, n);
}

static int job_scan(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct scan_job *s = arg;
	(void)msg;
	(void)msgn;
	read_slot(s->slot, sizeof(s->slot));
	if (!env->cfg->update_helper[0]) {
		s->list.res = UPDATER_NO_HELPER;
		return 0;
	}
	maint_media_mount(env->cfg, &s->media);
	if (maint_media_unusable(&s->media)) {
		s->list.res = UPDATER_DONE; /* nothing to list: the storage line says why */
		snprintf(s->list.running, sizeof(s->list.running), "-");
		return 0;
	}
	updater_list(env->cfg->update_helper, MAINT_UPDATE_LIST_MS, &s->list);
	return 0;
}

void maint_update_phase_text(char *out, size_t n, enum updater_phase ph, const char *version)
{
	if (ph == UPDATER_CHECKED)
		snprintf(out, n, tr(STR_MU_CHECKED), version);
	else if (ph == UPDATER_WAITING)
		snprintf(out, n, tr(STR_MU_WAITING), version, MAINT_UPDATE_WAIT_S / 60);
	else
		snprintf(out, n, tr(STR_MU_INSTALLING), version);
}

static void on_phase(void *ctx, enum updater_phase ph, const char *version)
{
	struct install_job *j = ctx;
	char m[256];
	maint_update_phase_text(m, sizeof(m), ph, version);
	maint_job_progress(j->env, -1, m);
}

static int job_install(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct install_job *j = arg;
	(void)msg;
	(void)msgn;
	j->env = env;
	/* the wait, then the install itself: minutes under a slow disk */
	updater_install(env->cfg->update_helper, j->name, MAINT_UPDATE_WAIT_S, j->force,
			(MAINT_UPDATE_WAIT_S + 30 * 60) * 1000, on_phase, j, &j->res);
	j->env = NULL;
	return 0;
}

static int post(struct app *a, struct update_st *st, maint_job_fn fn, void *arg, int what)
{
	st->running = what;
	if (maint_job_post(a, fn, arg) != 0) {
		free(arg);
		st->running = 0;
		st->lv = MAINT_WARN;
		snprintf(st->note, sizeof(st->note), "%s", tr(STR_MD_BUSY));
		return -1;
	}
	return 0;
}

static void scan(struct app *a, struct update_st *st)
{
	struct scan_job *s = calloc(1, sizeof(*s));
	if (s)
		post(a, st, job_scan, s, 1);
}

static void enter(struct app *a, void *vst)
{
	struct update_st *st = vst;
	st->lv = MAINT_INFO;
	scan(a, st);
}

static const char *rel_text(enum updater_rel r)
{
	return tr(r == UPDATER_NEWER     ? STR_MU_REL_NEWER
		  : r == UPDATER_SAME    ? STR_MU_REL_SAME
		  : r == UPDATER_OLDER   ? STR_MU_REL_OLDER
		  : r == UPDATER_UNKNOWN ? STR_MU_REL_UNKNOWN
					 : STR_MU_REL_BAD);
}

const char *maint_update_result_code(enum updater_result r)
{
	switch (r) {
	case UPDATER_DONE:
		return "ok";
	case UPDATER_REFUSED:
		return "refused";
	case UPDATER_MONEY:
		return "money_waiting";
	case UPDATER_WAIT:
		return "wait_failed";
	case UPDATER_BUNDLE:
		return "bad_bundle";
	case UPDATER_INSTALL:
		return "install_failed";
	case UPDATER_BUSY:
		return "busy";
	case UPDATER_NO_HELPER:
	case UPDATER_FAILED:
		break;
	}
	return "failed";
}

void maint_update_result_text(char *out, size_t n, const struct updater_install *r)
{
	char why[96];
	switch (r->res) {
	case UPDATER_DONE:
		snprintf(out, n, tr(STR_MU_DONE), r->version);
		return;
	case UPDATER_REFUSED:
		snprintf(out, n, "%s", tr(STR_MU_REFUSED));
		return;
	case UPDATER_MONEY:
		snprintf(out, n, tr(STR_MU_MONEY), MAINT_UPDATE_WAIT_S / 60);
		return;
	case UPDATER_WAIT:
		snprintf(out, n, "%s", tr(STR_MU_WAIT_FAILED));
		return;
	case UPDATER_BUNDLE:
		snprintf(out, n, "%s", tr(STR_MU_BUNDLE));
		return;
	case UPDATER_INSTALL:
		snprintf(out, n, "%s", tr(STR_MU_INSTALL_FAILED));
		return;
	case UPDATER_BUSY:
		snprintf(out, n, "%s", tr(STR_MU_BUSY_INSTALL));
		return;
	case UPDATER_NO_HELPER:
	case UPDATER_FAILED:
		break;
	}
	snprintf(why, sizeof(why), "%s", r->err ? strerror(r->err) : tr(STR_MU_NO_ANSWER));
	/* once the helper said it installs, a lost answer is not a failure to report as one */
	snprintf(out, n, tr(r->phase == UPDATER_INSTALLING ? STR_MU_LOST : STR_MU_HELPER_FAILED), why);
}

static void install_done(struct app *a, struct update_st *st, const struct install_job *j)
{
	char detail[96];
	const struct updater_install *r = &j->res;
	/* the version the helper checked, when it got that far (the listing's otherwise) */
	snprintf(detail, sizeof(detail), "version=%s%s", r->version[0] ? r->version : j->version,
		 j->force ? " forced" : "");
	maint_audit(a, "update.install", maint_update_result_code(r->res), detail);
	st->lv = r->res == UPDATER_DONE ? MAINT_OK : MAINT_FAIL;
	maint_update_result_text(st->note, sizeof(st->note), r);
	if (r->res == UPDATER_DONE) {
		st->installed = 1;
		fprintf(stderr, "recaudo: update %s installed from maintenance mode: the machine reboots\n",
			r->version);
	}
}

static void handle(struct app *a, void *vst, const struct act_event *e)
{
	struct update_st *st = vst;
	if (e->type == ACT_JOB) {
		const struct maint_job_result *r = e->job;
		if (!r->done) { /* an install's phase, in words */
			st->lv = MAINT_INFO;
			snprintf(st->note, sizeof(st->note), "%s", r->msg);
			maint_dirty(a);
			return;
		}
		st->running = 0;
		if (r->fn == job_scan) {
			char keep[sizeof(st->s.list.b[0].name)] = "";
			if (st->sel)
				snprintf(keep, sizeof(keep), "%s", st->s.list.b[st->sel - 1].name);
			st->s = *(struct scan_job *)r->arg;
			st->scanned = 1;
			st->sel = 0;
			for (int i = 0; keep[0] && i < st->s.list.n; i++)
				if (!strcmp(st->s.list.b[i].name, keep))
					st->sel = i + 1;
			st->confirm_until = 0;
			st->lv = MAINT_INFO;
			snprintf(st->note, sizeof(st->note), "%s", st->s.list.n ? tr(STR_MU_CHOOSE) : "");
		} else if (r->fn == job_install) {
			install_done(a, st, r->arg);
		}
		maint_dirty(a);
		return;
	}
	if (e->type == ACT_TICK && st->confirm_until && app_now_ms(a) >= st->confirm_until) {
		st->confirm_until = 0; /* the second tap did not come: back to choosing */
		st->lv = MAINT_INFO;
		snprintf(st->note, sizeof(st->note), "%s", tr(STR_MU_CHOOSE));
		maint_dirty(a);
		return;
	}
	if (e->type != ACT_ACTION || e->act.action < MAINT_ACT_SCREEN)
		return;
	int act = e->act.action - MAINT_ACT_SCREEN;
	if (st->running || st->installed) {
		st->lv = MAINT_WARN;
		snprintf(st->note, sizeof(st->note), "%s", tr(STR_MD_BUSY));
		return;
	}
	const struct updater_list *l = &st->s.list;
	if (act >= ACT_BUNDLE0 && act - ACT_BUNDLE0 < l->n) {
		st->sel = act - ACT_BUNDLE0 + 1;
		st->confirm_until = 0;
		const struct updater_bundle *b = &l->b[st->sel - 1];
		st->lv = b->rel == UPDATER_BAD     ? MAINT_FAIL
			 : b->rel == UPDATER_NEWER ? MAINT_INFO
						   : MAINT_WARN;
		if (b->rel == UPDATER_BAD)
			snprintf(st->note, sizeof(st->note), tr(STR_MU_CHOSEN_BAD), b->name);
		else
			snprintf(st->note, sizeof(st->note), "%s · %s · %s", b->name, b->version,
				 rel_text(b->rel));
	} else if (act == ACT_REFRESH) {
		st->confirm_until = 0;
		scan(a, st);
	} else if (act == ACT_INSTALL && st->sel && l->b[st->sel - 1].rel != UPDATER_BAD) {
		const struct updater_bundle *b = &l->b[st->sel - 1];
		int force = b->rel != UPDATER_NEWER;
		int64_t now = app_now_ms(a);
		if (now >= st->confirm_until) { /* the first tap: what a second one does */
			st->confirm_until = now + MAINT_UPDATE_CONFIRM_MS;
			st->lv = force ? MAINT_WARN : MAINT_INFO;
			if (b->rel == UPDATER_UNKNOWN)
				snprintf(st->note, sizeof(st->note), tr(STR_MU_CONFIRM_UNKNOWN), b->version);
			else if (force)
				snprintf(st->note, sizeof(st->note), tr(STR_MU_CONFIRM_FORCE), b->version,
					 l->running);
			else
				snprintf(st->note, sizeof(st->note), tr(STR_MU_CONFIRM), b->version);
			return;
		}
		if (now < st->confirm_until - MAINT_UPDATE_CONFIRM_MS + MAINT_UPDATE_BOUNCE_MS)
			return; /* the same tap bounced: the note stays, nothing starts */
		st->confirm_until = 0;
		struct install_job *j = calloc(1, sizeof(*j));
		if (!j)
			return;
		snprintf(j->name, sizeof(j->name), "%s", b->name);
		snprintf(j->version, sizeof(j->version), "%s", b->version);
		j->force = force;
		char detail[96];
		snprintf(detail, sizeof(detail), "version=%s%s", b->version, force ? " forced" : "");
		/* written before the helper is asked: the machine may reboot before the answer lands */
		maint_audit(a, "update.install", "started", detail);
		st->lv = MAINT_INFO;
		snprintf(st->note, sizeof(st->note), tr(STR_MU_STARTING), b->version);
		post(a, st, job_install, j, 2);
	}
}

static int64_t next_deadline(const struct app *a, const void *vst)
{
	const struct update_st *st = vst;
	(void)a;
	return st->confirm_until ? st->confirm_until : INT64_MAX;
}

/* the storage and listing line: which stick, how many bundles, or why none */
static enum maint_level stick_line(const struct update_st *st, char *v, size_t n)
{
	const struct scan_job *s = &st->s;
	char m[160] = "";
	maint_media_text(m, sizeof(m), &s->media);
	if (maint_media_unusable(&s->media)) {
		snprintf(v, n, "%s", s->media.st == USBMEDIA_NO_DEVICE ? tr(STR_MD_USB_PLUG) : m);
		return MAINT_FAIL;
	}
	char files[96];
	if (s->list.n)
		snprintf(files, sizeof(files), tr(s->list.n == 1 ? STR_MU_BUNDLE_ONE : STR_MU_BUNDLES),
			 s->list.n);
	else
		snprintf(files, sizeof(files), "%s", tr(STR_MU_NO_BUNDLES));
	if (m[0])
		snprintf(v, n, "%.150s · %s", m, files);
	else
		snprintf(v, n, "%s", files);
	return s->list.n ? MAINT_OK : MAINT_WARN;
}

static void draw(struct app *a, void *vst, struct ui_rect body)
{
	struct update_st *st = vst;
	struct ui *ui = &a->ui;
	const struct updater_list *l = &st->s.list;
	const struct updater_bundle *sel = st->sel ? &l->b[st->sel - 1] : NULL;
	int can = !st->running && !st->installed;
	const char *labels[2] = {tr(STR_MU_INSTALL), tr(STR_MU_REFRESH)};
	const int acts[2] = {ACT_INSTALL, ACT_REFRESH};
	const int enabled[2] = {can && sel && sel->rel != UPDATER_BAD, can};
	struct ui_rect btn = maint_buttons(ui, body, labels, acts, enabled, 2);
	int gap = ui_px(ui, 16), bottom = btn.y - gap;
	struct ui_rect r = {body.x, body.y, body.w, 0};
	char v[400];

	if (!st->scanned) {
		ui_para(ui, r, FONT_BODY, 0, THEME_MUTED, UI_LEFT, tr(STR_MU_READING));
		return;
	}
	/* the image's version as the helper read it; without a helper, the application's */
	const char *running = l->res == UPDATER_NO_HELPER                ? RECAUDO_VERSION
			      : l->running[0] && strcmp(l->running, "-") ? l->running
									 : tr(STR_MU_VERSION_UNKNOWN);
	if (strcmp(st->s.slot, "none")) /* booted by RAUC: which slot */
		snprintf(v, sizeof(v), tr(STR_MU_RUNNING_VAL), running, st->s.slot);
	else
		snprintf(v, sizeof(v), "%s", running);
	r.y += maint_row(ui, r, MAINT_INFO, tr(STR_MU_RUNNING), v) + gap / 2;

	if (l->res == UPDATER_NO_HELPER) {
		r.y += maint_row(ui, r, MAINT_INFO, tr(STR_MU_STICK), tr(STR_MU_NO_HELPER)) + gap / 2;
	} else if (l->res == UPDATER_FAILED) {
		snprintf(v, sizeof(v), tr(STR_MU_HELPER_FAILED),
			 l->err ? strerror(l->err) : tr(STR_MU_NO_ANSWER));
		r.y += maint_row(ui, r, MAINT_FAIL, tr(STR_MU_STICK), v) + gap / 2;
	} else {
		enum maint_level lv = stick_line(st, v, sizeof(v));
		r.y += maint_row(ui, r, lv, tr(STR_MU_STICK), v) + gap;
	}

	int note_h = st->note[0] ? ui_banner_height(ui, body.w, st->note) : 0;
	if (note_h) {
		maint_note(ui, (struct ui_rect){body.x, bottom - note_h, body.w, note_h}, st->lv, st->note);
		bottom -= note_h + gap;
	}
	int row_h = ui_px(ui, TOUCH_MIN);
	for (int i = 0; i < l->n && r.y + row_h <= bottom; i++) {
		const struct updater_bundle *b = &l->b[i];
		char lab[160];
		if (b->rel == UPDATER_BAD)
			snprintf(lab, sizeof(lab), "%s · %s", b->name, rel_text(b->rel));
		else
			snprintf(lab, sizeof(lab), "%s · %s · %s", b->name, b->version, rel_text(b->rel));
		ui_button(ui, (struct ui_rect){r.x, r.y, r.w, row_h}, lab,
			  st->sel == i + 1 ? UI_PRIMARY : UI_SECONDARY,
			  (struct ui_action){MAINT_ACT_SCREEN + ACT_BUNDLE0 + i, 0}, can);
		r.y += row_h + gap / 2;
	}
}

const struct maint_screen maint_update_screen = {
	.id = "maint-update",
	.title = STR_MT_SOFTWARE,
	.state_size = sizeof(struct update_st),
	.enter = enter,
	.handle = handle,
	.next_deadline = next_deadline,
	.draw = draw,
};
