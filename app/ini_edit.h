/* ini_edit — settings of an INI file edited as text, everything else kept byte for byte
 * (comments, order, blank lines, CRLF). No parsing of values: app/config.c judges the result
 * (app/config_edit.c). */
#ifndef RECAUDO_INI_EDIT_H
#define RECAUDO_INI_EDIT_H
#include <stddef.h>

#define INI_EDIT_MAX 4

struct ini_edit {
	const char *section, *key, *value;
};

/* The text with each edit made: the last `key = value` (or `key: value`) line of its section
 * gets the new value, its indentation, separator and inline `; comment` kept; a key the section
 * lacks goes after the section's last setting; a section the text lacks is added at the end.
 * At most INI_EDIT_MAX edits. *out: malloc'd, NUL-terminated, *outn bytes; the caller frees
 * it. Returns 0, or -1 out of memory. */
int ini_edit_apply(const char *text, size_t len, const struct ini_edit *ed, int ned, char **out, size_t *outn);
/* 1 if the text has a line setting [section] key. */
int ini_edit_has_key(const char *text, size_t len, const char *section, const char *key);
#endif
