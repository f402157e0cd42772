/* printer_serial — an ESC/POS printer on a serial line (RS-232, a USB-serial adapter, a pty
 * in tests). Target "DEV[:BAUD[:FLOW]]": "/dev/ttyS0:19200:rtscts"; BAUD is 9600, 19200
 * (default), 38400, 57600 or 115200; FLOW is none (default), rtscts or xonxoff. The line is
 * raw 8N1 with CLOCAL (a printer does not drive carrier detect).
 *
 * The device is opened lazily and reopened after any failure, so a printer that was off at
 * start or whose adapter was unplugged comes back on the next call without a restart. A serial
 * line cannot tell an absent printer from a quiet one: silence to DLE EOT is the only sign,
 * and the status layer (printer_status.c) reports it as PRINTER_ERR_TIMEOUT. This file only
 * moves bytes: it parses the target, sets the line up and opens it again when it is gone. */
#include "fdio.h"
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
static int target_parse(struct printer_transport *tp, struct serial *s, const char *target)
{
	char t[PATH_MAX];
	char *c;
	size_t n = strlen(target);

	s->baud = 19200;
	s->flow = FLOW_NONE;
	if (n == 0 || n >= sizeof t) {
		snprintf(tp->err, sizeof tp->err, "serial printer: bad target '%.120s' (DEV:BAUD:FLOW)",
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
				snprintf(tp->err, sizeof tp->err,
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
			snprintf(tp->err, sizeof tp->err,
				 "serial printer: baud rate '%.20s' (9600, 19200, 38400, 57600, 115200)",
				 c + 1);
			return PRINTER_ERR_IO;
		}
		*c = '\0';
	}
	if (!t[0]) {
		snprintf(tp->err, sizeof tp->err, "serial printer: no device in '%.120s'", target);
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

static void serial_disconnect(struct printer_transport *t)
{
	if (t->fd < 0)
		return;
	/* pending output would make close() wait for it (closing_wait, 30 s by default) */
	tcflush(t->fd, TCIOFLUSH);
	close(t->fd);
	t->fd = -1;
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
static int serial_connect(struct printer_transport *t)
{
	struct serial *s = t->priv;
	int fd, e;

	if (t->fd >= 0 && fdio_alive(t->fd))
		return 1;
	serial_disconnect(t);
	fd = open(s->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		t->e = e;
		if (fdio_gone(e))
			return PRINTER_ERR_OFFLINE;
		snprintf(t->err, sizeof t->err, "serial printer: cannot open %.120s: %s", s->path,
			 strerror(e));
		return PRINTER_ERR_OFFLINE;
	}
	if (line_setup(s, fd) < 0) {
		e = errno;
		close(fd);
		t->e = e;
		snprintf(t->err, sizeof t->err, "serial printer: %.120s: %s", s->path,
			 e == ENOTTY ? "not a serial port" : strerror(e));
		return fdio_gone(e) ? PRINTER_ERR_OFFLINE : PRINTER_ERR_IO;
	}
	t->fd = fd;
	return 0;
}

static int serial_open(struct printer_transport *t, const char *target)
{
	struct serial *s = calloc(1, sizeof *s);
	int rc;

	if (!s) {
		snprintf(t->err, sizeof t->err, "serial printer: out of memory");
		return PRINTER_ERR_IO;
	}
	rc = target_parse(t, s, target);
	if (rc < 0) {
		free(s);
		return rc;
	}
	snprintf(t->label, sizeof t->label, "%.127s", s->path);
	t->priv = s;
	return 0;
}

static void serial_close(struct printer_transport *t)
{
	serial_disconnect(t);
	free(t->priv);
	t->priv = NULL;
}

const struct printer_transport_ops printer_serial_transport = {
	.name = "serial",
	.open = serial_open,
	.connect = serial_connect,
	.write = fdio_tp_write,
	.flush = fdio_tp_flush,
	.read = fdio_tp_read,
	.disconnect = serial_disconnect,
	.close = serial_close,
	.garbled_hint = "(baud rate or flow control?)",
};
