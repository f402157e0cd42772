/* printer — a receipt printer behind a small ops table. App code calls printer_* and never
 * touches ops. Backends are picked by name (docs/printing.md has the target syntax of each):
 *   virtual  DIR[?faults]       writes DIR/<job>.bin (the bytes) and DIR/<job>.png (rendered);
 *                               faults (paper near end, paper out after N lines, cover open...)
 *                               make it behave like a printer in trouble, for tests
 *   file     PATH               appends the raw bytes to a file
 *   serial   DEV[:BAUD[:FLOW]]  termios raw 8N1, e.g. "/dev/ttyS0:19200:rtscts"
 *   usb      DEV                USB printer class, e.g. "/dev/usb/lp0"
 *   tcp      HOST[:PORT]        raw port 9100, e.g. "192.168.1.50:9100" (an IP address)
 *
 * A job is checked before and after it is sent: printer_job asks the printer's real-time
 * status (DLE EOT), refuses to send when the paper is out, the cover open, the printer offline
 * or in error, sends, and asks again. The outcome is the return code (PRINTER_ERR_*) plus the
 * state the printer was last seen in (printer_last_status). The serial, usb and tcp backends
 * never block forever (every wait is bounded, see the timeouts below) and reconnect by
 * themselves: a device that went away is closed and opened again on the next call.
 *
 * Calls may block on I/O for up to their timeouts: never call them on the UI thread (see
 * app/printq.h). A handle is used by one thread at a time. */
#ifndef RECAUDO_PRINTER_H
#define RECAUDO_PRINTER_H
#include <stddef.h>
#include <stdint.h>

/* Return codes of printer_job and printer_status; err (printer_error) always says why in
 * words for logs and technicians. The customer's message is the app's to choose, from these
 * codes and the state. */
#define PRINTER_ERR_IO         (-1) /* bad arguments, a failed write, a backend error */
#define PRINTER_ERR_NOT_READY  (-2) /* refused before sending: the state says why */
#define PRINTER_ERR_INCOMPLETE (-3) /* sent, but it failed during the job (paper ran out...):
				     * the paper may hold part of it */
#define PRINTER_ERR_TIMEOUT    (-4) /* the printer did not answer or accept data in time */
#define PRINTER_ERR_OFFLINE    (-5) /* cannot reach it: unplugged, refused, not connected */

/* Default timeouts (ms); printer_set_timeouts changes them per handle. */
#define PRINTER_STATUS_TIMEOUT_MS  500   /* all four DLE EOT answers */
#define PRINTER_WRITE_TIMEOUT_MS   10000 /* a job fails when the device takes no byte this long */
#define PRINTER_CONNECT_TIMEOUT_MS 3000  /* tcp connect */

/* When several hold, the state is the first of: cover open, paper out, error, offline, paper
 * near end, ready (the most specific thing a technician can act on comes first). */
enum printer_state {
	PRINTER_READY,
	PRINTER_PAPER_NEAR_END, /* prints; time to change the roll */
	PRINTER_PAPER_OUT,
	PRINTER_COVER_OPEN,
	PRINTER_OFFLINE,        /* offline with no other cause, unreachable or not answering */
	PRINTER_ERROR,          /* cutter, mechanism, head temperature, garbled status */
};

/* What happened to the last job (kept across status checks until the next job). */
enum printer_job_outcome {
	PRINTER_JOB_NONE,       /* no job on this handle yet */
	PRINTER_JOB_PRINTED,    /* printer_job returned 0 */
	PRINTER_JOB_REFUSED,    /* PRINTER_ERR_NOT_READY: nothing sent */
	PRINTER_JOB_INCOMPLETE, /* PRINTER_ERR_INCOMPLETE: maybe part of it on paper */
	PRINTER_JOB_FAILED,     /* PRINTER_ERR_IO, _TIMEOUT, _OFFLINE */
};

/* The printer as last seen. One struct travels unchanged from the driver (printer_job,
 * printer_status) through the print worker (app/printq.h) to the status line and the
 * heartbeat; each reader takes the words it needs from one function: printer_state_name and
 * printer_job_name for machines (heartbeat, status JSON, logs), printer_words (app) for
 * people. */
struct printer_status {
	enum printer_state state;
	char detail[80]; /* what was seen, e.g. "paper end; cover open", for logs ("" if nothing) */
	int rc;          /* what the call that saw it returned: 0 or a PRINTER_ERR_* code */
	enum printer_job_outcome job; /* the last job's outcome */
};

struct printer;

struct printer_ops {
	const char *name;
	/* Parses target and sets up p->priv. Transports need not reach the device here. */
	int (*open)(struct printer *p, const char *target);
	/* Sends one whole job; `job` names it (e.g. "receipt-000042"). Returns 0 or a
	 * PRINTER_ERR_* code with p->err set. */
	int (*job)(struct printer *p, const char *job, const uint8_t *buf, size_t len);
	/* Optional: the printer's state now. Returns 0 with *out filled, or a PRINTER_ERR_*
	 * code (OFFLINE, TIMEOUT, IO) with p->err set. */
	int (*status)(struct printer *p, struct printer_status *out, int timeout_ms);
	void (*close)(struct printer *p);
};

struct printer {
	const struct printer_ops *ops;
	void *priv;
	int dots;                   /* printable width in dots: 384 (58 mm) or 576 (80 mm) */
	int status_ms, write_ms;    /* timeouts; <= 0 means the default */
	struct printer_status last; /* as last seen; read it with printer_last_status */
	char err[200];
};

/* Opens backend `name` on `target`. Returns 0, or <0 with the reason in err (unknown
 * backend, malformed target, unwritable directory). A serial, usb or tcp device that is
 * absent is not an error here: the first printer_status or printer_job tries to reach it.
 * Free with printer_close. */
int printer_open(struct printer **out, const char *name, const char *target, int dots, char *err,
		 size_t errn);
/* Sends one job: status before (refused with PRINTER_ERR_NOT_READY, nothing sent, when the
 * state is paper out, cover open, offline or error), the bytes, status after (paper out or
 * another failure state -> PRINTER_ERR_INCOMPLETE). Paper near end is not a failure: the
 * job prints and the state is kept. Returns 0 or a PRINTER_ERR_* code with printer_error()
 * set; printer_last_status() has the state either way. */
int printer_job(struct printer *p, const char *job, const uint8_t *buf, size_t len);
/* Asks the printer for its state within timeout_ms (<= 0: the handle's status timeout).
 * Backends without status (file) are always READY. Returns 0, or PRINTER_ERR_OFFLINE /
 * _TIMEOUT / _IO with printer_error() set; *out is filled in every case (OFFLINE for an
 * unreachable or silent printer, ERROR for an I/O failure). */
int printer_status(struct printer *p, struct printer_status *out, int timeout_ms);
/* Copies the state seen by the last printer_job or printer_status (READY "not checked yet"
 * before any). Same thread as the calls that update it. */
void printer_last_status(const struct printer *p, struct printer_status *out);
/* Status answer and write-progress timeouts in ms; a value <= 0 leaves that one unchanged. */
void printer_set_timeouts(struct printer *p, int status_ms, int write_ms);
/* "ready", "paper_near_end", "paper_out", "cover_open", "offline", "error" ("unknown" for a
 * value outside the enum). Static strings, used in heartbeats and logs. */
const char *printer_state_name(enum printer_state s);
/* "none", "printed", "refused", "incomplete", "failed" ("unknown" outside the enum). */
const char *printer_job_name(enum printer_job_outcome o);
/* Whether nothing is sent in state s (paper out, cover open, offline, error); after a job
 * these states mean it may not have printed whole. */
int printer_state_blocks(enum printer_state s);
const char *printer_error(const struct printer *p);
const char *printer_backend(const struct printer *p);
void printer_close(struct printer *p);
/* Names of the compiled-in backends, NULL-terminated. */
const char *const *printer_backends(void);

/* ---- transports: byte movers under one status layer ----
 *
 * A real printer is a transport (serial, usb, tcp, file) under the one ESC/POS layer in
 * drivers/printer_status.c, in the spirit of curl's connection filters: the transport only
 * moves bytes (open a device lazily, write, read with a timeout, drop the connection); the
 * layer above asks DLE EOT, reads and judges the answers, handles silence, garbage, a
 * dropped connection and words the errors, once for every transport. A transport without
 * `read` has no back channel: it is always READY ("no status on the <name> backend").
 *
 * Every call returns 0 (read: the byte count, 0 on timeout) or a PRINTER_ERR_* code
 * (OFFLINE: the device is gone; TIMEOUT; IO) with the errno behind it in t->e, and may put
 * a full sentence in t->err (otherwise the layer words it from the name, label and errno). */
struct printer_transport;

struct printer_transport_ops {
	const char *name;
	/* Parses target (no device I/O): fills t->label and t->priv. */
	int (*open)(struct printer_transport *t, const char *target);
	/* Makes sure the device is reachable: opens it lazily, reopens a dead connection.
	 * Returns 1 when an open connection was kept, 0 when a new one was made, or <0. May set
	 * t->no_read (with t->no_read_why) when this connection cannot answer. */
	int (*connect)(struct printer_transport *t);
	/* Writes all of buf; PRINTER_ERR_TIMEOUT when the device takes no byte for idle_ms. */
	int (*write)(struct printer_transport *t, const uint8_t *buf, size_t len, int idle_ms);
	/* Optional: waits until the device has taken what was written (a UART's queue, a
	 * peer's acknowledgement), at most timeout_ms. */
	int (*flush)(struct printer_transport *t, int timeout_ms);
	/* Optional (NULL: no back channel): reads up to n bytes that arrive within timeout_ms
	 * (0: only what is already there). Returns the count, 0 on timeout, or <0. */
	int (*read)(struct printer_transport *t, uint8_t *buf, size_t n, int timeout_ms);
	/* Drops the connection (after a failure); the next connect opens it again. */
	void (*disconnect)(struct printer_transport *t);
	void (*close)(struct printer_transport *t);
	unsigned flags;          /* PRINTER_TRANSPORT_* */
	const char *garbled_hint; /* appended to "garbled answer 0x..": a likely cause, or NULL */
};

/* A printer that never answers DLE EOT (a unidirectional USB printer) has an unknown state,
 * reported READY ("status unknown: no answer to DLE EOT") and not asked again until the
 * device is reopened. Without the flag, silence is PRINTER_ERR_TIMEOUT (state OFFLINE). */
#define PRINTER_TRANSPORT_SILENCE_UNKNOWN 1u

struct printer_transport {
	const struct printer_transport_ops *ops;
	void *priv;
	int fd;                  /* for descriptor transports (fdio.h); -1 while not connected */
	int no_read;             /* this connection cannot answer (write-only, a file, silent) */
	const char *no_read_why;
	char label[128];         /* the device or address, for messages */
	int e;                   /* errno of the last failure, 0 if none */
	char err[200];           /* the transport's own words for the last failure, "" if none */
};

/* Opens a printer on transport tp (the registry does this for serial, usb, tcp and file;
 * tests pass their own). Same contract as printer_open. */
int printer_open_transport(struct printer **out, const struct printer_transport_ops *tp,
			   const char *target, int dots, char *err, size_t errn);

/* The ESC/POS status layer over a transport (drivers/printer_status.c): p->priv is the
 * struct printer_transport. The second table is for transports without a back channel. */
extern const struct printer_ops printer_stream_ops;
extern const struct printer_ops printer_stream_mute_ops;

/* Whole-device backends and transports (drivers/printer_<name>.c), listed in printer.c's
 * registry. A backend reports failures by filling p->err and returning a PRINTER_ERR_*
 * code; priv is its own to free in close. The virtual printer is a whole device, not a
 * transport: it keeps its paper and its faults, and its status is its fault table. */
extern const struct printer_ops printer_virtual_ops;
extern const struct printer_transport_ops printer_file_transport;
extern const struct printer_transport_ops printer_serial_transport;
extern const struct printer_transport_ops printer_usb_transport;
extern const struct printer_transport_ops printer_tcp_transport;
#endif
