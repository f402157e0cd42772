/* helpersock — talking to one of the image's root helpers (docs/usb-media.md,
 * docs/update-helper.md): a Unix stream socket, one request line, answer lines until the last
 * one, everything bounded by a deadline. Blocking: call it on a worker, never on the UI thread.
 * No allocation; lines longer than HELPERSOCK_LINE_MAX are a protocol error. */
#ifndef RECAUDO_HELPERSOCK_H
#define RECAUDO_HELPERSOCK_H
#include <stdint.h>

#define HELPERSOCK_LINE_MAX 256

/* A connected, non-blocking, close-on-exec stream socket to path; -1 with errno (ENAMETOOLONG
 * for an empty or too long path). */
int helpersock_connect(const char *path);
/* 1 when errno value e from helpersock_connect means "no helper on this machine" (no socket,
 * nobody listening, not a path that can be one), 0 when a helper is there and did not take the
 * request (EACCES, EAGAIN: its queue full, ...). */
int helpersock_absent(int e);
/* Sends req (one line, without its newline) on fd and hands each answer line, without its
 * newline, to on_line until on_line returns non-zero (the last line), the helper closes, or
 * monotonic time deadline_ms (fdio_now_ms) passes. Returns on_line's non-zero value, or -1:
 * *err is then the errno of a failed write or read, 0 for a timeout, a close without a last
 * line or a line too long. Does not close fd. */
int helpersock_talk(int fd, const char *req, int64_t deadline_ms, int (*on_line)(void *ctx, const char *line),
		    void *ctx, int *err);
#endif
