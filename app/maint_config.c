/* Configuración (maint-config): the effective configuration, key material masked
 * (app/config_edit.h), and the editing of its whitelist. A setting's row shows the value the
 * kiosk runs on and, when the file says otherwise (an edit that applies at restart), the value
 * it will run on. An edit is saved by a job on the maintenance worker (the file's write and
 * fsyncs are disk work) through config_edit_set, which checks it with config.c's own loader;
 * a saved live setting (session timeouts, the language a session starts in, the support line)
 * is applied to the running kiosk at once, the others at "Reiniciar aplicación".
 * Audited: config.set ok|refused|failed, detail key=SECTION.KEY (never the value). */
#include "maint.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config_edit.h"

#define MAX_DEVS 8
#define ACT_PREV 1
#define ACT_NEXT 2
#define ACT_FILTER 3
#define ACT_SAVE 4
#define ACT_CANCEL 5
#define ACT_SPACE 6
#define ACT_DOT 7
#define ACT_COLON 8
#define ACT_ROW 100    /* + the key's index */
#define ACT_CHOICE 300 /* + the choice's index */
#define ACT_DEV 400    /* + the device's index */

/* The job that reads the file (what it will give at the next start) and the printer devices. */
struct load_job {
	struct config file;
	int ok;
	char err[300];
	char devs[MAX_DEVS][64];
	int ndevs;
};

/* The job that saves one setting. */
struct save_job {
	char section[16], key[32], value[256];
	int rc, changed;
	struct config out;
	char err[400];
};

struct cst {
	int nkeys;
	const struct config_key *keys;
	int loaded;       /* the load job came back */
	int load_wanted;  /* it could not be posted yet (another job): tried again at a tick */
	struct config file;
	int file_ok;
	char devs[MAX_DEVS][64];
	int ndevs;
	int only_editable;
	int top;          /* the first row shown (of the filtered list) */
	int page;         /* rows on the last page drawn */
	int edit;         /* the key being edited, or -1 */
	char input[256];
	int busy;         /* a save is running */
	enum maint_level note_lv;
	char note[400];
};

static int job_load(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct load_job *j = arg;
	(void)msg;
	(void)msgn;
	config_defaults(&j->file);
	if (env->config_path && env->config_path[0])
		j->ok = config_load_settings(&j->file, env->config_path, j->err, sizeof(j->err)) == 0;
	/* printer devices that exist now: USB printer class, USB serial adapters, the first
	 * serial ports (every ttyS node exists whether a port is there or not) */
	static const char *const pats[] = {"/dev/usb/lp*", "/dev/ttyUSB*", "/dev/ttyACM*", "/dev/ttyS[0-3]"};
	for (size_t p = 0; p < sizeof(pats) / sizeof(*pats); p++) {
		glob_t g;
		if (glob(pats[p], 0, NULL, &g) != 0)
			continue;
		for (size_t i = 0; i < g.gl_pathc && j->ndevs < MAX_DEVS; i++)
			if (strlen(g.gl_pathv[i]) < sizeof(j->devs[0]))
				snprintf(j->devs[j->ndevs++], sizeof(j->devs[0]), "%s", g.gl_pathv[i]);
		globfree(&g);
	}
	return 0;
}

static int job_save(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct save_job *j = arg;
	j->rc = config_edit_set(env->config_path, j->section, j->key, j->value, &j->out, &j->changed, j->err,
				sizeof(j->err));
	/* the reason stays in j->err for the screen: msg could be logged, and a refused support
	 * line's reason may quote the value */
	snprintf(msg, msgn, "%s", j->rc == CONFIG_EDIT_OK ? "saved" : "not saved");
	return j->rc;
}

static void post_load(struct app *a, struct cst *s)
{
	struct load_job *j = calloc(1, sizeof(*j));
	if (!j)
		return;
	if (maint_job_post(a, job_load, j) != 0) {
		free(j);
		s->load_wanted = 1;
		return;
	}
	s->load_wanted = 0;
}

static void enter(struct app *a, void *st)
{
	struct cst *s = st;
	s->keys = config_edit_keys(&s->nkeys);
	s->edit = -1;
	s->file = a->cfg;
	post_load(a, s);
}

static int64_t next_deadline(const struct app *a, const void *st)
{
	const struct cst *s = st;
	return s->load_wanted ? app_now_ms(a) + 250 : INT64_MAX;
}

/* The rows shown: all, or the editable ones. */
static int row_count(const struct cst *s)
{
	int n = 0;
	for (int i = 0; i < s->nkeys; i++)
		n += !s->only_editable || s->keys[i].apply != CONFIG_APPLY_NONE;
	return n;
}

static int row_key(const struct cst *s, int row)
{
	for (int i = 0; i < s->nkeys; i++)
		if (!s->only_editable || s->keys[i].apply != CONFIG_APPLY_NONE)
			if (row-- == 0)
				return i;
	return -1;
}

static void key_name(const struct config_key *k, char *out, size_t n)
{
	snprintf(out, n, "%s.%s", k->section, k->key);
}

/* The running value into the live configuration (a->cfg and the flow's copy of it). Only
 * for CONFIG_APPLY_LIVE keys; no customer is being served during maintenance. */
static void apply_live(struct app *a, const struct config *c, const struct config_key *k)
{
	if (!strcmp(k->key, "inactivity_s")) {
		a->cfg.inactivity_s = c->inactivity_s;
		a->flow.cfg.inactivity_ms = c->inactivity_s * 1000LL;
	} else if (!strcmp(k->key, "countdown_s")) {
		a->cfg.countdown_s = c->countdown_s;
		a->flow.cfg.countdown_ms = c->countdown_s * 1000LL;
	} else if (!strcmp(k->key, "done_s")) {
		a->cfg.done_s = c->done_s;
		a->flow.cfg.done_ms = c->done_s * 1000LL;
	} else if (!strcmp(k->key, "language")) {
		snprintf(a->cfg.language, sizeof(a->cfg.language), "%s", c->language);
		a->flow.cfg.default_lang = strcmp(c->language, "en") ? LANG_ES : LANG_EN;
		/* the attract screen waiting behind maintenance shows the new language too (a session
		 * starts in the language the attract screen shows) */
		if (a->flow.screen == SCR_ATTRACT)
			a->flow.lang = a->flow.cfg.default_lang;
	} else if (!strcmp(k->key, "support_line")) {
		snprintf(a->cfg.support_line, sizeof(a->cfg.support_line), "%s", c->support_line);
	}
}

static void note(struct cst *s, enum maint_level lv, const char *fmt, const char *arg)
{
	s->note_lv = lv;
	snprintf(s->note, sizeof(s->note), fmt, arg);
}

static void start_edit(struct app *a, struct cst *s, int k)
{
	const struct config_key *key = &s->keys[k];
	char name[64];
	key_name(key, name, sizeof(name));
	if (key->apply == CONFIG_APPLY_NONE) {
		char detail[96];
		note(s, MAINT_INFO, tr(STR_MCONF_READ_ONLY), name);
		snprintf(detail, sizeof(detail), "key=%s", name);
		maint_audit(a, "config.set", "refused", detail);
		return;
	}
	if (!a->config_path[0]) {
		note(s, MAINT_WARN, "%s", tr(STR_MCONF_NO_FILE_SHORT));
		return;
	}
	s->edit = k;
	/* start from what the file says (an edit waiting for the restart included) */
	config_edit_value(s->file_ok ? &s->file : &a->cfg, key, s->input, sizeof(s->input));
	if (key->kind == CONFIG_INT)
		s->input[0] = 0; /* a number is typed anew; the current one is shown above the field */
	s->note[0] = 0;
}

static void save(struct app *a, struct cst *s)
{
	if (s->busy || s->edit < 0)
		return;
	const struct config_key *k = &s->keys[s->edit];
	struct save_job *j = calloc(1, sizeof(*j));
	if (!j)
		return;
	snprintf(j->section, sizeof(j->section), "%s", k->section);
	snprintf(j->key, sizeof(j->key), "%s", k->key);
	snprintf(j->value, sizeof(j->value), "%s", s->input);
	if (maint_job_post(a, job_save, j) != 0) {
		free(j);
		note(s, MAINT_WARN, "%s", tr(STR_MCONF_BUSY));
		return;
	}
	s->busy = 1;
	note(s, MAINT_INFO, "%s", tr(STR_MCONF_SAVING));
}

static void saved(struct app *a, struct cst *s, struct save_job *j)
{
	const struct config_key *k = config_edit_find(j->section, j->key);
	char name[64], detail[96];
	s->busy = 0;
	if (!k)
		return;
	key_name(k, name, sizeof(name));
	snprintf(detail, sizeof(detail), "key=%s", name);
	if (j->rc == CONFIG_EDIT_OK) {
		maint_audit(a, "config.set", "ok", detail);
		s->file = j->out;
		s->file_ok = 1;
		if (k->apply == CONFIG_APPLY_LIVE)
			apply_live(a, &j->out, k);
		note(s, MAINT_OK,
		     !j->changed ? tr(STR_MCONF_SAME)
		     : k->apply == CONFIG_APPLY_LIVE ? tr(STR_MCONF_SAVED_LIVE) : tr(STR_MCONF_SAVED_RESTART),
		     name);
		s->edit = -1;
	} else {
		maint_audit(a, "config.set", j->rc == CONFIG_EDIT_IO ? "failed" : "refused", detail);
		/* on the screen only (the technician typed it); the audit row has the key alone */
		/* "recaudo.ini:6: ..." rather than the whole path: the header line shows it */
		const char *why = j->err;
		size_t pl = strlen(a->config_path);
		const char *base = strrchr(a->config_path, '/');
		char shorter[sizeof(j->err)];
		if (pl && !strncmp(why, a->config_path, pl) && base) {
			snprintf(shorter, sizeof(shorter), "%s%s", base + 1, why + pl);
			why = shorter;
		}
		note(s, MAINT_FAIL, tr(STR_MCONF_REFUSED), why);
	}
}

static void type_char(struct cst *s, int ch)
{
	size_t n = strlen(s->input);
	if (ch < 0x20 || ch > 0x7e || n + 1 >= sizeof(s->input))
		return;
	s->input[n] = (char)ch;
	s->input[n + 1] = 0;
}

static void handle(struct app *a, void *st, const struct act_event *e)
{
	struct cst *s = st;
	if (e->type != ACT_TICK)
		maint_dirty(a); /* typing, paging, a job's answer: all show */
	if (e->type == ACT_TICK) {
		if (s->load_wanted)
			post_load(a, s);
		return;
	}
	if (e->type == ACT_JOB && e->job->done) {
		if (e->job->fn == job_load) {
			struct load_job *j = e->job->arg;
			s->loaded = 1;
			s->file_ok = j->ok;
			if (j->ok)
				s->file = j->file;
			else if (a->config_path[0])
				note(s, MAINT_WARN, "%s", j->err);
			memcpy(s->devs, j->devs, sizeof(s->devs));
			s->ndevs = j->ndevs;
		} else if (e->job->fn == job_save) {
			saved(a, s, e->job->arg);
		}
		if (s->load_wanted)
			post_load(a, s);
		maint_dirty(a);
		return;
	}
	if (e->type == ACT_SCROLL && s->edit < 0) {
		int n = row_count(s), page = s->page > 0 ? s->page : 1;
		s->top += e->pages * page;
		if (s->top > n - 1)
			s->top = n - page > 0 ? n - page : 0;
		if (s->top < 0)
			s->top = 0;
		return;
	}
	if (s->edit >= 0 && e->type == ACT_CHAR) {
		type_char(s, e->ch);
		return;
	}
	if (s->edit >= 0 && e->type == ACT_KEY) {
		if (e->key == APP_KEY_BACKSPACE && s->input[0])
			s->input[strlen(s->input) - 1] = 0;
		else if (e->key == APP_KEY_DELETE)
			s->input[0] = 0;
		else if (e->key == APP_KEY_ENTER)
			save(a, s);
		return;
	}
	if (e->type != ACT_ACTION)
		return;
	int act = e->act.action;
	if (s->edit >= 0 && act == UI_ACT_CHAR) {
		type_char(s, e->act.arg);
		return;
	}
	if (s->edit >= 0 && act == UI_ACT_BACKSPACE) {
		if (s->input[0])
			s->input[strlen(s->input) - 1] = 0;
		return;
	}
	if (s->edit >= 0 && act == UI_ACT_CLEAR) {
		s->input[0] = 0;
		return;
	}
	act -= MAINT_ACT_SCREEN;
	const struct config_key *k = s->edit >= 0 ? &s->keys[s->edit] : NULL;
	if (act == ACT_PREV || act == ACT_NEXT) {
		handle(a, st, &(struct act_event){.type = ACT_SCROLL, .pages = act == ACT_NEXT ? 1 : -1});
	} else if (act == ACT_FILTER) {
		s->only_editable = !s->only_editable;
		s->top = 0;
	} else if (act >= ACT_ROW && act < ACT_ROW + s->nkeys && !k) {
		start_edit(a, s, act - ACT_ROW);
	} else if (k && act == ACT_SAVE) {
		save(a, s);
	} else if (k && act == ACT_CANCEL && !s->busy) {
		s->edit = -1;
		s->note[0] = 0;
	} else if (k && act == ACT_SPACE) {
		type_char(s, ' ');
	} else if (k && act == ACT_DOT) {
		type_char(s, '.');
	} else if (k && act == ACT_COLON) {
		type_char(s, ':');
	} else if (k && act >= ACT_CHOICE && act < ACT_DEV && k->choices) {
		int i = act - ACT_CHOICE;
		for (int c = 0; k->choices[c]; c++)
			if (c == i)
				snprintf(s->input, sizeof(s->input), "%s", k->choices[c]);
	} else if (k && act >= ACT_DEV && act < ACT_DEV + s->ndevs) {
		snprintf(s->input, sizeof(s->input), "%s", s->devs[act - ACT_DEV]);
	}
}

/* ---- drawing ---- */

/* The height maint_note's banner takes for text across w (ui_banner's measure). */
static int note_h(struct ui *ui, int w, const char *text)
{
	int pad = ui_px(ui, SP_M);
	int lines = text_wrap(ui->text, FONT_BODY, 0, text, w - 2 * pad - ui_px(ui, 56), NULL, NULL);
	return (lines > 0 ? lines : 1) * ui_line_h(ui, FONT_BODY) + 2 * pad;
}

static int is_target(const struct config_key *k) { return !strcmp(k->key, "target"); }
static int is_phone(const struct config_key *k) { return !strcmp(k->key, "support_line"); }

static void draw_list(struct app *a, struct cst *s, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	int pad = ui_px(ui, SP_S), gap = ui_px(ui, SP_XS);
	int y = body.y;
	char line[512];
	if (!a->config_path[0]) {
		y += ui_para(ui, (struct ui_rect){body.x, y, body.w, 0}, FONT_SMALL, 0, THEME_TEXT, UI_LEFT,
			     tr(STR_MCONF_NO_FILE)) + gap;
	} else if (!s->loaded) {
		y += ui_para(ui, (struct ui_rect){body.x, y, body.w, 0}, FONT_SMALL, 0, THEME_MUTED, UI_LEFT,
			     tr(STR_MCONF_LOADING)) + gap;
	}
	/* the buttons at the bottom, the last action's note above them */
	const char *labels[3] = {tr(STR_MCONF_PREV), tr(STR_MCONF_NEXT),
				 s->only_editable ? tr(STR_MCONF_ALL) : tr(STR_MCONF_ONLY_EDIT)};
	int n = row_count(s);
	int acts[3] = {ACT_PREV, ACT_NEXT, ACT_FILTER};
	int enabled[3] = {1, 1, 1}; /* the header says where the page is */
	struct ui_rect br = maint_buttons(ui, body, labels, acts, enabled, 3);
	int bottom = br.y - gap;
	if (s->note[0]) {
		int h = note_h(ui, body.w, s->note);
		bottom -= h + gap;
		maint_note(ui, (struct ui_rect){body.x, bottom + gap, body.w, h}, s->note_lv, s->note);
	}
	/* the header line: which rows, from which file */
	char file[300];
	snprintf(file, sizeof(file), tr(STR_MCONF_FILE), a->config_path[0] ? a->config_path : "—");
	int lh_s = ui_line_h(ui, FONT_SMALL), lh_b = ui_line_h(ui, FONT_BODY);
	int row_h = lh_s + lh_b + 3 * gap;
	if (row_h < ui_px(ui, TOUCH_MIN))
		row_h = ui_px(ui, TOUCH_MIN);
	int list_y = y + lh_s + gap;
	/* landscape: two columns of rows */
	int cols = ui->portrait ? 1 : 2, cgap = ui_px(ui, SP_M);
	int col_w = (body.w - (cols - 1) * cgap) / cols;
	int per_col = (bottom - list_y) / row_h;
	if (per_col < 1)
		per_col = 1;
	int fit = per_col * cols;
	s->page = fit;
	ui->page_rows = fit; /* swipes page the list */
	if (s->top > n - 1)
		s->top = n > fit ? n - fit : 0;
	int last = s->top + fit < n ? s->top + fit : n;
	snprintf(line, sizeof(line), tr(STR_MCONF_ROWS), n ? s->top + 1 : 0, last, n, file);
	ui_label_fit(ui, body.x, y, body.w, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, line);
	int btn_w = ui_px(ui, 220);
	for (int r = s->top; r < last; r++) {
		int ki = row_key(s, r), c = (r - s->top) / per_col;
		const struct config_key *k = &s->keys[ki];
		y = list_y + ((r - s->top) % per_col) * row_h;
		struct ui_rect rr = {body.x + c * (col_w + cgap), y, col_w, row_h - gap};
		ui_round(ui, rr, ui_px(ui, RADIUS) / 2, THEME_SURFACE);
		char name[64], run[640], pending[300];
		key_name(k, name, sizeof(name));
		config_edit_shown(&a->cfg, k, run, sizeof(run));
		if (s->file_ok) {
			config_edit_shown(&s->file, k, pending, sizeof(pending));
			if (strcmp(run, pending)) {
				char both[sizeof(run)];
				snprintf(both, sizeof(both), tr(STR_MCONF_PENDING), run[0] ? run : tr(STR_MCONF_EMPTY),
					 pending[0] ? pending : tr(STR_MCONF_EMPTY));
				snprintf(run, sizeof(run), "%s", both);
			}
		}
		int tw = rr.w - 2 * pad - (k->apply != CONFIG_APPLY_NONE ? btn_w + pad : 0);
		ui_label_fit(ui, rr.x + pad, rr.y + gap, tw, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, name);
		ui_label_fit(ui, rr.x + pad, rr.y + gap + lh_s + gap / 2, tw, FONT_BODY, k->apply != CONFIG_APPLY_NONE,
			     THEME_TEXT, UI_LEFT, run[0] ? run : tr(STR_MCONF_EMPTY));
		/* the whole row is the control, named after its setting for scripts */
		char hit[80];
		struct ui_action act = {MAINT_ACT_SCREEN + ACT_ROW + ki, 0};
		if (k->apply != CONFIG_APPLY_NONE) {
			snprintf(hit, sizeof(hit), "%s %s", tr(STR_MCONF_EDIT), name);
			struct ui_rect b = {rr.x + rr.w - pad - btn_w, rr.y + (rr.h - ui_px(ui, TOUCH_MIN) * 3 / 4) / 2, btn_w,
					    ui_px(ui, TOUCH_MIN) * 3 / 4};
			ui_button(ui, b, tr(STR_MCONF_EDIT), UI_SECONDARY, act, a->config_path[0] != 0);
		} else {
			snprintf(hit, sizeof(hit), "%s", name);
		}
		ui_hit(ui, rr, act, hit);
	}
}

static void draw_edit(struct app *a, struct cst *s, struct ui_rect body)
{
	struct ui *ui = &a->ui;
	const struct config_key *k = &s->keys[s->edit];
	int gap = ui_px(ui, SP_S), pad = ui_px(ui, SP_S);
	char name[64], line[600], now[300];
	key_name(k, name, sizeof(name));
	/* the buttons first: Guardar, Cancelar, and the keys the keypad lacks */
	const char *labels[4] = {tr(STR_MCONF_SAVE), tr(STR_MCONF_CANCEL), NULL, NULL};
	int acts[4] = {ACT_SAVE, ACT_CANCEL, 0, 0}, enabled[4] = {!s->busy, !s->busy, 1, 1}, nb = 2;
	if (is_phone(k)) {
		labels[nb] = tr(STR_MCONF_SPACE);
		acts[nb++] = ACT_SPACE;
	} else if (is_target(k)) {
		labels[nb] = ".";
		acts[nb++] = ACT_DOT;
		labels[nb] = ":";
		acts[nb++] = ACT_COLON;
	}
	struct ui_rect br = maint_buttons(ui, body, labels, acts, enabled, nb);
	int bottom = br.y - gap;
	if (s->note[0]) {
		int h = note_h(ui, body.w, s->note);
		bottom -= h + gap;
		maint_note(ui, (struct ui_rect){body.x, bottom + gap, body.w, h}, s->note_lv, s->note);
	}
	/* portrait: everything in one column; landscape: the keypad on the right half */
	int has_pad = k->kind == CONFIG_INT || k->kind == CONFIG_TEXT;
	struct ui_rect left = body, right = {0, 0, 0, 0};
	if (!ui->portrait && has_pad) {
		left.w = body.w / 2 - gap;
		right = (struct ui_rect){body.x + body.w / 2 + gap, body.y, body.w / 2 - gap, bottom - body.y};
	}
	int y = left.y;
	ui_label_fit(ui, left.x, y, left.w, FONT_TITLE, 1, THEME_TEXT, UI_LEFT, name);
	y += ui_line_h(ui, FONT_TITLE) + ui_px(ui, SP_XS);
	config_edit_shown(&a->cfg, k, now, sizeof(now));
	snprintf(line, sizeof(line), tr(STR_MCONF_NOW), now[0] ? now : tr(STR_MCONF_EMPTY));
	ui_label_fit(ui, left.x, y, left.w, FONT_SMALL, 0, THEME_MUTED, UI_LEFT, line);
	y += ui_line_h(ui, FONT_SMALL) + ui_px(ui, SP_XS);
	if (k->kind == CONFIG_INT)
		snprintf(line, sizeof(line), tr(STR_MCONF_RANGE), k->lo, k->hi);
	else if (k->kind == CONFIG_CHOICE)
		snprintf(line, sizeof(line), "%s", tr(STR_MCONF_CHOOSE));
	else
		snprintf(line, sizeof(line), "%s", is_phone(k) ? tr(STR_MCONF_PHONE) : tr(STR_MCONF_TARGET));
	snprintf(line + strlen(line), sizeof(line) - strlen(line), " %s",
		 k->apply == CONFIG_APPLY_LIVE ? tr(STR_MCONF_LIVE) : tr(STR_MCONF_RESTART));
	y += ui_para(ui, (struct ui_rect){left.x, y, left.w, 0}, FONT_SMALL, 0, THEME_TEXT, UI_LEFT, line) + gap;

	/* choices: the list's values, or the devices found for a printer target */
	int nch = 0;
	const char *ch[MAX_DEVS + 8];
	int chact[MAX_DEVS + 8];
	if (k->kind == CONFIG_CHOICE && k->choices)
		for (int i = 0; k->choices[i] && nch < 8; i++, nch++)
			ch[nch] = k->choices[i], chact[nch] = ACT_CHOICE + i;
	if (is_target(k))
		for (int i = 0; i < s->ndevs; i++, nch++)
			ch[nch] = s->devs[i], chact[nch] = ACT_DEV + i;
	if (nch) {
		int cols = left.w >= ui_px(ui, 900) ? 3 : 2, cw = (left.w - (cols - 1) * gap) / cols;
		int chh = ui_px(ui, TOUCH_MIN);
		for (int i = 0; i < nch; i++) {
			struct ui_rect r = {left.x + (i % cols) * (cw + gap), y + (i / cols) * (chh + gap), cw, chh};
			ui_button(ui, r, ch[i], strcmp(ch[i], s->input) ? UI_SECONDARY : UI_PRIMARY,
				  (struct ui_action){MAINT_ACT_SCREEN + chact[i], 0}, !s->busy);
		}
		y += ((nch + cols - 1) / cols) * (chh + gap);
	}
	if (!has_pad)
		return;
	/* the field with what is typed, then the keypad */
	int fh = ui_line_h(ui, FONT_H1) + 2 * pad;
	struct ui_rect f = {left.x, y, left.w, fh};
	ui_round(ui, f, ui_px(ui, RADIUS), THEME_SURFACE);
	ui_round_outline(ui, f, ui_px(ui, RADIUS), 3, THEME_BRAND);
	ui_label_fit(ui, f.x + pad, f.y + pad, f.w - 2 * pad, FONT_H1, 1, THEME_TEXT, UI_LEFT,
		     s->input[0] ? s->input : " ");
	y += fh + gap;
	struct ui_rect kp = ui->portrait || !right.w ? (struct ui_rect){left.x, y, left.w, bottom - y} : right;
	int kw = kp.w > ui_px(ui, 840) ? ui_px(ui, 840) : kp.w;
	int kh = kp.h > ui_px(ui, 4 * 150) ? ui_px(ui, 4 * 150) : kp.h;
	if (kh >= 4 * ui_px(ui, 60))
		ui_keypad(ui, (struct ui_rect){kp.x + (kp.w - kw) / 2, kp.y, kw, kh}, 0);
}

static void draw(struct app *a, void *st, struct ui_rect body)
{
	struct cst *s = st;
	if (s->edit >= 0)
		draw_edit(a, s, body);
	else
		draw_list(a, s, body);
}

const struct maint_screen maint_config_screen = {
	.id = "maint-config",
	.title = STR_MT_CONFIG,
	.state_size = sizeof(struct cst),
	.enter = enter,
	.handle = handle,
	.next_deadline = next_deadline,
	.draw = draw,
};
