/* i18n — every user-visible string, Spanish (es-CO, default) and English, from one catalogue
 * (app/strings.def). Lookups never allocate; the returned strings are static. */
#ifndef RECAUDO_I18N_H
#define RECAUDO_I18N_H

enum lang { LANG_ES = 0, LANG_EN = 1, LANG_COUNT };

enum str_id {
#define S(id, es, en) id,
#include "strings.def"
#undef S
	STR_COUNT
};

/* The string in the current language (set with i18n_set). */
const char *tr(enum str_id id);
/* The string in a given language (receipts, tests). */
const char *tr_lang(enum lang l, enum str_id id);
void i18n_set(enum lang l);
enum lang i18n_get(void);
#endif
