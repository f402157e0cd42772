/* The draw list and dirty regions (app/ui.c, app/ui_render.c):
 * - screens draw into a list of commands, which a test can read without looking at pixels: a
 *   button is a rounded fill at its hit box with its label as a text run on it;
 * - an unchanged frame redraws nothing; one key press on the ID entry redraws only around the
 *   number field;
 * - the session wipe (ui_forget) leaves no text of the session in the list;
 * - pixel identity: the demo tour and every scenario, portrait and landscape, with each frame
 *   drawn region by region and then again in full: the pixels must be the same. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check.h"
#include "headless.h"
#include "tmpdir.h"
#include "ui_render.h"

#define START_MS 1795359600000LL /* tests/run.sh's RECAUDO_START: the demo data's "today" */

static struct app *open_app_in(const char *data, int headless, int w, int h)
{
	struct app_opts o;
	struct app *a = calloc(1, sizeof(*a));
	char err[400];
	memset(&o, 0, sizeof(o));
	o.headless = headless;
	o.demo = 1;
	o.w = w;
	o.h = h;
	o.data_dir = data;
	o.start_ms = START_MS;
	if (!a || app_open(a, &o, err, sizeof(err)) != 0) {
		fprintf(stderr, "app_open: %s\n", a ? err : "out of memory");
		free(a);
		return NULL;
	}
	return a;
}

static struct app *open_app(const char *data, int w, int h)
{
	return open_app_in(data, 1, w, h);
}

static const char *cmd_text(const struct ui *ui, const struct ui_cmd *c)
{
	return c->type == UI_CMD_TEXT || c->type == UI_CMD_QR ? ui->list.text + c->text : "";
}

static int inside(struct ui_rect in, struct ui_rect out)
{
	return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w && in.y + in.h <= out.y + out.h;
}

static const struct ui_cmd *find_text(const struct ui *ui, const char *text)
{
	for (int i = 0; i < ui->list.n; i++)
		if (ui->list.cmd[i].type == UI_CMD_TEXT && !strcmp(cmd_text(ui, &ui->list.cmd[i]), text))
			return &ui->list.cmd[i];
	return NULL;
}

/* The last ROUND command whose shape contains r. */
static const struct ui_cmd *round_around(const struct ui *ui, struct ui_rect r)
{
	const struct ui_cmd *found = NULL;
	for (int i = 0; i < ui->list.n; i++)
		if (ui->list.cmd[i].type == UI_CMD_ROUND && inside(r, ui->list.cmd[i].shape))
			found = &ui->list.cmd[i];
	return found;
}

static int list_holds(const struct ui *ui, const char *s)
{
	size_t n = strlen(s);
	if (!ui->list.text)
		return 0;
	for (size_t i = 0; i + n <= ui->list.text_cap; i++)
		if (!memcmp(ui->list.text + i, s, n))
			return 1;
	return 0;
}

static void commands(const char *data)
{
	struct ui_render_stats s0, s1;
	struct app *a = open_app(data, 1080, 1920);
	CHECK(a != NULL);
	if (!a)
		return;
	struct ui *ui = &a->ui;
	app_render(a, 1);
	CHECK(ui->list.n > 1);
	CHECK_INT(ui->list.cmd[0].type, UI_CMD_CLEAR); /* every frame starts by clearing the screen */
	CHECK(ui->list.cmd[0].r.w == 1080 && ui->list.cmd[0].r.h == 1920);

	/* the ID entry with a number: "Consultar" is a rounded fill at its hit box, its label on it */
	app_text(a, "102030405");
	CHECK_INT(app_render(a, 0), 1);
	const struct ui_hit *h = ui_hit_by_label(ui, "Consultar");
	const struct ui_cmd *label = find_text(ui, "Consultar");
	CHECK(h != NULL);
	CHECK(label != NULL);
	if (h && label) {
		const struct ui_cmd *bg = round_around(ui, label->r);
		CHECK(bg != NULL);
		if (bg) {
			CHECK(bg->shape.x == h->r.x && bg->shape.y == h->r.y && bg->shape.w == h->r.w &&
			      bg->shape.h == h->r.h);
			CHECK(bg->rad > 1);
			CHECK(bg < label); /* drawn before its label */
		}
		CHECK(inside(label->r, h->r));
	}

	/* an unchanged frame draws nothing */
	ui_render_stats(ui, &s0);
	a->dirty = 1;
	CHECK_INT(app_render(a, 0), 1);
	ui_render_stats(ui, &s1);
	CHECK_INT(s1.unchanged - s0.unchanged, 1);
	CHECK_INT(s1.px - s0.px, 0);
	CHECK_INT(s1.last_n, 0);

	/* one key press: only around the number field */
	const struct ui_cmd *num = find_text(ui, "102030405");
	CHECK(num != NULL);
	struct ui_rect field = {0, 0, 0, 0};
	if (num && round_around(ui, num->r))
		field = round_around(ui, num->r)->shape;
	CHECK(field.w > 0 && field.w < 1080 && field.h < 400);
	ui_render_stats(ui, &s0);
	app_text(a, "0");
	CHECK_INT(app_render(a, 0), 1);
	ui_render_stats(ui, &s1);
	CHECK_INT(s1.partial - s0.partial, 1);
	CHECK(s1.last_n >= 1);
	num = find_text(ui, "1020304050");
	CHECK(num != NULL);
	/* the field's region: the field and its digit counter above it */
	const struct ui_cmd *count = find_text(ui, "10 de 10 dígitos");
	CHECK(count != NULL);
	if (count) {
		CHECK(count->r.y + count->r.h <= field.y);
		int y0 = count->r.y;
		field.h += field.y - y0;
		field.y = y0;
	}
	struct ui_rect tiles = {field.x / UI_TILE * UI_TILE, field.y / UI_TILE * UI_TILE, 0, 0};
	tiles.w = (field.x + field.w + UI_TILE - 1) / UI_TILE * UI_TILE - tiles.x;
	tiles.h = (field.y + field.h + UI_TILE - 1) / UI_TILE * UI_TILE - tiles.y;
	struct ui_rect last = {s1.last.x, s1.last.y, s1.last.w, s1.last.h};
	CHECK(inside(last, tiles)); /* nothing outside the field's tiles */
	if (num)
		CHECK(inside(num->r, last) || num->r.x + num->r.w <= last.x + last.w); /* the new digit */
	CHECK(s1.px - s0.px < 1080ull * 1920 / 20);
	printf("key press: %d rectangle(s), %llu pixels redrawn of %d (%d,%d %dx%d)\n", s1.last_n,
	       s1.px - s0.px, 1080 * 1920, s1.last.x, s1.last.y, s1.last.w, s1.last.h);

	/* forced: drawn in full */
	ui_render_stats(ui, &s0);
	app_render(a, 1);
	ui_render_stats(ui, &s1);
	CHECK_INT(s1.full - s0.full, 1);

	/* the session wipe: nothing of the session stays in the list, the next frame is in full */
	CHECK(list_holds(ui, "1020304050"));
	ui_forget(ui);
	CHECK_INT(ui->list.n, 0);
	CHECK(!list_holds(ui, "1020304050"));
	ui_render_stats(ui, &s0);
	a->dirty = 1;
	app_render(a, 0);
	ui_render_stats(ui, &s1);
	CHECK_INT(s1.full - s0.full, 1);
	app_close(a);
	free(a);
}

/* A software window (SDL's offscreen driver): its surface keeps the last frame, so key presses
 * are drawn region by region there too, with a full redraw's pixels. */
static void window(const char *data)
{
	struct ui_render_stats st;
	struct app *a = open_app_in(data, 0, 1080, 1920);
	CHECK(a != NULL);
	if (!a)
		return;
	CHECK(a->ui.fb != NULL && a->ui.fb == SDL_GetWindowSurface(a->win));
	ui_render_verify(&a->ui, 1);
	app_render(a, 1);
	app_text(a, "1020304050");
	app_render(a, 0);
	app_key(a, APP_KEY_BACKSPACE);
	app_render(a, 0);
	ui_render_stats(&a->ui, &st);
	CHECK(st.partial >= 2);
	CHECK_INT(st.verified, st.partial);
	CHECK_INT(st.mismatched, 0);
	app_close(a);
	free(a);
}

/* A script run headless with every region-by-region frame compared with a full redraw. */
static void identical(const char *dir, const char *script, int w, int h)
{
	char data[700], shots[700];
	static int run;
	struct ui_render_stats st;
	snprintf(data, sizeof(data), "%s/run%d", dir, run);
	snprintf(shots, sizeof(shots), "%s/shots%d", dir, run++);
	struct app *a = open_app(data, w, h);
	CHECK(a != NULL);
	if (!a)
		return;
	ui_render_verify(&a->ui, 1);
	CHECK_INT(headless_run(a, script, shots), 0);
	ui_render_stats(&a->ui, &st);
	printf("%s %dx%d: %lu frames, %lu in full, %lu by region (compared: %lu), %lu unchanged; "
	       "%llu pixels differ\n",
	       script, w, h, st.frames, st.full, st.partial, st.verified, st.unchanged, st.mismatched);
	CHECK(st.verified > 0);
	CHECK_INT(st.verified, st.partial);
	CHECK_INT(st.mismatched, 0);
	app_close(a);
	free(a);
}

int main(void)
{
	char dir[] = "/tmp/recaudo-drawlist-XXXXXX";
	char data[600];
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	setenv("TZ", "<-05>5", 1);
	setenv("SDL_VIDEODRIVER", "offscreen", 1);
	snprintf(data, sizeof(data), "%s/data", dir);
	commands(data);
	window(data);

	/* every screen the tour and the scenarios visit, both orientations; under valgrind
	 * (tests/run.sh VALGRIND=1) the tour alone: the same drawing code under a memory checker,
	 * at a twentieth of the speed (every scenario is compared under make test and ASan) */
	const char *scripts[64];
	char names[64][300];
	int n = 0;
	scripts[n++] = "assets/demo/tour.script";
	const char *vg = getenv("VALGRIND");
	DIR *d = vg && !strcmp(vg, "1") ? NULL : opendir("tests/scenarios");
	CHECK(d != NULL || (vg && !strcmp(vg, "1")));
	for (struct dirent *e; d && (e = readdir(d)) && n < 64;) {
		size_t len = strlen(e->d_name);
		if (len > 7 && !strcmp(e->d_name + len - 7, ".script")) {
			snprintf(names[n], sizeof(names[n]), "tests/scenarios/%s", e->d_name);
			scripts[n] = names[n];
			n++;
		}
	}
	if (d)
		closedir(d);
	CHECK(n > 1 || (vg && !strcmp(vg, "1")));
	for (int i = 0; i < n; i++) {
		identical(dir, scripts[i], 1080, 1920);
		identical(dir, scripts[i], 1280, 800);
	}
	tmpdir_remove(dir);
	return check_done();
}
