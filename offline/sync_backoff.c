/* sync_backoff — how long the sync worker waits after a failed round (docs/sync.md,
 * "Backoff"): full jitter, random bits from getrandom(). */
#include <stdint.h>
#include <sys/random.h>
#include <sys/types.h>

#include "sync_internal.h"

static uint64_t random_u64(void)
{
	uint64_t v = 0;

	if (getrandom(&v, sizeof v, GRND_NONBLOCK) != (ssize_t)sizeof v)
		v = UINT64_MAX; /* no entropy yet: no jitter, the longest wait of the range */
	return v;
}

int64_t sync_backoff_ms(int min_ms, int max_ms, int failures, int retry_after_s)
{
	int64_t lo = min_ms, hi = lo, d;

	for (int i = 1; i < failures && hi < max_ms; i++)
		hi *= 2;
	if (hi > max_ms)
		hi = max_ms;
	d = lo + (int64_t)(random_u64() % (uint64_t)(hi - lo + 1));
	if (d < (int64_t)retry_after_s * 1000)
		d = (int64_t)retry_after_s * 1000;
	return d;
}
