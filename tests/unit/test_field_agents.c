/* test_field_agents — the field agents' login back end (docs/field-mode.md "Login"): the form
 * of a code and a password, the hash cached by an online login then checked offline, an
 * unknown agent, a hash too old, the tablet's lock (5 wrong, surviving a reopen, over after 30
 * minutes of boot clock), the supervisor check, the portfolio file's "agents", and the audit
 * rows (codes only, never a password). Hashes at a test cost (field_agents_set_hash_cost);
 * virtual clocks throughout. */
#include <argon2.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "check.h"
#include "field_agents.h"
#include "store.h"
#include "tmpdir.h"

static char tmpdir[64], dbpath[128];

#define T0 1795359600LL /* 2026-11-22 10:00 -05:00 */
#define BOOT_A "11111111-2222-3333-4444-555555555555"
#define BOOT_B "99999999-8888-7777-6666-555555555555"
#define PASS "campo2026"
#define SUPER_PASS "super2026"

static struct store *open_store(const char *path)
{
	struct store *s = NULL;
	char err[256];
	if (store_open(&s, path, err, sizeof err) != 0)
		fprintf(stderr, "store_open: %s\n", err);
	return s;
}

static struct maint_pin_clock clk(int64_t wall, int64_t mono, const char *boot)
{
	struct maint_pin_clock c;
	memset(&c, 0, sizeof c);
	c.wall_s = wall;
	c.mono_s = mono;
	snprintf(c.boot_id, sizeof c.boot_id, "%s", boot);
	return c;
}

static struct field_login_result offline(struct store *s, const char *code, const char *pw, struct maint_pin_clock c,
					 int days)
{
	struct field_login_result r;
	CHECK_INT(field_login_offline(s, code, pw, &c, days, &r), 0);
	return r;
}

static int64_t count(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t n = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static const struct field_client_ref clients[] = {{ID_CC, "1020304050"}, {ID_CC, "1032456789"}};

static void cache(struct store *s, const char *code, const char *name, enum field_role role, const char *pw,
		  int64_t now)
{
	struct field_agent who;
	memset(&who, 0, sizeof who);
	snprintf(who.code, sizeof who.code, "%s", code);
	snprintf(who.name, sizeof who.name, "%s", name);
	who.role = role;
	who.cap_minor = -1;
	CHECK_INT(field_agent_cache(s, &who, pw, clients, role == FIELD_ROLE_AGENT ? 2 : 0, now), 0);
}

static void test_format(void)
{
	char err[160];
	CHECK_INT(field_credentials_valid("1001", PASS, err, sizeof err), 0);
	CHECK_INT(field_credentials_valid("AbC123xyz0123456", "ñandú 2026", err, sizeof err), 0);
	CHECK(field_credentials_valid("", PASS, err, sizeof err) < 0);
	CHECK(strstr(err, "código de agente") != NULL);
	CHECK(field_credentials_valid("AbC123xyz01234567", PASS, err, sizeof err) < 0);
	CHECK(field_credentials_valid("10-01", PASS, err, sizeof err) < 0);
	CHECK(field_credentials_valid(NULL, PASS, err, sizeof err) < 0);
	CHECK(field_credentials_valid("1001", "", err, sizeof err) < 0);
	CHECK(strstr(err, "contraseña") != NULL);
	CHECK(field_credentials_valid("1001", "tab\there", err, sizeof err) < 0);
	CHECK(field_credentials_valid("1001", "bad\xff", err, sizeof err) < 0);
	char long_pw[80];
	memset(long_pw, 'a', 65);
	long_pw[65] = '\0';
	CHECK(field_credentials_valid("1001", long_pw, err, sizeof err) < 0);
	long_pw[64] = '\0';
	CHECK_INT(field_credentials_valid("1001", long_pw, err, sizeof err), 0);
}

/* An online login's cache, then offline logins against it. */
static void test_cache_then_offline(struct store *s)
{
	struct field_agent a;
	struct field_login_result r;

	cache(s, "1001", "Andrea Campos", FIELD_ROLE_AGENT, PASS, T0);
	CHECK_INT(field_agent_get(s, "1001", &a), 0);
	CHECK_STR(a.name, "Andrea Campos");
	CHECK_INT(a.role, FIELD_ROLE_AGENT);
	CHECK_INT(a.has_hash, 1);
	CHECK_INT(a.hash_at, T0);
	CHECK_INT(a.cap_minor, -1);
	CHECK_INT(field_agent_get(s, "1009", &a), 1);
	CHECK_INT(count(dbpath, "SELECT count(*) FROM agent_clients WHERE agent_code = '1001'"), 2);
	CHECK_INT(count(dbpath, "SELECT count(*) FROM agents WHERE pass_hash LIKE '$argon2id$v=19$m=8,t=1,p=1$%'"), 1);
	CHECK_INT(count(dbpath, "SELECT count(*) FROM agents WHERE pass_hash LIKE '%" PASS "%'"), 0);

	r = offline(s, "1001", PASS, clk(T0 + 3600, 1000, BOOT_A), 7);
	CHECK_INT(r.status, FIELD_LOGIN_OK);
	CHECK_STR(r.agent.name, "Andrea Campos");
	CHECK_INT(r.tries_left, FIELD_LOGIN_MAX_TRIES);
	/* a wrong one, then the right one clears the count */
	r = offline(s, "1001", "campo2025", clk(T0 + 3600, 1001, BOOT_A), 7);
	CHECK_INT(r.status, FIELD_LOGIN_WRONG);
	CHECK_INT(r.tries_left, 4);
	CHECK(strstr(r.message, "Le quedan 4 intentos") != NULL);
	r = offline(s, "1001", PASS, clk(T0 + 3600, 1002, BOOT_A), 7);
	CHECK_INT(r.status, FIELD_LOGIN_OK);
	struct maint_pin_clock c = clk(T0 + 3600, 1003, BOOT_A);
	CHECK_INT(field_login_state(s, &c, &r), 0);
	CHECK_INT(r.status, FIELD_LOGIN_OK);
	CHECK_INT(r.tries_left, FIELD_LOGIN_MAX_TRIES);
	/* field_login without a server is the offline check */
	int online = 7;
	CHECK_INT(field_login(s, NULL, "1001", PASS, &c, 7, T0 + 3600, &r, &online), 0);
	CHECK_INT(r.status, FIELD_LOGIN_OK);
	CHECK_INT(online, 0);
	/* a new online login replaces the assignment, keeps one row per agent */
	cache(s, "1001", "Andrea Campos R.", FIELD_ROLE_AGENT, PASS, T0 + 7200);
	CHECK_INT(field_agent_get(s, "1001", &a), 0);
	CHECK_STR(a.name, "Andrea Campos R.");
	CHECK_INT(a.hash_at, T0 + 7200);
	CHECK_INT(count(dbpath, "SELECT count(*) FROM agents"), 1);
	/* a bad record changes nothing */
	struct field_agent bad;
	memset(&bad, 0, sizeof bad);
	snprintf(bad.code, sizeof bad.code, "10 01");
	snprintf(bad.name, sizeof bad.name, "X");
	CHECK_INT(field_agent_cache(s, &bad, PASS, NULL, 0, T0), STORE_EINVAL);
	CHECK(strncmp(store_error(s), "code:", 5) == 0);
	CHECK_INT(count(dbpath, "SELECT count(*) FROM agents"), 1);
}

static void test_unknown_expired_format(struct store *s)
{
	struct field_login_result r;

	r = offline(s, "2002", PASS, clk(T0 + 3600, 1100, BOOT_A), 7);
	CHECK_INT(r.status, FIELD_LOGIN_UNKNOWN);
	CHECK_STR(r.message, "Este agente no ha iniciado sesión en línea en esta tableta; conéctese a la red "
			     "para el primer ingreso.");
	CHECK_INT(r.tries_left, 4); /* every well-formed try counts */
	/* older than valid_days: expired; a longer setting lets it in */
	r = offline(s, "1001", PASS, clk(T0 + 7200 + 8 * 86400, 1101, BOOT_A), 7);
	CHECK_INT(r.status, FIELD_LOGIN_EXPIRED);
	CHECK(strstr(r.message, "7 días") != NULL);
	r = offline(s, "1001", PASS, clk(T0 + 7200 + 8 * 86400, 1102, BOOT_A), 10);
	CHECK_INT(r.status, FIELD_LOGIN_OK);
	/* a bad form spends no try */
	r = offline(s, "10-01", PASS, clk(T0, 1103, BOOT_A), 7);
	CHECK_INT(r.status, FIELD_LOGIN_BAD_FORMAT);
	r = offline(s, "1001", "", clk(T0, 1104, BOOT_A), 7);
	CHECK_INT(r.status, FIELD_LOGIN_BAD_FORMAT);
	r = offline(s, "2002", PASS, clk(T0 + 3600, 1105, BOOT_A), 7);
	CHECK_INT(r.tries_left, 4); /* the OK above cleared it; this one counts, the bad forms did not */
	CHECK_INT(offline(s, "1001", PASS, clk(T0 + 3600, 1106, BOOT_A), 7).status, FIELD_LOGIN_OK);
	/* the clock set back two days before the hash was cached: its age cannot be told, expired */
	r = offline(s, "1001", PASS, clk(T0 + 7200 - 2 * 86400, 1107, BOOT_A), 7);
	CHECK_INT(r.status, FIELD_LOGIN_EXPIRED);
	CHECK_INT(offline(s, "1001", PASS, clk(T0 + 7300, 1108, BOOT_A), 7).status, FIELD_LOGIN_OK);
}

/* 5 wrong lock the tablet 30 minutes, through a reopen, on the boot clock. */
static void test_lock(struct store **sp)
{
	struct field_login_result r;
	int64_t m = 5000;

	for (int i = 1; i <= 4; i++) {
		r = offline(*sp, i % 2 ? "1001" : "3003", "nope", clk(T0, m++, BOOT_A), 7);
		CHECK_INT(r.tries_left, FIELD_LOGIN_MAX_TRIES - i);
	}
	r = offline(*sp, "1001", "nope", clk(T0, m, BOOT_A), 7);
	CHECK_INT(r.status, FIELD_LOGIN_LOCKED);
	CHECK_INT(r.locked_s, FIELD_LOGIN_LOCK_S);
	CHECK(strstr(r.message, "30 minutos") != NULL);
	r = offline(*sp, "1001", PASS, clk(T0, m + 10, BOOT_A), 7); /* the right one: not even checked */
	CHECK_INT(r.status, FIELD_LOGIN_LOCKED);
	CHECK_INT(r.locked_s, FIELD_LOGIN_LOCK_S - 10);
	/* the PIN's lock is another key */
	CHECK_INT(count(dbpath, "SELECT count(*) FROM meta WHERE key = 'maint_pin_lock'"), 0);
	CHECK_INT(count(dbpath, "SELECT count(*) FROM meta WHERE key = '" FIELD_LOGIN_LOCK_KEY "' AND value LIKE '5 %'"),
		  1);

	store_close(*sp);
	*sp = open_store(dbpath);
	struct maint_pin_clock c = clk(T0 - 86400 * 3, m + 1799, BOOT_A); /* the wall clock set back */
	CHECK_INT(field_login_state(*sp, &c, &r), 0);
	CHECK_INT(r.status, FIELD_LOGIN_LOCKED);
	CHECK_INT(r.locked_s, 1);
	c = clk(T0 + 86400 * 3, m + 1000, BOOT_A); /* or forward: the boot clock decides */
	CHECK_INT(field_login_state(*sp, &c, &r), 0);
	CHECK_INT(r.status, FIELD_LOGIN_LOCKED);
	c = clk(T0, m + 1800, BOOT_A);
	CHECK_INT(field_login_state(*sp, &c, &r), 0);
	CHECK_INT(r.status, FIELD_LOGIN_OK);
	CHECK_INT(r.tries_left, FIELD_LOGIN_MAX_TRIES);

	/* a reboot: the wall clock spans the gap */
	for (int i = 0; i < 5; i++)
		offline(*sp, "1001", "nope", clk(T0 + 10000, 20 + i, BOOT_B), 7);
	c = clk(T0 + 10000 + 600, 5, BOOT_A);
	CHECK_INT(field_login_state(*sp, &c, &r), 0);
	CHECK_INT(r.status, FIELD_LOGIN_LOCKED);
	CHECK_INT(r.locked_s, FIELD_LOGIN_LOCK_S - 600);
	r = offline(*sp, "1001", PASS, clk(T0 + 10000 + 600 + 1800, 5 + 1800, BOOT_A), 7);
	CHECK_INT(r.status, FIELD_LOGIN_OK);
}

/* The try is on disk before the hash is checked: a store that refuses to clear the count (as
 * a power cut after the check would leave it) still holds the try, even for the right password. */
static void test_counted_first(struct store *s)
{
	struct field_login_result r;
	sqlite3 *db;
	CHECK_INT(sqlite3_open(dbpath, &db), SQLITE_OK);
	CHECK_INT(sqlite3_exec(db, "CREATE TRIGGER cut_power BEFORE INSERT ON meta WHEN NEW.key = '"
				   FIELD_LOGIN_LOCK_KEY "' AND NEW.value LIKE '0 %' BEGIN SELECT RAISE(ABORT, 'cut'); END",
			       NULL, NULL, NULL),
		  SQLITE_OK);
	struct maint_pin_clock c = clk(T0 + 20000, 9000, BOOT_A);
	CHECK(field_login_offline(s, "1001", PASS, &c, 7, &r) < 0);
	CHECK_INT(sqlite3_exec(db, "DROP TRIGGER cut_power", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	CHECK_INT(field_login_state(s, &c, &r), 0);
	CHECK_INT(r.tries_left, FIELD_LOGIN_MAX_TRIES - 1);
	CHECK_INT(offline(s, "1001", PASS, c, 7).status, FIELD_LOGIN_OK);
}

static void test_supervisor(struct store *s)
{
	struct field_login_result r;
	struct maint_pin_clock c = clk(T0 + 30000, 12000, BOOT_A);

	cache(s, "1002", "Jorge Supervisor Ruiz", FIELD_ROLE_SUPERVISOR, SUPER_PASS, T0 + 30000);
	CHECK_INT(field_supervisor_check(s, "1001", PASS, &c, 7, &r), 0);
	CHECK_INT(r.status, FIELD_LOGIN_NOT_SUPERVISOR);
	CHECK_INT(r.tries_left, FIELD_LOGIN_MAX_TRIES); /* no try spent */
	CHECK_INT(field_supervisor_check(s, "1002", "super2025", &c, 7, &r), 0);
	CHECK_INT(r.status, FIELD_LOGIN_WRONG);
	CHECK_INT(r.tries_left, FIELD_LOGIN_MAX_TRIES - 1);
	CHECK_INT(field_supervisor_check(s, "1002", SUPER_PASS, &c, 7, &r), 0);
	CHECK_INT(r.status, FIELD_LOGIN_OK);
	CHECK_INT(r.agent.role, FIELD_ROLE_SUPERVISOR);
	CHECK_INT(field_supervisor_check(s, "1002", "", &c, 7, &r), 0);
	CHECK_INT(r.status, FIELD_LOGIN_BAD_FORMAT);
	CHECK_INT(field_supervisor_check(s, "4004", SUPER_PASS, &c, 7, &r), 0);
	CHECK_INT(r.status, FIELD_LOGIN_UNKNOWN);
	/* begin + refused: the server's no is a counted wrong try */
	CHECK_INT(field_login_begin(s, "1001", PASS, &c, &r), 0);
	CHECK_INT(r.status, FIELD_LOGIN_OK);
	CHECK_INT(field_login_refused(s, "1001", &c, &r), 0);
	CHECK_INT(r.status, FIELD_LOGIN_WRONG);
	CHECK_INT(r.tries_left, FIELD_LOGIN_MAX_TRIES - 2);
	CHECK_INT(offline(s, "1001", PASS, c, 7).status, FIELD_LOGIN_OK);
}

static void test_audit(struct store *s)
{
	struct field_login_result r;
	/* a code that could be an ID number is not written */
	r = offline(s, "1234567", PASS, clk(T0 + 40000, 13000, BOOT_A), 7);
	CHECK_INT(r.status, FIELD_LOGIN_UNKNOWN);
	CHECK_INT(count(dbpath, "SELECT count(*) FROM audit WHERE detail LIKE '%1234567%'"), 0);
	CHECK(count(dbpath, "SELECT count(*) FROM audit WHERE detail LIKE 'agent=hidden %'") >= 1);
	CHECK(count(dbpath, "SELECT count(*) FROM audit WHERE action = 'field.login' AND result = 'ok'"
			    " AND detail = 'agent=1001 tries_left=5'") >= 3);
	CHECK(count(dbpath, "SELECT count(*) FROM audit WHERE action = 'field.login' AND result = 'wrong'") >= 3);
	CHECK(count(dbpath, "SELECT count(*) FROM audit WHERE action = 'field.login' AND result = 'locked'") >= 2);
	CHECK(count(dbpath, "SELECT count(*) FROM audit WHERE action = 'field.login' AND result = 'unknown'") >= 2);
	CHECK(count(dbpath, "SELECT count(*) FROM audit WHERE action = 'field.login' AND result = 'expired'") >= 1);
	CHECK(count(dbpath, "SELECT count(*) FROM audit WHERE action = 'field.supervisor' AND result = "
			    "'not_supervisor'") == 1);
	CHECK_INT(count(dbpath, "SELECT count(*) FROM audit WHERE detail LIKE '%campo%' OR detail LIKE '%super20%'"
				" OR detail LIKE '%nope%' OR detail LIKE '%Andrea%'"),
		  0);
	CHECK_INT(count(dbpath, "SELECT count(*) FROM outbox WHERE payload LIKE '%campo20%' OR payload LIKE "
				"'%super20%' OR payload LIKE '%nope%'"),
		  0);
	int64_t rows, bad;
	char why[128];
	CHECK_INT(store_audit_verify(s, &rows, &bad, why, sizeof why), 0);
}

/* ---- the portfolio file's "agents" ---- */

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void import_bad(struct store *s, const char *path, const char *agents, const char *want)
{
	char text[2048], err[512];
	snprintf(text, sizeof text,
		 "{\"format\":\"recaudo-portfolio/1\",\"as_of\":\"2026-11-21T18:00:00-05:00\",\"customers\":[],"
		 "\"agents\":%s}",
		 agents);
	CHECK_INT(write_text(path, text), 0);
	CHECK(store_import_file(s, path, err, sizeof err) < 0);
	if (!strstr(err, want))
		fprintf(stderr, "import error \"%s\", want \"%s\"\n", err, want);
	CHECK(strstr(err, want) != NULL);
}

static void test_import(void)
{
	char path[128], db2[128], text[2048], err[512], enc[160];
	struct field_agent a;
	struct field_login_result r;
	const int64_t as_of = 1795302000; /* 2026-11-21T18:00:00-05:00 */

	snprintf(path, sizeof path, "%s/agents.json", tmpdir);
	snprintf(db2, sizeof db2, "%s/import.db", tmpdir);
	struct store *s = open_store(db2);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(argon2id_hash_encoded(1, 8, 1, "clave1", 6, "0123456789abcdef", 16, 32, enc, sizeof enc), ARGON2_OK);
	snprintf(text, sizeof text,
		 "{\"format\":\"recaudo-portfolio/1\",\"as_of\":\"2026-11-21T18:00:00-05:00\",\"customers\":[],"
		 "\"agents\":[{\"code\":\"A7\",\"name\":\"Ana Núñez\",\"role\":\"agent\",\"cap\":\"2000000\","
		 "\"password_argon2\":\"%s\",\"clients\":[{\"id_type\":\"CC\",\"id_number\":\"1020304050\"},"
		 "{\"id_type\":\"NIT\",\"id_number\":\"900123456-8\"}]},"
		 "{\"code\":\"S9\",\"name\":\"Sara\",\"role\":\"supervisor\",\"clients\":[]}]}",
		 enc);
	CHECK_INT(write_text(path, text), 0);
	CHECK_INT(store_import_file(s, path, err, sizeof err), 0);
	if (err[0])
		fprintf(stderr, "import: %s\n", err);
	CHECK_INT(field_agent_get(s, "A7", &a), 0);
	CHECK_INT(a.has_hash, 1);
	CHECK_INT(a.hash_at, as_of);
	CHECK_INT(a.cap_minor, 200000000);
	CHECK_INT(field_agent_get(s, "S9", &a), 0);
	CHECK_INT(a.has_hash, 0);
	CHECK_INT(a.role, FIELD_ROLE_SUPERVISOR);
	CHECK_INT(a.cap_minor, -1);
	CHECK_INT(count(db2, "SELECT count(*) FROM agent_clients WHERE agent_code = 'A7' AND"
			     " ((id_type = 'NIT' AND id_number = '900123456') OR id_number = '1020304050')"),
		  2);
	/* the imported hash logs in offline while as_of is recent; the one with none cannot */
	r = offline(s, "A7", "clave1", clk(as_of + 86400, 10, BOOT_A), 7);
	CHECK_INT(r.status, FIELD_LOGIN_OK);
	r = offline(s, "S9", "clave1", clk(as_of + 86400, 11, BOOT_A), 7);
	CHECK_INT(r.status, FIELD_LOGIN_UNKNOWN);
	/* an online login keeps the imported cap */
	memset(&a, 0, sizeof a);
	snprintf(a.code, sizeof a.code, "A7");
	snprintf(a.name, sizeof a.name, "Ana Núñez");
	a.cap_minor = -1;
	CHECK_INT(field_agent_cache(s, &a, "clave2", NULL, 0, as_of + 100), 0);
	CHECK_INT(field_agent_get(s, "A7", &a), 0);
	CHECK_INT(a.cap_minor, 200000000);
	CHECK_INT(count(db2, "SELECT count(*) FROM agent_clients"), 0);

	/* strict, path-named, all or nothing */
	import_bad(s, path, "{}", "agents: must be an array");
	import_bad(s, path, "[{\"code\":\"B1\",\"name\":\"B\",\"role\":\"boss\",\"clients\":[]}]",
		   "agents[0].role: must be \"agent\" or \"supervisor\"");
	import_bad(s, path, "[{\"code\":\"B-1\",\"name\":\"B\",\"role\":\"agent\",\"clients\":[]}]", "agents[0].code:");
	import_bad(s, path,
		   "[{\"code\":\"B1\",\"name\":\"B\",\"role\":\"agent\",\"password_argon2\":\"plain\",\"clients\":[]}]",
		   "agents[0].password_argon2: must be an encoded Argon2id hash");
	import_bad(s, path, "[{\"code\":\"B1\",\"name\":\"B\",\"role\":\"agent\",\"cap\":2000,\"clients\":[]}]",
		   "agents[0].cap: must be whole pesos");
	import_bad(s, path,
		   "[{\"code\":\"B1\",\"name\":\"B\",\"role\":\"agent\",\"clients\":[]},{\"code\":\"B2\",\"name\":\"C\","
		   "\"role\":\"agent\",\"clients\":[{\"id_type\":\"CC\",\"id_number\":\"12a\"}]}]",
		   "agents[1].clients[0].id_number:");
	import_bad(s, path, "[{\"code\":\"B1\",\"name\":\"B\",\"role\":\"agent\"}]", "agents[0].clients: missing");
	CHECK_INT(count(db2, "SELECT count(*) FROM agents WHERE code LIKE 'B%'"), 0);

	/* the demo file provisions 1001, the supervisor 1002 and 1003 (an agent, not a supervisor) */
	CHECK_INT(store_import_file(s, "assets/demo/portfolio.json", err, sizeof err), 0);
	CHECK_INT(field_agent_get(s, "1001", &a), 0);
	CHECK_STR(a.name, "Andrea Campos");
	CHECK_INT(a.has_hash, 1);
	CHECK_INT(a.hash_at, as_of);
	CHECK_INT(field_agent_get(s, "1002", &a), 0);
	CHECK_INT(a.role, FIELD_ROLE_SUPERVISOR);
	CHECK_INT(count(db2, "SELECT count(*) FROM agent_clients WHERE agent_code = '1001'"), 8);
	CHECK_INT(count(db2, "SELECT count(*) FROM agent_clients c WHERE agent_code = '1001' AND NOT EXISTS"
			     " (SELECT 1 FROM customers WHERE id_type = c.id_type AND id_number = c.id_number)"),
		  0);
	CHECK_INT(field_agent_get(s, "1003", &a), 0);
	CHECK_INT(a.role, FIELD_ROLE_AGENT);
	CHECK_INT(count(db2, "SELECT count(*) FROM agents WHERE pass_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%'"), 3);
	store_close(s);
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/recaudo-agents-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	snprintf(dbpath, sizeof dbpath, "%s/store.db", tmpdir);
	field_agents_set_hash_cost(1, 8); /* the test cost: the encoded hash carries it */

	test_format();
	struct store *s = open_store(dbpath);
	CHECK(s != NULL);
	if (s) {
		test_cache_then_offline(s);
		test_unknown_expired_format(s);
		test_lock(&s);
		test_counted_first(s);
		test_supervisor(s);
		test_audit(s);
		store_close(s);
	}
	test_import();
	tmpdir_remove(tmpdir);
	return check_done();
}
