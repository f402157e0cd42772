/* outbox_account — the account services' events (outbox_account.h): the payloads of
 * docs/account-services.md "Events". A value goes in only as core/account.h's parser gives
 * it, so the server gets the same form whatever the customer typed. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "account.h"
#include "json_field.h"
#include "outbox.h"
#include "outbox_account.h"
#include "store_internal.h"
#include "wire.h"

/* v is what parse makes of it (already in its canonical form). */
static int canonical(enum account_err (*parse)(const char *, char *, size_t), const char *v)
{
	char out[ACCOUNT_ADDRESS_MAX * 4 + 1];
	int ok;

	if (!v)
		return 0;
	ok = parse(v, out, sizeof out) == ACCOUNT_OK && strcmp(out, v) == 0;
	explicit_bzero(out, sizeof out);
	return ok;
}

static int add_or_null(cJSON *o, const char *name, const char *v)
{
	return (v ? cJSON_AddStringToObject(o, name, v) : cJSON_AddNullToObject(o, name)) ? 0 : -1;
}

static char *finish(cJSON *o, int ok)
{
	char *text = ok && o ? cJSON_PrintUnformatted(o) : NULL;

	cJSON_Delete(o);
	return text;
}

static int built(struct store *s, const char *payload, const char *what)
{
	if (payload)
		return 0;
	return store_fail(s, STORE_ERR, "outbox: cannot build the %s event (out of memory)", what);
}

int outbox_encode_contact_updated(struct store *s, const void *subject, char **payload, int64_t *at,
				  char *detail, size_t detail_n)
{
	const struct outbox_contact_updated *e = subject;
	cJSON *o;
	int ok;

	if (!e || (int)e->id_type < 0 || e->id_type >= ID_TYPE_COUNT || !e->id_number ||
	    strlen(e->id_number) >= 24 || id_validate(e->id_type, e->id_number, -1) != ID_OK)
		return store_fail(s, STORE_EINVAL, "outbox: contact update without a valid customer");
	if (!e->phone && !e->email && !e->address)
		return store_fail(s, STORE_EINVAL, "outbox: contact update with nothing changed");
	if ((e->phone && !canonical(account_phone_parse, e->phone)) ||
	    (e->email && !canonical(account_email_parse, e->email)) ||
	    (e->address && !canonical(account_address_parse, e->address)))
		return store_fail(s, STORE_EINVAL, "outbox: contact update with a phone, e-mail or address "
						   "the kiosk's rules refuse");
	if (e->verified_at < 1 || e->verified_at > WIRE_EPOCH_MAX)
		return store_fail(s, STORE_EINVAL, "outbox: contact update without a valid time");
	o = cJSON_CreateObject();
	ok = o && cJSON_AddStringToObject(o, "id_type", id_type_code(e->id_type)) &&
	     cJSON_AddStringToObject(o, "id_number", e->id_number) && add_or_null(o, "phone", e->phone) == 0 &&
	     add_or_null(o, "email", e->email) == 0 && add_or_null(o, "address", e->address) == 0 &&
	     jf_add_time(o, "verified_at", e->verified_at) == 0;
	*payload = finish(o, ok);
	if (built(s, *payload, "contact") < 0)
		return STORE_ERR;
	*at = e->verified_at;
	/* which fields, never their values */
	snprintf(detail, detail_n, "fields=%s%s%s%s%s", e->phone ? "phone" : "",
		 e->phone && (e->email || e->address) ? "," : "", e->email ? "email" : "",
		 e->email && e->address ? "," : "", e->address ? "address" : "");
	return 0;
}

int outbox_encode_coupon_email(struct store *s, const void *subject, char **payload, int64_t *at,
			       char *detail, size_t detail_n)
{
	const struct outbox_coupon_email *e = subject;
	cJSON *o;
	int ok;

	if (!e || e->kiosk_id < 1 || e->seq < 1 || e->seq > (uint64_t)JF_INT_EXACT || !e->reference ||
	    !e->reference[0] || strlen(e->reference) > 64)
		return store_fail(s, STORE_EINVAL, "outbox: coupon e-mail without a valid coupon");
	if (!canonical(account_email_parse, e->email))
		return store_fail(s, STORE_EINVAL, "outbox: coupon e-mail to an address the kiosk's rules refuse");
	if (!e->lang || (strcmp(e->lang, "es") != 0 && strcmp(e->lang, "en") != 0))
		return store_fail(s, STORE_EINVAL, "outbox: coupon e-mail in a language other than es or en");
	if (e->at < 1 || e->at > WIRE_EPOCH_MAX)
		return store_fail(s, STORE_EINVAL, "outbox: coupon e-mail without a valid time");
	o = cJSON_CreateObject();
	ok = o && jf_add_int(o, "kiosk_id", e->kiosk_id) == 0 && jf_add_int(o, "seq", (int64_t)e->seq) == 0 &&
	     cJSON_AddStringToObject(o, "reference", e->reference) && cJSON_AddStringToObject(o, "email", e->email) &&
	     cJSON_AddStringToObject(o, "lang", e->lang);
	*payload = finish(o, ok);
	if (built(s, *payload, "coupon e-mail") < 0)
		return STORE_ERR;
	*at = e->at;
	snprintf(detail, detail_n, "seq=%" PRIu64, e->seq);
	return 0;
}
