/* `recaudo maint config ...` (cli_config.h). */
#include "cli_config.h"

#include <string.h>

#include "audit.h"
#include "config_edit.h"
#include "services.h"
#include "store.h"

static const char *apply_words(const struct config_key *k)
{
	return k->apply == CONFIG_APPLY_LIVE ? "; editable (live)" : k->apply == CONFIG_APPLY_RESTART ? "; editable (restart)" : "";
}

static int get(const char *config_path, const char *name, FILE *out, FILE *err)
{
	struct config c;
	char why[400], v[300];
	config_defaults(&c);
	/* the settings only, as `recaudo status`: a missing font must not hide the rest */
	if (config_path && config_path[0] && config_load_settings(&c, config_path, why, sizeof why) != 0) {
		fprintf(err, "recaudo: maint config get: %s\n", why);
		return 1;
	}
	if (name) {
		const struct config_key *k = config_edit_find_dotted(name);
		if (!k) {
			fprintf(err, "recaudo: maint config get: no setting '%s' (SECTION.KEY, e.g. session.inactivity_s)\n",
				name);
			return 1;
		}
		config_edit_shown(&c, k, v, sizeof v);
		fprintf(out, "%s\n", v);
		return 0;
	}
	if (!config_path || !config_path[0])
		fprintf(err, "recaudo: no configuration file: the compiled defaults (--config FILE to read one)\n");
	int n;
	const struct config_key *k = config_edit_keys(&n);
	for (int i = 0; i < n; i++) {
		config_edit_shown(&c, &k[i], v, sizeof v);
		fprintf(out, "%s.%s = %s%s%s\n", k[i].section, k[i].key, v, k[i].apply ? "    " : "", apply_words(&k[i]));
	}
	return 0;
}

static int set(const char *config_path, const char *data_dir, const char *name, const char *value, FILE *out,
	       FILE *err)
{
	char why[600], db[600], detail[AUDIT_DETAIL_MAX + 1];
	const struct config_key *k = config_edit_find_dotted(name);
	if (!config_path || !config_path[0]) {
		fprintf(err, "recaudo: maint config set: the kiosk runs on its compiled defaults (no configuration "
			     "file); give one with --config FILE (installed: /etc/recaudo/recaudo.ini); nothing was "
			     "changed\n");
		return 1;
	}
	/* the audit row names the setting, never its value (a support line is a phone number) */
	snprintf(detail, sizeof detail, "key=%s.%s", k ? k->section : "unknown", k ? k->key : "setting");
	struct store *s = NULL;
	if (strlen(data_dir) > 400 || app_data_paths(data_dir, db, sizeof db, why, sizeof why) != 0 ||
	    store_open(&s, db, why, sizeof why) != 0) {
		if (strlen(data_dir) > 400)
			snprintf(why, sizeof why, "the data directory path is too long");
		fprintf(err, "recaudo: maint config set: the audit log cannot be written (%s); nothing was changed\n",
			why);
		return 1;
	}
	int rc;
	if (!k) {
		snprintf(why, sizeof why, "no setting '%.100s' (SECTION.KEY, e.g. session.inactivity_s)", name);
		rc = CONFIG_EDIT_REFUSED;
	} else {
		rc = config_edit_set(config_path, k->section, k->key, value, NULL, NULL, why, sizeof why);
	}
	const char *result = rc == CONFIG_EDIT_OK ? "ok" : rc == CONFIG_EDIT_IO ? "failed" : "refused";
	if (store_audit_append(s, 0, "config.set", result, detail, NULL) != 0)
		fprintf(err, "recaudo: maint config set: the audit row could not be written: %s\n", store_error(s));
	store_close(s);
	if (rc != CONFIG_EDIT_OK) {
		fprintf(err, "recaudo: maint config set: %s; nothing was changed\n", why);
		return 1;
	}
	if (k->personal)
		fprintf(out, "%s.%s set", k->section, k->key);
	else
		fprintf(out, "%s.%s = %s", k->section, k->key, value);
	fprintf(out, " in %s (the previous file kept as .prev beside it); the running kiosk uses it from its next "
		     "start\n", config_path);
	return 0;
}

int cli_maint_config(const char *config_path, const char *data_dir, const char *const *args, int nargs, FILE *out,
		     FILE *err)
{
	if (nargs == 1 && !strcmp(args[0], "get"))
		return get(config_path, NULL, out, err);
	if (nargs == 2 && !strcmp(args[0], "get"))
		return get(config_path, args[1], out, err);
	if (nargs == 3 && !strcmp(args[0], "set"))
		return set(config_path, data_dir, args[1], args[2], out, err);
	fprintf(err, "usage: recaudo maint config get [SECTION.KEY] [--config FILE]\n"
		     "       recaudo maint config set SECTION.KEY VALUE [--config FILE] [--data DIR]\n");
	return 2;
}
