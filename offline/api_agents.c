/* api_agents — POST /v1/agents/login (docs/api/contract.md "Agents"): the body that carries
 * an agent's password, and the strict parser of the answer (who, role, the clients assigned).
 * A refusal (403 invalid_credentials) is API_DENIED, mapped by the transport (api_http.c). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_http.h"
#include "api_internal.h"
#include "idnum.h"
#include "json_field.h"

void api_agent_login_free(struct api_agent_login *out)
{
	if (!out)
		return;
	free(out->clients);
	memset(out, 0, sizeof *out);
}

/* One client: id_type and id_number (a NIT as "base" or "base-DV", kept as its base). */
static int parse_client(struct jf *c, const cJSON *item, const char *where, struct api_agent_client *out)
{
	const char *type;
	char *dash;
	int dv = -1;

	if (!cJSON_IsObject(item))
		return jf_fail(c, "%s: must be an object", where);
	if (jf_string(c, item, where, "id_type", &type) < 0)
		return API_ERR_PROTOCOL;
	if (id_type_parse(type, &out->id_type) < 0)
		return jf_fail(c, "%s.id_type: must be one of CC, CE, NIT, PA, TI, PPT", where);
	if (jf_text(c, item, where, "id_number", out->id_number, sizeof out->id_number, JF_NONEMPTY | JF_PLAIN) < 0)
		return API_ERR_PROTOCOL;
	dash = strchr(out->id_number, '-');
	if (out->id_type == ID_NIT && dash) {
		if (dash[1] < '0' || dash[1] > '9' || dash[2] != '\0')
			return jf_fail(c, "%s.id_number: a NIT is \"base\" or \"base-DV\"", where);
		dv = dash[1] - '0';
		*dash = '\0';
	}
	if (id_validate(out->id_type, out->id_number, dv) != ID_OK)
		return jf_fail(c, "%s.id_number: not a valid number for %s", where, id_type_code(out->id_type));
	return 0;
}

int api_parse_agent_login(const char *body, size_t len, struct api_agent_login *out, char *err, size_t errn)
{
	struct jf c = {"agents login", err, errn, API_ERR_PROTOCOL};
	const cJSON *clients, *item;
	const char *role;
	cJSON *root;
	int n, i = 0, rc = API_ERR_PROTOCOL;

	if (errn)
		err[0] = '\0';
	memset(out, 0, sizeof *out);
	root = api_json_object(&c, body, len);
	if (!root)
		return API_ERR_PROTOCOL;
	if (jf_text(&c, root, "", "agent", out->agent, sizeof out->agent, JF_NONEMPTY | JF_PLAIN) < 0 ||
	    jf_text(&c, root, "", "name", out->name, sizeof out->name, JF_NONEMPTY | JF_PLAIN) < 0 ||
	    jf_string(&c, root, "", "role", &role) < 0)
		goto out;
	if (strcmp(role, "agent") != 0 && strcmp(role, "supervisor") != 0) {
		jf_fail(&c, "role: must be \"agent\" or \"supervisor\"");
		goto out;
	}
	out->supervisor = strcmp(role, "supervisor") == 0;
	if (jf_time(&c, root, "", "server_time", &out->server_time) < 0 ||
	    jf_array(&c, root, "", "clients", &clients) < 0)
		goto out;
	n = cJSON_GetArraySize(clients);
	if (n > API_AGENT_CLIENTS_MAX) {
		jf_fail(&c, "clients: more than %d", API_AGENT_CLIENTS_MAX);
		goto out;
	}
	if (n > 0 && !(out->clients = calloc((size_t)n, sizeof *out->clients))) {
		jf_fail(&c, "out of memory");
		goto out;
	}
	cJSON_ArrayForEach(item, clients)
	{
		char where[32];

		snprintf(where, sizeof where, "clients[%d]", i);
		if (parse_client(&c, item, where, &out->clients[i]) < 0)
			goto out;
		i++;
	}
	out->nclients = n;
	rc = API_OK;
out:
	cJSON_Delete(root);
	if (rc != API_OK)
		api_agent_login_free(out);
	return rc;
}

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
