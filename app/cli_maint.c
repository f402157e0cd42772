/* `recaudo maint ...` commands (see cli_maint.h). */
#include "cli_maint.h"

#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "maint_pin.h"
#include "services.h"
#include "store.h"

/* One line of in into buf (the newline removed). A terminal gets the prompt on err and no
 * echo. 0, or -1 at the end of input or for a line longer than buf. */
static int read_pin_line(FILE *in, FILE *err, const char *prompt, char *buf, size_t n)
{
	int fd = fileno(in), tty = isatty(fd);
	struct termios old, quiet;
	int echo_off = 0;

	if (tty) {
		fputs(prompt, err);
		fflush(err);
		if (tcgetattr(fd, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
			quiet.c_lflag |= ICANON;
			echo_off = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
		}
	}
	char *got = fgets(buf, (int)n, in);
	if (echo_off) {
		tcsetattr(fd, TCSAFLUSH, &old);
		fputc('\n', err);
	}
	if (!got)
		return -1;
	size_t len = strcspn(buf, "\n");
	if (buf[len] != '\n' && !feof(in)) { /* too long: drain the rest of the line */
		int c;
		while ((c = fgetc(in)) != EOF && c != '\n')
			;
		explicit_bzero(buf, n);
		snprintf(buf, n, "-");
		return 0; /* rejected below as a wrong length */
	}
	buf[len] = 0;
	if (len && buf[len - 1] == '\r')
		buf[len - 1] = 0;
	return 0;
}

int cli_maint_set_pin(const char *data_dir, FILE *in, FILE *out, FILE *err)
{
	char a[64], b[64], why[400], db[600];
	struct store *s = NULL;
	int rc = 1;

	if (read_pin_line(in, err, "PIN nuevo / new PIN (6-12 dígitos): ", a, sizeof a) != 0 ||
	    read_pin_line(in, err, "Repita el PIN / repeat the PIN: ", b, sizeof b) != 0) {
		fprintf(err, "recaudo: maint set-pin: the PIN must be given twice (two lines); nothing was changed\n");
		goto out;
	}
	if (maint_pin_valid(a, why, sizeof why) != 0) {
		fprintf(err, "recaudo: maint set-pin: %s; nothing was changed\n", why);
		goto out;
	}
	if (strcmp(a, b) != 0) {
		fprintf(err, "recaudo: maint set-pin: the two PINs differ; nothing was changed\n");
		goto out;
	}
	if (strlen(data_dir) > 400) {
		fprintf(err, "recaudo: maint set-pin: the data directory path is too long\n");
		goto out;
	}
	if (app_data_paths(data_dir, db, sizeof db, why, sizeof why) != 0 ||
	    store_open(&s, db, why, sizeof why) != 0) {
		app_explain_disk_full(data_dir, why, sizeof why);
		fprintf(err, "recaudo: maint set-pin: %s\n", why);
		goto out;
	}
	if (maint_pin_set(s, a, why, sizeof why) != 0) {
		app_explain_disk_full(data_dir, why, sizeof why);
		fprintf(err, "recaudo: maint set-pin: %s; nothing was changed\n", why);
		goto out;
	}
	fputs("PIN set\n", out);
	rc = 0;
out:
	if (s)
		store_close(s);
	explicit_bzero(a, sizeof a);
	explicit_bzero(b, sizeof b);
	return rc;
}
