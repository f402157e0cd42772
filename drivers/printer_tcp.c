/* printer_tcp — an ESC/POS printer on the network, raw TCP ("port 9100", "JetDirect"). Target
 * "HOST[:PORT]" with HOST an IPv4 address or a bracketed IPv6 one and PORT 9100 by default:
 * "192.168.1.50:9100", "[fe80::1%eth0]:9100". Names are not resolved: a DNS lookup has no
 * timeout we control and would stall the print worker.
 *
 * Connects lazily with a bounded non-blocking connect; writes and DLE EOT answers go over the
 * same socket with poll() timeouts. Printers close idle connections and get switched off: a
 * connection found closed is reopened before the next call, and a printer that cannot be
 * reached is PRINTER_ERR_OFFLINE ("impresora desconectada: 192.168.1.50:9100: Connection
 * refused"). The status layer (printer_status.c) asks and judges; this file only moves bytes. */
#include "fdio.h"
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
	struct sockaddr_storage addr;
	socklen_t addrlen;
};

static int bad_target(struct printer_transport *p, const char *target, const char *why)
{
	snprintf(p->err, sizeof p->err, "tcp printer: bad target '%.80s': %s", target, why);
	return PRINTER_ERR_IO;
}

static int target_parse(struct printer_transport *p, struct tcp *t, const char *target)
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
	snprintf(p->label, sizeof p->label, "%.80s", target);
	return 0;
}

/* A connection that the printer closed (idle timeout, reboot) is replaced by a new one. */
static int tcp_connect(struct printer_transport *t)
{
	struct tcp *c = t->priv;
	struct pollfd pfd;
	int one = 1, e = 0, r;
	socklen_t el = sizeof e;

	if (t->fd >= 0 && fdio_alive(t->fd))
		return 1;
	fdio_tp_disconnect(t);
	t->fd = socket(c->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->fd < 0) {
		t->e = errno;
		snprintf(t->err, sizeof t->err, "tcp printer: %s: socket: %s", t->label, strerror(t->e));
		return PRINTER_ERR_IO;
	}
	/* status queries are 3 bytes each: do not let Nagle hold them back */
	setsockopt(t->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(t->fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
	if (connect(t->fd, (struct sockaddr *)&c->addr, c->addrlen) == 0)
		return 0;
	if (errno != EINPROGRESS) {
		t->e = errno;
		return PRINTER_ERR_OFFLINE;
	}
	pfd = (struct pollfd){t->fd, POLLOUT, 0};
	do
		r = poll(&pfd, 1, PRINTER_CONNECT_TIMEOUT_MS);
	while (r < 0 && errno == EINTR);
	if (r == 0) {
		snprintf(t->err, sizeof t->err,
			 "impresora desconectada: %s: no answer to connect within %d ms", t->label,
			 PRINTER_CONNECT_TIMEOUT_MS);
		return PRINTER_ERR_OFFLINE;
	}
	if (r < 0 || getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0) {
		t->e = errno;
		return PRINTER_ERR_OFFLINE;
	}
	if (e) {
		t->e = e;
		return PRINTER_ERR_OFFLINE;
	}
	return 0;
}

static int tcp_open(struct printer_transport *t, const char *target)
{
	struct tcp *c = calloc(1, sizeof *c);
	int rc;

	if (!c) {
		snprintf(t->err, sizeof t->err, "tcp printer: out of memory");
		return PRINTER_ERR_IO;
	}
	rc = target_parse(t, c, target);
	if (rc < 0) {
		free(c);
		return rc;
	}
	t->priv = c;
	return 0;
}

static void tcp_close(struct printer_transport *t)
{
	fdio_tp_disconnect(t);
	free(t->priv);
	t->priv = NULL;
}

const struct printer_transport_ops printer_tcp_transport = {
	.name = "tcp",
	.open = tcp_open,
	.connect = tcp_connect,
	.write = fdio_tp_write,
	.flush = fdio_tp_flush,
	.read = fdio_tp_read,
	.disconnect = fdio_tp_disconnect,
	.close = tcp_close,
};
