/* api_agents — POST /v1/agents/login (docs/api/contract.md): the body that carries an
 * agent's password, sent and wiped; the answer's strict parser is api_agents_parse.c's. A
 * refusal (403 invalid_credentials) is API_DENIED, mapped by the transport (api_http.c). */
#include <stdio.h>
#include <string.h>

#include "api_http.h"
#include "api_internal.h"

/* 1..16 ASCII letters and digits: nothing to escape in JSON. */
static int code_ok(const char *code)
{
	size_t n = code ? strlen(code) : 0;

	if (n < 1 || n > 16)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((code[i] >= '0' && code[i] <= '9') || (code[i] >= 'A' && code[i] <= 'Z') ||
		      (code[i] >= 'a' && code[i] <= 'z')))
			return 0;
	return 1;
}

/* {"agent":CODE,"password":PASSWORD} written by hand into buf, so the password is in exactly
 * one buffer the caller wipes (a cJSON tree would leave copies in freed memory). The password
 * has no control characters (the caller's check); '"' and '\' are escaped. -1 if it does not
 * fit or is not 1..64 bytes. */
static int login_body(char *buf, size_t cap, const char *code, const char *password, size_t *len)
{
	size_t o, n = password ? strnlen(password, 65) : 0;
	int w = snprintf(buf, cap, "{\"agent\":\"%s\",\"password\":\"", code);

	if (w < 0 || (size_t)w >= cap || n < 1 || n > 64)
		return -1;
	o = (size_t)w;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)password[i];

		if (ch < 0x20 || ch == 0x7f || o + 4 >= cap)
			return -1;
		if (ch == '"' || ch == '\\')
			buf[o++] = '\\';
		buf[o++] = (char)ch;
	}
	buf[o++] = '"';
	buf[o++] = '}';
	buf[o] = '\0';
	*len = o;
	return 0;
}

int api_agent_login(struct api *a, const char *code, const char *password, long timeout_ms,
		    struct api_agent_login *out)
{
	char body[256], perr[200];
	size_t len = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if (!code_ok(code) || login_body(body, sizeof body, code, password, &len) < 0) {
		explicit_bzero(body, sizeof body);
		return api_fail(a, API_ERR_PROTOCOL, "agents login: not a valid agent code and password");
	}
	rc = api_exchange(a, "agents login", "POST", "/v1/agents/login", body, len, timeout_ms, 0);
	explicit_bzero(body, sizeof body);
	if (rc == API_OK) {
		rc = api_parse_agent_login(a->body, a->len, out, perr, sizeof perr);
		if (rc != API_OK) {
			api_fail(a, rc, "%s", perr);
		} else if (strcmp(out->agent, code) != 0) {
			api_agent_login_free(out);
			rc = api_fail(a, API_ERR_PROTOCOL, "agents login: the answer is for another agent");
		} else if (out->server_time > 0) {
			a->server_time = out->server_time;
		}
	}
	/* the answer names the agent and its clients: not kept in the handle's buffer */
	if (a->body)
		explicit_bzero(a->body, a->len);
	return api_done(a, rc);
}
