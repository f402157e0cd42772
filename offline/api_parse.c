/* api_parse — the central API's bodies (docs/api/contract.md): the heartbeat request, and
 * strict parsers for every answer (those of POST /v1/events, and its body, are in
 * api_events.c). A parser takes the body exactly as received
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
#include "json_field.h"
#include "money_limits.h"
#include "wire.h"
#include "domain.h"

#define TRM_MAX MONEY_TRM_MAX               /* COP centavos per USD (money_limits.h) */
#define DEBTS_DOCS_MAX 10000               /* one customer's documents in a debts answer */

/* The body as one JSON value. cJSON reads a NUL-terminated copy with
 * require_null_terminated, so a truncated body or anything after the value fails. */
cJSON *api_json_body(struct jf *c, const char *body, size_t len)
{
	const char *end = NULL;
	cJSON *root;
	char *copy;

	if (!body || len == 0) {
		jf_fail(c, "empty answer");
		return NULL;
	}
	if (len > API_BODY_MAX) {
		jf_fail(c, "answer larger than %d bytes", API_BODY_MAX);
		return NULL;
	}
	if (memchr(body, '\0', len)) {
		jf_fail(c, "answer contains a NUL byte");
		return NULL;
	}
	copy = malloc(len + 1);
	if (!copy) {
		jf_fail(c, "out of memory reading the answer");
		return NULL;
	}
	memcpy(copy, body, len);
	copy[len] = '\0';
	root = cJSON_ParseWithLengthOpts(copy, len + 1, &end, 1);
	if (!root)
		jf_fail(c, "not valid JSON (byte %zu of %zu)", end && end >= copy ? (size_t)(end - copy) : 0,
		     len);
	free(copy);
	return root;
}

/* The body as a JSON object, or NULL with the reason set (not JSON, or not an object). */
cJSON *api_json_object(struct jf *c, const char *body, size_t len)
{
	cJSON *root = api_json_body(c, body, len);

	if (root && !cJSON_IsObject(root)) {
		jf_fail(c, "the answer is not a JSON object");
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

int api_time_parse(const char *t, int64_t *out) { return wire_parse_time(t, out); }

int api_time_format(int64_t t, char out[32]) { return wire_format_time(t, out); }

/* ---- records shared by debts and portfolio changes ---- */

/* The fields of a document; its rules are core/domain.c's (domain_document_check), so a
 * debts answer is held to exactly what an import is. */
static int parse_document(struct jf *c, const cJSON *item, const char *where, struct document *d)
{
	const cJSON *partial, *minp;
	const char *cur;
	char w[64], why[160];

	memset(d, 0, sizeof *d);
	if (!cJSON_IsObject(item))
		return jf_fail(c, "%s: must be an object", where);
	snprintf(w, sizeof w, "%s.", where);
	if (jf_text(c, item, w, "number", d->number, sizeof d->number, JF_NONEMPTY | JF_PLAIN) < 0 ||
	    jf_text(c, item, w, "line", d->line, sizeof d->line, JF_NONEMPTY | JF_PLAIN) < 0 ||
	    jf_text(c, item, w, "description", d->description, sizeof d->description, JF_PLAIN) < 0 ||
	    jf_string(c, item, w, "currency", &cur) < 0)
		return API_ERR_PROTOCOL;
	if (currency_parse(cur, &d->cur) < 0)
		return jf_fail(c, "%scurrency: must be \"COP\" or \"USD\"", w);
	if (jf_date(c, item, w, "due", &d->due) < 0 ||
	    jf_amount(c, item, w, "invoice", MONEY_MAX_COP_MINOR, &d->invoice) < 0 ||
	    jf_amount(c, item, w, "balance", MONEY_MAX_COP_MINOR, &d->balance) < 0)
		return API_ERR_PROTOCOL;
	partial = jf_get(item, "partial");
	if (partial && !cJSON_IsBool(partial))
		return jf_fail(c, "%spartial: must be true or false", w);
	d->partial_ok = cJSON_IsTrue(partial);
	minp = jf_get(item, "min_partial");
	if (d->partial_ok && !minp)
		return jf_fail(c, "%smin_partial: missing (required when partial is true)", w);
	if (minp && !cJSON_IsNull(minp) &&
	    jf_amount(c, item, w, "min_partial", MONEY_MAX_COP_MINOR, &d->min_partial) < 0)
		return API_ERR_PROTOCOL;
	if (domain_document_check(d, why, sizeof why) < 0)
		return jf_fail(c, "%s%s", w, why);
	return 0;
}

/* id_type, id_number (a NIT as its base: "900123456-8" is checked and cut). */
int api_parse_id(struct jf *c, const cJSON *obj, const char *where, enum id_type *t, char number[24])
{
	const char *type;
	char *dash;
	int dv = -1;

	if (jf_string(c, obj, where, "id_type", &type) < 0)
		return API_ERR_PROTOCOL;
	if (id_type_parse(type, t) < 0)
		return jf_fail(c, "%sid_type: must be one of CC, CE, NIT, PA, TI, PPT", where);
	if (jf_text(c, obj, where, "id_number", number, 24, JF_NONEMPTY | JF_PLAIN) < 0)
		return API_ERR_PROTOCOL;
	dash = strchr(number, '-');
	if (*t == ID_NIT && dash) {
		if (dash[1] < '0' || dash[1] > '9' || dash[2] != '\0')
			return jf_fail(c, "%sid_number: a NIT is \"base\" or \"base-DV\"", where);
		dv = dash[1] - '0';
		*dash = '\0';
	}
	switch (id_validate(*t, number, dv)) {
	case ID_OK:
		return 0;
	case ID_ERR_DV:
		return jf_fail(c, "%sid_number: the NIT check digit does not match", where);
	default:
		return jf_fail(c, "%sid_number: not a valid number for %s", where, id_type_code(*t));
	}
}

/* The id (api_parse_id) and the name. */
static int parse_customer(struct jf *c, const cJSON *obj, const char *where, enum id_type *t,
			  char number[24], char name[96])
{
	if (api_parse_id(c, obj, where, t, number) < 0 ||
	    jf_text(c, obj, where, "name", name, 96, JF_NONEMPTY | JF_PLAIN) < 0)
		return API_ERR_PROTOCOL;
	return 0;
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
	struct jf c = {"debts", err, errn, API_ERR_PROTOCOL};
	const cJSON *cust, *docs, *item;
	cJSON *root;
	int n, i = 0, rc = API_ERR_PROTOCOL;

	if (errn)
		err[0] = '\0';
	memset(out, 0, sizeof *out);
	root = api_json_object(&c, body, len);
	if (!root)
		return API_ERR_PROTOCOL;
	if (jf_object(&c, root, "", "customer", &cust) < 0 ||
	    parse_customer(&c, cust, "customer.", &out->id_type, out->id_number, out->name) < 0 ||
	    jf_time(&c, root, "", "as_of", &out->data_as_of) < 0 ||
	    jf_array(&c, root, "", "documents", &docs) < 0)
		goto out;
	n = cJSON_GetArraySize(docs);
	if (n > DEBTS_DOCS_MAX) {
		jf_fail(&c, "documents: more than %d", DEBTS_DOCS_MAX);
		goto out;
	}
	if (n > 0) {
		out->docs = calloc((size_t)n, sizeof *out->docs);
		if (!out->docs) {
			jf_fail(&c, "out of memory");
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
			jf_fail(&c, "documents: two documents with the same number");
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
	struct jf c = {"portfolio changes", err, errn, API_ERR_PROTOCOL};
	const cJSON *custs, *item;
	cJSON *root;
	int i = 0, rc = API_ERR_PROTOCOL;

	if (errn)
		err[0] = '\0';
	memset(out, 0, sizeof *out);
	root = api_json_object(&c, body, len);
	if (!root)
		return API_ERR_PROTOCOL;
	if (jf_text(&c, root, "", "cursor", out->cursor, sizeof out->cursor, JF_PLAIN) < 0 ||
	    jf_bool(&c, root, "", "more", &out->more) < 0 ||
	    jf_time(&c, root, "", "as_of", &out->as_of) < 0 ||
	    jf_array(&c, root, "", "customers", &custs) < 0)
		goto out;
	if (!cursor_ok(out->cursor)) {
		jf_fail(&c, "cursor: must be printable ASCII without spaces");
		goto out;
	}
	if (out->more && !out->cursor[0]) {
		jf_fail(&c, "cursor: empty although more is true");
		goto out;
	}
	if (cJSON_GetArraySize(custs) > API_CHANGES_LIMIT) {
		jf_fail(&c, "customers: more than the %d asked for", API_CHANGES_LIMIT);
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
			jf_fail(&c, "%s: must be an object", where);
			goto out;
		}
		if (parse_customer(&c, item, w, &t, number, name) < 0 ||
		    jf_array(&c, item, w, "documents", &docs) < 0)
			goto out;
		if (sink && sink->customer && sink->customer(user, t, number, name) < 0) {
			jf_fail(&c, "%s", where);
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
				jf_fail(&c, "%s", dwhere);
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
	struct jf c = {"trm", err, errn, API_ERR_PROTOCOL};
	const cJSON *arr, *item;
	cJSON *root;
	int i = 0, rc = API_ERR_PROTOCOL;

	if (errn)
		err[0] = '\0';
	*count = 0;
	root = api_json_object(&c, body, len);
	if (!root)
		return API_ERR_PROTOCOL;
	if (jf_array(&c, root, "", "trm", &arr) < 0)
		goto out;
	cJSON_ArrayForEach(item, arr)
	{
		char where[32];
		const char *rate;
		struct trm t = {0};

		snprintf(where, sizeof where, "trm[%d].", i);
		if (!cJSON_IsObject(item)) {
			jf_fail(&c, "trm[%d]: must be an object", i);
			goto out;
		}
		if (jf_string(&c, item, where, "cop_per_usd", &rate) < 0)
			goto out;
		if (wire_parse_rate(rate, &t.cop_minor_per_usd) < 0 || t.cop_minor_per_usd <= 0 ||
		    t.cop_minor_per_usd > TRM_MAX) {
			jf_fail(&c, "%scop_per_usd: must be a string like \"4012.35\", above 0", where);
			goto out;
		}
		if (jf_date(&c, item, where, "valid_from", &t.valid_from) < 0 ||
		    jf_date(&c, item, where, "valid_to", &t.valid_to) < 0)
			goto out;
		if (t.valid_to < t.valid_from) {
			jf_fail(&c, "%svalid_to: before valid_from", where);
			goto out;
		}
		if (sink && sink->trm && sink->trm(user, &t) < 0) {
			jf_fail(&c, "trm[%d]", i);
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
	struct jf c = {"heartbeat", err, errn, API_ERR_PROTOCOL};
	cJSON *root;
	int ok = 0, rc = API_ERR_PROTOCOL;

	if (errn)
		err[0] = '\0';
	*server_time = 0;
	root = api_json_object(&c, body, len);
	if (!root)
		return API_ERR_PROTOCOL;
	if (jf_bool(&c, root, "", "ok", &ok) < 0)
		goto out;
	if (!ok) {
		jf_fail(&c, "ok: false");
		goto out;
	}
	if (jf_get(root, "server_time") && jf_time(&c, root, "", "server_time", server_time) < 0)
		goto out;
	rc = API_OK;
out:
	cJSON_Delete(root);
	return rc;
}

void api_parse_error_code(const char *body, size_t len, char *code, size_t n)
{
	struct jf c = {"error", NULL, 0, API_ERR_PROTOCOL};
	const cJSON *e;
	cJSON *root;
	size_t o = 0;

	if (!n)
		return;
	code[0] = '\0';
	root = api_json_body(&c, body, len);
	if (!root)
		return;
	e = cJSON_IsObject(root) ? jf_get(root, "error") : NULL;
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
	    (hb->audit_head && hb->audit_head[0] &&
	     !cJSON_AddStringToObject(o, "audit_head", hb->audit_head)) ||
	    (api_time_format(hb->data_as_of, at) == 0 && !cJSON_AddStringToObject(o, "data_as_of", at)) ||
	    !cJSON_AddStringToObject(o, "version", hb->version ? hb->version : "unknown"))
		goto out;
	if (hb->update_version && hb->update_version[0]) {
		cJSON *u = cJSON_AddObjectToObject(o, "update");
		if (!u || !cJSON_AddStringToObject(u, "state", "waiting") ||
		    !cJSON_AddStringToObject(u, "version", hb->update_version) ||
		    !cJSON_AddNumberToObject(u, "since", (double)hb->update_since) ||
		    !cJSON_AddNumberToObject(u, "money_events", (double)hb->update_money_events))
			goto out;
	}
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
