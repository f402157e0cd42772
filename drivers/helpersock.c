/* helpersock — see helpersock.h. */
#include "helpersock.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fdio.h"

int helpersock_connect(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (!path || !path[0] || strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int helpersock_absent(int e)
{
	return e == ENOENT || e == ECONNREFUSED || e == ENOTDIR || e == ENAMETOOLONG;
}

int helpersock_talk(int fd, const char *req, int64_t deadline_ms, int (*on_line)(void *ctx, const char *line),
		    void *ctx, int *err)
{
	char buf[HELPERSOCK_LINE_MAX + 1] = "", out[HELPERSOCK_LINE_MAX + 2];
	int e = 0, n = snprintf(out, sizeof(out), "%s\n", req);
	*err = 0;
	int64_t left = deadline_ms - fdio_now_ms();
	if (n <= 0 || (size_t)n >= sizeof(out) || left <= 0 ||
	    fdio_write(fd, (const uint8_t *)out, (size_t)n, (int)(left > 60000 ? 60000 : left), &e) != 0) {
		*err = e;
		return -1;
	}
	size_t got = 0;
	for (;;) {
		char *nl;
		while ((nl = memchr(buf, '\n', got))) { /* every whole line already read */
			*nl = 0;
			int r = on_line(ctx, buf);
			if (r)
				return r;
			got -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, got);
		}
		left = deadline_ms - fdio_now_ms();
		if (left <= 0 || got == sizeof(buf) - 1)
			return -1; /* no last line in time, or a line too long */
		int r = fdio_read(fd, (uint8_t *)buf + got, sizeof(buf) - 1 - got,
				  (int)(left > 60000 ? 60000 : left), &e);
		if (r < 0) {
			*err = fdio_gone(e) ? 0 : e; /* a close without a last line is not an errno */
			return -1;
		}
		got += (size_t)r; /* r == 0: a quiet minute, the deadline decides */
	}
}
