/* ui — the kiosk's small immediate-mode toolkit on SDL_Renderer. Each frame a screen draws
 * its widgets; every touchable widget registers a hit box carrying a generic action
 * {action, arg} (the toolkit's own keypad actions, or an activity's from UI_ACT_USER up) and its
 * visible label; the toolkit knows no activity. Touches are resolved against the last frame's hit boxes, the
 * headless harness presses controls by label, and the text drawn in a frame is recorded so
 * tests can assert what a customer sees.
 *
 * Drawing calls append commands to the frame's draw list (struct ui_list below); ui_render.c
 * renders it, only where it changed, and with text.c is all that calls SDL_Render*. No
 * allocation per frame: hit boxes and the seen-text log are fixed arrays, the draw list grows
 * to a screen's size once; text and QR textures are cached. */
#ifndef RECAUDO_UI_H
#define RECAUDO_UI_H
#include <SDL.h>
#include "i18n.h"
#include "text.h"
#include "theme.h"

struct ui_rect {
	int x, y, w, h;
};

enum ui_align { UI_LEFT, UI_CENTER, UI_RIGHT };
enum ui_style { UI_PRIMARY, UI_ACCENT, UI_SECONDARY, UI_GHOST, UI_DANGER };

#define UI_MAX_HITS 192
#define UI_LABEL_MAX 64
#define UI_SEEN_MAX 16384
#define UI_QR_CACHE 2
#define UI_CORNER_CACHE 16

/* What touching a control means. The toolkit defines the keypad's actions; an activity numbers
 * its own from UI_ACT_USER up and maps them onto its events. */
enum ui_act {
	UI_ACT_NONE,
	UI_ACT_CHAR,      /* arg: the character of a keypad key */
	UI_ACT_BACKSPACE, /* the keypad's delete key */
	UI_ACT_CLEAR,     /* the keypad's "Borrar" key */
	/* the on-screen keyboard (ui_keyboard.h) */
	UI_ACT_KBD_CHAR,      /* arg: the Unicode code point of the key */
	UI_ACT_KBD_TEXT,      /* arg: which text key (".com", ".co") */
	UI_ACT_KBD_BACKSPACE, /* delete the last character */
	UI_ACT_KBD_SHIFT,     /* one-shot shift; again: caps lock; again: off */
	UI_ACT_KBD_ACCENT,    /* dead key: ´ (¨ with shift) for the next vowel */
	UI_ACT_KBD_PAGE,      /* letters <-> symbols */
	UI_ACT_KBD_SHOW,      /* masked field: show/hide the text */
	UI_ACT_USER = 64  /* activities: UI_ACT_USER + their own action */
};
struct ui_action {
	int action;
	int arg;
};

struct ui_hit {
	struct ui_rect r;
	struct ui_action act;
	char label[UI_LABEL_MAX];
	int disabled;     /* a button drawn disabled: a finger can still touch it (the activity may
			   * say why it does nothing); ui_hit_by_label skips it */
};

/* Where a line of text was drawn this frame, for the harness's layout checks (nothing may
 * overlap; an amount is never cut). `text` is what the screen meant to show (the whole text
 * when it was cut with "…"), truncated to the buffer. */
#define UI_BOXES_MAX 512
#define UI_BOX_TEXT 160
struct ui_text_box {
	struct ui_rect r;
	int cut; /* 1: drawn shortened with "…"; 2: the same, of a text the customer does not need
		  * whole (a screen says so: expect-accessible lets it pass) */
	int px;         /* the font's pixel size */
	struct rgba fg; /* the text's colour */
	int cmd;        /* the draw list's length when it was drawn: what lies behind it comes before
			 * (ui_behind; worked out only when checked, not every frame) */
	char text[UI_BOX_TEXT];
};

struct ui_qr_entry {
	char key[512];
	SDL_Texture *tex;
	int modules;
	unsigned char *dark;  /* modules x modules, 1 = dark (quiet zone included) */
};

/* The draw list: what a frame draws, in order. Every command carries the rectangle of all the
 * pixels it may touch (`r`) and a hash of everything that decides them, so two frames compare
 * region by region without drawing. Text and QR payloads live in the list's own text buffer
 * (wiped by ui_forget). */
enum ui_cmd_type {
	UI_CMD_CLEAR,   /* the whole screen in c (opaque) */
	UI_CMD_FILL,    /* rectangle `shape` in c (blended when c.a < 255) */
	UI_CMD_ROUND,   /* rounded rectangle `shape`, corner radius rad */
	UI_CMD_OUTLINE, /* rounded outline `shape`, radius rad, thick pixels wide */
	UI_CMD_TEXT,    /* one line of text, top-left (x, y), font, bold, colour c */
	UI_CMD_QR,      /* QR code of the payload text, top-left (x, y), `px` pixels per module */
};

struct ui_cmd {
	enum ui_cmd_type type;
	struct ui_rect r;     /* bounds: every pixel the command may change lies inside */
	struct ui_rect shape; /* FILL, ROUND, OUTLINE: the rectangle asked for */
	struct rgba c;
	int rad, thick;       /* ROUND, OUTLINE (radius already clamped to the shape) */
	int x, y, px;         /* TEXT, QR */
	enum font_size font;
	int bold;
	unsigned text, len;   /* TEXT, QR: the string at list.text + text, len bytes */
	uint64_t hash;        /* type, bounds, parameters and text */
};

struct ui_list {
	struct ui_cmd *cmd;
	int n, cap;
	char *text;           /* NUL-terminated strings of the TEXT and QR commands */
	size_t text_len, text_cap;
	int lost;             /* a command did not fit (out of memory): draw in full */
};

struct ui_backend; /* ui_render.c: tiles of the previous frame, counters */

struct ui {
	SDL_Renderer *r;
	SDL_Surface *fb;    /* the surface a software renderer draws into, or NULL (ui_set_target) */
	struct text *text;
	char font_dir[256];
	int w, h;
	float s;            /* layout scale: 1.0 for a 1080-wide portrait screen */
	int portrait;
	struct ui_hit hits[UI_MAX_HITS];
	int nhits;
	int pressed;        /* 1 while a finger is down on pressed_r */
	int down_x, down_y; /* where the finger went down, to tell a swipe from a tap */
	int page_rows;      /* rows per page of the list on screen (0: no list), for wheel/swipe */
	int modal;          /* a dialog is up this frame (ui_dialog): only its controls count */
	struct ui_rect pressed_r;
	char seen[UI_SEEN_MAX];
	size_t seen_len;
	struct ui_text_box boxes[UI_BOXES_MAX];
	int nboxes;
	struct ui_qr_entry qr[UI_QR_CACHE];
	struct {
		int rad, thick;       /* thick 0: filled disc */
		SDL_Texture *tex;     /* white, anti-aliased alpha; tinted per draw */
		unsigned char *alpha; /* the same alpha, 2rad x 2rad, for drawing into fb */
	} corner[UI_CORNER_CACHE];
	struct ui_list list;      /* this frame's draw commands (ui_begin starts it) */
	/* Keyboard focus (ui_focus.c): the control the keys act on. Kept across frames by its
	 * action (a control is redrawn every frame); on: a key moved it, a touch clears it. */
	struct {
		int on;
		struct ui_action act;
		int index;            /* its place among the focusable controls, when last found */
	} focus;
	/* The look (ui_set_look): fonts per look, opened when first used (UI_LOOK_NORMAL always). */
	struct text *fonts[3];    /* UI_LOOK_*; text is the frame's */
	int look;                 /* this frame's UI_LOOK_* */
	int high_contrast;        /* this frame's palette is theme_high_contrast */
	int min_target;           /* this frame's minimum touch target in px (customer look), else 0 */
	int next_look, next_hc;   /* ui_set_look for the next ui_begin; -1: none asked */
	struct ui_backend *be;
};

/* Opens fonts for a w x h screen. Returns 0 or -1 with err set. Release with ui_close. */
int ui_open(struct ui *ui, SDL_Renderer *r, int w, int h, const char *font_dir, char *err, size_t errn);
/* New screen size: recomputes the scale and reopens fonts if it changed. */
int ui_resize(struct ui *ui, int w, int h, char *err, size_t errn);
void ui_close(struct ui *ui);
/* The surface the renderer draws into, when it is a software renderer (the headless canvas, a
 * software window's surface); NULL otherwise. Opaque fills then go straight into it. */
void ui_set_target(struct ui *ui, SDL_Surface *fb);

/* Scales a size given for the 1080-wide reference screen. */
int ui_px(const struct ui *ui, int px);
/* The same for a touch target's side: never under the frame's minimum target (ui_set_look). */
int ui_tpx(const struct ui *ui, int px);

/* Looks. Maintenance and field screens draw in the normal look (theme sizes, normal palette);
 * the customer's screens in the customer look: no text under the minimum for the screen
 * (ui_min_text_px), touch targets at least ui_min_target_px, optionally large text (+40 % on
 * every size) and the high-contrast palette. */
enum ui_look { UI_LOOK_NORMAL, UI_LOOK_CUSTOMER, UI_LOOK_LARGE };
/* The customer look for the next frame: ui_begin applies it, and a frame begun without it is in
 * the normal look. Fonts of each text size are opened once and kept (switching costs nothing). */
void ui_set_look(struct ui *ui, int large_text, int high_contrast);
/* The accessibility minima for a w x h screen, by its short side (docs/script-language.md):
 * text px (32 at 1080, 28 at 800), touch target px (96 at 1080, 90 at 800) and the 2 mm
 * between targets in px (8 on a 21.5" 1080x1920, 12 on a 10.1" 1280x800). */
int ui_min_text_px(int w, int h);
int ui_min_target_px(int w, int h);
int ui_min_gap_px(int w, int h);
/* WCAG 2 contrast ratio of two opaque colours: 1 (same) to 21 (black on white). */
double ui_contrast(struct rgba a, struct rgba b);
/* The colour that lies under r once the first `before` draw commands are drawn: the clear
 * colour with every fill and rounded fill whose shape contains r blended on in order (a shape
 * equal to `skip`, if given, is left out: an outline's own control). */
struct rgba ui_behind(const struct ui *ui, struct ui_rect r, int before, const struct ui_rect *skip);
/* The accessibility check over this frame (headless `expect-accessible`): text sizes, contrast
 * of text and outlines, target sizes and spacing, nothing cut with "…". 0 if it passes, else 1
 * with the first failure described in msg. worst (may be NULL): the frame's smallest text px,
 * smallest target side, lowest text contrast, lowest outline contrast, smallest target gap. */
struct ui_access {
	int text_px, target_px, gap_px;
	double text_ratio, outline_ratio;
};
int ui_check_accessible(struct ui *ui, struct ui_access *worst, char *msg, size_t n);

void ui_begin(struct ui *ui, struct rgba bg);
void ui_fill(struct ui *ui, struct ui_rect r, struct rgba c);
void ui_round(struct ui *ui, struct ui_rect r, int radius, struct rgba c);
void ui_round_outline(struct ui *ui, struct ui_rect r, int radius, int thick, struct rgba c);

/* One line of text anchored at x by align, top at y. Returns its width. */
int ui_label(struct ui *ui, int x, int y, enum font_size f, int bold, struct rgba c, enum ui_align a,
	     const char *text);
/* Text shrunk to fit max_w if needed (by font size steps, then ellipsis). Returns width. */
int ui_label_fit(struct ui *ui, int x, int y, int max_w, enum font_size f, int bold, struct rgba c,
		 enum ui_align a, const char *text);
/* Wrapped paragraph inside r (height is not clipped). Returns the height used. */
int ui_para(struct ui *ui, struct ui_rect r, enum font_size f, int bold, struct rgba c, enum ui_align a,
	    const char *text);
int ui_line_h(struct ui *ui, enum font_size f);

/* Registers a touch area without drawing. label may be NULL. */
void ui_hit(struct ui *ui, struct ui_rect r, struct ui_action act, const char *label);
void ui_button(struct ui *ui, struct ui_rect r, const char *label, enum ui_style st, struct ui_action act,
	       int enabled);
void ui_chip(struct ui *ui, struct ui_rect r, const char *code, const char *name, int selected,
	     struct ui_action act);
/* The height a chip w wide needs for its code and its name (wrapped). */
int ui_chip_height(struct ui *ui, int w, const char *name);
/* Numeric keypad: 1-9, then left key (⌫ delete), 0, right key (dv: "-" for NIT DV, else
 * "Borrar"). Keys carry UI_ACT_CHAR (arg: the character) / UI_ACT_BACKSPACE / UI_ACT_CLEAR. */
void ui_keypad(struct ui *ui, struct ui_rect r, int dv_key);
/* Tabs: n labels with their actions; `active` is drawn selected. */
void ui_tabs(struct ui *ui, struct ui_rect r, const char *const *labels, const struct ui_action *acts,
	     int n, int active);
/* A QR code as large as fits in r (square, centred, with a 4-module quiet zone). */
void ui_qr(struct ui *ui, struct ui_rect r, const char *payload);
/* A modal card centred on screen: dims everything and drops the hit boxes beneath.
 * Returns the card's inner rectangle. */
struct ui_rect ui_dialog(struct ui *ui, int w, int h);
enum ui_banner_kind { UI_INFO, UI_OK, UI_ERROR };
/* A message banner with an icon (not colour alone). Returns the height used. */
int ui_banner(struct ui *ui, struct ui_rect r, const char *text, enum ui_banner_kind kind);
/* The height ui_banner will take for text at width w (0 for no text), to place it beforehand. */
int ui_banner_height(struct ui *ui, int w, const char *text);

/* Forgets everything a session drew: text and QR textures, the draw list (its text wiped) and
 * the previous frame's tiles, the seen-text log, hit labels. Called when a session is wiped. */
void ui_forget(struct ui *ui);

/* Renders the frame's draw list (ui_render.c). full: every command, over the whole screen;
 * otherwise only the regions whose commands differ from the previous frame's (a full redraw
 * when there is no previous frame in the target: first frame, new target or size, after
 * ui_forget or ui_invalidate, a renderer without a software target). The rectangles redrawn
 * go into rects (at most max; the whole screen if more): the number, 0 if nothing changed. */
int ui_render(struct ui *ui, int full, SDL_Rect *rects, int max);
/* The target no longer holds the last frame (a window exposed): the next frame is drawn in full. */
void ui_invalidate(struct ui *ui);

/* Keyboard focus (ui_focus.c). Focusable: every control with a label, in the order the
 * screen registered them (its reading order: top bar, content, actions; a dialog's buttons
 * only, since a dialog drops the hits beneath). */
/* Moves the focus +1 (next) or -1 (previous), wrapping; from no focus: the first or the last.
 * Returns the control now focused, NULL if the screen has none. */
const struct ui_hit *ui_focus_move(struct ui *ui, int dir);
/* Focuses the control with this action if it is on screen (1), else leaves the focus (0). */
int ui_focus_set(struct ui *ui, struct ui_action act);
void ui_focus_clear(struct ui *ui);
/* The focused control in this frame: the one with the focused action, else the one at the
 * focus's place (the control changed under it); NULL when there is no focus. */
const struct ui_hit *ui_focus_hit(struct ui *ui);
/* Draws the focus ring around the focused control, on top of the frame: two bands, each
 * black or white, the inner chosen against the control's colour and the outer against what
 * lies around it, so the ring stands >= 3:1 against both neighbours. Call after the screen's
 * drawing. */
void ui_focus_draw(struct ui *ui);

/* Hit lookup for input and the harness. */
const struct ui_hit *ui_hit_at(const struct ui *ui, int x, int y);
/* Among the enabled controls: exact label first, then a unique substring; NULL if none or
 * ambiguous. */
const struct ui_hit *ui_hit_by_label(const struct ui *ui, const char *label);
/* What a finger can touch by its label: the enabled control ui_hit_by_label finds; when no
 * enabled control has the label (whole or in part), a disabled one by the same rules. */
const struct ui_hit *ui_hit_by_label_any(const struct ui *ui, const char *label);
/* 1 if text occurs in anything drawn this frame. */
int ui_seen(const struct ui *ui, const char *text);
/* Layout checks over this frame's text boxes. The first pair of boxes that overlap: 1 and
 * *a, *b set; 0 if none. */
int ui_text_overlap(const struct ui *ui, const struct ui_text_box **a, const struct ui_text_box **b);
#endif
