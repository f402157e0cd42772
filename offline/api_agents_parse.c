/* api_agents_parse — the strict parser of POST /v1/agents/login's answer (docs/api/contract.md):
 * who, the role, at most API_AGENT_CLIENTS_MAX clients, each a valid id. Like api_parse.c it
 * needs neither curl nor a database (the fuzzer builds it). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_internal.h"
#include "json_field.h"

void api_agent_login_free(struct api_agent_login *out)
{
	if (!out)
		return;
	free(out->clients);
	memset(out, 0, sizeof *out);
}

/* One client: id_type and id_number (api_parse_id: a NIT kept as its base). */
static int parse_client(struct jf *c, const cJSON *item, const char *where, struct api_agent_client *out)
{
	if (!cJSON_IsObject(item))
		return jf_fail(c, "%s: must be an object", where);
	return api_parse_id(c, item, where, &out->id_type, out->id_number);
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

		snprintf(where, sizeof where, "clients[%d].", i);
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
