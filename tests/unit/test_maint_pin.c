/* test_maint_pin — the technician's PIN: format, Argon2id hash in meta, right and wrong
 * tries, the 5-try lockout across a restart, a clock set back or forward and a reboot, and
 * the demo PIN's mark; a try is recorded as wrong before the hash is checked (a power cut
 * during the check counts it). Virtual clocks throughout. */
#include <argon2.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "tmpdir.h"
#include "maint_pin.h"
#include "store.h"

static char tmpdir[64];
static char dbpath[128];

static struct store *open_store(void)
{
	struct store *s = NULL;
	char err[256];
	if (store_open(&s, dbpath, err, sizeof err) != 0)
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

static struct maint_pin_result try_pin(struct store *s, const char *pin, struct maint_pin_clock c)
{
	struct maint_pin_result r;
	int rc = maint_pin_check_at(s, pin, &c, &r);
	CHECK_INT(rc, 0);
	return r;
}

#define T0 1795000000LL /* 2026-11 */
#define BOOT_A "11111111-2222-3333-4444-555555555555"
#define BOOT_B "99999999-8888-7777-6666-555555555555"

static void test_format(struct store *s)
{
	char err[128];
	CHECK(maint_pin_valid("123456", err, sizeof err) == 0);
	CHECK(maint_pin_valid("123456789012", err, sizeof err) == 0);
	CHECK(maint_pin_valid("12345", err, sizeof err) != 0);
	CHECK(strstr(err, "6 to 12 digits") != NULL);
	CHECK(maint_pin_valid("1234567890123", err, sizeof err) != 0);
	CHECK(maint_pin_valid("12345a", err, sizeof err) != 0);
	CHECK(strstr(err, "digits only") != NULL);
	CHECK(maint_pin_valid("123 456", err, sizeof err) != 0);
	CHECK(maint_pin_valid("", err, sizeof err) != 0);
	CHECK(maint_pin_valid(NULL, err, sizeof err) != 0);
	/* a refused PIN changes nothing */
	CHECK(maint_pin_set(s, "12345", err, sizeof err) < 0);
	CHECK(maint_pin_set(s, "1234567890123", err, sizeof err) < 0);
	CHECK(maint_pin_set(s, "12345x", err, sizeof err) < 0);
	CHECK_INT(maint_pin_is_set(s), 0);
	struct maint_pin_result r = try_pin(s, "123456", clk(T0, 100, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_NOT_SET);
}

static void test_set_and_check(struct store *s)
{
	char err[128], enc[200];
	CHECK_INT(maint_pin_set(s, "90817263", err, sizeof err), 0);
	CHECK_INT(maint_pin_is_set(s), 1);
	CHECK_INT(maint_pin_is_demo(s), 0);
	CHECK_INT(store_meta_get(s, "maint_pin_hash", enc, sizeof enc), 0);
	CHECK(strncmp(enc, "$argon2id$v=19$m=65536,t=3,p=1$", 31) == 0);
	CHECK(strstr(enc, "90817263") == NULL);
	/* a per-kiosk salt: the same PIN set again hashes differently */
	char enc2[200];
	CHECK_INT(maint_pin_set(s, "90817263", err, sizeof err), 0);
	CHECK_INT(store_meta_get(s, "maint_pin_hash", enc2, sizeof enc2), 0);
	CHECK(strcmp(enc, enc2) != 0);

	struct maint_pin_result r = try_pin(s, "90817263", clk(T0, 100, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_OK);
	r = try_pin(s, "90817", clk(T0, 100, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_BAD_FORMAT);
	r = try_pin(s, "90817264", clk(T0, 100, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_WRONG);
	CHECK_INT(r.tries_left, 4);
	r = try_pin(s, "908172630", clk(T0, 101, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_WRONG);
	CHECK_INT(r.tries_left, 3);
	/* a bad format is not a try */
	r = try_pin(s, "abc", clk(T0, 101, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_BAD_FORMAT);
	/* the right PIN resets the count */
	r = try_pin(s, "90817263", clk(T0, 102, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_OK);
	r = try_pin(s, "111111", clk(T0, 103, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_WRONG);
	CHECK_INT(r.tries_left, 4);
	r = try_pin(s, "90817263", clk(T0, 104, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_OK);
}

/* five wrong -> locked 30 min; a restart, a clock set back or forward keep it */
static struct store *test_lockout(struct store *s)
{
	struct maint_pin_result r;
	int64_t w = T0 + 1000, m = 5000;
	for (int i = 0; i < 4; i++) {
		r = try_pin(s, "000000", clk(w + i, m + i, BOOT_A));
		CHECK_INT(r.status, MAINT_PIN_WRONG);
		CHECK_INT(r.tries_left, 4 - i);
	}
	r = try_pin(s, "000000", clk(w + 4, m + 4, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_LOCKED);
	CHECK_INT(r.locked_s, 1800);
	/* locked: even the right PIN is not checked */
	r = try_pin(s, "90817263", clk(w + 64, m + 64, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_LOCKED);
	CHECK_INT(r.locked_s, 1740);
	/* a restart (the store closed and opened again), 10 minutes later */
	store_close(s);
	s = open_store();
	CHECK(s != NULL);
	if (!s)
		return NULL;
	r = try_pin(s, "90817263", clk(w + 604, m + 604, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_LOCKED);
	CHECK_INT(r.locked_s, 1200);
	/* the wall clock set back an hour: still locked, and the time left is the same */
	r = try_pin(s, "90817263", clk(w + 604 - 3600, m + 605, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_LOCKED);
	CHECK_INT(r.locked_s, 1199);
	/* the wall clock set forward an hour in the same boot: still locked */
	r = try_pin(s, "90817263", clk(w + 606 + 3600, m + 606, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_LOCKED);
	CHECK_INT(r.locked_s, 1198);
	/* 30 minutes after the lock: open, and the right PIN works */
	r = try_pin(s, "90817263", clk(w + 4 + 1800, m + 4 + 1800, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_OK);
	r = try_pin(s, "000000", clk(w + 1810, m + 1810, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_WRONG);
	CHECK_INT(r.tries_left, 4);
	return s;
}

/* a power cut: the monotonic clock starts again at 0 in a new boot; wall time spans it */
static struct store *test_reboot(struct store *s)
{
	struct maint_pin_result r;
	int64_t w = T0 + 10000;
	for (int i = 0; i < 5; i++)
		r = try_pin(s, "000001", clk(w, 90000, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_LOCKED);
	store_close(s);
	s = open_store();
	if (!s)
		return NULL;
	/* rebooted 5 minutes later: 25 minutes left */
	r = try_pin(s, "90817263", clk(w + 300, 20, BOOT_B));
	CHECK_INT(r.status, MAINT_PIN_LOCKED);
	CHECK_INT(r.locked_s, 1500);
	/* re-anchored to this boot: the wall clock set back a day changes nothing now */
	r = try_pin(s, "90817263", clk(w - 86400, 80, BOOT_B));
	CHECK_INT(r.status, MAINT_PIN_LOCKED);
	CHECK_INT(r.locked_s, 1440);
	/* another reboot with the clock before the lock's start (set back, or a lost RTC):
	 * locked for 30 minutes from now */
	r = try_pin(s, "90817263", clk(w - 3600, 10, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_LOCKED);
	CHECK_INT(r.locked_s, 1800);
	r = try_pin(s, "90817263", clk(w - 3600 + 1799, 10 + 1799, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_LOCKED);
	CHECK_INT(r.locked_s, 1);
	r = try_pin(s, "90817263", clk(w - 3600 + 1800, 10 + 1800, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_OK);
	/* a damaged lock record counts as a lock, never as a clean slate */
	CHECK_INT(store_meta_set(s, "maint_pin_lock", "garbage"), 0);
	r = try_pin(s, "90817263", clk(w + 5000, 5000, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_LOCKED);
	CHECK_INT(r.locked_s, 1800);
	return s;
}

static void test_demo(struct store *s)
{
	char err[128];
	struct maint_pin_result r;
	/* the precomputed demo hash verifies the demo PIN with today's parameters */
	CHECK_INT(argon2id_verify(maint_pin_demo_hash, MAINT_PIN_DEMO, strlen(MAINT_PIN_DEMO)), ARGON2_OK);
	CHECK(strstr(maint_pin_demo_hash, "$argon2id$v=19$m=65536,t=3,p=1$") == maint_pin_demo_hash);
	CHECK_INT(maint_pin_set_demo(s), 0);
	CHECK_INT(maint_pin_is_set(s), 1);
	CHECK_INT(maint_pin_is_demo(s), 1);
	/* setting a PIN clears the lock too */
	r = try_pin(s, MAINT_PIN_DEMO, clk(T0 + 20000, 20000, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_OK);
	CHECK_INT(maint_pin_set(s, "5556667778", err, sizeof err), 0);
	CHECK_INT(maint_pin_is_demo(s), 0);
	r = try_pin(s, MAINT_PIN_DEMO, clk(T0 + 20001, 20001, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_WRONG);
	r = try_pin(s, "5556667778", clk(T0 + 20002, 20002, BOOT_A));
	CHECK_INT(r.status, MAINT_PIN_OK);
	/* maint_pin_check: this boot's id, the clocks given */
	CHECK_INT(maint_pin_check(s, "5556667778", T0 + 20003, 20003, &r), 0);
	CHECK_INT(r.status, MAINT_PIN_OK);
}

static int exec_sql(const char *sql)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open(dbpath, &db) == SQLITE_OK ? sqlite3_exec(db, sql, NULL, NULL, NULL) : -1;
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

/* The try is on disk before Argon2 runs: a store that refuses the count's reset (as a power
 * cut after the check would leave it) still holds the try, even for the right PIN. */
static void test_counted_first(struct store *s)
{
	char err[128], v[128];
	CHECK_INT(maint_pin_set(s, "13572468", err, sizeof err), 0);
	CHECK_INT(exec_sql("CREATE TRIGGER cut_power BEFORE INSERT ON meta WHEN NEW.key = 'maint_pin_lock' "
			   "AND NEW.value LIKE '0 %' BEGIN SELECT RAISE(ABORT, 'power cut'); END"), 0);
	struct maint_pin_result r;
	struct maint_pin_clock c = clk(T0 + 9000, 9000, BOOT_A);
	CHECK(maint_pin_check_at(s, "13572468", &c, &r) < 0); /* the right PIN, the reset refused */
	CHECK_INT(store_meta_get(s, "maint_pin_lock", v, sizeof v), 0);
	CHECK(strncmp(v, "1 ", 2) == 0);
	r = try_pin(s, "", c); /* the pad's probe: one try spent */
	CHECK_INT(r.status, MAINT_PIN_BAD_FORMAT);
	CHECK_INT(r.tries_left, MAINT_PIN_MAX_TRIES - 1);
	CHECK_INT(exec_sql("DROP TRIGGER cut_power"), 0);
	r = try_pin(s, "13572468", c);
	CHECK_INT(r.status, MAINT_PIN_OK);
	r = try_pin(s, "", c);
	CHECK_INT(r.tries_left, MAINT_PIN_MAX_TRIES);
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/recaudo-pin-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	snprintf(dbpath, sizeof dbpath, "%s/recaudo.db", tmpdir);
	struct store *s = open_store();
	CHECK(s != NULL);
	if (s) {
		test_format(s);
		test_set_and_check(s);
		s = test_lockout(s);
	}
	if (s)
		s = test_reboot(s);
	if (s) {
		test_counted_first(s);
		test_demo(s);
		store_close(s);
	}
	tmpdir_remove(tmpdir);
	return check_done();
}
