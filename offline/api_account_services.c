/* api_account_services — strict parsers of the answers of the account services that take
 * the customer's token (docs/account-services.md "Central API"): products, a statement, the
 * payment history, a certificate. The helpers and the rules are api_account_parse.c's; like
 * it, this file needs neither curl nor OpenSSL (the fuzzer builds it). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_account_internal.h"
#include "api_internal.h"
#include "json_field.h"

/* The array key of root, of at most max items. */
static int list(struct jf *c, const cJSON *root, const char *key, int max, const cJSON **arr, int *n)
{
	if (jf_array(c, root, "", key, arr) < 0)
		return c->rc;
	*n = cJSON_GetArraySize(*arr);
	if (*n > max)
		return jf_fail(c, "%s: more than %d", key, max);
	return 0;
}

int api_parse_acc_products(const char *body, size_t len, struct api_acc_products *out, char *err, size_t errn)
{
	struct jf c = {"products", err, errn, API_ERR_PROTOCOL};
	const cJSON *arr, *item;
	cJSON *root;
	int rc = API_ERR_PROTOCOL, n = 0, i = 0;

	if (errn)
		err[0] = '\0';
	memset(out, 0, sizeof *out);
	root = api_json_object(&c, body, len);
	if (!root)
		return API_ERR_PROTOCOL;
	if (list(&c, root, "products", API_ACC_PRODUCTS_MAX, &arr, &n) < 0)
		goto out;
	cJSON_ArrayForEach(item, arr)
	{
		struct api_acc_product *p = &out->p[i];
		char where[32];

		snprintf(where, sizeof where, "products[%d].", i);
		if (!cJSON_IsObject(item)) {
			jf_fail(&c, "%s: must be an object", where);
			goto out;
		}
		if (api_acc_code(&c, item, where, "id", p->id, sizeof p->id) < 0 ||
		    jf_text(&c, item, where, "line", p->line, sizeof p->line, JF_NONEMPTY | JF_PLAIN) < 0 ||
		    jf_text(&c, item, where, "description", p->description, sizeof p->description,
			    JF_NONEMPTY | JF_PLAIN) < 0 ||
		    api_acc_currency(&c, item, where, "currency", p->currency) < 0 ||
		    jf_amount(&c, item, where, "balance", JF_INT_EXACT, &p->balance) < 0)
			goto out;
		i++;
	}
	out->n = n;
	rc = API_OK;
out:
	cJSON_Delete(root);
	if (rc != API_OK)
		memset(out, 0, sizeof *out);
	return rc;
}

void api_acc_statement_free(struct api_acc_statement *s)
{
	if (!s)
		return;
	if (s->moves) /* a customer's movements: wiped, not only freed */
		explicit_bzero(s->moves, (size_t)s->n * sizeof *s->moves);
	free(s->moves);
	memset(s, 0, sizeof *s);
}

/* "YYYY-MM" -> YYYYMM. */
static int month_of(struct jf *c, const cJSON *o, const char *key, int32_t *out)
{
	const char *m;

	if (jf_string(c, o, "", key, &m) < 0)
		return c->rc;
	if (strlen(m) != 7 || m[4] != '-')
		return jf_fail(c, "%s: must be \"YYYY-MM\"", key);
	for (int i = 0; i < 7; i++)
		if (i != 4 && !(m[i] >= '0' && m[i] <= '9'))
			return jf_fail(c, "%s: must be \"YYYY-MM\"", key);
	*out = (int32_t)((m[0] - '0') * 100000 + (m[1] - '0') * 10000 + (m[2] - '0') * 1000 + (m[3] - '0') * 100 +
			 (m[5] - '0') * 10 + (m[6] - '0'));
	if (*out % 100 < 1 || *out % 100 > 12 || *out < 200001)
		return jf_fail(c, "%s: must be \"YYYY-MM\"", key);
	return 0;
}

int api_parse_acc_statement(const char *body, size_t len, struct api_acc_statement *out, char *err, size_t errn)
{
	struct jf c = {"statement", err, errn, API_ERR_PROTOCOL};
	const cJSON *arr, *item;
	cJSON *root;
	int rc = API_ERR_PROTOCOL, n = 0, i = 0;

	if (errn)
		err[0] = '\0';
	memset(out, 0, sizeof *out);
	root = api_json_object(&c, body, len);
	if (!root)
		return API_ERR_PROTOCOL;
	/* sent by e-mail: only where it went */
	if (jf_get(root, "sent_to") && !jf_get(root, "movements")) {
		if (api_acc_masked(&c, root, "", "sent_to", 0, 0, out->sent_to) < 0)
			goto out;
		rc = API_OK;
		goto out;
	}
	if (api_acc_code(&c, root, "", "product", out->product, sizeof out->product) < 0 ||
	    month_of(&c, root, "month", &out->month) < 0 || api_acc_currency(&c, root, "", "currency", out->currency) < 0 ||
	    jf_int(&c, root, "", "opening", -JF_INT_EXACT, JF_INT_EXACT, &out->opening) < 0 ||
	    jf_int(&c, root, "", "closing", -JF_INT_EXACT, JF_INT_EXACT, &out->closing) < 0 ||
	    list(&c, root, "movements", API_ACC_MOVES_MAX, &arr, &n) < 0)
		goto out;
	if (n > 0 && !(out->moves = calloc((size_t)n, sizeof *out->moves))) {
		jf_fail(&c, "out of memory");
		goto out;
	}
	cJSON_ArrayForEach(item, arr)
	{
		struct api_acc_move *m = &out->moves[i];
		char where[32];

		snprintf(where, sizeof where, "movements[%d].", i);
		if (!cJSON_IsObject(item)) {
			jf_fail(&c, "%s: must be an object", where);
			goto out;
		}
		if (jf_date(&c, item, where, "date", &m->date) < 0 ||
		    jf_text(&c, item, where, "description", m->description, sizeof m->description,
			    JF_NONEMPTY | JF_PLAIN) < 0 ||
		    jf_int(&c, item, where, "amount", -JF_INT_EXACT, JF_INT_EXACT, &m->amount) < 0 ||
		    jf_int(&c, item, where, "balance", -JF_INT_EXACT, JF_INT_EXACT, &m->balance) < 0)
			goto out;
		if (m->date / 100 != out->month) {
			jf_fail(&c, "%sdate: not in the statement's month", where);
			goto out;
		}
		i++;
	}
	out->n = n;
	rc = API_OK;
out:
	cJSON_Delete(root);
	if (rc != API_OK)
		api_acc_statement_free(out);
	return rc;
}

void api_acc_history_free(struct api_acc_history *h)
{
	if (!h)
		return;
	if (h->p)
		explicit_bzero(h->p, (size_t)h->n * sizeof *h->p);
	free(h->p);
	memset(h, 0, sizeof *h);
}

static int channel_of(struct jf *c, const cJSON *o, const char *where, enum api_pay_channel *out)
{
	static const char *const names[] = {"kiosk", "bank", "online", "agent"};
	const char *s;

	if (jf_string(c, o, where, "channel", &s) < 0)
		return c->rc;
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum api_pay_channel)i;
			return 0;
		}
	return jf_fail(c, "%schannel: must be kiosk, bank, online or agent", where);
}

int api_parse_acc_history(const char *body, size_t len, struct api_acc_history *out, char *err, size_t errn)
{
	struct jf c = {"history", err, errn, API_ERR_PROTOCOL};
	const cJSON *arr, *item;
	cJSON *root;
	int rc = API_ERR_PROTOCOL, n = 0, i = 0;

	if (errn)
		err[0] = '\0';
	memset(out, 0, sizeof *out);
	root = api_json_object(&c, body, len);
	if (!root)
		return API_ERR_PROTOCOL;
	if (list(&c, root, "payments", API_ACC_PAYMENTS_MAX, &arr, &n) < 0)
		goto out;
	if (n > 0 && !(out->p = calloc((size_t)n, sizeof *out->p))) {
		jf_fail(&c, "out of memory");
		goto out;
	}
	cJSON_ArrayForEach(item, arr)
	{
		struct api_acc_payment *p = &out->p[i];
		char where[32];

		snprintf(where, sizeof where, "payments[%d].", i);
		if (!cJSON_IsObject(item)) {
			jf_fail(&c, "%s: must be an object", where);
			goto out;
		}
		if (jf_date(&c, item, where, "date", &p->date) < 0 ||
		    api_acc_code(&c, item, where, "product", p->product, sizeof p->product) < 0 ||
		    jf_amount(&c, item, where, "amount", JF_INT_EXACT, &p->amount) < 0 ||
		    api_acc_currency(&c, item, where, "currency", p->currency) < 0 || channel_of(&c, item, where, &p->channel) < 0 ||
		    jf_text(&c, item, where, "reference", p->reference, sizeof p->reference, JF_NONEMPTY | JF_PLAIN) < 0)
			goto out;
		if (i > 0 && p->date > out->p[i - 1].date) {
			jf_fail(&c, "%sdate: not newest first", where);
			goto out;
		}
		i++;
	}
	out->n = n;
	rc = API_OK;
out:
	cJSON_Delete(root);
	if (rc != API_OK)
		api_acc_history_free(out);
	return rc;
}

/* Standard base64 of 64 bytes: 86 characters and "==". */
static int base64_64_ok(const char *s)
{
	if (strlen(s) != 88 || s[86] != '=' || s[87] != '=')
		return 0;
	for (int i = 0; i < 86; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      s[i] == '+' || s[i] == '/'))
			return 0;
	return 1;
}

int api_parse_acc_certificate(const char *body, size_t len, struct api_acc_certificate *out, char *err, size_t errn)
{
	struct jf c = {"certificate", err, errn, API_ERR_PROTOCOL};
	struct account_cert_fields j;
	char kind[8], perr[96];
	cJSON *root;
	int32_t issued;
	int rc = API_ERR_PROTOCOL;

	if (errn)
		err[0] = '\0';
	memset(out, 0, sizeof *out);
	memset(&j, 0, sizeof j);
	root = api_json_object(&c, body, len);
	if (!root)
		return API_ERR_PROTOCOL;
	if (jf_text(&c, root, "", "kind", kind, sizeof kind, JF_NONEMPTY) < 0)
		goto out;
	if (strcmp(kind, "debt") != 0 && strcmp(kind, "paid_up") != 0) {
		jf_fail(&c, "kind: must be \"debt\" or \"paid_up\"");
		goto out;
	}
	j.kind = kind[0] == 'd' ? 'D' : 'P';
	if (api_acc_code(&c, root, "", "certificate_id", j.id, sizeof j.id) < 0 ||
	    api_acc_code(&c, root, "", "product", j.product, sizeof j.product) < 0 ||
	    jf_text(&c, root, "", "description", out->description, sizeof out->description, JF_NONEMPTY | JF_PLAIN) < 0 ||
	    api_acc_currency(&c, root, "", "currency", j.currency) < 0 ||
	    jf_amount(&c, root, "", "balance", JF_INT_EXACT, &j.balance) < 0 ||
	    jf_date(&c, root, "", "issued", &issued) < 0 ||
	    jf_text(&c, root, "", "payload", out->payload, sizeof out->payload, JF_NONEMPTY) < 0 ||
	    jf_text(&c, root, "", "signature", out->signature, sizeof out->signature, JF_NONEMPTY) < 0)
		goto out;
	j.issued = issued;
	/* from here on the answer is well formed but the certificate does not hold */
	c.rc = API_ACC_BAD_SIGNATURE;
	if (!base64_64_ok(out->signature)) {
		rc = jf_fail(&c, "signature: must be the base64 of 64 bytes");
		goto out;
	}
	if (account_cert_parse(out->payload, &out->f, perr, sizeof perr) < 0) {
		rc = jf_fail(&c, "payload: %s", perr);
		goto out;
	}
	if (out->f.kind != j.kind || strcmp(out->f.id, j.id) != 0 || strcmp(out->f.product, j.product) != 0 ||
	    strcmp(out->f.currency, j.currency) != 0 || out->f.balance != j.balance || out->f.issued != j.issued) {
		rc = jf_fail(&c, "payload: its fields differ from the answer's");
		goto out;
	}
	rc = API_OK;
out:
	cJSON_Delete(root);
	if (rc != API_OK)
		memset(out, 0, sizeof *out);
	return rc;
}
