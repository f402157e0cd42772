/* import — reads a portfolio file (docs/portfolio-format.md) and imports it all or nothing.
 *
 * The file is read whole (bounded), parsed with cJSON, and fed record by record to the
 * store_import_* transaction; the first problem aborts it, so the store is unchanged. Every
 * message names the file, the record's path and the field ("portfolio.json:
 * customers[3].documents[1].balance: must be an integer number of minor units") and never
 * quotes an id number or a name. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "field_agents.h"
#include "money_limits.h"
#include "json_field.h"
#include "store.h"
#include "wire.h"

#define IMPORT_FORMAT "recaudo-portfolio/1"
#define IMPORT_MAX_BYTES (256L * 1024 * 1024)
/* A document amount in any currency is at most MONEY_MAX_COP_MINOR (money_limits.h); the store
 * then applies the currency's own limit. */
/* 9999-12-31T23:59:59Z */
#define EPOCH_MAX INT64_C(253402300799)

struct importer {
	struct store *s;
	struct jf jf; /* what = the file's name, rc = STORE_EINVAL */
	store_import_progress progress; /* may be NULL */
	void *user;
	struct store_import_report rep;
};

struct customer_key {
	enum id_type type;
	char number[24];
	int index;
};

static int fail(struct importer *im, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct importer *im, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	jf_vfail(&im->jf, fmt, ap);
	va_end(ap);
	return rc;
}

/* A store rejection starts with the field name: put the record's path in front of it. */
static int fail_store(struct importer *im, int rc, const char *where)
{
	if (rc == STORE_EINVAL)
		return fail(im, rc, "%s.%s", where, store_error(im->s));
	return fail(im, rc, "%s: %s", where, store_error(im->s));
}

static int read_all(struct importer *im, char **out, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	FILE *f;
	int rc = STORE_ERR;

	*out = NULL;
	*len = 0;
	f = fopen(im->jf.what, "rb");
	if (!f)
		return fail(im, STORE_ERR, "cannot open: %s", strerror(errno));
	if (fstat(fileno(f), &st) < 0) {
		fail(im, STORE_ERR, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		fail(im, STORE_ERR, "not a regular file");
		goto out;
	}
	if (st.st_size > IMPORT_MAX_BYTES) {
		fail(im, STORE_EINVAL, "larger than the %ld MB limit", IMPORT_MAX_BYTES >> 20);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		fail(im, STORE_ERR, "out of memory reading the file");
		goto out;
	}
	got = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f) || got != (size_t)st.st_size || fgetc(f) != EOF) {
		fail(im, STORE_ERR, "cannot read: the file changed or an I/O error happened");
		goto out;
	}
	buf[got] = '\0';
	*out = buf;
	*len = got;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	fclose(f);
	return rc;
}

static int import_as_of(struct importer *im, const cJSON *root, int64_t *out)
{
	const cJSON *v = jf_get(root, "as_of");

	if (!v)
		return fail(im, STORE_EINVAL, "as_of: missing");
	if (cJSON_IsString(v) && v->valuestring && wire_parse_time(v->valuestring, out) == 0 &&
	    *out > 0 && *out <= EPOCH_MAX)
		return 0;
	if (cJSON_IsNumber(v) && v->valuedouble > 0 && v->valuedouble <= (double)EPOCH_MAX) {
		*out = (int64_t)v->valuedouble;
		if ((double)*out == v->valuedouble)
			return 0;
	}
	return fail(im, STORE_EINVAL,
		    "as_of: must be an ISO 8601 time with offset (\"2026-11-21T18:00:00-05:00\") "
		    "or epoch seconds");
}


static int import_trms(struct importer *im, const cJSON *root)
{
	const cJSON *arr, *item;
	int i = 0, rc;

	arr = NULL;
	if (jf_get(root, "trm") && jf_array(&im->jf, root, "", "trm", &arr) < 0)
		return STORE_EINVAL;
	cJSON_ArrayForEach(item, arr) {
		char where[32];
		const char *rate;
		struct trm t = { 0 };

		snprintf(where, sizeof where, "trm[%d]", i++);
		if (!cJSON_IsObject(item))
			return fail(im, STORE_EINVAL, "%s: must be an object", where);
		if (!jf_get(item, "cop_per_usd"))
			return fail(im, STORE_EINVAL, "%s.cop_per_usd: missing", where);
		rate = cJSON_GetStringValue(jf_get(item, "cop_per_usd"));
		if (!rate || wire_parse_rate(rate, &t.cop_minor_per_usd) < 0)
			return fail(im, STORE_EINVAL,
				    "%s.cop_per_usd: must be a string like \"4012.35\"", where);
		if (jf_date(&im->jf, item, where, "valid_from", &t.valid_from) < 0 ||
		    jf_date(&im->jf, item, where, "valid_to", &t.valid_to) < 0)
			return STORE_EINVAL;
		rc = store_import_trm(im->s, &t);
		if (rc < 0)
			return fail_store(im, rc, where);
		im->rep.trms++;
	}
	return 0;
}

static int import_document(struct importer *im, const cJSON *item, const char *where)
{
	struct document d;
	const cJSON *partial;
	const char *cur;
	int rc;

	memset(&d, 0, sizeof d);
	if (!cJSON_IsObject(item))
		return fail(im, STORE_EINVAL, "%s: must be an object", where);
	if (jf_text(&im->jf, item, where, "number", d.number, sizeof d.number, 0) < 0 ||
	    jf_text(&im->jf, item, where, "line", d.line, sizeof d.line, 0) < 0 ||
	    jf_text(&im->jf, item, where, "description", d.description, sizeof d.description, 0) < 0)
		return STORE_EINVAL;
	if (jf_string(&im->jf, item, where, "currency", &cur) < 0)
		return STORE_EINVAL;
	if (currency_parse(cur, &d.cur) < 0)
		return fail(im, STORE_EINVAL, "%s.currency: must be \"COP\" or \"USD\"", where);
	if (jf_date(&im->jf, item, where, "due", &d.due) < 0 ||
	    jf_amount(&im->jf, item, where, "invoice", MONEY_MAX_COP_MINOR, &d.invoice) < 0 ||
	    jf_amount(&im->jf, item, where, "balance", MONEY_MAX_COP_MINOR, &d.balance) < 0)
		return STORE_EINVAL;
	partial = jf_get(item, "partial");
	if (partial && !cJSON_IsBool(partial))
		return fail(im, STORE_EINVAL, "%s.partial: must be true or false", where);
	d.partial_ok = cJSON_IsTrue(partial);
	if (d.partial_ok && !jf_get(item, "min_partial"))
		return fail(im, STORE_EINVAL, "%s.min_partial: missing (required when partial is "
					      "true)", where);
	if (jf_get(item, "min_partial") &&
	    jf_amount(&im->jf, item, where, "min_partial", MONEY_MAX_COP_MINOR, &d.min_partial) < 0)
		return STORE_EINVAL;
	rc = store_import_document(im->s, &d);
	if (rc < 0)
		return fail_store(im, rc, where);
	im->rep.documents++;
	return 0;
}

/* Splits a NIT given as "900123456-8" and checks the DV; other types pass through. */
static int customer_number(struct importer *im, enum id_type t, const char *where, char *number)
{
	char *dash = strchr(number, '-');
	enum id_error e;

	if (t != ID_NIT || !dash)
		return 0;
	if (dash[1] < '0' || dash[1] > '9' || dash[2] != '\0')
		return fail(im, STORE_EINVAL,
			    "%s.id_number: a NIT is \"base\" or \"base-DV\" with one check digit",
			    where);
	*dash = '\0';
	e = id_validate(ID_NIT, number, dash[1] - '0');
	if (e == ID_ERR_DV)
		return fail(im, STORE_EINVAL, "%s.id_number: the NIT check digit does not match",
			    where);
	return 0; /* other problems are reported by the store with the base alone */
}

static int import_customer(struct importer *im, const cJSON *item, int index,
			   struct customer_key *key)
{
	char where[32], name[96];
	const char *type;
	const cJSON *docs, *doc;
	int i = 0, rc;

	snprintf(where, sizeof where, "customers[%d]", index);
	if (!cJSON_IsObject(item))
		return fail(im, STORE_EINVAL, "%s: must be an object", where);
	if (jf_string(&im->jf, item, where, "id_type", &type) < 0)
		return STORE_EINVAL;
	if (id_type_parse(type, &key->type) < 0)
		return fail(im, STORE_EINVAL,
			    "%s.id_type: must be one of CC, CE, NIT, PA, TI, PPT", where);
	if (jf_text(&im->jf, item, where, "id_number", key->number, sizeof key->number, 0) < 0 ||
	    customer_number(im, key->type, where, key->number) < 0 ||
	    jf_text(&im->jf, item, where, "name", name, sizeof name, 0) < 0 ||
	    jf_array(&im->jf, item, where, "documents", &docs) < 0)
		return STORE_EINVAL;
	key->index = index;
	rc = store_import_customer(im->s, key->type, key->number, name);
	if (rc < 0)
		return fail_store(im, rc, where);
	cJSON_ArrayForEach(doc, docs) {
		char dwhere[64];

		snprintf(dwhere, sizeof dwhere, "%s.documents[%d]", where, i++);
		rc = import_document(im, doc, dwhere);
		if (rc < 0)
			return rc;
	}
	im->rep.customers++;
	return 0;
}

/* "cap": whole pesos as a string of digits ("2000000"), the agent's cap on unsynced cash. */
static int agent_cap(struct importer *im, const cJSON *item, const char *where, int64_t *cap_minor)
{
	const cJSON *v = jf_get(item, "cap");
	const char *t = cJSON_GetStringValue(v);
	size_t n = t ? strlen(t) : 0;
	int64_t pesos = 0;

	*cap_minor = -1;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (n < 1 || n > 13 || strspn(t, "0123456789") != n)
		return fail(im, STORE_EINVAL, "%s.cap: must be whole pesos as a string of digits (\"2000000\")",
			    where);
	for (size_t i = 0; i < n; i++)
		pesos = pesos * 10 + (t[i] - '0');
	if (pesos * 100 > MONEY_MAX_COP_MINOR)
		return fail(im, STORE_EINVAL, "%s.cap: more than the largest COP amount", where);
	/* 0 would read as "no cap" to the collection (field_store.h): an agent who may hold no
	 * cash at all is not a field agent */
	if (pesos == 0)
		return fail(im, STORE_EINVAL, "%s.cap: must be at least 1 peso (leave it out for the configured cap)",
			    where);
	*cap_minor = pesos * 100;
	return 0;
}

static int agent_clients(struct importer *im, const cJSON *item, const char *where,
			 struct field_client_ref **out, int *n)
{
	const cJSON *arr, *c;
	int i = 0;

	*out = NULL;
	*n = 0;
	if (jf_array(&im->jf, item, where, "clients", &arr) < 0)
		return STORE_EINVAL;
	if (cJSON_GetArraySize(arr) > FIELD_CLIENTS_MAX)
		return fail(im, STORE_EINVAL, "%s.clients: more than %d", where, FIELD_CLIENTS_MAX);
	if (cJSON_GetArraySize(arr) > 0 && !(*out = calloc((size_t)cJSON_GetArraySize(arr), sizeof **out)))
		return fail(im, STORE_ERR, "out of memory");
	cJSON_ArrayForEach(c, arr) {
		char cw[64];
		const char *type;
		struct field_client_ref *r = &(*out)[i];

		snprintf(cw, sizeof cw, "%s.clients[%d]", where, i);
		if (!cJSON_IsObject(c))
			return fail(im, STORE_EINVAL, "%s: must be an object", cw);
		if (jf_string(&im->jf, c, cw, "id_type", &type) < 0)
			return STORE_EINVAL;
		if (id_type_parse(type, &r->id_type) < 0)
			return fail(im, STORE_EINVAL, "%s.id_type: must be one of CC, CE, NIT, PA, TI, PPT", cw);
		if (jf_text(&im->jf, c, cw, "id_number", r->id_number, sizeof r->id_number, JF_NONEMPTY) < 0 ||
		    customer_number(im, r->id_type, cw, r->id_number) < 0)
			return STORE_EINVAL;
		*n = ++i;
	}
	return 0;
}

/* "agents" (optional): the field agents this file provisions, with their clients. A
 * password_argon2 counts as a hash cached at the file's as_of: an import file provisions a
 * tablet for offline login (docs/portfolio-format.md "agents"). */
static int import_agents(struct importer *im, const cJSON *root, int64_t as_of)
{
	const cJSON *arr = NULL, *item;
	int i = 0, rc = 0;

	if (jf_get(root, "agents") && jf_array(&im->jf, root, "", "agents", &arr) < 0)
		return STORE_EINVAL;
	cJSON_ArrayForEach(item, arr) {
		char where[32];
		const char *role, *hash = NULL;
		struct field_agent who;
		struct field_client_ref *clients = NULL;
		int n = 0;

		memset(&who, 0, sizeof who);
		snprintf(where, sizeof where, "agents[%d]", i++);
		if (!cJSON_IsObject(item))
			return fail(im, STORE_EINVAL, "%s: must be an object", where);
		if (jf_text(&im->jf, item, where, "code", who.code, sizeof who.code, JF_NONEMPTY) < 0 ||
		    jf_text(&im->jf, item, where, "name", who.name, sizeof who.name, JF_NONEMPTY) < 0 ||
		    jf_string(&im->jf, item, where, "role", &role) < 0)
			return STORE_EINVAL;
		if (strcmp(role, "agent") != 0 && strcmp(role, "supervisor") != 0)
			return fail(im, STORE_EINVAL, "%s.role: must be \"agent\" or \"supervisor\"", where);
		who.role = strcmp(role, "supervisor") == 0 ? FIELD_ROLE_SUPERVISOR : FIELD_ROLE_AGENT;
		if (jf_get(item, "password_argon2") && jf_string(&im->jf, item, where, "password_argon2", &hash) < 0)
			return STORE_EINVAL;
		if (agent_cap(im, item, where, &who.cap_minor) < 0)
			return STORE_EINVAL;
		rc = agent_clients(im, item, where, &clients, &n);
		if (rc == 0 && (rc = field_agent_import(im->s, &who, hash, clients, n, as_of)) < 0)
			fail_store(im, rc, where);
		free(clients);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int key_cmp(const void *a, const void *b)
{
	const struct customer_key *x = a, *y = b;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return strcmp(x->number, y->number);
}

/* A customer twice in one file would silently replace its own documents: refuse. */
static int check_duplicates(struct importer *im, struct customer_key *keys, int n)
{
	qsort(keys, (size_t)n, sizeof *keys, key_cmp);
	for (int i = 1; i < n; i++)
		if (key_cmp(&keys[i - 1], &keys[i]) == 0) {
			int a = keys[i - 1].index, b = keys[i].index;

			return fail(im, STORE_EINVAL,
				    "customers[%d]: same id_type and id_number as customers[%d]",
				    a > b ? a : b, a < b ? a : b);
		}
	return 0;
}

static int import_root(struct importer *im, const cJSON *root)
{
	const cJSON *format, *customers, *item;
	struct customer_key *keys = NULL;
	int64_t as_of = 0;
	int n, i = 0, rc;

	if (!cJSON_IsObject(root))
		return fail(im, STORE_EINVAL, "not a portfolio: the top level must be a JSON object");
	format = jf_get(root, "format");
	if (!cJSON_IsString(format) || strcmp(format->valuestring, IMPORT_FORMAT) != 0)
		return fail(im, STORE_EINVAL, "format: must be \"%s\"", IMPORT_FORMAT);
	if (import_as_of(im, root, &as_of) < 0 ||
	    jf_array(&im->jf, root, "", "customers", &customers) < 0)
		return STORE_EINVAL;
	n = cJSON_GetArraySize(customers);
	keys = calloc(n > 0 ? (size_t)n : 1, sizeof *keys);
	if (!keys)
		return fail(im, STORE_ERR, "out of memory");

	rc = store_import_begin(im->s);
	if (rc < 0) {
		fail(im, rc, "%s", store_error(im->s));
		goto out;
	}
	rc = import_trms(im, root);
	if (im->progress)
		im->progress(im->user, 0, n);
	int step = n / 100 > 0 ? n / 100 : 1; /* about a hundred reports however big the file */
	cJSON_ArrayForEach(item, customers) {
		if (rc < 0)
			break;
		rc = import_customer(im, item, i, &keys[i]);
		i++;
		if (rc == 0 && im->progress && (i % step == 0 || i == n))
			im->progress(im->user, i, n);
	}
	if (rc == 0)
		rc = check_duplicates(im, keys, n);
	if (rc == 0)
		rc = import_agents(im, root, as_of);
	if (rc < 0) {
		store_import_abort(im->s);
		goto out;
	}
	rc = store_import_commit(im->s, as_of);
	if (rc < 0)
		fail(im, rc, "%s", store_error(im->s));
	else
		im->rep.as_of = as_of;
out:
	free(keys);
	return rc;
}

/* Where the parser stopped, as line:column for a person with an editor. */
static void where_in_text(const char *buf, const char *at, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (const char *p = buf; p < at && *p; p++) {
		if (*p == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

int store_import_file(struct store *s, const char *path, char *err, size_t errn)
{
	return store_import_file_ex(s, path, NULL, NULL, NULL, err, errn);
}

int store_import_file_ex(struct store *s, const char *path, store_import_progress progress, void *user,
			 struct store_import_report *rep, char *err, size_t errn)
{
	struct importer im = { s, { path, err, errn, STORE_EINVAL }, progress, user, { 0 } };
	const char *text, *end = NULL;
	cJSON *root;
	char *buf;
	size_t len;
	int rc;

	if (errn)
		err[0] = '\0';
	rc = read_all(&im, &buf, &len);
	if (rc < 0)
		return rc;
	text = buf;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) /* a UTF-8 BOM from an editor */
		text += 3;
	if (memchr(buf, '\0', len)) {
		rc = fail(&im, STORE_EINVAL, "not JSON: contains a NUL byte");
		goto out;
	}
	root = cJSON_ParseWithLengthOpts(text, len - (size_t)(text - buf) + 1, &end, 1);
	if (!root) {
		int line, col;

		where_in_text(text, end ? end : text, &line, &col);
		rc = fail(&im, STORE_EINVAL, "not valid JSON (line %d, column %d)", line, col);
		goto out;
	}
	rc = import_root(&im, root);
	cJSON_Delete(root);
out:
	free(buf);
	if (rep) {
		if (rc < 0) /* nothing was imported */
			memset(&im.rep, 0, sizeof im.rep);
		*rep = im.rep;
	}
	return rc;
}
