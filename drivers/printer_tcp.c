/* printer_tcp — an ESC/POS printer on the network, raw TCP ("port 9100", "JetDirect"). Target
 * "HOST[:PORT]" with HOST an IPv4 address or a bracketed IPv6 one and PORT 9100 by default:
 * "192.168.1.50:9100", "[fe80::1%eth0]:9100". Names are not resolved: a DNS lookup has no
 * timeout we control and would stall the print worker.
 *
 * Connects lazily with a bounded non-blocking connect; writes and DLE EOT answers go over the
 * same socket with poll() timeouts. Printers close idle connections and get switched off: a
 * connection found closed is reopened before the next call, and a printer that cannot be
 * reached is PRINTER_ERR_OFFLINE ("impresora desconectada: 192.168.1.50:9100: Connection
 * refused"). */
#include "fdio.h"
#include "escpos_status.h"
#include "printer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct tcp {
	char name[80]; /* the target as written, for messages */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	int fd; /* -1 while not connected */
};

static int bad_target(struct printer *p, const char *target, const char *why)
{
	snprintf(p->err, sizeof p->err, "tcp printer: bad target '%.80s': %s", target, why);
	return PRINTER_ERR_IO;
}

static int target_parse(struct printer *p, struct tcp *t, const char *target)
{
	struct addrinfo hints, *res = NULL;
	char host[64], port[8] = "9100";
	const char *hs = target, *he, *ps = NULL;
	size_t hn;
	int rc;

	if (target[0] == '[') {
		hs = target + 1;
		he = strchr(hs, ']');
		if (!he || (he[1] && he[1] != ':'))
			return bad_target(p, target, "IPv6 addresses go in brackets: [::1]:9100");
		if (he[1])
			ps = he + 2;
	} else {
		he = strchr(target, ':');
		if (he && strchr(he + 1, ':'))
			return bad_target(p, target, "IPv6 addresses go in brackets: [::1]:9100");
		if (he)
			ps = he + 1;
		else
			he = target + strlen(target);
	}
	hn = (size_t)(he - hs);
	if (hn == 0 || hn >= sizeof host)
		return bad_target(p, target, "no host");
	memcpy(host, hs, hn);
	host[hn] = '\0';
	if (ps) {
		char *end;
		long n;

		errno = 0;
		n = strtol(ps, &end, 10);
		if (!*ps || *end || errno || n < 1 || n > 65535)
			return bad_target(p, target, "port must be 1..65535");
		snprintf(port, sizeof port, "%ld", n);
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc != 0 || !res)
		return bad_target(p, target, "the host must be an IP address (no name lookups)");
	memcpy(&t->addr, res->ai_addr, res->ai_addrlen);
	t->addrlen = res->ai_addrlen;
	freeaddrinfo(res);
	snprintf(t->name, sizeof t->name, "%s", target);
	return 0;
}

static void disconnect(struct tcp *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

static int lost(struct printer *p, int rc, int e, const char *what)
{
	struct tcp *t = p->priv;

	disconnect(t);
	if (rc == PRINTER_ERR_OFFLINE)
		snprintf(p->err, sizeof p->err, "impresora desconectada: %s: %s", t->name,
			 strerror(e ? e : ECONNRESET));
	else if (rc == PRINTER_ERR_TIMEOUT)
		snprintf(p->err, sizeof p->err, "tcp printer: %s: %s timed out", t->name, what);
	else
		snprintf(p->err, sizeof p->err, "tcp printer: %s: %s: %s", t->name, what,
			 strerror(e ? e : EIO));
	return rc;
}

/* A connection that the printer closed (idle timeout, reboot) is replaced by a new one. */
static int connect_peer(struct printer *p)
{
	struct tcp *t = p->priv;
	struct pollfd pfd;
	int one = 1, e = 0, r;
	socklen_t el = sizeof e;

	if (t->fd >= 0 && fdio_alive(t->fd))
		return 0;
	disconnect(t);
	t->fd = socket(t->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->fd < 0)
		return lost(p, PRINTER_ERR_IO, errno, "socket");
	/* status queries are 3 bytes each: do not let Nagle hold them back */
	setsockopt(t->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(t->fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
	if (connect(t->fd, (struct sockaddr *)&t->addr, t->addrlen) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return lost(p, PRINTER_ERR_OFFLINE, errno, "connect");
	pfd = (struct pollfd){t->fd, POLLOUT, 0};
	do
		r = poll(&pfd, 1, PRINTER_CONNECT_TIMEOUT_MS);
	while (r < 0 && errno == EINTR);
	if (r == 0) {
		disconnect(t);
		snprintf(p->err, sizeof p->err,
			 "impresora desconectada: %s: no answer to connect within %d ms", t->name,
			 PRINTER_CONNECT_TIMEOUT_MS);
		return PRINTER_ERR_OFFLINE;
	}
	if (r < 0 || getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
		return lost(p, PRINTER_ERR_OFFLINE, errno, "connect");
	if (e)
		return lost(p, PRINTER_ERR_OFFLINE, e, "connect");
	return 0;
}

static int tcp_open(struct printer *p, const char *target)
{
	struct tcp *t = calloc(1, sizeof *t);
	int rc;

	if (!t) {
		snprintf(p->err, sizeof p->err, "tcp printer: out of memory");
		return PRINTER_ERR_IO;
	}
	t->fd = -1;
	rc = target_parse(p, t, target);
	if (rc < 0) {
		free(t);
		return rc;
	}
	p->priv = t;
	return 0;
}

static int tcp_status(struct printer *p, struct printer_status *out, int timeout_ms)
{
	struct tcp *t = p->priv;
	uint8_t st[ESCPOS_STATUS_QUERIES];
	unsigned have;
	int bad, e, rc, reused = t->fd >= 0;

	rc = connect_peer(p);
	if (rc < 0)
		return rc;
	rc = fdio_dle_eot(t->fd, timeout_ms, st, &have, &bad, &e);
	if (rc == PRINTER_ERR_OFFLINE && reused) {
		/* a connection the printer forgot (it rebooted): reset on first use; one new try */
		disconnect(t);
		rc = connect_peer(p);
		if (rc < 0)
			return rc;
		rc = fdio_dle_eot(t->fd, timeout_ms, st, &have, &bad, &e);
	}
	if (rc < 0)
		return lost(p, rc, e, "status");
	if (!have && bad < 0) {
		disconnect(t);
		snprintf(p->err, sizeof p->err, "tcp printer: %s: no answer to DLE EOT within %d ms",
			 t->name, timeout_ms);
		return PRINTER_ERR_TIMEOUT;
	}
	if (!have) {
		out->state = PRINTER_ERROR;
		snprintf(out->detail, sizeof out->detail, "garbled answer 0x%02x to DLE EOT", bad);
		return 0;
	}
	escpos_status_parse(st, have, out);
	return 0;
}

static int tcp_job(struct printer *p, const char *job, const uint8_t *buf, size_t len)
{
	struct tcp *t = p->priv;
	int wms = p->write_ms > 0 ? p->write_ms : PRINTER_WRITE_TIMEOUT_MS;
	int e, rc;

	(void)job;
	rc = connect_peer(p);
	if (rc < 0)
		return rc;
	rc = fdio_write(t->fd, buf, len, wms, &e);
	if (rc == 0)
		rc = fdio_sent(t->fd, wms, &e);
	if (rc < 0)
		return lost(p, rc, e, "write");
	return 0;
}

static void tcp_close(struct printer *p)
{
	struct tcp *t = p->priv;

	if (t) {
		disconnect(t);
		free(t);
	}
	p->priv = NULL;
}

const struct printer_ops printer_tcp_ops = {
	.name = "tcp",
	.open = tcp_open,
	.job = tcp_job,
	.status = tcp_status,
	.close = tcp_close,
};
