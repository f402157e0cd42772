/* test_field_agents_sim — POST /v1/agents/login end to end: the API client (api_agent_login)
 * against the central simulator on 127.0.0.1, seeded with the demo portfolio's agents (1001
 * campo2026, supervisor 1002 super2026): accepted with the name, role and clients; a wrong
 * password or an unknown code is API_DENIED; the strict parser of the answer; field_login
 * online (the tablet caches the hash and the clients), then with the server down (the cached
 * hash decides). No password in the simulator's log. */
#include <signal.h>

#include "api.h"
#include "api_internal.h"
#include "check.h"
#include "field_agents.h"
#include "sim_harness.h"
#include "store.h"

static struct h_sim sim;
static char base[64], pin[128], ca[H_DIR - 8], db[H_DIR + 16];

static struct api *open_api(void)
{
	struct api_config c;
	char err[256];
	struct api *a;

	memset(&c, 0, sizeof c);
	snprintf(c.base_url, sizeof c.base_url, "%s", sim.url);
	snprintf(c.device_id, sizeof c.device_id, "K0001");
	h_key(c.secret, 1);
	snprintf(c.ca_file, sizeof c.ca_file, "%s", ca);
	c.timeout_ms = 10000;
	a = api_open(&c, err, sizeof err);
	if (!a)
		fprintf(stderr, "api_open: %s\n", err);
	return a;
}

static void test_route(void)
{
	struct api_agent_login out;
	struct api *a = open_api();

	CHECK(a != NULL);
	if (!a)
		return;
	CHECK_INT(api_agent_login(a, "1001", "campo2026", 5000, &out), API_OK);
	CHECK_STR(out.agent, "1001");
	CHECK_STR(out.name, "Andrea Campos");
	CHECK_INT(out.supervisor, 0);
	CHECK_INT(out.nclients, 8);
	CHECK(out.server_time > 0);
	int found = 0;
	for (int i = 0; i < out.nclients; i++)
		found += out.clients[i].id_type == ID_CC && !strcmp(out.clients[i].id_number, "1090456123");
	CHECK_INT(found, 1);
	api_agent_login_free(&out);

	CHECK_INT(api_agent_login(a, "1002", "super2026", 5000, &out), API_OK);
	CHECK_INT(out.supervisor, 1);
	CHECK_INT(out.nclients, 0);
	api_agent_login_free(&out);

	CHECK_INT(api_agent_login(a, "1001", "campo2025", 5000, &out), API_DENIED);
	CHECK(strstr(api_error(a), "invalid_credentials") != NULL);
	CHECK(strstr(api_error(a), "campo") == NULL);
	CHECK_INT(out.nclients, 0);
	CHECK_INT(api_agent_login(a, "9999", "campo2026", 5000, &out), API_DENIED);
	/* refused before anything is sent */
	CHECK_INT(api_agent_login(a, "10-01", "campo2026", 5000, &out), API_ERR_PROTOCOL);
	CHECK_INT(api_agent_login(a, "1001", "", 5000, &out), API_ERR_PROTOCOL);
	/* a password with JSON's special characters travels intact (and is refused as wrong) */
	CHECK_INT(api_agent_login(a, "1001", "a\"b\\c ñ", 5000, &out), API_DENIED);
	api_close(a);
}

static int parse(const char *body, char *err, size_t n)
{
	struct api_agent_login out;
	int rc = api_parse_agent_login(body, strlen(body), &out, err, n);

	api_agent_login_free(&out);
	return rc;
}

static void test_parser(void)
{
	char err[200], *big;
	struct api_agent_login out;
	const char *ok = "{\"agent\":\"1001\",\"name\":\"Andrea\",\"role\":\"agent\",\"server_time\":"
			 "\"2026-11-22T15:00:00Z\",\"clients\":[{\"id_type\":\"NIT\",\"id_number\":\"900123456-8\"}]}";

	CHECK_INT(api_parse_agent_login(ok, strlen(ok), &out, err, sizeof err), API_OK);
	CHECK_INT(out.nclients, 1);
	CHECK_INT(out.clients[0].id_type, ID_NIT);
	CHECK_STR(out.clients[0].id_number, "900123456");
	CHECK_INT(out.server_time, 1795359600);
	api_agent_login_free(&out);
	CHECK_INT(parse("{\"agent\":\"1001\",\"name\":\"A\",\"role\":\"boss\",\"server_time\":\"2026-11-22T15:00:00Z\","
			"\"clients\":[]}", err, sizeof err),
		  API_ERR_PROTOCOL);
	CHECK(strstr(err, "role: must be") != NULL);
	CHECK_INT(parse("{\"agent\":\"1001\",\"name\":\"A\",\"role\":\"agent\",\"server_time\":\"2026-11-22T15:00:00Z\"}",
			err, sizeof err),
		  API_ERR_PROTOCOL);
	CHECK(strstr(err, "clients: missing") != NULL);
	CHECK_INT(parse("{\"agent\":\"1001\",\"name\":\"A\",\"role\":\"agent\",\"server_time\":\"2026-11-22T15:00:00Z\","
			"\"clients\":[{\"id_type\":\"NIT\",\"id_number\":\"900123456-7\"}]}",
			err, sizeof err),
		  API_ERR_PROTOCOL);
	CHECK(strstr(err, "clients[0].id_number") != NULL);
	CHECK(strstr(err, "900123456") == NULL);
	CHECK_INT(parse("{\"agent\":\"1001\"} x", err, sizeof err), API_ERR_PROTOCOL);
	/* more clients than the bound */
	const char *head = "{\"agent\":\"1001\",\"name\":\"A\",\"role\":\"agent\",\"server_time\":"
			   "\"2026-11-22T15:00:00Z\",\"clients\":[";
	const char *one = "{\"id_type\":\"CC\",\"id_number\":\"1020304050\"},";
	size_t cap = strlen(head) + (API_AGENT_CLIENTS_MAX + 1) * strlen(one) + 8;
	big = malloc(cap);
	CHECK(big != NULL);
	if (big) {
		size_t o = (size_t)snprintf(big, cap, "%s", head);
		for (int i = 0; i <= API_AGENT_CLIENTS_MAX; i++)
			o += (size_t)snprintf(big + o, cap - o, "%s", one);
		snprintf(big + o - 1, cap - o + 1, "]}");
		CHECK_INT(parse(big, err, sizeof err), API_ERR_PROTOCOL);
		CHECK(strstr(err, "clients: more than 5000") != NULL);
		free(big);
	}
}

static struct maint_pin_clock clk(int64_t wall, int64_t mono)
{
	struct maint_pin_clock c;
	memset(&c, 0, sizeof c);
	c.wall_s = wall;
	c.mono_s = mono;
	snprintf(c.boot_id, sizeof c.boot_id, "test-boot");
	return c;
}

static void test_field_login(void)
{
	struct field_login_result r;
	struct field_agent ag;
	struct store *s = NULL;
	struct api *a = open_api();
	char err[256];
	int online = -1;
	int64_t now = (int64_t)time(NULL);
	struct maint_pin_clock c = clk(now, 100);

	CHECK(a != NULL);
	CHECK_INT(store_open(&s, db, err, sizeof err), 0);
	if (!a || !s)
		goto out;
	/* online: accepted, cached with the clients */
	CHECK_INT(field_login(s, a, "1001", "campo2026", &c, 7, now, &r, &online), 0);
	CHECK_INT(r.status, FIELD_LOGIN_OK);
	CHECK_INT(online, 1);
	CHECK_STR(r.agent.name, "Andrea Campos");
	CHECK_INT(field_agent_get(s, "1001", &ag), 0);
	CHECK_INT(ag.has_hash, 1);
	CHECK_INT(ag.hash_at, now);
	/* online: refused, a counted wrong try */
	c = clk(now, 101);
	CHECK_INT(field_login(s, a, "1001", "campo2025", &c, 7, now, &r, &online), 0);
	CHECK_INT(r.status, FIELD_LOGIN_WRONG);
	CHECK_INT(r.tries_left, FIELD_LOGIN_MAX_TRIES - 1);
	CHECK_INT(online, 1);
	CHECK_INT(field_login(s, a, "7777", "campo2025", &c, 7, now, &r, &online), 0);
	CHECK_INT(r.status, FIELD_LOGIN_WRONG);
	CHECK_INT(r.tries_left, FIELD_LOGIN_MAX_TRIES - 2);

	/* the server down: the cached hash decides */
	CHECK_INT(h_sim_stop(&sim, SIGTERM), 0);
	c = clk(now + 3600, 3700);
	CHECK_INT(field_login(s, a, "1001", "campo2026", &c, 7, now + 3600, &r, &online), 0);
	CHECK_INT(r.status, FIELD_LOGIN_OK);
	CHECK_INT(online, 0);
	CHECK_INT(r.tries_left, FIELD_LOGIN_MAX_TRIES);
	CHECK_INT(field_login(s, a, "1001", "campo2025", &c, 7, now + 3600, &r, &online), 0);
	CHECK_INT(r.status, FIELD_LOGIN_WRONG);
	CHECK_INT(online, 0);
	/* 1002 logged in on another tablet (test_route), never on this one */
	CHECK_INT(field_login(s, a, "1002", "super2026", &c, 7, now + 3600, &r, &online), 0);
	CHECK_INT(r.status, FIELD_LOGIN_UNKNOWN);
	CHECK_INT(online, 0);
	/* the hash too old: even with the right password */
	c = clk(now + 8 * 86400, 3800);
	CHECK_INT(field_login(s, a, "1001", "campo2026", &c, 7, now + 8 * 86400, &r, &online), 0);
	CHECK_INT(r.status, FIELD_LOGIN_EXPIRED);
out:
	api_close(a);
	store_close(s);
}

int main(int argc, char **argv)
{
	char dir[H_DIR - 16], log[H_PATH + 16];
	int started;

	(void)argc;
	signal(SIGPIPE, SIG_IGN);
	if (h_init(argv[0]) < 0)
		return 1;
	field_agents_set_hash_cost(1, 8); /* the tablet's own hashes at the test cost */
	snprintf(base, sizeof base, "/tmp/recaudo-agentsim-XXXXXX");
	if (!mkdtemp(base))
		return 1;
	snprintf(dir, sizeof dir, "%s/central", base);
	snprintf(db, sizeof db, "%s/tablet.db", base);
	CHECK_INT(h_sim_prepare(&sim, dir, pin, sizeof pin), 0);
	snprintf(ca, sizeof ca, "%s/ca.pem", dir);
	sim.quiet = 0; /* one line per request: the log must still hold no password */
	started = h_sim_start(&sim, 0) == 0;
	CHECK(started);
	test_parser();
	if (started) {
		test_route();
		test_field_login();
		snprintf(log, sizeof log, "%s/sim.log", dir);
		CHECK_INT(h_count_lines(log, "campo20"), 0);
		CHECK_INT(h_count_lines(log, "super20"), 0);
		CHECK(h_count_lines(log, "/v1/agents/login") >= 3);
	}
	if (sim.pid > 0)
		h_sim_stop(&sim, SIGKILL);
	h_rm_rf(base);
	curl_global_cleanup();
	return check_done();
}
