/* test_logring — stderr captured into the ring of the last 200 lines: every line still reaches
 * file descriptor 2 (here a file), lines come whole and in order, the ring keeps the newest 200,
 * a long line is cut with "…" (on a character boundary) while fd 2 gets all of it, a line
 * written in pieces is one line, the unfinished last line is kept at stop, and four threads
 * logging at once neither lose nor mix lines. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "logring.h"

static char path[64];
static int saved_fd2 = -1;
static struct logring_snapshot snap;

/* fd 2 goes to a scratch file for the test (what the journal would get). */
static void fd2_to_file(void)
{
	snprintf(path, sizeof path, "/tmp/recaudo-logring-XXXXXX");
	int fd = mkstemp(path);
	saved_fd2 = dup(2);
	dup2(fd, 2);
	close(fd);
}

static void fd2_back(void)
{
	dup2(saved_fd2, 2);
	close(saved_fd2);
}

/* How many times text occurs in the fd 2 file. */
static int in_fd2(const char *text)
{
	static char b[1 << 20];
	FILE *f = fopen(path, "r");
	size_t n = fread(b, 1, sizeof b - 1, f);
	fclose(f);
	b[n] = 0;
	int k = 0;
	for (const char *p = b; (p = strstr(p, text)) != NULL; p += strlen(text))
		k++;
	return k;
}

static void test_lines(void)
{
	logring_clear();
	for (int i = 0; i < 10; i++)
		fprintf(stderr, "recaudo: line %d\n", i);
	logring_snapshot(&snap);
	CHECK_INT(snap.n, 10);
	CHECK_INT(snap.total, 10);
	CHECK_STR(snap.line[0], "recaudo: line 0");
	CHECK_STR(snap.line[9], "recaudo: line 9");
	CHECK_INT(in_fd2("recaudo: line 9\n"), 1);
	/* pieces make one line; fputs and perror go through the stream too */
	fputs("abc", stderr);
	fprintf(stderr, "def %d", 1);
	fputc('\n', stderr);
	logring_snapshot(&snap);
	CHECK_INT(snap.n, 11);
	CHECK_STR(snap.line[10], "abcdef 1");
	CHECK_INT(in_fd2("abcdef 1\n"), 1);
	fputs("crlf\r\n", stderr);
	logring_snapshot(&snap);
	CHECK_STR(snap.line[11], "crlf");
}

static void test_overflow(void)
{
	logring_clear();
	for (int i = 0; i < 250; i++)
		fprintf(stderr, "over %03d\n", i);
	logring_snapshot(&snap);
	CHECK_INT(snap.n, LOGRING_LINES);
	CHECK_INT(snap.total, 250);
	CHECK_STR(snap.line[0], "over 050");
	CHECK_STR(snap.line[LOGRING_LINES - 1], "over 249");
	int ordered = 1;
	for (int i = 0; i < LOGRING_LINES; i++) {
		char want[32];
		snprintf(want, sizeof want, "over %03d", 50 + i);
		ordered &= !strcmp(snap.line[i], want);
	}
	CHECK(ordered);
	CHECK_INT(in_fd2("over 000\n"), 1); /* fd 2 has them all */
}

static void test_long(void)
{
	logring_clear();
	char big[1200];
	/* "é" (2 bytes) from the start, so the cut falls on a character boundary or inside one */
	for (size_t i = 0; i + 2 < sizeof big; i += 2)
		memcpy(big + i, "é", 2);
	big[sizeof big - 2] = 0;
	fprintf(stderr, "%s\nnext\n", big);
	logring_snapshot(&snap);
	CHECK_INT(snap.n, 2);
	size_t len = strlen(snap.line[0]);
	CHECK(len < LOGRING_LINE_MAX);
	CHECK(len >= LOGRING_LINE_MAX - 8);
	CHECK(len >= 3 && !strcmp(snap.line[0] + len - 3, "…"));
	/* whole characters before the mark */
	int whole = 1;
	for (size_t i = 0; i + 3 < len; i += 2)
		whole &= !memcmp(snap.line[0] + i, "é", 2);
	CHECK(whole);
	CHECK_STR(snap.line[1], "next");
	CHECK_INT(in_fd2(big), 1); /* the whole line on fd 2 */
}

#define THREADS 4
#define PER 300
static void *writer(void *arg)
{
	int t = (int)(intptr_t)arg;
	for (int i = 0; i < PER; i++)
		fprintf(stderr, "thread %d line %04d %s\n", t, i, "----------------------------------------");
	return NULL;
}

static void test_threads(void)
{
	logring_clear();
	pthread_t th[THREADS];
	for (int t = 0; t < THREADS; t++)
		pthread_create(&th[t], NULL, writer, (void *)(intptr_t)t);
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	logring_snapshot(&snap);
	CHECK_INT(snap.total, THREADS * PER);
	CHECK_INT(snap.n, LOGRING_LINES);
	/* every line whole, and each thread's lines in its order */
	int whole = 1, last[THREADS] = {-1, -1, -1, -1}, ordered = 1;
	for (int i = 0; i < snap.n; i++) {
		int t, k, end = 0;
		if (sscanf(snap.line[i], "thread %d line %d ----------------------------------------%n", &t, &k,
			   &end) != 2 || end != (int)strlen(snap.line[i]) || t < 0 || t >= THREADS) {
			whole = 0;
			continue;
		}
		ordered &= k > last[t];
		last[t] = k;
	}
	CHECK(whole);
	CHECK(ordered);
	CHECK_INT(in_fd2(" line 0299 ----------------------------------------\n"), THREADS);
}

static void test_stop(void)
{
	logring_clear();
	fprintf(stderr, "last words");
	logring_stop();
	logring_snapshot(&snap);
	CHECK_INT(snap.n, 1);
	CHECK_STR(snap.line[0], "last words");
	fprintf(stderr, "not captured\n");
	logring_snapshot(&snap);
	CHECK_INT(snap.n, 1);
	CHECK_INT(in_fd2("last words"), 1);
	CHECK_INT(in_fd2("not captured\n"), 1);
	/* again, and twice */
	CHECK_INT(logring_start(), 0);
	CHECK_INT(logring_start(), 0);
	fprintf(stderr, "again\n");
	logring_snapshot(&snap);
	CHECK_INT(snap.n, 2);
	CHECK_STR(snap.line[1], "again");
	CHECK_INT(in_fd2("again\n"), 1);
	logring_stop();
	logring_stop();
}

int main(void)
{
	fd2_to_file();
	CHECK_INT(logring_start(), 0);
	test_lines();
	test_overflow();
	test_long();
	test_threads();
	test_stop();
	fd2_back();
	if (check_fail_) { /* the CHECK messages went to the scratch file: show them */
		char line[512];
		FILE *f = fopen(path, "r");
		while (f && fgets(line, sizeof line, f))
			if (strstr(line, "test_logring.c:"))
				fputs(line, stderr);
		if (f)
			fclose(f);
	}
	unlink(path);
	return check_done();
}
