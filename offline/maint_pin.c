/* The technician's PIN and its lockout (see maint_pin.h, docs/maintenance.md). */
#include "maint_pin.h"

#include <argon2.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lockout.h"
#include "secret_hash.h"
#include "store.h"

/* meta keys: the encoded hash, the demo mark ("1"/"0"), the wrong-try state */
#define META_HASH "maint_pin_hash"
#define META_DEMO "maint_pin_demo"
#define META_LOCK "maint_pin_lock"

/* Argon2id cost (docs/maintenance.md: about 185 ms per check on the 2-core machine, one lane
 * so it does not need the second core the workers use; 64 MiB is cheap on a kiosk). */
enum { PIN_T_COST = 3, PIN_M_KIB = 64 * 1024 };
#define ENCODED_MAX SECRET_HASH_ENCODED_MAX

static const struct lockout_policy pin_lock = {META_LOCK, MAINT_PIN_MAX_TRIES, MAINT_PIN_LOCK_S};

int maint_pin_valid(const char *pin, char *err, size_t errn)
{
	size_t n = pin ? strnlen(pin, MAINT_PIN_MAX_LEN + 1) : 0;
	if (n < MAINT_PIN_MIN_LEN || n > MAINT_PIN_MAX_LEN) {
		snprintf(err, errn, "the PIN must have %d to %d digits", MAINT_PIN_MIN_LEN, MAINT_PIN_MAX_LEN);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (pin[i] < '0' || pin[i] > '9') {
			snprintf(err, errn, "the PIN must have digits only (0-9)");
			return -1;
		}
	}
	return 0;
}

/* The demo PIN's hash, made once with the same parameters and the fixed salt
 * "recaudo-demo-pin": the demo PIN is public (README), so a fixed salt gives nothing away, and
 * a `--demo` start does not spend a PIN hash (~185 ms) on every new store. test_maint_pin
 * checks that it verifies 246810 and carries today's parameters. */
const char maint_pin_demo_hash[] =
	"$argon2id$v=19$m=65536,t=3,p=1$cmVjYXVkby1kZW1vLXBpbg$2IdxGMLYkET2YV4aoxen5p/edICnfPGMLOakRi80T9Q";

/* hash, demo mark and a clear lock in one transaction */
static int write_pin(struct store *s, const char *enc, int demo, char *err, size_t errn)
{
	if (store_import_begin(s) != 0 || store_meta_set(s, META_HASH, enc) != 0 ||
	    store_meta_set(s, META_DEMO, demo ? "1" : "0") != 0 || store_meta_set(s, META_LOCK, "0 0 0 -") != 0 ||
	    store_import_commit_keep(s) != 0) {
		snprintf(err, errn, "%s", store_error(s));
		store_import_abort(s);
		return STORE_ERR;
	}
	return 0;
}

static int store_pin(struct store *s, const char *pin, int demo, char *err, size_t errn)
{
	char enc[ENCODED_MAX];
	int rc;

	if (maint_pin_valid(pin, err, errn) != 0)
		return STORE_EINVAL;
	if (secret_hash_argon2id(pin, PIN_T_COST, PIN_M_KIB, enc, sizeof enc, err, errn) != 0)
		return STORE_ERR;
	rc = write_pin(s, enc, demo, err, errn);
	explicit_bzero(enc, sizeof enc);
	return rc;
}

int maint_pin_set(struct store *s, const char *pin, char *err, size_t errn)
{
	return store_pin(s, pin, 0, err, errn);
}

int maint_pin_set_demo(struct store *s)
{
	char err[256];
	return write_pin(s, maint_pin_demo_hash, 1, err, sizeof err) == 0 ? 0 : STORE_ERR;
}

int maint_pin_is_set(struct store *s)
{
	char enc[ENCODED_MAX];
	int rc = store_meta_get(s, META_HASH, enc, sizeof enc);
	if (rc < 0)
		return rc;
	return rc == 0 && enc[0] ? 1 : 0;
}

int maint_pin_is_demo(struct store *s)
{
	char v[8];
	int set = maint_pin_is_set(s);
	if (set <= 0)
		return set;
	int rc = store_meta_get(s, META_DEMO, v, sizeof v);
	if (rc < 0)
		return rc;
	return rc == 0 && !strcmp(v, "1");
}

/* ---- the clocks ---- */

static pthread_once_t boot_once = PTHREAD_ONCE_INIT;
static char boot_id[40];

static void read_boot_id(void)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
	if (f && fgets(boot_id, sizeof boot_id, f))
		boot_id[strcspn(boot_id, "\r\n \t")] = 0;
	if (f)
		fclose(f);
	if (!boot_id[0]) /* unknown boot: only wall time is trusted across processes */
		snprintf(boot_id, sizeof boot_id, "unknown");
}

void maint_pin_clock_now(struct maint_pin_clock *c)
{
	struct timespec ts;
	pthread_once(&boot_once, read_boot_id);
	memset(c, 0, sizeof *c);
	c->wall_s = (int64_t)time(NULL);
	if (clock_gettime(CLOCK_BOOTTIME, &ts) != 0)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	c->mono_s = (int64_t)ts.tv_sec;
	snprintf(c->boot_id, sizeof c->boot_id, "%s", boot_id);
}

int maint_pin_check_at(struct store *s, const char *pin, const struct maint_pin_clock *now,
		       struct maint_pin_result *r)
{
	char enc[ENCODED_MAX], why[128];
	struct lockout_view v;
	int rc;

	memset(r, 0, sizeof *r);
	rc = store_meta_get(s, META_HASH, enc, sizeof enc);
	if (rc < 0)
		return rc;
	if (rc > 0 || !enc[0]) {
		r->status = MAINT_PIN_NOT_SET;
		return 0;
	}
	if (lockout_check(s, &pin_lock, now, &v) < 0) {
		explicit_bzero(enc, sizeof enc);
		return STORE_ERR;
	}
	if (v.locked_s > 0) {
		r->status = MAINT_PIN_LOCKED;
		r->locked_s = v.locked_s;
		explicit_bzero(enc, sizeof enc);
		return 0;
	}
	if (maint_pin_valid(pin, why, sizeof why) != 0) {
		r->status = MAINT_PIN_BAD_FORMAT;
		r->tries_left = MAINT_PIN_MAX_TRIES - v.fails; /* what the pad may say before a try */
		explicit_bzero(enc, sizeof enc);
		return 0;
	}
	/* The try is written as wrong before the ~0.2 s hash is checked: a power cut (or a
	 * kill) in between counts it, so cutting the power cannot buy unlimited tries. A right
	 * PIN then clears the count. */
	if (lockout_add_wrong(s, &pin_lock, now, &v) != 0) {
		explicit_bzero(enc, sizeof enc);
		memset(r, 0, sizeof *r);
		return STORE_ERR; /* the try could not be recorded: it is not made */
	}
	rc = argon2id_verify(enc, pin, strlen(pin));
	explicit_bzero(enc, sizeof enc);
	if (rc != ARGON2_OK) {
		/* a mismatch, or a damaged hash in the store (never an open door): a wrong try,
		 * already recorded */
		if (v.locked_s > 0) {
			r->status = MAINT_PIN_LOCKED;
			r->locked_s = v.locked_s;
		} else {
			r->status = MAINT_PIN_WRONG;
			r->tries_left = MAINT_PIN_MAX_TRIES - v.fails;
		}
		return 0;
	}
	if (lockout_clear(s, &pin_lock) != 0) {
		memset(r, 0, sizeof *r);
		return STORE_ERR; /* the count could not be cleared: no entry on an unrecorded try */
	}
	r->status = MAINT_PIN_OK;
	return 0;
}

int maint_pin_check(struct store *s, const char *pin, int64_t now_wall_s, int64_t now_mono_s,
		    struct maint_pin_result *r)
{
	struct maint_pin_clock c;
	maint_pin_clock_now(&c);
	c.wall_s = now_wall_s;
	c.mono_s = now_mono_s;
	return maint_pin_check_at(s, pin, &c, r);
}
