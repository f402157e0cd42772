/* `recaudo maint ...` commands (see cli_maint.h). */
#include "cli_maint.h"

#include <errno.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "maint_media.h"
#include "maint_update.h"
#include "maint_pin.h"
#include "printq.h"
#include "testpage.h"
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

int cli_print_job(const struct config *cfg, const char *data_dir, const char *db, const char *cmd,
		  enum store_print_kind kind, cli_print_submit submit, void *ctx, const char *action,
		  const char *detail, const char *what, FILE *out, FILE *err)
{
	char why[400] = "", full[AUDIT_DETAIL_MAX + 1];
	struct store *s = NULL;
	struct printer *p = NULL;
	struct printq *q = NULL;
	struct printq_result r, mine;
	int rc = 1, got = 0;

	if (store_open(&s, db, why, sizeof why) != 0) {
		fprintf(err, "recaudo: %s: %s\n", cmd, why);
		return 1;
	}
	if (app_printer_open(cfg, data_dir, &p, why, sizeof why) != 0)
		goto fail;
	/* the printer's state asked now, as the technician sees it (the test page prints it) */
	struct printer_status st;
	memset(&st, 0, sizeof st);
	printer_status(p, &st, 0);
	q = printq_open(p, db, NULL, NULL, why, sizeof why);
	if (!q)
		goto fail;
	if (submit(q, ctx, &st, why, sizeof why) != 0)
		goto fail;
	printq_wait_idle(q);
	while (printq_poll(q, &r))
		if (!r.is_status && r.kind == kind)
			mine = r, got = 1; /* the job's own result, not a status report after it */
	if (!got) {
		snprintf(why, sizeof why, "the printer queue gave no answer");
		goto fail;
	}
	snprintf(full, sizeof full, "%s state=%s", detail, printer_state_name(mine.status.state));
	if (store_audit_append(s, 0, action, mine.rc == 0 ? "ok" : "failed", full, NULL) != 0)
		fprintf(err, "recaudo: %s: the audit row could not be written: %s\n", cmd, store_error(s));
	if (mine.rc != 0) {
		snprintf(why, sizeof why, "not printed: %s (printer %s)", mine.error[0] ? mine.error : "error",
			 printer_state_name(mine.status.state));
		goto fail;
	}
	fprintf(out, "%s printed (%s, printer %s)\n", what, cfg->printer_backend, printer_state_name(mine.status.state));
	rc = 0;
	goto done;
fail:
	fprintf(err, "recaudo: %s: %s\n", cmd, why);
done:
	if (q)
		printq_close(q);
	if (p)
		printer_close(p);
	store_close(s);
	return rc;
}

struct test_page_ctx {
	const struct config *cfg;
};

static int submit_test_page(struct printq *q, void *ctx, const struct printer_status *st, char *why, size_t n)
{
	const struct config *cfg = ((struct test_page_ctx *)ctx)->cfg;
	struct testpage t = {.lang = LANG_ES, .kiosk_id = cfg->kiosk_id, .at = (int64_t)time(NULL),
			     .backend = cfg->printer_backend, .dots = cfg->paper_dots,
			     .codepage = cfg->printer_codepage, .status = st, .biller_gln = cfg->biller_gln};
	return printq_test_page(q, &t, why, n);
}

int cli_maint_test_page(const struct config *cfg, const char *data_dir, FILE *out, FILE *err)
{
	char db[600], why[400], detail[80];
	if (app_data_paths(data_dir, db, sizeof db, why, sizeof why) != 0) {
		fprintf(err, "recaudo: maint test-page: %s\n", why);
		return 1;
	}
	struct test_page_ctx c = {cfg};
	snprintf(detail, sizeof detail, "backend=%s", cfg->printer_backend);
	return cli_print_job(cfg, data_dir, db, "maint test-page", STORE_PRINT_TEST, submit_test_page, &c,
			     "maint.test_page", detail, "test page", out, err);
}

/* Recomputes the audit chain (docs/maintenance.md "Audit chain"), read-only: 0 when whole,
 * 1 naming the first broken row (or when the store cannot be read). */
int cli_audit_verify(const char *data_dir, FILE *out, FILE *errf)
{
	char err[400], db[600], why[200], head[AUDIT_HASH_HEX + 1];
	struct store *s;
	int64_t rows = 0, bad = 0;
	snprintf(db, sizeof(db), "%s/recaudo.db", data_dir);
	if (access(db, F_OK) != 0) {
		fprintf(errf, "recaudo: audit: no store at %s\n", db);
		return 1;
	}
	if (store_open_readonly(&s, db, err, sizeof(err)) != 0) {
		fprintf(errf, "recaudo: %s\n", err);
		return 1;
	}
	int rc = store_audit_verify(s, &rows, &bad, why, sizeof(why));
	if (rc == 0 && store_audit_head(s, head) < 0)
		rc = -1;
	if (rc < 0)
		fprintf(errf, "recaudo: audit: %s\n", store_error(s));
	else if (rc == 1)
		fprintf(errf, "%s\n", why);
	else
		fprintf(out, "audit chain ok: %lld rows, head %s\n", (long long)rows, head);
	store_close(s);
	return rc == 0 ? 0 : 1;
}

int cli_maint_usb(const struct config *cfg, const char *verb, FILE *out, FILE *err)
{
	if (strcmp(verb, "mount") && strcmp(verb, "eject") && strcmp(verb, "status")) {
		fprintf(err, "recaudo: maint usb: mount, eject or status\n");
		return 2;
	}
	struct usbmedia_reply r;
	char words[200];
	maint_media_ask(cfg, verb, &r);
	if (r.st == USBMEDIA_NO_HELPER) {
		fprintf(err, "recaudo: maint usb: no helper at %s ([maintenance] usb_helper)\n",
			cfg->usb_helper[0] ? cfg->usb_helper : "\"\"");
		return 3;
	}
	if (r.err) {
		fprintf(err, "recaudo: maint usb: not allowed to ask the helper at %s (%s): run it as the "
			     "recaudo user\n", cfg->usb_helper, strerror(r.err));
		return 1;
	}
	maint_media_text(words, sizeof(words), &r);
	if (r.st == USBMEDIA_FAILED && !words[0])
		snprintf(words, sizeof(words), "the helper failed");
	fprintf(maint_media_done(&r) ? out : err, "%s\n", words);
	return maint_media_done(&r) ? 0 : 1;
}

/* why the update helper was not asked or did not answer, for the shell */
static void helper_failed(const struct config *cfg, enum updater_result res, int e, FILE *err)
{
	if (res == UPDATER_NO_HELPER)
		fprintf(err, "recaudo: maint software: no helper at %s ([maintenance] update_helper)\n",
			cfg->update_helper);
	else if (e == EACCES || e == EPERM)
		fprintf(err,
			"recaudo: maint software: not allowed to ask the helper at %s (%s): run it as the "
			"recaudo user\n",
			cfg->update_helper, strerror(e));
	else
		fprintf(err, "recaudo: maint software: the helper at %s failed%s%s\n", cfg->update_helper,
			e ? ": " : "", e ? strerror(e) : "");
}

static void cli_phase(void *ctx, enum updater_phase ph, const char *version)
{
	char m[256];
	maint_update_phase_text(m, sizeof(m), ph, version);
	fprintf(ctx, "%s\n", m);
	fflush(ctx);
}

int cli_maint_software(const struct config *cfg, const char *const *argv, int argc, FILE *out, FILE *err)
{
	int list = argc == 1 && !strcmp(argv[0], "list");
	int install = (argc == 2 || (argc == 3 && !strcmp(argv[2], "force"))) && !strcmp(argv[0], "install");
	if (!list && !install) {
		fprintf(err, "recaudo: maint software: list, or install NAME [force]\n");
		return 2;
	}
	if (!cfg->update_helper[0]) {
		fprintf(err, "recaudo: maint software: no helper ([maintenance] update_helper = \"\")\n");
		return 3;
	}
	struct usbmedia_reply m;
	char words[320];
	maint_media_mount(cfg, &m);
	if (m.err) {
		fprintf(err,
			"recaudo: maint software: not allowed to ask the helper at %s (%s): run it as the recaudo "
			"user\n",
			cfg->usb_helper, strerror(m.err));
		return 1;
	}
	maint_media_text(words, sizeof(words), &m);
	if (maint_media_unusable(&m)) {
		fprintf(err, "%s\n", words);
		return 1;
	}
	if (words[0])
		fprintf(out, "%s\n", words);
	if (list) {
		struct updater_list l;
		updater_list(cfg->update_helper, MAINT_UPDATE_LIST_MS, &l);
		for (int i = 0; i < l.n; i++)
			fprintf(out, "%s %s %s\n", l.b[i].name,
				l.b[i].rel == UPDATER_BAD ? "-" : l.b[i].version,
				l.b[i].rel == UPDATER_NEWER     ? "newer"
				: l.b[i].rel == UPDATER_SAME    ? "same"
				: l.b[i].rel == UPDATER_OLDER   ? "older"
				: l.b[i].rel == UPDATER_UNKNOWN ? "unknown"
								: "refused");
		if (l.res == UPDATER_DONE)
			fprintf(out, "running %s\n", l.running);
		else
			helper_failed(cfg, l.res, l.err, err);
		return l.res == UPDATER_DONE ? 0 : l.res == UPDATER_NO_HELPER ? 3 : 1;
	}
	struct updater_install r;
	updater_install(cfg->update_helper, argv[1], MAINT_UPDATE_WAIT_S, argc == 3,
			(MAINT_UPDATE_WAIT_S + 30 * 60) * 1000, cli_phase, out, &r);
	if (r.res == UPDATER_NO_HELPER || r.err == EACCES || r.err == EPERM) {
		helper_failed(cfg, r.res, r.err, err);
		return r.res == UPDATER_NO_HELPER ? 3 : 1;
	}
	maint_update_result_text(words, sizeof(words), &r);
	fprintf(r.res == UPDATER_DONE ? out : err, "%s\n", words);
	return r.res == UPDATER_DONE ? 0 : 1;
}

int cli_maint_helper(const struct config *cfg, const char *const *argv, int argc, FILE *out, FILE *err)
{
	if (!strcmp(argv[0], "usb") && argc == 2)
		return cli_maint_usb(cfg, argv[1], out, err);
	if (!strcmp(argv[0], "software"))
		return cli_maint_software(cfg, argv + 1, argc - 1, out, err);
	fprintf(err, "recaudo: maint usb mount|eject|status, or maint software list|install NAME [force]\n");
	return 2;
}
