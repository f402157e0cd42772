/* The table of activities and modes. */
#include "activity.h"

#include <stdio.h>
#include <string.h>

static const struct activity *const table[] = {&act_customer, &act_field, &act_out_of_service};

const struct activity *activity_mode(const char *name)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(*table); i++)
		if (table[i]->mode && !strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}

void activity_mode_names(char *out, size_t n)
{
	size_t k = 0;
	if (n)
		out[0] = 0;
	for (size_t i = 0; i < sizeof(table) / sizeof(*table) && k < n; i++)
		if (table[i]->mode)
			k += (size_t)snprintf(out + k, n - k, "%s%s", k ? ", " : "", table[i]->name);
}
