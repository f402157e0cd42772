/* services-security in change mode: a verified customer chooses a new security image and
 * phrase, in two steps on the same screen id so the grid and the keyboard each have the
 * screen: 1. the grid of the ACCOUNT_IMAGES images (each tile a control named by its image,
 * "Ancla", the chosen one outlined); 2. the phrase on the on-screen keyboard (accents and ñ,
 * core/account.h's rules). "Guardar" sends both to the central API (api_acc_security, within
 * the lookup budget); on its OK the session's lookup holds them (services-security would show
 * them), an audit row says it happened (never the image or the phrase) and the menu says so.
 * Reached from the menu, and right after verification for a customer without an image and
 * phrase ("Ahora no" goes to the menu then, as "Atrás" does).
 *
 * s->page is the step (account_go resets it): 0 the image, 1 the phrase. s->image the choice. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account_form.h"
#include "app.h"
#include "ui_secimage.h"

enum { STEP_IMAGE, STEP_PHRASE };
enum { JOB_SECURITY = 30 };

struct security_job {
	char token[API_ACC_TOKEN_MAX];
	int image;
	char phrase[ACCOUNT_PHRASE_MAX * 4 + 1];
	int rc;
};

static int security_job(struct maint_job_env *env, void *arg, char *msg, size_t msgn)
{
	struct security_job *j = arg;
	(void)msg, (void)msgn;
	struct api *api = account_api_open(env, ACCOUNT_CALL_MS);
	j->rc = api ? api_acc_security(api, j->token, j->image, j->phrase, ACCOUNT_CALL_MS) : API_ERR_NETWORK;
	api_close(api);
	explicit_bzero(j->token, sizeof(j->token));
	explicit_bzero(j->phrase, sizeof(j->phrase));
	return j->rc;
}

static void save(struct app *a)
{
	struct account *s = account_of(a);
	if (s->job || s->image < 0 || s->image >= ACCOUNT_IMAGES)
		return;
	struct security_job *j = calloc(1, sizeof(*j));
	if (!j)
		return;
	enum account_err e = account_phrase_parse(s->in[AI_PHRASE].buf, j->phrase, sizeof(j->phrase));
	if (e != ACCOUNT_OK) {
		explicit_bzero(j, sizeof(*j));
		free(j);
		account_say(a, UI_ERROR, "%s", account_form_err(AI_PHRASE, e));
		return;
	}
	snprintf(j->token, sizeof(j->token), "%s", s->token);
	j->image = s->image;
	if (account_post(a, JOB_SECURITY, security_job, j) != 0) {
		explicit_bzero(j, sizeof(*j));
		free(j);
		return;
	}
	s->msg[0] = 0;
}

static void answered(struct app *a, struct security_job *j)
{
	struct account *s = account_of(a);
	if (j->rc == API_OK) {
		/* the field does not change while the job runs (the keyboard is ignored then) */
		s->look.image = j->image;
		if (account_phrase_parse(s->in[AI_PHRASE].buf, s->look.phrase, sizeof(s->look.phrase)) != ACCOUNT_OK)
			s->look.phrase[0] = 0;
		ui_kbd_field_clear(&s->in[AI_PHRASE]);
		account_audit(a, "account.security_changed", "ok", "");
		account_go(a, AP_MENU);
		account_say(a, UI_OK, "%s", tr(STR_AC_CHG_SAVED));
		return;
	}
	account_audit(a, "account.security_changed", "failed", "");
	account_say(a, UI_ERROR, "%s", j->rc == API_ACC_REFUSED ? tr(STR_AC_CHG_REFUSED) : account_api_words(j->rc));
}

static void enter(struct app *a)
{
	struct account *s = account_of(a);
	s->image = s->look.image >= 0 && s->look.image < ACCOUNT_IMAGES ? s->look.image : -1;
	ui_kbd_field_clear(&s->in[AI_PHRASE]);
	account_form_focus(a, AI_PHRASE);
}

static void leave_screen(struct app *a)
{
	struct account *s = account_of(a);
	ui_kbd_field_clear(&s->in[AI_PHRASE]);
	account_go(a, AP_MENU);
}

static int handle(struct app *a, const struct act_event *e)
{
	struct account *s = account_of(a);
	if (e->type == ACT_JOB && e->job->fn == security_job) {
		answered(a, e->job->arg);
		return 1;
	}
	int go = (e->type == ACT_ACTION && e->act.action == AA_SAVE) || (e->type == ACT_KEY && e->key == APP_KEY_ENTER);
	int back = (e->type == ACT_ACTION && e->act.action == AA_BACK) || (e->type == ACT_KEY && e->key == APP_KEY_ESCAPE);
	if (s->job)
		return go || back;
	if (s->page == STEP_IMAGE) {
		if (e->type == ACT_ACTION && e->act.action == AA_IMAGE && e->act.arg >= 0 && e->act.arg < ACCOUNT_IMAGES) {
			s->image = e->act.arg;
			s->msg[0] = 0;
			return 1;
		}
		if (go || (e->type == ACT_ACTION && e->act.action == AA_CONTINUE)) {
			if (s->image < 0) {
				account_say(a, UI_ERROR, "%s", tr(STR_AC_CHG_NONE));
			} else {
				s->page = STEP_PHRASE;
				s->msg[0] = 0;
				account_form_focus(a, AI_PHRASE);
			}
			return 1;
		}
		if (back || (e->type == ACT_ACTION && e->act.action == AA_MENU)) {
			leave_screen(a);
			return 1;
		}
		return 0;
	}
	if (back) { /* to the images; the phrase typed so far stays */
		s->page = STEP_IMAGE;
		s->msg[0] = 0;
		return 1;
	}
	if (go) {
		save(a);
		return 1;
	}
	return account_kbd_event(a, e);
}

/* "ancla" -> "Ancla": the tiles' names for scripts and speech (the table's first letters are
 * ASCII). */
static void tile_name(int i, char *out, size_t n)
{
	snprintf(out, n, "%s", ui_secimage_name(i, i18n_get() == LANG_EN));
	if (out[0] && (unsigned char)out[0] < 0x80)
		out[0] = (char)toupper((unsigned char)out[0]);
}

static void draw_grid(struct app *a, struct ui_rect body, int y)
{
	struct ui *ui = &a->ui;
	struct account *s = account_of(a);
	int pad = screen_pad(ui), gap = ui_px(ui, SP_M), bh = ui_tpx(ui, 130);
	int x = body.x + pad, w = body.w - 2 * pad, bottom = body.y + body.h - pad;
	y += ui_para(ui, (struct ui_rect){x, y, w, 0}, FONT_BODY, 0, THEME_TEXT, UI_LEFT, tr(STR_AC_CHG_IMAGE_BODY)) +
	     ui_px(ui, SP_S);
	char chosen[96], name[64];
	if (s->image >= 0) {
		tile_name(s->image, name, sizeof(name));
		snprintf(chosen, sizeof(chosen), tr(STR_AC_CHG_CHOSEN), name);
	}
	const char *under = s->msg[0] ? s->msg : s->image >= 0 ? chosen : tr(STR_AC_CHG_NONE);
	enum ui_banner_kind kind = s->msg[0] ? s->msg_kind : s->image >= 0 ? UI_OK : UI_INFO;
	int mh = ui_banner_height(ui, w, under) + gap;
	/* the grid: 4 x 4 in portrait, 8 x 2 in landscape; square tiles as large as fit */
	int cols = ui->portrait ? 4 : 8, rows = (ACCOUNT_IMAGES + cols - 1) / cols, tg = ui_px(ui, SP_M);
	int room = bottom - bh - gap - mh - y;
	int side = (w - (cols - 1) * tg) / cols;
	if (rows * side + (rows - 1) * tg > room)
		side = (room - (rows - 1) * tg) / rows;
	int gx = x + (w - (cols * side + (cols - 1) * tg)) / 2;
	for (int i = 0; i < ACCOUNT_IMAGES; i++) {
		struct ui_rect r = {gx + (i % cols) * (side + tg), y + (i / cols) * (side + tg), side, side};
		ui_secimage_draw(ui, r, i);
		if (i == s->image) {
			int o = ui_px(ui, 6);
			ui_round_outline(ui, (struct ui_rect){r.x - o, r.y - o, r.w + 2 * o, r.h + 2 * o}, ui_px(ui, RADIUS) + o,
					 ui_px(ui, 6), THEME_TEXT);
		}
		tile_name(i, name, sizeof(name));
		ui_hit(ui, r, (struct ui_action){AA_IMAGE, i}, name);
	}
	y += rows * side + (rows - 1) * tg + gap;
	ui_banner(ui, (struct ui_rect){x, y, w, 0}, under, kind);
	int half = (w - gap) / 2;
	ui_button(ui, (struct ui_rect){x, bottom - bh, half, bh}, tr(STR_AC_CHG_LATER), UI_SECONDARY,
		  (struct ui_action){AA_MENU, AP_MENU}, 1);
	ui_button(ui, (struct ui_rect){x + w - half, bottom - bh, half, bh}, tr(STR_AC_CHG_NEXT), UI_PRIMARY,
		  (struct ui_action){AA_CONTINUE, 0}, s->image >= 0);
}

static void draw_phrase(struct app *a, struct ui_rect body)
{
	struct account *s = account_of(a);
	char name[64], info[320];
	tile_name(s->image, name, sizeof(name));
	snprintf(info, sizeof(info), tr(STR_AC_CHG_PHRASE_BODY), name);
	struct account_form_field f[1] = {{AI_PHRASE, tr(STR_AC_CHG_PHRASE), NULL}};
	account_form_draw(a, body, tr(STR_AC_CHG_TITLE), info, f, 1, 1, tr(STR_AC_CHG_SAVE), AA_SAVE, !s->job);
}

static void draw(struct app *a, struct ui_rect body)
{
	struct account *s = account_of(a);
	if (s->page == STEP_IMAGE)
		draw_grid(a, body, account_header(a, body, tr(STR_AC_CHG_TITLE), 0));
	else
		draw_phrase(a, body);
}

const struct account_screen account_change_screen = {"services-security", enter, draw, handle, STR_AC_CHG_TITLE};
