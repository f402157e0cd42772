/* money — integer amounts, hand-made formatting, TRM conversion and civil dates.
 *
 * Rounding is "half-up" on the magnitude (half away from zero), so a negative amount always
 * formats as the negation of its positive twin: 150 centavos -> $ 2, -150 -> -$ 2.
 * Magnitudes are taken as uint64_t so INT64_MIN never hits signed-negation overflow. */
#include "money.h"
#include "money_limits.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Longest text any formatter here produces: "-USD " + 20 digits + 6 separators + ".99". */
#define MONEY_TEXT_MAX 48

const char *currency_code(enum currency cur)
{
	switch (cur) {
	case CUR_COP:
		return "COP";
	case CUR_USD:
		return "USD";
	}
	return NULL;
}

int currency_parse(const char *code, enum currency *out)
{
	if (code && strcmp(code, "COP") == 0) {
		*out = CUR_COP;
		return 0;
	}
	if (code && strcmp(code, "USD") == 0) {
		*out = CUR_USD;
		return 0;
	}
	return -1;
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* Writes v in decimal with `sep` every three digits from the right into out (which must
 * hold 27 bytes). Returns the length. */
static size_t format_grouped(char *out, uint64_t v, char sep)
{
	char rev[32];
	size_t n = 0, digits = 0;

	do {
		if (digits && digits % 3 == 0)
			rev[n++] = sep;
		rev[n++] = (char)('0' + v % 10);
		v /= 10;
		digits++;
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	out[n] = '\0';
	return n;
}

/* snprintf semantics for a finished string: copy what fits, report the full length. */
static size_t emit(char *buf, size_t n, const char *text)
{
	size_t len = strlen(text);

	if (buf && n) {
		size_t k = len < n ? len : n - 1;
		memcpy(buf, text, k);
		buf[k] = '\0';
	}
	return len;
}

int64_t money_round_pesos(int64_t cop_minor)
{
	uint64_t mag = magnitude(cop_minor);
	uint64_t rounded = (mag / 100 + (mag % 100 >= 50)) * 100;

	/* Cannot overflow: INT64_MAX and |INT64_MIN| end in 07 and 08, so they round down. */
	return cop_minor < 0 ? -(int64_t)rounded : (int64_t)rounded;
}

size_t money_format(char *buf, size_t n, struct money m)
{
	char text[MONEY_TEXT_MAX], num[32];
	const char *code;
	uint64_t mag;

	if (m.cur == CUR_COP) {
		int64_t r = money_round_pesos(m.minor);
		format_grouped(num, magnitude(r) / 100, '.');
		snprintf(text, sizeof text, "%s$ %s", r < 0 ? "-" : "", num);
		return emit(buf, n, text);
	}
	/* USD, and anything unexpected shown by its ISO number, keep two decimals. */
	mag = magnitude(m.minor);
	format_grouped(num, mag / 100, ',');
	code = currency_code(m.cur);
	if (code)
		snprintf(text, sizeof text, "%s%s %s.%02u", m.minor < 0 ? "-" : "", code, num,
			 (unsigned)(mag % 100));
	else
		snprintf(text, sizeof text, "%s%03d %s.%02u", m.minor < 0 ? "-" : "", (int)m.cur,
			 num, (unsigned)(mag % 100));
	return emit(buf, n, text);
}

int money_parse_whole(const char *digits, int64_t *out)
{
	int64_t v = 0;
	size_t len = 0;

	*out = 0;
	if (!digits || !*digits)
		return -1;
	for (const char *p = digits; *p; p++, len++) {
		if (*p < '0' || *p > '9' || len >= MONEY_MAX_DIGITS)
			return -1;
		v = v * 10 + (*p - '0');
	}
	*out = v * 100; /* at most 9999999999999 * 100: far below INT64_MAX */
	return 0;
}

bool trm_valid_on(const struct trm *t, int32_t yyyymmdd)
{
	if (!t || t->cop_minor_per_usd <= 0 || !date_valid(yyyymmdd))
		return false;
	return t->valid_from <= yyyymmdd && yyyymmdd <= t->valid_to;
}

/* Returns -1 for a negative amount, a missing or non-positive rate, or a result that would
 * not fit in int64 (none of which a real document produces). */
int64_t trm_usd_to_cop(int64_t usd_cents, const struct trm *t)
{
	unsigned __int128 prod, pesos;

	if (!t || t->cop_minor_per_usd <= 0 || usd_cents < 0)
		return -1;
	/* cents * (centavos per dollar) = centavos * 100; whole pesos = that / 10000. */
	prod = (unsigned __int128)(uint64_t)usd_cents * (uint64_t)t->cop_minor_per_usd;
	pesos = prod / 10000 + (prod % 10000 >= 5000);
	if (pesos > (unsigned __int128)(INT64_MAX / 100))
		return -1;
	return (int64_t)pesos * 100;
}

size_t trm_format(char *buf, size_t n, const struct trm *t)
{
	char text[MONEY_TEXT_MAX], num[32];
	uint64_t mag;

	if (!t)
		return emit(buf, n, "");
	mag = magnitude(t->cop_minor_per_usd);
	format_grouped(num, mag / 100, '.');
	snprintf(text, sizeof text, "%s$ %s,%02u", t->cop_minor_per_usd < 0 ? "-" : "", num,
		 (unsigned)(mag % 100));
	return emit(buf, n, text);
}

size_t money_format_style(char *buf, size_t n, struct money m, enum money_style st)
{
	char text[MONEY_TEXT_MAX], num[32];
	const char *code;
	uint64_t mag;
	int en = st == MONEY_STYLE_EN;

	if (m.cur == CUR_COP) {
		int64_t r = money_round_pesos(m.minor);
		format_grouped(num, magnitude(r) / 100, en ? ',' : '.');
		snprintf(text, sizeof text, "%s$%s%s", r < 0 ? "-" : "", en ? "" : " ", num);
		return emit(buf, n, text);
	}
	mag = magnitude(m.minor);
	format_grouped(num, mag / 100, en ? ',' : '.');
	code = currency_code(m.cur);
	if (code)
		snprintf(text, sizeof text, "%s%s %s%c%02u", m.minor < 0 ? "-" : "", code, num,
			 en ? '.' : ',', (unsigned)(mag % 100));
	else
		snprintf(text, sizeof text, "%s%03d %s%c%02u", m.minor < 0 ? "-" : "", (int)m.cur, num,
			 en ? '.' : ',', (unsigned)(mag % 100));
	return emit(buf, n, text);
}

size_t trm_format_style(char *buf, size_t n, const struct trm *t, enum money_style st)
{
	char text[MONEY_TEXT_MAX], num[32];
	uint64_t mag;
	int en = st == MONEY_STYLE_EN;

	if (!t)
		return emit(buf, n, "");
	mag = magnitude(t->cop_minor_per_usd);
	format_grouped(num, mag / 100, en ? ',' : '.');
	snprintf(text, sizeof text, "%s$%s%s%c%02u", t->cop_minor_per_usd < 0 ? "-" : "", en ? "" : " ", num,
		 en ? '.' : ',', (unsigned)(mag % 100));
	return emit(buf, n, text);
}

/* ---- civil dates ---------------------------------------------------------------------- */

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Years 1900..9999: wide enough for any document, narrow enough to stay 8 digits. */
bool date_valid(int32_t yyyymmdd)
{
	int y = yyyymmdd / 10000, m = yyyymmdd / 100 % 100, d = yyyymmdd % 100;

	if (yyyymmdd < 19000101 || yyyymmdd > 99991231)
		return false;
	return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* An invalid date formats as the empty string. */
size_t date_format(char *buf, size_t n, int32_t yyyymmdd)
{
	char text[16];

	if (!date_valid(yyyymmdd))
		return emit(buf, n, "");
	snprintf(text, sizeof text, "%02d/%02d/%04d", (int)(yyyymmdd % 100),
		 (int)(yyyymmdd / 100 % 100), (int)(yyyymmdd / 10000));
	return emit(buf, n, text);
}

/* Returns 0 if the time cannot be represented. */
int32_t date_from_epoch(int64_t epoch_s)
{
	time_t t = (time_t)epoch_s;
	struct tm tm;

	if ((int64_t)t != epoch_s || !localtime_r(&t, &tm))
		return 0;
	return (int32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}

int64_t date_start_epoch(int32_t yyyymmdd)
{
	struct tm tm;
	time_t t;

	if (!date_valid(yyyymmdd))
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = yyyymmdd / 10000 - 1900;
	tm.tm_mon = yyyymmdd / 100 % 100 - 1;
	tm.tm_mday = yyyymmdd % 100;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	return t == (time_t)-1 ? -1 : (int64_t)t;
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms,
 * eras of 400 years so the arithmetic never depends on time_t or timegm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Returns 0 for an invalid date or a result outside date_valid()'s range. */
int32_t date_add_days(int32_t yyyymmdd, int days)
{
	int64_t y;
	int m, d;
	int32_t r;

	if (!date_valid(yyyymmdd))
		return 0;
	civil_from_days(days_from_civil(yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100) +
				days,
			&y, &m, &d);
	if (y < 1900 || y > 9999)
		return 0;
	r = (int32_t)(y * 10000 + m * 100 + d);
	return date_valid(r) ? r : 0;
}
