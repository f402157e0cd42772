/* api_account — the account services' routes (api_account.h, docs/account-services.md): each
 * a signed POST whose JSON body is written by hand into one stack buffer, wiped once sent (it
 * holds an id number, a token, a code or a phrase; a cJSON tree would leave copies in freed
 * memory). Every value is checked before it goes in, and what is checked needs no escaping.
 * The refusals the design note lists are answers, read by api_account_parse.c's parsers; the
 * answer buffer is wiped after each call (it names the customer's products or holds a token). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api_account_internal.h"
#include "api_http.h"
#include "api_internal.h"

#define BODY_MAX 1024

/* The body, printf-style; -1 if it does not fit (the buffer is wiped then too). */
static int body_printf(char *buf, size_t cap, size_t *len, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int body_printf(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= cap) {
		explicit_bzero(buf, cap);
		*len = 0;
		return -1;
	}
	*len = (size_t)w;
	return 0;
}

static int id_ok(enum id_type t, const char *number)
{
	return (int)t >= 0 && t < ID_TYPE_COUNT && number && strlen(number) < 24 && id_validate(t, number, -1) == ID_OK;
}

/* A UUID in lowercase hex: 8-4-4-4-12. */
static int session_ok(const char *s)
{
	if (!s || strlen(s) != API_ACC_SESSION_LEN)
		return 0;
	for (int i = 0; i < API_ACC_SESSION_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
			return 0;
		}
	}
	return 1;
}

/* A product or certificate code: 1..32 letters, digits and '-'. */
static int product_ok(const char *p)
{
	size_t n = p ? strlen(p) : 0;

	if (n < 1 || n >= ACCOUNT_PRODUCT_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z') ||
		      p[i] == '-'))
			return 0;
	return 1;
}

static const char *const NO_CODES[] = {"bad_token", NULL};

/* The exchange, the body wiped whatever happened; *http set on API_OK. */
static int post(struct api *a, const char *what, const char *path, char *body, size_t len, long timeout_ms,
		const char *const *codes, long *http)
{
	int rc = api_exchange_answer(a, what, "POST", path, body, len, timeout_ms, codes, http);

	explicit_bzero(body, BODY_MAX);
	return rc;
}

/* The end of every call: the answer wiped; the reason set for what the parser said or a
 * refusal (a transport failure keeps the transport's). */
static int finish(struct api *a, const char *what, int rc, const char *perr)
{
	if (a->body)
		explicit_bzero(a->body, a->len);
	if (perr && perr[0])
		api_fail(a, rc, "%s", perr);
	else if (rc == API_NOT_FOUND || rc >= API_ACC_NO_ACCOUNT)
		api_fail(a, rc, "%s: refused (%d)", what, rc);
	return api_done(a, rc);
}

/* 401 bad_token on a service route: the session is over. */
static int token_refused(struct api *a, const char *what, long http)
{
	if (http != 401)
		return 0;
	finish(a, what, API_ACC_BAD_TOKEN, NULL);
	return 1;
}

int api_acc_lookup(struct api *a, enum id_type t, const char *number, long timeout_ms, struct api_acc_lookup *out)
{
	static const char *const codes[] = {"not_found", NULL};
	char body[BODY_MAX], perr[200] = "";
	size_t len;
	long http;
	int rc;

	memset(out, 0, sizeof *out);
	out->image = -1;
	if (!id_ok(t, number) ||
	    body_printf(body, sizeof body, &len, "{\"id_type\":\"%s\",\"id_number\":\"%s\"}", id_type_code(t), number) < 0)
		return api_fail(a, API_ERR_PROTOCOL, "account lookup: not a valid number for the document type");
	a->redact = number;
	rc = post(a, "account lookup", "/v1/account/lookup", body, len, timeout_ms, codes, &http);
	if (rc == API_OK)
		rc = api_parse_acc_lookup((int)http, a->body, a->len, out, perr, sizeof perr);
	return finish(a, "account lookup", rc, perr);
}

int api_otp_send(struct api *a, enum id_type t, const char *number, const char *session, enum api_channel ch,
		 long timeout_ms, struct api_acc_sent *out)
{
	static const char *const codes[] = {"too_many_sends", "too_soon", NULL};
	char body[BODY_MAX], perr[200] = "";
	size_t len;
	long http;
	int rc;

	memset(out, 0, sizeof *out);
	if (!id_ok(t, number) || !session_ok(session) || (ch != API_CH_SMS && ch != API_CH_EMAIL) ||
	    body_printf(body, sizeof body, &len,
			"{\"id_type\":\"%s\",\"id_number\":\"%s\",\"session\":\"%s\",\"channel\":\"%s\"}",
			id_type_code(t), number, session, ch == API_CH_SMS ? "sms" : "email") < 0)
		return api_fail(a, API_ERR_PROTOCOL, "otp send: not a valid customer, session or channel");
	a->redact = number;
	rc = post(a, "otp send", "/v1/otp/send", body, len, timeout_ms, codes, &http);
	if (rc == API_OK)
		rc = api_parse_acc_sent((int)http, a->body, a->len, out, perr, sizeof perr);
	return finish(a, "otp send", rc, perr);
}

int api_otp_verify(struct api *a, enum id_type t, const char *number, const char *session, const char *code,
		   long timeout_ms, struct api_acc_verified *out)
{
	static const char *const codes[] = {"wrong_code", "locked", "expired", NULL};
	char body[BODY_MAX], perr[200] = "";
	size_t len;
	long http;
	int rc;

	explicit_bzero(out, sizeof *out);
	if (!id_ok(t, number) || !session_ok(session) || !account_otp_ok(code) ||
	    body_printf(body, sizeof body, &len,
			"{\"id_type\":\"%s\",\"id_number\":\"%s\",\"session\":\"%s\",\"code\":\"%s\"}",
			id_type_code(t), number, session, code) < 0)
		return api_fail(a, API_ERR_PROTOCOL, "otp verify: not a valid customer, session or code");
	a->redact = number;
	rc = post(a, "otp verify", "/v1/otp/verify", body, len, timeout_ms, codes, &http);
	if (rc == API_OK)
		rc = api_parse_acc_verified((int)http, a->body, a->len, out, perr, sizeof perr);
	return finish(a, "otp verify", rc, perr);
}

int api_acc_security(struct api *a, const char *token, int image, const char *phrase, long timeout_ms)
{
	static const char *const codes[] = {"bad_token", "bad_phrase", NULL};
	char body[BODY_MAX], norm[ACCOUNT_PHRASE_MAX * 4 + 1], perr[200] = "";
	size_t len;
	long http;
	int rc;

	/* the phrase as account_phrase_parse gives it: nothing in it to escape */
	if (!api_acc_token_ok(token) || image < 0 || image >= ACCOUNT_IMAGES || !phrase ||
	    account_phrase_parse(phrase, norm, sizeof norm) != ACCOUNT_OK || strcmp(norm, phrase) != 0 ||
	    body_printf(body, sizeof body, &len, "{\"token\":\"%s\",\"image\":%d,\"phrase\":\"%s\"}", token, image,
			phrase) < 0) {
		explicit_bzero(norm, sizeof norm);
		return api_fail(a, API_ERR_PROTOCOL, "security: not a valid token, image or phrase");
	}
	explicit_bzero(norm, sizeof norm);
	rc = post(a, "security", "/v1/account/security", body, len, timeout_ms, codes, &http);
	if (rc == API_OK && token_refused(a, "security", http))
		return API_ACC_BAD_TOKEN;
	if (rc == API_OK)
		rc = http == 400 ? API_ACC_REFUSED : api_parse_acc_ok(a->body, a->len, perr, sizeof perr);
	return finish(a, "security", rc, perr);
}

int api_acc_products(struct api *a, const char *token, long timeout_ms, struct api_acc_products *out)
{
	char body[BODY_MAX], perr[200] = "";
	size_t len;
	long http;
	int rc;

	memset(out, 0, sizeof *out);
	if (!api_acc_token_ok(token) || body_printf(body, sizeof body, &len, "{\"token\":\"%s\"}", token) < 0)
		return api_fail(a, API_ERR_PROTOCOL, "products: not a valid token");
	rc = post(a, "products", "/v1/account/products", body, len, timeout_ms, NO_CODES, &http);
	if (rc == API_OK && token_refused(a, "products", http))
		return API_ACC_BAD_TOKEN;
	if (rc == API_OK)
		rc = api_parse_acc_products(a->body, a->len, out, perr, sizeof perr);
	return finish(a, "products", rc, perr);
}

int api_acc_statement(struct api *a, const char *token, const char *product, int32_t month, int email,
		      long timeout_ms, struct api_acc_statement *out)
{
	static const char *const codes[] = {"bad_token", "not_found", NULL};
	char body[BODY_MAX], perr[200] = "";
	size_t len;
	long http;
	int rc;

	memset(out, 0, sizeof *out);
	if (!api_acc_token_ok(token) || !product_ok(product) || month < 200001 || month > 999912 || month % 100 < 1 ||
	    month % 100 > 12 ||
	    body_printf(body, sizeof body, &len,
			"{\"token\":\"%s\",\"product\":\"%s\",\"month\":\"%04d-%02d\",\"email\":%s}", token, product,
			(int)(month / 100), (int)(month % 100), email ? "true" : "false") < 0)
		return api_fail(a, API_ERR_PROTOCOL, "statement: not a valid token, product or month");
	rc = post(a, "statement", "/v1/account/statement", body, len, timeout_ms, codes, &http);
	if (rc == API_OK && token_refused(a, "statement", http))
		return API_ACC_BAD_TOKEN;
	if (rc == API_OK && http == 404)
		rc = API_NOT_FOUND;
	else if (rc == API_OK)
		rc = api_parse_acc_statement(a->body, a->len, out, perr, sizeof perr);
	if (rc == API_OK && (email ? !out->sent_to[0]
				   : (out->sent_to[0] || strcmp(out->product, product) != 0 || out->month != month))) {
		api_acc_statement_free(out);
		rc = API_ERR_PROTOCOL;
		snprintf(perr, sizeof perr, "statement: the answer is not the one asked for");
	}
	return finish(a, "statement", rc, perr);
}

int api_acc_certificate(struct api *a, const char *token, const char *product, enum id_type t, const char *number,
			const char *pubkey_pem, long timeout_ms, struct api_acc_certificate *out)
{
	char body[BODY_MAX], perr[200] = "", last4[5];
	size_t len, nl;
	long http;
	int rc;

	memset(out, 0, sizeof *out);
	if (!api_acc_token_ok(token) || !product_ok(product) || !id_ok(t, number) ||
	    body_printf(body, sizeof body, &len, "{\"token\":\"%s\",\"product\":\"%s\"}", token, product) < 0)
		return api_fail(a, API_ERR_PROTOCOL, "certificate: not a valid token, product or customer");
	rc = post(a, "certificate", "/v1/account/certificate", body, len, timeout_ms, NO_CODES, &http);
	if (rc == API_OK && token_refused(a, "certificate", http))
		return API_ACC_BAD_TOKEN;
	if (rc == API_OK)
		rc = api_parse_acc_certificate(a->body, a->len, out, perr, sizeof perr);
	if (rc == API_OK) {
		nl = strlen(number);
		snprintf(last4, sizeof last4, "%s", number + (nl > 4 ? nl - 4 : 0));
		if (strcmp(out->f.product, product) != 0 || strcmp(out->f.id_type, id_type_code(t)) != 0 ||
		    strcmp(out->f.id_last4, last4) != 0) {
			rc = API_ACC_BAD_SIGNATURE;
			snprintf(perr, sizeof perr, "certificate: not for this customer and product");
		} else if (api_acc_cert_verify(pubkey_pem, out->payload, out->signature, perr, sizeof perr) < 0) {
			rc = API_ACC_BAD_SIGNATURE;
		}
		explicit_bzero(last4, sizeof last4);
	}
	if (rc != API_OK)
		memset(out, 0, sizeof *out);
	if (rc == API_ACC_BAD_SIGNATURE) {
		if (a->body)
			explicit_bzero(a->body, a->len);
		api_fail(a, rc, "%s", perr);
		return api_done(a, rc);
	}
	return finish(a, "certificate", rc, perr);
}

int api_acc_history(struct api *a, const char *token, long timeout_ms, struct api_acc_history *out)
{
	char body[BODY_MAX], perr[200] = "";
	size_t len;
	long http;
	int rc;

	memset(out, 0, sizeof *out);
	if (!api_acc_token_ok(token) || body_printf(body, sizeof body, &len, "{\"token\":\"%s\"}", token) < 0)
		return api_fail(a, API_ERR_PROTOCOL, "history: not a valid token");
	rc = post(a, "history", "/v1/account/history", body, len, timeout_ms, NO_CODES, &http);
	if (rc == API_OK && token_refused(a, "history", http))
		return API_ACC_BAD_TOKEN;
	if (rc == API_OK)
		rc = api_parse_acc_history(a->body, a->len, out, perr, sizeof perr);
	return finish(a, "history", rc, perr);
}

int api_acc_register(struct api *a, enum id_type t, const char *number, const char *email, const char *phone,
		     long timeout_ms, struct api_acc_lookup *out)
{
	static const char *const codes[] = {"mismatch", "already_registered", NULL};
	char body[BODY_MAX], e[ACCOUNT_EMAIL_MAX + 1], p[ACCOUNT_PHONE_LEN + 1], perr[200] = "";
	size_t len;
	long http;
	int rc, ok;

	memset(out, 0, sizeof *out);
	out->image = -1;
	/* both as the kiosk's rules give them: nothing in them to escape */
	ok = id_ok(t, number) && email && phone && account_email_parse(email, e, sizeof e) == ACCOUNT_OK &&
	     strcmp(e, email) == 0 && account_phone_parse(phone, p, sizeof p) == ACCOUNT_OK && strcmp(p, phone) == 0 &&
	     body_printf(body, sizeof body, &len,
			 "{\"id_type\":\"%s\",\"id_number\":\"%s\",\"email\":\"%s\",\"phone\":\"%s\"}", id_type_code(t),
			 number, email, phone) == 0;
	explicit_bzero(e, sizeof e);
	explicit_bzero(p, sizeof p);
	if (!ok)
		return api_fail(a, API_ERR_PROTOCOL, "register: not a valid customer, e-mail or phone");
	a->redact = number;
	rc = post(a, "register", "/v1/account/register", body, len, timeout_ms, codes, &http);
	if (rc == API_OK)
		rc = api_parse_acc_registered((int)http, a->body, a->len, out, perr, sizeof perr);
	return finish(a, "register", rc, perr);
}
