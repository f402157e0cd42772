/* field_query — the field agent's reads (see field_query.h). Issue 10: being built. */
#include "field_query.h"

#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

int field_worklist_get(struct store *s, const char *agent, int32_t today, struct field_worklist *out)
{
	(void)agent, (void)today;
	memset(out, 0, sizeof *out);
	return store_fail(s, STORE_ERR, "field_worklist_get: not built yet");
}
void field_worklist_free(struct field_worklist *w) { free(w->rows), memset(w, 0, sizeof *w); }
int field_search(struct store *s, const char *agent, const char *query, int32_t today, int max,
		 struct field_client **out, int *n)
{
	(void)agent, (void)query, (void)today, (void)max;
	*out = NULL, *n = 0;
	return store_fail(s, STORE_ERR, "field_search: not built yet");
}
int field_cuotas_get(struct store *s, enum id_type t, const char *number, int32_t today,
		     const struct field_cuota_filter *f, struct field_cuotas *out)
{
	(void)t, (void)number, (void)today, (void)f;
	memset(out, 0, sizeof *out);
	return store_fail(s, STORE_ERR, "field_cuotas_get: not built yet");
}
void field_cuotas_free(struct field_cuotas *c) { free(c->rows), free(c->lines), memset(c, 0, sizeof *c); }
int field_name_words(const char *name, char words[][32], int max) { (void)name, (void)words, (void)max; return 0; }
int field_words_index(struct store *s, int64_t customer_id, const char *name) { (void)s, (void)customer_id, (void)name; return 0; }
int field_words_index_all(struct store *s) { (void)s; return 0; }
