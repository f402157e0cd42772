/* config_edit — the effective configuration as (section, key, value) rows, and the editing of a
 * small whitelist of settings in the INI file (docs/maintenance.md "Configuración"). No SDL.
 *
 * The listing covers every setting app/config.c reads (the same order as config.h), with the
 * value the kiosk runs on (the compiled default or the file's). Key material is shown as
 * CONFIG_EDIT_MASK; paths are shown as they are (a path is not a secret, and the files they
 * name are never read here).
 *
 * An edit is checked by app/config.c itself: the edited file is written beside the real one and
 * loaded with config_load over the compiled defaults, exactly as the kiosk's start would; only a
 * file that loads and reads back the value asked for replaces the old one (temp file, fsync,
 * rename, directory fsync; the old file kept as FILE.prev). The rest of the file is kept byte
 * for byte: the one line is edited in place (its inline comment kept) or the key is added at
 * the end of its section. */
#ifndef RECAUDO_CONFIG_EDIT_H
#define RECAUDO_CONFIG_EDIT_H
#include <stddef.h>

#include "config.h"

#define CONFIG_EDIT_MASK "••••"
/* A configuration file larger than this is not edited (a kiosk's is about 2 KB). */
#define CONFIG_EDIT_MAX_FILE (64 * 1024)

enum config_kind {
	CONFIG_TEXT,   /* free text (the INI's rules) */
	CONFIG_INT,    /* a whole number from lo to hi */
	CONFIG_CHOICE, /* one of choices[] */
};

enum config_apply {
	CONFIG_APPLY_NONE,    /* not editable here */
	CONFIG_APPLY_LIVE,    /* editable; the running kiosk takes the new value at once */
	CONFIG_APPLY_RESTART, /* editable; used from the next start ("Reiniciar aplicación") */
};

struct config_key {
	const char *section, *key;
	enum config_kind kind;
	enum config_apply apply;  /* CONFIG_APPLY_NONE: read-only here */
	int secret;               /* shown as CONFIG_EDIT_MASK */
	int personal;             /* the value may identify someone: never in a log or audit row */
	long lo, hi;              /* CONFIG_INT: the range config.c accepts (the screen's hint; a
				   * unit test keeps them equal to config.c's) */
	const char *const *choices; /* CONFIG_CHOICE: NULL-terminated */
};

/* Every setting, in config.h's order; *n gets the count. Static storage. */
const struct config_key *config_edit_keys(int *n);
/* The row of [section] key, or of "section.key" (config_edit_find_dotted); NULL if unknown. */
const struct config_key *config_edit_find(const char *section, const char *key);
const struct config_key *config_edit_find_dotted(const char *name);

/* k's value in c as the INI spells it (never masked): "60", "80mm", "yes", a path. */
void config_edit_value(const struct config *c, const struct config_key *k, char *out, size_t n);
/* The same as a screen or `maint config get` shows it: CONFIG_EDIT_MASK for a secret that is
 * set. */
void config_edit_shown(const struct config *c, const struct config_key *k, char *out, size_t n);

/* Results of config_edit_set. */
enum {
	CONFIG_EDIT_OK = 0,
	CONFIG_EDIT_REFUSED = -1, /* not on the whitelist, or no such setting */
	CONFIG_EDIT_BAD = -2,     /* the value is refused (config.c's reason in err) */
	CONFIG_EDIT_IO = -3,      /* the file could not be read or written */
};

/* Sets [section] key = value in the INI file at path (a symlink is followed: the real file is
 * edited in its directory). Leading and trailing spaces of value are dropped. On success
 * returns CONFIG_EDIT_OK with *out (may be NULL) the configuration the edited file gives over
 * the compiled defaults, and *changed (may be NULL) 0 when the file already said so (nothing
 * is written then). Otherwise the file is unchanged, byte for byte, and err says why for a
 * person ("[session] inactivity_s must be from 10 to 3600", "FILE:LINE: ..." from
 * config_load). Setting [printer] profile also sets an existing [printer] dots line to the
 * profile's width (config.c refuses the two disagreeing). The new file keeps the old one's
 * mode and owner; FILE.prev holds the old content. Not safe against two writers at once (the
 * last one wins; each writes a whole, valid file). */
int config_edit_set(const char *path, const char *section, const char *key, const char *value,
		    struct config *out, int *changed, char *err, size_t errn);
#endif
