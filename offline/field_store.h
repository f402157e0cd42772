/* field_store — the field agent's money in the store (issue 10, docs/field-mode.md): cash
 * collected against instalments, voids with a supervisor, the day's close and its reopening,
 * and the totals the close and the reports are made of. No SDL.
 *
 * Each write is one IMMEDIATE transaction: the rows, their outbox event (payment.collected,
 * payment.voided, collection.closed, through outbox_write) and the chained audit row commit
 * together before the call returns, so the caller prints only what is durable.
 *
 * Receipt numbers are per (agent, device), from 1, without gaps: the number is max + 1 taken
 * inside the receipt's transaction, and a receipt is never deleted (a void keeps its number,
 * marked void). A crash before COMMIT leaves no row and no used number.
 *
 * Effective balances: the store's document balances come from the server; until the server's
 * data reflects a receipt (its payment.collected acknowledged and the client refreshed after
 * that: field_receipts.reflected), what it paid is subtracted when the agent sees the client
 * (field_query.h) and when a collection is checked here. A voided receipt subtracts nothing.
 *
 * Errors: 0, STORE_EINVAL with a message for a person (Spanish, store_error) when the request
 * breaks a rule (nothing written), or STORE_ERR. Messages never hold a name or an ID number
 * (a document's number and amounts, yes: "El valor del documento CR-1 supera su saldo
 * ($ 700.000)"). One thread at a time per handle (the UI thread's store); the writes refuse to
 * run inside another open transaction or an import.
 *
 * Codes: an agent's or supervisor's is 1..16 ASCII letters and digits; a device id 1..31 of
 * letters, digits, '-', '_', '.'. The files: field_store.c (collect), field_store_read.c
 * (receipts, balances), field_store_day.c (void, totals, close, reopen); the events' payloads:
 * outbox_field.c. */
#ifndef RECAUDO_FIELD_STORE_H
#define RECAUDO_FIELD_STORE_H
#include <stddef.h>
#include <stdint.h>
#include "domain.h"
#include "field.h"
#include "store.h"

#define FIELD_AGENT_MAX 17        /* agent code: 1..16 ASCII letters and digits, NUL */
#define FIELD_DEVICE_MAX 32
#define FIELD_REASON_MAX 121      /* a void's reason: 3..120 bytes of UTF-8 text */

struct field_line_req {
	char doc_number[32];
	int64_t amount_minor;      /* in the receipt's currency, within the document's rules */
};

struct field_collect_req {
	const char *agent;         /* the agent logged in */
	const char *device_id;
	enum id_type id_type;
	const char *id_number;
	enum currency cur;         /* every line's document is in this currency */
	int nlines;                /* 1..COUPON_MAX_DOCS */
	struct field_line_req lines[COUPON_MAX_DOCS];
	int64_t cash_minor;        /* what the client handed over: >= the total */
	int ndenoms;               /* 0: no breakdown; else its sum must equal cash (COP only) */
	struct field_denom denoms[FIELD_DENOM_COUNT];
	int64_t now;               /* epoch s (the caller's clock, virtual in tests) */
	int32_t day;               /* the local civil day of now (YYYYMMDD) */
	int64_t cap_minor;         /* the agent's cap on unsynced cash (COP minor); 0: none (an
				    * agent's own cap is at least 1 peso: the importer refuses 0) */
};

struct field_receipt_line {
	char doc_number[32];
	char line[48];
	char description[96];
	int32_t due;
	int64_t amount_minor;
};

struct field_receipt {
	int64_t id;
	uint64_t number;
	char agent[FIELD_AGENT_MAX];
	char device_id[FIELD_DEVICE_MAX];
	int32_t day;
	int64_t at;
	enum id_type id_type;
	char id_number[24];
	char customer_name[96];
	enum currency cur;
	int64_t amount_minor, cash_minor, change_minor;
	int ndenoms;
	struct field_denom denoms[FIELD_DENOM_COUNT];
	char event_key[37];
	int voided;
	char void_reason[FIELD_REASON_MAX];
	char void_by[FIELD_AGENT_MAX];
	int64_t void_at;
	int nlines;
	struct field_receipt_line lines[COUPON_MAX_DOCS];
};

/* Checks the request against the rules and the effective balances, then writes the receipt,
 * its lines, the payment.collected event and the audit row in one transaction. Refused (with
 * a message, nothing written): the day closed for this agent; an unknown client or document;
 * documents of another currency; an amount over the effective balance, under the minimum of
 * a partial payment, or partial where the document allows none; cash less than the total; a
 * breakdown that does not add up to the cash; the cap on unsynced cash exceeded (the message
 * says how much may still be collected). On 0 *out is the receipt as written.
 *
 * A line pays at most the document's effective balance; less only when the document allows
 * part payments and the amount reaches its minimum, except that paying the whole effective
 * balance is always allowed (what is left may be under the minimum). The receipt keeps a
 * snapshot of the client's name and of each document's line, description and due date; the
 * breakdown is stored as the event carries it (JSON text). The cap counts COP only: it is set
 * in pesos and the store has no rate to convert USD with in the receipt's transaction, so USD
 * collections are not capped. */
int field_collect(struct store *s, const struct field_collect_req *req, struct field_receipt *out);

/* A receipt by its number (voided or not). 0, 1 if there is none, <0. */
int field_receipt_get(struct store *s, const char *agent, const char *device_id, uint64_t number,
		      struct field_receipt *out);
/* The agent's receipts of one day on this device, by number (voided ones included); malloc'd
 * (free()). 0 or <0. */
int field_receipts_of_day(struct store *s, const char *agent, const char *device_id, int32_t day,
			  struct field_receipt **out, int *n);

/* Voids a receipt of `day` (the same day only) not yet closed, with a reason and the
 * supervisor who approved (already verified by the caller, field_agents.h): marks it void,
 * writes payment.voided (referring to the original event key) and the audit row; its
 * amounts owe again. Refused: not found, already void, another day, the day closed, a reason
 * not 3..120 bytes of text, the supervisor being the agent (maker-checker: a second person).
 * 0 and *out (the voided receipt; out may be NULL). */
int field_void(struct store *s, const char *agent, const char *device_id, uint64_t number,
	       const char *reason, const char *supervisor, int64_t now, int32_t day, struct field_receipt *out);

/* ---- totals, the close and reports ---- */
#define FIELD_TOTALS_MAX 32        /* (line, currency) rows */
#define FIELD_VOIDS_LISTED 64
struct field_totals_row {
	char line[48];
	enum currency cur;
	int64_t payments, payments_minor; /* receipts' lines of this line (paid and voided) */
	int64_t voids, voids_minor;       /* of them, voided */
	int64_t net_minor;                /* payments - voids */
};
struct field_totals {
	int32_t from, to;                 /* days covered */
	int nrows;
	struct field_totals_row rows[FIELD_TOTALS_MAX];
	int64_t cash_cop_minor, cash_usd_minor; /* to deposit: net of every receipt, per currency */
	int64_t receipts, voided;
	uint64_t first_number, last_number;     /* 0 when there is no receipt */
	int nvoid_numbers;
	uint64_t void_numbers[FIELD_VOIDS_LISTED];
};
/* Totals of the agent's receipts on this device from day `from` to `to` (inclusive), for one
 * business line or all ("" or NULL). With a line, rows and cash count that line's receipt
 * lines only, and receipts / voided / the range / void_numbers the receipts having one.
 * receipts counts numbers, voided included. Rows past FIELD_TOTALS_MAX are left out of rows[]
 * (never out of cash); numbers past FIELD_VOIDS_LISTED out of void_numbers (voided counts
 * them all). Reads one snapshot. 0 or <0. */
int field_totals_get(struct store *s, const char *agent, const char *device_id, int32_t from, int32_t to,
		     const char *line, struct field_totals *out);

/* 1 when the agent's day is closed (and not reopened since) on this tablet, whichever
 * device id closed it; 0 when open, <0. */
int field_day_closed(struct store *s, const char *agent, int32_t day);
/* Closes the agent's day: the totals, the collection.closed event and the audit row in one
 * transaction; the close's row keeps the event's key and payload (field_closes.totals). A day
 * without receipts can be closed (range 0..0). Refused: already closed. *out gets the totals
 * closed: the whole day on this device, every line. */
int field_close_day(struct store *s, const char *agent, const char *device_id, int32_t day, int64_t now,
		    struct field_totals *out);
/* Reopens a closed day on a supervisor's approval (verified by the caller): sets the newest
 * close's reopened_at/by and writes the collection.reopened event (with that close's device)
 * and its audit row. The day is then open; closing it again writes a new close. Refused: not
 * closed, the supervisor being the agent. */
int field_reopen_day(struct store *s, const char *agent, int32_t day, const char *supervisor, int64_t now);

/* Cash collected by the agent that the server has not acknowledged yet (payment.collected
 * events pending, in flight or dead-lettered, less the voids of them), COP minor units. 0 or <0. */
int field_unsynced_cash(struct store *s, const char *agent, int64_t *cop_minor);

/* What the agent paid of each document that the server's data does not reflect yet
 * (field_query.c subtracts it). The sum over the client's unreflected, unvoided receipts'
 * lines for doc_number; 0 or <0. */
int field_unreflected_paid(struct store *s, enum id_type t, const char *number, const char *doc_number,
			   int64_t *minor);
/* For the refresh (offline/sync_refresh.c via store_import_customer): the client's receipts
 * whose payment.collected the server acknowledged are reflected in the data just imported.
 * Acknowledged: the event is acked, or no longer in the outbox (the retention job removes
 * acked events only); a dead-lettered payment stays unreflected (the server did not take it,
 * its amount stays subtracted). Inside the import's transaction. 0 or STORE_ERR. */
int field_mark_reflected(struct store *s, enum id_type t, const char *number);
#endif
