/* api_account_parse — strict parsers of the account services' answers
 * (docs/account-services.md "Central API"): every field typed and bounded, lists bounded by
 * api_account.h's maxima, contact data only masked (account_masked_ok), a refusal's figures
 * in range. Like api_parse.c they never quote a value in a message and need neither curl nor
 * OpenSSL (the fuzzer builds this file). Copies of a body that may hold a token are wiped. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_account_internal.h"
#include "api_internal.h"
#include "json_field.h"
#include "money.h"

#define ACC_SECONDS_MAX 86400 /* expires_in, resend_after, retry_in */

/* Every string of the tree wiped, before cJSON_Delete frees it. */
static void wipe_tree(cJSON *n)
{
	for (; n; n = n->next) {
		if (n->valuestring)
			explicit_bzero(n->valuestring, strlen(n->valuestring));
		wipe_tree(n->child);
	}
}

static void drop(cJSON *root, int secret)
{
	if (secret)
		wipe_tree(root);
	cJSON_Delete(root);
}

/* The body as one JSON object (as api_json_object), the NUL-terminated copy cJSON reads wiped
 * when secret. */
static cJSON *object_of(struct jf *c, const char *body, size_t len, int secret)
{
	const char *end = NULL;
	cJSON *root;
	char *copy;

	if (!secret)
		return api_json_object(c, body, len);
	if (!body || len == 0 || len > API_BODY_MAX || memchr(body, '\0', len)) {
		jf_fail(c, "empty, too large or not text");
		return NULL;
	}
	if (!(copy = malloc(len + 1))) {
		jf_fail(c, "out of memory reading the answer");
		return NULL;
	}
	memcpy(copy, body, len);
	copy[len] = '\0';
	root = cJSON_ParseWithLengthOpts(copy, len + 1, &end, 1);
	explicit_bzero(copy, len);
	free(copy);
	if (!root) {
		jf_fail(c, "not valid JSON");
		return NULL;
	}
	if (!cJSON_IsObject(root)) {
		drop(root, 1);
		jf_fail(c, "the answer is not a JSON object");
		return NULL;
	}
	return root;
}

/* The "error" of a refusal, or "" (a body that is not an object: "" too). */
static void error_of(const cJSON *root, char *code, size_t n)
{
	const cJSON *e = jf_get(root, "error");

	code[0] = '\0';
	if (cJSON_IsString(e) && strlen(e->valuestring) < n)
		memcpy(code, e->valuestring, strlen(e->valuestring) + 1);
}

static int int_in(struct jf *c, const cJSON *o, const char *where, const char *key, int64_t min, int64_t max,
		  int *out)
{
	int64_t v;

	if (jf_int(c, o, where, key, min, max, &v) < 0)
		return c->rc;
	*out = (int)v;
	return 0;
}

int api_acc_masked(struct jf *c, const cJSON *o, const char *where, const char *key, int phone, int nullable,
		  char dst[ACCOUNT_MASKED_MAX])
{
	const cJSON *v = jf_get(o, key);

	dst[0] = '\0';
	if (nullable && cJSON_IsNull(v))
		return 0;
	if (jf_text(c, o, where, key, dst, ACCOUNT_MASKED_MAX, JF_NONEMPTY) < 0)
		return c->rc;
	if (!account_masked_ok(dst) || (phone >= 0 && (phone != 0) != (dst[0] == '*'))) {
		dst[0] = '\0';
		return jf_fail(c, "%s%s: must be a masked %s", where, key, phone ? "phone" : "e-mail");
	}
	return 0;
}

static int channels(struct jf *c, const cJSON *root, struct api_acc_lookup *out)
{
	const cJSON *ch;

	if (jf_object(c, root, "", "channels", &ch) < 0 || api_acc_masked(c, ch, "channels.", "sms", 1, 1, out->sms) < 0 ||
	    api_acc_masked(c, ch, "channels.", "email", 0, 1, out->email) < 0)
		return c->rc;
	return 0;
}

int api_acc_code(struct jf *c, const cJSON *o, const char *where, const char *key, char *dst, size_t cap)
{
	if (jf_text(c, o, where, key, dst, cap, JF_NONEMPTY) < 0)
		return c->rc;
	for (const char *p = dst; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '-')) {
			dst[0] = '\0';
			return jf_fail(c, "%s%s: must be letters, digits or '-'", where, key);
		}
	return 0;
}

int api_acc_currency(struct jf *c, const cJSON *o, const char *where, const char *key, char dst[4])
{
	enum currency cur;

	if (jf_text(c, o, where, key, dst, 4, JF_NONEMPTY) < 0)
		return c->rc;
	if (currency_parse(dst, &cur) != 0 || strcmp(dst, currency_code(cur)) != 0) {
		dst[0] = '\0';
		return jf_fail(c, "%s%s: must be COP or USD", where, key);
	}
	return 0;
}

static int lookup_common(int status, const char *body, size_t len, struct api_acc_lookup *out, char *err,
			 size_t errn, int registered)
{
	struct jf c = {registered ? "register" : "lookup", err, errn, API_ERR_PROTOCOL};
	char ecode[32];
	const cJSON *v;
	cJSON *root;
	int rc = API_ERR_PROTOCOL, acc;

	if (errn)
		err[0] = '\0';
	memset(out, 0, sizeof *out);
	out->image = -1;
	root = object_of(&c, body, len, 1); /* the security phrase: its copies wiped */
	if (!root)
		return API_ERR_PROTOCOL;
	if (status != 200) {
		error_of(root, ecode, sizeof ecode);
		if (!registered && status == 404 && strcmp(ecode, "not_found") == 0)
			rc = API_NOT_FOUND;
		else if (registered && status == 409 && strcmp(ecode, "mismatch") == 0)
			rc = API_ACC_MISMATCH;
		else if (registered && status == 409 && strcmp(ecode, "already_registered") == 0)
			rc = API_ACC_REGISTERED;
		else
			jf_fail(&c, "unexpected refusal (HTTP %d)", status);
		goto out;
	}
	if (jf_bool(&c, root, "", "account", &acc) < 0)
		goto out;
	if (!acc) {
		if (registered)
			jf_fail(&c, "account: must be true");
		else
			rc = API_ACC_NO_ACCOUNT;
		goto out;
	}
	if (!registered) {
		v = jf_get(root, "image");
		if (!cJSON_IsNull(v) && int_in(&c, root, "", "image", 0, ACCOUNT_IMAGES - 1, &out->image) < 0)
			goto out;
		v = jf_get(root, "phrase");
		if (!cJSON_IsNull(v)) {
			char norm[sizeof out->phrase];

			if (jf_text(&c, root, "", "phrase", out->phrase, sizeof out->phrase, JF_NONEMPTY) < 0)
				goto out;
			/* the phrase as the kiosk would have taken it, nothing to trim */
			if (account_phrase_parse(out->phrase, norm, sizeof norm) != ACCOUNT_OK ||
			    strcmp(norm, out->phrase) != 0) {
				jf_fail(&c, "phrase: not a security phrase");
				goto out;
			}
		}
	}
	if (channels(&c, root, out) < 0)
		goto out;
	out->account = 1;
	rc = API_OK;
out:
	cJSON_Delete(root);
	if (rc != API_OK) {
		memset(out, 0, sizeof *out);
		out->image = -1;
	}
	return rc;
}

int api_parse_acc_lookup(int status, const char *body, size_t len, struct api_acc_lookup *out, char *err, size_t errn)
{
	return lookup_common(status, body, len, out, err, errn, 0);
}

int api_parse_acc_registered(int status, const char *body, size_t len, struct api_acc_lookup *out, char *err,
			     size_t errn)
{
	return lookup_common(status, body, len, out, err, errn, 1);
}

int api_parse_acc_sent(int status, const char *body, size_t len, struct api_acc_sent *out, char *err, size_t errn)
{
	struct jf c = {"otp send", err, errn, API_ERR_PROTOCOL};
	char ecode[32];
	cJSON *root;
	int rc = API_ERR_PROTOCOL, retry = 0;

	if (errn)
		err[0] = '\0';
	memset(out, 0, sizeof *out);
	root = object_of(&c, body, len, 0);
	if (!root)
		return API_ERR_PROTOCOL;
	if (status != 200) {
		error_of(root, ecode, sizeof ecode);
		if (status == 429 && strcmp(ecode, "too_many_sends") == 0)
			rc = API_ACC_TOO_MANY;
		else if (status == 409 && strcmp(ecode, "too_soon") == 0 &&
			 int_in(&c, root, "", "retry_in", 1, ACC_SECONDS_MAX, &retry) == 0)
			rc = API_ACC_TOO_SOON;
		else if (!err || !err[0])
			jf_fail(&c, "unexpected refusal (HTTP %d)", status);
		goto out;
	}
	if (api_acc_masked(&c, root, "", "sent_to", -1, 0, out->sent_to) < 0 ||
	    int_in(&c, root, "", "expires_in", 1, ACC_SECONDS_MAX, &out->expires_in) < 0 ||
	    int_in(&c, root, "", "resend_after", 1, ACC_SECONDS_MAX, &out->resend_after) < 0 ||
	    int_in(&c, root, "", "sends_left", 0, ACCOUNT_OTP_SENDS, &out->sends_left) < 0)
		goto out;
	rc = API_OK;
out:
	cJSON_Delete(root);
	if (rc != API_OK)
		memset(out, 0, sizeof *out);
	out->retry_in = rc == API_ACC_TOO_SOON ? retry : 0;
	return rc;
}

int api_acc_token_ok(const char *token)
{
	size_t n = token ? strnlen(token, API_ACC_TOKEN_MAX) : 0;

	if (n < 1 || n >= API_ACC_TOKEN_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = token[i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		      strchr("._~+/=-", ch)))
			return 0;
	}
	return 1;
}

int api_parse_acc_verified(int status, const char *body, size_t len, struct api_acc_verified *out, char *err,
			   size_t errn)
{
	struct jf c = {"otp verify", err, errn, API_ERR_PROTOCOL};
	char ecode[32];
	const cJSON *t;
	cJSON *root;
	int rc = API_ERR_PROTOCOL, tries = 0;

	if (errn)
		err[0] = '\0';
	explicit_bzero(out, sizeof *out);
	root = object_of(&c, body, len, 1);
	if (!root)
		return API_ERR_PROTOCOL;
	if (status != 200) {
		error_of(root, ecode, sizeof ecode);
		if (status == 403 && strcmp(ecode, "wrong_code") == 0 &&
		    int_in(&c, root, "", "tries_left", 0, ACCOUNT_OTP_TRIES, &tries) == 0)
			rc = API_ACC_WRONG_CODE;
		else if (status == 403 && strcmp(ecode, "locked") == 0)
			rc = API_ACC_LOCKED;
		else if (status == 403 && strcmp(ecode, "expired") == 0)
			rc = API_ACC_EXPIRED;
		else if (!err || !err[0])
			jf_fail(&c, "unexpected refusal (HTTP %d)", status);
		goto out;
	}
	t = jf_get(root, "token");
	if (!cJSON_IsString(t)) {
		jf_fail(&c, "token: missing or not a string");
		goto out;
	}
	if (!api_acc_token_ok(t->valuestring)) {
		jf_fail(&c, "token: must be 1..%d bytes of [A-Za-z0-9._~+/=-]", API_ACC_TOKEN_MAX - 1);
		goto out;
	}
	memcpy(out->token, t->valuestring, strlen(t->valuestring) + 1);
	if (int_in(&c, root, "", "expires_in", 1, ACC_SECONDS_MAX, &out->expires_in) < 0)
		goto out;
	rc = API_OK;
out:
	drop(root, 1);
	if (rc != API_OK)
		explicit_bzero(out, sizeof *out);
	out->tries_left = rc == API_ACC_WRONG_CODE ? tries : 0;
	return rc;
}

int api_parse_acc_ok(const char *body, size_t len, char *err, size_t errn)
{
	struct jf c = {"security", err, errn, API_ERR_PROTOCOL};
	cJSON *root;
	int ok = 0, rc = API_ERR_PROTOCOL;

	if (errn)
		err[0] = '\0';
	root = object_of(&c, body, len, 0);
	if (!root)
		return API_ERR_PROTOCOL;
	if (jf_bool(&c, root, "", "ok", &ok) == 0) {
		if (ok)
			rc = API_OK;
		else
			jf_fail(&c, "ok: must be true");
	}
	cJSON_Delete(root);
	return rc;
}
