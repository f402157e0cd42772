/* logring — stderr through a cookie stream into a ring of lines (logring.h). */
#define _GNU_SOURCE /* fopencookie */
#include "logring.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct {
	pthread_mutex_t mu;
	char line[LOGRING_LINES][LOGRING_LINE_MAX];
	int64_t at[LOGRING_LINES]; /* when each line ended (epoch s, the system's clock) */
	int head, n;            /* the oldest line is line[head] */
	uint64_t total;
	char part[LOGRING_LINE_MAX]; /* the line being written */
	size_t part_len;
	int part_cut;           /* the line is longer than a ring line: the rest is dropped */
	FILE *orig, *mine;
} R = {.mu = PTHREAD_MUTEX_INITIALIZER};

static const char ellipsis[] = "…";

/* Under R.mu. */
static void push_line(void)
{
	char *dst = R.line[(R.head + R.n) % LOGRING_LINES];
	R.at[(R.head + R.n) % LOGRING_LINES] = (int64_t)time(NULL);
	size_t len = R.part_len;
	while (len && R.part[len - 1] == '\r')
		len--;
	memcpy(dst, R.part, len);
	dst[len] = 0;
	if (R.part_cut) {
		/* room for the mark: back to the start of a UTF-8 character */
		size_t keep = LOGRING_LINE_MAX - sizeof(ellipsis);
		if (len < keep)
			keep = len;
		while (keep && ((unsigned char)dst[keep] & 0xC0) == 0x80)
			keep--;
		memcpy(dst + keep, ellipsis, sizeof(ellipsis));
	}
	if (R.n < LOGRING_LINES)
		R.n++;
	else
		R.head = (R.head + 1) % LOGRING_LINES;
	R.total++;
	R.part_len = 0;
	R.part_cut = 0;
}

void logring_write(const char *buf, size_t n)
{
	pthread_mutex_lock(&R.mu);
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			push_line();
		} else if (R.part_len < LOGRING_LINE_MAX - 1) {
			R.part[R.part_len++] = buf[i];
		} else {
			R.part_cut = 1;
		}
	}
	pthread_mutex_unlock(&R.mu);
}

static ssize_t cookie_write(void *c, const char *buf, size_t n)
{
	(void)c;
	/* fd 2 first, as it always was (the journal); then the ring */
	size_t done = 0;
	while (done < n) {
		ssize_t w = write(STDERR_FILENO, buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break; /* stderr closed or broken: the ring still gets the line */
		done += (size_t)w;
	}
	logring_write(buf, n);
	return (ssize_t)n;
}

int logring_start(void)
{
	if (R.mine && stderr == R.mine)
		return 0;
	if (!R.mine) {
		cookie_io_functions_t io = {.write = cookie_write};
		R.mine = fopencookie(NULL, "w", io);
		if (!R.mine)
			return -1;
		/* unbuffered: each fprintf reaches fd 2 before it returns (glibc hands the whole
		 * formatted text of one call to the cookie at once) */
		setvbuf(R.mine, NULL, _IONBF, 0);
	}
	fflush(stderr);
	R.orig = stderr;
	stderr = R.mine;
	return 0;
}

void logring_stop(void)
{
	if (!R.mine || stderr != R.mine)
		return;
	fflush(R.mine);
	stderr = R.orig;
	pthread_mutex_lock(&R.mu);
	if (R.part_len || R.part_cut)
		push_line();
	pthread_mutex_unlock(&R.mu);
	/* R.mine stays open: a thread that read `stderr` just before may still write to it */
}

void logring_snapshot(struct logring_snapshot *out)
{
	pthread_mutex_lock(&R.mu);
	out->n = R.n;
	out->total = R.total;
	for (int i = 0; i < R.n; i++) {
		memcpy(out->line[i], R.line[(R.head + i) % LOGRING_LINES], LOGRING_LINE_MAX);
		out->at[i] = R.at[(R.head + i) % LOGRING_LINES];
	}
	pthread_mutex_unlock(&R.mu);
}

void logring_clear(void)
{
	pthread_mutex_lock(&R.mu);
	R.head = R.n = 0;
	R.total = 0;
	R.part_len = 0;
	R.part_cut = 0;
	pthread_mutex_unlock(&R.mu);
}
