/* sim_json — the central simulator's JSON and time helpers: exact integers (printed as
 * integer literals, never "9e+15"), ISO 8601 times and dates as the contract spells them
 * (docs/api/contract.md), and the HTTP Date header. Pure functions, caller-owned buffers. */
#ifndef RECAUDO_SIM_JSON_H
#define RECAUDO_SIM_JSON_H
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "json_field.h"

/* Largest integer a JSON number (an IEEE double in most readers) holds exactly: 2^53 - 1. */
#define SIM_JSON_INT_MAX JF_INT_EXACT

/* Reading fields (typed, with messages) and writing integers and dates (jf_add_int,
 * jf_int_item, jf_format_date) are offline/json_field.h's, shared with the kiosk. */

/* "2026-11-22T15:00:00Z" (wire_format_time; "1970-01-01T00:00:00Z" outside its range) */
void sim_time_format(int64_t epoch_s, char out[32]);
/* ISO 8601 with an offset ("…Z" or "…-05:00", optional fraction of a second) -> epoch
 * seconds. Returns 0, or -1 if malformed or not a real date and time. */
int sim_time_parse(const char *text, int64_t *out);
/* "YYYY-MM-DD" -> YYYYMMDD. Returns 0, or -1 if malformed or not a calendar date. */
int sim_date_parse(const char *text, int32_t *out);
/* A new empty object appended to the array list; NULL when out of memory (nothing appended). */
cJSON *sim_json_push_object(cJSON *list);
/* RFC 9110 IMF-fixdate: "Sun, 22 Nov 2026 15:00:00 GMT" */
void sim_http_date(int64_t epoch_s, char out[40]);
#endif
