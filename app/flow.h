/* flow — the customer journey as a pure state machine. No SDL, SQLite or curl here: the flow
 * receives events (taps already mapped to meanings, keys, time) and asks for side effects
 * through struct flow_fx, so it runs on the host under unit tests with fakes.
 *
 * Ownership: the flow owns the portfolio it receives with FEV_LOOKUP_DONE and its per-document
 * selection state; everything is released and zeroed by the session wipe (back to attract,
 * inactivity, or flow_free). */
#ifndef RECAUDO_FLOW_H
#define RECAUDO_FLOW_H
#include <stdint.h>
#include "coupon.h"
#include "i18n.h"
#include "idnum.h"
#include "money.h"
#include "domain.h"
#include "printer.h"

enum screen_id { SCR_ATTRACT, SCR_ID_ENTRY, SCR_PORTFOLIO, SCR_AMOUNT, SCR_COUPON, SCR_DONE, SCR_COUNT };
/* Stable names used by the headless harness (`expect-screen`): "attract", "id-entry", ... */
const char *screen_name(enum screen_id s);

enum flow_ev_type {
	FEV_NONE,
	FEV_START,        /* attract touched */
	FEV_LANG,         /* toggle Spanish/English */
	FEV_ID_TYPE,      /* arg: enum id_type */
	FEV_KEY_CHAR,     /* arg: character typed (keypad, keyboard or scanner); '-' starts a NIT DV */
	FEV_KEY_BACK,     /* delete last character */
	FEV_KEY_CLEAR,
	FEV_SUBMIT,       /* "Consultar" / Enter on ID entry; "Aceptar" / Enter on amount */
	FEV_BACK,         /* one screen back */
	FEV_CANCEL,       /* leave: wipe the session, back to attract ("Sí, salir", "Terminar") */
	FEV_EXIT_ASK,     /* "Salir" in the top bar: asks before wiping (the confirmation overlay) */
	FEV_EXIT_KEEP,    /* "No, continuar" on the confirmation: the session goes on */
	FEV_TAB,          /* arg: enum currency */
	FEV_TOGGLE_DOC,   /* arg: index into the portfolio */
	FEV_EDIT_AMOUNT,  /* arg: index: open the amount editor for a partial payment */
	FEV_AMOUNT_FULL,  /* amount editor: pay the whole balance */
	FEV_SCROLL,       /* arg: rows (+ down, - up) */
	FEV_GEN_COUPON,
	FEV_PAY_PHONE,
	FEV_FINISH,       /* coupon screen done -> thank-you */
	FEV_MORE_TIME,    /* answer to the inactivity countdown */
	FEV_PRINT_DONE,   /* arg: the job's rc (0 printed); data: const struct printer_status * (NULL:
	                   * unknown); text: detail; id: the coupon's sequence */
	FEV_REPRINT,      /* coupon/done: reprint this coupon's receipt (a copy); attract: the offered one */
	FEV_LOOKUP_DONE,  /* id: the request; data: struct flow_lookup (the flow takes its portfolio) */
	FEV_TEXT_SIZE,    /* "Aa": large text on/off (ends with the session) */
	FEV_CONTRAST,     /* high-contrast theme on/off (ends with the session) */
	FEV_SERVICES,     /* portfolio: "Mis servicios" (handoff: the account activity takes over) */
	FEV_COUPON_EMAIL, /* coupon: "Enviar por correo" (handoff: the e-mail is typed there) */
	FEV_RESUME,       /* the held session comes back (from the account activity); text: where
			   * the coupon will be e-mailed (masked), or NULL */
	FEV_TICK,         /* time passed; no user input */
};

struct flow_event {
	enum flow_ev_type type;
	int arg;
	const char *text;
	int64_t now_ms;   /* epoch milliseconds (virtual in headless runs) */
	uint64_t id;      /* FEV_PRINT_DONE: which coupon; FEV_LOOKUP_DONE: which request */
	void *data;       /* FEV_LOOKUP_DONE: struct flow_lookup *; FEV_PRINT_DONE: the printer status */
	int disabled;     /* a touch on a control drawn disabled: the flow says why it does nothing
			   * (a banner) instead of acting */
};

/* The answer to a lookup. On rc 0 the flow takes pf (and zeroes it here); otherwise pf is
 * empty. */
struct flow_lookup {
	int rc;           /* 0 found (ndocs may be 0), 1 unknown customer, <0 could not look up */
	int online;       /* 1: from the central API now; 0: from the kiosk's own store */
	struct portfolio pf;
};

/* Whether the kiosk is online and how much it has issued that the server has not yet
 * acknowledged (for the offline limits). */
struct flow_offline {
	int online;
	int64_t unsynced_cop_minor;
};

enum print_state { PRINT_NONE, PRINT_BUSY, PRINT_OK, PRINT_FAILED };

struct flow_doc {
	int selected;
	int64_t pay;      /* minor units of the document's currency */
};

struct flow;

struct flow_fx {
	/* Starts a lookup off the UI thread (online first, then the local store); the answer
	 * comes back as FEV_LOOKUP_DONE with the same req. */
	void (*lookup_start)(void *ctx, uint64_t req, enum id_type t, const char *number);
	/* 0 and *out when a TRM covers date, else non-zero. */
	int (*trm_for_date)(void *ctx, int32_t yyyymmdd, struct trm *out);
	/* Durably issues the coupon (store_coupon_issue). 0 or <0. */
	int (*issue)(void *ctx, const struct coupon_request *req, struct coupon *out);
	/* Queues the receipt of the current coupon: 0 queued (completion comes back as
	 * FEV_PRINT_DONE), <0 could not even be queued. */
	int (*print)(void *ctx, const struct flow *f);
	/* Queues a copy (marked COPIA) of coupon seq's receipt; seq 0: the receipt the kiosk offers
	 * to reprint after a restart. 0 queued, <0 not possible. */
	int (*reprint)(void *ctx, uint64_t seq);
	/* Online state and unsynced total; may be NULL (a kiosk without a central API). */
	void (*offline_status)(void *ctx, struct flow_offline *out);
	/* Optional (may be NULL): called once each time the inactivity warning appears, for a tone
	 * a customer who looked away can hear. */
	void (*alert)(void *ctx);
};

struct flow_config {
	int64_t inactivity_ms;   /* 60000 */
	int64_t countdown_ms;    /* 20000 (WCAG 2.2.1: at least 20 s to ask for more time) */
	int64_t done_ms;         /* thank-you screen, then attract: 8000 */
	/* a coupon whose receipt printed (paper in hand) goes to the thank-you screen after this
	 * long without input, so its reference does not stay up for the next person; 0: only by
	 * "Terminar" or inactivity. A phone coupon's QR, or one that did not print, stays. */
	int64_t printed_ms;
	uint32_t kiosk_id;
	int ref_length;
	int coupon_days;         /* the coupon is payable until today + coupon_days */
	const uint8_t *qr_key;   /* per-kiosk HMAC key (not owned) */
	size_t qr_key_len;
	struct emv_merchant merchant;
	char terminal[9];
	enum lang default_lang;  /* every session starts in it */
	/* Offline limits (PRODUCT §3); 0 = no limit. They apply while the kiosk is offline. */
	int64_t max_data_age_s;           /* local data older than this is not shown */
	int64_t max_offline_coupon_minor; /* COP minor units per coupon */
	int64_t max_offline_total_minor;  /* COP minor units issued and not yet acknowledged */
};

/* A lookup answered within this long goes from the typed number straight to its answer in
 * one frame; only a slower one shows the "looking up" banner (flow_lookup_waiting). */
#define FLOW_LOOKUP_SHOW_MS 50

#define FLOW_MAX_DOCS 1000
#define FLOW_ID_MAX 16

struct flow {
	struct flow_config cfg;
	const struct flow_fx *fx;
	void *ctx;

	enum screen_id screen;
	enum lang lang;
	int large_text;               /* "Aa": text +40 %, fewer rows per page; wiped with the session */
	int high_contrast;            /* pure black on white; wiped with the session */
	int dirty;                    /* set on any visible change; the loop clears it */
	enum str_id msg;              /* banner for the current screen; 0 = none */
	char msg_arg[48];             /* the %s in msg, when it has one */
	int64_t now_ms, last_input_ms, screen_since_ms;
	int countdown;                /* 1 while "¿Necesita más tiempo?" is up */
	int confirm_exit;             /* 1 while "¿Terminar y borrar sus datos?" is up ("Salir") */

	/* ID entry */
	enum id_type id_type;
	char id[FLOW_ID_MAX + 1];
	int id_len;
	int dv_typed;                 /* NIT: -1 none, else the digit typed after '-' */
	int dv_mode;                  /* NIT: '-' was typed, next digit is the DV */
	uint64_t lookup_req;          /* the request in flight is lookup_req when looking_up */
	int looking_up;
	int64_t lookup_since_ms;      /* when it was asked for */

	/* portfolio */
	struct portfolio pf;
	int has_pf;
	int pf_online;                /* the portfolio came from the central API just now */
	struct flow_doc *docs;        /* pf.ndocs entries */
	int ndocs;                    /* min(pf.ndocs, FLOW_MAX_DOCS) */
	int has_cop, has_usd;
	enum currency tab;
	int first_row;                /* scroll position within the tab */
	int trm_ok;
	struct trm trm;

	/* amount editor */
	int edit_doc;
	char amount[16];
	int amount_len;

	/* coupon */
	struct coupon coupon;
	const char *kind;             /* "coupon" or "phone" */
	char coupon_qr[256];
	char emv_qr[512];
	struct coupon_line lines[COUPON_MAX_DOCS];
	int nlines;
	enum print_state print;
	/* the last job's outcome as the print worker gave it: its rc (0 printed, <0 why not) and
	 * the printer's status unchanged; the screen words them with printer_words (printq.h) */
	int print_rc;
	struct printer_status print_status;
	int64_t printed_at_ms;        /* when the last job printed (PRINT_OK) */
	char print_error[160];
	int reprints;                 /* copies asked for in this session (bounded) */
	char emailed_to[80];          /* the coupon's e-mail was queued to (masked); "" none */

	/* FEV_SERVICES / FEV_COUPON_EMAIL asked another activity to take over: the activity
	 * (act_customer.c) hands the session over, holds it, and sends FEV_RESUME when it comes back */
	enum flow_handoff { FLOW_HANDOFF_NONE, FLOW_HANDOFF_SERVICES, FLOW_HANDOFF_COUPON_EMAIL } handoff;
};

void flow_init(struct flow *f, const struct flow_config *cfg, const struct flow_fx *fx, void *ctx,
	       int64_t now_ms);
void flow_handle(struct flow *f, const struct flow_event *ev);
/* Absolute time (ms) of the next timer the flow cares about, or INT64_MAX. */
int64_t flow_next_deadline(const struct flow *f);
/* Releases and zeroes the session. */
void flow_free(struct flow *f);

/* 1 when the current message says why a disabled control does nothing (an explanation, drawn
 * as information), 0 for an error or none. */
int flow_message_is_reason(const struct flow *f);
/* The current message, formatted with its argument, into buf. */
void flow_message(const struct flow *f, char *buf, size_t n);

/* Helpers the screens use (pure). */
int flow_visible_count(const struct flow *f);          /* documents on the current tab */
int flow_visible_index(const struct flow *f, int row); /* row on the tab -> portfolio index */
int flow_selected_count(const struct flow *f);
/* Total selected, in COP minor units (USD at the TRM). */
int64_t flow_total_cop(const struct flow *f);
/* What the payment of document i is in COP minor units. */
int64_t flow_doc_cop(const struct flow *f, int i);
/* The NIT check digit for the current input, or -1. */
int flow_nit_dv(const struct flow *f);
/* 1 when the screen should say the number is being looked up: a lookup is in flight and
 * its answer has not come within FLOW_LOOKUP_SHOW_MS. */
int flow_lookup_waiting(const struct flow *f);
/* Seconds left on the inactivity countdown (when f->countdown). */
int flow_countdown_left(const struct flow *f);
/* 1 if document i is overdue today. */
int flow_doc_overdue(const struct flow *f, int i);
int32_t flow_today(const struct flow *f);
#endif
