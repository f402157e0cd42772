/* The technician's PIN and its lockout (see maint_pin.h, docs/maintenance.md). */
#include "maint_pin.h"

#include <argon2.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "store.h"

/* meta keys: the encoded hash, the demo mark ("1"/"0"), the wrong-try state */
#define META_HASH "maint_pin_hash"
#define META_DEMO "maint_pin_demo"
#define META_LOCK "maint_pin_lock"

/* Argon2id cost (docs/maintenance.md: about 185 ms per check on the 2-core machine, one lane
 * so it does not need the second core the workers use; 64 MiB is cheap on a kiosk). */
enum { PIN_T_COST = 3, PIN_M_KIB = 64 * 1024, PIN_LANES = 1, PIN_SALT_LEN = 16, PIN_HASH_LEN = 32 };
#define ENCODED_MAX 160

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

static int random_bytes(unsigned char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = getrandom(buf + got, n - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
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
	unsigned char salt[PIN_SALT_LEN];
	char enc[ENCODED_MAX];
	int rc;

	if (maint_pin_valid(pin, err, errn) != 0)
		return STORE_EINVAL;
	if (random_bytes(salt, sizeof salt) != 0) {
		snprintf(err, errn, "no random bytes for the PIN's salt: %s", strerror(errno));
		return STORE_ERR;
	}
	rc = argon2id_hash_encoded(PIN_T_COST, PIN_M_KIB, PIN_LANES, pin, strlen(pin), salt, sizeof salt,
				   PIN_HASH_LEN, enc, sizeof enc);
	explicit_bzero(salt, sizeof salt);
	if (rc != ARGON2_OK) {
		snprintf(err, errn, "hashing the PIN: %s", argon2_error_message(rc));
		explicit_bzero(enc, sizeof enc);
		return STORE_ERR;
	}
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

/* ---- the wrong-try state: "FAILS LOCK_WALL LOCK_MONO BOOT_ID", LOCK_WALL 0 if unlocked ---- */

struct lock_state {
	int fails;
	int64_t wall, mono; /* when the lock started, on each clock */
	char boot[40];      /* the boot lock_mono belongs to; "-" if unlocked */
};

static int lock_read(struct store *s, struct lock_state *l)
{
	char v[128];
	memset(l, 0, sizeof *l);
	snprintf(l->boot, sizeof l->boot, "-");
	int rc = store_meta_get(s, META_LOCK, v, sizeof v);
	if (rc < 0)
		return rc;
	if (rc == 0 && sscanf(v, "%d %" SCNd64 " %" SCNd64 " %39s", &l->fails, &l->wall, &l->mono, l->boot) != 4) {
		/* unreadable: treated as locked from now, never as a clean slate */
		l->fails = MAINT_PIN_MAX_TRIES;
		l->wall = -1;
	}
	if (l->fails < 0 || l->fails > MAINT_PIN_MAX_TRIES)
		l->fails = MAINT_PIN_MAX_TRIES;
	return 0;
}

static int lock_write(struct store *s, const struct lock_state *l)
{
	char v[128];
	snprintf(v, sizeof v, "%d %" PRId64 " %" PRId64 " %s", l->fails, l->wall, l->mono, l->boot[0] ? l->boot : "-");
	return store_meta_set(s, META_LOCK, v);
}

static void lock_start(struct lock_state *l, const struct maint_pin_clock *now, int64_t elapsed)
{
	l->fails = MAINT_PIN_MAX_TRIES;
	l->wall = now->wall_s - elapsed;
	l->mono = now->mono_s - elapsed;
	snprintf(l->boot, sizeof l->boot, "%s", now->boot_id[0] ? now->boot_id : "unknown");
}

/* Seconds the lock has lasted. In the boot that started (or last re-anchored) it, the
 * monotonic clock alone: setting the wall clock either way changes nothing. After a reboot
 * only the wall clock spans the gap: a wall time before the lock's start is a clock set
 * back and restarts the 30 minutes. *reanchor says the lock must be rewritten against this
 * boot's clocks. */
static int64_t lock_elapsed(const struct lock_state *l, const struct maint_pin_clock *now, int *reanchor)
{
	*reanchor = 0;
	if (l->wall < 0) { /* unreadable state */
		*reanchor = 1;
		return 0;
	}
	if (now->boot_id[0] && strcmp(now->boot_id, "unknown") && !strcmp(l->boot, now->boot_id)) {
		int64_t e = now->mono_s - l->mono;
		return e < 0 ? 0 : e;
	}
	*reanchor = 1;
	int64_t e = now->wall_s - l->wall;
	return e < 0 ? 0 : e;
}

int maint_pin_check_at(struct store *s, const char *pin, const struct maint_pin_clock *now,
		       struct maint_pin_result *r)
{
	char enc[ENCODED_MAX], why[128];
	struct lock_state l;
	int rc;

	memset(r, 0, sizeof *r);
	rc = store_meta_get(s, META_HASH, enc, sizeof enc);
	if (rc < 0)
		return rc;
	if (rc > 0 || !enc[0]) {
		r->status = MAINT_PIN_NOT_SET;
		return 0;
	}
	if (lock_read(s, &l) < 0)
		return STORE_ERR;
	if (l.fails >= MAINT_PIN_MAX_TRIES) {
		int reanchor;
		int64_t e = lock_elapsed(&l, now, &reanchor);
		if (e < MAINT_PIN_LOCK_S) {
			if (reanchor) {
				lock_start(&l, now, e);
				if (lock_write(s, &l) != 0)
					return STORE_ERR;
			}
			r->status = MAINT_PIN_LOCKED;
			r->locked_s = MAINT_PIN_LOCK_S - e;
			explicit_bzero(enc, sizeof enc);
			return 0;
		}
		memset(&l, 0, sizeof l); /* the lock is over: a fresh count */
	}
	if (maint_pin_valid(pin, why, sizeof why) != 0) {
		r->status = MAINT_PIN_BAD_FORMAT;
		r->tries_left = MAINT_PIN_MAX_TRIES - l.fails; /* what the pad may say before a try */
		explicit_bzero(enc, sizeof enc);
		return 0;
	}
	/* The try is written as wrong before the ~0.2 s hash is checked: a power cut (or a
	 * kill) in between counts it, so cutting the power cannot buy unlimited tries. A right
	 * PIN then clears the count. */
	struct lock_state wrong = l;
	wrong.fails++;
	if (wrong.fails >= MAINT_PIN_MAX_TRIES)
		lock_start(&wrong, now, 0);
	else
		snprintf(wrong.boot, sizeof wrong.boot, "-");
	if (lock_write(s, &wrong) != 0) {
		explicit_bzero(enc, sizeof enc);
		memset(r, 0, sizeof *r);
		return STORE_ERR; /* the try could not be recorded: it is not made */
	}
	rc = argon2id_verify(enc, pin, strlen(pin));
	explicit_bzero(enc, sizeof enc);
	if (rc != ARGON2_OK) {
		/* a mismatch, or a damaged hash in the store (never an open door): a wrong try,
		 * already recorded */
		if (wrong.fails >= MAINT_PIN_MAX_TRIES) {
			r->status = MAINT_PIN_LOCKED;
			r->locked_s = MAINT_PIN_LOCK_S;
		} else {
			r->status = MAINT_PIN_WRONG;
			r->tries_left = MAINT_PIN_MAX_TRIES - wrong.fails;
		}
		return 0;
	}
	memset(&l, 0, sizeof l);
	snprintf(l.boot, sizeof l.boot, "-");
	if (lock_write(s, &l) != 0) {
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
