/* field_agents — agents, cached password hashes, the tablet's lockout (see field_agents.h,
 * docs/field-mode.md "Login"). The lock is offline/lockout.c's, under its own meta key; the
 * hashes are offline/secret_hash.c's. */
#include "field_agents.h"

#include <argon2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "audit.h"
#include "idnum.h"
#include "lockout.h"
#include "secret_hash.h"
#include "store_internal.h"

static const struct lockout_policy login_lock = {FIELD_LOGIN_LOCK_KEY, FIELD_LOGIN_MAX_TRIES, FIELD_LOGIN_LOCK_S};

static uint32_t hash_t_cost = FIELD_HASH_T_COST, hash_m_kib = FIELD_HASH_M_KIB;

void field_agents_set_hash_cost(uint32_t t_cost, uint32_t m_kib)
{
	hash_t_cost = t_cost;
	hash_m_kib = m_kib;
}

#define A_LOGIN "field.login"
#define A_SUPERVISOR "field.supervisor"

static int code_ok(const char *code)
{
	size_t n = code ? strnlen(code, FIELD_CODE_MAX_LEN + 1) : 0;

	if (n < 1 || n > FIELD_CODE_MAX_LEN)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = code[i];
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			return 0;
	}
	return 1;
}

int field_credentials_valid(const char *code, const char *password, char *err, size_t errn)
{
	size_t n = password ? strnlen(password, FIELD_PASSWORD_MAX_LEN + 1) : 0;

	if (!code_ok(code)) {
		snprintf(err, errn, "El código de agente tiene de 1 a %d letras o números.", FIELD_CODE_MAX_LEN);
		return -1;
	}
	if (n < 1 || n > FIELD_PASSWORD_MAX_LEN || !domain_text_ok(password, FIELD_PASSWORD_MAX_LEN + 1)) {
		snprintf(err, errn, "La contraseña tiene de 1 a %d caracteres, sin caracteres de control.",
			 FIELD_PASSWORD_MAX_LEN);
		return -1;
	}
	return 0;
}

/* ---- the screen's sentence and the audit row ---- */

static void say_wrong(struct field_login_result *r, int tries_left)
{
	r->status = FIELD_LOGIN_WRONG;
	r->tries_left = tries_left;
	if (tries_left == 1)
		snprintf(r->message, sizeof r->message, "Código o contraseña incorrectos. Le queda 1 intento.");
	else
		snprintf(r->message, sizeof r->message, "Código o contraseña incorrectos. Le quedan %d intentos.",
			 tries_left);
}

static void say_locked(struct field_login_result *r, int64_t locked_s)
{
	r->status = FIELD_LOGIN_LOCKED;
	r->tries_left = 0;
	r->locked_s = locked_s;
	snprintf(r->message, sizeof r->message,
		 "Demasiados intentos fallidos: el ingreso en esta tableta está bloqueado %lld minutos.",
		 (long long)((locked_s + 59) / 60));
}

static const char *const status_code[] = {
	[FIELD_LOGIN_OK] = "ok",
	[FIELD_LOGIN_WRONG] = "wrong",
	[FIELD_LOGIN_LOCKED] = "locked",
	[FIELD_LOGIN_UNKNOWN] = "unknown",
	[FIELD_LOGIN_EXPIRED] = "expired",
	[FIELD_LOGIN_BAD_FORMAT] = "bad_format",
	[FIELD_LOGIN_NOT_SUPERVISOR] = "not_supervisor",
};

/* One audit row for a try. A code with 6 digits in a row could be someone's ID number: it is
 * not written (the audit refuses such runs anyway). */
static int audit_try(struct store *s, const char *action, const char *code, const struct field_login_result *r,
		     int64_t at)
{
	char detail[64];
	int run = 0, hide = 0;

	for (const char *p = code; p && *p; p++) {
		run = *p >= '0' && *p <= '9' ? run + 1 : 0;
		hide |= run >= 6;
	}
	snprintf(detail, sizeof detail, "agent=%s tries_left=%d", code_ok(code) && !hide ? code : "hidden",
		 r->tries_left);
	return store_audit_append(s, at, action, status_code[r->status], detail, NULL) == 0 ? 0 : STORE_ERR;
}

/* ---- agents ---- */

int field_agent_get(struct store *s, const char *code, struct field_agent *out)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT name, role, pass_hash IS NOT NULL, coalesce(hash_at, 0), coalesce(cap_minor, -1)"
			       " FROM agents WHERE code = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "agents: reading");
	sqlite3_bind_text(st, 1, code ? code : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *role = (const char *)sqlite3_column_text(st, 1);

		snprintf(out->code, sizeof out->code, "%s", code);
		snprintf(out->name, sizeof out->name, "%s", name ? name : "");
		out->role = role && !strcmp(role, "supervisor") ? FIELD_ROLE_SUPERVISOR : FIELD_ROLE_AGENT;
		out->has_hash = sqlite3_column_int(st, 2);
		out->hash_at = sqlite3_column_int64(st, 3);
		out->cap_minor = sqlite3_column_int64(st, 4);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = 1;
	} else {
		rc = store_fail_db(s, "agents: reading");
	}
	sqlite3_finalize(st);
	return rc;
}

/* The cached hash (enc: SECRET_HASH_ENCODED_MAX bytes): 0, 1 when there is none, <0. */
static int agent_hash(struct store *s, const char *code, char *enc, size_t n)
{
	sqlite3_stmt *st;
	int rc;

	enc[0] = '\0';
	if (sqlite3_prepare_v2(s->db, "SELECT pass_hash FROM agents WHERE code = ? AND pass_hash IS NOT NULL", -1,
			       &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "agents: reading");
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 0);
		rc = h && strlen(h) < n ? (snprintf(enc, n, "%s", h), 0) : 1; /* a damaged hash: none */
	} else {
		rc = rc == SQLITE_DONE ? 1 : store_fail_db(s, "agents: reading");
	}
	sqlite3_finalize(st);
	return rc;
}

static int valid_client(const struct field_client_ref *c)
{
	return (int)c->id_type >= 0 && c->id_type < ID_TYPE_COUNT &&
	       memchr(c->id_number, '\0', sizeof c->id_number) &&
	       id_validate(c->id_type, c->id_number, -1) == ID_OK;
}

/* The agent's row (hash NULL: keep the one cached; keep_cap: an online login carries no cap,
 * keep the one imported) and its clients, replaced; inside the caller's transaction. */
static int write_agent(struct store *s, const struct field_agent *who, const char *hash, int64_t hash_at,
		       int keep_cap, const struct field_client_ref *clients, int nclients)
{
	sqlite3_stmt *st = NULL;
	int ok;

	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO agents(code, name, role, pass_hash, hash_at, cap_minor)"
			       " VALUES(?1, ?2, ?3, ?4, CASE WHEN ?4 IS NULL THEN NULL ELSE ?5 END, ?6)"
			       " ON CONFLICT(code) DO UPDATE SET name = excluded.name, role = excluded.role,"
			       " pass_hash = coalesce(excluded.pass_hash, pass_hash),"
			       " hash_at = CASE WHEN excluded.pass_hash IS NULL THEN hash_at ELSE excluded.hash_at END,"
			       " cap_minor = CASE WHEN ?6 IS NULL AND ?7 THEN cap_minor ELSE ?6 END",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "agents: writing");
	sqlite3_bind_text(st, 1, who->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, who->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, who->role == FIELD_ROLE_SUPERVISOR ? "supervisor" : "agent", -1, SQLITE_STATIC);
	if (hash)
		sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, hash_at);
	if (who->cap_minor >= 0)
		sqlite3_bind_int64(st, 6, who->cap_minor);
	sqlite3_bind_int(st, 7, keep_cap);
	ok = sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	st = NULL;
	if (!ok)
		return store_fail_db(s, "agents: writing");
	if (sqlite3_prepare_v2(s->db, "DELETE FROM agent_clients WHERE agent_code = ?", -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "agents: writing the clients");
	sqlite3_bind_text(st, 1, who->code, -1, SQLITE_STATIC);
	ok = sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	if (!ok || sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO agent_clients(agent_code, id_type, id_number)"
				      " VALUES(?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "agents: writing the clients");
	for (int i = 0; ok && i < nclients; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, who->code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, id_type_code(clients[i].id_type), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, clients[i].id_number, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return ok ? 0 : store_fail_db(s, "agents: writing the clients");
}

/* What an agent record must be: a code, a name, at most FIELD_CLIENTS_MAX valid clients. The
 * message starts with the field, for the importer's path. */
static int check_agent(struct store *s, const struct field_agent *who, const struct field_client_ref *clients,
		       int nclients)
{
	if (!code_ok(who->code))
		return store_fail(s, STORE_EINVAL, "code: 1 to %d letters or digits", FIELD_CODE_MAX_LEN);
	if (!who->name[0] || !domain_text_ok(who->name, sizeof who->name))
		return store_fail(s, STORE_EINVAL, "name: 1 to %zu bytes of text", sizeof who->name - 1);
	if (who->role != FIELD_ROLE_AGENT && who->role != FIELD_ROLE_SUPERVISOR)
		return store_fail(s, STORE_EINVAL, "role: must be \"agent\" or \"supervisor\"");
	if (nclients < 0 || nclients > FIELD_CLIENTS_MAX || (nclients > 0 && !clients))
		return store_fail(s, STORE_EINVAL, "clients: at most %d", FIELD_CLIENTS_MAX);
	for (int i = 0; i < nclients; i++)
		if (!valid_client(&clients[i]))
			return store_fail(s, STORE_EINVAL, "clients[%d].id_number: not a valid number for its id_type",
					  i);
	return 0;
}

int field_agent_cache(struct store *s, const struct field_agent *who, const char *password,
		      const struct field_client_ref *clients, int nclients, int64_t now)
{
	char enc[SECRET_HASH_ENCODED_MAX], why[sizeof s->err];
	struct field_login_result r;
	int rc;

	if ((rc = check_agent(s, who, clients, nclients)) != 0)
		return rc;
	if (field_credentials_valid(who->code, password, why, sizeof why) != 0)
		return store_fail(s, STORE_EINVAL, "password: 1 to %d bytes of text", FIELD_PASSWORD_MAX_LEN);
	/* the ~50 ms of hashing before the transaction, not inside it */
	if (secret_hash_argon2id(password, hash_t_cost, hash_m_kib, enc, sizeof enc, why, sizeof why) != 0)
		return store_fail(s, STORE_ERR, "agents: %s", why);
	memset(&r, 0, sizeof r);
	r.status = FIELD_LOGIN_OK;
	r.tries_left = FIELD_LOGIN_MAX_TRIES;
	rc = store_exec(s, "BEGIN IMMEDIATE");
	if (rc == 0 && (write_agent(s, who, enc, now, 1, clients, nclients) != 0 || lockout_clear(s, &login_lock) != 0 ||
			audit_try(s, A_LOGIN, who->code, &r, now) != 0 || store_exec(s, "COMMIT") != 0)) {
		snprintf(why, sizeof why, "%s", s->err);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		snprintf(s->err, sizeof s->err, "%s", why);
		rc = STORE_ERR;
	}
	explicit_bzero(enc, sizeof enc);
	return rc;
}

/* "$argon2id$v=19$m=...,t=...,p=...$salt$hash": what libargon2 encodes, nothing else. */
static int encoded_ok(const char *enc)
{
	size_t n = enc ? strnlen(enc, SECRET_HASH_ENCODED_MAX) : SECRET_HASH_ENCODED_MAX;
	int dollars = 0;

	if (n >= SECRET_HASH_ENCODED_MAX || strncmp(enc, "$argon2id$v=19$m=", 17) != 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = enc[i];
		dollars += c == '$';
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      strchr("$=,+/", c)))
			return 0;
	}
	return dollars == 5;
}

int field_agent_import(struct store *s, const struct field_agent *who, const char *argon2_encoded,
		       const struct field_client_ref *clients, int nclients, int64_t now)
{
	int rc = check_agent(s, who, clients, nclients);

	if (rc != 0)
		return rc;
	if (argon2_encoded && !encoded_ok(argon2_encoded))
		return store_fail(s, STORE_EINVAL, "password_argon2: must be an encoded Argon2id hash "
						   "(\"$argon2id$v=19$m=...,t=...,p=...$salt$hash\")");
	if (!s->importing)
		return store_fail(s, STORE_ERR, "agents: an import is not open");
	return write_agent(s, who, argon2_encoded, now, 0, clients, nclients);
}

/* ---- the login ---- */

int field_login_state(struct store *s, const struct maint_pin_clock *now, struct field_login_result *r)
{
	struct lockout_view v;

	memset(r, 0, sizeof *r);
	if (lockout_check(s, &login_lock, now, &v) < 0)
		return STORE_ERR;
	if (v.locked_s > 0) {
		say_locked(r, v.locked_s);
	} else {
		r->status = FIELD_LOGIN_OK;
		r->tries_left = FIELD_LOGIN_MAX_TRIES - v.fails;
	}
	return 0;
}

/* The form, then the lock (a locked try is audited); OK with *v when a try may be made. */
static int gate(struct store *s, const char *action, const char *code, const char *password,
		const struct maint_pin_clock *now, struct field_login_result *r, struct lockout_view *v)
{
	memset(r, 0, sizeof *r);
	if (field_credentials_valid(code, password, r->message, sizeof r->message) != 0) {
		r->status = FIELD_LOGIN_BAD_FORMAT;
		return 0;
	}
	if (lockout_check(s, &login_lock, now, v) < 0)
		return STORE_ERR;
	if (v->locked_s > 0) {
		say_locked(r, v->locked_s);
		return audit_try(s, action, code, r, now->wall_s);
	}
	r->status = FIELD_LOGIN_OK;
	return 0;
}

/* The try, written as wrong before anything is checked (a power cut then spends it). */
static int count_try(struct store *s, const struct maint_pin_clock *now, struct lockout_view *v,
		     struct field_login_result *r)
{
	if (lockout_add_wrong(s, &login_lock, now, v) != 0) {
		memset(r, 0, sizeof *r);
		return STORE_ERR; /* not recorded: not made */
	}
	r->tries_left = FIELD_LOGIN_MAX_TRIES - v->fails;
	return 0;
}

int field_login_begin(struct store *s, const char *code, const char *password, const struct maint_pin_clock *now,
		      struct field_login_result *r)
{
	struct lockout_view v;
	int rc = gate(s, A_LOGIN, code, password, now, r, &v);

	if (rc < 0 || r->status != FIELD_LOGIN_OK)
		return rc;
	return count_try(s, now, &v, r);
}

/* A try already counted that did not succeed: WRONG with the tries left, or LOCKED when it
 * was the last; for UNKNOWN and EXPIRED the count shows as tries_left unless it locked. */
static int refuse(struct store *s, const char *action, const char *code, const struct maint_pin_clock *now,
		  enum field_login_status why, int valid_days, struct field_login_result *r)
{
	struct lockout_view v;

	if (lockout_check(s, &login_lock, now, &v) < 0)
		return STORE_ERR;
	if (v.locked_s > 0) {
		say_locked(r, v.locked_s);
	} else if (why == FIELD_LOGIN_UNKNOWN) {
		r->status = why;
		r->tries_left = FIELD_LOGIN_MAX_TRIES - v.fails;
		snprintf(r->message, sizeof r->message,
			 "Este agente no ha iniciado sesión en línea en esta tableta; conéctese a la red para el "
			 "primer ingreso.");
	} else if (why == FIELD_LOGIN_EXPIRED) {
		r->status = why;
		r->tries_left = FIELD_LOGIN_MAX_TRIES - v.fails;
		snprintf(r->message, sizeof r->message,
			 "Han pasado más de %d días sin ingresar en línea en esta tableta; conéctese a la red "
			 "para ingresar.", valid_days);
	} else {
		say_wrong(r, FIELD_LOGIN_MAX_TRIES - v.fails);
	}
	return audit_try(s, action, code, r, now->wall_s);
}

int field_login_refused(struct store *s, const char *code, const struct maint_pin_clock *now,
			struct field_login_result *r)
{
	memset(r, 0, sizeof *r);
	return refuse(s, A_LOGIN, code, now, FIELD_LOGIN_WRONG, 0, r);
}

/* The offline check of a try already counted: the cached hash, its age, the password. */
static int check_cached(struct store *s, const char *action, const char *code, const char *password,
			const struct maint_pin_clock *now, int valid_days, struct field_login_result *r)
{
	char enc[SECRET_HASH_ENCODED_MAX];
	struct field_agent who;
	int rc = field_agent_get(s, code, &who);

	if (rc < 0)
		return rc;
	if (rc == 1 || !who.has_hash)
		return refuse(s, action, code, now, FIELD_LOGIN_UNKNOWN, valid_days, r);
	/* too old, or dated ahead of the clock (a clock set back, a file dated in the future): a
	 * hash whose age cannot be told is treated as expired, never as forever young */
	if (now->wall_s - who.hash_at > (int64_t)valid_days * 86400 || who.hash_at - now->wall_s > 86400)
		return refuse(s, action, code, now, FIELD_LOGIN_EXPIRED, valid_days, r);
	rc = agent_hash(s, code, enc, sizeof enc);
	if (rc < 0)
		return rc;
	/* a damaged hash is a wrong password, never an open door */
	rc = rc == 0 ? argon2id_verify(enc, password, strlen(password)) : ARGON2_VERIFY_MISMATCH;
	explicit_bzero(enc, sizeof enc);
	if (rc != ARGON2_OK)
		return refuse(s, action, code, now, FIELD_LOGIN_WRONG, valid_days, r);
	if (lockout_clear(s, &login_lock) != 0) {
		memset(r, 0, sizeof *r);
		return STORE_ERR; /* the count could not be cleared: no entry on an unrecorded try */
	}
	memset(r, 0, sizeof *r);
	r->status = FIELD_LOGIN_OK;
	r->tries_left = FIELD_LOGIN_MAX_TRIES;
	r->agent = who;
	snprintf(r->message, sizeof r->message, "Ingreso sin conexión.");
	return audit_try(s, action, code, r, now->wall_s);
}

int field_login_offline(struct store *s, const char *code, const char *password, const struct maint_pin_clock *now,
			int valid_days, struct field_login_result *r)
{
	int rc = field_login_begin(s, code, password, now, r);

	if (rc < 0 || r->status != FIELD_LOGIN_OK)
		return rc;
	return check_cached(s, A_LOGIN, code, password, now, valid_days, r);
}

int field_supervisor_check(struct store *s, const char *code, const char *password,
			   const struct maint_pin_clock *now, int valid_days, struct field_login_result *r)
{
	struct lockout_view v;
	struct field_agent who;
	int rc = gate(s, A_SUPERVISOR, code, password, now, r, &v);

	if (rc < 0 || r->status != FIELD_LOGIN_OK)
		return rc;
	rc = field_agent_get(s, code, &who);
	if (rc < 0)
		return rc;
	if (rc == 0 && who.role != FIELD_ROLE_SUPERVISOR) {
		/* the role is no secret: no try is spent on a code that cannot authorise */
		r->status = FIELD_LOGIN_NOT_SUPERVISOR;
		r->tries_left = FIELD_LOGIN_MAX_TRIES - v.fails;
		r->agent = who;
		snprintf(r->message, sizeof r->message, "Este código no es de un supervisor.");
		return audit_try(s, A_SUPERVISOR, code, r, now->wall_s);
	}
	if ((rc = count_try(s, now, &v, r)) != 0)
		return rc;
	return check_cached(s, A_SUPERVISOR, code, password, now, valid_days, r);
}

/* The server's answer as the tablet keeps it. */
static int cache_answer(struct store *s, const struct api_agent_login *ans, const char *password, int64_t now,
			struct field_login_result *r)
{
	struct field_client_ref *refs = NULL;
	struct field_agent who;
	int rc;

	memset(&who, 0, sizeof who);
	snprintf(who.code, sizeof who.code, "%s", ans->agent);
	snprintf(who.name, sizeof who.name, "%s", ans->name);
	who.role = ans->supervisor ? FIELD_ROLE_SUPERVISOR : FIELD_ROLE_AGENT;
	who.cap_minor = -1;
	if (ans->nclients > 0) {
		refs = calloc((size_t)ans->nclients, sizeof *refs);
		if (!refs)
			return store_fail(s, STORE_ERR, "agents: out of memory");
		for (int i = 0; i < ans->nclients; i++) {
			refs[i].id_type = ans->clients[i].id_type;
			snprintf(refs[i].id_number, sizeof refs[i].id_number, "%s", ans->clients[i].id_number);
		}
	}
	rc = field_agent_cache(s, &who, password, refs, ans->nclients, now);
	free(refs);
	if (rc != 0)
		return rc;
	memset(r, 0, sizeof *r);
	if ((rc = field_agent_get(s, who.code, &r->agent)) != 0)
		return rc < 0 ? rc : store_fail(s, STORE_ERR, "agents: the agent just cached is gone");
	r->status = FIELD_LOGIN_OK;
	r->tries_left = FIELD_LOGIN_MAX_TRIES;
	snprintf(r->message, sizeof r->message, "Ingreso en línea.");
	return 0;
}

int field_login(struct store *s, struct api *api, const char *code, const char *password,
		const struct maint_pin_clock *now, int valid_days, int64_t now_epoch, struct field_login_result *r,
		int *went_online)
{
	struct api_agent_login ans;
	int rc = field_login_begin(s, code, password, now, r), arc;

	*went_online = 0;
	if (rc < 0 || r->status != FIELD_LOGIN_OK)
		return rc;
	if (api) {
		arc = api_agent_login(api, code, password, FIELD_LOGIN_TIMEOUT_MS, &ans);
		if (arc == API_OK) {
			*went_online = 1;
			rc = cache_answer(s, &ans, password, now_epoch, r);
			api_agent_login_free(&ans);
			return rc;
		}
		if (arc == API_DENIED) {
			*went_online = 1;
			return field_login_refused(s, code, now, r);
		}
		/* the server could not say: the tablet's own hash decides */
	}
	return check_cached(s, A_LOGIN, code, password, now, valid_days, r);
}
