/* field_query_internal — what field_query.c (work list), field_query_search.c and
 * field_query_cuotas.c share. Not part of the public interface. */
#ifndef RECAUDO_FIELD_QUERY_INTERNAL_H
#define RECAUDO_FIELD_QUERY_INTERNAL_H
#include <sqlite3.h>
#include "domain.h"
#include "field_query.h"
#include "store.h"

/* store_lookup, then each document's balance less what this tablet's unreflected receipts
 * paid of it (field_unreflected_paid): a balance <= 0 means paid here, not owed any more.
 * 0 (*p filled; portfolio_free), 1 for an unknown client, <0 (store_error). */
int field_query_portfolio(struct store *s, enum id_type t, const char *number, struct portfolio *p);

/* A client found, before its figures. */
struct cand {
	enum id_type t;
	char number[24];
	char name[96];
};
/* The clients v[0..n) with their figures on today (field_client; assigned: in agent's work
 * list), in that order, skipping any the store no longer has. *out malloc'd (free()); 0 or
 * <0. */
int field_query_clients(struct store *s, const char *agent, const struct cand *v, int n, int32_t today,
			struct field_client **out, int *nout);
/* sqlite3_prepare_v2 with the store's error set on failure (NULL); sqlite3_finalize it. */
sqlite3_stmt *field_query_prepare(struct store *s, const char *sql);
#endif
