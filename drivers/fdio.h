/* fdio — descriptor I/O with deadlines, shared by the serial, usb and tcp printer transports.
 * Every wait is a poll() bounded by a timeout, so a silent or stuck device costs a timeout,
 * never a hang. Descriptors are expected in O_NONBLOCK mode. Results are PRINTER_ERR_* codes
 * (0 on success); the errno behind a failure comes back through *e (0 for a timeout). */
#ifndef RECAUDO_FDIO_H
#define RECAUDO_FDIO_H
#include <stddef.h>
#include <stdint.h>

/* Monotonic milliseconds. */
int64_t fdio_now_ms(void);
/* 1 if errno value e means the device or the peer is gone (unplugged, hung up, reset,
 * refused), else 0. */
int fdio_gone(int e);
/* 1 if fd still looks connected: no hang-up, error or end of stream pending. Never blocks. */
int fdio_alive(int fd);
/* Writes all of buf. PRINTER_ERR_TIMEOUT when the device takes no byte for idle_ms,
 * PRINTER_ERR_OFFLINE when it is gone, PRINTER_ERR_IO otherwise. Sockets are written with
 * MSG_NOSIGNAL (a closed peer is an error, not SIGPIPE). */
int fdio_write(int fd, const uint8_t *buf, size_t len, int idle_ms, int *e);
/* Waits until the kernel has sent what is queued on fd (TIOCOUTQ: a tty's output queue, a
 * socket's unacknowledged bytes), at most timeout_ms; descriptors without a queue (usblp,
 * files) return at once. 0 or PRINTER_ERR_TIMEOUT / _OFFLINE / _IO. */
int fdio_sent(int fd, int timeout_ms, int *e);
/* Reads up to n bytes arriving within timeout_ms (0: only what is there): the count, 0 on
 * timeout, PRINTER_ERR_OFFLINE at a hang-up or the end of the stream, _IO otherwise. */
int fdio_read(int fd, uint8_t *buf, size_t n, int timeout_ms, int *e);

/* The byte operations of a descriptor transport (t->fd, errno in t->e), for the
 * write/flush/read slots of struct printer_transport_ops. */
struct printer_transport;
int fdio_tp_write(struct printer_transport *t, const uint8_t *buf, size_t len, int idle_ms);
int fdio_tp_flush(struct printer_transport *t, int timeout_ms);
int fdio_tp_read(struct printer_transport *t, uint8_t *buf, size_t n, int timeout_ms);
/* Closes t->fd if open and marks it -1 (the disconnect of usb and tcp). */
void fdio_tp_disconnect(struct printer_transport *t);
#endif
