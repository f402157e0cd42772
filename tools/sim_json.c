/* JSON and time helpers for the central simulator (see sim_json.h). */
#include "sim_json.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "money.h"

int sim_json_add_int(cJSON *obj, const char *name, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%" PRId64, v);
	return cJSON_AddRawToObject(obj, name, buf) ? 0 : -1;
}

cJSON *sim_json_int(int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%" PRId64, v);
	return cJSON_CreateRaw(buf);
}

int sim_json_get_int(const cJSON *obj, const char *key, int64_t min, int64_t max, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	double d;

	if (!v || cJSON_IsNull(v))
		return SIM_JSON_MISSING;
	if (!cJSON_IsNumber(v))
		return SIM_JSON_NOT_INT;
	d = v->valuedouble;
	/* cJSON reads numbers as doubles: only |d| <= 2^53 - 1 is known to be exact */
	if (!(d >= -(double)SIM_JSON_INT_MAX && d <= (double)SIM_JSON_INT_MAX))
		return SIM_JSON_RANGE;
	*out = (int64_t)d;
	if ((double)*out != d)
		return SIM_JSON_NOT_INT;
	if (*out < min || *out > max)
		return SIM_JSON_RANGE;
	return 0;
}

const char *sim_json_get_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

void sim_time_format(int64_t epoch_s, char out[32])
{
	time_t t = (time_t)epoch_s;
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, 32, "1970-01-01T00:00:00Z");
}

void sim_http_date(int64_t epoch_s, char out[40])
{
	static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t t = (time_t)epoch_s;
	struct tm tm;

	/* by hand: strftime's %a and %b follow the locale, the header must be English */
	if (!gmtime_r(&t, &tm) || tm.tm_wday < 0 || tm.tm_wday > 6 || tm.tm_mon < 0 || tm.tm_mon > 11) {
		snprintf(out, 40, "Thu, 01 Jan 1970 00:00:00 GMT");
		return;
	}
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void sim_date_format(int32_t d, char out[11])
{
	unsigned v = d > 0 ? (unsigned)d % 100000000u : 0;

	snprintf(out, 11, "%04u-%02u-%02u", v / 10000, v / 100 % 100, v % 100);
}

static int parse_fixed(const char *p, int n, int *out)
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

int sim_date_parse(const char *t, int32_t *out)
{
	int y, m, d;

	if (!t || strlen(t) != 10 || t[4] != '-' || t[7] != '-' || parse_fixed(t, 4, &y) < 0 ||
	    parse_fixed(t + 5, 2, &m) < 0 || parse_fixed(t + 8, 2, &d) < 0)
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

int sim_time_parse(const char *t, int64_t *out)
{
	char ymd[11];
	int32_t date;
	int h, mi, s, oh = 0, om = 0, sign = 0;
	const char *p;

	if (!t || strlen(t) < 20 || t[10] != 'T' || t[13] != ':' || t[16] != ':')
		return -1;
	memcpy(ymd, t, 10);
	ymd[10] = '\0';
	if (sim_date_parse(ymd, &date) < 0 || parse_fixed(t + 11, 2, &h) < 0 ||
	    parse_fixed(t + 14, 2, &mi) < 0 || parse_fixed(t + 17, 2, &s) < 0 || h > 23 || mi > 59 || s > 59)
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
		   parse_fixed(p + 1, 2, &oh) == 0 && parse_fixed(p + 4, 2, &om) == 0 && oh <= 23 &&
		   om <= 59) {
		sign = p[0] == '+' ? 1 : -1;
	} else {
		return -1;
	}
	*out = days_from_civil(date / 10000, date / 100 % 100, date % 100) * 86400 + h * 3600 + mi * 60 + s -
	       sign * (oh * 3600 + om * 60);
	return 0;
}
