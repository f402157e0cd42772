/* `recaudo health` (cli_health.h). */
#include "cli_health.h"

#include <string.h>
#include <unistd.h>

#include "config.h"
#include "printer.h"
#include "services.h"
#include "store.h"

/* 0 when the store is whole. */
static int check_store(const char *data_dir, FILE *out)
{
	char db[600], err[400], detail[256];
	struct store *s;

	snprintf(db, sizeof db, "%s/recaudo.db", data_dir);
	if (access(db, F_OK) != 0) {
		fprintf(out, "fail store: none in %s\n", data_dir);
		return -1;
	}
	if (store_open_readonly(&s, db, err, sizeof err) != 0) {
		fprintf(out, "fail store: cannot be opened: %s\n", err);
		return -1;
	}
	int rc = store_quick_check(s, detail, sizeof detail);
	if (rc == 0)
		fprintf(out, "ok store: quick_check\n");
	else if (rc == 1)
		fprintf(out, "fail store: quick_check: %s\n", detail);
	else
		fprintf(out, "fail store: quick_check could not run: %s\n", store_error(s));
	store_close(s);
	return rc == 0 ? 0 : -1;
}

/* 0 when the printer answers in a state that prints, or none is configured. */
static int check_printer(const struct config *cfg, const char *data_dir, FILE *out)
{
	struct printer *p = NULL;
	struct printer_status st;
	char why[256];

	if (!strcmp(cfg->printer_backend, "virtual")) {
		fprintf(out, "ok printer: absent (none configured)\n");
		return 0;
	}
	if (app_printer_open(cfg, data_dir, &p, why, sizeof why) != 0) {
		fprintf(out, "fail printer: %s: %s\n", cfg->printer_backend, why);
		return -1;
	}
	int rc = printer_status(p, &st, 0);
	int good = rc == 0 && !printer_state_blocks(st.state);
	fprintf(out, "%s printer: %s: %s", good ? "ok" : "fail", cfg->printer_backend, printer_state_name(st.state));
	if (rc != 0)
		fprintf(out, " (%s)", printer_error(p));
	else if (st.detail[0])
		fprintf(out, " (%s)", st.detail);
	fputs("\n", out);
	printer_close(p);
	return good ? 0 : -1;
}

int cli_health(const char *config_path, const char *data_dir, FILE *out)
{
	struct config cfg;
	char err[400];
	int bad = 0, cfg_ok = 1;

	config_defaults(&cfg);
	/* the settings only: a loose secret is the kiosk's to refuse, not the gate's to judge */
	if (config_path && config_load_settings(&cfg, config_path, err, sizeof err) != 0) {
		fprintf(out, "fail config: %s\n", err);
		bad = 1, cfg_ok = 0;
	}
	bad |= check_store(data_dir, out) != 0;
	if (cfg_ok)
		bad |= check_printer(&cfg, data_dir, out) != 0;
	else
		fprintf(out, "fail printer: not checked (the configuration could not be read)\n");
	fflush(out);
	return bad ? 1 : 0;
}
