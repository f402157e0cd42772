/* The wrong-try count and its lock in a meta value (see lockout.h, docs/maintenance.md "PIN
 * and lockout"). */
#include "lockout.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store.h"

struct lock_state {
	int fails;
	int64_t wall, mono; /* when the lock started, on each clock */
	char boot[40];      /* the boot lock_mono belongs to; "-" if unlocked */
};

static int lock_read(struct store *s, const struct lockout_policy *p, struct lock_state *l)
{
	char v[128];
	memset(l, 0, sizeof *l);
	snprintf(l->boot, sizeof l->boot, "-");
	int rc = store_meta_get(s, p->meta_key, v, sizeof v);
	if (rc < 0)
		return rc;
	if (rc == 0 && sscanf(v, "%d %" SCNd64 " %" SCNd64 " %39s", &l->fails, &l->wall, &l->mono, l->boot) != 4) {
		/* unreadable: treated as locked from now, never as a clean slate */
		l->fails = p->max_tries;
		l->wall = -1;
	}
	if (l->fails < 0 || l->fails > p->max_tries)
		l->fails = p->max_tries;
	return 0;
}

static int lock_write(struct store *s, const struct lockout_policy *p, const struct lock_state *l)
{
	char v[128];
	snprintf(v, sizeof v, "%d %" PRId64 " %" PRId64 " %s", l->fails, l->wall, l->mono, l->boot[0] ? l->boot : "-");
	return store_meta_set(s, p->meta_key, v);
}

static void lock_start(struct lock_state *l, int fails, const struct maint_pin_clock *now, int64_t elapsed)
{
	l->fails = fails;
	l->wall = now->wall_s - elapsed;
	l->mono = now->mono_s - elapsed;
	snprintf(l->boot, sizeof l->boot, "%s", now->boot_id[0] ? now->boot_id : "unknown");
}

/* Seconds the lock has lasted. In the boot that started (or last re-anchored) it, the
 * monotonic clock alone: setting the wall clock either way changes nothing. After a reboot
 * only the wall clock spans the gap: a wall time before the lock's start is a clock set
 * back and restarts the time. *reanchor says the lock must be rewritten against this
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

int lockout_check(struct store *s, const struct lockout_policy *p, const struct maint_pin_clock *now,
		  struct lockout_view *v)
{
	struct lock_state l;

	memset(v, 0, sizeof *v);
	if (lock_read(s, p, &l) < 0)
		return STORE_ERR;
	if (l.fails < p->max_tries) {
		v->fails = l.fails;
		return 0;
	}
	int reanchor;
	int64_t e = lock_elapsed(&l, now, &reanchor);
	if (e >= p->lock_s)
		return 0; /* the lock is over: a fresh count */
	if (reanchor) {
		lock_start(&l, p->max_tries, now, e);
		if (lock_write(s, p, &l) != 0)
			return STORE_ERR;
	}
	v->fails = p->max_tries;
	v->locked_s = p->lock_s - e;
	return 0;
}

int lockout_add_wrong(struct store *s, const struct lockout_policy *p, const struct maint_pin_clock *now,
		      struct lockout_view *v)
{
	struct lock_state l;

	memset(&l, 0, sizeof l);
	snprintf(l.boot, sizeof l.boot, "-");
	l.fails = v->fails + 1;
	if (l.fails >= p->max_tries)
		lock_start(&l, p->max_tries, now, 0);
	if (lock_write(s, p, &l) != 0)
		return STORE_ERR;
	v->fails = l.fails;
	v->locked_s = l.fails >= p->max_tries ? p->lock_s : 0;
	return 0;
}

int lockout_clear(struct store *s, const struct lockout_policy *p)
{
	return store_meta_set(s, p->meta_key, "0 0 0 -");
}
