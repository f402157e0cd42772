/* JSON and time helpers for the central simulator (see sim_json.h). */
#include "sim_json.h"
#include "wire.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "money.h"

void sim_time_format(int64_t epoch_s, char out[32])
{
	if (wire_format_time(epoch_s, out) < 0)
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

/* Dates and times are parsed by the kiosk's own wire module, so both sides agree. */
int sim_date_parse(const char *t, int32_t *out) { return t ? wire_parse_date(t, out) : -1; }

int sim_time_parse(const char *t, int64_t *out) { return t ? wire_parse_time(t, out) : -1; }

cJSON *sim_json_push_object(cJSON *list)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !cJSON_AddItemToArray(list, o)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}
