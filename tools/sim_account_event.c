/* The account services' events in the central simulator (see sim_account.h):
 * contact.updated replaces the contact on file, coupon.email_requested is recorded by
 * reference. Both are applied inside the events transaction, after the generic duplicate check
 * by key, so a key sent again changes nothing. Reasons name the field, never a value. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "coupon.h"
#include "idnum.h"
#include "json_field.h"
#include "sim_account.h"
#include "sim_json.h"

int sim_account_event_type(const char *type)
{
	return strcmp(type, "contact.updated") == 0 || strcmp(type, "coupon.email_requested") == 0;
}

static int why(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int why(char *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, SIM_ACCT_REASON_MAX, fmt, ap);
	va_end(ap);
	return 1;
}

/* payload[key]: absent or null -> *out NULL; a string -> *out. 0, or 1 with a reason. */
static int opt_string(const cJSON *p, const char *key, const char **out, char *reason)
{
	const cJSON *v = jf_get(p, key);

	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return why(reason, "payload.%s: must be a string or null", key);
	*out = v->valuestring;
	return 0;
}

static int contact_updated(struct sim_db *d, const cJSON *p, char *reason)
{
	struct jf j = {NULL, reason, SIM_ACCT_REASON_MAX, 1};
	const char *idt, *idn, *phone, *email, *address;
	struct sim_acct_cust cu;
	sqlite3_stmt *st;
	enum id_type t;
	int64_t at;
	int rc;

	if (jf_string(&j, p, "payload.", "id_type", &idt) || jf_string(&j, p, "payload.", "id_number", &idn) ||
	    jf_time(&j, p, "payload.", "verified_at", &at))
		return 1;
	if (id_type_parse(idt, &t) < 0)
		return why(reason, "payload.id_type: must be one of CC, CE, NIT, PA, TI, PPT");
	if (strlen(idn) > 23 || id_validate(t, idn, -1) != ID_OK)
		return why(reason, "payload.id_number: not a valid number for its id_type");
	if (opt_string(p, "phone", &phone, reason) || opt_string(p, "email", &email, reason) ||
	    opt_string(p, "address", &address, reason))
		return 1;
	if (!phone && !email && !address)
		return why(reason, "payload: phone, email or address must be given");
	if (phone && !sim_acct_phone_ok(phone))
		return why(reason, "payload.phone: must be a 10-digit mobile starting with 3");
	if (email && !sim_acct_email_ok(email))
		return why(reason, "payload.email: not an e-mail address");
	if (address && !sim_acct_address_ok(address))
		return why(reason, "payload.address: 5..120 letters, digits, spaces and #-.,/\xC2\xB0");
	rc = sim_acct_cust_get_locked(d, idt, idn, &cu);
	explicit_bzero(&cu, sizeof cu);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return why(reason, "payload.id_number: not a customer of the account services");
	st = sim_db_prepare(d, "UPDATE sim_acct_customers SET phone = coalesce(?3, phone),"
			       " email = coalesce(?4, email), address = coalesce(?5, address),"
			       " contact_updates = contact_updates + 1 WHERE id_type = ?1 AND id_number = ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, idt, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, idn, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, phone, -1, SQLITE_STATIC); /* NULL binds NULL */
	sqlite3_bind_text(st, 4, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, address, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

static int email_requested(struct sim_db *d, const struct sim_device *dev, const cJSON *p, char *reason)
{
	struct jf j = {NULL, reason, SIM_ACCT_REASON_MAX, 1};
	const char *ref, *email, *lang;
	char want[COUPON_REF_MAX];
	int64_t kiosk, seq;
	sqlite3_stmt *st;
	size_t rlen;
	int rc;

	if (jf_int(&j, p, "payload.", "kiosk_id", 1, 9999, &kiosk) ||
	    jf_int(&j, p, "payload.", "seq", 1, SIM_JSON_INT_MAX, &seq) ||
	    jf_string(&j, p, "payload.", "reference", &ref) || jf_string(&j, p, "payload.", "email", &email) ||
	    jf_string(&j, p, "payload.", "lang", &lang))
		return 1;
	if ((uint32_t)kiosk != dev->kiosk_id)
		return why(reason, "payload.kiosk_id: not the kiosk of the device that sent it");
	rlen = strlen(ref);
	if (rlen < 10 || rlen > 24 ||
	    reference_build(want, sizeof want, (uint32_t)kiosk, (uint64_t)seq, (int)rlen) < 0 ||
	    strcmp(want, ref) != 0)
		return why(reason, "payload.reference: not the reference of this kiosk's coupon seq");
	if (!sim_acct_email_ok(email))
		return why(reason, "payload.email: not an e-mail address");
	if (strcmp(lang, "es") != 0 && strcmp(lang, "en") != 0)
		return why(reason, "payload.lang: must be \"es\" or \"en\"");
	st = sim_db_prepare(d, "INSERT INTO sim_acct_coupon_emails(reference, kiosk_id, seq, lang, count)"
			       " VALUES(?1, ?2, ?3, ?4, 1) ON CONFLICT(reference)"
			       " DO UPDATE SET count = count + 1, lang = excluded.lang");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, kiosk);
	sqlite3_bind_int64(st, 3, seq);
	sqlite3_bind_text(st, 4, lang, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

int sim_account_apply(struct sim_db *d, const struct sim_device *dev, const char *type, const cJSON *payload,
		      char reason[SIM_ACCT_REASON_MAX])
{
	if (strcmp(type, "contact.updated") == 0)
		return contact_updated(d, payload, reason);
	return email_requested(d, dev, payload, reason);
}
