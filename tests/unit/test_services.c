/* test_services — the kiosk's services without SDL (app/services.h): opened on a scratch data
 * directory with the demo portfolio, the integrity check comes back from the retention
 * worker, a lookup of the demo customer goes through the lookup worker and wakes the caller
 * through the plain callback, and closing leaves nothing open. A store that failed its check
 * stays closed while its file is the same and is opened again once it changes; opened on a
 * thread of its own, the result and the message come back at the join. This file
 * includes no SDL header; the Makefile links it without SDL's libraries (the link fails if
 * the services need SDL). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "services.h"
#include "tmpdir.h"

static char dir[64];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int wakes;

static void wake(void *user)
{
	pthread_mutex_lock(&mu);
	wakes += user == (void *)&wakes;
	pthread_mutex_unlock(&mu);
}

static int wakes_now(void)
{
	pthread_mutex_lock(&mu);
	int n = wakes;
	pthread_mutex_unlock(&mu);
	return n;
}

static int all_closed(const struct services *s)
{
	static const uint8_t zero[32];
	return !s->open && !s->store && !s->lk && !s->sync && !s->printer && !s->pq && !s->ret &&
	       !memcmp(s->key, zero, sizeof(zero));
}

static void open_demo(struct services *s, struct config *cfg)
{
	memset(s, 0, sizeof(*s));
	config_defaults(cfg);
	snprintf(s->data_dir, sizeof(s->data_dir), "%s/data", dir);
	snprintf(s->demo_portfolio, sizeof(s->demo_portfolio), "assets/demo/portfolio.json");
	s->wake = wake;
	s->wake_user = &wakes;
}

static void test_open_lookup_close(void)
{
	struct services s;
	struct config cfg;
	char err[512] = "";
	open_demo(&s, &cfg);
	CHECK_INT(services_open(&s, &cfg, err, sizeof(err)), 0);
	if (!s.open) {
		fprintf(stderr, "services_open: %s\n", err);
		return;
	}
	CHECK(s.store && s.lk && s.printer && s.pq && s.ret);
	CHECK(s.sync == NULL); /* no central API configured */
	CHECK(strstr(s.db_path, "/data/recaudo.db") != NULL);

	/* the retention worker's first request: the integrity check, passed */
	struct retention_report rr;
	retention_wait_first(s.ret);
	CHECK_INT(retention_poll(s.ret, &rr), 1);
	CHECK_INT(rr.checked, 1);
	CHECK_INT(rr.check_rc, 0);
	CHECK_INT(rr.rc, 0);

	/* the demo customer through the lookup worker */
	int before = wakes_now();
	lookup_request(s.lk, 7, ID_CC, "1020304050");
	lookup_wait_idle(s.lk);
	uint64_t req = 0;
	struct flow_lookup lr;
	memset(&lr, 0, sizeof(lr));
	CHECK_INT(lookup_poll(s.lk, &req, &lr), 1);
	CHECK(req == 7);
	CHECK_INT(lr.rc, 0);
	CHECK(lr.pf.ndocs > 0);
	CHECK_STR(lr.pf.id_number, "1020304050");
	portfolio_free(&lr.pf);
	CHECK(wakes_now() > before); /* the plain callback, with its user pointer */

	services_close(&s);
	CHECK(all_closed(&s));
	services_close(&s); /* twice is fine */
	CHECK(all_closed(&s));

	/* opened again: the same store, not imported twice */
	CHECK_INT(services_open(&s, &cfg, err, sizeof(err)), 0);
	struct store_status st;
	CHECK(s.store && store_status_get(s.store, &st) == 0 && st.customers > 0);
	services_close(&s);
}

/* A store that failed its integrity check: closed, kept closed while the file is the same. */
static void test_recheck_bad(void)
{
	struct services s;
	struct config cfg;
	char err[512] = "";
	open_demo(&s, &cfg);
	CHECK_INT(services_recheck_bad(&s), 0); /* nothing wrong: nothing to do */
	CHECK_INT(services_open(&s, &cfg, err, sizeof(err)), 0);
	s.store_bad = 1;
	CHECK_INT(services_recheck_bad(&s), 1);
	CHECK(all_closed(&s));
	CHECK_INT(services_recheck_bad(&s), 1); /* the same file: still bad, not opened */
	CHECK_INT(services_recheck_bad(&s), 1);
	CHECK(s.store_bad && !s.store_checking && !s.open);
	/* the file changes (a technician restores it): checked again */
	CHECK(truncate(s.db_path, s.store_bad_id[2] + 4096) == 0);
	CHECK_INT(services_recheck_bad(&s), 0);
	CHECK(!s.store_bad && s.store_checking);
	services_close(&s);
}

/* services_open_start/finish: the same opening on a thread of its own, its result and its
 * message handed back at the join; the caller's thread is free meanwhile. */
static void test_open_on_a_thread(void)
{
	struct services s;
	struct config cfg;
	char err[512] = "";
	open_demo(&s, &cfg);
	CHECK_INT(services_open_start(&s, &cfg), 0);
	CHECK_INT(services_open_finish(&s, err, sizeof(err)), 0);
	CHECK(s.open && s.store && s.lk && s.printer && s.pq && s.ret);
	struct store_status st;
	CHECK(store_status_get(s.store, &st) == 0 && st.customers > 0);
	services_close(&s);
	CHECK(all_closed(&s));

	/* a data directory that is a file: services_open's -1 and its message, nothing left open */
	open_demo(&s, &cfg);
	char file[128];
	snprintf(file, sizeof(file), "%s/not-a-dir", dir);
	FILE *f = fopen(file, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	snprintf(s.data_dir, sizeof(s.data_dir), "%s", file);
	CHECK_INT(services_open_start(&s, &cfg), 0);
	CHECK_INT(services_open_finish(&s, err, sizeof(err)), -1);
	CHECK(strstr(err, "not a directory") != NULL);
	CHECK(all_closed(&s));

	/* the message may be left behind (the display failed first: its own message stays) */
	CHECK_INT(services_open_start(&s, &cfg), 0);
	CHECK_INT(services_open_finish(&s, NULL, 0), -1);
	CHECK(all_closed(&s));
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/recaudo-svc-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	setenv("TZ", "America/Bogota", 1);
	test_open_lookup_close();
	test_recheck_bad();
	test_open_on_a_thread();
	tmpdir_remove(dir);
	return check_done();
}
