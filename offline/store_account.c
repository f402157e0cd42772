/* store_account — the account services' writes and the one read they need (store_account.h).
 * The event and its audit row go in through outbox_write, which opens one transaction when
 * the caller has none. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "outbox.h"
#include "store_account.h"
#include "store_internal.h"

/* typed -> out in the rule's form; the field named (never the value) when refused. */
static int normalise(struct store *s, enum account_err (*parse)(const char *, char *, size_t), const char *typed,
		     char *out, size_t n, const char *field, const char **dst)
{
	if (!typed) {
		*dst = NULL;
		return 0;
	}
	if (parse(typed, out, n) != ACCOUNT_OK)
		return store_fail(s, STORE_EINVAL, "contact update: the %s is not valid", field);
	*dst = out;
	return 0;
}

int store_contact_update(struct store *s, enum id_type t, const char *number, const char *phone_or_NULL,
			 const char *email_or_NULL, const char *address_or_NULL, int64_t verified_at)
{
	char phone[ACCOUNT_PHONE_LEN + 1], email[ACCOUNT_EMAIL_MAX + 1], address[ACCOUNT_ADDRESS_MAX * 2 + 1];
	struct outbox_contact_updated e = {t, number, NULL, NULL, NULL, verified_at};
	int rc;

	rc = normalise(s, account_phone_parse, phone_or_NULL, phone, sizeof phone, "phone", &e.phone);
	if (rc == 0)
		rc = normalise(s, account_email_parse, email_or_NULL, email, sizeof email, "e-mail", &e.email);
	if (rc == 0)
		rc = normalise(s, account_address_parse, address_or_NULL, address, sizeof address, "address",
			       &e.address);
	if (rc == 0)
		rc = outbox_write(s, OUTBOX_CONTACT_UPDATED, &e);
	explicit_bzero(phone, sizeof phone);
	explicit_bzero(email, sizeof email);
	explicit_bzero(address, sizeof address);
	return rc;
}

int store_coupon_email(struct store *s, uint64_t coupon_seq, const char *email, const char *lang, int64_t at)
{
	char e[ACCOUNT_EMAIL_MAX + 1], reference[65];
	struct outbox_coupon_email ev = {0, coupon_seq, reference, e, lang, at};
	sqlite3_stmt *st = NULL;
	int rc;

	if (coupon_seq < 1 || coupon_seq > INT64_MAX)
		return store_fail(s, STORE_EINVAL, "coupon e-mail: no such coupon");
	if (!email || account_email_parse(email, e, sizeof e) != ACCOUNT_OK)
		return store_fail(s, STORE_EINVAL, "coupon e-mail: the e-mail is not valid");
	if (sqlite3_prepare_v2(s->db, "SELECT kiosk_id, reference FROM coupons WHERE seq = ?1", -1, &st, NULL) !=
	    SQLITE_OK) {
		rc = store_fail_db(s, "coupon e-mail");
		goto out;
	}
	sqlite3_bind_int64(st, 1, (sqlite3_int64)coupon_seq);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		rc = store_fail(s, STORE_EINVAL, "coupon e-mail: no such coupon");
		goto out;
	}
	if (rc != SQLITE_ROW) {
		rc = store_fail_db(s, "coupon e-mail");
		goto out;
	}
	ev.kiosk_id = sqlite3_column_int64(st, 0);
	snprintf(reference, sizeof reference, "%s", (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	st = NULL;
	rc = outbox_write(s, OUTBOX_COUPON_EMAIL_REQUESTED, &ev);
out:
	sqlite3_finalize(st);
	explicit_bzero(e, sizeof e);
	return rc;
}

int store_coupon_seq_by_reference(struct store *s, const char *reference, enum id_type t, const char *number,
				  uint64_t *seq)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*seq = 0;
	if (!reference || !reference[0] || strlen(reference) > 64 || !number || (int)t < 0 || t >= ID_TYPE_COUNT)
		return 1;
	if (sqlite3_prepare_v2(s->db, "SELECT seq FROM coupons WHERE reference = ?1 AND id_type = ?2 AND id_number = ?3",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "coupon by reference");
	sqlite3_bind_text(st, 1, reference, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id_type_code(t), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, number, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = (uint64_t)sqlite3_column_int64(st, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = 1;
	} else {
		rc = store_fail_db(s, "coupon by reference");
	}
	sqlite3_finalize(st);
	return rc;
}
