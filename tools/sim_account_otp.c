/* The account services' routes before and around the token: lookup, the one-time code (send,
 * verify), registration, the security image and phrase, products, and GET /admin/otp,
 * GET /admin/account (see sim_account.h). The code and the token live only in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "idnum.h"
#include "json_field.h"
#include "sim_account.h"
#include "sim_events.h"
#include "sim_json.h"
#include "sim_server.h"

/* The body as a JSON object, or NULL after answering 400. */
static cJSON *body_object(const struct sim_call *c, struct sim_reply *r)
{
	cJSON *j = c->len ? cJSON_ParseWithLength(c->body, c->len) : NULL;

	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		sim_reply_error(r, 400, "bad_request", "the body is not a JSON object");
		return NULL;
	}
	return j;
}

const char *sim_acct_str(const cJSON *body, const char *key, size_t max, struct sim_reply *r)
{
	char msg[120];
	struct jf j = {NULL, msg, sizeof msg, -1};
	const char *s;

	if (jf_string(&j, body, "", key, &s) < 0) {
		sim_reply_error(r, 400, "bad_request", msg);
		return NULL;
	}
	if (strlen(s) > max) {
		snprintf(msg, sizeof msg, "%s: at most %zu bytes", key, max);
		sim_reply_error(r, 400, "bad_request", msg);
		return NULL;
	}
	return s;
}

/* id_type and id_number, checked as GET /v1/debts checks them. 0, or -1 after answering 400. */
static int read_id(const cJSON *body, struct sim_reply *r, char idt[4], char idn[24])
{
	const char *t = sim_acct_str(body, "id_type", 3, r), *n;
	enum id_type type;

	if (!t)
		return -1;
	if (id_type_parse(t, &type) < 0) {
		sim_reply_error(r, 400, "bad_request", "id_type: must be one of CC, CE, NIT, PA, TI, PPT");
		return -1;
	}
	n = sim_acct_str(body, "id_number", 23, r);
	if (!n)
		return -1;
	if (id_validate(type, n, -1) != ID_OK) {
		sim_reply_error(r, 400, "bad_request", "id_number: not a valid number for id_type");
		return -1;
	}
	snprintf(idt, 4, "%s", t);
	snprintf(idn, 24, "%s", n);
	return 0;
}

static void reply_internal(struct sim_reply *r)
{
	sim_reply_error(r, 500, "internal", NULL);
}

/* {"account":true,"image","phrase","channels":{"sms","email"}} or {"account":false} */
static cJSON *lookup_json(const struct sim_acct_cust *c)
{
	cJSON *j = cJSON_CreateObject(), *ch;
	char sms[MASKED_MAX], mail[MASKED_MAX];
	int ok;

	if (!j || !cJSON_AddBoolToObject(j, "account", c->account))
		goto fail;
	if (!c->account)
		return j;
	sim_acct_mask_phone(c->phone, sms, sizeof sms);
	sim_acct_mask_email(c->email, mail, sizeof mail);
	ok = (c->image >= 0 ? jf_add_int(j, "image", c->image) == 0 : cJSON_AddNullToObject(j, "image") != NULL) &&
	     (c->image >= 0 ? cJSON_AddStringToObject(j, "phrase", c->phrase) != NULL
			    : cJSON_AddNullToObject(j, "phrase") != NULL) &&
	     (ch = cJSON_AddObjectToObject(j, "channels")) != NULL &&
	     (*sms ? cJSON_AddStringToObject(ch, "sms", sms) : cJSON_AddNullToObject(ch, "sms")) != NULL &&
	     (*mail ? cJSON_AddStringToObject(ch, "email", mail) : cJSON_AddNullToObject(ch, "email")) != NULL;
	if (ok)
		return j;
fail:
	cJSON_Delete(j);
	return NULL;
}

void sim_post_account_lookup(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	cJSON *body = body_object(c, r);
	struct sim_acct_cust cu;
	char idt[4], idn[24];
	int rc;

	if (!body)
		return;
	if (read_id(body, r, idt, idn) == 0) {
		rc = sim_acct_cust_get(s->db, idt, idn, &cu);
		if (rc == 0)
			sim_reply_error(r, 404, "not_found", NULL);
		else if (rc < 0)
			reply_internal(r);
		else
			sim_reply_json(r, 200, lookup_json(&cu));
		explicit_bzero(&cu, sizeof cu);
	}
	cJSON_Delete(body);
}

/* The session slot for (session, customer): found, or a free/oldest one taken for it. The
 * caller holds a->mu. */
static struct otp_session *session_slot(struct sim_acct *a, const char *sid, const char *idt, const char *idn,
					int create)
{
	struct otp_session *oldest = &a->sess[0];

	for (int i = 0; i < SESSIONS_MAX; i++) {
		struct otp_session *x = &a->sess[i];

		if (x->session[0] && strcmp(x->session, sid) == 0 && strcmp(x->idt, idt) == 0 &&
		    strcmp(x->idn, idn) == 0)
			return x;
		if (!x->session[0] || (oldest->session[0] && x->touched < oldest->touched))
			oldest = x;
	}
	if (!create)
		return NULL;
	memset(oldest, 0, sizeof *oldest);
	snprintf(oldest->session, sizeof oldest->session, "%s", sid);
	snprintf(oldest->idt, sizeof oldest->idt, "%s", idt);
	snprintf(oldest->idn, sizeof oldest->idn, "%s", idn);
	return oldest;
}

/* Six uniformly random digits from the CSPRNG. 0 or -1. */
static int new_code(char code[7])
{
	uint32_t v;

	do {
		if (sim_acct_random(&v, sizeof v) < 0)
			return -1;
	} while (v >= UINT32_C(4294000000)); /* a multiple of 10^6: no modulo bias */
	snprintf(code, 7, "%06u", (unsigned)(v % 1000000u));
	return 0;
}

/* What a send decides under a->mu: 0 sent (*left, masked in sent_to), or an answer. */
static void send_locked(struct sim_acct *a, struct otp_session *x, const char *channel, const char *dest,
			int64_t now, struct sim_reply *r)
{
	cJSON *j;

	x->touched = now;
	if (x->locked) {
		sim_reply_error(r, 403, "locked", NULL);
		return;
	}
	if (x->sends >= OTP_SENDS) {
		sim_reply_error(r, 429, "too_many_sends", NULL);
		return;
	}
	if (x->sends > 0 && now - x->sent_at < OTP_RESEND_S) {
		int64_t wait = OTP_RESEND_S - (now - x->sent_at);

		j = cJSON_CreateObject();
		if (j && (!cJSON_AddStringToObject(j, "error", "too_soon") ||
			  jf_add_int(j, "retry_in", wait > OTP_RESEND_S ? OTP_RESEND_S : wait) < 0)) {
			cJSON_Delete(j);
			j = NULL;
		}
		sim_reply_json(r, 409, j);
		return;
	}
	if (new_code(x->code) < 0) {
		reply_internal(r);
		return;
	}
	x->sends++;
	x->sent_at = now;
	x->expires = now + OTP_VALID_S;
	x->used = 0;
	a->sends++;
	a->last.set = 1;
	a->last.at = now;
	memcpy(a->last.code, x->code, sizeof a->last.code);
	snprintf(a->last.channel, sizeof a->last.channel, "%s", channel);
	snprintf(a->last.sent_to, sizeof a->last.sent_to, "%s", dest);
	j = cJSON_CreateObject();
	if (j && (!cJSON_AddStringToObject(j, "sent_to", dest) || jf_add_int(j, "expires_in", OTP_VALID_S) < 0 ||
		  jf_add_int(j, "resend_after", OTP_RESEND_S) < 0 ||
		  jf_add_int(j, "sends_left", OTP_SENDS - x->sends) < 0)) {
		cJSON_Delete(j);
		j = NULL;
	}
	sim_reply_json(r, 200, j);
}

void sim_post_otp_send(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	cJSON *body = body_object(c, r);
	struct sim_acct_cust cu;
	const char *sid_text, *channel;
	char idt[4], idn[24], sid[37], dest[MASKED_MAX];
	int rc;

	memset(&cu, 0, sizeof cu);
	if (!body)
		return;
	if (read_id(body, r, idt, idn) < 0 || !(sid_text = sim_acct_str(body, "session", 36, r)) ||
	    !(channel = sim_acct_str(body, "channel", 5, r)))
		goto out;
	if (sim_key_parse(sid_text, sid) < 0) {
		sim_reply_error(r, 400, "bad_request", "session: must be a UUIDv4");
		goto out;
	}
	if (strcmp(channel, "sms") != 0 && strcmp(channel, "email") != 0) {
		sim_reply_error(r, 400, "bad_request", "channel: must be \"sms\" or \"email\"");
		goto out;
	}
	rc = sim_acct_cust_get(s->db, idt, idn, &cu);
	if (rc < 0) {
		reply_internal(r);
		goto out;
	}
	if (rc == 0 || !cu.account) {
		sim_reply_error(r, 404, "not_found", NULL);
		goto out;
	}
	if (channel[0] == 's')
		sim_acct_mask_phone(cu.phone, dest, sizeof dest);
	else
		sim_acct_mask_email(cu.email, dest, sizeof dest);
	if (!dest[0]) {
		sim_reply_error(r, 409, "no_channel", NULL);
		goto out;
	}
	pthread_mutex_lock(&s->acct->mu);
	send_locked(s->acct, session_slot(s->acct, sid, idt, idn, 1), channel, dest, c->now, r);
	pthread_mutex_unlock(&s->acct->mu);
out:
	explicit_bzero(&cu, sizeof cu);
	cJSON_Delete(body);
}

static int code_equal(const char *a, const char *b)
{
	unsigned diff = 0;

	for (int i = 0; i < 6; i++)
		diff |= (unsigned)(a[i] ^ b[i]);
	return diff == 0;
}

/* A new token for the customer, in hex. The caller holds a->mu. 0 or -1. */
static int token_new(struct sim_acct *a, const char *idt, const char *idn, int64_t now, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	struct token *slot = &a->tok[0];
	unsigned char raw[32];

	if (sim_acct_random(raw, sizeof raw) < 0)
		return -1;
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[raw[i] >> 4];
		hex[2 * i + 1] = digits[raw[i] & 15];
	}
	hex[64] = '\0';
	for (int i = 0; i < TOKENS_MAX; i++)
		if (!a->tok[i].hex[0] || a->tok[i].expires < slot->expires)
			slot = &a->tok[i];
	memcpy(slot->hex, hex, 65);
	snprintf(slot->idt, sizeof slot->idt, "%s", idt);
	snprintf(slot->idn, sizeof slot->idn, "%s", idn);
	slot->expires = now + TOKEN_VALID_S;
	return 0;
}

static void verify_locked(struct sim_acct *a, struct otp_session *x, const char *code, int64_t now,
			  struct sim_reply *r)
{
	char token[65];
	cJSON *j;

	if (x && x->locked) {
		sim_reply_error(r, 403, "locked", NULL);
		return;
	}
	if (!x || !x->sends || x->used || now >= x->expires) {
		sim_reply_error(r, 403, "expired", NULL);
		return;
	}
	x->touched = now;
	if (!code_equal(code, x->code)) {
		a->wrong++;
		if (++x->wrong >= OTP_TRIES) {
			x->locked = 1;
			explicit_bzero(x->code, sizeof x->code);
			a->locked++;
			sim_reply_error(r, 403, "locked", NULL);
			return;
		}
		j = cJSON_CreateObject();
		if (j && (!cJSON_AddStringToObject(j, "error", "wrong_code") ||
			  jf_add_int(j, "tries_left", OTP_TRIES - x->wrong) < 0)) {
			cJSON_Delete(j);
			j = NULL;
		}
		sim_reply_json(r, 403, j);
		return;
	}
	if (token_new(a, x->idt, x->idn, now, token) < 0) {
		reply_internal(r);
		return;
	}
	x->used = 1; /* a code opens one session */
	explicit_bzero(x->code, sizeof x->code);
	a->verified++;
	j = cJSON_CreateObject();
	if (j && (!cJSON_AddStringToObject(j, "token", token) || jf_add_int(j, "expires_in", TOKEN_VALID_S) < 0)) {
		cJSON_Delete(j);
		j = NULL;
	}
	explicit_bzero(token, sizeof token);
	sim_reply_json(r, 200, j);
}

void sim_post_otp_verify(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	cJSON *body = body_object(c, r);
	const char *sid_text, *code;
	char idt[4], idn[24], sid[37];

	if (!body)
		return;
	if (read_id(body, r, idt, idn) < 0 || !(sid_text = sim_acct_str(body, "session", 36, r)) ||
	    !(code = sim_acct_str(body, "code", 6, r)))
		goto out;
	if (sim_key_parse(sid_text, sid) < 0) {
		sim_reply_error(r, 400, "bad_request", "session: must be a UUIDv4");
		goto out;
	}
	if (strlen(code) != 6 || strspn(code, "0123456789") != 6) {
		sim_reply_error(r, 400, "bad_request", "code: must be 6 digits");
		goto out;
	}
	pthread_mutex_lock(&s->acct->mu);
	verify_locked(s->acct, session_slot(s->acct, sid, idt, idn, 0), code, c->now, r);
	pthread_mutex_unlock(&s->acct->mu);
out:
	cJSON_Delete(body);
}

cJSON *sim_acct_begin(struct sim *s, const struct sim_call *c, struct sim_reply *r, char idt[4], char idn[24])
{
	cJSON *body = body_object(c, r);
	const char *token;
	int found = 0;

	if (!body)
		return NULL;
	token = sim_acct_str(body, "token", 128, r);
	if (!token) {
		cJSON_Delete(body);
		return NULL;
	}
	pthread_mutex_lock(&s->acct->mu);
	for (int i = 0; i < TOKENS_MAX && !found; i++) {
		struct token *t = &s->acct->tok[i];

		if (t->hex[0] && strcmp(t->hex, token) == 0 && c->now < t->expires) {
			snprintf(idt, 4, "%s", t->idt);
			snprintf(idn, 24, "%s", t->idn);
			found = 1;
		}
	}
	pthread_mutex_unlock(&s->acct->mu);
	if (!found) {
		sim_reply_error(r, 401, "bad_token", NULL);
		cJSON_Delete(body);
		return NULL;
	}
	return body;
}

void sim_post_account_security(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	char idt[4], idn[24], msg[80];
	cJSON *body = sim_acct_begin(s, c, r, idt, idn), *j;
	struct jf jv = {NULL, msg, sizeof msg, -1};
	const char *phrase;
	int64_t image;

	if (!body)
		return;
	if (jf_int(&jv, body, "", "image", 0, IMAGES - 1, &image) < 0) {
		sim_reply_error(r, 400, "bad_request", msg);
	} else if (!(phrase = sim_acct_str(body, "phrase", 240, r))) {
		/* answered */
	} else if (!sim_acct_phrase_ok(phrase)) {
		sim_reply_error(r, 400, "bad_phrase", NULL);
	} else if (sim_acct_cust_update(s->db,
					"UPDATE sim_acct_customers SET image = ?3, phrase = ?4"
					" WHERE id_type = ?1 AND id_number = ?2",
					idt, idn, (int)image, phrase) < 0) {
		reply_internal(r);
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

void sim_post_account_register(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	cJSON *body = body_object(c, r);
	struct sim_acct_cust cu;
	const char *email, *phone;
	char idt[4], idn[24];
	int rc;

	memset(&cu, 0, sizeof cu);
	if (!body)
		return;
	if (read_id(body, r, idt, idn) < 0 || !(email = sim_acct_str(body, "email", 254, r)) ||
	    !(phone = sim_acct_str(body, "phone", 10, r)))
		goto out;
	if (!sim_acct_email_ok(email) || !sim_acct_phone_ok(phone)) {
		sim_reply_error(r, 400, "bad_request",
				"email, phone: an e-mail address and a 10-digit mobile starting with 3");
		goto out;
	}
	rc = sim_acct_cust_get(s->db, idt, idn, &cu);
	if (rc < 0) {
		reply_internal(r);
	} else if (rc == 0) {
		sim_reply_error(r, 404, "not_found", NULL);
	} else if (cu.account) {
		sim_reply_error(r, 409, "already_registered", NULL);
	} else if (strcasecmp(email, cu.email) != 0 || strcmp(phone, cu.phone) != 0) {
		sim_reply_error(r, 409, "mismatch", NULL);
	} else if (sim_acct_cust_update(s->db,
					"UPDATE sim_acct_customers SET account = 1, image = NULL, phrase = NULL"
					" WHERE id_type = ?1 AND id_number = ?2 AND ?3 = ?3",
					idt, idn, 0, NULL) < 0) {
		reply_internal(r);
	} else {
		cu.account = 1;
		cu.image = -1;
		sim_reply_json(r, 200, lookup_json(&cu));
	}
out:
	explicit_bzero(&cu, sizeof cu);
	cJSON_Delete(body);
}

void sim_post_account_products(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	char idt[4], idn[24];
	cJSON *body = sim_acct_begin(s, c, r, idt, idn), *j = NULL, *list;
	sqlite3_stmt *st;
	int step = SQLITE_ERROR;

	if (!body)
		return;
	cJSON_Delete(body);
	j = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(j, "products");
	pthread_mutex_lock(&s->db->mu);
	st = sim_db_prepare(s->db, "SELECT product, line, description, currency, balance FROM sim_acct_products"
				   " WHERE id_type = ?1 AND id_number = ?2 ORDER BY idx LIMIT 50");
	if (st && list) {
		sqlite3_bind_text(st, 1, idt, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, idn, -1, SQLITE_STATIC);
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			cJSON *p = sim_json_push_object(list);

			if (!p || sim_db_add_text(p, "id", st, 0) < 0 || sim_db_add_text(p, "line", st, 1) < 0 ||
			    sim_db_add_text(p, "description", st, 2) < 0 ||
			    sim_db_add_text(p, "currency", st, 3) < 0 ||
			    jf_add_int(p, "balance", sqlite3_column_int64(st, 4)) < 0) {
				step = SQLITE_ERROR;
				break;
			}
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->db->mu);
	if (step != SQLITE_DONE) {
		cJSON_Delete(j);
		reply_internal(r);
		return;
	}
	sim_reply_json(r, 200, j);
}

void sim_admin_otp(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	cJSON *j;
	char at[32];

	(void)c;
	pthread_mutex_lock(&s->acct->mu);
	if (!s->acct->last.set) {
		pthread_mutex_unlock(&s->acct->mu);
		sim_reply_error(r, 404, "not_found", NULL);
		return;
	}
	sim_time_format(s->acct->last.at, at);
	j = cJSON_CreateObject();
	if (j && (!cJSON_AddStringToObject(j, "code", s->acct->last.code) ||
		  !cJSON_AddStringToObject(j, "channel", s->acct->last.channel) ||
		  !cJSON_AddStringToObject(j, "sent_to", s->acct->last.sent_to) ||
		  !cJSON_AddStringToObject(j, "at", at))) {
		cJSON_Delete(j);
		j = NULL;
	}
	pthread_mutex_unlock(&s->acct->mu);
	sim_reply_json(r, 200, j);
}

/* {"otp":{"sends","verified","wrong","locked"},"customers":[…],"coupon_emails":[…]} */
void sim_admin_account(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	cJSON *j = cJSON_CreateObject(), *otp = cJSON_AddObjectToObject(j, "otp");
	cJSON *cust = cJSON_AddArrayToObject(j, "customers"), *mails = cJSON_AddArrayToObject(j, "coupon_emails");
	sqlite3_stmt *a = NULL, *b = NULL;
	int ok = otp && cust && mails, step = SQLITE_DONE;

	(void)c;
	pthread_mutex_lock(&s->acct->mu);
	ok = ok && jf_add_int(otp, "sends", (int64_t)s->acct->sends) == 0 &&
	     jf_add_int(otp, "verified", (int64_t)s->acct->verified) == 0 &&
	     jf_add_int(otp, "wrong", (int64_t)s->acct->wrong) == 0 &&
	     jf_add_int(otp, "locked", (int64_t)s->acct->locked) == 0;
	pthread_mutex_unlock(&s->acct->mu);
	pthread_mutex_lock(&s->db->mu);
	a = sim_db_prepare(s->db, "SELECT id_type, id_number, account, image IS NOT NULL, phone, email,"
				  " address IS NOT NULL, contact_updates FROM sim_acct_customers"
				  " ORDER BY id_type, id_number");
	b = sim_db_prepare(s->db, "SELECT reference, kiosk_id, seq, lang, count FROM sim_acct_coupon_emails"
				  " ORDER BY reference");
	ok = ok && a && b;
	while (ok && (step = sqlite3_step(a)) == SQLITE_ROW) {
		cJSON *o = sim_json_push_object(cust);
		char sms[MASKED_MAX], mail[MASKED_MAX];

		sim_acct_mask_phone((const char *)sqlite3_column_text(a, 4), sms, sizeof sms);
		sim_acct_mask_email((const char *)sqlite3_column_text(a, 5), mail, sizeof mail);
		ok = o && sim_db_add_text(o, "id_type", a, 0) == 0 && sim_db_add_text(o, "id_number", a, 1) == 0 &&
		     cJSON_AddBoolToObject(o, "account", sqlite3_column_int(a, 2)) &&
		     cJSON_AddBoolToObject(o, "security", sqlite3_column_int(a, 3)) &&
		     cJSON_AddStringToObject(o, "sms", sms) && cJSON_AddStringToObject(o, "email", mail) &&
		     cJSON_AddBoolToObject(o, "address", sqlite3_column_int(a, 6)) &&
		     jf_add_int(o, "contact_updates", sqlite3_column_int64(a, 7)) == 0;
	}
	ok = ok && step == SQLITE_DONE;
	while (ok && (step = sqlite3_step(b)) == SQLITE_ROW) {
		cJSON *o = sim_json_push_object(mails);

		ok = o && sim_db_add_text(o, "reference", b, 0) == 0 &&
		     jf_add_int(o, "kiosk_id", sqlite3_column_int64(b, 1)) == 0 &&
		     jf_add_int(o, "seq", sqlite3_column_int64(b, 2)) == 0 && sim_db_add_text(o, "lang", b, 3) == 0 &&
		     jf_add_int(o, "count", sqlite3_column_int64(b, 4)) == 0;
	}
	ok = ok && step == SQLITE_DONE;
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	pthread_mutex_unlock(&s->db->mu);
	if (!ok) {
		cJSON_Delete(j);
		reply_internal(r);
		return;
	}
	sim_reply_json(r, 200, j);
}
