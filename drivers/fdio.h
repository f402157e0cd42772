/* fdio — descriptor I/O with deadlines, shared by the serial, usb and tcp printer backends.
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
/* Discards pending input (late answers, noise). 0, or PRINTER_ERR_OFFLINE on a hang-up or
 * end of stream, PRINTER_ERR_IO on another error. */
int fdio_drain(int fd, int *e);
/* Asks DLE EOT 1..4 one at a time within timeout_ms in all, keeping answers with the fixed
 * status bits and skipping other bytes. Returns 0 with bit n-1 of *have set for each answer
 * in st[n-1] (*have == 0: the printer is silent; *bad then holds the first byte that was not
 * a status answer, or -1 if nothing came), or PRINTER_ERR_OFFLINE / _IO. */
int fdio_dle_eot(int fd, int timeout_ms, uint8_t st[4], unsigned *have, int *bad, int *e);
#endif
