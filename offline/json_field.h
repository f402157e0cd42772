/* json_field — typed reads of the fields of a cJSON object, with one set of messages, for
 * every reader of JSON the project has: the portfolio importer (import.c), the central API's
 * parsers (api_parse.c) and the central simulator (tools/sim_*.c).
 *
 * A message names the record's path and the field ("customers[3].documents[1].balance: must be
 * an integer number of minor units"), prefixed by what was read ("debts: ...", a file name);
 * it never quotes a value, so no id number or name reaches a log. A path `where` is joined to
 * the key with a dot unless it is empty or already ends in one ("documents[2]." and
 * "documents[2]" both give "documents[2].balance").
 *
 * Needs only cJSON and core/ (no SQLite, no curl): the API fuzzer builds it. */
#ifndef RECAUDO_JSON_FIELD_H
#define RECAUDO_JSON_FIELD_H
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Largest integer a JSON number (an IEEE double in most readers) holds exactly: 2^53 - 1. */
#define JF_INT_EXACT INT64_C(9007199254740991)

/* Where a failure goes: "<what>: <message>" into err (errn 0: nowhere); the readers return rc. */
struct jf {
	const char *what; /* "debts", a file name; NULL: no prefix */
	char *err;
	size_t errn;
	int rc; /* what a failed read returns (negative: API_ERR_PROTOCOL, STORE_EINVAL) */
};

int jf_fail(struct jf *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int jf_vfail(struct jf *j, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* obj[key], case-sensitive, or NULL. */
const cJSON *jf_get(const cJSON *obj, const char *key);

/* The value layer, without messages: v as an integer in [min, max] (clamped to +-JF_INT_EXACT).
 * Returns 0, JF_WRONG_TYPE (not a number or not a whole one) or JF_RANGE (NaN and infinity too). */
enum { JF_MISSING = -1, JF_WRONG_TYPE = -2, JF_RANGE = -3 };
int jf_int_value(const cJSON *v, int64_t min, int64_t max, int64_t *out);

/* The field layer: each returns 0, or j->rc with "<where>.<key>: missing" or "...: must be ...". */
int jf_object(struct jf *j, const cJSON *obj, const char *where, const char *key, const cJSON **out);
int jf_array(struct jf *j, const cJSON *obj, const char *where, const char *key, const cJSON **out);
int jf_string(struct jf *j, const cJSON *obj, const char *where, const char *key, const char **out);
int jf_bool(struct jf *j, const cJSON *obj, const char *where, const char *key, int *out);
/* An integer in [min, max]: "must be an integer", "must be greater than 0" (min 1), "must not be
 * negative" (min 0), "must be at least N", "must be at most N". */
int jf_int(struct jf *j, const cJSON *obj, const char *where, const char *key, int64_t min,
	   int64_t max, int64_t *out);
/* Integer minor units of a document, 0..max: "must be an integer number of minor units",
 * "must not be negative", "must be at most N minor units (the most one coupon can carry)". */
int jf_amount(struct jf *j, const cJSON *obj, const char *where, const char *key, int64_t max,
	      int64_t *out);

enum {
	JF_NONEMPTY = 1, /* "is empty" */
	JF_PLAIN = 2,    /* UTF-8 without control characters (core/domain.c's domain_text_ok) */
};
/* A string that fits dst (cap bytes with the NUL), copied: "longer than N bytes". */
int jf_text(struct jf *j, const cJSON *obj, const char *where, const char *key, char *dst,
	    size_t cap, int flags);
/* "YYYY-MM-DD" -> YYYYMMDD; ISO 8601 with an offset -> epoch seconds (offline/wire.c). */
int jf_date(struct jf *j, const cJSON *obj, const char *where, const char *key, int32_t *out);
int jf_time(struct jf *j, const cJSON *obj, const char *where, const char *key, int64_t *out);
#endif
