/* lockout — a count of wrong tries and the lock it leads to, kept in one meta value of the
 * store so it survives restarts and power cuts. The technician's PIN (maint_pin.c) and the
 * field agents' login (field_agents.c) each have one, under their own meta key.
 *
 * The value is "FAILS LOCK_WALL LOCK_MONO BOOT_ID" (LOCK_WALL 0 and BOOT_ID "-" while
 * unlocked). The lock is timed on the boot-time clock of the boot that started it, so setting
 * the wall clock changes nothing; after a reboot only the wall clock spans the gap, and a wall
 * time before the lock's start (a clock set back) restarts it. An unreadable value counts as
 * a lock starting now, never as a clean slate.
 *
 * The caller writes a try as wrong (lockout_add_wrong) BEFORE it checks the secret, and
 * clears the count (lockout_clear) only after a right one: a power cut in between spends the
 * try. No SDL, no hashing here. */
#ifndef RECAUDO_LOCKOUT_H
#define RECAUDO_LOCKOUT_H
#include <stdint.h>
#include "maint_pin.h"

struct store;

struct lockout_policy {
	const char *meta_key; /* "maint_pin_lock", "field_login_lock" */
	int max_tries;        /* wrong tries that start the lock */
	int64_t lock_s;       /* how long it lasts */
};

/* What a check needs to know: the wrong tries so far and, when locked, for how long more. */
struct lockout_view {
	int fails;        /* 0..max_tries */
	int64_t locked_s; /* > 0: locked for this many seconds more */
};

/* The state at `now`. A lock still running may be rewritten against this boot's clocks (after
 * a reboot or an unreadable value); a lock that ran out reads as a fresh count (written by the
 * next try). 0, or <0 on a store error (store_error). */
int lockout_check(struct store *s, const struct lockout_policy *p, const struct maint_pin_clock *now,
		  struct lockout_view *v);
/* Records one more wrong try on top of v->fails (starting the lock at max_tries) and updates
 * *v. 0, or <0 when it could not be written: then the try must not be made. */
int lockout_add_wrong(struct store *s, const struct lockout_policy *p, const struct maint_pin_clock *now,
		      struct lockout_view *v);
/* A right secret: the count back to 0. 0 or <0. */
int lockout_clear(struct store *s, const struct lockout_policy *p);
#endif
