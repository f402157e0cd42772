/* printer — a receipt printer behind a small ops table. App code calls printer_* and never
 * touches ops. Backends are picked by name: "virtual" (writes <job>.bin with the ESC/POS bytes
 * and <job>.png, the bytes rendered at the printer's dot width, into a directory), "file"
 * (appends the raw bytes to a file or device path). Serial, USB and TCP come later behind the
 * same interface.
 *
 * Calls may block on I/O: never call them on the UI thread (see app/printq.h). */
#ifndef RECAUDO_PRINTER_H
#define RECAUDO_PRINTER_H
#include <stddef.h>
#include <stdint.h>

struct printer;

struct printer_ops {
	const char *name;
	int (*open)(struct printer *p, const char *target);
	/* Sends one whole job; `job` names it (e.g. "receipt-000042"). */
	int (*job)(struct printer *p, const char *job, const uint8_t *buf, size_t len);
	void (*close)(struct printer *p);
};

struct printer {
	const struct printer_ops *ops;
	void *priv;
	int dots;          /* printable width in dots: 384 (58 mm) or 576 (80 mm) */
	char err[200];
};

/* Opens backend `name` on `target` (a directory for virtual, a path for file). Returns 0, or
 * <0 with the reason in err (unknown backend, unwritable target). Free with printer_close. */
int printer_open(struct printer **out, const char *name, const char *target, int dots, char *err,
		 size_t errn);
/* Sends a job. Returns 0 or <0 with printer_error() set. */
int printer_job(struct printer *p, const char *job, const uint8_t *buf, size_t len);
const char *printer_error(const struct printer *p);
const char *printer_backend(const struct printer *p);
void printer_close(struct printer *p);
/* Names of the compiled-in backends, NULL-terminated. */
const char *const *printer_backends(void);

/* Backend ops tables (drivers/printer_<name>.c), listed in printer.c's registry. A backend
 * reports failures by filling p->err and returning <0; priv is its own to free in close. */
extern const struct printer_ops printer_virtual_ops;
extern const struct printer_ops printer_file_ops;
#endif
