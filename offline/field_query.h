/* field_query — what the field agent reads from the store (issue 10, docs/field-mode.md): the
 * day's work list with its overdue buckets, the client search (by ID of any type, NIT with its
 * check digit, or the first letters of any word of a name, through the customer_words index),
 * and a client's instalments (cuotas) with the seed-001 filter. No SDL. Reads only; results
 * are malloc'd and owned by the caller (free with the matching _free). Agents are staff: rows
 * carry full names and IDs, and nothing here logs. */
#ifndef RECAUDO_FIELD_QUERY_H
#define RECAUDO_FIELD_QUERY_H
#include <stddef.h>
#include <stdint.h>
#include "domain.h"
#include "field.h"
#include "store.h"

/* One client in the work list or in search results. Amounts are what is owed now: the
 * store's balances less what this tablet collected and the server does not reflect yet
 * (field_store.h "Effective balances"). */
struct field_client {
	enum id_type id_type;
	char id_number[24];
	char name[96];
	int ndocs;                   /* instalments still owed */
	int days_past_due;           /* of the oldest owed instalment; 0: al día */
	enum field_bucket bucket;
	int64_t overdue_cop_minor;   /* owed and past due, COP */
	int64_t overdue_usd_minor;   /* owed and past due, USD */
	int64_t owed_cop_minor, owed_usd_minor; /* everything owed */
	int assigned;                /* 1: in the agent's work list */
};

struct field_worklist {
	struct field_client *rows;   /* most days past due first, then name */
	int n;
	int64_t bucket_clients[FIELD_BUCKET_COUNT];
	int64_t bucket_overdue_cop[FIELD_BUCKET_COUNT]; /* sum of overdue_cop_minor per bucket */
	int64_t bucket_overdue_usd[FIELD_BUCKET_COUNT];
};
/* The clients assigned to agent (agent_clients) that the store knows, bucketed on today
 * (YYYYMMDD). 0, or <0 (store_error). */
int field_worklist_get(struct store *s, const char *agent, int32_t today, struct field_worklist *out);
void field_worklist_free(struct field_worklist *w);

/* Search: text that is an ID ("1020304050", "900123456-8" or "9001234568" for a NIT with its
 * DV, "CE 456789") finds that customer of any document type; otherwise the words typed are
 * prefixes of words of the name, accents and case ignored ("nuñ fer" finds "María Fernanda
 * Núñez"). At most max rows (500 at most), by name as stored (byte order), then type.
 * A NIT whose DV does not match is a bad query ("9001234568": only when no customer has that
 * number and the NIT 900123456 exists). Returns 0 (*out malloc'd, free(); *n may be 0),
 * STORE_EINVAL with a message for a person in store_error that never repeats the number (too
 * short: fewer than 2 letters in the longest word or 3 digits; a wrong DV; a character the
 * typed document type cannot have), or STORE_ERR. docs/field-mode.md "Search and work list". */
int field_search(struct store *s, const char *agent, const char *query, int32_t today, int max,
		 struct field_client **out, int *n);

/* A client's instalment: the document as the store has it (balance = effective balance;
 * 0 for a paid one), its status, and for a paid or voided one the receipt and date. */
struct field_cuota {
	struct document doc;
	enum field_cuota_status status;
	int32_t date;              /* what the filter compares: due date, or the payment day */
	uint64_t receipt_number;   /* pagada / anulada: the receipt; 0 otherwise */
	int64_t paid_minor;        /* pagada / anulada: what the receipt paid of it */
};
struct field_cuotas {
	struct field_cuota *rows;  /* owed first by due date, then paid/voided newest first */
	int n;
	int total;                 /* before the filter */
	char (*lines)[FIELD_LINE_MAX]; /* every business line the client has, for the filter chips */
	int nlines;
	char name[96];
};
/* The client's instalments that pass filter f (NULL: all) on today: a row per document still
 * owed (pendiente/vencida, date = due date) and a row per line of the client's receipts on
 * this tablet (pagada: date = the receipt's day, balance 0; anulada: date = the void's day,
 * balance = what the document owes again), so a document paid in part shows owed and pagada.
 * total and lines are before the filter. Returns 0, 1 for an unknown client, <0
 * (store_error). */
int field_cuotas_get(struct store *s, enum id_type t, const char *number, int32_t today,
		     const struct field_cuota_filter *f, struct field_cuotas *out);
void field_cuotas_free(struct field_cuotas *c);

/* ---- the name index, for the store (store_schema.c, store_import.c) ---- */
/* Folds a name to its index words: lower-case ASCII (á->a, ñ->n, ü->u ...), split on anything
 * not a letter or digit; up to max words of up to 31 bytes each. Returns how many. */
int field_name_words(const char *name, char words[][32], int max);
/* Re-indexes one customer (customers.id) inside the caller's transaction. 0 or STORE_ERR. */
int field_words_index(struct store *s, int64_t customer_id, const char *name);
/* Indexes every customer (the migration to schema 9). 0 or STORE_ERR. */
int field_words_index_all(struct store *s);
#endif
