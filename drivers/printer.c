/* printer — the backend registry and the thin wrappers app code calls. Backends are found
 * by name in a table (like SDL's video bootstrap list); adding one means writing its ops in
 * drivers/printer_<name>.c and listing it here. Checks common to every backend (arguments,
 * job names that become file names) live here so backends stay small. */
#include "printer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct printer_ops *const backends[] = {
	&printer_virtual_ops,
	&printer_file_ops,
};

static const char *const backend_names[] = {"virtual", "file", NULL};

_Static_assert(sizeof backend_names / sizeof *backend_names ==
		       sizeof backends / sizeof *backends + 1,
	       "backend_names must list every backend");

#define JOB_NAME_MAX 64

const char *const *printer_backends(void)
{
	return backend_names;
}

static const struct printer_ops *backend_find(const char *name)
{
	for (size_t i = 0; i < sizeof backends / sizeof *backends; i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
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

int printer_open(struct printer **out, const char *name, const char *target, int dots, char *err,
		 size_t errn)
{
	const struct printer_ops *ops;
	struct printer *p;
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
	ops = backend_find(name);
	if (!ops) {
		known_list(known, sizeof known);
		snprintf(err, errn, "printer: unknown backend '%s' (known: %s)", name, known);
		return -1;
	}
	if (dots < 64 || dots > 1024 || dots % 8) {
		snprintf(err, errn, "printer: width of %d dots is not supported (384 or 576)", dots);
		return -1;
	}
	p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errn, "printer: out of memory");
		return -1;
	}
	p->ops = ops;
	p->dots = dots;
	if (ops->open(p, target) < 0) {
		snprintf(err, errn, "%s", p->err[0] ? p->err : "printer: cannot open");
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

int printer_job(struct printer *p, const char *job, const uint8_t *buf, size_t len)
{
	if (!p)
		return -1;
	p->err[0] = '\0';
	if (!job || !job_name_ok(job)) {
		snprintf(p->err, sizeof p->err, "printer: bad job name (letters, digits, '-', '_')");
		return -1;
	}
	if (!buf || len == 0) {
		snprintf(p->err, sizeof p->err, "printer: empty job '%s'", job);
		return -1;
	}
	if (p->ops->job(p, job, buf, len) < 0) {
		if (!p->err[0])
			snprintf(p->err, sizeof p->err, "printer: job '%s' failed", job);
		return -1;
	}
	return 0;
}

const char *printer_error(const struct printer *p)
{
	return p ? p->err : "printer: not open";
}

const char *printer_backend(const struct printer *p)
{
	return p ? p->ops->name : "";
}

void printer_close(struct printer *p)
{
	if (!p)
		return;
	if (p->ops->close)
		p->ops->close(p);
	free(p);
}
