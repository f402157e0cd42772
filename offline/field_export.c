/* field_export — CSV + signature to removable storage (see field_export.h). Issue 10: being built. */
#include "field_export.h"

#include <stdio.h>

int field_export_csv(struct store *s, const char *dir, const char *agent, const char *device_id, int32_t from,
		     int32_t to, const char *line, const uint8_t *key, size_t keylen, char *path, size_t pathn,
		     char *err, size_t errn)
{
	(void)s, (void)dir, (void)agent, (void)device_id, (void)from, (void)to, (void)line, (void)key, (void)keylen;
	if (path && pathn)
		path[0] = '\0';
	snprintf(err, errn, "not built yet");
	return -1;
}
int field_export_verify(const char *csv_path, const uint8_t *key, size_t keylen, char *err, size_t errn)
{
	(void)csv_path, (void)key, (void)keylen;
	snprintf(err, errn, "not built yet");
	return -1;
}
