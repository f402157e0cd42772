/* logring — the kiosk's last LOGRING_LINES log lines in memory, for maintenance mode's
 * "Registro" screen (docs/maintenance.md "Registro"). No SDL.
 *
 * The kiosk logs with fprintf(stderr, ...) everywhere. logring_start swaps the `stderr`
 * stream for one of its own (fopencookie) that writes each piece at once to file descriptor 2,
 * as before, and copies the complete lines into a ring under a mutex. Nothing is held back:
 * the stream is unbuffered and the write to fd 2 happens inside the fprintf, so a crash or an
 * exit loses no line, and there is no thread or pipe to drain at exit. (glibc documents stdin,
 * stdout and stderr as ordinary variables a program may set.) Writes that bypass the stream
 * (write(2, ...)) reach fd 2 but not the ring.
 *
 * The logs hold no personal data (project rule); the ring keeps them as they are. */
#ifndef RECAUDO_LOGRING_H
#define RECAUDO_LOGRING_H
#include <stddef.h>
#include <stdint.h>

#define LOGRING_LINES 200
/* Bytes of a line kept, its NUL included; a longer line is cut and ends with "…". */
#define LOGRING_LINE_MAX 240

struct logring_snapshot {
	int n;          /* lines in line[], oldest first */
	uint64_t total; /* lines seen since the start (total - n were pushed out) */
	char line[LOGRING_LINES][LOGRING_LINE_MAX];
	int64_t at[LOGRING_LINES]; /* when each line was written (epoch s, the system's clock) */
};

/* Starts capturing stderr (idempotent). Returns 0, or -1 (stderr is then unchanged). */
int logring_start(void);
/* Puts the original stderr back (a line not yet ended goes into the ring as it is). The ring
 * keeps its lines. Call it when no other thread writes to stderr any more. */
void logring_stop(void);
/* Appends bytes as the stream does: complete lines go into the ring, a piece without its
 * newline waits for the rest. For callers that log elsewhere, and the tests. */
void logring_write(const char *buf, size_t n);
/* A copy of the ring under its mutex (about 48 KB: cheap enough for the UI thread). */
void logring_snapshot(struct logring_snapshot *out);
/* Empties the ring (tests). */
void logring_clear(void);
#endif
