/* field_query_internal — what field_query.c (work list, search) and field_query_cuotas.c share:
 * a client's documents with their effective balances. Not part of the public interface. */
#ifndef RECAUDO_FIELD_QUERY_INTERNAL_H
#define RECAUDO_FIELD_QUERY_INTERNAL_H
#include "domain.h"
#include "store.h"

/* store_lookup, then each document's balance less what this tablet's unreflected receipts
 * paid of it (field_unreflected_paid): a balance <= 0 means paid here, not owed any more.
 * 0 (*p filled; portfolio_free), 1 for an unknown client, <0 (store_error). */
int field_query_portfolio(struct store *s, enum id_type t, const char *number, struct portfolio *p);
#endif
