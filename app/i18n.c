#include "i18n.h"

static const char *const catalogue[STR_COUNT][LANG_COUNT] = {
#define S(id, es, en) [id] = {es, en},
#include "strings.def"
#undef S
};

static enum lang current = LANG_ES;

const char *tr_lang(enum lang l, enum str_id id)
{
	if ((unsigned)l >= LANG_COUNT || (unsigned)id >= STR_COUNT)
		return "";
	return catalogue[id][l];
}

const char *tr(enum str_id id) { return tr_lang(current, id); }
void i18n_set(enum lang l) { current = (unsigned)l < LANG_COUNT ? l : LANG_ES; }
enum lang i18n_get(void) { return current; }
