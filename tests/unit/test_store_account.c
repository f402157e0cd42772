/* test_store_account — offline/store_account.c and the encoders of outbox_account.c: the
 * contact.updated and coupon.email_requested payloads field by field (parsed back with
 * cJSON), their audit rows without personal data, refused subjects leaving no row and no
 * audit line, and the coupon found by its reference. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "outbox.h"
#include "peek.h"
#include "store_account.h"
#include "store_internal.h"
#include "tmpdir.h"

static char tmpdir[64];
static char dbpath[128];

static struct store *open_store(void)
{
	struct store *s = NULL;
	char err[256];

	if (store_open(&s, dbpath, err, sizeof err) != 0)
		fprintf(stderr, "store_open: %s\n", err);
	return s;
}

static long long peek(const char *sql) { return peek_db(dbpath, sql); }
static void peek_text(const char *sql, char *out, size_t n) { peek_text_db(dbpath, sql, out, n); }

static cJSON *payload_of(long long seq)
{
	char sql[128], text[OUTBOX_PAYLOAD_MAX + 1];

	snprintf(sql, sizeof sql, "SELECT payload FROM outbox WHERE seq = %lld", seq);
	peek_text(sql, text, sizeof text);
	return cJSON_Parse(text);
}

static const char *jstr(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int jnull(const cJSON *o, const char *name)
{
	return cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, name));
}

static long long jint(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
}

/* No audit row holds any of the personal values of this test. */
static void check_audit_clean(void)
{
	static const char *personal[] = {"1020304050", "3001234567", "4567", "maria", "correo", "Calle", "@"};
	char sql[160];

	for (size_t i = 0; i < sizeof personal / sizeof personal[0]; i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE detail LIKE '%%%s%%'", personal[i]);
		CHECK_INT(peek(sql), 0);
	}
}

static void test_contact(void)
{
	struct store *s = open_store();
	char raw[256];
	cJSON *p;
	long long events, audits;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_contact_update(s, ID_CC, "1020304050", "300 123 4567", "MARIA@Correo.COM", NULL, 1795302000),
		  0);
	CHECK_INT(peek("SELECT count(*) FROM outbox WHERE type = 'contact.updated'"), 1);
	peek_text("SELECT detail FROM audit WHERE action = 'contact.updated'", raw, sizeof raw);
	CHECK_STR(raw, "fields=phone,email");
	CHECK_INT(peek("SELECT at FROM outbox WHERE type = 'contact.updated'"), 1795302000);
	p = payload_of(peek("SELECT seq FROM outbox WHERE type = 'contact.updated'"));
	CHECK(p != NULL);
	CHECK_STR(jstr(p, "id_type"), "CC");
	CHECK_STR(jstr(p, "id_number"), "1020304050");
	CHECK_STR(jstr(p, "phone"), "3001234567");
	CHECK_STR(jstr(p, "email"), "MARIA@correo.com");
	CHECK(jnull(p, "address"));
	CHECK_STR(jstr(p, "verified_at"), "2026-11-21T23:00:00Z");
	CHECK_INT(cJSON_GetArraySize(p), 6);
	cJSON_Delete(p);

	CHECK_INT(store_contact_update(s, ID_CC, "1020304050", NULL, NULL, "  Calle 12  # 34-56 ", 1795302060), 0);
	p = payload_of(peek("SELECT max(seq) FROM outbox"));
	CHECK(jnull(p, "phone") && jnull(p, "email"));
	CHECK_STR(jstr(p, "address"), "Calle 12 # 34-56");
	cJSON_Delete(p);
	peek_text("SELECT detail FROM audit ORDER BY id DESC LIMIT 1", raw, sizeof raw);
	CHECK_STR(raw, "fields=address");

	/* refused: nothing written, no audit line, and the reason names no value */
	events = peek("SELECT count(*) FROM outbox");
	audits = peek("SELECT count(*) FROM audit");
	CHECK_INT(store_contact_update(s, ID_CC, "1020304050", "2001234567", NULL, NULL, 1795302000), STORE_EINVAL);
	CHECK(strstr(store_error(s), "phone") != NULL && strstr(store_error(s), "2001234567") == NULL);
	CHECK_INT(store_contact_update(s, ID_CC, "1020304050", NULL, "ñ@x.co", NULL, 1795302000), STORE_EINVAL);
	CHECK_INT(store_contact_update(s, ID_CC, "1020304050", NULL, NULL, "Cl 1", 1795302000), STORE_EINVAL);
	CHECK_INT(store_contact_update(s, ID_CC, "1020304050", NULL, NULL, NULL, 1795302000), STORE_EINVAL);
	CHECK_INT(store_contact_update(s, ID_CC, "10a0", "3001234567", NULL, NULL, 1795302000), STORE_EINVAL);
	CHECK_INT(store_contact_update(s, ID_CC, "1020304050", "3001234567", NULL, NULL, 0), STORE_EINVAL);
	CHECK_INT(peek("SELECT count(*) FROM outbox"), events);
	CHECK_INT(peek("SELECT count(*) FROM audit"), audits);
	/* the encoder itself refuses a value not in the rules' form */
	{
		struct outbox_contact_updated e = {ID_CC, "1020304050", "300 123 4567", NULL, NULL, 1795302000};

		CHECK_INT(outbox_write(s, OUTBOX_CONTACT_UPDATED, &e), STORE_EINVAL);
		e.phone = NULL;
		e.email = "MARIA@Correo.COM";
		CHECK_INT(outbox_write(s, OUTBOX_CONTACT_UPDATED, &e), STORE_EINVAL);
	}
	CHECK_INT(peek("SELECT count(*) FROM outbox"), events);
	CHECK_INT(peek("SELECT count(*) FROM audit"), audits);
	check_audit_clean();
	store_close(s);
}

static struct coupon_request base_request(void)
{
	struct coupon_request r;

	memset(&r, 0, sizeof r);
	r.kiosk_id = 7;
	r.ref_length = 15;
	r.id_type = ID_CC;
	snprintf(r.id_number, sizeof r.id_number, "1020304050");
	r.kind = "coupon";
	r.now = 1795302000;
	r.due = 20261130;
	r.nlines = 1;
	snprintf(r.lines[0].doc_number, sizeof r.lines[0].doc_number, "VID-4471203-1126");
	r.lines[0].pay = (struct money){18540000, CUR_COP};
	r.lines[0].cop_minor = 18540000;
	return r;
}

static void test_coupon_email(void)
{
	struct store *s = open_store();
	struct coupon_request r = base_request();
	struct coupon c;
	uint64_t seq = 99;
	char raw[256], sql[160];
	long long events, audits;
	cJSON *p;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_coupon_issue(s, &r, &c), 0);
	CHECK_INT(store_coupon_seq_by_reference(s, c.reference, r.id_type, r.id_number, &seq), 0);
	CHECK_INT(seq, c.seq);
	/* another customer's coupon is not this customer's to reprint */
	CHECK_INT(store_coupon_seq_by_reference(s, c.reference, r.id_type, "71345678", &seq), 1);
	CHECK_INT(seq, 0);
	CHECK_INT(store_coupon_seq_by_reference(s, c.reference, ID_CE, r.id_number, &seq), 1);
	CHECK_INT(store_coupon_seq_by_reference(s, "999999999999999", r.id_type, r.id_number, &seq), 1);
	CHECK_INT(seq, 0);
	CHECK_INT(store_coupon_seq_by_reference(s, "", r.id_type, r.id_number, &seq), 1);

	CHECK_INT(store_coupon_email(s, c.seq, " maria@Correo.com ", "es", 1795302100), 0);
	snprintf(sql, sizeof sql, "SELECT detail FROM audit WHERE action = 'coupon.email_requested'");
	peek_text(sql, raw, sizeof raw);
	snprintf(sql, sizeof sql, "seq=%llu", (unsigned long long)c.seq);
	CHECK_STR(raw, sql);
	CHECK_INT(peek("SELECT at FROM outbox WHERE type = 'coupon.email_requested'"), 1795302100);
	p = payload_of(peek("SELECT seq FROM outbox WHERE type = 'coupon.email_requested'"));
	CHECK(p != NULL);
	CHECK_INT(jint(p, "kiosk_id"), 7);
	CHECK_INT(jint(p, "seq"), (long long)c.seq);
	CHECK_STR(jstr(p, "reference"), c.reference);
	CHECK_STR(jstr(p, "email"), "maria@correo.com");
	CHECK_STR(jstr(p, "lang"), "es");
	CHECK_INT(cJSON_GetArraySize(p), 5);
	cJSON_Delete(p);

	events = peek("SELECT count(*) FROM outbox");
	audits = peek("SELECT count(*) FROM audit");
	CHECK_INT(store_coupon_email(s, c.seq + 100, "maria@correo.com", "es", 1795302100), STORE_EINVAL);
	CHECK_INT(store_coupon_email(s, 0, "maria@correo.com", "es", 1795302100), STORE_EINVAL);
	CHECK_INT(store_coupon_email(s, c.seq, "maria@correo", "es", 1795302100), STORE_EINVAL);
	CHECK(strstr(store_error(s), "maria") == NULL);
	CHECK_INT(store_coupon_email(s, c.seq, "maria@correo.com", "fr", 1795302100), STORE_EINVAL);
	CHECK_INT(store_coupon_email(s, c.seq, "maria@correo.com", NULL, 1795302100), STORE_EINVAL);
	CHECK_INT(store_coupon_email(s, c.seq, "maria@correo.com", "en", -5), STORE_EINVAL);
	CHECK_INT(peek("SELECT count(*) FROM outbox"), events);
	CHECK_INT(peek("SELECT count(*) FROM audit"), audits);
	check_audit_clean();
	store_close(s);
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/recaudo-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(dbpath, sizeof dbpath, "%s/store.db", tmpdir);
	test_contact();
	test_coupon_email();
	tmpdir_remove(tmpdir);
	return check_done();
}
