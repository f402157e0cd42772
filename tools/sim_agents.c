/* POST /v1/agents/login in the central simulator (see sim_agents.h). A wrong password, an
 * unknown code and an agent with no password on file are one answer, 403
 * invalid_credentials: the answer does not tell which codes exist. The password is never
 * logged; the copies made here are wiped. */
#include "sim_agents.h"

#include <argon2.h>
#include <stdlib.h>
#include <string.h>

#include "field_agents.h"
#include "json_field.h"
#include "sim_db.h"
#include "sim_json.h"

#define HASH_MAX 160

/* The agent's name, role and hash (copied out under the lock): 0, 1 unknown (or no hash), <0. */
static int agent_row(struct sim_db *d, const char *code, char name[96], int *supervisor, char hash[HASH_MAX])
{
	sqlite3_stmt *st;
	int rc = -1;

	pthread_mutex_lock(&d->mu);
	st = sim_db_prepare(d, "SELECT name, role, pass_hash FROM agents WHERE code = ?1 AND pass_hash IS NOT NULL");
	if (st) {
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			const char *n = (const char *)sqlite3_column_text(st, 0);
			const char *role = (const char *)sqlite3_column_text(st, 1);
			const char *h = (const char *)sqlite3_column_text(st, 2);

			rc = h && strlen(h) < HASH_MAX ? 0 : 1;
			snprintf(name, 96, "%s", n ? n : "");
			snprintf(hash, HASH_MAX, "%s", h && !rc ? h : "");
			*supervisor = role && !strcmp(role, "supervisor");
		} else {
			rc = rc == SQLITE_DONE ? 1 : -1;
		}
		sqlite3_finalize(st);
	}
	pthread_mutex_unlock(&d->mu);
	return rc;
}

/* {"id_type","id_number"} of every client assigned to code. 0 or -1. */
static int agent_clients(struct sim_db *d, const char *code, cJSON *arr)
{
	sqlite3_stmt *st;
	int rc = SQLITE_ERROR, ok = 1;

	pthread_mutex_lock(&d->mu);
	st = sim_db_prepare(d, "SELECT id_type, id_number FROM agent_clients WHERE agent_code = ?1"
			       " ORDER BY id_type, id_number");
	if (st) {
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			cJSON *o = cJSON_CreateObject();

			if (!o || !cJSON_AddItemToArray(arr, o)) {
				cJSON_Delete(o);
				ok = 0;
				break;
			}
			ok = cJSON_AddStringToObject(o, "id_type", (const char *)sqlite3_column_text(st, 0)) &&
			     cJSON_AddStringToObject(o, "id_number", (const char *)sqlite3_column_text(st, 1));
		}
		sqlite3_finalize(st);
	}
	pthread_mutex_unlock(&d->mu);
	return ok && rc == SQLITE_DONE ? 0 : -1;
}

void sim_post_agents_login(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	cJSON *body = c->len ? cJSON_ParseWithLength(c->body, c->len) : NULL, *j = NULL, *clients;
	const char *code, *password;
	char name[96], hash[HASH_MAX] = "", why[160], ts[32];
	int supervisor = 0, rc;

	if (!body || !cJSON_IsObject(body)) {
		sim_reply_error(r, 400, "bad_request", "the body is not a JSON object");
		goto out;
	}
	code = cJSON_GetStringValue(jf_get(body, "agent"));
	password = cJSON_GetStringValue(jf_get(body, "password"));
	if (!code || !password || field_credentials_valid(code, password, why, sizeof why) != 0) {
		sim_reply_error(r, 400, "bad_request", "agent: 1 to 16 letters or digits; password: 1 to 64 bytes");
		goto out;
	}
	rc = agent_row(s->db, code, name, &supervisor, hash);
	if (rc < 0) {
		sim_reply_error(r, 500, "internal", NULL);
		goto out;
	}
	if (rc == 1 || argon2id_verify(hash, password, strlen(password)) != ARGON2_OK) {
		sim_reply_error(r, 403, "invalid_credentials", NULL);
		goto out;
	}
	j = cJSON_CreateObject();
	clients = cJSON_CreateArray();
	sim_time_format(c->now, ts);
	if (!j || !clients || !cJSON_AddItemToObject(j, "clients", clients)) {
		cJSON_Delete(clients);
		sim_reply_error(r, 500, "internal", NULL);
		goto out;
	}
	if (!cJSON_AddStringToObject(j, "agent", code) || !cJSON_AddStringToObject(j, "name", name) ||
	    !cJSON_AddStringToObject(j, "role", supervisor ? "supervisor" : "agent") ||
	    agent_clients(s->db, code, clients) < 0 || !cJSON_AddStringToObject(j, "server_time", ts)) {
		sim_reply_error(r, 500, "internal", NULL);
		goto out;
	}
	sim_reply_json(r, 200, j);
	j = NULL;
out:
	explicit_bzero(hash, sizeof hash);
	if (body && cJSON_IsString(jf_get(body, "password")))
		explicit_bzero(cJSON_GetStringValue(jf_get(body, "password")),
			       strlen(cJSON_GetStringValue(jf_get(body, "password"))));
	cJSON_Delete(body);
	cJSON_Delete(j);
}
