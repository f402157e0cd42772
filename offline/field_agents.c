/* field_agents — agents, cached password hashes, the tablet's lockout (see field_agents.h).
 * Issue 10: being built. */
#include "field_agents.h"

#include <stdio.h>
#include <string.h>

#include "store_internal.h"

int field_credentials_valid(const char *code, const char *password, char *err, size_t errn)
{
	(void)code, (void)password;
	snprintf(err, errn, "not built yet");
	return -1;
}
int field_login_state(struct store *s, const struct maint_pin_clock *now, struct field_login_result *r)
{
	(void)now;
	memset(r, 0, sizeof *r);
	return store_fail(s, STORE_ERR, "field_login_state: not built yet");
}
int field_login_begin(struct store *s, const char *code, const char *password, const struct maint_pin_clock *now,
		      struct field_login_result *r)
{
	(void)code, (void)password, (void)now;
	memset(r, 0, sizeof *r);
	return store_fail(s, STORE_ERR, "field_login_begin: not built yet");
}
int field_agent_cache(struct store *s, const struct field_agent *who, const char *password,
		      const struct field_client_ref *clients, int nclients, int64_t now)
{
	(void)who, (void)password, (void)clients, (void)nclients, (void)now;
	return store_fail(s, STORE_ERR, "field_agent_cache: not built yet");
}
int field_login_refused(struct store *s, const char *code, const struct maint_pin_clock *now,
			struct field_login_result *r)
{
	(void)code, (void)now;
	memset(r, 0, sizeof *r);
	return store_fail(s, STORE_ERR, "field_login_refused: not built yet");
}
int field_login_offline(struct store *s, const char *code, const char *password, const struct maint_pin_clock *now,
			int valid_days, struct field_login_result *r)
{
	(void)code, (void)password, (void)now, (void)valid_days;
	memset(r, 0, sizeof *r);
	return store_fail(s, STORE_ERR, "field_login_offline: not built yet");
}
int field_supervisor_check(struct store *s, const char *code, const char *password,
			   const struct maint_pin_clock *now, int valid_days, struct field_login_result *r)
{
	(void)code, (void)password, (void)now, (void)valid_days;
	memset(r, 0, sizeof *r);
	return store_fail(s, STORE_ERR, "field_supervisor_check: not built yet");
}
int field_agent_get(struct store *s, const char *code, struct field_agent *out)
{
	(void)code;
	memset(out, 0, sizeof *out);
	return store_fail(s, STORE_ERR, "field_agent_get: not built yet");
}
int field_agent_import(struct store *s, const struct field_agent *who, const char *argon2_encoded,
		       const struct field_client_ref *clients, int nclients, int64_t now)
{
	(void)who, (void)argon2_encoded, (void)clients, (void)nclients, (void)now;
	return store_fail(s, STORE_ERR, "field_agent_import: not built yet");
}
int field_login(struct store *s, struct api *api, const char *code, const char *password,
		const struct maint_pin_clock *now, int valid_days, int64_t now_epoch, struct field_login_result *r,
		int *went_online)
{
	(void)api, (void)code, (void)password, (void)now, (void)valid_days, (void)now_epoch;
	memset(r, 0, sizeof *r);
	*went_online = 0;
	return store_fail(s, STORE_ERR, "field_login: not built yet");
}
