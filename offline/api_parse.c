/* api_parse — the central API's bodies (docs/api/contract.md): the events and heartbeat
 * requests, and strict parsers for every answer. A parser takes the body exactly as received
 * (not NUL-terminated, never read past len) and either fills its output completely or
 * returns API_ERR_PROTOCOL with a reason that names the field ("debts: documents[2].balance:
 * must be an integer number of minor units") and never quotes an id number or a name.
 *
 * Strict means: the whole body is one JSON value with nothing after it; every field the
 * contract names has its type; amounts are integers within money_limits.h; a results list matches the
 * batch one to one, key by key, in order. Unknown fields are ignored (the server may add
 * some). Documents are checked by the domain rules (core/domain.c) as well, so an online
 * lookup can never show what an import would have refused. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api_internal.h"
#include "money_limits.h"
#include "wire.h"
#include "domain.h"

#define AMOUNT_MAX ((double)MONEY_MAX_COP_MINOR) /* a document amount, any currency */
#define TRM_MAX MONEY_TRM_MAX               /* COP centavos per USD (money_limits.h) */
#define DEBTS_DOCS_MAX 10000               /* one customer's documents in a debts answer */
#define SEQ_MAX UINT64_C(9007199254740992) /* 2^53: what every JSON reader holds exactly */

struct ctx {
	const char *what; /* "events", "debts", ... */
	char *err;
	size_t errn;
};

static int fail(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct ctx *c, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (c->errn)
		snprintf(c->err, c->errn, "%s: %s", c->what, msg);
	return API_ERR_PROTOCOL;
}

/* The body as one JSON value. cJSON reads a NUL-terminated copy with
 * require_null_terminated, so a truncated body or anything after the value fails. */
static cJSON *parse_body(struct ctx *c, const char *body, size_t len)
{
	const char *end = NULL;
	cJSON *root;
	char *copy;

	if (!body || len == 0) {
		fail(c, "empty answer");
		return NULL;
	}
	if (len > API_BODY_MAX) {
		fail(c, "answer larger than %d bytes", API_BODY_MAX);
		return NULL;
	}
	if (memchr(body, '\0', len)) {
		fail(c, "answer contains a NUL byte");
		return NULL;
	}
	copy = malloc(len + 1);
	if (!copy) {
		fail(c, "out of memory reading the answer");
		return NULL;
	}
	memcpy(copy, body, len);
	copy[len] = '\0';
	root = cJSON_ParseWithLengthOpts(copy, len + 1, &end, 1);
	if (!root)
		fail(c, "not valid JSON (byte %zu of %zu)", end && end >= copy ? (size_t)(end - copy) : 0,
		     len);
	free(copy);
	return root;
}

/* The body as a JSON object, or NULL with the reason set (not JSON, or not an object). */
static cJSON *parse_object(struct ctx *c, const char *body, size_t len)
{
	cJSON *root = parse_body(c, body, len);

	if (root && !cJSON_IsObject(root)) {
		fail(c, "the answer is not a JSON object");
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

static const cJSON *field(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* A field of a given JSON type: "missing" and "must be <what>" are reported here. */
static int get_typed(struct ctx *c, const cJSON *obj, const char *where, const char *key,
		     cJSON_bool (*is)(const cJSON *), const char *what, const cJSON **out)
{
	const cJSON *v = field(obj, key);

	*out = NULL;
	if (!v)
		return fail(c, "%s%s: missing", where, key);
	if (!is(v))
		return fail(c, "%s%s: must be %s", where, key, what);
	*out = v;
	return 0;
}

static int get_object(struct ctx *c, const cJSON *obj, const char *where, const char *key, const cJSON **out)
{
	return get_typed(c, obj, where, key, cJSON_IsObject, "an object", out);
}

static int get_array(struct ctx *c, const cJSON *obj, const char *where, const char *key, const cJSON **out)
{
	return get_typed(c, obj, where, key, cJSON_IsArray, "an array", out);
}

static int get_string(struct ctx *c, const cJSON *obj, const char *where, const char *key, const char **out)
{
	const cJSON *v = field(obj, key);

	*out = NULL;
	if (!v)
		return fail(c, "%s%s: missing", where, key);
	if (!cJSON_IsString(v) || !v->valuestring)
		return fail(c, "%s%s: must be a string", where, key);
	*out = v->valuestring;
	return 0;
}

/* UTF-8 text without control characters that fits dst (cap bytes with the NUL). */
static int get_text(struct ctx *c, const cJSON *obj, const char *where, const char *key, char *dst,
		    size_t cap, int empty_ok)
{
	const char *v;

	if (get_string(c, obj, where, key, &v) < 0)
		return API_ERR_PROTOCOL;
	if (!empty_ok && !v[0])
		return fail(c, "%s%s: is empty", where, key);
	if (strlen(v) >= cap)
		return fail(c, "%s%s: longer than %zu bytes", where, key, cap - 1);
	if (!domain_text_ok(v, cap))
		return fail(c, "%s%s: must be UTF-8 text without control characters", where, key);
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int get_bool(struct ctx *c, const cJSON *obj, const char *where, const char *key, int *out)
{
	const cJSON *v = field(obj, key);

	*out = 0;
	if (!v)
		return fail(c, "%s%s: missing", where, key);
	if (!cJSON_IsBool(v))
		return fail(c, "%s%s: must be true or false", where, key);
	*out = cJSON_IsTrue(v);
	return 0;
}

/* Integer minor units of a document, 0..MONEY_MAX_COP_MINOR (money_limits.h). cJSON holds numbers as doubles, exact below 2^53; 1e999
 * arrives as infinity and fails the range check, like NaN. */
static int get_amount(struct ctx *c, const cJSON *obj, const char *where, const char *key, int64_t *out)
{
	const cJSON *v = field(obj, key);
	double d;

	*out = 0;
	if (!v)
		return fail(c, "%s%s: missing", where, key);
	if (!cJSON_IsNumber(v))
		return fail(c, "%s%s: must be an integer number of minor units", where, key);
	d = v->valuedouble;
	if (!(d >= 0 && d <= AMOUNT_MAX))
		return fail(c, "%s%s: must be in 0..%lld (the most one coupon can carry)", where, key,
			    (long long)MONEY_MAX_COP_MINOR);
	*out = (int64_t)d;
	if ((double)*out != d)
		return fail(c, "%s%s: must be an integer number of minor units", where, key);
	return 0;
}


int api_time_parse(const char *t, int64_t *out) { return wire_parse_time(t, out); }

int api_time_format(int64_t t, char out[32]) { return wire_format_time(t, out); }

static int get_date(struct ctx *c, const cJSON *obj, const char *where, const char *key, int32_t *out)
{
	const char *t;

	if (get_string(c, obj, where, key, &t) < 0)
		return API_ERR_PROTOCOL;
	if (wire_parse_date(t, out) < 0)
		return fail(c, "%s%s: must be a date \"YYYY-MM-DD\"", where, key);
	return 0;
}

static int get_time(struct ctx *c, const cJSON *obj, const char *where, const char *key, int64_t *out)
{
	const char *t;

	if (get_string(c, obj, where, key, &t) < 0)
		return API_ERR_PROTOCOL;
	if (api_time_parse(t, out) < 0)
		return fail(c, "%s%s: must be an ISO 8601 time with offset", where, key);
	return 0;
}

/* ---- records shared by debts and portfolio changes ---- */

/* The fields of a document; its rules are core/domain.c's (domain_document_check), so a
 * debts answer is held to exactly what an import is. */
static int parse_document(struct ctx *c, const cJSON *item, const char *where, struct document *d)
{
	const cJSON *partial, *minp;
	const char *cur;
	char w[64], why[160];

	memset(d, 0, sizeof *d);
	if (!cJSON_IsObject(item))
		return fail(c, "%s: must be an object", where);
	snprintf(w, sizeof w, "%s.", where);
	if (get_text(c, item, w, "number", d->number, sizeof d->number, 0) < 0 ||
	    get_text(c, item, w, "line", d->line, sizeof d->line, 0) < 0 ||
	    get_text(c, item, w, "description", d->description, sizeof d->description, 1) < 0 ||
	    get_string(c, item, w, "currency", &cur) < 0)
		return API_ERR_PROTOCOL;
	if (currency_parse(cur, &d->cur) < 0)
		return fail(c, "%scurrency: must be \"COP\" or \"USD\"", w);
	if (get_date(c, item, w, "due", &d->due) < 0 || get_amount(c, item, w, "invoice", &d->invoice) < 0 ||
	    get_amount(c, item, w, "balance", &d->balance) < 0)
		return API_ERR_PROTOCOL;
	partial = field(item, "partial");
	if (partial && !cJSON_IsBool(partial))
		return fail(c, "%spartial: must be true or false", w);
	d->partial_ok = cJSON_IsTrue(partial);
	minp = field(item, "min_partial");
	if (d->partial_ok && !minp)
		return fail(c, "%smin_partial: missing (required when partial is true)", w);
	if (minp && !cJSON_IsNull(minp) && get_amount(c, item, w, "min_partial", &d->min_partial) < 0)
		return API_ERR_PROTOCOL;
	if (domain_document_check(d, why, sizeof why) < 0)
		return fail(c, "%s%s", w, why);
	return 0;
}

/* id_type, id_number (a NIT as its base: "900123456-8" is checked and cut), name. */
static int parse_customer(struct ctx *c, const cJSON *obj, const char *where, enum id_type *t,
			  char number[24], char name[96])
{
	const char *type;
	char *dash;
	int dv = -1;

	if (get_string(c, obj, where, "id_type", &type) < 0)
		return API_ERR_PROTOCOL;
	if (id_type_parse(type, t) < 0)
		return fail(c, "%sid_type: must be one of CC, CE, NIT, PA, TI, PPT", where);
	if (get_text(c, obj, where, "id_number", number, 24, 0) < 0 ||
	    get_text(c, obj, where, "name", name, 96, 0) < 0)
		return API_ERR_PROTOCOL;
	dash = strchr(number, '-');
	if (*t == ID_NIT && dash) {
		if (dash[1] < '0' || dash[1] > '9' || dash[2] != '\0')
			return fail(c, "%sid_number: a NIT is \"base\" or \"base-DV\"", where);
		dv = dash[1] - '0';
		*dash = '\0';
	}
	switch (id_validate(*t, number, dv)) {
	case ID_OK:
		return 0;
	case ID_ERR_DV:
		return fail(c, "%sid_number: the NIT check digit does not match", where);
	default:
		return fail(c, "%sid_number: not a valid number for %s", where, id_type_code(*t));
	}
}

/* ---- POST /v1/events ---- */

/* The server's reason for a dead letter: at most cap - 1 bytes of whole UTF-8 sequences,
 * control characters as spaces, anything malformed as '?'. */
static void reason_copy(char *dst, size_t cap, const char *src)
{
	const unsigned char *p = (const unsigned char *)src;
	size_t o = 0;

	while (*p) {
		size_t n = 0, i;

		if (*p < 0x80)
			n = 1;
		else if ((*p & 0xe0) == 0xc0)
			n = 2;
		else if ((*p & 0xf0) == 0xe0)
			n = 3;
		else if ((*p & 0xf8) == 0xf0)
			n = 4;

		for (i = 1; i < n && (p[i] & 0xc0) == 0x80; i++)
			;
		if (n == 0 || i < n) { /* a stray or cut sequence: one '?' for its first byte */
			if (o + 1 >= cap)
				break;
			dst[o++] = '?';
			p++;
			continue;
		}
		if (o + n >= cap)
			break;
		if (n == 1 && (*p < 0x20 || *p == 0x7f)) {
			dst[o++] = ' ';
		} else {
			memcpy(dst + o, p, n);
			o += n;
		}
		p += n;
	}
	dst[o] = '\0';
}

int api_parse_events(const char *body, size_t len, const struct outbox_event *ev, int n,
		     struct api_item_result *results, char *err, size_t errn)
{
	struct ctx c = {"events", err, errn};
	const cJSON *arr, *item;
	cJSON *root;
	int i = 0, rc = API_ERR_PROTOCOL;

	if (errn)
		err[0] = '\0';
	if (n < 1 || n > OUTBOX_BATCH_MAX)
		return fail(&c, "a batch has 1..%d events, not %d", OUTBOX_BATCH_MAX, n);
	memset(results, 0, (size_t)n * sizeof *results);
	root = parse_object(&c, body, len);
	if (!root)
		return API_ERR_PROTOCOL;
	if (get_array(&c, root, "", "results", &arr) < 0)
		goto out;
	if (cJSON_GetArraySize(arr) != n) {
		fail(&c, "results: %d items for a batch of %d events", cJSON_GetArraySize(arr), n);
		goto out;
	}
	cJSON_ArrayForEach(item, arr)
	{
		char where[32];
		const char *key, *status;
		const cJSON *reason;
		struct api_item_result *r = &results[i];

		snprintf(where, sizeof where, "results[%d].", i);
		if (!cJSON_IsObject(item)) {
			fail(&c, "results[%d]: must be an object", i);
			goto out;
		}
		if (get_string(&c, item, where, "key", &key) < 0 ||
		    get_string(&c, item, where, "status", &status) < 0)
			goto out;
		if (strcmp(key, ev[i].key) != 0) {
			fail(&c, "%skey: not the key of event %d of the batch (seq %" PRIu64 ")", where, i,
			     ev[i].seq);
			goto out;
		}
		if (strcmp(status, "accepted") == 0) {
			r->status = API_ITEM_ACCEPTED;
		} else if (strcmp(status, "duplicate") == 0) {
			r->status = API_ITEM_DUPLICATE;
		} else if (strcmp(status, "rejected") == 0) {
			r->status = API_ITEM_REJECTED;
		} else {
			fail(&c, "%sstatus: must be accepted, duplicate or rejected", where);
			goto out;
		}
		reason = field(item, "reason");
		if (reason && !cJSON_IsNull(reason) && !cJSON_IsString(reason)) {
			fail(&c, "%sreason: must be a string", where);
			goto out;
		}
		if (r->status == API_ITEM_REJECTED)
			reason_copy(r->reason, sizeof r->reason,
				    cJSON_IsString(reason) && reason->valuestring[0]
					    ? reason->valuestring
					    : "rejected without a reason");
		i++;
	}
	rc = API_OK;
out:
	if (rc != API_OK)
		memset(results, 0, (size_t)n * sizeof *results);
	cJSON_Delete(root);
	return rc;
}

int api_event_check(const struct outbox_event *ev, char *why, size_t whyn)
{
	const char *end = NULL;
	size_t plen;
	cJSON *p;
	int ok;

	if (strlen(ev->key) != OUTBOX_KEY_LEN)
		goto bad_key;
	for (int i = 0; i < OUTBOX_KEY_LEN; i++) {
		char ch = ev->key[i];

		if ((i == 8 || i == 13 || i == 18 || i == 23)
			    ? ch != '-'
			    : !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
			goto bad_key;
	}
	if (!ev->type[0] || !memchr(ev->type, '\0', sizeof ev->type)) {
		snprintf(why, whyn, "not sent: the event type is empty or too long");
		return -1;
	}
	for (const char *t = ev->type; *t; t++)
		if (!((*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9') || *t == '.' || *t == '_' ||
		      *t == '-')) {
			snprintf(why, whyn,
				 "not sent: the event type has characters other than a-z 0-9 . _ -");
			return -1;
		}
	if (ev->seq == 0 || ev->seq > SEQ_MAX) {
		snprintf(why, whyn, "not sent: the sequence number is out of range");
		return -1;
	}
	if (ev->at <= 0 || ev->at > API_EPOCH_MAX) {
		snprintf(why, whyn, "not sent: the event time is out of range");
		return -1;
	}
	plen = ev->payload ? strlen(ev->payload) : 0;
	if (!plen || plen > OUTBOX_PAYLOAD_MAX) {
		snprintf(why, whyn, "not sent: the payload is empty or larger than %d bytes",
			 OUTBOX_PAYLOAD_MAX);
		return -1;
	}
	p = cJSON_ParseWithLengthOpts(ev->payload, plen + 1, &end, 1);
	ok = cJSON_IsObject(p);
	cJSON_Delete(p);
	if (!ok) {
		snprintf(why, whyn, "not sent: the payload is not a JSON object");
		return -1;
	}
	return 0;
bad_key:
	snprintf(why, whyn, "not sent: the idempotency key is not a lowercase UUID");
	return -1;
}

char *api_events_body(const struct outbox_event *ev, int n, size_t *len)
{
	static const char head[] = "{\"events\":[", tail[] = "]}";
	size_t cap = sizeof head + sizeof tail, o = 0;
	char *buf;

	*len = 0;
	for (int i = 0; i < n; i++)
		cap += strlen(ev[i].payload) + 160; /* the payload plus the envelope, with room */
	buf = malloc(cap);
	if (!buf)
		return NULL;
	memcpy(buf, head, sizeof head - 1);
	o = sizeof head - 1;
	for (int i = 0; i < n; i++) {
		char at[32];
		int w;

		api_time_format(ev[i].at, at);
		w = snprintf(buf + o, cap - o,
			     "%s{\"key\":\"%s\",\"seq\":%" PRIu64
			     ",\"type\":\"%s\",\"at\":\"%s\",\"payload\":%s}",
			     i ? "," : "", ev[i].key, ev[i].seq, ev[i].type, at, ev[i].payload);
		if (w < 0 || (size_t)w >= cap - o) {
			free(buf);
			return NULL;
		}
		o += (size_t)w;
	}
	if (o + sizeof tail > cap) {
		free(buf);
		return NULL;
	}
	memcpy(buf + o, tail, sizeof tail); /* with its NUL */
	*len = o + sizeof tail - 1;
	return buf;
}

/* ---- GET /v1/debts ---- */

static int number_cmp(const void *a, const void *b)
{
	return strcmp(((const struct document *)a)->number, ((const struct document *)b)->number);
}

static int doc_cmp(const void *a, const void *b)
{
	const struct document *x = a, *y = b;

	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	return strcmp(x->number, y->number);
}

int api_parse_debts(const char *body, size_t len, struct portfolio *out, char *err, size_t errn)
{
	struct ctx c = {"debts", err, errn};
	const cJSON *cust, *docs, *item;
	cJSON *root;
	int n, i = 0, rc = API_ERR_PROTOCOL;

	if (errn)
		err[0] = '\0';
	memset(out, 0, sizeof *out);
	root = parse_object(&c, body, len);
	if (!root)
		return API_ERR_PROTOCOL;
	if (get_object(&c, root, "", "customer", &cust) < 0 ||
	    parse_customer(&c, cust, "customer.", &out->id_type, out->id_number, out->name) < 0 ||
	    get_time(&c, root, "", "as_of", &out->data_as_of) < 0 ||
	    get_array(&c, root, "", "documents", &docs) < 0)
		goto out;
	n = cJSON_GetArraySize(docs);
	if (n > DEBTS_DOCS_MAX) {
		fail(&c, "documents: more than %d", DEBTS_DOCS_MAX);
		goto out;
	}
	if (n > 0) {
		out->docs = calloc((size_t)n, sizeof *out->docs);
		if (!out->docs) {
			fail(&c, "out of memory");
			goto out;
		}
	}
	cJSON_ArrayForEach(item, docs)
	{
		char where[32];

		snprintf(where, sizeof where, "documents[%d]", i);
		if (parse_document(&c, item, where, &out->docs[i]) < 0)
			goto out;
		i++;
	}
	out->ndocs = n;
	/* numbers are unique per customer (the store's index): check in number order, then
	 * show in the store's order, by due date then number */
	if (n > 1)
		qsort(out->docs, (size_t)n, sizeof *out->docs, number_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(out->docs[i - 1].number, out->docs[i].number) == 0) {
			fail(&c, "documents: two documents with the same number");
			goto out;
		}
	if (n > 1)
		qsort(out->docs, (size_t)n, sizeof *out->docs, doc_cmp);
	rc = API_OK;
out:
	cJSON_Delete(root);
	if (rc != API_OK) {
		free(out->docs);
		memset(out, 0, sizeof *out);
	}
	return rc;
}

/* ---- GET /v1/portfolio/changes and /v1/trm ---- */

static int cursor_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

int api_parse_changes(const char *body, size_t len, const struct api_sink *sink, void *user,
		      struct api_page *out, char *err, size_t errn)
{
	struct ctx c = {"portfolio changes", err, errn};
	const cJSON *custs, *item;
	cJSON *root;
	int i = 0, rc = API_ERR_PROTOCOL;

	if (errn)
		err[0] = '\0';
	memset(out, 0, sizeof *out);
	root = parse_object(&c, body, len);
	if (!root)
		return API_ERR_PROTOCOL;
	if (get_text(&c, root, "", "cursor", out->cursor, sizeof out->cursor, 1) < 0 ||
	    get_bool(&c, root, "", "more", &out->more) < 0 ||
	    get_time(&c, root, "", "as_of", &out->as_of) < 0 ||
	    get_array(&c, root, "", "customers", &custs) < 0)
		goto out;
	if (!cursor_ok(out->cursor)) {
		fail(&c, "cursor: must be printable ASCII without spaces");
		goto out;
	}
	if (out->more && !out->cursor[0]) {
		fail(&c, "cursor: empty although more is true");
		goto out;
	}
	if (cJSON_GetArraySize(custs) > API_CHANGES_LIMIT) {
		fail(&c, "customers: more than the %d asked for", API_CHANGES_LIMIT);
		goto out;
	}
	cJSON_ArrayForEach(item, custs)
	{
		char where[32], w[40], number[24], name[96];
		const cJSON *docs, *doc;
		enum id_type t;
		int j = 0;

		snprintf(where, sizeof where, "customers[%d]", i);
		snprintf(w, sizeof w, "%s.", where);
		if (!cJSON_IsObject(item)) {
			fail(&c, "%s: must be an object", where);
			goto out;
		}
		if (parse_customer(&c, item, w, &t, number, name) < 0 ||
		    get_array(&c, item, w, "documents", &docs) < 0)
			goto out;
		if (sink && sink->customer && sink->customer(user, t, number, name) < 0) {
			fail(&c, "%s", where);
			goto out;
		}
		cJSON_ArrayForEach(doc, docs)
		{
			char dwhere[64];
			struct document d;

			snprintf(dwhere, sizeof dwhere, "%s.documents[%d]", where, j++);
			if (parse_document(&c, doc, dwhere, &d) < 0)
				goto out;
			if (sink && sink->document && sink->document(user, &d) < 0) {
				fail(&c, "%s", dwhere);
				goto out;
			}
			out->documents++;
		}
		out->customers++;
		i++;
	}
	rc = API_OK;
out:
	cJSON_Delete(root);
	return rc;
}

int api_parse_trm(const char *body, size_t len, const struct api_sink *sink, void *user, int *count,
		  char *err, size_t errn)
{
	struct ctx c = {"trm", err, errn};
	const cJSON *arr, *item;
	cJSON *root;
	int i = 0, rc = API_ERR_PROTOCOL;

	if (errn)
		err[0] = '\0';
	*count = 0;
	root = parse_object(&c, body, len);
	if (!root)
		return API_ERR_PROTOCOL;
	if (get_array(&c, root, "", "trm", &arr) < 0)
		goto out;
	cJSON_ArrayForEach(item, arr)
	{
		char where[32];
		const char *rate;
		struct trm t = {0};

		snprintf(where, sizeof where, "trm[%d].", i);
		if (!cJSON_IsObject(item)) {
			fail(&c, "trm[%d]: must be an object", i);
			goto out;
		}
		if (get_string(&c, item, where, "cop_per_usd", &rate) < 0)
			goto out;
		if (wire_parse_rate(rate, &t.cop_minor_per_usd) < 0 || t.cop_minor_per_usd <= 0 ||
		    t.cop_minor_per_usd > TRM_MAX) {
			fail(&c, "%scop_per_usd: must be a string like \"4012.35\", above 0", where);
			goto out;
		}
		if (get_date(&c, item, where, "valid_from", &t.valid_from) < 0 ||
		    get_date(&c, item, where, "valid_to", &t.valid_to) < 0)
			goto out;
		if (t.valid_to < t.valid_from) {
			fail(&c, "%svalid_to: before valid_from", where);
			goto out;
		}
		if (sink && sink->trm && sink->trm(user, &t) < 0) {
			fail(&c, "trm[%d]", i);
			goto out;
		}
		i++;
	}
	*count = i;
	rc = API_OK;
out:
	cJSON_Delete(root);
	return rc;
}

/* ---- heartbeat and error bodies ---- */

int api_parse_heartbeat(const char *body, size_t len, int64_t *server_time, char *err, size_t errn)
{
	struct ctx c = {"heartbeat", err, errn};
	cJSON *root;
	int ok = 0, rc = API_ERR_PROTOCOL;

	if (errn)
		err[0] = '\0';
	*server_time = 0;
	root = parse_object(&c, body, len);
	if (!root)
		return API_ERR_PROTOCOL;
	if (get_bool(&c, root, "", "ok", &ok) < 0)
		goto out;
	if (!ok) {
		fail(&c, "ok: false");
		goto out;
	}
	if (field(root, "server_time") && get_time(&c, root, "", "server_time", server_time) < 0)
		goto out;
	rc = API_OK;
out:
	cJSON_Delete(root);
	return rc;
}

void api_parse_error_code(const char *body, size_t len, char *code, size_t n)
{
	struct ctx c = {"error", NULL, 0};
	const cJSON *e;
	cJSON *root;
	size_t o = 0;

	if (!n)
		return;
	code[0] = '\0';
	root = parse_body(&c, body, len);
	if (!root)
		return;
	e = cJSON_IsObject(root) ? field(root, "error") : NULL;
	if (cJSON_IsString(e))
		for (const char *p = e->valuestring; *p && o + 1 < n; p++)
			if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')
				code[o++] = *p;
	code[o] = '\0';
	cJSON_Delete(root);
}

char *api_heartbeat_body(const struct api_heartbeat *hb, size_t *len)
{
	cJSON *o = cJSON_CreateObject();
	char at[32], *text = NULL, *printed;

	*len = 0;
	if (!o)
		return NULL;
	if (!cJSON_AddNumberToObject(o, "queue_depth", (double)hb->queue_depth) ||
	    !cJSON_AddNumberToObject(o, "oldest_unsynced_s", (double)hb->oldest_unsynced_s) ||
	    !cJSON_AddNumberToObject(o, "dead_letters", (double)hb->dead_letters) ||
	    !cJSON_AddStringToObject(o, "printer", hb->printer ? hb->printer : "unknown") ||
	    (hb->printer_job && !cJSON_AddStringToObject(o, "printer_job", hb->printer_job)) ||
	    (hb->printer_detail && hb->printer_detail[0] &&
	     !cJSON_AddStringToObject(o, "printer_detail", hb->printer_detail)) ||
	    (api_time_format(hb->data_as_of, at) == 0 && !cJSON_AddStringToObject(o, "data_as_of", at)) ||
	    !cJSON_AddStringToObject(o, "version", hb->version ? hb->version : "unknown"))
		goto out;
	printed = cJSON_PrintUnformatted(o);
	if (printed) {
		*len = strlen(printed);
		text = malloc(*len + 1);
		if (text)
			memcpy(text, printed, *len + 1);
		else
			*len = 0;
		cJSON_free(printed);
	}
out:
	cJSON_Delete(o);
	return text;
}

int api_content_type_ok(const char *ct)
{
	static const char json[] = "application/json";
	const char *p;

	if (!ct || strncasecmp(ct, json, sizeof json - 1) != 0)
		return 0;
	p = ct + sizeof json - 1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return 1;
	if (*p != ';')
		return 0;
	/* parameters: only a charset matters, and it must be UTF-8 */
	while (*p) {
		const char *name;

		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		name = p;
		p += strcspn(p, ";");
		if (strncasecmp(name, "charset=", 8) == 0) {
			size_t n = (size_t)(p - name) - 8;
			const char *v = name + 8;

			if (n >= 2 && v[0] == '"' && v[n - 1] == '"')
				v++, n -= 2;
			while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
				n--;
			if (!((n == 5 && strncasecmp(v, "utf-8", 5) == 0) ||
			      (n == 4 && strncasecmp(v, "utf8", 4) == 0)))
				return 0;
		}
	}
	return 1;
}
