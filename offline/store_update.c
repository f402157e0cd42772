/* store_update — the held update in the meta table (store_update.h). */
#include "store_update.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* meta value: "SINCE COUNT VERSION", or "" when no update is held (a meta row stays) */
#define META_HOLD "update_hold"

/* The types of outbox.h that carry money (store_update.h says why these). */
#define MONEY_TYPES "('coupon.issued', 'payment.collected', 'payment.voided', 'collection.closed')"

int store_update_version_ok(const char *v)
{
	size_t n = v ? strlen(v) : 0;
	if (n < 1 || n > STORE_UPDATE_VERSION_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= 'a' && v[i] <= 'z') || (v[i] >= '0' && v[i] <= '9') ||
		      strchr(".+~:_-", v[i])))
			return 0;
	return 1;
}

int store_update_hold_set(struct store *s, const char *version, int64_t since, int64_t money_events)
{
	char v[64 + STORE_UPDATE_VERSION_MAX];
	if (!store_update_version_ok(version))
		return store_fail(s, STORE_EINVAL, "version: 1 to %d characters of A-Z a-z 0-9 . + ~ : _ -",
				  STORE_UPDATE_VERSION_MAX);
	if (since < 0 || money_events < 0)
		return store_fail(s, STORE_EINVAL, "update hold: negative time or count");
	snprintf(v, sizeof v, "%" PRId64 " %" PRId64 " %s", since, money_events, version);
	return store_meta_set(s, META_HOLD, v);
}

int store_update_hold_get(struct store *s, struct store_update_hold *out)
{
	char v[64 + STORE_UPDATE_VERSION_MAX], ver[STORE_UPDATE_VERSION_MAX + 2];
	long long since, n;
	memset(out, 0, sizeof *out);
	int rc = store_meta_get(s, META_HOLD, v, sizeof v);
	if (rc != 0)
		return rc; /* 1: never held; <0: the error */
	if (!v[0])
		return 1;
	/* %33s: one more than allowed, so a longer (edited) value is caught below, not cut */
	if (sscanf(v, "%lld %lld %33s", &since, &n, ver) != 3 || since < 0 || n < 0 || !store_update_version_ok(ver))
		return store_fail(s, STORE_ERR, "meta %s: not a held update", META_HOLD);
	memcpy(out->version, ver, strlen(ver) + 1); /* checked: at most STORE_UPDATE_VERSION_MAX */
	out->since = since;
	out->money_events = n;
	return 0;
}

int store_update_hold_clear(struct store *s)
{
	return store_meta_set(s, META_HOLD, "");
}

int store_money_events_count(struct store *s, int64_t *unacked, int64_t *dead)
{
	int64_t u = 0, d = 0;
	if (store_query_i64(s, "outbox", "SELECT count(*) FROM outbox WHERE state IN (0, 1) AND type IN " MONEY_TYPES,
			    &u) != 0 ||
	    store_query_i64(s, "outbox", "SELECT count(*) FROM outbox WHERE state = 3 AND type IN " MONEY_TYPES, &d) != 0)
		return STORE_ERR;
	if (unacked)
		*unacked = u;
	if (dead)
		*dead = d;
	return 0;
}
