/* money — integer amounts in ISO 4217 minor units, formatting by hand, TRM conversion.
 *
 * Money is never a float. COP and USD both have exponent 2 (centavos / cents); paper shows
 * COP in whole pesos ("$ 1.234.567") and USD with cents ("USD 1,234.56"); a customer's screen
 * uses one convention per language (money_format_style).
 * Nothing here allocates; output buffers are caller-owned and always NUL-terminated. */
#ifndef RECAUDO_MONEY_H
#define RECAUDO_MONEY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum currency { CUR_COP = 170, CUR_USD = 840 };

struct money {
	int64_t minor;      /* centavos / cents */
	enum currency cur;
};

/* "COP" / "USD"; NULL for an unknown value. */
const char *currency_code(enum currency cur);
/* Parses "COP"/"USD" (exact, upper case). Returns 0 or -1. */
int currency_parse(const char *code, enum currency *out);

/* Formats for people: COP "$ 1.234.567" (rounded half-up to whole pesos, negative as
 * "-$ 1.234"), USD "USD 1,234.56". Returns the length written (as snprintf would),
 * truncating safely when n is too small. */
size_t money_format(char *buf, size_t n, struct money m);

/* The conventions a customer screen shows money in, one per language: Spanish (es-CO) "."
 * thousands and "," decimals for both currencies ("$ 1.234.567", "USD 1.234,56", TRM
 * "$ 4.012,35"); English "," thousands and "." decimals ("$1,234,567", "USD 1,234.56", TRM
 * "$4,012.35"). money_format keeps its mixed form for paper and the field mode. */
enum money_style { MONEY_STYLE_ES, MONEY_STYLE_EN };
/* money_format in a style (same rounding, truncation and return value). */
size_t money_format_style(char *buf, size_t n, struct money m, enum money_style st);

/* Rounds COP minor units half-up to whole pesos, returning minor units (x100). */
int64_t money_round_pesos(int64_t cop_minor);

/* Parses what a customer types as an amount: digits only, whole units (pesos or dollars),
 * at most MONEY_MAX_DIGITS (13, money_limits.h) digits. Returns minor units (x100) in *out, or -1 on bad input. */
int money_parse_whole(const char *digits, int64_t *out);

/* TRM: COP per USD, in COP centavos (4.012,35 COP/USD -> 401235), valid for a span of
 * civil dates (YYYYMMDD, inclusive: Friday's rate covers the weekend and holidays). */
struct trm {
	int64_t cop_minor_per_usd;
	int32_t valid_from;
	int32_t valid_to;
};

bool trm_valid_on(const struct trm *t, int32_t yyyymmdd);
/* USD cents -> COP minor units at the TRM, rounded half-up to whole pesos.
 * Returns -1 for negative cents, a NULL or non-positive rate, or int64 overflow. */
int64_t trm_usd_to_cop(int64_t usd_cents, const struct trm *t);
/* "$ 4.012,35" — the rate keeps its two decimals. */
size_t trm_format(char *buf, size_t n, const struct trm *t);
/* trm_format in a style: "$ 4.012,35" (MONEY_STYLE_ES, as trm_format) or "$4,012.35". */
size_t trm_format_style(char *buf, size_t n, const struct trm *t, enum money_style st);

/* Civil dates as YYYYMMDD integers. */
bool date_valid(int32_t yyyymmdd);
/* "30/11/2026" */
size_t date_format(char *buf, size_t n, int32_t yyyymmdd);
/* Local civil date of an epoch second (uses localtime_r). */
int32_t date_from_epoch(int64_t epoch_s);
/* Epoch second at which the local civil date begins (00:00, uses mktime); -1 if invalid. */
int64_t date_start_epoch(int32_t yyyymmdd);
/* yyyymmdd + days (days may be negative). 0 for an invalid date or a result outside
 * 1900..9999. */
int32_t date_add_days(int32_t yyyymmdd, int days);
#endif
