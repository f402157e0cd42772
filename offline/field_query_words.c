/* field_query_words — the name index behind the field agent's search (field_query.h): a
 * name folded to lower-case ASCII words, one customer_words row per word. The import keeps it
 * current (store_import_customer re-indexes each customer it writes, in the import's
 * transaction); the migration to schema 9 fills it for the customers already there. Customers
 * are never deleted from the store (an import upserts), so no words are left behind. */
#include <string.h>

#include "field_query.h"
#include "store_internal.h"

/* Latin-1 letters (U+00C0..U+00FF) folded to ASCII, by the low five bits; 0: not a letter
 * (× ÷ Þ þ). Upper and lower case share the table except U+00FF (ÿ), which is 'y' where
 * U+00DF (ß) is 's'. */
static const char latin1_fold[32] = "aaaaaaaceeeeiiiidnooooo\0ouuuuy\0s";

/* One character of UTF-8 at *p: its folded ASCII letter or digit, 0 for a separator, or -1
 * for a combining accent (U+0300..U+036F, a decomposed "a" + "´"), which is skipped. Advances
 * *p past the character (a malformed byte counts as one separator byte). */
static int fold_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned cp;
	int len;

	if (s[0] < 0x80) {
		*p = s + 1;
		if ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'))
			return s[0];
		return s[0] >= 'A' && s[0] <= 'Z' ? s[0] - 'A' + 'a' : 0;
	}
	len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 1;
	for (int i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			len = 1; /* truncated sequence: skip the lead byte alone */
	*p = s + len;
	if (len != 2)
		return 0;
	cp = ((unsigned)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
	if (cp >= 0x300 && cp <= 0x36f)
		return -1;
	if (cp < 0xc0 || cp > 0xff)
		return 0;
	if (cp == 0xff)
		return 'y';
	return latin1_fold[cp & 0x1f];
}

int field_name_words(const char *name, char words[][32], int max)
{
	const unsigned char *p = (const unsigned char *)(name ? name : "");
	int n = 0, len = 0;

	while (*p && n < max) {
		int c = fold_next(&p);

		if (c < 0)
			continue;
		if (c > 0) {
			if (len < 31)
				words[n][len++] = (char)c;
			continue;
		}
		if (len) {
			words[n++][len] = '\0';
			len = 0;
		}
	}
	if (len && n < max)
		words[n++][len] = '\0';
	return n;
}

/* Index words per customer: a name is at most 95 bytes, so at most 48 one-letter words; the
 * first 24 are plenty to find anyone. */
#define INDEX_WORDS 24

static int insert_words(struct store *s, sqlite3_stmt *ins, int64_t customer_id, const char *name)
{
	char words[INDEX_WORDS][32];
	int n = field_name_words(name, words, INDEX_WORDS);

	for (int i = 0; i < n; i++) {
		int rc;

		sqlite3_reset(ins);
		sqlite3_bind_text(ins, 1, words[i], -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 2, customer_id);
		rc = sqlite3_step(ins);
		sqlite3_reset(ins);
		if (rc != SQLITE_DONE)
			return store_fail_db(s, "database: indexing a customer's name");
	}
	return 0;
}

int field_words_index(struct store *s, int64_t customer_id, const char *name)
{
	sqlite3_stmt *st = store_stmt(s, ST_WORDS_DELETE);
	int rc;

	if (!st)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, customer_id);
	rc = sqlite3_step(st);
	store_stmt_done(st);
	if (rc != SQLITE_DONE)
		return store_fail_db(s, "database: re-indexing a customer's name");
	st = store_stmt(s, ST_WORD_INSERT);
	if (!st)
		return STORE_ERR;
	rc = insert_words(s, st, customer_id, name);
	store_stmt_done(st);
	return rc;
}

/* The migration's transaction is open (store_migrate): one pass over customers, one cached
 * insert statement, no per-customer DELETE (the table is new and empty). About 200,000
 * customers (1,000,000 documents) take a few seconds. */
int field_words_index_all(struct store *s)
{
	sqlite3_stmt *sel = NULL, *ins;
	int rc;

	ins = store_stmt(s, ST_WORD_INSERT);
	if (!ins)
		return STORE_ERR;
	if (sqlite3_prepare_v2(s->db, "SELECT id, name FROM customers", -1, &sel, NULL) != SQLITE_OK)
		return store_fail_db(s, "database: indexing names");
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW)
		if (insert_words(s, ins, sqlite3_column_int64(sel, 0), (const char *)sqlite3_column_text(sel, 1)) < 0)
			break;
	sqlite3_finalize(sel);
	store_stmt_done(ins);
	if (rc == SQLITE_ROW)
		return STORE_ERR;
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "database: indexing names");
}
