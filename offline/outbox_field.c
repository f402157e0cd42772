/* outbox_field — field mode's events (outbox_field.h): what the central API needs to prove
 * that an agent's receipt numbers have no gap (every number in a payment.collected, some also
 * in a payment.voided, each close stating its range) and to apply the payments to its
 * balances. The payloads are docs/field-mode.md "Events". */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "field_store.h"
#include "json_field.h"
#include "outbox.h"
#include "outbox_field.h"
#include "store_internal.h"

static int text_in(const char *t, size_t cap)
{
	return t && t[0] && memchr(t, '\0', cap) != NULL;
}

static int add_who(cJSON *o, const char *device_id, const char *agent)
{
	return cJSON_AddStringToObject(o, "device_id", device_id) &&
			       cJSON_AddStringToObject(o, "agent", agent)
		       ? 0
		       : -1;
}

static char *finish(cJSON *o, int ok)
{
	char *text = ok ? cJSON_PrintUnformatted(o) : NULL;

	cJSON_Delete(o);
	return text;
}

static int built(struct store *s, char *payload, const char *what)
{
	if (payload)
		return 0;
	return store_fail(s, STORE_ERR, "outbox: cannot build the %s event (out of memory or a field "
					"out of range)", what);
}

static int receipt_ok(const struct field_receipt *r)
{
	return r && r->number > 0 && text_in(r->agent, sizeof r->agent) &&
	       text_in(r->device_id, sizeof r->device_id) && currency_code(r->cur) &&
	       r->nlines >= 1 && r->nlines <= COUPON_MAX_DOCS && r->ndenoms >= 0 &&
	       r->ndenoms <= FIELD_DENOM_COUNT && (int)r->id_type >= 0 && r->id_type < ID_TYPE_COUNT &&
	       text_in(r->id_number, sizeof r->id_number);
}

static int add_collected_lists(cJSON *o, const struct field_receipt *r)
{
	cJSON *arr;

	if (r->ndenoms > 0) {
		arr = cJSON_AddArrayToObject(o, "denominations");
		for (int i = 0; arr && i < r->ndenoms; i++) {
			cJSON *d = cJSON_CreateObject();

			if (!d)
				return -1;
			cJSON_AddItemToArray(arr, d);
			if (jf_add_int(d, "value_minor", r->denoms[i].value_minor) < 0 ||
			    jf_add_int(d, "count", r->denoms[i].count) < 0)
				return -1;
		}
		if (!arr)
			return -1;
	}
	arr = cJSON_AddArrayToObject(o, "lines");
	if (!arr)
		return -1;
	for (int i = 0; i < r->nlines; i++) {
		const struct field_receipt_line *l = &r->lines[i];
		cJSON *line = cJSON_CreateObject();

		if (!line)
			return -1;
		cJSON_AddItemToArray(arr, line);
		if (!cJSON_AddStringToObject(line, "doc_number", l->doc_number) ||
		    !cJSON_AddStringToObject(line, "line", l->line) ||
		    jf_add_int(line, "amount_minor", l->amount_minor) < 0)
			return -1;
	}
	return 0;
}

int outbox_encode_payment_collected(struct store *s, const void *subject, char **payload, int64_t *at,
				    char *detail, size_t detail_n)
{
	const struct field_receipt *r = subject;
	char label[80];
	cJSON *o, *c;
	int ok;

	if (!receipt_ok(r) || r->voided)
		return store_fail(s, STORE_EINVAL, "outbox: payment event without a valid receipt");
	field_receipt_label(label, sizeof label, r->device_id, r->agent, r->number);
	o = cJSON_CreateObject();
	ok = o && add_who(o, r->device_id, r->agent) == 0 &&
	     jf_add_int(o, "receipt_number", (int64_t)r->number) == 0 &&
	     cJSON_AddStringToObject(o, "receipt", label) && jf_add_date(o, "day", r->day) == 0 &&
	     jf_add_time(o, "collected_at", r->at) == 0 &&
	     (c = cJSON_AddObjectToObject(o, "customer")) != NULL &&
	     cJSON_AddStringToObject(c, "id_type", id_type_code(r->id_type)) &&
	     cJSON_AddStringToObject(c, "id_number", r->id_number) &&
	     cJSON_AddStringToObject(o, "currency", currency_code(r->cur)) &&
	     jf_add_int(o, "amount_minor", r->amount_minor) == 0 &&
	     jf_add_int(o, "cash_minor", r->cash_minor) == 0 &&
	     jf_add_int(o, "change_minor", r->change_minor) == 0 && add_collected_lists(o, r) == 0;
	*payload = finish(o, ok);
	*at = r->at;
	snprintf(detail, detail_n, "agent=%s n=%" PRIu64, r->agent, r->number);
	return built(s, *payload, "payment");
}

int outbox_encode_payment_voided(struct store *s, const void *subject, char **payload, int64_t *at,
				 char *detail, size_t detail_n)
{
	const struct field_receipt *r = subject;
	cJSON *o;
	int ok;

	if (!receipt_ok(r) || !r->voided || strlen(r->event_key) != OUTBOX_KEY_LEN ||
	    !text_in(r->void_reason, sizeof r->void_reason) || !text_in(r->void_by, sizeof r->void_by))
		return store_fail(s, STORE_EINVAL, "outbox: void event without a voided receipt");
	o = cJSON_CreateObject();
	ok = o && add_who(o, r->device_id, r->agent) == 0 &&
	     jf_add_int(o, "receipt_number", (int64_t)r->number) == 0 &&
	     cJSON_AddStringToObject(o, "original_key", r->event_key) &&
	     cJSON_AddStringToObject(o, "reason", r->void_reason) &&
	     cJSON_AddStringToObject(o, "supervisor", r->void_by) &&
	     jf_add_time(o, "voided_at", r->void_at) == 0 &&
	     cJSON_AddStringToObject(o, "currency", currency_code(r->cur)) &&
	     jf_add_int(o, "amount_minor", r->amount_minor) == 0;
	*payload = finish(o, ok);
	*at = r->void_at;
	snprintf(detail, detail_n, "agent=%s n=%" PRIu64 " by=%s", r->agent, r->number, r->void_by);
	return built(s, *payload, "void");
}

static int add_totals(cJSON *o, const struct field_totals *t)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "void_numbers"), *cash;

	for (int i = 0; arr && i < t->nvoid_numbers; i++) {
		cJSON *n = jf_int_item((int64_t)t->void_numbers[i]);

		if (!n)
			return -1;
		cJSON_AddItemToArray(arr, n);
	}
	if (!arr || !(arr = cJSON_AddArrayToObject(o, "totals")))
		return -1;
	for (int i = 0; i < t->nrows; i++) {
		const struct field_totals_row *r = &t->rows[i];
		cJSON *row = cJSON_CreateObject();

		if (!row)
			return -1;
		cJSON_AddItemToArray(arr, row);
		if (!cJSON_AddStringToObject(row, "line", r->line) ||
		    !cJSON_AddStringToObject(row, "currency", currency_code(r->cur)) ||
		    jf_add_int(row, "payments", r->payments) < 0 ||
		    jf_add_int(row, "payments_minor", r->payments_minor) < 0 ||
		    jf_add_int(row, "voids", r->voids) < 0 || jf_add_int(row, "voids_minor", r->voids_minor) < 0 ||
		    jf_add_int(row, "net_minor", r->net_minor) < 0)
			return -1;
	}
	cash = cJSON_AddObjectToObject(o, "cash");
	return cash && jf_add_int(cash, "COP", t->cash_cop_minor) == 0 &&
			       jf_add_int(cash, "USD", t->cash_usd_minor) == 0
		       ? 0
		       : -1;
}

int outbox_encode_collection_closed(struct store *s, const void *subject, char **payload, int64_t *at,
				    char *detail, size_t detail_n)
{
	const struct outbox_collection_closed *e = subject;
	const struct field_totals *t = e ? e->totals : NULL;
	cJSON *o;
	int ok;

	if (!t || !text_in(e->agent, FIELD_AGENT_MAX) || !text_in(e->device_id, FIELD_DEVICE_MAX) ||
	    t->nrows < 0 || t->nrows > FIELD_TOTALS_MAX || t->nvoid_numbers < 0 ||
	    t->nvoid_numbers > FIELD_VOIDS_LISTED)
		return store_fail(s, STORE_EINVAL, "outbox: close event without valid totals");
	for (int i = 0; i < t->nrows; i++)
		if (!currency_code(t->rows[i].cur))
			return store_fail(s, STORE_EINVAL, "outbox: close event without valid totals");
	o = cJSON_CreateObject();
	ok = o && add_who(o, e->device_id, e->agent) == 0 && jf_add_date(o, "day", e->day) == 0 &&
	     jf_add_time(o, "closed_at", e->closed_at) == 0 &&
	     jf_add_int(o, "first_number", (int64_t)t->first_number) == 0 &&
	     jf_add_int(o, "last_number", (int64_t)t->last_number) == 0 &&
	     jf_add_int(o, "receipts", t->receipts) == 0 && jf_add_int(o, "voided", t->voided) == 0 &&
	     add_totals(o, t) == 0;
	*payload = finish(o, ok);
	*at = e->closed_at;
	snprintf(detail, detail_n, "agent=%s day=%" PRId32 " n=%" PRIu64 "..%" PRIu64, e->agent, e->day,
		 t->first_number, t->last_number);
	return built(s, *payload, "close");
}

int outbox_encode_collection_reopened(struct store *s, const void *subject, char **payload, int64_t *at,
				      char *detail, size_t detail_n)
{
	const struct outbox_collection_reopened *e = subject;
	cJSON *o;
	int ok;

	if (!e || !text_in(e->agent, FIELD_AGENT_MAX) || !text_in(e->device_id, FIELD_DEVICE_MAX) ||
	    !text_in(e->supervisor, FIELD_AGENT_MAX))
		return store_fail(s, STORE_EINVAL, "outbox: reopen event without its day");
	o = cJSON_CreateObject();
	ok = o && add_who(o, e->device_id, e->agent) == 0 && jf_add_date(o, "day", e->day) == 0 &&
	     jf_add_time(o, "reopened_at", e->reopened_at) == 0 &&
	     cJSON_AddStringToObject(o, "supervisor", e->supervisor);
	*payload = finish(o, ok);
	*at = e->reopened_at;
	snprintf(detail, detail_n, "agent=%s day=%" PRId32 " by=%s", e->agent, e->day, e->supervisor);
	return built(s, *payload, "reopen");
}
