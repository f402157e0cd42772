/* screens — what each flow state looks like. A screen is a const descriptor in a table;
 * screens only read the flow and draw through ui.h (never SDL directly). */
#ifndef RECAUDO_SCREENS_H
#define RECAUDO_SCREENS_H
#include "flow.h"
#include "ui.h"

/* What the chrome shows beyond the flow: data freshness and the printer. */
struct screen_status {
	int64_t data_as_of;     /* epoch s, 0 if no data */
	enum str_id printer;    /* printer state, translated when drawn */
	int central;            /* a central API is configured */
	int online;             /* the last exchange with it succeeded */
	int64_t last_sync;      /* epoch s, 0 if never */
	int64_t queue_depth;    /* events not yet acknowledged */
	int reprint_offer;      /* a receipt a restart may have cut short can be reprinted */
	int speech;             /* spoken guidance can be turned on: the attract screen says how
				 * (2: plugging the configured headphones turns it on too) */
};

struct screen {
	enum screen_id id;
	void (*draw)(struct ui *ui, const struct flow *f, const struct screen_status *st);
};

/* Draws the flow's current screen plus overlays (inactivity countdown). */
void screens_draw(struct ui *ui, const struct flow *f, const struct screen_status *st);

/* Shared pieces (screens.c). */
int screen_topbar(struct ui *ui, const struct flow *f, int with_exit);
/* The hit-box action for a flow event: UI_ACT_USER + the event type (customer_action maps it
 * back, with the keypad's toolkit actions). */
struct ui_action screen_ev(enum flow_ev_type t, int arg);
/* Money and the TRM in the convention of the language on screen (money_format_style): one per
 * language, "$ 4.012,35" / "USD 2.450,00" in Spanish, "$4,012.35" / "USD 2,450.00" in English. */
size_t screen_money(char *buf, size_t n, struct money m);
size_t screen_trm(char *buf, size_t n, const struct trm *t);
/* The width a ui_button needs for its label whole (at least min_w). */
int screen_button_w(struct ui *ui, const char *label, int min_w);
/* The height a ui_button w wide needs for its label wrapped whole (at least min_h). */
int screen_button_h(struct ui *ui, const char *label, int w, int min_h);
/* "21/11/2026 18:00" in local time. */
void screen_datetime(char *buf, size_t n, int64_t epoch_s);
int screen_pad(const struct ui *ui);
/* The name of an ID type ("Cédula"), to show or say. */
enum str_id screen_id_type_str(enum id_type t);
/* The largest font, from `from` down to FONT_CAPTION, at which text is at most max_w wide
 * (FONT_CAPTION when none is): for centring a line that ui_label_fit will shrink. */
enum font_size screen_fit_font(struct ui *ui, const char *text, int bold, int max_w, enum font_size from);
/* Layout shared by the keypad screens: the keypad under the content (portrait, anchored above
 * the action bar, shrunk if the content reaches down to content_bottom) or in a right column beside a content column of width colw (landscape).
 * Returns the keypad's rectangle; *bar is the action bar along the bottom. */
struct ui_rect screen_keypad_layout(struct ui *ui, int top, int content_bottom, int colw, struct ui_rect *bar);

void screen_attract_draw(struct ui *ui, const struct flow *f, const struct screen_status *st);
void screen_id_draw(struct ui *ui, const struct flow *f, const struct screen_status *st);
void screen_portfolio_draw(struct ui *ui, const struct flow *f, const struct screen_status *st);
void screen_amount_draw(struct ui *ui, const struct flow *f, const struct screen_status *st);
void screen_coupon_draw(struct ui *ui, const struct flow *f, const struct screen_status *st);
void screen_done_draw(struct ui *ui, const struct flow *f, const struct screen_status *st);
#endif
