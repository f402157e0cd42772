/* wire — parsing and formatting of the text forms shared by the portfolio file
 * (docs/portfolio-format.md) and the central API (docs/api/contract.md). Pure functions. */
#ifndef RECAUDO_WIRE_H
#define RECAUDO_WIRE_H
#include <stdint.h>

#define WIRE_EPOCH_MAX INT64_C(253402300799) /* 9999-12-31T23:59:59Z */

/* n decimal digits exactly at p -> *out. 0 or -1. */
int wire_parse_fixed(const char *p, int n, int *out);
/* "YYYY-MM-DD" -> YYYYMMDD; -1 if malformed or not a calendar date. */
int wire_parse_date(const char *t, int32_t *out);
/* ISO 8601 "2026-11-21T18:00:00-05:00" (optional fraction; "Z" or +-HH:MM required) -> epoch
 * seconds in 1..WIRE_EPOCH_MAX; -1 otherwise. */
int wire_parse_time(const char *t, int64_t *out);
/* epoch seconds -> "2026-11-21T23:00:00Z". 0 or -1. */
int wire_format_time(int64_t t, char out[32]);
/* "4012.35" -> 401235 (hundredths); 1..7 integer digits, 0..2 decimals. 0 or -1. */
int wire_parse_rate(const char *t, int64_t *out);
#endif
