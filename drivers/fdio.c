/* fdio — poll()-bounded reads and writes for the printer transports (see fdio.h). */
#include "fdio.h"
#include "printer.h"

#include <errno.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

int64_t fdio_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int fdio_gone(int e)
{
	return e == ENODEV || e == ENXIO || e == EIO || e == EPIPE || e == ECONNRESET ||
	       e == ECONNREFUSED || e == ECONNABORTED || e == ENOENT || e == ESHUTDOWN ||
	       e == ENOTCONN || e == EHOSTUNREACH || e == ENETUNREACH || e == EHOSTDOWN ||
	       e == ETIMEDOUT || e == ENETDOWN;
}

static int fail(int *e, int err)
{
	*e = err;
	return fdio_gone(err) ? PRINTER_ERR_OFFLINE : PRINTER_ERR_IO;
}

/* poll() for `events` until `deadline`: the revents, 0 on timeout, -1 with errno. */
static int wait_until(int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd pfd = {fd, events, 0};
		int64_t left = deadline - fdio_now_ms();
		int r;

		if (left < 0)
			left = 0;
		r = poll(&pfd, 1, (int)(left > 60000 ? 60000 : left));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r > 0)
			return pfd.revents ? pfd.revents : events;
		if (left == 0 || fdio_now_ms() >= deadline)
			return 0;
	}
}

int fdio_alive(int fd)
{
	struct pollfd pfd = {fd, POLLIN, 0};
	uint8_t b;
	ssize_t r;

	if (poll(&pfd, 1, 0) < 0)
		return errno == EINTR;
	if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL))
		return 0;
	if (!(pfd.revents & POLLIN))
		return 1;
	/* readable: real input (kept for the drain) or the end of the stream */
	r = recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
	if (r < 0 && errno == ENOTSOCK)
		return 1;
	return r > 0 || (r < 0 && (errno == EAGAIN || errno == EINTR));
}

static ssize_t put(int fd, const uint8_t *buf, size_t len)
{
	ssize_t w = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);

	if (w < 0 && errno == ENOTSOCK)
		w = write(fd, buf, len);
	return w;
}

/* Writes all of buf, giving up at `deadline` (fixed) or after idle_ms without progress. */
static int write_until(int fd, const uint8_t *buf, size_t len, int64_t deadline, int idle_ms,
		       int *e)
{
	int64_t idle_end = idle_ms > 0 ? fdio_now_ms() + idle_ms : deadline;

	*e = 0;
	while (len > 0) {
		ssize_t w = put(fd, buf, len);
		int ev;

		if (w > 0) {
			buf += w;
			len -= (size_t)w;
			if (idle_ms > 0)
				idle_end = fdio_now_ms() + idle_ms;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			return fail(e, w == 0 ? EIO : errno);
		ev = wait_until(fd, POLLOUT, idle_end < deadline ? idle_end : deadline);
		if (ev < 0)
			return fail(e, errno);
		if (ev == 0)
			return PRINTER_ERR_TIMEOUT;
		if ((ev & (POLLERR | POLLNVAL)) || (ev & (POLLHUP | POLLOUT)) == POLLHUP)
			return fail(e, EIO);
	}
	return 0;
}

int fdio_write(int fd, const uint8_t *buf, size_t len, int idle_ms, int *e)
{
	return write_until(fd, buf, len, INT64_MAX, idle_ms > 0 ? idle_ms : 1, e);
}

int fdio_sent(int fd, int timeout_ms, int *e)
{
	int64_t deadline = fdio_now_ms() + timeout_ms;

	*e = 0;
	for (;;) {
		struct timespec nap = {0, 5 * 1000000L};
		int queued = 0;

		if (ioctl(fd, TIOCOUTQ, &queued) < 0)
			return errno == ENOTTY || errno == EINVAL || errno == EOPNOTSUPP ? 0
											  : fail(e, errno);
		if (queued <= 0)
			return 0;
		if (fdio_now_ms() >= deadline)
			return PRINTER_ERR_TIMEOUT;
		nanosleep(&nap, NULL);
	}
}

int fdio_read(int fd, uint8_t *buf, size_t n, int timeout_ms, int *e)
{
	int64_t deadline = fdio_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);

	*e = 0;
	if (n > 65536)
		n = 65536;
	for (;;) {
		int ev = wait_until(fd, POLLIN, deadline);
		ssize_t r;

		if (ev < 0)
			return fail(e, errno);
		if (ev == 0)
			return 0;
		r = read(fd, buf, n);
		if (r > 0)
			return (int)r;
		if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (fdio_now_ms() >= deadline)
				return 0;
			continue;
		}
		return fail(e, r == 0 ? EPIPE : errno); /* end of stream: the peer is gone */
	}
}

int fdio_tp_write(struct printer_transport *t, const uint8_t *buf, size_t len, int idle_ms)
{
	return fdio_write(t->fd, buf, len, idle_ms, &t->e);
}

int fdio_tp_flush(struct printer_transport *t, int timeout_ms)
{
	return fdio_sent(t->fd, timeout_ms, &t->e);
}

int fdio_tp_read(struct printer_transport *t, uint8_t *buf, size_t n, int timeout_ms)
{
	return fdio_read(t->fd, buf, n, timeout_ms, &t->e);
}

void fdio_tp_disconnect(struct printer_transport *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}
