/* printer_status — the ESC/POS status layer over a byte transport (see "transports" in
 * printer.h). Written once for every real printer: it reaches the device through the
 * transport, asks DLE EOT 1..4 within one budget (escpos_status.h says what the answers
 * mean), tells silence from garbage, retries once on a connection the device forgot, marks a
 * printer that never answers as "status unknown" where the transport says that is normal,
 * drops the connection after any failure and words the errors. The transports below it
 * (printer_serial.c, printer_usb.c, printer_tcp.c, printer_file.c) only move bytes.
 *
 * The policy around a job (ask, refuse, send, ask again) stays in printer.c, the same for
 * these and for whole-device backends such as the virtual printer. */
#include "escpos_status.h"
#include "fdio.h"
#include "printer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct printer_transport *tp_of(struct printer *p)
{
	return p->priv;
}

/* Drops the connection after a failure and words the error (the transport's own words if
 * it gave any); returns rc. */
static int lost(struct printer *p, int rc, const char *what)
{
	struct printer_transport *t = tp_of(p);
	int e = t->e ? t->e : EIO;

	t->ops->disconnect(t);
	if (t->err[0])
		snprintf(p->err, sizeof p->err, "%s", t->err);
	else if (rc == PRINTER_ERR_OFFLINE)
		snprintf(p->err, sizeof p->err, "impresora desconectada: %.120s: %s", t->label,
			 strerror(e));
	else if (rc == PRINTER_ERR_TIMEOUT)
		snprintf(p->err, sizeof p->err, "%s printer: %.120s: %s timed out", t->ops->name,
			 t->label, what);
	else
		snprintf(p->err, sizeof p->err, "%s printer: %.120s: %s: %s", t->ops->name, t->label,
			 what, strerror(e));
	return rc;
}

static int64_t left_ms(int64_t deadline)
{
	int64_t left = deadline - fdio_now_ms();

	return left > 0 ? left : 0;
}

/* One answer byte by `deadline`: 1 got one (in *b), 0 timed out, <0 error. Bytes without
 * the fixed status bits are skipped; the first is kept in *bad. */
static int answer_read(struct printer_transport *t, int64_t deadline, uint8_t *b, int *bad)
{
	for (;;) {
		int r = t->ops->read(t, b, 1, (int)left_ms(deadline));

		if (r <= 0)
			return r;
		if (escpos_status_valid(*b))
			return 1;
		if (*bad < 0)
			*bad = *b;
		if (left_ms(deadline) == 0)
			return 0;
	}
}

/* Asks DLE EOT 1..4 one at a time within timeout_ms in all, after discarding stale input.
 * Returns 0 with bit n-1 of *have set for each answer in st[n-1] (*have == 0: silent; *bad
 * then holds the first byte that was not an answer, or -1 if nothing came), or <0. */
static int dle_eot(struct printer_transport *t, int timeout_ms, uint8_t st[ESCPOS_STATUS_QUERIES],
		   unsigned *have, int *bad)
{
	int64_t deadline = fdio_now_ms() + timeout_ms;
	uint8_t junk[256];
	int rc;

	*have = 0;
	*bad = -1;
	while ((rc = t->ops->read(t, junk, sizeof junk, 0)) > 0) /* late answers, noise */
		;
	if (rc < 0)
		return rc;
	for (int n = 1; n <= ESCPOS_STATUS_QUERIES; n++) {
		uint8_t q[3];
		int64_t left = left_ms(deadline);

		escpos_status_query(q, n);
		rc = t->ops->write(t, q, sizeof q, left > 0 ? (int)left : 1);
		if (rc == PRINTER_ERR_TIMEOUT) /* output blocked: no answer is coming either */
			break;
		if (rc < 0)
			return rc;
		rc = answer_read(t, deadline, &st[n - 1], bad);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
		*have |= 1u << (n - 1);
	}
	return 0;
}

static void unknown(struct printer_status *out, const char *why)
{
	out->state = PRINTER_READY;
	snprintf(out->detail, sizeof out->detail, "status unknown: %s", why);
}

static int stream_status(struct printer *p, struct printer_status *out, int timeout_ms)
{
	struct printer_transport *t = tp_of(p);
	uint8_t st[ESCPOS_STATUS_QUERIES];
	unsigned have;
	int bad, rc, kept;

	t->e = 0;
	t->err[0] = '\0';
	kept = t->ops->connect(t);
	if (kept < 0)
		return lost(p, kept, "open");
	if (t->no_read) {
		unknown(out, t->no_read_why ? t->no_read_why : "no answer to DLE EOT");
		return 0;
	}
	rc = dle_eot(t, timeout_ms, st, &have, &bad);
	if (rc == PRINTER_ERR_OFFLINE && kept == 1) {
		/* a connection the device forgot (it rebooted, the adapter was replugged): one new try */
		t->ops->disconnect(t);
		t->e = 0;
		rc = t->ops->connect(t);
		if (rc < 0)
			return lost(p, rc, "open");
		rc = dle_eot(t, timeout_ms, st, &have, &bad);
	}
	if (rc < 0)
		return lost(p, rc, "status");
	if (have) {
		escpos_status_parse(st, have, out);
		return 0;
	}
	if (bad >= 0) {
		out->state = PRINTER_ERROR;
		snprintf(out->detail, sizeof out->detail, "garbled answer 0x%02x to DLE EOT%s%s", bad,
			 t->ops->garbled_hint ? " " : "", t->ops->garbled_hint ? t->ops->garbled_hint : "");
		return 0;
	}
	if (t->ops->flags & PRINTER_TRANSPORT_SILENCE_UNKNOWN) {
		t->no_read = 1; /* not asked again until the device is reopened */
		t->no_read_why = "no answer to DLE EOT";
		unknown(out, t->no_read_why);
		return 0;
	}
	t->ops->disconnect(t);
	snprintf(p->err, sizeof p->err,
		 "%s printer: %.120s: no answer to DLE EOT within %d ms (off or unplugged?)",
		 t->ops->name, t->label, timeout_ms);
	return PRINTER_ERR_TIMEOUT;
}

static int stream_job(struct printer *p, const char *job, const uint8_t *buf, size_t len)
{
	struct printer_transport *t = tp_of(p);
	int wms = p->write_ms > 0 ? p->write_ms : PRINTER_WRITE_TIMEOUT_MS;
	int rc;

	(void)job;
	t->e = 0;
	t->err[0] = '\0';
	rc = t->ops->connect(t);
	if (rc < 0)
		return lost(p, rc, "open");
	rc = t->ops->write(t, buf, len, wms);
	if (rc == 0 && t->ops->flush)
		rc = t->ops->flush(t, wms);
	if (rc < 0)
		return lost(p, rc, "write");
	return 0;
}

static int stream_open(struct printer *p, const char *target)
{
	struct printer_transport *t = tp_of(p);
	int rc = t->ops->open(t, target);

	if (rc < 0)
		snprintf(p->err, sizeof p->err, "%s",
			 t->err[0] ? t->err : "printer: cannot open the transport");
	return rc;
}

static void stream_close(struct printer *p)
{
	struct printer_transport *t = tp_of(p);

	if (t) {
		t->ops->close(t);
		free(t);
	}
	p->priv = NULL;
}

const struct printer_ops printer_stream_ops = {
	.name = "stream",
	.open = stream_open,
	.job = stream_job,
	.status = stream_status,
	.close = stream_close,
};

/* A transport without a back channel: no status operation, so printer.c reports READY
 * ("no status on the <name> backend") and a failed write as ERROR. */
const struct printer_ops printer_stream_mute_ops = {
	.name = "stream",
	.open = stream_open,
	.job = stream_job,
	.close = stream_close,
};
