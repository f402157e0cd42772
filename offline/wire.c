/* wire — the text forms dates, times and rates take in the portfolio file and on the
 * central API, parsed in one place (offline/import.c and offline/api_parse.c use them). */
#include "wire.h"

#include <string.h>
#include <time.h>

#include "money.h"

int wire_parse_fixed(const char *p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 0;
}

/* "YYYY-MM-DD" -> YYYYMMDD; -1 if malformed or not a calendar date. */
int wire_parse_date(const char *t, int32_t *out)
{
	int y, m, d;

	if (strlen(t) != 10 || t[4] != '-' || t[7] != '-' || wire_parse_fixed(t, 4, &y) < 0 ||
	    wire_parse_fixed(t + 5, 2, &m) < 0 || wire_parse_fixed(t + 8, 2, &d) < 0)
		return -1;
	*out = y * 10000 + m * 100 + d;
	return date_valid(*out) ? 0 : -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int64_t)era * 146097 + doe - 719468;
}

int wire_parse_time(const char *t, int64_t *out)
{
	int32_t date;
	int h, mi, sec, oh = 0, om = 0, sign = 0;
	char ymd[11];
	const char *p;
	int64_t v;

	if (!t || strlen(t) < 20 || t[10] != 'T' || t[13] != ':' || t[16] != ':')
		return -1;
	memcpy(ymd, t, 10);
	ymd[10] = '\0';
	if (wire_parse_date(ymd, &date) < 0 || wire_parse_fixed(t + 11, 2, &h) < 0 || wire_parse_fixed(t + 14, 2, &mi) < 0 ||
	    wire_parse_fixed(t + 17, 2, &sec) < 0 || h > 23 || mi > 59 || sec > 59)
		return -1;
	p = t + 19;
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return -1;
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	}
	if (p[0] == 'Z' && p[1] == '\0') {
		sign = 0;
	} else if ((p[0] == '+' || p[0] == '-') && strlen(p) == 6 && p[3] == ':' &&
		   wire_parse_fixed(p + 1, 2, &oh) == 0 && wire_parse_fixed(p + 4, 2, &om) == 0 && oh <= 23 &&
		   om <= 59) {
		sign = p[0] == '+' ? 1 : -1;
	} else {
		return -1;
	}
	v = days_from_civil(date / 10000, date / 100 % 100, date % 100) * 86400 + h * 3600 + mi * 60 + sec -
	    sign * (oh * 3600 + om * 60);
	if (v <= 0 || v > WIRE_EPOCH_MAX)
		return -1;
	*out = v;
	return 0;
}

int wire_format_time(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	out[0] = '\0';
	if (t <= 0 || t > WIRE_EPOCH_MAX || !gmtime_r(&tt, &tm) ||
	    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return -1;
	return 0;
}

/* "4012.35" -> 401235 centavos; up to 7 integer digits and 2 decimals. */
int wire_parse_rate(const char *t, int64_t *out)
{
	int64_t v = 0;
	int ints = 0, decs = 0;
	const char *p = t;

	for (; *p >= '0' && *p <= '9' && ints < 8; p++, ints++)
		v = v * 10 + (*p - '0');
	if (ints < 1 || ints > 7)
		return -1;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9' && decs < 3; p++, decs++)
			v = v * 10 + (*p - '0');
		if (decs < 1 || decs > 2)
			return -1;
	}
	if (*p)
		return -1;
	for (; decs < 2; decs++)
		v *= 10;
	*out = v;
	return 0;
}

