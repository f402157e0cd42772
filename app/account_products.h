/* account_products — the customer's products, shared by services-statement and
 * services-certificate: loaded once a session on the activity's worker (api_acc_products with
 * the session's token) into s->products (s->products_loaded), and drawn as chips to choose
 * one (s->product). The list is the server's and is wiped with the session
 * (account_wipe_data). */
#ifndef RECAUDO_ACCOUNT_PRODUCTS_H
#define RECAUDO_ACCOUNT_PRODUCTS_H
#include "account_internal.h"

/* Posts the job unless the list is loaded or a job is under way: 0 posted, 1 nothing to do,
 * -1 not posted (said). */
int account_products_load(struct app *a);
/* The job's answer on the screen that asked: 1 if e was it (the list kept, or the failure
 * said). */
int account_products_done(struct app *a, const struct act_event *e);
/* The product chips in rows from y inside width w, at most up to `bottom`: each chip's code
 * is the product's id, its name the line, `what` (may be NULL: the balance) and the balance.
 * name_of(i) (may be NULL) gives a per-product word, e.g. "Paz y salvo". Returns the height
 * used. Chips that do not fit are paged with s->page (the "Anteriores"/"Siguientes" drawn
 * under them). */
int account_products_draw(struct app *a, int x, int y, int w, int bottom, const char *(*word_of)(const struct api_acc_product *p));
/* A product's balance in the screen's money style into out. */
void account_money(struct app *a, int64_t minor, const char *currency, char *out, size_t n);
/* A civil date (YYYYMMDD) as the screen shows it ("30/11/2026"). */
void account_date(int32_t yyyymmdd, char *out, size_t n);
/* The paging buttons ("▲ Anteriores" / "▼ Siguientes", AA_PAGE -1 / +1) and "i–j de n" in one
 * row at y, w wide: its height. first: the first row shown, per: rows a page, n: all rows. */
int account_pager(struct app *a, int x, int y, int w, int first, int per, int n);
/* The pager's height at width w (its buttons' words may wrap in large text). */
int account_pager_h(struct app *a, int w);
/* The print worker's words for a finished job (printer_words): the customer's sentence. */
const char *account_print_words(const struct act_event *e);
#endif
