/* customer_handoff — how the customer journey (act_customer.c) lends its session to the
 * account activity (act_account.c, docs/account-services.md) and takes it back.
 *
 * "Mis servicios" on the portfolio and "Enviar por correo" on the coupon set the flow's
 * handoff; the customer activity then switches to the account activity without wiping the
 * session (it is held: the portfolio, the selection and the coupon stay in a->flow, which
 * no other code changes). The account activity reads who the customer is with
 * customer_handoff_get, sends the look and language toggles to the held flow with
 * customer_held_event, and gives the session back with customer_resume. */
#ifndef RECAUDO_CUSTOMER_HANDOFF_H
#define RECAUDO_CUSTOMER_HANDOFF_H
#include <stdint.h>

#include "coupon.h"
#include "flow.h"
#include "idnum.h"

struct app;

struct customer_handoff {
	enum flow_handoff kind;        /* SERVICES or COUPON_EMAIL */
	enum id_type id_type;
	char id_number[24];            /* a NIT as its base; wiped by the receiver when done */
	char name[96];                 /* as the portfolio has it (masked when shown) */
	enum lang lang;
	/* COUPON_EMAIL: the coupon on screen */
	uint64_t coupon_seq;
	char coupon_ref[COUPON_REF_MAX];
};

/* The held session's customer (h zeroed when no session is held). */
void customer_handoff_get(const struct app *a, struct customer_handoff *h);
/* "Aa", contrast and language pressed on an account screen: type FEV_TEXT_SIZE, FEV_CONTRAST
 * or FEV_LANG, applied to the held session (its look and language are the customer's). */
void customer_held_event(struct app *a, enum flow_ev_type type);
/* A print result no account screen took (the coupon's receipt, printing when the customer
 * went to "Enviar por correo"): to the held flow, which knows its coupon. */
struct printq_result;
void customer_held_print(struct app *a, const struct printq_result *r);
/* Back to the customer journey: end 0: the held session goes on on its screen (emailed_to:
 * the masked address a coupon e-mail was queued to, or NULL); end 1: the session ends
 * (wiped, attract), as the account session ended (inactivity, "Salir", wrong codes). */
void customer_resume(struct app *a, int end, const char *emailed_to);
#endif
