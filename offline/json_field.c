/* json_field — typed reads of cJSON fields with one set of messages (see json_field.h). */
#include "json_field.h"

#include <stdio.h>
#include <string.h>

#include "domain.h"
#include "wire.h"

int jf_vfail(struct jf *j, const char *fmt, va_list ap)
{
	char msg[256];

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (j->errn) {
		if (j->what)
			snprintf(j->err, j->errn, "%s: %s", j->what, msg);
		else
			snprintf(j->err, j->errn, "%s", msg);
	}
	return j->rc;
}

int jf_fail(struct jf *j, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	jf_vfail(j, fmt, ap);
	va_end(ap);
	return j->rc;
}

/* "<where>.<key>: <what is wrong>" */
static int bad(struct jf *j, const char *where, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int bad(struct jf *j, const char *where, const char *key, const char *fmt, ...)
{
	size_t n = strlen(where);
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return jf_fail(j, "%s%s%s: %s", where, n && where[n - 1] != '.' ? "." : "", key, msg);
}

const cJSON *jf_get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

int jf_int_value(const cJSON *v, int64_t min, int64_t max, int64_t *out)
{
	double d;

	if (!cJSON_IsNumber(v))
		return JF_WRONG_TYPE;
	if (min < -JF_INT_EXACT)
		min = -JF_INT_EXACT;
	if (max > JF_INT_EXACT)
		max = JF_INT_EXACT;
	/* cJSON holds numbers as doubles, exact below 2^53; 1e999 arrives as infinity and fails
	 * the range check, like NaN */
	d = v->valuedouble;
	if (!(d >= (double)min && d <= (double)max))
		return JF_RANGE;
	*out = (int64_t)d;
	return (double)*out == d ? 0 : JF_WRONG_TYPE;
}

/* A field of a given JSON type: "missing" and "must be <what>". */
static int typed(struct jf *j, const cJSON *obj, const char *where, const char *key,
		 cJSON_bool (*is)(const cJSON *), const char *what, const cJSON **out)
{
	const cJSON *v = jf_get(obj, key);

	*out = NULL;
	if (!v)
		return bad(j, where, key, "missing");
	if (!is(v))
		return bad(j, where, key, "must be %s", what);
	*out = v;
	return 0;
}

int jf_object(struct jf *j, const cJSON *obj, const char *where, const char *key, const cJSON **out)
{
	return typed(j, obj, where, key, cJSON_IsObject, "an object", out);
}

int jf_array(struct jf *j, const cJSON *obj, const char *where, const char *key, const cJSON **out)
{
	return typed(j, obj, where, key, cJSON_IsArray, "an array", out);
}

int jf_string(struct jf *j, const cJSON *obj, const char *where, const char *key, const char **out)
{
	const cJSON *v;

	*out = NULL;
	if (typed(j, obj, where, key, cJSON_IsString, "a string", &v) < 0)
		return j->rc;
	if (!v->valuestring)
		return bad(j, where, key, "must be a string");
	*out = v->valuestring;
	return 0;
}

int jf_bool(struct jf *j, const cJSON *obj, const char *where, const char *key, int *out)
{
	const cJSON *v;

	*out = 0;
	if (typed(j, obj, where, key, cJSON_IsBool, "true or false", &v) < 0)
		return j->rc;
	*out = cJSON_IsTrue(v);
	return 0;
}

int jf_int(struct jf *j, const cJSON *obj, const char *where, const char *key, int64_t min,
	   int64_t max, int64_t *out)
{
	const cJSON *v = jf_get(obj, key);

	*out = 0;
	if (!v)
		return bad(j, where, key, "missing");
	if (max > JF_INT_EXACT)
		max = JF_INT_EXACT;
	switch (jf_int_value(v, min, max, out)) {
	case 0:
		return 0;
	case JF_WRONG_TYPE:
		return bad(j, where, key, "must be an integer");
	default:
		*out = 0;
		if (!(v->valuedouble >= (double)min) && min == 1)
			return bad(j, where, key, "must be greater than 0");
		if (!(v->valuedouble >= (double)min) && min == 0)
			return bad(j, where, key, "must not be negative");
		if (!(v->valuedouble >= (double)min))
			return bad(j, where, key, "must be at least %lld", (long long)min);
		return bad(j, where, key, "must be at most %lld", (long long)max);
	}
}

int jf_amount(struct jf *j, const cJSON *obj, const char *where, const char *key, int64_t max,
	      int64_t *out)
{
	const cJSON *v = jf_get(obj, key);

	*out = 0;
	if (!v)
		return bad(j, where, key, "missing");
	switch (jf_int_value(v, 0, max, out)) {
	case 0:
		return 0;
	case JF_WRONG_TYPE:
		return bad(j, where, key, "must be an integer number of minor units");
	default:
		*out = 0;
		if (v->valuedouble < 0)
			return bad(j, where, key, "must not be negative");
		return bad(j, where, key,
			   "must be at most %lld minor units (the most one coupon can carry)",
			   (long long)max);
	}
}

int jf_text(struct jf *j, const cJSON *obj, const char *where, const char *key, char *dst,
	    size_t cap, int flags)
{
	const char *v;
	size_t n;

	if (jf_string(j, obj, where, key, &v) < 0)
		return j->rc;
	n = strlen(v);
	if ((flags & JF_NONEMPTY) && !n)
		return bad(j, where, key, "is empty");
	if (n >= cap)
		return bad(j, where, key, "longer than %zu bytes", cap - 1);
	if ((flags & JF_PLAIN) && !domain_text_ok(v, cap))
		return bad(j, where, key, "must be UTF-8 text without control characters");
	memcpy(dst, v, n + 1);
	return 0;
}

int jf_date(struct jf *j, const cJSON *obj, const char *where, const char *key, int32_t *out)
{
	const char *t;

	if (jf_string(j, obj, where, key, &t) < 0)
		return j->rc;
	if (wire_parse_date(t, out) < 0)
		return bad(j, where, key, "must be a date \"YYYY-MM-DD\"");
	return 0;
}

int jf_time(struct jf *j, const cJSON *obj, const char *where, const char *key, int64_t *out)
{
	const char *t;

	if (jf_string(j, obj, where, key, &t) < 0)
		return j->rc;
	if (wire_parse_time(t, out) < 0)
		return bad(j, where, key, "must be an ISO 8601 time with offset");
	return 0;
}
