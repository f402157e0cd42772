/* fdio — poll()-bounded reads and writes for the printer transports (see fdio.h). */
#include "fdio.h"
#include "escpos_status.h"
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

int fdio_drain(int fd, int *e)
{
	uint8_t junk[256];

	*e = 0;
	for (;;) {
		struct pollfd pfd = {fd, POLLIN, 0};
		ssize_t r;

		if (poll(&pfd, 1, 0) < 0) {
			if (errno == EINTR)
				continue;
			return fail(e, errno);
		}
		if (pfd.revents & POLLNVAL)
			return fail(e, EBADF);
		if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			return 0;
		r = read(fd, junk, sizeof junk);
		if (r > 0)
			continue;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return (pfd.revents & (POLLHUP | POLLERR)) ? fail(e, EIO) : 0;
		return fail(e, r == 0 ? EPIPE : errno); /* end of stream: the peer is gone */
	}
}

/* One answer byte by `deadline`: 1 got one (in *b), 0 timed out, <0 error. Bytes without
 * the fixed status bits are skipped; the first is kept in *bad. */
static int answer_read(int fd, int64_t deadline, uint8_t *b, int *bad, int *e)
{
	for (;;) {
		int ev = wait_until(fd, POLLIN, deadline);
		ssize_t r;

		if (ev < 0)
			return fail(e, errno);
		if (ev == 0)
			return 0;
		r = read(fd, b, 1);
		if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
			continue;
		if (r <= 0)
			return fail(e, r == 0 ? EPIPE : errno);
		if (escpos_status_valid(*b))
			return 1;
		if (*bad < 0)
			*bad = *b;
	}
}

int fdio_dle_eot(int fd, int timeout_ms, uint8_t st[4], unsigned *have, int *bad, int *e)
{
	int64_t deadline = fdio_now_ms() + timeout_ms;
	int rc;

	*have = 0;
	*bad = -1;
	rc = fdio_drain(fd, e);
	if (rc < 0)
		return rc;
	for (int n = 1; n <= ESCPOS_STATUS_QUERIES; n++) {
		uint8_t q[3];

		escpos_status_query(q, n);
		rc = write_until(fd, q, sizeof q, deadline, 0, e);
		if (rc == PRINTER_ERR_TIMEOUT) /* output blocked: no answer is coming either */
			break;
		if (rc < 0)
			return rc;
		rc = answer_read(fd, deadline, &st[n - 1], bad, e);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
		*have |= 1u << (n - 1);
	}
	return 0;
}
