/* maint_pin — the technician's PIN for maintenance mode (issue 9, docs/maintenance.md
 * "PIN and lockout"). No SDL; the store's meta table is the persistence.
 *
 * The PIN is 6-12 ASCII digits. Only its Argon2id hash is kept (the encoded string
 * "$argon2id$v=19$m=65536,t=3,p=1$salt$hash", a 16-byte salt from getrandom per set),
 * checked with argon2id_verify (constant time). 5 wrong PINs lock it for 30 minutes; the
 * count and the lock are one meta value written with each check's outcome, so they survive
 * restarts and power cuts. The PIN itself is never logged or stored, and the copies made
 * here are wiped. */
#ifndef RECAUDO_MAINT_PIN_H
#define RECAUDO_MAINT_PIN_H
#include <stddef.h>
#include <stdint.h>

struct store;

enum {
	MAINT_PIN_MIN_LEN = 6,
	MAINT_PIN_MAX_LEN = 12,
	MAINT_PIN_MAX_TRIES = 5,        /* wrong PINs before the lock */
	MAINT_PIN_LOCK_S = 30 * 60,     /* how long the lock lasts */
};
/* The PIN --demo sets when the store has none (README). */
#define MAINT_PIN_DEMO "246810"

enum maint_pin_status {
	MAINT_PIN_OK,         /* the right PIN: the wrong-try count is reset */
	MAINT_PIN_WRONG,      /* a wrong PIN: tries_left more before the lock */
	MAINT_PIN_LOCKED,     /* locked: locked_s seconds until it opens (not checked) */
	MAINT_PIN_NOT_SET,    /* no PIN in this store: `recaudo maint set-pin` */
	MAINT_PIN_BAD_FORMAT, /* not 6-12 digits: refused without counting a try */
};

struct maint_pin_result {
	enum maint_pin_status status;
	int tries_left;   /* WRONG: tries before the lock (>= 1) */
	int64_t locked_s; /* LOCKED: seconds until unlock (1..MAINT_PIN_LOCK_S) */
};

/* The clocks a check reads. wall_s: epoch seconds (CLOCK_REALTIME, may be set back or
 * forward); mono_s: seconds on a clock nobody can set that counts since boot
 * (CLOCK_BOOTTIME); boot_id: what identifies this boot (/proc/sys/kernel/random/boot_id),
 * so a monotonic time from another boot is never compared with this one's. */
struct maint_pin_clock {
	int64_t wall_s;
	int64_t mono_s;
	char boot_id[40];
};

/* 0 if pin is 6-12 ASCII digits, else -1 with a message in err. */
int maint_pin_valid(const char *pin, char *err, size_t errn);
/* Sets the PIN (a new salt), clears the demo mark and the wrong-try count/lock, in one
 * transaction. 0, or <0 with the reason in err (a bad PIN changes nothing). */
int maint_pin_set(struct store *s, const char *pin, char *err, size_t errn);
/* Sets the demo PIN 246810 and marks it as the demo PIN: its hash is maint_pin_demo_hash, made
 * once (a fixed salt: the demo PIN is public), so this spends no hashing. 0 or <0 (store_error). */
extern const char maint_pin_demo_hash[];
int maint_pin_set_demo(struct store *s);
/* 1 if a PIN is set, 0 if not, <0 on a store error. */
int maint_pin_is_set(struct store *s);
/* 1 if the PIN set is the demo PIN of --demo, 0 if not (or none), <0 on a store error. */
int maint_pin_is_demo(struct store *s);

/* The clocks now, from the system (boot id read once per process). */
void maint_pin_clock_now(struct maint_pin_clock *c);
/* Checks pin at the given clocks (the tests pass virtual ones) and records the outcome.
 * Returns 0 with the outcome in *r, or <0 on a store error (store_error; nothing opened). */
int maint_pin_check_at(struct store *s, const char *pin, const struct maint_pin_clock *now,
		       struct maint_pin_result *r);
/* maint_pin_check_at with this boot's id. */
int maint_pin_check(struct store *s, const char *pin, int64_t now_wall_s, int64_t now_mono_s,
		    struct maint_pin_result *r);
#endif
