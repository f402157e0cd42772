/* The script runner: each line is one command; taps and presses go through the same input
 * path as a finger, `wait` advances the virtual clock and fires timers on the way, and after
 * every command the printer worker is drained so results are deterministic. */
#include "headless.h"
#include "speech.h"
#include "files.h"
#include "maint.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define LINE_MAX_LEN 1024

struct run {
	struct app *a;
	const char *file;
	int line;
	const char *shots;
};

static int fail(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct run *r, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s:%d: ", r->file, r->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

void headless_settle(struct app *a)
{
	if (a->svc.lk)
		lookup_wait_idle(a->svc.lk);
	if (a->svc.pq)
		printq_wait_idle(a->svc.pq);
	if (a->svc.ret) /* the store's integrity check at start and after a replaced store */
		retention_wait_first(a->svc.ret);
	app_pump(a);
	/* the activity's own jobs (a PIN check, a login, a query); a result may post the next one */
	for (int i = 0; i < 16 && a->act->busy && a->act->busy(a); i++) {
		a->act->wait_idle(a);
		if (a->svc.pq) /* a job's result may have queued a print (a reprint) */
			printq_wait_idle(a->svc.pq);
		app_pump(a);
	}
	/* the last job's result may have queued a print (a certificate printed as it arrives) */
	if (a->svc.pq && a->act->busy) {
		printq_wait_idle(a->svc.pq);
		app_pump(a);
	}
	app_render(a, 0);
	/* what the frame made speech say is synthesised before the next input (--speech-wav):
	 * every utterance reaches its file, as a customer would hear it before acting */
	if (a->a11y.sp)
		speech_wait_idle(a->a11y.sp);
}

/* The argument: a "quoted string" (with \" and \\ escapes) or the rest of the line, trimmed. */
static int parse_arg(char *s, char **out)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '"') {
		size_t n = strlen(s);
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			s[--n] = 0;
		*out = s;
		return 0;
	}
	char *w = s, *p = s + 1;
	for (; *p && *p != '"'; p++) {
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		*w++ = *p;
	}
	if (*p != '"')
		return -1;
	for (char *q = p + 1; *q; q++)
		if (*q != ' ' && *q != '\t')
			return -1;
	*w = 0;
	*out = s;
	return 0;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || (*end && *end != ' ' && *end != '\t') || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static void tap(struct app *a, int x, int y)
{
	app_pointer_down(a, x, y);
	app_render(a, 0); /* the pressed state is a frame of its own, as on a real screen */
	app_pointer_up(a, x, y);
}

static int cmd_wait(struct run *r, long ms)
{
	struct app *a = r->a;
	int64_t target = a->vclock_ms + ms;
	while (a->vclock_ms < target) {
		int64_t next = app_next_deadline(a);
		a->vclock_ms = next > a->vclock_ms && next < target ? next : target;
		headless_settle(a);
	}
	return 0;
}

/* Levenshtein distance over bytes, ASCII case folded, capped: how close a label is to what a
 * script asked for, to name the likely intended control in the error. */
static int label_distance(const char *a, const char *b)
{
	enum { MAXL = 64 };
	int prev[MAXL + 1], cur[MAXL + 1];
	size_t la = strlen(a), lb = strlen(b);
	if (la > MAXL)
		la = MAXL;
	if (lb > MAXL)
		lb = MAXL;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			char ca = a[i - 1], cb = b[j - 1];
			if (ca >= 'A' && ca <= 'Z')
				ca = (char)(ca - 'A' + 'a');
			if (cb >= 'A' && cb <= 'Z')
				cb = (char)(cb - 'A' + 'a');
			int sub = prev[j - 1] + (ca != cb), del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(int) * (lb + 1));
	}
	return prev[lb];
}

/* An unmatched or ambiguous press: say which labels the screen has that come closest (or,
 * when several contain the text, which ones). */
static int press_failed(struct run *r, const char *want)
{
	const struct ui *ui = &r->a->ui;
	int score[UI_MAX_HITS], nmatch = 0;
	for (int i = 0; i < ui->nhits; i++)
		nmatch += ui->hits[i].label[0] && strstr(ui->hits[i].label, want) != NULL;
	for (int i = 0; i < ui->nhits; i++) {
		const char *l = ui->hits[i].label;
		score[i] = !l[0] ? -1 : nmatch > 1 ? (strstr(l, want) ? 0 : -1) : label_distance(want, l);
		for (int k = 0; k < i && score[i] >= 0; k++)
			if (score[k] >= 0 && !strcmp(ui->hits[k].label, l))
				score[i] = -1; /* the same label twice (a list row) is named once */
	}
	char near[3 * (UI_LABEL_MAX + 4)] = "";
	size_t n = 0;
	for (int k = 0; k < 3; k++) {
		int best = -1;
		for (int i = 0; i < ui->nhits; i++)
			if (score[i] >= 0 && (best < 0 || score[i] < score[best]))
				best = i;
		if (best < 0)
			break;
		n += (size_t)snprintf(near + n, sizeof(near) - n, "%s\"%s\"", k ? ", " : "",
				      ui->hits[best].label);
		score[best] = -1;
	}
	if (nmatch > 1)
		return fail(r, "no single control labelled \"%s\" on this screen: %d controls contain it (%s)",
			    want, nmatch, near);
	if (!near[0])
		return fail(r, "no single control labelled \"%s\" on this screen: it has no labelled controls",
			    want);
	return fail(r, "no single control labelled \"%s\" on this screen; closest: %s", want, near);
}

/* `controls`: every labelled control on the screen with its box, for writing scripts. */
static void list_controls(struct run *r)
{
	const struct ui *ui = &r->a->ui;
	printf("%s:%d: screen %s, %d controls\n", r->file, r->line, app_screen_name(r->a),
	       ui->nhits);
	for (int i = 0; i < ui->nhits; i++)
		printf("  control \"%s\" at %d %d size %dx%d%s\n", ui->hits[i].label, ui->hits[i].r.x,
		       ui->hits[i].r.y, ui->hits[i].r.w, ui->hits[i].r.h, ui->hits[i].disabled ? " disabled" : "");
}

static int valid_name(const char *s)
{
	if (!*s || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static int run_line(struct run *r, char *line)
{
	struct app *a = r->a;
	char *cmd = line, *rest;
	while (*cmd == ' ' || *cmd == '\t')
		cmd++;
	if (!*cmd || *cmd == '#')
		return 0;
	rest = cmd + strcspn(cmd, " \t");
	if (*rest)
		*rest++ = 0;
	char *arg;
	long x, y;
	/* expect-said looks at what the last input (or wait) made speech say */
	static const char *const inputs[] = {"tap", "press", "swipe", "type", "type-file", "key", "hold", "hold-key", "wait"};
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		if (!strcmp(cmd, inputs[i]))
			a11y_said_clear(a);

	if (!strcmp(cmd, "tap")) {
		char *sp = rest + strspn(rest, " \t");
		char *second = sp + strcspn(sp, " \t");
		if (parse_long(sp, 0, a->ui.w - 1, &x) || parse_long(second + strspn(second, " \t"), 0, a->ui.h - 1, &y))
			return fail(r, "tap needs X Y inside the screen");
		tap(a, (int)x, (int)y);
	} else if (!strcmp(cmd, "press")) {
		if (parse_arg(rest, &arg) || !*arg)
			return fail(r, "press needs a \"LABEL\"");
		const struct ui_hit *h = ui_hit_by_label_any(&a->ui, arg); /* a finger can touch a disabled one */
		if (!h)
			return press_failed(r, arg);
		tap(a, h->r.x + h->r.w / 2, h->r.y + h->r.h / 2);
	} else if (!strcmp(cmd, "swipe")) {
		if (parse_arg(rest, &arg) || (strcmp(arg, "up") && strcmp(arg, "down")))
			return fail(r, "swipe needs up or down");
		/* a finger drag through the middle of the screen, 40% of its height */
		int cx = a->ui.w / 2, d = a->ui.h / 5, y0 = a->ui.h / 2 + (arg[0] == 'u' ? d : -d);
		app_pointer_down(a, cx, y0);
		app_render(a, 0);
		app_pointer_up(a, cx, y0 + (arg[0] == 'u' ? -2 * d : 2 * d));
	} else if (!strcmp(cmd, "type")) {
		if (parse_arg(rest, &arg) || !*arg)
			return fail(r, "type needs TEXT");
		app_text(a, arg);
	} else if (!strcmp(cmd, "type-file")) {
		/* the first line of a file, typed: what a test cannot know when it writes the script
		 * (the one-time code the central simulator sent, docs/central-sim.md) */
		if (parse_arg(rest, &arg) || !*arg)
			return fail(r, "type-file needs a PATH");
		char line[256];
		FILE *tf = fopen(arg, "r");
		if (!tf)
			return fail(r, "type-file: cannot read the file");
		int got = fgets(line, sizeof(line), tf) != NULL;
		fclose(tf);
		line[got ? strcspn(line, "\r\n") : 0] = 0;
		if (!line[0])
			return fail(r, "type-file: the file is empty");
		app_text(a, line);
		explicit_bzero(line, sizeof(line));
	} else if (!strcmp(cmd, "key")) {
		/* key NAME until "LABEL": the key again and again (at most once per control on the
		 * screen and a round more) until the focus is on LABEL, as a customer tabbing along */
		char *until = strstr(rest, " until "), *want = NULL;
		if (until) {
			*until = 0;
			if (parse_arg(until + 7, &want) || !*want)
				return fail(r, "key NAME until needs a \"LABEL\"");
		}
		if (parse_arg(rest, &arg))
			return fail(r, "key needs a NAME");
		static const struct {
			const char *name;
			enum app_key key;
		} keys[] = {
			{"Enter", APP_KEY_ENTER},     {"Return", APP_KEY_ENTER},       {"Backspace", APP_KEY_BACKSPACE},
			{"Escape", APP_KEY_ESCAPE},   {"Delete", APP_KEY_DELETE},      {"Tab", APP_KEY_TAB},
			{"Shift+Tab", APP_KEY_BACKTAB}, {"Up", APP_KEY_UP},            {"Down", APP_KEY_DOWN},
			{"Left", APP_KEY_LEFT},       {"Right", APP_KEY_RIGHT},        {"F1", APP_KEY_REPEAT},
			{"F2", APP_KEY_TEXT_SIZE},    {"F3", APP_KEY_CONTRAST},        {"F9", APP_KEY_VOL_DOWN},
			{"F10", APP_KEY_VOL_UP},      {"VolumeDown", APP_KEY_VOL_DOWN}, {"VolumeUp", APP_KEY_VOL_UP},
		};
		size_t i;
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strcasecmp(arg, keys[i].name))
				break;
		if (i < sizeof(keys) / sizeof(keys[0]) && want) {
			const struct ui_hit *h = NULL;
			for (int k = 0; k <= 2 * UI_MAX_HITS; k++) {
				app_key(a, keys[i].key);
				headless_settle(a);
				h = ui_focus_hit(&a->ui);
				if (h && strstr(h->label, want)) /* the label, or a part of it */
					break;
				h = NULL;
			}
			if (!h)
				return fail(r, "%s never brought the focus to \"%s\"", arg, want);
		} else if (i < sizeof(keys) / sizeof(keys[0])) {
			app_key(a, keys[i].key);
		} else if (!strcasecmp(arg, "Ctrl+Alt+M"))
			app_maint_request(a);
		else
			return fail(r, "unknown key \"%s\" (Enter, Backspace, Escape, Delete, Tab, Shift+Tab, Up, Down, "
				    "Left, Right, F1, F2, F3, F9, F10, VolumeUp, VolumeDown, Ctrl+Alt+M)", arg);
	} else if (!strcmp(cmd, "hold-key")) {
		/* a key held MS milliseconds of virtual time (timers fire), then let go: Enter or 5 */
		char *sp = rest + strspn(rest, " \t");
		char *second = sp + strcspn(sp, " \t");
		long ms;
		int is5 = !strncmp(sp, "5", 1) && (sp[1] == ' ' || sp[1] == '\t');
		int isEnter = !strncasecmp(sp, "Enter", 5) && (sp[5] == ' ' || sp[5] == '\t');
		if ((!is5 && !isEnter) || parse_long(second + strspn(second, " \t"), 0, 60000, &ms))
			return fail(r, "hold-key needs Enter or 5 and MS (0..60000)");
		enum a11y_hold h = is5 ? A11Y_HOLD_5 : A11Y_HOLD_ENTER;
		if (a11y_hold(a, h, 1)) {
			if (is5)
				app_text(a, "5"); /* what the keyboard types on the way down (not typed) */
			app_render(a, 0);
			cmd_wait(r, ms);
			a11y_hold(a, h, 0);
		} else if (is5) {
			app_text(a, "5");
		} else {
			app_key(a, APP_KEY_ENTER);
		}
	} else if (!strcmp(cmd, "hold")) {
		/* a finger down at X Y, held MS milliseconds of virtual time (timers fire), lifted */
		char *sp = rest + strspn(rest, " \t");
		char *second = sp + strcspn(sp, " \t");
		second += strspn(second, " \t");
		char *third = second + strcspn(second, " \t");
		third += strspn(third, " \t");
		long ms;
		if (parse_long(sp, 0, a->ui.w - 1, &x) || parse_long(second, 0, a->ui.h - 1, &y) ||
		    parse_long(third, 0, 60000, &ms) || third[strcspn(third, " \t")] != 0)
			return fail(r, "hold needs X Y inside the screen and MS (0..60000)");
		app_pointer_down(a, (int)x, (int)y);
		app_render(a, 0);
		cmd_wait(r, ms);
		app_pointer_up(a, (int)x, (int)y);
	} else if (!strcmp(cmd, "wait")) {
		if (parse_long(rest + strspn(rest, " \t"), 0, 24L * 3600 * 1000, &x))
			return fail(r, "wait needs milliseconds (0..86400000)");
		cmd_wait(r, x);
	} else if (!strcmp(cmd, "shot")) {
		if (parse_arg(rest, &arg) || !valid_name(arg))
			return fail(r, "shot needs a NAME of letters, digits, - or _");
		char path[600];
		snprintf(path, sizeof(path), "%s/%s.png", r->shots, arg);
		app_render(a, 1);
		if (app_save_png(a, path) != 0)
			return fail(r, "cannot write %s", path);
	} else if (!strcmp(cmd, "expect") || !strcmp(cmd, "expect-not")) {
		if (parse_arg(rest, &arg) || !*arg)
			return fail(r, "expect needs \"TEXT\"");
		int seen = ui_seen(&a->ui, arg);
		if (cmd[6] == 0 && !seen)
			return fail(r, "expected to see \"%s\"", arg);
		if (cmd[6] == '-' && seen)
			return fail(r, "did not expect to see \"%s\"", arg);
	} else if (!strcmp(cmd, "expect-no-overlap")) {
		/* no two lines of text drawn this frame share a pixel, and none leaves the screen */
		const struct ui_text_box *p, *q;
		if (ui_text_overlap(&a->ui, &p, &q))
			return fail(r, "text overlaps: \"%s\" (%d,%d %dx%d) and \"%s\" (%d,%d %dx%d)", p->text,
				    p->r.x, p->r.y, p->r.w, p->r.h, q->text, q->r.x, q->r.y, q->r.w, q->r.h);
		/* nor runs off the screen (a lone symbol's line box, taller than its glyph, may) */
		for (int i = 0; i < a->ui.nboxes; i++) {
			const struct ui_text_box *b = &a->ui.boxes[i];
			int words = 0;
			for (const char *c = b->text; *c && !words; c++)
				words = (*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z');
			if (words && (b->r.x < 0 || b->r.y < 0 || b->r.x + b->r.w > a->ui.w || b->r.y + b->r.h > a->ui.h))
				return fail(r, "text off the screen: \"%s\" (%d,%d %dx%d) on %dx%d", b->text, b->r.x, b->r.y,
					    b->r.w, b->r.h, a->ui.w, a->ui.h);
		}
	} else if (!strcmp(cmd, "expect-whole")) {
		/* TEXT is on screen, and no line containing it was cut short with "…" */
		if (parse_arg(rest, &arg) || !*arg)
			return fail(r, "expect-whole needs \"TEXT\"");
		int found = 0;
		for (int i = 0; i < a->ui.nboxes; i++) {
			const struct ui_text_box *b = &a->ui.boxes[i];
			if (!strstr(b->text, arg))
				continue;
			if (b->cut)
				return fail(r, "\"%s\" is cut short with \"…\" in \"%s\"", arg, b->text);
			found = 1;
		}
		if (!found)
			return fail(r, "expected to see \"%s\" on one line", arg);
	} else if (!strcmp(cmd, "expect-accessible")) {
		/* sizes, contrast, targets and spacing of the current frame (docs/script-language.md) */
		if (*(rest + strspn(rest, " \t")))
			return fail(r, "expect-accessible takes no argument");
		char why[600];
		struct ui_access w;
		if (ui_check_accessible(&a->ui, &w, why, sizeof(why)))
			return fail(r, "not accessible: %s", why);
		printf("%s:%d: accessible: text >= %d px, text contrast >= %.2f:1, outlines >= %.2f:1, targets >= %d px, "
		       "%d px apart\n",
		       r->file, r->line, w.text_px, w.text_ratio, w.outline_ratio, w.target_px, w.gap_px);
	} else if (!strcmp(cmd, "controls")) {
		if (*(rest + strspn(rest, " \t")))
			return fail(r, "controls takes no argument");
		list_controls(r);
	} else if (!strcmp(cmd, "expect-screen")) {
		if (parse_arg(rest, &arg) || !*arg)
			return fail(r, "expect-screen needs a screen id");
		if (strcmp(app_screen_name(a), arg) != 0) {
			fprintf(stderr, "%s:%d: expected screen %s, on %s\n", r->file, r->line, arg,
				app_screen_name(a));
			return -1;
		}
	} else if (!strcmp(cmd, "expect-said")) {
		if (parse_arg(rest, &arg) || !*arg)
			return fail(r, "expect-said needs a \"TEXT\"");
		if (!a11y_said(a, arg)) {
			fprintf(stderr, "%s:%d: expected speech to say \"%s\"; since the last input it said:\n%s\n",
				r->file, r->line, arg, a->a11y.said[0] ? a->a11y.said : "(nothing)");
			return -1;
		}
	} else if (!strcmp(cmd, "expect-not-said")) {
		if (parse_arg(rest, &arg) || !*arg)
			return fail(r, "expect-not-said needs a \"TEXT\"");
		if (a11y_said(a, arg)) {
			fprintf(stderr, "%s:%d: speech said \"%s\":\n%s\n", r->file, r->line, arg, a->a11y.said);
			return -1;
		}
	} else if (!strcmp(cmd, "expect-focus")) {
		if (parse_arg(rest, &arg))
			return fail(r, "expect-focus needs a \"LABEL\" (\"\" for none)");
		const struct ui_hit *h = ui_focus_hit(&a->ui);
		if (!*arg ? h != NULL : !h || strcmp(h->label, arg) != 0) {
			fprintf(stderr, "%s:%d: expected the focus on %s%s%s, it is on %s%s%s\n", r->file, r->line,
				*arg ? "\"" : "", *arg ? arg : "nothing", *arg ? "\"" : "", h ? "\"" : "",
				h ? h->label : "nothing", h ? "\"" : "");
			return -1;
		}
	} else {
		return fail(r, "unknown command \"%s\"", cmd);
	}
	headless_settle(a);
	return 0;
}

int headless_run(struct app *a, const char *script_path, const char *shots_dir)
{
	struct run r = {a, script_path, 0, shots_dir};
	FILE *f = fopen(script_path, "r");
	if (!f) {
		fprintf(stderr, "%s: cannot open: %s\n", script_path, strerror(errno));
		return 1;
	}
	char why[300];
	/* created with its parents if missing; an existing folder is left as it is */
	if (shots_dir && files_mkdir_p(shots_dir, NULL, why, sizeof(why)) != 0) {
		fprintf(stderr, "%s\n", why);
		fclose(f);
		return 1;
	}
	char line[LINE_MAX_LEN + 2];
	int rc = 0, n = 0;
	headless_settle(a);
	app_render(a, 1);
	while (fgets(line, sizeof(line), f)) {
		r.line++;
		size_t len = strlen(line);
		if (len && line[len - 1] == '\n')
			line[--len] = 0;
		else if (len > LINE_MAX_LEN) {
			fail(&r, "line too long");
			rc = 1;
			break;
		}
		if (len && line[len - 1] == '\r')
			line[--len] = 0;
		if (run_line(&r, line) != 0) {
			rc = 1;
			break;
		}
		if (a->exit_code >= 0) { /* "Reiniciar aplicación": the run ends as the process would */
			fprintf(stderr, "%s:%d: the application exits with %d (restart)\n", r.file, r.line, a->exit_code);
			rc = a->exit_code;
			break;
		}
		n++;
	}
	fclose(f);
	if (rc == 0)
		printf("%s: %d lines ok\n", script_path, n);
	return rc;
}
