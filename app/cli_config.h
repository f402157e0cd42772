/* cli_config — `recaudo maint config get|set` (app/main.c dispatches; docs/maintenance.md
 * "Configuración"): the effective configuration from a shell, and the same whitelisted,
 * audited edits as the maintenance screen (app/config_edit.h). */
#ifndef RECAUDO_CLI_CONFIG_H
#define RECAUDO_CLI_CONFIG_H
#include <stdio.h>

/* args: what follows `maint config`: {"get"}, {"get", "SECTION.KEY"} or
 * {"set", "SECTION.KEY", "VALUE"}. config_path: the INI file (NULL or "": the kiosk runs on
 * the compiled defaults; `set` is then refused). data_dir: the store that gets the audit row
 * (config.set, ok|refused|failed, detail key=SECTION.KEY: never the value). Returns the exit
 * code: 0, 1 (refused or failed, the reason on err, the file unchanged) or 2 (usage). */
int cli_maint_config(const char *config_path, const char *data_dir, const char *const *args, int nargs, FILE *out,
		     FILE *err);
#endif
