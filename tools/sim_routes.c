/* The central simulator's endpoints (see sim_routes.h and docs/api/contract.md). */
#include "sim_routes.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coupon.h"
#include "field.h"
#include "idnum.h"
#include "json_field.h"
#include "sim_account.h"
#include "sim_agents.h"
#include "sim_events.h"
#include "sim_field.h"
#include "sim_json.h"

#define CHANGES_LIMIT_MAX 1000
#define CHANGES_LIMIT_DEFAULT 500

void sim_reply_json(struct sim_reply *r, int status, cJSON *j)
{
	char *text = j ? cJSON_PrintUnformatted(j) : NULL;

	cJSON_Delete(j);
	cJSON_free(r->body);
	r->body = text;
	r->len = text ? strlen(text) : 0;
	r->status = text ? status : 500;
}

void sim_reply_error(struct sim_reply *r, int status, const char *code, const char *message)
{
	cJSON *j = cJSON_CreateObject();

	if (j && (!cJSON_AddStringToObject(j, "error", code) ||
		  (message && !cJSON_AddStringToObject(j, "message", message)))) {
		cJSON_Delete(j);
		j = NULL;
	}
	sim_reply_json(r, status, j);
}

static const char *arg(const struct sim_call *c, const char *name)
{
	return MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* The body as JSON, or NULL after answering 400. Free with cJSON_Delete. */
static cJSON *body_json(const struct sim_call *c, struct sim_reply *r)
{
	cJSON *j = c->len ? cJSON_ParseWithLength(c->body, c->len) : NULL;

	if (!j)
		sim_reply_error(r, 400, "bad_request", "the body is not valid JSON");
	return j;
}

static int add_time(cJSON *j, const char *name, int64_t t)
{
	char buf[32];

	sim_time_format(t, buf);
	return cJSON_AddStringToObject(j, name, buf) ? 0 : -1;
}

/* A decimal in [min, max] with nothing else around it. */
static int parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (!s || *s < '0' || *s > '9' || strlen(s) > 18)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static void get_debts(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	const char *type = arg(c, "id_type"), *number = arg(c, "id_number");
	enum id_type t;
	cJSON *j = NULL;
	int rc;

	if (!type || id_type_parse(type, &t) < 0) {
		sim_reply_error(r, 400, "bad_request", "id_type: must be one of CC, CE, NIT, PA, TI, PPT");
		return;
	}
	/* NIT numbers are the base without the check digit, as the kiosk stores them */
	if (!number || id_validate(t, number, -1) != ID_OK) {
		sim_reply_error(r, 400, "bad_request", "id_number: not a valid number for id_type");
		return;
	}
	rc = sim_db_debts(s->db, t, number, &j);
	if (rc == 1) {
		sim_reply_error(r, 404, "not_found", NULL);
		return;
	}
	if (rc < 0 || add_time(j, "as_of", c->now) < 0) {
		cJSON_Delete(j);
		sim_reply_error(r, 500, "internal", NULL);
		return;
	}
	sim_reply_json(r, 200, j);
}

/* The cursor is the last change version served, as a decimal string: opaque to the kiosk. */
static void get_changes(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	const char *cursor = arg(c, "cursor"), *limit_text = arg(c, "limit");
	int64_t after = 0, limit = CHANGES_LIMIT_DEFAULT, next;
	cJSON *j = NULL, *customers = cJSON_CreateArray();
	char next_text[24];
	int more;

	if (cursor && *cursor && parse_int(cursor, 0, SIM_JSON_INT_MAX, &after) < 0) {
		sim_reply_error(r, 400, "bad_request", "cursor: not one this server gave");
		goto out;
	}
	if (limit_text && parse_int(limit_text, 1, CHANGES_LIMIT_MAX, &limit) < 0) {
		sim_reply_error(r, 400, "bad_request", "limit: must be 1 to 1000");
		goto out;
	}
	if (!customers || sim_db_changes(s->db, after, (int)limit, customers, &next, &more) < 0) {
		sim_reply_error(r, 500, "internal", NULL);
		goto out;
	}
	snprintf(next_text, sizeof next_text, "%lld", (long long)next);
	j = cJSON_CreateObject();
	if (!j || !cJSON_AddStringToObject(j, "cursor", next_text) ||
	    !cJSON_AddBoolToObject(j, "more", more) || add_time(j, "as_of", c->now) < 0 ||
	    !cJSON_AddItemToObject(j, "customers", customers)) {
		sim_reply_error(r, 500, "internal", NULL);
		goto out;
	}
	customers = NULL;
	sim_reply_json(r, 200, j);
	j = NULL;
out:
	cJSON_Delete(customers);
	cJSON_Delete(j);
}

static void get_trm(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	cJSON *j = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(j, "trm");

	(void)c;
	if (!list || sim_db_trm(s->db, list) < 0) {
		cJSON_Delete(j);
		sim_reply_error(r, 500, "internal", NULL);
		return;
	}
	sim_reply_json(r, 200, j);
}

static void post_events(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	cJSON *body = body_json(c, r), *out = NULL, *results;
	const cJSON *events;
	int n;

	if (!body)
		return;
	events = cJSON_GetObjectItemCaseSensitive(body, "events");
	n = cJSON_GetArraySize(events);
	if (!cJSON_IsObject(body) || !cJSON_IsArray(events) || n < 1 || n > SIM_EVENTS_MAX) {
		sim_reply_error(r, 400, "bad_request", "events: must be an array of 1 to 100 events");
		goto out;
	}
	out = cJSON_CreateObject();
	results = cJSON_AddArrayToObject(out, "results");
	if (!results || sim_events_ingest(s->db, c->dev, events, c->now, &s->faults, results) < 0) {
		sim_reply_error(r, 500, "internal", NULL);
		goto out;
	}
	r->committed = 1;
	sim_reply_json(r, 200, out);
	out = NULL;
out:
	cJSON_Delete(out);
	cJSON_Delete(body);
}

/* Which kiosk a payload claims to be from, read before its tag is checked (the key to check
 * it with depends on it); 0 when it does not start like a coupon QR. */
static uint32_t qr_kiosk(const char *qr)
{
	uint32_t k = 0;

	if (strncmp(qr, "RCP1|K=", 7) != 0)
		return 0;
	for (int i = 7; i < 11; i++) {
		if (qr[i] < '0' || qr[i] > '9')
			return 0;
		k = k * 10 + (uint32_t)(qr[i] - '0');
	}
	return qr[11] == '|' ? k : 0;
}

static void post_verify(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	cJSON *body = body_json(c, r), *j = NULL, *gaps;
	const struct sim_device *dev;
	const char *qr;
	struct coupon cp;
	int known = 0, valid;

	if (!body)
		return;
	qr = cJSON_GetStringValue(jf_get(body, "qr"));
	if (!qr) {
		sim_reply_error(r, 400, "bad_request", "qr: missing");
		goto out;
	}
	/* each kiosk signs its QRs with its own key: an unknown kiosk's QR cannot be valid */
	dev = sim_device_by_kiosk(s, qr_kiosk(qr));
	valid = dev && coupon_qr_verify(qr, dev->qr_key, sizeof dev->qr_key, &cp) == 0;
	j = cJSON_CreateObject();
	if (!j || !cJSON_AddBoolToObject(j, "valid", valid))
		goto fail;
	gaps = cJSON_CreateArray();
	if (!gaps)
		goto fail;
	if (valid && sim_coupon_state(s->db, cp.kiosk_id, cp.seq, &known, gaps) < 0) {
		cJSON_Delete(gaps);
		goto fail;
	}
	if (valid && (jf_add_int(j, "kiosk_id", cp.kiosk_id) < 0 ||
		      !cJSON_AddItemToObject(j, "seq", jf_int_item((int64_t)cp.seq)) ||
		      !cJSON_AddStringToObject(j, "reference", cp.reference) ||
		      jf_add_int(j, "amount_minor", cp.amount.minor) < 0)) {
		cJSON_Delete(gaps);
		goto fail;
	}
	if (!cJSON_AddBoolToObject(j, "known", known) || !cJSON_AddItemToObject(j, "gaps", gaps)) {
		cJSON_Delete(gaps);
		goto fail;
	}
	sim_reply_json(r, 200, j);
	j = NULL;
	goto out;
fail:
	sim_reply_error(r, 500, "internal", NULL);
out:
	cJSON_Delete(j);
	cJSON_Delete(body);
}

/* The device a receipt QR names (D=), read before its tag is checked: the key depends on it. */
static const struct sim_device *receipt_device(struct sim *s, const char *qr)
{
	char id[SIM_DEVICE_ID_MAX];
	size_t n;

	if (strncmp(qr, "RCB1|D=", 7) != 0)
		return NULL;
	n = strcspn(qr + 7, "|");
	if (n == 0 || n >= sizeof id)
		return NULL;
	memcpy(id, qr + 7, n);
	id[n] = '\0';
	return sim_device_find(s, id);
}

/* {"payload": receipt QR} -> its verdict and, when it verifies, the receipt and its state. */
static void post_field_verify(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	cJSON *body = body_json(c, r), *j = NULL;
	const struct sim_device *dev;
	struct field_receipt_qr q;
	const char *qr, *state = "unknown";
	int valid;

	if (!body)
		return;
	qr = cJSON_GetStringValue(jf_get(body, "payload"));
	if (!qr || strlen(qr) > 512) {
		sim_reply_error(r, 400, "bad_request",
				qr ? "payload: at most 512 characters" : "payload: missing");
		goto out;
	}
	/* signed with the device's QR key, as its coupon QRs ([security] qr_key_file) */
	dev = receipt_device(s, qr);
	valid = dev && field_receipt_qr_verify(qr, dev->qr_key, sizeof dev->qr_key, &q) == 0 &&
		strcmp(q.device, dev->id) == 0;
	if (valid && sim_field_receipt_state(s->db, q.device, q.agent, q.number, &state) < 0)
		goto fail;
	j = cJSON_CreateObject();
	if (!j || !cJSON_AddBoolToObject(j, "valid", valid))
		goto fail;
	if (valid && (!cJSON_AddStringToObject(j, "device_id", q.device) ||
		      !cJSON_AddStringToObject(j, "agent", q.agent) ||
		      !cJSON_AddItemToObject(j, "receipt_number", jf_int_item((int64_t)q.number)) ||
		      jf_add_int(j, "amount_minor", q.amount_minor) < 0 ||
		      !cJSON_AddStringToObject(j, "currency", currency_code(q.cur))))
		goto fail;
	if (!cJSON_AddStringToObject(j, "state", state))
		goto fail;
	sim_reply_json(r, 200, j);
	j = NULL;
	goto out;
fail:
	sim_reply_error(r, 500, "internal", NULL);
out:
	cJSON_Delete(j);
	cJSON_Delete(body);
}

static void post_heartbeat(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	cJSON *body = body_json(c, r), *j;
	char why[200];
	int rc;

	if (!body)
		return;
	rc = sim_heartbeat_store(s->db, c->dev, body, c->now, why, sizeof why);
	cJSON_Delete(body);
	if (rc > 0) {
		sim_reply_error(r, 400, "bad_request", why);
		return;
	}
	j = cJSON_CreateObject();
	if (rc < 0 || !j || !cJSON_AddTrueToObject(j, "ok") || add_time(j, "server_time", c->now) < 0) {
		cJSON_Delete(j);
		sim_reply_error(r, 500, "internal", NULL);
		return;
	}
	sim_reply_json(r, 200, j);
}

struct route {
	const char *method, *path;
	void (*fn)(struct sim *s, const struct sim_call *c, struct sim_reply *r);
};

static void dispatch(const struct route *routes, size_t n, struct sim *s, const struct sim_call *c,
		     struct sim_reply *r)
{
	int path_known = 0;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(c->path, routes[i].path) != 0)
			continue;
		path_known = 1;
		if (strcmp(c->method, routes[i].method) == 0) {
			routes[i].fn(s, c, r);
			return;
		}
	}
	if (path_known)
		sim_reply_error(r, 405, "method_not_allowed", NULL);
	else
		sim_reply_error(r, 404, "not_found", NULL);
}

void sim_route_v1(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	static const struct route v1[] = {
		{"GET", "/v1/debts", get_debts},
		{"GET", "/v1/portfolio/changes", get_changes},
		{"GET", "/v1/trm", get_trm},
		{"POST", "/v1/events", post_events},
		{"POST", "/v1/coupons/verify", post_verify},
		{"POST", "/v1/field-receipts/verify", post_field_verify},
		{"POST", "/v1/heartbeat", post_heartbeat},
		{"POST", "/v1/agents/login", sim_post_agents_login},
		/* account services (sim_account*.c, docs/account-services.md) */
		{"POST", "/v1/account/lookup", sim_post_account_lookup},
		{"POST", "/v1/otp/send", sim_post_otp_send},
		{"POST", "/v1/otp/verify", sim_post_otp_verify},
		{"POST", "/v1/account/security", sim_post_account_security},
		{"POST", "/v1/account/products", sim_post_account_products},
		{"POST", "/v1/account/statement", sim_post_account_statement},
		{"POST", "/v1/account/certificate", sim_post_account_certificate},
		{"POST", "/v1/account/history", sim_post_account_history},
		{"POST", "/v1/account/register", sim_post_account_register},
	};

	dispatch(v1, sizeof v1 / sizeof v1[0], s, c, r);
}

static void admin_stats(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	cJSON *j = sim_stats_json(s->db), *f = sim_faults_json(&s->faults);

	if (!j || !f || add_time(j, "server_time", c->now) < 0 || !cJSON_AddItemToObject(j, "faults", f)) {
		cJSON_Delete(f);
		cJSON_Delete(j);
		sim_reply_error(r, 500, "internal", NULL);
		return;
	}
	sim_reply_json(r, 200, j);
}

static void admin_faults_get(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	(void)c;
	sim_reply_json(r, 200, sim_faults_json(&s->faults));
}

static void admin_faults_set(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	cJSON *body = body_json(c, r);
	char err[200];

	if (!body)
		return;
	if (sim_faults_apply_json(&s->faults, body, err, sizeof err) < 0)
		sim_reply_error(r, 400, "bad_request", err);
	else
		sim_reply_json(r, 200, sim_faults_json(&s->faults));
	cJSON_Delete(body);
}

/* {"file":"/path/portfolio.json"}: imports it all or nothing; its customers become changes. */
static void admin_portfolio(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	cJSON *body = body_json(c, r), *j;
	const char *file;
	char err[512];

	if (!body)
		return;
	file = cJSON_GetStringValue(jf_get(body, "file"));
	if (!file || !*file) {
		sim_reply_error(r, 400, "bad_request", "file: missing");
	} else if (sim_db_import(s->db, file, err, sizeof err) < 0) {
		sim_reply_error(r, 400, "import_failed", err);
	} else {
		j = cJSON_CreateObject();
		if (j && !cJSON_AddTrueToObject(j, "ok")) {
			cJSON_Delete(j);
			j = NULL;
		}
		sim_reply_json(r, 200, j);
	}
	cJSON_Delete(body);
}

void sim_route_admin(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	static const struct route admin[] = {
		{"GET", "/admin/stats", admin_stats},
		{"GET", "/admin/faults", admin_faults_get},
		{"POST", "/admin/faults", admin_faults_set},
		{"POST", "/admin/portfolio", admin_portfolio},
		{"GET", "/admin/otp", sim_admin_otp},
		{"GET", "/admin/account", sim_admin_account},
	};

	dispatch(admin, sizeof admin / sizeof admin[0], s, c, r);
}
