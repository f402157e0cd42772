/* printer_serial — an ESC/POS printer on a serial line (RS-232, a USB-serial adapter, a pty
 * in tests). Target "DEV[:BAUD[:FLOW]]": "/dev/ttyS0:19200:rtscts"; BAUD is 9600, 19200
 * (default), 38400, 57600 or 115200; FLOW is none (default), rtscts or xonxoff. The line is
 * raw 8N1 with CLOCAL (a printer does not drive carrier detect).
 *
 * The device is opened lazily and reopened after any failure, so a printer that was off at
 * start or whose adapter was unplugged comes back on the next call without a restart. A serial
 * line cannot tell an absent printer from a quiet one: silence to DLE EOT is the only sign,
 * and it is reported as PRINTER_ERR_TIMEOUT. */
#include "fdio.h"
#include "escpos_status.h"
#include "printer.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

enum flow { FLOW_NONE, FLOW_RTSCTS, FLOW_XONXOFF };

struct serial {
	char path[PATH_MAX];
	long baud;
	enum flow flow;
	int fd; /* -1 while not connected */
};

static const struct {
	long baud;
	speed_t speed;
} bauds[] = {{9600, B9600}, {19200, B19200}, {38400, B38400}, {57600, B57600}, {115200, B115200}};

static const char *const flows[] = {"none", "rtscts", "xonxoff"};

static int all_digits(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int all_letters(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			return 0;
	return 1;
}

/* Device paths may hold ':' (/dev/serial/by-path/pci-0000:00:14.0-...), so the options are
 * taken from the right: a trailing word after ":digits" is the flow control, trailing
 * ":digits" the baud rate; the rest is the path. */
static int target_parse(struct printer *p, struct serial *s, const char *target)
{
	char t[PATH_MAX];
	char *c;
	size_t n = strlen(target);

	s->baud = 19200;
	s->flow = FLOW_NONE;
	if (n == 0 || n >= sizeof t) {
		snprintf(p->err, sizeof p->err, "serial printer: bad target '%.120s' (DEV:BAUD:FLOW)",
			 target);
		return PRINTER_ERR_IO;
	}
	memcpy(t, target, n + 1);
	c = strrchr(t, ':');
	if (c && all_letters(c + 1)) {
		char *prev = c;

		while (prev > t && prev[-1] >= '0' && prev[-1] <= '9')
			prev--;
		if (prev > t && prev[-1] == ':' && prev < c) {
			size_t i = 0;

			while (i < sizeof flows / sizeof *flows && strcmp(flows[i], c + 1) != 0)
				i++;
			if (i == sizeof flows / sizeof *flows) {
				snprintf(p->err, sizeof p->err,
					 "serial printer: flow control '%.40s' (none, rtscts, xonxoff)",
					 c + 1);
				return PRINTER_ERR_IO;
			}
			s->flow = (enum flow)i;
			*c = '\0';
			c = strrchr(t, ':');
		}
	}
	if (c && all_digits(c + 1, strlen(c + 1))) {
		char *end;
		size_t i = 0;

		errno = 0;
		s->baud = strtol(c + 1, &end, 10);
		while (i < sizeof bauds / sizeof *bauds && bauds[i].baud != s->baud)
			i++;
		if (errno || *end || i == sizeof bauds / sizeof *bauds) {
			snprintf(p->err, sizeof p->err,
				 "serial printer: baud rate '%.20s' (9600, 19200, 38400, 57600, 115200)",
				 c + 1);
			return PRINTER_ERR_IO;
		}
		*c = '\0';
	}
	if (!t[0]) {
		snprintf(p->err, sizeof p->err, "serial printer: no device in '%.120s'", target);
		return PRINTER_ERR_IO;
	}
	snprintf(s->path, sizeof s->path, "%s", t);
	return 0;
}

static speed_t speed_of(long baud)
{
	for (size_t i = 0; i < sizeof bauds / sizeof *bauds; i++)
		if (bauds[i].baud == baud)
			return bauds[i].speed;
	return B19200;
}

static void disconnect(struct serial *s)
{
	if (s->fd < 0)
		return;
	/* pending output would make close() wait for it (closing_wait, 30 s by default) */
	tcflush(s->fd, TCIOFLUSH);
	close(s->fd);
	s->fd = -1;
}

/* Drops the connection after a failure and words the error; returns rc. */
static int lost(struct printer *p, int rc, int e, const char *what)
{
	struct serial *s = p->priv;

	disconnect(s);
	if (rc == PRINTER_ERR_OFFLINE)
		snprintf(p->err, sizeof p->err, "impresora desconectada: %.120s: %s", s->path,
			 strerror(e ? e : EIO));
	else if (rc == PRINTER_ERR_TIMEOUT)
		snprintf(p->err, sizeof p->err, "serial printer: %.120s: %s timed out", s->path,
			 what);
	else
		snprintf(p->err, sizeof p->err, "serial printer: %.120s: %s: %s", s->path, what,
			 strerror(e ? e : EIO));
	return rc;
}

static int line_setup(struct serial *s, int fd)
{
	struct termios tio;
	speed_t sp = speed_of(s->baud);

	if (tcgetattr(fd, &tio) < 0)
		return -1;
	cfmakeraw(&tio);
	tio.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB | CSIZE | CRTSCTS);
	tio.c_cflag |= CS8 | CLOCAL | CREAD;
	tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF | IXANY);
	if (s->flow == FLOW_RTSCTS)
		tio.c_cflag |= CRTSCTS;
	else if (s->flow == FLOW_XONXOFF)
		tio.c_iflag |= IXON | IXOFF;
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	if (cfsetispeed(&tio, sp) < 0 || cfsetospeed(&tio, sp) < 0)
		return -1;
	if (tcsetattr(fd, TCSANOW, &tio) < 0)
		return -1;
	tcflush(fd, TCIOFLUSH);
	return 0;
}

/* Makes sure the line is open: reopens it when it was never opened or has hung up. */
static int connect_line(struct printer *p)
{
	struct serial *s = p->priv;
	int fd, e;

	if (s->fd >= 0 && fdio_alive(s->fd))
		return 0;
	disconnect(s);
	fd = open(s->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		if (fdio_gone(e))
			return lost(p, PRINTER_ERR_OFFLINE, e, "open");
		snprintf(p->err, sizeof p->err, "serial printer: cannot open %.120s: %s", s->path,
			 strerror(e));
		return PRINTER_ERR_OFFLINE;
	}
	if (line_setup(s, fd) < 0) {
		e = errno;
		close(fd);
		snprintf(p->err, sizeof p->err, "serial printer: %.120s: %s", s->path,
			 e == ENOTTY ? "not a serial port" : strerror(e));
		return fdio_gone(e) ? PRINTER_ERR_OFFLINE : PRINTER_ERR_IO;
	}
	s->fd = fd;
	return 0;
}

static int serial_open(struct printer *p, const char *target)
{
	struct serial *s = calloc(1, sizeof *s);
	int rc;

	if (!s) {
		snprintf(p->err, sizeof p->err, "serial printer: out of memory");
		return PRINTER_ERR_IO;
	}
	s->fd = -1;
	rc = target_parse(p, s, target);
	if (rc < 0) {
		free(s);
		return rc;
	}
	p->priv = s;
	return 0;
}

static int serial_status(struct printer *p, struct printer_status *out, int timeout_ms)
{
	struct serial *s = p->priv;
	uint8_t st[ESCPOS_STATUS_QUERIES];
	unsigned have;
	int bad, e, rc;

	rc = connect_line(p);
	if (rc < 0)
		return rc;
	rc = fdio_dle_eot(s->fd, timeout_ms, st, &have, &bad, &e);
	if (rc < 0)
		return lost(p, rc, e, "status");
	if (!have && bad < 0) {
		lost(p, PRINTER_ERR_TIMEOUT, 0, "status");
		snprintf(p->err, sizeof p->err,
			 "serial printer: %.120s: no answer to DLE EOT within %d ms (off or unplugged?)",
			 s->path, timeout_ms);
		return PRINTER_ERR_TIMEOUT;
	}
	if (!have) {
		out->state = PRINTER_ERROR;
		snprintf(out->detail, sizeof out->detail,
			 "garbled answer 0x%02x to DLE EOT (baud rate or flow control?)", bad);
		return 0;
	}
	escpos_status_parse(st, have, out);
	return 0;
}

static int serial_job(struct printer *p, const char *job, const uint8_t *buf, size_t len)
{
	struct serial *s = p->priv;
	int wms = p->write_ms > 0 ? p->write_ms : PRINTER_WRITE_TIMEOUT_MS;
	int e, rc;

	(void)job;
	rc = connect_line(p);
	if (rc < 0)
		return rc;
	rc = fdio_write(s->fd, buf, len, wms, &e);
	if (rc == 0)
		rc = fdio_sent(s->fd, wms, &e);
	if (rc < 0)
		return lost(p, rc, e, "write");
	return 0;
}

static void serial_close(struct printer *p)
{
	struct serial *s = p->priv;

	if (s) {
		disconnect(s);
		free(s);
	}
	p->priv = NULL;
}

const struct printer_ops printer_serial_ops = {
	.name = "serial",
	.open = serial_open,
	.job = serial_job,
	.status = serial_status,
	.close = serial_close,
};
