/* field_agents — who may use the tablet in field mode (issue 10, docs/field-mode.md "Login"):
 * the agents this tablet knows (code, name, role, the clients assigned), the cached Argon2id
 * hash of a password for offline login, and the tablet's lockout. No SDL.
 *
 * Online, the central API checks the password (api_agent_login, offline/api.h); on success
 * field_agent_cache stores a fresh Argon2id hash of it (16-byte salt from getrandom), the
 * agent's name, role and assigned clients. Offline, field_login_offline checks the password
 * against that hash (argon2id_verify, constant time) while it is younger than valid_days; an
 * agent with no hash here (never seen online on this tablet) cannot log in offline.
 *
 * Lockout: 5 wrong passwords on this tablet (any agent code) lock the login for 30 minutes.
 * The count and the lock are one meta value written before each check's hash work, with the
 * same clocks as the technician's PIN (offline/maint_pin.h: wall, boot-time and boot id), so
 * neither a restart nor a power cut mid-check nor setting the clock back buys tries. A
 * supervisor's code for a void or a reopen counts in the same lock.
 *
 * Every well-formed try counts (written as wrong before anything is checked, cleared by a
 * right password): a wrong password, an unknown code and an expired hash alike, so trying
 * codes costs tries too. A code or password of a bad form is refused without a try.
 *
 * Every try is one audit row (action field.login / field.supervisor, result ok / wrong /
 * locked / unknown / expired / not_supervisor; detail "agent=1001 tries_left=3": the agent
 * code, "agent=hidden" for a code with 6 digits in a row, which could be an ID number — never
 * a password). The password is never logged or stored; the copies made here are wiped.
 *
 * Argon2id cost of the cached hash: m=19456 KiB, t=2, p=1 (OWASP's first choice; a few tens of
 * ms on the tablet). field_agents_set_hash_cost lowers it for the unit tests. */
#ifndef RECAUDO_FIELD_AGENTS_H
#define RECAUDO_FIELD_AGENTS_H
#include <stddef.h>
#include <stdint.h>
#include "domain.h"
#include "maint_pin.h"
#include "store.h"

struct api;

enum {
	FIELD_CODE_MAX_LEN = 16,       /* agent code: 1..16 ASCII letters and digits */
	FIELD_PASSWORD_MAX_LEN = 64,   /* bytes of UTF-8; at least 1 */
	FIELD_LOGIN_MAX_TRIES = 5,
	FIELD_LOGIN_LOCK_S = 30 * 60,
	FIELD_HASH_VALID_DAYS = 7,     /* [field] offline_login_days default */
	FIELD_HASH_T_COST = 2,         /* Argon2id passes */
	FIELD_HASH_M_KIB = 19456,      /* Argon2id memory, KiB */
	FIELD_CLIENTS_MAX = 5000,      /* clients assigned to one agent */
	FIELD_LOGIN_TIMEOUT_MS = 5000, /* the online check, whole */
};
/* The meta key of the tablet's login lock (offline/lockout.h), apart from the PIN's. */
#define FIELD_LOGIN_LOCK_KEY "field_login_lock"

enum field_role { FIELD_ROLE_AGENT, FIELD_ROLE_SUPERVISOR };

struct field_agent {
	char code[FIELD_CODE_MAX_LEN + 1];
	char name[96];
	enum field_role role;
	int has_hash;          /* a cached password hash exists */
	int64_t hash_at;       /* when it was cached (epoch s) */
	int64_t cap_minor;     /* the agent's own cap on unsynced cash; -1: the configured one */
};

/* The clients an online login (or an import file) assigns to an agent. */
struct field_client_ref {
	enum id_type id_type;
	char id_number[24];
};

enum field_login_status {
	FIELD_LOGIN_OK,
	FIELD_LOGIN_WRONG,       /* wrong password or unknown code: tries_left more */
	FIELD_LOGIN_LOCKED,      /* locked_s seconds until the tablet's login opens */
	FIELD_LOGIN_UNKNOWN,     /* offline, and this agent never logged in online here */
	FIELD_LOGIN_EXPIRED,     /* offline, and the cached hash is older than valid_days */
	FIELD_LOGIN_BAD_FORMAT,  /* code or password of a bad form: no try counted */
	FIELD_LOGIN_NOT_SUPERVISOR, /* a supervisor's code was asked; this agent is not one */
};

struct field_login_result {
	enum field_login_status status;
	int tries_left;          /* WRONG */
	int64_t locked_s;        /* LOCKED */
	struct field_agent agent; /* OK (and NOT_SUPERVISOR): who */
	char message[160];       /* a sentence for the screen, Spanish */
};

/* For unit tests only: the Argon2id cost of the hashes field_agent_cache makes from now on
 * (process-wide; call before any thread uses this module). The encoded hash carries its
 * parameters, so checking is unchanged. */
void field_agents_set_hash_cost(uint32_t t_cost, uint32_t m_kib);

/* 0 when code is 1..16 ASCII letters/digits and password 1..64 bytes of UTF-8 without
 * control characters; else -1 with a message for a person in err. */
int field_credentials_valid(const char *code, const char *password, char *err, size_t errn);

/* The lock as it stands (for the login screen on entry): status OK or LOCKED, tries_left. */
int field_login_state(struct store *s, const struct maint_pin_clock *now, struct field_login_result *r);

/* Before an online check: counts the try as wrong first (power-cut proof) unless locked.
 * Returns 0 with r->status OK (go on and ask the server) or LOCKED / BAD_FORMAT (do not). */
int field_login_begin(struct store *s, const char *code, const char *password, const struct maint_pin_clock *now,
		      struct field_login_result *r);
/* The server accepted: caches the hash, name, role and clients (replacing the agent's
 * assignment), clears the count, audits ok. 0 or <0 (store_error). */
int field_agent_cache(struct store *s, const struct field_agent *who, const char *password,
		      const struct field_client_ref *clients, int nclients, int64_t now);
/* The server refused the password: the try stays counted; r says how many are left or that
 * the lock began; audited. */
int field_login_refused(struct store *s, const char *code, const struct maint_pin_clock *now,
			struct field_login_result *r);
/* Offline: the whole check against the cached hash (counts the try first, then verifies,
 * then clears it on success), valid_days old at most. 0 with the outcome in *r, or <0. */
int field_login_offline(struct store *s, const char *code, const char *password, const struct maint_pin_clock *now,
			int valid_days, struct field_login_result *r);
/* A supervisor's code for a void or a reopen: field_login_offline that also requires the
 * supervisor role (NOT_SUPERVISOR otherwise, with no try counted against the password). */
int field_supervisor_check(struct store *s, const char *code, const char *password,
			   const struct maint_pin_clock *now, int valid_days, struct field_login_result *r);

/* An agent as this tablet knows it. 0, 1 if unknown, <0. */
int field_agent_get(struct store *s, const char *code, struct field_agent *out);

/* For the portfolio importer (docs/portfolio-format.md "agents"): an agent with an optional
 * Argon2id hash (an encoded "$argon2id$..." string or NULL) and the assigned clients, inside
 * the import transaction. 0, STORE_EINVAL (field named) or STORE_ERR. */
int field_agent_import(struct store *s, const struct field_agent *who, const char *argon2_encoded,
		       const struct field_client_ref *clients, int nclients, int64_t now);

/* The whole login, on the login worker (never the UI thread): field_login_begin (the lock, the
 * form, the try counted); then with api (NULL: offline only) api_agent_login: accepted ->
 * field_agent_cache (now_epoch is hash_at), refused -> field_login_refused; a network, TLS,
 * device authentication, server or protocol failure -> the offline check against the cached
 * hash (valid_days), with the try already counted. *went_online: 1 when the server answered
 * (accepted or refused). 0 with the outcome in *r (r->agent on OK), or <0 (store_error). */
int field_login(struct store *s, struct api *api, const char *code, const char *password,
		const struct maint_pin_clock *now, int valid_days, int64_t now_epoch, struct field_login_result *r,
		int *went_online);
#endif
