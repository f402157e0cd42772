/* printer — the backend registry and the thin wrappers app code calls. Backends are found
 * by name in a table (like SDL's video bootstrap list); adding one means writing its ops in
 * drivers/printer_<name>.c and listing it here. Checks common to every backend (arguments,
 * job names that become file names) and the status policy around a job (ask before, refuse,
 * send, ask after) live here so backends stay small: a backend only moves bytes and reports
 * what the printer says. */
#include "printer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A backend is a whole device (ops) or a transport under the status layer (tp). */
static const struct backend {
	const char *name;
	const struct printer_ops *ops;
	const struct printer_transport_ops *tp;
} backends[] = {
	{"virtual", &printer_virtual_ops, NULL},
	{"file", NULL, &printer_file_transport},
	{"serial", NULL, &printer_serial_transport},
	{"usb", NULL, &printer_usb_transport},
	{"tcp", NULL, &printer_tcp_transport},
};

static const char *const backend_names[] = {"virtual", "file", "serial", "usb", "tcp", NULL};

_Static_assert(sizeof backend_names / sizeof *backend_names ==
		       sizeof backends / sizeof *backends + 1,
	       "backend_names must list every backend");

#define JOB_NAME_MAX 64

const char *const *printer_backends(void)
{
	return backend_names;
}

static const struct backend *backend_find(const char *name)
{
	for (size_t i = 0; i < sizeof backends / sizeof *backends; i++)
		if (strcmp(backends[i].name, name) == 0)
			return &backends[i];
	return NULL;
}

static void known_list(char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (const char *const *b = backend_names; *b && len < n; b++) {
		int w = snprintf(buf + len, n - len, "%s%s", len ? ", " : "", *b);

		if (w < 0)
			break;
		len += (size_t)w;
	}
}

static int open_with(struct printer **out, const struct printer_ops *ops,
		     const struct printer_transport_ops *tp, const char *target, int dots, char *err,
		     size_t errn);

int printer_open(struct printer **out, const char *name, const char *target, int dots, char *err,
		 size_t errn)
{
	const struct backend *b;
	char known[128];

	if (out)
		*out = NULL;
	if (err && errn)
		err[0] = '\0';
	if (!out || !name || !target || !err || errn == 0) {
		if (err && errn)
			snprintf(err, errn, "printer: bad arguments");
		return -1;
	}
	b = backend_find(name);
	if (!b) {
		known_list(known, sizeof known);
		snprintf(err, errn, "printer: unknown backend '%s' (known: %s)", name, known);
		return -1;
	}
	return open_with(out, b->ops, b->tp, target, dots, err, errn);
}

int printer_open_transport(struct printer **out, const struct printer_transport_ops *tp,
			   const char *target, int dots, char *err, size_t errn)
{
	if (out)
		*out = NULL;
	if (!out || !tp || !target || !err || errn == 0) {
		if (err && errn)
			snprintf(err, errn, "printer: bad arguments");
		return -1;
	}
	err[0] = '\0';
	return open_with(out, NULL, tp, target, dots, err, errn);
}

static int open_with(struct printer **out, const struct printer_ops *ops,
		     const struct printer_transport_ops *tp, const char *target, int dots, char *err,
		     size_t errn)
{
	struct printer *p;

	if (dots < 64 || dots > 1024 || dots % 8) {
		snprintf(err, errn, "printer: width of %d dots is not supported (384 or 576)", dots);
		return -1;
	}
	p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errn, "printer: out of memory");
		return -1;
	}
	if (tp) { /* the status layer over a transport; its open fills the transport in */
		struct printer_transport *t = calloc(1, sizeof *t);

		if (!t) {
			free(p);
			snprintf(err, errn, "printer: out of memory");
			return -1;
		}
		t->ops = tp;
		t->fd = -1;
		p->priv = t;
		ops = tp->read ? &printer_stream_ops : &printer_stream_mute_ops;
	}
	p->ops = ops;
	p->dots = dots;
	p->status_ms = PRINTER_STATUS_TIMEOUT_MS;
	p->write_ms = PRINTER_WRITE_TIMEOUT_MS;
	p->last.state = PRINTER_READY;
	snprintf(p->last.detail, sizeof p->last.detail, "not checked yet");
	if (ops->open(p, target) < 0) {
		snprintf(err, errn, "%s", p->err[0] ? p->err : "printer: cannot open");
		if (tp)
			free(p->priv);
		free(p);
		return -1;
	}
	*out = p;
	return 0;
}

/* Job names become file names in some backends: keep them to a safe alphabet. */
static int job_name_ok(const char *job)
{
	size_t n = strlen(job);

	if (n == 0 || n > JOB_NAME_MAX || job[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = job[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

/* Copies as much of src as fits (details are short excerpts of longer errors). */
static void copy_cut(char *dst, size_t n, const char *src)
{
	size_t len = strnlen(src, n - 1);

	memcpy(dst, src, len);
	dst[len] = '\0';
}

static int timeout_of(const struct printer *p, int ms)
{
	if (ms > 0)
		return ms;
	return p->status_ms > 0 ? p->status_ms : PRINTER_STATUS_TIMEOUT_MS;
}

int printer_state_blocks(enum printer_state s)
{
	return s == PRINTER_PAPER_OUT || s == PRINTER_COVER_OPEN || s == PRINTER_OFFLINE ||
	       s == PRINTER_ERROR;
}

static int code_ok(int rc)
{
	return rc == PRINTER_ERR_IO || rc == PRINTER_ERR_NOT_READY || rc == PRINTER_ERR_INCOMPLETE ||
	       rc == PRINTER_ERR_TIMEOUT || rc == PRINTER_ERR_OFFLINE;
}

/* Asks the backend and records the answer in p->last. A failure to ask becomes a state too:
 * OFFLINE when the printer cannot be reached or does not answer, ERROR otherwise. */
static int status_ask(struct printer *p, int timeout_ms)
{
	struct printer_status st = {.state = PRINTER_READY, .job = p->last.job};
	int rc;

	if (!p->ops->status) {
		snprintf(st.detail, sizeof st.detail, "no status on the %s backend", printer_backend(p));
		p->last = st;
		return 0;
	}
	rc = p->ops->status(p, &st, timeout_of(p, timeout_ms));
	if (rc < 0) {
		if (!code_ok(rc))
			rc = PRINTER_ERR_IO;
		if (!p->err[0])
			snprintf(p->err, sizeof p->err, "printer: no status from the %s backend",
				 printer_backend(p));
		st.state = rc == PRINTER_ERR_IO ? PRINTER_ERROR : PRINTER_OFFLINE;
		copy_cut(st.detail, sizeof st.detail, p->err);
	}
	st.rc = rc;
	p->last = st;
	return rc;
}

int printer_status(struct printer *p, struct printer_status *out, int timeout_ms)
{
	int rc;

	if (!p) {
		if (out)
			*out = (struct printer_status){.state = PRINTER_OFFLINE,
						       .detail = "printer: not open",
						       .rc = PRINTER_ERR_OFFLINE};
		return PRINTER_ERR_OFFLINE;
	}
	p->err[0] = '\0';
	rc = status_ask(p, timeout_ms);
	if (out)
		*out = p->last;
	return rc;
}

void printer_last_status(const struct printer *p, struct printer_status *out)
{
	if (!out)
		return;
	if (!p) {
		*out = (struct printer_status){.state = PRINTER_OFFLINE,
						       .detail = "printer: not open",
						       .rc = PRINTER_ERR_OFFLINE};
		return;
	}
	*out = p->last;
}

void printer_set_timeouts(struct printer *p, int status_ms, int write_ms)
{
	if (!p)
		return;
	if (status_ms > 0)
		p->status_ms = status_ms;
	if (write_ms > 0)
		p->write_ms = write_ms;
}

const char *printer_job_name(enum printer_job_outcome o)
{
	static const char *const names[] = {
		[PRINTER_JOB_NONE] = "none",       [PRINTER_JOB_PRINTED] = "printed",
		[PRINTER_JOB_REFUSED] = "refused", [PRINTER_JOB_INCOMPLETE] = "incomplete",
		[PRINTER_JOB_FAILED] = "failed",
	};

	if ((unsigned)o >= sizeof names / sizeof *names)
		return "unknown";
	return names[o];
}

const char *printer_state_name(enum printer_state s)
{
	static const char *const names[] = {
		[PRINTER_READY] = "ready",           [PRINTER_PAPER_NEAR_END] = "paper_near_end",
		[PRINTER_PAPER_OUT] = "paper_out",   [PRINTER_COVER_OPEN] = "cover_open",
		[PRINTER_OFFLINE] = "offline",       [PRINTER_ERROR] = "error",
	};

	if ((unsigned)s >= sizeof names / sizeof *names)
		return "unknown";
	return names[s];
}

/* Appends " (state: paper_out, paper end)" to p->err so a log line carries both. */
static void err_add_state(struct printer *p)
{
	size_t n = strlen(p->err);

	if (n + 16 < sizeof p->err)
		snprintf(p->err + n, sizeof p->err - n, " (state: %s%s%s)",
			 printer_state_name(p->last.state), p->last.detail[0] ? ", " : "",
			 p->last.detail);
}

/* The write failed: ask why, so that paper running out mid-job reads as INCOMPLETE with the
 * state PAPER_OUT rather than as a bare timeout. The backend's err is kept. */
static int job_failed(struct printer *p, int rc)
{
	char why[sizeof p->err];

	if (!code_ok(rc))
		rc = PRINTER_ERR_IO;
	if (!p->err[0])
		snprintf(p->err, sizeof p->err, "printer: job failed on the %s backend", printer_backend(p));
	if (rc == PRINTER_ERR_OFFLINE || !p->ops->status) {
		p->last.state = rc == PRINTER_ERR_OFFLINE ? PRINTER_OFFLINE : PRINTER_ERROR;
		copy_cut(p->last.detail, sizeof p->last.detail, p->err);
		return rc;
	}
	memcpy(why, p->err, sizeof why);
	p->err[0] = '\0';
	if (status_ask(p, 0) == 0 && printer_state_blocks(p->last.state))
		rc = PRINTER_ERR_INCOMPLETE;
	memcpy(p->err, why, sizeof why);
	err_add_state(p);
	return rc;
}

/* Records the job's outcome in the status the job leaves behind; returns rc. */
static int job_end(struct printer *p, int rc)
{
	p->last.rc = rc;
	p->last.job = rc == 0                        ? PRINTER_JOB_PRINTED
		      : rc == PRINTER_ERR_NOT_READY  ? PRINTER_JOB_REFUSED
		      : rc == PRINTER_ERR_INCOMPLETE ? PRINTER_JOB_INCOMPLETE
						     : PRINTER_JOB_FAILED;
	return rc;
}

static int job_run(struct printer *p, const char *job, const uint8_t *buf, size_t len)
{
	int rc;

	p->err[0] = '\0';
	if (!job || !job_name_ok(job)) {
		snprintf(p->err, sizeof p->err, "printer: bad job name (letters, digits, '-', '_')");
		return PRINTER_ERR_IO;
	}
	if (!buf || len == 0) {
		snprintf(p->err, sizeof p->err, "printer: empty job '%s'", job);
		return PRINTER_ERR_IO;
	}
	rc = status_ask(p, 0);
	if (rc < 0)
		return rc;
	if (printer_state_blocks(p->last.state)) {
		snprintf(p->err, sizeof p->err, "printer: job '%s' not sent, printer not ready", job);
		err_add_state(p);
		return PRINTER_ERR_NOT_READY;
	}
	rc = p->ops->job(p, job, buf, len);
	if (rc < 0)
		return job_failed(p, rc);
	/* Everything was handed over; only the printer can say whether it all reached paper. */
	rc = status_ask(p, 0);
	if (rc < 0) {
		char why[sizeof p->err];

		memcpy(why, p->err, sizeof why);
		snprintf(p->err, sizeof p->err, "printer: job '%s' sent, no status after it: %.120s", job,
			 why);
		return rc;
	}
	if (printer_state_blocks(p->last.state)) {
		snprintf(p->err, sizeof p->err, "printer: job '%s' may be incomplete", job);
		err_add_state(p);
		return PRINTER_ERR_INCOMPLETE;
	}
	return 0;
}

int printer_job(struct printer *p, const char *job, const uint8_t *buf, size_t len)
{
	if (!p)
		return PRINTER_ERR_IO;
	return job_end(p, job_run(p, job, buf, len));
}

const char *printer_error(const struct printer *p)
{
	return p ? p->err : "printer: not open";
}

const char *printer_backend(const struct printer *p)
{
	if (!p)
		return "";
	if (p->ops == &printer_stream_ops || p->ops == &printer_stream_mute_ops)
		return ((const struct printer_transport *)p->priv)->ops->name;
	return p->ops->name;
}

void printer_close(struct printer *p)
{
	if (!p)
		return;
	if (p->ops->close)
		p->ops->close(p);
	free(p);
}
